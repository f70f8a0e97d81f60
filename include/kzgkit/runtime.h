/*
 * kzgkit — runtime metrics and result-cache statistics.
 *
 * Copyright 2026 the kzgkit authors. Licensed under the Apache License, Version 2.0
 * (the "License"); you may not use this file except in compliance with the License.
 * You may obtain a copy at http://www.apache.org/licenses/LICENSE-2.0
 *
 * This header: the operation identifiers, the metrics object (per-operation calls, errors,
 * latency histograms, throughput), its snapshot, the JSON and Prometheus exporters, and
 * the statistics of the result caches. The conventions of kzgkit/kzg.h apply (argument
 * order: context, outputs, inputs; a length follows its array; a kzg_status everywhere).
 *
 * Threads: a kzg_metrics may be recorded into by any number of threads at once (recording
 * is lock-free) while others take snapshots. Snapshots and exporters never block recording.
 *
 * Latency histogram: log-linear, HDR-style. Values are nanoseconds. Below 16 ns every value
 * has its own bucket; from 16 ns up each power-of-two range [2^k, 2^(k+1)) is cut into 16
 * equal sub-buckets, up to 2^37 ns (about 137 s); longer calls land in an overflow bucket.
 * A bucket is upper-inclusive: bucket i holds the values in (lower, upper], so that its
 * upper bound is exactly a Prometheus `le` bound.
 * Quantile error bound: a reported quantile lies in the same bucket as the exact
 * nearest-rank quantile of the recorded values and is the bucket's midpoint (clamped to the
 * observed min and max), so |reported - exact| <= exact / 32 (3.125 %); values up to 16 ns
 * are exact. Calls longer than 2^37 ns are reported as the observed maximum.
 */
#ifndef KZGKIT_RUNTIME_H
#define KZGKIT_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kzgkit/kzg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- operations ------------------------------------------------------------------ */

/* The public operations that metrics are kept for (names as in the consensus specs). */
typedef enum kzg_op {
    KZG_OP_CTX_NEW = 0,                        /* context creation, any setup source */
    KZG_OP_BLOB_TO_KZG_COMMITMENT = 1,
    KZG_OP_COMPUTE_KZG_PROOF = 2,
    KZG_OP_COMPUTE_BLOB_KZG_PROOF = 3,
    KZG_OP_VERIFY_KZG_PROOF = 4,
    KZG_OP_VERIFY_BLOB_KZG_PROOF = 5,
    KZG_OP_VERIFY_BLOB_KZG_PROOF_BATCH = 6,
    KZG_OP_COMPUTE_CELLS = 7,                  /* EIP-7594 */
    KZG_OP_COMPUTE_CELLS_AND_KZG_PROOFS = 8,
    KZG_OP_VERIFY_CELL_KZG_PROOF_BATCH = 9,
    KZG_OP_RECOVER_CELLS_AND_KZG_PROOFS = 10,
    KZG_OP_PROCESS_BLOBS = 11                  /* kzg_processor_run: one call, n blobs */
} kzg_op;
/* The operations this header knows; it grows when operations are added. Public structs never
 * depend on it: a snapshot has room for KZG_METRICS_MAX_OPS operations, fixed for good. */
#define KZG_OP_COUNT 12
#define KZG_METRICS_MAX_OPS 32

/* The operation's name ("blob_to_kzg_commitment", ...; "ctx_new"), or "unknown". */
KZG_API const char *kzg_op_name(kzg_op op);

/* ---- caches ---------------------------------------------------------------------- */

/* Statistics of one result cache. Counters are cumulative since the cache was created
 * (clearing or resizing a cache does not reset them). Each shard is read under its lock,
 * so the numbers of one shard are consistent with each other; the sum over shards is not
 * one atomic instant when other threads are using the cache. */
typedef struct kzg_cache_stats {
    uint64_t hits;
    uint64_t misses;
    uint64_t inserts;       /* new entries stored */
    uint64_t updates;       /* puts that replaced the value of a present key */
    uint64_t evictions;     /* entries dropped to stay within the budget */
    uint64_t entries;       /* entries now */
    uint64_t bytes;         /* bytes now charged against the budget (entries + index) */
    uint64_t budget_bytes;  /* the budget now (moves in adaptive mode) */
    uint64_t min_budget_bytes; /* adaptive bounds (both = budget_bytes when not adaptive) */
    uint64_t max_budget_bytes;
    uint64_t adaptations;   /* adaptive decisions that changed the budget */
    double target_hit_rate; /* adaptive target, 0 when not adaptive */
    double hit_rate;        /* hits / (hits + misses), 0 before the first lookup */
    bool adaptive;
} kzg_cache_stats;

/* ---- metrics --------------------------------------------------------------------- */

typedef struct kzg_metrics kzg_metrics;

/* Histogram layout (see the top of this header). */
#define KZG_METRICS_SUB_BUCKETS 16
#define KZG_METRICS_MAX_EXPONENT 37 /* the histogram covers up to 2^37 ns */
/* 16 exact buckets, 16 per power of two from 2^4 to 2^37, and one overflow bucket. */
#define KZG_METRICS_BUCKETS \
    (KZG_METRICS_SUB_BUCKETS + (KZG_METRICS_MAX_EXPONENT - 4) * KZG_METRICS_SUB_BUCKETS + 1)
/* Error counts are kept per status value; statuses >= KZG_METRICS_STATUS_SLOTS - 1 (and
 * negative ones) share the last slot. */
#define KZG_METRICS_STATUS_SLOTS 32
/* The most caches whose statistics a metrics object reports. */
#define KZG_METRICS_MAX_CACHES 4
#define KZG_METRICS_CACHE_NAME_MAX 24

/* One operation in a snapshot. Times in nanoseconds. */
typedef struct kzg_metrics_op_stats {
    uint64_t calls;          /* completed calls, with any status (= sum of histogram) */
    uint64_t errors;         /* calls whose status was not KZG_OK (<= calls) */
    uint64_t errors_by_status[KZG_METRICS_STATUS_SLOTS];
    uint64_t items;          /* work items processed (blobs, proofs, cells...) */
    uint64_t total_ns;       /* sum of the latencies */
    uint64_t min_ns, max_ns; /* 0 when calls == 0 */
    uint64_t mean_ns;
    uint64_t p50_ns, p90_ns, p99_ns, p999_ns; /* within the documented error bound */
    double error_rate;       /* errors / calls (0 without calls) */
    double calls_per_second; /* calls / uptime */
    double items_per_second; /* items / uptime */
    uint64_t histogram[KZG_METRICS_BUCKETS]; /* per bucket (not cumulative) */
} kzg_metrics_op_stats;

typedef struct kzg_metrics_cache_entry {
    char name[KZG_METRICS_CACHE_NAME_MAX]; /* "commitment", "proof", "verify", ... */
    kzg_cache_stats stats;
} kzg_metrics_cache_entry;

/* A snapshot: a plain copy that stays valid after the metrics object is gone (~140 KB,
 * prefer the heap). Its size does not change when operations are added. */
typedef struct kzg_metrics_stats {
    uint64_t uptime_ns;          /* since the metrics object was created (monotonic) */
    uint64_t start_time_unix_ns; /* creation time, wall clock */
    uint64_t calls, errors;      /* over all operations */
    double error_rate;
    uint64_t cache_hits, cache_misses; /* over all reported caches */
    double cache_hit_rate;
    uint32_t n_caches;
    kzg_metrics_cache_entry caches[KZG_METRICS_MAX_CACHES];
    uint32_t n_ops;              /* operations the library records (ops[0..n_ops)), <=
                                    KZG_METRICS_MAX_OPS; the rest of ops[] is zero */
    kzg_metrics_op_stats ops[KZG_METRICS_MAX_OPS]; /* indexed by kzg_op */
} kzg_metrics_stats;

/* A new, empty metrics object. */
KZG_API kzg_status kzg_metrics_new(kzg_metrics **out);
/* Frees it; NULL is allowed. No thread may be recording into it. */
KZG_API void kzg_metrics_free(kzg_metrics *metrics);

/* A consistent copy of the counters, taken without blocking recorders. For each operation,
 * even while other threads record: calls is exactly the histogram's total, errors <= calls
 * (and each errors_by_status slot is), and every call counted in calls is included in
 * total_ns, items, min_ns and max_ns (which may also include calls still being recorded).
 * KZG_ERR_NULL_ARG for NULL arguments (out is zeroed when it is not NULL). */
KZG_API kzg_status kzg_metrics_snapshot(const kzg_metrics *metrics, kzg_metrics_stats *out);

/* The value at quantile q (0 < q <= 1, nearest rank) of one operation's histogram, in ns;
 * 0 when there are no calls or q is out of range. */
KZG_API uint64_t kzg_metrics_quantile_ns(const kzg_metrics_op_stats *op, double q);

/* Bucket i of the histogram holds the latencies in (lower, upper] ns; bucket 0 also holds 0;
 * the overflow bucket's upper bound is UINT64_MAX. Out-of-range i gives 0. */
KZG_API uint64_t kzg_metrics_bucket_lower_ns(size_t i);
KZG_API uint64_t kzg_metrics_bucket_upper_ns(size_t i);

/* Exporters. The text is written into buf (buf_size bytes, NUL-terminated) and *len is set
 * to its length without the NUL. Size query: buf == NULL and buf_size == 0 returns KZG_OK
 * with *len set. A buffer that is too small gives KZG_ERR_LENGTH, an empty string and *len
 * set to the length needed. The output is locale-independent.
 *  - JSON: one object (field names in the header's units: *_ns, *_per_second, *_rate).
 *  - Prometheus text exposition format 0.0.4: every metric with # HELP and # TYPE lines,
 *    names prefixed kzgkit_, base units (seconds, bytes), counters ending in _total,
 *    kzgkit_operation_duration_seconds as a histogram with power-of-two `le` bounds
 *    (2^10 ns ... 2^37 ns, exact bucket boundaries) and the quantiles as a summary. */
KZG_API kzg_status kzg_metrics_write_json(char *buf, size_t buf_size, size_t *len,
                                          const kzg_metrics_stats *stats);
KZG_API kzg_status kzg_metrics_write_prometheus(char *buf, size_t buf_size, size_t *len,
                                                const kzg_metrics_stats *stats);
/* The same, written to a stream; KZG_ERR_IO when the stream reports an error. */
KZG_API kzg_status kzg_metrics_fprint_json(FILE *f, const kzg_metrics_stats *stats);
KZG_API kzg_status kzg_metrics_fprint_prometheus(FILE *f, const kzg_metrics_stats *stats);

/* ---- blob batch processor --------------------------------------------------------
 * Turns a stream of blobs into commitments and blob proofs the way a node or sequencer sees
 * them: the same blob often arrives several times (from several peers, in several
 * batches). One call takes n blobs; blobs repeated inside the call are computed once,
 * blobs seen before are served from a content-addressed cache (key: SHA-256 of the blob;
 * the cache belongs to one processor and so to one context and setup), and the rest runs
 * as one batch on the context's threads. Outputs are exactly what kzg_blob_to_kzg_commitment
 * and kzg_compute_blob_kzg_proof return for each blob. A processor may be used by several
 * threads at once; it must not outlive its context. */

typedef struct kzg_processor kzg_processor;

typedef struct kzg_processor_options {
    uint32_t struct_size;  /* sizeof(kzg_processor_options): the rule of kzg_ctx_options */
    uint32_t verify;       /* non-zero: also verify every computed (blob, commitment, proof)
                              with one batch verification per call, and report it in *ok */
    size_t cache_bytes;    /* result-cache budget in bytes; 0 = no cache (dedup only) */
    kzg_metrics *metrics;  /* optional, borrowed: records KZG_OP_PROCESS_BLOBS per call */
} kzg_processor_options;

#define KZG_PROCESSOR_OPTIONS_INIT {sizeof(kzg_processor_options), 0, 0, 0}

typedef struct kzg_processor_stats {
    uint64_t calls;        /* kzg_processor_run calls that succeeded */
    uint64_t blobs;        /* blobs received in those calls */
    uint64_t duplicates;   /* blobs that repeated an earlier blob of the same call */
    uint64_t cache_hits;   /* distinct blobs answered from the cache */
    uint64_t computed;     /* distinct blobs computed */
    kzg_cache_stats cache; /* the result cache's own counters (zero without a cache) */
} kzg_processor_stats;

KZG_API kzg_status kzg_processor_new(kzg_processor **out, const kzg_ctx *ctx,
                                     const kzg_processor_options *options);
KZG_API void kzg_processor_free(kzg_processor *p); /* NULL allowed */

/* commitments[i] and proofs[i] for blobs[i], i < n. ok may be NULL; with options.verify
 * set, *ok is true when every computed proof verified (cached results verified when they
 * were computed). A non-canonical blob fails the call with the original index in the
 * detail ("blobs[i]: field element j ..."); outputs are then zeroed (except for an n so
 * large that no array of n blobs can exist: KZG_ERR_LENGTH, nothing written). n == 0 is
 * KZG_OK. */
KZG_API kzg_status kzg_processor_run(kzg_processor *p, kzg_commitment *commitments,
                                     kzg_proof *proofs, bool *ok, const kzg_blob *blobs,
                                     size_t n);

KZG_API kzg_status kzg_processor_stats_get(const kzg_processor *p, kzg_processor_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* KZGKIT_RUNTIME_H */
