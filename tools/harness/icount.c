/* tools/harness/icount.c — see icount.h. */
#define _GNU_SOURCE
#include "icount.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__linux__)
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#define HAVE_PERF 1
#endif

/* HARNESS_NO_CALLGRIND: build as if the header were missing (to test that path). */
#if defined(__has_include) && !defined(HARNESS_NO_CALLGRIND)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define HAVE_CALLGRIND 1
#endif
#endif

#define TAG_PREFIX "kzgkit-icount:"

const char *harness_counter_str(harness_counter c) {
    switch (c) {
    case HARNESS_COUNTER_PERF: return "perf";
    case HARNESS_COUNTER_CALLGRIND: return "callgrind";
    default: return "auto";
    }
}

bool harness_callgrind_built(void) {
#ifdef HAVE_CALLGRIND
    return true;
#else
    return false;
#endif
}

bool harness_under_valgrind(void) {
#ifdef HAVE_CALLGRIND
    return RUNNING_ON_VALGRIND != 0;
#else
    return false;
#endif
}

/* ---- perf ------------------------------------------------------------------------------ */

int harness_perf_open(harness_perf *p, char *err, size_t cap) {
    p->fd = -1;
#ifdef HAVE_PERF
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.type = PERF_TYPE_HARDWARE;
    a.config = PERF_COUNT_HW_INSTRUCTIONS;
    a.disabled = 1;
    a.exclude_kernel = 1; /* user space only: system calls and interrupts vary run to run */
    a.exclude_hv = 1;
    a.inherit = 1; /* threads created after this point (a pool started later) count too */
    long fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
    if (fd < 0) {
        snprintf(err, cap, "perf_event_open(instructions): %s", strerror(errno));
        return -1;
    }
    p->fd = (int)fd;
    return 0;
#else
    snprintf(err, cap, "perf_event_open is Linux only");
    return -1;
#endif
}

void harness_perf_start(harness_perf *p) {
#ifdef HAVE_PERF
    ioctl(p->fd, PERF_EVENT_IOC_RESET, 0);
    ioctl(p->fd, PERF_EVENT_IOC_ENABLE, 0);
#else
    (void)p;
#endif
}

uint64_t harness_perf_stop(harness_perf *p) {
#ifdef HAVE_PERF
    ioctl(p->fd, PERF_EVENT_IOC_DISABLE, 0);
    uint64_t v = 0;
    if (read(p->fd, &v, sizeof v) != (ssize_t)sizeof v) return 0;
    return v;
#else
    (void)p;
    return 0;
#endif
}

void harness_perf_close(harness_perf *p) {
    if (p->fd >= 0) close(p->fd);
    p->fd = -1;
}

bool harness_perf_available(char *why, size_t cap) {
    harness_perf p;
    if (harness_perf_open(&p, why, cap) != 0) return false;
    harness_perf_start(&p);
    volatile uint64_t x = 0;
    for (int i = 0; i < 1000; i++) x += (uint64_t)i;
    uint64_t n = harness_perf_stop(&p);
    (void)x;
    harness_perf_close(&p);
    if (n < 1000) { /* opened but does not count (some hypervisors): not usable */
        snprintf(why, cap, "the hardware instruction counter opens but counts %llu for a "
                           "1000-iteration loop", (unsigned long long)n);
        return false;
    }
    return true;
}

/* ---- callgrind: the child's side ----------------------------------------------------- */

void harness_cg_tag(char *buf, size_t cap, size_t index, size_t sample) {
    snprintf(buf, cap, TAG_PREFIX "%zu:%zu", index, sample);
}

void harness_cg_begin(void) {
#ifdef HAVE_CALLGRIND
    CALLGRIND_ZERO_STATS;
#endif
}

void harness_cg_end(const char *tag) {
#ifdef HAVE_CALLGRIND
    CALLGRIND_DUMP_STATS_AT(tag);
#else
    (void)tag;
#endif
}

/* ---- callgrind: the parent's side ------------------------------------------------------- */

int harness_cg_spawn(const char *dir, bool cache_sim, char *const *args, size_t n_args,
                     char *err, size_t cap) {
    char out_opt[1200], log[1100];
    snprintf(out_opt, sizeof out_opt, "--callgrind-out-file=%s/cg.out", dir);
    snprintf(log, sizeof log, "%s/child.log", dir);
    const char *fixed[] = {"valgrind", "--tool=callgrind", "--quiet", "--collect-atstart=yes",
                           "--instr-atstart=yes", cache_sim ? "--cache-sim=yes" : "--cache-sim=no",
                           out_opt};
    size_t nf = sizeof fixed / sizeof fixed[0];
    char **argv = calloc(nf + n_args + 1, sizeof *argv);
    if (!argv) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < nf; i++) argv[i] = (char *)fixed[i];
    for (size_t i = 0; i < n_args; i++) argv[nf + i] = args[i];
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, cap, "fork: %s", strerror(errno));
        free(argv);
        return -1;
    }
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
        }
        execvp("valgrind", argv);
        fprintf(stderr, "cannot run valgrind: %s\n", strerror(errno));
        _exit(127);
    }
    free(argv);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            snprintf(err, cap, "waitpid: %s", strerror(errno));
            return -1;
        }
    if (WIFSIGNALED(st)) {
        snprintf(err, cap, "valgrind died of signal %d (log: %s)", WTERMSIG(st), log);
        return -1;
    }
    return WEXITSTATUS(st);
}

typedef struct dump {
    size_t index, sample;
    double ev[9]; /* Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw, as named by "events:" */
    bool have[9];
} dump;

static const char *const EVENT_NAMES[9] = {"Ir",   "Dr",   "Dw",   "I1mr", "D1mr",
                                           "D1mw", "ILmr", "DLmr", "DLmw"};

/* One dump file: the tag from "desc: Trigger: Client Request: TAG", the event names from
 * "events:", the totals from "summary:" (or "totals:"). 0, or −1 when it is not ours. */
static int read_dump(const char *path, dump *d) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    memset(d, 0, sizeof *d);
    char line[4096];
    int ev_map[16];
    size_t n_ev = 0;
    bool tagged = false, summed = false;
    while (fgets(line, sizeof line, f)) {
        const char *req = "desc: Trigger: Client Request: " TAG_PREFIX;
        if (strncmp(line, req, strlen(req)) == 0) {
            tagged = sscanf(line + strlen(req), "%zu:%zu", &d->index, &d->sample) == 2;
        } else if (strncmp(line, "events:", 7) == 0) {
            char *save = NULL;
            for (char *t = strtok_r(line + 7, " \t\n", &save); t && n_ev < 16;
                 t = strtok_r(NULL, " \t\n", &save)) {
                ev_map[n_ev] = -1;
                for (int k = 0; k < 9; k++)
                    if (strcmp(t, EVENT_NAMES[k]) == 0) ev_map[n_ev] = k;
                n_ev++;
            }
        } else if (!summed && (strncmp(line, "summary:", 8) == 0 || strncmp(line, "totals:", 7) == 0)) {
            char *p = strchr(line, ':') + 1;
            for (size_t k = 0; k < n_ev; k++) /* trailing zeros are left out of the line */
                if (ev_map[k] >= 0) d->have[ev_map[k]] = true;
            for (size_t k = 0; k < n_ev; k++) {
                char *end;
                double v = strtod(p, &end);
                if (end == p) break;
                p = end;
                if (ev_map[k] >= 0) {
                    d->ev[ev_map[k]] = v;
                    d->have[ev_map[k]] = true;
                }
            }
            summed = true;
        }
    }
    fclose(f);
    return tagged && summed && d->have[0] ? 0 : -1;
}

int harness_cg_collect(const char *dir, harness_results *r, char *err, size_t cap) {
    DIR *dh = opendir(dir);
    if (!dh) {
        snprintf(err, cap, "%s: %s", dir, strerror(errno));
        return -1;
    }
    /* Per result: how many of its samples were found, and the sums for the cache figures. */
    size_t *found = calloc(r->n ? r->n : 1, sizeof *found);
    double (*sum)[3] = calloc(r->n ? r->n : 1, sizeof *sum);
    bool *cache = calloc(r->n ? r->n : 1, sizeof *cache);
    if (!found || !sum || !cache) {
        closedir(dh);
        free(found);
        free(sum);
        free(cache);
        snprintf(err, cap, "out of memory");
        return -1;
    }
    struct dirent *e;
    char path[2048];
    while ((e = readdir(dh)) != NULL) {
        if (strncmp(e->d_name, "cg.out", 6) != 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        dump d;
        if (read_dump(path, &d) != 0 || d.index >= r->n) continue;
        harness_result *res = &r->items[d.index];
        if (res->error[0] || d.sample >= res->n_samples || res->iters_per_sample == 0) continue;
        double it = (double)res->iters_per_sample;
        res->samples_ns[d.sample] = d.ev[0] / it;
        found[d.index]++;
        bool all = true;
        for (int k = 3; k < 9; k++) all = all && d.have[k];
        if (all) {
            double l1 = d.ev[3] + d.ev[4] + d.ev[5], ll = d.ev[6] + d.ev[7] + d.ev[8];
            sum[d.index][0] += l1 / it;
            sum[d.index][1] += ll / it;
            sum[d.index][2] += (d.ev[0] + 10 * l1 + 100 * ll) / it;
            cache[d.index] = true;
        }
    }
    closedir(dh);
    for (size_t i = 0; i < r->n; i++) {
        harness_result *res = &r->items[i];
        if (res->error[0]) continue;
        if (found[i] != res->n_samples) {
            snprintf(res->error, sizeof res->error,
                     "callgrind wrote %zu of %zu dumps for this case", found[i], res->n_samples);
            free(res->samples_ns);
            res->samples_ns = NULL;
            res->n_samples = 0;
            continue;
        }
        if (cache[i]) {
            double n = (double)res->n_samples;
            res->l1_misses = sum[i][0] / n;
            res->ll_misses = sum[i][1] / n;
            res->est_cycles = sum[i][2] / n;
        }
    }
    free(found);
    free(sum);
    free(cache);
    return 0;
}

void harness_cg_cleanup(const char *dir) {
    DIR *dh = opendir(dir);
    if (dh) {
        struct dirent *e;
        char path[2048];
        while ((e = readdir(dh)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(dh);
    }
    rmdir(dir);
}
