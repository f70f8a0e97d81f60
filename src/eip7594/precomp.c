/*
 * eip7594/precomp.c — data the EIP-7594 functions derive once: the 8192-point domain
 * (process-wide, setup-independent, built under pthread_once from poly_ext_roots), and kzg_eip7594_precompute,
 * the older way to choose a context's FK20 tables (they are the setup layer's:
 * setup_fk20_get; kzg_ctx_options.eip7594_table_bits is the preferred way).
 */
#include <pthread.h>

#include "eip7594/eip7594_internal.h"
#include "poly/poly.h"

static eip7594_domain g_domain;
static pthread_once_t g_domain_once = PTHREAD_ONCE_INIT;

static void domain_build(void) {
    g_domain.roots = poly_ext_roots();
    g_domain.roots_x = poly_ext_roots_x();
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

kzg_status kzg_eip7594_precompute(const kzg_ctx *ctx, unsigned table_bits) {
    const setup_fk20 *p = NULL;
    kzg_status ret;
    kzg_clear_error();
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "eip7594_precompute: ctx is NULL");
    if (table_bits != 0 && (table_bits < FK20_MIN_TABLE_BITS || table_bits > FK20_MAX_TABLE_BITS))
        return kzg_fail(KZG_ERR_BAD_ARG, "eip7594_precompute: table_bits = %u, expected 0 or %d..%d",
                        table_bits, FK20_MIN_TABLE_BITS, FK20_MAX_TABLE_BITS);
    if ((ret = setup_fk20_get(&p, ctx, table_bits, NULL)) != KZG_OK) return ret;
    if (p->table_bits != table_bits)
        return kzg_fail(KZG_ERR_BAD_ARG,
                        "eip7594_precompute: the context's FK20 tables were already built with "
                        "table_bits = %u (choose it with kzg_ctx_options.eip7594_table_bits, or "
                        "call this before the first proof computation)",
                        p->table_bits);
    return KZG_OK;
}
