/*
 * eip7594/eip7594.c — the EIP-7594 cell functions of consensus-specs
 * fulu/polynomial-commitments-sampling.md, named as there with the kzg_ prefix.
 *
 * Owns: input validation at the boundary (cell indices; the element and point decoding is
 * eip4844/decode.h's, shared with EIP-4844), the cell Fiat–Shamir transcript, cells from a blob
 * (extension by FFT), the universal verification equation, recovery. FK20 proofs live in
 * fk20.c, the domain and the context's tables in precomp.c.
 * May call: setup, msm, poly, pairing, curve, field, common.
 *
 * Every public function: clears the error detail, zeroes its outputs, checks its pointers
 * (KZG_ERR_NULL_ARG), and on failure returns the status of the first failing check with a
 * detail naming the input, the index and the check, its outputs zeroed. Memory:
 * kzg_malloc/kzg_free, one `goto out` cleanup per function.
 *
 * Orders. The extended blob is p over the 8192 roots in bit-reversed order, cut into cells
 * of 64: cell i, element j is p(ω_8192^rev13(64i+j)) = p(h_i·ω_64^rev6(j)) with
 * h_i = ω_8192^rev7(i). So a cell, bit-reversed, is p(h_i·X) over ⟨ω_64⟩ in natural order.
 */
#include <stdio.h>
#include <stdlib.h>

#include "backend/backend.h"
#include "backend/x86_64/ifma_fr.h"
#include "common/sha256.h"
#include "eip4844/decode.h"
#include "eip7594/eip7594_internal.h"
#include "msm/msm.h"
#include "pairing/pairing.h"
#include "poly/poly.h"
#include "runtime/pool.h"

static const char RANDOM_CHALLENGE_KZG_CELL_BATCH_DOMAIN[16] = {
    'R', 'C', 'K', 'Z', 'G', 'C', 'B', 'A', 'T', 'C', 'H', '_', '_', 'V', '1', '_'};

/* ---- boundary: bytes to internal values ------------------------------------------------ */

/* cell_to_coset_evals. */
static kzg_status cell_to_evals(fr_t out[CELL_N], const kzg_cell *cell, const char *name, size_t idx) {
    return decode_fr_array(out, cell->bytes, CELL_N, name, idx);
}

/* blob_to_polynomial + polynomial_eval_to_coeff: coeffs[0..4096) from the blob's values
 * (bit-reversed order); on return tmp[0..4096) holds the values in natural order. Cost:
 * one IFFT of 4096 (~28k fr_mul). */
static kzg_status blob_to_coeffs(fr_t *coeffs, fr_t *tmp, const kzg_blob *blob) {
    kzg_status st = decode_fr_array(tmp, blob->bytes, BLOB_N, "blob", SIZE_MAX);
    if (st != KZG_OK) return st;
    poly_bit_reversal_permutation(tmp, sizeof *tmp, BLOB_N);
    const eip7594_domain *d = eip7594_domain_get();
    fr_ifft_x(coeffs, tmp, BLOB_N, d->roots, d->roots_x, EXT_N / BLOB_N);
    return KZG_OK;
}

/* The 128 cells of the polynomial p with coefficients coeffs[0..4096): p over the 8192
 * roots, bit-reversed. The even roots are the blob's domain, p(ω_8192^(2i)) = evals[i]
 * (natural order; NULL: computed, an FFT of 4096), and the odd ones its shift,
 * p(ω_8192^(2i+1)) = FFT_4096(coeffs_k·ω_8192^k)[i]: ~29k fr_mul with evals, ~53k without
 * (an FFT of 8192). ext, tmp: 8192 elements each. */
static void coeffs_to_cells(kzg_cell *cells, const fr_t *coeffs, const fr_t *evals, fr_t *ext, fr_t *tmp) {
    const eip7594_domain *d = eip7594_domain_get();
    const fr_t *roots = d->roots;
    fr_t *even = tmp, *odd = tmp + BLOB_N;
    if (evals) memcpy(even, evals, BLOB_N * sizeof *even);
    else fr_fft_x(even, coeffs, BLOB_N, roots, d->roots_x, EXT_N / BLOB_N);
    for (size_t k = 0; k < BLOB_N; k++) fr_mul(&ext[k], &coeffs[k], &roots[k]);
    fr_fft_x(odd, ext, BLOB_N, roots, d->roots_x, EXT_N / BLOB_N);
    for (size_t i = 0; i < BLOB_N; i++) ext[2 * i] = even[i], ext[2 * i + 1] = odd[i];
    poly_bit_reversal_permutation(ext, sizeof *ext, EXT_N);
    for (size_t i = 0; i < CELLS; i++)
        for (size_t j = 0; j < CELL_N; j++)
            fr_to_bytes_be(cells[i].bytes + j * KZG_BYTES_PER_FIELD_ELEMENT, &ext[i * CELL_N + j]);
}

static kzg_status proofs_to_bytes(kzg_proof *out, const g1_t *proofs) {
    g1_aff_t *aff = kzg_calloc(CELLS, sizeof *aff);
    fp_t *scratch = kzg_calloc(CELLS, sizeof *scratch);
    kzg_status ret = KZG_OK;
    if (!aff || !scratch) {
        ret = kzg_fail(KZG_ERR_MEMORY, "cannot allocate the proofs' affine forms");
        goto out;
    }
    g1_batch_to_aff(aff, proofs, CELLS, scratch);
    for (size_t i = 0; i < CELLS; i++) g1_compress(out[i].bytes, &aff[i]);
out:
    kzg_free(aff);
    kzg_free(scratch);
    return ret;
}

/* Cells (if wanted) and proofs (if wanted) of a polynomial in coefficient form
 * (compute_cells_and_kzg_proofs_polynomialcoeff); work: 2 × 8192 elements of scratch. */
static kzg_status cells_and_proofs_from_coeffs(const kzg_ctx *ctx, kzg_cell *cells_out,
                                               kzg_proof *proofs_out, const fr_t *coeffs,
                                               const fr_t *evals, fr_t *work) {
    kzg_status ret = KZG_OK;
    g1_t *proofs = NULL;
    if (cells_out) coeffs_to_cells(cells_out, coeffs, evals, work, work + EXT_N);
    if (proofs_out) {
        proofs = kzg_calloc(CELLS, sizeof *proofs);
        if (!proofs) {
            ret = kzg_fail(KZG_ERR_MEMORY, "cannot allocate the proofs");
            goto out;
        }
        if ((ret = eip7594_fk20_proofs(ctx, proofs, coeffs)) != KZG_OK) goto out;
        ret = proofs_to_bytes(proofs_out, proofs);
    }
out:
    kzg_free(proofs);
    return ret;
}

/* ---- Fiat–Shamir ----------------------------------------------------------------------- */

/* compute_verify_cell_kzg_proof_batch_challenge. The unique commitments are
 * commitments[sel[i]] (sel NULL: commitments[i]) for i < n_commitments; the cells' bytes
 * are hashed as given, which is bls_field_to_bytes of their (checked canonical) values. */
static kzg_status cell_challenge(fr_t *out, const kzg_commitment *commitments, const size_t *sel,
                                 size_t n_commitments, const uint64_t *commitment_indices,
                                 const uint64_t *cell_indices, const kzg_cell *cells,
                                 const kzg_proof *proofs, size_t n) {
    uint8_t head[32], h[32], idx[16];
    encode_u64_be(head, BLOB_N);
    encode_u64_be(head + 8, CELL_N);
    encode_u64_be(head + 16, (uint64_t)n_commitments);
    encode_u64_be(head + 24, (uint64_t)n);
    sha256_stream s;
    sha256_begin(&s);
    sha256_add(&s, RANDOM_CHALLENGE_KZG_CELL_BATCH_DOMAIN, 16);
    sha256_add(&s, head, 32);
    for (size_t i = 0; i < n_commitments; i++)
        sha256_add(&s, commitments[sel ? sel[i] : i].bytes, KZG_BYTES_PER_COMMITMENT);
    for (size_t k = 0; k < n; k++) {
        encode_u64_be(idx, commitment_indices[k]);
        encode_u64_be(idx + 8, cell_indices[k]);
        sha256_add(&s, idx, 16);
        sha256_add(&s, cells[k].bytes, KZG_BYTES_PER_CELL);
        sha256_add(&s, proofs[k].bytes, KZG_BYTES_PER_PROOF);
    }
    kzg_status st = sha256_end(&s, h, "cell batch challenge");
    if (st != KZG_OK) return st;
    fr_from_bytes_be_reduce(out, h);
    return KZG_OK;
}

/* ---- cell computation ------------------------------------------------------------------ */

/* Scratch, in elements: the polynomial and the blob's values (2 × 4096), then the
 * extension's work (2 × 8192): 768 KiB, within the call scratch (setup_scratch_take). */
#define COMPUTE_SCRATCH_N (2 * BLOB_N + 2 * EXT_N)

static kzg_status compute_impl(const kzg_ctx *ctx, kzg_cell *cells_out, kzg_proof *proofs_out,
                               const kzg_blob *blob) {
    kzg_status ret;
    fr_t *coeffs = setup_scratch_take(ctx, COMPUTE_SCRATCH_N * sizeof *coeffs);
    if (!coeffs) return kzg_fail(KZG_ERR_MEMORY, "cannot allocate the blob's polynomial");
    if ((ret = blob_to_coeffs(coeffs, coeffs + BLOB_N, blob)) != KZG_OK) goto out;
    /* blob_to_coeffs left the blob's values in natural order in coeffs + 4096. */
    ret = cells_and_proofs_from_coeffs(ctx, cells_out, proofs_out, coeffs, coeffs + BLOB_N,
                                       coeffs + 2 * BLOB_N);
out:
    setup_scratch_give(ctx, coeffs);
    return ret;
}

static kzg_status do_compute_cells(const kzg_ctx *ctx, kzg_cell *cells_out, const kzg_blob *blob) {
    kzg_status ret;
    kzg_clear_error();
    if (!cells_out) return kzg_fail(KZG_ERR_NULL_ARG, "compute_cells: cells_out is NULL");
    memset(cells_out, 0, CELLS * sizeof *cells_out);
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "compute_cells: ctx is NULL");
    if (!blob) return kzg_fail(KZG_ERR_NULL_ARG, "compute_cells: blob is NULL");
    ret = compute_impl(ctx, cells_out, NULL, blob);
    if (ret != KZG_OK) memset(cells_out, 0, CELLS * sizeof *cells_out);
    return ret;
}

static kzg_status do_compute_cells_and_kzg_proofs(const kzg_ctx *ctx, kzg_cell *cells_out,
                                            kzg_proof *proofs_out, const kzg_blob *blob) {
    kzg_status ret;
    kzg_clear_error();
    if (cells_out) memset(cells_out, 0, CELLS * sizeof *cells_out);
    if (proofs_out) memset(proofs_out, 0, CELLS * sizeof *proofs_out);
    if (!cells_out && !proofs_out)
        return kzg_fail(KZG_ERR_NULL_ARG, "compute_cells_and_kzg_proofs: cells_out and proofs_out are both NULL");
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "compute_cells_and_kzg_proofs: ctx is NULL");
    if (!blob) return kzg_fail(KZG_ERR_NULL_ARG, "compute_cells_and_kzg_proofs: blob is NULL");
    ret = compute_impl(ctx, cells_out, proofs_out, blob);
    if (ret != KZG_OK) {
        if (cells_out) memset(cells_out, 0, CELLS * sizeof *cells_out);
        if (proofs_out) memset(proofs_out, 0, CELLS * sizeof *proofs_out);
    }
    return ret;
}

/* ---- verification ---------------------------------------------------------------------- */

typedef struct commit_ref {
    const uint8_t *bytes;
    size_t idx;
} commit_ref;

static int commit_ref_cmp(const void *pa, const void *pb) {
    const commit_ref *a = pa, *b = pb;
    int c = memcmp(a->bytes, b->bytes, KZG_BYTES_PER_COMMITMENT);
    if (c) return c;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* The interpolation part of a cell batch: Σ_k r^k·I_k(X) in coefficients, index by index
 * (interp_task over the used indices, each thread summing into its own row of `part`). */
typedef struct interp_job {
    const eip7594_domain *d;
    const size_t *used;      /* the D used indices, ascending */
    const size_t *first;     /* cells of index c: order[first[c] .. first[c + 1]) */
    const size_t *order;
    const fr_t *evals, *rp;
    fr_t *part;              /* pool threads × CELL_N */
    size_t nused;
    bool lanes;              /* eight indices a task (interp_group_v8) */
} interp_job;

/* Index c's sum a = Σ_{k: idx_k = c} r^k·cell_k into a (64 fr_mul a cell), and the factor
 * its coefficients take besides h_c^-j: r^k for a lone cell (whose r^k joins the scaling,
 * the cell itself copied into a), else 1. */
static void interp_sum(const interp_job *j, size_t c, fr_t a[CELL_N], fr_t *w) {
    size_t k0 = j->order[j->first[c]], cnt = j->first[c + 1] - j->first[c];
    if (cnt == 1) {
        memcpy(a, &j->evals[k0 * CELL_N], CELL_N * sizeof *a);
        *w = j->rp[k0];
        return;
    }
    memset(a, 0, CELL_N * sizeof *a);
    for (size_t e = j->first[c]; e < j->first[c + 1]; e++) {
        size_t k = j->order[e];
        for (size_t i = 0; i < CELL_N; i++) {
            fr_t t;
            fr_mul(&t, &j->rp[k], &j->evals[k * CELL_N + i]);
            fr_add(&a[i], &a[i], &t);
        }
    }
    *w = FR_ONE;
}

/* Index c's I_c = Σ_{k: idx_k = c} r^k·I_k: I(h_c·X) = IFFT_64(brp(a)) — a forward FFT
 * read at -j (129 fr_mul) —, then coefficient j times w·h_c^-j (128 fr_mul; the 1/64 is
 * applied once to the sum). A lone cell: 257 fr_mul, against 384 before 2026-12-05. */
static void interp_one(const interp_job *j, fr_t *coef, size_t c) {
    fr_t a[CELL_N], tmp[CELL_N], w, t;
    interp_sum(j, c, a, &w);
    poly_bit_reversal_permutation(a, sizeof *a, CELL_N);
    fr_fft(tmp, a, CELL_N, j->d->roots, EXT_N / CELL_N);
    for (size_t i = 0; i < CELL_N; i++) {
        fr_mul(&t, &tmp[(CELL_N - i) % CELL_N], &w);
        fr_add(&coef[i], &coef[i], &t);
        fr_mul(&w, &w, &j->d->shift_inv[c]);
    }
}

#ifdef KZG_HAVE_IFMA_KERNELS
/* interp_one for up to eight indices at once (AVX-512 IFMA), lane l the index cs[l]: the
 * same FFT (fr_fft bit-reverses its input, brp undoes it: the butterflies start from a in
 * natural order) and the same scaling, over v8fr (backend/x86_64/ifma_fr.h: every
 * multiplier carries 2^4 — the twiddles, w and h_c^-1 —, so each product is fr_mul's,
 * bit for bit). Unused lanes have a = 0 and w = 0. Per eight indices 129 + 128 v8fr
 * products and 64 transposed loads and stores, against 8 × 257 fr_mul. */
static V8_TARGET void interp_group_v8(const interp_job *j, fr_t *coef, const size_t *cs, size_t m) {
    fr_t a[8][CELL_N], w[8], hs[8], tw[CELL_N / 2], out[8];
    v8fr x[CELL_N], tv[CELL_N / 2], u, v, wv, hv;
    for (size_t l = 0; l < 8; l++) {
        if (l < m) {
            interp_sum(j, cs[l], a[l], &w[l]);
            fr_mul(&w[l], &w[l], &FR_V8_SCALE);
            fr_mul(&hs[l], &j->d->shift_inv[cs[l]], &FR_V8_SCALE);
        } else {
            memset(a[l], 0, sizeof a[l]);
            w[l] = FR_ZERO;
            hs[l] = FR_ZERO;
        }
    }
    for (size_t k = 0; k < CELL_N / 2; k++) {
        fr_mul(&tw[k], &j->d->roots[k * (EXT_N / CELL_N)], &FR_V8_SCALE); /* ω_64^k·2^4 */
        v8fr_set1(&tv[k], &tw[k]);
    }
    for (size_t i = 0; i < CELL_N; i++) {
        const fr_t *p[8];
        for (size_t l = 0; l < 8; l++) p[l] = &a[l][i];
        v8fr_load(&x[i], p);
    }
    for (size_t len = 2; len <= CELL_N; len <<= 1) {
        size_t half = len >> 1, step = CELL_N / len;
        for (size_t s0 = 0; s0 < CELL_N; s0 += len) {
            u = x[s0];
            v8fr_add(&x[s0], &u, &x[s0 + half]);
            v8fr_sub(&x[s0 + half], &u, &x[s0 + half]);
            for (size_t q = 1; q < half; q++) {
                v8fr_mul(&v, &x[s0 + q + half], &tv[q * step]);
                u = x[s0 + q];
                v8fr_add(&x[s0 + q], &u, &v);
                v8fr_sub(&x[s0 + q + half], &u, &v);
            }
        }
    }
    {
        const fr_t *pw[8], *ph[8];
        for (size_t l = 0; l < 8; l++) {
            pw[l] = &w[l];
            ph[l] = &hs[l];
        }
        v8fr_load(&wv, pw);
        v8fr_load(&hv, ph);
    }
    for (size_t i = 0; i < CELL_N; i++) {
        v8fr_mul(&u, &x[(CELL_N - i) % CELL_N], &wv);
        v8fr_store(out, &u);
        for (size_t l = 0; l < m; l++) fr_add(&coef[i], &coef[i], &out[l]);
        v8fr_mul(&wv, &wv, &hv);
    }
}
#endif

/* Tasks over the used indices: one each, or eight each with IFMA. */
static void interp_task(void *arg, size_t begin, size_t end, unsigned thread) {
    const interp_job *j = arg;
    fr_t *coef = &j->part[(size_t)thread * CELL_N];
    for (size_t q = begin; q < end; q++) {
#ifdef KZG_HAVE_IFMA_KERNELS
        if (j->lanes) {
            size_t m = j->nused - 8 * q < 8 ? j->nused - 8 * q : 8;
            interp_group_v8(j, coef, &j->used[8 * q], m);
            continue;
        }
#endif
        interp_one(j, coef, j->used[q]);
    }
}

/* verify_cell_kzg_proof_batch_impl after decoding (n ≥ 1):
 *   e(LL, [τ^64]G2) = e(RL, G2), LL = Σ_k r^k·π_k,
 *   RL = Σ_i w_i·C_i - [Σ_k r^k·I_k(τ)] + Σ_k r^k·h_k^64·π_k,
 * with I_k the interpolation polynomial of cell k over its coset. Cells with the same index
 * share one interpolation: Σ_k r^k·I_k = Σ_c I[Σ_{k: idx_k = c} r^k·cell_k] (linearity), so
 * at most 128 IFFTs of size 64 (~33k fr_mul, spread over the pool; eight at a time with
 * IFMA) whatever n is. The cells' evaluations are plain integers (decode_fr_array_raw): every
 * product of the interpolation has one Montgomery factor (r^k, twiddles, h_c^-j, 1/64), so
 * the 64 coefficients come out plain and only they are converted — 64 conversions instead
 * of 64 per cell. Group work: an MSM of n points and one of u + n + 64 points (u distinct
 * commitments), both at once over the pool, and a two-pairing product. */
static kzg_status verify_impl(bool *ok, const kzg_ctx *ctx, const g1_aff_t *caff, size_t u,
                              const size_t *cid, const uint64_t *cell_indices, const fr_t *evals,
                              const g1_aff_t *paff, const fr_t *r, size_t n) {
    kzg_status ret = KZG_OK;
    const eip7594_domain *d = eip7594_domain_get();
    size_t first[CELLS + 1] = {0}, used[CELLS], nused = 0;
    const size_t m = u + n + CELL_N;
    const unsigned slots = pool_threads(ctx->pool);
    fr_t *rp = kzg_calloc(n, sizeof *rp);
    size_t *order = kzg_calloc(n, sizeof *order);
    fr_t *part = kzg_calloc((size_t)slots * CELL_N, sizeof *part);
    fr_t *sc = kzg_calloc(m, sizeof *sc);
    g1_aff_t *pts = kzg_calloc(m, sizeof *pts);
    fr_t coef[CELL_N];
    g1_t sums[2]; /* LL, RL */
    *ok = false;
    if (!rp || !order || !part || !sc || !pts) {
        ret = kzg_fail(KZG_ERR_MEMORY, "verify_cell_kzg_proof_batch: cannot allocate scratch for %zu cells", n);
        goto out;
    }
    /* r^k; the commitments' weights w_i = Σ_{k: cid_k = i} r^k; the proofs' r^k·h_k^64; the
     * cells grouped by index (a counting sort: order, first). */
    for (size_t k = 0; k < n; k++) {
        size_t c = cell_indices[k];
        if (k == 0) rp[0] = FR_ONE;
        else fr_mul(&rp[k], &rp[k - 1], r);
        fr_add(&sc[cid[k]], &sc[cid[k]], &rp[k]);
        fr_mul(&sc[u + k], &rp[k], &d->shift_pow[c]);
        pts[u + k] = paff[k];
        first[c + 1]++;
    }
    for (size_t c = 0; c < CELLS; c++) {
        if (first[c + 1]) used[nused++] = c;
        first[c + 1] += first[c];
    }
    {
        size_t next[CELLS];
        memcpy(next, first, sizeof next);
        for (size_t k = 0; k < n; k++) order[next[cell_indices[k]]++] = k;
    }
    {
        interp_job ij = {d, used, first, order, evals, rp, part, nused, false};
#ifdef KZG_HAVE_IFMA_KERNELS
        ij.lanes = backend_active()->batch_ifma;
#endif
        pool_parallel_for(ctx->pool, ij.lanes ? (nused + 7) / 8 : nused, 1, interp_task, &ij);
    }
    {
        fr_t inv64;
        poly_inv_domain_size(&inv64, CELL_N);
        for (size_t j = 0; j < CELL_N; j++) {
            coef[j] = part[j];
            for (unsigned t = 1; t < slots; t++) fr_add(&coef[j], &coef[j], &part[(size_t)t * CELL_N + j]);
            fr_mul(&coef[j], &coef[j], &inv64);
            fr_from_raw(&coef[j], coef[j].l); /* plain → Montgomery, for the MSM's fr scalars */
        }
    }
    for (size_t i = 0; i < u; i++) pts[i] = caff[i];
    for (size_t j = 0; j < CELL_N; j++) {
        pts[u + n + j] = ctx->setup.g1_monomial[j];
        fr_neg(&sc[u + n + j], &coef[j]);
    }
    /* Two MSMs: LL = Σ_k r^k·π_k (n points) and RL over the commitments, the proofs again
     * (weights r^k·h_k^64) and the 64 monomial points (u + n + 64 points). Grouping the
     * proofs by cell index first (one small MSM per index, then 128 points in RL) was slower
     * at every batch measured, 4 to 64 cells per index: 4 × 128 cells 49 → 23–31 ms, 64 ×
     * 128 455 → 417 ms (bench_eip7594 --blobs B, IFMA, 2026-12-03): Pippenger over 4–64
     * points pays ~255 doublings each. */
    {
        msm_request rq[2] = {{.k = 1, .m = n, .points = paff, .fr_scalars = rp, .windows = &ctx->msm_windows},
                             {.k = 1, .m = m, .points = pts, .fr_scalars = sc, .windows = &ctx->msm_windows}};
        if ((ret = msm_run_many(sums, rq, 2, pool_threads(ctx->pool), setup_run_on_pool, ctx->pool)) != KZG_OK)
            goto out;
    }
    {
        g1_aff_t p[2];
        g1_to_aff(&p[0], &sums[0]);
        g1_neg(&sums[1], &sums[1]); /* pairs with G2: e(-X, G2) = e(X, -G2) */
        g1_to_aff(&p[1], &sums[1]);
        *ok = setup_pairing2_is_one(ctx, p, CELL_N, 0);
    }
out:
    kzg_free(rp);
    kzg_free(order);
    kzg_free(part);
    kzg_free(sc);
    kzg_free(pts);
    return ret;
}

static kzg_status do_verify_cell_kzg_proof_batch(const kzg_ctx *ctx, bool *ok, const kzg_commitment *commitments,
                                           const uint64_t *cell_indices, const kzg_cell *cells,
                                           const kzg_proof *proofs, size_t n) {
    kzg_status ret = KZG_OK;
    commit_ref *refs = NULL;
    size_t *cid = NULL, *rep = NULL, *uniq = NULL, u = 0;
    g1_aff_t *caff = NULL, *paff = NULL;
    uint64_t *cidx = NULL;
    fr_t *evals = NULL, r;
    kzg_status *pst = NULL;
    kzg_clear_error();
    if (!ok) return kzg_fail(KZG_ERR_NULL_ARG, "verify_cell_kzg_proof_batch: ok is NULL");
    *ok = false;
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "verify_cell_kzg_proof_batch: ctx is NULL");
    if (n == 0) {
        *ok = true; /* the spec: an empty batch verifies */
        return KZG_OK;
    }
    if (!commitments)
        return kzg_fail(KZG_ERR_NULL_ARG, "verify_cell_kzg_proof_batch: commitments is NULL (n = %zu)", n);
    if (!cell_indices)
        return kzg_fail(KZG_ERR_NULL_ARG, "verify_cell_kzg_proof_batch: cell_indices is NULL (n = %zu)", n);
    if (!cells) return kzg_fail(KZG_ERR_NULL_ARG, "verify_cell_kzg_proof_batch: cells is NULL (n = %zu)", n);
    if (!proofs) return kzg_fail(KZG_ERR_NULL_ARG, "verify_cell_kzg_proof_batch: proofs is NULL (n = %zu)", n);
    if (n > SIZE_MAX / (CELL_N * sizeof(fr_t)) - CELLS)
        return kzg_fail(KZG_ERR_LENGTH, "verify_cell_kzg_proof_batch: n = %zu is too large", n);
    for (size_t k = 0; k < n; k++)
        if (cell_indices[k] >= CELLS)
            return kzg_fail(KZG_ERR_BAD_ARG, "cell_indices[%zu] = %llu is out of range (>= %d)", k,
                            (unsigned long long)cell_indices[k], CELLS);

    refs = kzg_calloc(n, sizeof *refs);
    cid = kzg_calloc(n, sizeof *cid);
    rep = kzg_calloc(n, sizeof *rep);
    uniq = kzg_calloc(n, sizeof *uniq);
    caff = kzg_calloc(n, sizeof *caff);
    paff = kzg_calloc(n, sizeof *paff);
    cidx = kzg_calloc(n, sizeof *cidx);
    /* The cells' values (n·2 KiB, 256 KiB for a blob's 128): every one is written below
     * before it is read, so the process's call scratch serves (setup_scratch_take; a fresh
     * 256 KiB allocation was mapped anew by each call: 64 of its ~77 page faults). */
    evals = setup_scratch_take(ctx, n * CELL_N * sizeof *evals);
    pst = kzg_calloc(n, sizeof *pst);
    if (!refs || !cid || !rep || !uniq || !caff || !paff || !cidx || !evals || !pst) {
        ret = kzg_fail(KZG_ERR_MEMORY, "verify_cell_kzg_proof_batch: cannot allocate for %zu cells", n);
        goto out;
    }
    /* Deduplicate the commitments by their bytes (sorting: O(n log n)); the distinct ones
     * keep their order of first appearance. rep[k]: the first index with k's bytes. */
    for (size_t k = 0; k < n; k++) refs[k] = (commit_ref){commitments[k].bytes, k};
    qsort(refs, n, sizeof *refs, commit_ref_cmp);
    for (size_t s = 0; s < n; s++)
        rep[refs[s].idx] = (s > 0 && memcmp(refs[s].bytes, refs[s - 1].bytes, KZG_BYTES_PER_COMMITMENT) == 0)
                               ? rep[refs[s - 1].idx]
                               : refs[s].idx;
    for (size_t k = 0; k < n; k++) {
        if (rep[k] == k) {
            if ((ret = decode_g1(&caff[u], &commitments[k], "commitments", k)) != KZG_OK) goto out;
            uniq[u] = k;
            cid[k] = u++;
        } else {
            cid[k] = cid[rep[k]];
        }
        cidx[k] = cid[k];
    }
    for (size_t k = 0; k < n; k++)
        if ((ret = decode_fr_array_raw((msm_scalar *)&evals[k * CELL_N], cells[k].bytes, CELL_N, "cells", k)) !=
            KZG_OK)
            goto out;
    {
        /* proof decoding (most of a verification's cost) over the pool */
        decode_g1_many(ctx, paff, pst, proofs, n);
        for (size_t k = 0; k < n; k++) /* the first failure, reported from this thread */
            if (pst[k] != KZG_OK && (ret = decode_g1(&paff[k], &proofs[k], "proofs", k)) != KZG_OK) goto out;
    }

    if ((ret = cell_challenge(&r, commitments, uniq, u, cidx, cell_indices, cells, proofs, n)) != KZG_OK)
        goto out;
    ret = verify_impl(ok, ctx, caff, u, cid, cell_indices, evals, paff, &r, n);
out:
    if (ret != KZG_OK) *ok = false;
    kzg_free(refs);
    kzg_free(cid);
    kzg_free(rep);
    kzg_free(uniq);
    kzg_free(caff);
    kzg_free(paff);
    kzg_free(cidx);
    setup_scratch_give(ctx, evals);
    kzg_free(pst);
    return ret;
}

/* ---- recovery -------------------------------------------------------------------------- */

/* recover_polynomialcoeff: coeffs[0..4096) from n ≥ 64 distinct cells. With Z(X) = S(X^64),
 * S vanishing on the missing cells' ω_128^rev7(i), Z is 128-periodic over the 8192 roots
 * and over their coset 7·⟨ω_8192⟩, so both its transforms are FFTs of size 128 and the
 * division needs 128 inversions. Cost: IFFT + coset FFT + coset IFFT of size 8192
 * (~160k fr_mul) and ~30k fr_mul besides. work: 2·8192 elements. */
static void recover_coeffs(fr_t *coeffs, fr_t *work, const bool present[CELLS], const fr_t *ext_rbo) {
    const eip7594_domain *d = eip7594_domain_get();
    fr_t *a = work, *b = work + EXT_N;
    fr_t s[CELLS], zs[CELLS], zc[CELLS], t, shift, shift64, pw;
    size_t deg = 0;
    const size_t stride128 = EXT_N / CELLS;

    /* S(X) = Π_{missing i} (X - ω_128^rev7(i)), at most 64 factors (O(64²) fr_mul). */
    for (size_t i = 0; i < CELLS; i++) s[i] = FR_ZERO;
    s[0] = FR_ONE;
    for (size_t i = 0; i < CELLS; i++) {
        if (present[i]) continue;
        const fr_t *x = &d->shift_pow[i];
        s[deg + 1] = s[deg];
        for (size_t j = deg; j > 0; j--) {
            fr_mul(&t, &s[j], x);
            fr_sub(&s[j], &s[j - 1], &t);
        }
        fr_mul(&t, &s[0], x);
        fr_neg(&s[0], &t);
        deg++;
    }
    /* Z over the roots: zs[j mod 128] = S(ω_128^j). Over the coset: Z(7·ω^j) =
     * S(7^64·ω_128^j) = FFT_128(S_i·7^(64i))[j mod 128]. */
    fr_fft(zs, s, CELLS, d->roots, stride128);
    fr_from_u64(&shift, 7);
    shift64 = shift;
    for (int i = 0; i < 6; i++) fr_sqr(&shift64, &shift64);
    pw = FR_ONE;
    for (size_t i = 0; i <= deg; i++) {
        fr_mul(&s[i], &s[i], &pw);
        fr_mul(&pw, &pw, &shift64);
    }
    fr_fft(zc, s, CELLS, d->roots, stride128);
    fr_batch_inv_var(s, zc, CELLS); /* s = 1/Z over the coset (never 0: 7^64 is no root of unity) */

    /* (E·Z) over the roots, natural order. */
    memcpy(b, ext_rbo, EXT_N * sizeof *b);
    poly_bit_reversal_permutation(b, sizeof *b, EXT_N);
    for (size_t j = 0; j < EXT_N; j++) fr_mul(&b[j], &b[j], &zs[j % CELLS]);
    fr_ifft_x(a, b, EXT_N, d->roots, d->roots_x, 1); /* (P·Z) in coefficients */
    /* coset_fft_field: shift by 7^i, FFT. */
    pw = FR_ONE;
    for (size_t i = 0; i < EXT_N; i++) {
        fr_mul(&a[i], &a[i], &pw);
        fr_mul(&pw, &pw, &shift);
    }
    fr_fft_x(b, a, EXT_N, d->roots, d->roots_x, 1);
    for (size_t j = 0; j < EXT_N; j++) fr_mul(&b[j], &b[j], &s[j % CELLS]); /* P over the coset */
    fr_ifft_x(a, b, EXT_N, d->roots, d->roots_x, 1);
    /* Unshift by 7^-i; only the first 4096 coefficients are the polynomial. */
    fr_inv_var(&shift, &shift);
    pw = FR_ONE;
    for (size_t i = 0; i < BLOB_N; i++) {
        fr_mul(&coeffs[i], &a[i], &pw);
        fr_mul(&pw, &pw, &shift);
    }
}

static kzg_status recover_impl(const kzg_ctx *ctx, kzg_cell *cells_out, kzg_proof *proofs_out,
                               const uint64_t *cell_indices, const kzg_cell *cells, size_t n,
                               const char *fn) {
    kzg_status ret = KZG_OK;
    bool present[CELLS] = {false};
    fr_t *ext = NULL, *work = NULL, *coeffs = NULL;
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "%s: ctx is NULL", fn);
    if (n < CELLS / 2 || n > CELLS)
        return kzg_fail(KZG_ERR_LENGTH, "%s: %zu cells given, need between %d and %d", fn, n,
                        CELLS / 2, CELLS);
    if (!cell_indices) return kzg_fail(KZG_ERR_NULL_ARG, "%s: cell_indices is NULL", fn);
    if (!cells) return kzg_fail(KZG_ERR_NULL_ARG, "%s: cells is NULL", fn);
    for (size_t k = 0; k < n; k++) {
        if (cell_indices[k] >= CELLS)
            return kzg_fail(KZG_ERR_BAD_ARG, "cell_indices[%zu] = %llu is out of range (>= %d)", k,
                            (unsigned long long)cell_indices[k], CELLS);
        if (present[cell_indices[k]])
            return kzg_fail(KZG_ERR_BAD_ARG, "cell_indices[%zu] = %llu is a duplicate", k,
                            (unsigned long long)cell_indices[k]);
        present[cell_indices[k]] = true;
        /* The reference tests (recover_..._invalid_shuffled_*) reject indices out of order. */
        if (k > 0 && cell_indices[k] < cell_indices[k - 1])
            return kzg_fail(KZG_ERR_BAD_ARG,
                            "cell_indices[%zu] = %llu follows %llu: indices must be ascending", k,
                            (unsigned long long)cell_indices[k], (unsigned long long)cell_indices[k - 1]);
    }
    /* Scratch: the extension (8192 elements, zero where a cell is missing), the work of
     * recovery and then of the cells (2 × 8192), the polynomial (4096): 896 KiB, within the
     * call scratch (setup_scratch_take). */
    ext = setup_scratch_take(ctx, (3 * EXT_N + BLOB_N) * sizeof *ext);
    if (!ext) return kzg_fail(KZG_ERR_MEMORY, "%s: cannot allocate scratch", fn);
    work = ext + EXT_N;
    coeffs = work + 2 * EXT_N;
    memset(ext, 0, EXT_N * sizeof *ext);
    for (size_t k = 0; k < n; k++)
        if ((ret = cell_to_evals(&ext[cell_indices[k] * CELL_N], &cells[k], "cells", k)) != KZG_OK) goto out;
    recover_coeffs(coeffs, work, present, ext);
    ret = cells_and_proofs_from_coeffs(ctx, cells_out, proofs_out, coeffs, NULL, work);
out:
    setup_scratch_give(ctx, ext);
    return ret;
}

static kzg_status do_recover_cells_and_kzg_proofs(const kzg_ctx *ctx, kzg_cell *cells_out, kzg_proof *proofs_out,
                                            const uint64_t *cell_indices, const kzg_cell *cells, size_t n) {
    kzg_status ret;
    kzg_clear_error();
    if (cells_out) memset(cells_out, 0, CELLS * sizeof *cells_out);
    if (proofs_out) memset(proofs_out, 0, CELLS * sizeof *proofs_out);
    if (!cells_out && !proofs_out)
        return kzg_fail(KZG_ERR_NULL_ARG, "recover_cells_and_kzg_proofs: cells_out and proofs_out are both NULL");
    ret = recover_impl(ctx, cells_out, proofs_out, cell_indices, cells, n, "recover_cells_and_kzg_proofs");
    if (ret != KZG_OK) {
        if (cells_out) memset(cells_out, 0, CELLS * sizeof *cells_out);
        if (proofs_out) memset(proofs_out, 0, CELLS * sizeof *proofs_out);
    }
    return ret;
}

kzg_status kzg_recover_cells(const kzg_ctx *ctx, kzg_cell *cells_out, const uint64_t *cell_indices,
                             const kzg_cell *cells, size_t n) {
    kzg_status ret;
    kzg_clear_error();
    if (!cells_out) return kzg_fail(KZG_ERR_NULL_ARG, "recover_cells: cells_out is NULL");
    memset(cells_out, 0, CELLS * sizeof *cells_out);
    ret = recover_impl(ctx, cells_out, NULL, cell_indices, cells, n, "recover_cells");
    if (ret != KZG_OK) memset(cells_out, 0, CELLS * sizeof *cells_out);
    return ret;
}

/* ---- internal hooks -------------------------------------------------------------------- */

kzg_status eip7594_compute_challenge(uint8_t out[32], const kzg_commitment *commitments,
                                     size_t n_commitments, const uint64_t *commitment_indices,
                                     const uint64_t *cell_indices, const kzg_cell *cosets_evals,
                                     const kzg_proof *proofs, size_t n) {
    kzg_status ret;
    fr_t r, tmp[CELL_N];
    kzg_clear_error();
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "compute_verify_cell_kzg_proof_batch_challenge: out is NULL");
    memset(out, 0, 32);
    if ((n_commitments && !commitments) ||
        (n && (!commitment_indices || !cell_indices || !cosets_evals || !proofs)))
        return kzg_fail(KZG_ERR_NULL_ARG, "compute_verify_cell_kzg_proof_batch_challenge: an array is NULL");
    for (size_t k = 0; k < n; k++)
        if ((ret = cell_to_evals(tmp, &cosets_evals[k], "cosets_evals", k)) != KZG_OK) return ret;
    if ((ret = cell_challenge(&r, commitments, NULL, n_commitments, commitment_indices, cell_indices,
                              cosets_evals, proofs, n)) != KZG_OK)
        return ret;
    fr_to_bytes_be(out, &r);
    return KZG_OK;
}

/* ---- public entry points: the operations above, recorded into the context's metrics --- */

kzg_status kzg_compute_cells(const kzg_ctx *ctx, kzg_cell *cells_out, const kzg_blob *blob) {
    uint64_t t0 = metrics_start(ctx_metrics(ctx));
    kzg_status st = do_compute_cells(ctx, cells_out, blob);
    metrics_record(ctx_metrics(ctx), KZG_OP_COMPUTE_CELLS, st, t0, 1);
    return st;
}

kzg_status kzg_compute_cells_and_kzg_proofs(const kzg_ctx *ctx, kzg_cell *cells_out,
                                            kzg_proof *proofs_out, const kzg_blob *blob) {
    uint64_t t0 = metrics_start(ctx_metrics(ctx));
    kzg_status st = do_compute_cells_and_kzg_proofs(ctx, cells_out, proofs_out, blob);
    metrics_record(ctx_metrics(ctx), KZG_OP_COMPUTE_CELLS_AND_KZG_PROOFS, st, t0, 1);
    return st;
}

kzg_status kzg_verify_cell_kzg_proof_batch(const kzg_ctx *ctx, bool *ok, const kzg_commitment *commitments,
                                           const uint64_t *cell_indices, const kzg_cell *cells,
                                           const kzg_proof *proofs, size_t n) {
    uint64_t t0 = metrics_start(ctx_metrics(ctx));
    kzg_status st = do_verify_cell_kzg_proof_batch(ctx, ok, commitments, cell_indices, cells, proofs, n);
    metrics_record(ctx_metrics(ctx), KZG_OP_VERIFY_CELL_KZG_PROOF_BATCH, st, t0, n);
    return st;
}

kzg_status kzg_recover_cells_and_kzg_proofs(const kzg_ctx *ctx, kzg_cell *cells_out, kzg_proof *proofs_out,
                                            const uint64_t *cell_indices, const kzg_cell *cells, size_t n) {
    uint64_t t0 = metrics_start(ctx_metrics(ctx));
    kzg_status st = do_recover_cells_and_kzg_proofs(ctx, cells_out, proofs_out, cell_indices, cells, n);
    metrics_record(ctx_metrics(ctx), KZG_OP_RECOVER_CELLS_AND_KZG_PROOFS, st, t0, n);
    return st;
}
