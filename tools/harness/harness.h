/*
 * tools/harness/harness.h — the measuring system behind `kzgkit bench`, `kzgkit compare`,
 * `kzgkit analyze` and `kzgkit history`: what a suite of benchmarks looks like, how it is
 * run, and the entry points the CLI calls. Tool code (the kzg_harness static library), not libkzgkit:
 * nothing here is exported by the library, and the harness calls no kzg_ function itself —
 * suites do, through the hooks below.
 *
 * Module map (each header states its own contract):
 *   stats.h    descriptive statistics, bootstrap, t and normal distributions
 *   compare.h  Mann–Whitney U, change in median with its interval, the verdict rule
 *   env.h      machine and build description, --pin, noise warnings
 *   results.h  result types, JSON writer/reader, baselines
 *   formats.h  `bench --format`: Google Benchmark JSON (written and read), github-action
 *   runner.h   warm-up, iteration counts, samples, memory, progress, the console table
 *   html.h     the self-contained HTML report
 *   analyze.h  bottlenecks, diagnostics, before/after, KPI check
 *   ab.h       `kzgkit ab`: paired, interleaved A/B of two builds, Wilcoxon signed-rank
 *   history.h  `bench --history DB` and `kzgkit history`: runs in SQLite, trends, change points
 *
 * Exit statuses of the entry points: 0 success; 1 a runtime failure (I/O error, benchmark
 * setup failed); 2 bad usage or unreadable input (one line on stderr); 3 something
 * regressed against the baseline, or a KPI target failed.
 */
#ifndef KZGKIT_HARNESS_H
#define KZGKIT_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "env.h"
#include "results.h"

#define HARNESS_MAX_VALUES 16

typedef struct harness_case harness_case;

/* A swept parameter: the benchmark runs once per value (the cartesian product over all of
 * a benchmark's params). `--threads 1,2`, `--sizes 256,4096` and `--param KEY=v1,v2`
 * replace the values of the parameter with that key ("threads", "size", KEY). */
typedef struct harness_param_def {
    const char *key;
    long long values[HARNESS_MAX_VALUES];
    size_t n_values;
} harness_param_def;

/* One benchmark. The timed region is exactly run(state, iters): setup and teardown are
 * outside it. run performs the operation `iters` times and returns 0, or non-zero if the
 * operation failed (the benchmark is then recorded with an error, and counts against the
 * error-rate KPI). */
typedef struct harness_bench {
    const char *name; /* the operation's spec name, e.g. "blob_to_kzg_commitment" */
    harness_param_def params[HARNESS_MAX_PARAMS];
    size_t n_params;
    /* Builds the state for one case (read its params with harness_case_param); returns 0.
     * NULL: state is NULL. suite_state is what the suite's init produced. */
    int (*setup)(void *suite_state, const harness_case *c, void **state);
    int (*run)(void *state, uint64_t iters);
    void (*teardown)(void *state); /* NULL allowed */
    /* Throughput: items processed by one call of the operation (e.g. n blobs), in `unit`.
     * 0 means 1; unit NULL means "op". The report shows items/s at the median time. An
     * item count that depends on params: items_param names the param to use (e.g. "n"). */
    double items_per_op;
    const char *items_param;
    const char *unit;
    /* Figures the benchmark measured besides time (a cache's hit rate over the run, the
     * operations' error counters), set with harness_result_set_figure: called once after
     * the samples and the memory run of a case that did not fail, before teardown, so it
     * sees the state every timed call has left. NULL: none. */
    void (*figures)(void *state, harness_result *res);
} harness_bench;

/* A one-operation memory measurement, plugged in by the suite. begin() is called right
 * before one extra, untimed run(state, 1) and end() right after it; end fills the three
 * per-operation figures (allocations, bytes requested, peak live bytes above the level at
 * begin) and returns 0, or non-zero if it cannot tell (the fields stay null). For kzgkit:
 * begin = snapshot kzg_alloc_stats_get and kzg_alloc_stats_reset_peak; end = differences
 * of allocations and bytes_allocated, and peak_live_bytes − live_bytes at begin. */
typedef struct harness_mem_stats {
    uint64_t alloc_count, alloc_bytes, peak_live_bytes;
    /* Optional: bytes requested beyond the payloads (headers, alignment padding; for kzgkit
     * kzg_alloc_overhead_get's overhead_bytes difference), recorded as the figure
     * "alloc_overhead_bytes" when overhead_known is set. */
    bool overhead_known;
    uint64_t overhead_bytes;
} harness_mem_stats;

typedef struct harness_mem_probe {
    void *ctx;
    void (*begin)(void *ctx);
    int (*end)(void *ctx, harness_mem_stats *out);
} harness_mem_probe;

typedef struct harness_suite {
    const char *name; /* e.g. "eip4844"; shown in --list */
    const harness_bench *benches;
    size_t n_benches;
    /* Suite-wide state shared by its benchmarks (e.g. a kzg_ctx): init runs once before the
     * suite's first selected case, fini after its last. Both may be NULL. */
    int (*init)(void **suite_state);
    void (*fini)(void *suite_state);
    const harness_mem_probe *mem; /* NULL: allocation fields are null in the results */
    /* Adds what only the suite knows to the environment (backend, library thread count).
     * May be NULL. Called once per run, after harness_env_capture. */
    void (*describe_env)(harness_env *env);
} harness_suite;

/* One expanded benchmark: a bench with one value chosen for each param. */
struct harness_case {
    const harness_suite *suite;
    const harness_bench *bench;
    harness_kv params[HARNESS_MAX_PARAMS];
    size_t n_params;
    char id[HARNESS_NAME_MAX + HARNESS_MAX_PARAMS * (HARNESS_KEY_MAX + 24)];
};

/* The value of a case's parameter `key`, or `dflt` when the benchmark has no such param. */
long long harness_case_param(const harness_case *c, const char *key, long long dflt);

/* `kzgkit bench`: runs the selected cases of suites[0..n) and reports. argv[0] is the
 * command name ("bench"); options are listed by --help. */
int harness_main_bench(int argc, char **argv, const harness_suite *suites, size_t n);
/* `kzgkit compare A.json B.json`: B against A; exit 3 when anything regressed. */
int harness_main_compare(int argc, char **argv);
/* `kzgkit analyze RESULT.json [--baseline B.json] [--targets FILE]`. */
int harness_main_analyze(int argc, char **argv);
/* `kzgkit history DB`: each benchmark's trend across the recorded runs, change points;
 * exit 3 only with --fail-on-change. */
int harness_main_history(int argc, char **argv);

/* A suite of synthetic workloads (integer mixing loops, memory streaming, allocation
 * churn, a param sweep over size and threads) for the harness's own tests and demos. */
extern const harness_suite harness_demo_suite;

#endif
