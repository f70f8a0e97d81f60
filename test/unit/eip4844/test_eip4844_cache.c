/* test_eip4844_cache — the context's result cache: a repeated call is answered from the
 * cache with the same bytes; keys bind every input (a changed proof is not a hit and gives
 * its own answer); errors are never cached; stats count exactly. */
#include <stdlib.h>
#include <string.h>

#include "kzgkit.h"
#include "testrand.h"

int main(void) {
    testrand_init("test_eip4844_cache");
    kzg_ctx *ctx = NULL, *plain = NULL;
    kzg_blob *blob = malloc(sizeof *blob);
    kzg_commitment c1, c2, c3;
    kzg_proof p1, p2, bad;
    kzg_cache_stats st;
    bool ok = false;
    if (!blob) return 1;
    testrand_bytes(blob->bytes, sizeof blob->bytes);
    for (size_t j = 0; j < KZG_FIELD_ELEMENTS_PER_BLOB; j++) blob->bytes[j * 32] &= 0x3f;
    kzg_ctx_options o = {.struct_size = sizeof o, .cache_bytes = 1 << 20};
    CHECK(kzg_ctx_new(&ctx, &o) == KZG_OK, "ctx: %s", kzg_last_error());
    CHECK(kzg_ctx_new(&plain, NULL) == KZG_OK, "plain ctx");

    CHECK(kzg_blob_to_kzg_commitment(ctx, &c1, blob) == KZG_OK, "commit 1");
    CHECK(kzg_blob_to_kzg_commitment(ctx, &c2, blob) == KZG_OK, "commit 2");
    CHECK(kzg_blob_to_kzg_commitment(plain, &c3, blob) == KZG_OK, "commit plain");
    CHECK(!memcmp(&c1, &c2, sizeof c1) && !memcmp(&c1, &c3, sizeof c1), "cached commitment differs");
    kzg_ctx_cache_stats(ctx, &st);
    CHECK(st.hits == 1 && st.misses == 1, "after commits: hits %llu misses %llu",
          (unsigned long long)st.hits, (unsigned long long)st.misses);

    CHECK(kzg_compute_blob_kzg_proof(ctx, &p1, blob, &c1) == KZG_OK, "prove 1");
    CHECK(kzg_compute_blob_kzg_proof(ctx, &p2, blob, &c1) == KZG_OK, "prove 2");
    CHECK(!memcmp(&p1, &p2, sizeof p1), "cached proof differs");
    CHECK(kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c1, &p1) == KZG_OK && ok, "verify 1");
    ok = false;
    CHECK(kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c1, &p1) == KZG_OK && ok, "verify 2 (cached)");
    /* Another valid point as the proof: a different key, and false. */
    bad = c1;
    CHECK(kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c1, &bad) == KZG_OK && !ok, "wrong proof verified");
    CHECK(kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c1, &bad) == KZG_OK && !ok, "cached false became true");
    /* A malformed proof: an error every time, never cached. */
    bad.bytes[0] &= 0x7f;
    for (int k = 0; k < 2; k++) {
        ok = true;
        CHECK(kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c1, &bad) == KZG_ERR_POINT_ENCODING && !ok,
              "malformed proof, call %d", k);
        CHECK(strstr(kzg_last_error(), "proof") != NULL, "detail '%s'", kzg_last_error());
    }
    kzg_ctx_cache_stats(ctx, &st);
    CHECK(st.hits == 4, "hits %llu (commit, proof, verify true, verify false)", (unsigned long long)st.hits);
    CHECK(st.entries == 4, "entries %llu", (unsigned long long)st.entries);
    kzg_ctx_cache_stats(plain, &st);
    CHECK(st.hits == 0 && st.entries == 0, "a context without a cache has counters");
    CHECK(kzg_ctx_cache_stats(NULL, &st) == KZG_ERR_NULL_ARG, "NULL ctx");

    /* Adaptive mode: the range must hold the starting budget and the target be in (0, 1). */
    kzg_ctx *adaptive = NULL;
    kzg_ctx_options a = {.struct_size = sizeof a, .cache_bytes = 1 << 16,
                         .cache_target_hit_rate = 0.8, .cache_max_bytes = 1 << 20};
    CHECK(kzg_ctx_new(&adaptive, &a) == KZG_OK, "adaptive ctx: %s", kzg_last_error());
    CHECK(kzg_blob_to_kzg_commitment(adaptive, &c3, blob) == KZG_OK && !memcmp(&c3, &c1, sizeof c1),
          "adaptive cache commitment");
    kzg_ctx_free(adaptive);
    adaptive = NULL;
    a.cache_max_bytes = 1 << 10;
    CHECK(kzg_ctx_new(&adaptive, &a) == KZG_ERR_BAD_ARG && !adaptive, "max below the budget accepted");
    a.cache_max_bytes = 1 << 20;
    a.cache_target_hit_rate = 1.5;
    CHECK(kzg_ctx_new(&adaptive, &a) == KZG_ERR_BAD_ARG && !adaptive, "target 1.5 accepted");

    kzg_ctx_free(ctx);
    kzg_ctx_free(plain);
    free(blob);
    return test_report();
}
