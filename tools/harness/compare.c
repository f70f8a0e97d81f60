/* tools/harness/compare.c — see compare.h. */
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* The exact null distribution is used up to 20 values per side with no ties; beyond that
 * the normal approximation with continuity correction is accurate to well under 0.001 in p
 * around the 0.05 level, and costs O(n log n) instead of O(n² · U). */
#define EXACT_MAX_N 20

typedef struct tagged {
    double v;
    int from_a;
} tagged;

static int cmp_tagged(const void *x, const void *y) {
    double a = ((const tagged *)x)->v, b = ((const tagged *)y)->v;
    return (a > b) - (a < b);
}

/* Number of orderings of na "a" and nb "b" values, by U = #{a above b}: the count N(m, n, k)
 * for m a's and n b's satisfies N(m, n, k) = N(m − 1, n, k − n) + N(m, n − 1, k), splitting
 * on whether the largest value is an a (above all n b's) or a b. Only additions of
 * non-negative numbers, so the doubles stay accurate; only k ≤ u is needed. Sets *out to
 * P(U ≤ u) under the null hypothesis (all C(na + nb, na) orderings equally likely). */
static int exact_cdf(double *out, size_t na, size_t nb, size_t u) {
    size_t width = u + 1;
    double *prev = calloc((nb + 1) * width, sizeof *prev);
    double *cur = calloc((nb + 1) * width, sizeof *cur);
    if (!prev || !cur) {
        free(prev);
        free(cur);
        return -1;
    }
    for (size_t n = 0; n <= nb; n++) prev[n * width] = 1; /* m = 0: U = 0 */
    for (size_t m = 1; m <= na; m++) {
        memset(cur, 0, (nb + 1) * width * sizeof *cur);
        cur[0] = 1; /* n = 0: only a's, U = 0 */
        for (size_t n = 1; n <= nb; n++) {
            double *row = cur + n * width;
            const double *left = cur + (n - 1) * width; /* N(m, n − 1, ·) */
            const double *up = prev + n * width;        /* N(m − 1, n, ·) */
            size_t max_k = m * n < u ? m * n : u;
            for (size_t k = 0; k <= max_k; k++) row[k] = left[k] + (k >= n ? up[k - n] : 0);
        }
        double *t = prev;
        prev = cur;
        cur = t;
    }
    double below = 0, total = 1;
    for (size_t k = 0; k < width; k++) below += prev[nb * width + k];
    for (size_t i = 1; i <= na; i++) total = total * (double)(nb + i) / (double)i;
    *out = below / total;
    free(prev);
    free(cur);
    return 0;
}

int harness_mann_whitney(harness_mwu *out, const double *a, size_t na, const double *b,
                         size_t nb) {
    memset(out, 0, sizeof *out);
    out->p = NAN;
    if (!a || !b || na == 0 || nb == 0) return -1;
    size_t n = na + nb;
    tagged *all = malloc(n * sizeof *all);
    if (!all) return -1;
    for (size_t i = 0; i < na; i++) all[i] = (tagged){a[i], 1};
    for (size_t i = 0; i < nb; i++) all[na + i] = (tagged){b[i], 0};
    for (size_t i = 0; i < n; i++)
        if (!isfinite(all[i].v)) {
            free(all);
            return -1;
        }
    qsort(all, n, sizeof *all, cmp_tagged);

    /* Mid-ranks for ties; T = Σ (t³ − t) over tie groups for the variance correction. */
    double rank_sum_a = 0, ties = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && all[j + 1].v == all[i].v) j++;
        double t = (double)(j - i + 1);
        double mid_rank = 0.5 * ((double)(i + 1) + (double)(j + 1));
        for (size_t k = i; k <= j; k++)
            if (all[k].from_a) rank_sum_a += mid_rank;
        if (t > 1) ties += t * t * t - t;
        i = j + 1;
    }
    free(all);

    double dna = (double)na, dnb = (double)nb, dn = (double)n;
    out->u = rank_sum_a - dna * (dna + 1) / 2;
    double mu = dna * dnb / 2;

    if (ties == 0 && na <= EXACT_MAX_N && nb <= EXACT_MAX_N) {
        double lower = fmin(out->u, dna * dnb - out->u);
        double cdf;
        if (exact_cdf(&cdf, na, nb, (size_t)lower) != 0) return -1;
        out->exact = true;
        out->p = fmin(1.0, 2.0 * cdf);
        return 0;
    }
    double var = dna * dnb / 12.0 * ((dn + 1) - ties / (dn * (dn - 1)));
    if (!(var > 0)) { /* every value equal: no evidence of a difference */
        out->p = 1.0;
        return 0;
    }
    double d = fabs(out->u - mu) - 0.5; /* continuity correction */
    if (d < 0) d = 0;
    out->z = (out->u >= mu ? d : -d) / sqrt(var);
    out->p = fmin(1.0, erfc(fabs(out->z) / M_SQRT2));
    return 0;
}

harness_compare_opts harness_compare_defaults(void) {
    return (harness_compare_opts){.alpha = 0.05, .threshold = 0.05, .resamples = 0,
                                  .seed = 0x6b7a676b6974ULL};
}

const char *harness_verdict_str(harness_verdict v) {
    switch (v) {
    case HARNESS_IMPROVED: return "improved";
    case HARNESS_REGRESSED: return "regressed";
    default: return "~";
    }
}

harness_verdict harness_verdict_rule(double p, double lo, double hi, double alpha,
                                     double threshold, const char **reason) {
    if (!(p < alpha)) {
        *reason = "not significant";
    } else if (lo > 0 && hi >= threshold) {
        *reason = "significant, beyond noise threshold";
        return HARNESS_REGRESSED;
    } else if (hi < 0 && lo <= -threshold) {
        *reason = "significant, beyond noise threshold";
        return HARNESS_IMPROVED;
    } else if (lo <= 0 && hi >= 0) {
        *reason = "interval of the change includes 0";
    } else {
        *reason = "within noise threshold";
    }
    return HARNESS_SAME;
}

int harness_compare_samples(harness_comparison *out, const double *a, size_t na,
                            const double *b, size_t nb, const harness_compare_opts *opts) {
    memset(out, 0, sizeof *out);
    out->change = out->change_lo = out->change_hi = NAN;
    out->reason = "invalid input";
    harness_compare_opts o = opts ? *opts : harness_compare_defaults();
    if (o.resamples == 0) o.resamples = HARNESS_BOOTSTRAP_DEFAULT;
    if (!a || !b || na == 0 || nb == 0) return -1;

    int rc = -1;
    double *sa = malloc(na * sizeof *sa), *sb = malloc(nb * sizeof *sb);
    double *ma = malloc(o.resamples * sizeof *ma), *mb = malloc(o.resamples * sizeof *mb);
    if (!sa || !sb || !ma || !mb) goto out;
    memcpy(sa, a, na * sizeof *a);
    memcpy(sb, b, nb * sizeof *b);
    harness_sort(sa, na);
    harness_sort(sb, nb);
    out->median_a = harness_quantile_sorted(sa, na, 0.5);
    out->median_b = harness_quantile_sorted(sb, nb, 0.5);
    if (!(out->median_a > 0) || !isfinite(out->median_a) || !isfinite(out->median_b)) goto out;
    out->change = out->median_b / out->median_a - 1;

    if (harness_mann_whitney(&out->test, a, na, b, nb) != 0) goto out;

    harness_rng rng;
    harness_rng_seed(&rng, o.seed);
    if (harness_bootstrap_medians(ma, o.resamples, sa, na, &rng) != 0 ||
        harness_bootstrap_medians(mb, o.resamples, sb, nb, &rng) != 0)
        goto out;
    for (size_t i = 0; i < o.resamples; i++) /* ratios − 1, stored over mb */
        mb[i] = ma[i] > 0 ? mb[i] / ma[i] - 1 : INFINITY;
    harness_sort(mb, o.resamples);
    out->change_lo = harness_quantile_sorted(mb, o.resamples, 0.025);
    out->change_hi = harness_quantile_sorted(mb, o.resamples, 0.975);

    out->verdict = harness_verdict_rule(out->test.p, out->change_lo, out->change_hi, o.alpha,
                                        o.threshold, &out->reason);
    rc = 0;
out:
    free(sa);
    free(sb);
    free(ma);
    free(mb);
    return rc;
}

int harness_compare_counts(harness_comparison *out, const double *a, size_t na,
                           const double *b, size_t nb, double threshold) {
    memset(out, 0, sizeof *out);
    out->change = out->change_lo = out->change_hi = NAN;
    out->test.p = out->test.z = out->test.u = NAN;
    out->reason = "invalid input";
    if (!a || !b || na == 0 || nb == 0) return -1;
    double *scratch = malloc((na > nb ? na : nb) * sizeof *scratch);
    if (!scratch) return -1;
    out->median_a = harness_median(a, na, scratch);
    out->median_b = harness_median(b, nb, scratch);
    free(scratch);
    if (!(out->median_a > 0) || !isfinite(out->median_a) || !isfinite(out->median_b)) return -1;
    out->change = out->change_lo = out->change_hi = out->median_b / out->median_a - 1;
    out->verdict = HARNESS_SAME;
    out->reason = "count within threshold";
    if (out->change > threshold) {
        out->verdict = HARNESS_REGRESSED;
        out->reason = "count beyond threshold";
    } else if (out->change < -threshold) {
        out->verdict = HARNESS_IMPROVED;
        out->reason = "count beyond threshold";
    }
    return 0;
}

int harness_match_results(harness_match **out, size_t *n_out, const harness_results *a,
                          const harness_results *b, const harness_compare_opts *opts) {
    *out = NULL;
    *n_out = 0;
    size_t cap = a->n + b->n, n = 0;
    harness_match *m = calloc(cap ? cap : 1, sizeof *m);
    bool *used = calloc(a->n ? a->n : 1, sizeof *used);
    if (!m || !used) {
        free(m);
        free(used);
        return -1;
    }
    char kb[512], ka[512];
    for (size_t i = 0; i < b->n; i++) {
        const harness_result *rb = &b->items[i];
        harness_match *x = &m[n++];
        x->b = rb;
        harness_result_match_key(rb, kb, sizeof kb);
        for (size_t j = 0; j < a->n; j++) {
            if (used[j]) continue;
            harness_result_match_key(&a->items[j], ka, sizeof ka);
            if (strcmp(ka, kb) == 0) {
                used[j] = true;
                x->a = &a->items[j];
                break;
            }
        }
        if (x->a && x->a->n_samples && rb->n_samples) {
            /* Per-benchmark seed: the same pair always gets the same interval. */
            harness_compare_opts o = opts ? *opts : harness_compare_defaults();
            for (const char *p = kb; *p; p++) o.seed = (o.seed ^ (unsigned char)*p) * 0x100000001b3ULL;
            x->compared =
                o.counts ? harness_compare_counts(&x->cmp, x->a->samples_ns, x->a->n_samples,
                                                  rb->samples_ns, rb->n_samples, o.threshold) == 0
                         : harness_compare_samples(&x->cmp, x->a->samples_ns, x->a->n_samples,
                                                   rb->samples_ns, rb->n_samples, &o) == 0;
        }
    }
    for (size_t j = 0; j < a->n; j++)
        if (!used[j]) m[n++].a = &a->items[j];
    free(used);
    *out = m;
    *n_out = n;
    return 0;
}
