/*
 * test_ckzg — libkzgkit-ckzg (compat/ckzg/ckzg.h) against kzgkit's own API.
 *
 * Every call goes through ckzg.h; kzgkit's public API on the embedded mainnet setup is the
 * oracle: byte-equal commitments, proofs, evaluations, cells and recoveries on seeded random
 * blobs, verification true and false; then c-kzg's answer on every error path (NULL and
 * unloaded settings, NULL outputs, non-canonical scalars, bad points, empty batches, cell
 * indices out of range, duplicated or out of order, cell counts, precompute values, setups
 * that must not load) with outputs left as c-kzg leaves them; and the setup's life cycle
 * (load from c-kzg's text via a FILE*, from bytes, free twice, free a zeroed struct).
 */
#define _GNU_SOURCE /* fmemopen */
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

#include "ckzg.h"
#include "setup_text.h"
#include "testrand.h"
#include <kzgkit.h>

#ifndef CKZG_SETUP_JSON
#error "CKZG_SETUP_JSON: the path of data/trusted_setup.json"
#endif

/* SHA-256 of c-kzg-4844's src/trusted_setup.txt (data/README.md). */
static const char CKZG_SETUP_TXT_SHA256[] =
    "d39b9f2d047cc9dca2de58f264b6a09448ccd34db967881a6713eacacf0f26b7";

static setup_raw *raw;       /* the mainnet points, from the JSON */
static char *setup_txt;      /* c-kzg's text form of them */
static size_t setup_txt_len;
static KZGSettings S;        /* loaded through load_trusted_setup_file, precompute 0 */
static kzg_ctx *ref;         /* kzgkit's embedded mainnet setup: the oracle */

/* ---- helpers ------------------------------------------------------------------------- */

static FILE *text_stream(const char *text, size_t len) {
    return fmemopen((void *)text, len, "r");
}

static C_KZG_RET load_text(KZGSettings *s, const char *text, size_t len, uint64_t precompute) {
    FILE *f = text_stream(text, len);
    if (!f) return C_KZG_ERROR;
    C_KZG_RET ret = load_trusted_setup_file(s, f, precompute);
    fclose(f);
    return ret;
}

/* A canonical scalar (below 2^254 < r), edge-biased. */
static void rand_scalar(uint8_t out[32]) {
    testrand_bytes_edge(out, 32);
    out[0] &= 0x3f;
}

static void rand_blob(Blob *b) {
    for (size_t i = 0; i < FIELD_ELEMENTS_PER_BLOB; i++) rand_scalar(b->bytes + 32 * i);
}

/* The scalar modulus r, big-endian: the smallest non-canonical scalar. */
static const uint8_t R_BYTES[32] = {0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8,
                                    0x08, 0x09, 0xa1, 0xd8, 0x05, 0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe,
                                    0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01};

static bool all_bytes(const void *p, size_t n, uint8_t v) {
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != v) return false;
    return true;
}

/* A compressed G1 encoding that kzgkit rejects with `want` (found by trying x = 1, 2, ...
 * with the compression flag; kzgkit's public verify_kzg_proof names the failing check). */
static void g1_bytes_failing(Bytes48 *out, kzg_status want) {
    kzg_field_element zero = {{0}};
    kzg_proof inf = {{0xc0}};
    bool ok;
    for (uint32_t x = 1; x < 100000; x++) {
        memset(out->bytes, 0, 48);
        out->bytes[0] = 0x80;
        out->bytes[45] = (uint8_t)(x >> 16), out->bytes[46] = (uint8_t)(x >> 8), out->bytes[47] = (uint8_t)x;
        if (kzg_verify_kzg_proof(ref, &ok, (const kzg_commitment *)out, &zero, &zero, &inf) == want) return;
    }
    CHECK(false, "no x below 100000 gives status %d", want);
}

#define EXPECT_RET(call, want, what)                                                        \
    do {                                                                                    \
        C_KZG_RET r_ = (call);                                                              \
        CHECK(r_ == (want), "%s: returned %d, want %d", what, (int)r_, (int)(want));        \
    } while (0)

/* ---- setup -------------------------------------------------------------------------- */

static void test_setup_text__is_ckzgs_file(void) {
    uint8_t md[32];
    char hex[65];
    SHA256((const unsigned char *)setup_txt, setup_txt_len, md);
    for (int i = 0; i < 32; i++) sprintf(hex + 2 * i, "%02x", md[i]);
    CHECK(strcmp(hex, CKZG_SETUP_TXT_SHA256) == 0, "the rendered trusted_setup.txt has SHA-256 %s, c-kzg's %s",
          hex, CKZG_SETUP_TXT_SHA256);
}

static void test_load_trusted_setup__bytes_and_file_agree(void) {
    KZGSettings b;
    Blob *blob = malloc(sizeof *blob);
    KZGCommitment c1, c2;
    memset(&b, 0xa5, sizeof b); /* garbage in: load must not read it */
    EXPECT_RET(load_trusted_setup(&b, raw->g1_monomial, sizeof raw->g1_monomial, raw->g1_lagrange,
                                  sizeof raw->g1_lagrange, raw->g2_monomial, sizeof raw->g2_monomial, 0),
               C_KZG_OK, "load_trusted_setup");
    rand_blob(blob);
    EXPECT_RET(blob_to_kzg_commitment(&c1, blob, &S), C_KZG_OK, "commit (file setup)");
    EXPECT_RET(blob_to_kzg_commitment(&c2, blob, &b), C_KZG_OK, "commit (bytes setup)");
    CHECK(memcmp(&c1, &c2, sizeof c1) == 0, "the two loads give different commitments");
    free_trusted_setup(&b);
    free_trusted_setup(&b); /* twice: harmless */
    EXPECT_RET(blob_to_kzg_commitment(&c1, blob, &b), C_KZG_BADARGS, "commit with a freed setup");
    KZGSettings zero;
    memset(&zero, 0, sizeof zero);
    free_trusted_setup(&zero);
    free_trusted_setup(NULL);
    EXPECT_RET(blob_to_kzg_commitment(&c1, blob, &zero), C_KZG_BADARGS, "commit with an unloaded setup");
    free(blob);
}

/* Setups c-kzg refuses: each BADARGS, and *out left unloaded (free is safe). */
static void test_load_trusted_setup__rejects(void) {
    KZGSettings s;
    setup_raw *bad = malloc(sizeof *bad);
#define LOAD(r, g1m_len, g1l_len, g2m_len, pre)                                                  \
    load_trusted_setup(&s, (r)->g1_monomial, g1m_len, (r)->g1_lagrange, g1l_len, (r)->g2_monomial, \
                       g2m_len, pre)
    const uint64_t n1 = sizeof raw->g1_monomial, n2 = sizeof raw->g2_monomial;
    EXPECT_RET(LOAD(raw, n1 - 48, n1, n2, 0), C_KZG_BADARGS, "short g1_monomial");
    CHECK(s.ctx == NULL, "*out loaded after a failure");
    EXPECT_RET(LOAD(raw, n1, n1 + 48, n2, 0), C_KZG_BADARGS, "long g1_lagrange");
    EXPECT_RET(LOAD(raw, n1, n1, n2 - 1, 0), C_KZG_BADARGS, "short g2_monomial");
    EXPECT_RET(LOAD(raw, n1, n1, n2, 16), C_KZG_BADARGS, "precompute 16");
    EXPECT_RET(LOAD(raw, n1, n1, n2, UINT64_MAX), C_KZG_BADARGS, "precompute 2^64-1");
    EXPECT_RET(load_trusted_setup(NULL, raw->g1_monomial, n1, raw->g1_lagrange, n1, raw->g2_monomial, n2, 0),
               C_KZG_BADARGS, "NULL out");
    EXPECT_RET(load_trusted_setup(&s, NULL, n1, raw->g1_lagrange, n1, raw->g2_monomial, n2, 0), C_KZG_BADARGS,
               "NULL g1_monomial");
    /* A point that does not decode. */
    memcpy(bad, raw, sizeof *bad);
    bad->g1_monomial[5 * 48] &= 0x7f; /* compression flag cleared */
    EXPECT_RET(LOAD(bad, n1, n1, n2, 0), C_KZG_BADARGS, "g1_monomial[5] not compressed");
    memcpy(bad, raw, sizeof *bad);
    bad->g2_monomial[96 + 40] ^= 1;
    EXPECT_RET(LOAD(bad, n1, n1, n2, 0), C_KZG_BADARGS, "g2_monomial[1] off the curve (or x >= p)");
    /* Lagrange and monomial bases swapped: c-kzg's "not in Lagrange form" check. */
    memcpy(bad->g1_monomial, raw->g1_lagrange, sizeof bad->g1_monomial);
    memcpy(bad->g1_lagrange, raw->g1_monomial, sizeof bad->g1_lagrange);
    memcpy(bad->g2_monomial, raw->g2_monomial, sizeof bad->g2_monomial);
    EXPECT_RET(LOAD(bad, n1, n1, n2, 0), C_KZG_BADARGS, "bases swapped");
    CHECK(s.ctx == NULL, "*out loaded after a failure");
    free_trusted_setup(&s);
#undef LOAD
    free(bad);
}

static void test_load_trusted_setup_file__rejects(void) {
    KZGSettings s;
    char *t = malloc(setup_txt_len + 1);
    memcpy(t, setup_txt, setup_txt_len + 1);
    EXPECT_RET(load_text(&s, t, setup_txt_len - 100, 0), C_KZG_BADARGS, "truncated text");
    EXPECT_RET(load_text(&s, t, 0, 0), C_KZG_BADARGS, "empty text");
    t[3] = '7'; /* "4097" */
    EXPECT_RET(load_text(&s, t, setup_txt_len, 0), C_KZG_BADARGS, "G1 count 4097");
    t[3] = '6';
    t[100] = 'g';
    EXPECT_RET(load_text(&s, t, setup_txt_len, 0), C_KZG_BADARGS, "a non-hex digit");
    t[100] = setup_txt[100];
    EXPECT_RET(load_text(&s, t, setup_txt_len, 16), C_KZG_BADARGS, "precompute 16");
    EXPECT_RET(load_trusted_setup_file(&s, NULL, 0), C_KZG_BADARGS, "NULL file");
    FILE *f = text_stream(t, setup_txt_len);
    EXPECT_RET(load_trusted_setup_file(NULL, f, 0), C_KZG_BADARGS, "NULL out");
    fclose(f);
    CHECK(s.ctx == NULL, "*out loaded after a failure");
    free(t);
}

/* precompute changes only the speed: every accepted value gives the same cells and proofs. */
static void test_load_trusted_setup_file__precompute_values(const Blob *blob, const KZGProof *want) {
    static const uint64_t values[] = {2, 15}; /* kzgkit's FK20 tables: windows 4 and 10 */
    KZGProof *got = malloc(CELLS_PER_EXT_BLOB * sizeof *got);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        KZGSettings s;
        EXPECT_RET(load_text(&s, setup_txt, setup_txt_len, values[i]), C_KZG_OK, "load with precompute");
        EXPECT_RET(compute_cells_and_kzg_proofs(NULL, got, blob, &s), C_KZG_OK, "proofs with precompute");
        CHECK(memcmp(got, want, CELLS_PER_EXT_BLOB * sizeof *got) == 0, "precompute %llu changes the proofs",
              (unsigned long long)values[i]);
        free_trusted_setup(&s);
    }
    free(got);
}

/* ---- EIP-4844 ------------------------------------------------------------------------ */

static void test_eip4844__matches_kzgkit(void) {
    enum { N = 3 };
    Blob *blobs = malloc(N * sizeof *blobs);
    KZGCommitment c[N];
    KZGProof p[N], proof;
    Bytes32 z, y;
    kzg_commitment kc;
    kzg_proof kp;
    kzg_field_element ky;
    bool ok;
    for (int i = 0; i < N; i++) {
        rand_blob(&blobs[i]);
        const kzg_blob *kb = (const kzg_blob *)&blobs[i];
        EXPECT_RET(blob_to_kzg_commitment(&c[i], &blobs[i], &S), C_KZG_OK, "commit");
        kzg_blob_to_kzg_commitment(ref, &kc, kb);
        CHECK(memcmp(&c[i], &kc, 48) == 0, "blob %d: commitment differs from kzgkit's", i);

        EXPECT_RET(compute_blob_kzg_proof(&p[i], &blobs[i], &c[i], &S), C_KZG_OK, "blob proof");
        kzg_compute_blob_kzg_proof(ref, &kp, kb, &kc);
        CHECK(memcmp(&p[i], &kp, 48) == 0, "blob %d: blob proof differs from kzgkit's", i);

        /* A random point, and z = 1 (a root of unity: inside the domain). */
        for (int k = 0; k < 2; k++) {
            memset(z.bytes, 0, 32);
            if (k == 0) rand_scalar(z.bytes);
            else z.bytes[31] = 1;
            EXPECT_RET(compute_kzg_proof(&proof, &y, &blobs[i], &z, &S), C_KZG_OK, "proof at z");
            kzg_compute_kzg_proof(ref, &kp, &ky, kb, (const kzg_field_element *)&z);
            CHECK(memcmp(&proof, &kp, 48) == 0 && memcmp(&y, &ky, 32) == 0,
                  "blob %d, z #%d: proof or y differs from kzgkit's", i, k);
            EXPECT_RET(verify_kzg_proof(&ok, &c[i], &z, &y, &proof, &S), C_KZG_OK, "verify");
            CHECK(ok, "blob %d: a correct proof does not verify", i);
            Bytes32 y2;
            rand_scalar(y2.bytes);
            ok = true;
            EXPECT_RET(verify_kzg_proof(&ok, &c[i], &z, &y2, &proof, &S), C_KZG_OK, "verify, wrong y");
            CHECK(!ok, "blob %d: a wrong y verifies", i);
        }
        EXPECT_RET(verify_blob_kzg_proof(&ok, &blobs[i], &c[i], &p[i], &S), C_KZG_OK, "verify blob");
        CHECK(ok, "blob %d: a correct blob proof does not verify", i);
    }
    ok = true;
    EXPECT_RET(verify_blob_kzg_proof(&ok, &blobs[0], &c[0], &p[1], &S), C_KZG_OK, "verify blob, wrong proof");
    CHECK(!ok, "another blob's proof verifies");

    EXPECT_RET(verify_blob_kzg_proof_batch(&ok, blobs, c, p, N, &S), C_KZG_OK, "batch");
    CHECK(ok, "a correct batch does not verify");
    EXPECT_RET(verify_blob_kzg_proof_batch(&ok, blobs, c, p, 1, &S), C_KZG_OK, "batch of one");
    CHECK(ok, "a correct batch of one does not verify");
    KZGProof swapped[N] = {p[1], p[0], p[2]};
    EXPECT_RET(verify_blob_kzg_proof_batch(&ok, blobs, c, swapped, N, &S), C_KZG_OK, "batch, swapped");
    CHECK(!ok, "a batch with swapped proofs verifies");
    free(blobs);
}

static void test_eip4844__errors(void) {
    Blob *blob = malloc(sizeof *blob);
    KZGSettings unloaded;
    KZGCommitment c, out;
    KZGProof p;
    Bytes32 z = {{0}}, y = {{0}}, big;
    Bytes48 bad_enc, off_curve, off_subgroup, inf = {{0xc0}};
    bool ok;
    memset(&unloaded, 0, sizeof unloaded);
    rand_blob(blob);
    blob_to_kzg_commitment(&c, blob, &S);
    compute_blob_kzg_proof(&p, blob, &c, &S);
    memcpy(big.bytes, R_BYTES, 32);
    bad_enc = c;
    bad_enc.bytes[0] &= 0x7f; /* no compression flag */
    g1_bytes_failing(&off_curve, KZG_ERR_POINT_NOT_ON_CURVE);
    g1_bytes_failing(&off_subgroup, KZG_ERR_POINT_NOT_IN_SUBGROUP);

    /* Settings: NULL or unloaded. */
    const KZGSettings *no_setup[2] = {NULL, &unloaded};
    for (int i = 0; i < 2; i++) {
        EXPECT_RET(blob_to_kzg_commitment(&out, blob, no_setup[i]), C_KZG_BADARGS, "commit, no setup");
        EXPECT_RET(compute_kzg_proof(&p, &y, blob, &z, no_setup[i]), C_KZG_BADARGS, "proof, no setup");
        EXPECT_RET(compute_blob_kzg_proof(&p, blob, &c, no_setup[i]), C_KZG_BADARGS, "blob proof, no setup");
        EXPECT_RET(verify_kzg_proof(&ok, &c, &z, &y, &p, no_setup[i]), C_KZG_BADARGS, "verify, no setup");
        EXPECT_RET(verify_blob_kzg_proof(&ok, blob, &c, &p, no_setup[i]), C_KZG_BADARGS, "verify blob, no setup");
        /* c-kzg answers an empty batch before it looks at the settings. */
        ok = false;
        EXPECT_RET(verify_blob_kzg_proof_batch(&ok, NULL, NULL, NULL, 0, no_setup[i]), C_KZG_OK, "empty batch");
        CHECK(ok, "an empty batch does not verify");
    }
    /* NULL outputs. */
    EXPECT_RET(blob_to_kzg_commitment(NULL, blob, &S), C_KZG_BADARGS, "NULL out");
    EXPECT_RET(compute_kzg_proof(NULL, &y, blob, &z, &S), C_KZG_BADARGS, "NULL proof_out");
    EXPECT_RET(compute_kzg_proof(&p, NULL, blob, &z, &S), C_KZG_BADARGS, "NULL y_out");
    EXPECT_RET(compute_blob_kzg_proof(NULL, blob, &c, &S), C_KZG_BADARGS, "NULL out");
    EXPECT_RET(verify_kzg_proof(NULL, &c, &z, &y, &p, &S), C_KZG_BADARGS, "NULL ok");
    EXPECT_RET(verify_blob_kzg_proof_batch(NULL, blob, &c, &p, 0, &S), C_KZG_BADARGS, "NULL ok, empty batch");
    /* NULL inputs (c-kzg dereferences them). */
    EXPECT_RET(blob_to_kzg_commitment(&out, NULL, &S), C_KZG_BADARGS, "NULL blob");
    EXPECT_RET(compute_kzg_proof(&p, &y, blob, NULL, &S), C_KZG_BADARGS, "NULL z");
    EXPECT_RET(verify_kzg_proof(&ok, &c, &z, &y, NULL, &S), C_KZG_BADARGS, "NULL proof");
    EXPECT_RET(verify_blob_kzg_proof(&ok, blob, NULL, &p, &S), C_KZG_BADARGS, "NULL commitment");
    EXPECT_RET(verify_blob_kzg_proof_batch(&ok, NULL, &c, &p, 1, &S), C_KZG_BADARGS, "NULL blobs, n = 1");
    EXPECT_RET(verify_blob_kzg_proof_batch(&ok, blob, &c, NULL, 2, &S), C_KZG_BADARGS, "NULL proofs, n = 2");

    /* Non-canonical scalars: outputs untouched, *ok false. */
    Blob *bad_blob = malloc(sizeof *bad_blob);
    memcpy(bad_blob, blob, sizeof *blob);
    memcpy(bad_blob->bytes + 32 * 1234, R_BYTES, 32);
    memset(&out, 0x5a, sizeof out);
    EXPECT_RET(blob_to_kzg_commitment(&out, bad_blob, &S), C_KZG_BADARGS, "blob element = r");
    CHECK(all_bytes(&out, sizeof out, 0x5a), "commitment written on failure");
    KZGProof pout;
    Bytes32 yout;
    memset(&pout, 0x5a, sizeof pout);
    memset(&yout, 0x5a, sizeof yout);
    EXPECT_RET(compute_kzg_proof(&pout, &yout, blob, &big, &S), C_KZG_BADARGS, "z = r");
    CHECK(all_bytes(&pout, 48, 0x5a) && all_bytes(&yout, 32, 0x5a), "proof or y written on failure");
    EXPECT_RET(compute_blob_kzg_proof(&pout, bad_blob, &c, &S), C_KZG_BADARGS, "blob proof, element = r");
    CHECK(all_bytes(&pout, 48, 0x5a), "blob proof written on failure");
    ok = true;
    EXPECT_RET(verify_kzg_proof(&ok, &c, &big, &y, &p, &S), C_KZG_BADARGS, "verify, z = r");
    CHECK(!ok, "*ok true after a failure");
    ok = true;
    EXPECT_RET(verify_kzg_proof(&ok, &c, &z, &big, &p, &S), C_KZG_BADARGS, "verify, y = r");
    CHECK(!ok, "*ok true after a failure");
    ok = true;
    EXPECT_RET(verify_blob_kzg_proof(&ok, bad_blob, &c, &p, &S), C_KZG_BADARGS, "verify blob, element = r");
    CHECK(!ok, "*ok true after a failure");

    /* Bad points, as commitment and as proof; the point at infinity is a valid input. */
    const Bytes48 *bad_points[3] = {&bad_enc, &off_curve, &off_subgroup};
    for (int i = 0; i < 3; i++) {
        EXPECT_RET(verify_kzg_proof(&ok, bad_points[i], &z, &y, &p, &S), C_KZG_BADARGS, "bad commitment");
        EXPECT_RET(verify_kzg_proof(&ok, &c, &z, &y, bad_points[i], &S), C_KZG_BADARGS, "bad proof");
        EXPECT_RET(compute_blob_kzg_proof(&pout, blob, bad_points[i], &S), C_KZG_BADARGS, "blob proof, bad commitment");
        EXPECT_RET(verify_blob_kzg_proof(&ok, blob, &c, bad_points[i], &S), C_KZG_BADARGS, "verify blob, bad proof");
    }
    EXPECT_RET(verify_kzg_proof(&ok, &inf, &z, &y, &inf, &S), C_KZG_OK, "infinity");
    CHECK(ok, "0 = 0 at z = 0 with the zero proof does not verify");

    /* Batches of two with a bad input: c-kzg leaves *ok as it was. */
    Blob *two = malloc(2 * sizeof *two);
    memcpy(&two[0], blob, sizeof *blob);
    memcpy(&two[1], bad_blob, sizeof *blob);
    KZGCommitment cs[2] = {c, c};
    KZGProof ps[2] = {p, p};
    for (int before = 0; before < 2; before++) {
        ok = before;
        EXPECT_RET(verify_blob_kzg_proof_batch(&ok, two, cs, ps, 2, &S), C_KZG_BADARGS, "batch, bad blob");
        CHECK(ok == (bool)before, "*ok changed by a failed batch of two");
    }
    ps[1] = off_subgroup;
    memcpy(&two[1], blob, sizeof *blob); /* two good blobs: only the proof is bad */
    EXPECT_RET(verify_blob_kzg_proof_batch(&ok, two, cs, ps, 2, &S), C_KZG_BADARGS, "batch, bad proof");
    ps[1] = p;
    /* A batch of one is verify_blob_kzg_proof: *ok cleared. */
    ok = true;
    EXPECT_RET(verify_blob_kzg_proof_batch(&ok, bad_blob, cs, ps, 1, &S), C_KZG_BADARGS, "batch of one, bad blob");
    CHECK(!ok, "*ok true after a failed batch of one");
    free(two);
    free(bad_blob);
    free(blob);
}

/* ---- EIP-7594 ------------------------------------------------------------------------ */

static void test_eip7594__matches_kzgkit(const Blob *blob, Cell *cells, KZGProof *proofs) {
    const size_t n = CELLS_PER_EXT_BLOB;
    Cell *c2 = malloc(n * sizeof *c2);
    KZGProof *p2 = malloc(n * sizeof *p2);
    kzg_cell *kc = malloc(n * sizeof *kc);
    kzg_proof *kp = malloc(n * sizeof *kp);
    KZGCommitment com;
    bool ok;

    EXPECT_RET(compute_cells_and_kzg_proofs(cells, proofs, blob, &S), C_KZG_OK, "cells and proofs");
    kzg_compute_cells_and_kzg_proofs(ref, kc, kp, (const kzg_blob *)blob);
    CHECK(memcmp(cells, kc, n * sizeof *kc) == 0, "cells differ from kzgkit's");
    CHECK(memcmp(proofs, kp, n * sizeof *kp) == 0, "proofs differ from kzgkit's");
    EXPECT_RET(compute_cells_and_kzg_proofs(c2, NULL, blob, &S), C_KZG_OK, "cells only");
    CHECK(memcmp(cells, c2, n * sizeof *c2) == 0, "cells alone differ");
    EXPECT_RET(compute_cells_and_kzg_proofs(NULL, p2, blob, &S), C_KZG_OK, "proofs only");
    CHECK(memcmp(proofs, p2, n * sizeof *p2) == 0, "proofs alone differ");

    /* Verification: all cells of the blob, then one cell changed. */
    blob_to_kzg_commitment(&com, blob, &S);
    KZGCommitment *coms = malloc(n * sizeof *coms);
    uint64_t idx[CELLS_PER_EXT_BLOB];
    for (size_t i = 0; i < n; i++) coms[i] = com, idx[i] = i;
    EXPECT_RET(verify_cell_kzg_proof_batch(&ok, coms, idx, cells, proofs, n, &S), C_KZG_OK, "verify cells");
    CHECK(ok, "the blob's cells do not verify");
    memcpy(c2, cells, n * sizeof *c2);
    c2[77].bytes[31] ^= 1;
    EXPECT_RET(verify_cell_kzg_proof_batch(&ok, coms, idx, c2, proofs, n, &S), C_KZG_OK, "verify, changed cell");
    CHECK(!ok, "a changed cell verifies");

    /* Recovery from a random half, indices ascending; with and without proofs. */
    uint64_t keep[CELLS_PER_EXT_BLOB];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) keep[i] = i;
    for (size_t i = n - 1; i > 0; i--) { /* shuffle, then take the first half sorted */
        size_t j = testrand_range(i + 1);
        uint64_t t = keep[i];
        keep[i] = keep[j], keep[j] = t;
    }
    uint8_t chosen[CELLS_PER_EXT_BLOB] = {0};
    for (size_t i = 0; i < n / 2; i++) chosen[keep[i]] = 1;
    Cell *in = malloc(n * sizeof *in);
    for (size_t i = 0; i < n; i++)
        if (chosen[i]) idx[m] = i, in[m++] = cells[i];
    EXPECT_RET(recover_cells_and_kzg_proofs(c2, p2, idx, in, m, &S), C_KZG_OK, "recover half");
    CHECK(memcmp(c2, cells, n * sizeof *c2) == 0, "recovered cells differ");
    CHECK(memcmp(p2, proofs, n * sizeof *p2) == 0, "recovered proofs differ");
    memset(c2, 0, n * sizeof *c2);
    EXPECT_RET(recover_cells_and_kzg_proofs(c2, NULL, idx, in, m, &S), C_KZG_OK, "recover cells only");
    CHECK(memcmp(c2, cells, n * sizeof *c2) == 0, "recovered cells (no proofs) differ");
    /* In place: the output array holds the input cells. */
    EXPECT_RET(recover_cells_and_kzg_proofs(in, NULL, idx, in, m, &S), C_KZG_OK, "recover in place");
    CHECK(memcmp(in, cells, n * sizeof *in) == 0, "cells recovered in place differ");

    /* Inconsistent cells (65, one element of one changed: not one extended blob): the
     * specs' answer — the cells of the polynomial recovered from them, cut to 4096
     * coefficients — exactly kzgkit's own, and not the given cells back (c-kzg 4.1.0 returns
     * those unchanged: docs/BINDINGS.md). */
    m = 65;
    for (size_t i = 0; i < m; i++) idx[i] = i < 64 ? 2 * i : 1 + 2 * 20, in[i] = cells[idx[i]];
    for (size_t i = m - 1; i > 0 && idx[i] < idx[i - 1]; i--) { /* keep the indices ascending */
        uint64_t t = idx[i];
        idx[i] = idx[i - 1], idx[i - 1] = t;
        Cell tc = in[i];
        in[i] = in[i - 1], in[i - 1] = tc;
    }
    in[3].bytes[100] ^= 0x10;
    kzg_cell *kc2 = malloc(n * sizeof *kc2);
    kzg_proof *kp2 = malloc(n * sizeof *kp2);
    CHECK(kzg_recover_cells_and_kzg_proofs(ref, kc2, kp2, idx, (const kzg_cell *)in, m) == KZG_OK,
          "kzgkit recover, inconsistent cells");
    EXPECT_RET(recover_cells_and_kzg_proofs(c2, p2, idx, in, m, &S), C_KZG_OK, "recover, inconsistent cells");
    CHECK(memcmp(c2, kc2, n * sizeof *c2) == 0, "inconsistent cells: cells differ from kzgkit's");
    CHECK(memcmp(p2, kp2, n * sizeof *p2) == 0, "inconsistent cells: proofs differ from kzgkit's");
    CHECK(memcmp(&c2[idx[3]], &in[3], sizeof *c2) != 0, "inconsistent cells: the changed cell came back");
    free(kc2);
    free(kp2);
    free(in);
    free(coms);
    free(c2);
    free(p2);
    free(kc);
    free(kp);
}

static void test_eip7594__errors(const Blob *blob, const Cell *cells, const KZGProof *proofs) {
    const size_t n = CELLS_PER_EXT_BLOB;
    KZGSettings unloaded;
    Cell *out = malloc(n * sizeof *out);
    KZGProof *pout = malloc(n * sizeof *pout);
    KZGCommitment com, *coms = malloc(n * sizeof *coms);
    uint64_t idx[CELLS_PER_EXT_BLOB + 1];
    bool ok;
    memset(&unloaded, 0, sizeof unloaded);
    blob_to_kzg_commitment(&com, blob, &S);
    for (size_t i = 0; i < n; i++) coms[i] = com, idx[i] = i;
    idx[n] = 0;

    EXPECT_RET(compute_cells_and_kzg_proofs(NULL, NULL, blob, &S), C_KZG_BADARGS, "no outputs");
    EXPECT_RET(compute_cells_and_kzg_proofs(out, pout, NULL, &S), C_KZG_BADARGS, "NULL blob");
    EXPECT_RET(recover_cells_and_kzg_proofs(out, pout, NULL, cells, n, &S), C_KZG_BADARGS, "NULL indices");
    EXPECT_RET(recover_cells_and_kzg_proofs(out, NULL, idx, NULL, n, &S), C_KZG_BADARGS, "NULL cells");
    EXPECT_RET(verify_cell_kzg_proof_batch(&ok, coms, NULL, cells, proofs, n, &S), C_KZG_BADARGS, "NULL indices");
    EXPECT_RET(verify_cell_kzg_proof_batch(&ok, NULL, idx, cells, proofs, 1, &S), C_KZG_BADARGS,
               "NULL commitments");
    EXPECT_RET(compute_cells_and_kzg_proofs(out, pout, blob, NULL), C_KZG_BADARGS, "NULL settings");
    EXPECT_RET(compute_cells_and_kzg_proofs(out, NULL, blob, &unloaded), C_KZG_BADARGS, "unloaded settings");
    EXPECT_RET(recover_cells_and_kzg_proofs(out, pout, idx, cells, n, NULL), C_KZG_BADARGS, "recover, NULL settings");
    EXPECT_RET(verify_cell_kzg_proof_batch(&ok, coms, idx, cells, proofs, n, &unloaded), C_KZG_BADARGS,
               "verify, unloaded settings");

    /* A non-canonical blob element: outputs untouched. */
    Blob *bad_blob = malloc(sizeof *bad_blob);
    memcpy(bad_blob, blob, sizeof *blob);
    memcpy(bad_blob->bytes + 32 * 4095, R_BYTES, 32);
    memset(out, 0x5a, n * sizeof *out);
    memset(pout, 0x5a, n * sizeof *pout);
    EXPECT_RET(compute_cells_and_kzg_proofs(out, pout, bad_blob, &S), C_KZG_BADARGS, "blob element = r");
    CHECK(all_bytes(out, n * sizeof *out, 0x5a) && all_bytes(pout, n * sizeof *pout, 0x5a),
          "outputs written on failure");
    free(bad_blob);

    /* Verification: empty, index out of range, bad cell scalar, bad proof point. */
    ok = false;
    EXPECT_RET(verify_cell_kzg_proof_batch(&ok, NULL, NULL, NULL, NULL, 0, &S), C_KZG_OK, "empty batch");
    CHECK(ok, "an empty cell batch does not verify");
    EXPECT_RET(verify_cell_kzg_proof_batch(NULL, coms, idx, cells, proofs, 1, &S), C_KZG_BADARGS, "NULL ok");
    idx[3] = CELLS_PER_EXT_BLOB;
    ok = true;
    EXPECT_RET(verify_cell_kzg_proof_batch(&ok, coms, idx, cells, proofs, n, &S), C_KZG_BADARGS, "index 128");
    CHECK(!ok, "*ok true after a failure");
    idx[3] = UINT64_MAX;
    EXPECT_RET(verify_cell_kzg_proof_batch(&ok, coms, idx, cells, proofs, n, &S), C_KZG_BADARGS, "index 2^64-1");
    idx[3] = 3;
    Cell *bad_cells = malloc(n * sizeof *bad_cells);
    memcpy(bad_cells, cells, n * sizeof *bad_cells);
    memcpy(bad_cells[9].bytes + 32 * 63, R_BYTES, 32);
    EXPECT_RET(verify_cell_kzg_proof_batch(&ok, coms, idx, bad_cells, proofs, n, &S), C_KZG_BADARGS,
               "cell element = r");
    KZGProof *bad_proofs = malloc(n * sizeof *bad_proofs);
    memcpy(bad_proofs, proofs, n * sizeof *bad_proofs);
    g1_bytes_failing(&bad_proofs[100], KZG_ERR_POINT_NOT_IN_SUBGROUP);
    EXPECT_RET(verify_cell_kzg_proof_batch(&ok, coms, idx, cells, bad_proofs, n, &S), C_KZG_BADARGS,
               "proof not in G1");
    g1_bytes_failing(&coms[5], KZG_ERR_POINT_NOT_ON_CURVE);
    EXPECT_RET(verify_cell_kzg_proof_batch(&ok, coms, idx, cells, proofs, n, &S), C_KZG_BADARGS,
               "commitment not on the curve");
    coms[5] = com;

    /* Recovery: counts, indices, outputs. Outputs untouched on each failure. */
    memset(out, 0x5a, n * sizeof *out);
    EXPECT_RET(recover_cells_and_kzg_proofs(out, pout, idx, cells, CELLS_PER_BLOB - 1, &S), C_KZG_BADARGS,
               "63 cells");
    EXPECT_RET(recover_cells_and_kzg_proofs(out, pout, idx, cells, n + 1, &S), C_KZG_BADARGS, "129 cells");
    EXPECT_RET(recover_cells_and_kzg_proofs(out, pout, idx, cells, UINT64_MAX, &S), C_KZG_BADARGS,
               "2^64-1 cells");
    EXPECT_RET(recover_cells_and_kzg_proofs(NULL, pout, idx, cells, n, &S), C_KZG_BADARGS, "NULL cells out");
    idx[70] = CELLS_PER_EXT_BLOB;
    EXPECT_RET(recover_cells_and_kzg_proofs(out, pout, idx, cells, n, &S), C_KZG_BADARGS, "index 128");
    idx[70] = 69; /* duplicate */
    EXPECT_RET(recover_cells_and_kzg_proofs(out, pout, idx, cells, n, &S), C_KZG_BADARGS, "duplicate index");
    idx[70] = 71, idx[71] = 70; /* out of order: the spec rejects it (c-kzg 4.1.0 did not) */
    EXPECT_RET(recover_cells_and_kzg_proofs(out, NULL, idx, cells, n, &S), C_KZG_BADARGS, "indices out of order");
    idx[70] = 70, idx[71] = 71;
    EXPECT_RET(recover_cells_and_kzg_proofs(out, pout, idx, bad_cells, n, &S), C_KZG_BADARGS, "cell element = r");
    CHECK(all_bytes(out, n * sizeof *out, 0x5a), "recovered cells written on failure");
    /* All cells present: a copy. */
    EXPECT_RET(recover_cells_and_kzg_proofs(out, pout, idx, cells, n, &S), C_KZG_OK, "recover from all");
    CHECK(memcmp(out, cells, n * sizeof *out) == 0 && memcmp(pout, proofs, n * sizeof *pout) == 0,
          "recovery from all cells differs");
    free(bad_cells);
    free(bad_proofs);
    free(out);
    free(pout);
    free(coms);
}

int main(void) {
    testrand_init("test_ckzg");
    raw = malloc(sizeof *raw);
    if (!raw || setup_raw_from_json(raw, CKZG_SETUP_JSON) != 0) return 1;
    setup_txt = setup_raw_to_text(raw, &setup_txt_len);
    if (!setup_txt || kzg_ctx_new(&ref, NULL) != KZG_OK) return 1;
    if (load_text(&S, setup_txt, setup_txt_len, 0) != C_KZG_OK) {
        fprintf(stderr, "load_trusted_setup_file fails on c-kzg's trusted_setup.txt\n");
        return 1;
    }
    test_setup_text__is_ckzgs_file();
    test_load_trusted_setup__bytes_and_file_agree();
    test_load_trusted_setup__rejects();
    test_load_trusted_setup_file__rejects();
    test_eip4844__matches_kzgkit();
    test_eip4844__errors();

    Blob *blob = malloc(sizeof *blob);
    Cell *cells = malloc(CELLS_PER_EXT_BLOB * sizeof *cells);
    KZGProof *proofs = malloc(CELLS_PER_EXT_BLOB * sizeof *proofs);
    rand_blob(blob);
    test_eip7594__matches_kzgkit(blob, cells, proofs);
    test_eip7594__errors(blob, cells, proofs);
    test_load_trusted_setup_file__precompute_values(blob, proofs);

    free(blob);
    free(cells);
    free(proofs);
    free_trusted_setup(&S);
    kzg_ctx_free(ref);
    free(setup_txt);
    free(raw);
    return test_report();
}
