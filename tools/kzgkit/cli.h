/*
 * tools/kzgkit/cli.h — the `kzgkit` command-line tool: shared declarations.
 *
 * Owns: argument parsing, input decoding (hex, blob files, batch lists), output formatting,
 * exit codes, the reference-test runner and the demo. May call: the public API
 * (include/kzgkit.h) and, for the reference tests only, the internal hook
 * eip4844_compute_challenge.
 *
 * Exit codes, for every command:
 *   0  success, or a verification that holds
 *   1  a well-formed verification that does not hold (or a demo/vector check that failed)
 *   2  bad input or usage: exactly one line on stderr says which argument, which element,
 *      which check ("kzgkit CMD: WHAT: DETAIL")
 */
#ifndef KZGKIT_CLI_H
#define KZGKIT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kzgkit.h"

#define CLI_EXIT_OK 0
#define CLI_EXIT_FALSE 1
#define CLI_EXIT_BAD 2

/* Room for one diagnostic line built by the decoding helpers. */
#define CLI_WHY_LEN 256

/* Options every command accepts (before or after the command name). */
typedef struct cli_global {
    const char *setup_path; /* --setup FILE; NULL: the embedded mainnet setup */
    uint32_t threads;       /* --threads N; 0: caller only */
    uint32_t numa;          /* --numa auto|off|on (kzg_ctx_options.numa); default $KZGKIT_NUMA,
                               else KZG_NUMA_AUTO */
    const char *profile_path; /* $KZGKIT_PROFILE: a tuning profile (docs/TUNING.md); NULL: none */
    kzg_metrics *metrics;   /* --metrics: every context records into it; printed at exit */
    const char *remote;     /* --remote URL: the commands that take it call a `kzgkit serve`
                               there (remote.c) instead of computing here; NULL: local */
} cli_global;

/* ---- diagnostics (util.c) -------------------------------------------------------- */

/* Prints "kzgkit CMD: MESSAGE" as one line on stderr; returns CLI_EXIT_BAD. */
int cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "kzgkit CMD: WHAT: <status string>: <kzg_last_error()>" as one line on stderr;
 * returns CLI_EXIT_BAD. `what` may be NULL. */
int cli_fail_status(const char *cmd, const char *what, kzg_status status);
/* Formats into a CLI_WHY_LEN buffer, truncating long messages. */
void cli_why(char *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The library's error detail with newlines flattened, or "" (never NULL); after a remote
 * failure, the text set by cli_set_remote_detail instead. */
const char *cli_last_error(char *buf, size_t len);
/* For this thread, until the next call: text stands in for kzg_last_error() (a remote
 * 400's detail, which is the service's kzg_last_error()), or, with whole_line, for the
 * whole of cli_fail_status's line after "kzgkit CMD: " (a transport failure). NULL
 * clears it. */
void cli_set_remote_detail(const char *text, bool whole_line);

/* ---- options (util.c) ------------------------------------------------------------ */

/* Tries argv[*i] as a global option (--setup FILE, --setup=FILE, --threads N).
 * Returns 1 if consumed (advancing *i past any value), 0 if it is not a global option,
 * -1 after printing a one-line error (missing or bad value). */
int cli_global_option(cli_global *g, const char *cmd, int argc, char **argv, int *i);
/* "auto", "off" or "on" as a KZG_NUMA_* value; false for anything else. */
bool cli_parse_numa(const char *s, uint32_t *out);
/* Matches argv[*i] against "--name VALUE" or "--name=VALUE": returns the value (advancing *i
 * past a separate one) or NULL when it is another argument; sets *missing when the option
 * is there without its value. */
const char *cli_option_value(const char *name, int argc, char **argv, int *i, bool *missing);
/* Parses a decimal unsigned integer in [lo, hi]. */
bool cli_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out);
/* True for "-h" and "--help". */
bool cli_is_help(const char *arg);
/* Prints the help of command `cmd` (main.c) on stdout; returns CLI_EXIT_OK. */
int cli_help(const char *cmd);
/* The common argument loop of a command with positional arguments only: global options,
 * -h/--help, "--" and between min_pos and max_pos positionals (stored in pos[]); argv[0]
 * is the command name. Returns CLI_RUN when the command should go on; otherwise the exit
 * code to return (CLI_EXIT_OK after printing help, CLI_EXIT_BAD after a one-line error). */
#define CLI_RUN (-1)
int cli_parse_positional(cli_global *g, const char *cmd, int argc, char **argv,
                         const char **pos, int min_pos, int max_pos, int *n_pos);

/* ---- context (util.c) ------------------------------------------------------------ */

/* Opens the context the options ask for; on failure prints the error and returns NULL. */
kzg_ctx *cli_ctx_open(const cli_global *g, const char *cmd);
/* One line describing the setup in use ("embedded mainnet (4096 G1, 65 G2)"). */
void cli_setup_describe(const cli_global *g, char *buf, size_t len);

/* ---- operations: here, or on a service (remote.c) -------------------------------- */

/* What the commands that accept --remote compute, behind one interface: the library on a
 * local context, or with --remote URL a `kzgkit serve` over HTTP (binary bodies). The
 * results and statuses are the same either way: a remote 400 returns the kzg_status its
 * error body names, with its message standing in for kzg_last_error(), so that
 * cli_fail_status prints the line the local command prints; any other remote failure
 * (no answer, HTTP 401/413/429/5xx, an answer of the wrong size) returns KZG_ERR_IO and
 * cli_fail_status prints "remote URL: WHY" instead. Outputs match the library calls'. */
typedef struct cli_ops cli_ops;

/* Opens the context, or the client (token: $KZGKIT_TOKEN or $KZGKIT_TOKEN_FILE); on
 * failure prints one line and returns NULL. */
cli_ops *cli_ops_open(const cli_global *g, const char *cmd);
void cli_ops_close(cli_ops *o);

kzg_status cli_op_commit(cli_ops *o, kzg_commitment *out, const kzg_blob *blob);
kzg_status cli_op_prove(cli_ops *o, kzg_proof *proof, kzg_field_element *y, const kzg_blob *blob,
                        const kzg_field_element *z);
kzg_status cli_op_prove_blob(cli_ops *o, kzg_proof *proof, const kzg_blob *blob,
                             const kzg_commitment *commitment);
kzg_status cli_op_verify(cli_ops *o, bool *ok, const kzg_commitment *commitment,
                         const kzg_field_element *z, const kzg_field_element *y,
                         const kzg_proof *proof);
kzg_status cli_op_verify_blob(cli_ops *o, bool *ok, const kzg_blob *blob,
                              const kzg_commitment *commitment, const kzg_proof *proof);
kzg_status cli_op_verify_blob_batch(cli_ops *o, bool *ok, const kzg_blob *blobs,
                                    const kzg_commitment *commitments, const kzg_proof *proofs,
                                    size_t n);
/* proofs NULL: the cells only (compute_cells). */
kzg_status cli_op_cells(cli_ops *o, kzg_cell *cells, kzg_proof *proofs, const kzg_blob *blob);
kzg_status cli_op_verify_cells(cli_ops *o, bool *ok, const kzg_commitment *commitments,
                               const uint64_t *indices, const kzg_cell *cells,
                               const kzg_proof *proofs, size_t n);
/* proofs NULL: the cells only (recover_cells; remotely, recover_cells_and_kzg_proofs with
 * the proofs dropped: the service has no cells-only recovery). */
kzg_status cli_op_recover(cli_ops *o, kzg_cell *cells, kzg_proof *proofs, const uint64_t *indices,
                          const kzg_cell *in, size_t n);

/* The one line for a command run with --remote in a build without the service: prints
 * it and returns CLI_EXIT_BAD. */
int cli_fail_no_service(const char *cmd);

/* ---- decoding (util.c) ----------------------------------------------------------- */

/* Decodes hex text s[0..n): an optional 0x/0X prefix, whitespace anywhere ignored, digits in
 * either case. Writes at most `cap` bytes to out (which may be NULL when cap is 0) and sets
 * *out_len to the number of bytes the text holds, even when that exceeds cap. Returns false
 * with a reason in why (CLI_WHY_LEN) on a bad character, an odd digit count or text longer
 * than cap bytes. */
bool cli_hex_decode(uint8_t *out, size_t cap, size_t *out_len, const char *s, size_t n,
                    char *why);
/* As cli_hex_decode, requiring exactly `len` bytes. */
bool cli_hex_decode_exact(uint8_t *out, size_t len, const char *s, char *why);
/* Reads a whole file (at most 1 GiB). The buffer is NUL-terminated (not counted in *len);
 * free it with free(). */
bool cli_read_file(const char *path, uint8_t **data, size_t *len, char *why);
/* A blob from a file (131072 raw bytes, or hex text of 131072 bytes) or, when `arg` starts
 * with 0x and names no file, from the argument itself. */
bool cli_load_blob(kzg_blob *out, const char *arg, char *why);

/* ---- LIST files (util.c) -------------------------------------------------------- */

/* The most entries a LIST file may hold: the whole list is in memory before the library is
 * called, so an attacker-sized file must stop at a bound, not at the machine's memory
 * (docs/TESTING.md, "Bounded work"). verify-blob-batch: 4096 blobs = 512 MiB of blobs;
 * verify-cells: 262,144 cells = 512 MiB of cells (plus their commitments and proofs);
 * recover: the 128 cells of one extended blob. */
#define CLI_MAX_LIST_BLOBS 4096
#define CLI_MAX_LIST_CELLS 262144

/* A LIST file read line by line: whitespace-separated fields, blank lines and lines whose
 * first non-blank character is # skipped. line_no is the 1-based number of the line last
 * returned, for diagnostics. */
typedef struct cli_list {
    FILE *f;
    const char *cmd, *path;
    char *line;
    size_t line_cap, line_no;
} cli_list;

/* Opens `path`; on failure prints "kzgkit CMD: LIST: cannot open ..." and returns false
 * (cli_list_close is still allowed). */
bool cli_list_open(cli_list *l, const char *cmd, const char *path);
/* The next non-blank, non-comment line split into fields[0..max) (pointers into the line,
 * valid until the next call). Returns the field count (max + 1 when there are more than
 * max), 0 at the end of the file, -1 after printing a read error. */
int cli_list_next(cli_list *l, char **fields, int max);
void cli_list_close(cli_list *l);

/* ---- output and time (util.c) ---------------------------------------------------- */

/* Writes 0x + lowercase hex + newline. */
void cli_print_hex(FILE *f, const uint8_t *p, size_t n);
/* Formats 0x + lowercase hex into buf (2n + 3 bytes). */
void cli_hex_string(char *buf, const uint8_t *p, size_t n);
/* Monotonic clock, milliseconds. */
double cli_now_ms(void);

/* ---- deterministic random numbers (util.c) ---------------------------------------- */

/* xoshiro256** (Blackman and Vigna, 2018) seeded through splitmix64: reproducible data for
 * the demo, not for anything secret. */
typedef struct cli_rng { uint64_t s[4]; } cli_rng;
void cli_rng_seed(cli_rng *r, uint64_t seed);
uint64_t cli_rng_next(cli_rng *r);
/* A canonical field element (top byte below 0x40, so the value is < r). */
void cli_rng_field_element(cli_rng *r, uint8_t out[32]);
void cli_rng_blob(cli_rng *r, kzg_blob *out);

/* ---- commands ------------------------------------------------------------------- */

int cmd_commit(cli_global *g, int argc, char **argv);
int cmd_prove(cli_global *g, int argc, char **argv);
int cmd_prove_blob(cli_global *g, int argc, char **argv);
int cmd_verify(cli_global *g, int argc, char **argv);
int cmd_verify_blob(cli_global *g, int argc, char **argv);
int cmd_verify_blob_batch(cli_global *g, int argc, char **argv);
int cmd_cells(cli_global *g, int argc, char **argv);        /* cells.c */
int cmd_verify_cells(cli_global *g, int argc, char **argv); /* cells.c */
int cmd_recover(cli_global *g, int argc, char **argv);      /* cells.c */
int cmd_check_vectors(cli_global *g, int argc, char **argv); /* vectors.c */
int cmd_demo(cli_global *g, int argc, char **argv);          /* demo.c */
int cmd_bench(cli_global *g, int argc, char **argv);         /* bench_suites.c */
int cmd_compare(cli_global *g, int argc, char **argv);       /* bench_suites.c */
int cmd_analyze(cli_global *g, int argc, char **argv);       /* bench_suites.c */
int cmd_history(cli_global *g, int argc, char **argv);       /* bench_suites.c */
int cmd_ab(cli_global *g, int argc, char **argv);            /* ab_cmd.c */
int cmd_workload(cli_global *g, int argc, char **argv);      /* workload.c */
int cmd_tune(cli_global *g, int argc, char **argv);          /* tune.c */
int cmd_serve(cli_global *g, int argc, char **argv);         /* serve.c */
int cmd_loadgen(cli_global *g, int argc, char **argv);       /* loadgen.c */

#endif
