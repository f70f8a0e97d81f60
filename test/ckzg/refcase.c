/* test/ckzg/refcase.c — see refcase.h. */
#include "refcase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static yaml_node_t *map_get(yaml_document_t *doc, const yaml_node_t *map, const char *key) {
    if (!map || map->type != YAML_MAPPING_NODE) return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(key) &&
            memcmp(k->data.scalar.value, key, k->data.scalar.length) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

int refcase_load(refcase *c, const char *path) {
    yaml_parser_t parser;
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    int ok = yaml_parser_load(&parser, &c->doc);
    yaml_parser_delete(&parser);
    fclose(f);
    if (!ok) {
        fprintf(stderr, "%s: not YAML\n", path);
        return -1;
    }
    yaml_node_t *root = yaml_document_get_root_node(&c->doc);
    c->input = map_get(&c->doc, root, "input");
    c->output = map_get(&c->doc, root, "output");
    if (!c->input || c->input->type != YAML_MAPPING_NODE || !c->output) {
        fprintf(stderr, "%s: no input mapping or no output\n", path);
        yaml_document_delete(&c->doc);
        return -1;
    }
    return 0;
}

void refcase_free(refcase *c) { yaml_document_delete(&c->doc); }

yaml_node_t *refcase_input(refcase *c, const char *key) { return map_get(&c->doc, c->input, key); }

static bool plain_is(const yaml_node_t *n, const char *s) {
    return n && n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           n->data.scalar.length == strlen(s) && memcmp(n->data.scalar.value, s, n->data.scalar.length) == 0;
}

bool refcase_output_is_null(const refcase *c) {
    return plain_is(c->output, "null") || plain_is(c->output, "~") || plain_is(c->output, "");
}

int refcase_output_bool(const refcase *c) {
    if (plain_is(c->output, "true")) return 1;
    if (plain_is(c->output, "false")) return 0;
    return -1;
}

size_t refcase_list_len(const yaml_node_t *n) {
    if (!n || n->type != YAML_SEQUENCE_NODE) return 0;
    return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

yaml_node_t *refcase_list_item(refcase *c, const yaml_node_t *n, size_t i) {
    return yaml_document_get_node(&c->doc, n->data.sequence.items.start[i]);
}

static int hex_digit(unsigned char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* The byte count of a hex string node ("0x" optional), SIZE_MAX when not hex. */
static size_t hex_len(const yaml_node_t *n, const unsigned char **digits) {
    const unsigned char *s = n->data.scalar.value;
    size_t len = n->data.scalar.length;
    if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2, len -= 2;
    *digits = s;
    if (len % 2) return SIZE_MAX;
    for (size_t i = 0; i < len; i++)
        if (hex_digit(s[i]) < 0) return SIZE_MAX;
    return len / 2;
}

int refcase_hex(const yaml_node_t *n, uint8_t *out, size_t len) {
    const unsigned char *d;
    if (!n || n->type != YAML_SCALAR_NODE) return -1;
    if (hex_len(n, &d) != len) return 0;
    for (size_t i = 0; i < len; i++) out[i] = (uint8_t)(hex_digit(d[2 * i]) << 4 | hex_digit(d[2 * i + 1]));
    return 1;
}

int refcase_hex_list(refcase *c, const yaml_node_t *n, size_t item_len, uint8_t **out, size_t *count) {
    *out = NULL;
    *count = 0;
    if (!n || n->type != YAML_SEQUENCE_NODE) return -1;
    size_t k = refcase_list_len(n);
    if (k == 0) return 1;
    uint8_t *buf = malloc(k * item_len);
    if (!buf) return -1;
    int worst = 1;
    for (size_t i = 0; i < k && worst >= 0; i++) {
        int r = refcase_hex(refcase_list_item(c, n, i), buf + i * item_len, item_len);
        if (r < worst) worst = r;
    }
    if (worst < 0) {
        free(buf);
        return -1;
    }
    *out = buf;
    *count = k;
    return worst;
}

int refcase_u64_list(refcase *c, const yaml_node_t *n, uint64_t **out, size_t *count) {
    *out = NULL;
    *count = 0;
    if (!n || n->type != YAML_SEQUENCE_NODE) return -1;
    size_t k = refcase_list_len(n);
    if (k == 0) return 1;
    uint64_t *v = malloc(k * sizeof *v);
    if (!v) return -1;
    for (size_t i = 0; i < k; i++) {
        yaml_node_t *it = refcase_list_item(c, n, i);
        char buf[32], *end;
        if (!it || it->type != YAML_SCALAR_NODE || it->data.scalar.length == 0 ||
            it->data.scalar.length >= sizeof buf || it->data.scalar.value[0] == '-') {
            free(v);
            return -1;
        }
        memcpy(buf, it->data.scalar.value, it->data.scalar.length);
        buf[it->data.scalar.length] = '\0';
        v[i] = strtoull(buf, &end, 10);
        if (*end) {
            free(v);
            return -1;
        }
    }
    *out = v;
    *count = k;
    return 1;
}

/* Appends the hex strings under n to *buf (growing it). */
static int concat_into(refcase *c, const yaml_node_t *n, uint8_t **buf, size_t *len, size_t *cap) {
    if (!n) return -1;
    if (n->type == YAML_SEQUENCE_NODE) {
        for (size_t i = 0; i < refcase_list_len(n); i++)
            if (concat_into(c, refcase_list_item(c, n, i), buf, len, cap) < 0) return -1;
        return 1;
    }
    const unsigned char *d;
    if (n->type != YAML_SCALAR_NODE) return -1;
    size_t k = hex_len(n, &d);
    if (k == SIZE_MAX) return -1;
    if (*len + k > *cap) {
        size_t ncap = 2 * (*len + k);
        uint8_t *nb = realloc(*buf, ncap);
        if (!nb) return -1;
        *buf = nb, *cap = ncap;
    }
    refcase_hex(n, *buf + *len, k);
    *len += k;
    return 1;
}

int refcase_concat(refcase *c, const yaml_node_t *n, uint8_t **out, size_t *len) {
    size_t cap = 0;
    *out = NULL;
    *len = 0;
    if (concat_into(c, n, out, len, &cap) < 0) {
        free(*out);
        *out = NULL;
        return -1;
    }
    return 1;
}
