/*
 * poly/poly.h — polynomials over Fr: roots of unity, bit-reversal permutation, radix-2 FFT,
 * barycentric evaluation of a polynomial given by its values over a domain of roots of unity.
 *
 * Owns: the domain arithmetic the KZG layers share. May call: field, curve (types only).
 * Never allocates: callers pass scratch. _var: variable time (KZG inputs are public).
 *
 * Roots of unity follow the consensus specs: ω_n = 7^((r-1)/n) (PRIMITIVE_ROOT_OF_UNITY = 7),
 * domain[i] = ω_n^i in natural order, or bit-reversed when named _brp.
 */
#ifndef KZGKIT_POLY_POLY_H
#define KZGKIT_POLY_POLY_H

#include "field/fr.h"

/* Largest power-of-two order of a root of unity in Fr: 2^32 divides r - 1. */
#define POLY_MAX_LOG2_DOMAIN 32

bool poly_is_power_of_two(size_t n);
/* log2(n) for a power of two n. */
unsigned poly_log2(size_t n);
/* The spec's reverse_bits(i, 2^log_n). */
size_t poly_reverse_bits(size_t i, unsigned log_n);

/* In-place bit-reversal permutation of n elements of elem_size bytes (n a power of two;
 * the permutation is an involution). Returns false (array untouched) if n is not. */
bool poly_bit_reversal_permutation(void *a, size_t elem_size, size_t n);

/* *out = ω_n = 7^((r-1)/n): a primitive n-th root of unity. false if n is not a power of two
 * up to 2^32. */
bool poly_root_of_unity(fr_t *out, size_t n);
/* out[i] = ω_n^i for i < n (natural order). false as for poly_root_of_unity. */
bool poly_roots_of_unity(fr_t *out, size_t n);
/* ω_8192^k for k < POLY_EXT_ROOTS (EIP-7594's extended domain; a smaller power-of-two
 * domain is every (8192/n)-th entry), computed once per process on first use (thread-safe,
 * ~0.4 ms; ~0.6 with the IFMA backend, which also builds poly_ext_roots_x); context
 * constructors call it so that no operation pays for it. */
#define POLY_EXT_ROOTS 8192
const fr_t *poly_ext_roots(void);
/* Those roots times 2^POLY_ROOTS_X_SHIFT (fr_fft_x's roots_x) with the IFMA backend, else
 * NULL; built with them (context creation calls poly_ext_roots). */
const fr_t *poly_ext_roots_x(void);
/* *out = 1/n in Fr, without an inversion (n a power of two, n ≤ 2^32). */
void poly_inv_domain_size(fr_t *out, size_t n);

/* Radix-2 FFT over the n-th roots of unity, natural order in and out:
 * out[j] = Σ_i in[i]·ω_n^(i·j). `roots` holds ω_N^k for k < N with N = n·roots_stride (so
 * ω_n = roots[roots_stride]); one table of the largest domain serves all smaller ones.
 * out and in must not overlap. n a power of two (n ≥ 1). */
void fr_fft(fr_t *out, const fr_t *in, size_t n, const fr_t *roots, size_t roots_stride);
/* The inverse: out[i] = (1/n)·Σ_j in[j]·ω_n^(-i·j) (values → coefficients). */
void fr_ifft(fr_t *out, const fr_t *in, size_t n, const fr_t *roots, size_t roots_stride);
/* The same with roots_x[k] = roots[k]·2^POLY_ROOTS_X_SHIFT (fr_mul by the Montgomery form
 * of 2^4) beside the roots, or NULL: with the IFMA backend the layers of eight butterflies
 * or more a block then run eight at a time (the same values, bit for bit). The shift is the
 * IFMA Fr lanes' R_v / R (backend/x86_64/ifma_fr.h: 2^260 / 2^256). */
#define POLY_ROOTS_X_SHIFT 4
void fr_fft_x(fr_t *out, const fr_t *in, size_t n, const fr_t *roots, const fr_t *roots_x,
              size_t roots_stride);
void fr_ifft_x(fr_t *out, const fr_t *in, size_t n, const fr_t *roots, const fr_t *roots_x,
               size_t roots_stride);

/* Barycentric evaluation (consensus-specs evaluate_polynomial_in_evaluation_form):
 * *y = p(z) for the polynomial of degree < n with p(domain[i]) = evals[i], where `domain`
 * holds all n-th roots of unity in any fixed order (natural or bit-reversed):
 *   p(z) = (z^n - 1)/n · Σ_i evals[i]·domain[i] / (z - domain[i])     (z outside),
 *   p(z) = evals[m]                                                  (z = domain[m]).
 * One batch inversion; on return inv[i] = 1/(z - domain[i]) (inv[m] = 0 when z = domain[m]),
 * which the quotient of a KZG proof reuses, and *index = m, or n when z is outside.
 * `tmp`: n elements of scratch. inv, tmp must not overlap each other or the inputs. */
void poly_eval_barycentric_var(fr_t *y, size_t *index, fr_t *inv, fr_t *tmp, const fr_t *evals,
                               const fr_t *domain, size_t n, const fr_t *z);

#endif
