/* test_harness_icount — instruction-count support without valgrind: the count rule of compare,
 * the "unit" field (written, read back, absent = ns, unknown refused), the cache figures, and
 * the callgrind dump reader on hand-written dumps (tags, trailing zeros left out, a missing
 * dump turning into an error). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "icount.h"
#include "results.h"
#include "testrand.h"

static char tmpdir[] = "/tmp/kzgkit-icount-XXXXXX";

static void test_compare_counts__threshold_rule(void) {
    const double a[] = {1000000, 1000000, 1000000};
    const struct { double factor; harness_verdict want; } cases[] = {
        {1.0, HARNESS_SAME},       {1.0005, HARNESS_SAME},     {1.00099, HARNESS_SAME},
        {1.0011, HARNESS_REGRESSED}, {1.01, HARNESS_REGRESSED}, {0.9995, HARNESS_SAME},
        {0.99, HARNESS_IMPROVED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double b[3];
        for (int k = 0; k < 3; k++) b[k] = a[k] * cases[i].factor;
        harness_comparison c;
        int rc = harness_compare_counts(&c, a, 3, b, 3, HARNESS_COUNT_THRESHOLD);
        CHECK(rc == 0 && c.verdict == cases[i].want, "factor %.5f: rc %d verdict %s", cases[i].factor,
              rc, harness_verdict_str(c.verdict));
        CHECK(fabs(c.change - (cases[i].factor - 1)) < 1e-12 && c.change_lo == c.change &&
                  c.change_hi == c.change && isnan(c.test.p),
              "factor %.5f: change %g", cases[i].factor, c.change);
    }
    harness_comparison c;
    const double zero[] = {0};
    CHECK(harness_compare_counts(&c, zero, 1, a, 3, 0.001) != 0, "a zero count is refused");
    CHECK(harness_compare_counts(&c, a, 0, a, 3, 0.001) != 0, "an empty side is refused");
}

static void test_unit__round_trip_and_default(void) {
    harness_results r, back;
    harness_results_init(&r);
    CHECK(strcmp(r.unit, "ns") == 0 && !harness_results_counts(&r), "init: ns");
    snprintf(r.unit, sizeof r.unit, "%s", HARNESS_UNIT_INSTRUCTIONS);
    snprintf(r.env.counter, sizeof r.env.counter, "callgrind --cache-sim=yes");
    harness_result *b = harness_results_push(&r);
    snprintf(b->name, sizeof b->name, "fr_mul");
    b->samples_ns = malloc(2 * sizeof *b->samples_ns);
    b->samples_ns[0] = b->samples_ns[1] = 478;
    b->n_samples = 2;
    b->iters_per_sample = 1;
    b->l1_misses = 0.5;
    b->ll_misses = 0;
    b->est_cycles = 483;
    harness_summarize(&b->stats, b->samples_ns, 2, 100, 1);
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/c.json", tmpdir);
    CHECK(harness_results_save(path, &r, err, sizeof err) == 0, "save: %s", err);
    CHECK(harness_results_load(path, &back, err, sizeof err) == 0, "load: %s", err);
    CHECK(harness_results_counts(&back) && strcmp(back.env.counter, r.env.counter) == 0,
          "unit %s counter %s", back.unit, back.env.counter);
    CHECK(back.n == 1 && back.items[0].est_cycles == 483 && back.items[0].l1_misses == 0.5 &&
              back.items[0].ll_misses == 0,
          "cache figures read back");
    harness_results_free(&back);
    harness_results_free(&r);

    const char *old = "{\"schema_version\": 1, \"benchmarks\": [{\"name\": \"x\", \"samples_ns\": [5]}]}";
    CHECK(harness_results_parse(old, "old", &back, err, sizeof err) == 0 &&
              strcmp(back.unit, "ns") == 0 && isnan(back.items[0].est_cycles),
          "a file without unit is ns");
    harness_results_free(&back);
    const char *bad = "{\"schema_version\": 1, \"unit\": \"cycles\", \"benchmarks\": []}";
    CHECK(harness_results_parse(bad, "bad", &back, err, sizeof err) != 0 && strstr(err, "cycles"),
          "an unknown unit is refused: %s", err);
}

static void write_file(const char *name, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL, "create %s", path);
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

static void test_cg_collect__reads_tagged_dumps(void) {
    /* Case 0: two samples, cache simulation, trailing zero events left out (as callgrind
     * writes them). Case 1: only one of its two dumps: an error. A final untagged dump and an
     * unrelated file are ignored. */
    write_file("cg.out.1", "# callgrind format\nversion: 1\ndesc: Trigger: Client Request: "
                           "kzgkit-icount:0:0\n\npositions: line\nevents: Ir Dr Dw I1mr D1mr "
                           "D1mw ILmr DLmr DLmw\nsummary: 1000 10 10 2 3 1 1\n\nfn=(1) x\n0 1000\n"
                           "totals: 1000 10 10 2 3 1 1\n");
    write_file("cg.out.2", "desc: Trigger: Client Request: kzgkit-icount:0:1\nevents: Ir Dr Dw "
                           "I1mr D1mr D1mw ILmr DLmr DLmw\nsummary: 1000 10 10 2 3 1 1\n");
    write_file("cg.out.3", "desc: Trigger: Client Request: kzgkit-icount:1:0\nevents: Ir\n"
                           "summary: 5000\n");
    write_file("cg.out", "desc: Trigger: Program termination\nevents: Ir\nsummary: 7\n");
    write_file("child.log", "noise\n");
    harness_results r;
    harness_results_init(&r);
    for (int i = 0; i < 2; i++) {
        harness_result *b = harness_results_push(&r);
        snprintf(b->name, sizeof b->name, "op%d", i);
        b->samples_ns = calloc(2, sizeof *b->samples_ns);
        b->n_samples = 2;
        b->iters_per_sample = i == 0 ? 4 : 1;
    }
    char err[256];
    CHECK(harness_cg_collect(tmpdir, &r, err, sizeof err) == 0, "collect: %s", err);
    const harness_result *a = &r.items[0], *b = &r.items[1];
    CHECK(!a->error[0] && a->samples_ns[0] == 250 && a->samples_ns[1] == 250, "case 0 per op: %g %g (%s)",
          a->samples_ns[0], a->samples_ns[1], a->error);
    /* per op: L1 = (2 + 3 + 1)/4 = 1.5, LL = (1 + 0 + 0)/4 = 0.25, cycles = 250 + 15 + 25 */
    CHECK(a->l1_misses == 1.5 && a->ll_misses == 0.25 && a->est_cycles == 290,
          "case 0 cache: %g %g %g", a->l1_misses, a->ll_misses, a->est_cycles);
    CHECK(b->error[0] && b->n_samples == 0 && strstr(b->error, "1 of 2"), "case 1: %s", b->error);
    harness_results_free(&r);
}

int main(void) {
    testrand_init("test_harness_icount");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_compare_counts__threshold_rule();
    test_unit__round_trip_and_default();
    test_cg_collect__reads_tagged_dumps();
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (!getenv("KEEP") && system(cmd) != 0) fprintf(stderr, "warning: could not remove %s\n", tmpdir);
    return test_report();
}
