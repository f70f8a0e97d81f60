/*
 * test_eip7594_oom — every allocation of the EIP-7594 functions may fail: with an allocator
 * that fails the k-th allocation of a call (k = 0, 1, 2, ... until the call succeeds), each
 * function returns KZG_ERR_MEMORY with zeroed outputs (or succeeds when k is past its last
 * allocation), never crashes, and frees what it took (the test's allocator counts live
 * blocks; ASan's leak checker sees the rest).
 */
#include <stdlib.h>

#include "eip7594/eip7594_internal.h"
#include "testoom.h"
#include "testrand.h"

#define SWEEP(what, call, outputs_zero) TESTOOM_SWEEP(what, call, outputs_zero, (void)0)

int main(void) {
    testrand_init("test_eip7594_oom");
    kzg_ctx *ctx = NULL, *ctx2 = NULL;
    kzg_blob *blob = malloc(sizeof *blob);
    kzg_cell *cells = malloc(CELLS * sizeof *cells), *out = malloc(CELLS * sizeof *out);
    kzg_proof proofs[CELLS], p[CELLS];
    kzg_commitment cs[CELLS];
    uint64_t idx[CELLS];
    bool ok;
    if (!testoom_install() || kzg_ctx_new(&ctx, NULL) != KZG_OK ||
        kzg_ctx_new(&ctx2, NULL) != KZG_OK) {
        fprintf(stderr, "setup failed: %s\n", kzg_last_error());
        return 1;
    }
    for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) {
        fr_t x;
        uint8_t r[32];
        testrand_bytes(r, 32);
        fr_from_bytes_be_reduce(&x, r);
        fr_to_bytes_be(blob->bytes + 32 * i, &x);
    }
    /* The table build fails cleanly at its first allocations (the later ones come after a
     * second of work: not swept). table_bits 8: with 0, the mainnet context takes the
     * embedded columns and allocates nothing. */
    for (long k = 0; k < 4; k++) {
        testoom_seen = 0;
        testoom_fail_at = k;
        kzg_status st = kzg_eip7594_precompute(ctx2, 8);
        testoom_fail_at = -1;
        CHECK(st == KZG_ERR_MEMORY, "precompute, allocation %ld failing: %s", k, kzg_status_str(st));
    }
    CHECK(kzg_eip7594_precompute(ctx, 0) == KZG_OK, "precompute: %s", kzg_last_error());
    CHECK(kzg_compute_cells_and_kzg_proofs(ctx, cells, proofs, blob) == KZG_OK, "cells: %s", kzg_last_error());

    SWEEP("compute_cells", kzg_compute_cells(ctx, out, blob), testoom_all_zero(out, CELLS * sizeof *out));
    SWEEP("compute_cells_and_kzg_proofs", kzg_compute_cells_and_kzg_proofs(ctx, out, p, blob),
          testoom_all_zero(out, CELLS * sizeof *out) && testoom_all_zero(p, sizeof p));
    /* The commitment is not needed to exercise the allocations: any valid point will do. */
    for (size_t i = 0; i < CELLS; i++) cs[i] = proofs[0], idx[i] = i;
    SWEEP("verify_cell_kzg_proof_batch", kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, cells, proofs, CELLS),
          !ok);
    for (size_t i = 0; i < 8; i++) idx[i] = 5; /* a column: the grouped path */
    SWEEP("verify_cell_kzg_proof_batch (column)",
          kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, cells, proofs, 8), !ok);
    for (size_t i = 0; i < CELLS / 2; i++) idx[i] = 2 * i, out[i] = cells[2 * i];
    kzg_cell *half = malloc(CELLS / 2 * sizeof *half);
    memcpy(half, out, CELLS / 2 * sizeof *half);
    SWEEP("recover_cells_and_kzg_proofs", kzg_recover_cells_and_kzg_proofs(ctx, out, p, idx, half, CELLS / 2),
          testoom_all_zero(out, CELLS * sizeof *out) && testoom_all_zero(p, sizeof p));
    CHECK(memcmp(out, cells, CELLS * sizeof *out) == 0 && memcmp(p, proofs, sizeof p) == 0,
          "recovery after the sweep differs");
    SWEEP("recover_cells", kzg_recover_cells(ctx, out, idx, half, CELLS / 2), testoom_all_zero(out, CELLS * sizeof *out));

    /* The fixed-base table path, on two threads. */
    {
        kzg_ctx *ctx3 = NULL;
        kzg_ctx_options opt;
        memset(&opt, 0, sizeof opt);
        opt.struct_size = sizeof opt;
        opt.threads = 2;
        CHECK(kzg_ctx_new(&ctx3, &opt) == KZG_OK && kzg_eip7594_precompute(ctx3, 8) == KZG_OK,
              "table context: %s", kzg_last_error());
        if (ctx3) {
            SWEEP("compute_cells_and_kzg_proofs (table, 2 threads)",
                  kzg_compute_cells_and_kzg_proofs(ctx3, out, p, blob),
                  testoom_all_zero(out, CELLS * sizeof *out) && testoom_all_zero(p, sizeof p));
            CHECK(memcmp(p, proofs, sizeof p) == 0, "table proofs after the sweep differ");
            for (size_t i = 0; i < CELLS; i++) idx[i] = i;
            SWEEP("verify_cell_kzg_proof_batch (2 threads)",
                  kzg_verify_cell_kzg_proof_batch(ctx3, &ok, cs, idx, cells, proofs, CELLS), !ok);
        }
        kzg_ctx_free(ctx3);
    }
    free(half);
    kzg_ctx_free(ctx);
    kzg_ctx_free(ctx2);
    CHECK(testoom_live == 0, "%ld blocks still live after freeing the contexts", testoom_live);
    free(blob);
    free(cells);
    free(out);
    return test_report();
}
