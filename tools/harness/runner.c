/* tools/harness/runner.c — see runner.h. */
#define _GNU_SOURCE
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

harness_run_opts harness_run_defaults(bool quick) {
    harness_run_opts o = {
        .samples = 30, .min_samples = 5, .warmup_s = 0.5, .sample_s = 0.010, .max_s = 5.0,
        .resamples = 0, .seed = 0x6b7a67686e657373ULL, .progress = true};
    if (quick) {
        o.samples = 10;
        o.min_samples = 3;
        o.warmup_s = 0.05;
        o.sample_s = 0.002;
        o.max_s = 0.5;
    }
    return o;
}

long long harness_case_param(const harness_case *c, const char *key, long long dflt) {
    for (size_t i = 0; i < c->n_params; i++)
        if (strcmp(c->params[i].key, key) == 0) return c->params[i].value;
    return dflt;
}

int harness_parse_values(harness_override *o, const char *key, const char *list) {
    memset(o, 0, sizeof *o);
    if (!key || strlen(key) >= sizeof o->key || !list || !*list) return -1;
    snprintf(o->key, sizeof o->key, "%s", key);
    const char *p = list;
    while (*p) {
        char *end;
        errno = 0;
        long long v = strtoll(p, &end, 10);
        if (end == p || errno || v < 0 || o->n_values == HARNESS_MAX_VALUES) return -1;
        o->values[o->n_values++] = v;
        p = end;
        if (*p == ',') {
            p++;
            if (!*p) return -1;
        } else if (*p) {
            return -1;
        }
    }
    return 0;
}

/* ---- expansion --------------------------------------------------------------------- */

static void case_id(harness_case *c) {
    size_t len = 0, cap = sizeof c->id;
    int w = snprintf(c->id, cap, "%s", c->bench->name);
    len = w > 0 ? (size_t)w : 0;
    for (size_t i = 0; i < c->n_params && len < cap; i++) {
        w = snprintf(c->id + len, cap - len, "/%s=%lld", c->params[i].key, c->params[i].value);
        if (w > 0) len += (size_t)w;
    }
}

int harness_expand(harness_case **out, size_t *n_out, const harness_suite *suites,
                   size_t n_suites, const harness_override *ov, size_t n_ov,
                   const regex_t *filter, int *unused_override) {
    *out = NULL;
    *n_out = 0;
    if (unused_override) *unused_override = -1;
    bool ov_used[64] = {false};
    size_t n = 0, cap = 0;
    harness_case *cases = NULL;
    for (size_t si = 0; si < n_suites; si++) {
        const harness_suite *s = &suites[si];
        for (size_t bi = 0; bi < s->n_benches; bi++) {
            const harness_bench *b = &s->benches[bi];
            size_t np = b->n_params < HARNESS_MAX_PARAMS ? b->n_params : HARNESS_MAX_PARAMS;
            const long long *vals[HARNESS_MAX_PARAMS];
            size_t nvals[HARNESS_MAX_PARAMS], idx[HARNESS_MAX_PARAMS] = {0};
            bool empty = false;
            for (size_t p = 0; p < np; p++) {
                vals[p] = b->params[p].values;
                nvals[p] = b->params[p].n_values;
                for (size_t k = 0; k < n_ov; k++) {
                    if (strcmp(ov[k].key, b->params[p].key) != 0) continue;
                    vals[p] = ov[k].values;
                    nvals[p] = ov[k].n_values;
                    if (k < 64) ov_used[k] = true;
                }
                if (nvals[p] == 0) empty = true;
            }
            if (empty) continue;
            for (;;) { /* odometer over the value indices */
                harness_case c;
                memset(&c, 0, sizeof c);
                c.suite = s;
                c.bench = b;
                c.n_params = np;
                for (size_t p = 0; p < np; p++) {
                    snprintf(c.params[p].key, sizeof c.params[p].key, "%s", b->params[p].key);
                    c.params[p].value = vals[p][idx[p]];
                }
                case_id(&c);
                if (!filter || regexec(filter, c.id, 0, NULL, 0) == 0) {
                    if (n == cap) {
                        size_t ncap = cap ? 2 * cap : 32;
                        harness_case *nc = realloc(cases, ncap * sizeof *nc);
                        if (!nc) {
                            free(cases);
                            return -1;
                        }
                        cases = nc;
                        cap = ncap;
                    }
                    cases[n++] = c;
                }
                size_t p = np;
                while (p > 0) {
                    p--;
                    if (++idx[p] < nvals[p]) break;
                    idx[p] = 0;
                    if (p == 0) goto next_bench;
                }
                if (np == 0) break;
            }
        next_bench:;
        }
    }
    if (unused_override)
        for (size_t k = 0; k < n_ov && k < 64; k++)
            if (!ov_used[k]) {
                *unused_override = (int)k;
                break;
            }
    *out = cases;
    *n_out = n;
    return 0;
}

/* ---- measuring ----------------------------------------------------------------------- */

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU time of the whole process (all its threads), which a preempted process does not
 * accumulate: `kzgkit ab --clock cpu`. */
static double cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Linux ≥ 4.0: writing "5" to clear_refs resets the peak-RSS high-water mark to the
 * current RSS, so that VmHWM afterwards is this benchmark's peak. */
static bool reset_peak_rss(void) {
    int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = write(fd, "5", 1) == 1;
    close(fd);
    return ok;
}

static bool read_peak_rss(uint64_t *bytes) {
    FILE *f = fopen("/proc/self/status", "r");
    if (f) {
        char line[256];
        unsigned long long kb = 0;
        bool found = false;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "VmHWM: %llu kB", &kb) == 1) {
                found = true;
                break;
            }
        fclose(f);
        if (found) {
            *bytes = (uint64_t)kb * 1024;
            return true;
        }
    }
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0 && ru.ru_maxrss > 0) {
        *bytes = (uint64_t)ru.ru_maxrss * 1024; /* Linux reports kilobytes */
        return true;
    }
    return false;
}

typedef struct progress {
    bool on;
    size_t case_i, n_cases;
    double last;
} progress;

static void progress_draw(progress *pg, const char *id, size_t sample, size_t n_samples,
                          bool force) {
    if (!pg->on) return;
    double t = now_s();
    if (!force && t - pg->last < 0.05) return;
    pg->last = t;
    const int width = 24;
    double frac = pg->n_cases ? ((double)pg->case_i +
                                 (n_samples ? (double)sample / (double)n_samples : 0)) /
                                    (double)pg->n_cases
                              : 1;
    int fill = (int)(frac * width + 0.5);
    char bar[32];
    for (int i = 0; i < width; i++) bar[i] = i < fill ? '#' : '.';
    bar[width] = 0;
    fprintf(stderr, "\r\033[K[%s] %zu/%zu %.50s (%zu/%zu)", bar, pg->case_i + 1, pg->n_cases, id,
            sample, n_samples);
    fflush(stderr);
}

static void progress_clear(progress *pg) {
    if (!pg->on) return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
}

static void set_error(harness_result *res, const char *fmt, int code) {
    snprintf(res->error, sizeof res->error, fmt, code);
}

/* --measure instructions (runner.h): a fixed number of iterations, since a time-based count
 * is meaningless under a simulator that runs 50x slower. */
static int count_samples(const harness_case *c, void *state, const harness_run_opts *o,
                         size_t index, harness_result *res, progress *pg) {
    const harness_bench *b = c->bench;
    uint64_t iters = o->count_iters ? o->count_iters : 1;
    size_t n = o->samples ? o->samples : 1;
    int rc;
    res->iters_per_sample = iters;
    if ((rc = b->run(state, 1)) != 0) {
        set_error(res, "run failed during warm-up (status %d)", rc);
        return -1;
    }
    res->samples_ns = calloc(n, sizeof *res->samples_ns);
    if (!res->samples_ns) {
        snprintf(res->error, sizeof res->error, "out of memory");
        return -1;
    }
    harness_perf perf = {-1};
    bool use_perf = o->counter == HARNESS_COUNTER_PERF;
    if (use_perf && harness_perf_open(&perf, res->error, sizeof res->error) != 0) return -1;
    for (size_t i = 0; i < n; i++) {
        progress_draw(pg, c->id, i, n, i == 0);
        double v = 0; /* callgrind: filled in from the dump by the parent */
        if (use_perf) {
            harness_perf_start(&perf);
            rc = b->run(state, iters);
            v = (double)harness_perf_stop(&perf) / (double)iters;
        } else {
            char tag[64];
            harness_cg_tag(tag, sizeof tag, index, i);
            harness_cg_begin();
            rc = b->run(state, iters);
            harness_cg_end(tag);
        }
        if (rc != 0) {
            set_error(res, "run failed (status %d)", rc);
            break;
        }
        res->samples_ns[res->n_samples++] = v;
    }
    if (use_perf) harness_perf_close(&perf);
    return res->error[0] ? -1 : 0;
}

/* Warm-up, doubling the batch from 1 until warmup_s is spent; the last batch gives the
 * per-iteration estimate in seconds (at least 1 ns). Returns run's status (0: fine). */
static int warm_up(const harness_bench *b, void *state, double warmup_s, double *per_iter) {
    uint64_t iters = 1;
    double spent = 0, per = 0;
    for (;;) {
        double t0 = now_s();
        int rc = b->run(state, iters);
        if (rc != 0) return rc;
        double dt = now_s() - t0;
        spent += dt;
        per = dt / (double)iters;
        if (spent >= warmup_s || iters >= (1ULL << 40)) break;
        iters *= 2;
    }
    *per_iter = per > 0 ? per : 1e-9;
    return 0;
}

static void run_one(const harness_case *c, void *suite_state, const harness_run_opts *o,
                    size_t index, harness_result *res, progress *pg) {
    const harness_bench *b = c->bench;
    snprintf(res->name, sizeof res->name, "%s", b->name);
    res->n_params = c->n_params;
    memcpy(res->params, c->params, sizeof res->params);
    const char *unit = b->unit ? b->unit : "op";
    snprintf(res->throughput_unit, sizeof res->throughput_unit, "%s/s", unit);
    bool rss_scoped = reset_peak_rss();
    snprintf(res->peak_rss_scope, sizeof res->peak_rss_scope, "%s",
             rss_scoped ? "benchmark" : "process");

    void *state = NULL;
    int rc;
    if (!b->run) {
        snprintf(res->error, sizeof res->error, "benchmark has no run function");
        return;
    }
    if (b->setup && (rc = b->setup(suite_state, c, &state)) != 0) {
        set_error(res, "setup failed (status %d)", rc);
        return;
    }

    if (o->measure == HARNESS_MEASURE_INSTRUCTIONS) {
        if (count_samples(c, state, o, index, res, pg) != 0) goto teardown;
        goto memory;
    }

    double per_iter;
    if ((rc = warm_up(b, state, o->warmup_s, &per_iter)) != 0) {
        set_error(res, "run failed during warm-up (status %d)", rc);
        goto teardown;
    }
    double want = o->sample_s / per_iter;
    res->iters_per_sample = want < 1 ? 1 : want > 1e12 ? (uint64_t)1e12 : (uint64_t)(want + 0.5);

    size_t n = o->samples ? o->samples : 1;
    double per_sample = per_iter * (double)res->iters_per_sample;
    if (o->max_s > 0 && per_sample * (double)n > o->max_s) {
        size_t fit = (size_t)(o->max_s / per_sample);
        size_t floor_n = o->min_samples ? o->min_samples : 1;
        n = fit < floor_n ? floor_n : fit < n ? fit : n;
    }
    res->samples_ns = malloc(n * sizeof *res->samples_ns);
    if (!res->samples_ns) {
        snprintf(res->error, sizeof res->error, "out of memory");
        goto teardown;
    }
    for (size_t i = 0; i < n; i++) {
        progress_draw(pg, c->id, i, n, i == 0);
        double t0 = now_s();
        if ((rc = b->run(state, res->iters_per_sample)) != 0) {
            set_error(res, "run failed (status %d)", rc);
            goto teardown;
        }
        double dt = now_s() - t0;
        res->samples_ns[res->n_samples++] = dt * 1e9 / (double)res->iters_per_sample;
    }

memory:
    if (c->suite->mem && c->suite->mem->begin && c->suite->mem->end) {
        harness_mem_stats ms;
        memset(&ms, 0, sizeof ms);
        c->suite->mem->begin(c->suite->mem->ctx);
        rc = b->run(state, 1);
        if (c->suite->mem->end(c->suite->mem->ctx, &ms) == 0 && rc == 0) {
            res->alloc_count = (harness_opt_u64){true, ms.alloc_count};
            res->alloc_bytes = (harness_opt_u64){true, ms.alloc_bytes};
            res->peak_live_bytes = (harness_opt_u64){true, ms.peak_live_bytes};
            if (ms.overhead_known)
                harness_result_set_figure(res, "alloc_overhead_bytes", (double)ms.overhead_bytes);
        }
        if (rc != 0) {
            set_error(res, "run failed during the memory measurement (status %d)", rc);
            goto teardown;
        }
    }
    uint64_t rss;
    if (read_peak_rss(&rss)) res->peak_rss_bytes = (harness_opt_u64){true, rss};
    if (b->figures) b->figures(state, res);

teardown:
    if (b->teardown) b->teardown(state);
    if (res->error[0]) {
        free(res->samples_ns); /* a failed benchmark keeps no partial samples */
        res->samples_ns = NULL;
        res->n_samples = 0;
        return;
    }
    uint64_t seed = o->seed;
    for (const char *p = c->id; *p; p++) seed = (seed ^ (unsigned char)*p) * 0x100000001b3ULL;
    if (harness_summarize(&res->stats, res->samples_ns, res->n_samples, o->resamples, seed) != 0) {
        snprintf(res->error, sizeof res->error, "cannot summarise the samples (out of memory?)");
        return;
    }
    double items = b->items_per_op > 0 ? b->items_per_op : 1;
    if (b->items_param) items *= (double)harness_case_param(c, b->items_param, 1);
    res->throughput = res->stats.median > 0 && o->measure == HARNESS_MEASURE_TIME
                          ? items * 1e9 / res->stats.median
                          : NAN;
}

int harness_run_cases(harness_results *out, const harness_case *cases, size_t n,
                      const harness_run_opts *opts) {
    harness_run_opts o = opts ? *opts : harness_run_defaults(false);
    progress pg = {.on = o.progress && isatty(STDERR_FILENO), .n_cases = n, .last = 0};
    size_t i = 0;
    while (i < n) {
        const harness_suite *s = cases[i].suite;
        size_t j = i;
        while (j < n && cases[j].suite == s) j++;
        void *suite_state = NULL;
        if (s->init && s->init(&suite_state) != 0) {
            progress_clear(&pg);
            fprintf(stderr, "bench: suite %s failed to initialise\n", s->name);
            return -1;
        }
        for (size_t k = i; k < j; k++) {
            harness_result *res = harness_results_push(out);
            if (!res) {
                if (s->fini) s->fini(suite_state);
                progress_clear(&pg);
                return -1;
            }
            pg.case_i = k;
            run_one(&cases[k], suite_state, &o, out->n - 1, res, &pg);
        }
        if (s->fini) s->fini(suite_state);
        i = j;
    }
    progress_clear(&pg);
    return 0;
}

/* ---- the A/B worker (runner.h) ------------------------------------------------------- */

typedef struct worker {
    FILE *out;
    const harness_case *cases;
    size_t n;
    const harness_run_opts *o;
    const harness_suite *suite; /* the initialised suite, or NULL */
    void *suite_state;
    const harness_case *open;   /* the case set up, or NULL */
    void *state;
} worker;

static void worker_reply(worker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void worker_reply(worker *w, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(w->out, fmt, ap);
    va_end(ap);
    fputc('\n', w->out);
    fflush(w->out);
}

static void worker_close(worker *w) {
    if (w->open && w->open->bench->teardown) w->open->bench->teardown(w->state);
    w->open = NULL;
    w->state = NULL;
}

static void worker_fini(worker *w) {
    worker_close(w);
    if (w->suite && w->suite->fini) w->suite->fini(w->suite_state);
    w->suite = NULL;
    w->suite_state = NULL;
}

/* "open I": the suite's init when I belongs to another suite than the one initialised, the
 * case's setup, the warm-up; replies "ok NS_PER_ITER" or "err MESSAGE". */
static void worker_open(worker *w, size_t i) {
    worker_close(w);
    const harness_case *c = &w->cases[i];
    if (w->suite != c->suite) {
        worker_fini(w);
        if (c->suite->init && c->suite->init(&w->suite_state) != 0) {
            worker_reply(w, "err suite %s failed to initialise", c->suite->name);
            return;
        }
        w->suite = c->suite;
    }
    const harness_bench *b = c->bench;
    int rc;
    if (!b->run) {
        worker_reply(w, "err benchmark has no run function");
        return;
    }
    void *state = NULL;
    if (b->setup && (rc = b->setup(w->suite_state, c, &state)) != 0) {
        worker_reply(w, "err setup failed (status %d)", rc);
        return;
    }
    w->open = c;
    w->state = state;
    double per_iter;
    if ((rc = warm_up(b, state, w->o->warmup_s, &per_iter)) != 0) {
        worker_close(w);
        worker_reply(w, "err run failed during warm-up (status %d)", rc);
        return;
    }
    worker_reply(w, "ok %.17g", per_iter * 1e9);
}

int harness_worker(int in_fd, const harness_case *cases, size_t n, const harness_run_opts *o) {
    /* The protocol goes to a private copy of stdout; stdout itself is pointed at stderr, so
     * that nothing a suite prints can be read as a reply. */
    int out_fd = dup(STDOUT_FILENO);
    if (out_fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) return -1;
    worker w = {.out = fdopen(out_fd, "w"), .cases = cases, .n = n, .o = o};
    FILE *in = fdopen(in_fd, "r");
    if (!w.out || !in) {
        if (w.out) fclose(w.out);
        else close(out_fd);
        return -1;
    }
    fprintf(w.out, "kzgkit-worker %d %zu\n", HARNESS_WORKER_PROTOCOL, n);
    for (size_t i = 0; i < n; i++) fprintf(w.out, "case %s\n", cases[i].id);
    fflush(w.out);
    char line[256];
    while (fgets(line, sizeof line, in)) {
        unsigned long long v;
        char extra;
        line[strcspn(line, "\r\n")] = 0;
        if (sscanf(line, "open %llu %c", &v, &extra) == 1) {
            if (v >= n) worker_reply(&w, "err no case %llu (there are %zu)", v, n);
            else worker_open(&w, (size_t)v);
        } else if (sscanf(line, "run %llu %c", &v, &extra) == 1) {
            if (!w.open) {
                worker_reply(&w, "err no case is open");
            } else if (v == 0 || v > (1ULL << 40)) {
                worker_reply(&w, "err iterations out of range: %llu", v);
            } else {
                double c0 = cpu_s(), t0 = now_s();
                int rc = w.open->bench->run(w.state, v);
                double dt = now_s() - t0, dc = cpu_s() - c0;
                if (rc != 0) worker_reply(&w, "err run failed (status %d)", rc);
                else worker_reply(&w, "t %.17g %.17g", dt * 1e9, dc * 1e9);
            }
        } else if (strncmp(line, "pin ", 4) == 0) {
            char err[256];
            if (harness_pin_all_threads(line + 4, err, sizeof err) != 0) worker_reply(&w, "err %s", err);
            else worker_reply(&w, "ok");
        } else if (strcmp(line, "close") == 0) {
            worker_close(&w);
            worker_reply(&w, "ok");
        } else if (strcmp(line, "quit") == 0) {
            break;
        } else {
            worker_reply(&w, "err unknown request '%.60s'", line);
        }
    }
    worker_fini(&w);
    fclose(in);
    fclose(w.out);
    return 0;
}

/* ---- formatting ------------------------------------------------------------------------ */

void harness_fmt_ns(char *buf, size_t cap, double ns) {
    if (!isfinite(ns)) {
        snprintf(buf, cap, "-");
        return;
    }
    static const char *const units[] = {"ns", "µs", "ms", "s"};
    double v = ns;
    int u = 0;
    while (u < 3 && fabs(v) >= 999.95) {
        v /= 1000;
        u++;
    }
    snprintf(buf, cap, "%.*f %s", fabs(v) >= 99.95 ? 1 : fabs(v) >= 9.995 ? 2 : 3, v, units[u]);
}

void harness_fmt_bytes(char *buf, size_t cap, double bytes) {
    if (!isfinite(bytes)) {
        snprintf(buf, cap, "-");
        return;
    }
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = 0;
    while (u < 4 && v >= 1024) {
        v /= 1024;
        u++;
    }
    if (u == 0) snprintf(buf, cap, "%.0f B", v);
    else snprintf(buf, cap, "%.1f %s", v, units[u]);
}

void harness_fmt_rate(char *buf, size_t cap, double per_s, const char *unit) {
    if (!isfinite(per_s)) {
        snprintf(buf, cap, "-");
        return;
    }
    static const char *const pre[] = {"", "k", "M", "G", "T"};
    double v = per_s;
    int u = 0;
    while (u < 4 && v >= 999.95) {
        v /= 1000;
        u++;
    }
    snprintf(buf, cap, "%.*f %s%s", v >= 99.95 ? 1 : v >= 9.995 ? 2 : 3, v, pre[u], unit);
}

/* Display width of UTF-8 text: code points, not bytes (µ is two bytes, one column). */
static int text_width(const char *s) {
    int w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

static void cell(FILE *f, const char *s, int width, bool right) {
    int pad = width - text_width(s);
    if (right)
        for (int i = 0; i < pad; i++) fputc(' ', f);
    fputs(s, f);
    if (!right)
        for (int i = 0; i < pad; i++) fputc(' ', f);
    fputs("  ", f);
}

void harness_fmt_count(char *buf, size_t cap, double v) {
    if (!isfinite(v)) {
        snprintf(buf, cap, "-");
        return;
    }
    if (fabs(v) < 1000) {
        snprintf(buf, cap, "%.1f", v);
        return;
    }
    char digits[64];
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    size_t nd = strlen(digits), len = 0;
    if (v < 0 && len + 1 < cap) buf[len++] = '-';
    for (size_t i = 0; i < nd && len + 1 < cap; i++) {
        if (i && (nd - i) % 3 == 0 && len + 1 < cap) buf[len++] = ',';
        if (len + 1 < cap) buf[len++] = digits[i];
    }
    buf[len] = 0;
}

static int id_width(const harness_results *r) {
    int wid = 9;
    char id[512];
    for (size_t i = 0; i < r->n; i++) {
        harness_result_id(&r->items[i], id, sizeof id);
        int w = text_width(id);
        if (w > wid) wid = w;
    }
    return wid > 60 ? 60 : wid;
}

static void print_count_table(FILE *f, const harness_results *r) {
    int wid = id_width(r);
    char id[512], t1[64], t2[64], t3[160];
    cell(f, "benchmark", wid, false);
    cell(f, "instructions/op", 17, true);
    cell(f, "spread (min..max)", 19, true);
    cell(f, "runs", 10, true);
    cell(f, "est. cycles/op", 17, true);
    cell(f, "L1 miss/op", 12, true);
    cell(f, "LL miss/op", 12, true);
    cell(f, "allocs/op", 9, true);
    fputc('\n', f);
    for (size_t i = 0; i < r->n; i++) {
        const harness_result *b = &r->items[i];
        harness_result_id(b, id, sizeof id);
        cell(f, id, wid, false);
        if (b->error[0]) {
            fprintf(f, "error: %s\n", b->error);
            continue;
        }
        harness_fmt_count(t1, sizeof t1, b->stats.median);
        cell(f, t1, 17, true);
        if (b->stats.max == b->stats.min) {
            snprintf(t3, sizeof t3, "identical");
        } else {
            harness_fmt_count(t1, sizeof t1, b->stats.min);
            harness_fmt_count(t2, sizeof t2, b->stats.max);
            snprintf(t3, sizeof t3, "%s..%s", t1, t2);
        }
        cell(f, t3, 19, true);
        snprintf(t3, sizeof t3, "%zux%llu", b->n_samples, (unsigned long long)b->iters_per_sample);
        cell(f, t3, 10, true);
        harness_fmt_count(t1, sizeof t1, b->est_cycles);
        cell(f, t1, 17, true);
        harness_fmt_count(t1, sizeof t1, b->l1_misses);
        cell(f, t1, 12, true);
        harness_fmt_count(t1, sizeof t1, b->ll_misses);
        cell(f, t1, 12, true);
        if (b->alloc_count.known) snprintf(t2, sizeof t2, "%llu", (unsigned long long)b->alloc_count.value);
        else snprintf(t2, sizeof t2, "-");
        cell(f, t2, 9, true);
        fputc('\n', f);
    }
    fprintf(f, "counter: %s (runs = samples x iterations; counts are per operation)\n",
            r->env.counter[0] ? r->env.counter : "unknown");
}

void harness_print_table(FILE *f, const harness_results *r) {
    if (harness_results_counts(r)) {
        print_count_table(f, r);
        return;
    }
    int wid = id_width(r);
    char id[512];
    cell(f, "benchmark", wid, false);
    cell(f, "median", 10, true);
    cell(f, "95% CI (median)", 23, true);
    cell(f, "mean ± sd", 21, true);
    cell(f, "cv", 6, true);
    cell(f, "outl.", 5, true);
    cell(f, "throughput", 16, true);
    cell(f, "allocs/op", 9, true);
    cell(f, "peak RSS", 10, true);
    fputc('\n', f);
    for (size_t i = 0; i < r->n; i++) {
        const harness_result *b = &r->items[i];
        const harness_summary *s = &b->stats;
        char t1[64], t2[64], t3[64];
        harness_result_id(b, id, sizeof id);
        cell(f, id, wid, false);
        if (b->error[0]) {
            fprintf(f, "error: %s\n", b->error);
            continue;
        }
        harness_fmt_ns(t1, sizeof t1, s->median);
        cell(f, t1, 10, true);
        char ci[160];
        harness_fmt_ns(t1, sizeof t1, s->ci95_median_lo);
        harness_fmt_ns(t2, sizeof t2, s->ci95_median_hi);
        snprintf(ci, sizeof ci, "[%s, %s]", t1, t2);
        cell(f, ci, 23, true);
        harness_fmt_ns(t1, sizeof t1, s->mean);
        harness_fmt_ns(t2, sizeof t2, s->stddev);
        snprintf(ci, sizeof ci, "%s ± %s", t1, t2);
        cell(f, ci, 21, true);
        if (isfinite(s->cv)) snprintf(t1, sizeof t1, "%.1f%%", 100 * s->cv);
        else snprintf(t1, sizeof t1, "-");
        cell(f, t1, 6, true);
        snprintf(t1, sizeof t1, "%zu", s->outliers.low_mild + s->outliers.low_severe +
                                            s->outliers.high_mild + s->outliers.high_severe);
        cell(f, t1, 5, true);
        harness_fmt_rate(t1, sizeof t1, b->throughput, b->throughput_unit);
        cell(f, t1, 16, true);
        if (b->alloc_count.known) snprintf(t2, sizeof t2, "%llu", (unsigned long long)b->alloc_count.value);
        else snprintf(t2, sizeof t2, "-");
        cell(f, t2, 9, true);
        if (b->peak_rss_bytes.known) harness_fmt_bytes(t3, sizeof t3, (double)b->peak_rss_bytes.value);
        else snprintf(t3, sizeof t3, "-");
        cell(f, t3, 10, true);
        fputc('\n', f);
    }
}

void harness_print_comparison(FILE *f, const harness_match *m, size_t n,
                              const harness_compare_opts *opts) {
    harness_compare_opts o = opts ? *opts : harness_compare_defaults();
    int wid = 9;
    char id[512];
    for (size_t i = 0; i < n; i++) {
        harness_result_id(m[i].b ? m[i].b : m[i].a, id, sizeof id);
        int w = text_width(id);
        if (w > wid) wid = w;
    }
    if (wid > 60) wid = 60;
    cell(f, "benchmark", wid, false);
    int cw = o.counts ? 15 : 10; /* counts reach 13 characters: 1,234,567,890 */
    cell(f, o.counts ? "old count" : "old median", cw, true);
    cell(f, o.counts ? "new count" : "new median", cw, true);
    cell(f, "change", 8, true);
    cell(f, "95% CI", 18, true);
    cell(f, "p", 6, true);
    fputs("verdict\n", f);
    for (size_t i = 0; i < n; i++) {
        const harness_match *x = &m[i];
        char t1[64], t2[64];
        harness_result_id(x->b ? x->b : x->a, id, sizeof id);
        cell(f, id, wid, false);
        if (!x->compared) {
            const char *why = !x->a ? "(new: not in the baseline)"
                              : !x->b ? "(gone: only in the baseline)"
                                      : "(not compared: a side has no samples)";
            fprintf(f, "%s\n", why);
            continue;
        }
        const harness_comparison *c = &x->cmp;
        if (o.counts) {
            harness_fmt_count(t1, sizeof t1, c->median_a);
            cell(f, t1, cw, true);
            harness_fmt_count(t1, sizeof t1, c->median_b);
            cell(f, t1, cw, true);
            snprintf(t1, sizeof t1, "%+.3f%%", 100 * c->change);
            cell(f, t1, 8, true);
            cell(f, "-", 18, true);
            cell(f, "-", 6, true);
            fprintf(f, "%s\n", harness_verdict_str(c->verdict));
            continue;
        }
        harness_fmt_ns(t1, sizeof t1, c->median_a);
        cell(f, t1, 10, true);
        harness_fmt_ns(t1, sizeof t1, c->median_b);
        cell(f, t1, 10, true);
        snprintf(t1, sizeof t1, "%+.2f%%", 100 * c->change);
        cell(f, t1, 8, true);
        snprintf(t2, sizeof t2, "[%+.1f%%, %+.1f%%]", 100 * c->change_lo, 100 * c->change_hi);
        cell(f, t2, 18, true);
        snprintf(t1, sizeof t1, "%.3f", c->test.p);
        cell(f, t1, 6, true);
        fprintf(f, "%s\n", harness_verdict_str(c->verdict));
    }
    if (o.counts)
        fprintf(f, "instructions per operation; threshold ±%.3f%% (counts are deterministic: "
                   "no interval, no test); ~ = change within the threshold\n",
                100 * o.threshold);
    else
        fprintf(f, "noise threshold ±%.1f%%, significance p < %g (Mann-Whitney U); "
                   "~ = no significant change beyond the threshold\n",
                100 * o.threshold, o.alpha);
}
