/*
 * test_fr — Fr arithmetic against GMP as the oracle (the modulus r is called P below).
 *
 * Inputs are built in GMP (canonical value → Montgomery limbs a·2^256 mod r), so the oracle
 * does not depend on fr_from_raw/fr_to_raw; every output is checked to be fully reduced
 * (< r) and equal to GMP's result. Values are edge-biased (testrand_limbs_edge reduced mod r)
 * and mixed with a fixed list of edges (0, 1, r−1, r−2, (r±1)/2, runs of 0/1 bits, ...).
 *
 * KZGKIT_TEST_ITERS sets the number of random inputs per operation (default 100000 in an
 * optimised build, 25000 under sanitizers or without optimisation).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmp.h> /* after stdio.h: gmp declares gmp_fprintf only when FILE is known */

#include "field/fr.h"
#include "testrand.h"

static mpz_t P, RMOD, RINV, HALF; /* r, 2^256 mod r, 2^-256 mod r, (r−1)/2 */
static long ITERS;

#define NEDGE 64
static mpz_t EDGE[NEDGE];
static int nedge;

static void mpz_from_limbs(mpz_t z, const uint64_t *l, size_t n) {
    mpz_import(z, n, -1, sizeof(uint64_t), 0, 0, l);
}

static void limbs_from_mpz(uint64_t *l, size_t n, const mpz_t z) {
    size_t count = 0;
    memset(l, 0, n * sizeof(uint64_t));
    if (mpz_sizeinbase(z, 2) > 64 * n) abort(); /* test bug */
    mpz_export(l, &count, -1, sizeof(uint64_t), 0, 0, z);
}

/* Montgomery limbs of the canonical value v (0 ≤ v < r). */
static void fr_from_mpz(fr_t *a, const mpz_t v) {
    mpz_t t;
    mpz_init(t);
    mpz_mul(t, v, RMOD);
    mpz_mod(t, t, P);
    limbs_from_mpz(a->l, 4, t);
    mpz_clear(t);
}

/* Canonical value of a; returns false when the limbs are not fully reduced. */
static bool mpz_from_fr(mpz_t v, const fr_t *a) {
    mpz_from_limbs(v, a->l, 4);
    bool reduced = mpz_cmp(v, P) < 0;
    mpz_mul(v, v, RINV);
    mpz_mod(v, v, P);
    return reduced;
}

static void print_mpz(const char *label, const mpz_t v) {
    gmp_fprintf(stderr, "  %s = 0x%Zx\n", label, v);
}

/* got must be fully reduced and equal to want (canonical). */
static bool fr_matches(const fr_t *got, const mpz_t want) {
    mpz_t g;
    mpz_init(g);
    bool ok = mpz_from_fr(g, got) && mpz_cmp(g, want) == 0;
    mpz_clear(g);
    return ok;
}

static void report_fr(const fr_t *got) {
    test_print_hex("got limbs (LE)", got->l, sizeof got->l);
}

static void add_edge_ui_pow(unsigned k, long delta) {
    mpz_init(EDGE[nedge]);
    mpz_ui_pow_ui(EDGE[nedge], 2, k);
    if (delta >= 0) mpz_add_ui(EDGE[nedge], EDGE[nedge], (unsigned long)delta);
    else mpz_sub_ui(EDGE[nedge], EDGE[nedge], (unsigned long)-delta);
    mpz_mod(EDGE[nedge], EDGE[nedge], P);
    nedge++;
}

static void init_edges(void) {
    static const long small[] = {0, 1, 2, 3};
    for (size_t i = 0; i < sizeof small / sizeof small[0]; i++) mpz_init_set_si(EDGE[nedge++], small[i]);
    static const long near_p[] = {-1, -2, -3};
    for (size_t i = 0; i < sizeof near_p / sizeof near_p[0]; i++) {
        mpz_init(EDGE[nedge]);
        mpz_add_ui(EDGE[nedge], P, 0);
        mpz_sub_ui(EDGE[nedge], EDGE[nedge], (unsigned long)-near_p[i]);
        nedge++;
    }
    mpz_init_set(EDGE[nedge++], HALF);           /* (r−1)/2 */
    mpz_init(EDGE[nedge]);                       /* (r+1)/2 */
    mpz_add_ui(EDGE[nedge++], HALF, 1);
    mpz_init_set(EDGE[nedge++], RMOD);           /* R mod r (Montgomery limbs of R) */
    mpz_init_set(EDGE[nedge++], RINV);           /* Montgomery limbs equal to 1 */
    /* powers of two and runs of ones: 2^k − 1, 2^k, 2^k + 1 */
    static const unsigned ks[] = {63, 64, 65, 128, 192, 254, 255, 256};
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        add_edge_ui_pow(ks[i], -1);
        add_edge_ui_pow(ks[i], 0);
        add_edge_ui_pow(ks[i], 1);
    }
    /* 2^255 − 1 − 2^k style: long runs of ones with a hole */
    for (unsigned k = 0; k < 255 && nedge < NEDGE; k += 61) {
        mpz_init(EDGE[nedge]);
        mpz_ui_pow_ui(EDGE[nedge], 2, 255);
        mpz_sub_ui(EDGE[nedge], EDGE[nedge], 1);
        mpz_clrbit(EDGE[nedge], k);
        mpz_mod(EDGE[nedge], EDGE[nedge], P);
        nedge++;
    }
}

/* A random element: one in 8 from the edge list, else edge-biased limbs reduced mod r. */
static void rand_fr(fr_t *a, mpz_t v) {
    if (testrand_range(8) == 0) {
        mpz_set(v, EDGE[testrand_range((uint64_t)nedge)]);
    } else {
        uint64_t l[4];
        testrand_limbs_edge(l, 4);
        mpz_from_limbs(v, l, 4);
        mpz_mod(v, v, P);
    }
    fr_from_mpz(a, v);
}

/* ---- binary operations ---- */

typedef void (*fr_binop)(fr_t *, const fr_t *, const fr_t *);
typedef void (*mpz_binop)(mpz_t, const mpz_t, const mpz_t);

static void ref_add(mpz_t r, const mpz_t a, const mpz_t b) { mpz_add(r, a, b); }
static void ref_sub(mpz_t r, const mpz_t a, const mpz_t b) { mpz_sub(r, a, b); }
static void ref_mul(mpz_t r, const mpz_t a, const mpz_t b) { mpz_mul(r, a, b); }

static void check_binop(const char *name, fr_binop op, mpz_binop ref) {
    mpz_t a, b, want;
    mpz_inits(a, b, want, NULL);
    unsigned long bad = 0;
    for (long it = 0; it < ITERS; it++) {
        fr_t x, y, z, zx, zy;
        rand_fr(&x, a);
        if (it % 16 == 0) mpz_set(b, a), y = x; /* a op a */
        else rand_fr(&y, b);
        ref(want, a, b);
        mpz_mod(want, want, P);
        op(&z, &x, &y);
        /* aliasing: output on either input */
        zx = x;
        op(&zx, &zx, &y);
        zy = y;
        op(&zy, &x, &zy);
        bool ok = fr_matches(&z, want) && fr_eq(&zx, &z) && fr_eq(&zy, &z);
        CHECK(ok, "%s mismatch at iteration %ld", name, it);
        if (!ok && bad++ < 3) {
            print_mpz("a", a);
            print_mpz("b", b);
            print_mpz("want", want);
            report_fr(&z);
        }
    }
    mpz_clears(a, b, want, NULL);
}

static void test_fr_add__matches_gmp(void) { check_binop("fr_add", fr_add, ref_add); }
static void test_fr_sub__matches_gmp(void) { check_binop("fr_sub", fr_sub, ref_sub); }
static void test_fr_mul__matches_gmp(void) { check_binop("fr_mul", fr_mul, ref_mul); }

/* fr_mul_sum2 (a0·b0 + a1·b1) against GMP. */
static void test_fr_mul_sum2__matches_gmp(void) {
    mpz_t v[4], want, t;
    mpz_inits(v[0], v[1], v[2], v[3], want, t, NULL);
    long bad = 0;
    for (long it = 0; it < ITERS / 4 && bad < 5; it++) {
        fr_t a[2], b[2], got;
        rand_fr(&a[0], v[0]);
        rand_fr(&b[0], v[1]);
        rand_fr(&a[1], v[2]);
        rand_fr(&b[1], v[3]);
        fr_mul_sum2(&got, a, b);
        mpz_mul(want, v[0], v[1]);
        mpz_mul(t, v[2], v[3]);
        mpz_add(want, want, t);
        mpz_mod(want, want, P);
        if (!fr_matches(&got, want)) {
            bad++;
            report_fr(&got);
            print_mpz("want", want);
        }
    }
    CHECK(bad == 0, "fr_mul_sum2 differs from GMP");
    mpz_clears(v[0], v[1], v[2], v[3], want, t, NULL);
}

/* ---- unary operations ---- */

typedef void (*fr_unop)(fr_t *, const fr_t *);
typedef void (*mpz_unop)(mpz_t, const mpz_t);
static void ref_neg(mpz_t r, const mpz_t a) { mpz_neg(r, a); }
static void ref_dbl(mpz_t r, const mpz_t a) { mpz_mul_2exp(r, a, 1); }
static void ref_sqr(mpz_t r, const mpz_t a) { mpz_mul(r, a, a); }
static void ref_inv(mpz_t r, const mpz_t a) {
    if (mpz_sgn(a) == 0) mpz_set_ui(r, 0);
    else mpz_invert(r, a, P);
}

static void check_unop(const char *name, fr_unop op, mpz_unop ref, long iters) {
    mpz_t a, want;
    mpz_inits(a, want, NULL);
    unsigned long bad = 0;
    for (long it = 0; it < iters; it++) {
        fr_t x, z, zx;
        if (it < nedge) mpz_set(a, EDGE[it]), fr_from_mpz(&x, a);
        else rand_fr(&x, a);
        ref(want, a);
        mpz_mod(want, want, P);
        op(&z, &x);
        zx = x;
        op(&zx, &zx);
        bool ok = fr_matches(&z, want) && fr_eq(&zx, &z);
        CHECK(ok, "%s mismatch at iteration %ld", name, it);
        if (!ok && bad++ < 3) {
            print_mpz("a", a);
            print_mpz("want", want);
            report_fr(&z);
        }
    }
    mpz_clears(a, want, NULL);
}

static void test_fr_neg__matches_gmp_and_neg_zero_is_zero(void) {
    check_unop("fr_neg", fr_neg, ref_neg, ITERS);
    fr_t z;
    fr_neg(&z, &FR_ZERO);
    CHECK(fr_is_zero(&z), "-0 must be 0");
}
static void test_fr_dbl__matches_gmp(void) { check_unop("fr_dbl", fr_dbl, ref_dbl, ITERS); }
static void test_fr_sqr__matches_gmp(void) { check_unop("fr_sqr", fr_sqr, ref_sqr, ITERS); }
static void test_fr_inv_var__matches_gmp_and_inv_zero_is_zero(void) {
    check_unop("fr_inv_var", fr_inv_var, ref_inv, ITERS);
}

static void test_fr_batch_inv_var__matches_gmp_with_zeros_anywhere(void) {
    enum { MAXN = 67 };
    fr_t in[MAXN], out[MAXN];
    mpz_t v[MAXN], want;
    for (int i = 0; i < MAXN; i++) mpz_init(v[i]);
    mpz_init(want);
    long done = 0;
    unsigned long bad = 0;
    for (long round = 0; done < ITERS; round++) {
        size_t n = (size_t)testrand_range(MAXN + 1); /* includes n = 0 */
        int zero_mode = (int)testrand_range(4);      /* 0: none, 1: middle, 2: random, 3: all */
        for (size_t i = 0; i < n; i++) {
            rand_fr(&in[i], v[i]);
            bool zero = (zero_mode == 1 && i == n / 2) || (zero_mode == 2 && testrand_range(5) == 0) ||
                        zero_mode == 3;
            if (zero) {
                mpz_set_ui(v[i], 0);
                in[i] = FR_ZERO;
            }
        }
        fr_batch_inv_var(out, in, n);
        for (size_t i = 0; i < n; i++) {
            ref_inv(want, v[i]);
            bool ok = fr_matches(&out[i], want);
            CHECK(ok, "fr_batch_inv_var mismatch, round %ld, n = %zu, index %zu", round, n, i);
            if (!ok && bad++ < 3) {
                print_mpz("in", v[i]);
                print_mpz("want", want);
                report_fr(&out[i]);
            }
        }
        done += (long)n + 1;
    }
    for (int i = 0; i < MAXN; i++) mpz_clear(v[i]);
    mpz_clear(want);
}

static void test_fr_pow_var__matches_gmp(void) {
    mpz_t a, e, want;
    mpz_inits(a, e, want, NULL);
    unsigned long bad = 0;
    for (long it = 0; it < ITERS; it++) {
        fr_t x, z, zx;
        uint64_t el[5] = {0};
        size_t n = (size_t)testrand_range(6);
        rand_fr(&x, a);
        if (it % 97 == 0) { /* r − 1, r − 2, r */
            mpz_sub_ui(e, P, (unsigned long)testrand_range(3));
            n = 4;
            limbs_from_mpz(el, 4, e);
        } else {
            testrand_limbs_edge(el, 5);
            for (size_t i = n; i < 5; i++) el[i] = 0;
            if (n && testrand_range(4) == 0) el[n - 1] >>= testrand_range(64); /* short tops */
        }
        mpz_from_limbs(e, el, n ? n : 1);
        if (n == 0) mpz_set_ui(e, 0);
        mpz_powm(want, a, e, P);
        fr_pow_var(&z, &x, el, n);
        zx = z;
        if (it % 8 == 0) { /* output aliasing the input, on a sample */
            zx = x;
            fr_pow_var(&zx, &zx, el, n);
        }
        bool ok = fr_matches(&z, want) && fr_eq(&zx, &z);
        CHECK(ok, "fr_pow_var mismatch at iteration %ld (n = %zu)", it, n);
        if (!ok && bad++ < 3) {
            print_mpz("a", a);
            print_mpz("e", e);
            print_mpz("want", want);
            report_fr(&z);
        }
    }
    mpz_clears(a, e, want, NULL);
}

/* ---- conversions and codecs ---- */

static void be_from_mpz(uint8_t out[32], const mpz_t v) {
    uint64_t l[4];
    limbs_from_mpz(l, 4, v);
    for (int i = 0; i < 32; i++) out[31 - i] = (uint8_t)(l[i / 8] >> (8 * (i % 8)));
}

static void test_fr_bytes__round_trip_and_match_gmp(void) {
    mpz_t a, back;
    mpz_inits(a, back, NULL);
    unsigned long bad = 0;
    for (long it = 0; it < ITERS; it++) {
        fr_t x, y;
        uint8_t want[32], got[32];
        rand_fr(&x, a);
        be_from_mpz(want, a);
        fr_to_bytes_be(got, &x);
        bool ok_out = memcmp(got, want, 32) == 0;
        bool ok_in = fr_from_bytes_be(&y, want) && fr_eq(&y, &x);
        CHECK(ok_out && ok_in, "fr bytes codec wrong at iteration %ld", it);
        if (!(ok_out && ok_in) && bad++ < 3) {
            print_mpz("a", a);
            test_print_hex("to_bytes_be", got, 32);
        }
    }
    mpz_clears(a, back, NULL);
}

/* Every value ≥ r is rejected (output 0) and r − 1 is the largest accepted. */
static void test_fr_from_bytes_be__rejects_ge_p(void) {
    mpz_t v, lim;
    mpz_inits(v, lim, NULL);
    uint8_t b[32];
    fr_t x;
    /* explicit edges */
    struct { const char *name; int kind; long d; } cases[] = {
        {"r-1", 0, -1}, {"r", 0, 0}, {"r+1", 0, 1}, {"2^255-1", 1, -1},
        {"2^255", 1, 0}, {"2^256-1", 2, -1}, {"0", 3, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].kind == 0) mpz_set(v, P);
        else if (cases[i].kind == 1) mpz_ui_pow_ui(v, 2, 255);
        else if (cases[i].kind == 2) mpz_ui_pow_ui(v, 2, 256);
        else mpz_set_ui(v, 0);
        if (cases[i].d < 0) mpz_sub_ui(v, v, 1);
        else mpz_add_ui(v, v, (unsigned long)cases[i].d);
        be_from_mpz(b, v);
        memset(&x, 0xa5, sizeof x);
        bool got = fr_from_bytes_be(&x, b);
        bool want = mpz_cmp(v, P) < 0;
        CHECK(got == want && (got || fr_is_zero(&x)), "fr_from_bytes_be(%s) = %d, want %d",
              cases[i].name, got, want);
    }
    memset(b, 0xff, 32);
    CHECK(!fr_from_bytes_be(&x, b) && fr_is_zero(&x), "all-0xff must be rejected");
    /* random values on both sides of r, and anywhere in [0, 2^256) */
    mpz_ui_pow_ui(lim, 2, 256);
    for (long it = 0; it < ITERS; it++) {
        testrand_bytes_edge(b, 32);
        if (it % 3 == 0) { /* r + small or r − small */
            mpz_set(v, P);
            uint64_t d = testrand_range(1u << 20);
            if (testrand_range(2)) mpz_add_ui(v, v, (unsigned long)d);
            else mpz_sub_ui(v, v, (unsigned long)d + 1);
            be_from_mpz(b, v);
        } else {
            mpz_import(v, 32, 1, 1, 0, 0, b);
        }
        bool want = mpz_cmp(v, P) < 0;
        bool got = fr_from_bytes_be(&x, b);
        bool ok = got == want && (got ? fr_matches(&x, v) : fr_is_zero(&x));
        CHECK(ok, "fr_from_bytes_be accept = %d, want %d at iteration %ld", got, want, it);
        if (!ok) test_print_hex("bytes", b, 32);
    }
    mpz_clears(v, lim, NULL);
}

/* Any 32 bytes reduce mod r; the values just above multiples of r are the edges. */
static void test_fr_from_bytes_be_reduce__matches_gmp_mod_r(void) {
    mpz_t v, want;
    mpz_inits(v, want, NULL);
    unsigned long bad = 0;
    uint8_t b[32];
    for (long it = 0; it < ITERS; it++) {
        fr_t x;
        switch (it % 4) {
        case 0: /* k·r + small (k = 0, 1, 2) and k·r − small */
            mpz_mul_ui(v, P, (unsigned long)testrand_range(3));
            if (testrand_range(2)) mpz_add_ui(v, v, (unsigned long)testrand_range(1u << 16));
            else if (mpz_sgn(v)) mpz_sub_ui(v, v, (unsigned long)testrand_range(1u << 16) + 1);
            be_from_mpz(b, v);
            break;
        case 1:
            memset(b, testrand_range(2) ? 0xff : 0x00, 32);
            b[testrand_range(32)] ^= (uint8_t)testrand_u64();
            mpz_import(v, 32, 1, 1, 0, 0, b);
            break;
        default:
            testrand_bytes_edge(b, 32);
            mpz_import(v, 32, 1, 1, 0, 0, b);
            break;
        }
        mpz_mod(want, v, P);
        fr_from_bytes_be_reduce(&x, b);
        bool ok = fr_matches(&x, want);
        CHECK(ok, "fr_from_bytes_be_reduce wrong at iteration %ld", it);
        if (!ok && bad++ < 3) {
            test_print_hex("bytes", b, 32);
            print_mpz("want", want);
            report_fr(&x);
        }
    }
    memset(b, 0xff, 32);
    mpz_ui_pow_ui(v, 2, 256);
    mpz_sub_ui(v, v, 1);
    mpz_mod(want, v, P);
    fr_t x;
    fr_from_bytes_be_reduce(&x, b);
    CHECK(fr_matches(&x, want), "fr_from_bytes_be_reduce(2^256 - 1) wrong");
    mpz_clears(v, want, NULL);
}

static void test_fr_raw_and_u64__convert_to_and_from_montgomery(void) {
    mpz_t a, v;
    mpz_inits(a, v, NULL);
    for (long it = 0; it < ITERS; it++) {
        fr_t x, y;
        uint64_t raw[4], back[4];
        rand_fr(&x, a);
        limbs_from_mpz(raw, 4, a);
        fr_from_raw(&y, raw);
        fr_to_raw(back, &x);
        bool ok = fr_eq(&x, &y) && memcmp(back, raw, sizeof raw) == 0;
        CHECK(ok, "fr_from_raw/fr_to_raw wrong at iteration %ld", it);
        if (!ok) print_mpz("a", a);
        uint64_t u = testrand_u64();
        if (it % 7 == 0) u = testrand_range(4);
        fr_from_u64(&y, u);
        mpz_set_ui(v, 0);
        mpz_import(v, 1, -1, sizeof u, 0, 0, &u);
        CHECK(fr_matches(&y, v), "fr_from_u64(%llu) wrong", (unsigned long long)u);
    }
    mpz_clears(a, v, NULL);
}

static void test_fr_constants__match_gmp(void) {
    mpz_t v, one;
    mpz_inits(v, one, NULL);
    mpz_from_limbs(v, FR_R, 4);
    CHECK(mpz_cmp(v, P) == 0, "FR_R is not r");
    mpz_set_ui(one, 1);
    CHECK(fr_matches(&FR_ONE, one), "FR_ONE is not R mod r");
    CHECK(fr_is_one(&FR_ONE) && !fr_is_zero(&FR_ONE), "FR_ONE predicates");
    CHECK(fr_is_zero(&FR_ZERO) && !fr_is_one(&FR_ZERO), "FR_ZERO predicates");
    fr_t x;
    fr_from_u64(&x, 1);
    CHECK(fr_eq(&x, &FR_ONE), "fr_from_u64(1) != FR_ONE");
    mpz_clears(v, one, NULL);
}

static void test_fr_eq__distinguishes_every_limb(void) {
    for (int i = 0; i < 4; i++)
        for (int bit = 0; bit < 64; bit += 9) {
            fr_t a = FR_ONE, b = FR_ONE;
            b.l[i] ^= (uint64_t)1 << bit;
            CHECK(!fr_eq(&a, &b), "fr_eq missed limb %d bit %d", i, bit);
        }
}

int main(void) {
    testrand_init("test_fr");
#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__)
    ITERS = test_iters(100000);
#else
    ITERS = test_iters(25000);
#endif
    const char *env = getenv("KZGKIT_TEST_ITERS");
    if (env && atol(env) > 0) ITERS = atol(env);
    mpz_inits(P, RMOD, RINV, HALF, NULL);
    mpz_set_str(P, "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);
    mpz_ui_pow_ui(RMOD, 2, 256);
    mpz_mod(RMOD, RMOD, P);
    mpz_invert(RINV, RMOD, P);
    mpz_sub_ui(HALF, P, 1);
    mpz_fdiv_q_2exp(HALF, HALF, 1);
    init_edges();

    test_fr_constants__match_gmp();
    test_fr_eq__distinguishes_every_limb();
    test_fr_add__matches_gmp();
    test_fr_sub__matches_gmp();
    test_fr_neg__matches_gmp_and_neg_zero_is_zero();
    test_fr_dbl__matches_gmp();
    test_fr_mul__matches_gmp();
    test_fr_mul_sum2__matches_gmp();
    test_fr_sqr__matches_gmp();
    test_fr_inv_var__matches_gmp_and_inv_zero_is_zero();
    test_fr_batch_inv_var__matches_gmp_with_zeros_anywhere();
    test_fr_pow_var__matches_gmp();
    test_fr_bytes__round_trip_and_match_gmp();
    test_fr_from_bytes_be__rejects_ge_p();
    test_fr_from_bytes_be_reduce__matches_gmp_mod_r();
    test_fr_raw_and_u64__convert_to_and_from_montgomery();

    for (int i = 0; i < nedge; i++) mpz_clear(EDGE[i]);
    mpz_clears(P, RMOD, RINV, HALF, NULL);
    return test_report();
}
