/* test/fuzz/fuzz_verify_blob_kzg_proof_batch.c — kzg_verify_blob_kzg_proof_batch.
 * Input: MODE, N (0..3 from one byte), N × (COMMITMENT 48, PROOF 48), then blob bytes; blob
 * i is built from the blob bytes with its first element set to i (so the blobs differ).
 * MODE & 1 = derived: real commitments and proofs XORed with the input's (all zero: must
 * verify). Properties: failures follow the kzg.h contract; when the batch is well formed,
 * its answer equals the AND of the single verifications; a true batch verifies. */
#include "fuzz_common.h"

#define MAX_N 3

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const kzg_ctx *ctx = fuzz_ctx();
    fuzz_reader r = {data, size};
    unsigned mode = fuzz_byte(&r);
    size_t n = fuzz_byte(&r) % (MAX_N + 1);
    kzg_blob *blobs = malloc(MAX_N * sizeof *blobs);
    kzg_commitment c[MAX_N], cm[MAX_N];
    kzg_proof p[MAX_N], pm[MAX_N];
    kzg_status st;
    bool ok = true, truth = (mode & 1) != 0;

    if (!blobs) return 0;
    for (size_t i = 0; i < n; i++) {
        fuzz_take(&r, cm[i].bytes, sizeof cm[i].bytes);
        fuzz_take(&r, pm[i].bytes, sizeof pm[i].bytes);
        c[i] = cm[i];
        p[i] = pm[i];
    }
    for (size_t i = 0; i < n; i++) {
        fuzz_blob(&blobs[i], &r, (mode & 1) ? (mode | FUZZ_BLOB_CANONICAL) : mode);
        memset(blobs[i].bytes, 0, 31);
        blobs[i].bytes[31] = (uint8_t)i;
        if (mode & 1) {
            FUZZ_CHECK(kzg_blob_to_kzg_commitment(ctx, &c[i], &blobs[i]) == KZG_OK);
            FUZZ_CHECK(kzg_compute_blob_kzg_proof(ctx, &p[i], &blobs[i], &c[i]) == KZG_OK);
            truth &= !fuzz_xor(c[i].bytes, cm[i].bytes, sizeof c[i].bytes);
            truth &= !fuzz_xor(p[i].bytes, pm[i].bytes, sizeof p[i].bytes);
        }
    }
    st = kzg_verify_blob_kzg_proof_batch(ctx, &ok, n ? blobs : NULL, n ? c : NULL,
                                         n ? p : NULL, n);
    if (st != KZG_OK) {
        fuzz_check_failure(st, NULL, 0);
        FUZZ_CHECK(!ok);
        FUZZ_CHECK(!truth);
        FUZZ_CHECK(n > 0);
    } else {
        bool all = true;
        for (size_t i = 0; i < n; i++) {
            bool one = false;
            FUZZ_CHECK(kzg_verify_blob_kzg_proof(ctx, &one, &blobs[i], &c[i], &p[i]) == KZG_OK);
            all &= one;
        }
        FUZZ_CHECK(ok == all);
        if (truth || n == 0) FUZZ_CHECK(ok);
    }
    free(blobs);
    return 0;
}
