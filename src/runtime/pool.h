/*
 * runtime/pool.h — the context-owned thread pool.
 *
 * Owns: worker threads and the parallel-for that splits an index range among them.
 * May call: common. The arithmetic core never starts threads; callers above it hand the
 * pool a function over index ranges.
 *
 * Model: a pool of T threads is the caller plus T-1 workers. pool_parallel_for(n, grain)
 * hands out chunks of `grain` indices from a shared counter (adaptive: fast threads take
 * more chunks), the caller works too, and it returns when every index is done.
 * Determinism: a task must write only to outputs of its own indices; reductions are left
 * to the caller, which combines per-chunk results in index order — so results never depend
 * on the thread count or on which thread ran which chunk.
 * Concurrency: one job runs on a pool at a time. A second caller that finds the pool busy
 * runs its job alone on its own thread instead of waiting (no deadlock, no oversubscription).
 */
#ifndef KZGKIT_RUNTIME_POOL_H
#define KZGKIT_RUNTIME_POOL_H

#include <pthread.h>

#include "common/common.h"
#include "runtime/numa.h"

typedef struct pool pool_t;

/* fn processes indices [begin, end); `thread` is 0 for the caller, 1..T-1 for workers
 * (an index into per-thread scratch). */
typedef void (*pool_fn)(void *arg, size_t begin, size_t end, unsigned thread);

/* The most threads a pool may have, whatever is asked. */
#define POOL_MAX_THREADS 256

/* A pool of `threads` threads in all (0 or 1: the caller only, no thread is started).
 * Returns KZG_ERR_BAD_ARG above POOL_MAX_THREADS, KZG_ERR_MEMORY/INTERNAL on failure. A
 * worker thread that cannot be started (pthread_create fails: a thread limit, no memory
 * for its stack) is not a failure: the pool keeps the workers started before it and
 * pool_threads says how many; results do not depend on it. */
kzg_status pool_new(pool_t **out, unsigned threads);
/* pool_new, and when plan->place, each worker i (1..threads-1) pinned to the CPUs of
 * plan->node[plan->thread_node[i]] that the creating thread may run on, right after
 * pthread_create (pthread_setaffinity_np), so that
 * the stack and the scratch it writes first are on its node (Linux's first-touch policy).
 * A pin the system refuses (a CPU outside this process's cgroup, no such CPU, not Linux) is
 * not a failure: that worker runs unpinned and pool_placement reports it. plan may be NULL
 * (= pool_new). The plan's thread count may differ from `threads`: a worker beyond it is
 * not pinned. */
kzg_status pool_new_placed(pool_t **out, unsigned threads, const numa_plan *plan);

/* Placement outcome: workers pinned, workers the plan asked to pin, and the first refusal:
 * 0 none, an errno of pthread_setaffinity_np (ENOSYS: not Linux, or the creating thread's
 * CPU mask could not be read, in which case nothing is pinned), or POOL_PIN_OUTSIDE: the
 * node has none of the CPUs the creating thread may run on (a `taskset` or cgroup
 * restriction, which placement only ever narrows: a worker is pinned to its node's CPUs
 * within that mask). All zero for a pool created without a placing plan, or NULL. */
#define POOL_PIN_OUTSIDE (-1)
typedef struct pool_placement {
    unsigned pinned, wanted;
    int first_error;
} pool_placement;
void pool_placement_get(const pool_t *p, pool_placement *out);

/* Test hook (never set in production): when non-NULL, called instead of
 * pthread_setaffinity_np with the CPUs a worker is to be pinned to; returns 0 or an errno.
 * Set it only while no pool is being created. */
typedef int (*pool_affinity_fn)(pthread_t thread, const numa_cpuset *cpus);
extern pool_affinity_fn pool_affinity_hook;

void pool_free(pool_t *p);                 /* joins the workers; NULL allowed */
unsigned pool_threads(const pool_t *p);    /* 1 for NULL */

/* Runs fn over [0, n) in chunks of `grain` (0 → chosen from n and the thread count).
 * p may be NULL (runs inline). */
void pool_parallel_for(pool_t *p, size_t n, size_t grain, pool_fn fn, void *arg);

/* Runs fn(arg, i) once on every thread i of the pool — the caller as 0, each worker as its
 * own index, so on the node a placed worker was pinned to — and returns when all are done.
 * For work that must happen on a given thread (a NUMA copy's first touch), not for
 * splitting work: pool_parallel_for. p NULL: fn(arg, 0). Returns false, having run
 * nothing, when the pool is running another job (no waiting). */
typedef void (*pool_each_fn)(void *arg, unsigned thread);
bool pool_run_each(pool_t *p, pool_each_fn fn, void *arg);

/* Test hook (never set in production): when non-NULL, called instead of pthread_create to
 * start each worker, so that tests can make thread creation fail. Set it only while no
 * pool is being created. */
typedef int (*pool_thread_create_fn)(pthread_t *thread, const pthread_attr_t *attr,
                                     void *(*start)(void *), void *arg);
extern pool_thread_create_fn pool_thread_create_hook;

#endif
