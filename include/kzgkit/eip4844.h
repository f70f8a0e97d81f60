/*
 * kzgkit — EIP-4844 blob KZG functions (consensus-specs deneb/polynomial-commitments.md).
 *
 * Copyright 2026 the kzgkit authors. Licensed under the Apache License, Version 2.0.
 *
 * Names follow the consensus specs with the kzg_ prefix. Conventions (argument order,
 * status + bool for verification, zeroed outputs on failure) are stated in kzgkit/kzg.h.
 */
#ifndef KZGKIT_EIP4844_H
#define KZGKIT_EIP4844_H

#include "kzg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The commitment to the polynomial whose evaluations over the (bit-reversed) roots of unity
 * are the blob's 4096 field elements. */
KZG_API kzg_status kzg_blob_to_kzg_commitment(const kzg_ctx *ctx, kzg_commitment *out,
                                              const kzg_blob *blob);

/* The proof that the blob's polynomial evaluates to *y_out at z. */
KZG_API kzg_status kzg_compute_kzg_proof(const kzg_ctx *ctx, kzg_proof *proof_out,
                                         kzg_field_element *y_out, const kzg_blob *blob,
                                         const kzg_field_element *z);

/* The proof for the blob at the Fiat–Shamir challenge derived from blob and commitment. */
KZG_API kzg_status kzg_compute_blob_kzg_proof(const kzg_ctx *ctx, kzg_proof *out,
                                              const kzg_blob *blob,
                                              const kzg_commitment *commitment);

/* Checks that the committed polynomial evaluates to y at z. */
KZG_API kzg_status kzg_verify_kzg_proof(const kzg_ctx *ctx, bool *ok,
                                        const kzg_commitment *commitment,
                                        const kzg_field_element *z,
                                        const kzg_field_element *y, const kzg_proof *proof);

/* Checks a blob proof against the blob and its commitment. */
KZG_API kzg_status kzg_verify_blob_kzg_proof(const kzg_ctx *ctx, bool *ok, const kzg_blob *blob,
                                             const kzg_commitment *commitment,
                                             const kzg_proof *proof);

/* Checks n blob proofs at once (random linear combination, one pairing check).
 * n == 0 verifies as true. The arrays may be NULL only when n == 0. */
KZG_API kzg_status kzg_verify_blob_kzg_proof_batch(const kzg_ctx *ctx, bool *ok,
                                                   const kzg_blob *blobs,
                                                   const kzg_commitment *commitments,
                                                   const kzg_proof *proofs, size_t n);

/* ---- batches (kzgkit extensions, not in the specs) ----------------------------------
 * Many blobs at once on the context's threads (kzg_ctx_options.threads), with the same
 * results as the single-blob functions in a loop: out[i] for blobs[i]. On failure every
 * output is zeroed and the status and detail are those of the first failing blob, as the
 * loop would report them (inputs named "blobs[i]", "commitments[i]"). n == 0 is KZG_OK;
 * the arrays may be NULL only when n == 0. */
KZG_API kzg_status kzg_blob_to_kzg_commitment_batch(const kzg_ctx *ctx, kzg_commitment *out,
                                                    const kzg_blob *blobs, size_t n);
KZG_API kzg_status kzg_compute_blob_kzg_proof_batch(const kzg_ctx *ctx, kzg_proof *out,
                                                    const kzg_blob *blobs,
                                                    const kzg_commitment *commitments, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* KZGKIT_EIP4844_H */
