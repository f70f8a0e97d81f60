/*
 * bench/bench_limits.c — what the largest inputs cost: time and the library's own peak
 * memory (kzg_alloc_stats, beyond the caller's arrays) for each public function at its
 * fixed size, and for the batch functions at growing n up to the CLI's and the service's
 * limits. The figures behind docs/TESTING.md, "Bounded work".
 *
 *   bench_limits [--max-blobs N] [--max-cells N] [--threads T]
 *
 * One run per size (these are sizes, not a benchmark of variation); the blobs are random
 * canonical ones, the cells those of one blob repeated (the verification cost does not
 * depend on which cells they are). Output: one line per case, "name n ms peak_MiB
 * per_item_KiB".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kzgkit.h"

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void rand_blob(kzg_blob *b) {
    for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) {
        uint8_t *fe = b->bytes + 32 * i;
        for (int k = 0; k < 32; k += 8) {
            uint64_t v = next();
            memcpy(fe + k, &v, 8);
        }
        fe[0] &= 0x3f; /* < 2^254 < r: canonical */
    }
}

/* Runs `call` once after resetting the peak; prints time and the peak above the start. */
#define MEASURE(name, n, call)                                                                  \
    do {                                                                                        \
        kzg_alloc_stats a0_, a1_;                                                               \
        kzg_alloc_stats_reset_peak();                                                           \
        kzg_alloc_stats_get(&a0_);                                                              \
        double t0_ = now_ms();                                                                  \
        kzg_status st_ = (call);                                                                \
        double ms_ = now_ms() - t0_;                                                            \
        kzg_alloc_stats_get(&a1_);                                                              \
        double peak_ = (double)(a1_.peak_live_bytes - a0_.live_bytes);                          \
        if (st_ != KZG_OK) {                                                                    \
            fprintf(stderr, "%s n=%zu: %s: %s\n", name, (size_t)(n), kzg_status_str(st_),        \
                    kzg_last_error());                                                          \
            exit(1);                                                                            \
        }                                                                                       \
        printf("%-36s %8zu %10.1f %10.2f %10.2f\n", name, (size_t)(n), ms_, peak_ / 1048576.0,  \
               (double)(n) ? peak_ / 1024.0 / (double)(n) : 0.0);                               \
        fflush(stdout);                                                                         \
    } while (0)

int main(int argc, char **argv) {
    size_t max_blobs = 4096, max_cells = 262144;
    unsigned threads = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--max-blobs")) max_blobs = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--max-cells")) max_cells = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--threads")) threads = (unsigned)strtoul(argv[i + 1], NULL, 10);
        else {
            fprintf(stderr, "usage: bench_limits [--max-blobs N] [--max-cells N] [--threads T]\n");
            return 2;
        }
    }
    kzg_ctx *ctx = NULL;
    kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
    o.threads = threads;
    if (kzg_ctx_new(&ctx, &o) != KZG_OK) {
        fprintf(stderr, "kzg_ctx_new: %s\n", kzg_last_error());
        return 1;
    }
    size_t nb = max_blobs < 64 ? 64 : max_blobs;
    kzg_blob *blobs = malloc(nb * sizeof *blobs);
    kzg_commitment *cs = malloc(nb * sizeof *cs);
    kzg_proof *ps = malloc(nb * sizeof *ps);
    kzg_cell *cells = malloc(KZG_CELLS_PER_EXT_BLOB * sizeof *cells);
    kzg_proof cps[KZG_CELLS_PER_EXT_BLOB];
    if (!blobs || !cs || !ps || !cells) return 1;
    /* 64 distinct blobs, repeated: a batch's cost does not depend on repeats. */
    for (size_t i = 0; i < 64; i++) rand_blob(&blobs[i]);
    for (size_t i = 0; i < 64; i++) {
        kzg_blob_to_kzg_commitment(ctx, &cs[i], &blobs[i]);
        kzg_compute_blob_kzg_proof(ctx, &ps[i], &blobs[i], &cs[i]);
    }
    for (size_t i = 64; i < nb; i++) blobs[i] = blobs[i % 64], cs[i] = cs[i % 64], ps[i] = ps[i % 64];
    kzg_field_element z = {{0}}, y;
    kzg_proof p;
    bool ok;
    z.bytes[31] = 7;
    printf("kzgkit %s, backend %s, %u thread(s)\n", kzg_version(), kzg_backend(), threads);
    printf("%-36s %8s %10s %10s %10s\n", "operation", "n", "ms", "peak MiB", "KiB/item");
    MEASURE("blob_to_kzg_commitment", 1, kzg_blob_to_kzg_commitment(ctx, &cs[0], &blobs[0]));
    MEASURE("compute_kzg_proof", 1, kzg_compute_kzg_proof(ctx, &p, &y, &blobs[0], &z));
    MEASURE("compute_blob_kzg_proof", 1, kzg_compute_blob_kzg_proof(ctx, &p, &blobs[0], &cs[0]));
    MEASURE("verify_kzg_proof", 1, kzg_verify_kzg_proof(ctx, &ok, &cs[0], &z, &y, &p));
    MEASURE("verify_blob_kzg_proof", 1, kzg_verify_blob_kzg_proof(ctx, &ok, &blobs[0], &cs[0], &ps[0]));
    MEASURE("compute_cells", 1, kzg_compute_cells(ctx, cells, &blobs[0]));
    MEASURE("compute_cells_and_kzg_proofs", 1, kzg_compute_cells_and_kzg_proofs(ctx, cells, cps, &blobs[0]));
    uint64_t idx[KZG_CELLS_PER_EXT_BLOB];
    for (size_t i = 0; i < KZG_CELLS_PER_EXT_BLOB; i++) idx[i] = 2 * (i % 64);
    kzg_cell *half = malloc(64 * sizeof *half);
    for (size_t i = 0; i < 64; i++) half[i] = cells[2 * i];
    MEASURE("recover_cells_and_kzg_proofs (64)", 64,
            kzg_recover_cells_and_kzg_proofs(ctx, cells, cps, idx, half, 64));
    free(half);
    for (size_t n = 64; n <= max_blobs; n *= 4)
        MEASURE("verify_blob_kzg_proof_batch", n, kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, cs, ps, n));
    for (size_t n = 64; n <= max_blobs && n <= 256; n *= 4) /* linear in n: 256 shows it */
        MEASURE("blob_to_kzg_commitment_batch", n, kzg_blob_to_kzg_commitment_batch(ctx, cs, blobs, n));
    /* Cells: one blob's 128 cells and proofs, repeated up to max_cells. */
    kzg_compute_cells_and_kzg_proofs(ctx, cells, cps, &blobs[0]);
    kzg_cell *vc = malloc(max_cells * sizeof *vc);
    kzg_proof *vp = malloc(max_cells * sizeof *vp);
    kzg_commitment *vcm = malloc(max_cells * sizeof *vcm);
    uint64_t *vi = malloc(max_cells * sizeof *vi);
    if (!vc || !vp || !vcm || !vi) {
        fprintf(stderr, "cannot allocate %zu cells\n", max_cells);
        return 1;
    }
    for (size_t i = 0; i < max_cells; i++) {
        vc[i] = cells[i % 128], vp[i] = cps[i % 128], vcm[i] = cs[0], vi[i] = i % 128;
    }
    size_t last = 0;
    for (size_t n = 128; n <= max_cells; n *= 8) {
        MEASURE("verify_cell_kzg_proof_batch", n, kzg_verify_cell_kzg_proof_batch(ctx, &ok, vcm, vi, vc, vp, n));
        last = n;
    }
    if (last < max_cells) /* the limit itself */
        MEASURE("verify_cell_kzg_proof_batch", max_cells,
                kzg_verify_cell_kzg_proof_batch(ctx, &ok, vcm, vi, vc, vp, max_cells));
    free(vc);
    free(vp);
    free(vcm);
    free(vi);
    free(blobs);
    free(cs);
    free(ps);
    free(cells);
    kzg_ctx_free(ctx);
    return 0;
}
