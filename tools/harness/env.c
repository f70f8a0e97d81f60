/* tools/harness/env.c — see env.h. Linux-specific reads fail soft to "unknown". */
#define _GNU_SOURCE
#include "env.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#ifndef HARNESS_COMPILER
#define HARNESS_COMPILER "unknown"
#endif
#ifndef HARNESS_CFLAGS
#define HARNESS_CFLAGS "unknown"
#endif
#ifndef HARNESS_BUILD_TYPE
#define HARNESS_BUILD_TYPE "unknown"
#endif
#ifndef HARNESS_GIT_REVISION
#define HARNESS_GIT_REVISION "unknown"
#endif

/* Copies with truncation (the fields are for display; a cut value is still useful). */
static void copy_str(char *dst, size_t cap, const char *src) {
    if (cap == 0) return;
    size_t n = src ? strlen(src) : 0;
    if (n >= cap) n = cap - 1;
    if (n) memcpy(dst, src, n);
    dst[n] = 0;
}

static void trim(char *s) {
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1])) s[--n] = 0;
    size_t i = 0;
    while (s[i] && isspace((unsigned char)s[i])) i++;
    if (i) memmove(s, s + i, n - i + 1);
}

/* Reads the first line of a small sysfs/procfs file into buf; 0 on success. */
static int read_line(const char *path, char *buf, size_t cap) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char *ok = fgets(buf, (int)cap, f);
    fclose(f);
    if (!ok) return -1;
    trim(buf);
    return 0;
}

/* Copies src into dst, cutting at the last whole word that fits. */
static void copy_words(char *dst, size_t cap, const char *src) {
    size_t n = strlen(src);
    if (n < cap) {
        memcpy(dst, src, n + 1);
        return;
    }
    size_t cut = cap - 1;
    while (cut > 0 && src[cut] != ' ') cut--;
    memcpy(dst, src, cut);
    dst[cut] = 0;
}

static void read_cpuinfo(harness_env *env) {
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return;
    char line[8192];
    bool have_model = false, have_flags = false;
    while (fgets(line, sizeof line, f) && !(have_model && have_flags)) {
        char *colon = strchr(line, ':');
        if (!colon) continue;
        *colon = 0;
        char *key = line, *val = colon + 1;
        trim(key);
        trim(val);
        if (!have_model && (strcmp(key, "model name") == 0 || strcmp(key, "Model") == 0 ||
                            strcmp(key, "cpu model") == 0)) {
            copy_str(env->cpu_model, sizeof env->cpu_model, val);
            have_model = true;
        } else if (!have_flags && (strcmp(key, "flags") == 0 || strcmp(key, "Features") == 0)) {
            copy_words(env->cpu_flags, sizeof env->cpu_flags, val);
            have_flags = true;
        }
    }
    fclose(f);
}

/* Formats the set bits of `set` as ranges ("0-3,6"); returns the count of set CPUs. */
static int format_cpuset(const cpu_set_t *set, char *buf, size_t cap) {
    int count = 0;
    size_t len = 0;
    buf[0] = 0;
    for (int i = 0; i < CPU_SETSIZE; i++) {
        if (!CPU_ISSET(i, set)) continue;
        int j = i;
        while (j + 1 < CPU_SETSIZE && CPU_ISSET(j + 1, set)) j++;
        count += j - i + 1;
        int w = (i == j) ? snprintf(buf + len, cap - len, "%s%d", len ? "," : "", i)
                         : snprintf(buf + len, cap - len, "%s%d-%d", len ? "," : "", i, j);
        if (w < 0 || (size_t)w >= cap - len) { /* out of room: mark the cut */
            if (cap >= 4) memcpy(buf + cap - 4, "...", 4);
            len = cap - 1;
        } else {
            len += (size_t)w;
        }
        i = j;
    }
    return count;
}

static int first_cpu(const cpu_set_t *set) {
    for (int i = 0; i < CPU_SETSIZE; i++)
        if (CPU_ISSET(i, set)) return i;
    return 0;
}

void harness_env_add_warning(harness_env *env, const char *fmt, ...) {
    if (env->n_warnings >= HARNESS_ENV_MAX_WARNINGS) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(env->warnings[env->n_warnings], sizeof env->warnings[0], fmt, ap);
    va_end(ap);
    env->n_warnings++;
}

void harness_env_assess(harness_env *env) {
    env->n_warnings = 0;
    int cpus = env->cpus_allowed > 0 ? env->cpus_allowed : env->cpus_online;
    if (env->load_avg[0] >= 0 && cpus > 0 && env->load_avg[0] > 0.5 * cpus)
        harness_env_add_warning(env,
                                "load average %.2f is above half of the %d usable CPUs: "
                                "other work competes for the CPU",
                                env->load_avg[0], cpus);
    if (strcmp(env->governor, "unknown") != 0 && strcmp(env->governor, "performance") != 0)
        harness_env_add_warning(env,
                                "CPU frequency governor is '%s', not 'performance': "
                                "frequency scaling adds variance",
                                env->governor);
    if (strcmp(env->turbo, "on") == 0)
        harness_env_add_warning(env, "turbo/boost is on: the clock depends on temperature "
                                     "and on the load of the other cores");
    if (strstr(env->cpu_flags, "hypervisor"))
        harness_env_add_warning(env, "running under a hypervisor: steal time and "
                                     "neighbouring guests add variance");
}

void harness_env_capture(harness_env *env) {
    memset(env, 0, sizeof *env);
    copy_str(env->cpu_model, sizeof env->cpu_model, "unknown");
    copy_str(env->governor, sizeof env->governor, "unknown");
    copy_str(env->turbo, sizeof env->turbo, "unknown");
    copy_str(env->affinity, sizeof env->affinity, "unknown");
    copy_str(env->backend, sizeof env->backend, "unknown");
    copy_str(env->kernel, sizeof env->kernel, "unknown");
    copy_str(env->hostname, sizeof env->hostname, "unknown");
    env->threads = -1;
    env->numa_nodes = -1;
    env->cpus_allowed = -1;
    read_cpuinfo(env);

    long online = sysconf(_SC_NPROCESSORS_ONLN);
    env->cpus_online = online > 0 ? (int)online : -1;

    cpu_set_t set;
    CPU_ZERO(&set);
    int cpu0 = 0;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        env->cpus_allowed = format_cpuset(&set, env->affinity, sizeof env->affinity);
        env->pinned = env->cpus_online > 0 && env->cpus_allowed < env->cpus_online;
        cpu0 = first_cpu(&set);
    }

    char path[128], buf[128];
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", cpu0);
    if (read_line(path, buf, sizeof buf) == 0) copy_str(env->governor, sizeof env->governor, buf);
    if (read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", buf, sizeof buf) == 0)
        copy_str(env->turbo, sizeof env->turbo, strcmp(buf, "1") == 0 ? "off" : "on");
    else if (read_line("/sys/devices/system/cpu/cpufreq/boost", buf, sizeof buf) == 0)
        copy_str(env->turbo, sizeof env->turbo, strcmp(buf, "1") == 0 ? "on" : "off");

    double load[3];
    if (getloadavg(load, 3) == 3) {
        for (int i = 0; i < 3; i++) env->load_avg[i] = load[i];
    } else {
        for (int i = 0; i < 3; i++) env->load_avg[i] = -1;
    }

    copy_str(env->compiler, sizeof env->compiler, HARNESS_COMPILER);
    copy_str(env->cflags, sizeof env->cflags, HARNESS_CFLAGS);
    trim(env->cflags);
    copy_str(env->build_type, sizeof env->build_type, HARNESS_BUILD_TYPE);
    copy_str(env->git_revision, sizeof env->git_revision, HARNESS_GIT_REVISION);
    if (!env->git_revision[0]) copy_str(env->git_revision, sizeof env->git_revision, "unknown");
#ifdef HARNESS_GIT_DIRTY
    env->git_dirty = HARNESS_GIT_DIRTY;
#else
    env->git_dirty = -1;
#endif

    struct utsname u;
    if (uname(&u) == 0) {
        char k[3 * sizeof u.release + 4];
        snprintf(k, sizeof k, "%s %s %s", u.sysname, u.release, u.machine);
        copy_str(env->kernel, sizeof env->kernel, k);
    }
    char host[256];
    if (gethostname(host, sizeof host) == 0) {
        host[sizeof host - 1] = 0;
        copy_str(env->hostname, sizeof env->hostname, host);
    }
    time_t now = time(NULL);
    struct tm tm;
    if (now != (time_t)-1 && gmtime_r(&now, &tm))
        strftime(env->date, sizeof env->date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
        copy_str(env->date, sizeof env->date, "unknown");
    harness_env_assess(env);
}

/* Parses a CPU list ("2", "0,2-3") into *set. 0, or −1 with a one-line reason in err. */
static int parse_cpus(const char *list, cpu_set_t *set, char *err, size_t errlen) {
    CPU_ZERO(set);
    const char *p = list;
    if (!p || !*p) {
        snprintf(err, errlen, "--pin: empty CPU list");
        return -1;
    }
    while (*p) {
        char *end;
        errno = 0;
        long lo = strtol(p, &end, 10), hi;
        if (end == p || errno || lo < 0 || lo >= CPU_SETSIZE) goto bad;
        p = end;
        hi = lo;
        if (*p == '-') {
            p++;
            hi = strtol(p, &end, 10);
            if (end == p || errno || hi < lo || hi >= CPU_SETSIZE) goto bad;
            p = end;
        }
        for (long c = lo; c <= hi; c++) CPU_SET((int)c, set);
        if (*p == ',') {
            p++;
            if (!*p) goto bad;
        } else if (*p) {
            goto bad;
        }
    }
    return 0;
bad:
    snprintf(err, errlen, "--pin: malformed CPU list '%s' (expected e.g. 0,2-3)", list);
    return -1;
}

int harness_pin_cpus(const char *list, char *err, size_t errlen) {
    cpu_set_t set;
    if (parse_cpus(list, &set, err, errlen) != 0) return -1;
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
        snprintf(err, errlen, "--pin %s: sched_setaffinity failed: %s", list, strerror(errno));
        return -1;
    }
    return 0;
}

int harness_pin_all_threads(const char *list, char *err, size_t errlen) {
    cpu_set_t set;
    if (parse_cpus(list, &set, err, errlen) != 0) return -1;
    DIR *d = opendir("/proc/self/task");
    if (!d) return harness_pin_cpus(list, err, errlen); /* no procfs: the calling thread */
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char *end;
        long tid = strtol(e->d_name, &end, 10);
        if (end == e->d_name || *end || tid <= 0) continue;
        /* A thread that exited since the listing is no failure. */
        if (sched_setaffinity((pid_t)tid, sizeof set, &set) != 0 && errno != ESRCH) {
            snprintf(err, errlen, "pin %s: sched_setaffinity(thread %ld) failed: %s", list, tid,
                     strerror(errno));
            rc = -1;
        }
    }
    closedir(d);
    return rc;
}
