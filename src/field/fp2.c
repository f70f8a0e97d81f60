/*
 * field/fp2.c — Fp2 = Fp[u]/(u² + 1). See field/fp2.h for the contract.
 *
 * Owns: Fp2 arithmetic. May call: fp.
 *
 * Every function reads all of its inputs before writing its output, so outputs may alias
 * inputs. Elements are pairs of fully reduced Fp elements (Montgomery form), so every
 * result here is fully reduced as well.
 */
#include "field/fp2.h"

#include "backend/backend.h"

const fp2_t FP2_ZERO = {{{0}}, {{0}}};
/* c0 = R mod p (Montgomery one, the same limbs as FP_ONE), c1 = 0. */
const fp2_t FP2_ONE = {{{0x760900000002fffdULL, 0xebf4000bc40c0002ULL, 0x5f48985753c758baULL,
                         0x77ce585370525745ULL, 0x5c071a97a256ec6dULL, 0x15f65ec3fa80e493ULL}},
                       {{0}}};

void fp2_conj(fp2_t *r, const fp2_t *a) {
    r->c0 = a->c0;
    fp_neg(&r->c1, &a->c1);
}

/*
 * Lazy reduction for fp2_mul (Aranha, Karabina, Longa, Gebotys, López, "Faster explicit
 * formulas for computing pairings over ordinary curves", Eurocrypt 2011, §3.1; the
 * same shape as blst's mul_mont_384x): the three Karatsuba products are formed as plain
 * 768-bit integers and only the two results are Montgomery-reduced, 3·36 + 2·36 = 180
 * word products instead of 3·72 = 216 for three fp_mul. This reaches below the fp.h
 * contract only as far as the representation it documents (six limbs of a·2^384 mod p,
 * fully reduced); the GMP oracle test checks it.
 */
typedef unsigned __int128 fp2_u128;

/* -p^-1 mod 2^64 and p² (12 limbs), both computed with python3. */
#define FP2_N0 0x89f3fffcfffcfffdULL
static const uint64_t FP2_P_SQUARED[12] = {
    0x26aa00001c718e39ULL, 0x7ced6b1d76382eabULL, 0x162c338362113cfdULL,
    0x66bf91ed3e71b743ULL, 0x292e85a87091a049ULL, 0x1d68619c86185c7bULL,
    0xf53149330978ef01ULL, 0x50a62cfd16ddca6eULL, 0x66e59e49349e8bd0ULL,
    0xe2dc90e50e7046b4ULL, 0x4bd278eaa22f25e9ULL, 0x02a437a4b8c35fc7ULL,
};

/* t = a·b, schoolbook (36 products). a, b < 2^382 (sums of two reduced elements are
 * allowed), so t < 2^764. Each step's u128 sum is ≤ (2^64-1)² + 2(2^64-1) < 2^128. */
static inline void fp2_mul_wide(uint64_t t[12], const uint64_t a[6], const uint64_t b[6]) {
    uint64_t c;
    {
        c = 0;
#pragma GCC unroll 6
        for (int j = 0; j < 6; j++) {
            fp2_u128 x = (fp2_u128)a[0] * b[j] + c;
            t[j] = (uint64_t)x;
            c = (uint64_t)(x >> 64);
        }
        t[6] = c;
    }
#pragma GCC unroll 5
    for (int i = 1; i < 6; i++) {
        c = 0;
#pragma GCC unroll 6
        for (int j = 0; j < 6; j++) {
            fp2_u128 x = (fp2_u128)a[i] * b[j] + t[i + j] + c;
            t[i + j] = (uint64_t)x;
            c = (uint64_t)(x >> 64);
        }
        t[i + 6] = c;
    }
}

/* r = t·2^-384 mod p for t < p·2^384 (Montgomery REDC, 36 products). The value before
 * the final subtraction is (t + m·p)/2^384 < 2p < 2^382, so one conditional
 * subtraction gives r < p. t is clobbered. */
static inline void fp2_redc(fp_t *r, uint64_t t[12]) {
    uint64_t hi = 0, s[6], borrow = 0;
#pragma GCC unroll 6
    for (int i = 0; i < 6; i++) {
        uint64_t m = t[i] * FP2_N0;
        fp2_u128 c = ((fp2_u128)m * FP_P[0] + t[i]) >> 64;
#pragma GCC unroll 5
        for (int j = 1; j < 6; j++) {
            c += (fp2_u128)m * FP_P[j] + t[i + j];
            t[i + j] = (uint64_t)c;
            c >>= 64;
        }
        c += (fp2_u128)t[i + 6] + hi;
        t[i + 6] = (uint64_t)c;
        hi = (uint64_t)(c >> 64);
    }
    for (int i = 0; i < 6; i++) {
        fp2_u128 d = (fp2_u128)t[i + 6] - FP_P[i] - borrow;
        s[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    uint64_t keep = -borrow; /* all ones when t < p */
    for (int i = 0; i < 6; i++) r->l[i] = (t[i + 6] & keep) | (s[i] & ~keep);
}

/* (a0 + a1 u)(b0 + b1 u) = (a0 b0 - a1 b1) + ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1) u.
 * Karatsuba on unreduced products: 3 wide products + 2 reductions.
 *   c1 = (a0 + a1)(b0 + b1) - a0b0 - a1b1 = a0b1 + a1b0 ∈ [0, 2p²): exact, no wrap.
 *   c0 = a0b0 - a1b1 ∈ (-p², p²): p² is added when negative, giving [0, p²).
 * Both are < p·2^384, as fp2_redc requires. */
void fp2_mul_portable(fp2_t *r, const fp2_t *a, const fp2_t *b) {
    uint64_t t0[12], t1[12], t2[12], sa[6], sb[6];
    uint64_t ca = 0, cb = 0, borrow = 0, mask, carry = 0;

    fp2_mul_wide(t0, a->c0.l, b->c0.l);
    fp2_mul_wide(t1, a->c1.l, b->c1.l);
    for (int i = 0; i < 6; i++) { /* a0 + a1 < 2p < 2^382: no carry out */
        fp2_u128 x = (fp2_u128)a->c0.l[i] + a->c1.l[i] + ca;
        sa[i] = (uint64_t)x;
        ca = (uint64_t)(x >> 64);
        fp2_u128 y = (fp2_u128)b->c0.l[i] + b->c1.l[i] + cb;
        sb[i] = (uint64_t)y;
        cb = (uint64_t)(y >> 64);
    }
    fp2_mul_wide(t2, sa, sb);

    /* t2 -= t0 + t1 (never negative). */
    uint64_t b0 = 0, b1 = 0;
    for (int i = 0; i < 12; i++) {
        fp2_u128 d = (fp2_u128)t2[i] - t0[i] - b0;
        uint64_t v = (uint64_t)d;
        b0 = (uint64_t)(d >> 64) & 1;
        d = (fp2_u128)v - t1[i] - b1;
        t2[i] = (uint64_t)d;
        b1 = (uint64_t)(d >> 64) & 1;
    }
    /* t0 -= t1; if it went negative, add p². */
    for (int i = 0; i < 12; i++) {
        fp2_u128 d = (fp2_u128)t0[i] - t1[i] - borrow;
        t0[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    mask = -borrow;
    for (int i = 0; i < 12; i++) {
        fp2_u128 x = (fp2_u128)t0[i] + (FP2_P_SQUARED[i] & mask) + carry;
        t0[i] = (uint64_t)x;
        carry = (uint64_t)(x >> 64);
    }
    fp2_redc(&r->c0, t0);
    fp2_redc(&r->c1, t2);
}

/* Through the backend chosen at run time (the mulx/adx one: backend/x86_64/mulx.c). */
void fp2_mul(fp2_t *r, const fp2_t *a, const fp2_t *b) {
    backend_active()->fp2_mul(r, a, b);
}

/* (a0 + a1 u)² = (a0 + a1)(a0 - a1) + 2 a0 a1 u ("complex squaring"): 2 Fp mul. */
void fp2_sqr(fp2_t *r, const fp2_t *a) {
    fp_t s, d, m;
    fp_add(&s, &a->c0, &a->c1);
    fp_sub(&d, &a->c0, &a->c1);
    fp_mul(&m, &a->c0, &a->c1);
    fp_mul(&r->c0, &s, &d);
    fp_dbl(&r->c1, &m);
}

void fp2_mul_fp(fp2_t *r, const fp2_t *a, const fp_t *b) {
    fp_mul(&r->c0, &a->c0, b);
    fp_mul(&r->c1, &a->c1, b);
}


/* 1/(a0 + a1 u) = (a0 - a1 u) / (a0² + a1²): one Fp inversion, 2 S + 2 M. The norm is
 * zero only for a = 0 (-1 is not a square mod p), and then fp_inv_var gives 0. */
void fp2_inv_var(fp2_t *r, const fp2_t *a) {
    fp_t n, t;
    fp_sqr(&n, &a->c0);
    fp_sqr(&t, &a->c1);
    fp_add(&n, &n, &t);
    fp_inv_var(&n, &n);
    fp_mul(&r->c0, &a->c0, &n);
    fp_mul(&t, &a->c1, &n);
    fp_neg(&r->c1, &t);
}

/* Square root by the "complex method" (Scott, "Implementing cryptographic pairings",
 * 2007, §5.3; also Adj & Rodríguez-Henríquez 2012, Algorithm 8 in spirit), valid because
 * u² = -1 and p ≡ 3 mod 4:
 *   a1 = 0: a0 or -a0 is a square in Fp (-1 is not), giving sqrt(a0) or sqrt(-a0)·u.
 *   a1 ≠ 0: a is a square in Fp2 iff its norm N = a0² + a1² is a square in Fp. With
 *   g = sqrt(N), exactly one of d± = (a0 ± g)/2 is a square (d+·d- = -a1²/4 is not), and
 *   x0 = sqrt(d), x1 = a1/(2 x0) give (x0 + x1 u)² = a.
 * Cost: up to three Fp exponentiations and one inversion. The result is checked by
 * squaring before it is returned, so a wrong branch can never produce a wrong root. */
/* 1/2 = (p + 1)/2, in Montgomery form (python3: pow(2, -1, p)·2^384 mod p). */
static const fp_t FP2_HALF = {{0x1804000000015554ULL, 0x855000053ab00001ULL,
                               0x633cb57c253c276fULL, 0x6e22d1ec31ebb502ULL,
                               0xd3916126f2d14ca2ULL, 0x17fbb8571a006596ULL}};

bool fp2_sqrt_var(fp2_t *r, const fp2_t *a) {
    fp2_t x, chk;
    if (fp_is_zero(&a->c1)) {
        fp_t t;
        if (fp_sqrt_var(&x.c0, &a->c0)) {
            x.c1 = FP_ZERO;
        } else {
            fp_neg(&t, &a->c0);
            if (!fp_sqrt_var(&x.c1, &t)) goto fail; /* unreachable for reduced input */
            x.c0 = FP_ZERO;
        }
    } else {
        fp_t n, t, g, d;
        fp_sqr(&n, &a->c0);
        fp_sqr(&t, &a->c1);
        fp_add(&n, &n, &t);
        if (!fp_sqrt_var(&g, &n)) goto fail;
        fp_add(&d, &a->c0, &g);
        fp_mul(&d, &d, &FP2_HALF);
        if (!fp_sqrt_var(&x.c0, &d)) {
            fp_sub(&d, &a->c0, &g);
            fp_mul(&d, &d, &FP2_HALF);
            if (!fp_sqrt_var(&x.c0, &d)) goto fail;
        }
        fp_dbl(&t, &x.c0);
        fp_inv_var(&t, &t);
        fp_mul(&x.c1, &a->c1, &t);
    }
    fp2_sqr(&chk, &x);
    if (!fp2_eq(&chk, a)) goto fail;
    *r = x;
    return true;
fail:
    *r = FP2_ZERO;
    return false;
}

bool fp2_is_zero(const fp2_t *a) {
    return fp_is_zero(&a->c0) && fp_is_zero(&a->c1);
}

bool fp2_is_one(const fp2_t *a) {
    return fp_is_one(&a->c0) && fp_is_zero(&a->c1);
}

bool fp2_eq(const fp2_t *a, const fp2_t *b) {
    return fp_eq(&a->c0, &b->c0) && fp_eq(&a->c1, &b->c1);
}

bool fp2_is_lex_largest(const fp2_t *a) {
    if (!fp_is_zero(&a->c1)) return fp_is_lex_largest(&a->c1);
    return fp_is_lex_largest(&a->c0);
}
