/*
 * backend/cpu.c — the CPU probe behind backend selection. The contract is in cpu.h.
 *
 * Sources: Intel SDM vol. 2A, CPUID leaf 1 (ECX bit 27 OSXSAVE, bit 28 AVX) and leaf 7
 * subleaf 0 (EBX bit 3 BMI2, 5 AVX2, 16 AVX512F, 19 ADX, 21 AVX512IFMA, 29 SHA); vol. 1
 * §13.3: XCR0 bits 1–2 (SSE/AVX state) and 5–7 (opmask, ZMM_Hi256, Hi16_ZMM) must be set by
 * the OS before AVX2 / AVX-512 code may run.
 */
#include "backend/cpu.h"

#include <stdatomic.h>
#include <string.h>

/* KZGKIT_NO_ASM: no cpuid/xgetbv either (both are inline assembly); every flag stays false
 * and only the portable backend can be chosen. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(KZGKIT_NO_ASM)
#include <cpuid.h>
#define KZG_CPU_X86 1
#endif

static cpu_features g_features;
static char g_features_str[64];
static atomic_int g_probed; /* 0: not yet, 1: g_features valid */

#ifdef KZG_CPU_X86
static unsigned long long cpu_xgetbv0(void) {
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
}
#endif

static void cpu_probe(cpu_features *f) {
    memset(f, 0, sizeof *f);
#ifdef KZG_CPU_X86
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx)) return;
    unsigned max_leaf = eax;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return;
    bool osxsave = (ecx >> 27) & 1, avx = (ecx >> 28) & 1;
    unsigned long long xcr0 = osxsave ? cpu_xgetbv0() : 0;
    bool ymm_ok = avx && (xcr0 & 0x6) == 0x6;
    bool zmm_ok = ymm_ok && (xcr0 & 0xe0) == 0xe0;
    if (max_leaf < 7) return;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    f->bmi2 = (ebx >> 3) & 1;
    f->adx = (ebx >> 19) & 1;
    f->sha = (ebx >> 29) & 1;
    f->avx2 = ymm_ok && ((ebx >> 5) & 1);
    f->avx512f = zmm_ok && ((ebx >> 16) & 1);
    f->avx512ifma = f->avx512f && ((ebx >> 21) & 1);
#endif
}

static void cpu_format(char *out, size_t cap, const cpu_features *f) {
    static const char *const names[] = {"bmi2", "adx", "avx2", "avx512f", "avx512ifma", "sha"};
    const bool have[] = {f->bmi2, f->adx, f->avx2, f->avx512f, f->avx512ifma, f->sha};
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof have / sizeof have[0]; i++) {
        if (!have[i]) continue;
        size_t n = strlen(names[i]);
        if (len + (len > 0) + n + 1 > cap) break; /* cannot happen with 64 bytes */
        if (len > 0) out[len++] = ' ';
        memcpy(out + len, names[i], n + 1);
        len += n;
    }
}

/* The first caller claims the probe and runs it (a few cpuid instructions); a thread that
 * races with it waits for the release store, so every reader sees complete flags. */
const cpu_features *cpu_features_get(void) {
    if (!atomic_load_explicit(&g_probed, memory_order_acquire)) {
        static _Atomic int g_claim;
        if (atomic_exchange_explicit(&g_claim, 1, memory_order_acq_rel) == 0) {
            cpu_probe(&g_features);
            cpu_format(g_features_str, sizeof g_features_str, &g_features);
            atomic_store_explicit(&g_probed, 1, memory_order_release);
        } else {
            while (!atomic_load_explicit(&g_probed, memory_order_acquire)) {
            }
        }
    }
    return &g_features;
}

const char *cpu_features_str(void) {
    cpu_features_get();
    return g_features_str;
}
