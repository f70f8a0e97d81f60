/*
 * common/alloc.c — the library's allocator and its accounting.
 *
 * Every block carries a 16-byte header just before its payload (16 keeps a plain block's
 * payload aligned for any type, as malloc's is): the payload's size, the distance from the
 * start of what the allocator returned to the payload, and the block's kind (plain, or
 * aligned to 2^k bytes). kzg_free reads it, so that one kzg_free releases every kind and
 * live_bytes stays exact without a lookup.
 *
 * An aligned block asks the allocator for size + 16 + align − 1 bytes — whatever alignment
 * the user's allocator gives (kzg_set_allocator promises none) — and puts the payload at the
 * first multiple of `align` at least 16 bytes in. The bytes beyond the payloads (headers and
 * alignment padding) are the overhead that kzg_alloc_overhead_get reports; they depend only
 * on the sequence of requests, so the figures are exact and reproducible.
 *
 * Counters are relaxed atomics: they are statistics, not synchronisation. The peak is kept
 * with a compare-exchange loop so that concurrent allocations never lose a maximum.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "common/common.h"

#define HDR 16

/* Kinds (the header's low byte; an aligned block keeps log2(align) in the next byte). */
#define KIND_PLAIN 1u
#define KIND_ALIGNED 2u

typedef struct blk_hdr {
    uint64_t size;   /* the payload's bytes */
    uint32_t offset; /* payload − the allocator's pointer */
    uint32_t kind;
} blk_hdr;
_Static_assert(sizeof(blk_hdr) == HDR, "the header is 16 bytes");

static _Atomic uint64_t n_alloc, n_free, total_bytes, live, peak;
static _Atomic uint64_t total_overhead, live_overhead, n_aligned;

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

/* Bytes a block of `kind` asks for beyond its payload. */
static size_t overhead_of(uint32_t kind) {
    if ((kind & 0xff) == KIND_ALIGNED) return HDR + ((size_t)1 << ((kind >> 8) & 0xff)) - 1;
    return HDR;
}

static void count_alloc(size_t size, size_t overhead, bool aligned) {
    atomic_fetch_add_explicit(&n_alloc, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&total_bytes, size, memory_order_relaxed);
    atomic_fetch_add_explicit(&total_overhead, overhead, memory_order_relaxed);
    atomic_fetch_add_explicit(&live_overhead, overhead, memory_order_relaxed);
    if (aligned) atomic_fetch_add_explicit(&n_aligned, 1, memory_order_relaxed);
    uint64_t now = atomic_fetch_add_explicit(&live, size, memory_order_relaxed) + size;
    uint64_t pk = atomic_load_explicit(&peak, memory_order_relaxed);
    while (now > pk &&
           !atomic_compare_exchange_weak_explicit(&peak, &pk, now, memory_order_relaxed,
                                                  memory_order_relaxed)) {
    }
}

/* A block of `size` payload bytes of `kind` (alignment 2^lg for KIND_ALIGNED). */
static void *block_new(size_t size, uint32_t kind, unsigned lg) {
    size_t extra = overhead_of(kind | (uint32_t)lg << 8);
    if (size > SIZE_MAX - extra) return NULL;
    uint8_t *raw = current.malloc_fn(size + extra, current.user);
    if (!raw) return NULL;
    size_t offset = HDR;
    if (kind == KIND_ALIGNED) {
        uintptr_t mask = ((uintptr_t)1 << lg) - 1;
        offset = (size_t)((((uintptr_t)raw + HDR + mask) & ~mask) - (uintptr_t)raw);
    }
    blk_hdr h = {size, (uint32_t)offset, kind | (uint32_t)lg << 8};
    memcpy(raw + offset - HDR, &h, HDR);
    count_alloc(size, extra, kind == KIND_ALIGNED);
    return raw + offset;
}

void *kzg_malloc(size_t size) { return block_new(size, KIND_PLAIN, 0); }

void *kzg_malloc_aligned(size_t size, size_t align) {
    unsigned lg = 0;
    if (align < HDR || align > KZG_ALIGN_MAX || (align & (align - 1))) return NULL;
    while (((size_t)1 << lg) < align) lg++;
    return block_new(size, KIND_ALIGNED, lg);
}

void *kzg_calloc(size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) return NULL;
    void *p = kzg_malloc(n * size);
    if (p) memset(p, 0, n * size);
    return p;
}

void *kzg_calloc_aligned(size_t n, size_t size, size_t align) {
    if (size && n > SIZE_MAX / size) return NULL;
    void *p = kzg_malloc_aligned(n * size, align);
    if (p) memset(p, 0, n * size);
    return p;
}

void kzg_free(void *ptr) {
    if (!ptr) return;
    blk_hdr h;
    memcpy(&h, (uint8_t *)ptr - HDR, HDR);
    atomic_fetch_add_explicit(&n_free, 1, memory_order_relaxed);
    atomic_fetch_sub_explicit(&live, h.size, memory_order_relaxed);
    atomic_fetch_sub_explicit(&live_overhead, overhead_of(h.kind), memory_order_relaxed);
    current.free_fn((uint8_t *)ptr - h.offset, current.user);
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

/* The struct_size values kzg_alloc_overhead_get accepts (the rule in kzgkit/kzg.h): the
 * struct is new in this release, so only its full size. */
static const size_t OVERHEAD_ENDS[] = {sizeof(kzg_alloc_overhead)};

kzg_status kzg_alloc_overhead_get(kzg_alloc_overhead *out) {
    kzg_clear_error();
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_alloc_overhead_get: out is NULL");
    if (out->struct_size == 0)
        return kzg_fail(KZG_ERR_BAD_ARG,
                        "kzg_alloc_overhead: struct_size is 0; set it to sizeof(kzg_alloc_overhead)");
    if (!kzg_options_size_ok(out->struct_size, OVERHEAD_ENDS, KZG_ARRAY_LEN(OVERHEAD_ENDS)))
        return kzg_fail(KZG_ERR_BAD_ARG,
                        "kzg_alloc_overhead: struct_size %u is not a size this library knows "
                        "(current: %zu)",
                        out->struct_size, sizeof(kzg_alloc_overhead));
    kzg_alloc_overhead o = {.struct_size = out->struct_size};
    o.overhead_bytes = atomic_load_explicit(&total_overhead, memory_order_relaxed);
    o.live_overhead_bytes = atomic_load_explicit(&live_overhead, memory_order_relaxed);
    o.aligned_allocations = atomic_load_explicit(&n_aligned, memory_order_relaxed);
    memcpy(out, &o, out->struct_size);
    return KZG_OK;
}
