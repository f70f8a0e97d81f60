/*
 * test/ckzg/setup_text.h — the mainnet trusted setup for the ckzg.h tests: its points read
 * from data/trusted_setup.json, and c-kzg-4844's trusted_setup.txt rendered from them
 * (byte-identical to c-kzg's file: the tests check its SHA-256).
 */
#ifndef KZGKIT_TEST_CKZG_SETUP_TEXT_H
#define KZGKIT_TEST_CKZG_SETUP_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define SETUP_TEXT_G1 4096
#define SETUP_TEXT_G2 65

/* The compressed points, Lagrange basis in natural order (as the files carry them). */
typedef struct setup_raw {
    uint8_t g1_monomial[SETUP_TEXT_G1 * 48];
    uint8_t g1_lagrange[SETUP_TEXT_G1 * 48];
    uint8_t g2_monomial[SETUP_TEXT_G2 * 96];
} setup_raw;

/* Reads the three arrays of a setup JSON file; 0 on success, else -1 after printing why. */
int setup_raw_from_json(setup_raw *out, const char *json_path);

/* c-kzg's text form: "4096\n65\n", the Lagrange, G2 and monomial points, one lowercase hex
 * line each. A malloc'ed buffer of *len bytes (NUL-terminated), NULL when out of memory. */
char *setup_raw_to_text(const setup_raw *s, size_t *len);

#endif
