/*
 * backend/x86_64/ifma_fr.h — eight Fr elements at once with AVX-512 IFMA, over five 52-bit
 * limbs (radix 2^52, R_v = 2^260).
 *
 * Owns: the "v8fr" representation (lane l: five 52-bit limbs of an fr_t's Montgomery value
 * a·2^256 mod r; r < 2^255, so 260 bits leave room for values up to 32r), its load, store
 * and broadcast, its Montgomery product, sums and differences, reduced and lazy, and
 * FR_V8_SCALE.
 * Products: R_v = 2^260 = R·2^4, so for Montgomery x = a·R and y = b·R,
 * v8fr product(x, y·2^4) = a·b·R — the Montgomery form of a·b, bit for bit fr_mul(x, y)
 * (every value fully reduced). Hence one factor of every product carries the factor 2^4
 * (fr_mul by FR_V8_SCALE once, for a constant); sums and differences need nothing.
 * Why 52 and not Fp's 48 (ifma.h): IFMA splits a 52×52-bit product exactly at bit 52, so
 * the low and high halves need no pre-shift, and five limbs hold Fr where six of 48 bits
 * were needed: 25 + 25 product and 20 + 25 reduction IFMAs and 5 for the m's, 100 against
 * 144 with six limbs.
 * Used by eip4844/eval.c (the blob evaluation's fold), eip7594/eip7594.c (the cell batch's
 * interpolations, eight at a time) and poly/poly.c (FFT layers); only where
 * backend_active()->batch_ifma.
 */
#ifndef KZGKIT_BACKEND_X86_64_IFMA_FR_H
#define KZGKIT_BACKEND_X86_64_IFMA_FR_H

#include "backend/x86_64/ifma.h"
#include "field/fr.h"

/* log2(R_v / R): fr_fft_x's twiddles and every v8fr multiplier carry 2^FR_V8_SHIFT. */
#define FR_V8_SHIFT 4

#ifdef KZG_HAVE_IFMA_KERNELS

#define M52 0xfffffffffffffULL
#define NLR 5

/* r and 3r in radix 2^52, −r^-1 mod 2^52 (python3; test_eip4844_eval and test_poly check
 * every path that uses them against the scalar code, edge values included). */
static const uint64_t FR_R52[NLR] __attribute__((unused)) = {
    0xfffff00000001ULL, 0x2fffe5bfefffULL, 0x9a1d80553bda4ULL, 0x7d483339d8080ULL, 0x73eda753299dULL,
};
static const uint64_t FR_R52X3[NLR] __attribute__((unused)) = {
    0xffffd00000003ULL, 0x8fffb13fcfffULL, 0xce5880ffb38ecULL, 0x77d899ad88181ULL, 0x15bc8f5f97cd8ULL,
};
#define FR_N0_52 0xffffeffffffffULL

typedef struct {
    __m512i v[NLR];
} v8fr;

/* Four 64-bit words <-> five 52-bit limbs, lane by lane (256 bits re-sliced). to_words
 * needs a value < 2^256. */
V8_INLINE void v8fr_from_words(v8fr *r, const __m512i w[4]) {
    const __m512i M = _mm512_set1_epi64(M52);
#define V8_ORAND(a, b) _mm512_ternarylogic_epi64((a), (b), M, 0xA8)
    r->v[0] = _mm512_and_si512(w[0], M);
    r->v[1] = V8_ORAND(_mm512_srli_epi64(w[0], 52), _mm512_slli_epi64(w[1], 12));
    r->v[2] = V8_ORAND(_mm512_srli_epi64(w[1], 40), _mm512_slli_epi64(w[2], 24));
    r->v[3] = V8_ORAND(_mm512_srli_epi64(w[2], 28), _mm512_slli_epi64(w[3], 36));
    r->v[4] = _mm512_srli_epi64(w[3], 16);
#undef V8_ORAND
}

V8_INLINE void v8fr_to_words(__m512i w[4], const v8fr *a) {
    w[0] = _mm512_or_si512(a->v[0], _mm512_slli_epi64(a->v[1], 52));
    w[1] = _mm512_or_si512(_mm512_srli_epi64(a->v[1], 12), _mm512_slli_epi64(a->v[2], 40));
    w[2] = _mm512_or_si512(_mm512_srli_epi64(a->v[2], 24), _mm512_slli_epi64(a->v[3], 28));
    w[3] = _mm512_or_si512(_mm512_srli_epi64(a->v[3], 36), _mm512_slli_epi64(a->v[4], 16));
}

/* Lane l ← *p[l]. */
V8_INLINE void v8fr_load(v8fr *r, const fr_t *const p[8]) {
    __m512i x[8];
#pragma GCC unroll 8
    for (int l = 0; l < 8; l++) x[l] = _mm512_maskz_loadu_epi64(0x0f, p[l]->l);
    v8_transpose(x); /* x[w] = word w of every lane (w < 4) */
    v8fr_from_words(r, x);
}

/* dst[0..8) ← the eight lanes (values < r). */
V8_INLINE void v8fr_store(fr_t *dst, const v8fr *a) {
    __m512i x[8];
    v8fr_to_words(x, a);
    x[4] = x[5] = x[6] = x[7] = _mm512_setzero_si512();
    v8_transpose(x); /* x[l] = the four words of lane l */
#pragma GCC unroll 8
    for (int k = 0; k < 8; k++) _mm512_mask_storeu_epi64(dst[k].l, 0x0f, x[k]);
}

V8_INLINE void v8fr_set1(v8fr *r, const fr_t *a) {
    __m512i w[4];
#pragma GCC unroll 4
    for (int k = 0; k < 4; k++) w[k] = _mm512_set1_epi64((long long)a->l[k]);
    v8fr_from_words(r, w);
}

/* a − r where a ≥ r, else a (a < 2r; ifma.h's borrow chain over 52-bit limbs). */
V8_INLINE void v8fr_reduce(v8fr *r, const v8fr *a) { v8n_sub_mod_select(r->v, a->v, FR_R52, NLR, 52); }

/* Montgomery product without the final subtraction: r = a·b·2^-260 mod r, as a value
 * < r·(1 + a/2^260) — for a < X·r and b < r that is < r·(1 + X/32) (r/2^260 < 2^-5.1).
 * ifma.h's v8n_mont with B = 52, where madd52lo/hi give the exact halves of a 104-bit
 * product: column k collects the low halves of a_i·b_j and m_i·r_j (i + j = k) and the high
 * halves from column k − 1; for k < 5 its value c fixes m_k = c·n0' mod 2^52, which makes
 * the column ≡ 0 mod 2^52, so its carry is ⌈c / 2^52⌉ and the low half of m_k·r_0 is never
 * computed. Bounds: a column holds at most 5 + 5 low and 5 + 5 high halves (< 2^52 each)
 * and a carry < 2^5: c < 2^57. Limbs of a and b must be < 2^52 (IFMA reads 52 bits). Cost
 * per 8 lanes: 25 + 25 product, 20 + 25 reduction IFMAs, 5 for the m's: 100. r may alias
 * a or b. */
V8_INLINE void v8fr_mul_lazy(v8fr *r, const v8fr *a, const v8fr *b) {
    v8n_mont(r->v, a->v, b->v, FR_R52, FR_R52, FR_N0_52, NLR, 52, false, false);
}

/* r = a·b·2^-260 mod r, fully reduced (a, b < r): bit for bit fr_mul when b carries 2^4. */
V8_INLINE void v8fr_mul(v8fr *r, const v8fr *a, const v8fr *b) {
    v8n_mont(r->v, a->v, b->v, FR_R52, FR_R52, FR_N0_52, NLR, 52, false, true);
}

/* r = a + b with carries, not reduced (the caller bounds the sum below 2^260). */
V8_INLINE void v8fr_add_lazy(v8fr *r, const v8fr *a, const v8fr *b) { v8n_add_lazy(r->v, a->v, b->v, NLR, 52); }

/* r = a + 3r − b, for b ≤ 3r: positive, < a + 3r, not reduced. */
V8_INLINE void v8fr_sub_lazy(v8fr *r, const v8fr *a, const v8fr *b) {
    const __m512i M = _mm512_set1_epi64(M52);
    __m512i c = _mm512_setzero_si512();
#pragma GCC unroll 5
    for (int k = 0; k < NLR; k++) {
        __m512i t = _mm512_add_epi64(a->v[k], _mm512_set1_epi64((long long)FR_R52X3[k]));
        t = _mm512_add_epi64(_mm512_sub_epi64(t, b->v[k]), c);
        c = _mm512_srai_epi64(t, 52);
        r->v[k] = _mm512_and_si512(t, M);
    }
}

/* r = a + b mod r, r = a − b mod r (a, b < r). */
V8_INLINE void v8fr_add(v8fr *r, const v8fr *a, const v8fr *b) { v8n_add(r->v, a->v, b->v, FR_R52, NLR, 52); }
V8_INLINE void v8fr_sub(v8fr *r, const v8fr *a, const v8fr *b) { v8n_sub(r->v, a->v, b->v, FR_R52, NLR, 52); }

/* 2^4 in Montgomery form (2^260 mod r): a multiplier y ↦ y·2^4 by one fr_mul. */
static const fr_t FR_V8_SCALE __attribute__((unused)) = {
    {0x00000022ffffffddULL, 0x8d12939700396c23ULL, 0xff1776e6aedf7745ULL, 0x26821fa14f77df20ULL}};

#endif /* KZG_HAVE_IFMA_KERNELS */
#endif
