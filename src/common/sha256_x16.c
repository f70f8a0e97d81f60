/*
 * common/sha256_x16.c — SHA-256 (FIPS 180-4) of sixteen messages at once with AVX-512F:
 * lane l of each 512-bit register is message l's 32-bit word, so one pass of the 64 rounds
 * compresses sixteen blocks. Behind sha256_many (sha256.h), for callers that hash many
 * equally shaped messages (the blob challenges of a batch verification).
 *
 * Why: the CPU's SHA extensions (OpenSSL's path) run one message at a time, bound by the
 * latency of their two-round instruction: 1.6 GB/s on the project's Xeon, and interleaving
 * two or four messages with them measured no faster (the unit's throughput is the same
 * bound). Sixteen lanes of plain AVX-512 arithmetic: 3.2 GB/s there (docs/PERFORMANCE.md
 * §16). Per block and lane: 64 rounds of 4 rotations (two Σ of three rotations share a
 * ternary-logic XOR), Ch and Maj as one ternary-logic instruction each, 7 additions; 48
 * schedule words of 4 rotations/shifts, 2 ternary-logic ops, 3 additions; the 16×16
 * transpose of the loaded blocks (64 shuffles) and a byte swap per word (2 rotations and a
 * select): ~1,700 vector instructions per sixteen 64-byte blocks.
 *
 * Only AVX-512F is used (no BW/VL). Built on x86-64 with GCC or clang (the functions carry
 * their own target attribute); elsewhere sha256_x16_built() is false. The caller must have
 * checked that the CPU runs AVX-512F with ZMM state enabled (sha256_many's `wide`).
 */
#include "common/sha256_x16.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

bool sha256_x16_built(void) { return true; }

#define X16 __attribute__((target("avx512f")))
typedef __m512i v16;

/* The round constants (FIPS 180-4 §4.2.2). */
static const uint32_t X16_K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* The initial hash value (FIPS 180-4 §5.3.3). */
static const uint32_t X16_H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

/* Ternary-logic truth tables (bit (a<<2 | b<<1 | c) of the immediate is f(a, b, c)). */
#define TL_XOR3 0x96   /* a ^ b ^ c */
#define TL_SELECT 0xCA /* a ? b : c (Ch) */
#define TL_MAJ 0xE8    /* majority (Maj) */

#define ROR(x, n) _mm512_ror_epi32((x), (n))
#define XOR3(a, b, c) _mm512_ternarylogic_epi32((a), (b), (c), TL_XOR3)
#define ADD(a, b) _mm512_add_epi32((a), (b))
#define BIG_S0(x) XOR3(ROR(x, 2), ROR(x, 13), ROR(x, 22))
#define BIG_S1(x) XOR3(ROR(x, 6), ROR(x, 11), ROR(x, 25))
#define SMALL_S0(x) XOR3(ROR(x, 7), ROR(x, 18), _mm512_srli_epi32((x), 3))
#define SMALL_S1(x) XOR3(ROR(x, 17), ROR(x, 19), _mm512_srli_epi32((x), 10))

/* Big-endian words: bytes 0..3 of each lane reversed (rotations by 8 one way for bytes 1
 * and 3, the other way for bytes 0 and 2). */
X16 static inline v16 bswap32(v16 x) {
    return _mm512_ternarylogic_epi32(_mm512_set1_epi32(0x00ff00ff), _mm512_rol_epi32(x, 8),
                                     _mm512_ror_epi32(x, 8), TL_SELECT);
}

/* r[i] holds 16 words of message i's block; afterwards r[w] holds word w of all sixteen.
 * Stage 1 interleaves words of row pairs, stage 2 row quadruples: then 128-bit lane k of
 * u[4g + j] is column 4k + j over rows 4g..4g+3; stages 3 and 4 gather those lanes so that
 * column 4k + j = (u[j].k, u[4 + j].k, u[8 + j].k, u[12 + j].k). */
X16 static inline void transpose16(v16 r[16]) {
    v16 u[16];
    for (int g = 0; g < 4; g++) {
        v16 t0 = _mm512_unpacklo_epi32(r[4 * g], r[4 * g + 1]);
        v16 t1 = _mm512_unpackhi_epi32(r[4 * g], r[4 * g + 1]);
        v16 t2 = _mm512_unpacklo_epi32(r[4 * g + 2], r[4 * g + 3]);
        v16 t3 = _mm512_unpackhi_epi32(r[4 * g + 2], r[4 * g + 3]);
        u[4 * g] = _mm512_unpacklo_epi64(t0, t2);
        u[4 * g + 1] = _mm512_unpackhi_epi64(t0, t2);
        u[4 * g + 2] = _mm512_unpacklo_epi64(t1, t3);
        u[4 * g + 3] = _mm512_unpackhi_epi64(t1, t3);
    }
    for (int j = 0; j < 4; j++) {
        v16 a = _mm512_shuffle_i32x4(u[j], u[4 + j], 0x44);      /* u[j].0 .1, u[4+j].0 .1 */
        v16 b = _mm512_shuffle_i32x4(u[j], u[4 + j], 0xEE);      /* .2 .3 of both */
        v16 c = _mm512_shuffle_i32x4(u[8 + j], u[12 + j], 0x44);
        v16 d = _mm512_shuffle_i32x4(u[8 + j], u[12 + j], 0xEE);
        r[j] = _mm512_shuffle_i32x4(a, c, 0x88);      /* lanes .0 of the four */
        r[4 + j] = _mm512_shuffle_i32x4(a, c, 0xDD);  /* lanes .1 */
        r[8 + j] = _mm512_shuffle_i32x4(b, d, 0x88);  /* .2 */
        r[12 + j] = _mm512_shuffle_i32x4(b, d, 0xDD); /* .3 */
    }
}

/* nblocks consecutive 64-byte blocks of each lane, from p[l]. */
X16 static void x16_blocks(v16 st[8], const uint8_t *const p[16], size_t nblocks) {
    for (size_t blk = 0; blk < nblocks; blk++) {
        v16 w[16];
        for (int l = 0; l < 16; l++) w[l] = _mm512_loadu_si512((const void *)(p[l] + 64 * blk));
        transpose16(w);
        for (int i = 0; i < 16; i++) w[i] = bswap32(w[i]);
        v16 a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
        for (int t = 0; t < 64; t++) {
            v16 wt;
            if (t < 16) {
                wt = w[t];
            } else { /* W_t = σ1(W_{t-2}) + W_{t-7} + σ0(W_{t-15}) + W_{t-16}, in a ring of 16 */
                wt = ADD(ADD(SMALL_S1(w[(t - 2) & 15]), w[(t - 7) & 15]),
                         ADD(SMALL_S0(w[(t - 15) & 15]), w[t & 15]));
                w[t & 15] = wt;
            }
            v16 t1 = ADD(ADD(h, BIG_S1(e)), ADD(_mm512_ternarylogic_epi32(e, f, g, TL_SELECT),
                                                ADD(_mm512_set1_epi32((int)X16_K[t]), wt)));
            v16 t2 = ADD(BIG_S0(a), _mm512_ternarylogic_epi32(a, b, c, TL_MAJ));
            h = g;
            g = f;
            f = e;
            e = ADD(d, t1);
            d = c;
            c = b;
            b = a;
            a = ADD(t1, t2);
        }
        st[0] = ADD(st[0], a);
        st[1] = ADD(st[1], b);
        st[2] = ADD(st[2], c);
        st[3] = ADD(st[3], d);
        st[4] = ADD(st[4], e);
        st[5] = ADD(st[5], f);
        st[6] = ADD(st[6], g);
        st[7] = ADD(st[7], h);
    }
}

X16 void sha256_x16(uint8_t out[16][32], const uint8_t *const *pieces, const size_t *lens,
                    size_t npieces) {
    v16 st[8];
    uint8_t buf[16][64];
    const uint8_t *p[16];
    size_t fill = 0; /* bytes waiting in each lane's buf (the same for all lanes) */
    uint64_t total = 0;
    for (int i = 0; i < 8; i++) st[i] = _mm512_set1_epi32((int)X16_H0[i]);
    for (size_t k = 0; k < npieces; k++) {
        size_t len = lens[k], off = 0;
        total += len;
        if (fill) { /* complete the pending block first */
            size_t take = 64 - fill < len ? 64 - fill : len;
            for (int l = 0; l < 16; l++) memcpy(buf[l] + fill, pieces[(size_t)l * npieces + k], take);
            fill += take;
            off = take;
            if (fill < 64) continue; /* the piece ended inside the block */
            for (int l = 0; l < 16; l++) p[l] = buf[l];
            x16_blocks(st, p, 1);
            fill = 0;
        }
        size_t whole = (len - off) / 64;
        if (whole) {
            for (int l = 0; l < 16; l++) p[l] = pieces[(size_t)l * npieces + k] + off;
            x16_blocks(st, p, whole);
            off += 64 * whole;
        }
        fill = len - off;
        for (int l = 0; l < 16; l++)
            if (fill) memcpy(buf[l], pieces[(size_t)l * npieces + k] + off, fill);
    }
    /* Padding: 0x80, zeros, the bit length as a 64-bit big-endian integer at the end of a
     * block (a second block when fewer than 9 bytes are left in this one). */
    for (int l = 0; l < 16; l++) p[l] = buf[l];
    for (int l = 0; l < 16; l++) {
        buf[l][fill] = 0x80;
        memset(buf[l] + fill + 1, 0, 64 - fill - 1);
    }
    if (fill + 1 > 56) {
        x16_blocks(st, p, 1);
        for (int l = 0; l < 16; l++) memset(buf[l], 0, 56);
    }
    uint64_t bits = total * 8;
    for (int l = 0; l < 16; l++)
        for (int i = 0; i < 8; i++) buf[l][56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    x16_blocks(st, p, 1);
    uint32_t words[8][16];
    for (int i = 0; i < 8; i++) _mm512_storeu_si512((void *)words[i], st[i]);
    for (int l = 0; l < 16; l++)
        for (int i = 0; i < 8; i++) {
            uint32_t v = words[i][l];
            out[l][4 * i] = (uint8_t)(v >> 24);
            out[l][4 * i + 1] = (uint8_t)(v >> 16);
            out[l][4 * i + 2] = (uint8_t)(v >> 8);
            out[l][4 * i + 3] = (uint8_t)v;
        }
}

#else

bool sha256_x16_built(void) { return false; }

void sha256_x16(uint8_t out[16][32], const uint8_t *const *pieces, const size_t *lens,
                size_t npieces) {
    (void)out, (void)pieces, (void)lens, (void)npieces; /* never called: not built */
}

#endif
