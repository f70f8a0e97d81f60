/* test/fuzz/fuzz_compute_cells.c — kzg_compute_cells and kzg_compute_cells_and_kzg_proofs.
 * Input: MODE, K (a cell index byte), then blob bytes (fuzz_blob with MODE's canonical and
 * sparse bits). Properties: failures follow the kzg.h contract, and both functions fail
 * alike on the same blob; on success the extension is systematic (cells 0..63, concatenated,
 * are the blob itself). With MODE & 28 == 28 (the FK20 proofs are slow, so an eighth of the
 * inputs) also: compute_cells_and_kzg_proofs gives the same cells, and the proofs of cells
 * K and 127 - K verify in one batch. */
#include "fuzz_common.h"

#define CELLS KZG_CELLS_PER_EXT_BLOB

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const kzg_ctx *ctx = fuzz_ctx();
    fuzz_reader r = {data, size};
    unsigned mode = fuzz_byte(&r);
    size_t k = fuzz_byte(&r) % CELLS;
    kzg_blob *blob = fuzz_blob_alloc();
    kzg_cell *cells = malloc(CELLS * sizeof *cells), *cells2 = malloc(CELLS * sizeof *cells2);
    kzg_proof *proofs = malloc(CELLS * sizeof *proofs);
    kzg_status st, st2;

    if (!cells || !cells2 || !proofs) goto out;
    fuzz_blob(blob, &r, mode);
    memset(cells, 0xa5, CELLS * sizeof *cells);
    st = kzg_compute_cells(ctx, cells, blob);
    if (st != KZG_OK) {
        fuzz_check_failure(st, cells, CELLS * sizeof *cells);
        FUZZ_CHECK(!(mode & FUZZ_BLOB_CANONICAL));
        FUZZ_CHECK(st == KZG_ERR_SCALAR_NONCANONICAL);
    } else {
        FUZZ_CHECK(memcmp(cells, blob->bytes, sizeof blob->bytes) == 0);
    }
    if ((mode & 28) != 28) goto out;

    memset(cells2, 0xa5, CELLS * sizeof *cells2);
    memset(proofs, 0xa5, CELLS * sizeof *proofs);
    st2 = kzg_compute_cells_and_kzg_proofs(ctx, cells2, proofs, blob);
    FUZZ_CHECK(st2 == st);
    if (st2 != KZG_OK) {
        fuzz_check_failure(st2, cells2, CELLS * sizeof *cells2);
        FUZZ_CHECK(fuzz_all_zero(proofs, CELLS * sizeof *proofs));
    } else {
        kzg_commitment c[2];
        uint64_t idx[2] = {k, CELLS - 1 - k};
        kzg_cell two[2];
        kzg_proof two_proofs[2];
        bool ok = false;
        FUZZ_CHECK(memcmp(cells, cells2, CELLS * sizeof *cells) == 0);
        FUZZ_CHECK(kzg_blob_to_kzg_commitment(ctx, &c[0], blob) == KZG_OK);
        c[1] = c[0];
        for (size_t i = 0; i < 2; i++) {
            two[i] = cells2[idx[i]];
            two_proofs[i] = proofs[idx[i]];
        }
        FUZZ_CHECK(kzg_verify_cell_kzg_proof_batch(ctx, &ok, c, idx, two, two_proofs, 2) == KZG_OK);
        FUZZ_CHECK(ok);
    }
out:
    free(proofs);
    free(cells2);
    free(cells);
    free(blob);
    return 0;
}
