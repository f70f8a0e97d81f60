/*
 * backend/x86_64/mont_mulx.h — Montgomery multiplication for Fp (6×64) and Fr (4×64) with
 * BMI2 mulx and ADX adcx/adox, as inline assembly (GCC/clang syntax, x86-64 only).
 *
 * Owns: the bodies mx_fp_mul / mx_fr_mul, and the sums of two products behind the Fp2
 * product (mx_fp_mul_cross / mx_fp_mul_dot). Included by x86_64/mulx.c (the kernel table's
 * out-of-line entries) and, for the hot path, by field/fp.c and field/fr.c. Callers must
 * run these only after the CPU probe reported bmi2 and adx (backend/dispatch.c); the
 * instructions are written as assembly text, so no -m flag is needed to build them.
 *
 * Algorithm: CIOS Montgomery multiplication (Koç, Acar, Kaliski, IEEE Micro 1996), one row
 * per word b[i]: t += a·b[i], then m = t[0]·n0 mod 2^64, t = (t + m·p) / 2^64. Within a row
 * the low halves of the products go through the OF chain (adox) and the high halves
 * through the CF chain (adcx), so the two carry chains run side by side (Gopal et al.,
 * "Fast and constant-time implementation of modular exponentiation", Intel white paper
 * "New instructions supporting large integer arithmetic on Intel architecture processors",
 * 2012). mulx leaves the flags alone, so products can be issued ahead of the additions.
 *
 * Limb bounds: inputs a, b < p. Invariant at the start of each row: t < 2p. A row adds
 * a·b[i] < p·2^64 and m·p < p·2^64, so the sum is < 2^64·2p + 2p < 2^64·4p: below 2^448
 * for p < 2^381 (seven words) and below 2^320 for r < 2^255 (five words); the words above
 * the top one are never carried into, so no eighth (sixth) word is kept. After the shift
 * t < 2p again; one conditional subtraction (cmov, no branch) makes it < p.
 * Register rotation: after a reduction the lowest word is 0 (m was chosen for that), and
 * that register becomes the top word of the next row, already cleared.
 * Aliasing: every load happens before the first store, so r may equal a or b.
 */
#ifndef KZGKIT_BACKEND_X86_64_MONT_MULX_H
#define KZGKIT_BACKEND_X86_64_MONT_MULX_H

#include <stdint.h>

/* KZGKIT_NO_ASM builds the portable backend only (for MemorySanitizer, which cannot see
 * into inline assembly, and to exercise the non-x86 configuration on an x86 host). */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(KZGKIT_NO_ASM)
#define KZG_HAVE_MULX_KERNELS 1

/* p's limbs then n0 = -p^-1 mod 2^64 (the reduction reads n0 at offset 48). */
static const uint64_t MX_FP_PN[7] = {
    0xb9feffffffffaaabULL, 0x1eabfffeb153ffffULL, 0x6730d2a0f6b0f624ULL,
    0x64774b84f38512bfULL, 0x4b1ba7b6434bacd7ULL, 0x1a0111ea397fe69aULL,
    0x89f3fffcfffcfffdULL,
};
/* r's limbs then n0 = -r^-1 mod 2^64 (offset 32). */
static const uint64_t MX_FR_PN[5] = {
    0xffffffff00000001ULL, 0x53bda402fffe5bfeULL, 0x3339d80809a1d805ULL,
    0x73eda753299d7d48ULL, 0xfffffffeffffffffULL,
};

#define MX_R(X) "%[" #X "]"

/* hi:lo = rdx·SRC; U += lo on the OF chain, V += hi on the CF chain. */
#define MX_MADD(SRC, U, V)                         \
    "mulxq " SRC ", %[lo], %[hi]\n\t"              \
    "adoxq %[lo], " MX_R(U) "\n\t"                 \
    "adcxq %[hi], " MX_R(V) "\n\t"

/* ---- Fp: seven words T0..T6 ---- */

/* Row 0: T0..T6 = a·b[0] (t = 0 before it, so a single carry chain suffices). */
#define MX6_ROW0(T0, T1, T2, T3, T4, T5, T6)               \
    "movq 0(%[b]), %%rdx\n\t"                              \
    "mulxq 0(%[a]), " MX_R(T0) ", " MX_R(T1) "\n\t"        \
    "mulxq 8(%[a]), %[lo], " MX_R(T2) "\n\t"               \
    "addq %[lo], " MX_R(T1) "\n\t"                         \
    "mulxq 16(%[a]), %[lo], " MX_R(T3) "\n\t"              \
    "adcq %[lo], " MX_R(T2) "\n\t"                         \
    "mulxq 24(%[a]), %[lo], " MX_R(T4) "\n\t"              \
    "adcq %[lo], " MX_R(T3) "\n\t"                         \
    "mulxq 32(%[a]), %[lo], " MX_R(T5) "\n\t"              \
    "adcq %[lo], " MX_R(T4) "\n\t"                         \
    "mulxq 40(%[a]), %[lo], " MX_R(T6) "\n\t"              \
    "adcq %[lo], " MX_R(T5) "\n\t"                         \
    "adcq $0, " MX_R(T6) "\n\t"

/* Row i ≥ 1: T0..T6 += a·b[i], with T6 = 0 on entry. */
#define MX6_ROW(OFF, T0, T1, T2, T3, T4, T5, T6)           \
    "movq " #OFF "(%[b]), %%rdx\n\t"                       \
    "xorl %k[lo], %k[lo]\n\t" /* CF = OF = 0 */            \
    MX_MADD("0(%[a])", T0, T1)                             \
    MX_MADD("8(%[a])", T1, T2)                             \
    MX_MADD("16(%[a])", T2, T3)                            \
    MX_MADD("24(%[a])", T3, T4)                            \
    MX_MADD("32(%[a])", T4, T5)                            \
    MX_MADD("40(%[a])", T5, T6)                            \
    "movl $0, %k[lo]\n\t" /* mov keeps the flags */        \
    "adoxq %[lo], " MX_R(T6) "\n\t"

/* Reduction: m = T0·n0; T0..T6 += m·p. T0 becomes 0 and serves as the zero for OF. */
#define MX6_REDC(T0, T1, T2, T3, T4, T5, T6)               \
    "movq " MX_R(T0) ", %%rdx\n\t"                         \
    "imulq 48(%[p]), %%rdx\n\t"                            \
    "xorl %k[lo], %k[lo]\n\t"                              \
    MX_MADD("0(%[p])", T0, T1)                             \
    MX_MADD("8(%[p])", T1, T2)                             \
    MX_MADD("16(%[p])", T2, T3)                            \
    MX_MADD("24(%[p])", T3, T4)                            \
    MX_MADD("32(%[p])", T4, T5)                            \
    MX_MADD("40(%[p])", T5, T6)                            \
    "adoxq " MX_R(T0) ", " MX_R(T6) "\n\t"

/* r = a·b·2^-384 mod p; a, b < p; r < p; r may alias a or b. */
static inline void mx_fp_mul(uint64_t r[6], const uint64_t a[6], const uint64_t b[6]) {
    uint64_t t0, t1, t2, t3, t4, t5, t6, lo, hi;
    const uint64_t *ap = a, *bp = b;
    __asm__ volatile(
        MX6_ROW0(t0, t1, t2, t3, t4, t5, t6)
        MX6_REDC(t0, t1, t2, t3, t4, t5, t6)
        MX6_ROW(8, t1, t2, t3, t4, t5, t6, t0)
        MX6_REDC(t1, t2, t3, t4, t5, t6, t0)
        MX6_ROW(16, t2, t3, t4, t5, t6, t0, t1)
        MX6_REDC(t2, t3, t4, t5, t6, t0, t1)
        MX6_ROW(24, t3, t4, t5, t6, t0, t1, t2)
        MX6_REDC(t3, t4, t5, t6, t0, t1, t2)
        MX6_ROW(32, t4, t5, t6, t0, t1, t2, t3)
        MX6_REDC(t4, t5, t6, t0, t1, t2, t3)
        MX6_ROW(40, t5, t6, t0, t1, t2, t3, t4)
        MX6_REDC(t5, t6, t0, t1, t2, t3, t4)
        /* t = (t6 t0 t1 t2 t3 t4) < 2p; s = t − p in (t5 lo hi rdx a b); keep t on borrow */
        "movq %[t6], %[t5]\n\t"
        "subq 0(%[p]), %[t5]\n\t"
        "movq %[t0], %[lo]\n\t"
        "sbbq 8(%[p]), %[lo]\n\t"
        "movq %[t1], %[hi]\n\t"
        "sbbq 16(%[p]), %[hi]\n\t"
        "movq %[t2], %%rdx\n\t"
        "sbbq 24(%[p]), %%rdx\n\t"
        "movq %[t3], %[a]\n\t"
        "sbbq 32(%[p]), %[a]\n\t"
        "movq %[t4], %[b]\n\t"
        "sbbq 40(%[p]), %[b]\n\t"
        "cmovcq %[t6], %[t5]\n\t"
        "cmovcq %[t0], %[lo]\n\t"
        "cmovcq %[t1], %[hi]\n\t"
        "cmovcq %[t2], %%rdx\n\t"
        "cmovcq %[t3], %[a]\n\t"
        "cmovcq %[t4], %[b]\n\t"
        "movq %[t5], 0(%[r])\n\t"
        "movq %[lo], 8(%[r])\n\t"
        "movq %[hi], 16(%[r])\n\t"
        "movq %%rdx, 24(%[r])\n\t"
        "movq %[a], 32(%[r])\n\t"
        "movq %[b], 40(%[r])\n\t"
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
          [t5] "=&r"(t5), [t6] "=&r"(t6), [lo] "=&r"(lo), [hi] "=&r"(hi), [a] "+&r"(ap),
          [b] "+&r"(bp)
        : [p] "r"(MX_FP_PN), [r] "r"(r)
        : "rdx", "cc", "memory");
}

/* ---- Fp: a sum of two products, a·b + c·d, reduced once ---- */

/* T0..T6 += x·y[i], where x is the six words at AO(%[a]) and y[i] the word at BO(%[b]).
 * T6 need not be zero (the second product of a row lands on a non-zero top word): both
 * carry chains end in T6, and the caller's bound keeps the sum below 2^448. */
#define MX6_ROWX(AO, BO, T0, T1, T2, T3, T4, T5, T6)        \
    "movq " BO "(%[b]), %%rdx\n\t"                         \
    "xorl %k[lo], %k[lo]\n\t"                              \
    MX_MADD(AO "+0(%[a])", T0, T1)                         \
    MX_MADD(AO "+8(%[a])", T1, T2)                         \
    MX_MADD(AO "+16(%[a])", T2, T3)                        \
    MX_MADD(AO "+24(%[a])", T3, T4)                        \
    MX_MADD(AO "+32(%[a])", T4, T5)                        \
    MX_MADD(AO "+40(%[a])", T5, T6)                        \
    "movl $0, %k[lo]\n\t"                                  \
    "adoxq %[lo], " MX_R(T6) "\n\t"

/* One CIOS row of the sum: both products' row i, then one reduction. */
#define MX6_SUM2_ROW(A1, B1, A2, B2, I, T0, T1, T2, T3, T4, T5, T6) \
    MX6_ROWX(A1, B1 "+8*" I, T0, T1, T2, T3, T4, T5, T6)             \
    MX6_ROWX(A2, B2 "+8*" I, T0, T1, T2, T3, T4, T5, T6)             \
    MX6_REDC(T0, T1, T2, T3, T4, T5, T6)

/* r = (x1·y1 + x2·y2)·2^-384 mod p, with x1 = a+A1, y1 = b+B1, x2 = a+A2, y2 = b+B2 (byte
 * offsets, string literals): 72 + 36 mulx, one final subtraction. Inputs < p. Bound:
 * at each row start t ≤ 3p, a row adds < 3p·2^64, so the sum stays < 2^448 (seven words)
 * and t ≤ 3p after the shift; the end value (x1y1 + x2y2 + m·p)/2^384 < 2p²/2^384 + p < 2p,
 * so one conditional subtraction gives r < p. All loads precede the stores: r may alias
 * any input. */
#define MX6_SUM2_BODY(A1, B1, A2, B2)                                              \
    uint64_t t0, t1, t2, t3, t4, t5, t6, lo, hi;                                   \
    const uint64_t *ap = a, *bp = b;                                               \
    __asm__ volatile(                                                              \
        "xorl %k[t0], %k[t0]\n\t"                                                  \
        "xorl %k[t1], %k[t1]\n\t"                                                  \
        "xorl %k[t2], %k[t2]\n\t"                                                  \
        "xorl %k[t3], %k[t3]\n\t"                                                  \
        "xorl %k[t4], %k[t4]\n\t"                                                  \
        "xorl %k[t5], %k[t5]\n\t"                                                  \
        "xorl %k[t6], %k[t6]\n\t"                                                  \
        MX6_SUM2_ROW(A1, B1, A2, B2, "0", t0, t1, t2, t3, t4, t5, t6)              \
        MX6_SUM2_ROW(A1, B1, A2, B2, "1", t1, t2, t3, t4, t5, t6, t0)              \
        MX6_SUM2_ROW(A1, B1, A2, B2, "2", t2, t3, t4, t5, t6, t0, t1)              \
        MX6_SUM2_ROW(A1, B1, A2, B2, "3", t3, t4, t5, t6, t0, t1, t2)              \
        MX6_SUM2_ROW(A1, B1, A2, B2, "4", t4, t5, t6, t0, t1, t2, t3)              \
        MX6_SUM2_ROW(A1, B1, A2, B2, "5", t5, t6, t0, t1, t2, t3, t4)              \
        "movq %[t6], %[t5]\n\t"                                                    \
        "subq 0(%[p]), %[t5]\n\t"                                                  \
        "movq %[t0], %[lo]\n\t"                                                    \
        "sbbq 8(%[p]), %[lo]\n\t"                                                  \
        "movq %[t1], %[hi]\n\t"                                                    \
        "sbbq 16(%[p]), %[hi]\n\t"                                                 \
        "movq %[t2], %%rdx\n\t"                                                    \
        "sbbq 24(%[p]), %%rdx\n\t"                                                 \
        "movq %[t3], %[a]\n\t"                                                     \
        "sbbq 32(%[p]), %[a]\n\t"                                                  \
        "movq %[t4], %[b]\n\t"                                                     \
        "sbbq 40(%[p]), %[b]\n\t"                                                  \
        "cmovcq %[t6], %[t5]\n\t"                                                  \
        "cmovcq %[t0], %[lo]\n\t"                                                  \
        "cmovcq %[t1], %[hi]\n\t"                                                  \
        "cmovcq %[t2], %%rdx\n\t"                                                  \
        "cmovcq %[t3], %[a]\n\t"                                                   \
        "cmovcq %[t4], %[b]\n\t"                                                   \
        "movq %[t5], 0(%[r])\n\t"                                                  \
        "movq %[lo], 8(%[r])\n\t"                                                  \
        "movq %[hi], 16(%[r])\n\t"                                                 \
        "movq %%rdx, 24(%[r])\n\t"                                                 \
        "movq %[a], 32(%[r])\n\t"                                                  \
        "movq %[b], 40(%[r])\n\t"                                                  \
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),          \
          [t4] "=&r"(t4), [t5] "=&r"(t5), [t6] "=&r"(t6), [lo] "=&r"(lo),          \
          [hi] "=&r"(hi), [a] "+&r"(ap), [b] "+&r"(bp)                             \
        : [p] "r"(MX_FP_PN), [r] "r"(r)                                            \
        : "rdx", "cc", "memory")

/* For an Fp2 product: a and b point to twelve words each, (a0, a1) and (b0, b1).
 * r = a0·b1 + a1·b0 (the u coefficient). */
static inline void mx_fp_mul_cross(uint64_t r[6], const uint64_t *a, const uint64_t *b) {
    MX6_SUM2_BODY("0", "48", "48", "0");
}
/* r = a0·b0 + a1·b1 (the real coefficient when a1 is passed negated). */
static inline void mx_fp_mul_dot(uint64_t r[6], const uint64_t *a, const uint64_t *b) {
    MX6_SUM2_BODY("0", "0", "48", "48");
}

/* ---- Fr: five words T0..T4 ---- */

#define MX4_ROW0(T0, T1, T2, T3, T4)                       \
    "movq 0(%[b]), %%rdx\n\t"                              \
    "mulxq 0(%[a]), " MX_R(T0) ", " MX_R(T1) "\n\t"        \
    "mulxq 8(%[a]), %[lo], " MX_R(T2) "\n\t"               \
    "addq %[lo], " MX_R(T1) "\n\t"                         \
    "mulxq 16(%[a]), %[lo], " MX_R(T3) "\n\t"              \
    "adcq %[lo], " MX_R(T2) "\n\t"                         \
    "mulxq 24(%[a]), %[lo], " MX_R(T4) "\n\t"              \
    "adcq %[lo], " MX_R(T3) "\n\t"                         \
    "adcq $0, " MX_R(T4) "\n\t"

#define MX4_ROW(OFF, T0, T1, T2, T3, T4)                   \
    "movq " #OFF "(%[b]), %%rdx\n\t"                       \
    "xorl %k[lo], %k[lo]\n\t"                              \
    MX_MADD("0(%[a])", T0, T1)                             \
    MX_MADD("8(%[a])", T1, T2)                             \
    MX_MADD("16(%[a])", T2, T3)                            \
    MX_MADD("24(%[a])", T3, T4)                            \
    "movl $0, %k[lo]\n\t"                                  \
    "adoxq %[lo], " MX_R(T4) "\n\t"

#define MX4_REDC(T0, T1, T2, T3, T4)                       \
    "movq " MX_R(T0) ", %%rdx\n\t"                         \
    "imulq 32(%[p]), %%rdx\n\t"                            \
    "xorl %k[lo], %k[lo]\n\t"                              \
    MX_MADD("0(%[p])", T0, T1)                             \
    MX_MADD("8(%[p])", T1, T2)                             \
    MX_MADD("16(%[p])", T2, T3)                            \
    MX_MADD("24(%[p])", T3, T4)                            \
    "adoxq " MX_R(T0) ", " MX_R(T4) "\n\t"

/* r = a·b·2^-256 mod r_mod; a, b < r_mod; output < r_mod; r may alias a or b. */
static inline void mx_fr_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t t0, t1, t2, t3, t4, lo, hi;
    __asm__ volatile(
        MX4_ROW0(t0, t1, t2, t3, t4)
        MX4_REDC(t0, t1, t2, t3, t4)
        MX4_ROW(8, t1, t2, t3, t4, t0)
        MX4_REDC(t1, t2, t3, t4, t0)
        MX4_ROW(16, t2, t3, t4, t0, t1)
        MX4_REDC(t2, t3, t4, t0, t1)
        MX4_ROW(24, t3, t4, t0, t1, t2)
        MX4_REDC(t3, t4, t0, t1, t2)
        /* t = (t4 t0 t1 t2) < 2r; s = t − r in (t3 lo hi rdx); keep t on borrow */
        "movq %[t4], %[t3]\n\t"
        "subq 0(%[p]), %[t3]\n\t"
        "movq %[t0], %[lo]\n\t"
        "sbbq 8(%[p]), %[lo]\n\t"
        "movq %[t1], %[hi]\n\t"
        "sbbq 16(%[p]), %[hi]\n\t"
        "movq %[t2], %%rdx\n\t"
        "sbbq 24(%[p]), %%rdx\n\t"
        "cmovcq %[t4], %[t3]\n\t"
        "cmovcq %[t0], %[lo]\n\t"
        "cmovcq %[t1], %[hi]\n\t"
        "cmovcq %[t2], %%rdx\n\t"
        "movq %[t3], 0(%[r])\n\t"
        "movq %[lo], 8(%[r])\n\t"
        "movq %[hi], 16(%[r])\n\t"
        "movq %%rdx, 24(%[r])\n\t"
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
          [lo] "=&r"(lo), [hi] "=&r"(hi)
        : [a] "r"(a), [b] "r"(b), [p] "r"(MX_FR_PN), [r] "r"(r)
        : "rdx", "cc", "memory");
}

#endif /* x86-64 */
#endif
