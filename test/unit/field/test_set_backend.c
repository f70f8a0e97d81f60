/*
 * test_set_backend — kzg_set_backend (kzgkit/kzg.h): it validates its argument, selects the
 * named backend when it comes first (ahead of KZGKIT_BACKEND), accepts the same name again,
 * and refuses — changing nothing — a different one once a backend is selected. Its own
 * process: the selection is once per process, so this cannot share one with other tests.
 */
#include <stdlib.h>

#include "backend/backend.h"
#include "testrand.h"

static void test_kzg_set_backend__validates_then_selects_once(void) {
    /* Rejected arguments select nothing. */
    CHECK(kzg_set_backend(NULL) == KZG_ERR_NULL_ARG, "NULL name accepted");
    CHECK(kzg_set_backend("") == KZG_ERR_BAD_ARG, "empty name accepted");
    CHECK(kzg_set_backend("sparc-vis") == KZG_ERR_BAD_ARG && strstr(kzg_last_error(), "sparc-vis"),
          "unknown name accepted or not named: %s", kzg_last_error());
    CHECK(kzg_set_backend("Portable") == KZG_ERR_BAD_ARG, "names are case-sensitive");
    if (!backend_mulx_adx_ifma())
        CHECK(kzg_set_backend("x86_64-mulx-adx-ifma") == KZG_ERR_BAD_ARG,
              "a backend this CPU cannot run was accepted");
    CHECK(backend_active() != &BACKEND_PORTABLE && strcmp(backend_active()->name, "unselected") == 0,
          "a rejected call selected a backend");

    /* The first valid call wins, whatever KZGKIT_BACKEND says. portable always runs; pick
     * the other backend from the probe's when there is one, so the test proves a change. */
    const char *note;
    const backend_kernels *probe = backend_choose(NULL, cpu_features_get(), &note);
    const char *want = "portable";
    const char *other = probe == &BACKEND_PORTABLE ? NULL : probe->name;
    CHECK(kzg_set_backend(want) == KZG_OK, "set %s: %s", want, kzg_last_error());
    CHECK(strcmp(kzg_backend(), want) == 0, "kzg_backend() = %s, expected %s", kzg_backend(), want);
    CHECK(strstr(backend_selection_note(), "kzg_set_backend") != NULL, "note '%s'",
          backend_selection_note());
    CHECK(kzg_set_backend(want) == KZG_OK, "the same name again: %s", kzg_last_error());
    if (other) {
        CHECK(kzg_set_backend(other) == KZG_ERR_BAD_ARG && strstr(kzg_last_error(), "already"),
              "a second, different backend accepted: %s", kzg_last_error());
        CHECK(kzg_set_backend("auto") == KZG_ERR_BAD_ARG, "auto (= %s) accepted after portable", other);
    }
    CHECK(strcmp(kzg_backend(), want) == 0, "the selection changed to %s", kzg_backend());

    /* The arithmetic runs on it: fp_mul through the active table is portable's. */
    fp_t a, b, r1, r2;
    for (int i = 0; i < 6; i++) {
        a.l[i] = testrand_u64();
        b.l[i] = testrand_u64();
    }
    a.l[5] &= 0x0fffffffffffffffULL; /* < p */
    b.l[5] &= 0x0fffffffffffffffULL;
    fp_mul(&r1, &a, &b);
    fp_mul_portable(&r2, &a, &b);
    CHECK(memcmp(&r1, &r2, sizeof r1) == 0, "fp_mul differs from the portable kernel");
}

int main(void) {
    testrand_init("test_set_backend");
    test_kzg_set_backend__validates_then_selects_once();
    return test_report();
}
