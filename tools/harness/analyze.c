/* tools/harness/analyze.c — see analyze.h. */
#include "analyze.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

harness_analyze_opts harness_analyze_defaults(void) {
    return (harness_analyze_opts){.cv_threshold = 0.05, .spike_ratio = 2.0, .tail_ratio = 1.25,
                                  .min_samples = 10, .scaling_efficiency = 0.7,
                                  .cmp = harness_compare_defaults()};
}

static harness_finding *add(harness_analysis *a, harness_finding_kind kind, bool warning,
                            const char *subject) {
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 16;
        harness_finding *p = realloc(a->items, cap * sizeof *p);
        if (!p) return NULL;
        a->items = p;
        a->cap = cap;
    }
    harness_finding *f = &a->items[a->n++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->warning = warning;
    snprintf(f->subject, sizeof f->subject, "%s", subject);
    return f;
}

static void put(char *dst, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(char *dst, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, cap, fmt, ap);
    va_end(ap);
}

void harness_analysis_free(harness_analysis *a) {
    if (!a) return;
    free(a->items);
    memset(a, 0, sizeof *a);
}

size_t harness_analysis_count(const harness_analysis *a, harness_finding_kind kind) {
    size_t c = 0;
    for (size_t i = 0; i < a->n; i++) c += a->items[i].kind == kind;
    return c;
}

/* The group key of a result with one param left out: name plus the other params sorted. */
static void group_key(const harness_result *r, const char *skip, char *buf, size_t cap) {
    harness_result tmp;
    memset(&tmp, 0, sizeof tmp);
    memcpy(tmp.name, r->name, sizeof tmp.name);
    for (size_t i = 0; i < r->n_params; i++)
        if (strcmp(r->params[i].key, skip) != 0) tmp.params[tmp.n_params++] = r->params[i];
    harness_result_match_key(&tmp, buf, cap);
}

typedef struct point {
    double x, y;
    const harness_result *r;
} point;

static int cmp_point(const void *a, const void *b) {
    double x = ((const point *)a)->x, y = ((const point *)b)->x;
    return (x > y) - (x < y);
}

/* Collects the successful results in r's group of `key` varying over param `param`,
 * sorted by that param. Returns the count (≤ cap). */
static size_t collect_group(const harness_results *r, const char *gkey, const char *param,
                            point *pts, size_t cap) {
    size_t n = 0;
    char k[512];
    for (size_t i = 0; i < r->n && n < cap; i++) {
        const harness_result *x = &r->items[i];
        if (x->error[0] || !x->n_samples || !(x->stats.median > 0)) continue;
        long long v = harness_result_param(x, param, -1);
        if (v <= 0) continue;
        group_key(x, param, k, sizeof k);
        if (strcmp(k, gkey) != 0) continue;
        pts[n++] = (point){(double)v, x->stats.median, x};
    }
    qsort(pts, n, sizeof *pts, cmp_point);
    return n;
}

static bool seen_key(char (*keys)[512], size_t n, const char *k) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(keys[i], k) == 0) return true;
    return false;
}

static int scaling_rules(harness_analysis *out, const harness_results *r,
                         const harness_analyze_opts *o) {
    size_t cap = r->n ? r->n : 1;
    char (*done)[512] = malloc(cap * sizeof *done);
    point *pts = malloc(cap * sizeof *pts);
    int rc = -1;
    size_t n_done = 0;
    if (!done || !pts) goto out;
    int cpus = r->env.cpus_allowed > 0 ? r->env.cpus_allowed : r->env.cpus_online;

    /* Threads. */
    for (size_t i = 0; i < r->n; i++) {
        const harness_result *x = &r->items[i];
        if (harness_result_param(x, "threads", -1) <= 0) continue;
        char g[512];
        group_key(x, "threads", g, sizeof g);
        if (seen_key(done, n_done, g)) continue;
        memcpy(done[n_done++], g, sizeof g);
        size_t n = collect_group(r, g, "threads", pts, cap);
        if (cpus > 0 && n > 0 && pts[n - 1].x > cpus) {
            harness_finding *f = add(out, HARNESS_FIND_OVERSUBSCRIBED, true, g);
            if (!f) goto out;
            put(f->evidence, sizeof f->evidence, "measured with threads=%.0f on %d usable CPUs",
                pts[n - 1].x, cpus);
            put(f->advice, sizeof f->advice,
                "use at most %d threads (threads beyond the usable CPUs only time-slice)", cpus);
        }
        if (n < 2) continue;
        size_t best = 0, worst = 0;
        double worst_eff = 2;
        for (size_t k = 0; k < n; k++) {
            if (pts[k].y < pts[best].y) best = k;
            if (k == 0) continue;
            double eff = (pts[0].y / pts[k].y) / (pts[k].x / pts[0].x);
            if (eff < worst_eff) {
                worst_eff = eff;
                worst = k;
            }
        }
        if (worst_eff < o->scaling_efficiency) {
            harness_finding *f = add(out, HARNESS_FIND_POOR_SCALING, true, g);
            if (!f) goto out;
            char t0[32], t1[32];
            harness_fmt_ns(t0, sizeof t0, pts[0].y);
            harness_fmt_ns(t1, sizeof t1, pts[worst].y);
            put(f->evidence, sizeof f->evidence,
                "threads=%.0f: %s vs %s at threads=%.0f, a %.2f× speed-up for %.0f× the "
                "threads (efficiency %.0f%%, rule: < %.0f%%)",
                pts[worst].x, t1, t0, pts[0].x, pts[0].y / pts[worst].y, pts[worst].x / pts[0].x,
                100 * worst_eff, 100 * o->scaling_efficiency);
            if (best == 0)
                put(f->advice, sizeof f->advice,
                    "use threads=%.0f: more threads only add overhead at this size (or "
                    "raise the work per thread, e.g. larger batches)", pts[0].x);
            else
                put(f->advice, sizeof f->advice,
                    "use threads=%.0f (fastest measured); beyond it the extra threads cost "
                    "more than they save", pts[best].x);
        }
    }

    /* Sizes: the exponent k of time ∝ size^k by least squares on log-log, over ≥ 3 sizes. */
    n_done = 0;
    for (size_t i = 0; i < r->n; i++) {
        const harness_result *x = &r->items[i];
        if (harness_result_param(x, "size", -1) <= 0) continue;
        char g[512];
        group_key(x, "size", g, sizeof g);
        if (seen_key(done, n_done, g)) continue;
        memcpy(done[n_done++], g, sizeof g);
        size_t n = collect_group(r, g, "size", pts, cap);
        if (n < 3) continue;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (size_t k = 0; k < n; k++) {
            double lx = log(pts[k].x), ly = log(pts[k].y);
            sx += lx;
            sy += ly;
            sxx += lx * lx;
            sxy += lx * ly;
        }
        double den = (double)n * sxx - sx * sx;
        if (!(fabs(den) > 0)) continue;
        double slope = ((double)n * sxy - sx * sy) / den;
        bool super = slope > 1.15;
        harness_finding *f = add(out, HARNESS_FIND_SIZE_SCALING, super, g);
        if (!f) goto out;
        put(f->evidence, sizeof f->evidence,
            "time grows as size^%.2f over sizes %.0f..%.0f (%zu points, log-log fit)", slope,
            pts[0].x, pts[n - 1].x, n);
        put(f->advice, sizeof f->advice, "%s",
            super ? "super-linear growth: check the algorithm (an MSM should grow as "
                    "n/log n, an FFT as n log n) and cache effects at the large sizes"
                  : "no action: growth is at most linear");
    }
    rc = 0;
out:
    free(done);
    free(pts);
    return rc;
}

int harness_analyze(harness_analysis *out, const harness_results *r,
                    const harness_analyze_opts *opts) {
    memset(out, 0, sizeof *out);
    harness_analyze_opts o = opts ? *opts : harness_analyze_defaults();
    const harness_env *env = &r->env;
    bool noisy = env->n_warnings > 0;
    if (noisy) {
        harness_finding *f = add(out, HARNESS_FIND_NOISY_ENV, true, "environment");
        if (!f) goto oom;
        size_t len = 0;
        for (size_t i = 0; i < env->n_warnings && len < sizeof f->evidence; i++) {
            int w = snprintf(f->evidence + len, sizeof f->evidence - len, "%s%s", i ? "; " : "",
                             env->warnings[i]);
            if (w > 0) len += (size_t)w;
        }
        put(f->advice, sizeof f->advice,
            "quiet the machine before trusting small differences: pin (--pin CPUS), set the "
            "governor to performance (cpupower frequency-set -g performance), disable turbo, "
            "stop other work");
    }
    char id[512], t0[32], t1[32];
    for (size_t i = 0; i < r->n; i++) {
        const harness_result *x = &r->items[i];
        const harness_summary *s = &x->stats;
        harness_result_id(x, id, sizeof id);
        harness_finding *f;
        if (x->error[0]) {
            if (!(f = add(out, HARNESS_FIND_FAILED, true, id))) goto oom;
            put(f->evidence, sizeof f->evidence, "%s", x->error);
            put(f->advice, sizeof f->advice, "fix the failure: it counts against the error-rate KPI");
            continue;
        }
        if (x->n_samples == 0) continue;
        if (x->n_samples < o.min_samples) {
            if (!(f = add(out, HARNESS_FIND_FEW_SAMPLES, true, id))) goto oom;
            put(f->evidence, sizeof f->evidence, "%zu samples (rule: < %zu)", x->n_samples,
                o.min_samples);
            put(f->advice, sizeof f->advice,
                "intervals from so few samples are wide and the test has little power: run "
                "without --quick or raise --samples");
        }
        if (isfinite(s->cv) && s->cv > o.cv_threshold) {
            if (!(f = add(out, HARNESS_FIND_HIGH_CV, true, id))) goto oom;
            harness_fmt_ns(t0, sizeof t0, s->median);
            harness_fmt_ns(t1, sizeof t1, s->stddev);
            put(f->evidence, sizeof f->evidence,
                "cv %.1f%% over %zu samples (median %s, stddev %s; rule: > %.1f%%)", 100 * s->cv,
                x->n_samples, t0, t1, 100 * o.cv_threshold);
            put(f->advice, sizeof f->advice, "%s",
                noisy ? "the environment is noisy (see above): quiet it first, then raise "
                        "--samples if the variance remains"
                      : "raise --samples (and --sample-ms) so the median's interval narrows, "
                        "and pin the benchmark (--pin) to keep it on one core");
        }
        if (s->median > 0 && s->max > o.spike_ratio * s->median) {
            if (!(f = add(out, HARNESS_FIND_SPIKES, true, id))) goto oom;
            harness_fmt_ns(t0, sizeof t0, s->max);
            harness_fmt_ns(t1, sizeof t1, s->median);
            put(f->evidence, sizeof f->evidence, "max %s is %.1f× the median %s (rule: > %.1f×)",
                t0, s->max / s->median, t1, o.spike_ratio);
            put(f->advice, sizeof f->advice,
                "isolated slow samples: interrupts, page faults or a frequency change; warm "
                "up longer (--warmup-ms), pin (--pin), and compare medians, not means");
        }
        /* A long tail is a recurring slow mode, not one spike: enough samples beyond
         * tail_ratio × median (p99 itself is just the maximum at these sample counts). */
        size_t slow = 0;
        for (size_t k = 0; k < x->n_samples; k++) slow += x->samples_ns[k] > o.tail_ratio * s->median;
        if (s->median > 0 && slow >= 2 && (double)slow >= 0.05 * (double)x->n_samples) {
            if (!(f = add(out, HARNESS_FIND_LONG_TAIL, true, id))) goto oom;
            put(f->evidence, sizeof f->evidence,
                "%zu of %zu samples (%.0f%%) are slower than %.2f× the median; p99 is %.2f× "
                "the median (rule: ≥ 2 samples and ≥ 5%%)",
                slow, x->n_samples, 100.0 * (double)slow / (double)x->n_samples, o.tail_ratio,
                s->p99 / s->median);
            put(f->advice, sizeof f->advice,
                "a slow mode recurs: look for contention (other threads, a shared cache) or "
                "periodic work (allocation, lazy initialisation) inside the timed region");
        }
        size_t severe = s->outliers.low_severe + s->outliers.high_severe;
        if (severe > 0) {
            if (!(f = add(out, HARNESS_FIND_SEVERE_OUTLIERS, false, id))) goto oom;
            put(f->evidence, sizeof f->evidence,
                "%zu samples beyond the Tukey 3·IQR fences (low %zu, high %zu)", severe,
                s->outliers.low_severe, s->outliers.high_severe);
            put(f->advice, sizeof f->advice,
                "the median and its bootstrap interval are robust to these; the mean and the "
                "t interval are not");
        }
        if (x->alloc_count.known && x->alloc_count.value > 0) {
            if (!(f = add(out, HARNESS_FIND_ALLOCATES, false, id))) goto oom;
            char b0[32], b1[32];
            harness_fmt_bytes(b0, sizeof b0, (double)x->alloc_bytes.value);
            harness_fmt_bytes(b1, sizeof b1,
                              x->peak_live_bytes.known ? (double)x->peak_live_bytes.value : NAN);
            put(f->evidence, sizeof f->evidence,
                "%llu allocations, %s requested, %s peak live per operation",
                (unsigned long long)x->alloc_count.value, b0, b1);
            put(f->advice, sizeof f->advice,
                "allocation inside the hot operation: hoist buffers into the context or "
                "caller scratch if it shows in the profile");
        }
    }
    if (scaling_rules(out, r, &o) != 0) goto oom;
    return 0;
oom:
    harness_analysis_free(out);
    return -1;
}

void harness_analysis_print(FILE *f, const harness_analysis *a) {
    if (a->n == 0) {
        fputs("No bottlenecks found: every benchmark is stable and scales as expected.\n", f);
        return;
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < a->n; i++) {
            const harness_finding *x = &a->items[i];
            if (x->warning != (pass == 0)) continue;
            static const char *const names[] = {
                "failed",       "noisy environment", "high variance", "spikes",
                "long tail",    "severe outliers",   "few samples",   "poor thread scaling",
                "oversubscribed", "allocates",       "size scaling"};
            fprintf(f, "%s %s: %s\n    evidence: %s\n    advice:   %s\n",
                    x->warning ? "[warn]" : "[info]", names[x->kind], x->subject, x->evidence,
                    x->advice);
        }
}

size_t harness_print_before_after(FILE *f, const harness_match *m, size_t n) {
    size_t regressed = 0;
    fputs("Before/after (old → new):\n", f);
    char id[512];
    for (size_t i = 0; i < n; i++) {
        const harness_match *x = &m[i];
        harness_result_id(x->b ? x->b : x->a, id, sizeof id);
        if (!x->compared) {
            fprintf(f, "  %s: %s\n", id, !x->a ? "new (not in the baseline)"
                                         : !x->b ? "gone (only in the baseline)"
                                                 : "not compared (no samples)");
            continue;
        }
        const harness_comparison *c = &x->cmp;
        char t0[32], t1[32];
        harness_fmt_ns(t0, sizeof t0, c->median_a);
        harness_fmt_ns(t1, sizeof t1, c->median_b);
        fprintf(f, "  %s\n    latency    %s → %s  %+.2f%% [%+.1f%%, %+.1f%%]  p=%.3f  %s (%s)\n",
                id, t0, t1, 100 * c->change, 100 * c->change_lo, 100 * c->change_hi, c->test.p,
                harness_verdict_str(c->verdict), c->reason);
        if (c->verdict == HARNESS_REGRESSED) regressed++;
        if (isfinite(x->a->throughput) && isfinite(x->b->throughput) && x->a->throughput > 0) {
            harness_fmt_rate(t0, sizeof t0, x->a->throughput, x->a->throughput_unit);
            harness_fmt_rate(t1, sizeof t1, x->b->throughput, x->b->throughput_unit);
            fprintf(f, "    throughput %s → %s  %+.2f%%\n", t0, t1,
                    100 * (x->b->throughput / x->a->throughput - 1));
        }
        const struct {
            const char *what;
            harness_opt_u64 a, b;
            bool bytes;
        } mem[] = {{"peak RSS", x->a->peak_rss_bytes, x->b->peak_rss_bytes, true},
                   {"alloc bytes", x->a->alloc_bytes, x->b->alloc_bytes, true},
                   {"allocs", x->a->alloc_count, x->b->alloc_count, false},
                   {"peak live", x->a->peak_live_bytes, x->b->peak_live_bytes, true}};
        for (size_t k = 0; k < sizeof mem / sizeof mem[0]; k++) {
            if (!mem[k].a.known || !mem[k].b.known) continue;
            double va = (double)mem[k].a.value, vb = (double)mem[k].b.value;
            if (mem[k].bytes) {
                harness_fmt_bytes(t0, sizeof t0, va);
                harness_fmt_bytes(t1, sizeof t1, vb);
            } else {
                snprintf(t0, sizeof t0, "%.0f", va);
                snprintf(t1, sizeof t1, "%.0f", vb);
            }
            if (va > 0)
                fprintf(f, "    %-10s %s → %s  %+.2f%%\n", mem[k].what, t0, t1, 100 * (vb / va - 1));
            else
                fprintf(f, "    %-10s %s → %s\n", mem[k].what, t0, t1);
        }
    }
    fprintf(f, "%zu regressed.\n", regressed);
    return regressed;
}

/* ---- KPI ----------------------------------------------------------------------------- */

void harness_targets_defaults(harness_targets *t) {
    memset(t, 0, sizeof *t);
    t->commitment_latency_ms = 50;
    t->verification_throughput = 250;
    t->peak_memory_mb = 1024;
    t->error_rate = 0;
    snprintf(t->commitment_bench, sizeof t->commitment_bench, "blob_to_kzg_commitment");
    snprintf(t->verification_bench, sizeof t->verification_bench, "verify_blob_kzg_proof_batch");
}

/* Applies one key = value; value is a number, or "off"/"none" to disable a numeric KPI. */
static int set_target(harness_targets *t, const char *key, const char *val, const char *where,
                      char *err, size_t errlen) {
    double num = NAN;
    bool off = strcmp(val, "off") == 0 || strcmp(val, "none") == 0;
    bool is_num = false;
    if (!off) {
        char *end;
        errno = 0;
        num = strtod(val, &end);
        is_num = end != val && *end == 0 && !errno && isfinite(num);
    }
    double *slot = NULL;
    if (strcmp(key, "commitment_latency_ms") == 0) slot = &t->commitment_latency_ms;
    else if (strcmp(key, "verification_throughput_per_s") == 0) slot = &t->verification_throughput;
    else if (strcmp(key, "peak_memory_mb") == 0) slot = &t->peak_memory_mb;
    else if (strcmp(key, "error_rate") == 0) slot = &t->error_rate;
    if (slot) {
        if (!off && !is_num)
            return harness_errorf(err, errlen, "%s: %s: expected a number or off, got '%s'", where, key, val);
        *slot = off ? NAN : num;
        return 0;
    }
    if (strcmp(key, "commitment_benchmark") == 0 || strcmp(key, "verification_benchmark") == 0) {
        char *dst = key[0] == 'c' ? t->commitment_bench : t->verification_bench;
        if (!*val || strlen(val) >= HARNESS_NAME_MAX)
            return harness_errorf(err, errlen, "%s: %s: bad benchmark name", where, key);
        snprintf(dst, HARNESS_NAME_MAX, "%s", val);
        return 0;
    }
    bool lat = strncmp(key, "latency_ms:", 11) == 0, thr = strncmp(key, "throughput:", 11) == 0;
    if (lat || thr) {
        const char *bench = key + 11;
        if (!*bench || strlen(bench) >= HARNESS_NAME_MAX || !is_num)
            return harness_errorf(err, errlen, "%s: %s: expected latency_ms:NAME or throughput:NAME = number",
                        where, key);
        if (t->n_extra == HARNESS_MAX_EXTRA_TARGETS)
            return harness_errorf(err, errlen, "%s: more than %d per-benchmark targets", where,
                        HARNESS_MAX_EXTRA_TARGETS);
        snprintf(t->extra[t->n_extra].bench, HARNESS_NAME_MAX, "%s", bench);
        t->extra[t->n_extra].throughput = thr;
        t->extra[t->n_extra].value = num;
        t->n_extra++;
        return 0;
    }
    return harness_errorf(err, errlen, "%s: unknown target '%s'", where, key);
}

static void strip(char *s) {
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = 0;
    size_t i = 0;
    while (s[i] && isspace((unsigned char)s[i])) i++;
    memmove(s, s + i, n - i + 1);
}

int harness_targets_load(harness_targets *t, const char *path, char *err, size_t errlen) {
    FILE *f = fopen(path, "r");
    if (!f) return harness_errorf(err, errlen, "%s: %s", path, strerror(errno));
    char text[65536];
    size_t len = fread(text, 1, sizeof text - 1, f);
    bool too_big = len == sizeof text - 1 && fgetc(f) != EOF;
    int io = ferror(f);
    fclose(f);
    if (io) return harness_errorf(err, errlen, "%s: read error", path);
    if (too_big) return harness_errorf(err, errlen, "%s: larger than 64 KiB", path);
    text[len] = 0;
    size_t i = 0;
    while (text[i] && isspace((unsigned char)text[i])) i++;
    if (text[i] == '{') {
        cJSON *root = cJSON_Parse(text);
        if (!cJSON_IsObject(root)) {
            cJSON_Delete(root);
            return harness_errorf(err, errlen, "%s: not a JSON object", path);
        }
        const cJSON *it;
        int rc = 0;
        cJSON_ArrayForEach(it, root) {
            char val[HARNESS_NAME_MAX + 32];
            if (cJSON_IsNumber(it)) snprintf(val, sizeof val, "%.17g", it->valuedouble);
            else if (cJSON_IsString(it) && it->valuestring) snprintf(val, sizeof val, "%s", it->valuestring);
            else if (cJSON_IsNull(it)) snprintf(val, sizeof val, "off");
            else {
                rc = harness_errorf(err, errlen, "%s: %s: expected a number or a string", path, it->string);
                break;
            }
            if ((rc = set_target(t, it->string, val, path, err, errlen)) != 0) break;
        }
        cJSON_Delete(root);
        return rc;
    }
    char *save = NULL;
    int lineno = 0;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash) *hash = 0;
        strip(line);
        if (!*line) continue;
        char *eq = strchr(line, '=');
        char where[300];
        snprintf(where, sizeof where, "%s:%d", path, lineno);
        if (!eq) return harness_errorf(err, errlen, "%s: expected key = value", where);
        *eq = 0;
        char *key = line, *val = eq + 1;
        strip(key);
        strip(val);
        if (set_target(t, key, val, where, err, errlen) != 0) return -1;
    }
    return 0;
}

static void kpi_line(FILE *f, harness_kpi_summary *s, int status, const char *what,
                     const char *subject, const char *measured, const char *target) {
    static const char *const tags[] = {"PASS", "FAIL", "n/a "};
    if (status == 0) s->pass++;
    else if (status == 1) s->fail++;
    else s->na++;
    if (f) fprintf(f, "  %s  %-24s %-40s %14s  (target %s)\n", tags[status], what, subject,
                   measured, target);
}

typedef struct kpi_check {
    const char *what, *bench;
    double target;
    bool throughput;
} kpi_check;

harness_kpi_summary harness_kpi_check(FILE *f, const harness_results *r,
                                      const harness_targets *t) {
    harness_kpi_summary s = {0, 0, 0};
    char id[512], m[64], tg[64];
    if (f) fputs("KPI check:\n", f);
    /* Latency-style checks: every result of the named benchmark, median ≤ target ms. */
    kpi_check checks[2 + HARNESS_MAX_EXTRA_TARGETS];
    size_t nc = 0;
    checks[nc++] = (kpi_check){"commitment latency", t->commitment_bench,
                                       t->commitment_latency_ms, false};
    checks[nc++] = (kpi_check){"verification throughput", t->verification_bench,
                                       t->verification_throughput, true};
    for (size_t i = 0; i < t->n_extra; i++)
        checks[nc++] = (kpi_check){t->extra[i].throughput ? "throughput" : "latency",
                                           t->extra[i].bench, t->extra[i].value,
                                           t->extra[i].throughput};
    for (size_t c = 0; c < nc; c++) {
        if (!isfinite(checks[c].target)) continue; /* disabled */
        bool any = false;
        for (size_t i = 0; i < r->n; i++) {
            const harness_result *x = &r->items[i];
            if (strcmp(x->name, checks[c].bench) != 0 || x->error[0] || !x->n_samples) continue;
            any = true;
            harness_result_id(x, id, sizeof id);
            if (checks[c].throughput) {
                harness_fmt_rate(m, sizeof m, x->throughput, x->throughput_unit);
                harness_fmt_rate(tg, sizeof tg, checks[c].target, x->throughput_unit);
                char t2[80];
                snprintf(t2, sizeof t2, "≥ %s", tg);
                kpi_line(f, &s, x->throughput >= checks[c].target ? 0 : 1, checks[c].what, id, m, t2);
            } else {
                harness_fmt_ns(m, sizeof m, x->stats.median);
                harness_fmt_ns(tg, sizeof tg, checks[c].target * 1e6);
                char t2[80];
                snprintf(t2, sizeof t2, "≤ %s", tg);
                kpi_line(f, &s, x->stats.median <= checks[c].target * 1e6 ? 0 : 1, checks[c].what,
                         id, m, t2);
            }
        }
        if (!any) {
            snprintf(m, sizeof m, "-");
            snprintf(tg, sizeof tg, "%s %g%s", checks[c].throughput ? "≥" : "≤", checks[c].target,
                     checks[c].throughput ? "/s" : " ms");
            char why[160];
            snprintf(why, sizeof why, "(no benchmark named %s)", checks[c].bench);
            kpi_line(f, &s, 2, checks[c].what, why, m, tg);
        }
    }
    if (isfinite(t->peak_memory_mb)) {
        uint64_t peak = 0;
        bool known = false;
        for (size_t i = 0; i < r->n; i++)
            if (r->items[i].peak_rss_bytes.known) {
                known = true;
                if (r->items[i].peak_rss_bytes.value > peak) peak = r->items[i].peak_rss_bytes.value;
            }
        harness_fmt_bytes(m, sizeof m, known ? (double)peak : NAN);
        char t2[80];
        harness_fmt_bytes(tg, sizeof tg, t->peak_memory_mb * 1048576.0);
        snprintf(t2, sizeof t2, "≤ %s", tg);
        kpi_line(f, &s, !known ? 2 : (double)peak <= t->peak_memory_mb * 1048576.0 ? 0 : 1,
                 "peak memory", "max peak RSS over all benchmarks", m, t2);
    }
    if (isfinite(t->error_rate)) {
        size_t failed = 0;
        for (size_t i = 0; i < r->n; i++) failed += r->items[i].error[0] != 0;
        double rate = r->n ? (double)failed / (double)r->n : 0;
        snprintf(m, sizeof m, "%.1f%% (%zu/%zu)", 100 * rate, failed, r->n);
        snprintf(tg, sizeof tg, "≤ %.1f%%", 100 * t->error_rate);
        kpi_line(f, &s, r->n == 0 ? 2 : rate <= t->error_rate ? 0 : 1, "error rate",
                 "failed benchmarks / all", m, tg);
    }
    if (f) fprintf(f, "KPI: %zu pass, %zu fail, %zu n/a\n", s.pass, s.fail, s.na);
    return s;
}
