/*
 * msm/table.c — fixed-base MSM over precomputed tables (see msm/msm.h).
 *
 * With entries T[i][j] = 2^(c·j)·P_i, Σ_i k_i·P_i = Σ_i Σ_j d_ij·T[i][j] where d_ij are the
 * signed c-bit digits of k_i: every (i, j) with d_ij ≠ 0 is one batch-affine addition into
 * bucket |d_ij| of a single bucket set, and one running-sum reduction of 2^(c-1) buckets
 * finishes it. Against the variable-base MSM this removes the c doublings between windows
 * and all but one bucket reduction, at n·nwin·96 bytes of memory. No GLV here: it would
 * halve the memory but not the additions.
 *
 * Parallel: the points are cut into one contiguous range per task; each task has its own
 * buckets and reduction; the task sums are added in range order.
 */
#include "msm/msm.h"

#include "msm/msm_acc.h"
#include "msm/msm_recode.h"

#define TABLE_BUILD_CHUNK 32
#define TABLE_SCALAR_BITS 255

size_t msm_table_windows(unsigned c) { return TABLE_SCALAR_BITS / c + 1; }

/* Batches of 1024 additions for 4096 buckets or more (c ≥ 13): the inversion is shared by
 * four times as many additions as acc_batch_for's 256, for ~6 % more deferred ones.
 * Measured (window 13, one commitment, paired CPU time): IFMA -6.4 %, mulx/adx -1.2 % (~);
 * 512 gave -5.1 %. Smaller windows keep acc_batch_for. */
static size_t table_batch(size_t nb) { return nb >= 4096 ? 1024 : acc_batch_for(nb); }

size_t msm_table_build_scratch_size(unsigned c, size_t count) {
    size_t m = count < TABLE_BUILD_CHUNK ? count : TABLE_BUILD_CHUNK;
    return m * msm_table_windows(c) * (sizeof(g1_t) + sizeof(fp_t));
}

void msm_table_build_range(msm_table *t, const g1_aff_t *points, size_t begin, size_t end,
                           void *scratch) {
    const size_t nwin = t->nwin;
    g1_t *jac = scratch;
    for (size_t b = begin; b < end; b += TABLE_BUILD_CHUNK) {
        size_t e = end - b < TABLE_BUILD_CHUNK ? end : b + TABLE_BUILD_CHUNK;
        size_t m = (e - b) * nwin;
        fp_t *inv = (fp_t *)(jac + m);
        for (size_t i = b; i < e; i++) {
            g1_t *row = jac + (i - b) * nwin;
            g1_from_aff(&row[0], &points[i]);
            for (size_t j = 1; j < nwin; j++) {
                row[j] = row[j - 1];
                if (g1_is_inf(&row[j])) continue;
                for (unsigned k = 0; k < t->c; k++) g1_dbl(&row[j], &row[j]);
            }
        }
        g1_batch_to_aff(t->entries + b * nwin, jac, m, inv);
    }
}

size_t msm_table_msm_scratch_size(const msm_table *t, unsigned threads) {
    if (threads == 0) threads = 1;
    size_t nb = (size_t)1 << (t->c - 1);
    return msm_align64((size_t)threads * sizeof(g1_t)) +
           (size_t)threads * (acc_scratch_size(nb, table_batch(nb)) + acc_reduce_batched_scratch_size(1, nb));
}

typedef struct table_job {
    const msm_table *t;
    const msm_scalar *scalars;
    uint8_t *scratch;
    size_t tasks;
    g1_t *res;
    unsigned self; /* the pool thread of an inline run (the runner's calls name their own) */
} table_job;

msm_table_read_fn msm_table_read_hook; /* msm.h: tests only */

void msm_table_adopt_copies(msm_table *t, g1_aff_t **copies, unsigned ncopies, uint8_t *copy_of,
                            unsigned nthreads) {
    kzg_free(t->entries);
    t->entries = copies[0];
    t->copies = copies;
    t->ncopies = ncopies;
    t->copy_of = copy_of;
    t->nthreads = nthreads;
}

static void table_task(void *arg, size_t begin, size_t end, unsigned thread) {
    const table_job *j = arg;
    const msm_table *t = j->t;
    const size_t nb = (size_t)1 << (t->c - 1), cap = table_batch(nb);
    const size_t main_size = acc_scratch_size(nb, cap);
    const size_t each = main_size + acc_reduce_batched_scratch_size(1, nb);
    void *accmem = j->scratch + msm_align64(j->tasks * sizeof(g1_t)) + (size_t)thread * each;
    /* thread names the scratch slot; the copy read is that of the pool thread running the
     * task: the runner's thread, or on one thread the caller's own (self). */
    unsigned reader = j->tasks == 1 ? j->self : thread;
    const g1_aff_t *entries = msm_table_thread_entries(t, reader);
    if (msm_table_read_hook) msm_table_read_hook(t, entries, reader);
    /* Two digit rows: the next point's is recoded, and its table row (nwin entries, 1,920
     * bytes for c = 13) and its buckets (random among 2^(c-1): 384 KiB for c = 13) are
     * prefetched, before the current point's additions are queued. Without it, perf put
     * 11 % of a commitment on the first load of each table entry (fp_eq in acc_process).
     * Measured (window 13, paired CPU time): buckets alone IFMA ~, mulx/adx -2.3 %; with
     * the rows IFMA -6.9 %, mulx/adx -2.4 %. */
    int32_t dig[2][TABLE_SCALAR_BITS + 1];
    for (size_t task = begin; task < end; task++) {
        size_t p0 = t->n * task / j->tasks, p1 = t->n * (task + 1) / j->tasks;
        acc a;
        acc_init(&a, accmem, nb, cap);
        if (p0 < p1) msm_recode256(dig[p0 & 1], j->scalars[p0].l, t->c, t->nwin);
        for (size_t i = p0; i < p1; i++) {
            const int32_t *d = dig[i & 1];
            if (i + 1 < p1) {
                int32_t *dn = dig[(i + 1) & 1];
                msm_recode256(dn, j->scalars[i + 1].l, t->c, t->nwin);
                for (size_t w = 0; w < t->nwin; w++) {
                    int32_t x = dn[w];
                    if (!x) continue;
                    uint32_t mag = (uint32_t)(x < 0 ? -x : x);
                    __builtin_prefetch(&a.b[mag - 1], 1);
                }
                const char *next = (const char *)(entries + (i + 1) * t->nwin);
                for (size_t off = 0; off < t->nwin * sizeof(g1_aff_t); off += 64) __builtin_prefetch(next + off, 0);
            }
            const g1_aff_t *row = entries + i * t->nwin;
            if (g1_aff_is_inf(&row[0])) continue;
            for (size_t w = 0; w < t->nwin; w++) {
                int32_t x = d[w];
                if (!x) continue;
                uint32_t mag = (uint32_t)(x < 0 ? -x : x);
                acc_add(&a, mag - 1, &row[w].x, &row[w].y, x < 0 ? ACC_NEG : 0);
            }
        }
        acc_finish(&a);
        acc_reduce_batched(&j->res[task], &a, 1, nb, (uint8_t *)accmem + main_size);
    }
}

void msm_table_msm_var(g1_t *out, const msm_table *t, const msm_scalar *scalars, void *scratch,
                       unsigned threads, msm_runner_fn run, void *runner, unsigned self) {
    g1_set_inf(out);
    if (t->n == 0) return;
    if (threads == 0 || !run) threads = 1;
    table_job j = {t, scalars, scratch, threads, scratch, self};
    if (threads > 1) run(runner, threads, 1, table_task, &j);
    else table_task(&j, 0, 1, 0);
    g1_t sum = j.res[0];
    for (size_t k = 1; k < threads; k++) g1_add(&sum, &sum, &j.res[k]);
    *out = sum;
}
