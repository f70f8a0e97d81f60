/*
 * msm/msm_acc.h — batch-affine bucket accumulation, shared by the variable-base MSM (msm.c)
 * and the fixed-base tables (table.c). Internal to the msm layer.
 *
 * Buckets are affine points. An addition B ← B + P is not done at once: it is queued in a
 * batch, and when the batch is full all its slopes λ = (y2 - y1)/(x2 - x1) are computed with
 * one field inversion (Montgomery's trick: 3M per element), then each sum costs 2M + 1S
 * (x3 = λ² - x1 - x2, y3 = λ(x1 - x3) - y1). About 5M + 1S per addition instead of the
 * 7M + 4S of a mixed Jacobian addition. A bucket may appear in a batch only once (its value
 * changes when the batch is applied): a second addition to a bucket that is busy is deferred
 * to a small queue, replayed after the next flush.
 * Exceptional cases, decided when an addition is queued: an empty bucket takes the point
 * (no arithmetic); P + P is queued as a doubling (slope 3x²/2y); P + (-P) empties the bucket.
 * Every point must be in G1 (odd order, so y ≠ 0 and a doubling's denominator is never 0).
 *
 * With the IFMA backend (backend/backend.h, batch_ifma) a batch is applied eight additions
 * at a time (x86_64/ifma.h): the same formulas and the same results, bit for bit.
 *
 * The accumulator never allocates: acc_init carves its arrays out of caller scratch of
 * acc_scratch_size() bytes. Points are referenced, not copied: x and y must stay valid until
 * acc_finish returns.
 */
#ifndef KZGKIT_MSM_ACC_H
#define KZGKIT_MSM_ACC_H

#include "curve/g1.h"

typedef struct acc_ref {
    const fp_t *x, *y;
    uint32_t bucket;
    uint32_t flags; /* ACC_NEG: add (x, -y); ACC_DBL (internal): queued as a doubling */
} acc_ref;

#define ACC_NEG 1u
#define ACC_DBL 2u

typedef struct acc {
    g1_aff_t *b;       /* [nb] bucket values (valid where st != ACC_EMPTY) */
    uint8_t *st;       /* [nb] ACC_EMPTY, ACC_FULL or ACC_BUSY (full and in the batch) */
    size_t nb;
    acc_ref *batch;    /* [cap] queued additions */
    fp_t *den, *pre;   /* [cap] their denominators and prefix products */
    size_t nbatch, cap;
    acc_ref *defer, *work; /* [dcap] each: deferred additions, and the list being replayed */
    size_t ndefer, dcap;
    bool need_drain;
    bool v8;           /* batches run eight additions at a time (backend batch_ifma) */
} acc;

/* Scratch for `nb` buckets and a batch of `cap` additions (cap ≥ 1). Multiple of 64. */
size_t acc_scratch_size(size_t nb, size_t cap);
/* Sets up an accumulator over `scratch` with every bucket empty. */
void acc_init(acc *a, void *scratch, size_t nb, size_t cap);
/* B[bucket] += (x, flags & ACC_NEG ? -y : y). */
void acc_add(acc *a, uint32_t bucket, const fp_t *x, const fp_t *y, uint32_t flags);
/* Applies every queued and deferred addition. */
void acc_finish(acc *a);
/* *out = Σ_{j<len} (j + 1)·B[base + j] by running sums (2 Jacobian additions per bucket from
 * the highest non-empty one down). Call after acc_finish. */
void acc_reduce(g1_t *out, const acc *a, size_t base, size_t len);

/* The same sums for nw windows of len buckets each (window w: buckets [w·len, (w+1)·len)),
 * with the running sums themselves batch-affine: each window is cut into segments of m
 * buckets, all segments of all windows run their two running sums (sum ← sum + B_j,
 * tot ← tot + sum) in lockstep, so every step is two batches of independent affine
 * additions; then per window Σ_j (j+1)·B_j = Σ_s tot_s + m·Σ_s s·sum_s (Jacobian, a few
 * additions per segment). About half the cost of acc_reduce per bucket. len a power of two.
 * out[w] for each window. Scratch: acc_reduce_batched_scratch_size(nw, len). */
size_t acc_reduce_batched_scratch_size(size_t nw, size_t len);
void acc_reduce_batched(g1_t *out, const acc *a, size_t nw, size_t len, void *scratch);

/* A batch size that amortises the inversion without making collisions frequent. */
size_t acc_batch_for(size_t nb);

/* Bytes rounded up to a multiple of 64 (scratch layouts keep every array cache-aligned
 * relative to the scratch start). */
static inline size_t msm_align64(size_t n) { return (n + 63) & ~(size_t)63; }

#endif
