/*
 * msm/msm.c — Pippenger's bucket method with signed digits (variable base, variable time).
 *
 * Each scalar s < r < 2^255 is rewritten as Σ_w d_w·2^(c·w) with digits
 * d_w ∈ [-2^(c-1), 2^(c-1)] (a digit above 2^(c-1) borrows 2^c from the next window), so a
 * window needs only 2^(c-1) buckets: a negative digit adds the negated point, which is free
 * in affine form. Per window: one mixed addition per non-zero digit into its bucket, then the
 * running-sum reduction Σ_j j·B_j with 2·2^(c-1) additions; windows are combined top-down
 * with c doublings between them (Bernstein et al., "Faster batch forgery identification",
 * 2012, §4; the signed-digit variant as in many implementations).
 *
 * Window count: nwin = floor(255/c) + 1. The top window holds the 255 mod c < c top bits
 * (at most 2^(c-1) - 1 in value) plus a carry of at most 1, so it never carries out.
 */
#include "msm/msm.h"

#define MSM_SCALAR_BITS 255
#define MSM_MAX_WINDOW 15 /* digits are int16_t: |d| <= 2^(c-1) must fit */

typedef int16_t msm_digit;

unsigned g1_msm_window_bits(size_t n) {
    unsigned lg = 0;
    while (lg < 63 && ((size_t)1 << (lg + 1)) <= n) lg++; /* floor(log2 n) */
    /* Cost ≈ (255/c)·(n + 2^c) additions; c ≈ log2(n) - 2 is near its minimum (for
     * n = 4096: c = 9, 10, 11 cost 134k, 133k, 147k). Tuning by measurement is later work. */
    unsigned c = lg > 4 ? lg - 2 : 2;
    if (c > MSM_MAX_WINDOW) c = MSM_MAX_WINDOW;
    return c;
}

static size_t msm_windows(unsigned c) { return MSM_SCALAR_BITS / c + 1; }

size_t g1_msm_scratch_size(size_t n) {
    if (n == 0) return 0;
    unsigned c = g1_msm_window_bits(n);
    size_t nwin = msm_windows(c);
    size_t buckets = (size_t)1 << (c - 1);
    /* Overflow is impossible for any n that fits in memory at all: the digit array is
     * ≤ 256·n bytes; a caller passing such n would fail its own allocation first. */
    return buckets * sizeof(g1_t) + n * nwin * sizeof(msm_digit);
}

/* Bits [pos, pos + c) of a 4-limb little-endian integer (bits past 255 read as 0). */
static unsigned scalar_bits(const uint64_t raw[4], unsigned pos, unsigned c) {
    unsigned limb = pos / 64, off = pos % 64;
    if (limb >= 4) return 0;
    uint64_t v = raw[limb] >> off;
    if (off + c > 64 && limb + 1 < 4) v |= raw[limb + 1] << (64 - off);
    return (unsigned)(v & (((uint64_t)1 << c) - 1));
}

/* digits[w·n + i] = signed digit w of scalar i. */
static void msm_digits(msm_digit *digits, const fr_t *scalars, size_t n, unsigned c,
                       size_t nwin) {
    const int half = 1 << (c - 1), full = 1 << c;
    for (size_t i = 0; i < n; i++) {
        uint64_t raw[4];
        fr_to_raw(raw, &scalars[i]);
        int carry = 0;
        for (size_t w = 0; w < nwin; w++) {
            int d = (int)scalar_bits(raw, (unsigned)(w * c), c) + carry;
            carry = 0;
            if (d > half) {
                d -= full;
                carry = 1;
            }
            digits[w * n + i] = (msm_digit)d;
        }
    }
}

void g1_msm_var(g1_t *out, const g1_aff_t *points, const fr_t *scalars, size_t n, void *scratch) {
    g1_set_inf(out);
    if (n == 0) return;

    const unsigned c = g1_msm_window_bits(n);
    const size_t nwin = msm_windows(c);
    const size_t nbuckets = (size_t)1 << (c - 1);
    g1_t *buckets = scratch;
    msm_digit *digits = (msm_digit *)(buckets + nbuckets);

    msm_digits(digits, scalars, n, c, nwin);

    g1_t acc, sum, res;
    g1_set_inf(&res);
    for (size_t w = nwin; w-- > 0;) {
        if (!g1_is_inf(&res))
            for (unsigned k = 0; k < c; k++) g1_dbl(&res, &res);

        for (size_t j = 0; j < nbuckets; j++) g1_set_inf(&buckets[j]);
        const msm_digit *dw = digits + w * n;
        bool any = false;
        for (size_t i = 0; i < n; i++) {
            int d = dw[i];
            if (d == 0 || g1_aff_is_inf(&points[i])) continue;
            any = true;
            if (d > 0) {
                g1_add_aff(&buckets[d - 1], &buckets[d - 1], &points[i]);
            } else {
                g1_aff_t neg;
                g1_aff_neg(&neg, &points[i]);
                g1_add_aff(&buckets[-d - 1], &buckets[-d - 1], &neg);
            }
        }
        if (!any) continue;

        /* Σ_j (j+1)·B_j by running sums, from the top bucket down. */
        g1_set_inf(&sum);
        g1_set_inf(&acc);
        for (size_t j = nbuckets; j-- > 0;) {
            if (!g1_is_inf(&buckets[j])) g1_add(&sum, &sum, &buckets[j]);
            if (!g1_is_inf(&sum)) g1_add(&acc, &acc, &sum);
        }
        g1_add(&res, &res, &acc);
    }
    *out = res;
}
