/*
 * msm/recode.c — the GLV split and the window arithmetic of msm/msm_recode.h.
 *
 * GLV (Gallant–Lambert–Vanstone 2001). On G1, φ(x, y) = (βx, y) acts as [λ] with
 * λ = -z² mod r (see curve/g1.c). Each scalar k < r is split as k = k0 + q·z² with
 * k0 < z² < 2^128 and q < 2^128 (g1_glv_split, curve/g1.c).
 */
#include "msm/msm_recode.h"

/* β in Montgomery form: the same cube root of unity as curve/g1.c's G1_BETA, for which
 * φ(x, y) = (βx, y) is [-z²] on G1 (the tests check the MSM against plain scalar
 * multiplication, which would catch the other root). */
const fp_t MSM_BETA = {{0x30f1361b798a64e8ULL, 0xf3b8ddab7ece5a2aULL, 0x16a8ca3ac61577f7ULL,
                        0xc26a2ff874fd029bULL, 0x3636b76660701c6eULL, 0x051ba4ab241b6160ULL}};

/* z² = 0xac45a4010001a4020000000100000000. */
static const uint64_t MSM_Z2[2] = {0x0000000100000000ULL, 0xac45a4010001a402ULL};

/* The largest digit of the top window: both GLV halves are < z² (k0 by construction,
 * q ≤ (r-1)/z²), so it holds at most ((z² - 1) >> c·(nwin-1)) plus a carry. For most c that
 * is a handful of values (c = 8: only the carry). */
size_t msm_glv_top_max(unsigned c) {
    size_t nwin = msm_glv_windows(c), nb = (size_t)1 << (c - 1);
    unsigned shift = c * (unsigned)(nwin - 1);
    unsigned __int128 z2m1 = (((unsigned __int128)MSM_Z2[1] << 64) | MSM_Z2[0]) - 1;
    size_t top = (size_t)(shift >= 128 ? 0 : z2m1 >> shift) + 1;
    return top < nb ? top : nb;
}

/* The split is the curve layer's (g1_glv_split: a Barrett step and at most two corrections). */
void msm_glv_split(msm_half *h, const uint64_t k[4]) { g1_glv_split(h->k0, h->q, k); }
