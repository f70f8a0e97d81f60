/*
 * runtime/numa.c — see numa.h (why sysfs rather than libnuma is said there).
 *
 * The reader is defensive because sysfs in containers and emulators is not always what a
 * kernel on bare metal writes: every number is bounded, every file is read through a
 * fixed-size buffer, and a file longer than that buffer is an error, not a truncation.
 */
#define _GNU_SOURCE
#include "runtime/numa.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

/* A cpulist of NUMA_MAX_CPUS CPUs written one by one is under 5 bytes each. */
#define FILE_MAX 8192

unsigned numa_cpuset_count(const numa_cpuset *s) {
    unsigned n = 0;
    for (size_t w = 0; w < KZG_ARRAY_LEN(s->bits); w++) n += (unsigned)__builtin_popcountll(s->bits[w]);
    return n;
}

static void cpuset_add(numa_cpuset *s, unsigned cpu) { s->bits[cpu / 64] |= (uint64_t)1 << (cpu % 64); }

/* A decimal number at text[*i] of at most 9 digits (CPU numbers and node ids). */
static bool parse_uint(const char *text, size_t *i, unsigned long *v) {
    size_t start = *i;
    unsigned long x = 0;
    while (text[*i] >= '0' && text[*i] <= '9') {
        if (*i - start >= 9) return false;
        x = x * 10 + (unsigned long)(text[*i] - '0');
        (*i)++;
    }
    *v = x;
    return *i > start;
}

kzg_status numa_cpulist_parse(numa_cpuset *out, unsigned *count, const char *text, const char *what) {
    memset(out, 0, sizeof *out);
    *count = 0;
    size_t i = 0;
    if (text[0] == '\n' && text[1] == '\0') return KZG_OK;
    while (text[i] != '\0' && !(text[i] == '\n' && text[i + 1] == '\0')) {
        unsigned long lo, hi;
        size_t at = i;
        if (!parse_uint(text, &i, &lo))
            return kzg_fail(KZG_ERR_BAD_ARG, "numa: %s: malformed CPU list at byte %zu: expected a "
                            "number of at most 9 digits", what, at);
        hi = lo;
        if (text[i] == '-') {
            i++;
            at = i;
            if (!parse_uint(text, &i, &hi))
                return kzg_fail(KZG_ERR_BAD_ARG, "numa: %s: malformed CPU list at byte %zu: expected "
                                "the end of a range", what, at);
            if (hi < lo)
                return kzg_fail(KZG_ERR_BAD_ARG, "numa: %s: malformed CPU list: range %lu-%lu is "
                                "reversed", what, lo, hi);
        }
        if (hi >= NUMA_MAX_CPUS)
            return kzg_fail(KZG_ERR_LENGTH, "numa: %s: CPU %lu is above the limit %d", what, hi,
                            NUMA_MAX_CPUS - 1);
        for (unsigned long c = lo; c <= hi; c++) cpuset_add(out, (unsigned)c);
        if (text[i] == ',') {
            i++;
            if (text[i] == '\0' || text[i] == '\n')
                return kzg_fail(KZG_ERR_BAD_ARG, "numa: %s: malformed CPU list: a comma at byte "
                                "%zu ends it", what, i - 1);
        } else if (text[i] != '\0' && !(text[i] == '\n' && text[i + 1] == '\0')) {
            return kzg_fail(KZG_ERR_BAD_ARG, "numa: %s: malformed CPU list at byte %zu: unexpected "
                            "character 0x%02x", what, i, (unsigned)(unsigned char)text[i]);
        }
    }
    *count = numa_cpuset_count(out);
    return KZG_OK;
}

void numa_cpulist_format(char *buf, size_t buf_len, const numa_cpuset *s) {
    if (!buf_len) return;
    size_t len = 0;
    buf[0] = '\0';
    for (unsigned c = 0; c < NUMA_MAX_CPUS; c++) {
        if (c % 64 == 0 && !s->bits[c / 64]) { /* an empty word: the next one */
            c += 63;
            continue;
        }
        if (!numa_cpuset_has(s, c)) continue;
        unsigned e = c;
        while (e + 1 < NUMA_MAX_CPUS && numa_cpuset_has(s, e + 1)) e++;
        int w = e == c ? snprintf(buf + len, buf_len - len, "%s%u", len ? "," : "", c)
                       : snprintf(buf + len, buf_len - len, "%s%u-%u", len ? "," : "", c, e);
        if (w < 0 || (size_t)w >= buf_len - len) {
            if (buf_len >= 4) memcpy(buf + buf_len - 4, "...", 4);
            return;
        }
        len += (size_t)w;
        c = e;
    }
}

/* Reads path into buf (NUL-terminated). KZG_ERR_IO when it cannot be read or does not fit. */
static kzg_status read_small(char *buf, size_t cap, const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return kzg_fail(KZG_ERR_IO, "numa: cannot open %s: %s", path, strerror(errno));
    size_t n = fread(buf, 1, cap, f);
    bool err = ferror(f) != 0;
    fclose(f);
    if (err) return kzg_fail(KZG_ERR_IO, "numa: cannot read %s", path);
    if (n >= cap) return kzg_fail(KZG_ERR_IO, "numa: %s is longer than %zu bytes", path, cap - 1);
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) return kzg_fail(KZG_ERR_BAD_ARG, "numa: %s contains a NUL byte", path);
    return KZG_OK;
}

/* MemTotal of a node's meminfo ("Node 0 MemTotal:   16318464 kB"), in bytes. A meminfo
 * without the line gives 0 (unknown); a line that does not parse is an error. */
static kzg_status parse_meminfo(uint64_t *bytes, const char *text, const char *path) {
    *bytes = 0;
    const char *p = strstr(text, "MemTotal:");
    if (!p) return KZG_OK;
    p += strlen("MemTotal:");
    while (*p == ' ' || *p == '\t') p++;
    uint64_t kb = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        if (++digits > 15) /* 10^15 kB: far beyond any machine, and no overflow below */
            return kzg_fail(KZG_ERR_LENGTH, "numa: %s: MemTotal has more than 15 digits", path);
        kb = kb * 10 + (uint64_t)(*p++ - '0');
    }
    while (*p == ' ' || *p == '\t') p++;
    if (!digits || strncmp(p, "kB", 2) != 0)
        return kzg_fail(KZG_ERR_BAD_ARG, "numa: %s: malformed MemTotal line (expected 'N kB')", path);
    *bytes = kb * 1024;
    return KZG_OK;
}

void numa_topology_fallback(numa_topology *t) {
    memset(t, 0, sizeof *t);
    t->n_nodes = 1;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 1) cpus = 1;
    if (cpus > NUMA_MAX_CPUS) cpus = NUMA_MAX_CPUS;
    for (long c = 0; c < cpus; c++) cpuset_add(&t->node[0].cpus, (unsigned)c);
    t->node[0].n_cpus = (unsigned)cpus;
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0) t->node[0].mem_bytes = (uint64_t)pages * (uint64_t)page;
}

static int cmp_node(const void *a, const void *b) {
    unsigned x = ((const numa_node *)a)->id, y = ((const numa_node *)b)->id;
    return x < y ? -1 : x > y;
}

/* Node ids from the names nodeN under root, into ids (at most NUMA_MAX_NODES). */
static kzg_status list_nodes(unsigned *ids, unsigned *n, const char *root, bool *absent) {
    *n = 0;
    *absent = false;
    DIR *d = opendir(root);
    if (!d) {
        if (errno == ENOENT || errno == ENOTDIR) {
            *absent = true;
            return KZG_OK;
        }
        return kzg_fail(KZG_ERR_IO, "numa: cannot open %s: %s", root, strerror(errno));
    }
    kzg_status ret = KZG_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (strncmp(name, "node", 4) != 0) continue;
        size_t i = 4;
        unsigned long id;
        if (!parse_uint(name, &i, &id) || name[i] != '\0') continue; /* "node" alone, "nodeX" */
        if (*n == NUMA_MAX_NODES) {
            ret = kzg_fail(KZG_ERR_LENGTH, "numa: %s has more than %d nodes", root, NUMA_MAX_NODES);
            break;
        }
        ids[(*n)++] = (unsigned)id;
    }
    closedir(d);
    return ret;
}

kzg_status numa_topology_read(numa_topology *t, const char *root) {
    static const char *const FILES[2] = {"cpulist", "meminfo"};
    unsigned ids[NUMA_MAX_NODES], n;
    bool absent;
    /* On the stack, not the heap: the read must not depend on (nor, in a process whose
     * first context met an allocation failure, stay marked by) the allocator. */
    char path[4096], what[64], text[FILE_MAX];
    if (!root) root = NUMA_SYSFS_ROOT;
    memset(t, 0, sizeof *t);
    kzg_status ret = list_nodes(ids, &n, root, &absent);
    if (ret == KZG_OK && absent) {
        numa_topology_fallback(t);
        return KZG_OK;
    }
    if (ret == KZG_OK && n == 0) ret = kzg_fail(KZG_ERR_LENGTH, "numa: %s has no nodeN directory", root);
    for (unsigned k = 0; ret == KZG_OK && k < n; k++) {
        numa_node *node = &t->node[k];
        node->id = ids[k];
        for (int f = 0; f < 2 && ret == KZG_OK; f++) {
            int w = snprintf(path, sizeof path, "%s/node%u/%s", root, ids[k], FILES[f]);
            if (w < 0 || (size_t)w >= sizeof path) {
                ret = kzg_fail(KZG_ERR_LENGTH, "numa: a node file's path is too long (%zu bytes at "
                               "most) under %s", sizeof path - 1, root);
                break;
            }
            if ((ret = read_small(text, FILE_MAX, path)) != KZG_OK) break;
            if (f == 0) {
                snprintf(what, sizeof what, "node%u/cpulist", ids[k]);
                ret = numa_cpulist_parse(&node->cpus, &node->n_cpus, text, what);
            } else {
                ret = parse_meminfo(&node->mem_bytes, text, path);
            }
        }
    }
    if (ret != KZG_OK) {
        numa_topology_fallback(t);
        return ret;
    }
    t->n_nodes = n;
    t->from_sysfs = true;
    qsort(t->node, n, sizeof t->node[0], cmp_node);
    return KZG_OK;
}

static numa_topology g_system;
static kzg_status g_system_status;
static char g_system_note[256];
static pthread_once_t g_system_once = PTHREAD_ONCE_INIT;

static void system_read(void) {
    g_system_status = numa_topology_read(&g_system, NULL);
    if (g_system_status != KZG_OK) {
        snprintf(g_system_note, sizeof g_system_note, "%s", kzg_last_error());
        kzg_clear_error(); /* a note for the contexts, not the failure of the caller's call */
    }
}

const numa_topology *numa_topology_override; /* numa.h: tests only */

const numa_topology *numa_topology_system(kzg_status *status, const char **note) {
    if (numa_topology_override) {
        if (status) *status = KZG_OK;
        if (note) *note = "";
        return numa_topology_override;
    }
    pthread_once(&g_system_once, system_read);
    if (status) *status = g_system_status;
    if (note) *note = g_system_note;
    return &g_system;
}

unsigned numa_nodes_with_cpus(const numa_topology *t) {
    unsigned n = 0;
    for (unsigned k = 0; k < t->n_nodes; k++) n += t->node[k].n_cpus > 0;
    return n;
}

/* ---- the planner ------------------------------------------------------------------------ */

static void no_placement(numa_plan *plan, unsigned threads, const char *why) {
    memset(plan, 0, sizeof *plan);
    plan->threads = threads;
    plan->why = why;
}

bool numa_plan_places(const numa_topology *t, unsigned threads, uint32_t policy, const char **why) {
    const char *w = NULL;
    if (policy == KZG_NUMA_OFF) w = "policy off";
    else if (threads <= 1) w = "caller only: no worker to place";
    else {
        unsigned used = numa_nodes_with_cpus(t);
        if (used == 0) w = "no node has CPUs";
        else if (policy != KZG_NUMA_ON && used < 2) w = "one node";
    }
    if (why) *why = w ? w : policy == KZG_NUMA_ON ? "policy on" : "policy auto, several nodes";
    return w == NULL;
}

kzg_status numa_plan_make(numa_plan *plan, const numa_topology *t, unsigned threads, uint32_t policy,
                          uint64_t table_bytes) {
    if (threads == 0) threads = 1;
    if (policy != KZG_NUMA_AUTO && policy != KZG_NUMA_OFF && policy != KZG_NUMA_ON) {
        no_placement(plan, threads, "bad policy");
        return kzg_fail(KZG_ERR_BAD_ARG, "numa = %u, expected KZG_NUMA_AUTO (0), KZG_NUMA_OFF (1) "
                        "or KZG_NUMA_ON (2)", policy);
    }
    if (threads > NUMA_MAX_THREADS) {
        no_placement(plan, threads, "too many threads");
        return kzg_fail(KZG_ERR_BAD_ARG, "numa: %u threads is above the limit %d", threads,
                        NUMA_MAX_THREADS);
    }
    const char *why;
    if (!numa_plan_places(t, threads, policy, &why)) {
        no_placement(plan, threads, why);
        return KZG_OK;
    }
    memset(plan, 0, sizeof *plan);
    plan->place = true;
    plan->why = why;
    plan->threads = threads;
    uint64_t total = 0;
    for (unsigned k = 0; k < t->n_nodes; k++) {
        if (!t->node[k].n_cpus) continue;
        plan->node[plan->n_nodes++] = t->node[k];
        total += t->node[k].n_cpus;
    }
    for (unsigned i = 0; i < threads; i++) {
        uint64_t pos = (2 * (uint64_t)i + 1) * total / (2 * (uint64_t)threads), cum = 0;
        unsigned k = 0;
        while (k + 1 < plan->n_nodes && pos >= cum + plan->node[k].n_cpus) cum += plan->node[k++].n_cpus;
        plan->thread_node[i] = (uint8_t)k;
    }
    plan->table_bytes = table_bytes;
    if (table_bytes == 0 || plan->n_nodes < 2) {
        plan->tables = NUMA_TABLES_SHARED;
    } else {
        uint64_t smallest = UINT64_MAX;
        for (unsigned k = 0; k < plan->n_nodes; k++)
            if (plan->node[k].mem_bytes < smallest) smallest = plan->node[k].mem_bytes;
        plan->tables = smallest && table_bytes <= smallest / NUMA_REPLICATE_SHARE
                           ? NUMA_TABLES_REPLICATE : NUMA_TABLES_INTERLEAVE;
    }
    return KZG_OK;
}

const char *numa_tables_name(numa_tables m) {
    return m == NUMA_TABLES_REPLICATE ? "replicate per node" : m == NUMA_TABLES_INTERLEAVE ? "interleave" : "shared";
}

void numa_plan_describe(char *buf, size_t buf_len, const numa_plan *plan) {
    if (!buf_len) return;
    if (!plan->place) {
        snprintf(buf, buf_len, "no placement (%s)", plan->why ? plan->why : "");
        return;
    }
    size_t len = 0;
#define PUT(...)                                                                    \
    do {                                                                            \
        int w_ = snprintf(buf + len, buf_len - len, __VA_ARGS__);                   \
        if (w_ < 0 || (size_t)w_ >= buf_len - len) return; /* truncated: it fits */ \
        len += (size_t)w_;                                                          \
    } while (0)
    PUT("%u node%s (%s):", plan->n_nodes, plan->n_nodes == 1 ? "" : "s", plan->why);
    for (unsigned k = 0; k < plan->n_nodes; k++) {
        char cpus[128];
        unsigned first = 0, count = 0;
        for (unsigned i = 0; i < plan->threads; i++)
            if (plan->thread_node[i] == k && count++ == 0) first = i;
        numa_cpulist_format(cpus, sizeof cpus, &plan->node[k].cpus);
        /* The planner gives each node a contiguous block of threads. */
        if (count == 0) PUT("%s node %u CPUs %s no thread", k ? "," : "", plan->node[k].id, cpus);
        else if (count == 1) PUT("%s node %u CPUs %s thread %u", k ? "," : "", plan->node[k].id, cpus, first);
        else PUT("%s node %u CPUs %s threads %u-%u", k ? "," : "", plan->node[k].id, cpus, first, first + count - 1);
    }
#undef PUT
}

/* mbind(2)'s constants (include/uapi/linux/mempolicy.h: kernel ABI, stable), here rather
 * than from <numaif.h>, which is libnuma's. */
#define MPOL_INTERLEAVE_ 3
#define MPOL_MF_MOVE_ (1u << 1)
#define MASK_WORD_BITS (8 * sizeof(unsigned long))

int numa_interleave(void *addr, size_t len, const numa_plan *plan, size_t *bytes) {
    if (bytes) *bytes = 0;
    unsigned long mask[(NUMA_MAX_NODES + MASK_WORD_BITS - 1) / MASK_WORD_BITS] = {0};
    if (!plan->place || plan->n_nodes == 0) return EINVAL;
    for (unsigned k = 0; k < plan->n_nodes; k++) {
        unsigned id = plan->node[k].id;
        if (id >= NUMA_MAX_NODES) return EINVAL;
        mask[id / MASK_WORD_BITS] |= 1ul << (id % MASK_WORD_BITS);
    }
#if defined(__linux__) && defined(SYS_mbind)
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0) return ENOSYS;
    uintptr_t lo = ((uintptr_t)addr + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t hi = ((uintptr_t)addr + len) & ~((uintptr_t)page - 1);
    if (hi <= lo) return 0; /* no whole page: nothing to place */
    /* maxnode counts the mask's bits plus one: the kernel reads maxnode - 1 of them. */
    if (syscall(SYS_mbind, (void *)lo, (unsigned long)(hi - lo), MPOL_INTERLEAVE_, mask,
                (unsigned long)NUMA_MAX_NODES + 1, MPOL_MF_MOVE_) != 0)
        return errno ? errno : EINVAL;
    if (bytes) *bytes = (size_t)(hi - lo);
    return 0;
#else
    (void)addr;
    (void)len;
    return ENOSYS;
#endif
}
