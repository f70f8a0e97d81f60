/* test/fuzz/fuzz_compute_blob_kzg_proof.c — kzg_compute_blob_kzg_proof.
 * Input: MODE, COMMITMENT (48 bytes), then blob bytes. With MODE & 8 the commitment is the
 * blob's real one, XORed with the input's 48 bytes (all zero: uncorrupted). Properties:
 * failures follow the kzg.h contract; for an uncorrupted real commitment the proof
 * verifies. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const kzg_ctx *ctx = fuzz_ctx();
    fuzz_reader r = {data, size};
    unsigned mode = fuzz_byte(&r);
    kzg_blob *blob = fuzz_blob_alloc();
    kzg_commitment c, mask;
    kzg_proof proof;
    kzg_status st;
    bool real = false;

    fuzz_take(&r, mask.bytes, sizeof mask.bytes);
    fuzz_blob(blob, &r, mode);
    c = mask;
    if (mode & 8) {
        if (kzg_blob_to_kzg_commitment(ctx, &c, blob) != KZG_OK) goto out;
        real = !fuzz_xor(c.bytes, mask.bytes, sizeof c.bytes);
    }
    memset(&proof, 0xa5, sizeof proof);
    st = kzg_compute_blob_kzg_proof(ctx, &proof, blob, &c);
    if (st != KZG_OK) {
        fuzz_check_failure(st, &proof, sizeof proof);
        FUZZ_CHECK(!real);
    } else if (real) {
        bool ok = false;
        FUZZ_CHECK(kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c, &proof) == KZG_OK);
        FUZZ_CHECK(ok);
    }
out:
    free(blob);
    return 0;
}
