/* tools/harness/html.c — see html.h. */
#include "html.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

void harness_html_esc(FILE *f, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

const char harness_html_css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "margin:24px auto;max-width:1240px;padding:0 16px;color:#1d2430;background:#fff}"
    "h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;"
    "border-bottom:1px solid #d8dde6;padding-bottom:4px}"
    ".meta{color:#5a6578;margin:0}"
    ".tablewrap{overflow-x:auto}"
    "table{border-collapse:collapse;font-size:12px;width:100%}"
    "th,td{padding:3px 6px;text-align:right;white-space:nowrap}"
    "th{background:#eef1f6;position:sticky;top:0}th:first-child,td:first-child{text-align:left}"
    "tr:nth-child(even) td{background:#f7f8fb}"
    "td.err{color:#b3261e;text-align:left}"
    ".improved{color:#1b7f3b;font-weight:600}.regressed{color:#b3261e;font-weight:600}"
    ".same{color:#5a6578}"
    "dl.env{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;font-size:13px;margin:0}"
    "dl.env dt{color:#5a6578}dl.env dd{margin:0;word-break:break-word}"
    "ul.warnings{background:#fff4e5;border:1px solid #f0c27b;padding:8px 8px 8px 28px;"
    "font-size:13px;border-radius:4px}"
    ".grid{display:flex;flex-wrap:wrap;gap:16px}"
    "figure{margin:0 0 14px}figcaption{font-size:13px;font-weight:600;margin-bottom:2px}"
    "svg{background:#fcfcfd;border:1px solid #e3e7ee;border-radius:4px}"
    "svg text{font-family:inherit;font-size:11px;fill:#3b4556}"
    "svg .axis{stroke:#9aa4b5;stroke-width:1}svg .grid{stroke:#e6e9ef;stroke-width:1}"
    ".legend{font-size:12px;color:#5a6578}";

/* ---- scales --------------------------------------------------------------------------- */

/* A step of 1, 2 or 5 × 10^k giving about `want` intervals over [lo, hi]. */
double harness_html_nice_step(double lo, double hi, int want) {
    double raw = (hi - lo) / want;
    if (!(raw > 0)) return 1;
    double mag = pow(10, floor(log10(raw))), r = raw / mag;
    return (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
}

typedef struct scale {
    double d0, d1, r0, r1;
    bool log;
} scale;

static double sc(const scale *s, double v) {
    double a = s->d0, b = s->d1, x = v;
    if (s->log) {
        a = log(a);
        b = log(b);
        x = log(v);
    }
    return b == a ? (s->r0 + s->r1) / 2 : s->r0 + (x - a) / (b - a) * (s->r1 - s->r0);
}

/* ---- the distribution plot ------------------------------------------------------------- */

static void dist_plot(FILE *f, const harness_result *b) {
    const harness_summary *s = &b->stats;
    const double W = 720, H = 112, L = 24, R = 24, CY = 44;
    double lo = s->min, hi = s->max;
    if (hi - lo < 1e-9 * fabs(hi) || hi == lo) {
        lo *= 0.99;
        hi *= 1.01;
        if (hi == lo) hi = lo + 1;
    }
    double pad = 0.05 * (hi - lo);
    scale x = {lo - pad, hi + pad, L, W - R, false};
    fprintf(f, "<svg class=\"dist-plot\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
               "role=\"img\">\n", W, H, W, H);
    double step = harness_html_nice_step(x.d0, x.d1, 6);
    for (double k = ceil(x.d0 / step); k * step <= x.d1; k++) {
        double t = k * step;
        char lab[32];
        harness_fmt_ns(lab, sizeof lab, t);
        fprintf(f, "<line class=\"grid\" x1=\"%.1f\" y1=\"8\" x2=\"%.1f\" y2=\"%.0f\"/>"
                   "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>\n",
                sc(&x, t), sc(&x, t), H - 26, sc(&x, t), H - 10, lab);
    }
    fprintf(f, "<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>\n", L, H - 26,
            W - R, H - 26);
    /* Whiskers reach the furthest samples inside the mild fences. */
    double wlo = s->max, whi = s->min;
    for (size_t i = 0; i < b->n_samples; i++) {
        double v = b->samples_ns[i];
        if (v >= s->fence_low_mild && v < wlo) wlo = v;
        if (v <= s->fence_high_mild && v > whi) whi = v;
    }
    if (wlo > whi) wlo = whi = s->median;
    fprintf(f, "<g class=\"box\"><line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" "
               "stroke=\"#56627a\"/>", sc(&x, wlo), CY, sc(&x, whi), CY);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#56627a\"/>"
               "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#56627a\"/>",
            sc(&x, wlo), CY - 9, sc(&x, wlo), CY + 9, sc(&x, whi), CY - 9, sc(&x, whi), CY + 9);
    double bx = sc(&x, s->q1), bw = sc(&x, s->q3) - bx;
    fprintf(f, "<rect x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"28\" fill=\"#dce7f5\" "
               "stroke=\"#56627a\"/>", bx, CY - 14, bw < 1 ? 1 : bw);
    fprintf(f, "<line class=\"median\" x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" "
               "stroke=\"#1d2430\" stroke-width=\"2.5\"/></g>\n",
            sc(&x, s->median), CY - 14, sc(&x, s->median), CY + 14);
    for (size_t i = 0; i < b->n_samples; i++) {
        double v = b->samples_ns[i];
        /* Deterministic jitter (a hash of the index) so the plot is stable across runs. */
        uint32_t h = (uint32_t)i * 2654435761u;
        double jy = CY + ((double)(h >> 16) / 65535.0 - 0.5) * 36;
        const char *col = (v < s->fence_low_severe || v > s->fence_high_severe) ? "#d62728"
                          : (v < s->fence_low_mild || v > s->fence_high_mild) ? "#e69f00"
                                                                              : "#2f6db3";
        fprintf(f, "<circle class=\"sample\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.6\" fill=\"%s\" "
                   "fill-opacity=\"0.75\"/>", sc(&x, v), jy, col);
    }
    fputs("\n</svg>\n", f);
}

/* ---- scaling plots ------------------------------------------------------------------------ */

typedef struct pt {
    double x, y, lo, hi;
} pt;

static int cmp_pt(const void *a, const void *b) {
    double x = ((const pt *)a)->x, y = ((const pt *)b)->x;
    return (x > y) - (x < y);
}

static void key_without(const harness_result *r, const char *skip, char *buf, size_t cap) {
    harness_result tmp;
    memset(&tmp, 0, sizeof tmp);
    memcpy(tmp.name, r->name, sizeof tmp.name);
    for (size_t i = 0; i < r->n_params; i++)
        if (strcmp(r->params[i].key, skip) != 0) tmp.params[tmp.n_params++] = r->params[i];
    harness_result_id(&tmp, buf, cap);
}

/* One plot: time (log axes) against size, or speed-up against threads with the ideal line. */
static void scaling_plot(FILE *f, const char *title, const char *param, pt *p, size_t n) {
    const double W = 540, H = 300, L = 72, R = 20, T = 18, B = 44;
    bool threads = strcmp(param, "threads") == 0;
    scale x = {p[0].x, p[n - 1].x, L + 12, W - R - 12, true};
    scale y;
    if (threads) {
        double top = 1;
        for (size_t i = 0; i < n; i++) {
            double ideal = p[i].x / p[0].x, sp = p[0].y / p[i].y;
            if (ideal > top) top = ideal;
            if (sp > top) top = sp;
        }
        y = (scale){0, top * 1.1, H - B, T, false};
    } else {
        double lo = p[0].lo, hi = p[0].hi;
        for (size_t i = 0; i < n; i++) {
            if (p[i].lo < lo) lo = p[i].lo;
            if (p[i].hi > hi) hi = p[i].hi;
        }
        if (!(lo > 0)) lo = p[0].y * 0.5;
        y = (scale){lo / 1.3, hi * 1.3, H - B, T, true};
    }
    fprintf(f, "<figure><figcaption>");
    harness_html_esc(f, title);
    fprintf(f, " — %s</figcaption>\n<svg class=\"scaling-plot\" data-param=\"%s\" width=\"%.0f\" "
               "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n",
            threads ? "speed-up vs threads" : "median time vs size", param, W, H, W, H);
    /* y grid */
    if (threads) {
        double step = harness_html_nice_step(0, y.d1, 5);
        for (double k = 0, t = 0; t <= y.d1 + 1e-9; k++, t = k * step)
            fprintf(f, "<line class=\"grid\" x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\"/>"
                       "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.3g×</text>\n",
                    L, sc(&y, t), W - R, sc(&y, t), L - 6, sc(&y, t) + 4, t);
    } else {
        for (double d = pow(10, floor(log10(y.d0))); d <= y.d1; d *= 10)
            for (int m = 1; m <= 5; m += (m == 1 ? 1 : 3)) {
                double t = d * m;
                if (t < y.d0 || t > y.d1) continue;
                char lab[32];
                harness_fmt_ns(lab, sizeof lab, t);
                fprintf(f, "<line class=\"grid\" x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\"/>"
                           "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                        L, sc(&y, t), W - R, sc(&y, t), L - 6, sc(&y, t) + 4, lab);
            }
    }
    for (size_t i = 0; i < n; i++)
        fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%.0f</text>\n", sc(&x, p[i].x),
                H - B + 16, p[i].x);
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>\n", (L + W - R) / 2,
            H - 6, param);
    fprintf(f, "<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>"
               "<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>\n",
            L, H - B, W - R, H - B, L, T, L, H - B);
    if (threads) { /* ideal: speed-up equal to the thread ratio */
        fputs("<polyline class=\"ideal\" fill=\"none\" stroke=\"#9aa4b5\" stroke-dasharray=\"5 4\" "
              "points=\"", f);
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%.1f,%.1f ", sc(&x, p[i].x), sc(&y, p[i].x / p[0].x));
        fputs("\"/>\n", f);
    }
    fputs("<polyline class=\"series\" fill=\"none\" stroke=\"#2f6db3\" stroke-width=\"2\" points=\"", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%.1f,%.1f ", sc(&x, p[i].x), sc(&y, threads ? p[0].y / p[i].y : p[i].y));
    fputs("\"/>\n", f);
    for (size_t i = 0; i < n; i++) {
        double cx = sc(&x, p[i].x);
        if (!threads && p[i].lo > 0 && p[i].hi > 0)
            fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#2f6db3\"/>",
                    cx, sc(&y, p[i].lo), cx, sc(&y, p[i].hi));
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#2f6db3\"/>\n", cx,
                sc(&y, threads ? p[0].y / p[i].y : p[i].y));
    }
    if (threads)
        fprintf(f, "<text x=\"%.0f\" y=\"%.0f\">dashed: ideal linear speed-up</text>\n", L + 8, T + 12);
    fputs("</svg></figure>\n", f);
}

static int scaling_section(FILE *f, const harness_results *r) {
    static const char *const params[] = {"size", "threads"};
    size_t cap = r->n ? r->n : 1;
    char (*done)[512] = malloc(cap * sizeof *done);
    pt *p = malloc(cap * sizeof *p);
    if (!done || !p) {
        free(done);
        free(p);
        return -1;
    }
    size_t plots = 0;
    fputs("<section id=\"scaling\"><h2>Scaling</h2>\n<div class=\"grid\">\n", f);
    for (size_t pi = 0; pi < 2; pi++) {
        size_t n_done = 0;
        for (size_t i = 0; i < r->n; i++) {
            char g[512], k[512];
            if (harness_result_param(&r->items[i], params[pi], -1) <= 0) continue;
            key_without(&r->items[i], params[pi], g, sizeof g);
            bool seen = false;
            for (size_t d = 0; d < n_done; d++) seen |= strcmp(done[d], g) == 0;
            if (seen) continue;
            memcpy(done[n_done++], g, sizeof g);
            size_t n = 0;
            for (size_t j = 0; j < r->n; j++) {
                const harness_result *x = &r->items[j];
                long long v = harness_result_param(x, params[pi], -1);
                if (v <= 0 || x->error[0] || !x->n_samples || !(x->stats.median > 0)) continue;
                key_without(x, params[pi], k, sizeof k);
                if (strcmp(k, g) != 0) continue;
                p[n++] = (pt){(double)v, x->stats.median, x->stats.ci95_median_lo,
                              x->stats.ci95_median_hi};
            }
            qsort(p, n, sizeof *p, cmp_pt);
            if (n < 2 || p[0].x == p[n - 1].x || !(p[0].y > 0)) continue;
            scaling_plot(f, g, params[pi], p, n);
            plots++;
        }
    }
    if (!plots)
        fputs("<p class=\"legend\">No benchmark varies size or threads in this run.</p>\n", f);
    fputs("</div></section>\n", f);
    free(done);
    free(p);
    return 0;
}

/* ---- comparison chart ------------------------------------------------------------------------ */

static void compare_section(FILE *f, const harness_match *m, size_t n, double threshold) {
    size_t rows = 0;
    double span = threshold * 1.5;
    for (size_t i = 0; i < n; i++) {
        if (!m[i].compared) continue;
        rows++;
        double a = fabs(m[i].cmp.change_lo), b = fabs(m[i].cmp.change_hi), c = fabs(m[i].cmp.change);
        if (isfinite(a) && a > span) span = a;
        if (isfinite(b) && b > span) span = b;
        if (isfinite(c) && c > span) span = c;
    }
    span *= 1.1;
    fputs("<section id=\"comparison\"><h2>Comparison against the baseline</h2>\n", f);
    if (!rows) {
        fputs("<p class=\"legend\">No benchmark appears in both runs.</p></section>\n", f);
        return;
    }
    const double W = 960, L = 300, R = 150, T = 26, RH = 24;
    double H = T + RH * (double)rows + 30;
    scale x = {-span, span, L, W - R, false};
    fprintf(f, "<p class=\"legend\">Change of the median (new vs baseline) with its 95%% bootstrap "
               "interval; dashed lines: noise threshold ±%.1f%%. Green: improved, red: regressed, "
               "grey: no significant change beyond the threshold.</p>\n", 100 * threshold);
    fprintf(f, "<svg class=\"compare-chart\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f "
               "%.0f\" role=\"img\">\n", W, H, W, H);
    double step = harness_html_nice_step(-span, span, 8);
    for (double k = ceil(-span / step), t = k * step; t <= span + 1e-12; k++, t = k * step)
        fprintf(f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\"/>"
                   "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%+.3g%%</text>\n",
                sc(&x, t), T - 6, sc(&x, t), H - 24, sc(&x, t), H - 8, 100 * t);
    for (int sgn = -1; sgn <= 1; sgn += 2)
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#9aa4b5\" "
                   "stroke-dasharray=\"4 3\"/>\n", sc(&x, sgn * threshold), T - 6,
                sc(&x, sgn * threshold), H - 24);
    fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\"/>\n", sc(&x, 0),
            T - 6, sc(&x, 0), H - 24);
    size_t row = 0;
    char id[512];
    for (size_t i = 0; i < n; i++) {
        if (!m[i].compared) continue;
        const harness_comparison *c = &m[i].cmp;
        double cy = T + RH * (double)row + RH / 2;
        const char *col = c->verdict == HARNESS_REGRESSED ? "#d62728"
                          : c->verdict == HARNESS_IMPROVED ? "#2e9e4f" : "#9aa4b5";
        const char *cls = c->verdict == HARNESS_REGRESSED ? "regressed"
                          : c->verdict == HARNESS_IMPROVED ? "improved" : "same";
        harness_result_id(m[i].b, id, sizeof id);
        fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", L - 10, cy + 4);
        harness_html_esc(f, id);
        fputs("</text>", f);
        double x0 = sc(&x, 0), x1 = sc(&x, c->change);
        fprintf(f, "<rect class=\"bar %s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" "
                   "fill=\"%s\" fill-opacity=\"0.8\"/>", cls, x1 < x0 ? x1 : x0, cy - 7,
                fabs(x1 - x0) < 1 ? 1 : fabs(x1 - x0), col);
        if (isfinite(c->change_lo) && isfinite(c->change_hi))
            fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1d2430\"/>"
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1d2430\"/>"
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1d2430\"/>",
                    sc(&x, c->change_lo), cy, sc(&x, c->change_hi), cy, sc(&x, c->change_lo),
                    cy - 5, sc(&x, c->change_lo), cy + 5, sc(&x, c->change_hi), cy - 5,
                    sc(&x, c->change_hi), cy + 5);
        fprintf(f, "<text x=\"%.0f\" y=\"%.1f\">%+.2f%% %s</text>\n", W - R + 8, cy + 4,
                100 * c->change, harness_verdict_str(c->verdict));
        row++;
    }
    fputs("</svg></section>\n", f);
}

/* ---- page ------------------------------------------------------------------------------------ */

void harness_html_begin(FILE *f, const char *title) {
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
    harness_html_esc(f, title);
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n", harness_html_css);
}

static void env_row(FILE *f, const char *k, const char *v) {
    fprintf(f, "<dt>%s</dt><dd>", k);
    harness_html_esc(f, v);
    fputs("</dd>", f);
}

static const harness_match *match_for(const harness_match *m, size_t n, const harness_result *b) {
    for (size_t i = 0; i < n; i++)
        if (m[i].b == b) return &m[i];
    return NULL;
}

int harness_html_write(FILE *f, const harness_results *r, const harness_match *m, size_t n_m,
                       double threshold) {
    const harness_env *e = &r->env;
    harness_html_begin(f, "kzgkit benchmark report");
    fputs("<header><h1>kzgkit benchmark report</h1><p class=\"meta\">", f);
    harness_html_esc(f, e->date);
    fputs(" · kzgkit ", f);
    harness_html_esc(f, r->kzgkit_version);
    fputs(" · git ", f);
    harness_html_esc(f, e->git_revision);
    fprintf(f, " · %zu benchmarks</p></header>\n", r->n);

    fputs("<section id=\"environment\"><h2>Environment</h2><dl class=\"env\">", f);
    char buf[sizeof e->affinity + 96];
    env_row(f, "CPU", e->cpu_model);
    snprintf(buf, sizeof buf, "%d online, %d usable (%s)%s", e->cpus_online, e->cpus_allowed,
             e->affinity, e->pinned ? ", pinned" : "");
    env_row(f, "CPUs", buf);
    snprintf(buf, sizeof buf, "governor %s, turbo %s", e->governor, e->turbo);
    env_row(f, "Frequency", buf);
    snprintf(buf, sizeof buf, "%.2f %.2f %.2f", e->load_avg[0], e->load_avg[1], e->load_avg[2]);
    env_row(f, "Load average", buf);
    env_row(f, "Backend", e->backend);
    if (e->threads >= 0) {
        snprintf(buf, sizeof buf, "%d", e->threads);
        env_row(f, "Threads", buf);
    }
    env_row(f, "Compiler", e->compiler);
    env_row(f, "Flags", e->cflags);
    env_row(f, "Build type", e->build_type);
    env_row(f, "Kernel", e->kernel);
    env_row(f, "Host", e->hostname);
    fputs("</dl>\n", f);
    if (e->n_warnings) {
        fputs("<ul class=\"warnings\">", f);
        for (size_t i = 0; i < e->n_warnings; i++) {
            fputs("<li>", f);
            harness_html_esc(f, e->warnings[i]);
            fputs("</li>", f);
        }
        fputs("</ul>\n", f);
    }
    fputs("</section>\n", f);

    fputs("<section id=\"summary\"><h2>Summary</h2>\n<div class=\"tablewrap\">"
          "<table id=\"summary-table\"><thead><tr>"
          "<th>benchmark</th><th>median</th><th>95% CI (median)</th><th>mean ± sd</th>"
          "<th>cv</th><th>outliers<br>mild / severe</th><th>samples × iters</th><th>throughput</th>"
          "<th>allocs/op<br>(bytes)</th><th>peak RSS</th>", f);
    if (n_m) fputs("<th>change</th><th>verdict</th>", f);
    fputs("</tr></thead><tbody>\n", f);
    char id[512], a[40], b[40];
    for (size_t i = 0; i < r->n; i++) {
        const harness_result *x = &r->items[i];
        const harness_summary *s = &x->stats;
        harness_result_id(x, id, sizeof id);
        fputs("<tr class=\"bench\"><td>", f);
        harness_html_esc(f, id);
        fputs("</td>", f);
        if (x->error[0]) {
            fputs("<td class=\"err\" colspan=\"9\">error: ", f);
            harness_html_esc(f, x->error);
            fputs("</td></tr>\n", f);
            continue;
        }
        harness_fmt_ns(a, sizeof a, s->median);
        fprintf(f, "<td>%s</td>", a);
        harness_fmt_ns(a, sizeof a, s->ci95_median_lo);
        harness_fmt_ns(b, sizeof b, s->ci95_median_hi);
        fprintf(f, "<td>%s – %s</td>", a, b);
        harness_fmt_ns(a, sizeof a, s->mean);
        harness_fmt_ns(b, sizeof b, s->stddev);
        fprintf(f, "<td>%s ± %s</td>", a, b);
        if (isfinite(s->cv)) fprintf(f, "<td>%.2f%%</td>", 100 * s->cv);
        else fputs("<td>–</td>", f);
        fprintf(f, "<td>%zu / %zu</td><td>%zu × %llu</td>",
                s->outliers.low_mild + s->outliers.high_mild,
                s->outliers.low_severe + s->outliers.high_severe, x->n_samples,
                (unsigned long long)x->iters_per_sample);
        harness_fmt_rate(a, sizeof a, x->throughput, x->throughput_unit);
        fprintf(f, "<td>%s</td>", a);
        if (x->alloc_count.known && x->alloc_bytes.known) {
            harness_fmt_bytes(a, sizeof a, (double)x->alloc_bytes.value);
            fprintf(f, "<td>%llu (%s)</td>", (unsigned long long)x->alloc_count.value, a);
        } else {
            fputs("<td>–</td>", f);
        }
        if (x->peak_rss_bytes.known) {
            harness_fmt_bytes(a, sizeof a, (double)x->peak_rss_bytes.value);
            fprintf(f, "<td>%s</td>", a);
        } else {
            fputs("<td>–</td>", f);
        }
        if (n_m) {
            const harness_match *mm = match_for(m, n_m, x);
            if (mm && mm->compared) {
                const char *cls = mm->cmp.verdict == HARNESS_REGRESSED ? "regressed"
                                  : mm->cmp.verdict == HARNESS_IMPROVED ? "improved" : "same";
                fprintf(f, "<td class=\"%s\">%+.2f%%</td><td class=\"%s verdict\">%s</td>", cls,
                        100 * mm->cmp.change, cls, harness_verdict_str(mm->cmp.verdict));
            } else {
                fputs("<td>–</td><td class=\"same\">new</td>", f);
            }
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div></section>\n", f);

    if (n_m) compare_section(f, m, n_m, threshold);
    if (scaling_section(f, r) != 0) return -1;

    fputs("<section id=\"distributions\"><h2>Sample distributions</h2>\n<p class=\"legend\">Each dot "
          "is one sample (time per iteration); box: quartiles with the median; whiskers: the "
          "furthest samples inside the 1.5·IQR fences; orange: mild outliers, red: severe (beyond "
          "3·IQR).</p>\n", f);
    for (size_t i = 0; i < r->n; i++) {
        const harness_result *x = &r->items[i];
        if (x->error[0] || !x->n_samples) continue;
        harness_result_id(x, id, sizeof id);
        fputs("<figure><figcaption>", f);
        harness_html_esc(f, id);
        harness_fmt_ns(a, sizeof a, x->stats.median);
        fprintf(f, " — median %s, %zu samples</figcaption>\n", a, x->n_samples);
        dist_plot(f, x);
        fputs("</figure>\n", f);
    }
    fputs("</section>\n<footer class=\"legend\">Generated by kzgkit bench. Statistics: "
          "docs/BENCH.md.</footer>\n</body>\n</html>\n", f);
    return ferror(f) ? -1 : 0;
}

typedef struct html_job {
    const harness_results *r;
    const harness_match *m;
    size_t n_m;
    double threshold;
} html_job;

static int html_writer(FILE *f, const void *ctx) {
    const html_job *j = ctx;
    return harness_html_write(f, j->r, j->m, j->n_m, j->threshold);
}

int harness_html_save(const char *path, const harness_results *r, const harness_match *m,
                      size_t n_m, double threshold, char *err, size_t errlen) {
    html_job j = {r, m, n_m, threshold};
    return harness_write_atomic(path, html_writer, &j, err, errlen);
}
