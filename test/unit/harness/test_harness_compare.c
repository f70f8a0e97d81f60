/* test_harness_compare — Mann–Whitney U against known p-values, the verdict rule, and the measured
 * quality of the regression detector on seeded synthetic timing samples. */
#include <math.h>
#include <string.h>

#include "compare.h"
#include "stats.h"
#include "testrand.h"

static int near(double a, double b, double tol) { return fabs(a - b) <= tol * (1 + fabs(b)); }

/* Reference p-values: exact ones by enumerating every split of the pooled values (Python,
 * itertools.combinations), asymptotic ones from the textbook formula with tie and
 * continuity corrections; the 5-vs-4 example is SciPy's documented mannwhitneyu example
 * (exact p = 0.1111…, asymptotic p = 0.11134688653314041). */
static void test_mwu__known_p_values(void) {
    harness_mwu r;
    const double a1[] = {1, 2, 3}, b1[] = {4, 5, 6};
    CHECK(harness_mann_whitney(&r, a1, 3, b1, 3) == 0 && r.exact, "3v3");
    CHECK(r.u == 0 && near(r.p, 0.1, 1e-12), "3v3: U %g p %.17g", r.u, r.p);

    const double a2[] = {1, 2, 3, 4}, b2[] = {5, 6, 7, 8};
    CHECK(harness_mann_whitney(&r, a2, 4, b2, 4) == 0, "4v4");
    CHECK(near(r.p, 2.0 / 70, 1e-12), "4v4: p %.17g", r.p);

    const double a3[] = {1, 3, 5, 7, 9}, b3[] = {2, 4, 6, 8, 10};
    CHECK(harness_mann_whitney(&r, a3, 5, b3, 5) == 0, "interleaved");
    CHECK(r.u == 10 && near(r.p, 0.6904761904761905, 1e-12), "interleaved: U %g p %.17g", r.u, r.p);

    const double males[] = {19, 22, 16, 29, 24}, females[] = {20, 11, 17, 12};
    CHECK(harness_mann_whitney(&r, males, 5, females, 4) == 0 && r.exact, "scipy example");
    CHECK(r.u == 17 && near(r.p, 0.1111111111111111, 1e-12), "scipy example: U %g p %.17g", r.u, r.p);

    const double a5[] = {1.1, 2.5, 3.2, 4.8, 5.0, 6.7, 7.1}, b5[] = {4.0, 5.5, 6.1, 7.9, 8.2, 9.4};
    CHECK(harness_mann_whitney(&r, a5, 7, b5, 6) == 0, "7v6");
    CHECK(r.u == 8 && near(r.p, 0.07342657342657342, 1e-12), "7v6: U %g p %.17g", r.u, r.p);

    /* Asymptotic, no ties (n = 25 > 20): a = 1..25, b = a + 10.5. */
    double a6[25], b6[25];
    for (int i = 0; i < 25; i++) {
        a6[i] = i + 1;
        b6[i] = i + 1 + 10.5;
    }
    CHECK(harness_mann_whitney(&r, a6, 25, b6, 25) == 0 && !r.exact, "25v25 asymptotic");
    CHECK(r.u == 105 && near(r.p, 5.909644085599908e-05, 1e-9), "25v25: U %g p %.17g", r.u, r.p);

    /* Asymptotic with ties (tie-corrected variance). */
    const double a7[] = {1, 2, 2, 3, 3, 3, 4, 5}, b7[] = {3, 4, 4, 5, 5, 6, 7, 7, 8};
    CHECK(harness_mann_whitney(&r, a7, 8, b7, 9) == 0 && !r.exact, "ties");
    CHECK(r.u == 7.5 && near(r.p, 0.006373133838085909, 1e-9), "ties: U %g p %.17g", r.u, r.p);

    /* Symmetry: swapping the samples keeps p and mirrors U. */
    harness_mwu s;
    CHECK(harness_mann_whitney(&s, b7, 9, a7, 8) == 0, "swapped");
    CHECK(near(s.p, r.p, 1e-12) && s.u == 72 - r.u, "swap: U %g p %g", s.u, s.p);

    const double c[] = {5, 5, 5}, d[] = {5, 5};
    CHECK(harness_mann_whitney(&r, c, 3, d, 2) == 0 && r.p == 1, "all equal: p = 1");
    CHECK(harness_mann_whitney(&r, c, 0, d, 2) != 0, "empty rejected");
}

/* Timing-like noise: log-normal around `median` with coefficient of variation ≈ cv, plus
 * occasional interrupt spikes (2% of samples, 10–50% slower). */
static void gen(harness_rng *rng, double *x, size_t n, double median, double cv) {
    for (size_t i = 0; i < n; i++) {
        x[i] = median * exp(cv * harness_rng_normal(rng));
        if (harness_rng_uniform(rng) < 0.02) x[i] *= 1.1 + 0.4 * harness_rng_uniform(rng);
    }
}

static void test_verdict__rule(void) {
    harness_rng rng;
    harness_rng_seed(&rng, testrand_u64());
    double a[40], b[40];
    harness_comparison c;
    harness_compare_opts o = harness_compare_defaults();

    gen(&rng, a, 40, 1000, 0.02);
    gen(&rng, b, 40, 1200, 0.02); /* +20% */
    CHECK(harness_compare_samples(&c, a, 40, b, 40, &o) == 0, "compare");
    CHECK(c.verdict == HARNESS_REGRESSED && c.change > 0.15 && c.change_lo > 0 && c.test.p < 1e-6,
          "+20%%: %s change %g [%g, %g] p %g", harness_verdict_str(c.verdict), c.change,
          c.change_lo, c.change_hi, c.test.p);

    CHECK(harness_compare_samples(&c, b, 40, a, 40, &o) == 0, "compare back");
    CHECK(c.verdict == HARNESS_IMPROVED && c.change < -0.1, "−17%%: %s", harness_verdict_str(c.verdict));

    /* A significant but tiny change (+1% at cv 0.2%): the interval lies inside ±5%. */
    gen(&rng, a, 40, 1000, 0.002);
    gen(&rng, b, 40, 1010, 0.002);
    CHECK(harness_compare_samples(&c, a, 40, b, 40, &o) == 0, "compare tiny");
    CHECK(c.test.p < 0.05 && c.verdict == HARNESS_SAME && c.change_hi < 0.05,
          "+1%%: %s p %g hi %g (%s)", harness_verdict_str(c.verdict), c.test.p, c.change_hi, c.reason);
    o.threshold = 0.005; /* the same data against a 0.5% threshold */
    CHECK(harness_compare_samples(&c, a, 40, b, 40, &o) == 0 && c.verdict == HARNESS_REGRESSED,
          "+1%% vs 0.5%% threshold: %s", harness_verdict_str(c.verdict));

    /* Too few samples for significance: 3 vs 3 can never reach p < 0.05 (min p = 0.1). */
    o = harness_compare_defaults();
    const double s3[] = {100, 101, 102}, f3[] = {200, 201, 202};
    CHECK(harness_compare_samples(&c, s3, 3, f3, 3, &o) == 0 && c.verdict == HARNESS_SAME &&
              strcmp(c.reason, "not significant") == 0,
          "3v3 doubled: %s (%s)", harness_verdict_str(c.verdict), c.reason);

    double z[2] = {0, 0};
    CHECK(harness_compare_samples(&c, z, 2, s3, 3, &o) != 0, "zero baseline median rejected");
}

/* The detector's quality, measured: for each (n, cv), `trials` pairs with a true +5% shift
 * (every sample of B is 5% slower), `trials` with a −5% shift, and `trials` pairs from one
 * distribution. Requirements
 * (issue 5): ≥ 90% detection of the shift, ≤ 5% false alarms. */
static void test_detector__power_and_false_alarms(void) {
    const struct {
        size_t n;
        double cv;
    } cfg[] = {{30, 0.02}, {30, 0.03}, {50, 0.02}, {50, 0.03}};
    const int trials = 300;
    harness_rng rng;
    harness_rng_seed(&rng, testrand_u64());
    harness_compare_opts o = harness_compare_defaults();
    int total_hits = 0, total_fa = 0, total_improved_hits = 0, total_null_sig = 0;
    for (size_t k = 0; k < sizeof cfg / sizeof cfg[0]; k++) {
        double a[50], b[50];
        size_t n = cfg[k].n;
        int hits = 0, false_alarms = 0, improved_hits = 0, wrong_way = 0, null_sig = 0;
        for (int t = 0; t < trials; t++) {
            harness_comparison c;
            o.seed = harness_rng_next(&rng);
            gen(&rng, a, n, 1000, cfg[k].cv);
            gen(&rng, b, n, 1050, cfg[k].cv);
            if (harness_compare_samples(&c, a, n, b, n, &o) != 0) break;
            hits += c.verdict == HARNESS_REGRESSED;
            wrong_way += c.verdict == HARNESS_IMPROVED;
            /* the other direction: every sample of B 5% faster */
            gen(&rng, b, n, 950, cfg[k].cv);
            if (harness_compare_samples(&c, a, n, b, n, &o) != 0) break;
            improved_hits += c.verdict == HARNESS_IMPROVED;
            wrong_way += c.verdict == HARNESS_REGRESSED;
            gen(&rng, b, n, 1000, cfg[k].cv);
            if (harness_compare_samples(&c, a, n, b, n, &o) != 0) break;
            false_alarms += c.verdict != HARNESS_SAME;
            null_sig += c.test.p < o.alpha;
        }
        printf("detector n=%zu cv=%.0f%%: +5%% detected %d/%d (%.1f%%), −5%% detected %d/%d, "
               "false alarms %d/%d (%.1f%%)\n",
               n, 100 * cfg[k].cv, hits, trials, 100.0 * hits / trials, improved_hits, trials,
               false_alarms, trials, 100.0 * false_alarms / trials);
        CHECK(hits >= 0.90 * trials, "n=%zu cv=%g: detection %d/%d", n, cfg[k].cv, hits, trials);
        CHECK(improved_hits >= 0.90 * trials, "n=%zu cv=%g: improvement detection %d/%d", n,
              cfg[k].cv, improved_hits, trials);
        CHECK(false_alarms <= 0.05 * trials, "n=%zu cv=%g: false alarms %d/%d", n, cfg[k].cv,
              false_alarms, trials);
        total_null_sig += null_sig;
        CHECK(wrong_way == 0, "a change read in the wrong direction %d times", wrong_way);
        total_hits += hits;
        total_fa += false_alarms;
        total_improved_hits += improved_hits;
    }
    int all = trials * (int)(sizeof cfg / sizeof cfg[0]);
    printf("detector overall: detection %.1f%% (+5%%), %.1f%% (−5%%), false alarms %.1f%%; "
           "Mann-Whitney alone p < 0.05 on equal distributions: %.1f%%\n",
           100.0 * total_hits / all, 100.0 * total_improved_hits / all, 100.0 * total_fa / all,
           100.0 * total_null_sig / all);
    /* The test itself must be calibrated: about alpha of the null pairs reach p < alpha
     * (1200 pairs: 5% ± 0.6% standard error; the band is > 4 standard errors wide). */
    CHECK(total_null_sig >= 0.02 * all && total_null_sig <= 0.08 * all,
          "Mann-Whitney size %d/%d", total_null_sig, all);
}

int main(void) {
    testrand_init("test_harness_compare");
    test_mwu__known_p_values();
    test_verdict__rule();
    test_detector__power_and_false_alarms();
    return test_report();
}
