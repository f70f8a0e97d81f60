/*
 * tools/service/service.h — `kzgkit serve`: KZG over HTTP, and its client side.
 *
 * Owns: the wire protocol (endpoints, JSON and binary bodies, error bodies, status names),
 * request handling without HTTP (svc_handle: a body in, a response out — what the fuzz
 * target drives), the HTTP server on libmicrohttpd (server.c), the HTTP client on libcurl
 * (client.c: `kzgkit --remote`, `kzgkit loadgen`). May call: the public API
 * (include/kzgkit.h) only. Never part of libkzgkit.
 *
 * The protocol, in one place (docs/SERVICE.md has it with curl examples):
 *   POST /v1/FUNCTION   FUNCTION one of svc_endpoints[] (the consensus-spec names, plus
 *                       process_blobs: the batch processor).
 *     Content-Type: application/json — the body is a reference test case's `input` object
 *       (same field names, 0x-hex strings, integer cell indices); a success answers 200
 *       {"output": ...} exactly as the case's `output` (true/false for a verification).
 *     Content-Type: application/octet-stream — fixed binary layouts (below); a success
 *       answers 200 with the raw output bytes (a verification: one byte, 1 or 0).
 *   Errors answer a JSON body {"error": NAME, "message": DETAIL} with NAME a kzg_status
 *   identifier ("KZG_ERR_LENGTH", ...) for invalid input (400), else one of the service's
 *   names: "not_found" 404, "method_not_allowed" 405, "too_large" 413,
 *   "unsupported_media_type" 415, "overloaded" 429 (with Retry-After), "unauthorized" 401,
 *   "forbidden" 403, "timeout" 503, "draining" 503, "internal" 500.
 *
 * Binary layouts (sizes in bytes; integers big-endian; n from the body length):
 *   blob_to_kzg_commitment       blob 131072                        -> commitment 48
 *   compute_kzg_proof            blob ‖ z 32                        -> proof 48 ‖ y 32
 *   compute_blob_kzg_proof       blob ‖ commitment 48               -> proof 48
 *   verify_kzg_proof             commitment ‖ z ‖ y ‖ proof (160)   -> 1 byte
 *   verify_blob_kzg_proof        blob ‖ commitment ‖ proof          -> 1 byte
 *   verify_blob_kzg_proof_batch  n × (blob ‖ commitment ‖ proof)    -> 1 byte
 *   compute_cells                blob                               -> 128 × cell 2048
 *   compute_cells_and_kzg_proofs blob                               -> 128 cells ‖ 128 proofs
 *   verify_cell_kzg_proof_batch  n × (commitment ‖ index u64 ‖ cell ‖ proof) (2152 each)
 *                                                                   -> 1 byte
 *   recover_cells_and_kzg_proofs n × (index u64 ‖ cell) (2056 each) -> 128 cells ‖ 128 proofs
 *   process_blobs                n × blob                           -> n × (commitment ‖ proof)
 *   process_blobs in JSON: {"blobs": [...]} -> {"output": {"commitments": [...], "proofs": [...]}}
 */
#ifndef KZGKIT_SERVICE_H
#define KZGKIT_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kzgkit.h"

/* ---- endpoints ------------------------------------------------------------------- */

typedef enum svc_endpoint {
    SVC_BLOB_TO_KZG_COMMITMENT,
    SVC_COMPUTE_KZG_PROOF,
    SVC_COMPUTE_BLOB_KZG_PROOF,
    SVC_VERIFY_KZG_PROOF,
    SVC_VERIFY_BLOB_KZG_PROOF,
    SVC_VERIFY_BLOB_KZG_PROOF_BATCH,
    SVC_COMPUTE_CELLS,
    SVC_COMPUTE_CELLS_AND_KZG_PROOFS,
    SVC_VERIFY_CELL_KZG_PROOF_BATCH,
    SVC_RECOVER_CELLS_AND_KZG_PROOFS,
    SVC_PROCESS_BLOBS,
    SVC_N_ENDPOINTS
} svc_endpoint;

/* The function name of an endpoint ("blob_to_kzg_commitment"; the URL is /v1/NAME). */
const char *svc_endpoint_name(svc_endpoint e);
/* The endpoint for a function name, or -1. */
int svc_endpoint_find(const char *name, size_t len);

/* Fixed binary sizes. */
#define SVC_BLOB KZG_BYTES_PER_BLOB
#define SVC_G1 KZG_BYTES_PER_G1
#define SVC_FE KZG_BYTES_PER_FIELD_ELEMENT
#define SVC_CELL KZG_BYTES_PER_CELL
#define SVC_CELLS KZG_CELLS_PER_EXT_BLOB
#define SVC_VERIFY_BATCH_RECORD (SVC_BLOB + 2 * SVC_G1)
#define SVC_CELL_RECORD (SVC_G1 + 8 + SVC_CELL + SVC_G1) /* 2152 */
#define SVC_RECOVER_RECORD (8 + SVC_CELL)                 /* 2056 */

/* ---- status names ---------------------------------------------------------------- */

/* "KZG_OK", "KZG_ERR_LENGTH", ... (the enum's identifier), or NULL for an unknown value. */
const char *svc_status_name(kzg_status st);
/* The status for an identifier; false when the name is not a kzg_status. */
bool svc_status_parse(const char *name, kzg_status *out);

/* ---- request handling without HTTP ----------------------------------------------- */

/* What one request needs: the context, the batch processor, the limits. Shared by every
 * worker thread (all of it is thread-safe or read-only). */
typedef struct svc_api {
    const kzg_ctx *ctx;
    kzg_processor *processor; /* for process_blobs; NULL: the endpoint answers 500 */
    size_t max_batch;         /* most blobs in one request (batch verify, process_blobs);
                                 cells: max_batch × 128 */
} svc_api;

typedef struct svc_response {
    int http;          /* 200, 400, ... */
    bool json;         /* body is application/json (else application/octet-stream) */
    uint8_t *body;     /* malloc'd (free with svc_response_clear) */
    size_t len;
    kzg_status status; /* the library's status for a 400 (KZG_OK otherwise) */
    uint64_t items;    /* work items in the request (blobs, cells), for metrics */
} svc_response;

/* Handles one request body for endpoint e: binary (application/octet-stream) or JSON.
 * Always fills *out (an error body on failure; 500 "internal" only when even that cannot
 * be allocated, with a static body). Never crashes on any input. */
void svc_handle(const svc_api *api, svc_endpoint e, bool binary, const uint8_t *body,
                size_t len, svc_response *out);
void svc_response_clear(svc_response *r);
/* An error response {"error": name, "message": msg}. */
void svc_response_error(svc_response *r, int http, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- server (server.c) ------------------------------------------------------------ */

typedef struct svc_config {
    const char *listen;        /* "ADDR:PORT" ("[::1]:PORT" for IPv6); default 127.0.0.1:8484 */
    const char *setup_path;    /* NULL: the embedded mainnet setup */
    uint32_t threads;          /* worker threads (requests computed at once); 0: 1 */
    size_t max_body;           /* bytes; larger bodies get 413 */
    size_t max_batch;          /* see svc_api */
    uint32_t queue;            /* requests waiting for a worker; beyond: 429 */
    size_t cache_bytes;        /* result caches (context + processor), 0: none */
    const char *token_file;    /* bearer token file; NULL: no authentication */
    uint32_t request_timeout_s; /* whole request, first byte to answer */
    uint32_t idle_timeout_s;   /* a connection with no traffic is closed */
    uint32_t max_connections;
    uint32_t drain_timeout_s;  /* SIGTERM: wait at most this long for in-flight requests */
    const char *port_file;     /* write the bound port there once listening (for scripts) */
    const char *profile_path;  /* tuning profile (KZGKIT_PROFILE), NULL: none */
} svc_config;

#define SVC_DEFAULT_PORT 8484
#define SVC_DEFAULT_MAX_BODY (64u << 20)
#define SVC_DEFAULT_MAX_BATCH 64
#define SVC_DEFAULT_QUEUE 64
#define SVC_DEFAULT_REQUEST_TIMEOUT 60
#define SVC_DEFAULT_IDLE_TIMEOUT 30
#define SVC_DEFAULT_MAX_CONNECTIONS 256
#define SVC_DEFAULT_DRAIN_TIMEOUT 30

/* Runs the service until SIGTERM or SIGINT, then drains and returns 0; returns 2 after
 * printing one line on stderr when it cannot start (bad address, port in use, bad token
 * file, setup). */
int svc_serve(const svc_config *cfg);

/* ---- small shared helpers (protocol.c) --------------------------------------------- */

/* Strict hex: "0x" then exactly 2·len hex digits (either case). */
bool svc_hex_decode(uint8_t *out, size_t len, const char *s, size_t n);
/* Writes 0x + lowercase hex of p[0..n) at dst (2n + 2 bytes, no NUL); returns dst's end. */
char *svc_hex_encode(char *dst, const uint8_t *p, size_t n);
/* Compares a and b in time that depends only on their lengths (bearer tokens). */
bool svc_equal_ct(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

#endif
