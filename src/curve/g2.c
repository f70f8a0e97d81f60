/*
 * curve/g2.c — G2 = E'(Fp2)[r], E': y² = x³ + 4(1 + u), the M-type sextic twist
 * (see curve/g2.h for the contract).
 *
 * Jacobian a = 0 formulas from the EFD as in curve/g1.c, over Fp2; M and S below are Fp2
 * multiplications (3 Fp M) and squarings (2 Fp M).
 */
#include "curve/g2.h"

#include "curve/curve_internal.h"

/* Generator from the BLS12-381 specification, Montgomery form:
 * x = 0x024aa2b2…c121bdb8 + 0x13e02b60…5d042b7e·u,
 * y = 0x0ce5d527…08b82801 + 0x0606c4a0…f05f79be·u. */
const g2_aff_t G2_GENERATOR_AFF = {
    {{{0xf5f28fa202940a10ULL, 0xb3f5fb2687b4961aULL, 0xa1a893b53e2ae580ULL,
       0x9894999d1a3caee9ULL, 0x6f67b7631863366bULL, 0x058191924350bcd7ULL}},
     {{0xa5a9c0759e23f606ULL, 0xaaa0c59dbccd60c3ULL, 0x3bb17e18e2867806ULL,
       0x1b1ab6cc8541b367ULL, 0xc2b6ed0ef2158547ULL, 0x11922a097360edf3ULL}}},
    {{{0x4c730af860494c4aULL, 0x597cfa1f5e369c5aULL, 0xe7e6856caa0a635aULL,
       0xbbefb5e96e0d495fULL, 0x07d3a975f0ef25a2ULL, 0x0083fd8e7e80dae5ULL}},
     {{0xadc0fc92df64b05dULL, 0x18aa270a2b1461dcULL, 0x86adac6a3be4eba0ULL,
       0x79495c4ec93da33aULL, 0xe7175850a43ccaedULL, 0x0b2bc2a163de1bf2ULL}}},
};

/* b' = 4 + 4u, Montgomery form. */
static const fp2_t G2_B = {
    {{0xaa270000000cfff3ULL, 0x53cc0032fc34000aULL, 0x478fe97a6b0a807fULL,
      0xb1d37ebee6ba24d7ULL, 0x8ec9733bbf78ab2fULL, 0x09d645513d83de7eULL}},
    {{0xaa270000000cfff3ULL, 0x53cc0032fc34000aULL, 0x478fe97a6b0a807fULL,
      0xb1d37ebee6ba24d7ULL, 0x8ec9733bbf78ab2fULL, 0x09d645513d83de7eULL}},
};

/* ψ = untwist ∘ Frobenius ∘ twist: ψ(x, y) = (conj(x)·cx, conj(y)·cy) with
 * cx = (1 + u)^-((p-1)/3) = 0x1a0111ea…00000000aaad·u (c0 = 0) and
 * cy = (1 + u)^-((p-1)/2) = 0x135203e6…121bdea2 + 0x06af0e04…ede3cc09·u.
 * Computed with python3 and checked there: ψ(G2) = [z]G2; test_g2 checks it again. */
static const fp_t PSI_CX_C1 = {{0x890dc9e4867545c3ULL, 0x2af322533285a5d5ULL,
                                0x50880866309b7e2cULL, 0xa20d1b8c7e881024ULL,
                                0x14e4f04fe2db9068ULL, 0x14e56d3f1564853aULL}};
static const fp2_t PSI_CY = {
    {{0x3e2f585da55c9ad1ULL, 0x4294213d86c18183ULL, 0x382844c88b623732ULL,
      0x92ad2afd19103e18ULL, 0x1d794e4fac7cf0b9ULL, 0x0bd592fc7d825ec8ULL}},
    {{0x7bcfa7a25aa30fdaULL, 0xdc17dec12a927e7cULL, 0x2f088dd86b4ebef1ULL,
      0xd1ca2087da74d4a7ULL, 0x2da2596696cebc1dULL, 0x0e2b7eedbbfd87d2ULL}},
};

/* ---- forms ------------------------------------------------------------------------- */

void g2_set_inf(g2_t *r) {
    r->x = FP2_ONE;
    r->y = FP2_ONE;
    r->z = FP2_ZERO;
}

bool g2_is_inf(const g2_t *a) { return fp2_is_zero(&a->z); }

bool g2_aff_is_inf(const g2_aff_t *a) { return fp2_is_zero(&a->x) && fp2_is_zero(&a->y); }

void g2_from_aff(g2_t *r, const g2_aff_t *a) {
    if (g2_aff_is_inf(a)) {
        g2_set_inf(r);
        return;
    }
    r->x = a->x;
    r->y = a->y;
    r->z = FP2_ONE;
}

/* 1 inversion + 3M + 1S. */
void g2_to_aff(g2_aff_t *r, const g2_t *a) {
    if (g2_is_inf(a)) {
        r->x = FP2_ZERO;
        r->y = FP2_ZERO;
        return;
    }
    fp2_t zi, zi2;
    fp2_inv_var(&zi, &a->z);
    fp2_sqr(&zi2, &zi);
    fp2_mul(&r->x, &a->x, &zi2);
    fp2_mul(&zi2, &zi2, &zi);
    fp2_mul(&r->y, &a->y, &zi2);
}

/* Many points to affine with one inversion; `scratch` holds n fp2_t; out and in must not
 * overlap. Infinity points map to (0, 0). */
void g2_batch_to_aff(g2_aff_t *out, const g2_t *in, size_t n, fp2_t *scratch) {
    fp2_t acc = FP2_ONE;
    for (size_t i = 0; i < n; i++) {
        scratch[i] = acc;
        if (!g2_is_inf(&in[i])) fp2_mul(&acc, &acc, &in[i].z);
    }
    fp2_t inv;
    fp2_inv_var(&inv, &acc);
    for (size_t i = n; i-- > 0;) {
        if (g2_is_inf(&in[i])) {
            out[i].x = FP2_ZERO;
            out[i].y = FP2_ZERO;
            continue;
        }
        fp2_t zi, zi2;
        fp2_mul(&zi, &inv, &scratch[i]);
        fp2_mul(&inv, &inv, &in[i].z);
        fp2_sqr(&zi2, &zi);
        fp2_mul(&out[i].x, &in[i].x, &zi2);
        fp2_mul(&zi2, &zi2, &zi);
        fp2_mul(&out[i].y, &in[i].y, &zi2);
    }
}

/* ---- group law --------------------------------------------------------------------- */

/* Over Fp2 a squaring (2 Fp M) is cheaper than a multiplication (3 Fp M), so doubling keeps
 * EFD dbl-2009-l's S-heavy shape: 2M + 5S, with 2Y² formed once to save additions.
 *   A = X², B2 = 2Y², C2 = B2² = 4Y⁴, D = (X + B2)² - A - C2 = 4XY², E = 3A,
 *   X3 = E² - 2D, Y3 = E(D - X3) - 2·C2, Z3 = 2YZ. */
void g2_dbl(g2_t *r, const g2_t *a) {
    if (g2_is_inf(a)) {
        g2_set_inf(r);
        return;
    }
    fp2_t A, b2, c2, d, e, t;
    fp2_sqr(&A, &a->x);
    fp2_sqr(&b2, &a->y);
    fp2_dbl(&b2, &b2);
    fp2_sqr(&c2, &b2);
    fp2_add(&d, &a->x, &b2);
    fp2_sqr(&d, &d);
    fp2_sub(&d, &d, &A);
    fp2_sub(&d, &d, &c2);
    fp2_dbl(&e, &A);
    fp2_add(&e, &e, &A);
    fp2_mul(&r->z, &a->y, &a->z); /* a is dead from here: r may alias a */
    fp2_dbl(&r->z, &r->z);
    fp2_sqr(&r->x, &e);
    fp2_dbl(&t, &d);
    fp2_sub(&r->x, &r->x, &t);
    fp2_sub(&t, &d, &r->x);
    fp2_mul(&t, &e, &t);
    fp2_dbl(&c2, &c2);
    fp2_sub(&r->y, &t, &c2);
}

/* add-1998-cmo-2: 12M + 4S, 7 additions (formulas in g1.c; fewer additions than
 * add-2007-bl's 11M + 5S at about the same multiplication cost). */
void g2_add(g2_t *r, const g2_t *a, const g2_t *b) {
    if (g2_is_inf(a)) {
        *r = *b;
        return;
    }
    if (g2_is_inf(b)) {
        *r = *a;
        return;
    }
    fp2_t z1z1, z2z2, u1, u2, s1, s2, h, rr, hh, hhh, v, t;
    fp2_sqr(&z1z1, &a->z);
    fp2_sqr(&z2z2, &b->z);
    fp2_mul(&u1, &a->x, &z2z2);
    fp2_mul(&u2, &b->x, &z1z1);
    fp2_mul(&s1, &a->y, &b->z);
    fp2_mul(&s1, &s1, &z2z2);
    fp2_mul(&s2, &b->y, &a->z);
    fp2_mul(&s2, &s2, &z1z1);
    fp2_sub(&h, &u2, &u1);
    fp2_sub(&rr, &s2, &s1);
    if (fp2_is_zero(&h)) {
        if (fp2_is_zero(&rr)) {
            g2_dbl(r, a);
        } else {
            g2_set_inf(r);
        }
        return;
    }
    fp2_sqr(&hh, &h);
    fp2_mul(&hhh, &h, &hh);
    fp2_mul(&v, &u1, &hh);
    fp2_mul(&t, &a->z, &b->z);
    fp2_mul(&r->z, &t, &h);
    fp2_sqr(&r->x, &rr);
    fp2_sub(&r->x, &r->x, &hhh);
    fp2_dbl(&t, &v);
    fp2_sub(&r->x, &r->x, &t);
    fp2_sub(&t, &v, &r->x);
    fp2_mul(&t, &rr, &t);
    fp2_mul(&s1, &s1, &hhh);
    fp2_sub(&r->y, &t, &s1);
}

/* madd-2004-hmv: 8M + 3S, 7 additions (formulas in g1.c). */
void g2_add_aff(g2_t *r, const g2_t *a, const g2_aff_t *b) {
    if (g2_aff_is_inf(b)) {
        *r = *a;
        return;
    }
    if (g2_is_inf(a)) {
        g2_from_aff(r, b);
        return;
    }
    fp2_t z1z1, u2, s2, h, rr, hh, hhh, v, t, y1h;
    fp2_sqr(&z1z1, &a->z);
    fp2_mul(&u2, &b->x, &z1z1);
    fp2_mul(&s2, &b->y, &a->z);
    fp2_mul(&s2, &s2, &z1z1);
    fp2_sub(&h, &u2, &a->x);
    fp2_sub(&rr, &s2, &a->y);
    if (fp2_is_zero(&h)) {
        if (fp2_is_zero(&rr)) {
            g2_dbl(r, a);
        } else {
            g2_set_inf(r);
        }
        return;
    }
    fp2_sqr(&hh, &h);
    fp2_mul(&hhh, &h, &hh);
    fp2_mul(&v, &a->x, &hh);
    fp2_mul(&y1h, &a->y, &hhh);
    fp2_mul(&r->z, &a->z, &h);
    fp2_sqr(&r->x, &rr);
    fp2_sub(&r->x, &r->x, &hhh);
    fp2_dbl(&t, &v);
    fp2_sub(&r->x, &r->x, &t);
    fp2_sub(&t, &v, &r->x);
    fp2_mul(&t, &rr, &t);
    fp2_sub(&r->y, &t, &y1h);
}

void g2_neg(g2_t *r, const g2_t *a) {
    r->x = a->x;
    fp2_neg(&r->y, &a->y);
    r->z = a->z;
}

void g2_aff_neg(g2_aff_t *r, const g2_aff_t *a) {
    r->x = a->x;
    fp2_neg(&r->y, &a->y);
}

/* 6M + 2S, no inversion. */
bool g2_eq(const g2_t *a, const g2_t *b) {
    bool ia = g2_is_inf(a), ib = g2_is_inf(b);
    if (ia || ib) return ia && ib;
    fp2_t z1z1, z2z2, l, rgt;
    fp2_sqr(&z1z1, &a->z);
    fp2_sqr(&z2z2, &b->z);
    fp2_mul(&l, &a->x, &z2z2);
    fp2_mul(&rgt, &b->x, &z1z1);
    if (!fp2_eq(&l, &rgt)) return false;
    fp2_mul(&z1z1, &z1z1, &a->z);
    fp2_mul(&z2z2, &z2z2, &b->z);
    fp2_mul(&l, &a->y, &z2z2);
    fp2_mul(&rgt, &b->y, &z1z1);
    return fp2_eq(&l, &rgt);
}

/* ---- scalar multiplication ---------------------------------------------------------- */

/* table[i] = (2i + 1)·p for i < tn <= 8, affine (one batch inversion) for mixed additions. */
static void odd_multiples_aff(g2_aff_t *table, const g2_t *p, size_t tn) {
    g2_t jac[8];
    fp2_t scratch[8];
    jac[0] = *p;
    if (tn > 1) {
        g2_t p2;
        g2_dbl(&p2, p);
        for (size_t i = 1; i < tn; i++) g2_add(&jac[i], &jac[i - 1], &p2);
    }
    g2_batch_to_aff(table, jac, tn, scratch);
}

static void add_digit(g2_t *acc, const g2_aff_t *table, int d) {
    if (d > 0) {
        g2_add_aff(acc, acc, &table[(d - 1) / 2]);
    } else if (d < 0) {
        g2_aff_t neg;
        g2_aff_neg(&neg, &table[(-d - 1) / 2]);
        g2_add_aff(acc, acc, &neg);
    }
}

/* r = k·p for k of n <= CURVE_WNAF_MAX_LIMBS limbs, width-w NAF (any p on the curve). */
static void mul_wnaf_chunk(g2_t *r, const g2_t *p, const uint64_t *k, size_t n) {
    int8_t digits[CURVE_WNAF_MAX_DIGITS];
    size_t bits = curve_bit_length(k, n);
    unsigned w = curve_wnaf_width(bits);
    size_t len = curve_wnaf_var(digits, k, n, w);
    g2_aff_t table[8];
    odd_multiples_aff(table, p, (size_t)1 << (w - 2));
    g2_t acc;
    g2_set_inf(&acc);
    for (size_t i = len; i-- > 0;) {
        g2_dbl(&acc, &acc);
        add_digit(&acc, table, digits[i]);
    }
    *r = acc;
}

void g2_mul_raw_var(g2_t *r, const g2_t *p, const uint64_t *k, size_t n) {
    while (n > 0 && k[n - 1] == 0) n--;
    if (n == 0 || g2_is_inf(p)) {
        g2_set_inf(r);
        return;
    }
    size_t top = (n - 1) / CURVE_WNAF_MAX_LIMBS * CURVE_WNAF_MAX_LIMBS;
    g2_t base = *p, acc, part;
    mul_wnaf_chunk(&acc, &base, k + top, n - top);
    while (top > 0) {
        top -= CURVE_WNAF_MAX_LIMBS;
        for (size_t i = 0; i < 64 * CURVE_WNAF_MAX_LIMBS; i++) g2_dbl(&acc, &acc);
        mul_wnaf_chunk(&part, &base, k + top, CURVE_WNAF_MAX_LIMBS);
        g2_add(&acc, &acc, &part);
    }
    *r = acc;
}

/* ψ on an affine point (Z = 1 is fixed by conj); (0, 0) maps to (0, 0). */
static void psi_aff(g2_aff_t *r, const g2_aff_t *a) {
    fp_t x0, x1;
    fp_mul(&x0, &a->x.c1, &PSI_CX_C1);
    fp_mul(&x1, &a->x.c0, &PSI_CX_C1);
    fp2_t y;
    fp2_conj(&y, &a->y);
    fp2_mul(&r->y, &y, &PSI_CY);
    r->x.c0 = x0;
    r->x.c1 = x1;
}

/* GLS (Galbraith–Lin–Scott) with ψ: k < r < z⁴, so k = k0 + k1·|z| + k2·|z|² + k3·|z|³
 * with 64-bit digits, and on G2 [|z|]Q = -ψ(Q), so
 * k·Q = k0·Q + k1·(-ψ(Q)) + k2·ψ²(Q) + k3·(-ψ³(Q)). Four interleaved width-4 NAFs share
 * ~64 doublings; the tables for ψ^i are the first table mapped by ψ (affine stays affine). */
void g2_mul_var(g2_t *r, const g2_t *p, const fr_t *k) {
    uint64_t t[4];
    fr_to_raw(t, k);
    if (g2_is_inf(p)) {
        g2_set_inf(r);
        return;
    }
    uint64_t dig[4];
    for (int j = 0; j < 4; j++) { /* t, dig[j] = t / |z|, t mod |z| */
        unsigned __int128 rem = 0;
        for (int i = 3; i >= 0; i--) {
            unsigned __int128 cur = (rem << 64) | t[i];
            t[i] = (uint64_t)(cur / CURVE_Z_ABS);
            rem = cur % CURVE_Z_ABS;
        }
        dig[j] = (uint64_t)rem;
    }
    enum { W = 4, TN = 1 << (W - 2) };
    int8_t d[4][65 + 1];
    size_t len[4], maxlen = 0;
    for (int j = 0; j < 4; j++) {
        len[j] = curve_wnaf_var(d[j], &dig[j], 1, W);
        if (len[j] > maxlen) maxlen = len[j];
    }
    g2_aff_t tab[4][TN];
    odd_multiples_aff(tab[0], p, TN);
    for (int j = 1; j < 4; j++) {
        for (size_t i = 0; i < TN; i++) psi_aff(&tab[j][i], &tab[j - 1][i]);
    }
    for (size_t i = 0; i < TN; i++) { /* the odd powers of ψ carry a minus sign */
        g2_aff_neg(&tab[1][i], &tab[1][i]);
        g2_aff_neg(&tab[3][i], &tab[3][i]);
    }
    g2_t acc;
    g2_set_inf(&acc);
    for (size_t i = maxlen; i-- > 0;) {
        g2_dbl(&acc, &acc);
        for (int j = 0; j < 4; j++) {
            if (i < len[j]) add_digit(&acc, tab[j], d[j][i]);
        }
    }
    *r = acc;
}

/* ---- curve and subgroup membership ---------------------------------------------------- */

/* Y² = X³ + b'Z⁶: 3M + 4S. */
bool g2_is_on_curve(const g2_t *a) {
    if (g2_is_inf(a)) return true;
    fp2_t y2, x3, z2, z6;
    fp2_sqr(&y2, &a->y);
    fp2_sqr(&x3, &a->x);
    fp2_mul(&x3, &x3, &a->x);
    fp2_sqr(&z2, &a->z);
    fp2_sqr(&z6, &z2);
    fp2_mul(&z6, &z6, &z2);
    fp2_mul(&z6, &z6, &G2_B);
    fp2_add(&x3, &x3, &z6);
    return fp2_eq(&y2, &x3);
}

bool g2_aff_is_on_curve(const g2_aff_t *a) {
    if (g2_aff_is_inf(a)) return true;
    fp2_t y2, x3;
    fp2_sqr(&y2, &a->y);
    fp2_sqr(&x3, &a->x);
    fp2_mul(&x3, &x3, &a->x);
    fp2_add(&x3, &x3, &G2_B);
    return fp2_eq(&y2, &x3);
}

/* ψ in Jacobian form: ψ(X, Y, Z) = (conj(X)·cx, conj(Y)·cy, conj(Z)), because conj is a
 * field automorphism (x = X/Z² maps to conj(X)/conj(Z)²). With cx = c·u:
 * conj(X)·cx = (x0 - x1·u)·c·u = c·x1 + c·x0·u, two Fp multiplications. */
void g2_psi(g2_t *r, const g2_t *a) {
    fp_t x0, x1;
    fp_mul(&x0, &a->x.c1, &PSI_CX_C1);
    fp_mul(&x1, &a->x.c0, &PSI_CX_C1);
    fp2_t y;
    fp2_conj(&y, &a->y);
    fp2_mul(&r->y, &y, &PSI_CY);
    fp2_conj(&r->z, &a->z);
    r->x.c0 = x0;
    r->x.c1 = x1;
}

/* r = |z|·a: 63 doublings + 5 additions (mixed when a has Z = 1). */
static void mul_by_abs_z(g2_t *r, const g2_t *a) {
    bool affine = fp2_is_one(&a->z);
    g2_aff_t aa = {a->x, a->y};
    g2_t acc = *a, base = *a;
    for (int i = 62; i >= 0; i--) {
        g2_dbl(&acc, &acc);
        if ((CURVE_Z_ABS >> i) & 1) {
            if (affine) {
                g2_add_aff(&acc, &acc, &aa);
            } else {
                g2_add(&acc, &acc, &base);
            }
        }
    }
    *r = acc;
}

/* Scott 2021 ("A note on group membership tests…", see curve/g1.h): for BLS12-381,
 * Q ∈ E'(Fp2) lies in G2 iff ψ(Q) = [z]Q; z < 0, so [z]Q = -(|z|·Q): 63 doublings,
 * 5 additions, one ψ. */
bool g2_in_subgroup_var(const g2_t *a) {
    if (g2_is_inf(a)) return true;
    g2_t t, ps;
    mul_by_abs_z(&t, a);
    g2_neg(&t, &t);
    g2_psi(&ps, a);
    return g2_eq(&ps, &t);
}

/* ---- ZCash codec ------------------------------------------------------------------------ */

#define FLAG_COMPRESSED 0x80
#define FLAG_INFINITY 0x40
#define FLAG_SIGN 0x20

kzg_status g2_decompress_unchecked(g2_aff_t *out, const uint8_t in[96]) {
    out->x = FP2_ZERO;
    out->y = FP2_ZERO;
    uint8_t flags = in[0];
    if (!(flags & FLAG_COMPRESSED))
        return kzg_fail(KZG_ERR_POINT_ENCODING, "G2 point: compression bit not set");
    if (flags & FLAG_INFINITY) {
        if (flags & FLAG_SIGN)
            return kzg_fail(KZG_ERR_POINT_ENCODING, "G2 point: infinity with the sign bit set");
        uint8_t any = flags & 0x1f;
        for (size_t i = 1; i < 96; i++) any |= in[i];
        if (any)
            return kzg_fail(KZG_ERR_POINT_ENCODING, "G2 point: infinity with a non-zero body");
        return KZG_OK;
    }
    uint8_t buf[48];
    memcpy(buf, in, 48);
    buf[0] &= 0x1f;
    fp2_t x, y, rhs;
    if (!fp_from_bytes_be(&x.c1, buf))
        return kzg_fail(KZG_ERR_POINT_ENCODING, "G2 point: x.c1 is not below p");
    if (!fp_from_bytes_be(&x.c0, in + 48))
        return kzg_fail(KZG_ERR_POINT_ENCODING, "G2 point: x.c0 is not below p");
    fp2_sqr(&rhs, &x);
    fp2_mul(&rhs, &rhs, &x);
    fp2_add(&rhs, &rhs, &G2_B);
    if (!fp2_sqrt_var(&y, &rhs))
        return kzg_fail(KZG_ERR_POINT_NOT_ON_CURVE, "G2 point: x³ + 4(1 + u) is not a square");
    /* y ≠ 0 always (-4(1 + u) is not a cube in Fp2), so the two roots differ in sign. */
    if (fp2_is_lex_largest(&y) != ((flags & FLAG_SIGN) != 0)) fp2_neg(&y, &y);
    out->x = x;
    out->y = y;
    return KZG_OK;
}

kzg_status g2_decompress(g2_aff_t *out, const uint8_t in[96]) {
    kzg_status st = g2_decompress_unchecked(out, in);
    if (st != KZG_OK) return st;
    g2_t p;
    g2_from_aff(&p, out);
    if (!g2_in_subgroup_var(&p)) {
        out->x = FP2_ZERO;
        out->y = FP2_ZERO;
        return kzg_fail(KZG_ERR_POINT_NOT_IN_SUBGROUP, "G2 point: not in the r-torsion subgroup");
    }
    return KZG_OK;
}

void g2_compress(uint8_t out[96], const g2_aff_t *a) {
    if (g2_aff_is_inf(a)) {
        memset(out, 0, 96);
        out[0] = FLAG_COMPRESSED | FLAG_INFINITY;
        return;
    }
    fp_to_bytes_be(out, &a->x.c1);
    fp_to_bytes_be(out + 48, &a->x.c0);
    out[0] |= FLAG_COMPRESSED;
    if (fp2_is_lex_largest(&a->y)) out[0] |= FLAG_SIGN;
}
