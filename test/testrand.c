/* test/testrand.c — see testrand.h. xoshiro256** (Blackman–Vigna) seeded by splitmix64. */
#include "testrand.h"

#include <limits.h>
#include <string.h>
#include <time.h>

static uint64_t s[4];
static uint64_t seed0;
_Atomic unsigned long test_checks_passed, test_checks_failed;

static uint64_t splitmix(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void testrand_init(const char *test_name) {
    const char *env = getenv("KZGKIT_TEST_SEED");
    if (env && *env) {
        seed0 = strtoull(env, NULL, 0);
    } else {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        seed0 = (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec;
    }
    uint64_t x = seed0;
    for (int i = 0; i < 4; i++) s[i] = splitmix(&x);
    printf("%s: seed 0x%016llx (set KZGKIT_TEST_SEED to replay)\n", test_name,
           (unsigned long long)seed0);
}

uint64_t testrand_seed(void) { return seed0; }

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t testrand_u64(void) {
    uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
}

uint64_t testrand_range(uint64_t n) {
    uint64_t lim = UINT64_MAX - UINT64_MAX % n, v;
    do v = testrand_u64(); while (v >= lim);
    return v % n;
}

void testrand_bytes(uint8_t *out, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (i % 8 == 0) {
            uint64_t v = testrand_u64();
            for (size_t j = 0; j < 8 && i + j < len; j++) out[i + j] = (uint8_t)(v >> (8 * j));
        }
    }
}

/* Fills bits as alternating runs of equal bits with random lengths (1..len*8), so values
 * like 0xffff..ff00..00 and 0x000..0fff.. come up often. */
static void runs_of_bits(uint8_t *out, size_t len) {
    size_t nbits = len * 8, pos = 0;
    int bit = (int)(testrand_u64() & 1);
    memset(out, 0, len);
    while (pos < nbits) {
        size_t run = 1 + (size_t)testrand_range(nbits);
        for (size_t i = 0; i < run && pos < nbits; i++, pos++)
            if (bit) out[pos / 8] |= (uint8_t)(1u << (pos % 8));
        bit ^= 1;
    }
}

void testrand_bytes_edge(uint8_t *out, size_t len) {
    switch (testrand_range(6)) {
    case 0: runs_of_bits(out, len); break;
    case 1: memset(out, testrand_range(2) ? 0xff : 0x00, len);
            out[testrand_range(len)] ^= (uint8_t)(1u << testrand_range(8)); break;
    default: testrand_bytes(out, len); break;
    }
}

void testrand_limbs_edge(uint64_t *out, size_t n) {
    testrand_bytes_edge((uint8_t *)out, n * sizeof(uint64_t));
}

static double test_scale(void) {
    static double scale; /* 0: not read yet (tests call this from their main thread) */
    if (scale > 0) return scale;
    scale = 1;
    const char *env = getenv("KZGKIT_TEST_SCALE");
    if (env && *env) {
        char *end;
        double v = strtod(env, &end);
        if (*end == '\0' && v > 0 && v <= 1e6) scale = v;
        else fprintf(stderr, "KZGKIT_TEST_SCALE=%s is not a positive number; using 1\n", env);
    }
    if (scale != 1) printf("KZGKIT_TEST_SCALE=%g: randomized iteration counts scaled\n", scale);
    return scale;
}

long test_iters(long n) {
    double v = (double)n * test_scale();
    return v < 1 ? 1 : v > (double)LONG_MAX ? LONG_MAX : (long)v;
}

int test_report(void) {
    printf("%lu passed, %lu failed\n", test_checks_passed, test_checks_failed);
    if (test_checks_failed)
        printf("replay with KZGKIT_TEST_SEED=0x%016llx\n", (unsigned long long)seed0);
    return test_checks_failed ? 1 : 0;
}

void test_print_hex(const char *label, const void *p, size_t n) {
    const uint8_t *b = p;
    fprintf(stderr, "  %s = 0x", label);
    for (size_t i = 0; i < n; i++) fprintf(stderr, "%02x", b[i]);
    fputc('\n', stderr);
}

char *test_slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *b = NULL;
    long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (b = malloc((size_t)n + 1)) != NULL &&
        fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) b[n] = '\0', *len = (size_t)n;
    return b;
}
