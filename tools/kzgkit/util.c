/* tools/kzgkit/util.c — diagnostics, options, input decoding, output and the demo RNG. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* ---- diagnostics ---------------------------------------------------------------- */

/* Copies src into dst (len bytes) replacing control characters by spaces, so that any
 * message stays on one line. */
static void one_line(char *dst, size_t len, const char *src) {
    size_t i = 0;
    if (len == 0) return;
    for (; src[i] != '\0' && i + 1 < len; i++) {
        unsigned char c = (unsigned char)src[i];
        dst[i] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
    }
    dst[i] = '\0';
}

int cli_fail(const char *cmd, const char *fmt, ...) {
    char msg[1024], flat[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    one_line(flat, sizeof flat, msg);
    if (cmd[0] == '\0')
        fprintf(stderr, "kzgkit: %s\n", flat);
    else
        fprintf(stderr, "kzgkit %s: %s\n", cmd, flat);
    return CLI_EXIT_BAD;
}

void cli_why(char *why, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, CLI_WHY_LEN, fmt, ap);
    va_end(ap);
}

/* A remote failure's text (cli_set_remote_detail): per thread, as kzg_last_error() is. */
static _Thread_local struct {
    bool set, whole_line;
    char text[1024];
} remote_detail;

void cli_set_remote_detail(const char *text, bool whole_line) {
    remote_detail.set = text != NULL;
    remote_detail.whole_line = whole_line;
    one_line(remote_detail.text, sizeof remote_detail.text, text ? text : "");
}

const char *cli_last_error(char *buf, size_t len) {
    const char *e = remote_detail.set ? remote_detail.text : kzg_last_error();
    one_line(buf, len, e ? e : "");
    return buf;
}

int cli_fail_status(const char *cmd, const char *what, kzg_status status) {
    char detail[512];
    if (remote_detail.set && remote_detail.whole_line)
        return cli_fail(cmd, "%s", remote_detail.text);
    cli_last_error(detail, sizeof detail);
    if (what && detail[0])
        return cli_fail(cmd, "%s: %s: %s", what, kzg_status_str(status), detail);
    if (what) return cli_fail(cmd, "%s: %s", what, kzg_status_str(status));
    if (detail[0]) return cli_fail(cmd, "%s: %s", kzg_status_str(status), detail);
    return cli_fail(cmd, "%s", kzg_status_str(status));
}

/* ---- options -------------------------------------------------------------------- */

bool cli_is_help(const char *arg) { return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0; }

bool cli_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out) {
    char *end = NULL;
    unsigned long long v;
    if (s == NULL || *s < '0' || *s > '9') return false; /* no sign, no space */
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0') return false;
    if (v < lo || v > hi) return false;
    *out = v;
    return true;
}

/* Matches "--name VALUE" or "--name=VALUE"; returns the value or NULL (no match), and
 * sets *missing when the option is there without a value. */
const char *cli_option_value(const char *name, int argc, char **argv, int *i, bool *missing) {
    size_t n = strlen(name);
    const char *a = argv[*i];
    *missing = false;
    if (strncmp(a, name, n) != 0) return NULL;
    if (a[n] == '=') return a + n + 1;
    if (a[n] != '\0') return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    (*i)++;
    return argv[*i];
}

int cli_global_option(cli_global *g, const char *cmd, int argc, char **argv, int *i) {
    bool missing;
    const char *v = cli_option_value("--setup", argc, argv, i, &missing);
    if (missing) {
        cli_fail(cmd, "--setup: missing FILE");
        return -1;
    }
    if (v) {
        if (*v == '\0') {
            cli_fail(cmd, "--setup: empty FILE");
            return -1;
        }
        g->setup_path = v;
        return 1;
    }
    v = cli_option_value("--threads", argc, argv, i, &missing);
    if (missing) {
        cli_fail(cmd, "--threads: missing N");
        return -1;
    }
    if (v) {
        uint64_t t;
        if (!cli_parse_u64(v, 0, 1024, &t)) {
            cli_fail(cmd, "--threads: '%s' is not an integer in 0..1024", v);
            return -1;
        }
        g->threads = (uint32_t)t;
        return 1;
    }
    v = cli_option_value("--numa", argc, argv, i, &missing);
    if (missing) {
        cli_fail(cmd, "--numa: missing auto, off or on");
        return -1;
    }
    if (v) {
        if (!cli_parse_numa(v, &g->numa)) {
            cli_fail(cmd, "--numa: '%s' is not auto, off or on", v);
            return -1;
        }
        return 1;
    }
    return 0;
}

bool cli_parse_numa(const char *s, uint32_t *out) {
    static const struct { const char *name; uint32_t v; } names[] = {
        {"auto", KZG_NUMA_AUTO}, {"off", KZG_NUMA_OFF}, {"on", KZG_NUMA_ON}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].v;
            return true;
        }
    return false;
}

/* ---- context -------------------------------------------------------------------- */

/* Whether the context's last failure was the tuning profile's (its details start with
 * "profile " or with the profile's path), so that the message names KZGKIT_PROFILE rather
 * than the setup. */
static bool profile_failed(const cli_global *g) {
    const char *e = kzg_last_error();
    if (!g->profile_path || !e) return false;
    size_t n = strlen(g->profile_path);
    return strncmp(e, "profile ", 8) == 0 || (strncmp(e, g->profile_path, n) == 0 && e[n] == ':');
}

kzg_ctx *cli_ctx_open(const cli_global *g, const char *cmd) {
    kzg_ctx *ctx = NULL;
    kzg_ctx_options opts;
    kzg_status st;
    memset(&opts, 0, sizeof opts);
    opts.struct_size = sizeof opts;
    opts.threads = g->threads;
    opts.numa = g->numa;
    opts.profile_path = g->profile_path;
    opts.metrics = g->metrics;
    if (g->setup_path) {
        char what[PATH_MAX + 16];
        st = kzg_ctx_new_from_file(&ctx, g->setup_path, KZG_SETUP_AUTO, &opts);
        if (st != KZG_OK) {
            snprintf(what, sizeof what, "--setup %s", g->setup_path);
            cli_fail_status(cmd, profile_failed(g) ? "KZGKIT_PROFILE" : what, st);
            kzg_ctx_free(ctx);
            return NULL;
        }
    } else {
        st = kzg_ctx_new(&ctx, &opts);
        if (st != KZG_OK) {
            cli_fail_status(cmd, profile_failed(g) ? "KZGKIT_PROFILE" : "embedded setup", st);
            kzg_ctx_free(ctx);
            return NULL;
        }
    }
    return ctx;
}

void cli_setup_describe(const cli_global *g, char *buf, size_t len) {
    if (g->setup_path)
        snprintf(buf, len, "file %s (%d G1, %d G2)", g->setup_path, KZG_FIELD_ELEMENTS_PER_BLOB,
                 KZG_SETUP_G2_LENGTH);
    else
        snprintf(buf, len, "embedded mainnet (%d G1, %d G2)", KZG_FIELD_ELEMENTS_PER_BLOB,
                 KZG_SETUP_G2_LENGTH);
}

/* ---- decoding ------------------------------------------------------------------- */

static int hex_digit(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool cli_hex_decode(uint8_t *out, size_t cap, size_t *out_len, const char *s, size_t n,
                    char *why) {
    size_t i = 0, digits = 0, k = 0;
    int hi = -1;
    *out_len = 0;
    while (i < n && is_space((unsigned char)s[i])) i++;
    if (i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) i += 2;
    /* First pass: validate and count, so that a length error can state the real length. */
    for (size_t j = i; j < n; j++) {
        unsigned char c = (unsigned char)s[j];
        if (is_space(c)) continue;
        if (hex_digit(c) < 0) {
            if (c >= 0x21 && c < 0x7f)
                cli_why(why, "invalid hex character '%c' at offset %zu", c, j);
            else
                cli_why(why, "invalid hex character (byte 0x%02x) at offset %zu",
                         c, j);
            return false;
        }
        digits++;
    }
    if (digits % 2 != 0) {
        cli_why(why, "odd number of hex digits (%zu)", digits);
        return false;
    }
    *out_len = digits / 2;
    if (*out_len > cap) {
        cli_why(why, "too long: %zu bytes (at most %zu)", *out_len, cap);
        return false;
    }
    for (size_t j = i; j < n; j++) {
        int d = hex_digit((unsigned char)s[j]);
        if (d < 0) continue; /* whitespace: the first pass rejected anything else */
        if (hi < 0) {
            hi = d;
        } else {
            out[k++] = (uint8_t)(hi << 4 | d);
            hi = -1;
        }
    }
    return true;
}

bool cli_hex_decode_exact(uint8_t *out, size_t len, const char *s, char *why) {
    size_t got = 0;
    char inner[CLI_WHY_LEN];
    if (!cli_hex_decode(out, len, &got, s, strlen(s), inner)) {
        if (got > len)
            cli_why(why, "expected %zu bytes (%zu hex digits), got %zu byte%s",
                     len, 2 * len, got, got == 1 ? "" : "s");
        else
            cli_why(why, "%s", inner);
        return false;
    }
    if (got != len) {
        cli_why(why, "expected %zu bytes (%zu hex digits), got %zu byte%s", len,
                 2 * len, got, got == 1 ? "" : "s");
        return false;
    }
    return true;
}

bool cli_read_file(const char *path, uint8_t **data, size_t *len, char *why) {
    const size_t max = (size_t)1 << 30;
    size_t cap = 1 << 16, used = 0;
    uint8_t *buf;
    FILE *f;
    *data = NULL;
    *len = 0;
    f = fopen(path, "rb");
    if (!f) {
        cli_why(why, "cannot open '%s': %s", path, strerror(errno));
        return false;
    }
    buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        cli_why(why, "out of memory reading '%s'", path);
        return false;
    }
    for (;;) {
        size_t got = fread(buf + used, 1, cap - used, f);
        used += got;
        if (used < cap) {
            if (ferror(f)) {
                cli_why(why, "cannot read '%s': %s", path, strerror(errno));
                goto fail;
            }
            break; /* end of file */
        }
        if (cap >= max) {
            cli_why(why, "'%s' is larger than 1 GiB", path);
            goto fail;
        }
        {
            uint8_t *grown = realloc(buf, 2 * cap + 1);
            if (!grown) {
                cli_why(why, "out of memory reading '%s'", path);
                goto fail;
            }
            buf = grown;
            cap *= 2;
        }
    }
    if (fclose(f) != 0) {
        f = NULL;
        cli_why(why, "cannot read '%s': %s", path, strerror(errno));
        goto fail;
    }
    buf[used] = '\0';
    *data = buf;
    *len = used;
    return true;
fail:
    if (f) fclose(f);
    free(buf);
    return false;
}

bool cli_load_blob(kzg_blob *out, const char *arg, char *why) {
    uint8_t *data = NULL;
    size_t len = 0, got = 0;
    char inner[CLI_WHY_LEN];
    bool inline_hex = (arg[0] == '0' && (arg[1] == 'x' || arg[1] == 'X')) && access(arg, F_OK) != 0;

    if (inline_hex) {
        if (!cli_hex_decode(out->bytes, sizeof out->bytes, &got, arg, strlen(arg), inner)) {
            if (got > sizeof out->bytes)
                cli_why(why, "hex blob of %zu bytes, expected %d", got,
                         KZG_BYTES_PER_BLOB);
            else
                cli_why(why, "hex blob: %s", inner);
            return false;
        }
        if (got != sizeof out->bytes) {
            cli_why(why, "hex blob of %zu bytes, expected %d", got,
                     KZG_BYTES_PER_BLOB);
            return false;
        }
        return true;
    }
    if (!cli_read_file(arg, &data, &len, inner)) {
        cli_why(why, "%s", inner);
        return false;
    }
    if (len == sizeof out->bytes) { /* raw bytes; hex text of a blob is twice as long */
        memcpy(out->bytes, data, len);
        free(data);
        return true;
    }
    if (!cli_hex_decode(out->bytes, sizeof out->bytes, &got, (const char *)data, len, inner)) {
        bool binary = memchr(data, '\0', len) != NULL;
        free(data);
        if (binary) /* not text at all: a raw blob of the wrong size */
            cli_why(why, "'%s' has %zu bytes; a raw blob has exactly %d", arg, len,
                    KZG_BYTES_PER_BLOB);
        else if (got > sizeof out->bytes)
            cli_why(why,
                     "'%s' holds hex of %zu bytes; a blob is %d bytes (raw or as hex)", arg, got,
                     KZG_BYTES_PER_BLOB);
        else
            cli_why(why,
                     "'%s' is neither %d raw bytes (it has %zu) nor hex text: %s", arg,
                     KZG_BYTES_PER_BLOB, len, inner);
        return false;
    }
    free(data);
    if (got != sizeof out->bytes) {
        cli_why(why,
                 "'%s' holds %zu bytes as hex (file size %zu); a blob is %d bytes (raw or as hex)",
                 arg, got, len, KZG_BYTES_PER_BLOB);
        return false;
    }
    return true;
}

/* ---- LIST files ----------------------------------------------------------------- */

bool cli_list_open(cli_list *l, const char *cmd, const char *path) {
    memset(l, 0, sizeof *l);
    l->cmd = cmd;
    l->path = path;
    l->f = fopen(path, "r");
    if (!l->f) {
        cli_fail(cmd, "LIST: cannot open '%s': %s", path, strerror(errno));
        return false;
    }
    return true;
}

int cli_list_next(cli_list *l, char **fields, int max) {
    for (;;) {
        char *p, *save = NULL;
        int n = 0;
        ssize_t got = getline(&l->line, &l->line_cap, l->f);
        if (got < 0) {
            if (ferror(l->f)) {
                cli_fail(l->cmd, "LIST: cannot read '%s'", l->path);
                return -1;
            }
            return 0;
        }
        l->line_no++;
        for (p = l->line; *p == ' ' || *p == '\t'; p++) {}
        if (*p == '#' || *p == '\n' || *p == '\r' || *p == '\0') continue;
        for (char *t = strtok_r(p, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
            if (n == max) return max + 1;
            fields[n++] = t;
        }
        return n;
    }
}

void cli_list_close(cli_list *l) {
    free(l->line);
    if (l->f) fclose(l->f);
    memset(l, 0, sizeof *l);
}

/* ---- output and time ------------------------------------------------------------ */

void cli_hex_string(char *buf, const uint8_t *p, size_t n) {
    static const char digits[] = "0123456789abcdef";
    buf[0] = '0';
    buf[1] = 'x';
    for (size_t i = 0; i < n; i++) {
        buf[2 + 2 * i] = digits[p[i] >> 4];
        buf[3 + 2 * i] = digits[p[i] & 15];
    }
    buf[2 + 2 * n] = '\0';
}

void cli_print_hex(FILE *f, const uint8_t *p, size_t n) {
    static const char digits[] = "0123456789abcdef";
    fputs("0x", f);
    for (size_t i = 0; i < n; i++) {
        fputc(digits[p[i] >> 4], f);
        fputc(digits[p[i] & 15], f);
    }
    fputc('\n', f);
}

double cli_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- deterministic random numbers ----------------------------------------------- */

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void cli_rng_seed(cli_rng *r, uint64_t seed) {
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t cli_rng_next(cli_rng *r) {
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

void cli_rng_field_element(cli_rng *r, uint8_t out[32]) {
    for (int i = 0; i < 4; i++) {
        uint64_t v = cli_rng_next(r);
        for (int j = 0; j < 8; j++) out[8 * i + j] = (uint8_t)(v >> (56 - 8 * j));
    }
    out[0] &= 0x3f; /* r = 0x73ed...: anything below 0x40·2^248 is canonical */
}

void cli_rng_blob(cli_rng *r, kzg_blob *out) {
    for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++)
        cli_rng_field_element(r, out->bytes + 32 * i);
}
