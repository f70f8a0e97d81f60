/* tools/kzgkit/vectors.c — `kzgkit check-vectors DIR`: the consensus-spec reference tests.
 *
 * Layout: DIR/FUNCTION/SUITE/CASE/data.yaml with `input:` (a mapping) and `output:`.
 * `output: null` means the function must fail (any status but KZG_OK, or an input the
 * bindings cannot even form, such as a 47-byte commitment); otherwise the result must match
 * exactly: a hex string, a list of hex strings (compared as their concatenation) or a bool.
 * A case that cannot be read or parsed counts as failed. Functions kzgkit does not
 * implement yet are listed as skipped with their case counts. EIP-7594 outputs ([cells,
 * proofs], a list of lists) compare as the concatenation of everything.
 *
 * With --remote URL each case goes to a `kzgkit serve` instead: its `input` mapping,
 * turned into JSON as it stands (strings stay strings, even malformed ones, so that the
 * service's own decoding is what the case tests), POSTed to /v1/FUNCTION; a 200's
 * {"output": ...} is compared as above, a 400 is the failure that `output: null` expects.
 * Functions without an endpoint (the internal challenges) are skipped. No answer at all
 * stops the run (exit 2); another HTTP error fails the case. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "cli.h"
#include "eip4844/eip4844_internal.h"
#include "eip7594/eip7594_internal.h"

#ifdef KZGKIT_HAVE_SERVICE
#include "client.h"
#endif

/* The largest expected output: compute_cells_and_kzg_proofs' [cells, proofs] (262 KiB; the
 * results live on the heap). */
#define RESULT_MAX (KZG_CELLS_PER_EXT_BLOB * (KZG_BYTES_PER_CELL + KZG_BYTES_PER_PROOF))
/* Longest output printed in full in a mismatch message; longer ones are abbreviated. */
#define DESCRIBE_MAX (KZG_BYTES_PER_PROOF + KZG_BYTES_PER_FIELD_ELEMENT)

/* What a function produced, or what a case expects. */
typedef struct result {
    bool failed;            /* the function failed (expected: output null) */
    int boolean;            /* -1: not a bool; else 0/1 */
    uint8_t bytes[RESULT_MAX];
    size_t len;             /* bytes used, when not a bool */
    char detail[CLI_WHY_LEN]; /* why it failed, for messages */
} result;

typedef enum { CASE_PASS, CASE_FAIL, CASE_ABORT } case_outcome;

/* A parsed case: the document and its input mapping. */
typedef struct vcase {
    yaml_document_t *doc;
    yaml_node_t *input;
} vcase;

/* ---- YAML access ------------------------------------------------------------------ */

static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *map, const char *key) {
    if (!map || map->type != YAML_MAPPING_NODE) return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(key) &&
            memcmp(k->data.scalar.value, key, k->data.scalar.length) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

static bool scalar_is(const yaml_node_t *n, const char *s) {
    return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           n->data.scalar.length == strlen(s) &&
           memcmp(n->data.scalar.value, s, n->data.scalar.length) == 0;
}

static bool is_null(const yaml_node_t *n) {
    return scalar_is(n, "null") || scalar_is(n, "Null") || scalar_is(n, "NULL") ||
           scalar_is(n, "~") || scalar_is(n, "");
}

/* Decodes a hex scalar of exactly `len` bytes. Returns 1 on success, 0 when the bytes are
 * not a valid input of that type (wrong length, bad hex: the function must then fail), -1
 * when the node is not a scalar at all (the case is malformed). */
static int scalar_bytes(const yaml_node_t *n, uint8_t *out, size_t len, char *why) {
    size_t got;
    if (!n || n->type != YAML_SCALAR_NODE) {
        cli_why(why, "not a scalar");
        return -1;
    }
    if (!cli_hex_decode(out, len, &got, (const char *)n->data.scalar.value, n->data.scalar.length,
                        why))
        return 0;
    if (got != len) {
        cli_why(why, "%zu bytes where %zu are needed", got, len);
        return 0;
    }
    return 1;
}

/* An input field of `len` bytes: 1 ok, 0 invalid input, -1 malformed case. */
static int input_bytes(const vcase *c, const char *key, uint8_t *out, size_t len, char *why) {
    char inner[CLI_WHY_LEN];
    yaml_node_t *n = map_get(c->doc, c->input, key);
    int r;
    if (!n) {
        cli_why(why, "input '%s' missing", key);
        return -1;
    }
    r = scalar_bytes(n, out, len, inner);
    if (r != 1) cli_why(why, "input %s: %s", key, inner);
    return r;
}

/* An input list of items of `len` bytes each, into a new array (free it; NULL when the list
 * is empty). 1 ok, 0 invalid input, -1 malformed case or out of memory. */
static int input_list(const vcase *c, const char *key, uint8_t **out, size_t len, size_t *count,
                      char *why) {
    char inner[CLI_WHY_LEN];
    yaml_node_t *n = map_get(c->doc, c->input, key);
    size_t cnt, i = 0;
    *out = NULL;
    *count = 0;
    if (!n) {
        cli_why(why, "input '%s' missing", key);
        return -1;
    }
    if (n->type != YAML_SEQUENCE_NODE) {
        cli_why(why, "input '%s' is not a list", key);
        return -1;
    }
    cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (cnt == 0) return 1;
    if (!(*out = malloc(cnt * len))) {
        cli_why(why, "out of memory");
        return -1;
    }
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++, i++) {
        int r = scalar_bytes(yaml_document_get_node(c->doc, *it), *out + i * len, len, inner);
        if (r != 1) {
            cli_why(why, "input %s[%zu]: %s", key, i, inner);
            free(*out);
            *out = NULL;
            return r;
        }
    }
    *count = cnt;
    return 1;
}

/* Parses `output:` into an expected result; false when it has none of the known shapes. */
static bool parse_expected(yaml_document_t *doc, yaml_node_t *n, result *exp, char *why) {
    memset(exp, 0, sizeof *exp);
    exp->boolean = -1;
    if (!n) {
        cli_why(why, "no 'output'");
        return false;
    }
    if (is_null(n)) {
        exp->failed = true;
        return true;
    }
    if (scalar_is(n, "true") || scalar_is(n, "false")) {
        exp->boolean = scalar_is(n, "true");
        return true;
    }
    if (n->type == YAML_SCALAR_NODE) {
        if (!cli_hex_decode(exp->bytes, sizeof exp->bytes, &exp->len,
                            (const char *)n->data.scalar.value, n->data.scalar.length, why))
            return false;
        return true;
    }
    if (n->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            yaml_node_t *e = yaml_document_get_node(doc, *it);
            size_t got;
            if (e && e->type == YAML_SEQUENCE_NODE) {
                /* A list of lists (EIP-7594's [cells, proofs]): the concatenation of all. */
                result *inner = malloc(sizeof *inner);
                bool ok = inner && parse_expected(doc, e, inner, why);
                if (!inner) cli_why(why, "out of memory");
                if (ok && inner->len > sizeof exp->bytes - exp->len) {
                    cli_why(why, "output longer than %zu bytes", sizeof exp->bytes);
                    ok = false;
                }
                if (ok) {
                    memcpy(exp->bytes + exp->len, inner->bytes, inner->len);
                    exp->len += inner->len;
                }
                free(inner);
                if (!ok) return false;
                continue;
            }
            if (!e || e->type != YAML_SCALAR_NODE) {
                cli_why(why, "output list holds a non-scalar");
                return false;
            }
            if (!cli_hex_decode(exp->bytes + exp->len, sizeof exp->bytes - exp->len, &got,
                                (const char *)e->data.scalar.value, e->data.scalar.length, why))
                return false;
            exp->len += got;
        }
        return true;
    }
    cli_why(why, "output of an unknown shape");
    return false;
}

/* ---- the functions ---------------------------------------------------------------- */

/* Each runner fills `got` and returns 0, or returns -1 with `why` when the case is
 * malformed. Invalid inputs and failing statuses both become got->failed. */
typedef int (*runner)(const kzg_ctx *ctx, const vcase *c, result *got, char *why);

static int got_status(result *got, kzg_status st) {
    if (st != KZG_OK) {
        char e[CLI_WHY_LEN - 64];
        got->failed = true;
        snprintf(got->detail, sizeof got->detail, "%s: %s", kzg_status_str(st),
                 cli_last_error(e, sizeof e));
    }
    return 0;
}

/* Maps an input decode result: 1 goes on; 0 is an invalid input (the function "fails");
 * -1 is a malformed case. */
#define TAKE(expr)                                                                         \
    do {                                                                                   \
        int r_ = (expr);                                                                   \
        if (r_ < 0) { rc = -1; goto out; }                                                 \
        if (r_ == 0) {                                                                     \
            got->failed = true;                                                            \
            snprintf(got->detail, sizeof got->detail, "invalid input (%s)", why);          \
            rc = 0;                                                                        \
            goto out;                                                                      \
        }                                                                                  \
    } while (0)

static int run_blob_to_kzg_commitment(const kzg_ctx *ctx, const vcase *c, result *got,
                                      char *why) {
    kzg_blob *blob = malloc(sizeof *blob);
    kzg_commitment out;
    int rc = 0;
    if (!blob) {
        cli_why(why, "out of memory");
        return -1;
    }
    TAKE(input_bytes(c, "blob", blob->bytes, sizeof blob->bytes, why));
    rc = got_status(got, kzg_blob_to_kzg_commitment(ctx, &out, blob));
    memcpy(got->bytes, out.bytes, sizeof out.bytes);
    got->len = sizeof out.bytes;
out:
    free(blob);
    return rc;
}

static int run_compute_kzg_proof(const kzg_ctx *ctx, const vcase *c, result *got, char *why) {
    kzg_blob *blob = malloc(sizeof *blob);
    kzg_field_element z, y;
    kzg_proof proof;
    int rc = 0;
    if (!blob) {
        cli_why(why, "out of memory");
        return -1;
    }
    TAKE(input_bytes(c, "blob", blob->bytes, sizeof blob->bytes, why));
    TAKE(input_bytes(c, "z", z.bytes, sizeof z.bytes, why));
    rc = got_status(got, kzg_compute_kzg_proof(ctx, &proof, &y, blob, &z));
    memcpy(got->bytes, proof.bytes, sizeof proof.bytes);
    memcpy(got->bytes + sizeof proof.bytes, y.bytes, sizeof y.bytes);
    got->len = sizeof proof.bytes + sizeof y.bytes;
out:
    free(blob);
    return rc;
}

static int run_compute_blob_kzg_proof(const kzg_ctx *ctx, const vcase *c, result *got,
                                      char *why) {
    kzg_blob *blob = malloc(sizeof *blob);
    kzg_commitment commitment;
    kzg_proof proof;
    int rc = 0;
    if (!blob) {
        cli_why(why, "out of memory");
        return -1;
    }
    TAKE(input_bytes(c, "blob", blob->bytes, sizeof blob->bytes, why));
    TAKE(input_bytes(c, "commitment", commitment.bytes, sizeof commitment.bytes, why));
    rc = got_status(got, kzg_compute_blob_kzg_proof(ctx, &proof, blob, &commitment));
    memcpy(got->bytes, proof.bytes, sizeof proof.bytes);
    got->len = sizeof proof.bytes;
out:
    free(blob);
    return rc;
}

static int run_verify_kzg_proof(const kzg_ctx *ctx, const vcase *c, result *got, char *why) {
    kzg_commitment commitment;
    kzg_field_element z, y;
    kzg_proof proof;
    bool ok = false;
    int rc = 0;
    TAKE(input_bytes(c, "commitment", commitment.bytes, sizeof commitment.bytes, why));
    TAKE(input_bytes(c, "z", z.bytes, sizeof z.bytes, why));
    TAKE(input_bytes(c, "y", y.bytes, sizeof y.bytes, why));
    TAKE(input_bytes(c, "proof", proof.bytes, sizeof proof.bytes, why));
    rc = got_status(got, kzg_verify_kzg_proof(ctx, &ok, &commitment, &z, &y, &proof));
    got->boolean = ok;
out:
    return rc;
}

static int run_verify_blob_kzg_proof(const kzg_ctx *ctx, const vcase *c, result *got,
                                     char *why) {
    kzg_blob *blob = malloc(sizeof *blob);
    kzg_commitment commitment;
    kzg_proof proof;
    bool ok = false;
    int rc = 0;
    if (!blob) {
        cli_why(why, "out of memory");
        return -1;
    }
    TAKE(input_bytes(c, "blob", blob->bytes, sizeof blob->bytes, why));
    TAKE(input_bytes(c, "commitment", commitment.bytes, sizeof commitment.bytes, why));
    TAKE(input_bytes(c, "proof", proof.bytes, sizeof proof.bytes, why));
    rc = got_status(got, kzg_verify_blob_kzg_proof(ctx, &ok, blob, &commitment, &proof));
    got->boolean = ok;
out:
    free(blob);
    return rc;
}

static int run_verify_blob_kzg_proof_batch(const kzg_ctx *ctx, const vcase *c, result *got,
                                           char *why) {
    uint8_t *blobs = NULL, *commitments = NULL, *proofs = NULL;
    size_t nb = 0, nc = 0, np = 0;
    bool ok = false;
    int rc = 0;
    TAKE(input_list(c, "blobs", &blobs, KZG_BYTES_PER_BLOB, &nb, why));
    TAKE(input_list(c, "commitments", &commitments, KZG_BYTES_PER_COMMITMENT, &nc, why));
    TAKE(input_list(c, "proofs", &proofs, KZG_BYTES_PER_PROOF, &np, why));
    if (nb != nc || nb != np) {
        /* The C API takes one count, so lists of different lengths cannot even be passed:
         * like the spec's own assertion, that is a failure. */
        got->failed = true;
        snprintf(got->detail, sizeof got->detail,
                 "invalid input (%zu blobs, %zu commitments, %zu proofs)", nb, nc, np);
        goto out;
    }
    rc = got_status(got, kzg_verify_blob_kzg_proof_batch(ctx, &ok, (const kzg_blob *)blobs,
                                                         (const kzg_commitment *)commitments,
                                                         (const kzg_proof *)proofs, nb));
    got->boolean = ok;
out:
    free(blobs);
    free(commitments);
    free(proofs);
    return rc;
}

static int run_compute_challenge(const kzg_ctx *ctx, const vcase *c, result *got, char *why) {
    kzg_blob *blob = malloc(sizeof *blob);
    kzg_commitment commitment;
    int rc = 0;
    (void)ctx;
    if (!blob) {
        cli_why(why, "out of memory");
        return -1;
    }
    TAKE(input_bytes(c, "blob", blob->bytes, sizeof blob->bytes, why));
    TAKE(input_bytes(c, "commitment", commitment.bytes, sizeof commitment.bytes, why));
    kzg_clear_error();
    rc = got_status(got, eip4844_compute_challenge(got->bytes, blob, &commitment));
    got->len = 32;
out:
    free(blob);
    return rc;
}

/* ---- EIP-7594 ------------------------------------------------------------------------ */

/* An input list of unsigned integers (cell or commitment indices), into a new array (free
 * it; NULL when empty). 1 ok, 0 invalid input, -1 malformed case or out of memory. */
static int input_u64_list(const vcase *c, const char *key, uint64_t **out, size_t *count, char *why) {
    yaml_node_t *n = map_get(c->doc, c->input, key);
    size_t cnt, i = 0;
    *out = NULL;
    *count = 0;
    if (!n) {
        cli_why(why, "input '%s' missing", key);
        return -1;
    }
    if (n->type != YAML_SEQUENCE_NODE) {
        cli_why(why, "input '%s' is not a list", key);
        return -1;
    }
    cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (cnt == 0) return 1;
    if (!(*out = malloc(cnt * sizeof **out))) {
        cli_why(why, "out of memory");
        return -1;
    }
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++, i++) {
        yaml_node_t *e = yaml_document_get_node(c->doc, *it);
        char buf[32];
        if (!e || e->type != YAML_SCALAR_NODE || e->data.scalar.length >= sizeof buf) {
            cli_why(why, "input %s[%zu]: not an integer", key, i);
            free(*out);
            *out = NULL;
            return e && e->type == YAML_SCALAR_NODE ? 0 : -1;
        }
        memcpy(buf, e->data.scalar.value, e->data.scalar.length);
        buf[e->data.scalar.length] = 0;
        if (!cli_parse_u64(buf, 0, UINT64_MAX, &(*out)[i])) {
            cli_why(why, "input %s[%zu]: not an unsigned 64-bit integer", key, i);
            free(*out);
            *out = NULL;
            return 0;
        }
    }
    *count = cnt;
    return 1;
}

static int run_compute_cells_common(const kzg_ctx *ctx, const vcase *c, result *got, char *why,
                                    bool with_proofs) {
    kzg_blob *blob = malloc(sizeof *blob);
    kzg_cell *cells = malloc(KZG_CELLS_PER_EXT_BLOB * sizeof *cells);
    kzg_proof *proofs = malloc(KZG_CELLS_PER_EXT_BLOB * sizeof *proofs);
    int rc = 0;
    if (!blob || !cells || !proofs) {
        cli_why(why, "out of memory");
        rc = -1;
        goto out;
    }
    TAKE(input_bytes(c, "blob", blob->bytes, sizeof blob->bytes, why));
    rc = got_status(got, with_proofs ? kzg_compute_cells_and_kzg_proofs(ctx, cells, proofs, blob)
                                     : kzg_compute_cells(ctx, cells, blob));
    memcpy(got->bytes, cells, KZG_CELLS_PER_EXT_BLOB * sizeof *cells);
    got->len = KZG_CELLS_PER_EXT_BLOB * sizeof *cells;
    if (with_proofs) {
        memcpy(got->bytes + got->len, proofs, KZG_CELLS_PER_EXT_BLOB * sizeof *proofs);
        got->len += KZG_CELLS_PER_EXT_BLOB * sizeof *proofs;
    }
out:
    free(blob);
    free(cells);
    free(proofs);
    return rc;
}

static int run_compute_cells(const kzg_ctx *ctx, const vcase *c, result *got, char *why) {
    return run_compute_cells_common(ctx, c, got, why, false);
}

static int run_compute_cells_and_kzg_proofs(const kzg_ctx *ctx, const vcase *c, result *got,
                                            char *why) {
    return run_compute_cells_common(ctx, c, got, why, true);
}

static int run_verify_cell_kzg_proof_batch(const kzg_ctx *ctx, const vcase *c, result *got,
                                           char *why) {
    uint8_t *commitments = NULL, *cells = NULL, *proofs = NULL;
    uint64_t *indices = NULL;
    size_t nc = 0, ni = 0, nx = 0, np = 0;
    bool ok = false;
    int rc = 0;
    TAKE(input_list(c, "commitments", &commitments, KZG_BYTES_PER_COMMITMENT, &nc, why));
    TAKE(input_u64_list(c, "cell_indices", &indices, &ni, why));
    TAKE(input_list(c, "cells", &cells, KZG_BYTES_PER_CELL, &nx, why));
    TAKE(input_list(c, "proofs", &proofs, KZG_BYTES_PER_PROOF, &np, why));
    if (nc != ni || nc != nx || nc != np) { /* one count in the C API, as for the blob batch */
        got->failed = true;
        snprintf(got->detail, sizeof got->detail,
                 "invalid input (%zu commitments, %zu cell indices, %zu cells, %zu proofs)", nc, ni,
                 nx, np);
        goto out;
    }
    rc = got_status(got, kzg_verify_cell_kzg_proof_batch(ctx, &ok, (const kzg_commitment *)commitments,
                                                         indices, (const kzg_cell *)cells,
                                                         (const kzg_proof *)proofs, nc));
    got->boolean = ok;
out:
    free(commitments);
    free(indices);
    free(cells);
    free(proofs);
    return rc;
}

static int run_recover_cells_and_kzg_proofs(const kzg_ctx *ctx, const vcase *c, result *got,
                                            char *why) {
    uint8_t *cells = NULL;
    uint64_t *indices = NULL;
    size_t ni = 0, nx = 0;
    kzg_cell *out_cells = malloc(KZG_CELLS_PER_EXT_BLOB * sizeof *out_cells);
    kzg_proof *out_proofs = malloc(KZG_CELLS_PER_EXT_BLOB * sizeof *out_proofs);
    int rc = 0;
    if (!out_cells || !out_proofs) {
        cli_why(why, "out of memory");
        rc = -1;
        goto out;
    }
    TAKE(input_u64_list(c, "cell_indices", &indices, &ni, why));
    TAKE(input_list(c, "cells", &cells, KZG_BYTES_PER_CELL, &nx, why));
    if (ni != nx) {
        got->failed = true;
        snprintf(got->detail, sizeof got->detail, "invalid input (%zu cell indices, %zu cells)", ni, nx);
        goto out;
    }
    rc = got_status(got, kzg_recover_cells_and_kzg_proofs(ctx, out_cells, out_proofs, indices,
                                                          (const kzg_cell *)cells, ni));
    memcpy(got->bytes, out_cells, KZG_CELLS_PER_EXT_BLOB * sizeof *out_cells);
    memcpy(got->bytes + KZG_CELLS_PER_EXT_BLOB * sizeof *out_cells, out_proofs,
           KZG_CELLS_PER_EXT_BLOB * sizeof *out_proofs);
    got->len = KZG_CELLS_PER_EXT_BLOB * (sizeof *out_cells + sizeof *out_proofs);
out:
    free(cells);
    free(indices);
    free(out_cells);
    free(out_proofs);
    return rc;
}

/* The internal challenge through the test hook; cosets_evals is a list of lists of 64
 * field elements (their bytes are hashed; the hook rejects non-canonical ones). */
static int run_compute_verify_cell_kzg_proof_batch_challenge(const kzg_ctx *ctx, const vcase *c,
                                                             result *got, char *why) {
    uint8_t *commitments = NULL, *proofs = NULL;
    uint64_t *cidx = NULL, *indices = NULL;
    kzg_cell *evals = NULL;
    size_t nc = 0, nci = 0, ni = 0, np = 0, ne = 0;
    int rc = 0;
    (void)ctx;
    TAKE(input_list(c, "commitments", &commitments, KZG_BYTES_PER_COMMITMENT, &nc, why));
    TAKE(input_u64_list(c, "commitment_indices", &cidx, &nci, why));
    TAKE(input_u64_list(c, "cell_indices", &indices, &ni, why));
    TAKE(input_list(c, "proofs", &proofs, KZG_BYTES_PER_PROOF, &np, why));
    {
        yaml_node_t *n = map_get(c->doc, c->input, "cosets_evals");
        if (!n || n->type != YAML_SEQUENCE_NODE) {
            cli_why(why, "input 'cosets_evals' missing or not a list");
            rc = -1;
            goto out;
        }
        ne = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
        if (ne && !(evals = malloc(ne * sizeof *evals))) {
            cli_why(why, "out of memory");
            rc = -1;
            goto out;
        }
        for (size_t k = 0; k < ne; k++) {
            yaml_node_t *cell = yaml_document_get_node(c->doc, n->data.sequence.items.start[k]);
            size_t j = 0;
            if (!cell || cell->type != YAML_SEQUENCE_NODE ||
                cell->data.sequence.items.top - cell->data.sequence.items.start != KZG_FIELD_ELEMENTS_PER_CELL) {
                got->failed = true;
                snprintf(got->detail, sizeof got->detail, "invalid input (cosets_evals[%zu] is not a list of %d)",
                         k, KZG_FIELD_ELEMENTS_PER_CELL);
                goto out;
            }
            for (yaml_node_item_t *it = cell->data.sequence.items.start; it < cell->data.sequence.items.top;
                 it++, j++) {
                char inner[CLI_WHY_LEN];
                int r = scalar_bytes(yaml_document_get_node(c->doc, *it),
                                     evals[k].bytes + j * KZG_BYTES_PER_FIELD_ELEMENT,
                                     KZG_BYTES_PER_FIELD_ELEMENT, inner);
                if (r != 1) cli_why(why, "input cosets_evals[%zu][%zu]: %s", k, j, inner);
                TAKE(r);
            }
        }
    }
    if (nci != ni || ni != np || ni != ne) {
        got->failed = true;
        snprintf(got->detail, sizeof got->detail, "invalid input (list lengths differ)");
        goto out;
    }
    kzg_clear_error();
    rc = got_status(got, eip7594_compute_challenge(got->bytes, (const kzg_commitment *)commitments, nc,
                                                   cidx, indices, evals, (const kzg_proof *)proofs, ni));
    got->len = 32;
out:
    free(commitments);
    free(proofs);
    free(cidx);
    free(indices);
    free(evals);
    return rc;
}

static const struct {
    const char *name;
    runner run;
} implemented[] = {
    {"blob_to_kzg_commitment", run_blob_to_kzg_commitment},
    {"compute_kzg_proof", run_compute_kzg_proof},
    {"compute_blob_kzg_proof", run_compute_blob_kzg_proof},
    {"verify_kzg_proof", run_verify_kzg_proof},
    {"verify_blob_kzg_proof", run_verify_blob_kzg_proof},
    {"verify_blob_kzg_proof_batch", run_verify_blob_kzg_proof_batch},
    {"compute_challenge", run_compute_challenge},
    {"compute_cells", run_compute_cells},
    {"compute_cells_and_kzg_proofs", run_compute_cells_and_kzg_proofs},
    {"verify_cell_kzg_proof_batch", run_verify_cell_kzg_proof_batch},
    {"recover_cells_and_kzg_proofs", run_recover_cells_and_kzg_proofs},
    {"compute_verify_cell_kzg_proof_batch_challenge", run_compute_verify_cell_kzg_proof_batch_challenge},
};

static runner find_runner(const char *name) {
    for (size_t i = 0; i < sizeof implemented / sizeof implemented[0]; i++)
        if (strcmp(implemented[i].name, name) == 0) return implemented[i].run;
    return NULL;
}

/* ---- over HTTP ------------------------------------------------------------------------ */

/* How the cases of one function run: a runner on a local context, or an endpoint of the
 * service behind client (then run is NULL). */
typedef struct how {
    const kzg_ctx *ctx;
    runner run;
    void *client; /* svc_client * with --remote */
    int endpoint; /* svc_endpoint */
} how;

#ifdef KZGKIT_HAVE_SERVICE
static void json_string(svc_text *t, const char *s, size_t n) {
    svc_text_puts(t, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        char esc[8];
        if (ch == '"' || ch == '\\') {
            esc[0] = '\\';
            esc[1] = (char)ch;
            svc_text_put(t, esc, 2);
        } else if (ch < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", ch);
            svc_text_puts(t, esc);
        } else {
            svc_text_put(t, (const char *)&ch, 1);
        }
    }
    svc_text_puts(t, "\"");
}

/* A plain scalar of decimal digits: an integer, written as it stands (a cell index of
 * 2^64 - 1 must reach the service exactly, not as a double). */
static bool is_integer(const yaml_node_t *n) {
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || n->data.scalar.length == 0) return false;
    for (size_t i = 0; i < n->data.scalar.length; i++)
        if (n->data.scalar.value[i] < '0' || n->data.scalar.value[i] > '9') return false;
    return true;
}

/* The YAML node as JSON text: mappings, sequences, integers, true/false/null, strings. */
static void yaml_to_json(svc_text *t, yaml_document_t *doc, yaml_node_t *n, int depth) {
    if (!n || depth > 16) {
        svc_text_puts(t, "null");
        return;
    }
    switch (n->type) {
    case YAML_MAPPING_NODE:
        svc_text_puts(t, "{");
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = yaml_document_get_node(doc, p->key);
            if (p != n->data.mapping.pairs.start) svc_text_puts(t, ",");
            if (k && k->type == YAML_SCALAR_NODE)
                json_string(t, (const char *)k->data.scalar.value, k->data.scalar.length);
            else
                svc_text_puts(t, "\"\"");
            svc_text_puts(t, ":");
            yaml_to_json(t, doc, yaml_document_get_node(doc, p->value), depth + 1);
        }
        svc_text_puts(t, "}");
        break;
    case YAML_SEQUENCE_NODE:
        svc_text_puts(t, "[");
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            if (it != n->data.sequence.items.start) svc_text_puts(t, ",");
            yaml_to_json(t, doc, yaml_document_get_node(doc, *it), depth + 1);
        }
        svc_text_puts(t, "]");
        break;
    case YAML_SCALAR_NODE:
        if (is_integer(n))
            svc_text_put(t, (const char *)n->data.scalar.value, n->data.scalar.length);
        else if (scalar_is(n, "true") || scalar_is(n, "false"))
            svc_text_put(t, (const char *)n->data.scalar.value, n->data.scalar.length);
        else if (is_null(n))
            svc_text_puts(t, "null");
        else
            json_string(t, (const char *)n->data.scalar.value, n->data.scalar.length);
        break;
    default:
        svc_text_puts(t, "null");
    }
}

/* The case through the service. 0: got filled; -1: malformed case (why); -2: no answer,
 * stop the run (why); -3: an answer that is no result (why: an HTTP error, bad JSON). */
static int run_remote(const how *h, const vcase *c, result *got, char *why) {
    svc_text body = {0};
    svc_reply r;
    int rc = 0;
    yaml_to_json(&body, c->doc, c->input, 0);
    if (body.failed) {
        svc_text_free(&body);
        cli_why(why, "out of memory");
        return -1;
    }
    if (!svc_client_call(h->client, (svc_endpoint)h->endpoint, true, (const uint8_t *)body.p,
                         body.len, &r)) {
        cli_why(why, "remote %s: %s", svc_client_url(h->client), r.message);
        rc = -2;
    } else if (r.http == 400) {
        got->failed = true;
        snprintf(got->detail, sizeof got->detail, "HTTP 400 %s: %.160s", r.error, r.message);
    } else if (r.http != 200) {
        char desc[CLI_WHY_LEN];
        svc_reply_describe(&r, desc, sizeof desc);
        cli_why(why, "%s", desc);
        rc = -3;
    } else {
        char inner[CLI_WHY_LEN];
        if (!svc_json_output(r.body, r.len, got->bytes, sizeof got->bytes, &got->len,
                             &got->boolean, inner, sizeof inner)) {
            cli_why(why, "HTTP 200 but %s", inner);
            rc = -3;
        }
    }
    svc_reply_clear(&r);
    svc_text_free(&body);
    return rc;
}
#endif

/* ---- one case --------------------------------------------------------------------- */

static void describe(char *buf, size_t len, const result *r) {
    if (r->failed) {
        snprintf(buf, len, "an error%s%s%s", r->detail[0] ? " (" : "", r->detail,
                 r->detail[0] ? ")" : "");
    } else if (r->boolean >= 0) {
        snprintf(buf, len, "%s", r->boolean ? "true" : "false");
    } else if (r->len <= DESCRIBE_MAX) {
        char hex[2 * DESCRIBE_MAX + 3];
        cli_hex_string(hex, r->bytes, r->len);
        snprintf(buf, len, "%s", hex);
    } else { /* cells: the first bytes and the length */
        char hex[2 * DESCRIBE_MAX + 3];
        cli_hex_string(hex, r->bytes, DESCRIBE_MAX);
        snprintf(buf, len, "%s... (%zu bytes)", hex, r->len);
    }
}

/* Runs the case in `path`; CASE_FAIL with `why` on a mismatch or a malformed case. */
static case_outcome run_case(const how *h, const char *path, char *why, size_t why_len) {
    uint8_t *text = NULL;
    size_t len = 0;
    yaml_parser_t parser;
    yaml_document_t doc;
    bool have_parser = false, have_doc = false;
    case_outcome out = CASE_FAIL;
    char inner[CLI_WHY_LEN];
    result *exp_p = malloc(sizeof *exp_p), *got_p = malloc(sizeof *got_p);
    vcase c;

    if (!exp_p || !got_p) {
        snprintf(why, why_len, "out of memory");
        goto done;
    }
    result *const exp = exp_p, *const got = got_p;
    if (!cli_read_file(path, &text, &len, inner)) {
        snprintf(why, why_len, "unreadable: %s", inner);
        goto done;
    }
    if (!yaml_parser_initialize(&parser)) {
        snprintf(why, why_len, "cannot initialise the YAML parser");
        goto done;
    }
    have_parser = true;
    yaml_parser_set_input_string(&parser, text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        snprintf(why, why_len, "unparseable: %s at line %lu",
                 parser.problem ? parser.problem : "YAML error",
                 (unsigned long)parser.problem_mark.line + 1);
        goto done;
    }
    have_doc = true;
    {
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (!root || root->type != YAML_MAPPING_NODE) {
            snprintf(why, why_len, "unparseable: the document is not a mapping");
            goto done;
        }
        c.doc = &doc;
        c.input = map_get(&doc, root, "input");
        if (!c.input || c.input->type != YAML_MAPPING_NODE) {
            snprintf(why, why_len, "unparseable: no 'input' mapping");
            goto done;
        }
        if (!parse_expected(&doc, map_get(&doc, root, "output"), exp, inner)) {
            snprintf(why, why_len, "unparseable output: %s", inner);
            goto done;
        }
    }
    memset(got, 0, sizeof *got);
    got->boolean = -1;
    {
        int r = -1;
        if (h->run) {
            r = h->run(h->ctx, &c, got, inner);
        }
#ifdef KZGKIT_HAVE_SERVICE
        else {
            r = run_remote(h, &c, got, inner);
        }
#endif
        if (r == -2) {
            snprintf(why, why_len, "%s", inner);
            out = CASE_ABORT;
            goto done;
        }
        if (r == -3) {
            snprintf(why, why_len, "%s", inner);
            goto done;
        }
        if (r < 0) {
            snprintf(why, why_len, "malformed case: %s", inner);
            goto done;
        }
    }
    if (exp->failed ? got->failed
                    : (!got->failed && exp->boolean == got->boolean &&
                       (exp->boolean >= 0 ||
                        (exp->len == got->len && memcmp(exp->bytes, got->bytes, got->len) == 0)))) {
        out = CASE_PASS;
    } else {
        char e[CLI_WHY_LEN + 2 * DESCRIBE_MAX + 40], g[CLI_WHY_LEN + 16];
        describe(e, sizeof e, exp);
        describe(g, sizeof g, got);
        snprintf(why, why_len, "expected %s, got %s", e, g);
    }
done:
    if (have_doc) yaml_document_delete(&doc);
    if (have_parser) yaml_parser_delete(&parser);
    free(text);
    free(exp_p);
    free(got_p);
    return out;
}

/* ---- walking DIR ------------------------------------------------------------------ */

/* out = a "/" b; false when it does not fit. */
static bool join(char *out, size_t len, const char *a, const char *b) {
    int w = snprintf(out, len, "%s/%s", a, b);
    return w > 0 && (size_t)w < len;
}

static int not_hidden_dir(const struct dirent *e) { return e->d_name[0] != '.'; }

/* Sorted subdirectory names of `path`; returns the count, or -1 (errno set). */
static int list_dirs(const char *path, struct dirent ***names) {
    struct dirent **all = NULL;
    int n = scandir(path, &all, not_hidden_dir, alphasort), kept = 0;
    if (n < 0) return -1;
    for (int i = 0; i < n; i++) {
        char full[4096];
        struct stat st;
        if (join(full, sizeof full, path, all[i]->d_name) && stat(full, &st) == 0 &&
            S_ISDIR(st.st_mode))
            all[kept++] = all[i];
        else
            free(all[i]);
    }
    *names = all;
    return kept;
}

static void free_names(struct dirent **names, int n) {
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
}

typedef struct tally {
    unsigned long passed, failed, skipped, cases_seen;
} tally;

/* Runs (or, with run == NULL, counts) every case of one function directory. */
static bool walk_function(const how *h, const char *dir, const char *fn, bool verbose,
                          tally *t_fn, char *abort_why, size_t abort_len) {
    char fpath[4096];
    struct dirent **suites = NULL;
    int ns;
    if (!join(fpath, sizeof fpath, dir, fn)) {
        printf("FAIL %s: path too long\n", fn);
        t_fn->failed++;
        return false;
    }
    ns = list_dirs(fpath, &suites);
    if (ns < 0) {
        printf("FAIL %s: cannot list: %s\n", fn, strerror(errno));
        t_fn->failed++;
        return false;
    }
    for (int s = 0; s < ns; s++) {
        char spath[4096];
        struct dirent **cases = NULL;
        int nc;
        nc = join(spath, sizeof spath, fpath, suites[s]->d_name) ? list_dirs(spath, &cases) : -1;
        if (nc < 0) {
            printf("FAIL %s/%s: cannot list: %s\n", fn, suites[s]->d_name, strerror(errno));
            t_fn->failed++;
            continue;
        }
        for (int k = 0; k < nc; k++) {
            char cdir[4096], cpath[4096], why[1024];
            case_outcome outcome;
            t_fn->cases_seen++;
            if (!h) {
                t_fn->skipped++;
                continue;
            }
            if (!join(cdir, sizeof cdir, spath, cases[k]->d_name) ||
                !join(cpath, sizeof cpath, cdir, "data.yaml")) {
                t_fn->failed++;
                printf("  FAIL  %s/%s/%s: path too long\n", fn, suites[s]->d_name,
                       cases[k]->d_name);
            } else if ((outcome = run_case(h, cpath, why, sizeof why)) == CASE_PASS) {
                t_fn->passed++;
                if (verbose) printf("  ok    %s/%s/%s\n", fn, suites[s]->d_name, cases[k]->d_name);
            } else if (outcome == CASE_ABORT) {
                snprintf(abort_why, abort_len, "%s", why);
                free_names(cases, nc);
                free_names(suites, ns);
                return false;
            } else {
                t_fn->failed++;
                printf("  FAIL  %s/%s/%s: %s\n", fn, suites[s]->d_name, cases[k]->d_name, why);
            }
            fflush(stdout);
        }
        free_names(cases, nc);
    }
    free_names(suites, ns);
    return true;
}

int cmd_check_vectors(cli_global *g, int argc, char **argv) {
    const char *cmd = "check-vectors", *dir = NULL;
    bool verbose = false, only_positional = false;
    struct dirent **fns = NULL;
    tally total = {0, 0, 0, 0};
    kzg_ctx *ctx = NULL;
    void *client = NULL; /* svc_client * with --remote */
    int nf, rc = CLI_EXIT_BAD;
    struct stat st;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_positional && a[0] == '-' && a[1] != '\0') {
            int r;
            if (strcmp(a, "--") == 0) {
                only_positional = true;
                continue;
            }
            if (cli_is_help(a)) return cli_help(cmd);
            if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
                verbose = true;
                continue;
            }
            r = cli_global_option(g, cmd, argc, argv, &i);
            if (r < 0) return CLI_EXIT_BAD;
            if (r == 0) return cli_fail(cmd, "unknown option '%s' (see kzgkit %s --help)", a, cmd);
            continue;
        }
        if (dir) return cli_fail(cmd, "too many arguments: expected one DIR");
        dir = a;
    }
    if (!dir) return cli_fail(cmd, "expected 1 argument (DIR), got 0");
    if (stat(dir, &st) != 0) return cli_fail(cmd, "DIR: '%s': %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode)) return cli_fail(cmd, "DIR: '%s' is not a directory", dir);
    nf = list_dirs(dir, &fns);
    if (nf < 0) return cli_fail(cmd, "DIR: cannot list '%s': %s", dir, strerror(errno));
    if (nf == 0) {
        free_names(fns, nf);
        return cli_fail(cmd, "DIR: '%s' holds no FUNCTION/SUITE/CASE directories", dir);
    }
    if (g->remote) {
#ifdef KZGKIT_HAVE_SERVICE
        char why[512], *token = NULL;
        if (g->setup_path) {
            cli_fail(cmd, "--setup: not available with --remote (the service has its own setup)");
            goto out;
        }
        if (!svc_client_token_from_env(&token, why, sizeof why) ||
            !(client = svc_client_new(g->remote, token, why, sizeof why))) {
            cli_fail(cmd, "remote %s: %s", g->remote, why);
            free(token);
            goto out;
        }
        free(token);
#else
        cli_fail_no_service(cmd);
        goto out;
#endif
    } else if (!(ctx = cli_ctx_open(g, cmd))) {
        goto out;
    }

    for (int f = 0; f < nf; f++) {
        const char *fn = fns[f]->d_name;
        how h = {ctx, client ? NULL : find_runner(fn), client, -1};
        tally t = {0, 0, 0, 0};
        double t0 = cli_now_ms();
        char abort_why[1024] = "";
        bool runs = h.run != NULL;
#ifdef KZGKIT_HAVE_SERVICE
        if (client) {
            h.endpoint = svc_endpoint_find(fn, strlen(fn));
            runs = h.endpoint >= 0 && h.endpoint != SVC_PROCESS_BLOBS;
        }
#endif
        walk_function(runs ? &h : NULL, dir, fn, verbose, &t, abort_why, sizeof abort_why);
        if (abort_why[0]) {
            cli_fail(cmd, "%s", abort_why);
            goto out;
        }
        if (runs)
            printf("%-46s %4lu passed, %lu failed  (%.0f ms)\n", fn, t.passed, t.failed,
                   cli_now_ms() - t0);
        else
            printf("%-46s skipped: %lu case%s (%s)\n", fn, t.skipped, t.skipped == 1 ? "" : "s",
                   client ? "no endpoint" : "not implemented");
        fflush(stdout);
        total.passed += t.passed;
        total.failed += t.failed;
        total.skipped += t.skipped;
        total.cases_seen += t.cases_seen;
    }
    if (total.cases_seen == 0) {
        cli_fail(cmd, "DIR: '%s' holds no FUNCTION/SUITE/CASE directories", dir);
        goto out;
    }
    printf("%lu passed, %lu failed", total.passed, total.failed);
    if (total.skipped) printf(", %lu skipped", total.skipped);
    printf("\n");
    rc = total.failed ? CLI_EXIT_FALSE : CLI_EXIT_OK;
out:
    kzg_ctx_free(ctx);
#ifdef KZGKIT_HAVE_SERVICE
    svc_client_free(client);
#endif
    free_names(fns, nf);
    return rc;
}
