/* test_harness_stats — descriptive statistics against hand-computed values (harness stats.h). */
#include <math.h>
#include <string.h>

#include "stats.h"
#include "testrand.h"

static int near(double a, double b, double tol) { return fabs(a - b) <= tol * (1 + fabs(b)); }

/* {2,4,4,4,5,5,7,9}: mean 5, s² = 32/7, median 4.5, MAD 0.5, Q1 4, Q3 5.5 (type 7), fences
 * 1.75 / 7.75 (mild) and −0.5 / 10 (severe): 9 is the one high mild outlier. */
static void test_summary__hand_computed_dataset(void) {
    const double x[] = {5, 9, 4, 2, 4, 7, 4, 5};
    harness_summary s;
    CHECK(harness_summarize(&s, x, 8, 0, 1) == 0, "summarize");
    CHECK(s.n == 8, "n %zu", s.n);
    CHECK(near(s.mean, 5, 1e-15), "mean %.17g", s.mean);
    CHECK(near(s.median, 4.5, 1e-15), "median %.17g", s.median);
    CHECK(near(s.stddev, sqrt(32.0 / 7), 1e-14), "stddev %.17g", s.stddev);
    CHECK(near(s.mad, 0.5, 1e-15), "mad %.17g", s.mad);
    CHECK(s.min == 2 && s.max == 9, "min %g max %g", s.min, s.max);
    CHECK(near(s.q1, 4, 1e-15) && near(s.q3, 5.5, 1e-15), "q1 %g q3 %g", s.q1, s.q3);
    CHECK(near(s.cv, sqrt(32.0 / 7) / 5, 1e-14), "cv %.17g", s.cv);
    /* 95% t interval: 5 ± t(0.975, 7)·s/√8 with t(0.975, 7) = 2.364624251592785. */
    double half = 2.364624251592785 * sqrt(32.0 / 7) / sqrt(8.0);
    CHECK(near(s.ci95_lo, 5 - half, 1e-9) && near(s.ci95_hi, 5 + half, 1e-9),
          "ci [%.17g, %.17g] want ±%.17g", s.ci95_lo, s.ci95_hi, half);
    CHECK(near(s.fence_low_mild, 1.75, 1e-15) && near(s.fence_high_mild, 7.75, 1e-15) &&
              near(s.fence_low_severe, -0.5, 1e-15) && near(s.fence_high_severe, 10, 1e-15),
          "fences %g %g %g %g", s.fence_low_severe, s.fence_low_mild, s.fence_high_mild,
          s.fence_high_severe);
    CHECK(s.outliers.high_mild == 1 && s.outliers.high_severe == 0 && s.outliers.low_mild == 0 &&
              s.outliers.low_severe == 0,
          "outliers %zu %zu %zu %zu", s.outliers.low_severe, s.outliers.low_mild,
          s.outliers.high_mild, s.outliers.high_severe);
    CHECK(s.ci95_median_lo <= s.median && s.median <= s.ci95_median_hi, "median ci [%g, %g]",
          s.ci95_median_lo, s.ci95_median_hi);
    CHECK(s.ci95_median_lo >= 2 && s.ci95_median_hi <= 9, "median ci within the data");
}

/* {0, 8, 10×5, 11×5, 13, 100}: Q1 10, Q3 11, IQR 1: 0 low severe (< 7), 8 low mild
 * (< 8.5), 13 high mild (> 12.5), 100 high severe (> 14). */
static void test_outliers__every_tukey_class(void) {
    const double x[] = {10, 11, 0, 10, 11, 13, 10, 11, 100, 10, 11, 8, 10, 11};
    harness_summary s;
    CHECK(harness_summarize(&s, x, 14, 0, 1) == 0, "summarize");
    CHECK(s.q1 == 10 && s.q3 == 11, "q1 %g q3 %g", s.q1, s.q3);
    CHECK(s.outliers.low_severe == 1 && s.outliers.low_mild == 1 && s.outliers.high_mild == 1 &&
              s.outliers.high_severe == 1,
          "outliers %zu %zu %zu %zu", s.outliers.low_severe, s.outliers.low_mild,
          s.outliers.high_mild, s.outliers.high_severe);
    CHECK(s.median == 10.5, "median %g", s.median);
    /* MAD: |x − 10.5| = 0.5 ×10, 2.5, 2.5, 10.5, 89.5 → median 0.5. */
    CHECK(s.mad == 0.5, "mad %g", s.mad);
}

static void test_summary__edge_sizes(void) {
    harness_summary s;
    const double one[] = {42};
    CHECK(harness_summarize(&s, one, 1, 0, 1) == 0, "n=1");
    CHECK(s.mean == 42 && s.median == 42 && s.mad == 0 && s.min == 42 && s.max == 42, "n=1 values");
    CHECK(isnan(s.stddev) && isnan(s.ci95_lo) && isnan(s.cv) && isnan(s.ci95_median_lo),
          "n=1: spread undefined");
    const double same[] = {7, 7, 7, 7, 7};
    CHECK(harness_summarize(&s, same, 5, 0, 1) == 0, "constant");
    CHECK(s.stddev == 0 && s.cv == 0 && s.ci95_lo == 7 && s.ci95_hi == 7, "constant spread");
    CHECK(s.ci95_median_lo == 7 && s.ci95_median_hi == 7, "constant bootstrap");
    CHECK(harness_summarize(&s, one, 0, 0, 1) != 0, "n=0 rejected");
    const double bad[] = {1, NAN, 3};
    CHECK(harness_summarize(&s, bad, 3, 0, 1) != 0, "NaN rejected");
}

static void test_quantile__type7_interpolation(void) {
    const double x[] = {1, 2, 3, 4, 10};
    CHECK(harness_quantile_sorted(x, 5, 0) == 1 && harness_quantile_sorted(x, 5, 1) == 10, "ends");
    CHECK(harness_quantile_sorted(x, 5, 0.5) == 3, "median");
    CHECK(near(harness_quantile_sorted(x, 5, 0.9), 7.6, 1e-15), "p90 = 4 + 0.6·6");
    CHECK(near(harness_quantile_sorted(x, 5, 0.99), 9.76, 1e-15), "p99 = 4 + 0.96·6");
    double scratch[4];
    const double even[] = {4, 1, 3, 2};
    CHECK(harness_median(even, 4, scratch) == 2.5, "even median");
}

/* Reference quantiles of Student's t and the normal distribution (standard tables). */
static void test_distributions__reference_quantiles(void) {
    const struct {
        double df, q;
    } t975[] = {{1, 12.706204736174698}, {2, 4.302652729749464}, {5, 2.570581835636314},
                {10, 2.228138851986274}, {29, 2.045229642132703}, {30, 2.042272456301238},
                {1000, 1.962339080817836}};
    for (size_t i = 0; i < sizeof t975 / sizeof t975[0]; i++) {
        double q = harness_t_quantile(0.975, t975[i].df);
        CHECK(near(q, t975[i].q, 1e-9), "t(0.975, %g) = %.15g, want %.15g", t975[i].df, q, t975[i].q);
    }
    CHECK(near(harness_t_quantile(0.995, 4), 4.604094871415897, 1e-9), "t(0.995, 4)");
    CHECK(near(harness_t_quantile(0.025, 10), -2.228138851986274, 1e-9), "lower tail");
    CHECK(near(harness_t_cdf(2.0, 5), 0.9490302605850709, 1e-10), "t cdf(2, 5) = %.16g",
          harness_t_cdf(2.0, 5));
    CHECK(near(harness_t_cdf(-1.0, 1), 0.25, 1e-12), "Cauchy cdf(−1) = 1/4");
    CHECK(near(harness_normal_quantile(0.975), 1.959963984540054, 1e-12), "z(0.975)");
    CHECK(near(harness_normal_cdf(1.959963984540054), 0.975, 1e-12), "Φ(1.96)");
    CHECK(near(harness_normal_quantile(0.5), 0, 1e-12), "z(0.5)");
}

static void test_bootstrap__seeded_and_covering(void) {
    harness_rng rng;
    harness_rng_seed(&rng, testrand_u64());
    double x[40];
    for (int i = 0; i < 40; i++) x[i] = 100 + 3 * harness_rng_normal(&rng);
    double lo1, hi1, lo2, hi2, lo3, hi3;
    CHECK(harness_bootstrap_median_ci(&lo1, &hi1, x, 40, 0, 0.95, 7) == 0, "ci");
    CHECK(harness_bootstrap_median_ci(&lo2, &hi2, x, 40, 0, 0.95, 7) == 0, "ci again");
    CHECK(lo1 == lo2 && hi1 == hi2, "same seed, same interval");
    CHECK(harness_bootstrap_median_ci(&lo3, &hi3, x, 40, 0, 0.50, 7) == 0, "50%% ci");
    CHECK(lo3 >= lo1 && hi3 <= hi1, "a 50%% interval lies inside the 95%% one");

    /* Coverage of the true median (100) on normal data, n = 30: the percentile bootstrap of
     * a median is slightly conservative/discrete; accept 85–100% over 300 trials (a wide
     * band: the check is that it is an interval for the median, not its exact level). */
    int covered = 0;
    const int trials = 300;
    for (int t = 0; t < trials; t++) {
        double y[30];
        for (int i = 0; i < 30; i++) y[i] = 100 + 3 * harness_rng_normal(&rng);
        double lo, hi;
        if (harness_bootstrap_median_ci(&lo, &hi, y, 30, 1000, 0.95, (uint64_t)t) != 0) break;
        covered += lo <= 100 && 100 <= hi;
    }
    printf("bootstrap median 95%% CI coverage: %d/%d\n", covered, trials);
    CHECK(covered >= (int)(0.85 * trials), "coverage %d/%d", covered, trials);
}

static void test_rng__uniform_range(void) {
    harness_rng a, b;
    harness_rng_seed(&a, 1);
    harness_rng_seed(&b, 1);
    int same = 1;
    for (int i = 0; i < 100; i++) same &= harness_rng_next(&a) == harness_rng_next(&b);
    CHECK(same, "same seed, same stream");
    int in_range = 1;
    for (int i = 0; i < 10000; i++) {
        uint64_t v = harness_rng_below(&a, 7);
        double u = harness_rng_uniform(&a);
        in_range &= v < 7 && u >= 0 && u < 1;
    }
    CHECK(in_range, "ranges");
}

int main(void) {
    testrand_init("test_harness_stats");
    test_summary__hand_computed_dataset();
    test_outliers__every_tukey_class();
    test_summary__edge_sizes();
    test_quantile__type7_interpolation();
    test_distributions__reference_quantiles();
    test_bootstrap__seeded_and_covering();
    test_rng__uniform_range();
    return test_report();
}
