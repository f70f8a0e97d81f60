/*
 * tools/harness/history.h — every run of `kzgkit bench --history DB`, kept in one SQLite
 * database, and the trend of each benchmark across those runs (`kzgkit history DB`).
 *
 * Owns: the database's schema and its checks (application_id, user_version, the meta
 * table), appending a run in one transaction, reading each benchmark's series of run
 * medians, the change-point rule below, and the history's table, JSON and HTML page. Calls
 * results.h, compare.h (Mann–Whitney U), stats.h, html.h (shared page pieces), runner.h
 * (formatting). Without SQLite at build time (HARNESS_HAVE_SQLITE unset) every database
 * function fails with a message saying so; the change-point rule still works.
 *
 * The file: PRAGMA application_id = HARNESS_HISTORY_APP_ID ("KZGH"), user_version =
 * HARNESS_HISTORY_SCHEMA, journal_mode WAL; tables meta(key, value) with application
 * "kzgkit-history" and schema_version; runs (one per bench run: time, git commit and dirty
 * flag, host, unit, kzgkit version, the environment as the results JSON writes it, the
 * command line, how many results it has); results (one per benchmark of a run: its id,
 * summary statistics, throughput, error, how many samples); samples (result, index, value).
 * A run is written in one BEGIN IMMEDIATE … COMMIT: a crash or kill loses at most the run
 * being written, never part of one nor an earlier one. Concurrent writers wait for each
 * other (busy timeout HARNESS_HISTORY_BUSY_MS); readers do not block them (WAL).
 *
 * The change-point rule (docs/BENCH.md, "History"), on one benchmark's run medians
 * m[0..n) in run order, window k (default 5), threshold t:
 *   times:  for each i with k ≤ i ≤ n − k, before = m[i−k..i), after = m[i..i+k);
 *           change = median(after)/median(before) − 1; candidate when the two-sided
 *           Mann–Whitney p(before, after) < alpha (0.05) and |change| ≥ t (default 5%).
 *           Every window straddling one step shows about the same change of medians, so a
 *           candidate is reported only where |mean(after) − mean(before)| (the least-squares
 *           fit of one step to the 2k runs) is largest among the candidates within k − 1 runs
 *           of it (ties: the earliest): one point per shift.
 *   counts: (unit "instructions", deterministic) a change point at each i ≥ 1 where
 *           |m[i]/m[i−1] − 1| > t (default 0.1%): no window, no test, nothing to average.
 * The index reported is the first run at the new level. A time shift in the last k − 1 runs
 * is not reported until k runs at the new level exist.
 */
#ifndef KZGKIT_HARNESS_HISTORY_H
#define KZGKIT_HARNESS_HISTORY_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "results.h"

#define HARNESS_HISTORY_APP_ID 0x4B5A4748 /* "KZGH" */
#define HARNESS_HISTORY_SCHEMA 1
#define HARNESS_HISTORY_BUSY_MS 10000
#define HARNESS_HISTORY_WINDOW 5
#define HARNESS_HISTORY_ALPHA 0.05
/* Test-only: milliseconds to sleep inside the append transaction, after the run's row and
 * before its results (widens the window in which test/cli/test_history.sh kills a writer). */
#define HARNESS_HISTORY_DELAY_ENV "KZGKIT_HISTORY_TEST_DELAY_MS"

/* ---- the rule -------------------------------------------------------------------------- */

typedef struct harness_change_point {
    size_t index;   /* first run at the new level (index into the series) */
    double change;  /* median after / median before − 1 (positive: slower / more) */
    double p;       /* Mann–Whitney p of the two windows; NaN for counts */
} harness_change_point;

/* The rule above on m[0..n). *out is malloc'ed (free it; NULL when none). 0, or −1 on
 * allocation failure or bad arguments (k < 2, a non-positive or non-finite median). */
int harness_change_points(harness_change_point **out, size_t *n_out, const double *m, size_t n,
                          size_t k, double threshold, bool counts);

/* ---- the database ---------------------------------------------------------------------- */

typedef struct harness_history harness_history;

/* Opens the history at path; `create` makes a new one when the file is absent or empty.
 * Refuses (−1 with a one-line reason in err) a file that is not SQLite or is corrupt, a
 * SQLite database of another application (application_id, or no kzgkit tables), one of a
 * newer schema, and a database locked beyond the busy timeout. */
int harness_history_open(harness_history **out, const char *path, bool create, char *err,
                         size_t errlen);
void harness_history_close(harness_history *h); /* NULL allowed */

/* Appends r as one run (all results with their samples) in one transaction; `command` is
 * the command line to record (may be NULL). On any failure (locked, disk full, I/O) the
 * transaction is rolled back and −1 returned with the reason; *run_id (may be NULL) gets
 * the new run's id. */
int harness_history_append(harness_history *h, const harness_results *r, const char *command,
                           int64_t *run_id, char *err, size_t errlen);

/* For tests of the failure paths: the busy timeout in ms (instead of HARNESS_HISTORY_BUSY_MS)
 * and, when max_pages > 0, a cap on the file's size in pages (PRAGMA max_page_count), which
 * makes a write fail as on a full disk. 0, or −1 with the reason. */
int harness_history_test_limits(harness_history *h, int busy_ms, long long max_pages, char *err,
                                size_t errlen);

/* PRAGMA integrity_check, then that every run has as many results, and every result as many
 * samples, as it recorded. 0 with a summary in msg, or −1 with the first problem in msg. */
int harness_history_check(harness_history *h, char *msg, size_t msglen);

/* ---- trends ---------------------------------------------------------------------------- */

typedef struct harness_history_point {
    int64_t run_id;
    char time[32];
    char commit[64];
    int dirty;       /* 1, 0, −1 unknown */
    double median;
    size_t n_samples;
} harness_history_point;

/* One benchmark (one id and one unit) across the runs that measured it without error. */
typedef struct harness_history_series {
    char id[512];
    char unit[16];
    harness_history_point *pts; /* in run order */
    size_t n;
    harness_change_point *cps;  /* filled by harness_history_analyze */
    size_t n_cps;
} harness_history_series;

typedef struct harness_history_run {
    int64_t id;
    char time[32], commit[64], host[128], unit[16], version[32];
    int dirty;
    size_t n_results, n_samples; /* as stored (rows present) */
    char command[512];
} harness_history_run;

typedef struct harness_history_data {
    harness_history_run *runs;
    size_t n_runs;
    harness_history_series *series;
    size_t n_series;
    size_t window;
    double threshold, count_threshold;
} harness_history_data;

/* Reads every run and the series of the benchmark ids matching filter (NULL: all). 0, or
 * −1 with the reason. Free with harness_history_data_free. */
int harness_history_load(harness_history *h, const regex_t *filter, harness_history_data *out,
                         char *err, size_t errlen);
void harness_history_data_free(harness_history_data *d);

/* Change points of every series: window k; threshold for times, count_threshold for
 * instruction counts. 0, or −1 on allocation failure. */
int harness_history_analyze(harness_history_data *d, size_t k, double threshold,
                            double count_threshold);

/* Whether the last change point of some series is a regression (positive change). */
bool harness_history_regressed(const harness_history_data *d);

/* The console table (one row per benchmark: runs, first → last median, latest change, a
 * sparkline, change points), the JSON document and the HTML page (#runs with
 * table#runs-table, #trends with table#trend-table and one svg.trend-plot per benchmark,
 * a line.change-point at each change point). Writers return 0, or −1 on an I/O error. */
void harness_history_print(FILE *f, const harness_history_data *d);
int harness_history_write_json(FILE *f, const harness_history_data *d);
int harness_history_write_html(FILE *f, const harness_history_data *d);

#endif
