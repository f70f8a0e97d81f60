/*
 * test/ckzg/refcase.h — one consensus-spec reference case (FUNCTION/SUITE/CASE/data.yaml)
 * read with libyaml: `input` is a mapping of hex strings, integers and lists of them;
 * `output` is null (the call must fail), a bool, a hex string or a list (of lists) of them.
 */
#ifndef KZGKIT_TEST_CKZG_REFCASE_H
#define KZGKIT_TEST_CKZG_REFCASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

typedef struct refcase {
    yaml_document_t doc;
    yaml_node_t *input;  /* the `input` mapping */
    yaml_node_t *output; /* the `output` node */
} refcase;

/* Reads a case; 0 on success, -1 (with a line on stderr) when the file does not parse or
 * lacks `input`/`output`. On success, refcase_free releases it. */
int refcase_load(refcase *c, const char *path);
void refcase_free(refcase *c);

/* The input named `key`, or NULL. */
yaml_node_t *refcase_input(refcase *c, const char *key);

/* The expected output: whether it is null; a bool (1 true, 0 false, -1 not a bool). */
bool refcase_output_is_null(const refcase *c);
int refcase_output_bool(const refcase *c);

/* The items of a list node (NULL count 0 when n is not a list). */
size_t refcase_list_len(const yaml_node_t *n);
yaml_node_t *refcase_list_item(refcase *c, const yaml_node_t *n, size_t i);

/* The bytes of a hex string node into out[len]: 1 when it holds exactly len bytes, 0 when
 * it is a hex string of another length or with a bad digit (an input the bindings refuse),
 * -1 when n is missing or not a string (a malformed case). */
int refcase_hex(const yaml_node_t *n, uint8_t *out, size_t len);

/* A list of hex strings of item_len bytes each, into a new malloc'ed array (*out, *count;
 * NULL for an empty list): 1, 0 or -1 as refcase_hex, the worst item deciding. */
int refcase_hex_list(refcase *c, const yaml_node_t *n, size_t item_len, uint8_t **out, size_t *count);

/* A list of unsigned decimal integers: 1 ok, -1 malformed (including out of memory). */
int refcase_u64_list(refcase *c, const yaml_node_t *n, uint64_t **out, size_t *count);

/* All hex strings under n (a string, or lists of them at any depth) concatenated into a new
 * malloc'ed buffer: the form in which outputs are compared. 1 ok, -1 malformed. */
int refcase_concat(refcase *c, const yaml_node_t *n, uint8_t **out, size_t *len);

#endif
