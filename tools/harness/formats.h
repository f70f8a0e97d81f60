/*
 * tools/harness/formats.h — result files in the formats other tools read (docs/BENCH.md,
 * "Export formats").
 *
 * Owns: `kzgkit bench --format`: our own schema (results.h), Google Benchmark's JSON
 * (`--benchmark_format=json`: "context" and "benchmarks", one "iteration" entry per sample
 * and the mean/median/stddev "aggregate" entries), and github-action-benchmark's
 * "customSmallerIsBetter" array; and the reader of Google Benchmark JSON, which
 * harness_results_parse hands a file to when its content is one (a top-level "context"
 * object and "benchmarks" array, no "schema_version"). Calls results.h and cJSON.
 *
 * Google Benchmark names carry the parameters as path segments: a case
 * "g1_msm/size=256/threads=2" is written "g1_msm/size:256/threads:2" (the form of its
 * ArgNames), and read back to the same name and params, so that the two files pair up in
 * `compare`. Times are per iteration; the reader normalises real_time by time_unit to ns.
 */
#ifndef KZGKIT_HARNESS_FORMATS_H
#define KZGKIT_HARNESS_FORMATS_H

#include <stddef.h>
#include <stdio.h>

#include "results.h"

typedef enum harness_format {
    HARNESS_FORMAT_KZGKIT = 0, /* results.h's schema (the default) */
    HARNESS_FORMAT_GBENCH,     /* Google Benchmark JSON; times only */
    HARNESS_FORMAT_GITHUB_ACTION, /* github-action-benchmark customSmallerIsBetter */
} harness_format;

/* "kzgkit", "gbench" or "github-action" → *out; 0, or −1 for any other name. */
int harness_format_parse(const char *name, harness_format *out);
/* The name harness_format_parse accepts for f. */
const char *harness_format_name(harness_format f);

/* Writes r to f in format fmt; 0, or −1 on an I/O error or when the format cannot hold the
 * results (gbench with instruction counts: its entries are times). */
int harness_format_write(FILE *f, const harness_results *r, harness_format fmt);
/* The same to `path`, atomically (harness_write_atomic). 0, or −1 with a reason in err. */
int harness_format_save(const char *path, const harness_results *r, harness_format fmt,
                        char *err, size_t errlen);

/* Whether a parsed JSON document (a cJSON *, passed as void * so that this header does not
 * need cJSON's) looks like Google Benchmark output: an object with a "context" object and a
 * "benchmarks" array, and no "schema_version". */
int harness_gbench_detect(const void *json_root);
/* Reads a Google Benchmark document into out (initialised by the caller with
 * harness_results_init): one result per run_name, its samples from the "iteration" entries
 * (real_time in ns), iters_per_sample from the first one's "iterations", statistics
 * recomputed from the samples; aggregates are ignored, except that a benchmark with only
 * aggregates (--benchmark_report_aggregates_only) is kept with an error saying so (it has no
 * samples to compare). Entries with "error_occurred" become results with that error. The
 * environment comes from "context" (date, host_name, num_cpus, load_avg,
 * library_build_type, and the kzgkit_* keys that `bench --format gbench` adds). Returns 0,
 * or −1 with a one-line reason in err (out then holds what was read; the caller frees it). */
int harness_gbench_read(const void *json_root, const char *origin, harness_results *out,
                        char *err, size_t errlen);

#endif
