/*
 * field/fp_modinv.h — variable-time modular inversion shared by Fp and Fr (internal).
 *
 * Owns: the Bernstein–Yang "safegcd" inversion on signed 62-bit limbs. May call: nothing.
 * Used by fp.c and fr.c only; not part of any contract other modules code against.
 *
 * Method: D. J. Bernstein, B.-Y. Yang, "Fast constant-time gcd computation and modular
 * inversion", TCHES 2019(3) (divsteps, transition matrices of 62 steps), in the
 * variable-time form whose structure is described in bitcoin-core/secp256k1
 * doc/safegcd_implementation.md (several divsteps per loop turn, shrinking operand length).
 */
#ifndef KZGKIT_FIELD_FP_MODINV_H
#define KZGKIT_FIELD_FP_MODINV_H

#include <stddef.h>
#include <stdint.h>

#define FP_MODINV_MAX_LIMBS 7 /* 7 × 62 = 434 bits: room for a signed 381-bit value */

typedef struct {
    int64_t m[FP_MODINV_MAX_LIMBS]; /* the odd modulus M, 62-bit limbs, little-endian */
    uint64_t m_inv62;               /* M^-1 mod 2^62 */
    int n62;                        /* number of 62-bit limbs used (ceil((bits+2)/62)) */
    int n64;                        /* number of 64-bit limbs of the plain representation */
} fp_modinv_modulus;
/* Every 62-bit limb of an input starts inside its n64 words: 62·(n62 − 1) < 64·n64
 * (Fp 372 < 384, Fr 248 < 256; static assertions beside the two descriptors). */

/* out = in^-1 mod M for a plain integer 0 < in < M given as n64 little-endian 64-bit limbs
 * (out may alias in); in = 0 gives out = 0. Variable time. */
void fp_modinv_var(uint64_t *out, const uint64_t *in, const fp_modinv_modulus *mod);

#endif
