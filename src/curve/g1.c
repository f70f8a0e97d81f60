/*
 * curve/g1.c — G1 = E(Fp)[r], E: y² = x³ + 4 (see curve/g1.h for the contract).
 *
 * Formulas are Jacobian a = 0 ones from the Explicit-Formulas Database (EFD,
 * hyperelliptic.org/EFD/g1p/auto-shortw-jacobian-0.html); M = Fp multiplication,
 * S = Fp squaring; additions/subtractions/doublings of field elements counted apart.
 * Everything here is variable time at least in its exceptional-case branches (doubling
 * inside an addition, infinity), which is fine: G1 inputs in KZG are public.
 */
#include "curve/g1.h"

#include "curve/curve_internal.h"

#include "backend/backend.h"
#include "backend/x86_64/ifma.h"

/* Generator from the BLS12-381 specification (IETF draft-irtf-cfrg-pairing-friendly-curves,
 * zkcrypto/bls12_381), Montgomery form (·2^384 mod p):
 * x = 0x17f1d3a7…db22c6bb, y = 0x08b3f481…46c5e7e1. Checked by test_g1. */
const g1_aff_t G1_GENERATOR_AFF = {
    {{0x5cb38790fd530c16ULL, 0x7817fc679976fff5ULL, 0x154f95c7143ba1c1ULL,
      0xf0ae6acdf3d0e747ULL, 0xedce6ecc21dbf440ULL, 0x120177419e0bfb75ULL}},
    {{0xbaac93d50ce72271ULL, 0x8c22631a7918fd8eULL, 0xdd595f13570725ceULL,
      0x51ac582950405194ULL, 0x0e1c8c3fad0059c0ULL, 0x0bbc3efc5008a26aULL}},
};

/* b = 4 in Montgomery form. */
static const fp_t G1_B = {{0xaa270000000cfff3ULL, 0x53cc0032fc34000aULL, 0x478fe97a6b0a807fULL,
                           0xb1d37ebee6ba24d7ULL, 0x8ec9733bbf78ab2fULL, 0x09d645513d83de7eULL}};

/* β = 0x5f19672f…2e01fffffffefffe, a primitive cube root of unity in Fp, Montgomery form.
 * With this β (and not β²), φ(x, y) = (βx, y) acts on G1 as multiplication by
 * λ = -z² mod r (λ² + λ + 1 = z⁴ - z² + 1 = r ≡ 0). Checked by test_g1 on the generator. */
static const fp_t G1_BETA = {{0x30f1361b798a64e8ULL, 0xf3b8ddab7ece5a2aULL,
                              0x16a8ca3ac61577f7ULL, 0xc26a2ff874fd029bULL,
                              0x3636b76660701c6eULL, 0x051ba4ab241b6160ULL}};

/* ---- forms ------------------------------------------------------------------------- */

void g1_set_inf(g1_t *r) {
    r->x = FP_ONE;
    r->y = FP_ONE;
    r->z = FP_ZERO;
}

bool g1_is_inf(const g1_t *a) { return fp_is_zero(&a->z); }

bool g1_aff_is_inf(const g1_aff_t *a) { return fp_is_zero(&a->x) && fp_is_zero(&a->y); }

void g1_from_aff(g1_t *r, const g1_aff_t *a) {
    if (g1_aff_is_inf(a)) {
        g1_set_inf(r);
        return;
    }
    r->x = a->x;
    r->y = a->y;
    r->z = FP_ONE;
}

/* 1 inversion + 3M + 1S. */
void g1_to_aff(g1_aff_t *r, const g1_t *a) {
    if (g1_is_inf(a)) {
        r->x = FP_ZERO;
        r->y = FP_ZERO;
        return;
    }
    fp_t zi, zi2;
    fp_inv_var(&zi, &a->z);
    fp_sqr(&zi2, &zi);
    fp_mul(&r->x, &a->x, &zi2);
    fp_mul(&zi2, &zi2, &zi);
    fp_mul(&r->y, &a->y, &zi2);
}

/* Montgomery's trick: 1 inversion + 3(n-1)M, then 3M + 1S per point. Infinity points are
 * skipped in the product. `out` and `in` must not overlap (the forms have different sizes). */
void g1_batch_to_aff(g1_aff_t *out, const g1_t *in, size_t n, fp_t *scratch) {
    fp_t acc = FP_ONE;
    for (size_t i = 0; i < n; i++) {
        scratch[i] = acc; /* product of the non-zero Z before i */
        if (!g1_is_inf(&in[i])) fp_mul(&acc, &acc, &in[i].z);
    }
    fp_t inv;
    fp_inv_var(&inv, &acc); /* inv = (Π Z)^-1 */
    for (size_t i = n; i-- > 0;) {
        if (g1_is_inf(&in[i])) {
            out[i].x = FP_ZERO;
            out[i].y = FP_ZERO;
            continue;
        }
        fp_t zi, zi2;
        fp_mul(&zi, &inv, &scratch[i]);   /* Z_i^-1 */
        fp_mul(&inv, &inv, &in[i].z);      /* (Π_{j<i} Z_j)^-1 */
        fp_sqr(&zi2, &zi);
        fp_mul(&out[i].x, &in[i].x, &zi2);
        fp_mul(&zi2, &zi2, &zi);
        fp_mul(&out[i].y, &in[i].y, &zi2);
    }
}

/* ---- group law --------------------------------------------------------------------- */

/* Choice of formulas. In this field a squaring costs as much as a multiplication and an
 * addition/subtraction about a quarter of one, so the formulas below minimise M + S and
 * then the number of additions, instead of trading M for S as the EFD's *-bl ones do.
 *
 * Doubling: the textbook Jacobian doubling for a = 0 (EFD dbl-2009-l's quantities, with
 * 2Y and 4Y² formed once): 5M + 2S, 8 additions (dbl-2009-l: 2M + 5S, 14 additions).
 *   Y2 = 2Y, B2 = Y·Y2 = 2Y², B4 = 2·B2, D = X·B4 = 4XY², C8 = B2·B4 = 8Y⁴, E = 3X²,
 *   X3 = E² - 2D, Y3 = E(D - X3) - C8, Z3 = Y2·Z.
 * No infinity test: Z = 0 gives Z3 = 0, and infinity is recognised by Z alone. */
void g1_dbl(g1_t *r, const g1_t *a) {
    fp_t y2, b2, b4, d, c8, e, t;
    fp_dbl(&y2, &a->y);
    fp_mul(&b2, &a->y, &y2);
    fp_dbl(&b4, &b2);
    fp_mul(&d, &a->x, &b4);
    fp_mul(&c8, &b2, &b4);
    fp_sqr(&t, &a->x);
    fp_add(&e, &t, &t);
    fp_add(&e, &e, &t);
    fp_mul(&r->z, &y2, &a->z); /* a->x, a->y, a->z are dead from here: r may alias a */
    fp_sqr(&r->x, &e);
    fp_dbl(&t, &d);
    fp_sub(&r->x, &r->x, &t);
    fp_sub(&t, &d, &r->x);
    fp_mul(&t, &e, &t);
    fp_sub(&r->y, &t, &c8);
}

/* add-1998-cmo-2 (Cohen–Miyaji–Ono): 12M + 4S, 7 additions.
 * Z1Z1 = Z1², Z2Z2 = Z2², U1 = X1·Z2Z2, U2 = X2·Z1Z1, S1 = Y1·Z2·Z2Z2, S2 = Y2·Z1·Z1Z1,
 * H = U2 - U1, R = S2 - S1, HH = H², HHH = H·HH, V = U1·HH,
 * X3 = R² - HHH - 2V, Y3 = R(V - X3) - S1·HHH, Z3 = Z1·Z2·H.
 * H = 0 means equal x: a doubling when R = 0 (a = b), infinity otherwise (a = -b). */
void g1_add(g1_t *r, const g1_t *a, const g1_t *b) {
    if (g1_is_inf(a)) {
        *r = *b;
        return;
    }
    if (g1_is_inf(b)) {
        *r = *a;
        return;
    }
    fp_t z1z1, z2z2, u1, u2, s1, s2, h, rr, hh, hhh, v, t;
    fp_sqr(&z1z1, &a->z);
    fp_sqr(&z2z2, &b->z);
    fp_mul(&u1, &a->x, &z2z2);
    fp_mul(&u2, &b->x, &z1z1);
    fp_mul(&s1, &a->y, &b->z);
    fp_mul(&s1, &s1, &z2z2);
    fp_mul(&s2, &b->y, &a->z);
    fp_mul(&s2, &s2, &z1z1);
    fp_sub(&h, &u2, &u1);
    fp_sub(&rr, &s2, &s1);
    if (fp_is_zero(&h)) {
        if (fp_is_zero(&rr)) {
            g1_dbl(r, a);
        } else {
            g1_set_inf(r);
        }
        return;
    }
    fp_sqr(&hh, &h);
    fp_mul(&hhh, &h, &hh);
    fp_mul(&v, &u1, &hh);
    fp_mul(&t, &a->z, &b->z); /* Z3 first: r may alias a or b */
    fp_mul(&r->z, &t, &h);
    fp_sqr(&r->x, &rr);
    fp_sub(&r->x, &r->x, &hhh);
    fp_dbl(&t, &v);
    fp_sub(&r->x, &r->x, &t);
    fp_sub(&t, &v, &r->x);
    fp_mul(&t, &rr, &t);
    fp_mul(&s1, &s1, &hhh);
    fp_sub(&r->y, &t, &s1);
}

/* madd-2004-hmv (Hankerson–Menezes–Vanstone, Z2 = 1): 8M + 3S, 7 additions.
 * Z1Z1 = Z1², U2 = X2·Z1Z1, S2 = Y2·Z1·Z1Z1, H = U2 - X1, R = S2 - Y1, HH = H²,
 * HHH = H·HH, V = X1·HH, X3 = R² - HHH - 2V, Y3 = R(V - X3) - Y1·HHH, Z3 = Z1·H. */
void g1_add_aff(g1_t *r, const g1_t *a, const g1_aff_t *b) {
    if (g1_aff_is_inf(b)) {
        *r = *a;
        return;
    }
    if (g1_is_inf(a)) {
        g1_from_aff(r, b);
        return;
    }
    fp_t z1z1, u2, s2, h, rr, hh, hhh, v, t, y1h;
    fp_sqr(&z1z1, &a->z);
    fp_mul(&u2, &b->x, &z1z1);
    fp_mul(&s2, &b->y, &a->z);
    fp_mul(&s2, &s2, &z1z1);
    fp_sub(&h, &u2, &a->x);
    fp_sub(&rr, &s2, &a->y);
    if (fp_is_zero(&h)) {
        if (fp_is_zero(&rr)) {
            g1_dbl(r, a);
        } else {
            g1_set_inf(r);
        }
        return;
    }
    fp_sqr(&hh, &h);
    fp_mul(&hhh, &h, &hh);
    fp_mul(&v, &a->x, &hh);
    fp_mul(&y1h, &a->y, &hhh);
    fp_mul(&r->z, &a->z, &h); /* a is dead from here */
    fp_sqr(&r->x, &rr);
    fp_sub(&r->x, &r->x, &hhh);
    fp_dbl(&t, &v);
    fp_sub(&r->x, &r->x, &t);
    fp_sub(&t, &v, &r->x);
    fp_mul(&t, &rr, &t);
    fp_sub(&r->y, &t, &y1h);
}

void g1_neg(g1_t *r, const g1_t *a) {
    r->x = a->x;
    fp_neg(&r->y, &a->y);
    r->z = a->z;
}

void g1_aff_neg(g1_aff_t *r, const g1_aff_t *a) {
    r->x = a->x;
    fp_neg(&r->y, &a->y); /* -0 = 0 keeps infinity as (0, 0) */
}

/* X1·Z2² = X2·Z1² and Y1·Z2³ = Y2·Z1³: 6M + 2S, no inversion. */
bool g1_eq(const g1_t *a, const g1_t *b) {
    bool ia = g1_is_inf(a), ib = g1_is_inf(b);
    if (ia || ib) return ia && ib;
    fp_t z1z1, z2z2, l, rgt;
    fp_sqr(&z1z1, &a->z);
    fp_sqr(&z2z2, &b->z);
    fp_mul(&l, &a->x, &z2z2);
    fp_mul(&rgt, &b->x, &z1z1);
    if (!fp_eq(&l, &rgt)) return false;
    fp_mul(&z1z1, &z1z1, &a->z);
    fp_mul(&z2z2, &z2z2, &b->z);
    fp_mul(&l, &a->y, &z2z2);
    fp_mul(&rgt, &b->y, &z1z1);
    return fp_eq(&l, &rgt);
}

/* ---- scalar multiplication ---------------------------------------------------------- */

/* table[i] = (2i + 1)·p for i < tn, in affine form (one batch inversion) so that the main
 * loop uses mixed additions: for tn = 8 the inversion (~40M) pays for itself after about
 * ten additions, and a 255-bit scalar needs ~43. */
static void odd_multiples_aff(g1_aff_t *table, const g1_t *p, size_t tn) {
    g1_t jac[8];
    fp_t scratch[8];
    jac[0] = *p;
    if (tn > 1) {
        g1_t p2;
        g1_dbl(&p2, p);
        for (size_t i = 1; i < tn; i++) g1_add(&jac[i], &jac[i - 1], &p2);
    }
    g1_batch_to_aff(table, jac, tn, scratch);
}

static void add_digit(g1_t *acc, const g1_aff_t *table, int d) {
    if (d > 0) {
        g1_add_aff(acc, acc, &table[(d - 1) / 2]);
    } else if (d < 0) {
        g1_aff_t neg;
        g1_aff_neg(&neg, &table[(-d - 1) / 2]);
        g1_add_aff(acc, acc, &neg);
    }
}

/* r = k·p for k of n <= CURVE_WNAF_MAX_LIMBS limbs: width-w NAF over the odd multiples
 * p, 3p, …, (2^(w-1) - 1)p. About bits doublings + bits/(w+1) mixed additions. */
static void mul_wnaf_chunk(g1_t *r, const g1_t *p, const uint64_t *k, size_t n) {
    int8_t digits[CURVE_WNAF_MAX_DIGITS];
    size_t bits = curve_bit_length(k, n);
    unsigned w = curve_wnaf_width(bits); /* <= 5: at most 8 table entries */
    size_t len = curve_wnaf_var(digits, k, n, w);
    g1_aff_t table[8];
    odd_multiples_aff(table, p, (size_t)1 << (w - 2));
    g1_t acc;
    g1_set_inf(&acc);
    for (size_t i = len; i-- > 0;) {
        g1_dbl(&acc, &acc);
        add_digit(&acc, table, digits[i]);
    }
    *r = acc;
}

void g1_mul_raw_var(g1_t *r, const g1_t *p, const uint64_t *k, size_t n) {
    while (n > 0 && k[n - 1] == 0) n--;
    if (n == 0 || g1_is_inf(p)) {
        g1_set_inf(r);
        return;
    }
    /* Horner over chunks of CURVE_WNAF_MAX_LIMBS limbs, top chunk first. */
    size_t top = (n - 1) / CURVE_WNAF_MAX_LIMBS * CURVE_WNAF_MAX_LIMBS;
    g1_t base = *p, acc, part;
    mul_wnaf_chunk(&acc, &base, k + top, n - top);
    while (top > 0) {
        top -= CURVE_WNAF_MAX_LIMBS;
        for (size_t i = 0; i < 64 * CURVE_WNAF_MAX_LIMBS; i++) g1_dbl(&acc, &acc);
        mul_wnaf_chunk(&part, &base, k + top, CURVE_WNAF_MAX_LIMBS);
        g1_add(&acc, &acc, &part);
    }
    *r = acc;
}

/* z² = 0xac45a4010001a4020000000100000000 (128 bits). */
static const uint64_t Z_SQ[2] = {0x0000000100000000ULL, 0xac45a4010001a402ULL};

/* floor(2^256 / z²) (129 bits). */
static const uint64_t Z_SQ_RECIP[3] = {0x63f6e522f6cfee2eULL, 0x7c6becf1e01faaddULL, 1};

/* k = k0 + q·z² with k0 < z²: q = floor(k·floor(2^256/z²) / 2^256) is at most 2 below the
 * true quotient (the reciprocal is short by < 1 and k < 2^256), then corrected. */
void g1_glv_split(uint64_t k0[2], uint64_t q[2], const uint64_t k[4]) {
    uint64_t prod[7] = {0};
    for (int i = 0; i < 4; i++) {
        unsigned __int128 carry = 0;
        for (int j = 0; j < 3; j++) {
            carry += (unsigned __int128)k[i] * Z_SQ_RECIP[j] + prod[i + j];
            prod[i + j] = (uint64_t)carry;
            carry >>= 64;
        }
        prod[i + 3] = (uint64_t)carry;
    }
    uint64_t q0 = prod[4], q1 = prod[5]; /* prod[6] = 0: q < r/z² < 2^128 */
    /* rem = k - q·z² (< 3·z², so its top limbs vanish after the subtraction). */
    uint64_t qd[4] = {0};
    {
        const uint64_t qq[2] = {q0, q1};
        for (int i = 0; i < 2; i++) {
            unsigned __int128 carry = 0;
            for (int j = 0; j < 2; j++) {
                carry += (unsigned __int128)qq[i] * Z_SQ[j] + qd[i + j];
                qd[i + j] = (uint64_t)carry;
                carry >>= 64;
            }
            qd[i + 2] = (uint64_t)carry;
        }
    }
    uint64_t rem[4];
    unsigned __int128 borrow = 0;
    for (int i = 0; i < 4; i++) {
        unsigned __int128 d = (unsigned __int128)k[i] - qd[i] - (uint64_t)borrow;
        rem[i] = (uint64_t)d;
        borrow = (d >> 64) ? 1 : 0;
    }
    for (;;) {
        /* rem ≥ z²? (rem < 2^130, so limbs 3 and the high part of 2 decide first) */
        bool ge = rem[3] || rem[2] || rem[1] > Z_SQ[1] || (rem[1] == Z_SQ[1] && rem[0] >= Z_SQ[0]);
        if (!ge) break;
        unsigned __int128 d0 = (unsigned __int128)rem[0] - Z_SQ[0];
        rem[0] = (uint64_t)d0;
        unsigned __int128 d1 = (unsigned __int128)rem[1] - Z_SQ[1] - ((d0 >> 64) ? 1 : 0);
        rem[1] = (uint64_t)d1;
        uint64_t b = (d1 >> 64) ? 1 : 0;
        unsigned __int128 d2 = (unsigned __int128)rem[2] - b;
        rem[2] = (uint64_t)d2;
        rem[3] -= (d2 >> 64) ? 1 : 0;
        if (++q0 == 0) q1++;
    }
    k0[0] = rem[0];
    k0[1] = rem[1];
    q[0] = q0;
    q[1] = q1;
}

/* GLV (Gallant–Lambert–Vanstone) with the decomposition k = k0 + q·z²: on G1,
 * [z²]P = -φ(P), so k·P = k0·P + q·(-φ(P)) with both halves ~128 bits. Interleaved
 * width-5 NAFs (Shamir's trick) share the ~128 doublings; the second table is the first
 * one mapped by -φ(x, y) = (βx, -y), one multiplication per entry. */

/* The digits of k's two GLV halves (d[0]: k0 over t[0], d[1]: q over t[1]) and t[1], the
 * -φ image of the affine odd multiples in t[0] (8 M). */
static void glv_prepare(int8_t d[2][130], size_t len[2], g1_aff_t t[2][8], const fr_t *k) {
    uint64_t raw[4], k0[2], q[2];
    fr_to_raw(raw, k);
    g1_glv_split(k0, q, raw);
    len[0] = curve_wnaf_var(d[0], k0, 2, 5);
    len[1] = curve_wnaf_var(d[1], q, 2, 5);
    for (size_t i = 0; i < 8; i++) {
        if (g1_aff_is_inf(&t[0][i])) { /* only for points outside G1; keep (0, 0) */
            t[1][i] = t[0][i];
            continue;
        }
        fp_mul(&t[1][i].x, &t[0][i].x, &G1_BETA);
        fp_neg(&t[1][i].y, &t[0][i].y);
    }
}

/* r = the sum over `halves` digit strings of their tables' multiples, with one shared chain
 * of doublings (~128 doublings, ~21 mixed additions a half). */
static void glv_loop(g1_t *r, int8_t (*d)[130], const size_t *len, g1_aff_t (*t)[8], size_t halves) {
    size_t top = 0;
    for (size_t h = 0; h < halves; h++) top = len[h] > top ? len[h] : top;
    g1_t acc;
    g1_set_inf(&acc);
    for (size_t i = top; i-- > 0;) {
        g1_dbl(&acc, &acc);
        for (size_t h = 0; h < halves; h++)
            if (i < len[h]) add_digit(&acc, t[h], d[h][i]);
    }
    *r = acc;
}

/* Σ_{j<n} k_j·p_j, n ≤ 2, by GLV and interleaved width-5 NAFs: the 2n half-scalars share
 * one chain of ~128 doublings, and the n tables of odd multiples are made affine with one
 * inversion. Per point: 1 dbl + 7 adds for its table (+ 8 M for the -φ copy) and ~2 × 21
 * mixed additions; so two products cost ~128 × 7 + 2 × (120 + 8 + 42 × 11) ≈ 2100 M
 * against ~2900 M for two g1_mul_var. */
static void glv_mul_n(g1_t *r, const g1_t *const *p, const fr_t *const *k, size_t n) {
    int8_t d[4][130];
    size_t len[4] = {0, 0, 0, 0}, live = 0;
    const fr_t *kl[2];
    g1_aff_t t[4][8];
    g1_t jac[16];
    fp_t scratch[16];
    for (size_t j = 0; j < n; j++) {
        if (g1_is_inf(p[j])) continue;
        g1_t p2, *row = &jac[8 * live];
        row[0] = *p[j];
        g1_dbl(&p2, p[j]);
        for (size_t i = 1; i < 8; i++) g1_add(&row[i], &row[i - 1], &p2);
        kl[live++] = k[j];
    }
    if (live == 0) {
        g1_set_inf(r);
        return;
    }
    g1_aff_t aff[16];
    g1_batch_to_aff(aff, jac, 8 * live, scratch);
    for (size_t j = 0; j < live; j++) {
        memcpy(t[2 * j], &aff[8 * j], sizeof t[2 * j]);
        glv_prepare(&d[2 * j], &len[2 * j], &t[2 * j], kl[j]);
    }
    glv_loop(r, d, len, t, 2 * live);
}

/* g1_mul_many_var without the lane kernels: g1_mul_var's method, with the tables of odd
 * multiples of MANY_BLOCK points built together in affine form, each step's denominators
 * inverted at once (Montgomery's trick). Per point: its affine form (~6M and a share of
 * one inversion), 2P (5M + 2S) and P + 2P, ..., 13P + 2P (7 × (5M + 1S)), the -φ copy
 * (8M): ~54M + 9S and a share of 9 inversions, against g1_mul_var's 1 dbl + 7 Jacobian
 * additions and a conversion of 8 points with an inversion of their own (~140M + 40S +
 * one inversion). The ~128 doublings and ~42 mixed additions of the loop are unchanged. */
#define MANY_BLOCK 16

static void mul_many_scalar(g1_t *out, const g1_t *in, const fr_t *k, size_t n) {
    for (size_t b = 0; b < n; b += MANY_BLOCK) {
        size_t m = n - b < MANY_BLOCK ? n - b : MANY_BLOCK, live = 0, idx[MANY_BLOCK];
        g1_aff_t a[MANY_BLOCK], two[MANY_BLOCK], t[MANY_BLOCK][2][8];
        fp_t den[MANY_BLOCK], inv[MANY_BLOCK], u, v;
        bool bad[MANY_BLOCK] = {false};
        g1_batch_to_aff(a, &in[b], m, inv); /* in is read only here: out may alias it */
        for (size_t i = 0; i < m; i++) {
            if (g1_is_inf(&in[b + i])) g1_set_inf(&out[b + i]);
            else idx[live++] = i;
        }
        /* 2P: λ = 3x²/2y. */
        for (size_t j = 0; j < live; j++) fp_dbl(&den[j], &a[idx[j]].y);
        fp_batch_inv_var(inv, den, live);
        for (size_t j = 0; j < live; j++) {
            const g1_aff_t *P = &a[idx[j]];
            bad[j] = fp_is_zero(&den[j]); /* y = 0: not in G1 */
            fp_sqr(&u, &P->x);
            fp_dbl(&v, &u);
            fp_add(&u, &u, &v);
            fp_mul(&u, &u, &inv[j]);
            fp_sqr(&two[j].x, &u);
            fp_dbl(&v, &P->x);
            fp_sub(&two[j].x, &two[j].x, &v);
            fp_sub(&v, &P->x, &two[j].x);
            fp_mul(&v, &v, &u);
            fp_sub(&two[j].y, &v, &P->y);
            t[j][0][0] = *P;
        }
        /* (2e + 1)P = (2e - 1)P + 2P: λ = (y2 - y1)/(x2 - x1); x2 ≠ x1 in G1 (the points
         * would differ by an element of order dividing 2e + 1 or 2e - 3, at most 15). */
        for (size_t e = 1; e < 8; e++) {
            for (size_t j = 0; j < live; j++) {
                fp_sub(&den[j], &two[j].x, &t[j][0][e - 1].x);
                bad[j] = bad[j] || fp_is_zero(&den[j]);
            }
            fp_batch_inv_var(inv, den, live);
            for (size_t j = 0; j < live; j++) {
                const g1_aff_t *Q = &t[j][0][e - 1];
                g1_aff_t *R = &t[j][0][e];
                fp_sub(&u, &two[j].y, &Q->y);
                fp_mul(&u, &u, &inv[j]);
                fp_sqr(&R->x, &u);
                fp_sub(&R->x, &R->x, &Q->x);
                fp_sub(&R->x, &R->x, &two[j].x);
                fp_sub(&v, &Q->x, &R->x);
                fp_mul(&v, &v, &u);
                fp_sub(&R->y, &v, &Q->y);
            }
        }
        for (size_t j = 0; j < live; j++) {
            size_t i = b + idx[j];
            if (bad[j]) { /* outside G1: the general code handles every case */
                g1_t p;
                g1_from_aff(&p, &a[idx[j]]);
                g1_mul_var(&out[i], &p, &k[i]);
                continue;
            }
            int8_t d[2][130];
            size_t len[2];
            glv_prepare(d, len, t[j], &k[i]);
            glv_loop(&out[i], d, len, t[j], 2);
        }
    }
}

void g1_mul_var(g1_t *r, const g1_t *p, const fr_t *k) {
    glv_mul_n(r, &p, &k, 1);
}

void g1_mul2_var(g1_t *r, const g1_t *p, const fr_t *a, const g1_t *q, const fr_t *b) {
    const g1_t *pts[2] = {p, q};
    const fr_t *ks[2] = {a, b};
    glv_mul_n(r, pts, ks, 2);
}

/* ---- curve and subgroup membership ---------------------------------------------------- */

/* Y² = X³ + 4Z⁶: 2M + 4S. */
bool g1_is_on_curve(const g1_t *a) {
    if (g1_is_inf(a)) return true;
    fp_t y2, x3, z2, z6;
    fp_sqr(&y2, &a->y);
    fp_sqr(&x3, &a->x);
    fp_mul(&x3, &x3, &a->x);
    fp_sqr(&z2, &a->z);
    fp_sqr(&z6, &z2);
    fp_mul(&z6, &z6, &z2);
    fp_mul_small(&z6, &z6, 4);
    fp_add(&x3, &x3, &z6);
    return fp_eq(&y2, &x3);
}

bool g1_aff_is_on_curve(const g1_aff_t *a) {
    if (g1_aff_is_inf(a)) return true;
    fp_t y2, x3;
    fp_sqr(&y2, &a->y);
    fp_sqr(&x3, &a->x);
    fp_mul(&x3, &x3, &a->x);
    fp_add(&x3, &x3, &G1_B);
    return fp_eq(&y2, &x3);
}

/* a + b where b is fixed across calls, with Z2² and Z2³ cached (add-1998-cmo-2 less
 * 1M + 1S: 11M + 3S). b ≠ O, and a, b on the curve. */
static void add_cached(g1_t *r, const g1_t *a, const g1_t *b, const fp_t *z2z2,
                       const fp_t *z2z2z2) {
    if (g1_is_inf(a)) {
        *r = *b;
        return;
    }
    fp_t z1z1, u1, u2, s1, s2, h, rr, hh, hhh, v, t;
    fp_sqr(&z1z1, &a->z);
    fp_mul(&u1, &a->x, z2z2);
    fp_mul(&u2, &b->x, &z1z1);
    fp_mul(&s1, &a->y, z2z2z2);
    fp_mul(&s2, &b->y, &a->z);
    fp_mul(&s2, &s2, &z1z1);
    fp_sub(&h, &u2, &u1);
    fp_sub(&rr, &s2, &s1);
    if (fp_is_zero(&h)) {
        if (fp_is_zero(&rr)) {
            g1_dbl(r, a);
        } else {
            g1_set_inf(r);
        }
        return;
    }
    fp_sqr(&hh, &h);
    fp_mul(&hhh, &h, &hh);
    fp_mul(&v, &u1, &hh);
    fp_mul(&t, &a->z, &b->z);
    fp_mul(&r->z, &t, &h);
    fp_sqr(&r->x, &rr);
    fp_sub(&r->x, &r->x, &hhh);
    fp_dbl(&t, &v);
    fp_sub(&r->x, &r->x, &t);
    fp_sub(&t, &v, &r->x);
    fp_mul(&t, &rr, &t);
    fp_mul(&s1, &s1, &hhh);
    fp_sub(&r->y, &t, &s1);
}

/* r = |z|·a by plain double-and-add over the 64 bits of |z| = 0xd201000000010000:
 * 63 doublings and 5 additions (mixed when a has Z = 1, else with a's Z powers cached),
 * no table: a wNAF table would cost more than the 5 additions it could save. */
static void mul_by_abs_z(g1_t *r, const g1_t *a) {
    if (g1_is_inf(a)) { /* add_cached needs b ≠ O */
        g1_set_inf(r);
        return;
    }
    bool affine = fp_is_one(&a->z);
    g1_aff_t aa = {a->x, a->y};
    g1_t acc = *a, base = *a; /* bit 63 of |z| is set */
    fp_t zz, zzz;
    if (!affine) {
        fp_sqr(&zz, &a->z);
        fp_mul(&zzz, &zz, &a->z);
    }
    for (int i = 62; i >= 0; i--) {
        g1_dbl(&acc, &acc);
        if ((CURVE_Z_ABS >> i) & 1) {
            if (affine) {
                g1_add_aff(&acc, &acc, &aa);
            } else {
                add_cached(&acc, &acc, &base, &zz, &zzz);
            }
        }
    }
    *r = acc;
}

/* Scott 2021 ("A note on group membership tests…", see curve/g1.h): for BLS12-381,
 * P ∈ E(Fp) lies in G1 iff φ(P) = [-z²]P, with φ(x, y) = (βx, y) and the β above (the
 * endomorphism -z² - φ has degree z⁴ - z² + 1 = r, so its kernel is exactly G1).
 * [-z²]P = -(|z|·(|z|·P)): two passes of the sparse chain, 126 doublings + 10 additions.
 * In Jacobian form φ(X, Y, Z) = (βX, Y, Z). */
bool g1_in_subgroup_var(const g1_t *a) {
    if (g1_is_inf(a)) return true;
    g1_t t, phi;
    mul_by_abs_z(&t, a);
    mul_by_abs_z(&t, &t);
    g1_neg(&t, &t);
    fp_mul(&phi.x, &a->x, &G1_BETA);
    phi.y = a->y;
    phi.z = a->z;
    return g1_eq(&phi, &t);
}

/* ---- ZCash codec ------------------------------------------------------------------------ */

#define FLAG_COMPRESSED 0x80
#define FLAG_INFINITY 0x40
#define FLAG_SIGN 0x20

/* The decoder in two halves around the square root, so that g1_decompress_many can take
 * the roots eight at a time. decode_x: flags and x (out = (0, 0) on failure or for the
 * point at infinity); *need_root = false when nothing more is to be done, else *rhs =
 * x³ + 4 and its root goes to decode_y. */
static kzg_status decode_x(g1_aff_t *out, fp_t *rhs, bool *need_root, const uint8_t in[48]) {
    out->x = FP_ZERO;
    out->y = FP_ZERO;
    *need_root = false;
    uint8_t flags = in[0];
    if (!(flags & FLAG_COMPRESSED))
        return kzg_fail(KZG_ERR_POINT_ENCODING, "G1 point: compression bit not set");
    if (flags & FLAG_INFINITY) {
        if (flags & FLAG_SIGN)
            return kzg_fail(KZG_ERR_POINT_ENCODING, "G1 point: infinity with the sign bit set");
        uint8_t any = flags & 0x1f;
        for (size_t i = 1; i < 48; i++) any |= in[i];
        if (any)
            return kzg_fail(KZG_ERR_POINT_ENCODING, "G1 point: infinity with a non-zero body");
        return KZG_OK; /* out = (0, 0) */
    }
    uint8_t buf[48];
    memcpy(buf, in, 48);
    buf[0] &= 0x1f;
    fp_t x;
    if (!fp_from_bytes_be(&x, buf))
        return kzg_fail(KZG_ERR_POINT_ENCODING, "G1 point: x is not below p");
    fp_sqr(rhs, &x);
    fp_mul(rhs, rhs, &x);
    fp_add(rhs, rhs, &G1_B);
    out->x = x; /* kept for decode_y; cleared again there on failure */
    *need_root = true;
    return KZG_OK;
}

/* s = rhs^((p+1)/4): y = ±s if s² = rhs, with the sign of the encoding (flags in[0]). */
static kzg_status decode_y(g1_aff_t *out, const fp_t *rhs, const fp_t *s, uint8_t flags) {
    fp_t chk, y = *s;
    fp_sqr(&chk, s);
    if (!fp_eq(&chk, rhs)) {
        out->x = FP_ZERO;
        return kzg_fail(KZG_ERR_POINT_NOT_ON_CURVE, "G1 point: x³ + 4 is not a square");
    }
    /* y ≠ 0 always (-4 is not a cube in Fp), so the two roots have different signs. */
    if (fp_is_lex_largest(&y) != ((flags & FLAG_SIGN) != 0)) fp_neg(&y, &y);
    out->y = y;
    return KZG_OK;
}

kzg_status g1_decompress_unchecked(g1_aff_t *out, const uint8_t in[48]) {
    fp_t rhs, s;
    bool need_root;
    kzg_status st = decode_x(out, &rhs, &need_root, in);
    if (st != KZG_OK || !need_root) return st;
    fp_pow_var(&s, &rhs, FP_P_PLUS_1_QUARTER, 6);
    return decode_y(out, &rhs, &s, in[0]);
}

kzg_status g1_decompress(g1_aff_t *out, const uint8_t in[48]) {
    kzg_status st = g1_decompress_unchecked(out, in);
    if (st != KZG_OK) return st;
    g1_t p;
    g1_from_aff(&p, out);
    if (!g1_in_subgroup_var(&p)) {
        out->x = FP_ZERO;
        out->y = FP_ZERO;
        return kzg_fail(KZG_ERR_POINT_NOT_IN_SUBGROUP, "G1 point: not in the r-torsion subgroup");
    }
    return KZG_OK;
}

/* ---- many points: square roots and subgroup checks eight at a time (AVX-512 IFMA) ------ */

#ifdef KZG_HAVE_IFMA_KERNELS
typedef struct { v8fp x, y, z; } v8_jac;

/* dbl-2009-l (a = 0): 2 M + 5 S. Z = 0 stays 0 (Z3 = 2·Y·Z). */
V8_INLINE void v8_g1_dbl(v8_jac *r, const v8_jac *a) {
    v8fp A, B, C, D, E, F, t;
    v8_sqr(&A, &a->x);
    v8_sqr(&B, &a->y);
    v8_sqr(&C, &B);
    v8_add(&t, &a->x, &B);
    v8_sqr(&t, &t);
    v8_sub(&t, &t, &A);
    v8_sub(&t, &t, &C);
    v8_add(&D, &t, &t);     /* D = 2((X + B)² − A − C) */
    v8_add(&E, &A, &A);
    v8_add(&E, &E, &A);     /* E = 3A */
    v8_sqr(&F, &E);
    v8_mul(&r->z, &a->y, &a->z);
    v8_add(&r->z, &r->z, &r->z);
    v8_sub(&r->x, &F, &D);
    v8_sub(&r->x, &r->x, &D);
    v8_sub(&t, &D, &r->x);
    v8_mul(&t, &E, &t);
    v8_add(&C, &C, &C);
    v8_add(&C, &C, &C);
    v8_add(&C, &C, &C);     /* 8C */
    v8_sub(&r->y, &t, &C);
}

/* madd-2007-bl, r = a + (qx, qy): 7 M + 4 S. Exceptional when a = ±q (H = 0) or a = O:
 * then Z3 = 2·Z1·H = 0 — and Z = 0 stays 0 through every later step, which is how the
 * caller detects it. */
V8_INLINE void v8_g1_madd(v8_jac *r, const v8_jac *a, const v8fp *qx, const v8fp *qy) {
    v8fp z1z1, u2, s2, h, hh, i, j, rr, v, t;
    v8_sqr(&z1z1, &a->z);
    v8_mul(&u2, qx, &z1z1);
    v8_mul(&s2, &a->z, &z1z1);
    v8_mul(&s2, qy, &s2);
    v8_sub(&h, &u2, &a->x);
    v8_sqr(&hh, &h);
    v8_add(&i, &hh, &hh);
    v8_add(&i, &i, &i);     /* I = 4·HH */
    v8_mul(&j, &h, &i);
    v8_sub(&rr, &s2, &a->y);
    v8_add(&rr, &rr, &rr);  /* r = 2(S2 − Y1) */
    v8_mul(&v, &a->x, &i);
    v8_add(&t, &a->z, &h);
    v8_sqr(&t, &t);
    v8_sub(&t, &t, &z1z1);
    v8_sub(&r->z, &t, &hh); /* Z3 = (Z1 + H)² − Z1Z1 − HH */
    v8_sqr(&t, &rr);
    v8_sub(&t, &t, &j);
    v8_sub(&t, &t, &v);
    v8_sub(&r->x, &t, &v);  /* X3 = r² − J − 2V */
    v8_sub(&t, &v, &r->x);
    v8_mul(&t, &rr, &t);
    v8_mul(&j, &a->y, &j);
    v8_add(&j, &j, &j);
    v8_sub(&r->y, &t, &j);  /* Y3 = r(V − X3) − 2·Y1·J */
}

/* [|z|]·(qx, qy) by the sparse chain (63 doublings, 5 mixed additions: 496 products). */
V8_INLINE void v8_g1_mul_abs_z(v8_jac *r, const v8fp *qx, const v8fp *qy) {
    v8_jac acc;
    acc.x = *qx;
    acc.y = *qy;
    v8_broadcast(&acc.z, &FP_ONE); /* Z = 1 (Montgomery form) */
    for (int i = 62; i >= 0; i--) {
        v8_g1_dbl(&acc, &acc);
        if ((CURVE_Z_ABS >> i) & 1) v8_g1_madd(&acc, &acc, qx, qy);
    }
    *r = acc;
}

/* Lanes where a is zero. */
V8_INLINE __mmask8 v8_is_zero(const v8fp *a) {
    __m512i o = a->v[0];
    for (int k = 1; k < 8; k++) o = _mm512_or_si512(o, a->v[k]);
    return (__mmask8)~_mm512_test_epi64_mask(o, o);
}

/* The check of g1_in_subgroup_var on eight affine points (none at infinity): φ(P) =
 * [−z²]P as [|z|]P made affine (one scalar inversion for the eight Z by Montgomery's
 * trick), then [|z|] of that, compared in Jacobian form: β·x·Z² = X and y·Z³ = −Y.
 * Returns the lanes proven to be in G1; a lane not in the mask is either outside G1 or
 * hit an exceptional case of the formulas (Z = 0 at the end of a pass, which only a
 * point of small order can cause) — the caller decides those with the scalar check.
 * About 1000 vector products per eight points, against 2 × (63 + 5) scalar Jacobian
 * steps per point. */
static V8_TARGET __mmask8 v8_g1_in_subgroup(const g1_aff_t *const pts[8]) {
    const void *px[8], *py[8];
    void *pz[8];
    fp_t zs[8], zi[8];
    v8fp x, y, x1, y1, t, u, beta;
    v8_jac q;
    for (int l = 0; l < 8; l++) {
        px[l] = &pts[l]->x;
        py[l] = &pts[l]->y;
        pz[l] = &zs[l];
    }
    v8_load_tr(&x, px, 0);
    v8_load_tr(&y, py, 0);
    v8_g1_mul_abs_z(&q, &x, &y);
    __mmask8 bad = v8_is_zero(&q.z);
    v8_store_tr(pz, 0, &q.z);
    fp_batch_inv_var(zi, zs, 8); /* a zero Z maps to 0: that lane is already bad */
    for (int l = 0; l < 8; l++) pz[l] = &zi[l];
    v8_load_tr(&t, (const void *const *)pz, 0);
    v8_sqr(&u, &t);
    v8_mul(&x1, &q.x, &u);
    v8_mul(&u, &u, &t);
    v8_mul(&y1, &q.y, &u);
    v8_g1_mul_abs_z(&q, &x1, &y1);
    bad |= v8_is_zero(&q.z);
    v8_broadcast(&beta, &G1_BETA);
    v8_sqr(&u, &q.z);       /* Z² */
    v8_mul(&t, &x, &beta);
    v8_mul(&t, &t, &u);
    v8_sub(&t, &t, &q.x);         /* β·x·Z² − X */
    __mmask8 ok = v8_is_zero(&t);
    v8_mul(&u, &u, &q.z);         /* Z³ */
    v8_mul(&t, &y, &u);
    v8_add(&t, &t, &q.y);         /* y·Z³ + Y */
    ok &= v8_is_zero(&t);
    return ok & (__mmask8)~bad;
}
#endif

void g1_in_subgroup_batch_var(bool *ok, const g1_aff_t *pts, size_t n) {
    size_t k = 0;
#ifdef KZG_HAVE_IFMA_KERNELS
    if (backend_select()->batch_ifma) {
        const g1_aff_t *lane[8];
        size_t idx[8];
        int m = 0;
        for (size_t i = 0; i <= n; i++) {
            if (i < n) {
                if (g1_aff_is_inf(&pts[i])) {
                    ok[i] = true;
                    continue;
                }
                idx[m] = i;
                lane[m++] = &pts[i];
            }
            if (m == 8 || (i == n && m > 0)) {
                for (int l = m; l < 8; l++) lane[l] = &G1_GENERATOR_AFF; /* padding */
                __mmask8 in = v8_g1_in_subgroup(lane);
                for (int l = 0; l < m; l++) {
                    if ((in >> l) & 1) {
                        ok[idx[l]] = true;
                    } else { /* outside G1, or an exceptional lane: the scalar check decides */
                        g1_t p;
                        g1_from_aff(&p, &pts[idx[l]]);
                        ok[idx[l]] = g1_in_subgroup_var(&p);
                    }
                }
                m = 0;
            }
        }
        return;
    }
#endif
    for (; k < n; k++) {
        g1_t p;
        g1_from_aff(&p, &pts[k]);
        ok[k] = g1_in_subgroup_var(&p);
    }
}

/* ---- many independent scalar multiplications ------------------------------------------ */

#ifdef KZG_HAVE_IFMA_KERNELS
/* Signed fixed windows of 4 bits over each 128-bit GLV half: 33 digits in [-7, 8] (the top
 * window holds only a carry), so all eight lanes add at the same positions — what a vector
 * of eight independent multiplications needs (a wNAF's positions differ per lane). */
#define MANY_WINDOWS 33
#define MANY_TABLE 8 /* multiples 1..8 */

static void recode_w4_128(int8_t d[MANY_WINDOWS], const uint64_t k[2]) {
    int carry = 0;
    for (unsigned w = 0; w < MANY_WINDOWS; w++) {
        unsigned bit = 4 * w;
        int x = (bit < 128 ? (int)((k[bit / 64] >> (bit % 64)) & 15) : 0) + carry;
        carry = x > 8;
        d[w] = (int8_t)(carry ? x - 16 : x);
    }
}

V8_INLINE void v8_blend(v8fp *r, __mmask8 take_b, const v8fp *a, const v8fp *b) {
    for (int q = 0; q < 8; q++) r->v[q] = _mm512_mask_blend_epi64(take_b, a->v[q], b->v[q]);
}

/* r = tab[idx[l] - 1] in lane l, for idx[l] in 1..8 (other lanes: tab[0]). */
V8_INLINE void v8_select(v8fp *r, const v8fp tab[MANY_TABLE], const uint8_t idx[8]) {
    __m512i want = _mm512_set_epi64(idx[7], idx[6], idx[5], idx[4], idx[3], idx[2], idx[1], idx[0]);
    *r = tab[0];
    for (int e = 1; e < MANY_TABLE; e++) {
        __mmask8 m = _mm512_cmpeq_epi64_mask(want, _mm512_set1_epi64(e + 1));
        if (m) v8_blend(r, m, r, &tab[e]);
    }
}

/* out[l] = k[l]·in[l] for eight lanes (every in[l] in G1 and not infinity; padding lanes
 * carry the generator and k = 0). Per lane: GLV halves k0, q in signed 4-bit windows, one
 * table of the affine multiples 1..8 of P and its image under -φ (x·β, -y), then 4
 * doublings and two mixed additions per window. Vector products per eight lanes: affine P
 * 4, table 1 dbl + 6 madd = 73, its affine form 6 + 12 + 28 = 46, -φ 8, main loop
 * 128 dbl × 7 + ≤ 66 madd × 11 = 1622: ~1750, i.e. ~220 per multiplication against
 * ~1450 scalar products (+ one inversion) for g1_mul_var. Returns the lanes that hit an
 * exceptional case of the mixed addition (an addend equal to ± the accumulator: Z = 0 and
 * it stays 0); the caller recomputes those with g1_mul_var. Lanes that stay at infinity
 * (all digits 0) are reported in *inf. */
static V8_TARGET __mmask8 v8_g1_mul8(g1_t *const out[8], __mmask8 *inf, const g1_t *const in[8],
                                     const uint64_t k0[8][2], const uint64_t q[8][2]) {
    int8_t dig[2][8][MANY_WINDOWS];
    const void *ptr[8];
    void *wptr[8];
    fp_t zs[8], zi[8];
    v8fp X, Y, Z, t, u, x1, y1, zero;
    v8fp tx[2][MANY_TABLE], ty[2][MANY_TABLE];
    v8_jac T[MANY_TABLE], acc;

    for (int l = 0; l < 8; l++) {
        recode_w4_128(dig[0][l], k0[l]);
        recode_w4_128(dig[1][l], q[l]);
    }
    for (int l = 0; l < 8; l++) ptr[l] = in[l];
    v8_load_tr(&X, ptr, 0);
    v8_load_tr(&Y, ptr, sizeof(fp_t));
    v8_load_tr(&Z, ptr, 2 * sizeof(fp_t));
    for (int q8 = 0; q8 < 8; q8++) zero.v[q8] = _mm512_setzero_si512();

    /* P affine: one scalar batch inversion of the eight Z. */
    for (int l = 0; l < 8; l++) wptr[l] = &zs[l];
    v8_store_tr(wptr, 0, &Z);
    fp_batch_inv_var(zi, zs, 8);
    for (int l = 0; l < 8; l++) ptr[l] = &zi[l];
    v8_load_tr(&t, ptr, 0);
    v8_sqr(&u, &t);
    v8_mul(&x1, &X, &u);
    v8_mul(&u, &u, &t);
    v8_mul(&y1, &Y, &u);

    /* T[e] = (e+1)·P in Jacobian form, then all made affine with one inversion: prefix
     * products of Z over e = 1..7 per lane, the eight lane totals inverted at once. */
    T[0].x = x1;
    T[0].y = y1;
    v8_broadcast(&T[0].z, &FP_ONE);
    v8_g1_dbl(&T[1], &T[0]);
    for (int e = 2; e < MANY_TABLE; e++) v8_g1_madd(&T[e], &T[e - 1], &x1, &y1);
    v8fp pre[MANY_TABLE], inv;
    pre[1] = T[1].z;
    for (int e = 2; e < MANY_TABLE; e++) v8_mul(&pre[e], &pre[e - 1], &T[e].z);
    __mmask8 bad = v8_is_zero(&pre[MANY_TABLE - 1]); /* only for points of small order */
    v8_store_tr(wptr, 0, &pre[MANY_TABLE - 1]);
    fp_batch_inv_var(zi, zs, 8);
    v8_load_tr(&inv, ptr, 0);
    tx[0][0] = x1;
    ty[0][0] = y1;
    for (int e = MANY_TABLE - 1; e >= 1; e--) {
        v8fp ie;
        if (e > 1) {
            v8_mul(&ie, &inv, &pre[e - 1]);
            v8_mul(&inv, &inv, &T[e].z);
        } else {
            ie = inv;
        }
        v8_sqr(&u, &ie);
        v8_mul(&tx[0][e], &T[e].x, &u);
        v8_mul(&u, &u, &ie);
        v8_mul(&ty[0][e], &T[e].y, &u);
    }
    v8fp beta;
    v8_broadcast(&beta, &G1_BETA);
    for (int e = 0; e < MANY_TABLE; e++) {
        v8_mul(&tx[1][e], &tx[0][e], &beta);
        v8_sub(&ty[1][e], &zero, &ty[0][e]);
    }

    /* The windows from the top; acc is meaningless in lanes still at infinity (`at_inf`):
     * their first addend is copied in instead of added. */
    __mmask8 at_inf = 0xff;
    v8_broadcast(&acc.x, &FP_ONE);
    acc.y = acc.x;
    acc.z = zero;
    for (int w = MANY_WINDOWS - 1; w >= 0; w--) {
        if (at_inf != 0xff)
            for (int s = 0; s < 4; s++) v8_g1_dbl(&acc, &acc);
        for (int h = 0; h < 2; h++) {
            uint8_t mag[8];
            __mmask8 nz = 0, neg = 0;
            for (int l = 0; l < 8; l++) {
                int d = dig[h][l][w];
                mag[l] = (uint8_t)(d < 0 ? -d : d);
                nz |= (__mmask8)((d != 0) << l);
                neg |= (__mmask8)((d < 0) << l);
            }
            if (!nz) continue;
            v8fp ax, ay, ny;
            v8_select(&ax, tx[h], mag);
            v8_select(&ay, ty[h], mag);
            if (neg) {
                v8_sub(&ny, &zero, &ay);
                v8_blend(&ay, neg, &ay, &ny);
            }
            __mmask8 add = nz & (__mmask8)~at_inf, copy = nz & at_inf;
            if (add) {
                v8_jac sum;
                v8_g1_madd(&sum, &acc, &ax, &ay);
                v8_blend(&acc.x, add, &acc.x, &sum.x);
                v8_blend(&acc.y, add, &acc.y, &sum.y);
                v8_blend(&acc.z, add, &acc.z, &sum.z);
            }
            if (copy) {
                v8fp one;
                v8_broadcast(&one, &FP_ONE);
                v8_blend(&acc.x, copy, &acc.x, &ax);
                v8_blend(&acc.y, copy, &acc.y, &ay);
                v8_blend(&acc.z, copy, &acc.z, &one);
                at_inf &= (__mmask8)~copy;
            }
        }
    }
    bad |= v8_is_zero(&acc.z) & (__mmask8)~at_inf;
    g1_t sink;
    for (int l = 0; l < 8; l++) wptr[l] = ((bad | at_inf) >> l) & 1 ? (void *)&sink : (void *)out[l];
    v8_store_tr(wptr, 0, &acc.x);
    v8_store_tr(wptr, sizeof(fp_t), &acc.y);
    v8_store_tr(wptr, 2 * sizeof(fp_t), &acc.z);
    *inf = at_inf & (__mmask8)~bad;
    return bad;
}
#endif

void g1_mul_many_var(g1_t *out, const g1_t *in, const fr_t *k, size_t n) {
#ifdef KZG_HAVE_IFMA_KERNELS
    if (backend_select()->batch_ifma) {
        static const g1_t pad = {
            {{0x5cb38790fd530c16ULL, 0x7817fc679976fff5ULL, 0x154f95c7143ba1c1ULL,
              0xf0ae6acdf3d0e747ULL, 0xedce6ecc21dbf440ULL, 0x120177419e0bfb75ULL}},
            {{0xbaac93d50ce72271ULL, 0x8c22631a7918fd8eULL, 0xdd595f13570725ceULL,
              0x51ac582950405194ULL, 0x0e1c8c3fad0059c0ULL, 0x0bbc3efc5008a26aULL}},
            {{0x760900000002fffdULL, 0xebf4000bc40c0002ULL, 0x5f48985753c758baULL,
              0x77ce585370525745ULL, 0x5c071a97a256ec6dULL, 0x15f65ec3fa80e493ULL}}};
        for (size_t b = 0; b < n; b += 8) {
            const g1_t *lin[8];
            g1_t *lout[8], sink[8], keep[8];
            uint64_t k0[8][2], q[8][2];
            size_t m = n - b < 8 ? n - b : 8;
            for (size_t l = 0; l < 8; l++) {
                uint64_t raw[4] = {0, 0, 0, 0};
                bool live = l < m && !g1_is_inf(&in[b + l]);
                if (live) fr_to_raw(raw, &k[b + l]);
                g1_glv_split(k0[l], q[l], raw);
                keep[l] = live ? in[b + l] : pad; /* out may alias in: kept for the fallback */
                lin[l] = live ? &in[b + l] : &pad;
                lout[l] = l < m ? &out[b + l] : &sink[l];
            }
            __mmask8 inf, bad = v8_g1_mul8(lout, &inf, lin, (const uint64_t(*)[2])k0,
                                           (const uint64_t(*)[2])q);
            for (size_t l = 0; l < m; l++) {
                if ((bad >> l) & 1) g1_mul_var(lout[l], &keep[l], &k[b + l]);
                else if ((inf >> l) & 1) g1_set_inf(lout[l]);
            }
        }
        return;
    }
#endif
    mul_many_scalar(out, in, k, n);
}

#ifdef KZG_HAVE_IFMA_KERNELS
/* r = a^((p+1)/4) lane-wise: fixed 4-bit windows from the top of the 379-bit exponent,
 * 14 products for the table + 94 × (4 squarings + 1 product) ≈ 485 vector products. */
static V8_TARGET void v8_pow_sqrt(fp_t *const r[8], const fp_t *const a[8]) {
    v8fp tab[16], acc;
    v8_broadcast(&tab[0], &FP_ONE);
    v8_load_tr(&tab[1], (const void *const *)a, 0);
    for (int i = 2; i < 16; i++) v8_mul(&tab[i], &tab[i - 1], &tab[1]);
    int top = 380 / 4 - 1; /* nibble 94 holds the top bits (379-bit exponent) */
    acc = tab[(FP_P_PLUS_1_QUARTER[(4 * top) / 64] >> ((4 * top) % 64)) & 15];
    for (int i = top - 1; i >= 0; i--) {
        for (int q = 0; q < 4; q++) v8_sqr(&acc, &acc);
        unsigned nib = (unsigned)(FP_P_PLUS_1_QUARTER[(4 * i) / 64] >> ((4 * i) % 64)) & 15;
        if (nib) v8_mul(&acc, &acc, &tab[nib]);
    }
    v8_store_tr((void *const *)r, 0, &acc);
}
#endif

/* The square roots of the pending decodes of a block: eight at a time with the IFMA kernels
 * (padding lanes take the root of 1), else one by one. */
static void roots_many(fp_t *s, const fp_t *rhs, const size_t *idx, size_t m) {
#ifdef KZG_HAVE_IFMA_KERNELS
    if (backend_select()->batch_ifma) {
        fp_t pad_in = FP_ONE, pad_out;
        for (size_t b = 0; b < m; b += 8) {
            const fp_t *a[8];
            fp_t *r[8];
            for (size_t l = 0; l < 8; l++) {
                a[l] = b + l < m ? &rhs[idx[b + l]] : &pad_in;
                r[l] = b + l < m ? &s[idx[b + l]] : &pad_out;
            }
            v8_pow_sqrt(r, a);
        }
        return;
    }
#endif
    for (size_t k = 0; k < m; k++) fp_pow_var(&s[idx[k]], &rhs[idx[k]], FP_P_PLUS_1_QUARTER, 6);
}

void g1_decompress_many(g1_aff_t *out, kzg_status *st, const uint8_t *in, size_t stride,
                        size_t n) {
    bool ok[64], need[64];
    fp_t rhs[64], s[64];
    size_t idx[64];
    for (size_t base = 0; base < n; base += 64) { /* in blocks, no allocation */
        size_t m = n - base < 64 ? n - base : 64, np = 0;
        for (size_t k = 0; k < m; k++) {
            st[base + k] = decode_x(&out[base + k], &rhs[k], &need[k], in + stride * (base + k));
            if (need[k]) idx[np++] = k;
        }
        roots_many(s, rhs, idx, np);
        for (size_t q = 0; q < np; q++) {
            size_t k = idx[q];
            st[base + k] = decode_y(&out[base + k], &rhs[k], &s[k], in[stride * (base + k)]);
        }
        g1_in_subgroup_batch_var(ok, &out[base], m); /* failed decodes are (0, 0): "infinity" */
        for (size_t k = 0; k < m; k++) {
            if (st[base + k] == KZG_OK && !ok[k]) {
                out[base + k].x = FP_ZERO;
                out[base + k].y = FP_ZERO;
                st[base + k] = kzg_fail(KZG_ERR_POINT_NOT_IN_SUBGROUP,
                                        "G1 point: not in the r-torsion subgroup");
            }
        }
    }
}

void g1_compress(uint8_t out[48], const g1_aff_t *a) {
    if (g1_aff_is_inf(a)) {
        memset(out, 0, 48);
        out[0] = FLAG_COMPRESSED | FLAG_INFINITY;
        return;
    }
    fp_to_bytes_be(out, &a->x);
    out[0] |= FLAG_COMPRESSED;
    if (fp_is_lex_largest(&a->y)) out[0] |= FLAG_SIGN;
}
