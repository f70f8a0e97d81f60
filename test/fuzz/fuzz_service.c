/* test/fuzz/fuzz_service.c — `kzgkit serve`'s request handling (svc_handle) on raw bodies.
 * Input: MODE, then the body. MODE % 11 is the endpoint; MODE & 0x80 binary
 * (application/octet-stream), else JSON; with MODE & 0x40 (JSON only) the body is not taken
 * as is but built from the bytes: the endpoint's input object with every field present,
 * each a 0x-hex string of the right size filled from the input (so that the library is
 * reached past the JSON layer), cell indices from single bytes.
 * Properties: an answer always comes (an HTTP status the protocol names), a 200 is JSON
 * {"output": ...} or the binary output's exact size, every error is JSON {"error":
 * NAME, "message": ...} with a known name, and a 400's name is a kzg_status. */
#include <cjson/cJSON.h>

#include "fuzz_common.h"
#include "service.h"

static svc_api *api(void) {
    static svc_api a;
    static kzg_processor *p;
    if (!a.ctx) {
        FUZZ_CHECK(kzg_processor_new(&p, fuzz_ctx(), NULL) == KZG_OK);
        a.ctx = fuzz_ctx();
        a.processor = p;
        a.max_batch = 4;
    }
    return &a;
}

/* The binary output size of a 200 for endpoint e with n input records. */
static size_t binary_output_size(svc_endpoint e, size_t in_len) {
    switch (e) {
    case SVC_BLOB_TO_KZG_COMMITMENT:
    case SVC_COMPUTE_BLOB_KZG_PROOF: return SVC_G1;
    case SVC_COMPUTE_KZG_PROOF: return SVC_G1 + SVC_FE;
    case SVC_VERIFY_KZG_PROOF:
    case SVC_VERIFY_BLOB_KZG_PROOF:
    case SVC_VERIFY_BLOB_KZG_PROOF_BATCH:
    case SVC_VERIFY_CELL_KZG_PROOF_BATCH: return 1;
    case SVC_COMPUTE_CELLS: return SVC_CELLS * SVC_CELL;
    case SVC_COMPUTE_CELLS_AND_KZG_PROOFS:
    case SVC_RECOVER_CELLS_AND_KZG_PROOFS: return SVC_CELLS * (SVC_CELL + SVC_G1);
    case SVC_PROCESS_BLOBS: return in_len / SVC_BLOB * 2 * SVC_G1;
    default: return 0;
    }
}

/* Appends "name":"0x<hex of size bytes from r>" (zero-padded when r runs out). */
static char *put_hex(char *w, const char *name, fuzz_reader *r, size_t size) {
    uint8_t *b = calloc(1, size);
    FUZZ_CHECK(b != NULL);
    fuzz_take(r, b, size);
    w += sprintf(w, "\"%s\":\"", name);
    w = svc_hex_encode(w, b, size);
    *w++ = '"';
    free(b);
    return w;
}

static char *put_hex_list(char *w, const char *name, fuzz_reader *r, size_t size, size_t n) {
    w += sprintf(w, "\"%s\":[", name);
    for (size_t i = 0; i < n; i++) {
        uint8_t *b = calloc(1, size);
        FUZZ_CHECK(b != NULL);
        fuzz_take(r, b, size);
        if (i) *w++ = ',';
        *w++ = '"';
        w = svc_hex_encode(w, b, size);
        *w++ = '"';
        free(b);
    }
    *w++ = ']';
    return w;
}

/* The structured JSON body for endpoint e (see the top). */
static char *structured(svc_endpoint e, fuzz_reader *r, size_t *len) {
    size_t n = fuzz_byte(r) % 5; /* list lengths 0..4 */
    char *buf = malloc(16 * (SVC_BLOB + 1024)), *w = buf;
    FUZZ_CHECK(buf != NULL);
    *w++ = '{';
    switch (e) {
    case SVC_BLOB_TO_KZG_COMMITMENT:
    case SVC_COMPUTE_CELLS:
    case SVC_COMPUTE_CELLS_AND_KZG_PROOFS: w = put_hex(w, "blob", r, SVC_BLOB); break;
    case SVC_COMPUTE_KZG_PROOF:
        w = put_hex(w, "blob", r, SVC_BLOB), *w++ = ',', w = put_hex(w, "z", r, SVC_FE);
        break;
    case SVC_COMPUTE_BLOB_KZG_PROOF:
        w = put_hex(w, "blob", r, SVC_BLOB), *w++ = ',';
        w = put_hex(w, "commitment", r, SVC_G1);
        break;
    case SVC_VERIFY_KZG_PROOF:
        w = put_hex(w, "commitment", r, SVC_G1), *w++ = ',';
        w = put_hex(w, "z", r, SVC_FE), *w++ = ',', w = put_hex(w, "y", r, SVC_FE), *w++ = ',';
        w = put_hex(w, "proof", r, SVC_G1);
        break;
    case SVC_VERIFY_BLOB_KZG_PROOF:
        w = put_hex(w, "blob", r, SVC_BLOB), *w++ = ',';
        w = put_hex(w, "commitment", r, SVC_G1), *w++ = ',', w = put_hex(w, "proof", r, SVC_G1);
        break;
    case SVC_VERIFY_BLOB_KZG_PROOF_BATCH:
        w = put_hex_list(w, "blobs", r, SVC_BLOB, n), *w++ = ',';
        w = put_hex_list(w, "commitments", r, SVC_G1, n), *w++ = ',';
        w = put_hex_list(w, "proofs", r, SVC_G1, n);
        break;
    case SVC_PROCESS_BLOBS: w = put_hex_list(w, "blobs", r, SVC_BLOB, n); break;
    case SVC_VERIFY_CELL_KZG_PROOF_BATCH:
    case SVC_RECOVER_CELLS_AND_KZG_PROOFS:
        if (e == SVC_VERIFY_CELL_KZG_PROOF_BATCH)
            w = put_hex_list(w, "commitments", r, SVC_G1, n), *w++ = ',';
        w += sprintf(w, "\"cell_indices\":[");
        for (size_t i = 0; i < n; i++) w += sprintf(w, "%s%u", i ? "," : "", fuzz_byte(r));
        w += sprintf(w, "],");
        w = put_hex_list(w, "cells", r, SVC_CELL, n);
        if (e == SVC_VERIFY_CELL_KZG_PROOF_BATCH)
            *w++ = ',', w = put_hex_list(w, "proofs", r, SVC_G1, n);
        break;
    default: break;
    }
    *w++ = '}';
    *len = (size_t)(w - buf);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_reader r = {data, size};
    unsigned mode = fuzz_byte(&r);
    svc_endpoint e = (svc_endpoint)(mode % SVC_N_ENDPOINTS);
    bool binary = (mode & 0x80) != 0;
    char *built = NULL;
    const uint8_t *body = r.p;
    size_t len = r.left;
    if (!binary && (mode & 0x40)) {
        built = structured(e, &r, &len);
        body = (const uint8_t *)built;
    }
    svc_response out;
    svc_handle(api(), e, binary, body, len, &out);
    FUZZ_CHECK(out.body != NULL);
    if (out.http == 200 && !out.json) { /* (process_blobs of no blobs: an empty answer) */
        FUZZ_CHECK(binary);
        FUZZ_CHECK(out.len == binary_output_size(e, len));
    } else {
        FUZZ_CHECK(out.json && out.len > 0);
        cJSON *j = cJSON_ParseWithLength((const char *)out.body, out.len);
        FUZZ_CHECK(j != NULL);
        if (out.http == 200) {
            FUZZ_CHECK(cJSON_GetObjectItemCaseSensitive(j, "output") != NULL);
        } else {
            const cJSON *name = cJSON_GetObjectItemCaseSensitive(j, "error");
            FUZZ_CHECK(cJSON_IsString(name));
            FUZZ_CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "message")));
            kzg_status st;
            if (out.http == 400) FUZZ_CHECK(svc_status_parse(name->valuestring, &st) && st != KZG_OK);
            else FUZZ_CHECK(out.http == 413 || out.http == 500 || out.http == 503);
        }
        cJSON_Delete(j);
    }
    svc_response_clear(&out);
    free(built);
    return 0;
}
