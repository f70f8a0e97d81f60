/*
 * curve/g1.h — G1: the points of E(Fp): y² = x³ + 4 in the order-r subgroup.
 *
 * Owns: G1 group law, scalar multiplication, subgroup checks, the ZCash 48-byte codec.
 * May call: field.
 *
 * Forms:
 *  - g1_t: Jacobian (X, Y, Z) for x = X/Z², y = Y/Z³; Z = 0 is the point at infinity.
 *  - g1_aff_t: affine (x, y); infinity is stored as x = y = 0 (not on the curve, so it
 *    cannot collide with a real point). 96 bytes, no flag: the form tables and MSM use.
 * Outputs may alias inputs. _var: variable time (KZG inputs are public).
 */
#ifndef KZGKIT_CURVE_G1_H
#define KZGKIT_CURVE_G1_H

#include "field/fp.h"
#include "field/fr.h"

typedef struct { fp_t x, y, z; } g1_t;
typedef struct { fp_t x, y; } g1_aff_t;

extern const g1_aff_t G1_GENERATOR_AFF;

void g1_set_inf(g1_t *r);
bool g1_is_inf(const g1_t *a);
bool g1_aff_is_inf(const g1_aff_t *a);
void g1_from_aff(g1_t *r, const g1_aff_t *a);
void g1_to_aff(g1_aff_t *r, const g1_t *a);                 /* one inversion */
/* Many points to affine with one inversion; `scratch` holds n fp_t; out and in must not
 * overlap. */
void g1_batch_to_aff(g1_aff_t *out, const g1_t *in, size_t n, fp_t *scratch);

void g1_add(g1_t *r, const g1_t *a, const g1_t *b);        /* handles inf, a = ±b */
void g1_add_aff(g1_t *r, const g1_t *a, const g1_aff_t *b); /* mixed; handles inf, a = ±b */
void g1_dbl(g1_t *r, const g1_t *a);
void g1_neg(g1_t *r, const g1_t *a);
void g1_aff_neg(g1_aff_t *r, const g1_aff_t *a);
bool g1_eq(const g1_t *a, const g1_t *b);                  /* projective comparison */

/* The GLV split of k < r: k = k0 + q·z² with k0 < z² < 2^128 and q < 2^128 (so
 * k·P = k0·P + q·(-φ(P))). Little-endian limbs. Shared by the scalar multiplications and
 * the MSMs. */
void g1_glv_split(uint64_t k0[2], uint64_t q[2], const uint64_t k[4]);
/* r = k·p by GLV (k = k0 + q·z², [z²]p = -φ(p)) and interleaved wNAFs (variable time).
 * k is in Montgomery form (an Fr element). p must be in G1, as every validated point is. */
void g1_mul_var(g1_t *r, const g1_t *p, const fr_t *k);
/* r = a·p + b·q, as g1_mul_var twice and an addition, sharing the doublings (~30 % less
 * work). Same preconditions. */
void g1_mul2_var(g1_t *r, const g1_t *p, const fr_t *a, const g1_t *q, const fr_t *b);
/* out[i] = k[i]·in[i] for i < n: the same points as g1_mul_var (Jacobian coordinates may
 * differ). With the IFMA kernels eight multiplications run at once in vector lanes (signed
 * fixed windows over the GLV halves, ~3× faster per multiplication); else one by one.
 * out may alias in. */
void g1_mul_many_var(g1_t *out, const g1_t *in, const fr_t *k, size_t n);
/* r = k·p for a plain little-endian integer of n limbs (any size; used for r, z, cofactor). */
void g1_mul_raw_var(g1_t *r, const g1_t *p, const uint64_t *k, size_t n);

bool g1_is_on_curve(const g1_t *a);              /* infinity counts as on the curve */
bool g1_aff_is_on_curve(const g1_aff_t *a);
/* Subgroup membership for a point already on the curve, by the GLV endomorphism
 * (Scott, "A note on group membership tests for G1, G2 and GT on BLS pairing-friendly
 * curves", 2021): φ(P) = [-z²]P. Not multiplication by r. */
bool g1_in_subgroup_var(const g1_t *a);
/* ok[i] = g1_in_subgroup_var(pts[i]) for n affine points on the curve (infinity allowed),
 * eight at a time with the IFMA kernels where the backend has them (~2.5× faster per
 * point; any lane not proven in G1 is decided by g1_in_subgroup_var), else one by one. */
void g1_in_subgroup_batch_var(bool *ok, const g1_aff_t *pts, size_t n);

/* ZCash compressed encoding. Decoding checks, in order, and reports the first failure:
 * flags (compression bit set; infinity bit with an all-zero body and no sign bit) →
 * KZG_ERR_POINT_ENCODING; x >= p → KZG_ERR_POINT_ENCODING; x³+4 not a square →
 * KZG_ERR_POINT_NOT_ON_CURVE; not in the subgroup → KZG_ERR_POINT_NOT_IN_SUBGROUP. */
kzg_status g1_decompress(g1_aff_t *out, const uint8_t in[48]);
/* As g1_decompress without the subgroup check (for data already validated elsewhere). */
kzg_status g1_decompress_unchecked(g1_aff_t *out, const uint8_t in[48]);
/* g1_decompress of n encodings in[k·stride .. k·stride + 47] into out[k], statuses into
 * st[k] — the same points and statuses, the subgroup checks done by
 * g1_in_subgroup_batch_var. The error detail left behind is that of some failure, not
 * necessarily the first: rerun g1_decompress on the first failing index for its detail. */
void g1_decompress_many(g1_aff_t *out, kzg_status *st, const uint8_t *in, size_t stride,
                        size_t n);
void g1_compress(uint8_t out[48], const g1_aff_t *a);

#endif
