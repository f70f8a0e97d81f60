/*
 * test_options_abi — the versioning rule of kzgkit's public option structs (kzg.h, above
 * kzg_ctx_options) and the fixed size of the metrics snapshot.
 *
 * struct_size 0 is rejected (an older caller's smaller struct would otherwise be read as the
 * current one); each earlier layout (a size ending on a field boundary) is accepted with the
 * missing fields at their defaults; a size inside a field or above the current one is
 * rejected; KZG_CTX_OPTIONS_INIT / KZG_PROCESSOR_OPTIONS_INIT give a valid default struct.
 * The library never reads past struct_size: the caller's struct is copied into a heap block
 * of exactly that size, so ASan would catch a read past its end.
 */
#include <stdlib.h>
#include <string.h>

#include "kzgkit.h"
#include "testrand.h"

#define END(type, f) (offsetof(type, f) + sizeof(((type *)0)->f))

/* kzg_ctx_new with the first `size` (>= 8) bytes of *o and struct_size = size, passed in a
 * heap block of exactly that size, as an older caller's smaller struct would be. */
static kzg_status ctx_new_sized(kzg_ctx **ctx, const kzg_ctx_options *o, uint32_t size) {
    kzg_ctx_options full = *o;
    full.struct_size = size;
    void *block = malloc(size);
    if (!block) return KZG_ERR_MEMORY;
    memcpy(block, &full, size);
    kzg_status st = kzg_ctx_new(ctx, block);
    free(block);
    return st;
}

static void test_ctx_options__struct_size_rule(void) {
    kzg_ctx *ctx = NULL;
    kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
    CHECK(o.struct_size == sizeof o && o.threads == 0 && o.metrics == NULL, "INIT");
    CHECK(kzg_ctx_new(&ctx, &o) == KZG_OK && ctx, "INIT accepted");
    kzg_ctx_free(ctx);

    /* 0: rejected, with a detail that says what to do. */
    kzg_ctx_options zero;
    memset(&zero, 0, sizeof zero);
    ctx = (kzg_ctx *)&zero;
    CHECK(kzg_ctx_new(&ctx, &zero) == KZG_ERR_BAD_ARG && ctx == NULL, "struct_size 0 rejected");
    CHECK(strstr(kzg_last_error(), "struct_size is 0") != NULL, "detail: %s", kzg_last_error());

    /* Earlier layouts: every field end is a valid size; threads is in all of them. */
    o.threads = 2;
    const uint32_t ends[] = {(uint32_t)END(kzg_ctx_options, threads),
                             (uint32_t)END(kzg_ctx_options, table_window),
                             (uint32_t)END(kzg_ctx_options, table_cache_path),
                             (uint32_t)END(kzg_ctx_options, metrics),
                             (uint32_t)END(kzg_ctx_options, profile_path),
                             (uint32_t)END(kzg_ctx_options, cache_bytes),
                             (uint32_t)END(kzg_ctx_options, cache_target_hit_rate),
                             (uint32_t)END(kzg_ctx_options, cache_max_bytes),
                             (uint32_t)END(kzg_ctx_options, eip7594_table_bits),
                             (uint32_t)END(kzg_ctx_options, reserved0),
                             (uint32_t)END(kzg_ctx_options, numa),
                             (uint32_t)sizeof(kzg_ctx_options)};
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        ctx = NULL;
        CHECK(ctx_new_sized(&ctx, &o, ends[i]) == KZG_OK && ctx, "size %u: %s", ends[i],
              kzg_last_error());
        CHECK(kzg_ctx_threads(ctx) == 2, "size %u: threads read", ends[i]);
        kzg_ctx_free(ctx);
    }
    /* A cache requested by a field the older struct lacks is not created. */
    o.threads = 0;
    o.cache_bytes = 1 << 16;
    ctx = NULL;
    CHECK(ctx_new_sized(&ctx, &o, ends[4]) == KZG_OK, "size without cache_bytes");
    kzg_cache_stats cs;
    CHECK(kzg_ctx_cache_stats(ctx, &cs) == KZG_OK && cs.budget_bytes == 0, "no cache read");
    kzg_ctx_free(ctx);
    ctx = NULL;
    CHECK(ctx_new_sized(&ctx, &o, ends[5]) == KZG_OK, "size with cache_bytes");
    CHECK(kzg_ctx_cache_stats(ctx, &cs) == KZG_OK && cs.budget_bytes >= (1 << 16), "cache read");
    kzg_ctx_free(ctx);

    /* eip7594_table_bits (the last field): out-of-range values are rejected with a detail
     * naming it; an older struct that ends before it is not read there. */
    o.cache_bytes = 0;
    CHECK(o.eip7594_table_bits == 0, "INIT: eip7594_table_bits 0");
    static const unsigned bad_bits[] = {3, 11};
    for (size_t i = 0; i < 2; i++) {
        char want[64];
        o.eip7594_table_bits = bad_bits[i];
        snprintf(want, sizeof want, "eip7594_table_bits = %u", bad_bits[i]);
        ctx = (kzg_ctx *)&o;
        CHECK(ctx_new_sized(&ctx, &o, sizeof o) == KZG_ERR_BAD_ARG && ctx == NULL, "bits %u", bad_bits[i]);
        CHECK(strstr(kzg_last_error(), want) != NULL, "detail: %s", kzg_last_error());
        ctx = NULL;
        CHECK(ctx_new_sized(&ctx, &o, (uint32_t)END(kzg_ctx_options, cache_max_bytes)) == KZG_OK && ctx,
              "size without eip7594_table_bits: %s", kzg_last_error());
        kzg_ctx_free(ctx);
    }
    o.eip7594_table_bits = 0;

    /* numa (after reserved0, which covers the previous release's tail padding): a bad
     * value is rejected naming the field; a struct that ends before it, whatever its
     * padding or reserved0 hold, is not read there; reserved0 is never read. */
    o.numa = 7;
    ctx = (kzg_ctx *)&o;
    CHECK(ctx_new_sized(&ctx, &o, sizeof o) == KZG_ERR_BAD_ARG && ctx == NULL, "numa 7");
    CHECK(strstr(kzg_last_error(), "numa = 7") != NULL, "detail: %s", kzg_last_error());
    o.reserved0 = 0xdeadbeef;
    for (int k = 0; k < 2; k++) {
        uint32_t size = (uint32_t)(k ? END(kzg_ctx_options, reserved0) : END(kzg_ctx_options, eip7594_table_bits));
        ctx = NULL;
        CHECK(ctx_new_sized(&ctx, &o, size) == KZG_OK && ctx, "size %u without numa: %s", size, kzg_last_error());
        char info[256];
        CHECK(kzg_ctx_numa_info(ctx, info, sizeof info) == KZG_OK && strncmp(info, "policy auto", 11) == 0,
              "size %u: numa read: %s", size, info);
        kzg_ctx_free(ctx);
    }
    o.numa = KZG_NUMA_OFF;
    ctx = NULL;
    CHECK(ctx_new_sized(&ctx, &o, sizeof o) == KZG_OK && ctx, "reserved0 read: %s", kzg_last_error());
    kzg_ctx_free(ctx);
    o.numa = 0;
    o.reserved0 = 0;
#if UINTPTR_MAX == 0xffffffffffffffffu
    /* LP64: the release before numa had sizeof 72, reserved0 is exactly its padding. */
    CHECK(END(kzg_ctx_options, eip7594_table_bits) == 68 && END(kzg_ctx_options, reserved0) == 72,
          "layout");
#endif

    /* Inside a field, shorter than the first field, or larger than ours: rejected. */
    const uint32_t bad[] = {1, 2, 4, 6, (uint32_t)END(kzg_ctx_options, threads) + 2,
                            (uint32_t)END(kzg_ctx_options, table_cache_path) - 1,
                            (uint32_t)sizeof(kzg_ctx_options) + 8, 4096};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        kzg_ctx_options *big = calloc(1, 4096);
        if (!big) continue;
        big->struct_size = bad[i];
        ctx = (kzg_ctx *)big;
        CHECK(kzg_ctx_new(&ctx, big) == KZG_ERR_BAD_ARG && ctx == NULL, "size %u rejected", bad[i]);
        CHECK(strstr(kzg_last_error(), "struct_size") != NULL, "detail: %s", kzg_last_error());
        free(big);
    }
}

static void test_processor_options__struct_size_rule(void) {
    kzg_ctx *ctx = NULL;
    CHECK(kzg_ctx_new(&ctx, NULL) == KZG_OK, "ctx");
    kzg_processor *p = NULL;
    kzg_processor_options o = KZG_PROCESSOR_OPTIONS_INIT;
    CHECK(o.struct_size == sizeof o, "INIT");
    CHECK(kzg_processor_new(&p, ctx, &o) == KZG_OK && p, "INIT accepted");
    kzg_processor_free(p);
    p = NULL;
    CHECK(kzg_processor_new(&p, ctx, NULL) == KZG_OK && p, "NULL options");
    kzg_processor_free(p);

    kzg_processor_options zero;
    memset(&zero, 0, sizeof zero);
    p = NULL;
    CHECK(kzg_processor_new(&p, ctx, &zero) == KZG_ERR_BAD_ARG && p == NULL, "struct_size 0");

    /* The first layout: struct_size and verify only. */
    kzg_processor_options full = o;
    full.struct_size = (uint32_t)END(kzg_processor_options, verify);
    full.verify = 1;
    full.cache_bytes = 1 << 16; /* beyond the older struct: must not be read */
    void *old = malloc(full.struct_size);
    if (old) {
        memcpy(old, &full, full.struct_size);
        CHECK(kzg_processor_new(&p, ctx, old) == KZG_OK && p, "older layout: %s", kzg_last_error());
        kzg_processor_stats st;
        CHECK(kzg_processor_stats_get(p, &st) == KZG_OK && st.cache.budget_bytes == 0, "no cache");
        kzg_processor_free(p);
        free(old);
    }
    kzg_processor_options big = o;
    big.struct_size = sizeof big + 8;
    p = NULL;
    CHECK(kzg_processor_new(&p, ctx, &big) == KZG_ERR_BAD_ARG && p == NULL, "larger rejected");
    kzg_ctx_free(ctx);
}

static void test_metrics_stats__fixed_capacity(void) {
    /* The snapshot's size is fixed by KZG_METRICS_MAX_OPS, not by how many operations this
     * header knows; n_ops says how many are filled. */
    CHECK(KZG_OP_COUNT <= KZG_METRICS_MAX_OPS, "room for every operation");
    CHECK(sizeof(((kzg_metrics_stats *)0)->ops) ==
              KZG_METRICS_MAX_OPS * sizeof(kzg_metrics_op_stats), "capacity");
    kzg_metrics *m = NULL;
    CHECK(kzg_metrics_new(&m) == KZG_OK, "metrics");
    kzg_metrics_stats *s = malloc(sizeof *s);
    if (!m || !s) {
        free(s);
        kzg_metrics_free(m);
        return;
    }
    memset(s, 0xa5, sizeof *s);
    CHECK(kzg_metrics_snapshot(m, s) == KZG_OK, "snapshot");
    CHECK(s->n_ops == KZG_OP_COUNT, "n_ops %u", s->n_ops);
    bool rest_zero = true;
    for (size_t k = s->n_ops; k < KZG_METRICS_MAX_OPS; k++)
        rest_zero &= s->ops[k].calls == 0 && s->ops[k].histogram[0] == 0;
    CHECK(rest_zero, "slots past n_ops are zero");
    free(s);
    kzg_metrics_free(m);
}

int main(void) {
    test_ctx_options__struct_size_rule();
    test_processor_options__struct_size_rule();
    test_metrics_stats__fixed_capacity();
    return test_report();
}
