/*
 * setup/validate.c — decoding and checking an untrusted trusted setup.
 *
 * Every point is decoded with the full ZCash checks (encoding, on curve, subgroup). Then the
 * structure is checked with random linear combinations, so that the cost is a few MSMs and
 * two-pairing products rather than one pairing per point. The coefficients are the powers
 * ρ^i of a challenge ρ hashed from the whole encoded setup (Fiat–Shamir: whoever made the
 * setup cannot choose points that cancel); a wrong setup passes a check only if ρ is a root
 * of a non-zero polynomial of degree < 4096, probability < 2^-242.
 *
 *  (a) monomials share one τ:  e(Σ ρ^i·g1[i+1], G2) = e(Σ ρ^i·g1[i], g2[1])       (i < 4095)
 *                              e(Σ ρ^k·g1[k], G2)   = e(G1, Σ ρ^k·g2[k])           (k < 65)
 *      with g1[0] = G1 and g2[0] = G2 this forces g1[i] = τ^i·G1 and g2[k] = τ^k·G2.
 *  (b) Lagrange matches monomial: for evaluations v_i = ρ^i over the bit-reversed domain,
 *      Σ v_i·lagrange_brp[i] = Σ c_k·g1[k] with c = IFFT(natural-order v).
 */

#include "common/sha256.h"
#include "msm/msm.h"
#include "pairing/pairing.h"
#include "poly/poly.h"
#include "setup/setup.h"

static const char *const SETUP_SEED_DOMAIN = "KZGKIT_SETUP_CHECK_V1";

kzg_status setup_hash_bytes(uint8_t out[32], const uint8_t *g1_monomial,
                            const uint8_t *g1_lagrange, const uint8_t *g2_monomial) {
    sha256_stream s;
    sha256_begin(&s);
    sha256_add(&s, g1_monomial, (size_t)SETUP_N_G1 * 48);
    sha256_add(&s, g1_lagrange, (size_t)SETUP_N_G1 * 48);
    sha256_add(&s, g2_monomial, (size_t)SETUP_N_G2 * 96);
    return sha256_end(&s, out, "setup");
}

/* The G1 points in blocks (g1_decompress_many: subgroup checks eight at a time where the
 * backend can), stopping at the first failing index; point i goes to out[i], or out[bit-reversed i]. */
enum { DECODE_BLOCK = 64 };
static kzg_status decode_g1_array(g1_aff_t *out, const uint8_t *in, bool brp, const char *name) {
    g1_aff_t tmp[DECODE_BLOCK];
    kzg_status st[DECODE_BLOCK];
    for (size_t base = 0; base < SETUP_N_G1; base += DECODE_BLOCK) {
        g1_decompress_many(tmp, st, in + 48 * base, 48, DECODE_BLOCK);
        for (size_t k = 0; k < DECODE_BLOCK; k++) {
            size_t i = base + k;
            if (st[k] != KZG_OK) return kzg_fail(st[k], "setup: %s[%zu]: %s", name, i, kzg_status_str(st[k]));
            out[brp ? poly_reverse_bits(i, SETUP_LOG2_N_G1) : i] = tmp[k];
        }
    }
    return KZG_OK;
}

kzg_status setup_decode(setup_points *out, const uint8_t *g1_monomial, const uint8_t *g1_lagrange,
                        const uint8_t *g2_monomial) {
    kzg_status st;
    _Static_assert(SETUP_N_G1 % DECODE_BLOCK == 0, "whole blocks");
    if ((st = decode_g1_array(out->g1_monomial, g1_monomial, false, "g1_monomial")) != KZG_OK) return st;
    if ((st = decode_g1_array(out->g1_lagrange_brp, g1_lagrange, true, "g1_lagrange")) != KZG_OK) return st;
    for (size_t i = 0; i < SETUP_N_G2; i++) {
        if ((st = g2_decompress(&out->g2_monomial[i], g2_monomial + 96 * i)) != KZG_OK)
            return kzg_fail(st, "setup: g2_monomial[%zu]: %s", i, kzg_status_str(st));
    }
    return KZG_OK;
}

static bool g1_aff_eq(const g1_aff_t *a, const g1_aff_t *b) {
    return fp_eq(&a->x, &b->x) && fp_eq(&a->y, &b->y);
}

static bool g2_aff_eq(const g2_aff_t *a, const g2_aff_t *b) {
    return fp2_eq(&a->x, &b->x) && fp2_eq(&a->y, &b->y);
}

/* e(a, q_a) = e(b, q_b), as e(a, q_a)·e(-b, q_b) = 1. */
static bool pairings_equal(const g1_t *a, const g2_aff_t *q_a, const g1_t *b, const g2_aff_t *q_b) {
    g1_t nb;
    g1_aff_t p[2];
    g2_aff_t q[2] = {*q_a, *q_b};
    g1_neg(&nb, b);
    g1_to_aff(&p[0], a);
    g1_to_aff(&p[1], &nb);
    return pairing_product_is_one(p, q, 2);
}

size_t setup_validate_scratch_size(void) {
    return 3 * SETUP_N_G1 * sizeof(fr_t) + g1_msm_scratch_size(SETUP_N_G1);
}

kzg_status setup_validate(const setup_tables *t, const uint8_t seed[32], void *scratch_block) {
    kzg_status ret = KZG_OK;
    const size_t n = SETUP_N_G1;
    fr_t *rho = scratch_block, *coeffs = rho + n, *roots = coeffs + n;
    void *scratch = roots + n;

    if (!g1_aff_eq(&t->g1_monomial[0], &G1_GENERATOR_AFF))
        return kzg_fail(KZG_ERR_SETUP, "setup: g1_monomial[0] is not the G1 generator");
    if (!g2_aff_eq(&t->g2_monomial[0], &G2_GENERATOR_AFF))
        return kzg_fail(KZG_ERR_SETUP, "setup: g2_monomial[0] is not the G2 generator");
    if (g1_aff_is_inf(&t->g1_monomial[1]) || g2_aff_is_inf(&t->g2_monomial[1]))
        return kzg_fail(KZG_ERR_SETUP, "setup: monomial[1] is the point at infinity (tau = 0)");

    /* ρ = SHA-256(domain || seed) mod r; rho[i] = ρ^i. */
    {
        uint8_t h[32];
        fr_t r0;
        sha256_stream s;
        sha256_begin(&s);
        sha256_add(&s, SETUP_SEED_DOMAIN, strlen(SETUP_SEED_DOMAIN));
        sha256_add(&s, seed, 32);
        if ((ret = sha256_end(&s, h, "setup")) != KZG_OK) goto out;
        fr_from_bytes_be_reduce(&r0, h);
        rho[0] = FR_ONE;
        for (size_t i = 1; i < n; i++) fr_mul(&rho[i], &rho[i - 1], &r0);
    }

    g1_t a, b;
    /* (a) first equation: shifted monomial basis. */
    g1_msm_var(&a, t->g1_monomial + 1, rho, n - 1, NULL, scratch);
    g1_msm_var(&b, t->g1_monomial, rho, n - 1, NULL, scratch);
    {
        g2_aff_t g2gen = G2_GENERATOR_AFF;
        if (!pairings_equal(&a, &g2gen, &b, &t->g2_monomial[1])) {
            ret = kzg_fail(KZG_ERR_SETUP, "setup: g1_monomial is not a sequence of powers of the tau of g2_monomial[1]");
            goto out;
        }
    }
    /* (a) second equation: G2 monomials against G1 monomials. */
    {
        g2_t d, term;
        g2_aff_t d_aff, g2gen = G2_GENERATOR_AFF;
        g1_t g1gen;
        g2_set_inf(&d);
        for (size_t k = 0; k < SETUP_N_G2; k++) {
            g2_t pk;
            g2_from_aff(&pk, &t->g2_monomial[k]);
            g2_mul_var(&term, &pk, &rho[k]);
            g2_add(&d, &d, &term);
        }
        g2_to_aff(&d_aff, &d);
        g1_msm_var(&a, t->g1_monomial, rho, SETUP_N_G2, NULL, scratch);
        g1_from_aff(&g1gen, &G1_GENERATOR_AFF);
        /* e(a, G2) = e(G1, d): pairings_equal takes G1 points on both sides. */
        if (!pairings_equal(&a, &g2gen, &g1gen, &d_aff)) {
            ret = kzg_fail(KZG_ERR_SETUP, "setup: g2_monomial does not match g1_monomial (different tau)");
            goto out;
        }
    }
    /* (b) Lagrange basis against the monomial basis. */
    {
        g1_t lhs, rhs;
        if (!poly_roots_of_unity(roots, n)) {
            ret = kzg_fail(KZG_ERR_INTERNAL, "setup: roots of unity");
            goto out;
        }
        g1_msm_var(&lhs, t->g1_lagrange_brp, rho, n, NULL, scratch);
        /* rho holds values over the bit-reversed domain; natural order for the IFFT. */
        memcpy(coeffs, rho, n * sizeof *rho);
        poly_bit_reversal_permutation(coeffs, sizeof *coeffs, n);
        fr_ifft(rho, coeffs, n, roots, 1);
        g1_msm_var(&rhs, t->g1_monomial, rho, n, NULL, scratch);
        if (!g1_eq(&lhs, &rhs)) {
            ret = kzg_fail(KZG_ERR_SETUP, "setup: g1_lagrange is not the Lagrange form of g1_monomial");
            goto out;
        }
    }
out:
    return ret;
}

kzg_status setup_load(setup_points **out, const uint8_t *g1_monomial, const uint8_t *g1_lagrange,
                      const uint8_t *g2_monomial) {
    kzg_status ret;
    uint8_t seed[32];
    *out = NULL;
    /* Everything is allocated before the expensive decoding starts. */
    setup_points *pts = kzg_malloc(sizeof *pts);
    void *scratch = kzg_malloc(setup_validate_scratch_size());
    if (!pts || !scratch) {
        ret = kzg_fail(KZG_ERR_MEMORY, "setup: cannot allocate %zu bytes for the points and their checks",
                       sizeof *pts + setup_validate_scratch_size());
        goto out;
    }
    if ((ret = setup_decode(pts, g1_monomial, g1_lagrange, g2_monomial)) != KZG_OK) goto out;
    if ((ret = setup_hash_bytes(seed, g1_monomial, g1_lagrange, g2_monomial)) != KZG_OK) goto out;
    setup_tables t = {pts->g1_monomial, pts->g1_lagrange_brp, pts->g2_monomial};
    if ((ret = setup_validate(&t, seed, scratch)) != KZG_OK) goto out;
    *out = pts;
    pts = NULL;
out:
    kzg_free(pts);
    kzg_free(scratch);
    return ret;
}
