/* test_harness_runner — expansion of suites into cases (sweeps, overrides, --filter) and a run of
 * synthetic workloads, checked for structure only: nothing here asserts on a time. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "runner.h"
#include "testrand.h"

static int n_setup, n_teardown, n_runs_after_fail;

static int counting_setup(void *ss, const harness_case *c, void **state) {
    (void)ss;
    n_setup++;
    long long *v = malloc(sizeof *v);
    if (!v) return 1;
    *v = harness_case_param(c, "size", 1);
    *state = v;
    return 0;
}
static void counting_teardown(void *state) {
    n_teardown++;
    free(state);
}
static int noop_run(void *state, uint64_t iters) {
    volatile long long sink = 0;
    for (uint64_t i = 0; i < iters; i++) sink += *(long long *)state;
    (void)sink;
    return 0;
}
static int failing_run(void *state, uint64_t iters) {
    (void)state;
    (void)iters;
    n_runs_after_fail++;
    return 42;
}
static int failing_setup(void *ss, const harness_case *c, void **state) {
    (void)ss;
    (void)c;
    (void)state;
    return 7;
}

/* Reports the state it is handed: called after the samples, before teardown frees it. */
static int n_figures_calls;
static void state_figures(void *state, harness_result *res) {
    n_figures_calls++;
    harness_result_set_figure(res, "state_value", state ? (double)*(long long *)state : -1);
}

static const harness_bench benches[] = {
    {.name = "alpha", .params = {{"size", {1, 2, 3}, 3}, {"threads", {1, 2}, 2}}, .n_params = 2,
     .setup = counting_setup, .run = noop_run, .teardown = counting_teardown,
     .items_param = "size", .unit = "items"},
    {.name = "beta", .setup = counting_setup, .run = noop_run, .teardown = counting_teardown,
     .figures = state_figures},
    {.name = "gamma", .run = failing_run, .figures = state_figures},
    {.name = "delta", .setup = failing_setup, .run = noop_run},
};
static int suite_inits, suite_finis;
static int s_init(void **st) {
    suite_inits++;
    *st = NULL;
    return 0;
}
static void s_fini(void *st) {
    (void)st;
    suite_finis++;
}
static const harness_suite suite = {"unit", benches, 4, s_init, s_fini, NULL, NULL};

static void test_expand__sweeps_overrides_filter(void) {
    harness_case *c;
    size_t n;
    int unused;
    CHECK(harness_expand(&c, &n, &suite, 1, NULL, 0, NULL, &unused) == 0, "expand");
    CHECK(n == 6 + 3, "cases %zu", n);
    if (n >= 6) {
        CHECK(strcmp(c[0].id, "alpha/size=1/threads=1") == 0, "first id %s", c[0].id);
        CHECK(strcmp(c[1].id, "alpha/size=1/threads=2") == 0, "second id %s", c[1].id);
        CHECK(strcmp(c[5].id, "alpha/size=3/threads=2") == 0, "sixth id %s", c[5].id);
        CHECK(strcmp(c[6].id, "beta") == 0, "no params: bare name %s", c[6].id);
    }
    free(c);

    harness_override ov[2];
    CHECK(harness_parse_values(&ov[0], "threads", "4,8,16") == 0, "parse");
    CHECK(harness_parse_values(&ov[1], "size", "1024") == 0, "parse");
    CHECK(harness_expand(&c, &n, &suite, 1, ov, 2, NULL, &unused) == 0 && unused == -1, "override");
    CHECK(n == 3 + 3 && strcmp(c[2].id, "alpha/size=1024/threads=16") == 0, "override ids (%zu)", n);
    free(c);

    harness_override bogus;
    CHECK(harness_parse_values(&bogus, "nonexistent", "1") == 0, "parse");
    CHECK(harness_expand(&c, &n, &suite, 1, &bogus, 1, NULL, &unused) == 0 && unused == 0,
          "an override no benchmark has is reported");
    free(c);

    regex_t rx;
    CHECK(regcomp(&rx, "^alpha/.*threads=2$|beta", REG_EXTENDED | REG_NOSUB) == 0, "regcomp");
    CHECK(harness_expand(&c, &n, &suite, 1, NULL, 0, &rx, NULL) == 0, "filter");
    CHECK(n == 4, "filtered %zu", n);
    free(c);
    regfree(&rx);

    const char *bad[] = {"", "1,", ",1", "a", "1,-2", "1 2",
                         "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(harness_parse_values(&bogus, "k", bad[i]) != 0, "bad list '%s' accepted", bad[i]);
}

static harness_run_opts tiny_opts(void) {
    harness_run_opts o = harness_run_defaults(true);
    o.samples = 4;
    o.min_samples = 2;
    o.warmup_s = 0.0005;
    o.sample_s = 0.0002;
    o.max_s = 0.05;
    o.resamples = 200;
    o.progress = false;
    return o;
}

static void test_run__structure_and_failures(void) {
    harness_case *c;
    size_t n;
    CHECK(harness_expand(&c, &n, &suite, 1, NULL, 0, NULL, NULL) == 0, "expand");
    harness_results r;
    harness_results_init(&r);
    harness_run_opts o = tiny_opts();
    n_setup = n_teardown = suite_inits = suite_finis = n_figures_calls = 0;
    CHECK(harness_run_cases(&r, c, n, &o) == 0, "run");
    CHECK(r.n == n, "one result per case: %zu", r.n);
    CHECK(suite_inits == 1 && suite_finis == 1, "suite init/fini once (%d, %d)", suite_inits, suite_finis);
    CHECK(n_setup == 7 && n_teardown == 7, "setup/teardown paired (%d, %d)", n_setup, n_teardown);
    for (size_t i = 0; i < 7 && i < r.n; i++) {
        const harness_result *x = &r.items[i];
        CHECK(!x->error[0], "%s: %s", c[i].id, x->error);
        CHECK(x->n_samples >= 2 && x->n_samples <= 4, "%s: samples %zu", c[i].id, x->n_samples);
        CHECK(x->iters_per_sample >= 1, "iters");
        CHECK(x->stats.n == x->n_samples && x->stats.min <= x->stats.median &&
                  x->stats.median <= x->stats.max,
              "%s: summary consistent", c[i].id);
        CHECK(!x->alloc_count.known && !x->alloc_bytes.known && !x->peak_live_bytes.known,
              "no probe: allocation fields unknown");
        CHECK(x->peak_rss_bytes.known && x->peak_rss_bytes.value > 0, "peak RSS read");
        CHECK(x->throughput > 0, "throughput");
    }
    if (r.n > 1) CHECK(strcmp(r.items[0].throughput_unit, "items/s") == 0, "unit %s", r.items[0].throughput_unit);
    if (r.n > 6) CHECK(strcmp(r.items[6].throughput_unit, "op/s") == 0, "default unit");
    if (r.n == 9) {
        CHECK(strstr(r.items[7].error, "status 42") && r.items[7].n_samples == 0 &&
                  r.items[7].samples_ns == NULL,
              "failing run recorded: '%s'", r.items[7].error);
        CHECK(n_runs_after_fail == 1, "a failing benchmark stops at once (%d runs)", n_runs_after_fail);
        CHECK(strstr(r.items[8].error, "setup failed (status 7)"), "failing setup: '%s'", r.items[8].error);
    }
    if (r.n == 9) {
        CHECK(n_figures_calls == 1 && r.items[6].n_figures == 1 &&
                  harness_result_figure(&r.items[6], "state_value") == 1,
              "figures: called once for beta, with its live state (%d calls)", n_figures_calls);
        CHECK(r.items[7].n_figures == 0 && r.items[0].n_figures == 0,
              "figures: not called for a failed case, nor for a benchmark without the hook");
    }
    /* The table prints every benchmark, errors included. */
    FILE *f = tmpfile();
    CHECK(f != NULL, "tmpfile");
    if (f) {
        harness_print_table(f, &r);
        long len = ftell(f);
        rewind(f);
        char *buf = calloc(1, (size_t)len + 1);
        if (buf && fread(buf, 1, (size_t)len, f) == (size_t)len) {
            CHECK(strstr(buf, "alpha/size=3/threads=2") && strstr(buf, "error: setup failed") &&
                      strstr(buf, "median") && strstr(buf, "peak RSS"),
                  "table contents:\n%s", buf);
        }
        free(buf);
        fclose(f);
    }
    harness_results_free(&r);
    free(c);
}

static void test_run__demo_suite_with_memory_probe(void) {
    harness_case *c;
    size_t n;
    regex_t rx;
    CHECK(regcomp(&rx, "demo_alloc|demo_mix/size=256", REG_EXTENDED | REG_NOSUB) == 0, "regcomp");
    CHECK(harness_expand(&c, &n, &harness_demo_suite, 1, NULL, 0, &rx, NULL) == 0 && n == 2,
          "demo cases %zu", n);
    regfree(&rx);
    harness_results r;
    harness_results_init(&r);
    harness_run_opts o = tiny_opts();
    CHECK(harness_run_cases(&r, c, n, &o) == 0 && r.n == 2, "run demo");
    if (r.n == 2) {
        const harness_result *mix = &r.items[0], *alloc = &r.items[1];
        CHECK(strcmp(alloc->name, "demo_alloc") == 0, "order");
        CHECK(alloc->alloc_count.known && alloc->alloc_count.value == 16,
              "demo_alloc: 16 allocations per op (%llu)", (unsigned long long)alloc->alloc_count.value);
        /* blocks of 64 + 32·j bytes, j < 16: 16·64 + 32·120 = 4864 bytes, all live at once */
        CHECK(alloc->alloc_bytes.value == 4864 && alloc->peak_live_bytes.value == 4864,
              "bytes %llu peak %llu", (unsigned long long)alloc->alloc_bytes.value,
              (unsigned long long)alloc->peak_live_bytes.value);
        CHECK(mix->alloc_count.known && mix->alloc_count.value == 0, "demo_mix allocates nothing");
        CHECK(harness_result_figure(alloc, "alloc_overhead_bytes") == 16 * 16,
              "demo_alloc: overhead figure %g, want 16 headers of 16 bytes",
              harness_result_figure(alloc, "alloc_overhead_bytes"));
        CHECK(harness_result_figure(mix, "alloc_overhead_bytes") == 0, "demo_mix: overhead figure");
        CHECK(strcmp(alloc->throughput_unit, "blocks/s") == 0, "unit %s", alloc->throughput_unit);
    }
    harness_results_free(&r);
    free(c);
}

static void test_format__units(void) {
    char b[32];
    harness_fmt_ns(b, sizeof b, 812);
    CHECK(strcmp(b, "812.0 ns") == 0, "%s", b);
    harness_fmt_ns(b, sizeof b, 12345);
    CHECK(strcmp(b, "12.35 µs") == 0 || strcmp(b, "12.34 µs") == 0, "%s", b);
    harness_fmt_ns(b, sizeof b, 4.56e6);
    CHECK(strcmp(b, "4.560 ms") == 0, "%s", b);
    harness_fmt_ns(b, sizeof b, 1.5e9);
    CHECK(strcmp(b, "1.500 s") == 0, "%s", b);
    harness_fmt_ns(b, sizeof b, 999.99);
    CHECK(strcmp(b, "1.000 µs") == 0, "rounding across a unit: %s", b);
    harness_fmt_bytes(b, sizeof b, 1536);
    CHECK(strcmp(b, "1.5 KiB") == 0, "%s", b);
    harness_fmt_bytes(b, sizeof b, 512);
    CHECK(strcmp(b, "512 B") == 0, "%s", b);
    harness_fmt_rate(b, sizeof b, 81234, "op/s");
    CHECK(strcmp(b, "81.23 kop/s") == 0, "%s", b);
}

int main(void) {
    testrand_init("test_harness_runner");
    test_expand__sweeps_overrides_filter();
    test_run__structure_and_failures();
    test_run__demo_suite_with_memory_probe();
    test_format__units();
    return test_report();
}
