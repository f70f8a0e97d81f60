/*
 * kzgkit — EIP-7594 (PeerDAS) cell functions (consensus-specs
 * fulu/polynomial-commitments-sampling.md).
 *
 * Copyright 2026 the kzgkit authors. Licensed under the Apache License, Version 2.0
 * (the "License"); you may not use this file except in compliance with the License.
 * You may obtain a copy at http://www.apache.org/licenses/LICENSE-2.0
 *
 * Output arrays must not overlap the inputs (outputs are zeroed on entry).
 *
 * Names follow the consensus specs with the kzg_ prefix. Conventions (argument order:
 * context, outputs, inputs, a length after its array; status + bool for verification;
 * zeroed outputs and a one-line kzg_last_error() on failure) are stated in kzgkit/kzg.h.
 *
 * A blob's 4096 field elements are the evaluations of a polynomial p of degree < 4096. Its
 * Reed–Solomon extension is p evaluated over 8192 roots of unity (bit-reversed order), cut
 * into 128 cells of 64 field elements; cell i holds p over the coset h_i·⟨ω_64⟩ of the
 * spec's coset_for_cell(i), and its proof is the KZG multi-proof for that coset.
 *
 * Statuses specific to these functions: a cell index >= KZG_CELLS_PER_EXT_BLOB, or a
 * duplicate or out-of-order index in a recovery → KZG_ERR_BAD_ARG; fewer than half (or
 * more than all) the cells in a recovery → KZG_ERR_LENGTH; a cell element >= r →
 * KZG_ERR_SCALAR_NONCANONICAL (the detail names the cell and the element); a commitment
 * or proof that does not decode → the g1 statuses (KZG_ERR_POINT_ENCODING,
 * _NOT_ON_CURVE, _NOT_IN_SUBGROUP).
 *
 * Cost: proofs need the FK20 columns of the setup (64×128 G1 points, 0.8 MB). For the
 * mainnet setup — kzg_ctx_new, or a context loaded from a file with the same points — they
 * are compiled into the library: no work at creation or first use, so the first
 * compute/recover call with proofs costs what later ones do. For another setup the first
 * such call builds them (about a second, once per context). The optional fixed-base table
 * (faster FK20 MSMs, 25 MB for c = 8) is chosen in kzg_ctx_options.eip7594_table_bits and
 * built at context creation (or loaded from the table cache file); kzg_eip7594_precompute
 * is the older way to ask for it.
 * On a context with threads > 1, the FK20 MSMs and G1 FFT layers, the table builds and a
 * verification's proof decoding run on the context's pool (results do not depend on the
 * thread count).
 */
#ifndef KZGKIT_EIP7594_H
#define KZGKIT_EIP7594_H

#include "kzg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- sizes and byte types ------------------------------------------------------------ */

#define KZG_FIELD_ELEMENTS_PER_EXT_BLOB (2 * KZG_FIELD_ELEMENTS_PER_BLOB) /* 8192 */
#define KZG_FIELD_ELEMENTS_PER_CELL 64
#define KZG_BYTES_PER_CELL (KZG_FIELD_ELEMENTS_PER_CELL * KZG_BYTES_PER_FIELD_ELEMENT) /* 2048 */
#define KZG_CELLS_PER_EXT_BLOB \
    (KZG_FIELD_ELEMENTS_PER_EXT_BLOB / KZG_FIELD_ELEMENTS_PER_CELL) /* 128 */

/* A cell: 64 canonical field elements, big-endian, 32 bytes each. */
typedef struct kzg_cell { uint8_t bytes[KZG_BYTES_PER_CELL]; } kzg_cell;

/* ---- cell computation ---------------------------------------------------------------- */

/* cells_out[0..128): the extended blob's cells (no proofs: two FFTs, no group operation). */
KZG_API kzg_status kzg_compute_cells(const kzg_ctx *ctx, kzg_cell *cells_out, const kzg_blob *blob);

/* cells_out[0..128) and proofs_out[0..128): the cells and their KZG multi-proofs (FK20).
 * Either output may be NULL to skip it (both NULL: KZG_ERR_NULL_ARG). */
KZG_API kzg_status kzg_compute_cells_and_kzg_proofs(const kzg_ctx *ctx, kzg_cell *cells_out,
                                                    kzg_proof *proofs_out, const kzg_blob *blob);

/* ---- verification -------------------------------------------------------------------- */

/* Checks that cells[k] is the cell with index cell_indices[k] of the blob committed to by
 * commitments[k], with proof proofs[k], for all k < n at once (the universal verification
 * equation: two MSMs and one two-pairing check). Commitments may repeat (the same blob's
 * cells), and so may cells. n == 0 verifies as true; the arrays may be NULL only then. */
KZG_API kzg_status kzg_verify_cell_kzg_proof_batch(const kzg_ctx *ctx, bool *ok,
                                                   const kzg_commitment *commitments,
                                                   const uint64_t *cell_indices,
                                                   const kzg_cell *cells,
                                                   const kzg_proof *proofs, size_t n);

/* ---- recovery ------------------------------------------------------------------------ */

/* From n cells (64 <= n <= 128; cells[k] has index cell_indices[k], the indices strictly
 * ascending, as the reference tests require), all 128 cells and their proofs. Either output may be NULL to skip it (both NULL:
 * KZG_ERR_NULL_ARG); with proofs_out NULL this is kzg_recover_cells. */
KZG_API kzg_status kzg_recover_cells_and_kzg_proofs(const kzg_ctx *ctx, kzg_cell *cells_out,
                                                    kzg_proof *proofs_out,
                                                    const uint64_t *cell_indices,
                                                    const kzg_cell *cells, size_t n);

/* Recovery without the proofs: the 128 cells only (FFTs only, no group operation). */
KZG_API kzg_status kzg_recover_cells(const kzg_ctx *ctx, kzg_cell *cells_out,
                                     const uint64_t *cell_indices, const kzg_cell *cells,
                                     size_t n);

/* ---- precomputation ------------------------------------------------------------------ */

/* Prefer kzg_ctx_options.eip7594_table_bits (kzg.h): the same choice, made where the
 * context is created, and able to use the table cache file.
 * Builds the context's FK20 tables now instead of at the first proof computation (shared
 * by every thread using the context; idempotent and thread-safe). The memory/speed knob:
 *   table_bits = 0: the FK20 columns only (64×128 G1 points, 0.8 MB; what a first proof
 *                   computation uses by itself: compiled in for the mainnet setup, built
 *                   for another one);
 *   table_bits = c in 4..10: also a fixed-base table of the columns, 8192·(floor(255/c)+1)
 *                   G1 points (c = 8: 25 MB, 0.5 s more to build), which makes the FK20
 *                   multi-scalar multiplications of compute/recover with proofs about
 *                   twice as fast (figures in docs/PERFORMANCE.md).
 * The choice is made once per context: asking for another table_bits after the tables
 * exist (chosen by the options, by this function or by a proof computation, which fixes
 * table_bits 0) is KZG_ERR_BAD_ARG. */
KZG_API kzg_status kzg_eip7594_precompute(const kzg_ctx *ctx, unsigned table_bits);

#ifdef __cplusplus
}
#endif

#endif /* KZGKIT_EIP7594_H */
