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

/* Line coefficients of the Miller loop for a fixed Q (63 doubling + 5 addition steps,
 * three Fp2 each: 19.6 KiB): what every pairing with that Q would compute from Q alone,
 * computed once. A pairing with prepared lines does no G2 arithmetic — per step 4 Fp
 * multiplications to evaluate the line at P, instead of 3 M + 6 S (doubling) or
 * 11 M + 2 S (addition) in Fp2 besides. */
#define PAIRING_LINE_STEPS 68
typedef struct pairing_g2_lines {
    fp2_t c[PAIRING_LINE_STEPS][3];
    bool inf; /* Q was the point at infinity: every pairing with it is 1 */
} pairing_g2_lines;

/* out = the lines of Q (about 40 µs). */
void pairing_g2_prepare(pairing_g2_lines *out, const g2_aff_t *q);

/* f = Miller loop of (P, Q) (no final exponentiation). Infinity on either side gives 1.
 * f is f_{x,Q}(P) up to factors the final exponentiation removes (x < 0 is applied by
 * conjugation), so pairing_final_exp(f) = e(P, Q) and Miller values may be multiplied
 * together before one final exponentiation. */
void pairing_miller_loop(fp12_t *f, const g1_aff_t *p, const g2_aff_t *q);
/* Product of n Miller loops sharing the squarings (one accumulator). */
void pairing_miller_loop_n(fp12_t *f, const g1_aff_t *p, const g2_aff_t *q, size_t n);
/* The same with each Q_i given by its prepared lines (lines[i] non-NULL): bit-identical
 * to pairing_miller_loop_n on the points the lines were prepared from. */
void pairing_miller_loop_n_prepared(fp12_t *f, const g1_aff_t *p,
                                    const pairing_g2_lines *const *lines, size_t n);
/* f^((p^12 - 1)/r). */
void pairing_final_exp(fp12_t *r, const fp12_t *f);
/* (f^((p¹² - 1)/r))³: cheaper than pairing_final_exp, and 1 exactly when it is (3 ∤ r);
 * what the product checks below use. */
void pairing_final_exp_cubed(fp12_t *r, const fp12_t *f);
/* For the tests: Karabina's compressed squaring (the final exponentiation's) applied n
 * times to the coordinates (c1.c0, c0.c2, c0.c1, c1.c2) of *a, the others left as they
 * are — the eight-lane chain with the IFMA backend, the one-at-a-time one elsewhere or
 * with serial set. The two give the same values bit for bit. */
void pairing_comp_sqr_n(fp12_t *a, unsigned n, bool serial);
/* e(P, Q). */
void pairing(fp12_t *r, const g1_aff_t *p, const g2_aff_t *q);
/* true iff Π e(P_i, Q_i) = 1 (one shared final exponentiation). */
bool pairing_product_is_one(const g1_aff_t *p, const g2_aff_t *q, size_t n);
/* The same with every Q_i given by its prepared lines (lines[i] non-NULL); equal to
 * pairing_product_is_one on the points the lines were prepared from. */
bool pairing_product_is_one_prepared(const g1_aff_t *p, const pairing_g2_lines *const *lines,
                                     size_t n);

#endif
