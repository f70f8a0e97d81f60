/*
 * test_eip7594_concurrent — the process's call scratch (setup_scratch_take, issue 13's first
 * call): one static block, written by the first context's constructor, lent to one call at a
 * time whatever its context. Oracles: the lending rules themselves (a second taker, an
 * oversized request and a call on another context while it is lent get memory of their own;
 * a returned block is lent again); compute_cells,
 * recover_cells and verify_blob_kzg_proof (whose blob scalars come from the block too) on a
 * free block allocate nothing at all (kzg_alloc_stats), so their first call has no fresh
 * pages to fault in; and four threads sharing one context, so that
 * the block is contended on nearly every call, get byte for byte the answers of a
 * single-threaded run (under TSan in `make tsan`: the flag's acquire/release orders every
 * reuse of the block).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "eip7594/eip7594_internal.h"
#include "testblob.h"
#include "testrand.h"

#define THREADS 4
#define ROUNDS 3

static kzg_ctx *ctx;
static kzg_blob blob;
static kzg_cell *want_cells;      /* [CELLS], compute_cells of blob */
static uint64_t half_idx[CELLS / 2];
static kzg_cell *half_cells;      /* [CELLS / 2], the odd cells */
static kzg_commitment commitment; /* of blob */
static kzg_proof blob_proof;      /* compute_blob_kzg_proof of blob */

static void test_eip7594_concurrent__lending_rules(void) {
    kzg_ctx *other = NULL;
    const void *block = setup_scratch_block();
    void *a = setup_scratch_take(ctx, SETUP_SCRATCH_BYTES);
    void *b = setup_scratch_take(ctx, 64);
    CHECK(a == block, "a free block was not lent");
    CHECK(b && b != block, "a second taker got the lent block (or nothing)");
    setup_scratch_give(ctx, b);
    setup_scratch_give(ctx, a);
    void *big = setup_scratch_take(ctx, SETUP_SCRATCH_BYTES + 1);
    CHECK(big && big != block, "an oversized request got the block (or nothing)");
    void *again = setup_scratch_take(ctx, 1);
    CHECK(again == block, "the returned block was not lent again (oversized request holding it?)");
    setup_scratch_give(ctx, again);
    setup_scratch_give(ctx, big);
    setup_scratch_give(ctx, NULL); /* nothing to return: no effect */
    if (kzg_ctx_new(&other, NULL) != KZG_OK) {
        CHECK(false, "second context: %s", kzg_last_error());
        return;
    }
    a = setup_scratch_take(ctx, 1);
    b = setup_scratch_take(other, 1);
    CHECK(a == block && b && b != block, "a call on another context got the lent block (or nothing)");
    setup_scratch_give(other, b);
    setup_scratch_give(ctx, a);
    b = setup_scratch_take(other, 1);
    CHECK(b == block, "another context's call did not get the free block");
    setup_scratch_give(other, b);
    kzg_ctx_free(other);
}

static void test_eip7594_concurrent__no_allocation_on_a_free_block(void) {
    kzg_cell *out = malloc(CELLS * sizeof *out);
    kzg_alloc_stats s0, s1, s2;
    if (!out) {
        CHECK(false, "out of memory");
        return;
    }
    kzg_alloc_stats_get(&s0);
    CHECK(kzg_compute_cells(ctx, out, &blob) == KZG_OK, "compute_cells: %s", kzg_last_error());
    kzg_alloc_stats_get(&s1);
    CHECK(memcmp(out, want_cells, CELLS * sizeof *out) == 0, "compute_cells: cells differ");
    CHECK(s1.allocations == s0.allocations, "compute_cells allocated %llu blocks on a free context",
          (unsigned long long)(s1.allocations - s0.allocations));
    CHECK(kzg_recover_cells(ctx, out, half_idx, half_cells, CELLS / 2) == KZG_OK, "recover_cells: %s",
          kzg_last_error());
    kzg_alloc_stats_get(&s2);
    CHECK(memcmp(out, want_cells, CELLS * sizeof *out) == 0, "recover_cells: cells differ");
    CHECK(s2.allocations == s1.allocations, "recover_cells allocated %llu blocks on a free context",
          (unsigned long long)(s2.allocations - s1.allocations));
    bool ok = false;
    CHECK(kzg_verify_blob_kzg_proof(ctx, &ok, &blob, &commitment, &blob_proof) == KZG_OK && ok,
          "verify_blob_kzg_proof: %s", kzg_last_error());
    kzg_alloc_stats_get(&s1);
    CHECK(s1.allocations == s2.allocations, "verify_blob_kzg_proof allocated %llu blocks on a free context",
          (unsigned long long)(s1.allocations - s2.allocations));
    free(out);
}

typedef struct worker {
    unsigned id;
    kzg_cell *out;
    unsigned wrong, failed;
} worker;

static void *worker_main(void *arg) {
    worker *w = arg;
    for (unsigned r = 0; r < ROUNDS; r++) {
        /* Threads alternate the two users of the block, in different phases. */
        kzg_status st = (r + w->id) % 2 ? kzg_recover_cells(ctx, w->out, half_idx, half_cells, CELLS / 2)
                                        : kzg_compute_cells(ctx, w->out, &blob);
        if (st != KZG_OK) w->failed++;
        else if (memcmp(w->out, want_cells, CELLS * sizeof *w->out) != 0) w->wrong++;
    }
    return NULL;
}

static void test_eip7594_concurrent__shared_context(void) {
    worker w[THREADS];
    pthread_t th[THREADS];
    unsigned started = 0;
    for (unsigned i = 0; i < THREADS; i++) {
        w[i] = (worker){.id = i, .out = malloc(CELLS * sizeof *w[i].out)};
        if (!w[i].out || pthread_create(&th[i], NULL, worker_main, &w[i]) != 0) {
            CHECK(false, "cannot start worker %u", i);
            free(w[i].out);
            break;
        }
        started++;
    }
    for (unsigned i = 0; i < started; i++) {
        pthread_join(th[i], NULL);
        CHECK(w[i].failed == 0 && w[i].wrong == 0, "worker %u: %u calls failed, %u gave other cells", i,
              w[i].failed, w[i].wrong);
        free(w[i].out);
    }
    void *p = setup_scratch_take(ctx, 1);
    CHECK(p == setup_scratch_block(), "the block is still lent after every call returned");
    setup_scratch_give(ctx, p);
}

int main(void) {
    testrand_init("test_eip7594_concurrent");
    want_cells = malloc(CELLS * sizeof *want_cells);
    half_cells = malloc(CELLS / 2 * sizeof *half_cells);
    if (!want_cells || !half_cells || kzg_ctx_new(&ctx, NULL) != KZG_OK) {
        fprintf(stderr, "cannot set up: %s\n", kzg_last_error());
        return 1;
    }
    testrand_blob(&blob, true);
    if (kzg_compute_cells(ctx, want_cells, &blob) != KZG_OK ||
        kzg_blob_to_kzg_commitment(ctx, &commitment, &blob) != KZG_OK ||
        kzg_compute_blob_kzg_proof(ctx, &blob_proof, &blob, &commitment) != KZG_OK) {
        fprintf(stderr, "the fixtures: %s\n", kzg_last_error());
        return 1;
    }
    for (size_t i = 0; i < CELLS / 2; i++) {
        half_idx[i] = 2 * i + 1;
        half_cells[i] = want_cells[2 * i + 1];
    }
    test_eip7594_concurrent__lending_rules();
    test_eip7594_concurrent__no_allocation_on_a_free_block();
    test_eip7594_concurrent__shared_context();
    kzg_ctx_free(ctx);
    free(want_cells);
    free(half_cells);
    return test_report();
}
