/* test/fuzz/fuzz_fr_decode.c — 32-byte big-endian scalars (field/fr.h).
 * Properties: fr_from_bytes_be accepts exactly the values below r (checked against a
 * byte-wise comparison with r) and round-trips them; fr_from_bytes_be_reduce always gives
 * a canonical value, equal to the input when the input is already below r, and equal to
 * input - r or input - 2r otherwise (2^256 < 3r). */
#include "field/fr.h"
#include "fuzz_common.h"

/* r, big-endian. */
static const uint8_t R_BE[32] = {
    0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8, 0x08, 0x09, 0xa1, 0xd8, 0x05,
    0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe, 0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
};

/* a - b over 256-bit big-endian integers (a >= b). */
static void sub_be(uint8_t out[32], const uint8_t a[32], const uint8_t b[32]) {
    int borrow = 0;
    for (int i = 31; i >= 0; i--) {
        int d = (int)a[i] - (int)b[i] - borrow;
        borrow = d < 0;
        out[i] = (uint8_t)(d + (borrow << 8));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t in[32], out[32], expect[32];
    fr_t a;
    bool below_r, ok;
    fuzz_reader rd = {data, size};
    fuzz_take(&rd, in, sizeof in);
    below_r = memcmp(in, R_BE, 32) < 0;

    ok = fr_from_bytes_be(&a, in);
    FUZZ_CHECK(ok == below_r);
    if (ok) {
        fr_to_bytes_be(out, &a);
        FUZZ_CHECK(memcmp(out, in, 32) == 0);
    } else {
        FUZZ_CHECK(fr_is_zero(&a));
    }

    fr_from_bytes_be_reduce(&a, in);
    fr_to_bytes_be(out, &a);
    FUZZ_CHECK(memcmp(out, R_BE, 32) < 0);
    memcpy(expect, in, 32);
    while (memcmp(expect, R_BE, 32) >= 0) sub_be(expect, expect, R_BE);
    FUZZ_CHECK(memcmp(out, expect, 32) == 0);
    return 0;
}
