/*
 * msm/multi.c — many small MSMs at once (see msm/msm.h): k MSMs of m points each, whose
 * bucket additions all go through one batch-affine accumulator (msm/acc.c).
 *
 * Why: one MSM of 64 points has too few additions per window to fill a batch, so each
 * inversion is shared by a handful of additions and the vector kernel (IFMA, eight
 * additions at a time) rarely applies. Here the buckets of every MSM are distinct buckets
 * of one accumulator, numbered (window, msm, digit), and the additions of different MSMs
 * are interleaved: batches fill, an inversion is shared by up to MULTI_MAX_BATCH additions,
 * and the bucket reduction runs over all (msm, window) pairs at once (acc_reduce_batched).
 *
 * Variable base (g1_msm_multi_var): the method of msm.c — GLV split, signed digits of the
 * two 128-bit halves (msm_recode.h) — with the digits of every point recoded once and kept
 * window-major, then one accumulator pass per group of windows (enough windows that the
 * pass has MULTI_GROUP_BUCKETS buckets), then per MSM the windows combined top-down with c
 * doublings between them. The top window is an ordinary window here (its few buckets
 * times k MSMs fill batches), not msm.c's Jacobian special case.
 *
 * Fixed base (msm_table_multi_var): the method of table.c — signed digits of the 255-bit
 * scalars over entries 2^(c·w)·P_i, no doublings — with one bucket set per MSM in one
 * accumulator and one batched reduction of the k bucket sets. The MSMs are taken
 * MULTI_GROUP_BUCKETS / 2^(c-1) at a time, their points interleaved (the table rows are
 * read whole, 96·nwin bytes each, and the live buckets stay in L2). Measured on FK20's
 * 128 MSMs over its 8192-point table with these constants (one thread, min of 8 runs,
 * thread CPU time): 2048 live buckets and batches of 256: 61.3 ms, 4096/512 59.7,
 * 8192/1024 58.5, all buckets/1024 59.9 (IFMA, c = 8).
 *
 * Both are single-threaded over the range they are given; a caller with a pool splits the
 * k MSMs into chunks, one scratch per thread (eip7594/fk20.c does).
 */
#include "msm/msm.h"

#include "backend/backend.h"
#include "msm/msm_acc.h"
#include "msm/msm_recode.h"

/* Buckets one accumulator pass should hold at least (group windows until it does), and the
 * largest batch. Measured on FK20's 128 MSMs of 64 points (c = 6, one thread, thread CPU
 * time, min of 12 interleaved runs, IFMA): 2048 buckets and batches of 256 (acc_batch_for)
 * 77.8 ms, 4096/512 75.0, 8192/1024 73.8, 16384/1024 76.8, 32768/2048 83.7 (128 separate
 * g1_msm_raw_var: 101.3 ms); mulx/adx: 149.4, 149.7, 148.9, 149.1 (separate 159.4). Larger
 * batches share an inversion (~75M) among more additions (with IFMA an addition costs ~2M);
 * more buckets than ~8192 (800 KB) fall out of L2. */
#define MULTI_GROUP_BUCKETS 8192
#define MULTI_MAX_BATCH 1024
/* When the points of the k MSMs (with their shifted copies and φ x-coordinates) exceed
 * this, the MSMs are taken in chunks whose buckets of every window fit one accumulator pass
 * (MULTI_GROUP_BUCKETS), so that each chunk's points are read from L2 once per window
 * instead of all of them from memory: FK20 with parts = 4 (4.7 MB of points and φ's)
 * measured 51.8 → 49.2 ms with IFMA and 109.9 → 101.5 ms with mulx/adx for chunks of 24
 * MSMs (parts = 1, 1.2 MB: chunks of 12 were 5 % slower than none). */
#define MULTI_CHUNK_BYTES ((size_t)2 << 20)
/* ... and a chunk's points (with their copies and φ's) at most this: with 8 parts and
 * 2 windows the bucket rule alone gives chunks of 32 MSMs (2.4 MB of points); capped here
 * at 14 (1 MB). Measured on FK20's MSMs (mulx/adx, mean of 8 alternated runs, each the
 * best of 8): chunks of 16 78.8 ms, 21 80.3, 32 81.0; IFMA within noise. */
#define MULTI_CHUNK_POINTS ((size_t)1 << 20)
/* Largest variable-base window: digits are kept as int16_t, |d| ≤ 2^(c-1). */
#define MULTI_MAX_WINDOW 15
/* The accumulation pass prefetches the buckets and points of the MSM this many ahead (the
 * next additions' first touches were the largest stall: perf put ~4 % of FK20 in fp_eq,
 * acc_process's first read of a bucket). Measured (paired, cells+proofs, one thread): 2 gave
 * -2.4 % IFMA and -1.4 % mulx/adx; 4 no better than 2. */
#define MULTI_AHEAD 2

/* ---- variable base ------------------------------------------------------------------- */

/* The width of the pieces each GLV half is cut into: 128 bits for parts = 1, 64 for 2, 32
 * for 4, 16 for 8. */
static unsigned multi_piece_bits(unsigned parts) { return MSM_HALF_BITS / parts; }

/* Whole-half digits (c divides the piece width, see below): bits/c windows. */
static bool multi_whole(unsigned bits, unsigned c) { return bits % c == 0; }

/* Windows over a piece of `bits` bits: bits/c with whole-half digits (a magnitude of at
 * most 2^127 never carries out: msm_recode.h); else floor(bits/c) + 1, the top one taking
 * the piece's carry. */
static size_t multi_windows(unsigned bits, unsigned c) { return multi_whole(bits, c) ? bits / c : bits / c + 1; }

/* Whole-half digits (c divides the piece width): each GLV half's magnitude is recoded
 * once, over 128/c windows (no carry out: msm_recode.h), and digit w goes to piece
 * w / (bits/c) at window w mod (bits/c). So no piece carries into a window of its own, as
 * the cut pieces' separate recodings do (one extra digit per piece, in half of them).
 * With c not dividing the width, each piece is recoded separately. */

/* The largest digit of the top window: msm_glv_top_max for a whole GLV half; a full window
 * with whole-half digits; a separately recoded piece is any value below 2^bits. */
static size_t multi_top_max(unsigned parts, unsigned c) {
    if (parts == 1) return msm_glv_top_max(c);
    unsigned bits = multi_piece_bits(parts), shift = c * (unsigned)(multi_windows(bits, c) - 1);
    if (multi_whole(bits, c)) return (size_t)1 << (c - 1);
    /* the top window's bits hold at most 2^(bits − shift) − 1, plus a carry of 1 */
    size_t nb = (size_t)1 << (c - 1), top = (size_t)1 << (bits - shift);
    return top < nb ? top : nb;
}

/* The window for k MSMs of m points whose GLV halves are cut into `parts` pieces: minimises
 * the cost per MSM, in batch-affine additions,
 *   nwin·(2·parts·m·(1 - 2^-c) + 1.5·nb + 2·A) - 1.5·(nb - top) + (nwin - 1)·(c·D + A)
 * (the bucket additions of the 2·parts·m pieces; the batched reduction, two affine additions
 * per bucket but without collisions or bucket look-ups, ~1.5 of the others as in msm.c's
 * model, with a couple of Jacobian additions per (msm, window); the top window's top
 * buckets; the combination, c Jacobian doublings and one addition per window). The
 * Jacobian costs in affine additions: scalar backends D ≈ 1.1, A ≈ 2.7 (7M and 16M against
 * ~6M); with IFMA batches an affine addition costs about a third, so D ≈ 3.3, A ≈ 8. It
 * does not depend on k (every k fills batches). m = 64: c = 6 on every backend for
 * parts = 1 (the measured optimum: c = 5 is 2-5 % slower, c = 7 more) and parts = 2, c = 7
 * for parts = 4 (measured: c = 6 +11 % IFMA / +12 % mulx, c = 8 +18 % / +5 %). */
static unsigned multi_window_auto(size_t m, unsigned parts) {
    const bool v8 = backend_select()->batch_ifma;
    const double D = v8 ? 3.3 : 1.1, A = v8 ? 8.0 : 2.7;
    const unsigned bits = multi_piece_bits(parts);
    unsigned best = 2;
    double best_cost = 0;
    for (unsigned c = 2; c <= MULTI_MAX_WINDOW; c++) { /* MULTI_MAX_WINDOW < 32 ≤ bits */
        double nwin = (double)multi_windows(bits, c), nb = (double)((size_t)1 << (c - 1));
        double top = (double)multi_top_max(parts, c);
        double adds = 2.0 * (double)parts * (double)m * (1.0 - 1.0 / (double)((size_t)1 << c));
        double cost = nwin * (adds + 1.5 * nb + 2.0 * A) - 1.5 * (nb - top) + (nwin - 1) * ((double)c * D + A);
        if (c == 2 || cost < best_cost) {
            best = c;
            best_cost = cost;
        }
    }
    return best;
}

static unsigned multi_parts(unsigned parts) { return parts == 2 || parts == 4 || parts == 8 ? parts : 1; }

unsigned g1_msm_multi_parts(unsigned parts) { return multi_parts(parts); }

unsigned g1_msm_multi_window_bits(size_t m, unsigned parts) {
    return multi_window_auto(m, multi_parts(parts));
}

/* An eighth of the buckets (few deferred additions), at most MULTI_MAX_BATCH. */
static size_t multi_batch_for(size_t nb) {
    size_t cap = nb / 8;
    if (cap < 16) cap = 16;
    return cap < MULTI_MAX_BATCH ? cap : MULTI_MAX_BATCH;
}

typedef struct multi_plan {
    unsigned c, parts, bits; /* window; pieces per GLV half and their width */
    bool whole;              /* whole-half digits (multi_whole) */
    size_t k, m, n;  /* MSMs, points per MSM, k·m */
    size_t nwin, nb; /* windows, buckets per (msm, window) */
    size_t np;       /* pieces per point: 2·parts */
    size_t group;    /* windows per accumulator pass */
    size_t cap;      /* batch size */
    /* scratch offsets */
    size_t half, phi, dig, win, tmp, acc, red, total;
} multi_plan;

static void multi_plan_for(multi_plan *p, size_t k, size_t m, unsigned parts, unsigned c) {
    p->parts = multi_parts(parts);
    p->bits = multi_piece_bits(p->parts);
    p->c = c >= 2 && c <= MULTI_MAX_WINDOW ? c : multi_window_auto(m, p->parts); /* < 32 ≤ bits */
    p->k = k;
    p->m = m;
    p->n = k * m;
    p->np = 2 * (size_t)p->parts;
    p->nwin = multi_windows(p->bits, p->c);
    p->whole = multi_whole(p->bits, p->c);
    p->nb = (size_t)1 << (p->c - 1);
    p->group = (MULTI_GROUP_BUCKETS + k * p->nb - 1) / (k * p->nb);
    if (p->group > p->nwin) p->group = p->nwin;
    p->cap = multi_batch_for(p->group * k * p->nb);
    p->half = 0;
    p->phi = p->half + msm_align64(p->n * sizeof(msm_half));
    p->dig = p->phi + msm_align64(p->parts * p->n * sizeof(fp_t));
    p->win = p->dig + msm_align64(p->nwin * p->np * p->n * sizeof(int16_t));
    p->tmp = p->win + msm_align64(k * p->nwin * sizeof(g1_t));
    p->acc = p->tmp + msm_align64(p->group * k * sizeof(g1_t));
    p->red = p->acc + acc_scratch_size(p->group * k * p->nb, p->cap);
    size_t red = 0; /* the last pass may have fewer windows */
    for (size_t g = 1; g <= p->group; g++) {
        size_t r = acc_reduce_batched_scratch_size(g * k, p->nb);
        if (r > red) red = r;
    }
    p->total = p->red + red;
}

/* Monotonic in k by construction (the maximum over every k' ≤ k), so that scratch sized
 * for the largest chunk serves every smaller one. */
size_t g1_msm_multi_scratch_size(size_t k, size_t m, unsigned parts, unsigned c) {
    size_t total = 0;
    if (m == 0) return 0;
    for (size_t kk = 1; kk <= k; kk++) {
        multi_plan p;
        multi_plan_for(&p, kk, m, parts, c);
        if (p.total > total) total = p.total;
    }
    return total;
}

/* Piece `part` (of `parts`, each `bits` wide) of a 128-bit GLV half, as a two-limb integer. */
static inline void multi_piece(uint64_t out[2], const uint64_t v[2], unsigned part, unsigned bits) {
    if (bits == 128) {
        out[0] = v[0], out[1] = v[1];
    } else if (bits == 64) {
        out[0] = v[part], out[1] = 0;
    } else { /* 32 or 16 */
        unsigned per = 64 / bits;
        out[0] = (v[part / per] >> (bits * (part % per))) & (((uint64_t)1 << bits) - 1), out[1] = 0;
    }
}

/* Cost (field multiplications, M; an inversion ~75M shared by a batch of up to 1024), per
 * MSM of m points whose GLV halves are cut into `parts` pieces of b = 128/parts bits, with
 * window c, nwin = floor(b/c) + 1, nb = 2^(c-1):
 *   GLV:         m·parts (β·x of each point and of its shifted copies);
 *   buckets:     ≤ 2·parts·m·nwin batch-affine additions, 6M each (3M Montgomery trick +
 *                2M + 1S), with IFMA eight at a time (6 vector multiplications per eight);
 *   reduction:   ~2·nb affine additions per window (12M per bucket) plus ~1 mixed
 *                Jacobian addition (11M) per window;
 *   combination: c·(nwin - 1) Jacobian doublings (2M + 5S) and nwin - 1 additions (12M + 4S).
 * The bucket additions are ~2·m·128/c whatever `parts` is; cutting the halves shrinks the
 * rest, which for small m is most of it. m = 64 (FK20):
 *   parts = 1, c = 6 (nwin 22, nb 32): ≤ 2772 + 22·32·2 = 1408 reduction additions,
 *     ≈ 16.6k + 8.4k + 1.3k + 0.4k ≈ 26.7k M per MSM, 3.4M M for FK20's 128 MSMs;
 *   parts = 2, c = 6 (nwin 11): ≤ 2772 + 704, ≈ 16.6k + 4.2k + 0.6k + 0.2k + 0.1k ≈ 21.7k M
 *     (-19 %), for 8192 more points (2^64·P) that the caller supplies;
 *   parts = 4, c = 7 (nwin 5, nb 64): ≤ 2540 + 640, ≈ 15.2k + 3.8k + 0.2k + 0.1k + 0.3k
 *     ≈ 19.6k M (-27 %), for 3 × 8192 more points (2^32·P, 2^64·P, 2^96·P).
 * Measured on FK20's 128 MSMs (its columns, random scalars, one thread, thread CPU time,
 * min of 3-6 runs, docs/PERFORMANCE.md §16): parts 1 (c = 6) 63.3 ms, parts 2 (c = 6)
 * 54.9, parts 4 (c = 7) 52.2 with IFMA; 127.4, 114.9, 107.4 ms with mulx/adx.
 *   parts = 4, c = 8 with whole-half digits (multi_whole; nwin 4): ≤ 2040 + 768 reduction
 *     additions ≈ 12.2k + 4.6k + 0.5k ≈ 17.3k M (-12 % against c = 7). Measured (§19, wall
 *     clock, 4 runs, same process, when a carry window still followed): mulx/adx 96.5
 *     against 105 ms for c = 7; IFMA 51.6 against 50.1 (its reductions and doublings weigh
 *     more against its cheap additions), so the model keeps c = 7 there.
 *   parts = 8, c = 8 (16-bit pieces, 7 copies, whole-half digits: nwin 2): ≤ 2040 + 384
 *     ≈ 12.2k + 2.3k + 0.3k ≈ 14.8k M (-25 % against parts = 4, c = 7), measured 91 / 48 ms
 *     (-13 % / -4 %) with a carry window, 77-79 / 38-39 ms without (balanced halves:
 *     msm_glv_split): what FK20 runs since §19, for 3 MiB more of copies in the library. */
void g1_msm_multi_var(g1_t *out, const g1_aff_t *points, const g1_aff_t *const *shifted,
                      unsigned parts, const msm_scalar *scalars, size_t k, size_t m, unsigned c,
                      void *scratch) {
    for (size_t j = 0; j < k; j++) g1_set_inf(&out[j]);
    if (k == 0 || m == 0) return;
    multi_plan p;
    multi_plan_for(&p, k, m, parts, c);
    {
        size_t per_msm = m * p.parts * (sizeof(g1_aff_t) + sizeof(fp_t));
        size_t kc = MULTI_GROUP_BUCKETS / (p.nwin * p.nb);
        if (kc > MULTI_CHUNK_POINTS / per_msm) kc = MULTI_CHUNK_POINTS / per_msm;
        if (kc == 0) kc = 1;
        if (k * per_msm > MULTI_CHUNK_BYTES && kc < k) {
            /* Each chunk has k' ≤ kc, so its own check does not split it again; its scratch is
             * no larger than k's (g1_msm_multi_scratch_size is monotonic in k). */
            for (size_t j0 = 0; j0 < k; j0 += kc) {
                const g1_aff_t *sh[MSM_MULTI_MAX_PARTS - 1] = {NULL};
                for (unsigned q = 1; q < p.parts; q++) sh[q - 1] = shifted[q - 1] + j0 * m;
                g1_msm_multi_var(out + j0, points + j0 * m, sh, p.parts, scalars + j0 * m,
                                 k - j0 < kc ? k - j0 : kc, m, p.c, scratch);
            }
            return;
        }
    }
    uint8_t *s = scratch;
    msm_half *h = (msm_half *)(s + p.half);
    fp_t *phi = (fp_t *)(s + p.phi); /* phi[part·n + i]: β·x of piece `part`'s point i */
    int16_t *dig = (int16_t *)(s + p.dig);
    g1_t *win = (g1_t *)(s + p.win), *tmp = (g1_t *)(s + p.tmp);
    const size_t n = p.n, nb = p.nb, nwin = p.nwin, np = p.np;
    const g1_aff_t *src[MSM_MULTI_MAX_PARTS] = {points}; /* the point of each piece */
    for (unsigned q = 1; q < p.parts; q++) src[q] = shifted[q - 1];
    int32_t d[MSM_HALF_BITS + 1];

    /* Digits, window-major and interleaved across MSMs: digit w of piece `slot` (half hf,
     * part q: slot = hf·parts + q) of point j·m + t sits at dig[w·np·n + (t·k + j)·np + slot],
     * so that a pass over a window reads them in order and its consecutive additions go to
     * different MSMs' buckets. */
    for (size_t j = 0; j < k; j++) {
        for (size_t t = 0; t < m; t++) {
            size_t i = j * m + t, at = (t * k + j) * np;
            if (g1_aff_is_inf(&points[i])) {
                memset(&h[i], 0, sizeof h[i]);
            } else {
                msm_glv_split(&h[i], scalars[i].l);
                for (unsigned q = 0; q < p.parts; q++) fp_mul(&phi[q * n + i], &src[q][i].x, &MSM_BETA);
            }
            if (p.whole) { /* nwin windows per piece */
                for (unsigned hf = 0; hf < 2; hf++) {
                    msm_recode128(d, hf ? h[i].q : h[i].k0, p.c, MSM_HALF_BITS / p.c);
                    for (unsigned q = 0; q < p.parts; q++)
                        for (size_t w = 0; w < nwin; w++)
                            dig[w * np * n + at + hf * p.parts + q] = (int16_t)d[q * nwin + w];
                }
            } else {
                for (size_t slot = 0; slot < np; slot++) {
                    uint64_t piece[2];
                    unsigned hf = (unsigned)(slot / p.parts), q = (unsigned)(slot % p.parts);
                    multi_piece(piece, hf ? h[i].q : h[i].k0, q, p.bits);
                    msm_recode128(d, piece, p.c, nwin);
                    for (size_t w = 0; w < nwin; w++) dig[w * np * n + at + slot] = (int16_t)d[w];
                }
            }
        }
    }

    for (size_t w0 = 0; w0 < nwin; w0 += p.group) {
        size_t w1 = w0 + p.group < nwin ? w0 + p.group : nwin;
        acc a;
        acc_init(&a, s + p.acc, (w1 - w0) * k * nb, p.cap);
        for (size_t w = w0; w < w1; w++) {
            const int16_t *dw = dig + w * np * n;
            const uint32_t base = (uint32_t)((w - w0) * k * nb);
            for (size_t t = 0; t < m; t++) {
                for (size_t j = 0; j < k; j++, dw += np) {
                    size_t i = j * m + t;
                    uint32_t b = base + (uint32_t)(j * nb);
                    if (j + MULTI_AHEAD < k) {
                        const int16_t *dn = dw + MULTI_AHEAD * np;
                        size_t in = i + MULTI_AHEAD * m;
                        uint32_t bn = b + (uint32_t)(MULTI_AHEAD * nb);
                        for (size_t slot = 0; slot < np; slot++) {
                            int32_t x = dn[slot];
                            if (!x) continue;
                            unsigned hf = (unsigned)(slot / p.parts), q = (unsigned)(slot % p.parts);
                            uint32_t mag = (uint32_t)(x < 0 ? -x : x);
                            __builtin_prefetch(&a.b[bn + mag - 1], 1);
                            __builtin_prefetch(hf ? (const void *)&phi[q * n + in] : (const void *)&src[q][in], 0);
                            if (!hf) __builtin_prefetch(&src[q][in].y, 0);
                        }
                    }
                    for (size_t slot = 0; slot < np; slot++) {
                        int32_t x = dw[slot];
                        if (!x) continue;
                        unsigned hf = (unsigned)(slot / p.parts), q = (unsigned)(slot % p.parts);
                        /* -φ(P) = (βx, -y); a negative half adds its points negated */
                        uint32_t neg = (x < 0) ^ hf ^ ((h[i].neg >> hf) & 1);
                        uint32_t mag = (uint32_t)(x < 0 ? -x : x);
                        acc_add(&a, b + mag - 1, hf ? &phi[q * n + i] : &src[q][i].x, &src[q][i].y,
                                neg ? ACC_NEG : 0);
                    }
                }
            }
        }
        acc_finish(&a);
        /* (window w, msm j) is reduction window (w - w0)·k + j. */
        acc_reduce_batched(tmp, &a, (w1 - w0) * k, nb, s + p.red);
        for (size_t w = w0; w < w1; w++)
            for (size_t j = 0; j < k; j++) win[j * nwin + w] = tmp[(w - w0) * k + j];
    }

    for (size_t j = 0; j < k; j++) {
        const g1_t *wj = win + j * nwin;
        g1_t res = wj[nwin - 1];
        for (size_t w = nwin - 1; w-- > 0;) {
            if (!g1_is_inf(&res))
                for (unsigned q = 0; q < p.c; q++) g1_dbl(&res, &res);
            g1_add(&res, &res, &wj[w]);
        }
        out[j] = res;
    }
}

/* ---- fixed base ---------------------------------------------------------------------- */

size_t msm_table_multi_scratch_size(const msm_table *t, size_t k) {
    if (k == 0) return 0;
    size_t nb = (size_t)1 << (t->c - 1);
    return acc_scratch_size(k * nb, multi_batch_for(k * nb)) + acc_reduce_batched_scratch_size(k, nb);
}

/* Cost per MSM of m points with window c, nwin = floor(255/c) + 1, nb = 2^(c-1):
 *   buckets:   ≤ m·nwin batch-affine additions, 6M each (IFMA: eight at a time);
 *   reduction: ~2·nb affine additions (12M per bucket) plus ~1 mixed Jacobian addition.
 * m = 64, c = 8 (nwin 32, nb 128): ≤ 2048 additions ≈ 12.3k M + 1.5k M ≈ 13.8k M, 1.8M M
 * for FK20's 128 MSMs; the table (n·nwin·96 bytes, 25 MB for FK20 at c = 8) is read once. */
void msm_table_multi_var(g1_t *out, const msm_table *t, size_t first, const msm_scalar *scalars,
                         size_t k, size_t m, void *scratch, unsigned thread) {
    for (size_t j = 0; j < k; j++) g1_set_inf(&out[j]);
    if (k == 0 || m == 0) return;
    const g1_aff_t *entries = msm_table_thread_entries(t, thread);
    if (msm_table_read_hook) msm_table_read_hook(t, entries, thread);
    const size_t nb = (size_t)1 << (t->c - 1), nwin = t->nwin;
    const size_t cap = multi_batch_for(k * nb);
    size_t live = MULTI_GROUP_BUCKETS / nb; /* MSMs interleaved at a time */
    if (live == 0) live = 1;
    int32_t d[255 + 1];
    acc a;
    acc_init(&a, scratch, k * nb, cap);
    for (size_t j0 = 0; j0 < k; j0 += live) {
        size_t j1 = j0 + live < k ? j0 + live : k;
        for (size_t i = 0; i < m; i++) {
            for (size_t j = j0; j < j1; j++) {
                const g1_aff_t *row = entries + (first + j * m + i) * nwin;
                if (g1_aff_is_inf(&row[0])) continue;
                msm_recode256(d, scalars[j * m + i].l, t->c, nwin);
                const uint32_t b = (uint32_t)(j * nb);
                for (size_t w = 0; w < nwin; w++) {
                    int32_t x = d[w];
                    if (!x) continue;
                    uint32_t mag = (uint32_t)(x < 0 ? -x : x);
                    acc_add(&a, b + mag - 1, &row[w].x, &row[w].y, x < 0 ? ACC_NEG : 0);
                }
            }
        }
    }
    acc_finish(&a);
    acc_reduce_batched(out, &a, k, nb, (uint8_t *)scratch + acc_scratch_size(k * nb, cap));
}
