/* tools/kzgkit/main.c — command table, usage and help, global options, `info`. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/backend.h"
#include "backend/cpu.h"
#include "cli.h"
#include "eip4844/inject.h"
#include "runtime/numa.h"

static int cmd_info(cli_global *g, int argc, char **argv);

typedef struct command {
    const char *name;
    int (*run)(cli_global *g, int argc, char **argv);
    const char *args;    /* synopsis after the name */
    const char *summary; /* one line for the top-level usage */
    const char *help;    /* the rest of `kzgkit CMD --help` */
    bool remote;         /* takes --remote URL (through cli_ops) */
} command;

static const command commands[] = {
    {"commit", cmd_commit, "BLOB", "the KZG commitment to a blob",
     "Prints the commitment (48 bytes, 0x-hex).", true},
    {"prove", cmd_prove, "BLOB Z", "the proof of the blob's polynomial at Z, and y",
     "Prints two lines: the proof (48 bytes), then y = p(Z) (32 bytes).", true},
    {"prove-blob", cmd_prove_blob, "BLOB COMMITMENT", "the blob proof (EIP-4844 sidecars)",
     "Prints the proof at the Fiat-Shamir challenge of BLOB and COMMITMENT.", true},
    {"verify", cmd_verify, "COMMITMENT Z Y PROOF", "checks a proof at a point",
     "Prints true (exit 0) or false (exit 1).", true},
    {"verify-blob", cmd_verify_blob, "BLOB COMMITMENT PROOF", "checks a blob proof",
     "Prints true (exit 0) or false (exit 1).", true},
    {"verify-blob-batch", cmd_verify_blob_batch, "LIST", "checks many blob proofs at once",
     "LIST is a file with one 'BLOB COMMITMENT PROOF' per line (BLOB: a path or 0x-hex);\n"
     "blank lines and lines starting with # are ignored. Prints true (exit 0) or false\n"
     "(exit 1).", true},
    {"cells", cmd_cells, "[--no-proofs] BLOB", "the 128 cells of the extended blob and their proofs",
     "Prints 128 lines, one per cell index: 'INDEX CELL PROOF' (INDEX 0..127 in decimal,\n"
     "CELL 2048 bytes, PROOF 48 bytes, both 0x-hex), the EIP-7594 cells and their KZG\n"
     "proofs (compute_cells_and_kzg_proofs).\n"
     "  --no-proofs   'INDEX CELL' only (compute_cells: no group operations, much faster)\n"
     "Into recover (any 64 or more cells, e.g. the even ones), and into verify-cells:\n"
     "  kzgkit cells BLOB | awk '$1 % 2 == 0 {print $1, $2}' >half.txt\n"
     "  kzgkit cells BLOB | awk -v c=\"$(kzgkit commit BLOB)\" '{print c, $1, $2, $3}' >list.txt", true},
    {"verify-cells", cmd_verify_cells, "LIST", "checks many cell proofs at once",
     "LIST is a file with one 'COMMITMENT INDEX CELL PROOF' per line (INDEX 0..127 in\n"
     "decimal, the rest 0x-hex); blank lines and lines starting with # are ignored. The\n"
     "cells may come from different blobs and repeat. Prints true (exit 0) or false\n"
     "(exit 1); an empty LIST is true.", true},
    {"recover", cmd_recover, "[--no-proofs] LIST", "all 128 cells and proofs from half of them",
     "LIST is a file with one 'INDEX CELL' per line: at least 64 distinct cells of one\n"
     "blob, indices (0..127, decimal) ascending; blank lines and # comments are ignored.\n"
     "Prints the 128 cells and proofs in the format of `kzgkit cells` ('INDEX CELL PROOF').\n"
     "  --no-proofs   'INDEX CELL' only (recover_cells: no group operations)\n"
     "From `kzgkit cells` output: awk '$1 % 2 == 0 {print $1, $2}' keeps the even cells.", true},
    {"info", cmd_info, "", "version, backend, setup, threads",
     "Creates the context (so a --setup file is loaded and validated) and describes it.", false},
    {"check-vectors", cmd_check_vectors, "[-v] DIR", "runs the consensus-spec reference tests",
     "DIR holds FUNCTION/SUITE/CASE/data.yaml (the consensus-specs layout). Every case of\n"
     "every implemented function is run; the others are reported as skipped.\n"
     "  -v, --verbose   list every case\n"
     "Exit 0 when every case passes, 1 when any fails or cannot be read.", true},
    {"demo", cmd_demo, "[--count N] [--seed S]", "commit, prove, verify, batch-verify random blobs",
     "Random blobs through every EIP-4844 operation, with results and timings (ms).\n"
     "  --count N   number of blobs (default 4, at most 1024)\n"
     "  --seed S    fixed seed (default: from the clock; printed either way)\n"
     "Exit 0 when every verification gives the expected answer, 1 otherwise.", false},
    {"bench", cmd_bench, "[OPTIONS]", "benchmarks with statistics, baselines, JSON and HTML",
     "Suites: eip4844 (every operation, swept over threads), eip7594 (cells, cell proofs\n"
     "with FK20 table_bits 0/8, cell verification, recovery), primitives (field, curve,\n"
     "pairing, MSM by size). `kzgkit bench --help` lists the options (--quick, --filter,\n"
     "--json, --html, --save-baseline, --baseline, --kpi, --history, ...). Exit 3 on a\n"
     "regression.", false},
    {"compare", cmd_compare, "A.json B.json", "B against A: change, interval, significance",
     "Exit 3 when any benchmark regressed (see docs/BENCH.md for the rule).", false},
    {"ab", cmd_ab, "OLD NEW [OPTIONS]", "paired, interleaved A/B of two builds or git revisions",
     "Runs OLD and NEW (kzgkit executables, or with --git two revisions it builds) in\n"
     "alternating rounds of short benchmark runs and judges the per-round ratios, so that\n"
     "the machine's drift cancels. `kzgkit ab --help` lists the options (--rounds, --git,\n"
     "--filter, --json, ...). Exit 3 on a regression (rule: docs/BENCH.md, Paired A/B).", false},
    {"workload", cmd_workload, "[--blobs N] [--batch B] [--repeat PCT]",
     "a repeating blob stream through the batch processor",
     "Blobs stream through kzg_processor_run in calls of B (default 16); PCT% (default 50)\n"
     "of them repeat one of the last 32 distinct blobs, as when a blob reaches a node from\n"
     "several peers. Prints duplicates, cache hits, hit rate, throughput and call-latency\n"
     "percentiles.\n"
     "  --blobs N       blobs in the stream (default 64)\n"
     "  --cache-mb M    result-cache budget (default 64; 0 = in-call dedup only)\n"
     "  --seed S        stream seed (default 1)\n"
     "  --prometheus    also print the processor's metrics (Prometheus text format)", false},
    {"tune", cmd_tune, "[--quick] [--only GROUPS] [--rounds N] [--output FILE]",
     "measures the speed knobs, writes a tuning profile",
     "Measures the arithmetic backend, MSM windows, threads, table_window and the batch\n"
     "threshold on this machine and writes a profile (default ~/.config/kzgkit/profile.txt)\n"
     "that contexts load with KZGKIT_PROFILE=FILE or kzg_ctx_options.profile_path; with\n"
     "KZGKIT_PROFILE set, kzgkit also selects the profile's backend_pick unless\n"
     "KZGKIT_BACKEND is set (docs/TUNING.md). Prints every measurement with the pick marked\n"
     "'*'; exit 1 if a pick were over 5% from the best.\n"
     "  --quick         fewer configurations and runs (well under a minute)\n"
     "  --only GROUPS   measure only these, comma-separated: backend, msm, threads, tables,\n"
     "                  batch (default: all)\n"
     "  --rounds N      runs per configuration (default 7 with --quick, else 21)\n"
     "  --output FILE   where to write the profile", false},
    {"serve", cmd_serve,
     "[--listen ADDR:PORT] [OPTIONS]",
     "KZG as an HTTP service (docs/SERVICE.md)",
     "POST /v1/FUNCTION for every consensus-spec function (blob_to_kzg_commitment ...\n"
     "recover_cells_and_kzg_proofs) and process_blobs (the batch processor): a JSON body is a\n"
     "reference test case's input object and the answer {\"output\": ...} its output; an\n"
     "application/octet-stream body uses the fixed binary layouts of docs/SERVICE.md. Bad\n"
     "input: 400 {\"error\": \"KZG_ERR_...\", \"message\": ...}. GET /healthz, /readyz, /metrics\n"
     "(Prometheus). SIGTERM or SIGINT: finish the accepted requests, exit 0.\n"
     "  --listen ADDR:PORT     where to listen (default 127.0.0.1:8484; [::1]:PORT for IPv6;\n"
     "                         port 0 picks a free one)\n"
     "  --threads N            requests computed at once (default: the CPUs online)\n"
     "  --max-body B           largest request body (default 64M; K, M, G suffixes): else 413\n"
     "  --max-batch N          most blobs in one request, N x 128 cells (default 64): else 413\n"
     "  --queue N              requests that may wait for a worker (default 64): else 429\n"
     "  --cache B              result caches in bytes, half for single operations, half for\n"
     "                         process_blobs (default 0: none)\n"
     "  --token-file F         require 'Authorization: Bearer TOKEN' (F holds TOKEN, one line,\n"
     "                         >= 16 characters) on /v1 and /metrics: else 401 or 403\n"
     "  --request-timeout S    a request's body must arrive, and a queued request start,\n"
     "                         within S seconds (default 60)\n"
     "  --idle-timeout S       close connections idle for S seconds (default 30)\n"
     "  --max-connections N    open connections at most (default 256)\n"
     "  --drain-timeout S      on SIGTERM wait at most S seconds for accepted requests\n"
     "                         (default 30; exit 1 if they have not finished)\n"
     "  --port-file F          write the port listened on to F once ready", false},
    {"loadgen", cmd_loadgen, "URL [OPTIONS]", "load and correctness test of a kzgkit serve",
     "Precomputes N random blobs and every answer it will expect (with the embedded setup,\n"
     "or --setup), then sends requests to the service at URL from C connections and\n"
     "reports, per request kind, requests, ok, wrong, failed, HTTP codes and p50/p99\n"
     "latency, the totals, and its own CPU time. Only the answers are compared at run time.\n"
     "  --duration S      stop after S seconds (at most 86400; default 10, or 86400 when\n"
     "                    --requests is given)\n"
     "  --requests N      stop after N requests (whichever of the two comes first)\n"
     "  --rate R          open loop: R requests/s in total, on a fixed schedule; latency is\n"
     "                    counted from each request's scheduled time (default: closed loop,\n"
     "                    each connection sends as soon as its last answer came)\n"
     "  --connections C   connections, one thread each (default 2, at most 256)\n"
     "  --mix SPEC        KIND=WEIGHT,... over commit, prove, prove-blob, verify, verify-blob,\n"
     "                    verify-batch, cells, compute-cells, verify-cells, recover, process,\n"
     "                    malformed (a bad request: wrong length, non-canonical element, bad\n"
     "                    point, bad JSON; expects 400 and the right error name). Default:\n"
     "                    commit=4,prove=1,prove-blob=2,verify=2,verify-blob=6,verify-batch=1,\n"
     "                    cells=1,verify-cells=1,recover=1,malformed=1\n"
     "  --verify          compare every answer byte for byte with the precomputed one\n"
     "                    (otherwise the status and the size only)\n"
     "  --json-bodies     send JSON bodies (the reference tests' input objects), not binary\n"
     "  --retries K       after no answer, 429, 502 or 503, try again up to K times (default\n"
     "                    0), waiting Retry-After (at most 1 s) or 50 ms doubling\n"
     "  --blobs N         distinct blobs (default 8, at most 256)\n"
     "  --seed S          the blobs' seed (default 1)\n"
     "  --json FILE       everything as JSON, with a per-second timeline\n"
     "A wrong answer is printed with its request kind and endpoint. Token: $KZGKIT_TOKEN or\n"
     "$KZGKIT_TOKEN_FILE. Exit 0 when no answer was wrong and no request failed, 1\n"
     "otherwise, 2 on a usage error.", false},
    {"analyze", cmd_analyze, "RESULT.json [--baseline B.json]", "bottlenecks, advice, KPI check",
     "Exit 3 when a KPI target fails.", false},
    {"history", cmd_history, "DB [OPTIONS]", "trends and change points of recorded runs",
     "DB is a SQLite file written by `kzgkit bench --history DB`. One row per benchmark:\n"
     "runs, first and last median, latest change, a sparkline and the change points\n"
     "(method: docs/BENCH.md, History). `kzgkit history --help` lists the options\n"
     "(--filter, --json, --html, --window, --threshold, --check, --fail-on-change).", false},
};

static const command *find_command(const char *name) {
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

static const char global_help[] =
    "Global options (before or after the command):\n"
    "  --setup FILE   load a trusted setup (c-kzg .txt or .json) instead of the embedded one\n"
    "  --threads N    threads for MSMs and batch operations, the caller included (default:\n"
    "                 $KZGKIT_THREADS, else 0: caller only)\n"
    "  --numa P       NUMA placement of those threads: auto (place on a machine with 2 or\n"
    "                 more nodes), off, or on (place even on one node); default $KZGKIT_NUMA,\n"
    "                 else auto. `kzgkit info` shows the topology and the placement\n"
    "  --metrics      record every operation and print the metrics (Prometheus text format)\n"
    "                 on stdout when the command ends; any command, anywhere before --\n"    "  --remote URL   compute on the `kzgkit serve` at URL instead of here (commit, prove,\n"
    "                 prove-blob, verify, verify-blob, verify-blob-batch, cells, verify-cells,\n"
    "                 recover, check-vectors): same output, same exit codes; no answer or an\n"
    "                 HTTP error other than 400 exits 2. Token: $KZGKIT_TOKEN or the file\n"
    "                 named by $KZGKIT_TOKEN_FILE. Anywhere before --\n"
    "  -h, --help     help\n"
    "Inputs: BLOB is a file of 131072 raw bytes or of 0x-hex text (whitespace ignored); in\n"
    "a LIST it may also be the 0x-hex itself. COMMITMENT and PROOF are 48 bytes, Z and Y 32\n"
    "bytes, CELL 2048 bytes, in 0x-hex; a cell INDEX is decimal. Outputs are 0x-prefixed\n"
    "lowercase hex, or true/false.\n"
    "Exit status: 0 success or true, 1 false, 2 bad input or usage (one line on stderr).\n";

static void usage(FILE *f) {
    fprintf(f, "kzgkit %s — KZG commitments over BLS12-381 (EIP-4844, EIP-7594)\n\n", kzg_version());
    fprintf(f, "Usage: kzgkit [--setup FILE] [--threads N] [--remote URL] COMMAND [ARGS]\n\nCommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        char left[64];
        snprintf(left, sizeof left, "%s %s", commands[i].name, commands[i].args);
        fprintf(f, "  %-44s %s\n", left, commands[i].summary);
    }
    fprintf(f, "\n%s\nkzgkit COMMAND --help describes a command.\n", global_help);
}

int cli_help(const char *cmd) {
    const command *c = find_command(cmd);
    if (!c) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    printf("Usage: kzgkit %s %s\n\n%s — %s.\n%s\n\n%s", c->name, c->args, c->name, c->summary,
           c->help, global_help);
    return CLI_EXIT_OK;
}

int cli_parse_positional(cli_global *g, const char *cmd, int argc, char **argv,
                         const char **pos, int min_pos, int max_pos, int *n_pos) {
    bool only_positional = false;
    *n_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_positional && a[0] == '-' && a[1] != '\0') {
            int r;
            if (strcmp(a, "--") == 0) {
                only_positional = true;
                continue;
            }
            if (cli_is_help(a)) return cli_help(cmd);
            r = cli_global_option(g, cmd, argc, argv, &i);
            if (r < 0) return CLI_EXIT_BAD;
            if (r == 0) return cli_fail(cmd, "unknown option '%s' (see kzgkit %s --help)", a, cmd);
            continue;
        }
        if (*n_pos >= max_pos)
            return cli_fail(cmd, "too many arguments: expected %s%d (see kzgkit %s --help)",
                            min_pos == max_pos ? "" : "at most ", max_pos, cmd);
        pos[(*n_pos)++] = a;
    }
    if (*n_pos < min_pos) {
        const command *c = find_command(cmd);
        return cli_fail(cmd, "expected %d argument%s (%s), got %d", min_pos,
                        min_pos == 1 ? "" : "s", c ? c->args : "", *n_pos);
    }
    return CLI_RUN;
}

static int cmd_info(cli_global *g, int argc, char **argv) {
    const char *pos[1];
    int n, rc = cli_parse_positional(g, "info", argc, argv, pos, 0, 0, &n);
    char setup[512];
    kzg_ctx *ctx;
    double t0, t1;
    long cpus;
    if (rc != CLI_RUN) return rc;
    t0 = cli_now_ms();
    ctx = cli_ctx_open(g, "info");
    t1 = cli_now_ms();
    if (!ctx) return CLI_EXIT_BAD;
    cli_setup_describe(g, setup, sizeof setup);
    cpus = sysconf(_SC_NPROCESSORS_ONLN);
    printf("version:     %s\n", kzg_version());
    printf("backend:     %s (%s)\n", kzg_backend(), backend_selection_note());
    printf("cpu:         %s\n", cpu_features_str());
    if (inject_slowdown_note()[0]) /* KZGKIT_INJECT_SLOWDOWN: a gate-testing build */
        printf("INJECTED:    %s\n", inject_slowdown_note());
    printf("setup:       %s\n", setup);
    printf("setup load:  %.3f ms\n", t1 - t0);
    {
        char prof[1024];
        bool applied;
        if (kzg_ctx_profile_info(ctx, prof, sizeof prof, &applied) == KZG_OK)
            printf("profile:     %s\n", prof);
    }
    {
        uint32_t th = kzg_ctx_threads(ctx);
        printf("threads:     %u%s%s (%ld online CPUs)\n", th, th > 1 ? "" : " (caller only)",
               g->threads == 0 && th > 1 ? ", from the tuning profile" : "", cpus);
    }
    {
        bool embedded;
        uint32_t c = kzg_ctx_table_window(ctx, &embedded);
        if (c == 0) printf("table:       none (variable-base MSM for commitments and proofs)\n");
        else
            printf("table:       window %u, %s (%.1f MiB)\n", c,
                   embedded ? "compiled into the library: read-only, shared" : "built or loaded for this context",
                   4096.0 * (255 / c + 1) * 96 / (1024.0 * 1024.0));
    }
    {
        kzg_status st;
        const char *note;
        const numa_topology *t = numa_topology_system(&st, &note);
        printf("numa:        %u node%s%s\n", t->n_nodes, t->n_nodes == 1 ? "" : "s",
               st != KZG_OK ? " (topology unreadable, one node assumed)"
               : t->from_sysfs ? " (" NUMA_SYSFS_ROOT ")" : " (no sysfs: one node assumed)");
        if (st != KZG_OK) printf("             %s\n", note);
        for (unsigned k = 0; k < t->n_nodes; k++) {
            char list[256];
            numa_cpulist_format(list, sizeof list, &t->node[k].cpus);
            printf("  node %-3u   CPUs %s (%u), memory %.1f GiB\n", t->node[k].id, list[0] ? list : "none",
                   t->node[k].n_cpus, (double)t->node[k].mem_bytes / (1024.0 * 1024 * 1024));
        }
        char line[1024];
        if (kzg_ctx_numa_info(ctx, line, sizeof line) == KZG_OK) printf("placement:   %s\n", line);
    }
    kzg_ctx_free(ctx);
    return CLI_EXIT_OK;
}

static int run_command(cli_global *gp, int argc, char **argv);

int main(int argc, char **argv) {
    cli_global g;
    memset(&g, 0, sizeof g);
    g.profile_path = getenv("KZGKIT_PROFILE");
    if (g.profile_path && !*g.profile_path) g.profile_path = NULL;
    /* The profile's backend pick, before anything selects a backend (process-wide: it cannot
     * be a context's); KZGKIT_BACKEND, when set and not empty, wins. Errors in the file are left to the
     * context that loads it, which reports them with the command's context. */
    const char *forced = getenv("KZGKIT_BACKEND");
    if (g.profile_path && (!forced || !*forced)) {
        char pick[64];
        if (kzg_profile_backend(g.profile_path, pick, sizeof pick) == KZG_OK && pick[0] &&
            kzg_set_backend(pick) != KZG_OK)
            fprintf(stderr, "kzgkit: %s: backend_pick %s not applied: %s\n", g.profile_path, pick,
                    kzg_last_error());
    }
    /* KZGKIT_NUMA: the default of --numa. */
    {
        const char *t = getenv("KZGKIT_NUMA");
        if (t && *t && !cli_parse_numa(t, &g.numa)) {
            fprintf(stderr, "kzgkit: KZGKIT_NUMA='%s' is not auto, off or on\n", t);
            return CLI_EXIT_BAD;
        }
    }
    /* KZGKIT_THREADS: the default of --threads. */
    {
        const char *t = getenv("KZGKIT_THREADS");
        uint64_t v;
        if (t && *t) {
            if (!cli_parse_u64(t, 0, 1024, &v)) {
                fprintf(stderr, "kzgkit: KZGKIT_THREADS='%s' is not an integer in 0..1024\n", t);
                return CLI_EXIT_BAD;
            }
            g.threads = (uint32_t)v;
        }
    }
    /* --metrics and --remote URL, anywhere before a "--": taken out of argv here rather than
     * by each command's option loop (every command takes --metrics; whether a command takes
     * --remote is the command table's to say, before the command runs). */
    {
        int w = 1;
        bool rest = false;
        for (int r = 1; r < argc; r++) {
            if (!rest && strcmp(argv[r], "--") == 0) rest = true;
            if (!rest && strncmp(argv[r], "--remote", 8) == 0 &&
                (argv[r][8] == '\0' || argv[r][8] == '=')) {
                const char *url = argv[r][8] == '=' ? argv[r] + 9 : (r + 1 < argc ? argv[++r] : NULL);
                if (!url || !*url) {
                    fprintf(stderr, "kzgkit: --remote: missing URL\n");
                    return CLI_EXIT_BAD;
                }
                g.remote = url;
                continue;
            }
            if (!rest && strcmp(argv[r], "--metrics") == 0) {
                if (!g.metrics && kzg_metrics_new(&g.metrics) != KZG_OK) {
                    fprintf(stderr, "kzgkit: --metrics: %s\n", kzg_last_error());
                    return CLI_EXIT_BAD;
                }
                continue;
            }
            argv[w++] = argv[r];
        }
        argv[w] = NULL;
        argc = w;
    }
    int rc = run_command(&g, argc, argv);
    if (g.metrics) {
        kzg_metrics_stats *s = malloc(sizeof *s);
        if (!s || kzg_metrics_snapshot(g.metrics, s) != KZG_OK ||
            kzg_metrics_fprint_prometheus(stdout, s) != KZG_OK || fflush(stdout) != 0) {
            fprintf(stderr, "kzgkit: --metrics: cannot write the metrics\n");
            if (rc == CLI_EXIT_OK) rc = CLI_EXIT_BAD;
        }
        free(s);
        kzg_metrics_free(g.metrics);
    }
    return rc;
}

/* Global options, the command, and its run (main adds the environment and --metrics). */
static int run_command(cli_global *gp, int argc, char **argv) {
    cli_global g = *gp;
    int i = 1;
    /* Global options before the command. */
    while (i < argc && argv[i][0] == '-') {
        int r;
        if (cli_is_help(argv[i])) {
            usage(stdout);
            return CLI_EXIT_OK;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("kzgkit %s\n", kzg_version());
            return CLI_EXIT_OK;
        }
        r = cli_global_option(&g, "", argc, argv, &i);
        if (r < 0) return CLI_EXIT_BAD;
        if (r == 0) {
            fprintf(stderr, "kzgkit: unknown option '%s' (see kzgkit --help)\n", argv[i]);
            return CLI_EXIT_BAD;
        }
        i++;
    }
    if (i >= argc) {
        fprintf(stderr, "kzgkit: missing command (see kzgkit --help)\n");
        return CLI_EXIT_BAD;
    }
    {
        const command *c = find_command(argv[i]);
        if (!c) {
            fprintf(stderr, "kzgkit: unknown command '%s' (see kzgkit --help)\n", argv[i]);
            return CLI_EXIT_BAD;
        }
        if (g.remote) {
#ifdef KZGKIT_HAVE_SERVICE
            if (!c->remote) return cli_fail(c->name, "not available with --remote");
#else
            return cli_fail_no_service(c->name);
#endif
        }
        if (fflush(stdout) != 0) return CLI_EXIT_BAD;
        {
            int rc = c->run(&g, argc - i, argv + i);
            /* A full disk or closed pipe must not pass for success. */
            if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "kzgkit %s: cannot write the output\n", c->name);
                return CLI_EXIT_BAD;
            }
            return rc;
        }
    }
}
