/*
 * testblob.h — random valid blobs for the tests: 4096 field elements, each a random 32-byte
 * string reduced modulo r (so always canonical), drawn from testrand.h's seeded stream.
 * `edge` draws the bytes edge-biased (runs of 0/1 bits: elements near 0, near r, with long
 * runs of equal limbs) instead of uniform.
 */
#ifndef KZGKIT_TEST_TESTBLOB_H
#define KZGKIT_TEST_TESTBLOB_H

#include <stdbool.h>

#include "field/fr.h"
#include "kzgkit.h"
#include "testrand.h"

static inline void testrand_blob(kzg_blob *b, bool edge) {
    for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) {
        fr_t x;
        uint8_t r[32];
        if (edge) testrand_bytes_edge(r, 32);
        else testrand_bytes(r, 32);
        fr_from_bytes_be_reduce(&x, r);
        fr_to_bytes_be(b->bytes + 32 * i, &x);
    }
}

#endif
