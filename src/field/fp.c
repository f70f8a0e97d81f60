/*
 * field/fp.c — BLS12-381 base field Fp in Montgomery form, portable C (64-bit limbs,
 * unsigned __int128 products). The contract is in fp.h.
 * fp_mul and fp_sqr go through the backend chosen at run time (backend/backend.h); the C
 * bodies here are the portable backend, always built, and the oracle for the others.
 *
 * p = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab
 * (381 bits, p ≡ 3 mod 4), R = 2^384. Every element is held fully reduced, 0 ≤ a < p < 2^381,
 * so a + b < 2^382 never carries out of six limbs.
 */
#include "field/fp.h"
#include "field/limb.h"

#include "backend/backend.h"
#include "field/fp_modinv.h"

__extension__ typedef unsigned __int128 u128; /* gcc/clang extension */

const uint64_t FP_P[6] = {
    0xb9feffffffffaaabULL, 0x1eabfffeb153ffffULL, 0x6730d2a0f6b0f624ULL,
    0x64774b84f38512bfULL, 0x4b1ba7b6434bacd7ULL, 0x1a0111ea397fe69aULL,
};
const fp_t FP_ZERO = {{0, 0, 0, 0, 0, 0}};
/* R mod p */
const fp_t FP_ONE = {{
    0x760900000002fffdULL, 0xebf4000bc40c0002ULL, 0x5f48985753c758baULL,
    0x77ce585370525745ULL, 0x5c071a97a256ec6dULL, 0x15f65ec3fa80e493ULL,
}};
/* R^2 mod p: mont(x, R^2) = x·R, the conversion into Montgomery form. */
static const uint64_t FP_R2[6] = {
    0xf4df1f341c341746ULL, 0x0a76e6a609d104f1ULL, 0x8de5476c4c95b6d5ULL,
    0x67eb88a9939d83c0ULL, 0x9a793e85b519952dULL, 0x11988fe592cae3aaULL,
};
/* R^3 mod p: fixes up a plain inverse of a Montgomery value, (aR)^-1·R^3/R = a^-1·R. */
static const uint64_t FP_R3[6] = {
    0xed48ac6bd94ca1e0ULL, 0x315f831e03a7adf8ULL, 0x9a53352a615e29ddULL,
    0x34c04e5e921e1761ULL, 0x2512d43565724728ULL, 0x0aa6346091755d4dULL,
};
/* -p^-1 mod 2^64 */
#define FP_N0 0x89f3fffcfffcfffdULL
/* (p-1)/2, (p+1)/4 */
static const uint64_t FP_P_MINUS_1_HALF[6] = {
    0xdcff7fffffffd555ULL, 0x0f55ffff58a9ffffULL, 0xb39869507b587b12ULL,
    0xb23ba5c279c2895fULL, 0x258dd3db21a5d66bULL, 0x0d0088f51cbff34dULL,
};
const uint64_t FP_P_PLUS_1_QUARTER[6] = {
    0xee7fbfffffffeaabULL, 0x07aaffffac54ffffULL, 0xd9cc34a83dac3d89ULL,
    0xd91dd2e13ce144afULL, 0x92c6e9ed90d2eb35ULL, 0x0680447a8e5ff9a6ULL,
};

static const fp_modinv_modulus FP_MODINV = {
    .m = {0x39feffffffffaaabLL, 0x3aaffffac54ffffeLL, 0x330d2a0f6b0f6241LL,
          0x1dd2e13ce144afd9LL, 0x1ba7b6434bacd764LL, 0x0447a8e5ff9a692cLL, 0x1a0LL},
    .m_inv62 = 0x360c000300030003ULL,
    .n62 = 7,
    .n64 = 6,
};
_Static_assert(62 * (7 - 1) < 64 * 6, "fp_modinv: a 62-bit limb past the input");

/* r = t − p if t ≥ p else t, for t < 2p (branch-free select on the borrow). */
static inline void fp_reduce_once(uint64_t r[6], const uint64_t t[6]) {
    uint64_t s[6], borrow = 0;
    #pragma GCC unroll 16
    for (int i = 0; i < 6; i++) {
        u128 d = (u128)t[i] - FP_P[i] - borrow;
        s[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    uint64_t keep_t = -borrow; /* all ones when t < p */
    #pragma GCC unroll 16
    for (int i = 0; i < 6; i++) r[i] = (t[i] & keep_t) | (s[i] & ~keep_t);
}

/*
 * Montgomery product r = a·b·2^-384 mod p, CIOS (Koç, Acar, Kaliski, "Analyzing and
 * comparing Montgomery multiplication algorithms", IEEE Micro 1996) with the "no-carry"
 * shortcut (gnark-crypto, "Faster big-integer modular multiplication for most moduli"):
 * since p's top limb is < 2^63 − 1, the running t stays below 2p < 2^384 and the extra
 * carry word of plain CIOS is never needed. 36 + 36 64×64→128 products.
 * Inputs a, b < p; output < p.
 */
static inline void fp_mont_mul(uint64_t r[6], const uint64_t a[6], const uint64_t b[6]) {
    uint64_t t[6];
    /* i = 0: t = 0, so the first row is a plain a·b[0] plus reduction. */
    {
        u128 acc = (u128)a[0] * b[0];
        uint64_t t0 = (uint64_t)acc, A = (uint64_t)(acc >> 64);
        uint64_t m = t0 * FP_N0;
        u128 red = (u128)m * FP_P[0] + t0;
        uint64_t C = (uint64_t)(red >> 64);
#pragma GCC unroll 16
        for (int j = 1; j < 6; j++) {
            acc = (u128)a[j] * b[0] + A;
            A = (uint64_t)(acc >> 64);
            red = (u128)m * FP_P[j] + (uint64_t)acc + C;
            t[j - 1] = (uint64_t)red;
            C = (uint64_t)(red >> 64);
        }
        t[5] = C + A;
    }
#pragma GCC unroll 16
    for (int i = 1; i < 6; i++) {
        u128 acc = (u128)a[0] * b[i] + t[0];
        uint64_t t0 = (uint64_t)acc, A = (uint64_t)(acc >> 64);
        uint64_t m = t0 * FP_N0;
        u128 red = (u128)m * FP_P[0] + t0; /* low word is 0 by choice of m */
        uint64_t C = (uint64_t)(red >> 64);
#pragma GCC unroll 16
        for (int j = 1; j < 6; j++) {
            acc = (u128)a[j] * b[i] + t[j] + A; /* ≤ (2^64−1)^2 + 2(2^64−1) < 2^128 */
            A = (uint64_t)(acc >> 64);
            red = (u128)m * FP_P[j] + (uint64_t)acc + C;
            t[j - 1] = (uint64_t)red;
            C = (uint64_t)(red >> 64);
        }
        t[5] = C + A; /* no overflow: p[5] < 2^63 − 1 (no-carry condition) */
    }
    fp_reduce_once(r, t);
}

/*
 * Montgomery reduction of a 768-bit t (< p·2^384) to t·2^-384 mod p: six word-by-word steps
 * (36 products), result < 2p then one conditional subtraction.
 */
static inline void fp_mont_reduce(uint64_t r[6], uint64_t t[12]) {
    uint64_t carry_hi = 0; /* carry into t[i + 6] from the previous step */
#pragma GCC unroll 16
    for (int i = 0; i < 6; i++) {
        uint64_t m = t[i] * FP_N0;
        u128 c = (u128)m * FP_P[0] + t[i];
        c >>= 64;
#pragma GCC unroll 16
        for (int j = 1; j < 6; j++) {
            c += (u128)m * FP_P[j] + t[i + j];
            t[i + j] = (uint64_t)c;
            c >>= 64;
        }
        c += (u128)t[i + 6] + carry_hi;
        t[i + 6] = (uint64_t)c;
        carry_hi = (uint64_t)(c >> 64);
    }
    /* t[6..11] < 2p < 2^382, so carry_hi is 0 here. */
    fp_reduce_once(r, t + 6);
}

/*
 * Squaring: the 21 distinct cross/diagonal products (15 off-diagonal, doubled by a shift,
 * plus 6 squares) then a separate Montgomery reduction (36 products): 57 products instead
 * of the 72 of fp_mont_mul.
 */
static inline void fp_mont_sqr(uint64_t r[6], const uint64_t a[6]) {
    uint64_t t[12];
    /* off-diagonal sum Σ_{i<j} a_i a_j 2^(64(i+j)) */
    t[0] = 0;
    {
        u128 c = 0;
#pragma GCC unroll 16
        for (int j = 1; j < 6; j++) {
            c += (u128)a[0] * a[j];
            t[j] = (uint64_t)c;
            c >>= 64;
        }
        t[6] = (uint64_t)c;
    }
#pragma GCC unroll 16
    for (int i = 1; i < 5; i++) {
        u128 c = 0;
#pragma GCC unroll 16
        for (int j = i + 1; j < 6; j++) {
            c += (u128)a[i] * a[j] + t[i + j];
            t[i + j] = (uint64_t)c;
            c >>= 64;
        }
        t[i + 6] = (uint64_t)c;
    }
    t[11] = t[10] >> 63;
    /* double: shift left by one bit */
    #pragma GCC unroll 16
    for (int k = 10; k > 1; k--) t[k] = (t[k] << 1) | (t[k - 1] >> 63);
    t[1] <<= 1;
    /* add the squares a_i^2 at 2^(128 i) */
    {
        u128 c = 0;
#pragma GCC unroll 16
        for (int i = 0; i < 6; i++) {
            u128 sq = (u128)a[i] * a[i];
            c += (u128)t[2 * i] + (uint64_t)sq;
            t[2 * i] = (uint64_t)c;
            c >>= 64;
            c += (u128)t[2 * i + 1] + (uint64_t)(sq >> 64);
            t[2 * i + 1] = (uint64_t)c;
            c >>= 64;
        }
    }
    fp_mont_reduce(r, t);
}

/* Modular add / sub / dbl / neg: static inline in field/fp_addsub.h. */

/* The portable kernels: the always-built backend and the oracle for the others
 * (backend/backend.h). */
void fp_mul_portable(fp_t *r, const fp_t *a, const fp_t *b) {
    fp_mont_mul(r->l, a->l, b->l);
}

void fp_sqr_portable(fp_t *r, const fp_t *a) {
    fp_mont_sqr(r->l, a->l);
}

/* Through the backend chosen at run time (backend/dispatch.c explains the call path). */
void fp_mul(fp_t *r, const fp_t *a, const fp_t *b) {
    backend_active()->fp_mul(r, a, b);
}

void fp_sqr(fp_t *r, const fp_t *a) {
    backend_active()->fp_sqr(r, a);
}

/*
 * a·k mod p for k < 2^32 without a Montgomery product: t = a·k < 2^413, quotient estimate
 * q = ⌊⌊t/2^349⌋·μ / 2^64⌋ with μ = ⌊2^413/p⌋ (33 bits). q ≤ ⌊t/p⌋ and ⌊t/p⌋ − q ≤ 2, so
 * t − q·p < 3p < 2^383 and two conditional subtractions finish. (k·aR = (ak)R: the
 * Montgomery factor just rides along.)
 */
#define FP_MU_413 0x13b06ba5eULL
void fp_mul_small(fp_t *r, const fp_t *a, uint64_t k) {
    uint64_t t[7], c = 0;
    if (k >> 32) { /* outside the contract; stay correct rather than truncate k */
        fp_t kk;
        fp_from_u64(&kk, k);
        fp_mul(r, a, &kk);
        return;
    }
    #pragma GCC unroll 16
    for (int i = 0; i < 6; i++) {
        u128 x = (u128)a->l[i] * k + c;
        t[i] = (uint64_t)x;
        c = (uint64_t)(x >> 64);
    }
    t[6] = c;
    uint64_t top = (t[6] << 35) | (t[5] >> 29); /* ⌊t / 2^349⌋ < 2^64 */
    uint64_t q = (uint64_t)(((u128)top * FP_MU_413) >> 64);
    uint64_t borrow = 0, mc = 0;
    #pragma GCC unroll 16
    for (int i = 0; i < 6; i++) {
        u128 qp = (u128)q * FP_P[i] + mc;
        mc = (uint64_t)(qp >> 64);
        u128 d = (u128)t[i] - (uint64_t)qp - borrow;
        t[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    /* t[6] − mc − borrow = 0 since the difference is < 2^384 */
    fp_reduce_once(t, t);
    fp_reduce_once(r->l, t);
}

bool fp_is_zero(const fp_t *a) {
    uint64_t z = 0;
    #pragma GCC unroll 16
    for (int i = 0; i < 6; i++) z |= a->l[i];
    return z == 0;
}

bool fp_is_one(const fp_t *a) {
    return fp_eq(a, &FP_ONE);
}

bool fp_eq(const fp_t *a, const fp_t *b) {
    uint64_t z = 0;
    #pragma GCC unroll 16
    for (int i = 0; i < 6; i++) z |= a->l[i] ^ b->l[i];
    return z == 0;
}

/*
 * Inversion: safegcd (fp_modinv.c) on the plain value of aR gives (aR)^-1; one Montgomery
 * product with R^3 turns it into a^-1·R. Cost: 13 rounds of 62 divsteps on average
 * (measured, ~2.1 divsteps per bit) with 7-limb updates, plus 1 multiplication (~2 µs).
 */
void fp_inv_var(fp_t *r, const fp_t *a) {
    uint64_t x[6];
    fp_modinv_var(x, a->l, &FP_MODINV);
    fp_mont_mul(r->l, x, FP_R3); /* 0 stays 0 */
}

/* Montgomery's trick: 3(n−1) multiplications + 1 inversion; zeros are skipped. */
void fp_batch_inv_var(fp_t *out, const fp_t *in, size_t n) {
    fp_t acc = FP_ONE;
    for (size_t i = 0; i < n; i++) {
        out[i] = acc; /* product of the non-zero in[0..i-1] */
        if (!fp_is_zero(&in[i])) fp_mul(&acc, &acc, &in[i]);
    }
    fp_inv_var(&acc, &acc);
    for (size_t i = n; i-- > 0;) {
        if (fp_is_zero(&in[i])) {
            out[i] = FP_ZERO;
            continue;
        }
        fp_t t;
        fp_mul(&t, &acc, &out[i]);
        fp_mul(&acc, &acc, &in[i]);
        out[i] = t;
    }
}

/*
 * Left-to-right sliding-window exponentiation (Menezes et al., Handbook of Applied
 * Cryptography, Alg. 14.85). Window w chosen from the exponent length; cost for a b-bit
 * exponent: b−1 squarings + about b/(w+1) multiplications + 2^(w−1) table products.
 */
void fp_pow_var(fp_t *r, const fp_t *a, const uint64_t *e, size_t n) {
    while (n > 0 && e[n - 1] == 0) n--;
    if (n == 0) {
        *r = FP_ONE;
        return;
    }
    size_t bits = 64 * n - (size_t)__builtin_clzll(e[n - 1]);
    int w = bits > 240 ? 5 : bits > 80 ? 4 : bits > 24 ? 3 : bits > 6 ? 2 : 1;
    fp_t table[16]; /* a^1, a^3, ..., a^(2^w − 1) */
    table[0] = *a;
    if (w > 1) {
        fp_t a2;
        fp_sqr(&a2, a);
        for (int i = 1; i < (1 << (w - 1)); i++) fp_mul(&table[i], &table[i - 1], &a2);
    }
#define EBIT(i) ((e[(i) / 64] >> ((i) % 64)) & 1)
    fp_t acc = FP_ONE;
    bool started = false;
    size_t i = bits;
    while (i > 0) {
        if (!EBIT(i - 1)) {
            if (started) fp_sqr(&acc, &acc);
            i--;
            continue;
        }
        /* take the longest window [j, i) of ≤ w bits ending in a 1 bit */
        size_t j = i > (size_t)w ? i - (size_t)w : 0;
        while (!EBIT(j)) j++;
        unsigned val = 0;
        for (size_t k = i; k > j; k--) val = (val << 1) | (unsigned)EBIT(k - 1);
        if (started) {
            for (size_t k = j; k < i; k++) fp_sqr(&acc, &acc);
            fp_mul(&acc, &acc, &table[val >> 1]);
        } else {
            acc = table[val >> 1];
            started = true;
        }
        i = j;
    }
#undef EBIT
    *r = acc;
}

/*
 * sqrt for p ≡ 3 mod 4: a^((p+1)/4) is a root whenever a is a square (379-bit exponent:
 * 378 squarings + ~65 multiplications), checked by squaring it back.
 */
bool fp_sqrt_var(fp_t *r, const fp_t *a) {
    fp_t s, chk;
    fp_pow_var(&s, a, FP_P_PLUS_1_QUARTER, 6);
    fp_sqr(&chk, &s);
    if (!fp_eq(&chk, a)) {
        *r = FP_ZERO;
        return false;
    }
    *r = s;
    return true;
}

/* Euler's criterion a^((p−1)/2) ∈ {0, 1}: 379 squarings + ~65 multiplications. */
bool fp_is_square_var(const fp_t *a) {
    fp_t s;
    if (fp_is_zero(a)) return true;
    fp_pow_var(&s, a, FP_P_MINUS_1_HALF, 6);
    return fp_is_one(&s);
}

void fp_from_u64(fp_t *r, uint64_t v) {
    uint64_t raw[6] = {v, 0, 0, 0, 0, 0};
    fp_mont_mul(r->l, raw, FP_R2); /* v < p */
}

void fp_from_raw(fp_t *r, const uint64_t raw[6]) {
    fp_mont_mul(r->l, raw, FP_R2);
}

void fp_to_raw(uint64_t raw[6], const fp_t *a) {
    uint64_t t[12];
    #pragma GCC unroll 16
    for (int i = 0; i < 6; i++) {
        t[i] = a->l[i];
        t[i + 6] = 0;
    }
    fp_mont_reduce(raw, t);
}

/* true when x < p (x plain limbs) */
static bool fp_raw_lt_p(const uint64_t x[6]) {
    uint64_t borrow = 0;
    #pragma GCC unroll 16
    for (int i = 0; i < 6; i++) {
        u128 d = (u128)x[i] - FP_P[i] - borrow;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return borrow != 0;
}

bool fp_from_bytes_be(fp_t *r, const uint8_t in[48]) {
    uint64_t x[6];
    #pragma GCC unroll 16
    for (int i = 0; i < 6; i++) {
        uint64_t w = 0;
        #pragma GCC unroll 16
        for (int b = 0; b < 8; b++) w = (w << 8) | in[8 * (5 - i) + b];
        x[i] = w;
    }
    if (!fp_raw_lt_p(x)) {
        *r = FP_ZERO;
        return false;
    }
    fp_from_raw(r, x);
    return true;
}

void fp_to_bytes_be(uint8_t out[48], const fp_t *a) {
    uint64_t x[6];
    fp_to_raw(x, a);
    #pragma GCC unroll 16
    for (int i = 0; i < 6; i++)
        #pragma GCC unroll 16
        for (int b = 0; b < 8; b++) out[8 * (5 - i) + b] = (uint8_t)(x[i] >> (56 - 8 * b));
}

bool fp_is_lex_largest(const fp_t *a) {
    uint64_t x[6], borrow = 0;
    fp_to_raw(x, a);
    /* (p−1)/2 − x borrows exactly when x > (p−1)/2 */
    #pragma GCC unroll 16
    for (int i = 0; i < 6; i++) {
        u128 d = (u128)FP_P_MINUS_1_HALF[i] - x[i] - borrow;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return borrow != 0;
}
