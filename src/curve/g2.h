/*
 * curve/g2.h — G2: the points of E'(Fp2): y² = x³ + 4(1 + u) in the order-r subgroup.
 *
 * Owns: G2 group law, scalar multiplication, subgroup check, the ZCash 96-byte codec.
 * May call: field (fp, fp2, fr).
 * Forms and conventions as in curve/g1.h (affine infinity: x = y = 0).
 */
#ifndef KZGKIT_CURVE_G2_H
#define KZGKIT_CURVE_G2_H

#include "field/fp2.h"
#include "field/fr.h"

typedef struct { fp2_t x, y, z; } g2_t;
typedef struct { fp2_t x, y; } g2_aff_t;

extern const g2_aff_t G2_GENERATOR_AFF;

void g2_set_inf(g2_t *r);
bool g2_is_inf(const g2_t *a);
bool g2_aff_is_inf(const g2_aff_t *a);
void g2_from_aff(g2_t *r, const g2_aff_t *a);
void g2_to_aff(g2_aff_t *r, const g2_t *a);
/* Many points to affine with one inversion; `scratch` holds n fp2_t; out and in must not
 * overlap. */
void g2_batch_to_aff(g2_aff_t *out, const g2_t *in, size_t n, fp2_t *scratch);

void g2_add(g2_t *r, const g2_t *a, const g2_t *b);
void g2_add_aff(g2_t *r, const g2_t *a, const g2_aff_t *b);
void g2_dbl(g2_t *r, const g2_t *a);
void g2_neg(g2_t *r, const g2_t *a);
void g2_aff_neg(g2_aff_t *r, const g2_aff_t *a);
bool g2_eq(const g2_t *a, const g2_t *b);

/* r = k·p, variable time; p must be in G2 (it uses ψ, GLS). k: an Fr element. */
void g2_mul_var(g2_t *r, const g2_t *p, const fr_t *k);
/* r = k·p for a plain little-endian integer of n limbs, any p on the curve (wNAF). */
void g2_mul_raw_var(g2_t *r, const g2_t *p, const uint64_t *k, size_t n);

bool g2_is_on_curve(const g2_t *a);
bool g2_aff_is_on_curve(const g2_aff_t *a);
/* Subgroup membership via the untwist-Frobenius-twist endomorphism ψ: ψ(P) = [z]P
 * (Scott 2021 / Bowe). Not multiplication by r. */
bool g2_in_subgroup_var(const g2_t *a);
/* r = ψ(a) = (conj(X)·cx, conj(Y)·cy, conj(Z)), the endomorphism above; on G2 it acts
 * as multiplication by z (and p). Also useful for G2 cofactor clearing. */
void g2_psi(g2_t *r, const g2_t *a);

/* ZCash 96-byte encoding (x.c1 first, then x.c0); same checks and statuses as G1. */
kzg_status g2_decompress(g2_aff_t *out, const uint8_t in[96]);
kzg_status g2_decompress_unchecked(g2_aff_t *out, const uint8_t in[96]);
void g2_compress(uint8_t out[96], const g2_aff_t *a);

#endif
