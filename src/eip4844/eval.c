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
#include "backend/x86_64/ifma_fr.h"
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
        v8n_add(t.v, e.v, o.v, FR_R48, NLR);
        v8n_sub(u.v, e.v, o.v, FR_R48, NLR);
        v8n_mul(t.v, t.v, z.v, FR_R48, FR_R48X16, FR_N0_48, NLR);
        v8n_mul(u.v, u.v, wv.v, FR_R48, FR_R48X16, FR_N0_48, NLR);
        v8n_add(t.v, t.v, u.v, FR_R48, NLR);
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
