/*
 * msm/msm.c — variable-base MSM: GLV + Pippenger with signed digits + batch-affine buckets.
 *
 * 1. GLV (Gallant–Lambert–Vanstone 2001). On G1, φ(x, y) = (βx, y) acts as [λ] with
 *    λ = -z² mod r (see curve/g1.c). Each scalar k < r is split as k ≡ ±k0 ± q·z² with
 *    magnitudes k0, q ≤ 2^127 (msm_glv_split), so k·P = (±k0)·P + (±q)·(-φ(P)),
 *    -φ(P) = (βx, -y): 2n points with 128-bit scalars, which halves the number of windows.
 *    The division by z² is a Barrett step with the precomputed floor(2^256/z²) and at most
 *    two corrections; the balancing two more.
 * 2. Signed digits: each half's magnitude is written Σ_w d_w·2^(c·w) with
 *    d_w ∈ (-2^(c-1), 2^(c-1)] (a digit above 2^(c-1) borrows 2^c from the next window), so
 *    a window has 2^(c-1) buckets and a negative digit (or half) adds (x, -y). Windows:
 *    128/c when c divides 128 (a magnitude ≤ 2^127 never carries out), else
 *    floor(128/c) + 1 (the top one holds < c bits plus a carry).
 * 3. Buckets in affine form, additions batched with one inversion per batch (msm/acc.c).
 *    Per window Σ_j j·B_j by running sums, then the windows combined top-down with c
 *    doublings between them (Bernstein, Doumen, Lange, Oosterwijk, "Faster batch forgery
 *    identification", 2012, §4 for the bucket method; batch-affine accumulation as in
 *    Aztec's barretenberg and gnark).
 * Several windows share one accumulator (a "group") so that a batch has enough distinct
 * buckets to fill; the parallel version gives each window to one task.
 */
#include "msm/msm.h"

#include "backend/backend.h"
#include "msm/msm_acc.h"
#include "msm/msm_recode.h"

#define MSM_MAX_WINDOW 16
/* Buckets one accumulator should hold at least (group windows until it does). */
#define MSM_GROUP_BUCKETS 2048

typedef struct msm_plan {
    unsigned c;
    size_t nwin, nb;  /* windows, buckets per window */
    size_t k;         /* MSMs whose windows share the accumulators (1 but for the joint MSM) */
    size_t group;     /* windows per accumulator (each with k·nb buckets) */
    size_t cap;       /* batch size */
    size_t top_max;   /* largest digit the top window can hold */
    bool top_jac;     /* top window in Jacobian buckets (too few buckets to batch) */
} msm_plan;

/* Below this many buckets a window's additions cannot fill a batch (one addition per
 * bucket per batch), and the inversions would dominate: such a window uses Jacobian
 * buckets and mixed additions instead. */
#define MSM_JAC_TOP_BUCKETS 64
/* From this many buckets per window on, the bucket reduction is batch-affine too. */
#define MSM_BATCHED_REDUCE_MIN 32

/* ---- window choice ------------------------------------------------------------------- */

/* With the IFMA batch kernels (backend batch_ifma) a batch-affine addition costs about a
 * third of a scalar one while the Jacobian parts (top window, reduction tails) do not
 * change, so the model below no longer fits; these are the measured optima by
 * floor(log2 n), 2^6..2^12 points (g1_msm_window_var on the Lagrange
 * points, medians of 11-41 runs, docs/PERFORMANCE.md §8); outside that range the model. */
static const unsigned IFMA_WINDOWS[7] = {6, 6, 8, 8, 8, 10, 10};

static unsigned window_default(size_t n) {
    if (n >= 64 && n < 8192 && backend_select()->batch_ifma) {
        unsigned lg = 0;
        while ((n >> (lg + 1)) != 0) lg++;
        return IFMA_WINDOWS[lg - 6];
    }
    /* Cost in batch-affine additions (callgrind: ~6.4k instructions each, portable backend):
     * per full window 2n additions + the reduction of 2^(c-1) buckets, ~1.5 additions per
     * bucket when batched (≥ MSM_BATCHED_REDUCE_MIN buckets) and ~4 in Jacobian form; the
     * top window has msm_glv_top_max(c) buckets, and when they are too few to batch its 2n
     * additions are Jacobian mixed ones (~1.7 each). Minimised over c; matches the measured
     * optimum for n = 129, 256, 1024, 4096 (docs/PERFORMANCE.md). */
    unsigned best = 2;
    double best_cost = 0;
    for (unsigned c = 2; c <= MSM_MAX_WINDOW; c++) {
        double nb = (double)((size_t)1 << (c - 1)), m = 2.0 * (double)n;
        double red = nb >= MSM_BATCHED_REDUCE_MIN ? 1.5 : 4.0;
        size_t top = msm_glv_top_max(c);
        double top_cost = top < MSM_JAC_TOP_BUCKETS ? 1.7 * m + 4.0 * (double)top : m + red * (double)top;
        double cost = (double)(msm_glv_windows(c) - 1) * (m + red * nb) + top_cost;
        if (c == 2 || cost < best_cost) {
            best = c;
            best_cost = cost;
        }
    }
    return best;
}

/* The largest window g1_msm_window_bits can give for n, whatever the profile. */
static unsigned window_max(size_t n) {
    unsigned c = window_default(n) + 1;
    return c < MSM_MAX_WINDOW ? c : MSM_MAX_WINDOW;
}

/* A profile's window above window_default(n) + 1 is clamped there, which is what the
 * scratch sizes below allow for: scratch sized for n fits n's MSM under every profile. */
unsigned g1_msm_window_bits(size_t n, const msm_windows *w) {
    if (!w || n == 0) return window_default(n);
    unsigned lg = 0;
    while (lg + 1 < MSM_WINDOW_CLASSES && (n >> (lg + 1)) != 0) lg++;
    unsigned c = w->c[lg];
    if (c < 2 || c > MSM_MAX_WINDOW) return window_default(n);
    unsigned hi = window_max(n);
    return c < hi ? c : hi;
}

/* The plan for window c (2..16), or for the window w gives n when c is outside that. */
static void plan_for(msm_plan *p, size_t n, size_t k, unsigned threads, unsigned c, const msm_windows *w) {
    p->c = c >= 2 && c <= MSM_MAX_WINDOW ? c : g1_msm_window_bits(n, w);
    p->nwin = msm_glv_windows(p->c);
    p->nb = (size_t)1 << (p->c - 1);
    p->k = k;
    p->group = (MSM_GROUP_BUCKETS + p->nb * k - 1) / (p->nb * k);
    if (p->group > p->nwin) p->group = p->nwin;
    /* Over threads: as many groups as threads when the windows allow, each as large as on
     * one thread at most. (A group per window, as before 2026-12-05, gave a 64-point MSM
     * batches of 16 additions and made two threads slower than one below ~2k points with
     * IFMA: docs/PERFORMANCE.md §17.) */
    if (threads > 1) {
        size_t even = (p->nwin + threads - 1) / threads;
        if (even < p->group) p->group = even;
    }
    p->cap = acc_batch_for(p->group * p->nb * k);
    p->top_max = msm_glv_top_max(p->c);
    p->top_jac = p->top_max < MSM_JAC_TOP_BUCKETS;
}

/* ---- scratch layout ------------------------------------------------------------------ */

/* Per thread: the accumulator, then (behind acc_main) the batched reduction's scratch or
 * the top window's Jacobian buckets, k·MSM_JAC_TOP_BUCKETS (never both at once). */
typedef struct msm_layout {
    size_t half, phi, win, acc, acc_main, acc_each, total;
} msm_layout;

static void layout_for(msm_layout *l, const msm_plan *p, size_t n, unsigned threads) {
    l->half = 0;
    l->phi = l->half + msm_align64(n * sizeof(msm_half));
    l->win = l->phi + msm_align64(n * sizeof(fp_t));
    l->acc = l->win + msm_align64(p->nwin * p->k * sizeof(g1_t));
    l->acc_main = acc_scratch_size(p->group * p->nb * p->k, p->cap);
    l->acc_each = l->acc_main + (p->top_jac ? msm_align64(p->k * MSM_JAC_TOP_BUCKETS * sizeof(g1_t)) : 0);
    if (p->nb >= MSM_BATCHED_REDUCE_MIN)
        for (size_t nw = 1; nw <= p->group; nw++) {
            size_t r = l->acc_main + acc_reduce_batched_scratch_size(nw * p->k, p->nb);
            if (r > l->acc_each) l->acc_each = r;
        }
    l->total = l->acc + (size_t)threads * l->acc_each;
}

/* The largest layout over windows lo..hi (each as plan_for takes it: one outside 2..16
 * means the automatic choice) for k MSMs of n points in all, the largest of nmax. */
static size_t layout_max(size_t nmax, size_t n, size_t k, unsigned threads, unsigned lo, unsigned hi) {
    size_t total = 0;
    for (unsigned c = lo;; c++) { /* lo ≤ hi; hi may be UINT_MAX (a forced window out of range) */
        msm_plan p;
        msm_layout l;
        plan_for(&p, nmax, k, threads, c, NULL);
        layout_for(&l, &p, n, threads);
        if (l.total > total) total = l.total;
        if (c == hi) return total;
    }
}

/* Monotonic in n, so that scratch sized for n serves every smaller MSM too (callers size it
 * once for their largest n): the window choice grows with n, and the window-dependent part
 * is taken as its maximum over all windows up to the largest one a profile may pick. */
size_t g1_msm_raw_scratch_size(size_t n) {
    return n ? layout_max(n, n, 1, 1, 2, window_max(n)) : 0;
}

size_t g1_msm_window_scratch_size(size_t n, unsigned c) {
    return n ? layout_max(n, n, 1, 1, c, c) : 0;
}

size_t g1_msm_par_scratch_size(size_t n, unsigned threads) {
    if (threads == 0) threads = 1;
    return n ? layout_max(n, n, 1, threads, 2, window_max(n)) : 0; /* any window a profile may pick */
}

size_t g1_msm_scratch_size(size_t n) {
    if (n == 0) return 0;
    return msm_align64(n * sizeof(msm_scalar)) + g1_msm_raw_scratch_size(n);
}

/* ---- the MSM body -------------------------------------------------------------------- */

/* The MSMs of a run: k segments, segment t of seg[t] points and scalars (its own arrays);
 * point j of segment t is index off + j of the scratch arrays (off: the segments before). */
typedef struct msm_job {
    const msm_plan *plan;
    const msm_layout *lay;
    uint8_t *scratch;
    const g1_aff_t *const *points;
    const msm_scalar *const *scalars;
    const size_t *seg;
    size_t n; /* Σ seg */
} msm_job;

/* Halves and φ(P).x of the points with indices [begin, end) of the concatenation. */
static void prep_task(void *arg, size_t begin, size_t end, unsigned thread) {
    const msm_job *j = arg;
    msm_half *h = (msm_half *)(j->scratch + j->lay->half);
    fp_t *phi = (fp_t *)(j->scratch + j->lay->phi);
    size_t t = 0, off = 0;
    for (size_t i = begin; i < end; i++) {
        while (i - off >= j->seg[t]) off += j->seg[t++];
        const g1_aff_t *pt = &j->points[t][i - off];
        if (g1_aff_is_inf(pt)) {
            memset(&h[i], 0, sizeof h[i]); /* both halves zero: the point is skipped */
            continue;
        }
        msm_glv_split(&h[i], j->scalars[t][i - off].l);
        fp_mul(&phi[i], &pt->x, &MSM_BETA);
    }
}

/* Window sums of windows [group·g, group·g + group) ∩ [0, nwin), for each g in [begin, end),
 * of every segment: win[w·k + t] for window w of segment t (bucket block (w − w0)·k + t of
 * the group's accumulator, so one batched reduction covers them all). The top window goes
 * to Jacobian buckets when it has too few of them (plan->top_jac). */
static void window_task(void *arg, size_t begin, size_t end, unsigned thread) {
    const msm_job *j = arg;
    const msm_plan *p = j->plan;
    const size_t k = p->k;
    const msm_half *h = (const msm_half *)(j->scratch + j->lay->half);
    const fp_t *phi = (const fp_t *)(j->scratch + j->lay->phi);
    g1_t *win = (g1_t *)(j->scratch + j->lay->win);
    uint8_t *accmem = j->scratch + j->lay->acc + (size_t)thread * j->lay->acc_each;
    g1_t *jb = (g1_t *)(accmem + j->lay->acc_main); /* [k][MSM_JAC_TOP_BUCKETS] */
    int32_t d[MSM_HALF_BITS + 1];

    for (size_t g = begin; g < end; g++) {
        size_t w0 = g * p->group, w1 = w0 + p->group;
        if (w1 > p->nwin) w1 = p->nwin;
        bool jac = p->top_jac && w1 == p->nwin; /* this group holds the top window */
        size_t wa = jac ? w1 - 1 : w1;          /* windows [w0, wa) in affine buckets */
        acc a;
        acc_init(&a, accmem, (wa - w0) * k * p->nb, p->cap);
        if (jac)
            for (size_t t = 0; t < k; t++)
                for (size_t b = 0; b < p->top_max; b++) g1_set_inf(&jb[t * MSM_JAC_TOP_BUCKETS + b]);
        for (size_t t = 0, i = 0; t < k; t++) {
            for (size_t e = 0; e < j->seg[t]; e++, i++) {
                const g1_aff_t *pt = &j->points[t][e];
                for (int half = 0; half < 2; half++) {
                    const uint64_t *v = half ? h[i].q : h[i].k0;
                    if (!v[0] && !v[1]) continue;
                    msm_recode128(d, v, p->c, w1);
                    const fp_t *x = half ? &phi[i] : &pt->x;
                    for (size_t w = w0; w < wa; w++) {
                        int32_t dw = d[w];
                        if (!dw) continue;
                        /* -φ(P) = (βx, -y); a negative half adds its point negated */
                        uint32_t neg = (dw < 0) ^ (uint32_t)half ^ ((h[i].neg >> half) & 1);
                        uint32_t mag = (uint32_t)(dw < 0 ? -dw : dw);
                        acc_add(&a, (uint32_t)(((w - w0) * k + t) * p->nb + mag - 1), x, &pt->y,
                                neg ? ACC_NEG : 0);
                    }
                    if (jac && d[w1 - 1]) { /* top digits are never negative (≤ 2^(c-1)) */
                        g1_aff_t q = {*x, pt->y};
                        g1_t *b = &jb[t * MSM_JAC_TOP_BUCKETS + (size_t)d[w1 - 1] - 1];
                        if (half ^ ((h[i].neg >> half) & 1)) fp_neg(&q.y, &q.y);
                        g1_add_aff(b, b, &q);
                    }
                }
            }
        }
        acc_finish(&a);
        if (jac) /* Σ (b+1)·jb[b] by running sums, before the reduction reuses jb's memory */
            for (size_t t = 0; t < k; t++) {
                g1_t sum, tot;
                g1_set_inf(&sum);
                g1_set_inf(&tot);
                for (size_t b = p->top_max; b-- > 0;) {
                    g1_add(&sum, &sum, &jb[t * MSM_JAC_TOP_BUCKETS + b]);
                    g1_add(&tot, &tot, &sum);
                }
                win[(w1 - 1) * k + t] = tot;
            }
        if (p->nb >= MSM_BATCHED_REDUCE_MIN && wa > w0)
            acc_reduce_batched(&win[w0 * k], &a, (wa - w0) * k, p->nb, accmem + j->lay->acc_main);
        else
            for (size_t b = 0; b < (wa - w0) * k; b++) acc_reduce(&win[w0 * k + b], &a, b * p->nb, p->nb);
    }
}

/* out[t] = the MSM of segment t, for t < k. The plan's window is the one for the largest
 * segment (c, or the profile's). */
static void pippenger_run(g1_t *out, const g1_aff_t *const *points, const msm_scalar *const *scalars,
                          const size_t *seg, size_t k, const msm_windows *profile, void *scratch,
                          unsigned threads, msm_runner_fn run, void *runner, unsigned c) {
    size_t n = 0, nmax = 0;
    for (size_t t = 0; t < k; t++) {
        g1_set_inf(&out[t]);
        n += seg[t];
        nmax = seg[t] > nmax ? seg[t] : nmax;
    }
    if (n == 0) return;
    msm_plan p;
    msm_layout l;
    /* The plan (and so the scratch layout) follows the requested thread count even when no
     * runner is given: the caller sized the scratch for it. */
    plan_for(&p, nmax, k, threads, c, profile);
    layout_for(&l, &p, n, threads);
    msm_job j = {&p, &l, scratch, points, scalars, seg, n};
    size_t ngroups = (p.nwin + p.group - 1) / p.group;
    if (threads > 1 && run) {
        run(runner, n, (n + 4 * threads - 1) / (4 * threads), prep_task, &j);
        run(runner, ngroups, 1, window_task, &j);
    } else {
        prep_task(&j, 0, n, 0);
        window_task(&j, 0, ngroups, 0);
    }
    const g1_t *win = (const g1_t *)((uint8_t *)scratch + l.win);
    for (size_t t = 0; t < k; t++) {
        g1_t res = win[(p.nwin - 1) * k + t];
        for (size_t w = p.nwin - 1; w-- > 0;) {
            if (!g1_is_inf(&res))
                for (unsigned b = 0; b < p.c; b++) g1_dbl(&res, &res);
            g1_add(&res, &res, &win[w * k + t]);
        }
        out[t] = res;
    }
}

static void pippenger_one(g1_t *out, const g1_aff_t *points, const msm_scalar *scalars, size_t n,
                          const msm_windows *profile, void *scratch, unsigned threads, msm_runner_fn run,
                          void *runner, unsigned c) {
    pippenger_run(out, &points, &scalars, &n, 1, profile, scratch, threads, run, runner, c);
}

void g1_msm_raw_var(g1_t *out, const g1_aff_t *points, const msm_scalar *scalars, size_t n,
                    const msm_windows *w, void *scratch) {
    pippenger_one(out, points, scalars, n, w, scratch, 1, NULL, NULL, 0);
}

void g1_msm_window_var(g1_t *out, const g1_aff_t *points, const msm_scalar *scalars, size_t n,
                       unsigned c, void *scratch) {
    pippenger_one(out, points, scalars, n, NULL, scratch, 1, NULL, NULL, c);
}

void g1_msm_raw_par_var(g1_t *out, const g1_aff_t *points, const msm_scalar *scalars, size_t n,
                        const msm_windows *w, void *scratch, unsigned threads, msm_runner_fn run,
                        void *runner) {
    pippenger_one(out, points, scalars, n, w, scratch, threads ? threads : 1, run, runner, 0);
}

size_t g1_msm_joint_scratch_size(const size_t *seg, size_t k, unsigned window) {
    size_t n = 0, nmax = 0;
    for (size_t t = 0; t < k; t++) {
        n += seg[t];
        nmax = seg[t] > nmax ? seg[t] : nmax;
    }
    if (n == 0) return 0;
    if (window >= 2 && window <= MSM_MAX_WINDOW) return layout_max(nmax, n, k, 1, window, window);
    return layout_max(nmax, n, k, 1, 2, window_max(nmax)); /* any window a profile may pick */
}

void g1_msm_raw_joint_var(g1_t *out, const g1_aff_t *const *points, const msm_scalar *const *scalars,
                          const size_t *seg, size_t k, const msm_windows *w, unsigned c, void *scratch) {
    pippenger_run(out, points, scalars, seg, k, w, scratch, 1, NULL, NULL, c);
}

void g1_msm_var(g1_t *out, const g1_aff_t *points, const fr_t *scalars, size_t n,
                const msm_windows *w, void *scratch) {
    g1_set_inf(out);
    if (n == 0) return;
    msm_scalar *raw = scratch;
    for (size_t i = 0; i < n; i++) fr_to_raw(raw[i].l, &scalars[i]);
    g1_msm_raw_var(out, points, raw, n, w, (uint8_t *)scratch + msm_align64(n * sizeof(msm_scalar)));
}
