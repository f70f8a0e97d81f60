/*
 * test_eip4844_numa — kzg_ctx_options.numa: on this machine a context with KZG_NUMA_ON
 * (placed even on one node) and one with KZG_NUMA_OFF give byte-identical commitments,
 * proofs and batch verifications to a one-thread context; kzg_ctx_numa_info says what
 * was placed (AUTO on one node: nothing); a bad policy is KZG_ERR_BAD_ARG naming the field.
 */
#include <stdlib.h>

#include "kzgkit/eip4844.h"
#include "runtime/numa.h"
#include "setup/setup.h"
#include "testblob.h"
#include "testrand.h"

enum { NB = 3 };

static kzg_blob *blobs;

typedef struct results {
    kzg_commitment c[NB];
    kzg_proof p[NB];
    bool ok, ok_bad;
} results;

static void run(results *r, const kzg_ctx *ctx, const char *name) {
    memset(r, 0, sizeof *r);
    CHECK(kzg_blob_to_kzg_commitment_batch(ctx, r->c, blobs, NB) == KZG_OK, "%s: commit: %s", name,
          kzg_last_error());
    for (size_t i = 0; i < NB; i++)
        CHECK(kzg_compute_blob_kzg_proof(ctx, &r->p[i], &blobs[i], &r->c[i]) == KZG_OK, "%s: prove %zu", name, i);
    CHECK(kzg_verify_blob_kzg_proof_batch(ctx, &r->ok, blobs, r->c, r->p, NB) == KZG_OK && r->ok,
          "%s: batch does not verify: %s", name, kzg_last_error());
    kzg_proof swapped[NB];
    memcpy(swapped, r->p, sizeof swapped);
    swapped[0] = r->p[1];
    swapped[1] = r->p[0];
    CHECK(kzg_verify_blob_kzg_proof_batch(ctx, &r->ok_bad, blobs, r->c, swapped, NB) == KZG_OK && !r->ok_bad,
          "%s: swapped proofs verify", name);
}

static kzg_ctx *ctx_with(uint32_t threads, uint32_t numa) {
    kzg_ctx *c = NULL;
    kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
    o.threads = threads;
    o.numa = numa;
    CHECK(kzg_ctx_new(&c, &o) == KZG_OK && c, "threads %u numa %u: %s", threads, numa, kzg_last_error());
    return c;
}

static void test_ctx_numa__same_results_placed_or_not(void) {
    results ref, r;
    kzg_ctx *one = ctx_with(1, KZG_NUMA_AUTO);
    if (!one) return;
    run(&ref, one, "1 thread");
    static const uint32_t pol[3] = {KZG_NUMA_AUTO, KZG_NUMA_OFF, KZG_NUMA_ON};
    for (int i = 0; i < 3; i++) {
        kzg_ctx *c = ctx_with(2, pol[i]);
        if (!c) continue;
        run(&r, c, "2 threads");
        CHECK(memcmp(&r, &ref, sizeof r) == 0, "numa %u: results differ from 1 thread", pol[i]);
        kzg_ctx_free(c);
    }
    kzg_ctx_free(one);
}

static void test_ctx_numa__info(void) {
    char buf[512];
    const numa_topology *t = numa_topology_system(NULL, NULL);
    unsigned nodes = numa_nodes_with_cpus(t);
    kzg_ctx *c = ctx_with(2, KZG_NUMA_AUTO);
    if (c) {
        CHECK(kzg_ctx_numa_info(c, buf, sizeof buf) == KZG_OK, "info");
        if (nodes == 1)
            CHECK(strcmp(buf, "policy auto: no placement (one node)") == 0, "AUTO one node: '%s'", buf);
        printf("test_eip4844_numa: threads 2, auto: %s\n", buf);
        kzg_ctx_free(c);
    }
    c = ctx_with(2, KZG_NUMA_OFF);
    if (c) {
        CHECK(kzg_ctx_numa_info(c, buf, sizeof buf) == KZG_OK &&
              strcmp(buf, "policy off: no placement (policy off)") == 0, "OFF: '%s'", buf);
        kzg_ctx_free(c);
    }
    c = ctx_with(0, KZG_NUMA_ON);
    if (c) {
        CHECK(kzg_ctx_numa_info(c, buf, sizeof buf) == KZG_OK &&
              strcmp(buf, "policy on: no placement (caller only: no worker to place)") == 0, "ON 1 thread: '%s'", buf);
        kzg_ctx_free(c);
    }
    c = ctx_with(3, KZG_NUMA_ON);
    if (c) {
        CHECK(kzg_ctx_numa_info(c, buf, sizeof buf) == KZG_OK, "info");
        char want[64];
        snprintf(want, sizeof want, "policy on: %u node%s (policy on): node ", nodes, nodes == 1 ? "" : "s");
        CHECK(strncmp(buf, want, strlen(want)) == 0, "ON: '%s'", buf);
        /* Two workers to pin: both pinned, or the refusal named (never an error). */
        CHECK(strstr(buf, "; pinned 2 of 2 workers") || strstr(buf, "the others unpinned"), "ON: '%s'", buf);
        printf("test_eip4844_numa: threads 3, on: %s\n", buf);
        kzg_ctx_free(c);
    }
    /* Truncation and bad arguments. */
    c = ctx_with(2, KZG_NUMA_OFF);
    if (c) {
        char small[8];
        CHECK(kzg_ctx_numa_info(c, small, sizeof small) == KZG_OK && strcmp(small, "policy ") == 0, "cut '%s'", small);
        CHECK(kzg_ctx_numa_info(c, small, 0) == KZG_ERR_LENGTH, "buf_len 0");
        CHECK(kzg_ctx_numa_info(c, NULL, 8) == KZG_ERR_NULL_ARG, "NULL buf");
        kzg_ctx_free(c);
    }
    buf[0] = 'x';
    CHECK(kzg_ctx_numa_info(NULL, buf, sizeof buf) == KZG_ERR_NULL_ARG && buf[0] == '\0', "NULL ctx");
}

static void test_ctx_numa__bad_policy(void) {
    static const uint32_t bad[] = {3, 4, 0xffffffffu};
    for (size_t i = 0; i < KZG_ARRAY_LEN(bad); i++) {
        kzg_ctx *c = (kzg_ctx *)&bad;
        kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
        o.threads = 2;
        o.numa = bad[i];
        char want[32];
        snprintf(want, sizeof want, "numa = %u", bad[i]);
        CHECK(kzg_ctx_new(&c, &o) == KZG_ERR_BAD_ARG && c == NULL, "numa %u accepted", bad[i]);
        CHECK(strstr(kzg_last_error(), want) != NULL, "detail: %s", kzg_last_error());
    }
}

int main(void) {
    testrand_init("test_eip4844_numa");
    blobs = calloc(NB, sizeof *blobs);
    if (!blobs) return 1;
    for (size_t i = 0; i < NB; i++) testrand_blob(&blobs[i], false);
    test_ctx_numa__same_results_placed_or_not();
    test_ctx_numa__info();
    test_ctx_numa__bad_policy();
    free(blobs);
    return test_report();
}
