#!/usr/bin/env node
// bench/peers/first.js — the first call of each operation in a fresh process against the
// same operation warm, for kzgkit (its bench_first) and for the peers (c-kzg,
// rust-eth-kzg), side by side: how much of a slow first call is a library's own doing and
// how much every library pays in a fresh process (issue 13's first-call row).
//
//   node first.js [--build DIR] [--runs N] [--warm K] [--json FILE] [--markdown]
//
// The parent makes the inputs with DIR/bench_eip4844 --dump (4 blobs) and DIR/bench_eip7594
// --dump (1 blob), runs DIR/bench_first --runs N --warm K (kzgkit: its own protocol, the
// same one as here), then for each peer N runs; a run starts one fresh process per
// operation (`node first.js --child LIB OP FILES`, operations rotated by one per run so
// that none always goes first), which loads the library and its setup (timed: "setup"),
// times the first call of OP, then K more calls of the same inputs (default 5), and checks
// every result against kzgkit's bytes (exit 1 on a difference). Reported per operation and
// library: the median setup, the median first call, the median of the per-run warm
// medians, and first/warm (the ratio of those medians). Peers are configured as their
// defaults: c-kzg loadTrustedSetup(0), rust-eth-kzg without precomputation (libs.js).
// A peer that does not load is left out with a message; exit 2 when none loads or the
// build is missing.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");
const { CELLS, readDump, readCellDump, same, nowMs, median, parseArgs } = require("./common");
const { PEERS, PEERS_7594 } = require("./libs");

const OPS = [
  "blob_to_kzg_commitment", "compute_kzg_proof", "compute_blob_kzg_proof", "verify_kzg_proof",
  "verify_blob_kzg_proof", "verify_blob_kzg_proof_batch", "compute_cells_and_kzg_proofs",
  "verify_cell_kzg_proof_batch", "recover_cells_and_kzg_proofs",
];
const IS_7594 = (op) => /cell/.test(op);
const LIBS = [
  { id: "c-kzg", label: "c-kzg", p4844: PEERS.find((p) => p.pkg === "c-kzg"), p7594: "c-kzg-p0" },
  { id: "rust-eth-kzg", label: "rust-eth-kzg", p4844: PEERS.find((p) => p.pkg !== "c-kzg"), p7594: "rust-eth-kzg" },
];

function usage(msg) {
  if (msg) console.error(`first.js: ${msg}`);
  console.error("usage: node first.js [--build DIR] [--runs N] [--warm K] [--json FILE] [--markdown]");
  process.exit(2);
}

// ---- child: one library, one operation, one fresh process -------------------------------

function sameAll(a, b) {
  return a.length === b.length && a.every((x, i) => same(x, b[i]));
}

// The call of `op` on the inputs, and the check of its result (throws on a difference).
function callFor(op, api, d, c) {
  const b = d.items[0];
  const even = [...Array(CELLS / 2).keys()].map((i) => 2 * i);
  const cb = c.items[0];
  const table = {
    blob_to_kzg_commitment: [() => api.commit(b.blob), (r) => same(r, b.commitment)],
    compute_kzg_proof: [() => api.prove(b.blob, b.z), (r) => same(r[0], b.zProof) && same(r[1], b.y)],
    compute_blob_kzg_proof: [() => api.blobProve(b.blob, b.commitment), (r) => same(r, b.blobProof)],
    verify_kzg_proof: [() => api.verify(b.commitment, b.z, b.y, b.zProof), (r) => r === true],
    verify_blob_kzg_proof: [() => api.blobVerify(b.blob, b.commitment, b.blobProof), (r) => r === true],
    verify_blob_kzg_proof_batch: [
      () => api.batch(d.items.map((x) => x.blob), d.items.map((x) => x.commitment), d.items.map((x) => x.blobProof)),
      (r) => r === true],
    compute_cells_and_kzg_proofs: [() => api.cellsAndProofs(cb.blob),
      (r) => sameAll(r[0], cb.cells) && sameAll(r[1], cb.proofs)],
    verify_cell_kzg_proof_batch: [
      () => api.verifyCells(Array(CELLS).fill(cb.commitment), [...Array(CELLS).keys()], cb.cells, cb.proofs),
      (r) => r === true],
    recover_cells_and_kzg_proofs: [() => api.recover(even, even.map((i) => cb.cells[i])),
      (r) => sameAll(r[0], cb.cells) && sameAll(r[1], cb.proofs)],
  };
  return table[op];
}

function child(argv) {
  const [libId, op, f4844, f7594, warmStr] = argv;
  const lib = LIBS.find((l) => l.id === libId);
  if (!lib || !OPS.includes(op)) usage(`--child: unknown library '${libId}' or operation '${op}'`);
  const d = readDump(f4844);
  const c = readCellDump(f7594);
  const t0 = nowMs();
  const api = IS_7594(op) ? PEERS_7594.find((p) => p.id === lib.p7594).open().api : lib.p4844.open().api;
  const setupMs = nowMs() - t0;
  const [run, ok] = callFor(op, api, d, c);
  const t1 = nowMs();
  const r0 = run();
  const firstMs = nowMs() - t1;
  if (!ok(r0)) throw new Error(`${lib.label} ${op}: the first call's result differs from kzgkit's`);
  const warm = [];
  for (let k = 0; k < Number(warmStr); k++) {
    const t = nowMs();
    const r = run();
    warm.push(nowMs() - t);
    if (!ok(r)) throw new Error(`${lib.label} ${op}: a warm call's result differs from kzgkit's`);
  }
  process.stdout.write(JSON.stringify({ setupMs, firstMs, warmMs: median(warm) }) + "\n");
}

// ---- parent -----------------------------------------------------------------------------

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.error) throw r.error;
  return r;
}

function loads(lib) {
  const code = `require(${JSON.stringify(lib.p4844.pkg)})`;
  return run(process.execPath, ["-e", code]).status === 0;
}

function parent(o) {
  const build = path.resolve(o.build);
  for (const b of ["bench_first", "bench_eip4844", "bench_eip7594"])
    if (!fs.existsSync(path.join(build, b))) {
      console.error(`first.js: ${path.join(build, b)} not found (build first: make build)`);
      process.exit(2);
    }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kzgkit-first-"));
  const f4844 = path.join(tmp, "in4844.bin"), f7594 = path.join(tmp, "cells.bin");
  const mk = [
    [path.join(build, "bench_eip4844"), ["--iters", "1", "--batch", "4", "--seed", "1", "--dump", f4844]],
    [path.join(build, "bench_eip7594"), ["--json", path.join(tmp, "x.json"), "--blobs", "1", "--iters", "1",
      "--dump", f7594]],
  ];
  for (const [cmd, args] of mk) {
    const r = run(cmd, args);
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  }
  const results = { backend: null, runs: o.runs, warm: o.warm, libs: {} };

  const kj = path.join(tmp, "kzgkit.json");
  const k = run(path.join(build, "bench_first"), ["--runs", String(o.runs), "--warm", String(o.warm), "--json", kj]);
  if (k.status !== 0) throw new Error(`bench_first failed: ${k.stderr}`);
  const kz = JSON.parse(fs.readFileSync(kj, "utf8"));
  results.backend = kz.backend;
  results.libs.kzgkit = {};
  for (const r of kz.results)
    if (OPS.includes(r.op))
      results.libs.kzgkit[r.op] = { setup_ms: r.ctx_new_ms, first_ms: r.first_ms, warm_ms: r.warm_ms };

  const peers = LIBS.filter((l) => {
    if (loads(l)) return true;
    console.error(`first.js: ${l.label} (${l.p4844.pkg}) does not load: left out`);
    return false;
  });
  if (!peers.length) {
    console.error("first.js: no peer loads (bench/peers/install.sh installs them)");
    process.exit(2);
  }
  for (const lib of peers) {
    const t = {};
    for (const op of OPS) t[op] = [];
    for (let r = 0; r < o.runs; r++)
      for (let i = 0; i < OPS.length; i++) {
        const op = OPS[(i + r) % OPS.length];
        const c = run(process.execPath, [__filename, "--child", lib.id, op, f4844, f7594, String(o.warm)]);
        if (c.status !== 0) throw new Error(`${lib.label} ${op}: ${c.stderr.trim()}`);
        t[op].push(JSON.parse(c.stdout));
      }
    results.libs[lib.id] = {};
    for (const op of OPS)
      results.libs[lib.id][op] = {
        setup_ms: median(t[op].map((x) => x.setupMs)),
        first_ms: median(t[op].map((x) => x.firstMs)),
        warm_ms: median(t[op].map((x) => x.warmMs)),
      };
  }
  fs.rmSync(tmp, { recursive: true, force: true });

  const names = ["kzgkit", ...peers.map((l) => l.id)];
  const cell = (lib, op) => {
    const v = results.libs[lib][op];
    return v ? `${v.first_ms.toFixed(3)} / ${v.warm_ms.toFixed(3)} = ${(v.first_ms / v.warm_ms).toFixed(3)}` : "n/a";
  };
  console.log(`first call in a fresh process / warm (median ms, ${o.runs} runs, warm = median of ${o.warm} calls); `
    + `kzgkit backend ${results.backend}, 1 thread; peers at their defaults`);
  console.log(["operation".padEnd(30), ...names.map((n) => n.padStart(30))].join(" "));
  for (const op of OPS) console.log([op.padEnd(30), ...names.map((n) => cell(n, op).padStart(30))].join(" "));
  if (o.markdown) {
    console.log(`\n| operation | ${names.map((n) => `${n} first / warm (ms)`).join(" | ")} |`);
    console.log(`|---|${names.map(() => "---").join("|")}|`);
    for (const op of OPS) console.log(`| ${op} | ${names.map((n) => cell(n, op)).join(" | ")} |`);
  }
  if (o.json) fs.writeFileSync(o.json, JSON.stringify(results, null, 1) + "\n");
}

function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === "--child") return child(argv.slice(1));
  const o = parseArgs(argv, {
    "--build": { key: "build", kind: "str" },
    "--runs": { key: "runs", kind: "num", lo: 1, hi: 1000 },
    "--warm": { key: "warm", kind: "num", lo: 1, hi: 100 },
    "--json": { key: "json", kind: "str" },
    "--markdown": { key: "markdown", kind: "flag" },
  }, { build: path.join(__dirname, "..", "..", "build"), runs: 9, warm: 5, json: null, markdown: false }, usage);
  return parent(o);
}

try {
  main();
} catch (e) {
  console.error(`first.js: ${e.message}`);
  process.exit(1);
}
