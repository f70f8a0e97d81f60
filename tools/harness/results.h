/*
 * tools/harness/results.h — benchmark results in memory and as JSON (docs/BENCH.md).
 *
 * Owns: the result types, the JSON writer (hand-written, stable key order, escaped, doubles
 * in their shortest round-trip form, NaN/unknown as null), the reader (cJSON) with schema
 * checks, and the baseline store (`--save-baseline NAME`, `--baseline NAME` under
 * $KZGKIT_BASELINE_DIR or .kzgkit/baselines/). Calls stats.h and env.h.
 */
#ifndef KZGKIT_HARNESS_RESULTS_H
#define KZGKIT_HARNESS_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "env.h"
#include "stats.h"

#define HARNESS_SCHEMA_VERSION 1
#define HARNESS_MAX_PARAMS 8
#define HARNESS_NAME_MAX 96
#define HARNESS_KEY_MAX 32

typedef struct harness_kv {
    char key[HARNESS_KEY_MAX];
    long long value;
} harness_kv;

/* A count that may be unknown (JSON null), e.g. allocations when no probe is plugged in. */
typedef struct harness_opt_u64 {
    bool known;
    uint64_t value;
} harness_opt_u64;

/* A figure a benchmark measured besides time, by name (e.g. "cache_hit_rate" of a cache
 * over the run, "op_errors" of the operations' own error counters). */
#define HARNESS_MAX_FIGURES 8
typedef struct harness_figure {
    char key[HARNESS_KEY_MAX];
    double value;
} harness_figure;

typedef struct harness_result {
    char name[HARNESS_NAME_MAX]; /* the operation, e.g. "blob_to_kzg_commitment" */
    harness_kv params[HARNESS_MAX_PARAMS];
    size_t n_params;
    double *samples_ns;          /* per-iteration time of each sample; owned (malloc) */
    size_t n_samples;
    uint64_t iters_per_sample;
    harness_summary stats;
    double throughput;           /* items per second at the median; NaN if unknown */
    char throughput_unit[32];    /* e.g. "op/s", "blobs/s" */
    harness_opt_u64 alloc_count, alloc_bytes, peak_live_bytes; /* per operation (one call) */
    harness_opt_u64 peak_rss_bytes;
    char peak_rss_scope[16];     /* "benchmark" (peak reset before it) or "process" */
    /* Instruction-count runs with callgrind's cache simulation only (NaN otherwise), per
     * operation: L1 (I1+D1) and last-level misses, and Ir + 10·L1 + 100·LL misses. */
    double l1_misses, ll_misses, est_cycles;
    /* Figures the benchmark reported (harness_bench.figures); JSON "figures", an object
     * written only when there are some and read as absent from older files. */
    harness_figure figures[HARNESS_MAX_FIGURES];
    size_t n_figures;
    char error[160];             /* "" when the benchmark ran; else why it did not */
} harness_result;

typedef struct harness_results {
    int schema_version;
    char kzgkit_version[32];
    /* What samples_ns holds: "ns" (time per iteration; files without "unit" are read as ns)
     * or "instructions" (instructions per iteration, `--measure instructions`). */
    char unit[16];
    harness_env env;
    harness_result *items;
    size_t n, cap;
} harness_results;

#define HARNESS_UNIT_NS "ns"
#define HARNESS_UNIT_INSTRUCTIONS "instructions"
/* Whether the set holds instruction counts rather than times. */
bool harness_results_counts(const harness_results *r);

/* An empty set with schema_version, kzgkit_version and unit "ns" filled in. */
void harness_results_init(harness_results *r);
/* Frees the items and their samples; the set is empty afterwards. NULL allowed. */
void harness_results_free(harness_results *r);
/* Appends a zeroed result and returns it (NULL on allocation failure). */
harness_result *harness_results_push(harness_results *r);

/* "name" or "name/key=value/key=value" in declared parameter order: the benchmark's id in
 * tables, --list and --filter. */
void harness_result_id(const harness_result *res, char *buf, size_t cap);
/* The same with keys sorted: the key used to match benchmarks across two result files. */
void harness_result_match_key(const harness_result *res, char *buf, size_t cap);
/* Value of parameter `key`, or `dflt` when absent. */
long long harness_result_param(const harness_result *res, const char *key, long long dflt);

/* Sets the figure `key` (replacing its value when present). 0, or −1 when the result
 * already has HARNESS_MAX_FIGURES others, the key is empty or longer than
 * HARNESS_KEY_MAX − 1, or the value is not finite. */
int harness_result_set_figure(harness_result *res, const char *key, double value);
/* The figure's value, or NaN when the result has no figure of that name. */
double harness_result_figure(const harness_result *res, const char *key);

/* Writes the set as JSON to f; 0, or −1 on an I/O error. */
int harness_results_write(FILE *f, const harness_results *r);
/* Writes to `path` atomically (temporary file, then rename); creates no directories.
 * Returns 0, or −1 with a one-line reason in err. */
int harness_results_save(const char *path, const harness_results *r, char *err, size_t errlen);
/* The same for any writer: writer(f, ctx) returns 0, or −1 on an I/O error. */
int harness_write_atomic(const char *path, int (*writer)(FILE *f, const void *ctx),
                         const void *ctx, char *err, size_t errlen);
/* JSON pieces as the writer puts them, for the other formats (formats.h): a string, quoted
 * and escaped; a number in its shortest round-trip form, or null when not finite. */
void harness_json_put_str(FILE *f, const char *s);
void harness_json_put_num(FILE *f, double v);
/* The "env" object of the schema, from its opening brace to its closing one (indented as
 * inside a result file): also what the history database keeps of each run (history.h). */
void harness_env_write_json(FILE *f, const harness_env *e);
/* Reads a result file written by harness_results_write (or a compatible producer): checks
 * schema_version, the required fields and their types. Statistics absent from the file are
 * recomputed from samples_ns. A Google Benchmark JSON file (detected by its content:
 * "context" and "benchmarks", no schema_version) is read by harness_gbench_read (formats.h). Returns 0, or −1 with a one-line reason in err (out is then
 * empty and needs no free). */
int harness_results_load(const char *path, harness_results *out, char *err, size_t errlen);
/* The same from a NUL-terminated JSON text; `origin` names it in error messages. */
int harness_results_parse(const char *json, const char *origin, harness_results *out, char *err,
                          size_t errlen);

/* Baselines: NAME must match [A-Za-z0-9][A-Za-z0-9._-]* (no paths); a value containing '/'
 * or ending in ".json" is taken as a file path instead. Fills `path` with the file to use;
 * `create_dir` makes the baselines directory (with parents) first. 0, or −1 with err. */
int harness_baseline_path(const char *name, bool create_dir, char *path, size_t cap, char *err,
                          size_t errlen);

/* Writes a one-line reason into err (errlen bytes, truncated to fit) and returns -1: the
 * readers' and parsers' way to fail with a message. */
int harness_errorf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
