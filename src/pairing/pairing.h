/*
 * pairing/pairing.h — the optimal ate pairing e: G1 × G2 → GT ⊂ Fp12*.
 *
 * Owns: the Fp6/Fp12 tower (pairing/tower.h), Miller loop, final exponentiation,
 * product-of-pairings check. May call: field, curve.
 */
#ifndef KZGKIT_PAIRING_PAIRING_H
#define KZGKIT_PAIRING_PAIRING_H

#include "curve/g1.h"
#include "curve/g2.h"
#include "pairing/tower.h"

/* f = Miller loop of (P, Q) (no final exponentiation). Infinity on either side gives 1.
 * f is f_{x,Q}(P) up to factors the final exponentiation removes (x < 0 is applied by
 * conjugation), so pairing_final_exp(f) = e(P, Q) and Miller values may be multiplied
 * together before one final exponentiation. */
void pairing_miller_loop(fp12_t *f, const g1_aff_t *p, const g2_aff_t *q);
/* Product of n Miller loops sharing the squarings (one accumulator). */
void pairing_miller_loop_n(fp12_t *f, const g1_aff_t *p, const g2_aff_t *q, size_t n);
/* f^((p^12 - 1)/r). */
void pairing_final_exp(fp12_t *r, const fp12_t *f);
/* e(P, Q). */
void pairing(fp12_t *r, const g1_aff_t *p, const g2_aff_t *q);
/* true iff Π e(P_i, Q_i) = 1 (one shared final exponentiation). */
bool pairing_product_is_one(const g1_aff_t *p, const g2_aff_t *q, size_t n);

#endif
