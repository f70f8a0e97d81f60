/*
 * test_msm — Pippenger MSM against the oracle Σ g1_mul_var(points[i], scalars[i]).
 * Edge inputs: n = 0 and 1, zero and r-1 scalars, infinity points, repeated and opposite
 * points (bucket additions that hit a = ±b), scalars with long runs of bits (carry chains
 * of the signed digits).
 */
#include <stdlib.h>

#include "msm/msm.h"
#include "msm/msm_recode.h"
#include "testrand.h"

static void rand_fr(fr_t *k) {
    uint8_t b[32];
    testrand_bytes_edge(b, 32);
    fr_from_bytes_be_reduce(k, b);
}

static void rand_point(g1_aff_t *p) {
    fr_t k;
    g1_t g, q;
    rand_fr(&k);
    g1_from_aff(&g, &G1_GENERATOR_AFF);
    g1_mul_var(&q, &g, &k);
    g1_to_aff(p, &q);
}

static void naive(g1_t *out, const g1_aff_t *p, const fr_t *s, size_t n) {
    g1_set_inf(out);
    for (size_t i = 0; i < n; i++) {
        g1_t a, t;
        g1_from_aff(&a, &p[i]);
        g1_mul_var(&t, &a, &s[i]);
        g1_add(out, out, &t);
    }
}

static bool check_case(const g1_aff_t *p, const fr_t *s, size_t n) {
    g1_t got, want;
    void *scratch = malloc(g1_msm_scratch_size(n) + 1);
    g1_msm_var(&got, p, s, n, NULL, n ? scratch : NULL);
    free(scratch);
    naive(&want, p, s, n);
    return g1_eq(&got, &want);
}

static void test_msm__empty_is_infinity(void) {
    g1_t out;
    g1_msm_var(&out, NULL, NULL, 0, NULL, NULL);
    CHECK(g1_is_inf(&out), "MSM of 0 points is not infinity");
    CHECK(g1_msm_scratch_size(0) == 0, "scratch for 0 points is not 0");
    size_t none[2] = {0, 0};
    CHECK(g1_msm_raw_scratch_size(0) == 0 && g1_msm_window_scratch_size(0, 8) == 0 &&
              g1_msm_par_scratch_size(0, 2) == 0 && g1_msm_joint_scratch_size(none, 2, 0) == 0,
          "scratch of some kind for 0 points is not 0");
}

static void test_msm__matches_naive_sum_random(void) {
    static const size_t sizes[] = {1, 2, 3, 5, 8, 17, 31, 32, 33, 64, 100, 257, 600};
    for (size_t si = 0; si < KZG_ARRAY_LEN(sizes); si++) {
        size_t n = sizes[si];
        g1_aff_t *p = malloc(n * sizeof *p);
        fr_t *s = malloc(n * sizeof *s);
        for (size_t i = 0; i < n; i++) {
            rand_point(&p[i]);
            rand_fr(&s[i]);
        }
        CHECK(check_case(p, s, n), "random MSM of %zu points (window %u)", n, g1_msm_window_bits(n, NULL));
        free(p);
        free(s);
    }
}

static void test_msm__edge_scalars_and_points(void) {
    enum { N = 40 };
    g1_aff_t p[N];
    fr_t s[N];
    fr_t minus_one;
    fr_neg(&minus_one, &FR_ONE);
    for (int round = 0; round < 6; round++) {
        for (size_t i = 0; i < N; i++) {
            rand_point(&p[i]);
            switch (testrand_range(7)) {
            case 0: s[i] = FR_ZERO; break;
            case 1: s[i] = FR_ONE; break;
            case 2: s[i] = minus_one; break;
            case 3: fr_from_u64(&s[i], testrand_range(1u << 12)); break;
            default: rand_fr(&s[i]); break;
            }
            switch (testrand_range(6)) {
            case 0: memset(&p[i], 0, sizeof p[i]); break;  /* infinity */
            case 1: if (i) p[i] = p[i - 1]; break;          /* repeated point */
            case 2: if (i) g1_aff_neg(&p[i], &p[i - 1]); break; /* opposite point */
            default: break;
            }
        }
        CHECK(check_case(p, s, N), "edge MSM round %d", round);
    }
    /* Same point with opposite scalars: the sum is infinity. */
    rand_point(&p[0]);
    p[1] = p[0];
    rand_fr(&s[0]);
    fr_neg(&s[1], &s[0]);
    g1_t out;
    void *scratch = malloc(g1_msm_scratch_size(2));
    g1_msm_var(&out, p, s, 2, NULL, scratch);
    free(scratch);
    CHECK(g1_is_inf(&out), "k·P + (-k)·P is not infinity");
    /* One point, all zero scalars / all infinity points. */
    s[0] = FR_ZERO;
    CHECK(check_case(p, s, 1), "zero scalar");
    memset(&p[0], 0, sizeof p[0]);
    rand_fr(&s[0]);
    CHECK(check_case(p, s, 1), "infinity point");
}

static void test_msm__every_window_width(void) {
    /* Sizes that select each window width from 2 up to the one used for 4096 points. */
    for (unsigned lg = 0; lg <= 12; lg++) {
        size_t n = (size_t)1 << lg;
        if (n > 600 && lg != 12) continue;
        g1_aff_t *p = malloc(n * sizeof *p);
        fr_t *s = malloc(n * sizeof *s);
        /* Cheap distinct points: multiples of one random point by consecutive integers. */
        g1_t acc, base;
        g1_aff_t b;
        rand_point(&b);
        g1_from_aff(&base, &b);
        acc = base;
        for (size_t i = 0; i < n; i++) {
            g1_to_aff(&p[i], &acc);
            g1_add(&acc, &acc, &base);
            rand_fr(&s[i]);
        }
        /* Oracle for large n: Σ s_i·(i+1)·B = (Σ s_i·(i+1))·B. */
        fr_t k = FR_ZERO, t, ii;
        for (size_t i = 0; i < n; i++) {
            fr_from_u64(&ii, i + 1);
            fr_mul(&t, &s[i], &ii);
            fr_add(&k, &k, &t);
        }
        g1_t want, got;
        g1_mul_var(&want, &base, &k);
        void *scratch = malloc(g1_msm_scratch_size(n));
        g1_msm_var(&got, p, s, n, NULL, scratch);
        free(scratch);
        CHECK(g1_eq(&got, &want), "MSM of %zu multiples of one point (window %u)", n,
              g1_msm_window_bits(n, NULL));
        free(p);
        free(s);
    }
}

/* msm_glv_split's balanced halves: both magnitudes at most 2^127 and ±k0 ± q·z² ≡ k
 * (mod r), on the scalars at each boundary of its two corrections and random ones; then
 * an MSM over those scalars at every window 2..16 (the widths that divide 128 have no
 * carry window) against the naive sum. */
static void test_msm__glv_split_balanced(void) {
    static const uint64_t Z2[4] = {0x0000000100000000ULL, 0xac45a4010001a402ULL, 0, 0};
    static const uint64_t P127[4] = {0, 0x8000000000000000ULL, 0, 0};
    static const uint64_t P64[4] = {0, 1, 0, 0}, P64M1[4] = {~0ULL, 0, 0, 0};
    enum { EDGE = 15, N = EDGE + 36 };
    fr_t z2, p127, p64, p64m1, one = FR_ONE, k[N], t;
    fr_from_raw(&z2, Z2);
    fr_from_raw(&p127, P127);
    fr_from_raw(&p64, P64);
    fr_from_raw(&p64m1, P64M1);
    fr_t z2m1, p127m1, p127p1, qb;
    fr_sub(&z2m1, &z2, &one);
    fr_sub(&p127m1, &p127, &one);
    fr_add(&p127p1, &p127, &one);
    fr_sub(&qb, &z2m1, &p64); /* z² - 1 - 2^64: |q| = 2^64 after the first correction */
    /* (a, b) for k = a + b·z² (a < z², b ≤ z² - 1, so the split returns them): the
     * corrections' boundaries, and the borrows and carries of their two-limb steps. */
    const fr_t *ab[EDGE][2] = {
        {&FR_ZERO, &FR_ZERO}, {&one, &FR_ZERO},   {&z2m1, &FR_ZERO},   {&FR_ZERO, &one},
        {&p127, &FR_ZERO},    {&p127m1, &FR_ZERO}, {&FR_ZERO, &p127},   {&p127, &p127},
        {&FR_ZERO, &z2m1},    {&z2m1, &p127m1},   {&p127m1, &p127m1}, {&one, &p127},
        {&p64, &p127},        {&p127p1, &qb},     {&p127, &p64m1},
    };
    for (size_t i = 0; i < EDGE; i++) {
        fr_mul(&t, ab[i][1], &z2);
        fr_add(&k[i], ab[i][0], &t);
    }
    for (size_t i = EDGE; i < N; i++) rand_fr(&k[i]);
    for (size_t i = 0; i < N; i++) {
        uint64_t raw[4];
        msm_half h;
        fr_to_raw(raw, &k[i]);
        msm_glv_split(&h, raw);
        bool small = h.k0[1] < P127[1] || (h.k0[1] == P127[1] && h.k0[0] == 0);
        small = small && (h.q[1] < P127[1] || (h.q[1] == P127[1] && h.q[0] == 0));
        CHECK(small && h.neg < 4, "scalar %zu: a half above 2^127 (neg %u)", i, (unsigned)h.neg);
        uint64_t k0[4] = {h.k0[0], h.k0[1], 0, 0}, q[4] = {h.q[0], h.q[1], 0, 0};
        fr_t a, b;
        fr_from_raw(&a, k0);
        fr_from_raw(&b, q);
        if (h.neg & 1) fr_neg(&a, &a);
        if (h.neg & 2) fr_neg(&b, &b);
        fr_mul(&b, &b, &z2);
        fr_add(&a, &a, &b);
        CHECK(fr_eq(&a, &k[i]), "scalar %zu: ±k0 ± q·z² differs from k", i);
    }
    g1_aff_t p[N];
    msm_scalar sc[N];
    for (size_t i = 0; i < N; i++) {
        rand_point(&p[i]);
        fr_to_raw(sc[i].l, &k[i]);
    }
    g1_t want;
    naive(&want, p, k, N);
    for (unsigned c = 2; c <= 16; c++) {
        g1_t got;
        void *scratch = malloc(g1_msm_window_scratch_size(N, c));
        g1_msm_window_var(&got, p, sc, N, c, scratch);
        free(scratch);
        CHECK(g1_eq(&got, &want), "MSM over the split's edge scalars, window %u", c);
    }
}

int main(void) {
    testrand_init("test_msm");
    test_msm__empty_is_infinity();
    test_msm__matches_naive_sum_random();
    test_msm__edge_scalars_and_points();
    test_msm__every_window_width();
    test_msm__glv_split_balanced();
    return test_report();
}
