/*
 * backend/x86_64/mulx.c — the x86-64 mulx/adx kernel table (bodies in mont_mulx.h).
 *
 * Compiled on every target; on anything but x86-64 with GCC/clang it is empty and
 * backend_mulx_adx_built() returns NULL. Selection (and the CPU check) is in dispatch.c.
 *
 * Fp squaring is mx_fp_sqr: the product by symmetric halves, then the reduction (57 mulx
 * against 72 for mx_fp_mul(a, a), 260 instructions against 279; docs/PERFORMANCE.md
 * section 14 has the counts per operation). Its chains of squarings (a square root, the
 * inversions by exponentiation) stay latency-bound by the reduction's m = t0·n0 → mulx →
 * carry dependency, six times per squaring, which SOS keeps; the saving is the 15 products
 * and their additions. Fr squaring is still the multiplication with a = b (32 mulx; a
 * dedicated one would save 6).
 */
#include "backend/backend.h"
#include "backend/x86_64/mont_mulx.h"

#ifdef KZG_HAVE_MULX_KERNELS


static void mulx_fp_mul(fp_t *r, const fp_t *a, const fp_t *b) { mx_fp_mul(r->l, a->l, b->l); }
static void mulx_fp_sqr(fp_t *r, const fp_t *a) { mx_fp_sqr(r->l, a->l); }
static void mulx_fr_mul(fr_t *r, const fr_t *a, const fr_t *b) { mx_fr_mul(r->l, a->l, b->l); }
static void mulx_fr_sqr(fr_t *r, const fr_t *a) { mx_fr_mul(r->l, a->l, a->l); }
/* fr_t is four plain words, so an array of two is the eight words mx_fr_mul_sum2 reads. */
static void mulx_fr_mul_sum2(fr_t *r, const fr_t a[2], const fr_t b[2]) {
    mx_fr_mul_sum2(r->l, (const uint64_t *)a, (const uint64_t *)b);
}


/* Fp2 product as two sums of products, each reduced once (mont_mulx.h):
 *   c1 = a0·b1 + a1·b0,   c0 = a0·b0 + (−a1)·b1,
 * 2·(72 + 36) = 216 mulx — as many as three Montgomery products, but in two interleaved
 * CIOS passes with two reductions and no additions outside them: 77 ns against 93 ns for
 * Karatsuba over three mx_fp_mul (plus five additions) and 105 ns for Karatsuba with
 * 768-bit products and two separate reductions (whose reduction rows, with nothing to
 * overlap, are latency-bound), same machine, chained calls. */
static void mulx_fp2_mul(fp2_t *r, const fp2_t *a, const fp2_t *b) {
    fp2_t na;
    na.c0 = a->c0;
    fp_neg(&na.c1, &a->c1); /* −0 = 0, so na.c1 < p */
    fp_t c1;
    mx_fp_mul_cross(c1.l, (const uint64_t *)a, (const uint64_t *)b);
    mx_fp_mul_dot(r->c0.l, (const uint64_t *)&na, (const uint64_t *)b);
    r->c1 = c1;
}

static const backend_kernels BACKEND_MULX_ADX = {
    .name = "x86_64-mulx-adx",
    .fp_mul = mulx_fp_mul,
    .fp_sqr = mulx_fp_sqr,
    .fr_mul = mulx_fr_mul,
    .fr_sqr = mulx_fr_sqr,
    .fr_mul_sum2 = mulx_fr_mul_sum2,
    .fp2_mul = mulx_fp2_mul,
    .batch_ifma = false,
};

/* The same kernels; the MSM's batch-affine additions use x86_64/ifma.h. */
static const backend_kernels BACKEND_MULX_ADX_IFMA = {
    .name = "x86_64-mulx-adx-ifma",
    .fp_mul = mulx_fp_mul,
    .fp_sqr = mulx_fp_sqr,
    .fr_mul = mulx_fr_mul,
    .fr_sqr = mulx_fr_sqr,
    .fr_mul_sum2 = mulx_fr_mul_sum2,
    .fp2_mul = mulx_fp2_mul,
    .batch_ifma = true,
};

const backend_kernels *backend_mulx_adx_built(void) {
    return &BACKEND_MULX_ADX;
}

const backend_kernels *backend_mulx_adx_ifma_built(void) {
    return &BACKEND_MULX_ADX_IFMA;
}

#else

const backend_kernels *backend_mulx_adx_built(void) {
    return NULL;
}

const backend_kernels *backend_mulx_adx_ifma_built(void) {
    return NULL;
}

#endif
