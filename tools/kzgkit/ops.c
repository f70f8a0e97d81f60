/* tools/kzgkit/ops.c — the EIP-4844 commands: commit, prove, prove-blob, verify,
 * verify-blob, verify-blob-batch. Each decodes its arguments (naming the one that is
 * wrong), opens the operations (the context, or with --remote the service: remote.c),
 * calls one of them and prints the result. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Decodes a fixed-size hex argument named `name`; prints the error on failure. */
static bool arg_hex(const char *cmd, const char *name, uint8_t *out, size_t len, const char *arg) {
    char why[CLI_WHY_LEN];
    if (cli_hex_decode_exact(out, len, arg, why)) return true;
    cli_fail(cmd, "%s: %s", name, why);
    return false;
}

/* Allocates and loads a blob argument; prints the error and returns NULL on failure. */
static kzg_blob *arg_blob(const char *cmd, const char *arg) {
    char why[CLI_WHY_LEN];
    kzg_blob *blob = malloc(sizeof *blob);
    if (!blob) {
        cli_fail(cmd, "BLOB: out of memory");
        return NULL;
    }
    if (!cli_load_blob(blob, arg, why)) {
        cli_fail(cmd, "BLOB: %s", why);
        free(blob);
        return NULL;
    }
    return blob;
}

static int print_bool(bool ok) {
    puts(ok ? "true" : "false");
    return ok ? CLI_EXIT_OK : CLI_EXIT_FALSE;
}

int cmd_commit(cli_global *g, int argc, char **argv) {
    const char *pos[1];
    int n, rc = cli_parse_positional(g, "commit", argc, argv, pos, 1, 1, &n);
    kzg_blob *blob = NULL;
    cli_ops *ops = NULL;
    kzg_commitment c;
    kzg_status st;
    if (rc != CLI_RUN) return rc;
    rc = CLI_EXIT_BAD;
    if (!(blob = arg_blob("commit", pos[0]))) goto out;
    if (!(ops = cli_ops_open(g, "commit"))) goto out;
    st = cli_op_commit(ops, &c, blob);
    if (st != KZG_OK) {
        cli_fail_status("commit", "BLOB", st);
        goto out;
    }
    cli_print_hex(stdout, c.bytes, sizeof c.bytes);
    rc = CLI_EXIT_OK;
out:
    cli_ops_close(ops);
    free(blob);
    return rc;
}

int cmd_prove(cli_global *g, int argc, char **argv) {
    const char *pos[2];
    int n, rc = cli_parse_positional(g, "prove", argc, argv, pos, 2, 2, &n);
    kzg_blob *blob = NULL;
    cli_ops *ops = NULL;
    kzg_field_element z, y;
    kzg_proof proof;
    kzg_status st;
    if (rc != CLI_RUN) return rc;
    rc = CLI_EXIT_BAD;
    if (!(blob = arg_blob("prove", pos[0]))) goto out;
    if (!arg_hex("prove", "Z", z.bytes, sizeof z.bytes, pos[1])) goto out;
    if (!(ops = cli_ops_open(g, "prove"))) goto out;
    st = cli_op_prove(ops, &proof, &y, blob, &z);
    if (st != KZG_OK) {
        cli_fail_status("prove", NULL, st);
        goto out;
    }
    cli_print_hex(stdout, proof.bytes, sizeof proof.bytes);
    cli_print_hex(stdout, y.bytes, sizeof y.bytes);
    rc = CLI_EXIT_OK;
out:
    cli_ops_close(ops);
    free(blob);
    return rc;
}

int cmd_prove_blob(cli_global *g, int argc, char **argv) {
    const char *pos[2];
    int n, rc = cli_parse_positional(g, "prove-blob", argc, argv, pos, 2, 2, &n);
    kzg_blob *blob = NULL;
    cli_ops *ops = NULL;
    kzg_commitment c;
    kzg_proof proof;
    kzg_status st;
    if (rc != CLI_RUN) return rc;
    rc = CLI_EXIT_BAD;
    if (!(blob = arg_blob("prove-blob", pos[0]))) goto out;
    if (!arg_hex("prove-blob", "COMMITMENT", c.bytes, sizeof c.bytes, pos[1])) goto out;
    if (!(ops = cli_ops_open(g, "prove-blob"))) goto out;
    st = cli_op_prove_blob(ops, &proof, blob, &c);
    if (st != KZG_OK) {
        cli_fail_status("prove-blob", NULL, st);
        goto out;
    }
    cli_print_hex(stdout, proof.bytes, sizeof proof.bytes);
    rc = CLI_EXIT_OK;
out:
    cli_ops_close(ops);
    free(blob);
    return rc;
}

int cmd_verify(cli_global *g, int argc, char **argv) {
    const char *pos[4];
    int n, rc = cli_parse_positional(g, "verify", argc, argv, pos, 4, 4, &n);
    cli_ops *ops = NULL;
    kzg_commitment c;
    kzg_field_element z, y;
    kzg_proof proof;
    kzg_status st;
    bool ok = false;
    if (rc != CLI_RUN) return rc;
    if (!arg_hex("verify", "COMMITMENT", c.bytes, sizeof c.bytes, pos[0]) ||
        !arg_hex("verify", "Z", z.bytes, sizeof z.bytes, pos[1]) ||
        !arg_hex("verify", "Y", y.bytes, sizeof y.bytes, pos[2]) ||
        !arg_hex("verify", "PROOF", proof.bytes, sizeof proof.bytes, pos[3]))
        return CLI_EXIT_BAD;
    if (!(ops = cli_ops_open(g, "verify"))) return CLI_EXIT_BAD;
    st = cli_op_verify(ops, &ok, &c, &z, &y, &proof);
    cli_ops_close(ops);
    if (st != KZG_OK) return cli_fail_status("verify", NULL, st);
    return print_bool(ok);
}

int cmd_verify_blob(cli_global *g, int argc, char **argv) {
    const char *pos[3];
    int n, rc = cli_parse_positional(g, "verify-blob", argc, argv, pos, 3, 3, &n);
    kzg_blob *blob = NULL;
    cli_ops *ops = NULL;
    kzg_commitment c;
    kzg_proof proof;
    kzg_status st;
    bool ok = false;
    if (rc != CLI_RUN) return rc;
    rc = CLI_EXIT_BAD;
    if (!(blob = arg_blob("verify-blob", pos[0]))) goto out;
    if (!arg_hex("verify-blob", "COMMITMENT", c.bytes, sizeof c.bytes, pos[1])) goto out;
    if (!arg_hex("verify-blob", "PROOF", proof.bytes, sizeof proof.bytes, pos[2])) goto out;
    if (!(ops = cli_ops_open(g, "verify-blob"))) goto out;
    st = cli_op_verify_blob(ops, &ok, blob, &c, &proof);
    if (st != KZG_OK) {
        cli_fail_status("verify-blob", NULL, st);
        goto out;
    }
    rc = print_bool(ok);
out:
    cli_ops_close(ops);
    free(blob);
    return rc;
}

/* ---- verify-blob-batch ------------------------------------------------------------ */

typedef struct batch {
    kzg_blob *blobs;
    kzg_commitment *commitments;
    kzg_proof *proofs;
    size_t n, cap;
} batch;

static void batch_free(batch *b) {
    free(b->blobs);
    free(b->commitments);
    free(b->proofs);
    memset(b, 0, sizeof *b);
}

static bool batch_grow(batch *b) {
    size_t cap = b->cap ? 2 * b->cap : 8;
    kzg_blob *blobs;
    kzg_commitment *cs;
    kzg_proof *ps;
    if (cap > SIZE_MAX / sizeof(kzg_blob)) return false;
    /* Each realloc keeps the old block valid on failure, so batch_free stays correct. */
    if (!(blobs = realloc(b->blobs, cap * sizeof *blobs))) return false;
    b->blobs = blobs;
    if (!(cs = realloc(b->commitments, cap * sizeof *cs))) return false;
    b->commitments = cs;
    if (!(ps = realloc(b->proofs, cap * sizeof *ps))) return false;
    b->proofs = ps;
    b->cap = cap;
    return true;
}

/* Reads LIST into b; on failure prints one line naming the list line and returns false. */
static bool batch_read(batch *b, const char *list) {
    const char *cmd = "verify-blob-batch";
    cli_list l;
    bool ok = false;
    if (!cli_list_open(&l, cmd, list)) goto out;
    for (;;) {
        char *fields[3];
        char why[CLI_WHY_LEN];
        int nf = cli_list_next(&l, fields, 3);
        if (nf < 0) goto out;
        if (nf == 0) break;
        if (nf != 3) {
            cli_fail(cmd, "LIST line %zu: expected 3 fields (BLOB COMMITMENT PROOF), got %s%d",
                     l.line_no, nf > 3 ? "more than " : "", nf > 3 ? 3 : nf);
            goto out;
        }
        if (b->n == b->cap && !batch_grow(b)) {
            cli_fail(cmd, "LIST line %zu: out of memory", l.line_no);
            goto out;
        }
        if (!cli_load_blob(&b->blobs[b->n], fields[0], why)) {
            cli_fail(cmd, "LIST line %zu: BLOB: %s", l.line_no, why);
            goto out;
        }
        if (!cli_hex_decode_exact(b->commitments[b->n].bytes, KZG_BYTES_PER_COMMITMENT,
                                  fields[1], why)) {
            cli_fail(cmd, "LIST line %zu: COMMITMENT: %s", l.line_no, why);
            goto out;
        }
        if (!cli_hex_decode_exact(b->proofs[b->n].bytes, KZG_BYTES_PER_PROOF, fields[2], why)) {
            cli_fail(cmd, "LIST line %zu: PROOF: %s", l.line_no, why);
            goto out;
        }
        b->n++;
    }
    ok = true;
out:
    cli_list_close(&l);
    return ok;
}

int cmd_verify_blob_batch(cli_global *g, int argc, char **argv) {
    const char *pos[1];
    int n, rc = cli_parse_positional(g, "verify-blob-batch", argc, argv, pos, 1, 1, &n);
    batch b;
    cli_ops *ops = NULL;
    kzg_status st;
    bool ok = false;
    if (rc != CLI_RUN) return rc;
    memset(&b, 0, sizeof b);
    rc = CLI_EXIT_BAD;
    if (!batch_read(&b, pos[0])) goto out;
    if (!(ops = cli_ops_open(g, "verify-blob-batch"))) goto out;
    st = cli_op_verify_blob_batch(ops, &ok, b.blobs, b.commitments, b.proofs, b.n);
    if (st != KZG_OK) {
        /* The library numbers entries from 0 in LIST order (comments and blanks skipped). */
        cli_fail_status("verify-blob-batch", "LIST entries (numbered from 0)", st);
        goto out;
    }
    rc = print_bool(ok);
out:
    cli_ops_close(ops);
    batch_free(&b);
    return rc;
}
