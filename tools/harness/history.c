/* tools/harness/history.c — see history.h. */
#define _GNU_SOURCE
#include "history.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"
#include "html.h"
#include "runner.h"
#include "stats.h"

#ifdef HARNESS_HAVE_SQLITE
#include <sqlite3.h>
#endif

/* ---- the rule -------------------------------------------------------------------------- */

int harness_change_points(harness_change_point **out, size_t *n_out, const double *m, size_t n,
                          size_t k, double threshold, bool counts) {
    *out = NULL;
    *n_out = 0;
    if (k < 2 || (n && !m) || !(threshold >= 0)) return -1;
    for (size_t i = 0; i < n; i++)
        if (!(m[i] > 0) || !isfinite(m[i])) return -1;
    if (n < 2) return 0;
    harness_change_point *cp = malloc(n * sizeof *cp);
    double *score = malloc(n * sizeof *score), *scratch = malloc(k * sizeof *scratch);
    harness_change_point *cand = malloc(n * sizeof *cand);
    size_t nc = 0;
    if (!cp || !score || !scratch || !cand) goto oom;
    if (counts) {
        for (size_t i = 1; i < n; i++) {
            double c = m[i] / m[i - 1] - 1;
            if (fabs(c) > threshold) cp[nc++] = (harness_change_point){i, c, NAN};
        }
    } else {
        /* score[i] < 0: not a candidate. */
        for (size_t i = 0; i < n; i++) score[i] = -1;
        for (size_t i = k; i + k <= n; i++) {
            harness_mwu t;
            if (harness_mann_whitney(&t, m + i - k, k, m + i, k) != 0) goto oom;
            double before = harness_median(m + i - k, k, scratch);
            double after = harness_median(m + i, k, scratch);
            double c = after / before - 1;
            if (t.p < HARNESS_HISTORY_ALPHA && fabs(c) >= threshold) {
                /* Where the step is: the split of the 2k runs whose window means differ the
                 * most (the least-squares fit of one step to them). The rank statistic
                 * saturates (every split with the windows fully separated has U = 0), so it
                 * cannot place the step; the means can. */
                double sb = 0, sa = 0;
                for (size_t j = 0; j < k; j++) {
                    sb += m[i - k + j];
                    sa += m[i + j];
                }
                score[i] = fabs(sa - sb) / (double)k;
                cand[i] = (harness_change_point){i, c, t.p};
            }
        }
        for (size_t i = 0; i < n; i++) {
            if (score[i] < 0) continue;
            bool best = true;
            size_t lo = i >= k - 1 ? i - (k - 1) : 0, hi = i + (k - 1) < n ? i + (k - 1) : n - 1;
            for (size_t j = lo; j <= hi && best; j++)
                if (j != i && score[j] >= 0 && (score[j] > score[i] || (score[j] == score[i] && j < i)))
                    best = false;
            if (best) cp[nc++] = cand[i];
        }
    }
    free(score);
    free(scratch);
    free(cand);
    if (nc == 0) {
        free(cp);
        return 0;
    }
    *out = cp;
    *n_out = nc;
    return 0;
oom:
    free(cp);
    free(score);
    free(scratch);
    free(cand);
    return -1;
}

/* ---- trends: analysis and output (no database needed) ----------------------------------- */

static bool is_counts(const char *unit) { return strcmp(unit, HARNESS_UNIT_INSTRUCTIONS) == 0; }

int harness_history_analyze(harness_history_data *d, size_t k, double threshold,
                            double count_threshold) {
    d->window = k;
    d->threshold = threshold;
    d->count_threshold = count_threshold;
    for (size_t s = 0; s < d->n_series; s++) {
        harness_history_series *x = &d->series[s];
        free(x->cps);
        x->cps = NULL;
        x->n_cps = 0;
        double *m = malloc((x->n ? x->n : 1) * sizeof *m);
        if (!m) return -1;
        for (size_t i = 0; i < x->n; i++) m[i] = x->pts[i].median;
        bool counts = is_counts(x->unit);
        int rc = harness_change_points(&x->cps, &x->n_cps, m, x->n, k,
                                       counts ? count_threshold : threshold, counts);
        free(m);
        if (rc != 0) return -1;
    }
    return 0;
}

bool harness_history_regressed(const harness_history_data *d) {
    for (size_t s = 0; s < d->n_series; s++) {
        const harness_history_series *x = &d->series[s];
        if (x->n_cps && x->cps[x->n_cps - 1].change > 0) return true;
    }
    return false;
}

void harness_history_data_free(harness_history_data *d) {
    if (!d) return;
    for (size_t s = 0; s < d->n_series; s++) {
        free(d->series[s].pts);
        free(d->series[s].cps);
    }
    free(d->series);
    free(d->runs);
    memset(d, 0, sizeof *d);
}

static void fmt_value(char *buf, size_t cap, double v, const char *unit) {
    if (is_counts(unit)) harness_fmt_count(buf, cap, v);
    else harness_fmt_ns(buf, cap, v);
}

/* Eight levels of U+2581..U+2588 over the last `max` points, scaled to their range. */
static void sparkline(FILE *f, const harness_history_series *x, size_t max) {
    static const char *const bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    size_t from = x->n > max ? x->n - max : 0;
    double lo = x->pts[from].median, hi = lo;
    for (size_t i = from; i < x->n; i++) {
        if (x->pts[i].median < lo) lo = x->pts[i].median;
        if (x->pts[i].median > hi) hi = x->pts[i].median;
    }
    for (size_t i = from; i < x->n; i++) {
        int level = hi > lo ? (int)floor((x->pts[i].median - lo) / (hi - lo) * 7.999) : 3;
        fputs(bars[level], f);
    }
    for (size_t i = x->n - from; i < max; i++) fputc(' ', f);
}

void harness_history_print(FILE *f, const harness_history_data *d) {
    if (d->n_runs == 0) {
        fprintf(f, "no runs recorded yet\n");
        return;
    }
    fprintf(f, "%zu runs from %s to %s; change points: window %zu, threshold %.3g%% (times), "
               "%.3g%% (instruction counts)\n\n",
            d->n_runs, d->runs[0].time, d->runs[d->n_runs - 1].time, d->window,
            100 * d->threshold, 100 * d->count_threshold);
    if (d->n_series == 0) {
        fprintf(f, "no benchmark matches\n");
        return;
    }
    int w = 9;
    for (size_t s = 0; s < d->n_series; s++) {
        int l = (int)strlen(d->series[s].id) + (is_counts(d->series[s].unit) ? 15 : 0);
        if (l > w) w = l;
    }
    const size_t spark = 16;
    fprintf(f, "%-*s %5s %12s %12s %9s %9s  %-*s  %s\n", w, "benchmark", "runs", "first", "last",
            "total", "latest", (int)spark, "trend", "change points");
    for (size_t s = 0; s < d->n_series; s++) {
        const harness_history_series *x = &d->series[s];
        char id[600], a[40], b[40];
        snprintf(id, sizeof id, "%s%s", x->id, is_counts(x->unit) ? " [instructions]" : "");
        fmt_value(a, sizeof a, x->pts[0].median, x->unit);
        fmt_value(b, sizeof b, x->pts[x->n - 1].median, x->unit);
        fprintf(f, "%-*s %5zu %12s %12s %+8.2f%% ", w, id, x->n, a, b,
                100 * (x->pts[x->n - 1].median / x->pts[0].median - 1));
        if (x->n > 1)
            fprintf(f, "%+8.2f%%  ", 100 * (x->pts[x->n - 1].median / x->pts[x->n - 2].median - 1));
        else
            fprintf(f, "%11s  ", "–"); /* 3 bytes, 1 column */
        sparkline(f, x, spark);
        fputs("  ", f);
        if (!x->n_cps) fputs("none", f);
        for (size_t c = 0; c < x->n_cps; c++) {
            const harness_history_point *p = &x->pts[x->cps[c].index];
            fprintf(f, "%srun %lld @%.12s %+.1f%%", c ? ", " : "", (long long)p->run_id, p->commit,
                    100 * x->cps[c].change);
        }
        fputc('\n', f);
    }
}

static void json_dirty(FILE *f, int dirty) {
    fputs(dirty < 0 ? "null" : dirty ? "true" : "false", f);
}

int harness_history_write_json(FILE *f, const harness_history_data *d) {
    fprintf(f, "{\n  \"schema\": \"kzgkit-history\",\n  \"schema_version\": %d,\n"
               "  \"window\": %zu,\n  \"threshold\": ", HARNESS_HISTORY_SCHEMA, d->window);
    harness_json_put_num(f, d->threshold);
    fputs(",\n  \"count_threshold\": ", f);
    harness_json_put_num(f, d->count_threshold);
    fputs(",\n  \"runs\": [", f);
    for (size_t i = 0; i < d->n_runs; i++) {
        const harness_history_run *r = &d->runs[i];
        fprintf(f, "%s\n    {\"id\": %lld, \"time\": ", i ? "," : "", (long long)r->id);
        harness_json_put_str(f, r->time);
        fputs(", \"git_commit\": ", f);
        harness_json_put_str(f, r->commit);
        fputs(", \"git_dirty\": ", f);
        json_dirty(f, r->dirty);
        fputs(", \"hostname\": ", f);
        harness_json_put_str(f, r->host);
        fputs(", \"unit\": ", f);
        harness_json_put_str(f, r->unit);
        fputs(", \"kzgkit_version\": ", f);
        harness_json_put_str(f, r->version);
        fputs(", \"command\": ", f);
        harness_json_put_str(f, r->command);
        fprintf(f, ", \"results\": %zu, \"samples\": %zu}", r->n_results, r->n_samples);
    }
    fputs(d->n_runs ? "\n  ],\n  \"benchmarks\": [" : "],\n  \"benchmarks\": [", f);
    for (size_t s = 0; s < d->n_series; s++) {
        const harness_history_series *x = &d->series[s];
        fprintf(f, "%s\n    {\"id\": ", s ? "," : "");
        harness_json_put_str(f, x->id);
        fputs(", \"unit\": ", f);
        harness_json_put_str(f, x->unit);
        fprintf(f, ", \"runs\": %zu,\n     \"points\": [", x->n);
        for (size_t i = 0; i < x->n; i++) {
            fprintf(f, "%s{\"run\": %lld, \"median\": ", i ? ", " : "", (long long)x->pts[i].run_id);
            harness_json_put_num(f, x->pts[i].median);
            fprintf(f, ", \"samples\": %zu}", x->pts[i].n_samples);
        }
        fputs("],\n     \"change_points\": [", f);
        for (size_t c = 0; c < x->n_cps; c++) {
            fprintf(f, "%s{\"run\": %lld, \"index\": %zu, \"change\": ", c ? ", " : "",
                    (long long)x->pts[x->cps[c].index].run_id, x->cps[c].index);
            harness_json_put_num(f, x->cps[c].change);
            fputs(", \"p\": ", f);
            harness_json_put_num(f, x->cps[c].p);
            fputc('}', f);
        }
        fputs("]}", f);
    }
    fputs(d->n_series ? "\n  ]\n}\n" : "]\n}\n", f);
    return ferror(f) ? -1 : 0;
}

/* One benchmark's medians against run order; change points as dashed vertical lines
 * between the last run before and the first after. */
static void trend_plot(FILE *f, const harness_history_series *x) {
    const double W = 760, H = 230, L = 80, R = 20, T = 14, B = 40;
    double lo = x->pts[0].median, hi = lo;
    for (size_t i = 0; i < x->n; i++) {
        if (x->pts[i].median < lo) lo = x->pts[i].median;
        if (x->pts[i].median > hi) hi = x->pts[i].median;
    }
    double pad = (hi - lo) * 0.1;
    if (!(pad > 0)) pad = 0.05 * hi;
    lo -= pad;
    hi += pad;
    double x0 = L + 12, x1 = W - R - 12;
#define PX(i) (x->n > 1 ? x0 + (double)(i) * (x1 - x0) / (double)(x->n - 1) : (x0 + x1) / 2)
#define PY(v) ((H - B) - ((v) - lo) / (hi - lo) * ((H - B) - T))
    fprintf(f, "<svg class=\"trend-plot\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
               "role=\"img\">\n", W, H, W, H);
    double step = harness_html_nice_step(lo, hi, 5);
    for (double k = ceil(lo / step), t = k * step; t <= hi; k++, t = k * step) {
        char lab[40];
        fmt_value(lab, sizeof lab, t, x->unit);
        fprintf(f, "<line class=\"grid\" x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\"/>"
                   "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                L, PY(t), W - R, PY(t), L - 6, PY(t) + 4, lab);
    }
    fprintf(f, "<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>"
               "<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>\n",
            L, H - B, W - R, H - B, L, T, L, H - B);
    size_t every = x->n > 12 ? (x->n + 11) / 12 : 1;
    for (size_t i = 0; i < x->n; i += every)
        fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%lld</text>\n", PX(i),
                H - B + 15, (long long)x->pts[i].run_id);
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">run</text>\n", (L + W - R) / 2,
            H - 6);
    for (size_t c = 0; c < x->n_cps; c++) {
        size_t i = x->cps[c].index;
        double cx = (PX(i - 1) + PX(i)) / 2;
        fprintf(f, "<line class=\"change-point\" x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" "
                   "stroke=\"#d62728\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>"
                   "<text x=\"%.1f\" y=\"%.0f\" fill=\"#b3261e\">%+.1f%%</text>\n",
                cx, T, cx, H - B, cx + 4, T + 11, 100 * x->cps[c].change);
    }
    fputs("<polyline class=\"series\" fill=\"none\" stroke=\"#2f6db3\" stroke-width=\"2\" points=\"", f);
    for (size_t i = 0; i < x->n; i++) fprintf(f, "%.1f,%.1f ", PX(i), PY(x->pts[i].median));
    fputs("\"/>\n", f);
    for (size_t i = 0; i < x->n; i++) {
        char v[40];
        fmt_value(v, sizeof v, x->pts[i].median, x->unit);
        fprintf(f, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#2f6db3\">"
                   "<title>run %lld · ", PX(i), PY(x->pts[i].median), (long long)x->pts[i].run_id);
        harness_html_esc(f, x->pts[i].time);
        fputs(" · git ", f);
        harness_html_esc(f, x->pts[i].commit);
        fprintf(f, "%s · median %s</title></circle>\n", x->pts[i].dirty > 0 ? "-dirty" : "", v);
    }
    fputs("</svg>\n", f);
#undef PX
#undef PY
}

int harness_history_write_html(FILE *f, const harness_history_data *d) {
    harness_html_begin(f, "kzgkit benchmark history");
    fprintf(f, "<header><h1>kzgkit benchmark history</h1><p class=\"meta\">%zu runs · %zu "
               "benchmarks", d->n_runs, d->n_series);
    if (d->n_runs) {
        fputs(" · ", f);
        harness_html_esc(f, d->runs[0].time);
        fputs(" → ", f);
        harness_html_esc(f, d->runs[d->n_runs - 1].time);
    }
    fputs("</p></header>\n", f);

    fprintf(f, "<section id=\"trends\"><h2>Trends</h2>\n<p class=\"legend\">Median of each run "
               "in run order. Dashed red lines: change points (window %zu runs, threshold "
               "%.3g%% for times, %.3g%% for instruction counts; method in docs/BENCH.md, "
               "\"History\").</p>\n<div class=\"tablewrap\"><table id=\"trend-table\"><thead><tr>"
               "<th>benchmark</th><th>unit</th><th>runs</th><th>first</th><th>last</th>"
               "<th>total</th><th>latest</th><th>change points</th></tr></thead><tbody>\n",
            d->window, 100 * d->threshold, 100 * d->count_threshold);
    for (size_t s = 0; s < d->n_series; s++) {
        const harness_history_series *x = &d->series[s];
        char a[40], b[40];
        fmt_value(a, sizeof a, x->pts[0].median, x->unit);
        fmt_value(b, sizeof b, x->pts[x->n - 1].median, x->unit);
        fputs("<tr class=\"bench\"><td>", f);
        harness_html_esc(f, x->id);
        fputs("</td><td>", f);
        harness_html_esc(f, x->unit);
        fprintf(f, "</td><td>%zu</td><td>%s</td><td>%s</td><td>%+.2f%%</td>", x->n, a, b,
                100 * (x->pts[x->n - 1].median / x->pts[0].median - 1));
        if (x->n > 1)
            fprintf(f, "<td>%+.2f%%</td>", 100 * (x->pts[x->n - 1].median / x->pts[x->n - 2].median - 1));
        else
            fputs("<td>–</td>", f);
        fputs("<td>", f);
        if (!x->n_cps) fputs("none", f);
        for (size_t c = 0; c < x->n_cps; c++) {
            const harness_history_point *p = &x->pts[x->cps[c].index];
            fprintf(f, "%s<span class=\"%s\">run %lld @", c ? ", " : "",
                    x->cps[c].change > 0 ? "regressed" : "improved", (long long)p->run_id);
            harness_html_esc(f, p->commit);
            fprintf(f, " %+.1f%%</span>", 100 * x->cps[c].change);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></div>\n<div class=\"grid\" style=\"margin-top:16px\">\n", f);
    for (size_t s = 0; s < d->n_series; s++) {
        const harness_history_series *x = &d->series[s];
        fputs("<figure><figcaption>", f);
        harness_html_esc(f, x->id);
        fprintf(f, " — %zu runs, %zu change point%s</figcaption>\n", x->n, x->n_cps,
                x->n_cps == 1 ? "" : "s");
        trend_plot(f, x);
        fputs("</figure>\n", f);
    }
    fputs("</div></section>\n", f);

    fputs("<section id=\"runs\"><h2>Runs</h2>\n<div class=\"tablewrap\"><table id=\"runs-table\">"
          "<thead><tr><th>run</th><th>time</th><th>git</th><th>host</th><th>unit</th>"
          "<th>results</th><th>samples</th><th>command</th></tr></thead><tbody>\n", f);
    for (size_t i = 0; i < d->n_runs; i++) {
        const harness_history_run *r = &d->runs[i];
        fprintf(f, "<tr class=\"run\"><td>%lld</td><td>", (long long)r->id);
        harness_html_esc(f, r->time);
        fputs("</td><td>", f);
        harness_html_esc(f, r->commit);
        if (r->dirty > 0) fputs("-dirty", f);
        fputs("</td><td>", f);
        harness_html_esc(f, r->host);
        fputs("</td><td>", f);
        harness_html_esc(f, r->unit);
        fprintf(f, "</td><td>%zu</td><td>%zu</td><td style=\"text-align:left\">", r->n_results,
                r->n_samples);
        harness_html_esc(f, r->command);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></div></section>\n<footer class=\"legend\">Generated by kzgkit "
          "history. Method: docs/BENCH.md.</footer>\n</body>\n</html>\n", f);
    return ferror(f) ? -1 : 0;
}

/* ---- the database ------------------------------------------------------------------------ */

#ifndef HARNESS_HAVE_SQLITE

struct harness_history {
    int unused;
};

static int no_sqlite(char *err, size_t errlen) {
    return harness_errorf(err, errlen, "this kzgkit was built without SQLite: the run history "
                                       "needs it (Debian: apt-get install libsqlite3-dev, then "
                                       "rebuild)");
}

int harness_history_open(harness_history **out, const char *path, bool create, char *err,
                         size_t errlen) {
    (void)path;
    (void)create;
    *out = NULL;
    return no_sqlite(err, errlen);
}
void harness_history_close(harness_history *h) { (void)h; }
int harness_history_append(harness_history *h, const harness_results *r, const char *command,
                           int64_t *run_id, char *err, size_t errlen) {
    (void)h, (void)r, (void)command, (void)run_id;
    return no_sqlite(err, errlen);
}
int harness_history_check(harness_history *h, char *msg, size_t msglen) {
    (void)h;
    return no_sqlite(msg, msglen);
}
int harness_history_test_limits(harness_history *h, int busy_ms, long long max_pages, char *err,
                                size_t errlen) {
    (void)h, (void)busy_ms, (void)max_pages;
    return no_sqlite(err, errlen);
}
int harness_history_load(harness_history *h, const regex_t *filter, harness_history_data *out,
                         char *err, size_t errlen) {
    (void)h, (void)filter;
    memset(out, 0, sizeof *out);
    return no_sqlite(err, errlen);
}

#else

struct harness_history {
    sqlite3 *db;
    int busy_ms;
    char path[1024];
};

#define APP_MARKER "kzgkit-history"

/* A specific one-line reason for a failed SQLite call while `doing` something. */
static int sql_error(const harness_history *h, int rc, const char *doing, char *err, size_t errlen) {
    const char *msg = h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_NOTADB:
        return harness_errorf(err, errlen, "%s: not a SQLite database (or its header is corrupt)",
                              h->path);
    case SQLITE_CORRUPT:
        return harness_errorf(err, errlen, "%s: the database is corrupt (%s) while %s", h->path,
                              msg, doing);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return harness_errorf(err, errlen, "%s: locked by another process for more than %g s "
                                           "while %s", h->path, h->busy_ms / 1000.0, doing);
    case SQLITE_NOMEM:
        return harness_errorf(err, errlen, "%s: out of memory while %s", h->path, doing);
    case SQLITE_FULL:
        return harness_errorf(err, errlen, "%s: disk full while %s", h->path, doing);
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return harness_errorf(err, errlen, "%s: not writable (%s) while %s", h->path, msg, doing);
    case SQLITE_IOERR:
        return harness_errorf(err, errlen, "%s: I/O error (%s) while %s", h->path, msg, doing);
    default:
        return harness_errorf(err, errlen, "%s: %s while %s", h->path, msg, doing);
    }
}

static int exec(harness_history *h, const char *sql, const char *doing, char *err, size_t errlen) {
    int rc = sqlite3_exec(h->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : sql_error(h, rc, doing, err, errlen);
}

/* The single integer a pragma or query returns; rc of the failure otherwise. */
static int query_int(harness_history *h, const char *sql, long long *v) {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(h->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *v = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            *v = 0;
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE runs(id INTEGER PRIMARY KEY, time TEXT NOT NULL, git_commit TEXT NOT NULL,"
    " git_dirty INTEGER, hostname TEXT NOT NULL, kzgkit_version TEXT NOT NULL,"
    " unit TEXT NOT NULL, env TEXT NOT NULL, command TEXT NOT NULL, n_results INTEGER NOT NULL);"
    "CREATE TABLE results(id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id),"
    " bench TEXT NOT NULL, name TEXT NOT NULL, params TEXT NOT NULL, median REAL, mean REAL,"
    " stddev REAL, min REAL, max REAL, ci_median_lo REAL, ci_median_hi REAL, cv REAL,"
    " iters_per_sample INTEGER NOT NULL, throughput REAL, throughput_unit TEXT NOT NULL,"
    " alloc_count INTEGER, alloc_bytes INTEGER, peak_rss_bytes INTEGER,"
    " error TEXT NOT NULL, n_samples INTEGER NOT NULL);"
    "CREATE INDEX results_by_run ON results(run_id);"
    "CREATE INDEX results_by_bench ON results(bench, run_id);"
    "CREATE TABLE samples(result_id INTEGER NOT NULL REFERENCES results(id), idx INTEGER NOT NULL,"
    " value REAL NOT NULL, PRIMARY KEY(result_id, idx)) WITHOUT ROWID;";

/* Every column the reader and writer use, so that a database that merely carries our
 * application_id but lacks them is refused at open rather than half-read later. */
static const char *const probe_sql[] = {
    "SELECT key, value FROM meta LIMIT 0",
    "SELECT id, time, git_commit, git_dirty, hostname, kzgkit_version, unit, env, command,"
    " n_results FROM runs LIMIT 0",
    "SELECT id, run_id, bench, name, params, median, mean, stddev, min, max, ci_median_lo,"
    " ci_median_hi, cv, iters_per_sample, throughput, throughput_unit, alloc_count, alloc_bytes,"
    " peak_rss_bytes, error, n_samples FROM results LIMIT 0",
    "SELECT result_id, idx, value FROM samples LIMIT 0",
};

/* Creates the schema in a fresh file, inside one write transaction; another process may have
 * done it since we looked: then there is nothing to do. */
static int init_schema(harness_history *h, char *err, size_t errlen) {
    if (exec(h, "BEGIN IMMEDIATE", "creating the history", err, errlen) != 0) return -1;
    long long app = 0, objects = 0;
    int rc = query_int(h, "PRAGMA application_id", &app);
    if (rc == SQLITE_OK) rc = query_int(h, "SELECT count(*) FROM sqlite_master", &objects);
    if (rc != SQLITE_OK) goto fail;
    if (app == 0 && objects == 0) {
        char sql[sizeof schema_sql + 512];
        snprintf(sql, sizeof sql,
                 "%sINSERT INTO meta VALUES('application', '" APP_MARKER "'),"
                 "('schema_version', '%d'); PRAGMA application_id = %d; PRAGMA user_version = %d;",
                 schema_sql, HARNESS_HISTORY_SCHEMA, HARNESS_HISTORY_APP_ID, HARNESS_HISTORY_SCHEMA);
        rc = sqlite3_exec(h->db, sql, NULL, NULL, NULL);
        if (rc != SQLITE_OK) goto fail;
    }
    rc = sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) goto fail;
    return 0;
fail:
    sql_error(h, rc, "creating the history", err, errlen);
    sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* WAL lets readers run beside a writer. Switching needs a moment with no other connection
 * in a transaction; retried within the busy timeout. A file system without shared memory
 * keeps the rollback journal, which is as safe, only less concurrent. */
static int use_wal(harness_history *h, char *err, size_t errlen) {
    for (int waited = 0;; waited += 10) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(h->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
        if (rc == SQLITE_OK) rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc == SQLITE_ROW || rc == SQLITE_DONE) return 0;
        if ((rc & 0xff) != SQLITE_BUSY || waited >= h->busy_ms)
            return sql_error(h, rc, "switching to WAL mode", err, errlen);
        usleep(10000);
    }
}

/* The application_id and the number of schema objects, read in one transaction: another
 * process creating the schema must not be seen half way (its tables, not yet its id). */
static int read_header(harness_history *h, long long *app, long long *objects) {
    int rc = sqlite3_exec(h->db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK) return rc;
    rc = query_int(h, "PRAGMA application_id", app);
    if (rc == SQLITE_OK) rc = query_int(h, "SELECT count(*) FROM sqlite_master", objects);
    if (rc == SQLITE_OK) rc = sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK && !sqlite3_get_autocommit(h->db)) sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int check_identity(harness_history *h, bool create, char *err, size_t errlen) {
    long long app = 0, objects = 0, version = 0;
    int rc = read_header(h, &app, &objects);
    if (rc != SQLITE_OK) return sql_error(h, rc, "reading its header", err, errlen);
    if (app == 0 && objects == 0) {
        if (!create)
            return harness_errorf(err, errlen, "%s: an empty database, not a kzgkit history (write "
                                               "one with kzgkit bench --history %s)", h->path, h->path);
        if (init_schema(h, err, errlen) != 0) return -1;
        rc = read_header(h, &app, &objects);
        if (rc != SQLITE_OK) return sql_error(h, rc, "reading its header", err, errlen);
    }
    if (app == 0)
        return harness_errorf(err, errlen, "%s: a SQLite database of another application (no "
                                           "kzgkit history marker), not a kzgkit history", h->path);
    if (app != HARNESS_HISTORY_APP_ID)
        return harness_errorf(err, errlen, "%s: a SQLite database of another application "
                                           "(application_id 0x%08llx), not a kzgkit history",
                              h->path, (unsigned long long)(uint32_t)app);
    rc = query_int(h, "PRAGMA user_version", &version);
    if (rc != SQLITE_OK) return sql_error(h, rc, "reading its schema version", err, errlen);
    if (version > HARNESS_HISTORY_SCHEMA)
        return harness_errorf(err, errlen, "%s: written by a newer kzgkit (history schema %lld; "
                                           "this one reads %d)", h->path, version,
                              HARNESS_HISTORY_SCHEMA);
    for (size_t i = 0; i < sizeof probe_sql / sizeof probe_sql[0]; i++) {
        sqlite3_stmt *st = NULL;
        rc = sqlite3_prepare_v2(h->db, probe_sql[i], -1, &st, NULL);
        sqlite3_finalize(st);
        if ((rc & 0xff) == SQLITE_ERROR)
            return harness_errorf(err, errlen, "%s: marked as a kzgkit history but its tables are "
                                               "missing or damaged (%s)", h->path,
                                  sqlite3_errmsg(h->db));
        if (rc != SQLITE_OK) return sql_error(h, rc, "reading its schema", err, errlen);
    }
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(h->db, "SELECT value FROM meta WHERE key = 'application'", -1, &st, NULL);
    bool ours = false;
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        ours = v && strcmp((const char *)v, APP_MARKER) == 0;
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK) return sql_error(h, rc, "reading its meta table", err, errlen);
    if (!ours)
        return harness_errorf(err, errlen, "%s: marked as a kzgkit history but its meta table "
                                           "does not say so: damaged or foreign", h->path);
    return 0;
}

int harness_history_open(harness_history **out, const char *path, bool create, char *err,
                         size_t errlen) {
    *out = NULL;
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT || !create) return harness_errorf(err, errlen, "%s: %s", path, strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        return harness_errorf(err, errlen, "%s: not a regular file", path);
    }
    harness_history *h = calloc(1, sizeof *h);
    if (!h) return harness_errorf(err, errlen, "%s: out of memory", path);
    snprintf(h->path, sizeof h->path, "%s", path);
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &h->db, flags, NULL);
    if (rc != SQLITE_OK) {
        harness_errorf(err, errlen, "%s: cannot open (%s)", path,
                       h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_extended_result_codes(h->db, 1);
    h->busy_ms = HARNESS_HISTORY_BUSY_MS;
    sqlite3_busy_timeout(h->db, h->busy_ms);
    if (check_identity(h, create, err, errlen) != 0 || use_wal(h, err, errlen) != 0 ||
        exec(h, "PRAGMA foreign_keys = ON", "configuring the connection", err, errlen) != 0)
        goto fail;
    *out = h;
    return 0;
fail:
    harness_history_close(h);
    return -1;
}

void harness_history_close(harness_history *h) {
    if (!h) return;
    sqlite3_close(h->db);
    free(h);
}

static void bind_num(sqlite3_stmt *st, int i, double v) {
    if (isfinite(v)) sqlite3_bind_double(st, i, v);
    else sqlite3_bind_null(st, i);
}

static void bind_opt(sqlite3_stmt *st, int i, harness_opt_u64 v) {
    if (v.known && v.value <= INT64_MAX) sqlite3_bind_int64(st, i, (sqlite3_int64)v.value);
    else sqlite3_bind_null(st, i);
}

static char *env_json(const harness_env *e) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    harness_env_write_json(f, e);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int insert_result(harness_history *h, sqlite3_stmt *res_st, sqlite3_stmt *smp_st,
                         int64_t run, const harness_result *x) {
    char id[512], params[HARNESS_MAX_PARAMS * (HARNESS_KEY_MAX + 32) + 4];
    harness_result_id(x, id, sizeof id);
    size_t o = 0;
    o += (size_t)snprintf(params + o, sizeof params - o, "{");
    for (size_t i = 0; i < x->n_params && o < sizeof params; i++)
        o += (size_t)snprintf(params + o, sizeof params - o, "%s\"%s\": %lld", i ? ", " : "",
                              x->params[i].key, x->params[i].value);
    if (o < sizeof params) snprintf(params + o, sizeof params - o, "}");
    const harness_summary *s = &x->stats;
    bool have = x->n_samples > 0 && !x->error[0];
    sqlite3_reset(res_st);
    sqlite3_clear_bindings(res_st);
    sqlite3_bind_int64(res_st, 1, run);
    sqlite3_bind_text(res_st, 2, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(res_st, 3, x->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(res_st, 4, params, -1, SQLITE_TRANSIENT);
    bind_num(res_st, 5, have ? s->median : NAN);
    bind_num(res_st, 6, have ? s->mean : NAN);
    bind_num(res_st, 7, have ? s->stddev : NAN);
    bind_num(res_st, 8, have ? s->min : NAN);
    bind_num(res_st, 9, have ? s->max : NAN);
    bind_num(res_st, 10, have ? s->ci95_median_lo : NAN);
    bind_num(res_st, 11, have ? s->ci95_median_hi : NAN);
    bind_num(res_st, 12, have ? s->cv : NAN);
    sqlite3_bind_int64(res_st, 13, (sqlite3_int64)x->iters_per_sample);
    bind_num(res_st, 14, x->throughput);
    sqlite3_bind_text(res_st, 15, x->throughput_unit, -1, SQLITE_TRANSIENT);
    bind_opt(res_st, 16, x->alloc_count);
    bind_opt(res_st, 17, x->alloc_bytes);
    bind_opt(res_st, 18, x->peak_rss_bytes);
    sqlite3_bind_text(res_st, 19, x->error, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(res_st, 20, (sqlite3_int64)x->n_samples);
    int rc = sqlite3_step(res_st);
    if (rc != SQLITE_DONE) return rc;
    sqlite3_int64 rid = sqlite3_last_insert_rowid(h->db);
    for (size_t i = 0; i < x->n_samples; i++) {
        sqlite3_reset(smp_st);
        sqlite3_bind_int64(smp_st, 1, rid);
        sqlite3_bind_int64(smp_st, 2, (sqlite3_int64)i);
        /* NOT NULL: a non-finite sample (never produced by the runner) is stored as 0. */
        sqlite3_bind_double(smp_st, 3, isfinite(x->samples_ns[i]) ? x->samples_ns[i] : 0);
        rc = sqlite3_step(smp_st);
        if (rc != SQLITE_DONE) return rc;
    }
    return SQLITE_OK;
}

int harness_history_append(harness_history *h, const harness_results *r, const char *command,
                           int64_t *run_id, char *err, size_t errlen) {
    static const char doing[] = "appending the run (rolled back: earlier runs are intact)";
    sqlite3_stmt *run_st = NULL, *res_st = NULL, *smp_st = NULL;
    char *env = env_json(&r->env);
    if (!env) return harness_errorf(err, errlen, "%s: out of memory", h->path);
    int rc = sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        free(env);
        return sql_error(h, rc, "starting to append the run (nothing was written)", err, errlen);
    }
    rc = sqlite3_prepare_v2(h->db,
                            "INSERT INTO runs(time, git_commit, git_dirty, hostname, kzgkit_version,"
                            " unit, env, command, n_results) VALUES(?,?,?,?,?,?,?,?,?)",
                            -1, &run_st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(h->db,
                                "INSERT INTO results(run_id, bench, name, params, median, mean,"
                                " stddev, min, max, ci_median_lo, ci_median_hi, cv,"
                                " iters_per_sample, throughput, throughput_unit, alloc_count,"
                                " alloc_bytes, peak_rss_bytes, error, n_samples)"
                                " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                -1, &res_st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(h->db, "INSERT INTO samples(result_id, idx, value) VALUES(?,?,?)",
                                -1, &smp_st, NULL);
    if (rc != SQLITE_OK) goto fail;
    sqlite3_bind_text(run_st, 1, r->env.date, -1, SQLITE_STATIC);
    sqlite3_bind_text(run_st, 2, r->env.git_revision, -1, SQLITE_STATIC);
    if (r->env.git_dirty >= 0) sqlite3_bind_int(run_st, 3, r->env.git_dirty > 0);
    else sqlite3_bind_null(run_st, 3);
    sqlite3_bind_text(run_st, 4, r->env.hostname, -1, SQLITE_STATIC);
    sqlite3_bind_text(run_st, 5, r->kzgkit_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(run_st, 6, r->unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(run_st, 7, env, -1, SQLITE_STATIC);
    sqlite3_bind_text(run_st, 8, command ? command : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(run_st, 9, (sqlite3_int64)r->n);
    rc = sqlite3_step(run_st);
    if (rc != SQLITE_DONE) goto fail;
    sqlite3_int64 run = sqlite3_last_insert_rowid(h->db);
    const char *delay = getenv(HARNESS_HISTORY_DELAY_ENV);
    if (delay && *delay) {
        long ms = strtol(delay, NULL, 10);
        if (ms > 0 && ms < 600000) {
            struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    for (size_t i = 0; i < r->n; i++) {
        rc = insert_result(h, res_st, smp_st, run, &r->items[i]);
        if (rc != SQLITE_OK) goto fail;
    }
    sqlite3_finalize(run_st);
    sqlite3_finalize(res_st);
    sqlite3_finalize(smp_st);
    run_st = res_st = smp_st = NULL;
    rc = sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) goto fail;
    free(env);
    if (run_id) *run_id = run;
    return 0;
fail:
    sql_error(h, rc, doing, err, errlen);
    sqlite3_finalize(run_st);
    sqlite3_finalize(res_st);
    sqlite3_finalize(smp_st);
    if (!sqlite3_get_autocommit(h->db)) sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    free(env);
    return -1;
}

int harness_history_test_limits(harness_history *h, int busy_ms, long long max_pages, char *err,
                                size_t errlen) {
    h->busy_ms = busy_ms;
    sqlite3_busy_timeout(h->db, busy_ms);
    if (max_pages <= 0) return 0;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", max_pages);
    return exec(h, sql, "capping the file size", err, errlen);
}

int harness_history_check(harness_history *h, char *msg, size_t msglen) {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(h->db, "PRAGMA integrity_check", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        if (!v || strcmp((const char *)v, "ok") != 0) {
            harness_errorf(msg, msglen, "%s: integrity_check: %s", h->path, v ? (const char *)v : "?");
            sqlite3_finalize(st);
            return -1;
        }
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK) return sql_error(h, rc, "running integrity_check", msg, msglen);
    /* Each query returns the first inconsistent row: (what, id, expected, found). */
    static const char *const checks[] = {
        "SELECT 'run', r.id, r.n_results, (SELECT count(*) FROM results x WHERE x.run_id = r.id)"
        " FROM runs r WHERE r.n_results != (SELECT count(*) FROM results x WHERE x.run_id = r.id)"
        " LIMIT 1",
        "SELECT 'result', x.id, x.n_samples, (SELECT count(*) FROM samples s WHERE s.result_id = x.id)"
        " FROM results x WHERE x.n_samples != (SELECT count(*) FROM samples s"
        " WHERE s.result_id = x.id) LIMIT 1",
        "SELECT 'result without its run', x.id, x.run_id, 0 FROM results x"
        " WHERE x.run_id NOT IN (SELECT id FROM runs) LIMIT 1",
        "SELECT 'samples without their result', s.result_id, 0, 0 FROM samples s"
        " WHERE s.result_id NOT IN (SELECT id FROM results) LIMIT 1",
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        rc = sqlite3_prepare_v2(h->db, checks[i], -1, &st, NULL);
        if (rc == SQLITE_OK) rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            harness_errorf(msg, msglen, "%s: %s %lld: expected %lld rows, found %lld", h->path,
                           (const char *)sqlite3_column_text(st, 0),
                           (long long)sqlite3_column_int64(st, 1),
                           (long long)sqlite3_column_int64(st, 2),
                           (long long)sqlite3_column_int64(st, 3));
            sqlite3_finalize(st);
            return -1;
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) return sql_error(h, rc, "checking the runs", msg, msglen);
    }
    long long runs = 0, results = 0, samples = 0;
    rc = query_int(h, "SELECT count(*) FROM runs", &runs);
    if (rc == SQLITE_OK) rc = query_int(h, "SELECT count(*) FROM results", &results);
    if (rc == SQLITE_OK) rc = query_int(h, "SELECT count(*) FROM samples", &samples);
    if (rc != SQLITE_OK) return sql_error(h, rc, "counting the runs", msg, msglen);
    snprintf(msg, msglen, "ok: %lld runs, %lld results, %lld samples; integrity_check ok; every "
                          "run complete", runs, results, samples);
    return 0;
}

static void col_str(sqlite3_stmt *st, int i, char *buf, size_t cap) {
    const unsigned char *v = sqlite3_column_text(st, i);
    snprintf(buf, cap, "%s", v ? (const char *)v : "");
}

static int by_run_id(const void *key, const void *elem) {
    int64_t a = *(const int64_t *)key, b = ((const harness_history_run *)elem)->id;
    return (a > b) - (a < b);
}

int harness_history_load(harness_history *h, const regex_t *filter, harness_history_data *out,
                         char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    /* One read transaction: the runs and their results from the same snapshot. */
    int rc = sqlite3_exec(h->db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK) return sql_error(h, rc, "reading the runs", err, errlen);
    rc = sqlite3_prepare_v2(h->db,
                            "SELECT r.id, r.time, r.git_commit, r.git_dirty, r.hostname, r.unit,"
                            " r.kzgkit_version, r.command,"
                            " (SELECT count(*) FROM results x WHERE x.run_id = r.id),"
                            " (SELECT count(*) FROM samples s JOIN results x ON s.result_id = x.id"
                            "  WHERE x.run_id = r.id)"
                            " FROM runs r ORDER BY r.id", -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n_runs == cap) {
            cap = cap ? 2 * cap : 64;
            harness_history_run *p = realloc(out->runs, cap * sizeof *p);
            if (!p) {
                rc = SQLITE_NOMEM;
                break;
            }
            out->runs = p;
        }
        harness_history_run *r = &out->runs[out->n_runs++];
        memset(r, 0, sizeof *r);
        r->id = sqlite3_column_int64(st, 0);
        col_str(st, 1, r->time, sizeof r->time);
        col_str(st, 2, r->commit, sizeof r->commit);
        r->dirty = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 3) != 0;
        col_str(st, 4, r->host, sizeof r->host);
        col_str(st, 5, r->unit, sizeof r->unit);
        col_str(st, 6, r->version, sizeof r->version);
        col_str(st, 7, r->command, sizeof r->command);
        r->n_results = (size_t)sqlite3_column_int64(st, 8);
        r->n_samples = (size_t)sqlite3_column_int64(st, 9);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_DONE) goto fail;
    rc = sqlite3_prepare_v2(h->db,
                            "SELECT x.bench, r.unit, r.id, x.median, x.n_samples FROM results x"
                            " JOIN runs r ON r.id = x.run_id WHERE x.error = '' AND x.median > 0"
                            " ORDER BY x.bench, r.unit, r.id", -1, &st, NULL);
    size_t scap = 0, pcap = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        const char *bench = (const char *)sqlite3_column_text(st, 0);
        const char *unit = (const char *)sqlite3_column_text(st, 1);
        if (!bench || !unit || (filter && regexec(filter, bench, 0, NULL, 0) != 0)) continue;
        harness_history_series *x = out->n_series ? &out->series[out->n_series - 1] : NULL;
        if (!x || strcmp(x->id, bench) != 0 || strcmp(x->unit, unit) != 0) {
            if (out->n_series == scap) {
                scap = scap ? 2 * scap : 16;
                harness_history_series *p = realloc(out->series, scap * sizeof *p);
                if (!p) {
                    rc = SQLITE_NOMEM;
                    break;
                }
                out->series = p;
            }
            x = &out->series[out->n_series++];
            memset(x, 0, sizeof *x);
            snprintf(x->id, sizeof x->id, "%s", bench);
            snprintf(x->unit, sizeof x->unit, "%s", unit);
            pcap = 0;
        }
        if (x->n == pcap) {
            pcap = pcap ? 2 * pcap : 32;
            harness_history_point *p = realloc(x->pts, pcap * sizeof *p);
            if (!p) {
                rc = SQLITE_NOMEM;
                break;
            }
            x->pts = p;
        }
        harness_history_point *p = &x->pts[x->n++];
        memset(p, 0, sizeof *p);
        p->run_id = sqlite3_column_int64(st, 2);
        p->median = sqlite3_column_double(st, 3);
        p->n_samples = (size_t)sqlite3_column_int64(st, 4);
        p->dirty = -1;
        const harness_history_run *run =
            bsearch(&p->run_id, out->runs, out->n_runs, sizeof *out->runs, by_run_id);
        if (run) {
            memcpy(p->time, run->time, sizeof p->time);
            memcpy(p->commit, run->commit, sizeof p->commit);
            p->dirty = run->dirty;
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_DONE) goto fail;
    sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
    out->window = HARNESS_HISTORY_WINDOW;
    return 0;
fail:
    sql_error(h, rc, "reading the runs", err, errlen);
    sqlite3_finalize(st);
    sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    harness_history_data_free(out);
    return -1;
}

#endif
