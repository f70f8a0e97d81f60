/*
 * backend/x86_64/ifma.h — eight Fp elements at once with AVX-512 IFMA (vpmadd52luq/huq):
 * the kernels of the batch-affine bucket additions (msm/acc.c) on CPUs that have it.
 *
 * Owns: the "v8" representation and its load/store, add, sub, mul. Included by msm/acc.c
 * only; callers run these only when backend_active()->batch_ifma is set (the CPU probe
 * found avx512f + avx512ifma with the OS saving ZMM state; backend/dispatch.c). Functions
 * carry their own target attribute, so no -m flag is needed to build them.
 *
 * Representation ("v8"): eight independent elements, one per 64-bit lane; vector k holds
 * limb k of every lane, radix 2^48, eight limbs (384 bits). The value in a lane is the same
 * a·R mod p, R = 2^384, as the fp_t it came from, so fp_t <-> v8 is a re-slicing of bits
 * (six 64-bit words <-> eight 48-bit limbs) and no multiplication. Normalised form: every
 * limb < 2^48, the value < p (so limb 7 < 2^45). Every v8 function takes and returns that.
 *
 * Why 48 and not 52: eight rounds of 2^48 make exactly R = 2^384, the scalar code's domain.
 * IFMA splits a 52×52-bit product at bit 52, so one factor is pre-shifted by 4 (b < 2^48,
 * so b·16 < 2^52 fits the 52-bit input). For x < 2^52, b < 2^48 the product x·16b splits as
 *   madd52lo(x, 16b) = 16x·b mod 2^52 = 16·(x·b mod 2^48)     (low half, scaled by 16)
 *   madd52hi(x, 16b) = ⌊16x·b / 2^52⌋ = ⌊x·b / 2^48⌋          (high half, exact)
 * so x·b = hi·2^48 + lo/16, hi aligned with the next limb. A column therefore keeps two
 * sums: L (low halves, every term a multiple of 16, so L/16 = L >> 4 exactly) and H (high
 * halves carried in from the column below); its value is (L >> 4) + H + carry-in.
 *
 * Multiplication (product scanning with interleaved Montgomery reduction, the "FIPS"
 * method of Koç, Acar, Kaliski, IEEE Micro 1996, §5): column k collects a_i·b_j and m_i·p_j
 * for i + j = k; for k < 8 the column's value c fixes m_k = c·n0' mod 2^48
 * (n0' = −p^-1 mod 2^48), which makes column k ≡ 0 mod 2^48; columns 8..15 are the result.
 *   m_k: madd52lo(0, c, n0') & (2^48 − 1). IFMA reads only c mod 2^52, which is enough for
 *        a result mod 2^48.
 *   Carry out of column k < 8: c + (m_k·p_0 mod 2^48) is a multiple of 2^48, and the added
 *        part is (−c) mod 2^48, so the carry is (c >> 48) + [c mod 2^48 ≠ 0]; the low half of
 *        m_k·p_0 is never computed (8 fewer IFMAs). Its high half goes into H of column k+1.
 * Bounds (64-bit lanes): a column has at most 8 product and 8 reduction pairs. Low halves are
 * < 2^52 each, so L < 16·2^52 = 2^56; high halves are < 2^48 (all factors < 2^48), so
 * H < 2^52; carries are < 2^6; c < 2^52 + 2^52 + 2^6 < 2^54: nothing comes near 2^64, so
 * columns need no normalisation until they are final. Columns run 0..15 (high halves of
 * pairs with i + j = 14 land in 15; nothing lands in 16).
 * Result: (a·b + m·p)/2^384 < (p² + 2^384·p)/2^384 < 2p for a, b < p, so one conditional
 * subtraction of p (borrow chain, blend) gives the fully reduced value: bit-identical to
 * fp_mul. The carry out of column 15 is 0 for the same reason.
 * Cost per 8 lanes: 64+64 product IFMAs, 64+56 reduction IFMAs, 8 for the m's: 256.
 *
 * Addition and subtraction: limb-wise add/sub, one carry (signed: arithmetic shift) chain
 * across the 8 limbs, then the correction by p computed alongside and chosen per lane by a
 * mask (branch-free).
 *
 * Measured (bench/ifma_probe.c, the 2-vCPU dev VM, Zen 5): v8 mul 7.2 ns per lane against
 * 24.9 ns for mx_fp_mul; one batch-affine round 74 ns per addition against 205 ns.
 * On a CPU that splits 512-bit operations in two (Zen 4) expect about half the IFMA rate.
 */
#ifndef KZGKIT_BACKEND_X86_64_IFMA_H
#define KZGKIT_BACKEND_X86_64_IFMA_H

#include "field/fp.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(KZGKIT_NO_ASM)
#define KZG_HAVE_IFMA_KERNELS 1

#include <immintrin.h>

#define V8_TARGET __attribute__((target("avx512f,avx512ifma,avx512vl")))
#define V8_INLINE static inline __attribute__((always_inline)) V8_TARGET

#define M48 0xffffffffffffULL

typedef struct { __m512i v[8]; } v8fp;

/* p in radix 2^48, p·16 (the pre-shifted factor of the reduction), n0' = −p^-1 mod 2^48
 * (all three computed with python3; test_backend checks P48 against FP_P). */
static const uint64_t P48[8] = {
    0xffffffffaaabULL, 0xb153ffffb9feULL, 0xf6241eabfffeULL, 0x6730d2a0f6b0ULL,
    0x4b84f38512bfULL, 0x434bacd76477ULL, 0xe69a4b1ba7b6ULL, 0x1a0111ea397fULL,
};
static const uint64_t P48X16[8] = {
    0xffffffffaaab0ULL, 0xb153ffffb9fe0ULL, 0xf6241eabfffe0ULL, 0x6730d2a0f6b00ULL,
    0x4b84f38512bf0ULL, 0x434bacd764770ULL, 0xe69a4b1ba7b60ULL, 0x1a0111ea397f0ULL,
};
#define N0_48 0xfffcfffcfffdULL

/* 8×8 transpose of 64-bit words, in place: 8 unpacks (pairs of rows, within 128-bit
 * chunks), then two rounds of 128-bit chunk shuffles (imm 0x88 takes chunks 0 and 2 of
 * each source, 0xDD chunks 1 and 3). Loads + transpose cost half of gather/scatter. */
V8_INLINE void v8_transpose(__m512i x[8]) {
    __m512i t[8], u[8];
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm512_unpacklo_epi64(x[2 * i], x[2 * i + 1]);     /* words 0,2,4,6 */
        t[2 * i + 1] = _mm512_unpackhi_epi64(x[2 * i], x[2 * i + 1]); /* words 1,3,5,7 */
    }
    /* u[0..3]: even words; u[4..7]: odd words. */
    u[0] = _mm512_shuffle_i64x2(t[0], t[2], 0x88); /* w0 w4 of rows 0-3 */
    u[1] = _mm512_shuffle_i64x2(t[4], t[6], 0x88); /* w0 w4 of rows 4-7 */
    u[2] = _mm512_shuffle_i64x2(t[0], t[2], 0xDD); /* w2 w6 */
    u[3] = _mm512_shuffle_i64x2(t[4], t[6], 0xDD);
    u[4] = _mm512_shuffle_i64x2(t[1], t[3], 0x88); /* w1 w5 */
    u[5] = _mm512_shuffle_i64x2(t[5], t[7], 0x88);
    u[6] = _mm512_shuffle_i64x2(t[1], t[3], 0xDD); /* w3 w7 */
    u[7] = _mm512_shuffle_i64x2(t[5], t[7], 0xDD);
    x[0] = _mm512_shuffle_i64x2(u[0], u[1], 0x88);
    x[4] = _mm512_shuffle_i64x2(u[0], u[1], 0xDD);
    x[2] = _mm512_shuffle_i64x2(u[2], u[3], 0x88);
    x[6] = _mm512_shuffle_i64x2(u[2], u[3], 0xDD);
    x[1] = _mm512_shuffle_i64x2(u[4], u[5], 0x88);
    x[5] = _mm512_shuffle_i64x2(u[4], u[5], 0xDD);
    x[3] = _mm512_shuffle_i64x2(u[6], u[7], 0x88);
    x[7] = _mm512_shuffle_i64x2(u[6], u[7], 0xDD);
}

/* Three 64-bit words <-> four 48-bit limbs (192 bits re-sliced), lane by lane: Fp's six
 * words are two such groups, Fr's four words one and a third. */
V8_INLINE void v8_words_to_limbs(__m512i l[4], const __m512i w[3]) {
    const __m512i M = _mm512_set1_epi64(M48);
#define V8_ORAND(a, b) _mm512_ternarylogic_epi64((a), (b), M, 0xA8)
    l[0] = _mm512_and_si512(w[0], M);
    l[1] = V8_ORAND(_mm512_srli_epi64(w[0], 48), _mm512_slli_epi64(w[1], 16));
    l[2] = V8_ORAND(_mm512_srli_epi64(w[1], 32), _mm512_slli_epi64(w[2], 32));
    l[3] = _mm512_srli_epi64(w[2], 16);
#undef V8_ORAND
}

V8_INLINE void v8_limbs_to_words(__m512i w[3], const __m512i l[4]) {
    w[0] = _mm512_or_si512(l[0], _mm512_slli_epi64(l[1], 48));
    w[1] = _mm512_or_si512(_mm512_srli_epi64(l[1], 16), _mm512_slli_epi64(l[2], 32));
    w[2] = _mm512_or_si512(_mm512_srli_epi64(l[2], 32), _mm512_slli_epi64(l[3], 16));
}

/* Lane l ← the fp_t at byte `off` of ptr[l] (re-sliced into 48-bit limbs). */
V8_INLINE void v8_load_tr(v8fp *r, const void *const ptr[8], size_t off) {
    __m512i x[8];
#pragma GCC unroll 8
    for (int l = 0; l < 8; l++) x[l] = _mm512_maskz_loadu_epi64(0x3f, (const char *)ptr[l] + off);
    v8_transpose(x); /* x[w] = word w of every lane (w < 6) */
    v8_words_to_limbs(&r->v[0], &x[0]);
    v8_words_to_limbs(&r->v[4], &x[3]);
}

/* Every lane ← *a (a constant: one, β). */
V8_INLINE void v8_broadcast(v8fp *r, const fp_t *a) {
    const void *p[8] = {a, a, a, a, a, a, a, a};
    v8_load_tr(r, p, 0);
}

/* The fp_t at byte `off` of ptr[l] ← lane l. Pointers must be distinct or the later lane
 * wins. */
V8_INLINE void v8_store_tr(void *const ptr[8], size_t off, const v8fp *a) {
    __m512i x[8];
    v8_limbs_to_words(&x[0], &a->v[0]);
    v8_limbs_to_words(&x[3], &a->v[4]);
    x[6] = x[7] = _mm512_setzero_si512();
    v8_transpose(x); /* x[l] = the six words of lane l */
#pragma GCC unroll 8
    for (int k = 0; k < 8; k++) _mm512_mask_storeu_epi64((char *)ptr[k] + off, 0x3f, x[k]);
}

/* ---- Montgomery arithmetic over NL 48-bit limbs, for any odd modulus below 2^(48·NL) ----
 * The Fp functions below are these with NL = 8 and p (Fr has its own product over five
 * 52-bit limbs, ifma_fr.h, which shares the additions below with B = 52). NL and B are
 * constants at every call (always_inline), so the loops unroll. */

/* Shifts by the limb width B (48 or 52), as immediates even without optimisation (the
 * intrinsics are macros that need one at -O0). */
#define V8_SRLI_B(t, B) ((B) == 48 ? _mm512_srli_epi64((t), 48) : _mm512_srli_epi64((t), 52))
#define V8_SRAI_B(t, B) ((B) == 48 ? _mm512_srai_epi64((t), 48) : _mm512_srai_epi64((t), 52))

/* r = s − P where s ≥ P, else s (limbs of B bits; one subtraction, so the result is reduced
 * when s < 2P). Signed borrow chain: each t = s_k − P_k + borrow lies in (−2^B − 1, 2^B),
 * so t >> B (arithmetic) is the next borrow (0 or −1) and t mod 2^B the limb. */
V8_INLINE void v8n_sub_mod_select(__m512i *r, const __m512i *s, const uint64_t *P, const int NL, const int B) {
    const __m512i M = _mm512_set1_epi64((long long)((1ULL << B) - 1));
    __m512i d[8], br = _mm512_setzero_si512();
#pragma GCC unroll 8
    for (int k = 0; k < NL; k++) {
        __m512i t = _mm512_add_epi64(_mm512_sub_epi64(s[k], _mm512_set1_epi64((long long)P[k])), br);
        br = V8_SRAI_B(t, B);
        d[k] = _mm512_and_si512(t, M);
    }
    __mmask8 keep = _mm512_test_epi64_mask(br, br); /* borrow out: s < P, keep s */
#pragma GCC unroll 8
    for (int k = 0; k < NL; k++) r[k] = _mm512_mask_blend_epi64(keep, d[k], s[k]);
}

/* r = a + b, limbs of B bits, without reduction (the caller bounds the sum below 2^(B·NL)). */
V8_INLINE void v8n_add_lazy(__m512i *r, const __m512i *a, const __m512i *b, const int NL, const int B) {
    const __m512i M = _mm512_set1_epi64((long long)((1ULL << B) - 1));
    __m512i c = _mm512_setzero_si512();
#pragma GCC unroll 8
    for (int k = 0; k < NL; k++) {
        __m512i t = _mm512_add_epi64(_mm512_add_epi64(a[k], b[k]), c);
        c = V8_SRLI_B(t, B);
        r[k] = _mm512_and_si512(t, M);
    }
}

/* r = a + b mod P (a, b < P < 2^(B·NL − 1): limb sums < 2^(B+1) + 1, the last carry 0). */
V8_INLINE void v8n_add(__m512i *r, const __m512i *a, const __m512i *b, const uint64_t *P, const int NL, const int B) {
    __m512i s[8];
    v8n_add_lazy(s, a, b, NL, B);
    v8n_sub_mod_select(r, s, P, NL, B);
}

/* r = a − b mod P (a, b < P). */
V8_INLINE void v8n_sub(__m512i *r, const __m512i *a, const __m512i *b, const uint64_t *P, const int NL, const int B) {
    const __m512i M = _mm512_set1_epi64((long long)((1ULL << B) - 1));
    __m512i d[8], u[8], br = _mm512_setzero_si512(), c = _mm512_setzero_si512();
#pragma GCC unroll 8
    for (int k = 0; k < NL; k++) {
        __m512i t = _mm512_add_epi64(_mm512_sub_epi64(a[k], b[k]), br);
        br = V8_SRAI_B(t, B);
        d[k] = _mm512_and_si512(t, M);
    }
    /* a − b < 0: the lane holds a − b + 2^(B·NL); adding P and dropping the carry out of the
     * top limb gives a − b + P. */
#pragma GCC unroll 8
    for (int k = 0; k < NL; k++) {
        __m512i t = _mm512_add_epi64(_mm512_add_epi64(d[k], _mm512_set1_epi64((long long)P[k])), c);
        c = V8_SRLI_B(t, B);
        u[k] = _mm512_and_si512(t, M);
    }
    __mmask8 neg = _mm512_test_epi64_mask(br, br);
#pragma GCC unroll 8
    for (int k = 0; k < NL; k++) r[k] = _mm512_mask_blend_epi64(neg, d[k], u[k]);
}

/* r = a·b·2^-(B·NL) mod P lane-wise, limbs of B bits (see the top of the file for the
 * method and bounds, given there for B = 48, NL = 8; they hold for any NL ≤ 8 with
 * P < 2^(B·NL)). B = 48: one factor is pre-shifted by 4 so that IFMA's split at bit 52 is
 * the limb boundary scaled by 16 (L >> 4); B = 52: the split is the limb boundary, no
 * shift. PS = P·2^(52−B) limb by limb (P16 for B = 48, P itself for 52), n0 = −P^-1 mod
 * 2^B. r may alias a or b (both are read into registers first). reduce: the final
 * conditional subtraction (without it the result is < a·b/2^(B·NL) + P, for callers that
 * bound their values; ifma_fr.h).
 * sq (B = 48 only, a constant at every call): b is a, and each column takes its cross
 * products once, with one factor doubled — 2a_i·16a_j for i < j (2a_i < 2^49, so the
 * halves stay exact: 2a_i·16a_j < 2^101) — and its square term a_i·16a_i: NL(NL+1)/2
 * product pairs instead of NL² (NL = 8: 36 + 36 IFMAs instead of 64 + 64; 200 in all
 * against 256). The column bounds only shrink. The same value as the product, bit for
 * bit. (With B = 52, 2a_i could reach 2^53, beyond IFMA's 52-bit inputs.) */
V8_INLINE void v8n_mont(__m512i *r, const __m512i *a, const __m512i *b, const uint64_t *P, const uint64_t *PS,
                        uint64_t n0, const int NL, const int B, const bool sq, const bool reduce) {
    const __m512i M = _mm512_set1_epi64((long long)((1ULL << B) - 1)), Z = _mm512_setzero_si512();
    const __m512i N0 = _mm512_set1_epi64((long long)n0), ONE = _mm512_set1_epi64(1);
    const bool pre = B == 48; /* the factor 16 on b, and L >> 4 */
    __m512i A[8], BS[8], m[8], out[8];
#pragma GCC unroll 8
    for (int j = 0; j < NL; j++) {
        A[j] = sq ? _mm512_slli_epi64(a[j], 1) : a[j]; /* 2a_j when squaring */
        BS[j] = pre ? _mm512_slli_epi64(sq ? a[j] : b[j], 4) : b[j];
    }
    __m512i H = Z, carry = Z;
#pragma GCC unroll 16
    for (int k = 0; k < 2 * NL; k++) {
        const int lo = k > NL - 1 ? k - (NL - 1) : 0, hi = k < NL - 1 ? k : NL - 1,
                  rhi = k - 1 < NL - 1 ? k - 1 : NL - 1;
        __m512i L = Z, Hn = Z;
#pragma GCC unroll 8
        for (int i = lo; i <= hi; i++) { /* product pairs first: they never wait for m */
            if (sq && 2 * i > k) break;
            __m512i x = A[i];
            if (sq && 2 * i == k) x = _mm512_srli_epi64(A[i], 1); /* the square term: a_i once */
            L = _mm512_madd52lo_epu64(L, x, BS[k - i]);
            Hn = _mm512_madd52hi_epu64(Hn, x, BS[k - i]);
        }
#pragma GCC unroll 8
        for (int i = lo; i <= rhi; i++) { /* reduction pairs m_i·P_j, oldest m first */
            const __m512i pj = _mm512_set1_epi64((long long)PS[k - i]);
            L = _mm512_madd52lo_epu64(L, m[i], pj);
            Hn = _mm512_madd52hi_epu64(Hn, m[i], pj);
        }
        __m512i c = _mm512_add_epi64(_mm512_add_epi64(pre ? _mm512_srli_epi64(L, 4) : L, H), carry);
        if (k < NL) {
            m[k] = _mm512_and_si512(_mm512_madd52lo_epu64(Z, c, N0), M);
            __m512i ch = V8_SRLI_B(c, B);
            carry = _mm512_mask_add_epi64(ch, _mm512_test_epi64_mask(c, M), ch, ONE);
            Hn = _mm512_madd52hi_epu64(Hn, m[k], _mm512_set1_epi64((long long)PS[0]));
        } else {
            out[k - NL] = _mm512_and_si512(c, M);
            carry = V8_SRLI_B(c, B);
        }
        H = Hn;
    }
    if (reduce) {
        v8n_sub_mod_select(r, out, P, NL, B);
    } else {
#pragma GCC unroll 8
        for (int k = 0; k < NL; k++) r[k] = out[k];
    }
}

V8_INLINE void v8n_mul(__m512i *r, const __m512i *a, const __m512i *b, const uint64_t *P, const uint64_t *P16,
                       uint64_t n0, const int NL) {
    v8n_mont(r, a, b, P, P16, n0, NL, 48, false, true);
}

/* ---- Fp (NL = 8) ---- */

V8_INLINE void v8_sub_p_select(v8fp *r, const __m512i s[8]) { v8n_sub_mod_select(r->v, s, P48, 8, 48); }

V8_INLINE void v8_add(v8fp *r, const v8fp *a, const v8fp *b) { v8n_add(r->v, a->v, b->v, P48, 8, 48); }

V8_INLINE void v8_sub(v8fp *r, const v8fp *a, const v8fp *b) { v8n_sub(r->v, a->v, b->v, P48, 8, 48); }

/* r = a·b·2^-384 mod p lane-wise. 256 IFMAs per eight products. */
V8_INLINE void v8_mul(v8fp *r, const v8fp *a, const v8fp *b) { v8n_mul(r->v, a->v, b->v, P48, P48X16, N0_48, 8); }

/* r = a², bit for bit v8_mul(r, a, a): 200 IFMAs instead of 256. */
V8_INLINE void v8_sqr(v8fp *r, const v8fp *a) { v8n_mont(r->v, a->v, a->v, P48, P48X16, N0_48, 8, 48, true, true); }

#endif /* x86-64 */
#endif
