/*
 * tools/service/client.h — the client side of `kzgkit serve`, on libcurl.
 *
 * Owns: one connection to a service (a libcurl easy handle, kept alive and reused between
 * calls), the bearer token from the environment, the request's headers and timeouts, and
 * the reading of answers: raw bytes, {"output": ...} and the error body {"error": NAME,
 * "message": DETAIL}. Used by `kzgkit --remote` and `kzgkit loadgen`. May call: libcurl,
 * cJSON, service.h (names) and the public API's types.
 *
 * Threads: a client belongs to one thread at a time (libcurl's rule for an easy handle);
 * a program that calls from several threads opens one client per thread. Nothing here
 * retries: the caller decides (loadgen does, the CLI does not).
 */
#ifndef KZGKIT_SERVICE_CLIENT_H
#define KZGKIT_SERVICE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service.h"

#define SVC_CLIENT_CONNECT_TIMEOUT_S 5
#define SVC_CLIENT_TOTAL_TIMEOUT_S 120
/* Answers larger than this are refused (the largest legitimate one, process_blobs of
 * max_batch blobs or 128 cells with proofs as JSON, is a few MiB). */
#define SVC_CLIENT_MAX_ANSWER (256u << 20)

typedef struct svc_client svc_client;

/* One answer, or why there is none. */
typedef struct svc_reply {
    int http;             /* the HTTP status; 0 when no answer came (transport error) */
    bool json;            /* the answer's Content-Type is application/json */
    uint8_t *body;        /* the answer's bytes (malloc'd, NUL-terminated, not counted) */
    size_t len;
    double retry_after_s; /* Retry-After in seconds, -1 when absent */
    /* For an error answer with a well-formed error body: its NAME and DETAIL; for a
     * transport error: "" and curl's message. */
    char error[64];
    char message[1024];
    bool is_status;       /* error names a kzg_status ... */
    kzg_status status;    /* ... which is this one */
} svc_reply;

/* Reads the bearer token: $KZGKIT_TOKEN, else the first line of the file named by
 * $KZGKIT_TOKEN_FILE (trailing white space dropped), else none (*token = NULL). Returns
 * false with a reason in why (why_len bytes) when the file cannot be read or the token is
 * empty or holds a control character. Free *token with free(). */
bool svc_client_token_from_env(char **token, char *why, size_t why_len);

/* A client for the service at base_url ("http://127.0.0.1:8484", a bare "HOST:PORT" is
 * taken as http; a trailing "/" is ignored). token: sent as "Authorization: Bearer TOKEN"
 * when not NULL. Returns NULL with a reason in why on failure (bad URL, no memory). */
svc_client *svc_client_new(const char *base_url, const char *token, char *why, size_t why_len);
void svc_client_free(svc_client *c);
/* The base URL as given (for messages). */
const char *svc_client_url(const svc_client *c);

/* POSTs body[0..len) to /v1/NAME of endpoint e, as application/json when json, else
 * application/octet-stream, and fills *out (cleared first). Returns true when an HTTP
 * answer came, whatever its status; false on a transport error (out->http == 0,
 * out->message says why). An error answer (status other than 2xx) has its error body
 * parsed into out->error/message/status when it is one. */
bool svc_client_call(svc_client *c, svc_endpoint e, bool json, const uint8_t *body, size_t len,
                     svc_reply *out);
/* GETs PATH ("/readyz") into *out; as svc_client_call. */
bool svc_client_get(svc_client *c, const char *path, svc_reply *out);
void svc_reply_clear(svc_reply *r);

/* One line describing a failed call: "HTTP 401 unauthorized: bad token", "HTTP 502",
 * or the transport error. */
void svc_reply_describe(const svc_reply *r, char *buf, size_t len);

/* ---- the JSON protocol's values ---------------------------------------------------- */

/* The value of {"output": VALUE} in a JSON answer, flattened: a bool sets *boolean (0/1)
 * and leaves *len 0; anything else sets *boolean -1 and writes the concatenation of every
 * 0x-hex string in document order (lists of lists, an object's members in order) into
 * out (cap bytes). Returns false with a reason in why on anything else. */
bool svc_json_output(const uint8_t *body, size_t body_len, uint8_t *out, size_t cap,
                     size_t *len, int *boolean, char *why, size_t why_len);

/* A growing text buffer for building JSON request bodies. */
typedef struct svc_text {
    char *p;
    size_t len, cap;
    bool failed; /* an allocation failed: p holds what fit, the body is unusable */
} svc_text;

void svc_text_put(svc_text *t, const char *s, size_t n);
void svc_text_puts(svc_text *t, const char *s);
/* "0x..." with the quotes. */
void svc_text_hex(svc_text *t, const uint8_t *p, size_t n);
/* ["0x..", "0x..", ...]: count items of size bytes, item i at p + i * stride. */
void svc_text_hex_list(svc_text *t, const uint8_t *p, size_t size, size_t stride, size_t count);
void svc_text_u64(svc_text *t, uint64_t v);
void svc_text_free(svc_text *t);

/* The JSON body equivalent to a binary body of endpoint e (the reference tests' field
 * names; cell indices as integers). Returns false when len is not a whole number of the
 * endpoint's records (or t->failed after an allocation failure). */
bool svc_json_from_binary(svc_text *t, svc_endpoint e, const uint8_t *body, size_t len);

#endif
