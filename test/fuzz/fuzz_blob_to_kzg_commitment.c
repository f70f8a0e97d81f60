/* test/fuzz/fuzz_blob_to_kzg_commitment.c — kzg_blob_to_kzg_commitment.
 * Input: MODE, then blob bytes (see fuzz_blob). Properties: failures follow the kzg.h
 * contract; a blob the library rejects has a non-canonical element (checked against r);
 * with MODE & 4, a commitment it accepts also verifies a blob proof computed from it. */
#include "fuzz_common.h"

static bool blob_canonical(const kzg_blob *b) {
    static const uint8_t r_be[32] = {
        0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8, 0x08, 0x09, 0xa1, 0xd8, 0x05,
        0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe, 0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
    };
    for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++)
        if (memcmp(b->bytes + 32 * i, r_be, 32) >= 0) return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const kzg_ctx *ctx = fuzz_ctx();
    fuzz_reader r = {data, size};
    unsigned mode = fuzz_byte(&r);
    kzg_blob *blob = fuzz_blob_alloc();
    kzg_commitment c;
    kzg_status st;

    fuzz_blob(blob, &r, mode);
    memset(&c, 0xa5, sizeof c); /* the library must overwrite it either way */
    st = kzg_blob_to_kzg_commitment(ctx, &c, blob);
    if (st != KZG_OK) {
        fuzz_check_failure(st, &c, sizeof c);
        FUZZ_CHECK(st == KZG_ERR_SCALAR_NONCANONICAL);
        FUZZ_CHECK(!blob_canonical(blob));
    } else {
        FUZZ_CHECK(blob_canonical(blob));
        if (mode & 4) {
            kzg_proof p;
            bool ok = false;
            FUZZ_CHECK(kzg_compute_blob_kzg_proof(ctx, &p, blob, &c) == KZG_OK);
            FUZZ_CHECK(kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c, &p) == KZG_OK);
            FUZZ_CHECK(ok);
        }
    }
    free(blob);
    return 0;
}
