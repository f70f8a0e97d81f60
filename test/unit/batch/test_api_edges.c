/*
 * test_api_edges — the argument checks that no other test reaches (issue 15 §2: every
 * uncovered error path gets a test or a reason): NULL pointers and impossible sizes of the
 * processor, the allocator hooks, the context's profile line, the two challenge hooks and
 * the recovery, the result cache's own entry points. Each gets its specific status and
 * leaves its outputs zeroed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eip4844/eip4844_internal.h"
#include "eip7594/eip7594_internal.h"
#include "kzgkit.h"
#include "runtime/cache.h"
#include "testrand.h"

static kzg_ctx *ctx;

static void test_processor__null_arguments_and_absurd_n(void) {
    kzg_processor *p = NULL;
    CHECK(kzg_processor_new(NULL, ctx, NULL) == KZG_ERR_NULL_ARG, "new: NULL out");
    CHECK(kzg_processor_new(&p, ctx, NULL) == KZG_OK && p, "new: %s", kzg_last_error());
    if (!p) return;
    kzg_processor_stats st;
    CHECK(kzg_processor_stats_get(p, NULL) == KZG_ERR_NULL_ARG, "stats: NULL out");
    memset(&st, 0xa5, sizeof st);
    CHECK(kzg_processor_stats_get(NULL, &st) == KZG_ERR_NULL_ARG && st.calls == 0, "stats: NULL processor");
    kzg_commitment c[2];
    kzg_proof pr[2];
    kzg_blob *b = calloc(2, sizeof *b);
    memset(c, 0xa5, sizeof c);
    memset(pr, 0xa5, sizeof pr);
    CHECK(kzg_processor_run(p, c, NULL, NULL, b, 2) == KZG_ERR_NULL_ARG && c[1].bytes[47] == 0,
          "run: NULL proofs, commitments zeroed");
    CHECK(kzg_processor_run(p, NULL, pr, NULL, b, 2) == KZG_ERR_NULL_ARG && pr[0].bytes[0] == 0,
          "run: NULL commitments, proofs zeroed");
    CHECK(kzg_processor_run(p, c, pr, NULL, NULL, 2) == KZG_ERR_NULL_ARG, "run: NULL blobs");
    CHECK(kzg_processor_run(p, c, pr, NULL, b, SIZE_MAX / 2) == KZG_ERR_LENGTH &&
              strstr(kzg_last_error(), "too large"),
          "run: n whose blobs could not exist: %s", kzg_last_error());
    CHECK(kzg_processor_run(p, NULL, NULL, NULL, NULL, 0) == KZG_OK, "run: n = 0");
    free(b);
    kzg_processor_free(p);
}

/* An n whose blob array could not exist is refused before anything is written (it used to
 * zero n outputs first: past the end of any real array). */
static void test_batch_extensions__absurd_n_writes_nothing(void) {
    kzg_commitment c[2];
    kzg_proof pr[2];
    kzg_blob *b = calloc(2, sizeof *b);
    size_t n = SIZE_MAX / sizeof(kzg_blob) + 1;
    memset(c, 0xa5, sizeof c);
    memset(pr, 0xa5, sizeof pr);
    CHECK(kzg_blob_to_kzg_commitment_batch(ctx, c, b, n) == KZG_ERR_LENGTH && c[0].bytes[0] == 0xa5,
          "commitment batch, n = %zu: %s", n, kzg_last_error());
    CHECK(kzg_compute_blob_kzg_proof_batch(ctx, pr, b, c, n) == KZG_ERR_LENGTH && pr[0].bytes[0] == 0xa5,
          "proof batch, n = %zu: %s", n, kzg_last_error());
    bool ok = true;
    kzg_status st = kzg_verify_blob_kzg_proof_batch(ctx, &ok, b, c, pr, n);
    CHECK(st == KZG_ERR_LENGTH && !ok, "verify batch, n = %zu: %d %s", n, (int)st, kzg_last_error());
    free(b);
}

static void *plain_malloc(size_t n, void *u) { (void)u; return malloc(n); }
static void plain_free(void *q, void *u) { (void)u; free(q); }

static void test_allocator__incomplete_hooks_and_zero_sizes(void) {
    CHECK(kzg_set_allocator(&(kzg_allocator){plain_malloc, NULL, NULL}) == KZG_ERR_NULL_ARG,
          "allocator without free_fn");
    CHECK(kzg_set_allocator(&(kzg_allocator){NULL, plain_free, NULL}) == KZG_ERR_NULL_ARG,
          "allocator without malloc_fn");
    void *z = kzg_calloc(5, 0);
    CHECK(z != NULL, "calloc of 5 × 0 bytes must give a valid pointer");
    kzg_free(z);
    kzg_alloc_stats_get(NULL); /* documented as a no-op */
}

static void test_ctx_profile_info__null_arguments(void) {
    char buf[64];
    bool applied = true;
    CHECK(kzg_ctx_profile_info(NULL, buf, sizeof buf, &applied) == KZG_ERR_NULL_ARG && !applied,
          "NULL ctx: applied must be false");
    CHECK(kzg_ctx_profile_info(ctx, NULL, sizeof buf, &applied) == KZG_ERR_NULL_ARG, "NULL buf");
    CHECK(kzg_ctx_profile_info(ctx, buf, sizeof buf, NULL) == KZG_ERR_NULL_ARG, "NULL applied");
}

static void test_challenge_hooks__null_arguments(void) {
    uint8_t out[32];
    kzg_blob *b = calloc(1, sizeof *b);
    kzg_commitment c = {{0xc0}};
    CHECK(eip4844_compute_challenge(NULL, b, &c) == KZG_ERR_NULL_ARG, "4844: NULL out");
    CHECK(eip4844_compute_challenge(out, b, NULL) == KZG_ERR_NULL_ARG, "4844: NULL commitment");
    uint64_t idx = 0;
    kzg_cell *cell = calloc(1, sizeof *cell);
    kzg_proof pr = {{0xc0}};
    CHECK(eip7594_compute_challenge(NULL, &c, 1, &idx, &idx, cell, &pr, 1) == KZG_ERR_NULL_ARG,
          "7594: NULL out");
    CHECK(eip7594_compute_challenge(out, NULL, 1, &idx, &idx, cell, &pr, 1) == KZG_ERR_NULL_ARG,
          "7594: NULL commitments");
    const void *arrays[4] = {&idx, &idx, cell, &pr};
    for (int k = 0; k < 4; k++) {
        CHECK(eip7594_compute_challenge(out, &c, 1, k == 0 ? NULL : &idx, k == 1 ? NULL : &idx,
                                        k == 2 ? NULL : cell, k == 3 ? NULL : &pr, 1) == KZG_ERR_NULL_ARG,
              "7594: array %d NULL", k);
        (void)arrays;
    }
    CHECK(eip7594_compute_challenge(out, NULL, 0, NULL, NULL, NULL, NULL, 0) == KZG_OK,
          "7594: nothing at all is a valid (empty) transcript: %s", kzg_last_error());
    free(cell);
    free(b);
}

static void test_recover__both_outputs_null(void) {
    uint64_t idx[64];
    kzg_cell *cells = calloc(64, sizeof *cells);
    for (int i = 0; i < 64; i++) idx[i] = (uint64_t)i;
    CHECK(kzg_recover_cells_and_kzg_proofs(ctx, NULL, NULL, idx, cells, 64) == KZG_ERR_NULL_ARG &&
              strstr(kzg_last_error(), "both NULL"),
          "recover with nowhere to write: %s", kzg_last_error());
    free(cells);
}

static void test_cache__null_arguments(void) {
    cache_config cfg = {.budget_bytes = 1 << 12};
    cache_t *c = NULL;
    CHECK(cache_new(&c, &cfg) == KZG_OK, "cache_new");
    uint8_t key[CACHE_KEY_BYTES] = {7}, v[8];
    size_t len = 99;
    CHECK(!cache_get(NULL, v, sizeof v, &len, key) && len == 0, "get: NULL cache, *len zeroed");
    CHECK(!cache_get(c, v, sizeof v, &len, NULL), "get: NULL key");
    CHECK(!cache_get(c, v, sizeof v, NULL, key), "get: NULL len");
    CHECK(!cache_get(c, NULL, sizeof v, &len, key), "get: NULL value with a capacity");
    cache_stats(c, NULL); /* no-op */
    cache_free(c);
}

int main(void) {
    testrand_init("test_api_edges");
    if (kzg_ctx_new(&ctx, NULL) != KZG_OK) return 1;
    test_processor__null_arguments_and_absurd_n();
    test_batch_extensions__absurd_n_writes_nothing();
    test_allocator__incomplete_hooks_and_zero_sizes();
    test_ctx_profile_info__null_arguments();
    test_challenge_hooks__null_arguments();
    test_recover__both_outputs_null();
    test_cache__null_arguments();
    kzg_ctx_free(ctx);
    return test_report();
}
