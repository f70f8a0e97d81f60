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

/* Zeroes memory that the compiler may not elide. */
void kzg_memzero(void *p, size_t n);

#define KZG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
