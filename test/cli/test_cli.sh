#!/usr/bin/env bash
# test/cli/test_cli.sh KZGKIT — the `kzgkit` command line, end to end.
#
# Proves: a valid round trip through commit/prove/verify/prove-blob/verify-blob/
# verify-blob-batch (raw and hex blobs agree); the EIP-7594 commands: cells → verify-cells is
# true, a tampered cell is false, cells → half dropped → recover gives the cells back (with
# and without proofs); a false verification exits 1; every malformed
# input (short blob, bad hex, non-canonical element, bad point flags, point off the curve,
# wrong argument count, unknown command/option, bad LIST line — bad hex, cell index 128,
# duplicate or unordered index, fewer than 64 cells, non-canonical cell element —, missing
# setup file) exits 2
# with exactly one line on stderr naming the problem; --help exits 0 everywhere.
# Needs bash, awk and perl. Prints "N passed, M failed"; exits 1 on any failure.
# KZGKIT_RUN_PREFIX (set by ctest in cross builds: the emulator, e.g. "qemu-aarch64 -L /")
# goes in front of every run of the CLI.
set -uo pipefail

cli="${1:?usage: test_cli.sh PATH/TO/kzgkit}"
here="$(cd "$(dirname "$0")" && pwd)"
setup_json="$here/../../data/trusted_setup.json"
. "$(dirname "$0")/lib.sh"
cli_test_init cli


# expect NAME STATUS [STDERR-REGEX] -- ARGS...
# STATUS 0/1 also requires an empty stderr; STATUS 2 requires exactly one stderr line that
# matches STDERR-REGEX (extended, case-insensitive) when one is given.
expect() {
  local name="$1" want="$2" pat=""
  shift 2
  if [ "$1" != "--" ]; then pat="$1"; shift; fi
  shift
  run "$@"
  if [ "$rc" -ne "$want" ]; then
    bad "$name: exit $rc, expected $want; stderr: $(head -c 300 "$tmp/err")"
    return 1
  fi
  if [ "$want" -eq 2 ]; then
    local lines
    lines=$(wc -l <"$tmp/err")
    if [ "$lines" -ne 1 ]; then
      bad "$name: $lines stderr lines, expected 1: $(head -c 300 "$tmp/err")"
      return 1
    fi
    if [ -n "$pat" ] && ! grep -Eiq -- "$pat" "$tmp/err"; then
      bad "$name: stderr does not match /$pat/: $(cat "$tmp/err")"
      return 1
    fi
  elif [ -s "$tmp/err" ]; then
    bad "$name: unexpected stderr: $(head -c 300 "$tmp/err")"
    return 1
  fi
  ok
  return 0
}

# expect_out NAME REGEX — the last run's stdout matches REGEX (extended, whole file).
expect_out() {
  if grep -Eq -- "$2" "$tmp/out"; then ok; else bad "$1: stdout does not match /$2/: $(head -c 300 "$tmp/out")"; fi
}

# ---- inputs -------------------------------------------------------------------------------
# blob_hex SEED [BAD_INDEX] — a blob as 0x-hex text, 4096 canonical elements (top byte below
# 0x40) from a fixed LCG; element BAD_INDEX, if given, is set to 2^256 - 1 (>= r).
blob_hex() {
  awk -v seed="$1" -v bad="${2:--1}" 'BEGIN {
    s = seed; printf "0x";
    for (i = 0; i < 4096; i++) {
      if (i % 64 == 0) printf "\n";               # whitespace must be tolerated
      for (j = 0; j < 32; j++) {
        s = (s * 1103515245 + 12345) % 2147483648; b = int(s / 65536) % 256;
        if (j == 0) b = b % 64;
        if (i == bad) b = 255;
        printf "%02x", b;
      }
    }
    printf "\n";
  }'
}
hex_to_raw() { perl -0777 -ne 's/^\s*0x//; s/\s+//g; print pack("H*", $_)' "$1" >"$2"; }

blob_hex 1 >"$tmp/blob1.hex"
blob_hex 2 >"$tmp/blob2.hex"
blob_hex 3 1234 >"$tmp/noncanon.hex"
hex_to_raw "$tmp/blob1.hex" "$tmp/blob1.bin"
head -c 1000 "$tmp/blob1.bin" >"$tmp/short.bin"
z=0x0000000000000000000000000000000000000000000000000000000000000005
zero48=0x$(printf '0%.0s' $(seq 96))
flags_bad=$zero48                                   # compression bit clear
off_curve=0x8$(printf '0%.0s' $(seq 94))1            # x = 1: 1 + 4 is not a square mod p

# ---- help and usage -------------------------------------------------------------------------
expect "--help" 0 -- --help && expect_out "--help lists commands" "verify-blob-batch"
expect "-h" 0 -- -h
for c in commit prove prove-blob verify verify-blob verify-blob-batch cells verify-cells recover info check-vectors demo; do
  expect "$c --help" 0 -- "$c" --help && expect_out "$c --help" "Usage: kzgkit $c"
done
expect "no command" 2 "command" --
expect "unknown command" 2 "unknown command 'frobnicate'" -- frobnicate
expect "unknown global option" 2 "unknown option" -- --frobnicate info
expect "unknown command option" 2 "unknown option '--frobnicate'" -- commit --frobnicate "$tmp/blob1.hex"
expect "missing --setup value" 2 "setup" -- info --setup

# ---- round trip ---------------------------------------------------------------------------
expect "info" 0 -- info && expect_out "info backend" "backend: +(portable|x86_64-mulx-adx|x86_64-mulx-adx-ifma) \\("
KZGKIT_BACKEND=portable expect "info portable" 0 -- info && expect_out "info forced portable" "backend: +portable \\(KZGKIT_BACKEND=portable\\)"
expect "commit (hex blob)" 0 -- commit "$tmp/blob1.hex" && expect_out "commitment format" '^0x[0-9a-f]{96}$'
c1=$(cat "$tmp/out")
expect "commit (raw blob)" 0 -- commit "$tmp/blob1.bin"
[ "$(cat "$tmp/out")" = "$c1" ] && ok || bad "raw and hex blobs give different commitments"
expect "commit --metrics" 0 -- commit --metrics "$tmp/blob1.bin" && expect_out "metrics: commit counted" '^kzgkit_operation_calls_total\{op="blob_to_kzg_commitment"\} 1$'
expect "info --metrics (before the command)" 0 -- --metrics info && expect_out "metrics: ctx_new counted" '^kzgkit_operation_calls_total\{op="ctx_new"\} 1$'
KZGKIT_THREADS=2 expect "KZGKIT_THREADS" 0 -- info && expect_out "threads from the environment" '^threads: +2'
KZGKIT_THREADS=x expect "bad KZGKIT_THREADS" 2 "KZGKIT_THREADS" -- info
# NUMA (issue 16): the topology (at least one node with its CPUs and memory) and the
# context's placement; off and on by option or environment; bad values rejected.
expect "info numa" 0 -- info && expect_out "info topology" '^numa: +[1-9][0-9]* nodes? ' &&
  expect_out "info node line" '^  node [0-9]+ +CPUs [0-9].* memory [0-9.]+ GiB$' &&
  expect_out "info placement caller only" '^placement: +policy auto: no placement \(caller only'
expect "--numa off" 0 -- --threads 2 --numa off info && expect_out "placement off" '^placement: +policy off: no placement \(policy off\)$'
KZGKIT_NUMA=on expect "KZGKIT_NUMA=on" 0 -- --threads 2 info && expect_out "placement on" '^placement: +policy on: [0-9]+ nodes? \(policy on\): node [0-9]+ CPUs .*(; pinned 1 of 1 workers|unpinned)'
expect "bad --numa" 2 "numa" -- --numa sometimes info
KZGKIT_NUMA=x expect "bad KZGKIT_NUMA" 2 "KZGKIT_NUMA" -- info
# The generic suite derives Lagrange bases by a G1 FFT and checks verify(prove) in its setup;
# at 4096 it also checks the derived basis against the setup's own.
# (bench warns on stderr about a noisy machine, so its exit status and stdout are checked.)
run bench --quick --no-progress --filter '^kzg_verify' --sizes 256,4096
[ "$rc" -eq 0 ] && ok || bad "bench generic KZG sizes: exit $rc; stderr: $(head -c 300 "$tmp/err")"
expect_out "bench generic rows" 'kzg_verify/size=4096'
expect "commit blob 2" 0 -- commit "$tmp/blob2.hex"
c2=$(cat "$tmp/out")

expect "prove" 0 -- prove "$tmp/blob1.hex" "$z"
if [ "$(wc -l <"$tmp/out")" -eq 2 ]; then ok; else bad "prove: expected 2 lines"; fi
p1=$(sed -n 1p "$tmp/out")
y1=$(sed -n 2p "$tmp/out")
[[ "$p1" =~ ^0x[0-9a-f]{96}$ && "$y1" =~ ^0x[0-9a-f]{64}$ ]] && ok || bad "prove output format: $p1 / $y1"
expect "verify (true)" 0 -- verify "$c1" "$z" "$y1" "$p1" && expect_out "verify prints true" '^true$'
y_wrong=${y1:0:65}$(printf '%x' $(( (0x${y1:65:1} + 1) % 8 )))
expect "verify (wrong y → false)" 1 -- verify "$c1" "$z" "$y_wrong" "$p1" && expect_out "verify prints false" '^false$'
expect "verify (other commitment → false)" 1 -- verify "$c2" "$z" "$y1" "$p1"

expect "prove-blob" 0 -- prove-blob "$tmp/blob1.hex" "$c1"
bp1=$(cat "$tmp/out")
expect "prove-blob 2 (hex)" 0 -- prove-blob "$tmp/blob2.hex" "$c2"
bp2=$(cat "$tmp/out")
expect "verify-blob (true)" 0 -- verify-blob "$tmp/blob1.bin" "$c1" "$bp1" && expect_out "verify-blob true" '^true$'
expect "verify-blob (other blob → false)" 1 -- verify-blob "$tmp/blob2.hex" "$c1" "$bp1"

{
  echo "# two entries: a path and inline hex"
  echo "$tmp/blob1.bin $c1 $bp1"
  echo
  echo "$(tr -d ' \n' <"$tmp/blob2.hex") $c2 $bp2"
} >"$tmp/list.txt"
expect "verify-blob-batch (true)" 0 -- verify-blob-batch "$tmp/list.txt" && expect_out "batch true" '^true$'
printf '%s %s %s\n' "$tmp/blob1.bin" "$c1" "$bp2" "$tmp/blob2.hex" "$c2" "$bp1" >"$tmp/swapped.txt"
expect "verify-blob-batch (swapped proofs → false)" 1 -- verify-blob-batch "$tmp/swapped.txt"
: >"$tmp/empty.txt"
expect "verify-blob-batch (empty list → true)" 0 -- verify-blob-batch "$tmp/empty.txt"

# ---- malformed input: exit 2, one line naming the problem ---------------------------------
expect "short blob file" 2 "BLOB.*(131072|bytes)" -- commit "$tmp/short.bin"
expect "missing blob file" 2 "BLOB.*(no such file|cannot open)" -- commit "$tmp/absent.bin"
expect "non-canonical blob element" 2 "\b1234\b" -- commit "$tmp/noncanon.hex"
expect "non-canonical element (prove)" 2 "\b1234\b" -- prove "$tmp/noncanon.hex" "$z"
expect "bad hex Z" 2 "Z: .*hex" -- prove "$tmp/blob1.hex" 0xzz
expect "short Z" 2 "Z: .*32 bytes" -- prove "$tmp/blob1.hex" 0x05
expect "non-canonical Z" 2 "canonical|>= ?r|modulus" -- verify "$c1" "0x$(printf 'f%.0s' $(seq 64))" "$y1" "$p1"
expect "commitment bad flags" 2 "encoding|flag|compress" -- verify "$flags_bad" "$z" "$y1" "$p1"
expect "commitment not on curve" 2 "curve" -- verify "$off_curve" "$z" "$y1" "$p1"
expect "commitment bad flags (prove-blob)" 2 "encoding|flag|compress" -- prove-blob "$tmp/blob1.hex" "$flags_bad"
expect "proof not on curve (verify-blob)" 2 "curve" -- verify-blob "$tmp/blob1.hex" "$c1" "$off_curve"
expect "commitment too long" 2 "COMMITMENT: .*48 bytes" -- verify "${c1}00" "$z" "$y1" "$p1"
expect "too few arguments" 2 "expected 4 arguments" -- verify "$c1" "$z" "$y1"
expect "too many arguments" 2 "too many arguments" -- commit "$tmp/blob1.hex" "$tmp/blob2.hex"
echo "$tmp/blob1.bin $c1" >"$tmp/twofields.txt"
expect "LIST line with 2 fields" 2 "line 1.*3 fields" -- verify-blob-batch "$tmp/twofields.txt"
printf '%s %s %s\n' "$tmp/blob1.bin" "$c1" "$bp1" "$tmp/short.bin" "$c2" "$bp2" >"$tmp/shortline.txt"
expect "LIST short blob on line 2" 2 "line 2: BLOB" -- verify-blob-batch "$tmp/shortline.txt"
printf '%s %s %s\n' "$tmp/blob1.bin" "$c1" "$bp1" "$tmp/blob2.hex" "$off_curve" "$bp2" >"$tmp/offcurve.txt"
expect "LIST commitment off the curve" 2 "curve" -- verify-blob-batch "$tmp/offcurve.txt"
expect "missing LIST" 2 "LIST" -- verify-blob-batch "$tmp/absent.txt"
expect "missing setup file" 2 "setup" -- --setup "$tmp/absent.json" info
echo "not a setup" >"$tmp/garbage.txt"
expect "garbage setup file" 2 "setup" -- info --setup "$tmp/garbage.txt"
expect "check-vectors missing DIR" 2 "DIR" -- check-vectors "$tmp/absent"
expect "demo bad count" 2 "count" -- demo --count 0

# ---- EIP-7594: cells, verify-cells, recover -------------------------------------------------
# cells prints "INDEX CELL PROOF" per cell; the LISTs below are built from it with awk, as
# kzgkit cells --help shows.
expect "cells" 0 -- cells "$tmp/blob1.hex"
cp "$tmp/out" "$tmp/cells1.txt"
if [ "$(wc -l <"$tmp/cells1.txt")" -eq 128 ] &&
   awk 'NF != 3 || $1 != NR - 1 || length($2) != 4098 || length($3) != 98 ||
        $2 !~ /^0x[0-9a-f]+$/ || $3 !~ /^0x[0-9a-f]+$/ { bad = 1 } END { exit bad }' "$tmp/cells1.txt"; then
  ok
else
  bad "cells output format: $(head -c 200 "$tmp/cells1.txt")"
fi
expect "cells --no-proofs" 0 -- cells --no-proofs "$tmp/blob1.bin"
awk '{ print $1, $2 }' "$tmp/cells1.txt" | cmp -s - "$tmp/out" && ok || bad "cells --no-proofs differs from the cells of cells"

awk -v c="$c1" '{ print c, $1, $2, $3 }' "$tmp/cells1.txt" >"$tmp/vcells.txt"
expect "verify-cells (true)" 0 -- verify-cells "$tmp/vcells.txt" && expect_out "verify-cells true" '^true$'
# Cell 5, element 0: its last hex digit changed (the top byte stays 0x00..0x3f: canonical).
awk 'NR == 6 { d = substr($3, 66, 1); $3 = substr($3, 1, 65) (d == "0" ? "1" : "0") substr($3, 67) } { print }' \
  "$tmp/vcells.txt" >"$tmp/vtampered.txt"
expect "verify-cells (tampered cell → false)" 1 -- verify-cells "$tmp/vtampered.txt" && expect_out "verify-cells false" '^false$'
{ echo "# one cell, with a comment and a blank line"; echo; sed -n 100p "$tmp/vcells.txt"; } >"$tmp/vone.txt"
expect "verify-cells (one cell)" 0 -- verify-cells "$tmp/vone.txt"
expect "verify-cells (empty list → true)" 0 -- verify-cells "$tmp/empty.txt"

awk '$1 % 2 == 0 { print $1, $2 }' "$tmp/cells1.txt" >"$tmp/half.txt"
expect "recover (even cells)" 0 -- recover "$tmp/half.txt"
cmp -s "$tmp/out" "$tmp/cells1.txt" && ok || bad "recover: output differs from the original cells output"
awk '$1 >= 64 { print $1, $2 }' "$tmp/cells1.txt" >"$tmp/upper.txt"
expect "recover --no-proofs (upper half)" 0 -- recover --no-proofs "$tmp/upper.txt"
awk '{ print $1, $2 }' "$tmp/cells1.txt" | cmp -s - "$tmp/out" && ok || bad "recover --no-proofs: cells differ from the original"

# Malformed LISTs: exit 2 with one line naming the LIST line and the check.
awk 'NR == 3 { $2 = "0xzz" substr($2, 5) } { print }' "$tmp/half.txt" >"$tmp/r_badhex.txt"
expect "recover bad hex" 2 "line 3: CELL: .*hex" -- recover "$tmp/r_badhex.txt"
awk 'NR == 4 { $2 = substr($2, 1, 100) } { print }' "$tmp/half.txt" >"$tmp/r_short.txt"
expect "recover short cell" 2 "line 4: CELL: .*2048 bytes" -- recover "$tmp/r_short.txt"
{ cat "$tmp/half.txt"; echo "128 $(sed -n 1p "$tmp/half.txt" | cut -d' ' -f2)"; } >"$tmp/r_128.txt"
expect "recover index 128" 2 "line 65: INDEX: '128' .*0\.\.127" -- recover "$tmp/r_128.txt"
{ sed -n 1,10p "$tmp/half.txt"; sed -n 10p "$tmp/half.txt"; sed -n '11,$p' "$tmp/half.txt"; } >"$tmp/r_dup.txt"
expect "recover duplicate index" 2 "line 11: INDEX 18 repeats line 10" -- recover "$tmp/r_dup.txt"
{ sed -n 2p "$tmp/half.txt"; sed -n 1p "$tmp/half.txt"; sed -n '3,$p' "$tmp/half.txt"; } >"$tmp/r_order.txt"
expect "recover unordered indices" 2 "line 2: INDEX 0 follows 2.*ascending" -- recover "$tmp/r_order.txt"
head -n 63 "$tmp/half.txt" >"$tmp/r_few.txt"
expect "recover fewer than 64 cells" 2 "63 cells.*at least 64" -- recover "$tmp/r_few.txt"
ff=$(printf 'f%.0s' $(seq 64))
awk -v ff="$ff" 'NR == 7 { $2 = substr($2, 1, 2 + 64 * 3) ff substr($2, 3 + 64 * 4) } { print }' \
  "$tmp/half.txt" >"$tmp/r_noncanon.txt"
expect "recover non-canonical element" 2 "line 7: .*canonical.*element 3" -- recover --no-proofs "$tmp/r_noncanon.txt"
awk '{ print $1 }' "$tmp/half.txt" >"$tmp/r_onefield.txt"
expect "recover LIST line with 1 field" 2 "line 1: expected 2 fields" -- recover "$tmp/r_onefield.txt"
expect "recover missing LIST" 2 "LIST" -- recover "$tmp/absent.txt"
awk -v ff="$ff" 'NR == 9 { $3 = substr($3, 1, 2 + 64 * 3) ff substr($3, 3 + 64 * 4) } { print }' \
  "$tmp/vcells.txt" >"$tmp/v_noncanon.txt"
expect "verify-cells non-canonical element" 2 "line 9: .*canonical.*element 3" -- verify-cells "$tmp/v_noncanon.txt"
awk 'NR == 12 { $2 = 128 } { print }' "$tmp/vcells.txt" >"$tmp/v_128.txt"
expect "verify-cells index 128" 2 "line 12: INDEX: '128'" -- verify-cells "$tmp/v_128.txt"
awk -v o="$off_curve" 'NR == 20 { $4 = o } { print }' "$tmp/vcells.txt" >"$tmp/v_offcurve.txt"
expect "verify-cells proof off the curve" 2 "line 20: .*curve" -- verify-cells "$tmp/v_offcurve.txt"
awk -v o="$flags_bad" 'NR == 3 { $1 = o } { print }' "$tmp/vcells.txt" >"$tmp/v_flags.txt"
expect "verify-cells commitment bad flags" 2 "line 3: .*(encoding|flag)" -- verify-cells "$tmp/v_flags.txt"
awk 'NR == 5 { $1 = $1 "0" } { print }' "$tmp/vcells.txt" >"$tmp/v_badhex.txt"
expect "verify-cells odd hex" 2 "line 5: COMMITMENT: .*(odd|hex)" -- verify-cells "$tmp/v_badhex.txt"
awk '{ print $1, $2, $3 }' "$tmp/vcells.txt" >"$tmp/v_three.txt"
expect "verify-cells LIST line with 3 fields" 2 "line 1: expected 4 fields" -- verify-cells "$tmp/v_three.txt"
expect "cells non-canonical blob" 2 "\b1234\b" -- cells --no-proofs "$tmp/noncanon.hex"
expect "cells short blob" 2 "BLOB.*(131072|bytes)" -- cells "$tmp/short.bin"

# ---- setup from a file, demo --------------------------------------------------------------
if [ -f "$setup_json" ]; then
  expect "commit with --setup JSON" 0 -- --setup "$setup_json" commit "$tmp/blob1.hex"
  [ "$(cat "$tmp/out")" = "$c1" ] && ok || bad "--setup JSON gives a different commitment"
fi
expect "demo" 0 -- demo --count 2 --seed 7 && expect_out "demo verdict" "all verifications gave the expected answers"

cli_test_finish
