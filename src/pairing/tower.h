/*
 * pairing/tower.h — Fp6 = Fp2[v]/(v³ - (1+u)) and Fp12 = Fp6[w]/(w² - v): the target
 * group's field and what the pairing needs of it.
 *
 * Owns: Fp6/Fp12 arithmetic, sparse line multiplication, Frobenius maps, cyclotomic
 * squaring. May call: field. Outputs may alias inputs.
 */
#ifndef KZGKIT_PAIRING_TOWER_H
#define KZGKIT_PAIRING_TOWER_H

#include "field/fp2.h"

typedef struct { fp2_t c0, c1, c2; } fp6_t;   /* c0 + c1·v + c2·v² */
typedef struct { fp6_t c0, c1; } fp12_t;      /* c0 + c1·w */

extern const fp12_t FP12_ONE;

void fp6_add(fp6_t *r, const fp6_t *a, const fp6_t *b);
void fp6_sub(fp6_t *r, const fp6_t *a, const fp6_t *b);
void fp6_neg(fp6_t *r, const fp6_t *a);
void fp6_mul(fp6_t *r, const fp6_t *a, const fp6_t *b);
void fp6_sqr(fp6_t *r, const fp6_t *a);
void fp6_mul_by_v(fp6_t *r, const fp6_t *a);
void fp6_inv_var(fp6_t *r, const fp6_t *a);

void fp12_mul(fp12_t *r, const fp12_t *a, const fp12_t *b);
void fp12_sqr(fp12_t *r, const fp12_t *a);
void fp12_conj(fp12_t *r, const fp12_t *a);            /* a^(p^6): the inverse in GT */
void fp12_inv_var(fp12_t *r, const fp12_t *a);
void fp12_frobenius(fp12_t *r, const fp12_t *a, int power); /* a^(p^power), power 1..3 */
void fp12_cyclotomic_sqr(fp12_t *r, const fp12_t *a);  /* only for a in the cyclotomic subgroup */
bool fp12_eq(const fp12_t *a, const fp12_t *b);
bool fp12_is_one(const fp12_t *a);

/* Added for the Miller loop (pairing.c); sparse products, outputs may alias a. */
/* r = a·(b0 + b1 v): 5 Fp2 mul. */
void fp6_mul_by_01(fp6_t *r, const fp6_t *a, const fp2_t *b0, const fp2_t *b1);
/* r = a·(b1 v): 3 Fp2 mul. */
void fp6_mul_by_1(fp6_t *r, const fp6_t *a, const fp2_t *b1);
/* f = f·(l0 + l1 w² + l3 w³) — a line of the M-type twist ("014" in the (c0.c0, c0.c1,
 * c0.c2, c1.c0, c1.c1, c1.c2) numbering): 13 Fp2 mul. */
void fp12_mul_by_014(fp12_t *f, const fp2_t *l0, const fp2_t *l1, const fp2_t *l3);

/* r[i] = a[i]·b[i] for i < n: independent products (no r[i] is any product's input),
 * eight at a time with the IFMA backend, else one after the other. */
void fp2_mul_many(fp2_t *const *r, const fp2_t *const *a, const fp2_t *const *b, size_t n);

/* fp12_mul, fp12_sqr and fp12_mul_by_014 compute their independent Fp2 products eight at
 * a time with the IFMA backend (tower.c); these are the same formulas one Fp2 product at
 * a time, what every other backend runs — equal results, bit for bit (the tests compare
 * the two). */
void fp12_mul_serial(fp12_t *r, const fp12_t *a, const fp12_t *b);
void fp12_sqr_serial(fp12_t *r, const fp12_t *a);
void fp12_mul_by_014_serial(fp12_t *f, const fp2_t *l0, const fp2_t *l1, const fp2_t *l3);

#endif
