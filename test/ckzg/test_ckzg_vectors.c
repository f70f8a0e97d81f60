/*
 * test_ckzg_vectors — the consensus-spec reference tests through ckzg.h.
 *
 * The folder is $KZGKIT_REFERENCE_TESTS, else the one CMake passes in
 * (../shared/kzg-reference-tests beside the source tree); without it the test exits 77
 * (skipped). The setup is loaded the way bindings load it: c-kzg's trusted_setup.txt
 * through load_trusted_setup_file. Each case: `output: null` must fail (a C_KZG_RET other
 * than C_KZG_OK, or an input no binding would pass on: a wrong byte length, bad hex, lists
 * of different lengths); otherwise the call must succeed and give exactly the output (a
 * bool, or the concatenation of the hex strings). compute_challenge and
 * compute_verify_cell_kzg_proof_batch_challenge are skipped: c-kzg has no public function
 * for them.
 */
#define _GNU_SOURCE /* fmemopen */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ckzg.h"
#include "refcase.h"
#include "setup_text.h"

#ifndef CKZG_REFERENCE_TESTS_DEFAULT
#define CKZG_REFERENCE_TESTS_DEFAULT "../shared/kzg-reference-tests"
#endif

#define CELLS_BYTES (CELLS_PER_EXT_BLOB * BYTES_PER_CELL)
#define PROOFS_BYTES (CELLS_PER_EXT_BLOB * BYTES_PER_PROOF)
#define RESULT_MAX (CELLS_BYTES + PROOFS_BYTES) /* the largest output: cells and proofs */

/* What a call produced. */
typedef struct result {
    bool failed;    /* the input was refused or the call did not return C_KZG_OK */
    int boolean;    /* a verification's answer; -1 otherwise */
    uint8_t *bytes; /* RESULT_MAX bytes for the outputs, concatenated */
    size_t len;     /* bytes written */
} result;

/* Runs one case into *r: 0, or -1 when the case itself is malformed (or out of memory). */
typedef int (*runner)(refcase *c, const KZGSettings *s, result *r);

/* One input of fixed size: 1 read, 0 not an acceptable input (r->failed), -1 malformed. */
static int in_hex(refcase *c, const char *key, void *out, size_t len) {
    return refcase_hex(refcase_input(c, key), out, len);
}

/* Records a call that wrote len bytes into r->bytes. */
static int bytes_result(result *r, C_KZG_RET ret, size_t len) {
    if (ret != C_KZG_OK) r->failed = true;
    else r->len = len;
    return 0;
}

/* Records a verification (call it after the call: ok is read here). */
static int bool_result(result *r, C_KZG_RET ret, const bool *ok) {
    if (ret != C_KZG_OK) r->failed = true;
    else r->boolean = *ok;
    return 0;
}

/* Folds an input's reading status into the case: -1 malformed, 0 refused, 1 go on. */
static bool refused(int st, result *r) {
    if (st == 0) r->failed = true;
    return st <= 0;
}

/* ---- EIP-4844 ------------------------------------------------------------------------- */

static int run_blob_to_kzg_commitment(refcase *c, const KZGSettings *s, result *r) {
    Blob *blob = malloc(sizeof *blob);
    int st = blob ? in_hex(c, "blob", blob, sizeof *blob) : -1;
    if (!refused(st, r)) st = bytes_result(r, blob_to_kzg_commitment((KZGCommitment *)r->bytes, blob, s), 48);
    free(blob);
    return st < 0 ? -1 : 0;
}

static int run_compute_kzg_proof(refcase *c, const KZGSettings *s, result *r) {
    Blob *blob = malloc(sizeof *blob);
    Bytes32 z;
    int st = blob ? in_hex(c, "blob", blob, sizeof *blob) : -1;
    if (st > 0) st = in_hex(c, "z", &z, sizeof z);
    if (!refused(st, r))
        st = bytes_result(r, compute_kzg_proof((KZGProof *)r->bytes, (Bytes32 *)(r->bytes + 48), blob, &z, s), 80);
    free(blob);
    return st < 0 ? -1 : 0;
}

static int run_compute_blob_kzg_proof(refcase *c, const KZGSettings *s, result *r) {
    Blob *blob = malloc(sizeof *blob);
    Bytes48 commitment;
    int st = blob ? in_hex(c, "blob", blob, sizeof *blob) : -1;
    if (st > 0) st = in_hex(c, "commitment", &commitment, sizeof commitment);
    if (!refused(st, r))
        st = bytes_result(r, compute_blob_kzg_proof((KZGProof *)r->bytes, blob, &commitment, s), 48);
    free(blob);
    return st < 0 ? -1 : 0;
}

static int run_verify_kzg_proof(refcase *c, const KZGSettings *s, result *r) {
    Bytes48 commitment, proof;
    Bytes32 z, y;
    bool ok = false;
    int st = in_hex(c, "commitment", &commitment, sizeof commitment);
    if (st > 0) st = in_hex(c, "z", &z, sizeof z);
    if (st > 0) st = in_hex(c, "y", &y, sizeof y);
    if (st > 0) st = in_hex(c, "proof", &proof, sizeof proof);
    if (!refused(st, r)) st = bool_result(r, verify_kzg_proof(&ok, &commitment, &z, &y, &proof, s), &ok);
    return st < 0 ? -1 : 0;
}

static int run_verify_blob_kzg_proof(refcase *c, const KZGSettings *s, result *r) {
    Blob *blob = malloc(sizeof *blob);
    Bytes48 commitment, proof;
    bool ok = false;
    int st = blob ? in_hex(c, "blob", blob, sizeof *blob) : -1;
    if (st > 0) st = in_hex(c, "commitment", &commitment, sizeof commitment);
    if (st > 0) st = in_hex(c, "proof", &proof, sizeof proof);
    if (!refused(st, r)) st = bool_result(r, verify_blob_kzg_proof(&ok, blob, &commitment, &proof, s), &ok);
    free(blob);
    return st < 0 ? -1 : 0;
}

static int run_verify_blob_kzg_proof_batch(refcase *c, const KZGSettings *s, result *r) {
    uint8_t *blobs = NULL, *commitments = NULL, *proofs = NULL;
    size_t nb = 0, nc = 0, np = 0;
    bool ok = false;
    int st = refcase_hex_list(c, refcase_input(c, "blobs"), BYTES_PER_BLOB, &blobs, &nb);
    if (st > 0) st = refcase_hex_list(c, refcase_input(c, "commitments"), 48, &commitments, &nc);
    if (st > 0) st = refcase_hex_list(c, refcase_input(c, "proofs"), 48, &proofs, &np);
    if (st > 0 && (nb != nc || nb != np)) st = 0; /* the bindings check the lengths */
    if (!refused(st, r))
        st = bool_result(r,
                         verify_blob_kzg_proof_batch(&ok, (const Blob *)blobs, (const Bytes48 *)commitments,
                                                     (const Bytes48 *)proofs, nb, s), &ok);
    free(blobs);
    free(commitments);
    free(proofs);
    return st < 0 ? -1 : 0;
}

/* ---- EIP-7594 ------------------------------------------------------------------------- */

static int run_cells(refcase *c, const KZGSettings *s, result *r, bool with_proofs) {
    Blob *blob = malloc(sizeof *blob);
    int st = blob ? in_hex(c, "blob", blob, sizeof *blob) : -1;
    if (!refused(st, r)) {
        KZGProof *proofs = with_proofs ? (KZGProof *)(r->bytes + CELLS_BYTES) : NULL;
        C_KZG_RET ret = compute_cells_and_kzg_proofs((Cell *)r->bytes, proofs, blob, s);
        st = bytes_result(r, ret, with_proofs ? CELLS_BYTES + PROOFS_BYTES : CELLS_BYTES);
    }
    free(blob);
    return st < 0 ? -1 : 0;
}

static int run_compute_cells(refcase *c, const KZGSettings *s, result *r) { return run_cells(c, s, r, false); }

static int run_compute_cells_and_kzg_proofs(refcase *c, const KZGSettings *s, result *r) {
    return run_cells(c, s, r, true);
}

static int run_recover_cells_and_kzg_proofs(refcase *c, const KZGSettings *s, result *r) {
    uint64_t *indices = NULL;
    uint8_t *cells = NULL;
    size_t ni = 0, nc = 0;
    int st = refcase_u64_list(c, refcase_input(c, "cell_indices"), &indices, &ni);
    if (st > 0) st = refcase_hex_list(c, refcase_input(c, "cells"), BYTES_PER_CELL, &cells, &nc);
    if (st > 0 && ni != nc) st = 0;
    if (!refused(st, r)) {
        C_KZG_RET ret = recover_cells_and_kzg_proofs((Cell *)r->bytes, (KZGProof *)(r->bytes + CELLS_BYTES),
                                                     indices, (const Cell *)cells, nc, s);
        st = bytes_result(r, ret, CELLS_BYTES + PROOFS_BYTES);
    }
    free(indices);
    free(cells);
    return st < 0 ? -1 : 0;
}

static int run_verify_cell_kzg_proof_batch(refcase *c, const KZGSettings *s, result *r) {
    uint64_t *indices = NULL;
    uint8_t *commitments = NULL, *cells = NULL, *proofs = NULL;
    size_t nco = 0, ni = 0, nce = 0, np = 0;
    bool ok = false;
    int st = refcase_hex_list(c, refcase_input(c, "commitments"), 48, &commitments, &nco);
    if (st > 0) st = refcase_u64_list(c, refcase_input(c, "cell_indices"), &indices, &ni);
    if (st > 0) st = refcase_hex_list(c, refcase_input(c, "cells"), BYTES_PER_CELL, &cells, &nce);
    if (st > 0) st = refcase_hex_list(c, refcase_input(c, "proofs"), 48, &proofs, &np);
    if (st > 0 && (nco != ni || ni != nce || nce != np)) st = 0;
    if (!refused(st, r))
        st = bool_result(r,
                         verify_cell_kzg_proof_batch(&ok, (const Bytes48 *)commitments, indices,
                                                     (const Cell *)cells, (const Bytes48 *)proofs, ni, s), &ok);
    free(commitments);
    free(indices);
    free(cells);
    free(proofs);
    return st < 0 ? -1 : 0;
}

/* ---- the walk ----------------------------------------------------------------------- */

static const struct {
    const char *name;
    runner run;        /* NULL: skipped */
    const char *skip;  /* why */
} FUNCTIONS[] = {
    {"blob_to_kzg_commitment", run_blob_to_kzg_commitment, NULL},
    {"compute_kzg_proof", run_compute_kzg_proof, NULL},
    {"compute_blob_kzg_proof", run_compute_blob_kzg_proof, NULL},
    {"verify_kzg_proof", run_verify_kzg_proof, NULL},
    {"verify_blob_kzg_proof", run_verify_blob_kzg_proof, NULL},
    {"verify_blob_kzg_proof_batch", run_verify_blob_kzg_proof_batch, NULL},
    {"compute_cells", run_compute_cells, NULL},
    {"compute_cells_and_kzg_proofs", run_compute_cells_and_kzg_proofs, NULL},
    {"recover_cells_and_kzg_proofs", run_recover_cells_and_kzg_proofs, NULL},
    {"verify_cell_kzg_proof_batch", run_verify_cell_kzg_proof_batch, NULL},
    {"compute_challenge", NULL, "c-kzg has no public function for it"},
    {"compute_verify_cell_kzg_proof_batch_challenge", NULL, "c-kzg has no public function for it"},
};

typedef struct tally {
    unsigned passed, failed, skipped;
} tally;

/* Whether a case's result is the expected one; prints the reason when not. */
static bool check_case(refcase *c, const result *r, const char *path) {
    if (refcase_output_is_null(c)) {
        if (!r->failed) printf("FAIL %s: expected a failure, the call succeeded\n", path);
        return r->failed;
    }
    if (r->failed) {
        printf("FAIL %s: expected an output, the call failed\n", path);
        return false;
    }
    int want = refcase_output_bool(c);
    if (want >= 0) {
        if (r->boolean != want) printf("FAIL %s: returned %s, expected %s\n", path, r->boolean ? "true" : "false",
                                       want ? "true" : "false");
        return r->boolean == want;
    }
    uint8_t *exp;
    size_t len;
    if (refcase_concat(c, c->output, &exp, &len) < 0) {
        printf("FAIL %s: malformed output\n", path);
        return false;
    }
    bool same = len == r->len && memcmp(exp, r->bytes, len) == 0;
    if (!same) printf("FAIL %s: output differs (%zu bytes, expected %zu)\n", path, r->len, len);
    free(exp);
    return same;
}

#define PATH_BYTES 4096

/* "a/b" into out; false when it does not fit. */
static bool join(char out[PATH_BYTES], const char *a, const char *b) {
    int n = snprintf(out, PATH_BYTES, "%s/%s", a, b);
    return n >= 0 && n < PATH_BYTES;
}

static int not_hidden(const struct dirent *e) { return e->d_name[0] != '.'; }

/* The sorted subfolders of dir (free with free_list). */
static int list_dir(const char *dir, struct dirent ***names) { return scandir(dir, names, not_hidden, alphasort); }

static void free_list(struct dirent **names, int n) {
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
}

/* Every case of one function's folder (SUITE/CASE/data.yaml). */
static void run_function(const char *fdir, size_t fi, const KZGSettings *s, uint8_t *out, tally *t) {
    struct dirent **suites;
    int ns = list_dir(fdir, &suites);
    unsigned before_pass = t->passed, before_fail = t->failed, cases = 0;
    for (int i = 0; i < ns; i++) {
        char sdir[PATH_BYTES], cdir[PATH_BYTES], path[PATH_BYTES];
        struct dirent **names;
        int nc = join(sdir, fdir, suites[i]->d_name) ? list_dir(sdir, &names) : -1;
        for (int k = 0; k < nc; k++) {
            refcase c;
            result r = {false, -1, out, 0};
            cases++;
            if (!FUNCTIONS[fi].run) continue;
            bool pass = false;
            if (!join(cdir, sdir, names[k]->d_name) || !join(path, cdir, "data.yaml"))
                printf("FAIL %s/%s: path too long\n", sdir, names[k]->d_name);
            else if (refcase_load(&c, path) == 0) {
                if (FUNCTIONS[fi].run(&c, s, &r) == 0) pass = check_case(&c, &r, path);
                else printf("FAIL %s: malformed case\n", path);
                refcase_free(&c);
            }
            if (pass) t->passed++;
            else t->failed++;
        }
        if (nc > 0) free_list(names, nc);
    }
    if (ns > 0) free_list(suites, ns);
    if (FUNCTIONS[fi].run) {
        printf("%-46s %3u passed, %u failed\n", FUNCTIONS[fi].name, t->passed - before_pass, t->failed - before_fail);
    } else {
        printf("%-46s %3u skipped (%s)\n", FUNCTIONS[fi].name, cases, FUNCTIONS[fi].skip);
        t->skipped += cases;
    }
}

static int load_setup(KZGSettings *s) {
    setup_raw *raw = malloc(sizeof *raw);
    size_t len;
    char *text = NULL;
    int ret = -1;
    if (raw && setup_raw_from_json(raw, CKZG_SETUP_JSON) == 0 && (text = setup_raw_to_text(raw, &len))) {
        FILE *f = fmemopen(text, len, "r");
        if (f && load_trusted_setup_file(s, f, 0) == C_KZG_OK) ret = 0;
        else fprintf(stderr, "load_trusted_setup_file fails on c-kzg's trusted_setup.txt\n");
        if (f) fclose(f);
    }
    free(text);
    free(raw);
    return ret;
}

int main(void) {
    const char *dir = getenv("KZGKIT_REFERENCE_TESTS");
    struct stat st;
    if (!dir || !*dir) dir = CKZG_REFERENCE_TESTS_DEFAULT;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("test_ckzg_vectors: no reference tests at %s (set KZGKIT_REFERENCE_TESTS to their folder); skipped\n",
               dir);
        return 77;
    }
    KZGSettings s;
    uint8_t *out = malloc(RESULT_MAX);
    if (!out || load_setup(&s) != 0) return 1;

    tally t = {0, 0, 0};
    struct dirent **fns;
    int nf = list_dir(dir, &fns);
    for (int i = 0; i < nf; i++) {
        char fdir[PATH_BYTES];
        size_t fi = 0;
        while (fi < sizeof FUNCTIONS / sizeof FUNCTIONS[0] && strcmp(FUNCTIONS[fi].name, fns[i]->d_name) != 0) fi++;
        if (fi == sizeof FUNCTIONS / sizeof FUNCTIONS[0]) {
            printf("FAIL %s: a function this runner does not know\n", fns[i]->d_name);
            t.failed++;
            continue;
        }
        if (join(fdir, dir, fns[i]->d_name)) run_function(fdir, fi, &s, out, &t);
        else t.failed++, printf("FAIL %s/%s: path too long\n", dir, fns[i]->d_name);
    }
    if (nf > 0) free_list(fns, nf);
    free_trusted_setup(&s);
    free(out);
    printf("%u passed, %u failed, %u skipped\n", t.passed, t.failed, t.skipped);
    return t.failed == 0 && t.passed > 0 ? 0 : 1;
}
