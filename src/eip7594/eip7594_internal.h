/*
 * eip7594/eip7594_internal.h — internals of the EIP-7594 layer shared by its files, and
 * the entry points tools and tests may call (the CLI links the static library). Not part
 * of the public API.
 */
#ifndef KZGKIT_EIP7594_INTERNAL_H
#define KZGKIT_EIP7594_INTERNAL_H

#include "common/common.h"
#include "curve/g1.h"
#include "field/fr.h"
#include "kzgkit/eip7594.h"
#include "setup/setup.h"

#define EXT_N KZG_FIELD_ELEMENTS_PER_EXT_BLOB /* 8192 */
#define BLOB_N KZG_FIELD_ELEMENTS_PER_BLOB    /* 4096 */
#define CELL_N KZG_FIELD_ELEMENTS_PER_CELL    /* 64 */
#define CELLS KZG_CELLS_PER_EXT_BLOB          /* 128 */

/* The domain data every EIP-7594 function uses; it does not depend on the setup, so one
 * process-wide copy is built on first use (eip7594_domain never fails): the roots are
 * poly_ext_roots(), which every context constructor has computed already. */
typedef struct eip7594_domain {
    const fr_t *roots;         /* ω_8192^k, natural order, k < 8192 */
    const fr_t *roots_x;       /* roots·2^4 for fr_fft_x with IFMA, else NULL */
    fr_t shift_pow[CELLS];     /* h_i^64 = ω_128^rev7(i): coset_shift_for_cell(i)^64 */
    fr_t shift_inv[CELLS];     /* 1/h_i */
} eip7594_domain;

const eip7594_domain *eip7594_domain_get(void);

/* The FK20 tables are the setup's (setup.h: setup_fk20, setup_fk20_get). */
#define FK20_POINTS SETUP_FK20_POINTS /* 8192 */
#define FK20_MIN_TABLE_BITS SETUP_FK20_MIN_TABLE_BITS
#define FK20_MAX_TABLE_BITS SETUP_FK20_MAX_TABLE_BITS

/* FK20: the 128 cell proofs (spec order) of the polynomial with coefficients coeffs[0..4096)
 * (Jacobian; the caller compresses them). Cost: 64 Fr FFTs of size 128 (~33k fr_mul), 128
 * MSMs of 64 points (msm/multi.c, all at once: variable base ~3.5M fp_mul, or over the
 * fixed-base table ~1.8M fp_mul for c = 8),
 * two G1 FFTs of size 128 (642 scalar multiplications by roots of unity, ~1M fp_mul). The
 * MSMs and each FFT layer are spread over the context's pool; results do not depend on the
 * thread count. */
kzg_status eip7594_fk20_proofs(const kzg_ctx *ctx, g1_t proofs[CELLS], const fr_t *coeffs);

/* Test hook: the spec's compute_verify_cell_kzg_proof_batch_challenge over decoded cell
 * values, as 32 big-endian bytes. commitments[0..n_commitments) are hashed as given;
 * cosets_evals holds n cells of 64 field elements each (they must be canonical:
 * KZG_ERR_SCALAR_NONCANONICAL otherwise). */
kzg_status eip7594_compute_challenge(uint8_t out[32], const kzg_commitment *commitments,
                                     size_t n_commitments, const uint64_t *commitment_indices,
                                     const uint64_t *cell_indices, const kzg_cell *cosets_evals,
                                     const kzg_proof *proofs, size_t n);

#endif
