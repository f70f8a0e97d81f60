/*
 * test_eip4844_decode — a blob's decoding into plain integers and the sum of its elements
 * (eip4844/decode.c), and a cell's (decode_fr_array_raw), on the AVX2 path (where the CPU
 * has it) and the scalar one, with and without the sum: the same
 * integers as a byte-by-byte big-endian read, the sum equal to the elements added with
 * fr_add, and the first element that is not canonical reported (its index in the detail)
 * for every kind of such element — r itself, r + 1, a top word above r's, a top word at or
 * above 2^63 (where a signed comparison would be wrong), all-ones — at the first, a middle
 * and the last position, after canonical elements whose top word equals r's (r − 1).
 */
#include <stdlib.h>

#include "eip4844/decode.h"
#include "testrand.h"

static void put_be(uint8_t *b, const uint64_t l[4]) {
    for (int k = 0; k < 4; k++)
        for (int j = 0; j < 8; j++) b[(3 - k) * 8 + j] = (uint8_t)(l[k] >> (56 - 8 * j));
}

/* < r: random words, the top one below r's; with top_eq, one in 16 has r's top word. */
static void rand_elem(uint64_t l[4], bool top_eq) {
    for (int k = 0; k < 4; k++) l[k] = testrand_u64();
    if (top_eq && testrand_range(16) == 0) {
        memcpy(l, FR_R, 32);
        l[0] -= 1 + testrand_range(1000); /* top word equal to r's, still < r */
    } else {
        l[3] %= FR_R[3];
    }
}

/* Both paths on blob: the same status, integers, sum; returns the status. */
static kzg_status both(const kzg_blob *blob, msm_scalar *a, msm_scalar *b) {
    fr_t sa, sb;
    kzg_status st_v = decode_blob_raw_sum_with(a, &sa, blob, "blob", 7, true);
    char dv[256];
    snprintf(dv, sizeof dv, "%s", kzg_last_error());
    kzg_status st_s = decode_blob_raw_sum_with(b, &sb, blob, "blob", 7, false);
    CHECK(st_v == st_s, "the paths disagree on the status: %d / %d", (int)st_v, (int)st_s);
    if (st_v == KZG_OK && st_s == KZG_OK) {
        CHECK(memcmp(a, b, KZG_FIELD_ELEMENTS_PER_BLOB * sizeof *a) == 0, "the paths decode differently");
        CHECK(memcmp(&sa, &sb, sizeof sa) == 0, "the paths sum differently");
    } else {
        CHECK(strcmp(dv, kzg_last_error()) == 0, "the details differ: '%s' / '%s'", dv, kzg_last_error());
    }
    return st_v;
}

int main(void) {
    testrand_init("test_eip4844_decode");
    kzg_blob *blob = malloc(sizeof *blob);
    msm_scalar *a = malloc(KZG_FIELD_ELEMENTS_PER_BLOB * sizeof *a);
    msm_scalar *b = malloc(KZG_FIELD_ELEMENTS_PER_BLOB * sizeof *b);
    uint64_t (*want)[4] = malloc(KZG_FIELD_ELEMENTS_PER_BLOB * sizeof *want);
    if (!blob || !a || !b || !want) return 1;
    long trials = test_iters(6);
    for (long t = 0; t < trials; t++) {
        fr_t sum = FR_ZERO;
        for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) {
            if (t == 0) { /* all r − 1: the largest sum */
                memcpy(want[i], FR_R, 32);
                want[i][0] -= 1;
            } else if (t == 1) {
                memset(want[i], 0, 32);
            } else {
                rand_elem(want[i], true);
            }
            put_be(blob->bytes + 32 * i, want[i]);
            fr_t e;
            memcpy(e.l, want[i], 32);
            fr_add(&sum, &sum, &e); /* plain values: fr_add is addition mod r on them too */
        }
        CHECK(both(blob, a, b) == KZG_OK, "trial %ld: a canonical blob rejected", t);
        bool same = true;
        for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) same &= memcmp(a[i].l, want[i], 32) == 0;
        CHECK(same, "trial %ld: the integers are not the big-endian reading", t);
        fr_t got;
        CHECK(decode_blob_raw_sum(a, &got, blob, "blob", 7) == KZG_OK && memcmp(&got, &sum, sizeof got) == 0,
              "trial %ld: the sum is not the elements' sum mod r", t);
        /* Without the sum, on both paths; and the cells' form (decode_fr_array_raw). */
        CHECK(decode_blob_raw_sum_with(b, NULL, blob, "blob", 7, false) == KZG_OK &&
                  memcmp(a, b, KZG_FIELD_ELEMENTS_PER_BLOB * sizeof *a) == 0,
              "trial %ld: the scalar path without a sum decodes differently", t);
        CHECK(decode_blob_raw(b, blob, "blob", 7) == KZG_OK &&
                  memcmp(a, b, KZG_FIELD_ELEMENTS_PER_BLOB * sizeof *a) == 0,
              "trial %ld: decode_blob_raw decodes differently", t);
        CHECK(decode_fr_array_raw(b, blob->bytes + 32 * 64, 64, "cells", 3) == KZG_OK &&
                  memcmp(a + 64, b, 64 * sizeof *b) == 0,
              "trial %ld: decode_fr_array_raw decodes differently", t);
    }
    /* Not canonical: each kind at three positions, in a blob whose other top words are all
     * below r's (the AVX2 path's flag then rests on the bad element alone) and in one with
     * canonical elements r − 1 about (one just before). */
    uint64_t bad[5][4];
    memcpy(bad[0], FR_R, 32);
    memcpy(bad[1], FR_R, 32);
    bad[1][0] += 1;
    memcpy(bad[2], FR_R, 32);
    bad[2][3] += 1;
    bad[2][0] = 0;
    bad[3][0] = bad[3][1] = bad[3][2] = 0;
    bad[3][3] = 1ULL << 63;
    memset(bad[4], 0xff, 32);
    const size_t at[3] = {0, 2049, KZG_FIELD_ELEMENTS_PER_BLOB - 1};
    for (int k = 0; k < 5; k++)
        for (int p = 0; p < 6; p++) {
            const bool busy = p >= 3;
            for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) {
                uint64_t l[4];
                rand_elem(l, busy);
                if (busy && i + 1 == at[p % 3]) {
                    memcpy(l, FR_R, 32);
                    l[0] -= 1;
                }
                put_be(blob->bytes + 32 * i, i == at[p % 3] ? bad[k] : l);
            }
            if (p % 3 == 0) put_be(blob->bytes + 32 * 3000, bad[(k + 1) % 5]); /* a later one too */
            CHECK(both(blob, a, b) == KZG_ERR_SCALAR_NONCANONICAL, "kind %d at %zu accepted", k, at[p % 3]);
            char w[80];
            snprintf(w, sizeof w, "blob[7]: field element %zu is not canonical", at[p % 3]);
            CHECK(strstr(kzg_last_error(), w) != NULL, "kind %d: detail '%s'", k, kzg_last_error());
            if (p % 3 == 1) { /* the cells' form names its cell and the element within it */
                CHECK(decode_fr_array_raw(b, blob->bytes + 32 * 2048, 64, "cells", 5) == KZG_ERR_SCALAR_NONCANONICAL &&
                          strstr(kzg_last_error(), "cells[5]: field element 1 is not canonical") != NULL,
                      "kind %d: a cell's element: '%s'", k, kzg_last_error());
            }
        }
    free(blob);
    free(a);
    free(b);
    free(want);
    return test_report();
}
