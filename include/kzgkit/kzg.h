/*
 * kzgkit — KZG polynomial commitments over BLS12-381, byte-exact with Ethereum's
 * EIP-4844 and EIP-7594.
 *
 * Copyright 2026 the kzgkit authors. Licensed under the Apache License, Version 2.0
 * (the "License"); you may not use this file except in compliance with the License.
 * You may obtain a copy at http://www.apache.org/licenses/LICENSE-2.0
 *
 * This header: status codes, the context, the trusted setup, fixed-size byte types.
 *
 * Conventions for every kzg_ function
 *  - Argument order: context, then outputs, then inputs; a length follows its array.
 *  - Every function returns a kzg_status. KZG_OK means the outputs are written. On any
 *    other status the outputs are zeroed (a verification's `ok` is false) and
 *    kzg_last_error() describes the failure in one line (which input, which index, which
 *    check) for the calling thread.
 *  - Verification functions return a status *and* a bool: KZG_OK with *ok == false is a
 *    well-formed input that does not verify; any other status is malformed input.
 *  - A kzg_ctx is immutable after creation and may be shared by any number of threads.
 *  - All inputs are public (commitments, blobs, proofs); kzgkit uses variable-time
 *    arithmetic on them on purpose. Do not feed it secrets.
 */
#ifndef KZGKIT_KZG_H
#define KZGKIT_KZG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define KZG_API __attribute__((visibility("default")))
#else
#define KZG_API
#endif

/* ---- status ---------------------------------------------------------------------- */

typedef enum kzg_status {
    KZG_OK = 0,
    KZG_ERR_NULL_ARG = 1,          /* a required pointer argument is NULL */
    KZG_ERR_LENGTH = 2,            /* wrong byte length, count or size */
    KZG_ERR_SCALAR_NONCANONICAL = 3, /* a field element is >= the BLS12-381 scalar modulus r */
    KZG_ERR_POINT_ENCODING = 4,    /* bad compression/infinity/sign flags, x >= p, or a
                                      non-canonical infinity */
    KZG_ERR_POINT_NOT_ON_CURVE = 5,
    KZG_ERR_POINT_NOT_IN_SUBGROUP = 6,
    KZG_ERR_SETUP = 7,             /* trusted setup malformed or inconsistent */
    KZG_ERR_MEMORY = 8,            /* allocation failed */
    KZG_ERR_IO = 9,                /* a file could not be read or written */
    KZG_ERR_BAD_ARG = 10,          /* an argument out of its documented range (index, option) */
    KZG_ERR_INTERNAL = 11          /* a bug in kzgkit: please report it */
} kzg_status;

/* A static, human-readable name for a status ("point not in subgroup", ...). */
KZG_API const char *kzg_status_str(kzg_status status);

/* The calling thread's description of its last failure, or "" if none. Valid until the
 * thread's next kzg_ call. */
KZG_API const char *kzg_last_error(void);

/* ---- sizes and byte types ------------------------------------------------------------ */

#define KZG_BYTES_PER_FIELD_ELEMENT 32
#define KZG_FIELD_ELEMENTS_PER_BLOB 4096
#define KZG_BYTES_PER_BLOB (KZG_BYTES_PER_FIELD_ELEMENT * KZG_FIELD_ELEMENTS_PER_BLOB)
#define KZG_BYTES_PER_G1 48
#define KZG_BYTES_PER_G2 96
#define KZG_BYTES_PER_COMMITMENT KZG_BYTES_PER_G1
#define KZG_BYTES_PER_PROOF KZG_BYTES_PER_G1
#define KZG_SETUP_G2_LENGTH 65

/* A scalar in big-endian bytes; must be < r (canonical). */
typedef struct kzg_field_element { uint8_t bytes[KZG_BYTES_PER_FIELD_ELEMENT]; } kzg_field_element;
/* A compressed G1 point (ZCash encoding). */
typedef struct kzg_g1_bytes { uint8_t bytes[KZG_BYTES_PER_G1]; } kzg_g1_bytes;
typedef kzg_g1_bytes kzg_commitment;
typedef kzg_g1_bytes kzg_proof;
/* A blob: 4096 canonical field elements. */
typedef struct kzg_blob { uint8_t bytes[KZG_BYTES_PER_BLOB]; } kzg_blob;

/* ---- context --------------------------------------------------------------------- */

typedef struct kzg_ctx kzg_ctx;
struct kzg_metrics; /* kzgkit/runtime.h */

/* Options for a context. Zero-initialise, then set what you need; NULL means defaults. */
typedef struct kzg_ctx_options {
    uint32_t struct_size; /* sizeof(kzg_ctx_options); 0 is taken as the current size */
    uint32_t threads;     /* threads for MSMs and batch operations, the caller included (a
                           * pool of threads - 1 workers owned by the context); 0 or 1 =
                           * caller only, at most 256. Results never depend on it. The
                           * library reads no environment variable for it. */
    /* Fixed-base tables over the Lagrange setup points, the memory/speed knob of commitments
     * and proofs: 0 = none (the default; context creation stays under a millisecond), else
     * a window c in 4..16. Memory 4096·(floor(255/c)+1)·96 bytes (c = 12: 8.3 MiB); built at
     * context creation (on the context's threads) unless loaded from table_cache_path.
     * See docs/PERFORMANCE.md for the measured speed-up per window. */
    uint32_t table_window;
    /* A file to load the tables from and save them to (NULL: build in memory only). The file
     * is keyed by the SHA-256 of the setup points, the window and the format version and
     * carries a SHA-256 of its contents; a stale, truncated or corrupt file is ignored and
     * rewritten, never trusted. Only read when table_window is set. */
    const char *table_cache_path;
    /* Metrics to record every public operation on this context into (kzgkit/runtime.h:
     * kzg_metrics_new), borrowed: it must outlive the context and may be shared by several
     * contexts. NULL: no recording (the cost is one branch per call). */
    struct kzg_metrics *metrics;
    /* A tuning profile to apply (written by `kzgkit tune`, format in docs/TUNING.md); NULL:
     * none. Its threads and table_window are used where those fields above are 0; its MSM
     * windows are set process-wide (every context in the process then uses them; results
     * never depend on them). A malformed file fails the constructor (KZG_ERR_SETUP,
     * KZG_ERR_BAD_ARG, KZG_ERR_IO); a profile measured on another CPU model or backend is
     * ignored and kzg_ctx_profile_info says why. The library reads no environment variable. */
    const char *profile_path;
    /* A result cache owned by the context, in bytes (0: none). Content-addressed: the key is
     * SHA-256 over the operation and every one of its inputs (the setup is the context's
     * own), so a cached answer is exactly the one the operation would compute. Used by
     * blob_to_kzg_commitment, compute_blob_kzg_proof, verify_kzg_proof and
     * verify_blob_kzg_proof (only well-formed inputs' answers are cached: errors are
     * recomputed). LRU within the budget; kzg_ctx_cache_stats reads its counters. */
    size_t cache_bytes;
    /* Adaptive cache: with a target hit rate in (0, 1), the budget starts at cache_bytes and
     * moves within [cache_bytes, cache_max_bytes] toward the target (it grows while the hit
     * rate is below the target and entries are being evicted, shrinks while it is above);
     * the rule is in src/runtime/cache.h. 0: a fixed budget. */
    double cache_target_hit_rate;
    size_t cache_max_bytes;
} kzg_ctx_options;

/* Setup file formats for kzg_ctx_new_from_file. */
typedef enum kzg_setup_format {
    KZG_SETUP_AUTO = 0, /* guess from the content */
    KZG_SETUP_TXT = 1,  /* c-kzg-4844 trusted_setup.txt */
    KZG_SETUP_JSON = 2  /* {"g1_monomial": [...], "g1_lagrange": [...], "g2_monomial": [...]} */
} kzg_setup_format;

/* A context over the embedded Ethereum mainnet setup (KZG ceremony). No I/O, no parsing:
 * the points are compiled in, already validated, in their internal form. */
KZG_API kzg_status kzg_ctx_new(kzg_ctx **out, const kzg_ctx_options *options);

/* A context over a setup file. Every point is decoded and checked to be on the curve and in
 * its subgroup; the counts must be 4096 G1 points in each basis and 65 G2 points; the
 * Lagrange basis must match the monomial one (checked by pairings). */
KZG_API kzg_status kzg_ctx_new_from_file(kzg_ctx **out, const char *path,
                                         kzg_setup_format format,
                                         const kzg_ctx_options *options);

/* A context over raw compressed points: g1_monomial and g1_lagrange are 4096 48-byte points
 * each (the Lagrange basis in natural order, as in the setup files; kzgkit applies the
 * bit-reversal permutation itself), g2_monomial is 65 96-byte points. Validated as for
 * kzg_ctx_new_from_file. */
KZG_API kzg_status kzg_ctx_new_from_bytes(kzg_ctx **out,
                                          const uint8_t *g1_monomial, size_t g1_monomial_len,
                                          const uint8_t *g1_lagrange, size_t g1_lagrange_len,
                                          const uint8_t *g2_monomial, size_t g2_monomial_len,
                                          const kzg_ctx_options *options);

/* Frees a context; NULL is allowed. */
KZG_API void kzg_ctx_free(kzg_ctx *ctx);

/* The counters of the context's result cache (kzg_ctx_options.cache_bytes; all zero
 * without one). */
struct kzg_cache_stats; /* kzgkit/runtime.h */
KZG_API kzg_status kzg_ctx_cache_stats(const kzg_ctx *ctx, struct kzg_cache_stats *out);

/* The threads the context's operations run on, the caller included: options.threads, or
 * the tuning profile's where that was 0; at least 1 (0 for a NULL ctx). */
KZG_API uint32_t kzg_ctx_threads(const kzg_ctx *ctx);

/* The context's tuning profile as one line in buf (buf_len bytes, truncated to fit): "none",
 * "PATH: msm_window.256=8 ... threads=2 table_window=0", or "PATH: ignored: measured on CPU
 * '...', this machine has '...'". *applied tells whether its choices are in force. */
KZG_API kzg_status kzg_ctx_profile_info(const kzg_ctx *ctx, char *buf, size_t buf_len,
                                        bool *applied);

/* ---- memory --------------------------------------------------------------------- */

/* Process-wide accounting of the heap memory kzgkit itself allocates (contexts, scratch,
 * batch buffers). Counters are atomic; reading them never blocks an operation. */
typedef struct kzg_alloc_stats {
    uint64_t allocations;     /* successful allocations since start */
    uint64_t frees;
    uint64_t bytes_allocated; /* total bytes requested since start */
    uint64_t live_bytes;      /* bytes currently allocated */
    uint64_t peak_live_bytes; /* high-water mark of live_bytes since start or the last reset */
} kzg_alloc_stats;

KZG_API void kzg_alloc_stats_get(kzg_alloc_stats *out);
/* Sets peak_live_bytes to the current live_bytes (to measure one operation's peak). */
KZG_API void kzg_alloc_stats_reset_peak(void);

/* A replacement allocator: malloc_fn returns NULL on failure; free_fn accepts NULL. */
typedef struct kzg_allocator {
    void *(*malloc_fn)(size_t size, void *user);
    void (*free_fn)(void *ptr, void *user);
    void *user;
} kzg_allocator;

/* Installs `allocator` (NULL restores malloc/free). Call it before creating any context and
 * while no kzg_ call runs: memory must be freed by the allocator that allocated it. */
KZG_API kzg_status kzg_set_allocator(const kzg_allocator *allocator);

/* The arithmetic backend in use: "portable", "x86_64-mulx-adx" (scalar mulx/adx kernels)
 * or "x86_64-mulx-adx-ifma" (the same, and the MSMs' batch-affine additions eight at a time
 * with AVX-512 IFMA). Chosen once from a CPU probe, the best the CPU runs; KZGKIT_BACKEND
 * set to one of these names forces it where the CPU can run it ("portable" always),
 * "auto" or unset is the probe's choice (read at the first call that needs arithmetic). */
KZG_API const char *kzg_backend(void);

/* The library version, "MAJOR.MINOR.PATCH". */
KZG_API const char *kzg_version(void);

#ifdef __cplusplus
}
#endif

#endif /* KZGKIT_KZG_H */
