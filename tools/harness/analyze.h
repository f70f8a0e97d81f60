/*
 * tools/harness/analyze.h — from measurements to advice.
 *
 * Owns: bottleneck detection (high coefficient of variation, max ≫ median, long upper
 * tails, severe outliers, too few samples, failures), rule-based diagnostics with their
 * evidence (noisy machine → pin/quiet it; poor thread scaling → fewer threads; thread
 * count above the usable CPUs; allocation in the timed operation; size scaling exponent),
 * the before/after summary against a baseline, and the KPI check against a targets file.
 * Calls stats.h, compare.h, results.h, runner.h (formatting). Thresholds are in
 * harness_analyze_opts and documented in docs/BENCH.md.
 */
#ifndef KZGKIT_HARNESS_ANALYZE_H
#define KZGKIT_HARNESS_ANALYZE_H

#include <stdbool.h>
#include <stdio.h>

#include "compare.h"
#include "results.h"

typedef enum harness_finding_kind {
    HARNESS_FIND_FAILED,           /* the benchmark did not run */
    HARNESS_FIND_NOISY_ENV,        /* env warnings (load, governor, turbo, hypervisor) */
    HARNESS_FIND_HIGH_CV,          /* cv > cv_threshold */
    HARNESS_FIND_SPIKES,           /* max > spike_ratio × median */
    HARNESS_FIND_LONG_TAIL,        /* ≥ 2 and ≥ 5% of samples above tail_ratio × median */
    HARNESS_FIND_SEVERE_OUTLIERS,  /* any sample beyond the 3·IQR fences */
    HARNESS_FIND_FEW_SAMPLES,      /* n < min_samples */
    HARNESS_FIND_POOR_SCALING,     /* thread-scaling efficiency < scaling_efficiency */
    HARNESS_FIND_OVERSUBSCRIBED,   /* threads > usable CPUs */
    HARNESS_FIND_ALLOCATES,        /* allocations inside the measured operation */
    HARNESS_FIND_SIZE_SCALING,     /* time ∝ size^k over a size sweep (k reported) */
} harness_finding_kind;

typedef struct harness_finding {
    harness_finding_kind kind;
    bool warning;           /* false: informational */
    char subject[160];      /* benchmark id, group, or "environment" */
    char evidence[320];
    char advice[320];
} harness_finding;

typedef struct harness_analysis {
    harness_finding *items;
    size_t n, cap;
} harness_analysis;

typedef struct harness_analyze_opts {
    double cv_threshold;       /* 0.05 */
    double spike_ratio;        /* 2.0 */
    double tail_ratio;         /* 1.25 */
    size_t min_samples;        /* 10 */
    double scaling_efficiency; /* 0.7 */
    harness_compare_opts cmp;  /* for the before/after summary */
} harness_analyze_opts;

harness_analyze_opts harness_analyze_defaults(void);

/* Runs every rule over r. Returns 0, or −1 on allocation failure. */
int harness_analyze(harness_analysis *out, const harness_results *r,
                    const harness_analyze_opts *opts);
void harness_analysis_free(harness_analysis *a);
/* Prints the findings, warnings first, each with its evidence and advice. */
void harness_analysis_print(FILE *f, const harness_analysis *a);
/* Number of findings of a kind (for tests and summaries). */
size_t harness_analysis_count(const harness_analysis *a, harness_finding_kind kind);

/* Before/after against a baseline: latency (median, with interval, p and verdict),
 * throughput and memory deltas per benchmark. Returns the number of regressions. */
size_t harness_print_before_after(FILE *f, const harness_match *m, size_t n);

/* ---- KPI targets -------------------------------------------------------------------- */

#define HARNESS_MAX_EXTRA_TARGETS 32

/* The production figures kzgkit was specified with (issue 12 §5), not figures chosen to
 * pass; a machine that misses one is told so by the check, with the figure it reached.
 * Benchmark names match a result's name, or its id ("name/key=value/...") exactly or as a
 * prefix ending at a '/'. */
typedef struct harness_targets {
    /* A commitment within this many ms by the fastest of three paths, preferred in this
     * order when more than one meets it: one cold call (commitment_bench), amortised over a
     * batch (per-blob time of commitment_batch_bench: median / its "n" blobs, on its
     * "threads"), a result-cache hit (commitment_cached_bench). NaN: off. */
    double commitment_latency_ms;
    double verification_throughput; /* best throughput over verification_bench cases ≥ this */
    double peak_memory_mb;           /* max peak_rss_bytes ≤ this many MiB (1024: 1 GiB) */
    double cache_hit_rate;           /* lowest figure "cache_hit_rate" of cache_bench ≥ this */
    /* max(failed benchmarks / all, Σ figure "op_errors" / Σ figure "op_calls") ≤ this */
    double error_rate;
    char commitment_bench[HARNESS_NAME_MAX];
    char commitment_cached_bench[HARNESS_NAME_MAX];
    char commitment_batch_bench[HARNESS_NAME_MAX];
    char verification_bench[HARNESS_NAME_MAX];
    char cache_bench[HARNESS_NAME_MAX];
    struct {
        char bench[HARNESS_NAME_MAX];
        bool throughput; /* false: latency_ms (median ≤), true: throughput (≥) */
        double value;
    } extra[HARNESS_MAX_EXTRA_TARGETS];
    size_t n_extra;
} harness_targets;

/* 1 ms per commitment (blob_to_kzg_commitment cold, ..._batch amortised, ..._cached),
 * 10,000 blobs/s for verify_blob_kzg_proof_batch, 1024 MiB peak RSS, cache hit rate 0.90 on
 * process_blobs/repeat=90, error rate 0.001. */
void harness_targets_defaults(harness_targets *t);
/* Reads a targets file over the defaults: "key = value" lines (# comments) or a JSON object
 * with the same keys (docs/BENCH.md). 0, or −1 with a one-line reason in err. */
int harness_targets_load(harness_targets *t, const char *path, char *err, size_t errlen);

typedef struct harness_kpi_summary {
    size_t pass, fail, na;
} harness_kpi_summary;

/* Checks r against t, printing to f (NULL: silent) one line per check: PASS, FAIL or n/a,
 * what, the case it rests on, the measured value and the target; under a FAIL one plain
 * sentence of what the run missed (e.g. the cores 10,000 blobs/s would need at the measured
 * rate per core); under the commitment line an "info" line with every commitment path's
 * figure, the cold single call included. Info lines are not counted. */
harness_kpi_summary harness_kpi_check(FILE *f, const harness_results *r,
                                      const harness_targets *t);

#endif
