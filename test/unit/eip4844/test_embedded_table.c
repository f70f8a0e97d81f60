/*
 * test_embedded_table — the mainnet commitment table compiled into the library
 * (KZGKIT_EMBED_MSM_TABLE, src/setup/embedded_table.c):
 *  - its size is the layout's (4096 points × 20 windows of 96 bytes) and its rows are what
 *    msm_table_build_range computes from the embedded Lagrange points (first, last, random);
 *  - kzg_ctx_options.table_window: 0 borrows it on the mainnet setup (embedded, or loaded
 *    from the JSON file), KZG_TABLE_WINDOW_NONE turns it off, 13 is it, 12 is a table of
 *    the context's own; on another setup (mainnet's with τ → −τ, a genuine one) 0 is none
 *    and 13 is built; kzg_ctx_table_window says which;
 *  - every one of those contexts gives the same commitments and proofs (the −τ setup the
 *    ones it must), on one and two threads; 2 and 3 are rejected with a detail.
 * In a build without the table the first part checks that there is none and the rest that
 * the default is the variable-base MSM.
 */
#include <stdlib.h>

#include "kzgkit/eip4844.h"
#include "setup/setup.h"
#include "testblob.h"
#include "testrand.h"

enum { NB = 3 };

static char json_path[1024];
static kzg_blob blobs[NB];

static void find_json(void) {
    /* __FILE__ = <root>/test/unit/eip4844/test_embedded_table.c */
    snprintf(json_path, sizeof json_path, "%s", __FILE__);
    char *p = strstr(json_path, "test/unit/eip4844/");
    if (p) strcpy(p, "data/trusted_setup.json");
}

static bool have_table(void) { return setup_embedded_msm_table() != NULL; }

static void test_embedded_table__layout_and_rows(void) {
    const g1_aff_t *e = setup_embedded_msm_table();
    if (!e) {
        CHECK(setup_embedded_msm_table_bytes() == 0, "no table, but %zu bytes", setup_embedded_msm_table_bytes());
        printf("  built without KZGKIT_EMBED_MSM_TABLE: no embedded table\n");
        return;
    }
    const unsigned c = SETUP_EMBEDDED_TABLE_WINDOW;
    msm_table t = {.c = c, .n = SETUP_N_G1, .nwin = msm_table_windows(c)};
    CHECK(t.nwin == 20, "window 13 has %zu windows", t.nwin);
    CHECK(setup_embedded_msm_table_bytes() == SETUP_N_G1 * t.nwin * sizeof(g1_aff_t), "%zu bytes",
          setup_embedded_msm_table_bytes());
    CHECK(((uintptr_t)e & 63) == 0, "table not 64-byte aligned: %p", (const void *)e);
    t.entries = malloc(SETUP_N_G1 * t.nwin * sizeof(g1_aff_t));
    void *scratch = malloc(msm_table_build_scratch_size(c, 1));
    size_t rows[32] = {0, 1, SETUP_N_G1 - 1};
    for (size_t k = 3; k < 32; k++) rows[k] = (size_t)testrand_range(SETUP_N_G1);
    for (size_t k = 0; k < 32 && t.entries && scratch; k++) {
        size_t i = rows[k];
        msm_table_build_range(&t, SETUP_EMBEDDED.tables.g1_lagrange_brp, i, i + 1, scratch);
        CHECK(memcmp(&t.entries[i * t.nwin], &e[i * t.nwin], t.nwin * sizeof(g1_aff_t)) == 0,
              "row %zu of the embedded table differs from a fresh build", i);
        CHECK(memcmp(&e[i * t.nwin], &SETUP_EMBEDDED.tables.g1_lagrange_brp[i], sizeof(g1_aff_t)) == 0,
              "row %zu starts with another point than the setup's", i);
    }
    free(scratch);
    free(t.entries);
}

/* Commitment, blob proof and a proof at z for every blob. */
typedef struct answers {
    kzg_commitment c[NB];
    kzg_proof p[NB], pz[NB];
    kzg_field_element y[NB];
} answers;

static void answer(answers *a, const kzg_ctx *ctx, const char *name) {
    memset(a, 0, sizeof *a);
    for (size_t i = 0; i < NB; i++) {
        kzg_field_element z = {{0}};
        z.bytes[31] = (uint8_t)(11 + i);
        CHECK(kzg_blob_to_kzg_commitment(ctx, &a->c[i], &blobs[i]) == KZG_OK, "%s: commit: %s", name, kzg_last_error());
        CHECK(kzg_compute_blob_kzg_proof(ctx, &a->p[i], &blobs[i], &a->c[i]) == KZG_OK, "%s: blob proof: %s", name,
              kzg_last_error());
        CHECK(kzg_compute_kzg_proof(ctx, &a->pz[i], &a->y[i], &blobs[i], &z) == KZG_OK, "%s: proof at z: %s", name,
              kzg_last_error());
    }
}

static kzg_ctx *open_ctx(uint32_t window, uint32_t threads) {
    kzg_ctx *ctx = NULL;
    kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
    o.table_window = window;
    o.threads = threads;
    CHECK(kzg_ctx_new(&ctx, &o) == KZG_OK && ctx, "table_window %u: %s", window, kzg_last_error());
    return ctx;
}

static void expect_window(const kzg_ctx *ctx, uint32_t want, bool want_embedded, const char *name) {
    bool embedded = !want_embedded;
    uint32_t got = kzg_ctx_table_window(ctx, &embedded);
    CHECK(got == want && embedded == want_embedded, "%s: table window %u (%s), expected %u (%s)", name, got,
          embedded ? "embedded" : "own", want, want_embedded ? "embedded" : "own");
}

static void test_embedded_table__options_and_answers(void) {
    const uint32_t w13 = have_table() ? 13 : 0;
    answers *ref = malloc(sizeof *ref), *got = malloc(sizeof *got);
    kzg_ctx *none = open_ctx(KZG_TABLE_WINDOW_NONE, 1);
    if (!none || !ref || !got) goto out;
    expect_window(none, 0, false, "KZG_TABLE_WINDOW_NONE");
    answer(ref, none, "none");

    struct {
        uint32_t window, threads, want;
        bool embedded;
        const char *name;
    } cases[] = {
        {0, 1, w13, have_table(), "default"},
        {0, 2, w13, have_table(), "default, 2 threads"},
        {13, 1, 13, have_table(), "window 13"},
        {12, 2, 12, false, "window 12, 2 threads"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        kzg_ctx *ctx = open_ctx(cases[k].window, cases[k].threads);
        if (!ctx) continue;
        expect_window(ctx, cases[k].want, cases[k].embedded, cases[k].name);
        answer(got, ctx, cases[k].name);
        CHECK(memcmp(ref, got, sizeof *ref) == 0, "%s: answers differ from the variable-base MSM's", cases[k].name);
        kzg_ctx_free(ctx); /* must not free the embedded table (ASan would see it) */
    }

    kzg_ctx *loaded = NULL;
    CHECK(kzg_ctx_new_from_file(&loaded, json_path, KZG_SETUP_JSON, NULL) == KZG_OK, "load %s: %s", json_path,
          kzg_last_error());
    if (loaded) {
        expect_window(loaded, w13, have_table(), "loaded from the mainnet JSON");
        answer(got, loaded, "loaded");
        CHECK(memcmp(ref, got, sizeof *ref) == 0, "loaded: answers differ");
        kzg_ctx_free(loaded);
    }

    for (uint32_t bad = 2; bad <= 3; bad++) {
        kzg_ctx *ctx = NULL;
        kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
        o.table_window = bad;
        CHECK(kzg_ctx_new(&ctx, &o) == KZG_ERR_BAD_ARG && !ctx, "table_window %u accepted", bad);
        CHECK(strstr(kzg_last_error(), "1 (none)") != NULL, "detail: %s", kzg_last_error());
    }
    bool e = true;
    CHECK(kzg_ctx_table_window(NULL, &e) == 0 && !e, "NULL context");
    CHECK(kzg_ctx_table_window(none, NULL) == 0, "NULL embedded pointer");
out:
    kzg_ctx_free(none);
    free(ref);
    free(got);
}

/* The hex strings ("0x" + 2·bytes digits) of the JSON array `key`, in order. */
static size_t json_points(char **out, size_t max, char *json, const char *key, size_t bytes) {
    char *p = strstr(json, key), *end = p ? strchr(p, ']') : NULL;
    size_t n = 0;
    while (p && end && (p = strstr(p, "\"0x")) != NULL && p < end && n < max) {
        char *q = strchr(p + 1, '"');
        if (!q || (size_t)(q - (p + 3)) != 2 * bytes) return 0;
        out[n++] = p + 3;
        p = q + 1;
    }
    return n;
}

static void negate_hex_point(char *h) { /* the sign bit, 0x20 of the first byte */
    int hi = h[0] >= 'a' ? h[0] - 'a' + 10 : h[0] - '0';
    h[0] = "0123456789abcdef"[hi ^ 0x2];
}

/* Another setup: mainnet's with τ replaced by −τ, built from the file: [(−τ)^i] negates the
 * odd powers in G1 and G2, and since the domain is closed under negation (ω^2048 = −1),
 * L_j(−τ) = L_{j+2048}(τ): the Lagrange points' two halves swap (the file lists them in
 * natural order). A genuine setup, so it passes validation; its commitment to a blob is
 * mainnet's commitment to the blob with neighbouring elements swapped (natural index
 * j + 2048 is bit-reversed index k ^ 1), and the evaluations are the same. A context that
 * used the mainnet table would give mainnet's commitment to the blob itself. */
static void test_embedded_table__other_setup(void) {
    size_t len = 0;
    char *json = test_slurp(json_path, &len);
    CHECK(json != NULL, "cannot read %s", json_path);
    if (!json) return;
    char **pts = malloc(SETUP_N_G1 * sizeof *pts);
    size_t n1 = json_points(pts, SETUP_N_G1, json, "\"g1_monomial\"", 48);
    for (size_t i = 1; i < n1; i += 2) negate_hex_point(pts[i]);
    size_t n2 = json_points(pts, SETUP_N_G2, json, "\"g2_monomial\"", 96);
    for (size_t i = 1; i < n2; i += 2) negate_hex_point(pts[i]);
    size_t nl = json_points(pts, SETUP_N_G1, json, "\"g1_lagrange\"", 48);
    for (size_t i = 0; i < nl / 2; i++) {
        char tmp[96];
        memcpy(tmp, pts[i], 96);
        memcpy(pts[i], pts[i + nl / 2], 96);
        memcpy(pts[i + nl / 2], tmp, 96);
    }
    free(pts);
    CHECK(n1 == SETUP_N_G1 && n2 == SETUP_N_G2 && nl == SETUP_N_G1, "points found: %zu, %zu, %zu", n1, n2, nl);

    answers *ref = malloc(sizeof *ref), *got = malloc(sizeof *got);
    kzg_blob *swapped = malloc(NB * sizeof *swapped);
    kzg_ctx *mainnet = open_ctx(0, 1);
    if (!ref || !got || !swapped || !mainnet) goto out;
    for (size_t i = 0; i < NB; i++)
        for (size_t k = 0; k < KZG_FIELD_ELEMENTS_PER_BLOB; k++)
            memcpy(&swapped[i].bytes[32 * (k ^ 1)], &blobs[i].bytes[32 * k], 32);
    kzg_commitment want[NB];
    for (size_t i = 0; i < NB; i++)
        CHECK(kzg_blob_to_kzg_commitment(mainnet, &want[i], &swapped[i]) == KZG_OK, "mainnet, swapped blob");
    answer(ref, mainnet, "mainnet");
    for (uint32_t window = 0; window <= 13; window += 13) {
        kzg_ctx *ctx = NULL;
        kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
        o.table_window = window;
        CHECK(kzg_ctx_new_from_buffer(&ctx, (const uint8_t *)json, len, KZG_SETUP_JSON, &o) == KZG_OK && ctx,
              "the -tau setup, window %u: %s", window, kzg_last_error());
        if (!ctx) continue;
        expect_window(ctx, window, false, window ? "the -tau setup, window 13" : "the -tau setup, default");
        answer(got, ctx, "the -tau setup");
        for (size_t i = 0; i < NB; i++) {
            CHECK(memcmp(&want[i], &got->c[i], sizeof want[i]) == 0,
                  "window %u: blob %zu: not mainnet's commitment to the swapped blob", window, i);
            CHECK(memcmp(&ref->y[i], &got->y[i], sizeof got->y[i]) == 0, "window %u: blob %zu: another y", window, i);
            bool ok = false;
            CHECK(kzg_verify_blob_kzg_proof(ctx, &ok, &blobs[i], &got->c[i], &got->p[i]) == KZG_OK && ok,
                  "window %u: blob %zu: its own blob proof does not verify", window, i);
        }
        kzg_ctx_free(ctx);
    }
out:
    kzg_ctx_free(mainnet);
    free(swapped);
    free(ref);
    free(got);
    free(json);
}

int main(void) {
    testrand_init("test_embedded_table");
    find_json();
    for (size_t i = 0; i < NB; i++) testrand_blob(&blobs[i], true);
    test_embedded_table__layout_and_rows();
    test_embedded_table__options_and_answers();
    test_embedded_table__other_setup();
    return test_report();
}
