/*
 * runtime/cache.c — sharded LRU result cache with a byte budget (contract in cache.h).
 *
 * Per shard: a chained hash table of node pointers and an intrusive doubly linked LRU list
 * (head = most recently used). Everything a shard holds is guarded by its mutex; the
 * counters too, so that a shard's statistics are consistent. Budget changes are serialised
 * by resize_lock; the adaptive decision by adapt_lock (try-locked: a thread that finds a
 * decision in progress just goes on). Lock order: adapt_lock → resize_lock → shard lock.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>


#include "common/sha256.h"
#include "runtime/cache.h"

#define MIN_SLOTS 8

typedef struct cache_node {
    struct cache_node *hnext;      /* next in the hash chain */
    struct cache_node *prev, *next; /* LRU neighbours: prev is more recent */
    uint8_t key[CACHE_KEY_BYTES];
    uint32_t value_len;
    uint8_t value[];
} cache_node;

typedef struct shard {
    pthread_mutex_t lock;
    cache_node **table; /* slots heads, slots a power of two (or 0 and NULL) */
    size_t slots;
    unsigned shift;     /* 64 - log2(slots) */
    cache_node *head, *tail;
    size_t entries, bytes, budget;
    uint64_t hits, misses, inserts, updates, evictions;
    char pad[64]; /* keeps neighbouring shards' hot fields off one cache line */
} shard;

struct cache {
    shard shards[CACHE_SHARDS];
    uint64_t mult; /* odd, random per cache: spreads ground keys over the table */
    _Atomic size_t budget;
    bool adaptive;
    size_t min_budget, max_budget;
    double target;
    uint32_t interval;
    _Atomic uint64_t lookups;
    _Atomic uint64_t adaptations;
    pthread_mutex_t resize_lock;
    pthread_mutex_t adapt_lock;
    uint64_t last_hits, last_misses, last_evictions; /* guarded by adapt_lock */
};

size_t cache_entry_cost(size_t value_len) {
    return sizeof(cache_node) + value_len + CACHE_ALLOC_OVERHEAD;
}

size_t cache_fixed_bytes(void) { return sizeof(struct cache) + CACHE_ALLOC_OVERHEAD; }

size_t cache_table_cost(size_t slots) {
    return slots ? slots * sizeof(cache_node *) + CACHE_ALLOC_OVERHEAD : 0;
}

static uint64_t load64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static shard *shard_of(const cache_t *c, const uint8_t *key) {
    return (shard *)&c->shards[key[0] & (CACHE_SHARDS - 1)];
}

static size_t slot_of(const cache_t *c, const shard *s, const uint8_t *key) {
    return (size_t)((load64(key + 8) * c->mult) >> s->shift);
}

static size_t share_of(size_t budget, unsigned i) {
    return budget / CACHE_SHARDS + (i < budget % CACHE_SHARDS ? 1 : 0);
}

/* ---- shard internals (shard lock held) ------------------------------------------- */

static cache_node *find(const cache_t *c, const shard *s, const uint8_t *key) {
    if (!s->slots) return NULL;
    for (cache_node *n = s->table[slot_of(c, s, key)]; n; n = n->hnext)
        if (memcmp(n->key, key, CACHE_KEY_BYTES) == 0) return n;
    return NULL;
}

static void lru_unlink(shard *s, cache_node *n) {
    if (n->prev) n->prev->next = n->next; else s->head = n->next;
    if (n->next) n->next->prev = n->prev; else s->tail = n->prev;
    n->prev = n->next = NULL;
}

static void lru_push_front(shard *s, cache_node *n) {
    n->prev = NULL;
    n->next = s->head;
    if (s->head) s->head->prev = n; else s->tail = n;
    s->head = n;
}

static void chain_unlink(const cache_t *c, shard *s, cache_node *n) {
    cache_node **pp = &s->table[slot_of(c, s, n->key)];
    while (*pp && *pp != n) pp = &(*pp)->hnext;
    if (*pp) *pp = n->hnext;
}

/* Removes n from the shard and frees it. */
static void drop(const cache_t *c, shard *s, cache_node *n) {
    chain_unlink(c, s, n);
    lru_unlink(s, n);
    s->entries--;
    s->bytes -= cache_entry_cost(n->value_len);
    kzg_free(n);
}

static void evict_tail(const cache_t *c, shard *s) {
    drop(c, s, s->tail);
    s->evictions++;
}

/* Moves the shard to a table of new_slots (a power of two >= MIN_SLOTS, or 0 when empty).
 * Returns false, changing nothing, when the new table cannot be allocated. */
static bool rehash(const cache_t *c, shard *s, size_t new_slots) {
    cache_node **t = NULL;
    if (new_slots) {
        t = kzg_calloc(new_slots, sizeof *t);
        if (!t) return false;
    }
    unsigned bits = 0;
    while (((size_t)1 << bits) < new_slots) bits++;
    s->bytes = s->bytes - cache_table_cost(s->slots) + cache_table_cost(new_slots);
    kzg_free(s->table);
    s->table = t;
    s->slots = new_slots;
    s->shift = 64 - bits;
    /* Relink from the LRU list: every node is on it exactly once. */
    for (cache_node *n = s->head; n; n = n->next) {
        size_t i = slot_of(c, s, n->key);
        n->hnext = t[i];
        t[i] = n;
    }
    return true;
}

/* The smallest table that keeps the load factor <= 1 for the current entries. */
static size_t fitting_slots(size_t entries) {
    size_t n = MIN_SLOTS;
    while (n < entries) n *= 2;
    return n;
}

/* Evicts (and shrinks the table) until the shard is within its budget. */
static void shard_fit(const cache_t *c, shard *s) {
    while (s->bytes > s->budget) {
        if (s->entries == 0) {
            rehash(c, s, 0); /* an empty table: freeing cannot fail */
            break;
        }
        size_t want = fitting_slots(s->entries);
        if (want < s->slots && rehash(c, s, want)) continue;
        evict_tail(c, s);
    }
}

static void shard_clear(shard *s) {
    cache_node *n = s->head;
    while (n) {
        cache_node *next = n->next;
        kzg_free(n);
        n = next;
    }
    kzg_free(s->table);
    s->table = NULL;
    s->slots = 0;
    s->shift = 64;
    s->head = s->tail = NULL;
    s->entries = 0;
    s->bytes = 0;
}

/* ---- lifecycle ------------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t random_odd(const void *salt) {
    static _Atomic uint64_t counter;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t st = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)(uintptr_t)salt ^
                  atomic_fetch_add_explicit(&counter, 1, memory_order_relaxed) * 0x2545f4914f6cdd1dULL;
    clock_gettime(CLOCK_REALTIME, &ts);
    st ^= (uint64_t)ts.tv_nsec << 17;
    splitmix64(&st);
    return splitmix64(&st) | 1;
}

kzg_status cache_new(cache_t **out, const cache_config *config) {
    if (out) *out = NULL;
    if (!out || !config) return kzg_fail(KZG_ERR_NULL_ARG, "cache_new: NULL argument");
    if (config->budget_bytes == 0) return kzg_fail(KZG_ERR_BAD_ARG, "cache_new: zero budget");
    if (config->adaptive) {
        const cache_config *k = config;
        if (k->min_budget_bytes == 0 || k->min_budget_bytes > k->budget_bytes ||
            k->budget_bytes > k->max_budget_bytes)
            return kzg_fail(KZG_ERR_BAD_ARG,
                            "cache_new: adaptive budgets need 0 < min (%zu) <= budget (%zu) <= max (%zu)",
                            k->min_budget_bytes, k->budget_bytes, k->max_budget_bytes);
        if (!(k->target_hit_rate > 0.0 && k->target_hit_rate < 1.0))
            return kzg_fail(KZG_ERR_BAD_ARG, "cache_new: target hit rate must be in (0, 1)");
    }
    cache_t *c = kzg_calloc(1, sizeof *c);
    if (!c) return kzg_fail(KZG_ERR_MEMORY, "cache_new: out of memory");
    unsigned locked = 0;
    for (; locked < CACHE_SHARDS; locked++) {
        if (pthread_mutex_init(&c->shards[locked].lock, NULL) != 0) break;
        c->shards[locked].shift = 64;
        c->shards[locked].budget = share_of(config->budget_bytes, locked);
    }
    bool ok = locked == CACHE_SHARDS;
    bool resize_ok = ok && pthread_mutex_init(&c->resize_lock, NULL) == 0;
    bool adapt_ok = resize_ok && pthread_mutex_init(&c->adapt_lock, NULL) == 0;
    if (!adapt_ok) {
        if (resize_ok) pthread_mutex_destroy(&c->resize_lock);
        for (unsigned i = 0; i < locked; i++) pthread_mutex_destroy(&c->shards[i].lock);
        kzg_free(c);
        return kzg_fail(KZG_ERR_INTERNAL, "cache_new: mutex initialisation failed");
    }
    c->mult = random_odd(c);
    atomic_init(&c->budget, config->budget_bytes);
    c->adaptive = config->adaptive;
    if (c->adaptive) {
        c->min_budget = config->min_budget_bytes;
        c->max_budget = config->max_budget_bytes;
        c->target = config->target_hit_rate;
        c->interval = config->adapt_interval ? config->adapt_interval : CACHE_DEFAULT_ADAPT_INTERVAL;
    }
    *out = c;
    return KZG_OK;
}

void cache_free(cache_t *c) {
    if (!c) return;
    for (unsigned i = 0; i < CACHE_SHARDS; i++) {
        shard_clear(&c->shards[i]);
        pthread_mutex_destroy(&c->shards[i].lock);
    }
    pthread_mutex_destroy(&c->resize_lock);
    pthread_mutex_destroy(&c->adapt_lock);
    kzg_free(c);
}

/* ---- budget ---------------------------------------------------------------------- */

/* resize_lock held. */
static void resize_locked(cache_t *c, size_t budget) {
    atomic_store_explicit(&c->budget, budget, memory_order_relaxed);
    for (unsigned i = 0; i < CACHE_SHARDS; i++) {
        shard *s = &c->shards[i];
        pthread_mutex_lock(&s->lock);
        s->budget = share_of(budget, i);
        shard_fit(c, s);
        pthread_mutex_unlock(&s->lock);
    }
}

kzg_status cache_resize(cache_t *c, size_t budget_bytes) {
    if (!c) return kzg_fail(KZG_ERR_NULL_ARG, "cache_resize: NULL cache");
    if (budget_bytes == 0) return kzg_fail(KZG_ERR_BAD_ARG, "cache_resize: zero budget");
    if (c->adaptive) {
        if (budget_bytes < c->min_budget) budget_bytes = c->min_budget;
        if (budget_bytes > c->max_budget) budget_bytes = c->max_budget;
    }
    pthread_mutex_lock(&c->resize_lock);
    resize_locked(c, budget_bytes);
    pthread_mutex_unlock(&c->resize_lock);
    return KZG_OK;
}

static void totals(const cache_t *c, uint64_t *hits, uint64_t *misses, uint64_t *evictions) {
    *hits = *misses = *evictions = 0;
    for (unsigned i = 0; i < CACHE_SHARDS; i++) {
        shard *s = (shard *)&c->shards[i];
        pthread_mutex_lock(&s->lock);
        *hits += s->hits;
        *misses += s->misses;
        *evictions += s->evictions;
        pthread_mutex_unlock(&s->lock);
    }
}

/* The adaptive rule of cache.h. Runs in the thread whose lookup completed an interval. */
static void adapt(cache_t *c) {
    if (pthread_mutex_trylock(&c->adapt_lock) != 0) return; /* a decision is under way */
    uint64_t h, m, e;
    totals(c, &h, &m, &e);
    uint64_t wh = h - c->last_hits, wm = m - c->last_misses, we = e - c->last_evictions;
    c->last_hits = h;
    c->last_misses = m;
    c->last_evictions = e;
    if (wh + wm > 0) {
        double rate = (double)wh / (double)(wh + wm);
        size_t cur = atomic_load_explicit(&c->budget, memory_order_relaxed);
        size_t next = cur;
        if (rate < c->target - CACHE_ADAPT_HYSTERESIS && we > 0 && cur < c->max_budget) {
            size_t step = cur / 2 ? cur / 2 : 1;
            next = step >= c->max_budget - cur ? c->max_budget : cur + step;
        } else if (rate > c->target + CACHE_ADAPT_HYSTERESIS && cur > c->min_budget) {
            next = cur - cur / 8;
            if (next < c->min_budget || next >= cur) next = c->min_budget;
        }
        if (next != cur) {
            pthread_mutex_lock(&c->resize_lock);
            resize_locked(c, next);
            pthread_mutex_unlock(&c->resize_lock);
            atomic_fetch_add_explicit(&c->adaptations, 1, memory_order_relaxed);
        }
    }
    pthread_mutex_unlock(&c->adapt_lock);
}

/* ---- lookups --------------------------------------------------------------------- */

bool cache_get(cache_t *c, void *value, size_t value_cap, size_t *value_len,
               const uint8_t key[CACHE_KEY_BYTES]) {
    if (value_len) *value_len = 0;
    if (!c || !key || !value_len || (!value && value_cap)) return false;
    shard *s = shard_of(c, key);
    bool hit = false;
    pthread_mutex_lock(&s->lock);
    cache_node *n = find(c, s, key);
    if (n && n->value_len <= value_cap) {
        memcpy(value, n->value, n->value_len);
        *value_len = n->value_len;
        if (s->head != n) {
            lru_unlink(s, n);
            lru_push_front(s, n);
        }
        s->hits++;
        hit = true;
    } else {
        s->misses++;
    }
    pthread_mutex_unlock(&s->lock);
    if (c->adaptive) {
        uint64_t k = atomic_fetch_add_explicit(&c->lookups, 1, memory_order_relaxed) + 1;
        if (k % c->interval == 0) adapt(c);
    }
    return hit;
}

kzg_status cache_put(cache_t *c, const uint8_t key[CACHE_KEY_BYTES], const void *value,
                     size_t value_len) {
    if (!key || !value) return kzg_fail(KZG_ERR_NULL_ARG, "cache_put: NULL key or value");
    if (value_len == 0 || value_len > CACHE_MAX_VALUE)
        return kzg_fail(KZG_ERR_LENGTH, "cache_put: value length %zu not in [1, %d]", value_len,
                        CACHE_MAX_VALUE);
    if (!c) return KZG_OK;
    size_t cost = cache_entry_cost(value_len);
    /* Allocated before taking the lock, so that the lock is never held across malloc. */
    cache_node *fresh = kzg_malloc(sizeof(cache_node) + value_len);
    if (!fresh) return kzg_fail(KZG_ERR_MEMORY, "cache_put: out of memory");
    memcpy(fresh->key, key, CACHE_KEY_BYTES);
    memcpy(fresh->value, value, value_len);
    fresh->value_len = (uint32_t)value_len;
    fresh->hnext = fresh->prev = fresh->next = NULL;

    shard *s = shard_of(c, key);
    bool replaced = false;
    pthread_mutex_lock(&s->lock);
    cache_node *old = find(c, s, key);
    if (old && old->value_len == value_len) {
        memcpy(old->value, value, value_len);
        if (s->head != old) {
            lru_unlink(s, old);
            lru_push_front(s, old);
        }
        s->updates++;
        pthread_mutex_unlock(&s->lock);
        kzg_free(fresh);
        return KZG_OK;
    }
    if (old) {
        drop(c, s, old);
        replaced = true;
    }
    bool grow = false;
    for (;;) {
        grow = s->entries + 1 > s->slots;
        size_t next_slots = s->slots ? s->slots * 2 : MIN_SLOTS;
        size_t extra = grow ? cache_table_cost(next_slots) - cache_table_cost(s->slots) : 0;
        if (s->bytes + cost + extra <= s->budget) break;
        if (!s->tail) { /* does not fit even an empty shard: not stored */
            if (replaced) s->updates++;
            pthread_mutex_unlock(&s->lock);
            kzg_free(fresh);
            return KZG_OK;
        }
        evict_tail(c, s);
    }
    if (grow && !rehash(c, s, s->slots ? s->slots * 2 : MIN_SLOTS) && !s->slots) {
        pthread_mutex_unlock(&s->lock);
        kzg_free(fresh);
        return kzg_fail(KZG_ERR_MEMORY, "cache_put: out of memory");
    } /* a failed growth of a non-empty table just leaves longer chains */
    size_t i = slot_of(c, s, key);
    fresh->hnext = s->table[i];
    s->table[i] = fresh;
    lru_push_front(s, fresh);
    s->entries++;
    s->bytes += cost;
    if (replaced) s->updates++; else s->inserts++;
    pthread_mutex_unlock(&s->lock);
    return KZG_OK;
}

void cache_clear(cache_t *c) {
    if (!c) return;
    for (unsigned i = 0; i < CACHE_SHARDS; i++) {
        shard *s = &c->shards[i];
        pthread_mutex_lock(&s->lock);
        shard_clear(s);
        pthread_mutex_unlock(&s->lock);
    }
}

void cache_stats(const cache_t *c, kzg_cache_stats *out) {
    if (!out) return;
    memset(out, 0, sizeof *out);
    if (!c) return;
    cache_t *mc = (cache_t *)c; /* the locks are the only state touched */
    /* Under resize_lock, so that bytes and the budget belong to the same moment. */
    pthread_mutex_lock(&mc->resize_lock);
    for (unsigned i = 0; i < CACHE_SHARDS; i++) {
        shard *s = (shard *)&c->shards[i];
        pthread_mutex_lock(&s->lock);
        out->hits += s->hits;
        out->misses += s->misses;
        out->inserts += s->inserts;
        out->updates += s->updates;
        out->evictions += s->evictions;
        out->entries += s->entries;
        out->bytes += s->bytes;
        pthread_mutex_unlock(&s->lock);
    }
    out->budget_bytes = atomic_load_explicit(&mc->budget, memory_order_relaxed);
    pthread_mutex_unlock(&mc->resize_lock);
    out->adaptive = c->adaptive;
    out->min_budget_bytes = c->adaptive ? c->min_budget : out->budget_bytes;
    out->max_budget_bytes = c->adaptive ? c->max_budget : out->budget_bytes;
    out->target_hit_rate = c->adaptive ? c->target : 0.0;
    out->adaptations = atomic_load_explicit(&mc->adaptations, memory_order_relaxed);
    uint64_t lookups = out->hits + out->misses;
    out->hit_rate = lookups ? (double)out->hits / (double)lookups : 0.0;
}

/* ---- keys ------------------------------------------------------------------------ */

static void le64(uint8_t out[8], uint64_t v) {
    for (int i = 0; i < 8; i++) out[i] = (uint8_t)(v >> (8 * i));
}

kzg_status cache_key(uint8_t out[CACHE_KEY_BYTES], uint32_t tag, const void *const *parts,
                     const size_t *lens, size_t n) {
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "cache_key: NULL output");
    memset(out, 0, CACHE_KEY_BYTES);
    if (n && (!parts || !lens)) return kzg_fail(KZG_ERR_NULL_ARG, "cache_key: NULL parts");
    for (size_t i = 0; i < n; i++)
        if (!parts[i] && lens[i]) return kzg_fail(KZG_ERR_NULL_ARG, "cache_key: part %zu is NULL", i);
    static const char domain[] = "kzgkit-cache-v1";
    uint8_t hdr[12];
    hdr[0] = (uint8_t)tag;
    hdr[1] = (uint8_t)(tag >> 8);
    hdr[2] = (uint8_t)(tag >> 16);
    hdr[3] = (uint8_t)(tag >> 24);
    le64(hdr + 4, (uint64_t)n);
    sha256_stream s;
    sha256_begin(&s);
    sha256_add(&s, domain, sizeof domain - 1);
    sha256_add(&s, hdr, sizeof hdr);
    for (size_t i = 0; i < n; i++) {
        uint8_t len[8];
        le64(len, (uint64_t)lens[i]);
        sha256_add(&s, len, 8);
        sha256_add(&s, parts[i], lens[i]);
    }
    uint8_t h[32];
    _Static_assert(CACHE_KEY_BYTES <= 32, "a cache key is at most a SHA-256 digest");
    kzg_status st = sha256_end(&s, h, "cache_key");
    if (st != KZG_OK) return st;
    memcpy(out, h, CACHE_KEY_BYTES);
    return KZG_OK;
}
