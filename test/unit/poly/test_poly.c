/*
 * test_poly — roots of unity, bit reversal, FFT and barycentric evaluation.
 * Oracles: ω^n = 1 and ω^(n/2) = -1; the naive DFT; Horner evaluation of the coefficients.
 */
#include <stdlib.h>

#include "poly/poly.h"
#include "testrand.h"

static void rand_fr(fr_t *k) {
    uint8_t b[32];
    testrand_bytes_edge(b, 32);
    fr_from_bytes_be_reduce(k, b);
}

/* z^n = 1: z is one of the n roots of unity. */
static bool on_domain(const fr_t *z, size_t n) {
    fr_t zn = *z;
    for (size_t k = 1; k < n; k <<= 1) fr_sqr(&zn, &zn);
    return fr_is_one(&zn);
}

static void horner(fr_t *y, const fr_t *c, size_t n, const fr_t *z) {
    *y = FR_ZERO;
    for (size_t i = n; i-- > 0;) {
        fr_mul(y, y, z);
        fr_add(y, y, &c[i]);
    }
}

static void test_poly__reverse_bits_and_permutation(void) {
    CHECK(poly_reverse_bits(1, 12) == 2048, "reverse_bits(1, 4096)");
    CHECK(poly_reverse_bits(6, 3) == 3, "reverse_bits(6, 8)");
    uint32_t a[64], b[64];
    for (uint32_t i = 0; i < 64; i++) a[i] = b[i] = i;
    CHECK(poly_bit_reversal_permutation(a, sizeof a[0], 64), "brp of 64");
    bool ok = true;
    for (uint32_t i = 0; i < 64; i++) ok &= a[i] == poly_reverse_bits(i, 6);
    CHECK(ok, "brp permutes by reverse_bits");
    poly_bit_reversal_permutation(a, sizeof a[0], 64);
    CHECK(memcmp(a, b, sizeof a) == 0, "brp is an involution");
    CHECK(!poly_bit_reversal_permutation(a, sizeof a[0], 48), "brp rejects 48");
}

static void test_poly__roots_of_unity_have_their_order(void) {
    for (size_t n = 2; n <= 4096; n <<= 1) {
        fr_t w, t, minus_one;
        CHECK(poly_root_of_unity(&w, n), "root of order %zu", n);
        t = w;
        for (size_t k = 1; k < n / 2; k <<= 1) fr_sqr(&t, &t);
        fr_neg(&minus_one, &FR_ONE);
        CHECK(fr_eq(&t, &minus_one), "ω_%zu^(n/2) != -1 (primitive)", n);
        fr_sqr(&t, &t);
        CHECK(fr_is_one(&t), "ω_%zu^n != 1", n);
        fr_t inv_n, nn, prod;
        poly_inv_domain_size(&inv_n, n);
        fr_from_u64(&nn, n);
        fr_mul(&prod, &inv_n, &nn);
        CHECK(fr_is_one(&prod), "1/n·n != 1 for n = %zu", n);
    }
    fr_t w;
    CHECK(!poly_root_of_unity(&w, 12), "order 12 accepted");
    /* The spec's 4096th root: 7^((r-1)/4096); its known first bytes. */
    uint8_t b[32];
    poly_root_of_unity(&w, 4096);
    fr_to_bytes_be(b, &w);
    test_print_hex("omega_4096", b, 32);
}

static void test_poly__fft_matches_naive_dft_and_inverts(void) {
    enum { N = 4096 };
    fr_t *roots = malloc(N * sizeof *roots), *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b),
         *c = malloc(N * sizeof *c);
    fr_t *roots_x = malloc(N * sizeof *roots_x), scale;
    poly_roots_of_unity(roots, N);
    fr_from_u64(&scale, (uint64_t)1 << POLY_ROOTS_X_SHIFT);
    for (size_t k = 0; k < N; k++) fr_mul(&roots_x[k], &roots[k], &scale);
    for (size_t n = 1; n <= N; n <<= 1) {
        size_t stride = N / n;
        for (size_t i = 0; i < n; i++) rand_fr(&a[i]);
        fr_fft(b, a, n, roots, stride);
        if (n <= 64) {
            bool ok = true;
            for (size_t j = 0; j < n; j++) {
                fr_t y;
                horner(&y, a, n, &roots[j * stride]);
                ok &= fr_eq(&y, &b[j]);
            }
            CHECK(ok, "FFT of size %zu != naive DFT", n);
        }
        fr_ifft(c, b, n, roots, stride);
        CHECK(memcmp(a, c, n * sizeof *a) == 0, "IFFT(FFT(a)) != a for n = %zu", n);
        /* With the twiddles times 2^4 beside them (the eight-lane layers with IFMA): the
         * same values, bit for bit, both ways. */
        fr_fft_x(c, a, n, roots, roots_x, stride);
        CHECK(memcmp(b, c, n * sizeof *b) == 0, "fr_fft_x != fr_fft for n = %zu", n);
        fr_ifft_x(c, b, n, roots, roots_x, stride);
        CHECK(memcmp(a, c, n * sizeof *a) == 0, "fr_ifft_x(FFT(a)) != a for n = %zu", n);
    }
    free(roots_x);
    free(roots);
    free(a);
    free(b);
    free(c);
}

static void test_poly__barycentric_matches_horner(void) {
    for (size_t n = 256; n <= 4096; n <<= 2) {
        fr_t *roots = malloc(n * sizeof *roots), *coef = malloc(n * sizeof *coef),
             *ev = malloc(n * sizeof *ev), *inv = malloc(n * sizeof *inv), *tmp = malloc(n * sizeof *tmp);
        poly_roots_of_unity(roots, n);
        for (size_t i = 0; i < n; i++) rand_fr(&coef[i]);
        fr_fft(ev, coef, n, roots, 1);
        /* bit-reversed domain, as the blobs use */
        poly_bit_reversal_permutation(ev, sizeof *ev, n);
        poly_bit_reversal_permutation(roots, sizeof *roots, n);
        for (int t = 0; t < 4; t++) {
            fr_t z, y, want;
            size_t idx;
            bool inside = t == 3;
            if (inside) {
                z = roots[testrand_range(n)];
            } else {
                /* Edge-biased draws give 1 (= roots[0]) about once in 500 runs: draw again. */
                do rand_fr(&z);
                while (on_domain(&z, n));
            }
            poly_eval_barycentric_var(&y, &idx, inv, tmp, ev, roots, n, &z);
            horner(&want, coef, n, &z);
            CHECK(fr_eq(&y, &want), "barycentric != Horner (n %zu, z %s the domain)", n,
                  inside ? "in" : "outside");
            CHECK(inside ? idx < n && fr_eq(&roots[idx], &z) : idx == n, "index %zu", idx);
            fr_t d, one;
            size_t k = (idx + 1) % n;
            fr_sub(&d, &z, &roots[k]);
            fr_mul(&one, &d, &inv[k]);
            CHECK(fr_is_one(&one), "inv[%zu] is not 1/(z - ω)", k);
        }
        free(roots);
        free(coef);
        free(ev);
        free(inv);
        free(tmp);
    }
}

int main(void) {
    testrand_init("test_poly");
    test_poly__reverse_bits_and_permutation();
    test_poly__roots_of_unity_have_their_order();
    test_poly__fft_matches_naive_dft_and_inverts();
    test_poly__barycentric_matches_horner();
    return test_report();
}
