/*
 * test_numa — the NUMA topology reader and the placement planner (runtime/numa.h), and the
 * pool's application of a plan (runtime/pool.h), without a multi-node machine.
 *
 * A fake sysfs tree (two nodes with CPUs, a memory-only node between them, and the noise a
 * real tree has) is read and checked field by field; its plan is checked thread by thread
 * for 1, 2, 3, 4 and 8 threads under each policy; malformed trees and CPU lists get their
 * specific statuses and the one-node fallback. On this machine: the real topology reads,
 * AUTO places nothing on one node, and a pool placed by an ON plan pins its workers (checked
 * with sched_getcpu on a one-CPU node), keeps every worker, unpinned, when the node lies
 * outside the process's CPUs or the system refuses (a hook in place of
 * pthread_setaffinity_np), and narrows the creating thread's CPU mask, never widens it.
 * pool_run_each runs once on every thread; numa_interleave (mbind) over node 0 is applied
 * (or refused where mbind is not allowed), over nodes this machine lacks refused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/numa.h"
#include "runtime/pool.h"
#include "testrand.h"

static char root[256];

static void put_file(const char *rel, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL, "cannot write %s", path);
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

static void put_dir(const char *rel) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    CHECK(mkdir(path, 0700) == 0 || errno == EEXIST, "mkdir %s", path);
}

static void rm_tree(void) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0) fprintf(stderr, "test_numa: could not remove %s\n", root);
}

/* node0: CPUs 0-3, 8 GiB; node1: memory only, 2 GiB; node2: CPUs 4-7, 4 GiB; and entries
 * that are not nodes. */
static void fake_two_nodes(void) {
    rm_tree();
    CHECK(mkdir(root, 0700) == 0, "mkdir %s", root);
    put_dir("node0");
    put_dir("node1");
    put_dir("node2");
    put_dir("node");
    put_dir("nodeX");
    put_dir("power");
    put_file("possible", "0-2\n");
    put_file("has_cpu", "0,2\n");
    put_file("node0/cpulist", "0-3\n");
    put_file("node0/meminfo", "Node 0 MemTotal:        8388608 kB\nNode 0 MemFree:  1 kB\n");
    put_file("node1/cpulist", "\n");
    put_file("node1/meminfo", "Node 1 MemTotal:        2097152 kB\n");
    put_file("node2/cpulist", "4-7\n");
    put_file("node2/meminfo", "Node 2 MemTotal:        4194304 kB\n");
}

static void check_fallback(const numa_topology *t, const char *what) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    CHECK(t->n_nodes == 1 && !t->from_sysfs, "%s: not the fallback", what);
    CHECK(t->node[0].id == 0 && (long)t->node[0].n_cpus == cpus, "%s: fallback has %u CPUs, %ld online",
          what, t->node[0].n_cpus, cpus);
}

static void test_numa_cpulist__parses_and_rejects(void) {
    static const struct { const char *text; unsigned count; const char *fmt; } good[] = {
        {"", 0, ""}, {"\n", 0, ""}, {"0", 1, "0"}, {"0-3\n", 4, "0-3"}, {"0-3,8,10-11", 7, "0-3,8,10-11"},
        {"5,1", 2, "1,5"}, {"2-2", 1, "2"}, {"1023", 1, "1023"}, {"0-1023", 1024, "0-1023"}};
    for (size_t i = 0; i < KZG_ARRAY_LEN(good); i++) {
        numa_cpuset s;
        unsigned n = 99;
        char buf[64];
        CHECK(numa_cpulist_parse(&s, &n, good[i].text, "t") == KZG_OK, "'%s': %s", good[i].text, kzg_last_error());
        CHECK(n == good[i].count && numa_cpuset_count(&s) == n, "'%s': count %u", good[i].text, n);
        numa_cpulist_format(buf, sizeof buf, &s);
        CHECK(strcmp(buf, good[i].fmt) == 0, "'%s' formats as '%s'", good[i].text, buf);
    }
    static const struct { const char *text; kzg_status st; const char *detail; } bad[] = {
        {"a", KZG_ERR_BAD_ARG, "byte 0"},        {"0-", KZG_ERR_BAD_ARG, "end of a range"},
        {"3-1", KZG_ERR_BAD_ARG, "reversed"},     {"0,,1", KZG_ERR_BAD_ARG, "byte 2"},
        {"0-3,", KZG_ERR_BAD_ARG, "comma"},       {"0 1", KZG_ERR_BAD_ARG, "0x20"},
        {"0\n\n", KZG_ERR_BAD_ARG, "0x0a"},       {"-1", KZG_ERR_BAD_ARG, "byte 0"},
        {"1024", KZG_ERR_LENGTH, "above the limit"}, {"0-99999", KZG_ERR_LENGTH, "99999"},
        {"1234567890", KZG_ERR_BAD_ARG, "9 digits"}, {"0;1", KZG_ERR_BAD_ARG, "0x3b"}};
    for (size_t i = 0; i < KZG_ARRAY_LEN(bad); i++) {
        numa_cpuset s;
        unsigned n = 99;
        kzg_status st = numa_cpulist_parse(&s, &n, bad[i].text, "node7/cpulist");
        CHECK(st == bad[i].st && n == 0, "'%s': status %d", bad[i].text, (int)st);
        CHECK(strstr(kzg_last_error(), bad[i].detail) && strstr(kzg_last_error(), "node7/cpulist"),
              "'%s': detail '%s'", bad[i].text, kzg_last_error());
    }
    /* A cut when the buffer is short. */
    numa_cpuset s;
    unsigned n;
    char small[8];
    CHECK(numa_cpulist_parse(&s, &n, "0,2,4,6,8,10,12", "t") == KZG_OK, "parse");
    numa_cpulist_format(small, sizeof small, &s);
    CHECK(strcmp(small, "0,2,...") == 0, "cut: '%s'", small);
}

static void test_numa_topology__reads_fake_two_nodes(void) {
    numa_topology t;
    fake_two_nodes();
    CHECK(numa_topology_read(&t, root) == KZG_OK, "read: %s", kzg_last_error());
    CHECK(t.from_sysfs && t.n_nodes == 3, "nodes %u", t.n_nodes);
    static const unsigned ids[3] = {0, 1, 2}, cpus[3] = {4, 0, 4};
    static const uint64_t mem[3] = {8ull << 30, 2ull << 30, 4ull << 30};
    for (unsigned k = 0; k < 3 && k < t.n_nodes; k++) {
        CHECK(t.node[k].id == ids[k], "node %u: id %u", k, t.node[k].id);
        CHECK(t.node[k].n_cpus == cpus[k], "node %u: %u CPUs", k, t.node[k].n_cpus);
        CHECK(t.node[k].mem_bytes == mem[k], "node %u: %llu bytes", k, (unsigned long long)t.node[k].mem_bytes);
        for (unsigned c = 0; c < 16; c++)
            CHECK(numa_cpuset_has(&t.node[k].cpus, c) == (cpus[k] && c / 4 == (k ? 1u : 0u) && c < 8),
                  "node %u CPU %u", k, c);
    }
    CHECK(numa_nodes_with_cpus(&t) == 2, "nodes with CPUs");
    /* A meminfo without MemTotal: memory unknown (0), not an error. */
    put_file("node2/meminfo", "Node 2 MemFree: 5 kB\n");
    CHECK(numa_topology_read(&t, root) == KZG_OK && t.node[2].mem_bytes == 0, "no MemTotal");
}

/* Each malformed variant of the fake tree: its status, a detail naming the file, and the
 * fallback topology for a caller that carries on. */
static void test_numa_topology__malformed_trees(void) {
    static const struct { const char *file, *text; kzg_status st; const char *detail; } bad[] = {
        {"node2/cpulist", "4-x\n", KZG_ERR_BAD_ARG, "node2/cpulist"},
        {"node2/cpulist", "7-4\n", KZG_ERR_BAD_ARG, "reversed"},
        {"node2/cpulist", "4-2000\n", KZG_ERR_LENGTH, "above the limit"},
        {"node0/meminfo", "Node 0 MemTotal: lots\n", KZG_ERR_BAD_ARG, "MemTotal"},
        {"node0/meminfo", "Node 0 MemTotal: 12 MB\n", KZG_ERR_BAD_ARG, "kB"},
        {"node0/meminfo", "Node 0 MemTotal: 1234567890123456 kB\n", KZG_ERR_LENGTH, "15 digits"},
        {NULL, NULL, KZG_ERR_IO, "node2/cpulist"}, /* a missing cpulist */
    };
    for (size_t i = 0; i < KZG_ARRAY_LEN(bad); i++) {
        numa_topology t;
        fake_two_nodes();
        if (bad[i].file) {
            put_file(bad[i].file, bad[i].text);
        } else {
            char p[512];
            snprintf(p, sizeof p, "%s/node2/cpulist", root);
            CHECK(unlink(p) == 0, "unlink");
        }
        kzg_status st = numa_topology_read(&t, root);
        CHECK(st == bad[i].st, "variant %zu: status %d, want %d (%s)", i, (int)st, (int)bad[i].st, kzg_last_error());
        CHECK(strstr(kzg_last_error(), bad[i].detail) != NULL, "variant %zu: detail '%s'", i, kzg_last_error());
        check_fallback(&t, "malformed");
    }
    /* A file longer than the reader's buffer: an error, not a truncation. */
    {
        numa_topology t;
        fake_two_nodes();
        char *big = malloc(20000);
        if (big) {
            memset(big, ' ', 19999);
            big[19999] = '\0';
            memcpy(big, "Node 0 MemTotal: 1 kB", 21);
            put_file("node0/meminfo", big);
            free(big);
        }
        CHECK(numa_topology_read(&t, root) == KZG_ERR_IO && strstr(kzg_last_error(), "longer than"),
              "long file: %s", kzg_last_error());
    }
    /* A directory without any nodeN: KZG_ERR_LENGTH; no directory at all: the fallback, OK. */
    numa_topology t;
    rm_tree();
    CHECK(mkdir(root, 0700) == 0, "mkdir");
    CHECK(numa_topology_read(&t, root) == KZG_ERR_LENGTH && strstr(kzg_last_error(), "no nodeN"),
          "empty: %s", kzg_last_error());
    rm_tree();
    CHECK(numa_topology_read(&t, root) == KZG_OK, "absent root: %s", kzg_last_error());
    check_fallback(&t, "absent root");
    /* More nodes than the bound. */
    CHECK(mkdir(root, 0700) == 0, "mkdir");
    for (int k = 0; k <= NUMA_MAX_NODES; k++) {
        char d[32];
        snprintf(d, sizeof d, "node%d", k);
        put_dir(d);
    }
    CHECK(numa_topology_read(&t, root) == KZG_ERR_LENGTH && strstr(kzg_last_error(), "more than"),
          "too many nodes: %s", kzg_last_error());
}

/* thread_node of the plans of the fake tree (two 4-CPU nodes, ids 0 and 2) per thread count. */
static void test_numa_plan__two_nodes_each_policy(void) {
    numa_topology t;
    fake_two_nodes();
    CHECK(numa_topology_read(&t, root) == KZG_OK, "read: %s", kzg_last_error());
    static const struct { unsigned threads; uint8_t node[8]; } want[] = {
        {2, {0, 1}}, {3, {0, 1, 1}}, {4, {0, 0, 1, 1}}, {8, {0, 0, 0, 0, 1, 1, 1, 1}}};
    static const uint32_t policies[3] = {KZG_NUMA_AUTO, KZG_NUMA_OFF, KZG_NUMA_ON};
    for (int pi = 0; pi < 3; pi++) {
        uint32_t pol = policies[pi];
        numa_plan plan;
        /* 1 thread: nothing to place whatever the policy. */
        CHECK(numa_plan_make(&plan, &t, 1, pol, 0) == KZG_OK && !plan.place && plan.threads == 1,
              "policy %u, 1 thread", pol);
        CHECK(numa_plan_make(&plan, &t, 0, pol, 0) == KZG_OK && !plan.place && plan.threads == 1,
              "policy %u, 0 threads", pol);
        for (size_t w = 0; w < KZG_ARRAY_LEN(want); w++) {
            unsigned T = want[w].threads;
            CHECK(numa_plan_make(&plan, &t, T, pol, 0) == KZG_OK, "policy %u T %u", pol, T);
            if (pol == KZG_NUMA_OFF) {
                CHECK(!plan.place && strcmp(plan.why, "policy off") == 0 && plan.n_nodes == 0,
                      "OFF T %u placed", T);
                continue;
            }
            CHECK(plan.place && plan.threads == T && plan.n_nodes == 2, "policy %u T %u: place %d nodes %u",
                  pol, T, plan.place, plan.n_nodes);
            CHECK(plan.node[0].id == 0 && plan.node[1].id == 2, "memory-only node1 skipped");
            CHECK(plan.node[0].n_cpus == 4 && numa_cpuset_has(&plan.node[1].cpus, 4) &&
                  !numa_cpuset_has(&plan.node[1].cpus, 3), "node CPU sets copied");
            CHECK(plan.tables == NUMA_TABLES_SHARED && plan.table_bytes == 0, "no tables");
            for (unsigned i = 0; i < T; i++)
                CHECK(plan.thread_node[i] == want[w].node[i], "policy %u T %u: thread %u on %u, want %u",
                      pol, T, i, plan.thread_node[i], want[w].node[i]);
        }
    }
    /* The line that kzg_ctx_numa_info shows. */
    numa_plan plan;
    char line[256];
    CHECK(numa_plan_make(&plan, &t, 3, KZG_NUMA_AUTO, 0) == KZG_OK, "plan");
    numa_plan_describe(line, sizeof line, &plan);
    CHECK(strcmp(line, "2 nodes (policy auto, several nodes): node 0 CPUs 0-3 thread 0, node 2 "
                       "CPUs 4-7 threads 1-2") == 0, "line '%s'", line);
    CHECK(numa_plan_make(&plan, &t, 4, KZG_NUMA_OFF, 0) == KZG_OK, "plan");
    numa_plan_describe(line, sizeof line, &plan);
    CHECK(strcmp(line, "no placement (policy off)") == 0, "line '%s'", line);
    /* Tables: replicated when small next to the smallest used node (4 GiB / 16 = 256 MiB),
     * interleaved above; the plan's line leaves them to the context (what it applied). */
    CHECK(numa_plan_make(&plan, &t, 2, KZG_NUMA_AUTO, 256ull << 20) == KZG_OK &&
          plan.tables == NUMA_TABLES_REPLICATE, "256 MiB: %d", plan.tables);
    numa_plan_describe(line, sizeof line, &plan);
    CHECK(strstr(line, "tables") == NULL, "line '%s'", line);
    CHECK(strcmp(numa_tables_name(plan.tables), "replicate per node") == 0, "name");
    CHECK(numa_plan_make(&plan, &t, 2, KZG_NUMA_AUTO, (256ull << 20) + 1) == KZG_OK &&
          plan.tables == NUMA_TABLES_INTERLEAVE, "256 MiB + 1: %d", plan.tables);
    /* Unknown memory: never replicate. */
    t.node[2].mem_bytes = 0;
    CHECK(numa_plan_make(&plan, &t, 2, KZG_NUMA_AUTO, 1) == KZG_OK && plan.tables == NUMA_TABLES_INTERLEAVE,
          "unknown memory");
    /* Bad arguments. */
    CHECK(numa_plan_make(&plan, &t, 2, 3, 0) == KZG_ERR_BAD_ARG && !plan.place &&
          strstr(kzg_last_error(), "numa = 3"), "policy 3: %s", kzg_last_error());
    CHECK(numa_plan_make(&plan, &t, NUMA_MAX_THREADS + 1, KZG_NUMA_ON, 0) == KZG_ERR_BAD_ARG && !plan.place,
          "too many threads");
    CHECK(numa_plan_make(&plan, &t, NUMA_MAX_THREADS, KZG_NUMA_ON, 0) == KZG_OK && plan.place &&
          plan.thread_node[0] == 0 && plan.thread_node[NUMA_MAX_THREADS - 1] == 1, "256 threads");
}

/* Unequal nodes share threads in proportion to their CPUs; one node: AUTO places nothing,
 * ON places every thread there and keeps the tables shared. */
static void test_numa_plan__proportions_and_one_node(void) {
    numa_topology t;
    memset(&t, 0, sizeof t);
    t.n_nodes = 2;
    t.node[0].id = 0;
    CHECK(numa_cpulist_parse(&t.node[0].cpus, &t.node[0].n_cpus, "0-5", "t") == KZG_OK, "parse");
    t.node[1].id = 1;
    CHECK(numa_cpulist_parse(&t.node[1].cpus, &t.node[1].n_cpus, "6-7", "t") == KZG_OK, "parse");
    numa_plan plan;
    CHECK(numa_plan_make(&plan, &t, 4, KZG_NUMA_AUTO, 0) == KZG_OK && plan.place, "6+2 plan");
    static const uint8_t w4[4] = {0, 0, 0, 1};
    for (unsigned i = 0; i < 4; i++) CHECK(plan.thread_node[i] == w4[i], "6+2 T 4: thread %u on %u", i, plan.thread_node[i]);

    t.n_nodes = 1;
    CHECK(numa_plan_make(&plan, &t, 4, KZG_NUMA_AUTO, 1 << 20) == KZG_OK && !plan.place &&
          strcmp(plan.why, "one node") == 0, "one node AUTO");
    CHECK(numa_plan_make(&plan, &t, 4, KZG_NUMA_ON, 1 << 20) == KZG_OK && plan.place && plan.n_nodes == 1 &&
          plan.tables == NUMA_TABLES_SHARED, "one node ON");
    for (unsigned i = 0; i < 4; i++) CHECK(plan.thread_node[i] == 0, "one node: thread %u", i);
    /* No node with CPUs (a broken tree): nothing to place, even ON. */
    t.node[0].n_cpus = 0;
    CHECK(numa_plan_make(&plan, &t, 4, KZG_NUMA_ON, 0) == KZG_OK && !plan.place, "no CPUs");
}

/* This machine: the system topology reads (or falls back with a note) and, with one node,
 * AUTO gives the no-placement plan. */
static void test_numa_system__auto_is_no_placement_on_one_node(void) {
    kzg_status st;
    const char *note;
    const numa_topology *t = numa_topology_system(&st, &note);
    CHECK(t && t->n_nodes >= 1, "system topology");
    if (st != KZG_OK) printf("test_numa: system topology not read (%s): fallback used\n", note);
    CHECK(numa_topology_system(NULL, NULL) == t, "read once");
    numa_plan plan;
    CHECK(numa_plan_make(&plan, t, 2, KZG_NUMA_AUTO, 0) == KZG_OK, "plan");
    if (numa_nodes_with_cpus(t) == 1)
        CHECK(!plan.place && strcmp(plan.why, "one node") == 0, "one node: AUTO placed");
    else
        CHECK(plan.place, "%u nodes: AUTO did not place", numa_nodes_with_cpus(t));
    printf("test_numa: this machine: %u node(s)%s\n", t->n_nodes, t->from_sysfs ? " (sysfs)" : " (fallback)");
}

typedef struct {
    numa_cpuset want; /* CPUs a worker must run on */
    _Atomic unsigned wrong, ran;
} where_arg;

static void where(void *v, size_t b, size_t e, unsigned thread) {
    where_arg *a = v;
    (void)b;
    (void)e;
    if (thread == 0) return;
    atomic_fetch_add(&a->ran, 1);
    int cpu = sched_getcpu();
    if (cpu < 0 || !numa_cpuset_has(&a->want, (unsigned)cpu)) atomic_fetch_add(&a->wrong, 1);
    usleep(200); /* keep every worker busy long enough to get some chunks */
}

static int hook_calls, hook_result;
static numa_cpuset hook_cpus;
static int fake_affinity(pthread_t thread, const numa_cpuset *cpus) {
    (void)thread;
    hook_calls++;
    hook_cpus = *cpus;
    return hook_result;
}

static void sum_task(void *v, size_t b, size_t e, unsigned thread) {
    (void)thread;
    for (size_t i = b; i < e; i++) atomic_fetch_add((_Atomic uint64_t *)v, i);
}
static void check_sum(pool_t *p) {
    _Atomic uint64_t s = 0;
    pool_parallel_for(p, 1000, 3, sum_task, &s);
    CHECK(atomic_load(&s) == 999 * 1000 / 2, "sum %llu", (unsigned long long)atomic_load(&s));
}

/* A pool placed by an ON plan over a one-CPU node runs its workers on that CPU; one over a
 * CPU this machine lacks keeps every worker, unpinned, and reports the refusal. */
static void test_pool__placed_workers(void) {
#if defined(__linux__)
    cpu_set_t mine;
    if (pthread_getaffinity_np(pthread_self(), sizeof mine, &mine) != 0) {
        CHECK(0, "pthread_getaffinity_np");
        return;
    }
    numa_topology t;
    memset(&t, 0, sizeof t);
    t.n_nodes = 1;
    CHECK(numa_cpulist_parse(&t.node[0].cpus, &t.node[0].n_cpus, "0", "t") == KZG_OK, "parse");
    numa_plan plan;
    CHECK(numa_plan_make(&plan, &t, 3, KZG_NUMA_ON, 0) == KZG_OK && plan.place, "plan");
    pool_t *p = NULL;
    if (!CPU_ISSET(0, &mine)) {
        printf("test_numa: CPU 0 not allowed here: the sched_getcpu check is skipped\n");
    } else {
        CHECK(pool_new_placed(&p, 3, &plan) == KZG_OK && p, "pool_new_placed");
    }
    if (p) {
        pool_placement pl;
        pool_placement_get(p, &pl);
        CHECK(pl.wanted == 2 && pl.pinned == 2 && pl.first_error == 0, "pinned %u of %u (errno %d)",
              pl.pinned, pl.wanted, pl.first_error);
        where_arg a = {.want = t.node[0].cpus};
        pool_parallel_for(p, 64, 1, where, &a);
        CHECK(atomic_load(&a.wrong) == 0, "%u of %u worker chunks ran off CPU 0", atomic_load(&a.wrong),
              atomic_load(&a.ran));
        pool_free(p);
    }
    /* A CPU outside this thread's mask (one the machine does not have): not pinned
     * (POOL_PIN_OUTSIDE), the pool keeps its workers. */
    long online = sysconf(_SC_NPROCESSORS_CONF);
    if (online > 0 && online < NUMA_MAX_CPUS) {
        char list[16];
        snprintf(list, sizeof list, "%d", NUMA_MAX_CPUS - 1);
        CHECK(numa_cpulist_parse(&t.node[0].cpus, &t.node[0].n_cpus, list, "t") == KZG_OK, "parse");
        CHECK(numa_plan_make(&plan, &t, 3, KZG_NUMA_ON, 0) == KZG_OK && plan.place, "plan");
        p = NULL;
        CHECK(pool_new_placed(&p, 3, &plan) == KZG_OK && p && pool_threads(p) == 3, "refused pins");
        if (p) {
            pool_placement pl;
            pool_placement_get(p, &pl);
            CHECK(pl.wanted == 2 && pl.pinned == 0 && pl.first_error == POOL_PIN_OUTSIDE, "pinned %u of %u (errno %d)",
                  pl.pinned, pl.wanted, pl.first_error);
            where_arg a;
            memset(&a, 0, sizeof a);
            for (unsigned c = 0; c < NUMA_MAX_CPUS; c++) a.want.bits[c / 64] |= (uint64_t)1 << (c % 64);
            pool_parallel_for(p, 64, 1, where, &a);
            CHECK(atomic_load(&a.wrong) == 0, "unpinned workers");
            pool_free(p);
        }
    }
    /* The system refuses (the hook stands for pthread_setaffinity_np): every worker kept,
     * unpinned, the errno recorded. */
    CHECK(numa_cpulist_parse(&t.node[0].cpus, &t.node[0].n_cpus, "0-1023", "t") == KZG_OK, "parse");
    CHECK(numa_plan_make(&plan, &t, 4, KZG_NUMA_ON, 0) == KZG_OK && plan.place, "plan");
    hook_calls = 0;
    hook_result = EPERM;
    pool_affinity_hook = fake_affinity;
    p = NULL;
    kzg_status st = pool_new_placed(&p, 4, &plan);
    pool_affinity_hook = NULL;
    CHECK(st == KZG_OK && p && pool_threads(p) == 4 && hook_calls == 3, "refused: %u threads, %d calls",
          pool_threads(p), hook_calls);
    if (p) {
        pool_placement pl;
        pool_placement_get(p, &pl);
        CHECK(pl.wanted == 3 && pl.pinned == 0 && pl.first_error == EPERM, "refused: pinned %u of %u (errno %d)",
              pl.pinned, pl.wanted, pl.first_error);
        check_sum(p);
        pool_free(p);
    }
    /* Placement narrows the creating thread's mask, never widens it: with this thread on
     * CPU 0 only, a node of CPUs 0-1 pins to {0}. */
    if (CPU_ISSET(1, &mine)) {
        cpu_set_t only0;
        CPU_ZERO(&only0);
        CPU_SET(0, &only0);
        CHECK(numa_cpulist_parse(&t.node[0].cpus, &t.node[0].n_cpus, "0-1", "t") == KZG_OK, "parse");
        CHECK(numa_plan_make(&plan, &t, 2, KZG_NUMA_ON, 0) == KZG_OK && plan.place, "plan");
        CHECK(pthread_setaffinity_np(pthread_self(), sizeof only0, &only0) == 0, "narrow this thread");
        hook_calls = 0;
        hook_result = 0;
        pool_affinity_hook = fake_affinity;
        p = NULL;
        st = pool_new_placed(&p, 2, &plan);
        pool_affinity_hook = NULL;
        CHECK(pthread_setaffinity_np(pthread_self(), sizeof mine, &mine) == 0, "restore this thread");
        CHECK(st == KZG_OK && hook_calls == 1 && numa_cpuset_count(&hook_cpus) == 1 &&
              numa_cpuset_has(&hook_cpus, 0), "narrowed: %d calls, %u CPUs", hook_calls,
              numa_cpuset_count(&hook_cpus));
        pool_free(p);
    }
    /* No plan, or a plan that does not place: nothing recorded. */
    p = NULL;
    CHECK(pool_new_placed(&p, 2, NULL) == KZG_OK, "NULL plan");
    pool_placement pl;
    pool_placement_get(p, &pl);
    CHECK(pl.wanted == 0 && pl.pinned == 0, "NULL plan pinned");
    pool_free(p);
    pool_placement_get(NULL, &pl);
    CHECK(pl.wanted == 0, "NULL pool");
#endif
}

/* pool_run_each: once on every thread, each with its own index, on a pool of 1, 3 and 5
 * threads and without a pool; on a pool busy with another job it runs nothing. */
typedef struct each_arg {
    _Atomic unsigned calls[8];
    pool_t *p;
    _Atomic int nested; /* 1: the nested call ran nothing, as it must */
} each_arg;

static void each_count(void *arg, unsigned thread) {
    each_arg *a = arg;
    if (thread < 8) atomic_fetch_add(&a->calls[thread], 1);
}

static void each_nested(void *arg, unsigned thread) {
    each_arg *a = arg;
    each_arg inner;
    memset(&inner, 0, sizeof inner);
    if (thread == 0) atomic_store(&a->nested, !pool_run_each(a->p, each_count, &inner) && inner.calls[0] == 0);
}

static void test_pool__run_each_once_per_thread(void) {
    static const unsigned T[3] = {1, 3, 5};
    for (int i = 0; i < 3; i++) {
        pool_t *p = NULL;
        CHECK(pool_new(&p, T[i]) == KZG_OK, "pool %u", T[i]);
        if (!p) continue;
        for (int round = 0; round < 20; round++) {
            each_arg a;
            memset(&a, 0, sizeof a);
            CHECK(pool_run_each(p, each_count, &a), "pool %u: busy", T[i]);
            for (unsigned k = 0; k < 8; k++)
                CHECK(a.calls[k] == (k < pool_threads(p) ? 1u : 0u), "pool %u: thread %u ran %u times", T[i], k,
                      a.calls[k]);
        }
        check_sum(p); /* the chunked jobs still work after each-jobs */
        each_arg a;
        memset(&a, 0, sizeof a);
        a.p = p;
        CHECK(pool_run_each(p, each_nested, &a), "nested outer");
        if (T[i] > 1) CHECK(atomic_load(&a.nested) == 1, "pool %u: a busy pool ran an each-job", T[i]);
        pool_free(p);
    }
    each_arg a;
    memset(&a, 0, sizeof a);
    CHECK(pool_run_each(NULL, each_count, &a) && a.calls[0] == 1 && a.calls[1] == 0, "NULL pool");
}

/* numa_interleave (mbind): a plan over node 0, which every Linux machine has, is taken (or
 * refused where mbind is not allowed: EPERM, ENOSYS); one over nodes this machine lacks is
 * refused with EINVAL; a plan that does not place, or a node id beyond the mask, is EINVAL
 * without a system call; a range without a whole page covers nothing. */
static void test_numa_interleave__applied_or_refused(void) {
    size_t len = 1 << 20;
    uint8_t *mem = malloc(len);
    if (!mem) return;
    memset(mem, 0x5a, len);
    numa_plan plan;
    memset(&plan, 0, sizeof plan);
    plan.place = true;
    plan.n_nodes = 1;
    plan.node[0].id = 0;
    size_t bytes = 1;
    int err = numa_interleave(mem, len, &plan, &bytes);
    long page = sysconf(_SC_PAGESIZE);
#if defined(__linux__)
    CHECK(err == 0 || err == EPERM || err == ENOSYS, "node 0: %s", strerror(err));
    if (err == 0) CHECK(bytes > 0 && bytes <= len && bytes + 2 * (size_t)page > len && bytes % (size_t)page == 0,
                        "node 0: %zu bytes", bytes);
    else CHECK(bytes == 0, "refused: %zu bytes", bytes);
    printf("test_numa: mbind over node 0: %s\n", err ? strerror(err) : "applied");
    if (numa_nodes_with_cpus(numa_topology_system(NULL, NULL)) == 1 && numa_topology_system(NULL, NULL)->node[0].id == 0) {
        plan.node[0].id = 5;
        plan.node[1].id = 6;
        plan.n_nodes = 2;
        err = numa_interleave(mem, len, &plan, &bytes);
        CHECK(err == EINVAL || err == EPERM || err == ENOSYS, "nodes 5,6 on one node: %d", err);
        CHECK(bytes == 0, "refused: %zu bytes", bytes);
    }
    plan.n_nodes = 1;
    plan.node[0].id = 0;
    CHECK(numa_interleave(mem + 1, (size_t)page, &plan, &bytes) == 0 && bytes == 0, "no whole page: %zu", bytes);
#else
    CHECK(err == ENOSYS && bytes == 0, "not Linux: %d", err);
#endif
    plan.node[0].id = NUMA_MAX_NODES;
    CHECK(numa_interleave(mem, len, &plan, &bytes) == EINVAL && bytes == 0, "node id beyond the mask");
    plan.place = false;
    plan.node[0].id = 0;
    CHECK(numa_interleave(mem, len, &plan, &bytes) == EINVAL, "no placement");
    for (size_t i = 0; i < len; i++)
        if (mem[i] != 0x5a) {
            CHECK(0, "byte %zu changed", i);
            break;
        }
    free(mem);
}

/* The edges of the reader, the formatter and the describer: each arm with its answer. */
static void test_numa__edges(void) {
    numa_cpuset set;
    unsigned n;
    /* A newline first but not alone: malformed. */
    CHECK(numa_cpulist_parse(&set, &n, "\n0", "t") == KZG_ERR_BAD_ARG, "'\\n0' accepted");
    CHECK(!numa_cpuset_has(&set, NUMA_MAX_CPUS) && !numa_cpuset_has(&set, 5000), "CPU above the bound");
    /* Formatting: no room at all, room for less than "...", and a cut marked "...". */
    CHECK(numa_cpulist_parse(&set, &n, "0-3,8,10-11,20", "t") == KZG_OK && n == 8, "parse");
    char buf[32];
    memset(buf, 'z', sizeof buf);
    numa_cpulist_format(buf, 0, &set);
    CHECK(buf[0] == 'z', "format with buf_len 0 wrote");
    numa_cpulist_format(buf, 3, &set);
    CHECK(strlen(buf) < 3, "format in 3 bytes: '%s'", buf);
    numa_cpulist_format(buf, 9, &set);
    CHECK(strcmp(buf, "0-3,8...") == 0, "format cut: '%s'", buf);
    numa_cpulist_format(buf, sizeof buf, &set);
    CHECK(strcmp(buf, "0-3,8,10-11,20") == 0, "format: '%s'", buf);

    numa_topology t;
    /* A cpulist that cannot be read (a directory), one with a NUL byte, a nodeN with a tail. */
    fake_two_nodes();
    char p[512];
    snprintf(p, sizeof p, "%s/node2/cpulist", root);
    CHECK(unlink(p) == 0 && mkdir(p, 0700) == 0, "cpulist as a directory");
    CHECK(numa_topology_read(&t, root) == KZG_ERR_IO && strstr(kzg_last_error(), "cannot read"),
          "unreadable cpulist: %s", kzg_last_error());
    fake_two_nodes();
    FILE *f = fopen(p, "w");
    CHECK(f != NULL, "open %s", p);
    if (f) {
        fwrite("4-7\0\n", 1, 5, f);
        fclose(f);
    }
    CHECK(numa_topology_read(&t, root) == KZG_ERR_BAD_ARG && strstr(kzg_last_error(), "NUL byte"),
          "NUL byte: %s", kzg_last_error());
    fake_two_nodes();
    put_dir("node3x");
    CHECK(numa_topology_read(&t, root) == KZG_OK && t.n_nodes == 3, "node3x counted as a node");
    /* A root that is a file: no topology there, the fallback. */
    snprintf(p, sizeof p, "%s/possible", root);
    CHECK(numa_topology_read(&t, p) == KZG_OK && !t.from_sysfs, "a file as root: %s", kzg_last_error());
    /* A root whose node files' paths do not fit 4096 bytes ("/." repeated: the same dir). */
    {
        char *longroot = malloc(4100);
        if (longroot) {
            size_t len = (size_t)snprintf(longroot, 4100, "%s", root);
            while (len + 2 < 4090) {
                memcpy(longroot + len, "/.", 3);
                len += 2;
            }
            CHECK(numa_topology_read(&t, longroot) == KZG_ERR_LENGTH && strstr(kzg_last_error(), "path is too long"),
                  "long root: %s", kzg_last_error());
            free(longroot);
        }
    }
    /* The override, asked without status or note; the planner asked without why. */
    numa_topology_fallback(&t);
    numa_topology_override = &t;
    CHECK(numa_topology_system(NULL, NULL) == &t, "override");
    numa_topology_override = NULL;
    CHECK(numa_topology_system(NULL, NULL) != NULL, "system topology");
    CHECK(numa_plan_places(&t, 2, KZG_NUMA_ON, NULL), "ON places on one node");
    CHECK(strcmp(numa_tables_name(NUMA_TABLES_SHARED), "shared") == 0 &&
              strcmp(numa_tables_name(NUMA_TABLES_REPLICATE), "replicate per node") == 0 &&
              strcmp(numa_tables_name(NUMA_TABLES_INTERLEAVE), "interleave") == 0, "table names");
    /* Describing: three nodes, two threads (a node without a thread, nodes with one). */
    memset(&t, 0, sizeof t);
    t.n_nodes = 3;
    for (unsigned k = 0; k < 3; k++) {
        char cpu[8];
        snprintf(cpu, sizeof cpu, "%u", k);
        t.node[k].id = k;
        CHECK(numa_cpulist_parse(&t.node[k].cpus, &t.node[k].n_cpus, cpu, "t") == KZG_OK, "parse");
    }
    numa_plan plan;
    char line[256];
    CHECK(numa_plan_make(&plan, &t, 2, KZG_NUMA_AUTO, 0) == KZG_OK && plan.place, "3-node plan");
    numa_plan_describe(line, sizeof line, &plan);
    CHECK(strstr(line, "3 nodes") && strstr(line, "no thread") && strstr(line, "thread 1") && !strstr(line, "threads"),
          "describe: '%s'", line);
    memset(line, 'z', sizeof line);
    numa_plan_describe(line, 0, &plan);
    CHECK(line[0] == 'z', "describe with buf_len 0 wrote");
    numa_plan_describe(line, 12, &plan);
    CHECK(strlen(line) < 12, "describe in 12 bytes: '%s'", line);
    numa_plan_describe(line, 40, &plan);
    CHECK(strlen(line) < 40 && strncmp(line, "3 nodes", 7) == 0, "describe in 40 bytes: '%s'", line);
    CHECK(numa_plan_make(&plan, &t, 1, KZG_NUMA_ON, 0) == KZG_OK && !plan.place, "one thread");
    plan.why = NULL;
    numa_plan_describe(line, sizeof line, &plan);
    CHECK(strcmp(line, "no placement ()") == 0, "describe without why: '%s'", line);
    /* numa_interleave with a placing plan of no node: refused before any system call. */
    memset(&plan, 0, sizeof plan);
    plan.place = true;
    char mem[64];
    size_t bytes = 1;
    CHECK(numa_interleave(mem, sizeof mem, &plan, &bytes) == EINVAL && bytes == 0, "no node: EINVAL");
}

int main(void) {
    testrand_init("test_numa");
    const char *tmp = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/kzgkit_numa_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    test_numa_cpulist__parses_and_rejects();
    test_numa_topology__reads_fake_two_nodes();
    test_numa_topology__malformed_trees();
    test_numa_plan__two_nodes_each_policy();
    test_numa_plan__proportions_and_one_node();
    test_numa_system__auto_is_no_placement_on_one_node();
    test_pool__placed_workers();
    test_pool__run_each_once_per_thread();
    test_numa_interleave__applied_or_refused();
    test_numa__edges();
    rm_tree();
    return test_report();
}
