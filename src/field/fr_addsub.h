/*
 * field/fr_addsub.h — Fr addition, subtraction, doubling and negation, inline.
 *
 * Included by field/fr.h only, for the reason given in field/fp_addsub.h: the evaluation
 * and quotient loops call these once or twice per multiplication. Contract as in fr.h.
 */
#ifndef KZGKIT_FIELD_FR_ADDSUB_H
#define KZGKIT_FIELD_FR_ADDSUB_H

#include "field/limb.h"

/*
 * Modular add / sub / dbl / neg: one carry chain each plus a masked (or cmov) correction,
 * branch-free; the same scheme as fp.c (inline asm on x86-64, comparison carries in C
 * elsewhere and under KZGKIT_NO_ASM). a + b < 2r < 2^256 never carries out of four limbs.
 */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(KZGKIT_NO_ASM)
/* A file-local copy of r: addressed RIP-relative, no GOT load, even in the shared library. */
static const uint64_t FR_R_LOCAL[4] = {
    0xffffffff00000001ULL, 0x53bda402fffe5bfeULL, 0x3339d80809a1d805ULL, 0x73eda753299d7d48ULL,
};

/* out = t − r if t ≥ r else t, for t < 2r: sub/sbb into a copy, then cmovc back to t. */
static inline void fr_sub_r_select(fr_t *out, uint64_t t0, uint64_t t1, uint64_t t2,
                                   uint64_t t3) {
    uint64_t s0, s1, s2, s3;
    __asm__("movq %[t0], %[s0]\n\t"
            "subq %[p0], %[s0]\n\t"
            "movq %[t1], %[s1]\n\t"
            "sbbq %[p1], %[s1]\n\t"
            "movq %[t2], %[s2]\n\t"
            "sbbq %[p2], %[s2]\n\t"
            "movq %[t3], %[s3]\n\t"
            "sbbq %[p3], %[s3]\n\t"
            "cmovcq %[t0], %[s0]\n\t"
            "cmovcq %[t1], %[s1]\n\t"
            "cmovcq %[t2], %[s2]\n\t"
            "cmovcq %[t3], %[s3]"
            : [s0] "=&r"(s0), [s1] "=&r"(s1), [s2] "=&r"(s2), [s3] "=&r"(s3)
            : [t0] "r"(t0), [t1] "r"(t1), [t2] "r"(t2), [t3] "r"(t3),
              [p0] "m"(FR_R_LOCAL[0]), [p1] "m"(FR_R_LOCAL[1]), [p2] "m"(FR_R_LOCAL[2]),
              [p3] "m"(FR_R_LOCAL[3])
            : "cc");
    out->l[0] = s0; out->l[1] = s1; out->l[2] = s2; out->l[3] = s3;
}

static inline void fr_add(fr_t *r, const fr_t *a, const fr_t *b) {
    uint64_t t0, t1, t2, t3;
    __asm__("movq %[a0], %[t0]\n\t"
            "movq %[a1], %[t1]\n\t"
            "movq %[a2], %[t2]\n\t"
            "movq %[a3], %[t3]\n\t"
            "addq %[b0], %[t0]\n\t"
            "adcq %[b1], %[t1]\n\t"
            "adcq %[b2], %[t2]\n\t"
            "adcq %[b3], %[t3]"
            : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3)
            : [a0] "m"(a->l[0]), [a1] "m"(a->l[1]), [a2] "m"(a->l[2]), [a3] "m"(a->l[3]),
              [b0] "m"(b->l[0]), [b1] "m"(b->l[1]), [b2] "m"(b->l[2]), [b3] "m"(b->l[3])
            : "cc");
    fr_sub_r_select(r, t0, t1, t2, t3);
}

static inline void fr_dbl(fr_t *r, const fr_t *a) {
    uint64_t t0 = a->l[0], t1 = a->l[1], t2 = a->l[2], t3 = a->l[3];
    __asm__("addq %[t0], %[t0]\n\t"
            "adcq %[t1], %[t1]\n\t"
            "adcq %[t2], %[t2]\n\t"
            "adcq %[t3], %[t3]"
            : [t0] "+r"(t0), [t1] "+r"(t1), [t2] "+r"(t2), [t3] "+r"(t3)
            :
            : "cc");
    fr_sub_r_select(r, t0, t1, t2, t3);
}

static inline void fr_sub(fr_t *r, const fr_t *a, const fr_t *b) {
    uint64_t t0, t1, t2, t3, m;
    /* t = a − b; m = all ones when it borrowed (a < b) */
    __asm__("movq %[a0], %[t0]\n\t"
            "movq %[a1], %[t1]\n\t"
            "movq %[a2], %[t2]\n\t"
            "movq %[a3], %[t3]\n\t"
            "subq %[b0], %[t0]\n\t"
            "sbbq %[b1], %[t1]\n\t"
            "sbbq %[b2], %[t2]\n\t"
            "sbbq %[b3], %[t3]\n\t"
            "sbbq %[m], %[m]"
            : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [m] "=&r"(m)
            : [a0] "m"(a->l[0]), [a1] "m"(a->l[1]), [a2] "m"(a->l[2]), [a3] "m"(a->l[3]),
              [b0] "m"(b->l[0]), [b1] "m"(b->l[1]), [b2] "m"(b->l[2]), [b3] "m"(b->l[3])
            : "cc");
    /* add back r & m; the carry out of this chain is the borrow above and is dropped */
    uint64_t q0 = FR_R_LOCAL[0] & m, q1 = FR_R_LOCAL[1] & m, q2 = FR_R_LOCAL[2] & m,
             q3 = FR_R_LOCAL[3] & m;
    __asm__("addq %[q0], %[t0]\n\t"
            "adcq %[q1], %[t1]\n\t"
            "adcq %[q2], %[t2]\n\t"
            "adcq %[q3], %[t3]"
            : [t0] "+r"(t0), [t1] "+r"(t1), [t2] "+r"(t2), [t3] "+r"(t3)
            : [q0] "r"(q0), [q1] "r"(q1), [q2] "r"(q2), [q3] "r"(q3)
            : "cc");
    r->l[0] = t0; r->l[1] = t1; r->l[2] = t2; r->l[3] = t3;
}

static inline void fr_neg(fr_t *r, const fr_t *a) {
    uint64_t t0, t1, t2, t3;
    uint64_t nz = a->l[0] | a->l[1] | a->l[2] | a->l[3];
    uint64_t mask = -(uint64_t)(nz != 0); /* -0 = 0 */
    __asm__("movq %[p0], %[t0]\n\t"
            "movq %[p1], %[t1]\n\t"
            "movq %[p2], %[t2]\n\t"
            "movq %[p3], %[t3]\n\t"
            "subq %[a0], %[t0]\n\t"
            "sbbq %[a1], %[t1]\n\t"
            "sbbq %[a2], %[t2]\n\t"
            "sbbq %[a3], %[t3]"
            : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3)
            : [a0] "m"(a->l[0]), [a1] "m"(a->l[1]), [a2] "m"(a->l[2]), [a3] "m"(a->l[3]),
              [p0] "m"(FR_R_LOCAL[0]), [p1] "m"(FR_R_LOCAL[1]), [p2] "m"(FR_R_LOCAL[2]),
              [p3] "m"(FR_R_LOCAL[3])
            : "cc");
    r->l[0] = t0 & mask; r->l[1] = t1 & mask; r->l[2] = t2 & mask; r->l[3] = t3 & mask;
}

#else /* portable */


static inline void fr_sub_r_select(fr_t *out, const uint64_t t[4]) {
    uint64_t s[4], bw = 0;
    _Pragma("GCC unroll 16") for (int i = 0; i < 4; i++) s[i] = limb_sbb(t[i], FR_R[i], &bw);
    uint64_t keep_t = -bw; /* all ones when t < r */
    _Pragma("GCC unroll 16") for (int i = 0; i < 4; i++) out->l[i] = s[i] ^ ((s[i] ^ t[i]) & keep_t);
}

static inline void fr_add(fr_t *r, const fr_t *a, const fr_t *b) {
    uint64_t t[4], c = 0;
    _Pragma("GCC unroll 16") for (int i = 0; i < 4; i++) t[i] = limb_adc(a->l[i], b->l[i], &c);
    fr_sub_r_select(r, t);
}

static inline void fr_dbl(fr_t *r, const fr_t *a) {
    uint64_t t[4];
    t[3] = (a->l[3] << 1) | (a->l[2] >> 63);
    t[2] = (a->l[2] << 1) | (a->l[1] >> 63);
    t[1] = (a->l[1] << 1) | (a->l[0] >> 63);
    t[0] = a->l[0] << 1;
    fr_sub_r_select(r, t);
}

static inline void fr_sub(fr_t *r, const fr_t *a, const fr_t *b) {
    uint64_t t[4], bw = 0, c = 0;
    _Pragma("GCC unroll 16") for (int i = 0; i < 4; i++) t[i] = limb_sbb(a->l[i], b->l[i], &bw);
    uint64_t m = -bw; /* add r back when a < b */
    _Pragma("GCC unroll 16") for (int i = 0; i < 4; i++) r->l[i] = limb_adc(t[i], FR_R[i] & m, &c);
}

static inline void fr_neg(fr_t *r, const fr_t *a) {
    uint64_t t[4], bw = 0;
    uint64_t nz = a->l[0] | a->l[1] | a->l[2] | a->l[3];
    uint64_t mask = -(uint64_t)(nz != 0); /* -0 = 0 */
    _Pragma("GCC unroll 16") for (int i = 0; i < 4; i++) t[i] = limb_sbb(FR_R[i], a->l[i], &bw);
    _Pragma("GCC unroll 16") for (int i = 0; i < 4; i++) r->l[i] = t[i] & mask;
}

#endif

#endif
