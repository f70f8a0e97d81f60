/*
 * eip7594/fk20.c — all 128 cell proofs at once (Feist–Khovratovich, "Fast amortized KZG
 * proofs", 2020, §3: multi-reveal proofs as a Toeplitz matrix–vector product).
 *
 * The proof of cell i commits to q_i = f div (X^64 - c_i) with c_i = h_i^64 (the vanishing
 * polynomial of the coset h_i·⟨ω_64⟩). Writing f_j = a^t_k for j = 64k + t,
 *   X^(64k) div (X^64 - c) = Σ_{m<k} c^(k-1-m) X^(64m), so
 *   [q_i(τ)] = Σ_s c_i^s·H_s,  H_s = Σ_t Σ_m a^t_(m+s+1)·[τ^(64m+t)]   (s = 0..62, H_63 = 0).
 * The proofs are the "G1 polynomial" H evaluated at c_i = ω_128^rev7(i): one G1 FFT of size
 * 128, read in bit-reversed order. For each t, H^t_s = (a^t ∗ Q_t)[63 + s] with the reversed
 * column Q_t[m] = [τ^(64(62-m)+t)] — a linear convolution of length 126, so a cyclic one of
 * size 128 computes it exactly: H = IFFT(Σ_t FFT(a^t) ⊙ FFT(Q_t)), FFT(Q_t) precomputed.
 */
#include "eip7594/eip7594_internal.h"
#include "msm/msm.h"
#include "poly/fft_g1.h"
#include "poly/poly.h"
#include "runtime/pool.h"

static void run_on_pool(void *pool, size_t n, size_t grain, g1_fft_task_fn fn, void *arg) {
    pool_parallel_for(pool, n, grain, fn, arg);
}

kzg_status eip7594_fk20_proofs(const kzg_ctx *ctx, g1_t proofs[CELLS], const fr_t *coeffs) {
    kzg_status ret;
    const eip7594_domain *d = eip7594_domain_get();
    const setup_fk20 *pre;
    const unsigned threads = pool_threads(ctx->pool);
    fr_t *a = NULL, *fa = NULL;
    msm_scalar *sc = NULL;
    g1_t *v = NULL, *h = NULL;
    fr_t inv128;
    const size_t stride = EXT_N / CELLS; /* ω_128 = roots[64] */

    if ((ret = setup_fk20_get(&pre, ctx, 0, NULL)) != KZG_OK) return ret;
    a = kzg_calloc(CELLS, sizeof *a);
    fa = kzg_calloc(CELLS, sizeof *fa);
    sc = kzg_calloc((size_t)CELLS * CELL_N, sizeof *sc);
    v = kzg_calloc(CELLS, sizeof *v);
    h = kzg_calloc(CELLS, sizeof *h);
    if (!a || !fa || !sc || !v || !h) {
        ret = kzg_fail(KZG_ERR_MEMORY, "fk20: cannot allocate scratch");
        goto out;
    }

    /* Scalars: sc[j·64 + t] = FFT_128(a^t)[j] / 128 (the inverse transform's 1/128 is folded
     * in here), as plain integers for the MSMs. Cost: 4096 + 64·448 fr_mul. */
    poly_inv_domain_size(&inv128, CELLS);
    for (size_t t = 0; t < CELL_N; t++) {
        for (size_t k = 0; k < CELL_N; k++) fr_mul(&a[k], &coeffs[CELL_N * k + t], &inv128);
        for (size_t k = CELL_N; k < CELLS; k++) a[k] = FR_ZERO;
        fr_fft(fa, a, CELLS, d->roots, stride);
        for (size_t j = 0; j < CELLS; j++) fr_to_raw(sc[j * CELL_N + t].l, &fa[j]);
    }

    /* v_j = Σ_t sc[j·64+t]·FFT(Q_t)[j]: 128 MSMs of 64 points (the bulk of the cost),
     * variable-base with each GLV half cut into eight 16-bit pieces over the shifted copies
     * of the columns (2^16·, ..., 2^112·; msm/multi.c counts the multiplications), or over
     * the fixed-base table when the context has one. */
    {
        const g1_aff_t *shifted[SETUP_FK20_PARTS - 1];
        for (size_t s = 0; s + 1 < SETUP_FK20_PARTS; s++) shifted[s] = pre->shifted[s];
        msm_request rq = {.k = CELLS, .m = CELL_N, .points = pre->xfft, .table = pre->fixed,
                          .shifted = shifted, .parts = pre->fixed ? 1 : SETUP_FK20_PARTS,
                          .scalars = sc, .windows = &ctx->msm_windows, .threads = threads,
                          .run = setup_run_on_pool, .runner = ctx->pool};
        if ((ret = msm_run(v, &rq)) != KZG_OK) goto out;
    }

    /* conv = IFFT(v) = FFT(v) read at -i (scaling done above); H_s = conv[63 + s].
     * Cost: 321 scalar multiplications by roots of unity per G1 FFT. */
    g1_fft_par_var(h, v, CELLS, d->roots, stride, run_on_pool, ctx->pool);
    for (size_t s = 0; s + 1 < CELL_N; s++) v[s] = h[(CELLS - (CELL_N - 1 + s)) % CELLS];
    for (size_t s = CELL_N - 1; s < CELLS; s++) g1_set_inf(&v[s]);

    /* proofs[i] = H(ω_128^rev7(i)). */
    g1_fft_par_var(h, v, CELLS, d->roots, stride, run_on_pool, ctx->pool);
    for (size_t i = 0; i < CELLS; i++) proofs[i] = h[poly_reverse_bits(i, 7)];
    ret = KZG_OK;
out:
    kzg_free(a);
    kzg_free(fa);
    kzg_free(sc);
    kzg_free(v);
    kzg_free(h);
    return ret;
}
