/*
 * backend/backend.h — the arithmetic backends: one table of kernels per instruction set,
 * and the one chosen for this process.
 *
 * Owns: the kernel table type, the tables (portable, x86-64 mulx/adx), their selection from
 * the CPU probe (cpu.h) and KZGKIT_BACKEND, and kzg_backend(). Part of the field layer: the
 * kernels are alternative bodies of fp_mul/fp_sqr/fr_mul/fr_sqr/fr_mul_sum2/fp2_mul. May call: field (the
 * portable kernels), common.
 *
 * Contract of every kernel: inputs fully reduced, output fully reduced, output may alias
 * any input, constant time (no data-dependent branches or addresses); every backend gives
 * bit-identical results to the portable one (test/unit/field/test_backend.c).
 *
 * Selection: at the first call of fp_mul/fp_sqr/fr_mul/fr_sqr or kzg_backend() (or
 * backend_select()), from the probe: mulx/adx with the IFMA batch kernels when the CPU has
 * bmi2, adx, avx512f and avx512ifma; mulx/adx when it has bmi2 and adx; else portable.
 * KZGKIT_BACKEND overrides it: "auto" (the probe's choice), "portable", or a backend name
 * ("x86_64-mulx-adx", "x86_64-mulx-adx-ifma", honoured only when the CPU can run it);
 * anything else selects portable, and backend_selection_note() says why. kzg_set_backend
 * (kzgkit/kzg.h) selects one by name instead, if it comes first: the selection is made once
 * per process and never changes afterwards (the MSM window defaults and the scratch sizes
 * derived from them depend on it).
 */
#ifndef KZGKIT_BACKEND_BACKEND_H
#define KZGKIT_BACKEND_BACKEND_H

#include <stdatomic.h>

#include "backend/cpu.h"
#include "field/fp.h"
#include "field/fp2.h"
#include "field/fr.h"

typedef struct backend_kernels {
    const char *name; /* what kzg_backend() returns */
    void (*fp_mul)(fp_t *r, const fp_t *a, const fp_t *b);
    void (*fp_sqr)(fp_t *r, const fp_t *a);
    void (*fr_mul)(fr_t *r, const fr_t *a, const fr_t *b);
    void (*fr_sqr)(fr_t *r, const fr_t *a);
    /* r = a[0]·b[0] + a[1]·b[1] (fr_mul_sum2). */
    void (*fr_mul_sum2)(fr_t *r, const fr_t a[2], const fr_t b[2]);
    void (*fp2_mul)(fp2_t *r, const fp2_t *a, const fp2_t *b);
    /* Batch kernels: the MSM's batch-affine additions run eight at a time with AVX-512 IFMA
     * (x86_64/ifma.h, used by msm/acc.c) when set. */
    bool batch_ifma;
} backend_kernels;

/* The portable C kernels (field/fp.c, field/fr.c): always built, the oracle. */
void fp_mul_portable(fp_t *r, const fp_t *a, const fp_t *b);
void fp_sqr_portable(fp_t *r, const fp_t *a);
void fr_mul_portable(fr_t *r, const fr_t *a, const fr_t *b);
void fr_sqr_portable(fr_t *r, const fr_t *a);
void fr_mul_sum2_portable(fr_t *r, const fr_t a[2], const fr_t b[2]);
void fp2_mul_portable(fp2_t *r, const fp2_t *a, const fp2_t *b); /* field/fp2.c */

extern const backend_kernels BACKEND_PORTABLE;
/* The x86-64 mulx/adx table (x86_64/mulx.c), or NULL where it is not built (not x86-64
 * with GCC/clang). Whether this CPU can run it is a separate question: */
const backend_kernels *backend_mulx_adx_built(void);
/* ... the table when it is built and the CPU has bmi2 and adx, else NULL: a non-NULL
 * result can always be run. */
const backend_kernels *backend_mulx_adx(void);
/* The same scalar kernels plus the IFMA batch kernels ("x86_64-mulx-adx-ifma"): NULL where
 * not built; backend_mulx_adx_ifma() also NULL unless the CPU has bmi2, adx, avx512f and
 * avx512ifma with ZMM state enabled by the OS. */
const backend_kernels *backend_mulx_adx_ifma_built(void);
const backend_kernels *backend_mulx_adx_ifma(void);

/* The selected table. Until the first selection it points to a table whose entries select
 * and then forward, so callers never test for initialisation: one load and an indirect
 * jump per call (measured in dispatch.c). */
extern _Atomic(const backend_kernels *) backend_active_;
static inline const backend_kernels *backend_active(void) {
    return atomic_load_explicit(&backend_active_, memory_order_relaxed);
}

/* Selects (once; later calls return the same table) and returns the table in use. */
const backend_kernels *backend_select(void);

/* The pure selection rule, for tests: `env` is KZGKIT_BACKEND's value (NULL when unset),
 * `cpu` the probe's flags. Sets *note to a static one-line explanation of the choice. */
const backend_kernels *backend_choose(const char *env, const cpu_features *cpu,
                                      const char **note);

/* One line saying how the backend in use was chosen (for `kzgkit info` and bench reports),
 * e.g. "cpu has bmi2+adx" or "KZGKIT_BACKEND=foo is not a backend name; using portable". */
const char *backend_selection_note(void);

#endif
