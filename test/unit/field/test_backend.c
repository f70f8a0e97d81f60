/*
 * test_backend — every arithmetic backend against the portable one (the oracle), and the
 * backend selection rule.
 *
 * For each backend other than portable that this CPU can run (today: x86-64 mulx/adx),
 * fp_mul, fp_sqr, fr_mul, fr_sqr and fp2_mul must give bit-identical, fully reduced results to the
 * portable kernels on every pair of edge values (0, 1, 2, m−1, m−2, (m±1)/2, R mod m,
 * −R mod m, 2^k and 2^k − 1 reduced, long runs of one bits) and on KZGKIT_TEST_ITERS
 * (default 100000) edge-biased random inputs, with the output in a separate buffer and
 * aliasing each input. A backend the CPU cannot run is skipped with a message.
 *
 * The GMP-checked field tests (test_fp, test_fr) exercise whichever backend is selected;
 * CI should also run them with KZGKIT_BACKEND=portable, so that both paths meet GMP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "backend/x86_64/ifma.h"
#include "backend/x86_64/ifma_fr.h"
#include "testrand.h"

static long ITERS = 100000;

/* ---- values below a modulus m of n limbs ---- */

static bool limbs_ge(const uint64_t *x, const uint64_t *m, size_t n) {
    for (size_t i = n; i-- > 0;)
        if (x[i] != m[i]) return x[i] > m[i];
    return true;
}

static void limbs_sub(uint64_t *x, const uint64_t *m, size_t n) {
    uint64_t borrow = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t d = x[i] - m[i] - borrow;
        borrow = (x[i] < m[i]) | ((x[i] == m[i]) & borrow);
        x[i] = d;
    }
}

/* x mod m by repeated subtraction (x < 2^(64n) < 16m for both moduli). */
static void limbs_reduce(uint64_t *x, const uint64_t *m, size_t n) {
    while (limbs_ge(x, m, n)) limbs_sub(x, m, n);
}

static void limbs_set_small(uint64_t *x, size_t n, uint64_t v) {
    memset(x, 0, n * sizeof *x);
    x[0] = v;
}

#define MAXEDGE 64
typedef struct {
    uint64_t v[MAXEDGE][6];
    int count;
} edge_set;

static void edge_add(edge_set *e, const uint64_t *x, const uint64_t *m, size_t n) {
    if (e->count >= MAXEDGE) return;
    memcpy(e->v[e->count], x, n * sizeof *x);
    limbs_reduce(e->v[e->count], m, n);
    e->count++;
}

/* The edge list of the brief above, for modulus m of n limbs with R mod m = one. */
static void edges_init(edge_set *e, const uint64_t *m, const uint64_t *one, size_t n) {
    uint64_t x[6];
    e->count = 0;
    for (uint64_t v = 0; v <= 2; v++) {
        limbs_set_small(x, n, v);
        edge_add(e, x, m, n);
    }
    for (uint64_t k = 1; k <= 2; k++) { /* m − 1, m − 2 */
        memcpy(x, m, n * sizeof *x);
        uint64_t kk[6] = {k, 0, 0, 0, 0, 0};
        limbs_sub(x, kk, n);
        edge_add(e, x, m, n);
    }
    /* (m − 1)/2 and (m + 1)/2 */
    memcpy(x, m, n * sizeof *x);
    for (size_t i = 0; i < n; i++) x[i] = (x[i] >> 1) | (i + 1 < n ? x[i + 1] << 63 : 0);
    edge_add(e, x, m, n);
    x[0] += 1; /* (m+1)/2: no carry, the low limb of (m−1)/2 is not all ones for p or r */
    edge_add(e, x, m, n);
    edge_add(e, one, m, n); /* R mod m: Montgomery 1 */
    memcpy(x, m, n * sizeof *x);
    limbs_sub(x, one, n); /* −R mod m */
    edge_add(e, x, m, n);
    for (size_t k = 1; k < 64 * n; k += 61) { /* 2^k and 2^k − 1, reduced */
        memset(x, 0, sizeof x);
        x[k / 64] = 1ULL << (k % 64);
        edge_add(e, x, m, n);
        uint64_t onew[6] = {1, 0, 0, 0, 0, 0};
        limbs_sub(x, onew, n);
        edge_add(e, x, m, n);
    }
    for (size_t i = 0; i < n; i++) x[i] = ~0ULL; /* all ones, reduced */
    edge_add(e, x, m, n);
    for (size_t i = 0; i < n; i++) x[i] = 0xffffffff00000000ULL; /* runs of 32 */
    edge_add(e, x, m, n);
    for (size_t i = 0; i < n; i++) x[i] = 0x00000000ffffffffULL;
    edge_add(e, x, m, n);
    memcpy(x, m, n * sizeof *x); /* m with its low half-limb run cleared */
    x[0] &= 0xffffffff00000000ULL;
    edge_add(e, x, m, n);
}

static void rand_below(uint64_t *x, const uint64_t *m, size_t n) {
    testrand_limbs_edge(x, n);
    limbs_reduce(x, m, n);
}

/* ---- one comparison: fp ---- */

typedef struct {
    const backend_kernels *k;
    const char *op;
    long failures;
} run_state;

static void fail_report(run_state *s, const char *how, const uint64_t *a, const uint64_t *b,
                        const uint64_t *want, const uint64_t *got, size_t n) {
    s->failures++;
    if (s->failures > 5) return;
    fprintf(stderr, "%s %s (%s) differs from portable:\n", s->k->name, s->op, how);
    test_print_hex("  a", a, n * 8);
    if (b) test_print_hex("  b", b, n * 8);
    test_print_hex("  portable", want, n * 8);
    test_print_hex("  backend ", got, n * 8);
}

static void check_fp_pair(run_state *s, const fp_t *a, const fp_t *b) {
    fp_t want, got, x;
    if (strcmp(s->op, "fp_mul") == 0) {
        fp_mul_portable(&want, a, b);
        s->k->fp_mul(&got, a, b);
        if (memcmp(&got, &want, sizeof got) || limbs_ge(got.l, FP_P, 6))
            fail_report(s, "r separate", a->l, b->l, want.l, got.l, 6);
        x = *a;
        s->k->fp_mul(&x, &x, b);
        if (memcmp(&x, &want, sizeof x)) fail_report(s, "r = a", a->l, b->l, want.l, x.l, 6);
        x = *b;
        s->k->fp_mul(&x, a, &x);
        if (memcmp(&x, &want, sizeof x)) fail_report(s, "r = b", a->l, b->l, want.l, x.l, 6);
        fp_mul_portable(&want, a, a);
        x = *a;
        s->k->fp_mul(&x, &x, &x);
        if (memcmp(&x, &want, sizeof x)) fail_report(s, "r = a = b", a->l, a->l, want.l, x.l, 6);
    } else {
        fp_sqr_portable(&want, a);
        s->k->fp_sqr(&got, a);
        if (memcmp(&got, &want, sizeof got) || limbs_ge(got.l, FP_P, 6))
            fail_report(s, "r separate", a->l, NULL, want.l, got.l, 6);
        x = *a;
        s->k->fp_sqr(&x, &x);
        if (memcmp(&x, &want, sizeof x)) fail_report(s, "r = a", a->l, NULL, want.l, x.l, 6);
    }
}

static void check_fr_pair(run_state *s, const fr_t *a, const fr_t *b) {
    fr_t want, got, x;
    if (strcmp(s->op, "fr_mul") == 0) {
        fr_mul_portable(&want, a, b);
        s->k->fr_mul(&got, a, b);
        if (memcmp(&got, &want, sizeof got) || limbs_ge(got.l, FR_R, 4))
            fail_report(s, "r separate", a->l, b->l, want.l, got.l, 4);
        x = *a;
        s->k->fr_mul(&x, &x, b);
        if (memcmp(&x, &want, sizeof x)) fail_report(s, "r = a", a->l, b->l, want.l, x.l, 4);
        x = *b;
        s->k->fr_mul(&x, a, &x);
        if (memcmp(&x, &want, sizeof x)) fail_report(s, "r = b", a->l, b->l, want.l, x.l, 4);
        fr_mul_portable(&want, a, a);
        x = *a;
        s->k->fr_mul(&x, &x, &x);
        if (memcmp(&x, &want, sizeof x)) fail_report(s, "r = a = b", a->l, a->l, want.l, x.l, 4);
    } else {
        fr_sqr_portable(&want, a);
        s->k->fr_sqr(&got, a);
        if (memcmp(&got, &want, sizeof got) || limbs_ge(got.l, FR_R, 4))
            fail_report(s, "r separate", a->l, NULL, want.l, got.l, 4);
        x = *a;
        s->k->fr_sqr(&x, &x);
        if (memcmp(&x, &want, sizeof x)) fail_report(s, "r = a", a->l, NULL, want.l, x.l, 4);
    }
}

static void check_fp2_pair(run_state *s, const fp2_t *a, const fp2_t *b) {
    fp2_t want, got, x;
    fp2_mul_portable(&want, a, b);
    s->k->fp2_mul(&got, a, b);
    if (memcmp(&got, &want, sizeof got) || limbs_ge(got.c0.l, FP_P, 6) ||
        limbs_ge(got.c1.l, FP_P, 6))
        fail_report(s, "r separate", a->c0.l, b->c0.l, want.c0.l, got.c0.l, 12);
    x = *a;
    s->k->fp2_mul(&x, &x, b);
    if (memcmp(&x, &want, sizeof x)) fail_report(s, "r = a", a->c0.l, b->c0.l, want.c0.l, x.c0.l, 12);
    x = *b;
    s->k->fp2_mul(&x, a, &x);
    if (memcmp(&x, &want, sizeof x)) fail_report(s, "r = b", a->c0.l, b->c0.l, want.c0.l, x.c0.l, 12);
    fp2_mul_portable(&want, a, a);
    x = *a;
    s->k->fp2_mul(&x, &x, &x);
    if (memcmp(&x, &want, sizeof x))
        fail_report(s, "r = a = b", a->c0.l, a->c0.l, want.c0.l, x.c0.l, 12);
}

/* fr_mul_sum2 on one case: separate output, then the output aliasing a[0], a[1], b[0], b[1]. */
static void check_fr_sum2_case(run_state *s, const fr_t a[2], const fr_t b[2]) {
    fr_t want, got, x[2], y[2];
    fr_mul_sum2_portable(&want, a, b);
    s->k->fr_mul_sum2(&got, a, b);
    if (memcmp(&got, &want, sizeof got) || limbs_ge(got.l, FR_R, 4))
        fail_report(s, "r separate", a[0].l, b[0].l, want.l, got.l, 4);
    for (int alias = 0; alias < 4; alias++) {
        x[0] = a[0], x[1] = a[1], y[0] = b[0], y[1] = b[1];
        fr_t *out = alias < 2 ? &x[alias] : &y[alias - 2];
        s->k->fr_mul_sum2(out, x, y);
        if (memcmp(out, &want, sizeof want)) fail_report(s, "r = an input", a[0].l, b[0].l, want.l, out->l, 4);
    }
}

/* fr_mul_sum2: every pair of edges in each factor position (the others the largest value,
 * r − 1, which makes the row sums largest), then ITERS random quadruples. */
static void check_fr_sum2_op(const backend_kernels *k) {
    run_state s = {k, "fr_mul_sum2", 0};
    edge_set e;
    edges_init(&e, FR_R, FR_ONE.l, 4);
    fr_t top;
    memcpy(top.l, FR_R, sizeof top.l);
    top.l[0] -= 1; /* r − 1 (r is odd) */
    long cases = 0;
    for (int i = 0; i < e.count; i++)
        for (int j = 0; j < e.count; j++)
            for (int pos = 0; pos < 4; pos++, cases++) {
                fr_t v[4] = {top, top, top, top}, a[2], b[2];
                memcpy(v[pos].l, e.v[i], sizeof v[pos].l);
                memcpy(v[(pos + 1) % 4].l, e.v[j], sizeof v[0].l);
                a[0] = v[0], b[0] = v[1], a[1] = v[2], b[1] = v[3];
                check_fr_sum2_case(&s, a, b);
            }
    for (long it = 0; it < ITERS; it++, cases++) {
        fr_t a[2], b[2];
        rand_below(a[0].l, FR_R, 4);
        rand_below(a[1].l, FR_R, 4);
        rand_below(b[0].l, FR_R, 4);
        rand_below(b[1].l, FR_R, 4);
        check_fr_sum2_case(&s, a, b);
    }
    CHECK(s.failures == 0, "%s fr_mul_sum2: %ld of %ld cases differ from portable", k->name,
          s.failures, cases);
    printf("  %s fr_mul_sum2: %ld cases, %ld mismatches\n", k->name, cases, s.failures);
}

/* fp2_mul: a = (e_i, e_j) against b = (e_j, e_i) and b = (e_k, e_l) for a spread of k, l
 * (every edge meets every other edge in each of the four coordinate positions), then
 * ITERS random pairs whose coordinates are edges one time in eight. */
static void check_fp2_op(const backend_kernels *k) {
    run_state s = {k, "fp2_mul", 0};
    edge_set e;
    edges_init(&e, FP_P, FP_ONE.l, 6);
    long cases = 0;
    for (int i = 0; i < e.count; i++)
        for (int j = 0; j < e.count; j++) {
            fp2_t a, b;
            memcpy(a.c0.l, e.v[i], 48);
            memcpy(a.c1.l, e.v[j], 48);
            memcpy(b.c0.l, e.v[j], 48);
            memcpy(b.c1.l, e.v[i], 48);
            check_fp2_pair(&s, &a, &b);
            memcpy(b.c0.l, e.v[(i + 1) % e.count], 48);
            memcpy(b.c1.l, e.v[(7 * j + i) % e.count], 48);
            check_fp2_pair(&s, &a, &b);
            cases += 2;
        }
    for (long it = 0; it < ITERS; it++, cases++) {
        fp2_t a, b;
        uint64_t *c[4] = {a.c0.l, a.c1.l, b.c0.l, b.c1.l};
        for (int q = 0; q < 4; q++) {
            if (testrand_range(8) == 0)
                memcpy(c[q], e.v[testrand_range((uint64_t)e.count)], 48);
            else
                rand_below(c[q], FP_P, 6);
        }
        check_fp2_pair(&s, &a, &b);
    }
    CHECK(s.failures == 0, "%s fp2_mul: %ld of %ld cases differ from portable", k->name,
          s.failures, cases);
    printf("  %s fp2_mul: %ld cases, %ld mismatches\n", k->name, cases, s.failures);
}

/* Edges × edges, then ITERS random pairs, for one backend and one operation. */
static void check_op(const backend_kernels *k, const char *op) {
    run_state s = {k, op, 0};
    bool is_fp = op[1] == 'p';
    size_t n = is_fp ? 6 : 4;
    const uint64_t *m = is_fp ? FP_P : FR_R;
    edge_set e;
    edges_init(&e, m, is_fp ? FP_ONE.l : FR_ONE.l, n);
    long cases = 0;
    for (int i = 0; i < e.count; i++)
        for (int j = 0; j < e.count; j++, cases++) {
            if (is_fp) {
                fp_t a, b;
                memcpy(a.l, e.v[i], sizeof a.l);
                memcpy(b.l, e.v[j], sizeof b.l);
                check_fp_pair(&s, &a, &b);
            } else {
                fr_t a, b;
                memcpy(a.l, e.v[i], sizeof a.l);
                memcpy(b.l, e.v[j], sizeof b.l);
                check_fr_pair(&s, &a, &b);
            }
        }
    for (long it = 0; it < ITERS; it++, cases++) {
        uint64_t a[6], b[6];
        rand_below(a, m, n);
        if (testrand_range(8) == 0) /* an edge against a random value */
            memcpy(b, e.v[testrand_range((uint64_t)e.count)], sizeof b);
        else
            rand_below(b, m, n);
        if (is_fp) {
            fp_t x, y;
            memcpy(x.l, a, sizeof x.l);
            memcpy(y.l, b, sizeof y.l);
            check_fp_pair(&s, &x, &y);
        } else {
            fr_t x, y;
            memcpy(x.l, a, sizeof x.l);
            memcpy(y.l, b, sizeof y.l);
            check_fr_pair(&s, &x, &y);
        }
    }
    CHECK(s.failures == 0, "%s %s: %ld of %ld cases differ from portable", k->name, op,
          s.failures, cases);
    printf("  %s %s: %ld cases (%d edges squared + %ld random), %ld mismatches\n", k->name, op,
           cases, e.count, ITERS, s.failures);
}

static void test_backends__agree_with_portable_on_edges_and_random(void) {
    const backend_kernels *accel[] = {backend_mulx_adx(), backend_mulx_adx_ifma()};
    const char *accel_name[] = {"x86_64-mulx-adx", "x86_64-mulx-adx-ifma"};
    const backend_kernels *built[] = {backend_mulx_adx_built(), backend_mulx_adx_ifma_built()};
    for (size_t i = 0; i < sizeof accel / sizeof accel[0]; i++) {
        if (accel[i] == NULL) {
            printf("  SKIP %s: %s\n", accel_name[i],
                   built[i] == NULL ? "not built for this target" : "this CPU lacks bmi2/adx");
            continue;
        }
        check_op(accel[i], "fp_mul");
        check_op(accel[i], "fp_sqr");
        check_op(accel[i], "fr_mul");
        check_op(accel[i], "fr_sqr");
        check_fr_sum2_op(accel[i]);
        check_fp2_op(accel[i]);
    }
}

#ifdef KZG_HAVE_IFMA_KERNELS
/* The IFMA batch kernels (x86_64/ifma.h) lane by lane against the portable fp_mul and the
 * fp_add/fp_sub of field/fp_addsub.h: eight lanes loaded through scattered pointers, mul,
 * add, sub (each also with the output over an input), stored back; the load/store round
 * trip alone. Lanes: every ordered pair of edge values (in groups of eight), then ITERS/8
 * groups of edge-biased random values. */
typedef struct { long cases, failures; } v8_tally;

static V8_TARGET void v8_check_group(v8_tally *tl, fp_t a[8], fp_t b[8]) {
    const void *pa[8], *pb[8];
    void *po[8];
    fp_t out[8];
    v8fp va, vb, vr;
    for (int l = 0; l < 8; l++) {
        pa[l] = &a[l];
        pb[l] = &b[l];
        po[l] = &out[(l * 5 + 3) % 8]; /* a permutation: lanes write scattered slots */
    }
    v8_load_tr(&va, pa, 0);
    v8_load_tr(&vb, pb, 0);
    for (int op = 0; op < 5; op++) {
        const char *name[] = {"load/store", "mul", "add", "sub", "sqr"};
        if (op == 0) vr = va;
        else if (op == 1) v8_mul(&vr, &va, &vb);
        else if (op == 2) v8_add(&vr, &va, &vb);
        else if (op == 3) v8_sub(&vr, &va, &vb);
        else v8_sqr(&vr, &va);
        v8_store_tr(po, 0, &vr);
        for (int l = 0; l < 8; l++) {
            fp_t want;
            if (op == 0) want = a[l];
            else if (op == 1) fp_mul_portable(&want, &a[l], &b[l]);
            else if (op == 2) fp_add(&want, &a[l], &b[l]);
            else if (op == 3) fp_sub(&want, &a[l], &b[l]);
            else fp_mul_portable(&want, &a[l], &a[l]);
            tl->cases++;
            if (memcmp(&want, po[l], sizeof want) != 0) {
                if (++tl->failures <= 5) {
                    fprintf(stderr, "ifma %s differs from portable (lane %d):\n", name[op], l);
                    test_print_hex("  a", a[l].l, 48);
                    test_print_hex("  b", b[l].l, 48);
                    test_print_hex("  portable", want.l, 48);
                    test_print_hex("  ifma    ", ((const fp_t *)po[l])->l, 48);
                }
            }
        }
    }
    /* r = a in place: the product over the first operand. */
    v8_mul(&va, &va, &vb);
    v8_store_tr(po, 0, &va);
    for (int l = 0; l < 8; l++) {
        fp_t want;
        fp_mul_portable(&want, &a[l], &b[l]);
        tl->cases++;
        if (memcmp(&want, po[l], sizeof want) != 0 && ++tl->failures <= 5)
            fprintf(stderr, "ifma mul (r = a) differs from portable (lane %d)\n", l);
    }
}

/* The Fr lanes (x86_64/ifma_fr.h, five 52-bit limbs) against the portable fr_mul and the
 * scalar fr_add/fr_sub: load/store, v8fr_mul with the multiplier times FR_V8_SCALE, add,
 * sub; the lazy forms at their bounds — v8fr_mul_lazy of a sum of up to 5.3r (a·1 + b·… as
 * the fold builds it) by a reduced multiplier stays below 1.2r and reduces to the product,
 * v8fr_sub_lazy stays positive. */
static bool fr_lt(const uint64_t *a, const uint64_t *b) { /* a < b, four words */
    for (int k = 3; k >= 0; k--)
        if (a[k] != b[k]) return a[k] < b[k];
    return false;
}

static V8_TARGET void v8fr_check_group(v8_tally *tl, fr_t a[8], fr_t b[8]) {
    const fr_t *pa[8], *pb[8], *pbs[8];
    fr_t bs[8], out[8], want[8];
    v8fr va, vb, vbs, vr, vt;
    for (int l = 0; l < 8; l++) {
        fr_mul_portable(&bs[l], &b[l], &FR_V8_SCALE);
        pa[l] = &a[l];
        pb[l] = &b[l];
        pbs[l] = &bs[l];
    }
    v8fr_load(&va, pa);
    v8fr_load(&vb, pb);
    v8fr_load(&vbs, pbs);
    for (int op = 0; op < 6; op++) {
        static const char *const name[] = {"load/store", "mul", "add", "sub", "mul_lazy(5a + 3r - b)", "sub_lazy"};
        if (op == 0) vr = va;
        else if (op == 1) v8fr_mul(&vr, &va, &vbs);
        else if (op == 2) v8fr_add(&vr, &va, &vb);
        else if (op == 3) v8fr_sub(&vr, &va, &vb);
        else if (op == 4) { /* t = 5a + (3r − b) < 8r − b: the worst the fold can make, and more */
            v8fr_add_lazy(&vt, &va, &va);
            v8fr_add_lazy(&vt, &vt, &vt);
            v8fr_add_lazy(&vt, &vt, &va);
            v8fr_sub_lazy(&vt, &vt, &vb);
            v8fr_mul_lazy(&vr, &vt, &vbs);
        } else { /* < 4r, above 2^256: reduced in the lanes, three times, before the check */
            v8fr_sub_lazy(&vr, &va, &vb);
            for (int q = 0; q < 3; q++) v8fr_reduce(&vr, &vr);
        }
        __m512i w[4];
        uint64_t words[4][8];
        v8fr_to_words(w, &vr); /* every value < 2^256 here */
        for (int k = 0; k < 4; k++) _mm512_storeu_si512(words[k], w[k]);
        for (int l = 0; l < 8; l++) {
            uint64_t got[4] = {words[0][l], words[1][l], words[2][l], words[3][l]};
            fr_t t;
            bool ok;
            switch (op) {
            case 0: want[l] = a[l]; break;
            case 1: fr_mul_portable(&want[l], &a[l], &b[l]); break;
            case 2: fr_add(&want[l], &a[l], &b[l]); break;
            case 3: fr_sub(&want[l], &a[l], &b[l]); break;
            case 4: /* (5a − b)·b mod r */
                fr_dbl(&t, &a[l]);
                fr_dbl(&t, &t);
                fr_add(&t, &t, &a[l]);
                fr_sub(&t, &t, &b[l]);
                fr_mul_portable(&want[l], &t, &b[l]);
                break;
            default: fr_sub(&want[l], &a[l], &b[l]); break;
            }
            if (op < 4) {
                ok = memcmp(got, want[l].l, 32) == 0;
            } else { /* below the bound, and the same value once reduced */
                uint64_t bound[4], red[4];
                unsigned __int128 c = 0;
                for (int k = 0; k < 4; k++) { /* r + r/4: the product's bound 1.25r */
                    uint64_t q = (FR_R[k] >> 2) | (k < 3 ? FR_R[k + 1] << 62 : 0);
                    c += (unsigned __int128)FR_R[k] + q;
                    bound[k] = (uint64_t)c;
                    c >>= 64;
                }
                if (op == 5) memcpy(bound, (uint64_t[4]){~0ULL, ~0ULL, ~0ULL, ~0ULL}, sizeof bound);
                ok = fr_lt(got, bound);
                memcpy(red, got, sizeof red);
                while (!fr_lt(red, FR_R)) {
                    unsigned __int128 br = 0;
                    for (int k = 0; k < 4; k++) {
                        unsigned __int128 d = (unsigned __int128)red[k] - FR_R[k] - br;
                        red[k] = (uint64_t)d;
                        br = (d >> 64) & 1;
                    }
                }
                ok = ok && memcmp(red, want[l].l, 32) == 0;
            }
            tl->cases++;
            if (!ok && ++tl->failures <= 5) {
                fprintf(stderr, "v8fr %s differs (lane %d):\n", name[op], l);
                test_print_hex("  a", a[l].l, 32);
                test_print_hex("  b", b[l].l, 32);
                test_print_hex("  want", want[l].l, 32);
                test_print_hex("  got ", got, 32);
            }
        }
        if (op < 4) { /* and the transposed store */
            v8fr_store(out, &vr);
            for (int l = 0; l < 8; l++) {
                tl->cases++;
                if (memcmp(&out[l], &want[l], sizeof out[l]) != 0 && ++tl->failures <= 5)
                    fprintf(stderr, "v8fr_store of %s differs (lane %d)\n", name[op], l);
            }
        }
    }
}

static void test_ifma_fr_kernels__agree_with_portable(void) {
    if (backend_mulx_adx_ifma() == NULL) {
        printf("  SKIP Fr lanes: no IFMA here\n");
        return;
    }
    uint64_t r52[5] = {0}, r3[5] = {0};
    for (int k = 0; k < 5; k++) /* the radix-2^52 constants are r and 3r */
        for (int bit = 0; bit < 52; bit++) {
            int at = 52 * k + bit;
            if (at < 256 && ((FR_R[at / 64] >> (at % 64)) & 1)) r52[k] |= 1ULL << bit;
        }
    uint64_t c = 0;
    for (int k = 0; k < 5; k++) {
        uint64_t t = r52[k] * 3 + c;
        r3[k] = t & M52;
        c = t >> 52;
    }
    CHECK(memcmp(r52, FR_R52, sizeof r52) == 0 && memcmp(r3, FR_R52X3, sizeof r3) == 0, "FR_R52, FR_R52X3");
    CHECK(((FR_R52[0] * FR_N0_52) & M52) == M52, "n0' = -r^-1 mod 2^52");
    fr_t sixteen;
    fr_from_u64(&sixteen, 16);
    CHECK(memcmp(&sixteen, &FR_V8_SCALE, sizeof sixteen) == 0, "FR_V8_SCALE is 2^4 in Montgomery form");

    v8_tally tl = {0, 0};
    edge_set e;
    edges_init(&e, FR_R, FR_ONE.l, 4);
    fr_t a[8], b[8];
    int fill = 0;
    for (int i = 0; i < e.count; i++)
        for (int j = 0; j < e.count; j++) {
            memcpy(a[fill].l, e.v[i], 32);
            memcpy(b[fill].l, e.v[j], 32);
            if (++fill == 8) {
                v8fr_check_group(&tl, a, b);
                fill = 0;
            }
        }
    for (long g = 0; g < ITERS / 8 + 1; g++) {
        for (int l = 0; l < 8; l++) {
            rand_below(a[l].l, FR_R, 4);
            if (testrand_range(8) == 0) memcpy(b[l].l, e.v[testrand_range((uint64_t)e.count)], 32);
            else rand_below(b[l].l, FR_R, 4);
        }
        v8fr_check_group(&tl, a, b);
    }
    CHECK(tl.failures == 0, "Fr lanes: %ld of %ld lane results wrong", tl.failures, tl.cases);
    printf("  Fr lanes (five 52-bit limbs) load/store, mul, add, sub, lazy forms: %ld lane results, %ld wrong\n",
           tl.cases, tl.failures);
}

static void test_ifma_kernels__agree_with_portable(void) {
    if (backend_mulx_adx_ifma() == NULL) {
        printf("  SKIP x86_64-mulx-adx-ifma: %s\n", backend_mulx_adx_ifma_built() == NULL
                                                     ? "not built for this target"
                                                     : "this CPU lacks bmi2/adx/avx512ifma");
        return;
    }
    uint64_t p48[8] = {0};
    for (int k = 0; k < 8; k++) /* the radix-2^48 constant is p */
        for (int bit = 0; bit < 48; bit++) {
            int at = 48 * k + bit;
            if (at < 384 && ((FP_P[at / 64] >> (at % 64)) & 1)) p48[k] |= 1ULL << bit;
        }
    CHECK(memcmp(p48, P48, sizeof p48) == 0, "P48 is p in radix 2^48");
    for (int k = 0; k < 8; k++) CHECK(P48X16[k] == P48[k] << 4, "P48X16[%d]", k);
    CHECK(((P48[0] * N0_48) & M48) == M48, "n0' = -p^-1 mod 2^48");

    v8_tally tl = {0, 0};
    edge_set e;
    edges_init(&e, FP_P, FP_ONE.l, 6);
    fp_t a[8], b[8];
    int fill = 0;
    for (int i = 0; i < e.count; i++)
        for (int j = 0; j < e.count; j++) {
            memcpy(a[fill].l, e.v[i], 48);
            memcpy(b[fill].l, e.v[j], 48);
            if (++fill == 8) {
                v8_check_group(&tl, a, b);
                fill = 0;
            }
        }
    for (long g = 0; g < ITERS / 8 + 1; g++) {
        for (int l = 0; l < 8; l++) {
            rand_below(a[l].l, FP_P, 6);
            if (testrand_range(8) == 0) memcpy(b[l].l, e.v[testrand_range((uint64_t)e.count)], 48);
            else rand_below(b[l].l, FP_P, 6);
        }
        v8_check_group(&tl, a, b);
    }
    CHECK(tl.failures == 0, "ifma kernels: %ld of %ld lane results differ from portable",
          tl.failures, tl.cases);
    printf("  x86_64-mulx-adx-ifma v8 load/store, mul, add, sub, sqr: %ld lane results, %ld mismatches\n",
           tl.cases, tl.failures);
}
#endif

/* The portable table's entries are the oracle's functions themselves. */
static void test_portable_table__is_the_oracle(void) {
    CHECK(BACKEND_PORTABLE.fp_mul == fp_mul_portable && BACKEND_PORTABLE.fp_sqr == fp_sqr_portable &&
              BACKEND_PORTABLE.fr_mul == fr_mul_portable && BACKEND_PORTABLE.fr_sqr == fr_sqr_portable &&
              BACKEND_PORTABLE.fp2_mul == fp2_mul_portable,
          "portable table entries");
    CHECK(strcmp(BACKEND_PORTABLE.name, "portable") == 0, "name %s", BACKEND_PORTABLE.name);
    CHECK(!BACKEND_PORTABLE.batch_ifma, "portable has no batch kernels");
}

static void test_backend_choose__follows_env_and_cpu(void) {
    const cpu_features none = {0}, both = {.bmi2 = true, .adx = true},
                       bmi2_only = {.bmi2 = true},
                       all = {.bmi2 = true, .adx = true, .avx512f = true, .avx512ifma = true},
                       ifma_only = {.avx512f = true, .avx512ifma = true};
    const backend_kernels *mulx = backend_mulx_adx_built(), *ifma = backend_mulx_adx_ifma_built();
    const backend_kernels *accel = mulx ? mulx : &BACKEND_PORTABLE;
    const backend_kernels *best = ifma ? ifma : accel;
    const char *note = NULL;
    CHECK(backend_choose(NULL, &both, &note) == accel, "unset env, bmi2+adx");
    CHECK(note && note[0], "a note is given");
    CHECK(backend_choose("", &both, &note) == accel, "empty env");
    CHECK(backend_choose("auto", &both, &note) == accel, "auto, bmi2+adx");
    CHECK(backend_choose("auto", &none, &note) == &BACKEND_PORTABLE, "auto, no features");
    CHECK(backend_choose(NULL, &bmi2_only, &note) == &BACKEND_PORTABLE, "bmi2 without adx");
    CHECK(backend_choose("portable", &both, &note) == &BACKEND_PORTABLE, "forced portable");
    CHECK(backend_choose("x86_64-mulx-adx", &both, &note) == accel, "forced mulx");
    CHECK(backend_choose("x86_64-mulx-adx", &none, &note) == &BACKEND_PORTABLE,
          "forced mulx on a cpu without it");
    CHECK(backend_choose(NULL, &all, &note) == best, "unset env, bmi2+adx+avx512ifma");
    CHECK(backend_choose("auto", &ifma_only, &note) == &BACKEND_PORTABLE, "ifma without mulx");
    CHECK(backend_choose("x86_64-mulx-adx", &all, &note) == accel, "forced mulx on an ifma cpu");
    CHECK(backend_choose("x86_64-mulx-adx-ifma", &all, &note) == best, "forced ifma");
    CHECK(backend_choose("x86_64-mulx-adx-ifma", &both, &note) == &BACKEND_PORTABLE,
          "forced ifma on a cpu without it");
    CHECK(!ifma || (ifma->batch_ifma && strcmp(ifma->name, "x86_64-mulx-adx-ifma") == 0 &&
                    ifma->fp_mul == mulx->fp_mul),
          "the ifma table: mulx kernels plus the batch flag");
    CHECK(backend_choose("avx9000", &both, &note) == &BACKEND_PORTABLE, "unknown name");
    CHECK(note && strstr(note, "using portable") != NULL, "unknown name is reported: %s",
          note ? note : "(null)");
}

/* kzg_backend() agrees with this process's KZGKIT_BACKEND and CPU; the dispatched
 * fp_mul/fr_mul go through the chosen table. */
static void test_kzg_backend__matches_env_and_cpu(void) {
    const char *env = getenv("KZGKIT_BACKEND");
    const char *note = NULL;
    const backend_kernels *want = backend_choose(env, cpu_features_get(), &note);
    const char *name = kzg_backend();
    CHECK(strcmp(name, want->name) == 0, "kzg_backend() = %s, expected %s", name, want->name);
    CHECK(backend_active() == want, "active table is the chosen one");
    printf("  cpu: %s; backend %s (%s)\n", cpu_features_str(), name, backend_selection_note());
    fp_t a = FP_ONE, r;
    fp_mul(&r, &a, &a);
    CHECK(fp_eq(&r, &FP_ONE), "1·1 = 1 through the dispatched fp_mul");
    fr_t b = FR_ONE, s;
    fr_sqr(&s, &b);
    CHECK(fr_eq(&s, &FR_ONE), "1² = 1 through the dispatched fr_sqr");
}

int main(void) {
    testrand_init("test_backend");
    ITERS = test_iters(ITERS);
    const char *env = getenv("KZGKIT_TEST_ITERS");
    if (env && atol(env) > 0) ITERS = atol(env);
    test_portable_table__is_the_oracle();
    test_backend_choose__follows_env_and_cpu();
    test_kzg_backend__matches_env_and_cpu();
    test_backends__agree_with_portable_on_edges_and_random();
#ifdef KZG_HAVE_IFMA_KERNELS
    test_ifma_kernels__agree_with_portable();
    test_ifma_fr_kernels__agree_with_portable();
#endif
    return test_report();
}
