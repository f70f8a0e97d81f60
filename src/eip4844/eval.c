/*
 * eip4844/eval.c — the folding levels of evaluate_polynomial_in_evaluation_form (the method
 * and its count are at evaluate_raw in eip4844.c): level by level, pair j of the terms
 * becomes term j of the next level,
 *   n_j ← (n_{2j} + n_{2j+1})·Z + (n_{2j} − n_{2j+1})·w_j,   Z = z^(2^level), w_j = roots_brp[2j],
 * two Fr products per pair, 8190 for a blob: 0.2 ms of a 1.0 ms verify_blob_kzg_proof and
 * most of a blob's share of verify_blob_kzg_proof_batch with the scalar product.
 *
 * With the IFMA backend (backend_active()->batch_ifma) the levels with eight pairs or more
 * (nine of the twelve) run eight pairs at a time on the Montgomery kernels of
 * backend/x86_64/ifma.h over six 48-bit limbs (NL = 6, modulus r, R_v = 2^288): lane l of
 * an output group h is pair 8h + l, its two inputs are loaded straight from the terms at
 * 16h + 2l and 16h + 2l + 1 (no shuffles), and the group is written back in place (group h
 * reads terms 16h..16h+15 before writing 8h..8h+7, and no later group reads below 16h+16).
 * The multipliers carry the factor 2^32 = R_v/R: for a plain x and a Montgomery y = v·R,
 * v8 product(x, y·2^32) = x·v·R·2^32 / 2^288 = x·v, the same plain value as fr_mul(x, y);
 * every value is fully reduced, so the result is bit for bit the scalar one. The products
 * w_j·2^32 are SETUP_EMBEDDED.fold_w48, already in the kernels' limbs (96 KiB of read-only
 * data written by the build-time generator: nothing to build at run time, one aligned load
 * per limb); Z·2^32 is one scalar product per level. Cost per eight pairs: 2 × 144 IFMAs
 * (36 + 36 product, 36 + 30 reduction, 6 for the m's) plus an addition and a subtraction,
 * against 16 scalar products.
 */
#include "eip4844/eval.h"

#include "backend/backend.h"
#include "backend/x86_64/ifma.h"
#include "setup/setup.h"

/* Without IFMA: the pair's two products as one fr_mul_sum2 (with mulx/adx one Montgomery
 * reduction for both: 48 mulx against 64 and an addition). */
static void fold_level_scalar(fr_t *n, size_t len, const fr_t *zp, const fr_t *roots_brp) {
    fr_t x[2], y[2];
    y[0] = *zp;
    for (size_t j = 0; j < len / 2; j++) { /* n[j] is free once n[2j], n[2j+1] are read */
        fr_add(&x[0], &n[2 * j], &n[2 * j + 1]);
        fr_sub(&x[1], &n[2 * j], &n[2 * j + 1]);
        y[1] = roots_brp[2 * j];
        fr_mul_sum2(&n[j], x, y);
    }
}

#ifdef KZG_HAVE_IFMA_KERNELS

/* r in radix 2^48, r·16 limb by limb, −r^-1 mod 2^48 (python3; test_eip4844_eval checks
 * the fold against the scalar one, edge values included). */
static const uint64_t EVAL_R48[6] = {
    0xffff00000001ULL, 0xfffe5bfeffffULL, 0xd80553bda402ULL, 0x3339d80809a1ULL, 0xa753299d7d48ULL, 0x73edULL,
};
static const uint64_t R48X16[6] = {
    0xffff000000010ULL, 0xfffe5bfeffff0ULL, 0xd80553bda4020ULL, 0x3339d80809a10ULL, 0xa753299d7d480ULL, 0x73ed0ULL,
};
#define N0R_48 0xfffeffffffffULL
#define NLR 6

typedef struct {
    __m512i v[NLR];
} v8fr;

/* Lane l ← *p[l] (four 64-bit words re-sliced into six 48-bit limbs). */
V8_INLINE void v8fr_load(v8fr *r, const fr_t *const p[8]) {
    const __m512i M = _mm512_set1_epi64(M48);
    __m512i x[8];
#pragma GCC unroll 8
    for (int l = 0; l < 8; l++) x[l] = _mm512_maskz_loadu_epi64(0x0f, p[l]->l);
    v8_transpose(x); /* x[w] = word w of every lane (w < 4) */
    v8_words_to_limbs(&r->v[0], &x[0]);
    r->v[4] = _mm512_and_si512(x[3], M); /* the fourth word: two limbs, the top one 16 bits */
    r->v[5] = _mm512_srli_epi64(x[3], 48);
}

/* dst[0..8) ← the eight lanes. */
V8_INLINE void v8fr_store(fr_t *dst, const v8fr *a) {
    __m512i x[8];
    v8_limbs_to_words(&x[0], &a->v[0]);
    x[3] = _mm512_or_si512(a->v[4], _mm512_slli_epi64(a->v[5], 48));
    x[4] = x[5] = x[6] = x[7] = _mm512_setzero_si512();
    v8_transpose(x); /* x[l] = the four words of lane l */
#pragma GCC unroll 8
    for (int k = 0; k < 8; k++) _mm512_mask_storeu_epi64(dst[k].l, 0x0f, x[k]);
}

V8_INLINE void v8fr_set1(v8fr *r, const fr_t *a) {
    const fr_t *p[8] = {a, a, a, a, a, a, a, a};
    v8fr_load(r, p);
}

/* 2^32 in Montgomery form (2^288 mod r): Z ↦ Z·2^32 by one fr_mul. */
static const fr_t TWO32 = {{0x355094eacaaf6b13ULL, 0xf6b10cb369a568efULL, 0xe2c926a640cc3869ULL, 0x736a6d3bed269aadULL}};

/* One level of len terms (len ≥ 16) eight pairs at a time; zs = Z·2^32, w48 the w_j·2^32
 * in groups of eight (SETUP_EMBEDDED.fold_w48). */
V8_TARGET static void fold_level_v8(fr_t *n, size_t len, const fr_t *zs, const uint64_t *w48) {
    v8fr z, e, o, t, u, wv;
    v8fr_set1(&z, zs);
    for (size_t h = 0; h < len / 16; h++) {
        const fr_t *pe[8], *po[8];
        for (int l = 0; l < 8; l++) {
            pe[l] = &n[16 * h + 2 * (size_t)l];
            po[l] = pe[l] + 1;
        }
        v8fr_load(&e, pe);
        v8fr_load(&o, po);
        for (int k = 0; k < NLR; k++) wv.v[k] = _mm512_load_si512(&w48[(h * NLR + (size_t)k) * 8]);
        v8n_add(t.v, e.v, o.v, EVAL_R48, NLR);
        v8n_sub(u.v, e.v, o.v, EVAL_R48, NLR);
        v8n_mul(t.v, t.v, z.v, EVAL_R48, R48X16, N0R_48, NLR);
        v8n_mul(u.v, u.v, wv.v, EVAL_R48, R48X16, N0R_48, NLR);
        v8n_add(t.v, t.v, u.v, EVAL_R48, NLR);
        v8fr_store(&n[8 * h], &t);
    }
}
#endif

void eval_fold(fr_t *n, fr_t *zp, const fr_t *roots_brp) {
    size_t len = EVAL_N;
#ifdef KZG_HAVE_IFMA_KERNELS
    /* Every context's roots_brp is the embedded domain's (ctx.c): one table serves all. */
    if (backend_active()->batch_ifma && roots_brp == SETUP_EMBEDDED.roots_brp) {
        fr_t zs;
        for (; len >= 16; len >>= 1) {
            fr_mul(&zs, zp, &TWO32);
            fold_level_v8(n, len, &zs, SETUP_EMBEDDED.fold_w48);
            fr_sqr(zp, zp);
        }
    }
#endif
    for (; len > 1; len >>= 1) {
        fold_level_scalar(n, len, zp, roots_brp);
        fr_sqr(zp, zp);
    }
}
