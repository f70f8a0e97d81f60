/* test_processor — the blob batch processor: results equal the single-blob functions,
 * duplicates are computed once, the cache serves repeats across calls, errors name the
 * caller's index, and the statistics count exactly. */
#include <stdlib.h>
#include <string.h>

#include "kzgkit.h"
#include "testrand.h"

static kzg_ctx *ctx;

static void random_blob(kzg_blob *b) {
    testrand_bytes(b->bytes, sizeof b->bytes);
    for (size_t j = 0; j < KZG_FIELD_ELEMENTS_PER_BLOB; j++) b->bytes[j * 32] &= 0x3f;
}

/* The reference: the spec functions one blob at a time. */
static void expected(kzg_commitment *c, kzg_proof *p, const kzg_blob *b) {
    CHECK(kzg_blob_to_kzg_commitment(ctx, c, b) == KZG_OK, "commit: %s", kzg_last_error());
    CHECK(kzg_compute_blob_kzg_proof(ctx, p, b, c) == KZG_OK, "prove: %s", kzg_last_error());
}

static void test_processor__dedups_caches_and_matches_single_functions(void) {
    enum { N = 6 };
    kzg_blob *distinct = malloc(4 * sizeof *distinct), *in = malloc(N * sizeof *in);
    kzg_commitment ec[4], c[N];
    kzg_proof ep[4], p[N];
    kzg_processor *proc = NULL;
    kzg_processor_options o = {.struct_size = sizeof o, .verify = 1, .cache_bytes = 1 << 20};
    kzg_processor_stats s;
    bool ok = false;
    for (int i = 0; i < 4; i++) {
        random_blob(&distinct[i]);
        expected(&ec[i], &ep[i], &distinct[i]);
    }
    /* A B A A C B */
    int pick[N] = {0, 1, 0, 0, 2, 1};
    for (int i = 0; i < N; i++) in[i] = distinct[pick[i]];
    CHECK(kzg_processor_new(&proc, ctx, &o) == KZG_OK, "new: %s", kzg_last_error());
    CHECK(kzg_processor_run(proc, c, p, &ok, in, N) == KZG_OK, "run: %s", kzg_last_error());
    CHECK(ok, "verification reported false");
    for (int i = 0; i < N; i++)
        CHECK(!memcmp(&c[i], &ec[pick[i]], sizeof c[i]) && !memcmp(&p[i], &ep[pick[i]], sizeof p[i]),
              "result %d differs from the single-blob functions", i);
    kzg_processor_stats_get(proc, &s);
    CHECK(s.calls == 1 && s.blobs == N && s.duplicates == 3 && s.computed == 3 && s.cache_hits == 0,
          "stats after call 1: calls %llu blobs %llu dups %llu computed %llu hits %llu",
          (unsigned long long)s.calls, (unsigned long long)s.blobs,
          (unsigned long long)s.duplicates, (unsigned long long)s.computed,
          (unsigned long long)s.cache_hits);
    /* Second call: B (cached) and D (new). */
    in[0] = distinct[1];
    in[1] = distinct[3];
    CHECK(kzg_processor_run(proc, c, p, &ok, in, 2) == KZG_OK, "run 2: %s", kzg_last_error());
    CHECK(!memcmp(&c[0], &ec[1], sizeof c[0]) && !memcmp(&p[1], &ep[3], sizeof p[1]),
          "call 2 results differ");
    kzg_processor_stats_get(proc, &s);
    CHECK(s.cache_hits == 1 && s.computed == 4 && s.cache.hits == 1, "stats after call 2: hits %llu "
          "computed %llu", (unsigned long long)s.cache_hits, (unsigned long long)s.computed);
    CHECK(kzg_processor_run(proc, NULL, NULL, &ok, NULL, 0) == KZG_OK && ok, "n = 0 is not ok");
    kzg_processor_free(proc);

    /* Without a cache a repeat across calls is computed again. */
    o.cache_bytes = 0;
    o.verify = 0;
    CHECK(kzg_processor_new(&proc, ctx, &o) == KZG_OK, "new without cache");
    CHECK(kzg_processor_run(proc, c, p, NULL, in, 1) == KZG_OK, "run");
    CHECK(kzg_processor_run(proc, c, p, NULL, in, 1) == KZG_OK, "run again");
    kzg_processor_stats_get(proc, &s);
    CHECK(s.computed == 2 && s.cache_hits == 0, "no-cache processor served a hit");
    kzg_processor_free(proc);
    free(distinct);
    free(in);
}

static void test_processor__bad_blob_names_the_callers_index(void) {
    kzg_blob *in = malloc(4 * sizeof *in);
    kzg_commitment c[4];
    kzg_proof p[4];
    kzg_processor *proc = NULL;
    bool ok = true;
    random_blob(&in[0]);
    in[1] = in[0];
    random_blob(&in[2]);
    in[3] = in[2];
    memset(in[3].bytes + 77 * 32, 0xff, 32); /* element 77 of blob 3 is >= r */
    CHECK(kzg_processor_new(&proc, ctx, NULL) == KZG_OK, "new");
    kzg_status st = kzg_processor_run(proc, c, p, &ok, in, 4);
    CHECK(st == KZG_ERR_SCALAR_NONCANONICAL, "status %d", st);
    CHECK(strstr(kzg_last_error(), "blobs[3]") && strstr(kzg_last_error(), "element 77"),
          "detail '%s'", kzg_last_error());
    kzg_commitment zero;
    memset(&zero, 0, sizeof zero);
    CHECK(!memcmp(&c[0], &zero, sizeof zero) && !ok, "outputs not zeroed on failure");
    CHECK(kzg_processor_run(NULL, c, p, &ok, in, 1) == KZG_ERR_NULL_ARG, "NULL processor");
    CHECK(kzg_processor_run(proc, NULL, p, &ok, in, 1) == KZG_ERR_NULL_ARG, "NULL outputs");
    kzg_processor_options bad = {.struct_size = 3};
    kzg_processor *q = (kzg_processor *)1;
    CHECK(kzg_processor_new(&q, ctx, &bad) == KZG_ERR_BAD_ARG && q == NULL, "bad struct_size");
    CHECK(kzg_processor_new(&q, NULL, NULL) == KZG_ERR_NULL_ARG, "NULL ctx");
    kzg_processor_free(proc);
    free(in);
}

static void test_processor__records_metrics(void) {
    kzg_metrics *m = NULL;
    kzg_processor *proc = NULL;
    kzg_blob *b = malloc(sizeof *b);
    kzg_commitment c;
    kzg_proof p;
    random_blob(b);
    CHECK(kzg_metrics_new(&m) == KZG_OK, "metrics_new");
    kzg_processor_options o = {.struct_size = sizeof o, .metrics = m};
    CHECK(kzg_processor_new(&proc, ctx, &o) == KZG_OK, "new");
    CHECK(kzg_processor_run(proc, &c, &p, NULL, b, 1) == KZG_OK, "run");
    kzg_metrics_stats *s = malloc(sizeof *s);
    CHECK(s && kzg_metrics_snapshot(m, s) == KZG_OK, "snapshot");
    if (s) CHECK(s->ops[KZG_OP_PROCESS_BLOBS].calls == 1, "process_blobs calls %llu",
                 (unsigned long long)s->ops[KZG_OP_PROCESS_BLOBS].calls);
    free(s);
    kzg_processor_free(proc);
    kzg_metrics_free(m);
    free(b);
}

int main(void) {
    testrand_init("test_processor");
    if (kzg_ctx_new(&ctx, NULL) != KZG_OK) {
        fprintf(stderr, "kzg_ctx_new: %s\n", kzg_last_error());
        return 1;
    }
    test_processor__dedups_caches_and_matches_single_functions();
    test_processor__bad_blob_names_the_callers_index();
    test_processor__records_metrics();
    kzg_ctx_free(ctx);
    return test_report();
}
