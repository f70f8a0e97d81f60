/* tools/service/handlers.c — one request body in, one response out, no HTTP: decodes the
 * JSON or binary input of each endpoint (service.h has the layouts), calls the public API
 * once and encodes the output. Every failure becomes an error body; nothing here may crash
 * on any byte string (test/fuzz/fuzz_service.c drives it directly). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "service.h"

/* ---- responses ------------------------------------------------------------------- */

static const char oom_body[] = "{\"error\":\"internal\",\"message\":\"out of memory\"}";

void svc_response_clear(svc_response *r) {
    if (r->body && r->body != (const uint8_t *)oom_body) free(r->body);
    memset(r, 0, sizeof *r);
}

static void response_oom(svc_response *r) {
    svc_response_clear(r);
    r->http = 500;
    r->json = true;
    r->body = (uint8_t *)oom_body; /* never freed: svc_response_clear knows it */
    r->len = sizeof oom_body - 1;
}

/* Appends s as a JSON string body (quotes, escapes; control bytes as \u00XX). */
static size_t json_escape(char *dst, const char *s) {
    size_t n = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            if (dst) dst[n] = '\\', dst[n + 1] = (char)c;
            n += 2;
        } else if (c < 0x20 || c == 0x7f) {
            if (dst) snprintf(dst + n, 7, "\\u%04x", c);
            n += 6;
        } else {
            if (dst) dst[n] = (char)c;
            n++;
        }
    }
    return n;
}

void svc_response_error(svc_response *r, int http, const char *name, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    uint64_t items = r->items;
    svc_response_clear(r);
    r->items = items;
    size_t cap = 32 + json_escape(NULL, name) + json_escape(NULL, msg);
    char *b = malloc(cap);
    if (!b) {
        response_oom(r);
        return;
    }
    size_t n = 0;
    memcpy(b + n, "{\"error\":\"", 10), n += 10;
    n += json_escape(b + n, name);
    memcpy(b + n, "\",\"message\":\"", 13), n += 13;
    n += json_escape(b + n, msg);
    memcpy(b + n, "\"}", 2), n += 2;
    r->http = http;
    r->json = true;
    r->body = (uint8_t *)b;
    r->len = n;
}

/* The library said no: 400 for invalid input, 503 when memory ran out, 500 for a bug. */
static void response_status(svc_response *r, kzg_status st, const char *what) {
    const char *name = svc_status_name(st);
    const char *detail = kzg_last_error();
    int http = st == KZG_ERR_MEMORY ? 503 : st == KZG_ERR_INTERNAL ? 500 : 400;
    r->status = st;
    kzg_status keep = st;
    if (!name) name = "KZG_ERR_INTERNAL";
    if (what && detail && detail[0])
        svc_response_error(r, http, name, "%s: %s: %s", what, kzg_status_str(st), detail);
    else if (detail && detail[0])
        svc_response_error(r, http, name, "%s: %s", kzg_status_str(st), detail);
    else
        svc_response_error(r, http, name, "%s", kzg_status_str(st));
    r->status = keep;
}

/* A 400 for input the service itself rejects before the library sees it (JSON shape, hex). */
static void response_input(svc_response *r, kzg_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void response_input(svc_response *r, kzg_status st, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    svc_response_error(r, 400, svc_status_name(st), "%s", msg);
    r->status = st;
}

static bool response_bytes(svc_response *r, const void *p, size_t n) {
    r->body = malloc(n ? n : 1);
    if (!r->body) {
        response_oom(r);
        return false;
    }
    memcpy(r->body, p, n);
    r->len = n;
    r->http = 200;
    r->json = false;
    return true;
}

/* ---- JSON output: {"output": ...} built in one allocation ------------------------ */

typedef struct jbuf {
    char *p;
    size_t n, cap;
} jbuf;

static bool jb_init(jbuf *b, size_t cap) {
    b->p = malloc(cap);
    b->n = 0;
    b->cap = cap;
    return b->p != NULL;
}
/* Callers size the buffer up front; these only check. */
static void jb_str(jbuf *b, const char *s) {
    size_t n = strlen(s);
    if (b->n + n <= b->cap) memcpy(b->p + b->n, s, n), b->n += n;
}
static void jb_hex(jbuf *b, const uint8_t *p, size_t n) {
    if (b->n + 2 * n + 4 > b->cap) return;
    b->p[b->n++] = '"';
    b->n = (size_t)(svc_hex_encode(b->p + b->n, p, n) - b->p);
    b->p[b->n++] = '"';
}
/* A JSON array of count hex strings of `size` bytes each. */
static void jb_hex_list(jbuf *b, const uint8_t *p, size_t count, size_t size) {
    jb_str(b, "[");
    for (size_t i = 0; i < count; i++) {
        if (i) jb_str(b, ",");
        jb_hex(b, p + i * size, size);
    }
    jb_str(b, "]");
}
static size_t hex_list_size(size_t count, size_t size) { return 2 + count * (2 * size + 5); }

static void jb_finish(jbuf *b, svc_response *r) {
    r->http = 200;
    r->json = true;
    r->body = (uint8_t *)b->p;
    r->len = b->n;
}

static void output_bool(svc_response *r, bool binary, bool ok) {
    if (binary) {
        uint8_t v = ok;
        response_bytes(r, &v, 1);
        return;
    }
    const char *s = ok ? "{\"output\":true}" : "{\"output\":false}";
    if (response_bytes(r, s, strlen(s))) r->json = true;
}

static void output_hex(svc_response *r, bool binary, const uint8_t *p, size_t n) {
    if (binary) {
        response_bytes(r, p, n);
        return;
    }
    jbuf b;
    if (!jb_init(&b, 16 + 2 * n + 4)) return response_oom(r);
    jb_str(&b, "{\"output\":");
    jb_hex(&b, p, n);
    jb_str(&b, "}");
    jb_finish(&b, r);
}

/* Two lists [[a...], [b...]] (cells and proofs), or in binary a ‖ b. */
static void output_two_lists(svc_response *r, bool binary, const uint8_t *a, size_t an,
                             size_t asize, const uint8_t *b_, size_t bn, size_t bsize) {
    if (binary) {
        r->body = malloc(an * asize + bn * bsize);
        if (!r->body) return response_oom(r);
        memcpy(r->body, a, an * asize);
        memcpy(r->body + an * asize, b_, bn * bsize);
        r->len = an * asize + bn * bsize;
        r->http = 200;
        r->json = false;
        return;
    }
    jbuf b;
    if (!jb_init(&b, 32 + hex_list_size(an, asize) + hex_list_size(bn, bsize)))
        return response_oom(r);
    jb_str(&b, "{\"output\":[");
    jb_hex_list(&b, a, an, asize);
    jb_str(&b, ",");
    jb_hex_list(&b, b_, bn, bsize);
    jb_str(&b, "]}");
    jb_finish(&b, r);
}

/* ---- JSON input ------------------------------------------------------------------ */

/* Decodes one JSON value that must be a 0x-hex string of exactly `size` bytes. `name` and
 * `idx` (SIZE_MAX: not in a list) name it in the error: KZG_ERR_LENGTH for well-formed hex
 * of another length (as the library would say), KZG_ERR_BAD_ARG for anything else. */
static bool decode_hex_value(svc_response *r, const cJSON *v, const char *name, size_t idx,
                             uint8_t *out, size_t size) {
    char where[96];
    if (idx == SIZE_MAX) snprintf(where, sizeof where, "%s", name);
    else snprintf(where, sizeof where, "%s[%zu]", name, idx);
    if (!cJSON_IsString(v) || !v->valuestring) {
        response_input(r, KZG_ERR_BAD_ARG, "%s: not a string", where);
        return false;
    }
    const char *s = v->valuestring;
    size_t n = strlen(s);
    if (svc_hex_decode(out, size, s, n)) return true;
    bool hex = n >= 2 && n % 2 == 0 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    for (size_t i = 2; hex && i < n; i++)
        hex = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
              (s[i] >= 'A' && s[i] <= 'F');
    if (hex)
        response_input(r, KZG_ERR_LENGTH, "%s: %zu bytes, expected %zu", where, (n - 2) / 2, size);
    else
        response_input(r, KZG_ERR_BAD_ARG, "%s: not a 0x-prefixed hex string", where);
    return false;
}

/* The input object's field `name`, a hex string of exactly `len` bytes. */
static bool in_hex(svc_response *r, const cJSON *in, const char *name, uint8_t *out, size_t len) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(in, name);
    if (!v) {
        response_input(r, KZG_ERR_BAD_ARG, "input: missing field \"%s\"", name);
        return false;
    }
    return decode_hex_value(r, v, name, SIZE_MAX, out, len);
}

/* The input object's array field `name`: *count items, at most max. */
static const cJSON *in_array(svc_response *r, const cJSON *in, const char *name, size_t max,
                             size_t *count) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(in, name);
    if (!v) {
        response_input(r, KZG_ERR_BAD_ARG, "input: missing field \"%s\"", name);
        return NULL;
    }
    if (!cJSON_IsArray(v)) {
        response_input(r, KZG_ERR_BAD_ARG, "%s: not an array", name);
        return NULL;
    }
    size_t n = (size_t)cJSON_GetArraySize(v);
    if (n > max) {
        svc_response_error(r, 413, "too_large", "%s: %zu items, at most %zu in one request", name,
                           n, max);
        return NULL;
    }
    *count = n;
    return v;
}

/* n items of `size` bytes (n may be 0); NULL after writing the out-of-memory answer. */
static void *alloc_n(svc_response *r, size_t n, size_t size) {
    void *p = malloc(n ? n * size : 1);
    if (!p) response_oom(r);
    return p;
}

/* Decodes the array `name` of hex strings of `size` bytes each into a new buffer. */
static uint8_t *in_hex_array(svc_response *r, const cJSON *in, const char *name, size_t size,
                             size_t max, size_t *count) {
    const cJSON *arr = in_array(r, in, name, max, count);
    if (!arr) return NULL;
    uint8_t *out = alloc_n(r, *count, size);
    if (!out) return NULL;
    size_t i = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, arr) {
        if (!decode_hex_value(r, v, name, i, out + i * size, size)) {
            free(out);
            return NULL;
        }
        i++;
    }
    return out;
}

/* cell_indices: non-negative integers (the library checks the range). */
static uint64_t *in_indices(svc_response *r, const cJSON *in, size_t max, size_t *count) {
    const cJSON *arr = in_array(r, in, "cell_indices", max, count);
    if (!arr) return NULL;
    uint64_t *out = alloc_n(r, *count, sizeof *out);
    if (!out) return NULL;
    size_t i = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, arr) {
        double d = cJSON_IsNumber(v) ? v->valuedouble : -1;
        /* Integers up to 2^53 are exact in JSON numbers; anything else is not an index. */
        if (!(d >= 0 && d <= 9007199254740992.0) || d != (double)(uint64_t)d) {
            response_input(r, KZG_ERR_BAD_ARG, "cell_indices[%zu]: not a non-negative integer", i);
            free(out);
            return NULL;
        }
        out[i++] = (uint64_t)d;
    }
    return out;
}

/* ---- the endpoints --------------------------------------------------------------- */

/* Inputs decoded from either encoding, so that each endpoint calls the library once. */
typedef struct req {
    kzg_blob *blobs;               /* n_blobs */
    size_t n_blobs;
    kzg_commitment *commitments;   /* n_commitments */
    size_t n_commitments;
    kzg_proof *proofs;             /* n_proofs */
    size_t n_proofs;
    kzg_cell *cells;               /* n_cells */
    size_t n_cells;
    uint64_t *indices;             /* n_indices */
    size_t n_indices;
    kzg_field_element z, y;
} req;

static void req_free(req *q) {
    free(q->blobs);
    free(q->commitments);
    free(q->proofs);
    free(q->cells);
    free(q->indices);
}

static uint64_t be64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | p[i];
    return v;
}

/* Binary layouts: returns false (with the error written) on a bad length. */
static bool decode_binary(svc_response *r, const svc_api *api, svc_endpoint e, const uint8_t *p,
                          size_t len, req *q) {
    size_t want = 0, record = 0, max_records = 0;
    const char *layout = "";
    switch (e) {
    case SVC_BLOB_TO_KZG_COMMITMENT:
    case SVC_COMPUTE_CELLS:
    case SVC_COMPUTE_CELLS_AND_KZG_PROOFS:
        want = SVC_BLOB, layout = "blob (131072 bytes)";
        break;
    case SVC_COMPUTE_KZG_PROOF: want = SVC_BLOB + SVC_FE, layout = "blob || z"; break;
    case SVC_COMPUTE_BLOB_KZG_PROOF: want = SVC_BLOB + SVC_G1, layout = "blob || commitment"; break;
    case SVC_VERIFY_KZG_PROOF:
        want = 2 * SVC_G1 + 2 * SVC_FE, layout = "commitment || z || y || proof";
        break;
    case SVC_VERIFY_BLOB_KZG_PROOF:
        want = SVC_VERIFY_BATCH_RECORD, layout = "blob || commitment || proof";
        break;
    case SVC_VERIFY_BLOB_KZG_PROOF_BATCH:
        record = SVC_VERIFY_BATCH_RECORD, max_records = api->max_batch;
        layout = "n x (blob || commitment || proof)";
        break;
    case SVC_VERIFY_CELL_KZG_PROOF_BATCH:
        record = SVC_CELL_RECORD, max_records = api->max_batch * SVC_CELLS;
        layout = "n x (commitment || index u64 || cell || proof)";
        break;
    case SVC_RECOVER_CELLS_AND_KZG_PROOFS:
        record = SVC_RECOVER_RECORD, max_records = SVC_CELLS;
        layout = "n x (index u64 || cell)";
        break;
    case SVC_PROCESS_BLOBS:
        record = SVC_BLOB, max_records = api->max_batch, layout = "n x blob";
        break;
    default: svc_response_error(r, 404, "not_found", "unknown endpoint"); return false;
    }
    if (record ? len % record != 0 : len != want) {
        response_input(r, KZG_ERR_LENGTH, "body: %zu bytes, expected %s%zu bytes (%s)", len,
                       record ? "a multiple of " : "", record ? record : want, layout);
        return false;
    }
    size_t n = record ? len / record : 1;
    if (record && n > max_records) {
        svc_response_error(r, 413, "too_large", "body: %zu records, at most %zu in one request", n,
                           max_records);
        return false;
    }
    r->items = n;
    switch (e) {
    case SVC_BLOB_TO_KZG_COMMITMENT:
    case SVC_COMPUTE_CELLS:
    case SVC_COMPUTE_CELLS_AND_KZG_PROOFS:
    case SVC_COMPUTE_KZG_PROOF:
    case SVC_COMPUTE_BLOB_KZG_PROOF:
    case SVC_VERIFY_BLOB_KZG_PROOF:
        if (!(q->blobs = alloc_n(r, 1, sizeof *q->blobs))) return false;
        memcpy(q->blobs, p, SVC_BLOB);
        q->n_blobs = 1;
        if (e == SVC_COMPUTE_KZG_PROOF) memcpy(q->z.bytes, p + SVC_BLOB, SVC_FE);
        if (e == SVC_COMPUTE_BLOB_KZG_PROOF || e == SVC_VERIFY_BLOB_KZG_PROOF) {
            if (!(q->commitments = alloc_n(r, 1, SVC_G1))) return false;
            memcpy(q->commitments, p + SVC_BLOB, SVC_G1);
            q->n_commitments = 1;
        }
        if (e == SVC_VERIFY_BLOB_KZG_PROOF) {
            if (!(q->proofs = alloc_n(r, 1, SVC_G1))) return false;
            memcpy(q->proofs, p + SVC_BLOB + SVC_G1, SVC_G1);
            q->n_proofs = 1;
        }
        return true;
    case SVC_VERIFY_KZG_PROOF:
        if (!(q->commitments = alloc_n(r, 1, SVC_G1)) || !(q->proofs = alloc_n(r, 1, SVC_G1)))
            return false;
        memcpy(q->commitments, p, SVC_G1);
        memcpy(q->z.bytes, p + SVC_G1, SVC_FE);
        memcpy(q->y.bytes, p + SVC_G1 + SVC_FE, SVC_FE);
        memcpy(q->proofs, p + SVC_G1 + 2 * SVC_FE, SVC_G1);
        q->n_commitments = q->n_proofs = 1;
        return true;
    case SVC_VERIFY_BLOB_KZG_PROOF_BATCH:
    case SVC_PROCESS_BLOBS:
        if (!(q->blobs = alloc_n(r, n, sizeof *q->blobs))) return false;
        q->n_blobs = n;
        if (e == SVC_PROCESS_BLOBS) {
            memcpy(q->blobs, p, len);
            return true;
        }
        if (!(q->commitments = alloc_n(r, n, SVC_G1)) || !(q->proofs = alloc_n(r, n, SVC_G1)))
            return false;
        q->n_commitments = q->n_proofs = n;
        for (size_t i = 0; i < n; i++, p += record) {
            memcpy(q->blobs[i].bytes, p, SVC_BLOB);
            memcpy(q->commitments[i].bytes, p + SVC_BLOB, SVC_G1);
            memcpy(q->proofs[i].bytes, p + SVC_BLOB + SVC_G1, SVC_G1);
        }
        return true;
    case SVC_VERIFY_CELL_KZG_PROOF_BATCH:
    case SVC_RECOVER_CELLS_AND_KZG_PROOFS:
        if (!(q->cells = alloc_n(r, n, sizeof *q->cells)) ||
            !(q->indices = alloc_n(r, n, sizeof *q->indices)))
            return false;
        q->n_cells = q->n_indices = n;
        if (e == SVC_RECOVER_CELLS_AND_KZG_PROOFS) {
            for (size_t i = 0; i < n; i++, p += record) {
                q->indices[i] = be64(p);
                memcpy(q->cells[i].bytes, p + 8, SVC_CELL);
            }
            return true;
        }
        if (!(q->commitments = alloc_n(r, n, SVC_G1)) || !(q->proofs = alloc_n(r, n, SVC_G1)))
            return false;
        q->n_commitments = q->n_proofs = n;
        for (size_t i = 0; i < n; i++, p += record) {
            memcpy(q->commitments[i].bytes, p, SVC_G1);
            q->indices[i] = be64(p + SVC_G1);
            memcpy(q->cells[i].bytes, p + SVC_G1 + 8, SVC_CELL);
            memcpy(q->proofs[i].bytes, p + SVC_G1 + 8 + SVC_CELL, SVC_G1);
        }
        return true;
    default: return false;
    }
}

/* JSON: the reference test case's input object. */
static bool decode_json(svc_response *r, const svc_api *api, svc_endpoint e, const uint8_t *p,
                        size_t len, req *q) {
    cJSON *root = cJSON_ParseWithLength((const char *)p, len);
    bool ok = false;
    size_t max_cells = api->max_batch * SVC_CELLS;
    if (!root) {
        response_input(r, KZG_ERR_BAD_ARG, "body: not valid JSON");
        return false;
    }
    if (!cJSON_IsObject(root)) {
        response_input(r, KZG_ERR_BAD_ARG, "body: not a JSON object");
        goto out;
    }
    bool one_blob = e == SVC_BLOB_TO_KZG_COMMITMENT || e == SVC_COMPUTE_KZG_PROOF ||
                    e == SVC_COMPUTE_BLOB_KZG_PROOF || e == SVC_VERIFY_BLOB_KZG_PROOF ||
                    e == SVC_COMPUTE_CELLS || e == SVC_COMPUTE_CELLS_AND_KZG_PROOFS;
    if (one_blob) {
        if (!(q->blobs = alloc_n(r, 1, sizeof *q->blobs))) goto out;
        q->n_blobs = 1;
        r->items = 1;
        if (!in_hex(r, root, "blob", q->blobs->bytes, SVC_BLOB)) goto out;
    }
    if (e == SVC_COMPUTE_KZG_PROOF || e == SVC_VERIFY_KZG_PROOF)
        if (!in_hex(r, root, "z", q->z.bytes, SVC_FE)) goto out;
    if (e == SVC_VERIFY_KZG_PROOF && !in_hex(r, root, "y", q->y.bytes, SVC_FE)) goto out;
    if (e == SVC_COMPUTE_BLOB_KZG_PROOF || e == SVC_VERIFY_BLOB_KZG_PROOF ||
        e == SVC_VERIFY_KZG_PROOF) {
        if (!(q->commitments = alloc_n(r, 1, SVC_G1))) goto out;
        q->n_commitments = 1;
        if (!in_hex(r, root, "commitment", q->commitments->bytes, SVC_G1)) goto out;
    }
    if (e == SVC_VERIFY_BLOB_KZG_PROOF || e == SVC_VERIFY_KZG_PROOF) {
        if (!(q->proofs = alloc_n(r, 1, SVC_G1))) goto out;
        q->n_proofs = 1;
        if (!in_hex(r, root, "proof", q->proofs->bytes, SVC_G1)) goto out;
    }
    switch (e) {
    case SVC_VERIFY_BLOB_KZG_PROOF_BATCH:
        if (!(q->blobs = (kzg_blob *)in_hex_array(r, root, "blobs", SVC_BLOB, api->max_batch,
                                                  &q->n_blobs)))
            goto out;
        if (!(q->commitments = (kzg_commitment *)in_hex_array(
                  r, root, "commitments", SVC_G1, api->max_batch, &q->n_commitments)))
            goto out;
        if (!(q->proofs = (kzg_proof *)in_hex_array(r, root, "proofs", SVC_G1, api->max_batch,
                                                    &q->n_proofs)))
            goto out;
        r->items = q->n_blobs;
        break;
    case SVC_PROCESS_BLOBS:
        if (!(q->blobs = (kzg_blob *)in_hex_array(r, root, "blobs", SVC_BLOB, api->max_batch,
                                                  &q->n_blobs)))
            goto out;
        r->items = q->n_blobs;
        break;
    case SVC_VERIFY_CELL_KZG_PROOF_BATCH:
        if (!(q->commitments = (kzg_commitment *)in_hex_array(r, root, "commitments", SVC_G1,
                                                              max_cells, &q->n_commitments)))
            goto out;
        if (!(q->indices = in_indices(r, root, max_cells, &q->n_indices))) goto out;
        if (!(q->cells = (kzg_cell *)in_hex_array(r, root, "cells", SVC_CELL, max_cells,
                                                  &q->n_cells)))
            goto out;
        if (!(q->proofs = (kzg_proof *)in_hex_array(r, root, "proofs", SVC_G1, max_cells,
                                                    &q->n_proofs)))
            goto out;
        r->items = q->n_cells;
        break;
    case SVC_RECOVER_CELLS_AND_KZG_PROOFS:
        /* More than 128 cells is the library's KZG_ERR_LENGTH; twice that bounds the work. */
        if (!(q->indices = in_indices(r, root, 2 * SVC_CELLS, &q->n_indices))) goto out;
        if (!(q->cells = (kzg_cell *)in_hex_array(r, root, "cells", SVC_CELL, 2 * SVC_CELLS,
                                                  &q->n_cells)))
            goto out;
        r->items = q->n_cells;
        break;
    default: break;
    }
    ok = true;
out:
    cJSON_Delete(root);
    return ok;
}

/* Arrays that the spec pairs up must have one length. */
static bool same_lengths(svc_response *r, const char *what, size_t a, size_t b, size_t c,
                         size_t d) {
    if (a == b && b == c && (d == (size_t)-1 || c == d)) return true;
    response_input(r, KZG_ERR_LENGTH, "%s: the lists differ in length", what);
    return false;
}

void svc_handle(const svc_api *api, svc_endpoint e, bool binary, const uint8_t *body,
                size_t len, svc_response *out) {
    req q;
    kzg_status st = KZG_OK;
    bool ok = false;
    memset(&q, 0, sizeof q);
    memset(out, 0, sizeof *out);
    if ((unsigned)e >= SVC_N_ENDPOINTS) {
        svc_response_error(out, 404, "not_found", "unknown endpoint");
        return;
    }
    if (!body) len = 0;
    static const uint8_t empty[1];
    if (!body) body = empty;
    if (!(binary ? decode_binary(out, api, e, body, len, &q) : decode_json(out, api, e, body, len, &q)))
        goto done;

    switch (e) {
    case SVC_BLOB_TO_KZG_COMMITMENT: {
        kzg_commitment c;
        if ((st = kzg_blob_to_kzg_commitment(api->ctx, &c, q.blobs)) != KZG_OK) break;
        output_hex(out, binary, c.bytes, SVC_G1);
        break;
    }
    case SVC_COMPUTE_KZG_PROOF: {
        kzg_proof pr;
        kzg_field_element y;
        if ((st = kzg_compute_kzg_proof(api->ctx, &pr, &y, q.blobs, &q.z)) != KZG_OK) break;
        if (binary) {
            uint8_t b[SVC_G1 + SVC_FE];
            memcpy(b, pr.bytes, SVC_G1);
            memcpy(b + SVC_G1, y.bytes, SVC_FE);
            response_bytes(out, b, sizeof b);
        } else {
            jbuf b;
            if (!jb_init(&b, 32 + 2 * (SVC_G1 + SVC_FE) + 16)) {
                response_oom(out);
                break;
            }
            jb_str(&b, "{\"output\":[");
            jb_hex(&b, pr.bytes, SVC_G1);
            jb_str(&b, ",");
            jb_hex(&b, y.bytes, SVC_FE);
            jb_str(&b, "]}");
            jb_finish(&b, out);
        }
        break;
    }
    case SVC_COMPUTE_BLOB_KZG_PROOF: {
        kzg_proof pr;
        if ((st = kzg_compute_blob_kzg_proof(api->ctx, &pr, q.blobs, q.commitments)) != KZG_OK)
            break;
        output_hex(out, binary, pr.bytes, SVC_G1);
        break;
    }
    case SVC_VERIFY_KZG_PROOF:
        if ((st = kzg_verify_kzg_proof(api->ctx, &ok, q.commitments, &q.z, &q.y, q.proofs)) ==
            KZG_OK)
            output_bool(out, binary, ok);
        break;
    case SVC_VERIFY_BLOB_KZG_PROOF:
        if ((st = kzg_verify_blob_kzg_proof(api->ctx, &ok, q.blobs, q.commitments, q.proofs)) ==
            KZG_OK)
            output_bool(out, binary, ok);
        break;
    case SVC_VERIFY_BLOB_KZG_PROOF_BATCH:
        if (!same_lengths(out, "blobs, commitments, proofs", q.n_blobs, q.n_commitments,
                          q.n_proofs, (size_t)-1))
            goto done;
        if ((st = kzg_verify_blob_kzg_proof_batch(api->ctx, &ok, q.blobs, q.commitments,
                                                  q.proofs, q.n_blobs)) == KZG_OK)
            output_bool(out, binary, ok);
        break;
    case SVC_COMPUTE_CELLS:
    case SVC_COMPUTE_CELLS_AND_KZG_PROOFS: {
        kzg_cell *cells = alloc_n(out, SVC_CELLS, sizeof *cells);
        kzg_proof *proofs = alloc_n(out, SVC_CELLS, sizeof *proofs);
        if (cells && proofs) {
            if (e == SVC_COMPUTE_CELLS) {
                if ((st = kzg_compute_cells(api->ctx, cells, q.blobs)) == KZG_OK) {
                    if (binary) {
                        response_bytes(out, cells, SVC_CELLS * sizeof *cells);
                    } else {
                        jbuf b;
                        if (jb_init(&b, 32 + hex_list_size(SVC_CELLS, SVC_CELL))) {
                            jb_str(&b, "{\"output\":");
                            jb_hex_list(&b, cells->bytes, SVC_CELLS, SVC_CELL);
                            jb_str(&b, "}");
                            jb_finish(&b, out);
                        } else {
                            response_oom(out);
                        }
                    }
                }
            } else if ((st = kzg_compute_cells_and_kzg_proofs(api->ctx, cells, proofs,
                                                              q.blobs)) == KZG_OK) {
                output_two_lists(out, binary, cells->bytes, SVC_CELLS, SVC_CELL, proofs->bytes,
                                 SVC_CELLS, SVC_G1);
            }
        }
        free(cells);
        free(proofs);
        break;
    }
    case SVC_VERIFY_CELL_KZG_PROOF_BATCH:
        if (!same_lengths(out, "commitments, cell_indices, cells, proofs", q.n_commitments,
                          q.n_indices, q.n_cells, q.n_proofs))
            goto done;
        if ((st = kzg_verify_cell_kzg_proof_batch(api->ctx, &ok, q.commitments, q.indices,
                                                  q.cells, q.proofs, q.n_cells)) == KZG_OK)
            output_bool(out, binary, ok);
        break;
    case SVC_RECOVER_CELLS_AND_KZG_PROOFS: {
        if (!same_lengths(out, "cell_indices, cells", q.n_indices, q.n_cells, q.n_cells,
                          (size_t)-1))
            goto done;
        kzg_cell *cells = alloc_n(out, SVC_CELLS, sizeof *cells);
        kzg_proof *proofs = alloc_n(out, SVC_CELLS, sizeof *proofs);
        if (cells && proofs &&
            (st = kzg_recover_cells_and_kzg_proofs(api->ctx, cells, proofs, q.indices, q.cells,
                                                   q.n_cells)) == KZG_OK)
            output_two_lists(out, binary, cells->bytes, SVC_CELLS, SVC_CELL, proofs->bytes,
                             SVC_CELLS, SVC_G1);
        free(cells);
        free(proofs);
        break;
    }
    case SVC_PROCESS_BLOBS: {
        if (!api->processor) {
            svc_response_error(out, 500, "internal", "the batch processor is not available");
            goto done;
        }
        kzg_commitment *cs = alloc_n(out, q.n_blobs, sizeof *cs);
        kzg_proof *ps = alloc_n(out, q.n_blobs, sizeof *ps);
        if (cs && ps &&
            (st = kzg_processor_run(api->processor, cs, ps, NULL, q.blobs, q.n_blobs)) ==
                KZG_OK) {
            if (binary) {
                out->body = malloc(q.n_blobs ? q.n_blobs * 2 * SVC_G1 : 1);
                if (out->body) {
                    for (size_t i = 0; i < q.n_blobs; i++) {
                        memcpy(out->body + 2 * i * SVC_G1, cs[i].bytes, SVC_G1);
                        memcpy(out->body + (2 * i + 1) * SVC_G1, ps[i].bytes, SVC_G1);
                    }
                    out->len = q.n_blobs * 2 * SVC_G1;
                    out->http = 200;
                } else {
                    response_oom(out);
                }
            } else {
                jbuf b;
                if (jb_init(&b, 64 + 2 * hex_list_size(q.n_blobs, SVC_G1))) {
                    jb_str(&b, "{\"output\":{\"commitments\":");
                    jb_hex_list(&b, cs->bytes, q.n_blobs, SVC_G1);
                    jb_str(&b, ",\"proofs\":");
                    jb_hex_list(&b, ps->bytes, q.n_blobs, SVC_G1);
                    jb_str(&b, "}}");
                    jb_finish(&b, out);
                } else {
                    response_oom(out);
                }
            }
        }
        free(cs);
        free(ps);
        break;
    }
    default: break;
    }
    if (st != KZG_OK) response_status(out, st, NULL);
    else if (out->http == 0) response_oom(out);
done:
    req_free(&q);
}
