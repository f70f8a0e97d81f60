/*
 * bench/bench_eip7594.c — the EIP-7594 functions, timed (public API only).
 *
 * Two modes.
 *
 * The table (the default): a deterministic random blob (splitmix64); its cells, proofs and
 * commitment are computed before any timing, as is the context's FK20 table
 * (kzg_eip7594_precompute), so that only the operation itself is timed. Each operation runs
 * once untimed (warm-up), then N times; the table shows the median, minimum and maximum wall
 * time in milliseconds, and the median process CPU time (on a machine shared with other
 * work, the CPU time of a one-thread run is the better estimate of its unloaded wall time).
 * Every result is checked.
 *
 *   bench_eip7594 [--iters N] [--threads N] [--table-bits C]
 *
 * --table-bits C: kzg_eip7594_precompute's fixed-base table knob (0 = none, the default).
 *
 * For bench/peers (--json FILE): --blobs blobs from --seed, drawn exactly as bench_eip4844
 * draws them (bench_rng.h; a z follows each blob), so both suites of bench/peers see the
 * same blobs. In order, on one fresh context:
 *   setup_load                     kzg_ctx_new, and kzg_eip7594_precompute(C) when C > 0
 *                                  (with C = 0 the FK20 data is built by the first call);
 *   first_cells_and_kzg_proofs     the first compute_cells_and_kzg_proofs, of blob 0;
 * then, after the other blobs' commitments, cells and proofs (untimed), warm-up + N samples
 * of compute_cells_and_kzg_proofs (blob k mod n), verify_cell_kzg_proof_batch of blob k's
 * 128 cells, of all n×128 cells, and recover_cells_and_kzg_proofs from blob k's even-indexed
 * 64 cells. Every result is checked. --json FILE gets every sample; --dump FILE writes the
 * inputs and our outputs, and --inputs FILE reads such a file instead of drawing the blobs
 * (every result, the first included, must then equal the file's). Dump format: "KZGKIT71",
 * u32 count, u32 seed (little-endian), then count records of
 * blob (131072) | commitment (48) | 128 cells (128 × 2048) | 128 proofs (128 × 48).
 *
 *   bench_eip7594 --json FILE [--blobs N] [--seed S] [--iters N] [--threads N]
 *                 [--table-bits C] [--dump FILE | --inputs FILE]
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kzgkit.h"
#include "bench_rng.h"

#define CELLS KZG_CELLS_PER_EXT_BLOB

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *t, int n) {
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* t: wall times, c: CPU times. */
static void report(const char *name, double *t, double *c, int n) {
    double med = median(t, n), cmed = median(c, n);
    printf("%-44s median %9.3f ms   min %9.3f   max %9.3f   cpu %9.3f   (n = %d)\n", name, med, t[0],
           t[n - 1], cmed, n);
}

#define CHECK_OK(call)                                                                          \
    do {                                                                                        \
        kzg_status st_ = (call);                                                                \
        if (st_ != KZG_OK) {                                                                    \
            fprintf(stderr, "%s: %s (%s)\n", #call, kzg_status_str(st_), kzg_last_error());     \
            goto out;                                                                           \
        }                                                                                       \
    } while (0)

/* The table mode (see the top of the file). */
static int run_table(int iters, uint32_t threads, unsigned table_bits) {
    int rc = 1;
    kzg_ctx *ctx = NULL;
    kzg_ctx_options opt;
    memset(&opt, 0, sizeof opt);
    opt.struct_size = sizeof opt;
    opt.threads = threads;
    kzg_blob *blob = malloc(sizeof *blob);
    kzg_cell *cells = malloc(CELLS * sizeof *cells), *out_cells = malloc(CELLS * sizeof *cells);
    kzg_cell *half = malloc(CELLS / 2 * sizeof *half);
    kzg_proof proofs[CELLS], out_proofs[CELLS], half_proofs[CELLS / 2];
    kzg_commitment commitments[CELLS], c;
    uint64_t idx[CELLS], half_idx[CELLS / 2];
    double *t = calloc((size_t)iters, sizeof *t), *ct = calloc((size_t)iters, sizeof *ct), t0, c0;
    bool ok;
    if (!blob || !cells || !out_cells || !half || !t || !ct) goto out;

    uint64_t seed = 7594;
    for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) {
        for (int w = 0; w < 4; w++) {
            uint64_t v = splitmix64(&seed);
            for (int b = 0; b < 8; b++) blob->bytes[32 * i + 8 * w + b] = (uint8_t)(v >> (56 - 8 * b));
        }
        blob->bytes[32 * i] &= 0x3f;
    }
    t0 = now_ms();
    CHECK_OK(kzg_ctx_new(&ctx, &opt));
    printf("context creation                             %9.3f ms\n", now_ms() - t0);
    t0 = now_ms();
    CHECK_OK(kzg_eip7594_precompute(ctx, table_bits));
    printf("FK20 tables, table_bits = %-2u (once per ctx)  %9.3f ms\n", table_bits, now_ms() - t0);
    CHECK_OK(kzg_blob_to_kzg_commitment(ctx, &c, blob));
    CHECK_OK(kzg_compute_cells_and_kzg_proofs(ctx, cells, proofs, blob));
    for (size_t i = 0; i < CELLS; i++) commitments[i] = c, idx[i] = i;
    /* every other cell: half missing */
    for (size_t i = 0; i < CELLS / 2; i++) {
        half_idx[i] = 2 * i + 1;
        half[i] = cells[2 * i + 1];
        half_proofs[i] = proofs[2 * i + 1];
    }

    for (int i = -1; i < iters; i++) {
        t0 = now_ms();
        c0 = cpu_ms();
        CHECK_OK(kzg_compute_cells(ctx, out_cells, blob));
        if (i >= 0) t[i] = now_ms() - t0, ct[i] = cpu_ms() - c0;
    }
    if (memcmp(out_cells, cells, CELLS * sizeof *cells) != 0) goto mismatch;
    report("compute_cells", t, ct, iters);

    for (int i = -1; i < iters; i++) {
        t0 = now_ms();
        c0 = cpu_ms();
        CHECK_OK(kzg_compute_cells_and_kzg_proofs(ctx, out_cells, out_proofs, blob));
        if (i >= 0) t[i] = now_ms() - t0, ct[i] = cpu_ms() - c0;
    }
    if (memcmp(out_proofs, proofs, sizeof proofs) != 0) goto mismatch;
    report("compute_cells_and_kzg_proofs", t, ct, iters);

    for (int i = -1; i < iters; i++) {
        t0 = now_ms();
        c0 = cpu_ms();
        CHECK_OK(kzg_verify_cell_kzg_proof_batch(ctx, &ok, commitments, idx, cells, proofs, CELLS));
        if (i >= 0) t[i] = now_ms() - t0, ct[i] = cpu_ms() - c0;
        if (!ok) goto mismatch;
    }
    report("verify_cell_kzg_proof_batch (128 cells)", t, ct, iters);

    for (int i = -1; i < iters; i++) {
        t0 = now_ms();
        c0 = cpu_ms();
        CHECK_OK(kzg_verify_cell_kzg_proof_batch(ctx, &ok, commitments, half_idx, half, half_proofs, CELLS / 2));
        if (i >= 0) t[i] = now_ms() - t0, ct[i] = cpu_ms() - c0;
        if (!ok) goto mismatch;
    }
    report("verify_cell_kzg_proof_batch (64 cells)", t, ct, iters);

    for (int i = -1; i < iters; i++) {
        t0 = now_ms();
        c0 = cpu_ms();
        CHECK_OK(kzg_recover_cells_and_kzg_proofs(ctx, out_cells, out_proofs, half_idx, half, CELLS / 2));
        if (i >= 0) t[i] = now_ms() - t0, ct[i] = cpu_ms() - c0;
    }
    if (memcmp(out_cells, cells, CELLS * sizeof *cells) != 0 || memcmp(out_proofs, proofs, sizeof proofs) != 0)
        goto mismatch;
    report("recover_cells_and_kzg_proofs (half missing)", t, ct, iters);

    for (int i = -1; i < iters; i++) {
        t0 = now_ms();
        c0 = cpu_ms();
        CHECK_OK(kzg_recover_cells(ctx, out_cells, half_idx, half, CELLS / 2));
        if (i >= 0) t[i] = now_ms() - t0, ct[i] = cpu_ms() - c0;
    }
    if (memcmp(out_cells, cells, CELLS * sizeof *cells) != 0) goto mismatch;
    report("recover_cells (half missing)", t, ct, iters);
    rc = 0;
    goto out;
mismatch:
    fprintf(stderr, "bench_eip7594: a result does not match\n");
out:
    kzg_ctx_free(ctx);
    free(blob);
    free(cells);
    free(out_cells);
    free(half);
    free(t);
    free(ct);
    return rc;
}

/* ---- the bench/peers mode ------------------------------------------------------------ */

typedef struct cell_inputs {
    size_t n;
    uint32_t seed;
    kzg_blob *blobs;
    kzg_commitment *commitments;
    kzg_cell *cells;   /* n × 128: blob b's cell i at b * CELLS + i */
    kzg_proof *proofs; /* likewise */
} cell_inputs;

static bool cell_inputs_alloc(cell_inputs *in, size_t n) {
    in->n = n;
    in->blobs = malloc(n * sizeof *in->blobs);
    in->commitments = malloc(n * sizeof *in->commitments);
    in->cells = malloc(n * CELLS * sizeof *in->cells);
    in->proofs = malloc(n * CELLS * sizeof *in->proofs);
    return in->blobs && in->commitments && in->cells && in->proofs;
}

static void cell_inputs_free(cell_inputs *in) {
    free(in->blobs);
    free(in->commitments);
    free(in->cells);
    free(in->proofs);
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

static int fail(const char *what, kzg_status st) {
    fprintf(stderr, "bench_eip7594: %s: %s: %s\n", what, kzg_status_str(st), kzg_last_error());
    return 1;
}

/* One record's parts, in the dump's order. */
static size_t record_parts(const cell_inputs *in, size_t b, uint8_t **p, size_t *len) {
    p[0] = in->blobs[b].bytes, len[0] = sizeof in->blobs[b];
    p[1] = in->commitments[b].bytes, len[1] = sizeof in->commitments[b];
    p[2] = in->cells[b * CELLS].bytes, len[2] = CELLS * sizeof *in->cells;
    p[3] = in->proofs[b * CELLS].bytes, len[3] = CELLS * sizeof *in->proofs;
    return 4;
}

static int dump_cells(const char *path, const cell_inputs *in) {
    FILE *f = fopen(path, "wb");
    uint8_t hdr[16] = {'K', 'Z', 'G', 'K', 'I', 'T', '7', '1'};
    bool ok;
    if (!f) {
        perror(path);
        return 1;
    }
    for (int i = 0; i < 4; i++) {
        hdr[8 + i] = (uint8_t)(in->n >> (8 * i));
        hdr[12 + i] = (uint8_t)(in->seed >> (8 * i));
    }
    ok = fwrite(hdr, 1, sizeof hdr, f) == sizeof hdr;
    for (size_t b = 0; ok && b < in->n; b++) {
        uint8_t *p[4];
        size_t len[4], k = record_parts(in, b, p, len);
        for (size_t j = 0; ok && j < k; j++) ok = fwrite(p[j], 1, len[j], f) == len[j];
    }
    if (fclose(f) != 0) ok = false;
    if (!ok) {
        fprintf(stderr, "bench_eip7594: cannot write %s\n", path);
        return 1;
    }
    return 0;
}

/* Reads a --dump file into *in (allocated here; cell_inputs_free releases it). */
static int load_cells(const char *path, cell_inputs *in) {
    FILE *f = fopen(path, "rb");
    uint8_t hdr[16];
    uint32_t n = 0;
    bool ok;
    if (!f) {
        perror(path);
        return 1;
    }
    ok = fread(hdr, 1, sizeof hdr, f) == sizeof hdr && memcmp(hdr, "KZGKIT71", 8) == 0;
    for (int i = 0; ok && i < 4; i++) n |= (uint32_t)hdr[8 + i] << (8 * i);
    if (!ok || n < 1 || n > 64) {
        fprintf(stderr, "bench_eip7594: %s: not a --dump file of 1..64 blobs\n", path);
        fclose(f);
        return 1;
    }
    in->seed = 0;
    for (int i = 0; i < 4; i++) in->seed |= (uint32_t)hdr[12 + i] << (8 * i);
    if (!cell_inputs_alloc(in, n)) {
        fprintf(stderr, "bench_eip7594: out of memory\n");
        fclose(f);
        return 1;
    }
    for (size_t b = 0; ok && b < in->n; b++) {
        uint8_t *p[4];
        size_t len[4], k = record_parts(in, b, p, len);
        for (size_t j = 0; ok && j < k; j++) ok = fread(p[j], 1, len[j], f) == len[j];
    }
    if (ok && fgetc(f) != EOF) ok = false;
    fclose(f);
    if (!ok) {
        fprintf(stderr, "bench_eip7594: %s: truncated or trailing bytes (%u records)\n", path,
                (unsigned)n);
        return 1;
    }
    return 0;
}

enum { PO_SETUP, PO_FIRST, PO_CELLS, PO_VERIFY_BLOB, PO_VERIFY_ALL, PO_RECOVER, N_PO };
static const char *const po_names[N_PO] = {
    "setup_load",        "first_cells_and_kzg_proofs",      "compute_cells_and_kzg_proofs",
    "verify_cell_kzg_proof_batch_blob", "verify_cell_kzg_proof_batch_all",
    "recover_cells_and_kzg_proofs",
};

static int write_peer_json(const char *path, double *const *v, const size_t *n, size_t blobs,
                           unsigned long seed, unsigned long threads, unsigned long table_bits) {
    FILE *f = fopen(path, "w");
    bool ok;
    if (!f) {
        perror(path);
        return 1;
    }
    fprintf(f, "{\n  \"library\": \"kzgkit\",\n  \"version\": \"%s\",\n  \"backend\": \"%s\",\n",
            kzg_version(), kzg_backend());
    fprintf(f, "  \"seed\": %lu,\n  \"blobs\": %zu,\n  \"threads\": %lu,\n  \"table_bits\": %lu,\n",
            seed, blobs, threads, table_bits);
    fprintf(f, "  \"unit\": \"ms\",\n  \"results\": [\n");
    for (int o = 0; o < N_PO; o++) {
        fprintf(f, "    {\"name\": \"%s\", \"samples_ms\": [", po_names[o]);
        for (size_t k = 0; k < n[o]; k++) fprintf(f, "%s%.6f", k ? ", " : "", v[o][k]);
        fprintf(f, "]}%s\n", o + 1 < N_PO ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
    ok = !ferror(f);
    if (fclose(f) != 0) ok = false;
    if (!ok) {
        fprintf(stderr, "bench_eip7594: cannot write %s\n", path);
        return 1;
    }
    return 0;
}

/* The bench/peers mode (see the top of the file). */
static int run_peers(const char *json, const char *dump, const char *inputs_path,
                     unsigned long blobs, unsigned long seed, unsigned long iters,
                     unsigned long threads, unsigned long table_bits) {
    cell_inputs in, ref; /* ref: what --inputs expects; in: what we compute */
    kzg_ctx *ctx = NULL;
    kzg_ctx_options opt;
    double *v[N_PO] = {NULL}, t0;
    size_t nv[N_PO] = {0};
    uint64_t *idx = NULL, even_idx[CELLS / 2];
    kzg_commitment *commitments = NULL;
    kzg_cell *even = NULL, *out_cells = NULL;
    kzg_proof out_proofs[CELLS];
    size_t total;
    int rc = 1;
    kzg_status st;
    rng r;

    memset(&in, 0, sizeof in);
    memset(&ref, 0, sizeof ref);
    if (inputs_path) {
        if (load_cells(inputs_path, &ref) != 0) goto out;
        blobs = ref.n;
        seed = ref.seed;
    }
    total = blobs * CELLS;
    for (int o = 0; o < N_PO; o++) v[o] = calloc(iters + 1, sizeof *v[o]);
    idx = malloc(total * sizeof *idx);
    commitments = malloc(total * sizeof *commitments);
    even = malloc(CELLS / 2 * sizeof *even);
    out_cells = malloc(CELLS * sizeof *out_cells);
    if (!cell_inputs_alloc(&in, blobs) || !idx || !commitments || !even || !out_cells) {
        fprintf(stderr, "bench_eip7594: out of memory\n");
        goto out;
    }
    for (int o = 0; o < N_PO; o++)
        if (!v[o]) goto out;
    in.seed = (uint32_t)seed;
    if (inputs_path) {
        memcpy(in.blobs, ref.blobs, blobs * sizeof *in.blobs);
    } else {
        /* bench_eip4844's draw: a blob's 4096 elements, then its z (unused here). */
        rng_seed(&r, (uint32_t)seed);
        for (size_t b = 0; b < blobs; b++) {
            uint8_t z[32];
            for (size_t e = 0; e < KZG_FIELD_ELEMENTS_PER_BLOB; e++)
                rng_field_element(&r, in.blobs[b].bytes + 32 * e);
            rng_field_element(&r, z);
        }
    }

    memset(&opt, 0, sizeof opt);
    opt.struct_size = sizeof opt;
    opt.threads = (uint32_t)threads;
    t0 = now_ms();
    if ((st = kzg_ctx_new(&ctx, &opt)) != KZG_OK) { rc = fail("kzg_ctx_new", st); goto out; }
    if (table_bits > 0 && (st = kzg_eip7594_precompute(ctx, (unsigned)table_bits)) != KZG_OK) {
        rc = fail("kzg_eip7594_precompute", st);
        goto out;
    }
    v[PO_SETUP][nv[PO_SETUP]++] = now_ms() - t0;
    t0 = now_ms();
    st = kzg_compute_cells_and_kzg_proofs(ctx, in.cells, in.proofs, &in.blobs[0]);
    v[PO_FIRST][nv[PO_FIRST]++] = now_ms() - t0;
    if (st != KZG_OK) { rc = fail("the first compute_cells_and_kzg_proofs", st); goto out; }

    /* The rest of the inputs, untimed; with --inputs they must be the file's. */
    for (size_t b = 0; b < blobs; b++) {
        if ((st = kzg_blob_to_kzg_commitment(ctx, &in.commitments[b], &in.blobs[b])) != KZG_OK ||
            (b > 0 && (st = kzg_compute_cells_and_kzg_proofs(ctx, &in.cells[b * CELLS],
                                                             &in.proofs[b * CELLS],
                                                             &in.blobs[b])) != KZG_OK)) {
            rc = fail("preparing inputs", st);
            goto out;
        }
    }
    if (inputs_path &&
        (memcmp(in.commitments, ref.commitments, blobs * sizeof *in.commitments) != 0 ||
         memcmp(in.cells, ref.cells, total * sizeof *in.cells) != 0 ||
         memcmp(in.proofs, ref.proofs, total * sizeof *in.proofs) != 0)) {
        fprintf(stderr, "bench_eip7594: our results differ from %s\n", inputs_path);
        goto out;
    }
    if (dump && dump_cells(dump, &in) != 0) goto out;
    for (size_t i = 0; i < total; i++) {
        idx[i] = i % CELLS;
        commitments[i] = in.commitments[i / CELLS];
    }
    for (size_t i = 0; i < CELLS / 2; i++) even_idx[i] = 2 * i;
    fprintf(stderr, "bench_eip7594: %zu blobs (seed %lu), %lu samples per operation\n", in.n,
            seed, iters);

    /* Sample k uses blob k mod n; iteration 0 is the warm-up. */
    for (size_t k = 0; k <= iters; k++) {
        const size_t b = k % blobs;
        double t;
        t0 = now_ms();
        st = kzg_compute_cells_and_kzg_proofs(ctx, out_cells, out_proofs, &in.blobs[b]);
        t = now_ms() - t0;
        if (st != KZG_OK) { rc = fail("compute_cells_and_kzg_proofs", st); goto out; }
        if (memcmp(out_cells, &in.cells[b * CELLS], CELLS * sizeof *out_cells) != 0 ||
            memcmp(out_proofs, &in.proofs[b * CELLS], sizeof out_proofs) != 0)
            goto mismatch;
        if (k > 0) v[PO_CELLS][nv[PO_CELLS]++] = t;
    }
    for (size_t k = 0; k <= iters; k++) {
        const size_t b = k % blobs;
        bool ok = false;
        double t;
        t0 = now_ms();
        st = kzg_verify_cell_kzg_proof_batch(ctx, &ok, commitments + b * CELLS, idx + b * CELLS,
                                             in.cells + b * CELLS, in.proofs + b * CELLS, CELLS);
        t = now_ms() - t0;
        if (st != KZG_OK) { rc = fail("verify_cell_kzg_proof_batch", st); goto out; }
        if (!ok) goto mismatch;
        if (k > 0) v[PO_VERIFY_BLOB][nv[PO_VERIFY_BLOB]++] = t;
    }
    for (size_t k = 0; k <= iters; k++) {
        bool ok = false;
        double t;
        t0 = now_ms();
        st = kzg_verify_cell_kzg_proof_batch(ctx, &ok, commitments, idx, in.cells, in.proofs,
                                             total);
        t = now_ms() - t0;
        if (st != KZG_OK) { rc = fail("verify_cell_kzg_proof_batch (all)", st); goto out; }
        if (!ok) goto mismatch;
        if (k > 0) v[PO_VERIFY_ALL][nv[PO_VERIFY_ALL]++] = t;
    }
    for (size_t k = 0; k <= iters; k++) {
        const size_t b = k % blobs;
        double t;
        for (size_t i = 0; i < CELLS / 2; i++) even[i] = in.cells[b * CELLS + 2 * i];
        t0 = now_ms();
        st = kzg_recover_cells_and_kzg_proofs(ctx, out_cells, out_proofs, even_idx, even,
                                              CELLS / 2);
        t = now_ms() - t0;
        if (st != KZG_OK) { rc = fail("recover_cells_and_kzg_proofs", st); goto out; }
        if (memcmp(out_cells, &in.cells[b * CELLS], CELLS * sizeof *out_cells) != 0 ||
            memcmp(out_proofs, &in.proofs[b * CELLS], sizeof out_proofs) != 0)
            goto mismatch;
        if (k > 0) v[PO_RECOVER][nv[PO_RECOVER]++] = t;
    }

    printf("kzgkit %s EIP-7594 benchmark: backend %s, threads %lu, table bits %lu, blobs %zu, "
           "seed %lu\n",
           kzg_version(), kzg_backend(), threads, table_bits, in.n, seed);
    for (int o = 0; o < N_PO; o++) {
        double *c = malloc(nv[o] * sizeof *c);
        if (!c) goto out;
        memcpy(c, v[o], nv[o] * sizeof *c);
        printf("%-36s %6zu samples, median %10.3f ms\n", po_names[o], nv[o], median(c, (int)nv[o]));
        free(c);
    }
    if (write_peer_json(json, v, nv, in.n, seed, threads, table_bits) != 0) goto out;
    rc = 0;
    goto out;
mismatch:
    fprintf(stderr, "bench_eip7594: a result does not match\n");
out:
    kzg_ctx_free(ctx);
    cell_inputs_free(&in);
    cell_inputs_free(&ref);
    for (int o = 0; o < N_PO; o++) free(v[o]);
    free(idx);
    free(commitments);
    free(even);
    free(out_cells);
    return rc;
}

int main(int argc, char **argv) {
    unsigned long iters = 10, threads = 0, table_bits = 0, blobs = 4, seed = 1;
    const char *json = NULL, *dump = NULL, *inputs_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = true;
        if (strcmp(a, "--iters") == 0) ok = parse_uint(val, 1, 100000, &iters), i++;
        else if (strcmp(a, "--threads") == 0) ok = parse_uint(val, 0, 1024, &threads), i++;
        else if (strcmp(a, "--table-bits") == 0) ok = parse_uint(val, 0, 10, &table_bits), i++;
        else if (strcmp(a, "--blobs") == 0) ok = parse_uint(val, 1, 64, &blobs), i++;
        else if (strcmp(a, "--seed") == 0) ok = parse_uint(val, 0, 0xffffffffUL, &seed), i++;
        else if (strcmp(a, "--json") == 0) ok = (json = val) != NULL, i++;
        else if (strcmp(a, "--dump") == 0) ok = (dump = val) != NULL, i++;
        else if (strcmp(a, "--inputs") == 0) ok = (inputs_path = val) != NULL, i++;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            printf("usage: bench_eip7594 [--iters N] [--threads N] [--table-bits C]\n"
                   "       bench_eip7594 --json FILE [--blobs N] [--seed S] [--iters N] "
                   "[--threads N]\n"
                   "                     [--table-bits C] [--dump FILE | --inputs FILE]\n"
                   "  (the second form is bench/peers's; see the top of bench/bench_eip7594.c)\n");
            return 0;
        } else {
            fprintf(stderr, "bench_eip7594: unknown option '%s' (see --help)\n", a);
            return 2;
        }
        if (!ok) {
            fprintf(stderr, "bench_eip7594: %s: missing or bad value\n", a);
            return 2;
        }
    }
    if (dump && inputs_path) {
        fprintf(stderr, "bench_eip7594: --dump and --inputs exclude each other\n");
        return 2;
    }
    if (!json && (dump || inputs_path)) {
        fprintf(stderr, "bench_eip7594: --dump and --inputs need --json\n");
        return 2;
    }
    if (json) return run_peers(json, dump, inputs_path, blobs, seed, iters, threads, table_bits);
    return run_table((int)iters, (uint32_t)threads, (unsigned)table_bits);
}
