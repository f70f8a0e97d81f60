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
#include "runtime/pool.h"

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

/* Both builds run on the context's pool; every task writes only its own outputs and uses
 * its thread's scratch, so the tables do not depend on the thread count. */

/* The fixed-base table: W shifted copies of each of the 8192 points, 2^(c·w)·P, by c
 * doublings per window (8192·(W-1)·c doublings: ~2M for c = 8), converted to affine in
 * chunks of TABLE_CHUNK points (one inversion per chunk). */
#define TABLE_CHUNK 64

typedef struct table_job {
    struct eip7594_precomp *p;
    g1_t *jac;      /* per thread: TABLE_CHUNK·W */
    fp_t *scratch;  /* per thread: TABLE_CHUNK·W */
} table_job;

static void table_task(void *arg, size_t begin, size_t end, unsigned thread) {
    const table_job *job = arg;
    struct eip7594_precomp *p = job->p;
    const size_t w_n = p->table_windows;
    g1_t *jac = job->jac + (size_t)thread * TABLE_CHUNK * w_n;
    fp_t *scratch = job->scratch + (size_t)thread * TABLE_CHUNK * w_n;
    for (size_t k = begin; k < end; k++) {
        size_t base = k * TABLE_CHUNK;
        for (size_t i = 0; i < TABLE_CHUNK; i++) {
            g1_t cur;
            g1_from_aff(&cur, &p->xfft[base + i]);
            for (size_t w = 0; w < w_n; w++) {
                jac[i * w_n + w] = cur;
                for (unsigned b = 0; w + 1 < w_n && b < p->table_bits; b++) g1_dbl(&cur, &cur);
            }
        }
        g1_batch_to_aff(&p->table[base * w_n], jac, TABLE_CHUNK * w_n, scratch);
    }
}

/* Column t of the Toeplitz matrices, transformed: all[j·64 + t] = FFT_128(Q_t)[j]. */
typedef struct column_job {
    const kzg_ctx *ctx;
    const fr_t *roots;
    g1_t *all;
    g1_t *col; /* per thread: 2·128 */
} column_job;

static void column_task(void *arg, size_t begin, size_t end, unsigned thread) {
    const column_job *job = arg;
    g1_t *q = job->col + (size_t)thread * 2 * CELLS, *f = q + CELLS;
    for (size_t t = begin; t < end; t++) {
        for (size_t m = 0; m < CELLS; m++) {
            if (m <= CELL_N - 2) g1_from_aff(&q[m], &job->ctx->setup.g1_monomial[CELL_N * (CELL_N - 2 - m) + t]);
            else g1_set_inf(&q[m]);
        }
        g1_fft_var(f, q, CELLS, job->roots, EXT_N / CELLS);
        for (size_t j = 0; j < CELLS; j++) job->all[j * CELL_N + t] = f[j];
    }
}

/* The Toeplitz columns of FK20 (see eip7594_internal.h), transformed, and the optional
 * fixed-base table. Cost: 64 G1 FFTs of size 128 = 64·321 scalar multiplications by roots
 * of unity (about a second on one thread) and one batch inversion for the affine form. */
static kzg_status precomp_build(struct eip7594_precomp **out, const kzg_ctx *ctx, unsigned bits) {
    kzg_status ret = KZG_OK;
    const eip7594_domain *d = eip7594_domain_get();
    const unsigned threads = pool_threads(ctx->pool);
    size_t windows = bits ? 255 / bits + 1 : 0;
    size_t bytes = sizeof(struct eip7594_precomp) + (size_t)FK20_POINTS * windows * sizeof(g1_aff_t);
    struct eip7594_precomp *p = kzg_malloc(bytes);
    g1_t *col = kzg_calloc((size_t)threads * 2 * CELLS, sizeof *col);
    g1_t *all = kzg_calloc(FK20_POINTS, sizeof *all);
    fp_t *scratch = kzg_calloc(FK20_POINTS, sizeof *scratch);
    g1_t *jac = NULL;
    fp_t *tscratch = NULL;
    *out = NULL;
    if (!p || !col || !all || !scratch) {
        ret = kzg_fail(KZG_ERR_MEMORY, "eip7594: cannot allocate the FK20 tables (%zu bytes)", bytes);
        goto out;
    }
    p->table_bits = bits;
    p->table_windows = (unsigned)windows;
    {
        column_job job = {ctx, d->roots, all, col};
        pool_parallel_for(ctx->pool, CELL_N, 1, column_task, &job);
    }
    g1_batch_to_aff(p->xfft, all, FK20_POINTS, scratch);
    if (bits) {
        jac = kzg_calloc((size_t)threads * TABLE_CHUNK * windows, sizeof *jac);
        tscratch = kzg_calloc((size_t)threads * TABLE_CHUNK * windows, sizeof *tscratch);
        if (!jac || !tscratch) {
            ret = kzg_fail(KZG_ERR_MEMORY, "eip7594: cannot allocate the fixed-base table's scratch");
            goto out;
        }
        table_job job = {p, jac, tscratch};
        pool_parallel_for(ctx->pool, FK20_POINTS / TABLE_CHUNK, 1, table_task, &job);
    }
    *out = p;
    p = NULL;
out:
    kzg_free(p);
    kzg_free(col);
    kzg_free(all);
    kzg_free(scratch);
    kzg_free(jac);
    kzg_free(tscratch);
    return ret;
}

/* The published block, building and publishing one with `bits` if there is none (when two
 * threads race, the first to publish wins and the other frees its copy). */
static kzg_status precomp_get_bits(struct eip7594_precomp **out, const kzg_ctx *ctx, unsigned bits) {
    *out = NULL;
    kzg_ctx *mctx = (kzg_ctx *)ctx; /* the lazily built member is the only mutable part */
    struct eip7594_precomp *cur = atomic_load_explicit(&mctx->eip7594, memory_order_acquire);
    if (!cur) {
        struct eip7594_precomp *mine;
        kzg_status ret = precomp_build(&mine, ctx, bits);
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

kzg_status eip7594_precomp_get(const struct eip7594_precomp **out, const kzg_ctx *ctx) {
    struct eip7594_precomp *p = NULL;
    kzg_status ret = precomp_get_bits(&p, ctx, 0);
    *out = p;
    return ret;
}

kzg_status kzg_eip7594_precompute(const kzg_ctx *ctx, unsigned table_bits) {
    struct eip7594_precomp *p = NULL;
    kzg_status ret;
    kzg_clear_error();
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "eip7594_precompute: ctx is NULL");
    if (table_bits != 0 && (table_bits < FK20_MIN_TABLE_BITS || table_bits > FK20_MAX_TABLE_BITS))
        return kzg_fail(KZG_ERR_BAD_ARG, "eip7594_precompute: table_bits = %u, expected 0 or %d..%d",
                        table_bits, FK20_MIN_TABLE_BITS, FK20_MAX_TABLE_BITS);
    if ((ret = precomp_get_bits(&p, ctx, table_bits)) != KZG_OK) return ret;
    if (p->table_bits != table_bits)
        return kzg_fail(KZG_ERR_BAD_ARG,
                        "eip7594_precompute: the context's FK20 tables were already built with "
                        "table_bits = %u (call it before the first proof computation)",
                        p->table_bits);
    return KZG_OK;
}
