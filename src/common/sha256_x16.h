/*
 * common/sha256_x16.h — SHA-256 of sixteen equally shaped messages at once with AVX-512F
 * (sha256_x16.c). Internal to common: callers use sha256_many (sha256.h).
 */
#ifndef KZGKIT_COMMON_SHA256_X16_H
#define KZGKIT_COMMON_SHA256_X16_H

#include "common/common.h"

/* Whether the kernel exists in this build (x86-64 with GCC or clang). */
bool sha256_x16_built(void);

/* out[l] = SHA-256 of message l (l < 16), the concatenation of its npieces pieces:
 * piece k of message l at pieces[l·npieces + k], lens[k] bytes (the same for every
 * message). Only on a CPU that runs AVX-512F with ZMM state enabled. */
void sha256_x16(uint8_t out[16][32], const uint8_t *const *pieces, const size_t *lens,
                size_t npieces);

#endif
