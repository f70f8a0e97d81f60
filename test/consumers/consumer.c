/*
 * test/consumers/consumer.c — a program outside kzgkit's tree that uses the installed library
 * the way a user would: <kzgkit.h> from the include path, -lkzgkit (shared or static) from
 * pkg-config or find_package(kzgkit). Checks that the version macros match the linked
 * library, then commits to a blob, proves and verifies.
 *
 * It also defines functions named like kzgkit's internal ones (and like c-kzg's / blst's):
 * linking it against libkzgkit.a must not fail with "multiple definition", which is what an
 * archive that exported its internals did. Exit status 0 when everything holds.
 */
#include <kzgkit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Names that kzgkit uses internally; a static link must not collide with them. */
int fr_mul(int a, int b);
int g1_add(int a, int b);
int fr_fft(int a);
int fp_mul(int a, int b);
int fr_mul(int a, int b) { return a * b; }
int g1_add(int a, int b) { return a + b; }
int fr_fft(int a) { return -a; }
int fp_mul(int a, int b) { return a * b + 1; }

static int fail(const char *what, kzg_status st) {
    fprintf(stderr, "consumer: %s: %s: %s\n", what, kzg_status_str(st), kzg_last_error());
    return 1;
}

int main(void) {
    if (strcmp(kzg_version(), KZGKIT_VERSION_STRING) != 0) {
        fprintf(stderr, "consumer: header says %s, library says %s\n", KZGKIT_VERSION_STRING,
                kzg_version());
        return 1;
    }
    if (fr_mul(6, 7) != 42 || g1_add(1, 2) != 3 || fr_fft(5) != -5 || fp_mul(2, 3) != 7) {
        fprintf(stderr, "consumer: its own fr_mul/g1_add/fr_fft/fp_mul were not the ones called\n");
        return 1;
    }
    kzg_ctx *ctx = NULL;
    kzg_ctx_options opts = KZG_CTX_OPTIONS_INIT;
    opts.threads = 2;
    kzg_status st = kzg_ctx_new(&ctx, &opts);
    if (st != KZG_OK) return fail("kzg_ctx_new", st);

    kzg_blob *blob = calloc(1, sizeof *blob);
    if (!blob) return 1;
    for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) /* small canonical elements */
        blob->bytes[i * KZG_BYTES_PER_FIELD_ELEMENT + 31] = (uint8_t)(i * 7 + 1);
    kzg_commitment c;
    kzg_proof proof;
    bool ok = false;
    if ((st = kzg_blob_to_kzg_commitment(ctx, &c, blob)) != KZG_OK) return fail("commit", st);
    if ((st = kzg_compute_blob_kzg_proof(ctx, &proof, blob, &c)) != KZG_OK) return fail("prove", st);
    if ((st = kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c, &proof)) != KZG_OK) return fail("verify", st);
    if (!ok) {
        fprintf(stderr, "consumer: a correct blob proof did not verify\n");
        return 1;
    }
    blob->bytes[31] ^= 1; /* another blob: the same proof must now fail */
    if ((st = kzg_verify_blob_kzg_proof(ctx, &ok, blob, &c, &proof)) != KZG_OK) return fail("verify", st);
    if (ok) {
        fprintf(stderr, "consumer: a wrong blob verified\n");
        return 1;
    }
    printf("consumer: kzgkit %s (%s backend, %u threads): commit, prove, verify ok\n",
           kzg_version(), kzg_backend(), kzg_ctx_threads(ctx));
    free(blob);
    kzg_ctx_free(ctx);
    return 0;
}
