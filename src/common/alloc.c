/*
 * common/alloc.c — the library's allocator and its accounting.
 *
 * Each block carries a 16-byte header holding its size (16 keeps the payload aligned for
 * any type, as malloc's is), so that kzg_free can keep live_bytes exact without a lookup.
 * Counters are relaxed atomics: they are statistics, not synchronisation. The peak is kept
 * with a compare-exchange loop so that concurrent allocations never lose a maximum.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "common/common.h"

#define HDR 16

static _Atomic uint64_t n_alloc, n_free, total_bytes, live, peak;

static void *default_malloc(size_t size, void *user) { (void)user; return malloc(size); }
static void default_free(void *p, void *user) { (void)user; free(p); }

static kzg_allocator current = {default_malloc, default_free, NULL};

kzg_status kzg_set_allocator(const kzg_allocator *allocator) {
    kzg_clear_error();
    if (!allocator) {
        current = (kzg_allocator){default_malloc, default_free, NULL};
        return KZG_OK;
    }
    if (!allocator->malloc_fn || !allocator->free_fn)
        return kzg_fail(KZG_ERR_NULL_ARG, "kzg_set_allocator: malloc_fn and free_fn are required");
    current = *allocator;
    return KZG_OK;
}

void *kzg_malloc(size_t size) {
    if (size > SIZE_MAX - HDR) return NULL;
    uint8_t *p = current.malloc_fn(size + HDR, current.user);
    if (!p) return NULL;
    memcpy(p, &size, sizeof size);
    atomic_fetch_add_explicit(&n_alloc, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&total_bytes, size, memory_order_relaxed);
    uint64_t now = atomic_fetch_add_explicit(&live, size, memory_order_relaxed) + size;
    uint64_t pk = atomic_load_explicit(&peak, memory_order_relaxed);
    while (now > pk &&
           !atomic_compare_exchange_weak_explicit(&peak, &pk, now, memory_order_relaxed,
                                                  memory_order_relaxed)) {
    }
    return p + HDR;
}

void *kzg_calloc(size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) return NULL;
    void *p = kzg_malloc(n * size);
    if (p) memset(p, 0, n * size);
    return p;
}

void kzg_free(void *ptr) {
    if (!ptr) return;
    uint8_t *p = (uint8_t *)ptr - HDR;
    size_t size;
    memcpy(&size, p, sizeof size);
    atomic_fetch_add_explicit(&n_free, 1, memory_order_relaxed);
    atomic_fetch_sub_explicit(&live, size, memory_order_relaxed);
    current.free_fn(p, current.user);
}

void kzg_alloc_stats_get(kzg_alloc_stats *out) {
    if (!out) return;
    out->allocations = atomic_load_explicit(&n_alloc, memory_order_relaxed);
    out->frees = atomic_load_explicit(&n_free, memory_order_relaxed);
    out->bytes_allocated = atomic_load_explicit(&total_bytes, memory_order_relaxed);
    out->live_bytes = atomic_load_explicit(&live, memory_order_relaxed);
    out->peak_live_bytes = atomic_load_explicit(&peak, memory_order_relaxed);
}

void kzg_alloc_stats_reset_peak(void) {
    atomic_store_explicit(&peak, atomic_load_explicit(&live, memory_order_relaxed),
                          memory_order_relaxed);
}
