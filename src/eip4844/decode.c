/* eip4844/decode.c — see decode.h. */
#include "eip4844/decode.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(KZGKIT_NO_ASM)
#include <immintrin.h>
#endif

#include "backend/cpu.h"
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

/* The sum of the decoded elements (at most 4096), kept in eight column sums: word k of every
 * element split into its 32-bit halves, column 2k + h summing half h (each < 2^44). */
typedef struct blob_sums { uint64_t col[8]; } blob_sums;

/* Σ col[j]·2^(32j) mod r, a plain value < r: the columns carried into the integer W = the sum
 * of the (at most 4096) elements (< 4096·r, five words), then r·2^s subtracted for
 * s = 11..0 whenever it fits (after step s, W < r·2^s). */
static void blob_sum_reduce(fr_t *out, const blob_sums *s) {
    uint64_t w[5] = {0, 0, 0, 0, 0};
    for (int j = 0; j < 8; j++) { /* add col[j] << 32j */
        unsigned __int128 c = 0;
        unsigned sh = 32u * (unsigned)j;
        uint64_t lo = s->col[j] << (sh % 64), hi = sh % 64 ? s->col[j] >> (64 - sh % 64) : 0;
        for (unsigned k = sh / 64; k < 5; k++) {
            uint64_t add = k == sh / 64 ? lo : k == sh / 64 + 1 ? hi : 0;
            c += (unsigned __int128)w[k] + add;
            w[k] = (uint64_t)c;
            c >>= 64;
        }
    }
    for (int sft = 11; sft >= 0; sft--) {
        uint64_t rs[5], d[5];
        for (int k = 0; k < 5; k++) { /* r << sft */
            uint64_t cur = k < 4 ? FR_R[k] : 0, prev = k > 0 ? FR_R[k - 1] : 0;
            rs[k] = sft ? (cur << sft) | (prev >> (64 - sft)) : cur;
        }
        unsigned __int128 br = 0;
        for (int k = 0; k < 5; k++) {
            unsigned __int128 t = (unsigned __int128)w[k] - rs[k] - br;
            d[k] = (uint64_t)t;
            br = (t >> 64) & 1;
        }
        if (!br) memcpy(w, d, sizeof w);
    }
    memcpy(out->l, w, sizeof out->l);
}

/* Element i < r, compared from the top word. */
static bool blob_elem_canonical(const uint64_t l[4]) {
    int k = 3;
    while (k > 0 && l[k] == FR_R[k]) k--;
    return l[k] < FR_R[k];
}

/* Returns whether some element's top word reached r's (the only ones that may not be
 * canonical), as the AVX2 path does. */
static bool raw_decode_scalar(msm_scalar *out, blob_sums *s, const uint8_t *bytes, size_t n) {
    bool flag = false;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *b = bytes + i * KZG_BYTES_PER_FIELD_ELEMENT;
        uint64_t *l = out[i].l;
        for (int k = 0; k < 4; k++) {
            uint64_t v;
            memcpy(&v, b + (3 - k) * 8, 8);
            l[k] = be64_to_host(v);
            if (s) {
                s->col[2 * k] += l[k] & 0xffffffffu;
                s->col[2 * k + 1] += l[k] >> 32;
            }
        }
        flag |= l[3] >= FR_R[3];
    }
    return flag;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(KZGKIT_NO_ASM)
/* With AVX2 (every CPU of the mulx/adx and IFMA backends has it): one 32-byte load, a byte
 * reversal (within each 128-bit half, then the halves swapped) and one store an element; the
 * column sums as two vector additions; the elements whose top word reaches r's (possibly not
 * canonical, the only ones) flagged in a vector and looked at afterwards. */
__attribute__((target("avx2"))) static bool raw_decode_avx2(msm_scalar *out, blob_sums *s, const uint8_t *bytes,
                                                              size_t n) {
    const __m256i REV = _mm256_setr_epi8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11,
                                         10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    const __m256i LO = _mm256_set1_epi64x(0xffffffff), SIGN = _mm256_set1_epi64x((long long)(1ULL << 63));
    /* top word ≥ r's, unsigned, in word 3 only: (w ^ 2^63) > ((r3 − 1) ^ 2^63) signed */
    const __m256i TOP = _mm256_setr_epi64x(LLONG_MAX, LLONG_MAX, LLONG_MAX, (long long)((FR_R[3] - 1) ^ (1ULL << 63)));
    __m256i lo = _mm256_setzero_si256(), hi = _mm256_setzero_si256(), flag = _mm256_setzero_si256();
    for (size_t i = 0; i < n; i++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(bytes + i * KZG_BYTES_PER_FIELD_ELEMENT));
        v = _mm256_permute4x64_epi64(_mm256_shuffle_epi8(v, REV), 0x4E);
        _mm256_storeu_si256((__m256i *)out[i].l, v);
        lo = _mm256_add_epi64(lo, _mm256_and_si256(v, LO));
        hi = _mm256_add_epi64(hi, _mm256_srli_epi64(v, 32));
        flag = _mm256_or_si256(flag, _mm256_cmpgt_epi64(_mm256_xor_si256(v, SIGN), TOP));
    }
    if (s) {
        uint64_t a[4], b[4];
        _mm256_storeu_si256((__m256i *)a, lo);
        _mm256_storeu_si256((__m256i *)b, hi);
        for (int k = 0; k < 4; k++) {
            s->col[2 * k] = a[k];
            s->col[2 * k + 1] = b[k];
        }
    }
    return !_mm256_testz_si256(flag, flag);
}
#endif

/* The index of the first element that is not canonical, or SIZE_MAX. */
static size_t raw_first_noncanonical(const msm_scalar *out, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!blob_elem_canonical(out[i].l)) return i;
    return SIZE_MAX;
}

/* n elements into plain integers, their sum (n ≤ 4096) when sum is not NULL; AVX2 when
 * vector and the CPU has it. */
static kzg_status raw_decode(msm_scalar *out, fr_t *sum, const uint8_t *bytes, size_t n, const char *name, size_t idx,
                             bool vector) {
    blob_sums s = {{0}};
    bool check;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(KZGKIT_NO_ASM)
    if (vector && cpu_features_get()->avx2) check = raw_decode_avx2(out, sum ? &s : NULL, bytes, n);
    else check = raw_decode_scalar(out, sum ? &s : NULL, bytes, n);
#else
    (void)vector;
    check = raw_decode_scalar(out, sum ? &s : NULL, bytes, n);
#endif
    if (check) { /* only when a top word reached r's: then element by element, in order */
        size_t j = raw_first_noncanonical(out, n);
        if (j != SIZE_MAX) return noncanonical(name, idx, j);
    }
    if (sum) blob_sum_reduce(sum, &s);
    return KZG_OK;
}

kzg_status decode_blob_raw_sum_with(msm_scalar *out, fr_t *sum, const kzg_blob *blob, const char *name, size_t idx,
                                    bool vector) {
    return raw_decode(out, sum, blob->bytes, KZG_FIELD_ELEMENTS_PER_BLOB, name, idx, vector);
}

kzg_status decode_fr_array_raw(msm_scalar *out, const uint8_t *bytes, size_t n, const char *name, size_t idx) {
    return raw_decode(out, NULL, bytes, n, name, idx, true);
}

kzg_status decode_blob_raw_sum(msm_scalar *out, fr_t *sum, const kzg_blob *blob, const char *name, size_t idx) {
    return decode_blob_raw_sum_with(out, sum, blob, name, idx, true);
}

kzg_status decode_blob_raw(msm_scalar *out, const kzg_blob *blob, const char *name, size_t idx) {
    return decode_blob_raw_sum_with(out, NULL, blob, name, idx, true);
}

void encode_g1(kzg_g1_bytes *out, const g1_t *p) {
    g1_aff_t a;
    g1_to_aff(&a, p);
    g1_compress(out->bytes, &a);
}

void encode_u64_be(uint8_t out[8], uint64_t v) {
    for (int i = 7; i >= 0; i--, v >>= 8) out[i] = (uint8_t)v;
}
