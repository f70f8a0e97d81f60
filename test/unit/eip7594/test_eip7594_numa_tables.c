/*
 * test_eip7594_numa_tables — the large fixed-base tables placed as a context's NUMA plan
 * says (setup/place.c), on this one-node machine:
 *  - AUTO on the real topology (one node here): no copies, not one byte more than an OFF
 *    context, the line says no placement;
 *  - a fake two-node topology (node 0 = CPU 0, node 1 = CPU 1, ample memory) with
 *    KZG_NUMA_ON and 4 threads (0 0 | 1 1): the Lagrange table (table_window 12) and the FK20
 *    table (eip7594_table_bits 8) replicated, 2 copies byte-identical to an unplaced
 *    context's table, each written by the first worker of its node (on that node's CPU
 *    when the pins held), every MSM task reading the copy of its thread's node (the msm
 *    layer's read hook), commitments, proofs, batch verification and cells with proofs
 *    byte-identical to the unplaced context, the allocation accounting up by exactly one
 *    table per table (the copies replace the original) and back to zero after the free;
 *  - a copy that cannot be allocated: the tables stay shared, the line says why, the
 *    results are the same and nothing leaks;
 *  - the fake nodes with little memory (interleave): nodes 0 and 1 interleaved (the kernel
 *    keeps the nodes it has), nodes 1 and 2 refused by mbind (this machine has neither): the
 *    tables stay shared and the line names the refusal; the same results either way.
 * Under ThreadSanitizer (make tsan runs every *numa* test) the FK20 table is left out: its
 * build alone would take minutes there.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "kzgkit/eip4844.h"
#include "kzgkit/eip7594.h"
#include "runtime/numa.h"
#include "setup/setup.h"
#include "testblob.h"
#include "testrand.h"

#if defined(__SANITIZE_THREAD__)
#define FK20_BITS 0
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FK20_BITS 0
#endif
#endif
#ifndef FK20_BITS
#define FK20_BITS 8
#endif
#define WINDOW 12

enum { NB = 4 };

static kzg_blob *blobs;

/* ---- an allocator that can fail the n-th allocation of one size ---------------------- */

static _Atomic size_t fail_size = 0;
static _Atomic long fail_nth = -1, seen_of_size = 0, live_blocks = 0;

/* A block of `fail_size` payload bytes, as kzgkit's allocator asks for it (its header and
 * alignment padding on top: well under 64 bytes). */
static bool is_fail_size(size_t size) { return fail_size && size >= fail_size && size < fail_size + 64; }

static void *t_malloc(size_t size, void *user) {
    (void)user;
    if (is_fail_size(size) && seen_of_size++ == fail_nth) return NULL;
    void *p = malloc(size);
    if (p) live_blocks++;
    return p;
}

static void t_free(void *p, void *user) {
    (void)user;
    if (p) {
        live_blocks--;
        free(p);
    }
}

static uint64_t live_bytes(void) {
    kzg_alloc_stats s;
    kzg_alloc_stats_get(&s);
    return s.live_bytes;
}

/* ---- results ---------------------------------------------------------------------------- */

typedef struct results {
    kzg_commitment c[NB];
    kzg_proof p[NB];
    bool ok, ok_bad;
    kzg_proof cell_proofs[KZG_CELLS_PER_EXT_BLOB];
} results;

static kzg_cell cells[KZG_CELLS_PER_EXT_BLOB];

static void run(results *r, const kzg_ctx *ctx, const char *name) {
    memset(r, 0, sizeof *r);
    CHECK(kzg_blob_to_kzg_commitment_batch(ctx, r->c, blobs, NB) == KZG_OK, "%s: commit: %s", name,
          kzg_last_error());
    for (size_t i = 0; i < NB; i++)
        CHECK(kzg_compute_blob_kzg_proof(ctx, &r->p[i], &blobs[i], &r->c[i]) == KZG_OK, "%s: prove %zu", name, i);
    kzg_commitment one;
    CHECK(kzg_blob_to_kzg_commitment(ctx, &one, &blobs[0]) == KZG_OK && memcmp(&one, &r->c[0], sizeof one) == 0,
          "%s: single commitment", name);
    CHECK(kzg_verify_blob_kzg_proof_batch(ctx, &r->ok, blobs, r->c, r->p, NB) == KZG_OK && r->ok,
          "%s: batch does not verify: %s", name, kzg_last_error());
    kzg_proof swapped[NB];
    memcpy(swapped, r->p, sizeof swapped);
    swapped[0] = r->p[1];
    swapped[1] = r->p[0];
    CHECK(kzg_verify_blob_kzg_proof_batch(ctx, &r->ok_bad, blobs, r->c, swapped, NB) == KZG_OK && !r->ok_bad,
          "%s: swapped proofs verify", name);
    CHECK(kzg_compute_cells_and_kzg_proofs(ctx, cells, r->cell_proofs, &blobs[1]) == KZG_OK,
          "%s: cells: %s", name, kzg_last_error());
}

static kzg_ctx *ctx_with(uint32_t threads, uint32_t numa, uint32_t window, uint32_t fk20_bits) {
    kzg_ctx *c = NULL;
    kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
    o.threads = threads;
    o.numa = numa;
    o.table_window = window;
    o.eip7594_table_bits = fk20_bits;
    CHECK(kzg_ctx_new(&c, &o) == KZG_OK && c, "threads %u numa %u: %s", threads, numa, kzg_last_error());
    return c;
}

static const setup_fk20 *fk20_of(const kzg_ctx *c) {
    return atomic_load_explicit(&((kzg_ctx *)c)->fk20, memory_order_acquire);
}

static size_t tables_size(const kzg_ctx *c) {
    size_t b = c->lagrange_table ? msm_table_bytes(c->lagrange_table) : 0;
    const setup_fk20 *f = fk20_of(c);
    if (f && f->fixed) b += msm_table_bytes(f->fixed);
    return b;
}

/* ---- the read hook: which copy each task read, on which thread and CPU ---------------- */

enum { MAX_READS = 4096 };
typedef struct read_rec {
    const msm_table *t;
    const g1_aff_t *entries;
    unsigned thread;
    int cpu;
} read_rec;
static pthread_mutex_t reads_lock = PTHREAD_MUTEX_INITIALIZER;
static read_rec reads[MAX_READS];
static size_t n_reads;

static void record_read(const msm_table *t, const g1_aff_t *entries, unsigned thread) {
    int cpu = sched_getcpu();
    pthread_mutex_lock(&reads_lock);
    if (n_reads < MAX_READS) reads[n_reads++] = (read_rec){t, entries, thread, cpu};
    pthread_mutex_unlock(&reads_lock);
}

/* ---- the fake machine ------------------------------------------------------------------ */

static numa_topology fake;

/* Two nodes with ids first and first + 1, on CPUs 0 and 1. */
static void fake_two_nodes(uint64_t mem_each, unsigned first) {
    memset(&fake, 0, sizeof fake);
    fake.n_nodes = 2;
    fake.from_sysfs = true;
    for (unsigned k = 0; k < 2; k++) {
        fake.node[k].id = first + k;
        fake.node[k].n_cpus = 1;
        fake.node[k].mem_bytes = mem_each;
        fake.node[k].cpus.bits[0] = (uint64_t)1 << k;
    }
    numa_topology_override = &fake;
}

static results ref;
static kzg_ctx *plain; /* two threads, OFF: the unplaced tables and results */
static uint64_t plain_growth;

static void test_numa_tables__auto_one_node_makes_no_copy(void) {
    if (numa_nodes_with_cpus(numa_topology_system(NULL, NULL)) != 1) {
        printf("test_eip7594_numa_tables: this machine has several nodes: the one-node check is skipped\n");
        return;
    }
    uint64_t before = live_bytes();
    kzg_ctx *c = ctx_with(2, KZG_NUMA_AUTO, WINDOW, 0);
    if (!c) return;
    uint64_t grew = live_bytes() - before;
    char buf[512];
    CHECK(kzg_ctx_numa_info(c, buf, sizeof buf) == KZG_OK &&
          strcmp(buf, "policy auto: no placement (one node)") == 0, "AUTO: '%s'", buf);
    CHECK(c->numa_tables == NUMA_TABLES_SHARED && c->lagrange_table->ncopies == 0, "AUTO made copies");
    kzg_ctx_free(c);
    before = live_bytes();
    kzg_ctx *off = ctx_with(2, KZG_NUMA_OFF, WINDOW, 0);
    if (!off) return;
    CHECK(live_bytes() - before == grew, "AUTO holds %llu bytes, OFF %llu", (unsigned long long)grew,
          (unsigned long long)(live_bytes() - before));
    kzg_ctx_free(off);
    /* ON on the one real node: placed workers, tables shared (one node). */
    c = ctx_with(2, KZG_NUMA_ON, WINDOW, 0);
    if (!c) return;
    CHECK(kzg_ctx_numa_info(c, buf, sizeof buf) == KZG_OK && strstr(buf, "; tables: shared (one node)"),
          "ON one node: '%s'", buf);
    CHECK(c->lagrange_table->ncopies == 0, "ON one node made copies");
    kzg_ctx_free(c);
}

static void test_numa_tables__replicated_on_two_fake_nodes(void) {
    fake_two_nodes(8ull << 30, 0);
    uint64_t before = live_bytes();
    kzg_ctx *c = ctx_with(4, KZG_NUMA_ON, WINDOW, FK20_BITS);
    numa_topology_override = NULL;
    if (!c) return;
    uint64_t grew = live_bytes() - before;
    char buf[512], want[128];
    CHECK(kzg_ctx_numa_info(c, buf, sizeof buf) == KZG_OK, "info");
    printf("test_eip7594_numa_tables: %s\n", buf);
    snprintf(want, sizeof want, "; tables: replicated on 2 nodes (2 copies, %.1f MiB each)",
             (double)tables_size(c) / (1 << 20));
    CHECK(strstr(buf, want) != NULL, "line '%s', want '%s'", buf, want);
    bool pinned = strstr(buf, "pinned 3 of 3 workers") != NULL;
    CHECK(c->numa_tables == NUMA_TABLES_REPLICATE && c->numa_copies == 2, "applied %d, %u copies", c->numa_tables,
          c->numa_copies);
    /* Threads 0 0 | 1 1: node 0's copy written by worker 1, node 1's by worker 2. */
    CHECK(c->numa_copy_writer[0] == 1 && c->numa_copy_writer[1] == 2, "writers %u %u", c->numa_copy_writer[0],
          c->numa_copy_writer[1]);
    if (pinned)
        CHECK(c->numa_copy_cpu[0] == 0 && c->numa_copy_cpu[1] == 1, "written on CPUs %d %d", c->numa_copy_cpu[0],
              c->numa_copy_cpu[1]);
    const msm_table *tabs[2] = {c->lagrange_table, FK20_BITS ? fk20_of(c)->fixed : NULL};
    const msm_table *refs[2] = {plain->lagrange_table, FK20_BITS ? fk20_of(plain)->fixed : NULL};
    static const uint8_t COPY_OF[4] = {0, 0, 1, 1};
    for (int x = 0; x < 2; x++) {
        const msm_table *t = tabs[x];
        if (!t) continue;
        CHECK(t->ncopies == 2 && t->nthreads == 4 && memcmp(t->copy_of, COPY_OF, 4) == 0, "table %d copies", x);
        CHECK(t->entries == t->copies[0] && t->copies[0] != t->copies[1], "table %d: copy pointers", x);
        for (unsigned k = 0; k < t->ncopies; k++)
            CHECK(memcmp(t->copies[k], refs[x]->entries, msm_table_bytes(t)) == 0, "table %d copy %u differs", x, k);
    }
    /* The copies replace the original: one table more per table than unplaced, plus a few
     * bytes of bookkeeping (the pointers, the thread map, the longer line). */
    uint64_t extra = grew - plain_growth, tb = tables_size(c);
    CHECK(grew >= plain_growth && extra >= tb && extra < tb + 2048, "placed context holds %llu bytes more than "
          "an unplaced one, the tables are %llu", (unsigned long long)extra, (unsigned long long)tb);

    results r;
    n_reads = 0;
    msm_table_read_hook = record_read;
    run(&r, c, "replicated");
    /* More commitments until a worker of node 1 has had a task (they race the caller for
     * chunks; under load one may sleep through a few). */
    bool node1 = false;
    for (int round = 0; round < 50 && !node1; round++) {
        kzg_commitment cs[NB];
        CHECK(kzg_blob_to_kzg_commitment_batch(c, cs, blobs, NB) == KZG_OK, "commit");
        pthread_mutex_lock(&reads_lock);
        for (size_t i = 0; i < n_reads; i++) node1 |= reads[i].thread >= 2;
        pthread_mutex_unlock(&reads_lock);
    }
    msm_table_read_hook = NULL;
    CHECK(memcmp(&r, &ref, sizeof r) == 0, "replicated tables: results differ from the unplaced context");
    CHECK(node1, "no task ran on a thread of node 1 in %zu reads", n_reads);
    size_t wrong = 0, off_cpu = 0, lag = 0, fk = 0;
    for (size_t i = 0; i < n_reads; i++) {
        const read_rec *e = &reads[i];
        unsigned node = e->thread < 4 ? COPY_OF[e->thread] : 0;
        wrong += e->entries != e->t->copies[node];
        off_cpu += pinned && e->thread > 0 && e->cpu != (int)node;
        lag += e->t == c->lagrange_table;
        fk += e->t != c->lagrange_table;
    }
    CHECK(n_reads > 0 && wrong == 0, "%zu of %zu reads not from the thread's node's copy", wrong, n_reads);
    CHECK(off_cpu == 0, "%zu reads by a pinned worker off its node's CPU", off_cpu);
    CHECK(lag > 0 && (FK20_BITS == 0 || fk > 0), "reads: %zu Lagrange, %zu FK20", lag, fk);
    printf("test_eip7594_numa_tables: %zu table reads checked (%zu Lagrange, %zu FK20)\n", n_reads, lag, fk);
    kzg_ctx_free(c);
    CHECK(live_bytes() == before, "after the free: %lld bytes still live",
          (long long)(live_bytes() - before));
}

static void test_numa_tables__copy_not_allocated_stays_shared(void) {
    size_t tb = (size_t)SETUP_N_G1 * msm_table_windows(WINDOW) * sizeof(g1_aff_t);
    /* Allocation 0 of the table's size is the table; 1 and 2 its copies (then the FK20
     * table's, of another size). Failing the second copy frees the first. */
    for (long nth = 1; nth <= 2; nth++) {
        fake_two_nodes(8ull << 30, 0);
        uint64_t before = live_bytes();
        long blocks = live_blocks;
        seen_of_size = 0;
        fail_nth = nth;
        fail_size = tb;
        kzg_ctx *c = ctx_with(2, KZG_NUMA_ON, WINDOW, 0);
        fail_size = 0;
        numa_topology_override = NULL;
        if (!c) continue;
        char buf[512], want[128];
        CHECK(kzg_ctx_numa_info(c, buf, sizeof buf) == KZG_OK, "info");
        snprintf(want, sizeof want, "; tables: shared (a copy of %zu bytes could not be allocated)", tb);
        CHECK(strstr(buf, want) != NULL, "copy %ld failing: '%s'", nth, buf);
        CHECK(c->numa_tables == NUMA_TABLES_SHARED && c->lagrange_table->ncopies == 0, "copy %ld failing: copies",
              nth);
        results r;
        run(&r, c, "copy failed");
        CHECK(memcmp(r.c, ref.c, sizeof r.c) == 0 && memcmp(r.p, ref.p, sizeof r.p) == 0,
              "copy %ld failing: results differ", nth);
        kzg_ctx_free(c);
        CHECK(live_bytes() == before && live_blocks == blocks, "copy %ld failing: %lld bytes leaked", nth,
              (long long)(live_bytes() - before));
    }
}

/* Interleaving: the kernel takes a node mask as long as one of its nodes has memory (it
 * keeps those), so nodes 0 and 1 are accepted on a one-node machine (node 1 dropped: the
 * pages stay on node 0) and nodes 1 and 2 are refused (EINVAL; EPERM or ENOSYS where mbind
 * itself is not allowed). Either way the results are the same and nothing is copied. */
static void interleave_case(unsigned first) {
    /* 64 MiB a node: the tables take more than 1/16 of it, so the plan interleaves. */
    fake_two_nodes(64ull << 20, first);
    uint64_t before = live_bytes();
    kzg_ctx *c = ctx_with(2, KZG_NUMA_ON, WINDOW, 0);
    numa_topology_override = NULL;
    if (!c) return;
    uint64_t grew = live_bytes() - before;
    char buf[512], want[128];
    CHECK(kzg_ctx_numa_info(c, buf, sizeof buf) == KZG_OK, "info");
    printf("test_eip7594_numa_tables: %s\n", buf);
    bool one_node = numa_nodes_with_cpus(numa_topology_system(NULL, NULL)) == 1;
    if (first == 1 && one_node) {
        CHECK(strstr(buf, "; tables: shared (interleaving over nodes 1,2 refused: mbind: ") != NULL, "'%s'", buf);
        CHECK(c->numa_tables == NUMA_TABLES_SHARED, "applied %d", c->numa_tables);
    } else {
        snprintf(want, sizeof want, "; tables: interleaved over nodes %u,%u", first, first + 1);
        bool done = strstr(buf, want) != NULL;
        CHECK(done || strstr(buf, "refused: mbind: "), "'%s'", buf);
        CHECK(c->numa_tables == (done ? NUMA_TABLES_INTERLEAVE : NUMA_TABLES_SHARED), "applied %d", c->numa_tables);
    }
    CHECK(c->lagrange_table->ncopies == 0, "interleave made copies");
    CHECK(grew >= plain_growth && grew - plain_growth < 2048, "interleave holds %lld bytes more than unplaced",
          (long long)(grew - plain_growth));
    results r;
    run(&r, c, "interleave");
    CHECK(memcmp(r.c, ref.c, sizeof r.c) == 0 && memcmp(r.p, ref.p, sizeof r.p) == 0, "interleave: results differ");
    kzg_ctx_free(c);
    CHECK(live_bytes() == before, "interleave: leaked");
}

static void test_numa_tables__interleave_applied_or_refused(void) {
    interleave_case(0);
    interleave_case(1);
}

int main(void) {
    testrand_init("test_eip7594_numa_tables");
    kzg_allocator a = {t_malloc, t_free, NULL};
    if (kzg_set_allocator(&a) != KZG_OK) return 1;
    blobs = calloc(NB, sizeof *blobs);
    if (!blobs) return 1;
    for (size_t i = 0; i < NB; i++) testrand_blob(&blobs[i], false);
    /* What the first context and the first operations set up once per process (and keep),
     * before anything is counted. */
    kzg_ctx *warm = ctx_with(2, KZG_NUMA_OFF, 0, 0);
    if (!warm) return test_report();
    run(&ref, warm, "warm-up");
    kzg_ctx_free(warm);
    uint64_t base = live_bytes(), before = base;
    plain = ctx_with(2, KZG_NUMA_OFF, WINDOW, FK20_BITS);
    if (!plain) return test_report();
    plain_growth = live_bytes() - before;
    run(&ref, plain, "unplaced");
    test_numa_tables__auto_one_node_makes_no_copy();
    test_numa_tables__replicated_on_two_fake_nodes();
    /* The cases below build the Lagrange table alone: compare against that. */
    kzg_ctx *lagrange_only = NULL;
    before = live_bytes();
    if ((lagrange_only = ctx_with(2, KZG_NUMA_OFF, WINDOW, 0)) != NULL) {
        uint64_t full = plain_growth;
        plain_growth = live_bytes() - before;
        results r;
        run(&r, lagrange_only, "unplaced, Lagrange table only");
        CHECK(memcmp(&r, &ref, sizeof r) == 0, "results differ with and without the FK20 table");
        kzg_ctx_free(lagrange_only);
        test_numa_tables__copy_not_allocated_stays_shared();
        test_numa_tables__interleave_applied_or_refused();
        plain_growth = full;
    }
    kzg_ctx_free(plain);
    CHECK(live_bytes() == base, "%lld bytes live at the end", (long long)(live_bytes() - base));
    free(blobs);
    return test_report();
}
