/*
 * bench/bench_arith.c — ns/op of kzgkit's arithmetic primitives (field, curve, pairing).
 *
 * For the distance to blst, measured on the machine at hand rather than quoted: bench/blst/run.sh
 * builds blst from the copy c-kzg bundles and times the same primitives (and MSMs) of both
 * libraries side by side in one process.
 *
 * Method: each operation runs in a dependent chain (the output feeds the next input, so
 * the compiler cannot hoist or drop it and the CPU cannot overlap iterations); a sample is
 * the time of `iters` chained operations; the figure is the median of `samples` samples
 * after one warm-up sample. Inputs are prepared outside the timed region.
 *
 * Usage: bench_arith [--samples N] [--filter SUBSTRING]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/backend.h"
#include "backend/x86_64/ifma.h"
#include "curve/g1.h"
#include "curve/g2.h"
#include "pairing/pairing.h"

static int n_samples = 15;
static const char *filter;

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef void (*bench_fn)(void *state, long iters);

/* Runs fn, returns the median ns per operation. */
static double measure(bench_fn fn, void *state, long iters) {
    double *t = malloc(sizeof(double) * (size_t)n_samples);
    if (!t) return -1;
    fn(state, iters); /* warm-up */
    for (int s = 0; s < n_samples; s++) {
        double t0 = now_ns();
        fn(state, iters);
        t[s] = (now_ns() - t0) / (double)iters;
    }
    qsort(t, (size_t)n_samples, sizeof(double), cmp_double);
    double med = t[n_samples / 2];
    free(t);
    return med;
}

static void report(const char *name, bench_fn fn, void *state, long iters) {
    if (filter && !strstr(name, filter)) return;
    double ns = measure(fn, state, iters);
    char ours[32];
    if (ns >= 1e6) snprintf(ours, sizeof ours, "%.3f ms", ns / 1e6);
    else if (ns >= 1e3) snprintf(ours, sizeof ours, "%.2f us", ns / 1e3);
    else snprintf(ours, sizeof ours, "%.1f ns", ns);
    printf("%-34s %14s\n", name, ours);
    fflush(stdout);
}

/* ---- state and kernels ------------------------------------------------------------- */

static struct {
    fp_t a, b;
    fr_t ra, rb;
    g1_t p, q;
    g1_aff_t qa;
    uint8_t g1_enc[48];
    uint8_t g2_enc[96];
    g1_aff_t pa[2];
    g2_aff_t qa2[2];
    fp12_t gt;
    volatile int sink;
} S;

static void k_fp_mul(void *st, long n) { (void)st; for (long i = 0; i < n; i++) fp_mul(&S.a, &S.a, &S.b); }
#ifdef KZG_HAVE_IFMA_KERNELS
/* Eight lanes per call, so n/8 chained vector products: the figure is per lane. The lanes
 * start from eight different elements (S.a·b^l). */
static V8_TARGET void k_fp_mul_v8(void *st, long n) {
    (void)st;
    fp_t a[8], out[8];
    const void *pa[8], *pb[8];
    void *po[8];
    v8fp x, y;
    for (int l = 0; l < 8; l++) {
        if (l == 0) a[0] = S.a;
        else fp_mul(&a[l], &a[l - 1], &S.b);
        pa[l] = &a[l];
        pb[l] = &S.b;
        po[l] = &out[l];
    }
    v8_load_tr(&x, pa, 0);
    v8_load_tr(&y, pb, 0);
    for (long i = 0; i < n / 8; i++) v8_mul(&x, &x, &y);
    v8_store_tr(po, 0, &x);
    S.a = out[n % 8];
}
#endif
static void k_fp_sqr(void *st, long n) { (void)st; for (long i = 0; i < n; i++) fp_sqr(&S.a, &S.a); }
static void k_fp_inv(void *st, long n) {
    (void)st;
    for (long i = 0; i < n; i++) { fp_inv_var(&S.a, &S.a); fp_add(&S.a, &S.a, &S.b); }
}
static void k_fp_sqrt(void *st, long n) {
    (void)st;
    fp_t r;
    for (long i = 0; i < n; i++) { S.sink += fp_sqrt_var(&r, &S.a); fp_add(&S.a, &S.a, &r); }
}
static void k_fr_mul(void *st, long n) { (void)st; for (long i = 0; i < n; i++) fr_mul(&S.ra, &S.ra, &S.rb); }
static void k_fr_inv(void *st, long n) {
    (void)st;
    for (long i = 0; i < n; i++) { fr_inv_var(&S.ra, &S.ra); fr_add(&S.ra, &S.ra, &S.rb); }
}
static void k_g1_add(void *st, long n) { (void)st; for (long i = 0; i < n; i++) g1_add(&S.p, &S.p, &S.q); }
static void k_g1_madd(void *st, long n) { (void)st; for (long i = 0; i < n; i++) g1_add_aff(&S.p, &S.p, &S.qa); }
static void k_g1_dbl(void *st, long n) { (void)st; for (long i = 0; i < n; i++) g1_dbl(&S.p, &S.p); }
static void k_g1_decompress(void *st, long n) {
    (void)st;
    g1_aff_t r;
    for (long i = 0; i < n; i++) S.sink += (int)g1_decompress(&r, S.g1_enc);
}
static void k_g1_decompress_unchecked(void *st, long n) {
    (void)st;
    g1_aff_t r;
    for (long i = 0; i < n; i++) S.sink += (int)g1_decompress_unchecked(&r, S.g1_enc);
}
static void k_g1_subgroup(void *st, long n) { (void)st; for (long i = 0; i < n; i++) S.sink += g1_in_subgroup_var(&S.p); }
static void k_g2_decompress(void *st, long n) {
    (void)st;
    g2_aff_t r;
    for (long i = 0; i < n; i++) S.sink += (int)g2_decompress(&r, S.g2_enc);
}
static void k_pairing(void *st, long n) { (void)st; for (long i = 0; i < n; i++) pairing(&S.gt, &S.pa[0], &S.qa2[0]); }
static void k_pairing2(void *st, long n) {
    (void)st;
    for (long i = 0; i < n; i++) S.sink += pairing_product_is_one(S.pa, S.qa2, 2);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--samples") && i + 1 < argc) n_samples = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--filter") && i + 1 < argc) filter = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--samples N] [--filter SUBSTRING]\n", argv[0]);
            return 2;
        }
    }
    if (n_samples < 1) n_samples = 1;

    /* Inputs: fixed, non-trivial values derived from the generators. */
    fp_from_u64(&S.a, 0x1234567890abcdefULL);
    fp_from_u64(&S.b, 0xfedcba0987654321ULL);
    fp_mul(&S.b, &S.b, &G1_GENERATOR_AFF.x);
    fr_from_u64(&S.ra, 0x1234567890abcdefULL);
    fr_from_u64(&S.rb, 0x0fedcba987654321ULL);
    g1_t g;
    g1_from_aff(&g, &G1_GENERATOR_AFF);
    g1_mul_var(&S.p, &g, &S.ra);
    g1_mul_var(&S.q, &g, &S.rb);
    g1_to_aff(&S.qa, &S.q);
    g1_aff_t pa;
    g1_to_aff(&pa, &S.p);
    g1_compress(S.g1_enc, &pa);
    g2_t h, h2;
    g2_from_aff(&h, &G2_GENERATOR_AFF);
    g2_mul_var(&h2, &h, &S.rb);
    g2_aff_t ha;
    g2_to_aff(&ha, &h2);
    g2_compress(S.g2_enc, &ha);
    /* e(aG, bH) · e(-aG, bH) = 1: a true 2-pairing product check. */
    S.pa[0] = pa;
    g1_aff_neg(&S.pa[1], &pa);
    S.qa2[0] = ha;
    S.qa2[1] = ha;

    printf("kzgkit arithmetic benchmark — backend %s (KZGKIT_BACKEND=portable forces the portable C), "
           "median of %d samples\n", kzg_backend(), n_samples);
    printf("(blst on this machine, side by side: bench/blst/run.sh BUILD_DIR)\n");
    printf("%-34s %14s\n", "operation", "kzgkit");
    report("fp_mul", k_fp_mul, NULL, 200000);
#ifdef KZG_HAVE_IFMA_KERNELS
    if (backend_active()->batch_ifma) /* the MSM's batch-affine additions use it */
        report("fp_mul, 8 lanes IFMA (per lane)", k_fp_mul_v8, NULL, 400000);
#endif
    report("fp_sqr", k_fp_sqr, NULL, 200000);
    report("fp_inv_var", k_fp_inv, NULL, 2000);
    report("fp_sqrt_var", k_fp_sqrt, NULL, 500);
    report("fr_mul", k_fr_mul, NULL, 200000);
    report("fr_inv_var", k_fr_inv, NULL, 2000);
    report("g1_add (jacobian)", k_g1_add, NULL, 20000);
    report("g1_add_aff (mixed)", k_g1_madd, NULL, 20000);
    report("g1_dbl", k_g1_dbl, NULL, 20000);
    report("g1_decompress (no subgroup check)", k_g1_decompress_unchecked, NULL, 200);
    report("g1_decompress (with subgroup)", k_g1_decompress, NULL, 200);
    report("g1_in_subgroup_var", k_g1_subgroup, NULL, 200);
    report("g2_decompress (with subgroup)", k_g2_decompress, NULL, 50);
    report("pairing", k_pairing, NULL, 10);
    report("pairing_product_is_one (n=2)", k_pairing2, NULL, 10);
    if (!pairing_product_is_one(S.pa, S.qa2, 2)) {
        fprintf(stderr, "bench_arith: the 2-pairing product check is false: pairing is broken\n");
        return 1;
    }
    return 0;
}
