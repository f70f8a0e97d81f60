/* tools/kzgkit/loadgen.c — `kzgkit loadgen URL`: load and correctness test of a service.
 *
 * Before the clock starts, everything a request needs is built once and shared read-only
 * by the connection threads: N random blobs, the request bodies (binary records, or their
 * JSON equivalents) and each request's expected answer, computed here with the library
 * (a 200 and its bytes, or a 400 and the kzg_status name the local call returns). So the
 * run's own cost is HTTP and a comparison, and getrusage states it.
 *
 * Each connection is a thread with its own keep-alive client. Requests are numbered from
 * one shared counter; in closed loop a thread sends its next request when the last answer
 * came, in open loop (--rate R) request k is due at k/R seconds and its latency counts
 * from then, so that a slow service cannot hide its queue by slowing the sender down
 * ("coordinated omission"). Latencies go into per-thread log histograms (2^(1/16) steps,
 * about 4.4 %), merged at the end; the per-second timeline is shared (atomic counters).
 *
 * Outcome of one request: ok (the expected status, and with --verify the expected bytes;
 * for a malformed request: 400 and the expected error name), wrong (the service answered
 * 200 or 400 but not what was expected), failed (no answer, or an HTTP error status, after
 * the --retries that apply to no answer, 429, 502 and 503). */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cli.h"
#include "results.h" /* harness_write_atomic */

#ifndef KZGKIT_HAVE_SERVICE
int cmd_loadgen(cli_global *g, int argc, char **argv) {
    (void)g;
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) return cli_help("loadgen");
    return cli_fail_no_service("loadgen");
}
#else
#include "client.h"

#define CELLS KZG_CELLS_PER_EXT_BLOB
#define MAX_DURATION_S 86400
#define MAX_CONNECTIONS 256
#define MAX_BLOBS 256
#define MAX_RETRIES 100
#define BATCH_BLOBS 4      /* blobs in a verify-batch request (at most --blobs) */
#define PROCESS_BLOBS 2    /* blobs in a process request */
#define CELL_SLICE 32      /* cells in a verify-cells request */
#define HIST_STEPS 16      /* histogram buckets per doubling */
#define HIST_BUCKETS (28 * HIST_STEPS) /* 1 us .. 2^28 us (268 s) */
#define REPORT_MAX 10      /* wrong or failed requests printed one by one */
/* The names the service gives to what has no kzg_status of its own: a body whose length
 * fits no record (KZG_ERR_LENGTH) and a JSON body that does not parse (KZG_ERR_BAD_ARG). */
#define ERROR_LENGTH "KZG_ERR_LENGTH"
#define ERROR_BAD_JSON "KZG_ERR_BAD_ARG"

typedef enum kind {
    K_COMMIT, K_PROVE, K_PROVE_BLOB, K_VERIFY, K_VERIFY_BLOB, K_VERIFY_BATCH, K_CELLS,
    K_COMPUTE_CELLS, K_VERIFY_CELLS, K_RECOVER, K_PROCESS, K_MALFORMED, N_KINDS
} kind;

static const struct {
    const char *name;
    int endpoint; /* svc_endpoint; -1: several */
} kinds[N_KINDS] = {
    [K_COMMIT] = {"commit", SVC_BLOB_TO_KZG_COMMITMENT},
    [K_PROVE] = {"prove", SVC_COMPUTE_KZG_PROOF},
    [K_PROVE_BLOB] = {"prove-blob", SVC_COMPUTE_BLOB_KZG_PROOF},
    [K_VERIFY] = {"verify", SVC_VERIFY_KZG_PROOF},
    [K_VERIFY_BLOB] = {"verify-blob", SVC_VERIFY_BLOB_KZG_PROOF},
    [K_VERIFY_BATCH] = {"verify-batch", SVC_VERIFY_BLOB_KZG_PROOF_BATCH},
    [K_CELLS] = {"cells", SVC_COMPUTE_CELLS_AND_KZG_PROOFS},
    [K_COMPUTE_CELLS] = {"compute-cells", SVC_COMPUTE_CELLS},
    [K_VERIFY_CELLS] = {"verify-cells", SVC_VERIFY_CELL_KZG_PROOF_BATCH},
    [K_RECOVER] = {"recover", SVC_RECOVER_CELLS_AND_KZG_PROOFS},
    [K_PROCESS] = {"process", SVC_PROCESS_BLOBS},
    [K_MALFORMED] = {"malformed", -1},
};

/* The default mix: blob verification first, as on a node; one request in 20 of each
 * expensive cell operation keeps them visible without letting them take the run. */
static const char default_mix[] = "commit=4,prove=1,prove-blob=2,verify=2,verify-blob=6,"
                                  "verify-batch=1,cells=1,verify-cells=1,recover=1,malformed=1";

/* ---- the plan: requests and their expected answers -------------------------------- */

typedef struct req {
    svc_endpoint endpoint;
    bool json;              /* the body is JSON */
    const uint8_t *body;
    size_t len;
    int http;               /* 200 or 400 */
    char error[40];         /* 400: the expected error name */
    const uint8_t *expect;  /* 200: the answer (binary), or the flattened JSON output */
    size_t expect_len;
    int expect_bool;        /* JSON verifications: 0/1; else -1 */
    char label[80];         /* which variant, for messages */
} req;

typedef struct plan {
    req *reqs[N_KINDS];
    size_t n_reqs[N_KINDS], cap_reqs[N_KINDS];
    uint32_t weight[N_KINDS];
    uint64_t total_weight;
    void **owned;
    size_t n_owned, cap_owned;
    bool json, oom;
    size_t max_expect; /* the longest expected answer (JSON scratch) */
} plan;

static void *own(plan *p, size_t n) {
    void *m;
    if (p->n_owned == p->cap_owned) {
        size_t cap = p->cap_owned ? 2 * p->cap_owned : 64;
        void **grown = realloc(p->owned, cap * sizeof *grown);
        if (!grown) {
            p->oom = true;
            return NULL;
        }
        p->owned = grown;
        p->cap_owned = cap;
    }
    if (!(m = malloc(n ? n : 1))) {
        p->oom = true;
        return NULL;
    }
    p->owned[p->n_owned++] = m;
    return m;
}

static void plan_free(plan *p) {
    for (size_t i = 0; i < p->n_owned; i++) free(p->owned[i]);
    free(p->owned);
    for (int k = 0; k < N_KINDS; k++) free(p->reqs[k]);
    memset(p, 0, sizeof *p);
}

/* A new request of kind k: body given (not copied: owned by the plan, or part of the
 * plan's arrays), expectation to be set by the caller with expect_* below. */
static req *add_req(plan *p, kind k, svc_endpoint e, const uint8_t *body, size_t len,
                    const char *label) {
    req *q;
    if (!body) return NULL; /* an own() that failed */
    if (p->n_reqs[k] == p->cap_reqs[k]) {
        size_t cap = p->cap_reqs[k] ? 2 * p->cap_reqs[k] : 16;
        req *grown = realloc(p->reqs[k], cap * sizeof *grown);
        if (!grown) {
            p->oom = true;
            return NULL;
        }
        p->reqs[k] = grown;
        p->cap_reqs[k] = cap;
    }
    q = &p->reqs[k][p->n_reqs[k]++];
    memset(q, 0, sizeof *q);
    q->endpoint = e;
    q->body = body;
    q->len = len;
    q->expect_bool = -1;
    snprintf(q->label, sizeof q->label, "%s", label);
    return q;
}

static void expect_bytes(req *q, const uint8_t *p, size_t n) {
    q->http = 200;
    q->expect = p;
    q->expect_len = n;
}

/* The expectation a local call's status and result give. */
static void expect_status(req *q, kzg_status st, const uint8_t *p, size_t n) {
    if (st == KZG_OK) {
        expect_bytes(q, p, n);
        return;
    }
    q->http = 400;
    snprintf(q->error, sizeof q->error, "%s", svc_status_name(st) ? svc_status_name(st) : "?");
}

static void expect_verify(plan *p, req *q, kzg_status st, bool ok) {
    uint8_t *b = own(p, 1);
    if (!b) return;
    b[0] = ok ? 1 : 0;
    expect_status(q, st, b, 1);
}

static uint8_t *cat2(plan *p, const void *a, size_t na, const void *b, size_t nb) {
    uint8_t *m = own(p, na + nb);
    if (m) {
        memcpy(m, a, na);
        memcpy(m + na, b, nb);
    }
    return m;
}

static void put_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* Everything computed from the blobs. */
typedef struct data {
    size_t n;
    kzg_blob *blobs;
    kzg_commitment *comm;
    kzg_proof *bproof;
    kzg_field_element *z, *y;
    kzg_proof *zproof;
    uint8_t *vb;  /* n verify-blob records: blob | commitment | proof (a batch is a slice) */
    uint8_t *cp;  /* n records commitment | proof (process_blobs' answers) */
    uint8_t *cells; /* n answers of compute_cells_and_kzg_proofs: 128 cells | 128 proofs */
    uint8_t *vc;  /* n x 128 verify-cells records */
    uint8_t *rec; /* n x 64 recover records: the even cells */
} data;

#define CELLS_ANSWER (CELLS * (SVC_CELL + SVC_G1))

static bool wants(const plan *p, kind k) { return p->weight[k] > 0; }

/* Computes the data the plan's kinds need; prints and returns false on a library error. */
static bool compute_data(plan *p, const kzg_ctx *ctx, data *d, size_t n, uint64_t seed) {
    cli_rng rng;
    kzg_status st = KZG_OK;
    bool need_z = wants(p, K_PROVE) || wants(p, K_VERIFY);
    bool need_cells = wants(p, K_CELLS) || wants(p, K_COMPUTE_CELLS) ||
                      wants(p, K_VERIFY_CELLS) || wants(p, K_RECOVER);
    memset(d, 0, sizeof *d);
    d->n = n;
    cli_rng_seed(&rng, seed);
    d->blobs = own(p, n * sizeof *d->blobs);
    d->comm = own(p, n * sizeof *d->comm);
    d->bproof = own(p, n * sizeof *d->bproof);
    d->z = own(p, n * sizeof *d->z);
    d->y = own(p, n * sizeof *d->y);
    d->zproof = own(p, n * sizeof *d->zproof);
    d->vb = own(p, n * SVC_VERIFY_BATCH_RECORD);
    d->cp = own(p, n * 2 * SVC_G1);
    if (need_cells) {
        d->cells = own(p, n * CELLS_ANSWER);
        d->vc = own(p, n * CELLS * SVC_CELL_RECORD);
        d->rec = own(p, n * (CELLS / 2) * SVC_RECOVER_RECORD);
    }
    if (p->oom) {
        cli_fail("loadgen", "out of memory");
        return false;
    }
    for (size_t i = 0; i < n && st == KZG_OK; i++) {
        uint8_t *r = d->vb + i * SVC_VERIFY_BATCH_RECORD;
        cli_rng_blob(&rng, &d->blobs[i]);
        cli_rng_field_element(&rng, d->z[i].bytes);
        if ((st = kzg_blob_to_kzg_commitment(ctx, &d->comm[i], &d->blobs[i])) != KZG_OK ||
            (st = kzg_compute_blob_kzg_proof(ctx, &d->bproof[i], &d->blobs[i], &d->comm[i])) !=
                KZG_OK)
            break;
        if (need_z &&
            (st = kzg_compute_kzg_proof(ctx, &d->zproof[i], &d->y[i], &d->blobs[i], &d->z[i])) !=
                KZG_OK)
            break;
        memcpy(r, d->blobs[i].bytes, SVC_BLOB);
        memcpy(r + SVC_BLOB, d->comm[i].bytes, SVC_G1);
        memcpy(r + SVC_BLOB + SVC_G1, d->bproof[i].bytes, SVC_G1);
        memcpy(d->cp + i * 2 * SVC_G1, d->comm[i].bytes, SVC_G1);
        memcpy(d->cp + i * 2 * SVC_G1 + SVC_G1, d->bproof[i].bytes, SVC_G1);
        if (need_cells) {
            uint8_t *ans = d->cells + i * CELLS_ANSWER;
            st = kzg_compute_cells_and_kzg_proofs(ctx, (kzg_cell *)ans,
                                                  (kzg_proof *)(ans + CELLS * SVC_CELL),
                                                  &d->blobs[i]);
            if (st != KZG_OK) break;
            for (size_t c = 0; c < CELLS; c++) {
                uint8_t *v = d->vc + (i * CELLS + c) * SVC_CELL_RECORD;
                memcpy(v, d->comm[i].bytes, SVC_G1);
                put_u64(v + SVC_G1, c);
                memcpy(v + SVC_G1 + 8, ans + c * SVC_CELL, SVC_CELL);
                memcpy(v + SVC_G1 + 8 + SVC_CELL, ans + CELLS * SVC_CELL + c * SVC_G1, SVC_G1);
                if (c % 2 == 0) {
                    uint8_t *e = d->rec + (i * (CELLS / 2) + c / 2) * SVC_RECOVER_RECORD;
                    put_u64(e, c);
                    memcpy(e + 8, ans + c * SVC_CELL, SVC_CELL);
                }
            }
        }
    }
    if (st != KZG_OK) {
        cli_fail_status("loadgen", "precomputing the answers", st);
        return false;
    }
    return true;
}

/* Builds every request of the kinds the mix names. */
static bool build_requests(plan *p, const kzg_ctx *ctx, const data *d) {
    const size_t n = d->n;
    char label[80];
    req *q;
    bool ok;
    kzg_status st;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *blob = d->blobs[i].bytes;
        const size_t next = (i + 1) % n;
        snprintf(label, sizeof label, "blob %zu", i);
        if (wants(p, K_COMMIT) &&
            (q = add_req(p, K_COMMIT, SVC_BLOB_TO_KZG_COMMITMENT, blob, SVC_BLOB, label)))
            expect_bytes(q, d->comm[i].bytes, SVC_G1);
        if (wants(p, K_PROVE) &&
            (q = add_req(p, K_PROVE, SVC_COMPUTE_KZG_PROOF,
                         cat2(p, blob, SVC_BLOB, d->z[i].bytes, SVC_FE), SVC_BLOB + SVC_FE, label)))
            expect_bytes(q, cat2(p, d->zproof[i].bytes, SVC_G1, d->y[i].bytes, SVC_FE),
                         SVC_G1 + SVC_FE);
        if (wants(p, K_PROVE_BLOB) &&
            (q = add_req(p, K_PROVE_BLOB, SVC_COMPUTE_BLOB_KZG_PROOF,
                         cat2(p, blob, SVC_BLOB, d->comm[i].bytes, SVC_G1), SVC_BLOB + SVC_G1,
                         label)))
            expect_bytes(q, d->bproof[i].bytes, SVC_G1);
        if (wants(p, K_VERIFY)) {
            /* the proof at z, then the same with y changed (false, or non-canonical: the
             * local call says which, and so what the service must answer) */
            for (int variant = 0; variant < 2; variant++) {
                uint8_t *b = own(p, 2 * SVC_G1 + 2 * SVC_FE);
                kzg_field_element y = d->y[i];
                if (!b) break;
                if (variant) y.bytes[SVC_FE - 1] ^= 1;
                memcpy(b, d->comm[i].bytes, SVC_G1);
                memcpy(b + SVC_G1, d->z[i].bytes, SVC_FE);
                memcpy(b + SVC_G1 + SVC_FE, y.bytes, SVC_FE);
                memcpy(b + SVC_G1 + 2 * SVC_FE, d->zproof[i].bytes, SVC_G1);
                snprintf(label, sizeof label, "blob %zu%s", i, variant ? ", y changed" : "");
                if (!(q = add_req(p, K_VERIFY, SVC_VERIFY_KZG_PROOF, b, 2 * SVC_G1 + 2 * SVC_FE,
                                  label)))
                    break;
                ok = false;
                st = kzg_verify_kzg_proof(ctx, &ok, &d->comm[i], &d->z[i], &y, &d->zproof[i]);
                expect_verify(p, q, st, ok);
            }
        }
        if (wants(p, K_VERIFY_BLOB)) {
            snprintf(label, sizeof label, "blob %zu", i);
            if ((q = add_req(p, K_VERIFY_BLOB, SVC_VERIFY_BLOB_KZG_PROOF,
                             d->vb + i * SVC_VERIFY_BATCH_RECORD, SVC_VERIFY_BATCH_RECORD,
                             label))) {
                ok = false;
                st = kzg_verify_blob_kzg_proof(ctx, &ok, &d->blobs[i], &d->comm[i], &d->bproof[i]);
                expect_verify(p, q, st, ok);
            }
            if (n > 1) { /* another blob's proof: false */
                uint8_t *b = own(p, SVC_VERIFY_BATCH_RECORD);
                if (b) {
                    memcpy(b, d->vb + i * SVC_VERIFY_BATCH_RECORD, SVC_BLOB + SVC_G1);
                    memcpy(b + SVC_BLOB + SVC_G1, d->bproof[next].bytes, SVC_G1);
                }
                snprintf(label, sizeof label, "blob %zu, proof of blob %zu", i, next);
                if ((q = add_req(p, K_VERIFY_BLOB, SVC_VERIFY_BLOB_KZG_PROOF, b,
                                 SVC_VERIFY_BATCH_RECORD, label))) {
                    ok = false;
                    st = kzg_verify_blob_kzg_proof(ctx, &ok, &d->blobs[i], &d->comm[i],
                                                   &d->bproof[next]);
                    expect_verify(p, q, st, ok);
                }
            }
        }
        if (wants(p, K_CELLS) &&
            (q = add_req(p, K_CELLS, SVC_COMPUTE_CELLS_AND_KZG_PROOFS, blob, SVC_BLOB, label)))
            expect_bytes(q, d->cells + i * CELLS_ANSWER, CELLS_ANSWER);
        if (wants(p, K_COMPUTE_CELLS) &&
            (q = add_req(p, K_COMPUTE_CELLS, SVC_COMPUTE_CELLS, blob, SVC_BLOB, label)))
            expect_bytes(q, d->cells + i * CELLS_ANSWER, CELLS * SVC_CELL); /* the cells part */
        if (wants(p, K_RECOVER)) {
            snprintf(label, sizeof label, "blob %zu, even cells", i);
            if ((q = add_req(p, K_RECOVER, SVC_RECOVER_CELLS_AND_KZG_PROOFS,
                             d->rec + i * (CELLS / 2) * SVC_RECOVER_RECORD,
                             (CELLS / 2) * SVC_RECOVER_RECORD, label)))
                expect_bytes(q, d->cells + i * CELLS_ANSWER, CELLS_ANSWER);
        }
        if (wants(p, K_VERIFY_CELLS)) {
            for (size_t s = 0; s < CELLS; s += CELL_SLICE) {
                const uint8_t *v = d->vc + (i * CELLS + s) * SVC_CELL_RECORD;
                kzg_commitment cs[CELL_SLICE];
                uint64_t idx[CELL_SLICE];
                kzg_cell *cl = malloc(CELL_SLICE * sizeof *cl);
                kzg_proof ps[CELL_SLICE];
                if (!cl) {
                    p->oom = true;
                    break;
                }
                for (size_t c = 0; c < CELL_SLICE; c++) {
                    const uint8_t *r = v + c * SVC_CELL_RECORD;
                    memcpy(cs[c].bytes, r, SVC_G1);
                    idx[c] = s + c;
                    memcpy(cl[c].bytes, r + SVC_G1 + 8, SVC_CELL);
                    memcpy(ps[c].bytes, r + SVC_G1 + 8 + SVC_CELL, SVC_G1);
                }
                snprintf(label, sizeof label, "blob %zu, cells %zu..%zu", i, s, s + CELL_SLICE - 1);
                if ((q = add_req(p, K_VERIFY_CELLS, SVC_VERIFY_CELL_KZG_PROOF_BATCH, v,
                                 CELL_SLICE * SVC_CELL_RECORD, label))) {
                    ok = false;
                    st = kzg_verify_cell_kzg_proof_batch(ctx, &ok, cs, idx, cl, ps, CELL_SLICE);
                    expect_verify(p, q, st, ok);
                }
                free(cl);
            }
        }
    }
    if (wants(p, K_VERIFY_BATCH)) {
        size_t k = n < BATCH_BLOBS ? n : BATCH_BLOBS;
        for (size_t i = 0; i + k <= n; i++) {
            snprintf(label, sizeof label, "blobs %zu..%zu", i, i + k - 1);
            if ((q = add_req(p, K_VERIFY_BATCH, SVC_VERIFY_BLOB_KZG_PROOF_BATCH,
                             d->vb + i * SVC_VERIFY_BATCH_RECORD, k * SVC_VERIFY_BATCH_RECORD,
                             label))) {
                ok = false;
                st = kzg_verify_blob_kzg_proof_batch(ctx, &ok, d->blobs + i, d->comm + i,
                                                     d->bproof + i, k);
                expect_verify(p, q, st, ok);
            }
        }
        if (k > 1) { /* the last proof swapped for the first: false */
            uint8_t *b = own(p, k * SVC_VERIFY_BATCH_RECORD);
            kzg_proof *ps = malloc(k * sizeof *ps);
            if (b && ps) {
                memcpy(b, d->vb, k * SVC_VERIFY_BATCH_RECORD);
                memcpy(b + (k - 1) * SVC_VERIFY_BATCH_RECORD + SVC_BLOB + SVC_G1,
                       d->bproof[0].bytes, SVC_G1);
                memcpy(ps, d->bproof, k * sizeof *ps);
                ps[k - 1] = d->bproof[0];
                snprintf(label, sizeof label, "blobs 0..%zu, last proof wrong", k - 1);
                if ((q = add_req(p, K_VERIFY_BATCH, SVC_VERIFY_BLOB_KZG_PROOF_BATCH, b,
                                 k * SVC_VERIFY_BATCH_RECORD, label))) {
                    ok = false;
                    st = kzg_verify_blob_kzg_proof_batch(ctx, &ok, d->blobs, d->comm, ps, k);
                    expect_verify(p, q, st, ok);
                }
            } else {
                p->oom = true;
            }
            free(ps);
        }
    }
    if (wants(p, K_PROCESS)) {
        size_t k = n < PROCESS_BLOBS ? n : PROCESS_BLOBS;
        for (size_t i = 0; i + k <= n; i++) {
            snprintf(label, sizeof label, "blobs %zu..%zu", i, i + k - 1);
            if ((q = add_req(p, K_PROCESS, SVC_PROCESS_BLOBS, d->blobs[i].bytes, k * SVC_BLOB,
                             label)))
                expect_bytes(q, d->cp + i * 2 * SVC_G1, k * 2 * SVC_G1);
        }
    }
    if (wants(p, K_MALFORMED)) {
        /* wrong length: a blob one byte short */
        if ((q = add_req(p, K_MALFORMED, SVC_BLOB_TO_KZG_COMMITMENT, d->blobs[0].bytes,
                         SVC_BLOB - 1, "wrong length (131071-byte blob)"))) {
            q->http = 400;
            snprintf(q->error, sizeof q->error, "%s", ERROR_LENGTH);
        }
        /* a non-canonical element */
        {
            kzg_blob *b = own(p, sizeof *b);
            kzg_commitment c;
            if (b) {
                *b = d->blobs[0];
                memset(b->bytes + 5 * SVC_FE, 0xff, SVC_FE);
                if ((q = add_req(p, K_MALFORMED, SVC_BLOB_TO_KZG_COMMITMENT, b->bytes, SVC_BLOB,
                                 "non-canonical element 5")))
                    expect_status(q, kzg_blob_to_kzg_commitment(ctx, &c, b), NULL, 0);
            }
        }
        /* a bad point: the commitment's compression flag cleared */
        {
            uint8_t *b = own(p, 2 * SVC_G1 + 2 * SVC_FE);
            kzg_commitment c = d->comm[0];
            kzg_field_element zero;
            memset(&zero, 0, sizeof zero);
            c.bytes[0] &= 0x7f;
            if (b) {
                memcpy(b, c.bytes, SVC_G1);
                memset(b + SVC_G1, 0, 2 * SVC_FE);
                memcpy(b + SVC_G1 + 2 * SVC_FE, d->bproof[0].bytes, SVC_G1);
                if ((q = add_req(p, K_MALFORMED, SVC_VERIFY_KZG_PROOF, b, 2 * SVC_G1 + 2 * SVC_FE,
                                 "bad point (compression flag)"))) {
                    ok = false;
                    st = kzg_verify_kzg_proof(ctx, &ok, &c, &zero, &zero, &d->bproof[0]);
                    expect_verify(p, q, st, ok);
                }
            }
        }
        /* bad JSON (also in a binary run: it is the JSON parser's malformed input) */
        {
            static const char bad_json[] = "{\"blob\": \"0x00";
            if ((q = add_req(p, K_MALFORMED, SVC_BLOB_TO_KZG_COMMITMENT,
                             (const uint8_t *)bad_json, sizeof bad_json - 1, "bad JSON"))) {
                q->json = true;
                q->http = 400;
                snprintf(q->error, sizeof q->error, "%s", ERROR_BAD_JSON);
            }
        }
    }
    if (p->oom) {
        cli_fail("loadgen", "out of memory");
        return false;
    }
    return true;
}

/* With --json-bodies: every binary body becomes its JSON equivalent, and the expected
 * answers the flattened {"output": ...}: a verification's byte becomes a bool, and
 * process_blobs' commitment|proof pairs become all commitments then all proofs. */
static bool to_json(plan *p) {
    for (int k = 0; k < N_KINDS; k++)
        for (size_t i = 0; i < p->n_reqs[k]; i++) {
            req *q = &p->reqs[k][i];
            svc_text t = {0};
            bool converted;
            if (q->json) continue;
            if (q->endpoint == SVC_BLOB_TO_KZG_COMMITMENT && q->len == SVC_BLOB - 1) {
                svc_text_puts(&t, "{\"blob\":");
                svc_text_hex(&t, q->body, q->len);
                svc_text_puts(&t, "}");
                converted = !t.failed;
            } else {
                converted = svc_json_from_binary(&t, q->endpoint, q->body, q->len);
            }
            if (!converted) {
                svc_text_free(&t);
                return false;
            }
            {
                uint8_t *b = own(p, t.len);
                if (!b) {
                    svc_text_free(&t);
                    return false;
                }
                memcpy(b, t.p, t.len);
                q->body = b;
                q->len = t.len;
                q->json = true;
                svc_text_free(&t);
            }
            if (q->http != 200) continue;
            if (q->expect_len == 1 && (q->endpoint == SVC_VERIFY_KZG_PROOF ||
                                       q->endpoint == SVC_VERIFY_BLOB_KZG_PROOF ||
                                       q->endpoint == SVC_VERIFY_BLOB_KZG_PROOF_BATCH ||
                                       q->endpoint == SVC_VERIFY_CELL_KZG_PROOF_BATCH)) {
                q->expect_bool = q->expect[0];
                q->expect_len = 0;
            } else if (q->endpoint == SVC_PROCESS_BLOBS) {
                size_t m = q->expect_len / (2 * SVC_G1);
                uint8_t *e = own(p, q->expect_len);
                if (!e) return false;
                for (size_t j = 0; j < m; j++) {
                    memcpy(e + j * SVC_G1, q->expect + j * 2 * SVC_G1, SVC_G1);
                    memcpy(e + (m + j) * SVC_G1, q->expect + j * 2 * SVC_G1 + SVC_G1, SVC_G1);
                }
                q->expect = e;
            }
        }
    return true;
}

/* ---- the run ------------------------------------------------------------------------ */

typedef struct kstats {
    uint64_t requests, ok, wrong, failed, retried;
    uint64_t codes[600]; /* final answers by HTTP status; [0]: no answer */
    uint64_t hist[HIST_BUCKETS];
} kstats;

typedef struct tline { /* one second of the timeline */
    atomic_uint_fast64_t ok, errors, retried, wrong, failed;
} tline;

typedef struct run {
    const plan *p;
    const char *url;
    const char *token;
    uint32_t connections, retries;
    double rate;            /* requests/s; 0: closed loop */
    uint64_t max_requests;  /* 0: no limit */
    double t0, t_end;       /* ms */
    bool verify;
    uint64_t seed;
    atomic_uint_fast64_t next;       /* the next request's number */
    atomic_uint_fast64_t reported;   /* wrong/failed lines printed */
    atomic_bool stop;                /* a thread could not be started: end early */
    tline *timeline;
    size_t seconds;
    pthread_mutex_t print_lock;
} run;

typedef struct worker {
    run *r;
    uint32_t index;
    kstats *stats; /* N_KINDS */
    uint8_t *scratch; /* JSON answers, flattened */
    size_t scratch_len;
    char why[512];  /* a client that could not be created */
} worker;

static void sleep_ms(double ms) {
    struct timespec ts;
    if (ms <= 0) return;
    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)((ms - (double)ts.tv_sec * 1000) * 1e6);
    nanosleep(&ts, NULL);
}

static size_t hist_bucket(double ms) {
    double us = ms * 1000;
    long b;
    if (us < 1) return 0;
    b = (long)(log2(us) * HIST_STEPS);
    return b >= HIST_BUCKETS ? HIST_BUCKETS - 1 : (size_t)b;
}

/* The latency below which a fraction q of the samples lie (a bucket's geometric middle). */
static double hist_quantile(const uint64_t *h, double q) {
    uint64_t total = 0, seen = 0, rank;
    for (size_t b = 0; b < HIST_BUCKETS; b++) total += h[b];
    if (!total) return 0;
    rank = (uint64_t)ceil(q * (double)total);
    if (rank < 1) rank = 1;
    for (size_t b = 0; b < HIST_BUCKETS; b++) {
        seen += h[b];
        if (seen >= rank) return pow(2.0, ((double)b + 0.5) / HIST_STEPS) / 1000;
    }
    return 0;
}

typedef enum { OUT_OK, OUT_WRONG, OUT_RETRY, OUT_FAILED } outcome;

/* Judges one answer against the request's expectation; says why in why when not ok. */
static outcome judge(worker *w, const req *q, const svc_reply *a, bool got_answer, char *why,
                     size_t why_len) {
    char desc[600];
    if (!got_answer || a->http == 429 || a->http == 502 || a->http == 503) {
        svc_reply_describe(a, desc, sizeof desc);
        snprintf(why, why_len, "%s", desc);
        return OUT_RETRY;
    }
    if (a->http != 200 && a->http != 400) {
        svc_reply_describe(a, desc, sizeof desc);
        snprintf(why, why_len, "%s", desc);
        return OUT_FAILED;
    }
    if (a->http != q->http) {
        svc_reply_describe(a, desc, sizeof desc);
        if (q->http == 400)
            snprintf(why, why_len, "expected HTTP 400 %s, got HTTP 200 (%zu bytes)", q->error,
                     a->len);
        else
            snprintf(why, why_len, "expected HTTP 200, got %s", desc);
        return OUT_WRONG;
    }
    if (q->http == 400) {
        if (strcmp(a->error, q->error) == 0) return OUT_OK;
        snprintf(why, why_len, "expected HTTP 400 %s, got HTTP 400 %s: %.300s", q->error,
                 a->error[0] ? a->error : "(no error name)", a->message);
        return OUT_WRONG;
    }
    if (!q->json) {
        if (a->len != q->expect_len) {
            snprintf(why, why_len, "expected %zu bytes, got %zu", q->expect_len, a->len);
            return OUT_WRONG;
        }
        if (w->r->verify && memcmp(a->body, q->expect, a->len) != 0) {
            size_t at = 0;
            while (a->body[at] == q->expect[at]) at++;
            snprintf(why, why_len, "the %zu-byte answer differs from byte %zu on", a->len, at);
            return OUT_WRONG;
        }
        return OUT_OK;
    }
    if (!w->r->verify) return OUT_OK; /* JSON: parsing is the comparison's cost */
    {
        size_t len = 0;
        int boolean = -1;
        char inner[256];
        if (!svc_json_output(a->body, a->len, w->scratch, w->scratch_len, &len, &boolean, inner,
                             sizeof inner)) {
            snprintf(why, why_len, "%s", inner);
            return OUT_WRONG;
        }
        if (q->expect_bool >= 0) {
            if (boolean == q->expect_bool) return OUT_OK;
            snprintf(why, why_len, "expected %s, got %s", q->expect_bool ? "true" : "false",
                     boolean < 0 ? "a non-boolean" : boolean ? "true" : "false");
            return OUT_WRONG;
        }
        if (boolean >= 0 || len != q->expect_len || memcmp(w->scratch, q->expect, len) != 0) {
            snprintf(why, why_len, "the output (%zu bytes) is not the expected one (%zu bytes)",
                     len, q->expect_len);
            return OUT_WRONG;
        }
        return OUT_OK;
    }
}

static void report(worker *w, kind k, const req *q, const char *what, const char *why) {
    run *r = w->r;
    uint64_t n = atomic_fetch_add(&r->reported, 1);
    if (n >= REPORT_MAX) return;
    pthread_mutex_lock(&r->print_lock);
    fprintf(stderr, "kzgkit loadgen: %s: %s (%s, %s): %s\n", what, kinds[k].name,
            svc_endpoint_name(q->endpoint), q->label, why);
    if (n + 1 == REPORT_MAX)
        fprintf(stderr, "kzgkit loadgen: (further wrong or failed requests are counted, not "
                        "printed)\n");
    pthread_mutex_unlock(&r->print_lock);
}

static tline *second_of(run *r, double now) {
    double s = (now - r->t0) / 1000;
    size_t i = s < 0 ? 0 : (size_t)s;
    return &r->timeline[i < r->seconds ? i : r->seconds - 1];
}

static kind pick_kind(const plan *p, cli_rng *rng) {
    uint64_t x = cli_rng_next(rng) % p->total_weight;
    for (int k = 0; k < N_KINDS; k++) {
        if (x < p->weight[k]) return (kind)k;
        x -= p->weight[k];
    }
    return K_COMMIT; /* not reached: the weights sum to total_weight */
}

static void *work(void *arg) {
    worker *w = arg;
    run *r = w->r;
    const plan *p = r->p;
    cli_rng rng;
    svc_client *c = svc_client_new(r->url, r->token, w->why, sizeof w->why);
    if (!c) return NULL;
    cli_rng_seed(&rng, r->seed ^ (0x9e3779b97f4a7c15ULL * (w->index + 1)));
    for (;;) {
        uint64_t n = atomic_fetch_add(&r->next, 1);
        double start, now;
        kind k;
        const req *q;
        outcome o = OUT_FAILED;
        char why[700];
        svc_reply a;
        uint32_t attempt;
        if ((r->max_requests && n >= r->max_requests) || atomic_load(&r->stop)) break;
        if (r->rate > 0) {
            start = r->t0 + (double)n * 1000 / r->rate;
            if (start >= r->t_end) break;
            sleep_ms(start - cli_now_ms());
        } else {
            start = cli_now_ms();
            if (start >= r->t_end) break;
        }
        k = pick_kind(p, &rng);
        q = &p->reqs[k][cli_rng_next(&rng) % p->n_reqs[k]];
        for (attempt = 0;; attempt++) {
            bool got = svc_client_call(c, q->endpoint, q->json, q->body, q->len, &a);
            o = judge(w, q, &a, got, why, sizeof why);
            if (o != OUT_RETRY) break;
            now = cli_now_ms();
            atomic_fetch_add(&second_of(r, now)->errors, 1);
            if (attempt >= r->retries) {
                o = OUT_FAILED;
                break;
            }
            {
                /* Retry-After when the service gives one, else 50 ms doubling; at most 1 s. */
                double wait = a.retry_after_s >= 0 ? a.retry_after_s * 1000
                                                    : 50.0 * (1u << (attempt < 5 ? attempt : 5));
                svc_reply_clear(&a);
                sleep_ms(wait < 1000 ? wait : 1000);
            }
            w->stats[k].retried++;
            atomic_fetch_add(&second_of(r, cli_now_ms())->retried, 1);
        }
        now = cli_now_ms();
        w->stats[k].requests++;
        w->stats[k].codes[a.http >= 0 && a.http < 600 ? a.http : 0]++;
        w->stats[k].hist[hist_bucket(now - start)]++;
        switch (o) {
        case OUT_OK:
            w->stats[k].ok++;
            atomic_fetch_add(&second_of(r, now)->ok, 1);
            break;
        case OUT_WRONG:
            w->stats[k].wrong++;
            atomic_fetch_add(&second_of(r, now)->wrong, 1);
            atomic_fetch_add(&second_of(r, now)->errors, 1);
            report(w, k, q, "wrong answer", why);
            break;
        default: {
            char msg[760];
            w->stats[k].failed++;
            atomic_fetch_add(&second_of(r, now)->failed, 1);
            if (a.http != 0 && a.http != 429 && a.http != 502 && a.http != 503)
                atomic_fetch_add(&second_of(r, now)->errors, 1); /* not counted above */
            if (attempt)
                snprintf(msg, sizeof msg, "%s (after %u retr%s)", why, attempt,
                         attempt == 1 ? "y" : "ies");
            else
                snprintf(msg, sizeof msg, "%s", why);
            report(w, k, q, "failed", msg);
        }
        }
        svc_reply_clear(&a);
    }
    svc_client_free(c);
    return NULL;
}

/* ---- options and output ------------------------------------------------------------ */

static bool parse_mix(plan *p, const char *spec) {
    const char *s = spec;
    memset(p->weight, 0, sizeof p->weight);
    p->total_weight = 0;
    while (*s) {
        const char *eq = strchr(s, '='), *end = strchr(s, ',');
        char num[16];
        uint64_t w;
        int k;
        if (!end) end = s + strlen(s);
        if (!eq || eq > end) {
            cli_fail("loadgen", "--mix: '%.*s' is not KIND=WEIGHT", (int)(end - s), s);
            return false;
        }
        for (k = 0; k < N_KINDS; k++)
            if (strlen(kinds[k].name) == (size_t)(eq - s) && memcmp(kinds[k].name, s, eq - s) == 0)
                break;
        if (k == N_KINDS) {
            cli_fail("loadgen", "--mix: unknown kind '%.*s' (see kzgkit loadgen --help)",
                     (int)(eq - s), s);
            return false;
        }
        if ((size_t)(end - eq - 1) >= sizeof num) {
            cli_fail("loadgen", "--mix: %s: weight too long", kinds[k].name);
            return false;
        }
        memcpy(num, eq + 1, end - eq - 1);
        num[end - eq - 1] = '\0';
        if (!cli_parse_u64(num, 0, 1000000, &w)) {
            cli_fail("loadgen", "--mix: %s: '%s' is not an integer in 0..1000000", kinds[k].name,
                     num);
            return false;
        }
        p->total_weight += w - p->weight[k];
        p->weight[k] = (uint32_t)w;
        s = *end ? end + 1 : end;
    }
    if (p->total_weight == 0) {
        cli_fail("loadgen", "--mix: every weight is 0");
        return false;
    }
    return true;
}

static double cpu_seconds(const struct rusage *u, bool user) {
    const struct timeval *t = user ? &u->ru_utime : &u->ru_stime;
    return (double)t->tv_sec + (double)t->tv_usec / 1e6;
}

static void codes_text(const kstats *s, char *buf, size_t len) {
    size_t w = 0;
    buf[0] = '\0';
    for (int c = 0; c < 600 && w < len; c++) {
        char code[16];
        if (!s->codes[c]) continue;
        if (c)
            snprintf(code, sizeof code, "%d", c);
        else
            snprintf(code, sizeof code, "none"); /* no answer */
        w += (size_t)snprintf(buf + w, len - w, "%s%s:%llu", w ? " " : "", code,
                              (unsigned long long)s->codes[c]);
    }
}

typedef struct summary {
    kstats kind[N_KINDS], all;
    double elapsed_s, cpu_user_s, cpu_sys_s, precompute_s;
} summary;

static void add_stats(kstats *to, const kstats *from) {
    to->requests += from->requests;
    to->ok += from->ok;
    to->wrong += from->wrong;
    to->failed += from->failed;
    to->retried += from->retried;
    for (int c = 0; c < 600; c++) to->codes[c] += from->codes[c];
    for (int b = 0; b < HIST_BUCKETS; b++) to->hist[b] += from->hist[b];
}

static void print_summary(const run *r, const summary *s) {
    const kstats *a = &s->all;
    double cpu = s->cpu_user_s + s->cpu_sys_s;
    printf("requests %llu  ok %llu  wrong %llu  failed %llu  retried %llu  in %.2f s: %.1f req/s\n",
           (unsigned long long)a->requests, (unsigned long long)a->ok,
           (unsigned long long)a->wrong, (unsigned long long)a->failed,
           (unsigned long long)a->retried, s->elapsed_s,
           s->elapsed_s > 0 ? (double)a->requests / s->elapsed_s : 0.0);
    printf("%-14s %-30s %8s %8s %6s %6s %9s %9s  %s\n", "kind", "endpoint", "requests", "ok",
           "wrong", "failed", "p50 ms", "p99 ms", "HTTP codes");
    for (int k = 0; k < N_KINDS; k++) {
        const kstats *t = &s->kind[k];
        char codes[256];
        if (!r->p->weight[k] && !t->requests) continue;
        codes_text(t, codes, sizeof codes);
        printf("%-14s %-30s %8llu %8llu %6llu %6llu %9.2f %9.2f  %s\n", kinds[k].name,
               kinds[k].endpoint >= 0 ? svc_endpoint_name((svc_endpoint)kinds[k].endpoint)
                                      : "(several)",
               (unsigned long long)t->requests, (unsigned long long)t->ok,
               (unsigned long long)t->wrong, (unsigned long long)t->failed,
               hist_quantile(t->hist, 0.50), hist_quantile(t->hist, 0.99), codes);
    }
    printf("%-14s %-30s %8llu %8llu %6llu %6llu %9.2f %9.2f\n", "all", "",
           (unsigned long long)a->requests, (unsigned long long)a->ok,
           (unsigned long long)a->wrong, (unsigned long long)a->failed,
           hist_quantile(a->hist, 0.50), hist_quantile(a->hist, 0.99));
    printf("loadgen CPU: %.2f s (user %.2f, system %.2f) over %.2f s = %.0f%% of one core, "
           "%.0f us per request; precomputing took %.2f s before the run\n",
           cpu, s->cpu_user_s, s->cpu_sys_s, s->elapsed_s,
           s->elapsed_s > 0 ? 100 * cpu / s->elapsed_s : 0.0,
           a->requests ? 1e6 * cpu / (double)a->requests : 0.0, s->precompute_s);
}

static void json_kstats(FILE *f, const kstats *t) {
    bool first = true;
    fprintf(f, "\"requests\":%llu,\"ok\":%llu,\"wrong\":%llu,\"failed\":%llu,\"retried\":%llu,"
               "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"codes\":{",
            (unsigned long long)t->requests, (unsigned long long)t->ok,
            (unsigned long long)t->wrong, (unsigned long long)t->failed,
            (unsigned long long)t->retried, hist_quantile(t->hist, 0.50),
            hist_quantile(t->hist, 0.99));
    for (int c = 0; c < 600; c++)
        if (t->codes[c]) {
            fprintf(f, "%s\"%d\":%llu", first ? "" : ",", c, (unsigned long long)t->codes[c]);
            first = false;
        }
    fprintf(f, "}");
}

/* JSON string contents for a URL (escapes quotes, backslashes and control characters). */
static void json_escaped(FILE *f, const char *s) {
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
}

typedef struct json_job {
    const run *r;
    const summary *s;
    const char *mix;
    size_t blobs;
    bool json_bodies;
} json_job;

static int json_writer(FILE *f, const void *ctx) {
    const json_job *j = ctx;
    const run *r = j->r;
    const summary *s = j->s;
    const char *mix = j->mix;
    size_t blobs = j->blobs;
    bool json_bodies = j->json_bodies;
    const kstats *a = &s->all;
    size_t seconds = (size_t)ceil(s->elapsed_s);
    bool first = true;
    if (seconds > r->seconds) seconds = r->seconds;
    if (seconds == 0) seconds = 1;
    fprintf(f, "{\"url\":\"");
    json_escaped(f, r->url);
    fprintf(f, "\",\"connections\":%u,\"rate\":", r->connections);
    if (r->rate > 0)
        fprintf(f, "%.3f", r->rate);
    else
        fprintf(f, "null");
    fprintf(f, ",\"mix\":\"");
    json_escaped(f, mix);
    fprintf(f, "\",\"blobs\":%zu,\"bodies\":\"%s\",\"verify\":%s,\"retries\":%u,", blobs,
            json_bodies ? "json" : "binary", r->verify ? "true" : "false", r->retries);
    fprintf(f, "\"elapsed_s\":%.3f,\"rps\":%.3f,\"cpu_s\":%.3f,\"cpu_user_s\":%.3f,"
               "\"cpu_sys_s\":%.3f,\"precompute_s\":%.3f,",
            s->elapsed_s, s->elapsed_s > 0 ? (double)a->requests / s->elapsed_s : 0.0,
            s->cpu_user_s + s->cpu_sys_s, s->cpu_user_s, s->cpu_sys_s, s->precompute_s);
    json_kstats(f, a);
    fprintf(f, ",\"endpoints\":{");
    for (int k = 0; k < N_KINDS; k++) {
        if (!r->p->weight[k] && !s->kind[k].requests) continue;
        fprintf(f, "%s\"%s\":{\"endpoint\":\"%s\",", first ? "" : ",", kinds[k].name,
                kinds[k].endpoint >= 0 ? svc_endpoint_name((svc_endpoint)kinds[k].endpoint)
                                       : "several");
        json_kstats(f, &s->kind[k]);
        fprintf(f, "}");
        first = false;
    }
    fprintf(f, "},\"timeline\":[");
    for (size_t i = 0; i < seconds; i++) {
        const tline *t = &r->timeline[i];
        fprintf(f, "%s{\"t\":%zu,\"ok\":%llu,\"errors\":%llu,\"retried\":%llu,\"wrong\":%llu,"
                   "\"failed\":%llu}",
                i ? "," : "", i, (unsigned long long)atomic_load(&t->ok),
                (unsigned long long)atomic_load(&t->errors),
                (unsigned long long)atomic_load(&t->retried),
                (unsigned long long)atomic_load(&t->wrong),
                (unsigned long long)atomic_load(&t->failed));
    }
    fprintf(f, "]}\n");
    return ferror(f) ? -1 : 0;
}

/* --json FILE, written atomically (a temporary file renamed into place). */
static bool write_json(const char *path, const run *r, const summary *s, const char *mix,
                       size_t blobs, bool json_bodies) {
    json_job j = {r, s, mix, blobs, json_bodies};
    char err[256];
    return harness_write_atomic(path, json_writer, &j, err, sizeof err) == 0;
}

int cmd_loadgen(cli_global *g, int argc, char **argv) {
    const char *cmd = "loadgen", *url = NULL, *mix = default_mix, *json_path = NULL;
    uint64_t requests = 0, duration = 0, connections = 2, retries = 0, blobs = 8, seed = 1;
    double rate = 0;
    bool verify = false, json_bodies = false, have_duration = false;
    plan p;
    data d;
    run r;
    summary s;
    worker *workers = NULL;
    pthread_t *threads = NULL;
    kzg_ctx *ctx = NULL;
    char *token = NULL, why[512];
    struct rusage u0, u1;
    int rc = CLI_EXIT_BAD;
    uint32_t started = 0;

    memset(&p, 0, sizeof p);
    memset(&r, 0, sizeof r);
    memset(&s, 0, sizeof s);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int gr;
        if (cli_is_help(a)) return cli_help(cmd);
        if (a[0] != '-' || a[1] == '\0') {
            if (url) return cli_fail(cmd, "too many arguments: expected one URL");
            url = a;
            continue;
        }
        if (strcmp(a, "--verify") == 0) {
            verify = true;
            continue;
        }
        if (strcmp(a, "--json-bodies") == 0) {
            json_bodies = true;
            continue;
        }
        {
            static const char *const valued[] = {"--rate", "--duration", "--requests",
                                                 "--connections", "--mix", "--retries",
                                                 "--blobs", "--seed", "--json"};
            const char *name = NULL;
            for (size_t o = 0; o < sizeof valued / sizeof valued[0]; o++) {
                size_t n = strlen(valued[o]);
                if (strncmp(a, valued[o], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
                    name = valued[o];
                    v = a[n] == '=' ? a + n + 1 : (i + 1 < argc ? argv[++i] : NULL);
                    break;
                }
            }
            if (name) {
                bool good = v != NULL;
                if (!v) return cli_fail(cmd, "%s: missing value", name);
                if (strcmp(name, "--rate") == 0) {
                    char *end;
                    rate = strtod(v, &end);
                    good = end != v && *end == '\0' && rate > 0 && rate <= 1e6;
                } else if (strcmp(name, "--duration") == 0) {
                    good = cli_parse_u64(v, 1, MAX_DURATION_S, &duration);
                    have_duration = true;
                } else if (strcmp(name, "--requests") == 0) {
                    good = cli_parse_u64(v, 1, UINT64_MAX / 2, &requests);
                } else if (strcmp(name, "--connections") == 0) {
                    good = cli_parse_u64(v, 1, MAX_CONNECTIONS, &connections);
                } else if (strcmp(name, "--retries") == 0) {
                    good = cli_parse_u64(v, 0, MAX_RETRIES, &retries);
                } else if (strcmp(name, "--blobs") == 0) {
                    good = cli_parse_u64(v, 1, MAX_BLOBS, &blobs);
                } else if (strcmp(name, "--seed") == 0) {
                    good = cli_parse_u64(v, 0, UINT64_MAX, &seed);
                } else if (strcmp(name, "--mix") == 0) {
                    mix = v;
                } else {
                    json_path = v;
                }
                if (!good) {
                    static const char *const ranges[][2] = {
                        {"--rate", "a number of requests/s in (0, 1000000]"},
                        {"--duration", "an integer in 1..86400 (seconds)"},
                        {"--requests", "a positive integer"},
                        {"--connections", "an integer in 1..256"},
                        {"--retries", "an integer in 0..100"},
                        {"--blobs", "an integer in 1..256"},
                        {"--seed", "an unsigned 64-bit integer"}};
                    for (size_t o = 0; o < sizeof ranges / sizeof ranges[0]; o++)
                        if (strcmp(ranges[o][0], name) == 0)
                            return cli_fail(cmd, "%s: '%s' is not %s", name, v, ranges[o][1]);
                }
                continue;
            }
        }
        gr = cli_global_option(g, cmd, argc, argv, &i);
        if (gr < 0) return CLI_EXIT_BAD;
        if (gr == 0) return cli_fail(cmd, "unknown option '%s' (see kzgkit loadgen --help)", a);
    }
    if (!url) return cli_fail(cmd, "expected 1 argument (URL), got 0");
    if (!have_duration) duration = requests ? MAX_DURATION_S : 10;
    if (!parse_mix(&p, mix)) return CLI_EXIT_BAD;
    if (!svc_client_token_from_env(&token, why, sizeof why))
        return cli_fail(cmd, "remote %s: %s", url, why);
    {
        svc_client *probe = svc_client_new(url, token, why, sizeof why); /* checks the URL */
        if (!probe) {
            free(token);
            return cli_fail(cmd, "URL %s: %s", url, why);
        }
        svc_client_free(probe);
    }

    /* Precompute, outside the measured run. */
    {
        double t0 = cli_now_ms();
        if (!(ctx = cli_ctx_open(g, cmd))) goto out;
        if (!compute_data(&p, ctx, &d, (size_t)blobs, seed) || !build_requests(&p, ctx, &d))
            goto out;
        if (json_bodies && !to_json(&p)) {
            cli_fail(cmd, "out of memory building the JSON bodies");
            goto out;
        }
        s.precompute_s = (cli_now_ms() - t0) / 1000;
        kzg_ctx_free(ctx);
        ctx = NULL;
    }
    for (int k = 0; k < N_KINDS; k++) {
        if (p.weight[k] && p.n_reqs[k] == 0) { /* a kind with nothing to send (cannot happen) */
            cli_fail(cmd, "--mix: no %s request could be built", kinds[k].name);
            goto out;
        }
        for (size_t i = 0; i < p.n_reqs[k]; i++)
            if (p.reqs[k][i].expect_len > p.max_expect) p.max_expect = p.reqs[k][i].expect_len;
    }

    r.p = &p;
    r.url = url;
    r.token = token;
    r.connections = (uint32_t)connections;
    r.retries = (uint32_t)retries;
    r.rate = rate;
    r.max_requests = requests;
    r.verify = verify;
    r.seed = seed;
    r.seconds = (size_t)duration + 2; /* answers may come after the end */
    atomic_init(&r.next, 0);
    atomic_init(&r.reported, 0);
    atomic_init(&r.stop, false);
    pthread_mutex_init(&r.print_lock, NULL);
    r.timeline = calloc(r.seconds, sizeof *r.timeline);
    workers = calloc(connections, sizeof *workers);
    threads = calloc(connections, sizeof *threads);
    if (!r.timeline || !workers || !threads) {
        cli_fail(cmd, "out of memory");
        goto out_run;
    }
    for (uint32_t i = 0; i < connections; i++) {
        workers[i].r = &r;
        workers[i].index = i;
        workers[i].stats = calloc(N_KINDS, sizeof(kstats));
        workers[i].scratch_len = p.max_expect + 1;
        workers[i].scratch = malloc(workers[i].scratch_len);
        if (!workers[i].stats || !workers[i].scratch) {
            cli_fail(cmd, "out of memory");
            goto out_run;
        }
    }
    printf("loadgen: %s, %u connection%s, %s, %s bodies%s, retries %u, %llu blobs\n", url,
           r.connections, r.connections == 1 ? "" : "s",
           rate > 0 ? "open loop" : "closed loop", json_bodies ? "JSON" : "binary",
           verify ? ", answers verified" : "", r.retries, (unsigned long long)blobs);
    if (rate > 0) printf("  rate %.1f requests/s\n", rate);
    printf("  stop after %llu s%s", (unsigned long long)duration, requests ? " or " : "\n");
    if (requests) printf("%llu requests, whichever first\n", (unsigned long long)requests);
    printf("  mix %s\n", mix);
    fflush(stdout);

    getrusage(RUSAGE_SELF, &u0);
    r.t0 = cli_now_ms();
    r.t_end = r.t0 + (double)duration * 1000;
    for (; started < connections; started++)
        if (pthread_create(&threads[started], NULL, work, &workers[started]) != 0) {
            cli_fail(cmd, "cannot start connection thread %u", started);
            atomic_store(&r.stop, true); /* those started end after their current request */
            break;
        }
    for (uint32_t i = 0; i < started; i++) pthread_join(threads[i], NULL);
    s.elapsed_s = (cli_now_ms() - r.t0) / 1000;
    getrusage(RUSAGE_SELF, &u1);
    if (started < connections) goto out_run;
    for (uint32_t i = 0; i < connections; i++)
        if (workers[i].why[0]) {
            cli_fail(cmd, "URL %s: %s", url, workers[i].why);
            goto out_run;
        }
    s.cpu_user_s = cpu_seconds(&u1, true) - cpu_seconds(&u0, true);
    s.cpu_sys_s = cpu_seconds(&u1, false) - cpu_seconds(&u0, false);
    for (uint32_t i = 0; i < connections; i++)
        for (int k = 0; k < N_KINDS; k++) {
            add_stats(&s.kind[k], &workers[i].stats[k]);
            add_stats(&s.all, &workers[i].stats[k]);
        }
    print_summary(&r, &s);
    if (json_path && !write_json(json_path, &r, &s, mix, (size_t)blobs, json_bodies)) {
        cli_fail(cmd, "--json: cannot write '%s'", json_path);
        goto out_run;
    }
    rc = s.all.wrong || s.all.failed ? CLI_EXIT_FALSE : CLI_EXIT_OK;
out_run:
    pthread_mutex_destroy(&r.print_lock);
    if (workers)
        for (uint32_t i = 0; i < connections; i++) {
            free(workers[i].stats);
            free(workers[i].scratch);
        }
    free(workers);
    free(threads);
    free(r.timeline);
out:
    kzg_ctx_free(ctx);
    plan_free(&p);
    if (token) {
        memset(token, 0, strlen(token));
        free(token);
    }
    return rc;
}
#endif
