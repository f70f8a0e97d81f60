/* test_pool — the thread pool covers every index exactly once, for any thread count and
 * grain, under concurrent callers; bad arguments get statuses. Run under TSan in CI. */
#include <pthread.h>
#include <stdatomic.h>

#include "runtime/pool.h"
#include "testrand.h"

typedef struct {
    _Atomic uint32_t *hits;
    _Atomic unsigned max_thread;
} cover_arg;

static void cover(void *v, size_t b, size_t e, unsigned thread) {
    cover_arg *a = v;
    for (size_t i = b; i < e; i++) atomic_fetch_add(&a->hits[i], 1);
    unsigned m = atomic_load(&a->max_thread);
    while (thread > m && !atomic_compare_exchange_weak(&a->max_thread, &m, thread)) {
    }
}

static void check_cover(pool_t *p, size_t n, size_t grain) {
    cover_arg a = {kzg_calloc(n ? n : 1, sizeof(_Atomic uint32_t)), 0};
    CHECK(a.hits != NULL, "alloc");
    if (!a.hits) return;
    pool_parallel_for(p, n, grain, cover, &a);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) bad += atomic_load(&a.hits[i]) != 1;
    CHECK(bad == 0, "threads %u n %zu grain %zu: %zu indices not covered exactly once",
          pool_threads(p), n, grain, bad);
    CHECK(atomic_load(&a.max_thread) < pool_threads(p), "thread id %u out of range",
          atomic_load(&a.max_thread));
    kzg_free(a.hits);
}

static void test_pool__covers_each_index_once(void) {
    for (unsigned t = 0; t <= 4; t++) {
        pool_t *p;
        CHECK(pool_new(&p, t) == KZG_OK, "pool_new(%u)", t);
        CHECK(pool_threads(p) == (t ? t : 1), "threads %u", pool_threads(p));
        size_t sizes[] = {0, 1, 2, 3, 7, 64, 1000, 4096, 10007};
        for (size_t i = 0; i < KZG_ARRAY_LEN(sizes); i++) {
            check_cover(p, sizes[i], 0);
            check_cover(p, sizes[i], 1);
            check_cover(p, sizes[i], 1 + testrand_range(100));
        }
        pool_free(p);
    }
    check_cover(NULL, 100, 7);
}

typedef struct { pool_t *p; int rounds; } caller_arg;
static void *caller(void *v) {
    caller_arg *c = v;
    for (int r = 0; r < c->rounds; r++) check_cover(c->p, 500 + (size_t)r, 3);
    return NULL;
}

static void test_pool__concurrent_callers_share_one_pool(void) {
    pool_t *p;
    CHECK(pool_new(&p, 3) == KZG_OK, "pool_new");
    pthread_t th[4];
    caller_arg ca = {p, 50};
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, caller, &ca);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    pool_free(p);
}

static void test_pool_new__rejects_absurd_thread_counts(void) {
    pool_t *p = (pool_t *)1;
    CHECK(pool_new(&p, POOL_MAX_THREADS + 1) == KZG_ERR_BAD_ARG, "too many threads accepted");
    CHECK(p == NULL, "output not cleared");
    CHECK(pool_new(NULL, 2) == KZG_ERR_NULL_ARG, "NULL out accepted");
    pool_free(NULL);
}

/* Thread creation that succeeds `create_budget` times, then fails like a system at its
 * thread limit (EAGAIN). */
static int create_budget;
static int limited_create(pthread_t *t, const pthread_attr_t *attr, void *(*start)(void *),
                          void *arg) {
    if (create_budget <= 0) return 11; /* EAGAIN */
    create_budget--;
    return pthread_create(t, attr, start, arg);
}

static void test_pool_new__degrades_when_threads_cannot_start(void) {
    for (int started = 0; started <= 3; started++) {
        pool_t *p = NULL;
        create_budget = started;
        pool_thread_create_hook = limited_create;
        kzg_status st = pool_new(&p, 5);
        pool_thread_create_hook = NULL;
        CHECK(st == KZG_OK && p != NULL, "pool_new(5) with %d startable workers: %s", started,
              kzg_status_str(st));
        if (!p) continue;
        CHECK(pool_threads(p) == (unsigned)started + 1, "%d workers started: pool says %u threads",
              started, pool_threads(p));
        check_cover(p, 4096, 0);
        check_cover(p, 1000, 7);
        pool_free(p);
    }
}

int main(void) {
    testrand_init("test_pool");
    test_pool_new__degrades_when_threads_cannot_start();
    test_pool__covers_each_index_once();
    test_pool__concurrent_callers_share_one_pool();
    test_pool_new__rejects_absurd_thread_counts();
    return test_report();
}
