/* test/fuzz/fuzz_verify_blob_kzg_proof.c — kzg_verify_blob_kzg_proof.
 * Input: MODE, COMMITMENT (48), PROOF (48), then blob bytes. MODE & 1 = derived: the real
 * commitment and blob proof, XORed with the input's bytes (all zero: must verify).
 * Properties: failures follow the kzg.h contract (*ok false); a true statement verifies. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const kzg_ctx *ctx = fuzz_ctx();
    fuzz_reader r = {data, size};
    unsigned mode = fuzz_byte(&r);
    kzg_blob *blob = fuzz_blob_alloc();
    kzg_commitment c, cm;
    kzg_proof p, pm;
    kzg_status st;
    bool ok = true, truth = false;

    fuzz_take(&r, cm.bytes, sizeof cm.bytes);
    fuzz_take(&r, pm.bytes, sizeof pm.bytes);
    c = cm;
    p = pm;
    if (mode & 1) {
        fuzz_blob(blob, &r, mode | FUZZ_BLOB_CANONICAL);
        FUZZ_CHECK(kzg_blob_to_kzg_commitment(ctx, &c, blob) == KZG_OK);
        FUZZ_CHECK(kzg_compute_blob_kzg_proof(ctx, &p, blob, &c) == KZG_OK);
        truth = !fuzz_xor(c.bytes, cm.bytes, sizeof c.bytes);
        truth &= !fuzz_xor(p.bytes, pm.bytes, sizeof p.bytes);
    } else {
        fuzz_blob(blob, &r, mode);
    }
    st = kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c, &p);
    if (st != KZG_OK) {
        fuzz_check_failure(st, NULL, 0);
        FUZZ_CHECK(!ok);
        FUZZ_CHECK(!truth);
    } else if (truth) {
        FUZZ_CHECK(ok);
    }
    free(blob);
    return 0;
}
