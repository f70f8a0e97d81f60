/*
 * test_oom — every allocation of every EIP-4844 and runtime public function may fail
 * (issue 15 §3): context creation with every option that allocates (threads, tables,
 * result cache, metrics), the six spec functions and the two batch extensions on a plain
 * and a fully equipped context, the batch processor (creation and runs with repeats, cache
 * and verification) and metrics objects. For each call, the k-th allocation fails for
 * k = 0, 1, ... until the call succeeds (test/testoom.h): KZG_ERR_MEMORY, zeroed outputs,
 * nothing leaked, and right after each failure the same call without failures gives the
 * reference answer — the context (and its caches) stay usable and correct. The EIP-7594
 * functions have their own sweep (test_eip7594_oom).
 */
#include <stdlib.h>
#include <time.h>

#include "field/fr.h"
#include "testoom.h"
#include "testrand.h"

enum { NB = 3 };
/* A batch verification of NW blobs hashes its challenges with sha256_many (sixteen at a
 * time, from SHA256_MANY_WIDE_MIN = 9 on, with the IFMA backend): its own allocations. */
enum { NW = 9 };
static kzg_commitment wide_c[NW];
static kzg_proof wide_p[NW];

typedef struct expect {
    kzg_commitment c[NB];
    kzg_proof pb[NB], pz;
    kzg_field_element y;
} expect;

static kzg_blob *blobs;
static kzg_field_element z;
static expect want;

/* The EIP-4844 sweep on one context. */
static void sweep_eip4844(const kzg_ctx *ctx, const char *name) {
    kzg_commitment c, cs[NB];
    kzg_proof p, ps[NB];
    kzg_field_element y;
    bool ok;
    char what[128];

    snprintf(what, sizeof what, "%s: blob_to_kzg_commitment", name);
    TESTOOM_SWEEP(what, kzg_blob_to_kzg_commitment(ctx, &c, &blobs[0]),
                  testoom_all_zero(&c, sizeof c), {
                      CHECK(kzg_blob_to_kzg_commitment(ctx, &c, &blobs[0]) == KZG_OK &&
                                !memcmp(&c, &want.c[0], sizeof c),
                            "%s: wrong answer after a failure", what);
                  });
    snprintf(what, sizeof what, "%s: compute_kzg_proof", name);
    TESTOOM_SWEEP(what, kzg_compute_kzg_proof(ctx, &p, &y, &blobs[0], &z),
                  testoom_all_zero(&p, sizeof p) && testoom_all_zero(&y, sizeof y), {
                      CHECK(kzg_compute_kzg_proof(ctx, &p, &y, &blobs[0], &z) == KZG_OK &&
                                !memcmp(&p, &want.pz, sizeof p) && !memcmp(&y, &want.y, sizeof y),
                            "%s: wrong answer after a failure", what);
                  });
    snprintf(what, sizeof what, "%s: compute_blob_kzg_proof", name);
    TESTOOM_SWEEP(what, kzg_compute_blob_kzg_proof(ctx, &p, &blobs[1], &want.c[1]),
                  testoom_all_zero(&p, sizeof p), {
                      CHECK(kzg_compute_blob_kzg_proof(ctx, &p, &blobs[1], &want.c[1]) == KZG_OK &&
                                !memcmp(&p, &want.pb[1], sizeof p),
                            "%s: wrong answer after a failure", what);
                  });
    snprintf(what, sizeof what, "%s: verify_kzg_proof", name);
    TESTOOM_SWEEP(what, kzg_verify_kzg_proof(ctx, &ok, &want.c[0], &z, &want.y, &want.pz), !ok, {
        CHECK(kzg_verify_kzg_proof(ctx, &ok, &want.c[0], &z, &want.y, &want.pz) == KZG_OK && ok,
              "%s: wrong answer after a failure", what);
    });
    snprintf(what, sizeof what, "%s: verify_blob_kzg_proof", name);
    TESTOOM_SWEEP(what, kzg_verify_blob_kzg_proof(ctx, &ok, &blobs[2], &want.c[2], &want.pb[2]),
                  !ok, {
                      CHECK(kzg_verify_blob_kzg_proof(ctx, &ok, &blobs[2], &want.c[2],
                                                      &want.pb[2]) == KZG_OK && ok,
                            "%s: wrong answer after a failure", what);
                  });
    snprintf(what, sizeof what, "%s: verify_blob_kzg_proof_batch", name);
    TESTOOM_SWEEP(what, kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, want.c, want.pb, NB), !ok, {
        CHECK(kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, want.c, want.pb, NB) == KZG_OK && ok,
              "%s: wrong answer after a failure", what);
    });
    snprintf(what, sizeof what, "%s: verify_blob_kzg_proof_batch of %d", name, (int)NW);
    TESTOOM_SWEEP(what, kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, wide_c, wide_p, NW), !ok, {
        CHECK(kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, wide_c, wide_p, NW) == KZG_OK && ok,
              "%s: wrong answer after a failure", what);
    });
    snprintf(what, sizeof what, "%s: blob_to_kzg_commitment_batch", name);
    TESTOOM_SWEEP(what, kzg_blob_to_kzg_commitment_batch(ctx, cs, blobs, NB),
                  testoom_all_zero(cs, sizeof cs), {
                      CHECK(kzg_blob_to_kzg_commitment_batch(ctx, cs, blobs, NB) == KZG_OK &&
                                !memcmp(cs, want.c, sizeof cs),
                            "%s: wrong answer after a failure", what);
                  });
    snprintf(what, sizeof what, "%s: compute_blob_kzg_proof_batch", name);
    TESTOOM_SWEEP(what, kzg_compute_blob_kzg_proof_batch(ctx, ps, blobs, want.c, NB),
                  testoom_all_zero(ps, sizeof ps), {
                      CHECK(kzg_compute_blob_kzg_proof_batch(ctx, ps, blobs, want.c, NB) == KZG_OK &&
                                !memcmp(ps, want.pb, sizeof ps),
                            "%s: wrong answer after a failure", what);
                  });
}

/* The batch processor: creation, and runs over NB blobs plus a repeat of the first. */
static void sweep_processor(const kzg_ctx *ctx) {
    kzg_processor *proc = (kzg_processor *)&proc;
    kzg_processor_options o = KZG_PROCESSOR_OPTIONS_INIT;
    kzg_metrics *m = NULL;
    o.verify = 1;
    o.cache_bytes = 1 << 20;
    CHECK(kzg_metrics_new(&m) == KZG_OK, "metrics");
    o.metrics = m;
    TESTOOM_SWEEP("kzg_processor_new", kzg_processor_new(&proc, ctx, &o), proc == NULL, (void)0);
    if (!proc) return;
    kzg_blob *in = malloc((NB + 1) * sizeof *in);
    memcpy(in, blobs, NB * sizeof *in);
    in[NB] = blobs[0];
    kzg_commitment c[NB + 1];
    kzg_proof p[NB + 1];
    bool ok;
    /* Twice: first every blob is computed, then every one comes from the cache. */
    for (int round = 0; round < 2; round++) {
        TESTOOM_SWEEP(round ? "kzg_processor_run (cached)" : "kzg_processor_run",
                      kzg_processor_run(proc, c, p, &ok, in, NB + 1),
                      testoom_all_zero(c, sizeof c) && testoom_all_zero(p, sizeof p) && !ok, (void)0);
        for (size_t i = 0; i <= NB; i++)
            CHECK(!memcmp(&c[i], &want.c[i % NB], sizeof c[i]) && !memcmp(&p[i], &want.pb[i % NB], sizeof p[i]),
                  "processor round %d: blob %zu wrong after the sweep", round, i);
        CHECK(ok, "processor round %d: not verified", round);
    }
    free(in);
    kzg_processor_free(proc);
    kzg_metrics_free(m);
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}
#define TIMED(label, stmt)                                                  \
    do {                                                                    \
        double t0_ = now_ms();                                              \
        stmt;                                                               \
        printf("  %-40s %8.0f ms\n", label, now_ms() - t0_);               \
    } while (0)

int main(void) {
    testrand_init("test_oom");
    kzg_ctx *plain = NULL, *full = NULL;
    kzg_metrics *m = NULL;
    if (!testoom_install() || kzg_ctx_new(&plain, NULL) != KZG_OK) {
        fprintf(stderr, "setup failed: %s\n", kzg_last_error());
        return 1;
    }
    blobs = malloc(NW * sizeof *blobs);
    for (size_t b = 0; b < NW; b++)
        for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) {
            fr_t x;
            uint8_t r[32];
            testrand_bytes(r, 32);
            fr_from_bytes_be_reduce(&x, r);
            fr_to_bytes_be(blobs[b].bytes + 32 * i, &x);
        }
    z.bytes[31] = 9;
    for (size_t b = 0; b < NB; b++) {
        CHECK(kzg_blob_to_kzg_commitment(plain, &want.c[b], &blobs[b]) == KZG_OK, "reference commit");
        CHECK(kzg_compute_blob_kzg_proof(plain, &want.pb[b], &blobs[b], &want.c[b]) == KZG_OK,
              "reference proof");
    }
    CHECK(kzg_compute_kzg_proof(plain, &want.pz, &want.y, &blobs[0], &z) == KZG_OK, "reference proof at z");
    for (size_t b = 0; b < NW; b++)
        CHECK(kzg_blob_to_kzg_commitment(plain, &wide_c[b], &blobs[b]) == KZG_OK &&
                  kzg_compute_blob_kzg_proof(plain, &wide_p[b], &blobs[b], &wide_c[b]) == KZG_OK,
              "reference commitment and proof %zu", b);

    TESTOOM_SWEEP("kzg_metrics_new", kzg_metrics_new(&m), m == NULL, (void)0);
    /* A context with everything that allocates: a pool, fixed-base tables (window 14: 19
     * rows, the smallest table), a result cache and metrics. */
    kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
    o.threads = 2;
    o.table_window = 14;
    o.cache_bytes = 1 << 20;
    o.metrics = m;
    full = (kzg_ctx *)&full;
    TIMED("kzg_ctx_new sweep", TESTOOM_SWEEP("kzg_ctx_new (threads, tables, cache, metrics)",
                                             kzg_ctx_new(&full, &o), full == NULL, (void)0));
    TIMED("EIP-4844 sweep, plain context", sweep_eip4844(plain, "plain context"));
    if (full) {
        TIMED("EIP-4844 sweep, equipped context", sweep_eip4844(full, "threads + tables + cache"));
        /* Once more: now every cached answer is a hit, and the sweep goes through the cache. */
        TIMED("EIP-4844 sweep, equipped context (warm)",
              sweep_eip4844(full, "threads + tables + cache (warm)"));
    }
    TIMED("processor sweep", sweep_processor(plain));

    kzg_ctx_free(full);
    kzg_ctx_free(plain);
    kzg_metrics_free(m);
    CHECK(testoom_live == 0, "%ld blocks still live after freeing everything", (long)testoom_live);
    free(blobs);
    return test_report();
}
