/* tools/harness/analyze.c — see analyze.h. */
#include "analyze.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
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
    /* Truncation is intended (a subject is a benchmark id, shown abbreviated); an explicit
     * copy rather than snprintf, whose truncation GCC -O3 reports under -Werror. */
    size_t len = strnlen(subject, sizeof f->subject - 1);
    memcpy(f->subject, subject, len);
    f->subject[len] = '\0';
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
    t->commitment_latency_ms = 1;
    t->verification_throughput = 10000;
    t->peak_memory_mb = 1024;
    t->cache_hit_rate = 0.90;
    t->error_rate = 0.001;
    snprintf(t->commitment_bench, sizeof t->commitment_bench, "blob_to_kzg_commitment");
    snprintf(t->commitment_cached_bench, sizeof t->commitment_cached_bench,
             "blob_to_kzg_commitment_cached");
    snprintf(t->commitment_batch_bench, sizeof t->commitment_batch_bench,
             "blob_to_kzg_commitment_batch");
    snprintf(t->verification_bench, sizeof t->verification_bench, "verify_blob_kzg_proof_batch");
    snprintf(t->cache_bench, sizeof t->cache_bench, "process_blobs_steady/repeat=90");
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
    else if (strcmp(key, "cache_hit_rate") == 0) slot = &t->cache_hit_rate;
    else if (strcmp(key, "error_rate") == 0) slot = &t->error_rate;
    if (slot) {
        if (!off && !is_num)
            return harness_errorf(err, errlen, "%s: %s: expected a number or off, got '%s'", where, key, val);
        if ((slot == &t->cache_hit_rate || slot == &t->error_rate) && !off && (num < 0 || num > 1))
            return harness_errorf(err, errlen, "%s: %s: a fraction in 0..1 (0.9 for 90%%), got '%s'",
                                  where, key, val);
        *slot = off ? NAN : num;
        return 0;
    }
    static const struct {
        const char *key;
        size_t offset;
    } names[] = {
        {"commitment_benchmark", offsetof(harness_targets, commitment_bench)},
        {"commitment_cached_benchmark", offsetof(harness_targets, commitment_cached_bench)},
        {"commitment_batch_benchmark", offsetof(harness_targets, commitment_batch_bench)},
        {"verification_benchmark", offsetof(harness_targets, verification_bench)},
        {"cache_benchmark", offsetof(harness_targets, cache_bench)},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(key, names[i].key) != 0) continue;
        char *dst = (char *)t + names[i].offset;
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

enum { KPI_PASS, KPI_FAIL, KPI_NA, KPI_INFO };

/* One check: tag, what, the case it rests on, measured, target; then, when given, a plain
 * sentence under it. Info lines are printed but not counted. */
static void kpi_line(FILE *f, harness_kpi_summary *s, int status, const char *what,
                     const char *subject, const char *measured, const char *target,
                     const char *note) {
    static const char *const tags[] = {"PASS", "FAIL", "n/a ", "info"};
    if (status == KPI_PASS) s->pass++;
    else if (status == KPI_FAIL) s->fail++;
    else if (status == KPI_NA) s->na++;
    if (!f) return;
    if (status == KPI_INFO) fprintf(f, "  %s  %-24s %s\n", tags[status], what, subject);
    else
        fprintf(f, "  %s  %-24s %-48s %14s  (target %s)\n", tags[status], what, subject, measured,
                target);
    if (note && *note) fprintf(f, "        %s\n", note);
}

/* Whether x is the benchmark `want` names: its name, or its id exactly or up to a '/'. */
static bool kpi_matches(const harness_result *x, const char *want) {
    if (!*want) return false;
    if (strcmp(x->name, want) == 0) return true;
    char id[512];
    harness_result_id(x, id, sizeof id);
    size_t n = strlen(want);
    return strncmp(id, want, n) == 0 && (id[n] == 0 || id[n] == '/');
}

static bool kpi_usable(const harness_result *x) { return !x->error[0] && x->n_samples > 0; }

/* The case of `want` with the least time per item (per call when `per_item` is false), or
 * NULL; *ns receives that time. Per item: 1 s / throughput (items per second at the median). */
static const harness_result *kpi_fastest(const harness_results *r, const char *want,
                                         bool per_item, double *ns) {
    const harness_result *best = NULL;
    *ns = NAN;
    for (size_t i = 0; i < r->n; i++) {
        const harness_result *x = &r->items[i];
        if (!kpi_usable(x) || !kpi_matches(x, want)) continue;
        double t = x->stats.median;
        if (per_item && isfinite(x->throughput) && x->throughput > 0) t = 1e9 / x->throughput;
        if (!best || t < *ns) {
            best = x;
            *ns = t;
        }
    }
    return best;
}

static int kpi_cpus(const harness_results *r) {
    return r->env.cpus_allowed > 0 ? r->env.cpus_allowed : r->env.cpus_online;
}

/* The commitment latency: which path meets the target (cold, batch, cache hit), and an info
 * line with all three so that a pass through the cache is never read as a cold figure. */
static void kpi_commitment(FILE *f, harness_kpi_summary *s, const harness_results *r,
                           const harness_targets *t) {
    double target_ns = t->commitment_latency_ms * 1e6, cold_ns, batch_ns, hit_ns;
    const harness_result *cold = kpi_fastest(r, t->commitment_bench, false, &cold_ns);
    const harness_result *batch = kpi_fastest(r, t->commitment_batch_bench, true, &batch_ns);
    const harness_result *hit = kpi_fastest(r, t->commitment_cached_bench, false, &hit_ns);
    char tg[64], tg2[80], m[64], path[160], id[512], subject[700], info[640], note[1200];
    harness_fmt_ns(tg, sizeof tg, target_ns);
    snprintf(tg2, sizeof tg2, "≤ %s", tg);
    char batch_path[128] = "", batch_label[96] = "";
    if (batch) {
        long long n = harness_result_param(batch, "n", 1), th = harness_result_param(batch, "threads", 1);
        snprintf(batch_label, sizeof batch_label, "batch of %lld on %lld thread%s", n, th,
                 th == 1 ? "" : "s");
        snprintf(batch_path, sizeof batch_path, "amortised over a %s", batch_label);
    }
    struct {
        const harness_result *x;
        double ns;
        const char *path, *label;
    } paths[] = {{cold, cold_ns, "cold, one call", "single cold commitment"},
                 {batch, batch_ns, batch_path, batch_label},
                 {hit, hit_ns, "via cache hit", "cache hit"}};
    size_t np = sizeof paths / sizeof paths[0];

    size_t len = 0;
    info[0] = 0;
    for (size_t i = 0; i < np; i++) {
        if (!paths[i].x) continue;
        harness_fmt_ns(m, sizeof m, paths[i].ns);
        harness_result_id(paths[i].x, id, sizeof id);
        int w = snprintf(info + len, sizeof info - len, "%s%s %s%s (%s)", len ? "; " : "",
                         paths[i].label, m,
                         i == 1 ? " per blob" : "", id);
        if (w > 0) len = (size_t)w < sizeof info - len ? len + (size_t)w : sizeof info - 1;
    }
    if (harness_results_counts(r) || (!cold && !batch && !hit)) {
        snprintf(subject, sizeof subject, harness_results_counts(r)
                                              ? "(instruction counts, not times)"
                                              : "(no benchmark named %s)", t->commitment_bench);
        kpi_line(f, s, KPI_NA, "commitment latency", subject, "-", tg2, NULL);
        return;
    }
    for (size_t i = 0; i < np; i++) {
        if (!paths[i].x || !(paths[i].ns <= target_ns)) continue;
        harness_fmt_ns(m, sizeof m, paths[i].ns);
        harness_result_id(paths[i].x, id, sizeof id);
        snprintf(path, sizeof path, "%s", paths[i].path);
        snprintf(subject, sizeof subject, "%s: %s", path, id);
        kpi_line(f, s, KPI_PASS, "commitment latency", subject, m, tg2, NULL);
        kpi_line(f, s, KPI_INFO, "", info, NULL, NULL, NULL);
        return;
    }
    size_t best = np;
    for (size_t i = 0; i < np; i++)
        if (paths[i].x && (best == np || paths[i].ns < paths[best].ns)) best = i;
    harness_fmt_ns(m, sizeof m, paths[best].ns);
    harness_result_id(paths[best].x, id, sizeof id);
    snprintf(subject, sizeof subject, "best: %s: %s", paths[best].path, id);
    snprintf(note, sizeof note, "no path reaches %s on this machine: %s.", tg, info);
    kpi_line(f, s, KPI_FAIL, "commitment latency", subject, m, tg2, note);
}

/* Verification throughput: the best case over the thread counts run. */
static void kpi_verification(FILE *f, harness_kpi_summary *s, const harness_results *r,
                             const harness_targets *t) {
    const harness_result *best = NULL, *one = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const harness_result *x = &r->items[i];
        if (!kpi_usable(x) || !kpi_matches(x, t->verification_bench) || !isfinite(x->throughput))
            continue;
        if (!best || x->throughput > best->throughput) best = x;
        if (harness_result_param(x, "threads", 1) == 1 && (!one || x->throughput > one->throughput))
            one = x;
    }
    char m[64], tg[64], tg2[80], id[512], subject[700], note[1200];
    const char *unit = best ? best->throughput_unit : "blobs/s";
    harness_fmt_rate(tg, sizeof tg, t->verification_throughput, unit);
    snprintf(tg2, sizeof tg2, "≥ %s", tg);
    if (harness_results_counts(r) || !best) {
        snprintf(subject, sizeof subject, harness_results_counts(r)
                                              ? "(instruction counts, not times)"
                                              : "(no benchmark named %s)", t->verification_bench);
        kpi_line(f, s, KPI_NA, "verification throughput", subject, "-", tg2, NULL);
        return;
    }
    long long threads = harness_result_param(best, "threads", 1);
    harness_result_id(best, id, sizeof id);
    snprintf(subject, sizeof subject, "%s (best, %lld thread%s)", id, threads, threads == 1 ? "" : "s");
    harness_fmt_rate(m, sizeof m, best->throughput, unit);
    if (best->throughput >= t->verification_throughput) {
        kpi_line(f, s, KPI_PASS, "verification throughput", subject, m, tg2, NULL);
        return;
    }
    /* Per core: the one-thread case when it was run, else the best spread over its threads
     * (which flatters the core when scaling is poor, so the estimate errs low). */
    double per_core = one ? one->throughput : best->throughput / (double)(threads > 0 ? threads : 1);
    double need = ceil(t->verification_throughput / per_core);
    int cpus = kpi_cpus(r);
    char rate[64], cpus_s[48];
    harness_fmt_count(rate, sizeof rate, per_core);
    if (cpus > 0) snprintf(cpus_s, sizeof cpus_s, "this machine has %d", cpus);
    else snprintf(cpus_s, sizeof cpus_s, "this machine's CPU count is unknown");
    harness_fmt_count(tg, sizeof tg, t->verification_throughput);
    snprintf(note, sizeof note, "%s %s needs ~%.0f cores at the measured %s %s per core%s; %s%s.", tg,
             unit, need, rate, unit, one ? "" : " (best case ÷ its threads)", cpus_s,
             cpus > 0 && need <= cpus && threads < cpus ? ": run with --threads equal to it" : "");
    kpi_line(f, s, KPI_FAIL, "verification throughput", subject, m, tg2, note);
}

static void kpi_memory(FILE *f, harness_kpi_summary *s, const harness_results *r,
                       const harness_targets *t) {
    const harness_result *top = NULL;
    for (size_t i = 0; i < r->n; i++)
        if (r->items[i].peak_rss_bytes.known &&
            (!top || r->items[i].peak_rss_bytes.value > top->peak_rss_bytes.value))
            top = &r->items[i];
    double budget = t->peak_memory_mb * 1048576.0;
    char m[64], tg[64], tg2[80], id[512], subject[700], note[1200];
    harness_fmt_bytes(m, sizeof m, top ? (double)top->peak_rss_bytes.value : NAN);
    harness_fmt_bytes(tg, sizeof tg, budget);
    snprintf(tg2, sizeof tg2, "≤ %s", tg);
    if (!top) {
        kpi_line(f, s, KPI_NA, "peak memory", "(no peak RSS measured)", m, tg2, NULL);
        return;
    }
    harness_result_id(top, id, sizeof id);
    snprintf(subject, sizeof subject, "max peak RSS: %s", id);
    bool ok = (double)top->peak_rss_bytes.value <= budget;
    snprintf(note, sizeof note, "%s reaches %s of resident memory, over the %s budget.", id, m, tg);
    kpi_line(f, s, ok ? KPI_PASS : KPI_FAIL, "peak memory", subject, m, tg2, ok ? NULL : note);
}

/* The cache hit rate on the repeating workload: the lowest over the matching cases. */
static void kpi_cache(FILE *f, harness_kpi_summary *s, const harness_results *r,
                      const harness_targets *t) {
    const harness_result *worst = NULL;
    double rate = NAN;
    for (size_t i = 0; i < r->n; i++) {
        const harness_result *x = &r->items[i];
        double v = harness_result_figure(x, "cache_hit_rate");
        if (!kpi_usable(x) || !kpi_matches(x, t->cache_bench) || !isfinite(v)) continue;
        if (!worst || v < rate) {
            worst = x;
            rate = v;
        }
    }
    char m[64], tg2[80], id[512], subject[700], note[1200];
    snprintf(tg2, sizeof tg2, "≥ %.1f%%", 100 * t->cache_hit_rate);
    if (!worst) {
        snprintf(subject, sizeof subject, "(no %s with a cache_hit_rate figure)", t->cache_bench);
        kpi_line(f, s, KPI_NA, "cache hit rate", subject, "-", tg2, NULL);
        return;
    }
    harness_result_id(worst, id, sizeof id);
    snprintf(m, sizeof m, "%.1f%%", 100 * rate);
    double hits = harness_result_figure(worst, "cache_hits");
    double lookups = harness_result_figure(worst, "cache_lookups");
    bool ok = rate >= t->cache_hit_rate;
    if (isfinite(hits) && isfinite(lookups))
        snprintf(note, sizeof note,
                 "%.0f of %.0f cache lookups hit; the other %.0f were new blobs, which no cache "
                 "can answer. Not a machine limit: the stream's share of new blobs bounds the "
                 "rate, and a repeat within one call is answered by the processor's in-call "
                 "dedup without a lookup, which leaves fewer repeats among the lookups.",
                 hits, lookups, lookups - hits);
    else
        snprintf(note, sizeof note, "the cache answered %.1f%% of lookups; the rest were computed.",
                 100 * rate);
    double reuse = harness_result_figure(worst, "reuse_rate");
    if (isfinite(reuse)) {
        size_t len = strlen(note);
        snprintf(note + len, sizeof note - len,
                 " Counting repeats within a call as well, %.1f%% of blobs were not computed.",
                 100 * reuse);
    }
    kpi_line(f, s, ok ? KPI_PASS : KPI_FAIL, "cache hit rate", id, m, tg2, ok ? NULL : note);
}

/* Failed benchmarks / all, and the operations' own error counters where the benchmarks
 * report them (figures op_errors / op_calls); the larger of the two rates counts. */
static void kpi_errors(FILE *f, harness_kpi_summary *s, const harness_results *r,
                       const harness_targets *t) {
    size_t failed = 0;
    double calls = 0, errors = 0;
    const harness_result *first = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const harness_result *x = &r->items[i];
        if (x->error[0]) {
            failed++;
            if (!first) first = x;
        }
        double c = harness_result_figure(x, "op_calls"), e = harness_result_figure(x, "op_errors");
        if (isfinite(c) && isfinite(e)) {
            calls += c;
            errors += e;
        }
    }
    double bench_rate = r->n ? (double)failed / (double)r->n : 0;
    double op_rate = calls > 0 ? errors / calls : 0;
    double rate = bench_rate > op_rate ? bench_rate : op_rate;
    char m[64], tg2[80], subject[700], ops[64], note[1200], id[512];
    snprintf(m, sizeof m, "%.3g%%", 100 * rate);
    snprintf(tg2, sizeof tg2, "≤ %.3g%%", 100 * t->error_rate);
    if (calls < 1000) snprintf(ops, sizeof ops, "%.0f", calls); /* a count: no decimals */
    else harness_fmt_count(ops, sizeof ops, calls);
    if (calls > 0)
        snprintf(subject, sizeof subject, "%zu/%zu benchmarks failed, %.0f/%s operations", failed,
                 r->n, errors, ops);
    else
        snprintf(subject, sizeof subject, "%zu/%zu benchmarks failed", failed, r->n);
    if (r->n == 0) {
        kpi_line(f, s, KPI_NA, "error rate", "(no benchmarks)", "-", tg2, NULL);
        return;
    }
    bool ok = rate <= t->error_rate;
    note[0] = 0;
    if (!ok && first) {
        harness_result_id(first, id, sizeof id);
        snprintf(note, sizeof note, "%zu benchmark%s did not run to the end; the first, %s: %s.",
                 failed, failed == 1 ? "" : "s", id, first->error);
    } else if (!ok) {
        snprintf(note, sizeof note, "%.0f of %s operation calls returned an error status.", errors, ops);
    }
    kpi_line(f, s, ok ? KPI_PASS : KPI_FAIL, "error rate", subject, m, tg2, note);
}

harness_kpi_summary harness_kpi_check(FILE *f, const harness_results *r,
                                      const harness_targets *t) {
    harness_kpi_summary s = {0, 0, 0};
    char id[512], m[64], tg[64], t2[80];
    if (f) fputs("KPI check:\n", f);
    if (isfinite(t->commitment_latency_ms)) kpi_commitment(f, &s, r, t);
    if (isfinite(t->verification_throughput)) kpi_verification(f, &s, r, t);
    /* Extra per-benchmark targets: every case of the named benchmark. */
    for (size_t c = 0; c < t->n_extra; c++) {
        bool thr = t->extra[c].throughput, any = false;
        const char *what = thr ? "throughput" : "latency";
        for (size_t i = 0; i < r->n && !harness_results_counts(r); i++) {
            const harness_result *x = &r->items[i];
            if (!kpi_usable(x) || !kpi_matches(x, t->extra[c].bench)) continue;
            any = true;
            harness_result_id(x, id, sizeof id);
            if (thr) {
                harness_fmt_rate(m, sizeof m, x->throughput, x->throughput_unit);
                harness_fmt_rate(tg, sizeof tg, t->extra[c].value, x->throughput_unit);
                snprintf(t2, sizeof t2, "≥ %s", tg);
                kpi_line(f, &s, x->throughput >= t->extra[c].value ? KPI_PASS : KPI_FAIL, what, id,
                         m, t2, NULL);
            } else {
                harness_fmt_ns(m, sizeof m, x->stats.median);
                harness_fmt_ns(tg, sizeof tg, t->extra[c].value * 1e6);
                snprintf(t2, sizeof t2, "≤ %s", tg);
                kpi_line(f, &s, x->stats.median <= t->extra[c].value * 1e6 ? KPI_PASS : KPI_FAIL,
                         what, id, m, t2, NULL);
            }
        }
        if (!any) {
            snprintf(tg, sizeof tg, "%s %g%s", thr ? "≥" : "≤", t->extra[c].value, thr ? "/s" : " ms");
            char why[160];
            snprintf(why, sizeof why, "(no benchmark named %s)", t->extra[c].bench);
            kpi_line(f, &s, KPI_NA, what, why, "-", tg, NULL);
        }
    }
    if (isfinite(t->peak_memory_mb)) kpi_memory(f, &s, r, t);
    if (isfinite(t->cache_hit_rate)) kpi_cache(f, &s, r, t);
    if (isfinite(t->error_rate)) kpi_errors(f, &s, r, t);
    if (f) fprintf(f, "KPI: %zu pass, %zu fail, %zu n/a\n", s.pass, s.fail, s.na);
    return s;
}
