/* tools/kzgkit/demo.c — `kzgkit demo`: random blobs through every EIP-4844 operation,
 * printing each result and its time, then a summary (median, min, max per step). Also
 * checks that tampered inputs are rejected, so the demo doubles as a smoke test. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

enum { STEP_COMMIT, STEP_PROVE, STEP_VERIFY, STEP_BLOB_PROVE, STEP_BLOB_VERIFY, N_STEPS };
static const char *const step_names[N_STEPS] = {
    "blob_to_kzg_commitment", "compute_kzg_proof", "verify_kzg_proof",
    "compute_blob_kzg_proof", "verify_blob_kzg_proof",
};

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts v). */
static double median(double *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void print_value(const char *label, const uint8_t *p, size_t n) {
    char hex[2 * KZG_BYTES_PER_G1 + 3];
    cli_hex_string(hex, p, n);
    printf("      %-12s %s\n", label, hex);
}

/* Reports a failed call and returns CLI_EXIT_BAD; the demo's inputs are generated, so this
 * is a library failure, not the user's. */
static int step_failed(const char *step, size_t blob, kzg_status st) {
    char what[96];
    snprintf(what, sizeof what, "blob %zu: %s", blob, step);
    return cli_fail_status("demo", what, st);
}

int cmd_demo(cli_global *g, int argc, char **argv) {
    const char *cmd = "demo";
    uint64_t count = 4, seed = 0;
    bool seeded = false;
    kzg_blob *blobs = NULL;
    kzg_commitment *commitments = NULL;
    kzg_proof *proofs = NULL;
    double *times = NULL;
    kzg_ctx *ctx = NULL;
    size_t mismatches = 0;
    int rc = CLI_EXIT_BAD;
    char setup[512];
    cli_rng rng;
    double t0, t_ctx;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r;
        if (cli_is_help(a)) return cli_help(cmd);
        if (strcmp(a, "--count") == 0 || strcmp(a, "--seed") == 0) {
            bool is_count = a[2] == 'c';
            uint64_t v;
            if (i + 1 >= argc) return cli_fail(cmd, "%s: missing value", a);
            if (!cli_parse_u64(argv[i + 1], is_count ? 1 : 0, is_count ? 1024 : UINT64_MAX, &v))
                return cli_fail(cmd, "%s: '%s' is not %s", a, argv[i + 1],
                                is_count ? "an integer in 1..1024" : "a decimal integer");
            if (is_count) {
                count = v;
            } else {
                seed = v;
                seeded = true;
            }
            i++;
            continue;
        }
        r = cli_global_option(g, cmd, argc, argv, &i);
        if (r < 0) return CLI_EXIT_BAD;
        if (r == 0) {
            if (a[0] == '-') return cli_fail(cmd, "unknown option '%s' (see kzgkit demo --help)", a);
            return cli_fail(cmd, "unexpected argument '%s' (see kzgkit demo --help)", a);
        }
    }
    if (!seeded) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        seed = ((uint64_t)ts.tv_sec * 1000000007ULL) ^ (uint64_t)ts.tv_nsec ^
               ((uint64_t)getpid() << 32);
    }

    blobs = calloc(count, sizeof *blobs);
    commitments = calloc(count, sizeof *commitments);
    proofs = calloc(count, sizeof *proofs);
    times = calloc(count * N_STEPS, sizeof *times);
    if (!blobs || !commitments || !proofs || !times) {
        cli_fail(cmd, "out of memory for %llu blobs", (unsigned long long)count);
        goto out;
    }
    cli_setup_describe(g, setup, sizeof setup);
    printf("kzgkit %s demo: %llu random blob%s, seed %llu (replay with --seed %llu)\n",
           kzg_version(), (unsigned long long)count, count == 1 ? "" : "s",
           (unsigned long long)seed, (unsigned long long)seed);
    printf("setup: %s; backend: %s; threads: %u\n", setup, kzg_backend(), g->threads ? g->threads : 1);

    t0 = cli_now_ms();
    ctx = cli_ctx_open(g, cmd);
    t_ctx = cli_now_ms() - t0;
    if (!ctx) goto out;
    printf("context created                 %10.3f ms\n", t_ctx);

    cli_rng_seed(&rng, seed);
    for (size_t b = 0; b < count; b++) {
        kzg_field_element z, y;
        kzg_proof zproof;
        bool ok = false;
        kzg_status st;
        double *t = times + b * N_STEPS;

        cli_rng_blob(&rng, &blobs[b]);
        cli_rng_field_element(&rng, z.bytes);
        printf("blob %zu\n", b);

        t0 = cli_now_ms();
        st = kzg_blob_to_kzg_commitment(ctx, &commitments[b], &blobs[b]);
        t[STEP_COMMIT] = cli_now_ms() - t0;
        if (st != KZG_OK) { rc = step_failed("blob_to_kzg_commitment", b, st); goto out; }
        printf("  %-28s %10.3f ms\n", step_names[STEP_COMMIT], t[STEP_COMMIT]);
        print_value("commitment", commitments[b].bytes, KZG_BYTES_PER_COMMITMENT);

        t0 = cli_now_ms();
        st = kzg_compute_kzg_proof(ctx, &zproof, &y, &blobs[b], &z);
        t[STEP_PROVE] = cli_now_ms() - t0;
        if (st != KZG_OK) { rc = step_failed("compute_kzg_proof", b, st); goto out; }
        printf("  %-28s %10.3f ms\n", step_names[STEP_PROVE], t[STEP_PROVE]);
        print_value("z", z.bytes, sizeof z.bytes);
        print_value("y", y.bytes, sizeof y.bytes);
        print_value("proof", zproof.bytes, sizeof zproof.bytes);

        t0 = cli_now_ms();
        st = kzg_verify_kzg_proof(ctx, &ok, &commitments[b], &z, &y, &zproof);
        t[STEP_VERIFY] = cli_now_ms() - t0;
        if (st != KZG_OK) { rc = step_failed("verify_kzg_proof", b, st); goto out; }
        printf("  %-28s %10.3f ms  %s\n", step_names[STEP_VERIFY], t[STEP_VERIFY],
               ok ? "true" : "false  <-- expected true");
        mismatches += !ok;

        t0 = cli_now_ms();
        st = kzg_compute_blob_kzg_proof(ctx, &proofs[b], &blobs[b], &commitments[b]);
        t[STEP_BLOB_PROVE] = cli_now_ms() - t0;
        if (st != KZG_OK) { rc = step_failed("compute_blob_kzg_proof", b, st); goto out; }
        printf("  %-28s %10.3f ms\n", step_names[STEP_BLOB_PROVE], t[STEP_BLOB_PROVE]);
        print_value("blob proof", proofs[b].bytes, KZG_BYTES_PER_PROOF);

        t0 = cli_now_ms();
        st = kzg_verify_blob_kzg_proof(ctx, &ok, &blobs[b], &commitments[b], &proofs[b]);
        t[STEP_BLOB_VERIFY] = cli_now_ms() - t0;
        if (st != KZG_OK) { rc = step_failed("verify_blob_kzg_proof", b, st); goto out; }
        printf("  %-28s %10.3f ms  %s\n", step_names[STEP_BLOB_VERIFY], t[STEP_BLOB_VERIFY],
               ok ? "true" : "false  <-- expected true");
        mismatches += !ok;

        /* A wrong y must not verify. */
        y.bytes[31] ^= 1;
        st = kzg_verify_kzg_proof(ctx, &ok, &commitments[b], &z, &y, &zproof);
        if (st != KZG_OK) { rc = step_failed("verify_kzg_proof (wrong y)", b, st); goto out; }
        printf("  %-28s %13s  %s\n", "verify_kzg_proof, wrong y", "",
               ok ? "true  <-- expected false" : "false (rejected, as it should be)");
        mismatches += ok;
    }

    {
        bool ok = false;
        kzg_status st;
        double t_batch;
        printf("batch of %llu\n", (unsigned long long)count);
        t0 = cli_now_ms();
        st = kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, commitments, proofs, count);
        t_batch = cli_now_ms() - t0;
        if (st != KZG_OK) { rc = cli_fail_status(cmd, "verify_blob_kzg_proof_batch", st); goto out; }
        printf("  %-28s %10.3f ms  %s  (%.3f ms per blob)\n", "verify_blob_kzg_proof_batch",
               t_batch, ok ? "true" : "false  <-- expected true", t_batch / (double)count);
        mismatches += !ok;

        if (count >= 2) {
            /* Swapping two proofs must make the batch fail. */
            kzg_proof tmp = proofs[0];
            proofs[0] = proofs[1];
            proofs[1] = tmp;
            t0 = cli_now_ms();
            st = kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, commitments, proofs, count);
            t_batch = cli_now_ms() - t0;
            if (st != KZG_OK) { rc = cli_fail_status(cmd, "verify_blob_kzg_proof_batch", st); goto out; }
            printf("  %-28s %10.3f ms  %s\n", "batch, two proofs swapped", t_batch,
                   ok ? "true  <-- expected false" : "false (rejected, as it should be)");
            mismatches += ok;
        }
    }

    printf("summary over %llu blobs (ms)            median        min        max\n",
           (unsigned long long)count);
    for (int s = 0; s < N_STEPS; s++) {
        double v[1024], lo, hi;
        for (size_t b = 0; b < count; b++) v[b] = times[b * N_STEPS + s];
        lo = hi = v[0];
        for (size_t b = 1; b < count; b++) {
            if (v[b] < lo) lo = v[b];
            if (v[b] > hi) hi = v[b];
        }
        printf("  %-28s %16.3f %10.3f %10.3f\n", step_names[s], median(v, count), lo, hi);
    }
    if (mismatches) {
        printf("FAILED: %zu verification%s gave the wrong answer\n", mismatches,
               mismatches == 1 ? "" : "s");
        rc = CLI_EXIT_FALSE;
    } else {
        printf("all verifications gave the expected answers\n");
        rc = CLI_EXIT_OK;
    }
out:
    kzg_ctx_free(ctx);
    free(blobs);
    free(commitments);
    free(proofs);
    free(times);
    return rc;
}
