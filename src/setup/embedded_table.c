/*
 * setup/embedded_table.c — the embedded setup's fixed-base commitment table.
 *
 * With KZGKIT_EMBED_MSM_TABLE on (the default on ELF targets), the build-time generator
 * (tools/gen_setup) writes generated/embedded_msm_table.bin, the msm_table entries of window
 * SETUP_EMBEDDED_TABLE_WINDOW over the mainnet Lagrange points, and
 * generated/embedded_msm_table.S assembles it into .rodata between two hidden labels (the
 * partial link of libkzgkit.a localises them). This file is their only reader.
 */
#include "setup/setup.h"

#if defined(KZGKIT_EMBEDDED_MSM_TABLE)
extern const g1_aff_t setup_embedded_msm_table_begin[];
extern const unsigned char setup_embedded_msm_table_end[];

const g1_aff_t *setup_embedded_msm_table(void) { return setup_embedded_msm_table_begin; }

size_t setup_embedded_msm_table_bytes(void) {
    return (size_t)(setup_embedded_msm_table_end - (const unsigned char *)setup_embedded_msm_table_begin);
}
#else
const g1_aff_t *setup_embedded_msm_table(void) { return NULL; }

size_t setup_embedded_msm_table_bytes(void) { return 0; }
#endif
