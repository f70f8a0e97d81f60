/*
 * setup/load.c — reading and parsing trusted-setup files (untrusted input).
 *
 * Text (c-kzg-4844 trusted_setup.txt): the decimal count of G1 points (4096), the count of
 * G2 points (65), then 4096 G1 Lagrange points (natural order), 65 G2 monomial points and
 * 4096 G1 monomial points, each as one token of hex digits (96 or 192, no prefix), tokens
 * separated by whitespace. Nothing may follow.
 *
 * JSON: one object with exactly the keys "g1_lagrange", "g1_monomial", "g2_monomial" (any
 * order), each an array of strings of hex digits ("0x" prefix optional). Only this shape: no
 * escapes, no other value types, no duplicate or unknown keys, nothing after the object.
 *
 * Both parsers write into fixed arrays and stop at the first element beyond the expected
 * count, so a hostile count or file size costs nothing.
 */
#include <errno.h>
#include <string.h>
#include <stdio.h>

#include "setup/setup.h"

kzg_status setup_read_file(uint8_t **data, size_t *len, const char *path) {
    kzg_status ret = KZG_OK;
    uint8_t *buf = NULL;
    size_t cap = 1 << 20, used = 0;
    *data = NULL;
    *len = 0;

    FILE *f = fopen(path, "rb");
    if (!f) return kzg_fail(KZG_ERR_IO, "setup file %s: cannot open: %s", path, strerror(errno));
    buf = kzg_malloc(cap);
    if (!buf) {
        ret = kzg_fail(KZG_ERR_MEMORY, "setup file %s: cannot allocate a read buffer", path);
        goto out;
    }
    for (;;) {
        if (used == cap) {
            if (cap >= SETUP_MAX_FILE_BYTES) {
                ret = kzg_fail(KZG_ERR_LENGTH, "setup file %s: larger than %zu bytes", path,
                               SETUP_MAX_FILE_BYTES);
                goto out;
            }
            uint8_t *bigger = kzg_malloc(cap * 2);
            if (!bigger) {
                ret = kzg_fail(KZG_ERR_MEMORY, "setup file %s: cannot allocate a read buffer", path);
                goto out;
            }
            memcpy(bigger, buf, used);
            kzg_free(buf);
            buf = bigger;
            cap *= 2;
        }
        size_t got = fread(buf + used, 1, cap - used, f);
        used += got;
        if (got == 0) {
            if (ferror(f)) {
                ret = kzg_fail(KZG_ERR_IO, "setup file %s: read error: %s", path, strerror(errno));
                goto out;
            }
            break;
        }
    }
    *data = buf;
    *len = used;
    buf = NULL;
out:
    kzg_free(buf);
    fclose(f);
    return ret;
}

/* ---- shared helpers ------------------------------------------------------------------ */

static size_t line_of(const char *text, size_t pos) {
    size_t line = 1;
    for (size_t i = 0; i < pos; i++) line += text[i] == '\n';
    return line;
}

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static size_t skip_ws(const char *text, size_t len, size_t pos) {
    while (pos < len && is_ws(text[pos])) pos++;
    return pos;
}

static int hex_val(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes exactly 2·nbytes hex digits at text[pos]; -1 on a bad digit, else 0. On failure
 * *bad is the offset of the offending character. */
static int decode_hex(uint8_t *out, size_t nbytes, const char *text, size_t pos, size_t *bad) {
    for (size_t i = 0; i < nbytes; i++) {
        int hi = hex_val(text[pos + 2 * i]), lo = hex_val(text[pos + 2 * i + 1]);
        if (hi < 0 || lo < 0) {
            *bad = pos + 2 * i + (hi < 0 ? 0 : 1);
            return -1;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

static void printable(char out[8], char c) {
    if (c >= 0x21 && c < 0x7f) snprintf(out, 8, "'%c'", c);
    else snprintf(out, 8, "0x%02x", (unsigned)(unsigned char)c);
}

/* ---- text format ------------------------------------------------------------------- */

/* A decimal count; values above 10^9 are reported as "too large" rather than parsed. */
static kzg_status txt_count(uint64_t *v, const char *what, const char *text, size_t len,
                            size_t *pos) {
    size_t p = skip_ws(text, len, *pos);
    if (p >= len)
        return kzg_fail(KZG_ERR_LENGTH, "setup text: file ends before the %s count", what);
    if (text[p] < '0' || text[p] > '9') {
        char ch[8];
        printable(ch, text[p]);
        return kzg_fail(KZG_ERR_SETUP, "setup text: line %zu: %s count: expected a decimal number, found %s",
                        line_of(text, p), what, ch);
    }
    uint64_t x = 0;
    bool huge = false;
    while (p < len && text[p] >= '0' && text[p] <= '9') {
        if (x > 1000000000u) huge = true;
        else x = x * 10 + (uint64_t)(text[p] - '0');
        p++;
    }
    if (p < len && !is_ws(text[p])) {
        char ch[8];
        printable(ch, text[p]);
        return kzg_fail(KZG_ERR_SETUP, "setup text: line %zu: %s count: unexpected %s",
                        line_of(text, p), what, ch);
    }
    *v = huge ? UINT64_MAX : x;
    *pos = p;
    return KZG_OK;
}

static kzg_status txt_points(uint8_t *out, size_t count, size_t point_bytes, const char *name,
                             const char *text, size_t len, size_t *pos) {
    size_t p = *pos;
    for (size_t i = 0; i < count; i++) {
        p = skip_ws(text, len, p);
        if (p >= len)
            return kzg_fail(KZG_ERR_LENGTH, "setup text: %s: file ends after %zu of %zu points",
                            name, i, count);
        size_t start = p;
        while (p < len && !is_ws(text[p])) p++;
        size_t tok = p - start, bad;
        if (p == len && tok < 2 * point_bytes)
            return kzg_fail(KZG_ERR_LENGTH, "setup text: %s: file ends inside point %zu of %zu",
                            name, i, count);
        if (tok != 2 * point_bytes)
            return kzg_fail(KZG_ERR_SETUP, "setup text: line %zu: %s[%zu]: %zu characters, expected %zu hex digits",
                            line_of(text, start), name, i, tok, 2 * point_bytes);
        if (decode_hex(out + i * point_bytes, point_bytes, text, start, &bad) != 0) {
            char ch[8];
            printable(ch, text[bad]);
            return kzg_fail(KZG_ERR_SETUP, "setup text: line %zu: %s[%zu]: bad hex digit %s",
                            line_of(text, start), name, i, ch);
        }
    }
    *pos = p;
    return KZG_OK;
}

kzg_status setup_parse_txt(setup_bytes *out, const char *text, size_t len) {
    kzg_status ret;
    size_t pos = 0;
    uint64_t n1, n2;
    if ((ret = txt_count(&n1, "G1", text, len, &pos)) != KZG_OK) return ret;
    if (n1 != SETUP_N_G1)
        return n1 == UINT64_MAX
                   ? kzg_fail(KZG_ERR_LENGTH, "setup text: G1 count is too large (expected %d)", SETUP_N_G1)
                   : kzg_fail(KZG_ERR_LENGTH, "setup text: G1 count is %llu, expected %d",
                              (unsigned long long)n1, SETUP_N_G1);
    if ((ret = txt_count(&n2, "G2", text, len, &pos)) != KZG_OK) return ret;
    if (n2 != SETUP_N_G2)
        return n2 == UINT64_MAX
                   ? kzg_fail(KZG_ERR_LENGTH, "setup text: G2 count is too large (expected %d)", SETUP_N_G2)
                   : kzg_fail(KZG_ERR_LENGTH, "setup text: G2 count is %llu, expected %d",
                              (unsigned long long)n2, SETUP_N_G2);
    if ((ret = txt_points(out->g1_lagrange, SETUP_N_G1, 48, "g1_lagrange", text, len, &pos)) != KZG_OK)
        return ret;
    if ((ret = txt_points(out->g2_monomial, SETUP_N_G2, 96, "g2_monomial", text, len, &pos)) != KZG_OK)
        return ret;
    if ((ret = txt_points(out->g1_monomial, SETUP_N_G1, 48, "g1_monomial", text, len, &pos)) != KZG_OK)
        return ret;
    pos = skip_ws(text, len, pos);
    if (pos != len)
        return kzg_fail(KZG_ERR_SETUP, "setup text: line %zu: unexpected data after the last point",
                        line_of(text, pos));
    return KZG_OK;
}

/* ---- JSON format ------------------------------------------------------------------- */

typedef struct json_in {
    const char *text;
    size_t len, pos;
} json_in;

static kzg_status json_expect(json_in *in, char c, const char *context) {
    in->pos = skip_ws(in->text, in->len, in->pos);
    if (in->pos >= in->len)
        return kzg_fail(KZG_ERR_SETUP, "setup JSON: file ends where '%c' was expected (%s)", c, context);
    if (in->text[in->pos] != c) {
        char ch[8];
        printable(ch, in->text[in->pos]);
        return kzg_fail(KZG_ERR_SETUP, "setup JSON: line %zu: expected '%c' (%s), found %s",
                        line_of(in->text, in->pos), c, context, ch);
    }
    in->pos++;
    return KZG_OK;
}

/* A string without escapes: [*start, *start + *n) are its contents. */
static kzg_status json_string(json_in *in, size_t *start, size_t *n, const char *context) {
    kzg_status ret = json_expect(in, '"', context);
    if (ret != KZG_OK) return ret;
    size_t p = in->pos;
    while (p < in->len && in->text[p] != '"') {
        unsigned char ch = (unsigned char)in->text[p];
        if (ch == '\\' || ch < 0x20)
            return kzg_fail(KZG_ERR_SETUP, "setup JSON: line %zu: escapes and control characters are not allowed in strings (%s)",
                            line_of(in->text, p), context);
        p++;
    }
    if (p >= in->len)
        return kzg_fail(KZG_ERR_SETUP, "setup JSON: line %zu: unterminated string (%s)",
                        line_of(in->text, in->pos), context);
    *start = in->pos;
    *n = p - in->pos;
    in->pos = p + 1;
    return KZG_OK;
}

static kzg_status json_points(json_in *in, uint8_t *out, size_t count, size_t point_bytes,
                              const char *name) {
    kzg_status ret = json_expect(in, '[', name);
    if (ret != KZG_OK) return ret;
    size_t i = 0;
    in->pos = skip_ws(in->text, in->len, in->pos);
    if (in->pos < in->len && in->text[in->pos] == ']') {
        in->pos++;
    } else {
        for (;;) {
            size_t s, n, bad;
            if (i == count)
                return kzg_fail(KZG_ERR_LENGTH, "setup JSON: line %zu: %s has more than %zu points",
                                line_of(in->text, in->pos), name, count);
            if ((ret = json_string(in, &s, &n, name)) != KZG_OK) return ret;
            if (n >= 2 && in->text[s] == '0' && (in->text[s + 1] == 'x' || in->text[s + 1] == 'X')) {
                s += 2;
                n -= 2;
            }
            if (n != 2 * point_bytes)
                return kzg_fail(KZG_ERR_SETUP, "setup JSON: line %zu: %s[%zu]: %zu hex digits, expected %zu",
                                line_of(in->text, s), name, i, n, 2 * point_bytes);
            if (decode_hex(out + i * point_bytes, point_bytes, in->text, s, &bad) != 0) {
                char ch[8];
                printable(ch, in->text[bad]);
                return kzg_fail(KZG_ERR_SETUP, "setup JSON: line %zu: %s[%zu]: bad hex digit %s",
                                line_of(in->text, s), name, i, ch);
            }
            i++;
            in->pos = skip_ws(in->text, in->len, in->pos);
            if (in->pos < in->len && in->text[in->pos] == ',') {
                in->pos++;
                continue;
            }
            if ((ret = json_expect(in, ']', name)) != KZG_OK) return ret;
            break;
        }
    }
    if (i != count)
        return kzg_fail(KZG_ERR_LENGTH, "setup JSON: %s has %zu points, expected %zu", name, i, count);
    return KZG_OK;
}

kzg_status setup_parse_json(setup_bytes *out, const char *text, size_t len) {
    static const char *const names[3] = {"g1_lagrange", "g1_monomial", "g2_monomial"};
    json_in in = {text, len, 0};
    bool seen[3] = {false, false, false};
    kzg_status ret = json_expect(&in, '{', "start of the setup object");
    if (ret != KZG_OK) return ret;
    for (int k = 0; k < 3; k++) {
        size_t s, n;
        if (k > 0) {
            in.pos = skip_ws(text, len, in.pos);
            if (in.pos < len && text[in.pos] == '}') {
                for (int j = 0; j < 3; j++)
                    if (!seen[j])
                        return kzg_fail(KZG_ERR_SETUP, "setup JSON: line %zu: missing key \"%s\"",
                                        line_of(text, in.pos), names[j]);
            }
            if ((ret = json_expect(&in, ',', "between keys")) != KZG_OK) return ret;
        }
        if ((ret = json_string(&in, &s, &n, "key")) != KZG_OK) return ret;
        int which = -1;
        for (int j = 0; j < 3; j++)
            if (n == strlen(names[j]) && memcmp(text + s, names[j], n) == 0) which = j;
        if (which < 0)
            return kzg_fail(KZG_ERR_SETUP, "setup JSON: line %zu: unknown key \"%.*s\"", line_of(text, s),
                            (int)(n > 40 ? 40 : n), text + s);
        if (seen[which])
            return kzg_fail(KZG_ERR_SETUP, "setup JSON: line %zu: duplicate key \"%s\"", line_of(text, s),
                            names[which]);
        seen[which] = true;
        if ((ret = json_expect(&in, ':', names[which])) != KZG_OK) return ret;
        if (which == 0) ret = json_points(&in, out->g1_lagrange, SETUP_N_G1, 48, names[0]);
        else if (which == 1) ret = json_points(&in, out->g1_monomial, SETUP_N_G1, 48, names[1]);
        else ret = json_points(&in, out->g2_monomial, SETUP_N_G2, 96, names[2]);
        if (ret != KZG_OK) return ret;
    }
    if ((ret = json_expect(&in, '}', "end of the setup object (exactly three keys)")) != KZG_OK)
        return ret;
    in.pos = skip_ws(text, len, in.pos);
    if (in.pos != len)
        return kzg_fail(KZG_ERR_SETUP, "setup JSON: line %zu: unexpected data after the object",
                        line_of(text, in.pos));
    return KZG_OK;
}

kzg_status setup_parse_auto(setup_bytes *out, const char *text, size_t len) {
    size_t p = skip_ws(text, len, 0);
    if (p < len && text[p] == '{') return setup_parse_json(out, text, len);
    if (p < len && text[p] >= '0' && text[p] <= '9') return setup_parse_txt(out, text, len);
    return kzg_fail(KZG_ERR_SETUP, "setup file: neither the text format (a count) nor JSON ('{')%s",
                    p >= len ? ": the file is empty" : "");
}
