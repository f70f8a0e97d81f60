/*
 * tools/harness/compare.h — is B slower or faster than A?
 *
 * Owns: the Mann–Whitney U test (two-sided; exact null distribution for small untied
 * samples, normal approximation with tie and continuity corrections otherwise), the ratio
 * of medians with a seeded bootstrap interval, the verdict rule, and the pairing of two
 * result sets. Calls stats.h and results.h.
 *
 * The verdict rule (docs/BENCH.md, "Regression gate", states it for users):
 *   change = median(B)/median(A) − 1, with a 95% percentile-bootstrap interval [lo, hi];
 *   regressed  when p < alpha  and  lo > 0  and  hi ≥ +threshold;
 *   improved   when p < alpha  and  hi < 0  and  lo ≤ −threshold;
 *   "~"        otherwise (not significant, or confidently inside the noise band).
 * The threshold therefore suppresses changes that the data show to be smaller than it, not
 * changes whose point estimate happens to fall below it: a true shift exactly at the
 * threshold is still reported with probability ≈ power × 0.975, and a null difference is
 * reported at most as often as the test's own false-positive rate (≤ alpha).
 */
#ifndef KZGKIT_HARNESS_COMPARE_H
#define KZGKIT_HARNESS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "results.h"

typedef struct harness_mwu {
    double u;    /* U statistic of the first sample: #{(a, b) : a > b} + ties/2 */
    double z;    /* normal score (0 for the exact path) */
    double p;    /* two-sided p-value */
    bool exact;  /* exact null distribution used (no ties, both sizes ≤ 20) */
} harness_mwu;

/* Two-sided Mann–Whitney U test of a[0..na) against b[0..nb) (both ≥ 1). Returns 0, or −1
 * on bad input / allocation failure. */
int harness_mann_whitney(harness_mwu *out, const double *a, size_t na, const double *b,
                         size_t nb);

typedef enum harness_verdict {
    HARNESS_SAME = 0,  /* "~" */
    HARNESS_IMPROVED,
    HARNESS_REGRESSED,
} harness_verdict;

typedef struct harness_compare_opts {
    double alpha;     /* significance level; default 0.05 */
    double threshold; /* noise band as a fraction; default 0.05 */
    size_t resamples; /* bootstrap count; 0 → HARNESS_BOOTSTRAP_DEFAULT */
    uint64_t seed;
    /* The samples are instruction counts (deterministic): harness_compare_counts's rule
     * instead of the test and the bootstrap. Set when both files have unit "instructions". */
    bool counts;
} harness_compare_opts;

/* alpha 0.05, threshold 0.05, default resamples, a fixed seed. */
harness_compare_opts harness_compare_defaults(void);

typedef struct harness_comparison {
    double median_a, median_b;
    double change;           /* median_b / median_a − 1 (positive: B is slower) */
    double change_lo, change_hi; /* 95% bootstrap interval of the change */
    harness_mwu test;
    harness_verdict verdict;
    const char *reason;      /* a static phrase explaining the verdict */
} harness_comparison;

/* The verdict rule above for a p-value and a change interval [lo, hi]; *reason gets a
 * static phrase. Shared by compare (Mann–Whitney on two sample sets) and ab (Wilcoxon on
 * paired rounds), which differ only in how p and the interval are made. */
harness_verdict harness_verdict_rule(double p, double lo, double hi, double alpha,
                                     double threshold, const char **reason);

/* Compares sample set b against a (times: larger is slower). Returns 0, or −1 on bad input
 * (empty set, non-finite or non-positive median of a) or allocation failure. */
int harness_compare_samples(harness_comparison *out, const double *a, size_t na,
                            const double *b, size_t nb, const harness_compare_opts *opts);

/* Instruction counts: change = median(B)/median(A) − 1 (the interval is that one point, p
 * is NaN: there is no sampling noise to test against); regressed when change > threshold,
 * improved when change < −threshold, "~" otherwise. Returns 0, or −1 on bad input. */
int harness_compare_counts(harness_comparison *out, const double *a, size_t na,
                           const double *b, size_t nb, double threshold);

/* "improved", "regressed" or "~". */
const char *harness_verdict_str(harness_verdict v);

/* Benchmarks of two result sets paired by name and params (key order ignored). */
typedef struct harness_match {
    const harness_result *a, *b; /* one of them is NULL when the benchmark is in one set only */
    bool compared;               /* both present with samples, and cmp is filled */
    harness_comparison cmp;
} harness_match;

/* Pairs and compares a (old) with b (new): b's order first, then benchmarks only in a.
 * *out is malloc'ed (free it). Returns 0, or −1 on allocation failure. */
int harness_match_results(harness_match **out, size_t *n_out, const harness_results *a,
                          const harness_results *b, const harness_compare_opts *opts);

#endif
