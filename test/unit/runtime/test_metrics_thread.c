/* test_metrics_thread — recording from several threads while others take snapshots and
 * export them: final counts are exact, and every snapshot taken during the run is
 * consistent (calls = histogram total, errors <= calls, counters never go backwards).
 * Run under ThreadSanitizer by `make tsan` (the name contains "thread"). */
#include <pthread.h>
#include <stdatomic.h>

#include "runtime/metrics.h"
#include "testrand.h"

enum { RECORDERS = 4, CALLS = 20000 };

static kzg_metrics *M;
static cache_t *C;
static _Atomic int done;

static void *recorder(void *arg) {
    uint64_t id = (uint64_t)(uintptr_t)arg;
    uint64_t x = id * 0x9e3779b97f4a7c15ULL + 1;
    for (int i = 0; i < CALLS; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17; /* xorshift: testrand is not thread-safe */
        kzg_op op = (kzg_op)(x % KZG_OP_COUNT);
        kzg_status st = (i % 10 == 0) ? KZG_ERR_LENGTH : KZG_OK;
        if (op == KZG_OP_CTX_NEW) op = KZG_OP_COMPUTE_CELLS; /* ctx_new counts the timed calls */
        metrics_record_ns(M, op, st, 1000 + (x >> 40), 2);
        if (i % 1000 == 0) {
            uint64_t t0 = metrics_start(M);
            metrics_record(M, KZG_OP_CTX_NEW, KZG_OK, t0, 0);
            uint8_t key[32] = {0}, v[8] = {0};
            size_t n;
            key[1] = (uint8_t)i;
            if (!cache_get(C, v, sizeof v, &n, key)) cache_put(C, key, v, sizeof v);
        }
    }
    return NULL;
}

static void *snapshotter(void *arg) {
    (void)arg;
    kzg_metrics_stats *prev = kzg_calloc(1, sizeof *prev), *s = kzg_malloc(sizeof *s);
    char *buf = kzg_malloc(1 << 16);
    CHECK(prev && s && buf, "alloc");
    int rounds = 0;
    while (prev && s && buf && (!atomic_load(&done) || rounds < 3)) {
        CHECK(kzg_metrics_snapshot(M, s) == KZG_OK, "snapshot");
        for (size_t k = 0; k < KZG_OP_COUNT; k++) {
            const kzg_metrics_op_stats *o = &s->ops[k];
            uint64_t h = 0;
            for (size_t j = 0; j < KZG_METRICS_BUCKETS; j++) h += o->histogram[j];
            CHECK(h == o->calls, "calls %llu != histogram %llu", (unsigned long long)o->calls,
                  (unsigned long long)h);
            CHECK(o->errors <= o->calls, "op %zu: errors %llu > calls %llu", k,
                  (unsigned long long)o->errors, (unsigned long long)o->calls);
            CHECK(o->items >= 2 * o->calls || k == KZG_OP_CTX_NEW, "items %llu for %llu calls",
                  (unsigned long long)o->items, (unsigned long long)o->calls);
            CHECK(k == KZG_OP_CTX_NEW || o->total_ns >= o->calls * 1000,
                  "op %zu: total %llu below %llu calls of >= 1000 ns", k,
                  (unsigned long long)o->total_ns, (unsigned long long)o->calls);
            CHECK(o->calls >= prev->ops[k].calls && o->errors >= prev->ops[k].errors,
                  "counters went backwards");
        }
        size_t len;
        CHECK(kzg_metrics_write_prometheus(buf, 1 << 16, &len, s) == KZG_OK, "export");
        kzg_metrics_stats *t = prev;
        prev = s;
        s = t;
        rounds++;
    }
    kzg_free(prev);
    kzg_free(s);
    kzg_free(buf);
    return NULL;
}

int main(void) {
    testrand_init("test_metrics_thread");
    cache_config cfg = {.budget_bytes = 1 << 14};
    CHECK(kzg_metrics_new(&M) == KZG_OK && cache_new(&C, &cfg) == KZG_OK, "new");
    CHECK(metrics_attach_cache(M, "verify", C) == KZG_OK, "attach");
    pthread_t r[RECORDERS], s[2];
    for (int i = 0; i < 2; i++) pthread_create(&s[i], NULL, snapshotter, NULL);
    for (int i = 0; i < RECORDERS; i++) pthread_create(&r[i], NULL, recorder, (void *)(uintptr_t)(i + 1));
    for (int i = 0; i < RECORDERS; i++) pthread_join(r[i], NULL);
    atomic_store(&done, 1);
    for (int i = 0; i < 2; i++) pthread_join(s[i], NULL);
    kzg_metrics_stats *st = kzg_malloc(sizeof *st);
    if (st && M) {
        kzg_metrics_snapshot(M, st);
        uint64_t calls = 0, errors = 0;
        for (size_t k = 1; k < KZG_OP_COUNT; k++) calls += st->ops[k].calls, errors += st->ops[k].errors;
        CHECK(calls == (uint64_t)RECORDERS * CALLS, "calls %llu", (unsigned long long)calls);
        CHECK(errors == (uint64_t)RECORDERS * CALLS / 10, "errors %llu", (unsigned long long)errors);
        CHECK(st->ops[KZG_OP_CTX_NEW].calls >= RECORDERS * (CALLS / 1000), "ctx_new calls");
        CHECK(st->n_caches == 1 && st->cache_hits + st->cache_misses == RECORDERS * (CALLS / 1000),
              "cache lookups %llu", (unsigned long long)(st->cache_hits + st->cache_misses));
    }
    kzg_free(st);
    metrics_detach_cache(M, C);
    cache_free(C);
    kzg_metrics_free(M);
    return test_report();
}
