/*
 * bench/blst/bench_blst.c — kzgkit's arithmetic primitives side by side with blst's, in one
 * process, so that each kernel's distance to blst on the machine at hand is measured rather
 * than remembered.
 *
 * Built and run by bench/blst/run.sh, which compiles blst from the source the c-kzg npm
 * package bundles (deps/blst) and links it here next to libkzgkit_internal.a. Nothing of blst
 * is in this repository: this file only calls the functions blst.h declares.
 *
 * Method: for each operation both libraries run the same work on the same inputs (converted
 * through their canonical byte encodings), in a dependent chain where the operation allows it
 * (the output feeds the next input). A sample is `iters` calls; iters is calibrated once per
 * operation so that the slower library's sample takes about --target-ms (default 0.5 ms: short
 * samples, many of them (--samples, default 31), so that on a shared machine most samples
 * fall between two preemptions and the median is one of those). Samples alternate
 * kzgkit, blst, blst, kzgkit, ... (the first of each pair swaps every round), so drift in
 * clock speed or in the other processes' load falls on both. Reported: the median ns per call
 * of each, their ratio kzgkit/blst (below 1: kzgkit is faster), and the quartiles of the
 * per-round ratios (a wide range means the machine was noisy).
 *
 * Before timing, every pair is checked to compute the same value (field elements, points and
 * MSM results compared by their encodings; subgroup verdicts on a member and on a non-member;
 * blst's e(P, Q) against the cube of kzgkit's, coefficient by coefficient, and each library's
 * e(P, Q)·e(−P, Q) = 1); exit 1 on any difference.
 *
 * Usage: bench_blst [--samples N] [--target-ms X] [--sizes 64,256,1024,4096]
 *                   [--filter SUBSTRING] [--json PATH] [--markdown] [--quick]
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "blst.h"

#include "kzgkit.h"
#include "curve/g1.h"
#include "curve/g2.h"
#include "msm/msm.h"
#include "pairing/pairing.h"
#include "runtime/profile.h"

#include "../bench_rng.h"

#ifndef BENCH_BLST_ORIGIN /* run.sh says where blst came from and how it was built */
#define BENCH_BLST_ORIGIN "blst (origin not recorded)"
#endif
#ifndef BENCH_KZGKIT_REVISION
#define BENCH_KZGKIT_REVISION "unknown"
#endif

#define MAX_SIZES 16

static struct {
    int samples;
    double target_ns;
    size_t sizes[MAX_SIZES];
    int n_sizes;
    const char *filter, *json;
    int markdown;
} opt = {31, 5e5, {64, 256, 1024, 4096}, 4, NULL, NULL, 0};

static volatile int sink;

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile (0..1) of v[0..n), sorting v; linear between neighbours. */
static double quantile(double *v, int n, double q) {
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    double pos = q * (n - 1);
    int i = (int)pos;
    if (i + 1 >= n) return v[n - 1];
    return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

/* ---- inputs, one copy per library --------------------------------------------------- */

static struct {
    fp_t a, b;
    fr_t ra, rb;
    g1_t p, q, s;     /* chain accumulator, addend, subgroup member */
    g1_aff_t qa;
    g1_aff_t pa[2];   /* e(P, Q)·e(−P, Q) = 1 */
    g2_aff_t qa2[2];
    fp12_t gt;
} K;

static struct {
    blst_fp a, b;
    blst_fr ra, rb;
    blst_p1 p, q, s;
    blst_p1_affine qa;
    blst_p1_affine pa[2];
    blst_p2_affine qa2[2];
    blst_fp12 gt;
} B;

static uint8_t g1_enc[48], g2_enc[96];

/* MSM inputs: the same points and scalars for both (max size of --sizes). */
static struct {
    size_t n;
    g1_aff_t *kp;
    msm_scalar *ks;
    blst_p1_affine *bp;
    uint8_t *bs;          /* 32 bytes per scalar, little-endian, as blst reads them */
    void *kscratch, *bscratch;
    g1_t kout;
    blst_p1 bout;
} M;

/* ---- the kernels: (arg, iters); arg is the MSM size where one is needed -------------- */

typedef void (*kernel)(size_t arg, long iters);

static void k_fp_mul(size_t u, long n) { (void)u; for (long i = 0; i < n; i++) fp_mul(&K.a, &K.a, &K.b); }
static void b_fp_mul(size_t u, long n) { (void)u; for (long i = 0; i < n; i++) blst_fp_mul(&B.a, &B.a, &B.b); }
static void k_fp_sqr(size_t u, long n) { (void)u; for (long i = 0; i < n; i++) fp_sqr(&K.a, &K.a); }
static void b_fp_sqr(size_t u, long n) { (void)u; for (long i = 0; i < n; i++) blst_fp_sqr(&B.a, &B.a); }
/* a ← a⁻¹ + b: the addition keeps the chain from cycling between two values. */
static void k_fp_inv(size_t u, long n) {
    (void)u;
    for (long i = 0; i < n; i++) { fp_inv_var(&K.a, &K.a); fp_add(&K.a, &K.a, &K.b); }
}
static void b_fp_inv(size_t u, long n) {
    (void)u;
    for (long i = 0; i < n; i++) { blst_fp_inverse(&B.a, &B.a); blst_fp_add(&B.a, &B.a, &B.b); }
}
static void k_fp_sqrt(size_t u, long n) {
    (void)u;
    fp_t r;
    for (long i = 0; i < n; i++) { sink += fp_sqrt_var(&r, &K.a); fp_add(&K.a, &K.a, &r); }
}
static void b_fp_sqrt(size_t u, long n) {
    (void)u;
    blst_fp r;
    for (long i = 0; i < n; i++) { sink += blst_fp_sqrt(&r, &B.a); blst_fp_add(&B.a, &B.a, &r); }
}
static void k_fr_mul(size_t u, long n) { (void)u; for (long i = 0; i < n; i++) fr_mul(&K.ra, &K.ra, &K.rb); }
static void b_fr_mul(size_t u, long n) { (void)u; for (long i = 0; i < n; i++) blst_fr_mul(&B.ra, &B.ra, &B.rb); }
/* blst_p1_add_or_double has g1_add's contract (P = Q handled); blst_p1_add does not. */
static void k_g1_add(size_t u, long n) { (void)u; for (long i = 0; i < n; i++) g1_add(&K.p, &K.p, &K.q); }
static void b_g1_add(size_t u, long n) { (void)u; for (long i = 0; i < n; i++) blst_p1_add_or_double(&B.p, &B.p, &B.q); }
static void k_g1_madd(size_t u, long n) { (void)u; for (long i = 0; i < n; i++) g1_add_aff(&K.p, &K.p, &K.qa); }
static void b_g1_madd(size_t u, long n) {
    (void)u;
    for (long i = 0; i < n; i++) blst_p1_add_or_double_affine(&B.p, &B.p, &B.qa);
}
static void k_g1_dbl(size_t u, long n) { (void)u; for (long i = 0; i < n; i++) g1_dbl(&K.p, &K.p); }
static void b_g1_dbl(size_t u, long n) { (void)u; for (long i = 0; i < n; i++) blst_p1_double(&B.p, &B.p); }
static void k_g1_dec(size_t u, long n) {
    (void)u;
    g1_aff_t r;
    for (long i = 0; i < n; i++) sink += (int)g1_decompress_unchecked(&r, g1_enc);
}
static void b_g1_dec(size_t u, long n) {
    (void)u;
    blst_p1_affine r;
    for (long i = 0; i < n; i++) sink += (int)blst_p1_uncompress(&r, g1_enc);
}
static void k_g1_dec_sub(size_t u, long n) {
    (void)u;
    g1_aff_t r;
    for (long i = 0; i < n; i++) sink += (int)g1_decompress(&r, g1_enc);
}
static void b_g1_dec_sub(size_t u, long n) {
    (void)u;
    blst_p1_affine r;
    for (long i = 0; i < n; i++)
        sink += (int)blst_p1_uncompress(&r, g1_enc) + blst_p1_affine_in_g1(&r);
}
static void k_g1_sub(size_t u, long n) { (void)u; for (long i = 0; i < n; i++) sink += g1_in_subgroup_var(&K.s); }
static void b_g1_sub(size_t u, long n) { (void)u; for (long i = 0; i < n; i++) sink += blst_p1_in_g1(&B.s); }
static void k_g2_dec_sub(size_t u, long n) {
    (void)u;
    g2_aff_t r;
    for (long i = 0; i < n; i++) sink += (int)g2_decompress(&r, g2_enc);
}
static void b_g2_dec_sub(size_t u, long n) {
    (void)u;
    blst_p2_affine r;
    for (long i = 0; i < n; i++)
        sink += (int)blst_p2_uncompress(&r, g2_enc) + blst_p2_affine_in_g2(&r);
}
static void k_pairing(size_t u, long n) { (void)u; for (long i = 0; i < n; i++) pairing(&K.gt, &K.pa[0], &K.qa2[0]); }
static void b_pairing(size_t u, long n) {
    (void)u;
    blst_fp12 f;
    for (long i = 0; i < n; i++) {
        blst_miller_loop(&f, &B.qa2[0], &B.pa[0]);
        blst_final_exp(&B.gt, &f);
    }
}
static void k_pairing2(size_t u, long n) {
    (void)u;
    for (long i = 0; i < n; i++) sink += pairing_product_is_one(K.pa, K.qa2, 2);
}
/* blst's fastest product of two pairings: one Miller loop over both (shared squarings), one
 * final exponentiation. (c-kzg runs two Miller loops and multiplies.) */
static bool blst_pairing2_is_one(void) {
    const blst_p2_affine *qs[2] = {&B.qa2[0], &B.qa2[1]};
    const blst_p1_affine *ps[2] = {&B.pa[0], &B.pa[1]};
    blst_fp12 f;
    blst_miller_loop_n(&f, qs, ps, 2);
    blst_final_exp(&f, &f);
    return blst_fp12_is_one(&f);
}
static void b_pairing2(size_t u, long n) { (void)u; for (long i = 0; i < n; i++) sink += blst_pairing2_is_one(); }
static void k_msm(size_t n, long iters) {
    for (long i = 0; i < iters; i++) g1_msm_raw_var(&M.kout, M.kp, M.ks, n, NULL, M.kscratch);
}
static void b_msm(size_t n, long iters) {
    /* A second pointer of NULL: blst reads the first as one contiguous array. */
    const blst_p1_affine *pts[2] = {M.bp, NULL};
    const byte *scs[2] = {M.bs, NULL};
    for (long i = 0; i < iters; i++) blst_p1s_mult_pippenger(&M.bout, pts, n, scs, 255, M.bscratch);
}

/* ---- conversions between the two libraries (through canonical encodings) ----------- */

static void fp_to_blst(blst_fp *out, const fp_t *a) {
    uint8_t be[48];
    fp_to_bytes_be(be, a);
    blst_fp_from_bendian(out, be);
}
static void fr_to_blst(blst_fr *out, const fr_t *a) {
    uint8_t be[32];
    blst_scalar s;
    fr_to_bytes_be(be, a);
    blst_scalar_from_bendian(&s, be);
    blst_fr_from_scalar(out, &s);
}
static void g1_aff_to_blst(blst_p1_affine *out, const g1_aff_t *a) {
    fp_to_blst(&out->x, &a->x);
    fp_to_blst(&out->y, &a->y);
}
static void g1_to_blst(blst_p1 *out, const g1_t *a) {
    g1_aff_t aa;
    blst_p1_affine ba;
    g1_to_aff(&aa, a);
    g1_aff_to_blst(&ba, &aa);
    blst_p1_from_affine(out, &ba);
}

/* ---- checks: the same value from both, or exit 1 ------------------------------------ */

static int failures;

static void check(bool same, const char *what) {
    if (!same) {
        fprintf(stderr, "bench_blst: kzgkit and blst disagree on %s\n", what);
        failures++;
    }
}
static bool same_fp(const fp_t *a, const blst_fp *b) {
    uint8_t x[48], y[48];
    fp_to_bytes_be(x, a);
    blst_bendian_from_fp(y, b);
    return memcmp(x, y, 48) == 0;
}
static bool same_fr(const fr_t *a, const blst_fr *b) {
    uint8_t x[32], y[32];
    blst_scalar s;
    fr_to_bytes_be(x, a);
    blst_scalar_from_fr(&s, b);
    blst_bendian_from_scalar(y, &s);
    return memcmp(x, y, 32) == 0;
}
static bool same_g1(const g1_t *a, const blst_p1 *b) {
    uint8_t x[48], y[48];
    g1_aff_t aa;
    g1_to_aff(&aa, a);
    g1_compress(x, &aa);
    blst_p1_compress(y, b);
    return memcmp(x, y, 48) == 0;
}
static bool same_g1_aff(const g1_aff_t *a, const blst_p1_affine *b) {
    uint8_t x[48], y[48];
    g1_compress(x, a);
    blst_p1_affine_compress(y, b);
    return memcmp(x, y, 48) == 0;
}
/* Both towers are Fp2 = Fp[u]/(u² + 1), Fp6 = Fp2[v]/(v³ − (u + 1)), Fp12 = Fp6[w]/(w² − v). */
static bool same_fp12(const fp12_t *a, const blst_fp12 *b) {
    const fp6_t *a6[2] = {&a->c0, &a->c1};
    for (int i = 0; i < 2; i++) {
        const fp2_t *a2[3] = {&a6[i]->c0, &a6[i]->c1, &a6[i]->c2};
        for (int j = 0; j < 3; j++)
            if (!same_fp(&a2[j]->c0, &b->fp6[i].fp2[j].fp[0]) ||
                !same_fp(&a2[j]->c1, &b->fp6[i].fp2[j].fp[1]))
                return false;
    }
    return true;
}

static void check_all(void) {
    /* One step of each kernel from equal states gives equal results. */
    k_fp_mul(0, 3); b_fp_mul(0, 3); check(same_fp(&K.a, &B.a), "fp_mul");
    k_fp_sqr(0, 3); b_fp_sqr(0, 3); check(same_fp(&K.a, &B.a), "fp_sqr");
    k_fp_inv(0, 3); b_fp_inv(0, 3); check(same_fp(&K.a, &B.a), "fp inverse");
    {   /* √ is defined up to sign: compare the squares and the verdicts. */
        fp_t kr, k2;
        blst_fp br, b2;
        bool kok = fp_sqrt_var(&kr, &K.b), bok = blst_fp_sqrt(&br, &B.b);
        fp_sqr(&k2, &kr);
        blst_fp_sqr(&b2, &br);
        check(kok == bok && (!kok || same_fp(&k2, &b2)), "fp sqrt");
    }
    k_fr_mul(0, 3); b_fr_mul(0, 3); check(same_fr(&K.ra, &B.ra), "fr_mul");
    k_g1_add(0, 3); b_g1_add(0, 3); check(same_g1(&K.p, &B.p), "G1 add");
    k_g1_madd(0, 3); b_g1_madd(0, 3); check(same_g1(&K.p, &B.p), "G1 mixed add");
    k_g1_dbl(0, 3); b_g1_dbl(0, 3); check(same_g1(&K.p, &B.p), "G1 double");
    {
        g1_aff_t ka;
        blst_p1_affine ba;
        bool kok = g1_decompress(&ka, g1_enc) == KZG_OK;
        bool bok = blst_p1_uncompress(&ba, g1_enc) == BLST_SUCCESS && blst_p1_affine_in_g1(&ba);
        check(kok && bok && same_g1_aff(&ka, &ba), "G1 decompression");
    }
    check(g1_in_subgroup_var(&K.s) && blst_p1_in_g1(&B.s), "G1 subgroup check (member)");
    {   /* The first x ≥ 1 on the curve: a point of E(Fp) that is almost surely outside G1
         * (the cofactor is ~2^126); both must say so. */
        for (uint8_t x = 1; x != 0; x++) {
            uint8_t enc[48] = {0x80};
            enc[47] = x;
            g1_aff_t ka;
            if (g1_decompress_unchecked(&ka, enc) != KZG_OK) continue;
            blst_p1_affine ba;
            check(blst_p1_uncompress(&ba, enc) == BLST_SUCCESS, "G1 decompression (off-subgroup point)");
            g1_t kj;
            blst_p1 bj;
            g1_from_aff(&kj, &ka);
            blst_p1_from_affine(&bj, &ba);
            check(!g1_in_subgroup_var(&kj) && !blst_p1_in_g1(&bj), "G1 subgroup check (non-member)");
            break;
        }
    }
    {
        g2_aff_t ka;
        blst_p2_affine ba;
        uint8_t x[96], y[96];
        bool kok = g2_decompress(&ka, g2_enc) == KZG_OK;
        bool bok = blst_p2_uncompress(&ba, g2_enc) == BLST_SUCCESS && blst_p2_affine_in_g2(&ba);
        g2_compress(x, &ka);
        blst_p2_affine_compress(y, &ba);
        check(kok && bok && memcmp(x, y, 96) == 0, "G2 decompression");
    }
    {   /* blst's final exponentiation returns the cube of the reduced pairing (measured;
         * consistent with a hard part raising to 3·(p⁴ − p² + 1)/r, which is cheaper and as
         * good for a check against 1, since 3 does not divide r). */
        fp12_t k2, k3;
        k_pairing(0, 1);
        b_pairing(0, 1);
        fp12_sqr(&k2, &K.gt);
        fp12_mul(&k3, &k2, &K.gt);
        check(!fp12_is_one(&K.gt) && same_fp12(&k3, &B.gt), "the pairing e(P, Q) (blst's = kzgkit's³)");
    }
    check(pairing_product_is_one(K.pa, K.qa2, 2) && blst_pairing2_is_one(), "e(P, Q)·e(−P, Q) = 1");
    for (int i = 0; i < opt.n_sizes; i++) {
        char what[64];
        snprintf(what, sizeof what, "the MSM of %zu points", opt.sizes[i]);
        k_msm(opt.sizes[i], 1);
        b_msm(opt.sizes[i], 1);
        check(same_g1(&M.kout, &M.bout), what);
    }
}

/* ---- measurement ---------------------------------------------------------------------- */

typedef struct {
    char name[64];
    double kzg_ns, blst_ns, ratio, ratio_q1, ratio_q3;
    long iters;
} result;

static result results[64];
static int n_results;

static void fmt_ns(char *buf, size_t len, double ns) {
    if (ns >= 1e6) snprintf(buf, len, "%.3f ms", ns / 1e6);
    else if (ns >= 1e3) snprintf(buf, len, "%.2f us", ns / 1e3);
    else snprintf(buf, len, "%.1f ns", ns);
}

static double time_one(kernel f, size_t arg, long iters) {
    double t0 = now_ns();
    f(arg, iters);
    return now_ns() - t0;
}

static void measure(const char *name, kernel kf, kernel bf, size_t arg) {
    if (opt.filter && !strstr(name, opt.filter)) return;
    if (n_results == (int)(sizeof results / sizeof results[0])) return;
    /* Warm-up, then calibrate: double iters until the slower library's sample takes an
     * eighth of the target, then scale to the target. */
    kf(arg, 1);
    bf(arg, 1);
    long iters = 1;
    double slow;
    for (;;) {
        double tk = time_one(kf, arg, iters), tb = time_one(bf, arg, iters);
        slow = tk > tb ? tk : tb;
        if (slow >= opt.target_ns / 8 || iters >= (1L << 24)) break;
        iters *= 2;
    }
    if (slow < opt.target_ns) {
        long scaled = (long)((double)iters * opt.target_ns / slow);
        if (scaled > iters) iters = scaled;
    }
    int n = opt.samples;
    double *tk = malloc(sizeof(double) * 3 * (size_t)n);
    if (!tk) { fprintf(stderr, "bench_blst: out of memory\n"); exit(2); }
    double *tb = tk + n, *rt = tb + n;
    for (int s = 0; s < n; s++) {
        if (s & 1) {
            tb[s] = time_one(bf, arg, iters);
            tk[s] = time_one(kf, arg, iters);
        } else {
            tk[s] = time_one(kf, arg, iters);
            tb[s] = time_one(bf, arg, iters);
        }
        tk[s] /= (double)iters;
        tb[s] /= (double)iters;
        rt[s] = tk[s] / tb[s];
    }
    result *r = &results[n_results++];
    snprintf(r->name, sizeof r->name, "%s", name);
    r->iters = iters;
    r->kzg_ns = quantile(tk, n, 0.5);
    r->blst_ns = quantile(tb, n, 0.5);
    r->ratio = r->kzg_ns / r->blst_ns;
    r->ratio_q1 = quantile(rt, n, 0.25);
    r->ratio_q3 = quantile(rt, n, 0.75);
    free(tk);
    char ks[24], bs[24];
    fmt_ns(ks, sizeof ks, r->kzg_ns);
    fmt_ns(bs, sizeof bs, r->blst_ns);
    printf("%-36s %12s %12s %8.2f   %.2f–%.2f\n", r->name, ks, bs, r->ratio, r->ratio_q1, r->ratio_q3);
    fflush(stdout);
}

/* ---- setup ----------------------------------------------------------------------------- */

static void *xalloc(size_t bytes) {
    void *p = aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
    if (!p) { fprintf(stderr, "bench_blst: out of memory\n"); exit(2); }
    return p;
}

static void setup(void) {
    /* Scalars and field elements: fixed, non-trivial values, as bench_arith uses. */
    fp_from_u64(&K.a, 0x1234567890abcdefULL);
    fp_from_u64(&K.b, 0xfedcba0987654321ULL);
    fp_mul(&K.b, &K.b, &G1_GENERATOR_AFF.x);
    fr_from_u64(&K.ra, 0x1234567890abcdefULL);
    fr_from_u64(&K.rb, 0x0fedcba987654321ULL);
    fp_to_blst(&B.a, &K.a);
    fp_to_blst(&B.b, &K.b);
    fr_to_blst(&B.ra, &K.ra);
    fr_to_blst(&B.rb, &K.rb);

    /* Points: P = aG, Q = bG, S = P (the subgroup check's input), bH in G2; e(P, bH) and
     * e(−P, bH) for the product check. */
    g1_t g;
    g1_from_aff(&g, &G1_GENERATOR_AFF);
    g1_mul_var(&K.p, &g, &K.ra);
    g1_mul_var(&K.q, &g, &K.rb);
    K.s = K.p;
    g1_to_aff(&K.qa, &K.q);
    g1_aff_t pa;
    g1_to_aff(&pa, &K.p);
    g1_compress(g1_enc, &pa);
    g2_t h, h2;
    g2_from_aff(&h, &G2_GENERATOR_AFF);
    g2_mul_var(&h2, &h, &K.rb);
    g2_aff_t ha;
    g2_to_aff(&ha, &h2);
    g2_compress(g2_enc, &ha);
    K.pa[0] = pa;
    g1_aff_neg(&K.pa[1], &pa);
    K.qa2[0] = ha;
    K.qa2[1] = ha;

    /* blst's copies through the encodings (affine, so Z = 1), then one doubling of each
     * Jacobian point on both sides: no input of the timed chains has Z = 1. */
    g1_to_blst(&B.p, &K.p);
    g1_to_blst(&B.q, &K.q);
    g1_to_blst(&B.s, &K.s);
    g1_dbl(&K.p, &K.p);
    g1_dbl(&K.q, &K.q);
    g1_dbl(&K.s, &K.s);
    blst_p1_double(&B.p, &B.p);
    blst_p1_double(&B.q, &B.q);
    blst_p1_double(&B.s, &B.s);
    g1_aff_to_blst(&B.qa, &K.qa);
    g1_aff_to_blst(&B.pa[0], &K.pa[0]);
    g1_aff_to_blst(&B.pa[1], &K.pa[1]);
    for (int i = 0; i < 2; i++) {
        fp_to_blst(&B.qa2[i].x.fp[0], &K.qa2[i].x.c0);
        fp_to_blst(&B.qa2[i].x.fp[1], &K.qa2[i].x.c1);
        fp_to_blst(&B.qa2[i].y.fp[0], &K.qa2[i].y.c0);
        fp_to_blst(&B.qa2[i].y.fp[1], &K.qa2[i].y.c1);
    }

    /* MSM inputs: P_{i+1} = 2·P_i + Q (all in G1), random canonical scalars from seed 1. */
    size_t n = 0;
    for (int i = 0; i < opt.n_sizes; i++)
        if (opt.sizes[i] > n) n = opt.sizes[i];
    M.n = n;
    if (!n) return;
    g1_t *jac = xalloc(n * sizeof *jac);
    fp_t *inv = xalloc(n * sizeof *inv);
    M.kp = xalloc(n * sizeof *M.kp);
    M.ks = xalloc(n * sizeof *M.ks);
    M.bp = xalloc(n * sizeof *M.bp);
    M.bs = xalloc(n * 32);
    jac[0] = K.q;
    for (size_t i = 1; i < n; i++) {
        g1_dbl(&jac[i], &jac[i - 1]);
        g1_add(&jac[i], &jac[i], &K.s);
    }
    g1_batch_to_aff(M.kp, jac, n, inv);
    free(jac);
    free(inv);
    rng r;
    rng_seed(&r, 1);
    for (size_t i = 0; i < n; i++) {
        uint8_t be[32];
        rng_field_element(&r, be);
        for (int j = 0; j < 32; j++) M.bs[32 * i + j] = be[31 - j];
        for (int l = 0; l < 4; l++) {
            uint64_t v = 0;
            for (int j = 0; j < 8; j++) v = v << 8 | be[8 * (3 - l) + j];
            M.ks[i].l[l] = v;
        }
        g1_aff_to_blst(&M.bp[i], &M.kp[i]);
    }
    M.kscratch = xalloc(g1_msm_raw_scratch_size(n));
    M.bscratch = xalloc(blst_p1s_mult_pippenger_scratch_sizeof(n));
}

/* ---- output ----------------------------------------------------------------------------- */

static void read_loadavg(char *buf, size_t len) {
    snprintf(buf, len, "unknown");
    FILE *f = fopen("/proc/loadavg", "r");
    if (!f) return;
    double a, b, c;
    if (fscanf(f, "%lf %lf %lf", &a, &b, &c) == 3) snprintf(buf, len, "%.2f %.2f %.2f", a, b, c);
    fclose(f);
}

static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

static int write_json(const char *path, const char *cpu, const char *load0, const char *load1) {
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); return 1; }
    time_t now = time(NULL);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    fprintf(f, "{\n  \"format\": \"kzgkit-bench-blst-1\",\n  \"date\": \"%s\",\n  \"cpu\": ", when);
    json_str(f, cpu);
    fprintf(f, ",\n  \"kzgkit_backend\": ");
    json_str(f, kzg_backend());
    fprintf(f, ",\n  \"kzgkit_revision\": ");
    json_str(f, BENCH_KZGKIT_REVISION);
    fprintf(f, ",\n  \"blst\": ");
    json_str(f, BENCH_BLST_ORIGIN);
    fprintf(f, ",\n  \"samples\": %d,\n  \"target_ns\": %.0f,\n  \"loadavg_before\": ", opt.samples,
            opt.target_ns);
    json_str(f, load0);
    fprintf(f, ",\n  \"loadavg_after\": ");
    json_str(f, load1);
    fprintf(f, ",\n  \"results\": [\n");
    for (int i = 0; i < n_results; i++) {
        const result *r = &results[i];
        fprintf(f, "    {\"operation\": ");
        json_str(f, r->name);
        fprintf(f, ", \"kzgkit_ns\": %.2f, \"blst_ns\": %.2f, \"ratio\": %.4f, \"ratio_q1\": %.4f, "
                   "\"ratio_q3\": %.4f, \"iters\": %ld}%s\n",
                r->kzg_ns, r->blst_ns, r->ratio, r->ratio_q1, r->ratio_q3, r->iters,
                i + 1 < n_results ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
    return fclose(f) != 0;
}

static void usage(const char *argv0) {
    fprintf(stderr,
            "usage: %s [--samples N] [--target-ms X] [--sizes N,N,...] [--filter SUBSTRING]\n"
            "          [--json PATH] [--markdown] [--quick]\n", argv0);
}

static int parse_sizes(const char *s) {
    opt.n_sizes = 0;
    while (*s) {
        char *end;
        unsigned long long v = strtoull(s, &end, 10);
        if (end == s || v < 2 || v > (1u << 20) || opt.n_sizes == MAX_SIZES) return 0;
        opt.sizes[opt.n_sizes++] = (size_t)v;
        s = end;
        if (*s == ',') s++;
        else if (*s) return 0;
    }
    return 1;
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--samples") && i + 1 < argc) opt.samples = atoi(argv[++i]);
        else if (!strcmp(a, "--target-ms") && i + 1 < argc) opt.target_ns = atof(argv[++i]) * 1e6;
        else if (!strcmp(a, "--sizes") && i + 1 < argc) {
            if (!parse_sizes(argv[++i])) { usage(argv[0]); return 2; }
        } else if (!strcmp(a, "--filter") && i + 1 < argc) opt.filter = argv[++i];
        else if (!strcmp(a, "--json") && i + 1 < argc) opt.json = argv[++i];
        else if (!strcmp(a, "--markdown")) opt.markdown = 1;
        else if (!strcmp(a, "--quick")) { /* a smoke run: seconds, not a measurement */
            opt.samples = 3;
            opt.target_ns = 2e5;
            opt.sizes[0] = 64;
            opt.sizes[1] = 256;
            opt.n_sizes = 2;
        } else { usage(argv[0]); return 2; }
    }
    if (opt.samples < 1) opt.samples = 1;
    if (!(opt.target_ns > 0)) opt.target_ns = 5e5;

    char cpu[256], load0[64], load1[64];
    profile_cpu_model(cpu, sizeof cpu);
    read_loadavg(load0, sizeof load0);
    setup();
    check_all();
    if (failures) {
        fprintf(stderr, "bench_blst: %d disagreement(s): nothing timed\n", failures);
        return 1;
    }

    printf("kzgkit against blst, one process, samples alternating between the two\n");
    printf("cpu:     %s\n", cpu);
    printf("kzgkit:  %s, backend %s (KZGKIT_BACKEND=x86_64-mulx-adx forces the non-IFMA one)\n",
           BENCH_KZGKIT_REVISION, kzg_backend());
    printf("blst:    %s\n", BENCH_BLST_ORIGIN);
    printf("samples: %d per library per operation, ~%.1f ms each; load average %s\n", opt.samples,
           opt.target_ns / 1e6, load0);
    printf("checked: every pair computes the same value (field elements, points, MSM sums, GT)\n\n");
    printf("%-36s %12s %12s %8s   %s\n", "operation (median per call)", "kzgkit", "blst",
           "k/blst", "per-round k/blst, q1–q3");

    measure("Fp mul", k_fp_mul, b_fp_mul, 0);
    measure("Fp sqr", k_fp_sqr, b_fp_sqr, 0);
    measure("Fp inverse (+ add)", k_fp_inv, b_fp_inv, 0);
    measure("Fp sqrt (+ add)", k_fp_sqrt, b_fp_sqrt, 0);
    measure("Fr mul", k_fr_mul, b_fr_mul, 0);
    measure("G1 add (Jacobian)", k_g1_add, b_g1_add, 0);
    measure("G1 mixed add (Jacobian + affine)", k_g1_madd, b_g1_madd, 0);
    measure("G1 dbl", k_g1_dbl, b_g1_dbl, 0);
    measure("G1 decompress (no subgroup check)", k_g1_dec, b_g1_dec, 0);
    measure("G1 decompress + subgroup check", k_g1_dec_sub, b_g1_dec_sub, 0);
    measure("G1 subgroup check", k_g1_sub, b_g1_sub, 0);
    measure("G2 decompress + subgroup check", k_g2_dec_sub, b_g2_dec_sub, 0);
    measure("pairing e(P, Q)", k_pairing, b_pairing, 0);
    measure("2-pairing product check", k_pairing2, b_pairing2, 0);
    for (int i = 0; i < opt.n_sizes; i++) {
        char name[48];
        snprintf(name, sizeof name, "G1 MSM, %zu points", opt.sizes[i]);
        measure(name, k_msm, b_msm, opt.sizes[i]);
    }
    read_loadavg(load1, sizeof load1);
    printf("\nload average after: %s\n", load1);

    if (opt.markdown) {
        printf("\n| operation | kzgkit | blst | kzgkit / blst | per-round ratio, q1–q3 |\n");
        printf("|---|---|---|---|---|\n");
        for (int i = 0; i < n_results; i++) {
            char ks[24], bs[24];
            fmt_ns(ks, sizeof ks, results[i].kzg_ns);
            fmt_ns(bs, sizeof bs, results[i].blst_ns);
            printf("| %s | %s | %s | %.2f | %.2f–%.2f |\n", results[i].name, ks, bs,
                   results[i].ratio, results[i].ratio_q1, results[i].ratio_q3);
        }
    }
    if (opt.json) {
        if (write_json(opt.json, cpu, load0, load1)) return 2;
        printf("\nresults: %s\n", opt.json);
    }
    return 0;
}
