/*
 * test_g2 — G2 group law, scalar multiplication, ψ subgroup check and ZCash codec.
 * Oracles: the group axioms, [r]P = O for membership, #E'(Fp2) = h2·r, and the generator's
 * published encoding.
 */
#include "curve/curve_internal.h"
#include "curve/g2.h"
#include "testrand.h"

/* G2 cofactor h2 = (z⁸ - 4z⁷ + 5z⁶ - 4z⁴ + 6z³ - 4z² - 4z + 13)/9 (507 bits). */
static const uint64_t H2[8] = {0xcf1c38e31c7238e5ULL, 0x1616ec6e786f0c70ULL, 0x21537e293a6691aeULL,
                               0xa628f1cb4d9e82efULL, 0xa68a205b2e5a7ddfULL, 0xcd91de4547085abaULL,
                               0x091d50792876a202ULL, 0x05d543a95414e7f1ULL};

static const char G2_GEN_HEX[] =
    "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d05"
    "5d042b7e024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbef"
    "d48056c8c121bdb8";

static void from_hex(uint8_t *out, const char *hex, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

static void print_point(const char *label, const g2_t *p) {
    g2_aff_t a;
    uint8_t b[96];
    g2_to_aff(&a, p);
    g2_compress(b, &a);
    test_print_hex(label, b, 96);
}

static void rand_fr(fr_t *k) {
    uint8_t b[32];
    testrand_bytes_edge(b, 32);
    fr_from_bytes_be_reduce(k, b);
}

static void rand_fp(fp_t *x) {
    uint8_t b[48];
    do {
        testrand_bytes(b, 48);
        b[0] &= 0x1f;
    } while (!fp_from_bytes_be(x, b));
}

static void rand_fp2(fp2_t *x) {
    rand_fp(&x->c0);
    rand_fp(&x->c1);
}

static void rerandomize(g2_t *p) {
    fp2_t l, l2, l3;
    do rand_fp2(&l);
    while (fp2_is_zero(&l));
    fp2_sqr(&l2, &l);
    fp2_mul(&l3, &l2, &l);
    fp2_mul(&p->x, &p->x, &l2);
    fp2_mul(&p->y, &p->y, &l3);
    fp2_mul(&p->z, &p->z, &l);
}

/* A random point of G2 other than infinity (see rand_g1 in test_g1.c). */
static void rand_g2(g2_t *p) {
    fr_t k;
    do rand_fr(&k);
    while (fr_is_zero(&k));
    g2_t g;
    g2_from_aff(&g, &G2_GENERATOR_AFF);
    g2_mul_var(p, &g, &k);
    rerandomize(p);
}

static void curve_rhs(fp2_t *rhs, const fp2_t *x) {
    fp2_t b;
    fp_from_u64(&b.c0, 4);
    fp_from_u64(&b.c1, 4);
    fp2_sqr(rhs, x);
    fp2_mul(rhs, rhs, x);
    fp2_add(rhs, rhs, &b);
}

/* A random point of E'(Fp2), not cofactor-cleared. */
static void rand_curve_point(g2_t *p) {
    fp2_t x, rhs, y;
    for (;;) {
        rand_fp2(&x);
        curve_rhs(&rhs, &x);
        if (fp2_sqrt_var(&y, &rhs)) break;
    }
    if (testrand_range(2)) fp2_neg(&y, &y);
    p->x = x;
    p->y = y;
    p->z = FP2_ONE;
}

static bool r_times_is_inf(const g2_t *p) {
    g2_t t;
    g2_mul_raw_var(&t, p, FR_R, 4);
    return g2_is_inf(&t);
}

static void test_g2_generator__on_curve_order_r_and_encoding(void) {
    g2_t g, t, ng;
    g2_from_aff(&g, &G2_GENERATOR_AFF);
    CHECK(g2_aff_is_on_curve(&G2_GENERATOR_AFF), "generator not on curve");
    CHECK(r_times_is_inf(&g), "[r]G2 != O");
    uint64_t rm1[4];
    memcpy(rm1, FR_R, sizeof rm1);
    rm1[0] -= 1;
    g2_mul_raw_var(&t, &g, rm1, 4);
    g2_neg(&ng, &g);
    CHECK(g2_eq(&t, &ng), "[r-1]G2 != -G2");
    uint8_t enc[96], want[96];
    from_hex(want, G2_GEN_HEX, 96);
    g2_compress(enc, &G2_GENERATOR_AFF);
    CHECK(memcmp(enc, want, 96) == 0, "generator encoding");
    g2_aff_t dec;
    CHECK(g2_decompress(&dec, want) == KZG_OK, "generator decode");
    CHECK(fp2_eq(&dec.x, &G2_GENERATOR_AFF.x) && fp2_eq(&dec.y, &G2_GENERATOR_AFF.y),
          "generator decode value");
}

static void test_g2_psi__acts_as_z_on_g2(void) {
    /* ψ(G) = [z]G = -[|z|]G, and ψ is a group endomorphism on random curve points. */
    g2_t g, t, ps;
    g2_from_aff(&g, &G2_GENERATOR_AFF);
    uint64_t zabs = CURVE_Z_ABS;
    g2_mul_raw_var(&t, &g, &zabs, 1);
    g2_neg(&t, &t);
    g2_psi(&ps, &g);
    CHECK(g2_eq(&ps, &t), "ψ(G2) != [z]G2");
    for (int it = 0; it < 8; it++) {
        g2_t a, b, s, pa, pb, ps2;
        rand_curve_point(&a);
        rand_curve_point(&b);
        rerandomize(&b);
        g2_add(&s, &a, &b);
        g2_psi(&pa, &a);
        g2_psi(&pb, &b);
        g2_psi(&ps2, &s);
        g2_add(&pa, &pa, &pb);
        CHECK(g2_eq(&pa, &ps2), "ψ(a + b) != ψ(a) + ψ(b)");
        CHECK(g2_is_on_curve(&ps2), "ψ(P) off the curve");
    }
}

static void test_g2_group_laws(void) {
    for (int it = 0; it < 24; it++) {
        g2_t a, b, c, inf, t1, t2, t3;
        rand_g2(&a);
        rand_g2(&b);
        rand_g2(&c);
        g2_set_inf(&inf);
        g2_add(&t1, &a, &b);
        g2_add(&t1, &t1, &c);
        g2_add(&t2, &b, &c);
        g2_add(&t2, &a, &t2);
        CHECK(g2_eq(&t1, &t2), "associativity (it %d)", it);
        if (!g2_eq(&t1, &t2)) print_point("a", &a);
        g2_add(&t1, &a, &b);
        g2_add(&t2, &b, &a);
        CHECK(g2_eq(&t1, &t2), "commutativity");
        g2_add(&t1, &a, &inf);
        g2_add(&t2, &inf, &a);
        CHECK(g2_eq(&t1, &a) && g2_eq(&t2, &a), "identity");
        g2_add(&t1, &inf, &inf);
        g2_dbl(&t2, &inf);
        CHECK(g2_is_inf(&t1) && g2_is_inf(&t2), "O + O, 2·O");
        g2_neg(&t1, &a);
        g2_add(&t2, &a, &t1);
        CHECK(g2_is_inf(&t2), "a + (-a)");
        t1 = a;
        rerandomize(&t1);
        g2_add(&t2, &a, &t1);
        g2_dbl(&t3, &a);
        CHECK(g2_eq(&t2, &t3), "a + a != 2a");
        CHECK(g2_is_on_curve(&t3) && g2_is_on_curve(&a), "on curve");
        g2_aff_t ba, aa;
        g2_to_aff(&ba, &b);
        g2_add_aff(&t1, &a, &ba);
        g2_add(&t2, &a, &b);
        CHECK(g2_eq(&t1, &t2), "mixed vs full add");
        CHECK(g2_aff_is_on_curve(&ba), "to_aff on curve");
        g2_to_aff(&aa, &a);
        g2_add_aff(&t1, &a, &aa);
        CHECK(g2_eq(&t1, &t3), "mixed a + a");
        g2_aff_neg(&aa, &aa);
        g2_add_aff(&t1, &a, &aa);
        CHECK(g2_is_inf(&t1), "mixed a + (-a)");
        g2_aff_t ainf = {FP2_ZERO, FP2_ZERO};
        g2_add_aff(&t1, &a, &ainf);
        CHECK(g2_eq(&t1, &a), "mixed a + O");
        g2_add_aff(&t1, &inf, &ba);
        CHECK(g2_eq(&t1, &b), "mixed O + b");
        t1 = a;
        g2_add(&t1, &t1, &t1);
        CHECK(g2_eq(&t1, &t3), "aliased add");
        g2_neg(&t1, &a);
        CHECK(!g2_eq(&t1, &a), "a == -a");
        CHECK(!g2_eq(&inf, &a) && g2_eq(&inf, &inf), "eq with O");
        t1 = a;
        fp2_add(&t1.x, &t1.x, &FP2_ONE);
        CHECK(!g2_is_on_curve(&t1), "perturbed point on curve");
    }
}

static void test_g2_scalar_mul__homomorphism(void) {
    g2_t g;
    g2_from_aff(&g, &G2_GENERATOR_AFF);
    for (int it = 0; it < 8; it++) {
        fr_t a, b, s;
        rand_fr(&a);
        rand_fr(&b);
        g2_t p, pa, pb, t1, t2;
        rand_g2(&p);
        g2_mul_var(&pa, &p, &a);
        g2_mul_var(&pb, &p, &b);
        fr_add(&s, &a, &b);
        g2_mul_var(&t1, &p, &s);
        g2_add(&t2, &pa, &pb);
        CHECK(g2_eq(&t1, &t2), "(a+b)P != aP + bP (it %d)", it);
        if (!g2_eq(&t1, &t2)) {
            test_print_hex("a", a.l, 32);
            test_print_hex("b", b.l, 32);
        }
        fr_mul(&s, &a, &b);
        g2_mul_var(&t1, &p, &s);
        g2_mul_var(&t2, &pa, &b);
        CHECK(g2_eq(&t1, &t2), "(ab)P != a(bP) (it %d)", it);
    }
    /* GLS path (g2_mul_var) against plain wNAF (g2_mul_raw_var), with edge scalars around
     * the powers of |z| and r */
    for (int it = 0; it < 16; it++) {
        uint64_t raw[4] = {0, 0, 0, 0};
        fr_t k;
        switch (it) {
        case 0: memcpy(raw, FR_R, sizeof raw); raw[0] -= 1; break;
        case 1: raw[0] = CURVE_Z_ABS; break;
        case 2: raw[0] = CURVE_Z_ABS - 1; break;
        case 3: raw[1] = 1; break;
        case 4: raw[0] = 1; break;
        case 5: raw[3] = 0x7000000000000000ULL; break;
        default:
            rand_fr(&k);
            fr_to_raw(raw, &k);
        }
        fr_from_raw(&k, raw);
        g2_t p, t1, t2;
        rand_g2(&p);
        g2_mul_var(&t1, &p, &k);
        g2_mul_raw_var(&t2, &p, raw, 4);
        CHECK(g2_eq(&t1, &t2), "GLS != wNAF (it %d)", it);
        if (!g2_eq(&t1, &t2)) test_print_hex("k (limbs, little-endian)", raw, 32);
    }
    fr_t zero = FR_ZERO;
    g2_t t0;
    g2_mul_var(&t0, &g, &zero);
    CHECK(g2_is_inf(&t0), "[0]G2");
    g2_t acc;
    g2_set_inf(&acc);
    for (uint64_t k = 0; k < 40; k++) {
        g2_t t;
        g2_mul_raw_var(&t, &g, &k, 1);
        CHECK(g2_eq(&t, &acc), "[%llu]G2", (unsigned long long)k);
        g2_add(&acc, &acc, &g);
    }
}

static void test_g2_subgroup__agrees_with_r_multiplication(void) {
    for (int it = 0; it < 32; it++) {
        g2_t p, q, t, c;
        rand_g2(&p);
        CHECK(g2_in_subgroup_var(&p), "subgroup point rejected (it %d)", it);
        rand_curve_point(&q);
        bool want = r_times_is_inf(&q);
        CHECK(g2_in_subgroup_var(&q) == want, "non-cleared point: check %d, [r]P==O %d",
              (int)g2_in_subgroup_var(&q), (int)want);
        if (g2_in_subgroup_var(&q) != want) print_point("P", &q);
        rerandomize(&q);
        CHECK(g2_in_subgroup_var(&q) == want, "Jacobian non-cleared point");
        /* #E'(Fp2) = h2·r: [h2]P is in G2 and [r]P is in the h2-torsion */
        g2_mul_raw_var(&c, &q, H2, 8);
        CHECK(g2_in_subgroup_var(&c) && r_times_is_inf(&c), "[h2]P not in G2");
        g2_mul_raw_var(&t, &q, FR_R, 4);
        CHECK(!g2_is_inf(&t) || want, "[r]P = O for a random point");
        CHECK(g2_in_subgroup_var(&t) == g2_is_inf(&t), "h2-torsion point");
        g2_add(&t, &t, &p);
        CHECK(g2_in_subgroup_var(&t) == r_times_is_inf(&t), "G2 point + h2-torsion point");
    }
    g2_t inf;
    g2_set_inf(&inf);
    CHECK(g2_in_subgroup_var(&inf), "O rejected");
}

static void test_g2_codec__round_trips(void) {
    for (int it = 0; it < 24; it++) {
        g2_t p;
        rand_g2(&p);
        if (it & 1) g2_neg(&p, &p);
        g2_aff_t a, d, na;
        g2_to_aff(&a, &p);
        uint8_t b[96];
        g2_compress(b, &a);
        CHECK((b[0] & 0xc0) == 0x80, "flags");
        CHECK(((b[0] & 0x20) != 0) == fp2_is_lex_largest(&a.y), "sign bit");
        kzg_status st = g2_decompress(&d, b);
        CHECK(st == KZG_OK && fp2_eq(&d.x, &a.x) && fp2_eq(&d.y, &a.y), "round trip (st %d)", st);
        if (st != KZG_OK) test_print_hex("enc", b, 96);
        b[0] ^= 0x20;
        st = g2_decompress(&d, b);
        g2_aff_neg(&na, &a);
        CHECK(st == KZG_OK && fp2_eq(&d.y, &na.y), "flipped sign decodes to -P");
    }
    g2_aff_t inf = {FP2_ZERO, FP2_ZERO}, d;
    uint8_t b[96];
    g2_compress(b, &inf);
    bool ok = b[0] == 0xc0;
    for (int i = 1; i < 96; i++) ok = ok && b[i] == 0;
    CHECK(ok, "infinity encoding");
    CHECK(g2_decompress(&d, b) == KZG_OK && g2_aff_is_inf(&d), "infinity decode");
}

static void expect_status(const uint8_t b[96], kzg_status want, const char *what) {
    g2_aff_t d;
    memset(&d, 0x5a, sizeof d);
    kzg_status st = g2_decompress(&d, b);
    CHECK(st == want, "%s: status %d, want %d", what, st, want);
    if (st != want) test_print_hex("input", b, 96);
    if (want != KZG_OK) CHECK(g2_aff_is_inf(&d), "%s: output not zeroed", what);
}

static void test_g2_decompress__rejects_malformed(void) {
    uint8_t gen[96], b[96], pb[48];
    from_hex(gen, G2_GEN_HEX, 96);
    for (int i = 0; i < 48; i++) pb[i] = (uint8_t)(FP_P[5 - i / 8] >> (56 - 8 * (i % 8)));
    memcpy(b, gen, 96);
    b[0] &= 0x7f;
    expect_status(b, KZG_ERR_POINT_ENCODING, "compression bit clear");
    memset(b, 0, 96);
    b[0] = 0xe0;
    expect_status(b, KZG_ERR_POINT_ENCODING, "infinity + sign");
    memset(b, 0, 96);
    b[0] = 0xc0;
    b[95] = 1;
    expect_status(b, KZG_ERR_POINT_ENCODING, "infinity, non-zero body (x.c0)");
    memset(b, 0, 96);
    b[0] = 0xc0;
    b[20] = 1;
    expect_status(b, KZG_ERR_POINT_ENCODING, "infinity, non-zero body (x.c1)");
    /* x.c1 = p; x.c0 = p; x.c0 = p + 1 */
    memcpy(b, gen, 96);
    memcpy(b, pb, 48);
    b[0] |= 0x80;
    expect_status(b, KZG_ERR_POINT_ENCODING, "x.c1 = p");
    memcpy(b, gen, 96);
    memcpy(b + 48, pb, 48);
    expect_status(b, KZG_ERR_POINT_ENCODING, "x.c0 = p");
    b[95] += 1;
    expect_status(b, KZG_ERR_POINT_ENCODING, "x.c0 = p + 1");
    memset(b + 48, 0xff, 48);
    expect_status(b, KZG_ERR_POINT_ENCODING, "x.c0 = 2^384 - 1");
    memcpy(b, gen, 96);
    memset(b, 0xff, 48);
    b[0] = 0x9f;
    expect_status(b, KZG_ERR_POINT_ENCODING, "x.c1 = 2^381 - 1");
    /* x not on the curve */
    for (int it = 0; it < 8; it++) {
        fp2_t x, rhs, y;
        do {
            rand_fp2(&x);
            curve_rhs(&rhs, &x);
        } while (fp2_sqrt_var(&y, &rhs));
        fp_to_bytes_be(b, &x.c1);
        fp_to_bytes_be(b + 48, &x.c0);
        b[0] |= (uint8_t)(0x80 | (it & 1 ? 0x20 : 0));
        expect_status(b, KZG_ERR_POINT_NOT_ON_CURVE, "x not on curve");
    }
    /* on the curve, not in the subgroup */
    for (int it = 0; it < 6; it++) {
        g2_t q;
        rand_curve_point(&q);
        if (r_times_is_inf(&q)) continue;
        g2_aff_t qa, d;
        g2_to_aff(&qa, &q);
        g2_compress(b, &qa);
        expect_status(b, KZG_ERR_POINT_NOT_IN_SUBGROUP, "not in subgroup");
        CHECK(g2_decompress_unchecked(&d, b) == KZG_OK && fp2_eq(&d.x, &qa.x) &&
                  fp2_eq(&d.y, &qa.y),
              "unchecked decode of a non-subgroup point");
    }
}

static void test_g2_batch_to_aff__with_infinities(void) {
    enum { N = 23 };
    g2_t in[N];
    g2_aff_t out[N], want;
    fp2_t scratch[N];
    for (int i = 0; i < N; i++) {
        if (i % 4 == 1 || i == 0) {
            g2_set_inf(&in[i]);
        } else {
            rand_g2(&in[i]);
        }
    }
    g2_batch_to_aff(out, in, N, scratch);
    for (int i = 0; i < N; i++) {
        g2_to_aff(&want, &in[i]);
        CHECK(fp2_eq(&out[i].x, &want.x) && fp2_eq(&out[i].y, &want.y), "batch_to_aff[%d]", i);
    }
}

int main(void) {
    testrand_init("test_g2");
    test_g2_generator__on_curve_order_r_and_encoding();
    test_g2_psi__acts_as_z_on_g2();
    test_g2_group_laws();
    test_g2_scalar_mul__homomorphism();
    test_g2_subgroup__agrees_with_r_multiplication();
    test_g2_codec__round_trips();
    test_g2_decompress__rejects_malformed();
    test_g2_batch_to_aff__with_infinities();
    return test_report();
}
