/*
 * tools/harness/env.h — the machine a run was measured on.
 *
 * Owns: reading the CPU model and flags (/proc/cpuinfo), core counts, the frequency
 * governor and turbo/boost state (/sys/devices/system/cpu), load average, CPU affinity,
 * kernel, hostname and date; the build's compiler, flags, git revision and dirty flag (compile
 * definitions from CMake); `--pin` (sched_setaffinity); the "machine looks noisy" warnings.
 * Anything unreadable is "unknown" (strings) or −1 (numbers): never guessed.
 */
#ifndef KZGKIT_HARNESS_ENV_H
#define KZGKIT_HARNESS_ENV_H

#include <stdbool.h>
#include <stddef.h>

#define HARNESS_ENV_MAX_WARNINGS 8

typedef struct harness_env {
    char cpu_model[128];
    char cpu_flags[4096];  /* space-separated, as in /proc/cpuinfo (truncated at a word) */
    int cpus_online;       /* −1 unknown */
    int cpus_allowed;      /* CPUs in this process's affinity mask; −1 unknown */
    char affinity[256];    /* e.g. "0-3,6" */
    bool pinned;           /* affinity is narrower than the online CPUs */
    char governor[32];     /* cpufreq governor of the first allowed CPU, or "unknown" */
    char turbo[16];        /* "on", "off" or "unknown" */
    double load_avg[3];    /* 1, 5, 15 minutes; −1 unknown */
    char compiler[128];
    char cflags[512];
    char build_type[32];
    char git_revision[64];
    int git_dirty;         /* tracked files differed from git_revision when CMake configured
                            * the build: 1, 0 clean, −1 unknown (not in the JSON schema) */
    char backend[64];      /* filled by the suite's describe hook; "unknown" otherwise */
    int threads;           /* library thread count reported by the suite; −1 unknown */
    int numa_nodes;        /* NUMA nodes, filled by the suite's describe hook (kzgkit reads
                            * sysfs: runtime/numa.h); ≤ 0 unknown */
    char numa_node_cpus[256]; /* each node's CPU list in node order, ';'-separated
                               * ("0-7;8-15"; "" for a node without CPUs); "" unknown */
    char kernel[128];
    char hostname[128];
    char date[32];         /* UTC, ISO 8601 */
    char counter[48];      /* instruction counter of a --measure instructions run ("perf",
                            * "callgrind", "callgrind --cache-sim=yes"); "" for times */
    char warnings[HARNESS_ENV_MAX_WARNINGS][192];
    size_t n_warnings;
} harness_env;

/* Fills every field from the running machine and the build (never fails: unknowns are
 * marked as such), then derives the warnings (harness_env_assess). */
void harness_env_capture(harness_env *env);

/* Recomputes env->warnings from the other fields: load average above half the allowed
 * CPUs, a governor other than "performance", turbo on, a hypervisor. */
void harness_env_assess(harness_env *env);

/* Appends a warning (silently dropped beyond HARNESS_ENV_MAX_WARNINGS). */
void harness_env_add_warning(harness_env *env, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Restricts this process to the CPUs in `list` ("0", "0,2", "1-3,6"). Returns 0, or −1 with
 * a one-line reason in err on a malformed list or a refused sched_setaffinity. */
int harness_pin_cpus(const char *list, char *err, size_t errlen);
/* The same for every thread of the process (each task in /proc/self/task), so that threads
 * created before the call move too; threads created afterwards inherit it. */
int harness_pin_all_threads(const char *list, char *err, size_t errlen);

#endif
