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

/* An arena allocator that hands out blocks at a chosen distance past a multiple of 4096,
 * records each request, and checks that free receives exactly what malloc returned. */
static _Alignas(4096) uint8_t arena[1 << 16];
static size_t arena_used, arena_shift, arena_last_size, arena_frees;
static void *arena_last_ptr;
static bool arena_bad_free;
static void *arena_malloc(size_t n, void *user) {
    (void)user;
    size_t at = ((arena_used + 4095) & ~(size_t)4095) + arena_shift;
    if (at + n > sizeof arena) return NULL;
    arena_used = at + n;
    arena_last_size = n;
    return arena_last_ptr = arena + at;
}
static void arena_free(void *p, void *user) {
    (void)user;
    arena_frees++;
    if (p != arena_last_ptr) arena_bad_free = true;
}

static void overhead_now(kzg_alloc_overhead *o) {
    *o = (kzg_alloc_overhead){.struct_size = sizeof *o};
    CHECK(kzg_alloc_overhead_get(o) == KZG_OK, "kzg_alloc_overhead_get: %s", kzg_last_error());
}

static void test_malloc_aligned__aligned_whatever_the_allocator_gives(void) {
    kzg_allocator a = {arena_malloc, arena_free, NULL};
    CHECK(kzg_set_allocator(&a) == KZG_OK, "set_allocator failed");
    static const size_t aligns[] = {16, 32, 64, 128, 4096};
    static const size_t shifts[] = {0, 1, 8, 15, 16, 17, 48, 63, 64, 100};
    for (size_t i = 0; i < KZG_ARRAY_LEN(aligns); i++) {
        for (size_t j = 0; j < KZG_ARRAY_LEN(shifts); j++) {
            arena_used = 0;
            arena_shift = shifts[j];
            size_t frees = arena_frees;
            uint8_t *p = kzg_malloc_aligned(1000, aligns[i]);
            CHECK(p && (uintptr_t)p % aligns[i] == 0, "align %zu shift %zu: %p", aligns[i],
                  shifts[j], (void *)p);
            CHECK(arena_last_size == 1000 + 16 + aligns[i] - 1,
                  "align %zu: the allocator was asked for %zu bytes", aligns[i], arena_last_size);
            CHECK(p >= (uint8_t *)arena_last_ptr + 16 &&
                      p + 1000 <= (uint8_t *)arena_last_ptr + arena_last_size,
                  "align %zu shift %zu: payload outside the block", aligns[i], shifts[j]);
            memset(p, 0xa5, 1000);
            kzg_free(p);
            CHECK(arena_frees == frees + 1 && !arena_bad_free,
                  "align %zu shift %zu: free did not get the allocator's pointer back", aligns[i],
                  shifts[j]);
        }
    }
    arena_used = 0;
    arena_shift = 3;
    uint8_t *z = kzg_calloc_aligned(10, 30, 64);
    int zero = 1;
    for (int k = 0; z && k < 300; k++) zero &= z[k] == 0;
    CHECK(z && (uintptr_t)z % 64 == 0 && zero, "calloc_aligned");
    kzg_free(z);
    CHECK(kzg_set_allocator(NULL) == KZG_OK, "restore failed");
}

static void test_malloc_aligned__rejects_bad_alignments_and_sizes(void) {
    CHECK(kzg_malloc_aligned(10, 0) == NULL, "align 0 accepted");
    CHECK(kzg_malloc_aligned(10, 8) == NULL, "align 8 accepted");
    CHECK(kzg_malloc_aligned(10, 48) == NULL, "align 48 accepted");
    CHECK(kzg_malloc_aligned(10, 8192) == NULL, "align 8192 accepted");
    /* size + header + padding would wrap (checked before the allocator is asked) */
    CHECK(kzg_malloc_aligned(SIZE_MAX - 40, 64) == NULL, "wrapping size accepted");
    CHECK(kzg_calloc_aligned(SIZE_MAX / 2, 4, 64) == NULL, "overflowing calloc_aligned succeeded");
    void *z0 = kzg_calloc_aligned(5, 0, 64);
    CHECK(z0 != NULL && (uintptr_t)z0 % 64 == 0, "calloc_aligned of 0-byte elements");
    kzg_free(z0);
    CHECK(kzg_malloc_aligned(SIZE_MAX - 16 - 4095 + 1, 4096) == NULL, "wrapping size accepted");
    CHECK(kzg_calloc_aligned(SIZE_MAX / 2, 4, 64) == NULL, "overflowing calloc_aligned accepted");
    void *p = kzg_malloc_aligned(0, 64);
    CHECK(p != NULL && (uintptr_t)p % 64 == 0, "size 0");
    kzg_free(p);
}

/* Exact figures for a known sequence: a plain block costs its 16-byte header, an aligned one
 * the header and align − 1 bytes; frees give the live overhead back; payloads are counted in
 * kzg_alloc_stats exactly as before. */
static void test_alloc_overhead__exact_for_a_known_sequence(void) {
    kzg_alloc_overhead o0, o1, o2;
    kzg_alloc_stats s0, s1, s2;
    overhead_now(&o0);
    kzg_alloc_stats_get(&s0);
    void *a = kzg_malloc(100), *b = kzg_malloc_aligned(1000, 64), *c = kzg_calloc_aligned(3, 96, 128);
    void *d = kzg_calloc(5, 7);
    CHECK(a && b && c && d, "allocations failed");
    overhead_now(&o1);
    kzg_alloc_stats_get(&s1);
    uint64_t want = 16 + (16 + 63) + (16 + 127) + 16;
    CHECK(o1.overhead_bytes - o0.overhead_bytes == want, "overhead %llu, want %llu",
          (unsigned long long)(o1.overhead_bytes - o0.overhead_bytes), (unsigned long long)want);
    CHECK(o1.live_overhead_bytes - o0.live_overhead_bytes == want, "live overhead %llu",
          (unsigned long long)(o1.live_overhead_bytes - o0.live_overhead_bytes));
    CHECK(o1.aligned_allocations - o0.aligned_allocations == 2, "aligned allocations %llu",
          (unsigned long long)(o1.aligned_allocations - o0.aligned_allocations));
    CHECK(s1.live_bytes - s0.live_bytes == 100 + 1000 + 288 + 35, "live bytes %llu",
          (unsigned long long)(s1.live_bytes - s0.live_bytes));
    CHECK(s1.allocations - s0.allocations == 4, "allocations");
    kzg_free(b);
    overhead_now(&o2);
    CHECK(o2.live_overhead_bytes - o0.live_overhead_bytes == want - 79, "live overhead after a free");
    kzg_free(a);
    kzg_free(c);
    kzg_free(d);
    overhead_now(&o2);
    kzg_alloc_stats_get(&s2);
    CHECK(o2.live_overhead_bytes == o0.live_overhead_bytes, "live overhead not back to start");
    CHECK(o2.overhead_bytes == o1.overhead_bytes, "frees changed the cumulative overhead");
    CHECK(s2.live_bytes == s0.live_bytes && s2.frees - s0.frees == 4, "live bytes not back");
    CHECK(o2.reserved == 0 && o2.struct_size == sizeof o2, "struct_size or reserved changed");
}

static void test_alloc_overhead__rejects_null_and_unknown_sizes(void) {
    CHECK(kzg_alloc_overhead_get(NULL) == KZG_ERR_NULL_ARG, "NULL accepted");
    kzg_alloc_overhead o = {0};
    CHECK(kzg_alloc_overhead_get(&o) == KZG_ERR_BAD_ARG, "struct_size 0 accepted");
    CHECK(strstr(kzg_last_error(), "struct_size") != NULL, "detail '%s'", kzg_last_error());
    o.struct_size = sizeof o + 8;
    CHECK(kzg_alloc_overhead_get(&o) == KZG_ERR_BAD_ARG, "a larger struct accepted");
    o.struct_size = 12;
    CHECK(kzg_alloc_overhead_get(&o) == KZG_ERR_BAD_ARG, "a mid-field size accepted");
}

/* A failing allocator fails the aligned path too, and a failure changes no counter. */
static void test_malloc_aligned__failure_counts_nothing(void) {
    kzg_alloc_overhead o0, o1;
    kzg_alloc_stats s0, s1;
    kzg_allocator failing = {failing_malloc, counting_free, NULL};
    overhead_now(&o0);
    kzg_alloc_stats_get(&s0);
    CHECK(kzg_set_allocator(&failing) == KZG_OK, "set_allocator failed");
    CHECK(kzg_malloc_aligned(64, 64) == NULL && kzg_calloc_aligned(2, 64, 64) == NULL,
          "failing allocator returned memory");
    CHECK(kzg_set_allocator(NULL) == KZG_OK, "restore failed");
    overhead_now(&o1);
    kzg_alloc_stats_get(&s1);
    CHECK(o1.overhead_bytes == o0.overhead_bytes && o1.aligned_allocations == o0.aligned_allocations &&
              s1.allocations == s0.allocations,
          "a failed allocation was counted");
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
    test_malloc_aligned__aligned_whatever_the_allocator_gives();
    test_malloc_aligned__rejects_bad_alignments_and_sizes();
    test_alloc_overhead__exact_for_a_known_sequence();
    test_alloc_overhead__rejects_null_and_unknown_sizes();
    test_malloc_aligned__failure_counts_nothing();
    test_status_str__every_status_named();
    return test_report();
}
