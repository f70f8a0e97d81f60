/*
 * poly/poly.c — roots of unity, bit reversal, radix-2 FFT and barycentric evaluation over Fr.
 */
#include "poly/poly.h"

#include <pthread.h>

#include "backend/backend.h"
#include "backend/x86_64/ifma_fr.h"

#define PRIMITIVE_ROOT_OF_UNITY 7

bool poly_is_power_of_two(size_t n) { return n != 0 && (n & (n - 1)) == 0; }

unsigned poly_log2(size_t n) {
    unsigned l = 0;
    while (((size_t)1 << l) < n) l++;
    return l;
}

size_t poly_reverse_bits(size_t i, unsigned log_n) {
    size_t r = 0;
    for (unsigned b = 0; b < log_n; b++) {
        r = (r << 1) | (i & 1);
        i >>= 1;
    }
    return r;
}

static void swap_bytes(uint8_t *a, uint8_t *b, size_t len) {
    while (len--) {
        uint8_t t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

bool poly_bit_reversal_permutation(void *a, size_t elem_size, size_t n) {
    if (!poly_is_power_of_two(n)) return false;
    unsigned log_n = poly_log2(n);
    uint8_t *p = a;
    for (size_t i = 0; i < n; i++) {
        size_t j = poly_reverse_bits(i, log_n);
        if (i < j) swap_bytes(p + i * elem_size, p + j * elem_size, elem_size);
    }
    return true;
}

/* (r - 1) >> log_n as plain limbs: exact, since 2^32 divides r - 1. */
static void r_minus_one_shifted(uint64_t out[4], unsigned log_n) {
    uint64_t e[4] = {FR_R[0] - 1, FR_R[1], FR_R[2], FR_R[3]}; /* r is odd: no borrow */
    for (unsigned s = 0; s < log_n; s++) {
        for (int k = 0; k < 4; k++) e[k] = (e[k] >> 1) | (k < 3 ? e[k + 1] << 63 : 0);
    }
    memcpy(out, e, sizeof e);
}

bool poly_root_of_unity(fr_t *out, size_t n) {
    if (!poly_is_power_of_two(n) || poly_log2(n) > POLY_MAX_LOG2_DOMAIN) {
        *out = FR_ZERO;
        return false;
    }
    uint64_t e[4];
    fr_t g;
    r_minus_one_shifted(e, poly_log2(n));
    fr_from_u64(&g, PRIMITIVE_ROOT_OF_UNITY);
    fr_pow_var(out, &g, e, 4);
    return true;
}

bool poly_roots_of_unity(fr_t *out, size_t n) {
    fr_t w;
    if (!poly_root_of_unity(&w, n)) return false;
    out[0] = FR_ONE;
    for (size_t i = 1; i < n; i++) fr_mul(&out[i], &out[i - 1], &w);
    return true;
}

static fr_t g_ext_roots[POLY_EXT_ROOTS];
static const fr_t *g_ext_roots_x; /* NULL, or g_ext_roots_x_mem with the IFMA backend */
static pthread_once_t g_ext_roots_once = PTHREAD_ONCE_INIT;
#ifdef KZG_HAVE_IFMA_KERNELS
static fr_t g_ext_roots_x_mem[POLY_EXT_ROOTS];
#endif

/* 8192 is a power of two ≤ 2^32: poly_roots_of_unity cannot fail here. With the IFMA
 * backend also the twiddles of fr_fft_x (8192 fr_mul by 2^4, once a process). */
static void ext_roots_build(void) {
    (void)poly_roots_of_unity(g_ext_roots, POLY_EXT_ROOTS);
#ifdef KZG_HAVE_IFMA_KERNELS
    if (backend_active()->batch_ifma) {
        for (size_t k = 0; k < POLY_EXT_ROOTS; k++) fr_mul(&g_ext_roots_x_mem[k], &g_ext_roots[k], &FR_V8_SCALE);
        g_ext_roots_x = g_ext_roots_x_mem;
    }
#endif
}

const fr_t *poly_ext_roots(void) {
    pthread_once(&g_ext_roots_once, ext_roots_build);
    return g_ext_roots;
}

const fr_t *poly_ext_roots_x(void) {
    pthread_once(&g_ext_roots_once, ext_roots_build);
    return g_ext_roots_x;
}

void poly_inv_domain_size(fr_t *out, size_t n) {
    /* n·(r - (r-1)/n) = n·r - (r - 1) ≡ 1 (mod r). */
    uint64_t q[4], v[4];
    r_minus_one_shifted(q, poly_log2(n));
    unsigned __int128 borrow = 0;
    for (int k = 0; k < 4; k++) {
        unsigned __int128 d = (unsigned __int128)FR_R[k] - q[k] - borrow;
        v[k] = (uint64_t)d;
        borrow = (d >> 64) ? 1 : 0;
    }
    fr_from_raw(out, v);
}

#ifdef KZG_HAVE_IFMA_KERNELS
/* One layer of fft_core (half ≥ 8) eight butterflies at a time with AVX-512 IFMA:
 * backend/x86_64/ifma_fr.h's v8fr over out[s + j0 .. s + j0 + 8) and its partners, the
 * twiddles from roots_x = roots·2^4 (so that each v8fr product is fr_mul's, bit for bit).
 * Per eight butterflies: three transposed loads, one v8fr product (100 IFMAs), an addition
 * and a subtraction, two transposed stores — against eight fr_mul and sixteen scalar
 * additions. */
_Static_assert(POLY_ROOTS_X_SHIFT == FR_V8_SHIFT, "fr_fft_x's twiddles carry the lanes' factor");
static V8_TARGET void fft_layer_v8(fr_t *out, size_t n, size_t len, const fr_t *roots_x,
                                   size_t stride, bool inverse) {
    size_t half = len >> 1, step = n / len;
    for (size_t s0 = 0; s0 < n; s0 += len) {
        for (size_t j0 = 0; j0 < half; j0 += 8) {
            const fr_t *pu[8], *pv[8], *pw[8];
            v8fr u, v, w, t;
            for (size_t l = 0; l < 8; l++) {
                size_t k = (j0 + l) * step;
                pu[l] = &out[s0 + j0 + l];
                pv[l] = pu[l] + half;
                pw[l] = &roots_x[(inverse && k != 0 ? n - k : k) * stride];
            }
            v8fr_load(&u, pu);
            v8fr_load(&v, pv);
            v8fr_load(&w, pw);
            v8fr_mul(&v, &v, &w);
            v8fr_add(&t, &u, &v);
            v8fr_sub(&v, &u, &v);
            v8fr_store(&out[s0 + j0], &t);
            v8fr_store(&out[s0 + j0 + half], &v);
        }
    }
}
#endif

/* Iterative decimation-in-time: bit-reverse the input, then log2(n) butterfly layers.
 * The first butterfly of every block has the twiddle ω^0 = 1 and takes no product:
 * (n/2)·log2(n) − (n − 1) fr_mul in all (n = 64: 129 instead of 192; n = 8192: 49,153
 * instead of 53,248), the same values (a product by one is exact). With roots_x (roots·2^4,
 * same indexing) and the IFMA backend, the layers of eight butterflies or more a block run
 * eight at a time (fft_layer_v8). */
static void fft_core(fr_t *out, const fr_t *in, size_t n, const fr_t *roots, const fr_t *roots_x,
                     size_t stride, bool inverse) {
    unsigned log_n = poly_log2(n);
#ifdef KZG_HAVE_IFMA_KERNELS
    const bool lanes = roots_x && backend_active()->batch_ifma;
#else
    (void)roots_x;
#endif
    for (size_t i = 0; i < n; i++) out[poly_reverse_bits(i, log_n)] = in[i];
    for (size_t len = 2; len <= n; len <<= 1) {
        size_t half = len >> 1, step = n / len; /* ω_len = ω_n^step */
#ifdef KZG_HAVE_IFMA_KERNELS
        if (lanes && half >= 8) {
            fft_layer_v8(out, n, len, roots_x, stride, inverse);
            continue;
        }
#endif
        for (size_t s = 0; s < n; s += len) {
            fr_t u0 = out[s];
            fr_add(&out[s], &u0, &out[s + half]);
            fr_sub(&out[s + half], &u0, &out[s + half]);
            for (size_t j = 1; j < half; j++) {
                size_t k = j * step; /* exponent of ω_n, < n/2 */
                const fr_t *w = &roots[(inverse && k != 0 ? n - k : k) * stride];
                fr_t u = out[s + j], v;
                fr_mul(&v, &out[s + j + half], w);
                fr_add(&out[s + j], &u, &v);
                fr_sub(&out[s + j + half], &u, &v);
            }
        }
    }
}

void fr_fft(fr_t *out, const fr_t *in, size_t n, const fr_t *roots, size_t roots_stride) {
    fft_core(out, in, n, roots, NULL, roots_stride, false);
}

void fr_ifft(fr_t *out, const fr_t *in, size_t n, const fr_t *roots, size_t roots_stride) {
    fr_ifft_x(out, in, n, roots, NULL, roots_stride);
}

void fr_fft_x(fr_t *out, const fr_t *in, size_t n, const fr_t *roots, const fr_t *roots_x,
              size_t roots_stride) {
    fft_core(out, in, n, roots, roots_x, roots_stride, false);
}

void fr_ifft_x(fr_t *out, const fr_t *in, size_t n, const fr_t *roots, const fr_t *roots_x,
               size_t roots_stride) {
    fr_t inv_n;
    fft_core(out, in, n, roots, roots_x, roots_stride, true);
    poly_inv_domain_size(&inv_n, n);
    for (size_t i = 0; i < n; i++) fr_mul(&out[i], &out[i], &inv_n);
}

void poly_eval_barycentric_var(fr_t *y, size_t *index, fr_t *inv, fr_t *tmp, const fr_t *evals,
                               const fr_t *domain, size_t n, const fr_t *z) {
    /* z is in the domain iff z^n = 1; only then is the domain searched. */
    fr_t zn = *z;
    for (size_t k = 1; k < n; k <<= 1) fr_sqr(&zn, &zn);
    size_t m = n;
    if (fr_is_one(&zn)) {
        for (size_t i = 0; i < n; i++) {
            if (fr_eq(&domain[i], z)) {
                m = i;
                break;
            }
        }
    }

    for (size_t i = 0; i < n; i++) fr_sub(&tmp[i], z, &domain[i]); /* tmp[m] = 0 */
    fr_batch_inv_var(inv, tmp, n);                                  /* inv[m] = 0 */

    if (m < n) {
        *y = evals[m];
        *index = m;
        return;
    }
    fr_t acc = FR_ZERO, t, inv_n;
    for (size_t i = 0; i < n; i++) {
        fr_mul(&t, &evals[i], &domain[i]);
        fr_mul(&t, &t, &inv[i]);
        fr_add(&acc, &acc, &t);
    }
    fr_sub(&zn, &zn, &FR_ONE);
    poly_inv_domain_size(&inv_n, n);
    fr_mul(&acc, &acc, &zn);
    fr_mul(y, &acc, &inv_n);
    *index = n;
}
