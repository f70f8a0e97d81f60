/*
 * msm/acc.c — batch-affine bucket accumulation (see msm/msm_acc.h for the method).
 */
#include "msm/msm_acc.h"

#include "backend/backend.h"
#include "backend/x86_64/ifma.h"

enum { ACC_EMPTY = 0, ACC_FULL = 1, ACC_BUSY = 2 };

size_t acc_batch_for(size_t nb) {
    /* The inversion costs ~75M here: a batch of 64 or more makes it < 1.2M per addition.
     * A quarter of the buckets keeps the share of deferred additions around 1/8. */
    size_t cap = nb / 4;
    if (cap < 16) cap = 16;
    if (cap > 256) cap = 256;
    return cap;
}

/* The prefix products: cap fp_t, or (IFMA) one 512-byte vector per eight additions. */
static size_t pre_bytes(size_t cap) {
    size_t scalar = cap * sizeof(fp_t), v8 = (cap + 7) / 8 * 512;
    return msm_align64(scalar > v8 ? scalar : v8);
}

size_t acc_scratch_size(size_t nb, size_t cap) {
    return msm_align64(nb * sizeof(g1_aff_t)) + msm_align64(nb) +
           msm_align64(cap * sizeof(acc_ref)) + msm_align64(cap * sizeof(fp_t)) +
           pre_bytes(cap) + 2 * msm_align64(cap * sizeof(acc_ref));
}

void acc_init(acc *a, void *scratch, size_t nb, size_t cap) {
    uint8_t *p = scratch;
    a->b = (g1_aff_t *)p;
    p += msm_align64(nb * sizeof(g1_aff_t));
    a->st = p;
    p += msm_align64(nb);
    a->batch = (acc_ref *)p;
    p += msm_align64(cap * sizeof(acc_ref));
    a->den = (fp_t *)p;
    p += msm_align64(cap * sizeof(fp_t));
    a->pre = (fp_t *)p;
    p += pre_bytes(cap);
    a->defer = (acc_ref *)p;
    p += msm_align64(cap * sizeof(acc_ref));
    a->work = (acc_ref *)p;
    a->nb = nb;
    a->cap = cap;
    a->dcap = cap;
    a->nbatch = 0;
    a->ndefer = 0;
    a->need_drain = false;
    a->v8 = backend_select()->batch_ifma;
    memset(a->st, ACC_EMPTY, nb);
}

/* B ← B + B with the batch's inverse ik = 1/(2y): λ = 3x²·ik (a queued doubling). */
static void acc_apply_dbl(g1_aff_t *B, const fp_t *ik) {
    fp_t t, lambda, y2;
    fp_sqr(&t, &B->x);
    fp_mul_small(&t, &t, 3);
    fp_mul(&lambda, &t, ik);
    fp_sqr(&t, &lambda);
    fp_sub(&t, &t, &B->x);
    fp_sub(&t, &t, &B->x);
    fp_sub(&y2, &B->x, &t);
    fp_mul(&y2, &y2, &lambda);
    fp_sub(&B->y, &y2, &B->y);
    B->x = t;
}

#ifdef KZG_HAVE_IFMA_KERNELS
/* Batches below this size stay scalar (the vector pass pads to a multiple of eight). */
#define ACC_V8_MIN 16

/* Vectors in the scratch, which is only 16-byte aligned: moved with unaligned accesses. */
V8_INLINE void v8_put(void *dst, const v8fp *a) {
    for (int k = 0; k < 8; k++) _mm512_storeu_si512((char *)dst + 64 * k, a->v[k]);
}
V8_INLINE void v8_get(v8fp *r, const void *src) {
    for (int k = 0; k < 8; k++) r->v[k] = _mm512_loadu_si512((const char *)src + 64 * k);
}

/* acc_flush eight additions at a time. Addition k is lane k mod 8 of vector k / 8; the
 * last vector is padded with denominator 1 and a scratch point. Per vector: the running
 * product of the denominators, lane by lane (eight interleaved Montgomery chains), kept
 * in a->pre; one scalar batch inversion of the eight lane totals; then back to front the
 * inverse of each denominator and the affine sums (λ = (y2 − y1)·ik, x3 = λ² − x1 − x2,
 * y3 = λ(x1 − x3) − y1): 6 vector multiplications per eight additions (scalar: 6 per
 * addition). Queued doublings (rare: the same point twice in a bucket) are computed in
 * the vector pass on a scratch point and redone in scalar code with their lane's inverse.
 * A bucket is in a batch at most once, so the lanes of a vector write distinct buckets. */
static V8_TARGET void acc_flush_v8(acc *a) {
    const size_t n = a->nbatch, nv = (n + 7) / 8;
    g1_aff_t pad_b = {FP_ONE, FP_ONE}, pad_p = {FP_ONE, FP_ONE};
    fp_t tot[8], inv8[8], ikl[8];
    const void *ptr[8];
    void *bp[8];
    v8fp d, run, ik, inv, x1, y1, x2, y2, t, lam, x3;
    char *pre = (char *)a->pre;
    /* acc_flush calls this with n >= ACC_V8_MIN; saying so lets GCC -O3 see that the loop
     * below sets run before its use (else -Wmaybe-uninitialized breaks -Werror builds). */
    if (nv == 0) return;

    for (size_t j = 0; j < nv; j++) { /* run_j = Π_{i ≤ j} den vectors, per lane */
        for (int l = 0; l < 8; l++) {
            size_t k = 8 * j + (size_t)l;
            ptr[l] = k < n ? (const void *)&a->den[k] : (const void *)&FP_ONE;
        }
        v8_load_tr(&d, ptr, 0);
        if (j == 0) run = d;
        else v8_mul(&run, &run, &d);
        v8_put(pre + 512 * j, &run);
    }
    for (int l = 0; l < 8; l++) ptr[l] = &tot[l];
    v8_store_tr((void *const *)ptr, 0, &run);
    fp_batch_inv_var(inv8, tot, 8); /* no denominator is 0: checked when queued */
    for (int l = 0; l < 8; l++) ptr[l] = &inv8[l];
    v8_load_tr(&inv, ptr, 0);

    for (size_t j = nv; j-- > 0;) {
        const void *px[8], *py[8];
        __mmask8 neg = 0;
        bool any_dbl = false;
        for (int l = 0; l < 8; l++) {
            size_t k = 8 * j + (size_t)l;
            ptr[l] = k < n ? (const void *)&a->den[k] : (const void *)&FP_ONE;
            const acc_ref *r = k < n ? &a->batch[k] : NULL;
            bool add = r && !(r->flags & ACC_DBL);
            any_dbl |= r && !add;
            bp[l] = add ? (void *)&a->b[r->bucket] : (void *)&pad_b;
            px[l] = add ? (const void *)r->x : (const void *)&pad_p.x;
            py[l] = add ? (const void *)r->y : (const void *)&pad_p.y;
            if (add && (r->flags & ACC_NEG)) neg |= (__mmask8)(1u << l);
        }
        if (j > 0) {
            v8fp prev;
            v8_load_tr(&d, ptr, 0);
            v8_get(&prev, pre + 512 * (j - 1));
            v8_mul(&ik, &inv, &prev); /* 1/den_j */
            v8_mul(&inv, &inv, &d);   /* 1/Π_{i < j} den_i */
        } else {
            ik = inv;
        }
        v8_load_tr(&x1, (const void *const *)bp, 0);
        v8_load_tr(&y1, (const void *const *)bp, sizeof(fp_t));
        v8_load_tr(&x2, px, 0);
        v8_load_tr(&y2, py, 0);
        if (neg) {
            v8fp zero, ny;
            for (int q = 0; q < 8; q++) zero.v[q] = _mm512_setzero_si512();
            v8_sub(&ny, &zero, &y2);
            for (int q = 0; q < 8; q++) y2.v[q] = _mm512_mask_blend_epi64(neg, y2.v[q], ny.v[q]);
        }
        v8_sub(&t, &y2, &y1);
        v8_mul(&lam, &t, &ik);
        v8_sqr(&x3, &lam);
        v8_sub(&x3, &x3, &x1);
        v8_sub(&x3, &x3, &x2);
        v8_sub(&t, &x1, &x3);
        v8_mul(&t, &t, &lam);
        v8_sub(&y1, &t, &y1); /* y3 */
        v8_store_tr(bp, 0, &x3);
        v8_store_tr(bp, sizeof(fp_t), &y1);
        if (any_dbl) {
            void *ip[8];
            for (int l = 0; l < 8; l++) ip[l] = &ikl[l];
            v8_store_tr(ip, 0, &ik);
        }
        for (int l = 0; l < 8; l++) {
            size_t k = 8 * j + (size_t)l;
            if (k >= n) break;
            const acc_ref *r = &a->batch[k];
            if (r->flags & ACC_DBL) acc_apply_dbl(&a->b[r->bucket], &ikl[l]);
            a->st[r->bucket] = ACC_FULL;
        }
    }
    a->nbatch = 0;
    a->need_drain = a->ndefer > 0;
}
#endif

/* Applies the batch: prefix products, one inversion, then back to front each element's
 * inverse (inv·pre[k-1]) and the affine sum. */
static void acc_flush(acc *a) {
    size_t n = a->nbatch;
#ifdef KZG_HAVE_IFMA_KERNELS
    if (a->v8 && n >= ACC_V8_MIN) {
        acc_flush_v8(a);
        return;
    }
#endif
    if (n) {
        a->pre[0] = a->den[0];
        for (size_t k = 1; k < n; k++) fp_mul(&a->pre[k], &a->pre[k - 1], &a->den[k]);
        fp_t inv, ik, lambda, t, y2;
        fp_inv_var(&inv, &a->pre[n - 1]);
        for (size_t k = n; k-- > 0;) {
            if (k) {
                fp_mul(&ik, &inv, &a->pre[k - 1]);
                fp_mul(&inv, &inv, &a->den[k]);
            } else {
                ik = inv;
            }
            const acc_ref *r = &a->batch[k];
            g1_aff_t *B = &a->b[r->bucket];
            a->st[r->bucket] = ACC_FULL;
            if (r->flags & ACC_DBL) {
                acc_apply_dbl(B, &ik);
                continue;
            }
            if (r->flags & ACC_NEG) fp_neg(&y2, r->y);
            else y2 = *r->y;
            fp_sub(&t, &y2, &B->y);
            fp_mul(&lambda, &t, &ik);
            fp_sqr(&t, &lambda);
            fp_sub(&t, &t, &B->x);
            fp_sub(&t, &t, r->x);
            /* t = x3; y3 = λ(x1 - x3) - y1. */
            fp_sub(&y2, &B->x, &t);
            fp_mul(&y2, &y2, &lambda);
            fp_sub(&B->y, &y2, &B->y);
            B->x = t;
        }
        a->nbatch = 0;
    }
    a->need_drain = a->ndefer > 0;
}

static void acc_process(acc *a, acc_ref r) {
    for (;;) {
        uint8_t s = a->st[r.bucket];
        g1_aff_t *B = &a->b[r.bucket];
        if (s == ACC_EMPTY) {
            B->x = *r.x;
            if (r.flags & ACC_NEG) fp_neg(&B->y, r.y);
            else B->y = *r.y;
            a->st[r.bucket] = ACC_FULL;
            return;
        }
        if (s == ACC_BUSY) {
            if (a->ndefer < a->dcap) {
                a->defer[a->ndefer++] = r;
                return;
            }
            acc_flush(a); /* the queue is full: apply the batch, which frees the bucket */
            continue;
        }
        size_t k = a->nbatch;
        if (fp_eq(&B->x, r.x)) {
            fp_t y2;
            if (r.flags & ACC_NEG) fp_neg(&y2, r.y);
            else y2 = *r.y;
            if (!fp_eq(&B->y, &y2)) { /* P + (-P) */
                a->st[r.bucket] = ACC_EMPTY;
                return;
            }
            r.flags |= ACC_DBL;
            fp_dbl(&a->den[k], &B->y);
        } else {
            fp_sub(&a->den[k], r.x, &B->x);
        }
        a->batch[k] = r;
        a->st[r.bucket] = ACC_BUSY;
        if (++a->nbatch == a->cap) acc_flush(a);
        return;
    }
}

/* Replays the deferred additions (each either lands or is deferred again). */
static void acc_drain(acc *a) {
    a->need_drain = false;
    acc_ref *w = a->defer;
    size_t nw = a->ndefer;
    a->defer = a->work;
    a->work = w;
    a->ndefer = 0;
    for (size_t i = 0; i < nw; i++) acc_process(a, w[i]);
}

void acc_add(acc *a, uint32_t bucket, const fp_t *x, const fp_t *y, uint32_t flags) {
    acc_process(a, (acc_ref){x, y, bucket, flags & ACC_NEG});
    while (a->need_drain) acc_drain(a);
}

void acc_finish(acc *a) {
    /* Each round flushes the batch (no bucket stays busy), then replays the queue: at least
     * one deferred addition per distinct bucket lands, so the rounds terminate. */
    while (a->nbatch || a->ndefer) {
        acc_flush(a);
        while (a->need_drain) acc_drain(a);
    }
}

void acc_reduce(g1_t *out, const acc *a, size_t base, size_t len) {
    g1_t sum, tot;
    g1_set_inf(&sum);
    g1_set_inf(&tot);
    for (size_t j = len; j-- > 0;) {
        if (a->st[base + j] != ACC_EMPTY) g1_add_aff(&sum, &sum, &a->b[base + j]);
        if (!g1_is_inf(&sum)) g1_add(&tot, &tot, &sum);
    }
    *out = tot;
}

/* Segment length m, a power of two dividing len, at least 4: the one that minimises
 *   2·m·I + (nw·len/m)·T
 * (every chain steps together, so a pass costs 2m inversions whatever the number of chains,
 * I ≈ 75M each; each of the nw·len/m segments then costs T ≈ 38M of Jacobian tail: two
 * mixed additions and one addition, below). The optimum is near sqrt(nw·len·T/2I), about
 * half of sqrt(nw·len): FK20's chunks of 21 MSMs × 3 windows of 128 buckets take m = 32
 * (252 chains) instead of the m = 128 (63 chains) that "about 64 chains" gave, 14.4k M
 * against 21.6k M a chunk. */
static size_t segment_len(size_t nw, size_t len) {
    const double I = 75.0, T = 38.0;
    size_t best = 4;
    double best_cost = 0;
    for (size_t m = 4; m <= len; m <<= 1) {
        double cost = 2.0 * (double)m * I + (double)nw * (double)(len / m) * T;
        if (m == 4 || cost < best_cost) {
            best = m;
            best_cost = cost;
        }
    }
    return best < len ? best : len;
}

size_t acc_reduce_batched_scratch_size(size_t nw, size_t len) {
    size_t chains = nw * (len / segment_len(nw, len));
    return acc_scratch_size(2 * chains, chains);
}

void acc_reduce_batched(g1_t *out, const acc *a, size_t nw, size_t len, void *scratch) {
    const size_t m = segment_len(nw, len), per = len / m, chains = nw * per;
    acc r;
    acc_init(&r, scratch, 2 * chains, chains);
    /* Chain c = w·per + s covers buckets w·len + s·m + [0, m); bucket c of r is its running
     * sum, bucket chains + c its running total. */
    for (size_t t = m; t-- > 0;) {
        for (size_t c = 0; c < chains; c++) {
            size_t j = (c / per) * len + (c % per) * m + t;
            if (a->st[j] != ACC_EMPTY) acc_add(&r, (uint32_t)c, &a->b[j].x, &a->b[j].y, 0);
        }
        acc_finish(&r);
        for (size_t c = 0; c < chains; c++)
            if (r.st[c] != ACC_EMPTY) acc_add(&r, (uint32_t)(chains + c), &r.b[c].x, &r.b[c].y, 0);
        acc_finish(&r);
    }
    /* Segment s starts at bucket s·m: its Σ (j+1)·B_j = tot_s + s·m·sum_s. */
    unsigned log_m = 0;
    while (((size_t)1 << log_m) < m) log_m++;
    for (size_t w = 0; w < nw; w++) {
        g1_t run, u, tot;
        g1_set_inf(&run);
        g1_set_inf(&u);
        g1_set_inf(&tot);
        for (size_t s = per; s-- > 0;) {
            size_t c = w * per + s;
            if (r.st[chains + c] != ACC_EMPTY) g1_add_aff(&tot, &tot, &r.b[chains + c]);
            if (s == 0) break;
            if (r.st[c] != ACC_EMPTY) g1_add_aff(&run, &run, &r.b[c]);
            if (!g1_is_inf(&run)) g1_add(&u, &u, &run); /* u = Σ_s s·sum_s */
        }
        if (!g1_is_inf(&u))
            for (unsigned k = 0; k < log_m; k++) g1_dbl(&u, &u);
        g1_add(&out[w], &u, &tot);
    }
}
