/* test_processor_concurrent — several threads share one processor (and its cache) and one
 * two-thread context: every result equals the single-blob functions'. Run under TSan. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kzgkit.h"
#include "testrand.h"

enum { DISTINCT = 3, THREADS = 3, ROUNDS = 2, PER_CALL = 4 };

static kzg_ctx *ctx;
static kzg_processor *proc;
static kzg_blob *blobs;
static kzg_commitment ec[DISTINCT];
static kzg_proof ep[DISTINCT];

static void *worker(void *arg) {
    unsigned seed = (unsigned)(uintptr_t)arg;
    kzg_blob *in = malloc(PER_CALL * sizeof *in);
    int pick[PER_CALL];
    kzg_commitment c[PER_CALL];
    kzg_proof p[PER_CALL];
    for (int r = 0; in && r < ROUNDS; r++) {
        for (int i = 0; i < PER_CALL; i++) {
            pick[i] = (int)((seed + (unsigned)(r * 7 + i * 5)) % DISTINCT);
            in[i] = blobs[pick[i]];
        }
        bool ok = false;
        CHECK(kzg_processor_run(proc, c, p, &ok, in, PER_CALL) == KZG_OK && ok, "run: %s",
              kzg_last_error());
        for (int i = 0; i < PER_CALL; i++)
            CHECK(!memcmp(&c[i], &ec[pick[i]], sizeof c[i]) && !memcmp(&p[i], &ep[pick[i]], sizeof p[i]),
                  "thread %u round %d result %d differs", seed, r, i);
    }
    free(in);
    return NULL;
}

int main(void) {
    testrand_init("test_processor_concurrent");
    kzg_ctx_options o = {.struct_size = sizeof o, .threads = 2};
    if (kzg_ctx_new(&ctx, &o) != KZG_OK) {
        fprintf(stderr, "kzg_ctx_new: %s\n", kzg_last_error());
        return 1;
    }
    blobs = malloc(DISTINCT * sizeof *blobs);
    if (!blobs) return 1;
    for (int i = 0; i < DISTINCT; i++) {
        testrand_bytes(blobs[i].bytes, sizeof blobs[i].bytes);
        for (size_t j = 0; j < KZG_FIELD_ELEMENTS_PER_BLOB; j++) blobs[i].bytes[j * 32] &= 0x3f;
        CHECK(kzg_blob_to_kzg_commitment(ctx, &ec[i], &blobs[i]) == KZG_OK, "commit");
        CHECK(kzg_compute_blob_kzg_proof(ctx, &ep[i], &blobs[i], &ec[i]) == KZG_OK, "prove");
    }
    kzg_processor_options po = {.struct_size = sizeof po, .verify = 1, .cache_bytes = 1 << 16};
    CHECK(kzg_processor_new(&proc, ctx, &po) == KZG_OK, "processor_new");
    pthread_t th[THREADS];
    for (uintptr_t t = 0; t < THREADS; t++) pthread_create(&th[t], NULL, worker, (void *)t);
    for (int t = 0; t < THREADS; t++) pthread_join(th[t], NULL);
    kzg_processor_stats s;
    kzg_processor_stats_get(proc, &s);
    CHECK(s.blobs == THREADS * ROUNDS * PER_CALL, "blobs %llu", (unsigned long long)s.blobs);
    CHECK(s.duplicates + s.cache_hits + s.computed == s.blobs, "accounting does not add up");
    kzg_processor_free(proc);
    kzg_ctx_free(ctx);
    free(blobs);
    return test_report();
}
