/*
 * field/fp.h — the BLS12-381 base field Fp, p = 0x1a0111ea...aaab (381 bits).
 *
 * Owns: Fp arithmetic in Montgomery form. May call: common only.
 *
 * Representation: six little-endian 64-bit limbs holding a·R mod p with R = 2^384,
 * always fully reduced (< p) on output; every function accepts fully reduced inputs and
 * allows its output to alias any input.
 *
 * Timing: add/sub/neg/mul/sqr are branch-light; functions named _var take time that
 * depends on their input (inversion, sqrt, pow) — allowed because every KZG input is
 * public (see include/kzgkit/kzg.h).
 */
#ifndef KZGKIT_FIELD_FP_H
#define KZGKIT_FIELD_FP_H

#include "common/common.h"

typedef struct { uint64_t l[6]; } fp_t;

extern const fp_t FP_ZERO;
extern const fp_t FP_ONE;          /* R mod p */
extern const uint64_t FP_P[6];     /* the modulus, plain integer limbs */
extern const uint64_t FP_P_PLUS_1_QUARTER[6]; /* (p + 1)/4: a^((p+1)/4) is √a when a is a square */

/* fp_add, fp_sub, fp_dbl, fp_neg (−0 = 0): static inline, field/fp_addsub.h (end of file). */
void fp_mul(fp_t *r, const fp_t *a, const fp_t *b);
void fp_sqr(fp_t *r, const fp_t *a);
void fp_mul_small(fp_t *r, const fp_t *a, uint64_t k); /* a·k for a small constant k < 2^32 */

bool fp_is_zero(const fp_t *a);
bool fp_is_one(const fp_t *a);
bool fp_eq(const fp_t *a, const fp_t *b);

/* r = a^-1 (binary extended GCD / Bernstein–Yang style, variable time); 0^-1 = 0. */
void fp_inv_var(fp_t *r, const fp_t *a);
/* out[i] = in[i]^-1 with one inversion (Montgomery's trick); zeros map to zero.
 * out and in must not overlap. */
void fp_batch_inv_var(fp_t *out, const fp_t *in, size_t n);
/* r = a^e, e given as `n` little-endian 64-bit limbs (plain integer). */
void fp_pow_var(fp_t *r, const fp_t *a, const uint64_t *e, size_t n);
/* r = sqrt(a) if a is a square (returns true); false otherwise (r = 0). p ≡ 3 mod 4. */
bool fp_sqrt_var(fp_t *r, const fp_t *a);
/* Legendre symbol test: true for squares, including 0. */
bool fp_is_square_var(const fp_t *a);

void fp_from_u64(fp_t *r, uint64_t v);
/* Plain integer limbs (must be < p) to Montgomery form, and back. */
void fp_from_raw(fp_t *r, const uint64_t raw[6]);
void fp_to_raw(uint64_t raw[6], const fp_t *a);
/* Canonical 48-byte big-endian decoding: false (and r = 0) when the value is >= p. */
bool fp_from_bytes_be(fp_t *r, const uint8_t in[48]);
void fp_to_bytes_be(uint8_t out[48], const fp_t *a);
/* ZCash sign rule: true when the canonical value is > (p-1)/2. */
bool fp_is_lex_largest(const fp_t *a);

#include "field/fp_addsub.h"

#endif
