/*
 * pairing/pairing.c — the optimal ate pairing on BLS12-381. See pairing/pairing.h.
 *
 * Owns: Miller loop, final exponentiation, product-of-pairings check. May call: field,
 * curve (the affine point types and their infinity tests), pairing/tower.
 *
 * e(P, Q) = f_{x,Q}(P)^((p¹² - 1)/r) with x = -0xd201000000010000 (Vercauteren,
 * "Optimal pairings", 2010; for BLS12 the optimal ate Miller loop is f_{x,Q}).
 * The loop runs over |x| and the sign is applied by conjugating f at the end: for x < 0,
 * f_{x,Q} = 1/(f_{|x|,Q} · v_{[|x|]Q}) and the vertical line lies in a proper subfield
 * (killed by the final exponentiation), while 1/f = f^(p⁶) after the easy part.
 *
 * Twist and lines. Q lives on the M-type sextic twist E': y² = x³ + 4ξ, ξ = 1 + u, and
 * maps to E by (x', y') ↦ (x'/w², y'/w³) (w⁶ = ξ). The tangent/chord through T at the
 * point P = (xP, yP) of E(Fp), multiplied by factors that lie in Fp4 ⊂ Fp12 (w³, 2y_T, Z²…
 * all killed by the final exponentiation), becomes
 *     l = l0 + (α·xP) w² + (β·(-yP)) w³,       l0, α, β ∈ Fp2,
 * a sparse element multiplied in with fp12_mul_by_014 (13 Fp2 mul). T is kept in
 * homogeneous projective coordinates (x = X/Z, y = Y/Z) on E'.
 *
 * Variable time in the data only through infinity checks (public inputs).
 */
#include "pairing/pairing.h"

#include <string.h>

#include "backend/backend.h"
#include "backend/x86_64/ifma.h"

/* |x| = 0xd201000000010000: bits 63, 62, 60, 57, 48, 16. */
#define PAIRING_X_ABS 0xd201000000010000ULL

/* Pairs handled per shared accumulator pass; the core never allocates, so longer
 * products are done in chunks of this many and the chunk results multiplied. */
#define PAIRING_CHUNK 8

typedef struct { fp2_t x, y, z; } g2_proj_t;            /* homogeneous on E' */
typedef struct { fp_t px, pyn; } g1_prep_t;              /* xP, -yP */

/* Doubling step: T ← 2T and the tangent line at T evaluated at P.
 *
 * Formulas: Costello, Lange, Naehrig, "Faster pairing computations on curves with
 * high-degree twists", PKC 2010, §5 (homogeneous, a = 0), as written in Aranha, Karabina,
 * Longa, Gebotys, López, "Faster explicit formulas for computing pairings over ordinary
 * curves", Eurocrypt 2011, §4 eq. (10), here scaled by 4 so that no halving is needed:
 *   B = Y², C = Z², E = 3b'C, F = 3E, H = (Y + Z)² - B - C,
 *   X3 = 2XY(B - F),  Y3 = (B + F)² - 12E²,  Z3 = 4BH.
 * Line (the affine tangent times 2Y·Z·w³, negated): l0 = E - B, α = 3X², β = H, stored
 * as lc = (l0, α, β); line_mul evaluates it at P.
 * With b' = 4ξ, 3b' = 12ξ and ξ·C costs two additions.
 * Cost: 3 M + 6 S (Fp2), and 4 Fp mul at P (line_mul). */
static void dbl_step(fp2_t lc[3], g2_proj_t *t) {
    fp2_t xy, b, c, e, f, h, xx, s;

    fp2_mul(&xy, &t->x, &t->y);             /* M */
    fp2_sqr(&b, &t->y);                     /* S */
    fp2_sqr(&c, &t->z);                     /* S */
    fp2_mul_by_nonresidue(&e, &c);          /* ξC */
    fp2_dbl(&s, &e);
    fp2_dbl(&s, &s);                        /* 4ξC */
    fp2_dbl(&e, &s);                        /* 8ξC */
    fp2_add(&e, &e, &s);                    /* E = 12ξC = 3b'C */
    fp2_dbl(&f, &e);
    fp2_add(&f, &f, &e);                    /* F = 3E */
    fp2_add(&h, &t->y, &t->z);
    fp2_sqr(&h, &h);                        /* S */
    fp2_sub(&h, &h, &b);
    fp2_sub(&h, &h, &c);                    /* H = 2YZ */
    fp2_sqr(&xx, &t->x);                    /* S */

    /* Line. */
    fp2_sub(&lc[0], &e, &b);
    fp2_dbl(&lc[1], &xx);
    fp2_add(&lc[1], &lc[1], &xx);           /* α = 3X² */
    lc[2] = h;                              /* β = H */

    /* Point. */
    fp2_sub(&s, &b, &f);
    fp2_mul(&t->x, &xy, &s);                /* M */
    fp2_dbl(&t->x, &t->x);                  /* X3 = 2XY(B - F) */
    fp2_add(&s, &b, &f);
    fp2_sqr(&s, &s);                        /* S: (B + F)² */
    fp2_sqr(&e, &e);                        /* S: E² */
    fp2_dbl(&f, &e);
    fp2_add(&e, &e, &f);                    /* 3E² */
    fp2_dbl(&e, &e);
    fp2_dbl(&e, &e);                        /* 12E² */
    fp2_sub(&t->y, &s, &e);                 /* Y3 */
    fp2_mul(&t->z, &b, &h);                 /* M */
    fp2_dbl(&t->z, &t->z);
    fp2_dbl(&t->z, &t->z);                  /* Z3 = 4BH */
}

/* Mixed addition step: T ← T + Q (Q affine) and the chord through T and Q at P.
 *
 * Formulas: Costello–Lange–Naehrig 2010 §5 / Aranha et al. 2011 §4 eq. (12):
 *   θ = Y - yQ·Z, λ = X - xQ·Z, C = θ², D = λ², E = λD, F = ZC, G = XD, H = E + F - 2G,
 *   X3 = λH,  Y3 = θ(G - H) - YE,  Z3 = ZE.
 * Line (the affine chord times λ·w³, negated): l0 = λ·yQ - θ·xQ, α = θ, β = λ, stored
 * as lc = (l0, α, β).
 * T ≠ ±Q throughout the loop (T = [k]Q with 1 < k < |x| < r), so no special cases.
 * Cost: 11 M + 2 S (Fp2), and 4 Fp mul at P (line_mul). */
static void add_step(fp2_t lc[3], g2_proj_t *t, const g2_aff_t *q) {
    fp2_t th, la, c, d, e, f, g, h, s;

    fp2_mul(&th, &q->y, &t->z);             /* M */
    fp2_sub(&th, &t->y, &th);               /* θ */
    fp2_mul(&la, &q->x, &t->z);             /* M */
    fp2_sub(&la, &t->x, &la);               /* λ */
    fp2_sqr(&c, &th);                       /* S */
    fp2_sqr(&d, &la);                       /* S */
    fp2_mul(&e, &la, &d);                   /* M */
    fp2_mul(&f, &t->z, &c);                 /* M */
    fp2_mul(&g, &t->x, &d);                 /* M */
    fp2_add(&h, &e, &f);
    fp2_sub(&h, &h, &g);
    fp2_sub(&h, &h, &g);                    /* H = E + F - 2G */

    /* Line. */
    fp2_mul(&lc[0], &la, &q->y);            /* M */
    fp2_mul(&s, &th, &q->x);                /* M */
    fp2_sub(&lc[0], &lc[0], &s);
    lc[1] = th;
    lc[2] = la;

    /* Point. */
    fp2_mul(&t->x, &la, &h);                /* M */
    fp2_sub(&s, &g, &h);
    fp2_mul(&s, &th, &s);                   /* M */
    fp2_mul(&g, &t->y, &e);                 /* M */
    fp2_sub(&t->y, &s, &g);
    fp2_mul(&t->z, &t->z, &e);              /* M */
}

/* f ← f·l with l = c0 + (c1·xP) w² + (c2·(-yP)) w³ (4 Fp mul + 13 Fp2 mul). */
static void line_mul(fp12_t *f, const fp2_t c[3], const g1_prep_t *p) {
    fp2_t l1, l2;
    fp2_mul_fp(&l1, &c[1], &p->px);
    fp2_mul_fp(&l2, &c[2], &p->pyn);
    fp12_mul_by_014(f, &c[0], &l1, &l2);
}

void pairing_g2_prepare(pairing_g2_lines *out, const g2_aff_t *q) {
    g2_proj_t t;
    size_t k = 0;

    out->inf = g2_aff_is_inf(q);
    if (out->inf) {
        memset(out->c, 0, sizeof out->c);
        return;
    }
    t.x = q->x;
    t.y = q->y;
    t.z = FP2_ONE;
    for (int bit = 62; bit >= 0; bit--) {
        dbl_step(out->c[k++], &t);
        if ((PAIRING_X_ABS >> bit) & 1) add_step(out->c[k++], &t, q);
    }
}

/* One shared Miller loop over at most PAIRING_CHUNK pairs, none at infinity:
 * f = Π f_{|x|,Q_i}(P_i), conjugated (x < 0). Per bit: one Fp12 squaring (12 M) shared by
 * all pairs, then per pair a doubling step and a sparse product; on the five set bits
 * below the top, an addition step and a sparse product per pair. Pair i takes its line
 * coefficients from lines[i] when that is not NULL (computed once by pairing_g2_prepare:
 * no G2 arithmetic here), else computes them from qs[i] as it goes.
 * Per pair: 63 doublings + 5 additions; shared: 62 squarings. */
static void miller_chunk(fp12_t *f, const g1_aff_t *const *ps, const g2_aff_t *const *qs,
                         const pairing_g2_lines *const *lines, size_t n) {
    g2_proj_t t[PAIRING_CHUNK];
    g1_prep_t pp[PAIRING_CHUNK];
    fp2_t c[3];
    size_t k = 0; /* step index into the prepared lines */

    for (size_t i = 0; i < n; i++) {
        if (!lines[i]) {
            t[i].x = qs[i]->x;
            t[i].y = qs[i]->y;
            t[i].z = FP2_ONE;
        }
        pp[i].px = ps[i]->x;
        fp_neg(&pp[i].pyn, &ps[i]->y);
    }

    *f = FP12_ONE;
    for (int bit = 62; bit >= 0; bit--) {
        if (bit != 62) fp12_sqr(f, f); /* f = 1 before the first step */
        for (size_t i = 0; i < n; i++) {
            if (lines[i]) {
                line_mul(f, lines[i]->c[k], &pp[i]);
            } else {
                dbl_step(c, &t[i]);
                line_mul(f, c, &pp[i]);
            }
        }
        k++;
        if ((PAIRING_X_ABS >> bit) & 1) {
            for (size_t i = 0; i < n; i++) {
                if (lines[i]) {
                    line_mul(f, lines[i]->c[k], &pp[i]);
                } else {
                    add_step(c, &t[i], qs[i]);
                    line_mul(f, c, &pp[i]);
                }
            }
            k++;
        }
    }
    fp12_conj(f, f);
}

/* The Miller loops of n pairs (Q_i given as points, or as prepared lines where lines is
 * not NULL and lines[i] is not NULL), in chunks of PAIRING_CHUNK. */
static void miller_loop_mixed(fp12_t *f, const g1_aff_t *p, const g2_aff_t *q,
                              const pairing_g2_lines *const *lines, size_t n) {
    const g1_aff_t *ps[PAIRING_CHUNK];
    const g2_aff_t *qs[PAIRING_CHUNK];
    const pairing_g2_lines *ls[PAIRING_CHUNK];
    fp12_t acc = FP12_ONE, part;
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        const pairing_g2_lines *li = lines ? lines[i] : NULL;
        if (g1_aff_is_inf(&p[i]) || (li ? li->inf : g2_aff_is_inf(&q[i])))
            continue; /* contributes 1 */
        ps[k] = &p[i];
        qs[k] = q ? &q[i] : NULL;
        ls[k] = li;
        if (++k == PAIRING_CHUNK) {
            miller_chunk(&part, ps, qs, ls, k);
            fp12_mul(&acc, &acc, &part);
            k = 0;
        }
    }
    if (k > 0) {
        miller_chunk(&part, ps, qs, ls, k);
        fp12_mul(&acc, &acc, &part);
    }
    *f = acc;
}

void pairing_miller_loop_n(fp12_t *f, const g1_aff_t *p, const g2_aff_t *q, size_t n) {
    miller_loop_mixed(f, p, q, NULL, n);
}

void pairing_miller_loop_n_prepared(fp12_t *f, const g1_aff_t *p,
                                    const pairing_g2_lines *const *lines, size_t n) {
    miller_loop_mixed(f, p, NULL, lines, n);
}

void pairing_miller_loop(fp12_t *f, const g1_aff_t *p, const g2_aff_t *q) {
    pairing_miller_loop_n(f, p, q, 1);
}

/* a^|x| for a in the cyclotomic subgroup, plainly: 63 cyclotomic squarings + 5
 * multiplications. The fallback of cyc_exp_x_abs. */
static void cyc_exp_x_abs_plain(fp12_t *r, const fp12_t *a) {
    fp12_t acc = *a;
    for (int bit = 62; bit >= 0; bit--) {
        fp12_cyclotomic_sqr(&acc, &acc);
        if ((PAIRING_X_ABS >> bit) & 1) fp12_mul(&acc, &acc, a);
    }
    *r = acc;
}

/*
 * Compressed squaring (Karabina, "Squaring in cyclotomic subgroups", Math. Comp. 2013;
 * the explicit formulas of Aranha, Karabina, Longa, Gebotys, López, Eurocrypt 2011,
 * §5.2). Write a cyclotomic g over Fp4 = Fp2[s]/(s² - ξ), Fp12 = Fp4[t]/(t³ - s) (s = w³,
 * t = w) as (g0 + g1 s) + (g2 + g3 s) t + (g4 + g5 s) t², i.e. in this tower
 *     g0 = c0.c0, g1 = c1.c1, g2 = c1.c0, g3 = c0.c2, g4 = c0.c1, g5 = c1.c2.
 * Then C(g) = (g2, g3, g4, g5) determines g, and C(g²) = (h2, h3, h4, h5) with
 *   B23 = g2 g3, B45 = g4 g5, A23 = (g2 + g3)(g2 + ξ g3), A45 = (g4 + g5)(g4 + ξ g5),
 *   h2 = 2(g2 + 3ξ B45),           h3 = 3(A45 - (ξ + 1) B45) - 2 g3,
 *   h4 = 3(A23 - (ξ + 1) B23) - 2 g4, h5 = 2(g5 + 3 B23).
 * 4 M (12 Fp mul) instead of the 9 S (18 Fp mul) of fp12_cyclotomic_sqr.
 */
typedef struct { fp2_t g2, g3, g4, g5; } fp12_comp_t;

static void comp_sqr(fp12_comp_t *r, const fp12_comp_t *g) {
    fp2_t b23, b45, a23, a45, t, u, t2, u2;

    fp2_mul_by_nonresidue(&t, &g->g3);
    fp2_add(&t, &t, &g->g2);
    fp2_add(&u, &g->g2, &g->g3);
    fp2_mul_by_nonresidue(&t2, &g->g5);
    fp2_add(&t2, &t2, &g->g4);
    fp2_add(&u2, &g->g4, &g->g5);
    {
        fp2_t *const out[4] = {&b23, &b45, &a23, &a45};
        const fp2_t *const x[4] = {&g->g2, &g->g4, &u, &u2}, *const y[4] = {&g->g3, &g->g5, &t, &t2};
        fp2_mul_many(out, x, y, 4); /* eight lanes with IFMA: docs/PERFORMANCE.md §17 */
    }

    fp12_comp_t h;
    /* h2 = 2(g2 + 3ξ B45) */
    fp2_mul_by_nonresidue(&t, &b45);
    fp2_dbl(&u, &t);
    fp2_add(&t, &t, &u);
    fp2_add(&t, &t, &g->g2);
    fp2_dbl(&h.g2, &t);
    /* h3 = 3(A45 - (ξ + 1) B45) - 2 g3 */
    fp2_mul_by_nonresidue(&t, &b45);
    fp2_add(&t, &t, &b45);
    fp2_sub(&t, &a45, &t);
    fp2_dbl(&u, &t);
    fp2_add(&t, &t, &u);
    fp2_dbl(&u, &g->g3);
    fp2_sub(&h.g3, &t, &u);
    /* h4 = 3(A23 - (ξ + 1) B23) - 2 g4 */
    fp2_mul_by_nonresidue(&t, &b23);
    fp2_add(&t, &t, &b23);
    fp2_sub(&t, &a23, &t);
    fp2_dbl(&u, &t);
    fp2_add(&t, &t, &u);
    fp2_dbl(&u, &g->g4);
    fp2_sub(&h.g4, &t, &u);
    /* h5 = 2(g5 + 3 B23) */
    fp2_dbl(&t, &b23);
    fp2_add(&t, &t, &b23);
    fp2_add(&t, &t, &g->g5);
    fp2_dbl(&h.g5, &t);
    *r = h;
}

/*
 * The same squaring on all four coordinates at once (AVX-512 IFMA). One v8 (ifma.h) holds
 * C(g): lane i < 4 the c0 of (g2, g3, g4, g5)[i], lane i + 4 its c1 — and stays in the
 * registers through a chain of squarings (no transposes between them). With H the swap of
 * the halves (c0 ↔ c1) and ξ(z) = [z − H(z) | z + H(z)] lane-wise:
 *   U = (g2, g4, g2 + g3, g4 + g5),  V = (g3, g5, g2 + ξ g3, g4 + ξ g5)      (lane permutes)
 *   R = U·V = (B23, B45, A23, A45): W = U ⊙ V, Q = (U + H(U)) ⊙ (V + H(V)) (two v8
 *       products: four Karatsuba Fp2 products), R = [W − H(W) | H(Q − W − H(W))];
 *   X = (B45, B45, B23, B23), Y = (ξ X0, (ξ + 1) X1, (ξ + 1) X2, X3),
 *   Z = (2 Y0, A45 − Y1, A23 − Y2, 2 Y3),  h = 3Z ± 2g (+ in lanes 0 and 3, − in 1 and 2)
 * — exactly h2..h5 above. 2 v8 products and 19 v8 additions per squaring, against 4 Fp2
 * products (12 Fp mul) and ~22 Fp2 additions one at a time. docs/PERFORMANCE.md §17.
 */
#ifdef KZG_HAVE_IFMA_KERNELS
V8_INLINE void v8_perm(v8fp *r, const v8fp *a, __m512i idx) {
#pragma GCC unroll 8
    for (int k = 0; k < 8; k++) r->v[k] = _mm512_permutexvar_epi64(idx, a->v[k]);
}
/* Lane l ← idx[l] < 8 ? a[idx[l]] : b[idx[l] − 8]. */
V8_INLINE void v8_perm2(v8fp *r, const v8fp *a, __m512i idx, const v8fp *b) {
#pragma GCC unroll 8
    for (int k = 0; k < 8; k++) r->v[k] = _mm512_permutex2var_epi64(a->v[k], idx, b->v[k]);
}
/* Lane l ← bit l of m ? b : a. */
V8_INLINE void v8_blend(v8fp *r, __mmask8 m, const v8fp *a, const v8fp *b) {
#pragma GCC unroll 8
    for (int k = 0; k < 8; k++) r->v[k] = _mm512_mask_blend_epi64(m, a->v[k], b->v[k]);
}
V8_INLINE void v8_swap_halves(v8fp *r, const v8fp *a) {
    v8_perm(r, a, _mm512_set_epi64(3, 2, 1, 0, 7, 6, 5, 4));
}
/* ξ·z for the four Fp2 values of a: (x − y) + (x + y)u. */
V8_INLINE void v8_mul_xi(v8fp *r, const v8fp *a) {
    v8fp h, s, d;
    v8_swap_halves(&h, a);
    v8_add(&s, a, &h);
    v8_sub(&d, a, &h);
    v8_blend(r, 0xf0, &d, &s);
}

V8_INLINE void comp_sqr_v8(v8fp *g) {
    v8fp p, gp, xp, gx, u, v, w, q, t, e, r, x, xx, y;
    /* U, V */
    v8_perm(&p, g, _mm512_set_epi64(6, 7, 4, 5, 2, 3, 0, 1)); /* (g3, g2, g5, g4) */
    v8_add(&gp, g, &p);
    v8_mul_xi(&xp, &p);
    v8_add(&gx, g, &xp);
    v8_perm2(&u, g, _mm512_set_epi64(14, 12, 6, 4, 10, 8, 2, 0), &gp);
    v8_perm2(&v, g, _mm512_set_epi64(14, 12, 7, 5, 10, 8, 3, 1), &gx);
    /* R = U·V */
    v8_mul(&w, &u, &v);
    v8_swap_halves(&t, &u);
    v8_add(&u, &u, &t);
    v8_swap_halves(&t, &v);
    v8_add(&v, &v, &t);
    v8_mul(&q, &u, &v);
    v8_swap_halves(&t, &w);
    v8_sub(&e, &w, &t);  /* lanes 0..3: c0 of the products */
    v8_add(&w, &w, &t);
    v8_sub(&q, &q, &w);  /* lanes 0..3: their c1 */
    v8_swap_halves(&t, &q);
    v8_blend(&r, 0xf0, &e, &t);
    /* h */
    v8_perm(&x, &r, _mm512_set_epi64(4, 4, 5, 5, 0, 0, 1, 1));
    v8_mul_xi(&xx, &x);
    v8_add(&t, &xx, &x);
    v8_blend(&y, 0x66, &xx, &t);
    v8_blend(&y, 0x88, &y, &x);
    v8_perm(&e, &r, _mm512_set_epi64(4, 6, 7, 4, 0, 2, 3, 0)); /* lanes 1, 2: A45, A23 */
    v8_sub(&e, &e, &y);
    v8_add(&y, &y, &y);
    v8_blend(&e, 0x66, &y, &e); /* Z */
    v8_add(&t, &e, &e);
    v8_add(&e, &t, &e);         /* 3Z */
    v8_add(&t, g, g);           /* 2g */
    v8_add(&x, &e, &t);
    v8_sub(&y, &e, &t);
    v8_blend(g, 0x66, &x, &y);
}

/* The eight Fp of a compressed value, in comp_sqr_v8's lane order. */
static void comp_ptrs(const void *ptr[8], const fp12_comp_t *c) {
    const fp2_t *g[4] = {&c->g2, &c->g3, &c->g4, &c->g5};
    for (int i = 0; i < 4; i++) {
        ptr[i] = &g[i]->c0;
        ptr[i + 4] = &g[i]->c1;
    }
}

/* c ← c squared n times; saved[j] ← the value after save_at[j] squarings (ascending, j < m). */
static V8_TARGET void comp_sqr_chain_v8(fp12_comp_t *c, unsigned n, fp12_comp_t *saved,
                                        const uint8_t *save_at, unsigned m) {
    const void *ptr[8];
    void *out[8];
    v8fp g;
    unsigned next = 0;
    comp_ptrs(ptr, c);
    v8_load_tr(&g, ptr, 0);
    for (unsigned k = 1; k <= n; k++) {
        comp_sqr_v8(&g);
        if (next < m && k == save_at[next]) {
            comp_ptrs((const void **)out, &saved[next++]);
            v8_store_tr(out, 0, &g);
        }
    }
    comp_ptrs((const void **)out, c);
    v8_store_tr(out, 0, &g);
}
#endif

/* comp_sqr_chain_v8's contract, one squaring at a time where the backend has no IFMA (or
 * serial is set: the tests' reference). */
static void comp_sqr_chain(fp12_comp_t *c, unsigned n, fp12_comp_t *saved, const uint8_t *save_at,
                           unsigned m, bool serial) {
#ifdef KZG_HAVE_IFMA_KERNELS
    if (!serial && backend_active()->batch_ifma) {
        comp_sqr_chain_v8(c, n, saved, save_at, m);
        return;
    }
#endif
    unsigned next = 0;
    for (unsigned k = 1; k <= n; k++) {
        comp_sqr(c, c);
        if (next < m && k == save_at[next]) saved[next++] = *c;
    }
}

void pairing_comp_sqr_n(fp12_t *a, unsigned n, bool serial) {
    fp12_comp_t c = {a->c1.c0, a->c0.c2, a->c0.c1, a->c1.c2};
    comp_sqr_chain(&c, n, NULL, NULL, 0, serial);
    a->c1.c0 = c.g2;
    a->c0.c2 = c.g3;
    a->c0.c1 = c.g4;
    a->c1.c2 = c.g5;
}

/*
 * a^|x| with compressed squarings: |x| = 2^63 + 2^62 + 2^60 + 2^57 + 2^48 + 2^16, so
 * a^|x| = Π a^(2^k) over those six k. Square C(a) 63 times, keep C(a^(2^k)) at the six
 * k, then decompress the six together (Aranha et al. 2011 §5.2, with one shared
 * inversion by Montgomery's trick):
 *   g1 = (ξ g5² + 3 g4² - 2 g3) / (4 g2),  g0 = ξ(2 g1² + g2 g5 - 3 g3 g4) + 1.
 * If some g2 is 0 the formula above does not apply; then (never for random inputs) we
 * fall back to the plain exponentiation rather than carry the second formula.
 * Cost: 63·4 M + six decompressions (≈ 3 S + 5 M each, with the shared inverse) + one
 * Fp2 inversion + 5 Fp12 M, against 63·9 S + 5 Fp12 M.
 */
static void cyc_exp_x_abs(fp12_t *r, const fp12_t *a) {
    static const uint8_t ks[6] = {16, 48, 57, 60, 62, 63};
    fp12_comp_t c, saved[6];
    fp2_t num[6], den[6], pre[6], inv, t, u;

    /* g2 = 0 at the start: a = ±1 (a cyclotomic element with c1 = 0 lies in Fp6, so
     * a^(p⁶ + 1) = a² = 1) or a rare point where the decompression below would not
     * apply; take the plain path (this is the case of a product that is already 1
     * after the easy part, e.g. e(P, Q)·e(-P, Q)). */
    if (fp2_is_zero(&a->c1.c0)) {
        cyc_exp_x_abs_plain(r, a);
        return;
    }
    c.g2 = a->c1.c0;
    c.g3 = a->c0.c2;
    c.g4 = a->c0.c1;
    c.g5 = a->c1.c2;
    comp_sqr_chain(&c, 63, saved, ks, 6, false);

    /* Numerators and denominators; prefix products for the batch inversion. */
    for (int i = 0; i < 6; i++) {
        const fp12_comp_t *g = &saved[i];
        if (fp2_is_zero(&g->g2)) {
            cyc_exp_x_abs_plain(r, a);
            return;
        }
        fp2_sqr(&t, &g->g5);
        fp2_mul_by_nonresidue(&t, &t);
        fp2_sqr(&u, &g->g4);
        fp2_add(&t, &t, &u);
        fp2_dbl(&u, &u);
        fp2_add(&t, &t, &u);
        fp2_dbl(&u, &g->g3);
        fp2_sub(&num[i], &t, &u);
        fp2_dbl(&den[i], &g->g2);
        fp2_dbl(&den[i], &den[i]);
        if (i == 0) {
            pre[0] = den[0];
        } else {
            fp2_mul(&pre[i], &pre[i - 1], &den[i]);
        }
    }
    fp2_inv_var(&inv, &pre[5]);

    fp12_t acc = FP12_ONE, g;
    for (int i = 5; i >= 0; i--) {
        fp2_t d_inv, g1;
        const fp12_comp_t *s = &saved[i];
        if (i > 0) {
            fp2_mul(&d_inv, &inv, &pre[i - 1]); /* 1/den[i] */
            fp2_mul(&inv, &inv, &den[i]);       /* 1/(den[0]···den[i-1]) */
        } else {
            d_inv = inv;
        }
        fp2_mul(&g1, &num[i], &d_inv);
        /* g0 = ξ(2 g1² + g2 g5 - 3 g3 g4) + 1 */
        fp2_sqr(&t, &g1);
        fp2_dbl(&t, &t);
        fp2_mul(&u, &s->g2, &s->g5);
        fp2_add(&t, &t, &u);
        fp2_mul(&u, &s->g3, &s->g4);
        fp2_sub(&t, &t, &u);
        fp2_dbl(&u, &u);
        fp2_sub(&t, &t, &u);
        fp2_mul_by_nonresidue(&t, &t);
        fp2_add(&g.c0.c0, &t, &FP2_ONE);
        g.c1.c1 = g1;
        g.c1.c0 = s->g2;
        g.c0.c2 = s->g3;
        g.c0.c1 = s->g4;
        g.c1.c2 = s->g5;
        if (i == 5) {
            acc = g;
        } else {
            fp12_mul(&acc, &acc, &g);
        }
    }
    *r = acc;
}

/* a^x = conj(a^|x|) in the cyclotomic subgroup (x < 0). */
static void cyc_exp_x(fp12_t *r, const fp12_t *a) {
    cyc_exp_x_abs(r, a);
    fp12_conj(r, r);
}

/* a^E with E = (|x| + 1)/3 = 0x460055555555aaab, by fixed 4-bit windows over its
 * nibbles 4,6,0,0,5×8,a×3,b, from a table of the five powers that occur.
 * 63 cyclotomic squarings + 16 multiplications. */
static void cyc_exp_e(fp12_t *r, const fp12_t *a) {
    static const uint8_t nib[16] = {4, 6, 0, 0, 5, 5, 5, 5, 5, 5, 5, 5, 10, 10, 10, 11};
    fp12_t a2, a4, a5, a6, a10, a11, acc;
    const fp12_t *tab[12] = {0};
    fp12_cyclotomic_sqr(&a2, a);
    fp12_cyclotomic_sqr(&a4, &a2);
    fp12_mul(&a5, &a4, a);
    fp12_mul(&a6, &a5, a);
    fp12_cyclotomic_sqr(&a10, &a5);
    fp12_mul(&a11, &a10, a);
    tab[4] = &a4;
    tab[5] = &a5;
    tab[6] = &a6;
    tab[10] = &a10;
    tab[11] = &a11;
    acc = a4;
    for (int i = 1; i < 16; i++) {
        for (int j = 0; j < 4; j++) fp12_cyclotomic_sqr(&acc, &acc);
        if (nib[i]) fp12_mul(&acc, &acc, tab[nib[i]]);
    }
    *r = acc;
}

/* Final exponentiation f^((p¹² - 1)/r) = f^((p⁶ - 1)(p² + 1)·h), h = (p⁴ - p² + 1)/r.
 *
 * Easy part: m = f^(p⁶ - 1) = conj(f)/f, then m ← m^(p²)·m. m is then in the cyclotomic
 * subgroup (norm 1 over Fp6 and over Fp4), where inversion is conjugation and the
 * Granger–Scott squaring applies.
 *
 * Hard part: Hayashida, Hayasaka, Teruya, "Efficient final exponentiation via cyclotomic
 * structure for pairings over families of elliptic curves" (ePrint 2020/875), give for
 * BLS12: 3h = (x - 1)²(x + p)(x² + p² - 1) + 3. Since x ≡ 1 mod 3 we use it without the
 * factor 3, so that the result is exactly f^((p¹² - 1)/r) (not its cube):
 *     h = e·(x - 1)·(x + p)·(x² + p² - 1) + 1,   e = (x - 1)/3 = -0x460055555555aaab.
 * (Checked in python3 against the integer h.) Chain:
 *   y0 = m^e                      = conj(m^E)                      63 S + 16 M
 *   y1 = y0^(x - 1)               = y0^x · conj(y0)                63 S + 6 M
 *   y2 = y1^(x + p)               = y1^x · frob(y1)                63 S + 6 M
 *   y3 = y2^(x² + p² - 1)         = (y2^x)^x · frob²(y2) · conj(y2)  126 S + 12 M
 *   result = y3 · m                                                 1 M
 * S: cyclotomic squaring — Granger–Scott (9 Fp2 S) in cyc_exp_e, compressed (4 Fp2 M,
 * see cyc_exp_x_abs) in the exponentiations by x; M: Fp12 multiplication (18 Fp2 M). */
/* The easy part: m = f^((p⁶ - 1)(p² + 1)), in the cyclotomic subgroup. */
static void final_exp_easy(fp12_t *m, const fp12_t *f) {
    fp12_t t;
    fp12_inv_var(&t, f);
    fp12_conj(m, f);
    fp12_mul(m, m, &t);
    fp12_frobenius(&t, m, 2);
    fp12_mul(m, m, &t);
}

/* The hard part after its first step: y3 = y0^((x - 1)(x + p)(x² + p² - 1)). */
static void final_exp_hard_rest(fp12_t *y3, const fp12_t *y0) {
    fp12_t t, y1, y2;
    cyc_exp_x(&y1, y0); /* y1 = y0^(x - 1) */
    fp12_conj(&t, y0);
    fp12_mul(&y1, &y1, &t);

    cyc_exp_x(&y2, &y1); /* y2 = y1^(x + p) */
    fp12_frobenius(&t, &y1, 1);
    fp12_mul(&y2, &y2, &t);

    cyc_exp_x(y3, &y2); /* y3 = y2^(x² + p² - 1) */
    cyc_exp_x(y3, y3);
    fp12_frobenius(&t, &y2, 2);
    fp12_mul(y3, y3, &t);
    fp12_conj(&t, &y2);
    fp12_mul(y3, y3, &t);
}

void pairing_final_exp(fp12_t *r, const fp12_t *f) {
    fp12_t m, y0, y3;
    final_exp_easy(&m, f);
    cyc_exp_e(&y0, &m); /* y0 = m^e */
    fp12_conj(&y0, &y0);
    final_exp_hard_rest(&y3, &y0);
    fp12_mul(r, &y3, &m);
}

/* (f^((p¹² - 1)/r))³, for the checks against 1: GT has prime order r and 3 ∤ r, so the cube
 * is 1 exactly when the value is. With the factor 3 the hard part is Hayashida–Hayasaka–
 * Teruya's 3h = (x - 1)²(x + p)(x² + p² - 1) + 3 as it stands, and its first step is
 * y0 = m^(x - 1) = m^x · conj(m) (63 compressed S + 6 M) instead of m^e (63 Granger–Scott S
 * + 16 M), at the price of m³ = m²·m (1 S + 1 M) at the end: ~300 Fp2 products fewer. */
void pairing_final_exp_cubed(fp12_t *r, const fp12_t *f) {
    fp12_t m, t, y0, y3;
    final_exp_easy(&m, f);
    cyc_exp_x(&y0, &m); /* y0 = m^(x - 1) */
    fp12_conj(&t, &m);
    fp12_mul(&y0, &y0, &t);
    final_exp_hard_rest(&y3, &y0);
    fp12_cyclotomic_sqr(&t, &m); /* · m³ */
    fp12_mul(&t, &t, &m);
    fp12_mul(r, &y3, &t);
}

void pairing(fp12_t *r, const g1_aff_t *p, const g2_aff_t *q) {
    fp12_t f;
    pairing_miller_loop(&f, p, q);
    pairing_final_exp(r, &f);
}

bool pairing_product_is_one(const g1_aff_t *p, const g2_aff_t *q, size_t n) {
    fp12_t f, e;
    pairing_miller_loop_n(&f, p, q, n);
    pairing_final_exp_cubed(&e, &f);
    return fp12_is_one(&e);
}

bool pairing_product_is_one_prepared(const g1_aff_t *p, const pairing_g2_lines *const *lines,
                                     size_t n) {
    fp12_t f, e;
    pairing_miller_loop_n_prepared(&f, p, lines, n);
    pairing_final_exp_cubed(&e, &f);
    return fp12_is_one(&e);
}
