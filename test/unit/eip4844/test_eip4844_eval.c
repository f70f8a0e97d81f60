/*
 * test_eip4844_eval — the blob evaluation's folding levels (eip4844/eval.c) give the same
 * last term and z^N, bit for bit, on every backend: the IFMA path (eight pairs at a time
 * over five 52-bit limbs, lazily reduced, in natural order, where the CPU has it),
 * mulx/adx and portable, for random terms and points and for the edge values (all 0, all
 * r − 1, alternating, terms that make t or u vanish, a single nonzero term at every
 * position class; z = 0, 1 and −1). The rest of the terms is scratch, in an order that
 * differs between the paths. The backend tables are installed directly (backend_active_), one after the
 * other. On a CPU without IFMA the backends that exist are compared, and the test says so.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "backend/backend.h"
#include "eip4844/eval.h"
#include "setup/setup.h"
#include "testrand.h"

static void rand_fr(fr_t *k) {
    uint8_t b[32];
    testrand_bytes_edge(b, 32);
    fr_from_bytes_be_reduce(k, b);
}

/* Fills n with a pattern: 0 random, 1 all zero, 2 all r − 1, 3 alternating r − 1 / 0,
 * 4 equal neighbours (u = 0), 5 opposite neighbours (t = 0), 6 one term r − 1 at index
 * `at`, the rest 0 (a wrong place in the IFMA path's reordering shows). Terms are plain
 * values < r. */
static void fill(fr_t *n, int pattern, size_t at) {
    fr_t rm1 = {{FR_R[0] - 1, FR_R[1], FR_R[2], FR_R[3]}};
    for (size_t i = 0; i < EVAL_N; i++) {
        switch (pattern) {
        case 6: n[i] = i == at ? rm1 : FR_ZERO; break;
        case 0: rand_fr(&n[i]); break;
        case 1: n[i] = FR_ZERO; break;
        case 2: n[i] = rm1; break;
        case 3: n[i] = i % 2 ? FR_ZERO : rm1; break;
        case 4:
            if (i % 2 == 0) rand_fr(&n[i]);
            else n[i] = n[i - 1];
            break;
        default:
            if (i % 2 == 0) rand_fr(&n[i]);
            else fr_neg(&n[i], &n[i - 1]);
            break;
        }
    }
}

int main(void) {
    testrand_init("test_eip4844_eval");
    /* The tables themselves, installed one after the other (kzg_set_backend selects once
     * per process); NULL where this build or CPU lacks one. */
    const backend_kernels *tables[] = {&BACKEND_PORTABLE, backend_mulx_adx(), backend_mulx_adx_ifma()};
    static const char *const names[] = {"portable", "x86_64-mulx-adx", "x86_64-mulx-adx-ifma"};
    fr_t *src = malloc(EVAL_N * sizeof *src), *ref = malloc(EVAL_N * sizeof *ref), *got = malloc(EVAL_N * sizeof *got);
    if (!src || !ref || !got) return 1;
    bool ifma = false;
    long trials = test_iters(24) + 48;
    for (long k = 0; k < trials; k++) {
        /* 48 single-term trials: every bit of the index set once and cleared once, then
         * random indices. */
        int pattern = k < 48 ? 6 : (int)(k % 6);
        size_t at = k < 12 ? (size_t)1 << k : k < 24 ? (EVAL_N - 1) ^ ((size_t)1 << (k - 12)) : testrand_u64() % EVAL_N;
        fill(src, pattern, at);
        fr_t z, zref, zgot;
        rand_fr(&z);
        if (k == 49) z = FR_ZERO;
        if (k == 50) z = FR_ONE;
        if (k == 51 || k == 7) fr_neg(&z, &FR_ONE);
        atomic_store(&backend_active_, tables[0]);
        memcpy(ref, src, EVAL_N * sizeof *ref);
        zref = z;
        eval_fold(ref, &zref, SETUP_EMBEDDED.roots_brp);
        for (size_t b = 1; b < sizeof names / sizeof names[0]; b++) {
            if (!tables[b]) continue; /* not in this build or on this CPU */
            atomic_store(&backend_active_, tables[b]);
            ifma |= backend_active()->batch_ifma;
            memcpy(got, src, EVAL_N * sizeof *got);
            zgot = z;
            eval_fold(got, &zgot, SETUP_EMBEDDED.roots_brp);
            CHECK(memcmp(&got[0], &ref[0], sizeof *got) == 0, "%s, pattern %d, trial %ld: the last term differs",
                  names[b], pattern, k);
            CHECK(memcmp(&zgot, &zref, sizeof zgot) == 0, "%s: z^N differs", names[b]);
        }
    }
    /* Another domain table than the embedded one takes the scalar path whatever the backend. */
    fr_t *roots = malloc(EVAL_N * sizeof *roots);
    if (roots) {
        memcpy(roots, SETUP_EMBEDDED.roots_brp, EVAL_N * sizeof *roots);
        fill(src, 0, 0);
        fr_t z, z1, z2;
        rand_fr(&z);
        z1 = z2 = z;
        atomic_store(&backend_active_, tables[2] ? tables[2] : tables[0]);
        memcpy(ref, src, EVAL_N * sizeof *ref);
        memcpy(got, src, EVAL_N * sizeof *got);
        eval_fold(ref, &z1, SETUP_EMBEDDED.roots_brp);
        eval_fold(got, &z2, roots);
        CHECK(memcmp(&got[0], &ref[0], sizeof *got) == 0 && memcmp(&z1, &z2, sizeof z1) == 0,
              "a copy of the domain gives another last term");
        free(roots);
    }
    printf("  %s\n", ifma ? "IFMA path compared with portable and mulx/adx"
                          : "this CPU has no IFMA: only the scalar backends compared");
    free(src);
    free(ref);
    free(got);
    return test_report();
}
