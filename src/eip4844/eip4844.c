/*
 * eip4844/eip4844.c — the EIP-4844 blob functions of consensus-specs
 * deneb/polynomial-commitments.md (spec.h), and the batch entry points (kzgkit extensions)
 * that spread blobs over the context's pool.
 *
 * The layer by concern: decode.c, the byte boundary (canonical blob elements,
 * KZGCommitment/KZGProof validation = ZCash decoding + subgroup check, infinity allowed),
 * shared with EIP-7594; fiat_shamir.c, the transcripts; this file, the KZG core, the spec
 * functions and the pool scheduling of batches; api.c, the public entry points (metrics and
 * the result cache around spec.h). May call: setup (and its pool), msm, poly, pairing,
 * curve, field, common.
 *
 * Every public function: clears the error detail, zeroes its outputs, checks its pointers
 * (KZG_ERR_NULL_ARG), and on failure returns the status of the first failing check with a
 * detail naming the input, the index and the check. Memory: kzg_malloc/kzg_free, one
 * `goto out` cleanup per function.
 */
#include <stdio.h>

#include "backend/backend.h"
#include "common/sha256.h"
#include "eip4844/decode.h"
#include "eip4844/eip4844_internal.h"
#include "eip4844/eval.h"
#include "eip4844/fiat_shamir.h"
#include "eip4844/spec.h"
#include "msm/msm.h"
#include "pairing/pairing.h"
#include "poly/poly.h"
#include "setup/setup.h"

#define N_BLOB KZG_FIELD_ELEMENTS_PER_BLOB

/* ---- the KZG core ---------------------------------------------------------------------- */

/* The context's thread count (1 without a pool). */
static unsigned ctx_threads(const kzg_ctx *ctx) { return pool_threads(ctx->pool); }

/* g1_lincomb over the bit-reversed Lagrange basis: the commitment to evaluations `s`, by the
 * fixed-base tables when the context has them, else the variable-base MSM; on `threads`
 * threads of the context's pool (1: on the caller's thread only, which is pool thread
 * `self`: the table copy of its node is read when the tables are replicated). */
static kzg_status commit_lagrange(g1_t *out, const kzg_ctx *ctx, const msm_scalar *s, unsigned threads,
                                  unsigned self) {
    if (ctx->lagrange_table == &ctx->lagrange_embedded) setup_embedded_msm_table_populate();
    msm_request rq = {.k = 1, .m = N_BLOB, .points = ctx->setup.g1_lagrange_brp,
                      .table = ctx->lagrange_table, .scalars = s, .windows = &ctx->msm_windows,
                      .threads = threads, .run = setup_run_on_pool, .runner = ctx->pool, .self = self};
    return msm_run(out, &rq);
}

/* The plain integer 1 read as a Montgomery value: fr_mul(x, &FR_RAW_ONE) = x·R⁻¹ (a
 * Montgomery reduction), and fr_mul(a, b) with one operand plain gives a plain result. */
static const fr_t FR_RAW_ONE = {{1, 0, 0, 0}};

/* The index m with roots_brp[m] = z, or N_BLOB when z is outside the domain (z^4096 ≠ 1). */
static size_t domain_index(fr_t *zn, const kzg_ctx *ctx, const fr_t *z) {
    *zn = *z;
    for (size_t k = 1; k < N_BLOB; k <<= 1) fr_sqr(zn, zn);
    if (fr_is_one(zn))
        for (size_t i = 0; i < N_BLOB; i++)
            if (fr_eq(&ctx->roots_brp[i], z)) return i;
    return N_BLOB;
}

/* evaluate_polynomial_in_evaluation_form by folding neighbours: 2 multiplications per
 * element, no inversion, no scratch (e is overwritten).
 * The spec's p(z) = (z^N - 1)/N · S with S = Σ_i e_i·ω_i/(z - ω_i). Since
 * ω_i/(z - ω_i) = z/(z - ω_i) - 1, S = z·T - Σ_i e_i with T = Σ_i e_i/(z - ω_i), and T folds
 * in halves: at level L the terms are n_k/(Z - w_k) with Z = z^(2^L), w_k = roots_brp[k],
 * k < N/2^L. In bit-reversed order neighbours are opposite roots (w_{2j+1} = -w_{2j}) and
 * w_{2j}² = roots_brp[j], so two neighbours make one term of the next level:
 *   n_a/(Z - w) + n_b/(Z + w) = ((n_a + n_b)·Z + (n_a - n_b)·w) / (Z² - roots_brp[j])   (2M)
 * After log2 N levels one term n/(z^N - 1) is left (roots_brp[0] = 1): T = n/(z^N - 1) and
 *   p(z) = (z·n - (z^N - 1)·Σ_i e_i) / N.
 * Count: 2(N - 1) = 8190 Fr multiplications + 12 squarings + 4 (before: 3 per element =
 * 12288, plus an inversion). The e_i are plain integers (not Montgomery): a Montgomery
 * product of a plain value and a Montgomery one is plain, so every numerator stays plain
 * and only n and Σ e_i are converted, at the end; Σ e_i (`sum`, plain) comes from the
 * decoding pass (decode_blob_raw_sum). z outside the domain (else y = e_m). */
static void evaluate_raw(fr_t *y, const kzg_ctx *ctx, msm_scalar *e, const fr_t *sum, const fr_t *z) {
    fr_t zn, zp = *z, t, u;
    fr_t *n = (fr_t *)e; /* same four limbs */
    size_t m = domain_index(&zn, ctx, z);
    if (m < N_BLOB) {
        fr_from_raw(y, e[m].l);
        return;
    }
    eval_fold(n, &zp, ctx->roots_brp); /* eval.c: eight pairs at a time with IFMA */
    fr_from_raw(&t, n[0].l);
    fr_from_raw(&u, sum->l);
    fr_mul(&t, &t, z);         /* z·n */
    fr_sub(&zn, &zn, &FR_ONE); /* z^N - 1 */
    fr_mul(&u, &u, &zn);
    fr_sub(&t, &t, &u);
    poly_inv_domain_size(&u, N_BLOB);
    fr_mul(y, &t, &u);
}

/* Scratch of the proof: the denominators z - ω_i (then the quotient, as plain integers) and
 * their inverses (scaled by R⁻¹). */
typedef struct proof_scratch {
    fr_t d[N_BLOB], inv[N_BLOB];
} proof_scratch;

/* compute_kzg_proof_impl: *y = p(z) and the proof, the commitment to q(x) = (p(x) - y)/(x - z)
 * in evaluation form: q_i = (p_i - y)/(ω_i - z) = (y - p_i)·inv_i with inv_i = 1/(z - ω_i);
 * when z = ω_m (compute_quotient_eval_within_domain) q_m = -(1/z)·Σ_{i≠m} q_i·ω_i.
 * The batch inversion's result is scaled by R⁻¹ once, so every inv_i is too, and
 * (y - p_i)·inv_i comes out as a plain integer, ready for the MSM: 7M per element in all.
 * `raw` (the blob) is consumed: converted in place to Montgomery form. */
static kzg_status compute_kzg_proof_impl(const kzg_ctx *ctx, g1_t *proof, fr_t *y, msm_scalar *raw,
                                         const fr_t *z, unsigned threads, unsigned self) {
    kzg_status ret;
    fr_t zn, acc, t;
    fr_t *p = (fr_t *)raw;
    proof_scratch *s = kzg_malloc(sizeof *s);
    if (!s) return kzg_fail(KZG_ERR_MEMORY, "compute_kzg_proof: cannot allocate scratch");
    msm_scalar *q = (msm_scalar *)s->d; /* the quotient replaces the denominators */
    size_t m = domain_index(&zn, ctx, z);
    /* Prefix products of d_i = z - ω_i (skipping d_m = 0) into inv[]. */
    acc = FR_ONE;
    for (size_t i = 0; i < N_BLOB; i++) {
        uint64_t l[4] = {raw[i].l[0], raw[i].l[1], raw[i].l[2], raw[i].l[3]};
        fr_from_raw(&p[i], l);
        fr_sub(&s->d[i], z, &ctx->roots_brp[i]);
        s->inv[i] = acc;
        if (i != m) fr_mul(&acc, &acc, &s->d[i]);
    }
    fr_inv_var(&acc, &acc);
    fr_mul(&acc, &acc, &FR_RAW_ONE);
    for (size_t i = N_BLOB; i-- > 0;) {
        if (i == m) {
            s->inv[i] = FR_ZERO;
            continue;
        }
        fr_mul(&s->inv[i], &s->inv[i], &acc);
        fr_mul(&acc, &acc, &s->d[i]);
    }
    if (m < N_BLOB) {
        *y = p[m];
    } else {
        acc = FR_ZERO;
        for (size_t i = 0; i < N_BLOB; i++) {
            fr_mul(&t, &p[i], &ctx->roots_brp[i]);
            fr_mul(&t, &t, &s->inv[i]);
            fr_add(&acc, &acc, &t);
        }
        fr_from_raw(&acc, acc.l); /* × R */
        fr_sub(&zn, &zn, &FR_ONE);
        fr_mul(&acc, &acc, &zn);
        poly_inv_domain_size(&t, N_BLOB);
        fr_mul(y, &acc, &t);
    }
    for (size_t i = 0; i < N_BLOB; i++) {
        fr_sub(&t, y, &p[i]);
        fr_mul((fr_t *)&q[i], &t, &s->inv[i]); /* plain; q_m = 0 for now */
    }
    if (m < N_BLOB) {
        acc = FR_ZERO;
        for (size_t i = 0; i < N_BLOB; i++) {
            fr_mul(&t, (const fr_t *)&q[i], &ctx->roots_brp[i]); /* q_i·ω_i / R */
            fr_add(&acc, &acc, &t);
        }
        fr_from_raw(&acc, acc.l);
        fr_inv_var(&t, z);
        fr_mul(&acc, &acc, &t);
        fr_neg(&acc, &acc);
        fr_to_raw(q[m].l, &acc);
    }
    ret = commit_lagrange(proof, ctx, q, threads, self);
    kzg_free(s);
    return ret;
}

/* verify_kzg_proof_impl. The spec's e(C - y·G1, -G2)·e(π, [τ - z]G2) = 1 is rewritten as
 * e(C - y·G1 + z·π, -G2)·e(π, [τ]G2) = 1 (bilinearity), which needs no G2 multiplication. */
static void verify_kzg_proof_impl(bool *ok, const kzg_ctx *ctx, const g1_aff_t *commitment,
                                  const fr_t *z, const fr_t *y, const g1_aff_t *proof) {
    g1_t gen, t, acc, pj;
    g1_aff_t p[2];
    fr_t neg_y;
    g1_from_aff(&gen, &G1_GENERATOR_AFF);
    g1_from_aff(&pj, proof);
    fr_neg(&neg_y, y);
    g1_mul2_var(&t, &gen, &neg_y, &pj, z); /* -y·G1 + z·π, the doublings shared */
    g1_from_aff(&acc, commitment);
    g1_add(&acc, &acc, &t);
    g1_neg(&acc, &acc); /* pairs with G2: e(-X, G2) = e(X, -G2) */
    g1_to_aff(&p[0], &acc);
    p[1] = *proof;
    *ok = setup_pairing2_is_one(ctx, p, 0, 1);
}

/* verify_kzg_proof_batch with n ≥ 1 well-formed inputs:
 *   e(Σ r^i·π_i, -[τ]G2) · e(Σ r^i·C_i + Σ r^i·z_i·π_i - (Σ r^i·y_i)·G1, G2) = 1. */
static kzg_status verify_kzg_proof_batch(bool *ok, const kzg_ctx *ctx, const g1_aff_t *cs,
                                         const fr_t *zs, const fr_t *ys, const g1_aff_t *ps,
                                         const kzg_commitment *c_bytes, const kzg_proof *p_bytes,
                                         size_t n) {
    kzg_status ret;
    fr_t r, sum_ry = FR_ZERO, t;
    g1_t sums[2]; /* Σ r^i·π_i, then the right-hand side's sum */
    g1_aff_t *pts = NULL;
    fr_t *sc = NULL;
    msm_scalar *raw = NULL;
    unsigned threads = ctx_threads(ctx);
    *ok = false;

    if ((ret = fs_batch_challenge(&r, c_bytes, zs, ys, p_bytes, n)) != KZG_OK) return ret;
    pts = kzg_calloc(2 * n + 1, sizeof *pts);
    sc = kzg_calloc(2 * n + 1, sizeof *sc);
    raw = kzg_calloc(2 * n + 1, sizeof *raw);
    if (!pts || !sc || !raw) {
        ret = kzg_fail(KZG_ERR_MEMORY, "verify batch: cannot allocate scratch for %zu proofs", n);
        goto out;
    }
    /* sc[0..n) = r^i (compute_powers), sc[n..2n) = z_i·r^i, sc[2n] = -Σ r^i·y_i. */
    for (size_t i = 0; i < n; i++) {
        if (i == 0) sc[0] = FR_ONE;
        else fr_mul(&sc[i], &sc[i - 1], &r);
        fr_mul(&sc[n + i], &zs[i], &sc[i]);
        fr_mul(&t, &ys[i], &sc[i]);
        fr_add(&sum_ry, &sum_ry, &t);
        pts[i] = cs[i];
        pts[n + i] = ps[i];
    }
    fr_neg(&sc[2 * n], &sum_ry);
    pts[2 * n] = G1_GENERATOR_AFF;

    for (size_t i = 0; i < 2 * n + 1; i++) fr_to_raw(raw[i].l, &sc[i]);
    {
        /* Both MSMs at once, their 3n + 1 points cut evenly over the threads. */
        msm_request rq[2] = {{.k = 1, .m = n, .points = ps, .scalars = raw, .windows = &ctx->msm_windows},
                             {.k = 1, .m = 2 * n + 1, .points = pts, .scalars = raw, .windows = &ctx->msm_windows}};
        if ((ret = msm_run_many(sums, rq, 2, threads, setup_run_on_pool, ctx->pool)) != KZG_OK) goto out;
    }
    {
        g1_aff_t p[2];
        g1_neg(&sums[0], &sums[0]); /* pairs with [τ]G2: e(-X, [τ]G2) = e(X, -[τ]G2) */
        g1_to_aff(&p[0], &sums[0]);
        g1_to_aff(&p[1], &sums[1]);
        *ok = setup_pairing2_is_one(ctx, p, 1, 0);
    }
    ret = KZG_OK;
out:
    kzg_free(pts);
    kzg_free(sc);
    kzg_free(raw);
    return ret;
}

/* The per-blob part of verify_blob_kzg_proof(_batch): decode the commitment, the blob, the
 * challenge z, y = p(z), decode the proof — in the spec's order, so the first failing check
 * is the one reported. idx = SIZE_MAX: a single blob (inputs named "commitment", ...). */
static kzg_status blob_prepare(g1_aff_t *c, g1_aff_t *p, fr_t *z, fr_t *y, const kzg_ctx *ctx,
                               const kzg_blob *blob, const kzg_commitment *commitment,
                               const kzg_proof *proof, size_t idx, const kzg_status *c_st,
                               const kzg_status *p_st, const uint8_t *ch, const kzg_status *ch_st) {
    kzg_status ret;
    msm_scalar *raw = NULL;
    /* c_st, p_st: the statuses of *c and *p when the caller decoded them already
     * (eip4844_g1_decode_many), else NULL. A failed one is decoded again here, for its
     * status and detail at this step. */
    if ((!c_st || *c_st != KZG_OK) &&
        (ret = decode_g1(c, commitment, idx == SIZE_MAX ? "commitment" : "commitments", idx)) != KZG_OK)
        return ret;
    raw = setup_scratch_take(ctx, N_BLOB * sizeof *raw);
    if (!raw) return kzg_fail(KZG_ERR_MEMORY, "cannot allocate the blob's polynomial");
    fr_t sum; /* Σ e_i, for evaluate_raw: summed while decoding */
    if ((ret = decode_blob_raw_sum(raw, &sum, blob, idx == SIZE_MAX ? "blob" : "blobs", idx)) != KZG_OK) goto out;
    /* ch, ch_st: the challenge's hash when the caller made it already
     * (fs_blob_challenge_hashes), else NULL. */
    if (ch) {
        if (*ch_st != KZG_OK) {
            ret = sha256_failure(*ch_st, "compute_challenge");
            goto out;
        }
        fr_from_bytes_be_reduce(z, ch);
    } else if ((ret = fs_blob_challenge(z, blob, commitment->bytes)) != KZG_OK) {
        goto out;
    }
    evaluate_raw(y, ctx, raw, &sum, z);
    if (!p_st || *p_st != KZG_OK) ret = decode_g1(p, proof, idx == SIZE_MAX ? "proof" : "proofs", idx);
out:
    setup_scratch_give(ctx, raw);
    return ret;
}

/* verify_blob_kzg_proof without the public entry's bookkeeping (also the n = 1 batch). */
static kzg_status verify_blob_impl(bool *ok, const kzg_ctx *ctx, const kzg_blob *blob,
                                   const kzg_commitment *commitment, const kzg_proof *proof,
                                   size_t idx) {
    g1_aff_t c, p;
    fr_t z, y;
    *ok = false;
    kzg_status ret = blob_prepare(&c, &p, &z, &y, ctx, blob, commitment, proof, idx, NULL, NULL, NULL, NULL);
    if (ret == KZG_OK) verify_kzg_proof_impl(ok, ctx, &c, &z, &y, &p);
    return ret;
}

/* ---- batches over the pool --------------------------------------------------------------
 * A batch runs one task per blob (grain 1: a blob is 0.5 ms to verify, ~10-30 ms to commit
 * or prove, so the pool's shared cursor balances them). Each task writes only its own
 * outputs and status. A failure's detail is thread-local and may have been written on a
 * worker, so the caller reruns the first failing blob's checks on its own thread: the
 * status and detail are those of the sequential loop, whatever the thread count. */

typedef enum { JOB_VERIFY, JOB_COMMIT, JOB_PROVE } batch_kind;

typedef struct batch_job {
    batch_kind kind;
    const kzg_ctx *ctx;
    const kzg_blob *blobs;
    const kzg_commitment *commitments;
    const kzg_proof *proofs;
    kzg_g1_bytes *out;   /* JOB_COMMIT, JOB_PROVE */
    g1_aff_t *cs, *ps;   /* JOB_VERIFY: decoded by the caller, */
    kzg_status *cst, *pst; /* with these statuses */
    fr_t *zs, *ys;       /* JOB_VERIFY */
    const uint8_t (*ch)[32]; /* JOB_VERIFY: the challenges' hashes, made beforehand, */
    const kzg_status *chst;  /* with these statuses; or NULL: each blob hashes its own */
    unsigned msm_threads;
    kzg_status *st;
    /* The detail of each thread's first failure (a worker's kzg_last_error is its own
     * thread's) and the blob it belongs to (SIZE_MAX: none), so that the caller reports the
     * first failing blob with the worker's own detail, not a re-run's (which a transient
     * failure — memory, an OpenSSL error — would not reproduce). */
    char (*why)[KZG_ERROR_DETAIL_LEN];
    size_t *why_idx;
} batch_job;

/* blob_to_kzg_commitment for blobs[i] ("blobs[i]" in the detail). */
static kzg_status commit_one(kzg_g1_bytes *out, const kzg_ctx *ctx, const kzg_blob *blob,
                             const char *name, size_t idx, unsigned threads, unsigned self) {
    kzg_status ret;
    g1_t c;
    msm_scalar *raw = setup_scratch_take(ctx, N_BLOB * sizeof *raw);
    if (!raw) return kzg_fail(KZG_ERR_MEMORY, "cannot allocate the blob's polynomial");
    if ((ret = decode_blob_raw(raw, blob, name, idx)) != KZG_OK) goto out;
    if ((ret = commit_lagrange(&c, ctx, raw, threads, self)) != KZG_OK) goto out;
    encode_g1(out, &c);
out:
    setup_scratch_give(ctx, raw);
    return ret;
}

/* compute_blob_kzg_proof for one blob; names "commitment"/"blob" or "commitments[i]"/"blobs[i]". */
static kzg_status prove_one(kzg_g1_bytes *out, const kzg_ctx *ctx, const kzg_blob *blob,
                            const kzg_commitment *commitment, size_t idx, unsigned threads,
                            unsigned self) {
    kzg_status ret;
    msm_scalar *raw = NULL;
    g1_aff_t c;
    fr_t z, y;
    g1_t proof;
    if ((ret = decode_g1(&c, commitment, idx == SIZE_MAX ? "commitment" : "commitments", idx)) != KZG_OK)
        return ret;
    raw = setup_scratch_take(ctx, N_BLOB * sizeof *raw);
    if (!raw) return kzg_fail(KZG_ERR_MEMORY, "cannot allocate the blob's polynomial");
    if ((ret = decode_blob_raw(raw, blob, idx == SIZE_MAX ? "blob" : "blobs", idx)) != KZG_OK) goto out;
    if ((ret = fs_blob_challenge(&z, blob, commitment->bytes)) != KZG_OK) goto out;
    if ((ret = compute_kzg_proof_impl(ctx, &proof, &y, raw, &z, threads, self)) != KZG_OK) goto out;
    encode_g1(out, &proof);
out:
    setup_scratch_give(ctx, raw);
    return ret;
}

/* Blob i, on pool thread `self` (0: the caller). */
static kzg_status batch_one(const batch_job *j, size_t i, unsigned self) {
    switch (j->kind) {
    case JOB_VERIFY:
        return blob_prepare(&j->cs[i], &j->ps[i], &j->zs[i], &j->ys[i], j->ctx, &j->blobs[i],
                            &j->commitments[i], &j->proofs[i], i, &j->cst[i], &j->pst[i],
                            j->ch ? j->ch[i] : NULL, j->ch ? &j->chst[i] : NULL);
    case JOB_COMMIT: return commit_one(&j->out[i], j->ctx, &j->blobs[i], "blobs", i, j->msm_threads, self);
    default: return prove_one(&j->out[i], j->ctx, &j->blobs[i], &j->commitments[i], i, j->msm_threads, self);
    }
}

/* Keeps the calling thread's detail of blob i's failure when it is that thread's first. */
static void batch_note(const batch_job *j, size_t i, unsigned thread) {
    if (i >= j->why_idx[thread]) return;
    j->why_idx[thread] = i;
    snprintf(j->why[thread], sizeof j->why[thread], "%s", kzg_last_error());
}

static void batch_task(void *arg, size_t begin, size_t end, unsigned thread) {
    const batch_job *j = arg;
    for (size_t i = begin; i < end; i++)
        if ((j->st[i] = batch_one(j, i, thread)) != KZG_OK) batch_note(j, i, thread);
}

/* Runs the job over n blobs: blob-parallel when there are at least as many blobs as threads
 * (each blob's MSM on one thread: no per-MSM synchronisation), otherwise blob after blob
 * with each MSM spread over the pool. Returns the first failure, as a sequential loop would. */
static kzg_status batch_run(batch_job *j, size_t n) {
    unsigned t = ctx_threads(j->ctx), slots = pool_threads(j->ctx->pool);
    j->st = kzg_calloc(n, sizeof *j->st);
    j->why = kzg_malloc(slots * sizeof *j->why);
    j->why_idx = kzg_malloc(slots * sizeof *j->why_idx);
    kzg_status ret = KZG_OK;
    if (!j->st || !j->why || !j->why_idx) {
        ret = kzg_fail(KZG_ERR_MEMORY, "cannot allocate the status of %zu blobs", n);
        goto out;
    }
    for (unsigned k = 0; k < slots; k++) j->why_idx[k] = SIZE_MAX;
    if (j->kind == JOB_VERIFY || n >= t) {
        j->msm_threads = 1;
        pool_parallel_for(j->ctx->pool, n, 1, batch_task, j);
    } else {
        j->msm_threads = t;
        for (size_t i = 0; i < n; i++) {
            if ((j->st[i] = batch_one(j, i, 0)) != KZG_OK) {
                batch_note(j, i, 0);
                break;
            }
        }
    }
    for (size_t i = 0; i < n && ret == KZG_OK; i++) {
        if (j->st[i] == KZG_OK) continue;
        /* The first failing blob, as a sequential loop would report it, with the detail
         * of the thread that ran it (each thread notes its lowest failing blob). */
        ret = kzg_fail(j->st[i], "blob %zu: %s", i, kzg_status_str(j->st[i]));
        for (unsigned k = 0; k < slots; k++)
            if (j->why_idx[k] == i) ret = kzg_fail(j->st[i], "%s", j->why[k]);
    }
out:
    kzg_free(j->st);
    kzg_free(j->why);
    kzg_free(j->why_idx);
    j->st = NULL;
    j->why = NULL;
    j->why_idx = NULL;
    return ret;
}

/* ---- public functions ------------------------------------------------------------------ */

kzg_status eip4844_blob_to_kzg_commitment(const kzg_ctx *ctx, kzg_commitment *out, const kzg_blob *blob) {
    kzg_clear_error();
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "blob_to_kzg_commitment: out is NULL");
    memset(out, 0, sizeof *out);
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "blob_to_kzg_commitment: ctx is NULL");
    if (!blob) return kzg_fail(KZG_ERR_NULL_ARG, "blob_to_kzg_commitment: blob is NULL");
    kzg_status ret = commit_one(out, ctx, blob, "blob", SIZE_MAX, ctx_threads(ctx), 0);
    if (ret != KZG_OK) memset(out, 0, sizeof *out);
    return ret;
}

kzg_status eip4844_compute_kzg_proof(const kzg_ctx *ctx, kzg_proof *proof_out, kzg_field_element *y_out,
                                     const kzg_blob *blob, const kzg_field_element *z_bytes) {
    kzg_status ret;
    msm_scalar *raw = NULL;
    fr_t z, y;
    g1_t proof;
    kzg_clear_error();
    if (proof_out) memset(proof_out, 0, sizeof *proof_out);
    if (y_out) memset(y_out, 0, sizeof *y_out);
    if (!proof_out) return kzg_fail(KZG_ERR_NULL_ARG, "compute_kzg_proof: proof_out is NULL");
    if (!y_out) return kzg_fail(KZG_ERR_NULL_ARG, "compute_kzg_proof: y_out is NULL");
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "compute_kzg_proof: ctx is NULL");
    if (!blob) return kzg_fail(KZG_ERR_NULL_ARG, "compute_kzg_proof: blob is NULL");
    if (!z_bytes) return kzg_fail(KZG_ERR_NULL_ARG, "compute_kzg_proof: z is NULL");

    raw = setup_scratch_take(ctx, N_BLOB * sizeof *raw);
    if (!raw) return kzg_fail(KZG_ERR_MEMORY, "cannot allocate the blob's polynomial");
    if ((ret = decode_blob_raw(raw, blob, "blob", SIZE_MAX)) != KZG_OK) goto out;
    if ((ret = decode_fr(&z, z_bytes, "z")) != KZG_OK) goto out;
    if ((ret = compute_kzg_proof_impl(ctx, &proof, &y, raw, &z, ctx_threads(ctx), 0)) != KZG_OK) goto out;
    encode_g1(proof_out, &proof);
    fr_to_bytes_be(y_out->bytes, &y);
out:
    setup_scratch_give(ctx, raw);
    return ret;
}

kzg_status eip4844_compute_blob_kzg_proof(const kzg_ctx *ctx, kzg_proof *out, const kzg_blob *blob,
                                          const kzg_commitment *commitment) {
    kzg_clear_error();
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "compute_blob_kzg_proof: out is NULL");
    memset(out, 0, sizeof *out);
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "compute_blob_kzg_proof: ctx is NULL");
    if (!blob) return kzg_fail(KZG_ERR_NULL_ARG, "compute_blob_kzg_proof: blob is NULL");
    if (!commitment) return kzg_fail(KZG_ERR_NULL_ARG, "compute_blob_kzg_proof: commitment is NULL");
    kzg_status ret = prove_one(out, ctx, blob, commitment, SIZE_MAX, ctx_threads(ctx), 0);
    if (ret != KZG_OK) memset(out, 0, sizeof *out);
    return ret;
}

kzg_status kzg_blob_to_kzg_commitment_batch(const kzg_ctx *ctx, kzg_commitment *out,
                                            const kzg_blob *blobs, size_t n) {
    kzg_clear_error();
    if (n == 0) return KZG_OK;
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "blob_to_kzg_commitment_batch: out is NULL (n = %zu)", n);
    /* No array of n blobs can exist (checked before the outputs are zeroed: nor can n
     * outputs, and a memset of them would run past the caller's real array). */
    if (n > SIZE_MAX / sizeof(kzg_blob))
        return kzg_fail(KZG_ERR_LENGTH, "blob_to_kzg_commitment_batch: n = %zu is too large", n);
    memset(out, 0, n * sizeof *out);
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "blob_to_kzg_commitment_batch: ctx is NULL");
    if (!blobs) return kzg_fail(KZG_ERR_NULL_ARG, "blob_to_kzg_commitment_batch: blobs is NULL (n = %zu)", n);
    batch_job j = {.kind = JOB_COMMIT, .ctx = ctx, .blobs = blobs, .out = out};
    kzg_status ret = batch_run(&j, n);
    if (ret != KZG_OK) memset(out, 0, n * sizeof *out);
    return ret;
}

kzg_status kzg_compute_blob_kzg_proof_batch(const kzg_ctx *ctx, kzg_proof *out, const kzg_blob *blobs,
                                            const kzg_commitment *commitments, size_t n) {
    kzg_clear_error();
    if (n == 0) return KZG_OK;
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "compute_blob_kzg_proof_batch: out is NULL (n = %zu)", n);
    /* No array of n blobs can exist (checked before the outputs are zeroed: nor can n
     * outputs, and a memset of them would run past the caller's real array). */
    if (n > SIZE_MAX / sizeof(kzg_blob))
        return kzg_fail(KZG_ERR_LENGTH, "compute_blob_kzg_proof_batch: n = %zu is too large", n);
    memset(out, 0, n * sizeof *out);
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "compute_blob_kzg_proof_batch: ctx is NULL");
    if (!blobs) return kzg_fail(KZG_ERR_NULL_ARG, "compute_blob_kzg_proof_batch: blobs is NULL (n = %zu)", n);
    if (!commitments)
        return kzg_fail(KZG_ERR_NULL_ARG, "compute_blob_kzg_proof_batch: commitments is NULL (n = %zu)", n);
    batch_job j = {.kind = JOB_PROVE, .ctx = ctx, .blobs = blobs, .commitments = commitments, .out = out};
    kzg_status ret = batch_run(&j, n);
    if (ret != KZG_OK) memset(out, 0, n * sizeof *out);
    return ret;
}

kzg_status eip4844_verify_kzg_proof(const kzg_ctx *ctx, bool *ok, const kzg_commitment *commitment,
                                    const kzg_field_element *z_bytes, const kzg_field_element *y_bytes,
                                    const kzg_proof *proof) {
    kzg_status ret;
    g1_aff_t c, p;
    fr_t z, y;
    kzg_clear_error();
    if (!ok) return kzg_fail(KZG_ERR_NULL_ARG, "verify_kzg_proof: ok is NULL");
    *ok = false;
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "verify_kzg_proof: ctx is NULL");
    if (!commitment) return kzg_fail(KZG_ERR_NULL_ARG, "verify_kzg_proof: commitment is NULL");
    if (!z_bytes) return kzg_fail(KZG_ERR_NULL_ARG, "verify_kzg_proof: z is NULL");
    if (!y_bytes) return kzg_fail(KZG_ERR_NULL_ARG, "verify_kzg_proof: y is NULL");
    if (!proof) return kzg_fail(KZG_ERR_NULL_ARG, "verify_kzg_proof: proof is NULL");

    if ((ret = decode_g1(&c, commitment, "commitment", SIZE_MAX)) != KZG_OK) return ret;
    if ((ret = decode_fr(&z, z_bytes, "z")) != KZG_OK) return ret;
    if ((ret = decode_fr(&y, y_bytes, "y")) != KZG_OK) return ret;
    if ((ret = decode_g1(&p, proof, "proof", SIZE_MAX)) != KZG_OK) return ret;
    verify_kzg_proof_impl(ok, ctx, &c, &z, &y, &p);
    return KZG_OK;
}

kzg_status eip4844_verify_blob_kzg_proof(const kzg_ctx *ctx, bool *ok, const kzg_blob *blob,
                                         const kzg_commitment *commitment, const kzg_proof *proof) {
    kzg_clear_error();
    if (!ok) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof: ok is NULL");
    *ok = false;
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof: ctx is NULL");
    if (!blob) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof: blob is NULL");
    if (!commitment) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof: commitment is NULL");
    if (!proof) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof: proof is NULL");
    return verify_blob_impl(ok, ctx, blob, commitment, proof, SIZE_MAX);
}

/* The blob challenges' hashes of a batch, sixteen blobs per task (fs_blob_challenge_hashes
 * with the wide kernel: the IFMA backend's CPUs have AVX-512F). */
typedef struct challenge_job {
    const kzg_blob *blobs;
    const kzg_commitment *commitments;
    uint8_t (*ch)[32];
    kzg_status *st;
    size_t n;
} challenge_job;

static void challenge_task(void *arg, size_t begin, size_t end, unsigned thread) {
    const challenge_job *j = arg;
    (void)thread;
    for (size_t g = begin; g < end; g++) {
        size_t i0 = FS_CHALLENGES_MAX * g, c = j->n - i0 < FS_CHALLENGES_MAX ? j->n - i0 : FS_CHALLENGES_MAX;
        /* The statuses carry any failure to blob_prepare, which reports it in the spec's
         * order of checks. */
        (void)fs_blob_challenge_hashes(j->ch + i0, j->st + i0, j->blobs + i0, j->commitments + i0, c, true);
    }
}

kzg_status eip4844_verify_blob_kzg_proof_batch(const kzg_ctx *ctx, bool *ok, const kzg_blob *blobs,
                                               const kzg_commitment *commitments, const kzg_proof *proofs,
                                               size_t n) {
    kzg_status ret;
    g1_aff_t *cs = NULL, *ps = NULL;
    fr_t *zs = NULL, *ys = NULL;
    kzg_status *pre = NULL, *chst = NULL;
    uint8_t (*ch)[32] = NULL;
    kzg_clear_error();
    if (!ok) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof_batch: ok is NULL");
    *ok = false;
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof_batch: ctx is NULL");
    if (n == 0) {
        *ok = true; /* the spec: an empty batch verifies */
        return KZG_OK;
    }
    if (!blobs) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof_batch: blobs is NULL (n = %zu)", n);
    if (!commitments)
        return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof_batch: commitments is NULL (n = %zu)", n);
    if (!proofs) return kzg_fail(KZG_ERR_NULL_ARG, "verify_blob_kzg_proof_batch: proofs is NULL (n = %zu)", n);
    /* No array of n blobs can exist beyond this (and the state below, under 1 KiB a blob,
     * then fits in size_t): the caller's n is wrong, not the machine short of memory. */
    if (n > SIZE_MAX / sizeof(kzg_blob))
        return kzg_fail(KZG_ERR_LENGTH, "verify_blob_kzg_proof_batch: n = %zu is too large", n);
    /* One blob: the single check is the same equation without the batch transcript. */
    if (n == 1) return verify_blob_impl(ok, ctx, &blobs[0], &commitments[0], &proofs[0], 0);

    cs = kzg_calloc(n, sizeof *cs);
    ps = kzg_calloc(n, sizeof *ps);
    zs = kzg_calloc(n, sizeof *zs);
    ys = kzg_calloc(n, sizeof *ys);
    pre = kzg_calloc(2 * n, sizeof *pre); /* commitments' statuses, then proofs' */
    if (!cs || !ps || !zs || !ys || !pre) {
        ret = kzg_fail(KZG_ERR_MEMORY, "verify_blob_kzg_proof_batch: cannot allocate for %zu blobs", n);
        goto out;
    }
    /* All points first (subgroup checks eight at a time where the backend can), then the
     * blobs; each blob's steps still fail in the spec's order (blob_prepare). */
    decode_g1_many(ctx, cs, pre, commitments, n);
    decode_g1_many(ctx, ps, pre + n, proofs, n);
    /* With the IFMA backend (AVX-512), the challenges' SHA-256 sixteen blobs at a time
     * (a quarter of the batch's time with one blob at a time: docs/PERFORMANCE.md §16). */
    if (backend_active()->batch_ifma && n >= SHA256_MANY_WIDE_MIN) {
        ch = kzg_malloc(n * sizeof *ch);
        chst = kzg_malloc(n * sizeof *chst);
        if (!ch || !chst) {
            ret = kzg_fail(KZG_ERR_MEMORY, "verify_blob_kzg_proof_batch: cannot allocate for %zu blobs", n);
            goto out;
        }
        challenge_job cj = {blobs, commitments, ch, chst, n};
        pool_parallel_for(ctx->pool, (n + FS_CHALLENGES_MAX - 1) / FS_CHALLENGES_MAX, 1, challenge_task, &cj);
    }
    {
        batch_job j = {.kind = JOB_VERIFY, .ctx = ctx, .blobs = blobs, .commitments = commitments,
                       .proofs = proofs, .cs = cs, .ps = ps, .cst = pre, .pst = pre + n,
                       .zs = zs, .ys = ys, .ch = (const uint8_t(*)[32])ch, .chst = chst};
        if ((ret = batch_run(&j, n)) != KZG_OK) goto out;
    }
    ret = verify_kzg_proof_batch(ok, ctx, cs, zs, ys, ps, commitments, proofs, n);
out:
    if (ret != KZG_OK) *ok = false;
    kzg_free(cs);
    kzg_free(ps);
    kzg_free(zs);
    kzg_free(ys);
    kzg_free(pre);
    kzg_free(ch);
    kzg_free(chst);
    return ret;
}
