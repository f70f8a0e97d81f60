/*
 * eip4844/decode.h — the byte boundary of the spec functions: the spec's input types
 * (Bytes32 field elements, Bytes48 commitments and proofs, blobs, cells) to internal values
 * and back, with the detail every failure carries ("name[idx]: what"). Shared by the
 * EIP-4844 and EIP-7594 layers and the batch entry points, so that each check and each
 * message is written once. Calls setup (the context's pool), msm (its scalar type), curve,
 * field, common.
 */
#ifndef KZGKIT_EIP4844_DECODE_H
#define KZGKIT_EIP4844_DECODE_H

#include "common/common.h"
#include "curve/g1.h"
#include "field/fr.h"
#include "kzgkit/eip4844.h"
#include "msm/msm.h"

/* "name" or "name[idx]" (idx = SIZE_MAX: a single input), written to buf when indexed. */
const char *decode_label(char buf[48], const char *name, size_t idx);

/* The spec's bytes_to_kzg_commitment / bytes_to_kzg_proof (KeyValidate, infinity allowed),
 * failing with the decoder's status and "name[idx]: reason" as the detail. */
kzg_status decode_g1(g1_aff_t *out, const kzg_g1_bytes *in, const char *name, size_t idx);

/* g1_decompress of in[0..n) into out/st over the context's pool (the subgroup checks eight
 * at a time where the backend can). Statuses only: rerun decode_g1 on the first failing
 * index for its detail. */
void decode_g1_many(const kzg_ctx *ctx, g1_aff_t *out, kzg_status *st, const kzg_g1_bytes *in,
                    size_t n);

/* The spec's bytes_to_bls_field: KZG_ERR_SCALAR_NONCANONICAL ("name: not a canonical field
 * element (>= r)") unless in < r. */
kzg_status decode_fr(fr_t *out, const kzg_field_element *in, const char *name);

/* n consecutive 32-byte big-endian field elements (a blob's or a cell's) into Montgomery
 * form; the first element >= r fails with "name[idx]: field element j is not canonical
 * (>= r)". */
kzg_status decode_fr_array(fr_t *out, const uint8_t *bytes, size_t n, const char *name,
                           size_t idx);

/* decode_fr_array into plain integers < r (no Montgomery conversion), the same check and
 * detail; with AVX2 as decode_blob_raw. */
kzg_status decode_fr_array_raw(msm_scalar *out, const uint8_t *bytes, size_t n, const char *name, size_t idx);

/* The spec's blob_to_polynomial into plain integers < r (no Montgomery conversion: the MSM
 * and the evaluation take them as they are), with decode_fr_array's detail on failure. */
kzg_status decode_blob_raw(msm_scalar *out, const kzg_blob *blob, const char *name, size_t idx);
/* The same, and *sum = Σ_i out[i] mod r (a plain value < r, for the blob evaluation), in the
 * same pass: with AVX2 a byte reversal and two vector additions an element. */
kzg_status decode_blob_raw_sum(msm_scalar *out, fr_t *sum, const kzg_blob *blob, const char *name, size_t idx);
/* decode_blob_raw_sum on the scalar path when vector is false (tests compare the paths). */
kzg_status decode_blob_raw_sum_with(msm_scalar *out, fr_t *sum, const kzg_blob *blob, const char *name, size_t idx,
                                    bool vector);

/* The compressed encoding of a Jacobian point (one inversion). */
void encode_g1(kzg_g1_bytes *out, const g1_t *p);

/* v as 8 big-endian bytes (the transcripts' integers). */
void encode_u64_be(uint8_t out[8], uint64_t v);

#endif
