/* tools/service/protocol.c — the wire protocol's names: endpoints, status identifiers,
 * strict hex, constant-time comparison. Shared by the server, the client and the fuzzer. */
#include <string.h>

#include "service.h"

static const char *const endpoint_names[SVC_N_ENDPOINTS] = {
    [SVC_BLOB_TO_KZG_COMMITMENT] = "blob_to_kzg_commitment",
    [SVC_COMPUTE_KZG_PROOF] = "compute_kzg_proof",
    [SVC_COMPUTE_BLOB_KZG_PROOF] = "compute_blob_kzg_proof",
    [SVC_VERIFY_KZG_PROOF] = "verify_kzg_proof",
    [SVC_VERIFY_BLOB_KZG_PROOF] = "verify_blob_kzg_proof",
    [SVC_VERIFY_BLOB_KZG_PROOF_BATCH] = "verify_blob_kzg_proof_batch",
    [SVC_COMPUTE_CELLS] = "compute_cells",
    [SVC_COMPUTE_CELLS_AND_KZG_PROOFS] = "compute_cells_and_kzg_proofs",
    [SVC_VERIFY_CELL_KZG_PROOF_BATCH] = "verify_cell_kzg_proof_batch",
    [SVC_RECOVER_CELLS_AND_KZG_PROOFS] = "recover_cells_and_kzg_proofs",
    [SVC_PROCESS_BLOBS] = "process_blobs",
};

const char *svc_endpoint_name(svc_endpoint e) {
    return (unsigned)e < SVC_N_ENDPOINTS ? endpoint_names[e] : "unknown";
}

int svc_endpoint_find(const char *name, size_t len) {
    for (int e = 0; e < SVC_N_ENDPOINTS; e++)
        if (strlen(endpoint_names[e]) == len && memcmp(endpoint_names[e], name, len) == 0)
            return e;
    return -1;
}

static const char *const status_names[] = {
    [KZG_OK] = "KZG_OK",
    [KZG_ERR_NULL_ARG] = "KZG_ERR_NULL_ARG",
    [KZG_ERR_LENGTH] = "KZG_ERR_LENGTH",
    [KZG_ERR_SCALAR_NONCANONICAL] = "KZG_ERR_SCALAR_NONCANONICAL",
    [KZG_ERR_POINT_ENCODING] = "KZG_ERR_POINT_ENCODING",
    [KZG_ERR_POINT_NOT_ON_CURVE] = "KZG_ERR_POINT_NOT_ON_CURVE",
    [KZG_ERR_POINT_NOT_IN_SUBGROUP] = "KZG_ERR_POINT_NOT_IN_SUBGROUP",
    [KZG_ERR_SETUP] = "KZG_ERR_SETUP",
    [KZG_ERR_MEMORY] = "KZG_ERR_MEMORY",
    [KZG_ERR_IO] = "KZG_ERR_IO",
    [KZG_ERR_BAD_ARG] = "KZG_ERR_BAD_ARG",
    [KZG_ERR_INTERNAL] = "KZG_ERR_INTERNAL",
};
#define N_STATUS (sizeof status_names / sizeof status_names[0])

const char *svc_status_name(kzg_status st) {
    return (unsigned)st < N_STATUS ? status_names[st] : NULL;
}

bool svc_status_parse(const char *name, kzg_status *out) {
    for (unsigned i = 0; i < N_STATUS; i++)
        if (status_names[i] && strcmp(status_names[i], name) == 0) {
            *out = (kzg_status)i;
            return true;
        }
    return false;
}

static int hex_value(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool svc_hex_decode(uint8_t *out, size_t len, const char *s, size_t n) {
    if (n != 2 + 2 * len || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
    s += 2;
    for (size_t i = 0; i < len; i++) {
        int hi = hex_value((unsigned char)s[2 * i]), lo = hex_value((unsigned char)s[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

char *svc_hex_encode(char *dst, const uint8_t *p, size_t n) {
    static const char digits[] = "0123456789abcdef";
    *dst++ = '0';
    *dst++ = 'x';
    for (size_t i = 0; i < n; i++) {
        *dst++ = digits[p[i] >> 4];
        *dst++ = digits[p[i] & 15];
    }
    return dst;
}

bool svc_equal_ct(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) {
    /* Every byte of the longer input is read whatever the contents; only the lengths
     * (not secret: a token's length is public in practice) shape the loop. */
    size_t n = alen > blen ? alen : blen;
    volatile uint8_t diff = (uint8_t)(alen != blen);
    for (size_t i = 0; i < n; i++) {
        uint8_t x = i < alen ? a[i] : 0, y = i < blen ? b[i] : 0;
        diff |= (uint8_t)(x ^ y);
    }
    return diff == 0;
}
