/*
 * tools/harness/stats.h — descriptive statistics of benchmark samples.
 *
 * Owns: the harness's seeded RNG, order statistics (quantiles by linear interpolation,
 * Hyndman–Fan type 7), the summary of one sample set (mean, median, stddev, MAD, min, max,
 * the 95% interval of the mean by Student's t, of the median by a seeded percentile
 * bootstrap, Tukey-fence outlier classes, coefficient of variation) and the distribution
 * functions those need (Student t, normal). Calls only libc and libm.
 *
 * Conventions: sample sets are arrays of doubles (nanoseconds per iteration, but nothing
 * here knows units); a quantity that is undefined for the input (stddev of one sample) is
 * NaN, which the JSON writer turns into null. Functions that can fail return 0 on success
 * and -1 on bad input or allocation failure, and never abort.
 */
#ifndef KZGKIT_HARNESS_STATS_H
#define KZGKIT_HARNESS_STATS_H

#include <stddef.h>
#include <stdint.h>

/* xoshiro256** seeded through splitmix64: reproducible resampling for a given seed. */
typedef struct harness_rng {
    uint64_t s[4];
} harness_rng;

void harness_rng_seed(harness_rng *rng, uint64_t seed);
uint64_t harness_rng_next(harness_rng *rng);
/* Uniform in [0, n), n > 0, without modulo bias. */
uint64_t harness_rng_below(harness_rng *rng, uint64_t n);
/* Uniform in [0, 1) with 53 random bits. */
double harness_rng_uniform(harness_rng *rng);
/* Standard normal (Box–Muller; one value per call). */
double harness_rng_normal(harness_rng *rng);

/* Counts of samples per Tukey class. With quartiles Q1, Q3 and IQR = Q3 − Q1:
 * low severe  x < Q1 − 3·IQR;         low mild   Q1 − 3·IQR ≤ x < Q1 − 1.5·IQR;
 * high mild   Q3 + 1.5·IQR < x ≤ Q3 + 3·IQR;   high severe x > Q3 + 3·IQR. */
typedef struct harness_outliers {
    size_t low_severe, low_mild, high_mild, high_severe;
} harness_outliers;

typedef struct harness_summary {
    size_t n;
    double mean, median, stddev; /* stddev: sample (n − 1) estimator; NaN when n < 2 */
    double mad;                  /* median |x − median|, unscaled (× 1.4826 ≈ σ if normal) */
    double min, max;
    double q1, q3, p99;          /* type-7 quantiles */
    double cv;                   /* stddev / mean; NaN when undefined */
    double ci95_lo, ci95_hi;     /* mean ± t(0.975, n − 1) · stddev / √n; NaN when n < 2 */
    double ci95_median_lo, ci95_median_hi; /* percentile bootstrap of the median */
    double fence_low_severe, fence_low_mild, fence_high_mild, fence_high_severe;
    harness_outliers outliers;
} harness_summary;

/* Default bootstrap resample count (criterion uses 100 000; 2 000 keeps the 2.5% and
 * 97.5% percentiles within a few tenths of a percent of their limit at a tiny cost). */
#define HARNESS_BOOTSTRAP_DEFAULT 2000

/* Summarises x[0..n) (n ≥ 1; x need not be sorted and is not modified). `resamples` is the
 * bootstrap count (0 → HARNESS_BOOTSTRAP_DEFAULT); `seed` makes the bootstrap repeatable.
 * With n == 1 every spread measure is NaN except mad (0), and both intervals are NaN. */
int harness_summarize(harness_summary *out, const double *x, size_t n, size_t resamples,
                      uint64_t seed);

/* The p-quantile (0 ≤ p ≤ 1) of sorted[0..n), n ≥ 1, by linear interpolation between the
 * order statistics at h = (n − 1)·p (type 7, as R's default and NumPy's "linear"). */
double harness_quantile_sorted(const double *sorted, size_t n, double p);

/* Median of x[0..n) (n ≥ 1) using `scratch` (n doubles) as work space; x is untouched. */
double harness_median(const double *x, size_t n, double *scratch);

/* Sorts ascending (NaNs, which callers never pass, would sort last). */
void harness_sort(double *x, size_t n);

/* Fills meds[0..resamples) with the medians of `resamples` bootstrap resamples (with
 * replacement, size n) of sorted[0..n), drawing from rng. Returns 0 or −1 (allocation). */
int harness_bootstrap_medians(double *meds, size_t resamples, const double *sorted, size_t n,
                              harness_rng *rng);

/* Bootstrap percentile interval for the median of x[0..n): `level` e.g. 0.95. */
int harness_bootstrap_median_ci(double *lo, double *hi, const double *x, size_t n,
                                size_t resamples, double level, uint64_t seed);

/* Distribution functions. */
double harness_normal_cdf(double z);
double harness_normal_quantile(double p);      /* 0 < p < 1 */
double harness_t_cdf(double t, double df);     /* df > 0 */
double harness_t_quantile(double p, double df); /* 0 < p < 1, df > 0 */

#endif
