/* test_harness_cli — the three entry points end to end: options, files, baselines, exit statuses
 * (0 ok, 2 usage, 3 regression/KPI). Benchmarks are the synthetic demo suite with tiny
 * sample times; comparisons use synthetic result files; no time is asserted on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "synth.h"
#include "testrand.h"

static char dir[] = "/tmp/kzgkit-cli-XXXXXX";

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int bench(char **argv, int argc) {
    fflush(stdout);
    int rc = harness_main_bench(argc, argv, &harness_demo_suite, 1);
    fflush(stdout);
    return rc;
}

static char *path_in(const char *name) {
    static char buf[8][512];
    static int k;
    char *p = buf[k++ % 8];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

static int exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && st.st_size > 0;
}

static void write_synth(const char *path, double shift, uint64_t seed) {
    harness_rng rng;
    harness_rng_seed(&rng, seed);
    harness_results r;
    harness_results_init(&r);
    synth_env(&r.env);
    const char *k[] = {"size"};
    long long v[] = {256};
    synth_add(&r, &rng, "op_a", 1e6, 0.02, 30, 1, k, v);
    synth_add(&r, &rng, "op_b", 2e6 * shift, 0.02, 30, 0, NULL, NULL);
    char err[256];
    CHECK(harness_results_save(path, &r, err, sizeof err) == 0, "%s", err);
    harness_results_free(&r);
}

static void test_bench__run_save_compare(void) {
    const char *tiny[] = {"--samples", "4", "--warmup-ms", "0.5", "--sample-ms", "0.2",
                          "--max-time", "0.05", "--no-progress"};
    char *argv[32];
    int n = 0;
    argv[n++] = "bench";
    for (int i = 0; i < ARGC(tiny); i++) argv[n++] = (char *)tiny[i];
    argv[n++] = "--filter";
    argv[n++] = "demo_mix/size=256|demo_alloc|demo_parallel";
    argv[n++] = "--json";
    argv[n++] = path_in("run.json");
    argv[n++] = "--html";
    argv[n++] = path_in("run.html");
    argv[n++] = "--save-baseline";
    argv[n++] = "first";
    CHECK(bench(argv, n) == 0, "bench run");
    CHECK(exists(path_in("run.json")) && exists(path_in("run.html")), "json and html written");
    CHECK(exists(path_in("baselines/first.json")), "baseline saved under KZGKIT_BASELINE_DIR");

    harness_results r;
    char err[256];
    CHECK(harness_results_load(path_in("run.json"), &r, err, sizeof err) == 0, "%s", err);
    CHECK(r.n == 4, "4 cases (mix, alloc, parallel ×2): %zu", r.n);
    CHECK(strcmp(r.env.backend, "demo (synthetic)") == 0, "describe_env hook: %s", r.env.backend);
    harness_results_free(&r);

    /* Against the saved baseline: exit 0 or 3 depending on this machine's noise; never 1/2.
     * (Whether it regressed is not asserted: that would be a timing assertion.) */
    n -= 2;
    argv[n++] = "--baseline";
    argv[n++] = "first";
    int rc = bench(argv, n);
    CHECK(rc == 0 || rc == 3, "bench vs baseline: %d", rc);

    char *list[] = {"bench", "--list"};
    CHECK(bench(list, 2) == 0, "--list");
    char *help[] = {"bench", "--help"};
    CHECK(bench(help, 2) == 0, "--help");
    char *sweep[] = {"bench", "--list", "--threads", "1,2,3", "--sizes", "64"};
    CHECK(bench(sweep, 6) == 0, "sweep overrides");

    char *bad1[] = {"bench", "--frobnicate"};
    char *bad2[] = {"bench", "--filter", "("};
    char *bad3[] = {"bench", "--samples", "zero"};
    char *bad4[] = {"bench", "--param", "nosuchparam=1"};
    char *bad5[] = {"bench", "--baseline", "does-not-exist", "--samples", "2"};
    char *bad6[] = {"bench", "--filter", "matches-nothing"};
    char *bad7[] = {"bench", "--save-baseline", "bad name!"};
    char *bad8[] = {"bench", "--pin", "0-x"};
    char *bad9[] = {"bench", "--json"};
    char **bads[] = {bad1, bad2, bad3, bad4, bad5, bad6, bad7, bad8, bad9};
    int nbads[] = {2, 3, 3, 3, 5, 3, 3, 3, 2};
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++)
        CHECK(bench(bads[i], nbads[i]) == 2, "bad usage %zu: exit 2", i);

    /* --kpi with targets that the demo cannot meet: exit 3. */
    FILE *f = fopen(path_in("targets.txt"), "w");
    if (f) {
        fputs("latency_ms:demo_mix = 0.000001\n", f);
        fclose(f);
    }
    n = 0;
    argv[n++] = "bench";
    for (int i = 0; i < ARGC(tiny); i++) argv[n++] = (char *)tiny[i];
    argv[n++] = "--filter";
    argv[n++] = "demo_mix/size=256";
    argv[n++] = "--targets";
    argv[n++] = path_in("targets.txt");
    CHECK(bench(argv, n) == 3, "KPI failure: exit 3");
}

static void test_compare__exit_statuses(void) {
    write_synth(path_in("a.json"), 1.0, 1);
    write_synth(path_in("a2.json"), 1.0, 2);
    write_synth(path_in("slow.json"), 1.25, 3);
    write_synth(path_in("fast.json"), 0.75, 4);
    char *same[] = {"compare", path_in("a.json"), path_in("a2.json")};
    CHECK(harness_main_compare(3, same) == 0, "A/A: exit 0");
    char *reg[] = {"compare", path_in("a.json"), path_in("slow.json"), "--html", path_in("cmp.html")};
    CHECK(harness_main_compare(5, reg) == 3, "op_b 25%% slower: exit 3");
    CHECK(exists(path_in("cmp.html")), "comparison html");
    char *imp[] = {"compare", path_in("a.json"), path_in("fast.json")};
    CHECK(harness_main_compare(3, imp) == 0, "faster: exit 0");
    char *filt[] = {"compare", path_in("a.json"), path_in("slow.json"), "--filter", "op_a"};
    CHECK(harness_main_compare(5, filt) == 0, "filtered to the unchanged benchmark: exit 0");
    char *thr[] = {"compare", path_in("a.json"), path_in("slow.json"), "--threshold", "50"};
    CHECK(harness_main_compare(5, thr) == 0, "25%% change under a 50%% threshold: exit 0");

    FILE *f = fopen(path_in("garbage.json"), "w");
    if (f) {
        fputs("{\"hello\": 1}", f);
        fclose(f);
    }
    char *b1[] = {"compare", path_in("a.json")};
    char *b2[] = {"compare", path_in("a.json"), path_in("missing.json")};
    char *b3[] = {"compare", path_in("a.json"), path_in("garbage.json")};
    char *b4[] = {"compare", path_in("a.json"), path_in("a.json"), "--alpha", "2"};
    char *b5[] = {"compare", "x", "y", "z"};
    CHECK(harness_main_compare(2, b1) == 2, "one file: exit 2");
    CHECK(harness_main_compare(3, b2) == 2, "missing file: exit 2");
    CHECK(harness_main_compare(3, b3) == 2, "not a result file: exit 2");
    CHECK(harness_main_compare(5, b4) == 2, "bad alpha: exit 2");
    CHECK(harness_main_compare(4, b5) == 2, "three files: exit 2");
    char *h[] = {"compare", "--help"};
    CHECK(harness_main_compare(2, h) == 0, "--help");
}

static void test_analyze__exit_statuses(void) {
    FILE *f = fopen(path_in("t_ok.txt"), "w");
    if (f) {
        fputs("commitment_latency_ms = off\nverification_throughput_per_s = off\n"
              "latency_ms:op_a = 100\n", f);
        fclose(f);
    }
    f = fopen(path_in("t_fail.txt"), "w");
    if (f) {
        fputs("latency_ms:op_b = 0.5\n", f);
        fclose(f);
    }
    char *ok[] = {"analyze", path_in("a.json"), "--targets", path_in("t_ok.txt")};
    CHECK(harness_main_analyze(4, ok) == 0, "analyze ok");
    char *kfail[] = {"analyze", path_in("a.json"), "--targets", path_in("t_fail.txt")};
    CHECK(harness_main_analyze(4, kfail) == 3, "KPI fail: exit 3");
    char *reg[] = {"analyze", path_in("slow.json"), "--baseline", path_in("a.json"), "--no-kpi"};
    CHECK(harness_main_analyze(5, reg) == 3, "regression vs baseline: exit 3");
    char *fine[] = {"analyze", path_in("a2.json"), "--baseline", path_in("a.json"), "--no-kpi"};
    CHECK(harness_main_analyze(5, fine) == 0, "A/A vs baseline: exit 0");
    char *saved[] = {"analyze", path_in("run.json"), "--baseline", "first", "--no-kpi"};
    int rc = harness_main_analyze(5, saved);
    CHECK(rc == 0 || rc == 3, "named baseline: %d", rc);
    char *b1[] = {"analyze"};
    char *b2[] = {"analyze", path_in("missing.json")};
    char *b3[] = {"analyze", path_in("a.json"), "--targets", path_in("missing.txt")};
    char *b4[] = {"analyze", path_in("a.json"), "--cv-threshold"};
    CHECK(harness_main_analyze(1, b1) == 2, "no file: exit 2");
    CHECK(harness_main_analyze(2, b2) == 2, "missing file: exit 2");
    CHECK(harness_main_analyze(4, b3) == 2, "missing targets: exit 2");
    CHECK(harness_main_analyze(3, b4) == 2, "option without value: exit 2");
}

int main(void) {
    testrand_init("test_harness_cli");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    setenv("KZGKIT_BASELINE_DIR", path_in("baselines"), 1);
    test_bench__run_save_compare();
    test_compare__exit_statuses();
    test_analyze__exit_statuses();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (!getenv("KZGKIT_TEST_KEEP") && system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return test_report();
}
