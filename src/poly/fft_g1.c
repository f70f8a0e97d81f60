/*
 * poly/fft_g1.c — radix-2 decimation-in-time FFT over G1 (see fft_g1.h).
 */
#include "poly/fft_g1.h"

#include "poly/poly.h"

static void g1_fft_core(g1_t *out, const g1_t *in, size_t n, const fr_t *roots, size_t stride,
                        bool inverse) {
    unsigned log_n = poly_log2(n);
    for (size_t i = 0; i < n; i++) out[poly_reverse_bits(i, log_n)] = in[i];
    for (size_t len = 2; len <= n; len <<= 1) {
        size_t half = len >> 1, step = n / len; /* ω_len = ω_n^step */
        for (size_t s = 0; s < n; s += len) {
            for (size_t j = 0; j < half; j++) {
                size_t k = j * step; /* exponent of ω_n, < n/2 */
                g1_t u = out[s + j], v;
                if (k == 0) {
                    v = out[s + j + half];
                } else {
                    const fr_t *w = &roots[(inverse ? n - k : k) * stride];
                    g1_mul_var(&v, &out[s + j + half], w);
                }
                g1_add(&out[s + j], &u, &v);
                g1_neg(&v, &v);
                g1_add(&out[s + j + half], &u, &v);
            }
        }
    }
}

void g1_fft_var(g1_t *out, const g1_t *in, size_t n, const fr_t *roots, size_t roots_stride) {
    g1_fft_core(out, in, n, roots, roots_stride, false);
}

void g1_ifft_var(g1_t *out, const g1_t *in, size_t n, const fr_t *roots, size_t roots_stride) {
    fr_t inv_n;
    g1_fft_core(out, in, n, roots, roots_stride, true);
    poly_inv_domain_size(&inv_n, n);
    for (size_t i = 0; i < n; i++) g1_mul_var(&out[i], &out[i], &inv_n);
}
