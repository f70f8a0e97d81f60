/*
 * test_table_cache_kill — the table cache file survives `kill -9` at any moment (issue 15
 * §4): a child process rewrites the cache over and over (alternating two point sets, so
 * that every open rebuilds and saves), the parent kills it with SIGKILL after a random
 * delay, then checks the file it finds: absent, or a complete table of one of the two sets
 * (it loads as such); never torn. Repeated ROUNDS times (fewer under KZGKIT_TEST_SCALE).
 */
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "msm/msm.h"
#include "testrand.h"

enum { N = 256, C = 8, ROUNDS = 120 }; /* a writer that wrote in place was caught ~8 % of kills */
static g1_aff_t set_a[N], set_b[N];
static char path[256], copy_path[300];

static void rand_points(g1_aff_t *p) {
    g1_t g, q;
    g1_from_aff(&g, &G1_GENERATOR_AFF);
    for (size_t i = 0; i < N; i++) {
        uint64_t k[4] = {testrand_u64(), testrand_u64(), testrand_u64(), testrand_u64() >> 2};
        g1_mul_raw_var(&q, &g, k, 4);
        g1_to_aff(&p[i], &q);
    }
}

/* The child: rewrite the cache until killed. */
static void writer(void) {
    for (unsigned i = 0;; i++) {
        msm_table *t = NULL;
        if (msm_table_new(&t, (i & 1) ? set_b : set_a, N, C, path, 1, NULL, NULL) != KZG_OK) _exit(3);
        msm_table_free(t);
    }
}

static bool copy_file(const char *from, const char *to) {
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    char buf[65536];
    size_t n;
    bool ok = a && b;
    while (ok && (n = fread(buf, 1, sizeof buf, a)) > 0) ok = fwrite(buf, 1, n, b) == n;
    if (a) fclose(a);
    if (b && fclose(b) != 0) ok = false;
    return ok;
}

/* true when the file at `path` loads (from a copy, so that a failed load's rewrite does not
 * touch the evidence) as the table of `set`. */
static bool holds(const g1_aff_t *set) {
    msm_table *t = NULL;
    if (!copy_file(path, copy_path)) return false;
    bool ok = msm_table_new(&t, set, N, C, copy_path, 1, NULL, NULL) == KZG_OK &&
              msm_table_last_origin() == MSM_TABLE_LOADED;
    msm_table_free(t);
    return ok;
}

/* The killed writers' temporaries in `dir`; with `backdate`, their mtime is set two
 * minutes back (the sweep keeps younger ones: files.c). */
static long count_temps(const char *dir, bool backdate) {
    DIR *d = opendir(dir);
    long n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "table.bin.tmp.", 14) != 0) continue;
        n++;
        if (!backdate) continue;
        char p[600];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct timeval tv[2];
        gettimeofday(&tv[0], NULL);
        tv[0].tv_sec -= 120;
        tv[1] = tv[0];
        utimes(p, tv);
    }
    if (d) closedir(d);
    return n;
}

int main(void) {
    testrand_init("test_table_cache_kill");
    rand_points(set_a);
    rand_points(set_b);
    snprintf(path, sizeof path, "/tmp/kzgkit-test-kill-%ld/table.bin", (long)getpid());
    snprintf(copy_path, sizeof copy_path, "%s.copy", path);
    char dir[256];
    snprintf(dir, sizeof dir, "/tmp/kzgkit-test-kill-%ld", (long)getpid());
    CHECK(mkdir(dir, 0700) == 0, "mkdir %s", dir);
    /* How long one rewrite takes here, to spread the kills over several of them. */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    msm_table *t = NULL;
    CHECK(msm_table_new(&t, set_a, N, C, path, 1, NULL, NULL) == KZG_OK, "first build");
    msm_table_free(t);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long one_us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
    long rounds = test_iters(ROUNDS), absent = 0, as_a = 0, as_b = 0;
    for (long r = 0; r < rounds; r++) {
        pid_t pid = fork();
        if (pid == 0) writer();
        CHECK(pid > 0, "fork");
        if (pid <= 0) break;
        usleep((useconds_t)(testrand_range((uint64_t)(3 * one_us + 1000))));
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "round %ld: the writer ended by itself", r);
        struct stat st;
        if (stat(path, &st) != 0) {
            absent++;
            continue;
        }
        if (holds(set_a)) as_a++;
        else if (holds(set_b)) as_b++;
        else CHECK(false, "round %ld: the cache file (%lld bytes) is neither table: torn", r, (long long)st.st_size);
    }
    printf("  %ld kills (one rewrite takes %ld us): the file held table A %ld times, B %ld, absent %ld\n",
           rounds, one_us, as_a, as_b, absent);
    /* Killed writers leave temporaries beside the file (never at the path itself); the next
     * save sweeps those that are a minute old (backdated here) — both sets are saved once
     * more, so at least one save happens whatever the file holds. */
    long left = count_temps(dir, true);
    for (int k = 0; k < 2; k++) {
        CHECK(msm_table_new(&t, k ? set_a : set_b, N, C, path, 1, NULL, NULL) == KZG_OK, "resave");
        msm_table_free(t);
    }
    CHECK(count_temps(dir, false) == 0, "%ld temporaries of killed writers not swept", count_temps(dir, false));
    printf("  %ld temporaries left by the kills, swept by the next save\n", left);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0, "cleanup");
    return test_report();
}
