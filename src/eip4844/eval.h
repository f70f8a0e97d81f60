/*
 * eip4844/eval.h — the folding levels of the blob evaluation (eval.c; the method is at
 * evaluate_raw in eip4844.c). Internal to the EIP-4844 layer.
 */
#ifndef KZGKIT_EIP4844_EVAL_H
#define KZGKIT_EIP4844_EVAL_H

#include "field/fr.h"

#define EVAL_N 4096

/* Folds the EVAL_N terms n[] (plain values < r) in log2(EVAL_N) levels, pair j of level L
 * becoming (n_2j + n_2j+1)·zp + (n_2j − n_2j+1)·roots_brp[2j] with zp = z^(2^L) (Montgomery,
 * squared after each level: z^EVAL_N on return); n[0] is the last term and the rest of n is
 * scratch (overwritten, in an order that depends on the path). roots_brp is the context's
 * bit-reversed domain. 2(EVAL_N − 1) Fr products: eight at a time with IFMA. */
void eval_fold(fr_t *n, fr_t *zp, const fr_t *roots_brp);

#endif
