/*
 * eip4844/eip4844_internal.h — internal entry points of the EIP-4844 layer that tools and
 * tests may call (the CLI links the static library). Not part of the public API.
 */
#ifndef KZGKIT_EIP4844_INTERNAL_H
#define KZGKIT_EIP4844_INTERNAL_H

#include "common/common.h"
#include "curve/g1.h"
#include "kzgkit/eip4844.h"

/* Boundary helpers shared with the EIP-7594 layer. */
/* "name" or "name[idx]" (idx = SIZE_MAX: a single input), for error details. */
const char *eip4844_label(char buf[48], const char *name, size_t idx);
/* The spec's bytes_to_kzg_commitment / bytes_to_kzg_proof (KeyValidate, infinity allowed),
 * failing with the decoder's status and "name[idx]: reason" as the detail. */
kzg_status eip4844_g1_from_bytes(g1_aff_t *out, const kzg_g1_bytes *in, const char *name,
                                 size_t idx);
/* g1_decompress of in[0..n) into out/st over the context's pool (the subgroup checks eight
 * at a time where the backend can). Statuses only: rerun eip4844_g1_from_bytes on the first
 * failing index for its detail. */
void eip4844_g1_decode_many(const kzg_ctx *ctx, g1_aff_t *out, kzg_status *st,
                            const kzg_g1_bytes *in, size_t n);

/* Test hook: the spec's compute_challenge(blob, commitment) as 32 big-endian bytes of the
 * resulting field element. The commitment's bytes are hashed as given (not decoded). */
kzg_status eip4844_compute_challenge(uint8_t out[32], const kzg_blob *blob,
                                     const kzg_commitment *commitment);

#endif
