/*
 * setup/fk20_columns.c — the FK20 columns of a monomial setup: the one computation of them,
 * used by the context at run time (setup/fk20.c) and by the build-time generator
 * (tools/gen_setup), which embeds the mainnet setup's columns in the library.
 *
 * Only arithmetic (curve, poly) and the caller's runner: no context, no embedded data, so the
 * generator can compile this file on its own.
 */
#include "setup/setup.h"

#include "poly/fft_g1.h"
#include "poly/poly.h"

typedef struct column_job {
    const g1_aff_t *g1_monomial;
    const fr_t *roots; /* ω_128^k, k < 128 */
    g1_t *all;         /* [SETUP_FK20_POINTS], Jacobian */
    g1_t *col;         /* per thread: 2·128 */
} column_job;

/* Column t, transformed: all[j·64 + t] = FFT_128(Q_t)[j] with Q_t[m] = [τ^(64·(62-m) + t)]G1
 * for m ≤ 62 and infinity above. */
static void column_task(void *arg, size_t begin, size_t end, unsigned thread) {
    const column_job *job = arg;
    g1_t *q = job->col + (size_t)thread * 2 * SETUP_FK20_FREQS, *f = q + SETUP_FK20_FREQS;
    for (size_t t = begin; t < end; t++) {
        for (size_t m = 0; m < SETUP_FK20_FREQS; m++) {
            if (m <= SETUP_FK20_COLS - 2)
                g1_from_aff(&q[m], &job->g1_monomial[SETUP_FK20_COLS * (SETUP_FK20_COLS - 2 - m) + t]);
            else
                g1_set_inf(&q[m]);
        }
        g1_fft_var(f, q, SETUP_FK20_FREQS, job->roots, 1);
        for (size_t j = 0; j < SETUP_FK20_FREQS; j++) job->all[j * SETUP_FK20_COLS + t] = f[j];
    }
}

kzg_status setup_fk20_columns(g1_aff_t xfft[SETUP_FK20_POINTS], const g1_aff_t *g1_monomial,
                              unsigned threads, msm_runner_fn run, void *runner) {
    kzg_status ret = KZG_OK;
    fr_t roots[SETUP_FK20_FREQS];
    if (threads < 1 || !run) threads = 1;
    g1_t *col = kzg_calloc((size_t)threads * 2 * SETUP_FK20_FREQS, sizeof *col);
    g1_t *all = kzg_calloc(SETUP_FK20_POINTS, sizeof *all);
    fp_t *scratch = kzg_calloc(SETUP_FK20_POINTS, sizeof *scratch);
    if (!col || !all || !scratch) {
        ret = kzg_fail(KZG_ERR_MEMORY, "fk20: cannot allocate the columns' scratch");
        goto out;
    }
    /* 128 is a power of two ≤ 2^32: poly_roots_of_unity cannot fail here. ω_128 is ω_8192^64
     * (both are powers of the same primitive root), the domain of eip7594/fk20.c. */
    (void)poly_roots_of_unity(roots, SETUP_FK20_FREQS);
    column_job job = {g1_monomial, roots, all, col};
    if (threads > 1) run(runner, SETUP_FK20_COLS, 1, column_task, &job);
    else column_task(&job, 0, SETUP_FK20_COLS, 0);
    g1_batch_to_aff(xfft, all, SETUP_FK20_POINTS, scratch);
out:
    kzg_free(col);
    kzg_free(all);
    kzg_free(scratch);
    return ret;
}

typedef struct shift_job {
    const g1_aff_t *xfft;
    g1_t *all; /* [(SETUP_FK20_PARTS - 1)·SETUP_FK20_POINTS], Jacobian, copy-major */
} shift_job;

/* Points [begin, end) in blocks of 64: 128/SETUP_FK20_PARTS doublings per copy, each copy
 * from the last. */
static void shift_task(void *arg, size_t begin, size_t end, unsigned thread) {
    const shift_job *job = arg;
    (void)thread;
    for (size_t b = begin; b < end; b++)
        for (size_t i = b * 64; i < (b + 1) * 64; i++) {
            g1_t x;
            g1_from_aff(&x, &job->xfft[i]);
            for (size_t s = 0; s + 1 < SETUP_FK20_PARTS; s++) {
                for (int d = 0; d < 128 / SETUP_FK20_PARTS; d++) g1_dbl(&x, &x);
                job->all[s * SETUP_FK20_POINTS + i] = x;
            }
        }
}

kzg_status setup_fk20_shifted(g1_aff_t shifted[SETUP_FK20_PARTS - 1][SETUP_FK20_POINTS],
                              const g1_aff_t xfft[SETUP_FK20_POINTS], unsigned threads,
                              msm_runner_fn run, void *runner) {
    const size_t n = (SETUP_FK20_PARTS - 1) * (size_t)SETUP_FK20_POINTS;
    kzg_status ret = KZG_OK;
    g1_t *all = kzg_calloc(n, sizeof *all);
    fp_t *scratch = kzg_calloc(n, sizeof *scratch);
    if (!all || !scratch) {
        ret = kzg_fail(KZG_ERR_MEMORY, "fk20: cannot allocate the shifted columns' scratch");
        goto out;
    }
    shift_job job = {xfft, all};
    if (threads > 1 && run) run(runner, SETUP_FK20_POINTS / 64, 1, shift_task, &job);
    else shift_task(&job, 0, SETUP_FK20_POINTS / 64, 0);
    g1_batch_to_aff(&shifted[0][0], all, n, scratch); /* the rows are contiguous */
out:
    kzg_free(all);
    kzg_free(scratch);
    return ret;
}
