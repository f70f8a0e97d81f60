/*
 * test_sha256_many — sha256_many (common/sha256.h) against one digest per message through
 * sha256_begin/add/end (OpenSSL): every count from 1 to 40 (one and several groups of
 * sixteen, groups below SHA256_MANY_WIDE_MIN that go one by one), pieces of 0..131,072
 * bytes that end at every offset of a 64-byte block (0, 1, 55, 56, 63, 64, 65, ...), one to
 * ten pieces (more than eight go one by one), messages that share their buffers; with
 * `wide` (the AVX-512F kernel, common/sha256_x16.c) where the CPU runs it, and without.
 * Then an injected failure of one message's digest: that message alone is zeroed and
 * reported.
 */
#include <stdlib.h>
#include <string.h>

#include "common/sha256.h"
#include "common/sha256_x16.h"
#include "testrand.h"

enum { MAX_COUNT = 40, MAX_PIECES = 10, BIG = 131072 };

/* Whether sha256_many's wide kernel can run here: built (x86-64) and AVX-512F present. */
static bool can_go_wide(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    return sha256_x16_built() && __builtin_cpu_supports("avx512f");
#else
    return false;
#endif
}

/* The reference: message i's pieces through the streaming interface. */
static void reference(uint8_t out[32], const uint8_t *const *pieces, const size_t *lens, size_t np) {
    sha256_stream s;
    sha256_begin(&s);
    for (size_t k = 0; k < np; k++) sha256_add(&s, pieces[k], lens[k]);
    CHECK(sha256_end(&s, out, "test") == KZG_OK, "reference digest");
}

static uint8_t *pool_bytes; /* MAX_COUNT·MAX_PIECES buffers of BIG + 64 random bytes */

static bool check_case(size_t count, const size_t *lens, size_t np, bool wide, bool shared) {
    const uint8_t *pieces[MAX_COUNT * MAX_PIECES];
    uint8_t out[MAX_COUNT][32], want[32];
    kzg_status st[MAX_COUNT];
    for (size_t i = 0; i < count; i++)
        for (size_t k = 0; k < np; k++) {
            size_t buf = shared ? k : i * MAX_PIECES + k; /* shared: every message the same */
            pieces[i * np + k] = pool_bytes + buf * (BIG + 64) + (i + k) % 64;
        }
    CHECK(sha256_many(out, st, count, pieces, lens, np, wide, "test") == KZG_OK, "sha256_many failed");
    for (size_t i = 0; i < count; i++) {
        reference(want, &pieces[i * np], lens, np);
        if (st[i] != KZG_OK || memcmp(out[i], want, 32) != 0) {
            fprintf(stderr, "  message %zu of %zu (%zu pieces, first %zu bytes, wide %d) differs\n", i,
                    count, np, lens[0], (int)wide);
            return false;
        }
    }
    return true;
}

static void test_sha256_many__matches_one_by_one(void) {
    static const size_t sizes[] = {0, 1, 3, 16, 32, 48, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, BIG};
    const bool have_wide = can_go_wide();
    long cases = 0;
    if (!have_wide) printf("  SKIP the wide kernel: not built here or no AVX-512F (one by one only)\n");
    for (int wide = 0; wide < 2; wide++) {
        if (wide && !have_wide) continue;
        /* Every count with the challenges' shape (16 + 16 + 131,072 + 48 bytes). */
        const size_t challenge[4] = {16, 16, BIG, 48};
        for (size_t count = 1; count <= MAX_COUNT; count++, cases++)
            CHECK(check_case(count, challenge, 4, wide, count % 7 == 0), "challenge shape, count %zu", count);
        /* Random shapes: 1..10 pieces of the sizes above (the big one at most once). */
        for (long r = 0; r < test_iters(60); r++, cases++) {
            size_t np = 1 + testrand_range(MAX_PIECES), lens[MAX_PIECES];
            for (size_t k = 0; k < np; k++) {
                lens[k] = sizes[testrand_range(KZG_ARRAY_LEN(sizes))];
                if (lens[k] == BIG && k) lens[k] = 200 + testrand_range(300);
            }
            size_t count = 1 + testrand_range(MAX_COUNT);
            CHECK(check_case(count, lens, np, wide, r % 5 == 0), "random shape %ld", r);
        }
    }
    /* No pieces at all: the digest of the empty message. */
    uint8_t out[16][32], want[32];
    kzg_status st[16];
    reference(want, NULL, NULL, 0);
    CHECK(sha256_many(out, st, 16, NULL, NULL, 0, have_wide, "test") == KZG_OK && !memcmp(out[15], want, 32),
          "empty messages");
    printf("  %ld cases (wide kernel %s)\n", cases, have_wide ? "included" : "skipped");
}

/* The k-th digest failing: message k-1 of a wide group, zeroed and reported; the others
 * intact. */
static void test_sha256_many__injected_failure(void) {
    const size_t lens[2] = {100, 7};
    const uint8_t *pieces[12 * 2];
    uint8_t out[12][32], want[32];
    kzg_status st[12];
    for (size_t i = 0; i < 12; i++) {
        pieces[2 * i] = pool_bytes + i * 200;
        pieces[2 * i + 1] = pool_bytes + 5000 + i;
    }
    for (int alloc = 0; alloc < 2; alloc++) {
        sha256_fail_alloc = alloc;
        sha256_fail_at = 4;
        kzg_status ret = sha256_many(out, st, 12, pieces, lens, 2, can_go_wide(), "who");
        CHECK(sha256_fail_at == 0, "the fault was not reached");
        sha256_fail_at = 0;
        CHECK(ret == (alloc ? KZG_ERR_MEMORY : KZG_ERR_INTERNAL) && strstr(kzg_last_error(), "who: ") &&
                  strstr(kzg_last_error(), "SHA-256"),
              "status %d, detail '%s'", (int)ret, kzg_last_error());
        for (size_t i = 0; i < 12; i++) {
            if (i == 3) {
                CHECK(st[i] == ret && !memcmp(out[i], (uint8_t[32]){0}, 32), "message 3 not failed and zeroed");
                continue;
            }
            reference(want, &pieces[2 * i], lens, 2);
            CHECK(st[i] == KZG_OK && !memcmp(out[i], want, 32), "message %zu after the fault", i);
        }
    }
    sha256_fail_alloc = false;
}

int main(void) {
    testrand_init("test_sha256_many");
    pool_bytes = malloc((size_t)MAX_COUNT * MAX_PIECES * (BIG + 64));
    testrand_bytes(pool_bytes, (size_t)MAX_COUNT * MAX_PIECES * (BIG + 64));
    test_sha256_many__matches_one_by_one();
    test_sha256_many__injected_failure();
    free(pool_bytes);
    return test_report();
}
