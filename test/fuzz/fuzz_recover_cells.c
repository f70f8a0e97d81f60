/* test/fuzz/fuzz_recover_cells.c — kzg_recover_cells and kzg_recover_cells_and_kzg_proofs.
 * A fixed pseudo-random blob's cells are prepared once per process (its proofs too, at the
 * first input that needs them).
 * Input: MODE, PRESENT (16 bytes: bit i of byte i / 8 = cell i given), S (a position), then
 * cell bytes (raw mode). The given cells are listed in ascending index order, then
 *   MODE & 1   raw: the cells are the input's tail bytes (elements made canonical unless
 *              MODE & 64), not the blob's;
 *   MODE & 2   entries S and S + 1 swapped (the order is then wrong);
 *   MODE & 4   entry S repeated after itself (a duplicate index);
 *   MODE & 56 == 56   with proofs (recover_cells_and_kzg_proofs; slow, so an eighth).
 * Properties: failures follow the kzg.h contract, with the specific status (fewer than 64
 * or more than 128 cells: KZG_ERR_LENGTH; bad order or a duplicate: KZG_ERR_BAD_ARG); a
 * valid request succeeds; the result is always an extended blob (compute_cells of its first
 * 64 cells gives it back); with the blob's own cells it is the blob's cells and proofs; with
 * exactly 64 raw cells it interpolates them (the given cells come back unchanged); raw
 * recovered proofs verify. */
#include "fuzz_common.h"

#define CELLS KZG_CELLS_PER_EXT_BLOB

typedef struct prepared {
    kzg_blob blob;
    kzg_cell cells[CELLS];
    kzg_proof proofs[CELLS];
    bool have_proofs;
} prepared;

static prepared *fuzz_prepared; /* freed by process exit, like fuzz_ctx */

static prepared *blob_prepared(const kzg_ctx *ctx, bool with_proofs) {
    if (!fuzz_prepared) {
        uint64_t s = 0x4ec0;
        fuzz_prepared = calloc(1, sizeof *fuzz_prepared);
        if (!fuzz_prepared) {
            fprintf(stderr, "fuzz: out of memory\n");
            exit(1);
        }
        for (size_t i = 0; i < sizeof fuzz_prepared->blob.bytes; i++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            fuzz_prepared->blob.bytes[i] = (uint8_t)(s >> 56);
        }
        for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++)
            fuzz_prepared->blob.bytes[32 * i] &= 0x3f;
        FUZZ_CHECK(kzg_compute_cells(ctx, fuzz_prepared->cells, &fuzz_prepared->blob) == KZG_OK);
    }
    if (with_proofs && !fuzz_prepared->have_proofs) {
        FUZZ_CHECK(kzg_compute_cells_and_kzg_proofs(ctx, NULL, fuzz_prepared->proofs,
                                                    &fuzz_prepared->blob) == KZG_OK);
        fuzz_prepared->have_proofs = true;
    }
    return fuzz_prepared;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const kzg_ctx *ctx = fuzz_ctx();
    fuzz_reader r = {data, size};
    unsigned mode = fuzz_byte(&r);
    bool raw = (mode & 1) != 0, with_proofs = (mode & 56) == 56, valid = true;
    const prepared *pre = blob_prepared(ctx, with_proofs && !raw);
    uint8_t present[CELLS / 8];
    size_t n = 0, s;
    uint64_t idx[CELLS + 1];
    kzg_cell *in = malloc((CELLS + 1) * sizeof *in);
    kzg_cell *out = malloc(CELLS * sizeof *out), *again = malloc(CELLS * sizeof *again);
    kzg_proof *proofs = malloc(CELLS * sizeof *proofs);
    kzg_blob *blob = fuzz_blob_alloc();
    kzg_status st;

    if (!in || !out || !again || !proofs) goto out;
    fuzz_take(&r, present, sizeof present);
    s = fuzz_byte(&r);
    for (size_t i = 0; i < CELLS; i++) {
        if (!((present[i / 8] >> (i % 8)) & 1)) continue;
        idx[n] = i;
        if (!raw) {
            in[n] = pre->cells[i];
        } else {
            memset(in[n].bytes, 0, sizeof in[n].bytes);
            if (r.left)
                for (size_t j = 0; j < KZG_BYTES_PER_CELL; j++)
                    in[n].bytes[j] = r.p[(j + 257 * n) % r.left];
            if (!(mode & 64))
                for (size_t j = 0; j < KZG_FIELD_ELEMENTS_PER_CELL; j++) in[n].bytes[32 * j] &= 0x3f;
        }
        n++;
    }
    if ((mode & 2) && n >= 2) {
        uint64_t ti;
        kzg_cell tc;
        s %= n - 1;
        ti = idx[s];
        idx[s] = idx[s + 1];
        idx[s + 1] = ti;
        tc = in[s];
        in[s] = in[s + 1];
        in[s + 1] = tc;
        valid = false;
    } else if ((mode & 4) && n >= 1) {
        s %= n;
        memmove(&idx[s + 1], &idx[s], (n - s) * sizeof *idx);
        memmove(&in[s + 1], &in[s], (n - s) * sizeof *in);
        n++;
        valid = false;
    }

    memset(out, 0xa5, CELLS * sizeof *out);
    memset(proofs, 0xa5, CELLS * sizeof *proofs);
    st = with_proofs ? kzg_recover_cells_and_kzg_proofs(ctx, out, proofs, idx, in, n)
                     : kzg_recover_cells(ctx, out, idx, in, n);
    if (n < CELLS / 2 || n > CELLS) {
        FUZZ_CHECK(st == KZG_ERR_LENGTH);
    } else if (!valid) {
        FUZZ_CHECK(st == KZG_ERR_BAD_ARG);
    } else if (!raw || !(mode & 64)) {
        FUZZ_CHECK(st == KZG_OK);
    }
    if (st != KZG_OK) {
        fuzz_check_failure(st, out, CELLS * sizeof *out);
        if (with_proofs) FUZZ_CHECK(fuzz_all_zero(proofs, CELLS * sizeof *proofs));
        goto out;
    }

    /* An extended blob: its first half is a blob whose extension it is. */
    memcpy(blob->bytes, out, sizeof blob->bytes);
    FUZZ_CHECK(kzg_compute_cells(ctx, again, blob) == KZG_OK);
    FUZZ_CHECK(memcmp(again, out, CELLS * sizeof *out) == 0);
    if (!raw) {
        FUZZ_CHECK(memcmp(out, pre->cells, CELLS * sizeof *out) == 0);
        if (with_proofs) FUZZ_CHECK(memcmp(proofs, pre->proofs, CELLS * sizeof *proofs) == 0);
    } else {
        if (n == CELLS / 2)
            for (size_t k = 0; k < n; k++)
                FUZZ_CHECK(memcmp(&out[idx[k]], &in[k], sizeof in[k]) == 0);
        if (with_proofs) {
            kzg_commitment c[2];
            uint64_t two_idx[2] = {idx[0], idx[n - 1]};
            kzg_cell two[2];
            kzg_proof two_proofs[2];
            bool ok = false;
            FUZZ_CHECK(kzg_blob_to_kzg_commitment(ctx, &c[0], blob) == KZG_OK);
            c[1] = c[0];
            for (size_t k = 0; k < 2; k++) {
                two[k] = out[two_idx[k]];
                two_proofs[k] = proofs[two_idx[k]];
            }
            FUZZ_CHECK(kzg_verify_cell_kzg_proof_batch(ctx, &ok, c, two_idx, two, two_proofs, 2) ==
                       KZG_OK);
            FUZZ_CHECK(ok);
        }
    }
out:
    free(blob);
    free(proofs);
    free(again);
    free(out);
    free(in);
    return 0;
}
