/* test_harness_analyze — the diagnostic rules fire on the evidence they name (and not without it),
 * the before/after summary counts regressions, and the KPI check reads its targets. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "synth.h"
#include "testrand.h"

static const char *const K_T[] = {"threads"};
static const char *const K_S[] = {"size"};

static void test_rules__fire_on_evidence(void) {
    harness_rng rng;
    harness_rng_seed(&rng, testrand_u64());
    harness_results r;
    harness_results_init(&r);
    synth_env(&r.env);
    /* quiet and stable: nothing to report. The samples are a fixed ramp of ±0.3% (random
     * log-normal samples land beyond the 3·IQR fences for about one seed in a hundred). */
    harness_result *stb = synth_add(&r, &rng, "stable", 1e6, 0.005, 30, 0, NULL, NULL);
    if (stb) {
        for (size_t i = 0; i < stb->n_samples; i++)
            stb->samples_ns[i] = 1e6 + 1e3 * (double)((int)(i % 7) - 3);
        harness_summarize(&stb->stats, stb->samples_ns, stb->n_samples, 200, 1);
    }
    harness_analysis a;
    CHECK(harness_analyze(&a, &r, NULL) == 0, "analyze");
    CHECK(a.n == 0, "a stable benchmark on a quiet machine has no findings (%zu: kind %d on %s)",
          a.n, a.n ? (int)a.items[0].kind : -1, a.n ? a.items[0].subject : "-");
    harness_analysis_free(&a);

    /* noisy: cv 10% */
    /* noisy: cv ~8% (10% clamped within ±12%), so that no seed can also make it a long tail
     * (two samples beyond 1.25× the median happen for ~6% of seeds unclamped). */
    harness_result *nz = synth_add(&r, &rng, "noisy", 1e6, 0.10, 30, 0, NULL, NULL);
    if (nz) {
        for (size_t i = 0; i < nz->n_samples; i++) {
            if (nz->samples_ns[i] > 1.12e6) nz->samples_ns[i] = 1.12e6;
            if (nz->samples_ns[i] < 0.88e6) nz->samples_ns[i] = 0.88e6;
        }
        harness_summarize(&nz->stats, nz->samples_ns, nz->n_samples, 200, 1);
    }
    /* spikes: one sample 5× the median */
    harness_result *sp = synth_add(&r, &rng, "spiky", 1e6, 0.005, 30, 0, NULL, NULL);
    if (sp) {
        sp->samples_ns[3] = 5e6;
        harness_summarize(&sp->stats, sp->samples_ns, sp->n_samples, 200, 1);
    }
    /* long tail: a third of the samples 40% slower */
    harness_result *lt = synth_add(&r, &rng, "tail", 1e6, 0.005, 30, 0, NULL, NULL);
    if (lt) {
        for (size_t i = 0; i < 30; i += 10) lt->samples_ns[i] = 1.4e6 + 1e4 * (double)i;
        harness_summarize(&lt->stats, lt->samples_ns, lt->n_samples, 200, 1);
    }
    synth_add(&r, &rng, "few", 1e6, 0.005, 5, 0, NULL, NULL);
    /* poor scaling: 2 threads barely faster than 1, 4 threads slower */
    long long t1 = 1, t2 = 2, t4 = 4;
    synth_add(&r, &rng, "par", 10e6, 0.005, 30, 1, K_T, &t1);
    synth_add(&r, &rng, "par", 9e6, 0.005, 30, 1, K_T, &t2);
    synth_add(&r, &rng, "par", 9.5e6, 0.005, 30, 1, K_T, &t4);
    /* good scaling */
    synth_add(&r, &rng, "good", 10e6, 0.005, 30, 1, K_T, &t1);
    synth_add(&r, &rng, "good", 5.2e6, 0.005, 30, 1, K_T, &t2);
    /* oversubscribed: 16 threads on 8 CPUs (and efficiency is fine) */
    long long t8 = 8, t16 = 16;
    synth_add(&r, &rng, "wide", 16e6, 0.005, 30, 1, K_T, &t8);
    synth_add(&r, &rng, "wide", 8.5e6, 0.005, 30, 1, K_T, &t16);
    /* size sweep, quadratic */
    long long s1 = 256, s2 = 1024, s3 = 4096;
    synth_add(&r, &rng, "quad", 1e3, 0.005, 30, 1, K_S, &s1);
    synth_add(&r, &rng, "quad", 16e3, 0.005, 30, 1, K_S, &s2);
    synth_add(&r, &rng, "quad", 256e3, 0.005, 30, 1, K_S, &s3);
    /* allocates */
    harness_result *al = synth_add(&r, &rng, "allocs", 1e6, 0.005, 30, 0, NULL, NULL);
    if (al) {
        al->alloc_count = (harness_opt_u64){true, 4};
        al->alloc_bytes = (harness_opt_u64){true, 1 << 20};
        al->peak_live_bytes = (harness_opt_u64){true, 1 << 19};
    }
    harness_result *fl = harness_results_push(&r);
    if (fl) {
        snprintf(fl->name, sizeof fl->name, "broken");
        snprintf(fl->error, sizeof fl->error, "run failed (status 3)");
    }

    CHECK(harness_analyze(&a, &r, NULL) == 0, "analyze");
    /* noisy, and the two with slow samples (which raise the cv too) — not the stable ones */
    CHECK(harness_analysis_count(&a, HARNESS_FIND_HIGH_CV) == 3, "high cv: %zu",
          harness_analysis_count(&a, HARNESS_FIND_HIGH_CV));
    for (size_t i = 0; i < a.n; i++)
        if (a.items[i].kind == HARNESS_FIND_HIGH_CV)
            CHECK(strcmp(a.items[i].subject, "stable") != 0 && strcmp(a.items[i].subject, "good") != 0,
                  "high cv on %s", a.items[i].subject);
    CHECK(harness_analysis_count(&a, HARNESS_FIND_SPIKES) >= 1, "spikes");
    CHECK(harness_analysis_count(&a, HARNESS_FIND_LONG_TAIL) == 1, "long tail: %zu",
          harness_analysis_count(&a, HARNESS_FIND_LONG_TAIL));
    for (size_t i = 0; i < a.n; i++)
        if (a.items[i].kind == HARNESS_FIND_LONG_TAIL)
            CHECK(strcmp(a.items[i].subject, "tail") == 0, "one spike is not a tail (%s)",
                  a.items[i].subject);
    CHECK(harness_analysis_count(&a, HARNESS_FIND_FEW_SAMPLES) == 1, "few samples");
    CHECK(harness_analysis_count(&a, HARNESS_FIND_POOR_SCALING) == 1, "poor scaling: %zu",
          harness_analysis_count(&a, HARNESS_FIND_POOR_SCALING));
    CHECK(harness_analysis_count(&a, HARNESS_FIND_OVERSUBSCRIBED) == 1, "oversubscribed");
    CHECK(harness_analysis_count(&a, HARNESS_FIND_SIZE_SCALING) == 1, "size scaling");
    CHECK(harness_analysis_count(&a, HARNESS_FIND_ALLOCATES) == 1, "allocates");
    CHECK(harness_analysis_count(&a, HARNESS_FIND_FAILED) == 1, "failed");
    CHECK(harness_analysis_count(&a, HARNESS_FIND_NOISY_ENV) == 0, "quiet env");
    for (size_t i = 0; i < a.n; i++) {
        const harness_finding *f = &a.items[i];
        CHECK(f->evidence[0] && f->advice[0], "finding %zu has evidence and advice", i);
        if (f->kind == HARNESS_FIND_POOR_SCALING)
            CHECK(strcmp(f->subject, "par") == 0 && strstr(f->advice, "threads=2") &&
                      strstr(f->evidence, "threads=4"),
                  "scaling finding names the best and worst thread counts: %s / %s", f->evidence,
                  f->advice);
        if (f->kind == HARNESS_FIND_SIZE_SCALING)
            CHECK(f->warning && strstr(f->evidence, "size^2.00"), "quadratic: %s", f->evidence);
        if (f->kind == HARNESS_FIND_OVERSUBSCRIBED)
            CHECK(strstr(f->advice, "at most 8"), "oversubscribed: %s", f->advice);
    }
    harness_analysis_print(stdout, &a);
    harness_analysis_free(&a);

    /* A noisy environment is reported with its warnings as evidence. */
    harness_env_add_warning(&r.env, "load average 3.00 is above half of the 2 usable CPUs");
    CHECK(harness_analyze(&a, &r, NULL) == 0, "analyze");
    CHECK(harness_analysis_count(&a, HARNESS_FIND_NOISY_ENV) == 1, "noisy env");
    for (size_t i = 0; i < a.n; i++)
        if (a.items[i].kind == HARNESS_FIND_HIGH_CV)
            CHECK(strstr(a.items[i].advice, "noisy"), "high-cv advice points at the environment");
    harness_analysis_free(&a);
    harness_results_free(&r);
}

static void test_before_after__counts_regressions(void) {
    harness_rng rng;
    harness_rng_seed(&rng, testrand_u64());
    harness_results a, b;
    harness_results_init(&a);
    harness_results_init(&b);
    synth_add(&a, &rng, "same", 1e6, 0.01, 30, 0, NULL, NULL);
    synth_add(&b, &rng, "same", 1e6, 0.01, 30, 0, NULL, NULL);
    synth_add(&a, &rng, "slower", 1e6, 0.01, 30, 0, NULL, NULL);
    harness_result *x = synth_add(&b, &rng, "slower", 1.3e6, 0.01, 30, 0, NULL, NULL);
    if (x) x->peak_rss_bytes.value = 24u << 20;
    synth_add(&b, &rng, "new_one", 1e6, 0.01, 30, 0, NULL, NULL);
    harness_match *m;
    size_t n;
    CHECK(harness_match_results(&m, &n, &a, &b, NULL) == 0 && n == 3, "match %zu", n);
    FILE *f = tmpfile();
    if (f && m) {
        CHECK(harness_print_before_after(f, m, n) == 1, "one regression");
        long len = ftell(f);
        rewind(f);
        char *buf = calloc(1, (size_t)len + 1);
        if (buf && fread(buf, 1, (size_t)len, f) == (size_t)len)
            CHECK(strstr(buf, "regressed") && strstr(buf, "peak RSS") && strstr(buf, "+100.00%") &&
                      strstr(buf, "new (not in the baseline)") && strstr(buf, "throughput"),
                  "before/after text:\n%s", buf);
        free(buf);
    }
    if (f) fclose(f);
    free(m);
    harness_results_free(&a);
    harness_results_free(&b);
}

static void test_kpi__targets_file_and_checks(void) {
    harness_rng rng;
    harness_rng_seed(&rng, testrand_u64());
    harness_results r;
    harness_results_init(&r);
    harness_result *c = synth_add(&r, &rng, "blob_to_kzg_commitment", 20e6, 0.01, 30, 0, NULL, NULL);
    harness_result *v = synth_add(&r, &rng, "verify_blob_kzg_proof_batch", 100e6, 0.01, 30, 0, NULL, NULL);
    if (v) v->throughput = 640; /* 64 blobs per 100 ms */
    (void)c;
    harness_targets t;
    harness_targets_defaults(&t);
    harness_kpi_summary s = harness_kpi_check(stdout, &r, &t);
    CHECK(s.pass == 4 && s.fail == 0 && s.na == 0, "defaults pass: %zu %zu %zu", s.pass, s.fail, s.na);

    char path[] = "/tmp/kzgkit-targets-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "mkstemp");
    if (fd < 0) return;
    FILE *f = fdopen(fd, "w");
    fputs("# targets for the test\n"
          "commitment_latency_ms = 10      # 20 ms measured: fail\n"
          "verification_throughput_per_s = 500\n"
          "peak_memory_mb = off\n"
          "error_rate = 0.5\n"
          "latency_ms:verify_blob_kzg_proof_batch = 200\n"
          "throughput:missing_bench = 5\n", f);
    fclose(f);
    char err[256];
    CHECK(harness_targets_load(&t, path, err, sizeof err) == 0, "load: %s", err);
    CHECK(t.commitment_latency_ms == 10 && isnan(t.peak_memory_mb) && t.n_extra == 2, "parsed");
    s = harness_kpi_check(stdout, &r, &t);
    /* commitment fail; verification pass; error rate pass; extra latency pass; missing n/a */
    CHECK(s.pass == 3 && s.fail == 1 && s.na == 1, "file targets: %zu %zu %zu", s.pass, s.fail, s.na);

    f = fopen(path, "w");
    if (f) {
        fputs("{\"commitment_latency_ms\": 30, \"commitment_benchmark\": \"blob_to_kzg_commitment\","
              " \"peak_memory_mb\": 1, \"error_rate\": null}", f);
        fclose(f);
    }
    harness_targets_defaults(&t);
    CHECK(harness_targets_load(&t, path, err, sizeof err) == 0, "json: %s", err);
    s = harness_kpi_check(NULL, &r, &t);
    CHECK(s.fail == 1 && s.pass == 2, "json targets: peak memory 12 MiB > 1 MiB fails (%zu %zu)",
          s.pass, s.fail);

    const char *bad[] = {"nonsense_key = 1\n", "commitment_latency_ms = fast\n", "no equals sign\n",
                         "latency_ms: = 3\n", "{\"error_rate\": [1]}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        f = fopen(path, "w");
        if (!f) break;
        fputs(bad[i], f);
        fclose(f);
        harness_targets_defaults(&t);
        err[0] = 0;
        CHECK(harness_targets_load(&t, path, err, sizeof err) != 0 && err[0], "bad targets %zu", i);
    }
    unlink(path);

    /* An errored benchmark raises the error rate above 0. */
    harness_result *e = harness_results_push(&r);
    if (e) {
        snprintf(e->name, sizeof e->name, "compute_blob_kzg_proof");
        snprintf(e->error, sizeof e->error, "run failed (status 1)");
    }
    harness_targets_defaults(&t);
    s = harness_kpi_check(NULL, &r, &t);
    CHECK(s.fail == 1, "error rate 1/3 fails the default 0 target");
    harness_results_free(&r);
}

int main(void) {
    testrand_init("test_harness_analyze");
    test_rules__fire_on_evidence();
    test_before_after__counts_regressions();
    test_kpi__targets_file_and_checks();
    return test_report();
}
