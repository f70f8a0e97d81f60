/* test_alloc — the library allocator's accounting and the allocator hook. */
#include "common/common.h"
#include "testrand.h"

static size_t custom_calls;
static void *counting_malloc(size_t n, void *user) { custom_calls++; (void)user; return malloc(n); }
static void counting_free(void *p, void *user) { (void)user; free(p); }
static void *failing_malloc(size_t n, void *user) { (void)n; (void)user; return NULL; }

static void test_alloc__counts_bytes_and_peak(void) {
    kzg_alloc_stats a, b, c;
    kzg_alloc_stats_get(&a);
    void *p = kzg_malloc(1000), *q = kzg_calloc(10, 100);
    CHECK(p && q, "allocations failed");
    kzg_alloc_stats_get(&b);
    CHECK(b.allocations == a.allocations + 2, "allocations %llu", (unsigned long long)b.allocations);
    CHECK(b.live_bytes == a.live_bytes + 2000, "live %llu", (unsigned long long)b.live_bytes);
    CHECK(b.peak_live_bytes >= b.live_bytes, "peak below live");
    kzg_free(p);
    kzg_free(q);
    kzg_free(NULL);
    kzg_alloc_stats_get(&c);
    CHECK(c.frees == a.frees + 2, "frees %llu", (unsigned long long)c.frees);
    CHECK(c.live_bytes == a.live_bytes, "live bytes not back to start");
    CHECK(c.peak_live_bytes == b.peak_live_bytes, "peak forgotten");
    kzg_alloc_stats_reset_peak();
    kzg_alloc_stats_get(&c);
    CHECK(c.peak_live_bytes == c.live_bytes, "reset_peak did not reset");
}

static void test_calloc__zeroes_and_rejects_overflow(void) {
    uint8_t *p = kzg_calloc(64, 3);
    int zero = 1;
    for (int i = 0; p && i < 192; i++) zero &= p[i] == 0;
    CHECK(p && zero, "calloc not zeroed");
    kzg_free(p);
    CHECK(kzg_calloc(SIZE_MAX / 2, 4) == NULL, "overflowing calloc succeeded");
    CHECK(kzg_malloc(SIZE_MAX - 4) == NULL, "absurd malloc succeeded");
}

static void test_set_allocator__hook_used_and_failure_reported(void) {
    kzg_allocator a = {counting_malloc, counting_free, NULL};
    CHECK(kzg_set_allocator(&a) == KZG_OK, "set_allocator failed");
    void *p = kzg_malloc(10);
    CHECK(p && custom_calls == 1, "custom allocator not called");
    kzg_free(p);
    kzg_allocator bad = {NULL, counting_free, NULL};
    CHECK(kzg_set_allocator(&bad) == KZG_ERR_NULL_ARG, "NULL malloc_fn accepted");
    CHECK(strlen(kzg_last_error()) > 0, "no error detail");
    kzg_allocator failing = {failing_malloc, counting_free, NULL};
    kzg_set_allocator(&failing);
    CHECK(kzg_malloc(10) == NULL, "failing allocator returned memory");
    CHECK(kzg_set_allocator(NULL) == KZG_OK, "restore failed");
    p = kzg_malloc(10);
    CHECK(p != NULL, "default allocator broken after restore");
    kzg_free(p);
}

static void test_status_str__every_status_named(void) {
    for (int s = KZG_OK; s <= KZG_ERR_INTERNAL; s++)
        CHECK(strcmp(kzg_status_str((kzg_status)s), "unknown status") != 0, "status %d unnamed", s);
    CHECK(strcmp(kzg_status_str((kzg_status)999), "unknown status") == 0, "bad status named");
    kzg_fail(KZG_ERR_LENGTH, "blob %d", 7);
    CHECK(strcmp(kzg_last_error(), "blob 7") == 0, "detail '%s'", kzg_last_error());
    kzg_clear_error();
    CHECK(kzg_last_error()[0] == 0, "clear_error");
}

int main(void) {
    testrand_init("test_alloc");
    test_alloc__counts_bytes_and_peak();
    test_calloc__zeroes_and_rejects_overflow();
    test_set_allocator__hook_used_and_failure_reported();
    test_status_str__every_status_named();
    return test_report();
}
