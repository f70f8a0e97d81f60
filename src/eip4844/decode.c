/* eip4844/decode.c — see decode.h. */
#include "eip4844/decode.h"

#include <stdio.h>

#include "runtime/pool.h"
#include "setup/setup.h"

const char *decode_label(char buf[48], const char *name, size_t idx) {
    if (idx == SIZE_MAX) return name;
    snprintf(buf, 48, "%s[%zu]", name, idx);
    return buf;
}

kzg_status decode_g1(g1_aff_t *out, const kzg_g1_bytes *in, const char *name, size_t idx) {
    kzg_status st = g1_decompress(out, in->bytes);
    if (st != KZG_OK) {
        char buf[48];
        const char *why = st == KZG_ERR_POINT_ENCODING ? "bad encoding (flags, or x >= p)"
                                                       : kzg_status_str(st);
        return kzg_fail(st, "%s: %s", decode_label(buf, name, idx), why);
    }
    return KZG_OK;
}

/* decode_g1_many over the pool: each task decodes its own indices. */
typedef struct decode_job {
    const kzg_g1_bytes *in;
    g1_aff_t *out;
    kzg_status *st;
} decode_job;

static void decode_task(void *arg, size_t begin, size_t end, unsigned thread) {
    const decode_job *job = arg;
    (void)thread;
    g1_decompress_many(&job->out[begin], &job->st[begin], job->in[begin].bytes,
                       sizeof job->in[0], end - begin);
}

void decode_g1_many(const kzg_ctx *ctx, g1_aff_t *out, kzg_status *st, const kzg_g1_bytes *in,
                    size_t n) {
    decode_job job = {in, out, st};
    pool_parallel_for(ctx->pool, n, 16, decode_task, &job);
}

kzg_status decode_fr(fr_t *out, const kzg_field_element *in, const char *name) {
    if (!fr_from_bytes_be(out, in->bytes))
        return kzg_fail(KZG_ERR_SCALAR_NONCANONICAL, "%s: not a canonical field element (>= r)", name);
    return KZG_OK;
}

static kzg_status noncanonical(const char *name, size_t idx, size_t j) {
    char buf[48];
    return kzg_fail(KZG_ERR_SCALAR_NONCANONICAL, "%s: field element %zu is not canonical (>= r)",
                    decode_label(buf, name, idx), j);
}

kzg_status decode_fr_array(fr_t *out, const uint8_t *bytes, size_t n, const char *name,
                           size_t idx) {
    for (size_t j = 0; j < n; j++)
        if (!fr_from_bytes_be(&out[j], bytes + j * KZG_BYTES_PER_FIELD_ELEMENT))
            return noncanonical(name, idx, j);
    return KZG_OK;
}

static inline uint64_t be64_to_host(uint64_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return v;
#else
    return __builtin_bswap64(v);
#endif
}

kzg_status decode_blob_raw(msm_scalar *out, const kzg_blob *blob, const char *name, size_t idx) {
    for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) {
        const uint8_t *b = blob->bytes + i * KZG_BYTES_PER_FIELD_ELEMENT;
        uint64_t *l = out[i].l;
        for (int k = 0; k < 4; k++) {
            uint64_t v;
            memcpy(&v, b + (3 - k) * 8, 8);
            l[k] = be64_to_host(v);
        }
        /* canonical iff l < r: compare from the top limb */
        int k = 3;
        while (k > 0 && l[k] == FR_R[k]) k--;
        if (l[k] >= FR_R[k]) return noncanonical(name, idx, i);
    }
    return KZG_OK;
}

void encode_g1(kzg_g1_bytes *out, const g1_t *p) {
    g1_aff_t a;
    g1_to_aff(&a, p);
    g1_compress(out->bytes, &a);
}

void encode_u64_be(uint8_t out[8], uint64_t v) {
    for (int i = 7; i >= 0; i--, v >>= 8) out[i] = (uint8_t)v;
}
