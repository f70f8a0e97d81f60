/*
 * tools/harness/icount.h — instruction counts instead of times (`kzgkit bench --measure
 * instructions`, docs/BENCH.md "Instruction counts").
 *
 * Owns: the two counters and the choice between them, and nothing about statistics.
 *   perf       perf_event_open(PERF_COUNT_HW_INSTRUCTIONS), user space only, read around
 *              run(state, iters) in this process. Needs a hardware counter (most VMs have
 *              none: `perf stat -e instructions true` says "<not supported>").
 *   callgrind  the process re-executes itself under
 *                valgrind --tool=callgrind --collect-atstart=yes --instr-atstart=yes
 *              with an internal option naming a scratch directory; there each sample is
 *              CALLGRIND_ZERO_STATS; run(state, iters); CALLGRIND_DUMP_STATS_AT(tag), and the
 *              parent reads the dump files back (Ir, and with --cache-sim the misses).
 * Why callgrind and not cachegrind: cachegrind (valgrind 3.19, Debian 12) has no client
 * requests to start, stop or dump, so the timed region cannot be isolated from setup.
 * Why zero + dump and not --collect-atstart=no + CALLGRIND_TOGGLE_COLLECT: the collect state
 * is per thread in callgrind, so a toggle in the calling thread would miss the work of the
 * library's pool threads; ZERO_STATS and DUMP_STATS cover every thread.
 * Without <valgrind/callgrind.h> at build time the callgrind counter is absent and says so.
 * Calls results.h.
 */
#ifndef KZGKIT_HARNESS_ICOUNT_H
#define KZGKIT_HARNESS_ICOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "results.h"

typedef enum harness_measure {
    HARNESS_MEASURE_TIME = 0,
    HARNESS_MEASURE_INSTRUCTIONS,
} harness_measure;

typedef enum harness_counter {
    HARNESS_COUNTER_AUTO = 0, /* perf where it works, callgrind otherwise */
    HARNESS_COUNTER_PERF,
    HARNESS_COUNTER_CALLGRIND,
} harness_counter;

/* Noise threshold of a comparison of instruction counts (a fraction): 0.1 %. Counts of the
 * same binary are identical under callgrind; what differs between runs is a handful of
 * instructions (allocator paths, pointer-keyed branches), far below 0.1 % of any operation
 * here. A 1 % regression clears it tenfold. */
#define HARNESS_COUNT_THRESHOLD 0.001

/* "perf" or "callgrind" (HARNESS_COUNTER_AUTO: "auto"). */
const char *harness_counter_str(harness_counter c);

/* Whether this build has the callgrind client requests (<valgrind/callgrind.h>). */
bool harness_callgrind_built(void);
/* Whether this process runs under valgrind. */
bool harness_under_valgrind(void);

/* Whether a user-space hardware instruction counter can be opened and counts. false with
 * the reason in why (e.g. "perf_event_open: No such file or directory"). */
bool harness_perf_available(char *why, size_t cap);

/* A perf instruction counter for this thread (and threads it creates afterwards). */
typedef struct harness_perf {
    int fd;
} harness_perf;
int harness_perf_open(harness_perf *p, char *err, size_t cap);
void harness_perf_start(harness_perf *p);
/* Stops and returns the count since start (0 when reading failed). */
uint64_t harness_perf_stop(harness_perf *p);
void harness_perf_close(harness_perf *p);

/* The callgrind region (only meaningful under valgrind; no-ops without the header). */
void harness_cg_begin(void);
void harness_cg_end(const char *tag);
/* The tag of sample `sample` of case `index`, as written into the dump. */
void harness_cg_tag(char *buf, size_t cap, size_t index, size_t sample);

/* Runs `exe args... extra` under callgrind (cache simulation when cache_sim), with the
 * dumps and the child's stdout/stderr (child.log) in dir. Returns the child's exit status,
 * or −1 with err when it could not be started or died of a signal. */
int harness_cg_spawn(const char *dir, bool cache_sim, char *const *args, size_t n_args,
                     char *err, size_t cap);

/* Reads every dump in dir and fills, for each result r->items[i], samples_ns[k] with the
 * instructions per iteration (Ir / iters_per_sample) of the dump tagged (i, k), and with
 * cache simulation the per-operation misses and estimated cycles (Ir + 10·L1m + 100·LLm,
 * callgrind_annotate's estimate). A result whose dumps are missing gets an error. Returns 0,
 * or −1 with err when dir cannot be read. */
int harness_cg_collect(const char *dir, harness_results *r, char *err, size_t cap);

/* Removes dir and the files in it (not recursive). */
void harness_cg_cleanup(const char *dir);

#endif
