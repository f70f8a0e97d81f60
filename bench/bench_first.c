/*
 * bench/bench_first.c — what the first call of each operation costs in a fresh process,
 * against the same operation warm (issue 13: "first call after context creation, any
 * operation: within 10 % of a warm call").
 *
 *   bench_first [--runs N] [--op NAME] [--warm K] [--threads T] [--json FILE]
 *
 * The parent makes the inputs once (deterministic blobs of bench_rng.h, their commitments,
 * proofs, cells and cell proofs) and writes them to a temporary file. Then, for each
 * operation and each of N runs (default 9; the operations rotate inside a run so none is
 * always first), it starts a fresh process (`--child OP FILE`) that reads the file (no
 * library call), times kzg_ctx_new, the first call of OP, then K more calls (default 5),
 * and prints the three times and the minor page faults of each (the outputs' buffers
 * written beforehand: only the library's own first-touch costs count). Reported per
 * operation: median kzg_ctx_new, median first call, median of the per-run warm medians,
 * the median page faults of kzg_ctx_new, the first call and a warm call (a count, free of
 * the machine's noise), and first/warm (the ratio of those medians,
 * and its range over the runs). Only the public API is used, as a program linking
 * libkzgkit would.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <kzgkit.h>

#include "bench_rng.h"

#define BLOBS 4
#define CELLS KZG_CELLS_PER_EXT_BLOB
#define MAX_RUNS 1000
#define MAX_WARM 100
#define N_MEASURES 6 /* per child: ctx_new, first and warm ms; their minor page faults */

typedef struct inputs {
    kzg_blob blobs[BLOBS];
    kzg_commitment commitments[BLOBS];
    kzg_proof proofs[BLOBS];
    kzg_field_element z, y;
    kzg_proof z_proof;
    kzg_cell cells[CELLS];
    kzg_proof cell_proofs[CELLS];
} inputs;

static const char *const OPS[] = {
    "blob_to_kzg_commitment", "compute_kzg_proof",           "compute_blob_kzg_proof",
    "verify_kzg_proof",       "verify_blob_kzg_proof",       "verify_blob_kzg_proof_batch",
    "compute_cells",          "compute_cells_and_kzg_proofs", "verify_cell_kzg_proof_batch",
    "recover_cells_and_kzg_proofs",
};
#define N_OPS (sizeof OPS / sizeof *OPS)

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The process's minor page faults so far (pages mapped on first touch): the part of a first
 * call's extra cost that no instruction count shows. */
static long minor_faults(void) {
    struct rusage u;
    return getrusage(RUSAGE_SELF, &u) == 0 ? u.ru_minflt : 0;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Per-call state of the child: the operation's outputs and argument arrays. */
typedef struct call {
    const inputs *in;
    kzg_cell cells[CELLS];
    kzg_proof proofs[CELLS];
    kzg_commitment commitments[CELLS];
    uint64_t indices[CELLS];
    kzg_cell half_cells[CELLS / 2];
    uint64_t half_indices[CELLS / 2];
} call;

static int run_op(const kzg_ctx *ctx, size_t op, call *c) {
    const inputs *in = c->in;
    kzg_commitment cm;
    kzg_proof pr;
    kzg_field_element y;
    bool ok = false;
    kzg_status st;
    switch (op) {
    case 0: st = kzg_blob_to_kzg_commitment(ctx, &cm, &in->blobs[0]); ok = true; break;
    case 1: st = kzg_compute_kzg_proof(ctx, &pr, &y, &in->blobs[0], &in->z); ok = true; break;
    case 2: st = kzg_compute_blob_kzg_proof(ctx, &pr, &in->blobs[0], &in->commitments[0]); ok = true; break;
    case 3: st = kzg_verify_kzg_proof(ctx, &ok, &in->commitments[0], &in->z, &in->y, &in->z_proof); break;
    case 4: st = kzg_verify_blob_kzg_proof(ctx, &ok, &in->blobs[0], &in->commitments[0], &in->proofs[0]); break;
    case 5: st = kzg_verify_blob_kzg_proof_batch(ctx, &ok, in->blobs, in->commitments, in->proofs, BLOBS); break;
    case 6: st = kzg_compute_cells(ctx, c->cells, &in->blobs[0]); ok = true; break;
    case 7: st = kzg_compute_cells_and_kzg_proofs(ctx, c->cells, c->proofs, &in->blobs[0]); ok = true; break;
    case 8:
        st = kzg_verify_cell_kzg_proof_batch(ctx, &ok, c->commitments, c->indices, in->cells,
                                             in->cell_proofs, CELLS);
        break;
    default:
        st = kzg_recover_cells_and_kzg_proofs(ctx, c->cells, c->proofs, c->half_indices,
                                              c->half_cells, CELLS / 2);
        ok = true;
        break;
    }
    if (st != KZG_OK || !ok) {
        fprintf(stderr, "bench_first: %s: %s (%s)\n", OPS[op], kzg_status_str(st),
                st != KZG_OK ? kzg_last_error() : "verified false");
        return 1;
    }
    return 0;
}

static int child(const char *opname, const char *path, unsigned warm, uint32_t threads) {
    static inputs in;
    static call c;
    size_t op = N_OPS;
    for (size_t i = 0; i < N_OPS; i++)
        if (!strcmp(opname, OPS[i])) op = i;
    FILE *f = fopen(path, "rb");
    if (op == N_OPS || !f || fread(&in, sizeof in, 1, f) != 1) {
        fprintf(stderr, "bench_first: child: bad operation or input file\n");
        if (f) fclose(f);
        return 2;
    }
    fclose(f);
    /* The caller's output buffers are written before the clock starts, as a program that
     * reuses them would have: the first call's page faults are then the library's own
     * (c lives in .bss: untouched, its 0.5 MB would fault in the first call otherwise). */
    memset(&c, 0xa5, sizeof c);
    c.in = &in;
    for (size_t i = 0; i < CELLS; i++) {
        c.commitments[i] = in.commitments[0];
        c.indices[i] = i;
    }
    for (size_t i = 0; i < CELLS / 2; i++) {
        c.half_indices[i] = 2 * i;
        c.half_cells[i] = in.cells[2 * i];
    }
    kzg_ctx *ctx = NULL;
    kzg_ctx_options o = KZG_CTX_OPTIONS_INIT;
    o.threads = threads;
    long f0 = minor_faults();
    double t0 = now_ms();
    if (kzg_ctx_new(&ctx, &o) != KZG_OK) {
        fprintf(stderr, "bench_first: kzg_ctx_new: %s\n", kzg_last_error());
        return 1;
    }
    double t1 = now_ms();
    long f1 = minor_faults();
    if (run_op(ctx, op, &c)) return 1;
    double t2 = now_ms(), w[MAX_WARM], wf[MAX_WARM];
    long f2 = minor_faults();
    for (unsigned k = 0; k < warm; k++) {
        long fa = minor_faults();
        double a = now_ms();
        if (run_op(ctx, op, &c)) return 1;
        w[k] = now_ms() - a;
        wf[k] = (double)(minor_faults() - fa);
    }
    kzg_ctx_free(ctx);
    printf("%.6f %.6f %.6f %ld %ld %.1f\n", t1 - t0, t2 - t1, median(w, warm), f1 - f0, f2 - f1,
           median(wf, warm));
    return 0;
}

static int make_inputs(const char *path) {
    static inputs in;
    rng r;
    rng_seed(&r, 1);
    for (size_t b = 0; b < BLOBS; b++)
        for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++)
            rng_field_element(&r, in.blobs[b].bytes + 32 * i);
    rng_field_element(&r, in.z.bytes);
    kzg_ctx *ctx = NULL;
    int bad = kzg_ctx_new(&ctx, NULL) != KZG_OK;
    for (size_t b = 0; !bad && b < BLOBS; b++)
        bad = kzg_blob_to_kzg_commitment(ctx, &in.commitments[b], &in.blobs[b]) != KZG_OK ||
              kzg_compute_blob_kzg_proof(ctx, &in.proofs[b], &in.blobs[b], &in.commitments[b]) != KZG_OK;
    bad = bad || kzg_compute_kzg_proof(ctx, &in.z_proof, &in.y, &in.blobs[0], &in.z) != KZG_OK ||
          kzg_compute_cells_and_kzg_proofs(ctx, in.cells, in.cell_proofs, &in.blobs[0]) != KZG_OK;
    kzg_ctx_free(ctx);
    FILE *f = bad ? NULL : fopen(path, "wb");
    if (!f || fwrite(&in, sizeof in, 1, f) != 1 || fclose(f) != 0) {
        fprintf(stderr, "bench_first: cannot make the inputs (%s)\n", bad ? kzg_last_error() : strerror(errno));
        return 1;
    }
    return 0;
}

/* One child run: its three times and three fault counts, or -1 on failure. */
static int spawn(const char *self, const char *op, const char *path, unsigned warm, uint32_t threads,
                 double out[N_MEASURES]) {
    char cmd[8448]; /* self and path are < 4096 bytes each */
    snprintf(cmd, sizeof cmd, "'%s' --child %s '%s' --warm %u --threads %u", self, op, path, warm,
             (unsigned)threads);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    int n = fscanf(p, "%lf %lf %lf %lf %lf %lf", &out[0], &out[1], &out[2], &out[3], &out[4], &out[5]);
    int st = pclose(p);
    return n == N_MEASURES && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static void usage(void) {
    fprintf(stderr, "usage: bench_first [--runs N] [--op NAME] [--warm K] [--threads T] [--json FILE]\n"
                    "operations:");
    for (size_t i = 0; i < N_OPS; i++) fprintf(stderr, " %s", OPS[i]);
    fprintf(stderr, "\n");
}

int main(int argc, char **argv) {
    unsigned runs = 9, warm = 5;
    uint32_t threads = 1;
    const char *only = NULL, *json = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--child") && i + 2 < argc) {
            const char *op = argv[i + 1], *path = argv[i + 2];
            for (int j = i + 3; j + 1 < argc; j += 2) {
                if (!strcmp(argv[j], "--warm")) warm = (unsigned)strtoul(argv[j + 1], NULL, 10);
                if (!strcmp(argv[j], "--threads")) threads = (uint32_t)strtoul(argv[j + 1], NULL, 10);
            }
            if (warm < 1 || warm > MAX_WARM) return 2;
            return child(op, path, warm, threads);
        } else if (!strcmp(a, "--runs") && v) {
            runs = (unsigned)strtoul(v, NULL, 10), i++;
        } else if (!strcmp(a, "--warm") && v) {
            warm = (unsigned)strtoul(v, NULL, 10), i++;
        } else if (!strcmp(a, "--threads") && v) {
            threads = (uint32_t)strtoul(v, NULL, 10), i++;
        } else if (!strcmp(a, "--op") && v) {
            only = v, i++;
        } else if (!strcmp(a, "--json") && v) {
            json = v, i++;
        } else {
            usage();
            return 2;
        }
    }
    if (runs < 1 || runs > MAX_RUNS || warm < 1 || warm > MAX_WARM) {
        fprintf(stderr, "bench_first: --runs must be 1..%d and --warm 1..%d\n", MAX_RUNS, MAX_WARM);
        return 2;
    }
    bool sel[N_OPS];
    size_t nsel = 0;
    for (size_t i = 0; i < N_OPS; i++) nsel += (sel[i] = !only || !strcmp(only, OPS[i]));
    if (!nsel) {
        usage();
        return 2;
    }
    char self[4096];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl <= 0) {
        fprintf(stderr, "bench_first: cannot find its own executable\n");
        return 1;
    }
    self[sl] = 0;
    char path[] = "/tmp/kzgkit-bench-first-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        fprintf(stderr, "bench_first: mkstemp: %s\n", strerror(errno));
        return 1;
    }
    close(fd);
    if (make_inputs(path)) {
        unlink(path);
        return 1;
    }
    static double t[N_OPS][N_MEASURES][MAX_RUNS];
    int fail = 0;
    for (unsigned r = 0; r < runs && !fail; r++) {
        for (size_t k = 0; k < N_OPS && !fail; k++) {
            size_t op = (k + r) % N_OPS; /* rotated: no operation is always first */
            if (!sel[op]) continue;
            double o[N_MEASURES];
            if (spawn(self, OPS[op], path, warm, threads, o)) {
                fprintf(stderr, "bench_first: the run of %s failed\n", OPS[op]);
                fail = 1;
                break;
            }
            for (int q = 0; q < N_MEASURES; q++) t[op][q][r] = o[q];
        }
    }
    unlink(path);
    if (fail) return 1;

    FILE *jf = json ? fopen(json, "w") : NULL;
    if (json && !jf) {
        fprintf(stderr, "bench_first: cannot write %s: %s\n", json, strerror(errno));
        return 1;
    }
    printf("first call after kzg_ctx_new in a fresh process vs warm calls — backend %s, %u thread%s, "
           "%u runs (one process each), warm = median of %u calls after the first\n",
           kzg_backend(), (unsigned)threads, threads == 1 ? "" : "s", runs, warm);
    printf("%-30s %12s %12s %12s %10s %16s %8s %8s %8s\n", "operation", "ctx_new ms", "first ms", "warm ms",
           "first/warm", "per-run range", "ctx flt", "1st flt", "warm flt");
    if (jf)
        fprintf(jf, "{\"backend\": \"%s\", \"threads\": %u, \"runs\": %u, \"warm\": %u, \"results\": [",
                kzg_backend(), (unsigned)threads, runs, warm);
    bool firstj = true;
    for (size_t op = 0; op < N_OPS; op++) {
        if (!sel[op]) continue;
        double lo = 1e300, hi = 0;
        for (unsigned r = 0; r < runs; r++) {
            double q = t[op][1][r] / t[op][2][r];
            lo = q < lo ? q : lo;
            hi = q > hi ? q : hi;
        }
        double mc = median(t[op][0], runs), mf = median(t[op][1], runs), mw = median(t[op][2], runs);
        double fc = median(t[op][3], runs), ff = median(t[op][4], runs), fw = median(t[op][5], runs);
        printf("%-30s %12.3f %12.3f %12.3f %10.3f %7.2f..%-7.2f %8.0f %8.0f %8.0f\n", OPS[op], mc, mf, mw,
               mf / mw, lo, hi, fc, ff, fw);
        if (jf)
            fprintf(jf, "%s\n  {\"op\": \"%s\", \"ctx_new_ms\": %.6f, \"first_ms\": %.6f, \"warm_ms\": %.6f, "
                        "\"first_over_warm\": %.4f, \"ctx_new_faults\": %.0f, \"first_faults\": %.0f, "
                        "\"warm_faults\": %.1f}",
                    firstj ? "" : ",", OPS[op], mc, mf, mw, mf / mw, fc, ff, fw);
        firstj = false;
    }
    if (jf) {
        fprintf(jf, "\n]}\n");
        if (fclose(jf) != 0) {
            fprintf(stderr, "bench_first: cannot write %s\n", json);
            return 1;
        }
    }
    return 0;
}
