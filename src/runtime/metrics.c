/*
 * runtime/metrics.c — lock-free per-operation metrics, snapshots, JSON/Prometheus export.
 *
 * Recording (any thread, no lock): the time and item sums, min and max first (relaxed),
 * then the histogram bucket (release), then the error slot (release). A snapshot reads in
 * the opposite order with acquire loads: errors, then histogram, then sums. A recorder
 * whose error increment the snapshot saw synchronises with it, so its histogram increment
 * is seen too (errors <= calls); likewise its sums are seen for every call the histogram
 * counts. Everything here is a statistic: no other memory is published through it.
 *
 * Text output is built with integer arithmetic only (no %f/%g), so it is exact and does not
 * depend on the C locale's decimal point.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

#include "runtime/metrics.h"

#define SUB KZG_METRICS_SUB_BUCKETS
#define SUB_BITS 4 /* log2(SUB) */
#define OVERFLOW_BUCKET (KZG_METRICS_BUCKETS - 1)

typedef struct op_metrics {
    _Atomic uint64_t hist[KZG_METRICS_BUCKETS];
    _Atomic uint64_t errors[KZG_METRICS_STATUS_SLOTS];
    _Atomic uint64_t total_ns, items, min_ns, max_ns;
} op_metrics;

struct kzg_metrics {
    uint64_t start_ns;      /* monotonic */
    uint64_t start_unix_ns; /* wall clock */
    op_metrics ops[KZG_OP_COUNT];
    pthread_mutex_t caches_lock; /* guards the attachments below, never taken to record */
    unsigned n_caches;
    struct {
        char name[KZG_METRICS_CACHE_NAME_MAX];
        const cache_t *cache;
    } caches[KZG_METRICS_MAX_CACHES];
};

_Static_assert(KZG_OP_COUNT <= KZG_METRICS_MAX_OPS, "kzg_metrics_stats has room for KZG_METRICS_MAX_OPS");

static const char *const op_names[KZG_OP_COUNT] = {
    "ctx_new",
    "blob_to_kzg_commitment",
    "compute_kzg_proof",
    "compute_blob_kzg_proof",
    "verify_kzg_proof",
    "verify_blob_kzg_proof",
    "verify_blob_kzg_proof_batch",
    "compute_cells",
    "compute_cells_and_kzg_proofs",
    "verify_cell_kzg_proof_batch",
    "recover_cells_and_kzg_proofs",
    "process_blobs",
};

const char *kzg_op_name(kzg_op op) {
    return (unsigned)op < KZG_OP_COUNT ? op_names[op] : "unknown";
}

/* Short label values for statuses (Prometheus label style); kzg_status_str is prose. */
static const char *const status_names[] = {
    "ok", "null_arg", "length", "scalar_noncanonical", "point_encoding",
    "point_not_on_curve", "point_not_in_subgroup", "setup", "memory", "io", "bad_arg",
    "internal",
};

static const char *status_label(size_t slot, char tmp[32]) {
    if (slot < KZG_ARRAY_LEN(status_names)) return status_names[slot];
    if (slot == KZG_METRICS_STATUS_SLOTS - 1) return "other";
    snprintf(tmp, 32, "status_%zu", slot);
    return tmp;
}

/* ---- histogram geometry ------------------------------------------------------------ */

/* Bucket of x = max(ns, 1) - 1 in the HDR layout, which makes buckets upper-inclusive in
 * ns: exact below SUB, then SUB sub-buckets per power of two. */
size_t metrics_bucket_index(uint64_t ns) {
    uint64_t x = ns ? ns - 1 : 0;
    if (x < SUB) return (size_t)x;
    unsigned k = 63u - (unsigned)__builtin_clzll(x); /* 2^k <= x < 2^(k+1), k >= SUB_BITS */
    if (k >= KZG_METRICS_MAX_EXPONENT) return OVERFLOW_BUCKET;
    return SUB + (size_t)(k - SUB_BITS) * SUB + (size_t)((x >> (k - SUB_BITS)) & (SUB - 1));
}

uint64_t kzg_metrics_bucket_lower_ns(size_t i) {
    if (i >= KZG_METRICS_BUCKETS) return 0;
    if (i < SUB) return i;
    if (i == OVERFLOW_BUCKET) return (uint64_t)1 << KZG_METRICS_MAX_EXPONENT;
    size_t k = SUB_BITS + (i - SUB) / SUB, sub = (i - SUB) % SUB;
    return ((uint64_t)1 << k) + ((uint64_t)sub << (k - SUB_BITS));
}

uint64_t kzg_metrics_bucket_upper_ns(size_t i) {
    if (i >= KZG_METRICS_BUCKETS) return 0;
    if (i < SUB) return i + 1;
    if (i == OVERFLOW_BUCKET) return UINT64_MAX;
    size_t k = SUB_BITS + (i - SUB) / SUB;
    return kzg_metrics_bucket_lower_ns(i) + ((uint64_t)1 << (k - SUB_BITS));
}

/* ---- lifecycle and recording ---------------------------------------------------------- */

static uint64_t unix_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

kzg_status kzg_metrics_new(kzg_metrics **out) {
    kzg_clear_error();
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_metrics_new: out is NULL");
    *out = NULL;
    kzg_metrics *m = kzg_calloc(1, sizeof *m);
    if (!m) return kzg_fail(KZG_ERR_MEMORY, "kzg_metrics_new: out of memory");
    if (pthread_mutex_init(&m->caches_lock, NULL) != 0) {
        kzg_free(m);
        return kzg_fail(KZG_ERR_INTERNAL, "kzg_metrics_new: mutex initialisation failed");
    }
    for (size_t i = 0; i < KZG_OP_COUNT; i++) atomic_init(&m->ops[i].min_ns, UINT64_MAX);
    m->start_ns = metrics_now_ns();
    m->start_unix_ns = unix_now_ns();
    *out = m;
    return KZG_OK;
}

void kzg_metrics_free(kzg_metrics *m) {
    if (!m) return;
    pthread_mutex_destroy(&m->caches_lock);
    kzg_free(m);
}

void metrics_record_ns(metrics_t *m, kzg_op op, kzg_status st, uint64_t elapsed_ns,
                       uint64_t items) {
    if (!m || (unsigned)op >= KZG_OP_COUNT) return;
    op_metrics *o = &m->ops[op];
    atomic_fetch_add_explicit(&o->total_ns, elapsed_ns, memory_order_relaxed);
    if (items) atomic_fetch_add_explicit(&o->items, items, memory_order_relaxed);
    /* min/max: a plain load first, so that the common case writes nothing. */
    uint64_t cur = atomic_load_explicit(&o->max_ns, memory_order_relaxed);
    while (elapsed_ns > cur &&
           !atomic_compare_exchange_weak_explicit(&o->max_ns, &cur, elapsed_ns,
                                                  memory_order_relaxed, memory_order_relaxed)) {
    }
    cur = atomic_load_explicit(&o->min_ns, memory_order_relaxed);
    while (elapsed_ns < cur &&
           !atomic_compare_exchange_weak_explicit(&o->min_ns, &cur, elapsed_ns,
                                                  memory_order_relaxed, memory_order_relaxed)) {
    }
    atomic_fetch_add_explicit(&o->hist[metrics_bucket_index(elapsed_ns)], 1, memory_order_release);
    if (st != KZG_OK) {
        unsigned slot = (unsigned)st < KZG_METRICS_STATUS_SLOTS - 1 ? (unsigned)st
                                                                    : KZG_METRICS_STATUS_SLOTS - 1;
        atomic_fetch_add_explicit(&o->errors[slot], 1, memory_order_release);
    }
}

kzg_status metrics_attach_cache(metrics_t *m, const char *name, const cache_t *cache) {
    if (!m || !name || !cache) return kzg_fail(KZG_ERR_NULL_ARG, "metrics_attach_cache: NULL argument");
    kzg_status st = KZG_OK;
    pthread_mutex_lock(&m->caches_lock);
    if (m->n_caches >= KZG_METRICS_MAX_CACHES) {
        st = kzg_fail(KZG_ERR_BAD_ARG, "metrics_attach_cache: at most %d caches",
                      KZG_METRICS_MAX_CACHES);
    } else {
        unsigned i = m->n_caches++;
        snprintf(m->caches[i].name, sizeof m->caches[i].name, "%s", name);
        m->caches[i].cache = cache;
    }
    pthread_mutex_unlock(&m->caches_lock);
    return st;
}

void metrics_detach_cache(metrics_t *m, const cache_t *cache) {
    if (!m) return;
    pthread_mutex_lock(&m->caches_lock);
    unsigned w = 0;
    for (unsigned r = 0; r < m->n_caches; r++)
        if (m->caches[r].cache != cache) m->caches[w++] = m->caches[r];
    m->n_caches = w;
    pthread_mutex_unlock(&m->caches_lock);
}

/* ---- snapshot -------------------------------------------------------------------------- */

uint64_t kzg_metrics_quantile_ns(const kzg_metrics_op_stats *op, double q) {
    if (!op || op->calls == 0 || !(q > 0.0 && q <= 1.0)) return 0;
    /* Nearest rank ceil(q·n), with a little tolerance for q's binary rounding (0.999·1000
     * must be rank 999, not 1000). */
    double x = q * (double)op->calls;
    uint64_t rank = (uint64_t)x;
    if (x - (double)rank > 1e-9 * (double)op->calls) rank++;
    if (rank == 0) rank = 1;
    if (rank > op->calls) rank = op->calls;
    uint64_t cum = 0;
    size_t i = 0;
    for (; i < KZG_METRICS_BUCKETS; i++) {
        cum += op->histogram[i];
        if (cum >= rank) break;
    }
    uint64_t v;
    if (i >= OVERFLOW_BUCKET) {
        v = op->max_ns;
    } else {
        uint64_t lo = kzg_metrics_bucket_lower_ns(i), hi = kzg_metrics_bucket_upper_ns(i);
        v = hi - lo <= 1 ? hi : lo + (hi - lo) / 2;
    }
    if (v < op->min_ns) v = op->min_ns;
    if (v > op->max_ns) v = op->max_ns;
    return v;
}

kzg_status kzg_metrics_snapshot(const kzg_metrics *m, kzg_metrics_stats *out) {
    kzg_clear_error();
    if (out) memset(out, 0, sizeof *out);
    if (!m || !out) return kzg_fail(KZG_ERR_NULL_ARG, "kzg_metrics_snapshot: NULL argument");
    kzg_metrics *mm = (kzg_metrics *)m; /* the atomics are read, the lock taken: no change */
    uint64_t now = metrics_now_ns();
    out->uptime_ns = now > m->start_ns ? now - m->start_ns : 0;
    out->start_time_unix_ns = m->start_unix_ns;
    double up_s = (double)out->uptime_ns / 1e9;
    for (size_t k = 0; k < KZG_OP_COUNT; k++) {
        op_metrics *o = &mm->ops[k];
        kzg_metrics_op_stats *s = &out->ops[k];
        for (size_t j = 0; j < KZG_METRICS_STATUS_SLOTS; j++) {
            s->errors_by_status[j] = atomic_load_explicit(&o->errors[j], memory_order_acquire);
            s->errors += s->errors_by_status[j];
        }
        for (size_t j = 0; j < KZG_METRICS_BUCKETS; j++) {
            s->histogram[j] = atomic_load_explicit(&o->hist[j], memory_order_acquire);
            s->calls += s->histogram[j];
        }
        s->total_ns = atomic_load_explicit(&o->total_ns, memory_order_relaxed);
        s->items = atomic_load_explicit(&o->items, memory_order_relaxed);
        s->min_ns = atomic_load_explicit(&o->min_ns, memory_order_relaxed);
        s->max_ns = atomic_load_explicit(&o->max_ns, memory_order_relaxed);
        if (s->calls == 0) {
            s->min_ns = s->max_ns = 0;
        } else {
            s->mean_ns = s->total_ns / s->calls;
            s->error_rate = (double)s->errors / (double)s->calls;
            s->p50_ns = kzg_metrics_quantile_ns(s, 0.5);
            s->p90_ns = kzg_metrics_quantile_ns(s, 0.9);
            s->p99_ns = kzg_metrics_quantile_ns(s, 0.99);
            s->p999_ns = kzg_metrics_quantile_ns(s, 0.999);
        }
        if (up_s > 0) {
            s->calls_per_second = (double)s->calls / up_s;
            s->items_per_second = (double)s->items / up_s;
        }
        out->calls += s->calls;
        out->errors += s->errors;
    }
    out->error_rate = out->calls ? (double)out->errors / (double)out->calls : 0.0;
    pthread_mutex_lock(&mm->caches_lock);
    out->n_caches = mm->n_caches;
    out->n_ops = KZG_OP_COUNT;
    for (unsigned i = 0; i < mm->n_caches; i++) {
        memcpy(out->caches[i].name, mm->caches[i].name, sizeof out->caches[i].name);
        cache_stats(mm->caches[i].cache, &out->caches[i].stats);
        out->cache_hits += out->caches[i].stats.hits;
        out->cache_misses += out->caches[i].stats.misses;
    }
    pthread_mutex_unlock(&mm->caches_lock);
    uint64_t lookups = out->cache_hits + out->cache_misses;
    out->cache_hit_rate = lookups ? (double)out->cache_hits / (double)lookups : 0.0;
    return KZG_OK;
}

/* ---- text output --------------------------------------------------------------------- */

typedef struct out_t {
    char *buf;  /* memory sink (f == NULL): cap bytes; len counts even what did not fit */
    size_t cap, len;
    FILE *f;
    bool failed;
} out_t;

static void emit(out_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(out_t *o, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (o->f) {
        if (vfprintf(o->f, fmt, ap) < 0) o->failed = true;
    } else {
        size_t room = o->len < o->cap ? o->cap - o->len : 0;
        int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
        if (n < 0) o->failed = true; else o->len += (size_t)n;
    }
    va_end(ap);
}

/* A string with \, " and newlines escaped (for Prometheus label values and JSON strings;
 * names here are printable ASCII, other control bytes become '?'). */
static void emit_escaped(out_t *o, const char *s) {
    char tmp[2 * KZG_METRICS_CACHE_NAME_MAX + 1];
    size_t n = 0;
    /* Bounded: a caller-built snapshot may hold a name without its NUL. */
    for (size_t i = 0; i < KZG_METRICS_CACHE_NAME_MAX && s[i] && n + 2 < sizeof tmp; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\\' || ch == '"') { tmp[n++] = '\\'; tmp[n++] = (char)ch; }
        else if (ch == '\n') { tmp[n++] = '\\'; tmp[n++] = 'n'; }
        else tmp[n++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    tmp[n] = '\0';
    emit(o, "%s", tmp);
}

/* ns as decimal seconds, exact, without trailing zeros: 1024 → "0.000001024". */
static const char *fmt_seconds(char out[32], uint64_t ns) {
    uint64_t whole = ns / 1000000000u, frac = ns % 1000000000u;
    if (!frac) {
        snprintf(out, 32, "%llu", (unsigned long long)whole);
        return out;
    }
    int digits = 9;
    while (frac % 10 == 0) { frac /= 10; digits--; }
    snprintf(out, 32, "%llu.%0*llu", (unsigned long long)whole, digits, (unsigned long long)frac);
    return out;
}

/* A non-negative double with six decimals (NaN, negatives → 0; huge values clamped). */
static const char *fmt_fixed6(char out[40], double v) {
    if (!(v > 0)) v = 0;
    if (v > 1e12) v = 1e12;
    uint64_t scaled = (uint64_t)(v * 1e6 + 0.5);
    snprintf(out, 40, "%llu.%06llu", (unsigned long long)(scaled / 1000000u),
             (unsigned long long)(scaled % 1000000u));
    return out;
}

static kzg_status finish(out_t *o, char *buf, size_t buf_size, size_t *len, const char *who) {
    if (o->f) {
        if (o->failed || ferror(o->f)) return kzg_fail(KZG_ERR_IO, "%s: write failed", who);
        return KZG_OK;
    }
    *len = o->len;
    if (o->failed) {
        if (buf_size) buf[0] = '\0';
        return kzg_fail(KZG_ERR_INTERNAL, "%s: formatting failed", who);
    }
    if (!buf && !buf_size) return KZG_OK; /* size query */
    if (o->len >= buf_size) {
        if (buf_size) buf[0] = '\0';
        return kzg_fail(KZG_ERR_LENGTH, "%s: buffer of %zu bytes, %zu needed", who, buf_size,
                        o->len + 1);
    }
    return KZG_OK;
}

/* -- JSON -- */

static void json_body(out_t *o, const kzg_metrics_stats *s) {
    char a[40], b[40];
    emit(o, "{\"uptime_ns\":%llu,\"start_time_unix_ns\":%llu,\"calls\":%llu,\"errors\":%llu,"
            "\"error_rate\":%s,\"cache_hits\":%llu,\"cache_misses\":%llu,\"cache_hit_rate\":%s,"
            "\"operations\":{",
         (unsigned long long)s->uptime_ns, (unsigned long long)s->start_time_unix_ns,
         (unsigned long long)s->calls, (unsigned long long)s->errors,
         fmt_fixed6(a, s->error_rate), (unsigned long long)s->cache_hits,
         (unsigned long long)s->cache_misses, fmt_fixed6(b, s->cache_hit_rate));
    for (size_t k = 0; k < KZG_OP_COUNT; k++) {
        const kzg_metrics_op_stats *p = &s->ops[k];
        char c1[40], c2[40], c3[40];
        emit(o, "%s\"%s\":{\"calls\":%llu,\"errors\":%llu,\"items\":%llu,\"total_ns\":%llu,"
                "\"mean_ns\":%llu,\"min_ns\":%llu,\"max_ns\":%llu,\"p50_ns\":%llu,"
                "\"p90_ns\":%llu,\"p99_ns\":%llu,\"p999_ns\":%llu,\"error_rate\":%s,"
                "\"calls_per_second\":%s,\"items_per_second\":%s,\"errors_by_status\":{",
             k ? "," : "", op_names[k], (unsigned long long)p->calls,
             (unsigned long long)p->errors, (unsigned long long)p->items,
             (unsigned long long)p->total_ns, (unsigned long long)p->mean_ns,
             (unsigned long long)p->min_ns, (unsigned long long)p->max_ns,
             (unsigned long long)p->p50_ns, (unsigned long long)p->p90_ns,
             (unsigned long long)p->p99_ns, (unsigned long long)p->p999_ns,
             fmt_fixed6(c1, p->error_rate), fmt_fixed6(c2, p->calls_per_second),
             fmt_fixed6(c3, p->items_per_second));
        bool first = true;
        for (size_t j = 0; j < KZG_METRICS_STATUS_SLOTS; j++) {
            if (!p->errors_by_status[j]) continue;
            char tmp[32];
            emit(o, "%s\"%s\":%llu", first ? "" : ",", status_label(j, tmp),
                 (unsigned long long)p->errors_by_status[j]);
            first = false;
        }
        /* Non-empty buckets only, as [upper bound ns, count]; the overflow bound is null. */
        emit(o, "},\"histogram\":[");
        first = true;
        for (size_t j = 0; j < KZG_METRICS_BUCKETS; j++) {
            if (!p->histogram[j]) continue;
            if (j == OVERFLOW_BUCKET)
                emit(o, "%s[null,%llu]", first ? "" : ",", (unsigned long long)p->histogram[j]);
            else
                emit(o, "%s[%llu,%llu]", first ? "" : ",",
                     (unsigned long long)kzg_metrics_bucket_upper_ns(j),
                     (unsigned long long)p->histogram[j]);
            first = false;
        }
        emit(o, "]}");
    }
    emit(o, "},\"caches\":[");
    for (uint32_t i = 0; i < s->n_caches && i < KZG_METRICS_MAX_CACHES; i++) {
        const kzg_cache_stats *c = &s->caches[i].stats;
        char r[40], t[40];
        emit(o, "%s{\"name\":\"", i ? "," : "");
        emit_escaped(o, s->caches[i].name);
        emit(o, "\",\"hits\":%llu,\"misses\":%llu,\"inserts\":%llu,\"updates\":%llu,"
                "\"evictions\":%llu,\"entries\":%llu,\"bytes\":%llu,\"budget_bytes\":%llu,"
                "\"min_budget_bytes\":%llu,\"max_budget_bytes\":%llu,\"adaptations\":%llu,"
                "\"adaptive\":%s,\"target_hit_rate\":%s,\"hit_rate\":%s}",
             (unsigned long long)c->hits, (unsigned long long)c->misses,
             (unsigned long long)c->inserts, (unsigned long long)c->updates,
             (unsigned long long)c->evictions, (unsigned long long)c->entries,
             (unsigned long long)c->bytes, (unsigned long long)c->budget_bytes,
             (unsigned long long)c->min_budget_bytes, (unsigned long long)c->max_budget_bytes,
             (unsigned long long)c->adaptations, c->adaptive ? "true" : "false",
             fmt_fixed6(t, c->target_hit_rate), fmt_fixed6(r, c->hit_rate));
    }
    emit(o, "]}\n");
}

/* -- Prometheus text exposition format 0.0.4 -- */

static void family(out_t *o, const char *name, const char *type, const char *help) {
    emit(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The exported `le` bounds: 2^10 ns (about 1 µs) … 2^37 ns (about 137 s). Each is the
 * upper bound of a histogram bucket, so the cumulative counts are exact. */
#define LE_FIRST_EXP 10

static void prom_cache_counter(out_t *o, const kzg_metrics_stats *s, const char *name,
                               const char *type, const char *help, size_t field) {
    family(o, name, type, help);
    for (uint32_t i = 0; i < s->n_caches && i < KZG_METRICS_MAX_CACHES; i++) {
        const kzg_cache_stats *c = &s->caches[i].stats;
        uint64_t v = 0;
        switch (field) {
        case 0: v = c->hits; break;
        case 1: v = c->misses; break;
        case 2: v = c->inserts; break;
        case 3: v = c->evictions; break;
        case 4: v = c->entries; break;
        case 5: v = c->bytes; break;
        case 6: v = c->budget_bytes; break;
        default: break;
        }
        emit(o, "%s{cache=\"", name);
        emit_escaped(o, s->caches[i].name);
        emit(o, "\"} %llu\n", (unsigned long long)v);
    }
}

static void prom_body(out_t *o, const kzg_metrics_stats *s) {
    char a[40];
    family(o, "kzgkit_uptime_seconds", "gauge", "Seconds since the metrics were created.");
    emit(o, "kzgkit_uptime_seconds %s\n", fmt_seconds(a, s->uptime_ns));
    family(o, "kzgkit_start_time_seconds", "gauge",
           "Unix time at which the metrics were created, in seconds.");
    emit(o, "kzgkit_start_time_seconds %s\n", fmt_seconds(a, s->start_time_unix_ns));

    family(o, "kzgkit_operation_calls_total", "counter",
           "Completed calls of each operation, whatever their status.");
    for (size_t k = 0; k < KZG_OP_COUNT; k++)
        emit(o, "kzgkit_operation_calls_total{op=\"%s\"} %llu\n", op_names[k],
             (unsigned long long)s->ops[k].calls);
    family(o, "kzgkit_operation_errors_total", "counter",
           "Calls that returned a status other than ok, by status (non-zero series only).");
    for (size_t k = 0; k < KZG_OP_COUNT; k++)
        for (size_t j = 0; j < KZG_METRICS_STATUS_SLOTS; j++) {
            if (!s->ops[k].errors_by_status[j]) continue;
            char tmp[32];
            emit(o, "kzgkit_operation_errors_total{op=\"%s\",status=\"%s\"} %llu\n", op_names[k],
                 status_label(j, tmp), (unsigned long long)s->ops[k].errors_by_status[j]);
        }
    family(o, "kzgkit_operation_items_total", "counter",
           "Work items (blobs, proofs, cells) processed by each operation.");
    for (size_t k = 0; k < KZG_OP_COUNT; k++)
        emit(o, "kzgkit_operation_items_total{op=\"%s\"} %llu\n", op_names[k],
             (unsigned long long)s->ops[k].items);
    family(o, "kzgkit_operation_error_ratio", "gauge",
           "Errors divided by calls since the start.");
    for (size_t k = 0; k < KZG_OP_COUNT; k++)
        emit(o, "kzgkit_operation_error_ratio{op=\"%s\"} %s\n", op_names[k],
             fmt_fixed6(a, s->ops[k].error_rate));
    family(o, "kzgkit_operation_items_per_second", "gauge",
           "Items per second of uptime since the start (for a window use "
           "rate(kzgkit_operation_items_total)).");
    for (size_t k = 0; k < KZG_OP_COUNT; k++)
        emit(o, "kzgkit_operation_items_per_second{op=\"%s\"} %s\n", op_names[k],
             fmt_fixed6(a, s->ops[k].items_per_second));

    family(o, "kzgkit_operation_duration_seconds", "histogram",
           "Latency of each operation (operations with calls only).");
    for (size_t k = 0; k < KZG_OP_COUNT; k++) {
        const kzg_metrics_op_stats *p = &s->ops[k];
        if (!p->calls) continue;
        uint64_t cum = 0;
        size_t j = 0;
        for (unsigned e = LE_FIRST_EXP; e <= KZG_METRICS_MAX_EXPONENT; e++) {
            uint64_t le = (uint64_t)1 << e;
            while (j < OVERFLOW_BUCKET && kzg_metrics_bucket_upper_ns(j) <= le) cum += p->histogram[j++];
            emit(o, "kzgkit_operation_duration_seconds_bucket{op=\"%s\",le=\"%s\"} %llu\n",
                 op_names[k], fmt_seconds(a, le), (unsigned long long)cum);
        }
        emit(o, "kzgkit_operation_duration_seconds_bucket{op=\"%s\",le=\"+Inf\"} %llu\n",
             op_names[k], (unsigned long long)p->calls);
        emit(o, "kzgkit_operation_duration_seconds_sum{op=\"%s\"} %s\n", op_names[k],
             fmt_seconds(a, p->total_ns));
        emit(o, "kzgkit_operation_duration_seconds_count{op=\"%s\"} %llu\n", op_names[k],
             (unsigned long long)p->calls);
    }
    family(o, "kzgkit_operation_latency_seconds", "summary",
           "Latency quantiles since the start, from the histogram (within 3.125%).");
    for (size_t k = 0; k < KZG_OP_COUNT; k++) {
        const kzg_metrics_op_stats *p = &s->ops[k];
        if (!p->calls) continue;
        const struct { const char *q; uint64_t v; } qs[] = {
            {"0.5", p->p50_ns}, {"0.9", p->p90_ns}, {"0.99", p->p99_ns}, {"0.999", p->p999_ns}};
        for (size_t i = 0; i < KZG_ARRAY_LEN(qs); i++)
            emit(o, "kzgkit_operation_latency_seconds{op=\"%s\",quantile=\"%s\"} %s\n",
                 op_names[k], qs[i].q, fmt_seconds(a, qs[i].v));
        emit(o, "kzgkit_operation_latency_seconds_sum{op=\"%s\"} %s\n", op_names[k],
             fmt_seconds(a, p->total_ns));
        emit(o, "kzgkit_operation_latency_seconds_count{op=\"%s\"} %llu\n", op_names[k],
             (unsigned long long)p->calls);
    }

    if (!s->n_caches) return;
    prom_cache_counter(o, s, "kzgkit_cache_hits_total", "counter", "Cache lookups that hit.", 0);
    prom_cache_counter(o, s, "kzgkit_cache_misses_total", "counter", "Cache lookups that missed.", 1);
    prom_cache_counter(o, s, "kzgkit_cache_inserts_total", "counter", "Entries stored.", 2);
    prom_cache_counter(o, s, "kzgkit_cache_evictions_total", "counter",
                       "Entries evicted to stay within the byte budget.", 3);
    prom_cache_counter(o, s, "kzgkit_cache_entries", "gauge", "Entries held now.", 4);
    prom_cache_counter(o, s, "kzgkit_cache_size_bytes", "gauge",
                       "Bytes charged against the budget now (entries and index).", 5);
    prom_cache_counter(o, s, "kzgkit_cache_budget_bytes", "gauge", "The byte budget now.", 6);
    family(o, "kzgkit_cache_hit_ratio", "gauge", "Hits divided by lookups since the start.");
    for (uint32_t i = 0; i < s->n_caches && i < KZG_METRICS_MAX_CACHES; i++) {
        emit(o, "kzgkit_cache_hit_ratio{cache=\"");
        emit_escaped(o, s->caches[i].name);
        emit(o, "\"} %s\n", fmt_fixed6(a, s->caches[i].stats.hit_rate));
    }
}

static kzg_status write_mem(char *buf, size_t buf_size, size_t *len, const kzg_metrics_stats *s,
                            void (*body)(out_t *, const kzg_metrics_stats *), const char *who) {
    kzg_clear_error();
    if (len) *len = 0;
    if (buf && buf_size) buf[0] = '\0';
    if (!len || !s || (!buf && buf_size)) return kzg_fail(KZG_ERR_NULL_ARG, "%s: NULL argument", who);
    out_t o = {buf, buf ? buf_size : 0, 0, NULL, false};
    body(&o, s);
    return finish(&o, buf, buf_size, len, who);
}

static kzg_status write_file(FILE *f, const kzg_metrics_stats *s,
                             void (*body)(out_t *, const kzg_metrics_stats *), const char *who) {
    kzg_clear_error();
    if (!f || !s) return kzg_fail(KZG_ERR_NULL_ARG, "%s: NULL argument", who);
    out_t o = {NULL, 0, 0, f, false};
    body(&o, s);
    return finish(&o, NULL, 0, NULL, who);
}

kzg_status kzg_metrics_write_json(char *buf, size_t buf_size, size_t *len,
                                  const kzg_metrics_stats *stats) {
    return write_mem(buf, buf_size, len, stats, json_body, "kzg_metrics_write_json");
}

kzg_status kzg_metrics_write_prometheus(char *buf, size_t buf_size, size_t *len,
                                        const kzg_metrics_stats *stats) {
    return write_mem(buf, buf_size, len, stats, prom_body, "kzg_metrics_write_prometheus");
}

kzg_status kzg_metrics_fprint_json(FILE *f, const kzg_metrics_stats *stats) {
    return write_file(f, stats, json_body, "kzg_metrics_fprint_json");
}

kzg_status kzg_metrics_fprint_prometheus(FILE *f, const kzg_metrics_stats *stats) {
    return write_file(f, stats, prom_body, "kzg_metrics_fprint_prometheus");
}
