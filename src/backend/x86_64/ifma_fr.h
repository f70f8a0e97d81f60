/*
 * backend/x86_64/ifma_fr.h — eight Fr elements at once with AVX-512 IFMA: the v8 kernels
 * of ifma.h over six 48-bit limbs with modulus r (NL = 6, R_v = 2^288).
 *
 * Owns: the "v8fr" representation (lane l: six 48-bit limbs of an fr_t's Montgomery value
 * a·2^256 mod r), its load, store and broadcast, r in the kernels' radix, and TWO32.
 * Products: R_v = 2^288 = R·2^32, so for Montgomery x = a·R and y = b·R,
 * v8 product(x, y·2^32) = a·b·R — the Montgomery form of a·b, bit for bit fr_mul(x, y)
 * (every value fully reduced). Hence one factor of every product carries the factor 2^32
 * (fr_mul by TWO32 once, for a constant); sums and differences need nothing.
 * Used by eip4844/eval.c (the blob evaluation's fold) and eip7594/eip7594.c (the cell
 * batch's interpolations, eight at a time); only where backend_active()->batch_ifma.
 */
#ifndef KZGKIT_BACKEND_X86_64_IFMA_FR_H
#define KZGKIT_BACKEND_X86_64_IFMA_FR_H

#include "backend/x86_64/ifma.h"
#include "field/fr.h"

#ifdef KZG_HAVE_IFMA_KERNELS

/* r in radix 2^48, r·16 limb by limb, −r^-1 mod 2^48 (python3; test_eip4844_eval checks
 * the fold against the scalar one, edge values included). */
static const uint64_t FR_R48[6] __attribute__((unused)) = {
    0xffff00000001ULL, 0xfffe5bfeffffULL, 0xd80553bda402ULL, 0x3339d80809a1ULL, 0xa753299d7d48ULL, 0x73edULL,
};
static const uint64_t FR_R48X16[6] __attribute__((unused)) = {
    0xffff000000010ULL, 0xfffe5bfeffff0ULL, 0xd80553bda4020ULL, 0x3339d80809a10ULL, 0xa753299d7d480ULL, 0x73ed0ULL,
};
#define FR_N0_48 0xfffeffffffffULL
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
static const fr_t TWO32 __attribute__((unused)) = {{0x355094eacaaf6b13ULL, 0xf6b10cb369a568efULL, 0xe2c926a640cc3869ULL, 0x736a6d3bed269aadULL}};

#endif /* KZG_HAVE_IFMA_KERNELS */
#endif
