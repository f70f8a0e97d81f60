/*
 * field/fr.h — the BLS12-381 scalar field Fr, r = 0x73eda753...00000001 (255 bits).
 *
 * Owns: Fr arithmetic in Montgomery form. May call: common only.
 *
 * Representation: four little-endian 64-bit limbs holding a·R mod r with R = 2^256,
 * always fully reduced on output; outputs may alias inputs. _var: variable time.
 */
#ifndef KZGKIT_FIELD_FR_H
#define KZGKIT_FIELD_FR_H

#include "common/common.h"

typedef struct { uint64_t l[4]; } fr_t;

extern const fr_t FR_ZERO;
extern const fr_t FR_ONE;          /* R mod r */
extern const uint64_t FR_R[4];     /* the modulus, plain integer limbs */

/* fr_add, fr_sub, fr_dbl, fr_neg: static inline, field/fr_addsub.h (end of file). */
void fr_mul(fr_t *r, const fr_t *a, const fr_t *b);
void fr_sqr(fr_t *r, const fr_t *a);
/* r = a[0]·b[0] + a[1]·b[1]: one Montgomery reduction for both products where the backend
 * has it (mulx/adx: 48 mulx against 64 + an addition), the same value as two fr_mul and
 * an fr_add. */
void fr_mul_sum2(fr_t *r, const fr_t a[2], const fr_t b[2]);

bool fr_is_zero(const fr_t *a);
bool fr_is_one(const fr_t *a);
bool fr_eq(const fr_t *a, const fr_t *b);

void fr_inv_var(fr_t *r, const fr_t *a);                        /* 0^-1 = 0 */
void fr_batch_inv_var(fr_t *out, const fr_t *in, size_t n);     /* no overlap; 0 -> 0 */
void fr_pow_var(fr_t *r, const fr_t *a, const uint64_t *e, size_t n);

void fr_from_u64(fr_t *r, uint64_t v);
void fr_from_raw(fr_t *r, const uint64_t raw[4]);  /* raw < r */
void fr_to_raw(uint64_t raw[4], const fr_t *a);
/* Canonical 32-byte big-endian decoding: false (r = 0) when the value is >= r. */
bool fr_from_bytes_be(fr_t *r, const uint8_t in[32]);
/* Any 32 bytes, big-endian, reduced mod r (the spec's hash_to_bls_field). */
void fr_from_bytes_be_reduce(fr_t *r, const uint8_t in[32]);
void fr_to_bytes_be(uint8_t out[32], const fr_t *a);

#include "field/fr_addsub.h"

#endif
