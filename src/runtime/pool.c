/*
 * runtime/pool.c — see pool.h.
 *
 * Workers sleep on a condition variable until the job generation changes, then take chunks
 * from an atomic cursor. The caller takes chunks too, then waits until every worker has
 * left the job (so `fn`/`arg` may live on the caller's stack).
 */
#define _GNU_SOURCE /* pthread_setaffinity_np, cpu_set_t */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "runtime/pool.h"

struct pool {
    unsigned threads;           /* caller + workers */
    pthread_t *workers;
    pthread_mutex_t lock;       /* guards the fields below and the condition variables */
    pthread_cond_t wake, done;
    uint64_t generation;        /* bumped for each job */
    unsigned busy_workers;      /* workers still inside the current job */
    bool stop;
    /* the current job: fn over chunks, or each_fn once per thread (pool_run_each) */
    pool_fn fn;
    pool_each_fn each_fn;
    void *arg;
    size_t n, grain;
    _Atomic size_t cursor;
    atomic_flag in_use;         /* one job at a time; others run inline */
    pool_placement placement;   /* written by pool_new_placed only */
};

typedef struct { pool_t *p; unsigned id; } worker_arg;

pool_thread_create_fn pool_thread_create_hook;

static void run_chunks(pool_t *p, unsigned thread) {
    for (;;) {
        size_t b = atomic_fetch_add_explicit(&p->cursor, p->grain, memory_order_relaxed);
        if (b >= p->n) return;
        size_t e = p->n - b < p->grain ? p->n : b + p->grain;
        p->fn(p->arg, b, e, thread);
    }
}

static void *worker_main(void *v) {
    worker_arg *wa = v;
    pool_t *p = wa->p;
    unsigned id = wa->id;
    kzg_free(wa);
    uint64_t seen = 0;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stop && p->generation == seen) pthread_cond_wait(&p->wake, &p->lock);
        if (p->stop) break;
        seen = p->generation;
        pool_each_fn each = p->each_fn;
        pthread_mutex_unlock(&p->lock);
        if (each) each(p->arg, id);
        else run_chunks(p, id);
        pthread_mutex_lock(&p->lock);
        if (--p->busy_workers == 0) pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

pool_affinity_fn pool_affinity_hook; /* pool.h: tests only */

/* The CPUs the creating thread may run on (a new thread inherits them), so that placement
 * narrows a `taskset` or cgroup restriction and never widens it. false: unknown. */
static bool creator_cpus(numa_cpuset *out) {
    memset(out, 0, sizeof *out);
#if defined(__linux__)
    cpu_set_t set;
    if (pthread_getaffinity_np(pthread_self(), sizeof set, &set) != 0) return false;
    for (unsigned c = 0; c < NUMA_MAX_CPUS && c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &set)) out->bits[c / 64] |= (uint64_t)1 << (c % 64);
    return true;
#else
    return false;
#endif
}

/* Pins a started worker to the node's CPUs that it may already run on; 0, the errno of the
 * system's refusal, or POOL_PIN_OUTSIDE when the node has none of them. */
static int pin_worker(pthread_t thread, const numa_cpuset *node, const numa_cpuset *allowed) {
    numa_cpuset want;
    bool any = false;
    for (size_t w = 0; w < KZG_ARRAY_LEN(want.bits); w++) {
        want.bits[w] = node->bits[w] & allowed->bits[w];
        any |= want.bits[w] != 0;
    }
    if (!any) return POOL_PIN_OUTSIDE;
    if (pool_affinity_hook) return pool_affinity_hook(thread, &want);
#if defined(__linux__)
    cpu_set_t set;
    CPU_ZERO(&set);
    for (unsigned c = 0; c < NUMA_MAX_CPUS && c < CPU_SETSIZE; c++) {
        if (c % 64 == 0 && !want.bits[c / 64]) { /* an empty word: the next one */
            c += 63;
            continue;
        }
        if (numa_cpuset_has(&want, c)) CPU_SET(c, &set);
    }
    return pthread_setaffinity_np(thread, sizeof set, &set);
#else
    (void)thread;
    return ENOSYS;
#endif
}

kzg_status pool_new(pool_t **out, unsigned threads) { return pool_new_placed(out, threads, NULL); }

kzg_status pool_new_placed(pool_t **out, unsigned threads, const numa_plan *plan) {
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "pool_new: out is NULL");
    *out = NULL;
    if (threads > POOL_MAX_THREADS)
        return kzg_fail(KZG_ERR_BAD_ARG, "thread count %u is above the limit %u", threads,
                        POOL_MAX_THREADS);
    if (threads == 0) threads = 1;
    numa_cpuset allowed;
    bool placing = plan && plan->place;
    bool known = placing && creator_cpus(&allowed); /* unknown mask: nothing is pinned */
    pool_t *p = kzg_calloc(1, sizeof *p);
    if (!p) return kzg_fail(KZG_ERR_MEMORY, "pool: out of memory");
    p->threads = 1;
    atomic_flag_clear(&p->in_use);
    if (pthread_mutex_init(&p->lock, NULL)) goto fail_mutex;
    if (pthread_cond_init(&p->wake, NULL)) goto fail_wake;
    if (pthread_cond_init(&p->done, NULL)) goto fail_done;
    if (threads > 1) {
        p->workers = kzg_calloc(threads - 1, sizeof *p->workers);
        if (!p->workers) {
            pool_free(p);
            return kzg_fail(KZG_ERR_MEMORY, "pool: out of memory");
        }
        for (unsigned i = 1; i < threads; i++) {
            worker_arg *wa = kzg_malloc(sizeof *wa);
            if (!wa) {
                pool_free(p);
                return kzg_fail(KZG_ERR_MEMORY, "pool: out of memory");
            }
            *wa = (worker_arg){p, i};
            int rc = pool_thread_create_hook
                         ? pool_thread_create_hook(&p->workers[i - 1], NULL, worker_main, wa)
                         : pthread_create(&p->workers[i - 1], NULL, worker_main, wa);
            if (rc != 0) {
                /* Fewer threads, same results: keep the workers that started. */
                kzg_free(wa);
                break;
            }
            p->threads++;
            if (placing && i < plan->threads && plan->thread_node[i] < plan->n_nodes) {
                /* After the start rather than through the attributes: a refused pin then
                 * costs the pinning only, never the worker. */
                int err = known ? pin_worker(p->workers[i - 1], &plan->node[plan->thread_node[i]].cpus, &allowed)
                                : ENOSYS;
                p->placement.wanted++;
                if (err == 0) p->placement.pinned++;
                else if (p->placement.first_error == 0) p->placement.first_error = err;
            }
        }
    }
    *out = p;
    return KZG_OK;
fail_done:
    pthread_cond_destroy(&p->wake);
fail_wake:
    pthread_mutex_destroy(&p->lock);
fail_mutex:
    kzg_free(p);
    return kzg_fail(KZG_ERR_INTERNAL, "pool: could not create synchronisation objects");
}

void pool_free(pool_t *p) {
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i + 1 < p->threads; i++) pthread_join(p->workers[i], NULL);
    kzg_free(p->workers);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    kzg_free(p);
}

unsigned pool_threads(const pool_t *p) { return p ? p->threads : 1; }

void pool_placement_get(const pool_t *p, pool_placement *out) {
    if (!p) {
        memset(out, 0, sizeof *out);
        return;
    }
    *out = p->placement;
}

/* Hands a job to the workers (the caller holds in_use): a range job (fn over [0, n) in
 * chunks of grain) or an each-thread job (each_fn once per worker). */
static void job_start(pool_t *p, pool_fn fn, pool_each_fn each_fn, void *arg, size_t n, size_t grain) {
    pthread_mutex_lock(&p->lock);
    p->fn = fn;
    p->each_fn = each_fn;
    p->arg = arg;
    p->n = n;
    p->grain = grain;
    atomic_store_explicit(&p->cursor, 0, memory_order_relaxed);
    p->busy_workers = p->threads - 1;
    p->generation++;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
}

/* Waits until every worker has finished the job, then frees the pool for the next one. */
static void job_finish(pool_t *p) {
    pthread_mutex_lock(&p->lock);
    while (p->busy_workers) pthread_cond_wait(&p->done, &p->lock);
    pthread_mutex_unlock(&p->lock);
    atomic_flag_clear_explicit(&p->in_use, memory_order_release);
}

void pool_parallel_for(pool_t *p, size_t n, size_t grain, pool_fn fn, void *arg) {
    if (n == 0) return;
    unsigned t = pool_threads(p);
    if (grain == 0) {
        /* ~4 chunks per thread: enough to balance uneven threads, few enough to be cheap. */
        grain = n / ((size_t)t * 4);
        if (grain == 0) grain = 1;
    }
    if (t == 1 || n <= grain || atomic_flag_test_and_set_explicit(&p->in_use, memory_order_acquire)) {
        for (size_t b = 0; b < n; b += grain) fn(arg, b, n - b < grain ? n : b + grain, 0);
        return;
    }
    job_start(p, fn, NULL, arg, n, grain);
    run_chunks(p, 0);
    job_finish(p);
}

bool pool_run_each(pool_t *p, pool_each_fn fn, void *arg) {
    if (pool_threads(p) == 1) {
        fn(arg, 0);
        return true;
    }
    if (atomic_flag_test_and_set_explicit(&p->in_use, memory_order_acquire)) return false;
    job_start(p, NULL, fn, arg, 0, 0);
    fn(arg, 0);
    job_finish(p);
    return true;
}
