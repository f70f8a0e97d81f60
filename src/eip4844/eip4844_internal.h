/*
 * eip4844/eip4844_internal.h — internal entry points of the EIP-4844 layer that tools and
 * tests may call (the CLI links the static library). Not part of the public API.
 */
#ifndef KZGKIT_EIP4844_INTERNAL_H
#define KZGKIT_EIP4844_INTERNAL_H

#include "common/common.h"
#include "kzgkit/eip4844.h"

/* Test hook: the spec's compute_challenge(blob, commitment) as 32 big-endian bytes of the
 * resulting field element. The commitment's bytes are hashed as given (not decoded). */
kzg_status eip4844_compute_challenge(uint8_t out[32], const kzg_blob *blob,
                                     const kzg_commitment *commitment);

#endif
