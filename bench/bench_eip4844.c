/*
 * bench/bench_eip4844.c — the six EIP-4844 functions and context creation, timed.
 *
 * Deterministic random blobs (xoshiro128** seeded by splitmix32: bench_rng.h); the inputs
 * of every operation (commitments, proofs, evaluation points) are computed before any
 * timing, so that only the operation itself is timed. Each operation runs once untimed
 * (warm-up), then N times; the table shows the median, minimum, maximum and mean in
 * milliseconds.
 * Every result is checked (verifications must hold, recomputed values must match).
 *
 *   bench_eip4844 [--iters N] [--batch N] [--seed S] [--threads N] [--table-window C]
 *                 [--json FILE] [--dump FILE | --inputs FILE]
 *
 * --table-window C sets kzg_ctx_options.table_window in every context: 0 (the default) is
 * the embedded window-13 table on the mainnet setup, 1 (KZG_TABLE_WINDOW_NONE) none, 4..16 a
 * table of that window (13: the embedded one; others built at creation, ~0.4 s: the
 * ctx_new row then times creation with the tables, and the operations run on a context
 * whose tables are already built).
 * --json FILE also carries every sample, in the order taken (bench/peers pools them).
 * --dump FILE writes the inputs and our outputs for bench/peers (format below), so that the
 * peer benchmark runs on the same blobs and cross-checks our results byte for byte.
 * --inputs FILE reads such a file instead of generating and computing the inputs (the
 * batch and seed are then the file's); every result is checked against the file's.
 * Dump format, little-endian: "KZGKITB1", u32 count, u32 seed, then count records of
 * blob (131072) | z (32) | commitment (48) | blob proof (48) | proof at z (48) | y (32).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kzgkit.h"
#include "bench_rng.h"

/* ---- timing and statistics ----------------------------------------------------------- */

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct stat_row {
    const char *name;
    const double *v; /* the n samples in the order taken */
    size_t n;
    double median, min, max, mean;
} stat_row;

/* Sorts a copy of v into scratch (n doubles), so that v keeps the order of the samples. */
static void summarise(stat_row *row, const char *name, const double *v, size_t n,
                      double *scratch) {
    double sum = 0;
    memcpy(scratch, v, n * sizeof *v);
    qsort(scratch, n, sizeof *scratch, cmp_double);
    for (size_t i = 0; i < n; i++) sum += scratch[i];
    row->name = name;
    row->v = v;
    row->n = n;
    row->median = n % 2 ? scratch[n / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
    row->min = scratch[0];
    row->max = scratch[n - 1];
    row->mean = sum / (double)n;
}

/* ---- the benchmark ------------------------------------------------------------------- */

typedef struct inputs {
    size_t n;
    uint32_t seed;
    kzg_blob *blobs;
    kzg_field_element *z, *y;
    kzg_commitment *commitments;
    kzg_proof *blob_proofs, *z_proofs;
} inputs;

static bool inputs_alloc(inputs *in, size_t n) {
    in->n = n;
    in->blobs = malloc(n * sizeof *in->blobs);
    in->z = malloc(n * sizeof *in->z);
    in->y = malloc(n * sizeof *in->y);
    in->commitments = malloc(n * sizeof *in->commitments);
    in->blob_proofs = malloc(n * sizeof *in->blob_proofs);
    in->z_proofs = malloc(n * sizeof *in->z_proofs);
    return in->blobs && in->z && in->y && in->commitments && in->blob_proofs && in->z_proofs;
}

static void inputs_free(inputs *in) {
    free(in->blobs);
    free(in->z);
    free(in->y);
    free(in->commitments);
    free(in->blob_proofs);
    free(in->z_proofs);
}

static int fail(const char *what, kzg_status st) {
    fprintf(stderr, "bench_eip4844: %s: %s: %s\n", what, kzg_status_str(st), kzg_last_error());
    return 1;
}

static bool parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *out) {
    char *end = NULL;
    unsigned long v;
    if (!s || *s < '0' || *s > '9') return false;
    v = strtoul(s, &end, 10);
    if (*end != '\0' || v < lo || v > hi) return false;
    *out = v;
    return true;
}

static bool write_all(FILE *f, const void *p, size_t n) { return fwrite(p, 1, n, f) == n; }
static bool read_all(FILE *f, void *p, size_t n) { return fread(p, 1, n, f) == n; }

static uint32_t load_u32le(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int dump_inputs(const char *path, const inputs *in) {
    FILE *f = fopen(path, "wb");
    uint8_t hdr[16] = {'K', 'Z', 'G', 'K', 'I', 'T', 'B', '1'};
    bool ok;
    if (!f) {
        perror(path);
        return 1;
    }
    for (int i = 0; i < 4; i++) {
        hdr[8 + i] = (uint8_t)(in->n >> (8 * i));
        hdr[12 + i] = (uint8_t)(in->seed >> (8 * i));
    }
    ok = write_all(f, hdr, sizeof hdr);
    for (size_t i = 0; ok && i < in->n; i++) {
        ok = write_all(f, in->blobs[i].bytes, KZG_BYTES_PER_BLOB) &&
             write_all(f, in->z[i].bytes, 32) && write_all(f, in->commitments[i].bytes, 48) &&
             write_all(f, in->blob_proofs[i].bytes, 48) && write_all(f, in->z_proofs[i].bytes, 48) &&
             write_all(f, in->y[i].bytes, 32);
    }
    if (fclose(f) != 0) ok = false;
    if (!ok) {
        fprintf(stderr, "bench_eip4844: cannot write %s\n", path);
        return 1;
    }
    return 0;
}

/* Reads a --dump file into *in (allocated here; inputs_free releases it). */
static int load_inputs(const char *path, inputs *in) {
    FILE *f = fopen(path, "rb");
    uint8_t hdr[16];
    uint32_t n;
    bool ok;
    int extra;
    if (!f) {
        perror(path);
        return 1;
    }
    ok = read_all(f, hdr, sizeof hdr) && memcmp(hdr, "KZGKITB1", 8) == 0;
    n = ok ? load_u32le(hdr + 8) : 0;
    if (!ok || n < 1 || n > 4096) {
        fprintf(stderr, "bench_eip4844: %s: not a --dump file of 1..4096 blobs\n", path);
        fclose(f);
        return 1;
    }
    in->seed = load_u32le(hdr + 12);
    if (!inputs_alloc(in, n)) {
        fprintf(stderr, "bench_eip4844: out of memory\n");
        fclose(f);
        return 1;
    }
    for (size_t i = 0; ok && i < in->n; i++) {
        ok = read_all(f, in->blobs[i].bytes, KZG_BYTES_PER_BLOB) &&
             read_all(f, in->z[i].bytes, 32) && read_all(f, in->commitments[i].bytes, 48) &&
             read_all(f, in->blob_proofs[i].bytes, 48) && read_all(f, in->z_proofs[i].bytes, 48) &&
             read_all(f, in->y[i].bytes, 32);
    }
    extra = fgetc(f);
    fclose(f);
    if (!ok || extra != EOF) {
        fprintf(stderr, "bench_eip4844: %s: %s (%u records expected)\n", path,
                ok ? "trailing bytes" : "truncated", (unsigned)n);
        return 1;
    }
    return 0;
}

static int write_json(const char *path, const stat_row *rows, size_t n_rows, unsigned long seed,
                      unsigned long batch, unsigned long threads, unsigned long table_window,
                      bool table_embedded) {
    FILE *f = fopen(path, "w");
    bool ok;
    if (!f) {
        perror(path);
        return 1;
    }
    fprintf(f, "{\n  \"library\": \"kzgkit\",\n  \"version\": \"%s\",\n  \"backend\": \"%s\",\n",
            kzg_version(), kzg_backend());
    fprintf(f, "  \"seed\": %lu,\n  \"batch\": %lu,\n  \"threads\": %lu,\n", seed, batch,
            threads);
    fprintf(f, "  \"table_window\": %lu,\n  \"table_embedded\": %s,\n  \"unit\": \"ms\",\n", table_window,
            table_embedded ? "true" : "false");
    fprintf(f, "  \"results\": [\n");
    for (size_t i = 0; i < n_rows; i++) {
        fprintf(f,
                "    {\"name\": \"%s\", \"samples\": %zu, \"median_ms\": %.6f, \"min_ms\": %.6f, "
                "\"max_ms\": %.6f, \"mean_ms\": %.6f,\n     \"samples_ms\": [",
                rows[i].name, rows[i].n, rows[i].median, rows[i].min, rows[i].max, rows[i].mean);
        for (size_t k = 0; k < rows[i].n; k++)
            fprintf(f, "%s%.6f", k ? ", " : "", rows[i].v[k]);
        fprintf(f, "]}%s\n", i + 1 < n_rows ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
    ok = !ferror(f);
    if (fclose(f) != 0) ok = false;
    if (!ok) {
        fprintf(stderr, "bench_eip4844: cannot write %s\n", path);
        return 1;
    }
    return 0;
}

enum { OP_CTX, OP_COMMIT, OP_PROVE, OP_BLOB_PROVE, OP_VERIFY, OP_BLOB_VERIFY, OP_BATCH, N_OPS };

int main(int argc, char **argv) {
    unsigned long iters = 10, batch = 64, seed = 1, threads = 0, table_window = 0;
    bool table_embedded = false;
    const char *json = NULL, *dump = NULL, *inputs_path = NULL;
    kzg_ctx_options opts;
    kzg_ctx *ctx = NULL;
    inputs in;
    stat_row rows[N_OPS];
    double *samples = NULL, *scratch = NULL, *op_samples;
    size_t max_samples;
    int rc = 1;
    rng r;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = true;
        if (strcmp(a, "--iters") == 0) ok = parse_uint(v, 1, 100000, &iters), i++;
        else if (strcmp(a, "--batch") == 0) ok = parse_uint(v, 1, 4096, &batch), i++;
        else if (strcmp(a, "--seed") == 0) ok = parse_uint(v, 0, 0xffffffffUL, &seed), i++;
        else if (strcmp(a, "--threads") == 0) ok = parse_uint(v, 0, 1024, &threads), i++;
        else if (strcmp(a, "--table-window") == 0) ok = parse_uint(v, 0, 16, &table_window), i++;
        else if (strcmp(a, "--json") == 0) ok = (json = v) != NULL, i++;
        else if (strcmp(a, "--dump") == 0) ok = (dump = v) != NULL, i++;
        else if (strcmp(a, "--inputs") == 0) ok = (inputs_path = v) != NULL, i++;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            printf("usage: bench_eip4844 [--iters N] [--batch N] [--seed S] [--threads N] "
                   "[--table-window C]\n"
                   "                     [--json FILE] [--dump FILE | --inputs FILE]\n"
                   "  --iters N          samples per heavy operation (verifications take 10x; "
                   "default 10)\n"
                   "  --batch N          blobs in the batch verification, and in the input "
                   "pool (default 64)\n"
                   "  --threads N        the context's threads, the caller included (0 or 1: "
                   "caller only)\n"
                   "  --table-window C   fixed-base tables of window C (4..16; 0 = none, the "
                   "default)\n"
                   "  --json FILE        results, with every sample\n"
                   "  --dump FILE        write the inputs and our outputs (for bench/peers)\n"
                   "  --inputs FILE      read the inputs and expected outputs from a --dump "
                   "file\n");
            return 0;
        } else {
            fprintf(stderr, "bench_eip4844: unknown option '%s' (see --help)\n", a);
            return 2;
        }
        if (!ok) {
            fprintf(stderr, "bench_eip4844: %s: missing or bad value\n", a);
            return 2;
        }
    }
    if (dump && inputs_path) {
        fprintf(stderr, "bench_eip4844: --dump and --inputs exclude each other\n");
        return 2;
    }

    memset(&in, 0, sizeof in);
    if (inputs_path) {
        if (load_inputs(inputs_path, &in) != 0) goto out;
        batch = in.n;
        seed = in.seed;
    } else if (!inputs_alloc(&in, batch)) {
        fprintf(stderr, "bench_eip4844: out of memory\n");
        goto out;
    }
    in.seed = (uint32_t)seed;
    /* One row of samples per operation, kept for --json; scratch is for sorting. */
    max_samples = 10 * iters + 1;
    samples = malloc(N_OPS * max_samples * sizeof *samples);
    scratch = malloc(max_samples * sizeof *scratch);
    if (!samples || !scratch) {
        fprintf(stderr, "bench_eip4844: out of memory\n");
        goto out;
    }
    memset(&opts, 0, sizeof opts);
    opts.struct_size = sizeof opts;
    opts.threads = (uint32_t)threads;
    opts.table_window = (uint32_t)table_window;

    /* Context creation (each sample creates and frees one; only creation is timed). With
     * --table-window the tables are built here, so the operations below never pay for them. */
    op_samples = samples + OP_CTX * max_samples;
    for (size_t k = 0; k <= iters; k++) {
        double t0 = now_ms(), t;
        kzg_status st = kzg_ctx_new(&ctx, &opts);
        t = now_ms() - t0;
        if (st != KZG_OK) {
            rc = fail("kzg_ctx_new", st);
            goto out;
        }
        if (k > 0) op_samples[k - 1] = t;
        if (k < iters) {
            kzg_ctx_free(ctx);
            ctx = NULL;
        }
    }
    summarise(&rows[OP_CTX], "ctx_new", op_samples, iters, scratch);
    /* The table the operations run over: the option's 0 is the embedded one on mainnet. */
    table_window = kzg_ctx_table_window(ctx, &table_embedded);

    /* Inputs and reference outputs, untimed (or read from --inputs). */
    if (inputs_path)
        fprintf(stderr, "bench_eip4844: %zu blobs from %s (seed %lu)\n", in.n, inputs_path, seed);
    else
        fprintf(stderr, "bench_eip4844: preparing %zu blobs (seed %lu)...\n", in.n, seed);
    rng_seed(&r, (uint32_t)seed);
    for (size_t i = 0; !inputs_path && i < in.n; i++) {
        kzg_status st;
        for (size_t e = 0; e < KZG_FIELD_ELEMENTS_PER_BLOB; e++)
            rng_field_element(&r, in.blobs[i].bytes + 32 * e);
        rng_field_element(&r, in.z[i].bytes);
        if ((st = kzg_blob_to_kzg_commitment(ctx, &in.commitments[i], &in.blobs[i])) != KZG_OK ||
            (st = kzg_compute_blob_kzg_proof(ctx, &in.blob_proofs[i], &in.blobs[i],
                                             &in.commitments[i])) != KZG_OK ||
            (st = kzg_compute_kzg_proof(ctx, &in.z_proofs[i], &in.y[i], &in.blobs[i],
                                        &in.z[i])) != KZG_OK) {
            rc = fail("preparing inputs", st);
            goto out;
        }
    }
    if (dump && dump_inputs(dump, &in) != 0) goto out;

    /* One macro per shape of loop would hide the calls; the loops are written out. Sample k
     * uses pool item k mod n; iteration 0 is the warm-up. */
    {
        size_t heavy = iters, light = 10 * iters, batch_iters = iters;
        op_samples = samples + OP_COMMIT * max_samples;
        for (size_t k = 0; k <= heavy; k++) {
            const size_t i = k % in.n;
            kzg_commitment c;
            double t0 = now_ms(), t;
            kzg_status st = kzg_blob_to_kzg_commitment(ctx, &c, &in.blobs[i]);
            t = now_ms() - t0;
            if (st != KZG_OK) { rc = fail("blob_to_kzg_commitment", st); goto out; }
            if (memcmp(&c, &in.commitments[i], sizeof c) != 0) {
                fprintf(stderr, "bench_eip4844: commitment %zu is not reproducible\n", i);
                goto out;
            }
            if (k > 0) op_samples[k - 1] = t;
        }
        summarise(&rows[OP_COMMIT], "blob_to_kzg_commitment", op_samples, heavy, scratch);

        op_samples = samples + OP_PROVE * max_samples;
        for (size_t k = 0; k <= heavy; k++) {
            const size_t i = k % in.n;
            kzg_proof p;
            kzg_field_element y;
            double t0 = now_ms(), t;
            kzg_status st = kzg_compute_kzg_proof(ctx, &p, &y, &in.blobs[i], &in.z[i]);
            t = now_ms() - t0;
            if (st != KZG_OK) { rc = fail("compute_kzg_proof", st); goto out; }
            if (memcmp(&p, &in.z_proofs[i], sizeof p) != 0 || memcmp(&y, &in.y[i], sizeof y) != 0) {
                fprintf(stderr, "bench_eip4844: proof %zu is not reproducible\n", i);
                goto out;
            }
            if (k > 0) op_samples[k - 1] = t;
        }
        summarise(&rows[OP_PROVE], "compute_kzg_proof", op_samples, heavy, scratch);

        op_samples = samples + OP_BLOB_PROVE * max_samples;
        for (size_t k = 0; k <= heavy; k++) {
            const size_t i = k % in.n;
            kzg_proof p;
            double t0 = now_ms(), t;
            kzg_status st = kzg_compute_blob_kzg_proof(ctx, &p, &in.blobs[i], &in.commitments[i]);
            t = now_ms() - t0;
            if (st != KZG_OK) { rc = fail("compute_blob_kzg_proof", st); goto out; }
            if (memcmp(&p, &in.blob_proofs[i], sizeof p) != 0) {
                fprintf(stderr, "bench_eip4844: blob proof %zu is not reproducible\n", i);
                goto out;
            }
            if (k > 0) op_samples[k - 1] = t;
        }
        summarise(&rows[OP_BLOB_PROVE], "compute_blob_kzg_proof", op_samples, heavy, scratch);

        op_samples = samples + OP_VERIFY * max_samples;
        for (size_t k = 0; k <= light; k++) {
            const size_t i = k % in.n;
            bool ok = false;
            double t0 = now_ms(), t;
            kzg_status st = kzg_verify_kzg_proof(ctx, &ok, &in.commitments[i], &in.z[i], &in.y[i],
                                                 &in.z_proofs[i]);
            t = now_ms() - t0;
            if (st != KZG_OK) { rc = fail("verify_kzg_proof", st); goto out; }
            if (!ok) {
                fprintf(stderr, "bench_eip4844: verify_kzg_proof %zu is false\n", i);
                goto out;
            }
            if (k > 0) op_samples[k - 1] = t;
        }
        summarise(&rows[OP_VERIFY], "verify_kzg_proof", op_samples, light, scratch);

        op_samples = samples + OP_BLOB_VERIFY * max_samples;
        for (size_t k = 0; k <= light; k++) {
            const size_t i = k % in.n;
            bool ok = false;
            double t0 = now_ms(), t;
            kzg_status st = kzg_verify_blob_kzg_proof(ctx, &ok, &in.blobs[i], &in.commitments[i],
                                                      &in.blob_proofs[i]);
            t = now_ms() - t0;
            if (st != KZG_OK) { rc = fail("verify_blob_kzg_proof", st); goto out; }
            if (!ok) {
                fprintf(stderr, "bench_eip4844: verify_blob_kzg_proof %zu is false\n", i);
                goto out;
            }
            if (k > 0) op_samples[k - 1] = t;
        }
        summarise(&rows[OP_BLOB_VERIFY], "verify_blob_kzg_proof", op_samples, light, scratch);

        op_samples = samples + OP_BATCH * max_samples;
        for (size_t k = 0; k <= batch_iters; k++) {
            bool ok = false;
            double t0 = now_ms(), t;
            kzg_status st = kzg_verify_blob_kzg_proof_batch(ctx, &ok, in.blobs, in.commitments,
                                                            in.blob_proofs, in.n);
            t = now_ms() - t0;
            if (st != KZG_OK) { rc = fail("verify_blob_kzg_proof_batch", st); goto out; }
            if (!ok) {
                fprintf(stderr, "bench_eip4844: the batch is false\n");
                goto out;
            }
            if (k > 0) op_samples[k - 1] = t;
        }
        summarise(&rows[OP_BATCH], "verify_blob_kzg_proof_batch", op_samples, batch_iters,
                  scratch);
    }

    printf("kzgkit %s EIP-4844 benchmark: backend %s, threads %lu, table window %lu%s, batch %zu, "
           "seed %lu\n",
           kzg_version(), kzg_backend(), threads, table_window, table_embedded ? " (embedded)" : "", in.n, seed);
    printf("%-30s %8s %12s %12s %12s %12s\n", "operation (ms)", "samples", "median", "min", "max",
           "mean");
    for (int o = 0; o < N_OPS; o++) {
        char name[64];
        if (o == OP_BATCH) snprintf(name, sizeof name, "%s[%zu]", rows[o].name, in.n);
        else snprintf(name, sizeof name, "%s", rows[o].name);
        printf("%-30s %8zu %12.4f %12.4f %12.4f %12.4f\n", name, rows[o].n, rows[o].median,
               rows[o].min, rows[o].max, rows[o].mean);
    }
    if (json && write_json(json, rows, N_OPS, seed, batch, threads, table_window, table_embedded) != 0) goto out;
    rc = 0;
out:
    kzg_ctx_free(ctx);
    inputs_free(&in);
    free(samples);
    free(scratch);
    return rc;
}
