/*
 * test_msm_engine — msm_run, the msm layer's entry point, against g1_msm_raw_var on every
 * path it can choose: no points, one or two points (a GLV chain), Pippenger on one thread
 * and over a runner, many MSMs at once (in chunks over a runner), a whole fixed-base table
 * and slices of one; scalars as plain integers and in Montgomery form; and msm_run_many
 * (independent MSMs cut into one run of points per thread) against each MSM alone. The runner here runs
 * the chunks one after another but names a different thread for each, so that per-thread
 * scratch is exercised. Run on every backend by ctest (_portable, _mulx, default).
 */
#include <stdlib.h>

#include "msm/msm.h"
#include "testrand.h"

static void rand_fr(fr_t *k) {
    uint8_t b[32];
    testrand_bytes_edge(b, 32);
    fr_from_bytes_be_reduce(k, b);
}

static void make_inputs(g1_aff_t *p, msm_scalar *s, fr_t *f, size_t n) {
    g1_t g, q;
    g1_from_aff(&g, &G1_GENERATOR_AFF);
    for (size_t i = 0; i < n; i++) {
        fr_t k;
        rand_fr(&k);
        g1_mul_var(&q, &g, &k);
        g1_to_aff(&p[i], &q);
        if (testrand_range(10) == 0) memset(&p[i], 0, sizeof p[i]); /* infinity */
        if (i && testrand_range(10) == 0) p[i] = p[i - 1];             /* repeated */
        rand_fr(&f[i]);
        fr_to_raw(s[i].l, &f[i]);
    }
}

/* The reference: g1_msm_raw_var on one slice. */
static void single(g1_t *out, const g1_aff_t *p, const msm_scalar *s, size_t m) {
    void *scratch = malloc(g1_msm_raw_scratch_size(m) + 1);
    g1_msm_raw_var(out, p, s, m, NULL, scratch);
    free(scratch);
}

static void fake_run(void *runner, size_t n, size_t grain, msm_task_fn fn, void *arg) {
    unsigned threads = *(const unsigned *)runner, t = 0;
    for (size_t b = 0; b < n; b += grain, t = (t + 1) % threads)
        fn(arg, b, b + grain < n ? b + grain : n, t);
}

/* k MSMs of m points, over the points or the table's points first.., on `threads`. */
static bool check(const g1_aff_t *pts, const msm_table *t, size_t first, const msm_scalar *s,
                  const fr_t *f, size_t k, size_t m, unsigned threads, bool use_fr) {
    g1_t *got = malloc((k ? k : 1) * sizeof *got);
    msm_request rq = {.k = k, .m = m, .points = t ? NULL : pts, .table = t, .first = first,
                      .scalars = use_fr ? NULL : s, .fr_scalars = use_fr ? f : NULL,
                      .threads = threads, .run = fake_run, .runner = &threads};
    bool ok = msm_run(got, &rq) == KZG_OK;
    for (size_t j = 0; j < k && ok; j++) {
        g1_t want;
        const g1_aff_t *slice = t ? &t->entries[0] : pts; /* row 0 of a table entry is the point */
        if (t) {
            g1_aff_t *row = malloc(m * sizeof *row + 1);
            for (size_t i = 0; i < m; i++) row[i] = t->entries[(first + j * m + i) * t->nwin];
            single(&want, row, &s[j * m], m);
            free(row);
        } else {
            single(&want, &slice[j * m], &s[j * m], m);
        }
        ok = g1_eq(&got[j], &want) && g1_is_inf(&got[j]) == g1_is_inf(&want);
    }
    free(got);
    return ok;
}

static void test_msm_engine__every_path_matches_pippenger(void) {
    enum { N = 320 };
    static g1_aff_t p[N];
    static msm_scalar s[N];
    static fr_t f[N];
    make_inputs(p, s, f, N);
    static const size_t ms[] = {0, 1, 2, 3, 64, 300};
    for (size_t a = 0; a < sizeof ms / sizeof *ms; a++)
        for (unsigned threads = 1; threads <= 3; threads += 2)
            for (int use_fr = 0; use_fr < 2; use_fr++)
                CHECK(check(p, NULL, 0, s, f, 1, ms[a], threads, use_fr),
                      "one MSM of %zu points, %u threads, %s scalars", ms[a], threads, use_fr ? "fr" : "raw");
    for (size_t k = 2; k <= 9; k += 7)
        for (unsigned threads = 1; threads <= 4; threads++)
            CHECK(check(p, NULL, 0, s, f, k, 30, threads, threads & 1),
                  "%zu MSMs of 30 points, %u threads", k, threads);

    msm_table *t = NULL;
    CHECK(msm_table_new(&t, p, 64, 6, NULL, 1, NULL, NULL) == KZG_OK, "table");
    if (t) {
        for (unsigned threads = 1; threads <= 2; threads++)
            CHECK(check(p, t, 0, s, f, 1, 64, threads, threads == 2), "the whole table, %u threads", threads);
        CHECK(check(p, t, 3, s, f, 4, 14, 3, false), "4 slices of a table");
        CHECK(check(p, t, 10, s, f, 1, 20, 1, true), "one slice of a table");
    }
    msm_table_free(t);
}

/* msm_run_many: each sum equals its MSM alone, whatever the sizes (empty ones, pieces
 * of one or two points, a cut inside any MSM, more threads than MSM_MANY_MIN allows) and
 * the thread count; Montgomery-form scalars too. */
static void test_msm_engine__many_matches_each_alone(void) {
    enum { N = 320 };
    static g1_aff_t p[N];
    static msm_scalar s[N];
    static fr_t f[N];
    make_inputs(p, s, f, N);
    /* The last four rows run jointly on one thread (all over two points, within a factor 4). */
    static const size_t sets[][3] = {{0, 0, 0},   {1, 2, 0},   {3, 64, 0},    {64, 129, 0},
                                     {0, 97, 1},  {31, 33, 2}, {5, 300, 15},  {200, 0, 120},
                                     {64, 129, 3 * 43}, {3, 5, 12}, {40, 40, 40}, {75, 300, 120}};
    for (size_t a = 0; a < sizeof sets / sizeof *sets; a++)
        for (unsigned threads = 1; threads <= 5; threads++)
            for (int use_fr = 0; use_fr < 2; use_fr++) {
                msm_request rq[3];
                g1_t got[3], want;
                size_t off = 0;
                for (size_t i = 0; i < 3; i++) {
                    size_t m = sets[a][i];
                    if (off + m > N) off = 0;
                    rq[i] = (msm_request){.k = 1, .m = m, .points = &p[off], .scalars = use_fr ? NULL : &s[off],
                                          .fr_scalars = use_fr ? &f[off] : NULL};
                    off += m;
                }
                bool ok = msm_run_many(got, rq, 3, threads, fake_run, &threads) == KZG_OK;
                for (size_t i = 0; i < 3 && ok; i++) {
                    size_t at = (size_t)(rq[i].points - p);
                    single(&want, rq[i].points, &s[at], rq[i].m);
                    ok = g1_eq(&got[i], &want) && g1_is_inf(&got[i]) == g1_is_inf(&want);
                }
                CHECK(ok, "msm_run_many of %zu + %zu + %zu points, %u threads, %s scalars", sets[a][0],
                      sets[a][1], sets[a][2], threads, use_fr ? "fr" : "raw");
            }
    /* No runner: one after the other, whatever the thread count. */
    msm_request one = {.k = 1, .m = 100, .points = p, .scalars = s};
    g1_t got, want;
    single(&want, p, s, 100);
    CHECK(msm_run_many(&got, &one, 1, 4, NULL, NULL) == KZG_OK && g1_eq(&got, &want), "msm_run_many without a runner");
}

/* g1_msm_raw_joint_var: each segment's sum equals its MSM alone, for 1 to 5 segments of
 * sizes from 0 up (any ratio: the function takes any; msm_run_many only sends alike ones),
 * at every window 2..16 and the automatic one, with infinity and repeated points, zero
 * scalars, and a segment whose points cancel (P and −P with the same scalar: a bucket
 * emptied by P + (−P)). */
static void test_msm_engine__joint_matches_each_alone(void) {
    enum { N = 400, K = 5 };
    static g1_aff_t p[N];
    static msm_scalar s[N];
    static fr_t f[N];
    make_inputs(p, s, f, N);
    for (size_t i = 0; i < 20; i++) memset(&s[i * 17], 0, sizeof s[0]); /* zero scalars */
    /* points 380..399: ten points and their negations, with equal scalars */
    for (size_t i = 0; i < 10; i++) {
        g1_aff_neg(&p[390 + i], &p[380 + i]);
        s[390 + i] = s[380 + i];
    }
    static const size_t sizes[][K] = {{100, 0, 0, 0, 0},   {64, 129, 0, 0, 0},  {3, 300, 0, 0, 0},
                                      {0, 7, 0, 40, 0},    {128, 193, 20, 0, 0}, {1, 2, 3, 4, 5},
                                      {50, 60, 70, 80, 90}};
    for (size_t a = 0; a < sizeof sizes / sizeof *sizes; a++)
        for (unsigned c = 0; c <= 16; c += (c == 0 ? 2 : 1)) {
            const g1_aff_t *pts[K];
            const msm_scalar *scs[K];
            size_t seg[K], k = 0, off = 0;
            for (size_t t = 0; t < K; t++) {
                if (t > 0 && sizes[a][t] == 0 && sizes[a][t - 1] == 0) break;
                seg[k] = sizes[a][t];
                if (off + seg[k] > 380) off = 0;
                pts[k] = &p[off];
                scs[k] = &s[off];
                off += seg[k++];
            }
            g1_t got[K], want;
            void *scratch = malloc(g1_msm_joint_scratch_size(seg, k, c) + 1);
            g1_msm_raw_joint_var(got, pts, scs, seg, k, NULL, c, scratch);
            free(scratch);
            bool ok = true;
            for (size_t t = 0; t < k && ok; t++) {
                single(&want, pts[t], scs[t], seg[t]);
                ok = g1_eq(&got[t], &want) && g1_is_inf(&got[t]) == g1_is_inf(&want);
            }
            CHECK(ok, "joint MSM, size set %zu (%zu segments), window %u", a, k, c);
        }
    /* the cancelling points alone: infinity */
    const g1_aff_t *pc = &p[380];
    const msm_scalar *sc = &s[380];
    size_t n20 = 20, n0[2] = {20, 20};
    g1_t got[2];
    void *scratch = malloc(g1_msm_joint_scratch_size(n0, 2, 0));
    const g1_aff_t *pp[2] = {pc, pc};
    const msm_scalar *ss[2] = {sc, sc};
    g1_msm_raw_joint_var(got, pp, ss, n0, 2, NULL, 0, scratch);
    free(scratch);
    CHECK(g1_is_inf(&got[0]) && g1_is_inf(&got[1]), "P and −P with equal scalars sum to infinity (%zu points)", n20);
}

int main(void) {
    testrand_init("test_msm_engine");
    test_msm_engine__every_path_matches_pippenger();
    test_msm_engine__many_matches_each_alone();
    test_msm_engine__joint_matches_each_alone();
    return test_report();
}
