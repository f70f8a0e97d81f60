/*
 * pairing/tower.c — Fp6 = Fp2[v]/(v³ - ξ), ξ = 1 + u, and Fp12 = Fp6[w]/(w² - v).
 * See pairing/tower.h for the contract.
 *
 * Owns: Fp6/Fp12 arithmetic, the sparse line multiplication, Frobenius maps and the
 * cyclotomic squaring. May call: field.
 *
 * Coordinates. An Fp12 element is c0 + c1·w with c0, c1 ∈ Fp6, so its six Fp2
 * coefficients sit at the powers of w as
 *     c0.c0 → w⁰,  c0.c1 → w²,  c0.c2 → w⁴,  c1.c0 → w¹,  c1.c1 → w³,  c1.c2 → w⁵,
 * with w⁶ = ξ. This is the layout of the IETF draft (draft-irtf-cfrg-pairing-friendly-
 * curves-11, §4.2.2 and appendix B) and of zkcrypto/blst, so values compare directly.
 *
 * Aliasing: every function computes into locals and writes its output last (or writes
 * output words only after the inputs they depend on have been read), so r may alias any
 * input. Cost counts below are in Fp2 multiplications (M) and squarings (S); an Fp2 M is
 * 3 Fp mul, an Fp2 S is 2 Fp mul.
 */
#include "pairing/tower.h"

#include "backend/backend.h"
#include "backend/x86_64/ifma.h"

const fp12_t FP12_ONE = {
    {{{{0x760900000002fffdULL, 0xebf4000bc40c0002ULL, 0x5f48985753c758baULL,
        0x77ce585370525745ULL, 0x5c071a97a256ec6dULL, 0x15f65ec3fa80e493ULL}},
      {{0}}},
     {{{0}}, {{0}}},
     {{{0}}, {{0}}}},
    {{{{0}}, {{0}}}, {{{0}}, {{0}}}, {{{0}}, {{0}}}}};

/*
 * Frobenius coefficients. For a coefficient g at w^i, (g·w^i)^(p^k) = g^(p^k)·w^i·γ_{k,i}
 * with γ_{k,i} = w^(i(p^k - 1)) = ξ^(i(p^k - 1)/6) (p ≡ 1 mod 6). Computed with python3
 * from that formula (pow in Fp2) and written in Montgomery form (·2^384 mod p); the unit
 * test checks fp12_frobenius against a^(p^k) by plain exponentiation. γ_{2,i} ∈ Fp.
 */
static const fp2_t FROB1[6] = {
    {{{0}}, {{0}}}, /* unused: w^0 is fixed */
    /* xi^(1(p^1-1)/6) */
    {{{0x07089552b319d465ULL, 0xc6695f92b50a8313ULL, 0x97e83cccd117228fULL,
       0xa35baecab2dc29eeULL, 0x1ce393ea5daace4dULL, 0x08f2220fb0fb66ebULL}},
     {{0xb2f66aad4ce5d646ULL, 0x5842a06bfc497cecULL, 0xcf4895d42599d394ULL,
       0xc11b9cba40a8e8d0ULL, 0x2e3813cbe5a0de89ULL, 0x110eefda88847fafULL}}},
    /* xi^(2(p^1-1)/6) */
    {{{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL,
       0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}},
     {{0xcd03c9e48671f071ULL, 0x5dab22461fcda5d2ULL, 0x587042afd3851b95ULL,
       0x8eb60ebe01bacb9eULL, 0x03f97d6e83d050d2ULL, 0x18f0206554638741ULL}}},
    /* xi^(3(p^1-1)/6) */
    {{{0x7bcfa7a25aa30fdaULL, 0xdc17dec12a927e7cULL, 0x2f088dd86b4ebef1ULL,
       0xd1ca2087da74d4a7ULL, 0x2da2596696cebc1dULL, 0x0e2b7eedbbfd87d2ULL}},
     {{0x7bcfa7a25aa30fdaULL, 0xdc17dec12a927e7cULL, 0x2f088dd86b4ebef1ULL,
       0xd1ca2087da74d4a7ULL, 0x2da2596696cebc1dULL, 0x0e2b7eedbbfd87d2ULL}}},
    /* xi^(4(p^1-1)/6) */
    {{{0x890dc9e4867545c3ULL, 0x2af322533285a5d5ULL, 0x50880866309b7e2cULL,
       0xa20d1b8c7e881024ULL, 0x14e4f04fe2db9068ULL, 0x14e56d3f1564853aULL}},
     {{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL,
       0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}},
    /* xi^(5(p^1-1)/6) */
    {{{0x82d83cf50dbce43fULL, 0xa2813e53df9d018fULL, 0xc6f0caa53c65e181ULL,
       0x7525cf528d50fe95ULL, 0x4a85ed50f4798a6bULL, 0x171da0fd6cf8eebdULL}},
     {{0x3726c30af242c66cULL, 0x7c2ac1aad1b6fe70ULL, 0xa04007fbba4b14a2ULL,
       0xef517c3266341429ULL, 0x0095ba654ed2226bULL, 0x02e370eccc86f7ddULL}}},
};
static const fp2_t FROB3[6] = {
    {{{0}}, {{0}}}, /* unused: w^0 is fixed */
    /* xi^(1(p^3-1)/6) */
    {{{0x3e2f585da55c9ad1ULL, 0x4294213d86c18183ULL, 0x382844c88b623732ULL,
       0x92ad2afd19103e18ULL, 0x1d794e4fac7cf0b9ULL, 0x0bd592fc7d825ec8ULL}},
     {{0x7bcfa7a25aa30fdaULL, 0xdc17dec12a927e7cULL, 0x2f088dd86b4ebef1ULL,
       0xd1ca2087da74d4a7ULL, 0x2da2596696cebc1dULL, 0x0e2b7eedbbfd87d2ULL}}},
    /* xi^(2(p^3-1)/6) */
    {{{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL,
       0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}},
     {{0x760900000002fffdULL, 0xebf4000bc40c0002ULL, 0x5f48985753c758baULL,
       0x77ce585370525745ULL, 0x5c071a97a256ec6dULL, 0x15f65ec3fa80e493ULL}}},
    /* xi^(3(p^3-1)/6) */
    {{{0x3e2f585da55c9ad1ULL, 0x4294213d86c18183ULL, 0x382844c88b623732ULL,
       0x92ad2afd19103e18ULL, 0x1d794e4fac7cf0b9ULL, 0x0bd592fc7d825ec8ULL}},
     {{0x3e2f585da55c9ad1ULL, 0x4294213d86c18183ULL, 0x382844c88b623732ULL,
       0x92ad2afd19103e18ULL, 0x1d794e4fac7cf0b9ULL, 0x0bd592fc7d825ec8ULL}}},
    /* xi^(4(p^3-1)/6) */
    {{{0x43f5fffffffcaaaeULL, 0x32b7fff2ed47fffdULL, 0x07e83a49a2e99d69ULL,
       0xeca8f3318332bb7aULL, 0xef148d1ea0f4c069ULL, 0x040ab3263eff0206ULL}},
     {{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL,
       0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}},
    /* xi^(5(p^3-1)/6) */
    {{{0x7bcfa7a25aa30fdaULL, 0xdc17dec12a927e7cULL, 0x2f088dd86b4ebef1ULL,
       0xd1ca2087da74d4a7ULL, 0x2da2596696cebc1dULL, 0x0e2b7eedbbfd87d2ULL}},
     {{0x3e2f585da55c9ad1ULL, 0x4294213d86c18183ULL, 0x382844c88b623732ULL,
       0x92ad2afd19103e18ULL, 0x1d794e4fac7cf0b9ULL, 0x0bd592fc7d825ec8ULL}}},
};
static const fp_t FROB2[6] = {
    {{0}}, /* unused */
    /* xi^(1(p^2-1)/6) */
    {{0xecfb361b798dba3aULL, 0xc100ddb891865a2cULL, 0x0ec08ff1232bda8eULL,
       0xd5c13cc6f1ca4721ULL, 0x47222a47bf7b5c04ULL, 0x0110f184e51c5f59ULL}},
    /* xi^(2(p^2-1)/6) */
    {{0x30f1361b798a64e8ULL, 0xf3b8ddab7ece5a2aULL, 0x16a8ca3ac61577f7ULL,
       0xc26a2ff874fd029bULL, 0x3636b76660701c6eULL, 0x051ba4ab241b6160ULL}},
    /* xi^(3(p^2-1)/6) */
    {{0x43f5fffffffcaaaeULL, 0x32b7fff2ed47fffdULL, 0x07e83a49a2e99d69ULL,
       0xeca8f3318332bb7aULL, 0xef148d1ea0f4c069ULL, 0x040ab3263eff0206ULL}},
    /* xi^(4(p^2-1)/6) */
    {{0xcd03c9e48671f071ULL, 0x5dab22461fcda5d2ULL, 0x587042afd3851b95ULL,
       0x8eb60ebe01bacb9eULL, 0x03f97d6e83d050d2ULL, 0x18f0206554638741ULL}},
    /* xi^(5(p^2-1)/6) */
    {{0x890dc9e4867545c3ULL, 0x2af322533285a5d5ULL, 0x50880866309b7e2cULL,
       0xa20d1b8c7e881024ULL, 0x14e4f04fe2db9068ULL, 0x14e56d3f1564853aULL}},
};

/* ------------------------------------------------------------------------------------ */
/* Fp6 */

void fp6_add(fp6_t *r, const fp6_t *a, const fp6_t *b) {
    fp2_add(&r->c0, &a->c0, &b->c0);
    fp2_add(&r->c1, &a->c1, &b->c1);
    fp2_add(&r->c2, &a->c2, &b->c2);
}

void fp6_sub(fp6_t *r, const fp6_t *a, const fp6_t *b) {
    fp2_sub(&r->c0, &a->c0, &b->c0);
    fp2_sub(&r->c1, &a->c1, &b->c1);
    fp2_sub(&r->c2, &a->c2, &b->c2);
}

void fp6_neg(fp6_t *r, const fp6_t *a) {
    fp2_neg(&r->c0, &a->c0);
    fp2_neg(&r->c1, &a->c1);
    fp2_neg(&r->c2, &a->c2);
}

/* Karatsuba over the three coefficients (Devegili, Ó hÉigeartaigh, Scott, Dahab,
 * "Multiplication and squaring on pairing-friendly fields", 2006, §4): 6 M.
 *   r0 = a0b0 + ξ((a1 + a2)(b1 + b2) - a1b1 - a2b2)
 *   r1 = (a0 + a1)(b0 + b1) - a0b0 - a1b1 + ξ a2b2
 *   r2 = (a0 + a2)(b0 + b2) - a0b0 - a2b2 + a1b1 */
void fp6_mul(fp6_t *r, const fp6_t *a, const fp6_t *b) {
    fp2_t t0, t1, t2, s, u, r0, r1, r2;
    fp2_mul(&t0, &a->c0, &b->c0);
    fp2_mul(&t1, &a->c1, &b->c1);
    fp2_mul(&t2, &a->c2, &b->c2);

    fp2_add(&s, &a->c1, &a->c2);
    fp2_add(&u, &b->c1, &b->c2);
    fp2_mul(&r0, &s, &u);
    fp2_sub(&r0, &r0, &t1);
    fp2_sub(&r0, &r0, &t2);
    fp2_mul_by_nonresidue(&r0, &r0);
    fp2_add(&r0, &r0, &t0);

    fp2_add(&s, &a->c0, &a->c1);
    fp2_add(&u, &b->c0, &b->c1);
    fp2_mul(&r1, &s, &u);
    fp2_sub(&r1, &r1, &t0);
    fp2_sub(&r1, &r1, &t1);
    fp2_mul_by_nonresidue(&s, &t2);
    fp2_add(&r1, &r1, &s);

    fp2_add(&s, &a->c0, &a->c2);
    fp2_add(&u, &b->c0, &b->c2);
    fp2_mul(&r2, &s, &u);
    fp2_sub(&r2, &r2, &t0);
    fp2_sub(&r2, &r2, &t2);
    fp2_add(&r2, &r2, &t1);

    r->c0 = r0;
    r->c1 = r1;
    r->c2 = r2;
}

/* CH-SQR2 (Chung & Hasan, "Asymmetric squaring formulae", 2007): 2 M + 3 S.
 *   s0 = a0², s1 = 2a0a1, s2 = (a0 - a1 + a2)², s3 = 2a1a2, s4 = a2²
 *   r0 = s0 + ξ s3, r1 = s1 + ξ s4, r2 = s1 + s2 + s3 - s0 - s4 */
void fp6_sqr(fp6_t *r, const fp6_t *a) {
    fp2_t s0, s1, s2, s3, s4, t;
    fp2_sqr(&s0, &a->c0);
    fp2_mul(&s1, &a->c0, &a->c1);
    fp2_dbl(&s1, &s1);
    fp2_sub(&t, &a->c0, &a->c1);
    fp2_add(&t, &t, &a->c2);
    fp2_sqr(&s2, &t);
    fp2_mul(&s3, &a->c1, &a->c2);
    fp2_dbl(&s3, &s3);
    fp2_sqr(&s4, &a->c2);

    fp2_add(&r->c2, &s1, &s2);
    fp2_add(&r->c2, &r->c2, &s3);
    fp2_sub(&r->c2, &r->c2, &s0);
    fp2_sub(&r->c2, &r->c2, &s4);
    fp2_mul_by_nonresidue(&t, &s3);
    fp2_add(&r->c0, &s0, &t);
    fp2_mul_by_nonresidue(&t, &s4);
    fp2_add(&r->c1, &s1, &t);
}

/* (a0 + a1 v + a2 v²)·v = ξ a2 + a0 v + a1 v². */
void fp6_mul_by_v(fp6_t *r, const fp6_t *a) {
    fp2_t t;
    fp2_mul_by_nonresidue(&t, &a->c2);
    r->c2 = a->c1;
    r->c1 = a->c0;
    r->c0 = t;
}

/* a·(b0 + b1 v): 5 M (Karatsuba with b2 = 0). */
void fp6_mul_by_01(fp6_t *r, const fp6_t *a, const fp2_t *b0, const fp2_t *b1) {
    fp2_t t0, t1, r0, r1, r2, s, u;
    fp2_mul(&t0, &a->c0, b0);
    fp2_mul(&t1, &a->c1, b1);
    /* r0 = a0b0 + ξ a2b1 */
    fp2_mul(&r0, &a->c2, b1);
    fp2_mul_by_nonresidue(&r0, &r0);
    fp2_add(&r0, &r0, &t0);
    /* r1 = (a0 + a1)(b0 + b1) - a0b0 - a1b1 */
    fp2_add(&s, &a->c0, &a->c1);
    fp2_add(&u, b0, b1);
    fp2_mul(&r1, &s, &u);
    fp2_sub(&r1, &r1, &t0);
    fp2_sub(&r1, &r1, &t1);
    /* r2 = a1b1 + a2b0 */
    fp2_mul(&r2, &a->c2, b0);
    fp2_add(&r2, &r2, &t1);
    r->c0 = r0;
    r->c1 = r1;
    r->c2 = r2;
}

/* a·(b1 v): 3 M. */
void fp6_mul_by_1(fp6_t *r, const fp6_t *a, const fp2_t *b1) {
    fp2_t r0, r1, r2;
    fp2_mul(&r0, &a->c2, b1);
    fp2_mul_by_nonresidue(&r0, &r0);
    fp2_mul(&r1, &a->c0, b1);
    fp2_mul(&r2, &a->c1, b1);
    r->c0 = r0;
    r->c1 = r1;
    r->c2 = r2;
}

/* Inverse by the adjugate (e.g. Beuchat et al., "High-speed software implementation of
 * the optimal ate pairing over Barreto–Naehrig curves", 2010, Alg. 17):
 *   A = a0² - ξ a1a2, B = ξ a2² - a0a1, C = a1² - a0a2,
 *   N = a0 A + ξ(a2 B + a1 C) ∈ Fp2,  a⁻¹ = (A + B v + C v²)/N. 0 ↦ 0. */
void fp6_inv_var(fp6_t *r, const fp6_t *a) {
    fp2_t A, B, C, t, n;
    fp2_sqr(&A, &a->c0);
    fp2_mul(&t, &a->c1, &a->c2);
    fp2_mul_by_nonresidue(&t, &t);
    fp2_sub(&A, &A, &t);

    fp2_sqr(&B, &a->c2);
    fp2_mul_by_nonresidue(&B, &B);
    fp2_mul(&t, &a->c0, &a->c1);
    fp2_sub(&B, &B, &t);

    fp2_sqr(&C, &a->c1);
    fp2_mul(&t, &a->c0, &a->c2);
    fp2_sub(&C, &C, &t);

    fp2_mul(&n, &a->c2, &B);
    fp2_mul(&t, &a->c1, &C);
    fp2_add(&n, &n, &t);
    fp2_mul_by_nonresidue(&n, &n);
    fp2_mul(&t, &a->c0, &A);
    fp2_add(&n, &n, &t);
    fp2_inv_var(&n, &n);

    fp2_mul(&r->c0, &A, &n);
    fp2_mul(&r->c1, &B, &n);
    fp2_mul(&r->c2, &C, &n);
}

/* ------------------------------------------------------------------------------------ */
/* Fp12 */

/* Karatsuba: (a0 + a1 w)(b0 + b1 w) = (a0b0 + v a1b1) + ((a0 + a1)(b0 + b1) - a0b0 - a1b1) w.
 * 3 Fp6 mul = 18 M. */
void fp12_mul_serial(fp12_t *r, const fp12_t *a, const fp12_t *b) {
    fp6_t t0, t1, s, u;
    fp6_mul(&t0, &a->c0, &b->c0);
    fp6_mul(&t1, &a->c1, &b->c1);
    fp6_add(&s, &a->c0, &a->c1);
    fp6_add(&u, &b->c0, &b->c1);
    fp6_mul(&s, &s, &u);
    fp6_sub(&s, &s, &t0);
    fp6_sub(&r->c1, &s, &t1);
    fp6_mul_by_v(&t1, &t1);
    fp6_add(&r->c0, &t0, &t1);
}

/* Complex squaring: with t = a0a1,
 *   c0 = (a0 + a1)(a0 + v a1) - t - v t,  c1 = 2t.   2 Fp6 mul = 12 M. */
void fp12_sqr_serial(fp12_t *r, const fp12_t *a) {
    fp6_t t, s, u;
    fp6_mul(&t, &a->c0, &a->c1);
    fp6_add(&s, &a->c0, &a->c1);
    fp6_mul_by_v(&u, &a->c1);
    fp6_add(&u, &u, &a->c0);
    fp6_mul(&s, &s, &u);
    fp6_sub(&s, &s, &t);
    fp6_mul_by_v(&u, &t);
    fp6_sub(&r->c0, &s, &u);
    fp6_add(&r->c1, &t, &t);
}

/* f·(l0 + l1 w² + l3 w³), the shape of every Miller-loop line for the M-type twist in
 * this tower (in (c0.c0, c0.c1, c0.c2, c1.c0, c1.c1, c1.c2) numbering: "mul by 014").
 * With L0 = l0 + l1 v and L1 = l3 v:
 *   c0 = f0 L0 + v f1 L1,  c1 = (f0 + f1)(L0 + L1) - f0 L0 - f1 L1.
 * 5 M + 3 M + 5 M = 13 M (39 Fp mul) instead of 18 M for a full product. */
void fp12_mul_by_014_serial(fp12_t *f, const fp2_t *l0, const fp2_t *l1, const fp2_t *l3) {
    fp6_t t0, t1, s;
    fp2_t u;
    fp6_mul_by_01(&t0, &f->c0, l0, l1);
    fp6_mul_by_1(&t1, &f->c1, l3);
    fp6_add(&s, &f->c0, &f->c1);
    fp2_add(&u, l1, l3);
    fp6_mul_by_01(&s, &s, l0, &u);
    fp6_sub(&s, &s, &t0);
    fp6_sub(&f->c1, &s, &t1);
    fp6_mul_by_v(&t1, &t1);
    fp6_add(&f->c0, &t0, &t1);
}

void fp12_conj(fp12_t *r, const fp12_t *a) {
    r->c0 = a->c0;
    fp6_neg(&r->c1, &a->c1);
}

/* (a0 + a1 w)⁻¹ = (a0 - a1 w)/(a0² - v a1²). 0 ↦ 0. */
void fp12_inv_var(fp12_t *r, const fp12_t *a) {
    fp6_t t0, t1;
    fp6_sqr(&t0, &a->c0);
    fp6_sqr(&t1, &a->c1);
    fp6_mul_by_v(&t1, &t1);
    fp6_sub(&t0, &t0, &t1);
    fp6_inv_var(&t0, &t0);
    fp6_mul(&r->c0, &a->c0, &t0);
    fp6_mul(&t1, &a->c1, &t0);
    fp6_neg(&r->c1, &t1);
}

/* Frobenius: conjugate each coefficient k times, then multiply the coefficient at w^i
 * by γ_{k,i} (see the tables above). power outside 1..3 leaves a unchanged (r = a);
 * higher powers are compositions (and p^6 is fp12_conj). */
void fp12_frobenius(fp12_t *r, const fp12_t *a, int power) {
    /* Coefficients in w-power order 0..5. */
    fp2_t g[6];
    g[0] = a->c0.c0;
    g[2] = a->c0.c1;
    g[4] = a->c0.c2;
    g[1] = a->c1.c0;
    g[3] = a->c1.c1;
    g[5] = a->c1.c2;
    switch (power) {
    case 1:
    case 3: {
        const fp2_t *gam = power == 1 ? FROB1 : FROB3;
        fp2_conj(&g[0], &g[0]);
        for (int i = 1; i < 6; i++) {
            fp2_conj(&g[i], &g[i]);
            fp2_mul(&g[i], &g[i], &gam[i]);
        }
        break;
    }
    case 2:
        for (int i = 1; i < 6; i++) fp2_mul_fp(&g[i], &g[i], &FROB2[i]);
        break;
    default:
        break;
    }
    r->c0.c0 = g[0];
    r->c0.c1 = g[2];
    r->c0.c2 = g[4];
    r->c1.c0 = g[1];
    r->c1.c1 = g[3];
    r->c1.c2 = g[5];
}

/* Squaring in Fp4 = Fp2[s]/(s² - ξ): (a + b s)² = (a² + ξ b²) + ((a + b)² - a² - b²) s.
 * 3 S. */
static void fp4_sqr(fp2_t *r0, fp2_t *r1, const fp2_t *a, const fp2_t *b) {
    fp2_t t0, t1, t2;
    fp2_sqr(&t0, a);
    fp2_sqr(&t1, b);
    fp2_add(&t2, a, b);
    fp2_sqr(&t2, &t2);
    fp2_sub(&t2, &t2, &t0);
    fp2_sub(r1, &t2, &t1);
    fp2_mul_by_nonresidue(&t1, &t1);
    fp2_add(r0, &t0, &t1);
}

/* Granger & Scott, "Faster squaring in the cyclotomic subgroup of sixth degree
 * extensions", PKC 2010, §3.1. View Fp12 as Fp4[t]/(t³ - s) with s = w³ (s² = ξ) and
 * t = w, so that a = A + B t + C t² with
 *   A = g0 + g3 s,  B = g1 + g4 s,  C = g2 + g5 s     (g_i the coefficient at w^i).
 * For a of norm 1 over Fp4 (true in the cyclotomic subgroup),
 *   A' = 3A² - 2Ā,  B' = 3 s C² + 2B̄,  C' = 3B² - 2C̄,    x̄ = conjugate over Fp2.
 * 3 Fp4 squarings = 9 S (18 Fp mul) instead of 12 M (36 Fp mul) for fp12_sqr. */
void fp12_cyclotomic_sqr(fp12_t *r, const fp12_t *a) {
    const fp2_t *g0 = &a->c0.c0, *g2 = &a->c0.c1, *g4 = &a->c0.c2;
    const fp2_t *g1 = &a->c1.c0, *g3 = &a->c1.c1, *g5 = &a->c1.c2;
    fp2_t a0, a1, b0, b1, c0, c1, t;
    fp12_t out;

    fp4_sqr(&a0, &a1, g0, g3); /* A² */
    fp4_sqr(&b0, &b1, g1, g4); /* B² */
    fp4_sqr(&c0, &c1, g2, g5); /* C² */

    /* A' = 3A² - 2Ā: w⁰ part 3a0 - 2g0, w³ part 3a1 + 2g3. */
    fp2_sub(&t, &a0, g0);
    fp2_dbl(&t, &t);
    fp2_add(&out.c0.c0, &t, &a0);
    fp2_add(&t, &a1, g3);
    fp2_dbl(&t, &t);
    fp2_add(&out.c1.c1, &t, &a1);

    /* B' = 3 s C² + 2B̄, s·(c0 + c1 s) = ξ c1 + c0 s: w¹ part 3ξc1 + 2g1, w⁴ part
     * 3c0 - 2g4. */
    fp2_mul_by_nonresidue(&c1, &c1);
    fp2_add(&t, &c1, g1);
    fp2_dbl(&t, &t);
    fp2_add(&out.c1.c0, &t, &c1);
    fp2_sub(&t, &c0, g4);
    fp2_dbl(&t, &t);
    fp2_add(&out.c0.c2, &t, &c0);

    /* C' = 3B² - 2C̄: w² part 3b0 - 2g2, w⁵ part 3b1 + 2g5. */
    fp2_sub(&t, &b0, g2);
    fp2_dbl(&t, &t);
    fp2_add(&out.c0.c1, &t, &b0);
    fp2_add(&t, &b1, g5);
    fp2_dbl(&t, &t);
    fp2_add(&out.c1.c2, &t, &b1);

    *r = out;
}

bool fp12_eq(const fp12_t *a, const fp12_t *b) {
    return fp2_eq(&a->c0.c0, &b->c0.c0) && fp2_eq(&a->c0.c1, &b->c0.c1) &&
           fp2_eq(&a->c0.c2, &b->c0.c2) && fp2_eq(&a->c1.c0, &b->c1.c0) &&
           fp2_eq(&a->c1.c1, &b->c1.c1) && fp2_eq(&a->c1.c2, &b->c1.c2);
}

bool fp12_is_one(const fp12_t *a) {
    return fp12_eq(a, &FP12_ONE);
}

/* ------------------------------------------------------------------------------------ */
/* Eight Fp2 products at once (AVX-512 IFMA)
 *
 * The three operations that carry the Miller loop and much of the final exponentiation —
 * fp12_mul (18 Fp2 products), fp12_sqr (12) and the line product fp12_mul_by_014 (13) —
 * consist of Fp2 products that do not depend on each other, between additions. With the IFMA backend they gather those
 * products into one list and compute it eight at a time, one Fp2 product per 64-bit lane
 * (backend/x86_64/ifma.h's v8 representation, the same Montgomery form as fp_t, so values
 * are bit-identical to the serial bodies above): per eight, four transposed loads, two
 * v8 additions, three v8 products (Karatsuba: a0b0, a1b1, (a0 + a1)(b0 + b1)), three v8
 * subtractions, two transposed stores. The additions around the products stay scalar and
 * are those of the serial bodies. Measured in docs/PERFORMANCE.md §17.
 */
#ifdef KZG_HAVE_IFMA_KERNELS

typedef struct { fp2_t *r; const fp2_t *a, *b; } fp2_op; /* *r = *a · *b */

/* Every op's r = a·b; no op's r may be another op's input (all inputs of a batch of eight
 * are read before its outputs are written, but batches run in order). */
static V8_TARGET void fp2_mul_ops_v8(const fp2_op *ops, size_t n) {
    static const fp2_t zero; /* the inputs of unused lanes */
    fp2_t sink;              /* their output */
    for (size_t g = 0; g < n; g += 8) {
        const void *a0[8], *a1[8], *b0[8], *b1[8];
        void *r0[8], *r1[8];
        for (size_t l = 0; l < 8; l++) {
            const fp2_t *a = g + l < n ? ops[g + l].a : &zero, *b = g + l < n ? ops[g + l].b : &zero;
            fp2_t *r = g + l < n ? ops[g + l].r : &sink;
            a0[l] = &a->c0;
            a1[l] = &a->c1;
            b0[l] = &b->c0;
            b1[l] = &b->c1;
            r0[l] = &r->c0;
            r1[l] = &r->c1;
        }
        v8fp x0, x1, y0, y1, p0, p1, p2;
        v8_load_tr(&x0, a0, 0);
        v8_load_tr(&x1, a1, 0);
        v8_load_tr(&y0, b0, 0);
        v8_load_tr(&y1, b1, 0);
        v8_mul(&p0, &x0, &y0);
        v8_mul(&p1, &x1, &y1);
        v8_add(&x0, &x0, &x1);
        v8_add(&y0, &y0, &y1);
        v8_mul(&p2, &x0, &y0);
        v8_sub(&p2, &p2, &p0);
        v8_sub(&p2, &p2, &p1); /* a0b1 + a1b0 */
        v8_sub(&p0, &p0, &p1); /* a0b0 − a1b1 (u² = −1) */
        v8_store_tr(r0, 0, &p0);
        v8_store_tr(r1, 0, &p2);
    }
}

/* The six Fp2 products of fp6_mul(x, y) (Karatsuba, as fp6_mul_serial's formula) into
 * t[0..6), their operand sums into xs, ys: ops[0..6). */
static void fp6_mul_ops(fp2_op *ops, fp2_t t[6], fp2_t xs[3], fp2_t ys[3], const fp6_t *x, const fp6_t *y) {
    fp2_add(&xs[0], &x->c1, &x->c2);
    fp2_add(&ys[0], &y->c1, &y->c2);
    fp2_add(&xs[1], &x->c0, &x->c1);
    fp2_add(&ys[1], &y->c0, &y->c1);
    fp2_add(&xs[2], &x->c0, &x->c2);
    fp2_add(&ys[2], &y->c0, &y->c2);
    ops[0] = (fp2_op){&t[0], &x->c0, &y->c0};
    ops[1] = (fp2_op){&t[1], &x->c1, &y->c1};
    ops[2] = (fp2_op){&t[2], &x->c2, &y->c2};
    ops[3] = (fp2_op){&t[3], &xs[0], &ys[0]};
    ops[4] = (fp2_op){&t[4], &xs[1], &ys[1]};
    ops[5] = (fp2_op){&t[5], &xs[2], &ys[2]};
}

/* fp6_mul's result from its six products. */
static void fp6_mul_finish(fp6_t *r, const fp2_t t[6]) {
    fp2_t u;
    fp2_sub(&u, &t[3], &t[1]);
    fp2_sub(&u, &u, &t[2]);
    fp2_mul_by_nonresidue(&u, &u);
    fp2_add(&r->c0, &u, &t[0]); /* t0 + ξ((x1 + x2)(y1 + y2) − t1 − t2) */
    fp2_sub(&u, &t[4], &t[0]);
    fp2_sub(&u, &u, &t[1]);
    fp2_mul_by_nonresidue(&r->c1, &t[2]);
    fp2_add(&r->c1, &r->c1, &u); /* (x0 + x1)(y0 + y1) − t0 − t1 + ξ t2 */
    fp2_sub(&u, &t[5], &t[0]);
    fp2_sub(&u, &u, &t[2]);
    fp2_add(&r->c2, &u, &t[1]); /* (x0 + x2)(y0 + y2) − t0 − t2 + t1 */
}

/* fp12_mul_serial's Karatsuba, its 18 Fp2 products in one list. */
static void fp12_mul_v8(fp12_t *r, const fp12_t *a, const fp12_t *b) {
    fp2_op ops[18];
    fp2_t t[3][6], xs[3][3], ys[3][3];
    fp6_t sa, sb, t0, t1, s;
    fp6_add(&sa, &a->c0, &a->c1);
    fp6_add(&sb, &b->c0, &b->c1);
    fp6_mul_ops(&ops[0], t[0], xs[0], ys[0], &a->c0, &b->c0);
    fp6_mul_ops(&ops[6], t[1], xs[1], ys[1], &a->c1, &b->c1);
    fp6_mul_ops(&ops[12], t[2], xs[2], ys[2], &sa, &sb);
    fp2_mul_ops_v8(ops, 18);
    fp6_mul_finish(&t0, t[0]);
    fp6_mul_finish(&t1, t[1]);
    fp6_mul_finish(&s, t[2]);
    fp6_sub(&s, &s, &t0);
    fp6_sub(&r->c1, &s, &t1);
    fp6_mul_by_v(&t1, &t1);
    fp6_add(&r->c0, &t0, &t1);
}

/* fp12_sqr_serial's complex squaring, its 12 Fp2 products in one list. */
static void fp12_sqr_v8(fp12_t *r, const fp12_t *a) {
    fp2_op ops[12];
    fp2_t t[2][6], xs[2][3], ys[2][3];
    fp6_t s, u, tt;
    fp6_add(&s, &a->c0, &a->c1);
    fp6_mul_by_v(&u, &a->c1);
    fp6_add(&u, &u, &a->c0);
    fp6_mul_ops(&ops[0], t[0], xs[0], ys[0], &a->c0, &a->c1);
    fp6_mul_ops(&ops[6], t[1], xs[1], ys[1], &s, &u);
    fp2_mul_ops_v8(ops, 12);
    fp6_mul_finish(&tt, t[0]);
    fp6_mul_finish(&s, t[1]);
    fp6_sub(&s, &s, &tt);
    fp6_mul_by_v(&u, &tt);
    fp6_sub(&r->c0, &s, &u);
    fp6_add(&r->c1, &tt, &tt);
}

/* fp12_mul_by_014_serial (two fp6_mul_by_01 and one fp6_mul_by_1), its 13 Fp2 products
 * in one list. fp6_mul_by_01(x; b0, b1) needs x0b0, x1b1, x2b1, (x0 + x1)(b0 + b1), x2b0. */
static void fp12_mul_by_014_v8(fp12_t *f, const fp2_t *l0, const fp2_t *l1, const fp2_t *l3) {
    fp2_op ops[13];
    fp2_t p[13], xs[2], bs[2], u;
    fp6_t s, t0, t1;
    fp6_add(&s, &f->c0, &f->c1);
    fp2_add(&u, l1, l3);
    fp2_add(&xs[0], &f->c0.c0, &f->c0.c1);
    fp2_add(&bs[0], l0, l1);
    fp2_add(&xs[1], &s.c0, &s.c1);
    fp2_add(&bs[1], l0, &u);
    /* t0 = f0·(l0 + l1 v) */
    ops[0] = (fp2_op){&p[0], &f->c0.c0, l0};
    ops[1] = (fp2_op){&p[1], &f->c0.c1, l1};
    ops[2] = (fp2_op){&p[2], &f->c0.c2, l1};
    ops[3] = (fp2_op){&p[3], &xs[0], &bs[0]};
    ops[4] = (fp2_op){&p[4], &f->c0.c2, l0};
    /* t1 = f1·(l3 v) */
    ops[5] = (fp2_op){&p[5], &f->c1.c2, l3};
    ops[6] = (fp2_op){&p[6], &f->c1.c0, l3};
    ops[7] = (fp2_op){&p[7], &f->c1.c1, l3};
    /* s = (f0 + f1)·(l0 + (l1 + l3) v) */
    ops[8] = (fp2_op){&p[8], &s.c0, l0};
    ops[9] = (fp2_op){&p[9], &s.c1, &u};
    ops[10] = (fp2_op){&p[10], &s.c2, &u};
    ops[11] = (fp2_op){&p[11], &xs[1], &bs[1]};
    ops[12] = (fp2_op){&p[12], &s.c2, l0};
    fp2_mul_ops_v8(ops, 13);
    for (int k = 0; k < 2; k++) { /* the two fp6_mul_by_01 results: t0 (k = 0), s (k = 1) */
        const fp2_t *q = k ? &p[8] : &p[0];
        fp6_t *o = k ? &s : &t0;
        fp2_mul_by_nonresidue(&o->c0, &q[2]);
        fp2_add(&o->c0, &o->c0, &q[0]); /* x0b0 + ξ x2b1 */
        fp2_sub(&o->c1, &q[3], &q[0]);
        fp2_sub(&o->c1, &o->c1, &q[1]); /* (x0 + x1)(b0 + b1) − x0b0 − x1b1 */
        fp2_add(&o->c2, &q[4], &q[1]);  /* x1b1 + x2b0 */
    }
    fp2_mul_by_nonresidue(&t1.c0, &p[5]);
    t1.c1 = p[6];
    t1.c2 = p[7];
    fp6_sub(&s, &s, &t0);
    fp6_sub(&f->c1, &s, &t1);
    fp6_mul_by_v(&t1, &t1);
    fp6_add(&f->c0, &t0, &t1);
}

#endif /* KZG_HAVE_IFMA_KERNELS */

void fp2_mul_many(fp2_t *const *r, const fp2_t *const *a, const fp2_t *const *b, size_t n) {
#ifdef KZG_HAVE_IFMA_KERNELS
    if (backend_active()->batch_ifma && n > 1) {
        fp2_op ops[8];
        for (size_t g = 0; g < n; g += 8) {
            size_t k = n - g < 8 ? n - g : 8;
            for (size_t i = 0; i < k; i++) ops[i] = (fp2_op){r[g + i], a[g + i], b[g + i]};
            fp2_mul_ops_v8(ops, k);
        }
        return;
    }
#endif
    for (size_t i = 0; i < n; i++) fp2_mul(r[i], a[i], b[i]);
}

void fp12_mul(fp12_t *r, const fp12_t *a, const fp12_t *b) {
#ifdef KZG_HAVE_IFMA_KERNELS
    if (backend_active()->batch_ifma) {
        fp12_mul_v8(r, a, b);
        return;
    }
#endif
    fp12_mul_serial(r, a, b);
}

void fp12_sqr(fp12_t *r, const fp12_t *a) {
#ifdef KZG_HAVE_IFMA_KERNELS
    if (backend_active()->batch_ifma) {
        fp12_sqr_v8(r, a);
        return;
    }
#endif
    fp12_sqr_serial(r, a);
}

void fp12_mul_by_014(fp12_t *f, const fp2_t *l0, const fp2_t *l1, const fp2_t *l3) {
#ifdef KZG_HAVE_IFMA_KERNELS
    if (backend_active()->batch_ifma) {
        fp12_mul_by_014_v8(f, l0, l1, l3);
        return;
    }
#endif
    fp12_mul_by_014_serial(f, l0, l1, l3);
}
