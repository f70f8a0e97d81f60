/* tools/harness/formats.c — see formats.h and docs/BENCH.md ("Export formats"). */
#include "formats.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ----------------------------------------------------------------------------- */

static const char *const format_names[] = {"kzgkit", "gbench", "github-action"};

int harness_format_parse(const char *name, harness_format *out) {
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (strcmp(name, format_names[i]) == 0) {
            *out = (harness_format)i;
            return 0;
        }
    return -1;
}

const char *harness_format_name(harness_format f) {
    return (size_t)f < sizeof format_names / sizeof format_names[0] ? format_names[f] : "?";
}

/* ---- Google Benchmark: writer ------------------------------------------------------------- */

/* The nominal clock in a model name such as "Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz", in
 * MHz; 0 when the name does not state one (the environment records no measured clock). */
static long mhz_from_model(const char *model) {
    const char *at = strstr(model, "@ ");
    if (!at) return 0;
    char *end;
    double v = strtod(at + 2, &end);
    while (*end == ' ') end++;
    if (!(v > 0) || v > 1e5) return 0;
    if (strncmp(end, "GHz", 3) == 0) return lround(v * 1000);
    if (strncmp(end, "MHz", 3) == 0) return lround(v);
    return 0;
}

/* Google Benchmark says "debug" or "release" (how its library was built); ours is CMake's
 * build type. */
static const char *gbench_build_type(const char *bt) {
    return strncmp(bt, "Debug", 5) == 0 || strncmp(bt, "debug", 5) == 0 ? "debug" : "release";
}

static void gbench_name(const harness_result *res, char *buf, size_t cap) {
    size_t len = (size_t)snprintf(buf, cap, "%s", res->name);
    for (size_t i = 0; i < res->n_params && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "/%s:%lld", res->params[i].key,
                                res->params[i].value);
}

static void put_key_str(FILE *f, const char *indent, const char *key, const char *v) {
    fprintf(f, "%s\"%s\": ", indent, key);
    harness_json_put_str(f, v);
}

/* The fields every entry of one benchmark shares, up to and including "run_type". */
static void gbench_entry_head(FILE *f, const char *name, const char *run_name, size_t family,
                              size_t instance, const char *run_type) {
    fputs("    {\n", f);
    put_key_str(f, "      ", "name", name);
    fprintf(f, ",\n      \"family_index\": %zu,\n      \"per_family_instance_index\": %zu,\n",
            family, instance);
    put_key_str(f, "      ", "run_name", run_name);
    fputs(",\n", f);
    put_key_str(f, "      ", "run_type", run_type);
    fputs(",\n", f);
}

static void gbench_times(FILE *f, double ns) {
    /* The harness measures wall-clock time only: cpu_time repeats real_time. */
    fputs("      \"real_time\": ", f);
    harness_json_put_num(f, ns);
    fputs(",\n      \"cpu_time\": ", f);
    harness_json_put_num(f, ns);
    fputs(",\n      \"time_unit\": \"ns\"", f);
}

static void gbench_result(FILE *f, const harness_results *r, size_t idx, bool *first) {
    const harness_result *res = &r->items[idx];
    /* family: the operation's rank among the distinct operations, in order of appearance;
     * instance: the case's rank among that operation's cases. */
    size_t family = 0, instance = 0, first_of = idx;
    for (size_t j = 0; j < idx; j++)
        if (strcmp(r->items[j].name, res->name) == 0) {
            if (first_of == idx) first_of = j;
            instance++;
        }
    for (size_t j = 0; j < first_of; j++) {
        bool seen = false;
        for (size_t k = 0; k < j && !seen; k++) seen = strcmp(r->items[k].name, r->items[j].name) == 0;
        family += !seen;
    }
    char name[HARNESS_NAME_MAX + HARNESS_MAX_PARAMS * (HARNESS_KEY_MAX + 24)];
    char agg[sizeof name + 16];
    gbench_name(res, name, sizeof name);
    long long threads = harness_result_param(res, "threads", 1);
    size_t n = res->n_samples;
    if (res->error[0] || n == 0) {
        fputs(*first ? "\n" : ",\n", f);
        *first = false;
        gbench_entry_head(f, name, name, family, instance, "iteration");
        fprintf(f, "      \"repetitions\": 1,\n      \"repetition_index\": 0,\n"
                   "      \"threads\": %lld,\n      \"iterations\": 0,\n", threads);
        gbench_times(f, 0);
        fputs(",\n      \"error_occurred\": true,\n", f);
        put_key_str(f, "      ", "error_message", res->error[0] ? res->error : "no samples");
        fputs("\n    }", f);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        fputs(*first ? "\n" : ",\n", f);
        *first = false;
        gbench_entry_head(f, name, name, family, instance, "iteration");
        fprintf(f,
                "      \"repetitions\": %zu,\n      \"repetition_index\": %zu,\n"
                "      \"threads\": %lld,\n      \"iterations\": %" PRIu64 ",\n",
                n, i, threads, res->iters_per_sample);
        gbench_times(f, res->samples_ns[i]);
        fputs("\n    }", f);
    }
    if (n < 2) return; /* as Google Benchmark: aggregates only over repetitions */
    const struct {
        const char *name;
        double v;
    } aggs[] = {{"mean", res->stats.mean}, {"median", res->stats.median},
                {"stddev", res->stats.stddev}};
    for (size_t a = 0; a < sizeof aggs / sizeof aggs[0]; a++) {
        snprintf(agg, sizeof agg, "%s_%s", name, aggs[a].name);
        fputs(",\n", f);
        gbench_entry_head(f, agg, name, family, instance, "aggregate");
        fprintf(f, "      \"repetitions\": %zu,\n      \"threads\": %lld,\n", n, threads);
        put_key_str(f, "      ", "aggregate_name", aggs[a].name);
        fprintf(f, ",\n      \"aggregate_unit\": \"time\",\n      \"iterations\": %zu,\n", n);
        gbench_times(f, aggs[a].v);
        fputs("\n    }", f);
    }
}

static int write_gbench(FILE *f, const harness_results *r) {
    if (harness_results_counts(r)) return -1; /* its entries are times */
    const harness_env *e = &r->env;
    fputs("{\n  \"context\": {\n", f);
    put_key_str(f, "    ", "date", e->date);
    fputs(",\n", f);
    put_key_str(f, "    ", "host_name", e->hostname);
    fputs(",\n    \"executable\": \"kzgkit bench\",\n", f);
    if (e->cpus_online >= 0) fprintf(f, "    \"num_cpus\": %d,\n", e->cpus_online);
    long mhz = mhz_from_model(e->cpu_model);
    if (mhz > 0) fprintf(f, "    \"mhz_per_cpu\": %ld,\n", mhz);
    if (strcmp(e->governor, "unknown") != 0 && e->governor[0])
        fprintf(f, "    \"cpu_scaling_enabled\": %s,\n",
                strcmp(e->governor, "performance") != 0 ? "true" : "false");
    fputs("    \"caches\": [],\n    \"load_avg\": [", f);
    if (e->load_avg[0] >= 0 && e->load_avg[1] >= 0 && e->load_avg[2] >= 0)
        for (int i = 0; i < 3; i++) {
            if (i) fputs(", ", f);
            harness_json_put_num(f, e->load_avg[i]);
        }
    fputs("],\n", f);
    put_key_str(f, "    ", "library_version", r->kzgkit_version);
    fputs(",\n", f);
    put_key_str(f, "    ", "library_build_type", gbench_build_type(e->build_type));
    fputs(",\n    \"json_schema_version\": 1", f);
    /* Custom context (strings, as Google Benchmark's AddCustomContext writes them): what our
     * own reader takes back, so that `compare` names the revision and backend. */
    const struct {
        const char *key, *v;
    } extra[] = {{"kzgkit_version", r->kzgkit_version}, {"kzgkit_git_revision", e->git_revision},
                 {"kzgkit_backend", e->backend},        {"kzgkit_compiler", e->compiler},
                 {"kzgkit_build_type", e->build_type},  {"kzgkit_cpu_model", e->cpu_model}};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        fputs(",\n", f);
        put_key_str(f, "    ", extra[i].key, extra[i].v);
    }
    fputs("\n  },\n  \"benchmarks\": [", f);
    bool first = true;
    for (size_t i = 0; i < r->n; i++) gbench_result(f, r, i, &first);
    fputs(first ? "]\n}\n" : "\n  ]\n}\n", f);
    return ferror(f) ? -1 : 0;
}

/* ---- github-action-benchmark: writer ------------------------------------------------------ */

/* customSmallerIsBetter: [{name, unit, value, range, extra}], one per benchmark that ran.
 * value is the median; range the half-width of its 95% bootstrap interval ("± x"), or the
 * MAD when the interval is unknown; extra a few lines for the chart's tooltip. */
static int write_github_action(FILE *f, const harness_results *r) {
    const char *unit = harness_results_counts(r) ? HARNESS_UNIT_INSTRUCTIONS : HARNESS_UNIT_NS;
    bool first = true;
    char id[HARNESS_NAME_MAX + HARNESS_MAX_PARAMS * (HARNESS_KEY_MAX + 24)], buf[512];
    fputs("[", f);
    for (size_t i = 0; i < r->n; i++) {
        const harness_result *res = &r->items[i];
        const harness_summary *s = &res->stats;
        if (res->error[0] || res->n_samples == 0 || !isfinite(s->median)) continue;
        harness_result_id(res, id, sizeof id);
        double half = (s->ci95_median_hi - s->ci95_median_lo) / 2;
        if (!isfinite(half)) half = s->mad;
        fputs(first ? "\n  {" : ",\n  {", f);
        first = false;
        put_key_str(f, "", "name", id);
        fputs(", ", f);
        put_key_str(f, "", "unit", unit);
        fputs(", \"value\": ", f);
        harness_json_put_num(f, s->median);
        snprintf(buf, sizeof buf, "\xc2\xb1 %.4g", isfinite(half) ? half : 0.0);
        fputs(", ", f);
        put_key_str(f, "", "range", buf);
        snprintf(buf, sizeof buf,
                 "median 95%% CI: [%.6g, %.6g] %s\nsamples: %zu x %" PRIu64
                 " iterations\nbackend: %s\ngit: %s",
                 s->ci95_median_lo, s->ci95_median_hi, unit, res->n_samples,
                 res->iters_per_sample, r->env.backend, r->env.git_revision);
        fputs(", ", f);
        put_key_str(f, "", "extra", buf);
        fputs("}", f);
    }
    fputs(first ? "]\n" : "\n]\n", f);
    return ferror(f) ? -1 : 0;
}

int harness_format_write(FILE *f, const harness_results *r, harness_format fmt) {
    switch (fmt) {
    case HARNESS_FORMAT_KZGKIT: return harness_results_write(f, r);
    case HARNESS_FORMAT_GBENCH: return write_gbench(f, r);
    case HARNESS_FORMAT_GITHUB_ACTION: return write_github_action(f, r);
    }
    return -1;
}

typedef struct save_ctx {
    const harness_results *r;
    harness_format fmt;
} save_ctx;

static int write_ctx(FILE *f, const void *ctx) {
    const save_ctx *c = ctx;
    return harness_format_write(f, c->r, c->fmt);
}

int harness_format_save(const char *path, const harness_results *r, harness_format fmt,
                        char *err, size_t errlen) {
    if (fmt == HARNESS_FORMAT_GBENCH && harness_results_counts(r)) {
        snprintf(err, errlen, "%s: Google Benchmark's format holds times, not instruction counts",
                 path);
        return -1;
    }
    save_ctx c = {r, fmt};
    return harness_write_atomic(path, write_ctx, &c, err, errlen);
}

/* ---- Google Benchmark: reader ------------------------------------------------------------- */

int harness_gbench_detect(const void *json_root) {
    const cJSON *root = json_root;
    return cJSON_IsObject(root) && !cJSON_GetObjectItemCaseSensitive(root, "schema_version") &&
           cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "context")) &&
           cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "benchmarks"));
}

static const char *str_of(const cJSON *obj, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

static void take_str(char *dst, size_t cap, const cJSON *obj, const char *key, const char *dflt) {
    const char *v = str_of(obj, key);
    snprintf(dst, cap, "%s", v && *v ? v : dflt);
}

static void read_context(const cJSON *c, harness_results *out) {
    harness_env *e = &out->env;
    memset(e, 0, sizeof *e);
    e->cpus_online = e->cpus_allowed = e->threads = e->git_dirty = e->numa_nodes = -1;
    e->load_avg[0] = e->load_avg[1] = e->load_avg[2] = -1;
    /* Not in Google Benchmark's context: unknown, as in our reader. */
    snprintf(e->affinity, sizeof e->affinity, "unknown");
    snprintf(e->governor, sizeof e->governor, "unknown");
    snprintf(e->turbo, sizeof e->turbo, "unknown");
    snprintf(e->cflags, sizeof e->cflags, "unknown");
    snprintf(e->kernel, sizeof e->kernel, "unknown");
    take_str(e->cpu_model, sizeof e->cpu_model, c, "kzgkit_cpu_model", "unknown");
    take_str(e->compiler, sizeof e->compiler, c, "kzgkit_compiler", "unknown");
    take_str(e->build_type, sizeof e->build_type, c, "kzgkit_build_type", "");
    if (!e->build_type[0]) take_str(e->build_type, sizeof e->build_type, c, "library_build_type", "unknown");
    take_str(e->git_revision, sizeof e->git_revision, c, "kzgkit_git_revision", "unknown");
    take_str(e->backend, sizeof e->backend, c, "kzgkit_backend", "unknown");
    take_str(e->hostname, sizeof e->hostname, c, "host_name", "unknown");
    take_str(e->date, sizeof e->date, c, "date", "unknown");
    take_str(out->kzgkit_version, sizeof out->kzgkit_version, c, "kzgkit_version", "unknown");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, "num_cpus");
    if (cJSON_IsNumber(v) && v->valuedouble >= 0) e->cpus_online = (int)v->valuedouble;
    const cJSON *la = cJSON_GetObjectItemCaseSensitive(c, "load_avg");
    for (int i = 0; i < 3 && cJSON_IsArray(la); i++) {
        const cJSON *x = cJSON_GetArrayItem(la, i);
        if (cJSON_IsNumber(x)) e->load_avg[i] = x->valuedouble;
    }
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "cpu_scaling_enabled")))
        harness_env_add_warning(e, "CPU frequency scaling was enabled (Google Benchmark context)");
}

/* Google Benchmark appends these to a run's name; they describe the run, not the case. */
static bool is_run_option(const char *seg, size_t len) {
    static const char *const opts[] = {"repeats:", "min_time:", "min_warmup_time:", "iterations:"};
    static const char *const flags[] = {"real_time", "manual_time", "process_time"};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        if (len > strlen(opts[i]) && strncmp(seg, opts[i], strlen(opts[i])) == 0) return true;
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if (len == strlen(flags[i]) && strncmp(seg, flags[i], len) == 0) return true;
    return false;
}

/* An integer filling s[0..len) exactly, into *v. */
static bool parse_ll(const char *s, size_t len, long long *v) {
    char buf[32];
    if (len == 0 || len >= sizeof buf) return false;
    memcpy(buf, s, len);
    buf[len] = 0;
    char *end;
    long long x = strtoll(buf, &end, 10);
    if (*end || end == buf || !(isdigit((unsigned char)buf[0]) || buf[0] == '-')) return false;
    *v = x;
    return true;
}

/* "op/key:1/2/real_time" → name "op", params key=1, arg1=2 (a positional argument is named
 * by its segment's position). Segments that are neither go back into the name. */
static int split_name(const char *run_name, harness_result *res, const char *origin, char *err,
                      size_t errlen) {
    const char *seg = run_name, *slash = strchr(seg, '/');
    size_t nlen = slash ? (size_t)(slash - seg) : strlen(seg), pos = 0;
    char name[512];
    if (nlen < sizeof name) {
        memcpy(name, seg, nlen);
        name[nlen] = 0;
    } else {
        name[0] = 0;
        slash = NULL;
    }
    while (slash) {
        seg = slash + 1;
        slash = strchr(seg, '/');
        size_t len = slash ? (size_t)(slash - seg) : strlen(seg);
        pos++;
        if (is_run_option(seg, len)) continue;
        const char *colon = memchr(seg, ':', len);
        long long v;
        char key[HARNESS_KEY_MAX];
        bool is_param = false;
        if (colon && colon > seg && (size_t)(colon - seg) < sizeof key &&
            parse_ll(colon + 1, len - (size_t)(colon - seg) - 1, &v)) {
            memcpy(key, seg, (size_t)(colon - seg));
            key[colon - seg] = 0;
            is_param = true;
        } else if (!colon && parse_ll(seg, len, &v)) {
            snprintf(key, sizeof key, "arg%zu", pos - 1);
            is_param = true;
        }
        if (!is_param) {
            size_t have = strlen(name);
            if (have + 1 + len >= sizeof name) {
                nlen = sizeof name; /* too long: refused below */
                break;
            }
            name[have] = '/';
            memcpy(name + have + 1, seg, len);
            name[have + 1 + len] = 0;
            continue;
        }
        if (res->n_params == HARNESS_MAX_PARAMS)
            return harness_errorf(err, errlen, "%s: %s: more than %d params", origin, run_name,
                        HARNESS_MAX_PARAMS);
        harness_kv *kv = &res->params[res->n_params++];
        snprintf(kv->key, sizeof kv->key, "%s", key);
        kv->value = v;
    }
    if (!name[0] || nlen >= sizeof name || strlen(name) >= sizeof res->name)
        return harness_errorf(err, errlen, "%s: benchmark name '%s' is empty or longer than %d bytes",
                    origin, run_name, HARNESS_NAME_MAX - 1);
    memcpy(res->name, name, strlen(name) + 1); /* fits: checked above */
    return 0;
}

/* Nanoseconds per time_unit. */
static double unit_ns(const char *u) {
    if (!u || strcmp(u, "ns") == 0) return 1;
    if (strcmp(u, "us") == 0) return 1e3;
    if (strcmp(u, "ms") == 0) return 1e6;
    if (strcmp(u, "s") == 0) return 1e9;
    return NAN;
}

typedef struct run_slot {
    const char *run_name; /* points into the cJSON tree */
    size_t cap;           /* of the result's samples_ns */
    bool aggregates;      /* the run had aggregate entries */
} run_slot;

int harness_gbench_read(const void *json_root, const char *origin, harness_results *out,
                        char *err, size_t errlen) {
    const cJSON *root = json_root;
    read_context(cJSON_GetObjectItemCaseSensitive(root, "context"), out);
    snprintf(out->unit, sizeof out->unit, "%s", HARNESS_UNIT_NS);
    const cJSON *benches = cJSON_GetObjectItemCaseSensitive(root, "benchmarks"), *b;
    size_t n_entries = (size_t)cJSON_GetArraySize(benches), idx = 0;
    run_slot *slots = calloc(n_entries ? n_entries : 1, sizeof *slots);
    if (!slots) return harness_errorf(err, errlen, "%s: out of memory", origin);
    int rc = -1;
    cJSON_ArrayForEach(b, benches) {
        const char *name = str_of(b, "name"), *run_name = str_of(b, "run_name");
        const char *run_type = str_of(b, "run_type");
        if (!run_name) run_name = name;
        if (!cJSON_IsObject(b) || !run_name || !run_name[0]) {
            harness_errorf(err, errlen, "%s: benchmarks[%zu]: missing string \"name\"", origin, idx);
            goto out;
        }
        const char *agg_name = str_of(b, "aggregate_name");
        bool aggregate = run_type ? strcmp(run_type, "aggregate") == 0 : agg_name != NULL;
        /* Complexity fits (BigO, RMS) are per family, not per run; and without run_name an
         * aggregate's name ("BM_x_mean") is not its run's: neither names a benchmark. */
        if (aggregate && (!str_of(b, "run_name") ||
                          (agg_name && (strcmp(agg_name, "BigO") == 0 || strcmp(agg_name, "RMS") == 0)))) {
            idx++;
            continue;
        }
        size_t k = 0;
        while (k < out->n && strcmp(slots[k].run_name, run_name) != 0) k++;
        if (k == out->n) {
            harness_result *res = harness_results_push(out);
            if (!res) {
                harness_errorf(err, errlen, "%s: out of memory", origin);
                goto out;
            }
            slots[k].run_name = run_name;
            snprintf(res->throughput_unit, sizeof res->throughput_unit, "op/s");
            snprintf(res->peak_rss_scope, sizeof res->peak_rss_scope, "process");
            if (split_name(run_name, res, origin, err, errlen) != 0) goto out;
        }
        harness_result *res = &out->items[k];
        idx++;
        if (aggregate) {
            slots[k].aggregates = true;
            continue;
        }
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "error_occurred"))) {
            const char *msg = str_of(b, "error_message");
            snprintf(res->error, sizeof res->error, "%s", msg && *msg ? msg : "error_occurred");
            continue;
        }
        const cJSON *rt = cJSON_GetObjectItemCaseSensitive(b, "real_time");
        const char *tu = str_of(b, "time_unit");
        double scale = unit_ns(tu);
        if (!isfinite(scale)) {
            harness_errorf(err, errlen, "%s: %s: time_unit \"%s\" is not ns, us, ms or s", origin, run_name,
                 tu);
            goto out;
        }
        if (!cJSON_IsNumber(rt) || !isfinite(rt->valuedouble) || rt->valuedouble < 0) {
            harness_errorf(err, errlen, "%s: %s: \"real_time\" is not a non-negative number", origin,
                 run_name);
            goto out;
        }
        if (res->n_samples == slots[k].cap) {
            size_t cap = slots[k].cap ? 2 * slots[k].cap : 8;
            double *p = realloc(res->samples_ns, cap * sizeof *p);
            if (!p) {
                harness_errorf(err, errlen, "%s: out of memory", origin);
                goto out;
            }
            res->samples_ns = p;
            slots[k].cap = cap;
        }
        res->samples_ns[res->n_samples++] = rt->valuedouble * scale;
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(b, "iterations");
        if (res->n_samples == 1 && cJSON_IsNumber(it) && it->valuedouble >= 0)
            res->iters_per_sample = (uint64_t)it->valuedouble;
    }
    for (size_t k = 0; k < out->n; k++) {
        harness_result *res = &out->items[k];
        if (res->n_samples == 0) {
            if (!res->error[0])
                snprintf(res->error, sizeof res->error, "%s",
                         slots[k].aggregates
                             ? "only aggregates in the file (written with "
                               "--benchmark_report_aggregates_only): no samples to compare"
                             : "no iteration entries");
            continue;
        }
        if (harness_summarize(&res->stats, res->samples_ns, res->n_samples, 0, 1) != 0) {
            harness_errorf(err, errlen, "%s: %s: cannot summarise samples", origin, slots[k].run_name);
            goto out;
        }
    }
    rc = 0;
out:
    free(slots);
    return rc;
}
