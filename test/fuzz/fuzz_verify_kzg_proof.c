/* test/fuzz/fuzz_verify_kzg_proof.c — kzg_verify_kzg_proof.
 * Input: MODE, COMMITMENT (48), Z (32), Y (32), PROOF (48), then blob bytes.
 * MODE & 1 = derived: the commitment, y and proof are computed from the blob at a canonical
 * z and then XORed with the input's COMMITMENT, Y and PROOF bytes (all zero: the true
 * statement, which must verify). Otherwise the four values are taken as given.
 * Properties: failures follow the kzg.h contract (*ok false); a true statement verifies. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const kzg_ctx *ctx = fuzz_ctx();
    fuzz_reader r = {data, size};
    unsigned mode = fuzz_byte(&r);
    kzg_commitment c, cm;
    kzg_field_element z, y, ym;
    kzg_proof p, pm;
    kzg_status st;
    bool ok = true, truth = false;

    fuzz_take(&r, cm.bytes, sizeof cm.bytes);
    fuzz_take(&r, z.bytes, sizeof z.bytes);
    fuzz_take(&r, ym.bytes, sizeof ym.bytes);
    fuzz_take(&r, pm.bytes, sizeof pm.bytes);
    c = cm;
    y = ym;
    p = pm;
    if (mode & 1) {
        kzg_blob *blob = fuzz_blob_alloc();
        fuzz_blob(blob, &r, mode | FUZZ_BLOB_CANONICAL);
        z.bytes[0] &= 0x3f;
        FUZZ_CHECK(kzg_blob_to_kzg_commitment(ctx, &c, blob) == KZG_OK);
        FUZZ_CHECK(kzg_compute_kzg_proof(ctx, &p, &y, blob, &z) == KZG_OK);
        free(blob);
        truth = !fuzz_xor(c.bytes, cm.bytes, sizeof c.bytes);
        truth &= !fuzz_xor(y.bytes, ym.bytes, sizeof y.bytes);
        truth &= !fuzz_xor(p.bytes, pm.bytes, sizeof p.bytes);
    }
    st = kzg_verify_kzg_proof(ctx, &ok, &c, &z, &y, &p);
    if (st != KZG_OK) {
        fuzz_check_failure(st, NULL, 0);
        FUZZ_CHECK(!ok);
        FUZZ_CHECK(!truth);
    } else if (truth) {
        FUZZ_CHECK(ok);
    }
    return 0;
}
