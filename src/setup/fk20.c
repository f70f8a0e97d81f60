/*
 * setup/fk20.c — a context's FK20 tables (setup.h): the embedded mainnet block, or one
 * built on first use or at context creation, published with a compare-and-swap.
 *
 * Thread safety: a block is built outside any lock and published with a compare-and-swap on
 * ctx->fk20; a thread that loses the race frees its copy and uses the winner's, so readers
 * never see a partial block. Published blocks are never changed.
 */
#include "setup/setup.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

/* The mainnet monomial points: those of the embedded setup, or a loaded copy of them (a
 * context from trusted_setup.txt, as every c-kzg binding makes one). A memcmp of 384 KiB
 * (tens of µs) once per context, against about a second of column computation. Field
 * elements are fully reduced, so equal points have equal limbs. */
static bool setup_is_mainnet(const kzg_ctx *ctx) {
    const g1_aff_t *m = SETUP_EMBEDDED.tables.g1_monomial;
    return ctx->setup.g1_monomial == m ||
           memcmp(ctx->setup.g1_monomial, m, SETUP_N_G1 * sizeof *m) == 0;
}

void setup_fk20_free(const setup_fk20 *p) {
    if (!p || p == &SETUP_FK20_EMBEDDED) return;
    msm_table_free(p->fixed);
    kzg_free((void *)p);
}

/* A new block with table_bits c > 0, or c = 0 for a setup other than mainnet's. */
static kzg_status fk20_build(setup_fk20 **out, const kzg_ctx *ctx, bool mainnet, unsigned c,
                             const char *cache_path) {
    kzg_status ret;
    setup_fk20 *p = kzg_malloc(sizeof *p);
    *out = NULL;
    if (!p) return kzg_fail(KZG_ERR_MEMORY, "fk20: cannot allocate the tables (%zu bytes)", sizeof *p);
    /* The shifted copies are only read without a table (eip7594/fk20.c); the mainnet block
     * with a table has no use for them either. */
    p->table_bits = c;
    p->fixed = NULL;
    if (mainnet) {
        memcpy(p->xfft, SETUP_FK20_EMBEDDED.xfft, sizeof p->xfft);
    } else if ((ret = setup_fk20_columns(p->xfft, ctx->setup.g1_monomial, pool_threads(ctx->pool),
                                         setup_run_on_pool, ctx->pool)) != KZG_OK ||
               (!c && (ret = setup_fk20_shifted(p->shifted, p->xfft, pool_threads(ctx->pool),
                                                setup_run_on_pool, ctx->pool)) != KZG_OK)) {
        kzg_free(p);
        return ret;
    }
    if (c) {
        /* The fixed-base table is an msm_table (FK20's MSMs run over it with
         * msm_table_multi_var), built by the msm layer and possibly loaded from a cache file. */
        ret = msm_table_new(&p->fixed, p->xfft, SETUP_FK20_POINTS, c, cache_path,
                            pool_threads(ctx->pool), setup_run_on_pool, ctx->pool);
        if (ret != KZG_OK) {
            kzg_free(p);
            return ret;
        }
    }
    *out = p;
    return KZG_OK;
}

kzg_status setup_fk20_get(const setup_fk20 **out, const kzg_ctx *ctx, unsigned table_bits,
                          const char *cache_path) {
    kzg_ctx *mctx = (kzg_ctx *)ctx; /* the lazily published member is the only mutable part */
    const setup_fk20 *cur = atomic_load_explicit(&mctx->fk20, memory_order_acquire);
    *out = NULL;
    if (!cur) {
        const setup_fk20 *mine;
        bool mainnet = setup_is_mainnet(ctx);
        if (table_bits == 0 && mainnet) {
            setup_fk20_embedded_populate();
            mine = &SETUP_FK20_EMBEDDED;
        } else {
            setup_fk20 *built;
            kzg_status ret = fk20_build(&built, ctx, mainnet, table_bits, cache_path);
            if (ret != KZG_OK) return ret;
            mine = built;
        }
        const setup_fk20 *expected = NULL;
        if (atomic_compare_exchange_strong_explicit(&mctx->fk20, &expected, mine, memory_order_acq_rel,
                                                    memory_order_acquire)) {
            cur = mine;
        } else {
            setup_fk20_free(mine);
            cur = expected;
        }
    }
    *out = cur;
    return KZG_OK;
}
