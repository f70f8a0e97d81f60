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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "results.h"
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
    "Runs the selected benchmarks of two kzgkit executables (or two git revisions, built in\n"
    "temporary worktrees) alternately, round by round, each round a short `bench` run of\n"
    "each; pairs the per-round medians and reports, per benchmark, the median change of\n"
    "NEW against OLD with its 95% bootstrap interval, the Wilcoxon signed-rank p-value over\n"
    "the rounds and a verdict: improved, regressed or ~ (rule: docs/BENCH.md, Paired A/B).\n"
    "  --rounds R        rounds (default 16; 6 or more for a verdict other than ~)\n"
    "  --order ORDER     abba (default: OLD first in even rounds, NEW first in odd ones) or\n"
    "                    random (a seeded coin per round)\n"
    "  --threshold PCT   noise threshold (default 5)\n"
    "  --alpha P         significance level (default 0.05)\n"
    "  --seed N          seed of the random order and the bootstrap\n"
    "  --json FILE       write the per-round medians, ratios and verdicts as JSON\n"
    "  --git             OLD and NEW are git revisions of the repository in the current\n"
    "                    directory; each is built (Release, target kzgkit_cli) in a temporary\n"
    "                    worktree that is removed afterwards\n"
    "bench options passed to every round (after --quick, which is always passed):\n"
    "  --filter REGEX, --samples N, --warmup-ms MS, --sample-ms MS, --max-time S,\n"
    "  --threads LIST, --sizes LIST, --param KEY=LIST, --pin CPUS\n"
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
    harness_ab_decision dec;
} ab_bench;

typedef struct ab_state {
    ab_bench *b;
    size_t n, cap;
    size_t rounds;
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

static int write_json(const char *path, const ab_state *s, const char *old_name,
                      const char *new_name, const char commit[2][48], bool git,
                      const char *order, const harness_compare_opts *o) {
    char tmp[1100];
    fmt(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) return -1;
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
        fprintf(f, ", \"rounds_paired\": %zu, \"change\": ", d->rounds);
        json_num(f, d->change);
        fputs(", \"change_ci95\": [", f);
        json_num(f, d->change_lo);
        fputs(", ", f);
        json_num(f, d->change_hi);
        fputs("], \"p\": ", f);
        json_num(f, d->test.p);
        fprintf(f, ", \"test\": \"wilcoxon_signed_rank\", \"exact\": %s, \"verdict\": ",
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
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
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
    printf("%-*s %10s %10s %8s %18s %6s %6s  verdict\n", wid, "benchmark", "old median",
           "new median", "change", "95% CI", "p", "rounds");
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
        harness_fmt_ns(t1, sizeof t1, mo);
        harness_fmt_ns(t2, sizeof t2, mn);
        cell(b->id, wid, false);
        cell(t1, 10, true);
        cell(t2, 10, true);
        if (d->rounds == 0) {
            puts(" (not compared: no round with both sides)");
            continue;
        }
        fmt(t3, sizeof t3, "%+.2f%%", 100 * d->change);
        fmt(t4, sizeof t4, "[%+.1f%%, %+.1f%%]", 100 * d->change_lo, 100 * d->change_hi);
        printf("%8s %18s %6.3f %6zu  %s\n", t3, t4, d->test.p, d->rounds,
               harness_verdict_str(d->verdict));
    }
    free(tmp);
    printf("medians over the rounds; change = median of the per-round ratios NEW/OLD; noise "
           "threshold ±%.1f%%, significance p < %g (Wilcoxon signed-rank over the rounds); "
           "~ = no significant change beyond the threshold\n",
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
                                        "--max-time", "--threads", "--sizes", "--param", "--pin"};

int harness_main_ab(int argc, char **argv) {
    const char *pos[2] = {NULL, NULL}, *json = NULL, *order_s = "abba";
    size_t n_pos = 0, rounds = 16, n_pass = 0;
    char *pass[AB_MAX_PASS];
    bool git = false, have_seed = false;
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
        } else if (strncmp(a, "--order", nl) == 0) {
            if (strcmp(val, "abba") != 0 && strcmp(val, "random") != 0)
                return usage_error("--order expects abba or random, got '%s'", val);
            order_s = val;
        } else if (strncmp(a, "--threshold", nl) == 0) {
            if (!parse_num(val, 0, 1000, &cmp.threshold))
                return usage_error("--threshold expects a percentage, got '%s'", val);
            cmp.threshold /= 100;
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
    ab_state st = {.rounds = rounds};
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
    printf("%zu rounds, order %s\n", rounds, order_s);
    fflush(stdout);
    for (size_t r = 0; r < rounds; r++) {
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

    size_t regressed = 0, improved = 0;
    for (size_t i = 0; i < st.n; i++) {
        harness_compare_opts oi = cmp; /* a bootstrap stream of its own per benchmark */
        oi.seed = cmp.seed + 0x9e3779b97f4a7c15ULL * (i + 1);
        if (harness_ab_decide(&st.b[i].dec, st.b[i].old_ns, st.b[i].new_ns, rounds, &oi) != 0) {
            fprintf(stderr, "kzgkit ab: out of memory\n");
            status = EXIT_RUNTIME;
            goto out;
        }
        regressed += st.b[i].dec.verdict == HARNESS_REGRESSED;
        improved += st.b[i].dec.verdict == HARNESS_IMPROVED;
    }
    putchar('\n');
    print_table(&st, &cmp);
    printf("%zu regressed, %zu improved, %zu compared\n", regressed, improved, st.n);
    if (regressed) status = EXIT_REGRESSED;
    if (json) {
        if (write_json(json, &st, pos[0], pos[1], (const char(*)[48])commit, git, order, &cmp) != 0) {
            fprintf(stderr, "kzgkit ab: cannot write %s: %s\n", json, strerror(errno));
            status = EXIT_RUNTIME;
        } else {
            printf("results: %s\n", json);
        }
    }
out:
    for (size_t k = 0; k < 2; k++)
        if (wt_made[k]) remove_worktree(wt[k]);
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
