/*
 * test_msm_table_cache — fixed-base table objects and their cache file: a missing file is
 * built and written; an intact one is loaded (same bytes); a corrupted byte, a truncated or
 * extended file, another window or another point set are detected and rebuilt (and the
 * rebuilt table is right: its MSM matches the variable-base one).
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/sha256.h"
#include "msm/msm.h"
#include "testrand.h"

enum { N = 40 };
static g1_aff_t pts[N];
static msm_scalar sc[N];
static char path[256];

static void rand_point(g1_aff_t *p) {
    uint64_t k[4] = {testrand_u64(), testrand_u64(), testrand_u64(), testrand_u64() >> 2};
    g1_t g, q;
    g1_from_aff(&g, &G1_GENERATOR_AFF);
    g1_mul_raw_var(&q, &g, k, 4);
    g1_to_aff(p, &q);
}

/* New table from the cache; checks the origin and that its MSM is right. */
static msm_table *open_table(const g1_aff_t *p, unsigned c, msm_table_origin want, const char *what) {
    msm_table *t = NULL;
    kzg_status st = msm_table_new(&t, p, N, c, path, 1, NULL, NULL);
    CHECK(st == KZG_OK && t, "%s: msm_table_new failed: %s", what, kzg_last_error());
    if (!t) return NULL;
    CHECK(msm_table_last_origin() == want, "%s: origin %d, want %d", what, (int)msm_table_last_origin(), (int)want);
    g1_t a, b;
    void *s1 = malloc(msm_table_msm_scratch_size(t, 1));
    void *s2 = malloc(g1_msm_raw_scratch_size(N));
    msm_table_msm_var(&a, t, sc, s1, 1, NULL, NULL, 0);
    g1_msm_raw_var(&b, p, sc, N, NULL, s2);
    free(s1);
    free(s2);
    CHECK(g1_eq(&a, &b), "%s: table MSM differs from the variable-base MSM", what);
    return t;
}

static long file_size(void) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void flip_byte(long off) {
    FILE *f = fopen(path, "r+b");
    if (!f) return;
    fseek(f, off, SEEK_SET);
    int c = fgetc(f);
    fseek(f, off, SEEK_SET);
    fputc(c ^ 0x01, f);
    fclose(f);
}

/* Rewrites the cache file as a forger would: every entry j >= 1 of every row replaced by
 * the row's point (on the curve, but not 2^(c·j) times it), and the trailer hash
 * recomputed so that the integrity check passes. */
static void forge_file(unsigned c) {
    size_t nwin = msm_table_windows(c), payload = N * nwin * sizeof(g1_aff_t);
    uint8_t *buf = malloc(64 + payload + 32);
    FILE *f = fopen(path, "r+b");
    CHECK(buf && f && fread(buf, 1, 64 + payload + 32, f) == 64 + payload + 32, "read the cache file");
    if (!buf || !f) {
        if (f) fclose(f);
        free(buf);
        return;
    }
    g1_aff_t *e = (g1_aff_t *)(buf + 64);
    for (size_t i = 0; i < N; i++)
        for (size_t j = 1; j < nwin; j++) e[i * nwin + j] = e[i * nwin];
    sha256_stream h;
    sha256_begin(&h);
    sha256_add(&h, buf, 64 + payload);
    CHECK(sha256_end(&h, buf + 64 + payload, "test") == KZG_OK, "sha256");
    fseek(f, 0, SEEK_SET);
    CHECK(fwrite(buf, 1, 64 + payload + 32, f) == 64 + payload + 32, "write the forged file");
    fclose(f);
    free(buf);
}

static void test_msm_table_cache__lifecycle(void) {
    remove(path);
    msm_table *t = open_table(pts, 6, MSM_TABLE_REBUILT, "no file");
    long size = file_size();
    CHECK(size == 64 + (long)(N * msm_table_windows(6) * sizeof(g1_aff_t)) + 32, "file size %ld", size);
    msm_table *u = open_table(pts, 6, MSM_TABLE_LOADED, "intact file");
    if (t && u)
        CHECK(memcmp(t->entries, u->entries, N * t->nwin * sizeof(g1_aff_t)) == 0,
              "loaded table differs from the built one");
    msm_table_free(u);

    flip_byte(64 + 1000); /* payload */
    msm_table_free(open_table(pts, 6, MSM_TABLE_REBUILT, "corrupt payload byte"));
    msm_table_free(open_table(pts, 6, MSM_TABLE_LOADED, "rewritten after corruption"));
    flip_byte(size - 1); /* trailer */
    msm_table_free(open_table(pts, 6, MSM_TABLE_REBUILT, "corrupt trailer"));
    flip_byte(20); /* header: n */
    msm_table_free(open_table(pts, 6, MSM_TABLE_REBUILT, "corrupt header"));

    CHECK(truncate(path, size - 100) == 0, "truncate");
    msm_table_free(open_table(pts, 6, MSM_TABLE_REBUILT, "truncated file"));
    FILE *f = fopen(path, "ab");
    if (f) {
        fputc(0, f);
        fclose(f);
    }
    msm_table_free(open_table(pts, 6, MSM_TABLE_REBUILT, "file one byte too long"));

    msm_table_free(open_table(pts, 7, MSM_TABLE_REBUILT, "other window"));
    msm_table_free(open_table(pts, 7, MSM_TABLE_LOADED, "other window, again"));
    g1_aff_t other[N];
    memcpy(other, pts, sizeof other);
    rand_point(&other[N / 2]);
    msm_table_free(open_table(other, 7, MSM_TABLE_REBUILT, "other points"));
    /* A forged file with a valid hash: the spot check of the doubling chains rejects it
     * (39 of the 40 rows are wrong in every entry j >= 1: 64 samples miss them with
     * probability (1/40)^64). */
    msm_table_free(open_table(pts, 7, MSM_TABLE_REBUILT, "before forging"));
    forge_file(7);
    msm_table_free(open_table(pts, 7, MSM_TABLE_REBUILT, "forged file with a recomputed hash"));
    msm_table_free(open_table(pts, 7, MSM_TABLE_LOADED, "rebuilt after the forgery"));
    msm_table_free(t);

    /* No path: built, nothing written; a bad window is refused. */
    remove(path);
    msm_table *v = NULL;
    CHECK(msm_table_new(&v, pts, N, 5, NULL, 1, NULL, NULL) == KZG_OK, "build without a cache");
    CHECK(msm_table_last_origin() == MSM_TABLE_BUILT, "origin without a cache");
    CHECK(file_size() < 0, "a file was written without a cache path");
    msm_table_free(v);
    CHECK(msm_table_new(&v, pts, N, 3, NULL, 1, NULL, NULL) == KZG_ERR_BAD_ARG && !v, "window 3 accepted");
    CHECK(msm_table_new(&v, pts, N, 17, NULL, 1, NULL, NULL) == KZG_ERR_BAD_ARG && !v, "window 17 accepted");
    /* A directory where the cache file should be: built, nothing breaks. */
    char dir[300];
    snprintf(dir, sizeof dir, "%s.d", path);
    CHECK(mkdir(dir, 0700) == 0, "mkdir");
    CHECK(msm_table_new(&v, pts, N, 5, dir, 1, NULL, NULL) == KZG_OK && v, "directory as the cache path failed");
    CHECK(msm_table_last_origin() == MSM_TABLE_REBUILT, "directory: origin");
    msm_table_free(v);
    rmdir(dir);
    /* An unwritable cache path is not an error. */
    snprintf(path, sizeof path, "/nonexistent-dir-kzgkit/table.bin");
    CHECK(msm_table_new(&v, pts, N, 5, path, 1, NULL, NULL) == KZG_OK && v, "unwritable cache path failed");
    msm_table_free(v);
}

/* A full disk while the cache is saved (RLIMIT_FSIZE makes write() fail with EFBIG, as a full
 * disk fails with ENOSPC; in a child, so the limit does not outlive the check): the table is
 * still built and right, the old file stays whole, and no temporary is left beside it. */
static void test_msm_table_cache__save_fails_on_a_full_disk(void) {
    snprintf(path, sizeof path, "/tmp/kzgkit-test-table-full-%ld.bin", (long)getpid());
    remove(path);
    msm_table *t = open_table(pts, 6, MSM_TABLE_REBUILT, "first save"); /* REBUILT: built and saved */
    msm_table_free(t);
    long before = file_size();
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {4096, 4096};
        setrlimit(RLIMIT_FSIZE, &rl);
        msm_table *u = NULL;
        /* window 7: another key, so the file is rebuilt and saved again (and fails) */
        kzg_status st = msm_table_new(&u, pts, N, 7, path, 1, NULL, NULL);
        bool right = st == KZG_OK && u && msm_table_last_origin() == MSM_TABLE_REBUILT;
        msm_table_free(u);
        _exit(right ? 0 : 3);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a failed save must still give the table (status %d)", status);
    CHECK(file_size() == before, "the old cache file changed: %ld bytes, was %ld", file_size(), before);
    t = open_table(pts, 6, MSM_TABLE_LOADED, "the old file after the failed save");
    msm_table_free(t);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls '%s'.tmp.* >/dev/null 2>&1", path);
    CHECK(system(cmd) != 0, "a temporary of the failed save was left beside %s", path);
    remove(path);
}

int main(void) {
    testrand_init("test_msm_table_cache");
    for (size_t i = 0; i < N; i++) {
        rand_point(&pts[i]);
        for (int k = 0; k < 4; k++) sc[i].l[k] = testrand_u64();
        sc[i].l[3] >>= 2; /* < 2^254 < r */
    }
    memset(&pts[3], 0, sizeof pts[3]); /* an infinity point */
    snprintf(path, sizeof path, "/tmp/kzgkit-test-table-%ld.bin", (long)getpid());
    test_msm_table_cache__lifecycle();
    test_msm_table_cache__save_fails_on_a_full_disk();
    remove(path);
    return test_report();
}
