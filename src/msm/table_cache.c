/*
 * msm/table_cache.c — fixed-base table objects: build (parallel over point ranges), and the
 * cache file that saves the build.
 *
 * File format (host byte order; a host of the other endianness sees a wrong version and
 * rebuilds):
 *   header, 64 bytes: "KZGKTAB\0" | u32 format version | u32 window c | u64 n | u64 nwin |
 *                     key: SHA-256("kzgkit msm table" | u32 version | u32 c | u64 n | points)
 *   payload:          n·nwin affine entries, 96 bytes each (Montgomery limbs)
 *   trailer, 32 bytes: SHA-256(header | payload)
 * A file is used only if its size is exact, its header matches the key computed from the
 * points the context really has, its trailer matches, row 0 equals the points, every
 * entry is on the curve and a random sample of entries recomputes (table_spot_check);
 * anything else is reported as stale and the table rebuilt. The hash
 * guards against truncation, corruption and a different setup or window (integrity); it is
 * not a signature, so the cache belongs in a directory only the user can write.
 */
#include <stdio.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "common/files.h"
#include "common/sha256.h"
#include "msm/msm.h"

#define TABLE_FILE_VERSION 1u
#define TABLE_HEADER_BYTES 64
#define TABLE_BUILD_GRAIN 64

static _Thread_local msm_table_origin last_origin;

msm_table_origin msm_table_last_origin(void) { return last_origin; }

typedef struct table_header {
    char magic[8];
    uint32_t version, c;
    uint64_t n, nwin;
    uint8_t key[32];
} table_header;

_Static_assert(sizeof(table_header) == TABLE_HEADER_BYTES, "table header layout");

static bool sha256_parts(uint8_t out[32], const void *a, size_t alen, const void *b, size_t blen) {
    sha256_stream s;
    sha256_begin(&s);
    sha256_add(&s, a, alen);
    sha256_add(&s, b, blen);
    return sha256_end(&s, out, "table cache") == KZG_OK;
}

static bool table_key(table_header *h, const g1_aff_t *points, size_t n, unsigned c) {
    memset(h, 0, sizeof *h);
    memcpy(h->magic, "KZGKTAB", 8);
    h->version = TABLE_FILE_VERSION;
    h->c = c;
    h->n = n;
    h->nwin = msm_table_windows(c);
    uint8_t pre[32] = "kzgkit msm table";
    memcpy(pre + 16, &h->version, 4);
    memcpy(pre + 20, &h->c, 4);
    memcpy(pre + 24, &h->n, 8);
    return sha256_parts(h->key, pre, sizeof pre, points, n * sizeof *points);
}

/* Entries checked by recomputation when a file loads (below). */
#define TABLE_SPOT_CHECKS 64

/* A seed that differs per load (getrandom, else the clock and the pid): which entries are
 * checked must not be predictable from the file. */
static uint64_t spot_seed(void) {
    uint64_t s = 0;
    if (getrandom(&s, sizeof s, GRND_NONBLOCK) != (ssize_t)sizeof s) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        s = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)getpid();
    }
    return s;
}

/* splitmix64 (Steele, Lea, Flood 2014): enough to spread the sample. */
static uint64_t spot_next(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* A hash recomputed over wrong points passes every other check: TABLE_SPOT_CHECKS random
 * entries (i, j >= 1) must be 2^c times their predecessor (i, j - 1). Cost: 64·c doublings
 * (c = 12: 768, well under a millisecond) against a build of n·(nwin - 1)·c. A forged file
 * with a fraction f of wrong entries passes with probability (1 - f)^64. */
static bool table_spot_check(const msm_table *t) {
    if (t->nwin < 2) return true;
    uint64_t seed = spot_seed();
    for (unsigned k = 0; k < TABLE_SPOT_CHECKS; k++) {
        size_t i = (size_t)(spot_next(&seed) % t->n);
        size_t j = 1 + (size_t)(spot_next(&seed) % (t->nwin - 1));
        const g1_aff_t *row = t->entries + i * t->nwin;
        g1_t a, b;
        g1_from_aff(&a, &row[j - 1]);
        for (unsigned d = 0; d < t->c; d++) g1_dbl(&a, &a);
        g1_from_aff(&b, &row[j]);
        if (!g1_eq(&a, &b)) return false;
    }
    return true;
}

/* true when `path` holds exactly the table described by `want`; the entries land in t. */
static bool table_load(msm_table *t, const table_header *want, const g1_aff_t *points,
                       const char *path) {
    size_t payload = t->n * t->nwin * sizeof(g1_aff_t);
    table_header h;
    uint8_t trailer[32], digest[32];
    bool ok = false;
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    if (fseek(f, 0, SEEK_END) != 0) goto out;
    long size = ftell(f);
    if (size < 0 || (unsigned long)size != TABLE_HEADER_BYTES + payload + 32) goto out;
    if (fseek(f, 0, SEEK_SET) != 0) goto out;
    if (fread(&h, sizeof h, 1, f) != 1 || memcmp(&h, want, sizeof h) != 0) goto out;
    if (fread(t->entries, 1, payload, f) != payload || fread(trailer, 1, 32, f) != 32) goto out;
    if (!sha256_parts(digest, &h, sizeof h, t->entries, payload) || memcmp(digest, trailer, 32) != 0)
        goto out;
    for (size_t i = 0; i < t->n; i++) {
        const g1_aff_t *row = t->entries + i * t->nwin;
        if (memcmp(&row[0], &points[i], sizeof *points) != 0) goto out;
        for (size_t j = 0; j < t->nwin; j++)
            if (!g1_aff_is_inf(&row[j]) && !g1_aff_is_on_curve(&row[j])) goto out;
    }
    if (!table_spot_check(t)) goto out;
    ok = true;
out:
    fclose(f);
    return ok;
}

static void table_save(const msm_table *t, const table_header *h, const char *path) {
    size_t payload = t->n * t->nwin * sizeof(g1_aff_t);
    uint8_t trailer[32];
    if (!sha256_parts(trailer, h, sizeof *h, t->entries, payload)) return;
    size_t plen = strlen(path);
    char *tmp = kzg_malloc(plen + 48);
    if (!tmp) return;
    static _Atomic unsigned counter;
    snprintf(tmp, plen + 48, "%s.tmp.%ld.%u", path, (long)getpid(), counter++);
    FILE *f = fopen(tmp, "wb");
    /* Written to a temporary file in the same directory, flushed to the disk, then renamed
     * over the old one: a crash at any moment leaves the old file or the new one. */
    bool ok = f && fwrite(h, sizeof *h, 1, f) == 1 && fwrite(t->entries, 1, payload, f) == payload &&
              fwrite(trailer, 1, 32, f) == 32 && fflush(f) == 0 && fsync(fileno(f)) == 0;
    if (f && fclose(f) != 0) ok = false;
    if (!ok || rename(tmp, path) != 0) remove(tmp);
    else file_sweep_stale_temps(path, FILE_TEMP_MIN_AGE_S); /* killed writers' leftovers */
    kzg_free(tmp);
}

typedef struct build_job {
    msm_table *t;
    const g1_aff_t *points;
    uint8_t *scratch;
    size_t each;
} build_job;

static void build_task(void *arg, size_t begin, size_t end, unsigned thread) {
    build_job *j = arg;
    msm_table_build_range(j->t, j->points, begin, end, j->scratch + (size_t)thread * j->each);
}

kzg_status msm_table_new(msm_table **out, const g1_aff_t *points, size_t n, unsigned c,
                         const char *cache_path, unsigned threads, msm_runner_fn run, void *runner) {
    *out = NULL;
    if (c < MSM_TABLE_MIN_WINDOW || c > MSM_TABLE_MAX_WINDOW)
        return kzg_fail(KZG_ERR_BAD_ARG, "table window %u is outside %d..%d", c, MSM_TABLE_MIN_WINDOW,
                        MSM_TABLE_MAX_WINDOW);
    if (n == 0) return kzg_fail(KZG_ERR_BAD_ARG, "a table needs at least one point");
    if (threads == 0 || !run) threads = 1;
    size_t nwin = msm_table_windows(c);
    if (n > SIZE_MAX / sizeof(g1_aff_t) / nwin)
        return kzg_fail(KZG_ERR_MEMORY, "table of %zu points is too large", n);
    msm_table *t = kzg_malloc(sizeof *t);
    if (!t) return kzg_fail(KZG_ERR_MEMORY, "cannot allocate a table");
    *t = (msm_table){.c = c, .n = n, .nwin = nwin, .entries = kzg_malloc(n * nwin * sizeof(g1_aff_t))};
    if (!t->entries) {
        kzg_free(t);
        return kzg_fail(KZG_ERR_MEMORY, "cannot allocate %zu bytes of fixed-base tables",
                        n * nwin * sizeof(g1_aff_t));
    }
    table_header h;
    bool keyed = cache_path && table_key(&h, points, n, c);
    if (keyed && table_load(t, &h, points, cache_path)) {
        last_origin = MSM_TABLE_LOADED;
        *out = t;
        return KZG_OK;
    }
    size_t each = msm_table_build_scratch_size(c, TABLE_BUILD_GRAIN);
    uint8_t *scratch = kzg_malloc(each * threads);
    if (!scratch) {
        msm_table_free(t);
        return kzg_fail(KZG_ERR_MEMORY, "cannot allocate table build scratch");
    }
    build_job j = {t, points, scratch, each};
    if (threads > 1) run(runner, n, TABLE_BUILD_GRAIN, build_task, &j);
    else build_task(&j, 0, n, 0);
    kzg_free(scratch);
    last_origin = cache_path ? MSM_TABLE_REBUILT : MSM_TABLE_BUILT;
    if (keyed) table_save(t, &h, cache_path);
    *out = t;
    return KZG_OK;
}

void msm_table_free(msm_table *t) {
    if (!t) return;
    if (t->ncopies == 0) kzg_free(t->entries); /* else entries is copies[0] */
    for (unsigned k = 0; k < t->ncopies; k++) kzg_free(t->copies[k]);
    kzg_free(t->copies);
    kzg_free(t->copy_of);
    kzg_free(t);
}
