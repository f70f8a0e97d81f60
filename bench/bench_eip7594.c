/*
 * bench/bench_eip7594.c — the EIP-7594 functions, timed (public API only).
 *
 * A deterministic random blob (splitmix64); its cells, proofs and commitment are computed
 * before any timing, as is the context's FK20 table (kzg_eip7594_precompute), so that only
 * the operation itself is timed. Each operation runs once untimed (warm-up), then N times;
 * the table shows the median, minimum and maximum wall time in milliseconds, and the median
 * process CPU time (on a machine shared with other work, the CPU time of a one-thread run is
 * the better estimate of its unloaded wall time). Every result is checked.
 *
 *   bench_eip7594 [--iters N] [--threads N] [--table-bits C]
 *
 * --table-bits C: kzg_eip7594_precompute's fixed-base table knob (0 = none, the default).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kzgkit.h"

#define CELLS KZG_CELLS_PER_EXT_BLOB

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *t, int n) {
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* t: wall times, c: CPU times. */
static void report(const char *name, double *t, double *c, int n) {
    double med = median(t, n), cmed = median(c, n);
    printf("%-44s median %9.3f ms   min %9.3f   max %9.3f   cpu %9.3f   (n = %d)\n", name, med, t[0],
           t[n - 1], cmed, n);
}

#define CHECK_OK(call)                                                                          \
    do {                                                                                        \
        kzg_status st_ = (call);                                                                \
        if (st_ != KZG_OK) {                                                                    \
            fprintf(stderr, "%s: %s (%s)\n", #call, kzg_status_str(st_), kzg_last_error());     \
            goto out;                                                                           \
        }                                                                                       \
    } while (0)

int main(int argc, char **argv) {
    int iters = 10, rc = 1;
    uint32_t threads = 0;
    unsigned table_bits = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--iters") == 0) iters = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--threads") == 0) threads = (uint32_t)atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--table-bits") == 0) table_bits = (unsigned)atoi(argv[i + 1]);
    }
    if (iters < 1) iters = 1;
    kzg_ctx *ctx = NULL;
    kzg_ctx_options opt;
    memset(&opt, 0, sizeof opt);
    opt.struct_size = sizeof opt;
    opt.threads = threads;
    kzg_blob *blob = malloc(sizeof *blob);
    kzg_cell *cells = malloc(CELLS * sizeof *cells), *out_cells = malloc(CELLS * sizeof *cells);
    kzg_cell *half = malloc(CELLS / 2 * sizeof *half);
    kzg_proof proofs[CELLS], out_proofs[CELLS], half_proofs[CELLS / 2];
    kzg_commitment commitments[CELLS], c;
    uint64_t idx[CELLS], half_idx[CELLS / 2];
    double *t = calloc((size_t)iters, sizeof *t), *ct = calloc((size_t)iters, sizeof *ct), t0, c0;
    bool ok;
    if (!blob || !cells || !out_cells || !half || !t || !ct) goto out;

    uint64_t seed = 7594;
    for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) {
        for (int w = 0; w < 4; w++) {
            uint64_t v = splitmix64(&seed);
            for (int b = 0; b < 8; b++) blob->bytes[32 * i + 8 * w + b] = (uint8_t)(v >> (56 - 8 * b));
        }
        blob->bytes[32 * i] &= 0x3f;
    }
    t0 = now_ms();
    CHECK_OK(kzg_ctx_new(&ctx, &opt));
    printf("context creation                             %9.3f ms\n", now_ms() - t0);
    t0 = now_ms();
    CHECK_OK(kzg_eip7594_precompute(ctx, table_bits));
    printf("FK20 tables, table_bits = %-2u (once per ctx)  %9.3f ms\n", table_bits, now_ms() - t0);
    CHECK_OK(kzg_blob_to_kzg_commitment(ctx, &c, blob));
    CHECK_OK(kzg_compute_cells_and_kzg_proofs(ctx, cells, proofs, blob));
    for (size_t i = 0; i < CELLS; i++) commitments[i] = c, idx[i] = i;
    /* every other cell: half missing */
    for (size_t i = 0; i < CELLS / 2; i++) {
        half_idx[i] = 2 * i + 1;
        half[i] = cells[2 * i + 1];
        half_proofs[i] = proofs[2 * i + 1];
    }

    for (int i = -1; i < iters; i++) {
        t0 = now_ms();
        c0 = cpu_ms();
        CHECK_OK(kzg_compute_cells(ctx, out_cells, blob));
        if (i >= 0) t[i] = now_ms() - t0, ct[i] = cpu_ms() - c0;
    }
    if (memcmp(out_cells, cells, CELLS * sizeof *cells) != 0) goto mismatch;
    report("compute_cells", t, ct, iters);

    for (int i = -1; i < iters; i++) {
        t0 = now_ms();
        c0 = cpu_ms();
        CHECK_OK(kzg_compute_cells_and_kzg_proofs(ctx, out_cells, out_proofs, blob));
        if (i >= 0) t[i] = now_ms() - t0, ct[i] = cpu_ms() - c0;
    }
    if (memcmp(out_proofs, proofs, sizeof proofs) != 0) goto mismatch;
    report("compute_cells_and_kzg_proofs", t, ct, iters);

    for (int i = -1; i < iters; i++) {
        t0 = now_ms();
        c0 = cpu_ms();
        CHECK_OK(kzg_verify_cell_kzg_proof_batch(ctx, &ok, commitments, idx, cells, proofs, CELLS));
        if (i >= 0) t[i] = now_ms() - t0, ct[i] = cpu_ms() - c0;
        if (!ok) goto mismatch;
    }
    report("verify_cell_kzg_proof_batch (128 cells)", t, ct, iters);

    for (int i = -1; i < iters; i++) {
        t0 = now_ms();
        c0 = cpu_ms();
        CHECK_OK(kzg_verify_cell_kzg_proof_batch(ctx, &ok, commitments, half_idx, half, half_proofs, CELLS / 2));
        if (i >= 0) t[i] = now_ms() - t0, ct[i] = cpu_ms() - c0;
        if (!ok) goto mismatch;
    }
    report("verify_cell_kzg_proof_batch (64 cells)", t, ct, iters);

    for (int i = -1; i < iters; i++) {
        t0 = now_ms();
        c0 = cpu_ms();
        CHECK_OK(kzg_recover_cells_and_kzg_proofs(ctx, out_cells, out_proofs, half_idx, half, CELLS / 2));
        if (i >= 0) t[i] = now_ms() - t0, ct[i] = cpu_ms() - c0;
    }
    if (memcmp(out_cells, cells, CELLS * sizeof *cells) != 0 || memcmp(out_proofs, proofs, sizeof proofs) != 0)
        goto mismatch;
    report("recover_cells_and_kzg_proofs (half missing)", t, ct, iters);

    for (int i = -1; i < iters; i++) {
        t0 = now_ms();
        c0 = cpu_ms();
        CHECK_OK(kzg_recover_cells(ctx, out_cells, half_idx, half, CELLS / 2));
        if (i >= 0) t[i] = now_ms() - t0, ct[i] = cpu_ms() - c0;
    }
    if (memcmp(out_cells, cells, CELLS * sizeof *cells) != 0) goto mismatch;
    report("recover_cells (half missing)", t, ct, iters);
    rc = 0;
    goto out;
mismatch:
    fprintf(stderr, "bench_eip7594: a result does not match\n");
out:
    kzg_ctx_free(ctx);
    free(blob);
    free(cells);
    free(out_cells);
    free(half);
    free(t);
    free(ct);
    return rc;
}
