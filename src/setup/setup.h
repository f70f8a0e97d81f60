/*
 * setup/setup.h — the trusted setup and the context that owns it.
 *
 * Owns: struct kzg_ctx; the embedded mainnet setup (generated at build time by
 * tools/gen_setup from data/trusted_setup.json); the loaders for untrusted setups
 * (c-kzg-4844 text, JSON, raw bytes) and their validation; the tables derived from a
 * setup: the FK20 columns and fixed-base table of EIP-7594's cell proofs (the mainnet
 * setup's columns embedded as well).
 * May call: field, curve, pairing, msm, poly, common; runtime/pool.h for the context's pool
 * (threads > 1), which drives the parallel MSMs and batches above.
 *
 * Orders: g1_monomial[i] = τ^i·G1 and g2_monomial[i] = τ^i·G2; g1_lagrange_brp is
 * bit_reversal_permutation(KZG_SETUP_G1_LAGRANGE), i.e. entry i is L_{brp(i)}(τ)·G1, the
 * Lagrange basis over roots_brp[i]. The files (and kzg_ctx_new_from_bytes) carry
 * KZG_SETUP_G1_LAGRANGE in natural order, as in c-kzg-4844 and the consensus specs; the
 * loaders permute it once.
 */
#ifndef KZGKIT_SETUP_SETUP_H
#define KZGKIT_SETUP_SETUP_H

#include <stdatomic.h>

#include "common/common.h"
#include "curve/g1.h"
#include "curve/g2.h"
#include "field/fr.h"
#include "msm/msm.h"
#include "runtime/cache.h"
#include "runtime/metrics.h"
#include "runtime/pool.h"

#define SETUP_N_G1 4096
#define SETUP_N_G2 65
#define SETUP_LOG2_N_G1 12

/* Borrowed views of the three point arrays (affine, Montgomery limbs, validated). */
typedef struct setup_tables {
    const g1_aff_t *g1_monomial;     /* [SETUP_N_G1] */
    const g1_aff_t *g1_lagrange_brp; /* [SETUP_N_G1] */
    const g2_aff_t *g2_monomial;     /* [SETUP_N_G2] */
} setup_tables;

/* What the build-time generator emits (generated/embedded_setup.c): the mainnet points and
 * the domain of 4096 roots of unity, which does not depend on the setup. */
typedef struct setup_embedded {
    setup_tables tables;
    const fr_t *roots;     /* [SETUP_N_G1] ω^i, natural order, ω = 7^((r-1)/4096) */
    const fr_t *roots_brp; /* [SETUP_N_G1] bit_reversal_permutation(roots) */
    const uint64_t *fold_w52; /* The blob evaluation's multipliers on its IFMA path
                                 (eip4844/eval.c), 511 blocks of 40 words, 64-byte aligned:
                                 level L = 0..8, slots a = 0, 2^L, 2·2^L, ... < 256 in that
                                 order, word (b·5 + k)·8 + l of block b = limb k (52 bits)
                                 of ω^((8·brp8(a) + l)·2^L)·2^4, Montgomery form */
} setup_embedded;

extern const setup_embedded SETUP_EMBEDDED;

/* The embedded setup's fixed-base commitment table: msm_table entries of window
 * SETUP_EMBEDDED_TABLE_WINDOW over SETUP_EMBEDDED.tables.g1_lagrange_brp (4096·20 affine
 * points, 7.5 MiB), written by the build-time generator and assembled into the library's
 * read-only data (generated/embedded_msm_table.S) when KZGKIT_EMBED_MSM_TABLE is on; NULL in
 * a build without it. Read-only and file-backed: shared by every context and process, and
 * mapped in by the first commitment (setup_embedded_msm_table_populate). */
#define SETUP_EMBEDDED_TABLE_WINDOW 13u
const g1_aff_t *setup_embedded_msm_table(void);
/* Bytes of that table as assembled (0 without it): the tests compare it with the layout. */
size_t setup_embedded_msm_table_bytes(void);
/* Maps the pages of a compiled-in table in one system call (MADV_POPULATE_READ, Linux 5.14
 * and later), the first time an operation of the process reads it, instead of a page fault
 * per 64 KiB as the MSM first reaches each part: the first commitment in a process paid
 * ~250 faults (docs/PERFORMANCE.md §20). Once per process each (a later call is one atomic
 * load); a no-op where the kernel or the platform lacks it (the pages then fault in as
 * before). The commitment table (nothing without one) and SETUP_FK20_EMBEDDED. */
void setup_embedded_msm_table_populate(void);
void setup_fk20_embedded_populate(void);

/* A loaded setup: the one block a context from a file or bytes owns. */
typedef struct setup_points {
    g1_aff_t g1_monomial[SETUP_N_G1];
    g1_aff_t g1_lagrange_brp[SETUP_N_G1];
    g2_aff_t g2_monomial[SETUP_N_G2];
} setup_points;

struct kzg_ctx {
    setup_tables setup;
    const fr_t *roots;      /* = SETUP_EMBEDDED.roots */
    const fr_t *roots_brp;  /* = SETUP_EMBEDDED.roots_brp */
    setup_points *owned;    /* the loaded points, freed with the context; NULL if embedded */
    struct setup_g2_lines *_Atomic g2_lines; /* prepared pairing lines (setup_pairing2_is_one),
                                                built on first use, freed with the context */
    const struct setup_fk20 *_Atomic fk20; /* FK20 tables (setup_fk20_get): the embedded
                                              block or one built on first use or at creation
                                              (options.eip7594_table_bits), freed with the
                                              context by setup_fk20_free */
    uint32_t threads;
    pool_t *pool;              /* threads - 1 workers, owned; NULL when threads ≤ 1 */
    msm_table *lagrange_table; /* fixed-base tables over g1_lagrange_brp: owned, or
                                  &lagrange_embedded; NULL if none */
    msm_table lagrange_embedded; /* the embedded table's view (setup_embedded_msm_table)
                                    when the context's Lagrange points are mainnet's:
                                    borrowed entries, never copied nor freed */
    metrics_t *metrics;        /* borrowed from the options; NULL: operations record nothing */
    cache_t *cache;            /* result cache (options.cache_bytes), owned; NULL: none */
    char *profile_info;        /* kzg_ctx_profile_info's line, owned; NULL: no profile */
    bool profile_applied;
    msm_windows msm_windows;   /* the profile's MSM windows (all 0: automatic); every MSM
                                  of this context passes them, no other context sees them */
    /* NUMA placement (options.numa): the plan's line when the pool was placed (owned), else
     * NULL and numa_why the static reason; numa_note the topology reader's error when it
     * failed (process-lifetime text, runtime/numa.h), else NULL. */
    uint32_t numa_policy;
    char *numa_plan_line;
    const char *numa_why;
    const char *numa_note;
    /* What setup_place_tables applied to the large tables (SHARED: nothing, or a fallback
     * whose reason is in numa_plan_line); with REPLICATE, numa_copies copies, the one of
     * node k written first by pool thread numa_copy_writer[k] on CPU numa_copy_cpu[k]
     * (-1: unknown) — for the tests and the docs. */
    numa_tables numa_tables;
    unsigned numa_copies;
    uint8_t numa_copy_writer[NUMA_MAX_NODES];
    int16_t numa_copy_cpu[NUMA_MAX_NODES];
};

/* The process's call scratch: the per-blob EIP-7594 operations (cells, recovery) need
 * 768–896 KiB of scratch and the EIP-4844 ones a blob's 128 KiB of scalars, at or above
 * glibc's mmap threshold, so a process's first such call would map fresh pages and pay
 * their faults (compute_cells: 195 faults, ~0.4 ms of a 1.5 ms call; verify_blob_kzg_proof:
 * 36 of its 40; docs/PERFORMANCE.md §6.3) where later calls reuse the heap. One static
 * block of SETUP_SCRATCH_BYTES (.bss: no allocator, nothing to free) is written by the
 * first context's constructor, once per process, so that later contexts cost nothing more
 * (a block per context made kzg_ctx_new 200–400× slower: 90 ns → 20–40 µs); a call on any
 * context takes it when it is free and big enough, else it allocates as before (a
 * concurrent call, a larger request). */
#define SETUP_SCRATCH_BYTES ((size_t)1 << 20)
/* bytes of scratch, 64-byte aligned, not zeroed: the block when it is free and bytes ≤
 * SETUP_SCRATCH_BYTES, else kzg_malloc(bytes). NULL only when that allocation fails. Give
 * it back with setup_scratch_give. ctx: the context of the call (for a later per-context
 * policy; unused now). */
void *setup_scratch_take(const kzg_ctx *ctx, size_t bytes);
/* Returns what setup_scratch_take gave (NULL: nothing). */
void setup_scratch_give(const kzg_ctx *ctx, void *p);
/* The block's address (tests: which memory a take lent). */
const void *setup_scratch_block(void);

/* true iff e(p[0], [τ^ka]G2)·e(p[1], [τ^kb]G2) = 1, for ka, kb in {0, 1, 64} (the G2
 * points of every KZG verification: the generator, [τ]G2 and [τ^64]G2 for cells). Pairs
 * with the context's prepared Miller-loop lines of those three points, built on the first
 * call (~0.15 ms, 59 KiB; racing threads: the first to publish wins) — no G2 arithmetic
 * per verification; if that block cannot be allocated, pairs with the points instead
 * (same answer, slower). Negate a P to pair with −Q. */
bool setup_pairing2_is_one(const kzg_ctx *ctx, const g1_aff_t p[2], unsigned ka, unsigned kb);

/* Places the context's large fixed-base tables (the Lagrange table, the FK20 table: those
 * it has) as plan->tables says (setup/place.c): REPLICATE — a copy per node of the plan,
 * each written first by a pool thread of that node, read by that node's threads;
 * INTERLEAVE — the pages spread over the nodes (mbind). Called once by the constructor,
 * after the tables exist and before the context is returned. Never fails: a copy that
 * cannot be allocated, a busy pool or a refused mbind leave the tables shared as built.
 * `note` receives what was done or why not: "replicated on 2 nodes (2 copies, 12.0 MiB
 * each)", "interleaved over nodes 0,1", "shared (interleaving over nodes 0,1 refused:
 * mbind: Invalid argument)", "none" (no large table). */
void setup_place_tables(kzg_ctx *ctx, const numa_plan *plan, char *note, size_t note_len);

/* The context's metrics for the operations' recording (NULL-safe on ctx). */
static inline metrics_t *ctx_metrics(const kzg_ctx *ctx) { return ctx ? ctx->metrics : NULL; }

/* The context's pool as an MSM runner (msm_runner_fn; pool may be NULL: inline). */
void setup_run_on_pool(void *pool, size_t n, size_t grain, msm_task_fn fn, void *arg);

/* Compressed setup bytes as the files carry them (Lagrange in natural order). */
typedef struct setup_bytes {
    uint8_t g1_monomial[SETUP_N_G1 * 48];
    uint8_t g1_lagrange[SETUP_N_G1 * 48];
    uint8_t g2_monomial[SETUP_N_G2 * 96];
} setup_bytes;

/* Largest setup file the loaders read (the real ones are about 0.8 MiB). */
#define SETUP_MAX_FILE_BYTES ((size_t)32 << 20)

/* Reads a whole file into a kzg_malloc'ed buffer (KZG_ERR_IO, KZG_ERR_LENGTH, KZG_ERR_MEMORY). */
kzg_status setup_read_file(uint8_t **data, size_t *len, const char *path);

/* Parsers for untrusted text. Counts are checked against SETUP_N_G1/SETUP_N_G2 while
 * parsing, so no input can make them allocate or run long. Statuses: KZG_ERR_LENGTH for a
 * wrong count or a file that ends early, KZG_ERR_SETUP for anything else malformed; the
 * detail names the array, the index and the line. */
kzg_status setup_parse_txt(setup_bytes *out, const char *text, size_t len);
kzg_status setup_parse_json(setup_bytes *out, const char *text, size_t len);
/* Picks the parser from the first non-blank character ('{' JSON, a digit text). */
kzg_status setup_parse_auto(setup_bytes *out, const char *text, size_t len);

/* Decodes every point (ZCash encoding, on curve, in subgroup; the status of the failing
 * check, the detail naming array and index) into `out`, bit-reversing the Lagrange basis. */
kzg_status setup_decode(setup_points *out, const uint8_t *g1_monomial, const uint8_t *g1_lagrange,
                        const uint8_t *g2_monomial);

/* Checks that decoded points form a KZG setup (KZG_ERR_SETUP with a detail otherwise):
 * the generators at index 0, τ ≠ 0, both monomial bases powers of the same τ, and the
 * Lagrange basis the monomial one's transform. Random linear combinations with
 * coefficients derived from `seed` (the SHA-256 of the encoded setup), checked by MSMs and
 * two-pairing products. */
kzg_status setup_validate(const setup_tables *t, const uint8_t seed[32], void *scratch);
/* Bytes of scratch setup_validate needs (aligned as malloc's memory is). */
size_t setup_validate_scratch_size(void);

/* SHA-256 of the three encoded arrays, the seed of setup_validate. */
kzg_status setup_hash_bytes(uint8_t out[32], const uint8_t *g1_monomial,
                            const uint8_t *g1_lagrange, const uint8_t *g2_monomial);

/* Decode + validate in one step into a new kzg_malloc'ed block (freed with kzg_free). */
kzg_status setup_load(setup_points **out, const uint8_t *g1_monomial, const uint8_t *g1_lagrange,
                      const uint8_t *g2_monomial);

/* ---- FK20 tables (setup/fk20.c, setup/fk20_columns.c) --------------------------------
 * What EIP-7594's cell proofs (eip7594/fk20.c) derive from the monomial setup. The setup
 * layer owns them because they are the setup's derived tables: the embedded mainnet setup
 * carries its columns (generated at build time), and kzg_ctx_options asks for the larger
 * fixed-base table at context creation. */
#define SETUP_FK20_COLS 64                                     /* field elements per cell */
#define SETUP_FK20_FREQS 128                                   /* cells per extended blob */
#define SETUP_FK20_POINTS (SETUP_FK20_COLS * SETUP_FK20_FREQS) /* 8192 */
/* FK20's variable-base MSMs cut each GLV half into this many 16-bit pieces, over shifted
 * copies of the columns (below; msm/msm.h, g1_msm_multi_var). */
#define SETUP_FK20_PARTS 8
#define SETUP_FK20_MIN_TABLE_BITS 4
#define SETUP_FK20_MAX_TABLE_BITS 10

/* The FK20 tables of one context:
 *  - xfft[j·64 + t] = (FFT_128 of column t)[j], the Toeplitz columns
 *      Q_t[m] = [τ^(64·(62-m) + t)]G1 for m ≤ 62, infinity for 63 ≤ m < 128,
 *    transformed over the 128th roots of unity; affine, grouped by j so that the 64 points
 *    of one frequency are contiguous for an MSM;
 *  - with table_bits = c > 0, `fixed`: the fixed-base msm_table of those points (n = 8192,
 *    entries[p·W + w] = 2^(c·w)·xfft[p] for w < W = floor(255/c) + 1; 8192·W·96 bytes:
 *    25 MB for c = 8), over which FK20 runs msm_table_multi_var; NULL for c = 0;
 *  - with c = 0, `shifted[s-1][p]` = 2^(16·s)·xfft[p] for s = 1..7 (7 × 768 KiB), over
 *    which FK20's variable-base MSMs cut the GLV halves into 16-bit pieces (an eighth each;
 *    with 8-bit windows two windows a piece and a carry: docs/PERFORMANCE.md §16, §19); not
 *    filled when there is a table (which does not use them).
 * SETUP_FK20_EMBEDDED (c = 0) is the mainnet setup's, compiled in; the others are built
 * once per context and freed with it (setup_fk20_free). */
typedef struct setup_fk20 {
    unsigned table_bits;
    msm_table *fixed;
    g1_aff_t xfft[SETUP_FK20_POINTS];
    g1_aff_t shifted[SETUP_FK20_PARTS - 1][SETUP_FK20_POINTS];
} setup_fk20;

extern const setup_fk20 SETUP_FK20_EMBEDDED;

/* The transformed columns of a monomial setup into xfft (the one implementation, shared
 * by the context and the build-time generator). 64 G1 FFTs of size 128 (64·321 scalar
 * multiplications by roots of unity, ~1 s on one core) spread over `threads` threads by
 * `run` (threads ≤ 1 or run = NULL: inline), then one batch conversion to affine. Allocates
 * its scratch (~1.3 MiB): KZG_ERR_MEMORY. */
kzg_status setup_fk20_columns(g1_aff_t xfft[SETUP_FK20_POINTS], const g1_aff_t *g1_monomial,
                              unsigned threads, msm_runner_fn run, void *runner);
/* shifted[s-1][p] = 2^(16·s)·xfft[p] for s = 1..SETUP_FK20_PARTS-1: 112 doublings per point
 * (~0.2 s on one core), spread as setup_fk20_columns, then one batch conversion to affine.
 * Allocates its scratch (~11 MiB): KZG_ERR_MEMORY. */
kzg_status setup_fk20_shifted(g1_aff_t shifted[SETUP_FK20_PARTS - 1][SETUP_FK20_POINTS],
                              const g1_aff_t xfft[SETUP_FK20_POINTS], unsigned threads,
                              msm_runner_fn run, void *runner);

/* The context's FK20 tables, made once and published with a compare-and-swap on ctx->fk20
 * (racing threads: the first to publish wins, the other frees its copy). When none exist
 * yet they are made with `table_bits` (0 or SETUP_FK20_MIN_TABLE_BITS..MAX, checked by the
 * caller): for table_bits 0 on the mainnet setup (embedded, or loaded with the same monomial
 * points) the embedded block, with no work; otherwise a new block whose columns are copied
 * from the embedded ones (mainnet) or computed, plus the fixed-base table, loaded from
 * `cache_path` when that file holds it (msm_table_new; NULL: built). Returns the published
 * block, whatever its table_bits: the caller compares. */
kzg_status setup_fk20_get(const setup_fk20 **out, const kzg_ctx *ctx, unsigned table_bits,
                          const char *cache_path);

/* Frees a block setup_fk20_get made (NULL and the embedded block: nothing). */
void setup_fk20_free(const setup_fk20 *p);

#endif
