/* test/fuzz/fuzz_compute_kzg_proof.c — kzg_compute_kzg_proof.
 * Input: MODE, Z (32 bytes; MODE & 8 makes it canonical), then blob bytes. Properties:
 * failures follow the kzg.h contract (proof and y zeroed); with MODE & 4, an accepted
 * (proof, y) verifies against the blob's commitment, and a different y does not. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const kzg_ctx *ctx = fuzz_ctx();
    fuzz_reader r = {data, size};
    unsigned mode = fuzz_byte(&r);
    kzg_blob *blob = fuzz_blob_alloc();
    kzg_field_element z, y;
    kzg_proof proof;
    kzg_status st;

    fuzz_take(&r, z.bytes, sizeof z.bytes);
    if (mode & 8) z.bytes[0] &= 0x3f;
    fuzz_blob(blob, &r, mode);
    memset(&proof, 0xa5, sizeof proof);
    memset(&y, 0xa5, sizeof y);
    st = kzg_compute_kzg_proof(ctx, &proof, &y, blob, &z);
    if (st != KZG_OK) {
        fuzz_check_failure(st, &proof, sizeof proof);
        FUZZ_CHECK(fuzz_all_zero(&y, sizeof y));
        FUZZ_CHECK(st == KZG_ERR_SCALAR_NONCANONICAL);
    } else if (mode & 4) {
        kzg_commitment c;
        bool ok = false;
        FUZZ_CHECK(kzg_blob_to_kzg_commitment(ctx, &c, blob) == KZG_OK);
        FUZZ_CHECK(kzg_verify_kzg_proof(ctx, &ok, &c, &z, &y, &proof) == KZG_OK);
        FUZZ_CHECK(ok);
        y.bytes[31] ^= 1; /* y' = y ± 1: either non-canonical (an error) or false */
        st = kzg_verify_kzg_proof(ctx, &ok, &c, &z, &y, &proof);
        FUZZ_CHECK(st != KZG_OK || !ok);
    }
    free(blob);
    return 0;
}
