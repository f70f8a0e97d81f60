/*
 * field/fp2.h — Fp2 = Fp[u]/(u² + 1), the field of G2's coordinates.
 *
 * Owns: Fp2 arithmetic. May call: fp. Outputs may alias inputs. _var: variable time.
 */
#ifndef KZGKIT_FIELD_FP2_H
#define KZGKIT_FIELD_FP2_H

#include "field/fp.h"

typedef struct { fp_t c0, c1; } fp2_t; /* c0 + c1·u */

extern const fp2_t FP2_ZERO;
extern const fp2_t FP2_ONE;

/* fp2_add, fp2_sub, fp2_dbl, fp2_neg and fp2_mul_by_nonresidue: static inline below (two
 * inline Fp additions each; as calls they were ~15 % of a pairing with IFMA). */
void fp2_conj(fp2_t *r, const fp2_t *a);               /* c0 - c1·u = a^p (Frobenius) */
void fp2_mul(fp2_t *r, const fp2_t *a, const fp2_t *b); /* 3 Fp mul (Karatsuba) */
void fp2_sqr(fp2_t *r, const fp2_t *a);                 /* 2 Fp mul */
void fp2_mul_fp(fp2_t *r, const fp2_t *a, const fp_t *b);
void fp2_inv_var(fp2_t *r, const fp2_t *a);             /* 0 -> 0 */
bool fp2_sqrt_var(fp2_t *r, const fp2_t *a);            /* false if not a square */
bool fp2_is_zero(const fp2_t *a);
bool fp2_is_one(const fp2_t *a);
bool fp2_eq(const fp2_t *a, const fp2_t *b);
/* ZCash sign rule for G2: compare c1 by fp_is_lex_largest; if c1 = 0, use c0. */
bool fp2_is_lex_largest(const fp2_t *a);

static inline void fp2_add(fp2_t *r, const fp2_t *a, const fp2_t *b) {
    fp_add(&r->c0, &a->c0, &b->c0);
    fp_add(&r->c1, &a->c1, &b->c1);
}

static inline void fp2_sub(fp2_t *r, const fp2_t *a, const fp2_t *b) {
    fp_sub(&r->c0, &a->c0, &b->c0);
    fp_sub(&r->c1, &a->c1, &b->c1);
}

static inline void fp2_dbl(fp2_t *r, const fp2_t *a) {
    fp_dbl(&r->c0, &a->c0);
    fp_dbl(&r->c1, &a->c1);
}

static inline void fp2_neg(fp2_t *r, const fp2_t *a) {
    fp_neg(&r->c0, &a->c0);
    fp_neg(&r->c1, &a->c1);
}

/* a·(1 + u), the Fp6 non-residue: (a0 + a1 u)(1 + u) = (a0 − a1) + (a0 + a1) u, no
 * multiplication. */
static inline void fp2_mul_by_nonresidue(fp2_t *r, const fp2_t *a) {
    fp_t t;
    fp_sub(&t, &a->c0, &a->c1);
    fp_add(&r->c1, &a->c0, &a->c1);
    r->c0 = t;
}

#endif
