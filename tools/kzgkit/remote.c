/* tools/kzgkit/remote.c — the commands' operations, here or on a service (contract: cli.h,
 * "operations"). The local side is the public API on a context; the remote side sends the
 * binary layouts of tools/service/service.h through one keep-alive client. This is the only
 * file of the commands that knows whether the service was built. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifdef KZGKIT_HAVE_SERVICE
#include "client.h"
#else
#include "../service/service.h" /* the layouts only: nothing of it is linked */
#endif

#define CELLS KZG_CELLS_PER_EXT_BLOB

struct cli_ops {
    kzg_ctx *ctx; /* local; NULL when remote */
#ifdef KZGKIT_HAVE_SERVICE
    svc_client *client;
#endif
};

int cli_fail_no_service(const char *cmd) {
    return cli_fail(cmd, "built without the service "
                         "(Debian: libmicrohttpd-dev libcurl4-openssl-dev)");
}

cli_ops *cli_ops_open(const cli_global *g, const char *cmd) {
    cli_ops *o = calloc(1, sizeof *o);
    if (!o) {
        cli_fail(cmd, "out of memory");
        return NULL;
    }
    if (!g->remote) {
        if (!(o->ctx = cli_ctx_open(g, cmd))) {
            free(o);
            return NULL;
        }
        return o;
    }
#ifdef KZGKIT_HAVE_SERVICE
    {
        char why[512], *token = NULL;
        if (g->setup_path) {
            cli_fail(cmd, "--setup: not available with --remote (the service has its own setup)");
            free(o);
            return NULL;
        }
        if (!svc_client_token_from_env(&token, why, sizeof why) ||
            !(o->client = svc_client_new(g->remote, token, why, sizeof why))) {
            cli_fail(cmd, "remote %s: %s", g->remote, why);
            free(token);
            free(o);
            return NULL;
        }
        free(token);
        return o;
    }
#else
    cli_fail_no_service(cmd);
    free(o);
    return NULL;
#endif
}

void cli_ops_close(cli_ops *o) {
    if (!o) return;
    kzg_ctx_free(o->ctx);
#ifdef KZGKIT_HAVE_SERVICE
    svc_client_free(o->client);
#endif
    free(o);
}

/* ---- the remote call ----------------------------------------------------------------- */

/* A failure that is not the library's: KZG_ERR_IO with the whole diagnostic set. */
static kzg_status remote_failure(const cli_ops *o, const char *detail) {
    char line[1200];
#ifdef KZGKIT_HAVE_SERVICE
    snprintf(line, sizeof line, "remote %.200s: %.900s", svc_client_url(o->client), detail);
#else
    (void)o;
    snprintf(line, sizeof line, "remote: %s", detail);
#endif
    cli_set_remote_detail(line, true);
    return KZG_ERR_IO;
}

#ifdef KZGKIT_HAVE_SERVICE
/* The library's detail in a 400's message: the service writes "STATUS: DETAIL" (STATUS
 * being kzg_status_str, as cli_fail_status prints it) or STATUS alone; a message without
 * that prefix is taken as the detail itself. */
static const char *library_detail(kzg_status st, const char *message) {
    const char *s = kzg_status_str(st);
    size_t n = strlen(s);
    if (strncmp(message, s, n) != 0) return message;
    if (message[n] == '\0') return "";
    if (message[n] == ':' && message[n + 1] == ' ') return message + n + 2;
    return message;
}
#endif

/* POSTs the binary body to endpoint e and expects exactly out_len bytes (copied to out).
 * A 400 naming a kzg_status returns it, with its message as the library's detail; anything
 * else is a remote_failure. */
static kzg_status remote_call(cli_ops *o, svc_endpoint e, const uint8_t *body, size_t len,
                              uint8_t *out, size_t out_len) {
#ifdef KZGKIT_HAVE_SERVICE
    svc_reply r;
    kzg_status st = KZG_OK;
    char desc[1200];
    cli_set_remote_detail(NULL, false);
    if (!svc_client_call(o->client, e, false, body, len, &r)) {
        st = remote_failure(o, r.message);
    } else if (r.http == 400 && r.is_status && r.status != KZG_OK) {
        cli_set_remote_detail(library_detail(r.status, r.message), false);
        st = r.status;
    } else if (r.http != 200) {
        svc_reply_describe(&r, desc, sizeof desc);
        st = remote_failure(o, desc);
    } else if (r.len != out_len) {
        snprintf(desc, sizeof desc, "%s answered %zu bytes, expected %zu", svc_endpoint_name(e),
                 r.len, out_len);
        st = remote_failure(o, desc);
    } else {
        memcpy(out, r.body, out_len);
    }
    svc_reply_clear(&r);
    return st;
#else
    (void)e, (void)body, (void)len, (void)out, (void)out_len;
    return remote_failure(o, "built without the service"); /* cli_ops_open refused already */
#endif
}

/* A verification: one byte, 1 or 0. */
static kzg_status remote_verify(cli_ops *o, svc_endpoint e, const uint8_t *body, size_t len,
                                bool *ok) {
    uint8_t b = 0;
    kzg_status st = remote_call(o, e, body, len, &b, 1);
    if (st != KZG_OK) return st;
    if (b > 1) {
        char desc[96];
        snprintf(desc, sizeof desc, "a verification answered the byte 0x%02x, expected 0 or 1", b);
        return remote_failure(o, desc);
    }
    *ok = b == 1;
    return KZG_OK;
}

/* A request body assembled from fixed-size parts. */
typedef struct body {
    uint8_t *p;
    size_t len, cap;
} body;

static bool body_alloc(body *b, size_t records, size_t record_len) {
    b->len = 0;
    if (record_len && records > SIZE_MAX / record_len) return false;
    b->cap = records * record_len;
    b->p = malloc(b->cap ? b->cap : 1);
    return b->p != NULL;
}

static void body_put(body *b, const void *p, size_t n) {
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void body_u64(body *b, uint64_t v) {
    uint8_t be[8];
    for (int i = 0; i < 8; i++) be[i] = (uint8_t)(v >> (56 - 8 * i));
    body_put(b, be, 8);
}

static kzg_status out_of_memory(const cli_ops *o) { return remote_failure(o, "out of memory"); }

/* ---- the operations ------------------------------------------------------------------ */

kzg_status cli_op_commit(cli_ops *o, kzg_commitment *out, const kzg_blob *blob) {
    if (o->ctx) return kzg_blob_to_kzg_commitment(o->ctx, out, blob);
    return remote_call(o, SVC_BLOB_TO_KZG_COMMITMENT, blob->bytes, sizeof blob->bytes, out->bytes,
                       sizeof out->bytes);
}

kzg_status cli_op_prove(cli_ops *o, kzg_proof *proof, kzg_field_element *y, const kzg_blob *blob,
                        const kzg_field_element *z) {
    if (o->ctx) return kzg_compute_kzg_proof(o->ctx, proof, y, blob, z);
    {
        body b;
        uint8_t out[SVC_G1 + SVC_FE];
        kzg_status st;
        if (!body_alloc(&b, 1, SVC_BLOB + SVC_FE)) return out_of_memory(o);
        body_put(&b, blob->bytes, SVC_BLOB);
        body_put(&b, z->bytes, SVC_FE);
        st = remote_call(o, SVC_COMPUTE_KZG_PROOF, b.p, b.len, out, sizeof out);
        free(b.p);
        if (st == KZG_OK) {
            memcpy(proof->bytes, out, SVC_G1);
            memcpy(y->bytes, out + SVC_G1, SVC_FE);
        }
        return st;
    }
}

kzg_status cli_op_prove_blob(cli_ops *o, kzg_proof *proof, const kzg_blob *blob,
                             const kzg_commitment *commitment) {
    if (o->ctx) return kzg_compute_blob_kzg_proof(o->ctx, proof, blob, commitment);
    {
        body b;
        kzg_status st;
        if (!body_alloc(&b, 1, SVC_BLOB + SVC_G1)) return out_of_memory(o);
        body_put(&b, blob->bytes, SVC_BLOB);
        body_put(&b, commitment->bytes, SVC_G1);
        st = remote_call(o, SVC_COMPUTE_BLOB_KZG_PROOF, b.p, b.len, proof->bytes,
                         sizeof proof->bytes);
        free(b.p);
        return st;
    }
}

kzg_status cli_op_verify(cli_ops *o, bool *ok, const kzg_commitment *commitment,
                         const kzg_field_element *z, const kzg_field_element *y,
                         const kzg_proof *proof) {
    *ok = false;
    if (o->ctx) return kzg_verify_kzg_proof(o->ctx, ok, commitment, z, y, proof);
    {
        uint8_t raw[2 * SVC_G1 + 2 * SVC_FE];
        body b = {raw, 0, sizeof raw};
        body_put(&b, commitment->bytes, SVC_G1);
        body_put(&b, z->bytes, SVC_FE);
        body_put(&b, y->bytes, SVC_FE);
        body_put(&b, proof->bytes, SVC_G1);
        return remote_verify(o, SVC_VERIFY_KZG_PROOF, b.p, b.len, ok);
    }
}

kzg_status cli_op_verify_blob(cli_ops *o, bool *ok, const kzg_blob *blob,
                              const kzg_commitment *commitment, const kzg_proof *proof) {
    *ok = false;
    if (o->ctx) return kzg_verify_blob_kzg_proof(o->ctx, ok, blob, commitment, proof);
    {
        body b;
        kzg_status st;
        if (!body_alloc(&b, 1, SVC_VERIFY_BATCH_RECORD)) return out_of_memory(o);
        body_put(&b, blob->bytes, SVC_BLOB);
        body_put(&b, commitment->bytes, SVC_G1);
        body_put(&b, proof->bytes, SVC_G1);
        st = remote_verify(o, SVC_VERIFY_BLOB_KZG_PROOF, b.p, b.len, ok);
        free(b.p);
        return st;
    }
}

kzg_status cli_op_verify_blob_batch(cli_ops *o, bool *ok, const kzg_blob *blobs,
                                    const kzg_commitment *commitments, const kzg_proof *proofs,
                                    size_t n) {
    *ok = false;
    if (o->ctx)
        return kzg_verify_blob_kzg_proof_batch(o->ctx, ok, blobs, commitments, proofs, n);
    {
        body b;
        kzg_status st;
        if (!body_alloc(&b, n, SVC_VERIFY_BATCH_RECORD)) return out_of_memory(o);
        for (size_t i = 0; i < n; i++) {
            body_put(&b, blobs[i].bytes, SVC_BLOB);
            body_put(&b, commitments[i].bytes, SVC_G1);
            body_put(&b, proofs[i].bytes, SVC_G1);
        }
        st = remote_verify(o, SVC_VERIFY_BLOB_KZG_PROOF_BATCH, b.p, b.len, ok);
        free(b.p);
        return st;
    }
}

kzg_status cli_op_cells(cli_ops *o, kzg_cell *cells, kzg_proof *proofs, const kzg_blob *blob) {
    if (o->ctx)
        return proofs ? kzg_compute_cells_and_kzg_proofs(o->ctx, cells, proofs, blob)
                      : kzg_compute_cells(o->ctx, cells, blob);
    if (!proofs)
        return remote_call(o, SVC_COMPUTE_CELLS, blob->bytes, SVC_BLOB, (uint8_t *)cells,
                           CELLS * sizeof *cells);
    {
        uint8_t *out = malloc(CELLS * (SVC_CELL + SVC_G1));
        kzg_status st;
        if (!out) return out_of_memory(o);
        st = remote_call(o, SVC_COMPUTE_CELLS_AND_KZG_PROOFS, blob->bytes, SVC_BLOB, out,
                         CELLS * (SVC_CELL + SVC_G1));
        if (st == KZG_OK) {
            memcpy(cells, out, CELLS * SVC_CELL);
            memcpy(proofs, out + CELLS * SVC_CELL, CELLS * SVC_G1);
        }
        free(out);
        return st;
    }
}

kzg_status cli_op_verify_cells(cli_ops *o, bool *ok, const kzg_commitment *commitments,
                               const uint64_t *indices, const kzg_cell *cells,
                               const kzg_proof *proofs, size_t n) {
    *ok = false;
    if (o->ctx)
        return kzg_verify_cell_kzg_proof_batch(o->ctx, ok, commitments, indices, cells, proofs, n);
    {
        body b;
        kzg_status st;
        if (!body_alloc(&b, n, SVC_CELL_RECORD)) return out_of_memory(o);
        for (size_t i = 0; i < n; i++) {
            body_put(&b, commitments[i].bytes, SVC_G1);
            body_u64(&b, indices[i]);
            body_put(&b, cells[i].bytes, SVC_CELL);
            body_put(&b, proofs[i].bytes, SVC_G1);
        }
        st = remote_verify(o, SVC_VERIFY_CELL_KZG_PROOF_BATCH, b.p, b.len, ok);
        free(b.p);
        return st;
    }
}

kzg_status cli_op_recover(cli_ops *o, kzg_cell *cells, kzg_proof *proofs, const uint64_t *indices,
                          const kzg_cell *in, size_t n) {
    if (o->ctx)
        return proofs ? kzg_recover_cells_and_kzg_proofs(o->ctx, cells, proofs, indices, in, n)
                      : kzg_recover_cells(o->ctx, cells, indices, in, n);
    {
        body b;
        uint8_t *out = malloc(CELLS * (SVC_CELL + SVC_G1));
        kzg_status st;
        if (!out || !body_alloc(&b, n, SVC_RECOVER_RECORD)) {
            free(out);
            return out_of_memory(o);
        }
        for (size_t i = 0; i < n; i++) {
            body_u64(&b, indices[i]);
            body_put(&b, in[i].bytes, SVC_CELL);
        }
        st = remote_call(o, SVC_RECOVER_CELLS_AND_KZG_PROOFS, b.p, b.len, out,
                         CELLS * (SVC_CELL + SVC_G1));
        if (st == KZG_OK) {
            memcpy(cells, out, CELLS * SVC_CELL);
            if (proofs) memcpy(proofs, out + CELLS * SVC_CELL, CELLS * SVC_G1);
        }
        free(out);
        free(b.p);
        return st;
    }
}
