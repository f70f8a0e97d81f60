/* test_eip4844_metrics — a context given metrics records every public operation: calls,
 * errors by status, items; context creation too; a context without metrics records nothing. */
#include <stdlib.h>
#include <string.h>

#include "kzgkit.h"
#include "testrand.h"

int main(void) {
    testrand_init("test_eip4844_metrics");
    kzg_metrics *m = NULL;
    kzg_ctx *ctx = NULL, *plain = NULL;
    kzg_blob *blob = calloc(1, sizeof *blob);
    kzg_metrics_stats *s = malloc(sizeof *s);
    kzg_commitment c;
    kzg_proof p;
    bool ok = false;
    if (!blob || !s || kzg_metrics_new(&m) != KZG_OK) return 1;
    kzg_ctx_options o = {.struct_size = sizeof o, .metrics = m};
    CHECK(kzg_ctx_new(&ctx, &o) == KZG_OK, "ctx_new: %s", kzg_last_error());
    CHECK(kzg_ctx_new(&plain, NULL) == KZG_OK, "plain ctx_new");
    for (size_t j = 0; j < KZG_FIELD_ELEMENTS_PER_BLOB; j++) blob->bytes[j * 32 + 31] = (uint8_t)j;

    CHECK(kzg_blob_to_kzg_commitment(ctx, &c, blob) == KZG_OK, "commit");
    CHECK(kzg_compute_blob_kzg_proof(ctx, &p, blob, &c) == KZG_OK, "prove");
    CHECK(kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c, &p) == KZG_OK && ok, "verify");
    CHECK(kzg_verify_blob_kzg_proof_batch(ctx, &ok, blob, &c, &p, 1) == KZG_OK && ok, "batch");
    c.bytes[0] ^= 0x80; /* compression flag cleared: a bad encoding */
    CHECK(kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c, &p) == KZG_ERR_POINT_ENCODING, "bad commitment");
    CHECK(kzg_blob_to_kzg_commitment(plain, &c, blob) == KZG_OK, "commit on the plain context");

    CHECK(kzg_metrics_snapshot(m, s) == KZG_OK, "snapshot");
    CHECK(s->ops[KZG_OP_CTX_NEW].calls == 1, "ctx_new calls %llu",
          (unsigned long long)s->ops[KZG_OP_CTX_NEW].calls);
    CHECK(s->ops[KZG_OP_BLOB_TO_KZG_COMMITMENT].calls == 1,
          "commit calls %llu (the plain context must not record)",
          (unsigned long long)s->ops[KZG_OP_BLOB_TO_KZG_COMMITMENT].calls);
    CHECK(s->ops[KZG_OP_COMPUTE_BLOB_KZG_PROOF].calls == 1, "prove calls");
    CHECK(s->ops[KZG_OP_VERIFY_BLOB_KZG_PROOF].calls == 2, "verify calls %llu",
          (unsigned long long)s->ops[KZG_OP_VERIFY_BLOB_KZG_PROOF].calls);
    CHECK(s->ops[KZG_OP_VERIFY_BLOB_KZG_PROOF].errors == 1, "verify errors %llu",
          (unsigned long long)s->ops[KZG_OP_VERIFY_BLOB_KZG_PROOF].errors);
    CHECK(s->ops[KZG_OP_VERIFY_BLOB_KZG_PROOF].errors_by_status[KZG_ERR_POINT_ENCODING] == 1,
          "error not filed under its status");
    CHECK(s->ops[KZG_OP_VERIFY_BLOB_KZG_PROOF_BATCH].calls == 1, "batch calls");
    CHECK(s->ops[KZG_OP_BLOB_TO_KZG_COMMITMENT].total_ns > 0, "no time recorded");

    kzg_ctx_free(ctx);
    kzg_ctx_free(plain);
    kzg_metrics_free(m);
    free(blob);
    free(s);
    return test_report();
}
