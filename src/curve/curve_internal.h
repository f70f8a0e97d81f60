/*
 * curve/curve_internal.h — helpers shared by g1.c and g2.c; not a contract for other layers.
 *
 * Owns: scalar recoding (width-w NAF) and the BLS parameter z. May call: common only.
 */
#ifndef KZGKIT_CURVE_INTERNAL_H
#define KZGKIT_CURVE_INTERNAL_H

#include "common/common.h"

/* |z| for the BLS12-381 parameter z = -0xd201000000010000 (Hamming weight 6). */
#define CURVE_Z_ABS 0xd201000000010000ULL

/* Largest scalar (in 64-bit limbs) recoded in one piece; longer scalars are processed in
 * chunks of this size by Horner's rule (k = k_hi·2^(64·CURVE_WNAF_MAX_LIMBS) + k_lo). */
#define CURVE_WNAF_MAX_LIMBS 16
#define CURVE_WNAF_MAX_DIGITS (64 * CURVE_WNAF_MAX_LIMBS + 1)

/* Number of significant bits of the plain little-endian integer k[0..n). */
size_t curve_bit_length(const uint64_t *k, size_t n);

/* Width-w NAF of k (n <= CURVE_WNAF_MAX_LIMBS limbs, 2 <= w <= 7): digits[i] ∈ {0, ±1, ±3,
 * …, ±(2^(w-1) - 1)}, k = Σ digits[i]·2^i, and any w consecutive digits hold at most one
 * non-zero. Writes bit_length(k) + 1 digits at most; returns the number written (the
 * index of the top non-zero digit + 1, 0 for k = 0). Variable time. */
size_t curve_wnaf_var(int8_t *digits, const uint64_t *k, size_t n, unsigned w);

/* The window width that minimises doublings+additions for a scalar of `bits` bits. */
unsigned curve_wnaf_width(size_t bits);

#endif
