/*
 * examples/basic.c — kzgkit's public API in one page: create a context over the embedded
 * mainnet setup, commit to a blob, prove an evaluation, verify it, then do the same for
 * the blob proof that EIP-4844 sidecars carry. Uses include/kzgkit.h only.
 * Exit status 0 when everything verifies, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kzgkit.h"

static void print_hex(const char *label, const uint8_t *p, size_t n) {
    printf("%-11s 0x", label);
    for (size_t i = 0; i < n; i++) printf("%02x", p[i]);
    printf("\n");
}

/* Prints a failed call's status and detail; returns 1 for main's exit status. */
static int failed(const char *call, kzg_status st) {
    fprintf(stderr, "%s: %s: %s\n", call, kzg_status_str(st), kzg_last_error());
    return 1;
}

int main(void) {
    kzg_ctx *ctx = NULL;
    kzg_blob *blob = NULL;
    kzg_commitment commitment;
    kzg_field_element z, y;
    kzg_proof proof, blob_proof;
    kzg_status st;
    bool ok = false;
    int rc = 1;

    st = kzg_ctx_new(&ctx, NULL); /* NULL options: defaults (no worker threads) */
    if (st != KZG_OK) return failed("kzg_ctx_new", st);

    /* A blob is 4096 field elements of 32 big-endian bytes, each below the scalar modulus
     * r; here element i is i² (small numbers are always canonical). A blob is 128 KiB:
     * keep it off the stack. */
    blob = calloc(1, sizeof *blob);
    if (!blob) {
        fprintf(stderr, "out of memory\n");
        goto out;
    }
    for (uint32_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) {
        uint32_t v = i * i;
        uint8_t *e = blob->bytes + (size_t)i * KZG_BYTES_PER_FIELD_ELEMENT;
        e[28] = (uint8_t)(v >> 24);
        e[29] = (uint8_t)(v >> 16);
        e[30] = (uint8_t)(v >> 8);
        e[31] = (uint8_t)v;
    }

    if ((st = kzg_blob_to_kzg_commitment(ctx, &commitment, blob)) != KZG_OK) {
        rc = failed("kzg_blob_to_kzg_commitment", st);
        goto out;
    }
    print_hex("commitment", commitment.bytes, sizeof commitment.bytes);

    /* Open the commitment at z = 12345: y is the blob's polynomial evaluated at z. */
    memset(&z, 0, sizeof z);
    z.bytes[30] = 0x30;
    z.bytes[31] = 0x39;
    if ((st = kzg_compute_kzg_proof(ctx, &proof, &y, blob, &z)) != KZG_OK) {
        rc = failed("kzg_compute_kzg_proof", st);
        goto out;
    }
    print_hex("z", z.bytes, sizeof z.bytes);
    print_hex("y", y.bytes, sizeof y.bytes);
    print_hex("proof", proof.bytes, sizeof proof.bytes);

    /* A verifier needs only the commitment, z, y and the proof. */
    if ((st = kzg_verify_kzg_proof(ctx, &ok, &commitment, &z, &y, &proof)) != KZG_OK) {
        rc = failed("kzg_verify_kzg_proof", st);
        goto out;
    }
    printf("verify_kzg_proof: %s\n", ok ? "true" : "false");
    if (!ok) goto out;

    /* The blob proof: evaluated at a challenge derived from the blob and the commitment. */
    if ((st = kzg_compute_blob_kzg_proof(ctx, &blob_proof, blob, &commitment)) != KZG_OK) {
        rc = failed("kzg_compute_blob_kzg_proof", st);
        goto out;
    }
    print_hex("blob proof", blob_proof.bytes, sizeof blob_proof.bytes);
    if ((st = kzg_verify_blob_kzg_proof(ctx, &ok, blob, &commitment, &blob_proof)) != KZG_OK) {
        rc = failed("kzg_verify_blob_kzg_proof", st);
        goto out;
    }
    printf("verify_blob_kzg_proof: %s\n", ok ? "true" : "false");
    if (!ok) goto out;

    /* A wrong y is well-formed input that does not verify: KZG_OK with ok == false. */
    y.bytes[31] ^= 1;
    if ((st = kzg_verify_kzg_proof(ctx, &ok, &commitment, &z, &y, &proof)) != KZG_OK) {
        rc = failed("kzg_verify_kzg_proof", st);
        goto out;
    }
    printf("verify_kzg_proof with a wrong y: %s\n", ok ? "true" : "false");
    if (ok) goto out;
    rc = 0;
out:
    free(blob);
    kzg_ctx_free(ctx);
    return rc;
}
