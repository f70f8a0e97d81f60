/*
 * test_msm_multi — many MSMs at once (msm/multi.c) against the single-MSM functions:
 * g1_msm_multi_var against g1_msm_raw_var on each slice, msm_table_multi_var against
 * msm_table_msm_var over a table of the slice's points alone (and both against each other).
 * Edge inputs: scalars 0, 1, r-1 and short ones, points at infinity, repeated and opposite
 * points inside one MSM and across MSMs (bucket additions that hit B = ±P), the same point
 * in every MSM; several k, m and windows, and the chunking a pool does (slices of the k
 * MSMs with their own scratch, as eip7594/fk20.c runs them on each thread). Run on every
 * backend by ctest (test/CMakeLists.txt: _portable, _mulx, and the default one).
 */
#include <stdlib.h>

#include "msm/msm.h"
#include "testrand.h"

static void rand_fr(fr_t *k) {
    uint8_t b[32];
    testrand_bytes_edge(b, 32);
    fr_from_bytes_be_reduce(k, b);
}

static void rand_point(g1_aff_t *p) {
    fr_t k;
    g1_t g, q;
    rand_fr(&k);
    g1_from_aff(&g, &G1_GENERATOR_AFF);
    g1_mul_var(&q, &g, &k);
    g1_to_aff(p, &q);
}

/* Random inputs for k·m points; `edge` mixes in the special scalars and points. */
static void make_inputs(g1_aff_t *p, msm_scalar *s, size_t n, bool edge) {
    fr_t minus_one, f, prev = FR_ZERO;
    fr_neg(&minus_one, &FR_ONE);
    for (size_t i = 0; i < n; i++) {
        rand_point(&p[i]);
        rand_fr(&f);
        if (edge) {
            switch (testrand_range(8)) {
            case 0: f = FR_ZERO; break;
            case 1: f = FR_ONE; break;
            case 2: f = minus_one; break;
            case 3: fr_from_u64(&f, testrand_range(1u << 10)); break;
            default: break;
            }
            switch (testrand_range(8)) {
            case 0: memset(&p[i], 0, sizeof p[i]); break;                  /* infinity */
            case 1: if (i) p[i] = p[i - 1]; break;                          /* repeated */
            case 2: if (i) g1_aff_neg(&p[i], &p[i - 1]); break;             /* opposite */
            case 3: if (i > 7) p[i] = p[testrand_range(i)]; break;          /* repeated, far */
            case 4: if (i) { p[i] = p[i - 1]; f = prev; } break;        /* P + P in a bucket */
            default: break;
            }
        }
        fr_to_raw(s[i].l, &f);
        prev = f;
    }
}

/* Σ_i s_i·P_i by g1_msm_raw_var: the reference the multi versions must equal. */
static void single(g1_t *out, const g1_aff_t *p, const msm_scalar *s, size_t m) {
    void *scratch = malloc(g1_msm_raw_scratch_size(m) + 1);
    g1_msm_raw_var(out, p, s, m, NULL, scratch);
    free(scratch);
}

/* shifted[q-1][i] = 2^(q·128/parts)·p[i] for q < parts (the copies g1_msm_multi_var cuts
 * the GLV halves over), by doublings; infinity stays infinity. */
static g1_aff_t **make_shifted(const g1_aff_t *p, size_t n, unsigned parts) {
    g1_aff_t **sh = calloc(MSM_MULTI_MAX_PARTS, sizeof *sh);
    for (unsigned q = 1; q < parts; q++) {
        sh[q - 1] = malloc(n * sizeof **sh);
        for (size_t i = 0; i < n; i++) {
            g1_t x;
            g1_from_aff(&x, &p[i]);
            for (unsigned b = 0; b < q * (128 / parts); b++) g1_dbl(&x, &x);
            g1_to_aff(&sh[q - 1][i], &x);
        }
    }
    return sh;
}

static void free_shifted(g1_aff_t **sh) {
    for (unsigned q = 0; q < MSM_MULTI_MAX_PARTS; q++) free(sh[q]);
    free(sh);
}

/* g1_msm_multi_var over [0, k) in `chunks` slices, each with scratch sized for the largest
 * slice (as a pool's threads do), against g1_msm_raw_var per MSM; with parts > 1 the
 * halves are cut over shifted copies of the points. */
static bool check_var_parts(const g1_aff_t *p, const msm_scalar *s, size_t k, size_t m,
                            unsigned c, size_t chunks, unsigned parts) {
    g1_t *got = malloc(k * sizeof *got);
    size_t most = (k + chunks - 1) / chunks;
    void *scratch = malloc(g1_msm_multi_scratch_size(most, m, parts, c) + 1);
    g1_aff_t **sh = make_shifted(p, k * m, parts);
    bool ok = true;
    for (size_t q = 0; q < chunks; q++) {
        size_t j0 = k * q / chunks, j1 = k * (q + 1) / chunks;
        const g1_aff_t *shq[MSM_MULTI_MAX_PARTS - 1] = {NULL, NULL, NULL};
        for (unsigned x = 1; x < parts; x++) shq[x - 1] = &sh[x - 1][j0 * m];
        g1_msm_multi_var(&got[j0], &p[j0 * m], shq, parts, &s[j0 * m], j1 - j0, m, c, scratch);
    }
    for (size_t j = 0; j < k && ok; j++) {
        g1_t want;
        single(&want, &p[j * m], &s[j * m], m);
        if (!g1_eq(&got[j], &want)) {
            ok = false;
            fprintf(stderr, "  MSM %zu of k = %zu, m = %zu, window %u, %zu chunks, %u parts differs\n",
                    j, k, m, c, chunks, parts);
        }
    }
    free_shifted(sh);
    free(scratch);
    free(got);
    return ok;
}

static bool check_var(const g1_aff_t *p, const msm_scalar *s, size_t k, size_t m, unsigned c,
                      size_t chunks) {
    return check_var_parts(p, s, k, m, c, chunks, 1);
}

static void test_msm_multi__var_matches_single_random(void) {
    static const size_t ks[] = {1, 2, 3, 7, 16, 33};
    static const size_t ms[] = {1, 2, 5, 16, 64, 65};
    for (size_t a = 0; a < KZG_ARRAY_LEN(ks); a++) {
        for (size_t b = 0; b < KZG_ARRAY_LEN(ms); b++) {
            size_t k = ks[a], m = ms[b], n = k * m;
            if (n > 1200) continue;
            g1_aff_t *p = malloc(n * sizeof *p);
            msm_scalar *s = malloc(n * sizeof *s);
            make_inputs(p, s, n, false);
            CHECK(check_var(p, s, k, m, 0, 1), "random: k = %zu, m = %zu (window %u)", k, m,
                  g1_msm_multi_window_bits(m, 1));
            free(p);
            free(s);
        }
    }
}

static void test_msm_multi__var_edge_inputs_windows_and_chunks(void) {
    enum { K = 12, M = 24, N = K * M };
    g1_aff_t *p = malloc(N * sizeof *p);
    msm_scalar *s = malloc(N * sizeof *s);
    static const unsigned windows[] = {0, 2, 3, 4, 5, 6, 8, 11, 15};
    static const size_t chunks[] = {1, 2, 5, 12};
    long rounds = test_iters(3);
    for (long r = 0; r < rounds; r++) {
        make_inputs(p, s, N, true);
        /* MSM 1 is P, -P, P, -P, ... with equal scalars (sum infinity); MSM 2 repeats one
         * point; MSM 3's points are all MSM 2's point (across-MSM equal points). */
        for (size_t t = 0; t < M; t++) {
            p[M + t] = p[0];
            if (t & 1) g1_aff_neg(&p[M + t], &p[0]);
            s[M + t] = s[M + (t & ~(size_t)1)];
            p[2 * M + t] = p[1];
            p[3 * M + t] = p[1];
        }
        for (size_t w = 0; w < KZG_ARRAY_LEN(windows); w++)
            CHECK(check_var(p, s, K, M, windows[w], chunks[w % KZG_ARRAY_LEN(chunks)]),
                  "edge round %ld, window %u", r, windows[w]);
    }
    /* All scalars zero, all points at infinity: every MSM is infinity. */
    memset(s, 0, N * sizeof *s);
    CHECK(check_var(p, s, K, M, 0, 1), "all scalars zero");
    make_inputs(p, s, N, false);
    memset(p, 0, N * sizeof *p);
    CHECK(check_var(p, s, K, M, 0, 3), "all points at infinity");
    /* k = 0 writes nothing and needs no scratch. */
    g1_msm_multi_var(NULL, NULL, NULL, 1, NULL, 0, M, 0, NULL);
    free(p);
    free(s);
}

/* msm_table_multi_var over rows [first, first + k·m) of a table, in chunks, against
 * msm_table_msm_var over a table of each MSM's m points and against g1_msm_raw_var. */
static void check_table(const g1_aff_t *p, const msm_scalar *s, size_t n, size_t first, size_t k,
                        size_t m, unsigned c, size_t chunks, const char *what) {
    msm_table t = {.c = c, .n = n, .nwin = msm_table_windows(c)};
    t.entries = malloc(n * t.nwin * sizeof *t.entries);
    void *bs = malloc(msm_table_build_scratch_size(c, n));
    msm_table_build_range(&t, p, 0, n, bs);
    free(bs);
    g1_t *got = malloc(k * sizeof *got);
    size_t most = (k + chunks - 1) / chunks;
    void *scratch = malloc(msm_table_multi_scratch_size(&t, most) + 1);
    for (size_t q = 0; q < chunks; q++) {
        size_t j0 = k * q / chunks, j1 = k * (q + 1) / chunks;
        msm_table_multi_var(&got[j0], &t, first + j0 * m, &s[j0 * m], j1 - j0, m, scratch, 0);
    }
    for (size_t j = 0; j < k; j++) {
        const g1_aff_t *pj = &p[first + j * m];
        g1_t want, want_t;
        single(&want, pj, &s[j * m], m);
        /* A table of this MSM's points alone: msm_table_msm_var's answer. */
        msm_table tj = {.c = c, .n = m, .nwin = t.nwin, .entries = t.entries + (first + j * m) * t.nwin};
        void *ts = malloc(msm_table_msm_scratch_size(&tj, 1));
        msm_table_msm_var(&want_t, &tj, &s[j * m], ts, 1, NULL, NULL, 0);
        free(ts);
        CHECK(g1_eq(&got[j], &want) && g1_eq(&got[j], &want_t),
              "%s: table MSM %zu of k = %zu, m = %zu, c = %u, first = %zu, %zu chunks", what, j, k,
              m, c, first, chunks);
    }
    free(scratch);
    free(got);
    free(t.entries);
}

/* Cut GLV halves (parts 2, 4 and 8, over shifted copies of the points): random and edge
 * inputs, every window the piece width allows, chunked — the windows that divide the width
 * (2, 4, 8) take the whole-half digits, the others the pieces' own; the automatic windows. */
static void test_msm_multi__cut_halves_match_single(void) {
    enum { K = 10, M = 24, N = K * M };
    g1_aff_t *p = malloc(N * sizeof *p);
    msm_scalar *s = malloc(N * sizeof *s);
    static const unsigned windows[] = {0, 2, 3, 4, 5, 6, 7, 8, 11, 15};
    static const size_t chunks[] = {1, 3, 10};
    static const unsigned parts[] = {2, 4, 8};
    long rounds = test_iters(2);
    for (long r = 0; r < rounds; r++) {
        make_inputs(p, s, N, r > 0);
        for (size_t q = 0; q < KZG_ARRAY_LEN(parts); q++)
            for (size_t w = 0; w < KZG_ARRAY_LEN(windows); w++) {
                if (windows[w] >= 128 / parts[q]) continue;
                CHECK(check_var_parts(p, s, K, M, windows[w], chunks[w % KZG_ARRAY_LEN(chunks)], parts[q]),
                      "round %ld, %u parts, window %u", r, parts[q], windows[w]);
            }
    }
    /* FK20's shape on the automatic window, and single MSMs of 1 and 64 points. */
    CHECK(check_var_parts(p, s, 3, 64, 0, 1, 2), "k = 3, m = 64, 2 parts (window %u)",
          g1_msm_multi_window_bits(64, 2));
    {
        /* FK20's whole shape, 128 MSMs of 64 points in 4 parts: its points exceed
         * MULTI_CHUNK_BYTES, so the MSMs are taken in chunks (and on 2 "threads"). */
        enum { FK = 128 * 64 };
        g1_aff_t *fp = malloc(FK * sizeof *fp);
        msm_scalar *fs = malloc(FK * sizeof *fs);
        make_inputs(fp, fs, FK, true);
        CHECK(check_var_parts(fp, fs, 128, 64, 0, 1, 4), "FK20 shape, 4 parts");
        CHECK(check_var_parts(fp, fs, 128, 64, 0, 2, 4), "FK20 shape, 4 parts, 2 chunks");
        free(fp);
        free(fs);
    }
    CHECK(check_var_parts(p, s, 1, 1, 0, 1, 4), "k = 1, m = 1, 4 parts");
    CHECK(check_var_parts(p, s, 1, 1, 0, 1, 8), "k = 1, m = 1, 8 parts");
    /* All points at infinity (their copies too). */
    memset(p, 0, N * sizeof *p);
    CHECK(check_var_parts(p, s, K, M, 0, 2, 2), "all points at infinity, 2 parts");
    printf("  windows for m = 64: %u (1 part), %u (2), %u (4), %u (8)\n", g1_msm_multi_window_bits(64, 1),
           g1_msm_multi_window_bits(64, 2), g1_msm_multi_window_bits(64, 4), g1_msm_multi_window_bits(64, 8));
    free(p);
    free(s);
}

static void test_msm_multi__table_matches_single(void) {
    enum { N = 200 };
    g1_aff_t *p = malloc(N * sizeof *p);
    msm_scalar *s = malloc(N * sizeof *s);
    long rounds = test_iters(2);
    for (long r = 0; r < rounds; r++) {
        make_inputs(p, s, N, r > 0);
        check_table(p, s, N, 0, 8, 16, 4, 1, "random");
        check_table(p, s, N, 8, 6, 30, 6, 2, "offset");
        check_table(p, s, N, 3, 1, 64, 8, 1, "one MSM");
        check_table(p, s, N, 0, 25, 8, 10, 4, "small MSMs");
        /* P and -P with the same scalar, and one point repeated, inside one MSM. */
        for (size_t t = 0; t < 16; t++) {
            p[t] = p[100];
            if (t & 1) g1_aff_neg(&p[t], &p[100]);
            s[t] = s[t & ~(size_t)1];
            p[16 + t] = p[101];
        }
        check_table(p, s, N, 0, 4, 16, 5, 1, "opposite and repeated");
    }
    memset(p, 0, N * sizeof *p);
    check_table(p, s, N, 0, 5, 10, 8, 2, "infinity");
    free(p);
    free(s);
}

int main(void) {
    testrand_init("test_msm_multi");
    test_msm_multi__var_matches_single_random();
    test_msm_multi__var_edge_inputs_windows_and_chunks();
    test_msm_multi__cut_halves_match_single();
    test_msm_multi__table_matches_single();
    return test_report();
}
