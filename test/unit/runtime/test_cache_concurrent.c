/* test_cache_concurrent — several threads get and put overlapping keys while another
 * resizes, clears and reads statistics, on a fixed and on an adaptive cache: every hit
 * returns exactly the value stored for its key, the byte budget holds in every statistics
 * read, and the counters add up. Bounded in iterations and in time. Run under
 * ThreadSanitizer by `make tsan` (the name contains "concurr"). */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "runtime/cache.h"
#include "testrand.h"

enum { WORKERS = 4, ITERS = 150000, KEYS = 3000 };
#define TIME_LIMIT_NS 4000000000ULL /* per phase, for slow sanitizer builds */

static cache_t *C;
static uint8_t keys[KEYS][CACHE_KEY_BYTES];
static _Atomic int workers_done;
static _Atomic uint64_t n_gets, n_puts;
static uint64_t t_start;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A key's value: its length and bytes both depend on the key, so a mixed-up entry shows. */
static size_t value_of(uint8_t *v, const uint8_t *key) {
    size_t len = 1 + key[5] % 80;
    for (size_t i = 0; i < len; i++) v[i] = (uint8_t)(key[(i + 3) % CACHE_KEY_BYTES] + i);
    return len;
}

static void *worker(void *arg) {
    uint64_t x = (uint64_t)(uintptr_t)arg * 0x9e3779b97f4a7c15ULL + 7;
    uint64_t g = 0, p = 0;
    for (int i = 0; i < ITERS && now_ns() - t_start < TIME_LIMIT_NS; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        /* Skewed: a quarter of the lookups go to 2 % of the keys. */
        const uint8_t *k = keys[(x >> 8) % 4 == 0 ? (x >> 20) % (KEYS / 50) : (x >> 20) % KEYS];
        uint8_t v[CACHE_MAX_VALUE], want[CACHE_MAX_VALUE];
        size_t n = 0, wn = value_of(want, k);
        g++;
        if (cache_get(C, v, sizeof v, &n, k)) {
            CHECK(n == wn && memcmp(v, want, n) == 0, "hit returned another key's value");
        } else {
            CHECK(cache_put(C, k, want, wn) == KZG_OK, "put");
            p++;
        }
    }
    atomic_fetch_add(&n_gets, g);
    atomic_fetch_add(&n_puts, p);
    return NULL;
}

static void *maintainer(void *arg) {
    uint64_t x = 12345;
    int round = 0;
    while (!atomic_load(&workers_done)) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        if (round % 3 == 0 && !arg) CHECK(cache_resize(C, 4096 + (x % (1 << 18))) == KZG_OK, "resize");
        if (round % 50 == 49) cache_clear(C);
        kzg_cache_stats st;
        cache_stats(C, &st);
        CHECK(st.bytes <= st.budget_bytes, "%llu bytes over a budget of %llu",
              (unsigned long long)st.bytes, (unsigned long long)st.budget_bytes);
        CHECK(!st.adaptive || (st.budget_bytes >= st.min_budget_bytes &&
                               st.budget_bytes <= st.max_budget_bytes), "adaptive bounds");
        round++;
        struct timespec ts = {0, 200000};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

static void run(const cache_config *cfg, const char *what) {
    CHECK(cache_new(&C, cfg) == KZG_OK, "cache_new");
    if (!C) return;
    atomic_store(&workers_done, 0);
    atomic_store(&n_gets, 0);
    atomic_store(&n_puts, 0);
    t_start = now_ns();
    pthread_t w[WORKERS], m;
    pthread_create(&m, NULL, maintainer, cfg->adaptive ? (void *)1 : NULL);
    for (int i = 0; i < WORKERS; i++) pthread_create(&w[i], NULL, worker, (void *)(uintptr_t)(i + 1));
    for (int i = 0; i < WORKERS; i++) pthread_join(w[i], NULL);
    atomic_store(&workers_done, 1);
    pthread_join(m, NULL);
    kzg_cache_stats st;
    cache_stats(C, &st);
    CHECK(st.hits + st.misses == atomic_load(&n_gets), "%s: lookups %llu, gets %llu", what,
          (unsigned long long)(st.hits + st.misses), (unsigned long long)atomic_load(&n_gets));
    CHECK(st.inserts + st.updates <= atomic_load(&n_puts), "%s: more stores than puts", what);
    CHECK(st.bytes <= st.budget_bytes, "%s: over budget at the end", what);
    printf("%s: %llu lookups in %.2f s, hit rate %.3f, %llu evictions, %llu adaptations, "
           "budget %llu\n", what, (unsigned long long)(st.hits + st.misses),
           (double)(now_ns() - t_start) / 1e9, st.hit_rate, (unsigned long long)st.evictions,
           (unsigned long long)st.adaptations, (unsigned long long)st.budget_bytes);
    cache_free(C);
    C = NULL;
}

int main(void) {
    testrand_init("test_cache_concurrent");
    for (int i = 0; i < KEYS; i++) testrand_bytes(keys[i], CACHE_KEY_BYTES);
    cache_config fixed = {.budget_bytes = 1 << 17};
    run(&fixed, "fixed");
    cache_config adaptive = {.budget_bytes = 1 << 15, .adaptive = true, .min_budget_bytes = 1 << 13,
                             .max_budget_bytes = 1 << 20, .target_hit_rate = 0.7, .adapt_interval = 500};
    run(&adaptive, "adaptive");
    return test_report();
}
