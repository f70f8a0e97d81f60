/*
 * runtime/cache.h — content-addressed LRU result caches (commitments, proofs, verification
 * results).
 *
 * Owns: the cache structure, its byte budget and counters, the adaptive budget rule.
 * May call: common (and OpenSSL's SHA-256 for cache_key). Never the field/curve/eip layers:
 * the operations call into the cache, not the other way round.
 *
 * KEY CONTRACT. A key is 32 bytes: SHA-256 over an operation tag and *every* input of the
 * operation, each input length-prefixed so that no two input lists hash the same bytes
 * (cache_key does exactly this). A value cached under such a key is then a pure function of
 * the key: a verification result ("true"/"false") can be returned for a later call only if
 * that call has the same commitment, proof, point, value, blob... byte for byte. Anything
 * the result depends on beyond the inputs (the trusted setup) must be either fixed for the
 * cache's lifetime (a cache owned by one context) or hashed into the key as one more input.
 * The cache trusts its keys: it never sees the inputs, so a caller that hashes less than
 * all of them can be served a wrong answer.
 *
 * Structure: CACHE_SHARDS shards chosen by the low bits of key[0], each with its own mutex,
 * a chained hash table (bucket index from key bytes 8..15, multiplied by a per-cache random
 * odd constant so that ground keys cannot flood one chain) and a doubly linked LRU list.
 *
 * Budget: each shard gets 1/CACHE_SHARDS of the budget. An entry is charged its node
 * (links, key, length), its value, and CACHE_ALLOC_OVERHEAD for the allocator's headers;
 * a shard's hash table is charged its full allocation (slots + overhead). Inserting evicts
 * least-recently-used entries of the shard until the new entry fits; an entry that cannot
 * fit an empty shard is not stored. So the sum of charged bytes never exceeds the budget.
 * The fixed part (the cache struct and shard array, cache_fixed_bytes()) is not charged.
 *
 * Adaptive mode: every `adapt_interval` lookups (gets) one thread takes a decision from the
 * hits, misses and evictions since the previous decision:
 *   h = window hits / window lookups;
 *   h < target - CACHE_ADAPT_HYSTERESIS and the window had evictions (more memory would
 *       have kept something) and budget < max  →  budget = min(max, budget * 3/2);
 *   h > target + CACHE_ADAPT_HYSTERESIS and budget > min → budget = max(min, budget * 7/8);
 *   otherwise unchanged.
 * Growing is fast and shrinking slow, so the cache settles just above the target; misses
 * without evictions (first sightings) never grow it. A budget change is a cache_resize.
 *
 * Threads: every function may be called concurrently on one cache except cache_free.
 * A NULL cache is a disabled cache: cache_get misses (not counted), cache_put does nothing.
 */
#ifndef KZGKIT_RUNTIME_CACHE_H
#define KZGKIT_RUNTIME_CACHE_H

#include "common/common.h"
#include "kzgkit/runtime.h"

#define CACHE_KEY_BYTES 32
#define CACHE_SHARDS 16
#define CACHE_MAX_VALUE 1024         /* the largest value a cache stores, bytes */
#define CACHE_ALLOC_OVERHEAD 32      /* charged per allocation: kzg_malloc's 16-byte header
                                        plus malloc's own chunk header and rounding */
#define CACHE_ADAPT_HYSTERESIS 0.02
#define CACHE_DEFAULT_ADAPT_INTERVAL 4096

typedef struct cache cache_t;

typedef struct cache_config {
    size_t budget_bytes;        /* > 0; the initial budget in adaptive mode */
    bool adaptive;
    size_t min_budget_bytes;    /* adaptive: 0 < min <= budget <= max */
    size_t max_budget_bytes;
    double target_hit_rate;     /* adaptive: in (0, 1) */
    uint32_t adapt_interval;    /* adaptive: lookups per decision; 0 → default */
} cache_config;

/* A new empty cache. KZG_ERR_NULL_ARG for NULL out/config, KZG_ERR_BAD_ARG for a zero
 * budget or inconsistent adaptive settings, KZG_ERR_MEMORY. *out is NULL on failure. */
kzg_status cache_new(cache_t **out, const cache_config *config);
void cache_free(cache_t *c); /* NULL allowed */

/* Looks `key` up. On a hit whose value fits value_cap bytes, copies it into `value`, sets
 * *value_len, marks the entry most recently used and returns true. Otherwise returns false
 * and sets *value_len to 0 (a stored value larger than value_cap counts as a miss). */
bool cache_get(cache_t *c, void *value, size_t value_cap, size_t *value_len,
               const uint8_t key[CACHE_KEY_BYTES]);

/* Stores (or replaces) the value of `key` as the most recently used entry, evicting as the
 * budget requires. KZG_OK also when the entry is too large for the budget (not stored) or
 * c is NULL; KZG_ERR_NULL_ARG for NULL key/value, KZG_ERR_LENGTH for value_len 0 or above
 * CACHE_MAX_VALUE, KZG_ERR_MEMORY when the node cannot be allocated. */
kzg_status cache_put(cache_t *c, const uint8_t key[CACHE_KEY_BYTES], const void *value,
                     size_t value_len);

/* Sets the budget, keeping in each shard its most recently used entries that fit the
 * shard's share. In adaptive mode the budget is clamped to [min, max]. KZG_ERR_NULL_ARG,
 * KZG_ERR_BAD_ARG for 0. */
kzg_status cache_resize(cache_t *c, size_t budget_bytes);

/* Drops every entry (the counters stay: they are cumulative). */
void cache_clear(cache_t *c);

/* Statistics (see kzg_cache_stats). A NULL cache gives zeroes. */
void cache_stats(const cache_t *c, kzg_cache_stats *out);

/* Bytes charged for one entry with a value of value_len bytes (excluding the index). */
size_t cache_entry_cost(size_t value_len);
/* Bytes charged for a shard's hash table of `slots` slots (0 for none; tables have 8, 16,
 * 32... slots and grow at a load factor of 1). */
size_t cache_table_cost(size_t slots);
/* The uncharged fixed size of a cache object. */
size_t cache_fixed_bytes(void);

/* The key of an operation: SHA-256 over "kzgkit-cache-v1", the 32-bit tag, then for each of
 * the n inputs its length (64-bit little-endian) and its bytes. KZG_ERR_NULL_ARG for NULL
 * out or a NULL part of non-zero length, KZG_ERR_INTERNAL if SHA-256 fails. */
kzg_status cache_key(uint8_t out[CACHE_KEY_BYTES], uint32_t tag, const void *const *parts,
                     const size_t *lens, size_t n);

#endif
