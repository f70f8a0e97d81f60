/* test_files — file_sweep_stale_temps removes exactly the temporaries of dead writers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/files.h"
#include "testrand.h"

static char dir[64];

/* A pid that no process has now: a child that has exited and been reaped. */
static long dead_pid(void) {
    pid_t p = fork();
    if (p == 0) _exit(0);
    if (p < 0) return -1;
    waitpid(p, NULL, 0);
    return (long)p;
}

/* Creates DIR/NAME with some bytes and an mtime `age` seconds ago. */
static void make_file(const char *name, long age) {
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL, "cannot create %s", path);
    if (!f) return;
    fputs("partial", f);
    fclose(f);
    struct timeval tv[2];
    gettimeofday(&tv[0], NULL);
    tv[0].tv_sec -= age;
    tv[1] = tv[0];
    CHECK(utimes(path, tv) == 0, "utimes %s", path);
}

static bool exists(const char *name) {
    char path[2048];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return lstat(path, &st) == 0;
}

static void test_sweep__removes_dead_writers_old_temporaries_only(void) {
    long dead = dead_pid(), self = (long)getpid(), parent = (long)getppid();
    CHECK(dead > 0, "fork failed");
    if (dead <= 0) return;
    char n[16][96];
    snprintf(n[0], sizeof n[0], "out.json");                          /* the target */
    snprintf(n[1], sizeof n[1], "out.json.tmp.%ld.3", dead);          /* removed */
    snprintf(n[2], sizeof n[2], "out.json.tmp.%ld", dead);            /* removed (no counter) */
    snprintf(n[3], sizeof n[3], "out.json.tmp.%ld.1", self);          /* this process: kept */
    snprintf(n[4], sizeof n[4], "out.json.tmp.%ld.1", parent);        /* alive: kept */
    snprintf(n[5], sizeof n[5], "out.json.tmp.%ld.2", dead);          /* too young: kept */
    snprintf(n[6], sizeof n[6], "other.json.tmp.%ld.1", dead);        /* another target */
    snprintf(n[7], sizeof n[7], "out.json.tmp.%ld.x", dead);          /* not our pattern */
    snprintf(n[8], sizeof n[8], "out.json.tmp.%ld.", dead);           /* empty counter */
    snprintf(n[9], sizeof n[9], "out.json.tmp.12345678901.1");        /* not a pid */
    snprintf(n[10], sizeof n[10], "out.json.tmpx.%ld", dead);
    snprintf(n[11], sizeof n[11], "xout.json.tmp.%ld.1", dead);       /* base name must match */
    snprintf(n[12], sizeof n[12], "out.json.tmp.0.1");
    snprintf(n[13], sizeof n[13], "out.json.tmp..1");
    snprintf(n[14], sizeof n[14], "out.json.tmp.%ldx", dead);          /* text after the pid */
    long age[15] = {600, 600, 600, 600, 600, 0, 600, 600, 600, 600, 600, 600, 600, 600, 600};
    for (int i = 0; i < 15; i++) make_file(n[i], age[i]);
    /* a directory with a dead writer's name: never removed */
    char sub[160];
    snprintf(sub, sizeof sub, "%s/out.json.tmp.%ld.9", dir, dead);
    CHECK(mkdir(sub, 0700) == 0, "mkdir %s: %s", sub, strerror(errno));

    char target[160];
    snprintf(target, sizeof target, "%s/out.json", dir);
    unsigned removed = file_sweep_stale_temps(target, FILE_TEMP_MIN_AGE_S);
    CHECK(removed == 2, "removed %u, want 2", removed);
    CHECK(!exists(n[1]) && !exists(n[2]), "a dead writer's temporary was left");
    for (int i = 0; i < 15; i++)
        if (i != 1 && i != 2) CHECK(exists(n[i]), "%s was removed", n[i]);
    CHECK(exists(sub + strlen(dir) + 1), "the directory was removed");
    /* a second sweep finds nothing; with age 0 the young one goes too */
    CHECK(file_sweep_stale_temps(target, FILE_TEMP_MIN_AGE_S) == 0, "second sweep removed files");
    CHECK(file_sweep_stale_temps(target, 0) == 1 && !exists(n[5]), "age 0 kept the young one");
    rmdir(sub);
    for (int i = 0; i < 15; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, n[i]);
        remove(path);
    }
}

static void *no_malloc(size_t n, void *u) { (void)n; (void)u; return NULL; }
static void plain_free(void *q, void *u) { (void)u; free(q); }

static void test_sweep__odd_paths_are_harmless(void) {
    CHECK(file_sweep_stale_temps(NULL, 0) == 0, "NULL path");
    CHECK(file_sweep_stale_temps("", 0) == 0, "empty path");
    CHECK(file_sweep_stale_temps("/nonexistent-kzgkit-dir/x.json", 0) == 0, "missing directory");
    char trailing[96];
    snprintf(trailing, sizeof trailing, "%s/", dir);
    CHECK(file_sweep_stale_temps(trailing, 0) == 0, "a directory path");
    /* a bare name sweeps the working directory */
    char cwd[4096];
    CHECK(getcwd(cwd, sizeof cwd) != NULL, "getcwd");
    CHECK(chdir(dir) == 0, "chdir");
    long dead = dead_pid();
    char name[64];
    snprintf(name, sizeof name, "bare.tmp.%ld.0", dead);
    make_file(name, 600);
    CHECK(file_sweep_stale_temps("bare", FILE_TEMP_MIN_AGE_S) == 1 && !exists(name), "bare name");
    CHECK(chdir(cwd) == 0, "chdir back");
    /* A file in "/" sweeps "/" (nothing there has this name); without memory nothing is done. */
    CHECK(file_sweep_stale_temps("/kzgkit-test-no-such-file", 0) == 0, "a file in /");
    make_file(name, 600);
    char in_dir[160];
    snprintf(in_dir, sizeof in_dir, "%s/bare", dir);
    CHECK(kzg_set_allocator(&(kzg_allocator){no_malloc, plain_free, NULL}) == KZG_OK, "allocator");
    unsigned r = file_sweep_stale_temps(in_dir, FILE_TEMP_MIN_AGE_S);
    kzg_set_allocator(NULL);
    CHECK(r == 0 && exists(name), "without memory the sweep must do nothing");
    CHECK(file_sweep_stale_temps(in_dir, FILE_TEMP_MIN_AGE_S) == 1, "and with memory it sweeps");
}

int main(void) {
    testrand_init("test_files");
    snprintf(dir, sizeof dir, "/tmp/kzgkit-files.XXXXXX");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "test_files: mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    test_sweep__removes_dead_writers_old_temporaries_only();
    test_sweep__odd_paths_are_harmless();
    rmdir(dir);
    return test_report();
}
