/*
 * poly/fft_g1.c — radix-2 decimation-in-time FFT over G1 (see fft_g1.h): bit-reversed
 * copy, then log2(n) layers of n/2 independent butterflies each.
 */
#include "poly/fft_g1.h"

#include "poly/poly.h"

typedef struct fft_layer {
    g1_t *out;
    size_t n, len;
    const fr_t *roots;
    size_t stride;
    bool inverse;
} fft_layer;

/* Butterflies [begin, end) of one layer: butterfly b acts on out[s + j], out[s + j + half]
 * with s = (b / half)·len, j = b mod half, twiddle ω_len^j = ω_n^(j·n/len). The twiddle
 * products of up to FFT_BLOCK butterflies are computed together by g1_mul_many_var (eight
 * at a time in vector lanes with the IFMA kernels), the trivial ones (j = 0) skipped. */
#define FFT_BLOCK 32

static void layer_task(void *arg, size_t begin, size_t end, unsigned thread) {
    const fft_layer *L = arg;
    size_t half = L->len >> 1, step = L->n / L->len;
    g1_t pts[FFT_BLOCK];
    fr_t tw[FFT_BLOCK];
    (void)thread;
    for (size_t b0 = begin; b0 < end; b0 += FFT_BLOCK) {
        size_t b1 = end - b0 < FFT_BLOCK ? end : b0 + FFT_BLOCK, m = 0;
        for (size_t b = b0; b < b1; b++) {
            size_t s = (b / half) * L->len, j = b % half, k = j * step; /* k < n/2 */
            if (k == 0) continue;
            pts[m] = L->out[s + j + half];
            tw[m++] = L->roots[(L->inverse ? L->n - k : k) * L->stride];
        }
        g1_mul_many_var(pts, pts, tw, m);
        m = 0;
        for (size_t b = b0; b < b1; b++) {
            size_t s = (b / half) * L->len, j = b % half;
            g1_t u = L->out[s + j], v = j == 0 ? L->out[s + j + half] : pts[m++];
            g1_add(&L->out[s + j], &u, &v);
            g1_neg(&v, &v);
            g1_add(&L->out[s + j + half], &u, &v);
        }
    }
}

static void g1_fft_core(g1_t *out, const g1_t *in, size_t n, const fr_t *roots, size_t stride,
                        bool inverse, g1_fft_runner_fn run, void *runner) {
    unsigned log_n = poly_log2(n);
    for (size_t i = 0; i < n; i++) out[poly_reverse_bits(i, log_n)] = in[i];
    for (size_t len = 2; len <= n; len <<= 1) {
        fft_layer L = {out, n, len, roots, stride, inverse};
        if (run) run(runner, n / 2, 16, layer_task, &L);
        else layer_task(&L, 0, n / 2, 0);
    }
}

void g1_fft_var(g1_t *out, const g1_t *in, size_t n, const fr_t *roots, size_t roots_stride) {
    g1_fft_core(out, in, n, roots, roots_stride, false, NULL, NULL);
}

void g1_fft_par_var(g1_t *out, const g1_t *in, size_t n, const fr_t *roots, size_t roots_stride,
                    g1_fft_runner_fn run, void *runner) {
    g1_fft_core(out, in, n, roots, roots_stride, false, run, runner);
}

void g1_ifft_var(g1_t *out, const g1_t *in, size_t n, const fr_t *roots, size_t roots_stride) {
    fr_t inv_n;
    g1_fft_core(out, in, n, roots, roots_stride, true, NULL, NULL);
    poly_inv_domain_size(&inv_n, n);
    for (size_t i = 0; i < n; i++) g1_mul_var(&out[i], &out[i], &inv_n);
}
