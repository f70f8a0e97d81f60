/* tools/service/server.c — `kzgkit serve`: the HTTP server on libmicrohttpd.
 *
 * Threads: one libmicrohttpd polling thread reads requests and writes responses (epoll, no
 * computation, no JSON parsing); `threads` workers compute. A request whose body has
 * arrived is queued (bounded: `queue`), its connection suspended; a worker runs svc_handle
 * and resumes the connection with the answer. What is refused before any work:
 *   - a body over max_body (413, from Content-Length before reading it, else while reading);
 *   - a full queue, or request bodies in memory over the budget (429 + Retry-After);
 *   - a draining server (503 + Connection: close), a bad token (401/403).
 * A refusal decided from the headers (other than a declared body over max_body) is sent once
 * the body has been read and dropped, so that a client still sending gets the answer.
 * Memory is bounded by the budget on buffered bodies (4 × max_body, at least 256 MiB) plus
 * what the workers decode (at most threads requests at a time), never by the client count.
 * GET /healthz, /readyz and /metrics are answered on the polling thread.
 * SIGTERM/SIGINT: stop accepting, answer new requests on open connections with 503,
 * finish everything accepted (at most drain_timeout_s), exit 0. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <openssl/evp.h>

#include "common/files.h"
#include "service.h"

/* ---- service metrics ------------------------------------------------------------- */

/* Status codes the service answers; the last slot counts any other. */
static const int http_codes[] = {200, 400, 401, 403, 404, 405, 413, 415, 429, 500, 503, 0};
#define N_CODES (sizeof http_codes / sizeof http_codes[0])
/* Latency histogram bounds, seconds (Prometheus `le`), then +Inf. */
static const double lat_bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                    0.25,  0.5,    1,     2.5,  5,    10,   30};
#define N_BOUNDS (sizeof lat_bounds / sizeof lat_bounds[0])
/* Routes for metrics: the endpoints, then the GET paths and everything else. */
enum { ROUTE_METRICS = SVC_N_ENDPOINTS, ROUTE_HEALTHZ, ROUTE_READYZ, ROUTE_OTHER, N_ROUTES };
static const char *route_name(int r) {
    switch (r) {
    case ROUTE_METRICS: return "metrics";
    case ROUTE_HEALTHZ: return "healthz";
    case ROUTE_READYZ: return "readyz";
    case ROUTE_OTHER: return "other";
    default: return svc_endpoint_name((svc_endpoint)r);
    }
}

typedef struct route_stats {
    atomic_uint_fast64_t by_code[N_CODES];
    atomic_uint_fast64_t buckets[N_BOUNDS + 1]; /* not cumulative; last: +Inf */
    atomic_uint_fast64_t sum_us;
    atomic_uint_fast64_t items;
} route_stats;

/* ---- the server ------------------------------------------------------------------ */

enum { REQ_READING, REQ_QUEUED, REQ_RUNNING, REQ_DONE };

typedef struct request {
    struct MHD_Connection *conn;
    struct server *srv;
    int route;
    bool binary;
    bool is_get;              /* GET /metrics, /healthz, /readyz */
    int state;
    int reject_http;          /* an answer decided before the body's end; 0: none */
    const char *reject_name;
    char reject_msg[160];
    uint8_t *body;
    size_t len, cap, charged; /* charged: bytes counted against the buffer budget */
    uint64_t t0_ns;           /* first call (headers received) */
    svc_response resp;
    struct request *next;     /* queue link */
} request;

typedef struct server {
    const svc_config *cfg;
    svc_api api;
    kzg_ctx *ctx;
    kzg_metrics *metrics;
    struct MHD_Daemon *daemon;
    uint8_t token_hash[32];
    bool have_token;
    size_t buffer_budget;
    atomic_size_t buffered;       /* body bytes held by requests */
    atomic_uint_fast64_t in_flight; /* accepted, answer not yet written out */
    atomic_uint_fast64_t running;
    atomic_uint_fast64_t rejected_overload;
    atomic_int draining;
    /* queue */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    request *head, *tail;
    size_t queued;
    bool stop;
    pthread_t *workers;
    uint32_t n_workers;
    uint64_t start_unix;
    route_stats routes[N_ROUTES];
} server;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void record(server *s, int route, int http, uint64_t t0, uint64_t items) {
    route_stats *rs = &s->routes[route];
    size_t c = N_CODES - 1;
    for (size_t i = 0; i + 1 < N_CODES; i++)
        if (http_codes[i] == http) c = i;
    atomic_fetch_add(&rs->by_code[c], 1);
    uint64_t us = (now_ns() - t0) / 1000;
    double sec = (double)us / 1e6;
    size_t b = N_BOUNDS;
    for (size_t i = 0; i < N_BOUNDS; i++)
        if (sec <= lat_bounds[i]) {
            b = i;
            break;
        }
    atomic_fetch_add(&rs->buckets[b], 1);
    atomic_fetch_add(&rs->sum_us, us);
    atomic_fetch_add(&rs->items, items);
}

/* ---- responses ------------------------------------------------------------------- */

static enum MHD_Result send_bytes(server *s, request *rq, int route, int http, bool json,
                                  uint8_t *body, size_t len, bool must_free, bool close,
                                  uint64_t items) {
    struct MHD_Response *r;
    if (must_free)
        r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    else
        r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_COPY);
    if (!r) {
        if (must_free) free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            json ? "application/json" : "application/octet-stream");
    if (http == 429 || (http == 503 && atomic_load(&s->draining)))
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    if (http == 401) MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"kzgkit\"");
    if (close) MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ret = MHD_queue_response(rq->conn, (unsigned)http, r);
    MHD_destroy_response(r);
    record(s, route, http, rq->t0_ns, items);
    return ret;
}

static enum MHD_Result send_error(server *s, request *rq, int http, const char *name,
                                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static enum MHD_Result send_error(server *s, request *rq, int http, const char *name,
                                  const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    svc_response r;
    memset(&r, 0, sizeof r);
    svc_response_error(&r, http, name, "%s", msg);
    /* A refused body may still be arriving: close the connection rather than read it. */
    bool close = rq->state == REQ_READING || atomic_load(&s->draining);
    enum MHD_Result ret = send_bytes(s, rq, rq->route, r.http, true, r.body, r.len, false, close, 0);
    svc_response_clear(&r);
    return ret;
}

static enum MHD_Result send_text(server *s, request *rq, int route, int http, const char *ctype,
                                 char *text, size_t len) {
    struct MHD_Response *r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    enum MHD_Result ret = MHD_queue_response(rq->conn, (unsigned)http, r);
    MHD_destroy_response(r);
    record(s, route, http, rq->t0_ns, 0);
    return ret;
}

/* ---- /metrics -------------------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t n, cap;
    bool failed;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...) {
    if (b->failed) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->failed = true;
            return;
        }
        if (b->p && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 65536;
        while (cap < b->n + (size_t)k + 1) cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q) {
            b->failed = true;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
}

static bool is_ready(server *s) {
    pthread_mutex_lock(&s->mu);
    bool room = s->queued < s->cfg->queue;
    pthread_mutex_unlock(&s->mu);
    return room && !atomic_load(&s->draining) && atomic_load(&s->buffered) < s->buffer_budget;
}

/* The service's own metrics, then the library's (kzg_metrics_write_prometheus). */
static char *metrics_text(server *s, struct MHD_Connection *conn, size_t *len) {
    sbuf b = {0};
    sb_printf(&b, "# HELP kzgkit_http_requests_total HTTP requests answered, by route and status code.\n"
                  "# TYPE kzgkit_http_requests_total counter\n");
    for (int r = 0; r < N_ROUTES; r++)
        for (size_t c = 0; c < N_CODES; c++) {
            uint64_t v = atomic_load(&s->routes[r].by_code[c]);
            if (v == 0 && !(r < SVC_N_ENDPOINTS && http_codes[c] == 200)) continue;
            if (http_codes[c])
                sb_printf(&b, "kzgkit_http_requests_total{route=\"%s\",code=\"%d\"} %llu\n",
                          route_name(r), http_codes[c], (unsigned long long)v);
            else
                sb_printf(&b, "kzgkit_http_requests_total{route=\"%s\",code=\"other\"} %llu\n",
                          route_name(r), (unsigned long long)v);
        }
    sb_printf(&b, "# HELP kzgkit_http_request_duration_seconds Time from the request's headers to its answer.\n"
                  "# TYPE kzgkit_http_request_duration_seconds histogram\n");
    for (int r = 0; r < N_ROUTES; r++) {
        uint64_t cum = 0;
        for (size_t i = 0; i < N_BOUNDS; i++) {
            cum += atomic_load(&s->routes[r].buckets[i]);
            sb_printf(&b, "kzgkit_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                      route_name(r), lat_bounds[i], (unsigned long long)cum);
        }
        cum += atomic_load(&s->routes[r].buckets[N_BOUNDS]);
        sb_printf(&b, "kzgkit_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                  route_name(r), (unsigned long long)cum);
        sb_printf(&b, "kzgkit_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", route_name(r),
                  (double)atomic_load(&s->routes[r].sum_us) / 1e6);
        sb_printf(&b, "kzgkit_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                  route_name(r), (unsigned long long)cum);
    }
    sb_printf(&b, "# HELP kzgkit_http_items_total Work items (blobs, cells) in answered requests.\n"
                  "# TYPE kzgkit_http_items_total counter\n");
    for (int r = 0; r < SVC_N_ENDPOINTS; r++)
        sb_printf(&b, "kzgkit_http_items_total{route=\"%s\"} %llu\n", route_name(r),
                  (unsigned long long)atomic_load(&s->routes[r].items));
    pthread_mutex_lock(&s->mu);
    size_t queued = s->queued;
    pthread_mutex_unlock(&s->mu);
    /* The daemon through the connection: s->daemon is written by the main thread after
     * the polling thread may already be serving. */
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_DAEMON);
    const union MHD_DaemonInfo *di =
        ci ? MHD_get_daemon_info(ci->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS) : NULL;
    sb_printf(&b,
              "# HELP kzgkit_http_queue_depth Requests waiting for a worker.\n"
              "# TYPE kzgkit_http_queue_depth gauge\nkzgkit_http_queue_depth %zu\n"
              "# HELP kzgkit_http_queue_capacity Most requests that may wait (--queue).\n"
              "# TYPE kzgkit_http_queue_capacity gauge\nkzgkit_http_queue_capacity %u\n"
              "# HELP kzgkit_http_in_flight Requests accepted and not yet answered (queued or running).\n"
              "# TYPE kzgkit_http_in_flight gauge\nkzgkit_http_in_flight %llu\n"
              "# HELP kzgkit_http_running Requests a worker is computing.\n"
              "# TYPE kzgkit_http_running gauge\nkzgkit_http_running %llu\n"
              "# HELP kzgkit_http_workers Worker threads (--threads).\n"
              "# TYPE kzgkit_http_workers gauge\nkzgkit_http_workers %u\n"
              "# HELP kzgkit_http_connections Open client connections.\n"
              "# TYPE kzgkit_http_connections gauge\nkzgkit_http_connections %u\n"
              "# HELP kzgkit_http_buffered_bytes Request bodies held in memory.\n"
              "# TYPE kzgkit_http_buffered_bytes gauge\nkzgkit_http_buffered_bytes %zu\n"
              "# HELP kzgkit_http_buffer_budget_bytes Most request-body bytes held at once.\n"
              "# TYPE kzgkit_http_buffer_budget_bytes gauge\nkzgkit_http_buffer_budget_bytes %zu\n"
              "# HELP kzgkit_http_overload_rejections_total Requests refused with 429 (queue or buffer full).\n"
              "# TYPE kzgkit_http_overload_rejections_total counter\nkzgkit_http_overload_rejections_total %llu\n"
              "# HELP kzgkit_http_ready 1 when /readyz answers 200.\n"
              "# TYPE kzgkit_http_ready gauge\nkzgkit_http_ready %d\n"
              "# HELP kzgkit_http_draining 1 after SIGTERM.\n"
              "# TYPE kzgkit_http_draining gauge\nkzgkit_http_draining %d\n"
              "# HELP kzgkit_process_start_time_seconds Start of the service, Unix time.\n"
              "# TYPE kzgkit_process_start_time_seconds gauge\nkzgkit_process_start_time_seconds %llu\n",
              queued, s->cfg->queue, (unsigned long long)atomic_load(&s->in_flight),
              (unsigned long long)atomic_load(&s->running), s->n_workers,
              di ? di->num_connections : 0u, atomic_load(&s->buffered), s->buffer_budget,
              (unsigned long long)atomic_load(&s->rejected_overload), is_ready(s) ? 1 : 0,
              atomic_load(&s->draining) ? 1 : 0, (unsigned long long)s->start_unix);
    kzg_metrics_stats *st = malloc(sizeof *st);
    if (st && kzg_metrics_snapshot(s->metrics, st) == KZG_OK) {
        size_t need = 0;
        kzg_metrics_write_prometheus(NULL, 0, &need, st);
        char *lib = malloc(need + 1);
        if (lib && kzg_metrics_write_prometheus(lib, need + 1, &need, st) == KZG_OK)
            sb_printf(&b, "%s", lib);
        free(lib);
    }
    free(st);
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    *len = b.n;
    return b.p;
}

/* ---- authentication -------------------------------------------------------------- */

static void sha256(const void *p, size_t n, uint8_t out[32]) {
    unsigned len = 32;
    if (!EVP_Digest(p, n, out, &len, EVP_sha256(), NULL)) memset(out, 0, 32);
}

/* 0 when allowed, else the HTTP status to answer (401 without a token, 403 with a wrong
 * one). Digests are compared, in constant time, so that neither the token's bytes nor its
 * length show in the timing. */
static int check_token(server *s, struct MHD_Connection *c) {
    if (!s->have_token) return 0;
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || strncasecmp(h, "Bearer ", 7) != 0) return 401;
    const char *t = h + 7;
    while (*t == ' ') t++;
    uint8_t d[32];
    sha256(t, strlen(t), d);
    return svc_equal_ct(d, 32, s->token_hash, 32) ? 0 : 403;
}

/* ---- workers --------------------------------------------------------------------- */

static void *worker_main(void *arg) {
    server *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        while (!s->head && !s->stop) pthread_cond_wait(&s->cv, &s->mu);
        if (!s->head) {
            pthread_mutex_unlock(&s->mu);
            return NULL;
        }
        request *rq = s->head;
        s->head = rq->next;
        if (!s->head) s->tail = NULL;
        s->queued--;
        rq->state = REQ_RUNNING;
        pthread_mutex_unlock(&s->mu);
        atomic_fetch_add(&s->running, 1);
        uint64_t waited = now_ns() - rq->t0_ns;
        if (waited > (uint64_t)s->cfg->request_timeout_s * 1000000000u) {
            svc_response_error(&rq->resp, 503, "timeout",
                               "waited %.1f s for a worker (--request-timeout %u s)",
                               (double)waited / 1e9, s->cfg->request_timeout_s);
        } else {
            svc_handle(&s->api, (svc_endpoint)rq->route, rq->binary, rq->body, rq->len, &rq->resp);
        }
        /* The body is no longer needed: give its bytes back to the budget now. */
        free(rq->body);
        rq->body = NULL;
        atomic_fetch_sub(&s->buffered, rq->charged);
        rq->charged = 0;
        atomic_fetch_sub(&s->running, 1);
        pthread_mutex_lock(&s->mu);
        rq->state = REQ_DONE;
        pthread_mutex_unlock(&s->mu);
        MHD_resume_connection(rq->conn);
    }
}

/* ---- the access handler ---------------------------------------------------------- */

static bool charge(server *s, request *rq, size_t n) {
    size_t cur = atomic_load(&s->buffered);
    do {
        if (cur + n > s->buffer_budget) return false;
    } while (!atomic_compare_exchange_weak(&s->buffered, &cur, cur + n));
    rq->charged += n;
    return true;
}

static bool append_body(server *s, request *rq, const char *data, size_t n) {
    if (rq->len + n > s->cfg->max_body) {
        rq->reject_http = 413;
        rq->reject_name = "too_large";
        snprintf(rq->reject_msg, sizeof rq->reject_msg, "body over %zu bytes (--max-body)",
                 s->cfg->max_body);
        return false;
    }
    if (rq->len + n > rq->cap) {
        size_t cap = rq->cap ? rq->cap : 4096;
        while (cap < rq->len + n) cap *= 2;
        if (cap > s->cfg->max_body) cap = s->cfg->max_body;
        if (cap > rq->charged && !charge(s, rq, cap - rq->charged)) {
            atomic_fetch_add(&s->rejected_overload, 1);
            rq->reject_http = 429;
            rq->reject_name = "overloaded";
            snprintf(rq->reject_msg, sizeof rq->reject_msg,
                     "request bodies in memory at the budget (%zu bytes); retry later",
                     s->buffer_budget);
            return false;
        }
        uint8_t *p = realloc(rq->body, cap);
        if (!p) {
            rq->reject_http = 503;
            rq->reject_name = "internal";
            snprintf(rq->reject_msg, sizeof rq->reject_msg, "out of memory");
            return false;
        }
        rq->body = p;
        rq->cap = cap;
    }
    memcpy(rq->body + rq->len, data, n);
    rq->len += n;
    return true;
}

/* Decide the answer now, send it once the body has been read (and dropped: append_body is
 * not called for a refused request). Always MHD_YES. */
static enum MHD_Result refuse_after_body(request *rq, int http, const char *name, const char *fmt,
                                         ...) __attribute__((format(printf, 4, 5)));
static enum MHD_Result refuse_after_body(request *rq, int http, const char *name, const char *fmt,
                                         ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rq->reject_msg, sizeof rq->reject_msg, fmt, ap);
    va_end(ap);
    rq->reject_http = http;
    rq->reject_name = name;
    return MHD_YES;
}

static int route_of(const char *url, const char *method, bool *is_post) {
    *is_post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
    if (strncmp(url, "/v1/", 4) == 0) {
        int e = svc_endpoint_find(url + 4, strlen(url + 4));
        return e >= 0 ? e : ROUTE_OTHER;
    }
    if (strcmp(url, "/metrics") == 0) return ROUTE_METRICS;
    if (strcmp(url, "/healthz") == 0) return ROUTE_HEALTHZ;
    if (strcmp(url, "/readyz") == 0) return ROUTE_READYZ;
    return ROUTE_OTHER;
}

/* GET /metrics, /healthz, /readyz. */
static enum MHD_Result answer_get(server *s, request *rq, const char *url) {
    struct MHD_Connection *conn = rq->conn;
    (void)url;
    if (rq->route == ROUTE_METRICS) {
        int a = check_token(s, conn);
        if (a) return send_error(s, rq, a, a == 401 ? "unauthorized" : "forbidden",
                                 a == 401 ? "a bearer token is required" : "wrong token");
        size_t len = 0;
        char *t = metrics_text(s, conn, &len);
        if (!t) return send_error(s, rq, 500, "internal", "out of memory");
        return send_text(s, rq, rq->route, 200, "text/plain; version=0.0.4", t, len);
    }
    bool ok = rq->route == ROUTE_HEALTHZ || is_ready(s);
    const char *why = ok ? "ok\n"
                      : atomic_load(&s->draining) ? "draining\n"
                                                  : "overloaded\n";
    char *t = strdup(why);
    if (!t) return MHD_NO;
    return send_text(s, rq, rq->route, ok ? 200 : 503, "text/plain", t, strlen(t));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls) {
    server *s = cls;
    request *rq = *con_cls;
    (void)version;
    if (!rq) {
        /* First call: headers only. */
        rq = calloc(1, sizeof *rq);
        if (!rq) return MHD_NO;
        rq->conn = conn;
        rq->srv = s;
        rq->t0_ns = now_ns();
        *con_cls = rq;
        bool post;
        rq->route = route_of(url, method, &post);
        if (rq->route == ROUTE_HEALTHZ || rq->route == ROUTE_READYZ || rq->route == ROUTE_METRICS) {
            if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
                return send_error(s, rq, 405, "method_not_allowed", "%s: use GET", url);
            rq->is_get = true; /* answered once the (empty) request is complete */
            return MHD_YES;
        }
        if (rq->route == ROUTE_OTHER)
            return send_error(s, rq, 404, "not_found",
                              "%s: no such endpoint (POST /v1/FUNCTION; GET /healthz, /readyz, "
                              "/metrics)",
                              url);
        if (!post) return send_error(s, rq, 405, "method_not_allowed", "%s: use POST", url);
        /* A declared body over max_body is refused at once and the connection closed (it is
         * never read). Every other refusal decided from the headers (token, draining, media
         * type, memory budget) is answered after the body has been read and dropped: a
         * client still sending its body when the server closes gets EPIPE or a reset instead
         * of the answer (seen with a 131 KB blob and a 401). */
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        unsigned long long n = 0;
        if (cl) {
            char *end;
            errno = 0;
            n = strtoull(cl, &end, 10);
            if (errno || *end || n > s->cfg->max_body)
                return send_error(s, rq, 413, "too_large", "body of %s bytes, at most %zu (--max-body)",
                                  cl, s->cfg->max_body);
        }
        int a = check_token(s, conn);
        if (a) return refuse_after_body(rq, a, a == 401 ? "unauthorized" : "forbidden",
                                        a == 401 ? "a bearer token is required" : "wrong token");
        if (atomic_load(&s->draining))
            return refuse_after_body(rq, 503, "draining",
                                     "the service is shutting down; retry elsewhere");
        const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        if (!ct || strncasecmp(ct, "application/json", 16) == 0) {
            rq->binary = false;
        } else if (strncasecmp(ct, "application/octet-stream", 24) == 0) {
            rq->binary = true;
        } else {
            return refuse_after_body(rq, 415, "unsupported_media_type",
                                     "Content-Type %.60s: use application/json or "
                                     "application/octet-stream",
                                     ct);
        }
        if (cl) {
            if (!charge(s, rq, (size_t)n)) {
                atomic_fetch_add(&s->rejected_overload, 1);
                return refuse_after_body(rq, 429, "overloaded",
                                         "request bodies in memory at the budget; retry later");
            }
            rq->body = malloc(n ? (size_t)n : 1);
            if (!rq->body) return refuse_after_body(rq, 503, "internal", "out of memory");
            rq->cap = (size_t)n;
        }
        return MHD_YES;
    }
    pthread_mutex_lock(&s->mu);
    int state = rq->state;
    pthread_mutex_unlock(&s->mu);
    if (state == REQ_DONE) {
        /* Resumed by a worker: send its answer (in_flight drops once it is written out,
         * in on_completed, so that a drain waits for the last byte). */
        svc_response *r = &rq->resp;
        bool owned = r->body && r->http == 200;
        uint8_t *body = r->body;
        size_t len = r->len;
        bool json = r->json;
        int http = r->http;
        uint64_t items = r->items;
        if (owned) r->body = NULL; /* MHD frees it */
        enum MHD_Result ret = send_bytes(s, rq, rq->route, http, json, body, len, owned,
                                         atomic_load(&s->draining) != 0, items);
        svc_response_clear(r);
        return ret;
    }
    if (state != REQ_READING) return MHD_YES; /* queued or running: suspended */
    if (*upload_size) {
        /* Request timeout: the whole body must arrive in time, however slowly it drips. */
        if (now_ns() - rq->t0_ns > (uint64_t)s->cfg->request_timeout_s * 1000000000u)
            return MHD_NO;
        if (!rq->reject_http) append_body(s, rq, upload_data, *upload_size);
        *upload_size = 0; /* a refused body is read and dropped; the answer comes at its end */
        return MHD_YES;
    }
    /* The whole body is here. */
    if (rq->is_get) return answer_get(s, rq, url);
    if (rq->reject_http)
        return send_error(s, rq, rq->reject_http, rq->reject_name, "%s", rq->reject_msg);
    if (atomic_load(&s->draining))
        return send_error(s, rq, 503, "draining", "the service is shutting down; retry elsewhere");
    pthread_mutex_lock(&s->mu);
    if (s->queued >= s->cfg->queue) {
        pthread_mutex_unlock(&s->mu);
        atomic_fetch_add(&s->rejected_overload, 1);
        return send_error(s, rq, 429, "overloaded", "queue full (%u requests waiting); retry later",
                          s->cfg->queue);
    }
    rq->state = REQ_QUEUED;
    atomic_fetch_add(&s->in_flight, 1);
    MHD_suspend_connection(conn);
    if (s->tail) s->tail->next = rq;
    else s->head = rq;
    s->tail = rq;
    s->queued++;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
    server *s = cls;
    request *rq = *con_cls;
    (void)conn;
    (void)toe;
    if (!rq) return;
    pthread_mutex_lock(&s->mu);
    bool accepted = rq->state != REQ_READING;
    pthread_mutex_unlock(&s->mu);
    if (accepted) atomic_fetch_sub(&s->in_flight, 1);
    free(rq->body);
    atomic_fetch_sub(&s->buffered, rq->charged);
    svc_response_clear(&rq->resp);
    free(rq);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap) {
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r')) msg[--n] = '\0';
    fprintf(stderr, "kzgkit serve: libmicrohttpd: %s\n", msg);
}

/* ---- start-up -------------------------------------------------------------------- */

/* "HOST:PORT", "[V6]:PORT" or ":PORT" (127.0.0.1) into a bound, listening socket. */
static int listen_on(const char *spec, char *shown, size_t shown_len) {
    char host[256];
    const char *port;
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':' || (size_t)(close - spec - 1) >= sizeof host) {
            fprintf(stderr, "kzgkit serve: --listen %s: expected [IPV6]:PORT\n", spec);
            return -1;
        }
        memcpy(host, spec + 1, (size_t)(close - spec - 1));
        host[close - spec - 1] = '\0';
        port = close + 2;
    } else {
        const char *colon = strrchr(spec, ':');
        if (!colon || (size_t)(colon - spec) >= sizeof host) {
            fprintf(stderr, "kzgkit serve: --listen %s: expected ADDR:PORT\n", spec);
            return -1;
        }
        memcpy(host, spec, (size_t)(colon - spec));
        host[colon - spec] = '\0';
        port = colon + 1;
        if (!host[0]) strcpy(host, "127.0.0.1");
    }
    char *end;
    long p = strtol(port, &end, 10);
    if (!port[0] || *end || p < 0 || p > 65535) {
        fprintf(stderr, "kzgkit serve: --listen %s: port must be 0..65535\n", spec);
        return -1;
    }
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
    int rc = getaddrinfo(host, port, &hints, &ai);
    if (rc != 0) {
        fprintf(stderr, "kzgkit serve: --listen %s: %s (a numeric IPv4 or IPv6 address)\n", spec,
                gai_strerror(rc));
        return -1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 128) != 0) {
        fprintf(stderr, "kzgkit serve: --listen %s: %s\n", spec, strerror(errno));
        if (fd >= 0) close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    freeaddrinfo(ai);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char addr[INET6_ADDRSTRLEN] = "?";
    int bound = 0;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
        if (ss.ss_family == AF_INET6) {
            struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
            inet_ntop(AF_INET6, &a->sin6_addr, addr, sizeof addr);
            bound = ntohs(a->sin6_port);
            snprintf(shown, shown_len, "[%s]:%d", addr, bound);
        } else {
            struct sockaddr_in *a = (struct sockaddr_in *)&ss;
            inet_ntop(AF_INET, &a->sin_addr, addr, sizeof addr);
            bound = ntohs(a->sin_port);
            snprintf(shown, shown_len, "%s:%d", addr, bound);
        }
    }
    return fd;
}

static bool read_token(server *s, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "kzgkit serve: --token-file %s: %s\n", path, strerror(errno));
        return false;
    }
    char buf[4097];
    size_t n = fread(buf, 1, sizeof buf, f);
    bool err = ferror(f);
    fclose(f);
    if (err || n == sizeof buf) {
        fprintf(stderr, "kzgkit serve: --token-file %s: %s\n", path,
                err ? strerror(errno) : "longer than 4096 bytes");
        return false;
    }
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ')) n--;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)buf[i] <= ' ' || buf[i] == 0x7f) {
            fprintf(stderr, "kzgkit serve: --token-file %s: the token must be one line of "
                            "printable characters without spaces\n", path);
            return false;
        }
    if (n < 16) {
        fprintf(stderr, "kzgkit serve: --token-file %s: the token must be at least 16 characters\n",
                path);
        return false;
    }
    sha256(buf, n, s->token_hash);
    s->have_token = true;
    return true;
}

static int open_context(server *s) {
    kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
    kzg_status st = kzg_metrics_new(&s->metrics);
    if (st != KZG_OK) goto fail;
    o.threads = 1; /* parallelism comes from the workers, one request each */
    o.metrics = s->metrics;
    o.cache_bytes = s->cfg->cache_bytes / 2;
    o.profile_path = s->cfg->profile_path;
    st = s->cfg->setup_path ? kzg_ctx_new_from_file(&s->ctx, s->cfg->setup_path, KZG_SETUP_AUTO, &o)
                            : kzg_ctx_new(&s->ctx, &o);
    if (st != KZG_OK) goto fail;
    kzg_processor_options po = KZG_PROCESSOR_OPTIONS_INIT;
    po.cache_bytes = s->cfg->cache_bytes - s->cfg->cache_bytes / 2;
    po.metrics = s->metrics;
    st = kzg_processor_new(&s->api.processor, s->ctx, &po);
    if (st != KZG_OK) goto fail;
    s->api.ctx = s->ctx;
    s->api.max_batch = s->cfg->max_batch;
    return 0;
fail:
    fprintf(stderr, "kzgkit serve: %s: %s: %s\n", s->cfg->setup_path ? s->cfg->setup_path : "context",
            kzg_status_str(st), kzg_last_error());
    return -1;
}

int svc_serve(const svc_config *cfg) {
    server *s = calloc(1, sizeof *s);
    int rc = 2, fd = -1;
    char shown[128] = "";
    sigset_t sigs;
    if (!s) {
        fprintf(stderr, "kzgkit serve: out of memory\n");
        return 2;
    }
    s->cfg = cfg;
    s->start_unix = (uint64_t)time(NULL);
    s->n_workers = cfg->threads ? cfg->threads : 1;
    s->buffer_budget = cfg->max_body * 4 > ((size_t)256 << 20) ? cfg->max_body * 4 : (size_t)256 << 20;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    /* Every thread started from here on blocks the stop signals; the main thread waits for
     * them with sigwait. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (cfg->token_file && !read_token(s, cfg->token_file)) goto out;
    if ((fd = listen_on(cfg->listen, shown, sizeof shown)) < 0) goto out;
    if (open_context(s) != 0) goto out;
    s->workers = calloc(s->n_workers, sizeof *s->workers);
    if (!s->workers) goto out;
    for (uint32_t i = 0; i < s->n_workers; i++)
        if (pthread_create(&s->workers[i], NULL, worker_main, s) != 0) {
            fprintf(stderr, "kzgkit serve: cannot start worker %u: %s\n", i, strerror(errno));
            s->n_workers = i;
            goto out;
        }
    s->daemon = MHD_start_daemon(
        MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
        0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
        /* Per connection: headers and the read buffer (bodies are copied out of it). */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)128 * 1024,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->idle_timeout_s,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
    if (!s->daemon) {
        fprintf(stderr, "kzgkit serve: cannot start the HTTP server on %s\n", shown);
        goto out;
    }
    fd = -1; /* the daemon owns it */
    if (cfg->port_file) {
        /* Written whole and renamed into place: a script polling for the file never reads
         * half of it. */
        const char *colon = strrchr(shown, ':');
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp.%ld", cfg->port_file, (long)getpid());
        FILE *f = fopen(tmp, "w");
        bool ok = f && fprintf(f, "%s\n", colon ? colon + 1 : "0") >= 0;
        if (f && fclose(f) != 0) ok = false;
        if (!ok || rename(tmp, cfg->port_file) != 0) {
            fprintf(stderr, "kzgkit serve: --port-file %s: %s\n", cfg->port_file, strerror(errno));
            remove(tmp);
            goto out;
        }
        file_sweep_stale_temps(cfg->port_file, FILE_TEMP_MIN_AGE_S); /* killed servers' */
    }
    fprintf(stderr,
            "kzgkit serve: listening on http://%s (%u worker%s, queue %u, max body %zu bytes, "
            "token %s, backend %s)\n",
            shown, s->n_workers, s->n_workers == 1 ? "" : "s", cfg->queue, cfg->max_body,
            s->have_token ? "required" : "off", kzg_backend());

    int sig = 0;
    sigwait(&sigs, &sig);
    atomic_store(&s->draining, 1);
    fprintf(stderr, "kzgkit serve: %s: draining %llu request(s) in flight\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT", (unsigned long long)atomic_load(&s->in_flight));
    MHD_socket lfd = MHD_quiesce_daemon(s->daemon);
    if (lfd != MHD_INVALID_SOCKET) close(lfd);
    uint64_t deadline = now_ns() + (uint64_t)cfg->drain_timeout_s * 1000000000u;
    while (atomic_load(&s->in_flight) > 0 && now_ns() < deadline) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (atomic_load(&s->in_flight) > 0) {
        /* Workers still compute for suspended connections, which the HTTP library must not
         * be stopped under: leave without tearing anything down. */
        fprintf(stderr, "kzgkit serve: drain timed out after %u s with %llu request(s) in flight\n",
                cfg->drain_timeout_s, (unsigned long long)atomic_load(&s->in_flight));
        fflush(stderr);
        _exit(1);
    }
    rc = 0;
    fprintf(stderr, "kzgkit serve: stopped\n");
out:
    if (s->daemon) MHD_stop_daemon(s->daemon);
    if (fd >= 0) close(fd);
    pthread_mutex_lock(&s->mu);
    s->stop = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    for (uint32_t i = 0; i < s->n_workers && s->workers; i++) pthread_join(s->workers[i], NULL);
    free(s->workers);
    kzg_processor_free(s->api.processor);
    kzg_ctx_free(s->ctx);
    kzg_metrics_free(s->metrics);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
    return rc;
}
