/*
 * test_g1 — G1 group law, scalar multiplication, subgroup check and ZCash codec.
 * Oracles: the group axioms, [r]P = O for membership, GMP for wNAF recoding, and the
 * generator's published encoding.
 */
#include <gmp.h>

#include "curve/curve_internal.h"
#include "curve/g1.h"
#include "testrand.h"

/* |z|² = 0xac45a4010001a4020000000100000000; h1/3 where h1 = (z - 1)²/3 is G1's cofactor. */
static const uint64_t Z2_ABS[2] = {0x0000000100000000ULL, 0xac45a4010001a402ULL};
static const uint64_t H1[2] = {0x8c00aaab0000aaabULL, 0x396c8c005555e156ULL};
static const uint64_t H1_DIV3[2] = {0x2eaae38e55558e39ULL, 0x13242eaac71ca072ULL};

static const char G1_GEN_HEX[] = "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905"
                                 "a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb";

static void from_hex(uint8_t *out, const char *hex, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

static void print_point(const char *label, const g1_t *p) {
    g1_aff_t a;
    uint8_t b[48];
    g1_to_aff(&a, p);
    g1_compress(b, &a);
    test_print_hex(label, b, 48);
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

/* The same point in a random Jacobian representation (X·λ², Y·λ³, λZ). */
static void rerandomize(g1_t *p) {
    fp_t l, l2, l3;
    do rand_fp(&l);
    while (fp_is_zero(&l));
    fp_sqr(&l2, &l);
    fp_mul(&l3, &l2, &l);
    fp_mul(&p->x, &p->x, &l2);
    fp_mul(&p->y, &p->y, &l3);
    fp_mul(&p->z, &p->z, &l);
}

/* A random point of G1 other than infinity (the group-law checks compare a with 2a, -a and
 * O, which infinity would fail): the edge-biased scalars are often 0 mod r. */
static void rand_g1(g1_t *p) {
    fr_t k;
    do rand_fr(&k);
    while (fr_is_zero(&k));
    g1_t g;
    g1_from_aff(&g, &G1_GENERATOR_AFF);
    g1_mul_var(p, &g, &k);
    rerandomize(p);
}

/* A random point of E(Fp), not cofactor-cleared (so almost never in G1). */
static void rand_curve_point(g1_t *p) {
    fp_t x, rhs, y;
    fp_t four;
    fp_from_u64(&four, 4);
    for (;;) {
        rand_fp(&x);
        fp_sqr(&rhs, &x);
        fp_mul(&rhs, &rhs, &x);
        fp_add(&rhs, &rhs, &four);
        if (fp_sqrt_var(&y, &rhs)) break;
    }
    if (testrand_range(2)) fp_neg(&y, &y);
    p->x = x;
    p->y = y;
    p->z = FP_ONE;
}

static bool r_times_is_inf(const g1_t *p) {
    g1_t t;
    g1_mul_raw_var(&t, p, FR_R, 4);
    return g1_is_inf(&t);
}

static void test_g1_generator__on_curve_order_r_and_encoding(void) {
    g1_t g, t;
    g1_from_aff(&g, &G1_GENERATOR_AFF);
    CHECK(g1_aff_is_on_curve(&G1_GENERATOR_AFF), "generator not on curve");
    CHECK(r_times_is_inf(&g), "[r]G != O");
    uint64_t rm1[4];
    memcpy(rm1, FR_R, sizeof rm1);
    rm1[0] -= 1;
    g1_mul_raw_var(&t, &g, rm1, 4);
    g1_t ng;
    g1_neg(&ng, &g);
    CHECK(g1_eq(&t, &ng), "[r-1]G != -G");
    uint8_t enc[48], want[48];
    from_hex(want, G1_GEN_HEX, 48);
    g1_compress(enc, &G1_GENERATOR_AFF);
    CHECK(memcmp(enc, want, 48) == 0, "generator encoding");
    g1_aff_t dec;
    CHECK(g1_decompress(&dec, want) == KZG_OK, "generator decode");
    CHECK(fp_eq(&dec.x, &G1_GENERATOR_AFF.x) && fp_eq(&dec.y, &G1_GENERATOR_AFF.y),
          "generator decode value");
}

static void test_g1_phi__acts_as_minus_z_squared(void) {
    /* [-z²]G = (β·x, y) for a primitive cube root of unity β: the eigenvalue -z² belongs to
     * φ(x, y) = (βx, y) with β = x([-z²]G)/x(G), and the subgroup check (which hard-codes its
     * β) accepts G only if that β is the one it uses. */
    g1_t g, t;
    g1_from_aff(&g, &G1_GENERATOR_AFF);
    g1_mul_raw_var(&t, &g, Z2_ABS, 2);
    g1_neg(&t, &t);
    g1_aff_t ta;
    g1_to_aff(&ta, &t);
    fp_t beta, b3, xi;
    fp_inv_var(&xi, &G1_GENERATOR_AFF.x);
    fp_mul(&beta, &ta.x, &xi);
    fp_sqr(&b3, &beta);
    fp_mul(&b3, &b3, &beta);
    CHECK(fp_eq(&ta.y, &G1_GENERATOR_AFF.y), "[-z²]G has a different y");
    CHECK(!fp_is_one(&beta) && fp_is_one(&b3), "x([-z²]G)/x(G) is not a primitive cube root");
    CHECK(g1_in_subgroup_var(&g), "generator rejected by the subgroup check");
    g1_t ng;
    g1_neg(&ng, &g);
    CHECK(g1_in_subgroup_var(&ng), "-G rejected by the subgroup check");
}

static void test_g1_group_laws(void) {
    for (int it = 0; it < 100; it++) {
        g1_t a, b, c, inf, t1, t2, t3;
        rand_g1(&a);
        rand_g1(&b);
        rand_g1(&c);
        g1_set_inf(&inf);
        /* associativity */
        g1_add(&t1, &a, &b);
        g1_add(&t1, &t1, &c);
        g1_add(&t2, &b, &c);
        g1_add(&t2, &a, &t2);
        CHECK(g1_eq(&t1, &t2), "associativity (it %d)", it);
        if (!g1_eq(&t1, &t2)) print_point("a", &a);
        /* commutativity */
        g1_add(&t1, &a, &b);
        g1_add(&t2, &b, &a);
        CHECK(g1_eq(&t1, &t2), "commutativity");
        /* identity */
        g1_add(&t1, &a, &inf);
        g1_add(&t2, &inf, &a);
        CHECK(g1_eq(&t1, &a) && g1_eq(&t2, &a), "identity");
        g1_add(&t1, &inf, &inf);
        CHECK(g1_is_inf(&t1), "O + O");
        g1_dbl(&t1, &inf);
        CHECK(g1_is_inf(&t1), "2·O");
        /* inverse */
        g1_neg(&t1, &a);
        g1_add(&t2, &a, &t1);
        CHECK(g1_is_inf(&t2), "a + (-a)");
        /* add vs dbl, P = P in another representation */
        t1 = a;
        rerandomize(&t1);
        g1_add(&t2, &a, &t1);
        g1_dbl(&t3, &a);
        CHECK(g1_eq(&t2, &t3), "a + a != 2a");
        CHECK(!g1_eq(&t3, &a), "2a == a");
        CHECK(g1_is_on_curve(&t2) && g1_is_on_curve(&a), "on curve");
        /* mixed vs full */
        g1_aff_t ba, aa;
        g1_to_aff(&ba, &b);
        g1_add_aff(&t1, &a, &ba);
        g1_add(&t2, &a, &b);
        CHECK(g1_eq(&t1, &t2), "mixed vs full add");
        CHECK(g1_aff_is_on_curve(&ba), "to_aff on curve");
        g1_to_aff(&aa, &a);
        g1_add_aff(&t1, &a, &aa);
        CHECK(g1_eq(&t1, &t3), "mixed a + a");
        g1_aff_neg(&aa, &aa);
        g1_add_aff(&t1, &a, &aa);
        CHECK(g1_is_inf(&t1), "mixed a + (-a)");
        g1_aff_t ainf = {FP_ZERO, FP_ZERO};
        g1_add_aff(&t1, &a, &ainf);
        CHECK(g1_eq(&t1, &a), "mixed a + O");
        g1_add_aff(&t1, &inf, &ba);
        CHECK(g1_eq(&t1, &b), "mixed O + b");
        /* aliasing */
        t1 = a;
        g1_add(&t1, &t1, &t1);
        CHECK(g1_eq(&t1, &t3), "aliased add");
        t1 = a;
        g1_dbl(&t1, &t1);
        CHECK(g1_eq(&t1, &t3), "aliased dbl");
        t1 = a;
        g1_add(&t1, &b, &t1);
        g1_add(&t2, &a, &b);
        CHECK(g1_eq(&t1, &t2), "aliased add (r = b)");
        /* equality is not fooled by a different point with the same x */
        g1_neg(&t1, &a);
        CHECK(!g1_eq(&t1, &a), "a == -a");
        CHECK(!g1_eq(&inf, &a) && !g1_eq(&a, &inf) && g1_eq(&inf, &inf), "eq with O");
        /* off-curve detection */
        t1 = a;
        fp_add(&t1.x, &t1.x, &FP_ONE);
        CHECK(!g1_is_on_curve(&t1), "perturbed point on curve");
    }
}

static void test_g1_scalar_mul__homomorphism(void) {
    g1_t g;
    g1_from_aff(&g, &G1_GENERATOR_AFF);
    for (int it = 0; it < 16; it++) {
        fr_t a, b, s;
        rand_fr(&a);
        rand_fr(&b);
        g1_t p, pa, pb, t1, t2;
        rand_g1(&p);
        g1_mul_var(&pa, &p, &a);
        g1_mul_var(&pb, &p, &b);
        fr_add(&s, &a, &b);
        g1_mul_var(&t1, &p, &s);
        g1_add(&t2, &pa, &pb);
        CHECK(g1_eq(&t1, &t2), "(a+b)P != aP + bP (it %d)", it);
        if (!g1_eq(&t1, &t2)) {
            test_print_hex("a", a.l, 32);
            test_print_hex("b", b.l, 32);
        }
        fr_mul(&s, &a, &b);
        g1_mul_var(&t1, &p, &s);
        g1_mul_var(&t2, &pa, &b);
        CHECK(g1_eq(&t1, &t2), "(ab)P != a(bP) (it %d)", it);
    }
    /* GLV path (g1_mul_var) against plain wNAF (g1_mul_raw_var), with edge scalars around
     * the split point z² and r */
    for (int it = 0; it < 24; it++) {
        uint64_t raw[4];
        fr_t k;
        switch (it) {
        case 0: memcpy(raw, FR_R, sizeof raw); raw[0] -= 1; break;
        case 1: raw[0] = Z2_ABS[0]; raw[1] = Z2_ABS[1]; raw[2] = raw[3] = 0; break;
        case 2: raw[0] = Z2_ABS[0] - 1; raw[1] = Z2_ABS[1]; raw[2] = raw[3] = 0; break;
        case 3: raw[0] = Z2_ABS[0]; raw[1] = Z2_ABS[1] + 1; raw[2] = raw[3] = 0; break;
        case 4: raw[0] = 0; raw[1] = 0; raw[2] = 1; raw[3] = 0; break;
        default:
            rand_fr(&k);
            fr_to_raw(raw, &k);
        }
        fr_from_raw(&k, raw);
        g1_t p, t1, t2;
        rand_g1(&p);
        g1_mul_var(&t1, &p, &k);
        g1_mul_raw_var(&t2, &p, raw, 4);
        CHECK(g1_eq(&t1, &t2), "GLV != wNAF (it %d)", it);
        if (!g1_eq(&t1, &t2)) test_print_hex("k (limbs, little-endian)", raw, 32);
    }
    /* small scalars against repeated addition, 0 and 1 */
    g1_t acc;
    g1_set_inf(&acc);
    for (uint64_t k = 0; k < 70; k++) {
        g1_t t;
        g1_mul_raw_var(&t, &g, &k, 1);
        CHECK(g1_eq(&t, &acc), "[%llu]G", (unsigned long long)k);
        g1_add(&acc, &acc, &g);
    }
    fr_t zero = FR_ZERO, one = FR_ONE;
    g1_t t;
    g1_mul_var(&t, &g, &zero);
    CHECK(g1_is_inf(&t), "[0]G");
    g1_mul_var(&t, &g, &one);
    CHECK(g1_eq(&t, &g), "[1]G");
    g1_t inf;
    g1_set_inf(&inf);
    g1_mul_var(&t, &inf, &one);
    CHECK(g1_is_inf(&t), "[1]O");
    /* a scalar longer than one recoding chunk: k = lo + hi·2^(64·16) */
    uint64_t k[CURVE_WNAF_MAX_LIMBS + 2];
    testrand_limbs_edge(k, CURVE_WNAF_MAX_LIMBS + 2);
    k[CURVE_WNAF_MAX_LIMBS + 1] |= 1; /* a non-zero top chunk: the Horner loop runs */
    g1_t whole, lo, hi;
    g1_mul_raw_var(&whole, &g, k, CURVE_WNAF_MAX_LIMBS + 2);
    g1_mul_raw_var(&lo, &g, k, CURVE_WNAF_MAX_LIMBS);
    g1_mul_raw_var(&hi, &g, k + CURVE_WNAF_MAX_LIMBS, 2);
    for (int i = 0; i < 64 * CURVE_WNAF_MAX_LIMBS; i++) g1_dbl(&hi, &hi);
    g1_add(&lo, &lo, &hi);
    CHECK(g1_eq(&whole, &lo), "multi-chunk scalar");
}

static void test_wnaf__recodes_exactly(void) {
    mpz_t want, got, term;
    mpz_inits(want, got, term, NULL);
    int8_t digits[CURVE_WNAF_MAX_DIGITS];
    for (int it = 0; it < 600; it++) {
        size_t n = 1 + testrand_range(CURVE_WNAF_MAX_LIMBS);
        unsigned w = 2 + (unsigned)testrand_range(6);
        uint64_t k[CURVE_WNAF_MAX_LIMBS];
        testrand_limbs_edge(k, n);
        if (it % 7 == 0) k[n - 1] = 0;
        mpz_import(want, n, -1, 8, 0, 0, k);
        size_t len = curve_wnaf_var(digits, k, n, w);
        size_t bits = curve_bit_length(k, n);
        CHECK(len <= bits + 1, "wNAF too long");
        mpz_set_ui(got, 0);
        bool ok = true;
        size_t last = (size_t)-1;
        for (size_t i = 0; i < len; i++) {
            int d = digits[i];
            if (!d) continue;
            if ((d & 1) == 0 || d >= (1 << (w - 1)) || d <= -(1 << (w - 1))) ok = false;
            if (last != (size_t)-1 && i - last < w) ok = false;
            last = i;
            mpz_set_si(term, d);
            mpz_mul_2exp(term, term, i);
            mpz_add(got, got, term);
        }
        CHECK(ok, "wNAF digit form (w %u)", w);
        CHECK(mpz_cmp(got, want) == 0, "wNAF value (w %u, n %zu)", w, n);
        if (len) CHECK(digits[len - 1] != 0, "wNAF length");
    }
    mpz_clears(want, got, term, NULL);
}

/* g1_mul_many_var against g1_mul_var, one by one: counts around the vector width and the
 * scalar path's block (16), points at infinity, a point of order 3, scalars 0, 1, 2, r - 1
 * and edge-biased random ones, out aliasing in. */
static void test_g1_mul_many__agrees_with_single(void) {
    static const size_t counts[] = {0, 1, 7, 8, 9, 16, 33};
    g1_t in[33], out[33], want[33];
    fr_t k[33];
    for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
        size_t n = counts[c];
        for (size_t i = 0; i < n; i++) {
            rand_g1(&in[i]);
            rand_fr(&k[i]);
            switch ((i + c) % 11) {
            case 0: g1_set_inf(&in[i]); break;
            case 1: k[i] = FR_ZERO; break;
            case 2: k[i] = FR_ONE; break;
            case 3: fr_neg(&k[i], &FR_ONE); break;
            case 4: fr_add(&k[i], &FR_ONE, &FR_ONE); break;
            case 5: if (i) in[i] = in[i - 1]; break; /* the same point twice in a vector */
            case 6: /* (0, 2), of order 3, outside G1: 2P = -P, the batched tables give up */
                in[i].x = FP_ZERO;
                fp_add(&in[i].y, &FP_ONE, &FP_ONE);
                in[i].z = FP_ONE;
                break;
            default: break;
            }
            g1_mul_var(&want[i], &in[i], &k[i]);
        }
        g1_mul_many_var(out, in, k, n);
        for (size_t i = 0; i < n; i++)
            CHECK(g1_eq(&out[i], &want[i]) && g1_is_inf(&out[i]) == g1_is_inf(&want[i]),
                  "many[%zu] of %zu differs from g1_mul_var", i, n);
        g1_mul_many_var(in, in, k, n); /* aliased */
        for (size_t i = 0; i < n; i++)
            CHECK(g1_eq(&in[i], &want[i]), "aliased many[%zu] of %zu differs", i, n);
    }
}

/* g1_mul2_var against two g1_mul_var and an addition: random and edge scalars, either
 * point at infinity, p = q and p = -q. */
static void test_g1_mul2__agrees_with_two_products(void) {
    for (int it = 0; it < 40; it++) {
        g1_t p, q, t1, t2, want, got;
        fr_t a, b;
        rand_g1(&p);
        rand_g1(&q);
        rand_fr(&a);
        rand_fr(&b);
        switch (it % 8) {
        case 0: g1_set_inf(&p); break;
        case 1: g1_set_inf(&q); break;
        case 2: q = p; break;
        case 3: g1_neg(&q, &p); b = a; break; /* a·p + a·(-p) = O */
        case 4: a = FR_ZERO; break;
        case 5: fr_neg(&b, &FR_ONE); break;
        default: break;
        }
        g1_mul_var(&t1, &p, &a);
        g1_mul_var(&t2, &q, &b);
        g1_add(&want, &t1, &t2);
        g1_mul2_var(&got, &p, &a, &q, &b);
        CHECK(g1_eq(&got, &want) && g1_is_inf(&got) == g1_is_inf(&want),
              "a·p + b·q differs (it %d)", it);
    }
}

static void test_g1_subgroup__agrees_with_r_multiplication(void) {
    for (int it = 0; it < 64; it++) {
        g1_t p;
        rand_g1(&p);
        CHECK(g1_in_subgroup_var(&p), "subgroup point rejected (it %d)", it);
        if (!g1_in_subgroup_var(&p)) print_point("P", &p);
        g1_t q;
        rand_curve_point(&q);
        bool want = r_times_is_inf(&q);
        CHECK(g1_in_subgroup_var(&q) == want, "non-cleared point: check %d, [r]P==O %d",
              (int)g1_in_subgroup_var(&q), (int)want);
        if (g1_in_subgroup_var(&q) != want) print_point("P", &q);
        rerandomize(&q);
        CHECK(g1_in_subgroup_var(&q) == want, "Jacobian non-cleared point");
        /* cofactor clearing lands in G1 */
        g1_t c;
        g1_mul_raw_var(&c, &q, H1, 2);
        CHECK(g1_in_subgroup_var(&c) && r_times_is_inf(&c), "[h1]P not in G1");
        /* [r]P lies in the h1-torsion: never in G1 unless O */
        g1_t t;
        g1_mul_raw_var(&t, &q, FR_R, 4);
        CHECK(g1_in_subgroup_var(&t) == g1_is_inf(&t), "h1-torsion point");
        /* an order-3 point (or O), and a G1 point plus it */
        g1_t o3;
        g1_mul_raw_var(&o3, &t, H1_DIV3, 2);
        if (!g1_is_inf(&o3)) {
            g1_t o3x3;
            uint64_t three = 3;
            g1_mul_raw_var(&o3x3, &o3, &three, 1);
            CHECK(g1_is_inf(&o3x3), "order-3 point");
            CHECK(!g1_in_subgroup_var(&o3), "order-3 point accepted");
            g1_t s;
            g1_add(&s, &p, &o3);
            CHECK(!g1_in_subgroup_var(&s), "G1 point + order-3 point accepted");
        }
        g1_add(&t, &t, &p);
        CHECK(g1_in_subgroup_var(&t) == r_times_is_inf(&t), "G1 point + h1-torsion point");
    }
    g1_t inf;
    g1_set_inf(&inf);
    CHECK(g1_in_subgroup_var(&inf), "O rejected");
}

static void test_g1_codec__round_trips(void) {
    for (int it = 0; it < 40; it++) {
        g1_t p;
        rand_g1(&p);
        if (it & 1) g1_neg(&p, &p);
        g1_aff_t a, d;
        g1_to_aff(&a, &p);
        uint8_t b[48];
        g1_compress(b, &a);
        CHECK((b[0] & 0xc0) == 0x80, "flags");
        CHECK(((b[0] & 0x20) != 0) == fp_is_lex_largest(&a.y), "sign bit");
        kzg_status st = g1_decompress(&d, b);
        CHECK(st == KZG_OK && fp_eq(&d.x, &a.x) && fp_eq(&d.y, &a.y), "round trip (st %d)", st);
        if (st != KZG_OK) test_print_hex("enc", b, 48);
        /* the other sign is the negation */
        b[0] ^= 0x20;
        st = g1_decompress(&d, b);
        g1_aff_t na;
        g1_aff_neg(&na, &a);
        CHECK(st == KZG_OK && fp_eq(&d.y, &na.y), "flipped sign decodes to -P");
    }
    g1_aff_t inf = {FP_ZERO, FP_ZERO}, d;
    uint8_t b[48];
    g1_compress(b, &inf);
    bool ok = b[0] == 0xc0;
    for (int i = 1; i < 48; i++) ok = ok && b[i] == 0;
    CHECK(ok, "infinity encoding");
    CHECK(g1_decompress(&d, b) == KZG_OK && g1_aff_is_inf(&d), "infinity decode");
}

static void expect_status(const uint8_t b[48], kzg_status want, const char *what) {
    g1_aff_t d;
    memset(&d, 0x5a, sizeof d);
    kzg_status st = g1_decompress(&d, b);
    CHECK(st == want, "%s: status %d, want %d", what, st, want);
    if (st != want) test_print_hex("input", b, 48);
    if (want != KZG_OK) CHECK(g1_aff_is_inf(&d), "%s: output not zeroed", what);
}

static void test_g1_decompress__rejects_malformed(void) {
    uint8_t gen[48], b[48];
    from_hex(gen, G1_GEN_HEX, 48);
    /* compression bit clear */
    memcpy(b, gen, 48);
    b[0] &= 0x7f;
    expect_status(b, KZG_ERR_POINT_ENCODING, "compression bit clear");
    memset(b, 0, 48);
    expect_status(b, KZG_ERR_POINT_ENCODING, "all zero (uncompressed infinity)");
    /* infinity with sign */
    memset(b, 0, 48);
    b[0] = 0xe0;
    expect_status(b, KZG_ERR_POINT_ENCODING, "infinity + sign");
    /* infinity with a non-zero body, in the flag byte and at the end */
    memset(b, 0, 48);
    b[0] = 0xc1;
    expect_status(b, KZG_ERR_POINT_ENCODING, "infinity, non-zero flag byte");
    memset(b, 0, 48);
    b[0] = 0xc0;
    b[47] = 1;
    expect_status(b, KZG_ERR_POINT_ENCODING, "infinity, non-zero body");
    memcpy(b, gen, 48);
    b[0] |= 0x40;
    expect_status(b, KZG_ERR_POINT_ENCODING, "infinity bit on the generator");
    /* x = p, x = p + 1, x = 2^381 - 1 */
    uint8_t pb[48];
    for (int i = 0; i < 48; i++) pb[i] = (uint8_t)(FP_P[5 - i / 8] >> (56 - 8 * (i % 8)));
    memcpy(b, pb, 48);
    b[0] |= 0x80;
    expect_status(b, KZG_ERR_POINT_ENCODING, "x = p");
    b[0] |= 0x20;
    expect_status(b, KZG_ERR_POINT_ENCODING, "x = p, sign");
    memcpy(b, pb, 48);
    b[47] += 1;
    b[0] |= 0x80;
    expect_status(b, KZG_ERR_POINT_ENCODING, "x = p + 1");
    memset(b, 0xff, 48);
    b[0] = 0x9f;
    expect_status(b, KZG_ERR_POINT_ENCODING, "x = 2^381 - 1");
    /* x not on the curve: the smallest x with x³ + 4 a non-square, and random ones */
    fp_t x, rhs, four;
    fp_from_u64(&four, 4);
    for (uint64_t v = 1;; v++) {
        fp_from_u64(&x, v);
        fp_sqr(&rhs, &x);
        fp_mul(&rhs, &rhs, &x);
        fp_add(&rhs, &rhs, &four);
        if (!fp_is_square_var(&rhs)) break;
    }
    fp_to_bytes_be(b, &x);
    b[0] |= 0x80;
    expect_status(b, KZG_ERR_POINT_NOT_ON_CURVE, "x not on curve");
    for (int it = 0; it < 8; it++) {
        do {
            rand_fp(&x);
            fp_sqr(&rhs, &x);
            fp_mul(&rhs, &rhs, &x);
            fp_add(&rhs, &rhs, &four);
        } while (fp_is_square_var(&rhs));
        fp_to_bytes_be(b, &x);
        b[0] |= (uint8_t)(0x80 | (it & 1 ? 0x20 : 0));
        expect_status(b, KZG_ERR_POINT_NOT_ON_CURVE, "random x not on curve");
    }
    /* on the curve, not in the subgroup; decompress_unchecked accepts it */
    for (int it = 0; it < 8; it++) {
        g1_t q;
        rand_curve_point(&q);
        if (r_times_is_inf(&q)) continue;
        g1_aff_t qa, d;
        g1_to_aff(&qa, &q);
        g1_compress(b, &qa);
        expect_status(b, KZG_ERR_POINT_NOT_IN_SUBGROUP, "not in subgroup");
        CHECK(g1_decompress_unchecked(&d, b) == KZG_OK && fp_eq(&d.x, &qa.x) &&
                  fp_eq(&d.y, &qa.y),
              "unchecked decode of a non-subgroup point");
    }
}

static void test_g1_batch_to_aff__with_infinities(void) {
    enum { N = 37 };
    g1_t in[N];
    g1_aff_t out[N], want;
    fp_t scratch[N];
    for (int i = 0; i < N; i++) {
        if (i % 5 == 0 || i == N - 1) {
            g1_set_inf(&in[i]);
        } else {
            rand_g1(&in[i]);
        }
    }
    g1_batch_to_aff(out, in, N, scratch);
    for (int i = 0; i < N; i++) {
        g1_to_aff(&want, &in[i]);
        CHECK(fp_eq(&out[i].x, &want.x) && fp_eq(&out[i].y, &want.y), "batch_to_aff[%d]", i);
    }
    g1_batch_to_aff(out, in, 0, scratch);
    g1_set_inf(&in[0]);
    g1_batch_to_aff(out, in, 1, scratch);
    CHECK(g1_aff_is_inf(&out[0]), "batch_to_aff of a lone O");
}

/* The batched check and decoder against the one-point ones, on a mix that hits every lane
 * kind: G1 points, random curve points, h1-torsion points, order-3 points (whose ladder
 * meets the exceptional additions), G1 + torsion, infinity; n not a multiple of 8. */
static void test_g1_subgroup_batch__agrees_with_single(void) {
    enum { N = 203 };
    g1_aff_t *pts = malloc(N * sizeof *pts);
    bool *ok = malloc(N * sizeof *ok);
    uint8_t *enc = malloc(N * 48);
    g1_aff_t *dec = malloc(N * sizeof *dec);
    kzg_status *st = malloc(N * sizeof *st);
    CHECK(pts && ok && enc && dec && st, "malloc");
    if (!(pts && ok && enc && dec && st)) goto out;
    int kinds[6] = {0};
    for (int i = 0; i < N; i++) {
        g1_t p, q, t;
        int kind = (int)testrand_range(6);
        rand_g1(&p);
        rand_curve_point(&q);
        g1_mul_raw_var(&t, &q, FR_R, 4); /* h1-torsion */
        switch (kind) {
        case 0: break;
        case 1: p = q; break;
        case 2: p = t; break;
        case 3: g1_mul_raw_var(&p, &t, H1_DIV3, 2); break; /* order 3 (or O) */
        case 4: g1_add(&p, &p, &t); break;
        default: g1_set_inf(&p); break;
        }
        kinds[kind]++;
        g1_to_aff(&pts[i], &p);
        g1_compress(&enc[48 * i], &pts[i]);
    }
    /* a few malformed encodings among them */
    enc[48 * 5] &= 0x7f;                           /* compression bit cleared */
    memset(&enc[48 * 17 + 1], 0xff, 47);           /* x >= p */
    enc[48 * 17] = 0x9f;
    int nonsq = 0;
    for (int i = 40; i < N; i += 9) { /* random x: about half have x³ + 4 not a square */
        fp_t x, rhs, y, four;
        rand_fp(&x);
        fp_to_bytes_be(&enc[48 * i], &x);
        enc[48 * i] |= (uint8_t)(0x80 | (testrand_range(2) ? 0x20 : 0));
        fp_from_u64(&four, 4);
        fp_sqr(&rhs, &x);
        fp_mul(&rhs, &rhs, &x);
        fp_add(&rhs, &rhs, &four);
        nonsq += !fp_sqrt_var(&y, &rhs);
    }
    CHECK(nonsq > 0, "some encodings are off the curve");
    g1_in_subgroup_batch_var(ok, pts, N);
    long agree = 0;
    for (int i = 0; i < N; i++) {
        g1_t p;
        g1_from_aff(&p, &pts[i]);
        bool want = g1_in_subgroup_var(&p);
        CHECK(ok[i] == want, "batch subgroup check of point %d: %d, single %d", i, ok[i], want);
        agree += ok[i] == want;
    }
    g1_decompress_many(dec, st, enc, 48, N);
    for (int i = 0; i < N; i++) {
        g1_aff_t one;
        kzg_status want = g1_decompress(&one, &enc[48 * i]);
        CHECK(st[i] == want && memcmp(&one, &dec[i], sizeof one) == 0,
              "decompress_many at %d: status %d, single %d", i, (int)st[i], (int)want);
    }
    printf("  batch subgroup check: %ld of %d agree (kinds: %d G1, %d curve, %d torsion, %d order 3, "
           "%d G1+torsion, %d O; %d encodings off the curve) on backend %s\n", agree, N, kinds[0],
           kinds[1], kinds[2], kinds[3], kinds[4], kinds[5], nonsq, kzg_backend());
out:
    free(pts);
    free(ok);
    free(enc);
    free(dec);
    free(st);
}

int main(void) {
    testrand_init("test_g1");
    test_wnaf__recodes_exactly();
    test_g1_generator__on_curve_order_r_and_encoding();
    test_g1_phi__acts_as_minus_z_squared();
    test_g1_group_laws();
    test_g1_scalar_mul__homomorphism();
    test_g1_mul_many__agrees_with_single();
    test_g1_mul2__agrees_with_two_products();
    test_g1_subgroup__agrees_with_r_multiplication();
    test_g1_codec__round_trips();
    test_g1_decompress__rejects_malformed();
    test_g1_batch_to_aff__with_infinities();
    test_g1_subgroup_batch__agrees_with_single();
    return test_report();
}
