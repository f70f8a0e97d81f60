/*
 * tools/harness/ab.h — `kzgkit ab`: a paired, interleaved A/B comparison of two builds.
 *
 * Owns: the Wilcoxon signed-rank test, the paired decision rule over per-round ratios, the
 * round schedule (ABBA or randomized), running OLD and NEW as `bench` subprocesses, building
 * two git revisions in temporary worktrees (--git), the table and the JSON report. Calls
 * stats.h, compare.h (the verdict type and options) and results.h (reading each round's
 * results).
 *
 * Why paired: on a shared VM the speed of the machine drifts by 10–30% over minutes, so two
 * separate runs compared afterwards (compare.h) measure the drift as much as the code. Here
 * OLD and NEW run back to back in every round, and only the ratio within a round is used:
 * whatever slowed the round slowed both sides, and cancels.
 *
 * The decision rule (docs/BENCH.md, "Paired A/B", states it for users). For each benchmark
 * and each round r where both sides produced a median, d_r = ln(new_r / old_r):
 *   change = exp(median of d_r) − 1, with a 95% percentile-bootstrap interval [lo, hi]
 *            (the median of d_r resampled, then exponentiated);
 *   p      = two-sided Wilcoxon signed-rank test of the d_r against 0;
 *   regressed  when p < alpha  and  lo > 0  and  hi ≥ +threshold;
 *   improved   when p < alpha  and  hi < 0  and  lo ≤ −threshold;
 *   "~"        otherwise — compare.h's rule, applied to paired ratios.
 * With fewer than 6 paired rounds no verdict but "~" is possible: the smallest two-sided
 * signed-rank p-value for n rounds is 2 / 2^n (0.0625 at n = 5).
 */
#ifndef KZGKIT_HARNESS_AB_H
#define KZGKIT_HARNESS_AB_H

#include <stdbool.h>
#include <stddef.h>

#include "compare.h"

typedef struct harness_wilcoxon {
    size_t n;      /* non-zero differences used (zeros are dropped, Wilcoxon's convention) */
    double w_plus; /* sum of the ranks of the positive differences (mid-ranks for ties) */
    double z;      /* normal score (0 for the exact path) */
    double p;      /* two-sided p-value; 1 when n == 0 */
    bool exact;    /* exact null distribution used (no tied |d|, n ≤ 30) */
} harness_wilcoxon;

/* Two-sided Wilcoxon signed-rank test of d[0..n) against a median of 0. Exact null
 * distribution when there are no ties among the |d| and at most 30 non-zero values;
 * otherwise the normal approximation with the tie-corrected variance and a continuity
 * correction of ½. Returns 0, or −1 on non-finite input or allocation failure. */
int harness_wilcoxon_signed_rank(harness_wilcoxon *out, const double *d, size_t n);

typedef struct harness_ab_decision {
    size_t rounds;           /* paired rounds used */
    double change;           /* exp(median ln(new/old)) − 1 (positive: NEW is slower) */
    double change_lo, change_hi; /* 95% bootstrap interval of the change */
    harness_wilcoxon test;
    harness_verdict verdict;
    const char *reason;      /* a static phrase explaining the verdict */
} harness_ab_decision;

/* The decision rule above on the paired per-round medians old_ns[r], new_ns[r], r < n.
 * Pairs where either side is not a positive finite number are skipped. Returns 0, or −1
 * on allocation failure; with no usable pair the verdict is "~" and the figures are NaN. */
int harness_ab_decide(harness_ab_decision *out, const double *old_ns, const double *new_ns,
                      size_t n, const harness_compare_opts *opts);

/* `kzgkit ab OLD NEW [options]` / `kzgkit ab --git REV1 REV2 [options]`; argv[0] is "ab".
 * Exit: 0 nothing regressed, 1 a runtime failure (a build or a round failed), 2 bad usage,
 * 3 something regressed. */
int harness_main_ab(int argc, char **argv);

#endif
