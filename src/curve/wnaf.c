/*
 * curve/wnaf.c — width-w non-adjacent form recoding for the variable-time scalar
 * multiplications of G1 and G2 (see curve_internal.h).
 */
#include "curve/curve_internal.h"

size_t curve_bit_length(const uint64_t *k, size_t n) {
    while (n > 0 && k[n - 1] == 0) n--;
    if (n == 0) return 0;
    uint64_t top = k[n - 1];
    size_t b = 0;
    while (top) {
        b++;
        top >>= 1;
    }
    return 64 * (n - 1) + b;
}

/* Bits [pos, pos + cnt) of k as an integer; bits past the end read as zero. cnt <= 8. */
static unsigned get_bits(const uint64_t *k, size_t n, size_t pos, unsigned cnt) {
    size_t limb = pos / 64;
    unsigned off = (unsigned)(pos % 64);
    if (limb >= n) return 0;
    uint64_t v = k[limb] >> off;
    if (off + cnt > 64 && limb + 1 < n) v |= k[limb + 1] << (64 - off);
    return (unsigned)(v & ((1u << cnt) - 1));
}

size_t curve_wnaf_var(int8_t *digits, const uint64_t *k, size_t n, unsigned w) {
    size_t nbits = curve_bit_length(k, n);
    memset(digits, 0, nbits + 1);
    size_t bit = 0, len = 0;
    unsigned carry = 0;
    /* Scan from the bottom. A window starts where (bit + carry) is odd; its value
     * word = bits[bit, bit+w) + carry is then odd and < 2^w, and a word ≥ 2^(w-1) becomes
     * the negative digit word - 2^w with a carry into the next window. A window reaching
     * past the top bit has its bit w-1 clear, so no digit lands above index nbits. */
    while (bit < nbits || carry) {
        if (get_bits(k, n, bit, 1) == carry) {
            bit++;
            continue;
        }
        int word = (int)(get_bits(k, n, bit, w) + carry);
        carry = ((unsigned)word >> (w - 1)) & 1u;
        word -= (int)(carry << w);
        digits[bit] = (int8_t)word;
        len = bit + 1;
        bit += w;
    }
    return len;
}

unsigned curve_wnaf_width(size_t bits) {
    /* Cost ≈ 2^(w-2) table additions + bits/(w+1) additions. */
    if (bits <= 24) return 2;
    if (bits <= 64) return 3;
    if (bits <= 160) return 4;
    return 5;
}
