/*
 * setup/place.c — a context's large fixed-base tables placed on the NUMA nodes of its plan
 * (setup.h: setup_place_tables; the decision is runtime/numa.c's, docs/PERFORMANCE.md §12).
 *
 * Replicate: one copy of every table per node that has threads. Linux places a fresh page
 * on the node of the thread that first writes it, so each copy is written by a worker
 * pinned on its node (pool_run_each: one thread per node does that node's memcpy), and
 * each MSM task then reads the copy of its own thread's node (msm_table_thread_entries).
 * The copies are ordinary kzg_malloc blocks: counted, and freed with the table. The
 * original block goes once they are written, so a replicated context holds one table per
 * node, not one more.
 * Interleave: one copy, its pages spread over the nodes by mbind (numa_interleave).
 *
 * Neither may cost the context its existence: a copy that cannot be allocated, a pool busy
 * with another job or an mbind the kernel refuses leave the tables shared as they were
 * built, and the context's NUMA line says why. This runs in the constructor, before the
 * context is returned: nothing else reads the tables yet (the FK20 block is published on
 * the context but not yet visible to any other thread).
 */
#define _GNU_SOURCE /* sched_getcpu */
#include "setup/setup.h"

#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

/* The context's large tables: the Lagrange table and the FK20 fixed-base table. The
 * embedded commitment table is not one of them: it is the library's read-only data, shared
 * by every context and process, never copied. */
#define PLACE_MAX_TABLES 2

static unsigned large_tables(msm_table *out[PLACE_MAX_TABLES], const kzg_ctx *ctx, const char *names[]) {
    unsigned n = 0;
    if (ctx->lagrange_table && ctx->lagrange_table != &ctx->lagrange_embedded) {
        names[n] = "lagrange";
        out[n++] = ctx->lagrange_table;
    }
    const setup_fk20 *fk = atomic_load_explicit(&((kzg_ctx *)ctx)->fk20, memory_order_acquire);
    if (fk && fk->fixed) {
        names[n] = "fk20";
        out[n++] = fk->fixed;
    }
    return n;
}

typedef struct copy_job {
    msm_table *t[PLACE_MAX_TABLES];
    unsigned nt, ncopies;
    g1_aff_t **copies[PLACE_MAX_TABLES]; /* [table][node] */
    uint8_t writer[NUMA_MAX_NODES];      /* the pool thread that writes node k's copies */
    int16_t cpu[NUMA_MAX_NODES];         /* the CPU it wrote them on (-1: unknown) */
} copy_job;

static void copy_task(void *arg, unsigned thread) {
    copy_job *j = arg;
    for (unsigned k = 0; k < j->ncopies; k++) {
        if (j->writer[k] != thread) continue;
        for (unsigned x = 0; x < j->nt; x++) memcpy(j->copies[x][k], j->t[x]->entries, msm_table_bytes(j->t[x]));
#if defined(__linux__)
        j->cpu[k] = (int16_t)sched_getcpu();
#else
        j->cpu[k] = -1;
#endif
    }
}

static void free_copies(copy_job *j, uint8_t *copy_of[PLACE_MAX_TABLES]) {
    for (unsigned x = 0; x < j->nt; x++) {
        if (j->copies[x])
            for (unsigned k = 0; k < j->ncopies; k++) kzg_free(j->copies[x][k]);
        kzg_free(j->copies[x]);
        kzg_free(copy_of[x]);
    }
}

static void replicate(kzg_ctx *ctx, const numa_plan *plan, msm_table *t[], unsigned nt, char *note,
                      size_t note_len) {
    unsigned threads = pool_threads(ctx->pool);
    copy_job j = {.nt = nt, .ncopies = plan->n_nodes};
    uint8_t *copy_of[PLACE_MAX_TABLES] = {NULL};
    size_t per_node = 0;
    /* Every block first: a failure leaves the tables as built, with nothing half done. */
    for (unsigned x = 0; x < nt; x++) {
        j.t[x] = t[x];
        size_t bytes = msm_table_bytes(t[x]);
        per_node += bytes;
        j.copies[x] = kzg_calloc(j.ncopies, sizeof *j.copies[x]);
        copy_of[x] = kzg_malloc(threads);
        if (!j.copies[x] || !copy_of[x]) {
            free_copies(&j, copy_of);
            snprintf(note, note_len, "shared (the copies' bookkeeping could not be allocated)");
            return;
        }
        for (unsigned k = 0; k < j.ncopies; k++) {
            if (!(j.copies[x][k] = kzg_malloc(bytes))) {
                free_copies(&j, copy_of);
                snprintf(note, note_len, "shared (a copy of %zu bytes could not be allocated)", bytes);
                return;
            }
        }
        for (unsigned i = 0; i < threads; i++) copy_of[x][i] = i < plan->threads ? plan->thread_node[i] : 0;
    }
    /* Node k's copy is written by its first worker; by the caller (thread 0) when the node
     * has no started worker — the caller's thread is the program's and not pinned, so that
     * copy lands wherever the caller runs. */
    for (unsigned k = 0; k < j.ncopies; k++) {
        j.writer[k] = 0;
        j.cpu[k] = -1;
        for (unsigned i = 1; i < threads && i < plan->threads; i++)
            if (plan->thread_node[i] == k) {
                j.writer[k] = (uint8_t)i;
                break;
            }
    }
    if (!pool_run_each(ctx->pool, copy_task, &j)) {
        free_copies(&j, copy_of);
        snprintf(note, note_len, "shared (the pool was busy when the copies were to be written)");
        return;
    }
    for (unsigned x = 0; x < nt; x++) msm_table_adopt_copies(t[x], j.copies[x], j.ncopies, copy_of[x], threads);
    ctx->numa_tables = NUMA_TABLES_REPLICATE;
    ctx->numa_copies = j.ncopies;
    memcpy(ctx->numa_copy_writer, j.writer, sizeof j.writer);
    memcpy(ctx->numa_copy_cpu, j.cpu, sizeof j.cpu);
    snprintf(note, note_len, "replicated on %u nodes (%u copies, %.1f MiB each)", plan->n_nodes, j.ncopies,
             (double)per_node / (1 << 20));
}

static void interleave(kzg_ctx *ctx, const numa_plan *plan, msm_table *t[], const char *names[], unsigned nt,
                       char *note, size_t note_len) {
    char nodes[NUMA_MAX_NODES * 4] = "";
    size_t len = 0;
    for (unsigned k = 0; k < plan->n_nodes && len < sizeof nodes; k++) {
        int w = snprintf(nodes + len, sizeof nodes - len, "%s%u", k ? "," : "", plan->node[k].id);
        if (w > 0) len += (size_t)w;
    }
    unsigned done = 0;
    int err = 0;
    const char *refused = "";
    for (unsigned x = 0; x < nt && !err; x++) {
        if ((err = numa_interleave(t[x]->entries, msm_table_bytes(t[x]), plan, NULL)) == 0) done++;
        else refused = names[x];
    }
    if (!err) {
        ctx->numa_tables = NUMA_TABLES_INTERLEAVE;
        snprintf(note, note_len, "interleaved over nodes %s", nodes);
    } else if (done == 0) {
        snprintf(note, note_len, "shared (interleaving over nodes %s refused: mbind: %s)", nodes, strerror(err));
    } else {
        snprintf(note, note_len, "%u of %u interleaved over nodes %s, the %s table shared (mbind: %s)", done, nt,
                 nodes, refused, strerror(err));
    }
}

void setup_place_tables(kzg_ctx *ctx, const numa_plan *plan, char *note, size_t note_len) {
    msm_table *t[PLACE_MAX_TABLES];
    const char *names[PLACE_MAX_TABLES];
    unsigned nt = large_tables(t, ctx, names);
    ctx->numa_tables = NUMA_TABLES_SHARED;
    if (nt == 0) snprintf(note, note_len, "none");
    else if (plan->tables == NUMA_TABLES_REPLICATE) replicate(ctx, plan, t, nt, note, note_len);
    else if (plan->tables == NUMA_TABLES_INTERLEAVE) interleave(ctx, plan, t, names, nt, note, note_len);
    else snprintf(note, note_len, "shared (%s)", plan->n_nodes < 2 ? "one node" : "no table to place");
}
