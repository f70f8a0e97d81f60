/*
 * field/fp_modinv.c — variable-time safegcd inversion on signed 62-bit limbs.
 *
 * Notation (Bernstein–Yang, TCHES 2019(3), §8): one divstep maps (δ, f, g), f odd, to
 *   (1 − δ, g, (g − f)/2)   if δ > 0 and g odd,
 *   (1 + δ, f, (g + f)/2)   if δ ≤ 0 and g odd,
 *   (1 + δ, f, g/2)         if g even.
 * We track η = −δ. Starting from f = M, g = x, the iteration reaches g = 0 with f = ±gcd.
 * 62 divsteps at a time are applied to the low 64 bits of f and g only, producing a 2×2
 * matrix T with 2^62·(f', g') = T·(f, g); the full-length f, g and the Bézout-like
 * companions d, e (invariant: d·x ≡ f, e·x ≡ g mod M) are then updated with T.
 * At the end x^-1 = ±d. Every matrix entry satisfies |u| + |v| ≤ 2^62 and |q| + |r| ≤ 2^62
 * (each divstep at most doubles the row sums), so all products fit in signed 128 bits.
 *
 * Signed values are held as little-endian 62-bit limbs: limbs 0..n−2 in [0, 2^62), the top
 * limb signed. Right shifts of negative values rely on the arithmetic shift every
 * supported compiler (gcc, clang) implements; left shifts go through uint64_t.
 */
#include "field/fp_modinv.h"

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

#define M62 ((uint64_t)0x3fffffffffffffffULL)

typedef struct {
    int64_t u, v, q, r;
} trans;

/* -g/f mod 2^6 for odd f: f·(2 − f²) is f^-1 mod 2^6 (one Newton step from f^-1 ≡ f mod 8). */
static inline uint64_t neg_g_over_f_mod64(uint64_t f, uint64_t g) {
    return (f * g * (f * f - 2)) & 63;
}

/* Applies 62 divsteps to (eta, f, g) seen through their low 64 bits; returns the new eta.
 * Several steps run per loop turn: runs of zeros in g are shifted out at once, and up to
 * min(η + 1, remaining, 6) consecutive "add f" steps are folded into g += w·f. */
static int64_t divsteps_62_var(int64_t eta, uint64_t f, uint64_t g, trans *t) {
    /* (f, g)·2^(62−i) = (u·f0 + v·g0, q·f0 + r·g0); all in wrapping uint64_t arithmetic,
     * the true values fit in int64_t by the bound above. */
    uint64_t u = 1, v = 0, q = 0, r = 1;
    int i = 62;
    for (;;) {
        int zeros = __builtin_ctzll(g | (UINT64_MAX << i)); /* ≤ i, since bit i is set */
        g >>= zeros;
        u <<= zeros;
        v <<= zeros;
        eta -= zeros;
        i -= zeros;
        if (i == 0) break;
        /* g is odd here. */
        if (eta < 0) {
            uint64_t tmp;
            eta = -eta;
            tmp = f; f = g; g = -tmp;
            tmp = u; u = q; q = -tmp;
            tmp = v; v = r; r = -tmp;
        }
        int limit = (eta + 1) > i ? i : (int)(eta + 1);
        uint64_t mask = (UINT64_MAX >> (64 - limit)) & 63;
        uint64_t w = neg_g_over_f_mod64(f, g) & mask;
        g += f * w;
        q += u * w;
        r += v * w;
    }
    t->u = (int64_t)u;
    t->v = (int64_t)v;
    t->q = (int64_t)q;
    t->r = (int64_t)r;
    return eta;
}

/* (f, g) = T·(f, g) / 2^62 on the first `len` limbs (exact division). */
static void update_fg_var(int len, int64_t *f, int64_t *g, const trans *t) {
    i128 cf = (i128)t->u * f[0] + (i128)t->v * g[0];
    i128 cg = (i128)t->q * f[0] + (i128)t->r * g[0];
    cf >>= 62;
    cg >>= 62;
    for (int k = 1; k < len; k++) {
        cf += (i128)t->u * f[k] + (i128)t->v * g[k];
        cg += (i128)t->q * f[k] + (i128)t->r * g[k];
        f[k - 1] = (int64_t)((uint64_t)cf & M62);
        g[k - 1] = (int64_t)((uint64_t)cg & M62);
        cf >>= 62;
        cg >>= 62;
    }
    f[len - 1] = (int64_t)cf;
    g[len - 1] = (int64_t)cg;
}

/* d += s·M for s in {−1, +1}, renormalising the limbs. */
static void add_signed_modulus(int64_t *d, int64_t s, const fp_modinv_modulus *mod) {
    int n = mod->n62;
    i128 c = 0;
    for (int k = 0; k < n - 1; k++) {
        c += (i128)d[k] + (i128)s * mod->m[k];
        d[k] = (int64_t)((uint64_t)c & M62);
        c >>= 62;
    }
    d[n - 1] = (int64_t)(c + d[n - 1] + (i128)s * mod->m[n - 1]);
}

/* true when d ≥ M (d non-negative, normalised limbs). */
static int ge_modulus(const int64_t *d, const fp_modinv_modulus *mod) {
    for (int k = mod->n62 - 1; k >= 0; k--) {
        if (d[k] != mod->m[k]) return d[k] > mod->m[k];
    }
    return 1;
}

/* (d, e) = T·(d, e) / 2^62 mod M, for d, e in [0, M) on entry and on exit.
 * A multiple md·M (resp. me·M), 0 ≤ md < 2^62, is added to make the low 62 bits vanish;
 * with |u| + |v| ≤ 2^62 the quotient lies in (−M, 2M) and one correction brings it back. */
static void update_de(int64_t *d, int64_t *e, const trans *t, const fp_modinv_modulus *mod) {
    int n = mod->n62;
    i128 cd = (i128)t->u * d[0] + (i128)t->v * e[0];
    i128 ce = (i128)t->q * d[0] + (i128)t->r * e[0];
    int64_t md = (int64_t)((-((uint64_t)cd * mod->m_inv62)) & M62);
    int64_t me = (int64_t)((-((uint64_t)ce * mod->m_inv62)) & M62);
    cd += (i128)md * mod->m[0];
    ce += (i128)me * mod->m[0];
    cd >>= 62;
    ce >>= 62;
    for (int k = 1; k < n; k++) {
        cd += (i128)t->u * d[k] + (i128)t->v * e[k] + (i128)md * mod->m[k];
        ce += (i128)t->q * d[k] + (i128)t->r * e[k] + (i128)me * mod->m[k];
        d[k - 1] = (int64_t)((uint64_t)cd & M62);
        e[k - 1] = (int64_t)((uint64_t)ce & M62);
        cd >>= 62;
        ce >>= 62;
    }
    d[n - 1] = (int64_t)cd;
    e[n - 1] = (int64_t)ce;
    if (d[n - 1] < 0) add_signed_modulus(d, 1, mod);
    else if (ge_modulus(d, mod)) add_signed_modulus(d, -1, mod);
    if (e[n - 1] < 0) add_signed_modulus(e, 1, mod);
    else if (ge_modulus(e, mod)) add_signed_modulus(e, -1, mod);
}

/* Word w exists: every 62-bit limb starts inside the input (fp_modinv.h). */
static void to_s62(int64_t *out, const uint64_t *in, int n64, int n62) {
    for (int k = 0; k < n62; k++) {
        int bit = 62 * k, w = bit / 64, off = bit % 64;
        uint64_t x = in[w] >> off;
        if (off > 2 && w + 1 < n64) x |= in[w + 1] << (64 - off);
        out[k] = (int64_t)(x & M62);
    }
}

/* in: normalised non-negative limbs. */
static void from_s62(uint64_t *out, const int64_t *in, int n64, int n62) {
    u128 acc = 0;
    int bits = 0, k = 0;
    for (int w = 0; w < n64; w++) {
        while (bits < 64 && k < n62) {
            acc |= (u128)(uint64_t)in[k] << bits;
            bits += 62;
            k++;
        }
        out[w] = (uint64_t)acc;
        acc >>= 64;
        bits -= 64;
    }
}

void fp_modinv_var(uint64_t *out, const uint64_t *in, const fp_modinv_modulus *mod) {
    int64_t f[FP_MODINV_MAX_LIMBS], g[FP_MODINV_MAX_LIMBS];
    int64_t d[FP_MODINV_MAX_LIMBS] = {0}, e[FP_MODINV_MAX_LIMBS] = {0};
    int n = mod->n62, len = n;
    int64_t eta = -1; /* δ = 1, as in the paper's initial state */
    uint64_t nz = 0;

    for (int k = 0; k < mod->n64; k++) nz |= in[k];
    if (nz == 0) {
        for (int k = 0; k < mod->n64; k++) out[k] = 0;
        return;
    }
    for (int k = 0; k < n; k++) f[k] = mod->m[k];
    to_s62(g, in, mod->n64, n);
    e[0] = 1;

    for (;;) {
        trans t;
        eta = divsteps_62_var(eta, (uint64_t)f[0] | ((uint64_t)f[1] << 62),
                              (uint64_t)g[0] | ((uint64_t)g[1] << 62), &t);
        update_de(d, e, &t, mod);
        update_fg_var(len, f, g, &t);

        /* g = 0 ends it (variable time: the loop count depends on x). */
        if (g[0] == 0) {
            int64_t any = 0;
            for (int k = 1; k < len; k++) any |= g[k];
            if (any == 0) break;
        }
        /* Shrink when both top limbs are pure sign (0 or −1): fold them into the limb below. */
        int64_t fn = f[len - 1], gn = g[len - 1];
        if (len > 2 && (fn == 0 || fn == -1) && (gn == 0 || gn == -1)) {
            f[len - 2] = (int64_t)((uint64_t)f[len - 2] | ((uint64_t)fn << 62));
            g[len - 2] = (int64_t)((uint64_t)g[len - 2] | ((uint64_t)gn << 62));
            len--;
        }
    }
    /* f = ±1 now (M prime, 0 < x < M); x^-1 = d·f. */
    if (f[len - 1] < 0) {
        /* d := M − d (d ≠ 0 since x is invertible). */
        for (int k = 0; k < n; k++) d[k] = -d[k];
        /* renormalise −d then add M */
        i128 c = 0;
        for (int k = 0; k < n - 1; k++) {
            c += (i128)d[k] + mod->m[k];
            d[k] = (int64_t)((uint64_t)c & M62);
            c >>= 62;
        }
        d[n - 1] = (int64_t)(c + d[n - 1] + mod->m[n - 1]);
    }
    from_s62(out, d, mod->n64, n);
}
