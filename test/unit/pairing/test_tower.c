/*
 * test/unit/pairing/test_tower.c — Fp6 = Fp2[v]/(v³ - (1+u)), Fp12 = Fp6[w]/(w² - v).
 *
 * Proves: the eight-lane (IFMA) bodies of fp12_mul, fp12_sqr, fp12_mul_by_014 and
 * fp2_mul_many equal the serial ones bit for bit; sparse and special products agree with
 * full products; squarings agree with
 * multiplication; inverses; the Frobenius tables (fp12_frobenius(a, k) = a^(p^k) by
 * plain exponentiation, composition); the Granger–Scott cyclotomic squaring agrees with
 * fp12_sqr on elements of the cyclotomic subgroup.
 */
#include <gmp.h>

#include "pairing/tower.h"
#include "testrand.h"

#define ITERS 300

static void rand_fp(fp_t *r) {
    uint64_t raw[6];
    switch (testrand_range(16)) {
    case 0: *r = FP_ZERO; return;
    case 1: *r = FP_ONE; return;
    case 2: fp_neg(r, &FP_ONE); return;
    default: break;
    }
    testrand_limbs_edge(raw, 6);
    raw[5] &= 0x0fffffffffffffffULL;
    fp_from_raw(r, raw);
    if (testrand_range(4) == 0) fp_neg(r, r);
}

static void rand_fp2(fp2_t *r) {
    rand_fp(&r->c0);
    rand_fp(&r->c1);
}

static void rand_fp6(fp6_t *r) {
    rand_fp2(&r->c0);
    rand_fp2(&r->c1);
    rand_fp2(&r->c2);
}

static void rand_fp12(fp12_t *r) {
    rand_fp6(&r->c0);
    rand_fp6(&r->c1);
}

static bool fp6_eq(const fp6_t *a, const fp6_t *b) {
    return fp2_eq(&a->c0, &b->c0) && fp2_eq(&a->c1, &b->c1) && fp2_eq(&a->c2, &b->c2);
}

static bool fp6_is_zero(const fp6_t *a) {
    return fp2_is_zero(&a->c0) && fp2_is_zero(&a->c1) && fp2_is_zero(&a->c2);
}

static void print_fp12(const char *label, const fp12_t *a) {
    test_print_hex(label, a, sizeof *a);
}

/* r = a^e, e an mpz (square-and-multiply with the full Fp12 product). */
static void fp12_pow_mpz(fp12_t *r, const fp12_t *a, const mpz_t e) {
    fp12_t acc = FP12_ONE;
    for (long i = (long)mpz_sizeinbase(e, 2) - 1; i >= 0; i--) {
        fp12_sqr(&acc, &acc);
        if (mpz_tstbit(e, (mp_bitcnt_t)i)) fp12_mul(&acc, &acc, a);
    }
    *r = acc;
}

/* An element of the cyclotomic subgroup: a^((p⁶ - 1)(p² + 1)). */
static void rand_cyclotomic(fp12_t *m) {
    fp12_t a, t;
    do rand_fp12(&a);
    while (fp6_is_zero(&a.c0) && fp6_is_zero(&a.c1));
    fp12_inv_var(&t, &a);
    fp12_conj(m, &a);
    fp12_mul(m, m, &t);
    fp12_frobenius(&t, m, 2);
    fp12_mul(m, m, &t);
}

static void test_fp6__products_squares_inverse(void) {
    for (int it = 0; it < ITERS; it++) {
        fp6_t a, b, c, x, y, z;
        rand_fp6(&a);
        rand_fp6(&b);
        rand_fp6(&c);
        fp6_mul(&x, &a, &b);
        fp6_mul(&y, &b, &a);
        CHECK(fp6_eq(&x, &y), "fp6 mul not commutative");
        fp6_mul(&x, &x, &c);
        fp6_mul(&y, &b, &c);
        fp6_mul(&y, &a, &y);
        CHECK(fp6_eq(&x, &y), "fp6 mul not associative");
        fp6_add(&z, &b, &c);
        fp6_mul(&x, &a, &z);
        fp6_mul(&y, &a, &b);
        fp6_mul(&z, &a, &c);
        fp6_add(&y, &y, &z);
        CHECK(fp6_eq(&x, &y), "fp6 not distributive");
        fp6_sqr(&x, &a);
        fp6_mul(&y, &a, &a);
        CHECK(fp6_eq(&x, &y), "fp6 sqr != mul");
        /* v·a */
        z.c0 = FP2_ZERO;
        z.c1 = FP2_ONE;
        z.c2 = FP2_ZERO;
        fp6_mul(&x, &a, &z);
        fp6_mul_by_v(&y, &a);
        CHECK(fp6_eq(&x, &y), "fp6_mul_by_v");
        /* sparse */
        z = b;
        z.c2 = FP2_ZERO;
        fp6_mul(&x, &a, &z);
        fp6_mul_by_01(&y, &a, &b.c0, &b.c1);
        CHECK(fp6_eq(&x, &y), "fp6_mul_by_01");
        z.c0 = FP2_ZERO;
        fp6_mul(&x, &a, &z);
        fp6_mul_by_1(&y, &a, &b.c1);
        CHECK(fp6_eq(&x, &y), "fp6_mul_by_1");
        /* inverse */
        fp6_inv_var(&x, &a);
        fp6_mul(&y, &x, &a);
        if (fp6_is_zero(&a)) {
            CHECK(fp6_is_zero(&x), "fp6 inv(0) != 0");
        } else {
            CHECK(fp2_is_one(&y.c0) && fp2_is_zero(&y.c1) && fp2_is_zero(&y.c2),
                  "fp6 a*a^-1 != 1");
        }
        /* neg/sub */
        fp6_neg(&x, &a);
        fp6_add(&x, &x, &a);
        CHECK(fp6_is_zero(&x), "a + (-a) != 0");
    }
}

static void test_fp12__products_squares_inverse(void) {
    for (int it = 0; it < ITERS; it++) {
        fp12_t a, b, c, x, y;
        rand_fp12(&a);
        rand_fp12(&b);
        rand_fp12(&c);
        fp12_mul(&x, &a, &b);
        fp12_mul(&y, &b, &a);
        CHECK(fp12_eq(&x, &y), "fp12 mul not commutative");
        fp12_mul(&x, &x, &c);
        fp12_mul(&y, &b, &c);
        fp12_mul(&y, &a, &y);
        CHECK(fp12_eq(&x, &y), "fp12 mul not associative");
        fp12_sqr(&x, &a);
        fp12_mul(&y, &a, &a);
        CHECK(fp12_eq(&x, &y), "fp12 sqr != mul");
        if (!fp12_eq(&x, &y)) print_fp12("a", &a);
        /* sparse line product: b restricted to w⁰, w², w³ */
        fp12_t s = FP12_ONE;
        s.c0.c0 = b.c0.c0;
        s.c0.c1 = b.c0.c1;
        s.c1.c1 = b.c1.c1;
        fp12_mul(&x, &a, &s);
        y = a;
        fp12_mul_by_014(&y, &b.c0.c0, &b.c0.c1, &b.c1.c1);
        CHECK(fp12_eq(&x, &y), "fp12_mul_by_014 != full product");
        /* inverse */
        fp12_inv_var(&x, &a);
        fp12_mul(&y, &x, &a);
        if (fp6_is_zero(&a.c0) && fp6_is_zero(&a.c1)) {
            CHECK(fp6_is_zero(&x.c0) && fp6_is_zero(&x.c1), "fp12 inv(0) != 0");
        } else {
            CHECK(fp12_is_one(&y), "fp12 a*a^-1 != 1");
        }
        CHECK(fp12_is_one(&FP12_ONE) && !fp12_is_one(&b) == !fp12_eq(&b, &FP12_ONE),
              "is_one");
    }
}

static void test_fp12_frobenius__equals_power_of_p(mpz_t P) {
    mpz_t e;
    mpz_init(e);
    fp12_t a, x, y, z;
    rand_fp12(&a);
    for (int k = 1; k <= 3; k++) {
        mpz_pow_ui(e, P, (unsigned long)k);
        fp12_pow_mpz(&y, &a, e);
        fp12_frobenius(&x, &a, k);
        CHECK(fp12_eq(&x, &y), "frobenius(a, %d) != a^(p^%d)", k, k);
        if (!fp12_eq(&x, &y)) print_fp12("a", &a);
    }
    for (int it = 0; it < 50; it++) {
        rand_fp12(&a);
        fp12_frobenius(&x, &a, 1);
        fp12_frobenius(&x, &x, 1);
        fp12_frobenius(&y, &a, 2);
        CHECK(fp12_eq(&x, &y), "frob1∘frob1 != frob2");
        fp12_frobenius(&x, &x, 1);
        fp12_frobenius(&y, &a, 3);
        CHECK(fp12_eq(&x, &y), "frob1∘frob2 != frob3");
        fp12_frobenius(&x, &y, 3);
        fp12_conj(&z, &a);
        CHECK(fp12_eq(&x, &z), "frob3∘frob3 != conj");
        fp12_frobenius(&x, &x, 3); /* x was a^(p⁶) */
        fp12_frobenius(&x, &x, 3);
        CHECK(fp12_eq(&x, &a), "frob^12 != id");
        /* Frobenius is a ring morphism. */
        fp12_t b, ab;
        rand_fp12(&b);
        fp12_mul(&ab, &a, &b);
        fp12_frobenius(&ab, &ab, 1);
        fp12_frobenius(&x, &a, 1);
        fp12_frobenius(&y, &b, 1);
        fp12_mul(&x, &x, &y);
        CHECK(fp12_eq(&x, &ab), "frob(ab) != frob(a)frob(b)");
    }
    mpz_clear(e);
}

static void test_fp12_cyclotomic_sqr__matches_sqr_in_subgroup(void) {
    for (int it = 0; it < ITERS; it++) {
        fp12_t m, x, y, c;
        rand_cyclotomic(&m);
        /* m is unitary: m · conj(m) = 1. */
        fp12_conj(&c, &m);
        fp12_mul(&c, &c, &m);
        CHECK(fp12_is_one(&c), "easy part output not unitary");
        fp12_sqr(&y, &m);
        fp12_cyclotomic_sqr(&x, &m);
        CHECK(fp12_eq(&x, &y), "cyclotomic sqr != sqr");
        if (!fp12_eq(&x, &y)) print_fp12("m", &m);
        fp12_cyclotomic_sqr(&m, &m); /* aliasing */
        CHECK(fp12_eq(&m, &y), "aliased cyclotomic sqr");
    }
}

/* The eight-lane bodies (the IFMA backend; elsewhere the same serial code) against the
 * serial formulas, bit for bit, outputs aliasing inputs too; fp2_mul_many for every count
 * up to three batches of eight. */
static void test_fp12__eight_lane_bodies_match_serial(void) {
    for (int it = 0; it < ITERS; it++) {
        fp12_t a, b, x, y;
        rand_fp12(&a);
        rand_fp12(&b);
        fp12_mul(&x, &a, &b);
        fp12_mul_serial(&y, &a, &b);
        CHECK(fp12_eq(&x, &y), "fp12_mul != fp12_mul_serial");
        x = a;
        fp12_mul(&x, &x, &x);
        fp12_mul_serial(&y, &a, &a);
        CHECK(fp12_eq(&x, &y), "fp12_mul(a, a, a) != serial");
        fp12_sqr(&x, &a);
        fp12_sqr_serial(&y, &a);
        CHECK(fp12_eq(&x, &y), "fp12_sqr != fp12_sqr_serial");
        x = a;
        fp12_sqr(&x, &x);
        CHECK(fp12_eq(&x, &y), "fp12_sqr(a, a) != serial");
        x = y = a;
        fp12_mul_by_014(&x, &b.c0.c0, &b.c0.c1, &b.c1.c1);
        fp12_mul_by_014_serial(&y, &b.c0.c0, &b.c0.c1, &b.c1.c1);
        CHECK(fp12_eq(&x, &y), "fp12_mul_by_014 != serial");
    }
    enum { M = 24 };
    fp2_t a[M], b[M], r[M], want;
    fp2_t *rp[M];
    const fp2_t *ap[M], *bp[M];
    for (size_t n = 0; n <= M; n++) {
        for (size_t i = 0; i < n; i++) {
            rand_fp2(&a[i]);
            rand_fp2(&b[i]);
            rp[i] = &r[i];
            ap[i] = &a[i];
            bp[i] = i % 5 == 3 ? &a[i] : &b[i]; /* some squares */
        }
        fp2_mul_many(rp, ap, bp, n);
        bool ok = true;
        for (size_t i = 0; i < n; i++) {
            fp2_mul(&want, ap[i], bp[i]);
            ok = ok && fp2_eq(&r[i], &want);
        }
        CHECK(ok, "fp2_mul_many of %zu products", n);
    }
}

int main(void) {
    testrand_init("test_tower");
    test_fp12__eight_lane_bodies_match_serial();
    mpz_t P;
    mpz_init(P);
    mpz_import(P, 6, -1, sizeof(uint64_t), 0, 0, FP_P);
    test_fp6__products_squares_inverse();
    test_fp12__products_squares_inverse();
    test_fp12_frobenius__equals_power_of_p(P);
    test_fp12_cyclotomic_sqr__matches_sqr_in_subgroup();
    mpz_clear(P);
    return test_report();
}
