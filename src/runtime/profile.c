/*
 * runtime/profile.c — the tuning-profile text format (docs/TUNING.md): parser, writer,
 * machine check.
 *
 * The parser treats the file as untrusted: bounded size, no NUL bytes, every line either
 * blank, a # comment, the header, `key = value` with a known key seen once, or the final
 * `end` line (so that a file cut short is noticed rather than half applied).
 */
#include "runtime/profile.h"

#include <errno.h>
#include <string.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define LINE_MAX_LEN 256

enum { SEEN_CPU = 1, SEEN_BACKEND = 2, SEEN_CPUS = 4, SEEN_DATE = 8, SEEN_THREADS = 16,
       SEEN_TABLE_WINDOW = 32, SEEN_TABLE_MIB = 64, SEEN_TABLE_SPEEDUP = 128, SEEN_BATCH = 256,
       SEEN_BACKEND_PICK = 512 };
#define SEEN_MACHINE (SEEN_CPU | SEEN_BACKEND | SEEN_CPUS | SEEN_DATE)

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* A decimal integer in [lo, hi]: digits only, no sign, no overflow. */
static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out) {
    uint64_t v = 0;
    if (!*s) return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    if (v < lo || v > hi) return false;
    *out = v;
    return true;
}

static bool parse_double(const char *s, double lo, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < lo) return false;
    *out = v;
    return true;
}

/* Copies a string value (printable, shorter than PROFILE_TEXT_LEN). */
static bool copy_text(char *dst, const char *val) {
    size_t n = strlen(val);
    if (n >= PROFILE_TEXT_LEN) return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)val[i] < 0x20 || val[i] == 0x7f) return false;
    memcpy(dst, val, n + 1);
    return true;
}

/* A backend name: 1..PROFILE_NAME_LEN-1 characters of [a-z0-9_-]. */
static bool copy_name(char *dst, const char *val) {
    size_t n = strlen(val);
    if (n == 0 || n >= PROFILE_NAME_LEN) return false;
    for (size_t i = 0; i < n; i++) {
        char c = val[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
    }
    memcpy(dst, val, n + 1);
    return true;
}

/* The version-2 keys backend_pick and backend_ms.NAME. */
static kzg_status parse_backend_pair(profile *p, unsigned *seen, const char *key, const char *val,
                                     size_t line_no) {
    if (strcmp(key, "backend_pick") == 0) {
        if (*seen & SEEN_BACKEND_PICK)
            return kzg_fail(KZG_ERR_SETUP, "profile line %zu: '%s' appears twice", line_no, key);
        *seen |= SEEN_BACKEND_PICK;
        if (!copy_name(p->backend_pick, val))
            return kzg_fail(KZG_ERR_BAD_ARG, "profile line %zu: backend_pick = '%s': expected a "
                            "backend name ([a-z0-9_-], at most %d characters)", line_no, val,
                            PROFILE_NAME_LEN - 1);
        return KZG_OK;
    }
    char name[PROFILE_NAME_LEN];
    if (!copy_name(name, key + 11))
        return kzg_fail(KZG_ERR_BAD_ARG, "profile line %zu: '%s': expected backend_ms.NAME with a "
                        "backend name", line_no, key);
    for (size_t i = 0; i < p->n_backend_ms; i++)
        if (strcmp(p->backend_ms[i].name, name) == 0)
            return kzg_fail(KZG_ERR_SETUP, "profile line %zu: '%s' appears twice", line_no, key);
    if (p->n_backend_ms == PROFILE_MAX_BACKENDS)
        return kzg_fail(KZG_ERR_BAD_ARG, "profile line %zu: more than %d backend_ms keys", line_no,
                        PROFILE_MAX_BACKENDS);
    double ms;
    if (!parse_double(val, 0.0, &ms))
        return kzg_fail(KZG_ERR_BAD_ARG, "profile line %zu: %s = '%s': expected milliseconds",
                        line_no, key, val);
    memcpy(p->backend_ms[p->n_backend_ms].name, name, sizeof name);
    p->backend_ms[p->n_backend_ms++].ms = ms;
    return KZG_OK;
}

/* One `key = value` line (key and val trimmed) of a file of format `version`. */
static kzg_status parse_pair(profile *p, unsigned *seen, const char *key, const char *val,
                             size_t line_no, unsigned version) {
    uint64_t u;
    unsigned bit = 0;
    bool ok = true;
    if (version >= 2 && (strcmp(key, "backend_pick") == 0 || strncmp(key, "backend_ms.", 11) == 0))
        return parse_backend_pair(p, seen, key, val, line_no);
    if (strncmp(key, "msm_window.", 11) == 0) {
        uint64_t n;
        if (!parse_u64(key + 11, (uint64_t)1 << PROFILE_MIN_LOG2, (uint64_t)1 << PROFILE_MAX_LOG2, &n) ||
            (n & (n - 1)) != 0)
            return kzg_fail(KZG_ERR_BAD_ARG, "profile line %zu: '%s': the size must be a power of "
                            "two in 2^%d..2^%d", line_no, key, PROFILE_MIN_LOG2, PROFILE_MAX_LOG2);
        unsigned lg = 0;
        while (((uint64_t)1 << lg) < n) lg++;
        if (p->msm_window[lg])
            return kzg_fail(KZG_ERR_SETUP, "profile line %zu: '%s' appears twice", line_no, key);
        if (!parse_u64(val, 2, 16, &u))
            return kzg_fail(KZG_ERR_BAD_ARG, "profile line %zu: %s = '%s': expected a window in "
                            "2..16", line_no, key, val);
        p->msm_window[lg] = (unsigned)u;
        return KZG_OK;
    }
    if (strcmp(key, "cpu") == 0) bit = SEEN_CPU, ok = copy_text(p->cpu, val);
    else if (strcmp(key, "backend") == 0) bit = SEEN_BACKEND, ok = copy_text(p->backend, val);
    else if (strcmp(key, "date") == 0) bit = SEEN_DATE, ok = copy_text(p->date, val);
    else if (strcmp(key, "cpus") == 0) {
        bit = SEEN_CPUS;
        if ((ok = parse_u64(val, 1, 65536, &u))) p->cpus = (unsigned)u;
    } else if (strcmp(key, "threads") == 0) {
        bit = SEEN_THREADS;
        if ((ok = parse_u64(val, 1, 256, &u))) p->threads = (unsigned)u;
    } else if (strcmp(key, "table_window") == 0) {
        bit = SEEN_TABLE_WINDOW;
        if ((ok = parse_u64(val, 0, 16, &u) && (u <= 1 || u >= 4))) {
            p->table_window = (unsigned)u;
            p->has_table_window = true;
        }
    } else if (strcmp(key, "table_mib") == 0) {
        bit = SEEN_TABLE_MIB;
        ok = parse_double(val, 0.0, &p->table_mib);
    } else if (strcmp(key, "table_speedup") == 0) {
        bit = SEEN_TABLE_SPEEDUP;
        ok = parse_double(val, 0.0, &p->table_speedup);
    } else if (strcmp(key, "batch_threshold") == 0) {
        bit = SEEN_BATCH;
        if ((ok = parse_u64(val, 0, UINT32_MAX, &u))) p->batch_threshold = u;
    } else {
        return kzg_fail(KZG_ERR_SETUP, "profile line %zu: unknown key '%s'", line_no, key);
    }
    if (*seen & bit)
        return kzg_fail(KZG_ERR_SETUP, "profile line %zu: '%s' appears twice", line_no, key);
    *seen |= bit;
    if (!ok)
        return kzg_fail(KZG_ERR_BAD_ARG, "profile line %zu: %s = '%s' is out of range or "
                        "ill-formed (docs/TUNING.md)", line_no, key, val);
    return KZG_OK;
}

static kzg_status parse_header(const char *line, size_t line_no, unsigned *version) {
    size_t m = strlen(PROFILE_MAGIC);
    uint64_t v;
    if (strncmp(line, PROFILE_MAGIC, m) != 0 || !is_blank(line[m]))
        return kzg_fail(KZG_ERR_SETUP, "profile line %zu: not a kzgkit profile (expected the "
                        "header '%s %d')", line_no, PROFILE_MAGIC, PROFILE_VERSION);
    line += m;
    while (is_blank(*line)) line++;
    if (!parse_u64(line, 0, UINT32_MAX, &v))
        return kzg_fail(KZG_ERR_SETUP, "profile line %zu: bad format version '%s'", line_no, line);
    if (v < 1 || v > PROFILE_VERSION)
        return kzg_fail(KZG_ERR_SETUP, "profile line %zu: format version %llu is not supported "
                        "(this library reads versions 1 to %d)", line_no, (unsigned long long)v,
                        PROFILE_VERSION);
    *version = (unsigned)v;
    return KZG_OK;
}

static kzg_status parse_text(profile *p, const char *text, size_t len) {
    char line[LINE_MAX_LEN];
    size_t pos = 0, line_no = 0;
    bool header = false, end = false;
    unsigned seen = 0, version = 0;
    kzg_status st;

    if (len > PROFILE_MAX_BYTES)
        return kzg_fail(KZG_ERR_SETUP, "profile: %zu bytes, more than the %d a profile may have",
                        len, PROFILE_MAX_BYTES);
    if (memchr(text, '\0', len)) return kzg_fail(KZG_ERR_SETUP, "profile: contains a NUL byte");
    while (pos < len) {
        const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl ? 1 : 0);
        line_no++;
        while (n && is_blank(*s)) s++, n--;
        while (n && is_blank(s[n - 1])) n--;
        if (n == 0 || s[0] == '#') continue;
        if (n >= sizeof line)
            return kzg_fail(KZG_ERR_SETUP, "profile line %zu: longer than %d characters", line_no,
                            LINE_MAX_LEN - 1);
        memcpy(line, s, n);
        line[n] = '\0';
        if (end) return kzg_fail(KZG_ERR_SETUP, "profile line %zu: text after the end line", line_no);
        if (!header) {
            if ((st = parse_header(line, line_no, &version)) != KZG_OK) return st;
            header = true;
            continue;
        }
        if (strcmp(line, "end") == 0) {
            end = true;
            continue;
        }
        char *eq = strchr(line, '=');
        if (!eq) return kzg_fail(KZG_ERR_SETUP, "profile line %zu: expected 'key = value'", line_no);
        char *key = line, *val = eq + 1, *k_end = eq;
        while (k_end > key && is_blank(k_end[-1])) k_end--;
        *k_end = '\0';
        while (is_blank(*val)) val++;
        if (!*key || !*val)
            return kzg_fail(KZG_ERR_SETUP, "profile line %zu: expected 'key = value'", line_no);
        if ((st = parse_pair(p, &seen, key, val, line_no, version)) != KZG_OK) return st;
    }
    if (!header) return kzg_fail(KZG_ERR_SETUP, "profile: empty (no '%s' header)", PROFILE_MAGIC);
    if (!end) return kzg_fail(KZG_ERR_SETUP, "profile: truncated (no 'end' line)");
    if ((seen & SEEN_MACHINE) != SEEN_MACHINE)
        return kzg_fail(KZG_ERR_SETUP, "profile: the machine keys cpu, backend, cpus and date are "
                        "all required");
    return KZG_OK;
}

kzg_status profile_parse(profile *out, const char *text, size_t len) {
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "profile_parse: out is NULL");
    memset(out, 0, sizeof *out);
    if (!text) return kzg_fail(KZG_ERR_NULL_ARG, "profile_parse: text is NULL");
    kzg_status st = parse_text(out, text, len);
    if (st != KZG_OK) memset(out, 0, sizeof *out);
    return st;
}

kzg_status profile_load(profile *out, const char *path) {
    kzg_status st;
    char *buf = NULL;
    size_t len;
    FILE *f;
    if (!out) return kzg_fail(KZG_ERR_NULL_ARG, "profile_load: out is NULL");
    memset(out, 0, sizeof *out);
    if (!path) return kzg_fail(KZG_ERR_NULL_ARG, "profile_load: path is NULL");
    if (!(f = fopen(path, "rb")))
        return kzg_fail(KZG_ERR_IO, "profile %s: cannot open: %s", path, strerror(errno));
    buf = kzg_malloc(PROFILE_MAX_BYTES + 1);
    if (!buf) {
        st = kzg_fail(KZG_ERR_MEMORY, "profile %s: cannot allocate %d bytes", path, PROFILE_MAX_BYTES + 1);
        goto out;
    }
    len = fread(buf, 1, PROFILE_MAX_BYTES + 1, f);
    if (ferror(f)) {
        st = kzg_fail(KZG_ERR_IO, "profile %s: read error: %s", path, strerror(errno));
        goto out;
    }
    st = profile_parse(out, buf, len);
    if (st != KZG_OK) {
        /* Prefix the path to the parser's detail. */
        char detail[512];
        snprintf(detail, sizeof detail, "%s", kzg_last_error());
        st = kzg_fail(st, "%s: %s", path, detail);
    }
out:
    kzg_free(buf);
    fclose(f);
    return st;
}

/* Appends to buf; on overflow marks *ok false. */
static void put(char *buf, size_t cap, size_t *len, bool *ok, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void put(char *buf, size_t cap, size_t *len, bool *ok, const char *fmt, ...) {
    va_list ap;
    if (!*ok) return;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap - *len) {
        *ok = false;
        return;
    }
    *len += (size_t)n;
}

size_t profile_format(char *buf, size_t cap, const profile *p) {
    size_t len = 0;
    bool ok = buf && cap > 0 && p;
    if (!ok) return 0;
    buf[0] = '\0';
    /* Version 1 unless there is something only version 2 can say: older readers keep
     * loading the profiles that do not record backends. */
    bool v2 = p->backend_pick[0] || p->n_backend_ms;
    put(buf, cap, &len, &ok, "# kzgkit tuning profile (format: docs/TUNING.md)\n%s %d\n",
        PROFILE_MAGIC, v2 ? 2 : 1);
    put(buf, cap, &len, &ok, "cpu = %s\nbackend = %s\ncpus = %u\ndate = %s\n", p->cpu,
        p->backend, p->cpus, p->date);
    for (unsigned lg = PROFILE_MIN_LOG2; lg <= PROFILE_MAX_LOG2; lg++)
        if (p->msm_window[lg])
            put(buf, cap, &len, &ok, "msm_window.%llu = %u\n", 1ULL << lg, p->msm_window[lg]);
    if (p->threads) put(buf, cap, &len, &ok, "threads = %u\n", p->threads);
    if (p->has_table_window) {
        put(buf, cap, &len, &ok, "table_window = %u\n", p->table_window);
        put(buf, cap, &len, &ok, "table_mib = %.2f\ntable_speedup = %.3f\n", p->table_mib,
            p->table_speedup);
    }
    put(buf, cap, &len, &ok, "batch_threshold = %llu\n", (unsigned long long)p->batch_threshold);
    if (p->backend_pick[0]) put(buf, cap, &len, &ok, "backend_pick = %s\n", p->backend_pick);
    for (size_t i = 0; i < p->n_backend_ms && i < PROFILE_MAX_BACKENDS; i++)
        put(buf, cap, &len, &ok, "backend_ms.%s = %.3f\n", p->backend_ms[i].name, p->backend_ms[i].ms);
    put(buf, cap, &len, &ok, "end\n");
    if (!ok) {
        buf[0] = '\0';
        return 0;
    }
    return len;
}

bool profile_matches(const profile *p, const char *cpu, const char *backend, char *warning,
                     size_t warning_len) {
    if (strcmp(p->cpu, cpu) != 0) {
        snprintf(warning, warning_len, "measured on CPU '%s', this machine has '%s'", p->cpu, cpu);
        return false;
    }
    if (strcmp(p->backend, backend) != 0) {
        snprintf(warning, warning_len, "measured with backend '%s', this process uses '%s'",
                 p->backend, backend);
        return false;
    }
    return true;
}

void profile_cpu_model(char *buf, size_t len) {
    char line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");
    snprintf(buf, len, "unknown");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) != 0) continue;
        char *v = strchr(line, ':');
        if (!v) break;
        v++;
        while (is_blank(*v)) v++;
        size_t n = strlen(v);
        while (n && (v[n - 1] == '\n' || is_blank(v[n - 1]))) v[--n] = '\0';
        if (n) snprintf(buf, len, "%s", v);
        break;
    }
    fclose(f);
}

void profile_describe(char *buf, size_t len, const profile *p) {
    size_t used = 0;
    bool ok = len > 0;
    if (!ok) return;
    buf[0] = '\0';
    for (unsigned lg = PROFILE_MIN_LOG2; lg <= PROFILE_MAX_LOG2; lg++)
        if (p->msm_window[lg])
            put(buf, len, &used, &ok, "msm_window.%llu=%u ", 1ULL << lg, p->msm_window[lg]);
    if (p->threads) put(buf, len, &used, &ok, "threads=%u ", p->threads);
    if (p->has_table_window) put(buf, len, &used, &ok, "table_window=%u ", p->table_window);
    if (p->backend_pick[0]) put(buf, len, &used, &ok, "backend_pick=%s ", p->backend_pick);
    if (used && buf[used - 1] == ' ') buf[used - 1] = '\0';
    if (!ok) snprintf(buf, len, "(too long to show)");
}
