/*
 * test_mx_fp_sqr — the dedicated mulx/adx Fp squaring (backend/x86_64/mont_mulx.h,
 * mx_fp_sqr) against the multiplication it replaces, mx_fp_mul(a, a), and against the
 * portable oracle fp_sqr_portable: bit-identical and fully reduced, with r separate from a
 * and r = a.
 *
 * Inputs: the edges (0, 1, 2, p−1, p−2, (p±1)/2, R mod p, −R mod p, R² mod p, 2^k and
 * 2^k − 1 for every k < 381 and reduced above, values whose low limbs are all ones below
 * p, each single limb all ones, p's limbs with one limb lowered), then 1,000,000
 * edge-biased random values below p (KZGKIT_TEST_ITERS overrides; KZGKIT_TEST_SCALE
 * scales), then chains x ← x² of 1,000 steps from random starts, where an error would
 * compound. Exit 77 (skipped) where the CPU lacks bmi2/adx or the kernels are not built.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "backend/x86_64/mont_mulx.h"
#include "testrand.h"

#ifdef KZG_HAVE_MULX_KERNELS

static bool below_p(const uint64_t x[6]) {
    for (size_t i = 6; i-- > 0;)
        if (x[i] != FP_P[i]) return x[i] < FP_P[i];
    return false;
}

static void sub_small(uint64_t x[6], const uint64_t y[6]) {
    uint64_t borrow = 0;
    for (size_t i = 0; i < 6; i++) {
        uint64_t d = x[i] - y[i] - borrow;
        borrow = (x[i] < y[i]) | ((x[i] == y[i]) & borrow);
        x[i] = d;
    }
}

/* x mod p by repeated subtraction (x < 2^384 < 16p). */
static void reduce(uint64_t x[6]) {
    while (!below_p(x)) sub_small(x, FP_P);
}

static long failures;

/* One input: mx_fp_sqr(a) = mx_fp_mul(a, a) = fp_sqr_portable(a), < p, also with r = a. */
static void check_one(const uint64_t a[6], const char *what) {
    fp_t x, want, viamul, got, inplace;
    memcpy(x.l, a, sizeof x.l);
    fp_sqr_portable(&want, &x);
    mx_fp_mul(viamul.l, x.l, x.l);
    mx_fp_sqr(got.l, x.l);
    inplace = x;
    mx_fp_sqr(inplace.l, inplace.l);
    bool ok = memcmp(&got, &want, sizeof got) == 0 && memcmp(&viamul, &want, sizeof got) == 0 &&
              memcmp(&inplace, &want, sizeof got) == 0 && below_p(got.l);
    if (!ok && ++failures <= 5) {
        fprintf(stderr, "mx_fp_sqr differs (%s, seed 0x%016llx):\n", what,
                (unsigned long long)testrand_seed());
        test_print_hex("  a            ", x.l, 48);
        test_print_hex("  portable     ", want.l, 48);
        test_print_hex("  mx_fp_mul    ", viamul.l, 48);
        test_print_hex("  mx_fp_sqr    ", got.l, 48);
        test_print_hex("  mx_fp_sqr r=a", inplace.l, 48);
    }
}

static void test_mx_fp_sqr__agrees_on_edges(void) {
    static const uint64_t R2[6] = {
        0xf4df1f341c341746ULL, 0x0a76e6a609d104f1ULL, 0x8de5476c4c95b6d5ULL,
        0x67eb88a9939d83c0ULL, 0x9a793e85b519952dULL, 0x11988fe592cae3aaULL,
    };
    long before = failures, cases = 0;
    uint64_t x[6];
    for (uint64_t v = 0; v <= 2; v++, cases++) { /* 0, 1, 2 */
        memset(x, 0, sizeof x);
        x[0] = v;
        check_one(x, "small");
    }
    for (uint64_t k = 1; k <= 2; k++, cases++) { /* p − 1, p − 2 */
        uint64_t kk[6] = {k, 0, 0, 0, 0, 0};
        memcpy(x, FP_P, sizeof x);
        sub_small(x, kk);
        check_one(x, "p - k");
    }
    memcpy(x, FP_P, sizeof x); /* (p − 1)/2, (p + 1)/2 */
    for (size_t i = 0; i < 6; i++) x[i] = (x[i] >> 1) | (i + 1 < 6 ? x[i + 1] << 63 : 0);
    check_one(x, "(p-1)/2");
    x[0] += 1;
    check_one(x, "(p+1)/2");
    check_one(FP_ONE.l, "R mod p");
    memcpy(x, FP_P, sizeof x);
    sub_small(x, FP_ONE.l);
    check_one(x, "-R mod p");
    check_one(R2, "R^2 mod p");
    cases += 5;
    for (size_t k = 0; k < 384; k++, cases += 2) { /* 2^k and 2^k − 1, reduced */
        uint64_t one[6] = {1, 0, 0, 0, 0, 0};
        memset(x, 0, sizeof x);
        x[k / 64] = 1ULL << (k % 64);
        reduce(x);
        check_one(x, "2^k");
        memset(x, 0, sizeof x);
        x[k / 64] = 1ULL << (k % 64);
        sub_small(x, one);
        reduce(x);
        check_one(x, "2^k - 1");
    }
    for (size_t n = 1; n <= 6; n++, cases++) { /* limbs 0..n−1 all ones, then reduced */
        memset(x, 0, sizeof x);
        for (size_t i = 0; i < n; i++) x[i] = ~0ULL;
        if (n == 6) x[5] = FP_P[5] - 1; /* the largest all-ones-below value */
        reduce(x);
        check_one(x, "low limbs all ones");
    }
    for (size_t i = 0; i < 5; i++, cases += 2) { /* one limb all ones; p with limb i lowered */
        memset(x, 0, sizeof x);
        x[i] = ~0ULL;
        check_one(x, "one limb all ones");
        memcpy(x, FP_P, sizeof x);
        x[i] -= 1;
        if (i > 0) x[i - 1] = ~0ULL;
        check_one(x, "p, limb lowered");
    }
    CHECK(failures == before, "mx_fp_sqr on %ld edge values: %ld mismatches", cases,
          failures - before);
    printf("  edges: %ld values, %ld mismatches\n", cases, failures - before);
}

static void test_mx_fp_sqr__agrees_on_random(long iters) {
    long before = failures;
    for (long it = 0; it < iters; it++) {
        uint64_t x[6];
        testrand_limbs_edge(x, 6);
        x[5] &= (1ULL << 61) - 1; /* < 2^381 < 2p, then one subtraction at most */
        reduce(x);
        check_one(x, "random");
    }
    CHECK(failures == before, "mx_fp_sqr on %ld random values: %ld mismatches", iters,
          failures - before);
    printf("  random: %ld values, %ld mismatches\n", iters, failures - before);
}

static void test_mx_fp_sqr__chains_match_portable(long chains) {
    long bad = 0;
    for (long c = 0; c < chains; c++) {
        fp_t a, b;
        testrand_limbs_edge(a.l, 6);
        a.l[5] &= (1ULL << 61) - 1;
        reduce(a.l);
        fp_t start = a;
        b = a;
        for (int s = 0; s < 1000; s++) {
            fp_sqr_portable(&a, &a);
            mx_fp_sqr(b.l, b.l);
        }
        if (memcmp(&a, &b, sizeof a) != 0 && ++bad <= 3)
            test_print_hex("  a chain of 1000 squarings differs; its start", start.l, 48);
    }
    CHECK(bad == 0, "%ld of %ld chains of 1000 squarings differ", bad, chains);
    printf("  chains: %ld × 1000 squarings, %ld differ\n", chains, bad);
}
#endif

int main(void) {
    testrand_init("test_mx_fp_sqr");
#ifdef KZG_HAVE_MULX_KERNELS
    if (backend_mulx_adx() == NULL) {
        printf("SKIP: this CPU lacks bmi2/adx\n");
        return 77;
    }
    long iters = test_iters(1000000);
    const char *env = getenv("KZGKIT_TEST_ITERS");
    if (env && atol(env) > 0) iters = atol(env);
    test_mx_fp_sqr__agrees_on_edges();
    test_mx_fp_sqr__agrees_on_random(iters);
    test_mx_fp_sqr__chains_match_portable(test_iters(100));
    return test_report();
#else
    printf("SKIP: the mulx/adx kernels are not built for this target\n");
    return 77;
#endif
}
