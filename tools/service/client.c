/* tools/service/client.c — the service's client on libcurl (contract: client.h).
 *
 * One easy handle per client: libcurl keeps the connection open between calls (HTTP/1.1
 * keep-alive) as long as the same handle is reused, which is what makes a loadgen thread
 * or a check-vectors run cost one TCP handshake rather than one per request. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "client.h"

struct svc_client {
    CURL *h;
    char *base;        /* normalised: scheme://host[:port][/prefix], no trailing "/" */
    char *given;       /* as the caller wrote it, for messages */
    char *url;         /* base + the path of the current call */
    size_t url_cap;
    struct curl_slist *hdr_binary, *hdr_json, *hdr_get;
    svc_reply *reply;  /* the answer being received */
    size_t body_cap;
    bool overflow;     /* the answer passed SVC_CLIENT_MAX_ANSWER */
    char curl_error[CURL_ERROR_SIZE];
};

static void set_why(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_why(char *why, size_t len, const char *fmt, ...) {
    va_list ap;
    if (!why || len == 0) return;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
}

/* ---- global initialisation ---------------------------------------------------------- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result = CURLE_FAILED_INIT;

static void curl_init_once(void) { curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT); }

/* ---- the token ------------------------------------------------------------------------ */

static bool token_ok(const char *t) {
    if (*t == '\0') return false;
    for (; *t; t++)
        if ((unsigned char)*t < 0x20 || *t == 0x7f) return false; /* would split the header */
    return true;
}

bool svc_client_token_from_env(char **token, char *why, size_t why_len) {
    const char *env = getenv("KZGKIT_TOKEN"), *file = getenv("KZGKIT_TOKEN_FILE");
    *token = NULL;
    if (env && *env) {
        if (!token_ok(env)) {
            set_why(why, why_len, "KZGKIT_TOKEN holds a control character");
            return false;
        }
        *token = strdup(env);
        if (!*token) set_why(why, why_len, "out of memory");
        return *token != NULL;
    }
    if (file && *file) {
        char line[4096];
        size_t n;
        FILE *f = fopen(file, "r");
        if (!f) {
            set_why(why, why_len, "KZGKIT_TOKEN_FILE '%s': %s", file, strerror(errno));
            return false;
        }
        if (!fgets(line, sizeof line, f)) line[0] = '\0';
        fclose(f);
        n = strlen(line);
        while (n > 0 && isspace((unsigned char)line[n - 1])) line[--n] = '\0';
        if (!token_ok(line)) {
            set_why(why, why_len, "KZGKIT_TOKEN_FILE '%s': %s", file,
                    "the first line is empty or holds a control character");
            return false;
        }
        *token = strdup(line);
        if (!*token) set_why(why, why_len, "out of memory");
        return *token != NULL;
    }
    return true;
}

/* ---- receiving ------------------------------------------------------------------------ */

static size_t on_body(char *data, size_t size, size_t nmemb, void *user) {
    svc_client *c = user;
    svc_reply *r = c->reply;
    size_t n = size * nmemb;
    if (n > SVC_CLIENT_MAX_ANSWER - r->len) {
        c->overflow = true;
        return 0; /* libcurl stops the transfer: CURLE_WRITE_ERROR */
    }
    if (r->len + n + 1 > c->body_cap) {
        size_t cap = c->body_cap ? c->body_cap : 4096;
        uint8_t *p;
        while (cap < r->len + n + 1) cap *= 2;
        if (!(p = realloc(r->body, cap))) return 0;
        r->body = p;
        c->body_cap = cap;
    }
    memcpy(r->body + r->len, data, n);
    r->len += n;
    r->body[r->len] = '\0';
    return n;
}

/* Header `line` (n bytes, CRLF included) named `name`: its value trimmed into buf. */
static bool header_value(const char *line, size_t n, const char *name, char *buf, size_t len) {
    size_t k = strlen(name), v, e;
    if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':') return false;
    for (v = k + 1; v < n && (line[v] == ' ' || line[v] == '\t'); v++) {}
    for (e = n; e > v && isspace((unsigned char)line[e - 1]); e--) {}
    if (e - v >= len) e = v + len - 1;
    memcpy(buf, line + v, e - v);
    buf[e - v] = '\0';
    return true;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *user) {
    svc_client *c = user;
    svc_reply *r = c->reply;
    size_t n = size * nmemb;
    char value[128];
    if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) { /* a new answer (after a 100 Continue) */
        r->json = false;
        r->retry_after_s = -1;
    } else if (header_value(data, n, "Content-Type", value, sizeof value)) {
        r->json = strncasecmp(value, "application/json", 16) == 0;
    } else if (header_value(data, n, "Retry-After", value, sizeof value)) {
        char *end;
        double s = strtod(value, &end);
        if (end != value && s >= 0) r->retry_after_s = s;
    }
    return n;
}

/* ---- the client ----------------------------------------------------------------------- */

static struct curl_slist *headers(const char *content_type, const char *auth) {
    struct curl_slist *l = NULL, *t;
    /* "Expect:" stops libcurl from waiting for a 100 Continue before large bodies. */
    const char *lines[3] = {"Expect:", content_type, auth};
    for (int i = 0; i < 3; i++) {
        if (!lines[i]) continue;
        if (!(t = curl_slist_append(l, lines[i]))) {
            curl_slist_free_all(l);
            return NULL;
        }
        l = t;
    }
    return l;
}

svc_client *svc_client_new(const char *base_url, const char *token, char *why, size_t why_len) {
    svc_client *c = NULL;
    char *auth = NULL;
    size_t n;
    const char *sep = strstr(base_url, "://");

    pthread_once(&curl_once, curl_init_once);
    if (curl_init_result != CURLE_OK) {
        set_why(why, why_len, "libcurl: %s", curl_easy_strerror(curl_init_result));
        return NULL;
    }
    for (const char *p = base_url; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
            set_why(why, why_len, "not a URL (white space or a control character)");
            return NULL;
        }
    if (sep && !(sep - base_url == 4 && strncasecmp(base_url, "http", 4) == 0) &&
        !(sep - base_url == 5 && strncasecmp(base_url, "https", 5) == 0)) {
        set_why(why, why_len, "only http:// and https:// URLs");
        return NULL;
    }
    if (*base_url == '\0' || (sep && sep[3] == '\0')) {
        set_why(why, why_len, "no host");
        return NULL;
    }
    if (!(c = calloc(1, sizeof *c))) goto oom;
    n = strlen(base_url);
    while (n > 0 && base_url[n - 1] == '/') n--;
    if (!(c->given = strdup(base_url))) goto oom;
    if (!(c->base = malloc(n + 8))) goto oom;
    snprintf(c->base, n + 8, "%s%.*s", sep ? "" : "http://", (int)n, base_url);
    c->url_cap = strlen(c->base) + 64;
    if (!(c->url = malloc(c->url_cap))) goto oom;
    if (token) {
        size_t alen = strlen(token) + 32;
        if (!(auth = malloc(alen))) goto oom;
        snprintf(auth, alen, "Authorization: Bearer %s", token);
    }
    if (!(c->hdr_binary = headers("Content-Type: application/octet-stream", auth)) ||
        !(c->hdr_json = headers("Content-Type: application/json", auth)) ||
        !(c->hdr_get = headers(NULL, auth)))
        goto oom;
    if (auth) { /* the header lists hold copies; this one held the secret */
        memset(auth, 0, strlen(auth));
        free(auth);
        auth = NULL;
    }
    if (!(c->h = curl_easy_init())) goto oom;
    curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for timeouts */
    curl_easy_setopt(c->h, CURLOPT_CONNECTTIMEOUT, (long)SVC_CLIENT_CONNECT_TIMEOUT_S);
    curl_easy_setopt(c->h, CURLOPT_TIMEOUT, (long)SVC_CLIENT_TOTAL_TIMEOUT_S);
    curl_easy_setopt(c->h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(c->h, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85 */
    curl_easy_setopt(c->h, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
    curl_easy_setopt(c->h, CURLOPT_ERRORBUFFER, c->curl_error);
    curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c->h, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(c->h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c->h, CURLOPT_HEADERDATA, c);
    return c;
oom:
    if (auth) {
        memset(auth, 0, strlen(auth));
        free(auth);
    }
    svc_client_free(c);
    set_why(why, why_len, "out of memory");
    return NULL;
}

void svc_client_free(svc_client *c) {
    if (!c) return;
    if (c->h) curl_easy_cleanup(c->h);
    curl_slist_free_all(c->hdr_binary);
    curl_slist_free_all(c->hdr_json);
    curl_slist_free_all(c->hdr_get);
    free(c->base);
    free(c->given);
    free(c->url);
    free(c);
}

const char *svc_client_url(const svc_client *c) { return c->given; }

void svc_reply_clear(svc_reply *r) {
    free(r->body);
    memset(r, 0, sizeof *r);
    r->retry_after_s = -1;
}

/* Fills error/message/status from an error body, when it is one. */
static void parse_error_body(svc_reply *r) {
    cJSON *doc, *name, *msg;
    if (r->len == 0) return;
    doc = cJSON_ParseWithLength((const char *)r->body, r->len);
    if (!doc) return;
    name = cJSON_GetObjectItemCaseSensitive(doc, "error");
    msg = cJSON_GetObjectItemCaseSensitive(doc, "message");
    if (cJSON_IsString(name)) {
        snprintf(r->error, sizeof r->error, "%s", name->valuestring);
        r->is_status = svc_status_parse(r->error, &r->status);
    }
    if (cJSON_IsString(msg)) snprintf(r->message, sizeof r->message, "%s", msg->valuestring);
    cJSON_Delete(doc);
}

static bool perform(svc_client *c, const char *path, svc_reply *out) {
    size_t need = strlen(c->base) + strlen(path) + 1;
    CURLcode rc;
    long code = 0;
    memset(out, 0, sizeof *out);
    out->retry_after_s = -1;
    if (need > c->url_cap) {
        char *u = realloc(c->url, need);
        if (!u) {
            snprintf(out->message, sizeof out->message, "out of memory");
            return false;
        }
        c->url = u;
        c->url_cap = need;
    }
    snprintf(c->url, c->url_cap, "%s%s", c->base, path);
    curl_easy_setopt(c->h, CURLOPT_URL, c->url);
    c->reply = out;
    c->body_cap = 0;
    c->overflow = false;
    c->curl_error[0] = '\0';
    rc = curl_easy_perform(c->h);
    c->reply = NULL;
    if (rc != CURLE_OK) {
        free(out->body);
        out->body = NULL;
        out->len = 0;
        out->json = false;
        if (c->overflow)
            snprintf(out->message, sizeof out->message, "answer larger than %u MiB",
                     SVC_CLIENT_MAX_ANSWER >> 20);
        else
            snprintf(out->message, sizeof out->message, "%s",
                     c->curl_error[0] ? c->curl_error : curl_easy_strerror(rc));
        return false;
    }
    curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &code);
    out->http = (int)code;
    if (!out->body && !(out->body = calloc(1, 1))) { /* a NUL-terminated empty body */
        out->http = 0;
        snprintf(out->message, sizeof out->message, "out of memory");
        return false;
    }
    if (code < 200 || code > 299) parse_error_body(out);
    return true;
}

bool svc_client_call(svc_client *c, svc_endpoint e, bool json, const uint8_t *body, size_t len,
                     svc_reply *out) {
    char path[96];
    snprintf(path, sizeof path, "/v1/%s", svc_endpoint_name(e));
    curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, json ? c->hdr_json : c->hdr_binary);
    curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    /* An empty body still needs a non-NULL pointer, or libcurl reads it with READFUNCTION. */
    curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, body && len ? (const char *)body : "");
    return perform(c, path, out);
}

bool svc_client_get(svc_client *c, const char *path, svc_reply *out) {
    curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->hdr_get);
    curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
    return perform(c, path, out);
}

void svc_reply_describe(const svc_reply *r, char *buf, size_t len) {
    if (r->http == 0)
        snprintf(buf, len, "%s", r->message[0] ? r->message : "no answer");
    else if (r->error[0] && r->message[0])
        snprintf(buf, len, "HTTP %d %s: %s", r->http, r->error, r->message);
    else if (r->error[0])
        snprintf(buf, len, "HTTP %d %s", r->http, r->error);
    else
        snprintf(buf, len, "HTTP %d", r->http);
}

/* ---- JSON values ----------------------------------------------------------------------- */

/* Appends the 0x-hex strings of v (recursively) to out; false with why on anything else. */
static bool flatten(const cJSON *v, uint8_t *out, size_t cap, size_t *len, char *why,
                    size_t why_len) {
    if (cJSON_IsString(v)) {
        const char *s = v->valuestring;
        size_t n = strlen(s), bytes;
        if (n < 2 || n % 2 != 0) {
            set_why(why, why_len, "output holds a string that is not 0x-hex");
            return false;
        }
        bytes = (n - 2) / 2;
        if (bytes > cap - *len) {
            set_why(why, why_len, "output longer than expected");
            return false;
        }
        if (!svc_hex_decode(out + *len, bytes, s, n)) {
            set_why(why, why_len, "output holds a string that is not 0x-hex");
            return false;
        }
        *len += bytes;
        return true;
    }
    if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
        for (const cJSON *e = v->child; e; e = e->next)
            if (!flatten(e, out, cap, len, why, why_len)) return false;
        return true;
    }
    set_why(why, why_len, "output holds a value that is neither 0x-hex nor a list");
    return false;
}

bool svc_json_output(const uint8_t *body, size_t body_len, uint8_t *out, size_t cap,
                     size_t *len, int *boolean, char *why, size_t why_len) {
    cJSON *doc = cJSON_ParseWithLength((const char *)body, body_len), *v;
    bool ok = false;
    *len = 0;
    *boolean = -1;
    if (!doc) {
        set_why(why, why_len, "the answer is not JSON");
        return false;
    }
    v = cJSON_GetObjectItemCaseSensitive(doc, "output");
    if (!v) {
        set_why(why, why_len, "the answer has no \"output\"");
    } else if (cJSON_IsBool(v)) {
        *boolean = cJSON_IsTrue(v) ? 1 : 0;
        ok = true;
    } else {
        ok = flatten(v, out, cap, len, why, why_len);
    }
    cJSON_Delete(doc);
    return ok;
}

/* ---- building JSON text ------------------------------------------------------------------ */

static bool text_reserve(svc_text *t, size_t more) {
    size_t cap;
    char *p;
    if (t->failed) return false;
    if (t->len + more + 1 <= t->cap) return true;
    cap = t->cap ? t->cap : 256;
    while (cap < t->len + more + 1) cap *= 2;
    if (!(p = realloc(t->p, cap))) {
        t->failed = true;
        return false;
    }
    t->p = p;
    t->cap = cap;
    return true;
}

void svc_text_put(svc_text *t, const char *s, size_t n) {
    if (!text_reserve(t, n)) return;
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

void svc_text_puts(svc_text *t, const char *s) { svc_text_put(t, s, strlen(s)); }

void svc_text_hex(svc_text *t, const uint8_t *p, size_t n) {
    if (!text_reserve(t, 2 * n + 4)) return;
    t->p[t->len++] = '"';
    t->len = (size_t)(svc_hex_encode(t->p + t->len, p, n) - t->p);
    t->p[t->len++] = '"';
    t->p[t->len] = '\0';
}

void svc_text_hex_list(svc_text *t, const uint8_t *p, size_t size, size_t stride, size_t count) {
    svc_text_puts(t, "[");
    for (size_t i = 0; i < count; i++) {
        if (i) svc_text_puts(t, ",");
        svc_text_hex(t, p + i * stride, size);
    }
    svc_text_puts(t, "]");
}

void svc_text_u64(svc_text *t, uint64_t v) {
    char buf[24];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    svc_text_puts(t, buf);
}

void svc_text_free(svc_text *t) {
    free(t->p);
    memset(t, 0, sizeof *t);
}

/* ---- binary bodies as JSON ---------------------------------------------------------------- */

/* One field of an endpoint's binary record: its JSON name and size (8: a big-endian u64
 * index). */
typedef struct field {
    const char *name;
    size_t size;
} field;

typedef struct layout {
    bool list;       /* n records, each field a JSON list; else exactly one record */
    int n_fields;
    field f[4];
} layout;

static const layout layouts[SVC_N_ENDPOINTS] = {
    [SVC_BLOB_TO_KZG_COMMITMENT] = {false, 1, {{"blob", SVC_BLOB}}},
    [SVC_COMPUTE_KZG_PROOF] = {false, 2, {{"blob", SVC_BLOB}, {"z", SVC_FE}}},
    [SVC_COMPUTE_BLOB_KZG_PROOF] = {false, 2, {{"blob", SVC_BLOB}, {"commitment", SVC_G1}}},
    [SVC_VERIFY_KZG_PROOF] = {false, 4, {{"commitment", SVC_G1}, {"z", SVC_FE}, {"y", SVC_FE},
                                         {"proof", SVC_G1}}},
    [SVC_VERIFY_BLOB_KZG_PROOF] = {false, 3, {{"blob", SVC_BLOB}, {"commitment", SVC_G1},
                                              {"proof", SVC_G1}}},
    [SVC_VERIFY_BLOB_KZG_PROOF_BATCH] = {true, 3, {{"blobs", SVC_BLOB}, {"commitments", SVC_G1},
                                                   {"proofs", SVC_G1}}},
    [SVC_COMPUTE_CELLS] = {false, 1, {{"blob", SVC_BLOB}}},
    [SVC_COMPUTE_CELLS_AND_KZG_PROOFS] = {false, 1, {{"blob", SVC_BLOB}}},
    [SVC_VERIFY_CELL_KZG_PROOF_BATCH] = {true, 4, {{"commitments", SVC_G1}, {"cell_indices", 8},
                                                   {"cells", SVC_CELL}, {"proofs", SVC_G1}}},
    [SVC_RECOVER_CELLS_AND_KZG_PROOFS] = {true, 2, {{"cell_indices", 8}, {"cells", SVC_CELL}}},
    [SVC_PROCESS_BLOBS] = {true, 1, {{"blobs", SVC_BLOB}}},
};

bool svc_json_from_binary(svc_text *t, svc_endpoint e, const uint8_t *body, size_t len) {
    const layout *l;
    size_t record = 0, n, offset = 0;
    if ((unsigned)e >= SVC_N_ENDPOINTS) return false;
    l = &layouts[e];
    for (int i = 0; i < l->n_fields; i++) record += l->f[i].size;
    if (len % record != 0 || (!l->list && len != record)) return false;
    n = len / record;
    svc_text_puts(t, "{");
    for (int i = 0; i < l->n_fields; i++) {
        if (i) svc_text_puts(t, ",");
        svc_text_puts(t, "\"");
        svc_text_puts(t, l->f[i].name);
        svc_text_puts(t, "\":");
        if (l->f[i].size == 8) { /* indices */
            svc_text_puts(t, "[");
            for (size_t k = 0; k < n; k++) {
                const uint8_t *p = body + k * record + offset;
                uint64_t v = 0;
                for (int b = 0; b < 8; b++) v = v << 8 | p[b];
                if (k) svc_text_puts(t, ",");
                svc_text_u64(t, v);
            }
            svc_text_puts(t, "]");
        } else if (l->list) {
            svc_text_hex_list(t, body + offset, l->f[i].size, record, n);
        } else {
            svc_text_hex(t, body + offset, l->f[i].size);
        }
        offset += l->f[i].size;
    }
    svc_text_puts(t, "}");
    return !t->failed;
}
