/*
 * bench/bench_rng.h — the benchmarks' deterministic inputs: xoshiro128** seeded by
 * splitmix32, and canonical field elements drawn from it. bench_eip4844 and bench_eip7594
 * share it so that the same --seed gives the same blobs in both (bench/peers relies on it).
 * Not for anything secret.
 */
#ifndef KZGKIT_BENCH_RNG_H
#define KZGKIT_BENCH_RNG_H

#include <stdint.h>

typedef struct rng { uint32_t s[4]; } rng;

static uint32_t splitmix32(uint32_t *x) {
    uint32_t z = (*x += 0x9e3779b9u);
    z = (z ^ (z >> 16)) * 0x85ebca6bu;
    z = (z ^ (z >> 13)) * 0xc2b2ae35u;
    return z ^ (z >> 16);
}

static void rng_seed(rng *r, uint32_t seed) {
    for (int i = 0; i < 4; i++) r->s[i] = splitmix32(&seed);
}

static uint32_t rotl32(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

/* xoshiro128** (Blackman and Vigna). */
static uint32_t rng_next(rng *r) {
    uint32_t *s = r->s, result = rotl32(s[1] * 5, 7) * 9, t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl32(s[3], 11);
    return result;
}

/* A canonical field element: 8 big-endian words, the top byte below 0x40 (< r). */
static void rng_field_element(rng *r, uint8_t out[32]) {
    for (int i = 0; i < 8; i++) {
        uint32_t v = rng_next(r);
        out[4 * i] = (uint8_t)(v >> 24);
        out[4 * i + 1] = (uint8_t)(v >> 16);
        out[4 * i + 2] = (uint8_t)(v >> 8);
        out[4 * i + 3] = (uint8_t)v;
    }
    out[0] &= 0x3f;
}

#endif /* KZGKIT_BENCH_RNG_H */
