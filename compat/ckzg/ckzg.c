/*
 * kzgkit-ckzg — c-kzg-4844's C API (ckzg.h) implemented with kzgkit's public API.
 *
 * Copyright 2026 the kzgkit authors. Licensed under the Apache License, Version 2.0
 * (the "License"); you may not use this file except in compliance with the License.
 * You may obtain a copy at http://www.apache.org/licenses/LICENSE-2.0
 *
 * Owns: the translation between the two APIs — c-kzg's argument order and byte types,
 * its four return codes, its habit of leaving outputs untouched on failure, and its
 * KZGSettings, which here holds one kzgkit context (built single-threaded, as c-kzg is).
 * May call: include/kzgkit.h only. Everything else is kzgkit's: decoding, validation and
 * the spec functions.
 *
 * Built with hidden visibility: only the functions marked CKZG_EXPORT (c-kzg's public
 * names) leave the library. The file also compiles when a binding #includes it, as the Go
 * and Node bindings do with c-kzg's own ckzg.c.
 */
#include "ckzg.h"

#include <kzgkit.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define CKZG_EXPORT __attribute__((visibility("default")))
#else
#define CKZG_EXPORT
#endif

/* The byte types are the same on both sides, so pointers are passed through as they are. */
_Static_assert(sizeof(Bytes32) == sizeof(kzg_field_element), "Bytes32");
_Static_assert(sizeof(Bytes48) == sizeof(kzg_g1_bytes), "Bytes48");
_Static_assert(sizeof(Blob) == sizeof(kzg_blob), "Blob");
_Static_assert(sizeof(Cell) == sizeof(kzg_cell), "Cell");
_Static_assert(CELLS_PER_EXT_BLOB == KZG_CELLS_PER_EXT_BLOB, "CELLS_PER_EXT_BLOB");
_Static_assert(BYTES_PER_BLOB == KZG_BYTES_PER_BLOB, "BYTES_PER_BLOB");

/* c-kzg accepts precompute up to 15 (the largest window its MSM library takes). */
#define CKZG_MAX_PRECOMPUTE 15
/* kzgkit's FK20 fixed-base table windows (kzgkit/eip7594.h: kzg_eip7594_precompute). */
#define FK20_TABLE_BITS_MIN 4
#define FK20_TABLE_BITS_MAX 10
/* The largest setup text load_trusted_setup_file reads (the mainnet one is 0.8 MiB). */
#define SETUP_TEXT_MAX ((size_t)32 << 20)

/* ---- translation ------------------------------------------------------------------- */

/* kzgkit's specific statuses onto c-kzg's four: every kind of bad input is C_KZG_BADARGS. */
static C_KZG_RET ret_of(kzg_status st) {
    switch (st) {
    case KZG_OK:
        return C_KZG_OK;
    case KZG_ERR_NULL_ARG:
    case KZG_ERR_LENGTH:
    case KZG_ERR_SCALAR_NONCANONICAL:
    case KZG_ERR_POINT_ENCODING:
    case KZG_ERR_POINT_NOT_ON_CURVE:
    case KZG_ERR_POINT_NOT_IN_SUBGROUP:
    case KZG_ERR_SETUP:
    case KZG_ERR_BAD_ARG:
        return C_KZG_BADARGS;
    case KZG_ERR_MEMORY:
        return C_KZG_MALLOC;
    default:
        return C_KZG_ERROR;
    }
}

/* The context of a loaded setup; NULL for a NULL or unloaded one (callers answer
 * C_KZG_BADARGS, where c-kzg would dereference it). */
static const kzg_ctx *ctx_of(const KZGSettings *s) { return s ? s->ctx : NULL; }

/* A count from c-kzg's uint64_t that size_t holds unchanged (always, on 64-bit targets). */
static bool fits_size(uint64_t n) { return (uint64_t)(size_t)n == n; }

static void settings_clear(KZGSettings *s) { memset(s, 0, sizeof *s); }

/* c-kzg's precompute is the window, in bits, of its fixed-base tables for the cell proofs
 * (0: none, larger: faster and bigger). kzgkit's FK20 tables take a window too, in a
 * narrower range: 0 stays 0 (no table; for the mainnet setup the FK20 columns are compiled
 * into the library, for another one they are built on the first proof computation), other
 * values are clamped into that range. */
static unsigned fk20_table_bits(uint64_t precompute) {
    if (precompute == 0) return 0;
    if (precompute < FK20_TABLE_BITS_MIN) return FK20_TABLE_BITS_MIN;
    if (precompute > FK20_TABLE_BITS_MAX) return FK20_TABLE_BITS_MAX;
    return (unsigned)precompute;
}

/* Finishes a load: the tables precompute asks for, then the context into *out. */
static C_KZG_RET settings_finish(KZGSettings *out, kzg_status st, kzg_ctx *ctx,
                                 uint64_t precompute) {
    if (st == KZG_OK && precompute != 0) st = kzg_eip7594_precompute(ctx, fk20_table_bits(precompute));
    if (st != KZG_OK) {
        kzg_ctx_free(ctx);
        return ret_of(st);
    }
    out->ctx = ctx;
    return C_KZG_OK;
}

/* The rest of `in` into a new malloc'ed buffer (*data, *len). A read error or a stream
 * longer than SETUP_TEXT_MAX is C_KZG_BADARGS (c-kzg's reader fails on both as bad input). */
static C_KZG_RET read_stream(uint8_t **data, size_t *len, FILE *in) {
    size_t cap = (size_t)1 << 20, used = 0;
    uint8_t *buf = malloc(cap);
    *data = NULL;
    *len = 0;
    if (!buf) return C_KZG_MALLOC;
    for (;;) {
        if (used == cap) {
            uint8_t *bigger = cap < SETUP_TEXT_MAX ? realloc(buf, cap * 2) : NULL;
            if (!bigger) {
                free(buf);
                return cap < SETUP_TEXT_MAX ? C_KZG_MALLOC : C_KZG_BADARGS;
            }
            buf = bigger;
            cap *= 2;
        }
        size_t got = fread(buf + used, 1, cap - used, in);
        used += got;
        if (got == 0) break;
    }
    if (ferror(in)) {
        free(buf);
        return C_KZG_BADARGS;
    }
    *data = buf;
    *len = used;
    return C_KZG_OK;
}

/* ---- trusted setup ------------------------------------------------------------------- */

CKZG_EXPORT C_KZG_RET load_trusted_setup(KZGSettings *out, const uint8_t *g1_monomial_bytes,
                                         uint64_t num_g1_monomial_bytes,
                                         const uint8_t *g1_lagrange_bytes,
                                         uint64_t num_g1_lagrange_bytes,
                                         const uint8_t *g2_monomial_bytes,
                                         uint64_t num_g2_monomial_bytes, uint64_t precompute) {
    kzg_ctx *ctx = NULL;
    if (!out) return C_KZG_BADARGS;
    settings_clear(out);
    if (precompute > CKZG_MAX_PRECOMPUTE) return C_KZG_BADARGS;
    if (!fits_size(num_g1_monomial_bytes) || !fits_size(num_g1_lagrange_bytes) ||
        !fits_size(num_g2_monomial_bytes))
        return C_KZG_BADARGS;
    kzg_status st = kzg_ctx_new_from_bytes(&ctx, g1_monomial_bytes, (size_t)num_g1_monomial_bytes,
                                           g1_lagrange_bytes, (size_t)num_g1_lagrange_bytes,
                                           g2_monomial_bytes, (size_t)num_g2_monomial_bytes, NULL);
    return settings_finish(out, st, ctx, precompute);
}

CKZG_EXPORT C_KZG_RET load_trusted_setup_file(KZGSettings *out, FILE *in, uint64_t precompute) {
    kzg_ctx *ctx = NULL;
    uint8_t *text;
    size_t len;
    if (!out) return C_KZG_BADARGS;
    settings_clear(out);
    if (!in || precompute > CKZG_MAX_PRECOMPUTE) return C_KZG_BADARGS;
    C_KZG_RET ret = read_stream(&text, &len, in);
    if (ret != C_KZG_OK) return ret;
    kzg_status st = kzg_ctx_new_from_buffer(&ctx, text, len, KZG_SETUP_TXT, NULL);
    free(text);
    return settings_finish(out, st, ctx, precompute);
}

CKZG_EXPORT void free_trusted_setup(KZGSettings *s) {
    if (!s) return;
    kzg_ctx_free(s->ctx);
    settings_clear(s);
}

/* ---- EIP-4844 -------------------------------------------------------------------------- */

CKZG_EXPORT C_KZG_RET blob_to_kzg_commitment(KZGCommitment *out, const Blob *blob,
                                             const KZGSettings *s) {
    kzg_commitment c;
    if (!out) return C_KZG_BADARGS;
    kzg_status st = kzg_blob_to_kzg_commitment(ctx_of(s), &c, (const kzg_blob *)blob);
    if (st == KZG_OK) memcpy(out->bytes, c.bytes, sizeof out->bytes);
    return ret_of(st);
}

CKZG_EXPORT C_KZG_RET compute_kzg_proof(KZGProof *proof_out, Bytes32 *y_out, const Blob *blob,
                                        const Bytes32 *z_bytes, const KZGSettings *s) {
    kzg_proof proof;
    kzg_field_element y;
    if (!proof_out || !y_out) return C_KZG_BADARGS;
    kzg_status st = kzg_compute_kzg_proof(ctx_of(s), &proof, &y, (const kzg_blob *)blob,
                                          (const kzg_field_element *)z_bytes);
    if (st == KZG_OK) {
        memcpy(proof_out->bytes, proof.bytes, sizeof proof_out->bytes);
        memcpy(y_out->bytes, y.bytes, sizeof y_out->bytes);
    }
    return ret_of(st);
}

CKZG_EXPORT C_KZG_RET compute_blob_kzg_proof(KZGProof *out, const Blob *blob,
                                             const Bytes48 *commitment_bytes,
                                             const KZGSettings *s) {
    kzg_proof proof;
    if (!out) return C_KZG_BADARGS;
    kzg_status st = kzg_compute_blob_kzg_proof(ctx_of(s), &proof, (const kzg_blob *)blob,
                                               (const kzg_commitment *)commitment_bytes);
    if (st == KZG_OK) memcpy(out->bytes, proof.bytes, sizeof out->bytes);
    return ret_of(st);
}

CKZG_EXPORT C_KZG_RET verify_kzg_proof(bool *ok, const Bytes48 *commitment_bytes,
                                       const Bytes32 *z_bytes, const Bytes32 *y_bytes,
                                       const Bytes48 *proof_bytes, const KZGSettings *s) {
    if (!ok) return C_KZG_BADARGS;
    *ok = false;
    return ret_of(kzg_verify_kzg_proof(ctx_of(s), ok, (const kzg_commitment *)commitment_bytes,
                                       (const kzg_field_element *)z_bytes,
                                       (const kzg_field_element *)y_bytes,
                                       (const kzg_proof *)proof_bytes));
}

CKZG_EXPORT C_KZG_RET verify_blob_kzg_proof(bool *ok, const Blob *blob,
                                            const Bytes48 *commitment_bytes,
                                            const Bytes48 *proof_bytes, const KZGSettings *s) {
    if (!ok) return C_KZG_BADARGS;
    *ok = false;
    return ret_of(kzg_verify_blob_kzg_proof(ctx_of(s), ok, (const kzg_blob *)blob,
                                            (const kzg_commitment *)commitment_bytes,
                                            (const kzg_proof *)proof_bytes));
}

CKZG_EXPORT C_KZG_RET verify_blob_kzg_proof_batch(bool *ok, const Blob *blobs,
                                                  const Bytes48 *commitments_bytes,
                                                  const Bytes48 *proofs_bytes, uint64_t n,
                                                  const KZGSettings *s) {
    bool result = false;
    if (!ok) return C_KZG_BADARGS;
    /* c-kzg answers an empty batch before looking at anything else, and a batch of one
     * with verify_blob_kzg_proof (which clears *ok first); larger batches write *ok only
     * when they succeed. */
    if (n == 0) {
        *ok = true;
        return C_KZG_OK;
    }
    if (n == 1) return verify_blob_kzg_proof(ok, blobs, commitments_bytes, proofs_bytes, s);
    if (!fits_size(n)) return C_KZG_BADARGS;
    kzg_status st = kzg_verify_blob_kzg_proof_batch(ctx_of(s), &result, (const kzg_blob *)blobs,
                                                    (const kzg_commitment *)commitments_bytes,
                                                    (const kzg_proof *)proofs_bytes, (size_t)n);
    if (st == KZG_OK) *ok = result;
    return ret_of(st);
}

/* ---- EIP-7594 -------------------------------------------------------------------------- */

/* The outputs of compute and recover are computed into scratch and copied on success, so
 * that a failure leaves the caller's arrays untouched (and they may overlap the inputs). */
typedef struct cell_outputs {
    kzg_cell *cells;                          /* NULL when not asked for */
    kzg_proof proofs[KZG_CELLS_PER_EXT_BLOB]; /* used when proofs are asked for */
} cell_outputs;

static C_KZG_RET outputs_new(cell_outputs **out, bool with_cells) {
    cell_outputs *o = malloc(sizeof *o);
    *out = NULL;
    if (!o) return C_KZG_MALLOC;
    o->cells = NULL;
    if (with_cells && !(o->cells = malloc(KZG_CELLS_PER_EXT_BLOB * sizeof *o->cells))) {
        free(o);
        return C_KZG_MALLOC;
    }
    *out = o;
    return C_KZG_OK;
}

/* Copies the computed outputs to the caller's arrays on success; frees the scratch. */
static C_KZG_RET outputs_finish(cell_outputs *o, kzg_status st, Cell *cells, KZGProof *proofs) {
    if (st == KZG_OK && cells) memcpy(cells, o->cells, KZG_CELLS_PER_EXT_BLOB * sizeof *o->cells);
    if (st == KZG_OK && proofs) memcpy(proofs, o->proofs, sizeof o->proofs);
    free(o->cells);
    free(o);
    return ret_of(st);
}

CKZG_EXPORT C_KZG_RET compute_cells_and_kzg_proofs(Cell *cells, KZGProof *proofs,
                                                   const Blob *blob, const KZGSettings *s) {
    cell_outputs *o;
    if (!cells && !proofs) return C_KZG_BADARGS;
    C_KZG_RET ret = outputs_new(&o, cells != NULL);
    if (ret != C_KZG_OK) return ret;
    /* Cells alone need no FK20 data: kzg_compute_cells is two FFTs. */
    kzg_status st = proofs ? kzg_compute_cells_and_kzg_proofs(ctx_of(s), o->cells, o->proofs,
                                                              (const kzg_blob *)blob)
                           : kzg_compute_cells(ctx_of(s), o->cells, (const kzg_blob *)blob);
    return outputs_finish(o, st, cells, proofs);
}

CKZG_EXPORT C_KZG_RET recover_cells_and_kzg_proofs(Cell *recovered_cells,
                                                   KZGProof *recovered_proofs,
                                                   const uint64_t *cell_indices,
                                                   const Cell *cells, uint64_t num_cells,
                                                   const KZGSettings *s) {
    cell_outputs *o;
    if (!recovered_cells) return C_KZG_BADARGS;
    if (num_cells < CELLS_PER_BLOB || num_cells > CELLS_PER_EXT_BLOB) return C_KZG_BADARGS;
    C_KZG_RET ret = outputs_new(&o, true);
    if (ret != C_KZG_OK) return ret;
    kzg_status st =
        recovered_proofs
            ? kzg_recover_cells_and_kzg_proofs(ctx_of(s), o->cells, o->proofs, cell_indices,
                                               (const kzg_cell *)cells, (size_t)num_cells)
            : kzg_recover_cells(ctx_of(s), o->cells, cell_indices, (const kzg_cell *)cells,
                                (size_t)num_cells);
    return outputs_finish(o, st, recovered_cells, recovered_proofs);
}

CKZG_EXPORT C_KZG_RET verify_cell_kzg_proof_batch(bool *ok, const Bytes48 *commitments_bytes,
                                                  const uint64_t *cell_indices,
                                                  const Cell *cells,
                                                  const Bytes48 *proofs_bytes,
                                                  uint64_t num_cells, const KZGSettings *s) {
    if (!ok) return C_KZG_BADARGS;
    *ok = false;
    if (!fits_size(num_cells)) return C_KZG_BADARGS;
    return ret_of(kzg_verify_cell_kzg_proof_batch(ctx_of(s), ok,
                                                  (const kzg_commitment *)commitments_bytes,
                                                  cell_indices, (const kzg_cell *)cells,
                                                  (const kzg_proof *)proofs_bytes,
                                                  (size_t)num_cells));
}
