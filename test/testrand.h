/*
 * test/testrand.h — the tests' seeded, edge-biased random generator and check macros.
 *
 * Seed: KZGKIT_TEST_SEED (decimal or 0x-hex) if set, else from the clock; printed by
 * testrand_init and again with every failed check, so any failure can be replayed.
 * Bias: about a third of the values produced by testrand_bytes_edge are built from long
 * runs of 0 and 1 bits, where carries and reductions go wrong.
 * Scale: KZGKIT_TEST_SCALE (a positive decimal, default 1) multiplies the iteration counts
 * of the randomized loops that ask test_iters(); test/CMakeLists.txt lowers it for runs
 * under an emulator (qemu), where every test still runs, with fewer random inputs.
 */
#ifndef KZGKIT_TESTRAND_H
#define KZGKIT_TESTRAND_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

void testrand_init(const char *test_name);
uint64_t testrand_seed(void);
uint64_t testrand_u64(void);
uint64_t testrand_range(uint64_t n);                 /* uniform in [0, n), n > 0 */
void testrand_bytes(uint8_t *out, size_t len);       /* uniform */
void testrand_bytes_edge(uint8_t *out, size_t len);  /* edge-biased (runs of 0/1 bits) */
void testrand_limbs_edge(uint64_t *out, size_t n);   /* edge-biased limbs */

/* n random iterations scaled by KZGKIT_TEST_SCALE: max(1, n * scale). An unparsable or
 * non-positive KZGKIT_TEST_SCALE counts as 1 and is reported once on stderr. */
long test_iters(long n);

/* Check macros. Each failure prints file:line, the seed and a message; the test's main
 * returns test_report(), which prints "N passed, M failed" and the exit status. */
extern _Atomic unsigned long test_checks_passed, test_checks_failed; /* atomic: threaded tests */
#define CHECK(cond, ...)                                                                  \
    do {                                                                                  \
        if (cond) {                                                                       \
            test_checks_passed++;                                                         \
        } else {                                                                          \
            test_checks_failed++;                                                         \
            if (test_checks_failed <= 20) {                                               \
                fprintf(stderr, "%s:%d: CHECK(%s) failed (seed 0x%016llx): ", __FILE__,   \
                        __LINE__, #cond, (unsigned long long)testrand_seed());            \
                fprintf(stderr, __VA_ARGS__);                                             \
                fputc('\n', stderr);                                                      \
            }                                                                             \
        }                                                                                 \
    } while (0)
int test_report(void);

/* The whole file at path, NUL-terminated (malloc'ed; *len its size), or NULL when it cannot
 * be opened or read. */
char *test_slurp(const char *path, size_t *len);
void test_print_hex(const char *label, const void *p, size_t n);

#endif
