/*
 * field/limb.h — 64-bit limb helpers shared by the portable Fp and Fr code.
 * Internal to the field layer; branch-free, with the carry recovered by comparison.
 */
#ifndef KZGKIT_FIELD_LIMB_H
#define KZGKIT_FIELD_LIMB_H

#include <stdint.h>

/* x + y + *c; *c in {0, 1} on entry and on return. */
static inline uint64_t limb_adc(uint64_t x, uint64_t y, uint64_t *c) {
    uint64_t s = x + y;
    uint64_t c1 = s < x;
    uint64_t u = s + *c;
    *c = c1 | (u < s);
    return u;
}

/* x − y − *b; *b in {0, 1} on entry and on return. */
static inline uint64_t limb_sbb(uint64_t x, uint64_t y, uint64_t *b) {
    uint64_t d = x - y;
    uint64_t b1 = x < y;
    uint64_t u = d - *b;
    *b = b1 | (d < *b);
    return u;
}

#endif
