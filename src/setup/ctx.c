/*
 * setup/ctx.c — the public context constructors (include/kzgkit/kzg.h).
 *
 * kzg_ctx_new points at the arrays compiled into the library (generated/embedded_setup.c):
 * no parsing, no copies, one small allocation. The other constructors decode and validate
 * an untrusted setup into one block that the context owns. Every constructor then attaches
 * the speed parts the options ask for (ctx_attach): a pool for threads > 1 and, opt-in, the
 * fixed-base tables over the Lagrange points (built on the pool, or loaded from a cache
 * file) and, when the pool is placed on NUMA nodes, those tables replicated per node or
 * interleaved over them as the plan says (setup/place.c). Without options the embedded
 * context stays a single small allocation.
 */
#include "setup/setup.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "common/sha256.h"
#include "pairing/pairing.h"
#include "poly/poly.h"
#include "runtime/profile.h"

/* The end of each field of kzg_ctx_options, in order: the struct_size values an older
 * caller's struct may have (kzg_options_copy, common/common.h). */
#define OPTION_END(f) KZG_FIELD_END(kzg_ctx_options, f)
static const size_t OPTION_ENDS[] = {
    OPTION_END(threads),      OPTION_END(table_window), OPTION_END(table_cache_path),
    OPTION_END(metrics),      OPTION_END(profile_path), OPTION_END(cache_bytes),
    OPTION_END(cache_target_hit_rate), OPTION_END(cache_max_bytes),
    OPTION_END(eip7594_table_bits), OPTION_END(reserved0), OPTION_END(numa),
    sizeof(kzg_ctx_options)};

/* The caller's options as this library's struct (all defaults for NULL). */
static kzg_status options_full(kzg_ctx_options *o, const kzg_ctx_options *options) {
    return kzg_options_copy(o, sizeof *o, options, options ? options->struct_size : 0,
                            OPTION_ENDS, KZG_ARRAY_LEN(OPTION_ENDS), "kzg_ctx_options");
}

static kzg_status ctx_options(uint32_t *threads, const kzg_ctx_options *options) {
    kzg_ctx_options o;
    kzg_status ret = options_full(&o, options);
    *threads = o.threads;
    if (ret != KZG_OK) return ret;
    if (*threads > POOL_MAX_THREADS)
        return kzg_fail(KZG_ERR_BAD_ARG, "options: threads = %u is above the limit %u", *threads,
                        POOL_MAX_THREADS);
    if (o.table_window != 0 && o.table_window != KZG_TABLE_WINDOW_NONE &&
        (o.table_window < MSM_TABLE_MIN_WINDOW || o.table_window > MSM_TABLE_MAX_WINDOW))
        return kzg_fail(KZG_ERR_BAD_ARG,
                        "options: table_window = %u, expected 0 (default), 1 (none) or %d..%d",
                        o.table_window, MSM_TABLE_MIN_WINDOW, MSM_TABLE_MAX_WINDOW);
    if (o.eip7594_table_bits != 0 && (o.eip7594_table_bits < SETUP_FK20_MIN_TABLE_BITS ||
                                      o.eip7594_table_bits > SETUP_FK20_MAX_TABLE_BITS))
        return kzg_fail(KZG_ERR_BAD_ARG, "options: eip7594_table_bits = %u, expected 0 or %d..%d",
                        o.eip7594_table_bits, SETUP_FK20_MIN_TABLE_BITS, SETUP_FK20_MAX_TABLE_BITS);
    if (o.numa != KZG_NUMA_AUTO && o.numa != KZG_NUMA_OFF && o.numa != KZG_NUMA_ON)
        return kzg_fail(KZG_ERR_BAD_ARG, "options: numa = %u, expected KZG_NUMA_AUTO (0), "
                        "KZG_NUMA_OFF (1) or KZG_NUMA_ON (2)", o.numa);
    return KZG_OK;
}

/* Bytes of the fixed-base tables a context will hold (the NUMA plan's table decision):
 * 4096 (Lagrange) or 8192 (FK20) rows of floor(255/c)+1 affine points. */
static uint64_t tables_bytes(uint32_t table_window, uint32_t fk20_bits) {
    uint64_t b = 0;
    if (table_window) b += (uint64_t)SETUP_N_G1 * (255 / table_window + 1) * sizeof(g1_aff_t);
    if (fk20_bits) b += (uint64_t)2 * SETUP_N_G1 * (255 / fk20_bits + 1) * sizeof(g1_aff_t);
    return b;
}

/* The context's pool, placed on the NUMA nodes when options.numa asks for it (numa.h). The
 * topology is read once per process, and not at all for OFF or a caller-only context, so
 * that AUTO on one node costs a few comparisons after the first context (no plan is built,
 * no table copied). A topology that cannot be read is a note, not an error: the context
 * carries on with one node. When the pool is placed, *plan_out is the plan (kzg_malloc'ed,
 * the caller's to free once the tables are placed: ctx_numa_finish), else NULL. */
static kzg_status ctx_pool(kzg_ctx *ctx, numa_plan **plan_out, uint32_t policy, uint64_t table_bytes) {
    *plan_out = NULL;
    ctx->numa_policy = policy;
    ctx->numa_why = policy == KZG_NUMA_OFF ? "policy off" : "caller only: no worker to place";
    if (ctx->threads <= 1) return KZG_OK;
    if (policy == KZG_NUMA_OFF) return pool_new(&ctx->pool, ctx->threads);
    kzg_status st;
    const char *note;
    const numa_topology *t = numa_topology_system(&st, &note);
    if (st != KZG_OK) ctx->numa_note = note;
    if (!numa_plan_places(t, ctx->threads, policy, &ctx->numa_why)) return pool_new(&ctx->pool, ctx->threads);
    numa_plan *plan = kzg_malloc(sizeof *plan);
    if (!plan) return kzg_fail(KZG_ERR_MEMORY, "context: cannot allocate a NUMA plan");
    kzg_status ret = numa_plan_make(plan, t, ctx->threads, policy, table_bytes);
    if (ret == KZG_OK) {
        ctx->numa_why = plan->why;
        ret = pool_new_placed(&ctx->pool, ctx->threads, plan);
    }
    if (ret == KZG_OK && plan->place) *plan_out = plan;
    else kzg_free(plan);
    return ret;
}

/* With the tables built: places them as the plan says (setup_place_tables) and writes the
 * context's NUMA line, the plan's with what was done to the tables. */
static kzg_status ctx_numa_finish(kzg_ctx *ctx, const numa_plan *plan) {
    char line[1024], tables[256];
    numa_plan_describe(line, sizeof line, plan);
    size_t len = strlen(line);
    if (plan->table_bytes) {
        setup_place_tables(ctx, plan, tables, sizeof tables);
        snprintf(line + len, sizeof line - len, "; tables: %s", tables);
        len = strlen(line);
    }
    if (!(ctx->numa_plan_line = kzg_malloc(len + 1)))
        return kzg_fail(KZG_ERR_MEMORY, "context: cannot allocate %zu bytes", len + 1);
    memcpy(ctx->numa_plan_line, line, len + 1);
    return KZG_OK;
}

/* The metrics the options lend the context, or NULL (also for an options struct from
 * before the field existed, or one that ctx_options will reject). */
static metrics_t *options_metrics(const kzg_ctx_options *options) {
    if (!options || !kzg_options_size_ok(options->struct_size, OPTION_ENDS, KZG_ARRAY_LEN(OPTION_ENDS)))
        return NULL;
    return options->struct_size >= OPTION_END(metrics) ? options->metrics : NULL;
}

/* Loads options->profile_path (if any) into ctx->profile_info and, when it was measured on
 * this machine, applies it: the MSM windows to this context's MSMs, threads and
 * *table_window where the options left them 0. A malformed profile is an error; a foreign
 * one only a note. Its backend_pick is not applied here (process-wide: kzg_set_backend). */
static kzg_status ctx_profile(kzg_ctx *ctx, uint32_t *table_window, const kzg_ctx_options *options) {
    profile p;
    char cpu[PROFILE_TEXT_LEN], why[512], line[1024];
    if (!options->profile_path) return KZG_OK;
    kzg_status ret = profile_load(&p, options->profile_path);
    if (ret != KZG_OK) return ret;
    profile_cpu_model(cpu, sizeof cpu);
    ctx->profile_applied = profile_matches(&p, cpu, kzg_backend(), why, sizeof why);
    if (ctx->profile_applied) {
        for (size_t lg = 0; lg < PROFILE_LOG2_SLOTS && lg < MSM_WINDOW_CLASSES; lg++)
            ctx->msm_windows.c[lg] = (uint8_t)p.msm_window[lg]; /* 2..16 or 0: parsed */
        if (ctx->threads == 0 && p.threads) ctx->threads = p.threads;
        /* A profile's 0 is no choice; 1 (KZG_TABLE_WINDOW_NONE) is tune's "none". */
        if (*table_window == 0 && p.has_table_window) *table_window = p.table_window;
        profile_describe(why, sizeof why, &p);
        snprintf(line, sizeof line, "%s: %s", options->profile_path, why[0] ? why : "(no choices)");
    } else {
        snprintf(line, sizeof line, "%s: ignored: %s", options->profile_path, why);
    }
    size_t n = strlen(line) + 1;
    if (!(ctx->profile_info = kzg_malloc(n)))
        return kzg_fail(KZG_ERR_MEMORY, "profile: cannot allocate %zu bytes", n);
    memcpy(ctx->profile_info, line, n);
    return KZG_OK;
}

/* The FK20 fixed-base table options.eip7594_table_bits asks for, built now (on the pool) or
 * loaded from table_cache_path + ".fk20". */
static kzg_status ctx_fk20_table(kzg_ctx *ctx, const kzg_ctx_options *o) {
    static const char SUFFIX[] = ".fk20";
    char *path = NULL;
    const setup_fk20 *p;
    if (o->table_cache_path) {
        size_t n = strlen(o->table_cache_path);
        if (!(path = kzg_malloc(n + sizeof SUFFIX)))
            return kzg_fail(KZG_ERR_MEMORY, "context: cannot allocate a %zu-byte path", n + sizeof SUFFIX);
        memcpy(path, o->table_cache_path, n);
        memcpy(path + n, SUFFIX, sizeof SUFFIX);
    }
    kzg_status ret = setup_fk20_get(&p, ctx, o->eip7594_table_bits, path);
    kzg_free(path);
    return ret;
}

static kzg_status g2_lines_attach(kzg_ctx *ctx);

/* The process's call scratch (setup_scratch_take): in .bss, so it costs no memory until the
 * first context's constructor writes it (scratch_touch, once), faulting its pages in there
 * rather than in a call. */
static _Alignas(64) uint8_t g_scratch[SETUP_SCRATCH_BYTES];
static atomic_flag g_scratch_busy = ATOMIC_FLAG_INIT;
static pthread_once_t g_scratch_once = PTHREAD_ONCE_INIT;

static void scratch_touch(void) {
    /* volatile: a store of zeros into .bss (already zero) must not be optimised away. */
    volatile uint8_t *p = g_scratch;
    for (size_t i = 0; i < SETUP_SCRATCH_BYTES; i += 4096) p[i] = 0;
}

/* Points the context at the embedded commitment table (setup_embedded_msm_table) when the
 * library has one and the context's Lagrange points are the mainnet ones: the embedded
 * setup, or a loaded copy of it (compared point by point: 384 KiB, ~20 µs beside a load of
 * milliseconds). True when it did. */
static bool embedded_table_attach(kzg_ctx *ctx) {
    const g1_aff_t *entries = setup_embedded_msm_table();
    if (!entries) return false;
    const g1_aff_t *mainnet = SETUP_EMBEDDED.tables.g1_lagrange_brp;
    if (ctx->setup.g1_lagrange_brp != mainnet &&
        memcmp(ctx->setup.g1_lagrange_brp, mainnet, SETUP_N_G1 * sizeof(g1_aff_t)) != 0)
        return false;
    ctx->lagrange_embedded = (msm_table){.c = SETUP_EMBEDDED_TABLE_WINDOW,
                                         .n = SETUP_N_G1,
                                         .nwin = msm_table_windows(SETUP_EMBEDDED_TABLE_WINDOW),
                                         .entries = (g1_aff_t *)entries};
    ctx->lagrange_table = &ctx->lagrange_embedded;
    return true;
}

/* The speed parts of a context: the tuning profile, the pool (threads > 1) and the
 * fixed-base tables (the embedded one by default, a built one on request). On failure the
 * context is freed and *out reset. */
static kzg_status ctx_attach(kzg_ctx **out, kzg_status ret, const kzg_ctx_options *options) {
    if (ret != KZG_OK || !*out) return ret;
    kzg_ctx *ctx = *out;
    kzg_ctx_options o;
    numa_plan *plan = NULL; /* kept while the tables are built, when the pool is placed */
    if ((ret = options_full(&o, options)) != KZG_OK) goto fail; /* validated before: cannot fail */
    uint32_t table_window = o.table_window;
    ctx->metrics = o.metrics;
    /* What the first operation would otherwise pay: the pairing lines of the setup, the
     * SHA-256 implementation's one-time set-up (the Fiat–Shamir challenges) and the
     * 8192-point domain of EIP-7594 (the last two once per process). */
    if ((ret = g2_lines_attach(ctx)) != KZG_OK) goto fail;
    if ((ret = sha256_prepare()) != KZG_OK) goto fail;
    (void)poly_ext_roots();
    pthread_once(&g_scratch_once, scratch_touch);
    if (o.cache_bytes) {
        cache_config cc = {.budget_bytes = o.cache_bytes};
        if (o.cache_target_hit_rate != 0) {
            cc.adaptive = true;
            cc.target_hit_rate = o.cache_target_hit_rate;
            cc.min_budget_bytes = o.cache_bytes;
            cc.max_budget_bytes = o.cache_max_bytes;
        }
        if ((ret = cache_new(&ctx->cache, &cc)) != KZG_OK) goto fail;
        /* The metrics show the cache's hit rate; a full attachment table only loses that. */
        if (ctx->metrics) (void)metrics_attach_cache(ctx->metrics, "results", ctx->cache);
    }
    if ((ret = ctx_profile(ctx, &table_window, &o)) != KZG_OK) goto fail;
    if (table_window == 0 || table_window == SETUP_EMBEDDED_TABLE_WINDOW) {
        /* The default, or the embedded table's window: borrowed when the points are
         * mainnet's, nothing to build. */
        if (embedded_table_attach(ctx)) table_window = 0;
    } else if (table_window == KZG_TABLE_WINDOW_NONE) {
        table_window = 0;
    }
    /* table_window is now the window to build (or load), 0 for none. */
    if ((ret = ctx_pool(ctx, &plan, o.numa, tables_bytes(table_window, o.eip7594_table_bits))) != KZG_OK)
        goto fail;
    if (table_window) {
        ret = msm_table_new(&ctx->lagrange_table, ctx->setup.g1_lagrange_brp, SETUP_N_G1,
                            table_window, o.table_cache_path,
                            pool_threads(ctx->pool), setup_run_on_pool, ctx->pool);
        if (ret != KZG_OK) goto fail;
    }
    if (o.eip7594_table_bits && (ret = ctx_fk20_table(ctx, &o)) != KZG_OK) goto fail;
    if (plan && (ret = ctx_numa_finish(ctx, plan)) != KZG_OK) goto fail;
    kzg_free(plan);
    return KZG_OK;
fail:
    kzg_free(plan);
    kzg_ctx_free(ctx);
    *out = NULL;
    return ret;
}

void setup_run_on_pool(void *pool, size_t n, size_t grain, msm_task_fn fn, void *arg) {
    pool_parallel_for(pool, n, grain, fn, arg);
}

/* The prepared lines of [τ^0]G2, [τ^1]G2, [τ^64]G2 (setup_pairing2_is_one). */
static const unsigned LINE_POWERS[3] = {0, 1, 64};
struct setup_g2_lines {
    pairing_g2_lines l[3];
};

/* The embedded setup's lines, shared by every context on it: prepared once per process, by
 * the first such context's constructor. */
static struct setup_g2_lines g_embedded_lines;
static pthread_once_t g_embedded_lines_once = PTHREAD_ONCE_INIT;

static void embedded_lines_build(void) {
    for (int i = 0; i < 3; i++)
        pairing_g2_prepare(&g_embedded_lines.l[i], &SETUP_EMBEDDED.tables.g2_monomial[LINE_POWERS[i]]);
}

/* Prepares the context's lines (~40 µs each, three; once per process for the embedded
 * setup), so that no verification pays for them: a constructor calls this. */
static kzg_status g2_lines_attach(kzg_ctx *ctx) {
    if (!ctx->owned) {
        pthread_once(&g_embedded_lines_once, embedded_lines_build);
        atomic_store_explicit(&ctx->g2_lines, &g_embedded_lines, memory_order_release);
        return KZG_OK;
    }
    struct setup_g2_lines *mine = kzg_malloc(sizeof *mine);
    if (!mine) return kzg_fail(KZG_ERR_MEMORY, "context: cannot allocate the pairing lines");
    for (int i = 0; i < 3; i++) pairing_g2_prepare(&mine->l[i], &ctx->setup.g2_monomial[LINE_POWERS[i]]);
    atomic_store_explicit(&ctx->g2_lines, mine, memory_order_release);
    return KZG_OK;
}

bool setup_pairing2_is_one(const kzg_ctx *ctx, const g1_aff_t p[2], unsigned ka, unsigned kb) {
    const struct setup_g2_lines *gl = atomic_load_explicit(&ctx->g2_lines, memory_order_acquire);
    unsigned k[2] = {ka, kb};
    const pairing_g2_lines *lp[2] = {NULL, NULL};
    for (int j = 0; j < 2 && gl; j++)
        for (int i = 0; i < 3; i++)
            if (LINE_POWERS[i] == k[j]) lp[j] = &gl->l[i];
    if (lp[0] && lp[1]) return pairing_product_is_one_prepared(p, lp, 2);
    g2_aff_t q[2] = {ctx->setup.g2_monomial[ka], ctx->setup.g2_monomial[kb]};
    return pairing_product_is_one(p, q, 2);
}

static kzg_ctx *ctx_alloc(uint32_t threads) {
    kzg_ctx *ctx = kzg_malloc(sizeof *ctx);
    if (!ctx) {
        kzg_fail(KZG_ERR_MEMORY, "context: cannot allocate %zu bytes", sizeof *ctx);
        return NULL;
    }
    ctx->setup = SETUP_EMBEDDED.tables;
    ctx->roots = SETUP_EMBEDDED.roots;
    ctx->roots_brp = SETUP_EMBEDDED.roots_brp;
    ctx->owned = NULL;
    ctx->g2_lines = NULL;
    ctx->fk20 = NULL;
    ctx->threads = threads;
    ctx->pool = NULL;
    ctx->lagrange_table = NULL;
    ctx->metrics = NULL;
    ctx->cache = NULL;
    ctx->profile_info = NULL;
    ctx->profile_applied = false;
    memset(&ctx->msm_windows, 0, sizeof ctx->msm_windows);
    ctx->numa_policy = KZG_NUMA_AUTO;
    ctx->numa_plan_line = NULL;
    ctx->numa_why = "caller only: no worker to place";
    ctx->numa_note = NULL;
    ctx->numa_tables = NUMA_TABLES_SHARED;
    ctx->numa_copies = 0;
    return ctx;
}

void *setup_scratch_take(const kzg_ctx *ctx, size_t bytes) {
    (void)ctx;
    if (bytes <= SETUP_SCRATCH_BYTES && !atomic_flag_test_and_set_explicit(&g_scratch_busy, memory_order_acquire))
        return g_scratch;
    return kzg_malloc(bytes);
}

void setup_scratch_give(const kzg_ctx *ctx, void *p) {
    (void)ctx;
    if (p == (void *)g_scratch) atomic_flag_clear_explicit(&g_scratch_busy, memory_order_release);
    else kzg_free(p);
}

const void *setup_scratch_block(void) { return g_scratch; }

static kzg_status ctx_new_embedded(kzg_ctx **out, const kzg_ctx_options *options) {
    kzg_clear_error();
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_ctx_new: out is NULL");
    *out = NULL;
    uint32_t threads;
    kzg_status ret = ctx_options(&threads, options);
    if (ret != KZG_OK) return ret;
    *out = ctx_alloc(threads);
    return ctx_attach(out, *out ? KZG_OK : KZG_ERR_MEMORY, options);
}

static kzg_status ctx_from_bytes(kzg_ctx **out, const uint8_t *g1m, const uint8_t *g1l,
                                 const uint8_t *g2m, uint32_t threads) {
    setup_points *pts;
    kzg_ctx *ctx = ctx_alloc(threads); /* first: no allocation can fail after the decoding */
    if (!ctx) return KZG_ERR_MEMORY;
    kzg_status ret = setup_load(&pts, g1m, g1l, g2m);
    if (ret != KZG_OK) {
        kzg_free(ctx);
        return ret;
    }
    ctx->setup = (setup_tables){pts->g1_monomial, pts->g1_lagrange_brp, pts->g2_monomial};
    ctx->owned = pts;
    *out = ctx;
    return KZG_OK;
}

static kzg_status ctx_new_from_bytes(kzg_ctx **out, const uint8_t *g1_monomial, size_t g1_monomial_len,
                                  const uint8_t *g1_lagrange, size_t g1_lagrange_len,
                                  const uint8_t *g2_monomial, size_t g2_monomial_len,
                                  const kzg_ctx_options *options) {
    kzg_clear_error();
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_ctx_new_from_bytes: out is NULL");
    *out = NULL;
    if (!g1_monomial) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_ctx_new_from_bytes: g1_monomial is NULL");
    if (!g1_lagrange) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_ctx_new_from_bytes: g1_lagrange is NULL");
    if (!g2_monomial) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_ctx_new_from_bytes: g2_monomial is NULL");
    if (g1_monomial_len != (size_t)SETUP_N_G1 * 48)
        return kzg_fail(KZG_ERR_LENGTH, "g1_monomial: %zu bytes, expected %d (%d points of 48 bytes)",
                        g1_monomial_len, SETUP_N_G1 * 48, SETUP_N_G1);
    if (g1_lagrange_len != (size_t)SETUP_N_G1 * 48)
        return kzg_fail(KZG_ERR_LENGTH, "g1_lagrange: %zu bytes, expected %d (%d points of 48 bytes)",
                        g1_lagrange_len, SETUP_N_G1 * 48, SETUP_N_G1);
    if (g2_monomial_len != (size_t)SETUP_N_G2 * 96)
        return kzg_fail(KZG_ERR_LENGTH, "g2_monomial: %zu bytes, expected %d (%d points of 96 bytes)",
                        g2_monomial_len, SETUP_N_G2 * 96, SETUP_N_G2);
    uint32_t threads;
    kzg_status ret = ctx_options(&threads, options);
    if (ret != KZG_OK) return ret;
    return ctx_attach(out, ctx_from_bytes(out, g1_monomial, g1_lagrange, g2_monomial, threads), options);
}

/* Parses setup text (the loaders' formats) and builds the context from its points. */
static kzg_status ctx_from_text(kzg_ctx **out, const uint8_t *data, size_t len,
                                kzg_setup_format format, uint32_t threads) {
    kzg_status ret;
    const char *text = (const char *)data;
    setup_bytes *bytes = kzg_malloc(sizeof *bytes);
    if (!bytes) return kzg_fail(KZG_ERR_MEMORY, "setup: cannot allocate %zu bytes", sizeof *bytes);
    if (format == KZG_SETUP_TXT) ret = setup_parse_txt(bytes, text, len);
    else if (format == KZG_SETUP_JSON) ret = setup_parse_json(bytes, text, len);
    else ret = setup_parse_auto(bytes, text, len);
    if (ret == KZG_OK)
        ret = ctx_from_bytes(out, bytes->g1_monomial, bytes->g1_lagrange, bytes->g2_monomial, threads);
    kzg_free(bytes);
    return ret;
}

static bool format_known(kzg_setup_format format) {
    return format == KZG_SETUP_AUTO || format == KZG_SETUP_TXT || format == KZG_SETUP_JSON;
}

static kzg_status ctx_new_from_file(kzg_ctx **out, const char *path, kzg_setup_format format,
                                 const kzg_ctx_options *options) {
    kzg_status ret;
    uint8_t *text = NULL;
    size_t len = 0;
    uint32_t threads;

    kzg_clear_error();
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_ctx_new_from_file: out is NULL");
    *out = NULL;
    if (!path) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_ctx_new_from_file: path is NULL");
    if (!format_known(format))
        return kzg_fail(KZG_ERR_BAD_ARG, "kzg_ctx_new_from_file: unknown format %d", (int)format);
    if ((ret = ctx_options(&threads, options)) != KZG_OK) return ret;

    if ((ret = setup_read_file(&text, &len, path)) != KZG_OK) return ret;
    ret = ctx_attach(out, ctx_from_text(out, text, len, format, threads), options);
    kzg_free(text);
    return ret;
}

static kzg_status ctx_new_from_buffer(kzg_ctx **out, const uint8_t *data, size_t len,
                                      kzg_setup_format format, const kzg_ctx_options *options) {
    kzg_status ret;
    uint32_t threads;

    kzg_clear_error();
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_ctx_new_from_buffer: out is NULL");
    *out = NULL;
    if (!data && len) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_ctx_new_from_buffer: data is NULL");
    if (!format_known(format))
        return kzg_fail(KZG_ERR_BAD_ARG, "kzg_ctx_new_from_buffer: unknown format %d", (int)format);
    if ((ret = ctx_options(&threads, options)) != KZG_OK) return ret;
    return ctx_attach(out, ctx_from_text(out, data, len, format, threads), options);
}

void kzg_ctx_free(kzg_ctx *ctx) {
    if (!ctx) return;
    if (ctx->metrics && ctx->cache) metrics_detach_cache(ctx->metrics, ctx->cache);
    cache_free(ctx->cache);
    kzg_free(ctx->owned);
    if (ctx->g2_lines != &g_embedded_lines) kzg_free(ctx->g2_lines);
    setup_fk20_free(ctx->fk20);
    pool_free(ctx->pool);
    if (ctx->lagrange_table != &ctx->lagrange_embedded) msm_table_free(ctx->lagrange_table);
    kzg_free(ctx->profile_info);
    kzg_free(ctx->numa_plan_line);
    kzg_free(ctx);
}

uint32_t kzg_ctx_threads(const kzg_ctx *ctx) {
    if (!ctx) return 0;
    /* The threads the pool has: fewer than asked when the system refused to start some. */
    return ctx->pool ? pool_threads(ctx->pool) : 1;
}

uint32_t kzg_ctx_table_window(const kzg_ctx *ctx, bool *embedded) {
    bool e = ctx && ctx->lagrange_table == &ctx->lagrange_embedded;
    if (embedded) *embedded = e;
    return ctx && ctx->lagrange_table ? ctx->lagrange_table->c : 0;
}

kzg_status kzg_ctx_profile_info(const kzg_ctx *ctx, char *buf, size_t buf_len, bool *applied) {
    if (applied) *applied = false;
    if (buf && buf_len) buf[0] = '\0';
    if (!ctx || !buf || !applied) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_ctx_profile_info: NULL argument");
    if (buf_len == 0) return kzg_fail(KZG_ERR_LENGTH, "kzg_ctx_profile_info: buf_len is 0");
    snprintf(buf, buf_len, "%s", ctx->profile_info ? ctx->profile_info : "none");
    *applied = ctx->profile_applied;
    return KZG_OK;
}

kzg_status kzg_ctx_numa_info(const kzg_ctx *ctx, char *buf, size_t buf_len) {
    kzg_clear_error();
    if (buf && buf_len) buf[0] = '\0';
    if (!ctx || !buf) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_ctx_numa_info: NULL argument");
    if (buf_len == 0) return kzg_fail(KZG_ERR_LENGTH, "kzg_ctx_numa_info: buf_len is 0");
    static const char *const POLICY[3] = {"auto", "off", "on"};
    pool_placement pl;
    pool_placement_get(ctx->pool, &pl);
    char pins[160] = "";
    if (pl.wanted && pl.pinned == pl.wanted)
        snprintf(pins, sizeof pins, "; pinned %u of %u workers", pl.pinned, pl.wanted);
    else if (pl.wanted)
        snprintf(pins, sizeof pins, "; pinned %u of %u workers, the others unpinned (%s)", pl.pinned,
                 pl.wanted, pl.first_error == POOL_PIN_OUTSIDE
                     ? "their node has none of the CPUs this process may run on"
                     : strerror(pl.first_error));
    snprintf(buf, buf_len, "policy %s: %s%s%s%s%s%s", POLICY[ctx->numa_policy < 3 ? ctx->numa_policy : 0],
             ctx->numa_plan_line ? "" : "no placement (", ctx->numa_plan_line ? ctx->numa_plan_line : ctx->numa_why,
             ctx->numa_plan_line ? "" : ")", pins, ctx->numa_note ? "; topology: " : "",
             ctx->numa_note ? ctx->numa_note : "");
    return KZG_OK;
}

kzg_status kzg_profile_backend(const char *path, char *name, size_t name_len) {
    profile p;
    char cpu[PROFILE_TEXT_LEN];
    if (name && name_len) name[0] = '\0';
    if (!path || !name) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_profile_backend: NULL argument");
    if (name_len == 0) return kzg_fail(KZG_ERR_LENGTH, "kzg_profile_backend: name_len is 0");
    kzg_status ret = profile_load(&p, path);
    if (ret != KZG_OK) return ret;
    profile_cpu_model(cpu, sizeof cpu);
    /* The CPU model only: the backend is what this is about to choose. */
    if (strcmp(p.cpu, cpu) != 0 || !p.backend_pick[0]) return KZG_OK;
    size_t n = strlen(p.backend_pick);
    if (n >= name_len)
        return kzg_fail(KZG_ERR_LENGTH, "kzg_profile_backend: the name '%s' needs %zu bytes, name_len "
                        "is %zu", p.backend_pick, n + 1, name_len);
    memcpy(name, p.backend_pick, n + 1);
    return KZG_OK;
}

/* ---- public constructors: each records KZG_OP_CTX_NEW when the options carry metrics --- */

kzg_status kzg_ctx_new(kzg_ctx **out, const kzg_ctx_options *options) {
    uint64_t t0 = metrics_start(options_metrics(options));
    kzg_status ret = ctx_new_embedded(out, options);
    metrics_record(options_metrics(options), KZG_OP_CTX_NEW, ret, t0, 1);
    return ret;
}

kzg_status kzg_ctx_new_from_bytes(kzg_ctx **out, const uint8_t *g1_monomial, size_t g1_monomial_len,
                                  const uint8_t *g1_lagrange, size_t g1_lagrange_len,
                                  const uint8_t *g2_monomial, size_t g2_monomial_len,
                                  const kzg_ctx_options *options) {
    uint64_t t0 = metrics_start(options_metrics(options));
    kzg_status ret = ctx_new_from_bytes(out, g1_monomial, g1_monomial_len, g1_lagrange,
                                        g1_lagrange_len, g2_monomial, g2_monomial_len, options);
    metrics_record(options_metrics(options), KZG_OP_CTX_NEW, ret, t0, 1);
    return ret;
}

kzg_status kzg_ctx_new_from_file(kzg_ctx **out, const char *path, kzg_setup_format format,
                                 const kzg_ctx_options *options) {
    uint64_t t0 = metrics_start(options_metrics(options));
    kzg_status ret = ctx_new_from_file(out, path, format, options);
    metrics_record(options_metrics(options), KZG_OP_CTX_NEW, ret, t0, 1);
    return ret;
}

kzg_status kzg_ctx_new_from_buffer(kzg_ctx **out, const uint8_t *data, size_t len,
                                   kzg_setup_format format, const kzg_ctx_options *options) {
    uint64_t t0 = metrics_start(options_metrics(options));
    kzg_status ret = ctx_new_from_buffer(out, data, len, format, options);
    metrics_record(options_metrics(options), KZG_OP_CTX_NEW, ret, t0, 1);
    return ret;
}

kzg_status kzg_ctx_cache_stats(const kzg_ctx *ctx, kzg_cache_stats *out) {
    kzg_clear_error();
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_ctx_cache_stats: out is NULL");
    memset(out, 0, sizeof *out);
    if (!ctx) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_ctx_cache_stats: ctx is NULL");
    cache_stats(ctx->cache, out);
    return KZG_OK;
}
