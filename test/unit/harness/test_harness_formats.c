/* test_harness_formats — the export formats (formats.h): Google Benchmark JSON written and read
 * back (names, params, samples, the context), a hand-written file as a real Google Benchmark
 * program writes it (time_unit "us", aggregates, an error, an aggregates-only run), the
 * github-action-benchmark array, and the format names. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "compare.h"
#include "formats.h"
#include "results.h"
#include "synth.h"
#include "testrand.h"

/* Writes r in fmt to a NUL-terminated string (malloc'ed; NULL if the writer failed). */
static char *render(const harness_results *r, harness_format fmt) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    int rc = harness_format_write(f, r, fmt);
    fclose(f);
    if (rc != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static void build(harness_results *r) {
    harness_rng rng;
    harness_rng_seed(&rng, 7);
    harness_results_init(r);
    synth_env(&r->env);
    const char *k[] = {"size", "threads"};
    long long v[] = {4096, 2};
    synth_add(r, &rng, "g1_msm", 2.5e6, 0.03, 12, 2, k, v);
    v[0] = 256;
    synth_add(r, &rng, "g1_msm", 3e5, 0.03, 12, 2, k, v);
    synth_add(r, &rng, "fr_mul", 25.5, 0.01, 10, 0, NULL, NULL);
    harness_result *bad = harness_results_push(r);
    snprintf(bad->name, sizeof bad->name, "verify_blob");
    snprintf(bad->error, sizeof bad->error, "setup failed: \"no setup\"");
}

static void test_gbench__round_trip(void) {
    harness_results r, back;
    build(&r);
    char *json = render(&r, HARNESS_FORMAT_GBENCH);
    CHECK(json != NULL, "gbench writer");
    if (!json) return;
    cJSON *doc = cJSON_Parse(json);
    CHECK(doc && harness_gbench_detect(doc), "the output is Google Benchmark JSON");
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(doc, "context");
    const cJSON *mhz = cJSON_GetObjectItemCaseSensitive(ctx, "mhz_per_cpu");
    CHECK(cJSON_IsNumber(mhz) && mhz->valuedouble == 3000, "mhz_per_cpu from '@ 3.0GHz'");
    CHECK(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(ctx, "num_cpus")), "num_cpus");
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(ctx, "cpu_scaling_enabled")),
          "governor performance: no scaling");
    const cJSON *e;
    size_t iters = 0, aggs = 0, errors = 0;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc, "benchmarks")) {
        const cJSON *rt = cJSON_GetObjectItemCaseSensitive(e, "run_type");
        const char *name = cJSON_GetObjectItemCaseSensitive(e, "name")->valuestring;
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "error_occurred"))) errors++;
        else if (strcmp(rt->valuestring, "iteration") == 0) iters++;
        else aggs++;
        if (strncmp(name, "g1_msm/size:256", 15) == 0) {
            const cJSON *fam = cJSON_GetObjectItemCaseSensitive(e, "family_index");
            const cJSON *ins = cJSON_GetObjectItemCaseSensitive(e, "per_family_instance_index");
            CHECK(fam->valuedouble == 0 && ins->valuedouble == 1, "g1_msm size=256: family 0 #1");
        }
    }
    CHECK(iters == 12 + 12 + 10 && aggs == 3 * 3 && errors == 1,
          "one entry per sample, mean/median/stddev per case, the error: %zu %zu %zu", iters,
          aggs, errors);
    cJSON_Delete(doc);

    char err[256];
    CHECK(harness_results_parse(json, "g.json", &back, err, sizeof err) == 0, "%s", err);
    free(json);
    CHECK(back.n == 4, "4 benchmarks read back: %zu", back.n);
    for (size_t i = 0; i < back.n && i < r.n; i++) {
        const harness_result *a = &r.items[i], *b = &back.items[i];
        char ia[256], ib[256];
        harness_result_id(a, ia, sizeof ia);
        harness_result_id(b, ib, sizeof ib);
        CHECK(strcmp(ia, ib) == 0, "id %s read back as %s", ia, ib);
        CHECK(a->n_samples == b->n_samples, "%s: %zu samples, read %zu", ia, a->n_samples,
              b->n_samples);
        bool same = a->n_samples == b->n_samples;
        for (size_t s = 0; same && s < a->n_samples; s++) same = a->samples_ns[s] == b->samples_ns[s];
        CHECK(same, "%s: samples exact", ia);
        CHECK(a->iters_per_sample == b->iters_per_sample, "%s: iterations", ia);
        CHECK((a->error[0] != 0) == (b->error[0] != 0), "%s: error kept", ia);
    }
    CHECK(strcmp(back.items[3].error, r.items[3].error) == 0, "error message: %s",
          back.items[3].error);
    CHECK(strcmp(back.env.git_revision, "0123456789ab") == 0 &&
              strcmp(back.env.backend, "portable") == 0 &&
              strcmp(back.env.date, "2026-01-01T00:00:00Z") == 0 &&
              strcmp(back.env.hostname, "synth") == 0 && back.env.cpus_online == 8,
          "context read back: %s %s %s", back.env.git_revision, back.env.backend, back.env.date);
    CHECK(strcmp(back.unit, HARNESS_UNIT_NS) == 0, "unit ns");

    /* Against the original: every case with samples pairs and is "~" (same samples). */
    harness_match *m = NULL;
    size_t n_m = 0;
    harness_compare_opts o = harness_compare_defaults();
    CHECK(harness_match_results(&m, &n_m, &r, &back, &o) == 0, "match");
    size_t compared = 0;
    for (size_t i = 0; i < n_m; i++) {
        CHECK(m[i].a && m[i].b, "every benchmark pairs");
        if (m[i].compared) {
            compared++;
            CHECK(m[i].cmp.verdict == HARNESS_SAME && m[i].cmp.change == 0, "unchanged");
        }
    }
    CHECK(n_m == 4 && compared == 3, "%zu pairs, %zu compared", n_m, compared);
    free(m);
    harness_results_free(&back);

    /* Instruction counts are not times: the gbench writer refuses them. */
    snprintf(r.unit, sizeof r.unit, "%s", HARNESS_UNIT_INSTRUCTIONS);
    json = render(&r, HARNESS_FORMAT_GBENCH);
    CHECK(json == NULL, "gbench refuses instruction counts");
    free(json);
    CHECK(harness_format_save("/nonexistent/x.json", &r, HARNESS_FORMAT_GBENCH, err, sizeof err) != 0 &&
              strstr(err, "instruction counts"),
          "save refuses with a reason: %s", err);
    harness_results_free(&r);
}

/* As Google Benchmark 1.8 writes it for
 *   BENCHMARK(BM_Commit)->ArgNames({"size"})->Arg(4096)->Threads(2)->UseRealTime();
 *   BENCHMARK(BM_Hash)->Arg(64)->Complexity();  with --benchmark_repetitions=3,
 * plus a failing benchmark and one run with --benchmark_report_aggregates_only. The BigO
 * entry belongs to the family, not to a run: it must not become a benchmark. */
static const char gbench_file[] =
    "{\n"
    "  \"context\": {\n"
    "    \"date\": \"2026-11-30T10:00:00+00:00\",\n"
    "    \"host_name\": \"ci-runner\",\n"
    "    \"executable\": \"./bench_kzg\",\n"
    "    \"num_cpus\": 4,\n"
    "    \"mhz_per_cpu\": 2800,\n"
    "    \"cpu_scaling_enabled\": true,\n"
    "    \"caches\": [{\"type\": \"Data\", \"level\": 1, \"size\": 32768, \"num_sharing\": 2}],\n"
    "    \"load_avg\": [0.5, 0.25, 0.125],\n"
    "    \"library_version\": \"v1.8.3\",\n"
    "    \"library_build_type\": \"release\",\n"
    "    \"json_schema_version\": 1\n"
    "  },\n"
    "  \"benchmarks\": [\n"
    "    {\"name\": \"BM_Commit/size:4096/real_time/threads:2\", \"family_index\": 0,\n"
    "     \"per_family_instance_index\": 0, \"run_name\": \"BM_Commit/size:4096/real_time/threads:2\",\n"
    "     \"run_type\": \"iteration\", \"repetitions\": 3, \"repetition_index\": 0, \"threads\": 2,\n"
    "     \"iterations\": 40, \"real_time\": 1.25e+04, \"cpu_time\": 2.4e+04, \"time_unit\": \"us\"},\n"
    "    {\"name\": \"BM_Commit/size:4096/real_time/threads:2\", \"family_index\": 0,\n"
    "     \"per_family_instance_index\": 0, \"run_name\": \"BM_Commit/size:4096/real_time/threads:2\",\n"
    "     \"run_type\": \"iteration\", \"repetitions\": 3, \"repetition_index\": 1, \"threads\": 2,\n"
    "     \"iterations\": 40, \"real_time\": 1.5e+04, \"cpu_time\": 2.9e+04, \"time_unit\": \"us\"},\n"
    "    {\"name\": \"BM_Commit/size:4096/real_time/threads:2\", \"family_index\": 0,\n"
    "     \"per_family_instance_index\": 0, \"run_name\": \"BM_Commit/size:4096/real_time/threads:2\",\n"
    "     \"run_type\": \"iteration\", \"repetitions\": 3, \"repetition_index\": 2, \"threads\": 2,\n"
    "     \"iterations\": 40, \"real_time\": 1.3e+04, \"cpu_time\": 2.5e+04, \"time_unit\": \"us\"},\n"
    "    {\"name\": \"BM_Commit/size:4096/real_time/threads:2_mean\", \"family_index\": 0,\n"
    "     \"per_family_instance_index\": 0, \"run_name\": \"BM_Commit/size:4096/real_time/threads:2\",\n"
    "     \"run_type\": \"aggregate\", \"repetitions\": 3, \"threads\": 2, \"aggregate_name\": \"mean\",\n"
    "     \"aggregate_unit\": \"time\", \"iterations\": 3, \"real_time\": 1.35e+04,\n"
    "     \"cpu_time\": 2.6e+04, \"time_unit\": \"us\"},\n"
    "    {\"name\": \"BM_Commit/size:4096/real_time/threads:2_median\", \"family_index\": 0,\n"
    "     \"per_family_instance_index\": 0, \"run_name\": \"BM_Commit/size:4096/real_time/threads:2\",\n"
    "     \"run_type\": \"aggregate\", \"repetitions\": 3, \"threads\": 2, \"aggregate_name\": \"median\",\n"
    "     \"aggregate_unit\": \"time\", \"iterations\": 3, \"real_time\": 1.3e+04,\n"
    "     \"cpu_time\": 2.5e+04, \"time_unit\": \"us\"},\n"
    "    {\"name\": \"BM_Commit/size:4096/real_time/threads:2_cv\", \"family_index\": 0,\n"
    "     \"per_family_instance_index\": 0, \"run_name\": \"BM_Commit/size:4096/real_time/threads:2\",\n"
    "     \"run_type\": \"aggregate\", \"repetitions\": 3, \"threads\": 2, \"aggregate_name\": \"cv\",\n"
    "     \"aggregate_unit\": \"percentage\", \"iterations\": 3, \"real_time\": 9.8e-02,\n"
    "     \"cpu_time\": 9.1e-02, \"time_unit\": \"us\"},\n"
    "    {\"name\": \"BM_Hash/64\", \"family_index\": 1, \"per_family_instance_index\": 0,\n"
    "     \"run_name\": \"BM_Hash/64\", \"run_type\": \"iteration\", \"repetitions\": 3,\n"
    "     \"repetition_index\": 0, \"threads\": 1, \"iterations\": 2000000, \"real_time\": 0.35,\n"
    "     \"cpu_time\": 0.35, \"time_unit\": \"us\"},\n"
    "    {\"name\": \"BM_Hash/64\", \"family_index\": 1, \"per_family_instance_index\": 0,\n"
    "     \"run_name\": \"BM_Hash/64\", \"run_type\": \"iteration\", \"repetitions\": 3,\n"
    "     \"repetition_index\": 1, \"threads\": 1, \"iterations\": 2000000, \"real_time\": 0.36,\n"
    "     \"cpu_time\": 0.36, \"time_unit\": \"us\"},\n"
    "    {\"name\": \"BM_Hash/64\", \"family_index\": 1, \"per_family_instance_index\": 0,\n"
    "     \"run_name\": \"BM_Hash/64\", \"run_type\": \"iteration\", \"repetitions\": 3,\n"
    "     \"repetition_index\": 2, \"threads\": 1, \"iterations\": 2000000, \"real_time\": 0.34,\n"
    "     \"cpu_time\": 0.34, \"time_unit\": \"us\"},\n"
    "    {\"name\": \"BM_Hash_BigO\", \"family_index\": 1, \"per_family_instance_index\": 0,\n"
    "     \"run_name\": \"BM_Hash\", \"run_type\": \"aggregate\", \"repetitions\": 0, \"threads\": 1,\n"
    "     \"aggregate_name\": \"BigO\", \"aggregate_unit\": \"time\", \"cpu_coefficient\": 5.4e-03,\n"
    "     \"real_coefficient\": 5.4e-03, \"big_o\": \"N\", \"time_unit\": \"us\"},\n"
    "    {\"name\": \"BM_Fail\", \"family_index\": 2, \"per_family_instance_index\": 0,\n"
    "     \"run_name\": \"BM_Fail\", \"run_type\": \"iteration\", \"repetitions\": 1,\n"
    "     \"repetition_index\": 0, \"threads\": 1, \"iterations\": 0, \"real_time\": 0,\n"
    "     \"cpu_time\": 0, \"time_unit\": \"ns\", \"error_occurred\": true,\n"
    "     \"error_message\": \"bad setup\"},\n"
    "    {\"name\": \"BM_Agg_median\", \"family_index\": 3, \"per_family_instance_index\": 0,\n"
    "     \"run_name\": \"BM_Agg\", \"run_type\": \"aggregate\", \"repetitions\": 3, \"threads\": 1,\n"
    "     \"aggregate_name\": \"median\", \"aggregate_unit\": \"time\", \"iterations\": 3,\n"
    "     \"real_time\": 5.0, \"cpu_time\": 5.0, \"time_unit\": \"ms\"}\n"
    "  ]\n"
    "}\n";

static void test_gbench__reads_a_real_file(void) {
    harness_results r;
    char err[256];
    CHECK(harness_results_parse(gbench_file, "gb.json", &r, err, sizeof err) == 0, "%s", err);
    CHECK(r.n == 4, "4 runs (aggregates folded into theirs): %zu", r.n);
    if (r.n != 4) {
        harness_results_free(&r);
        return;
    }
    const harness_result *c = &r.items[0], *h = &r.items[1], *f = &r.items[2], *a = &r.items[3];
    CHECK(strcmp(c->name, "BM_Commit") == 0, "name without params: %s", c->name);
    CHECK(c->n_params == 2 && harness_result_param(c, "size", 0) == 4096 &&
              harness_result_param(c, "threads", 0) == 2,
          "params size:4096 and threads:2; real_time dropped (%zu params)", c->n_params);
    CHECK(c->n_samples == 3 && c->samples_ns[1] == 1.5e7, "3 samples, us → ns: %g",
          c->n_samples > 1 ? c->samples_ns[1] : -1.0);
    CHECK(c->stats.median == 1.3e7, "median in ns: %g", c->stats.median);
    CHECK(c->iters_per_sample == 40, "iterations: %llu", (unsigned long long)c->iters_per_sample);
    CHECK(!c->error[0], "no error");
    CHECK(strcmp(h->name, "BM_Hash") == 0 && h->n_params == 1 &&
              harness_result_param(h, "arg0", 0) == 64,
          "positional argument → arg0: %s/%s", h->name, h->n_params ? h->params[0].key : "");
    CHECK(h->n_samples == 3 && fabs(h->stats.median - 350) < 1e-9, "median 350 ns: %g",
          h->stats.median);
    CHECK(strcmp(f->error, "bad setup") == 0 && f->n_samples == 0, "error_occurred: %s", f->error);
    CHECK(a->n_samples == 0 && strstr(a->error, "aggregates"), "aggregates only: %s", a->error);
    CHECK(strcmp(r.env.hostname, "ci-runner") == 0 && r.env.cpus_online == 4 &&
              r.env.load_avg[1] == 0.25 && strcmp(r.env.build_type, "release") == 0,
          "context: %s %d %s", r.env.hostname, r.env.cpus_online, r.env.build_type);
    CHECK(r.env.n_warnings == 1 && strstr(r.env.warnings[0], "scaling"),
          "cpu_scaling_enabled becomes a noise warning");
    CHECK(strcmp(r.unit, HARNESS_UNIT_NS) == 0, "a Google Benchmark file holds times");
    harness_results_free(&r);

    /* Malformed entries: a clear one-line reason. */
    static const char *const bad[] = {
        "{\"context\": {}, \"benchmarks\": [{\"run_type\": \"iteration\"}]}",
        "{\"context\": {}, \"benchmarks\": [{\"name\": \"x\", \"real_time\": 1, \"time_unit\": \"min\"}]}",
        "{\"context\": {}, \"benchmarks\": [{\"name\": \"x\", \"real_time\": \"1\"}]}",
    };
    static const char *const why[] = {"name", "time_unit", "real_time"};
    for (size_t i = 0; i < 3; i++) {
        err[0] = 0;
        CHECK(harness_results_parse(bad[i], "bad.json", &r, err, sizeof err) != 0 &&
                  strstr(err, why[i]) && strstr(err, "bad.json"),
              "bad file %zu refused: %s", i, err);
    }
}

static void test_github_action__array(void) {
    harness_results r;
    build(&r);
    char *json = render(&r, HARNESS_FORMAT_GITHUB_ACTION);
    CHECK(json != NULL, "github-action writer");
    cJSON *doc = json ? cJSON_Parse(json) : NULL;
    CHECK(cJSON_IsArray(doc), "a JSON array");
    CHECK(cJSON_GetArraySize(doc) == 3, "one entry per benchmark that ran (the error is left out)");
    const cJSON *e;
    size_t i = 0;
    cJSON_ArrayForEach(e, doc) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(e, "name");
        const cJSON *unit = cJSON_GetObjectItemCaseSensitive(e, "unit");
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(e, "value");
        const cJSON *range = cJSON_GetObjectItemCaseSensitive(e, "range");
        const cJSON *extra = cJSON_GetObjectItemCaseSensitive(e, "extra");
        char id[256];
        harness_result_id(&r.items[i], id, sizeof id);
        CHECK(cJSON_IsString(name) && strcmp(name->valuestring, id) == 0, "name is the id %s", id);
        CHECK(cJSON_IsString(unit) && strcmp(unit->valuestring, "ns") == 0, "unit ns");
        CHECK(cJSON_IsNumber(value) && value->valuedouble == r.items[i].stats.median,
              "value is the median");
        CHECK(cJSON_IsString(range) && strncmp(range->valuestring, "\xc2\xb1 ", 3) == 0,
              "range '± x': %s", cJSON_IsString(range) ? range->valuestring : "?");
        double half = (r.items[i].stats.ci95_median_hi - r.items[i].stats.ci95_median_lo) / 2;
        CHECK(cJSON_IsString(range) && fabs(strtod(range->valuestring + 3, NULL) - half) <= 1e-3 * half,
              "range is the half-width of the median's interval (%g)", half);
        CHECK(cJSON_IsString(extra) && strstr(extra->valuestring, "samples"), "extra");
        i++;
    }
    cJSON_Delete(doc);
    free(json);

    /* Instruction counts: unit "instructions". */
    snprintf(r.unit, sizeof r.unit, "%s", HARNESS_UNIT_INSTRUCTIONS);
    json = render(&r, HARNESS_FORMAT_GITHUB_ACTION);
    doc = json ? cJSON_Parse(json) : NULL;
    const cJSON *first = cJSON_GetArrayItem(doc, 0);
    const cJSON *unit = cJSON_GetObjectItemCaseSensitive(first, "unit");
    CHECK(cJSON_IsString(unit) && strcmp(unit->valuestring, "instructions") == 0,
          "unit instructions for counts");
    cJSON_Delete(doc);
    free(json);

    /* Nothing ran: an empty array, still valid JSON. */
    harness_results_free(&r);
    harness_results_init(&r);
    json = render(&r, HARNESS_FORMAT_GITHUB_ACTION);
    doc = json ? cJSON_Parse(json) : NULL;
    CHECK(cJSON_IsArray(doc) && cJSON_GetArraySize(doc) == 0, "empty array");
    cJSON_Delete(doc);
    free(json);
    json = render(&r, HARNESS_FORMAT_GBENCH);
    doc = json ? cJSON_Parse(json) : NULL;
    CHECK(doc && harness_gbench_detect(doc), "empty gbench file is valid");
    cJSON_Delete(doc);
    free(json);
    harness_results_free(&r);
}

static void test_format__names(void) {
    harness_format f;
    CHECK(harness_format_parse("kzgkit", &f) == 0 && f == HARNESS_FORMAT_KZGKIT, "kzgkit");
    CHECK(harness_format_parse("gbench", &f) == 0 && f == HARNESS_FORMAT_GBENCH, "gbench");
    CHECK(harness_format_parse("github-action", &f) == 0 && f == HARNESS_FORMAT_GITHUB_ACTION,
          "github-action");
    CHECK(harness_format_parse("csv", &f) != 0 && harness_format_parse("", &f) != 0, "others refused");
    CHECK(strcmp(harness_format_name(HARNESS_FORMAT_GITHUB_ACTION), "github-action") == 0, "name");
}

int main(void) {
    testrand_init("test_harness_formats");
    test_format__names();
    test_gbench__round_trip();
    test_gbench__reads_a_real_file();
    test_github_action__array();
    return test_report();
}
