/* test_cache — the result cache: exact hit/miss/insert/eviction accounting, LRU order, the
 * byte budget (never exceeded, charged honestly against the allocator's own accounting),
 * resizing that keeps the most recent entries, clearing, the adaptive budget rule, the key
 * derivation, and specific statuses for bad arguments. */
#include <math.h>

#include "runtime/cache.h"
#include "testrand.h"

#define VLEN 48

/* A random key in shard `shard` (key[0]'s low bits pick the shard). */
static void key_in_shard(uint8_t key[CACHE_KEY_BYTES], unsigned shard) {
    testrand_bytes(key, CACHE_KEY_BYTES);
    key[0] = (uint8_t)((key[0] & ~(CACHE_SHARDS - 1)) | shard);
}

/* The value stored under a key in these tests: derived from the key, so a hit can be
 * checked to return the right bytes. */
static void value_of(uint8_t *v, size_t len, const uint8_t *key) {
    for (size_t i = 0; i < len; i++) v[i] = (uint8_t)(key[i % CACHE_KEY_BYTES] ^ (i * 37) ^ len);
}

static cache_t *new_cache(size_t budget) {
    cache_t *c = NULL;
    cache_config cfg = {0};
    cfg.budget_bytes = budget;
    CHECK(cache_new(&c, &cfg) == KZG_OK, "cache_new(%zu)", budget);
    return c;
}

static bool has(cache_t *c, const uint8_t *key) {
    uint8_t v[CACHE_MAX_VALUE], want[CACHE_MAX_VALUE];
    size_t n = 0;
    if (!cache_get(c, v, sizeof v, &n, key)) return false;
    value_of(want, n, key);
    CHECK(memcmp(v, want, n) == 0, "value returned for a key is not the value stored");
    return true;
}

static void put(cache_t *c, const uint8_t *key, size_t len) {
    uint8_t v[CACHE_MAX_VALUE];
    value_of(v, len, key);
    CHECK(cache_put(c, key, v, len) == KZG_OK, "cache_put");
}

static void test_cache__rejects_bad_arguments(void) {
    cache_t *c = (cache_t *)1;
    cache_config cfg = {0};
    CHECK(cache_new(NULL, &cfg) == KZG_ERR_NULL_ARG, "NULL out");
    CHECK(cache_new(&c, NULL) == KZG_ERR_NULL_ARG && c == NULL, "NULL config");
    c = (cache_t *)1;
    CHECK(cache_new(&c, &cfg) == KZG_ERR_BAD_ARG && c == NULL, "zero budget accepted");
    cfg = (cache_config){.budget_bytes = 1000, .adaptive = true, .min_budget_bytes = 2000,
                         .max_budget_bytes = 4000, .target_hit_rate = 0.5};
    CHECK(cache_new(&c, &cfg) == KZG_ERR_BAD_ARG, "min > budget accepted");
    cfg.min_budget_bytes = 0;
    CHECK(cache_new(&c, &cfg) == KZG_ERR_BAD_ARG, "zero min accepted");
    cfg.min_budget_bytes = 500;
    cfg.max_budget_bytes = 900;
    CHECK(cache_new(&c, &cfg) == KZG_ERR_BAD_ARG, "budget > max accepted");
    cfg.max_budget_bytes = 4000;
    cfg.target_hit_rate = 1.0;
    CHECK(cache_new(&c, &cfg) == KZG_ERR_BAD_ARG, "target 1.0 accepted");
    cfg.target_hit_rate = NAN;
    CHECK(cache_new(&c, &cfg) == KZG_ERR_BAD_ARG, "target NaN accepted");
    cfg.target_hit_rate = 0.5;
    CHECK(cache_new(&c, &cfg) == KZG_OK, "valid adaptive config refused");
    cache_free(c);

    c = new_cache(100000);
    uint8_t key[CACHE_KEY_BYTES] = {0}, v[CACHE_MAX_VALUE + 1] = {0};
    CHECK(cache_put(c, NULL, v, 1) == KZG_ERR_NULL_ARG, "NULL key");
    CHECK(cache_put(c, key, NULL, 1) == KZG_ERR_NULL_ARG, "NULL value");
    CHECK(cache_put(c, key, v, 0) == KZG_ERR_LENGTH, "empty value");
    CHECK(cache_put(c, key, v, CACHE_MAX_VALUE + 1) == KZG_ERR_LENGTH, "oversized value");
    CHECK(cache_put(c, key, v, CACHE_MAX_VALUE) == KZG_OK, "largest value refused");
    CHECK(cache_resize(c, 0) == KZG_ERR_BAD_ARG, "resize to 0");
    CHECK(cache_resize(NULL, 10) == KZG_ERR_NULL_ARG, "resize NULL");
    size_t n = 99;
    CHECK(!cache_get(c, v, sizeof v, &n, NULL) && n == 0, "get with NULL key");
    CHECK(!cache_get(c, NULL, 10, &n, key), "get with NULL value and non-zero capacity");
    CHECK(!cache_get(c, v, 10, &n, key) && n == 0, "a value larger than the capacity is a miss");
    kzg_cache_stats st;
    cache_stats(c, &st);
    CHECK(st.misses == 1 && st.hits == 0, "only the capacity miss counts: %llu misses",
          (unsigned long long)st.misses);
    cache_free(c);

    /* A NULL cache is a disabled one. */
    CHECK(!cache_get(NULL, v, sizeof v, &n, key) && n == 0, "NULL cache hit");
    CHECK(cache_put(NULL, key, v, 4) == KZG_OK, "put into NULL cache");
    cache_stats(NULL, &st);
    CHECK(st.entries == 0 && st.hits == 0, "NULL cache stats");
    cache_clear(NULL);
    cache_free(NULL);
}

static void test_cache__counts_hits_misses_inserts_updates_exactly(void) {
    cache_t *c = new_cache(1 << 20);
    enum { K = 200 };
    uint8_t keys[K][CACHE_KEY_BYTES], other[CACHE_KEY_BYTES];
    for (int i = 0; i < K; i++) key_in_shard(keys[i], (unsigned)i % CACHE_SHARDS);
    for (int i = 0; i < K; i++) CHECK(!has(c, keys[i]), "hit before insert %d", i);
    for (int i = 0; i < K; i++) put(c, keys[i], VLEN);
    for (int r = 0; r < 3; r++)
        for (int i = 0; i < K; i++) CHECK(has(c, keys[i]), "miss after insert %d", i);
    for (int i = 0; i < 7; i++) {
        key_in_shard(other, (unsigned)i);
        CHECK(!has(c, other), "hit on an unknown key");
    }
    for (int i = 0; i < 10; i++) put(c, keys[i], VLEN);     /* same length: in place */
    for (int i = 10; i < 15; i++) put(c, keys[i], VLEN + 32); /* other length: replaced */
    for (int i = 10; i < 15; i++) {
        uint8_t v[CACHE_MAX_VALUE];
        size_t n = 0;
        CHECK(cache_get(c, v, sizeof v, &n, keys[i]) && n == VLEN + 32, "replaced length %zu", n);
    }
    kzg_cache_stats st;
    cache_stats(c, &st);
    CHECK(st.inserts == K, "inserts %llu", (unsigned long long)st.inserts);
    CHECK(st.updates == 15, "updates %llu", (unsigned long long)st.updates);
    CHECK(st.hits == 3 * K + 5, "hits %llu", (unsigned long long)st.hits);
    CHECK(st.misses == K + 7, "misses %llu", (unsigned long long)st.misses);
    CHECK(st.evictions == 0, "evictions %llu", (unsigned long long)st.evictions);
    CHECK(st.entries == K, "entries %llu", (unsigned long long)st.entries);
    CHECK(st.budget_bytes == 1 << 20 && !st.adaptive, "budget");
    double want = (double)(3 * K + 5) / (double)(4 * K + 12);
    CHECK(st.hit_rate > want - 1e-12 && st.hit_rate < want + 1e-12, "hit rate %f", st.hit_rate);
    cache_free(c);
}

/* A stored value larger than the caller's buffer is a miss (cache.h): nothing copied, the
 * length 0, counted with the misses; the same key with room for it is a hit. */
static void test_cache__value_larger_than_the_buffer_is_a_miss(void) {
    cache_t *c = new_cache(1 << 20);
    uint8_t key[CACHE_KEY_BYTES], v[CACHE_MAX_VALUE];
    size_t n = 99;
    key_in_shard(key, 3);
    put(c, key, VLEN + 32);
    CHECK(!cache_get(c, v, VLEN, &n, key) && n == 0, "a %d-byte value returned into %d bytes (n %zu)",
          VLEN + 32, VLEN, n);
    CHECK(cache_get(c, v, VLEN + 32, &n, key) && n == VLEN + 32, "exact room: n %zu", n);
    kzg_cache_stats st;
    cache_stats(c, &st);
    CHECK(st.misses == 1 && st.hits == 1, "misses %llu, hits %llu", (unsigned long long)st.misses,
          (unsigned long long)st.hits);
    cache_free(c);
}

/* Budget for exactly `n` entries of VLEN bytes per shard (with the smallest table). */
static size_t budget_for(size_t n) {
    return CACHE_SHARDS * (cache_table_cost(8) + n * cache_entry_cost(VLEN));
}

static void test_cache__evicts_least_recently_used(void) {
    cache_t *c = new_cache(budget_for(3));
    uint8_t a[32], b[32], cc[32], d[32];
    key_in_shard(a, 5);
    key_in_shard(b, 5);
    key_in_shard(cc, 5);
    key_in_shard(d, 5);
    put(c, a, VLEN);
    put(c, b, VLEN);
    put(c, cc, VLEN);
    CHECK(has(c, a), "a present"); /* a becomes most recent: b is now the oldest */
    put(c, d, VLEN);
    kzg_cache_stats st;
    cache_stats(c, &st);
    CHECK(st.evictions == 1 && st.entries == 3, "evictions %llu entries %llu",
          (unsigned long long)st.evictions, (unsigned long long)st.entries);
    CHECK(!has(c, b), "b (least recently used) survived");
    CHECK(has(c, a) && has(c, cc) && has(c, d), "a, c or d evicted");
    /* Recency now d, cc, a (a oldest). Updating cc makes it most recent: cc, d, a. */
    put(c, cc, VLEN);
    uint8_t e[32];
    key_in_shard(e, 5);
    put(c, e, VLEN);
    CHECK(!has(c, a), "a should have been evicted");
    CHECK(has(c, cc) && has(c, d) && has(c, e), "recent entries evicted");
    /* Other shards are unaffected by shard 5's budget. */
    uint8_t f[32];
    key_in_shard(f, 6);
    put(c, f, VLEN);
    CHECK(has(c, f), "shard 6 entry missing");
    cache_free(c);
}

static void test_cache__never_exceeds_budget_and_charges_honestly(void) {
    enum { POOL = 600 };
    uint8_t (*keys)[CACHE_KEY_BYTES] = kzg_malloc(POOL * CACHE_KEY_BYTES);
    CHECK(keys != NULL, "alloc");
    if (!keys) return;
    for (int i = 0; i < POOL; i++) testrand_bytes(keys[i], CACHE_KEY_BYTES);
    for (int round = 0; round < 20; round++) {
        size_t budget = 1 + testrand_range(round < 5 ? 4000 : 200000);
        cache_t *c = new_cache(budget);
        if (!c) break;
        kzg_alloc_stats a0, a1;
        kzg_alloc_stats_get(&a0);
        for (int op = 0; op < 3000; op++) {
            uint64_t r = testrand_range(100);
            const uint8_t *k = keys[testrand_range(POOL)];
            if (r < 50) {
                put(c, k, 1 + testrand_range(r < 10 ? CACHE_MAX_VALUE : 96));
            } else if (r < 97) {
                has(c, k);
            } else if (r < 99) {
                budget = 1 + testrand_range(200000);
                CHECK(cache_resize(c, budget) == KZG_OK, "resize");
            } else {
                cache_clear(c);
            }
            kzg_cache_stats st;
            cache_stats(c, &st);
            CHECK(st.budget_bytes == budget, "budget %llu, set %zu",
                  (unsigned long long)st.budget_bytes, budget);
            CHECK(st.bytes <= st.budget_bytes, "round %d op %d: %llu bytes over a budget of %llu",
                  round, op, (unsigned long long)st.bytes, (unsigned long long)st.budget_bytes);
            if (op % 97 == 0) {
                /* The allocator sees payloads; the cache charges payload + overhead per
                 * allocation: one per entry plus at most one table per shard. */
                kzg_alloc_stats_get(&a1);
                uint64_t live = a1.live_bytes - a0.live_bytes;
                uint64_t extra = st.bytes - live - CACHE_ALLOC_OVERHEAD * st.entries;
                CHECK(live <= st.bytes && extra % CACHE_ALLOC_OVERHEAD == 0 &&
                          extra <= CACHE_ALLOC_OVERHEAD * CACHE_SHARDS,
                      "charged %llu bytes for %llu live bytes in %llu entries",
                      (unsigned long long)st.bytes, (unsigned long long)live,
                      (unsigned long long)st.entries);
            }
        }
        cache_free(c);
        kzg_alloc_stats_get(&a1);
        CHECK(a1.live_bytes == a0.live_bytes - cache_fixed_bytes() + CACHE_ALLOC_OVERHEAD,
              "cache_free leaked: live %llu before, %llu after",
              (unsigned long long)a0.live_bytes, (unsigned long long)a1.live_bytes);
    }
    kzg_free(keys);
}

static void test_cache__too_large_entry_is_not_stored(void) {
    cache_t *c = new_cache(CACHE_SHARDS * 100); /* 100 bytes per shard: no entry fits */
    uint8_t k[32];
    key_in_shard(k, 0);
    put(c, k, VLEN);
    kzg_cache_stats st;
    cache_stats(c, &st);
    CHECK(st.entries == 0 && st.bytes == 0 && st.inserts == 0, "stored an entry over budget");
    CHECK(!has(c, k), "hit on an entry that cannot fit");
    cache_free(c);
}

static void test_cache_resize__keeps_most_recent_entries(void) {
    cache_t *c = new_cache(1 << 20);
    uint8_t keys[10][32];
    for (int i = 0; i < 10; i++) {
        key_in_shard(keys[i], 3);
        put(c, keys[i], VLEN);
    }
    uint8_t elsewhere[CACHE_SHARDS][32];
    for (unsigned s = 0; s < CACHE_SHARDS; s++) {
        key_in_shard(elsewhere[s], s);
        if (s != 3) put(c, elsewhere[s], VLEN);
    }
    /* Growing keeps everything. */
    CHECK(cache_resize(c, 2 << 20) == KZG_OK, "grow");
    for (int i = 0; i < 10; i++) CHECK(has(c, keys[i]), "growing dropped entry %d", i);
    /* Restore the insertion order as recency order (the has() calls above touched them). */
    for (int i = 0; i < 10; i++) put(c, keys[i], VLEN);
    kzg_cache_stats st0, st1;
    cache_stats(c, &st0);
    /* Shrinking to 4 entries per shard keeps the 4 most recent of shard 3. */
    CHECK(cache_resize(c, budget_for(4)) == KZG_OK, "shrink");
    cache_stats(c, &st1);
    CHECK(st1.evictions - st0.evictions == 6, "evicted %llu",
          (unsigned long long)(st1.evictions - st0.evictions));
    CHECK(st1.bytes <= st1.budget_bytes, "over budget after shrink");
    for (int i = 0; i < 6; i++) CHECK(!has(c, keys[i]), "old entry %d kept", i);
    for (int i = 6; i < 10; i++) CHECK(has(c, keys[i]), "recent entry %d dropped", i);
    for (unsigned s = 0; s < CACHE_SHARDS; s++)
        if (s != 3) CHECK(has(c, elsewhere[s]), "shard %u lost its only entry", s);
    /* And growing back keeps what is left. */
    CHECK(cache_resize(c, 1 << 20) == KZG_OK, "grow back");
    for (int i = 6; i < 10; i++) CHECK(has(c, keys[i]), "entry %d lost growing back", i);
    cache_free(c);
}

static void test_cache_clear__drops_entries_keeps_counters(void) {
    cache_t *c = new_cache(1 << 16);
    uint8_t k[32];
    key_in_shard(k, 1);
    put(c, k, VLEN);
    CHECK(has(c, k), "present");
    cache_clear(c);
    kzg_cache_stats st;
    cache_stats(c, &st);
    CHECK(st.entries == 0 && st.bytes == 0, "clear left %llu entries, %llu bytes",
          (unsigned long long)st.entries, (unsigned long long)st.bytes);
    CHECK(st.hits == 1 && st.inserts == 1, "counters reset by clear");
    CHECK(!has(c, k), "entry survived clear");
    put(c, k, VLEN);
    CHECK(has(c, k), "cache unusable after clear");
    cache_free(c);
}

/* Uniform random lookups over W keys (get, put on a miss): the hit rate is about the share
 * of the working set that fits, so the adaptive rule must settle the budget near the
 * target; then a tiny working set (all hits) must shrink it to the minimum. */
static void test_cache__adaptive_budget_moves_toward_target(void) {
    enum { W = 2000 };
    const size_t min = 16 << 10, max = 1 << 20;
    cache_config cfg = {.budget_bytes = min, .adaptive = true, .min_budget_bytes = min,
                        .max_budget_bytes = max, .target_hit_rate = 0.8, .adapt_interval = 1000};
    cache_t *c = NULL;
    CHECK(cache_new(&c, &cfg) == KZG_OK, "cache_new adaptive");
    uint8_t (*keys)[CACHE_KEY_BYTES] = kzg_malloc(W * CACHE_KEY_BYTES);
    CHECK(keys != NULL && c != NULL, "alloc");
    if (!keys || !c) {
        kzg_free(keys);
        cache_free(c);
        return;
    }
    for (int i = 0; i < W; i++) testrand_bytes(keys[i], CACHE_KEY_BYTES);
    kzg_cache_stats st, mark;
    for (int i = 0; i < 300000; i++) {
        if (i == 260000) cache_stats(c, &mark);
        const uint8_t *k = keys[testrand_range(W)];
        if (!has(c, k)) put(c, k, VLEN);
    }
    cache_stats(c, &st);
    double window = (double)(st.hits - mark.hits) / (double)(st.hits + st.misses - mark.hits - mark.misses);
    size_t full = W * cache_entry_cost(VLEN);
    printf("adaptive: budget %llu bytes (working set %zu), hit rate of the last 40000 lookups %.3f, "
           "%llu adaptations\n", (unsigned long long)st.budget_bytes, full, window,
           (unsigned long long)st.adaptations);
    CHECK(st.budget_bytes >= 4 * min, "budget did not grow: %llu", (unsigned long long)st.budget_bytes);
    CHECK(st.budget_bytes < max, "budget ran to the maximum: %llu", (unsigned long long)st.budget_bytes);
    CHECK(window > 0.65 && window < 0.97, "hit rate %.3f not near the target 0.8", window);
    CHECK(st.bytes <= st.budget_bytes, "over budget");

    for (int i = 0; i < 60000; i++) {
        const uint8_t *k = keys[testrand_range(8)];
        if (!has(c, k)) put(c, k, VLEN);
    }
    cache_stats(c, &st);
    CHECK(st.budget_bytes == min, "budget %llu did not shrink to the minimum %zu",
          (unsigned long long)st.budget_bytes, min);
    CHECK(st.min_budget_bytes == min && st.max_budget_bytes == max && st.adaptive &&
              st.target_hit_rate == 0.8, "adaptive settings not reported");
    /* Explicit resizes are clamped to [min, max] in adaptive mode. */
    CHECK(cache_resize(c, 1) == KZG_OK, "resize");
    cache_stats(c, &st);
    CHECK(st.budget_bytes == min, "resize below min not clamped");
    CHECK(cache_resize(c, SIZE_MAX) == KZG_OK, "resize");
    cache_stats(c, &st);
    CHECK(st.budget_bytes == max, "resize above max not clamped");
    kzg_free(keys);
    cache_free(c);
}

/* Misses of first sightings (no evictions) must not grow the budget. */
static void test_cache__adaptive_ignores_cold_misses(void) {
    cache_config cfg = {.budget_bytes = 1 << 20, .adaptive = true, .min_budget_bytes = 1 << 16,
                        .max_budget_bytes = 1 << 24, .target_hit_rate = 0.9, .adapt_interval = 100};
    cache_t *c = NULL;
    CHECK(cache_new(&c, &cfg) == KZG_OK, "cache_new");
    uint8_t k[32];
    for (int i = 0; i < 2000; i++) { /* all distinct: every lookup misses, nothing evicted */
        testrand_bytes(k, sizeof k);
        if (!has(c, k)) put(c, k, VLEN);
    }
    kzg_cache_stats st;
    cache_stats(c, &st);
    CHECK(st.budget_bytes == 1 << 20 && st.evictions == 0,
          "cold misses changed the budget to %llu", (unsigned long long)st.budget_bytes);
    cache_free(c);
}

static void test_cache_key__binds_tag_and_every_input(void) {
    uint8_t k1[32], k2[32];
    const void *parts[2] = {"abc", "d"};
    size_t lens[2] = {3, 1};
    static const uint8_t want[32] = {
        0xb7, 0xa0, 0xce, 0x89, 0xba, 0xf9, 0x7f, 0xc3, 0x56, 0x1c, 0x67, 0xad, 0xce, 0x45, 0x55, 0x73,
        0xb7, 0x50, 0xe7, 0xc4, 0x4b, 0x88, 0x91, 0x42, 0x64, 0xfc, 0x83, 0x47, 0x8a, 0xf5, 0x20, 0x70};
    CHECK(cache_key(k1, 1, parts, lens, 1) == KZG_OK, "cache_key");
    CHECK(memcmp(k1, want, 32) == 0, "key differs from the SHA-256 computed independently");
    static const uint8_t want_empty[32] = {
        0x90, 0xa9, 0xc8, 0x54, 0x83, 0x5c, 0x4b, 0xec, 0x38, 0x51, 0x63, 0x00, 0x36, 0xe8, 0x4a, 0x1a,
        0x6a, 0xa4, 0x75, 0x6c, 0x5b, 0x8c, 0xba, 0x97, 0xa6, 0xe1, 0x46, 0x8b, 0xe4, 0x95, 0x2e, 0x71};
    CHECK(cache_key(k1, 7, NULL, NULL, 0) == KZG_OK && memcmp(k1, want_empty, 32) == 0,
          "key of no inputs");
    /* Moving a boundary between inputs, or changing the tag, changes the key. */
    CHECK(cache_key(k1, 1, parts, lens, 2) == KZG_OK, "cache_key");
    const void *parts2[2] = {"ab", "cd"};
    size_t lens2[2] = {2, 2};
    CHECK(cache_key(k2, 1, parts2, lens2, 2) == KZG_OK && memcmp(k1, k2, 32) != 0,
          "boundary not bound");
    CHECK(cache_key(k2, 2, parts, lens, 2) == KZG_OK && memcmp(k1, k2, 32) != 0, "tag not bound");
    const void *parts3[1] = {"abcd"};
    size_t lens3[1] = {4};
    CHECK(cache_key(k2, 1, parts3, lens3, 1) == KZG_OK && memcmp(k1, k2, 32) != 0,
          "input count not bound");
    const void *bad[1] = {NULL};
    CHECK(cache_key(k2, 1, bad, lens3, 1) == KZG_ERR_NULL_ARG, "NULL part accepted");
    CHECK(cache_key(NULL, 1, parts, lens, 1) == KZG_ERR_NULL_ARG, "NULL out accepted");
    CHECK(cache_key(k2, 1, NULL, lens, 1) == KZG_ERR_NULL_ARG, "NULL parts accepted");
    size_t zero = 0;
    CHECK(cache_key(k2, 1, bad, &zero, 1) == KZG_OK, "empty NULL part refused");
}

int main(void) {
    testrand_init("test_cache");
    test_cache__rejects_bad_arguments();
    test_cache__counts_hits_misses_inserts_updates_exactly();
    test_cache__value_larger_than_the_buffer_is_a_miss();
    test_cache__evicts_least_recently_used();
    test_cache__never_exceeds_budget_and_charges_honestly();
    test_cache__too_large_entry_is_not_stored();
    test_cache_resize__keeps_most_recent_entries();
    test_cache_clear__drops_entries_keeps_counters();
    test_cache__adaptive_budget_moves_toward_target();
    test_cache__adaptive_ignores_cold_misses();
    test_cache_key__binds_tag_and_every_input();
    return test_report();
}
