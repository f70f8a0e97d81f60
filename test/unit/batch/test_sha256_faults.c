/*
 * test_sha256_faults — fault injection into SHA-256 (issue 15 §3): every public function
 * that hashes (Fiat–Shamir challenges, result-cache keys, the processor's keys, the setup
 * hash of a validated load, the table cache's key and checksum) is called with the k-th
 * digest failing, for every k the call reaches, as an OpenSSL failure and as a context that
 * cannot be allocated. Each failing call returns KZG_ERR_INTERNAL or KZG_ERR_MEMORY with a
 * detail that names SHA-256, zeroes its outputs and leaks nothing (ASan in CI); where the
 * hash only keys a cache, the call succeeds without it. Right after, the same call without
 * a fault gives the reference answer.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/sha256.h"
#include "eip4844/eip4844_internal.h"
#include "eip7594/eip7594_internal.h"
#include "kzgkit.h"
#include "msm/msm.h"
#include "testrand.h"

enum { WIDE = 17 }; /* a group of sixteen and one more */
static kzg_ctx *ctx, *ctx2, *cached;
static kzg_blob *blobs;
static kzg_commitment com[2], wcom[WIDE];
static kzg_proof prf[2], wprf[WIDE];

static void rand_blob(kzg_blob *b) {
    for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) {
        for (int j = 0; j < 32; j++) b->bytes[32 * i + j] = (uint8_t)testrand_u64();
        b->bytes[32 * i] &= 0x3f; /* below r */
    }
}

/* The outcome of a call under an injected fault. */
static bool fault_ok(kzg_status st, const char *what, long k) {
    if (st == KZG_OK) return true;
    CHECK((st == KZG_ERR_INTERNAL || st == KZG_ERR_MEMORY) && strstr(kzg_last_error(), "SHA-256"),
          "%s, digest %ld failing: status %d, detail '%s'", what, k, (int)st, kzg_last_error());
    return false;
}

/* Runs `call` with digest k failing for k = 1, 2, ... until a call no longer reaches the
 * fault (the hook is still armed after it); returns how many calls failed. */
#define SWEEP(what, alloc, failing_ok, call, after_fail)                                      \
    do {                                                                                      \
        long k_;                                                                              \
        for (k_ = 1; k_ < 64; k_++) {                                                         \
            sha256_fail_alloc = (alloc);                                                      \
            sha256_fail_at = k_;                                                              \
            kzg_status st_ = (call);                                                          \
            bool reached_ = sha256_fail_at == 0;                                              \
            sha256_fail_at = 0;                                                               \
            if (!reached_) break;                                                             \
            if (fault_ok(st_, what, k_)) { CHECK(failing_ok, "%s: digest %ld failed but the call succeeded", what, k_); } \
            else { after_fail; }                                                              \
        }                                                                                     \
        CHECK(k_ > 1, "%s: no digest was reached", what);                                     \
    } while (0)

static void test_eip4844__every_digest_failing(void) {
    for (int alloc = 0; alloc < 2; alloc++) {
        bool ok = true;
        SWEEP("verify_blob_kzg_proof", alloc, false,
              kzg_verify_blob_kzg_proof(ctx, &ok, &blobs[0], &com[0], &prf[0]),
              CHECK(!ok, "verify_blob: *ok true after a failure"));
        ok = true;
        SWEEP("verify_blob_kzg_proof_batch", alloc, false,
              kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, com, prf, 2),
              CHECK(!ok, "verify batch: *ok true after a failure"));
        kzg_proof p;
        SWEEP("compute_blob_kzg_proof", alloc, false, kzg_compute_blob_kzg_proof(ctx, &p, &blobs[0], &com[0]),
              CHECK(memcmp(&p, &(kzg_proof){{0}}, sizeof p) == 0, "compute_blob_kzg_proof: output not zeroed"));
        /* The spec's compute_challenge on its own (the reference tests' entry point). */
        uint8_t ch[32];
        SWEEP("compute_challenge", alloc, false, eip4844_compute_challenge(ch, &blobs[0], &com[0]),
              CHECK(memcmp(ch, (uint8_t[32]){0}, 32) == 0, "compute_challenge: output not zeroed"));
        /* A context with a result cache: a failed key means no caching, never a failure. */
        kzg_commitment c;
        SWEEP("blob_to_kzg_commitment (cached ctx)", alloc, true,
              kzg_blob_to_kzg_commitment(cached, &c, &blobs[1]), (void)0);
        CHECK(kzg_blob_to_kzg_commitment(cached, &c, &blobs[1]) == KZG_OK && !memcmp(&c, &com[1], sizeof c),
              "cached commitment after the faults");
    }
    /* A batch of WIDE blobs: with the IFMA backend its challenges are hashed sixteen at a
     * time (sha256_many) before the blobs are checked; a failed one is reported at its blob's
     * step. On 1 and on 2 threads (the hashing runs on the pool). */
    for (int alloc = 0; alloc < 2; alloc++)
        for (int t = 0; t < 2; t++) {
            bool ok = true;
            SWEEP("verify_blob_kzg_proof_batch (wide)", alloc, false,
                  kzg_verify_blob_kzg_proof_batch(t ? ctx2 : ctx, &ok, blobs, wcom, wprf, WIDE),
                  CHECK(!ok, "verify batch (wide): *ok true after a failure"));
        }
    bool ok = false;
    CHECK(kzg_verify_blob_kzg_proof_batch(ctx, &ok, blobs, com, prf, 2) == KZG_OK && ok,
          "the batch verifies after the faults");
    ok = false;
    CHECK(kzg_verify_blob_kzg_proof_batch(ctx2, &ok, blobs, wcom, wprf, WIDE) == KZG_OK && ok,
          "the wide batch verifies after the faults");
    kzg_proof p;
    CHECK(kzg_compute_blob_kzg_proof(ctx, &p, &blobs[0], &com[0]) == KZG_OK && !memcmp(&p, &prf[0], sizeof p),
          "the proof after the faults");
}

static void test_eip7594_and_processor__every_digest_failing(void) {
    kzg_cell *cells = malloc(KZG_CELLS_PER_EXT_BLOB * sizeof *cells);
    kzg_proof *proofs = malloc(KZG_CELLS_PER_EXT_BLOB * sizeof *proofs);
    kzg_commitment cs[4];
    uint64_t idx[4] = {0, 5, 77, 127};
    kzg_cell in[4];
    kzg_proof ip[4];
    CHECK(kzg_compute_cells_and_kzg_proofs(ctx, cells, proofs, &blobs[0]) == KZG_OK, "cells");
    for (int i = 0; i < 4; i++) cs[i] = com[0], in[i] = cells[idx[i]], ip[i] = proofs[idx[i]];
    for (int alloc = 0; alloc < 2; alloc++) {
        bool ok = true;
        SWEEP("verify_cell_kzg_proof_batch", alloc, false,
              kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, in, ip, 4),
              CHECK(!ok, "cell batch: *ok true after a failure"));
    }
    uint64_t cidx[4] = {0, 0, 0, 0};
    uint8_t ch[32], want[32];
    CHECK(eip7594_compute_challenge(want, cs, 1, cidx, idx, in, ip, 4) == KZG_OK, "cell challenge");
    for (int alloc = 0; alloc < 2; alloc++)
        SWEEP("compute_verify_cell_kzg_proof_batch_challenge", alloc, false,
              eip7594_compute_challenge(ch, cs, 1, cidx, idx, in, ip, 4),
              CHECK(memcmp(ch, (uint8_t[32]){0}, 32) == 0, "cell challenge: output not zeroed"));
    CHECK(eip7594_compute_challenge(ch, cs, 1, cidx, idx, in, ip, 4) == KZG_OK && !memcmp(ch, want, 32),
          "the cell challenge after the faults");
    bool ok = false;
    CHECK(kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, in, ip, 4) == KZG_OK && ok,
          "the cells verify after the faults");

    kzg_processor *p = NULL;
    kzg_processor_options o = KZG_PROCESSOR_OPTIONS_INIT;
    o.cache_bytes = 1 << 20;
    CHECK(kzg_processor_new(&p, ctx, &o) == KZG_OK, "processor");
    kzg_commitment pc[2];
    kzg_proof pp[2];
    for (int alloc = 0; p && alloc < 2; alloc++)
        SWEEP("processor_run", alloc, false, kzg_processor_run(p, pc, pp, NULL, blobs, 2),
              CHECK(pc[0].bytes[0] == 0 && pp[1].bytes[0] == 0, "processor: outputs not zeroed"));
    CHECK(p && kzg_processor_run(p, pc, pp, NULL, blobs, 2) == KZG_OK && !memcmp(pc, com, sizeof pc) &&
              !memcmp(pp, prf, sizeof pp), "the processor's answers after the faults");
    kzg_processor_free(p);
    free(cells);
    free(proofs);
}

/* The table cache hashes its key and its contents: a failed digest means no cache file is
 * used (load or save), never a wrong table. */
static void test_table_cache__every_digest_failing(void) {
    enum { N = 16 };
    g1_aff_t pts[N];
    g1_t g, q;
    g1_from_aff(&g, &G1_GENERATOR_AFF);
    msm_scalar sc[N];
    for (int i = 0; i < N; i++) {
        uint64_t k[4] = {testrand_u64(), testrand_u64(), testrand_u64(), testrand_u64() >> 2};
        g1_mul_raw_var(&q, &g, k, 4);
        g1_to_aff(&pts[i], &q);
        for (int j = 0; j < 4; j++) sc[i].l[j] = k[j];
    }
    char path[128];
    snprintf(path, sizeof path, "/tmp/kzgkit-sha-faults-%ld.bin", (long)getpid());
    remove(path);
    g1_t want;
    void *s = malloc(g1_msm_raw_scratch_size(N));
    g1_msm_raw_var(&want, pts, sc, N, NULL, s);
    free(s);
    for (int round = 0; round < 2; round++) /* no file yet, then a saved one */
        for (int alloc = 0; alloc < 2; alloc++) {
            msm_table *t = NULL;
            SWEEP("msm_table_new with a cache path", alloc, true,
                  (msm_table_free(t), t = NULL, msm_table_new(&t, pts, N, 5, path, 1, NULL, NULL)), (void)0);
            g1_t got;
            void *ts = t ? malloc(msm_table_msm_scratch_size(t, 1)) : NULL;
            if (ts) msm_table_msm_var(&got, t, sc, ts, 1, NULL, NULL, 0);
            CHECK(t && ts && g1_eq(&got, &want), "table MSM after digest faults (round %d)", round);
            free(ts);
            msm_table_free(t);
        }
    remove(path);
}

int main(void) {
    testrand_init("test_sha256_faults");
    kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
    o.cache_bytes = 1 << 20;
    kzg_ctx_options o2 = KZG_CTX_OPTIONS_INIT;
    o2.threads = 2;
    if (kzg_ctx_new(&ctx, NULL) != KZG_OK || kzg_ctx_new(&cached, &o) != KZG_OK ||
        kzg_ctx_new(&ctx2, &o2) != KZG_OK)
        return 1;
    blobs = malloc(WIDE * sizeof *blobs);
    for (int i = 0; i < WIDE; i++) {
        rand_blob(&blobs[i]);
        if (kzg_blob_to_kzg_commitment(ctx, &wcom[i], &blobs[i]) != KZG_OK ||
            kzg_compute_blob_kzg_proof(ctx, &wprf[i], &blobs[i], &wcom[i]) != KZG_OK)
            return 1;
    }
    memcpy(com, wcom, sizeof com);
    memcpy(prf, wprf, sizeof prf);
    test_eip4844__every_digest_failing();
    test_eip7594_and_processor__every_digest_failing();
    test_table_cache__every_digest_failing();
    free(blobs);
    kzg_ctx_free(ctx);
    kzg_ctx_free(ctx2);
    kzg_ctx_free(cached);
    return test_report();
}
