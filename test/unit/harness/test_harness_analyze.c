/* test_harness_analyze — the diagnostic rules fire on the evidence they name (and not without it),
 * the before/after summary counts regressions, the KPI check reads its targets, has the
 * production defaults, names the commitment path that met 1 ms and says what a machine
 * misses, and per-benchmark figures round-trip through the result file. */
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

/* The KPI output of r under t, as text (the caller frees it); *sum receives the counts. */
static char *kpi_text(const harness_results *r, const harness_targets *t, harness_kpi_summary *sum) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    *sum = harness_kpi_check(f, r, t);
    fclose(f);
    fputs(buf, stdout);
    return buf;
}

static harness_result *set_params(harness_result *x, long long threads, long long n) {
    if (!x) return NULL;
    const char *keys[] = {"threads", "n"};
    long long vals[] = {threads, n};
    x->n_params = 0;
    for (size_t i = 0; i < 2; i++)
        if (vals[i] >= 0) {
            snprintf(x->params[x->n_params].key, HARNESS_KEY_MAX, "%s", keys[i]);
            x->params[x->n_params++].value = vals[i];
        }
    return x;
}

static void test_kpi__defaults_are_the_production_figures(void) {
    harness_targets t;
    harness_targets_defaults(&t);
    CHECK(t.commitment_latency_ms == 1 && t.verification_throughput == 10000 &&
              t.peak_memory_mb == 1024 && t.cache_hit_rate == 0.90 && t.error_rate == 0.001,
          "defaults %g ms, %g/s, %g MiB, hit %g, errors %g", t.commitment_latency_ms,
          t.verification_throughput, t.peak_memory_mb, t.cache_hit_rate, t.error_rate);
    CHECK(strcmp(t.commitment_bench, "blob_to_kzg_commitment") == 0 &&
              strcmp(t.commitment_cached_bench, "blob_to_kzg_commitment_cached") == 0 &&
              strcmp(t.commitment_batch_bench, "blob_to_kzg_commitment_batch") == 0 &&
              strcmp(t.verification_bench, "verify_blob_kzg_proof_batch") == 0 &&
              strcmp(t.cache_bench, "process_blobs_steady/repeat=90") == 0,
          "default benchmarks");
}

/* Synthetic results shaped like this machine's: a cold commitment of 20 ms, a batch of 64 on
 * 2 threads at 10 ms per blob, a cache hit of 0.1 ms, verification at 2,400 blobs/s on one
 * thread and 4,000 on two, a 95% cache hit rate, 1,000 operation calls without errors. */
static void kpi_machine(harness_results *r, harness_rng *rng) {
    harness_results_init(r);
    synth_env(&r->env);
    r->env.cpus_allowed = r->env.cpus_online = 2;
    harness_result *x;
    for (long long th = 1; th <= 2; th++) {
        if ((x = set_params(synth_add(r, rng, "blob_to_kzg_commitment", 20e6, 0.01, 10, 0, NULL, NULL), th, -1)))
            x->stats.median = 20e6 + 1e6 * (double)th;
        if ((x = set_params(synth_add(r, rng, "blob_to_kzg_commitment_batch", 640e6, 0.01, 10, 0, NULL, NULL), th, 64)))
            x->throughput = th == 2 ? 100 : 50; /* per blob: 10 ms on 2 threads */
        if ((x = set_params(synth_add(r, rng, "verify_blob_kzg_proof_batch", 30e6, 0.01, 10, 0, NULL, NULL), th, 64))) {
            x->throughput = th == 2 ? 4000 : 2400;
            snprintf(x->throughput_unit, sizeof x->throughput_unit, "blobs/s");
        }
    }
    if ((x = synth_add(r, rng, "blob_to_kzg_commitment_cached", 0.1e6, 0.01, 10, 0, NULL, NULL))) {
        x->stats.median = 0.1e6;
        harness_result_set_figure(x, "cache_hit_rate", 0.999);
        harness_result_set_figure(x, "op_calls", 1000);
        harness_result_set_figure(x, "op_errors", 0);
    }
    const char *kr[] = {"repeat"};
    for (long long rep = 0; rep <= 90; rep += 90) {
        long long v[] = {rep};
        if ((x = synth_add(r, rng, "process_blobs_steady", 300e6, 0.01, 10, 1, kr, v))) {
            harness_result_set_figure(x, "cache_hit_rate", rep ? 0.95 : 0.0);
            harness_result_set_figure(x, "cache_hits", rep ? 19 : 0);
            harness_result_set_figure(x, "cache_lookups", 20);
        }
    }
}

static void test_kpi__says_which_path_and_what_the_machine_misses(void) {
    harness_rng rng;
    harness_rng_seed(&rng, testrand_u64());
    harness_results r;
    kpi_machine(&r, &rng);
    harness_targets t;
    harness_targets_defaults(&t);
    harness_kpi_summary s;
    char *out = kpi_text(&r, &t, &s);
    /* commitment via the cache; verification misses; memory, hit rate (repeat=90, not the
     * 0% of repeat=0) and errors pass */
    CHECK(s.pass == 4 && s.fail == 1 && s.na == 0, "defaults: %zu pass %zu fail %zu n/a", s.pass,
          s.fail, s.na);
    CHECK(out && strstr(out, "PASS  commitment latency") && strstr(out, "via cache hit") &&
              strstr(out, "single cold commitment 21.00 ms (blob_to_kzg_commitment/threads=1)") &&
              strstr(out, "batch of 64 on 2 threads 10.00 ms per blob") && strstr(out, "info "),
          "the commitment line names the cache path and shows the cold figure:\n%s", out ? out : "");
    CHECK(out && strstr(out, "FAIL  verification throughput") &&
              strstr(out, "verify_blob_kzg_proof_batch/threads=2/n=64 (best, 2 threads)") &&
              strstr(out, "4.000 kblobs/s") &&
              strstr(out, "10,000 blobs/s needs ~5 cores at the measured 2,400 blobs/s per core; "
                          "this machine has 2."),
          "the verification line takes the best thread count and says what is missing");
    CHECK(out && strstr(out, "PASS  cache hit rate") && strstr(out, "process_blobs_steady/repeat=90") &&
              strstr(out, "95.0%"),
          "hit rate of the repeating workload");
    CHECK(out && strstr(out, "0/9 benchmarks failed, 0/1,000 operations"), "error-rate sources");
    free(out);

    /* Without the cache, a batch whose per-blob time is under 1 ms meets it: amortised. */
    for (size_t i = 0; i < r.n; i++) {
        if (strcmp(r.items[i].name, "blob_to_kzg_commitment_cached") == 0)
            snprintf(r.items[i].name, sizeof r.items[i].name, "something_else");
        if (strcmp(r.items[i].name, "blob_to_kzg_commitment_batch") == 0 &&
            harness_result_param(&r.items[i], "threads", 1) == 2)
            r.items[i].throughput = 2000; /* 0.5 ms per blob */
    }
    out = kpi_text(&r, &t, &s);
    CHECK(out && strstr(out, "PASS  commitment latency") &&
              strstr(out, "amortised over a batch of 64 on 2 threads: blob_to_kzg_commitment_batch/threads=2/n=64") &&
              strstr(out, "500.0 µs"),
          "the batch path is named when it is the one under the target");
    free(out);

    /* No path under 1 ms: FAIL with every path's figure. */
    for (size_t i = 0; i < r.n; i++)
        if (strcmp(r.items[i].name, "blob_to_kzg_commitment_batch") == 0) r.items[i].throughput = 50;
    out = kpi_text(&r, &t, &s);
    CHECK(out && strstr(out, "FAIL  commitment latency") &&
              strstr(out, "best: amortised over a batch of 64 on 1 thread: blob_to_kzg_commitment_batch/threads=1/n=64") &&
              strstr(out, "no path reaches 1.000 ms on this machine: single cold commitment 21.00 ms"),
          "a commitment miss names the figures");
    free(out);

    /* A low hit rate and operation errors above 0.1% fail, each with its sentence. */
    for (size_t i = 0; i < r.n; i++) {
        if (strcmp(r.items[i].name, "process_blobs_steady") == 0 &&
            harness_result_param(&r.items[i], "repeat", 0) == 90) {
            harness_result_set_figure(&r.items[i], "cache_hit_rate", 0.25);
            harness_result_set_figure(&r.items[i], "cache_hits", 5);
            harness_result_set_figure(&r.items[i], "reuse_rate", 0.875);
            harness_result_set_figure(&r.items[i], "op_calls", 1000);
            harness_result_set_figure(&r.items[i], "op_errors", 3);
        }
    }
    out = kpi_text(&r, &t, &s);
    CHECK(out && strstr(out, "FAIL  cache hit rate") && strstr(out, "25.0%") &&
              strstr(out, "5 of 20 cache lookups hit") && strstr(out, "87.5% of blobs were not computed"),
          "a low hit rate fails with its counts");
    CHECK(out && strstr(out, "FAIL  error rate") && strstr(out, "3/2,000 operations") &&
              strstr(out, "0.15%") && strstr(out, "3 of 2,000 operation calls"),
          "operation errors above 0.1%% fail");
    free(out);

    /* Instruction counts are not times: the time-based checks are n/a. */
    snprintf(r.unit, sizeof r.unit, "%s", HARNESS_UNIT_INSTRUCTIONS);
    harness_kpi_check(NULL, &r, &t);
    s = harness_kpi_check(NULL, &r, &t);
    CHECK(s.na == 2, "instruction counts: commitment and verification n/a (%zu)", s.na);
    harness_results_free(&r);
}

static void test_figures__round_trip_and_old_files(void) {
    harness_rng rng;
    harness_rng_seed(&rng, testrand_u64());
    harness_results r, back;
    kpi_machine(&r, &rng);
    harness_result *x = &r.items[r.n - 1];
    CHECK(harness_result_set_figure(x, "cache_hit_rate", 0.5) == 0 &&
              harness_result_figure(x, "cache_hit_rate") == 0.5 && x->n_figures == 3,
          "set replaces a figure of the same name");
    CHECK(harness_result_set_figure(x, "", 1) != 0 && harness_result_set_figure(x, "nan", NAN) != 0 &&
              isnan(harness_result_figure(x, "absent")),
          "empty keys and non-finite values are refused; absent reads NaN");
    char path[] = "/tmp/kzgkit-figures-XXXXXX", err[256];
    int fd = mkstemp(path);
    CHECK(fd >= 0, "mkstemp");
    if (fd < 0) return;
    close(fd);
    CHECK(harness_results_save(path, &r, err, sizeof err) == 0, "save: %s", err);
    CHECK(harness_results_load(path, &back, err, sizeof err) == 0, "load: %s", err);
    if (back.n == r.n) {
        const harness_result *y = &back.items[back.n - 1];
        CHECK(y->n_figures == 3 && harness_result_figure(y, "cache_hit_rate") == 0.5 &&
                  harness_result_figure(y, "cache_lookups") == 20,
              "figures read back");
        CHECK(back.items[0].n_figures == 0, "a result without figures reads back without");
    }
    harness_results_free(&back);
    /* An older file (no "figures") reads; a malformed "figures" is refused. */
    const char *head = "{\"schema_version\": 1, \"kzgkit_version\": \"0.1.0\", \"benchmarks\": "
                       "[{\"name\": \"a\", \"params\": {}, \"samples_ns\": [1, 2, 3]";
    char json[512];
    snprintf(json, sizeof json, "%s}]}", head);
    CHECK(harness_results_parse(json, "old", &back, err, sizeof err) == 0 && back.n == 1 &&
              back.items[0].n_figures == 0,
          "a file without figures: %s", err);
    harness_results_free(&back);
    snprintf(json, sizeof json, "%s, \"figures\": {\"cache_hit_rate\": \"high\"}}]}", head);
    CHECK(harness_results_parse(json, "bad", &back, err, sizeof err) != 0 && strstr(err, "figure"),
          "a non-numeric figure is refused");
    unlink(path);
    harness_results_free(&r);
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
    /* 20 ms and 640/s miss the production figures; no process_blobs: hit rate n/a */
    CHECK(s.pass == 2 && s.fail == 2 && s.na == 1, "defaults: %zu %zu %zu", s.pass, s.fail, s.na);

    char path[] = "/tmp/kzgkit-targets-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "mkstemp");
    if (fd < 0) return;
    FILE *f = fdopen(fd, "w");
    fputs("# targets for the test\n"
          "commitment_latency_ms = 10      # 20 ms measured: fail\n"
          "verification_throughput_per_s = 500\n"
          "peak_memory_mb = off\n"
          "cache_hit_rate = 0.5\n"
          "cache_benchmark = process_blobs/repeat=50\n"
          "commitment_cached_benchmark = my_cached_commit\n"
          "error_rate = 0.5\n"
          "latency_ms:verify_blob_kzg_proof_batch = 200\n"
          "throughput:missing_bench = 5\n", f);
    fclose(f);
    char err[256];
    CHECK(harness_targets_load(&t, path, err, sizeof err) == 0, "load: %s", err);
    CHECK(t.commitment_latency_ms == 10 && isnan(t.peak_memory_mb) && t.n_extra == 2 &&
              t.cache_hit_rate == 0.5 && strcmp(t.cache_bench, "process_blobs/repeat=50") == 0 &&
              strcmp(t.commitment_cached_bench, "my_cached_commit") == 0,
          "parsed");
    s = harness_kpi_check(stdout, &r, &t);
    /* commitment fail; verification pass; error rate pass; extra latency pass; missing n/a;
     * hit rate n/a (no process_blobs) */
    CHECK(s.pass == 3 && s.fail == 1 && s.na == 2, "file targets: %zu %zu %zu", s.pass, s.fail, s.na);

    f = fopen(path, "w");
    if (f) {
        fputs("{\"commitment_latency_ms\": 30, \"commitment_benchmark\": \"blob_to_kzg_commitment\","
              " \"peak_memory_mb\": 1, \"error_rate\": null, \"cache_hit_rate\": null,"
              " \"verification_throughput_per_s\": 250}", f);
        fclose(f);
    }
    harness_targets_defaults(&t);
    CHECK(harness_targets_load(&t, path, err, sizeof err) == 0, "json: %s", err);
    CHECK(isnan(t.cache_hit_rate), "json null turns the hit-rate check off");
    s = harness_kpi_check(NULL, &r, &t);
    CHECK(s.fail == 1 && s.pass == 2, "json targets: peak memory 12 MiB > 1 MiB fails (%zu %zu)",
          s.pass, s.fail);

    const char *bad[] = {"nonsense_key = 1\n", "commitment_latency_ms = fast\n", "no equals sign\n",
                         "latency_ms: = 3\n", "{\"error_rate\": [1]}", "cache_hit_rate = 90\n",
                         "error_rate = -0.1\n", "cache_benchmark = \n"};
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

    /* An errored benchmark raises the error rate above 0.1%. */
    harness_result *e = harness_results_push(&r);
    if (e) {
        snprintf(e->name, sizeof e->name, "compute_blob_kzg_proof");
        snprintf(e->error, sizeof e->error, "run failed (status 1)");
    }
    harness_targets_defaults(&t);
    char *out = kpi_text(&r, &t, &s);
    CHECK(out && strstr(out, "FAIL  error rate") &&
              strstr(out, "1 benchmark did not run to the end; the first, compute_blob_kzg_proof: run failed"),
          "error rate 1/3 fails the default 0.1%% target, naming the failure");
    free(out);
    harness_results_free(&r);
}

int main(void) {
    testrand_init("test_harness_analyze");
    test_rules__fire_on_evidence();
    test_before_after__counts_regressions();
    test_kpi__defaults_are_the_production_figures();
    test_kpi__says_which_path_and_what_the_machine_misses();
    test_figures__round_trip_and_old_files();
    test_kpi__targets_file_and_checks();
    return test_report();
}
