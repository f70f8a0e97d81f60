/*
 * runtime/profile.h — tuning profiles: the measured choices `kzgkit tune` writes and
 * contexts apply (format: docs/TUNING.md).
 *
 * Owns: the profile record, its text format (parser and writer), the machine check (CPU
 * model, backend) and reading the CPU model from /proc/cpuinfo.
 * May call: common. It knows nothing of the MSM or the context: the setup layer applies a
 * parsed profile (setup/ctx.c), and the caller passes the backend name in, so that this
 * layer stays below the arithmetic.
 * Never prints: a profile that does not fit this machine yields a warning string.
 */
#ifndef KZGKIT_RUNTIME_PROFILE_H
#define KZGKIT_RUNTIME_PROFILE_H

#include "common/common.h"

/* The newest format version, written when a profile records the backend measurements;
 * without them the writer emits version 1, which every earlier reader takes. Both are read. */
#define PROFILE_VERSION 2
#define PROFILE_MAGIC "kzgkit-profile"
/* msm_window.N for N = 2^PROFILE_MIN_LOG2 .. 2^PROFILE_MAX_LOG2 (a power of two). */
#define PROFILE_MIN_LOG2 1
#define PROFILE_MAX_LOG2 24
#define PROFILE_LOG2_SLOTS (PROFILE_MAX_LOG2 + 1)
#define PROFILE_MAX_BYTES 65536
#define PROFILE_TEXT_LEN 128
/* Backend names in backend_pick and backend_ms.NAME: [a-z0-9_-], shorter than this. */
#define PROFILE_NAME_LEN 64
#define PROFILE_MAX_BACKENDS 8

typedef struct profile {
    /* The machine it was measured on, and when. */
    char cpu[PROFILE_TEXT_LEN];     /* /proc/cpuinfo "model name" */
    char backend[PROFILE_TEXT_LEN]; /* kzg_backend() */
    unsigned cpus;                  /* logical CPUs online */
    char date[PROFILE_TEXT_LEN];    /* ISO 8601, UTC */
    /* Decisions. */
    unsigned msm_window[PROFILE_LOG2_SLOTS]; /* by log2 of the size class; 0 = not set */
    unsigned threads;                        /* 1..256; 0 = not set */
    bool has_table_window;
    unsigned table_window; /* 0 (none) or 4..16 */
    /* Measurements kept for the record (not applied). */
    double table_mib;          /* memory of the chosen tables */
    double table_speedup;      /* commit time without / with them */
    uint64_t batch_threshold;  /* smallest batch where threads paid off; 0 = not measured */
    /* Version 2: the backend `kzgkit tune` measured fastest ("" = not measured). Not applied
     * by a context (the backend is process-wide): the CLI selects it before creating any
     * (docs/TUNING.md, kzg_profile_backend and kzg_set_backend in kzgkit/kzg.h). */
    char backend_pick[PROFILE_NAME_LEN];
    /* Version 2, recorded only: the median workload time under each backend measured. */
    size_t n_backend_ms;
    struct { char name[PROFILE_NAME_LEN]; double ms; } backend_ms[PROFILE_MAX_BACKENDS];
} profile;

/* Parses a profile (version 1 or 2; the backend keys only in version 2). Statuses:
 * KZG_ERR_SETUP for a malformed file (no or bad header line, unknown version, a line not of the form `key = value`, an unknown or repeated key, a
 * missing machine key, no `end` line: truncated), KZG_ERR_BAD_ARG for a value out of its
 * range (a window outside 2..16, threads outside 1..256, ...); the detail names the line.
 * *out is zeroed on any failure. */
kzg_status profile_parse(profile *out, const char *text, size_t len);
/* Reads and parses `path` (KZG_ERR_IO when it cannot be read; the detail names the path). */
kzg_status profile_load(profile *out, const char *path);
/* Writes p in the text format into buf (NUL-terminated); returns the length, or 0 when the
 * text does not fit in `cap` bytes. */
size_t profile_format(char *buf, size_t cap, const profile *p);

/* True when p was measured on this machine: same CPU model and backend. Otherwise writes a
 * one-line reason into warning (warning_len bytes). */
bool profile_matches(const profile *p, const char *cpu, const char *backend, char *warning,
                     size_t warning_len);

/* This machine's CPU model ("model name" in /proc/cpuinfo), or "unknown". */
void profile_cpu_model(char *buf, size_t len);

/* A one-line summary of the decisions: "msm_window.256=8 msm_window.4096=11 threads=2
 * table_window=0 backend_pick=x86_64-mulx-adx". */
void profile_describe(char *buf, size_t len, const profile *p);

#endif
