/* common/sha256.c — see sha256.h. */
#include "common/sha256.h"
#include "common/sha256_x16.h"

#include <openssl/evp.h>
#include <string.h>
#include <pthread.h>

/* The fetched implementation, kept for the process's lifetime (an explicit fetch instead of
 * EVP_sha256()'s implicit one on every digest). NULL until the first sha256_prepare or
 * sha256_begin, or if the fetch failed: digests then use EVP_sha256(). */
static EVP_MD *g_sha256;
static pthread_once_t g_sha256_once = PTHREAD_ONCE_INIT;

static void sha256_fetch(void) { g_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL); }

kzg_status sha256_prepare(void) {
    pthread_once(&g_sha256_once, sha256_fetch);
    if (!g_sha256) return kzg_fail(KZG_ERR_INTERNAL, "SHA-256: OpenSSL has no SHA-256 implementation");
    return KZG_OK;
}

_Atomic long sha256_fail_at;
bool sha256_fail_alloc;

/* The injected fault (sha256.h): counts this digest down; true for the one that takes the
 * counter from 1 to 0. A relaxed load when no fault is armed (production). */
static bool fault_fires(void) {
    long v = atomic_load_explicit(&sha256_fail_at, memory_order_relaxed);
    while (v > 0)
        if (atomic_compare_exchange_weak_explicit(&sha256_fail_at, &v, v - 1, memory_order_relaxed,
                                                  memory_order_relaxed))
            return v == 1;
    return false;
}

void sha256_begin(sha256_stream *s) {
    pthread_once(&g_sha256_once, sha256_fetch); /* after the first time: one atomic load */
    if (fault_fires()) { /* injected (sha256.h) */
        s->md = sha256_fail_alloc ? NULL : EVP_MD_CTX_new();
        s->failed = true;
        return;
    }
    s->md = EVP_MD_CTX_new();
    s->failed = !s->md || EVP_DigestInit_ex(s->md, g_sha256 ? g_sha256 : EVP_sha256(), NULL) != 1;
}

void sha256_add(sha256_stream *s, const void *p, size_t n) {
    if (s->failed || n == 0) return;
    s->failed = EVP_DigestUpdate(s->md, p, n) != 1;
}

kzg_status sha256_failure(kzg_status st, const char *who) {
    if (st == KZG_ERR_MEMORY) return kzg_fail(KZG_ERR_MEMORY, "%s: cannot allocate a SHA-256 context", who);
    return kzg_fail(KZG_ERR_INTERNAL, "%s: SHA-256 failed", who);
}

kzg_status sha256_end(sha256_stream *s, uint8_t out[32], const char *who) {
    unsigned int len = 0;
    bool no_md = !s->md;
    bool ok = !s->failed && EVP_DigestFinal_ex(s->md, out, &len) == 1 && len == 32;
    EVP_MD_CTX_free(s->md); /* NULL allowed */
    s->md = NULL;
    if (no_md) return sha256_failure(KZG_ERR_MEMORY, who);
    if (!ok) return sha256_failure(KZG_ERR_INTERNAL, who);
    return KZG_OK;
}

/* Up to 16 messages from `first` through the wide kernel; lanes beyond count repeat message
 * `first` (their digests are dropped). A message whose injected fault fires is hashed
 * anyway and reported failed. */
static kzg_status sha256_many_wide(uint8_t (*out)[32], kzg_status *st, size_t count,
                                   const uint8_t *const *pieces, const size_t *lens,
                                   size_t npieces, const char *who) {
    enum { MAX_PIECES = 8 };
    const uint8_t *lanes[16 * MAX_PIECES];
    uint8_t digests[16][32];
    kzg_status ret = KZG_OK;
    for (size_t l = 0; l < 16; l++)
        for (size_t k = 0; k < npieces; k++) lanes[l * npieces + k] = pieces[(l < count ? l : 0) * npieces + k];
    sha256_x16(digests, lanes, lens, npieces);
    for (size_t i = 0; i < count; i++) {
        st[i] = KZG_OK;
        if (fault_fires()) /* injected (sha256.h) */
            st[i] = sha256_fail_alloc ? KZG_ERR_MEMORY : KZG_ERR_INTERNAL;
        if (st[i] == KZG_OK) {
            memcpy(out[i], digests[i], 32);
        } else {
            memset(out[i], 0, 32);
            if (ret == KZG_OK) ret = sha256_failure(st[i], who);
        }
    }
    return ret;
}

kzg_status sha256_many(uint8_t (*out)[32], kzg_status *st, size_t count,
                       const uint8_t *const *pieces, const size_t *lens, size_t npieces, bool wide,
                       const char *who) {
    kzg_status ret = KZG_OK;
    wide = wide && npieces <= 8 && sha256_x16_built();
    for (size_t i0 = 0; i0 < count; i0 += 16) {
        size_t c = count - i0 < 16 ? count - i0 : 16;
        const uint8_t *const *pc = pieces + i0 * npieces;
        kzg_status r;
        if (wide && c >= SHA256_MANY_WIDE_MIN) {
            r = sha256_many_wide(out + i0, st + i0, c, pc, lens, npieces, who);
        } else {
            r = KZG_OK;
            for (size_t i = 0; i < c; i++) {
                sha256_stream s;
                sha256_begin(&s);
                for (size_t k = 0; k < npieces; k++) sha256_add(&s, pc[i * npieces + k], lens[k]);
                st[i0 + i] = sha256_end(&s, out[i0 + i], who);
                if (st[i0 + i] != KZG_OK) {
                    memset(out[i0 + i], 0, 32);
                    if (r == KZG_OK) r = st[i0 + i];
                }
            }
        }
        if (ret == KZG_OK) ret = r;
    }
    return ret;
}
