/*
 * backend/x86_64/mont_mulx.h — Montgomery multiplication for Fp (6×64) and Fr (4×64) with
 * BMI2 mulx and ADX adcx/adox, as inline assembly (GCC/clang syntax, x86-64 only).
 *
 * Owns: the bodies mx_fp_mul / mx_fp_sqr / mx_fr_mul, and the sums of two products behind
 * the Fp2 product (mx_fp_mul_cross / mx_fp_mul_dot) and fr_mul_sum2 (mx_fr_mul_sum2). Included by x86_64/mulx.c (the kernel
 * table's entries, which field/fp.c and field/fr.c reach through backend_active()) and by
 * the tests that check the bodies directly. Callers must
 * run these only after the CPU probe reported bmi2 and adx (backend/dispatch.c); the
 * instructions are written as assembly text, so no -m flag is needed to build them.
 *
 * Algorithm (of the products; mx_fp_sqr states its own above its body): CIOS Montgomery
 * multiplication (Koç, Acar, Kaliski, IEEE Micro 1996), one row per word b[i]: t += a·b[i],
 * then m = t[0]·n0 mod 2^64, t = (t + m·p) / 2^64. Within a row
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

/* ---- Fp: squaring ---- */

/*
 * r = a²·2^-384 mod p; a < p; r < p; r may alias a.  57 mulx (15 + 6 + 36) against 72.
 *
 * Algorithm: SOS (separated operand scanning: the whole product first, then the
 * reduction; Koç, Acar, Kaliski 1996, as above), the product by symmetric halves
 * (Menezes, van Oorschot, Vanstone, Handbook of Applied Cryptography, Algorithm 14.16):
 *   A. X = Σ_{i<j} a_i·a_j·2^(64(i+j)), the 15 cross products, in words X1..X10
 *      (row i = 0..4 adds a_i·(a_{i+1}..a_5); rows 0 and 4 on the CF chain alone, rows
 *      1..3 on the two chains of MX_MADD).                                      15 mulx
 *   B. T = 2X + Σ a_i²·2^(128 i), word by word from T0 to T11: the doubling on the CF
 *      chain (adcx w, w; or a word from memory added twice, once per chain), the squares
 *      on the OF chain (adox).                                                    6 mulx
 *   C. Montgomery reduction of the low half only: six rows of MX6_REDC's form on T0..T5
 *      give u = (T_lo + M·p)/2^384 for the M < 2^384 with T_lo + M·p ≡ 0 (mod 2^384);
 *      then (T + M·p)/2^384 = u + T_hi, T_hi = T6..T11 added at the end.       36 mulx
 * Limb bounds: a < p < 2^381. A: X < a²/2 < 2^762; a row's new top word is 0 before it,
 * and the partial sum fits the words written so far, so no carry leaves it. B: 2X +
 * Σ a_i² = a² < 2^762, so neither chain carries out of T11. C: after k rows the window
 * holds (T_lo + M_k·p)/2^(64k) < 2^(384−64k) + p < 2^384 (M_k = M mod 2^(64k), the k
 * words of m so far) in six words, plus a top word
 * that is the previous row's cleared low word (as in mx_fp_mul); u < (2^384 +
 * 2^384·p)/2^384 = p + 1 and T_hi ≤ (p−1)²/2^384 < p/8, so u + T_hi < 2p < 2^382 and one
 * conditional subtraction gives r < p.
 * Registers: 13 plus rdx, as mx_fp_mul (which fits with a frame pointer, and under ASan):
 * X1..X10 need more than the nine left beside a, lo, hi and one pointer f to a stack
 * frame (the 12-word product does not fit at all), so X6 and X10 wait in f->t while rows
 * and squares still need registers, and T6, T9, T10, T11 go there for phase C; f also
 * carries the addresses of p and r, which phase C loads into registers freed by then.
 * No operand is a memory reference to a local: ASan may move such locals, and the
 * address would need a fourteenth register.
 * Cost: 260 instructions in the assembly against 279 for mx_fp_mul(a, a).
 * Aliasing: f is private; every load of a precedes the first store to r.
 */
typedef struct {
    uint64_t t[6];       /* X6 then T6, T9, X10 then T10, T11: t[0], t[3], t[4], t[5] */
    const uint64_t *p;   /* MX_FP_PN, offset 48 */
    uint64_t *r;         /* the output, offset 56 */
} mx_sqr_frame;

/* m = T0·n0; T0..T6 += m·p, p's address in register PR (MX6_REDC with a named pointer). */
#define MS6_REDC(PR, T0, T1, T2, T3, T4, T5, T6)           \
    "movq " MX_R(T0) ", %%rdx\n\t"                         \
    "imulq 48(" MX_R(PR) "), %%rdx\n\t"                    \
    "xorl %k[lo], %k[lo]\n\t"                              \
    MX_MADD("0(" MX_R(PR) ")", T0, T1)                     \
    MX_MADD("8(" MX_R(PR) ")", T1, T2)                     \
    MX_MADD("16(" MX_R(PR) ")", T2, T3)                    \
    MX_MADD("24(" MX_R(PR) ")", T3, T4)                    \
    MX_MADD("32(" MX_R(PR) ")", T4, T5)                    \
    MX_MADD("40(" MX_R(PR) ")", T5, T6)                    \
    "adoxq " MX_R(T0) ", " MX_R(T6) "\n\t"

/* Phase B, a word in register W: W = 2·W + CF (CF chain), then W += S + OF (OF chain). */
#define MS_DBL_ADD(W, S)                                   \
    "adcxq " MX_R(W) ", " MX_R(W) "\n\t"                   \
    "adoxq " MX_R(S) ", " MX_R(W) "\n\t"

/* Phase B, a word X at OFF(%[f]): lo = lo + X + CF, then + X + OF (the doubling as two
 * additions, one per chain: the same sum, the same two carries); T back to OFF(%[f]). */
#define MS_DBL_ADD_MEM(OFF)                                \
    "adcxq " #OFF "(%[f]), %[lo]\n\t"                      \
    "adoxq " #OFF "(%[f]), %[lo]\n\t"                      \
    "movq %[lo], " #OFF "(%[f])\n\t"

static inline void mx_fp_sqr(uint64_t r[6], const uint64_t a[6]) {
    uint64_t w0, w1, w2, w3, w4, w5, w6, w7, w8, lo, hi;
    mx_sqr_frame frame;
    frame.p = MX_FP_PN;
    frame.r = r;
    const uint64_t *ap = a;
    mx_sqr_frame *f = &frame;
    __asm__ volatile(
        /* A. cross products: X1..X5 in w1..w5, X6 in w6 then f->t[0], X7 w7, X8 w8,
         * X9 w6, X10 w0 then f->t[4] */
        /* row 0: a0·(a1..a5) → X1..X6                                            5 mulx */
        "movq 0(%[a]), %%rdx\n\t"
        "mulxq 8(%[a]), %[w1], %[w2]\n\t"
        "mulxq 16(%[a]), %[lo], %[w3]\n\t"
        "addq %[lo], %[w2]\n\t"
        "mulxq 24(%[a]), %[lo], %[w4]\n\t"
        "adcq %[lo], %[w3]\n\t"
        "mulxq 32(%[a]), %[lo], %[w5]\n\t"
        "adcq %[lo], %[w4]\n\t"
        "mulxq 40(%[a]), %[lo], %[w6]\n\t"
        "adcq %[lo], %[w5]\n\t"
        "adcq $0, %[w6]\n\t"
        /* row 1: a1·(a2..a5) → X3..X7                                            4 mulx */
        "movq 8(%[a]), %%rdx\n\t"
        "xorl %k[w7], %k[w7]\n\t" /* X7 = 0, CF = OF = 0 */
        MX_MADD("16(%[a])", w3, w4)
        MX_MADD("24(%[a])", w4, w5)
        MX_MADD("32(%[a])", w5, w6)
        MX_MADD("40(%[a])", w6, w7)
        "movl $0, %k[lo]\n\t" /* mov keeps the flags */
        "adoxq %[lo], %[w7]\n\t"
        /* row 2: a2·(a3..a5) → X5..X8                                            3 mulx */
        "movq 16(%[a]), %%rdx\n\t"
        "xorl %k[w8], %k[w8]\n\t"
        MX_MADD("24(%[a])", w5, w6)
        MX_MADD("32(%[a])", w6, w7)
        MX_MADD("40(%[a])", w7, w8)
        "movl $0, %k[lo]\n\t"
        "adoxq %[lo], %[w8]\n\t"
        "movq %[w6], 0(%[f])\n\t" /* X6 is final: to f->t[0], w6 takes X9 */
        /* row 3: a3·(a4, a5) → X7..X9                                            2 mulx */
        "movq 24(%[a]), %%rdx\n\t"
        "xorl %k[w6], %k[w6]\n\t"
        MX_MADD("32(%[a])", w7, w8)
        MX_MADD("40(%[a])", w8, w6)
        "movl $0, %k[lo]\n\t"
        "adoxq %[lo], %[w6]\n\t"
        /* row 4: a4·a5 → X9, X10                                                  1 mulx */
        "movq 32(%[a]), %%rdx\n\t"
        "mulxq 40(%[a]), %[lo], %[w0]\n\t"
        "addq %[lo], %[w6]\n\t"
        "adcq $0, %[w0]\n\t"
        "movq %[w0], 32(%[f])\n\t" /* X10 to f->t[4]: w0 takes T0 */
        /* B. T = 2X + squares: T0..T5 in w0..w5, T6 f->t[0], T7 w7, T8 w8, T9 w6 then
         * f->t[3], T10 f->t[4], T11 f->t[5]                                        6 mulx */
        "movq 0(%[a]), %%rdx\n\t"
        "xorl %k[lo], %k[lo]\n\t" /* CF = OF = 0 */
        "mulxq %%rdx, %[w0], %[hi]\n\t" /* T0 = lo(a0²) */
        MS_DBL_ADD(w1, hi)
        "movq 8(%[a]), %%rdx\n\t"
        "mulxq %%rdx, %[lo], %[hi]\n\t"
        MS_DBL_ADD(w2, lo)
        MS_DBL_ADD(w3, hi)
        "movq 16(%[a]), %%rdx\n\t"
        "mulxq %%rdx, %[lo], %[hi]\n\t"
        MS_DBL_ADD(w4, lo)
        MS_DBL_ADD(w5, hi)
        "movq 24(%[a]), %%rdx\n\t"
        "mulxq %%rdx, %[lo], %[hi]\n\t"
        MS_DBL_ADD_MEM(0)
        MS_DBL_ADD(w7, hi)
        "movq 32(%[a]), %%rdx\n\t"
        "mulxq %%rdx, %[lo], %[hi]\n\t"
        MS_DBL_ADD(w8, lo)
        MS_DBL_ADD(w6, hi)
        "movq %[w6], 24(%[f])\n\t"
        "movq 40(%[a]), %%rdx\n\t" /* the last load of a */
        "mulxq %%rdx, %[lo], %[hi]\n\t"
        MS_DBL_ADD_MEM(32)
        "movl $0, %k[a]\n\t" /* a is spent: it becomes phase C's first top word, 0 */
        "adcxq %[a], %[hi]\n\t" /* T11 = hi + CF + OF (X11 = 0) */
        "adoxq %[a], %[hi]\n\t"
        "movq %[hi], 40(%[f])\n\t"
        /* C. reduce T_lo = (w0..w5) with a = 0 on top; p's address in w6   36 mulx */
        "movq 48(%[f]), %[w6]\n\t"
        MS6_REDC(w6, w0, w1, w2, w3, w4, w5, a)
        MS6_REDC(w6, w1, w2, w3, w4, w5, a, w0)
        MS6_REDC(w6, w2, w3, w4, w5, a, w0, w1)
        MS6_REDC(w6, w3, w4, w5, a, w0, w1, w2)
        MS6_REDC(w6, w4, w5, a, w0, w1, w2, w3)
        MS6_REDC(w6, w5, a, w0, w1, w2, w3, w4)
        /* u = (a w0 w1 w2 w3 w4) ≤ p; t = u + T_hi < 2p */
        "addq 0(%[f]), %[a]\n\t"
        "adcq %[w7], %[w0]\n\t"
        "adcq %[w8], %[w1]\n\t"
        "adcq 24(%[f]), %[w2]\n\t"
        "adcq 32(%[f]), %[w3]\n\t"
        "adcq 40(%[f]), %[w4]\n\t"
        /* s = t − p in (w5 lo hi rdx w7 w8); keep t on borrow */
        "movq %[a], %[w5]\n\t"
        "subq 0(%[w6]), %[w5]\n\t"
        "movq %[w0], %[lo]\n\t"
        "sbbq 8(%[w6]), %[lo]\n\t"
        "movq %[w1], %[hi]\n\t"
        "sbbq 16(%[w6]), %[hi]\n\t"
        "movq %[w2], %%rdx\n\t"
        "sbbq 24(%[w6]), %%rdx\n\t"
        "movq %[w3], %[w7]\n\t"
        "sbbq 32(%[w6]), %[w7]\n\t"
        "movq %[w4], %[w8]\n\t"
        "sbbq 40(%[w6]), %[w8]\n\t"
        "cmovcq %[a], %[w5]\n\t"
        "cmovcq %[w0], %[lo]\n\t"
        "cmovcq %[w1], %[hi]\n\t"
        "cmovcq %[w2], %%rdx\n\t"
        "cmovcq %[w3], %[w7]\n\t"
        "cmovcq %[w4], %[w8]\n\t"
        "movq 56(%[f]), %[w6]\n\t" /* r */
        "movq %[w5], 0(%[w6])\n\t"
        "movq %[lo], 8(%[w6])\n\t"
        "movq %[hi], 16(%[w6])\n\t"
        "movq %%rdx, 24(%[w6])\n\t"
        "movq %[w7], 32(%[w6])\n\t"
        "movq %[w8], 40(%[w6])\n\t"
        : [w0] "=&r"(w0), [w1] "=&r"(w1), [w2] "=&r"(w2), [w3] "=&r"(w3), [w4] "=&r"(w4),
          [w5] "=&r"(w5), [w6] "=&r"(w6), [w7] "=&r"(w7), [w8] "=&r"(w8), [lo] "=&r"(lo),
          [hi] "=&r"(hi), [a] "+&r"(ap)
        : [f] "r"(f)
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

/* T0..T4 += x·y[i], x the four words at AO(%[a]), y[i] the word at BO(%[b]); T5 (0 here)
 * is the top word that only mx_fr_mul_sum2's reduction can reach. By the bounds of its
 * callers the products never carry out of T4: the OF chain's last carry goes into T4, the
 * CF chain ends there. */
#define MX4_ROWX(AO, BO, T0, T1, T2, T3, T4)              \
    "movq " BO "(%[b]), %%rdx\n\t"                         \
    "xorl %k[lo], %k[lo]\n\t"                              \
    MX_MADD(AO "+0(%[a])", T0, T1)                         \
    MX_MADD(AO "+8(%[a])", T1, T2)                         \
    MX_MADD(AO "+16(%[a])", T2, T3)                        \
    MX_MADD(AO "+24(%[a])", T3, T4)                        \
    "movl $0, %k[lo]\n\t"                                  \
    "adoxq %[lo], " MX_R(T4) "\n\t"

/* Row OFF/8 of one product. */
#define MX4_ROW(OFF, T0, T1, T2, T3, T4) MX4_ROWX("0", #OFF, T0, T1, T2, T3, T4)

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

/* ---- Fr: a sum of two products, a·b + c·d, reduced once ---- */

/* MX4_REDC with a sixth word T5 for the carries out of T4 (mx_fr_mul_sum2). */
#define MX4_REDCX(T0, T1, T2, T3, T4, T5)                  \
    MX4_REDC(T0, T1, T2, T3, T4)                           \
    "adcxq " MX_R(T0) ", " MX_R(T5) "\n\t"                 \
    "adoxq " MX_R(T0) ", " MX_R(T5) "\n\t"

#define MX4_SUM2_ROW(I, T0, T1, T2, T3, T4, T5)            \
    MX4_ROWX("0", "8*" I, T0, T1, T2, T3, T4)               \
    MX4_ROWX("32", "32+8*" I, T0, T1, T2, T3, T4)           \
    MX4_REDCX(T0, T1, T2, T3, T4, T5)

/*
 * r = (x1·y1 + x2·y2)·2^-256 mod r_mod, with x1 = a[0..4), x2 = a[4..8), y1 = b[0..4),
 * y2 = b[4..8) (two adjacent Fr elements each): 2·16 + 16 = 48 mulx against 64 for two
 * mx_fr_mul and an addition. CIOS as mx_fr_mul, both products' row i then one reduction.
 * Bound: at a row start t < 3r (true at 0; a row adds x1·y1[i] + x2·y2[i] + m·r <
 * 3r·2^64, so t < (3r + 3r·2^64)/2^64, i.e. ≤ 3r after the shift). Before the reduction
 * the row's sum is < 3r + 2r·2^64 < 2^320 (r < 2^254.9): five words; with m·r it is
 * < 3r·(2^64 + 1) < 2^321, which is why the window has a sixth word, T5, that only
 * MX4_REDCX carries into. The end value (x1y1 + x2y2 + M·r)/2^256 <
 * 2r²/2^256 + r < 2r < 2^256 (T5 is then 0), so one conditional subtraction gives r < r_mod.
 * All loads precede the stores: r may alias any input.
 */
static inline void mx_fr_mul_sum2(uint64_t r[4], const uint64_t *a, const uint64_t *b) {
    uint64_t t0, t1, t2, t3, t4, t5, lo, hi;
    __asm__ volatile(
        "xorl %k[t0], %k[t0]\n\t"
        "xorl %k[t1], %k[t1]\n\t"
        "xorl %k[t2], %k[t2]\n\t"
        "xorl %k[t3], %k[t3]\n\t"
        "xorl %k[t4], %k[t4]\n\t"
        "xorl %k[t5], %k[t5]\n\t"
        MX4_SUM2_ROW("0", t0, t1, t2, t3, t4, t5)
        MX4_SUM2_ROW("1", t1, t2, t3, t4, t5, t0)
        MX4_SUM2_ROW("2", t2, t3, t4, t5, t0, t1)
        MX4_SUM2_ROW("3", t3, t4, t5, t0, t1, t2)
        /* t = (t4 t5 t0 t1) < 2r; s = t − r in (t3 lo hi rdx); keep t on borrow */
        "movq %[t4], %[t3]\n\t"
        "subq 0(%[p]), %[t3]\n\t"
        "movq %[t5], %[lo]\n\t"
        "sbbq 8(%[p]), %[lo]\n\t"
        "movq %[t0], %[hi]\n\t"
        "sbbq 16(%[p]), %[hi]\n\t"
        "movq %[t1], %%rdx\n\t"
        "sbbq 24(%[p]), %%rdx\n\t"
        "cmovcq %[t4], %[t3]\n\t"
        "cmovcq %[t5], %[lo]\n\t"
        "cmovcq %[t0], %[hi]\n\t"
        "cmovcq %[t1], %%rdx\n\t"
        "movq %[t3], 0(%[r])\n\t"
        "movq %[lo], 8(%[r])\n\t"
        "movq %[hi], 16(%[r])\n\t"
        "movq %%rdx, 24(%[r])\n\t"
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
          [t5] "=&r"(t5), [lo] "=&r"(lo), [hi] "=&r"(hi)
        : [a] "r"(a), [b] "r"(b), [p] "r"(MX_FR_PN), [r] "r"(r)
        : "rdx", "cc", "memory");
}

#endif /* x86-64 */
#endif
