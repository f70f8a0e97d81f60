/*
 * test_setup — the context constructors and the setup loaders.
 *
 * The embedded setup must equal a fresh decode of data/trusted_setup.json; the text, JSON
 * and raw-bytes loaders must give the same tables; every kind of malformed setup gets its
 * specific status and a detail naming the array and index; allocation failures at every
 * point return KZG_ERR_MEMORY without leaking. The FK20 columns compiled in equal the ones
 * computed at run time; another setup's are built on first use; the eip7594_table_bits
 * option is checked, builds the table at creation and uses the cache file.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "setup/setup.h"
#include "testrand.h"

static char json_path[4096];
static char tmpdir[256];
static setup_bytes *ref; /* the mainnet setup's bytes, from the JSON file */

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void find_json(void) {
    const char *env = getenv("KZGKIT_SETUP_JSON");
    if (env) {
        snprintf(json_path, sizeof json_path, "%s", env);
        return;
    }
    /* __FILE__ = <root>/test/unit/setup/test_setup.c */
    snprintf(json_path, sizeof json_path, "%s", __FILE__);
    char *p = strstr(json_path, "test/unit/setup/");
    if (p) strcpy(p, "data/trusted_setup.json");
}

static void put_hex(FILE *f, const uint8_t *b, size_t n) {
    for (size_t i = 0; i < n; i++) fprintf(f, "%02x", b[i]);
}

static void write_txt(const char *path, const setup_bytes *s) {
    FILE *f = fopen(path, "w");
    fprintf(f, "%d\n%d\n", SETUP_N_G1, SETUP_N_G2);
    for (size_t i = 0; i < SETUP_N_G1; i++) put_hex(f, s->g1_lagrange + 48 * i, 48), fputc('\n', f);
    for (size_t i = 0; i < SETUP_N_G2; i++) put_hex(f, s->g2_monomial + 96 * i, 96), fputc('\n', f);
    for (size_t i = 0; i < SETUP_N_G1; i++) put_hex(f, s->g1_monomial + 48 * i, 48), fputc('\n', f);
    fclose(f);
}

static void spit(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
}

static bool tables_equal(const setup_tables *a, const setup_tables *b) {
    return memcmp(a->g1_monomial, b->g1_monomial, SETUP_N_G1 * sizeof(g1_aff_t)) == 0 &&
           memcmp(a->g1_lagrange_brp, b->g1_lagrange_brp, SETUP_N_G1 * sizeof(g1_aff_t)) == 0 &&
           memcmp(a->g2_monomial, b->g2_monomial, SETUP_N_G2 * sizeof(g2_aff_t)) == 0;
}

/* Loads `path` and expects `want`, with `detail` (if not NULL) in kzg_last_error(). */
static void expect_file(const char *path, kzg_setup_format fmt, kzg_status want, const char *detail,
                        const char *what) {
    kzg_ctx *ctx = (kzg_ctx *)&ctx; /* must be reset to NULL on failure */
    kzg_status st = kzg_ctx_new_from_file(&ctx, path, fmt, NULL);
    CHECK(st == want, "%s: status %d (%s), want %d; detail: %s", what, st, kzg_status_str(st), want,
          kzg_last_error());
    if (want != KZG_OK) {
        CHECK(ctx == NULL, "%s: *out not NULL on failure", what);
        CHECK(kzg_last_error()[0] != 0, "%s: empty detail", what);
    }
    if (detail) CHECK(strstr(kzg_last_error(), detail) != NULL, "%s: detail \"%s\" lacks \"%s\"", what,
                      kzg_last_error(), detail);
    if (st == KZG_OK) kzg_ctx_free(ctx);
}

static void expect_bytes(const setup_bytes *s, kzg_status want, const char *detail, const char *what) {
    kzg_ctx *ctx = NULL;
    kzg_status st = kzg_ctx_new_from_bytes(&ctx, s->g1_monomial, sizeof s->g1_monomial, s->g1_lagrange,
                                           sizeof s->g1_lagrange, s->g2_monomial, sizeof s->g2_monomial, NULL);
    CHECK(st == want, "%s: status %d (%s), want %d; detail: %s", what, st, kzg_status_str(st), want,
          kzg_last_error());
    if (detail) CHECK(strstr(kzg_last_error(), detail) != NULL, "%s: detail \"%s\" lacks \"%s\"", what,
                      kzg_last_error(), detail);
    kzg_ctx_free(ctx);
}

/* ---- tests ---------------------------------------------------------------------------- */

static void test_ctx_new__embedded_is_fast_and_equals_the_json(void) {
    kzg_ctx *ctx = NULL;
    CHECK(kzg_ctx_new(&ctx, NULL) == KZG_OK, "kzg_ctx_new: %s", kzg_last_error());
    setup_points *pts = malloc(sizeof *pts);
    CHECK(setup_decode(pts, ref->g1_monomial, ref->g1_lagrange, ref->g2_monomial) == KZG_OK, "decode");
    setup_tables t = {pts->g1_monomial, pts->g1_lagrange_brp, pts->g2_monomial};
    CHECK(tables_equal(&ctx->setup, &t), "embedded tables differ from the decoded JSON");
    free(pts);
    kzg_ctx_free(ctx);

    enum { ITER = 2000 };
    double t0 = now_s();
    for (int i = 0; i < ITER; i++) {
        kzg_ctx_new(&ctx, NULL);
        kzg_ctx_free(ctx);
    }
    double us = (now_s() - t0) / ITER * 1e6;
    printf("  kzg_ctx_new (embedded): %.3f us per context\n", us);
    CHECK(us < 1000.0, "embedded context took %.1f us", us);

    kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
    o.threads = 4;
    CHECK(kzg_ctx_new(&ctx, &o) == KZG_OK && ctx->threads == 4, "options");
    kzg_ctx_free(ctx);
    o.struct_size = 2;
    CHECK(kzg_ctx_new(&ctx, &o) == KZG_ERR_BAD_ARG && ctx == NULL, "struct_size 2");
    o.struct_size = 4096;
    CHECK(kzg_ctx_new(&ctx, &o) == KZG_ERR_BAD_ARG, "struct_size 4096");
    CHECK(kzg_ctx_new(NULL, NULL) == KZG_ERR_NULL_ARG, "NULL out");
    kzg_ctx_free(NULL);
}

static void test_ctx_new_from_file__txt_json_bytes_agree(void) {
    char txt[512];
    snprintf(txt, sizeof txt, "%s/setup.txt", tmpdir);
    write_txt(txt, ref);
    kzg_ctx *emb = NULL, *a = NULL, *b = NULL, *c = NULL;
    kzg_ctx_new(&emb, NULL);
    double t0 = now_s();
    CHECK(kzg_ctx_new_from_file(&a, txt, KZG_SETUP_TXT, NULL) == KZG_OK, "txt: %s", kzg_last_error());
    printf("  kzg_ctx_new_from_file (text, validated): %.1f ms\n", (now_s() - t0) * 1e3);
    t0 = now_s();
    CHECK(kzg_ctx_new_from_file(&b, json_path, KZG_SETUP_AUTO, NULL) == KZG_OK, "json: %s", kzg_last_error());
    printf("  kzg_ctx_new_from_file (JSON, validated): %.1f ms\n", (now_s() - t0) * 1e3);
    CHECK(kzg_ctx_new_from_bytes(&c, ref->g1_monomial, sizeof ref->g1_monomial, ref->g1_lagrange,
                                 sizeof ref->g1_lagrange, ref->g2_monomial, sizeof ref->g2_monomial,
                                 NULL) == KZG_OK, "bytes: %s", kzg_last_error());
    if (a && b && c) {
        CHECK(tables_equal(&a->setup, &emb->setup), "txt != embedded");
        CHECK(tables_equal(&b->setup, &emb->setup), "json != embedded");
        CHECK(tables_equal(&c->setup, &emb->setup), "bytes != embedded");
    }
    kzg_ctx_free(emb);
    kzg_ctx_free(a);
    kzg_ctx_free(b);
    kzg_ctx_free(c);
}

/* kzg_ctx_new_from_buffer is kzg_ctx_new_from_file without the file: same parsers, same
 * statuses, on a buffer that is not NUL-terminated. */
static void test_ctx_new_from_buffer__same_as_the_file(void) {
    char txt[512];
    size_t txt_len, json_len;
    snprintf(txt, sizeof txt, "%s/setup_buffer.txt", tmpdir);
    write_txt(txt, ref);
    char *t = test_slurp(txt, &txt_len), *j = test_slurp(json_path, &json_len);
    kzg_ctx *emb = NULL, *a = NULL, *b = NULL, *bad = (kzg_ctx *)&bad;
    kzg_ctx_new(&emb, NULL);
    CHECK(t && j, "cannot read the setup files back");
    if (!t || !j || !emb) goto out;
    t[txt_len] = 'x'; /* past the end: must not be read */
    CHECK(kzg_ctx_new_from_buffer(&a, (const uint8_t *)t, txt_len, KZG_SETUP_TXT, NULL) == KZG_OK,
          "txt buffer: %s", kzg_last_error());
    CHECK(kzg_ctx_new_from_buffer(&b, (const uint8_t *)j, json_len, KZG_SETUP_AUTO, NULL) == KZG_OK,
          "json buffer: %s", kzg_last_error());
    if (a) CHECK(tables_equal(&a->setup, &emb->setup), "txt buffer != embedded");
    if (b) CHECK(tables_equal(&b->setup, &emb->setup), "json buffer != embedded");
    CHECK(kzg_ctx_new_from_buffer(&bad, (const uint8_t *)t, txt_len - 50, KZG_SETUP_TXT, NULL) ==
              KZG_ERR_LENGTH, "truncated: %s", kzg_last_error());
    CHECK(bad == NULL, "*out not reset on failure");
    CHECK(kzg_ctx_new_from_buffer(&bad, (const uint8_t *)t, txt_len, KZG_SETUP_JSON, NULL) ==
              KZG_ERR_SETUP, "text read as JSON");
    CHECK(kzg_ctx_new_from_buffer(&bad, NULL, 0, KZG_SETUP_AUTO, NULL) == KZG_ERR_SETUP, "empty");
    CHECK(kzg_ctx_new_from_buffer(&bad, NULL, 5, KZG_SETUP_AUTO, NULL) == KZG_ERR_NULL_ARG, "NULL data");
    CHECK(kzg_ctx_new_from_buffer(&bad, (const uint8_t *)t, txt_len, (kzg_setup_format)7, NULL) ==
              KZG_ERR_BAD_ARG, "bad format");
    CHECK(kzg_ctx_new_from_buffer(NULL, (const uint8_t *)t, txt_len, KZG_SETUP_TXT, NULL) ==
              KZG_ERR_NULL_ARG, "NULL out");
out:
    kzg_ctx_free(emb);
    kzg_ctx_free(a);
    kzg_ctx_free(b);
    free(t);
    free(j);
}

static void test_ctx_new_from_file__malformed_text(void) {
    char txt[512], bad[512];
    size_t len;
    snprintf(txt, sizeof txt, "%s/setup.txt", tmpdir);
    snprintf(bad, sizeof bad, "%s/bad.txt", tmpdir);
    char *s = test_slurp(txt, &len);
    CHECK(s != NULL, "reading %s", txt);
    if (!s) return;

    spit(bad, s, len / 2);
    expect_file(bad, KZG_SETUP_TXT, KZG_ERR_LENGTH, "file ends", "truncated text");
    char *nl = memchr(s + len / 2, '\n', len / 2);
    spit(bad, s, (size_t)(nl - s));
    expect_file(bad, KZG_SETUP_TXT, KZG_ERR_LENGTH, "file ends", "truncated text at a line end");
    spit(bad, s, 0);
    expect_file(bad, KZG_SETUP_TXT, KZG_ERR_LENGTH, NULL, "empty text");
    expect_file(bad, KZG_SETUP_AUTO, KZG_ERR_SETUP, "empty", "empty file, AUTO");

    /* bad hex digit in g1_lagrange[5] (line 3 + 5) */
    char *m = malloc(len + 64);
    memcpy(m, s, len);
    char *line = m;
    for (int k = 0; k < 7; k++) line = strchr(line, '\n') + 1;
    line[10] = 'g';
    spit(bad, m, len);
    expect_file(bad, KZG_SETUP_TXT, KZG_ERR_SETUP, "g1_lagrange[5]", "bad hex");
    expect_file(bad, KZG_SETUP_TXT, KZG_ERR_SETUP, "line 8", "bad hex line number");

    /* a point one digit short */
    memcpy(m, s, len);
    line = m;
    for (int k = 0; k < 2 + 4096 + 3; k++) line = strchr(line, '\n') + 1; /* g2_monomial[3] */
    line[0] = ' ';
    spit(bad, m, len);
    expect_file(bad, KZG_SETUP_TXT, KZG_ERR_SETUP, "g2_monomial[3]", "short point");

    /* wrong counts */
    memcpy(m, s, len);
    m[3] = '5'; /* "4095" */
    spit(bad, m, len);
    expect_file(bad, KZG_SETUP_TXT, KZG_ERR_LENGTH, "4095", "G1 count 4095");
    memcpy(m, s, len);
    m[5] = '7'; /* "4096\n75" */
    spit(bad, m, len);
    expect_file(bad, KZG_SETUP_TXT, KZG_ERR_LENGTH, "G2 count is 75", "G2 count 75");
    const char *huge = "99999999999999999999999999\n65\n";
    spit(bad, huge, strlen(huge));
    expect_file(bad, KZG_SETUP_TXT, KZG_ERR_LENGTH, "too large", "huge count");
    const char *neg = "-4096\n65\n";
    spit(bad, neg, strlen(neg));
    expect_file(bad, KZG_SETUP_TXT, KZG_ERR_SETUP, "count", "negative count");

    /* trailing junk */
    memcpy(m, s, len);
    memcpy(m + len, "\nextra\n", 7);
    spit(bad, m, len + 7);
    expect_file(bad, KZG_SETUP_TXT, KZG_ERR_SETUP, "after the last point", "trailing junk");
    /* a text file given as JSON */
    expect_file(txt, KZG_SETUP_JSON, KZG_ERR_SETUP, NULL, "text as JSON");

    char missing[512];
    snprintf(missing, sizeof missing, "%s/does-not-exist.txt", tmpdir);
    expect_file(missing, KZG_SETUP_AUTO, KZG_ERR_IO, "does-not-exist", "missing file");
    expect_file(tmpdir, KZG_SETUP_AUTO, KZG_ERR_IO, NULL, "a directory");
    free(m);
    free(s);
}

static void test_ctx_new_from_file__malformed_json(void) {
    char bad[512];
    snprintf(bad, sizeof bad, "%s/bad.json", tmpdir);
    size_t len;
    char *s = test_slurp(json_path, &len);
    CHECK(s != NULL, "reading %s", json_path);
    if (!s) return;
    char *m = malloc(len + 256);

    spit(bad, s, len - 100);
    expect_file(bad, KZG_SETUP_JSON, KZG_ERR_SETUP, NULL, "truncated JSON");

    /* rename "g2_monomial" to "g2_monomiaX": unknown key */
    memcpy(m, s, len);
    char *k = strstr(m, "\"g2_monomial\"");
    k[11] = 'X';
    spit(bad, m, len);
    expect_file(bad, KZG_SETUP_JSON, KZG_ERR_SETUP, "unknown key", "unknown key");
    /* duplicate key: the third key ("g1_monomial") renamed to the first's name */
    memcpy(m, s, len);
    k = strstr(m, "\"g1_monomial\"");
    memcpy(k, "\"g1_lagrange\"", 13);
    spit(bad, m, len);
    expect_file(bad, KZG_SETUP_JSON, KZG_ERR_SETUP, "duplicate", "duplicate key");

    /* an extra point: duplicate the first g1_lagrange string */
    char *first = strstr(s, "\"0x");
    size_t pre = (size_t)(first - s), item = 2 + 96 + 2 + 1; /* "0x..." + "," */
    memcpy(m, s, pre);
    memcpy(m + pre, first, 101);
    memcpy(m + pre + 101, first, len - pre);
    spit(bad, m, len + 101);
    expect_file(bad, KZG_SETUP_JSON, KZG_ERR_LENGTH, "more than 4096", "4097 points");
    (void)item;

    /* bad hex in g1_lagrange[0] */
    memcpy(m, s, len);
    m[pre + 10] = 'z';
    spit(bad, m, len);
    expect_file(bad, KZG_SETUP_JSON, KZG_ERR_SETUP, "g1_lagrange[0]", "bad hex JSON");

    /* trailing data */
    memcpy(m, s, len);
    memcpy(m + len, "{}", 2);
    spit(bad, m, len + 2);
    expect_file(bad, KZG_SETUP_JSON, KZG_ERR_SETUP, "after the object", "trailing JSON");

    /* the last key removed */
    memcpy(m, s, len);
    k = strstr(m, ",\n  \"g1_monomial\"");
    CHECK(k != NULL, "layout of %s", json_path);
    if (k) {
        memcpy(k, "}\n", 2);
        spit(bad, m, (size_t)(k - m) + 2);
        expect_file(bad, KZG_SETUP_JSON, KZG_ERR_SETUP, "missing key \"g1_monomial\"", "missing key");
    }

    const char *small = "{\"g1_lagrange\": [], \"g2_monomial\": [], \"g1_monomial\": []}";
    spit(bad, small, strlen(small));
    expect_file(bad, KZG_SETUP_AUTO, KZG_ERR_LENGTH, "0 points", "empty arrays");
    const char *two = "{\"g1_lagrange\": [], \"g2_monomial\": []}";
    spit(bad, two, strlen(two));
    expect_file(bad, KZG_SETUP_JSON, KZG_ERR_LENGTH, NULL, "two keys");
    const char *esc = "{\"g1_\\u006cagrange\": []}";
    spit(bad, esc, strlen(esc));
    expect_file(bad, KZG_SETUP_JSON, KZG_ERR_SETUP, "escape", "escaped key");
    free(m);
    free(s);
}

/* Every arm of the two parsers on small documents (internal entry points, no file): each
 * malformed one gets its status and a detail naming what is wrong. */
/* The loader reads in a growing buffer (1 MiB, doubled) up to SETUP_MAX_FILE_BYTES: a valid
 * setup behind 3 MiB of blanks loads (the buffer grew twice), a file over the bound does not. */
static void test_setup_load__grows_and_stops_at_the_bound(void) {
    size_t len;
    char *text = test_slurp(json_path, &len);
    if (!text) return;
    char path[600];
    snprintf(path, sizeof path, "%s/padded.json", tmpdir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL, "create %s", path);
    if (!f) return;
    for (int i = 0; i < 3 << 10; i++) fprintf(f, "%1023s\n", "");
    fwrite(text, 1, len, f);
    fclose(f);
    expect_file(path, KZG_SETUP_JSON, KZG_OK, NULL, "a setup behind 3 MiB of blanks");
    f = fopen(path, "w");
    if (!f) return;
    for (size_t i = 0; i < (SETUP_MAX_FILE_BYTES >> 10) + 1; i++) fprintf(f, "%1023s\n", "");
    fclose(f);
    expect_file(path, KZG_SETUP_AUTO, KZG_ERR_LENGTH, "larger than", "a file over the bound");
    remove(path);
    free(text);
}

static void test_setup_parse__every_syntax_arm(void) {
    char g1[97], g2[193];
    memset(g1, 'A', 96), g1[96] = '\0'; /* upper-case digits: still hex */
    memset(g2, 'b', 192), g2[192] = '\0';
    char *doc = malloc(1 << 16);
    setup_bytes *out = malloc(sizeof *out);
    static const struct { const char *fmt; kzg_status want; const char *detail; } json[] = {
        {"", KZG_ERR_SETUP, "file ends where '{'"},
        {"[", KZG_ERR_SETUP, "expected '{'"},
        {"{\x01", KZG_ERR_SETUP, "found 0x01"},
        {"{", KZG_ERR_SETUP, "file ends where '\"'"},
        {"{\"g1_lagrange", KZG_ERR_SETUP, "unterminated string"},
        {"{\"g1\tlagrange\": []}", KZG_ERR_SETUP, "control characters"},
        {"{\"g1_lagrange\"", KZG_ERR_SETUP, "file ends where ':'"},
        {"{\"g1_lagrange\" 5", KZG_ERR_SETUP, "expected ':' (g1_lagrange), found '5'"},
        {"{\"g1_lagrange\": 5", KZG_ERR_SETUP, "expected '['"},
        {"{\"g1_lagrange\": [\"0X%s\" 5", KZG_ERR_SETUP, "expected ']' (g1_lagrange), found '5'"},
        {"{\"g1_lagrange\": [\"0x\"]}", KZG_ERR_SETUP, "0 hex digits"},
        {"{\"g1_lagrange\": [\"a\"]}", KZG_ERR_SETUP, "1 hex digits"},
        {"{\"g1_lagrange\": [\"0%.95s\"]}", KZG_ERR_LENGTH, "g1_lagrange has 1 points"}, /* "0" without x */
        {"{\"g1_lagrange\": [", KZG_ERR_SETUP, "file ends where '\"'"},
        {"{\"g1_lagrange\": [\"0x%s\"", KZG_ERR_SETUP, "file ends where ']'"},
        {"{\"abc\": []}", KZG_ERR_SETUP, "unknown key \"abc\""},
        {"{\"g1_lagrange\": [\"ab\"]}", KZG_ERR_SETUP, "2 hex digits"},
        {"{\"g1_lagrange\": [\"0x%s\", 7]}", KZG_ERR_SETUP, "expected '\"'"},
        {"{\"g1_lagrange\": [\"0x%s\"], \"g2_monomial\": [], \"g1_monomial\": [] ", KZG_ERR_LENGTH,
         "g1_lagrange has 1 points"},
    };
    for (size_t i = 0; i < KZG_ARRAY_LEN(json); i++) {
        snprintf(doc, 1 << 16, json[i].fmt, g1);
        kzg_status st = setup_parse_json(out, doc, strlen(doc));
        CHECK(st == json[i].want && strstr(kzg_last_error(), json[i].detail),
              "JSON case %zu (%.40s): status %d, detail '%s', want %d '%s'", i, json[i].fmt, (int)st,
              kzg_last_error(), (int)json[i].want, json[i].detail);
    }
    /* A document complete up to the closing brace: the arrays are checked first, so build
     * one with the right counts and cut the brace off. */
    size_t n = (size_t)snprintf(doc, 1 << 16, "{\"g2_monomial\": [");
    for (int i = 0; i < SETUP_N_G2; i++) n += (size_t)snprintf(doc + n, (1 << 16) - n, "%s\"%s\"", i ? "," : "", g2);
    n += (size_t)snprintf(doc + n, (1 << 16) - n, "], \"g1_lagrange\": [], \"g1_monomial\": []");
    CHECK(setup_parse_json(out, doc, n) == KZG_ERR_LENGTH && strstr(kzg_last_error(), "g1_lagrange has 0"),
          "JSON with G2 only: %s", kzg_last_error());
    /* After a complete array (points without the 0x prefix, which is optional): what may
     * follow it. */
    n = (size_t)snprintf(doc, 1 << 16, "{\"g2_monomial\": [");
    for (int i = 0; i < SETUP_N_G2; i++) n += (size_t)snprintf(doc + n, (1 << 16) - n, "%s\"%s\"", i ? "," : "", g2);
    n += (size_t)snprintf(doc + n, (1 << 16) - n, "] ");
    static const struct { const char *tail; const char *detail; } after[] = {
        {" }", "missing key \"g1_lagrange\""},
        {"  5", "expected ',' (between keys)"},
        {", 5", "expected '\"' (key)"},
        {"", "file ends where ','"},
    };
    for (size_t i = 0; i < KZG_ARRAY_LEN(after); i++) {
        size_t m = n + (size_t)snprintf(doc + n, (1 << 16) - n, "%s", after[i].tail);
        kzg_status st = setup_parse_json(out, doc, m);
        CHECK(st == KZG_ERR_SETUP && strstr(kzg_last_error(), after[i].detail),
              "after the array, '%s': status %d, detail '%s'", after[i].tail, (int)st, kzg_last_error());
    }

    static const struct { const char *text; kzg_status want; const char *detail; } txt[] = {
        {"4096x", KZG_ERR_SETUP, "G1 count: unexpected 'x'"},
        {"4096 ", KZG_ERR_LENGTH, "file ends before the G2 count"},
        {"4096\n70\n", KZG_ERR_LENGTH, "G2 count is 70"},
        {"4096\n99999999999999\n", KZG_ERR_LENGTH, "G2 count is too large"},
        {"4096\n65\n\x7f" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ",
         KZG_ERR_SETUP, "bad hex digit 0x7f"},
    };
    for (size_t i = 0; i < KZG_ARRAY_LEN(txt); i++) {
        kzg_status st = setup_parse_txt(out, txt[i].text, strlen(txt[i].text));
        CHECK(st == txt[i].want && strstr(kzg_last_error(), txt[i].detail),
              "text case %zu: status %d, detail '%s', want %d '%s'", i, (int)st, kzg_last_error(),
              (int)txt[i].want, txt[i].detail);
    }
    /* AUTO picks the parser by the first non-blank character. */
    CHECK(setup_parse_auto(out, "  \n 4096 5", 10) == KZG_ERR_LENGTH && strstr(kzg_last_error(), "G2 count is 5"),
          "auto, text: %s", kzg_last_error());
    CHECK(setup_parse_auto(out, " {", 2) == KZG_ERR_SETUP && strstr(kzg_last_error(), "setup JSON"),
          "auto, JSON: %s", kzg_last_error());
    CHECK(setup_parse_auto(out, "x", 1) == KZG_ERR_SETUP && !strstr(kzg_last_error(), "empty"),
          "auto, neither: %s", kzg_last_error());
    CHECK(setup_parse_auto(out, "!", 1) == KZG_ERR_SETUP, "auto, a character below '0'");
    /* The mainnet JSON with its closing brace replaced: all three arrays read, then no '}'. */
    size_t jl;
    char *j = test_slurp(json_path, &jl);
    char *brace = j ? strrchr(j, '}') : NULL;
    CHECK(brace != NULL, "reading %s", json_path);
    if (brace) {
        *brace = ']';
        CHECK(setup_parse_json(out, j, jl) == KZG_ERR_SETUP && strstr(kzg_last_error(), "end of the setup object"),
              "no closing brace: %s", kzg_last_error());
    }
    free(j);
    free(out);
    free(doc);
}

/* Finds a compressed G1 x (flag 0x80) whose decoding gives `want`. */
static void g1_bytes_with_status(uint8_t out[48], kzg_status want) {
    g1_aff_t a;
    for (uint32_t x = 1;; x++) {
        memset(out, 0, 48);
        out[0] = 0x80;
        out[44] = (uint8_t)(x >> 24), out[45] = (uint8_t)(x >> 16), out[46] = (uint8_t)(x >> 8),
        out[47] = (uint8_t)x;
        if (g1_decompress(&a, out) == want) return;
    }
}

static void g2_bytes_with_status(uint8_t out[96], kzg_status want) {
    g2_aff_t a;
    for (uint32_t x = 1;; x++) {
        memset(out, 0, 96);
        out[0] = 0x80;
        out[92] = (uint8_t)(x >> 24), out[93] = (uint8_t)(x >> 16), out[94] = (uint8_t)(x >> 8),
        out[95] = (uint8_t)x;
        if (g2_decompress(&a, out) == want) return;
    }
}

static void swap(uint8_t *a, uint8_t *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint8_t t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

static void test_ctx_new_from_bytes__bad_points_and_inconsistent_setups(void) {
    setup_bytes *s = malloc(sizeof *s);

    *s = *ref;
    s->g1_monomial[3 * 48] &= 0x7f; /* compression flag cleared */
    expect_bytes(s, KZG_ERR_POINT_ENCODING, "g1_monomial[3]", "uncompressed flag");
    *s = *ref;
    g1_bytes_with_status(s->g1_lagrange + 7 * 48, KZG_ERR_POINT_NOT_IN_SUBGROUP);
    expect_bytes(s, KZG_ERR_POINT_NOT_IN_SUBGROUP, "g1_lagrange[7]", "G1 not in subgroup");
    *s = *ref;
    g1_bytes_with_status(s->g1_lagrange + 9 * 48, KZG_ERR_POINT_NOT_ON_CURVE);
    expect_bytes(s, KZG_ERR_POINT_NOT_ON_CURVE, "g1_lagrange[9]", "G1 not on curve");
    *s = *ref;
    g2_bytes_with_status(s->g2_monomial + 2 * 96, KZG_ERR_POINT_NOT_IN_SUBGROUP);
    expect_bytes(s, KZG_ERR_POINT_NOT_IN_SUBGROUP, "g2_monomial[2]", "G2 not in subgroup");

    /* Well-formed points in the wrong places: only the pairing/MSM checks can tell. */
    *s = *ref;
    swap(s->g1_lagrange + 100 * 48, s->g1_lagrange + 101 * 48, 48);
    expect_bytes(s, KZG_ERR_SETUP, "g1_lagrange is not the Lagrange form", "swapped Lagrange points");

    kzg_ctx *ctx = NULL;
    CHECK(kzg_ctx_new_from_bytes(&ctx, ref->g1_monomial, 48 * 4095, ref->g1_lagrange, sizeof ref->g1_lagrange,
                                 ref->g2_monomial, sizeof ref->g2_monomial, NULL) == KZG_ERR_LENGTH,
          "short g1_monomial");
    CHECK(strstr(kzg_last_error(), "g1_monomial") != NULL, "detail: %s", kzg_last_error());
    CHECK(kzg_ctx_new_from_bytes(&ctx, ref->g1_monomial, sizeof ref->g1_monomial, ref->g1_lagrange,
                                 sizeof ref->g1_lagrange, ref->g2_monomial, 96 * 66, NULL) == KZG_ERR_LENGTH,
          "long g2_monomial");
    CHECK(kzg_ctx_new_from_bytes(&ctx, NULL, 0, ref->g1_lagrange, sizeof ref->g1_lagrange, ref->g2_monomial,
                                 sizeof ref->g2_monomial, NULL) == KZG_ERR_NULL_ARG, "NULL g1_monomial");
    CHECK(kzg_ctx_new_from_file(&ctx, NULL, KZG_SETUP_AUTO, NULL) == KZG_ERR_NULL_ARG, "NULL path");
    CHECK(kzg_ctx_new_from_file(&ctx, json_path, (kzg_setup_format)7, NULL) == KZG_ERR_BAD_ARG, "bad format");
    CHECK(ctx == NULL, "ctx set on failure");
    free(s);
}

/* setup_validate on modified copies of the (already decoded) embedded tables: each
 * inconsistency is caught by its own check, without paying for decoding. */
static void expect_validate(const setup_points *p, const char *detail, const char *what) {
    uint8_t seed[32];
    testrand_bytes(seed, 32);
    void *scratch = malloc(setup_validate_scratch_size());
    setup_tables t = {p->g1_monomial, p->g1_lagrange_brp, p->g2_monomial};
    kzg_status st = setup_validate(&t, seed, scratch);
    free(scratch);
    if (!detail) {
        CHECK(st == KZG_OK, "%s: %s", what, kzg_last_error());
        return;
    }
    CHECK(st == KZG_ERR_SETUP, "%s: status %d", what, st);
    CHECK(strstr(kzg_last_error(), detail) != NULL, "%s: detail \"%s\" lacks \"%s\"", what,
          kzg_last_error(), detail);
}

static void test_setup_validate__catches_each_inconsistency(void) {
    setup_points *p = malloc(sizeof *p);
    const setup_tables *e = &SETUP_EMBEDDED.tables;
#define RESET()                                                                     \
    do {                                                                            \
        memcpy(p->g1_monomial, e->g1_monomial, sizeof p->g1_monomial);              \
        memcpy(p->g1_lagrange_brp, e->g1_lagrange_brp, sizeof p->g1_lagrange_brp);  \
        memcpy(p->g2_monomial, e->g2_monomial, sizeof p->g2_monomial);              \
    } while (0)
    RESET();
    expect_validate(p, NULL, "mainnet");
    g1_aff_t t1;
    g2_aff_t t2;
    t1 = p->g1_monomial[10], p->g1_monomial[10] = p->g1_monomial[4000], p->g1_monomial[4000] = t1;
    expect_validate(p, "g1_monomial is not a sequence of powers", "swapped G1 monomial points");
    RESET();
    t2 = p->g2_monomial[2], p->g2_monomial[2] = p->g2_monomial[3], p->g2_monomial[3] = t2;
    expect_validate(p, "g2_monomial does not match", "swapped G2 monomial points");
    RESET();
    p->g2_monomial[64] = p->g2_monomial[63];
    expect_validate(p, "g2_monomial does not match", "repeated last G2 point");
    RESET();
    t1 = p->g1_lagrange_brp[0], p->g1_lagrange_brp[0] = p->g1_lagrange_brp[4095], p->g1_lagrange_brp[4095] = t1;
    expect_validate(p, "Lagrange form", "swapped Lagrange points");
    RESET();
    p->g1_monomial[0] = p->g1_monomial[1];
    expect_validate(p, "generator", "g1_monomial[0] not the generator");
    RESET();
    p->g2_monomial[0] = p->g2_monomial[1];
    expect_validate(p, "generator", "g2_monomial[0] not the generator");
    RESET();
    memset(&p->g1_monomial[1], 0, sizeof p->g1_monomial[1]);
    expect_validate(p, "tau = 0", "infinity at g1_monomial[1]");
#undef RESET
    free(p);
}

/* Allocator that fails the n-th allocation from now. */
static long fail_at = -1;
static void *failing_malloc(size_t n, void *user) {
    (void)user;
    if (fail_at == 0) {
        fail_at = -1;
        return NULL;
    }
    if (fail_at > 0) fail_at--;
    return malloc(n);
}
static void plain_free(void *p, void *user) {
    (void)user;
    free(p);
}

static void test_ctx_new_from_file__every_allocation_failure_is_clean(void) {
    char txt[512];
    snprintf(txt, sizeof txt, "%s/setup.txt", tmpdir);
    kzg_allocator a = {failing_malloc, plain_free, NULL};
    CHECK(kzg_set_allocator(&a) == KZG_OK, "set allocator");
    kzg_alloc_stats before, after;
    for (long k = 0; k < 64; k++) {
        kzg_ctx *ctx = NULL;
        kzg_alloc_stats_get(&before);
        fail_at = k;
        kzg_status st = kzg_ctx_new_from_file(&ctx, txt, KZG_SETUP_AUTO, NULL);
        bool failed_alloc = fail_at == -1;
        fail_at = -1;
        if (!failed_alloc) { /* fewer than k allocations: done */
            CHECK(st == KZG_OK, "load with no failure: %s", kzg_last_error());
            kzg_ctx_free(ctx);
            kzg_alloc_stats_get(&after);
            CHECK(after.live_bytes == before.live_bytes, "leak after a successful load");
            printf("  a validated load makes %ld allocations; each failure checked\n", k);
            break;
        }
        CHECK(st == KZG_ERR_MEMORY && ctx == NULL, "allocation %ld failed: status %d (%s)", k, st,
              kzg_last_error());
        kzg_alloc_stats_get(&after);
        CHECK(after.live_bytes == before.live_bytes, "allocation %ld failed: %llu bytes leaked", k,
              (unsigned long long)(after.live_bytes - before.live_bytes));
    }
    kzg_set_allocator(NULL);
}

/* The FK20 columns compiled into the library are the ones setup_fk20_columns computes at
 * run time (here on two threads) from the embedded monomial points; a context on the
 * embedded setup, and one loaded from data/trusted_setup.json, use the embedded block with
 * no build, so the first proof computation costs what later ones do. */
static void test_fk20__embedded_columns_equal_runtime_ones(void) {
    kzg_ctx *ctx = NULL, *loaded = NULL;
    kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
    o.threads = 2;
    g1_aff_t *xfft = malloc(SETUP_FK20_POINTS * sizeof *xfft);
    const setup_fk20 *p = NULL;
    CHECK(kzg_ctx_new(&ctx, &o) == KZG_OK, "kzg_ctx_new: %s", kzg_last_error());
    CHECK(setup_fk20_columns(xfft, ctx->setup.g1_monomial, pool_threads(ctx->pool), setup_run_on_pool,
                             ctx->pool) == KZG_OK, "columns: %s", kzg_last_error());
    for (size_t i = 0; i < SETUP_FK20_POINTS; i++) {
        if (memcmp(&xfft[i], &SETUP_FK20_EMBEDDED.xfft[i], sizeof *xfft) != 0) {
            CHECK(false, "embedded FK20 column point %zu differs from the computed one", i);
            break;
        }
    }
    CHECK(SETUP_FK20_EMBEDDED.table_bits == 0 && SETUP_FK20_EMBEDDED.fixed == NULL, "embedded: no table");
    /* The shifted copies: setup_fk20_shifted's, and for a sample of points 2^(16·s) times the
     * column point by plain doublings. */
    g1_aff_t(*sh)[SETUP_FK20_POINTS] = malloc(sizeof *sh * (SETUP_FK20_PARTS - 1));
    CHECK(setup_fk20_shifted(sh, xfft, pool_threads(ctx->pool), setup_run_on_pool, ctx->pool) == KZG_OK,
          "shifted: %s", kzg_last_error());
    CHECK(memcmp(sh, SETUP_FK20_EMBEDDED.shifted, sizeof SETUP_FK20_EMBEDDED.shifted) == 0,
          "embedded shifted columns differ from the computed ones");
    for (size_t i = 0; i < SETUP_FK20_POINTS; i += 1021) {
        g1_t x;
        g1_from_aff(&x, &xfft[i]);
        for (size_t s = 0; s + 1 < SETUP_FK20_PARTS; s++) {
            g1_aff_t want;
            for (int d = 0; d < 128 / SETUP_FK20_PARTS; d++) g1_dbl(&x, &x);
            g1_to_aff(&want, &x);
            CHECK(memcmp(&want, &SETUP_FK20_EMBEDDED.shifted[s][i], sizeof want) == 0,
                  "shifted[%zu][%zu] is not 2^%zu times column point %zu", s, i,
                  (size_t)(128 / SETUP_FK20_PARTS) * (s + 1), i);
        }
    }
    free(sh);
    CHECK(ctx->fk20 == NULL, "a new context has published nothing");
    double t0 = now_s();
    CHECK(setup_fk20_get(&p, ctx, 0, NULL) == KZG_OK && p == &SETUP_FK20_EMBEDDED, "embedded context");
    double us = (now_s() - t0) * 1e6;
    printf("  FK20 tables of an embedded context: %.1f us\n", us);
    CHECK(us < 50000.0, "the embedded FK20 tables took %.0f us", us);
    kzg_ctx_free(ctx); /* must not free the embedded block (ASan would see it) */

    CHECK(kzg_ctx_new_from_file(&loaded, json_path, KZG_SETUP_JSON, NULL) == KZG_OK, "load: %s",
          kzg_last_error());
    CHECK(loaded && loaded->owned && setup_fk20_get(&p, loaded, 0, NULL) == KZG_OK &&
              p == &SETUP_FK20_EMBEDDED,
          "a context loaded from the mainnet file uses the embedded columns");
    kzg_ctx_free(loaded);
    free(xfft);
}

/* Another setup's columns are built on first use: a "setup" of the negated mainnet points
 * (its columns are the negated embedded ones, since the columns are linear in the points). */
static void test_fk20__other_setup_builds_its_columns(void) {
    kzg_ctx *ctx = NULL;
    const setup_fk20 *p = NULL;
    g1_aff_t *neg = malloc(SETUP_N_G1 * sizeof *neg);
    CHECK(kzg_ctx_new(&ctx, NULL) == KZG_OK, "kzg_ctx_new: %s", kzg_last_error());
    for (size_t i = 0; i < SETUP_N_G1; i++) {
        neg[i] = ctx->setup.g1_monomial[i];
        fp_neg(&neg[i].y, &neg[i].y);
    }
    ctx->setup.g1_monomial = neg; /* borrowed: the context frees only ctx->owned */
    CHECK(setup_fk20_get(&p, ctx, 0, NULL) == KZG_OK && p && p != &SETUP_FK20_EMBEDDED &&
              p->table_bits == 0 && p->fixed == NULL,
          "built block: %s", kzg_last_error());
    for (size_t i = 0; p && i < SETUP_FK20_POINTS; i++) {
        g1_aff_t want = SETUP_FK20_EMBEDDED.xfft[i];
        fp_neg(&want.y, &want.y);
        if (memcmp(&p->xfft[i], &want, sizeof want) != 0) {
            CHECK(false, "column point %zu of the negated setup is not the negated embedded one", i);
            break;
        }
        for (size_t s = 0; s + 1 < SETUP_FK20_PARTS; s++) { /* and so are the shifted copies */
            want = SETUP_FK20_EMBEDDED.shifted[s][i];
            fp_neg(&want.y, &want.y);
            if (memcmp(&p->shifted[s][i], &want, sizeof want) != 0) {
                CHECK(false, "shifted copy %zu of point %zu of the negated setup differs", s, i);
                i = SETUP_FK20_POINTS;
                break;
            }
        }
    }
    const setup_fk20 *again = NULL;
    CHECK(setup_fk20_get(&again, ctx, 8, NULL) == KZG_OK && again == p, "published once");
    kzg_ctx_free(ctx);
    free(neg);
}

/* kzg_ctx_options.eip7594_table_bits: checked, built at creation (columns copied from the
 * embedded ones), and saved to / loaded from table_cache_path + ".fk20". */
static void test_fk20__table_bits_option(void) {
    kzg_ctx *ctx = NULL;
    kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
    char cache[512], fk20_file[600];
    struct stat st;
    o.threads = 2;
    static const unsigned bad[] = {1, 3, 11, 64};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char want[64];
        o.eip7594_table_bits = bad[i];
        snprintf(want, sizeof want, "eip7594_table_bits = %u", bad[i]);
        CHECK(kzg_ctx_new(&ctx, &o) == KZG_ERR_BAD_ARG && ctx == NULL, "table bits %u accepted", bad[i]);
        CHECK(strstr(kzg_last_error(), want) != NULL, "detail: %s", kzg_last_error());
    }
    snprintf(cache, sizeof cache, "%s/tables.bin", tmpdir);
    snprintf(fk20_file, sizeof fk20_file, "%s.fk20", cache);
    o.eip7594_table_bits = 6;
    o.table_cache_path = cache;
    for (int round = 0; round < 2; round++) {
        CHECK(kzg_ctx_new(&ctx, &o) == KZG_OK, "round %d: %s", round, kzg_last_error());
        if (!ctx) return;
        CHECK(msm_table_last_origin() == (round ? MSM_TABLE_LOADED : MSM_TABLE_REBUILT),
              "round %d: origin %d", round, (int)msm_table_last_origin());
        const setup_fk20 *p = ctx->fk20;
        CHECK(p && p != &SETUP_FK20_EMBEDDED && p->table_bits == 6 && p->fixed && p->fixed->nwin == 43 &&
                  p->fixed->n == SETUP_FK20_POINTS,
              "round %d: the table is built at creation", round);
        if (p) {
            CHECK(memcmp(p->xfft, SETUP_FK20_EMBEDDED.xfft, sizeof p->xfft) == 0, "columns");
            if (p->fixed)
                CHECK(memcmp(&p->fixed->entries[5 * 43], &p->xfft[5], sizeof p->xfft[5]) == 0, "row 0 of point 5");
        }
        CHECK(stat(fk20_file, &st) == 0 && st.st_size > (off_t)(SETUP_FK20_POINTS * 43 * 96),
              "round %d: %s written", round, fk20_file);
        kzg_ctx_free(ctx);
        ctx = NULL;
    }
    /* Without table_window the Lagrange tables' own file is not made. */
    CHECK(stat(cache, &st) != 0, "%s made without table_window", cache);
}

int main(void) {
    testrand_init("test_setup");
    find_json();
    snprintf(tmpdir, sizeof tmpdir, "/tmp/kzgkit_test_setup_XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    size_t len;
    char *text = test_slurp(json_path, &len);
    ref = malloc(sizeof *ref);
    if (!text || setup_parse_json(ref, text, len) != KZG_OK) {
        fprintf(stderr, "cannot read %s: %s\n", json_path, kzg_last_error());
        return 1;
    }
    free(text);

    test_ctx_new__embedded_is_fast_and_equals_the_json();
    test_ctx_new_from_file__txt_json_bytes_agree();
    test_ctx_new_from_buffer__same_as_the_file();
    test_ctx_new_from_file__malformed_text();
    test_setup_parse__every_syntax_arm();
    test_setup_load__grows_and_stops_at_the_bound();
    test_ctx_new_from_file__malformed_json();
    test_ctx_new_from_bytes__bad_points_and_inconsistent_setups();
    test_setup_validate__catches_each_inconsistency();
    test_ctx_new_from_file__every_allocation_failure_is_clean();
    test_fk20__embedded_columns_equal_runtime_ones();
    test_fk20__other_setup_builds_its_columns();
    test_fk20__table_bits_option();

    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    free(ref);
    return test_report();
}
