/*
 * poly/fft_g1.h — radix-2 FFT over G1 (the "G1 polynomial" transforms of FK20).
 *
 * Owns: out[j] = Σ_i ω_n^(i·j)·in[i] for Jacobian G1 points, and its inverse. May call:
 * field, curve. Never allocates and never starts threads: the _par variant takes a runner
 * (a parallel-for such as the context's pool) and hands it each layer's butterflies.
 *
 * Cost: (n/2)·log2(n) butterflies; each non-trivial twiddle is one variable-base scalar
 * multiplication (g1_mul_var: GLV + wNAF, ~130 doublings + ~45 additions), trivial ones
 * (ω^0) are skipped, so n = 128 costs 321 multiplications. The points must be in G1 (every
 * combination of validated points is), as g1_mul_var requires. _var: variable time.
 * Results do not depend on the runner or the thread count.
 */
#ifndef KZGKIT_POLY_FFT_G1_H
#define KZGKIT_POLY_FFT_G1_H

#include "curve/g1.h"

/* A task over indices [begin, end) (`thread`: the runner's thread index), and a runner that
 * runs fn over [0, n) in chunks of `grain` and returns when all are done (the shape of the
 * runtime pool's pool_parallel_for). */
typedef void (*g1_fft_task_fn)(void *arg, size_t begin, size_t end, unsigned thread);
typedef void (*g1_fft_runner_fn)(void *runner, size_t n, size_t grain, g1_fft_task_fn fn, void *arg);

/* Forward transform, natural order in and out. `roots` holds ω_N^k for k < N with
 * N = n·roots_stride, as fr_fft takes them. out and in must not overlap. n a power of two. */
void g1_fft_var(g1_t *out, const g1_t *in, size_t n, const fr_t *roots, size_t roots_stride);
/* Inverse: out[i] = (1/n)·Σ_j ω_n^(-i·j)·in[j]. */
void g1_ifft_var(g1_t *out, const g1_t *in, size_t n, const fr_t *roots, size_t roots_stride);
/* g1_fft_var with each layer's butterflies spread by `run` (NULL: inline). */
void g1_fft_par_var(g1_t *out, const g1_t *in, size_t n, const fr_t *roots, size_t roots_stride,
                    g1_fft_runner_fn run, void *runner);

#endif
