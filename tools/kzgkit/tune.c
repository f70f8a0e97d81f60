/*
 * tools/kzgkit/tune.c — `kzgkit tune`: measures the library's speed knobs on this machine and
 * writes a tuning profile (src/runtime/profile.h, docs/TUNING.md) that contexts load.
 *
 * Measured, each as the median of repeated timings after one warm-up run:
 *  (a) the MSM window c around the cost model's choice, for 256, 1024 and 4096 points
 *      (g1_msm_window_var on the setup's Lagrange points, random scalars);
 *  (b) threads 1..online CPUs on blob_to_kzg_commitment (contexts with options.threads);
 *  (c) table_window 0 and a few windows: memory, build time, commitment time;
 *  (d) the batch threshold: the smallest batch of commitments for which the chosen thread
 *      count beats one thread (recorded only: the library has no such knob).
 * The pick in each group is the first configuration, in order of preference (the automatic
 * window, fewer threads, less memory), whose median is within PICK_SLACK of the group's
 * best — so it is within 5% of the best measured configuration by construction, and the
 * tables printed show every measurement, the pick and its margin.
 *
 * May call: the public API, and the internal msm/setup/runtime headers for (a) and for the
 * profile writer (the CLI links the static library).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "msm/msm.h"
#include "runtime/profile.h"
#include "setup/setup.h"

#define PICK_SLACK 0.02 /* prefer the simpler configuration when within 2% of the best */
#define MAX_ROWS 32

typedef struct tune_row {
    char label[64];
    double ms;        /* median time of the measured operation */
    double extra;     /* group-specific: table memory (MiB), build time (ms) */
    double extra2;
    unsigned value;   /* the knob's value */
} tune_row;

typedef struct tune_group {
    const char *title;
    tune_row rows[MAX_ROWS];
    size_t n;
    size_t pick;
} tune_group;

typedef struct tune_state {
    bool quick, tty;
    unsigned reps;
    size_t step, steps;
    cli_rng rng;
    /* A profile holding only the measured MSM windows (a temporary file; "" until written):
     * the contexts of the later groups load it, since windows belong to a context. */
    char windows_path[64];
} tune_state;

static void progress(tune_state *t, const char *label) {
    t->step++;
    if (!t->tty) return;
    int width = 30, done = (int)(t->step * (size_t)width / (t->steps ? t->steps : 1));
    if (done > width) done = width;
    fprintf(stderr, "\r[%.*s%*s] %3zu/%zu %-28s", done, "##############################",
            width - done, "", t->step, t->steps, label);
    fflush(stderr);
}

static void progress_end(tune_state *t) {
    if (t->tty) fprintf(stderr, "\r%80s\r", "");
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Marks the first row within PICK_SLACK of the best as the pick. */
static void choose(tune_group *g) {
    double best = g->rows[0].ms;
    for (size_t i = 1; i < g->n; i++)
        if (g->rows[i].ms < best) best = g->rows[i].ms;
    g->pick = 0;
    for (size_t i = 0; i < g->n; i++)
        if (g->rows[i].ms <= best * (1 + PICK_SLACK)) {
            g->pick = i;
            break;
        }
}

/* Prints the group's table; returns the pick's margin over the best (a fraction). */
static double report(const tune_group *g, const char *extra_head) {
    double best = g->rows[0].ms;
    for (size_t i = 1; i < g->n; i++)
        if (g->rows[i].ms < best) best = g->rows[i].ms;
    printf("\n%s\n  %-24s %12s %9s%s\n", g->title, "configuration", "median ms", "vs best",
           extra_head ? extra_head : "");
    for (size_t i = 0; i < g->n; i++) {
        const tune_row *r = &g->rows[i];
        printf("%c %-24s %12.3f %+8.1f%%", i == g->pick ? '*' : ' ', r->label, r->ms,
               100.0 * (r->ms / best - 1));
        if (extra_head) printf(" %9.2f %9.1f", r->extra, r->extra2);
        printf("\n");
    }
    double margin = g->rows[g->pick].ms / best - 1;
    printf("  pick: %s, %.1f%% from the best measured (limit 5%%)\n", g->rows[g->pick].label,
           100.0 * margin);
    return margin;
}

/* Times run(arg, i) for every configuration i of g, round-robin (one run of each per round,
 * so that drift in the machine's load hits all of them alike), after one warm-up run each;
 * g->rows[i].ms is the median. run returns 0 or an exit code (it printed the error). */
static int measure(tune_state *t, tune_group *g, int (*run)(void *arg, size_t i), void *arg) {
    double *samples = malloc((size_t)t->reps * g->n * sizeof *samples);
    int rc = 0;
    if (!samples) return cli_fail("tune", "out of memory");
    for (size_t i = 0; i < g->n && !rc; i++) rc = run(arg, i);
    for (unsigned k = 0; k < t->reps && !rc; k++) {
        char label[64];
        snprintf(label, sizeof label, "%.40s: round %u", g->title, k + 1);
        progress(t, label);
        for (size_t i = 0; i < g->n && !rc; i++) {
            double t0 = cli_now_ms();
            rc = run(arg, i);
            samples[i * t->reps + k] = cli_now_ms() - t0;
        }
    }
    for (size_t i = 0; i < g->n && !rc; i++) g->rows[i].ms = median(samples + i * t->reps, t->reps);
    free(samples);
    progress_end(t);
    return rc;
}

/* ---- (a) MSM windows ----------------------------------------------------------------- */

typedef struct msm_arg {
    const g1_aff_t *points;
    const msm_scalar *scalars;
    size_t n;
    const tune_group *g;
    void *scratch[MAX_ROWS];
    g1_t ref;
} msm_arg;

static int run_msm(void *arg, size_t i) {
    msm_arg *a = arg;
    g1_t res;
    g1_msm_window_var(&res, a->points, a->scalars, a->n, a->g->rows[i].value, a->scratch[i]);
    if (i == 0) a->ref = res; /* results never depend on the window: checked on every run */
    if (!g1_eq(&a->ref, &res))
        return cli_fail("tune", "MSM of %zu points: window %u gives a different result", a->n,
                        a->g->rows[i].value);
    return 0;
}

static int tune_msm(tune_state *t, profile *p, double *worst_margin) {
    static const size_t sizes[] = {256, 1024, 4096};
    msm_scalar *scalars = malloc(4096 * sizeof *scalars);
    int rc = 0;
    if (!scalars) return cli_fail("tune", "out of memory");
    for (size_t i = 0; i < 4096; i++) {
        for (int k = 0; k < 4; k++) scalars[i].l[k] = cli_rng_next(&t->rng);
        scalars[i].l[3] &= 0x3fffffffffffffffULL; /* < 2^254 < r */
    }
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0] && !rc; s++) {
        size_t n = sizes[s];
        unsigned d = g1_msm_window_bits(n, NULL), span = t->quick ? 1 : 2;
        unsigned lo = d > span + 1 ? d - span : 2, hi = d + 1 < 16 ? d + 1 : 16;
        tune_group g = {.title = NULL};
        msm_arg a;
        memset(&a, 0, sizeof a);
        a.points = SETUP_EMBEDDED.tables.g1_lagrange_brp;
        a.scalars = scalars;
        a.n = n;
        a.g = &g;
        char title[64];
        snprintf(title, sizeof title, "MSM of %zu points: window c", n);
        g.title = title;
        /* Preference order: the automatic window first, then the others ascending. The
         * profile can only raise a window to d + 1 (msm.h), so that is the top measured. */
        g.rows[g.n++].value = d;
        for (unsigned c = lo; c <= hi; c++)
            if (c != d) g.rows[g.n++].value = c;
        for (size_t r = 0; r < g.n; r++) {
            unsigned c = g.rows[r].value;
            snprintf(g.rows[r].label, sizeof g.rows[r].label, "c = %u%s", c, c == d ? " (auto)" : "");
            if (!(a.scratch[r] = malloc(g1_msm_window_scratch_size(n, c)))) {
                rc = cli_fail("tune", "out of memory for MSM scratch");
                break;
            }
        }
        if (!rc && !(rc = measure(t, &g, run_msm, &a))) {
            choose(&g);
            double m = report(&g, NULL);
            if (m > *worst_margin) *worst_margin = m;
            unsigned lg = 0;
            while (((size_t)1 << (lg + 1)) <= n) lg++;
            p->msm_window[lg] = g.rows[g.pick].value;
        }
        for (size_t r = 0; r < g.n; r++) free(a.scratch[r]);
    }
    free(scalars);
    return rc;
}

/* Writes the machine keys and the windows picked so far to a temporary profile that the
 * contexts of the later groups load (t->windows_path), so that they measure with them. */
static int write_windows_profile(tune_state *t, const profile *p) {
    char text[4096];
    size_t n = profile_format(text, sizeof text, p);
    const char *dir = getenv("TMPDIR");
    snprintf(t->windows_path, sizeof t->windows_path, "%s/kzgkit-tune-XXXXXX",
             dir && *dir && strlen(dir) < 40 ? dir : "/tmp");
    int fd = mkstemp(t->windows_path);
    if (fd < 0) {
        t->windows_path[0] = '\0';
        return cli_fail("tune", "cannot create a temporary file: %s", strerror(errno));
    }
    bool ok = n > 0 && write(fd, text, n) == (ssize_t)n;
    ok = close(fd) == 0 && ok;
    return ok ? 0 : cli_fail("tune", "%s: write error", t->windows_path);
}

/* ---- (b)-(d) through contexts ---------------------------------------------------------- */

/* A context with these options and the MSM windows measured in (a). */
static kzg_status open_ctx(const tune_state *t, kzg_ctx **ctx, unsigned threads,
                           unsigned table_window) {
    kzg_ctx_options o;
    memset(&o, 0, sizeof o);
    o.struct_size = sizeof o;
    o.threads = threads;
    o.table_window = table_window;
    o.profile_path = t->windows_path[0] ? t->windows_path : NULL;
    return kzg_ctx_new(ctx, &o);
}

/* One context per configuration; run commits `batch` blobs (1: the single call). */
typedef struct ctx_arg {
    kzg_ctx *ctx[MAX_ROWS];
    const kzg_blob *blobs;
    size_t batch;
} ctx_arg;

static int run_commit(void *arg, size_t i) {
    ctx_arg *a = arg;
    kzg_commitment c[8];
    kzg_status st = a->batch == 1 ? kzg_blob_to_kzg_commitment(a->ctx[i], c, a->blobs)
                                  : kzg_blob_to_kzg_commitment_batch(a->ctx[i], c, a->blobs, a->batch);
    return st == KZG_OK ? 0 : cli_fail_status("tune", "blob_to_kzg_commitment", st);
}

static void free_ctxs(ctx_arg *a) {
    for (size_t i = 0; i < MAX_ROWS; i++) kzg_ctx_free(a->ctx[i]);
}

static int tune_threads(tune_state *t, profile *p, const kzg_blob *blobs, unsigned cpus,
                        double *worst_margin) {
    tune_group g = {.title = "blob_to_kzg_commitment: threads"};
    ctx_arg a = {{NULL}, blobs, 1};
    int rc = 0;
    for (unsigned th = 1; th <= cpus && g.n < MAX_ROWS && !rc; th++) {
        tune_row *r = &g.rows[g.n];
        snprintf(r->label, sizeof r->label, "threads = %u", th);
        r->value = th;
        kzg_status st = open_ctx(t, &a.ctx[g.n++], th, 0);
        if (st != KZG_OK) rc = cli_fail_status("tune", "context", st);
    }
    if (!rc && !(rc = measure(t, &g, run_commit, &a))) {
        choose(&g);
        double m = report(&g, NULL);
        if (m > *worst_margin) *worst_margin = m;
        p->threads = g.rows[g.pick].value;
    }
    free_ctxs(&a);
    return rc;
}

static int tune_tables(tune_state *t, profile *p, const kzg_blob *blobs, double *worst_margin) {
    static const unsigned quick_w[] = {0, 13, 10}, full_w[] = {0, 14, 13, 12, 10, 8};
    const unsigned *w = t->quick ? quick_w : full_w;
    size_t nw = t->quick ? 3 : 6;
    tune_group g = {.title = "blob_to_kzg_commitment: table_window"};
    ctx_arg a = {{NULL}, blobs, 1};
    int rc = 0;
    for (size_t i = 0; i < nw && !rc; i++) {
        tune_row *r = &g.rows[g.n];
        r->value = w[i];
        snprintf(r->label, sizeof r->label, w[i] ? "table_window = %u" : "table_window = 0 (none)", w[i]);
        progress(t, r->label);
        double t0 = cli_now_ms();
        kzg_status st = open_ctx(t, &a.ctx[g.n++], p->threads, w[i]);
        r->extra2 = cli_now_ms() - t0;
        r->extra = w[i] ? 4096.0 * (double)(255 / w[i] + 1) * 96.0 / (1024.0 * 1024.0) : 0;
        if (st != KZG_OK) rc = cli_fail_status("tune", "context", st);
    }
    progress_end(t);
    if (!rc && !(rc = measure(t, &g, run_commit, &a))) {
        choose(&g);
        double m = report(&g, "       MiB  build ms");
        if (m > *worst_margin) *worst_margin = m;
        p->has_table_window = true;
        p->table_window = g.rows[g.pick].value;
        p->table_mib = g.rows[g.pick].extra;
        p->table_speedup = g.rows[0].ms / g.rows[g.pick].ms;
    }
    free_ctxs(&a);
    return rc;
}

/* The smallest batch (1, 2, 4, 8) where p->threads beats one thread by more than the slack;
 * 0 when threads = 1 or none does. Recorded only: the library has no such knob. */
static int tune_batch(tune_state *t, profile *p, const kzg_blob *blobs) {
    int rc = 0;
    p->batch_threshold = 0;
    if (p->threads <= 1) {
        printf("\nbatch threshold: not measured (the pick is one thread)\n");
        return 0;
    }
    printf("\nbatches of commitments: 1 thread vs %u (recorded, not applied)\n", p->threads);
    for (size_t n = 1; n <= 8 && !rc; n *= 2) {
        tune_group g = {.title = "batch threshold"};
        ctx_arg a = {{NULL}, blobs, n};
        kzg_status st = open_ctx(t, &a.ctx[0], 1, p->table_window);
        if (st == KZG_OK) st = open_ctx(t, &a.ctx[1], p->threads, p->table_window);
        g.n = 2;
        if (st != KZG_OK) rc = cli_fail_status("tune", "context", st);
        else if (!(rc = measure(t, &g, run_commit, &a))) {
            printf("  n = %zu: %10.3f ms vs %10.3f ms\n", n, g.rows[0].ms, g.rows[1].ms);
            if (!p->batch_threshold && g.rows[1].ms < g.rows[0].ms * (1 - PICK_SLACK))
                p->batch_threshold = n;
        }
        free_ctxs(&a);
    }
    return rc;
}

/* ---- output ---------------------------------------------------------------------------- */

/* ~/.config/kzgkit/profile.txt, creating the directories. */
static bool default_path(char *buf, size_t len) {
    const char *home = getenv("HOME");
    if (!home || !*home) return false;
    snprintf(buf, len, "%s/.config", home);
    if (mkdir(buf, 0755) != 0 && errno != EEXIST) return false;
    snprintf(buf, len, "%s/.config/kzgkit", home);
    if (mkdir(buf, 0755) != 0 && errno != EEXIST) return false;
    return (size_t)snprintf(buf, len, "%s/.config/kzgkit/profile.txt", home) < len;
}

static int write_profile(const char *path, const profile *p) {
    char text[4096];
    size_t n = profile_format(text, sizeof text, p);
    if (n == 0) return cli_fail("tune", "profile text too long");
    FILE *f = fopen(path, "w");
    if (!f) return cli_fail("tune", "--output %s: cannot open: %s", path, strerror(errno));
    bool ok = fwrite(text, 1, n, f) == n;
    ok = fclose(f) == 0 && ok;
    if (!ok) return cli_fail("tune", "--output %s: write error", path);
    return 0;
}

int cmd_tune(cli_global *g, int argc, char **argv) {
    const char *cmd = "tune", *output = NULL;
    char path[4096];
    tune_state t;
    profile p;
    kzg_blob *blobs = NULL;
    double worst = 0;
    int rc;

    memset(&t, 0, sizeof t);
    memset(&p, 0, sizeof p);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) return cli_help(cmd);
        if (strcmp(a, "--quick") == 0) {
            t.quick = true;
            continue;
        }
        if (strcmp(a, "--output") == 0 || strcmp(a, "-o") == 0) {
            if (i + 1 >= argc) return cli_fail(cmd, "%s: missing value", a);
            output = argv[++i];
            continue;
        }
        if (strncmp(a, "--output=", 9) == 0) {
            output = a + 9;
            continue;
        }
        rc = cli_global_option(g, cmd, argc, argv, &i);
        if (rc < 0) return CLI_EXIT_BAD;
        if (rc == 0) return cli_fail(cmd, "unknown argument '%s' (see kzgkit tune --help)", a);
    }
    if (g->setup_path) return cli_fail(cmd, "--setup: tune measures the embedded setup only");
    if (!output) {
        if (!default_path(path, sizeof path))
            return cli_fail(cmd, "no --output and no usable $HOME/.config/kzgkit");
        output = path;
    }

    long online = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned cpus = online < 1 ? 1 : online > 64 ? 64 : (unsigned)online;
    t.tty = isatty(2);
    t.reps = t.quick ? 7 : 21;
    cli_rng_seed(&t.rng, 0x74756e65); /* fixed: runs are comparable */
    /* Progress steps: a round of each group, and the table builds. */
    t.steps = (size_t)t.reps * (3 + 1 + 1 + (cpus > 1 ? 4 : 0)) + (t.quick ? 3 : 6);

    profile_cpu_model(p.cpu, sizeof p.cpu);
    snprintf(p.backend, sizeof p.backend, "%s", kzg_backend());
    p.cpus = cpus;
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm) || !strftime(p.date, sizeof p.date, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(p.date, sizeof p.date, "unknown");
    printf("kzgkit tune%s: %s, backend %s, %u CPUs; median of %u runs each\n",
           t.quick ? " --quick" : "", p.cpu, p.backend, cpus, t.reps);

    double t0 = cli_now_ms();
    blobs = malloc(8 * sizeof *blobs);
    if (!blobs) return cli_fail(cmd, "out of memory");
    for (int i = 0; i < 8; i++) cli_rng_blob(&t.rng, &blobs[i]);
    if ((rc = tune_msm(&t, &p, &worst)) || (rc = write_windows_profile(&t, &p)) ||
        (rc = tune_threads(&t, &p, blobs, cpus, &worst)) ||
        (rc = tune_tables(&t, &p, blobs, &worst)) || (rc = tune_batch(&t, &p, blobs)))
        goto out;
    progress_end(&t);
    if ((rc = write_profile(output, &p))) goto out;
    printf("\nevery pick within %.1f%% of the best configuration measured (limit 5%%)\n"
           "table_window %u: %.2f MiB, commitment speed-up %.2fx; batch threshold %llu%s\n"
           "wrote %s in %.1f s (use it: KZGKIT_PROFILE=%s, or kzg_ctx_options.profile_path)\n",
           100.0 * worst, p.table_window, p.table_mib, p.table_speedup,
           (unsigned long long)p.batch_threshold, p.batch_threshold ? "" : " (none measured)",
           output, (cli_now_ms() - t0) / 1000.0, output);
    rc = worst <= 0.05 ? CLI_EXIT_OK : CLI_EXIT_FALSE;
out:
    if (t.windows_path[0]) remove(t.windows_path);
    free(blobs);
    return rc;
}
