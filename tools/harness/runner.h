/*
 * tools/harness/runner.h — turning suites into measurements, and measurements into a table.
 *
 * Owns: expanding benchmarks into cases (param sweeps, overrides, --filter), warm-up and
 * the choice of iterations per sample, the sample loop, the untimed memory run, peak RSS,
 * the progress bar (stderr, only on a terminal), and the console table with units. Calls
 * stats.h, compare.h, results.h, env.h.
 *
 * How one case is measured: setup; warm-up for warmup_s, doubling the iteration count from
 * 1, which also estimates the time per iteration; iters_per_sample = sample_s / that
 * estimate (at least 1); `samples` samples of iters_per_sample iterations each, fewer
 * (not below min_samples) when they would exceed max_s; one extra untimed call between
 * the probe's begin and end for allocations; peak RSS; teardown. A sample is stored as
 * nanoseconds per iteration.
 */
#ifndef KZGKIT_HARNESS_RUNNER_H
#define KZGKIT_HARNESS_RUNNER_H

#include <regex.h>
#include <stdbool.h>
#include <stdio.h>

#include "compare.h"
#include "harness.h"
#include "icount.h"

typedef struct harness_run_opts {
    size_t samples;     /* per case */
    size_t min_samples; /* floor when max_s cuts the count */
    double warmup_s;
    double sample_s;    /* target duration of one sample */
    double max_s;       /* soft cap on the sampling time of one case */
    size_t resamples;   /* bootstrap resamples for the median interval (0: default) */
    uint64_t seed;
    bool progress;      /* draw the progress bar (still only when stderr is a terminal) */
    /* --measure instructions: one warm-up run(state, 1), then `samples` samples of
     * run(state, count_iters) counted by `counter` (PERF or CALLGRIND, never AUTO here);
     * a sample is instructions per iteration. Under CALLGRIND the samples stay 0 and the
     * dumps are tagged with the result's index (harness_cg_collect fills them in). */
    harness_measure measure;
    harness_counter counter;
    uint64_t count_iters; /* 0: 1 */
} harness_run_opts;

/* Normal: 30 samples of 10 ms after 0.5 s warm-up, ≤ 5 s per case (min 5 samples).
 * Quick:  10 samples of 2 ms after 50 ms warm-up, ≤ 0.5 s per case (min 3 samples). */
harness_run_opts harness_run_defaults(bool quick);

/* A replacement value list for one param key (from --threads, --sizes, --param). */
typedef struct harness_override {
    char key[HARNESS_KEY_MAX];
    long long values[HARNESS_MAX_VALUES];
    size_t n_values;
} harness_override;

/* Parses "1,2,4" into o->values. 0, or −1 (malformed, negative, or more than
 * HARNESS_MAX_VALUES values). */
int harness_parse_values(harness_override *o, const char *key, const char *list);

/* Expands suites into cases: the cartesian product of each bench's param values (with
 * overrides applied), kept when `filter` (NULL: all) matches the case id. Returns 0 with a
 * malloc'ed array, or −1 on allocation failure. `unused_override` (may be NULL) receives
 * the index of the first override that no benchmark has, or −1. */
int harness_expand(harness_case **out, size_t *n_out, const harness_suite *suites,
                   size_t n_suites, const harness_override *ov, size_t n_ov,
                   const regex_t *filter, int *unused_override);

/* Runs the cases in order (suite init/fini around each suite's run of cases), appending
 * one result per case to `out`. A failing setup/run is recorded in that result's error and
 * the run continues. Returns 0, or −1 on allocation failure or a failed suite init. */
int harness_run_cases(harness_results *out, const harness_case *cases, size_t n,
                      const harness_run_opts *opts);

/* The measuring half of `kzgkit ab` (ab.h): `kzgkit bench --ab-worker [bench options]`
 * expands the cases as bench would, then serves requests, one line each, read from in_fd,
 * answering each with one line on its stdout (stdout itself is redirected to stderr, so
 * that nothing else can be taken for a reply):
 *   at start        "kzgkit-worker PROTOCOL N", then N lines "case ID" (the cases, in order)
 *   "open I"        case I's suite init (when another suite was open: that one's fini first),
 *                   setup and warm-up (warmup_s) -> "ok NS_PER_ITER" (the warm-up estimate)
 *   "run ITERS"     ITERS iterations of the open case, timed -> "t WALL_NS CPU_NS": the
 *                   elapsed time and the CPU time of the process (all threads) over the run
 *   "pin CPUS"      every thread of the worker to CPUS (env.h) -> "ok"
 *   "close"         the open case's teardown -> "ok"
 *   "quit" or EOF   teardown, fini, return 0
 * A failure answers "err MESSAGE" and leaves the worker serving. Returns 0, or −1 when the
 * streams cannot be set up. */
#define HARNESS_WORKER_PROTOCOL 1
int harness_worker(int in_fd, const harness_case *cases, size_t n, const harness_run_opts *o);

/* Formatting with automatic units: "812 ns", "12.3 µs", "4.56 ms", "1.23 s"; bytes as
 * "512 B", "1.5 KiB", "3.2 MiB"; rates as "812 op/s", "12.3 kop/s"... */
void harness_fmt_ns(char *buf, size_t cap, double ns);
void harness_fmt_bytes(char *buf, size_t cap, double bytes);
void harness_fmt_rate(char *buf, size_t cap, double per_s, const char *unit);
/* A count with thousands separators: "1,234,567"; below 1000 with one decimal. */
void harness_fmt_count(char *buf, size_t cap, double v);

/* The results table (for instruction counts: instructions per operation, their spread over
 * the samples, and with cache simulation misses and estimated cycles); with `matches` (from harness_match_results, may be NULL) a second,
 * benchstat-style table: old/new median, change, its 95% interval, p, verdict. */
void harness_print_table(FILE *f, const harness_results *r);
void harness_print_comparison(FILE *f, const harness_match *m, size_t n,
                              const harness_compare_opts *opts);

#endif
