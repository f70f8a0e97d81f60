/* tools/kzgkit/cells.c — the EIP-7594 commands: cells, verify-cells, recover.
 *
 * Output of `cells` and `recover`, one line per cell index 0..127:
 *     INDEX CELL PROOF      (INDEX decimal; CELL 2048 bytes and PROOF 48 bytes in 0x-hex)
 *     INDEX CELL            (with --no-proofs)
 * so that the lines, with the PROOF column dropped, are `recover` input, and with a
 * COMMITMENT column put in front, `verify-cells` input. LIST files are read with
 * cli_list (blank lines and # comments skipped); every error names the LIST line. Checks
 * the library makes per entry (canonical cell elements, point decoding) are reported on
 * the line of the entry the library names. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CELLS KZG_CELLS_PER_EXT_BLOB

/* Removes every "--no-proofs" before a "--" from argv (in place) and says whether there
 * was one; the rest goes to cli_parse_positional. */
static bool take_no_proofs(int *argc, char **argv) {
    bool found = false;
    int w = 1;
    for (int i = 1; i < *argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            while (i < *argc) argv[w++] = argv[i++];
            break;
        }
        if (strcmp(argv[i], "--no-proofs") == 0) {
            found = true;
            continue;
        }
        argv[w++] = argv[i];
    }
    *argc = w;
    return found;
}

/* Prints the 128 cells (and proofs, when not NULL) in the format above. */
static void print_cells(const kzg_cell *cells, const kzg_proof *proofs) {
    char cell_hex[2 * KZG_BYTES_PER_CELL + 3], proof_hex[2 * KZG_BYTES_PER_PROOF + 3];
    for (size_t i = 0; i < CELLS; i++) {
        cli_hex_string(cell_hex, cells[i].bytes, sizeof cells[i].bytes);
        if (proofs) {
            cli_hex_string(proof_hex, proofs[i].bytes, sizeof proofs[i].bytes);
            printf("%zu %s %s\n", i, cell_hex, proof_hex);
        } else {
            printf("%zu %s\n", i, cell_hex);
        }
    }
}

/* ---- LIST entries ------------------------------------------------------------------- */

/* The entries of a LIST; commitments and proofs only for verify-cells. */
typedef struct entries {
    uint64_t *indices;
    kzg_cell *cells;
    kzg_commitment *commitments;
    kzg_proof *proofs;
    size_t *lines; /* the LIST line of each entry */
    size_t n, cap;
    bool with_points;
} entries;

static void entries_free(entries *e) {
    free(e->indices);
    free(e->cells);
    free(e->commitments);
    free(e->proofs);
    free(e->lines);
    memset(e, 0, sizeof *e);
}

static bool entries_grow(entries *e) {
    size_t cap = e->cap ? 2 * e->cap : 128;
    void *p;
    if (cap > SIZE_MAX / sizeof(kzg_cell)) return false;
    /* Each realloc keeps the old block on failure, so entries_free stays correct. */
    if (!(p = realloc(e->indices, cap * sizeof *e->indices))) return false;
    e->indices = p;
    if (!(p = realloc(e->cells, cap * sizeof *e->cells))) return false;
    e->cells = p;
    if (!(p = realloc(e->lines, cap * sizeof *e->lines))) return false;
    e->lines = p;
    if (e->with_points) {
        if (!(p = realloc(e->commitments, cap * sizeof *e->commitments))) return false;
        e->commitments = p;
        if (!(p = realloc(e->proofs, cap * sizeof *e->proofs))) return false;
        e->proofs = p;
    }
    e->cap = cap;
    return true;
}

/* Reads LIST: per line COMMITMENT INDEX CELL PROOF (with_points) or INDEX CELL. Prints
 * one line naming the LIST line and returns false on the first malformed one. */
static bool entries_read(entries *e, const char *cmd, const char *path) {
    const int want = e->with_points ? 4 : 2;
    const char *format = e->with_points ? "COMMITMENT INDEX CELL PROOF" : "INDEX CELL";
    cli_list l;
    bool ok = false;
    if (!cli_list_open(&l, cmd, path)) goto out;
    for (;;) {
        char *f[4], why[CLI_WHY_LEN];
        char **rest = f;
        int nf = cli_list_next(&l, f, want);
        if (nf < 0) goto out;
        if (nf == 0) break;
        if (nf != want) {
            cli_fail(cmd, "LIST line %zu: expected %d fields (%s), got %s%d", l.line_no, want,
                     format, nf > want ? "more than " : "", nf > want ? want : nf);
            goto out;
        }
        if (e->n == e->cap && !entries_grow(e)) {
            cli_fail(cmd, "LIST line %zu: out of memory", l.line_no);
            goto out;
        }
        if (e->with_points) {
            if (!cli_hex_decode_exact(e->commitments[e->n].bytes, KZG_BYTES_PER_COMMITMENT,
                                      f[0], why)) {
                cli_fail(cmd, "LIST line %zu: COMMITMENT: %s", l.line_no, why);
                goto out;
            }
            rest = f + 1;
        }
        if (!cli_parse_u64(rest[0], 0, CELLS - 1, &e->indices[e->n])) {
            cli_fail(cmd, "LIST line %zu: INDEX: '%.32s' is not an integer in 0..%d", l.line_no,
                     rest[0], CELLS - 1);
            goto out;
        }
        if (!cli_hex_decode_exact(e->cells[e->n].bytes, KZG_BYTES_PER_CELL, rest[1], why)) {
            cli_fail(cmd, "LIST line %zu: CELL: %s", l.line_no, why);
            goto out;
        }
        if (e->with_points &&
            !cli_hex_decode_exact(e->proofs[e->n].bytes, KZG_BYTES_PER_PROOF, rest[2], why)) {
            cli_fail(cmd, "LIST line %zu: PROOF: %s", l.line_no, why);
            goto out;
        }
        e->lines[e->n++] = l.line_no;
    }
    ok = true;
out:
    cli_list_close(&l);
    return ok;
}

/* The entry a library error detail is about: the details of the cell functions begin with
 * the array and the entry ("cells[3]: field element 5 is not canonical (>= r)"). Returns
 * the entry, or SIZE_MAX when the detail names none in range. */
static size_t detail_entry(const char *detail, size_t n) {
    static const char *const arrays[] = {"commitments[", "cells[", "proofs[", "cell_indices["};
    for (size_t a = 0; a < sizeof arrays / sizeof arrays[0]; a++) {
        size_t len = strlen(arrays[a]), k = 0;
        const char *p = detail + len;
        if (strncmp(detail, arrays[a], len) != 0) continue;
        if (*p < '0' || *p > '9') return SIZE_MAX;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (k > (SIZE_MAX - 9) / 10) return SIZE_MAX;
            k = 10 * k + (size_t)(*p - '0');
        }
        return *p == ']' && k < n ? k : SIZE_MAX;
    }
    return SIZE_MAX;
}

/* Reports a library failure on the LIST line of the entry it names (if any). */
static int fail_entries(const char *cmd, const entries *e, kzg_status st) {
    char detail[512], what[64];
    size_t k = detail_entry(cli_last_error(detail, sizeof detail), e->n);
    if (k == SIZE_MAX) return cli_fail_status(cmd, "LIST", st);
    snprintf(what, sizeof what, "LIST line %zu", e->lines[k]);
    return cli_fail_status(cmd, what, st);
}

/* ---- commands ----------------------------------------------------------------------- */

int cmd_cells(cli_global *g, int argc, char **argv) {
    const char *pos[1];
    bool no_proofs = take_no_proofs(&argc, argv);
    int n, rc = cli_parse_positional(g, "cells", argc, argv, pos, 1, 1, &n);
    kzg_blob *blob = NULL;
    kzg_cell *cells = NULL;
    kzg_proof *proofs = NULL;
    cli_ops *ops = NULL;
    kzg_status st;
    char why[CLI_WHY_LEN];
    if (rc != CLI_RUN) return rc;
    rc = CLI_EXIT_BAD;
    blob = malloc(sizeof *blob);
    cells = malloc(CELLS * sizeof *cells);
    proofs = no_proofs ? NULL : malloc(CELLS * sizeof *proofs);
    if (!blob || !cells || (!no_proofs && !proofs)) {
        cli_fail("cells", "out of memory");
        goto out;
    }
    if (!cli_load_blob(blob, pos[0], why)) {
        cli_fail("cells", "BLOB: %s", why);
        goto out;
    }
    if (!(ops = cli_ops_open(g, "cells"))) goto out;
    st = cli_op_cells(ops, cells, proofs, blob); /* proofs NULL with --no-proofs */
    if (st != KZG_OK) {
        cli_fail_status("cells", "BLOB", st);
        goto out;
    }
    print_cells(cells, proofs);
    rc = CLI_EXIT_OK;
out:
    cli_ops_close(ops);
    free(proofs);
    free(cells);
    free(blob);
    return rc;
}

int cmd_verify_cells(cli_global *g, int argc, char **argv) {
    const char *pos[1];
    int n, rc = cli_parse_positional(g, "verify-cells", argc, argv, pos, 1, 1, &n);
    entries e;
    cli_ops *ops = NULL;
    kzg_status st;
    bool ok = false;
    if (rc != CLI_RUN) return rc;
    memset(&e, 0, sizeof e);
    e.with_points = true;
    rc = CLI_EXIT_BAD;
    if (!entries_read(&e, "verify-cells", pos[0])) goto out;
    if (!(ops = cli_ops_open(g, "verify-cells"))) goto out;
    st = cli_op_verify_cells(ops, &ok, e.commitments, e.indices, e.cells, e.proofs,
                                         e.n);
    if (st != KZG_OK) {
        fail_entries("verify-cells", &e, st);
        goto out;
    }
    puts(ok ? "true" : "false");
    rc = ok ? CLI_EXIT_OK : CLI_EXIT_FALSE;
out:
    cli_ops_close(ops);
    entries_free(&e);
    return rc;
}

int cmd_recover(cli_global *g, int argc, char **argv) {
    const char *pos[1];
    bool no_proofs = take_no_proofs(&argc, argv);
    int n, rc = cli_parse_positional(g, "recover", argc, argv, pos, 1, 1, &n);
    entries e;
    kzg_cell *cells = NULL;
    kzg_proof *proofs = NULL;
    cli_ops *ops = NULL;
    kzg_status st;
    size_t line_of[CELLS] = {0};
    if (rc != CLI_RUN) return rc;
    memset(&e, 0, sizeof e);
    rc = CLI_EXIT_BAD;
    if (!entries_read(&e, "recover", pos[0])) goto out;
    /* The recovery contract, checked here so that the message can name LIST lines. */
    for (size_t k = 0; k < e.n; k++) {
        uint64_t i = e.indices[k];
        if (line_of[i]) {
            cli_fail("recover", "LIST line %zu: INDEX %llu repeats line %zu", e.lines[k],
                     (unsigned long long)i, line_of[i]);
            goto out;
        }
        if (k > 0 && i < e.indices[k - 1]) {
            cli_fail("recover", "LIST line %zu: INDEX %llu follows %llu (line %zu): indices must "
                     "be ascending", e.lines[k], (unsigned long long)i,
                     (unsigned long long)e.indices[k - 1], e.lines[k - 1]);
            goto out;
        }
        line_of[i] = e.lines[k];
    }
    if (e.n < CELLS / 2) {
        cli_fail("recover", "LIST: %zu cell%s, recovery needs at least %d", e.n,
                 e.n == 1 ? "" : "s", CELLS / 2);
        goto out;
    }
    cells = malloc(CELLS * sizeof *cells);
    proofs = no_proofs ? NULL : malloc(CELLS * sizeof *proofs);
    if (!cells || (!no_proofs && !proofs)) {
        cli_fail("recover", "out of memory");
        goto out;
    }
    if (!(ops = cli_ops_open(g, "recover"))) goto out;
    st = cli_op_recover(ops, cells, proofs, e.indices, e.cells, e.n); /* proofs NULL: cells only */
    if (st != KZG_OK) {
        fail_entries("recover", &e, st);
        goto out;
    }
    print_cells(cells, proofs);
    rc = CLI_EXIT_OK;
out:
    cli_ops_close(ops);
    free(proofs);
    free(cells);
    entries_free(&e);
    return rc;
}
