/* tools/harness/stats.c — see stats.h. */
#include "stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- RNG ------------------------------------------------------------------------ */

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void harness_rng_seed(harness_rng *rng, uint64_t seed) {
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) rng->s[i] = splitmix64(&x);
}

static uint64_t rotl64(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t harness_rng_next(harness_rng *rng) {
    uint64_t *s = rng->s;
    uint64_t r = rotl64(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return r;
}

uint64_t harness_rng_below(harness_rng *rng, uint64_t n) {
    if (n <= 1) return 0;
    uint64_t lim = UINT64_MAX - UINT64_MAX % n, v;
    do v = harness_rng_next(rng);
    while (v >= lim);
    return v % n;
}

double harness_rng_uniform(harness_rng *rng) {
    return (double)(harness_rng_next(rng) >> 11) * 0x1.0p-53;
}

double harness_rng_normal(harness_rng *rng) {
    double u1 = 1.0 - harness_rng_uniform(rng); /* (0, 1]: log is finite */
    double u2 = harness_rng_uniform(rng);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* ---- order statistics ------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void harness_sort(double *x, size_t n) {
    if (n > 1) qsort(x, n, sizeof *x, cmp_double);
}

double harness_quantile_sorted(const double *sorted, size_t n, double p) {
    if (n == 0) return NAN;
    if (p <= 0) return sorted[0];
    if (p >= 1) return sorted[n - 1];
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n) return sorted[n - 1];
    return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

double harness_median(const double *x, size_t n, double *scratch) {
    if (n == 0) return NAN;
    memcpy(scratch, x, n * sizeof *x);
    harness_sort(scratch, n);
    return harness_quantile_sorted(scratch, n, 0.5);
}

/* The median of one bootstrap resample of sorted[0..n): draw n indices with replacement,
 * count them, then walk the counts to the two middle order statistics. O(n), no sort. */
static double resample_median(harness_rng *rng, const double *sorted, size_t n,
                              uint32_t *counts) {
    memset(counts, 0, n * sizeof *counts);
    for (size_t i = 0; i < n; i++) counts[harness_rng_below(rng, n)]++;
    size_t k1 = (n - 1) / 2, k2 = n / 2, seen = 0;
    double v1 = NAN, v2 = NAN;
    for (size_t i = 0; i < n; i++) {
        size_t next = seen + counts[i];
        if (k1 >= seen && k1 < next) v1 = sorted[i];
        if (k2 >= seen && k2 < next) {
            v2 = sorted[i];
            break;
        }
        seen = next;
    }
    return 0.5 * (v1 + v2);
}

int harness_bootstrap_medians(double *meds, size_t resamples, const double *sorted, size_t n,
                              harness_rng *rng) {
    if (n == 0) return -1;
    uint32_t *counts = malloc(n * sizeof *counts);
    if (!counts) return -1;
    for (size_t b = 0; b < resamples; b++) meds[b] = resample_median(rng, sorted, n, counts);
    free(counts);
    return 0;
}

int harness_bootstrap_median_ci(double *lo, double *hi, const double *x, size_t n,
                                size_t resamples, double level, uint64_t seed) {
    *lo = *hi = NAN;
    if (n == 0 || !(level > 0 && level < 1)) return -1;
    if (resamples == 0) resamples = HARNESS_BOOTSTRAP_DEFAULT;
    double *sorted = malloc(n * sizeof *sorted);
    double *meds = malloc(resamples * sizeof *meds);
    int rc = -1;
    if (!sorted || !meds) goto out;
    memcpy(sorted, x, n * sizeof *x);
    harness_sort(sorted, n);
    harness_rng rng;
    harness_rng_seed(&rng, seed);
    if (harness_bootstrap_medians(meds, resamples, sorted, n, &rng) != 0) goto out;
    harness_sort(meds, resamples);
    *lo = harness_quantile_sorted(meds, resamples, (1 - level) / 2);
    *hi = harness_quantile_sorted(meds, resamples, 1 - (1 - level) / 2);
    rc = 0;
out:
    free(sorted);
    free(meds);
    return rc;
}

/* ---- summary --------------------------------------------------------------------- */

int harness_summarize(harness_summary *out, const double *x, size_t n, size_t resamples,
                      uint64_t seed) {
    memset(out, 0, sizeof *out);
    if (!x || n == 0) return -1;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return -1;
    double *s = malloc(n * sizeof *s);
    if (!s) return -1;
    memcpy(s, x, n * sizeof *x);
    harness_sort(s, n);

    out->n = n;
    out->min = s[0];
    out->max = s[n - 1];
    out->median = harness_quantile_sorted(s, n, 0.5);
    out->q1 = harness_quantile_sorted(s, n, 0.25);
    out->q3 = harness_quantile_sorted(s, n, 0.75);
    out->p99 = harness_quantile_sorted(s, n, 0.99);

    /* Two-pass mean and variance: sample times are large and close together, where the
     * one-pass sum-of-squares formula cancels catastrophically. */
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += s[i];
    out->mean = sum / (double)n;
    if (n >= 2) {
        double ss = 0;
        for (size_t i = 0; i < n; i++) ss += (s[i] - out->mean) * (s[i] - out->mean);
        out->stddev = sqrt(ss / (double)(n - 1));
        double half = harness_t_quantile(0.975, (double)(n - 1)) * out->stddev / sqrt((double)n);
        out->ci95_lo = out->mean - half;
        out->ci95_hi = out->mean + half;
        out->cv = out->mean != 0 ? out->stddev / out->mean : NAN;
    } else {
        out->stddev = out->cv = out->ci95_lo = out->ci95_hi = NAN;
    }

    /* MAD: median of the absolute deviations from the median. */
    double *dev = malloc(n * sizeof *dev);
    if (!dev) {
        free(s);
        return -1;
    }
    for (size_t i = 0; i < n; i++) dev[i] = fabs(s[i] - out->median);
    harness_sort(dev, n);
    out->mad = harness_quantile_sorted(dev, n, 0.5);
    free(dev);

    double iqr = out->q3 - out->q1;
    out->fence_low_severe = out->q1 - 3.0 * iqr;
    out->fence_low_mild = out->q1 - 1.5 * iqr;
    out->fence_high_mild = out->q3 + 1.5 * iqr;
    out->fence_high_severe = out->q3 + 3.0 * iqr;
    for (size_t i = 0; i < n; i++) {
        double v = s[i];
        if (v < out->fence_low_severe) out->outliers.low_severe++;
        else if (v < out->fence_low_mild) out->outliers.low_mild++;
        else if (v > out->fence_high_severe) out->outliers.high_severe++;
        else if (v > out->fence_high_mild) out->outliers.high_mild++;
    }
    free(s);

    if (n >= 2) {
        if (harness_bootstrap_median_ci(&out->ci95_median_lo, &out->ci95_median_hi, x, n,
                                        resamples, 0.95, seed) != 0)
            return -1;
    } else {
        out->ci95_median_lo = out->ci95_median_hi = NAN;
    }
    return 0;
}

/* ---- distributions ---------------------------------------------------------------- */

double harness_normal_cdf(double z) { return 0.5 * erfc(-z / M_SQRT2); }

/* Bisection on the CDF: 200 halvings of [−40, 40] reach double precision; speed is
 * irrelevant here (called a handful of times per report). */
double harness_normal_quantile(double p) {
    if (!(p > 0 && p < 1)) return NAN;
    double lo = -40, hi = 40;
    for (int i = 0; i < 200 && hi - lo > 1e-15 * (1 + fabs(lo)); i++) {
        double mid = 0.5 * (lo + hi);
        if (harness_normal_cdf(mid) < p) lo = mid;
        else hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* Continued fraction for the regularized incomplete beta function I_x(a, b)
 * (DLMF 8.17.22), evaluated by the modified Lentz method; converges quickly for
 * x < (a + 1)/(a + b + 2), and the caller uses the symmetry I_x(a,b) = 1 − I_{1−x}(b,a)
 * otherwise. */
static double beta_cf(double a, double b, double x) {
    const double tiny = 1e-300, eps = 1e-15;
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    if (fabs(d) < tiny) d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 500; m++) {
        double m2 = 2.0 * m;
        /* even step: d_{2m} = m (b − m) x / ((a + 2m − 1)(a + 2m)) */
        double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + num * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1.0 + num / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1.0 / d;
        h *= d * c;
        /* odd step: d_{2m+1} = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) */
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + num * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1.0 + num / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1.0 / d;
        double delta = d * c;
        h *= delta;
        if (fabs(delta - 1.0) < eps) break;
    }
    return h;
}

static double inc_beta(double a, double b, double x) {
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    double ln_front = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    if (x < (a + 1.0) / (a + b + 2.0)) return exp(ln_front) * beta_cf(a, b, x) / a;
    return 1.0 - exp(ln_front) * beta_cf(b, a, 1.0 - x) / b;
}

/* P(T ≤ t) for Student's t with df degrees of freedom: the two-sided tail beyond |t| is
 * I_{df/(df+t²)}(df/2, 1/2). */
double harness_t_cdf(double t, double df) {
    if (!(df > 0) || isnan(t)) return NAN;
    if (isinf(t)) return t > 0 ? 1.0 : 0.0;
    double tail = 0.5 * inc_beta(df / 2.0, 0.5, df / (df + t * t));
    return t > 0 ? 1.0 - tail : tail;
}

double harness_t_quantile(double p, double df) {
    if (!(p > 0 && p < 1) || !(df > 0)) return NAN;
    if (p == 0.5) return 0;
    if (p < 0.5) return -harness_t_quantile(1 - p, df);
    double lo = 0, hi = 1;
    while (harness_t_cdf(hi, df) < p && hi < 1e300) hi *= 2;
    for (int i = 0; i < 300 && hi - lo > 1e-13 * (1 + lo); i++) {
        double mid = 0.5 * (lo + hi);
        if (harness_t_cdf(mid, df) < p) lo = mid;
        else hi = mid;
    }
    return 0.5 * (lo + hi);
}
