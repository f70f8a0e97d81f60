/* test_harness_results — the JSON writer and reader: round trip, schema fields, nulls, errors, and
 * the baseline store. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "results.h"
#include "synth.h"
#include "testrand.h"

static char tmpdir[] = "/tmp/kzgkit-results-XXXXXX";

static void build(harness_results *r, harness_rng *rng) {
    harness_results_init(r);
    synth_env(&r->env);
    harness_env_add_warning(&r->env, "quote \" backslash \\ newline \n tab \t ctl \x01 µ");
    const char *k2[] = {"threads", "size"};
    const long long v2[] = {2, 4096};
    harness_result *b = synth_add(r, rng, "blob_to_kzg_commitment", 12.5e6, 0.02, 30, 2, k2, v2);
    CHECK(b != NULL, "synth");
    if (b) {
        b->alloc_count = (harness_opt_u64){true, 3};
        b->alloc_bytes = (harness_opt_u64){true, 131072};
        b->peak_live_bytes = (harness_opt_u64){true, 65536};
        b->samples_ns[0] = 0.1; /* a value that prints badly with %.17g */
        harness_summarize(&b->stats, b->samples_ns, b->n_samples, 500, 1);
        snprintf(b->throughput_unit, sizeof b->throughput_unit, "blobs/s");
    }
    b = synth_add(r, rng, "verify_blob_kzg_proof_batch", 3.2e6, 0.03, 10, 0, NULL, NULL);
    CHECK(b != NULL, "synth 2");
    b = harness_results_push(r); /* a failed benchmark: no samples, an error */
    CHECK(b != NULL, "push");
    if (b) {
        snprintf(b->name, sizeof b->name, "compute_kzg_proof");
        snprintf(b->error, sizeof b->error, "setup failed (status 7)");
    }
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = malloc(1 << 20);
    size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (buf) buf[n] = 0;
    return buf;
}

static void test_json__round_trip(void) {
    harness_rng rng;
    harness_rng_seed(&rng, testrand_u64());
    harness_results r, back;
    build(&r, &rng);
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/r.json", tmpdir);
    CHECK(harness_results_save(path, &r, err, sizeof err) == 0, "save: %s", err);
    CHECK(harness_results_load(path, &back, err, sizeof err) == 0, "load: %s", err);
    CHECK(back.n == r.n && back.schema_version == HARNESS_SCHEMA_VERSION, "count %zu", back.n);
    CHECK(strcmp(back.env.cpu_model, r.env.cpu_model) == 0 && back.env.cpus_online == 8 &&
              back.env.threads == 2 && strcmp(back.env.git_revision, "0123456789ab") == 0,
          "env");
    CHECK(back.env.numa_nodes == 2 && strcmp(back.env.numa_node_cpus, "0-3;4-7") == 0,
          "numa round trip: %d '%s'", back.env.numa_nodes, back.env.numa_node_cpus);
    CHECK(back.env.n_warnings == 1 && strcmp(back.env.warnings[0], r.env.warnings[0]) == 0,
          "escaped warning round trip: '%s'", back.env.warnings[0]);
    for (size_t i = 0; i < r.n && i < back.n; i++) {
        const harness_result *a = &r.items[i], *b = &back.items[i];
        CHECK(strcmp(a->name, b->name) == 0 && a->n_params == b->n_params, "name/params %zu", i);
        for (size_t p = 0; p < a->n_params && p < b->n_params; p++)
            CHECK(strcmp(a->params[p].key, b->params[p].key) == 0 &&
                      a->params[p].value == b->params[p].value,
                  "param %zu.%zu in declared order", i, p);
        CHECK(a->n_samples == b->n_samples, "samples %zu", i);
        int exact = 1;
        for (size_t s = 0; s < a->n_samples && s < b->n_samples; s++)
            exact &= a->samples_ns[s] == b->samples_ns[s];
        CHECK(exact, "samples round-trip exactly (%zu)", i);
        CHECK(strcmp(a->error, b->error) == 0, "error %zu", i);
        if (a->error[0]) continue;
        CHECK(a->stats.median == b->stats.median && a->stats.mean == b->stats.mean &&
                  a->stats.stddev == b->stats.stddev && a->stats.mad == b->stats.mad &&
                  a->stats.ci95_lo == b->stats.ci95_lo && a->stats.ci95_hi == b->stats.ci95_hi &&
                  a->stats.ci95_median_lo == b->stats.ci95_median_lo &&
                  a->stats.cv == b->stats.cv,
              "statistics round-trip exactly (%zu)", i);
        CHECK(memcmp(&a->stats.outliers, &b->stats.outliers, sizeof a->stats.outliers) == 0,
              "outliers %zu", i);
        CHECK(a->throughput == b->throughput && strcmp(a->throughput_unit, b->throughput_unit) == 0,
              "throughput %zu", i);
        CHECK(a->alloc_count.known == b->alloc_count.known &&
                  a->alloc_count.value == b->alloc_count.value &&
                  a->peak_live_bytes.value == b->peak_live_bytes.value &&
                  a->peak_rss_bytes.value == b->peak_rss_bytes.value,
              "memory %zu", i);
    }
    CHECK(back.n >= 2 && !back.items[1].alloc_count.known, "unknown allocations stay unknown");

    /* Writing what was read gives the same bytes: the format is stable. */
    char path2[256];
    snprintf(path2, sizeof path2, "%s/r2.json", tmpdir);
    CHECK(harness_results_save(path2, &back, err, sizeof err) == 0, "save 2: %s", err);
    char *t1 = slurp(path), *t2 = slurp(path2);
    CHECK(t1 && t2 && strcmp(t1, t2) == 0, "re-written file identical");

    /* Schema: every documented field is present with its JSON type. */
    cJSON *root = t1 ? cJSON_Parse(t1) : NULL;
    CHECK(root != NULL, "parses as JSON");
    if (root) {
        CHECK(cJSON_IsNumber(cJSON_GetObjectItem(root, "schema_version")), "schema_version");
        CHECK(cJSON_IsString(cJSON_GetObjectItem(root, "kzgkit_version")), "kzgkit_version");
        const cJSON *env = cJSON_GetObjectItem(root, "env");
        const char *env_str[] = {"cpu_model", "cpu_flags", "affinity", "governor", "turbo",
                                 "compiler", "cflags", "build_type", "git_revision", "backend",
                                 "kernel", "hostname", "date"};
        for (size_t i = 0; i < sizeof env_str / sizeof env_str[0]; i++)
            CHECK(cJSON_IsString(cJSON_GetObjectItem(env, env_str[i])), "env.%s", env_str[i]);
        CHECK(cJSON_IsArray(cJSON_GetObjectItem(env, "load_avg")) &&
                  cJSON_IsArray(cJSON_GetObjectItem(env, "warnings")) &&
                  cJSON_IsBool(cJSON_GetObjectItem(env, "pinned")) &&
                  cJSON_IsNumber(cJSON_GetObjectItem(env, "cpus_online")),
              "env arrays/bool/number");
        const cJSON *nc = cJSON_GetObjectItem(env, "numa_node_cpus");
        CHECK(cJSON_IsNumber(cJSON_GetObjectItem(env, "numa_nodes")) && cJSON_GetArraySize(nc) == 2 &&
                  strcmp(cJSON_GetArrayItem(nc, 1)->valuestring, "4-7") == 0,
              "env.numa_nodes, env.numa_node_cpus");
        const cJSON *b0 = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "benchmarks"), 0);
        const char *nums[] = {"iters_per_sample", "median_ns", "mean_ns", "stddev_ns", "mad_ns",
                              "min_ns", "max_ns", "q1_ns", "q3_ns", "p99_ns", "cv",
                              "alloc_count", "alloc_bytes", "peak_live_bytes", "peak_rss_bytes"};
        for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
            CHECK(cJSON_IsNumber(cJSON_GetObjectItem(b0, nums[i])), "benchmarks[0].%s", nums[i]);
        CHECK(cJSON_IsString(cJSON_GetObjectItem(b0, "name")) &&
                  cJSON_IsObject(cJSON_GetObjectItem(b0, "params")) &&
                  cJSON_IsArray(cJSON_GetObjectItem(b0, "samples_ns")) &&
                  cJSON_GetArraySize(cJSON_GetObjectItem(b0, "ci95_ns")) == 2 &&
                  cJSON_GetArraySize(cJSON_GetObjectItem(b0, "ci95_median_ns")) == 2 &&
                  cJSON_IsObject(cJSON_GetObjectItem(b0, "outliers")) &&
                  cJSON_IsString(cJSON_GetObjectItem(b0, "status")) &&
                  cJSON_IsString(cJSON_GetObjectItem(b0, "peak_rss_scope")),
              "benchmarks[0] structure");
        const cJSON *tp = cJSON_GetObjectItem(b0, "throughput");
        CHECK(cJSON_IsNumber(cJSON_GetObjectItem(tp, "value")) &&
                  cJSON_IsString(cJSON_GetObjectItem(tp, "unit")),
              "throughput {value, unit}");
        const cJSON *out = cJSON_GetObjectItem(b0, "outliers");
        CHECK(cJSON_GetObjectItem(out, "low_mild") && cJSON_GetObjectItem(out, "low_severe") &&
                  cJSON_GetObjectItem(out, "high_mild") && cJSON_GetObjectItem(out, "high_severe"),
              "outlier classes");
        const cJSON *b1 = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "benchmarks"), 1);
        CHECK(cJSON_IsNull(cJSON_GetObjectItem(b1, "alloc_count")) &&
                  cJSON_IsNull(cJSON_GetObjectItem(b1, "alloc_bytes")) &&
                  cJSON_IsNull(cJSON_GetObjectItem(b1, "peak_live_bytes")),
              "no probe: allocation fields are null, not 0");
        const cJSON *b2 = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "benchmarks"), 2);
        CHECK(strcmp(cJSON_GetObjectItem(b2, "status")->valuestring, "error") == 0 &&
                  cJSON_IsNull(cJSON_GetObjectItem(b2, "median_ns")),
              "failed benchmark: status error, statistics null");
        cJSON_Delete(root);
    }
    free(t1);
    free(t2);
    harness_results_free(&r);
    harness_results_free(&back);
}

static void test_json__rejects_bad_input(void) {
    harness_results r;
    char err[256];
    const char *bad[] = {
        "not json",
        "[]",
        "{\"benchmarks\": []}",
        "{\"schema_version\": 99, \"benchmarks\": []}",
        "{\"schema_version\": 1}",
        "{\"schema_version\": 1, \"benchmarks\": [{\"samples_ns\": [1]}]}",
        "{\"schema_version\": 1, \"benchmarks\": [{\"name\": \"x\", \"samples_ns\": []}]}",
        "{\"schema_version\": 1, \"benchmarks\": [{\"name\": \"x\", \"samples_ns\": [1, \"a\"]}]}",
        ("{\"schema_version\": 1, \"benchmarks\": [{\"name\": \"x\", \"params\": {\"n\": 1.5}, "
         "\"samples_ns\": [1]}]}"), /* one string (parenthesised for clang's -Wstring-concatenation) */
        "{\"schema_version\": 1, \"benchmarks\": [{\"name\": \"x\", \"samples_ns\": [-1]}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        CHECK(harness_results_parse(bad[i], "input", &r, err, sizeof err) != 0 && err[0],
              "bad input %zu accepted", i);
        CHECK(r.n == 0 && r.items == NULL, "bad input %zu leaves an empty set", i);
    }
    /* Minimal valid file: statistics recomputed from samples. */
    const char *ok = "{\"schema_version\": 1, \"benchmarks\": [{\"name\": \"x\", "
                     "\"params\": {\"size\": 256}, \"samples_ns\": [3, 1, 2]}]}";
    CHECK(harness_results_parse(ok, "ok", &r, err, sizeof err) == 0, "minimal: %s", err);
    CHECK(r.n == 1 && r.items[0].stats.median == 2 && r.items[0].params[0].value == 256 &&
              !r.items[0].alloc_count.known,
          "minimal contents");
    harness_results_free(&r);
    CHECK(harness_results_load("/nonexistent/kzgkit.json", &r, err, sizeof err) != 0 &&
              strstr(err, "/nonexistent/kzgkit.json"),
          "missing file names the path: %s", err);
}

static void test_baseline__names_and_dir(void) {
    char path[512], err[256], dir[300];
    snprintf(dir, sizeof dir, "%s/base/deep", tmpdir);
    setenv("KZGKIT_BASELINE_DIR", dir, 1);
    CHECK(harness_baseline_path("main", true, path, sizeof path, err, sizeof err) == 0, "%s", err);
    char want[600];
    snprintf(want, sizeof want, "%s/main.json", dir);
    CHECK(strcmp(path, want) == 0, "path %s", path);
    struct stat st;
    CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode), "directory created");
    const char *bad[] = {"", "..", ".hidden", "a b", "x;rm", "-x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(harness_baseline_path(bad[i], false, path, sizeof path, err, sizeof err) != 0,
              "bad name '%s' accepted", bad[i]);
    CHECK(harness_baseline_path("v1.2_rc-3", false, path, sizeof path, err, sizeof err) == 0,
          "dots, dashes, underscores");
    CHECK(harness_baseline_path("out/old.json", false, path, sizeof path, err, sizeof err) == 0 &&
              strcmp(path, "out/old.json") == 0,
          "a path is used as is");
    unsetenv("KZGKIT_BASELINE_DIR");
    CHECK(harness_baseline_path("main", false, path, sizeof path, err, sizeof err) == 0 &&
              strcmp(path, ".kzgkit/baselines/main.json") == 0,
          "default dir: %s", path);
}

static void test_ids__declared_and_sorted(void) {
    harness_result r;
    memset(&r, 0, sizeof r);
    snprintf(r.name, sizeof r.name, "op");
    r.n_params = 2;
    snprintf(r.params[0].key, sizeof r.params[0].key, "threads");
    r.params[0].value = 2;
    snprintf(r.params[1].key, sizeof r.params[1].key, "size");
    r.params[1].value = 256;
    char buf[128];
    harness_result_id(&r, buf, sizeof buf);
    CHECK(strcmp(buf, "op/threads=2/size=256") == 0, "id %s", buf);
    harness_result_match_key(&r, buf, sizeof buf);
    CHECK(strcmp(buf, "op/size=256/threads=2") == 0, "match key %s", buf);
    CHECK(harness_result_param(&r, "size", -1) == 256 && harness_result_param(&r, "n", -1) == -1,
          "param lookup");
}

int main(void) {
    testrand_init("test_harness_results");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_json__round_trip();
    test_json__rejects_bad_input();
    test_baseline__names_and_dir();
    test_ids__declared_and_sorted();
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (!getenv("KEEP") && system(cmd) != 0) fprintf(stderr, "warning: could not remove %s\n", tmpdir);
    return test_report();
}
