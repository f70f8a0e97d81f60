/*
 * msm/engine.c — the msm layer's one entry point (msm_run, see msm.h): a request says what
 * to sum — k MSMs of m points, over given points or a fixed-base table, on how many
 * threads — and the engine picks the method and sizes (and allocates) its scratch:
 *
 *   table given                → msm_table_msm_var (one MSM over the whole table, its points
 *                                split over the threads) or msm_table_multi_var (k MSMs,
 *                                chunks of MSMs over the threads);
 *   k > 1                      → g1_msm_multi_var (with the request's shifted copies of the
 *                                points, if any), chunks of MSMs over the threads;
 *   k = 1, m ≤ MSM_SMALL_N     → one GLV chain (g1_mul_var / g1_mul2_var): no buckets;
 *   k = 1, threads > 1         → g1_msm_raw_par_var (the windows over the threads);
 *   k = 1                      → g1_msm_raw_var.
 *
 * The kernels behind it (msm.c, multi.c, table.c) take caller scratch and never allocate;
 * the backend (IFMA or not) is theirs to use. Every path gives the same points as any other
 * for the same request, whatever the thread count.
 */
#include "msm/msm.h"

/* At most this many points: a GLV scalar multiplication each (~1450 M) beats Pippenger's
 * windows and bucket reductions (~128 doublings and ~2^(c-1) buckets per window). */
#define MSM_SMALL_N 2

typedef struct chunk_job {
    const msm_request *rq;
    const msm_scalar *sc;
    g1_t *out;
    size_t chunks;
    uint8_t *scratch; /* per thread, `each` bytes apart */
    size_t each;
} chunk_job;

/* Chunk c of the k MSMs: [k·c/chunks, k·(c+1)/chunks), on one thread's scratch. */
static void chunk_task(void *arg, size_t begin, size_t end, unsigned thread) {
    const chunk_job *j = arg;
    const msm_request *rq = j->rq;
    void *scratch = j->scratch + (size_t)thread * j->each;
    unsigned reader = j->chunks == 1 ? rq->self : thread; /* inline: the caller's own thread */
    for (size_t c = begin; c < end; c++) {
        size_t j0 = rq->k * c / j->chunks, j1 = rq->k * (c + 1) / j->chunks;
        if (j1 == j0) continue;
        if (rq->table)
            msm_table_multi_var(&j->out[j0], rq->table, rq->first + j0 * rq->m, &j->sc[j0 * rq->m],
                                j1 - j0, rq->m, scratch, reader);
        else {
            const g1_aff_t *sh[MSM_MULTI_MAX_PARTS - 1] = {NULL};
            unsigned parts = g1_msm_multi_parts(rq->parts);
            for (unsigned q = 1; q < parts; q++) sh[q - 1] = &rq->shifted[q - 1][j0 * rq->m];
            g1_msm_multi_var(&j->out[j0], &rq->points[j0 * rq->m], sh, rq->parts, &j->sc[j0 * rq->m],
                             j1 - j0, rq->m, 0, scratch);
        }
    }
}

/* k MSMs in `threads` chunks of consecutive MSMs (one per thread: the fewer chunks, the
 * fuller each chunk's batches), each thread on its own scratch. */
static kzg_status run_chunks(g1_t *out, const msm_request *rq, const msm_scalar *sc, unsigned threads) {
    size_t chunks = threads < rq->k ? threads : rq->k, most = (rq->k + chunks - 1) / chunks;
    size_t each = rq->table ? msm_table_multi_scratch_size(rq->table, most)
                            : g1_msm_multi_scratch_size(most, rq->m, rq->parts, 0);
    each = (each + 63) & ~(size_t)63;
    uint8_t *scratch = kzg_malloc(each * threads);
    if (!scratch && each)
        return kzg_fail(KZG_ERR_MEMORY, "msm: cannot allocate %zu bytes of scratch", each * threads);
    chunk_job j = {rq, sc, out, chunks, scratch, each};
    if (chunks > 1) rq->run(rq->runner, chunks, 1, chunk_task, &j);
    else chunk_task(&j, 0, 1, 0);
    kzg_free(scratch);
    return KZG_OK;
}

/* Σ over m ≤ MSM_SMALL_N points by GLV chains. */
static void run_small(g1_t *out, const msm_request *rq, const msm_scalar *sc) {
    g1_t p[MSM_SMALL_N];
    fr_t k[MSM_SMALL_N];
    for (size_t i = 0; i < rq->m; i++) {
        g1_from_aff(&p[i], &rq->points[i]);
        if (rq->fr_scalars) k[i] = rq->fr_scalars[i];
        else fr_from_raw(&k[i], sc[i].l);
    }
    if (rq->m == 0) g1_set_inf(out);
    else if (rq->m == 1) g1_mul_var(out, &p[0], &k[0]);
    else g1_mul2_var(out, &p[0], &k[0], &p[1], &k[1]);
}

kzg_status msm_run(g1_t *out, const msm_request *rq) {
    kzg_status ret = KZG_OK;
    msm_scalar *owned = NULL;
    const msm_scalar *sc = rq->scalars;
    const size_t total = rq->k * rq->m;
    unsigned threads = rq->threads > 1 && rq->run ? rq->threads : 1;

    if (rq->m == 0 || rq->k == 0) {
        for (size_t j = 0; j < rq->k; j++) g1_set_inf(&out[j]);
        return KZG_OK;
    }
    if (!rq->table && rq->k == 1 && rq->m <= MSM_SMALL_N) {
        run_small(out, rq, sc);
        return KZG_OK;
    }
    if (!sc) { /* Montgomery-form scalars: the kernels read plain integers */
        if (!(owned = kzg_malloc(total * sizeof *owned)))
            return kzg_fail(KZG_ERR_MEMORY, "msm: cannot allocate %zu scalars", total);
        for (size_t i = 0; i < total; i++) fr_to_raw(owned[i].l, &rq->fr_scalars[i]);
        sc = owned;
    }
    if (rq->table && rq->k == 1 && rq->first == 0 && rq->m == rq->table->n) {
        size_t size = msm_table_msm_scratch_size(rq->table, threads);
        void *scratch = kzg_malloc(size);
        if (!scratch) {
            ret = kzg_fail(KZG_ERR_MEMORY, "msm: cannot allocate %zu bytes of scratch", size);
        } else {
            msm_table_msm_var(out, rq->table, sc, scratch, threads, rq->run, rq->runner, rq->self);
            kzg_free(scratch);
        }
    } else if (rq->table || rq->k > 1) {
        ret = run_chunks(out, rq, sc, threads);
    } else {
        size_t size = threads > 1 ? g1_msm_par_scratch_size(rq->m, threads) : g1_msm_raw_scratch_size(rq->m);
        void *scratch = kzg_malloc(size);
        if (!scratch) {
            ret = kzg_fail(KZG_ERR_MEMORY, "msm: cannot allocate %zu bytes of scratch", size);
        } else {
            if (threads > 1)
                g1_msm_raw_par_var(out, rq->points, sc, rq->m, rq->windows, scratch, threads, rq->run,
                                   rq->runner);
            else
                g1_msm_raw_var(out, rq->points, sc, rq->m, rq->windows, scratch);
            kzg_free(scratch);
        }
    }
    kzg_free(owned);
    return ret;
}

/* ---- independent MSMs cut into one run of points per thread (msm_run_many) ------------ */

typedef struct many_job {
    const msm_request *rqs;
    size_t count, total, tasks;
    g1_t *part;      /* tasks × count sums of pieces */
    kzg_status *st;  /* per task */
} many_job;

/* Task t sums the points [total·t/tasks, total·(t+1)/tasks) of the concatenation: of MSM i
 * (points [base, base + m) of it), the overlap, on this thread alone. */
static void many_task(void *arg, size_t begin, size_t end, unsigned thread) {
    const many_job *j = arg;
    for (size_t t = begin; t < end; t++) {
        size_t lo = j->total * t / j->tasks, hi = j->total * (t + 1) / j->tasks, base = 0;
        j->st[t] = KZG_OK;
        for (size_t i = 0; i < j->count; i++) {
            const msm_request *rq = &j->rqs[i];
            size_t a = lo > base ? lo - base : 0, b = hi > base ? hi - base : 0;
            g1_t *o = &j->part[t * j->count + i];
            if (b > rq->m) b = rq->m;
            g1_set_inf(o);
            if (a < b && j->st[t] == KZG_OK) {
                msm_request piece = {.k = 1, .m = b - a, .points = rq->points + a,
                                     .scalars = rq->scalars ? rq->scalars + a : NULL,
                                     .fr_scalars = rq->scalars ? NULL : rq->fr_scalars + a,
                                     .windows = rq->windows, .threads = 1, .self = thread};
                j->st[t] = msm_run(o, &piece);
            }
            base += rq->m;
        }
    }
}

/* ---- several MSMs on one thread, their buckets in common (g1_msm_raw_joint_var) -------- */

/* Joint when every MSM is a Pippenger one (more than MSM_SMALL_N points; msm_run_many's
 * requests are single MSMs without a table) and the largest is at most MSM_JOINT_RATIO
 * times the smallest (all use its window). */
#define MSM_JOINT_RATIO 4

static bool joint_fits(const msm_request *rqs, size_t count) {
    size_t lo = SIZE_MAX, hi = 0;
    if (count < 2) return false;
    for (size_t i = 0; i < count; i++) {
        if (rqs[i].m <= MSM_SMALL_N) return false;
        lo = rqs[i].m < lo ? rqs[i].m : lo;
        hi = rqs[i].m > hi ? rqs[i].m : hi;
    }
    return hi / MSM_JOINT_RATIO <= lo;
}

static kzg_status run_joint(g1_t *out, const msm_request *rqs, size_t count) {
    kzg_status ret = KZG_OK;
    size_t total = 0, nraw = 0;
    for (size_t i = 0; i < count; i++) {
        total += rqs[i].m;
        if (!rqs[i].scalars) nraw += rqs[i].m;
    }
    const g1_aff_t **pts = kzg_malloc(count * sizeof *pts);
    const msm_scalar **scs = kzg_malloc(count * sizeof *scs);
    size_t *seg = kzg_malloc(count * sizeof *seg);
    msm_scalar *owned = nraw ? kzg_malloc(nraw * sizeof *owned) : NULL;
    void *scratch = NULL;
    if (!pts || !scs || !seg || (nraw && !owned)) {
        ret = kzg_fail(KZG_ERR_MEMORY, "msm: cannot allocate for %zu MSMs of %zu points", count, total);
        goto out;
    }
    for (size_t i = 0, o = 0; i < count; i++) {
        pts[i] = rqs[i].points;
        seg[i] = rqs[i].m;
        if (rqs[i].scalars) {
            scs[i] = rqs[i].scalars;
            continue;
        }
        for (size_t e = 0; e < rqs[i].m; e++) fr_to_raw(owned[o + e].l, &rqs[i].fr_scalars[e]);
        scs[i] = owned + o; /* Montgomery-form scalars: the kernels read plain integers */
        o += rqs[i].m;
    }
    size_t size = g1_msm_joint_scratch_size(seg, count, 0);
    if (!(scratch = kzg_malloc(size))) {
        ret = kzg_fail(KZG_ERR_MEMORY, "msm: cannot allocate %zu bytes of scratch", size);
        goto out;
    }
    g1_msm_raw_joint_var(out, pts, scs, seg, count, rqs[0].windows, 0, scratch);
out:
    kzg_free(pts);
    kzg_free(scs);
    kzg_free(seg);
    kzg_free(owned);
    kzg_free(scratch);
    return ret;
}

kzg_status msm_run_many(g1_t *out, const msm_request *rqs, size_t count, unsigned threads,
                        msm_runner_fn run, void *runner) {
    kzg_status ret = KZG_OK;
    size_t total = 0;
    for (size_t i = 0; i < count; i++) total += rqs[i].m;
    size_t tasks = run && threads > 1 ? threads : 1;
    if (tasks > total / MSM_MANY_MIN) tasks = total / MSM_MANY_MIN;
    if (tasks <= 1) { /* on this thread: all at once when alike, else one after the other */
        if (joint_fits(rqs, count)) return run_joint(out, rqs, count);
        for (size_t i = 0; i < count && ret == KZG_OK; i++) {
            msm_request one = rqs[i];
            one.threads = 1;
            one.run = NULL;
            ret = msm_run(&out[i], &one);
        }
        return ret;
    }
    g1_t *part = kzg_malloc(tasks * count * sizeof *part);
    kzg_status *st = kzg_malloc(tasks * sizeof *st);
    if (!part || !st) {
        ret = kzg_fail(KZG_ERR_MEMORY, "msm: cannot allocate the sums of %zu pieces", tasks * count);
        goto out;
    }
    many_job j = {rqs, count, total, tasks, part, st};
    run(runner, tasks, 1, many_task, &j);
    for (size_t t = 0; t < tasks && ret == KZG_OK; t++)
        if (st[t] != KZG_OK) /* the worker's own detail stays on its thread */
            ret = kzg_fail(st[t], "msm: a piece of %zu MSMs over %zu threads failed: %s", count, tasks,
                           kzg_status_str(st[t]));
    for (size_t i = 0; i < count && ret == KZG_OK; i++) {
        out[i] = part[i];
        for (size_t t = 1; t < tasks; t++) g1_add(&out[i], &out[i], &part[t * count + i]);
    }
out:
    kzg_free(part);
    kzg_free(st);
    return ret;
}
