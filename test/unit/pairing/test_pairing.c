/*
 * test/unit/pairing/test_pairing.c — the optimal ate pairing e: G1 × G2 → GT.
 *
 * Proves: the known answer e(G1, G2) of draft-irtf-cfrg-pairing-friendly-curves-11
 * (appendix "Test vectors", BLS12_381; independently reproduced with a pure-python
 * pairing using plain exponentiation by (p¹² - 1)/r); e^r = 1 and e ≠ 1; bilinearity on
 * random scalars; the product check (true and false cases, KZG shape); infinity on
 * either side contributes 1; the shared multi-pair Miller loop (across the chunk size)
 * equals the product of single ones; the compressed squarings in eight lanes equal the
 * serial ones.
 */
#include <gmp.h>

#include "pairing/pairing.h"
#include "testrand.h"

static void hex48(uint8_t out[48], const char *hex) {
    for (int i = 0; i < 48; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

static void fp_hex(fp_t *r, const char *hex) {
    uint8_t b[48];
    hex48(b, hex);
    bool ok = fp_from_bytes_be(r, b);
    CHECK(ok, "bad constant %s", hex);
}

/* Generators, from the IETF draft / ZCash spec (not from the curve layer's tables). */
static g1_aff_t gen1;
static g2_aff_t gen2;

static void load_generators(void) {
    fp_hex(&gen1.x, "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb");
    fp_hex(&gen1.y, "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1");
    fp_hex(&gen2.x.c0, "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8");
    fp_hex(&gen2.x.c1, "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e");
    fp_hex(&gen2.y.c0, "0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801");
    fp_hex(&gen2.y.c1, "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be");
}

static void print_fp12(const char *label, const fp12_t *a) {
    const fp2_t *c[6] = {&a->c0.c0, &a->c0.c1, &a->c0.c2, &a->c1.c0, &a->c1.c1, &a->c1.c2};
    fprintf(stderr, "%s:\n", label);
    for (int i = 0; i < 6; i++) {
        uint8_t b[48];
        fp_to_bytes_be(b, &c[i]->c0);
        test_print_hex("  c0", b, 48);
        fp_to_bytes_be(b, &c[i]->c1);
        test_print_hex("  c1", b, 48);
    }
}

/* r = a^e for a plain little-endian integer of n limbs. */
static void fp12_pow_limbs(fp12_t *r, const fp12_t *a, const uint64_t *e, size_t n) {
    fp12_t acc = FP12_ONE;
    for (size_t i = n; i-- > 0;) {
        for (int b = 63; b >= 0; b--) {
            fp12_sqr(&acc, &acc);
            if ((e[i] >> b) & 1) fp12_mul(&acc, &acc, a);
        }
    }
    *r = acc;
}

static void rand_fr(fr_t *r) {
    uint64_t raw[4];
    testrand_limbs_edge(raw, 4);
    raw[3] &= 0x3fffffffffffffffULL; /* < r (top limb 0x73ed...) */
    fr_from_raw(r, raw);
}

static void g1_mul_aff(g1_aff_t *r, const g1_aff_t *p, const fr_t *k) {
    g1_t t;
    g1_from_aff(&t, p);
    g1_mul_var(&t, &t, k);
    g1_to_aff(r, &t);
}

static void g2_mul_aff(g2_aff_t *r, const g2_aff_t *q, const fr_t *k) {
    g2_t t;
    g2_from_aff(&t, q);
    g2_mul_var(&t, &t, k);
    g2_to_aff(r, &t);
}

static void test_pairing__known_answer_cfrg(void) {
    static const char *const want_hex[12] = {
        "11619b45f61edfe3b47a15fac19442526ff489dcda25e59121d9931438907dfd448299a87dde3a649bdba96e84d54558",
        "153ce14a76a53e205ba8f275ef1137c56a566f638b52d34ba3bf3bf22f277d70f76316218c0dfd583a394b8448d2be7f",
        "095668fb4a02fe930ed44767834c915b283b1c6ca98c047bd4c272e9ac3f3ba6ff0b05a93e59c71fba77bce995f04692",
        "16deedaa683124fe7260085184d88f7d036b86f53bb5b7f1fc5e248814782065413e7d958d17960109ea006b2afdeb5f",
        "09c92cf02f3cd3d2f9d34bc44eee0dd50314ed44ca5d30ce6a9ec0539be7a86b121edc61839ccc908c4bdde256cd6048",
        "111061f398efc2a97ff825b04d21089e24fd8b93a47e41e60eae7e9b2a38d54fa4dedced0811c34ce528781ab9e929c7",
        "01ecfcf31c86257ab00b4709c33f1c9c4e007659dd5ffc4a735192167ce197058cfb4c94225e7f1b6c26ad9ba68f63bc",
        "08890726743a1f94a8193a166800b7787744a8ad8e2f9365db76863e894b7a11d83f90d873567e9d645ccf725b32d26f",
        "0e61c752414ca5dfd258e9606bac08daec29b3e2c57062669556954fb227d3f1260eedf25446a086b0844bcd43646c10",
        "0fe63f185f56dd29150fc498bbeea78969e7e783043620db33f75a05a0a2ce5c442beaff9da195ff15164c00ab66bdde",
        "10900338a92ed0b47af211636f7cfdec717b7ee43900eee9b5fc24f0000c5874d4801372db478987691c566a8c474978",
        "1454814f3085f0e6602247671bc408bbce2007201536818c901dbd4d2095dd86c1ec8b888e59611f60a301af7776be3d",
    };
    fp12_t want, got, f, viafe;
    fp2_t *c[6] = {&want.c0.c0, &want.c0.c1, &want.c0.c2, &want.c1.c0, &want.c1.c1, &want.c1.c2};
    for (int i = 0; i < 6; i++) {
        fp_hex(&c[i]->c0, want_hex[2 * i]);
        fp_hex(&c[i]->c1, want_hex[2 * i + 1]);
    }
    pairing(&got, &gen1, &gen2);
    CHECK(fp12_eq(&got, &want), "e(G1, G2) differs from the CFRG vector");
    if (!fp12_eq(&got, &want)) print_fp12("got", &got);
    pairing_miller_loop(&f, &gen1, &gen2);
    pairing_final_exp(&viafe, &f);
    CHECK(fp12_eq(&viafe, &want), "final_exp(miller_loop) != pairing");
    {
        fp12_t cube, c2;
        pairing_final_exp_cubed(&cube, &f);
        fp12_mul(&c2, &viafe, &viafe);
        fp12_mul(&c2, &c2, &viafe);
        CHECK(fp12_eq(&cube, &c2), "final_exp_cubed(f) != final_exp(f)^3");
    }
    /* The curve layer's generators are the same points. */
    CHECK(fp_eq(&G1_GENERATOR_AFF.x, &gen1.x) && fp_eq(&G1_GENERATOR_AFF.y, &gen1.y),
          "G1_GENERATOR_AFF");
    CHECK(fp2_eq(&G2_GENERATOR_AFF.x, &gen2.x) && fp2_eq(&G2_GENERATOR_AFF.y, &gen2.y),
          "G2_GENERATOR_AFF");
}

static void test_pairing__order_r_and_non_degenerate(void) {
    fp12_t e, t;
    pairing(&e, &gen1, &gen2);
    CHECK(!fp12_is_one(&e), "e(G1, G2) = 1");
    fp12_pow_limbs(&t, &e, FR_R, 4);
    CHECK(fp12_is_one(&t), "e(G1, G2)^r != 1");
}

static void test_pairing__bilinear_random_scalars(int iters) {
    fp12_t e, lhs, rhs;
    pairing(&e, &gen1, &gen2);
    for (int it = 0; it < iters; it++) {
        fr_t a, b, ab;
        g1_aff_t ap;
        g2_aff_t bq, aq;
        uint64_t raw[4];
        rand_fr(&a);
        rand_fr(&b);
        if (fr_is_zero(&a) || fr_is_zero(&b)) continue;
        g1_mul_aff(&ap, &gen1, &a);
        g2_mul_aff(&bq, &gen2, &b);
        g2_mul_aff(&aq, &gen2, &a);
        /* e(aP, bQ) = e(P, Q)^(ab) */
        pairing(&lhs, &ap, &bq);
        fr_mul(&ab, &a, &b);
        fr_to_raw(raw, &ab);
        fp12_pow_limbs(&rhs, &e, raw, 4);
        CHECK(fp12_eq(&lhs, &rhs), "e(aP, bQ) != e(P, Q)^ab");
        /* e(aP, Q) = e(P, aQ) */
        pairing(&lhs, &ap, &gen2);
        pairing(&rhs, &gen1, &aq);
        CHECK(fp12_eq(&lhs, &rhs), "e(aP, Q) != e(P, aQ)");
        /* KZG shape: e(aP, Q)·e(-P, aQ) = 1, and with a+1 on one side it is not. */
        g1_aff_t ps[2];
        g2_aff_t qs[2];
        ps[0] = ap;
        qs[0] = gen2;
        g1_aff_neg(&ps[1], &gen1);
        qs[1] = aq;
        CHECK(pairing_product_is_one(ps, qs, 2), "e(aP,Q)e(-P,aQ) != 1");
        qs[1] = bq;
        CHECK(!pairing_product_is_one(ps, qs, 2) || fr_eq(&a, &b), "false product accepted");
    }
}

static void test_pairing_product__inverse_pair_and_false_case(void) {
    g1_aff_t ps[2];
    g2_aff_t qs[2];
    ps[0] = gen1;
    g1_aff_neg(&ps[1], &gen1);
    qs[0] = gen2;
    qs[1] = gen2;
    CHECK(pairing_product_is_one(ps, qs, 2), "e(P,Q)e(-P,Q) != 1");
    ps[1] = gen1;
    CHECK(!pairing_product_is_one(ps, qs, 2), "e(P,Q)e(P,Q) = 1");
    CHECK(!pairing_product_is_one(ps, qs, 1), "e(P,Q) = 1");
    CHECK(pairing_product_is_one(ps, qs, 0), "empty product != 1");
}

static void test_pairing__infinity_contributes_one(void) {
    g1_aff_t inf1;
    g2_aff_t inf2;
    fp12_t e, f;
    memset(&inf1, 0, sizeof inf1);
    memset(&inf2, 0, sizeof inf2);
    pairing(&e, &inf1, &gen2);
    CHECK(fp12_is_one(&e), "e(O, Q) != 1");
    pairing(&e, &gen1, &inf2);
    CHECK(fp12_is_one(&e), "e(P, O) != 1");
    pairing(&e, &inf1, &inf2);
    CHECK(fp12_is_one(&e), "e(O, O) != 1");
    pairing_miller_loop(&f, &inf1, &gen2);
    CHECK(fp12_is_one(&f), "miller(O, Q) != 1");
    /* Infinity pairs are skipped inside a product. */
    g1_aff_t ps[4] = {inf1, gen1, gen1, gen1};
    g2_aff_t qs[4] = {gen2, inf2, gen2, gen2};
    g1_aff_neg(&ps[3], &gen1);
    CHECK(pairing_product_is_one(ps, qs, 4), "product with infinity pairs");
    CHECK(!pairing_product_is_one(ps, qs, 3), "product with infinity pairs (false)");
    CHECK(pairing_product_is_one(ps, qs, 2), "all-infinity product != 1");
}

/* ps[i] = a·G1, qs[i] = b·G2 for fresh random a, b. */
static void rand_pair(g1_aff_t *p, g2_aff_t *q) {
    fr_t a, b;
    rand_fr(&a);
    rand_fr(&b);
    g1_mul_aff(p, &gen1, &a);
    g2_mul_aff(q, &gen2, &b);
}

static void test_pairing_miller_loop_n__equals_product_of_singles(void) {
    enum { N = 11 }; /* more than one chunk */
    g1_aff_t ps[N];
    g2_aff_t qs[N];
    fp12_t prod = FP12_ONE, f, fn, e1, e2;
    for (int i = 0; i < N; i++) {
        rand_pair(&ps[i], &qs[i]);
        if (i == 5) memset(&ps[i], 0, sizeof ps[i]); /* an infinity in the middle */
        pairing_miller_loop(&f, &ps[i], &qs[i]);
        fp12_mul(&prod, &prod, &f);
    }
    pairing_miller_loop_n(&fn, ps, qs, N);
    pairing_final_exp(&e1, &fn);
    pairing_final_exp(&e2, &prod);
    CHECK(fp12_eq(&e1, &e2), "miller_loop_n != product of miller loops (after final exp)");
    CHECK(fp12_eq(&fn, &prod), "miller_loop_n != product of miller loops (raw)");
}

/* Prepared lines give the very same Miller value as the points they were prepared from
 * (more pairs than a chunk, infinities on both sides), and the same product answers. */
static void test_pairing_prepared__equals_unprepared(void) {
    enum { N = 10 };
    g1_aff_t ps[N];
    g2_aff_t qs[N];
    pairing_g2_lines *lines = malloc(N * sizeof *lines);
    const pairing_g2_lines *lp[N];
    fp12_t f1, f2;
    CHECK(lines != NULL, "malloc");
    if (!lines) return;
    for (int i = 0; i < N; i++) {
        rand_pair(&ps[i], &qs[i]);
        if (i == 3) memset(&ps[i], 0, sizeof ps[i]); /* P at infinity */
        if (i == 7) memset(&qs[i], 0, sizeof qs[i]); /* Q at infinity */
        pairing_g2_prepare(&lines[i], &qs[i]);
        lp[i] = &lines[i];
    }
    CHECK(lines[7].inf && !lines[0].inf, "infinity flag of prepared lines");
    pairing_miller_loop_n(&f1, ps, qs, N);
    pairing_miller_loop_n_prepared(&f2, ps, lp, N);
    CHECK(fp12_eq(&f1, &f2), "prepared Miller loop != unprepared");

    /* KZG shape with one prepared generator: e(aP, Q)·e(-P, aQ) = 1, and not with bQ. */
    fr_t a, b;
    rand_fr(&a);
    rand_fr(&b);
    g1_aff_t kp[2];
    g2_aff_t aq, bq;
    g1_mul_aff(&kp[0], &gen1, &a);
    g1_aff_neg(&kp[1], &gen1);
    g2_mul_aff(&aq, &gen2, &a);
    g2_mul_aff(&bq, &gen2, &b);
    pairing_g2_prepare(&lines[0], &gen2);
    pairing_g2_prepare(&lines[1], &aq);
    pairing_g2_prepare(&lines[2], &bq);
    const pairing_g2_lines *good[2] = {&lines[0], &lines[1]}, *bad[2] = {&lines[0], &lines[2]};
    CHECK(pairing_product_is_one_prepared(kp, good, 2), "prepared e(aP,Q)e(-P,aQ) != 1");
    CHECK(!pairing_product_is_one_prepared(kp, bad, 2) || fr_eq(&a, &b),
          "prepared false product accepted");
    free(lines);
}

/* The final exponentiation's compressed squarings, eight lanes at a time (IFMA) against
 * one at a time, bit for bit, on arbitrary coordinates (the formulas are polynomials: no
 * subgroup needed for the comparison), edge values included. */
static void test_pairing__compressed_squarings_lanes_equal_serial(void) {
    static const unsigned ns[] = {1, 2, 3, 16, 63};
    for (int it = 0; it < 40; it++) {
        fp12_t a, b;
        fp_t *w = (fp_t *)&a;
        for (size_t i = 0; i < sizeof a / sizeof(fp_t); i++) {
            uint64_t raw[6];
            switch (testrand_range(8)) {
            case 0: w[i] = FP_ZERO; continue;
            case 1: fp_neg(&w[i], &FP_ONE); continue;
            default: break;
            }
            testrand_limbs_edge(raw, 6);
            raw[5] &= 0x0fffffffffffffffULL;
            fp_from_raw(&w[i], raw);
        }
        unsigned n = ns[it % 5];
        b = a;
        pairing_comp_sqr_n(&a, n, false);
        pairing_comp_sqr_n(&b, n, true);
        CHECK(memcmp(&a, &b, sizeof a) == 0, "%u compressed squarings: lanes != serial", n);
    }
}

int main(void) {
    testrand_init("test_pairing");
    load_generators();
    test_pairing__compressed_squarings_lanes_equal_serial();
    test_pairing__known_answer_cfrg();
    test_pairing__order_r_and_non_degenerate();
    test_pairing__bilinear_random_scalars(20);
    test_pairing_product__inverse_pair_and_false_case();
    test_pairing__infinity_contributes_one();
    test_pairing_miller_loop_n__equals_product_of_singles();
    test_pairing_prepared__equals_unprepared();
    return test_report();
}
