/*
 * test/unit/field/test_fp2.c — Fp2 = Fp[u]/(u² + 1).
 *
 * Oracle: GMP on the canonical integers (independent of the Montgomery code), plus
 * algebraic identities. Inputs are edge-biased (runs of 0/1 bits) and include 0, 1, -1.
 */
#include <gmp.h>

#include "field/fp2.h"
#include "testrand.h"

#define ITERS 2000

static mpz_t P;

static void rand_fp(fp_t *r) {
    uint64_t raw[6];
    switch (testrand_range(16)) {
    case 0: *r = FP_ZERO; return;
    case 1: *r = FP_ONE; return;
    case 2: fp_neg(r, &FP_ONE); return;
    default: break;
    }
    testrand_limbs_edge(raw, 6);
    raw[5] &= 0x0fffffffffffffffULL; /* < p (top limb of p is 0x1a01...) */
    fp_from_raw(r, raw);
    if (testrand_range(4) == 0) fp_neg(r, r); /* values near p */
}

static void rand_fp2(fp2_t *r) {
    rand_fp(&r->c0);
    rand_fp(&r->c1);
}

static void fp_to_mpz(mpz_t z, const fp_t *a) {
    uint64_t raw[6];
    fp_to_raw(raw, a);
    mpz_import(z, 6, -1, sizeof(uint64_t), 0, 0, raw);
}

static void print_fp2(const char *label, const fp2_t *a) {
    uint8_t b[96];
    fp_to_bytes_be(b, &a->c0);
    fp_to_bytes_be(b + 48, &a->c1);
    test_print_hex(label, b, 96);
}

/* r = a^e for a plain big-endian exponent given as an mpz (square-and-multiply). */
static void fp2_pow_mpz(fp2_t *r, const fp2_t *a, const mpz_t e) {
    fp2_t acc = FP2_ONE;
    for (long i = (long)mpz_sizeinbase(e, 2) - 1; i >= 0; i--) {
        fp2_sqr(&acc, &acc);
        if (mpz_tstbit(e, (mp_bitcnt_t)i)) fp2_mul(&acc, &acc, a);
    }
    *r = acc;
}

static void test_fp2_mul__matches_gmp(void) {
    mpz_t a0, a1, b0, b1, t, u, r0, r1, g0, g1;
    mpz_inits(a0, a1, b0, b1, t, u, r0, r1, g0, g1, NULL);
    for (int it = 0; it < ITERS; it++) {
        fp2_t a, b, r, s;
        rand_fp2(&a);
        rand_fp2(&b);
        fp2_mul(&r, &a, &b);
        fp2_sqr(&s, &a);
        fp_to_mpz(a0, &a.c0);
        fp_to_mpz(a1, &a.c1);
        fp_to_mpz(b0, &b.c0);
        fp_to_mpz(b1, &b.c1);
        /* (a0 b0 - a1 b1) + (a0 b1 + a1 b0) u */
        mpz_mul(t, a0, b0);
        mpz_mul(u, a1, b1);
        mpz_sub(g0, t, u);
        mpz_mod(g0, g0, P);
        mpz_mul(t, a0, b1);
        mpz_mul(u, a1, b0);
        mpz_add(g1, t, u);
        mpz_mod(g1, g1, P);
        fp_to_mpz(r0, &r.c0);
        fp_to_mpz(r1, &r.c1);
        bool ok = mpz_cmp(r0, g0) == 0 && mpz_cmp(r1, g1) == 0;
        CHECK(ok, "fp2_mul differs from GMP");
        if (!ok) {
            print_fp2("a", &a);
            print_fp2("b", &b);
        }
        /* square vs GMP: (a0² - a1²) + 2 a0 a1 u */
        mpz_mul(t, a0, a0);
        mpz_mul(u, a1, a1);
        mpz_sub(g0, t, u);
        mpz_mod(g0, g0, P);
        mpz_mul(g1, a0, a1);
        mpz_mul_2exp(g1, g1, 1);
        mpz_mod(g1, g1, P);
        fp_to_mpz(r0, &s.c0);
        fp_to_mpz(r1, &s.c1);
        ok = mpz_cmp(r0, g0) == 0 && mpz_cmp(r1, g1) == 0;
        CHECK(ok, "fp2_sqr differs from GMP");
        if (!ok) print_fp2("a", &a);
    }
    mpz_clears(a0, a1, b0, b1, t, u, r0, r1, g0, g1, NULL);
}

static void test_fp2_ring_axioms__random_edge_inputs(void) {
    for (int it = 0; it < ITERS; it++) {
        fp2_t a, b, c, x, y, z;
        rand_fp2(&a);
        rand_fp2(&b);
        rand_fp2(&c);
        /* commutativity */
        fp2_mul(&x, &a, &b);
        fp2_mul(&y, &b, &a);
        CHECK(fp2_eq(&x, &y), "a*b != b*a");
        fp2_add(&x, &a, &b);
        fp2_add(&y, &b, &a);
        CHECK(fp2_eq(&x, &y), "a+b != b+a");
        /* associativity */
        fp2_mul(&x, &a, &b);
        fp2_mul(&x, &x, &c);
        fp2_mul(&y, &b, &c);
        fp2_mul(&y, &a, &y);
        CHECK(fp2_eq(&x, &y), "(ab)c != a(bc)");
        /* distributivity */
        fp2_add(&z, &b, &c);
        fp2_mul(&x, &a, &z);
        fp2_mul(&y, &a, &b);
        fp2_mul(&z, &a, &c);
        fp2_add(&y, &y, &z);
        CHECK(fp2_eq(&x, &y), "a(b+c) != ab+ac");
        /* sub, neg, dbl */
        fp2_sub(&x, &a, &b);
        fp2_neg(&y, &b);
        fp2_add(&y, &a, &y);
        CHECK(fp2_eq(&x, &y), "a-b != a+(-b)");
        fp2_dbl(&x, &a);
        fp2_add(&y, &a, &a);
        CHECK(fp2_eq(&x, &y), "2a != a+a");
        /* sqr vs mul, with aliasing */
        x = a;
        fp2_sqr(&x, &x);
        fp2_mul(&y, &a, &a);
        CHECK(fp2_eq(&x, &y), "sqr(a) != a*a");
        /* identities */
        fp2_mul(&x, &a, &FP2_ONE);
        CHECK(fp2_eq(&x, &a), "a*1 != a");
        fp2_add(&x, &a, &FP2_ZERO);
        CHECK(fp2_eq(&x, &a), "a+0 != a");
        /* mul_fp = mul by (b0, 0) */
        fp2_mul_fp(&x, &a, &b.c0);
        z.c0 = b.c0;
        z.c1 = FP_ZERO;
        fp2_mul(&y, &a, &z);
        CHECK(fp2_eq(&x, &y), "mul_fp mismatch");
        /* non-residue = mul by 1 + u */
        fp2_mul_by_nonresidue(&x, &a);
        z.c0 = FP_ONE;
        z.c1 = FP_ONE;
        fp2_mul(&y, &a, &z);
        CHECK(fp2_eq(&x, &y), "mul_by_nonresidue mismatch");
    }
}

static void test_fp2_inv__times_a_is_one(void) {
    fp2_t z;
    fp2_inv_var(&z, &FP2_ZERO);
    CHECK(fp2_is_zero(&z), "inv(0) != 0");
    for (int it = 0; it < ITERS; it++) {
        fp2_t a, x, y;
        rand_fp2(&a);
        if (fp2_is_zero(&a)) continue;
        fp2_inv_var(&x, &a);
        fp2_mul(&y, &x, &a);
        CHECK(fp2_is_one(&y), "a * a^-1 != 1");
        if (!fp2_is_one(&y)) print_fp2("a", &a);
        fp2_inv_var(&a, &a); /* aliasing */
        CHECK(fp2_eq(&a, &x), "aliased inverse differs");
    }
}

static void test_fp2_conj__equals_frobenius(void) {
    for (int it = 0; it < 20; it++) {
        fp2_t a, x, y;
        rand_fp2(&a);
        fp2_conj(&x, &a);
        fp2_pow_mpz(&y, &a, P);
        CHECK(fp2_eq(&x, &y), "conj(a) != a^p");
        if (!fp2_eq(&x, &y)) print_fp2("a", &a);
    }
}

static void test_fp2_sqrt__squares_and_non_squares(void) {
    fp2_t r, x, xi = {FP_ONE, FP_ONE};
    CHECK(fp2_sqrt_var(&r, &FP2_ZERO) && fp2_is_zero(&r), "sqrt(0)");
    CHECK(fp2_sqrt_var(&r, &FP2_ONE), "sqrt(1)");
    fp2_sqr(&x, &r);
    CHECK(fp2_is_one(&x), "sqrt(1)^2 != 1");
    /* -1 = u² is a square in Fp2 though not in Fp (a1 = 0 branch, sqrt(-a0) side). */
    fp2_neg(&x, &FP2_ONE);
    CHECK(fp2_sqrt_var(&r, &x), "sqrt(-1) missing");
    fp2_sqr(&r, &r);
    CHECK(fp2_eq(&r, &x), "sqrt(-1)^2 != -1");
    /* ξ = 1 + u is the non-residue of the tower: not a square. */
    CHECK(!fp2_sqrt_var(&r, &xi) && fp2_is_zero(&r), "sqrt(1+u) accepted");

    for (int it = 0; it < 300; it++) {
        fp2_t a, s, n;
        rand_fp2(&a);
        if (testrand_range(4) == 0) a.c1 = FP_ZERO; /* exercise the a1 = 0 branch */
        fp2_sqr(&s, &a);
        bool ok = fp2_sqrt_var(&r, &s);
        CHECK(ok, "square rejected");
        fp2_sqr(&x, &r);
        CHECK(fp2_eq(&x, &s), "sqrt(a²)² != a²");
        if (!ok || !fp2_eq(&x, &s)) print_fp2("a", &a);
        fp2_neg(&x, &a);
        CHECK(fp2_eq(&r, &a) || fp2_eq(&r, &x), "sqrt(a²) != ±a");
        if (fp2_is_zero(&a)) continue;
        /* ξ·a² is not a square. */
        fp2_mul(&n, &s, &xi);
        CHECK(!fp2_sqrt_var(&r, &n), "non-square accepted");
        CHECK(fp2_is_zero(&r), "rejected sqrt leaves r != 0");
    }
}

static void test_fp2_is_lex_largest__sign_rule(void) {
    CHECK(!fp2_is_lex_largest(&FP2_ZERO), "0 lex largest");
    for (int it = 0; it < ITERS; it++) {
        fp2_t a, n;
        rand_fp2(&a);
        fp2_neg(&n, &a);
        bool la = fp2_is_lex_largest(&a), ln = fp2_is_lex_largest(&n);
        if (fp2_is_zero(&a)) {
            CHECK(!la && !ln, "zero");
        } else {
            CHECK(la != ln, "a and -a have the same sign");
        }
        bool want = !fp_is_zero(&a.c1) ? fp_is_lex_largest(&a.c1) : fp_is_lex_largest(&a.c0);
        CHECK(la == want, "rule: c1 decides unless zero");
    }
}

static void test_fp2_additive__matches_fp_componentwise(void) {
    for (int it = 0; it < ITERS; it++) {
        fp2_t a, b, x;
        fp_t y0, y1;
        rand_fp2(&a);
        rand_fp2(&b);
        if (testrand_range(8) == 0) b = a; /* a - a, a + a */
        fp2_add(&x, &a, &b);
        fp_add(&y0, &a.c0, &b.c0);
        fp_add(&y1, &a.c1, &b.c1);
        CHECK(fp_eq(&x.c0, &y0) && fp_eq(&x.c1, &y1), "fp2_add != fp_add");
        fp2_sub(&x, &a, &b);
        fp_sub(&y0, &a.c0, &b.c0);
        fp_sub(&y1, &a.c1, &b.c1);
        CHECK(fp_eq(&x.c0, &y0) && fp_eq(&x.c1, &y1), "fp2_sub != fp_sub");
        fp2_dbl(&x, &a);
        fp_dbl(&y0, &a.c0);
        fp_dbl(&y1, &a.c1);
        CHECK(fp_eq(&x.c0, &y0) && fp_eq(&x.c1, &y1), "fp2_dbl != fp_dbl");
        fp2_neg(&x, &a);
        fp_neg(&y0, &a.c0);
        fp_neg(&y1, &a.c1);
        CHECK(fp_eq(&x.c0, &y0) && fp_eq(&x.c1, &y1), "fp2_neg != fp_neg");
        fp2_conj(&x, &a);
        CHECK(fp_eq(&x.c0, &a.c0) && fp_eq(&x.c1, &y1), "fp2_conj");
        /* aliasing: r = a */
        x = a;
        fp2_sub(&x, &x, &b);
        fp2_add(&x, &x, &b);
        CHECK(fp2_eq(&x, &a), "(a - b) + b != a (aliased)");
        if (!fp2_eq(&x, &a)) {
            print_fp2("a", &a);
            print_fp2("b", &b);
        }
    }
}

int main(void) {
    testrand_init("test_fp2");
    mpz_init(P);
    mpz_import(P, 6, -1, sizeof(uint64_t), 0, 0, FP_P);
    test_fp2_additive__matches_fp_componentwise();
    test_fp2_mul__matches_gmp();
    test_fp2_ring_axioms__random_edge_inputs();
    test_fp2_inv__times_a_is_one();
    test_fp2_conj__equals_frobenius();
    test_fp2_sqrt__squares_and_non_squares();
    test_fp2_is_lex_largest__sign_rule();
    mpz_clear(P);
    return test_report();
}
