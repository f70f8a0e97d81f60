/*
 * field/fr.c — BLS12-381 scalar field Fr in Montgomery form, portable C (64-bit limbs,
 * unsigned __int128 products). The contract is in fr.h.
 * fr_mul and fr_sqr go through the backend chosen at run time (backend/backend.h); the C
 * bodies here are the portable backend, always built, and the oracle for the others.
 *
 * r = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001 (255 bits),
 * R = 2^256. Elements are fully reduced, 0 ≤ a < r < 2^255, so a + b < 2^256 fits four limbs.
 */
#include "field/fr.h"
#include "field/limb.h"

#include "backend/backend.h"
#include "field/fp_modinv.h"

__extension__ typedef unsigned __int128 u128; /* gcc/clang extension */

const uint64_t FR_R[4] = {
    0xffffffff00000001ULL, 0x53bda402fffe5bfeULL, 0x3339d80809a1d805ULL, 0x73eda753299d7d48ULL,
};
const fr_t FR_ZERO = {{0, 0, 0, 0}};
/* R mod r */
const fr_t FR_ONE = {{
    0x00000001fffffffeULL, 0x5884b7fa00034802ULL, 0x998c4fefecbc4ff5ULL, 0x1824b159acc5056fULL,
}};
/* R^2 mod r */
static const uint64_t FR_R2[4] = {
    0xc999e990f3f29c6dULL, 0x2b6cedcb87925c23ULL, 0x05d314967254398fULL, 0x0748d9d99f59ff11ULL,
};
/* R^3 mod r */
static const uint64_t FR_R3[4] = {
    0xc62c1807439b73afULL, 0x1b3e0d188cf06990ULL, 0x73d13c71c7b5f418ULL, 0x6e2a5bb9c8db33e9ULL,
};
/* -r^-1 mod 2^64 */
#define FR_N0 0xfffffffeffffffffULL

static const fp_modinv_modulus FR_MODINV = {
    .m = {0x3fffffff00000001LL, 0x0ef6900bfff96ffbLL, 0x339d80809a1d8055LL,
          0x3b69d4ca675f520cLL, 0x73LL, 0, 0},
    .m_inv62 = 0x100000001ULL,
    .n62 = 5,
    .n64 = 4,
};
_Static_assert(62 * (5 - 1) < 64 * 4, "fp_modinv: a 62-bit limb past the input");

/* r = t − r_mod if t ≥ r_mod else t, for t < 2r (branch-free select). */
static inline void fr_reduce_once(uint64_t r[4], const uint64_t t[4]) {
    uint64_t s[4], borrow = 0;
    #pragma GCC unroll 16
    for (int i = 0; i < 4; i++) {
        u128 d = (u128)t[i] - FR_R[i] - borrow;
        s[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    uint64_t keep_t = -borrow;
    #pragma GCC unroll 16
    for (int i = 0; i < 4; i++) r[i] = (t[i] & keep_t) | (s[i] & ~keep_t);
}

/*
 * Montgomery product a·b·2^-256 mod r: CIOS with the no-carry shortcut (r's top limb
 * < 2^63 − 1, so t < 2r < 2^256 throughout); see fp.c for the sources. 16 + 16 products.
 */
static inline void fr_mont_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t t[4] = {0, 0, 0, 0};
#pragma GCC unroll 16
    for (int i = 0; i < 4; i++) {
        u128 acc = (u128)a[0] * b[i] + t[0];
        uint64_t t0 = (uint64_t)acc, A = (uint64_t)(acc >> 64);
        uint64_t m = t0 * FR_N0;
        u128 red = (u128)m * FR_R[0] + t0;
        uint64_t C = (uint64_t)(red >> 64);
#pragma GCC unroll 16
        for (int j = 1; j < 4; j++) {
            acc = (u128)a[j] * b[i] + t[j] + A;
            A = (uint64_t)(acc >> 64);
            red = (u128)m * FR_R[j] + (uint64_t)acc + C;
            t[j - 1] = (uint64_t)red;
            C = (uint64_t)(red >> 64);
        }
        t[3] = C + A;
    }
    fr_reduce_once(r, t);
}

/* Montgomery reduction of t < r·2^256 (8 limbs): 16 products, result < 2r, one subtraction. */
static inline void fr_mont_reduce(uint64_t r[4], uint64_t t[8]) {
    uint64_t carry_hi = 0;
#pragma GCC unroll 16
    for (int i = 0; i < 4; i++) {
        uint64_t m = t[i] * FR_N0;
        u128 c = (u128)m * FR_R[0] + t[i];
        c >>= 64;
#pragma GCC unroll 16
        for (int j = 1; j < 4; j++) {
            c += (u128)m * FR_R[j] + t[i + j];
            t[i + j] = (uint64_t)c;
            c >>= 64;
        }
        c += (u128)t[i + 4] + carry_hi;
        t[i + 4] = (uint64_t)c;
        carry_hi = (uint64_t)(c >> 64);
    }
    fr_reduce_once(r, t + 4);
}

/* Squaring: 6 cross products doubled + 4 squares, then the reduction: 26 products. */
static inline void fr_mont_sqr(uint64_t r[4], const uint64_t a[4]) {
    uint64_t t[8];
    u128 c;
    t[0] = 0;
    c = (u128)a[0] * a[1];
    t[1] = (uint64_t)c;
    c >>= 64;
    c += (u128)a[0] * a[2];
    t[2] = (uint64_t)c;
    c >>= 64;
    c += (u128)a[0] * a[3];
    t[3] = (uint64_t)c;
    t[4] = (uint64_t)(c >> 64);
    c = (u128)a[1] * a[2] + t[3];
    t[3] = (uint64_t)c;
    c >>= 64;
    c += (u128)a[1] * a[3] + t[4];
    t[4] = (uint64_t)c;
    t[5] = (uint64_t)(c >> 64);
    c = (u128)a[2] * a[3] + t[5];
    t[5] = (uint64_t)c;
    t[6] = (uint64_t)(c >> 64);
    t[7] = t[6] >> 63;
    #pragma GCC unroll 16
    for (int k = 6; k > 1; k--) t[k] = (t[k] << 1) | (t[k - 1] >> 63);
    t[1] <<= 1;
    c = 0;
#pragma GCC unroll 16
    for (int i = 0; i < 4; i++) {
        u128 sq = (u128)a[i] * a[i];
        c += (u128)t[2 * i] + (uint64_t)sq;
        t[2 * i] = (uint64_t)c;
        c >>= 64;
        c += (u128)t[2 * i + 1] + (uint64_t)(sq >> 64);
        t[2 * i + 1] = (uint64_t)c;
        c >>= 64;
    }
    fr_mont_reduce(r, t);
}

/* Modular add / sub / dbl / neg: static inline in field/fr_addsub.h. */

/* The portable kernels: the always-built backend and the oracle for the others
 * (backend/backend.h). */
void fr_mul_portable(fr_t *r, const fr_t *a, const fr_t *b) {
    fr_mont_mul(r->l, a->l, b->l);
}

void fr_sqr_portable(fr_t *r, const fr_t *a) {
    fr_mont_sqr(r->l, a->l);
}

void fr_mul_sum2_portable(fr_t *r, const fr_t a[2], const fr_t b[2]) {
    fr_t t, u;
    fr_mont_mul(t.l, a[0].l, b[0].l);
    fr_mont_mul(u.l, a[1].l, b[1].l);
    fr_add(r, &t, &u);
}

/* Through the backend chosen at run time (backend/dispatch.c explains the call path). */
void fr_mul(fr_t *r, const fr_t *a, const fr_t *b) {
    backend_active()->fr_mul(r, a, b);
}

void fr_sqr(fr_t *r, const fr_t *a) {
    backend_active()->fr_sqr(r, a);
}

void fr_mul_sum2(fr_t *r, const fr_t a[2], const fr_t b[2]) {
    backend_active()->fr_mul_sum2(r, a, b);
}

bool fr_is_zero(const fr_t *a) {
    return (a->l[0] | a->l[1] | a->l[2] | a->l[3]) == 0;
}

bool fr_is_one(const fr_t *a) {
    return fr_eq(a, &FR_ONE);
}

bool fr_eq(const fr_t *a, const fr_t *b) {
    return ((a->l[0] ^ b->l[0]) | (a->l[1] ^ b->l[1]) | (a->l[2] ^ b->l[2]) |
            (a->l[3] ^ b->l[3])) == 0;
}

/* safegcd on the plain value of aR (fp_modinv.c; 9 rounds of 62 divsteps on average,
 * measured, with 5-limb updates), then one product with R^3: (aR)^-1·R^3/R = a^-1·R. */
void fr_inv_var(fr_t *r, const fr_t *a) {
    uint64_t x[4];
    fp_modinv_var(x, a->l, &FR_MODINV);
    fr_mont_mul(r->l, x, FR_R3);
}

/* Montgomery's trick: 3(n−1) multiplications + 1 inversion; zeros are skipped. */
void fr_batch_inv_var(fr_t *out, const fr_t *in, size_t n) {
    fr_t acc = FR_ONE;
    for (size_t i = 0; i < n; i++) {
        out[i] = acc;
        if (!fr_is_zero(&in[i])) fr_mul(&acc, &acc, &in[i]);
    }
    fr_inv_var(&acc, &acc);
    for (size_t i = n; i-- > 0;) {
        if (fr_is_zero(&in[i])) {
            out[i] = FR_ZERO;
            continue;
        }
        fr_t t;
        fr_mul(&t, &acc, &out[i]);
        fr_mul(&acc, &acc, &in[i]);
        out[i] = t;
    }
}

/* Left-to-right sliding window (HAC Alg. 14.85): b−1 squarings + ~b/(w+1) multiplications
 * + 2^(w−1) table products for a b-bit exponent. */
void fr_pow_var(fr_t *r, const fr_t *a, const uint64_t *e, size_t n) {
    while (n > 0 && e[n - 1] == 0) n--;
    if (n == 0) {
        *r = FR_ONE;
        return;
    }
    size_t bits = 64 * n - (size_t)__builtin_clzll(e[n - 1]);
    int w = bits > 240 ? 5 : bits > 80 ? 4 : bits > 24 ? 3 : bits > 6 ? 2 : 1;
    fr_t table[16];
    table[0] = *a;
    if (w > 1) {
        fr_t a2;
        fr_sqr(&a2, a);
        for (int i = 1; i < (1 << (w - 1)); i++) fr_mul(&table[i], &table[i - 1], &a2);
    }
#define EBIT(i) ((e[(i) / 64] >> ((i) % 64)) & 1)
    fr_t acc = FR_ONE;
    bool started = false;
    size_t i = bits;
    while (i > 0) {
        if (!EBIT(i - 1)) {
            if (started) fr_sqr(&acc, &acc);
            i--;
            continue;
        }
        size_t j = i > (size_t)w ? i - (size_t)w : 0;
        while (!EBIT(j)) j++;
        unsigned val = 0;
        for (size_t k = i; k > j; k--) val = (val << 1) | (unsigned)EBIT(k - 1);
        if (started) {
            for (size_t k = j; k < i; k++) fr_sqr(&acc, &acc);
            fr_mul(&acc, &acc, &table[val >> 1]);
        } else {
            acc = table[val >> 1];
            started = true;
        }
        i = j;
    }
#undef EBIT
    *r = acc;
}

void fr_from_u64(fr_t *r, uint64_t v) {
    uint64_t raw[4] = {v, 0, 0, 0};
    fr_mont_mul(r->l, raw, FR_R2);
}

void fr_from_raw(fr_t *r, const uint64_t raw[4]) {
    fr_mont_mul(r->l, raw, FR_R2);
}

void fr_to_raw(uint64_t raw[4], const fr_t *a) {
    uint64_t t[8] = {a->l[0], a->l[1], a->l[2], a->l[3], 0, 0, 0, 0};
    fr_mont_reduce(raw, t);
}

static void fr_load_be(uint64_t x[4], const uint8_t in[32]) {
    #pragma GCC unroll 16
    for (int i = 0; i < 4; i++) {
        uint64_t w = 0;
        #pragma GCC unroll 16
        for (int b = 0; b < 8; b++) w = (w << 8) | in[8 * (3 - i) + b];
        x[i] = w;
    }
}

/* x − r into s; returns 1 when x < r (borrow). */
static uint64_t fr_raw_sub_r(uint64_t s[4], const uint64_t x[4]) {
    uint64_t borrow = 0;
    #pragma GCC unroll 16
    for (int i = 0; i < 4; i++) {
        u128 d = (u128)x[i] - FR_R[i] - borrow;
        s[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return borrow;
}

bool fr_from_bytes_be(fr_t *r, const uint8_t in[32]) {
    uint64_t x[4], s[4];
    fr_load_be(x, in);
    if (!fr_raw_sub_r(s, x)) {
        *r = FR_ZERO;
        return false;
    }
    fr_from_raw(r, x);
    return true;
}

/* x < 2^256 < 3r (r > 2^254.86): at most two subtractions of r. */
void fr_from_bytes_be_reduce(fr_t *r, const uint8_t in[32]) {
    uint64_t x[4], s[4];
    fr_load_be(x, in);
    #pragma GCC unroll 16
    for (int k = 0; k < 2; k++) {
        uint64_t lt = fr_raw_sub_r(s, x);
        uint64_t keep = -lt;
        #pragma GCC unroll 16
        for (int i = 0; i < 4; i++) x[i] = (x[i] & keep) | (s[i] & ~keep);
    }
    fr_from_raw(r, x);
}

void fr_to_bytes_be(uint8_t out[32], const fr_t *a) {
    uint64_t x[4];
    fr_to_raw(x, a);
    #pragma GCC unroll 16
    for (int i = 0; i < 4; i++)
        #pragma GCC unroll 16
        for (int b = 0; b < 8; b++) out[8 * (3 - i) + b] = (uint8_t)(x[i] >> (56 - 8 * b));
}
