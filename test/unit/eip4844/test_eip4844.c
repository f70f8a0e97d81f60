/*
 * test_eip4844 — the six EIP-4844 functions through the public API, on the embedded setup.
 * Oracles: round trips (a proof made here verifies, a tampered one does not), the value at
 * a point of the domain is the blob's element, and for malformed input the exact status, a
 * detail naming the input and index, and zeroed outputs. Byte-exactness with the consensus
 * specs is the reference-vector runner's job (kzgkit check-vectors).
 */
#include <stdint.h>
#include <stdlib.h>

#include "eip4844/eip4844_internal.h"
#include "setup/setup.h"
#include "testblob.h"
#include "testrand.h"

static kzg_ctx *ctx;

static void rand_fe(kzg_field_element *z) {
    fr_t x;
    uint8_t r[32];
    testrand_bytes(r, 32);
    fr_from_bytes_be_reduce(&x, r);
    fr_to_bytes_be(z->bytes, &x);
}

static bool all_zero(const void *p, size_t n) {
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i]) return false;
    return true;
}

/* r itself, big-endian: the smallest non-canonical field element. */
static void put_modulus(uint8_t out[32]) {
    for (int k = 0; k < 4; k++)
        for (int j = 0; j < 8; j++) out[31 - 8 * k - j] = (uint8_t)(FR_R[k] >> (8 * j));
}

static void g1_bytes_with_status(uint8_t out[48], kzg_status want) {
    g1_aff_t a;
    for (uint32_t x = 1;; x++) {
        memset(out, 0, 48);
        out[0] = 0x80;
        out[46] = (uint8_t)(x >> 8), out[47] = (uint8_t)x;
        if (g1_decompress(&a, out) == want) return;
    }
}

#define EXPECT(call, want, detail, what)                                                       \
    do {                                                                                       \
        kzg_status st_ = (call);                                                               \
        CHECK(st_ == (want), "%s: status %d (%s), want %d; detail: %s", what, st_,             \
              kzg_status_str(st_), want, kzg_last_error());                                     \
        if ((want) != KZG_OK)                                                                  \
            CHECK(strstr(kzg_last_error(), detail) != NULL, "%s: detail \"%s\" lacks \"%s\"",  \
                  what, kzg_last_error(), detail);                                             \
    } while (0)

static void test_eip4844__blob_round_trip(void) {
    kzg_blob *blob = malloc(sizeof *blob);
    kzg_commitment c;
    kzg_proof p, p2;
    bool ok;
    for (int round = 0; round < 2; round++) {
        testrand_blob(blob, true);
        EXPECT(kzg_blob_to_kzg_commitment(ctx, &c, blob), KZG_OK, "", "commit");
        EXPECT(kzg_compute_blob_kzg_proof(ctx, &p, blob, &c), KZG_OK, "", "blob proof");
        EXPECT(kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c, &p), KZG_OK, "", "verify");
        CHECK(ok, "round %d: a fresh blob proof does not verify", round);
        /* a different blob's proof: well-formed, wrong */
        blob->bytes[31] ^= 1;
        EXPECT(kzg_compute_blob_kzg_proof(ctx, &p2, blob, &c), KZG_OK, "", "blob proof 2");
        blob->bytes[31] ^= 1;
        EXPECT(kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c, &p2), KZG_OK, "", "verify wrong");
        CHECK(!ok, "round %d: a wrong proof verifies", round);
    }
    /* The zero blob commits to infinity, whose proof is infinity, and both verify. */
    memset(blob, 0, sizeof *blob);
    EXPECT(kzg_blob_to_kzg_commitment(ctx, &c, blob), KZG_OK, "", "commit zero");
    CHECK(c.bytes[0] == 0xc0 && all_zero(c.bytes + 1, 47), "zero blob: commitment not infinity");
    EXPECT(kzg_compute_blob_kzg_proof(ctx, &p, blob, &c), KZG_OK, "", "proof zero");
    EXPECT(kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c, &p), KZG_OK, "", "verify zero");
    CHECK(ok, "zero blob does not verify");
    free(blob);
}

static void test_eip4844__kzg_proof_outside_and_inside_the_domain(void) {
    kzg_blob *blob = malloc(sizeof *blob);
    kzg_commitment c;
    kzg_proof p;
    kzg_field_element z, y, y1;
    bool ok;
    testrand_blob(blob, true);
    EXPECT(kzg_blob_to_kzg_commitment(ctx, &c, blob), KZG_OK, "", "commit");

    rand_fe(&z);
    EXPECT(kzg_compute_kzg_proof(ctx, &p, &y, blob, &z), KZG_OK, "", "proof at random z");
    EXPECT(kzg_verify_kzg_proof(ctx, &ok, &c, &z, &y, &p), KZG_OK, "", "verify random z");
    CHECK(ok, "proof at a random z does not verify");
    y1 = y;
    y1.bytes[31] ^= 1;
    if (fr_from_bytes_be(&(fr_t){0}, y1.bytes)) {
        EXPECT(kzg_verify_kzg_proof(ctx, &ok, &c, &z, &y1, &p), KZG_OK, "", "verify wrong y");
        CHECK(!ok, "a wrong y verifies");
    }

    /* z = the i-th root of the (bit-reversed) domain: y is the blob's i-th element and the
     * quotient uses compute_quotient_eval_within_domain. */
    size_t idx[3] = {0, 1 + testrand_range(4094), 4095};
    for (int k = 0; k < 3; k++) {
        size_t i = idx[k];
        fr_to_bytes_be(z.bytes, &ctx->roots_brp[i]);
        EXPECT(kzg_compute_kzg_proof(ctx, &p, &y, blob, &z), KZG_OK, "", "proof in domain");
        CHECK(memcmp(y.bytes, blob->bytes + 32 * i, 32) == 0, "p(ω_%zu) is not blob element %zu", i, i);
        EXPECT(kzg_verify_kzg_proof(ctx, &ok, &c, &z, &y, &p), KZG_OK, "", "verify in domain");
        CHECK(ok, "proof at domain point %zu does not verify", i);
    }
    free(blob);
}

static void test_eip4844__batch(void) {
    enum { N = 3 };
    kzg_blob *blobs = malloc(N * sizeof *blobs);
    kzg_commitment c[N];
    kzg_proof p[N];
    bool ok = false;
    for (int i = 0; i < N; i++) {
        testrand_blob(&blobs[i], true);
        kzg_blob_to_kzg_commitment(ctx, &c[i], &blobs[i]);
        kzg_compute_blob_kzg_proof(ctx, &p[i], &blobs[i], &c[i]);
    }
    EXPECT(kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, c, p, N), KZG_OK, "", "batch");
    CHECK(ok, "a valid batch of %d does not verify", N);
    EXPECT(kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, c, p, 1), KZG_OK, "", "batch of 1");
    CHECK(ok, "a valid batch of 1 does not verify");
    EXPECT(kzg_verify_blob_kzg_proof_batch(ctx, &ok, NULL, NULL, NULL, 0), KZG_OK, "", "empty batch");
    CHECK(ok, "the empty batch does not verify");

    kzg_proof t = p[1];
    p[1] = p[2];
    p[2] = t;
    EXPECT(kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, c, p, N), KZG_OK, "", "swapped proofs");
    CHECK(!ok, "a batch with swapped proofs verifies");
    p[2] = p[1];
    p[1] = t;

    /* malformed members: status, index in the detail, ok false */
    put_modulus(blobs[2].bytes + 32 * 77);
    ok = true;
    EXPECT(kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, c, p, N), KZG_ERR_SCALAR_NONCANONICAL,
           "blobs[2]: field element 77", "batch: blob element = r");
    CHECK(!ok, "ok set on failure");
    testrand_blob(&blobs[2], true);
    kzg_commitment saved = c[1];
    g1_bytes_with_status(c[1].bytes, KZG_ERR_POINT_NOT_IN_SUBGROUP);
    EXPECT(kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, c, p, N), KZG_ERR_POINT_NOT_IN_SUBGROUP,
           "commitments[1]", "batch: commitment not in subgroup");
    c[1] = saved;
    g1_bytes_with_status(p[2].bytes, KZG_ERR_POINT_NOT_ON_CURVE);
    EXPECT(kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, c, p, N), KZG_ERR_POINT_NOT_ON_CURVE,
           "proofs[2]", "batch: proof not on curve");
    EXPECT(kzg_verify_blob_kzg_proof_batch(ctx, &ok, NULL, c, p, N), KZG_ERR_NULL_ARG, "blobs",
           "batch: NULL blobs");
    EXPECT(kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, c, NULL, N), KZG_ERR_NULL_ARG, "proofs",
           "batch: NULL proofs");
    EXPECT(kzg_verify_blob_kzg_proof_batch(ctx, NULL, blobs, c, p, N), KZG_ERR_NULL_ARG, "ok",
           "batch: NULL ok");
    EXPECT(kzg_verify_blob_kzg_proof_batch(NULL, &ok, blobs, c, p, 0), KZG_ERR_NULL_ARG, "ctx",
           "batch: NULL ctx");
    EXPECT(kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, c, p, SIZE_MAX / 8), KZG_ERR_LENGTH, "too large",
           "batch: huge n");
    free(blobs);
}

static void test_eip4844__malformed_inputs_get_their_status(void) {
    kzg_blob *blob = malloc(sizeof *blob);
    kzg_commitment c, bad;
    kzg_proof p, out;
    kzg_field_element z, y, zbad;
    bool ok;
    testrand_blob(blob, true);
    kzg_blob_to_kzg_commitment(ctx, &c, blob);
    rand_fe(&z);
    kzg_compute_kzg_proof(ctx, &p, &y, blob, &z);

    /* blob element >= r: the index is in the detail, outputs zeroed */
    kzg_blob *bb = malloc(sizeof *bb);
    *bb = *blob;
    put_modulus(bb->bytes + 32 * 1234);
    memset(&out, 0xaa, sizeof out);
    EXPECT(kzg_blob_to_kzg_commitment(ctx, &out, bb), KZG_ERR_SCALAR_NONCANONICAL, "field element 1234",
           "commit: element = r");
    CHECK(all_zero(&out, sizeof out), "commitment not zeroed on failure");
    memset(bb->bytes + 32 * 1234, 0xff, 32);
    kzg_field_element yo;
    memset(&out, 0xaa, sizeof out);
    memset(&yo, 0xaa, sizeof yo);
    EXPECT(kzg_compute_kzg_proof(ctx, &out, &yo, bb, &z), KZG_ERR_SCALAR_NONCANONICAL, "field element 1234",
           "proof: element = 2^256-1");
    CHECK(all_zero(&out, sizeof out) && all_zero(&yo, sizeof yo), "proof/y not zeroed on failure");
    ok = true;
    EXPECT(kzg_verify_blob_kzg_proof(ctx, &ok, bb, &c, &p), KZG_ERR_SCALAR_NONCANONICAL, "blob: field element 1234",
           "verify blob: element >= r");
    CHECK(!ok, "ok not false on failure");

    /* scalars z, y */
    put_modulus(zbad.bytes);
    EXPECT(kzg_compute_kzg_proof(ctx, &out, &yo, blob, &zbad), KZG_ERR_SCALAR_NONCANONICAL, "z", "proof: z = r");
    EXPECT(kzg_verify_kzg_proof(ctx, &ok, &c, &zbad, &y, &p), KZG_ERR_SCALAR_NONCANONICAL, "z", "verify: z = r");
    EXPECT(kzg_verify_kzg_proof(ctx, &ok, &c, &z, &zbad, &p), KZG_ERR_SCALAR_NONCANONICAL, "y", "verify: y = r");

    /* commitment / proof encodings */
    bad = c;
    bad.bytes[0] &= 0x7f; /* not compressed */
    EXPECT(kzg_verify_kzg_proof(ctx, &ok, &bad, &z, &y, &p), KZG_ERR_POINT_ENCODING, "commitment", "no compression flag");
    memset(&bad, 0, sizeof bad);
    bad.bytes[0] = 0xc0;
    bad.bytes[47] = 1; /* infinity with a non-zero body */
    EXPECT(kzg_verify_kzg_proof(ctx, &ok, &c, &z, &y, &bad), KZG_ERR_POINT_ENCODING, "proof", "bad infinity");
    bad.bytes[47] = 0;
    bad.bytes[0] = 0xe0; /* infinity with the sign bit */
    EXPECT(kzg_compute_blob_kzg_proof(ctx, &out, blob, &bad), KZG_ERR_POINT_ENCODING, "commitment", "infinity + sign");
    memset(bad.bytes, 0xff, 48);
    bad.bytes[0] = 0x9f; /* x >= p */
    EXPECT(kzg_verify_blob_kzg_proof(ctx, &ok, blob, &bad, &p), KZG_ERR_POINT_ENCODING, "commitment", "x >= p");
    g1_bytes_with_status(bad.bytes, KZG_ERR_POINT_NOT_ON_CURVE);
    EXPECT(kzg_verify_blob_kzg_proof(ctx, &ok, blob, &bad, &p), KZG_ERR_POINT_NOT_ON_CURVE, "commitment", "not on curve");
    EXPECT(kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c, &bad), KZG_ERR_POINT_NOT_ON_CURVE, "proof", "proof not on curve");
    g1_bytes_with_status(bad.bytes, KZG_ERR_POINT_NOT_IN_SUBGROUP);
    EXPECT(kzg_compute_blob_kzg_proof(ctx, &out, blob, &bad), KZG_ERR_POINT_NOT_IN_SUBGROUP, "commitment", "not in subgroup");
    CHECK(all_zero(&out, sizeof out), "blob proof not zeroed on failure");
    EXPECT(kzg_verify_kzg_proof(ctx, &ok, &c, &z, &y, &bad), KZG_ERR_POINT_NOT_IN_SUBGROUP, "proof", "proof not in subgroup");

    /* infinity is a valid commitment and proof: the zero polynomial at any z is 0 */
    memset(&bad, 0, sizeof bad);
    bad.bytes[0] = 0xc0;
    kzg_field_element zero = {{0}};
    EXPECT(kzg_verify_kzg_proof(ctx, &ok, &bad, &z, &zero, &bad), KZG_OK, "", "infinity");
    CHECK(ok, "infinity/infinity/0 does not verify");

    /* NULL arguments */
    EXPECT(kzg_blob_to_kzg_commitment(NULL, &out, blob), KZG_ERR_NULL_ARG, "ctx", "commit NULL ctx");
    EXPECT(kzg_blob_to_kzg_commitment(ctx, NULL, blob), KZG_ERR_NULL_ARG, "out", "commit NULL out");
    EXPECT(kzg_blob_to_kzg_commitment(ctx, &out, NULL), KZG_ERR_NULL_ARG, "blob", "commit NULL blob");
    EXPECT(kzg_compute_kzg_proof(ctx, &out, NULL, blob, &z), KZG_ERR_NULL_ARG, "y_out", "proof NULL y");
    EXPECT(kzg_compute_kzg_proof(ctx, &out, &yo, blob, NULL), KZG_ERR_NULL_ARG, "z", "proof NULL z");
    EXPECT(kzg_compute_blob_kzg_proof(ctx, &out, blob, NULL), KZG_ERR_NULL_ARG, "commitment", "blob proof NULL c");
    EXPECT(kzg_verify_kzg_proof(ctx, &ok, &c, &z, &y, NULL), KZG_ERR_NULL_ARG, "proof", "verify NULL proof");
    EXPECT(kzg_verify_kzg_proof(ctx, NULL, &c, &z, &y, &p), KZG_ERR_NULL_ARG, "ok", "verify NULL ok");
    EXPECT(kzg_verify_blob_kzg_proof(ctx, &ok, NULL, &c, &p), KZG_ERR_NULL_ARG, "blob", "verify blob NULL blob");
    /* every other pointer of every EIP-4844 function (issue 15 §2: these arms were uncovered) */
    EXPECT(kzg_compute_kzg_proof(ctx, NULL, &yo, blob, &z), KZG_ERR_NULL_ARG, "proof_out", "proof NULL proof_out");
    EXPECT(kzg_compute_kzg_proof(NULL, &out, &yo, blob, &z), KZG_ERR_NULL_ARG, "ctx", "proof NULL ctx");
    EXPECT(kzg_compute_kzg_proof(ctx, &out, &yo, NULL, &z), KZG_ERR_NULL_ARG, "blob", "proof NULL blob");
    EXPECT(kzg_compute_blob_kzg_proof(ctx, NULL, blob, &c), KZG_ERR_NULL_ARG, "out", "blob proof NULL out");
    EXPECT(kzg_compute_blob_kzg_proof(NULL, &out, blob, &c), KZG_ERR_NULL_ARG, "ctx", "blob proof NULL ctx");
    EXPECT(kzg_compute_blob_kzg_proof(ctx, &out, NULL, &c), KZG_ERR_NULL_ARG, "blob", "blob proof NULL blob");
    EXPECT(kzg_verify_kzg_proof(NULL, &ok, &c, &z, &y, &p), KZG_ERR_NULL_ARG, "ctx", "verify NULL ctx");
    EXPECT(kzg_verify_kzg_proof(ctx, &ok, NULL, &z, &y, &p), KZG_ERR_NULL_ARG, "commitment", "verify NULL commitment");
    EXPECT(kzg_verify_kzg_proof(ctx, &ok, &c, NULL, &y, &p), KZG_ERR_NULL_ARG, "z", "verify NULL z");
    EXPECT(kzg_verify_kzg_proof(ctx, &ok, &c, &z, NULL, &p), KZG_ERR_NULL_ARG, "y", "verify NULL y");
    EXPECT(kzg_verify_blob_kzg_proof(NULL, &ok, blob, &c, &p), KZG_ERR_NULL_ARG, "ctx", "verify blob NULL ctx");
    EXPECT(kzg_verify_blob_kzg_proof(ctx, NULL, blob, &c, &p), KZG_ERR_NULL_ARG, "ok", "verify blob NULL ok");
    EXPECT(kzg_verify_blob_kzg_proof(ctx, &ok, blob, NULL, &p), KZG_ERR_NULL_ARG, "commitment", "verify blob NULL c");
    EXPECT(kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c, NULL), KZG_ERR_NULL_ARG, "proof", "verify blob NULL proof");
    /* the batch extensions: n == 0 is a no-op, NULL arrays and absurd counts are refused
     * before any array is touched */
    size_t huge = SIZE_MAX / 8;
    EXPECT(kzg_blob_to_kzg_commitment_batch(NULL, NULL, NULL, 0), KZG_OK, "", "commit batch n=0");
    EXPECT(kzg_blob_to_kzg_commitment_batch(ctx, NULL, blob, 1), KZG_ERR_NULL_ARG, "out", "commit batch NULL out");
    EXPECT(kzg_blob_to_kzg_commitment_batch(NULL, &out, blob, 1), KZG_ERR_NULL_ARG, "ctx", "commit batch NULL ctx");
    EXPECT(kzg_blob_to_kzg_commitment_batch(ctx, &out, NULL, 1), KZG_ERR_NULL_ARG, "blobs", "commit batch NULL blobs");
    EXPECT(kzg_blob_to_kzg_commitment_batch(ctx, &out, blob, huge), KZG_ERR_LENGTH, "too large", "commit batch huge n");
    EXPECT(kzg_compute_blob_kzg_proof_batch(NULL, NULL, NULL, NULL, 0), KZG_OK, "", "prove batch n=0");
    EXPECT(kzg_compute_blob_kzg_proof_batch(ctx, NULL, blob, &c, 1), KZG_ERR_NULL_ARG, "out", "prove batch NULL out");
    EXPECT(kzg_compute_blob_kzg_proof_batch(NULL, &out, blob, &c, 1), KZG_ERR_NULL_ARG, "ctx", "prove batch NULL ctx");
    EXPECT(kzg_compute_blob_kzg_proof_batch(ctx, &out, NULL, &c, 1), KZG_ERR_NULL_ARG, "blobs", "prove batch NULL blobs");
    EXPECT(kzg_compute_blob_kzg_proof_batch(ctx, &out, blob, NULL, 1), KZG_ERR_NULL_ARG, "commitments", "prove batch NULL c");
    EXPECT(kzg_compute_blob_kzg_proof_batch(ctx, &out, blob, &c, huge), KZG_ERR_LENGTH, "too large", "prove batch huge n");
    EXPECT(kzg_verify_blob_kzg_proof_batch(ctx, &ok, blob, NULL, &p, 1), KZG_ERR_NULL_ARG, "commitments", "verify batch NULL c");
    EXPECT(kzg_verify_blob_kzg_proof_batch(ctx, &ok, blob, &c, &p, huge), KZG_ERR_LENGTH, "too large", "verify batch huge n");
    CHECK(!ok, "verify batch: ok set on failure");
    /* the context's own functions */
    uint8_t byte = 0;
    char pbuf[64];
    bool applied = true;
    EXPECT(kzg_ctx_new_from_bytes(NULL, &byte, 1, &byte, 1, &byte, 1, NULL), KZG_ERR_NULL_ARG, "out is NULL",
           "from_bytes NULL out");
    kzg_ctx *nc = (kzg_ctx *)&nc;
    EXPECT(kzg_ctx_new_from_bytes(&nc, &byte, 1, NULL, 1, &byte, 1, NULL), KZG_ERR_NULL_ARG, "g1_lagrange",
           "from_bytes NULL g1_lagrange");
    CHECK(nc == NULL, "from_bytes: *out not reset");
    EXPECT(kzg_ctx_new_from_bytes(&nc, &byte, 1, &byte, 1, NULL, 1, NULL), KZG_ERR_NULL_ARG, "g2_monomial",
           "from_bytes NULL g2_monomial");
    EXPECT(kzg_ctx_new_from_file(NULL, "x", KZG_SETUP_AUTO, NULL), KZG_ERR_NULL_ARG, "out is NULL", "from_file NULL out");
    EXPECT(kzg_ctx_profile_info(NULL, pbuf, sizeof pbuf, &applied), KZG_ERR_NULL_ARG, "NULL", "profile_info NULL ctx");
    CHECK(!applied && pbuf[0] == 0, "profile_info: outputs not cleared");
    EXPECT(kzg_ctx_profile_info(ctx, pbuf, 0, &applied), KZG_ERR_LENGTH, "buf_len is 0", "profile_info buf_len 0");
    EXPECT(kzg_profile_backend("x", pbuf, 0), KZG_ERR_LENGTH, "name_len is 0", "profile_backend name_len 0");
    EXPECT(kzg_ctx_cache_stats(ctx, NULL), KZG_ERR_NULL_ARG, "out is NULL", "cache_stats NULL out");
    CHECK(kzg_ctx_threads(NULL) == 0, "kzg_ctx_threads(NULL)");

    /* the detail is cleared by the next successful call */
    EXPECT(kzg_verify_kzg_proof(ctx, &ok, &c, &z, &y, &p), KZG_OK, "", "valid");
    CHECK(ok && kzg_last_error()[0] == 0, "detail not cleared: %s", kzg_last_error());
    free(bb);
    free(blob);
}

static void test_eip4844__compute_challenge_hook(void) {
    kzg_blob *blob = malloc(sizeof *blob);
    kzg_commitment c;
    uint8_t a[32], b[32];
    fr_t x;
    testrand_blob(blob, true);
    memset(&c, 0x5a, sizeof c); /* hashed as given: need not be a point */
    EXPECT(eip4844_compute_challenge(a, blob, &c), KZG_OK, "", "challenge");
    CHECK(fr_from_bytes_be(&x, a), "challenge is not canonical");
    c.bytes[47] ^= 1;
    eip4844_compute_challenge(b, blob, &c);
    CHECK(memcmp(a, b, 32) != 0, "challenge ignores the commitment");
    EXPECT(eip4844_compute_challenge(a, NULL, &c), KZG_ERR_NULL_ARG, "blob", "challenge NULL blob");
    CHECK(all_zero(a, 32), "challenge not zeroed");
    free(blob);
}

int main(void) {
    testrand_init("test_eip4844");
    if (kzg_ctx_new(&ctx, NULL) != KZG_OK) {
        fprintf(stderr, "kzg_ctx_new: %s\n", kzg_last_error());
        return 1;
    }
    test_eip4844__blob_round_trip();
    test_eip4844__kzg_proof_outside_and_inside_the_domain();
    test_eip4844__batch();
    test_eip4844__malformed_inputs_get_their_status();
    test_eip4844__compute_challenge_hook();
    kzg_ctx_free(ctx);
    return test_report();
}
