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

#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

/* [p, p + n) read-mapped at once; errors (an older kernel: EINVAL) are harmless. */
static void populate(const void *p, size_t n) {
#if defined(__linux__) && defined(MADV_POPULATE_READ)
    uintptr_t page = (uintptr_t)getpagesize(), lo = (uintptr_t)p & ~(page - 1);
    (void)madvise((void *)lo, (uintptr_t)p + n - lo, MADV_POPULATE_READ);
#else
    (void)p;
    (void)n;
#endif
}

static pthread_once_t g_table_once = PTHREAD_ONCE_INIT, g_fk20_once = PTHREAD_ONCE_INIT;

static void table_populate(void) { populate(setup_embedded_msm_table(), setup_embedded_msm_table_bytes()); }

static void fk20_populate(void) { populate(&SETUP_FK20_EMBEDDED, sizeof SETUP_FK20_EMBEDDED); }

void setup_embedded_msm_table_populate(void) { pthread_once(&g_table_once, table_populate); }

void setup_fk20_embedded_populate(void) { pthread_once(&g_fk20_once, fk20_populate); }

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
