/*
 * kzgkit-ckzg — the public C API of c-kzg-4844 (as of its 2.1 releases) on top of kzgkit.
 *
 * Copyright 2026 the kzgkit authors. Licensed under the Apache License, Version 2.0
 * (the "License"); you may not use this file except in compliance with the License.
 * You may obtain a copy at http://www.apache.org/licenses/LICENSE-2.0
 *
 * This header replaces c-kzg-4844's `ckzg.h` for programs and language bindings written
 * against it: same type names and sizes, same constants, same function names, argument
 * order, argument types and return codes. Link with -lkzgkit-ckzg (pkg-config kzgkit-ckzg).
 * Where the answers differ from c-kzg's on purpose, docs/BINDINGS.md ("Differences from
 * c-kzg") lists each case.
 *
 * Contract shared by every function below
 *  - The return value is C_KZG_OK on success; C_KZG_BADARGS for any malformed input (a
 *    scalar >= the BLS modulus, a point that does not decode or is not in G1, an index or
 *    count out of range, a setup that does not load), and also for a NULL pointer or a
 *    KZGSettings that holds no setup, where c-kzg would crash; C_KZG_MALLOC when memory
 *    runs out; C_KZG_ERROR for anything else (an internal failure).
 *  - On failure the outputs are left as c-kzg leaves them: untouched, except a
 *    verification's *ok, which is false unless the function says otherwise.
 *  - Verification returns C_KZG_OK with *ok == false for well-formed inputs that do not
 *    verify.
 *  - A loaded KZGSettings is read-only for the computing and verifying functions, which may
 *    run concurrently on it from any number of threads. Loading and freeing need exclusive
 *    access.
 *  - Inputs are public data: the arithmetic is variable-time by design.
 */
#ifndef KZGKIT_CKZG_H
#define KZGKIT_CKZG_H

#include <stdbool.h>
#include <stddef.h>
#include <inttypes.h> /* c-kzg's header brings it (PRIu64...): code written against it may rely on it */
#include <stdint.h>
#include <stdio.h> /* FILE */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- sizes ---------------------------------------------------------------------------- */

#define BYTES_PER_COMMITMENT 48
#define BYTES_PER_PROOF 48
#define BYTES_PER_FIELD_ELEMENT 32
#define BITS_PER_FIELD_ELEMENT 255
#define FIELD_ELEMENTS_PER_BLOB 4096
#define BYTES_PER_BLOB (FIELD_ELEMENTS_PER_BLOB * BYTES_PER_FIELD_ELEMENT)
#define LOG_EXPANSION_FACTOR 1 /* the extended blob is 2^1 times the blob */
#define FIELD_ELEMENTS_PER_EXT_BLOB (FIELD_ELEMENTS_PER_BLOB << LOG_EXPANSION_FACTOR)
#define FIELD_ELEMENTS_PER_CELL 64
#define BYTES_PER_CELL (FIELD_ELEMENTS_PER_CELL * BYTES_PER_FIELD_ELEMENT)
#define CELLS_PER_BLOB (FIELD_ELEMENTS_PER_BLOB / FIELD_ELEMENTS_PER_CELL)
#define CELLS_PER_EXT_BLOB (FIELD_ELEMENTS_PER_EXT_BLOB / FIELD_ELEMENTS_PER_CELL)

/* ---- types ---------------------------------------------------------------------------- */

typedef enum {
    C_KZG_OK = 0,  /* success */
    C_KZG_BADARGS, /* an input is invalid */
    C_KZG_ERROR,   /* an internal error */
    C_KZG_MALLOC   /* out of memory */
} C_KZG_RET;

/* A big-endian scalar, untrusted: it may be >= the modulus. */
typedef struct {
    uint8_t bytes[32];
} Bytes32;

/* A compressed G1 point, untrusted: it may not decode. */
typedef struct {
    uint8_t bytes[48];
} Bytes48;

/* 4096 big-endian scalars. */
typedef struct {
    uint8_t bytes[BYTES_PER_BLOB];
} Blob;

/* 64 big-endian scalars: one of the CELLS_PER_EXT_BLOB pieces of an extended blob. */
typedef struct {
    uint8_t bytes[BYTES_PER_CELL];
} Cell;

/* Outputs of the library (valid points); inputs are taken as Bytes48. */
typedef Bytes48 KZGCommitment;
typedef Bytes48 KZGProof;

struct kzg_ctx; /* kzgkit's context (kzgkit/kzg.h) */

/* A loaded trusted setup. Callers allocate it (on the stack, with malloc, inside their own
 * objects), fill it with load_trusted_setup or load_trusted_setup_file and release what it
 * holds with free_trusted_setup; its fields are private. A zero-initialised KZGSettings is
 * an unloaded one. The reserved words keep sizeof and alignment equal to c-kzg's
 * KZGSettings (eight pointers and two size_t), so bindings that carry a pre-generated copy
 * of that struct (the Rust crate) allocate the right amount. */
typedef struct {
    struct kzg_ctx *ctx;
    void *reserved_ptr[7];
    size_t reserved_size[2];
} KZGSettings;

/* ---- trusted setup -------------------------------------------------------------------- */

/* Loads a setup from compressed points: num_g1_monomial_bytes and num_g1_lagrange_bytes must
 * be 4096 * 48 (the Lagrange points in natural order, as the setup files carry them),
 * num_g2_monomial_bytes 65 * 96. Every point is checked (encoding, curve, subgroup) and the
 * three bases must belong to one secret. precompute (0..15) trades memory for the speed of
 * computing cell proofs: 0 builds nothing ahead of time, a larger value a bigger table.
 * On failure *out is left unloaded (safe to pass to free_trusted_setup). */
C_KZG_RET load_trusted_setup(KZGSettings *out, const uint8_t *g1_monomial_bytes,
                             uint64_t num_g1_monomial_bytes, const uint8_t *g1_lagrange_bytes,
                             uint64_t num_g1_lagrange_bytes, const uint8_t *g2_monomial_bytes,
                             uint64_t num_g2_monomial_bytes, uint64_t precompute);

/* Loads a setup from c-kzg's text format read from `in` (read to its end, not closed): the
 * counts 4096 and 65, then the 4096 G1 Lagrange points, the 65 G2 monomial points and the
 * 4096 G1 monomial points in hex, separated by whitespace. Otherwise as load_trusted_setup. */
C_KZG_RET load_trusted_setup_file(KZGSettings *out, FILE *in, uint64_t precompute);

/* Releases what a loaded setup holds and leaves it unloaded; the struct itself is the
 * caller's. NULL, an unloaded setup and a second call are harmless. */
void free_trusted_setup(KZGSettings *s);

/* ---- EIP-4844 ------------------------------------------------------------------------- */

/* The commitment to the blob's polynomial. */
C_KZG_RET blob_to_kzg_commitment(KZGCommitment *out, const Blob *blob, const KZGSettings *s);

/* The proof that the blob's polynomial evaluates to *y_out at z_bytes. */
C_KZG_RET compute_kzg_proof(KZGProof *proof_out, Bytes32 *y_out, const Blob *blob,
                            const Bytes32 *z_bytes, const KZGSettings *s);

/* The proof for the blob at the challenge derived from the blob and its commitment. */
C_KZG_RET compute_blob_kzg_proof(KZGProof *out, const Blob *blob,
                                 const Bytes48 *commitment_bytes, const KZGSettings *s);

/* *ok: whether the committed polynomial evaluates to y_bytes at z_bytes. */
C_KZG_RET verify_kzg_proof(bool *ok, const Bytes48 *commitment_bytes, const Bytes32 *z_bytes,
                           const Bytes32 *y_bytes, const Bytes48 *proof_bytes,
                           const KZGSettings *s);

/* *ok: whether proof_bytes is the blob proof of the blob and its commitment. */
C_KZG_RET verify_blob_kzg_proof(bool *ok, const Blob *blob, const Bytes48 *commitment_bytes,
                                const Bytes48 *proof_bytes, const KZGSettings *s);

/* *ok: whether all n blob proofs verify (one combined check). n == 0 is C_KZG_OK with
 * *ok = true whatever blobs, commitments_bytes, proofs_bytes and s are. n == 1 is
 * verify_blob_kzg_proof; for n >= 2, *ok is written only on success. */
C_KZG_RET verify_blob_kzg_proof_batch(bool *ok, const Blob *blobs,
                                      const Bytes48 *commitments_bytes,
                                      const Bytes48 *proofs_bytes, uint64_t n,
                                      const KZGSettings *s);

/* ---- EIP-7594 ------------------------------------------------------------------------- */

/* The blob's CELLS_PER_EXT_BLOB cells and their proofs. Either output may be NULL to skip
 * it (cells alone are much cheaper); not both. */
C_KZG_RET compute_cells_and_kzg_proofs(Cell *cells, KZGProof *proofs, const Blob *blob,
                                       const KZGSettings *s);

/* From num_cells cells (CELLS_PER_BLOB <= num_cells <= CELLS_PER_EXT_BLOB) with distinct
 * indices < CELLS_PER_EXT_BLOB in strictly ascending order, all CELLS_PER_EXT_BLOB cells
 * into recovered_cells (required) and their proofs into recovered_proofs (NULL: skip). The
 * outputs may overlap the inputs. */
C_KZG_RET recover_cells_and_kzg_proofs(Cell *recovered_cells, KZGProof *recovered_proofs,
                                       const uint64_t *cell_indices, const Cell *cells,
                                       uint64_t num_cells, const KZGSettings *s);

/* *ok: whether, for every k < num_cells, cells[k] is cell cell_indices[k] of the blob
 * committed to by commitments_bytes[k], with proof proofs_bytes[k]. num_cells == 0 is
 * C_KZG_OK with *ok = true. */
C_KZG_RET verify_cell_kzg_proof_batch(bool *ok, const Bytes48 *commitments_bytes,
                                      const uint64_t *cell_indices, const Cell *cells,
                                      const Bytes48 *proofs_bytes, uint64_t num_cells,
                                      const KZGSettings *s);

#ifdef __cplusplus
}
#endif

#endif /* KZGKIT_CKZG_H */
