/*
 * msm/recode.c — the GLV split and the window arithmetic of msm/msm_recode.h.
 *
 * GLV (Gallant–Lambert–Vanstone 2001). On G1, φ(x, y) = (βx, y) acts as [λ] with
 * λ = -z² mod r (see curve/g1.c). Each scalar k < r is split as k = k0 + q·z² with
 * k0 < z² < 2^128 and q ≤ (r-1)/z² = z² - 1 (g1_glv_split, curve/g1.c), then balanced
 * into magnitudes of at most 2^127 with signs (msm_glv_split).
 */
#include "msm/msm_recode.h"

/* β in Montgomery form: the same cube root of unity as curve/g1.c's G1_BETA, for which
 * φ(x, y) = (βx, y) is [-z²] on G1 (the tests check the MSM against plain scalar
 * multiplication, which would catch the other root). */
const fp_t MSM_BETA = {{0x30f1361b798a64e8ULL, 0xf3b8ddab7ece5a2aULL, 0x16a8ca3ac61577f7ULL,
                        0xc26a2ff874fd029bULL, 0x3636b76660701c6eULL, 0x051ba4ab241b6160ULL}};

/* z² = 0xac45a4010001a4020000000100000000. */
static const uint64_t MSM_Z2[2] = {0x0000000100000000ULL, 0xac45a4010001a402ULL};

/* The largest digit of the top window: a full window when c divides 128; else the top
 * window holds the magnitude's bits from c·(nwin-1) (at most 2^127 >> that) plus a carry.
 * For most c that is a handful of values (c = 6: at most 3). */
size_t msm_glv_top_max(unsigned c) {
    size_t nwin = msm_glv_windows(c), nb = (size_t)1 << (c - 1);
    if (MSM_HALF_BITS % c == 0) return nb;
    unsigned shift = c * (unsigned)(nwin - 1);
    size_t top = (size_t)(((unsigned __int128)1 << 127) >> shift) + 1;
    return top < nb ? top : nb;
}

static inline bool u128_ge_top(const uint64_t v[2]) { return v[1] >> 63; } /* v ≥ 2^127 */

/* a = b - a, two limbs (b ≥ a). */
static inline void u128_rsub(uint64_t a[2], const uint64_t b[2]) {
    unsigned __int128 x = (((unsigned __int128)b[1] << 64) | b[0]) - (((unsigned __int128)a[1] << 64) | a[0]);
    a[0] = (uint64_t)x;
    a[1] = (uint64_t)(x >> 64);
}

/* The curve layer's split (g1_glv_split: a Barrett step and at most two corrections), then
 * balanced with the two short vectors of the lattice {(a, b): a + b·z² ≡ 0 mod r}:
 * v2 = (1, z² - 1) (1 + (z² - 1)·z² = r) and v1 = (z², -1).
 *  - q ≥ 2^127: (k0, q) -= v2, so q becomes q - (z² - 1) ∈ [2^127 - z² + 1, 0] (q ≤ z² - 1):
 *    magnitude (z² - 1) - q < 2^126, negative; k0 becomes k0 - 1 (−1 when k0 was 0).
 *  - then k0 ≥ 2^127 (k0 < z², so k0 was not decremented below 0): (k0, q) -= v1, so k0
 *    becomes k0 - z² ∈ [2^127 - z², 0): magnitude z² - k0 < 2^126, negative; q grows by 1,
 *    to at most 2^127 (it was below 2^127, or ≤ 0 after the first step).
 * So both magnitudes are at most 2^127 (msm_recode.h says why that matters). */
void msm_glv_split(msm_half *h, const uint64_t k[4]) {
    static const uint64_t Z2M1[2] = {0x00000000ffffffffULL, 0xac45a4010001a402ULL}; /* z² - 1 */
    g1_glv_split(h->k0, h->q, k);
    h->neg = 0;
    if (u128_ge_top(h->q)) {
        u128_rsub(h->q, Z2M1); /* (z² - 1) - q */
        h->neg |= 2;
        if (!h->k0[0] && !h->k0[1]) {
            h->k0[0] = 1; /* 0 - 1 */
            h->neg |= 1;
        } else if (h->k0[0]-- == 0) {
            h->k0[1]--;
        }
    }
    if (!(h->neg & 1) && u128_ge_top(h->k0)) {
        u128_rsub(h->k0, MSM_Z2); /* z² - k0 */
        h->neg |= 1;
        /* q + 1: -|q| + 1 when negative, where |q| ≥ 1 (|q| = 0 only for q = z² - 1,
         * which forces k0 = 0, made negative above, so this branch is not taken). */
        if (h->neg & 2) {
            if (h->q[0]-- == 0) h->q[1]--;
        } else if (++h->q[0] == 0) {
            h->q[1]++;
        }
    }
}
