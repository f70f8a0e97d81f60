/*
 * eip4844/spec.h — the EIP-4844 spec functions themselves (eip4844.c), without the metrics
 * and the result cache that wrap them into the public kzg_* entry points (api.c). Same
 * arguments, statuses and details as the public functions of kzgkit/eip4844.h.
 */
#ifndef KZGKIT_EIP4844_SPEC_H
#define KZGKIT_EIP4844_SPEC_H

#include "kzgkit/eip4844.h"

kzg_status eip4844_blob_to_kzg_commitment(const kzg_ctx *ctx, kzg_commitment *out, const kzg_blob *blob);
kzg_status eip4844_compute_kzg_proof(const kzg_ctx *ctx, kzg_proof *proof_out, kzg_field_element *y_out,
                                     const kzg_blob *blob, const kzg_field_element *z_bytes);
kzg_status eip4844_compute_blob_kzg_proof(const kzg_ctx *ctx, kzg_proof *out, const kzg_blob *blob,
                                          const kzg_commitment *commitment);
kzg_status eip4844_verify_kzg_proof(const kzg_ctx *ctx, bool *ok, const kzg_commitment *commitment,
                                    const kzg_field_element *z_bytes, const kzg_field_element *y_bytes,
                                    const kzg_proof *proof);
kzg_status eip4844_verify_blob_kzg_proof(const kzg_ctx *ctx, bool *ok, const kzg_blob *blob,
                                         const kzg_commitment *commitment, const kzg_proof *proof);
kzg_status eip4844_verify_blob_kzg_proof_batch(const kzg_ctx *ctx, bool *ok, const kzg_blob *blobs,
                                               const kzg_commitment *commitments, const kzg_proof *proofs,
                                               size_t n);

#endif
