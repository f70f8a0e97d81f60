/*
 * msm/recode.c — the GLV split and the window arithmetic of msm/msm_recode.h.
 *
 * GLV (Gallant–Lambert–Vanstone 2001). On G1, φ(x, y) = (βx, y) acts as [λ] with
 * λ = -z² mod r (see curve/g1.c). Each scalar k < r is split as k = k0 + q·z² with
 * k0 < z² < 2^128 and q < 2^128: the division by z² is a Barrett step with the precomputed
 * floor(2^256/z²) and at most two corrections.
 */
#include "msm/msm_recode.h"

/* β in Montgomery form: the same cube root of unity as curve/g1.c's G1_BETA, for which
 * φ(x, y) = (βx, y) is [-z²] on G1 (the tests check the MSM against plain scalar
 * multiplication, which would catch the other root). */
const fp_t MSM_BETA = {{0x30f1361b798a64e8ULL, 0xf3b8ddab7ece5a2aULL, 0x16a8ca3ac61577f7ULL,
                        0xc26a2ff874fd029bULL, 0x3636b76660701c6eULL, 0x051ba4ab241b6160ULL}};

/* z² = 0xac45a4010001a4020000000100000000 and floor(2^256 / z²) (129 bits). */
static const uint64_t MSM_Z2[2] = {0x0000000100000000ULL, 0xac45a4010001a402ULL};
static const uint64_t MSM_Z2_RECIP[3] = {0x63f6e522f6cfee2eULL, 0x7c6becf1e01faaddULL, 1};

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

/* k = k0 + q·z² with k0 < z²: q = floor(k·floor(2^256/z²) / 2^256) is at most 2 below the
 * true quotient (the reciprocal is short by < 1 and k < 2^256), then corrected. */
void msm_glv_split(msm_half *h, const uint64_t k[4]) {
    uint64_t prod[7] = {0};
    for (int i = 0; i < 4; i++) {
        unsigned __int128 carry = 0;
        for (int j = 0; j < 3; j++) {
            carry += (unsigned __int128)k[i] * MSM_Z2_RECIP[j] + prod[i + j];
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
                carry += (unsigned __int128)qq[i] * MSM_Z2[j] + qd[i + j];
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
        bool ge = rem[3] || rem[2] || rem[1] > MSM_Z2[1] || (rem[1] == MSM_Z2[1] && rem[0] >= MSM_Z2[0]);
        if (!ge) break;
        unsigned __int128 d0 = (unsigned __int128)rem[0] - MSM_Z2[0];
        rem[0] = (uint64_t)d0;
        unsigned __int128 d1 = (unsigned __int128)rem[1] - MSM_Z2[1] - ((d0 >> 64) ? 1 : 0);
        rem[1] = (uint64_t)d1;
        uint64_t b = (d1 >> 64) ? 1 : 0;
        unsigned __int128 d2 = (unsigned __int128)rem[2] - b;
        rem[2] = (uint64_t)d2;
        rem[3] -= (d2 >> 64) ? 1 : 0;
        if (++q0 == 0) q1++;
    }
    h->k0[0] = rem[0];
    h->k0[1] = rem[1];
    h->q[0] = q0;
    h->q[1] = q1;
}
