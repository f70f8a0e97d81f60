/*
 * msm/acc.c — batch-affine bucket accumulation (see msm/msm_acc.h for the method).
 */
#include "msm/msm_acc.h"

enum { ACC_EMPTY = 0, ACC_FULL = 1, ACC_BUSY = 2 };

size_t acc_batch_for(size_t nb) {
    /* The inversion costs ~75M here: a batch of 64 or more makes it < 1.2M per addition.
     * A quarter of the buckets keeps the share of deferred additions around 1/8. */
    size_t cap = nb / 4;
    if (cap < 16) cap = 16;
    if (cap > 256) cap = 256;
    return cap;
}

size_t acc_scratch_size(size_t nb, size_t cap) {
    return msm_align64(nb * sizeof(g1_aff_t)) + msm_align64(nb) +
           msm_align64(cap * sizeof(acc_ref)) + 2 * msm_align64(cap * sizeof(fp_t)) +
           2 * msm_align64(cap * sizeof(acc_ref));
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
    p += msm_align64(cap * sizeof(fp_t));
    a->defer = (acc_ref *)p;
    p += msm_align64(cap * sizeof(acc_ref));
    a->work = (acc_ref *)p;
    a->nb = nb;
    a->cap = cap;
    a->dcap = cap;
    a->nbatch = 0;
    a->ndefer = 0;
    a->need_drain = false;
    memset(a->st, ACC_EMPTY, nb);
}

/* Applies the batch: prefix products, one inversion, then back to front each element's
 * inverse (inv·pre[k-1]) and the affine sum. */
static void acc_flush(acc *a) {
    size_t n = a->nbatch;
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
            if (r->flags & ACC_DBL) {
                fp_sqr(&t, &B->x); /* λ = 3x²/(2y) */
                fp_mul_small(&t, &t, 3);
                fp_mul(&lambda, &t, &ik);
                fp_sqr(&t, &lambda);
                fp_sub(&t, &t, &B->x);
                fp_sub(&t, &t, &B->x);
            } else {
                if (r->flags & ACC_NEG) fp_neg(&y2, r->y);
                else y2 = *r->y;
                fp_sub(&t, &y2, &B->y);
                fp_mul(&lambda, &t, &ik);
                fp_sqr(&t, &lambda);
                fp_sub(&t, &t, &B->x);
                fp_sub(&t, &t, r->x);
            }
            /* t = x3; y3 = λ(x1 - x3) - y1. */
            fp_sub(&y2, &B->x, &t);
            fp_mul(&y2, &y2, &lambda);
            fp_sub(&B->y, &y2, &B->y);
            B->x = t;
            a->st[r->bucket] = ACC_FULL;
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

/* Segment length: about 64 chains in all (so an inversion is shared by ~64 additions), at
 * least 4 buckets per segment, a power of two dividing len. */
static size_t segment_len(size_t nw, size_t len) {
    size_t m = 4;
    while (m < len && nw * len / m > 64) m <<= 1;
    return m < len ? m : len;
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
