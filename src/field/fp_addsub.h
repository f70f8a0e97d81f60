/*
 * field/fp_addsub.h — Fp addition, subtraction, doubling and negation, inline.
 *
 * Included by field/fp.h only. These are a dozen instructions each and are called in every
 * inner loop (bucket additions, the pairing's tower): as out-of-line calls they cost as much
 * as their bodies (fp_add/fp_sub were 20 % of a pairing), so every caller compiles them in.
 * Contract as in fp.h: fully reduced inputs and output, output may alias any input.
 */
#ifndef KZGKIT_FIELD_FP_ADDSUB_H
#define KZGKIT_FIELD_FP_ADDSUB_H

#include "field/limb.h"

/*
 * Modular add / sub / dbl / neg: one carry chain each plus a masked (or cmov) correction,
 * branch-free. On x86-64 the chains are inline asm (add/adc, sub/sbb, cmovc: baseline
 * x86-64, no CPU probe); elsewhere, and under KZGKIT_NO_ASM (MemorySanitizer cannot see
 * into asm), plain C whose carries are recovered by comparison.
 * a + b < 2p < 2^382 never carries out of six limbs, so the sum needs no seventh word.
 */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(KZGKIT_NO_ASM)
/* A file-local copy of p: addressed RIP-relative, no GOT load, even in the shared library. */
static const uint64_t FP_P_LOCAL[6] = {
    0xb9feffffffffaaabULL, 0x1eabfffeb153ffffULL, 0x6730d2a0f6b0f624ULL,
    0x64774b84f38512bfULL, 0x4b1ba7b6434bacd7ULL, 0x1a0111ea397fe69aULL,
};

/* r = t − p if t ≥ p else t, for t < 2p: sub/sbb into a copy, then cmovc back to t. */
static inline void fp_sub_p_select(fp_t *r, uint64_t t0, uint64_t t1, uint64_t t2, uint64_t t3,
                                   uint64_t t4, uint64_t t5) {
    uint64_t s0, s1, s2, s3, s4, s5;
    __asm__("movq %[t0], %[s0]\n\t"
            "subq %[p0], %[s0]\n\t"
            "movq %[t1], %[s1]\n\t"
            "sbbq %[p1], %[s1]\n\t"
            "movq %[t2], %[s2]\n\t"
            "sbbq %[p2], %[s2]\n\t"
            "movq %[t3], %[s3]\n\t"
            "sbbq %[p3], %[s3]\n\t"
            "movq %[t4], %[s4]\n\t"
            "sbbq %[p4], %[s4]\n\t"
            "movq %[t5], %[s5]\n\t"
            "sbbq %[p5], %[s5]\n\t"
            "cmovcq %[t0], %[s0]\n\t"
            "cmovcq %[t1], %[s1]\n\t"
            "cmovcq %[t2], %[s2]\n\t"
            "cmovcq %[t3], %[s3]\n\t"
            "cmovcq %[t4], %[s4]\n\t"
            "cmovcq %[t5], %[s5]"
            : [s0] "=&r"(s0), [s1] "=&r"(s1), [s2] "=&r"(s2), [s3] "=&r"(s3),
              [s4] "=&r"(s4), [s5] "=&r"(s5)
            : [t0] "r"(t0), [t1] "r"(t1), [t2] "r"(t2), [t3] "r"(t3), [t4] "r"(t4),
              [t5] "r"(t5), [p0] "m"(FP_P_LOCAL[0]), [p1] "m"(FP_P_LOCAL[1]),
              [p2] "m"(FP_P_LOCAL[2]), [p3] "m"(FP_P_LOCAL[3]), [p4] "m"(FP_P_LOCAL[4]),
              [p5] "m"(FP_P_LOCAL[5])
            : "cc");
    r->l[0] = s0; r->l[1] = s1; r->l[2] = s2; r->l[3] = s3; r->l[4] = s4; r->l[5] = s5;
}

static inline void fp_add(fp_t *r, const fp_t *a, const fp_t *b) {
    uint64_t t0, t1, t2, t3, t4, t5;
    __asm__("movq 0(%[a]), %[t0]\n\t"
            "movq 8(%[a]), %[t1]\n\t"
            "movq 16(%[a]), %[t2]\n\t"
            "movq 24(%[a]), %[t3]\n\t"
            "movq 32(%[a]), %[t4]\n\t"
            "movq 40(%[a]), %[t5]\n\t"
            "addq 0(%[b]), %[t0]\n\t"
            "adcq 8(%[b]), %[t1]\n\t"
            "adcq 16(%[b]), %[t2]\n\t"
            "adcq 24(%[b]), %[t3]\n\t"
            "adcq 32(%[b]), %[t4]\n\t"
            "adcq 40(%[b]), %[t5]"
            : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
              [t4] "=&r"(t4), [t5] "=&r"(t5)
            : [a] "r"(a->l), [b] "r"(b->l)
            : "cc", "memory"); /* reads a->l[0..5], b->l[0..5] */
    fp_sub_p_select(r, t0, t1, t2, t3, t4, t5);
}

static inline void fp_dbl(fp_t *r, const fp_t *a) {
    uint64_t t0 = a->l[0], t1 = a->l[1], t2 = a->l[2], t3 = a->l[3], t4 = a->l[4], t5 = a->l[5];
    __asm__("addq %[t0], %[t0]\n\t"
            "adcq %[t1], %[t1]\n\t"
            "adcq %[t2], %[t2]\n\t"
            "adcq %[t3], %[t3]\n\t"
            "adcq %[t4], %[t4]\n\t"
            "adcq %[t5], %[t5]"
            : [t0] "+r"(t0), [t1] "+r"(t1), [t2] "+r"(t2), [t3] "+r"(t3), [t4] "+r"(t4),
              [t5] "+r"(t5)
            :
            : "cc");
    fp_sub_p_select(r, t0, t1, t2, t3, t4, t5);
}

static inline void fp_sub(fp_t *r, const fp_t *a, const fp_t *b) {
    uint64_t t0, t1, t2, t3, t4, t5, m;
    /* t = a − b; m = all ones when it borrowed (a < b) */
    __asm__("movq 0(%[a]), %[t0]\n\t"
            "movq 8(%[a]), %[t1]\n\t"
            "movq 16(%[a]), %[t2]\n\t"
            "movq 24(%[a]), %[t3]\n\t"
            "movq 32(%[a]), %[t4]\n\t"
            "movq 40(%[a]), %[t5]\n\t"
            "subq 0(%[b]), %[t0]\n\t"
            "sbbq 8(%[b]), %[t1]\n\t"
            "sbbq 16(%[b]), %[t2]\n\t"
            "sbbq 24(%[b]), %[t3]\n\t"
            "sbbq 32(%[b]), %[t4]\n\t"
            "sbbq 40(%[b]), %[t5]\n\t"
            "sbbq %[m], %[m]"
            : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
              [t4] "=&r"(t4), [t5] "=&r"(t5), [m] "=&r"(m)
            : [a] "r"(a->l), [b] "r"(b->l)
            : "cc", "memory"); /* reads a->l[0..5], b->l[0..5] */
    /* add back p & m; the carry out of this chain is the borrow above and is dropped */
    uint64_t q0 = FP_P_LOCAL[0] & m, q1 = FP_P_LOCAL[1] & m, q2 = FP_P_LOCAL[2] & m,
             q3 = FP_P_LOCAL[3] & m, q4 = FP_P_LOCAL[4] & m, q5 = FP_P_LOCAL[5] & m;
    __asm__("addq %[q0], %[t0]\n\t"
            "adcq %[q1], %[t1]\n\t"
            "adcq %[q2], %[t2]\n\t"
            "adcq %[q3], %[t3]\n\t"
            "adcq %[q4], %[t4]\n\t"
            "adcq %[q5], %[t5]"
            : [t0] "+r"(t0), [t1] "+r"(t1), [t2] "+r"(t2), [t3] "+r"(t3), [t4] "+r"(t4),
              [t5] "+r"(t5)
            : [q0] "r"(q0), [q1] "r"(q1), [q2] "r"(q2), [q3] "r"(q3), [q4] "r"(q4),
              [q5] "r"(q5)
            : "cc");
    r->l[0] = t0; r->l[1] = t1; r->l[2] = t2; r->l[3] = t3; r->l[4] = t4; r->l[5] = t5;
}

static inline void fp_neg(fp_t *r, const fp_t *a) {
    uint64_t t0, t1, t2, t3, t4, t5;
    uint64_t nz = a->l[0] | a->l[1] | a->l[2] | a->l[3] | a->l[4] | a->l[5];
    uint64_t mask = -(uint64_t)(nz != 0); /* -0 = 0, not p */
    __asm__("movq %[p0], %[t0]\n\t"
            "movq %[p1], %[t1]\n\t"
            "movq %[p2], %[t2]\n\t"
            "movq %[p3], %[t3]\n\t"
            "movq %[p4], %[t4]\n\t"
            "movq %[p5], %[t5]\n\t"
            "subq 0(%[a]), %[t0]\n\t"
            "sbbq 8(%[a]), %[t1]\n\t"
            "sbbq 16(%[a]), %[t2]\n\t"
            "sbbq 24(%[a]), %[t3]\n\t"
            "sbbq 32(%[a]), %[t4]\n\t"
            "sbbq 40(%[a]), %[t5]"
            : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
              [t4] "=&r"(t4), [t5] "=&r"(t5)
            : [a] "r"(a->l), [p0] "m"(FP_P_LOCAL[0]),
              [p1] "m"(FP_P_LOCAL[1]), [p2] "m"(FP_P_LOCAL[2]), [p3] "m"(FP_P_LOCAL[3]),
              [p4] "m"(FP_P_LOCAL[4]), [p5] "m"(FP_P_LOCAL[5])
            : "cc", "memory"); /* reads a->l[0..5] */
    r->l[0] = t0 & mask; r->l[1] = t1 & mask; r->l[2] = t2 & mask;
    r->l[3] = t3 & mask; r->l[4] = t4 & mask; r->l[5] = t5 & mask;
}

#else /* portable */


static inline void fp_sub_p_select(fp_t *r, const uint64_t t[6]) {
    uint64_t s[6], bw = 0;
    _Pragma("GCC unroll 16") for (int i = 0; i < 6; i++) s[i] = limb_sbb(t[i], FP_P[i], &bw);
    uint64_t keep_t = -bw; /* all ones when t < p */
    _Pragma("GCC unroll 16") for (int i = 0; i < 6; i++) r->l[i] = s[i] ^ ((s[i] ^ t[i]) & keep_t);
}

static inline void fp_add(fp_t *r, const fp_t *a, const fp_t *b) {
    uint64_t t[6], c = 0;
    _Pragma("GCC unroll 16") for (int i = 0; i < 6; i++) t[i] = limb_adc(a->l[i], b->l[i], &c);
    fp_sub_p_select(r, t);
}

static inline void fp_dbl(fp_t *r, const fp_t *a) {
    uint64_t t[6];
    t[5] = (a->l[5] << 1) | (a->l[4] >> 63);
    _Pragma("GCC unroll 16") for (int i = 4; i > 0; i--) t[i] = (a->l[i] << 1) | (a->l[i - 1] >> 63);
    t[0] = a->l[0] << 1;
    fp_sub_p_select(r, t);
}

static inline void fp_sub(fp_t *r, const fp_t *a, const fp_t *b) {
    uint64_t t[6], bw = 0, c = 0;
    _Pragma("GCC unroll 16") for (int i = 0; i < 6; i++) t[i] = limb_sbb(a->l[i], b->l[i], &bw);
    uint64_t m = -bw; /* add p back when a < b */
    _Pragma("GCC unroll 16") for (int i = 0; i < 6; i++) r->l[i] = limb_adc(t[i], FP_P[i] & m, &c);
}

static inline void fp_neg(fp_t *r, const fp_t *a) {
    uint64_t t[6], bw = 0;
    uint64_t nz = a->l[0] | a->l[1] | a->l[2] | a->l[3] | a->l[4] | a->l[5];
    uint64_t mask = -(uint64_t)(nz != 0); /* -0 = 0, not p */
    _Pragma("GCC unroll 16") for (int i = 0; i < 6; i++) t[i] = limb_sbb(FP_P[i], a->l[i], &bw);
    _Pragma("GCC unroll 16") for (int i = 0; i < 6; i++) r->l[i] = t[i] & mask;
}

#endif

#endif
