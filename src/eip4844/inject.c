/* eip4844/inject.c — see inject.h. */
#include "eip4844/inject.h"

#include <stdint.h>

#include "field/fr.h"

#ifdef KZGKIT_INJECT_OP

/* Calibration, from `kzgkit bench --measure instructions` (callgrind, portable backend,
 * 2026-12-03): instructions per call of each operation, and per iteration of the loop
 * below. The loop runs PERMILLE/1000 × (operation) / (iteration) times, so that the
 * operation costs PERMILLE per mille more instructions. On another backend the operation and
 * fr_mul both get cheaper, by different factors: the injected share is then only near
 * PERMILLE (docs/BENCH.md gives the measured figures). */
#define IR_VERIFY_KZG_PROOF 24842843.0
#define IR_BLOB_TO_KZG_COMMITMENT 681242855.0
#define IR_LOOP_ITERATION 448.0

static uint64_t iterations(int op) {
    double ir = op == INJECT_OP_VERIFY_KZG_PROOF ? IR_VERIFY_KZG_PROOF : IR_BLOB_TO_KZG_COMMITMENT;
    return (uint64_t)(KZGKIT_INJECT_PERMILLE / 1000.0 * ir / IR_LOOP_ITERATION + 0.5);
}

void inject_slowdown_run(int op) {
    if (op != KZGKIT_INJECT_OP) return;
    /* Through a volatile: the compiler can neither drop nor fold the multiplications. */
    static volatile fr_t sink = {{3, 0, 0, 0}};
    fr_t a = sink;
    for (uint64_t i = iterations(op); i > 0; i--) {
        fr_t t;
        fr_mul(&t, &a, &a);
        sink = t;
        a = sink;
    }
}

const char *inject_slowdown_note(void) {
    return KZGKIT_INJECT_SPEC " (injected extra work: about +" KZGKIT_INJECT_PERCENT
                              "% instructions; a gate-testing build, not for benchmarks)";
}

#else

const char *inject_slowdown_note(void) { return ""; }

#endif
