#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] — builds the libFuzzer targets (test/fuzz/fuzz_*.c) in build-fuzz
# with clang (KZGKIT_FUZZ=ON: the whole library gets coverage + ASan + UBSan) and runs each
# for SECONDS (default 600) on its corpus fuzz-corpus/TARGET/ (ignored by git), seeded with
# valid encodings from data/trusted_setup.json. Crashes, leaks, timeouts and broken
# properties are saved under fuzz-corpus/artifacts/TARGET/ and make the script exit 1.
#   FUZZ_TARGETS="fuzz_g1_decode fuzz_fr_decode"  run only these
#   JOBS=N (default 2) build parallelism; CC (default clang)
set -uo pipefail
secs="${1:-600}"
case "$secs" in ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;; esac
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-fuzz"
corpus="$root/fuzz-corpus"
setup_json="$root/data/trusted_setup.json"
jobs="${JOBS:-2}"
export CC="${CC:-clang}"

command -v "$CC" >/dev/null || { echo "fuzz: $CC not found (apt-get install clang)" >&2; exit 2; }
command -v perl >/dev/null || { echo "fuzz: perl is needed to write the seeds" >&2; exit 2; }

targets=()
if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  for f in "$root"/test/fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
fi

echo "fuzz: building ${#targets[@]} targets in $build ($CC)"
# The setup generator runs during the build, instrumented; leaks there are not findings.
ASAN_OPTIONS=detect_leaks=0 cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DKZGKIT_FUZZ=ON >"$build.configure.log" 2>&1 \
  || { cat "$build.configure.log" >&2; exit 2; }
ASAN_OPTIONS=detect_leaks=0 cmake --build "$build" -j "$jobs" --target "${targets[@]}" \
  >"$build.build.log" 2>&1 || { tail -40 "$build.build.log" >&2; exit 2; }

# ---- seeds --------------------------------------------------------------------------------
# points KEY N — the first N points of array KEY of the setup JSON, one hex string a line.
points() { perl -0777 -ne 'my ($a) = /"'"$1"'"\s*:\s*\[(.*?)\]/s; my @p = $a =~ /0x([0-9a-fA-F]+)/g; print "$_\n" for @p[0..'"$(($2 - 1))"']' "$setup_json"; }
# seed TARGET NAME HEX... — writes the concatenated hex as a binary seed file.
seed() { local t="$1" n="$2"; shift 2; printf '%s' "$@" | perl -ne 'print pack("H*", $_)' >"$corpus/$t/seed_$n"; }
zeros() { printf '0%.0s' $(seq $(( $1 * 2 ))); }
pattern="0123456789abcdeffedcba98765432100f1e2d3c4b5a69788796a5b4c3d2e1f0"
inf48="c0$(zeros 47)"

for t in "${targets[@]}"; do mkdir -p "$corpus/$t" "$corpus/artifacts/$t" "$corpus/logs"; done
have() { [ -d "$corpus/$1" ]; }
if have fuzz_g1_decode; then
  i=0; for p in $(points g1_monomial 6) $(points g1_lagrange 2); do seed fuzz_g1_decode "pt$i" "$p"; i=$((i+1)); done
  seed fuzz_g1_decode inf "$inf48"
fi
if have fuzz_g2_decode; then
  i=0; for p in $(points g2_monomial 4); do seed fuzz_g2_decode "pt$i" "$p"; i=$((i+1)); done
  seed fuzz_g2_decode inf "c0$(zeros 95)"
fi
if have fuzz_fr_decode; then
  seed fuzz_fr_decode zero "$(zeros 32)"
  seed fuzz_fr_decode one "$(zeros 31)01"
  seed fuzz_fr_decode r_minus_1 73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000
  seed fuzz_fr_decode r 73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001
  seed fuzz_fr_decode max "$(printf 'f%.0s' $(seq 64))"
fi
if have fuzz_blob_to_kzg_commitment; then
  for m in 00 01 03 05 07; do seed fuzz_blob_to_kzg_commitment "m$m" "$m" "$pattern"; done
fi
if have fuzz_compute_kzg_proof; then
  seed fuzz_compute_kzg_proof check "0d" "$(zeros 31)05" "$pattern"
  seed fuzz_compute_kzg_proof raw "00" "$pattern" "$pattern"
fi
if have fuzz_compute_blob_kzg_proof; then
  seed fuzz_compute_blob_kzg_proof real "09" "$(zeros 48)" "$pattern"
  seed fuzz_compute_blob_kzg_proof inf "01" "$inf48" "$(zeros 32)"
fi
if have fuzz_verify_kzg_proof; then
  seed fuzz_verify_kzg_proof derived "01" "$(zeros 160)" "$pattern"
  seed fuzz_verify_kzg_proof zero_poly "00" "$inf48" "$(zeros 32)" "$(zeros 32)" "$inf48"
  seed fuzz_verify_kzg_proof setup_pts "00" "$(points g1_monomial 1)" "$(zeros 31)02" "$(zeros 31)01" "$(points g1_monomial 2 | tail -1)"
fi
if have fuzz_verify_blob_kzg_proof; then
  seed fuzz_verify_blob_kzg_proof derived "01" "$(zeros 96)" "$pattern"
  seed fuzz_verify_blob_kzg_proof zero_blob "02" "$inf48" "$inf48"
fi
if have fuzz_verify_blob_kzg_proof_batch; then
  seed fuzz_verify_blob_kzg_proof_batch derived2 "01" "02" "$(zeros 192)" "$pattern"
  seed fuzz_verify_blob_kzg_proof_batch empty "00" "00"
  seed fuzz_verify_blob_kzg_proof_batch raw1 "02" "01" "$inf48" "$inf48"
fi
if have fuzz_compute_cells; then
  seed fuzz_compute_cells proofs "1d" "05" "$pattern"
  seed fuzz_compute_cells cells "01" "00" "$pattern"
  seed fuzz_compute_cells noncanon "00" "00" "$(printf 'f%.0s' $(seq 64))"
fi
if have fuzz_verify_cell_kzg_proof_batch; then
  # entry: SEL IDX COMMITMENT-mask(48) PROOF-mask(48) POS(2) XOR(1)
  seed fuzz_verify_cell_kzg_proof_batch derived2 "01" "02" "00" "05" "$(zeros 99)" "01" "7f" "$(zeros 99)"
  seed fuzz_verify_cell_kzg_proof_batch tampered "01" "02" "00" "03" "$(zeros 96)" "0010" "01" "00" "04" "$(zeros 99)"
  seed fuzz_verify_cell_kzg_proof_batch out_of_range "05" "01" "00" "80" "$(zeros 99)"
  seed fuzz_verify_cell_kzg_proof_batch raw_inf "02" "01" "00" "00" "$inf48" "$inf48" "000000" "$pattern"
  seed fuzz_verify_cell_kzg_proof_batch empty "01" "00"
fi
if have fuzz_recover_cells; then
  # MODE PRESENT(16 bytes, bit i = cell i) S [raw cell bytes]
  seed fuzz_recover_cells even "00" "$(printf '55%.0s' $(seq 16))" "00"
  seed fuzz_recover_cells upper "00" "$(zeros 8)" "$(printf 'ff%.0s' $(seq 8))" "00"
  seed fuzz_recover_cells proofs "38" "$(printf 'aa%.0s' $(seq 16))" "00"
  seed fuzz_recover_cells raw64 "01" "$(printf 'ff%.0s' $(seq 8))" "$(zeros 8)" "00" "$pattern"
  seed fuzz_recover_cells raw_proofs "39" "$(printf '0f%.0s' $(seq 16))" "00" "$pattern"
  seed fuzz_recover_cells swapped "02" "$(printf 'ff%.0s' $(seq 16))" "05"
  seed fuzz_recover_cells duplicate "04" "$(printf '55%.0s' $(seq 16))" "03"
  seed fuzz_recover_cells too_few "00" "$(printf '55%.0s' $(seq 15))" "54" "00"
fi
if have fuzz_setup_bytes; then
  seed fuzz_setup_bytes mainnet "01"
  seed fuzz_setup_bytes split "00" "0030" "0030" "$inf48" "$inf48" "c0$(zeros 95)"
fi
if have fuzz_setup_file; then
  printf '\002' >"$corpus/fuzz_setup_file/seed_json"; cat "$setup_json" >>"$corpus/fuzz_setup_file/seed_json"
  { printf '\001'; perl -0777 -ne '
      my %a; while (/"(\w+)"\s*:\s*\[(.*?)\]/sg) { my ($k, $v) = ($1, $2); $a{$k} = [ $v =~ /0x([0-9a-fA-F]+)/g ]; }
      print scalar(@{$a{g1_lagrange}}), "\n", scalar(@{$a{g2_monomial}}), "\n";
      print "$_\n" for @{$a{g1_lagrange}}, @{$a{g2_monomial}}, @{$a{g1_monomial}};' "$setup_json"; } \
    >"$corpus/fuzz_setup_file/seed_txt"
  printf '\000{"g1_monomial": [], "g1_lagrange": [], "g2_monomial": []}' >"$corpus/fuzz_setup_file/seed_empty_json"
  printf '\0014096\n65\n' >"$corpus/fuzz_setup_file/seed_txt_header"
fi

# ---- runs ---------------------------------------------------------------------------------
max_len_of() {
  case "$1" in
    fuzz_g1_decode) echo 48 ;; fuzz_g2_decode) echo 96 ;; fuzz_fr_decode) echo 32 ;;
    fuzz_setup_file) echo 1000000 ;; *) echo 8192 ;;
  esac
}
findings=0
printf '\n%-36s %8s %10s %8s %7s  %s\n' target seconds execs cov corpus result
for t in "${targets[@]}"; do
  log="$corpus/logs/$t.log"
  ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}" \
  UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
    "$build/$t" -max_total_time="$secs" -max_len="$(max_len_of "$t")" -timeout=300 \
      -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$corpus/artifacts/$t/" \
      "$corpus/$t" >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
  ncorp=$(find "$corpus/$t" -type f | wc -l)
  # slow-unit-* files only record the slowest input (the full setup loads take seconds
  # under ASan); crash-, leak-, timeout- and oom- files are findings.
  arts=$(find "$corpus/artifacts/$t" -type f ! -name 'slow-unit-*' | wc -l)
  if [ "$rc" -eq 0 ] && [ "$arts" -eq 0 ]; then
    result=ok
  else
    result="FINDING (exit $rc; see $log and $corpus/artifacts/$t/)"
    findings=$((findings + 1))
  fi
  printf '%-36s %8s %10s %8s %7s  %s\n' "$t" "$secs" "${execs:-?}" "${cov:-?}" "$ncorp" "$result"
done
echo
if [ "$findings" -gt 0 ]; then
  echo "fuzz: $findings target(s) with findings; reproduce with build-fuzz/TARGET ARTIFACT"
  exit 1
fi
echo "fuzz: no findings in ${#targets[@]} targets × ${secs}s"
