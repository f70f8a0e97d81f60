/* test/fuzz/fuzz_setup_bytes.c — kzg_ctx_new_from_bytes.
 * Input: MODE, then
 *  - MODE even: two 16-bit cut points splitting the rest into g1_monomial, g1_lagrange and
 *    g2_monomial (exercises the length and decoding checks);
 *  - MODE odd: 4-byte patches (24-bit offset, XOR byte) applied to the real mainnet setup
 *    (read once from data/trusted_setup.json), which is then loaded whole (exercises point
 *    validation and the monomial/Lagrange consistency check). No patch: it must load.
 * Properties: on failure *out is NULL and the kzg.h contract holds. */
#include "fuzz_common.h"

#ifndef KZGKIT_SOURCE_DIR
#define KZGKIT_SOURCE_DIR "."
#endif

#define N_G1 KZG_FIELD_ELEMENTS_PER_BLOB
#define G1_BYTES ((size_t)N_G1 * KZG_BYTES_PER_G1)
#define G2_BYTES ((size_t)KZG_SETUP_G2_LENGTH * KZG_BYTES_PER_G2)

static uint8_t *setup; /* g1_monomial | g1_lagrange | g2_monomial, or NULL if unavailable */

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes the "0x…" strings of the JSON array under `key` into out (exactly `len` bytes). */
static int json_array(const char *json, const char *key, uint8_t *out, size_t len) {
    const char *p = strstr(json, key);
    size_t k = 0;
    if (!p || !(p = strchr(p, '['))) return -1;
    for (p++; *p && *p != ']'; p++) {
        if (p[0] == '0' && p[1] == 'x') {
            for (p += 2; hexval(p[0]) >= 0 && hexval(p[1]) >= 0; p += 2) {
                if (k == len) return -1;
                out[k++] = (uint8_t)(hexval(p[0]) << 4 | hexval(p[1]));
            }
        }
    }
    return k == len ? 0 : -1;
}

static void load_setup(void) {
    const char *path = getenv("KZGKIT_SETUP_JSON");
    char buf[4096];
    FILE *f;
    char *json;
    long size;
    if (!path) {
        snprintf(buf, sizeof buf, "%s/data/trusted_setup.json", KZGKIT_SOURCE_DIR);
        path = buf;
    }
    if (!(f = fopen(path, "rb"))) goto fail;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        goto fail;
    }
    json = malloc((size_t)size + 1);
    setup = malloc(2 * G1_BYTES + G2_BYTES);
    if (!json || !setup || fread(json, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        free(json);
        goto fail;
    }
    fclose(f);
    json[size] = '\0';
    if (json_array(json, "\"g1_monomial\"", setup, G1_BYTES) != 0 ||
        json_array(json, "\"g1_lagrange\"", setup + G1_BYTES, G1_BYTES) != 0 ||
        json_array(json, "\"g2_monomial\"", setup + 2 * G1_BYTES, G2_BYTES) != 0) {
        free(json);
        goto fail;
    }
    free(json);
    return;
fail:
    fprintf(stderr, "fuzz_setup_bytes: cannot read the setup from %s (set KZGKIT_SETUP_JSON)\n",
            path);
    exit(1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    load_setup();
    return 0;
}

static void check(kzg_status st, kzg_ctx *ctx) {
    if (st != KZG_OK) {
        fuzz_check_failure(st, NULL, 0);
        FUZZ_CHECK(ctx == NULL);
    } else {
        FUZZ_CHECK(ctx != NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_reader r = {data, size};
    unsigned mode = fuzz_byte(&r);
    kzg_ctx *ctx = (kzg_ctx *)&ctx; /* non-NULL: the library must reset it on failure */
    kzg_status st;

    if ((mode & 1) == 0) {
        uint8_t cut[4];
        size_t a, b;
        fuzz_take(&r, cut, sizeof cut);
        a = ((size_t)cut[0] << 8 | cut[1]) % (r.left + 1);
        b = ((size_t)cut[2] << 8 | cut[3]) % (r.left - a + 1);
        st = kzg_ctx_new_from_bytes(&ctx, r.p, a, r.p + a, b, r.p + a + b, r.left - a - b, NULL);
        check(st, ctx);
        if (st == KZG_OK) kzg_ctx_free(ctx);
        return 0;
    } else {
        const size_t total = 2 * G1_BYTES + G2_BYTES;
        uint8_t *s = malloc(total);
        bool patched = false;
        if (!s) return 0;
        memcpy(s, setup, total);
        while (r.left >= 4) {
            uint8_t patch[4];
            fuzz_take(&r, patch, sizeof patch);
            s[((size_t)patch[0] << 16 | (size_t)patch[1] << 8 | patch[2]) % total] ^= patch[3];
            patched |= patch[3] != 0;
        }
        st = kzg_ctx_new_from_bytes(&ctx, s, G1_BYTES, s + G1_BYTES, G1_BYTES, s + 2 * G1_BYTES,
                                    G2_BYTES, NULL);
        check(st, ctx);
        if (!patched) FUZZ_CHECK(st == KZG_OK);
        if (st == KZG_OK) kzg_ctx_free(ctx);
        free(s);
    }
    return 0;
}
