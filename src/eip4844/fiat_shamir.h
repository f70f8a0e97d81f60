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

/* The hashes behind fs_blob_challenge for count ≤ FS_CHALLENGES_MAX blobs at once
 * (hash_to_bls_field is then fr_from_bytes_be_reduce of hash[i]): sha256_many, all sixteen
 * lanes at once with `wide` (the IFMA backend: its CPUs have AVX-512F). st[i]: blob i's
 * status (a failed digest: KZG_ERR_MEMORY or KZG_ERR_INTERNAL, hash[i] zeroed); returns the
 * first failure. */
#define FS_CHALLENGES_MAX 16
kzg_status fs_blob_challenge_hashes(uint8_t (*hash)[32], kzg_status *st, const kzg_blob *blobs,
                                    const kzg_commitment *commitments, size_t count, bool wide);

/* verify_kzg_proof_batch's r: hash_to_bls_field(RCKZGBATCH___V1_ || u64_be(4096) ||
 * u64_be(n) || Σ_i commitment_i || z_i || y_i || proof_i). */
kzg_status fs_batch_challenge(fr_t *out, const kzg_commitment *commitments, const fr_t *zs,
                              const fr_t *ys, const kzg_proof *proofs, size_t n);

#endif
