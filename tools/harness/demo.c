/*
 * tools/harness/demo.c — a suite of synthetic workloads for the harness's own tests and
 * for trying the commands without the library: a mixing loop over `size` words, a memory
 * stream over `size` KiB, an allocation churn of `n` blocks (through a counting allocator
 * plugged in as the suite's memory probe) and a mixing loop split across `threads`
 * threads. Nothing here is KZG.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* ---- a counting allocator, the demo's stand-in for kzg_alloc_stats ------------------ */

static uint64_t demo_allocs, demo_bytes, demo_live, demo_peak;

static void *demo_malloc(size_t n) {
    size_t *p = malloc(n + sizeof(size_t) * 2); /* 16-byte header keeps the alignment */
    if (!p) return NULL;
    p[0] = n;
    demo_allocs++;
    demo_bytes += n;
    demo_live += n;
    if (demo_live > demo_peak) demo_peak = demo_live;
    return p + 2;
}

static void demo_free(void *q) {
    if (!q) return;
    size_t *p = (size_t *)q - 2;
    demo_live -= p[0];
    free(p);
}

typedef struct demo_probe_state {
    uint64_t allocs, bytes, live;
} demo_probe_state;

static demo_probe_state demo_probe_ctx;

static void demo_probe_begin(void *ctx) {
    demo_probe_state *s = ctx;
    s->allocs = demo_allocs;
    s->bytes = demo_bytes;
    s->live = demo_live;
    demo_peak = demo_live;
}

static int demo_probe_end(void *ctx, harness_mem_stats *out) {
    const demo_probe_state *s = ctx;
    out->alloc_count = demo_allocs - s->allocs;
    out->alloc_bytes = demo_bytes - s->bytes;
    out->peak_live_bytes = demo_peak - s->live;
    out->overhead_known = true; /* each block's 16-byte header */
    out->overhead_bytes = (demo_allocs - s->allocs) * sizeof(size_t) * 2;
    return 0;
}

static const harness_mem_probe demo_probe = {&demo_probe_ctx, demo_probe_begin, demo_probe_end};

/* ---- workloads ------------------------------------------------------------------------ */

static volatile uint64_t demo_sink; /* keeps the compiler from deleting the work */

static uint64_t mix(uint64_t x, uint64_t rounds) {
    for (uint64_t i = 0; i < rounds; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

typedef struct demo_state {
    long long size, n, threads;
    uint64_t *buf;
} demo_state;

static int demo_setup(void *suite_state, const harness_case *c, void **state) {
    (void)suite_state;
    demo_state *s = calloc(1, sizeof *s);
    if (!s) return 1;
    s->size = harness_case_param(c, "size", 256);
    s->n = harness_case_param(c, "n", 16);
    s->threads = harness_case_param(c, "threads", 1);
    if (s->size <= 0 || s->n <= 0 || s->threads <= 0 || s->threads > 64) {
        free(s);
        return 2;
    }
    *state = s;
    return 0;
}

static int stream_setup(void *suite_state, const harness_case *c, void **state) {
    int rc = demo_setup(suite_state, c, state);
    if (rc) return rc;
    demo_state *s = *state;
    size_t words = (size_t)s->size * 1024 / sizeof(uint64_t);
    s->buf = malloc(words * sizeof *s->buf);
    if (!s->buf) {
        free(s);
        return 1;
    }
    for (size_t i = 0; i < words; i++) s->buf[i] = i * 0x9e3779b97f4a7c15ULL;
    return 0;
}

static void demo_teardown(void *state) {
    demo_state *s = state;
    if (s) free(s->buf);
    free(s);
}

static int mix_run(void *state, uint64_t iters) {
    const demo_state *s = state;
    uint64_t x = 0x1234567;
    for (uint64_t i = 0; i < iters; i++) x = mix(x + i, (uint64_t)s->size);
    demo_sink = x;
    return 0;
}

static int stream_run(void *state, uint64_t iters) {
    const demo_state *s = state;
    size_t words = (size_t)s->size * 1024 / sizeof(uint64_t);
    uint64_t acc = 0;
    for (uint64_t i = 0; i < iters; i++)
        for (size_t j = 0; j < words; j++) acc += s->buf[j] ^ i;
    demo_sink = acc;
    return 0;
}

static int alloc_run(void *state, uint64_t iters) {
    const demo_state *s = state;
    void *blocks[64];
    size_t n = s->n < 64 ? (size_t)s->n : 64;
    for (uint64_t i = 0; i < iters; i++) {
        for (size_t j = 0; j < n; j++) {
            blocks[j] = demo_malloc(64 + 32 * j);
            if (!blocks[j]) {
                while (j > 0) demo_free(blocks[--j]);
                return 1;
            }
            memset(blocks[j], (int)j, 64);
        }
        for (size_t j = 0; j < n; j++) demo_free(blocks[j]);
    }
    return 0;
}

typedef struct par_job {
    uint64_t rounds, seed, out;
} par_job;

static void *par_worker(void *arg) {
    par_job *j = arg;
    j->out = mix(j->seed, j->rounds);
    return NULL;
}

/* A fixed amount of work per operation (size × 64 rounds) split across the threads, so the
 * time should fall with the thread count until the threads' start-up cost dominates. */
static int parallel_run(void *state, uint64_t iters) {
    const demo_state *s = state;
    pthread_t tid[64];
    par_job jobs[64];
    size_t t = (size_t)s->threads;
    for (uint64_t i = 0; i < iters; i++) {
        uint64_t total = (uint64_t)s->size * 64, acc = 0;
        size_t started = 0;
        for (size_t k = 1; k < t; k++) {
            jobs[k] = (par_job){total / t, i + k, 0};
            if (pthread_create(&tid[k], NULL, par_worker, &jobs[k]) != 0) break;
            started++;
        }
        jobs[0] = (par_job){total - (total / t) * started, i, 0};
        par_worker(&jobs[0]);
        acc ^= jobs[0].out;
        for (size_t k = 1; k <= started; k++) {
            pthread_join(tid[k], NULL);
            acc ^= jobs[k].out;
        }
        demo_sink = acc;
        if (started + 1 != t) return 3;
    }
    return 0;
}

static const harness_bench demo_benches[] = {
    {.name = "demo_mix", .params = {{"size", {256, 1024, 4096}, 3}}, .n_params = 1,
     .setup = demo_setup, .run = mix_run, .teardown = demo_teardown, .unit = "op"},
    {.name = "demo_stream", .params = {{"size", {64, 512}, 2}}, .n_params = 1,
     .setup = stream_setup, .run = stream_run, .teardown = demo_teardown,
     .items_per_op = 1024, .items_param = "size", .unit = "B"},
    {.name = "demo_alloc", .params = {{"n", {16}, 1}}, .n_params = 1, .setup = demo_setup,
     .run = alloc_run, .teardown = demo_teardown, .items_param = "n", .unit = "blocks"},
    {.name = "demo_parallel", .params = {{"size", {4096}, 1}, {"threads", {1, 2}, 2}},
     .n_params = 2, .setup = demo_setup, .run = parallel_run, .teardown = demo_teardown,
     .unit = "op"},
};

static void demo_describe(harness_env *env) {
    snprintf(env->backend, sizeof env->backend, "demo (synthetic)");
}

const harness_suite harness_demo_suite = {
    .name = "demo",
    .benches = demo_benches,
    .n_benches = sizeof demo_benches / sizeof demo_benches[0],
    .mem = &demo_probe,
    .describe_env = demo_describe,
};
