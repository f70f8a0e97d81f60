/*
 * poly/fft_g1.h — radix-2 FFT over G1 (the "G1 polynomial" transforms of FK20).
 *
 * Owns: out[j] = Σ_i ω_n^(i·j)·in[i] for Jacobian G1 points, and its inverse. May call:
 * field, curve. Never allocates.
 *
 * Cost: (n/2)·log2(n) butterflies; each non-trivial twiddle is one variable-base scalar
 * multiplication (g1_mul_var: GLV + wNAF, ~130 doublings + ~45 additions), trivial ones
 * (ω^0) are skipped, so n = 128 costs 321 multiplications. The points must be in G1 (every
 * combination of validated points is), as g1_mul_var requires. _var: variable time.
 */
#ifndef KZGKIT_POLY_FFT_G1_H
#define KZGKIT_POLY_FFT_G1_H

#include "curve/g1.h"

/* Forward transform, natural order in and out. `roots` holds ω_N^k for k < N with
 * N = n·roots_stride, as fr_fft takes them. out and in must not overlap. n a power of two. */
void g1_fft_var(g1_t *out, const g1_t *in, size_t n, const fr_t *roots, size_t roots_stride);
/* Inverse: out[i] = (1/n)·Σ_j ω_n^(-i·j)·in[j]. */
void g1_ifft_var(g1_t *out, const g1_t *in, size_t n, const fr_t *roots, size_t roots_stride);

#endif
