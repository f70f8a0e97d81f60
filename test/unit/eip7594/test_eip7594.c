/*
 * test_eip7594 — the EIP-7594 functions through the public API, on the embedded setup.
 * Oracles: round trips (cells and proofs made here verify in any batch shape; a tampered
 * cell, proof or index does not), recovery from exactly half the cells (random subsets,
 * all-even, all-odd, second half, random) gives back every cell and proof, compute_cells
 * agrees with compute_cells_and_kzg_proofs, the first 64 cells are the blob itself (the
 * extension is systematic), and commitments are the blob's Lagrange-basis MSM, and for malformed input the exact
 * status, a detail naming the input and index, and zeroed outputs. Byte-exactness with the
 * consensus specs is test_eip7594_vectors' job.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "eip7594/eip7594_internal.h"
#include "msm/msm.h"
#include "testblob.h"
#include "testrand.h"

static kzg_ctx *ctx;

static bool all_zero(const void *p, size_t n) {
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i]) return false;
    return true;
}

static void put_modulus(uint8_t out[32]) {
    for (int k = 0; k < 4; k++)
        for (int j = 0; j < 8; j++) out[31 - 8 * k - j] = (uint8_t)(FR_R[k] >> (8 * j));
}

static void g1_bytes_with_status(uint8_t out[48], kzg_status want) {
    g1_aff_t a;
    for (uint32_t x = 1;; x++) {
        memset(out, 0, 48);
        out[0] = 0x80;
        out[46] = (uint8_t)(x >> 8), out[47] = (uint8_t)x;
        if (g1_decompress(&a, out) == want) return;
    }
}

#define EXPECT(call, want, detail, what)                                                       \
    do {                                                                                       \
        kzg_status st_ = (call);                                                               \
        CHECK(st_ == (want), "%s: status %d (%s), want %d; detail: %s", what, st_,             \
              kzg_status_str(st_), want, kzg_last_error());                                     \
        if ((want) != KZG_OK)                                                                  \
            CHECK(strstr(kzg_last_error(), detail) != NULL, "%s: detail \"%s\" lacks \"%s\"",  \
                  what, kzg_last_error(), detail);                                             \
    } while (0)

/* The blob's commitment (blob_to_kzg_commitment, without the EIP-4844 layer). */
static void commit(kzg_commitment *out, const kzg_blob *blob) {
    fr_t *poly = malloc(KZG_FIELD_ELEMENTS_PER_BLOB * sizeof *poly);
    void *scratch = malloc(g1_msm_scratch_size(KZG_FIELD_ELEMENTS_PER_BLOB));
    g1_t c;
    g1_aff_t a;
    for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) fr_from_bytes_be(&poly[i], blob->bytes + 32 * i);
    g1_msm_var(&c, ctx->setup.g1_lagrange_brp, poly, KZG_FIELD_ELEMENTS_PER_BLOB, NULL, scratch);
    g1_to_aff(&a, &c);
    g1_compress(out->bytes, &a);
    free(poly);
    free(scratch);
}

/* Shared fixtures: two random blobs, their commitments, cells and proofs. */
static kzg_blob *blobs;
static kzg_commitment commits[2];
static kzg_cell *cells[2];
static kzg_proof proofs[2][CELLS];

static void test_eip7594__compute_agrees_with_blob(void) {
    kzg_cell *only = malloc(CELLS * sizeof *only);
    kzg_proof p2[CELLS];
    for (int b = 0; b < 2; b++) {
        EXPECT(kzg_compute_cells(ctx, only, &blobs[b]), KZG_OK, "", "compute_cells");
        CHECK(memcmp(only, cells[b], CELLS * sizeof *only) == 0, "blob %d: compute_cells differs", b);
        /* The first 64 cells are the blob itself (its 4096 values in the same bit-reversed
         * order: brp13 of an index < 4096 is 2·brp12 of it). */
        CHECK(memcmp(cells[b], blobs[b].bytes, KZG_BYTES_PER_BLOB) == 0,
              "blob %d: the first half of the extension is not the blob", b);
    }
    /* Proofs only. */
    EXPECT(kzg_compute_cells_and_kzg_proofs(ctx, NULL, p2, &blobs[0]), KZG_OK, "", "proofs only");
    CHECK(memcmp(p2, proofs[0], sizeof p2) == 0, "proofs-only output differs");
    free(only);
}

static void test_eip7594__verify_round_trip(void) {
    size_t n = 2 * CELLS;
    kzg_commitment *cs = malloc(n * sizeof *cs);
    kzg_cell *xs = malloc(n * sizeof *xs);
    kzg_proof *ps = malloc(n * sizeof *ps);
    uint64_t *idx = malloc(n * sizeof *idx);
    bool ok;
    /* All cells of both blobs, interleaved. */
    for (size_t k = 0; k < n; k++) {
        size_t b = k & 1, i = k >> 1;
        cs[k] = commits[b], xs[k] = cells[b][i], ps[k] = proofs[b][i], idx[k] = i;
    }
    EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, xs, ps, n), KZG_OK, "", "verify all");
    CHECK(ok, "all 256 cells of two blobs do not verify");
    /* Single cells, random subsets, repeats. */
    for (int round = 0; round < 4; round++) {
        size_t m = 1 + (size_t)testrand_range(12);
        kzg_commitment sc[12];
        kzg_cell *sx = malloc(12 * sizeof *sx);
        kzg_proof sp[12];
        uint64_t si[12];
        for (size_t k = 0; k < m; k++) {
            size_t b = (size_t)testrand_range(2), i = (size_t)testrand_range(CELLS);
            sc[k] = commits[b], sx[k] = cells[b][i], sp[k] = proofs[b][i], si[k] = i;
        }
        EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, sc, si, sx, sp, m), KZG_OK, "", "verify subset");
        CHECK(ok, "round %d: a subset of %zu cells does not verify", round, m);
        /* Tampering: one element of one cell; a proof; an index; a commitment. */
        size_t t = (size_t)testrand_range(m);
        sx[t].bytes[32 * testrand_range(64) + 31] ^= 1;
        EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, sc, si, sx, sp, m), KZG_OK, "", "tampered cell");
        CHECK(!ok, "round %d: a tampered cell verifies", round);
        free(sx);
    }
    /* Columns (few distinct indices: the grouped path): one index across both blobs, cells
     * repeated; then two indices; then a tampered proof in a column. */
    for (int shape = 0; shape < 3; shape++) {
        size_t m = 8;
        kzg_commitment cc[8];
        kzg_cell *cx = malloc(8 * sizeof *cx);
        kzg_proof cp[8];
        uint64_t ci[8];
        for (size_t k = 0; k < m; k++) {
            size_t b = k & 1, i = shape == 1 && k >= 4 ? 90 : 17;
            cc[k] = commits[b], cx[k] = cells[b][i], cp[k] = proofs[b][i], ci[k] = i;
        }
        if (shape == 2) cp[3] = proofs[0][18];
        EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, cc, ci, cx, cp, m), KZG_OK, "", "column");
        CHECK(ok == (shape != 2), "column shape %d: verdict %d", shape, ok);
        free(cx);
    }
    idx[5] ^= 1;
    EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, xs, ps, n), KZG_OK, "", "wrong index");
    CHECK(!ok, "a cell under a wrong index verifies");
    idx[5] ^= 1;
    ps[7] = ps[9];
    EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, xs, ps, n), KZG_OK, "", "wrong proof");
    CHECK(!ok, "a cell with another cell's proof verifies");
    ps[7] = proofs[1][3];
    cs[4] = commits[1];
    EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, xs, ps, n), KZG_OK, "", "wrong commitment");
    CHECK(!ok, "a cell under another blob's commitment verifies");
    /* n = 0, NULL arrays allowed. */
    ok = false;
    EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, NULL, NULL, NULL, NULL, 0), KZG_OK, "", "n = 0");
    CHECK(ok, "an empty batch does not verify");
    free(cs);
    free(xs);
    free(ps);
    free(idx);
}

static void check_recovery(const uint64_t *idx, size_t n, int b, const char *what) {
    kzg_cell *given = malloc(n * sizeof *given), *out = malloc(CELLS * sizeof *out);
    kzg_proof p[CELLS];
    for (size_t k = 0; k < n; k++) given[k] = cells[b][idx[k]];
    EXPECT(kzg_recover_cells_and_kzg_proofs(ctx, out, p, idx, given, n), KZG_OK, "", what);
    CHECK(memcmp(out, cells[b], CELLS * sizeof *out) == 0, "%s: recovered cells differ", what);
    CHECK(memcmp(p, proofs[b], sizeof p) == 0, "%s: recovered proofs differ", what);
    memset(out, 0, CELLS * sizeof *out);
    EXPECT(kzg_recover_cells(ctx, out, idx, given, n), KZG_OK, "", what);
    CHECK(memcmp(out, cells[b], CELLS * sizeof *out) == 0, "%s: recover_cells differs", what);
    free(given);
    free(out);
}

static void test_eip7594__recover_from_half(void) {
    uint64_t idx[CELLS];
    for (size_t k = 0; k < CELLS / 2; k++) idx[k] = 2 * k;
    check_recovery(idx, CELLS / 2, 0, "all even");
    for (size_t k = 0; k < CELLS / 2; k++) idx[k] = 2 * k + 1;
    check_recovery(idx, CELLS / 2, 1, "all odd");
    for (size_t k = 0; k < CELLS / 2; k++) idx[k] = CELLS / 2 + k;
    check_recovery(idx, CELLS / 2, 0, "second half");
    for (size_t k = 0; k < CELLS; k++) idx[k] = k;
    check_recovery(idx, CELLS, 1, "nothing missing");
    for (int round = 0; round < 2; round++) {
        /* A random subset of exactly half (or a random size above), in ascending order. */
        bool take[CELLS] = {false};
        size_t want = CELLS / 2 + (round ? (size_t)testrand_range(CELLS / 2) : 0), have = 0, n = 0;
        while (have < want) {
            size_t i = (size_t)testrand_range(CELLS);
            if (!take[i]) take[i] = true, have++;
        }
        for (size_t i = 0; i < CELLS; i++)
            if (take[i]) idx[n++] = i;
        check_recovery(idx, n, round, round ? "random subset" : "random half");
    }
}

static void test_eip7594__malformed_inputs(void) {
    kzg_cell *out = malloc(CELLS * sizeof *out), *xs = malloc(CELLS * sizeof *xs);
    kzg_blob *bad = malloc(sizeof *bad);
    kzg_proof p[CELLS];
    uint64_t idx[CELLS];
    kzg_commitment cs[4];
    kzg_proof ps[4];
    bool ok;
    for (size_t k = 0; k < CELLS; k++) idx[k] = k, xs[k] = cells[0][k];

    /* A non-canonical blob element: status, element index, zeroed outputs. */
    *bad = blobs[0];
    put_modulus(bad->bytes + 32 * 77);
    memset(out, 0xaa, CELLS * sizeof *out);
    memset(p, 0xaa, sizeof p);
    EXPECT(kzg_compute_cells_and_kzg_proofs(ctx, out, p, bad), KZG_ERR_SCALAR_NONCANONICAL,
           "field element 77", "bad blob");
    CHECK(all_zero(out, CELLS * sizeof *out) && all_zero(p, sizeof p), "outputs not zeroed");
    EXPECT(kzg_compute_cells(ctx, out, bad), KZG_ERR_SCALAR_NONCANONICAL, "field element 77", "bad blob");
    EXPECT(kzg_compute_cells_and_kzg_proofs(ctx, NULL, NULL, &blobs[0]), KZG_ERR_NULL_ARG, "NULL", "no outputs");
    EXPECT(kzg_compute_cells(NULL, out, &blobs[0]), KZG_ERR_NULL_ARG, "ctx", "NULL ctx");

    /* Recovery: counts, indices, cells. */
    EXPECT(kzg_recover_cells_and_kzg_proofs(ctx, out, p, idx, xs, CELLS / 2 - 1), KZG_ERR_LENGTH,
           "63 cells", "too few");
    EXPECT(kzg_recover_cells_and_kzg_proofs(ctx, out, p, idx, xs, 0), KZG_ERR_LENGTH, "0 cells", "none");
    EXPECT(kzg_recover_cells(ctx, out, idx, xs, CELLS + 1), KZG_ERR_LENGTH, "129 cells", "too many");
    idx[3] = 2;
    memset(out, 0xaa, CELLS * sizeof *out);
    EXPECT(kzg_recover_cells_and_kzg_proofs(ctx, out, p, idx, xs, CELLS), KZG_ERR_BAD_ARG,
           "cell_indices[3] = 2 is a duplicate", "duplicate");
    CHECK(all_zero(out, CELLS * sizeof *out), "outputs not zeroed after a duplicate index");
    idx[3] = CELLS;
    EXPECT(kzg_recover_cells_and_kzg_proofs(ctx, out, p, idx, xs, CELLS), KZG_ERR_BAD_ARG,
           "cell_indices[3] = 128 is out of range", "out of range");
    idx[3] = 3;
    idx[10] = 11, idx[11] = 10;
    EXPECT(kzg_recover_cells_and_kzg_proofs(ctx, out, p, idx, xs, CELLS), KZG_ERR_BAD_ARG,
           "must be ascending", "out of order");
    idx[10] = 10, idx[11] = 11;
    put_modulus(xs[9].bytes + 32 * 5);
    EXPECT(kzg_recover_cells(ctx, out, idx, xs, CELLS), KZG_ERR_SCALAR_NONCANONICAL,
           "cells[9]: field element 5", "non-canonical cell");

    /* Verification: index range, cell, commitment and proof encodings. */
    for (int k = 0; k < 4; k++) cs[k] = commits[0], ps[k] = proofs[0][k], idx[k] = (uint64_t)k;
    idx[2] = 1000;
    ok = true;
    EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, xs, ps, 4), KZG_ERR_BAD_ARG,
           "cell_indices[2] = 1000", "verify index");
    CHECK(!ok, "ok set on failure");
    idx[2] = 2;
    xs[9] = cells[0][9];
    put_modulus(xs[1].bytes + 32 * 63);
    EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, xs, ps, 4), KZG_ERR_SCALAR_NONCANONICAL,
           "cells[1]: field element 63", "verify cell");
    xs[1] = cells[0][1];
    g1_bytes_with_status(ps[3].bytes, KZG_ERR_POINT_NOT_ON_CURVE);
    EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, xs, ps, 4), KZG_ERR_POINT_NOT_ON_CURVE,
           "proofs[3]", "verify proof");
    ps[3] = proofs[0][3];
    g1_bytes_with_status(cs[2].bytes, KZG_ERR_POINT_NOT_IN_SUBGROUP);
    EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, xs, ps, 4), KZG_ERR_POINT_NOT_IN_SUBGROUP,
           "commitments[2]", "verify commitment");
    cs[2] = commits[0];
    cs[1].bytes[0] &= 0x7f; /* compression flag cleared */
    EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, xs, ps, 4), KZG_ERR_POINT_ENCODING,
           "commitments[1]", "verify encoding");
    cs[1] = commits[0];
    EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, xs, ps, 4), KZG_OK, "", "restored");
    CHECK(ok, "the restored batch does not verify");
    EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, NULL, xs, ps, 4), KZG_ERR_NULL_ARG,
           "cell_indices is NULL", "NULL indices");
    /* the other pointers, and an absurd count refused before any array is read (issue 15
     * §2: arms that coverage found unexercised) */
    EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, NULL, cs, idx, xs, ps, 4), KZG_ERR_NULL_ARG, "ok is NULL", "NULL ok");
    EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, NULL, ps, 4), KZG_ERR_NULL_ARG, "cells is NULL", "NULL cells");
    EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, xs, NULL, 4), KZG_ERR_NULL_ARG, "proofs is NULL", "NULL proofs");
    EXPECT(kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, xs, ps, SIZE_MAX / 4), KZG_ERR_LENGTH, "too large",
           "absurd n");
    CHECK(!ok, "ok set on failure");
    EXPECT(kzg_compute_cells(ctx, NULL, &blobs[0]), KZG_ERR_NULL_ARG, "cells_out is NULL", "NULL cells_out");
    EXPECT(kzg_compute_cells(ctx, out, NULL), KZG_ERR_NULL_ARG, "blob is NULL", "NULL blob");
    EXPECT(kzg_recover_cells(ctx, NULL, idx, xs, CELLS / 2), KZG_ERR_NULL_ARG, "cells_out is NULL", "recover NULL out");
    free(out);
    free(xs);
    free(bad);
}

static void test_eip7594__challenge_hook_matches_verify_shape(void) {
    /* The hook rejects non-canonical evaluations and is deterministic. */
    uint8_t a[32], b[32];
    uint64_t ci[2] = {0, 0}, ix[2] = {3, 5};
    kzg_cell *xs = malloc(2 * sizeof *xs);
    xs[0] = cells[0][3], xs[1] = cells[0][5];
    EXPECT(eip7594_compute_challenge(a, commits, 1, ci, ix, xs, proofs[0], 2), KZG_OK, "", "hook");
    EXPECT(eip7594_compute_challenge(b, commits, 1, ci, ix, xs, proofs[0], 2), KZG_OK, "", "hook again");
    CHECK(memcmp(a, b, 32) == 0, "the challenge is not deterministic");
    put_modulus(xs[1].bytes);
    EXPECT(eip7594_compute_challenge(a, commits, 1, ci, ix, xs, proofs[0], 2), KZG_ERR_SCALAR_NONCANONICAL,
           "cosets_evals[1]", "hook non-canonical");
    CHECK(all_zero(a, 32), "hook output not zeroed");
    free(xs);
}

/* The fixed-base table knob and the context's threads: the same proofs and verdicts as
 * without them (windows of 8 and 9 bits: top windows of 7 and 3 bits), and the knob's
 * argument checks. */
static void test_eip7594__tables_and_threads_agree(void) {
    static const unsigned bits[3] = {8, 9, 0}, threads[3] = {2, 1, 2};
    kzg_cell *out = malloc(CELLS * sizeof *out);
    kzg_proof p[CELLS];
    kzg_commitment cs[CELLS];
    uint64_t idx[CELLS];
    kzg_cell *half = malloc(CELLS / 2 * sizeof *half);
    bool ok;
    for (size_t k = 0; k < CELLS / 2; k++) idx[k] = 2 * k + 1, half[k] = cells[1][2 * k + 1];
    for (int i = 0; i < 3; i++) {
        kzg_ctx *c2 = NULL;
        kzg_ctx_options opt;
        memset(&opt, 0, sizeof opt);
        opt.struct_size = sizeof opt;
        opt.threads = threads[i];
        if (i == 0) opt.eip7594_table_bits = bits[i]; /* the preferred way; the others: precompute */
        if (kzg_ctx_new(&c2, &opt) != KZG_OK) {
            CHECK(false, "cannot create a second context: %s", kzg_last_error());
            break;
        }
        EXPECT(kzg_eip7594_precompute(c2, 3), KZG_ERR_BAD_ARG, "table_bits = 3", "bits too small");
        EXPECT(kzg_eip7594_precompute(c2, 11), KZG_ERR_BAD_ARG, "table_bits = 11", "bits too large");
        EXPECT(kzg_eip7594_precompute(c2, bits[i]), KZG_OK, "", "precompute");
        EXPECT(kzg_eip7594_precompute(c2, bits[i]), KZG_OK, "", "precompute again");
        EXPECT(kzg_eip7594_precompute(c2, bits[i] ? 0 : 8), KZG_ERR_BAD_ARG, "already built", "other bits");
        EXPECT(kzg_compute_cells_and_kzg_proofs(c2, out, p, &blobs[0]), KZG_OK, "", "table proofs");
        CHECK(memcmp(p, proofs[0], sizeof p) == 0, "table_bits %u, %u threads: proofs differ", bits[i], threads[i]);
        EXPECT(kzg_recover_cells_and_kzg_proofs(c2, out, p, idx, half, CELLS / 2), KZG_OK, "", "table recover");
        CHECK(memcmp(p, proofs[1], sizeof p) == 0, "table_bits %u, %u threads: recovered proofs differ",
              bits[i], threads[i]);
        for (size_t k = 0; k < CELLS; k++) cs[k] = commits[0], idx[k] = k;
        EXPECT(kzg_verify_cell_kzg_proof_batch(c2, &ok, cs, idx, cells[0], proofs[0], CELLS), KZG_OK, "",
               "verify on c2");
        CHECK(ok, "%u threads: 128 cells do not verify", threads[i]);
        memcpy(p, proofs[0], sizeof p);
        g1_bytes_with_status(p[100].bytes, KZG_ERR_POINT_NOT_IN_SUBGROUP);
        g1_bytes_with_status(p[120].bytes, KZG_ERR_POINT_NOT_ON_CURVE);
        EXPECT(kzg_verify_cell_kzg_proof_batch(c2, &ok, cs, idx, cells[0], p, CELLS),
               KZG_ERR_POINT_NOT_IN_SUBGROUP, "proofs[100]", "first bad proof");
        for (size_t k = 0; k < CELLS / 2; k++) idx[k] = 2 * k + 1;
        kzg_ctx_free(c2);
    }
    EXPECT(kzg_eip7594_precompute(NULL, 8), KZG_ERR_NULL_ARG, "ctx", "NULL ctx");
    free(out);
    free(half);
}

/* Two threads race to publish a fresh context's FK20 tables (the first to publish wins, the
 * other frees its copy) and compute the same proofs: with table_bits 0 both publish the
 * embedded block; with 10 both build a table. */
typedef struct race_arg {
    kzg_ctx *ctx;
    unsigned table_bits;
    kzg_proof p[CELLS];
    kzg_status st;
} race_arg;

static void *race_main(void *arg) {
    race_arg *r = arg;
    r->st = kzg_eip7594_precompute(r->ctx, r->table_bits);
    if (r->st == KZG_OK) r->st = kzg_compute_cells_and_kzg_proofs(r->ctx, NULL, r->p, &blobs[0]);
    return NULL;
}

static void test_eip7594__lazy_tables_race(void) {
    static const unsigned bits[2] = {0, 10};
    for (int b = 0; b < 2; b++) {
        kzg_ctx *c2 = NULL;
        race_arg *r = calloc(2, sizeof *r);
        pthread_t th[2];
        if (!r || kzg_ctx_new(&c2, NULL) != KZG_OK) {
            CHECK(false, "cannot set up the race");
            free(r);
            return;
        }
        for (int i = 0; i < 2; i++) {
            r[i].ctx = c2;
            r[i].table_bits = bits[b];
            CHECK(pthread_create(&th[i], NULL, race_main, &r[i]) == 0, "pthread_create");
        }
        for (int i = 0; i < 2; i++) {
            pthread_join(th[i], NULL);
            CHECK(r[i].st == KZG_OK && memcmp(r[i].p, proofs[0], sizeof r[i].p) == 0,
                  "table_bits %u, racing thread %d: status %d or proofs differ", bits[b], i, r[i].st);
        }
        kzg_ctx_free(c2);
        free(r);
    }
}

int main(void) {
    testrand_init("test_eip7594");
    if (kzg_ctx_new(&ctx, NULL) != KZG_OK) {
        fprintf(stderr, "cannot create a context: %s\n", kzg_last_error());
        return 1;
    }
    blobs = malloc(2 * sizeof *blobs);
    cells[0] = malloc(CELLS * sizeof *cells[0]);
    cells[1] = malloc(CELLS * sizeof *cells[1]);
    for (int b = 0; b < 2; b++) {
        testrand_blob(&blobs[b], true);
        commit(&commits[b], &blobs[b]);
        EXPECT(kzg_compute_cells_and_kzg_proofs(ctx, cells[b], proofs[b], &blobs[b]), KZG_OK, "", "cells");
    }
    test_eip7594__compute_agrees_with_blob();
    test_eip7594__verify_round_trip();
    test_eip7594__recover_from_half();
    test_eip7594__malformed_inputs();
    test_eip7594__challenge_hook_matches_verify_shape();
    test_eip7594__tables_and_threads_agree();
    test_eip7594__lazy_tables_race();
    free(blobs);
    free(cells[0]);
    free(cells[1]);
    kzg_ctx_free(ctx);
    return test_report();
}
