/*
 * tools/harness/cli.c — the entry points behind `kzgkit bench`, `kzgkit compare`,
 * `kzgkit analyze` and `kzgkit history` (harness.h). Each parses its own options by hand (no getopt state, so
 * they can be called repeatedly from tests), reports usage errors as one stderr line with
 * exit status 2, and returns 3 when something regressed or a KPI target failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "compare.h"
#include "formats.h"
#include "harness.h"
#include "history.h"
#include "html.h"
#include "icount.h"
#include "runner.h"

#define EXIT_OK 0
#define EXIT_RUNTIME 1
#define EXIT_USAGE 2
#define EXIT_REGRESSED 3

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "kzgkit %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see kzgkit %s --help)\n", cmd);
    return EXIT_USAGE;
}

/* Matches argv[*i] against "--name VALUE" or "--name=VALUE". Returns 1 with *val set, 0 when
 * the option is another one, −1 when the value is missing. */
static int opt_value(int argc, char **argv, int *i, const char *name, const char **val) {
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0) return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != 0) return 0;
    if (*i + 1 >= argc) return -1;
    *val = argv[++*i];
    return 1;
}

static bool parse_double(const char *s, double lo, double hi, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi) return false;
    *out = v;
    return true;
}

static bool parse_u64(const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    if (*s == '-') return false;
    unsigned long long v = strtoull(s, &end, 0);
    if (end == s || *end || errno) return false;
    *out = v;
    return true;
}

static int compile_filter(const char *cmd, const char *re, regex_t *rx) {
    int rc = regcomp(rx, re, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char msg[128];
        regerror(rc, rx, msg, sizeof msg);
        return usage_error(cmd, "--filter '%s': %s", re, msg);
    }
    return 0;
}

static void print_env(FILE *f, const harness_env *e) {
    fprintf(f, "CPU: %s (%d usable of %d online, affinity %s%s) · governor %s · turbo %s · "
               "load %.2f\n",
            e->cpu_model, e->cpus_allowed, e->cpus_online, e->affinity, e->pinned ? ", pinned" : "",
            e->governor, e->turbo, e->load_avg[0]);
    fprintf(f, "Build: %s · %s · git %s · backend %s\n", e->compiler, e->build_type, e->git_revision,
            e->backend);
}

/* The test assumes independent samples; on a loaded or frequency-scaling machine they are
 * not (the load drifts over the run), and verdicts can be false alarms: say so. */
static void warn_noisy(const harness_env *a, const harness_env *b) {
    if (a->n_warnings == 0 && b->n_warnings == 0) return;
    printf("note: %s measured on a machine that looked noisy (%s); a verdict may reflect the "
           "machine, not the code: re-run quiet and pinned to confirm\n",
           a->n_warnings && b->n_warnings ? "both runs were"
           : a->n_warnings                ? "the old run was"
                                          : "the new run was",
           a->n_warnings ? a->warnings[0] : b->warnings[0]);
}

/* ---- bench: instruction counts (icount.h) -------------------------------------------------- */

static void describe(harness_env *env, const harness_suite *suites, size_t n_suites) {
    harness_env_capture(env);
    for (size_t s = 0; s < n_suites; s++)
        if (suites[s].describe_env) suites[s].describe_env(env);
}

/* The re-executed process under callgrind: counts the cases (samples stay 0, the dumps carry
 * the counts) and leaves its results in DIR/child.json for the parent. */
static int count_child(const char *dir, harness_results *res, const harness_case *cases,
                       size_t n_cases, harness_run_opts *ro, const harness_suite *suites,
                       size_t n_suites) {
    char path[1200], err[512];
    if (!harness_under_valgrind()) {
        fprintf(stderr, "kzgkit bench: --icount-child is internal (the run under valgrind)\n");
        return EXIT_USAGE;
    }
    describe(&res->env, suites, n_suites); /* the backend as chosen under valgrind */
    const char *want = getenv("KZGKIT_BACKEND");
    if (want && *want && strcmp(want, "auto") != 0 && strcmp(want, res->env.backend) != 0) {
        fprintf(stderr,
                "kzgkit bench: KZGKIT_BACKEND=%s cannot be counted with callgrind: under valgrind "
                "the CPU it emulates lacks what that backend needs (valgrind 3.19 advertises "
                "neither ADX nor AVX-512), so the library runs %s instead; count it with "
                "--counter perf on a machine with hardware counters\n",
                want, res->env.backend);
        return EXIT_USAGE;
    }
    ro->counter = HARNESS_COUNTER_CALLGRIND;
    ro->progress = false;
    if (harness_run_cases(res, cases, n_cases, ro) != 0) return EXIT_RUNTIME;
    snprintf(path, sizeof path, "%s/child.json", dir);
    if (harness_results_save(path, res, err, sizeof err) != 0) {
        fprintf(stderr, "kzgkit bench: %s\n", err);
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}

/* This process's command line (/proc/self/cmdline) with argv[0] replaced by the executable
 * (/proc/self/exe) and `extra` appended: what the callgrind child runs. NULL on failure. */
static char **self_command(size_t *n_out, char *buf, size_t cap, char *const *extra, size_t n_extra) {
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    ssize_t len = read(fd, buf, cap - 1);
    close(fd);
    if (len <= 0 || (size_t)len >= cap - 1) return NULL;
    buf[len] = 0;
    size_t n = 0;
    for (ssize_t i = 0; i < len; i++) n += buf[i] == 0;
    if (buf[len - 1] != 0) n++;
    char **args = calloc(n + n_extra + 1, sizeof *args);
    static char exe[4096];
    ssize_t el = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (!args || el <= 0) {
        free(args);
        return NULL;
    }
    exe[el] = 0;
    size_t k = 0;
    for (char *p = buf; p < buf + len && k < n; p += strlen(p) + 1) args[k++] = p;
    args[0] = exe;
    for (size_t i = 0; i < n_extra; i++) args[k++] = extra[i];
    *n_out = k;
    return args;
}

static void print_log_tail(const char *dir) {
    char path[1200], line[512];
    snprintf(path, sizeof path, "%s/child.log", dir);
    FILE *f = fopen(path, "r");
    if (!f) return;
    fprintf(stderr, "--- output of the run under valgrind ---\n");
    while (fgets(line, sizeof line, f)) fputs(line, stderr);
    fclose(f);
}

/* Counts the cases with the chosen counter into res (unit instructions, env.counter set).
 * Returns an exit status. */
static int count_parent(harness_results *res, const harness_case *cases, size_t n_cases,
                        harness_run_opts *ro, harness_counter counter, bool cache_sim,
                        const harness_suite *suites, size_t n_suites) {
    char why[256] = "", err[512];
    describe(&res->env, suites, n_suites);
    if (counter != HARNESS_COUNTER_CALLGRIND) {
        bool perf = harness_perf_available(why, sizeof why);
        if (counter == HARNESS_COUNTER_PERF && !perf) {
            fprintf(stderr, "kzgkit bench: --counter perf: %s\n", why);
            return EXIT_RUNTIME;
        }
        if (perf) {
            ro->counter = HARNESS_COUNTER_PERF;
            snprintf(res->env.counter, sizeof res->env.counter, "perf");
            if (cache_sim) fprintf(stderr, "kzgkit bench: note: --cache-sim needs callgrind; ignored\n");
            return harness_run_cases(res, cases, n_cases, ro) == 0 ? EXIT_OK : EXIT_RUNTIME;
        }
    }
    if (!harness_callgrind_built()) {
        fprintf(stderr,
                "kzgkit bench: --measure instructions is unavailable: no hardware instruction "
                "counter (%s), and this build has no callgrind support (<valgrind/callgrind.h> "
                "was missing when it was built: install valgrind and rebuild)\n",
                why[0] ? why : "not tried");
        return EXIT_RUNTIME;
    }
    const char *tmp = getenv("TMPDIR");
    char dir[1024], cmdline[1 << 16];
    snprintf(dir, sizeof dir, "%s/kzgkit-icount.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "kzgkit bench: cannot create a scratch directory: %s\n", strerror(errno));
        return EXIT_RUNTIME;
    }
    char *extra[] = {"--icount-child", dir};
    size_t n_args = 0;
    char **args = self_command(&n_args, cmdline, sizeof cmdline, extra, 2);
    int status = EXIT_RUNTIME;
    if (!args) {
        fprintf(stderr, "kzgkit bench: cannot read this process's command line (/proc/self)\n");
        goto out;
    }
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "counting instructions under callgrind (about 50x slower than native)...\n");
    int rc = harness_cg_spawn(dir, cache_sim, args, n_args, err, sizeof err);
    if (rc != 0) {
        print_log_tail(dir);
        if (rc == 127) fprintf(stderr, "kzgkit bench: valgrind is not installed (Debian: apt-get install valgrind)\n");
        else if (rc < 0) fprintf(stderr, "kzgkit bench: %s\n", err);
        else fprintf(stderr, "kzgkit bench: the run under valgrind failed (status %d)\n", rc);
        if (rc == EXIT_USAGE) status = EXIT_USAGE;
        goto out;
    }
    char path[1200], native[64];
    snprintf(native, sizeof native, "%s", res->env.backend);
    snprintf(path, sizeof path, "%s/child.json", dir);
    harness_results child;
    if (harness_results_load(path, &child, err, sizeof err) != 0) {
        print_log_tail(dir);
        fprintf(stderr, "kzgkit bench: %s\n", err);
        goto out;
    }
    int dirty = res->env.git_dirty; /* the same build, but the file does not carry it */
    harness_results_free(res);
    *res = child;
    res->env.git_dirty = dirty;
    if (harness_cg_collect(dir, res, err, sizeof err) != 0) {
        fprintf(stderr, "kzgkit bench: %s\n", err);
        goto out;
    }
    for (size_t i = 0; i < res->n; i++) {
        harness_result *r = &res->items[i];
        if (r->n_samples && harness_summarize(&r->stats, r->samples_ns, r->n_samples, ro->resamples, ro->seed) != 0)
            snprintf(r->error, sizeof r->error, "cannot summarise the counts (out of memory?)");
    }
    snprintf(res->env.counter, sizeof res->env.counter, "%s",
             cache_sim ? "callgrind --cache-sim=yes" : "callgrind");
    if (strcmp(native, res->env.backend) != 0)
        harness_env_add_warning(&res->env,
                                "backend under valgrind is %s, natively %s (valgrind 3.19 "
                                "advertises neither ADX nor AVX-512)",
                                res->env.backend, native);
    status = EXIT_OK;
out:
    free(args);
    if (!getenv("KZGKIT_KEEP_ICOUNT")) harness_cg_cleanup(dir);
    else fprintf(stderr, "kzgkit bench: callgrind dumps kept in %s\n", dir);
    return status;
}

/* ---- bench ------------------------------------------------------------------------------- */

/* "kzgkit bench ARGS..." as one line (arguments with a space or quote in single quotes), for
 * the history's record of how a run was made. malloc'ed; NULL on allocation failure. */
static char *join_command(int argc, char **argv) {
    size_t cap = 16;
    for (int i = 0; i < argc; i++) cap += 4 * strlen(argv[i]) + 3;
    char *s = malloc(cap), *p = s;
    if (!s) return NULL;
    p += sprintf(p, "kzgkit");
    for (int i = 0; i < argc; i++) {
        bool quote = argv[i][0] == 0 || strpbrk(argv[i], " \t'\"$\\|&;<>()*?") != NULL;
        *p++ = ' ';
        if (quote) *p++ = '\'';
        for (const char *c = argv[i]; *c; c++) {
            if (*c == '\'' && quote) p += sprintf(p, "'\\''");
            else *p++ = *c;
        }
        if (quote) *p++ = '\'';
    }
    *p = 0;
    return s;
}

static const char bench_help[] =
    "usage: kzgkit bench [options]\n"
    "Runs the benchmark suites: warm-up, automatic iteration counts, N samples per case;\n"
    "prints a table (median with its 95% bootstrap interval, mean ± sd, cv, outliers,\n"
    "throughput, allocations, peak RSS). Statistics and the JSON schema: docs/BENCH.md.\n"
    "\n"
    "selection:\n"
    "  --list                 print the benchmark ids and exit\n"
    "  --filter REGEX         run the ids matching REGEX (POSIX extended), e.g. 'commit|size=4096'\n"
    "  --threads LIST         sweep the threads param over LIST (e.g. 1,2,4)\n"
    "  --sizes LIST           sweep the size param over LIST (e.g. 256,1024,4096)\n"
    "  --param KEY=LIST       sweep any param KEY over LIST (repeatable)\n"
    "measurement:\n"
    "  --quick                10 samples of 2 ms after 50 ms warm-up, <= 0.5 s per case\n"
    "  --samples N            samples per case (default 30)\n"
    "  --warmup-ms MS         warm-up time per case (default 500)\n"
    "  --sample-ms MS         target time of one sample (default 10)\n"
    "  --max-time S           soft cap on the sampling time of one case (default 5)\n"
    "  --pin CPUS             restrict the process to CPUS (e.g. 2 or 0,2-3) before measuring\n"
    "  --seed N               seed of the bootstrap resampling\n"
    "  --no-progress          no progress bar (it is only drawn when stderr is a terminal)\n"
    "  --measure WHAT         time (default) or instructions: exact instruction counts per\n"
    "                         operation (docs/BENCH.md, \"Instruction counts\")\n"
    "  --counter C            with --measure instructions: auto (default: perf where the CPU\n"
    "                         counter works, else callgrind), perf or callgrind (valgrind)\n"
    "  --iters N              with --measure instructions: iterations per sample (default 1;\n"
    "                         one warm-up run precedes; --samples defaults to 3)\n"
    "  --cache-sim            with callgrind: simulate the caches (slower): misses, est. cycles\n"
    "output:\n"
    "  --json FILE            write the results as JSON\n"
    "  --format F             format of --json: kzgkit (default, the schema in docs/BENCH.md),\n"
    "                         gbench (Google Benchmark's JSON; times only) or github-action\n"
    "                         (github-action-benchmark's customSmallerIsBetter array)\n"
    "  --html FILE            write a self-contained HTML report with plots\n"
    "  --save-baseline NAME   save the results as baseline NAME ($KZGKIT_BASELINE_DIR or\n"
    "                         .kzgkit/baselines/NAME.json)\n"
    "  --baseline NAME|FILE   compare against a saved baseline; exit 3 if anything regressed\n"
    "  --threshold PCT        noise threshold of the comparison (default 5)\n"
    "  --alpha P              significance level of the comparison (default 0.05)\n"
    "  --kpi                  check the KPI targets after the run; exit 3 if one fails\n"
    "  --targets FILE         KPI targets file (implies --kpi; format in docs/BENCH.md)\n"
    "  --history DB           append the run (commit, environment, every sample) to the SQLite\n"
    "                         history DB, created when absent; see kzgkit history\n"
    "exit status: 0 ok, 1 runtime failure, 2 bad usage, 3 regression or KPI failure\n";

int harness_main_bench(int argc, char **argv, const harness_suite *suites, size_t n_suites) {
    const char *cmd = "bench";
    bool quick = false, list = false, kpi = false;
    const char *filter = NULL, *json = NULL, *html = NULL, *save = NULL, *baseline = NULL;
    const char *targets = NULL, *pin = NULL, *format = NULL, *history = NULL;
    harness_format fmt = HARNESS_FORMAT_KZGKIT;
    harness_override ov[HARNESS_MAX_PARAMS];
    size_t n_ov = 0;
    double samples = -1, warmup_ms = -1, sample_ms = -1, max_time = -1;
    harness_compare_opts cmp = harness_compare_defaults();
    uint64_t seed = 0, count_iters = 1;
    bool have_seed = false, progress = true, cache_sim = false, have_threshold = false;
    harness_measure measure = HARNESS_MEASURE_TIME;
    harness_counter counter = HARNESS_COUNTER_AUTO;
    const char *child_dir = NULL; /* --icount-child DIR: the re-executed run under callgrind */
    bool worker = false;          /* --ab-worker: serve `kzgkit ab` on stdin (runner.h) */

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int r;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(bench_help, stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--quick") == 0) {
            quick = true;
        } else if (strcmp(a, "--list") == 0) {
            list = true;
        } else if (strcmp(a, "--kpi") == 0) {
            kpi = true;
        } else if (strcmp(a, "--no-progress") == 0) {
            progress = false;
        } else if (strcmp(a, "--cache-sim") == 0) {
            cache_sim = true;
        } else if (strcmp(a, "--ab-worker") == 0) {
            worker = true;
        } else if ((r = opt_value(argc, argv, &i, "--measure", &v)) != 0) {
            if (r < 0) goto missing;
            if (strcmp(v, "time") == 0) measure = HARNESS_MEASURE_TIME;
            else if (strcmp(v, "instructions") == 0) measure = HARNESS_MEASURE_INSTRUCTIONS;
            else return usage_error(cmd, "--measure expects time or instructions, got '%s'", v);
        } else if ((r = opt_value(argc, argv, &i, "--counter", &v)) != 0) {
            if (r < 0) goto missing;
            if (strcmp(v, "auto") == 0) counter = HARNESS_COUNTER_AUTO;
            else if (strcmp(v, "perf") == 0) counter = HARNESS_COUNTER_PERF;
            else if (strcmp(v, "callgrind") == 0) counter = HARNESS_COUNTER_CALLGRIND;
            else return usage_error(cmd, "--counter expects auto, perf or callgrind, got '%s'", v);
        } else if ((r = opt_value(argc, argv, &i, "--iters", &v)) != 0) {
            if (r < 0) goto missing;
            if (!parse_u64(v, &count_iters) || count_iters < 1 || count_iters > 1000000000)
                return usage_error(cmd, "--iters expects an integer in 1..1e9, got '%s'", v);
        } else if ((r = opt_value(argc, argv, &i, "--icount-child", &v)) != 0) {
            if (r < 0) goto missing;
            child_dir = v;
        } else if ((r = opt_value(argc, argv, &i, "--filter", &v)) != 0) {
            if (r < 0) goto missing;
            filter = v;
        } else if ((r = opt_value(argc, argv, &i, "--json", &v)) != 0) {
            if (r < 0) goto missing;
            json = v;
        } else if ((r = opt_value(argc, argv, &i, "--format", &v)) != 0) {
            if (r < 0) goto missing;
            if (harness_format_parse(v, &fmt) != 0)
                return usage_error(cmd, "--format expects kzgkit, gbench or github-action, got '%s'", v);
            format = v;
        } else if ((r = opt_value(argc, argv, &i, "--html", &v)) != 0) {
            if (r < 0) goto missing;
            html = v;
        } else if ((r = opt_value(argc, argv, &i, "--save-baseline", &v)) != 0) {
            if (r < 0) goto missing;
            save = v;
        } else if ((r = opt_value(argc, argv, &i, "--baseline", &v)) != 0) {
            if (r < 0) goto missing;
            baseline = v;
        } else if ((r = opt_value(argc, argv, &i, "--targets", &v)) != 0) {
            if (r < 0) goto missing;
            targets = v;
            kpi = true;
        } else if ((r = opt_value(argc, argv, &i, "--pin", &v)) != 0) {
            if (r < 0) goto missing;
            pin = v;
        } else if ((r = opt_value(argc, argv, &i, "--history", &v)) != 0) {
            if (r < 0) goto missing;
            history = v;
        } else if ((r = opt_value(argc, argv, &i, "--threads", &v)) != 0 ||
                   (r = opt_value(argc, argv, &i, "--sizes", &v)) != 0 ||
                   (r = opt_value(argc, argv, &i, "--param", &v)) != 0) {
            if (r < 0) goto missing;
            if (n_ov == HARNESS_MAX_PARAMS) return usage_error(cmd, "too many parameter sweeps");
            const char *key = strcmp(a, "--threads") == 0 || strncmp(a, "--threads=", 10) == 0
                                  ? "threads"
                              : strcmp(a, "--sizes") == 0 || strncmp(a, "--sizes=", 8) == 0
                                  ? "size"
                                  : NULL;
            char kbuf[HARNESS_KEY_MAX];
            const char *list_s = v;
            if (!key) {
                const char *eq = strchr(v, '=');
                if (!eq || eq == v || (size_t)(eq - v) >= sizeof kbuf)
                    return usage_error(cmd, "--param expects KEY=LIST, got '%s'", v);
                memcpy(kbuf, v, (size_t)(eq - v));
                kbuf[eq - v] = 0;
                key = kbuf;
                list_s = eq + 1;
            }
            if (harness_parse_values(&ov[n_ov], key, list_s) != 0)
                return usage_error(cmd, "bad value list '%s' for %s (expected e.g. 1,2,4; at most %d)",
                                   list_s, key, HARNESS_MAX_VALUES);
            n_ov++;
        } else if ((r = opt_value(argc, argv, &i, "--samples", &v)) != 0) {
            if (r < 0) goto missing;
            if (!parse_double(v, 1, 100000, &samples) || samples != floor(samples))
                return usage_error(cmd, "--samples expects an integer in 1..100000, got '%s'", v);
        } else if ((r = opt_value(argc, argv, &i, "--warmup-ms", &v)) != 0) {
            if (r < 0) goto missing;
            if (!parse_double(v, 0, 3.6e6, &warmup_ms))
                return usage_error(cmd, "--warmup-ms expects milliseconds, got '%s'", v);
        } else if ((r = opt_value(argc, argv, &i, "--sample-ms", &v)) != 0) {
            if (r < 0) goto missing;
            if (!parse_double(v, 0.001, 3.6e6, &sample_ms))
                return usage_error(cmd, "--sample-ms expects milliseconds, got '%s'", v);
        } else if ((r = opt_value(argc, argv, &i, "--max-time", &v)) != 0) {
            if (r < 0) goto missing;
            if (!parse_double(v, 0, 86400, &max_time))
                return usage_error(cmd, "--max-time expects seconds, got '%s'", v);
        } else if ((r = opt_value(argc, argv, &i, "--threshold", &v)) != 0) {
            if (r < 0) goto missing;
            if (!parse_double(v, 0, 1000, &cmp.threshold))
                return usage_error(cmd, "--threshold expects a percentage, got '%s'", v);
            cmp.threshold /= 100;
            have_threshold = true;
        } else if ((r = opt_value(argc, argv, &i, "--alpha", &v)) != 0) {
            if (r < 0) goto missing;
            if (!parse_double(v, 1e-9, 0.5, &cmp.alpha))
                return usage_error(cmd, "--alpha expects a probability in (0, 0.5], got '%s'", v);
        } else if ((r = opt_value(argc, argv, &i, "--seed", &v)) != 0) {
            if (r < 0) goto missing;
            if (!parse_u64(v, &seed)) return usage_error(cmd, "--seed expects an integer, got '%s'", v);
            have_seed = true;
        } else {
            return usage_error(cmd, "unknown argument '%s'", a);
        }
        continue;
    missing:
        return usage_error(cmd, "%s needs a value", a);
    }

    if (format && !json) return usage_error(cmd, "--format applies to --json FILE; give one");
    if (fmt == HARNESS_FORMAT_GBENCH && measure == HARNESS_MEASURE_INSTRUCTIONS)
        return usage_error(cmd, "--format gbench holds times; it is not available with "
                                "--measure instructions (use kzgkit or github-action)");
    regex_t rx;
    bool have_rx = false;
    if (filter) {
        if (compile_filter(cmd, filter, &rx) != 0) return EXIT_USAGE;
        have_rx = true;
    }
    char err[512];
    if (pin && harness_pin_cpus(pin, err, sizeof err) != 0) {
        if (have_rx) regfree(&rx);
        fprintf(stderr, "kzgkit bench: %s\n", err);
        return EXIT_USAGE;
    }
    harness_case *cases = NULL;
    size_t n_cases = 0;
    int unused = -1;
    int rc = harness_expand(&cases, &n_cases, suites, n_suites, ov, n_ov, have_rx ? &rx : NULL, &unused);
    if (have_rx) regfree(&rx);
    if (rc != 0) {
        fprintf(stderr, "kzgkit bench: out of memory\n");
        return EXIT_RUNTIME;
    }
    if (unused >= 0) {
        free(cases);
        return usage_error(cmd, "no benchmark has a parameter named '%s'", ov[unused].key);
    }
    if (list) {
        for (size_t i = 0; i < n_cases; i++) printf("%s\n", cases[i].id);
        free(cases);
        return EXIT_OK;
    }
    if (n_cases == 0) {
        free(cases);
        return usage_error(cmd, "no benchmark matches%s%s", filter ? " the filter " : "",
                           filter ? filter : "");
    }

    /* Everything that can fail on bad input is checked before the (long) run. */
    harness_targets tg;
    harness_targets_defaults(&tg);
    char base_path[1024], save_path[1024];
    harness_results base;
    harness_results_init(&base);
    bool have_base = false;
    int status = EXIT_OK;
    harness_results res;
    harness_results_init(&res);
    harness_match *m = NULL;
    size_t n_m = 0;
    harness_history *hist = NULL;
    /* Opened (created) before the run: a foreign or unreadable file fails in a second, not
     * after minutes of measuring. The callgrind child leaves the writing to its parent. */
    if (history && !child_dir && harness_history_open(&hist, history, true, err, sizeof err) != 0) {
        fprintf(stderr, "kzgkit bench: --history: %s\n", err);
        status = EXIT_USAGE;
        goto out;
    }
    if (targets && harness_targets_load(&tg, targets, err, sizeof err) != 0) {
        fprintf(stderr, "kzgkit bench: %s\n", err);
        status = EXIT_USAGE;
        goto out;
    }
    if (baseline) {
        if (harness_baseline_path(baseline, false, base_path, sizeof base_path, err, sizeof err) != 0 ||
            harness_results_load(base_path, &base, err, sizeof err) != 0) {
            fprintf(stderr, "kzgkit bench: baseline: %s\n", err);
            status = EXIT_USAGE;
            goto out;
        }
        have_base = true;
    }
    if (save && harness_baseline_path(save, true, save_path, sizeof save_path, err, sizeof err) != 0) {
        fprintf(stderr, "kzgkit bench: --save-baseline: %s\n", err);
        status = EXIT_USAGE;
        goto out;
    }

    harness_run_opts ro = harness_run_defaults(quick);
    if (samples > 0) ro.samples = (size_t)samples;
    if (ro.min_samples > ro.samples) ro.min_samples = ro.samples;
    if (warmup_ms >= 0) ro.warmup_s = warmup_ms / 1000;
    if (sample_ms > 0) ro.sample_s = sample_ms / 1000;
    if (max_time >= 0) ro.max_s = max_time;
    if (have_seed) ro.seed = seed;
    ro.progress = progress;

    if (worker) {
        if (measure != HARNESS_MEASURE_TIME) {
            status = usage_error(cmd, "--ab-worker measures times");
            goto out;
        }
        if (harness_worker(STDIN_FILENO, cases, n_cases, &ro) != 0) {
            fprintf(stderr, "kzgkit bench: --ab-worker: cannot set up its streams: %s\n", strerror(errno));
            status = EXIT_RUNTIME;
        }
        goto out;
    }

    if (measure == HARNESS_MEASURE_INSTRUCTIONS) {
        if (html) { /* its plots and axes are of times */
            status = usage_error(cmd, "--html shows times; it is not available with --measure instructions");
            goto out;
        }
        ro.measure = HARNESS_MEASURE_INSTRUCTIONS;
        ro.count_iters = count_iters;
        if (samples < 0) ro.samples = 3;
        snprintf(res.unit, sizeof res.unit, "%s", HARNESS_UNIT_INSTRUCTIONS);
        if (child_dir) {
            status = count_child(child_dir, &res, cases, n_cases, &ro, suites, n_suites);
            goto out;
        }
        if (have_base && !harness_results_counts(&base)) {
            fprintf(stderr, "kzgkit bench: baseline %s holds times (unit %s), this run counts "
                            "instructions: results of different units cannot be compared\n",
                    base_path, base.unit);
            status = EXIT_USAGE;
            goto out;
        }
        cmp.counts = true;
        if (!have_threshold) cmp.threshold = HARNESS_COUNT_THRESHOLD;
        status = count_parent(&res, cases, n_cases, &ro, counter, cache_sim, suites, n_suites);
        if (status != EXIT_OK) goto out;
        print_env(stdout, &res.env);
        for (size_t i = 0; i < res.env.n_warnings; i++)
            fprintf(stderr, "warning: %s\n", res.env.warnings[i]);
        goto report;
    }
    if (child_dir || cache_sim || counter != HARNESS_COUNTER_AUTO || count_iters != 1) {
        status = usage_error(cmd, "--counter, --iters and --cache-sim need --measure instructions");
        goto out;
    }
    if (have_base && harness_results_counts(&base)) {
        fprintf(stderr, "kzgkit bench: baseline %s holds instruction counts, this run measures "
                        "time: results of different units cannot be compared\n", base_path);
        status = EXIT_USAGE;
        goto out;
    }

    harness_env_capture(&res.env);
    for (size_t s = 0; s < n_suites; s++)
        if (suites[s].describe_env) suites[s].describe_env(&res.env);
    print_env(stdout, &res.env);
    for (size_t i = 0; i < res.env.n_warnings; i++)
        fprintf(stderr, "warning: %s\n", res.env.warnings[i]);
    fflush(stdout);

    if (harness_run_cases(&res, cases, n_cases, &ro) != 0) {
        fprintf(stderr, "kzgkit bench: the run failed (out of memory or a suite failed to start)\n");
        status = EXIT_RUNTIME;
        goto out;
    }
report:
    putchar('\n');
    harness_print_table(stdout, &res);
    if (have_base) {
        if (harness_match_results(&m, &n_m, &base, &res, &cmp) != 0) {
            fprintf(stderr, "kzgkit bench: out of memory\n");
            status = EXIT_RUNTIME;
            goto out;
        }
        printf("\nAgainst baseline %s:\n", base_path);
        harness_print_comparison(stdout, m, n_m, &cmp);
        if (!cmp.counts) warn_noisy(&base.env, &res.env); /* counts do not depend on load */
        for (size_t i = 0; i < n_m; i++)
            if (m[i].compared && m[i].cmp.verdict == HARNESS_REGRESSED) status = EXIT_REGRESSED;
    }
    if (kpi) {
        putchar('\n');
        harness_kpi_summary ks = harness_kpi_check(stdout, &res, &tg);
        if (ks.fail) status = EXIT_REGRESSED;
    }
    size_t failed = 0;
    for (size_t i = 0; i < res.n; i++) failed += res.items[i].error[0] != 0;
    if (failed)
        fprintf(stderr, "kzgkit bench: %zu of %zu benchmarks failed (see the table)\n", failed,
                res.n);
    putchar('\n');
    if (json) {
        if (harness_format_save(json, &res, fmt, err, sizeof err) != 0) {
            fprintf(stderr, "kzgkit bench: %s\n", err);
            status = EXIT_RUNTIME;
        } else {
            printf("results: %s\n", json);
        }
    }
    if (hist) {
        char *line = join_command(argc, argv);
        int64_t run_id = 0;
        if (!line || harness_history_append(hist, &res, line, &run_id, err, sizeof err) != 0) {
            fprintf(stderr, "kzgkit bench: --history: %s\n", line ? err : "out of memory");
            status = EXIT_RUNTIME;
        } else {
            printf("history: %s (run %lld)\n", history, (long long)run_id);
        }
        free(line);
    }
    if (save) {
        if (harness_results_save(save_path, &res, err, sizeof err) != 0) {
            fprintf(stderr, "kzgkit bench: %s\n", err);
            status = EXIT_RUNTIME;
        } else {
            printf("baseline saved: %s\n", save_path);
        }
    }
    if (html) {
        if (harness_html_save(html, &res, m, n_m, cmp.threshold, err, sizeof err) != 0) {
            fprintf(stderr, "kzgkit bench: %s\n", err);
            status = EXIT_RUNTIME;
        } else {
            printf("report: %s\n", html);
        }
    }
out:
    harness_history_close(hist);
    free(m);
    free(cases);
    harness_results_free(&res);
    harness_results_free(&base);
    return status;
}

/* ---- compare ---------------------------------------------------------------------------- */

static const char compare_help[] =
    "usage: kzgkit compare OLD.json NEW.json [options]\n"
    "Pairs the benchmarks of two result files by name and params and, for each, reports the\n"
    "change in median with its 95% bootstrap interval, the Mann-Whitney U p-value and a\n"
    "verdict: improved, regressed or ~ (no significant change beyond the noise threshold).\n"
    "Either file may also be Google Benchmark JSON (--benchmark_format=json, or kzgkit bench\n"
    "--format gbench): its \"iteration\" entries are the samples.\n"
    "  --threshold PCT   noise threshold (default 5; 0.1 for instruction counts, which are\n"
    "                    compared by their change alone: regressed above +PCT)\n"
    "  --alpha P         significance level (default 0.05)\n"
    "  --filter REGEX    compare only the ids matching REGEX\n"
    "  --html FILE       write the NEW results as an HTML report with the comparison chart\n"
    "  --seed N          seed of the bootstrap resampling\n"
    "exit status: 0 nothing regressed, 2 bad usage or unreadable file, 3 something regressed\n";

static void filter_results(harness_results *r, const regex_t *rx) {
    size_t k = 0;
    char id[512];
    for (size_t i = 0; i < r->n; i++) {
        harness_result_id(&r->items[i], id, sizeof id);
        if (regexec(rx, id, 0, NULL, 0) == 0) r->items[k++] = r->items[i];
        else free(r->items[i].samples_ns);
    }
    r->n = k;
}

int harness_main_compare(int argc, char **argv) {
    const char *cmd = "compare";
    const char *files[2] = {NULL, NULL}, *filter = NULL, *html = NULL;
    size_t n_files = 0;
    bool have_threshold = false;
    harness_compare_opts cmp = harness_compare_defaults();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int r;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(compare_help, stdout);
            return EXIT_OK;
        } else if ((r = opt_value(argc, argv, &i, "--threshold", &v)) != 0) {
            if (r < 0 || !parse_double(v, 0, 1000, &cmp.threshold))
                return usage_error(cmd, "--threshold expects a percentage");
            cmp.threshold /= 100;
            have_threshold = true;
        } else if ((r = opt_value(argc, argv, &i, "--alpha", &v)) != 0) {
            if (r < 0 || !parse_double(v, 1e-9, 0.5, &cmp.alpha))
                return usage_error(cmd, "--alpha expects a probability in (0, 0.5]");
        } else if ((r = opt_value(argc, argv, &i, "--filter", &v)) != 0) {
            if (r < 0) return usage_error(cmd, "--filter needs a value");
            filter = v;
        } else if ((r = opt_value(argc, argv, &i, "--html", &v)) != 0) {
            if (r < 0) return usage_error(cmd, "--html needs a value");
            html = v;
        } else if ((r = opt_value(argc, argv, &i, "--seed", &v)) != 0) {
            if (r < 0 || !parse_u64(v, &cmp.seed)) return usage_error(cmd, "--seed expects an integer");
        } else if (a[0] == '-' && a[1]) {
            return usage_error(cmd, "unknown option '%s'", a);
        } else if (n_files < 2) {
            files[n_files++] = a;
        } else {
            return usage_error(cmd, "expected two result files, got a third: '%s'", a);
        }
    }
    if (n_files != 2) return usage_error(cmd, "expected two result files (OLD.json NEW.json)");
    regex_t rx;
    if (filter && compile_filter(cmd, filter, &rx) != 0) return EXIT_USAGE;
    harness_results ra, rb;
    char err[512];
    int status = EXIT_OK;
    harness_match *m = NULL;
    size_t n_m = 0;
    harness_results_init(&rb);
    if (harness_results_load(files[0], &ra, err, sizeof err) != 0 ||
        harness_results_load(files[1], &rb, err, sizeof err) != 0) {
        fprintf(stderr, "kzgkit compare: %s\n", err);
        status = EXIT_USAGE;
        goto out;
    }
    if (strcmp(ra.unit, rb.unit) != 0) {
        fprintf(stderr, "kzgkit compare: %s holds %s, %s holds %s: results of different units "
                        "cannot be compared\n", files[0], ra.unit, files[1], rb.unit);
        status = EXIT_USAGE;
        goto out;
    }
    if (harness_results_counts(&rb)) {
        if (html) { /* its plots and axes are of times */
            fprintf(stderr, "kzgkit compare: --html shows times; %s holds instruction counts\n", files[1]);
            status = EXIT_USAGE;
            goto out;
        }
        cmp.counts = true;
        if (!have_threshold) cmp.threshold = HARNESS_COUNT_THRESHOLD;
    }
    if (filter) {
        filter_results(&ra, &rx);
        filter_results(&rb, &rx);
    }
    if (harness_match_results(&m, &n_m, &ra, &rb, &cmp) != 0) {
        fprintf(stderr, "kzgkit compare: out of memory\n");
        status = EXIT_RUNTIME;
        goto out;
    }
    printf("old: %s (%s, git %s)\nnew: %s (%s, git %s)\n\n", files[0], ra.env.date,
           ra.env.git_revision, files[1], rb.env.date, rb.env.git_revision);
    harness_print_comparison(stdout, m, n_m, &cmp);
    if (!cmp.counts) warn_noisy(&ra.env, &rb.env); /* counts do not depend on load */
    /* "compared" counts the benchmarks present in both files with samples on both sides;
     * the others are named apart, not folded into it. */
    size_t regressed = 0, improved = 0, compared = 0, only_a = 0, only_b = 0, no_samples = 0;
    for (size_t i = 0; i < n_m; i++) {
        only_a += !m[i].b;
        only_b += !m[i].a;
        if (!m[i].compared) {
            no_samples += m[i].a && m[i].b;
            continue;
        }
        compared++;
        regressed += m[i].cmp.verdict == HARNESS_REGRESSED;
        improved += m[i].cmp.verdict == HARNESS_IMPROVED;
    }
    printf("%zu regressed, %zu improved, %zu compared", regressed, improved, compared);
    if (only_a || only_b) printf("; %zu only in old, %zu only in new", only_a, only_b);
    if (no_samples) printf("; %zu not compared (a side has no samples)", no_samples);
    putchar('\n');
    if (regressed) status = EXIT_REGRESSED;
    if (html) {
        if (harness_html_save(html, &rb, m, n_m, cmp.threshold, err, sizeof err) != 0) {
            fprintf(stderr, "kzgkit compare: %s\n", err);
            status = EXIT_RUNTIME;
        } else {
            printf("report: %s\n", html);
        }
    }
out:
    if (filter) regfree(&rx);
    free(m);
    harness_results_free(&ra);
    harness_results_free(&rb);
    return status;
}

/* ---- analyze ---------------------------------------------------------------------------- */

static const char analyze_help[] =
    "usage: kzgkit analyze RESULT.json [options]\n"
    "Finds bottlenecks (high variance, spikes, long tails, poor thread scaling), turns them\n"
    "into recommendations with their evidence, summarises the change against a baseline\n"
    "(latency, throughput, memory) and checks the KPI targets.\n"
    "  --baseline NAME|FILE  before/after against a saved baseline or a result file\n"
    "  --targets FILE        KPI targets (defaults and format in docs/BENCH.md)\n"
    "  --no-kpi              skip the KPI check\n"
    "  --cv-threshold PCT    coefficient of variation above which a benchmark is noisy (default 5)\n"
    "  --threshold PCT       noise threshold of the comparison (default 5)\n"
    "exit status: 0 ok, 2 bad usage or unreadable file, 3 a regression or a failed KPI\n";

int harness_main_analyze(int argc, char **argv) {
    const char *cmd = "analyze";
    const char *file = NULL, *baseline = NULL, *targets = NULL;
    bool kpi = true;
    harness_analyze_opts ao = harness_analyze_defaults();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int r;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(analyze_help, stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--no-kpi") == 0) {
            kpi = false;
        } else if ((r = opt_value(argc, argv, &i, "--baseline", &v)) != 0) {
            if (r < 0) return usage_error(cmd, "--baseline needs a value");
            baseline = v;
        } else if ((r = opt_value(argc, argv, &i, "--targets", &v)) != 0) {
            if (r < 0) return usage_error(cmd, "--targets needs a value");
            targets = v;
        } else if ((r = opt_value(argc, argv, &i, "--cv-threshold", &v)) != 0) {
            if (r < 0 || !parse_double(v, 0, 1000, &ao.cv_threshold))
                return usage_error(cmd, "--cv-threshold expects a percentage");
            ao.cv_threshold /= 100;
        } else if ((r = opt_value(argc, argv, &i, "--threshold", &v)) != 0) {
            if (r < 0 || !parse_double(v, 0, 1000, &ao.cmp.threshold))
                return usage_error(cmd, "--threshold expects a percentage");
            ao.cmp.threshold /= 100;
        } else if (a[0] == '-' && a[1]) {
            return usage_error(cmd, "unknown option '%s'", a);
        } else if (!file) {
            file = a;
        } else {
            return usage_error(cmd, "expected one result file, got a second: '%s'", a);
        }
    }
    if (!file) return usage_error(cmd, "expected a result file");
    harness_results r, base;
    harness_results_init(&base);
    harness_targets tg;
    harness_targets_defaults(&tg);
    char err[512], base_path[1024];
    int status = EXIT_OK;
    harness_analysis an = {0};
    harness_match *m = NULL;
    size_t n_m = 0;
    if (harness_results_load(file, &r, err, sizeof err) != 0) {
        fprintf(stderr, "kzgkit analyze: %s\n", err);
        return EXIT_USAGE;
    }
    if (harness_results_counts(&r)) { /* its findings and KPIs are about times and variance */
        fprintf(stderr, "kzgkit analyze: %s holds instruction counts; analyze reads time results "
                        "(compare two count files with kzgkit compare)\n", file);
        harness_results_free(&r);
        return EXIT_USAGE;
    }
    if (targets && harness_targets_load(&tg, targets, err, sizeof err) != 0) {
        fprintf(stderr, "kzgkit analyze: %s\n", err);
        status = EXIT_USAGE;
        goto out;
    }
    if (baseline &&
        (harness_baseline_path(baseline, false, base_path, sizeof base_path, err, sizeof err) != 0 ||
         harness_results_load(base_path, &base, err, sizeof err) != 0)) {
        fprintf(stderr, "kzgkit analyze: baseline: %s\n", err);
        status = EXIT_USAGE;
        goto out;
    }
    printf("Analysis of %s (%zu benchmarks, %s)\n", file, r.n, r.env.date);
    print_env(stdout, &r.env);
    if (harness_analyze(&an, &r, &ao) != 0) {
        fprintf(stderr, "kzgkit analyze: out of memory\n");
        status = EXIT_RUNTIME;
        goto out;
    }
    puts("\nFindings:");
    harness_analysis_print(stdout, &an);
    if (baseline) {
        if (harness_match_results(&m, &n_m, &base, &r, &ao.cmp) != 0) {
            fprintf(stderr, "kzgkit analyze: out of memory\n");
            status = EXIT_RUNTIME;
            goto out;
        }
        printf("\nAgainst %s:\n", base_path);
        if (harness_print_before_after(stdout, m, n_m) > 0) status = EXIT_REGRESSED;
    }
    if (kpi) {
        putchar('\n');
        harness_kpi_summary ks = harness_kpi_check(stdout, &r, &tg);
        if (ks.fail) status = EXIT_REGRESSED;
    }
out:
    free(m);
    harness_analysis_free(&an);
    harness_results_free(&r);
    harness_results_free(&base);
    return status;
}

/* ---- history ------------------------------------------------------------------------------ */

static const char history_help[] =
    "usage: kzgkit history DB [options]\n"
    "Each benchmark's trend across the runs recorded by kzgkit bench --history DB: one row per\n"
    "benchmark (runs, first and last median, total and latest change, a sparkline of the last\n"
    "16 runs, the change points). Change points (docs/BENCH.md, \"History\"): a window of K\n"
    "run medians before a run against the K from it on, Mann-Whitney U p < 0.05 and a change\n"
    "of the window medians of at least the threshold, the strongest of neighbouring ones;\n"
    "for instruction counts any step between consecutive runs above the count threshold.\n"
    "  --filter REGEX          only the benchmark ids matching REGEX\n"
    "  --window K              runs on each side of a change point (default 5, at least 2)\n"
    "  --threshold PCT         smallest change of times reported (default 5)\n"
    "  --count-threshold PCT   smallest change of instruction counts reported (default 0.1)\n"
    "  --json FILE             write the runs, series and change points as JSON ('-': stdout)\n"
    "  --html FILE             write an HTML page of trend plots (self-contained)\n"
    "  --check                 only check the database: integrity, and that every run has all\n"
    "                          its results and samples\n"
    "  --fail-on-change        exit 3 when the last change point of some benchmark is a\n"
    "                          regression (slower, or more instructions)\n"
    "exit status: 0 ok, 1 cannot write an output, 2 bad usage or unreadable/foreign DB (or\n"
    "--check found damage), 3 with --fail-on-change as above\n";

static int write_history_json(FILE *f, const void *d) { return harness_history_write_json(f, d); }
static int write_history_html(FILE *f, const void *d) { return harness_history_write_html(f, d); }

int harness_main_history(int argc, char **argv) {
    const char *cmd = "history";
    const char *db = NULL, *filter = NULL, *json = NULL, *html = NULL;
    bool check = false, fail_on_change = false;
    double window = HARNESS_HISTORY_WINDOW, threshold = 0.05, count_threshold = HARNESS_COUNT_THRESHOLD;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int r;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(history_help, stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--check") == 0) {
            check = true;
        } else if (strcmp(a, "--fail-on-change") == 0) {
            fail_on_change = true;
        } else if ((r = opt_value(argc, argv, &i, "--filter", &v)) != 0) {
            if (r < 0) return usage_error(cmd, "--filter needs a value");
            filter = v;
        } else if ((r = opt_value(argc, argv, &i, "--json", &v)) != 0) {
            if (r < 0) return usage_error(cmd, "--json needs a value");
            json = v;
        } else if ((r = opt_value(argc, argv, &i, "--html", &v)) != 0) {
            if (r < 0) return usage_error(cmd, "--html needs a value");
            html = v;
        } else if ((r = opt_value(argc, argv, &i, "--window", &v)) != 0) {
            if (r < 0 || !parse_double(v, 2, 1000, &window) || window != floor(window))
                return usage_error(cmd, "--window expects an integer in 2..1000");
        } else if ((r = opt_value(argc, argv, &i, "--threshold", &v)) != 0) {
            if (r < 0 || !parse_double(v, 0, 1000, &threshold))
                return usage_error(cmd, "--threshold expects a percentage");
            threshold /= 100;
        } else if ((r = opt_value(argc, argv, &i, "--count-threshold", &v)) != 0) {
            if (r < 0 || !parse_double(v, 0, 1000, &count_threshold))
                return usage_error(cmd, "--count-threshold expects a percentage");
            count_threshold /= 100;
        } else if (a[0] == '-' && a[1]) {
            return usage_error(cmd, "unknown option '%s'", a);
        } else if (!db) {
            db = a;
        } else {
            return usage_error(cmd, "expected one database, got a second: '%s'", a);
        }
    }
    if (!db) return usage_error(cmd, "expected a history database (written by bench --history)");
    regex_t rx;
    if (filter && compile_filter(cmd, filter, &rx) != 0) return EXIT_USAGE;
    char err[1024];
    int status = EXIT_OK;
    harness_history *h = NULL;
    harness_history_data d = {0};
    if (harness_history_open(&h, db, false, err, sizeof err) != 0) {
        fprintf(stderr, "kzgkit history: %s\n", err);
        status = EXIT_USAGE;
        goto out;
    }
    if (check) {
        bool ok = harness_history_check(h, err, sizeof err) == 0;
        fprintf(ok ? stdout : stderr, "%s%s\n", ok ? "" : "kzgkit history: ", err);
        status = ok ? EXIT_OK : EXIT_USAGE;
        goto out;
    }
    if (harness_history_load(h, filter ? &rx : NULL, &d, err, sizeof err) != 0) {
        fprintf(stderr, "kzgkit history: %s\n", err);
        status = EXIT_USAGE;
        goto out;
    }
    if (harness_history_analyze(&d, (size_t)window, threshold, count_threshold) != 0) {
        fprintf(stderr, "kzgkit history: out of memory\n");
        status = EXIT_RUNTIME;
        goto out;
    }
    bool json_stdout = json && strcmp(json, "-") == 0;
    if (json_stdout) {
        if (harness_history_write_json(stdout, &d) != 0 || fflush(stdout) != 0) {
            fprintf(stderr, "kzgkit history: cannot write the JSON to stdout\n");
            status = EXIT_RUNTIME;
        }
    } else {
        harness_history_print(stdout, &d);
    }
    if (json && !json_stdout) {
        if (harness_write_atomic(json, write_history_json, &d, err, sizeof err) != 0) {
            fprintf(stderr, "kzgkit history: %s\n", err);
            status = EXIT_RUNTIME;
        } else {
            printf("json: %s\n", json);
        }
    }
    if (html) {
        if (harness_write_atomic(html, write_history_html, &d, err, sizeof err) != 0) {
            fprintf(stderr, "kzgkit history: %s\n", err);
            status = EXIT_RUNTIME;
        } else if (!json_stdout) {
            printf("page: %s\n", html);
        }
    }
    if (status == EXIT_OK && fail_on_change && harness_history_regressed(&d)) status = EXIT_REGRESSED;
out:
    if (filter) regfree(&rx);
    harness_history_data_free(&d);
    harness_history_close(h);
    return status;
}
