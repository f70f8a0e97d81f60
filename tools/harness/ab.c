/* tools/harness/ab.c — see ab.h. */
#define _GNU_SOURCE /* mkdtemp, strtok_r */
#include "ab.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "results.h"
#include "icount.h"
#include "runner.h"
#include "stats.h"

#define EXIT_OK 0
#define EXIT_RUNTIME 1
#define EXIT_USAGE 2
#define EXIT_REGRESSED 3

/* 2^30 orderings still fit a double exactly; beyond 30 pairs the normal approximation is
 * within a few thousandths of the exact p at the 0.05 level. */
#define WILCOXON_EXACT_MAX_N 30
#define AB_MAX_ROUNDS 1000
#define AB_MAX_PASS 64
#define AB_MIN_CAPPED_ROUNDS 20
/* The default noise threshold when interleaving by sample: 3%, not compare's 5%, because
 * the paired noise is that much smaller. Measured (docs/BENCH.md, Gate quality): A/A false
 * alarms 2 of 420 verdicts at 3%, and a 5.3% slowdown caught 30 of 30 (at 5%: 35 of 40 of
 * a 5.2% one, the rule's power at its own threshold). */
#define AB_SAMPLE_THRESHOLD 0.03

/* snprintf whose truncation is deliberate (paths and messages are capped, and a truncated
 * path simply fails to open): vsnprintf keeps -Wformat-truncation quiet. */
static void fmt(char *buf, size_t cap, const char *f, ...) __attribute__((format(printf, 3, 4)));
static void fmt(char *buf, size_t cap, const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, cap, f, ap);
    va_end(ap);
}

/* ---- the statistics ---------------------------------------------------------------------- */

typedef struct absval {
    double a;
    int positive;
} absval;

static int cmp_absval(const void *x, const void *y) {
    double a = ((const absval *)x)->a, b = ((const absval *)y)->a;
    return (a > b) - (a < b);
}

int harness_wilcoxon_signed_rank(harness_wilcoxon *out, const double *d, size_t n) {
    memset(out, 0, sizeof *out);
    out->p = NAN;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(d[i])) return -1;
    absval *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) return -1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (d[i] != 0) v[m++] = (absval){fabs(d[i]), d[i] > 0};
    out->n = m;
    if (m == 0) {
        free(v);
        out->p = 1;
        return 0;
    }
    qsort(v, m, sizeof *v, cmp_absval);
    /* Mid-ranks; T = Σ (t³ − t) over groups of tied |d| corrects the variance. */
    double ties = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j + 1 < m && v[j + 1].a == v[i].a) j++;
        double t = (double)(j - i + 1), rank = 0.5 * ((double)(i + 1) + (double)(j + 1));
        for (size_t k = i; k <= j; k++)
            if (v[k].positive) out->w_plus += rank;
        if (t > 1) ties += t * t * t - t;
        i = j + 1;
    }
    free(v);
    double dm = (double)m, total = dm * (dm + 1) / 2;
    if (ties == 0 && m <= WILCOXON_EXACT_MAX_N) {
        /* Under the null each rank is positive with probability ½ independently: count[s] =
         * the number of subsets of {1..m} with sum s, built one rank at a time. */
        size_t smax = (size_t)total;
        double *count = calloc(smax + 1, sizeof *count);
        if (!count) return -1;
        count[0] = 1;
        for (size_t k = 1; k <= m; k++)
            for (size_t s = smax; s >= k; s--) count[s] += count[s - k];
        size_t w = (size_t)fmin(out->w_plus, total - out->w_plus); /* the lower tail */
        double below = 0;
        for (size_t s = 0; s <= w; s++) below += count[s];
        free(count);
        out->exact = true;
        out->p = fmin(1.0, 2.0 * below / ldexp(1.0, (int)m));
        return 0;
    }
    double mu = total / 2;
    double var = dm * (dm + 1) * (2 * dm + 1) / 24 - ties / 48;
    if (!(var > 0)) {
        out->p = 1;
        return 0;
    }
    double dev = fabs(out->w_plus - mu) - 0.5; /* continuity correction */
    if (dev < 0) dev = 0;
    out->z = (out->w_plus >= mu ? dev : -dev) / sqrt(var);
    out->p = fmin(1.0, erfc(fabs(out->z) / M_SQRT2));
    return 0;
}

int harness_ab_decide(harness_ab_decision *out, const double *old_ns, const double *new_ns,
                      size_t n, const harness_compare_opts *opts) {
    harness_compare_opts o = opts ? *opts : harness_compare_defaults();
    memset(out, 0, sizeof *out);
    out->change = out->change_lo = out->change_hi = NAN;
    out->test.p = NAN;
    out->verdict = HARNESS_SAME;
    out->reason = "no paired rounds";
    double *d = malloc((n ? n : 1) * sizeof *d);
    if (!d) return -1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(old_ns[i]) && isfinite(new_ns[i]) && old_ns[i] > 0 && new_ns[i] > 0)
            d[m++] = log(new_ns[i] / old_ns[i]);
    out->rounds = m;
    if (m == 0) {
        free(d);
        return 0;
    }
    double *scratch = malloc(m * sizeof *scratch), lo, hi;
    int rc = -1;
    if (!scratch) goto out;
    out->change = expm1(harness_median(d, m, scratch));
    if (harness_bootstrap_median_ci(&lo, &hi, d, m, o.resamples, 0.95, o.seed) != 0) goto out;
    out->change_lo = expm1(lo);
    out->change_hi = expm1(hi);
    if (harness_wilcoxon_signed_rank(&out->test, d, m) != 0) goto out;
    rc = 0;
    out->verdict = harness_verdict_rule(out->test.p, out->change_lo, out->change_hi, o.alpha,
                                        o.threshold, &out->reason);
    if (!(out->test.p < o.alpha) && m < 6)
        out->reason = "too few rounds for significance (6 or more needed)";
out:
    free(scratch);
    free(d);
    return rc;
}

/* ---- the command ------------------------------------------------------------------------- */

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...) {
    va_list ap;
    fputs("kzgkit ab: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see kzgkit ab --help)\n", stderr);
    return EXIT_USAGE;
}

static const char ab_help[] =
    "usage: kzgkit ab OLD NEW [options] [bench options]\n"
    "       kzgkit ab --git REV1 REV2 [options] [bench options]\n"
    "Compares two kzgkit executables (or two git revisions, built in temporary worktrees)\n"
    "benchmark by benchmark, in paired rounds. By default each side runs as a `bench\n"
    "--ab-worker` process and a round is one sample of OLD and one of NEW, back to back, of\n"
    "the same iteration count (both workers on the same CPU); per benchmark ab reports the\n"
    "median change of NEW against OLD over the rounds with its 95% bootstrap interval, the\n"
    "Wilcoxon signed-rank p-value and a verdict: improved, regressed or ~ (rule:\n"
    "docs/BENCH.md, Paired A/B). With --measure instructions each side is counted once and\n"
    "the exact counts are compared (threshold 0.1%).\n"
    "  --rounds R        rounds (default 100 by sample, 16 by run; 6 or more for a verdict)\n"
    "  --interleave I    sample (default) or run: a round is one whole `bench --quick` run of\n"
    "                    each side (for builds without --ab-worker)\n"
    "  --clock C         wall (default) or cpu: the process CPU time of each sample, which a\n"
    "                    preempted process does not accumulate (sample interleaving only)\n"
    "  --sample-ms MS    target time of one sample (default 5; at least one iteration)\n"
    "  --max-time S      cap on the rounds of one benchmark, both sides (default 30; never\n"
    "                    fewer than 20 rounds)\n"
    "  --order ORDER     abba (default: OLD first in even rounds, NEW first in odd ones) or\n"
    "                    random (a seeded coin per round)\n"
    "  --threshold PCT   noise threshold (default 3 by sample, 5 by run, 0.1 with --measure\n"
    "                    instructions)\n"
    "  --alpha P         significance level (default 0.05)\n"
    "  --seed N          seed of the random order and the bootstrap\n"
    "  --json FILE       write the per-round values, ratios and verdicts as JSON\n"
    "  --git             OLD and NEW are git revisions of the repository in the current\n"
    "                    directory; each is built (Release, target kzgkit_cli) in a temporary\n"
    "                    worktree that is removed afterwards\n"
    "bench options passed to both sides (after --quick, which is always passed):\n"
    "  --filter REGEX, --warmup-ms MS, --threads LIST, --sizes LIST, --param KEY=LIST,\n"
    "  --pin CPUS (both sides on CPUS instead of ab's choice), --measure instructions,\n"
    "  --counter C, --iters N; with --interleave run also --samples N, --max-time S\n"
    "KZGKIT_RUN_PREFIX (e.g. an emulator: \"qemu-aarch64 -L /\") goes in front of OLD and NEW.\n"
    "exit status: 0 nothing regressed, 1 runtime failure, 2 bad usage, 3 something regressed\n";

/* argv of a child: the run prefix, the program, then the rest; NULL-terminated. */
typedef struct argvec {
    char *v[AB_MAX_PASS + 32];
    size_t n;
} argvec;

static void argvec_push(argvec *a, const char *s) {
    if (a->n + 1 < sizeof a->v / sizeof a->v[0]) a->v[a->n++] = (char *)s;
    a->v[a->n] = NULL;
}

/* Runs argv (PATH searched) with stdout to the file `out` (NULL: /dev/null) and stderr to
 * the file `errlog` (NULL: ours). Returns the exit status, or −1 if it could not be started
 * or was killed by a signal. */
static int spawn(char *const *argv, const char *out, const char *errlog) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int o = out ? open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600) : open("/dev/null", O_WRONLY);
        if (o >= 0) dup2(o, STDOUT_FILENO);
        if (errlog) {
            int e = open(errlog, O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (e >= 0) dup2(e, STDERR_FILENO);
        }
        execvp(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The last non-empty line of a log file, for a one-line error message. */
static void last_line(const char *path, char *buf, size_t cap) {
    FILE *f = fopen(path, "r");
    char line[512];
    fmt(buf, cap, "(no message)");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (line[0]) fmt(buf, cap, "%s", line);
    }
    fclose(f);
}

/* One benchmark across the rounds. */
typedef struct ab_bench {
    char id[512], key[512];
    double *old_ns, *new_ns; /* per round; NaN when a side has no median that round */
    uint64_t iters;          /* --interleave sample: iterations per sample (0: run mode) */
    harness_ab_decision dec;
} ab_bench;

typedef struct ab_state {
    ab_bench *b;
    size_t n, cap;
    size_t rounds;
    const char *mode; /* "sample", "run" or "instructions" */
} ab_state;

static ab_bench *ab_find(ab_state *s, const char *key) {
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->b[i].key, key) == 0) return &s->b[i];
    return NULL;
}

static ab_bench *ab_add(ab_state *s, const char *key, const char *id) {
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        ab_bench *nb = realloc(s->b, cap * sizeof *nb);
        if (!nb) return NULL;
        s->b = nb;
        s->cap = cap;
    }
    ab_bench *b = &s->b[s->n];
    memset(b, 0, sizeof *b);
    b->old_ns = malloc(s->rounds * sizeof *b->old_ns);
    b->new_ns = malloc(s->rounds * sizeof *b->new_ns);
    if (!b->old_ns || !b->new_ns) {
        free(b->old_ns);
        free(b->new_ns);
        return NULL;
    }
    for (size_t r = 0; r < s->rounds; r++) b->old_ns[r] = b->new_ns[r] = NAN;
    fmt(b->key, sizeof b->key, "%s", key);
    fmt(b->id, sizeof b->id, "%s", id);
    s->n++;
    return b;
}

static void ab_free(ab_state *s) {
    for (size_t i = 0; i < s->n; i++) {
        free(s->b[i].old_ns);
        free(s->b[i].new_ns);
    }
    free(s->b);
}

/* Records one side's medians for round r from its result file. */
static int ab_record(ab_state *s, const harness_results *res, size_t r, bool is_new) {
    char key[512], id[512];
    for (size_t i = 0; i < res->n; i++) {
        const harness_result *x = &res->items[i];
        harness_result_match_key(x, key, sizeof key);
        ab_bench *b = ab_find(s, key);
        if (!b) {
            harness_result_id(x, id, sizeof id);
            if (!(b = ab_add(s, key, id))) return -1;
        }
        if (!x->error[0] && x->n_samples > 0) (is_new ? b->new_ns : b->old_ns)[r] = x->stats.median;
    }
    return 0;
}

/* Runs `exe bench --no-progress --quick PASS... --json json`; 0, or −1 with err. */
static int run_side(const char *exe, char **prefix, size_t n_prefix, char **pass, size_t n_pass,
                    const char *json, const char *errlog, harness_results *res, char *err,
                    size_t errlen) {
    argvec a = {.n = 0};
    for (size_t i = 0; i < n_prefix; i++) argvec_push(&a, prefix[i]);
    argvec_push(&a, exe);
    argvec_push(&a, "bench");
    argvec_push(&a, "--no-progress");
    argvec_push(&a, "--quick");
    for (size_t i = 0; i < n_pass; i++) argvec_push(&a, pass[i]);
    argvec_push(&a, "--json");
    argvec_push(&a, json);
    int st = spawn(a.v, NULL, errlog);
    if (st != 0) {
        char line[512];
        last_line(errlog, line, sizeof line);
        fmt(err, errlen, "%s bench exited with %d: %s", exe, st, line);
        return -1;
    }
    char lerr[512];
    if (harness_results_load(json, res, lerr, sizeof lerr) != 0) {
        fmt(err, errlen, "%s: %s", exe, lerr);
        return -1;
    }
    return 0;
}

/* ---- sample interleaving: two `bench --ab-worker` processes (runner.h) ------------------ */

typedef struct ab_worker {
    pid_t pid;
    FILE *to, *from;
    const char *exe;
    char errlog[600];
    char **ids; /* the cases it offers, in its order */
    size_t n;
} ab_worker;

static void worker_stop(ab_worker *w) {
    if (w->to) fclose(w->to); /* EOF: the worker tears down and exits */
    if (w->from) fclose(w->from);
    w->to = w->from = NULL;
    if (w->pid > 0) {
        int st;
        while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR) {
        }
    }
    w->pid = 0;
    for (size_t i = 0; i < w->n; i++) free(w->ids[i]);
    free(w->ids);
    w->ids = NULL;
    w->n = 0;
}

/* Why a worker stopped answering: its exit status and the last line of its stderr. */
static int worker_dead(ab_worker *w, const char *what, char *err, size_t errlen) {
    int st = 0, code = -1;
    if (w->pid > 0 && waitpid(w->pid, &st, 0) == w->pid) {
        code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        w->pid = 0;
    }
    char line[512];
    last_line(w->errlog, line, sizeof line);
    fmt(err, errlen, "%s %s: bench exited with %d: %s", w->exe, what, code, line);
    return code;
}

/* One request, one reply line (without the newline). 0; −1 with err when the worker died
 * or answered "err ...". */
static int worker_ask(ab_worker *w, const char *req, char *reply, size_t cap, char *err,
                      size_t errlen) {
    if (fprintf(w->to, "%s\n", req) < 0 || fflush(w->to) != 0 || !fgets(reply, (int)cap, w->from)) {
        worker_dead(w, req, err, errlen);
        return -1;
    }
    reply[strcspn(reply, "\n")] = 0;
    if (strncmp(reply, "err ", 4) == 0) {
        fmt(err, errlen, "%s: %s: %s", w->exe, req, reply + 4);
        return -1;
    }
    return 0;
}

/* Starts `[prefix] exe bench --ab-worker --no-progress --quick PASS...` with pipes and reads
 * its list of cases. 0; −2 with err when exe is a kzgkit from before --ab-worker (its bench
 * refused the option: a usage error naming it); −1 with err otherwise. */
static int worker_start(ab_worker *w, const char *exe, char **prefix, size_t n_prefix,
                        char **pass, size_t n_pass, const char *errlog, char *err, size_t errlen) {
    memset(w, 0, sizeof *w);
    w->exe = exe;
    fmt(w->errlog, sizeof w->errlog, "%s", errlog);
    argvec a = {.n = 0};
    for (size_t i = 0; i < n_prefix; i++) argvec_push(&a, prefix[i]);
    argvec_push(&a, exe);
    argvec_push(&a, "bench");
    argvec_push(&a, "--ab-worker");
    argvec_push(&a, "--no-progress");
    argvec_push(&a, "--quick");
    for (size_t i = 0; i < n_pass; i++) argvec_push(&a, pass[i]);
    int to[2], from[2];
    if (pipe2(to, O_CLOEXEC) != 0) goto sys;
    if (pipe2(from, O_CLOEXEC) != 0) {
        close(to[0]);
        close(to[1]);
        goto sys;
    }
    fflush(stdout);
    fflush(stderr);
    w->pid = fork();
    if (w->pid < 0) {
        close(to[0]), close(to[1]), close(from[0]), close(from[1]);
        goto sys;
    }
    if (w->pid == 0) {
        dup2(to[0], STDIN_FILENO);
        dup2(from[1], STDOUT_FILENO);
        int e = open(errlog, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (e >= 0) dup2(e, STDERR_FILENO);
        execvp(a.v[0], a.v);
        fprintf(stderr, "cannot run %s: %s\n", a.v[0], strerror(errno));
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    w->to = fdopen(to[1], "w");
    w->from = fdopen(from[0], "r");
    if (!w->to || !w->from) {
        if (!w->to) close(to[1]);
        if (!w->from) close(from[0]);
        goto sys;
    }
    char line[1024];
    int proto = 0;
    size_t n = 0;
    if (!fgets(line, sizeof line, w->from) ||
        sscanf(line, "kzgkit-worker %d %zu", &proto, &n) != 2) {
        int code = worker_dead(w, "(as an A/B worker)", err, errlen);
        return code == 2 && strstr(err, "--ab-worker") ? -2 : -1;
    }
    if (proto != HARNESS_WORKER_PROTOCOL) {
        fmt(err, errlen, "%s speaks A/B worker protocol %d, this kzgkit %d: use --interleave run",
            exe, proto, HARNESS_WORKER_PROTOCOL);
        return -1;
    }
    w->ids = calloc(n ? n : 1, sizeof *w->ids);
    if (!w->ids) goto sys;
    for (; w->n < n; w->n++) {
        if (!fgets(line, sizeof line, w->from) || strncmp(line, "case ", 5) != 0) {
            worker_dead(w, "(listing its cases)", err, errlen);
            return -1;
        }
        line[strcspn(line, "\n")] = 0;
        if (!(w->ids[w->n] = strdup(line + 5))) goto sys;
    }
    return 0;
sys:
    fmt(err, errlen, "cannot start %s as an A/B worker: %s", exe, strerror(errno));
    return -1;
}

/* "open I" on a worker: its warm-up estimate in ns per iteration. */
static int worker_open(ab_worker *w, size_t i, double *per_iter_ns, char *err, size_t errlen) {
    char req[64], reply[512];
    fmt(req, sizeof req, "open %zu", i);
    if (worker_ask(w, req, reply, sizeof reply, err, errlen) != 0) return -1;
    if (sscanf(reply, "ok %lf", per_iter_ns) != 1 || !(*per_iter_ns > 0)) {
        fmt(err, errlen, "%s: open %s: unexpected reply '%.80s'", w->exe, w->ids[i], reply);
        return -1;
    }
    return 0;
}

/* "run ITERS": the sample in ns per iteration, of elapsed time or (cpu) of process CPU time. */
static int worker_sample(ab_worker *w, uint64_t iters, bool cpu, double *ns, char *err,
                         size_t errlen) {
    char req[64], reply[512];
    double wall, cpu_t;
    fmt(req, sizeof req, "run %llu", (unsigned long long)iters);
    if (worker_ask(w, req, reply, sizeof reply, err, errlen) != 0) return -1;
    if (sscanf(reply, "t %lf %lf", &wall, &cpu_t) != 2 || !(wall >= 0) || !(cpu_t >= 0)) {
        fmt(err, errlen, "%s: unexpected reply '%.80s'", w->exe, reply);
        return -1;
    }
    *ns = (cpu ? cpu_t : wall) / (double)iters;
    return 0;
}

/* Every case both workers offer, benchmark by benchmark: both open (set up and warmed),
 * then `rounds` pairs of samples of the same iteration count, OLD and NEW back to back in
 * the round's order; both closed. A case only one side offers is named and skipped. */
/* The CPUs the workers share (neither set when the user pinned them with --pin): both
 * workers of a single-threaded case run on the same one CPU (`one`), those of a case with
 * threads=N > 1 on every CPU ab may use (`all`). Two workers left to the scheduler settle
 * on different CPUs for long stretches, and a difference between two CPUs' other load is
 * then a difference between OLD and NEW that no pairing removes: measured on this project's
 * 2-vCPU VM under load (two busy loops), A/A runs of one binary flagged 3 of 12 verdicts
 * unpinned and 0 of 24 pinned to one CPU (docs/BENCH.md, Paired A/B). */
typedef struct ab_cpus {
    char one[16], all[1024];
} ab_cpus;

static void ab_cpus_init(ab_cpus *c) {
    cpu_set_t set;
    c->one[0] = c->all[0] = 0;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return;
    size_t len = 0;
    int last = -1;
    for (int i = 0; i < CPU_SETSIZE && len + 8 < sizeof c->all; i++)
        if (CPU_ISSET(i, &set)) {
            len += (size_t)snprintf(c->all + len, sizeof c->all - len, "%s%d", len ? "," : "", i);
            last = i;
        }
    if (last >= 0) fmt(c->one, sizeof c->one, "%d", last);
}

/* threads=N in a case id, or 1. */
static long case_threads(const char *id) {
    const char *p = strstr(id, "threads=");
    return p ? strtol(p + 8, NULL, 10) : 1;
}

/* A benchmark that failed on a side whose worker still serves (it answered "err"): named on
 * stderr, both sides closed, its rounds left unpaired. 0, or −1 when a worker died. */
static int bench_failed(ab_worker *w, const char *id, size_t *n_failed, char *err, size_t errlen) {
    char reply[128], why[1024];
    if (w[0].pid <= 0 || w[1].pid <= 0) return -1; /* err says which died */
    fmt(why, sizeof why, "%s", err);
    fprintf(stderr, "ab: %s: not compared: %s\n", id, why);
    (*n_failed)++;
    if (worker_ask(&w[0], "close", reply, sizeof reply, err, errlen) != 0 ||
        worker_ask(&w[1], "close", reply, sizeof reply, err, errlen) != 0)
        return -1;
    return 0;
}

static int run_interleaved(ab_state *st, ab_worker *w, const char *order, double sample_s,
                           double max_s, bool cpu, const ab_cpus *cpus, size_t *n_failed,
                           char *err, size_t errlen) {
    char reply[128];
    *n_failed = 0;
    for (size_t i = 0; i < w[0].n; i++) {
        size_t j = 0;
        while (j < w[1].n && strcmp(w[1].ids[j], w[0].ids[i]) != 0) j++;
        if (j == w[1].n) {
            fprintf(stderr, "ab: %s: only in OLD, not compared\n", w[0].ids[i]);
            continue;
        }
        ab_bench *b = ab_add(st, w[0].ids[i], w[0].ids[i]);
        if (!b) {
            fmt(err, errlen, "out of memory");
            return -1;
        }
        if (cpus && cpus->one[0]) {
            char req[1100];
            fmt(req, sizeof req, "pin %s", case_threads(b->id) > 1 ? cpus->all : cpus->one);
            if (worker_ask(&w[0], req, reply, sizeof reply, err, errlen) != 0 ||
                worker_ask(&w[1], req, reply, sizeof reply, err, errlen) != 0)
                return -1;
        }
        double est[2];
        if (worker_open(&w[0], i, &est[0], err, errlen) != 0 ||
            worker_open(&w[1], j, &est[1], err, errlen) != 0) {
            if (bench_failed(w, b->id, n_failed, err, errlen) != 0) return -1;
            continue;
        }
        /* One iteration count for both sides (from the faster one's estimate), so that a
         * pair is the same work timed twice. */
        double want = sample_s * 1e9 / (est[0] < est[1] ? est[0] : est[1]);
        b->iters = want < 1 ? 1 : want > 1e12 ? (uint64_t)1e12 : (uint64_t)(want + 0.5);
        /* The time cap: as many rounds as fit in max_s (both sides), never fewer than
         * AB_MIN_CAPPED_ROUNDS; the rounds not run stay NaN and are not paired. */
        size_t n_rounds = st->rounds;
        double pair_s = 2e-9 * (double)b->iters * (est[0] + est[1]) / 2;
        if (max_s > 0 && pair_s * (double)n_rounds > max_s) {
            size_t fit = (size_t)(max_s / pair_s);
            n_rounds = fit < AB_MIN_CAPPED_ROUNDS ? AB_MIN_CAPPED_ROUNDS : fit;
            if (n_rounds > st->rounds) n_rounds = st->rounds;
        }
        bool failed = false;
        for (size_t r = 0; r < n_rounds && !failed; r++) {
            for (int k = 0; k < 2 && !failed; k++) {
                int side = order[r] ? 1 - k : k; /* BA: NEW first */
                failed = worker_sample(&w[side], b->iters, cpu, side ? &b->new_ns[r] : &b->old_ns[r],
                                       err, errlen) != 0;
            }
        }
        if (failed) {
            for (size_t r = 0; r < st->rounds; r++) b->old_ns[r] = b->new_ns[r] = NAN;
            if (bench_failed(w, b->id, n_failed, err, errlen) != 0) return -1;
            continue;
        }
        if (worker_ask(&w[0], "close", reply, sizeof reply, err, errlen) != 0 ||
            worker_ask(&w[1], "close", reply, sizeof reply, err, errlen) != 0)
            return -1;
        if (isatty(STDERR_FILENO))
            fprintf(stderr, "\r\033[Kab: %zu/%zu %s", i + 1, w[0].n, b->id);
    }
    if (isatty(STDERR_FILENO)) fputs("\r\033[K", stderr);
    for (size_t j = 0; j < w[1].n; j++)
        if (!ab_find(st, w[1].ids[j])) fprintf(stderr, "ab: %s: only in NEW, not compared\n", w[1].ids[j]);
    return 0;
}

/* --measure instructions: one counted run of each side (deterministic, so no rounds), each
 * benchmark judged by harness_compare_counts; the state holds one "round" with the medians
 * of the counts. */
static int decide_counts(ab_state *st, const harness_results *ro, const harness_results *rn,
                         double threshold, char *err, size_t errlen) {
    char key[512], id[512];
    for (size_t i = 0; i < ro->n; i++) {
        const harness_result *x = &ro->items[i], *y = NULL;
        harness_result_match_key(x, key, sizeof key);
        for (size_t j = 0; j < rn->n && !y; j++) {
            char k2[512];
            harness_result_match_key(&rn->items[j], k2, sizeof k2);
            if (strcmp(key, k2) == 0) y = &rn->items[j];
        }
        harness_result_id(x, id, sizeof id);
        if (!y) {
            fprintf(stderr, "ab: %s: only in OLD, not compared\n", id);
            continue;
        }
        ab_bench *b = ab_add(st, key, id);
        if (!b) {
            fmt(err, errlen, "out of memory");
            return -1;
        }
        harness_ab_decision *d = &b->dec;
        d->change = d->change_lo = d->change_hi = d->test.p = NAN;
        d->reason = "a side has no counts";
        if (x->error[0] || y->error[0] || !x->n_samples || !y->n_samples) continue;
        harness_comparison c;
        if (harness_compare_counts(&c, x->samples_ns, x->n_samples, y->samples_ns, y->n_samples,
                                   threshold) != 0)
            continue;
        b->old_ns[0] = c.median_a;
        b->new_ns[0] = c.median_b;
        d->rounds = 1;
        d->test.exact = true;
        d->change = d->change_lo = d->change_hi = c.change;
        d->verdict = c.verdict;
        d->reason = c.reason;
    }
    return 0;
}

/* --git: builds REV in a fresh worktree under tmp; fills exe and wt. 0, or −1 with err. */
static int build_rev(const char *rev, const char *tmp, const char *tag, char *wt, size_t wtcap,
                     char *exe, size_t execap, char *err, size_t errlen) {
    char log[1200], bdir[1100], jobs[16];
    fmt(wt, wtcap, "%s/%s", tmp, tag);
    fmt(bdir, sizeof bdir, "%s/build", wt);
    fmt(exe, execap, "%s/kzgkit", bdir);
    fmt(log, sizeof log, "%s/%s-build.log", tmp, tag);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    fmt(jobs, sizeof jobs, "-j%ld", cpus > 0 ? cpus : 1);
    char *add[] = {"git", "worktree", "add", "--detach", "--quiet", wt, (char *)rev, NULL};
    char *conf[] = {"cmake", "-S", wt, "-B", bdir, "-DCMAKE_BUILD_TYPE=Release",
                    "-DKZGKIT_BUILD_TESTS=OFF", "-DKZGKIT_BUILD_BENCH=OFF",
                    "-DKZGKIT_BUILD_EXAMPLES=OFF", NULL};
    char *build[] = {"cmake", "--build", bdir, "--target", "kzgkit_cli", jobs, NULL};
    char *const *steps[] = {add, conf, build};
    const char *what[] = {"git worktree add", "cmake configure", "cmake build"};
    for (size_t i = 0; i < 3; i++) {
        fprintf(stderr, "ab: %s: %s\n", rev, what[i]);
        if (spawn(steps[i], NULL, log) != 0) {
            char line[512];
            last_line(log, line, sizeof line);
            fmt(err, errlen, "%s: %s failed (log %s): %s", rev, what[i], log, line);
            return -1;
        }
    }
    if (access(exe, X_OK) != 0) {
        fmt(err, errlen, "%s: the build produced no %s", rev, exe);
        return -1;
    }
    return 0;
}

static void remove_worktree(const char *wt) {
    char *rm_wt[] = {"git", "worktree", "remove", "--force", (char *)wt, NULL};
    char *rm_rf[] = {"rm", "-rf", (char *)wt, NULL};
    if (spawn(rm_wt, NULL, "/dev/null") != 0) spawn(rm_rf, NULL, NULL);
}

static void json_num(FILE *f, double v) {
    if (isfinite(v)) fprintf(f, "%.17g", v);
    else fputs("null", f);
}

static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

typedef struct ab_json {
    const ab_state *s;
    const char *old_name, *new_name;
    const char (*commit)[48];
    bool git;
    const char *order;
    const harness_compare_opts *o;
} ab_json;

/* The --json document (harness_write_atomic's writer: 0, or -1 on a stream error). */
static int ab_json_writer(FILE *f, const void *ctx) {
    const ab_json *j = ctx;
    const ab_state *s = j->s;
    const char *old_name = j->old_name, *new_name = j->new_name, *order = j->order;
    const char(*commit)[48] = j->commit;
    bool git = j->git;
    const harness_compare_opts *o = j->o;
    fprintf(f, "{\n  \"kind\": \"kzgkit-ab\",\n  \"schema_version\": 1,\n  \"old\": ");
    json_str(f, old_name);
    fputs(",\n  \"new\": ", f);
    json_str(f, new_name);
    fprintf(f, ",\n  \"git\": %s,\n  \"old_commit\": ", git ? "true" : "false");
    if (git) json_str(f, commit[0]);
    else fputs("null", f);
    fputs(",\n  \"new_commit\": ", f);
    if (git) json_str(f, commit[1]);
    else fputs("null", f);
    fputs(",\n  \"mode\": ", f);
    json_str(f, s->mode);
    fprintf(f, ",\n  \"rounds\": %zu,\n  \"order\": \"", s->rounds);
    for (size_t r = 0; r < s->rounds; r++) {
        fputs(order[r] ? "BA" : "AB", f);
        fputc(r + 1 < s->rounds ? ',' : '"', f);
    }
    fputs(",\n  \"threshold\": ", f);
    json_num(f, o->threshold);
    fputs(",\n  \"alpha\": ", f);
    json_num(f, o->alpha);
    fputs(",\n  \"benchmarks\": [", f);
    for (size_t i = 0; i < s->n; i++) {
        const ab_bench *b = &s->b[i];
        const harness_ab_decision *d = &b->dec;
        fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", f);
        json_str(f, b->id);
        fprintf(f, ", \"rounds_paired\": %zu, \"iters_per_sample\": ", d->rounds);
        if (b->iters) fprintf(f, "%llu", (unsigned long long)b->iters);
        else fputs("null", f);
        fputs(", \"change\": ", f);
        json_num(f, d->change);
        fputs(", \"change_ci95\": [", f);
        json_num(f, d->change_lo);
        fputs(", ", f);
        json_num(f, d->change_hi);
        fputs("], \"p\": ", f);
        json_num(f, d->test.p);
        fprintf(f, ", \"test\": \"%s\", \"exact\": %s, \"verdict\": ",
                strcmp(s->mode, "instructions") == 0 ? "exact_counts" : "wilcoxon_signed_rank",
                d->test.exact ? "true" : "false");
        json_str(f, harness_verdict_str(d->verdict));
        fputs(", \"reason\": ", f);
        json_str(f, d->reason);
        fputs(",\n     \"per_round\": [", f);
        for (size_t r = 0; r < s->rounds; r++) {
            fprintf(f, "%s{\"round\": %zu, \"order\": \"%s\", \"old_median_ns\": ", r ? ", " : "", r,
                    order[r] ? "BA" : "AB");
            json_num(f, b->old_ns[r]);
            fputs(", \"new_median_ns\": ", f);
            json_num(f, b->new_ns[r]);
            fputs(", \"ratio\": ", f);
            json_num(f, b->new_ns[r] / b->old_ns[r]);
            fputc('}', f);
        }
        fputs("]}", f);
    }
    fputs("\n  ]\n}\n", f);
    return ferror(f) ? -1 : 0;
}

/* Columns by displayed width: "µs" is two bytes and one column. */
static int text_cols(const char *t) {
    int w = 0;
    for (; *t; t++) w += ((unsigned char)*t & 0xc0) != 0x80;
    return w;
}

static void cell(const char *t, int width, bool right) {
    int pad = width - text_cols(t);
    if (right)
        for (int i = 0; i < pad; i++) putchar(' ');
    fputs(t, stdout);
    if (!right)
        for (int i = 0; i < pad; i++) putchar(' ');
    putchar(' ');
}

static void print_table(const ab_state *s, const harness_compare_opts *o) {
    int wid = 9;
    for (size_t i = 0; i < s->n; i++) {
        int w = (int)strlen(s->b[i].id);
        if (w > wid) wid = w;
    }
    if (wid > 60) wid = 60;
    bool counts = strcmp(s->mode, "instructions") == 0;
    printf("%-*s %10s %10s %8s %18s %6s %6s  verdict\n", wid, "benchmark",
           counts ? "old instr" : "old median", counts ? "new instr" : "new median", "change",
           "95% CI", "p", "rounds");
    double *tmp = malloc((s->rounds ? s->rounds : 1) * sizeof *tmp);
    for (size_t i = 0; i < s->n; i++) {
        const ab_bench *b = &s->b[i];
        const harness_ab_decision *d = &b->dec;
        char t1[64], t2[64], t3[64], t4[64];
        double mo = NAN, mn = NAN;
        size_t k = 0;
        if (tmp) {
            for (size_t r = 0; r < s->rounds; r++)
                if (isfinite(b->old_ns[r])) tmp[k++] = b->old_ns[r];
            if (k) harness_sort(tmp, k), mo = harness_quantile_sorted(tmp, k, 0.5);
            k = 0;
            for (size_t r = 0; r < s->rounds; r++)
                if (isfinite(b->new_ns[r])) tmp[k++] = b->new_ns[r];
            if (k) harness_sort(tmp, k), mn = harness_quantile_sorted(tmp, k, 0.5);
        }
        (counts ? harness_fmt_count : harness_fmt_ns)(t1, sizeof t1, mo);
        (counts ? harness_fmt_count : harness_fmt_ns)(t2, sizeof t2, mn);
        cell(b->id, wid, false);
        cell(t1, 10, true);
        cell(t2, 10, true);
        if (d->rounds == 0) {
            puts(" (not compared: no round with both sides)");
            continue;
        }
        fmt(t3, sizeof t3, "%+.2f%%", 100 * d->change);
        fmt(t4, sizeof t4, "[%+.1f%%, %+.1f%%]", 100 * d->change_lo, 100 * d->change_hi);
        if (isfinite(d->test.p))
            printf("%8s %18s %6.3f %6zu  %s\n", t3, t4, d->test.p, d->rounds,
                   harness_verdict_str(d->verdict));
        else
            printf("%8s %18s %6s %6zu  %s\n", t3, t4, "-", d->rounds, harness_verdict_str(d->verdict));
    }
    free(tmp);
    if (counts)
        printf("instructions per operation (median of the counted samples); exact counts, so no "
               "test: regressed above +%.2f%%, improved below -%.2f%%\n",
               100 * o->threshold, 100 * o->threshold);
    else
        printf("medians over the rounds (%s); change = median of the per-round ratios NEW/OLD; "
               "noise threshold ±%.1f%%, significance p < %g (Wilcoxon signed-rank over the "
               "rounds); ~ = no significant change beyond the threshold\n",
               strcmp(s->mode, "sample") == 0 ? "a round is one sample of each side, back to back"
                                              : "a round is one `bench` run of each side",
               100 * o->threshold, o->alpha);
}

static bool parse_num(const char *s, double lo, double hi, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi) return false;
    *out = v;
    return true;
}

/* The bench options a round may carry, all with a value. */
static const char *const pass_opts[] = {"--filter", "--samples", "--warmup-ms", "--sample-ms",
                                        "--max-time", "--threads", "--sizes", "--param", "--pin",
                                        "--measure", "--counter", "--iters"};

int harness_main_ab(int argc, char **argv) {
    const char *pos[2] = {NULL, NULL}, *json = NULL, *order_s = "abba", *mode = "sample";
    size_t n_pos = 0, rounds = 0, n_pass = 0;
    double sample_s = 0.005, max_s = 30;
    bool have_threshold = false, user_pin = false, user_rounds = false;
    size_t bench_failures = 0;
    char *pass[AB_MAX_PASS];
    bool git = false, have_seed = false;
    const char *interleave = NULL, *clock_s = "wall";
    harness_compare_opts cmp = harness_compare_defaults();
    double v;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(ab_help, stdout);
            return EXIT_OK;
        }
        if (strcmp(a, "--git") == 0) {
            git = true;
            continue;
        }
        if (strcmp(a, "--quick") == 0) continue; /* always passed */
        if (a[0] != '-' || !a[1]) {
            if (n_pos == 2) return usage_error("expected two builds, got a third: '%s'", a);
            pos[n_pos++] = a;
            continue;
        }
        /* Every remaining option takes a value: "--opt VALUE" or "--opt=VALUE". */
        const char *eq = strchr(a, '=');
        size_t nl = eq ? (size_t)(eq - a) : strlen(a);
        const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[i + 1] : NULL);
        bool pass_through = false;
        for (size_t k = 0; k < sizeof pass_opts / sizeof pass_opts[0]; k++)
            if (strlen(pass_opts[k]) == nl && strncmp(a, pass_opts[k], nl) == 0) pass_through = true;
        bool own = (nl == 8 && strncmp(a, "--rounds", nl) == 0) ||
                   (nl == 7 && strncmp(a, "--order", nl) == 0) ||
                   (nl == 12 && strncmp(a, "--interleave", nl) == 0) ||
                   (nl == 7 && strncmp(a, "--clock", nl) == 0) ||
                   (nl == 11 && strncmp(a, "--threshold", nl) == 0) ||
                   (nl == 7 && strncmp(a, "--alpha", nl) == 0) ||
                   (nl == 6 && strncmp(a, "--seed", nl) == 0) ||
                   (nl == 6 && strncmp(a, "--json", nl) == 0);
        if (!pass_through && !own) return usage_error("unknown option '%s'", a);
        if (!val) return usage_error("%.*s needs a value", (int)nl, a);
        if (!eq) i++;
        if (pass_through) {
            if (n_pass + 2 > AB_MAX_PASS) return usage_error("too many bench options");
            pass[n_pass++] = argv[eq ? i : i - 1];
            if (!eq) pass[n_pass++] = argv[i];
            if (nl == 9 && strncmp(a, "--measure", nl) == 0) {
                if (strcmp(val, "instructions") == 0) mode = "instructions";
                else if (strcmp(val, "time") != 0)
                    return usage_error("--measure expects time or instructions, got '%s'", val);
            }
            if (nl == 10 && strncmp(a, "--max-time", nl) == 0) {
                if (!parse_num(val, 0, 1e6, &max_s))
                    return usage_error("--max-time expects seconds, got '%s'", val);
            }
            if (nl == 5 && strncmp(a, "--pin", nl) == 0) user_pin = true;
            if (nl == 11 && strncmp(a, "--sample-ms", nl) == 0) {
                if (!parse_num(val, 0.001, 60000, &v))
                    return usage_error("--sample-ms expects milliseconds, got '%s'", val);
                sample_s = v / 1000;
            }
            if (strncmp(a, "--filter", nl) == 0) {
                regex_t rx;
                if (regcomp(&rx, val, REG_EXTENDED | REG_NOSUB) != 0)
                    return usage_error("--filter '%s' is not a valid regular expression", val);
                regfree(&rx);
            }
        } else if (strncmp(a, "--rounds", nl) == 0) {
            if (!parse_num(val, 1, AB_MAX_ROUNDS, &v) || v != floor(v))
                return usage_error("--rounds expects an integer in 1..%d, got '%s'", AB_MAX_ROUNDS, val);
            rounds = (size_t)v;
            user_rounds = true;
        } else if (strncmp(a, "--clock", nl) == 0) {
            if (strcmp(val, "wall") != 0 && strcmp(val, "cpu") != 0)
                return usage_error("--clock expects wall or cpu, got '%s'", val);
            clock_s = val;
        } else if (strncmp(a, "--interleave", nl) == 0) {
            if (strcmp(val, "sample") != 0 && strcmp(val, "run") != 0)
                return usage_error("--interleave expects sample or run, got '%s'", val);
            interleave = val;
        } else if (strncmp(a, "--order", nl) == 0) {
            if (strcmp(val, "abba") != 0 && strcmp(val, "random") != 0)
                return usage_error("--order expects abba or random, got '%s'", val);
            order_s = val;
        } else if (strncmp(a, "--threshold", nl) == 0) {
            if (!parse_num(val, 0, 1000, &cmp.threshold))
                return usage_error("--threshold expects a percentage, got '%s'", val);
            cmp.threshold /= 100;
            have_threshold = true;
        } else if (strncmp(a, "--alpha", nl) == 0) {
            if (!parse_num(val, 1e-9, 0.5, &cmp.alpha))
                return usage_error("--alpha expects a probability in (0, 0.5], got '%s'", val);
        } else if (strncmp(a, "--seed", nl) == 0) {
            char *end;
            errno = 0;
            unsigned long long s = strtoull(val, &end, 0);
            if (val[0] == '-' || end == val || *end || errno)
                return usage_error("--seed expects an integer, got '%s'", val);
            cmp.seed = s;
            have_seed = true;
        } else {
            json = val;
        }
    }
    if (n_pos != 2)
        return usage_error(git ? "expected two git revisions (REV1 REV2)"
                               : "expected two kzgkit executables (OLD NEW)");
    if (strcmp(mode, "instructions") == 0) {
        if (interleave) return usage_error("--interleave applies to times, not to --measure instructions");
        rounds = 1; /* counts are exact: one counted run per side */
        if (!have_threshold) cmp.threshold = HARNESS_COUNT_THRESHOLD;
    } else {
        if (interleave) mode = interleave;
        if (!rounds) rounds = strcmp(mode, "sample") == 0 ? 100 : 16;
        if (!have_threshold && strcmp(mode, "sample") == 0) cmp.threshold = AB_SAMPLE_THRESHOLD;
    }
    struct stat sb;
    if (!git)
        for (size_t k = 0; k < 2; k++)
            if (stat(pos[k], &sb) != 0 || !S_ISREG(sb.st_mode) || access(pos[k], X_OK) != 0)
                return usage_error("'%s' is not an executable file", pos[k]);

    /* The run prefix (an emulator in cross builds), split on blanks. */
    char *prefix_buf = NULL, *prefix[16];
    size_t n_prefix = 0;
    const char *rp_env = getenv("KZGKIT_RUN_PREFIX");
    if (rp_env && *rp_env) {
        prefix_buf = strdup(rp_env);
        if (!prefix_buf) return EXIT_RUNTIME;
        char *save = NULL;
        for (char *t = strtok_r(prefix_buf, " \t", &save); t && n_prefix < 16;
             t = strtok_r(NULL, " \t", &save))
            prefix[n_prefix++] = t;
    }

    int status = EXIT_OK;
    char tmp[512], err[1024], old_json[600], new_json[600], errlog[600];
    char wt[2][700], exe[2][800];
    bool wt_made[2] = {false, false};
    ab_state st = {.rounds = rounds, .mode = mode};
    ab_worker wk[2];
    memset(wk, 0, sizeof wk);
    void (*old_sigpipe)(int) = signal(SIGPIPE, SIG_IGN); /* a dead worker: an error, not a kill */
    harness_results ro, rn;
    harness_results_init(&ro);
    harness_results_init(&rn);
    char *order = calloc(rounds, 1);
    const char *tdir = getenv("TMPDIR");
    fmt(tmp, sizeof tmp, "%s/kzgkit-ab.XXXXXX", tdir && *tdir ? tdir : "/tmp");
    if (!order || !mkdtemp(tmp)) {
        fprintf(stderr, "kzgkit ab: cannot create a temporary directory: %s\n", strerror(errno));
        free(order);
        free(prefix_buf);
        return EXIT_RUNTIME;
    }
    fmt(old_json, sizeof old_json, "%s/old.json", tmp);
    fmt(new_json, sizeof new_json, "%s/new.json", tmp);
    fmt(errlog, sizeof errlog, "%s/stderr.log", tmp);

    const char *old_exe = pos[0], *new_exe = pos[1];
    char commit[2][48] = {"", ""};
    if (git) {
        /* The revisions are resolved once, before anything is built: a bad one is a usage
         * error, and the report names the commits that were measured. */
        for (size_t k = 0; k < 2; k++) {
            char spec[512], idfile[600];
            fmt(spec, sizeof spec, "%s^{commit}", pos[k]);
            fmt(idfile, sizeof idfile, "%s/rev", tmp);
            char *rp[] = {"git", "rev-parse", "--verify", "--quiet", spec, NULL};
            int rc = spawn(rp, idfile, "/dev/null");
            FILE *f = fopen(idfile, "r");
            if (f) {
                if (!fgets(commit[k], sizeof commit[k], f)) commit[k][0] = 0;
                commit[k][strcspn(commit[k], "\n")] = 0;
                fclose(f);
            }
            remove(idfile);
            if (rc != 0 || !commit[k][0]) {
                status = usage_error("'%s' is not a git revision of the repository here", pos[k]);
                goto out;
            }
        }
        double t0 = (double)time(NULL);
        for (size_t k = 0; k < 2; k++) {
            wt_made[k] = true;
            if (build_rev(pos[k], tmp, k ? "new" : "old", wt[k], sizeof wt[k], exe[k],
                          sizeof exe[k], err, sizeof err) != 0) {
                fprintf(stderr, "kzgkit ab: %s\n", err);
                status = EXIT_RUNTIME;
                goto out;
            }
        }
        old_exe = exe[0];
        new_exe = exe[1];
        fprintf(stderr, "ab: both revisions built in %.0f s\n", (double)time(NULL) - t0);
    }

    /* The schedule: ABBA puts each side first equally often, so a position effect (the first
     * run of a round warming caches or the frequency for the second) cancels in pairs. */
    harness_rng rng;
    harness_rng_seed(&rng, have_seed ? cmp.seed : (uint64_t)time(NULL) ^ (uint64_t)getpid());
    for (size_t r = 0; r < rounds; r++)
        order[r] = strcmp(order_s, "random") == 0 ? (char)(harness_rng_next(&rng) >> 63) : (char)(r & 1);

    if (git)
        printf("old: %s (%.12s)\nnew: %s (%.12s)\n", pos[0], commit[0], pos[1], commit[1]);
    else
        printf("old: %s\nnew: %s\n", pos[0], pos[1]);
    if (strcmp(mode, "instructions") == 0) {
        printf("instruction counts, one counted run of each side\n");
        fflush(stdout);
        for (int side = 0; side < 2; side++)
            if (run_side(side ? new_exe : old_exe, prefix, n_prefix, pass, n_pass,
                         side ? new_json : old_json, errlog, side ? &rn : &ro, err, sizeof err) != 0) {
                fprintf(stderr, "kzgkit ab: %s\n", err);
                status = EXIT_RUNTIME;
                goto out;
            }
        if (decide_counts(&st, &ro, &rn, cmp.threshold, err, sizeof err) != 0) {
            fprintf(stderr, "kzgkit ab: %s\n", err);
            status = EXIT_RUNTIME;
            goto out;
        }
        goto report;
    }
    printf("%zu rounds, order %s, interleaved by %s\n", rounds, order_s, mode);
    fflush(stdout);
    if (strcmp(mode, "sample") == 0) {
        char elog[2][600];
        bool fallback = false;
        for (int k = 0; k < 2 && !fallback; k++) {
            fmt(elog[k], sizeof elog[k], "%s/%s-stderr.log", tmp, k ? "new" : "old");
            int rc = worker_start(&wk[k], k ? new_exe : old_exe, prefix, n_prefix, pass, n_pass,
                                  elog[k], err, sizeof err);
            if (rc == 0) continue;
            for (int j = 0; j <= k; j++) {
                worker_stop(&wk[j]);
                remove(elog[j]);
            }
            /* A build from before sample interleaving: the whole comparison by run, unless
             * the user asked for sample interleaving by name. */
            if (rc == -2 && !interleave) {
                fallback = true;
                mode = st.mode = "run";
                if (!user_rounds) rounds = st.rounds = 16;
                if (!have_threshold) cmp.threshold = harness_compare_defaults().threshold;
                fprintf(stderr, "ab: %s has no --ab-worker (a kzgkit from before sample "
                                "interleaving): interleaving by run, %zu rounds\n",
                        k ? new_exe : old_exe, rounds);
                printf("(interleaved by run instead: %s has no --ab-worker)\n", k ? pos[1] : pos[0]);
                break;
            }
            fprintf(stderr, "kzgkit ab: %s\n", err);
            status = EXIT_RUNTIME;
            goto out;
        }
        if (!fallback) {
            ab_cpus cpus;
            ab_cpus_init(&cpus);
            int rc = run_interleaved(&st, wk, order, sample_s, max_s, strcmp(clock_s, "cpu") == 0,
                                     user_pin ? NULL : &cpus, &bench_failures, err, sizeof err);
            for (int k = 0; k < 2; k++) {
                worker_stop(&wk[k]);
                remove(elog[k]);
            }
            if (rc != 0) {
                fprintf(stderr, "kzgkit ab: %s\n", err);
                status = EXIT_RUNTIME;
                goto out;
            }
        }
    }
    for (size_t r = 0; r < rounds && strcmp(mode, "run") == 0; r++) {
        for (int side = 0; side < 2; side++) {
            bool is_new = (side == 0) == (order[r] == 1); /* BA: NEW first */
            harness_results *res = is_new ? &rn : &ro;
            harness_results_free(res);
            if (run_side(is_new ? new_exe : old_exe, prefix, n_prefix, pass, n_pass,
                         is_new ? new_json : old_json, errlog, res, err, sizeof err) != 0) {
                fprintf(stderr, "kzgkit ab: round %zu: %s\n", r + 1, err);
                status = EXIT_RUNTIME;
                goto out;
            }
            if (ab_record(&st, res, r, is_new) != 0) {
                fprintf(stderr, "kzgkit ab: out of memory\n");
                status = EXIT_RUNTIME;
                goto out;
            }
        }
        if (isatty(STDERR_FILENO))
            fprintf(stderr, "\rab: round %zu/%zu (%s) done%s", r + 1, rounds, order[r] ? "BA" : "AB",
                    r + 1 == rounds ? "\n" : "");
    }

    for (size_t i = 0; i < st.n; i++) {
        harness_compare_opts oi = cmp; /* a bootstrap stream of its own per benchmark */
        oi.seed = cmp.seed + 0x9e3779b97f4a7c15ULL * (i + 1);
        if (harness_ab_decide(&st.b[i].dec, st.b[i].old_ns, st.b[i].new_ns, rounds, &oi) != 0) {
            fprintf(stderr, "kzgkit ab: out of memory\n");
            status = EXIT_RUNTIME;
            goto out;
        }
    }
report:;
    size_t regressed = 0, improved = 0;
    for (size_t i = 0; i < st.n; i++) {
        regressed += st.b[i].dec.verdict == HARNESS_REGRESSED;
        improved += st.b[i].dec.verdict == HARNESS_IMPROVED;
    }
    putchar('\n');
    print_table(&st, &cmp);
    printf("%zu regressed, %zu improved, %zu compared\n", regressed, improved, st.n);
    if (regressed) status = EXIT_REGRESSED;
    if (bench_failures) { /* reported above, each on stderr; a failing benchmark is no pass */
        fprintf(stderr, "kzgkit ab: %zu benchmark%s failed on a side (named above)\n", bench_failures,
                bench_failures == 1 ? "" : "s");
        status = EXIT_RUNTIME;
    }
    if (json) {
        ab_json j = {&st, pos[0], pos[1], (const char(*)[48])commit, git, order, &cmp};
        char werr[1200];
        /* Atomically (a temporary file, fsync, rename): a kill leaves the old file or this. */
        if (harness_write_atomic(json, ab_json_writer, &j, werr, sizeof werr) != 0) {
            fprintf(stderr, "kzgkit ab: %s\n", werr);
            status = EXIT_RUNTIME;
        } else {
            printf("results: %s\n", json);
        }
    }
out:
    for (size_t k = 0; k < 2; k++) {
        if (wk[k].pid > 0 || wk[k].ids) worker_stop(&wk[k]);
        if (wt_made[k]) remove_worktree(wt[k]);
    }
    signal(SIGPIPE, old_sigpipe);
    remove(old_json);
    remove(new_json);
    remove(errlog);
    if (git) {
        char p[700];
        fmt(p, sizeof p, "%s/old-build.log", tmp);
        if (status != EXIT_RUNTIME) remove(p);
        fmt(p, sizeof p, "%s/new-build.log", tmp);
        if (status != EXIT_RUNTIME) remove(p);
    }
    rmdir(tmp); /* stays, with the build logs, when a build failed */
    ab_free(&st);
    harness_results_free(&ro);
    harness_results_free(&rn);
    free(order);
    free(prefix_buf);
    return status;
}
