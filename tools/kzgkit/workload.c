/*
 * tools/kzgkit/workload.c — `kzgkit workload`: a realistic blob stream through the batch
 * processor (include/kzgkit/runtime.h), as a node sees it: the same blob arrives again
 * through several peers, so a configurable share of the stream repeats recent blobs.
 *
 * Stream model: blob k is, with probability REPEAT%, a copy of one of the last WINDOW
 * distinct blobs (uniformly), otherwise a new random blob. Blobs are grouped into calls
 * of BATCH. Reported: throughput, call latency percentiles (p50/p90/p99/p999 from the
 * processor's metrics histogram), in-call duplicates, cache hits and hit rate.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kzgkit/runtime.h"

#define WINDOW 32

int cmd_workload(cli_global *g, int argc, char **argv) {
    const char *cmd = "workload";
    uint64_t total = 64, batch = 16, repeat = 50, seed = 1, cache_mb = 64;
    bool prometheus = false;
    struct { const char *name; uint64_t *v, lo, hi; } opts[] = {
        {"--blobs", &total, 1, 100000}, {"--batch", &batch, 1, 4096},
        {"--repeat", &repeat, 0, 100},  {"--seed", &seed, 0, UINT64_MAX},
        {"--cache-mb", &cache_mb, 0, 65536},
    };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        size_t k;
        if (cli_is_help(a)) return cli_help(cmd);
        if (strcmp(a, "--prometheus") == 0) {
            prometheus = true;
            continue;
        }
        for (k = 0; k < sizeof opts / sizeof opts[0]; k++)
            if (strcmp(a, opts[k].name) == 0) break;
        if (k < sizeof opts / sizeof opts[0]) {
            if (i + 1 >= argc) return cli_fail(cmd, "%s: missing value", a);
            if (!cli_parse_u64(argv[i + 1], opts[k].lo, opts[k].hi, opts[k].v))
                return cli_fail(cmd, "%s: '%s' is not an integer in %llu..%llu", a, argv[i + 1],
                                (unsigned long long)opts[k].lo, (unsigned long long)opts[k].hi);
            i++;
            continue;
        }
        int r = cli_global_option(g, cmd, argc, argv, &i);
        if (r < 0) return CLI_EXIT_BAD;
        if (r == 0) return cli_fail(cmd, "unknown argument '%s' (see kzgkit workload --help)", a);
    }

    int rc = CLI_EXIT_BAD;
    kzg_ctx *ctx = NULL;
    kzg_metrics *metrics = NULL;
    kzg_processor *proc = NULL;
    kzg_metrics_stats *ms = NULL;
    kzg_blob *recent = calloc(WINDOW, sizeof *recent), *calls = calloc(batch, sizeof *calls);
    kzg_commitment *c = calloc(batch, sizeof *c);
    kzg_proof *p = calloc(batch, sizeof *p);
    size_t n_recent = 0, next_slot = 0;
    cli_rng rng;
    kzg_status st;

    if (!recent || !calls || !c || !p) {
        cli_fail(cmd, "out of memory for a batch of %llu blobs", (unsigned long long)batch);
        goto out;
    }
    if (!(ctx = cli_ctx_open(g, cmd))) goto out;
    if ((st = kzg_metrics_new(&metrics)) != KZG_OK) {
        cli_fail_status(cmd, "metrics", st);
        goto out;
    }
    kzg_processor_options o = {.struct_size = sizeof o, .verify = 1,
                               .cache_bytes = (size_t)cache_mb << 20, .metrics = metrics};
    if ((st = kzg_processor_new(&proc, ctx, &o)) != KZG_OK) {
        cli_fail_status(cmd, "processor", st);
        goto out;
    }
    cli_rng_seed(&rng, seed);
    printf("workload: %llu blobs in calls of %llu, %llu%% repeats of the last %d distinct blobs, "
           "cache %llu MiB, %u thread%s, seed %llu\n",
           (unsigned long long)total, (unsigned long long)batch, (unsigned long long)repeat,
           WINDOW, (unsigned long long)cache_mb, g->threads ? g->threads : 1,
           g->threads > 1 ? "s" : "", (unsigned long long)seed);
    double t0 = cli_now_ms();
    for (uint64_t done = 0; done < total;) {
        size_t m = (size_t)(total - done < batch ? total - done : batch);
        for (size_t i = 0; i < m; i++) {
            if (n_recent && cli_rng_next(&rng) % 100 < repeat) {
                calls[i] = recent[cli_rng_next(&rng) % n_recent];
            } else {
                cli_rng_blob(&rng, &calls[i]);
                recent[next_slot] = calls[i];
                next_slot = (next_slot + 1) % WINDOW;
                if (n_recent < WINDOW) n_recent++;
            }
        }
        bool ok = false;
        if ((st = kzg_processor_run(proc, c, p, &ok, calls, m)) != KZG_OK) {
            cli_fail_status(cmd, "processor run", st);
            goto out;
        }
        if (!ok) {
            cli_fail(cmd, "a computed proof did not verify: this is a bug, please report it");
            goto out;
        }
        done += m;
    }
    double elapsed = cli_now_ms() - t0;

    kzg_processor_stats s;
    kzg_processor_stats_get(proc, &s);
    ms = malloc(sizeof *ms);
    if (!ms || kzg_metrics_snapshot(metrics, ms) != KZG_OK) {
        cli_fail(cmd, "metrics snapshot failed");
        goto out;
    }
    const kzg_metrics_op_stats *op = &ms->ops[KZG_OP_PROCESS_BLOBS];
    uint64_t distinct = s.blobs - s.duplicates;
    printf("blobs:        %llu (%llu duplicates within calls, %llu cache hits, %llu computed)\n",
           (unsigned long long)s.blobs, (unsigned long long)s.duplicates,
           (unsigned long long)s.cache_hits, (unsigned long long)s.computed);
    printf("reuse:        %.1f%% of blobs not computed; cache hit rate %.1f%% of distinct-per-call blobs\n",
           s.blobs ? 100.0 * (double)(s.blobs - s.computed) / (double)s.blobs : 0.0,
           distinct ? 100.0 * (double)s.cache_hits / (double)distinct : 0.0);
    printf("throughput:   %.1f blobs/s (%.1f ms for all)\n",
           elapsed > 0 ? 1000.0 * (double)s.blobs / elapsed : 0.0, elapsed);
    printf("call latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p999 %.2f ms over %llu calls\n",
           (double)kzg_metrics_quantile_ns(op, 0.5) / 1e6, (double)kzg_metrics_quantile_ns(op, 0.9) / 1e6,
           (double)kzg_metrics_quantile_ns(op, 0.99) / 1e6,
           (double)kzg_metrics_quantile_ns(op, 0.999) / 1e6, (unsigned long long)op->calls);
    if (prometheus) kzg_metrics_fprint_prometheus(stdout, ms);
    rc = CLI_EXIT_OK;
out:
    free(ms);
    kzg_processor_free(proc);
    kzg_metrics_free(metrics);
    kzg_ctx_free(ctx);
    free(recent);
    free(calls);
    free(c);
    free(p);
    return rc;
}
