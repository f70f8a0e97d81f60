/* common/status.c — status strings and the per-thread error detail behind kzg_last_error. */
#include <stdarg.h>
#include <stdio.h>

#include "common/common.h"

static _Thread_local char last_error[KZG_ERROR_DETAIL_LEN];

const char *kzg_status_str(kzg_status status) {
    switch (status) {
    case KZG_OK: return "ok";
    case KZG_ERR_NULL_ARG: return "null argument";
    case KZG_ERR_LENGTH: return "wrong length or count";
    case KZG_ERR_SCALAR_NONCANONICAL: return "field element not canonical (>= r)";
    case KZG_ERR_POINT_ENCODING: return "bad point encoding";
    case KZG_ERR_POINT_NOT_ON_CURVE: return "point not on curve";
    case KZG_ERR_POINT_NOT_IN_SUBGROUP: return "point not in subgroup";
    case KZG_ERR_SETUP: return "bad trusted setup";
    case KZG_ERR_MEMORY: return "out of memory";
    case KZG_ERR_IO: return "i/o error";
    case KZG_ERR_BAD_ARG: return "argument out of range";
    case KZG_ERR_INTERNAL: return "internal error";
    }
    return "unknown status";
}

const char *kzg_last_error(void) { return last_error; }

void kzg_clear_error(void) { last_error[0] = '\0'; }

kzg_status kzg_fail(kzg_status status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return status;
}

bool kzg_options_size_ok(uint32_t struct_size, const size_t *field_ends, size_t n_fields) {
    for (size_t i = 0; i < n_fields; i++)
        if (struct_size == field_ends[i]) return true;
    return false;
}

kzg_status kzg_options_copy(void *dst, size_t dst_size, const void *src, uint32_t struct_size,
                            const size_t *field_ends, size_t n_fields, const char *what) {
    memset(dst, 0, dst_size);
    if (!src) return KZG_OK;
    if (struct_size == 0)
        return kzg_fail(KZG_ERR_BAD_ARG, "%s: struct_size is 0; set it to sizeof(%s)", what, what);
    if (!kzg_options_size_ok(struct_size, field_ends, n_fields))
        return kzg_fail(KZG_ERR_BAD_ARG,
                        "%s: struct_size %u is not a size this library knows (current: %zu)",
                        what, struct_size, dst_size);
    memcpy(dst, src, struct_size);
    return KZG_OK;
}

const char *kzg_version(void) { return KZGKIT_VERSION_STRING; }
