/*
 * eip4844/eip4844.c — the EIP-4844 blob functions of consensus-specs
 * deneb/polynomial-commitments.md, named as there with the kzg_ prefix.
 *
 * Owns: input validation at the boundary (canonical blob elements, KZGCommitment/KZGProof
 * validation = ZCash decoding + subgroup check, infinity allowed), the Fiat–Shamir
 * transcripts, the spec functions. May call: setup, msm, poly, pairing, curve, field, common.
 *
 * Every public function: clears the error detail, zeroes its outputs, checks its pointers
 * (KZG_ERR_NULL_ARG), and on failure returns the status of the first failing check with a
 * detail naming the input, the index and the check. Memory: kzg_malloc/kzg_free, one
 * `goto out` cleanup per function.
 */
#include <openssl/evp.h>
#include <stdio.h>

#include "eip4844/eip4844_internal.h"
#include "msm/msm.h"
#include "pairing/pairing.h"
#include "poly/poly.h"
#include "setup/setup.h"

#define N_BLOB KZG_FIELD_ELEMENTS_PER_BLOB

static const char FIAT_SHAMIR_PROTOCOL_DOMAIN[16] = {'F', 'S', 'B', 'L', 'O', 'B', 'V', 'E',
                                                     'R', 'I', 'F', 'Y', '_', 'V', '1', '_'};
static const char RANDOM_CHALLENGE_KZG_BATCH_DOMAIN[16] = {'R', 'C', 'K', 'Z', 'G', 'B', 'A', 'T',
                                                           'C', 'H', '_', '_', '_', 'V', '1', '_'};

/* ---- boundary: bytes to internal values ------------------------------------------------ */

/* "name" or "name[idx]" (idx = SIZE_MAX: a single input). */
static const char *label(char buf[48], const char *name, size_t idx) {
    if (idx == SIZE_MAX) return name;
    snprintf(buf, 48, "%s[%zu]", name, idx);
    return buf;
}

/* The spec's bytes_to_kzg_commitment / bytes_to_kzg_proof: KeyValidate, infinity allowed. */
static kzg_status g1_from_bytes(g1_aff_t *out, const kzg_g1_bytes *in, const char *name, size_t idx) {
    kzg_status st = g1_decompress(out, in->bytes);
    if (st != KZG_OK) {
        char buf[48];
        const char *why = st == KZG_ERR_POINT_ENCODING ? "bad encoding (flags, or x >= p)"
                                                       : kzg_status_str(st);
        return kzg_fail(st, "%s: %s", label(buf, name, idx), why);
    }
    return KZG_OK;
}

/* The spec's bytes_to_bls_field. */
static kzg_status fr_from_input(fr_t *out, const kzg_field_element *in, const char *name) {
    if (!fr_from_bytes_be(out, in->bytes))
        return kzg_fail(KZG_ERR_SCALAR_NONCANONICAL, "%s: not a canonical field element (>= r)", name);
    return KZG_OK;
}

/* The spec's blob_to_polynomial. */
static kzg_status blob_to_polynomial(fr_t *out, const kzg_blob *blob, const char *name, size_t idx) {
    for (size_t i = 0; i < N_BLOB; i++) {
        if (!fr_from_bytes_be(&out[i], blob->bytes + i * KZG_BYTES_PER_FIELD_ELEMENT)) {
            char buf[48];
            return kzg_fail(KZG_ERR_SCALAR_NONCANONICAL,
                            "%s: field element %zu is not canonical (>= r)", label(buf, name, idx), i);
        }
    }
    return KZG_OK;
}

static void g1_to_bytes(kzg_g1_bytes *out, const g1_t *p) {
    g1_aff_t a;
    g1_to_aff(&a, p);
    g1_compress(out->bytes, &a);
}

/* ---- Fiat–Shamir ----------------------------------------------------------------------- */

static void u64_be(uint8_t out[8], uint64_t v) {
    for (int i = 7; i >= 0; i--, v >>= 8) out[i] = (uint8_t)v;
}

/* compute_challenge: hash_to_bls_field(DOMAIN || u128_be(4096) || blob || commitment). */
static kzg_status compute_challenge(fr_t *out, const kzg_blob *blob, const uint8_t commitment[48]) {
    uint8_t degree[16] = {0}, h[32];
    unsigned int hl = 0;
    u64_be(degree + 8, N_BLOB);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md) return kzg_fail(KZG_ERR_MEMORY, "compute_challenge: cannot allocate a SHA-256 context");
    bool ok = EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
              EVP_DigestUpdate(md, FIAT_SHAMIR_PROTOCOL_DOMAIN, 16) == 1 &&
              EVP_DigestUpdate(md, degree, 16) == 1 &&
              EVP_DigestUpdate(md, blob->bytes, KZG_BYTES_PER_BLOB) == 1 &&
              EVP_DigestUpdate(md, commitment, 48) == 1 && EVP_DigestFinal_ex(md, h, &hl) == 1;
    EVP_MD_CTX_free(md);
    if (!ok || hl != 32) return kzg_fail(KZG_ERR_INTERNAL, "compute_challenge: SHA-256 failed");
    fr_from_bytes_be_reduce(out, h);
    return KZG_OK;
}

/* The batch challenge of verify_kzg_proof_batch:
 * hash_to_bls_field(DOMAIN || u64_be(4096) || u64_be(n) || Σ_i commitment_i || z_i || y_i || proof_i). */
static kzg_status compute_r(fr_t *out, const kzg_commitment *commitments, const fr_t *zs,
                            const fr_t *ys, const kzg_proof *proofs, size_t n) {
    uint8_t head[16], h[32], zb[32], yb[32];
    unsigned int hl = 0;
    u64_be(head, N_BLOB);
    u64_be(head + 8, (uint64_t)n);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md) return kzg_fail(KZG_ERR_MEMORY, "verify batch: cannot allocate a SHA-256 context");
    bool ok = EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
              EVP_DigestUpdate(md, RANDOM_CHALLENGE_KZG_BATCH_DOMAIN, 16) == 1 &&
              EVP_DigestUpdate(md, head, 16) == 1;
    for (size_t i = 0; ok && i < n; i++) {
        fr_to_bytes_be(zb, &zs[i]);
        fr_to_bytes_be(yb, &ys[i]);
        ok = EVP_DigestUpdate(md, commitments[i].bytes, 48) == 1 && EVP_DigestUpdate(md, zb, 32) == 1 &&
             EVP_DigestUpdate(md, yb, 32) == 1 && EVP_DigestUpdate(md, proofs[i].bytes, 48) == 1;
    }
    ok = ok && EVP_DigestFinal_ex(md, h, &hl) == 1;
    EVP_MD_CTX_free(md);
    if (!ok || hl != 32) return kzg_fail(KZG_ERR_INTERNAL, "verify batch: SHA-256 failed");
    fr_from_bytes_be_reduce(out, h);
    return KZG_OK;
}

/* ---- the KZG core ---------------------------------------------------------------------- */

/* g1_lincomb over the bit-reversed Lagrange basis: the commitment to evaluations `poly`. */
static kzg_status commit_lagrange(g1_t *out, const kzg_ctx *ctx, const fr_t *poly) {
    void *scratch = kzg_malloc(g1_msm_scratch_size(N_BLOB));
    if (!scratch) return kzg_fail(KZG_ERR_MEMORY, "cannot allocate MSM scratch");
    g1_msm_var(out, ctx->setup.g1_lagrange_brp, poly, N_BLOB, scratch);
    kzg_free(scratch);
    return KZG_OK;
}

/* Scratch of 3·4096 field elements for evaluation and quotients. */
typedef struct eval_scratch {
    fr_t inv[N_BLOB], tmp[N_BLOB], q[N_BLOB];
} eval_scratch;

/* compute_kzg_proof_impl: *y = p(z) and the proof, the commitment to q(x) = (p(x) - y)/(x - z)
 * in evaluation form. inv[i] = 1/(z - ω_i) comes from the evaluation, so
 * q_i = (y - p_i)·inv[i]; when z = ω_m (compute_quotient_eval_within_domain)
 * q_m = Σ_{i≠m} (p_i - y)·ω_i / (z·(z - ω_i)) = -(1/z)·Σ_{i≠m} q_i·ω_i. */
static kzg_status compute_kzg_proof_impl(const kzg_ctx *ctx, g1_t *proof, fr_t *y, const fr_t *poly,
                                         const fr_t *z) {
    kzg_status ret;
    size_t m;
    eval_scratch *s = kzg_malloc(sizeof *s);
    if (!s) return kzg_fail(KZG_ERR_MEMORY, "compute_kzg_proof: cannot allocate scratch");
    poly_eval_barycentric_var(y, &m, s->inv, s->tmp, poly, ctx->roots_brp, N_BLOB, z);
    for (size_t i = 0; i < N_BLOB; i++) {
        fr_t d;
        fr_sub(&d, y, &poly[i]);
        fr_mul(&s->q[i], &d, &s->inv[i]); /* q[m] = 0 for now: inv[m] = 0 */
    }
    if (m < N_BLOB) {
        fr_t acc = FR_ZERO, t, zinv;
        for (size_t i = 0; i < N_BLOB; i++) {
            fr_mul(&t, &s->q[i], &ctx->roots_brp[i]);
            fr_add(&acc, &acc, &t);
        }
        fr_inv_var(&zinv, z);
        fr_mul(&acc, &acc, &zinv);
        fr_neg(&s->q[m], &acc);
    }
    ret = commit_lagrange(proof, ctx, s->q);
    kzg_free(s);
    return ret;
}

/* evaluate_polynomial_in_evaluation_form. */
static kzg_status evaluate_polynomial(fr_t *y, const kzg_ctx *ctx, const fr_t *poly, const fr_t *z) {
    size_t m;
    eval_scratch *s = kzg_malloc(sizeof *s);
    if (!s) return kzg_fail(KZG_ERR_MEMORY, "cannot allocate evaluation scratch");
    poly_eval_barycentric_var(y, &m, s->inv, s->tmp, poly, ctx->roots_brp, N_BLOB, z);
    kzg_free(s);
    return KZG_OK;
}

/* verify_kzg_proof_impl. The spec's e(C - y·G1, -G2)·e(π, [τ - z]G2) = 1 is rewritten as
 * e(C - y·G1 + z·π, -G2)·e(π, [τ]G2) = 1 (bilinearity), which needs no G2 multiplication. */
static void verify_kzg_proof_impl(bool *ok, const kzg_ctx *ctx, const g1_aff_t *commitment,
                                  const fr_t *z, const fr_t *y, const g1_aff_t *proof) {
    g1_t gen, t, acc, pj;
    g1_aff_t p[2];
    g2_aff_t q[2];
    g1_from_aff(&gen, &G1_GENERATOR_AFF);
    g1_mul_var(&t, &gen, y);
    g1_neg(&t, &t);
    g1_from_aff(&acc, commitment);
    g1_add(&acc, &acc, &t);
    g1_from_aff(&pj, proof);
    g1_mul_var(&t, &pj, z);
    g1_add(&acc, &acc, &t);
    g1_to_aff(&p[0], &acc);
    p[1] = *proof;
    g2_aff_neg(&q[0], &G2_GENERATOR_AFF);
    q[1] = ctx->setup.g2_monomial[1];
    *ok = pairing_product_is_one(p, q, 2);
}

/* verify_kzg_proof_batch with n ≥ 1 well-formed inputs:
 *   e(Σ r^i·π_i, -[τ]G2) · e(Σ r^i·C_i + Σ r^i·z_i·π_i - (Σ r^i·y_i)·G1, G2) = 1. */
static kzg_status verify_kzg_proof_batch(bool *ok, const kzg_ctx *ctx, const g1_aff_t *cs,
                                         const fr_t *zs, const fr_t *ys, const g1_aff_t *ps,
                                         const kzg_commitment *c_bytes, const kzg_proof *p_bytes,
                                         size_t n) {
    kzg_status ret;
    fr_t r, sum_ry = FR_ZERO, t;
    g1_t lhs, rhs;
    g1_aff_t *pts = NULL;
    fr_t *sc = NULL;
    void *scratch = NULL;
    *ok = false;

    if ((ret = compute_r(&r, c_bytes, zs, ys, p_bytes, n)) != KZG_OK) return ret;
    pts = kzg_calloc(2 * n + 1, sizeof *pts);
    sc = kzg_calloc(2 * n + 1, sizeof *sc);
    scratch = kzg_malloc(g1_msm_scratch_size(2 * n + 1));
    if (!pts || !sc || !scratch) {
        ret = kzg_fail(KZG_ERR_MEMORY, "verify batch: cannot allocate scratch for %zu proofs", n);
        goto out;
    }
    /* sc[0..n) = r^i (compute_powers), sc[n..2n) = z_i·r^i, sc[2n] = -Σ r^i·y_i. */
    for (size_t i = 0; i < n; i++) {
        if (i == 0) sc[0] = FR_ONE;
        else fr_mul(&sc[i], &sc[i - 1], &r);
        fr_mul(&sc[n + i], &zs[i], &sc[i]);
        fr_mul(&t, &ys[i], &sc[i]);
        fr_add(&sum_ry, &sum_ry, &t);
        pts[i] = cs[i];
        pts[n + i] = ps[i];
    }
    fr_neg(&sc[2 * n], &sum_ry);
    pts[2 * n] = G1_GENERATOR_AFF;

    g1_msm_var(&lhs, ps, sc, n, scratch);
    g1_msm_var(&rhs, pts, sc, 2 * n + 1, scratch);
    {
        g1_aff_t p[2];
        g2_aff_t q[2];
        g1_to_aff(&p[0], &lhs);
        g1_to_aff(&p[1], &rhs);
        g2_aff_neg(&q[0], &ctx->setup.g2_monomial[1]);
        q[1] = G2_GENERATOR_AFF;
        *ok = pairing_product_is_one(p, q, 2);
    }
    ret = KZG_OK;
out:
    kzg_free(pts);
    kzg_free(sc);
    kzg_free(scratch);
    return ret;
}

/* verify_blob_kzg_proof without the public entry's bookkeeping (also the n = 1 batch). */
static kzg_status verify_blob_impl(bool *ok, const kzg_ctx *ctx, const kzg_blob *blob,
                                   const kzg_commitment *commitment, const kzg_proof *proof,
                                   size_t idx) {
    kzg_status ret;
    g1_aff_t c, p;
    fr_t z, y;
    fr_t *poly = NULL;
    *ok = false;

    if ((ret = g1_from_bytes(&c, commitment, idx == SIZE_MAX ? "commitment" : "commitments", idx)) != KZG_OK)
        return ret;
    poly = kzg_calloc(N_BLOB, sizeof *poly);
    if (!poly) return kzg_fail(KZG_ERR_MEMORY, "cannot allocate the blob's polynomial");
    if ((ret = blob_to_polynomial(poly, blob, idx == SIZE_MAX ? "blob" : "blobs", idx)) != KZG_OK) goto out;
    if ((ret = compute_challenge(&z, blob, commitment->bytes)) != KZG_OK) goto out;
    if ((ret = evaluate_polynomial(&y, ctx, poly, &z)) != KZG_OK) goto out;
    if ((ret = g1_from_bytes(&p, proof, idx == SIZE_MAX ? "proof" : "proofs", idx)) != KZG_OK) goto out;
    verify_kzg_proof_impl(ok, ctx, &c, &z, &y, &p);
out:
    kzg_free(poly);
    return ret;
}

/* ---- public functions ------------------------------------------------------------------ */

kzg_status kzg_blob_to_kzg_commitment(const kzg_ctx *ctx, kzg_commitment *out, const kzg_blob *blob) {
    kzg_status ret;
    fr_t *poly = NULL;
    g1_t c;
    kzg_clear_error();
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "blob_to_kzg_commitment: out is NULL");
    memset(out, 0, sizeof *out);
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "blob_to_kzg_commitment: ctx is NULL");
    if (!blob) return kzg_fail(KZG_ERR_NULL_ARG, "blob_to_kzg_commitment: blob is NULL");

    poly = kzg_calloc(N_BLOB, sizeof *poly);
    if (!poly) return kzg_fail(KZG_ERR_MEMORY, "cannot allocate the blob's polynomial");
    if ((ret = blob_to_polynomial(poly, blob, "blob", SIZE_MAX)) != KZG_OK) goto out;
    if ((ret = commit_lagrange(&c, ctx, poly)) != KZG_OK) goto out;
    g1_to_bytes(out, &c);
out:
    kzg_free(poly);
    return ret;
}

kzg_status kzg_compute_kzg_proof(const kzg_ctx *ctx, kzg_proof *proof_out, kzg_field_element *y_out,
                                 const kzg_blob *blob, const kzg_field_element *z_bytes) {
    kzg_status ret;
    fr_t *poly = NULL, z, y;
    g1_t proof;
    kzg_clear_error();
    if (proof_out) memset(proof_out, 0, sizeof *proof_out);
    if (y_out) memset(y_out, 0, sizeof *y_out);
    if (!proof_out) return kzg_fail(KZG_ERR_NULL_ARG, "compute_kzg_proof: proof_out is NULL");
    if (!y_out) return kzg_fail(KZG_ERR_NULL_ARG, "compute_kzg_proof: y_out is NULL");
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "compute_kzg_proof: ctx is NULL");
    if (!blob) return kzg_fail(KZG_ERR_NULL_ARG, "compute_kzg_proof: blob is NULL");
    if (!z_bytes) return kzg_fail(KZG_ERR_NULL_ARG, "compute_kzg_proof: z is NULL");

    poly = kzg_calloc(N_BLOB, sizeof *poly);
    if (!poly) return kzg_fail(KZG_ERR_MEMORY, "cannot allocate the blob's polynomial");
    if ((ret = blob_to_polynomial(poly, blob, "blob", SIZE_MAX)) != KZG_OK) goto out;
    if ((ret = fr_from_input(&z, z_bytes, "z")) != KZG_OK) goto out;
    if ((ret = compute_kzg_proof_impl(ctx, &proof, &y, poly, &z)) != KZG_OK) goto out;
    g1_to_bytes(proof_out, &proof);
    fr_to_bytes_be(y_out->bytes, &y);
out:
    kzg_free(poly);
    return ret;
}

kzg_status kzg_compute_blob_kzg_proof(const kzg_ctx *ctx, kzg_proof *out, const kzg_blob *blob,
                                      const kzg_commitment *commitment) {
    kzg_status ret;
    fr_t *poly = NULL, z, y;
    g1_aff_t c;
    g1_t proof;
    kzg_clear_error();
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "compute_blob_kzg_proof: out is NULL");
    memset(out, 0, sizeof *out);
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "compute_blob_kzg_proof: ctx is NULL");
    if (!blob) return kzg_fail(KZG_ERR_NULL_ARG, "compute_blob_kzg_proof: blob is NULL");
    if (!commitment) return kzg_fail(KZG_ERR_NULL_ARG, "compute_blob_kzg_proof: commitment is NULL");

    if ((ret = g1_from_bytes(&c, commitment, "commitment", SIZE_MAX)) != KZG_OK) return ret;
    poly = kzg_calloc(N_BLOB, sizeof *poly);
    if (!poly) return kzg_fail(KZG_ERR_MEMORY, "cannot allocate the blob's polynomial");
    if ((ret = blob_to_polynomial(poly, blob, "blob", SIZE_MAX)) != KZG_OK) goto out;
    if ((ret = compute_challenge(&z, blob, commitment->bytes)) != KZG_OK) goto out;
    if ((ret = compute_kzg_proof_impl(ctx, &proof, &y, poly, &z)) != KZG_OK) goto out;
    g1_to_bytes(out, &proof);
out:
    kzg_free(poly);
    return ret;
}

kzg_status kzg_verify_kzg_proof(const kzg_ctx *ctx, bool *ok, const kzg_commitment *commitment,
                                const kzg_field_element *z_bytes, const kzg_field_element *y_bytes,
                                const kzg_proof *proof) {
    kzg_status ret;
    g1_aff_t c, p;
    fr_t z, y;
    kzg_clear_error();
    if (!ok) return kzg_fail(KZG_ERR_NULL_ARG, "verify_kzg_proof: ok is NULL");
    *ok = false;
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "verify_kzg_proof: ctx is NULL");
    if (!commitment) return kzg_fail(KZG_ERR_NULL_ARG, "verify_kzg_proof: commitment is NULL");
    if (!z_bytes) return kzg_fail(KZG_ERR_NULL_ARG, "verify_kzg_proof: z is NULL");
    if (!y_bytes) return kzg_fail(KZG_ERR_NULL_ARG, "verify_kzg_proof: y is NULL");
    if (!proof) return kzg_fail(KZG_ERR_NULL_ARG, "verify_kzg_proof: proof is NULL");

    if ((ret = g1_from_bytes(&c, commitment, "commitment", SIZE_MAX)) != KZG_OK) return ret;
    if ((ret = fr_from_input(&z, z_bytes, "z")) != KZG_OK) return ret;
    if ((ret = fr_from_input(&y, y_bytes, "y")) != KZG_OK) return ret;
    if ((ret = g1_from_bytes(&p, proof, "proof", SIZE_MAX)) != KZG_OK) return ret;
    verify_kzg_proof_impl(ok, ctx, &c, &z, &y, &p);
    return KZG_OK;
}

kzg_status kzg_verify_blob_kzg_proof(const kzg_ctx *ctx, bool *ok, const kzg_blob *blob,
                                     const kzg_commitment *commitment, const kzg_proof *proof) {
    kzg_clear_error();
    if (!ok) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof: ok is NULL");
    *ok = false;
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof: ctx is NULL");
    if (!blob) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof: blob is NULL");
    if (!commitment) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof: commitment is NULL");
    if (!proof) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof: proof is NULL");
    return verify_blob_impl(ok, ctx, blob, commitment, proof, SIZE_MAX);
}

kzg_status kzg_verify_blob_kzg_proof_batch(const kzg_ctx *ctx, bool *ok, const kzg_blob *blobs,
                                           const kzg_commitment *commitments, const kzg_proof *proofs,
                                           size_t n) {
    kzg_status ret;
    g1_aff_t *cs = NULL, *ps = NULL;
    fr_t *zs = NULL, *ys = NULL, *poly = NULL;
    kzg_clear_error();
    if (!ok) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof_batch: ok is NULL");
    *ok = false;
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof_batch: ctx is NULL");
    if (n == 0) {
        *ok = true; /* the spec: an empty batch verifies */
        return KZG_OK;
    }
    if (!blobs) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof_batch: blobs is NULL (n = %zu)", n);
    if (!commitments)
        return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof_batch: commitments is NULL (n = %zu)", n);
    if (!proofs) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof_batch: proofs is NULL (n = %zu)", n);
    if (n > SIZE_MAX / (4 * sizeof(g1_aff_t)))
        return kzg_fail(KZG_ERR_LENGTH, "verify_blob_kzg_proof_batch: n = %zu is too large", n);
    /* One blob: the single check is the same equation without the batch transcript. */
    if (n == 1) return verify_blob_impl(ok, ctx, &blobs[0], &commitments[0], &proofs[0], 0);

    cs = kzg_calloc(n, sizeof *cs);
    ps = kzg_calloc(n, sizeof *ps);
    zs = kzg_calloc(n, sizeof *zs);
    ys = kzg_calloc(n, sizeof *ys);
    poly = kzg_calloc(N_BLOB, sizeof *poly);
    if (!cs || !ps || !zs || !ys || !poly) {
        ret = kzg_fail(KZG_ERR_MEMORY, "verify_blob_kzg_proof_batch: cannot allocate for %zu blobs", n);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if ((ret = g1_from_bytes(&cs[i], &commitments[i], "commitments", i)) != KZG_OK) goto out;
        if ((ret = blob_to_polynomial(poly, &blobs[i], "blobs", i)) != KZG_OK) goto out;
        if ((ret = compute_challenge(&zs[i], &blobs[i], commitments[i].bytes)) != KZG_OK) goto out;
        if ((ret = evaluate_polynomial(&ys[i], ctx, poly, &zs[i])) != KZG_OK) goto out;
        if ((ret = g1_from_bytes(&ps[i], &proofs[i], "proofs", i)) != KZG_OK) goto out;
    }
    ret = verify_kzg_proof_batch(ok, ctx, cs, zs, ys, ps, commitments, proofs, n);
out:
    if (ret != KZG_OK) *ok = false;
    kzg_free(cs);
    kzg_free(ps);
    kzg_free(zs);
    kzg_free(ys);
    kzg_free(poly);
    return ret;
}

/* ---- internal hooks -------------------------------------------------------------------- */

kzg_status eip4844_compute_challenge(uint8_t out[32], const kzg_blob *blob,
                                     const kzg_commitment *commitment) {
    kzg_status ret;
    fr_t z;
    kzg_clear_error();
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "compute_challenge: out is NULL");
    memset(out, 0, 32);
    if (!blob) return kzg_fail(KZG_ERR_NULL_ARG, "compute_challenge: blob is NULL");
    if (!commitment) return kzg_fail(KZG_ERR_NULL_ARG, "compute_challenge: commitment is NULL");
    if ((ret = compute_challenge(&z, blob, commitment->bytes)) != KZG_OK) return ret;
    fr_to_bytes_be(out, &z);
    return KZG_OK;
}
