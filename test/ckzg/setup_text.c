/* test/ckzg/setup_text.c — see setup_text.h. The JSON reader knows this one shape only: an
 * object whose keys name arrays of "0x"-hex strings. */
#include "setup_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The `count` strings of the array under "key", each `size` bytes of hex, into out. */
static int json_array(uint8_t *out, size_t count, size_t size, const char *text, const char *key) {
    char quoted[64];
    snprintf(quoted, sizeof quoted, "\"%s\"", key);
    const char *p = strstr(text, quoted);
    if (!p || !(p = strchr(p + strlen(quoted), '['))) {
        fprintf(stderr, "setup JSON: no array \"%s\"\n", key);
        return -1;
    }
    p++;
    for (size_t i = 0; i < count; i++) {
        p = strchr(p, '"');
        if (!p) break;
        p++;
        if (p[0] == '0' && p[1] == 'x') p += 2;
        for (size_t k = 0; k < size; k++, p += 2) {
            int hi = hex_digit(p[0]), lo = hi < 0 ? -1 : hex_digit(p[1]);
            if (lo < 0) {
                fprintf(stderr, "setup JSON: %s[%zu]: bad hex\n", key, i);
                return -1;
            }
            out[i * size + k] = (uint8_t)(hi << 4 | lo);
        }
        if (*p++ != '"') {
            fprintf(stderr, "setup JSON: %s[%zu]: longer than %zu bytes\n", key, i, size);
            return -1;
        }
        if (i + 1 == count) return 0;
    }
    fprintf(stderr, "setup JSON: %s: fewer than %zu points\n", key, count);
    return -1;
}

int setup_raw_from_json(setup_raw *out, const char *json_path) {
    FILE *f = fopen(json_path, "rb");
    if (!f) {
        perror(json_path);
        return -1;
    }
    size_t cap = 4 << 20, len = 0;
    char *text = malloc(cap + 1);
    if (text) len = fread(text, 1, cap, f);
    fclose(f);
    if (!text || len == cap) {
        fprintf(stderr, "%s: cannot read (out of memory or larger than %zu bytes)\n", json_path, cap);
        free(text);
        return -1;
    }
    text[len] = '\0';
    int ret = json_array(out->g1_lagrange, SETUP_TEXT_G1, 48, text, "g1_lagrange");
    if (ret == 0) ret = json_array(out->g2_monomial, SETUP_TEXT_G2, 96, text, "g2_monomial");
    if (ret == 0) ret = json_array(out->g1_monomial, SETUP_TEXT_G1, 48, text, "g1_monomial");
    free(text);
    return ret;
}

static char *put_lines(char *p, const uint8_t *points, size_t count, size_t size) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < count * size; i++) {
        *p++ = digits[points[i] >> 4];
        *p++ = digits[points[i] & 15];
        if ((i + 1) % size == 0) *p++ = '\n';
    }
    return p;
}

char *setup_raw_to_text(const setup_raw *s, size_t *len) {
    size_t cap = 16 + (2 * SETUP_TEXT_G1 * (2 * 48 + 1)) + SETUP_TEXT_G2 * (2 * 96 + 1);
    char *text = malloc(cap), *p = text;
    if (!text) return NULL;
    p += sprintf(p, "%d\n%d\n", SETUP_TEXT_G1, SETUP_TEXT_G2);
    p = put_lines(p, s->g1_lagrange, SETUP_TEXT_G1, 48);
    p = put_lines(p, s->g2_monomial, SETUP_TEXT_G2, 96);
    p = put_lines(p, s->g1_monomial, SETUP_TEXT_G1, 48);
    *p = '\0';
    *len = (size_t)(p - text);
    return text;
}
