/*
 * test_msm_fast — the raw-scalar, parallel and fixed-base MSMs against the oracle
 * Σ g1_mul_raw_var(points[i], scalars[i]) (plain double-and-add, no GLV, so it shares
 * nothing with the code under test). Edge inputs: n = 0, 1, 2; zero scalars; r - 1;
 * scalars near multiples of z² (GLV split boundaries); repeated points, infinity points,
 * P and -P. The parallel paths run under a fake runner that executes the chunks in reverse
 * order on rotating thread indices, and must give the Jacobian result of the same thread
 * count run inline, bit for bit (the schedule changes nothing).
 */
#include <stdlib.h>

#include "msm/msm.h"
#include "testrand.h"

static const uint64_t R_MINUS_1[4] = {0xffffffff00000000ULL, 0x53bda402fffe5bfeULL,
                                      0x3339d80809a1d805ULL, 0x73eda753299d7d48ULL};
static const uint64_t Z2[2] = {0x0000000100000000ULL, 0xac45a4010001a402ULL};

static void rand_scalar(msm_scalar *s) {
    for (;;) {
        uint8_t b[32];
        fr_t f;
        testrand_bytes_edge(b, 32);
        if (testrand_range(2)) b[0] &= 0x7f;
        if (!fr_from_bytes_be(&f, b)) continue;
        for (int i = 0; i < 4; i++) {
            uint64_t v = 0;
            for (int k = 0; k < 8; k++) v = (v << 8) | b[(3 - i) * 8 + k];
            s->l[i] = v;
        }
        return;
    }
}

/* Edge scalars: 0, 1, r - 1, q·z² + {0, z² - 1} for small and large q. */
static void edge_scalar(msm_scalar *s) {
    memset(s, 0, sizeof *s);
    switch (testrand_range(8)) {
    case 0: break;
    case 1: s->l[0] = 1; break;
    case 2: memcpy(s->l, R_MINUS_1, sizeof R_MINUS_1); break;
    case 3: s->l[0] = Z2[0]; s->l[1] = Z2[1]; break;            /* z² */
    case 4: s->l[0] = Z2[0] - 1; s->l[1] = Z2[1]; break;        /* z² - 1 */
    case 5: { /* q·z² with q = 2^127 - 1 (below r/z²) */
        uint64_t q[2] = {~0ULL, 0x7fffffffffffffffULL};
        for (int i = 0; i < 2; i++) {
            unsigned __int128 c = 0;
            for (int j = 0; j < 2; j++) {
                c += (unsigned __int128)q[i] * Z2[j] + s->l[i + j];
                s->l[i + j] = (uint64_t)c;
                c >>= 64;
            }
            s->l[i + 2] = (uint64_t)c;
        }
        break;
    }
    default: rand_scalar(s); break;
    }
}

static void rand_point(g1_aff_t *p) {
    msm_scalar k;
    g1_t g, q;
    rand_scalar(&k);
    g1_from_aff(&g, &G1_GENERATOR_AFF);
    g1_mul_raw_var(&q, &g, k.l, 4);
    g1_to_aff(p, &q);
}

static void naive(g1_t *out, const g1_aff_t *p, const msm_scalar *s, size_t n) {
    g1_set_inf(out);
    for (size_t i = 0; i < n; i++) {
        g1_t a, t;
        g1_from_aff(&a, &p[i]);
        g1_mul_raw_var(&t, &a, s[i].l, 4);
        g1_add(out, out, &t);
    }
}

/* A runner that runs the chunks back to front, naming threads round-robin. */
typedef struct fake_runner { unsigned threads; } fake_runner;
static void fake_run(void *runner, size_t n, size_t grain, msm_task_fn fn, void *arg) {
    const fake_runner *fr = runner;
    if (grain == 0) grain = 1;
    size_t chunks = (n + grain - 1) / grain;
    for (size_t c = chunks; c-- > 0;) {
        size_t b = c * grain, e = b + grain < n ? b + grain : n;
        fn(arg, b, e, (unsigned)(c % fr->threads));
    }
}

static bool same_jacobian(const g1_t *a, const g1_t *b) { return memcmp(a, b, sizeof *a) == 0; }

static void check_all(const g1_aff_t *p, const msm_scalar *s, size_t n, const char *what) {
    g1_t want, got, par1;
    naive(&want, p, s, n);
    void *scratch = malloc(g1_msm_raw_scratch_size(n) + 1);
    g1_msm_raw_var(&got, p, s, n, NULL, scratch);
    free(scratch);
    CHECK(g1_eq(&got, &want), "%s: raw MSM of %zu points", what, n);
    for (unsigned t = 1; t <= 4; t++) {
        fake_runner fr = {t};
        g1_t par;
        scratch = malloc(g1_msm_par_scratch_size(n, t) + 1);
        g1_msm_raw_par_var(&par, p, s, n, NULL, scratch, t, fake_run, &fr);
        free(scratch);
        CHECK(g1_eq(&par, &want), "%s: parallel MSM of %zu points on %u threads", what, n, t);
        par1 = par;
        /* No runner: inline, on the scratch sized for t threads — the same plan, so the
         * same coordinates, whatever the schedule (the windows' grouping, and so the
         * Jacobian form, follows the thread count). */
        scratch = malloc(g1_msm_par_scratch_size(n, t) + 1);
        g1_msm_raw_par_var(&par, p, s, n, NULL, scratch, t, NULL, NULL);
        free(scratch);
        CHECK(g1_eq(&par, &want), "%s: MSM of %zu points for %u threads without a runner", what, n, t);
        CHECK(same_jacobian(&par, &par1), "%s: %u threads, runner and inline differ bitwise", what, t);
    }
    for (unsigned c = MSM_TABLE_MIN_WINDOW; c <= 13; c += 3) {
        if (n == 0) break;
        msm_table tab = {.c = c, .n = n, .nwin = msm_table_windows(c),
                         .entries = malloc(n * msm_table_windows(c) * sizeof(g1_aff_t))};
        void *bs = malloc(msm_table_build_scratch_size(c, n));
        msm_table_build_range(&tab, p, 0, n / 2, bs); /* two ranges: as a pool would */
        msm_table_build_range(&tab, p, n / 2, n, bs);
        free(bs);
        for (unsigned t = 1; t <= 3; t++) {
            fake_runner fr = {t};
            g1_t tg;
            scratch = malloc(msm_table_msm_scratch_size(&tab, t));
            msm_table_msm_var(&tg, &tab, s, scratch, t, fake_run, &fr, 0);
            free(scratch);
            CHECK(g1_eq(&tg, &want), "%s: table MSM (window %u) of %zu points on %u threads", what, c, n, t);
        }
        free(tab.entries);
    }
}

static void test_msm_fast__empty_one_two(void) {
    g1_t out;
    g1_msm_raw_var(&out, NULL, NULL, 0, NULL, NULL);
    CHECK(g1_is_inf(&out), "raw MSM of 0 points is not infinity");
    g1_msm_raw_par_var(&out, NULL, NULL, 0, NULL, NULL, 2, fake_run, &(fake_runner){2});
    CHECK(g1_is_inf(&out), "parallel MSM of 0 points is not infinity");
    g1_aff_t p[2];
    msm_scalar s[2];
    for (int round = 0; round < 20; round++) {
        rand_point(&p[0]);
        rand_point(&p[1]);
        edge_scalar(&s[0]);
        edge_scalar(&s[1]);
        check_all(p, s, 1, "n=1");
        check_all(p, s, 2, "n=2");
        p[1] = p[0]; /* repeated point: a doubling inside a bucket */
        check_all(p, s, 2, "n=2 repeated");
        g1_aff_neg(&p[1], &p[0]); /* P and -P */
        s[1] = s[0];
        check_all(p, s, 2, "n=2 P and -P");
    }
}

static void test_msm_fast__edge_mix(void) {
    static const size_t sizes[] = {3, 16, 33, 100, 300};
    for (size_t si = 0; si < KZG_ARRAY_LEN(sizes); si++) {
        size_t n = sizes[si];
        g1_aff_t *p = malloc(n * sizeof *p);
        msm_scalar *s = malloc(n * sizeof *s);
        for (size_t i = 0; i < n; i++) {
            rand_point(&p[i]);
            edge_scalar(&s[i]);
            switch (testrand_range(6)) {
            case 0: memset(&p[i], 0, sizeof p[i]); break;      /* infinity */
            case 1: if (i) p[i] = p[i - 1]; break;              /* repeated */
            case 2: if (i) g1_aff_neg(&p[i], &p[i - 1]); break; /* opposite */
            default: break;
            }
        }
        check_all(p, s, n, "edge mix");
        /* All the same point and scalar: every addition in a bucket is a doubling. */
        for (size_t i = 1; i < n; i++) {
            p[i] = p[0];
            s[i] = s[0];
        }
        check_all(p, s, n, "all equal");
        free(p);
        free(s);
    }
}

static void test_msm_fast__fr_entry_matches_raw(void) {
    enum { N = 64 };
    g1_aff_t p[N];
    msm_scalar s[N];
    fr_t f[N];
    for (size_t i = 0; i < N; i++) {
        rand_point(&p[i]);
        rand_scalar(&s[i]);
        fr_from_raw(&f[i], s[i].l);
    }
    g1_t a, b;
    void *scratch = malloc(g1_msm_scratch_size(N));
    g1_msm_var(&a, p, f, N, NULL, scratch);
    g1_msm_raw_var(&b, p, s, N, NULL, scratch);
    free(scratch);
    CHECK(g1_eq(&a, &b), "Montgomery-scalar and raw-scalar MSMs differ");
}

/* Callers size scratch once for their largest n: it must serve every smaller n. */
static void test_msm_fast__scratch_is_monotonic(void) {
    size_t prev = 0;
    unsigned prev_c = 0;
    for (size_t n = 1; n <= 70000; n += n < 5000 ? 1 : 997) {
        size_t s = g1_msm_scratch_size(n), r = g1_msm_raw_scratch_size(n);
        unsigned c = g1_msm_window_bits(n, NULL);
        if (s < prev || c < prev_c || r > s) {
            CHECK(false, "n = %zu: scratch %zu after %zu, window %u after %u", n, s, prev, c, prev_c);
            return;
        }
        prev = s;
        prev_c = c;
    }
    CHECK(true, "monotonic");
}

int main(void) {
    testrand_init("test_msm_fast");
    test_msm_fast__empty_one_two();
    test_msm_fast__edge_mix();
    test_msm_fast__fr_entry_matches_raw();
    test_msm_fast__scratch_is_monotonic();
    return test_report();
}
