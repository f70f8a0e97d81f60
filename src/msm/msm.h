/*
 * msm/msm.h — variable-base multi-scalar multiplication in G1 (Pippenger, signed digits).
 *
 * Owns: Σ scalars[i]·points[i] for arbitrary (public) points and scalars.
 * May call: field, curve. Never allocates and never starts threads: the caller passes
 * `scratch` of g1_msm_scratch_size(n) bytes (aligned as malloc's memory is).
 *
 * Timing: variable time in the scalars and the points (_var); KZG inputs are public.
 */
#ifndef KZGKIT_MSM_MSM_H
#define KZGKIT_MSM_MSM_H

#include "curve/g1.h"
#include "field/fr.h"

/* Bytes of scratch g1_msm_var needs for n points (0 for n = 0). */
size_t g1_msm_scratch_size(size_t n);

/* *out = Σ_{i<n} scalars[i]·points[i]. Scalars are Fr elements (Montgomery form, any value
 * in [0, r)); points are affine and may be the point at infinity (x = y = 0). n = 0 gives
 * infinity. `scratch` must hold g1_msm_scratch_size(n) bytes (may be NULL when n = 0). */
void g1_msm_var(g1_t *out, const g1_aff_t *points, const fr_t *scalars, size_t n, void *scratch);

/* The window width (bits) g1_msm_var uses for n points; exposed for tests and tuning. */
unsigned g1_msm_window_bits(size_t n);

#endif
