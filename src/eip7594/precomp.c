/*
 * eip7594/precomp.c — data the EIP-7594 functions derive once: the 8192-point domain
 * (process-wide, setup-independent) and a context's FK20 tables (per context, built on
 * first use; the block is freed by kzg_ctx_free with kzg_free).
 *
 * Thread safety: the domain is built under pthread_once. A context's tables are built
 * outside any lock and published with a compare-and-swap on ctx->eip7594; a thread that
 * loses the race frees its copy and uses the winner's, so readers never see a partial block.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "eip7594/eip7594_internal.h"
#include "poly/fft_g1.h"
#include "poly/poly.h"

static eip7594_domain g_domain;
static pthread_once_t g_domain_once = PTHREAD_ONCE_INIT;

static void domain_build(void) {
    /* 8192 is a power of two ≤ 2^32: poly_roots_of_unity cannot fail here. */
    (void)poly_roots_of_unity(g_domain.roots, EXT_N);
    for (size_t i = 0; i < CELLS; i++) {
        size_t e = poly_reverse_bits(i, 7); /* h_i = ω_8192^rev7(i) (coset_shift_for_cell) */
        g_domain.shift_pow[i] = g_domain.roots[CELL_N * e]; /* h_i^64 = ω_128^rev7(i) */
        g_domain.shift_inv[i] = g_domain.roots[(EXT_N - e) % EXT_N];
    }
}

const eip7594_domain *eip7594_domain_get(void) {
    pthread_once(&g_domain_once, domain_build);
    return &g_domain;
}

/* The Toeplitz columns of FK20 (see eip7594_internal.h), transformed.
 * Cost: 64 G1 FFTs of size 128 = 64·321 scalar multiplications by roots of unity (about a
 * second with portable arithmetic) and one batch inversion for the affine form. */
static kzg_status precomp_build(struct eip7594_precomp **out, const kzg_ctx *ctx) {
    kzg_status ret = KZG_OK;
    const eip7594_domain *d = eip7594_domain_get();
    struct eip7594_precomp *p = kzg_malloc(sizeof *p);
    g1_t *col = kzg_calloc(2 * CELLS, sizeof *col);
    g1_t *all = kzg_calloc((size_t)CELLS * CELL_N, sizeof *all);
    fp_t *scratch = kzg_calloc((size_t)CELLS * CELL_N, sizeof *scratch);
    *out = NULL;
    if (!p || !col || !all || !scratch) {
        ret = kzg_fail(KZG_ERR_MEMORY, "eip7594: cannot allocate the FK20 tables (%zu bytes)", sizeof *p);
        goto out;
    }
    g1_t *q = col, *f = col + CELLS;
    for (size_t t = 0; t < CELL_N; t++) {
        for (size_t m = 0; m < CELLS; m++) {
            if (m <= CELL_N - 2) g1_from_aff(&q[m], &ctx->setup.g1_monomial[CELL_N * (CELL_N - 2 - m) + t]);
            else g1_set_inf(&q[m]);
        }
        g1_fft_var(f, q, CELLS, d->roots, EXT_N / CELLS);
        for (size_t j = 0; j < CELLS; j++) all[j * CELL_N + t] = f[j];
    }
    g1_batch_to_aff(p->xfft, all, (size_t)CELLS * CELL_N, scratch);
    *out = p;
    p = NULL;
out:
    kzg_free(p);
    kzg_free(col);
    kzg_free(all);
    kzg_free(scratch);
    return ret;
}

kzg_status eip7594_precomp_get(const struct eip7594_precomp **out, const kzg_ctx *ctx) {
    kzg_ctx *mctx = (kzg_ctx *)ctx; /* the lazily built member is the only mutable part */
    struct eip7594_precomp *cur = atomic_load_explicit(&mctx->eip7594, memory_order_acquire);
    if (!cur) {
        struct eip7594_precomp *mine;
        kzg_status ret = precomp_build(&mine, ctx);
        if (ret != KZG_OK) return ret;
        struct eip7594_precomp *expected = NULL;
        if (atomic_compare_exchange_strong_explicit(&mctx->eip7594, &expected, mine,
                                                    memory_order_acq_rel, memory_order_acquire)) {
            cur = mine;
        } else {
            kzg_free(mine);
            cur = expected;
        }
    }
    *out = cur;
    return KZG_OK;
}

kzg_status kzg_eip7594_precompute(const kzg_ctx *ctx) {
    const struct eip7594_precomp *p;
    kzg_clear_error();
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "eip7594_precompute: ctx is NULL");
    return eip7594_precomp_get(&p, ctx);
}
