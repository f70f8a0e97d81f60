/*
 * eip4844/api.c — the public EIP-4844 entry points: each spec function of spec.h, timed into
 * the context's metrics and, for the four a node repeats, answered from the context's result
 * cache. Calls spec.h, runtime (cache, metrics), setup (the context), inject (gate-quality
 * builds only).
 */
#include "eip4844/inject.h"
#include "eip4844/spec.h"
#include "runtime/cache.h"
#include "runtime/metrics.h"
#include "setup/setup.h"

/* ---- public entry points ------------------------------------------------------------------
 * The spec functions (spec.h), recorded into the context's metrics and, for the four that a node
 * repeats (the same blob or proof seen from several peers), answered from the context's
 * result cache when it has one. Cache keys (cache_key): SHA-256 over a per-operation tag and
 * every input, length-prefixed; the setup is fixed per context, so the key binds the whole
 * computation. Only KZG_OK answers are stored; a failed call is recomputed, so its status
 * and detail are always the operation's own. Cost of a lookup: one SHA-256 of the inputs
 * (~0.1 ms for a blob with SHA-NI; a commitment costs ~30 ms). */
enum { TAG_COMMIT = 1, TAG_BLOB_PROOF = 2, TAG_VERIFY = 3, TAG_VERIFY_BLOB = 4 };

/* The cache key, or false when the context has no cache (or hashing failed: then the call
 * simply computes). */
static bool result_key(uint8_t key[CACHE_KEY_BYTES], const kzg_ctx *ctx, uint32_t tag,
                       const void *const *parts, const size_t *lens, size_t n) {
    if (!ctx || !ctx->cache) return false;
    for (size_t i = 0; i < n; i++)
        if (!parts[i]) return false;
    return cache_key(key, tag, parts, lens, n) == KZG_OK;
}

kzg_status kzg_blob_to_kzg_commitment(const kzg_ctx *ctx, kzg_commitment *out, const kzg_blob *blob) {
    uint64_t t0 = metrics_start(ctx_metrics(ctx));
    INJECT_SLOWDOWN(INJECT_OP_BLOB_TO_KZG_COMMITMENT);
    uint8_t key[CACHE_KEY_BYTES];
    const void *parts[] = {blob};
    size_t lens[] = {sizeof *blob}, len;
    bool keyed = out && result_key(key, ctx, TAG_COMMIT, parts, lens, 1);
    kzg_status st;
    if (keyed && cache_get(ctx->cache, out, sizeof *out, &len, key) && len == sizeof *out) {
        kzg_clear_error();
        st = KZG_OK;
    } else {
        st = eip4844_blob_to_kzg_commitment(ctx, out, blob);
        if (keyed && st == KZG_OK) (void)cache_put(ctx->cache, key, out, sizeof *out);
    }
    metrics_record(ctx_metrics(ctx), KZG_OP_BLOB_TO_KZG_COMMITMENT, st, t0, 1);
    return st;
}

kzg_status kzg_compute_kzg_proof(const kzg_ctx *ctx, kzg_proof *proof_out, kzg_field_element *y_out,
                                 const kzg_blob *blob, const kzg_field_element *z) {
    uint64_t t0 = metrics_start(ctx_metrics(ctx));
    kzg_status st = eip4844_compute_kzg_proof(ctx, proof_out, y_out, blob, z);
    metrics_record(ctx_metrics(ctx), KZG_OP_COMPUTE_KZG_PROOF, st, t0, 1);
    return st;
}

kzg_status kzg_compute_blob_kzg_proof(const kzg_ctx *ctx, kzg_proof *out, const kzg_blob *blob,
                                      const kzg_commitment *commitment) {
    uint64_t t0 = metrics_start(ctx_metrics(ctx));
    uint8_t key[CACHE_KEY_BYTES];
    const void *parts[] = {blob, commitment};
    size_t lens[] = {sizeof *blob, sizeof *commitment}, len;
    bool keyed = out && result_key(key, ctx, TAG_BLOB_PROOF, parts, lens, 2);
    kzg_status st;
    if (keyed && cache_get(ctx->cache, out, sizeof *out, &len, key) && len == sizeof *out) {
        kzg_clear_error();
        st = KZG_OK;
    } else {
        st = eip4844_compute_blob_kzg_proof(ctx, out, blob, commitment);
        if (keyed && st == KZG_OK) (void)cache_put(ctx->cache, key, out, sizeof *out);
    }
    metrics_record(ctx_metrics(ctx), KZG_OP_COMPUTE_BLOB_KZG_PROOF, st, t0, 1);
    return st;
}

/* A cached verification answer: one byte, 0 or 1. */
static bool cached_bool(const kzg_ctx *ctx, bool *ok, const uint8_t key[CACHE_KEY_BYTES]) {
    uint8_t v;
    size_t len;
    if (!ok || !cache_get(ctx->cache, &v, 1, &len, key) || len != 1) return false;
    kzg_clear_error();
    *ok = v != 0;
    return true;
}

kzg_status kzg_verify_kzg_proof(const kzg_ctx *ctx, bool *ok, const kzg_commitment *commitment,
                                const kzg_field_element *z, const kzg_field_element *y,
                                const kzg_proof *proof) {
    uint64_t t0 = metrics_start(ctx_metrics(ctx));
    INJECT_SLOWDOWN(INJECT_OP_VERIFY_KZG_PROOF);
    uint8_t key[CACHE_KEY_BYTES];
    const void *parts[] = {commitment, z, y, proof};
    size_t lens[] = {sizeof *commitment, sizeof *z, sizeof *y, sizeof *proof};
    bool keyed = ok && result_key(key, ctx, TAG_VERIFY, parts, lens, 4);
    kzg_status st = KZG_OK;
    if (!(keyed && cached_bool(ctx, ok, key))) {
        st = eip4844_verify_kzg_proof(ctx, ok, commitment, z, y, proof);
        if (keyed && st == KZG_OK) {
            uint8_t v = *ok;
            (void)cache_put(ctx->cache, key, &v, 1);
        }
    }
    metrics_record(ctx_metrics(ctx), KZG_OP_VERIFY_KZG_PROOF, st, t0, 1);
    return st;
}

kzg_status kzg_verify_blob_kzg_proof(const kzg_ctx *ctx, bool *ok, const kzg_blob *blob,
                                     const kzg_commitment *commitment, const kzg_proof *proof) {
    uint64_t t0 = metrics_start(ctx_metrics(ctx));
    uint8_t key[CACHE_KEY_BYTES];
    const void *parts[] = {blob, commitment, proof};
    size_t lens[] = {sizeof *blob, sizeof *commitment, sizeof *proof};
    bool keyed = ok && result_key(key, ctx, TAG_VERIFY_BLOB, parts, lens, 3);
    kzg_status st = KZG_OK;
    if (!(keyed && cached_bool(ctx, ok, key))) {
        st = eip4844_verify_blob_kzg_proof(ctx, ok, blob, commitment, proof);
        if (keyed && st == KZG_OK) {
            uint8_t v = *ok;
            (void)cache_put(ctx->cache, key, &v, 1);
        }
    }
    metrics_record(ctx_metrics(ctx), KZG_OP_VERIFY_BLOB_KZG_PROOF, st, t0, 1);
    return st;
}

kzg_status kzg_verify_blob_kzg_proof_batch(const kzg_ctx *ctx, bool *ok, const kzg_blob *blobs,
                                           const kzg_commitment *commitments, const kzg_proof *proofs,
                                           size_t n) {
    uint64_t t0 = metrics_start(ctx_metrics(ctx));
    kzg_status st = eip4844_verify_blob_kzg_proof_batch(ctx, ok, blobs, commitments, proofs, n);
    metrics_record(ctx_metrics(ctx), KZG_OP_VERIFY_BLOB_KZG_PROOF_BATCH, st, t0, n);
    return st;
}
