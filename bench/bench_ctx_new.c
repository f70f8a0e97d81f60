/*
 * bench_ctx_new — the wall time of kzg_ctx_new + kzg_ctx_free on the embedded setup, with a
 * given thread count and NUMA policy: what a context's pool (thread creation, and with
 * KZG_NUMA_ON the placement) costs. docs/PERFORMANCE.md §12 pairs two builds of it.
 *
 *   bench_ctx_new THREADS POLICY ITERS ROUNDS
 *
 * POLICY is auto, off or on; only auto where the headers predate kzg_ctx_options.numa (so
 * that the same file builds against an older kzgkit for a before/after pair). One context
 * is made and freed first, outside the timing (the once-per-process set-up: pairing lines,
 * SHA-256, the NUMA topology). Prints one JSON line: the median over ROUNDS of the time per
 * context of ITERS creations, in ns (wall clock: the workers' start is the cost).
 * Public API only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kzgkit.h"

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: bench_ctx_new THREADS auto|off|on ITERS ROUNDS\n");
        return 2;
    }
    kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
    o.threads = (uint32_t)strtoul(argv[1], NULL, 10);
    const char *policy = argv[2];
#ifdef KZG_NUMA_ON
    if (strcmp(policy, "auto") == 0) o.numa = KZG_NUMA_AUTO;
    else if (strcmp(policy, "off") == 0) o.numa = KZG_NUMA_OFF;
    else if (strcmp(policy, "on") == 0) o.numa = KZG_NUMA_ON;
    else policy = NULL;
#else
    if (strcmp(policy, "auto") != 0) policy = NULL;
#endif
    long iters = strtol(argv[3], NULL, 10), rounds = strtol(argv[4], NULL, 10);
    if (!policy || iters < 1 || rounds < 1 || rounds > 100000) {
        fprintf(stderr, "bench_ctx_new: bad arguments (a policy this kzgkit lacks?)\n");
        return 2;
    }
    double *r = malloc(sizeof *r * (size_t)rounds);
    kzg_ctx *ctx = NULL;
    if (!r || kzg_ctx_new(&ctx, &o) != KZG_OK) {
        fprintf(stderr, "bench_ctx_new: %s\n", r ? kzg_last_error() : "out of memory");
        free(r);
        return 1;
    }
    kzg_ctx_free(ctx);
    for (long k = 0; k < rounds; k++) {
        double t0 = now_ns();
        for (long i = 0; i < iters; i++) {
            if (kzg_ctx_new(&ctx, &o) != KZG_OK) {
                fprintf(stderr, "bench_ctx_new: %s\n", kzg_last_error());
                free(r);
                return 1;
            }
            kzg_ctx_free(ctx);
        }
        r[k] = (now_ns() - t0) / (double)iters;
    }
    qsort(r, (size_t)rounds, sizeof *r, cmp_double);
    printf("{\"threads\": %u, \"numa\": \"%s\", \"iters\": %ld, \"rounds\": %ld, \"median_ns\": %.1f}\n",
           o.threads, policy, iters, rounds, r[rounds / 2]);
    free(r);
    return 0;
}
