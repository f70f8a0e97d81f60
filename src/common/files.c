/*
 * common/files.c — sweeping the temporary files that killed writers leave behind.
 *
 * Every file kzgkit writes is first written to `PATH.tmp.PID[.N]` in the same directory and
 * renamed over PATH (the table cache here; the tools' harness_write_atomic; serve's port
 * file). A writer killed between the two leaves its temporary behind: never read, but it
 * takes disk space, and a writer killed over and over (a crash loop) would fill the
 * directory. After each successful rename the writer calls file_sweep_stale_temps, which
 * removes the temporaries of PATH whose writer is gone.
 *
 * "Gone" is decided conservatively, so that a live writer never loses its temporary:
 * the name must be exactly PATH's base name, ".tmp.", a decimal PID and optionally "." and
 * a decimal counter; the PID must not be this process and kill(PID, 0) must fail with ESRCH
 * (no such process here); and the file must be older than `min_age_s` seconds (a writer
 * on another host sharing the directory over a network file system has a PID that means
 * nothing here: the age keeps its temporary while it is being written). A PID that the
 * system has reused keeps its temporary until a later sweep: a leak of one file, never a
 * loss. Errors (an unreadable directory, a failed unlink) are not reported: the sweep is
 * housekeeping after a write that already succeeded.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "common/files.h"

/* The PID in NAME when NAME is "<base>.tmp.PID" or "<base>.tmp.PID.N"; 0 otherwise. */
static long temp_owner(const char *name, const char *base, size_t base_len) {
    if (strncmp(name, base, base_len) != 0 || strncmp(name + base_len, ".tmp.", 5) != 0) return 0;
    const char *p = name + base_len + 5;
    long pid = 0;
    size_t digits = 0;
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        if (digits == 9) return 0; /* beyond any pid_t a kernel hands out */
        pid = pid * 10 + (*p - '0');
    }
    if (digits == 0 || pid <= 0) return 0;
    if (*p == '.') {
        size_t n = 0;
        for (p++; *p >= '0' && *p <= '9'; p++) n++;
        if (n == 0) return 0;
    }
    return *p == '\0' ? pid : 0;
}

unsigned file_sweep_stale_temps(const char *path, unsigned min_age_s) {
    if (!path || !*path) return 0;
    size_t len = strlen(path);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t base_len = len - (size_t)(base - path);
    if (base_len == 0) return 0;
    /* dir + "/" + the longest name readdir gives + NUL */
    size_t dir_len = slash ? (size_t)(slash - path) : 1;
    char *buf = kzg_malloc(dir_len + 2 + 256);
    if (!buf) return 0;
    if (slash) {
        memcpy(buf, path, dir_len);
        if (dir_len == 0) buf[dir_len++] = '/'; /* a file in "/" */
    } else {
        buf[0] = '.';
    }
    buf[dir_len] = '\0';
    DIR *d = opendir(buf);
    unsigned removed = 0;
    if (!d) goto out;
    long self = (long)getpid();
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long pid = temp_owner(e->d_name, base, base_len);
        if (pid == 0 || pid == self) continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue; /* alive, or not ours to tell */
        snprintf(buf + dir_len, 2 + 256, "/%s", e->d_name);
        struct stat st;
        if (lstat(buf, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        /* min_age_s = 0: any age. (Not now − mtime < 0: time() may read a coarse clock a
         * tick behind the one that stamped the file, so a file just written can look a
         * second younger than now — seen under qemu-user.) */
        if (min_age_s > 0 && now - st.st_mtime < (time_t)min_age_s) continue;
        if (unlink(buf) == 0) removed++;
    }
    closedir(d);
out:
    kzg_free(buf);
    return removed;
}
