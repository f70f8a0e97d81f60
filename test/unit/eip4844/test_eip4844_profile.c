/*
 * test_eip4844_profile — a tuning profile's MSM windows belong to its context: two contexts
 * created in one process with profiles that give 4096-point MSMs different windows each
 * keep their own (creating the second does not change the first, nor a context without a
 * profile), and their commitments, proofs and batch verifications are byte-identical — on
 * the single-thread path and on the pool's (one context has two threads).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kzgkit/eip4844.h"
#include "msm/msm.h"
#include "runtime/profile.h"
#include "setup/setup.h"
#include "testrand.h"

enum { NB = 3 };

/* A profile of this machine with one window (for 4096 points) and a thread count. */
static bool write_profile(const char *path, unsigned window_4096, unsigned threads) {
    profile p;
    char text[4096];
    memset(&p, 0, sizeof p);
    profile_cpu_model(p.cpu, sizeof p.cpu);
    snprintf(p.backend, sizeof p.backend, "%s", kzg_backend());
    p.cpus = 2;
    snprintf(p.date, sizeof p.date, "2026-12-03T00:00:00Z");
    p.msm_window[12] = window_4096;
    p.threads = threads;
    size_t n = profile_format(text, sizeof text, &p);
    FILE *f = fopen(path, "w");
    if (!f || n == 0) {
        if (f) fclose(f);
        return false;
    }
    bool ok = fwrite(text, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

static kzg_status ctx_with_profile(kzg_ctx **ctx, const char *path) {
    kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
    o.profile_path = path;
    return kzg_ctx_new(ctx, &o);
}

static void test_profile__windows_are_per_context_results_identical(void) {
    char path_a[64], path_b[64];
    kzg_ctx *ctx[3] = {NULL, NULL, NULL}; /* profile a, profile b, none */
    const unsigned d = g1_msm_window_bits(4096, NULL);
    const unsigned want[3] = {d - 1, d + 1, d};
    snprintf(path_a, sizeof path_a, "/tmp/kzgkit_test_prof_a_%ld.txt", (long)getpid());
    snprintf(path_b, sizeof path_b, "/tmp/kzgkit_test_prof_b_%ld.txt", (long)getpid());
    CHECK(write_profile(path_a, d - 1, 1) && write_profile(path_b, d + 1, 2), "write profiles");
    CHECK(ctx_with_profile(&ctx[0], path_a) == KZG_OK, "profile a: %s", kzg_last_error());
    CHECK(ctx_with_profile(&ctx[1], path_b) == KZG_OK, "profile b: %s", kzg_last_error());
    CHECK(kzg_ctx_new(&ctx[2], NULL) == KZG_OK, "context without a profile: %s", kzg_last_error());
    remove(path_a);
    remove(path_b);
    kzg_blob *blobs = malloc(NB * sizeof *blobs);
    CHECK(blobs != NULL, "alloc");
    if (!ctx[0] || !ctx[1] || !ctx[2] || !blobs) goto out;

    for (int k = 0; k < 3; k++)
        CHECK(g1_msm_window_bits(4096, &ctx[k]->msm_windows) == want[k],
              "context %d: window %u for 4096 points, expected %u", k,
              g1_msm_window_bits(4096, &ctx[k]->msm_windows), want[k]);
    CHECK(kzg_ctx_threads(ctx[1]) == 2, "profile b's threads not applied");

    for (size_t b = 0; b < NB; b++)
        for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) {
            uint8_t *e = &blobs[b].bytes[32 * i];
            testrand_bytes(e, 32);
            e[0] &= 0x3f; /* < 2^254 < r */
        }
    /* Interleaved on the three contexts: a process-wide window would show up below. */
    kzg_commitment c[3][NB];
    kzg_proof p[3][NB];
    for (size_t b = 0; b < NB; b++)
        for (int k = 0; k < 3; k++) {
            CHECK(kzg_blob_to_kzg_commitment(ctx[k], &c[k][b], &blobs[b]) == KZG_OK &&
                      kzg_compute_blob_kzg_proof(ctx[k], &p[k][b], &blobs[b], &c[k][b]) == KZG_OK,
                  "context %d, blob %zu: %s", k, b, kzg_last_error());
            CHECK(memcmp(&c[k][b], &c[0][b], sizeof c[0][b]) == 0 &&
                      memcmp(&p[k][b], &p[0][b], sizeof p[0][b]) == 0,
                  "context %d, blob %zu: commitment or proof differs from context 0's", k, b);
        }
    for (int k = 0; k < 3; k++) {
        bool ok = false;
        CHECK(kzg_verify_blob_kzg_proof_batch(ctx[k], &ok, blobs, c[0], p[0], NB) == KZG_OK && ok,
              "context %d: batch verification failed: %s", k, kzg_last_error());
        CHECK(g1_msm_window_bits(4096, &ctx[k]->msm_windows) == want[k],
              "context %d: window changed by another context's use", k);
    }
out:
    free(blobs);
    for (int k = 0; k < 3; k++) kzg_ctx_free(ctx[k]);
}

int main(void) {
    testrand_init("test_eip4844_profile");
    test_profile__windows_are_per_context_results_identical();
    return test_report();
}
