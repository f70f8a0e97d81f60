/* test/fuzz/fuzz_g1_decode.c — the 48-byte G1 decoder (curve/g1.h).
 * Properties: the checked and unchecked decoders agree except on subgroup membership; an
 * accepted point is on the curve (and in G1 for the checked one) and re-encodes to exactly
 * the input bytes (the encoding is canonical); failures use the documented statuses. */
#include "curve/g1.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t in[48], again[48];
    g1_aff_t a, b;
    kzg_status st, st_un;
    fuzz_reader r = {data, size};
    fuzz_take(&r, in, sizeof in);
    st = g1_decompress(&a, in);
    st_un = g1_decompress_unchecked(&b, in);
    FUZZ_CHECK(st == KZG_OK || st == KZG_ERR_POINT_ENCODING || st == KZG_ERR_POINT_NOT_ON_CURVE ||
               st == KZG_ERR_POINT_NOT_IN_SUBGROUP);
    if (st == KZG_OK) {
        FUZZ_CHECK(st_un == KZG_OK);
        FUZZ_CHECK(memcmp(&a, &b, sizeof a) == 0);
        FUZZ_CHECK(g1_aff_is_inf(&a) || g1_aff_is_on_curve(&a));
        {
            g1_t j;
            g1_from_aff(&j, &a);
            FUZZ_CHECK(g1_in_subgroup_var(&j));
        }
        g1_compress(again, &a);
        FUZZ_CHECK(memcmp(again, in, sizeof in) == 0);
    } else if (st == KZG_ERR_POINT_NOT_IN_SUBGROUP) {
        g1_t j;
        FUZZ_CHECK(st_un == KZG_OK);
        FUZZ_CHECK(g1_aff_is_on_curve(&b));
        g1_from_aff(&j, &b);
        FUZZ_CHECK(!g1_in_subgroup_var(&j));
        g1_compress(again, &b);
        FUZZ_CHECK(memcmp(again, in, sizeof in) == 0);
    } else {
        FUZZ_CHECK(st_un == st);
    }
    return 0;
}
