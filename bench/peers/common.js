// bench/peers/common.js — what every part of the peer benchmark shares: the operations and
// their sample counts, the readers of `bench_eip4844 --dump` and `bench_eip7594 --dump`
// files, timing and statistics, and the option parser. No library is loaded here.
"use strict";

const fs = require("fs");

const BLOB = 131072;

// The rows of every table, in bench_eip4844's order. `light` operations take 10 samples per
// --iters, as in bench_eip4844 (they are ~30x faster than the others).
const OPS = [
  { name: "ctx_new", light: false },
  { name: "blob_to_kzg_commitment", light: false },
  { name: "compute_kzg_proof", light: false },
  { name: "compute_blob_kzg_proof", light: false },
  { name: "verify_kzg_proof", light: true },
  { name: "verify_blob_kzg_proof", light: true },
  { name: "verify_blob_kzg_proof_batch", light: false },
];

// Reads a dump file of our benchmark programs: 8 magic bytes, u32 count, u32 seed, then
// count records of recLen bytes; parse(take) builds one record from successive views
// (take(len) returns the next len bytes, not a copy).
function readRecords(file, magic, what, recLen, parse) {
  const buf = fs.readFileSync(file);
  if (buf.length < 16 || buf.toString("latin1", 0, 8) !== magic) {
    throw new Error(`${file}: not a ${what} dump`);
  }
  const n = buf.readUInt32LE(8);
  if (buf.length !== 16 + n * recLen) throw new Error(`${file}: truncated (${n} records expected)`);
  const items = [];
  for (let i = 0, off = 16; i < n; i++) {
    const take = (len) => {
      const v = buf.subarray(off, off + len);
      off += len;
      return v;
    };
    items.push(parse(take));
  }
  return { seed: buf.readUInt32LE(12), items };
}

// A `bench_eip4844 --dump` file ("KZGKITB1"): records of blob | z | commitment | blob proof |
// proof at z | y (bench/bench_eip4844.c).
function readDump(file) {
  return readRecords(file, "KZGKITB1", "bench_eip4844", BLOB + 32 + 48 + 48 + 48 + 32, (take) => ({
    blob: take(BLOB), z: take(32), commitment: take(48), blobProof: take(48),
    zProof: take(48), y: take(32),
  }));
}

// The EIP-7594 rows (bench_eip7594's peers mode names them so). setup_load and first_* are
// one sample per round (a fresh process each); the others --iters per round.
const CELLS = 128;
const CELL = 2048;
const OPS_7594 = [
  { name: "setup_load", once: true },
  { name: "first_cells_and_kzg_proofs", once: true },
  { name: "compute_cells_and_kzg_proofs", once: false },
  { name: "verify_cell_kzg_proof_batch_blob", once: false },
  { name: "verify_cell_kzg_proof_batch_all", once: false },
  { name: "recover_cells_and_kzg_proofs", once: false },
];

// A `bench_eip7594 --dump` file ("KZGKIT71"): records of blob | commitment | 128 cells |
// 128 proofs (bench/bench_eip7594.c).
function readCellDump(file) {
  return readRecords(file, "KZGKIT71", "bench_eip7594", BLOB + 48 + CELLS * CELL + CELLS * 48,
    (take) => {
      const blob = take(BLOB);
      const commitment = take(48);
      const cells = [];
      const proofs = [];
      for (let c = 0; c < CELLS; c++) cells.push(take(CELL));
      for (let c = 0; c < CELLS; c++) proofs.push(take(48));
      return { blob, commitment, cells, proofs };
    });
}

// Byte equality of two Uint8Arrays (Buffers included).
function same(a, b) {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

function median(v) {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function summarise(v) {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return {
    samples: n, median_ms: median(s), min_ms: s[0], max_ms: s[n - 1],
    mean_ms: s.reduce((a, b) => a + b, 0) / n,
  };
}

// Calls run(k) once untimed (warm-up), then `count` times timed; only the call is timed,
// and check(result, k) — which must throw on a wrong result — runs after each, untimed.
// Returns the samples in ms, in the order taken.
function measure(count, run, check) {
  const v = [];
  for (let k = 0; k <= count; k++) {
    const t0 = nowMs();
    const r = run(k);
    const t = nowMs() - t0;
    check(r, k);
    if (k > 0) v.push(t);
  }
  return v;
}

// Parses argv by spec: { "--name": { key, kind: "num", lo, hi } | { key, kind: "str" } |
// { key, kind: "flag" } }; values start from `defaults`. Calls usage(message) on an error.
function parseArgs(argv, spec, defaults, usage) {
  const o = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-h" || a === "--help") usage();
    const s = spec[a];
    if (!s) usage(`unknown option '${a}'`);
    if (s.kind === "flag") {
      o[s.key] = true;
      continue;
    }
    const v = argv[++i];
    if (v === undefined) usage(`${a}: missing value`);
    if (s.kind === "num") {
      if (!/^[0-9]+$/.test(v)) usage(`${a}: '${v}' is not a number`);
      const n = Number(v);
      if (n < s.lo || n > s.hi) usage(`${a}: ${v} is out of range ${s.lo}..${s.hi}`);
      o[s.key] = n;
    } else {
      o[s.key] = v;
    }
  }
  return o;
}

module.exports = {
  BLOB, CELLS, OPS, OPS_7594, readDump, readCellDump, same, nowMs, median, summarise, measure, parseArgs,
};
