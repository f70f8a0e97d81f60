/*
 * msm/msm_recode.h — scalar recoding shared by every MSM of the msm layer (msm.c, multi.c,
 * table.c): the GLV split, signed-digit extraction, and the window counts that follow from
 * them. Internal to the msm layer.
 *
 * Signed digits: an integer v is written Σ_w d_w·2^(c·w) with d_w ∈ (-2^(c-1), 2^(c-1)]
 * (a digit above 2^(c-1) borrows 2^c from the next window), so a window needs 2^(c-1)
 * buckets and a negative digit adds (x, -y). Enough windows are asked for that the last
 * one never carries out: floor(bits/c) + 1.
 */
#ifndef KZGKIT_MSM_RECODE_H
#define KZGKIT_MSM_RECODE_H

#include "curve/g1.h"

/* Bits of each GLV half's magnitude (both are at most 2^127, below). */
#define MSM_HALF_BITS 128

/* β in Montgomery form (recode.c): φ(x, y) = (βx, y) is [-z²] on G1. */
extern const fp_t MSM_BETA;

/* k ≡ ±k0 ± q·z² (mod r), balanced: k0 and q are magnitudes of at most 2^127, their signs
 * in neg (bit 0: -k0, bit 1: -q); k·P = (±k0)·P + (±q)·(-φ(P)), -φ(P) = (βx, -y), and a
 * negative half adds its point negated. Why at most 2^127: the signed digits of a value
 * ≤ 2^127 in windows of c bits never carry out of bit 128 (the top window's bits are at
 * most 2^(c-1), and exactly that only when every lower bit is 0), so when c divides 128 no
 * window is spent on a carry. */
typedef struct msm_half { uint64_t k0[2], q[2]; uint32_t neg; } msm_half;

/* The split of a plain-integer scalar k < r (recode.c). */
void msm_glv_split(msm_half *h, const uint64_t k[4]);

/* Windows of width c over a GLV half: 128/c when c divides 128 (no carry out, above), else
 * floor(128/c) + 1 (the top one holds the last 128 mod c bits plus a carry). */
static inline size_t msm_glv_windows(unsigned c) { return MSM_HALF_BITS % c ? MSM_HALF_BITS / c + 1 : MSM_HALF_BITS / c; }

/* The largest digit the top window of a GLV half can hold (recode.c): 2^(c-1) when c
 * divides 128 (a full window), else at most (2^127 >> c·(nwin-1)) plus a carry. */
size_t msm_glv_top_max(unsigned c);

/* Bits [pos, pos + c) of a little-endian integer of `limbs` limbs (bits past the end read
 * as 0); c ≤ 32. */
static inline unsigned msm_bits(const uint64_t *v, size_t limbs, unsigned pos, unsigned c) {
    unsigned limb = pos / 64, off = pos % 64;
    if (limb >= limbs) return 0;
    uint64_t x = v[limb] >> off;
    if (off + c > 64 && limb + 1 < limbs) x |= v[limb + 1] << (64 - off);
    return (unsigned)(x & (((uint64_t)1 << c) - 1));
}

/* Signed digits d[0..upto) of the `limbs`-limb integer v in windows of c bits. */
static inline void msm_recode(int32_t *d, const uint64_t *v, size_t limbs, unsigned c, size_t upto) {
    const int32_t half = (int32_t)1 << (c - 1), full = (int32_t)1 << c;
    int32_t carry = 0;
    for (size_t w = 0; w < upto; w++) {
        int32_t x = (int32_t)msm_bits(v, limbs, (unsigned)(w * c), c) + carry;
        carry = x > half;
        d[w] = carry ? x - full : x;
    }
}

/* A GLV half (2 limbs) and a full scalar (4 limbs, < r < 2^255: floor(255/c) + 1 windows). */
static inline void msm_recode128(int32_t *d, const uint64_t v[2], unsigned c, size_t upto) {
    msm_recode(d, v, 2, c, upto);
}
static inline void msm_recode256(int32_t *d, const uint64_t v[4], unsigned c, size_t upto) {
    msm_recode(d, v, 4, c, upto);
}

#endif
