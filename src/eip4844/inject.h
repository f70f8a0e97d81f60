/*
 * eip4844/inject.h — KZGKIT_INJECT_SLOWDOWN=OP:PERMILLE (a CMake cache variable, empty in
 * every normal build): calibrated extra work in one public function, so that the
 * regression gate's detection can be measured against a known slowdown
 * (docs/BENCH.md, "Instruction counts"). The library prints nothing about it;
 * `kzgkit info` shows inject_slowdown_note() so nobody benchmarks such a build by mistake.
 *
 * Owns: the extra work and its calibration. May call: field.
 */
#ifndef KZGKIT_EIP4844_INJECT_H
#define KZGKIT_EIP4844_INJECT_H

enum { INJECT_OP_VERIFY_KZG_PROOF = 1, INJECT_OP_BLOB_TO_KZG_COMMITMENT = 2 };

#ifdef KZGKIT_INJECT_OP
void inject_slowdown_run(int op);
#define INJECT_SLOWDOWN(op) inject_slowdown_run(op)
#else
#define INJECT_SLOWDOWN(op) ((void)0)
#endif

/* "" in a normal build; otherwise e.g. "verify_kzg_proof:10 (+1.0% instructions, injected)". */
const char *inject_slowdown_note(void);

#endif
