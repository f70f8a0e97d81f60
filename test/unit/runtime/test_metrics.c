/* test_metrics — histogram geometry, quantiles against exact nearest-rank quantiles of
 * known data (uniform, skewed, tiny, overflow) within the documented 1/32 bound, counters,
 * NULL/no-op behaviour, and the exporters: JSON parsed back by a strict validator,
 * Prometheus text checked line by line against the exposition grammar (HELP/TYPE before
 * samples, cumulative buckets, +Inf = _count). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>

#include "runtime/metrics.h"
#include "testrand.h"

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void test_metrics_buckets__tile_the_range_upper_inclusive(void) {
    CHECK(KZG_METRICS_BUCKETS == 545, "bucket count %d", KZG_METRICS_BUCKETS);
    CHECK(metrics_bucket_index(0) == 0 && metrics_bucket_index(1) == 0, "0 and 1 in bucket 0");
    for (size_t i = 0; i < KZG_METRICS_BUCKETS; i++) {
        uint64_t lo = kzg_metrics_bucket_lower_ns(i), hi = kzg_metrics_bucket_upper_ns(i);
        CHECK(lo < hi, "bucket %zu empty", i);
        CHECK(metrics_bucket_index(lo + 1) == i, "lower+1 of bucket %zu maps to %zu", i,
              metrics_bucket_index(lo + 1));
        CHECK(metrics_bucket_index(hi) == i, "upper of bucket %zu maps to %zu", i,
              metrics_bucket_index(hi));
        if (i + 1 < KZG_METRICS_BUCKETS)
            CHECK(kzg_metrics_bucket_lower_ns(i + 1) == hi, "gap after bucket %zu", i);
        if (i >= 16 && i + 1 < KZG_METRICS_BUCKETS)
            CHECK((hi - lo) * 16 <= lo, "bucket %zu too wide: (%llu, %llu]", i,
                  (unsigned long long)lo, (unsigned long long)hi);
    }
    CHECK(kzg_metrics_bucket_upper_ns(KZG_METRICS_BUCKETS - 2) == (uint64_t)1 << 37, "top");
    CHECK(metrics_bucket_index(((uint64_t)1 << 37) + 1) == KZG_METRICS_BUCKETS - 1, "overflow");
    CHECK(metrics_bucket_index(UINT64_MAX) == KZG_METRICS_BUCKETS - 1, "overflow max");
    CHECK(kzg_metrics_bucket_upper_ns(KZG_METRICS_BUCKETS) == 0, "out of range");
    for (int i = 0; i < 100000; i++) {
        uint64_t v = testrand_u64() >> testrand_range(64);
        size_t b = metrics_bucket_index(v);
        CHECK((v <= 1 && b == 0) || (kzg_metrics_bucket_lower_ns(b) < v &&
                                     v <= kzg_metrics_bucket_upper_ns(b)),
              "%llu in bucket %zu", (unsigned long long)v, b);
    }
}

/* Records `n` values into a fresh metrics object and checks every listed quantile against
 * the exact nearest-rank quantile of the sorted values. */
static void check_quantiles(const char *what, uint64_t *v, size_t n) {
    kzg_metrics *m = NULL;
    CHECK(kzg_metrics_new(&m) == KZG_OK, "kzg_metrics_new");
    kzg_metrics_stats *s = kzg_malloc(sizeof *s);
    CHECK(s != NULL, "alloc");
    if (!m || !s) goto out;
    for (size_t i = 0; i < n; i++) metrics_record_ns(m, KZG_OP_VERIFY_KZG_PROOF, KZG_OK, v[i], 1);
    CHECK(kzg_metrics_snapshot(m, s) == KZG_OK, "snapshot");
    qsort(v, n, sizeof *v, cmp_u64);
    const kzg_metrics_op_stats *o = &s->ops[KZG_OP_VERIFY_KZG_PROOF];
    CHECK(o->calls == n && o->min_ns == v[0] && o->max_ns == v[n - 1], "%s: calls/min/max", what);
    const double qs[] = {0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 0.9999, 1.0};
    double worst = 0;
    for (size_t i = 0; i < KZG_ARRAY_LEN(qs); i++) {
        size_t rank = (size_t)ceil(qs[i] * (double)n - 1e-9);
        if (rank < 1) rank = 1;
        uint64_t exact = v[rank - 1], got = kzg_metrics_quantile_ns(o, qs[i]);
        double err = fabs((double)got - (double)exact) / (double)exact;
        if (err > worst) worst = err;
        CHECK(exact <= 32 ? got == exact : err <= 1.0 / 32,
              "%s: q %.4f: exact %llu, histogram %llu (error %.4f)", what, qs[i],
              (unsigned long long)exact, (unsigned long long)got, err);
    }
    CHECK(o->p50_ns == kzg_metrics_quantile_ns(o, 0.5) && o->p90_ns == kzg_metrics_quantile_ns(o, 0.9) &&
              o->p99_ns == kzg_metrics_quantile_ns(o, 0.99) &&
              o->p999_ns == kzg_metrics_quantile_ns(o, 0.999),
          "%s: snapshot percentiles differ from kzg_metrics_quantile_ns", what);
    printf("%s: %zu values, worst relative quantile error %.5f (bound %.5f)\n", what, n, worst,
           1.0 / 32);
out:
    kzg_free(s);
    kzg_metrics_free(m);
}

static void test_metrics_quantiles__match_known_data(void) {
    enum { N = 100000 };
    uint64_t *v = kzg_malloc(N * sizeof *v);
    CHECK(v != NULL, "alloc");
    if (!v) return;
    /* Uniform over [1 µs, 2 ms]. */
    for (size_t i = 0; i < N; i++) v[i] = 1000 + testrand_range(1999001);
    check_quantiles("uniform", v, N);
    /* Skewed: 98.9 % near 1 ms, 1 % at 5–10 ms, 0.1 % at 0.1–1 s (a long tail). */
    for (size_t i = 0; i < N; i++) {
        uint64_t r = testrand_range(1000);
        v[i] = r < 989 ? 900000 + testrand_range(200000)
             : r < 999 ? 5000000 + testrand_range(5000000)
                       : 100000000 + testrand_range(900000000);
    }
    check_quantiles("skewed", v, N);
    /* Exponential-like: every scale from 1 ns to ~70 s. */
    for (size_t i = 0; i < N; i++) v[i] = 1 + (testrand_u64() >> (28 + testrand_range(36)));
    check_quantiles("log-spread", v, N);
    /* Tiny values are exact. */
    for (size_t i = 0; i < 32; i++) v[i] = i + 1;
    check_quantiles("tiny", v, 32);
    /* Deterministic: 1..1000 µs, one of each. */
    for (size_t i = 0; i < 1000; i++) v[i] = (i + 1) * 1000;
    check_quantiles("1..1000 us", v, 1000);
    kzg_free(v);

    /* Beyond 2^37 ns: the overflow bucket reports the observed maximum. */
    kzg_metrics *m = NULL;
    kzg_metrics_stats *s = kzg_malloc(sizeof *s);
    CHECK(kzg_metrics_new(&m) == KZG_OK && s, "new");
    if (!m || !s) { kzg_free(s); kzg_metrics_free(m); return; }
    metrics_record_ns(m, KZG_OP_CTX_NEW, KZG_OK, 1000, 0);
    metrics_record_ns(m, KZG_OP_CTX_NEW, KZG_OK, 300000000000ULL, 0);
    kzg_metrics_snapshot(m, s);
    CHECK(kzg_metrics_quantile_ns(&s->ops[KZG_OP_CTX_NEW], 1.0) == 300000000000ULL, "overflow max");
    CHECK(s->ops[KZG_OP_CTX_NEW].p50_ns >= 1000 && s->ops[KZG_OP_CTX_NEW].p50_ns <= 1000 + 1000 / 32,
          "p50 with overflow %llu",
          (unsigned long long)s->ops[KZG_OP_CTX_NEW].p50_ns);
    CHECK(kzg_metrics_quantile_ns(&s->ops[KZG_OP_CTX_NEW], 0.0) == 0 &&
              kzg_metrics_quantile_ns(&s->ops[KZG_OP_CTX_NEW], 1.5) == 0 &&
              kzg_metrics_quantile_ns(&s->ops[KZG_OP_BLOB_TO_KZG_COMMITMENT], 0.5) == 0 &&
              kzg_metrics_quantile_ns(NULL, 0.5) == 0,
          "out-of-range quantile queries");
    kzg_free(s);
    kzg_metrics_free(m);
}

static void test_metrics__counts_calls_errors_items_exactly(void) {
    kzg_metrics *m = NULL;
    kzg_metrics_stats *s = kzg_malloc(sizeof *s);
    CHECK(kzg_metrics_new(&m) == KZG_OK && s, "new");
    if (!m || !s) { kzg_free(s); kzg_metrics_free(m); return; }
    for (int i = 0; i < 10; i++)
        metrics_record_ns(m, KZG_OP_BLOB_TO_KZG_COMMITMENT, KZG_OK, 1000000 + (uint64_t)i, 1);
    metrics_record_ns(m, KZG_OP_BLOB_TO_KZG_COMMITMENT, KZG_ERR_LENGTH, 500, 0);
    metrics_record_ns(m, KZG_OP_BLOB_TO_KZG_COMMITMENT, KZG_ERR_SCALAR_NONCANONICAL, 700, 0);
    metrics_record_ns(m, KZG_OP_BLOB_TO_KZG_COMMITMENT, KZG_ERR_LENGTH, 900, 0);
    metrics_record_ns(m, KZG_OP_VERIFY_BLOB_KZG_PROOF_BATCH, KZG_OK, 5000000, 64);
    metrics_record_ns(m, KZG_OP_VERIFY_BLOB_KZG_PROOF_BATCH, (kzg_status)99, 10, 0);
    metrics_record_ns(m, KZG_OP_VERIFY_BLOB_KZG_PROOF_BATCH, (kzg_status)-3, 10, 0);
    metrics_record_ns(m, (kzg_op)KZG_OP_COUNT, KZG_OK, 1, 1); /* ignored */
    metrics_record_ns(m, (kzg_op)-1, KZG_OK, 1, 1);           /* ignored */
    metrics_record(NULL, KZG_OP_CTX_NEW, KZG_OK, 0, 1);       /* metrics off */
    metrics_record_ns(NULL, KZG_OP_CTX_NEW, KZG_OK, 0, 1);
    CHECK(metrics_start(NULL) == 0, "metrics_start(NULL) reads the clock");
    uint64_t t0 = metrics_start(m);
    CHECK(t0 > 0, "metrics_start");
    metrics_record(m, KZG_OP_RECOVER_CELLS_AND_KZG_PROOFS, KZG_OK, t0, 128);
    CHECK(kzg_metrics_snapshot(m, s) == KZG_OK, "snapshot");
    const kzg_metrics_op_stats *b = &s->ops[KZG_OP_BLOB_TO_KZG_COMMITMENT];
    CHECK(b->calls == 13 && b->errors == 3 && b->items == 10, "calls %llu errors %llu items %llu",
          (unsigned long long)b->calls, (unsigned long long)b->errors, (unsigned long long)b->items);
    CHECK(b->errors_by_status[KZG_ERR_LENGTH] == 2 &&
              b->errors_by_status[KZG_ERR_SCALAR_NONCANONICAL] == 1 && b->errors_by_status[KZG_OK] == 0,
          "errors by status");
    CHECK(b->total_ns == 10000045 + 2100 && b->min_ns == 500 && b->max_ns == 1000009 &&
              b->mean_ns == (10000045 + 2100) / 13,
          "total %llu min %llu max %llu", (unsigned long long)b->total_ns,
          (unsigned long long)b->min_ns, (unsigned long long)b->max_ns);
    CHECK(fabs(b->error_rate - 3.0 / 13) < 1e-12, "error rate %f", b->error_rate);
    CHECK(b->calls_per_second > 0 && b->items_per_second > 0, "throughput");
    const kzg_metrics_op_stats *v = &s->ops[KZG_OP_VERIFY_BLOB_KZG_PROOF_BATCH];
    CHECK(v->calls == 3 && v->items == 64 && v->errors_by_status[KZG_METRICS_STATUS_SLOTS - 1] == 2,
          "out-of-range statuses go to the last slot");
    const kzg_metrics_op_stats *r = &s->ops[KZG_OP_RECOVER_CELLS_AND_KZG_PROOFS];
    CHECK(r->calls == 1 && r->items == 128 && r->max_ns < 1000000000, "metrics_record");
    CHECK(s->ops[KZG_OP_CTX_NEW].calls == 0 && s->ops[KZG_OP_CTX_NEW].min_ns == 0,
          "an op without calls");
    CHECK(s->calls == 17 && s->errors == 5, "totals %llu %llu", (unsigned long long)s->calls,
          (unsigned long long)s->errors);
    CHECK(s->uptime_ns > 0 && s->start_time_unix_ns > 1500000000ULL * 1000000000ULL, "times");
    CHECK(strcmp(kzg_op_name(KZG_OP_VERIFY_CELL_KZG_PROOF_BATCH), "verify_cell_kzg_proof_batch") == 0 &&
              strcmp(kzg_op_name((kzg_op)KZG_OP_COUNT), "unknown") == 0 &&
              strcmp(kzg_op_name(KZG_OP_CTX_NEW), "ctx_new") == 0,
          "op names");
    kzg_free(s);
    kzg_metrics_free(m);
}

static void test_metrics__rejects_bad_arguments(void) {
    CHECK(kzg_metrics_new(NULL) == KZG_ERR_NULL_ARG, "new(NULL)");
    kzg_metrics *m = NULL;
    CHECK(kzg_metrics_new(&m) == KZG_OK, "new");
    kzg_metrics_stats *s = kzg_malloc(sizeof *s);
    if (!m || !s) { kzg_free(s); kzg_metrics_free(m); return; }
    s->calls = 7;
    CHECK(kzg_metrics_snapshot(NULL, s) == KZG_ERR_NULL_ARG && s->calls == 0, "snapshot(NULL)");
    CHECK(kzg_metrics_snapshot(m, NULL) == KZG_ERR_NULL_ARG, "snapshot into NULL");
    kzg_metrics_snapshot(m, s);
    size_t len = 5;
    char small[8];
    CHECK(kzg_metrics_write_json(small, sizeof small, NULL, s) == KZG_ERR_NULL_ARG, "NULL len");
    CHECK(kzg_metrics_write_json(small, sizeof small, &len, NULL) == KZG_ERR_NULL_ARG && len == 0,
          "NULL stats");
    CHECK(kzg_metrics_write_json(NULL, 10, &len, s) == KZG_ERR_NULL_ARG, "NULL buf with a size");
    CHECK(kzg_metrics_fprint_json(NULL, s) == KZG_ERR_NULL_ARG, "NULL FILE");
    CHECK(kzg_metrics_fprint_prometheus(stdout, NULL) == KZG_ERR_NULL_ARG, "NULL stats");
    CHECK(metrics_attach_cache(m, "x", NULL) == KZG_ERR_NULL_ARG, "attach NULL cache");
    cache_config cfg = {.budget_bytes = 4096};
    cache_t *c = NULL;
    cache_new(&c, &cfg);
    for (int i = 0; i < KZG_METRICS_MAX_CACHES; i++)
        CHECK(metrics_attach_cache(m, "c", c) == KZG_OK, "attach %d", i);
    CHECK(metrics_attach_cache(m, "c", c) == KZG_ERR_BAD_ARG, "too many caches");
    metrics_detach_cache(m, c);
    kzg_metrics_snapshot(m, s);
    CHECK(s->n_caches == 0, "detach");
    metrics_detach_cache(NULL, c);
    cache_free(c);
    kzg_free(s);
    kzg_metrics_free(m);
    kzg_metrics_free(NULL);
}

/* ---- a strict JSON validator (RFC 8259 syntax) ---------------------------------------- */

static const char *js_ws(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}
static const char *js_value(const char *p, int depth);
static const char *js_string(const char *p) {
    if (*p != '"') return NULL;
    for (p++; *p != '"'; p++) {
        if ((unsigned char)*p < 0x20) return NULL;
        if (*p == '\\') {
            p++;
            if (*p == 'u') {
                for (int i = 1; i <= 4; i++) if (!isxdigit((unsigned char)p[i])) return NULL;
                p += 4;
            } else if (!strchr("\"\\/bfnrt", *p) || !*p) {
                return NULL;
            }
        }
    }
    return p + 1;
}
static const char *js_number(const char *p) {
    if (*p == '-') p++;
    if (*p == '0') p++;
    else if (isdigit((unsigned char)*p)) while (isdigit((unsigned char)*p)) p++;
    else return NULL;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p)) return NULL;
        while (isdigit((unsigned char)*p)) p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!isdigit((unsigned char)*p)) return NULL;
        while (isdigit((unsigned char)*p)) p++;
    }
    return p;
}
static const char *js_value(const char *p, int depth) {
    if (depth > 32) return NULL;
    p = js_ws(p);
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        bool obj = *p == '{';
        p = js_ws(p + 1);
        if (*p == close) return p + 1;
        for (;;) {
            if (obj) {
                p = js_string(js_ws(p));
                if (!p) return NULL;
                p = js_ws(p);
                if (*p != ':') return NULL;
                p++;
            }
            p = js_value(p, depth + 1);
            if (!p) return NULL;
            p = js_ws(p);
            if (*p == ',') { p++; continue; }
            if (*p == close) return p + 1;
            return NULL;
        }
    }
    if (*p == '"') return js_string(p);
    if (!strncmp(p, "true", 4)) return p + 4;
    if (!strncmp(p, "false", 5)) return p + 5;
    if (!strncmp(p, "null", 4)) return p + 4;
    return js_number(p);
}
static bool json_valid(const char *text) {
    const char *p = js_value(text, 0);
    return p && *js_ws(p) == '\0';
}

/* ---- a Prometheus text-format (0.0.4) checker ----------------------------------------- */

typedef struct {
    char family[96], type[16];
    bool help;
} prom_family;

static bool prom_quiet; /* the validator's self-test expects rejections */
#define fprintf(stream, ...) (prom_quiet ? 0 : fprintf(stream, __VA_ARGS__))

static bool metric_name_ok(const char *s, size_t n) {
    if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_' || s[0] == ':')) return false;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == ':')) return false;
    return true;
}

static bool value_ok(const char *s, double *out) {
    if (!strcmp(s, "+Inf")) { *out = INFINITY; return true; }
    if (!strcmp(s, "-Inf")) { *out = -INFINITY; return true; }
    if (!strcmp(s, "NaN")) { *out = NAN; return true; }
    char *end;
    *out = strtod(s, &end);
    return end != s && *end == '\0';
}

/* Checks the whole exposition; returns the number of sample lines, or -1. Checks histogram
 * bucket series: `le` strictly increasing, counts cumulative, +Inf last and equal to
 * _count. */
static int prom_check(char *text, int *histograms) {
    prom_family fam[64];
    size_t nfam = 0;
    int samples = 0;
    char cur_hist[128] = "";
    double last_le = -1, last_count = -1, inf_count = -1;
    *histograms = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#') {
            char kind[8], name[96];
            int off = 0;
            if (sscanf(line, "# %7s %95s %n", kind, name, &off) < 2 || !metric_name_ok(name, strlen(name))) {
                fprintf(stderr, "bad comment line: %s\n", line);
                return -1;
            }
            prom_family *f = NULL;
            for (size_t i = 0; i < nfam; i++) if (!strcmp(fam[i].family, name)) f = &fam[i];
            if (!strcmp(kind, "HELP")) {
                if (f || nfam == 64 || !line[off]) { fprintf(stderr, "HELP: %s\n", line); return -1; }
                f = &fam[nfam++];
                snprintf(f->family, sizeof f->family, "%s", name);
                f->type[0] = '\0';
                f->help = true;
            } else if (!strcmp(kind, "TYPE")) {
                const char *t = line + off;
                if (!f || f->type[0] ||
                    (strcmp(t, "counter") && strcmp(t, "gauge") && strcmp(t, "histogram") &&
                     strcmp(t, "summary") && strcmp(t, "untyped"))) {
                    fprintf(stderr, "TYPE: %s\n", line);
                    return -1;
                }
                snprintf(f->type, sizeof f->type, "%s", t);
            }
            continue;
        }
        /* name{labels} value */
        size_t n = strcspn(line, "{ ");
        if (!metric_name_ok(line, n)) { fprintf(stderr, "name: %s\n", line); return -1; }
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)n, line);
        char *p = line + n, le[128] = "";
        if (*p == '{') {
            p++;
            while (*p != '}') {
                size_t ln = strcspn(p, "=");
                if (!metric_name_ok(p, ln) || p[ln] != '=' || p[ln + 1] != '"') {
                    fprintf(stderr, "label: %s\n", line);
                    return -1;
                }
                char lname[64];
                snprintf(lname, sizeof lname, "%.*s", (int)ln, p);
                p += ln + 2;
                char val[128];
                size_t vn = 0;
                while (*p != '"') {
                    if (!*p || *p == '\n') { fprintf(stderr, "value: %s\n", line); return -1; }
                    if (*p == '\\') {
                        p++;
                        if (*p != '\\' && *p != '"' && *p != 'n') return -1;
                    }
                    if (vn + 1 < sizeof val) val[vn++] = *p;
                    p++;
                }
                val[vn] = '\0';
                if (!strcmp(lname, "le")) snprintf(le, sizeof le, "%s", val);
                p++;
                if (*p == ',') p++;
                else if (*p != '}') { fprintf(stderr, "labels: %s\n", line); return -1; }
            }
            p++;
        }
        if (*p != ' ') { fprintf(stderr, "no value: %s\n", line); return -1; }
        double value;
        if (!value_ok(p + 1, &value)) { fprintf(stderr, "bad value: %s\n", line); return -1; }
        /* The family: exact name, or a histogram/summary's _bucket/_sum/_count. */
        prom_family *f = NULL;
        const char *suffix = "";
        for (size_t i = 0; i < nfam; i++) {
            size_t fl = strlen(fam[i].family);
            if (strncmp(name, fam[i].family, fl)) continue;
            const char *rest = name + fl;
            if (!*rest || ((!strcmp(rest, "_bucket") && !strcmp(fam[i].type, "histogram")) ||
                           ((!strcmp(rest, "_sum") || !strcmp(rest, "_count")) &&
                            (!strcmp(fam[i].type, "histogram") || !strcmp(fam[i].type, "summary"))))) {
                f = &fam[i];
                suffix = rest;
            }
        }
        if (!f || !f->type[0]) { fprintf(stderr, "sample before HELP/TYPE: %s\n", line); return -1; }
        if (!strcmp(f->type, "counter") && !(value >= 0)) return -1;
        if (!strcmp(suffix, "_bucket")) {
            char series[128];
            snprintf(series, sizeof series, "%.*s", (int)(strstr(line, ",le=") ? strstr(line, ",le=") - line : 0), line);
            double lev;
            if (!le[0] || !value_ok(le, &lev)) { fprintf(stderr, "le: %s\n", line); return -1; }
            if (strcmp(series, cur_hist)) {
                snprintf(cur_hist, sizeof cur_hist, "%s", series);
                last_le = -1;
                last_count = -1;
                inf_count = -1;
                (*histograms)++;
            }
            if (!(lev > last_le) || value < last_count) {
                fprintf(stderr, "non-cumulative bucket: %s\n", line);
                return -1;
            }
            last_le = lev;
            last_count = value;
            if (isinf(lev)) inf_count = value;
        } else if (!strcmp(suffix, "_count") && !strcmp(f->type, "histogram")) {
            if (inf_count < 0 || inf_count != value) {
                fprintf(stderr, "+Inf bucket %f != _count: %s\n", inf_count, line);
                return -1;
            }
        }
        samples++;
    }
    return samples;
}

#undef fprintf

static void test_metrics_export__json_and_prometheus_are_valid(void) {
    kzg_metrics *m = NULL;
    kzg_metrics_stats *s = kzg_malloc(sizeof *s);
    CHECK(kzg_metrics_new(&m) == KZG_OK && s, "new");
    cache_config cfg = {.budget_bytes = 1 << 16};
    cache_t *c1 = NULL, *c2 = NULL;
    CHECK(cache_new(&c1, &cfg) == KZG_OK && cache_new(&c2, &cfg) == KZG_OK, "caches");
    if (!m || !s || !c1 || !c2) goto out;
    CHECK(metrics_attach_cache(m, "commitment", c1) == KZG_OK, "attach");
    CHECK(metrics_attach_cache(m, "we\"ird\\name\n", c2) == KZG_OK, "attach");
    uint8_t key[32] = {1}, val[48] = {2}, got[48];
    size_t gl;
    cache_put(c1, key, val, sizeof val);
    cache_get(c1, got, sizeof got, &gl, key);
    cache_get(c1, got, sizeof got, &gl, key);
    key[0] = 2;
    cache_get(c1, got, sizeof got, &gl, key);
    for (int i = 0; i < 1000; i++)
        metrics_record_ns(m, KZG_OP_COMPUTE_BLOB_KZG_PROOF, i % 100 ? KZG_OK : KZG_ERR_POINT_ENCODING,
                          500000 + testrand_range(3000000), 1);
    metrics_record_ns(m, KZG_OP_VERIFY_KZG_PROOF, KZG_OK, 200, 1);             /* below 1 µs */
    metrics_record_ns(m, KZG_OP_VERIFY_KZG_PROOF, KZG_OK, 1ULL << 37, 1);      /* top edge */
    metrics_record_ns(m, KZG_OP_VERIFY_KZG_PROOF, KZG_OK, 400000000000ULL, 1); /* overflow */
    CHECK(kzg_metrics_snapshot(m, s) == KZG_OK, "snapshot");
    CHECK(s->n_caches == 2 && s->cache_hits == 2 && s->cache_misses == 1 &&
              fabs(s->cache_hit_rate - 2.0 / 3) < 1e-12,
          "cache stats in the snapshot: %llu hits %llu misses", (unsigned long long)s->cache_hits,
          (unsigned long long)s->cache_misses);

    /* JSON: size query, too small, exact fit, FILE* identical. */
    size_t need = 0, len = 0;
    CHECK(kzg_metrics_write_json(NULL, 0, &need, s) == KZG_OK && need > 100, "size query %zu", need);
    char *buf = kzg_malloc(need + 1);
    if (!buf) goto out;
    CHECK(kzg_metrics_write_json(buf, need, &len, s) == KZG_ERR_LENGTH && len == need && buf[0] == 0,
          "one byte short");
    CHECK(kzg_metrics_write_json(buf, need + 1, &len, s) == KZG_OK && len == need &&
              strlen(buf) == need, "exact fit");
    CHECK(json_valid(buf), "invalid JSON:\n%s", buf);
    CHECK(strstr(buf, "\"compute_blob_kzg_proof\":{\"calls\":1000,\"errors\":10,\"items\":1000,") != NULL,
          "compute_blob_kzg_proof counters missing");
    CHECK(strstr(buf, "\"errors_by_status\":{\"point_encoding\":10}") != NULL, "errors by status");
    CHECK(strstr(buf, "\"name\":\"we\\\"ird\\\\name\\n\"") != NULL, "escaped cache name");
    CHECK(strstr(buf, "[null,1]") != NULL, "overflow bucket");
    FILE *f = tmpfile();
    if (f) {
        CHECK(kzg_metrics_fprint_json(f, s) == KZG_OK, "fprint_json");
        long fl = ftell(f);
        rewind(f);
        char *fb = kzg_malloc((size_t)fl + 1);
        if (fb) {
            size_t rd = fread(fb, 1, (size_t)fl, f);
            fb[rd] = '\0';
            CHECK(rd == need && !strcmp(fb, buf), "FILE output differs from the buffer output");
            kzg_free(fb);
        }
        fclose(f);
    }
    kzg_free(buf);

    /* Prometheus. */
    CHECK(kzg_metrics_write_prometheus(NULL, 0, &need, s) == KZG_OK, "size query");
    buf = kzg_malloc(need + 1);
    if (!buf) goto out;
    CHECK(kzg_metrics_write_prometheus(buf, need + 1, &len, s) == KZG_OK && len == need, "write");
    const char *required[] = {
        "# TYPE kzgkit_uptime_seconds gauge\n",
        "# TYPE kzgkit_operation_calls_total counter\n",
        "kzgkit_operation_calls_total{op=\"compute_blob_kzg_proof\"} 1000\n",
        "kzgkit_operation_calls_total{op=\"recover_cells_and_kzg_proofs\"} 0\n",
        "kzgkit_operation_errors_total{op=\"compute_blob_kzg_proof\",status=\"point_encoding\"} 10\n",
        "kzgkit_operation_items_total{op=\"compute_blob_kzg_proof\"} 1000\n",
        "# TYPE kzgkit_operation_duration_seconds histogram\n",
        "kzgkit_operation_duration_seconds_bucket{op=\"compute_blob_kzg_proof\",le=\"+Inf\"} 1000\n",
        "kzgkit_operation_duration_seconds_count{op=\"compute_blob_kzg_proof\"} 1000\n",
        "kzgkit_operation_duration_seconds_bucket{op=\"verify_kzg_proof\",le=\"0.000001024\"} 1\n",
        "kzgkit_operation_duration_seconds_bucket{op=\"verify_kzg_proof\",le=\"68.719476736\"} 1\n",
        "kzgkit_operation_duration_seconds_bucket{op=\"verify_kzg_proof\",le=\"137.438953472\"} 2\n",
        "kzgkit_operation_duration_seconds_bucket{op=\"verify_kzg_proof\",le=\"+Inf\"} 3\n",
        "# TYPE kzgkit_operation_latency_seconds summary\n",
        "kzgkit_operation_latency_seconds{op=\"compute_blob_kzg_proof\",quantile=\"0.99\"} ",
        "# TYPE kzgkit_cache_hits_total counter\n",
        "kzgkit_cache_hits_total{cache=\"commitment\"} 2\n",
        "kzgkit_cache_misses_total{cache=\"commitment\"} 1\n",
        "kzgkit_cache_hits_total{cache=\"we\\\"ird\\\\name\\n\"} 0\n",
        "kzgkit_cache_hit_ratio{cache=\"commitment\"} 0.666667\n",
        "# TYPE kzgkit_cache_size_bytes gauge\n",
    };
    for (size_t i = 0; i < KZG_ARRAY_LEN(required); i++)
        CHECK(strstr(buf, required[i]) != NULL, "Prometheus output lacks: %s", required[i]);
    CHECK(strstr(buf, "op=\"ctx_new\",le=") == NULL, "histogram emitted for an op without calls");
    int histograms = 0;
    int samples = prom_check(buf, &histograms); /* (strtok: buf is consumed) */
    CHECK(samples > 100 && histograms == 2, "exposition check: %d samples, %d histograms", samples,
          histograms);
    kzg_free(buf);

    /* An empty snapshot exports validly too. */
    kzg_metrics_free(m);
    m = NULL;
    CHECK(kzg_metrics_new(&m) == KZG_OK, "new");
    if (!m) goto out;
    kzg_metrics_snapshot(m, s);
    char big[16384];
    CHECK(kzg_metrics_write_json(big, sizeof big, &len, s) == KZG_OK && json_valid(big), "empty JSON");
    CHECK(kzg_metrics_write_prometheus(big, sizeof big, &len, s) == KZG_OK, "empty Prometheus");
    CHECK(prom_check(big, &histograms) == 4 * KZG_OP_COUNT + 2 && histograms == 0, "empty exposition");
out:
    cache_free(c1);
    cache_free(c2);
    kzg_free(s);
    kzg_metrics_free(m);
}

/* A snapshot built by hand (the exporters take any caller's snapshot): every status slot
 * named (known, numbered, "other"), the overflow bucket, rates to clamp (NaN, huge), more
 * caches than the array holds, names with control bytes and without a NUL, an adaptive
 * cache; and a stream that fails (/dev/full). */
static void test_metrics_export__crafted_snapshot(void) {
    kzg_metrics_stats *s = calloc(1, sizeof *s);
    if (!s) return;
    s->n_ops = KZG_OP_COUNT;
    kzg_metrics_op_stats *op = &s->ops[KZG_OP_VERIFY_KZG_PROOF];
    op->calls = op->errors = 3;
    op->errors_by_status[KZG_ERR_IO] = 1;
    op->errors_by_status[20] = 1;                           /* a status this build has no name for */
    op->errors_by_status[KZG_METRICS_STATUS_SLOTS - 1] = 1; /* the catch-all slot */
    op->histogram[KZG_METRICS_BUCKETS - 1] = 3;             /* all in the overflow bucket */
    op->error_rate = NAN;
    op->calls_per_second = 1e300;
    s->error_rate = -1;
    s->n_caches = KZG_METRICS_MAX_CACHES + 3; /* only the array's caches are read */
    for (int i = 0; i < KZG_METRICS_MAX_CACHES; i++) {
        memset(s->caches[i].name, 'a' + i, KZG_METRICS_CACHE_NAME_MAX); /* no NUL */
        s->caches[i].stats.adaptive = i == 1;
    }
    s->caches[0].name[3] = '\x01';
    s->caches[0].name[4] = '\x7f';
    char *buf = malloc(1 << 20);
    size_t len = 0;
    CHECK(buf && kzg_metrics_write_json(buf, 1 << 20, &len, s) == KZG_OK && json_valid(buf),
          "crafted snapshot, JSON: %s", kzg_last_error());
    const char *want_json[] = {"\"io\":1", "\"status_20\":1", "\"other\":1", "[null,3]",
                               "\"error_rate\":0.000000", "\"calls_per_second\":1000000000000.000000",
                               "\"name\":\"aaa??aaaaaaaaaaaaaaaaaaa\"", "\"adaptive\":true"};
    for (size_t i = 0; buf && i < KZG_ARRAY_LEN(want_json); i++)
        CHECK(strstr(buf, want_json[i]) != NULL, "JSON lacks %s", want_json[i]);
    CHECK(buf && kzg_metrics_write_prometheus(buf, 1 << 20, &len, s) == KZG_OK &&
              strstr(buf, "status=\"other\"} 1") && strstr(buf, "status=\"status_20\"} 1") &&
              strstr(buf, "cache=\"dddddddddddddddddddddddd\"") && !strstr(buf, "eeee"),
          "crafted snapshot, Prometheus");
    int histograms = 0;
    CHECK(buf && prom_check(buf, &histograms) > 0, "crafted snapshot: exposition check");
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        setvbuf(full, NULL, _IONBF, 0); /* each write reaches the device and fails */
        CHECK(kzg_metrics_fprint_json(full, s) == KZG_ERR_IO && strstr(kzg_last_error(), "write failed"),
              "JSON to /dev/full: %s", kzg_last_error());
        clearerr(full);
        CHECK(kzg_metrics_fprint_prometheus(full, s) == KZG_ERR_IO, "Prometheus to /dev/full");
        fclose(full);
    }
    char zero_room[4] = "abc";
    CHECK(kzg_metrics_write_json(zero_room, 0, &len, s) == KZG_ERR_LENGTH && zero_room[0] == 'a',
          "a buffer of 0 bytes is not written to");
    char tiny[8] = "x";
    CHECK(kzg_metrics_write_prometheus(tiny, sizeof tiny, &len, s) == KZG_ERR_LENGTH && tiny[0] == '\0' &&
              len > 1000, "Prometheus into 8 bytes");
    CHECK(kzg_metrics_bucket_lower_ns(KZG_METRICS_BUCKETS) == 0 &&
              kzg_metrics_bucket_upper_ns(KZG_METRICS_BUCKETS) == 0, "out-of-range bucket");
    free(buf);
    free(s);

    /* Attaching: NULL arguments; detaching one of two keeps the other. */
    kzg_metrics *m = NULL;
    cache_config cfg = {.budget_bytes = 1 << 12};
    cache_t *c1 = NULL, *c2 = NULL;
    kzg_metrics_stats *t = malloc(sizeof *t);
    if (t && kzg_metrics_new(&m) == KZG_OK && cache_new(&c1, &cfg) == KZG_OK && cache_new(&c2, &cfg) == KZG_OK) {
        CHECK(metrics_attach_cache(NULL, "x", c1) == KZG_ERR_NULL_ARG &&
                  metrics_attach_cache(m, NULL, c1) == KZG_ERR_NULL_ARG &&
                  metrics_attach_cache(m, "x", NULL) == KZG_ERR_NULL_ARG, "attach: NULL arguments");
        CHECK(metrics_attach_cache(m, "one", c1) == KZG_OK && metrics_attach_cache(m, "two", c2) == KZG_OK,
              "attach two");
        metrics_detach_cache(m, c1);
        metrics_detach_cache(NULL, c1);
        CHECK(kzg_metrics_snapshot(m, t) == KZG_OK && t->n_caches == 1 && strcmp(t->caches[0].name, "two") == 0,
              "after detaching the first: %u caches", t->n_caches);
    }
    cache_free(c1);
    cache_free(c2);
    kzg_metrics_free(m);
    free(t);
}

/* The validators themselves must reject broken input, or the checks above prove nothing. */
static void test_validators__reject_broken_text(void) {
    CHECK(!json_valid("{\"a\":1,}") && !json_valid("{\"a\" 1}") && !json_valid("[1,2") &&
              !json_valid("{\"a\":01}") && !json_valid("{\"a\":1.}") && json_valid("{\"a\":[1,-2.5e3,null]}"),
          "JSON validator");
    const char *bad[] = {
        "kzgkit_x 1\n",                                                        /* no TYPE */
        "# HELP a h\n# TYPE a counter\na{op=\"x} 1\n",                         /* open quote */
        "# HELP a h\n# TYPE a counter\na 1x\n",                                /* bad value */
        "# HELP a h\n# TYPE a histogram\na_bucket{le=\"2\"} 5\na_bucket{le=\"1\"} 6\n",
        "# HELP a h\n# TYPE a histogram\na_bucket{le=\"1\"} 5\na_bucket{le=\"+Inf\"} 4\n",
        "# HELP a h\n# TYPE a histogram\na_bucket{le=\"+Inf\"} 4\na_count 5\n",
        "# HELP a h\n# TYPE a wrong\n",
    };
    prom_quiet = true;
    for (size_t i = 0; i < KZG_ARRAY_LEN(bad); i++) {
        char tmp[256];
        snprintf(tmp, sizeof tmp, "%s", bad[i]);
        int h;
        CHECK(prom_check(tmp, &h) < 0, "Prometheus checker accepted case %zu", i);
    }
    prom_quiet = false;
}

int main(void) {
    testrand_init("test_metrics");
    test_metrics_buckets__tile_the_range_upper_inclusive();
    test_metrics_quantiles__match_known_data();
    test_metrics__counts_calls_errors_items_exactly();
    test_metrics__rejects_bad_arguments();
    test_validators__reject_broken_text();
    test_metrics_export__json_and_prometheus_are_valid();
    test_metrics_export__crafted_snapshot();
    return test_report();
}
