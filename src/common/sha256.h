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

#include <stdatomic.h>

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

/* SHA-256 of `count` messages of the same shape: message i is the concatenation of npieces
 * pieces, piece k at pieces[i·npieces + k] with lens[k] bytes (the same lengths for every
 * message). out[i] is its digest and st[i] its status (on failure out[i] is zeroed and the
 * status is KZG_ERR_MEMORY or KZG_ERR_INTERNAL, each with sha256_end's detail); returns the
 * first failure, or KZG_OK. With `wide` (the caller's promise that the CPU runs AVX-512F
 * with ZMM state enabled: the IFMA backend's CPUs do) and where the kernel is built, groups
 * of SHA256_MANY_WIDE_MIN..16 messages are hashed sixteen lanes at a time
 * (common/sha256_x16.c: 3.2 GB/s in all against OpenSSL's 1.6 on the project's Xeon);
 * smaller groups, and everything without `wide`, go one by one through sha256_begin/add/end.
 * Each message counts as one digest for sha256_fail_at. */
#define SHA256_MANY_WIDE_MIN 9
/* Reports a digest's failure status again (KZG_ERR_MEMORY: "who: cannot allocate a SHA-256
 * context"; anything else: KZG_ERR_INTERNAL, "who: SHA-256 failed"), e.g. on the thread
 * that uses a digest sha256_many made on another. Returns the status. */
kzg_status sha256_failure(kzg_status st, const char *who);
kzg_status sha256_many(uint8_t (*out)[32], kzg_status *st, size_t count,
                       const uint8_t *const *pieces, const size_t *lens, size_t npieces, bool wide,
                       const char *who);

/* Test hook (fault injection, like pool_thread_create_hook): when sha256_fail_at is k > 0,
 * the k-th digest begun from then on fails — as an OpenSSL failure (KZG_ERR_INTERNAL), or
 * with sha256_fail_alloc set as a context that could not be allocated (KZG_ERR_MEMORY) —
 * and the hook resets to 0. Atomic: pool workers hashing at once each count down (the k-th
 * digest is then the k-th to take the count, in whatever order the threads reach it). */
extern _Atomic long sha256_fail_at;
extern bool sha256_fail_alloc;

#endif
