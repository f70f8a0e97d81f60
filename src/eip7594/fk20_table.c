/*
 * eip7594/fk20_table.c — the 128 MSMs of FK20 (64 points each) over the fixed-base table,
 * all at once.
 *
 * Each scalar is recoded into W signed digits of c bits, d_w ∈ (-2^(c-1), 2^(c-1)], so
 * k·P = Σ_w d_w·(2^(c·w)·P) with the shifted copies precomputed: no doubling is left, and
 * MSM j is Σ_{d=1}^{2^(c-1)} d·B_{j,d}, where bucket B_{j,d} collects ±(2^(c·w)·P) for every
 * digit of absolute value d. The 128·2^(c-1) buckets are independent, so the additions are
 * done in rounds — round r adds the r-th point of every bucket that has one (the entries
 * are laid out round by round, so a round reads them sequentially) — in affine form, one
 * inversion shared by each batch of up to BATCH additions (Montgomery's trick): ~6 fp_mul
 * per addition instead of ~11 for a mixed Jacobian one. The bucket sums Σ_d d·B_d are then
 * the usual running sums, batched the same way across the MSMs.
 *
 * Cost for c = 8 and all 128 MSMs: 8192·32 = 262k table additions (1.6M fp_mul) and
 * 128·128·2 running-sum additions (0.2M fp_mul); the table (25 MB) is read once per call.
 */
#include "eip7594/eip7594_internal.h"

#define PREFETCH 8
#define BATCH 512 /* additions per inversion (one costs ~55 fp_mul); the batch stays in L1 */

/* Signed base-2^c digits of a 255-bit integer (W = floor(255/c) + 1 windows suffice: the top
 * window has at most c - 1 bits, so its digit plus a carry stays ≤ 2^(c-1)). */
static void recode(int16_t *dig, const uint64_t raw[4], unsigned c, unsigned windows) {
    int carry = 0;
    const uint64_t mask = ((uint64_t)1 << c) - 1;
    for (unsigned w = 0; w < windows; w++) {
        unsigned bit = w * c, limb = bit / 64, sh = bit % 64;
        uint64_t v = raw[limb] >> sh;
        if (sh + c > 64 && limb + 1 < 4) v |= raw[limb + 1] << (64 - sh);
        int d = (int)(v & mask) + carry;
        if (d > (1 << (c - 1))) {
            d -= 1 << c;
            carry = 1;
        } else {
            carry = 0;
        }
        dig[w] = (int16_t)d;
    }
}

/* Scheduled additions of one batch: acc[batch[i]] += pts[i] with den[i] = x2 - x1 (or 2y for
 * a doubling), all inverted with one inversion (Montgomery's trick: 3 fp_mul each), then
 * λ, x3 = λ² - x1 - x2, y3 = λ(x1 - x3) - y1: 6 fp_mul per addition in all. */
static void finish_batch(g1_aff_t *acc, const uint32_t *batch, const g1_aff_t *pts, const fp_t *den,
                         fp_t *pre_prod, const bool *dbl, size_t m) {
    fp_t inv;
    pre_prod[0] = den[0];
    for (size_t i = 1; i < m; i++) fp_mul(&pre_prod[i], &pre_prod[i - 1], &den[i]);
    fp_inv_var(&inv, &pre_prod[m - 1]);
    for (size_t i = m; i-- > 0;) {
        fp_t di, lam, t, x3;
        if (i) {
            fp_mul(&di, &inv, &pre_prod[i - 1]);
            fp_mul(&inv, &inv, &den[i]);
        } else {
            di = inv;
        }
        g1_aff_t *a = &acc[batch[i]];
        const g1_aff_t *P = &pts[i];
        if (dbl[i]) { /* λ = 3x²/2y */
            fp_sqr(&t, &a->x);
            fp_mul_small(&t, &t, 3);
            fp_mul(&lam, &t, &di);
        } else { /* λ = (y2 - y1)/(x2 - x1) */
            fp_sub(&t, &P->y, &a->y);
            fp_mul(&lam, &t, &di);
        }
        fp_sqr(&x3, &lam);
        fp_sub(&x3, &x3, &a->x);
        fp_sub(&x3, &x3, &P->x);
        fp_sub(&t, &a->x, &x3);
        fp_mul(&t, &t, &lam);
        fp_sub(&a->y, &t, &a->y);
        a->x = x3;
    }
}

/* A batch being filled: additions acc[idx[i]] += pts[i]. */
typedef struct add_batch {
    uint32_t *idx;
    g1_aff_t *pts;
    fp_t *den, *pre_prod;
    bool *dbl;
    size_t m;
} add_batch;

static void batch_flush(g1_aff_t *acc, add_batch *bt) {
    if (bt->m) finish_batch(acc, bt->idx, bt->pts, bt->den, bt->pre_prod, bt->dbl, bt->m);
    bt->m = 0;
}

/* acc[i] += *P: done at once when either is infinity or P = -acc[i], else scheduled (a
 * full batch is flushed). acc[i] must not already be scheduled in this batch. */
static void batch_add(g1_aff_t *acc, add_batch *bt, size_t i, const g1_aff_t *P) {
    g1_aff_t *a = &acc[i];
    size_t m = bt->m;
    if (g1_aff_is_inf(P)) return;
    if (g1_aff_is_inf(a)) {
        *a = *P;
        return;
    }
    if (!fp_eq(&a->x, &P->x)) {
        fp_sub(&bt->den[m], &P->x, &a->x);
        bt->dbl[m] = false;
    } else if (fp_eq(&a->y, &P->y)) {
        fp_dbl(&bt->den[m], &a->y); /* y ≠ 0: no point of order 2 in G1 */
        bt->dbl[m] = true;
    } else {
        a->x = FP_ZERO, a->y = FP_ZERO; /* P = -a */
        return;
    }
    bt->pts[m] = *P;
    bt->idx[m] = (uint32_t)i;
    if (++bt->m == BATCH) batch_flush(acc, bt);
}

/* MSMs j0 ≤ j < j1 (their buckets numbered from j0). */
kzg_status eip7594_fk20_msm_table(g1_t *v, const setup_fk20 *pre, const fr_t *sc, size_t j0,
                                  size_t j1) {
    kzg_status ret = KZG_OK;
    const unsigned c = pre->table_bits, windows = pre->table_windows;
    const size_t nb = (size_t)1 << (c - 1);    /* buckets per MSM */
    const size_t n_buckets = (j1 - j0) * nb;
    const size_t p0 = j0 * CELL_N, p1 = j1 * CELL_N;
    const size_t n_digits = (p1 - p0) * windows;
    /* Every array but count is written before it is read: no need to zero them. */
    int16_t dig[256];
    uint32_t *count = kzg_calloc(n_buckets + 1, sizeof *count); /* then: offsets */
    uint32_t *entry = kzg_malloc(n_digits * sizeof *entry);     /* table index | sign << 31 */
    uint32_t *rb = kzg_malloc(n_digits * sizeof *rb), *re = kzg_malloc(n_digits * sizeof *re);
    size_t *rstart = NULL;
    g1_aff_t *acc = kzg_malloc(n_buckets * sizeof *acc);
    g1_aff_t *pts = kzg_malloc(BATCH * sizeof *pts);
    fp_t *den = kzg_malloc(BATCH * sizeof *den), *pre_prod = kzg_malloc(BATCH * sizeof *pre_prod);
    uint32_t *batch = kzg_malloc(BATCH * sizeof *batch);
    bool *dbl = kzg_malloc(BATCH * sizeof *dbl);
    g1_aff_t *run_sum = kzg_malloc(2 * (j1 - j0) * sizeof *run_sum);
    add_batch bt = {batch, pts, den, pre_prod, dbl, 0};
    if (!run_sum || !count || !entry || !rb || !re || !acc || !pts || !den || !pre_prod || !batch || !dbl) {
        ret = kzg_fail(KZG_ERR_MEMORY, "fk20: cannot allocate the table MSM's scratch");
        goto out;
    }

    /* Digits and a counting sort of the (point, window) pairs by bucket. */
    for (size_t p = p0; p < p1; p++) {
        uint64_t raw[4];
        fr_to_raw(raw, &sc[p]);
        recode(dig, raw, c, windows);
        size_t j = p / CELL_N - j0;
        for (unsigned w = 0; w < windows; w++) {
            int d = dig[w];
            if (d) count[j * nb + (size_t)(d < 0 ? -d : d) - 1]++;
        }
    }
    {
        uint32_t sum = 0;
        for (size_t b = 0; b < n_buckets; b++) {
            uint32_t k = count[b];
            count[b] = sum;
            sum += k;
        }
        count[n_buckets] = sum;
    }
    /* Fill: count[b] runs from bucket b's start to its end; afterwards the starts are
     * count[b-1] (the previous bucket's end), i.e. bucket b spans [start(b), count[b]). */
    for (size_t p = p0; p < p1; p++) {
        uint64_t raw[4];
        fr_to_raw(raw, &sc[p]);
        recode(dig, raw, c, windows); /* again: cheaper than keeping 8192·W digits */
        size_t j = p / CELL_N - j0;
        for (unsigned w = 0; w < windows; w++) {
            int d = dig[w];
            if (!d) continue;
            size_t b = j * nb + (size_t)(d < 0 ? -d : d) - 1;
            entry[count[b]++] = (uint32_t)(p * windows + w) | (d < 0 ? 0x80000000u : 0);
        }
    }
#define START(b) ((b) == 0 ? 0 : count[(b) - 1])
#define LOAD(dst, e)                                                   \
    do {                                                               \
        (dst) = pre->table[(e) & 0x7fffffffu];                         \
        if ((e) >> 31) fp_neg(&(dst).y, &(dst).y);                     \
    } while (0)

    /* Transpose to round-major order: round r lists (bucket, r-th entry) for every bucket
     * with more than r entries, buckets ascending, so that the rounds read rb/re
     * sequentially and acc in ascending order. rstart[r]: round r's first position. */
    size_t max_count = 0;
    for (size_t b = 0; b < n_buckets; b++)
        if (count[b] - START(b) > max_count) max_count = count[b] - START(b);
    rstart = kzg_calloc(max_count + 2, sizeof *rstart);
    if (!rstart) {
        ret = kzg_fail(KZG_ERR_MEMORY, "fk20: cannot allocate the table MSM's scratch");
        goto out;
    }
    for (size_t b = 0; b < n_buckets; b++) rstart[count[b] - START(b)]++; /* buckets by size */
    for (size_t r = max_count, above = 0; r-- > 0;) { /* rstart[r] = #buckets with size > r */
        above += rstart[r + 1];
        rstart[r + 1] = above;
    }
    {
        size_t sum = 0;
        for (size_t r = 0; r <= max_count; r++) {
            size_t k = r < max_count ? rstart[r + 1] : 0;
            rstart[r] = sum;
            sum += k;
        }
    }
    for (size_t b = 0; b < n_buckets; b++) {
        size_t s0 = START(b), e0 = count[b];
        if (s0 == e0) {
            acc[b].x = FP_ZERO, acc[b].y = FP_ZERO; /* empty: infinity */
            continue;
        }
        for (size_t r = 0; r < e0 - s0; r++) {
            size_t pos = rstart[r]++; /* fill cursor; restored below */
            rb[pos] = (uint32_t)b;
            re[pos] = entry[s0 + r];
        }
    }
    for (size_t r = max_count; r-- > 1;) rstart[r] = rstart[r - 1]; /* cursors back to starts */
    if (max_count) rstart[0] = 0;

    /* Round 0: each bucket takes its first point. */
    for (size_t pos = 0; max_count && pos < rstart[1]; pos++) LOAD(acc[rb[pos]], re[pos]);
    /* Rounds r ≥ 1: acc[b] += r-th point of b, batched (a bucket occurs once per round, so
     * batches may split a round anywhere). */
    for (size_t r = 1; r < max_count; r++) {
        size_t end = rstart[r + 1];
        for (size_t pos = rstart[r]; pos < end; pos++) {
            /* The table is read at random: fetch a few entries ahead so the loads overlap. */
            if (pos + PREFETCH < end) {
                const g1_aff_t *q = &pre->table[re[pos + PREFETCH] & 0x7fffffffu];
                __builtin_prefetch(q);
                __builtin_prefetch((const char *)q + 64);
                __builtin_prefetch(&acc[rb[pos + PREFETCH]]);
            }
            g1_aff_t P;
            LOAD(P, re[pos]);
            batch_add(acc, &bt, rb[pos], &P);
        }
        batch_flush(acc, &bt);
    }
#undef START
#undef LOAD

    /* v_j = Σ_d d·B_{j,d} by running sums from the top bucket down (run_j += B_{j,d};
     * sum_j += run_j), the MSMs' lanes batched in affine form like the bucket additions:
     * two batches of j1 - j0 additions per bucket index (~12 fp_mul per bucket instead of
     * ~27 in Jacobian form). */
    {
        size_t lanes = j1 - j0;
        g1_aff_t *run = run_sum, *sum = run_sum + lanes;
        for (size_t j = 0; j < 2 * lanes; j++) run_sum[j].x = FP_ZERO, run_sum[j].y = FP_ZERO;
        for (size_t d = nb; d-- > 0;) {
            for (size_t j = 0; j < lanes; j++) batch_add(run, &bt, j, &acc[j * nb + d]);
            batch_flush(run, &bt);
            for (size_t j = 0; j < lanes; j++) batch_add(sum, &bt, j, &run[j]);
            batch_flush(sum, &bt);
        }
        for (size_t j = 0; j < lanes; j++) g1_from_aff(&v[j0 + j], &sum[j]);
    }
out:
    kzg_free(count);
    kzg_free(entry);
    kzg_free(rb);
    kzg_free(re);
    kzg_free(rstart);
    kzg_free(acc);
    kzg_free(pts);
    kzg_free(den);
    kzg_free(pre_prod);
    kzg_free(batch);
    kzg_free(dbl);
    kzg_free(run_sum);
    return ret;
}

