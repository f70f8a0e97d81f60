/*
 * backend/cpu.h — what the CPU we run on can do, for choosing arithmetic kernels.
 *
 * Owns: the CPU probe (cpuid + xgetbv on x86-64). May call: nothing else in kzgkit.
 *
 * A feature is reported only when the CPU has it *and* (for vector state) the OS saves the
 * registers it needs, so a kernel chosen from these flags can run. On other architectures
 * (and under KZGKIT_NO_ASM) every flag is false and only the portable backend is used.
 */
#ifndef KZGKIT_BACKEND_CPU_H
#define KZGKIT_BACKEND_CPU_H

#include <stdbool.h>

typedef struct {
    bool bmi2;       /* mulx */
    bool adx;        /* adcx/adox */
    bool avx2;       /* with OS-enabled YMM state */
    bool avx512f;    /* with OS-enabled ZMM/opmask state */
    bool avx512ifma; /* vpmadd52luq/huq, only with avx512f usable */
    bool sha;        /* SHA-NI */
} cpu_features;

/* The probe's result; computed on the first call (cheap and idempotent, so concurrent first
 * calls are harmless) and cached. Never NULL. */
const cpu_features *cpu_features_get(void);

/* The flags as one line, e.g. "bmi2 adx avx2 avx512f avx512ifma sha" ("" when none). */
const char *cpu_features_str(void);

#endif
