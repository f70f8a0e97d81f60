/* test_harness_ab — the paired A/B decision (harness ab.h): the Wilcoxon signed-rank test
 * against hand-computed values, and the verdicts on synthetic paired rounds whose speed
 * drifts by 10–30% from round to round. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "testrand.h"

static int near(double a, double b, double tol) { return fabs(a - b) <= tol * (1 + fabs(b)); }

/* Six positive differences: W+ = 21, and only the empty and the full sign pattern are as
 * extreme, so p = 2 / 2^6. One negative (the smallest): W+ = 20, lower tail {∅, {1}}. */
static void test_wilcoxon__exact_hand_computed(void) {
    const double all_pos[] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    const double one_neg[] = {-0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    const double zeros[] = {0, 0.1, 0.2, 0, 0.3, 0.4, 0.5, 0.6};
    harness_wilcoxon w;
    CHECK(harness_wilcoxon_signed_rank(&w, all_pos, 6) == 0, "run");
    CHECK(w.exact && w.n == 6 && w.w_plus == 21 && near(w.p, 2.0 / 64, 1e-15),
          "all positive: exact %d n %zu W+ %g p %.17g", w.exact, w.n, w.w_plus, w.p);
    CHECK(harness_wilcoxon_signed_rank(&w, one_neg, 6) == 0, "run");
    CHECK(w.exact && w.w_plus == 20 && near(w.p, 4.0 / 64, 1e-15), "one negative: W+ %g p %.17g",
          w.w_plus, w.p);
    CHECK(harness_wilcoxon_signed_rank(&w, zeros, 8) == 0, "run");
    CHECK(w.n == 6 && near(w.p, 2.0 / 64, 1e-15), "zeros dropped: n %zu p %.17g", w.n, w.p);
    /* Five rounds can never be significant at 0.05: the floor is 2 / 32. */
    CHECK(harness_wilcoxon_signed_rank(&w, all_pos, 5) == 0 && near(w.p, 2.0 / 32, 1e-15),
          "n = 5 floor: p %.17g", w.p);
}

/* Ties: |d| = 1,1,2,2,3,3,3,4 → mid-ranks 1.5,1.5,3.5,3.5,6,6,6,8; the negatives are one 1,
 * so W+ = 36 − 1.5 = 34.5. var = 8·9·17/24 − (6 + 6 + 24)/48 = 50.25; z = (16.5 − ½)/√50.25
 * = 2.2571059707; p = erfc(z/√2) = 0.024001453892. */
static void test_wilcoxon__ties_normal_approximation(void) {
    const double d[] = {1, -1, 2, 2, 3, 3, 3, 4};
    harness_wilcoxon w;
    CHECK(harness_wilcoxon_signed_rank(&w, d, 8) == 0, "run");
    CHECK(!w.exact && w.w_plus == 34.5, "exact %d W+ %g", w.exact, w.w_plus);
    CHECK(near(w.z, 2.2571059707475145, 1e-12) && near(w.p, 0.02400145389233821, 1e-10),
          "z %.17g p %.17g", w.z, w.p);
    const double nan_in[] = {1, NAN};
    CHECK(harness_wilcoxon_signed_rank(&w, nan_in, 2) == -1, "NaN rejected");
    CHECK(harness_wilcoxon_signed_rank(&w, d, 0) == 0 && w.p == 1 && w.n == 0, "empty: p 1");
}

/* The exact path at its limit (n = 30) agrees with the normal approximation computed here
 * from the same W+ (mean n(n+1)/4, variance n(n+1)(2n+1)/24, continuity ½). */
static void test_wilcoxon__exact_matches_normal_at_30(void) {
    double d[30];
    for (int i = 0; i < 30; i++) d[i] = (i + 1) * (i % 3 == 0 ? -1.0 : 1.0);
    harness_wilcoxon ex;
    CHECK(harness_wilcoxon_signed_rank(&ex, d, 30) == 0 && ex.exact, "exact at 30");
    double mu = 30 * 31 / 4.0, sd = sqrt(30 * 31 * 61 / 24.0);
    double p_norm = erfc((fabs(ex.w_plus - mu) - 0.5) / sd / M_SQRT2);
    CHECK(ex.p > 0.001 && ex.p < 0.5 && fabs(ex.p - p_norm) < 0.005, "exact %g vs normal %g",
          ex.p, p_norm);
}

/* Synthetic rounds: the machine's speed in round r is drift_r ∈ [1.0, 1.3] (10–30% swings
 * between rounds, shared by both sides of the round); each side's round median has its own
 * log-normal noise (cv 2%) and, one time in 20, an interrupt burst 10–30% slower. NEW is
 * OLD × (1 + shift). With `kzgkit ab`'s default 16 rounds the rule finds ±8% about 96% of
 * the time (10 rounds: 80%, one burst on the wrong side costs significance) and raises
 * no false alarm in 1000 unchanged pairs. */
static double unif(void) { return (double)(testrand_u64() >> 11) * 0x1p-53; }
static double gauss(void) {
    double u = unif(), v = unif();
    if (u < 1e-300) u = 1e-300;
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}
static double side_noise(void) {
    double x = exp(0.02 * gauss());
    if (unif() < 0.05) x *= 1.1 + 0.2 * unif();
    return x;
}
static void synth(double *old_ns, double *new_ns, size_t rounds, double shift) {
    for (size_t r = 0; r < rounds; r++) {
        double drift = 1.0 + 0.3 * unif();
        if (r % 2) drift = 1.3 - (drift - 1.0); /* swing back and forth, not just wander */
        old_ns[r] = 1000 * drift * side_noise();
        new_ns[r] = 1000 * (1 + shift) * drift * side_noise();
    }
}

static void rates(double shift, size_t rounds, int trials, double *regressed, double *improved) {
    double old_ns[64], new_ns[64];
    int reg = 0, imp = 0;
    harness_compare_opts o = harness_compare_defaults();
    o.resamples = 500; /* enough for a verdict; keeps the 3 × 200 trials fast */
    for (int t = 0; t < trials; t++) {
        harness_ab_decision d;
        synth(old_ns, new_ns, rounds, shift);
        o.seed = testrand_u64();
        if (harness_ab_decide(&d, old_ns, new_ns, rounds, &o) != 0) {
            CHECK(0, "decide failed");
            return;
        }
        reg += d.verdict == HARNESS_REGRESSED;
        imp += d.verdict == HARNESS_IMPROVED;
    }
    *regressed = (double)reg / trials;
    *improved = (double)imp / trials;
}

static void test_ab_decide__drift_without_change_is_unchanged(void) {
    double reg, imp;
    int trials = 200; /* not scaled: 0.1 s natively, and the rates need the count */
    rates(0.0, 16, trials, &reg, &imp);
    /* The signed-rank test alone rejects ≤ 5%; the threshold removes most of those. */
    CHECK(reg + imp <= 0.05 + 3.0 / trials, "false alarms: %.1f%% regressed, %.1f%% improved",
          100 * reg, 100 * imp);
    /* And one fixed case by hand: drift of 30% between rounds, identical ratios of 1. */
    double o[8] = {1000, 1300, 1050, 1250, 1000, 1300, 1100, 1200}, n[8];
    memcpy(n, o, sizeof n);
    harness_ab_decision d;
    CHECK(harness_ab_decide(&d, o, n, 8, NULL) == 0, "decide");
    CHECK(d.verdict == HARNESS_SAME && d.change == 0 && d.test.p == 1, "A/A exact: %s p %g",
          harness_verdict_str(d.verdict), d.test.p);
}

static void test_ab_decide__consistent_plus_8_percent_regressed(void) {
    double reg, imp;
    int trials = 200; /* not scaled: 0.1 s natively, and the rates need the count */
    rates(0.08, 16, trials, &reg, &imp);
    CHECK(reg >= 0.90 && imp == 0, "+8%%: %.1f%% regressed, %.1f%% improved", 100 * reg, 100 * imp);
    harness_ab_decision d;
    double o[10], n[10];
    synth(o, n, 10, 0.08);
    CHECK(harness_ab_decide(&d, o, n, 10, NULL) == 0 && d.rounds == 10, "decide");
    CHECK(d.change_lo <= d.change && d.change <= d.change_hi, "estimate %g in [%g, %g]", d.change,
          d.change_lo, d.change_hi);
}

static void test_ab_decide__consistent_minus_8_percent_improved(void) {
    double reg, imp;
    int trials = 200; /* not scaled: 0.1 s natively, and the rates need the count */
    rates(-0.08, 16, trials, &reg, &imp);
    CHECK(imp >= 0.90 && reg == 0, "-8%%: %.1f%% improved, %.1f%% regressed", 100 * imp, 100 * reg);
}

/* Significant but small: +2% in every round is real, yet inside the 5% band. */
static void test_ab_decide__small_consistent_change_within_threshold(void) {
    double o[10], n[10];
    for (int r = 0; r < 10; r++) {
        o[r] = 1000 * (1 + 0.03 * r);
        n[r] = o[r] * (1.02 + 0.001 * r);
    }
    harness_ab_decision d;
    CHECK(harness_ab_decide(&d, o, n, 10, NULL) == 0, "decide");
    CHECK(d.verdict == HARNESS_SAME && d.test.p < 0.05 && d.change_hi < 0.05,
          "+2%%: %s p %g [%g, %g]", harness_verdict_str(d.verdict), d.test.p, d.change_lo,
          d.change_hi);
    CHECK(strcmp(d.reason, "within noise threshold") == 0, "reason '%s'", d.reason);
}

/* Too few rounds: +20% in all four rounds is still "~", with a reason that says why;
 * rounds where a side failed (NaN) are skipped. */
static void test_ab_decide__few_rounds_and_missing_sides(void) {
    double o[6] = {1000, 1000, 1000, 1000, NAN, 1000}, n[6] = {1200, 1210, 1190, 1205, 1200, -1};
    harness_ab_decision d;
    CHECK(harness_ab_decide(&d, o, n, 6, NULL) == 0, "decide");
    CHECK(d.rounds == 4 && d.verdict == HARNESS_SAME && strstr(d.reason, "too few rounds"),
          "rounds %zu verdict %s reason '%s'", d.rounds, harness_verdict_str(d.verdict), d.reason);
    CHECK(harness_ab_decide(&d, o, n, 0, NULL) == 0 && d.rounds == 0 && isnan(d.change),
          "no rounds");
}

int main(void) {
    testrand_init("test_harness_ab");
    test_wilcoxon__exact_hand_computed();
    test_wilcoxon__ties_normal_approximation();
    test_wilcoxon__exact_matches_normal_at_30();
    test_ab_decide__drift_without_change_is_unchanged();
    test_ab_decide__consistent_plus_8_percent_regressed();
    test_ab_decide__consistent_minus_8_percent_improved();
    test_ab_decide__small_consistent_change_within_threshold();
    test_ab_decide__few_rounds_and_missing_sides();
    return test_report();
}
