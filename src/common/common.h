/*
 * common — what every layer may use: the status type, the per-thread error detail,
 * small helpers. Calls nothing else in kzgkit.
 */
#ifndef KZGKIT_COMMON_H
#define KZGKIT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kzgkit/kzg.h"

/* The longest detail kzg_last_error() keeps, with its NUL (longer ones are truncated). */
#define KZG_ERROR_DETAIL_LEN 256

/* Records a one-line description of a failure for kzg_last_error() (printf-style) and
 * returns `status`, so that a boundary can write `return kzg_fail(KZG_ERR_LENGTH, "...")`. */
kzg_status kzg_fail(kzg_status status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Clears the calling thread's error detail (done on entry of every public function). */
void kzg_clear_error(void);

/* The library's heap: every allocation in kzgkit goes through these, so that the
 * accounting behind kzg_alloc_stats_get sees it. kzg_malloc returns NULL on failure (and for
 * size 0 a valid unique pointer); kzg_calloc checks n·size for overflow; kzg_free(NULL) is a
 * no-op. */
void *kzg_malloc(size_t size);
void *kzg_calloc(size_t n, size_t size);
void kzg_free(void *p);

/* The same with the payload at a multiple of `align` (a power of two, 16..KZG_ALIGN_MAX;
 * anything else: NULL), through the user's allocator. Freed with kzg_free. Costs align − 1
 * bytes of padding beyond the header, counted in kzg_alloc_overhead. Use it where a paired
 * A/B shows a gain: cache-line aligned MSM scratch, table rows, FK20 columns and setup
 * points showed none on either backend (docs/PERFORMANCE.md §13), so none do today. */
#define KZG_CACHE_LINE 64
#define KZG_ALIGN_MAX 4096
void *kzg_malloc_aligned(size_t size, size_t align);
void *kzg_calloc_aligned(size_t n, size_t size, size_t align);

#define KZG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Versioned option structs (kzg_ctx_options, kzg_processor_options) start with a uint32_t
 * struct_size that the caller sets to the sizeof() its header gave. The rule (kzg.h):
 * 0 is rejected, since it cannot tell an old caller's smaller struct from the current one;
 * a size from an earlier release — the end of one of the struct's fields, listed in
 * `field_ends` in order, the last being sizeof — is accepted and the fields it lacks take
 * their defaults (zero); anything else is rejected. kzg_options_copy checks `struct_size`
 * and copies the caller's bytes into `dst` (dst_size = this library's sizeof), zero-filling
 * the rest; `what` names the struct in the KZG_ERR_BAD_ARG detail. */
#define KZG_FIELD_END(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
bool kzg_options_size_ok(uint32_t struct_size, const size_t *field_ends, size_t n_fields);
kzg_status kzg_options_copy(void *dst, size_t dst_size, const void *src, uint32_t struct_size,
                            const size_t *field_ends, size_t n_fields, const char *what);

#endif
