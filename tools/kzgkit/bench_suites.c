/*
 * tools/kzgkit/bench_suites.c — the benchmarks behind `kzgkit bench`, registered with the
 * harness (tools/harness/harness.h), and the `bench`, `compare` and `analyze` commands.
 *
 * Suites:
 *   eip4844     every public EIP-4844 operation and context creation, swept over the
 *               library's thread count (and the batch size for batch verification); the
 *               commitment as a batch of 64, over fixed-base tables (table_window 12)
 *               and as a result-cache hit (the KPI's two sub-millisecond paths); the batch processor on a repeating stream
 *   eip7594     the cell operations on one blob: cells with and without proofs (threads,
 *               and the FK20 fixed-base table_bits 0/8 built before timing), the first
 *               cells-and-proofs call of a fresh context (_first), verification
 *               of its 128 cells, recovery from the even half with and without proofs
 *   primitives  the arithmetic underneath (field, curve, codecs, pairing, MSM by size)
 * Inputs are deterministic (a fixed-seed generator) and prepared in each case's setup, so
 * the timed region holds the operation alone; every run checks the operation's status so
 * a broken build cannot report a fast time.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "curve/g1.h"
#include "curve/g2.h"
#include "harness.h"
#include "kzgkit/runtime.h"
#include "msm/msm.h"
#include "pairing/pairing.h"
#include "poly/fft_g1.h"
#include "poly/poly.h"
#include "runtime/numa.h"
#include "setup/setup.h"

/* ---- shared inputs ---------------------------------------------------------------- */

static const char *bench_setup_path; /* --setup FILE given to kzgkit, or NULL */
static uint32_t bench_numa;          /* --numa / $KZGKIT_NUMA given to kzgkit */
static kzg_metrics *bench_metrics;    /* --metrics given to kzgkit, or NULL */

/* Deterministic inputs: every run benchmarks the same blobs. */
static cli_rng rng;
static bool rng_ready;
static cli_rng *bench_rng(void) {
    if (!rng_ready) {
        cli_rng_seed(&rng, 0x6b7a676b6974ULL);
        rng_ready = true;
    }
    return &rng;
}
static void random_element(uint8_t out[32]) { cli_rng_field_element(bench_rng(), out); }
static void random_blob(kzg_blob *b) { cli_rng_blob(bench_rng(), b); }
static uint64_t rng_next(void) { return cli_rng_next(bench_rng()); }

/* A context with `threads` threads, a result cache of cache_bytes (0: none) and `metrics`
 * (NULL: kzgkit's --metrics, if given). */
static kzg_ctx *open_ctx_with(long long threads, size_t cache_bytes, kzg_metrics *metrics,
                              long long table_window) {
    kzg_ctx_options o;
    kzg_ctx *ctx = NULL;
    memset(&o, 0, sizeof o);
    o.struct_size = sizeof o;
    o.threads = (uint32_t)(threads > 0 ? threads : 1);
    o.numa = bench_numa;
    o.metrics = metrics ? metrics : bench_metrics;
    o.cache_bytes = cache_bytes;
    o.table_window = (uint32_t)(table_window > 0 ? table_window : 0);
    kzg_status st = bench_setup_path
                        ? kzg_ctx_new_from_file(&ctx, bench_setup_path, KZG_SETUP_AUTO, &o)
                        : kzg_ctx_new(&ctx, &o);
    if (st != KZG_OK) {
        fprintf(stderr, "kzgkit bench: context: %s: %s\n", kzg_status_str(st), kzg_last_error());
        return NULL;
    }
    return ctx;
}
static kzg_ctx *open_ctx(long long threads) { return open_ctx_with(threads, 0, NULL, 0); }

/* The figures of an operation's own counters (errors per call, from the library's metrics)
 * and of a cache (hits over lookups), for the error-rate and cache-hit-rate KPIs. */
static void put_op_figures(harness_result *res, kzg_metrics *metrics, kzg_op op) {
    kzg_metrics_stats *ms = malloc(sizeof *ms); /* ~140 KB */
    if (ms && kzg_metrics_snapshot(metrics, ms) == KZG_OK && ms->ops[op].calls) {
        harness_result_set_figure(res, "op_calls", (double)ms->ops[op].calls);
        harness_result_set_figure(res, "op_errors", (double)ms->ops[op].errors);
    }
    free(ms);
}
static void put_cache_figures(harness_result *res, uint64_t hits, uint64_t misses) {
    if (hits + misses == 0) return;
    harness_result_set_figure(res, "cache_hit_rate", (double)hits / (double)(hits + misses));
    harness_result_set_figure(res, "cache_hits", (double)hits);
    harness_result_set_figure(res, "cache_lookups", (double)(hits + misses));
}

/* ---- memory probe: the library's allocator accounting ------------------------------- */

static kzg_alloc_stats mem_at_begin;
static kzg_alloc_overhead overhead_at_begin;
static bool overhead_begun;
static void mem_begin(void *unused) {
    (void)unused;
    kzg_alloc_stats_reset_peak();
    kzg_alloc_stats_get(&mem_at_begin);
    overhead_at_begin = (kzg_alloc_overhead){.struct_size = sizeof overhead_at_begin};
    overhead_begun = kzg_alloc_overhead_get(&overhead_at_begin) == KZG_OK;
}
static int mem_end(void *unused, harness_mem_stats *out) {
    kzg_alloc_stats now;
    kzg_alloc_overhead ov = {.struct_size = sizeof ov};
    (void)unused;
    kzg_alloc_stats_get(&now);
    out->alloc_count = now.allocations - mem_at_begin.allocations;
    out->alloc_bytes = now.bytes_allocated - mem_at_begin.bytes_allocated;
    out->peak_live_bytes = now.peak_live_bytes - mem_at_begin.live_bytes;
    /* The headers and alignment padding the operation's allocations cost (the figure
     * alloc_overhead_bytes). */
    if (overhead_begun && kzg_alloc_overhead_get(&ov) == KZG_OK) {
        out->overhead_known = true;
        out->overhead_bytes = ov.overhead_bytes - overhead_at_begin.overhead_bytes;
    }
    return 0;
}
static const harness_mem_probe kzg_mem_probe = {NULL, mem_begin, mem_end};

static void describe_env(harness_env *env) {
    snprintf(env->backend, sizeof env->backend, "%s", kzg_backend());
    /* The NUMA topology as kzgkit sees it (sysfs, or one node): node count, CPUs per node. */
    const numa_topology *t = numa_topology_system(NULL, NULL);
    size_t len = 0;
    env->numa_nodes = (int)t->n_nodes;
    env->numa_node_cpus[0] = 0;
    for (unsigned k = 0; k < t->n_nodes; k++) {
        char cpus[128];
        numa_cpulist_format(cpus, sizeof cpus, &t->node[k].cpus);
        int w = snprintf(env->numa_node_cpus + len, sizeof env->numa_node_cpus - len, "%s%s",
                         k ? ";" : "", cpus);
        if (w < 0 || (size_t)w >= sizeof env->numa_node_cpus - len) { /* does not fit: unknown */
            env->numa_nodes = -1;
            env->numa_node_cpus[0] = 0;
            break;
        }
        len += (size_t)w;
    }
}

/* ---- eip4844 suite ------------------------------------------------------------------ */

typedef struct {
    kzg_ctx *ctx;
    size_t n;                 /* blobs prepared */
    kzg_blob *blobs;
    kzg_commitment *commitments;
    kzg_proof *proofs;        /* blob proofs */
    kzg_field_element z, y;
    kzg_proof proof_at_z;
    bool ok;
} e_state;

static void e_teardown(void *v) {
    e_state *s = v;
    if (!s) return;
    kzg_ctx_free(s->ctx);
    free(s->blobs);
    free(s->commitments);
    free(s->proofs);
    free(s);
}

/* Builds a context with the case's thread count and `n` blobs with their commitments and
 * blob proofs (computed here, outside the timed region). */
static int e_setup(void *suite_state, const harness_case *c, void **out) {
    (void)suite_state;
    e_state *s = calloc(1, sizeof *s);
    if (!s) return 1;
    s->n = (size_t)harness_case_param(c, "n", 1);
    s->ctx = open_ctx_with(harness_case_param(c, "threads", 1), 0, NULL,
                           harness_case_param(c, "table_window", 0));
    s->blobs = malloc(s->n * sizeof *s->blobs);
    s->commitments = malloc(s->n * sizeof *s->commitments);
    s->proofs = malloc(s->n * sizeof *s->proofs);
    if (!s->ctx || !s->blobs || !s->commitments || !s->proofs) goto fail;
    for (size_t i = 0; i < s->n; i++) {
        random_blob(&s->blobs[i]);
        if (kzg_blob_to_kzg_commitment(s->ctx, &s->commitments[i], &s->blobs[i]) != KZG_OK ||
            kzg_compute_blob_kzg_proof(s->ctx, &s->proofs[i], &s->blobs[i], &s->commitments[i]) != KZG_OK)
            goto fail;
    }
    random_element(s->z.bytes);
    if (kzg_compute_kzg_proof(s->ctx, &s->proof_at_z, &s->y, &s->blobs[0], &s->z) != KZG_OK)
        goto fail;
    *out = s;
    return 0;
fail:
    fprintf(stderr, "kzgkit bench: preparing inputs failed: %s\n", kzg_last_error());
    e_teardown(s);
    return 1;
}

static int r_ctx_new(void *v, uint64_t iters) {
    (void)v;
    for (uint64_t i = 0; i < iters; i++) {
        kzg_ctx *ctx = open_ctx(1);
        if (!ctx) return 1;
        kzg_ctx_free(ctx);
    }
    return 0;
}
static int r_commit(void *v, uint64_t iters) {
    e_state *s = v;
    kzg_commitment c;
    for (uint64_t i = 0; i < iters; i++)
        if (kzg_blob_to_kzg_commitment(s->ctx, &c, &s->blobs[0]) != KZG_OK) return 1;
    return 0;
}
static int r_prove(void *v, uint64_t iters) {
    e_state *s = v;
    kzg_proof p;
    kzg_field_element y;
    for (uint64_t i = 0; i < iters; i++)
        if (kzg_compute_kzg_proof(s->ctx, &p, &y, &s->blobs[0], &s->z) != KZG_OK) return 1;
    return 0;
}
static int r_prove_blob(void *v, uint64_t iters) {
    e_state *s = v;
    kzg_proof p;
    for (uint64_t i = 0; i < iters; i++)
        if (kzg_compute_blob_kzg_proof(s->ctx, &p, &s->blobs[0], &s->commitments[0]) != KZG_OK)
            return 1;
    return 0;
}
static int r_verify(void *v, uint64_t iters) {
    e_state *s = v;
    bool ok = false;
    for (uint64_t i = 0; i < iters; i++)
        if (kzg_verify_kzg_proof(s->ctx, &ok, &s->commitments[0], &s->z, &s->y, &s->proof_at_z) != KZG_OK || !ok)
            return 1;
    return 0;
}
static int r_verify_blob(void *v, uint64_t iters) {
    e_state *s = v;
    bool ok = false;
    for (uint64_t i = 0; i < iters; i++)
        if (kzg_verify_blob_kzg_proof(s->ctx, &ok, &s->blobs[0], &s->commitments[0], &s->proofs[0]) != KZG_OK || !ok)
            return 1;
    return 0;
}
static int r_verify_batch(void *v, uint64_t iters) {
    e_state *s = v;
    bool ok = false;
    for (uint64_t i = 0; i < iters; i++)
        if (kzg_verify_blob_kzg_proof_batch(s->ctx, &ok, s->blobs, s->commitments, s->proofs, s->n) != KZG_OK || !ok)
            return 1;
    return 0;
}

/* Commitment latency as production gets it under 1 ms, one of two ways (the KPI names
 * which): amortised over a batch (kzg_blob_to_kzg_commitment_batch of n blobs on the
 * context's threads; the per-blob time is the median over n) or answered by the context's
 * result cache (the same blob again: every timed call is a hit, one SHA-256 of the blob and
 * a lookup). The cache's own counters are reported as figures, so a run that missed the
 * cache cannot pass for a hit. */
typedef struct {
    kzg_ctx *ctx;
    kzg_metrics *metrics;
    size_t n;
    kzg_blob *blobs;
    kzg_commitment *out;
    kzg_commitment expected; /* blobs[0]'s commitment, computed cold in setup */
} k_state;

static void k_teardown(void *v) {
    k_state *s = v;
    if (!s) return;
    kzg_ctx_free(s->ctx);
    kzg_metrics_free(s->metrics);
    free(s->blobs);
    free(s->out);
    free(s);
}

/* cache_bytes 0: the batch case (n blobs); else the cached case (one blob, committed once
 * here, which is the cache's only miss). */
static int k_setup_with(const harness_case *c, size_t cache_bytes, void **out) {
    k_state *s = calloc(1, sizeof *s);
    if (!s) return 1;
    s->n = (size_t)harness_case_param(c, "n", 1);
    if (kzg_metrics_new(&s->metrics) != KZG_OK) goto fail;
    s->ctx = open_ctx_with(harness_case_param(c, "threads", 1), cache_bytes, s->metrics, 0);
    s->blobs = malloc(s->n * sizeof *s->blobs);
    s->out = malloc(s->n * sizeof *s->out);
    if (!s->ctx || !s->blobs || !s->out) goto fail;
    for (size_t i = 0; i < s->n; i++) random_blob(&s->blobs[i]);
    if (cache_bytes && kzg_blob_to_kzg_commitment(s->ctx, &s->expected, &s->blobs[0]) != KZG_OK)
        goto fail;
    *out = s;
    return 0;
fail:
    fprintf(stderr, "kzgkit bench: preparing inputs failed: %s\n", kzg_last_error());
    k_teardown(s);
    return 1;
}
static int k_setup_batch(void *suite_state, const harness_case *c, void **out) {
    (void)suite_state;
    return k_setup_with(c, 0, out);
}
static int k_setup_cached(void *suite_state, const harness_case *c, void **out) {
    (void)suite_state;
    return k_setup_with(c, 1 << 20, out);
}

static int r_commit_batch(void *v, uint64_t iters) {
    k_state *s = v;
    for (uint64_t i = 0; i < iters; i++)
        if (kzg_blob_to_kzg_commitment_batch(s->ctx, s->out, s->blobs, s->n) != KZG_OK) return 1;
    return 0;
}
static int r_commit_cached(void *v, uint64_t iters) {
    k_state *s = v;
    for (uint64_t i = 0; i < iters; i++)
        if (kzg_blob_to_kzg_commitment(s->ctx, s->out, &s->blobs[0]) != KZG_OK ||
            memcmp(s->out, &s->expected, sizeof s->expected) != 0)
            return 1;
    return 0;
}
static void f_commit_cached(void *v, harness_result *res) {
    k_state *s = v;
    kzg_cache_stats cs;
    put_op_figures(res, s->metrics, KZG_OP_BLOB_TO_KZG_COMMITMENT);
    if (kzg_ctx_cache_stats(s->ctx, &cs) == KZG_OK) put_cache_figures(res, cs.hits, cs.misses);
}

/* The batch processor on a repeating stream (kzgkit workload's model): STREAM blobs in
 * calls of 16, `repeat`% of them copies of earlier blobs of the stream. Each iteration
 * starts a fresh processor and cache, so every iteration sees the same stream cold. */
#define STREAM 32
typedef struct {
    kzg_ctx *ctx;
    kzg_metrics *metrics; /* KZG_OP_PROCESS_BLOBS calls and errors */
    kzg_blob *stream;
    kzg_commitment c[STREAM];
    kzg_proof p[STREAM];
    /* Summed over every processor of the case (each iteration's, timed or not). */
    uint64_t blobs, computed, hits, misses;
} w_state;

static void w_teardown(void *v) {
    w_state *s = v;
    if (!s) return;
    kzg_ctx_free(s->ctx);
    kzg_metrics_free(s->metrics);
    free(s->stream);
    free(s);
}

static int w_setup(void *suite_state, const harness_case *c, void **out) {
    (void)suite_state;
    w_state *s = calloc(1, sizeof *s);
    if (!s) return 1;
    long long repeat = harness_case_param(c, "repeat", 50);
    s->ctx = open_ctx(harness_case_param(c, "threads", 1));
    s->stream = malloc(STREAM * sizeof *s->stream);
    if (!s->ctx || !s->stream || kzg_metrics_new(&s->metrics) != KZG_OK) {
        w_teardown(s);
        return 1;
    }
    for (size_t i = 0; i < STREAM; i++) {
        if (i && (long long)(rng_next() % 100) < repeat) s->stream[i] = s->stream[rng_next() % i];
        else random_blob(&s->stream[i]);
    }
    *out = s;
    return 0;
}

static int r_process(void *v, uint64_t iters) {
    w_state *s = v;
    kzg_processor_options o = {.struct_size = sizeof o, .cache_bytes = 1 << 20,
                               .metrics = s->metrics};
    for (uint64_t it = 0; it < iters; it++) {
        kzg_processor *proc = NULL;
        kzg_processor_stats st;
        if (kzg_processor_new(&proc, s->ctx, &o) != KZG_OK) return 1;
        for (size_t b = 0; b < STREAM; b += 16)
            if (kzg_processor_run(proc, s->c + b, s->p + b, NULL, s->stream + b, 16) != KZG_OK) {
                kzg_processor_free(proc);
                return 1;
            }
        if (kzg_processor_stats_get(proc, &st) == KZG_OK) { /* outside the loop's hot part */
            s->blobs += st.blobs;
            s->computed += st.computed;
            s->hits += st.cache.hits;
            s->misses += st.cache.misses;
        }
        kzg_processor_free(proc);
    }
    return 0;
}

/* The processor cache's hit rate (hits / lookups: a lookup is a distinct blob of a call),
 * and the share of blobs answered without computing (within-call duplicates included). */
static void f_process(void *v, harness_result *res) {
    w_state *s = v;
    put_op_figures(res, s->metrics, KZG_OP_PROCESS_BLOBS);
    put_cache_figures(res, s->hits, s->misses);
    if (s->blobs)
        harness_result_set_figure(res, "reuse_rate", (double)(s->blobs - s->computed) / (double)s->blobs);
}

/* The repeating workload in steady state, for the cache-hit-rate KPI: one long-lived
 * processor (and result cache, 64 MiB as `kzgkit workload`) over an endless stream in
 * `kzgkit workload`'s model: each blob is, with probability `repeat`%, a copy of one of the
 * last WINDOW_DISTINCT distinct blobs, otherwise a new random one; one call per iteration
 * of CALL_BLOBS blobs. Setup runs PREFILL_CALLS calls first and the figures count from
 * there on, so they describe the steady state, not the cold start. A repeat that falls in the
 * same call is answered by the processor's in-call dedup and is no cache lookup: at
 * repeat = 90 the new blobs alone cap the share of lookups that can hit near 90%. */
#define WINDOW_DISTINCT 32
#define CALL_BLOBS 16
#define PREFILL_CALLS 3
typedef struct {
    kzg_ctx *ctx;
    kzg_metrics *metrics;
    kzg_processor *proc;
    long long repeat;
    kzg_blob window[WINDOW_DISTINCT], call[CALL_BLOBS];
    size_t n_window, next_slot;
    kzg_processor_stats at_start; /* after the prefill */
    kzg_commitment c[CALL_BLOBS];
    kzg_proof p[CALL_BLOBS];
} ws_state;

static int r_process_steady(void *v, uint64_t iters) {
    ws_state *s = v;
    for (uint64_t it = 0; it < iters; it++) {
        for (size_t b = 0; b < CALL_BLOBS; b++) {
            if (s->n_window && (long long)(rng_next() % 100) < s->repeat) {
                s->call[b] = s->window[rng_next() % s->n_window];
            } else {
                random_blob(&s->call[b]);
                s->window[s->next_slot] = s->call[b];
                s->next_slot = (s->next_slot + 1) % WINDOW_DISTINCT;
                if (s->n_window < WINDOW_DISTINCT) s->n_window++;
            }
        }
        if (kzg_processor_run(s->proc, s->c, s->p, NULL, s->call, CALL_BLOBS) != KZG_OK) return 1;
    }
    return 0;
}

static void ws_teardown(void *v) {
    ws_state *s = v;
    if (!s) return;
    kzg_processor_free(s->proc);
    kzg_ctx_free(s->ctx);
    kzg_metrics_free(s->metrics);
    free(s);
}

static int ws_setup(void *suite_state, const harness_case *c, void **out) {
    (void)suite_state;
    ws_state *s = calloc(1, sizeof *s);
    if (!s) return 1;
    s->repeat = harness_case_param(c, "repeat", 90);
    s->ctx = open_ctx(harness_case_param(c, "threads", 1));
    kzg_processor_options o = KZG_PROCESSOR_OPTIONS_INIT;
    o.cache_bytes = (size_t)64 << 20;
    if (!s->ctx || kzg_metrics_new(&s->metrics) != KZG_OK) {
        ws_teardown(s);
        return 1;
    }
    o.metrics = s->metrics;
    if (kzg_processor_new(&s->proc, s->ctx, &o) != KZG_OK || r_process_steady(s, PREFILL_CALLS) != 0 ||
        kzg_processor_stats_get(s->proc, &s->at_start) != KZG_OK) {
        ws_teardown(s);
        return 1;
    }
    *out = s;
    return 0;
}

static void f_process_steady(void *v, harness_result *res) {
    ws_state *s = v;
    kzg_processor_stats st;
    put_op_figures(res, s->metrics, KZG_OP_PROCESS_BLOBS);
    if (kzg_processor_stats_get(s->proc, &st) != KZG_OK) return;
    const kzg_processor_stats *a = &s->at_start;
    put_cache_figures(res, st.cache.hits - a->cache.hits, st.cache.misses - a->cache.misses);
    uint64_t blobs = st.blobs - a->blobs, computed = st.computed - a->computed;
    if (blobs) harness_result_set_figure(res, "reuse_rate", (double)(blobs - computed) / (double)blobs);
}

#define THREADS_PARAM {"threads", {1, 2}, 2}
static const harness_bench eip4844_benches[] = {
    {.name = "ctx_new", .n_params = 0, .run = r_ctx_new, .unit = "ctx"},
    {.name = "blob_to_kzg_commitment", .params = {THREADS_PARAM}, .n_params = 1,
     .setup = e_setup, .run = r_commit, .teardown = e_teardown, .unit = "blobs"},
    /* The same over fixed-base tables (table_window 12: 8.3 MiB, built before timing). */
    {.name = "blob_to_kzg_commitment_table", .params = {THREADS_PARAM, {"table_window", {12}, 1}},
     .n_params = 2, .setup = e_setup, .run = r_commit, .teardown = e_teardown, .unit = "blobs"},
    {.name = "blob_to_kzg_commitment_batch", .params = {THREADS_PARAM, {"n", {64}, 1}},
     .n_params = 2, .setup = k_setup_batch, .run = r_commit_batch, .teardown = k_teardown,
     .items_param = "n", .unit = "blobs"}, /* the batch functions record no metrics */
    {.name = "blob_to_kzg_commitment_cached", .n_params = 0, .setup = k_setup_cached,
     .run = r_commit_cached, .teardown = k_teardown, .unit = "blobs", .figures = f_commit_cached},
    {.name = "compute_kzg_proof", .params = {THREADS_PARAM}, .n_params = 1,
     .setup = e_setup, .run = r_prove, .teardown = e_teardown, .unit = "proofs"},
    {.name = "compute_blob_kzg_proof", .params = {THREADS_PARAM}, .n_params = 1,
     .setup = e_setup, .run = r_prove_blob, .teardown = e_teardown, .unit = "proofs"},
    {.name = "verify_kzg_proof", .n_params = 0,
     .setup = e_setup, .run = r_verify, .teardown = e_teardown, .unit = "proofs"},
    {.name = "verify_blob_kzg_proof", .n_params = 0,
     .setup = e_setup, .run = r_verify_blob, .teardown = e_teardown, .unit = "blobs"},
    {.name = "verify_blob_kzg_proof_batch", .params = {THREADS_PARAM, {"n", {64}, 1}}, .n_params = 2,
     .setup = e_setup, .run = r_verify_batch, .teardown = e_teardown, .items_param = "n",
     .unit = "blobs"},
    {.name = "process_blobs", .params = {{"repeat", {0, 50, 90}, 3}}, .n_params = 1,
     .setup = w_setup, .run = r_process, .teardown = w_teardown, .items_per_op = STREAM,
     .unit = "blobs", .figures = f_process},
    {.name = "process_blobs_steady", .params = {{"repeat", {90}, 1}}, .n_params = 1,
     .setup = ws_setup, .run = r_process_steady, .teardown = ws_teardown,
     .items_per_op = CALL_BLOBS, .unit = "blobs", .figures = f_process_steady},
};

/* ---- eip7594 suite ------------------------------------------------------------------ */

typedef struct {
    kzg_ctx *ctx;
    kzg_blob *blob;
    kzg_commitment commitment;
    kzg_cell *cells;          /* the blob's 128 cells */
    kzg_proof *proofs;        /* and their proofs */
    kzg_commitment *commitments; /* the commitment, once per cell (verification) */
    uint64_t *indices;        /* 0..127 (verification) */
    uint64_t *half_indices;   /* the even indices (recovery) */
    kzg_cell *half_cells;     /* the even cells (recovery) */
    kzg_cell *cells_out;      /* outputs of the timed operation */
    kzg_proof *proofs_out;
    long long threads;        /* the case's thread count */
} c_state;

static void c_teardown(void *v) {
    c_state *s = v;
    if (!s) return;
    kzg_ctx_free(s->ctx);
    free(s->blob);
    free(s->cells);
    free(s->proofs);
    free(s->commitments);
    free(s->indices);
    free(s->half_indices);
    free(s->half_cells);
    free(s->cells_out);
    free(s->proofs_out);
    free(s);
}

/* A context with the case's thread count (and FK20 tables of the case's table_bits, built
 * here), one blob with its commitment, cells and proofs, and the inputs of verification
 * (all 128 cells) and recovery (the even half); all outside the timed region. */
static int c_setup(void *suite_state, const harness_case *c, void **out) {
    const size_t cells = KZG_CELLS_PER_EXT_BLOB;
    long long table_bits = harness_case_param(c, "table_bits", -1);
    c_state *s = calloc(1, sizeof *s);
    (void)suite_state;
    if (!s) return 1;
    s->threads = harness_case_param(c, "threads", 1);
    s->ctx = open_ctx(s->threads);
    s->blob = malloc(sizeof *s->blob);
    s->cells = malloc(cells * sizeof *s->cells);
    s->proofs = malloc(cells * sizeof *s->proofs);
    s->commitments = malloc(cells * sizeof *s->commitments);
    s->indices = malloc(cells * sizeof *s->indices);
    s->half_indices = malloc(cells / 2 * sizeof *s->half_indices);
    s->half_cells = malloc(cells / 2 * sizeof *s->half_cells);
    s->cells_out = malloc(cells * sizeof *s->cells_out);
    s->proofs_out = malloc(cells * sizeof *s->proofs_out);
    if (!s->ctx || !s->blob || !s->cells || !s->proofs || !s->commitments || !s->indices ||
        !s->half_indices || !s->half_cells || !s->cells_out || !s->proofs_out)
        goto fail;
    /* Before any proof computation, which would fix the tables at table_bits 0. */
    if (table_bits >= 0 && kzg_eip7594_precompute(s->ctx, (unsigned)table_bits) != KZG_OK)
        goto fail;
    random_blob(s->blob);
    if (kzg_blob_to_kzg_commitment(s->ctx, &s->commitment, s->blob) != KZG_OK ||
        kzg_compute_cells_and_kzg_proofs(s->ctx, s->cells, s->proofs, s->blob) != KZG_OK)
        goto fail;
    for (size_t i = 0; i < cells; i++) {
        s->commitments[i] = s->commitment;
        s->indices[i] = i;
    }
    for (size_t k = 0; k < cells / 2; k++) {
        s->half_indices[k] = 2 * k;
        s->half_cells[k] = s->cells[2 * k];
    }
    *out = s;
    return 0;
fail:
    fprintf(stderr, "kzgkit bench: preparing inputs failed: %s\n", kzg_last_error());
    c_teardown(s);
    return 1;
}

static int r_compute_cells(void *v, uint64_t iters) {
    c_state *s = v;
    for (uint64_t i = 0; i < iters; i++)
        if (kzg_compute_cells(s->ctx, s->cells_out, s->blob) != KZG_OK) return 1;
    return 0;
}
static int r_compute_cells_proofs(void *v, uint64_t iters) {
    c_state *s = v;
    for (uint64_t i = 0; i < iters; i++)
        if (kzg_compute_cells_and_kzg_proofs(s->ctx, s->cells_out, s->proofs_out, s->blob) != KZG_OK)
            return 1;
    return 0;
}
/* The first proof computation of a fresh context: each iteration makes an embedded-setup
 * context (kzg_ctx_new: well under a microsecond, so it is left in the timed region), makes
 * the cells and proofs once, and frees it. The gap to compute_cells_and_kzg_proofs is what
 * a context's first call costs more (the FK20 columns are compiled in: nothing). */
static int r_compute_cells_proofs_first(void *v, uint64_t iters) {
    c_state *s = v;
    for (uint64_t i = 0; i < iters; i++) {
        kzg_ctx *ctx = NULL;
        kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
        o.threads = (uint32_t)(s->threads > 0 ? s->threads : 1);
        o.numa = bench_numa;
        o.metrics = bench_metrics;
        if (kzg_ctx_new(&ctx, &o) != KZG_OK) return 1;
        kzg_status st = kzg_compute_cells_and_kzg_proofs(ctx, s->cells_out, s->proofs_out, s->blob);
        kzg_ctx_free(ctx);
        if (st != KZG_OK) return 1;
    }
    return 0;
}
static int r_verify_cells(void *v, uint64_t iters) {
    c_state *s = v;
    bool ok = false;
    for (uint64_t i = 0; i < iters; i++)
        if (kzg_verify_cell_kzg_proof_batch(s->ctx, &ok, s->commitments, s->indices, s->cells,
                                            s->proofs, KZG_CELLS_PER_EXT_BLOB) != KZG_OK || !ok)
            return 1;
    return 0;
}
static int r_recover_proofs(void *v, uint64_t iters) {
    c_state *s = v;
    for (uint64_t i = 0; i < iters; i++)
        if (kzg_recover_cells_and_kzg_proofs(s->ctx, s->cells_out, s->proofs_out, s->half_indices,
                                             s->half_cells, KZG_CELLS_PER_EXT_BLOB / 2) != KZG_OK)
            return 1;
    return 0;
}
static int r_recover_cells(void *v, uint64_t iters) {
    c_state *s = v;
    for (uint64_t i = 0; i < iters; i++)
        if (kzg_recover_cells(s->ctx, s->cells_out, s->half_indices, s->half_cells,
                              KZG_CELLS_PER_EXT_BLOB / 2) != KZG_OK)
            return 1;
    return 0;
}

#define TABLE_BITS_PARAM {"table_bits", {0, 8}, 2}
static const harness_bench eip7594_benches[] = {
    {.name = "compute_cells", .n_params = 0,
     .setup = c_setup, .run = r_compute_cells, .teardown = c_teardown, .unit = "blobs"},
    {.name = "compute_cells_and_kzg_proofs", .params = {THREADS_PARAM, TABLE_BITS_PARAM},
     .n_params = 2, .setup = c_setup, .run = r_compute_cells_proofs, .teardown = c_teardown,
     .unit = "blobs"},
    {.name = "compute_cells_and_kzg_proofs_first", .params = {THREADS_PARAM}, .n_params = 1,
     .setup = c_setup, .run = r_compute_cells_proofs_first, .teardown = c_teardown,
     .unit = "blobs"},
    {.name = "verify_cell_kzg_proof_batch", .params = {THREADS_PARAM, {"n", {128}, 1}},
     .n_params = 2, .setup = c_setup, .run = r_verify_cells, .teardown = c_teardown,
     .items_param = "n", .unit = "cells"},
    {.name = "recover_cells_and_kzg_proofs", .params = {THREADS_PARAM}, .n_params = 1,
     .setup = c_setup, .run = r_recover_proofs, .teardown = c_teardown, .unit = "blobs"},
    {.name = "recover_cells", .n_params = 0,
     .setup = c_setup, .run = r_recover_cells, .teardown = c_teardown, .unit = "blobs"},
};

/* ---- primitives suite --------------------------------------------------------------- */

typedef struct {
    fp_t a, b;
    fr_t ra, rb;
    g1_t p, q;
    g1_aff_t qa, pa[2];
    g2_aff_t h[2];
    uint8_t g1_enc[48], g2_enc[96];
    size_t n;
    g1_aff_t *points;
    fr_t *scalars;
    void *scratch;
} p_state;

static void p_teardown(void *v) {
    p_state *s = v;
    if (!s) return;
    free(s->points);
    free(s->scalars);
    free(s->scratch);
    free(s);
}

static void random_fr(fr_t *r) {
    uint8_t b[32];
    random_element(b);
    fr_from_bytes_be(r, b);
}

static int p_setup(void *suite_state, const harness_case *c, void **out) {
    (void)suite_state;
    p_state *s = calloc(1, sizeof *s);
    if (!s) return 1;
    g1_t g;
    g2_t h, h2;
    random_fr(&s->ra);
    random_fr(&s->rb);
    fp_from_u64(&s->a, rng_next());
    fp_from_u64(&s->b, rng_next());
    fp_mul(&s->b, &s->b, &G1_GENERATOR_AFF.x);
    g1_from_aff(&g, &G1_GENERATOR_AFF);
    g1_mul_var(&s->p, &g, &s->ra);
    g1_mul_var(&s->q, &g, &s->rb);
    g1_to_aff(&s->qa, &s->q);
    g1_to_aff(&s->pa[0], &s->p);
    g1_aff_neg(&s->pa[1], &s->pa[0]);
    g1_compress(s->g1_enc, &s->pa[0]);
    g2_from_aff(&h, &G2_GENERATOR_AFF);
    g2_mul_var(&h2, &h, &s->rb);
    g2_to_aff(&s->h[0], &h2);
    s->h[1] = s->h[0];
    g2_compress(s->g2_enc, &s->h[0]);
    s->n = (size_t)harness_case_param(c, "size", 0);
    if (s->n) {
        g1_t acc;
        s->points = malloc(s->n * sizeof *s->points);
        s->scalars = malloc(s->n * sizeof *s->scalars);
        s->scratch = malloc(g1_msm_scratch_size(s->n));
        if (!s->points || !s->scalars || !s->scratch) {
            p_teardown(s);
            return 1;
        }
        /* Points: consecutive multiples of a random point (distinct, in the subgroup). */
        acc = s->p;
        for (size_t i = 0; i < s->n; i++) {
            g1_to_aff(&s->points[i], &acc);
            g1_add(&acc, &acc, &s->q);
            random_fr(&s->scalars[i]);
        }
    }
    *out = s;
    return 0;
}

#define P_LOOP(fn_name, body)                                                              \
    static int fn_name(void *v, uint64_t iters) {                                          \
        p_state *s = v;                                                                    \
        for (uint64_t i = 0; i < iters; i++) { body; }                                     \
        return 0;                                                                          \
    }
P_LOOP(r_fp_mul, fp_mul(&s->a, &s->a, &s->b))
P_LOOP(r_fp_sqr, fp_sqr(&s->a, &s->a))
P_LOOP(r_fp_inv, fp_inv_var(&s->a, &s->a); fp_add(&s->a, &s->a, &s->b))
P_LOOP(r_fr_mul, fr_mul(&s->ra, &s->ra, &s->rb))
P_LOOP(r_fr_inv, fr_inv_var(&s->ra, &s->ra); fr_add(&s->ra, &s->ra, &s->rb))
P_LOOP(r_g1_add, g1_add(&s->p, &s->p, &s->q))
P_LOOP(r_g1_add_aff, g1_add_aff(&s->p, &s->p, &s->qa))
P_LOOP(r_g1_dbl, g1_dbl(&s->p, &s->p))

static int r_g1_decompress(void *v, uint64_t iters) {
    p_state *s = v;
    g1_aff_t r;
    for (uint64_t i = 0; i < iters; i++)
        if (g1_decompress(&r, s->g1_enc) != KZG_OK) return 1;
    return 0;
}
static int r_g1_subgroup(void *v, uint64_t iters) {
    p_state *s = v;
    for (uint64_t i = 0; i < iters; i++)
        if (!g1_in_subgroup_var(&s->p)) return 1;
    return 0;
}
static int r_g2_decompress(void *v, uint64_t iters) {
    p_state *s = v;
    g2_aff_t r;
    for (uint64_t i = 0; i < iters; i++)
        if (g2_decompress(&r, s->g2_enc) != KZG_OK) return 1;
    return 0;
}
static int r_pairing(void *v, uint64_t iters) {
    p_state *s = v;
    fp12_t f;
    for (uint64_t i = 0; i < iters; i++) pairing(&f, &s->pa[0], &s->h[0]);
    return fp12_is_one(&f);
}
static int r_pairing2(void *v, uint64_t iters) {
    p_state *s = v;
    for (uint64_t i = 0; i < iters; i++)
        if (!pairing_product_is_one(s->pa, s->h, 2)) return 1;
    return 0;
}
static int r_msm(void *v, uint64_t iters) {
    p_state *s = v;
    g1_t r;
    for (uint64_t i = 0; i < iters; i++) g1_msm_var(&r, s->points, s->scalars, s->n, NULL, s->scratch);
    return 0;
}

#define PRIM(nm, fn) {.name = nm, .setup = p_setup, .run = fn, .teardown = p_teardown}
static const harness_bench primitive_benches[] = {
    PRIM("fp_mul", r_fp_mul),
    PRIM("fp_sqr", r_fp_sqr),
    PRIM("fp_inv_var", r_fp_inv),
    PRIM("fr_mul", r_fr_mul),
    PRIM("fr_inv_var", r_fr_inv),
    PRIM("g1_add", r_g1_add),
    PRIM("g1_add_aff", r_g1_add_aff),
    PRIM("g1_dbl", r_g1_dbl),
    PRIM("g1_decompress", r_g1_decompress),
    PRIM("g1_in_subgroup", r_g1_subgroup),
    PRIM("g2_decompress", r_g2_decompress),
    PRIM("pairing", r_pairing),
    PRIM("pairing_product_2", r_pairing2),
    {.name = "g1_msm", .params = {{"size", {256, 1024, 4096}, 3}}, .n_params = 1,
     .setup = p_setup, .run = r_msm, .teardown = p_teardown, .items_param = "size",
     .unit = "points"},
};


/* ---- generic suite: KZG over power-of-two domains 256..4096 -------------------------------
 * Real KZG over a smaller domain: the Lagrange basis of the n-th roots of unity is derived
 * from the first n monomial setup points by a G1 inverse FFT ([L_i(τ)] = (1/n)·Σ_j
 * ω^(-ij)·[τ^j]), outside the timed region. commit = MSM(L, evaluations); prove at z = IFFT
 * to coefficients, y by Horner, the quotient (p - y)/(X - z) by synthetic division, MSM over
 * the monomial points; verify = e(π, [τ - z]G2)·e([y]G1 - C, G2) = 1. The setup checks
 * verify(prove) and, at n = 4096, that the derived basis is the setup's own. */
typedef struct {
    kzg_ctx *ctx;
    size_t n;
    const g1_aff_t *lagrange; /* borrowed from lagrange_by_log */
    fr_t *evals, *roots, *coeffs, *quot;
    fr_t z, y;
    g1_aff_t commitment, proof;
    void *scratch;
} g_state;

/* Derived bases by log2(n), shared by the suite's cases (the G1 IFFT of 4096 points takes
 * about a second); freed by the suite's fini. */
static g1_aff_t *lagrange_by_log[13];
static void g_fini(void *suite_state) {
    (void)suite_state;
    for (size_t i = 0; i < 13; i++) {
        free(lagrange_by_log[i]);
        lagrange_by_log[i] = NULL;
    }
}

static void g_teardown(void *v) {
    g_state *s = v;
    if (!s) return;
    kzg_ctx_free(s->ctx);
    free(s->evals);
    free(s->roots);
    free(s->coeffs);
    free(s->quot);
    free(s->scratch);
    free(s);
}

static void g_commit(g_state *s, g1_aff_t *out) {
    g1_t c;
    g1_msm_var(&c, s->lagrange, s->evals, s->n, &s->ctx->msm_windows, s->scratch);
    g1_to_aff(out, &c);
}

static void g_prove(g_state *s, g1_aff_t *proof, fr_t *y) {
    g1_t p;
    size_t n = s->n;
    fr_ifft(s->coeffs, s->evals, n, s->roots, 1);               /* n/2·log n fr_mul */
    *y = s->coeffs[n - 1];                                      /* Horner: n fr_mul */
    for (size_t i = n - 1; i-- > 0;) {
        fr_mul(y, y, &s->z);
        fr_add(y, y, &s->coeffs[i]);
    }
    s->quot[n - 2] = s->coeffs[n - 1];                          /* synthetic division: n fr_mul */
    for (size_t i = n - 2; i > 0; i--) {
        fr_mul(&s->quot[i - 1], &s->quot[i], &s->z);
        fr_add(&s->quot[i - 1], &s->quot[i - 1], &s->coeffs[i]);
    }
    g1_msm_var(&p, s->ctx->setup.g1_monomial, s->quot, n - 1, &s->ctx->msm_windows, s->scratch);
    g1_to_aff(proof, &p);
}

static bool g_verify(const g_state *s) {
    g1_t g, yg, t;
    g2_t h, zh, tau;
    g1_aff_t p[2];
    g2_aff_t q[2];
    g1_from_aff(&g, &G1_GENERATOR_AFF);
    g1_mul_var(&yg, &g, &s->y);                                 /* [y]G1 - C */
    g1_from_aff(&t, &s->commitment);
    g1_neg(&t, &t);
    g1_add(&yg, &yg, &t);
    g2_from_aff(&h, &G2_GENERATOR_AFF);                         /* [τ - z]G2 */
    g2_mul_var(&zh, &h, &s->z);
    g2_neg(&zh, &zh);
    g2_from_aff(&tau, &s->ctx->setup.g2_monomial[1]);
    g2_add(&tau, &tau, &zh);
    p[0] = s->proof;
    g1_to_aff(&p[1], &yg);
    g2_to_aff(&q[0], &tau);
    q[1] = G2_GENERATOR_AFF;
    return pairing_product_is_one(p, q, 2);
}

static int g_setup(void *suite_state, const harness_case *c, void **out) {
    (void)suite_state;
    g_state *s = calloc(1, sizeof *s);
    g1_t *jac = NULL, *lag = NULL;
    fp_t *fscratch = NULL;
    if (!s) return 1;
    s->n = (size_t)harness_case_param(c, "size", 4096);
    size_t n = s->n;
    if (n < 2 || n > 4096 || !poly_is_power_of_two(n)) {
        fprintf(stderr, "kzgkit bench: generic size %zu: a power of two in 2..4096\n", n);
        goto fail;
    }
    s->ctx = open_ctx(1);
    s->evals = malloc(n * sizeof *s->evals);
    s->roots = malloc(n * sizeof *s->roots);
    s->coeffs = malloc(n * sizeof *s->coeffs);
    s->quot = malloc(n * sizeof *s->quot);
    s->scratch = malloc(g1_msm_scratch_size(n));
    jac = malloc(n * sizeof *jac);
    lag = malloc(n * sizeof *lag);
    fscratch = malloc(n * sizeof *fscratch);
    if (!s->ctx || !s->evals || !s->roots || !s->coeffs || !s->quot || !s->scratch || !jac ||
        !lag || !fscratch || !poly_roots_of_unity(s->roots, n))
        goto fail;
    for (size_t i = 0; i < n; i++) random_fr(&s->evals[i]);
    unsigned lg = poly_log2(n);
    if (!lagrange_by_log[lg]) {
        g1_aff_t *basis = malloc(n * sizeof *basis);
        if (!basis) goto fail;
        for (size_t i = 0; i < n; i++) g1_from_aff(&jac[i], &s->ctx->setup.g1_monomial[i]);
        g1_ifft_var(lag, jac, n, s->roots, 1);
        g1_batch_to_aff(basis, lag, n, fscratch);
        lagrange_by_log[lg] = basis;
    }
    s->lagrange = lagrange_by_log[lg];
    if (n == 4096) { /* the derived basis must be the setup's own (stored bit-reversed) */
        const g1_aff_t *brp = s->ctx->setup.g1_lagrange_brp;
        for (size_t i = 0; i < n; i++)
            if (memcmp(&s->lagrange[i], &brp[poly_reverse_bits(i, 12)], sizeof *brp) != 0) {
                fprintf(stderr, "kzgkit bench: derived Lagrange point %zu differs from the setup's\n", i);
                goto fail;
            }
    }
    random_fr(&s->z);
    g_commit(s, &s->commitment);
    g_prove(s, &s->proof, &s->y);
    if (!g_verify(s)) {
        fprintf(stderr, "kzgkit bench: generic KZG at size %zu does not verify\n", n);
        goto fail;
    }
    free(jac);
    free(lag);
    free(fscratch);
    *out = s;
    return 0;
fail:
    free(jac);
    free(lag);
    free(fscratch);
    g_teardown(s);
    return 1;
}

static int r_g_commit(void *v, uint64_t iters) {
    g_state *s = v;
    g1_aff_t c;
    for (uint64_t i = 0; i < iters; i++) g_commit(s, &c);
    return memcmp(&c, &s->commitment, sizeof c) != 0;
}
static int r_g_prove(void *v, uint64_t iters) {
    g_state *s = v;
    g1_aff_t p;
    fr_t y;
    for (uint64_t i = 0; i < iters; i++) g_prove(s, &p, &y);
    return memcmp(&p, &s->proof, sizeof p) != 0;
}
static int r_g_verify(void *v, uint64_t iters) {
    g_state *s = v;
    for (uint64_t i = 0; i < iters; i++)
        if (!g_verify(s)) return 1;
    return 0;
}

#define SIZES_PARAM {"size", {256, 1024, 4096}, 3}
static const harness_bench generic_benches[] = {
    {.name = "kzg_commit", .params = {SIZES_PARAM}, .n_params = 1, .setup = g_setup,
     .run = r_g_commit, .teardown = g_teardown, .unit = "commitments"},
    {.name = "kzg_prove", .params = {SIZES_PARAM}, .n_params = 1, .setup = g_setup,
     .run = r_g_prove, .teardown = g_teardown, .unit = "proofs"},
    {.name = "kzg_verify", .params = {SIZES_PARAM}, .n_params = 1, .setup = g_setup,
     .run = r_g_verify, .teardown = g_teardown, .unit = "proofs"},
};

static const harness_suite suites[] = {
    {"eip4844", eip4844_benches, sizeof eip4844_benches / sizeof eip4844_benches[0], NULL, NULL,
     &kzg_mem_probe, describe_env},
    {"eip7594", eip7594_benches, sizeof eip7594_benches / sizeof eip7594_benches[0], NULL, NULL,
     &kzg_mem_probe, describe_env},
    {"generic", generic_benches, sizeof generic_benches / sizeof generic_benches[0], NULL, g_fini,
     &kzg_mem_probe, describe_env},
    {"primitives", primitive_benches, sizeof primitive_benches / sizeof primitive_benches[0],
     NULL, NULL, &kzg_mem_probe, describe_env},
};

int cmd_bench(cli_global *g, int argc, char **argv) {
    bench_setup_path = g->setup_path;
    bench_numa = g->numa;
    bench_metrics = g->metrics;
    return harness_main_bench(argc, argv, suites, sizeof suites / sizeof suites[0]);
}

int cmd_compare(cli_global *g, int argc, char **argv) {
    (void)g;
    return harness_main_compare(argc, argv);
}

int cmd_analyze(cli_global *g, int argc, char **argv) {
    (void)g;
    return harness_main_analyze(argc, argv);
}

int cmd_history(cli_global *g, int argc, char **argv) {
    (void)g;
    return harness_main_history(argc, argv);
}
