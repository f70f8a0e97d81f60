/*
 * test/testoom.h — allocation-failure sweeps for the OOM tests (header-only: one per test).
 *
 * testoom_install() puts an allocator in front of malloc that counts live blocks and fails
 * the allocation numbered `testoom_fail_at` (0-based, counted from the sweep's start; -1:
 * none). TESTOOM_SWEEP(what, call, outputs_zero, after) runs `call` with allocation k
 * failing for k = 0, 1, ... until it succeeds, and checks at each k: the status is
 * KZG_ERR_MEMORY, nothing leaked (the live count is back where it was; a test checks at
 * its end that everything kept by the successful calls was freed), the outputs are
 * zeroed (`outputs_zero`), then — the context still usable — `after` (a statement: typically
 * the call again without failures and a check of its result). The counters are atomic: the
 * pool's workers allocate too, and which of several concurrent allocations fails is then a
 * matter of timing; any of them must be handled.
 */
#ifndef KZGKIT_TESTOOM_H
#define KZGKIT_TESTOOM_H

#include <stdlib.h>

#include "kzgkit.h"
#include "testrand.h"

static _Atomic long testoom_fail_at = -1;
static _Atomic long testoom_seen = 0, testoom_live = 0;

static void *testoom_malloc(size_t size, void *user) {
    (void)user;
    if (testoom_fail_at >= 0 && testoom_seen++ == testoom_fail_at) return NULL;
    void *p = malloc(size);
    if (p) testoom_live++;
    return p;
}

static void testoom_free(void *p, void *user) {
    (void)user;
    if (p) {
        testoom_live--;
        free(p);
    }
}

static inline bool testoom_install(void) {
    kzg_allocator a = {testoom_malloc, testoom_free, NULL};
    return kzg_set_allocator(&a) == KZG_OK;
}

static inline bool testoom_all_zero(const void *p, size_t n) {
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i]) return false;
    return true;
}

/* The most allocations one swept call may make before the sweep gives up (a bug guard). */
#define TESTOOM_MAX_K 400

#define TESTOOM_SWEEP(what, call, outputs_zero, after)                                          \
    do {                                                                                        \
        for (long k_ = 0;; k_++) {                                                              \
            long before_ = testoom_live;                                                        \
            testoom_seen = 0;                                                                   \
            testoom_fail_at = k_;                                                               \
            kzg_status st_ = (call);                                                            \
            testoom_fail_at = -1;                                                               \
            if (st_ == KZG_OK) break; /* (what it keeps, e.g. a new object, is the caller's) */ \
            CHECK(testoom_live == before_, "%s, allocation %ld failing: %ld blocks leaked",     \
                  what, k_, testoom_live - before_);                                            \
            CHECK(st_ == KZG_ERR_MEMORY, "%s, allocation %ld failing: status %s (%s)", what,    \
                  k_, kzg_status_str(st_), kzg_last_error());                                   \
            CHECK(outputs_zero, "%s, allocation %ld failing: outputs not zeroed", what, k_);    \
            after;                                                                              \
            if (st_ != KZG_ERR_MEMORY || k_ > TESTOOM_MAX_K) break;                             \
        }                                                                                       \
    } while (0)

#endif
