#!/usr/bin/env node
// bench/peers/peer7594.js — one peer configuration's EIP-7594 round, in a process of its own
// (bench_peers.js starts one per configuration per round; see libs.js for why).
//
//   node peer7594.js --lib ID --inputs FILE --iters N --json FILE [--cross-check]
//
// FILE is a `bench_eip7594 --dump` (kzgkit's inputs and outputs). In order: the library's
// load (setup_load, timed), its first computeCellsAndKzgProofs (of blob 0, timed), with
// --cross-check every blob's cells and proofs and the recovery from every blob's even cells
// (untimed), then warm-up + N samples of each operation as bench_eip7594 runs them: cells
// and proofs of blob k mod n, the cell check of blob k's 128 cells, of all n×128 cells, and
// the recovery from blob k's even-indexed 64 cells. Every result, the first included, must
// equal kzgkit's byte for byte (exit 1 otherwise). Writes FILE: the samples, the cross-check
// and the CPU/wall ratio of the timed loops.
"use strict";

const fs = require("fs");
const { CELLS, readCellDump, same, nowMs, measure, parseArgs } = require("./common");
const { PEERS_7594 } = require("./libs");

function usage(msg) {
  if (msg) console.error(`peer7594: ${msg}`);
  console.error("usage: node peer7594.js --lib ID --inputs FILE --iters N --json FILE [--cross-check]");
  process.exit(2);
}

const SPEC = {
  "--lib": { key: "lib", kind: "str" },
  "--inputs": { key: "inputs", kind: "str" },
  "--iters": { key: "iters", kind: "num", lo: 1, hi: 100000 },
  "--json": { key: "json", kind: "str" },
  "--cross-check": { key: "crossCheck", kind: "flag" },
};

function sameAll(a, b) {
  return a.length === b.length && a.every((x, i) => same(x, b[i]));
}

function main() {
  const o = parseArgs(process.argv.slice(2), SPEC, { iters: 4, crossCheck: false }, usage);
  if (!o.lib || !o.inputs || !o.json) usage("--lib, --inputs and --json are required");
  const conf = PEERS_7594.find((c) => c.id === o.lib);
  if (!conf) usage(`unknown --lib '${o.lib}' (${PEERS_7594.map((c) => c.id).join(", ")})`);
  const { items } = readCellDump(o.inputs);
  const n = items.length;
  const even = [...Array(CELLS / 2).keys()].map((i) => 2 * i);
  const evenCells = items.map((it) => even.map((i) => it.cells[i]));
  const blobIdx = [...Array(CELLS).keys()];
  const blobCommitments = items.map((it) => Array(CELLS).fill(it.commitment));
  const allIdx = items.flatMap(() => blobIdx);
  const allCommitments = blobCommitments.flat();
  const allCells = items.flatMap((it) => it.cells);
  const allProofs = items.flatMap((it) => it.proofs);

  const t0 = nowMs();
  const { version, api } = conf.open();
  const setupMs = nowMs() - t0;
  const t1 = nowMs();
  const first = api.cellsAndProofs(items[0].blob);
  const firstMs = nowMs() - t1;
  const expect = (cond, what) => {
    if (!cond) throw new Error(`${conf.label}: ${what} differs from kzgkit's`);
  };
  expect(sameAll(first[0], items[0].cells) && sameAll(first[1], items[0].proofs), "the first call's cells or proofs");

  let cross = null;
  if (o.crossCheck) {
    let identical = 0;
    for (const [b, it] of items.entries()) {
      const [cells, proofs] = api.cellsAndProofs(it.blob);
      const [rc, rp] = api.recover(even, evenCells[b]);
      const diff = [];
      if (!sameAll(cells, it.cells)) diff.push("cells");
      if (!sameAll(proofs, it.proofs)) diff.push("proofs");
      if (!sameAll(rc, it.cells) || !sameAll(rp, it.proofs)) diff.push("recovered cells/proofs");
      if (diff.length) console.error(`peer7594: blob ${b}: kzgkit and ${conf.label} differ: ${diff.join(", ")}`);
      else identical++;
    }
    cross = { blobs: n, identical, parts: "cells, proofs, cells and proofs recovered from the even half" };
    if (identical !== n) throw new Error(`${n - identical} blob(s) differ between kzgkit and ${conf.label}`);
  }

  const at = (k) => k % n;
  const cpu0 = process.cpuUsage();
  const w0 = nowMs();
  const samples = {
    setup_load: [setupMs],
    first_cells_and_kzg_proofs: [firstMs],
    compute_cells_and_kzg_proofs: measure(o.iters, (k) => api.cellsAndProofs(items[at(k)].blob),
      (r, k) => expect(sameAll(r[0], items[at(k)].cells) && sameAll(r[1], items[at(k)].proofs), "cells/proofs")),
    verify_cell_kzg_proof_batch_blob: measure(o.iters,
      (k) => api.verifyCells(blobCommitments[at(k)], blobIdx, items[at(k)].cells, items[at(k)].proofs),
      (r) => expect(r === true, "the cell check of one blob")),
    verify_cell_kzg_proof_batch_all: measure(o.iters,
      () => api.verifyCells(allCommitments, allIdx, allCells, allProofs),
      (r) => expect(r === true, "the cell check of all blobs")),
    recover_cells_and_kzg_proofs: measure(o.iters, (k) => api.recover(even, evenCells[at(k)]),
      (r, k) => expect(sameAll(r[0], items[at(k)].cells) && sameAll(r[1], items[at(k)].proofs), "recovery")),
  };
  const cpu = process.cpuUsage(cpu0);
  const out = {
    id: conf.id, label: conf.label, version, blobs: n, cross_check: cross,
    cpu_per_wall: (cpu.user + cpu.system) / 1e3 / (nowMs() - w0), samples,
  };
  fs.writeFileSync(o.json, JSON.stringify(out) + "\n");
}

try {
  main();
} catch (e) {
  console.error(`peer7594: ${e.message}`);
  process.exit(1);
}
