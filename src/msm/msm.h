/*
 * msm/msm.h — variable-base multi-scalar multiplication in G1 (Pippenger, signed digits,
 * GLV, batch-affine buckets), and fixed-base tables for a point set used again and again.
 *
 * Owns: Σ scalars[i]·points[i] for public points and scalars — one MSM, or many small ones
 * at once (multi.c) — and every piece of the method: GLV and signed-digit recoding
 * (msm_recode.h), batch-affine buckets (msm_acc.h). Callers never recode scalars nor
 * accumulate buckets themselves.
 * Entry point: msm_run (engine.c, at the end of this header). Every MSM of the KZG layers —
 * commitments, proofs, batch and cell verification, FK20 — is one msm_request, and the
 * engine picks the method (fixed-base table, many MSMs at once, a GLV chain for one or two
 * points, Pippenger on one thread or over a runner) and allocates its scratch. The kernels
 * declared before it are the methods: exposed for the engine, the tests, tuning and setup
 * validation.
 * May call: field, curve, common (allocation). The kernels never allocate and never start
 * threads: the caller passes `scratch` of the documented size (aligned as malloc's memory
 * is); the parallel variants take a runner (a parallel-for, e.g. the context's pool) and
 * call it; they create nothing.
 *
 * Points must be in G1 (as every validated point is) or the point at infinity (x = y = 0).
 * Timing: variable time in the scalars and the points (_var); KZG inputs are public.
 */
#ifndef KZGKIT_MSM_MSM_H
#define KZGKIT_MSM_MSM_H

#include "curve/g1.h"
#include "field/fr.h"

/* A scalar as a plain little-endian integer (not Montgomery form), < r. Blob elements
 * decode straight into it, without a Montgomery conversion. */
typedef struct msm_scalar { uint64_t l[4]; } msm_scalar;

/* Size classes of a window profile: class k holds n in [2^k, 2^(k+1)). */
#define MSM_WINDOW_CLASSES 32

/* A window profile: c[k] is the Pippenger window for MSMs of n points in size class k
 * (2^k ≤ n < 2^(k+1)); 0, or anything outside 2..16, is the automatic choice. A plain
 * value owned by whoever chose it — a context holds the one its tuning profile measured
 * (docs/TUNING.md) — and passed to each MSM; NULL wherever one is taken means automatic
 * everywhere. A window is capped at one above the automatic choice for that n: the scratch
 * sizes below leave room for exactly that, so they do not depend on the profile. Results
 * never depend on the window. */
typedef struct msm_windows { uint8_t c[MSM_WINDOW_CLASSES]; } msm_windows;

/* The window width (bits) for n points (GLV halves: 2n scalars of 128 bits) under profile
 * w (NULL: automatic); exposed for tests and tuning. The cost model's choice (with the IFMA
 * backend its measured defaults), unless w sets one for n's size class. */
unsigned g1_msm_window_bits(size_t n, const msm_windows *w);

/* Bytes of scratch g1_msm_var needs for n points (0 for n = 0), under any window profile:
 * the size allows for every window a profile may give n. Monotonic in n, so scratch sized
 * for the largest n of several MSMs serves them all. */
size_t g1_msm_scratch_size(size_t n);

/* *out = Σ_{i<n} scalars[i]·points[i], with the window w gives n (NULL: automatic). Scalars
 * are Fr elements (Montgomery form, any value in [0, r)); points are affine and may be the
 * point at infinity (x = y = 0). n = 0 gives infinity. `scratch` must hold
 * g1_msm_scratch_size(n) bytes (may be NULL when n = 0). */
void g1_msm_var(g1_t *out, const g1_aff_t *points, const fr_t *scalars, size_t n,
                const msm_windows *w, void *scratch);

/* As g1_msm_var with plain-integer scalars; scratch of g1_msm_raw_scratch_size(n) bytes
 * (≤ g1_msm_scratch_size(n); the same rules). */
size_t g1_msm_raw_scratch_size(size_t n);
void g1_msm_raw_var(g1_t *out, const g1_aff_t *points, const msm_scalar *scalars, size_t n,
                    const msm_windows *w, void *scratch);

/* As g1_msm_raw_var with the window forced to c (2..16; others: the automatic choice), for
 * tuning and the benchmarks; scratch of g1_msm_window_scratch_size(n, c) bytes. */
size_t g1_msm_window_scratch_size(size_t n, unsigned c);
void g1_msm_window_var(g1_t *out, const g1_aff_t *points, const msm_scalar *scalars, size_t n,
                       unsigned c, void *scratch);

/* k MSMs at once on one thread: out[t] = Σ_{i<seg[t]} scalars[t][i]·points[t][i] (the rules
 * of g1_msm_raw_var for each), every MSM with the window of the largest (c, 2..16, or 0 for
 * the one w gives it) and its windows' buckets in the same accumulators: batches of
 * additions fill k times as fast and one batched bucket reduction serves all the MSMs, so
 * small MSMs pay fewer inversions (docs/PERFORMANCE.md §20). For MSMs of similar sizes (a
 * small one pays the large one's buckets). The points do not depend on the grouping: each
 * out[t] equals g1_msm_raw_var on segment t. Scratch: g1_msm_joint_scratch_size(seg, k, c)
 * bytes (c = 0: enough for any window a profile may give). */
size_t g1_msm_joint_scratch_size(const size_t *seg, size_t k, unsigned c);
void g1_msm_raw_joint_var(g1_t *out, const g1_aff_t *const *points, const msm_scalar *const *scalars,
                          const size_t *seg, size_t k, const msm_windows *w, unsigned c, void *scratch);

/* ---- parallel ------------------------------------------------------------------------ */

/* A task over indices [begin, end); `thread` < the runner's thread count names the caller's
 * per-thread scratch. Same shape as the runtime pool's pool_fn. */
typedef void (*msm_task_fn)(void *arg, size_t begin, size_t end, unsigned thread);
/* Runs fn over [0, n) in chunks of `grain`, on up to `threads` threads, and returns when all
 * are done (the runtime pool's pool_parallel_for, through a one-line adapter). */
typedef void (*msm_runner_fn)(void *runner, size_t n, size_t grain, msm_task_fn fn, void *arg);

/* Scratch for g1_msm_raw_par_var with n points on `threads` threads (threads ≥ 1), under
 * any window profile (as g1_msm_scratch_size). */
size_t g1_msm_par_scratch_size(size_t n, unsigned threads);
/* As g1_msm_raw_var, the windows spread over the runner's threads (up to one group of
 * consecutive windows per thread, each group's buckets on one thread; the windows are
 * combined afterwards in a fixed order, so the point does not depend on the thread count,
 * and its coordinates not on the schedule). threads = 1 or run = NULL: inline. */
void g1_msm_raw_par_var(g1_t *out, const g1_aff_t *points, const msm_scalar *scalars, size_t n,
                        const msm_windows *w, void *scratch, unsigned threads, msm_runner_fn run,
                        void *runner);

/* ---- fixed-base tables (table.c) ----------------------------------------------------- */

/* For a fixed array of n points P_i and a window c: entries[i·nwin + j] = 2^(c·j)·P_i
 * (affine), nwin = floor(255/c) + 1. An MSM over the P_i then needs no doublings and one
 * set of 2^(c-1) buckets: each scalar's signed digit j goes with entry (i, j). Memory:
 * n·nwin·96 bytes; build: 255 doublings per point plus a batch conversion to affine. */
typedef struct msm_table {
    unsigned c;
    size_t n, nwin;
    g1_aff_t *entries; /* [n·nwin], owned by whoever allocated it */
    /* Copies (msm_table_adopt_copies; the context's NUMA replication): with ncopies > 0,
     * copies[0..ncopies) are byte-identical blocks of the entries, each placed on one node
     * by whoever wrote it, entries = copies[0], and pool thread t < nthreads reads
     * copies[copy_of[t]] (msm_table_thread_entries); all owned by the table. ncopies = 0:
     * every thread reads entries. */
    unsigned ncopies, nthreads;
    g1_aff_t **copies;
    uint8_t *copy_of;
} msm_table;

#define MSM_TABLE_MIN_WINDOW 4
#define MSM_TABLE_MAX_WINDOW 16

/* Windows of a table of width c. */
size_t msm_table_windows(unsigned c);
/* Scratch for msm_table_build_range over `count` points (count ≥ 1). */
size_t msm_table_build_scratch_size(unsigned c, size_t count);
/* Fills the entries of points [begin, end) of t (t->c, t->n, t->nwin, t->entries set). */
void msm_table_build_range(msm_table *t, const g1_aff_t *points, size_t begin, size_t end,
                           void *scratch);

/* Bytes of the entries (one copy). */
static inline size_t msm_table_bytes(const msm_table *t) { return t->n * t->nwin * sizeof(g1_aff_t); }

/* The entries pool thread `thread` reads: its node's copy when the table has copies (a
 * thread beyond nthreads reads copies[0]), else the entries. */
static inline const g1_aff_t *msm_table_thread_entries(const msm_table *t, unsigned thread) {
    if (t->ncopies == 0) return t->entries;
    return t->copies[thread < t->nthreads ? t->copy_of[thread] : 0];
}

/* Hands the table `ncopies` (1..255) blocks of msm_table_bytes(t) bytes each, allocated with
 * kzg_malloc and already holding exactly the entries (written by whoever places them:
 * their first touch decides their node), with copy_of[0..nthreads) (kzg_malloc'ed; values
 * < ncopies) naming the copy of each pool thread. The table owns them from here on: its
 * entries are freed and become copies[0]; msm_table_free frees them all. A table that
 * already has copies must not be given others. */
void msm_table_adopt_copies(msm_table *t, g1_aff_t **copies, unsigned ncopies, uint8_t *copy_of,
                            unsigned nthreads);

/* Test hook (never set in production): when non-NULL, every task of a fixed-base MSM calls
 * it with the table, the entries it is about to read and the pool thread it runs on, so
 * that a test can check that each thread reads its node's copy. Set it only while no MSM
 * runs. */
typedef void (*msm_table_read_fn)(const msm_table *t, const g1_aff_t *entries, unsigned thread);
extern msm_table_read_fn msm_table_read_hook;

/* Scratch for msm_table_msm_var on `threads` threads. */
size_t msm_table_msm_scratch_size(const msm_table *t, unsigned threads);
/* *out = Σ scalars[i]·P_i over all t->n points. Parallel over the points when threads > 1
 * (one bucket set per thread, the per-thread sums added in thread-chunk order). Each task
 * reads the entries of the runner's thread that runs it; on one thread (threads ≤ 1),
 * those of pool thread `self` (the thread the caller itself is: 0 for the pool's caller). */
void msm_table_msm_var(g1_t *out, const msm_table *t, const msm_scalar *scalars, void *scratch,
                       unsigned threads, msm_runner_fn run, void *runner, unsigned self);

/* ---- many MSMs at once (multi.c) -----------------------------------------------------
 * k MSMs of m points each, out[j] = Σ_{i<m} scalars[j·m + i]·P_(j·m + i) for j < k, computed
 * together: the bucket additions of all k share one batch-affine accumulator (batches fill
 * and inversions amortise even when m is small, e.g. FK20's 128 MSMs of 64 points) and the
 * bucket reductions run batched over all of them. Single-threaded over the k given; a
 * caller with a pool hands each thread a chunk of MSMs and its own scratch. Results equal
 * those of the single-MSM functions. */

/* Shifted copies: with parts = 2, 4 or 8 the caller also passes, for each point P_i, the
 * points 2^(s·128/parts)·P_i for s = 1..parts-1 (shifted[s-1][i], same indices as points;
 * infinity where P_i is), and each GLV half (128 bits) is cut into `parts` pieces of
 * 128/parts bits, one per copy: the same bucket additions over fewer, narrower windows, so
 * fewer bucket reductions and doublings (FK20's fixed columns: ~19 % fewer field
 * multiplications with parts = 2). When the window divides the piece width the half is
 * recoded whole and its digits dealt to the pieces (no carry window per piece). parts = 1
 * (or any other value): no copies, shifted unused (may be NULL). */
#define MSM_MULTI_MAX_PARTS 8
/* The parts g1_msm_multi_var uses for `parts`: 2, 4 or 8 as given, anything else 1. */
unsigned g1_msm_multi_parts(unsigned parts);
/* The variable-base window for MSMs of m points (any k) cut into `parts`; exposed for tests
 * and tuning. */
unsigned g1_msm_multi_window_bits(size_t m, unsigned parts);
/* Scratch for g1_msm_multi_var with k MSMs of m points, `parts` and window c (0:
 * automatic); enough for any k' ≤ k as well. */
size_t g1_msm_multi_scratch_size(size_t k, size_t m, unsigned parts, unsigned c);
/* Variable base (GLV, signed digits, as g1_msm_raw_var): points[0..k·m) affine (infinity
 * allowed), with their shifted copies as above, scalars plain integers < r. c: window
 * 2..15 (narrower than any piece), anything else the automatic one. */
void g1_msm_multi_var(g1_t *out, const g1_aff_t *points, const g1_aff_t *const *shifted,
                      unsigned parts, const msm_scalar *scalars, size_t k, size_t m, unsigned c,
                      void *scratch);

/* Scratch for msm_table_multi_var with k MSMs over t. */
size_t msm_table_multi_scratch_size(const msm_table *t, size_t k);
/* Fixed base: MSM j over the table's points first + j·m + i (first + k·m ≤ t->n) with
 * scalars[j·m + i] (plain integers < r), reading the entries of pool thread `thread`
 * (msm_table_thread_entries). */
void msm_table_multi_var(g1_t *out, const msm_table *t, size_t first, const msm_scalar *scalars,
                         size_t k, size_t m, void *scratch, unsigned thread);

/* ---- table objects and their cache file (table_cache.c) --------------------------------
 * The one place of the msm layer that allocates and does I/O: a table is a long-lived object
 * of the context, not scratch. */

/* A new table of window c over points[0..n) (which must outlive it): loaded from
 * `cache_path` when that file holds exactly this table (same format version, window, point
 * count and SHA-256 of the points; its own SHA-256 intact; every entry on the curve and row 0
 * equal to the points), otherwise built — on `threads` threads through `run` — and, with a
 * cache_path, written there (atomically: a temporary file renamed; a failed write is not an
 * error). KZG_ERR_MEMORY, KZG_ERR_BAD_ARG (window). */
kzg_status msm_table_new(msm_table **out, const g1_aff_t *points, size_t n, unsigned c,
                         const char *cache_path, unsigned threads, msm_runner_fn run, void *runner);
void msm_table_free(msm_table *t); /* NULL allowed */

/* What msm_table_new did last on this thread (for tests and the docs' measurements). */
typedef enum { MSM_TABLE_BUILT = 0, MSM_TABLE_LOADED = 1, MSM_TABLE_REBUILT = 2 } msm_table_origin;
msm_table_origin msm_table_last_origin(void);

/* ---- the entry point (engine.c) ---------------------------------------------------------
 * out[j] = Σ_{i<m} s[j·m + i]·P_(j·m + i) for j < k: one MSM (k = 1) or k of m points each.
 * The points are points[0..k·m) (affine, infinity allowed), or with a table the table's
 * points first .. first + k·m. The scalars are plain integers < r (scalars) or, when scalars
 * is NULL, Fr elements in Montgomery form (fr_scalars). windows: the caller's window profile
 * (NULL: automatic). threads > 1 with a runner spreads the work over it (results do not
 * depend on it). The engine chooses: the table when one is given; the many-MSM path for
 * k > 1; one GLV chain for a single MSM of ≤ 2 points; else Pippenger, over the runner's
 * threads when there are several. KZG_OK, or KZG_ERR_MEMORY when its scratch (up to ~1 MB
 * per thread for 4096 points) cannot be allocated; out is then unspecified. */
typedef struct msm_request {
    size_t k, m;
    const g1_aff_t *points;
    /* Optional, for k > 1 without a table: shifted copies of the points (g1_msm_multi_var);
     * parts ≤ 1: none. */
    const g1_aff_t *const *shifted;
    unsigned parts;
    const msm_table *table;
    size_t first;
    const msm_scalar *scalars;
    const fr_t *fr_scalars;
    const msm_windows *windows;
    unsigned threads;
    msm_runner_fn run;
    void *runner;
    /* The pool thread the caller runs on (0: the pool's caller, or no pool): on one thread,
     * a table's copy of that thread's node is read (msm_table_thread_entries). */
    unsigned self;
} msm_request;

kzg_status msm_run(g1_t *out, const msm_request *rq);

/* out[i] = the sum of rqs[i], for `count` independent single MSMs (each k = 1, no table;
 * their own threads, run, runner and self are not used), over `threads` threads of `run`:
 * the concatenation of all their points is cut into one contiguous run per thread, of
 * equal size, and each thread sums its pieces of the MSMs on one thread (at most
 * count + threads - 1 pieces in all); the pieces are added up at the end. For the two
 * MSMs ahead of a batch verification's pairing, which are too small to gain much from
 * splitting each one's windows: 64 + 129 points on two threads take ~0.9 ms against ~1.1
 * one after the other (docs/PERFORMANCE.md §17). Fewer than MSM_MANY_MIN points a thread:
 * fewer threads. On one thread, MSMs of similar sizes (the largest at most four times the
 * smallest, each over more than two points) run together through g1_msm_raw_joint_var
 * (§20), others one after the other. Same results as msm_run on each; KZG_OK or
 * KZG_ERR_MEMORY (out is then unspecified). */
#define MSM_MANY_MIN 32
kzg_status msm_run_many(g1_t *out, const msm_request *rqs, size_t count, unsigned threads,
                        msm_runner_fn run, void *runner);

#endif
