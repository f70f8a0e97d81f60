/*
 * test/fuzz/fuzz_common.h — helpers shared by the libFuzzer targets (test/fuzz/fuzz_*.c).
 *
 * Each target checks the library's contracts, not just "no crash": on a failure status the
 * outputs are zeroed, kzg_last_error() says something and the status is a known one; on
 * success the results satisfy the target's own property (round trips, verify(prove) ==
 * true, ...). A broken property is a finding: FUZZ_CHECK prints it and traps, which
 * libFuzzer reports as a crash with the input saved (fuzzers cannot report otherwise).
 */
#ifndef KZGKIT_FUZZ_COMMON_H
#define KZGKIT_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kzgkit.h"

#define FUZZ_CHECK(cond)                                                                  \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "%s:%d: fuzz property failed: %s (last error: %s)\n",        \
                    __FILE__, __LINE__, #cond, kzg_last_error());                         \
            __builtin_trap();                                                             \
        }                                                                                 \
    } while (0)

static inline bool fuzz_all_zero(const void *p, size_t n) {
    const uint8_t *b = p;
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) acc |= b[i];
    return acc == 0;
}

/* The contract of kzg.h for a failed call whose outputs are out[0..n). */
static inline void fuzz_check_failure(kzg_status st, const void *out, size_t n) {
    FUZZ_CHECK(st > KZG_OK && st <= KZG_ERR_INTERNAL);
    FUZZ_CHECK(st != KZG_ERR_INTERNAL);
    FUZZ_CHECK(st != KZG_ERR_NULL_ARG);
    FUZZ_CHECK(kzg_last_error()[0] != '\0');
    if (out) FUZZ_CHECK(fuzz_all_zero(out, n));
}

/* The embedded-setup context, created once per process (libFuzzer runs one input at a
 * time; the context is freed by process exit, which LeakSanitizer ignores for globals). */
static kzg_ctx *fuzz_ctx_global;
static inline const kzg_ctx *fuzz_ctx(void) {
    if (!fuzz_ctx_global) {
        kzg_status st = kzg_ctx_new(&fuzz_ctx_global, NULL);
        if (st != KZG_OK) {
            fprintf(stderr, "fuzz: kzg_ctx_new failed: %s: %s\n", kzg_status_str(st),
                    kzg_last_error());
            exit(1);
        }
    }
    return fuzz_ctx_global;
}

/* Reads fixed-size fields from the front of the input, zero-padding what is missing. */
typedef struct fuzz_reader {
    const uint8_t *p;
    size_t left;
} fuzz_reader;

static inline void fuzz_take(fuzz_reader *r, void *out, size_t n) {
    size_t k = n < r->left ? n : r->left;
    memcpy(out, r->p, k);
    memset((uint8_t *)out + k, 0, n - k);
    r->p += k;
    r->left -= k;
}

static inline uint8_t fuzz_byte(fuzz_reader *r) {
    uint8_t b;
    fuzz_take(r, &b, 1);
    return b;
}

/* Fills a blob from the rest of the input: the bytes repeated cyclically (or, with
 * FUZZ_BLOB_SPARSE, once, the tail zero); with FUZZ_BLOB_CANONICAL every element's top two
 * bits are cleared, so that the blob passes validation and the arithmetic is reached. */
#define FUZZ_BLOB_CANONICAL 1u
#define FUZZ_BLOB_SPARSE 2u
static inline void fuzz_blob(kzg_blob *blob, const fuzz_reader *r, unsigned mode) {
    memset(blob->bytes, 0, sizeof blob->bytes);
    if (r->left) {
        size_t n = (mode & FUZZ_BLOB_SPARSE) ? (r->left < sizeof blob->bytes ? r->left
                                                                             : sizeof blob->bytes)
                                             : sizeof blob->bytes;
        for (size_t i = 0; i < n; i++) blob->bytes[i] = r->p[i % r->left];
    }
    if (mode & FUZZ_BLOB_CANONICAL)
        for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) blob->bytes[32 * i] &= 0x3f;
}

static inline kzg_blob *fuzz_blob_alloc(void) {
    kzg_blob *b = malloc(sizeof *b);
    if (!b) {
        fprintf(stderr, "fuzz: out of memory\n");
        exit(1);
    }
    return b;
}

/* XORs `mask` into p[0..n) (a targeted corruption of a valid value). Returns whether it
 * changed anything. */
static inline bool fuzz_xor(uint8_t *p, const uint8_t *mask, size_t n) {
    bool changed = false;
    for (size_t i = 0; i < n; i++) {
        p[i] ^= mask[i];
        changed |= mask[i] != 0;
    }
    return changed;
}

#endif
