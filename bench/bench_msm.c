/*
 * bench/bench_msm.c — G1 MSM at 256..4096 points: variable base (GLV + batch-affine
 * Pippenger) and fixed base (precomputed tables), on 1 and 2 threads; medians.
 *
 * Points: the embedded setup's Lagrange basis (the real commitment workload); scalars:
 * uniform random canonical field elements from a fixed seed. Inputs, scratch, pools and
 * tables are prepared outside the timed region; every result is checked against the
 * single-thread variable-base MSM. Sizes, variants and thread counts are interleaved
 * round-robin within each sample round so that machine noise spreads over all of them.
 *
 *   bench_msm [--samples N] [--sizes 256,1024,4096] [--threads 1,2] [--table-window C]
 *             [--json FILE]
 *   bench_msm --one variable|table N C
 *   bench_msm --ctx C CACHE_FILE [THREADS]
 *
 * --one runs a single MSM of N points with window C (variable: g1_msm_window_var; table:
 * msm_table_msm_var over a table built first) and nothing else timed, for instruction counts:
 *   valgrind --tool=callgrind --toggle-collect=g1_msm_window_var bench_msm --one variable 4096 10
 *   valgrind --tool=callgrind --toggle-collect=msm_table_msm_var bench_msm --one table 4096 13
 * --ctx times the public context with fixed-base tables of window C: kzg_ctx_new without
 * tables (median of 21), with tables built (no cache), with CACHE_FILE absent (build + write)
 * and present (load), and blob_to_kzg_commitment with and without tables (median of 7).
 *
 * Output: one line per (size, variant, threads) with the median, min and max in ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kzgkit.h"
#include "msm/msm.h"
#include "runtime/pool.h"
#include "setup/setup.h"

#define MAX_CASES 64

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rng_next(void) { /* splitmix64 */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void run_on_pool(void *runner, size_t n, size_t grain, msm_task_fn fn, void *arg) {
    pool_parallel_for(runner, n, grain, fn, arg);
}

typedef struct bcase {
    size_t n;
    int fixed;          /* 0 variable base, 1 table */
    unsigned threads;
    double *t;
} bcase;

static int parse_list(size_t *out, int max, const char *s) {
    int k = 0;
    while (*s && k < max) {
        out[k++] = strtoul(s, (char **)&s, 10);
        if (*s == ',') s++;
        else break;
    }
    return k;
}

static void random_scalars(msm_scalar *sc, size_t n);

/* --one MODE N C: one MSM, for callgrind. */
static int run_one(const char *mode, size_t n, unsigned c) {
    if (n == 0 || n > SETUP_N_G1 || c < 2 || c > 16) {
        fprintf(stderr, "bench_msm --one: N in 1..%d, C in 2..16\n", SETUP_N_G1);
        return 2;
    }
    const g1_aff_t *pts = SETUP_EMBEDDED.tables.g1_lagrange_brp;
    msm_scalar *sc = malloc(n * sizeof *sc);
    random_scalars(sc, n);
    g1_t out, ref;
    void *rs = malloc(g1_msm_raw_scratch_size(n));
    g1_msm_raw_var(&ref, pts, sc, n, NULL, rs);
    free(rs);
    int bad = 0;
    if (!strcmp(mode, "variable")) {
        void *s = malloc(g1_msm_window_scratch_size(n, c));
        g1_msm_window_var(&out, pts, sc, n, c, s);
        free(s);
    } else if (!strcmp(mode, "table") && c >= MSM_TABLE_MIN_WINDOW) {
        msm_table t = {.c = c, .n = n, .nwin = msm_table_windows(c),
                       .entries = malloc(n * msm_table_windows(c) * sizeof(g1_aff_t))};
        void *bs = malloc(msm_table_build_scratch_size(c, n));
        msm_table_build_range(&t, pts, 0, n, bs);
        void *s = malloc(msm_table_msm_scratch_size(&t, 1));
        msm_table_msm_var(&out, &t, sc, s, 1, NULL, NULL, 0);
        free(s);
        free(bs);
        free(t.entries);
    } else {
        fprintf(stderr, "bench_msm --one: mode variable or table (table: C >= %d)\n", MSM_TABLE_MIN_WINDOW);
        free(sc);
        return 2;
    }
    bad = !g1_eq(&out, &ref);
    printf("%s MSM of %zu points, window %u: %s\n", mode, n, c, bad ? "WRONG" : "ok");
    free(sc);
    return bad;
}

static void random_scalars(msm_scalar *sc, size_t n) {
    for (size_t i = 0; i < n; i++) {
        for (;;) { /* rejection sampling below r */
            uint64_t v[4] = {rng_next(), rng_next(), rng_next(), rng_next() >> 1};
            fr_t f;
            uint8_t be[32];
            for (int k = 0; k < 32; k++) be[k] = (uint8_t)(v[3 - k / 8] >> (56 - 8 * (k % 8)));
            if (!fr_from_bytes_be(&f, be)) continue;
            memcpy(sc[i].l, v, sizeof v);
            break;
        }
    }
}

static double median(double *t, int n) {
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    return t[n / 2];
}

/* --ctx C CACHE [THREADS] */
static int run_ctx(unsigned c, const char *cache, unsigned threads) {
    kzg_ctx *ctx = NULL, *tab = NULL;
    double t[21];
    for (int i = 0; i < 21; i++) {
        double t0 = now_ms();
        if (kzg_ctx_new(&ctx, NULL) != KZG_OK) return 1;
        t[i] = now_ms() - t0;
        kzg_ctx_free(ctx);
    }
    printf("kzg_ctx_new, embedded setup, no tables: %.4f ms (median of 21)\n", median(t, 21));
    kzg_ctx_options o = {.struct_size = sizeof o, .threads = threads, .table_window = c};
    double t0 = now_ms();
    if (kzg_ctx_new(&tab, &o) != KZG_OK) {
        fprintf(stderr, "bench_msm --ctx: %s\n", kzg_last_error());
        return 1;
    }
    printf("kzg_ctx_new, tables c=%u, %u thread(s), built: %.1f ms\n", c, threads, now_ms() - t0);
    kzg_ctx_free(tab);
    remove(cache);
    o.table_cache_path = cache;
    for (int k = 0; k < 2; k++) {
        t0 = now_ms();
        if (kzg_ctx_new(&tab, &o) != KZG_OK) return 1;
        printf("kzg_ctx_new, tables c=%u, cache %s: %.1f ms\n", c, k ? "present (load)" : "absent (build + write)",
               now_ms() - t0);
        if (k == 0) kzg_ctx_free(tab);
    }
    kzg_ctx_options plain = {.struct_size = sizeof plain, .threads = threads};
    if (kzg_ctx_new(&ctx, &plain) != KZG_OK) return 1;
    kzg_blob *blob = malloc(sizeof *blob);
    msm_scalar *sc = malloc(SETUP_N_G1 * sizeof *sc);
    random_scalars(sc, SETUP_N_G1);
    for (size_t i = 0; i < SETUP_N_G1; i++) {
        fr_t f;
        fr_from_raw(&f, sc[i].l);
        fr_to_bytes_be(blob->bytes + 32 * i, &f);
    }
    double a[7], b[7];
    kzg_commitment c1, c2;
    for (int r = 0; r < 8; r++) { /* round 0: warm-up; interleaved */
        t0 = now_ms();
        kzg_blob_to_kzg_commitment(ctx, &c1, blob);
        double t1 = now_ms();
        kzg_blob_to_kzg_commitment(tab, &c2, blob);
        double t2 = now_ms();
        if (r) {
            a[r - 1] = t1 - t0;
            b[r - 1] = t2 - t1;
        }
    }
    int bad = memcmp(&c1, &c2, sizeof c1) != 0;
    printf("blob_to_kzg_commitment, %u thread(s): %.2f ms without tables, %.2f ms with c=%u (median of 7)%s\n",
           threads, median(a, 7), median(b, 7), c, bad ? " -- RESULTS DIFFER" : "");
    free(sc);
    free(blob);
    kzg_ctx_free(ctx);
    kzg_ctx_free(tab);
    return bad;
}

int main(int argc, char **argv) {
    if ((argc == 4 || argc == 5) && !strcmp(argv[1], "--ctx"))
        return run_ctx((unsigned)atoi(argv[2]), argv[3], argc == 5 ? (unsigned)atoi(argv[4]) : 1);
    if (argc == 5 && !strcmp(argv[1], "--one"))
        return run_one(argv[2], strtoul(argv[3], NULL, 10), (unsigned)atoi(argv[4]));
    int samples = 11;
    size_t sizes[8] = {256, 512, 1024, 2048, 4096};
    int nsizes = 5;
    size_t thr[4] = {1, 2};
    int nthr = 2;
    unsigned tw = 12;
    const char *json = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--samples") && i + 1 < argc) samples = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--sizes") && i + 1 < argc) nsizes = parse_list(sizes, 8, argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) nthr = parse_list(thr, 4, argv[++i]);
        else if (!strcmp(argv[i], "--table-window") && i + 1 < argc) tw = (unsigned)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--json") && i + 1 < argc) json = argv[++i];
        else {
            fprintf(stderr, "usage: bench_msm [--samples N] [--sizes A,B] [--threads 1,2] "
                            "[--table-window C] [--json FILE]\n");
            return 2;
        }
    }
    if (samples < 1) samples = 1;
    const g1_aff_t *pts = SETUP_EMBEDDED.tables.g1_lagrange_brp;
    msm_scalar *sc = malloc(SETUP_N_G1 * sizeof *sc);
    random_scalars(sc, SETUP_N_G1);

    /* Tables: one per size (a table covers exactly its points). */
    msm_table tabs[8];
    double build_ms[8];
    for (int s = 0; s < nsizes; s++) {
        msm_table *t = &tabs[s];
        t->c = tw;
        t->n = sizes[s];
        t->nwin = msm_table_windows(tw);
        t->entries = malloc(t->n * t->nwin * sizeof(g1_aff_t));
        void *bs = malloc(msm_table_build_scratch_size(tw, t->n));
        double t0 = now_ms();
        msm_table_build_range(t, pts, 0, t->n, bs);
        build_ms[s] = now_ms() - t0;
        free(bs);
    }
    pool_t *pools[4] = {0};
    for (int k = 0; k < nthr; k++) {
        if (pool_new(&pools[k], (unsigned)thr[k]) != KZG_OK) {
            fprintf(stderr, "bench_msm: cannot start a pool of %zu threads\n", thr[k]);
            return 1;
        }
    }

    bcase cases[MAX_CASES];
    int ncases = 0;
    for (int s = 0; s < nsizes; s++)
        for (int f = 0; f < 2; f++)
            for (int k = 0; k < nthr && ncases < MAX_CASES; k++) {
                cases[ncases] = (bcase){sizes[s], f, (unsigned)thr[k], calloc((size_t)samples, sizeof(double))};
                ncases++;
            }
    size_t scratch_size = 0;
    for (int c = 0; c < ncases; c++) {
        size_t a = g1_msm_par_scratch_size(cases[c].n, cases[c].threads);
        if (g1_msm_raw_scratch_size(cases[c].n) > a) a = g1_msm_raw_scratch_size(cases[c].n);
        size_t b = msm_table_msm_scratch_size(&tabs[0], cases[c].threads);
        for (int s = 0; s < nsizes; s++) {
            size_t bb = msm_table_msm_scratch_size(&tabs[s], cases[c].threads);
            if (bb > b) b = bb;
        }
        if (a > scratch_size) scratch_size = a;
        if (b > scratch_size) scratch_size = b;
    }
    void *scratch = malloc(scratch_size);
    g1_t ref[8];
    for (int s = 0; s < nsizes; s++) g1_msm_raw_var(&ref[s], pts, sc, sizes[s], NULL, scratch);

    int bad = 0;
    for (int r = -1; r < samples; r++) { /* r = -1: warm-up round */
        for (int c = 0; c < ncases; c++) {
            bcase *bc = &cases[c];
            int si = 0;
            while (sizes[si] != bc->n) si++;
            pool_t *pool = NULL;
            for (int k = 0; k < nthr; k++)
                if (thr[k] == bc->threads) pool = pools[k];
            g1_t out;
            double t0 = now_ms();
            if (bc->fixed)
                msm_table_msm_var(&out, &tabs[si], sc, scratch, bc->threads, run_on_pool, pool, 0);
            else
                g1_msm_raw_par_var(&out, pts, sc, bc->n, NULL, scratch, bc->threads, run_on_pool, pool);
            double dt = now_ms() - t0;
            if (r >= 0) bc->t[r] = dt;
            if (!g1_eq(&out, &ref[si])) bad++;
        }
    }

    FILE *jf = json ? fopen(json, "w") : NULL;
    if (jf) fprintf(jf, "{\"benchmark\":\"msm\",\"backend\":\"%s\",\"table_window\":%u,\"results\":[\n", kzg_backend(), tw);
    printf("kzgkit MSM benchmark — backend %s, %d samples (median of interleaved rounds)\n", kzg_backend(), samples);
    printf("table window %u: memory and build time (1 thread) per size:\n", tw);
    for (int s = 0; s < nsizes; s++)
        printf("  n=%-5zu %8.2f MiB  built in %8.1f ms\n", sizes[s],
               (double)(tabs[s].n * tabs[s].nwin * sizeof(g1_aff_t)) / (1 << 20), build_ms[s]);
    printf("%-6s %-9s %-7s %10s %10s %10s\n", "n", "method", "threads", "median", "min", "max");
    for (int c = 0; c < ncases; c++) {
        bcase *bc = &cases[c];
        qsort(bc->t, (size_t)samples, sizeof(double), cmp_double);
        double med = bc->t[samples / 2];
        printf("%-6zu %-9s %-7u %10.3f %10.3f %10.3f\n", bc->n, bc->fixed ? "table" : "variable",
               bc->threads, med, bc->t[0], bc->t[samples - 1]);
        if (jf)
            fprintf(jf, "%s{\"n\":%zu,\"method\":\"%s\",\"threads\":%u,\"median_ms\":%.4f,\"min_ms\":%.4f,\"max_ms\":%.4f}\n",
                    c ? "," : "", bc->n, bc->fixed ? "table" : "variable", bc->threads, med,
                    bc->t[0], bc->t[samples - 1]);
        free(bc->t);
    }
    if (jf) {
        fprintf(jf, "]}\n");
        fclose(jf);
    }
    if (bad) fprintf(stderr, "bench_msm: %d results differ from the reference MSM\n", bad);
    for (int k = 0; k < nthr; k++) pool_free(pools[k]);
    for (int s = 0; s < nsizes; s++) free(tabs[s].entries);
    free(scratch);
    free(sc);
    return bad ? 1 : 0;
}
