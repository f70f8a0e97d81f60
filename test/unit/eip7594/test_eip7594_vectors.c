/*
 * test_eip7594_vectors — every EIP-7594 case of the consensus-spec reference tests
 * (FUNCTION/kzg-mainnet/CASE/data.yaml) through the public API and the challenge test hook.
 *
 * The directory is $KZGKIT_REFERENCE_TESTS (ctest sets it from the CMake cache variable of
 * that name), else ../shared/kzg-reference-tests beside the source tree; when it is absent
 * the test says so and exits 77, ctest's SKIP_RETURN_CODE for it. The data files use a few
 * YAML shapes only (scalars, flow and block sequences of quoted hex strings and integers),
 * so they are read by a small tokenizer here rather than through libyaml: each key of
 * `input` becomes a flat list of tokens, and `output` is null/true/false or a flat list.
 * A case whose output is null must fail with a status (any); other cases must succeed and
 * match byte for byte.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eip7594/eip7594_internal.h"
#include "testrand.h"

/* ---- the YAML subset ------------------------------------------------------------------ */

typedef struct tok {
    bool is_int;
    uint64_t v;     /* is_int */
    uint8_t *bytes; /* hex: decoded bytes (NULL if the hex is malformed) */
    size_t len;     /* hex: byte count (SIZE_MAX if malformed) */
} tok;

typedef struct field {
    char name[64];
    tok *t;
    size_t n, cap;
} field;

enum { OUT_LIST, OUT_NULL, OUT_TRUE, OUT_FALSE };

typedef struct doc {
    field in[8];
    size_t n_in;
    field out;
    int out_kind;
} doc;

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool field_push(field *f, tok t) {
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 16;
        tok *nt = realloc(f->t, cap * sizeof *nt);
        if (!nt) return false;
        f->t = nt, f->cap = cap;
    }
    f->t[f->n++] = t;
    return true;
}

/* Tokens of one line fragment into f; words null/true/false set *kind when kind != NULL. */
static bool tokenize(field *f, const char *s, int *kind) {
    while (*s) {
        if (*s == '\'') {
            const char *e = strchr(s + 1, '\'');
            if (!e) return false;
            tok t = {0};
            const char *h = s + 1;
            size_t hl = (size_t)(e - h);
            if (hl >= 2 && h[0] == '0' && h[1] == 'x') h += 2, hl -= 2;
            t.len = hl / 2;
            t.bytes = malloc(t.len + 1);
            if (!t.bytes) return false;
            bool good = hl % 2 == 0;
            for (size_t i = 0; good && i < t.len; i++) {
                int a = hexval(h[2 * i]), b = hexval(h[2 * i + 1]);
                if (a < 0 || b < 0) good = false;
                else t.bytes[i] = (uint8_t)(a << 4 | b);
            }
            if (!good) t.len = SIZE_MAX;
            if (!field_push(f, t)) return false;
            s = e + 1;
        } else if (*s >= '0' && *s <= '9') {
            tok t = {0};
            t.is_int = true;
            t.v = strtoull(s, (char **)&s, 10);
            if (!field_push(f, t)) return false;
        } else if (kind && strncmp(s, "null", 4) == 0) {
            *kind = OUT_NULL, s += 4;
        } else if (kind && strncmp(s, "true", 4) == 0) {
            *kind = OUT_TRUE, s += 4;
        } else if (kind && strncmp(s, "false", 5) == 0) {
            *kind = OUT_FALSE, s += 5;
        } else {
            s++;
        }
    }
    return true;
}

static void doc_free(doc *d) {
    for (size_t i = 0; i < d->n_in; i++) {
        for (size_t k = 0; k < d->in[i].n; k++) free(d->in[i].t[k].bytes);
        free(d->in[i].t);
    }
    for (size_t k = 0; k < d->out.n; k++) free(d->out.t[k].bytes);
    free(d->out.t);
}

static bool doc_read(doc *d, const char *path) {
    memset(d, 0, sizeof *d);
    FILE *fp = fopen(path, "rb");
    if (!fp) return false;
    size_t cap = 1 << 16;
    char *line = malloc(cap);
    bool ok = line != NULL;
    field *cur = NULL;
    int section = 0; /* 1 input, 2 output */
    while (ok) {
        /* a line of any length */
        size_t len = 0;
        int c;
        while ((c = fgetc(fp)) != EOF && c != '\n') {
            if (len + 1 == cap) {
                char *nl = realloc(line, cap *= 2);
                if (!nl) {
                    ok = false;
                    break;
                }
                line = nl;
            }
            line[len++] = (char)c;
        }
        if (!ok || (c == EOF && len == 0)) break;
        line[len] = 0;
        if (strncmp(line, "input:", 6) == 0) {
            section = 1, cur = NULL;
        } else if (strncmp(line, "output:", 7) == 0) {
            section = 2, cur = &d->out;
            ok = tokenize(cur, line + 7, &d->out_kind);
        } else if (section == 1 && line[0] == ' ' && line[1] == ' ' && line[2] != ' ' && line[2] != '-' &&
                   strchr(line, ':')) {
            if (d->n_in == KZG_ARRAY_LEN(d->in)) {
                ok = false;
                break;
            }
            cur = &d->in[d->n_in++];
            const char *colon = strchr(line, ':');
            size_t nl = (size_t)(colon - line - 2);
            if (nl >= sizeof cur->name) nl = sizeof cur->name - 1;
            memcpy(cur->name, line + 2, nl);
            cur->name[nl] = 0;
            ok = tokenize(cur, colon + 1, NULL);
        } else if (cur) {
            ok = tokenize(cur, line, section == 2 ? &d->out_kind : NULL);
        }
        if (c == EOF) break;
    }
    free(line);
    fclose(fp);
    if (!ok) doc_free(d);
    return ok;
}

static const field *in_field(const doc *d, const char *name) {
    for (size_t i = 0; i < d->n_in; i++)
        if (strcmp(d->in[i].name, name) == 0) return &d->in[i];
    return NULL;
}

/* Copies n hex tokens of `size` bytes each into out; false if any has another length. */
static bool tokens_to(void *out, const field *f, size_t first, size_t n, size_t size) {
    for (size_t i = 0; i < n; i++) {
        const tok *t = &f->t[first + i];
        if (t->is_int || t->len != size) return false;
        memcpy((uint8_t *)out + i * size, t->bytes, size);
    }
    return true;
}

static bool tokens_to_u64(uint64_t *out, const field *f) {
    for (size_t i = 0; i < f->n; i++) {
        if (!f->t[i].is_int) return false;
        out[i] = f->t[i].v;
    }
    return true;
}

/* ---- per-function runners: 1 pass, 0 fail -------------------------------------------- */

static kzg_ctx *ctx;

/* Outcome: a status, and the outputs compared when the case expects them. */
static bool expect_error(const doc *d, kzg_status st, const char *what) {
    if (d->out_kind == OUT_NULL) return st != KZG_OK;
    if (st != KZG_OK) fprintf(stderr, "  %s: unexpected status %s: %s\n", what, kzg_status_str(st), kzg_last_error());
    return false;
}

static int run_compute_cells(const doc *d, bool with_proofs) {
    const field *fb = in_field(d, "blob");
    if (!fb || fb->n != 1) return 0;
    kzg_blob *blob = malloc(sizeof *blob);
    kzg_cell *cells = malloc(CELLS * sizeof *cells), *want_c = malloc(CELLS * sizeof *cells);
    kzg_proof proofs[CELLS], want_p[CELLS];
    int pass = 0;
    kzg_status st;
    if (!blob || !cells || !want_c) goto out;
    if (!tokens_to(blob, fb, 0, 1, sizeof *blob)) {
        pass = d->out_kind == OUT_NULL; /* a wrong-length blob cannot reach the API */
        goto out;
    }
    st = with_proofs ? kzg_compute_cells_and_kzg_proofs(ctx, cells, proofs, blob)
                     : kzg_compute_cells(ctx, cells, blob);
    if (st != KZG_OK || d->out_kind == OUT_NULL) {
        pass = expect_error(d, st, "compute");
        goto out;
    }
    if (d->out.n != (with_proofs ? 2 * CELLS : CELLS)) goto out;
    if (!tokens_to(want_c, &d->out, 0, CELLS, sizeof *cells)) goto out;
    if (with_proofs && !tokens_to(want_p, &d->out, CELLS, CELLS, sizeof *want_p)) goto out;
    pass = memcmp(cells, want_c, CELLS * sizeof *cells) == 0 &&
           (!with_proofs || memcmp(proofs, want_p, sizeof proofs) == 0);
out:
    free(blob);
    free(cells);
    free(want_c);
    return pass;
}

static int run_compute_cells_only(const doc *d) { return run_compute_cells(d, false); }
static int run_compute_cells_and_proofs(const doc *d) { return run_compute_cells(d, true); }

static int run_verify(const doc *d) {
    const field *fc = in_field(d, "commitments"), *fi = in_field(d, "cell_indices"),
                *fx = in_field(d, "cells"), *fp = in_field(d, "proofs");
    if (!fc || !fi || !fx || !fp) return 0;
    size_t n = fi->n;
    int pass = 0;
    kzg_commitment *cs = calloc(n + 1, sizeof *cs);
    kzg_proof *ps = calloc(n + 1, sizeof *ps);
    kzg_cell *cells = calloc(n + 1, sizeof *cells);
    uint64_t *idx = calloc(n + 1, sizeof *idx);
    bool ok = false;
    if (!cs || !ps || !cells || !idx) goto out;
    /* Arrays of different lengths or items of a wrong size cannot reach the API. */
    if (fc->n != n || fx->n != n || fp->n != n || !tokens_to(cs, fc, 0, n, sizeof *cs) ||
        !tokens_to(ps, fp, 0, n, sizeof *ps) || !tokens_to(cells, fx, 0, n, sizeof *cells) ||
        !tokens_to_u64(idx, fi)) {
        pass = d->out_kind == OUT_NULL;
        goto out;
    }
    kzg_status st = kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, cells, ps, n);
    if (st != KZG_OK || d->out_kind == OUT_NULL) {
        pass = expect_error(d, st, "verify") && !ok;
        goto out;
    }
    pass = ok == (d->out_kind == OUT_TRUE) && (d->out_kind == OUT_TRUE || d->out_kind == OUT_FALSE);
out:
    free(cs);
    free(ps);
    free(cells);
    free(idx);
    return pass;
}

static int run_recover(const doc *d) {
    const field *fi = in_field(d, "cell_indices"), *fx = in_field(d, "cells");
    if (!fi || !fx) return 0;
    size_t n = fi->n;
    int pass = 0;
    kzg_cell *cells = calloc(n + 1, sizeof *cells);
    kzg_cell *out_c = malloc(CELLS * sizeof *out_c), *want_c = malloc(CELLS * sizeof *want_c);
    kzg_cell *only_c = malloc(CELLS * sizeof *only_c);
    uint64_t *idx = calloc(n + 1, sizeof *idx);
    kzg_proof out_p[CELLS], want_p[CELLS];
    if (!cells || !out_c || !want_c || !only_c || !idx) goto out;
    if (fx->n != n || !tokens_to(cells, fx, 0, n, sizeof *cells) || !tokens_to_u64(idx, fi)) {
        pass = d->out_kind == OUT_NULL;
        goto out;
    }
    kzg_status st = kzg_recover_cells_and_kzg_proofs(ctx, out_c, out_p, idx, cells, n);
    kzg_status st2 = kzg_recover_cells(ctx, only_c, idx, cells, n);
    if (st != KZG_OK || d->out_kind == OUT_NULL) {
        pass = expect_error(d, st, "recover") && st2 == st;
        goto out;
    }
    if (d->out.n != 2 * CELLS || !tokens_to(want_c, &d->out, 0, CELLS, sizeof *want_c) ||
        !tokens_to(want_p, &d->out, CELLS, CELLS, sizeof *want_p))
        goto out;
    pass = st2 == KZG_OK && memcmp(out_c, want_c, CELLS * sizeof *out_c) == 0 &&
           memcmp(only_c, want_c, CELLS * sizeof *out_c) == 0 && memcmp(out_p, want_p, sizeof out_p) == 0;
out:
    free(cells);
    free(out_c);
    free(want_c);
    free(only_c);
    free(idx);
    return pass;
}

static int run_challenge(const doc *d) {
    const field *fc = in_field(d, "commitments"), *fci = in_field(d, "commitment_indices"),
                *fi = in_field(d, "cell_indices"), *fe = in_field(d, "cosets_evals"),
                *fp = in_field(d, "proofs");
    if (!fc || !fci || !fi || !fe || !fp) return 0;
    size_t n = fi->n, nc = fc->n;
    int pass = 0;
    kzg_commitment *cs = calloc(nc + 1, sizeof *cs);
    kzg_proof *ps = calloc(n + 1, sizeof *ps);
    kzg_cell *cells = calloc(n + 1, sizeof *cells);
    uint64_t *idx = calloc(n + 1, sizeof *idx), *cidx = calloc(n + 1, sizeof *cidx);
    uint8_t got[32];
    if (!cs || !ps || !cells || !idx || !cidx) goto out;
    if (fci->n != n || fp->n != n || fe->n != n * CELL_N || !tokens_to(cs, fc, 0, nc, sizeof *cs) ||
        !tokens_to(ps, fp, 0, n, sizeof *ps) || !tokens_to(cells, fe, 0, n * CELL_N, 32) ||
        !tokens_to_u64(idx, fi) || !tokens_to_u64(cidx, fci)) {
        pass = d->out_kind == OUT_NULL;
        goto out;
    }
    kzg_status st = eip7594_compute_challenge(got, cs, nc, cidx, idx, cells, ps, n);
    if (st != KZG_OK || d->out_kind == OUT_NULL) {
        pass = expect_error(d, st, "challenge");
        goto out;
    }
    pass = d->out.n == 1 && d->out.t[0].len == 32 && memcmp(got, d->out.t[0].bytes, 32) == 0;
out:
    free(cs);
    free(ps);
    free(cells);
    free(idx);
    free(cidx);
    return pass;
}

/* ---- the walk ----------------------------------------------------------------------- */

static int name_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_function(const char *root, const char *fn, int (*run)(const doc *)) {
    char dir[4096], path[8192];
    snprintf(dir, sizeof dir, "%s/%s/kzg-mainnet", root, fn);
    DIR *dp = opendir(dir);
    unsigned passed = 0, failed = 0;
    char **names = NULL;
    size_t nn = 0;
    struct dirent *e;
    CHECK(dp != NULL, "%s: cannot open %s", fn, dir);
    if (!dp) return;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.') continue;
        char **nnames = realloc(names, (nn + 1) * sizeof *names);
        if (!nnames) break;
        names = nnames;
        names[nn] = strdup(e->d_name);
        if (names[nn]) nn++;
    }
    closedir(dp);
    CHECK(nn > 0, "%s: no cases in %s", fn, dir);
    qsort(names, nn, sizeof *names, name_cmp);
    for (size_t i = 0; i < nn; i++) {
        doc d;
        snprintf(path, sizeof path, "%s/%s/data.yaml", dir, names[i]);
        bool read = doc_read(&d, path);
        CHECK(read, "%s: cannot read %s", fn, path);
        if (!read) {
            failed++;
            continue;
        }
        int ok = run(&d);
        CHECK(ok, "%s/%s: FAILED", fn, names[i]);
        if (ok) passed++;
        else failed++;
        doc_free(&d);
        free(names[i]);
    }
    free(names);
    printf("%-46s %u passed, %u failed\n", fn, passed, failed);
}

int main(void) {
    testrand_init("test_eip7594_vectors");
    char root[4096];
    const char *env = getenv("KZGKIT_REFERENCE_TESTS");
    if (env && *env) {
        snprintf(root, sizeof root, "%s", env);
    } else {
        /* __FILE__ = SRC/test/unit/eip7594/test_eip7594_vectors.c → SRC/../shared/... */
        snprintf(root, sizeof root, "%s", __FILE__);
        for (int up = 0; up < 4; up++) {
            char *slash = strrchr(root, '/');
            if (slash) *slash = 0;
        }
        size_t l = strlen(root);
        snprintf(root + l, sizeof root - l, "/../shared/kzg-reference-tests");
    }
    DIR *dp = opendir(root);
    if (!dp) {
        printf("reference tests: %s is absent — SKIPPED: configure with "
               "-DKZGKIT_REFERENCE_TESTS=/path/to/kzg-reference-tests (the CMake cache variable; "
               "the environment variable of that name when running this binary directly)\n",
               root);
        return 77;
    }
    closedir(dp);
    if (kzg_ctx_new(&ctx, NULL) != KZG_OK) {
        fprintf(stderr, "cannot create a context: %s\n", kzg_last_error());
        return 1;
    }
    run_function(root, "compute_cells", run_compute_cells_only);
    run_function(root, "compute_cells_and_kzg_proofs", run_compute_cells_and_proofs);
    run_function(root, "verify_cell_kzg_proof_batch", run_verify);
    run_function(root, "recover_cells_and_kzg_proofs", run_recover);
    run_function(root, "compute_verify_cell_kzg_proof_batch_challenge", run_challenge);
    kzg_ctx_free(ctx);
    /* The proofs again through FK20's other MSM path: the fixed-base table (c = 8). */
    kzg_ctx_options opt = KZG_CTX_OPTIONS_INIT;
    opt.eip7594_table_bits = 8;
    if (kzg_ctx_new(&ctx, &opt) != KZG_OK) {
        fprintf(stderr, "cannot create a context with table_bits 8: %s\n", kzg_last_error());
        return 1;
    }
    printf("with eip7594_table_bits = 8:\n");
    run_function(root, "compute_cells_and_kzg_proofs", run_compute_cells_and_proofs);
    run_function(root, "recover_cells_and_kzg_proofs", run_recover);
    kzg_ctx_free(ctx);
    return test_report();
}
