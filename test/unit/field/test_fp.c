/*
 * test_fp — Fp arithmetic against GMP as the oracle.
 *
 * Inputs are built in GMP (canonical value → Montgomery limbs a·2^384 mod p), so the oracle
 * does not depend on fp_from_raw/fp_to_raw; every output is checked to be fully reduced
 * (< p) and equal to GMP's result. Values are edge-biased (testrand_limbs_edge reduced mod p)
 * and mixed with a fixed list of edges (0, 1, p−1, p−2, (p±1)/2, runs of 0/1 bits, ...).
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

#include "field/fp.h"
#include "testrand.h"

static mpz_t P, RMOD, RINV, HALF; /* p, 2^384 mod p, 2^-384 mod p, (p−1)/2 */
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

/* Montgomery limbs of the canonical value v (0 ≤ v < p). */
static void fp_from_mpz(fp_t *a, const mpz_t v) {
    mpz_t t;
    mpz_init(t);
    mpz_mul(t, v, RMOD);
    mpz_mod(t, t, P);
    limbs_from_mpz(a->l, 6, t);
    mpz_clear(t);
}

/* Canonical value of a; returns false when the limbs are not fully reduced. */
static bool mpz_from_fp(mpz_t v, const fp_t *a) {
    mpz_from_limbs(v, a->l, 6);
    bool reduced = mpz_cmp(v, P) < 0;
    mpz_mul(v, v, RINV);
    mpz_mod(v, v, P);
    return reduced;
}

static void print_mpz(const char *label, const mpz_t v) {
    gmp_fprintf(stderr, "  %s = 0x%Zx\n", label, v);
}

/* got must be fully reduced and equal to want (canonical). */
static bool fp_matches(const fp_t *got, const mpz_t want) {
    mpz_t g;
    mpz_init(g);
    bool ok = mpz_from_fp(g, got) && mpz_cmp(g, want) == 0;
    mpz_clear(g);
    return ok;
}

static void report_fp(const fp_t *got) {
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
    mpz_init_set(EDGE[nedge++], HALF);           /* (p−1)/2 */
    mpz_init(EDGE[nedge]);                       /* (p+1)/2 */
    mpz_add_ui(EDGE[nedge++], HALF, 1);
    mpz_init_set(EDGE[nedge++], RMOD);           /* R mod p (Montgomery limbs of R) */
    mpz_init_set(EDGE[nedge++], RINV);           /* Montgomery limbs equal to 1 */
    /* powers of two and runs of ones: 2^k − 1, 2^k, 2^k + 1 */
    static const unsigned ks[] = {63, 64, 65, 128, 192, 256, 320, 380};
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        add_edge_ui_pow(ks[i], -1);
        add_edge_ui_pow(ks[i], 0);
        add_edge_ui_pow(ks[i], 1);
    }
    /* 2^381 − 1 − 2^k style: long runs of ones with a hole */
    for (unsigned k = 0; k < 381 && nedge < NEDGE; k += 97) {
        mpz_init(EDGE[nedge]);
        mpz_ui_pow_ui(EDGE[nedge], 2, 381);
        mpz_sub_ui(EDGE[nedge], EDGE[nedge], 1);
        mpz_clrbit(EDGE[nedge], k);
        mpz_mod(EDGE[nedge], EDGE[nedge], P);
        nedge++;
    }
}

/* A random element: one in 8 from the edge list, else edge-biased limbs reduced mod p. */
static void rand_fp(fp_t *a, mpz_t v) {
    if (testrand_range(8) == 0) {
        mpz_set(v, EDGE[testrand_range((uint64_t)nedge)]);
    } else {
        uint64_t l[6];
        testrand_limbs_edge(l, 6);
        mpz_from_limbs(v, l, 6);
        mpz_mod(v, v, P);
    }
    fp_from_mpz(a, v);
}

/* ---- binary operations ---- */

typedef void (*fp_binop)(fp_t *, const fp_t *, const fp_t *);
typedef void (*mpz_binop)(mpz_t, const mpz_t, const mpz_t);

static void ref_add(mpz_t r, const mpz_t a, const mpz_t b) { mpz_add(r, a, b); }
static void ref_sub(mpz_t r, const mpz_t a, const mpz_t b) { mpz_sub(r, a, b); }
static void ref_mul(mpz_t r, const mpz_t a, const mpz_t b) { mpz_mul(r, a, b); }

static void check_binop(const char *name, fp_binop op, mpz_binop ref) {
    mpz_t a, b, want;
    mpz_inits(a, b, want, NULL);
    unsigned long bad = 0;
    for (long it = 0; it < ITERS; it++) {
        fp_t x, y, z, zx, zy;
        rand_fp(&x, a);
        if (it % 16 == 0) mpz_set(b, a), y = x; /* a op a */
        else rand_fp(&y, b);
        ref(want, a, b);
        mpz_mod(want, want, P);
        op(&z, &x, &y);
        /* aliasing: output on either input */
        zx = x;
        op(&zx, &zx, &y);
        zy = y;
        op(&zy, &x, &zy);
        bool ok = fp_matches(&z, want) && fp_eq(&zx, &z) && fp_eq(&zy, &z);
        CHECK(ok, "%s mismatch at iteration %ld", name, it);
        if (!ok && bad++ < 3) {
            print_mpz("a", a);
            print_mpz("b", b);
            print_mpz("want", want);
            report_fp(&z);
        }
    }
    mpz_clears(a, b, want, NULL);
}

static void test_fp_add__matches_gmp(void) { check_binop("fp_add", fp_add, ref_add); }
static void test_fp_sub__matches_gmp(void) { check_binop("fp_sub", fp_sub, ref_sub); }
static void test_fp_mul__matches_gmp(void) { check_binop("fp_mul", fp_mul, ref_mul); }

/* ---- unary operations ---- */

typedef void (*fp_unop)(fp_t *, const fp_t *);
typedef void (*mpz_unop)(mpz_t, const mpz_t);
static void ref_neg(mpz_t r, const mpz_t a) { mpz_neg(r, a); }
static void ref_dbl(mpz_t r, const mpz_t a) { mpz_mul_2exp(r, a, 1); }
static void ref_sqr(mpz_t r, const mpz_t a) { mpz_mul(r, a, a); }
static void ref_inv(mpz_t r, const mpz_t a) {
    if (mpz_sgn(a) == 0) mpz_set_ui(r, 0);
    else mpz_invert(r, a, P);
}

static void check_unop(const char *name, fp_unop op, mpz_unop ref, long iters) {
    mpz_t a, want;
    mpz_inits(a, want, NULL);
    unsigned long bad = 0;
    for (long it = 0; it < iters; it++) {
        fp_t x, z, zx;
        if (it < nedge) mpz_set(a, EDGE[it]), fp_from_mpz(&x, a);
        else rand_fp(&x, a);
        ref(want, a);
        mpz_mod(want, want, P);
        op(&z, &x);
        zx = x;
        op(&zx, &zx);
        bool ok = fp_matches(&z, want) && fp_eq(&zx, &z);
        CHECK(ok, "%s mismatch at iteration %ld", name, it);
        if (!ok && bad++ < 3) {
            print_mpz("a", a);
            print_mpz("want", want);
            report_fp(&z);
        }
    }
    mpz_clears(a, want, NULL);
}

static void test_fp_neg__matches_gmp_and_neg_zero_is_zero(void) {
    check_unop("fp_neg", fp_neg, ref_neg, ITERS);
    fp_t z;
    fp_neg(&z, &FP_ZERO);
    CHECK(fp_is_zero(&z), "-0 must be 0");
}
static void test_fp_dbl__matches_gmp(void) { check_unop("fp_dbl", fp_dbl, ref_dbl, ITERS); }
static void test_fp_sqr__matches_gmp(void) { check_unop("fp_sqr", fp_sqr, ref_sqr, ITERS); }
static void test_fp_inv_var__matches_gmp_and_inv_zero_is_zero(void) {
    check_unop("fp_inv_var", fp_inv_var, ref_inv, ITERS);
}

static void test_fp_mul_small__matches_gmp(void) {
    mpz_t a, want;
    mpz_inits(a, want, NULL);
    static const uint64_t ks[] = {0, 1, 2, 3, 4, 8, 12, 0xffffffffULL, 0x80000000ULL, 0xfffffffeULL,
                                 0x100000000ULL, UINT64_MAX}; /* last two: beyond the contract */
    unsigned long bad = 0;
    for (long it = 0; it < ITERS; it++) {
        fp_t x, z, zx;
        rand_fp(&x, a);
        uint64_t k;
        switch (testrand_range(3)) {
        case 0: k = ks[testrand_range(sizeof ks / sizeof ks[0])]; break;
        case 1: k = testrand_range(64); break;
        default: k = testrand_u64() & 0xffffffffULL; break;
        }
        mpz_mul_ui(want, a, (unsigned long)k);
        mpz_mod(want, want, P);
        fp_mul_small(&z, &x, k);
        zx = x;
        fp_mul_small(&zx, &zx, k);
        bool ok = fp_matches(&z, want) && fp_eq(&zx, &z);
        CHECK(ok, "fp_mul_small mismatch at iteration %ld, k = %llu", it, (unsigned long long)k);
        if (!ok && bad++ < 3) {
            print_mpz("a", a);
            print_mpz("want", want);
            report_fp(&z);
        }
    }
    mpz_clears(a, want, NULL);
}

static void test_fp_batch_inv_var__matches_gmp_with_zeros_anywhere(void) {
    enum { MAXN = 67 };
    fp_t in[MAXN], out[MAXN];
    mpz_t v[MAXN], want;
    for (int i = 0; i < MAXN; i++) mpz_init(v[i]);
    mpz_init(want);
    long done = 0;
    unsigned long bad = 0;
    for (long round = 0; done < ITERS; round++) {
        size_t n = (size_t)testrand_range(MAXN + 1); /* includes n = 0 */
        int zero_mode = (int)testrand_range(4);      /* 0: none, 1: middle, 2: random, 3: all */
        for (size_t i = 0; i < n; i++) {
            rand_fp(&in[i], v[i]);
            bool zero = (zero_mode == 1 && i == n / 2) || (zero_mode == 2 && testrand_range(5) == 0) ||
                        zero_mode == 3;
            if (zero) {
                mpz_set_ui(v[i], 0);
                in[i] = FP_ZERO;
            }
        }
        fp_batch_inv_var(out, in, n);
        for (size_t i = 0; i < n; i++) {
            ref_inv(want, v[i]);
            bool ok = fp_matches(&out[i], want);
            CHECK(ok, "fp_batch_inv_var mismatch, round %ld, n = %zu, index %zu", round, n, i);
            if (!ok && bad++ < 3) {
                print_mpz("in", v[i]);
                print_mpz("want", want);
                report_fp(&out[i]);
            }
        }
        done += (long)n + 1;
    }
    for (int i = 0; i < MAXN; i++) mpz_clear(v[i]);
    mpz_clear(want);
}

static void test_fp_pow_var__matches_gmp(void) {
    mpz_t a, e, want;
    mpz_inits(a, e, want, NULL);
    unsigned long bad = 0;
    for (long it = 0; it < ITERS; it++) {
        fp_t x, z, zx;
        uint64_t el[7] = {0};
        size_t n = (size_t)testrand_range(8);
        rand_fp(&x, a);
        if (it % 97 == 0) { /* p − 1, p − 2, p, (p+1)/4 */
            mpz_sub_ui(e, P, (unsigned long)testrand_range(3));
            n = 6;
            limbs_from_mpz(el, 6, e);
        } else {
            testrand_limbs_edge(el, 7);
            for (size_t i = n; i < 7; i++) el[i] = 0;
            if (n && testrand_range(4) == 0) el[n - 1] >>= testrand_range(64); /* short tops */
        }
        mpz_from_limbs(e, el, n ? n : 1);
        if (n == 0) mpz_set_ui(e, 0);
        mpz_powm(want, a, e, P);
        fp_pow_var(&z, &x, el, n);
        zx = z;
        if (it % 8 == 0) { /* output aliasing the input, on a sample */
            zx = x;
            fp_pow_var(&zx, &zx, el, n);
        }
        bool ok = fp_matches(&z, want) && fp_eq(&zx, &z);
        CHECK(ok, "fp_pow_var mismatch at iteration %ld (n = %zu)", it, n);
        if (!ok && bad++ < 3) {
            print_mpz("a", a);
            print_mpz("e", e);
            print_mpz("want", want);
            report_fp(&z);
        }
    }
    mpz_clears(a, e, want, NULL);
}

/* Half the inputs are built as squares so that the true branch is exercised as much. */
static void test_fp_sqrt_var__roots_squares_and_rejects_non_squares(void) {
    mpz_t a, root, chk;
    mpz_inits(a, root, chk, NULL);
    unsigned long bad = 0;
    long squares = 0;
    for (long it = 0; it < ITERS; it++) {
        fp_t x, z, zx;
        rand_fp(&x, a);
        if (it & 1) {
            mpz_mul(a, a, a);
            mpz_mod(a, a, P);
            fp_from_mpz(&x, a);
        }
        bool is_sq = mpz_sgn(a) == 0 || mpz_legendre(a, P) == 1;
        squares += is_sq;
        bool got = fp_sqrt_var(&z, &x);
        bool got_alias = got;
        zx = z;
        if (it % 8 == 0) { /* output aliasing the input, on a sample */
            zx = x;
            got_alias = fp_sqrt_var(&zx, &zx);
        }
        bool ok = got == is_sq && got_alias == is_sq && fp_eq(&zx, &z) && mpz_from_fp(root, &z);
        if (ok && is_sq) {
            mpz_mul(chk, root, root);
            mpz_mod(chk, chk, P);
            ok = mpz_cmp(chk, a) == 0;
        } else if (ok) {
            ok = fp_is_zero(&z); /* r = 0 on failure */
        }
        CHECK(ok, "fp_sqrt_var wrong at iteration %ld (square: %d, returned %d)", it, is_sq, got);
        if (!ok && bad++ < 3) {
            print_mpz("a", a);
            report_fp(&z);
        }
    }
    CHECK(squares > ITERS / 2, "too few squares generated (%ld)", squares);
    mpz_clears(a, root, chk, NULL);
}

static void test_fp_is_square_var__matches_legendre(void) {
    mpz_t a;
    mpz_init(a);
    unsigned long bad = 0;
    for (long it = 0; it < ITERS; it++) {
        fp_t x;
        if (it < nedge) mpz_set(a, EDGE[it]), fp_from_mpz(&x, a);
        else rand_fp(&x, a);
        bool want = mpz_sgn(a) == 0 || mpz_legendre(a, P) == 1;
        bool got = fp_is_square_var(&x);
        CHECK(got == want, "fp_is_square_var = %d, want %d at iteration %ld", got, want, it);
        if (got != want && bad++ < 3) print_mpz("a", a);
    }
    mpz_clear(a);
}

/* ---- conversions and codecs ---- */

static void be_from_mpz(uint8_t out[48], const mpz_t v) {
    uint64_t l[6];
    limbs_from_mpz(l, 6, v);
    for (int i = 0; i < 48; i++) out[47 - i] = (uint8_t)(l[i / 8] >> (8 * (i % 8)));
}

static void test_fp_bytes__round_trip_and_match_gmp(void) {
    mpz_t a, back;
    mpz_inits(a, back, NULL);
    unsigned long bad = 0;
    for (long it = 0; it < ITERS; it++) {
        fp_t x, y;
        uint8_t want[48], got[48];
        rand_fp(&x, a);
        be_from_mpz(want, a);
        fp_to_bytes_be(got, &x);
        bool ok_out = memcmp(got, want, 48) == 0;
        bool ok_in = fp_from_bytes_be(&y, want) && fp_eq(&y, &x);
        CHECK(ok_out && ok_in, "fp bytes codec wrong at iteration %ld", it);
        if (!(ok_out && ok_in) && bad++ < 3) {
            print_mpz("a", a);
            test_print_hex("to_bytes_be", got, 48);
        }
    }
    mpz_clears(a, back, NULL);
}

/* Every value ≥ p is rejected (r = 0) and p − 1 is the largest accepted. */
static void test_fp_from_bytes_be__rejects_ge_p(void) {
    mpz_t v, lim;
    mpz_inits(v, lim, NULL);
    uint8_t b[48];
    fp_t x;
    /* explicit edges */
    struct { const char *name; int kind; long d; } cases[] = {
        {"p-1", 0, -1}, {"p", 0, 0}, {"p+1", 0, 1}, {"2^381-1", 1, -1},
        {"2^381", 1, 0}, {"2^384-1", 2, -1}, {"0", 3, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].kind == 0) mpz_set(v, P);
        else if (cases[i].kind == 1) mpz_ui_pow_ui(v, 2, 381);
        else if (cases[i].kind == 2) mpz_ui_pow_ui(v, 2, 384);
        else mpz_set_ui(v, 0);
        if (cases[i].d < 0) mpz_sub_ui(v, v, 1);
        else mpz_add_ui(v, v, (unsigned long)cases[i].d);
        be_from_mpz(b, v);
        memset(&x, 0xa5, sizeof x);
        bool got = fp_from_bytes_be(&x, b);
        bool want = mpz_cmp(v, P) < 0;
        CHECK(got == want && (got || fp_is_zero(&x)), "fp_from_bytes_be(%s) = %d, want %d",
              cases[i].name, got, want);
    }
    memset(b, 0xff, 48);
    CHECK(!fp_from_bytes_be(&x, b) && fp_is_zero(&x), "all-0xff must be rejected");
    /* random values on both sides of p, and anywhere in [0, 2^384) */
    mpz_ui_pow_ui(lim, 2, 384);
    for (long it = 0; it < ITERS; it++) {
        testrand_bytes_edge(b, 48);
        if (it % 3 == 0) { /* p + small or p − small */
            mpz_set(v, P);
            uint64_t d = testrand_range(1u << 20);
            if (testrand_range(2)) mpz_add_ui(v, v, (unsigned long)d);
            else mpz_sub_ui(v, v, (unsigned long)d + 1);
            be_from_mpz(b, v);
        } else {
            mpz_import(v, 48, 1, 1, 0, 0, b);
        }
        bool want = mpz_cmp(v, P) < 0;
        bool got = fp_from_bytes_be(&x, b);
        bool ok = got == want && (got ? fp_matches(&x, v) : fp_is_zero(&x));
        CHECK(ok, "fp_from_bytes_be accept = %d, want %d at iteration %ld", got, want, it);
        if (!ok) test_print_hex("bytes", b, 48);
    }
    mpz_clears(v, lim, NULL);
}

static void test_fp_raw_and_u64__convert_to_and_from_montgomery(void) {
    mpz_t a, v;
    mpz_inits(a, v, NULL);
    for (long it = 0; it < ITERS; it++) {
        fp_t x, y;
        uint64_t raw[6], back[6];
        rand_fp(&x, a);
        limbs_from_mpz(raw, 6, a);
        fp_from_raw(&y, raw);
        fp_to_raw(back, &x);
        bool ok = fp_eq(&x, &y) && memcmp(back, raw, sizeof raw) == 0;
        CHECK(ok, "fp_from_raw/fp_to_raw wrong at iteration %ld", it);
        if (!ok) print_mpz("a", a);
        uint64_t u = testrand_u64();
        if (it % 7 == 0) u = testrand_range(4);
        fp_from_u64(&y, u);
        mpz_set_ui(v, 0);
        mpz_import(v, 1, -1, sizeof u, 0, 0, &u);
        CHECK(fp_matches(&y, v), "fp_from_u64(%llu) wrong", (unsigned long long)u);
    }
    mpz_clears(a, v, NULL);
}

static void test_fp_is_lex_largest__is_value_gt_half_p(void) {
    mpz_t a;
    mpz_init(a);
    for (long it = 0; it < ITERS; it++) {
        fp_t x;
        if (it < nedge) mpz_set(a, EDGE[it]), fp_from_mpz(&x, a);
        else rand_fp(&x, a);
        bool want = mpz_cmp(a, HALF) > 0;
        bool got = fp_is_lex_largest(&x);
        CHECK(got == want, "fp_is_lex_largest = %d, want %d", got, want);
        if (got != want) print_mpz("a", a);
    }
    mpz_clear(a);
}

static void test_fp_constants__match_gmp(void) {
    mpz_t v, one;
    mpz_inits(v, one, NULL);
    mpz_from_limbs(v, FP_P, 6);
    CHECK(mpz_cmp(v, P) == 0, "FP_P is not p");
    mpz_set_ui(one, 1);
    CHECK(fp_matches(&FP_ONE, one), "FP_ONE is not R mod p");
    CHECK(fp_is_one(&FP_ONE) && !fp_is_zero(&FP_ONE), "FP_ONE predicates");
    CHECK(fp_is_zero(&FP_ZERO) && !fp_is_one(&FP_ZERO), "FP_ZERO predicates");
    fp_t x;
    fp_from_u64(&x, 1);
    CHECK(fp_eq(&x, &FP_ONE), "fp_from_u64(1) != FP_ONE");
    mpz_clears(v, one, NULL);
}

static void test_fp_eq__distinguishes_every_limb(void) {
    for (int i = 0; i < 6; i++)
        for (int bit = 0; bit < 64; bit += 9) {
            fp_t a = FP_ONE, b = FP_ONE;
            b.l[i] ^= (uint64_t)1 << bit;
            CHECK(!fp_eq(&a, &b), "fp_eq missed limb %d bit %d", i, bit);
        }
}

int main(void) {
    testrand_init("test_fp");
#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__)
    ITERS = test_iters(100000);
#else
    ITERS = test_iters(25000);
#endif
    const char *env = getenv("KZGKIT_TEST_ITERS");
    if (env && atol(env) > 0) ITERS = atol(env);
    mpz_inits(P, RMOD, RINV, HALF, NULL);
    mpz_set_str(P, "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab", 16);
    mpz_ui_pow_ui(RMOD, 2, 384);
    mpz_mod(RMOD, RMOD, P);
    mpz_invert(RINV, RMOD, P);
    mpz_sub_ui(HALF, P, 1);
    mpz_fdiv_q_2exp(HALF, HALF, 1);
    init_edges();

    test_fp_constants__match_gmp();
    test_fp_eq__distinguishes_every_limb();
    test_fp_add__matches_gmp();
    test_fp_sub__matches_gmp();
    test_fp_neg__matches_gmp_and_neg_zero_is_zero();
    test_fp_dbl__matches_gmp();
    test_fp_mul__matches_gmp();
    test_fp_sqr__matches_gmp();
    test_fp_mul_small__matches_gmp();
    test_fp_inv_var__matches_gmp_and_inv_zero_is_zero();
    test_fp_batch_inv_var__matches_gmp_with_zeros_anywhere();
    test_fp_pow_var__matches_gmp();
    test_fp_sqrt_var__roots_squares_and_rejects_non_squares();
    test_fp_is_square_var__matches_legendre();
    test_fp_bytes__round_trip_and_match_gmp();
    test_fp_from_bytes_be__rejects_ge_p();
    test_fp_raw_and_u64__convert_to_and_from_montgomery();
    test_fp_is_lex_largest__is_value_gt_half_p();

    for (int i = 0; i < nedge; i++) mpz_clear(EDGE[i]);
    mpz_clears(P, RMOD, RINV, HALF, NULL);
    return test_report();
}
