/*
 * common/sha256.h — SHA-256 over a sequence of pieces, for the Fiat–Shamir challenges, the
 * setup hash, the result-cache keys and the table-cache header. One implementation (OpenSSL's
 * EVP, which uses the CPU's SHA extensions where present) behind a streaming interface whose
 * failures are sticky: a caller adds its pieces without checking each step, and
 * sha256_end reports the first failure once.
 */
#ifndef KZGKIT_COMMON_SHA256_H
#define KZGKIT_COMMON_SHA256_H

#include "common/common.h"

typedef struct sha256_stream {
    void *md;    /* the EVP context; NULL after a failed allocation */
    bool failed; /* a step failed: sha256_end reports it */
} sha256_stream;

/* The implementation's one-time set-up (OpenSSL's library and provider initialisation and
 * the fetch of its SHA-256, ~1-2 ms, once per process), so that no later digest pays for
 * it; context constructors call it. Thread-safe. KZG_ERR_INTERNAL when OpenSSL has no
 * SHA-256 (digests would then fail too). */
kzg_status sha256_prepare(void);
/* Starts a digest (allocates the EVP context). */
void sha256_begin(sha256_stream *s);
/* Appends n bytes at p (n == 0: nothing; p may then be NULL). No-op after a failure. */
void sha256_add(sha256_stream *s, const void *p, size_t n);
/* Writes the digest to out and frees the stream. KZG_OK; KZG_ERR_MEMORY when the context
 * could not be allocated, KZG_ERR_INTERNAL when OpenSSL failed — each with a detail that
 * starts with `who`. */
kzg_status sha256_end(sha256_stream *s, uint8_t out[32], const char *who);

/* Test hook (fault injection, like pool_thread_create_hook): when sha256_fail_at is k > 0,
 * the k-th digest begun from then on fails — as an OpenSSL failure (KZG_ERR_INTERNAL), or
 * with sha256_fail_alloc set as a context that could not be allocated (KZG_ERR_MEMORY) —
 * and the hook resets to 0. Set it only while no other thread hashes. */
extern long sha256_fail_at;
extern bool sha256_fail_alloc;

#endif
