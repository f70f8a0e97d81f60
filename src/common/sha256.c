/* common/sha256.c — see sha256.h. */
#include "common/sha256.h"

#include <openssl/evp.h>
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

long sha256_fail_at;
bool sha256_fail_alloc;

void sha256_begin(sha256_stream *s) {
    pthread_once(&g_sha256_once, sha256_fetch); /* after the first time: one atomic load */
    if (sha256_fail_at > 0 && --sha256_fail_at == 0) { /* injected (sha256.h) */
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

kzg_status sha256_end(sha256_stream *s, uint8_t out[32], const char *who) {
    unsigned int len = 0;
    bool no_md = !s->md;
    bool ok = !s->failed && EVP_DigestFinal_ex(s->md, out, &len) == 1 && len == 32;
    EVP_MD_CTX_free(s->md); /* NULL allowed */
    s->md = NULL;
    if (no_md) return kzg_fail(KZG_ERR_MEMORY, "%s: cannot allocate a SHA-256 context", who);
    if (!ok) return kzg_fail(KZG_ERR_INTERNAL, "%s: SHA-256 failed", who);
    return KZG_OK;
}
