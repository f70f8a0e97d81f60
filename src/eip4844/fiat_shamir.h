/*
 * eip4844/fiat_shamir.h — the EIP-4844 transcripts of deneb/polynomial-commitments.md: the
 * challenge of a blob proof and the random linear combination of a batch verification,
 * each a hash_to_bls_field (SHA-256, then reduced mod r) of the spec's byte string. Calls
 * common (sha256), decode (the transcripts' integers), field.
 */
#ifndef KZGKIT_EIP4844_FIAT_SHAMIR_H
#define KZGKIT_EIP4844_FIAT_SHAMIR_H

#include "common/common.h"
#include "field/fr.h"
#include "kzgkit/eip4844.h"

/* compute_challenge: hash_to_bls_field(FSBLOBVERIFY_V1_ || u128_be(4096) || blob ||
 * commitment), the commitment's bytes hashed as given. One SHA-256 of 131,136 bytes. */
kzg_status fs_blob_challenge(fr_t *out, const kzg_blob *blob, const uint8_t commitment[48]);

/* verify_kzg_proof_batch's r: hash_to_bls_field(RCKZGBATCH___V1_ || u64_be(4096) ||
 * u64_be(n) || Σ_i commitment_i || z_i || y_i || proof_i). */
kzg_status fs_batch_challenge(fr_t *out, const kzg_commitment *commitments, const fr_t *zs,
                              const fr_t *ys, const kzg_proof *proofs, size_t n);

#endif
