/* test/unit/harness/synth.h — synthetic result sets for the harness tests (header-only). */
#ifndef KZGKIT_TEST_HARNESS_SYNTH_H
#define KZGKIT_TEST_HARNESS_SYNTH_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"
#include "stats.h"

/* Appends a benchmark whose n samples are log-normal around `median` ns with the given cv;
 * params are given as key/value pairs (np of them). Returns it, or NULL on failure. */
static harness_result *synth_add(harness_results *r, harness_rng *rng, const char *name,
                                 double median, double cv, size_t n, size_t np,
                                 const char *const *keys, const long long *vals) {
    harness_result *b = harness_results_push(r);
    if (!b) return NULL;
    snprintf(b->name, sizeof b->name, "%s", name);
    for (size_t i = 0; i < np && i < HARNESS_MAX_PARAMS; i++) {
        snprintf(b->params[i].key, sizeof b->params[i].key, "%s", keys[i]);
        b->params[i].value = vals[i];
        b->n_params++;
    }
    b->samples_ns = malloc(n * sizeof *b->samples_ns);
    if (!b->samples_ns) return NULL;
    for (size_t i = 0; i < n; i++) b->samples_ns[i] = median * exp(cv * harness_rng_normal(rng));
    b->n_samples = n;
    b->iters_per_sample = 3;
    if (harness_summarize(&b->stats, b->samples_ns, n, 500, 1) != 0) return NULL;
    b->throughput = 1e9 / b->stats.median;
    snprintf(b->throughput_unit, sizeof b->throughput_unit, "op/s");
    b->peak_rss_bytes = (harness_opt_u64){true, 12u << 20};
    snprintf(b->peak_rss_scope, sizeof b->peak_rss_scope, "benchmark");
    return b;
}

/* Fills the env with fixed, quiet values (no warnings) so output does not depend on the
 * machine running the test. */
static void synth_env(harness_env *e) {
    memset(e, 0, sizeof *e);
    snprintf(e->cpu_model, sizeof e->cpu_model, "Synthetic CPU @ 3.0GHz");
    snprintf(e->cpu_flags, sizeof e->cpu_flags, "fpu sse2 avx2 adx bmi2");
    e->cpus_online = 8;
    e->cpus_allowed = 8;
    snprintf(e->affinity, sizeof e->affinity, "0-7");
    snprintf(e->governor, sizeof e->governor, "performance");
    snprintf(e->turbo, sizeof e->turbo, "off");
    e->load_avg[0] = e->load_avg[1] = e->load_avg[2] = 0.1;
    snprintf(e->compiler, sizeof e->compiler, "GNU 12.2.0");
    snprintf(e->cflags, sizeof e->cflags, "-O2");
    snprintf(e->build_type, sizeof e->build_type, "Release");
    snprintf(e->git_revision, sizeof e->git_revision, "0123456789ab");
    snprintf(e->backend, sizeof e->backend, "portable");
    e->threads = 2;
    e->numa_nodes = 2;
    snprintf(e->numa_node_cpus, sizeof e->numa_node_cpus, "0-3;4-7");
    snprintf(e->kernel, sizeof e->kernel, "Linux 6.1.0 x86_64");
    snprintf(e->hostname, sizeof e->hostname, "synth");
    snprintf(e->date, sizeof e->date, "2026-01-01T00:00:00Z");
}

#endif
