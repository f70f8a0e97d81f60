/*
 * backend/dispatch.c — choosing the arithmetic backend once per process. Contract in
 * backend.h.
 *
 * Call path (why a table pointer): fp_mul and friends were already out-of-line calls in
 * this codebase, so every choice below adds at most a load and a jump to a call that
 * exists anyway. Measured on the reference machine (2-core AMD EPYC, gcc 12 -O2; chained
 * fp_mul / fr_mul, minimum over 400 samples of 20,000 operations, all variants
 * interleaved):
 *     mulx body inlined at the call site       26.55 ns / 15.83 ns
 *     direct call to the mulx kernel           26.53 ns / 16.26 ns
 *     call through a function pointer          26.57 ns / 15.65 ns
 *     branch on a global flag + inlined body   26.44 ns / 16.35 ns
 * The four differ by less than the run-to-run noise (±0.5 ns): in a dependent chain of
 * multiplications the call, the load of the pointer and the indirect jump (always
 * predicted) execute in the shadow of the previous multiplication's latency. So the
 * choice is made on other grounds: one pointer to a const table of kernels (libsodium's
 * picker, STYLE "one table of kernels per primitive") needs no initialisation test on the
 * hot path — before selection the pointer designates a table whose entries select first —
 * keeps the kernels out of field/, and extends to coarse kernels (batches, bucket passes)
 * by adding entries.
 *
 * Threads: selection is a pure function of the environment and the CPU, so threads that
 * race on the first call compute the same table; the pointer is atomic (relaxed: the
 * tables are constant data, initialised before main).
 */
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"

const backend_kernels BACKEND_PORTABLE = {
    .name = "portable",
    .fp_mul = fp_mul_portable,
    .fp_sqr = fp_sqr_portable,
    .fr_mul = fr_mul_portable,
    .fr_mul_sum2 = fr_mul_sum2_portable,
    .fr_sqr = fr_sqr_portable,
    .fp2_mul = fp2_mul_portable,
    .batch_ifma = false,
};

/* Entries of the table in use before the first selection: select, then forward. */
static void select_fp_mul(fp_t *r, const fp_t *a, const fp_t *b) { backend_select()->fp_mul(r, a, b); }
static void select_fp_sqr(fp_t *r, const fp_t *a) { backend_select()->fp_sqr(r, a); }
static void select_fr_mul(fr_t *r, const fr_t *a, const fr_t *b) { backend_select()->fr_mul(r, a, b); }
static void select_fr_sqr(fr_t *r, const fr_t *a) { backend_select()->fr_sqr(r, a); }
static void select_fr_mul_sum2(fr_t *r, const fr_t a[2], const fr_t b[2]) {
    backend_select()->fr_mul_sum2(r, a, b);
}
static void select_fp2_mul(fp2_t *r, const fp2_t *a, const fp2_t *b) {
    backend_select()->fp2_mul(r, a, b);
}

static const backend_kernels BACKEND_UNSELECTED = {
    .name = "unselected",
    .fp_mul = select_fp_mul,
    .fp_sqr = select_fp_sqr,
    .fr_mul = select_fr_mul,
    .fr_sqr = select_fr_sqr,
    .fr_mul_sum2 = select_fr_mul_sum2,
    .fp2_mul = select_fp2_mul,
    .batch_ifma = false,
};

_Atomic(const backend_kernels *) backend_active_ = &BACKEND_UNSELECTED;
static const char *_Atomic g_note = "not selected yet";

const backend_kernels *backend_mulx_adx(void) {
    const cpu_features *f = cpu_features_get();
    return f->bmi2 && f->adx ? backend_mulx_adx_built() : NULL;
}

const backend_kernels *backend_mulx_adx_ifma(void) {
    const cpu_features *f = cpu_features_get();
    return f->bmi2 && f->adx && f->avx512ifma ? backend_mulx_adx_ifma_built() : NULL;
}

const backend_kernels *backend_choose(const char *env, const cpu_features *cpu,
                                      const char **note) {
    const backend_kernels *mulx = backend_mulx_adx_built(), *ifma = backend_mulx_adx_ifma_built();
    bool mulx_runs = mulx != NULL && cpu->bmi2 && cpu->adx;
    bool ifma_runs = ifma != NULL && mulx_runs && cpu->avx512ifma; /* avx512ifma implies usable avx512f */
    if (env == NULL || env[0] == '\0' || strcmp(env, "auto") == 0) {
        if (ifma_runs) {
            *note = "cpu has bmi2+adx+avx512ifma";
            return ifma;
        }
        if (mulx_runs) {
            *note = "cpu has bmi2+adx";
            return mulx;
        }
#ifdef KZGKIT_NO_ASM
        *note = "built with KZGKIT_NO_ASM: portable C only";
#else
        *note = mulx == NULL ? "no accelerated backend built for this target"
                             : "cpu lacks bmi2 or adx";
#endif
        return &BACKEND_PORTABLE;
    }
    if (strcmp(env, "portable") == 0) {
        *note = "KZGKIT_BACKEND=portable";
        return &BACKEND_PORTABLE;
    }
    if (strcmp(env, "x86_64-mulx-adx") == 0) {
        if (mulx_runs) {
            *note = "KZGKIT_BACKEND=x86_64-mulx-adx";
            return mulx;
        }
        *note = "KZGKIT_BACKEND=x86_64-mulx-adx cannot run here (not built, or cpu lacks "
                "bmi2/adx); using portable";
        return &BACKEND_PORTABLE;
    }
    if (strcmp(env, "x86_64-mulx-adx-ifma") == 0) {
        if (ifma_runs) {
            *note = "KZGKIT_BACKEND=x86_64-mulx-adx-ifma";
            return ifma;
        }
        *note = "KZGKIT_BACKEND=x86_64-mulx-adx-ifma cannot run here (not built, or cpu lacks "
                "bmi2/adx/avx512ifma); using portable";
        return &BACKEND_PORTABLE;
    }
    *note = "KZGKIT_BACKEND is not auto, portable, x86_64-mulx-adx or x86_64-mulx-adx-ifma; "
            "using portable";
    return &BACKEND_PORTABLE;
}

/* Installs k (chosen for `note`) unless a table is already selected; returns the table in
 * use. A compare-and-swap, so that kzg_set_backend and the first arithmetic call racing
 * agree on one table (the note may lag the table by an instant; it is only for display). */
static const backend_kernels *install(const backend_kernels *k, const char *note) {
    const backend_kernels *expected = &BACKEND_UNSELECTED;
    if (atomic_compare_exchange_strong_explicit(&backend_active_, &expected, k, memory_order_relaxed,
                                                memory_order_relaxed)) {
        atomic_store_explicit(&g_note, note, memory_order_relaxed);
        return k;
    }
    return expected;
}

const backend_kernels *backend_select(void) {
    const backend_kernels *k = backend_active();
    if (k != &BACKEND_UNSELECTED) return k;
    const char *note = "";
    k = backend_choose(getenv("KZGKIT_BACKEND"), cpu_features_get(), &note);
    return install(k, note);
}

/* The table a name designates when this CPU can run it (NULL otherwise), and its note. */
static const backend_kernels *backend_by_name(const char *name, const char **note) {
    if (strcmp(name, "auto") == 0) return backend_choose(NULL, cpu_features_get(), note);
    if (strcmp(name, "portable") == 0) {
        *note = "kzg_set_backend(\"portable\")";
        return &BACKEND_PORTABLE;
    }
    if (strcmp(name, "x86_64-mulx-adx") == 0) {
        *note = "kzg_set_backend(\"x86_64-mulx-adx\")";
        return backend_mulx_adx();
    }
    if (strcmp(name, "x86_64-mulx-adx-ifma") == 0) {
        *note = "kzg_set_backend(\"x86_64-mulx-adx-ifma\")";
        return backend_mulx_adx_ifma();
    }
    return NULL;
}

KZG_API kzg_status kzg_set_backend(const char *name) {
    if (!name) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_set_backend: name is NULL");
    const char *note = "";
    const backend_kernels *k = backend_by_name(name, &note);
    if (!k) {
        bool known = strcmp(name, "x86_64-mulx-adx") == 0 || strcmp(name, "x86_64-mulx-adx-ifma") == 0;
        return kzg_fail(KZG_ERR_BAD_ARG, known ? "kzg_set_backend: '%s' cannot run on this CPU (or "
                                                 "is not built into this library)"
                                               : "kzg_set_backend: '%s' is not auto, portable, "
                                                 "x86_64-mulx-adx or x86_64-mulx-adx-ifma", name);
    }
    const backend_kernels *in_use = install(k, note);
    if (in_use != k)
        return kzg_fail(KZG_ERR_BAD_ARG, "kzg_set_backend: the backend is already selected ('%s', "
                        "%s); it can only be chosen before the first arithmetic",
                        in_use->name, backend_selection_note());
    return KZG_OK;
}

const char *backend_selection_note(void) {
    backend_select();
    return atomic_load_explicit(&g_note, memory_order_relaxed);
}

KZG_API const char *kzg_backend(void) {
    return backend_select()->name;
}
