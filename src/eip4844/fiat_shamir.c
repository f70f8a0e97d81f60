/* eip4844/fiat_shamir.c — see fiat_shamir.h. */
#include "eip4844/fiat_shamir.h"

#include "common/sha256.h"
#include "eip4844/decode.h"
#include "eip4844/eip4844_internal.h"

static const char FIAT_SHAMIR_PROTOCOL_DOMAIN[16] = {'F', 'S', 'B', 'L', 'O', 'B', 'V', 'E',
                                                     'R', 'I', 'F', 'Y', '_', 'V', '1', '_'};
static const char RANDOM_CHALLENGE_KZG_BATCH_DOMAIN[16] = {'R', 'C', 'K', 'Z', 'G', 'B', 'A', 'T',
                                                           'C', 'H', '_', '_', '_', 'V', '1', '_'};

kzg_status fs_blob_challenge(fr_t *out, const kzg_blob *blob, const uint8_t commitment[48]) {
    uint8_t degree[16] = {0}, h[32];
    encode_u64_be(degree + 8, KZG_FIELD_ELEMENTS_PER_BLOB);
    sha256_stream s;
    sha256_begin(&s);
    sha256_add(&s, FIAT_SHAMIR_PROTOCOL_DOMAIN, 16);
    sha256_add(&s, degree, 16);
    sha256_add(&s, blob->bytes, KZG_BYTES_PER_BLOB);
    sha256_add(&s, commitment, 48);
    kzg_status st = sha256_end(&s, h, "compute_challenge");
    if (st != KZG_OK) return st;
    fr_from_bytes_be_reduce(out, h);
    return KZG_OK;
}

kzg_status fs_blob_challenge_hashes(uint8_t (*hash)[32], kzg_status *st, const kzg_blob *blobs,
                                    const kzg_commitment *commitments, size_t count, bool wide) {
    enum { PIECES = 4 };
    uint8_t degree[16] = {0};
    const size_t lens[PIECES] = {16, 16, KZG_BYTES_PER_BLOB, 48};
    const uint8_t *pieces[FS_CHALLENGES_MAX * PIECES];
    if (count > FS_CHALLENGES_MAX) count = FS_CHALLENGES_MAX; /* the contract; never more */
    encode_u64_be(degree + 8, KZG_FIELD_ELEMENTS_PER_BLOB);
    for (size_t i = 0; i < count; i++) {
        pieces[i * PIECES] = (const uint8_t *)FIAT_SHAMIR_PROTOCOL_DOMAIN;
        pieces[i * PIECES + 1] = degree;
        pieces[i * PIECES + 2] = blobs[i].bytes;
        pieces[i * PIECES + 3] = commitments[i].bytes;
    }
    return sha256_many(hash, st, count, pieces, lens, PIECES, wide, "compute_challenge");
}

kzg_status fs_batch_challenge(fr_t *out, const kzg_commitment *commitments, const fr_t *zs,
                              const fr_t *ys, const kzg_proof *proofs, size_t n) {
    uint8_t head[16], h[32], zb[32], yb[32];
    encode_u64_be(head, KZG_FIELD_ELEMENTS_PER_BLOB);
    encode_u64_be(head + 8, (uint64_t)n);
    sha256_stream s;
    sha256_begin(&s);
    sha256_add(&s, RANDOM_CHALLENGE_KZG_BATCH_DOMAIN, 16);
    sha256_add(&s, head, 16);
    for (size_t i = 0; i < n; i++) {
        fr_to_bytes_be(zb, &zs[i]);
        fr_to_bytes_be(yb, &ys[i]);
        sha256_add(&s, commitments[i].bytes, 48);
        sha256_add(&s, zb, 32);
        sha256_add(&s, yb, 32);
        sha256_add(&s, proofs[i].bytes, 48);
    }
    kzg_status st = sha256_end(&s, h, "verify batch");
    if (st != KZG_OK) return st;
    fr_from_bytes_be_reduce(out, h);
    return KZG_OK;
}

/* The test hook of eip4844_internal.h. */
kzg_status eip4844_compute_challenge(uint8_t out[32], const kzg_blob *blob,
                                     const kzg_commitment *commitment) {
    kzg_status ret;
    fr_t z;
    kzg_clear_error();
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "compute_challenge: out is NULL");
    memset(out, 0, 32);
    if (!blob) return kzg_fail(KZG_ERR_NULL_ARG, "compute_challenge: blob is NULL");
    if (!commitment) return kzg_fail(KZG_ERR_NULL_ARG, "compute_challenge: commitment is NULL");
    if ((ret = fs_blob_challenge(&z, blob, commitment->bytes)) != KZG_OK) return ret;
    fr_to_bytes_be(out, &z);
    return KZG_OK;
}
