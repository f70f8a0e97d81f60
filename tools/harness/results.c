/* tools/harness/results.c — see results.h and docs/BENCH.md (schema). */
#include "results.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/files.h"
#include "formats.h"

#ifndef HARNESS_KZGKIT_VERSION
#define HARNESS_KZGKIT_VERSION "unknown"
#endif

#define MAX_RESULT_FILE (256u << 20) /* refuse absurd inputs before parsing them */

/* ---- the set ------------------------------------------------------------------- */

void harness_results_init(harness_results *r) {
    memset(r, 0, sizeof *r);
    r->schema_version = HARNESS_SCHEMA_VERSION;
    snprintf(r->kzgkit_version, sizeof r->kzgkit_version, "%s", HARNESS_KZGKIT_VERSION);
    snprintf(r->unit, sizeof r->unit, "%s", HARNESS_UNIT_NS);
}

bool harness_results_counts(const harness_results *r) {
    return strcmp(r->unit, HARNESS_UNIT_INSTRUCTIONS) == 0;
}

void harness_results_free(harness_results *r) {
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) free(r->items[i].samples_ns);
    free(r->items);
    r->items = NULL;
    r->n = r->cap = 0;
}

harness_result *harness_results_push(harness_results *r) {
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        harness_result *p = realloc(r->items, cap * sizeof *p);
        if (!p) return NULL;
        r->items = p;
        r->cap = cap;
    }
    harness_result *res = &r->items[r->n++];
    memset(res, 0, sizeof *res);
    res->throughput = NAN;
    res->l1_misses = res->ll_misses = res->est_cycles = NAN;
    return res;
}

int harness_result_set_figure(harness_result *res, const char *key, double value) {
    if (!*key || strlen(key) >= HARNESS_KEY_MAX || !isfinite(value)) return -1;
    for (size_t i = 0; i < res->n_figures; i++)
        if (strcmp(res->figures[i].key, key) == 0) {
            res->figures[i].value = value;
            return 0;
        }
    if (res->n_figures == HARNESS_MAX_FIGURES) return -1;
    harness_figure *fg = &res->figures[res->n_figures++];
    snprintf(fg->key, sizeof fg->key, "%s", key);
    fg->value = value;
    return 0;
}

double harness_result_figure(const harness_result *res, const char *key) {
    for (size_t i = 0; i < res->n_figures; i++)
        if (strcmp(res->figures[i].key, key) == 0) return res->figures[i].value;
    return NAN;
}

static void append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t cap, size_t *len, const char *fmt, ...) {
    if (*len >= cap) return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (w > 0) *len = (size_t)w >= cap - *len ? cap - 1 : *len + (size_t)w;
}

void harness_result_id(const harness_result *res, char *buf, size_t cap) {
    size_t len = 0;
    buf[0] = 0;
    append(buf, cap, &len, "%s", res->name);
    for (size_t i = 0; i < res->n_params; i++)
        append(buf, cap, &len, "/%s=%lld", res->params[i].key, res->params[i].value);
}

void harness_result_match_key(const harness_result *res, char *buf, size_t cap) {
    size_t order[HARNESS_MAX_PARAMS], n = res->n_params, len = 0;
    for (size_t i = 0; i < n; i++) order[i] = i;
    for (size_t i = 1; i < n; i++) /* insertion sort by key: at most 8 entries */
        for (size_t j = i; j > 0 &&
                           strcmp(res->params[order[j - 1]].key, res->params[order[j]].key) > 0;
             j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    buf[0] = 0;
    append(buf, cap, &len, "%s", res->name);
    for (size_t i = 0; i < n; i++)
        append(buf, cap, &len, "/%s=%lld", res->params[order[i]].key, res->params[order[i]].value);
}

long long harness_result_param(const harness_result *res, const char *key, long long dflt) {
    for (size_t i = 0; i < res->n_params; i++)
        if (strcmp(res->params[i].key, key) == 0) return res->params[i].value;
    return dflt;
}

/* ---- writer ----------------------------------------------------------------------- */

static void put_str(FILE *f, const char *s) {
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20 || *p == 0x7f) fprintf(f, "\\u%04x", *p);
            else fputc(*p, f);
        }
    }
    fputc('"', f);
}

/* The shortest of %.15g, %.16g, %.17g that reads back as the same double: stable output
 * that round-trips exactly, without 0.1 turning into 0.10000000000000001. */
static void put_num(FILE *f, double v) {
    if (!isfinite(v)) {
        fputs("null", f);
        return;
    }
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    fputs(buf, f);
}

void harness_json_put_str(FILE *f, const char *s) { put_str(f, s); }
void harness_json_put_num(FILE *f, double v) { put_num(f, v); }

static void put_opt(FILE *f, harness_opt_u64 v) {
    if (v.known) fprintf(f, "%" PRIu64, v.value);
    else fputs("null", f);
}

void harness_env_write_json(FILE *f, const harness_env *e) {
    fputs("{\n", f);
#define KSTR(k, v) (fputs("    \"" k "\": ", f), put_str(f, v), fputs(",\n", f))
#define KINT(k, v) fprintf(f, "    \"" k "\": %d,\n", (v))
    KSTR("cpu_model", e->cpu_model);
    KSTR("cpu_flags", e->cpu_flags);
    if (e->cpus_online >= 0) KINT("cpus_online", e->cpus_online);
    else fputs("    \"cpus_online\": null,\n", f);
    if (e->cpus_allowed >= 0) KINT("cpus_allowed", e->cpus_allowed);
    else fputs("    \"cpus_allowed\": null,\n", f);
    KSTR("affinity", e->affinity);
    fprintf(f, "    \"pinned\": %s,\n", e->pinned ? "true" : "false");
    KSTR("governor", e->governor);
    KSTR("turbo", e->turbo);
    fputs("    \"load_avg\": [", f);
    for (int i = 0; i < 3; i++) {
        if (i) fputs(", ", f);
        put_num(f, e->load_avg[i] >= 0 ? e->load_avg[i] : NAN);
    }
    fputs("],\n", f);
    KSTR("compiler", e->compiler);
    KSTR("cflags", e->cflags);
    KSTR("build_type", e->build_type);
    KSTR("git_revision", e->git_revision);
    KSTR("backend", e->backend);
    if (e->threads >= 0) KINT("threads", e->threads);
    else fputs("    \"threads\": null,\n", f);
    if (e->numa_nodes > 0) {
        KINT("numa_nodes", e->numa_nodes);
        /* One CPU list per node, as an array: "numa_node_cpus": ["0-7", "8-15"]. */
        fputs("    \"numa_node_cpus\": [", f);
        const char *p = e->numa_node_cpus;
        for (int k = 0; k < e->numa_nodes; k++) {
            char one[sizeof e->numa_node_cpus];
            size_t n = strcspn(p, ";");
            memcpy(one, p, n);
            one[n] = 0;
            if (k) fputs(", ", f);
            put_str(f, one);
            p += n + (p[n] == ';');
        }
        fputs("],\n", f);
    } else {
        fputs("    \"numa_nodes\": null,\n    \"numa_node_cpus\": null,\n", f);
    }
    KSTR("kernel", e->kernel);
    KSTR("hostname", e->hostname);
    KSTR("date", e->date);
    if (e->counter[0]) KSTR("counter", e->counter);
#undef KSTR
#undef KINT
    fputs("    \"warnings\": [", f);
    for (size_t i = 0; i < e->n_warnings; i++) {
        if (i) fputs(", ", f);
        put_str(f, e->warnings[i]);
    }
    fputs("]\n  }", f);
}

static void write_result(FILE *f, const harness_result *b) {
    const harness_summary *s = &b->stats;
    fputs("    {\n      \"name\": ", f);
    put_str(f, b->name);
    fputs(",\n      \"params\": {", f);
    for (size_t i = 0; i < b->n_params; i++) {
        if (i) fputs(", ", f);
        put_str(f, b->params[i].key);
        fprintf(f, ": %lld", b->params[i].value);
    }
    fputs("},\n      \"status\": ", f);
    put_str(f, b->error[0] ? "error" : "ok");
    fputs(",\n      \"error\": ", f);
    if (b->error[0]) put_str(f, b->error);
    else fputs("null", f);
    fputs(",\n      \"samples_ns\": [", f);
    for (size_t i = 0; i < b->n_samples; i++) {
        if (i) fputs(", ", f);
        put_num(f, b->samples_ns[i]);
    }
    fprintf(f, "],\n      \"iters_per_sample\": %" PRIu64 ",\n", b->iters_per_sample);
    bool have = b->n_samples > 0;
#define KNUM(k, v) (fputs("      \"" k "\": ", f), put_num(f, have ? (v) : NAN), fputs(",\n", f))
    KNUM("median_ns", s->median);
    KNUM("mean_ns", s->mean);
    KNUM("stddev_ns", s->stddev);
    KNUM("mad_ns", s->mad);
    KNUM("min_ns", s->min);
    KNUM("max_ns", s->max);
    KNUM("q1_ns", s->q1);
    KNUM("q3_ns", s->q3);
    KNUM("p99_ns", s->p99);
#undef KNUM
    fputs("      \"ci95_ns\": [", f);
    put_num(f, have ? s->ci95_lo : NAN);
    fputs(", ", f);
    put_num(f, have ? s->ci95_hi : NAN);
    fputs("],\n      \"ci95_median_ns\": [", f);
    put_num(f, have ? s->ci95_median_lo : NAN);
    fputs(", ", f);
    put_num(f, have ? s->ci95_median_hi : NAN);
    fputs("],\n      \"cv\": ", f);
    put_num(f, have ? s->cv : NAN);
    fprintf(f,
            ",\n      \"outliers\": {\"low_severe\": %zu, \"low_mild\": %zu, \"high_mild\": %zu, "
            "\"high_severe\": %zu},\n",
            s->outliers.low_severe, s->outliers.low_mild, s->outliers.high_mild,
            s->outliers.high_severe);
    fputs("      \"throughput\": {\"value\": ", f);
    put_num(f, b->throughput);
    fputs(", \"unit\": ", f);
    put_str(f, b->throughput_unit[0] ? b->throughput_unit : "op/s");
    fputs("},\n      \"alloc_count\": ", f);
    put_opt(f, b->alloc_count);
    fputs(",\n      \"alloc_bytes\": ", f);
    put_opt(f, b->alloc_bytes);
    fputs(",\n      \"peak_live_bytes\": ", f);
    put_opt(f, b->peak_live_bytes);
    fputs(",\n      \"peak_rss_bytes\": ", f);
    put_opt(f, b->peak_rss_bytes);
    fputs(",\n      \"peak_rss_scope\": ", f);
    put_str(f, b->peak_rss_scope[0] ? b->peak_rss_scope : "process");
    if (isfinite(b->est_cycles)) { /* instruction counts with cache simulation only */
        fputs(",\n      \"l1_misses\": ", f);
        put_num(f, b->l1_misses);
        fputs(",\n      \"ll_misses\": ", f);
        put_num(f, b->ll_misses);
        fputs(",\n      \"est_cycles\": ", f);
        put_num(f, b->est_cycles);
    }
    if (b->n_figures) { /* absent rather than empty: files without figures stay as they were */
        fputs(",\n      \"figures\": {", f);
        for (size_t i = 0; i < b->n_figures; i++) {
            if (i) fputs(", ", f);
            put_str(f, b->figures[i].key);
            fputs(": ", f);
            put_num(f, b->figures[i].value);
        }
        fputc('}', f);
    }
    fputs("\n    }", f);
}

int harness_results_write(FILE *f, const harness_results *r) {
    fprintf(f, "{\n  \"schema_version\": %d,\n  \"kzgkit_version\": ", HARNESS_SCHEMA_VERSION);
    put_str(f, r->kzgkit_version);
    fputs(",\n  \"unit\": ", f);
    put_str(f, r->unit[0] ? r->unit : HARNESS_UNIT_NS);
    fputs(",\n", f);
    fputs("  \"env\": ", f);
    harness_env_write_json(f, &r->env);
    fputs(",\n", f);
    fputs("  \"benchmarks\": [", f);
    for (size_t i = 0; i < r->n; i++) {
        fputs(i ? ",\n" : "\n", f);
        write_result(f, &r->items[i]);
    }
    fputs(r->n ? "\n  ]\n}\n" : "]\n}\n", f);
    return ferror(f) ? -1 : 0;
}

static int write_results(FILE *f, const void *r) { return harness_results_write(f, r); }

int harness_results_save(const char *path, const harness_results *r, char *err, size_t errlen) {
    return harness_write_atomic(path, write_results, r, err, errlen);
}

int harness_write_atomic(const char *path, int (*writer)(FILE *f, const void *ctx),
                         const void *ctx, char *err, size_t errlen) {
    size_t n = strlen(path);
    char *tmp = malloc(n + 32);
    if (!tmp) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    static _Atomic unsigned counter; /* two threads of one process: two names */
    snprintf(tmp, n + 32, "%s.tmp.%ld.%u", path, (long)getpid(), counter++);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    /* Written in full, flushed to the disk, then renamed over the old file: a crash at any
     * moment leaves the old file or the new one, never a torn one. */
    int bad = writer(f, ctx);
    int saved_errno = errno;
    if (!bad && (fflush(f) != 0 || fsync(fileno(f)) != 0)) {
        bad = -1;
        saved_errno = errno;
    }
    if (fclose(f) != 0 && !bad) {
        bad = -1;
        saved_errno = errno;
    }
    if (bad || rename(tmp, path) != 0) {
        if (!bad) saved_errno = errno;
        snprintf(err, errlen, "%s: write failed: %s", path, strerror(saved_errno));
        remove(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    file_sweep_stale_temps(path, FILE_TEMP_MIN_AGE_S); /* what killed writers left */
    return 0;
}

int harness_errorf(char *err, size_t errlen, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- reader ------------------------------------------------------------------------ */

static void get_str(const cJSON *obj, const char *key, char *dst, size_t cap, const char *dflt) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    snprintf(dst, cap, "%s", cJSON_IsString(v) && v->valuestring ? v->valuestring : dflt);
}

static int get_int(const cJSON *obj, const char *key, int dflt) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(v) ? (int)v->valuedouble : dflt;
}

/* A number field: its value, NaN for null, `*present` false when absent or not a number. */
static double get_num(const cJSON *obj, const char *key, bool *present) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsNumber(v)) {
        *present = true;
        return v->valuedouble;
    }
    *present = cJSON_IsNull(v);
    return NAN;
}

static harness_opt_u64 get_opt(const cJSON *obj, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    harness_opt_u64 o = {false, 0};
    if (cJSON_IsNumber(v) && v->valuedouble >= 0) {
        o.known = true;
        o.value = (uint64_t)v->valuedouble;
    }
    return o;
}

static void read_env(const cJSON *e, harness_env *env) {
    memset(env, 0, sizeof *env);
    get_str(e, "cpu_model", env->cpu_model, sizeof env->cpu_model, "unknown");
    get_str(e, "cpu_flags", env->cpu_flags, sizeof env->cpu_flags, "");
    env->cpus_online = get_int(e, "cpus_online", -1);
    env->cpus_allowed = get_int(e, "cpus_allowed", -1);
    get_str(e, "affinity", env->affinity, sizeof env->affinity, "unknown");
    env->pinned = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "pinned"));
    get_str(e, "governor", env->governor, sizeof env->governor, "unknown");
    get_str(e, "turbo", env->turbo, sizeof env->turbo, "unknown");
    const cJSON *la = cJSON_GetObjectItemCaseSensitive(e, "load_avg");
    for (int i = 0; i < 3; i++) {
        const cJSON *v = cJSON_IsArray(la) ? cJSON_GetArrayItem(la, i) : NULL;
        env->load_avg[i] = cJSON_IsNumber(v) ? v->valuedouble : -1;
    }
    get_str(e, "compiler", env->compiler, sizeof env->compiler, "unknown");
    get_str(e, "cflags", env->cflags, sizeof env->cflags, "unknown");
    get_str(e, "build_type", env->build_type, sizeof env->build_type, "unknown");
    get_str(e, "git_revision", env->git_revision, sizeof env->git_revision, "unknown");
    env->git_dirty = -1; /* not in the schema */
    get_str(e, "backend", env->backend, sizeof env->backend, "unknown");
    env->threads = get_int(e, "threads", -1);
    env->numa_nodes = get_int(e, "numa_nodes", -1);
    {
        const cJSON *nc = cJSON_GetObjectItemCaseSensitive(e, "numa_node_cpus"), *it;
        size_t len = 0;
        int k = 0;
        cJSON_ArrayForEach(it, nc) {
            const char *v = cJSON_IsString(it) && it->valuestring ? it->valuestring : "";
            int w = snprintf(env->numa_node_cpus + len, sizeof env->numa_node_cpus - len, "%s%s",
                             k++ ? ";" : "", v);
            if (w < 0 || (size_t)w >= sizeof env->numa_node_cpus - len) break;
            len += (size_t)w;
        }
        if (k != env->numa_nodes) { /* a list that does not match the count: unknown */
            env->numa_nodes = -1;
            env->numa_node_cpus[0] = 0;
        }
    }
    get_str(e, "kernel", env->kernel, sizeof env->kernel, "unknown");
    get_str(e, "hostname", env->hostname, sizeof env->hostname, "unknown");
    get_str(e, "date", env->date, sizeof env->date, "unknown");
    get_str(e, "counter", env->counter, sizeof env->counter, "");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(e, "warnings"), *it;
    cJSON_ArrayForEach(it, w) {
        if (cJSON_IsString(it) && it->valuestring) harness_env_add_warning(env, "%s", it->valuestring);
    }
}

static int read_pair(const cJSON *obj, const char *key, double *lo, double *hi) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2) return -1;
    const cJSON *a = cJSON_GetArrayItem(v, 0), *b = cJSON_GetArrayItem(v, 1);
    *lo = cJSON_IsNumber(a) ? a->valuedouble : NAN;
    *hi = cJSON_IsNumber(b) ? b->valuedouble : NAN;
    return 0;
}

static int read_result(const cJSON *o, size_t idx, harness_result *b, const char *origin,
                       char *err, size_t errlen) {
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "name");
    if (!cJSON_IsObject(o) || !cJSON_IsString(name) || !name->valuestring || !name->valuestring[0])
        return harness_errorf(err, errlen, "%s: benchmarks[%zu]: missing string \"name\"", origin, idx);
    if (strlen(name->valuestring) >= sizeof b->name)
        return harness_errorf(err, errlen, "%s: benchmarks[%zu]: name longer than %d bytes", origin, idx,
                    HARNESS_NAME_MAX - 1);
    snprintf(b->name, sizeof b->name, "%s", name->valuestring);

    const cJSON *params = cJSON_GetObjectItemCaseSensitive(o, "params"), *p;
    if (params && !cJSON_IsObject(params))
        return harness_errorf(err, errlen, "%s: %s: \"params\" is not an object", origin, b->name);
    cJSON_ArrayForEach(p, params) {
        if (b->n_params == HARNESS_MAX_PARAMS)
            return harness_errorf(err, errlen, "%s: %s: more than %d params", origin, b->name,
                        HARNESS_MAX_PARAMS);
        if (!cJSON_IsNumber(p) || p->valuedouble != floor(p->valuedouble) ||
            strlen(p->string) >= HARNESS_KEY_MAX)
            return harness_errorf(err, errlen, "%s: %s: param \"%s\" is not an integer", origin, b->name,
                        p->string);
        harness_kv *kv = &b->params[b->n_params++];
        snprintf(kv->key, sizeof kv->key, "%s", p->string);
        kv->value = (long long)p->valuedouble;
    }

    const cJSON *err_field = cJSON_GetObjectItemCaseSensitive(o, "error");
    if (cJSON_IsString(err_field) && err_field->valuestring && err_field->valuestring[0])
        snprintf(b->error, sizeof b->error, "%s", err_field->valuestring);

    const cJSON *samples = cJSON_GetObjectItemCaseSensitive(o, "samples_ns"), *s;
    if (!cJSON_IsArray(samples))
        return harness_errorf(err, errlen, "%s: %s: missing array \"samples_ns\"", origin, b->name);
    size_t n = (size_t)cJSON_GetArraySize(samples);
    if (n == 0 && !b->error[0])
        return harness_errorf(err, errlen, "%s: %s: \"samples_ns\" is empty", origin, b->name);
    if (n) {
        b->samples_ns = malloc(n * sizeof *b->samples_ns);
        if (!b->samples_ns) return harness_errorf(err, errlen, "%s: out of memory", origin);
    }
    cJSON_ArrayForEach(s, samples) {
        if (!cJSON_IsNumber(s) || !isfinite(s->valuedouble) || s->valuedouble < 0)
            return harness_errorf(err, errlen, "%s: %s: samples_ns[%zu] is not a non-negative number",
                        origin, b->name, b->n_samples);
        b->samples_ns[b->n_samples++] = s->valuedouble;
    }
    bool present;
    double v = get_num(o, "iters_per_sample", &present);
    b->iters_per_sample = v >= 0 ? (uint64_t)v : 0;

    if (n && harness_summarize(&b->stats, b->samples_ns, n, 0, 1) != 0)
        return harness_errorf(err, errlen, "%s: %s: cannot summarise samples", origin, b->name);
    /* Stored statistics are the producer's (they may come from more resamples): keep them. */
#define TAKE(key, field)                                   \
    v = get_num(o, key, &present);                         \
    if (present) b->stats.field = v
    TAKE("median_ns", median);
    TAKE("mean_ns", mean);
    TAKE("stddev_ns", stddev);
    TAKE("mad_ns", mad);
    TAKE("min_ns", min);
    TAKE("max_ns", max);
    TAKE("q1_ns", q1);
    TAKE("q3_ns", q3);
    TAKE("p99_ns", p99);
    TAKE("cv", cv);
#undef TAKE
    read_pair(o, "ci95_ns", &b->stats.ci95_lo, &b->stats.ci95_hi);
    read_pair(o, "ci95_median_ns", &b->stats.ci95_median_lo, &b->stats.ci95_median_hi);
    const cJSON *out = cJSON_GetObjectItemCaseSensitive(o, "outliers");
    if (cJSON_IsObject(out)) {
        b->stats.outliers.low_severe = (size_t)get_int(out, "low_severe", 0);
        b->stats.outliers.low_mild = (size_t)get_int(out, "low_mild", 0);
        b->stats.outliers.high_mild = (size_t)get_int(out, "high_mild", 0);
        b->stats.outliers.high_severe = (size_t)get_int(out, "high_severe", 0);
    }
    const cJSON *tp = cJSON_GetObjectItemCaseSensitive(o, "throughput");
    b->throughput = NAN;
    if (cJSON_IsObject(tp)) {
        b->throughput = get_num(tp, "value", &present);
        get_str(tp, "unit", b->throughput_unit, sizeof b->throughput_unit, "op/s");
    }
    b->alloc_count = get_opt(o, "alloc_count");
    b->alloc_bytes = get_opt(o, "alloc_bytes");
    b->peak_live_bytes = get_opt(o, "peak_live_bytes");
    b->peak_rss_bytes = get_opt(o, "peak_rss_bytes");
    get_str(o, "peak_rss_scope", b->peak_rss_scope, sizeof b->peak_rss_scope, "process");
    b->l1_misses = get_num(o, "l1_misses", &present);
    b->ll_misses = get_num(o, "ll_misses", &present);
    b->est_cycles = get_num(o, "est_cycles", &present);
    const cJSON *figs = cJSON_GetObjectItemCaseSensitive(o, "figures"), *fg;
    if (figs && !cJSON_IsObject(figs) && !cJSON_IsNull(figs))
        return harness_errorf(err, errlen, "%s: %s: \"figures\" is not an object", origin, b->name);
    cJSON_ArrayForEach(fg, figs) {
        if (cJSON_IsNull(fg)) continue; /* a figure the producer could not measure */
        if (!cJSON_IsNumber(fg) || harness_result_set_figure(b, fg->string, fg->valuedouble) != 0)
            return harness_errorf(err, errlen,
                                  "%s: %s: figure \"%s\" is not a number, or too many figures (max %d)",
                                  origin, b->name, fg->string, HARNESS_MAX_FIGURES);
    }
    return 0;
}

int harness_results_parse(const char *json, const char *origin, harness_results *out, char *err,
                          size_t errlen) {
    harness_results_init(out);
    cJSON *root = cJSON_Parse(json);
    if (!root) return harness_errorf(err, errlen, "%s: not valid JSON", origin);
    int rc = -1;
    if (harness_gbench_detect(root)) { /* Google Benchmark output (formats.h) */
        rc = harness_gbench_read(root, origin, out, err, errlen);
        goto out;
    }
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "schema_version");
    if (!cJSON_IsObject(root) || !cJSON_IsNumber(ver)) {
        harness_errorf(err, errlen, "%s: not a kzgkit result file (no schema_version)", origin);
        goto out;
    }
    if ((int)ver->valuedouble < 1 || (int)ver->valuedouble > HARNESS_SCHEMA_VERSION) {
        harness_errorf(err, errlen, "%s: schema_version %d is not supported (this build reads 1..%d)",
             origin, (int)ver->valuedouble, HARNESS_SCHEMA_VERSION);
        goto out;
    }
    out->schema_version = (int)ver->valuedouble;
    get_str(root, "kzgkit_version", out->kzgkit_version, sizeof out->kzgkit_version, "unknown");
    get_str(root, "unit", out->unit, sizeof out->unit, HARNESS_UNIT_NS);
    if (strcmp(out->unit, HARNESS_UNIT_NS) != 0 && strcmp(out->unit, HARNESS_UNIT_INSTRUCTIONS) != 0) {
        harness_errorf(err, errlen, "%s: unit \"%s\" is not supported (ns or instructions)", origin,
             out->unit);
        goto out;
    }
    const cJSON *env = cJSON_GetObjectItemCaseSensitive(root, "env");
    if (cJSON_IsObject(env)) read_env(env, &out->env);
    else read_env(NULL, &out->env);
    const cJSON *benches = cJSON_GetObjectItemCaseSensitive(root, "benchmarks"), *b;
    if (!cJSON_IsArray(benches)) {
        harness_errorf(err, errlen, "%s: missing array \"benchmarks\"", origin);
        goto out;
    }
    size_t idx = 0;
    cJSON_ArrayForEach(b, benches) {
        harness_result *res = harness_results_push(out);
        if (!res) {
            harness_errorf(err, errlen, "%s: out of memory", origin);
            goto out;
        }
        if (read_result(b, idx++, res, origin, err, errlen) != 0) goto out;
    }
    rc = 0;
out:
    cJSON_Delete(root);
    if (rc != 0) harness_results_free(out);
    return rc;
}

int harness_results_load(const char *path, harness_results *out, char *err, size_t errlen) {
    harness_results_init(out);
    FILE *f = fopen(path, "rb");
    if (!f) return harness_errorf(err, errlen, "%s: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    int rc = -1;
    if (!buf) {
        harness_errorf(err, errlen, "%s: out of memory", path);
        goto out;
    }
    for (;;) {
        if (len + 1 >= cap) {
            if (cap >= MAX_RESULT_FILE) {
                harness_errorf(err, errlen, "%s: larger than %u MiB", path, MAX_RESULT_FILE >> 20);
                goto out;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                harness_errorf(err, errlen, "%s: out of memory", path);
                goto out;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        harness_errorf(err, errlen, "%s: read error", path);
        goto out;
    }
    buf[len] = 0;
    rc = harness_results_parse(buf, path, out, err, errlen);
out:
    free(buf);
    fclose(f);
    return rc;
}

/* ---- baselines ---------------------------------------------------------------------- */

static int mkdir_p(const char *dir) {
    char tmp[1024];
    if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp) return -1;
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(tmp, 0777) != 0 && errno != EEXIST) return -1;
    return 0;
}

int harness_baseline_path(const char *name, bool create_dir, char *path, size_t cap, char *err,
                          size_t errlen) {
    size_t n = name ? strlen(name) : 0;
    if (n == 0) return harness_errorf(err, errlen, "baseline name is empty");
    if (strchr(name, '/') || (n > 5 && strcmp(name + n - 5, ".json") == 0)) {
        if (snprintf(path, cap, "%s", name) >= (int)cap)
            return harness_errorf(err, errlen, "baseline path too long");
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  (i > 0 && (c == '.' || c == '_' || c == '-'));
        if (!ok)
            return harness_errorf(err, errlen,
                        "baseline name '%s' must match [A-Za-z0-9][A-Za-z0-9._-]*", name);
    }
    const char *dir = getenv("KZGKIT_BASELINE_DIR");
    if (!dir || !*dir) dir = ".kzgkit/baselines";
    if (create_dir && mkdir_p(dir) != 0)
        return harness_errorf(err, errlen, "cannot create baseline directory %s: %s", dir, strerror(errno));
    if (snprintf(path, cap, "%s/%s.json", dir, name) >= (int)cap)
        return harness_errorf(err, errlen, "baseline path too long");
    return 0;
}
