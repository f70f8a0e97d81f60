/*
 * tools/kzgkit/tune.c — `kzgkit tune`: measures the library's speed knobs on this machine and
 * writes a tuning profile (src/runtime/profile.h, docs/TUNING.md) that contexts load.
 *
 * Measured, each as the median of repeated timings after one warm-up run:
 *  (0) the arithmetic backend: each accelerated backend the CPU runs, on a workload of
 *      blob_to_kzg_commitment, verify_blob_kzg_proof_batch of 4 blobs and
 *      compute_cells_and_kzg_proofs, each run in a child process (the backend is chosen
 *      once per process); when the pick is not the backend of this process, tune restarts
 *      itself under the pick, so that (a)-(d) are measured with it;
 *  (a) the MSM window c around the cost model's choice, for 256, 1024 and 4096 points
 *      (g1_msm_window_var on the setup's Lagrange points, random scalars);
 *  (b) threads 1..online CPUs on blob_to_kzg_commitment (contexts with options.threads);
 *  (c) table_window none (1) and a few windows (13 on the mainnet setup: the embedded table): memory, build time, commitment time;
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"
#include "cli.h"
#include "results.h" /* harness_write_atomic */
#include "kzgkit/eip7594.h"
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

/* The groups, for --only. */
enum { GROUP_BACKEND = 1, GROUP_MSM = 2, GROUP_THREADS = 4, GROUP_TABLES = 8, GROUP_BATCH = 16,
       GROUP_ALL = 31 };

typedef struct tune_state {
    bool quick, tty;
    unsigned groups;
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

/* ---- (0) the backend ------------------------------------------------------------------ */

/* The workload of one backend run: what a node does with blobs and cells. */
enum { BACKEND_BLOBS = 4, BACKEND_OPS = 3 };
static const char *const BACKEND_OP_NAMES[BACKEND_OPS] = {"commit", "verify x4", "cells"};

/* What the parent hands each child (a temporary file): the blobs with their commitments and
 * proofs, computed once, so that a child spends its time on the measured calls. */
typedef struct backend_input {
    kzg_blob blobs[BACKEND_BLOBS];
    kzg_commitment c[BACKEND_BLOBS];
    kzg_proof p[BACKEND_BLOBS];
} backend_input;

/* `kzgkit tune --backend-child FILE`, run by the parent with KZGKIT_BACKEND set: the
 * workload timed after a warm-up of the two small operations, on a plain one-thread
 * context (the cells are not warmed up: their first call in a fresh process took what the
 * second did, 370-395 ms against 380-395 ms on the IFMA dev machine, and it is 3/4 of a
 * child's time); prints
 * "BACKEND MS MS MS" (the backend in use and the three operations' times). Checks the
 * commitment and the batch verification against the parent's: results never depend on the
 * backend. */
static int backend_child(const char *path) {
    static const char *cmd = "tune --backend-child";
    backend_input *in = malloc(sizeof *in);
    kzg_cell *cells = malloc(KZG_CELLS_PER_EXT_BLOB * sizeof *cells);
    kzg_proof *proofs = malloc(KZG_CELLS_PER_EXT_BLOB * sizeof *proofs);
    kzg_ctx *ctx = NULL;
    double ms[BACKEND_OPS] = {0};
    int rc = CLI_EXIT_BAD;
    FILE *f = fopen(path, "rb");
    if (!in || !cells || !proofs) {
        cli_fail(cmd, "out of memory");
        goto out;
    }
    if (!f || fread(in, sizeof *in, 1, f) != 1) {
        cli_fail(cmd, "%s: cannot read the inputs", path);
        goto out;
    }
    kzg_status st = kzg_ctx_new(&ctx, NULL);
    if (st != KZG_OK) {
        cli_fail_status(cmd, "context", st);
        goto out;
    }
    for (int round = 0; round < 2; round++) {
        kzg_commitment c;
        bool ok = false;
        double t0 = cli_now_ms();
        st = kzg_blob_to_kzg_commitment(ctx, &c, &in->blobs[0]);
        double t1 = cli_now_ms();
        if (st == KZG_OK) st = kzg_verify_blob_kzg_proof_batch(ctx, &ok, in->blobs, in->c, in->p, BACKEND_BLOBS);
        double t2 = cli_now_ms();
        if (st == KZG_OK && round == 1)
            st = kzg_compute_cells_and_kzg_proofs(ctx, cells, proofs, &in->blobs[0]);
        double t3 = cli_now_ms();
        if (st != KZG_OK) {
            cli_fail_status(cmd, "workload", st);
            goto out;
        }
        if (!ok || memcmp(&c, &in->c[0], sizeof c) != 0) {
            cli_fail(cmd, "backend %s: a result differs from the parent's", kzg_backend());
            goto out;
        }
        ms[0] = t1 - t0;
        ms[1] = t2 - t1;
        ms[2] = t3 - t2;
    }
    printf("%s %.6f %.6f %.6f\n", kzg_backend(), ms[0], ms[1], ms[2]);
    rc = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_BAD;
out:
    if (f) fclose(f);
    kzg_ctx_free(ctx);
    free(in);
    free(cells);
    free(proofs);
    return rc;
}

/* This program, for the children and the restart. */
static bool self_path(char *buf, size_t len) {
    ssize_t n = readlink("/proc/self/exe", buf, len - 1);
    if (n <= 0 || (size_t)n >= len - 1) return false;
    buf[n] = '\0';
    return true;
}

/* Runs one child under backend `name`; op[] gets its times. */
static int run_backend_child(const char *self, const char *name, const char *input, double op[BACKEND_OPS]) {
    int fds[2];
    char line[256], got[PROFILE_NAME_LEN];
    if (pipe(fds) != 0) return cli_fail("tune", "pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return cli_fail("tune", "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        setenv("KZGKIT_BACKEND", name, 1);
        unsetenv("KZGKIT_PROFILE");
        execl(self, "kzgkit", "tune", "--backend-child", input, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    bool have = f && fgets(line, sizeof line, f) != NULL;
    if (f) fclose(f);
    else close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !have ||
        sscanf(line, "%63s %lf %lf %lf", got, &op[0], &op[1], &op[2]) != 4)
        return cli_fail("tune", "the measuring process for backend %s failed (exit status %d)", name,
                        WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    if (strcmp(got, name) != 0)
        return cli_fail("tune", "asked for backend %s, the measuring process ran %s", name, got);
    return 0;
}

/* The candidates in order of preference: the probe's choice (what a process without
 * KZGKIT_BACKEND runs), then the other accelerated backends this CPU runs. Portable is
 * measured only when it is the only one (it is several times slower than either). */
static size_t backend_candidates(const char *names[PROFILE_MAX_BACKENDS]) {
    const char *note;
    const backend_kernels *all[3] = {backend_choose(NULL, cpu_features_get(), &note),
                                     backend_mulx_adx_ifma(), backend_mulx_adx()};
    size_t n = 0;
    for (size_t i = 0; i < 3; i++) {
        if (!all[i] || (i > 0 && all[i] == all[0]) || (i == 2 && all[2] == all[1])) continue;
        names[n++] = all[i]->name;
    }
    return n;
}

/* --backend-result=PICK;NAME=MS;NAME=MS: what the first process measured, handed to the
 * restarted one. */
static int backend_restore(profile *p, const char *spec) {
    char buf[512], *save = NULL;
    snprintf(buf, sizeof buf, "%s", spec);
    char *tok = strtok_r(buf, ";", &save);
    if (!tok || strlen(tok) >= sizeof p->backend_pick) return cli_fail("tune", "bad --backend-result");
    snprintf(p->backend_pick, sizeof p->backend_pick, "%s", tok);
    while ((tok = strtok_r(NULL, ";", &save)) && p->n_backend_ms < PROFILE_MAX_BACKENDS) {
        char *eq = strchr(tok, '=');
        if (!eq || (size_t)(eq - tok) >= PROFILE_NAME_LEN) return cli_fail("tune", "bad --backend-result");
        *eq = '\0';
        snprintf(p->backend_ms[p->n_backend_ms].name, PROFILE_NAME_LEN, "%s", tok);
        p->backend_ms[p->n_backend_ms++].ms = strtod(eq + 1, NULL);
    }
    printf("\nbackend: %s, picked by the first run of tune (restarted under it)\n", p->backend_pick);
    return 0;
}

/* Group (0). Sets p->backend_pick and p->backend_ms; *restart when the pick is not this
 * process's backend and the caller did not force one with KZGKIT_BACKEND. */
static int tune_backend(tune_state *t, profile *p, const kzg_blob *blobs, double *worst_margin,
                        bool *restart) {
    const char *names[PROFILE_MAX_BACKENDS];
    size_t n = backend_candidates(names);
    char self[4096], input[64];
    int rc = 0;
    *restart = false;
    if (n == 1) {
        snprintf(p->backend_pick, sizeof p->backend_pick, "%s", names[0]);
        printf("\nbackend: %s, the only accelerated one this CPU runs (nothing to compare)\n", names[0]);
        return 0;
    }
    if (!self_path(self, sizeof self)) return cli_fail("tune", "cannot find this program (/proc/self/exe)");

    /* The inputs, computed once here (on this process's backend: results do not depend on it). */
    backend_input *in = malloc(sizeof *in);
    double *samples = malloc((size_t)t->reps * n * BACKEND_OPS * sizeof *samples);
    kzg_ctx *ctx = NULL;
    input[0] = '\0';
    if (!in || !samples) {
        rc = cli_fail("tune", "out of memory");
        goto out;
    }
    kzg_status st = kzg_ctx_new(&ctx, NULL);
    for (size_t b = 0; b < BACKEND_BLOBS && st == KZG_OK; b++) {
        in->blobs[b] = blobs[b];
        st = kzg_blob_to_kzg_commitment(ctx, &in->c[b], &blobs[b]);
        if (st == KZG_OK) st = kzg_compute_blob_kzg_proof(ctx, &in->p[b], &blobs[b], &in->c[b]);
    }
    if (st != KZG_OK) {
        rc = cli_fail_status("tune", "backend inputs", st);
        goto out;
    }
    {
        const char *dir = getenv("TMPDIR");
        snprintf(input, sizeof input, "%s/kzgkit-tune-XXXXXX", dir && *dir && strlen(dir) < 40 ? dir : "/tmp");
        int fd = mkstemp(input);
        if (fd < 0) {
            input[0] = '\0';
            rc = cli_fail("tune", "cannot create a temporary file: %s", strerror(errno));
            goto out;
        }
        bool ok = write(fd, in, sizeof *in) == (ssize_t)sizeof *in;
        if (close(fd) != 0 || !ok) {
            rc = cli_fail("tune", "%s: write error", input);
            goto out;
        }
    }

    /* Round-robin, one child per backend per round (each does its own warm-up). */
    for (unsigned k = 0; k < t->reps && !rc; k++) {
        char label[64];
        snprintf(label, sizeof label, "backend: round %u", k + 1);
        progress(t, label);
        for (size_t i = 0; i < n && !rc; i++)
            rc = run_backend_child(self, names[i], input, &samples[(i * t->reps + k) * BACKEND_OPS]);
    }
    progress_end(t);
    if (rc) goto out;

    tune_group g = {.title = "workload (commit + verify 4 blobs + cells): backend"};
    double op_med[PROFILE_MAX_BACKENDS][BACKEND_OPS], tmp[256];
    for (size_t i = 0; i < n; i++) {
        tune_row *r = &g.rows[g.n++];
        snprintf(r->label, sizeof r->label, "%s%s", names[i], i == 0 ? " (auto)" : "");
        for (unsigned k = 0; k < t->reps; k++) {
            const double *o = &samples[(i * t->reps + k) * BACKEND_OPS];
            tmp[k] = o[0] + o[1] + o[2];
        }
        r->ms = median(tmp, t->reps);
        for (int o = 0; o < BACKEND_OPS; o++) {
            for (unsigned k = 0; k < t->reps; k++) tmp[k] = samples[(i * t->reps + k) * BACKEND_OPS + o];
            op_med[i][o] = median(tmp, t->reps);
        }
    }
    choose(&g);
    double m = report(&g, NULL);
    if (m > *worst_margin) *worst_margin = m;
    printf("  medians by operation, ms:");
    for (int o = 0; o < BACKEND_OPS; o++) printf(" %s", BACKEND_OP_NAMES[o]);
    printf("\n");
    for (size_t i = 0; i < n; i++) {
        printf("    %-22s", names[i]);
        for (int o = 0; o < BACKEND_OPS; o++) printf(" %9.3f", op_med[i][o]);
        printf("\n");
    }
    snprintf(p->backend_pick, sizeof p->backend_pick, "%s", names[g.pick]);
    p->n_backend_ms = n;
    for (size_t i = 0; i < n; i++) {
        snprintf(p->backend_ms[i].name, sizeof p->backend_ms[i].name, "%s", names[i]);
        p->backend_ms[i].ms = g.rows[i].ms;
    }
    if (strcmp(p->backend_pick, kzg_backend()) != 0) {
        const char *env = getenv("KZGKIT_BACKEND");
        if (env && *env)
            printf("  note: KZGKIT_BACKEND=%s is set, so the other groups are measured with %s, not "
                   "the pick\n", env, kzg_backend());
        else
            *restart = true;
    }
out:
    if (input[0]) remove(input);
    kzg_ctx_free(ctx);
    free(in);
    free(samples);
    return rc;
}

/* Restarts `kzgkit tune ARGS --backend-result=...` under KZGKIT_BACKEND = the pick; returns
 * only on failure. */
static int restart_under_pick(const profile *p, int argc, char **argv) {
    char self[4096], spec[512];
    size_t len = (size_t)snprintf(spec, sizeof spec, "--backend-result=%s", p->backend_pick);
    for (size_t i = 0; i < p->n_backend_ms && len < sizeof spec; i++)
        len += (size_t)snprintf(spec + len, sizeof spec - len, ";%s=%.3f", p->backend_ms[i].name,
                                p->backend_ms[i].ms);
    if (len >= sizeof spec || !self_path(self, sizeof self))
        return cli_fail("tune", "cannot restart under backend %s", p->backend_pick);
    char **args = calloc((size_t)argc + 3, sizeof *args);
    if (!args) return cli_fail("tune", "out of memory");
    args[0] = "kzgkit";
    args[1] = "tune";
    for (int i = 1; i < argc; i++) args[i + 1] = argv[i];
    args[argc + 1] = spec;
    printf("\nrestarting under KZGKIT_BACKEND=%s to measure the other groups with it\n", p->backend_pick);
    fflush(NULL);
    setenv("KZGKIT_BACKEND", p->backend_pick, 1);
    execv(self, args);
    int e = errno;
    free(args);
    return cli_fail("tune", "cannot restart %s: %s", self, strerror(e));
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
    /* KZG_TABLE_WINDOW_NONE first: the row every speed-up is measured against. 13 on the
     * mainnet setup is the embedded table (no build time). */
    static const unsigned quick_w[] = {KZG_TABLE_WINDOW_NONE, 13, 10},
                          full_w[] = {KZG_TABLE_WINDOW_NONE, 14, 13, 12, 10, 8};
    const unsigned *w = t->quick ? quick_w : full_w;
    size_t nw = t->quick ? 3 : 6;
    tune_group g = {.title = "blob_to_kzg_commitment: table_window"};
    ctx_arg a = {{NULL}, blobs, 1};
    int rc = 0;
    for (size_t i = 0; i < nw && !rc; i++) {
        tune_row *r = &g.rows[g.n];
        r->value = w[i];
        if (w[i] == KZG_TABLE_WINDOW_NONE) snprintf(r->label, sizeof r->label, "table_window = 1 (none)");
        else snprintf(r->label, sizeof r->label, "table_window = %u", w[i]);
        progress(t, r->label);
        double t0 = cli_now_ms();
        kzg_status st = open_ctx(t, &a.ctx[g.n++], p->threads, w[i]);
        r->extra2 = cli_now_ms() - t0;
        r->extra = w[i] != KZG_TABLE_WINDOW_NONE ? 4096.0 * (double)(255 / w[i] + 1) * 96.0 / (1024.0 * 1024.0) : 0;
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

typedef struct profile_text {
    const char *text;
    size_t n;
} profile_text;

static int profile_writer(FILE *f, const void *ctx) {
    const profile_text *t = ctx;
    return fwrite(t->text, 1, t->n, f) == t->n ? 0 : -1;
}

static int write_profile(const char *path, const profile *p) {
    char text[4096];
    size_t n = profile_format(text, sizeof text, p);
    if (n == 0) return cli_fail("tune", "profile text too long");
    profile_text t = {text, n};
    char err[512];
    /* Atomically: an interrupted tune leaves the previous profile, never half of one. */
    if (harness_write_atomic(path, profile_writer, &t, err, sizeof err) != 0)
        return cli_fail("tune", "--output %s", err);
    return 0;
}

/* --only's list into a group mask (0: a name that is not a group). */
static unsigned parse_groups(const char *list) {
    static const struct { const char *name; unsigned bit; } names[] = {
        {"backend", GROUP_BACKEND}, {"msm", GROUP_MSM}, {"threads", GROUP_THREADS},
        {"tables", GROUP_TABLES}, {"batch", GROUP_BATCH}};
    unsigned mask = 0;
    const char *s = list;
    while (*s) {
        size_t n = strcspn(s, ","), i;
        for (i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strlen(names[i].name) == n && strncmp(s, names[i].name, n) == 0) break;
        if (i == sizeof names / sizeof names[0]) return 0;
        mask |= names[i].bit;
        s += n;
        if (*s == ',') s++;
    }
    return mask;
}

int cmd_tune(cli_global *g, int argc, char **argv) {
    const char *cmd = "tune", *output = NULL, *backend_result = NULL;
    uint64_t rounds = 0;
    bool restart = false;
    char path[4096];
    tune_state t;
    profile p;
    kzg_blob *blobs = NULL;
    double worst = 0;
    int rc = 0;

    memset(&t, 0, sizeof t);
    memset(&p, 0, sizeof p);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) return cli_help(cmd);
        if (strcmp(a, "--quick") == 0) {
            t.quick = true;
            continue;
        }
        /* Internal: the measuring child of the backend group, and the restart's carry. */
        if (strcmp(a, "--backend-child") == 0) {
            if (i + 1 >= argc) return cli_fail(cmd, "%s: missing value", a);
            return backend_child(argv[i + 1]);
        }
        if (strncmp(a, "--backend-result=", 17) == 0) {
            backend_result = a + 17;
            continue;
        }
        if (strcmp(a, "--only") == 0 || strncmp(a, "--only=", 7) == 0) {
            const char *v = a[6] == '=' ? a + 7 : i + 1 < argc ? argv[++i] : NULL;
            if (!v) return cli_fail(cmd, "--only: missing value");
            if (!(t.groups = parse_groups(v)))
                return cli_fail(cmd, "--only %s: expected a comma-separated list of backend, msm, "
                                "threads, tables, batch", v);
            continue;
        }
        if (strcmp(a, "--rounds") == 0 || strncmp(a, "--rounds=", 9) == 0) {
            const char *v = a[8] == '=' ? a + 9 : i + 1 < argc ? argv[++i] : NULL;
            if (!v || !cli_parse_u64(v, 1, 101, &rounds))
                return cli_fail(cmd, "--rounds: expected an integer in 1..101");
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
    t.reps = rounds ? (unsigned)rounds : t.quick ? 7 : 21;
    if (!t.groups) t.groups = GROUP_ALL;
    cli_rng_seed(&t.rng, 0x74756e65); /* fixed: runs are comparable */
    /* Progress steps: a round of each group, and the table builds. */
    t.steps = (size_t)t.reps * (1 + 3 + 1 + 1 + (cpus > 1 ? 4 : 0)) + (t.quick ? 3 : 6);

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
    if (backend_result) rc = backend_restore(&p, backend_result);
    else if (t.groups & GROUP_BACKEND) rc = tune_backend(&t, &p, blobs, &worst, &restart);
    if (!rc && restart) {
        free(blobs);
        return restart_under_pick(&p, argc, argv);
    }
    if (rc || ((t.groups & GROUP_MSM) &&
               ((rc = tune_msm(&t, &p, &worst)) || (rc = write_windows_profile(&t, &p)))) ||
        ((t.groups & GROUP_THREADS) && (rc = tune_threads(&t, &p, blobs, cpus, &worst))) ||
        ((t.groups & GROUP_TABLES) && (rc = tune_tables(&t, &p, blobs, &worst))) ||
        ((t.groups & GROUP_BATCH) && (rc = tune_batch(&t, &p, blobs))))
        goto out;
    progress_end(&t);
    if ((rc = write_profile(output, &p))) goto out;
    printf("\nevery pick within %.1f%% of the best configuration measured (limit 5%%)\n", 100.0 * worst);
    if (p.backend_pick[0]) printf("backend %s\n", p.backend_pick);
    if (t.groups & GROUP_TABLES)
        printf("table_window %u: %.2f MiB, commitment speed-up %.2fx\n", p.table_window, p.table_mib,
               p.table_speedup);
    if (t.groups & GROUP_BATCH)
        printf("batch threshold %llu%s\n", (unsigned long long)p.batch_threshold,
               p.batch_threshold ? "" : " (none measured)");
    printf("wrote %s in %.1f s (use it: KZGKIT_PROFILE=%s, or kzg_ctx_options.profile_path)\n",
           output, (cli_now_ms() - t0) / 1000.0, output);
    rc = worst <= 0.05 ? CLI_EXIT_OK : CLI_EXIT_FALSE;
out:
    if (t.windows_path[0]) remove(t.windows_path);
    free(blobs);
    return rc;
}
