/*
 * test_eip4844_threads — results do not depend on the thread count or on the tables:
 * contexts with 1, 2 and 3 threads and one with fixed-base tables give byte-identical
 * commitments, proofs, evaluations and verification results, through the single-blob
 * functions and the batch ones; a failing batch reports the same status and detail (the
 * first failing blob, as a loop would) with zeroed outputs; two threads sharing one
 * context at once (the pool busy) still agree. Run under ThreadSanitizer by `make tsan`.
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "kzgkit/eip4844.h"
#include "runtime/pool.h"
#include "setup/setup.h"
#include "testblob.h"
#include "testrand.h"

enum { NB = 4, NCTX = 4 };

static kzg_blob *blobs;
static kzg_ctx *ctxs[NCTX];
static const char *ctx_names[NCTX] = {"1 thread", "2 threads", "3 threads", "2 threads + tables"};

static bool all_zero(const void *p, size_t n) {
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i]) return false;
    return true;
}

typedef struct results {
    kzg_commitment c[NB], cb[NB];
    kzg_proof p[NB], pb[NB], pz[NB];
    kzg_field_element y[NB];
    bool ok_batch, ok_bad;
} results;

static void run_all(results *r, const kzg_ctx *ctx, const char *name) {
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < NB; i++) {
        CHECK(kzg_blob_to_kzg_commitment(ctx, &r->c[i], &blobs[i]) == KZG_OK, "%s: commit %zu", name, i);
        CHECK(kzg_compute_blob_kzg_proof(ctx, &r->p[i], &blobs[i], &r->c[i]) == KZG_OK, "%s: prove %zu", name, i);
        kzg_field_element z = {{0}};
        if (i % 2 == 0) fr_to_bytes_be(z.bytes, &ctxs[0]->roots_brp[17 * i + 1]); /* in the domain */
        else z.bytes[31] = (uint8_t)(i + 5);
        CHECK(kzg_compute_kzg_proof(ctx, &r->pz[i], &r->y[i], &blobs[i], &z) == KZG_OK, "%s: proof at z %zu", name, i);
        bool ok = false;
        CHECK(kzg_verify_kzg_proof(ctx, &ok, &r->c[i], &z, &r->y[i], &r->pz[i]) == KZG_OK && ok,
              "%s: proof at z %zu does not verify", name, i);
    }
    CHECK(kzg_blob_to_kzg_commitment_batch(ctx, r->cb, blobs, NB) == KZG_OK, "%s: commit batch: %s", name, kzg_last_error());
    CHECK(kzg_compute_blob_kzg_proof_batch(ctx, r->pb, blobs, r->c, NB) == KZG_OK, "%s: prove batch: %s", name, kzg_last_error());
    CHECK(memcmp(r->c, r->cb, sizeof r->c) == 0, "%s: batch commitments differ from single ones", name);
    CHECK(memcmp(r->p, r->pb, sizeof r->p) == 0, "%s: batch proofs differ from single ones", name);
    CHECK(kzg_verify_blob_kzg_proof_batch(ctx, &r->ok_batch, blobs, r->c, r->p, NB) == KZG_OK, "%s: verify batch", name);
    CHECK(r->ok_batch, "%s: a correct batch does not verify", name);
    kzg_proof bad[NB];
    memcpy(bad, r->p, sizeof bad);
    bad[2] = r->p[1];
    CHECK(kzg_verify_blob_kzg_proof_batch(ctx, &r->ok_bad, blobs, r->c, bad, NB) == KZG_OK, "%s: verify bad batch", name);
    CHECK(!r->ok_bad, "%s: a batch with a wrong proof verifies", name);
}

static void test_eip4844_threads__same_results_for_every_context(void) {
    results *r = calloc(NCTX, sizeof *r);
    for (int k = 0; k < NCTX; k++) run_all(&r[k], ctxs[k], ctx_names[k]);
    for (int k = 1; k < NCTX; k++)
        CHECK(memcmp(&r[k], &r[0], sizeof *r) == 0, "%s: results differ from 1 thread", ctx_names[k]);
    free(r);
}

static void test_eip4844_threads__failing_batch_reports_the_first_failure(void) {
    kzg_blob *bad = malloc(NB * sizeof *bad);
    memcpy(bad, blobs, NB * sizeof *bad);
    memset(bad[3].bytes + 32 * 7, 0xff, 32); /* element 7 of blob 3 >= r */
    memset(bad[2].bytes + 32 * 9, 0xff, 32); /* and element 9 of blob 2: the first failure */
    char first[256] = "";
    kzg_commitment c[NB];
    kzg_proof p[NB];
    for (int k = 0; k < NCTX; k++) {
        memset(c, 0xaa, sizeof c);
        kzg_status st = kzg_blob_to_kzg_commitment_batch(ctxs[k], c, bad, NB);
        CHECK(st == KZG_ERR_SCALAR_NONCANONICAL, "%s: commit batch status %d", ctx_names[k], st);
        CHECK(strstr(kzg_last_error(), "blobs[2]") && strstr(kzg_last_error(), "element 9"),
              "%s: detail '%s'", ctx_names[k], kzg_last_error());
        if (k == 0) snprintf(first, sizeof first, "%s", kzg_last_error());
        else CHECK(strcmp(first, kzg_last_error()) == 0, "%s: detail '%s' vs '%s'", ctx_names[k], kzg_last_error(), first);
        CHECK(all_zero(c, sizeof c), "%s: outputs not zeroed", ctx_names[k]);
        memset(p, 0xaa, sizeof p);
        for (size_t i = 0; i < NB; i++) { /* valid commitments (infinity): the blob fails first */
            memset(&c[i], 0, sizeof c[i]);
            c[i].bytes[0] = 0xc0;
        }
        st = kzg_compute_blob_kzg_proof_batch(ctxs[k], p, bad, c, NB);
        CHECK(st == KZG_ERR_SCALAR_NONCANONICAL && strstr(kzg_last_error(), "blobs[2]"), "%s: prove batch %d '%s'",
              ctx_names[k], st, kzg_last_error());
        CHECK(all_zero(p, sizeof p), "%s: proof outputs not zeroed", ctx_names[k]);
        bool ok = true;
        kzg_commitment cs[NB] = {{{0}}};
        kzg_proof ps[NB] = {{{0}}};
        for (size_t i = 0; i < NB; i++) cs[i].bytes[0] = ps[i].bytes[0] = 0xc0; /* infinity */
        cs[3].bytes[0] = 0x00; /* commitments[3]: bad encoding, after blobs[2]'s failure */
        st = kzg_verify_blob_kzg_proof_batch(ctxs[k], &ok, bad, cs, ps, NB);
        CHECK(st == KZG_ERR_SCALAR_NONCANONICAL && !ok && strstr(kzg_last_error(), "blobs[2]"),
              "%s: verify batch %d '%s'", ctx_names[k], st, kzg_last_error());
    }
    free(bad);
}

typedef struct share_arg {
    const kzg_ctx *ctx;
    kzg_commitment c[2];
} share_arg;

static void *share_main(void *v) {
    share_arg *a = v;
    for (int i = 0; i < 2; i++) kzg_blob_to_kzg_commitment(a->ctx, &a->c[i], &blobs[i]);
    return NULL;
}

static void test_eip4844_threads__shared_context(void) {
    share_arg a[2] = {{ctxs[1], {{{0}}}}, {ctxs[1], {{{0}}}}};
    pthread_t t;
    bool started = pthread_create(&t, NULL, share_main, &a[0]) == 0;
    share_main(&a[1]);
    if (started) pthread_join(t, NULL);
    kzg_commitment want[2];
    for (int i = 0; i < 2; i++) kzg_blob_to_kzg_commitment(ctxs[0], &want[i], &blobs[i]);
    CHECK(started && memcmp(a[0].c, want, sizeof want) == 0, "thread A's commitments differ");
    CHECK(memcmp(a[1].c, want, sizeof want) == 0, "thread B's commitments differ");
}

/* A system that lets `create_budget` more threads start, then refuses (EAGAIN). */
static int create_budget;
static int limited_create(pthread_t *t, const pthread_attr_t *attr, void *(*start)(void *),
                          void *arg) {
    if (create_budget <= 0) return 11;
    create_budget--;
    return pthread_create(t, attr, start, arg);
}

/* Contexts asking for 4 threads where 0 or 1 worker can start: created, kzg_ctx_threads
 * says what they have, and every result equals the 1-thread context's. */
static void test_eip4844_threads__degrades_when_threads_cannot_start(void) {
    results *ref = calloc(1, sizeof *ref), *r = calloc(1, sizeof *r);
    run_all(ref, ctxs[0], "1 thread");
    for (int started = 0; started <= 1; started++) {
        kzg_ctx *c = NULL;
        kzg_ctx_options o = {.struct_size = sizeof o, .threads = 4};
        create_budget = started;
        pool_thread_create_hook = limited_create;
        kzg_status st = kzg_ctx_new(&c, &o);
        pool_thread_create_hook = NULL;
        CHECK(st == KZG_OK && c, "4 threads asked, %d can start: %s", started, kzg_last_error());
        if (!c) continue;
        CHECK(kzg_ctx_threads(c) == (uint32_t)started + 1, "%d started: kzg_ctx_threads %u", started,
              kzg_ctx_threads(c));
        run_all(r, c, "degraded");
        CHECK(memcmp(r, ref, sizeof *r) == 0, "%d of 3 workers started: results differ", started);
        kzg_ctx_free(c);
    }
    free(ref);
    free(r);
}

static void test_eip4844_threads__options(void) {
    kzg_ctx *c = NULL;
    kzg_ctx_options o = {.struct_size = sizeof o, .threads = POOL_MAX_THREADS + 1};
    CHECK(kzg_ctx_new(&c, &o) == KZG_ERR_BAD_ARG && !c, "threads above the limit accepted");
    o.threads = 2;
    o.table_window = 3;
    CHECK(kzg_ctx_new(&c, &o) == KZG_ERR_BAD_ARG && !c, "table_window 3 accepted");
    o.table_window = 17;
    CHECK(kzg_ctx_new(&c, &o) == KZG_ERR_BAD_ARG && !c, "table_window 17 accepted");
    /* An older caller's smaller struct (only struct_size and threads) still works. */
    o.struct_size = (uint32_t)(offsetof(kzg_ctx_options, threads) + sizeof o.threads);
    CHECK(kzg_ctx_new(&c, &o) == KZG_OK && c, "short options struct refused");
    kzg_ctx_free(c);
    /* The embedded setup without tables: under a millisecond (median of 21). */
    double t[21];
    for (int i = 0; i < 21; i++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        kzg_ctx_new(&c, NULL);
        clock_gettime(CLOCK_MONOTONIC, &b);
        kzg_ctx_free(c);
        t[i] = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    }
    for (int i = 0; i < 21; i++) /* insertion sort: tiny */
        for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
            double x = t[j];
            t[j] = t[j - 1];
            t[j - 1] = x;
        }
    CHECK(t[10] < 1.0, "kzg_ctx_new takes %.3f ms (median)", t[10]);
}

int main(void) {
    testrand_init("test_eip4844_threads");
    blobs = malloc(NB * sizeof *blobs);
    for (size_t i = 0; i < NB; i++) testrand_blob(&blobs[i], true);
    const kzg_ctx_options opts[NCTX] = {
        {.struct_size = sizeof(kzg_ctx_options), .threads = 1},
        {.struct_size = sizeof(kzg_ctx_options), .threads = 2},
        {.struct_size = sizeof(kzg_ctx_options), .threads = 3},
        {.struct_size = sizeof(kzg_ctx_options), .threads = 2, .table_window = 8},
    };
    for (int k = 0; k < NCTX; k++) {
        if (kzg_ctx_new(&ctxs[k], &opts[k]) != KZG_OK) {
            fprintf(stderr, "kzg_ctx_new (%s): %s\n", ctx_names[k], kzg_last_error());
            return 1;
        }
    }
    test_eip4844_threads__same_results_for_every_context();
    test_eip4844_threads__failing_batch_reports_the_first_failure();
    test_eip4844_threads__shared_context();
    test_eip4844_threads__options();
    test_eip4844_threads__degrades_when_threads_cannot_start();
    for (int k = 0; k < NCTX; k++) kzg_ctx_free(ctxs[k]);
    free(blobs);
    return test_report();
}
