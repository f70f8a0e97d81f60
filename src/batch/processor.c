/*
 * batch/processor.c — the blob batch processor (include/kzgkit/runtime.h).
 *
 * Owns: kzg_processor. May call: the public EIP-4844 API (batch functions included), the
 * runtime's cache and metrics, field (for the canonical-element check). It sits above
 * eip4844: the "runtime-driven API" of DESIGN.md.
 *
 * One call, n blobs:
 *   1. key_i = SHA-256("kzgkit-processor-v1", blob_i) (cache_key) — ~0.1 ms per blob with
 *      SHA-NI, against ~50 ms to compute a commitment and a proof;
 *   2. sort the indices by key: equal keys are equal blobs; the first of each run is the
 *      representative, the others are duplicates;
 *   3. each representative is looked up in the cache; the misses are validated (every
 *      element canonical, so that an error names the caller's index), copied into one
 *      contiguous batch and computed with kzg_blob_to_kzg_commitment_batch and
 *      kzg_compute_blob_kzg_proof_batch on the context's threads (then verified in one
 *      batch when asked), and put into the cache;
 *   4. every index gets its representative's result.
 * Determinism: results are those of the single-blob functions, whatever the cache holds.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "field/fr.h"
#include "kzgkit/eip4844.h"
#include "kzgkit/runtime.h"
#include "runtime/cache.h"
#include "runtime/metrics.h"

#define PROC_CACHE_TAG 0x70726f63u /* "proc" */
#define RESULT_BYTES (KZG_BYTES_PER_COMMITMENT + KZG_BYTES_PER_PROOF)

struct kzg_processor {
    const kzg_ctx *ctx;
    cache_t *cache; /* NULL: no cache */
    kzg_metrics *metrics;
    bool verify;
    _Atomic uint64_t calls, blobs, duplicates, cache_hits, computed;
};

/* The struct_size values kzg_processor_new accepts: the end of each field (common/common.h). */
#define PROCESSOR_OPTION_END(f) KZG_FIELD_END(kzg_processor_options, f)
static const size_t PROCESSOR_OPTION_ENDS[] = {
    PROCESSOR_OPTION_END(verify), PROCESSOR_OPTION_END(cache_bytes), sizeof(kzg_processor_options)};

kzg_status kzg_processor_new(kzg_processor **out, const kzg_ctx *ctx,
                             const kzg_processor_options *options) {
    kzg_clear_error();
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_processor_new: out is NULL");
    *out = NULL;
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_processor_new: ctx is NULL");
    kzg_processor_options o;
    kzg_status ret = kzg_options_copy(&o, sizeof o, options, options ? options->struct_size : 0,
                                      PROCESSOR_OPTION_ENDS, KZG_ARRAY_LEN(PROCESSOR_OPTION_ENDS),
                                      "kzg_processor_options");
    if (ret != KZG_OK) return ret;
    kzg_processor *p = kzg_calloc(1, sizeof *p);
    if (!p) return kzg_fail(KZG_ERR_MEMORY, "kzg_processor_new: out of memory");
    p->ctx = ctx;
    p->metrics = o.metrics;
    p->verify = o.verify != 0;
    if (o.cache_bytes) {
        cache_config cc = {.budget_bytes = o.cache_bytes};
        kzg_status st = cache_new(&p->cache, &cc);
        if (st != KZG_OK) {
            kzg_free(p);
            return st;
        }
    }
    *out = p;
    return KZG_OK;
}

void kzg_processor_free(kzg_processor *p) {
    if (!p) return;
    cache_free(p->cache);
    kzg_free(p);
}

kzg_status kzg_processor_stats_get(const kzg_processor *p, kzg_processor_stats *out) {
    kzg_clear_error();
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_processor_stats_get: out is NULL");
    memset(out, 0, sizeof *out);
    if (!p) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_processor_stats_get: processor is NULL");
    out->calls = atomic_load(&p->calls);
    out->blobs = atomic_load(&p->blobs);
    out->duplicates = atomic_load(&p->duplicates);
    out->cache_hits = atomic_load(&p->cache_hits);
    out->computed = atomic_load(&p->computed);
    cache_stats(p->cache, &out->cache);
    return KZG_OK;
}

typedef struct {
    uint8_t key[CACHE_KEY_BYTES];
    size_t index;
} keyed;

static int cmp_keyed(const void *a, const void *b) {
    const keyed *x = a, *y = b;
    int c = memcmp(x->key, y->key, CACHE_KEY_BYTES);
    if (c) return c;
    return (x->index > y->index) - (x->index < y->index); /* stable: earliest index first */
}

/* The spec's blob check, reported with the caller's index. */
static kzg_status check_blob(const kzg_blob *blob, size_t i) {
    fr_t x;
    for (size_t j = 0; j < KZG_FIELD_ELEMENTS_PER_BLOB; j++)
        if (!fr_from_bytes_be(&x, blob->bytes + j * KZG_BYTES_PER_FIELD_ELEMENT))
            return kzg_fail(KZG_ERR_SCALAR_NONCANONICAL,
                            "blobs[%zu]: field element %zu is not canonical (>= r)", i, j);
    return KZG_OK;
}

kzg_status kzg_processor_run(kzg_processor *p, kzg_commitment *commitments, kzg_proof *proofs,
                             bool *ok, const kzg_blob *blobs, size_t n) {
    kzg_clear_error();
    uint64_t t0 = metrics_start(p ? p->metrics : NULL);
    kzg_status st = KZG_OK;
    keyed *keys = NULL;
    size_t *rep = NULL, *pending = NULL; /* rep: index of the representative; pending: keys[] slots */
    kzg_blob *batch = NULL;
    kzg_commitment *bc = NULL;
    kzg_proof *bp = NULL;
    bool all_ok = true;
    size_t m = 0, dups = 0, hits = 0;

    if (ok) *ok = false;
    if (!p) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_processor_run: processor is NULL");
    if (n && (!commitments || !proofs || !blobs)) {
        st = kzg_fail(KZG_ERR_NULL_ARG, "kzg_processor_run: commitments, proofs and blobs are "
                                        "required when n > 0");
        goto out;
    }
    if (n > SIZE_MAX / sizeof(kzg_blob)) {
        /* No array of n blobs can exist, so neither can the outputs: nothing to zero (a
         * memset of n outputs would write past the caller's real arrays). */
        st = kzg_fail(KZG_ERR_LENGTH, "kzg_processor_run: n = %zu is too large", n);
        n = 0;
        goto out;
    }
    if (n == 0) goto out;

    keys = kzg_malloc(n * sizeof *keys);
    rep = kzg_malloc(n * sizeof *rep);
    pending = kzg_malloc(n * sizeof *pending);
    if (!keys || !rep || !pending) {
        st = kzg_fail(KZG_ERR_MEMORY, "kzg_processor_run: out of memory (n = %zu)", n);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const void *part = &blobs[i];
        size_t len = sizeof blobs[i];
        if ((st = cache_key(keys[i].key, PROC_CACHE_TAG, &part, &len, 1)) != KZG_OK) goto out;
        keys[i].index = i;
    }
    qsort(keys, n, sizeof *keys, cmp_keyed);

    /* Representatives: cache hits are written now, misses queued (in key order). */
    for (size_t k = 0; k < n; k++) {
        size_t i = keys[k].index;
        if (k && memcmp(keys[k].key, keys[k - 1].key, CACHE_KEY_BYTES) == 0) {
            rep[i] = rep[keys[k - 1].index];
            dups++;
            continue;
        }
        rep[i] = i;
        uint8_t value[RESULT_BYTES];
        size_t len = 0;
        if (cache_get(p->cache, value, sizeof value, &len, keys[k].key) && len == RESULT_BYTES) {
            memcpy(commitments[i].bytes, value, KZG_BYTES_PER_COMMITMENT);
            memcpy(proofs[i].bytes, value + KZG_BYTES_PER_COMMITMENT, KZG_BYTES_PER_PROOF);
            hits++;
        } else {
            pending[m++] = k; /* its key stays at keys[k] for the cache put below */
        }
    }

    if (m) {
        /* Validate in the caller's order so that the first bad blob is the one reported. */
        size_t first_bad = SIZE_MAX;
        for (size_t t = 0; t < m; t++) {
            size_t i = keys[pending[t]].index;
            if (i < first_bad && check_blob(&blobs[i], i) != KZG_OK) first_bad = i;
        }
        if (first_bad != SIZE_MAX) {
            st = check_blob(&blobs[first_bad], first_bad);
            goto out;
        }
        batch = kzg_malloc(m * sizeof *batch);
        bc = kzg_malloc(m * sizeof *bc);
        bp = kzg_malloc(m * sizeof *bp);
        if (!batch || !bc || !bp) {
            st = kzg_fail(KZG_ERR_MEMORY, "kzg_processor_run: out of memory (%zu new blobs)", m);
            goto out;
        }
        for (size_t t = 0; t < m; t++) batch[t] = blobs[keys[pending[t]].index];
        if ((st = kzg_blob_to_kzg_commitment_batch(p->ctx, bc, batch, m)) != KZG_OK) goto out;
        if ((st = kzg_compute_blob_kzg_proof_batch(p->ctx, bp, batch, bc, m)) != KZG_OK) goto out;
        if (p->verify &&
            (st = kzg_verify_blob_kzg_proof_batch(p->ctx, &all_ok, batch, bc, bp, m)) != KZG_OK)
            goto out;
        for (size_t t = 0; t < m; t++) {
            size_t i = keys[pending[t]].index;
            commitments[i] = bc[t];
            proofs[i] = bp[t];
            if (p->cache && all_ok) {
                uint8_t value[RESULT_BYTES];
                memcpy(value, bc[t].bytes, KZG_BYTES_PER_COMMITMENT);
                memcpy(value + KZG_BYTES_PER_COMMITMENT, bp[t].bytes, KZG_BYTES_PER_PROOF);
                /* A full cache only means no reuse later: not an error of this call. */
                (void)cache_put(p->cache, keys[pending[t]].key, value, sizeof value);
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        if (rep[i] != i) {
            commitments[i] = commitments[rep[i]];
            proofs[i] = proofs[rep[i]];
        }
    atomic_fetch_add(&p->calls, 1);
    atomic_fetch_add(&p->blobs, n);
    atomic_fetch_add(&p->duplicates, dups);
    atomic_fetch_add(&p->cache_hits, hits);
    atomic_fetch_add(&p->computed, m);

out:
    if (st != KZG_OK) {
        if (commitments && n) memset(commitments, 0, n * sizeof *commitments);
        if (proofs && n) memset(proofs, 0, n * sizeof *proofs);
        all_ok = false;
    }
    if (ok) *ok = all_ok;
    kzg_free(keys);
    kzg_free(rep);
    kzg_free(pending);
    kzg_free(batch);
    kzg_free(bc);
    kzg_free(bp);
    metrics_record(p ? p->metrics : NULL, KZG_OP_PROCESS_BLOBS, st, t0, n);
    return st;
}
