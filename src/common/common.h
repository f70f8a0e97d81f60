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

/* Zeroes memory that the compiler may not elide. */
void kzg_memzero(void *p, size_t n);

#define KZG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
