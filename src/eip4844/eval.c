/*
 * eip4844/eval.c — the folding levels of evaluate_polynomial_in_evaluation_form (the method
 * and its count are at evaluate_raw in eip4844.c): level by level, pair j of the terms
 * becomes term j of the next level,
 *   n_j ← (n_{2j} + n_{2j+1})·Z + (n_{2j} − n_{2j+1})·w_j,   Z = z^(2^level), w_j = roots_brp[2j],
 * two Fr products per pair, 8190 for a blob.
 *
 * With the IFMA backend (backend_active()->batch_ifma) the nine levels with eight pairs or
 * more run eight pairs at a time on backend/x86_64/ifma_fr.h's v8fr (five 52-bit limbs,
 * 100 IFMAs a product), in place, in another order of the terms:
 * - Natural order. Term k of the blob is the value at roots_brp[k] = ω^brp(k), i.e. term i
 *   of the natural order is term brp(i) of the blob. In natural order the opposite of ω^i
 *   is ω^(i + len/2), so a level pairs natural term i with i + len/2 and writes term i of
 *   the next level (whose root is ω^(2i)); eight consecutive i are one vector of eight
 *   lanes and their partners another: no shuffles after the first level.
 * - Level 0 reads the blob's layout: view n as eight rows of 512 terms (16 KiB each); the
 *   natural terms 8g + l (l = 0..7) are blob terms brp3(l)·512 + c with c = brp9(g), and
 *   their partners the next term c + 1, so step s = 0..255 takes columns c = 2s, 2s + 1 of
 *   every row (eight 64-byte loads, one 8 × 8 transpose) for natural group g = brp8(s).
 *   Its result (five limb vectors) goes to slot s of the first five rows ("planes": limb k
 *   of slot s at byte k·16 KiB + 64·s), bytes that this step has just read and no later
 *   step reads.
 * - Level L ≥ 1 pairs natural group g with g + 256/2^L, whose slots are brp8(g) and
 *   brp8(g) + 2^(L−1): the slots a = 0, 2^L, 2·2^L, ... with a + 2^(L−1), the result back in
 *   slot a. After level 8 slot 0 holds natural terms 0..7 of the level of eight, which
 *   return to bit-reversed order for the last three levels, scalar.
 * - The multipliers ω^((8·brp8(a) + l)·2^L)·2^4 come in exactly that order from
 *   SETUP_EMBEDDED.fold_w52 (160 KiB of read-only data written by the build-time
 *   generator, one aligned load per limb); Z·2^4 is one scalar product per level.
 * - Lazy reduction. Terms stay below 2.3r between levels, not below r: t = e + o and
 *   u = e + 3r − o (< 5.3r, positive since o < 3r) go into the products unreduced, and a
 *   product of X·r by a reduced multiplier is < r·(1 + X·r/2^260) < 1.15r (r/2^260 < 2^-5.1),
 *   so the next term t·Z + u·w < 2.3r: no conditional subtraction anywhere, and every value
 *   < 5.3r < 2^258 fits the five limbs. Slot 0 is reduced (twice) at the end: the same
 *   canonical value as the scalar levels, bit for bit.
 * Cost per eight pairs: 2 × 100 IFMAs, a carried addition and subtraction and a third
 * addition (plus the transpose on level 0), against 16 scalar products.
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

enum { ROW = EVAL_N / 8, SLOTS = ROW / 2 }; /* 512 terms a row, 256 slots of 64 bytes */

/* (e + o)·z + (e + 3r − o)·w, lazily (the bounds are at the top of the file). */
V8_INLINE void fold_pair(v8fr *out, const v8fr *e, const v8fr *o, const v8fr *z, const v8fr *w) {
    v8fr t, u;
    v8fr_add_lazy(&t, e, o);
    v8fr_sub_lazy(&u, e, o);
    v8fr_mul_lazy(&t, &t, z);
    v8fr_mul_lazy(&u, &u, w);
    v8fr_add_lazy(out, &t, &u);
}

V8_INLINE void load_w(v8fr *w, const uint64_t *blk) {
#pragma GCC unroll 5
    for (int k = 0; k < NLR; k++) w->v[k] = _mm512_load_si512(&blk[k * 8]);
}

V8_INLINE void slot_load(v8fr *x, const uint64_t *planes, size_t slot) {
#pragma GCC unroll 5
    for (int k = 0; k < NLR; k++) x->v[k] = _mm512_loadu_si512(&planes[(size_t)k * ROW * 4 + slot * 8]);
}

V8_INLINE void slot_store(uint64_t *planes, size_t slot, const v8fr *x) {
#pragma GCC unroll 5
    for (int k = 0; k < NLR; k++) _mm512_storeu_si512(&planes[(size_t)k * ROW * 4 + slot * 8], x->v[k]);
}

/* The nine levels with eight pairs or more, then natural terms 0..7 back to n[brp3(i)]. */
V8_TARGET static void fold_v8(fr_t *n, fr_t *zp, const uint64_t *w52) {
    static const uint8_t BRP3[8] = {0, 4, 2, 6, 1, 5, 3, 7};
    uint64_t *planes = n[0].l;
    fr_t zs;
    v8fr z, e, o, w, t;
    fr_mul(&zs, zp, &FR_V8_SCALE);
    v8fr_set1(&z, &zs);
    for (size_t s = 0; s < SLOTS; s++, w52 += NLR * 8) { /* level 0, from the blob's order */
        __m512i x[8];
#pragma GCC unroll 8
        for (int l = 0; l < 8; l++) x[l] = _mm512_loadu_si512(n[(size_t)ROW * BRP3[l] + 2 * s].l);
        v8_transpose(x); /* x[0..3]: the words of the natural terms, x[4..7]: their partners' */
        v8fr_from_words(&e, &x[0]);
        v8fr_from_words(&o, &x[4]);
        load_w(&w, w52);
        fold_pair(&t, &e, &o, &z, &w);
        slot_store(planes, s, &t);
    }
    fr_sqr(zp, zp);
    for (unsigned L = 1; L <= 8; L++) {
        size_t step = (size_t)1 << L, half = step >> 1;
        fr_mul(&zs, zp, &FR_V8_SCALE);
        v8fr_set1(&z, &zs);
        for (size_t a = 0; a < SLOTS; a += step, w52 += NLR * 8) {
            slot_load(&e, planes, a);
            slot_load(&o, planes, a + half);
            load_w(&w, w52);
            fold_pair(&t, &e, &o, &z, &w);
            slot_store(planes, a, &t);
        }
        fr_sqr(zp, zp);
    }
    __m512i x[8];
    slot_load(&t, planes, 0);
    v8fr_reduce(&t, &t); /* < 2.3r → < 1.3r → < r */
    v8fr_reduce(&t, &t);
    v8fr_to_words(x, &t);
    x[4] = x[5] = x[6] = x[7] = _mm512_setzero_si512();
    v8_transpose(x); /* x[i] = the four words of natural term i */
    fr_t last[8];
#pragma GCC unroll 8
    for (int i = 0; i < 8; i++) _mm512_mask_storeu_epi64(last[i].l, 0x0f, x[i]);
    for (int i = 0; i < 8; i++) n[BRP3[i]] = last[i];
}
#endif

void eval_fold(fr_t *n, fr_t *zp, const fr_t *roots_brp) {
    size_t len = EVAL_N;
#ifdef KZG_HAVE_IFMA_KERNELS
    /* Every context's roots_brp is the embedded domain's (ctx.c): one table serves all. */
    if (backend_active()->batch_ifma && roots_brp == SETUP_EMBEDDED.roots_brp) {
        fold_v8(n, zp, SETUP_EMBEDDED.fold_w52);
        len = 8;
    }
#endif
    for (; len > 1; len >>= 1) {
        fold_level_scalar(n, len, zp, roots_brp);
        fr_sqr(zp, zp);
    }
}
