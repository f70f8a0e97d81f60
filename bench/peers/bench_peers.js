#!/usr/bin/env node
// bench/peers/bench_peers.js — kzgkit, c-kzg and rust-eth-kzg on the same inputs,
// interleaved, side by side: the EIP-4844 suite and the EIP-7594 suite (--suite, default
// all). Started by run.sh, which installs the peers first.
//
//   node bench_peers.js [--suite 4844|7594|all] --kzgkit BENCH --kzgkit-7594 BENCH7594
//                       [--rounds R] [--iters N] [--batch N] [--blobs N] [--seed S]
//                       [--threads N] [--table-window C] [--table-bits C] [--out DIR]
//                       [--markdown]
//
// EIP-4844. BENCH is a built bench_eip4844. Each of R rounds runs every library once, in an
// order that rotates by one each round (kzgkit, c-kzg, rust-eth-kzg; then c-kzg,
// rust-eth-kzg, kzgkit; ...) so that none is always first; in a round each operation is
// warmed up once, then timed --iters times (the two single verifications 10x as many).
// kzgkit runs as a new bench_eip4844 process per round; the peers are loaded once, in this
// process. All samples of all rounds are pooled: the table shows each library's median and
// the ratio peer median / kzgkit median (above 1: kzgkit is faster), then the spread of that
// ratio over the rounds, so the noise of a shared machine shows.
//
// Round 1's bench_eip4844 generates the blobs (--batch, --seed) and dumps them with its
// results; later rounds read them back (--inputs). In round 1 every peer recomputes the
// commitment, both proofs and y of every blob, untimed, and they must equal kzgkit's byte
// for byte (exit 1 otherwise); every timed call's result is checked too. A peer that
// cannot be loaded is left out, and said so. --threads and --table-window go to
// bench_eip4844 only: the peers' 4844 functions are single-threaded and build no tables.
// Writes DIR/summary.json (default out/peers): every sample, the medians, ratios, library
// versions and threads, and the machine (nproc, load average at start and end, date).
//
// EIP-7594. BENCH7594 is a built bench_eip7594 (its --json mode). The libraries are kzgkit
// (--threads, --table-bits: kzg_eip7594_precompute, 0 = FK20 data built by the first call)
// and four peer configurations (libs.js PEERS_7594): c-kzg with loadTrustedSetup(0) and (8),
// rust-eth-kzg with usePrecomp false and true. Every library runs in a fresh process each
// round (peer7594.js for the peers: c-kzg's setup is process-global), rotated as above, so
// each round gives one "setup load" and one "first cells+proofs after load" sample, then
// --iters samples of compute_cells_and_kzg_proofs, verify_cell_kzg_proof_batch of one blob's
// 128 cells and of all --blobs blobs' cells (default 4), and recover_cells_and_kzg_proofs
// from the even-indexed 64 cells. The blobs are bench_eip4844's first --blobs blobs of --seed.
// Round 1's bench_eip7594 dumps the blobs, commitments, cells and proofs; each peer's
// round-1 process recomputes every blob's cells and proofs and the recovery, untimed, and
// they must be kzgkit's byte for byte, as must every timed result in every round (exit 1
// otherwise). Writes DIR/summary-7594.json.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");
const {
  OPS, OPS_7594, CELLS, readDump, same, nowMs, median, summarise, measure, parseArgs,
} = require("./common");
const { PEERS, PEERS_7594 } = require("./libs");

const USAGE = "usage: node bench_peers.js [--suite 4844|7594|all] [--kzgkit BENCH] [--kzgkit-7594 BENCH7594]\n"
  + "                          [--rounds R] [--iters N] [--batch N] [--blobs N] [--seed S] [--threads N]\n"
  + "                          [--table-window C] [--table-bits C] [--out DIR] [--markdown]";

function usage(msg) {
  if (msg) console.error(`bench_peers: ${msg}`);
  console.error(USAGE);
  process.exit(2);
}

function fatal(msg, code) {
  console.error(`bench_peers: ${msg}`);
  process.exit(code);
}

const SPEC = {
  "--suite": { key: "suite", kind: "str" },
  "--kzgkit": { key: "kzgkit", kind: "str" },
  "--kzgkit-7594": { key: "kzgkit7594", kind: "str" },
  "--blobs": { key: "blobs", kind: "num", lo: 1, hi: 64 },
  "--table-bits": { key: "tableBits", kind: "num", lo: 0, hi: 10 },
  "--rounds": { key: "rounds", kind: "num", lo: 1, hi: 1000 },
  "--iters": { key: "iters", kind: "num", lo: 1, hi: 100000 },
  "--batch": { key: "batch", kind: "num", lo: 1, hi: 4096 },
  "--seed": { key: "seed", kind: "num", lo: 0, hi: 0xffffffff },
  "--threads": { key: "threads", kind: "num", lo: 0, hi: 256 },
  "--table-window": { key: "tableWindow", kind: "num", lo: 0, hi: 16 },
  "--out": { key: "out", kind: "str" },
  "--markdown": { key: "markdown", kind: "flag" },
};
const DEFAULTS = {
  suite: "all", kzgkit: null, kzgkit7594: null, blobs: 4, tableBits: 0,
  rounds: 5, iters: 4, batch: 64, seed: 1, threads: 0, tableWindow: 0,
  out: path.join(__dirname, "..", "..", "out", "peers"), markdown: false,
};

// ---- kzgkit: one bench_eip4844 process per round ------------------------------------------

function runKzgkit(o, round, dumpFile, jsonFile) {
  const args = ["--iters", String(o.iters), "--threads", String(o.threads),
    "--table-window", String(o.tableWindow), "--json", jsonFile];
  if (round === 0) args.push("--batch", String(o.batch), "--seed", String(o.seed), "--dump", dumpFile);
  else args.push("--inputs", dumpFile);
  const r = spawnSync(o.kzgkit, args, { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.error) fatal(`cannot run ${o.kzgkit}: ${r.error.message}`, 2);
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    fatal(`${o.kzgkit} failed (exit ${r.status === null ? r.signal : r.status})`, 1);
  }
  const json = JSON.parse(fs.readFileSync(jsonFile, "utf8"));
  const header = r.stdout.split("\n").find((l) => l.startsWith("kzgkit ")) || "";
  const samples = {};
  for (const row of json.results) samples[row.name] = row.samples_ms;
  return { json, header, samples };
}

// ---- the peers: same loops for every adapter ----------------------------------------------

// Round 1, untimed: the peer's commitment, blob proof, proof at z and y of every item must
// be kzgkit's. Returns the number of items that differ (the first few are printed).
function crossCheck(label, api, items) {
  const parts = [];
  let differ = 0;
  for (const [i, it] of items.entries()) {
    const diff = [];
    if (api.commit && !same(api.commit(it.blob), it.commitment)) diff.push("commitment");
    if (api.blobProve && !same(api.blobProve(it.blob, it.commitment), it.blobProof)) diff.push("blob proof");
    if (api.prove) {
      const [zp, y] = api.prove(it.blob, it.z);
      if (!same(zp, it.zProof)) diff.push("proof at z");
      if (!same(y, it.y)) diff.push("y");
    }
    if (diff.length && ++differ <= 5) console.error(`bench_peers: item ${i}: kzgkit and ${label} differ: ${diff.join(", ")}`);
  }
  if (api.commit) parts.push("commitment");
  if (api.blobProve) parts.push("blob proof");
  if (api.prove) parts.push("proof at z, y");
  console.log(`  cross-check ${label}: ${items.length - differ}/${items.length} items identical (${parts.join(", ") || "nothing exposed"})`);
  return differ;
}

function expect(cond, label, what) {
  if (!cond) throw new Error(`${label}: wrong result in the timed loop: ${what}`);
}

// One round of one peer: { op name: samples or null (not exposed) }.
function runPeer(label, api, items, iters) {
  const n = items.length;
  const blobs = items.map((it) => it.blob);
  const commitments = items.map((it) => it.commitment);
  const proofs = items.map((it) => it.blobProof);
  const heavy = iters;
  const light = 10 * iters;
  const at = (k) => items[k % n];
  const loop = (fn, count, run, check) => (fn ? measure(count, run, check) : null);
  return {
    blob_to_kzg_commitment: loop(api.commit, heavy, (k) => api.commit(at(k).blob),
      (r, k) => expect(same(r, at(k).commitment), label, "commitment")),
    compute_kzg_proof: loop(api.prove, heavy, (k) => api.prove(at(k).blob, at(k).z),
      (r, k) => expect(same(r[0], at(k).zProof) && same(r[1], at(k).y), label, "proof at z")),
    compute_blob_kzg_proof: loop(api.blobProve, heavy, (k) => api.blobProve(at(k).blob, at(k).commitment),
      (r, k) => expect(same(r, at(k).blobProof), label, "blob proof")),
    verify_kzg_proof: loop(api.verify, light,
      (k) => api.verify(at(k).commitment, at(k).z, at(k).y, at(k).zProof),
      (r) => expect(r === true, label, "verify_kzg_proof is not true")),
    verify_blob_kzg_proof: loop(api.blobVerify, light,
      (k) => api.blobVerify(at(k).blob, at(k).commitment, at(k).blobProof),
      (r) => expect(r === true, label, "verify_blob_kzg_proof is not true")),
    verify_blob_kzg_proof_batch: loop(api.batch, heavy, () => api.batch(blobs, commitments, proofs),
      (r) => expect(r === true, label, "the batch is not true")),
  };
}

// ---- output -------------------------------------------------------------------------------

const fmtMs = (x, w) => (x === null ? "n/a" : x.toFixed(4)).padStart(w);
const fmtRatio = (x, w) => (x === null ? "n/a" : x.toFixed(3)).padStart(w);
// Four significant digits, never an exponent (ctx_new spans 1e-4 to 1e4 ms).
const sig = (x) => (x === null ? "n/a" : x >= 1000 ? x.toFixed(0) : x.toPrecision(4));

// Everything the tables print, per peer and operation: the pooled medians, their ratio, and
// the per-round ratios' range. ctx_new gets no ratio: the three do different things there.
function compare(libs, ops, noRatio = ["ctx_new"]) {
  const k = libs[0];
  const rows = [];
  for (const op of ops) {
    const km = k.stats[op.name] ? k.stats[op.name].median_ms : null;
    const row = { name: op.name, kzgkit: km, peers: [] };
    for (const p of libs.slice(1)) {
      const s = p.stats[op.name];
      const pm = s ? s.median_ms : null;
      let ratio = null;
      let lo = null;
      let hi = null;
      if (pm !== null && km !== null && !noRatio.includes(op.name)) {
        ratio = pm / km;
        const per = p.roundMedians[op.name].map((m, r) => m / k.roundMedians[op.name][r]);
        lo = Math.min(...per);
        hi = Math.max(...per);
      }
      row.peers.push({ label: p.label, median: pm, ratio, lo, hi });
    }
    rows.push(row);
  }
  return rows;
}

// label(name): the row's name as printed; noRatio: the rows without a ratio ("-").
function printTable(rows, libs, label, noRatio = ["ctx_new"], nameWidth = 32) {
  const w = libs.slice(1).map((p) => Math.max(13, p.label.length));
  let head = `${"operation".padEnd(nameWidth)} ${"kzgkit".padStart(12)}`;
  for (const [i, p] of libs.slice(1).entries()) head += ` ${p.label.padStart(w[i])} ${"ratio".padStart(7)}`;
  console.log(head);
  for (const r of rows) {
    let line = `${label(r.name).padEnd(nameWidth)} ${fmtMs(r.kzgkit, 12)}`;
    for (const [i, p] of r.peers.entries()) {
      line += ` ${fmtMs(p.median, w[i])} ${noRatio.includes(r.name) && p.median !== null ? "-".padStart(7) : fmtRatio(p.ratio, 7)}`;
    }
    console.log(line);
  }
}

function printSpread(rows, libs, rounds, noRatio = ["ctx_new"], nameWidth = 32) {
  console.log(`per-round ratio (peer / kzgkit of each round's medians), min..max over ${rounds} round${rounds > 1 ? "s" : ""} `
    + "(the pooled ratio above can fall outside: it is the ratio of the pooled medians):");
  const w = libs.slice(1).map((p) => Math.max(15, p.label.length));
  let head = "operation".padEnd(nameWidth);
  for (const [i, p] of libs.slice(1).entries()) head += ` ${p.label.padStart(w[i])}`;
  console.log(head);
  for (const r of rows) {
    if (noRatio.includes(r.name)) continue;
    let line = r.name.padEnd(nameWidth);
    for (const [i, p] of r.peers.entries()) line += ` ${(p.lo === null ? "n/a" : `${p.lo.toFixed(2)}..${p.hi.toFixed(2)}`).padStart(w[i])}`;
    console.log(line);
  }
}

function printMarkdown(rows, libs, label, caption, noRatio = ["ctx_new"]) {
  console.log(caption);
  console.log("");
  let head = "| operation | kzgkit (ms) |";
  let rule = "|---|---:|";
  for (const p of libs.slice(1)) {
    head += ` ${p.label} (ms) | ${p.label} / kzgkit |`;
    rule += "---:|---:|";
  }
  console.log(head);
  console.log(rule);
  for (const r of rows) {
    let line = `| ${label(r.name)} | ${sig(r.kzgkit)} |`;
    for (const p of r.peers) {
      const ratio = noRatio.includes(r.name) ? "—"
        : p.ratio === null ? "n/a" : `${p.ratio.toFixed(2)} (${p.lo.toFixed(2)}–${p.hi.toFixed(2)})`;
      line += ` ${sig(p.median)} | ${ratio} |`;
    }
    console.log(line);
  }
}

// ---- main ---------------------------------------------------------------------------------

// What both suites start with: the output folder and the files in it, the date and load at
// start, the CPU count, and kzgkit's entry of the library list.
function startRun(o, dumpName, roundName) {
  fs.mkdirSync(o.out, { recursive: true });
  return {
    dumpFile: path.join(o.out, dumpName),
    roundJson: path.join(o.out, roundName),
    start: { date: new Date().toISOString(), loadavg: os.loadavg() },
    nproc: typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length,
    kzgkit: {
      label: "kzgkit", isKzgkit: true, samples: {}, roundMedians: {},
      threads: Math.max(1, o.threads), version: null, backend: null, header: null,
    },
  };
}

// The EIP-4844 suite: the peers are loaded once, in this process.
function run4844(o) {
  const { dumpFile, roundJson, start, nproc, kzgkit } = startRun(o, "inputs.bin", "kzgkit-round.json");

  // The libraries: kzgkit first (round 1 must start with it: it writes the inputs), then
  // every peer that loads.
  const libs = [kzgkit];
  const missing = [];
  for (const peer of PEERS) {
    let opened;
    try {
      opened = peer.open();
    } catch (e) {
      const why = e.message.split("\n")[0];
      console.log(`${peer.label}: cannot load ${peer.pkg} (${why}); continuing without it`);
      missing.push({ label: peer.label, pkg: peer.pkg, error: why });
      continue;
    }
    libs.push({
      ...peer, ...opened, samples: { ctx_new: [opened.ctxMs] }, roundMedians: {},
      cpuMs: 0, wallMs: 0, crossCheck: null,
    });
  }
  if (libs.length === 1) fatal("no peer library loads (run bench/peers/run.sh to install them)", 2);

  const order = [];
  let items = null;
  for (let r = 0; r < o.rounds; r++) {
    const turn = libs.map((_, i) => libs[(i + r) % libs.length]);
    order.push(turn.map((l) => l.label));
    const took = [];
    for (const lib of turn) {
      const t0 = nowMs();
      let got;
      if (lib.isKzgkit) {
        const run = runKzgkit(o, r, dumpFile, roundJson);
        Object.assign(lib, {
          version: run.json.version, backend: run.json.backend, header: run.header,
          tableWindow: run.json.table_window,
          tableEmbedded: run.json.table_embedded === true,
        });
        got = run.samples;
        if (r === 0) items = readDump(dumpFile).items;
      } else {
        if (!items) fatal("internal: a peer ran before kzgkit wrote the inputs", 1);
        if (r === 0) {
          const differ = crossCheck(lib.label, lib.api, items);
          lib.crossCheck = { items: items.length, identical: items.length - differ };
          if (differ) fatal(`${differ} item(s) differ between kzgkit and ${lib.label}`, 1);
        }
        const cpu0 = process.cpuUsage();
        const w0 = nowMs();
        got = runPeer(lib.label, lib.api, items, o.iters);
        const cpu = process.cpuUsage(cpu0);
        lib.cpuMs += (cpu.user + cpu.system) / 1e3;
        lib.wallMs += nowMs() - w0;
      }
      for (const [name, v] of Object.entries(got)) {
        if (!v) continue;
        (lib.samples[name] = lib.samples[name] || []).push(...v);
        (lib.roundMedians[name] = lib.roundMedians[name] || []).push(median(v));
      }
      took.push(`${lib.label} ${((nowMs() - t0) / 1e3).toFixed(1)} s`);
    }
    console.log(`round ${r + 1}/${o.rounds}: ${took.join(", ")} (load ${os.loadavg()[0].toFixed(2)})`);
  }
  const end = { date: new Date().toISOString(), loadavg: os.loadavg() };
  for (const lib of libs) {
    lib.stats = {};
    for (const op of OPS) lib.stats[op.name] = lib.samples[op.name] ? summarise(lib.samples[op.name]) : null;
  }

  // The table.
  const rows = compare(libs, OPS);
  const n = items.length;
  const fmtLoad = (l) => l.map((x) => x.toFixed(2)).join(" ");
  console.log("");
  console.log(`EIP-4844 side by side: medians of all samples pooled over ${o.rounds} interleaved rounds, in ms; `
    + "ratio = peer median / kzgkit median (above 1: kzgkit is faster)");
  console.log(`  kzgkit ${kzgkit.version}: backend ${kzgkit.backend}, threads ${kzgkit.threads}, `
    + `table window ${kzgkit.tableWindow}${kzgkit.tableEmbedded ? " (embedded)" : ""} (${o.kzgkit})`);
  for (const p of libs.slice(1)) {
    console.log(`  ${p.label} ${p.version}: threads ${p.threads}, measured CPU/wall ${(p.cpuMs / p.wallMs).toFixed(2)} `
      + `(${p.threadsNote})`);
  }
  for (const m of missing) console.log(`  ${m.label}: not run (${m.pkg} does not load)`);
  console.log(`  batch ${n}, seed ${o.seed}; per library ${o.rounds * o.iters} samples per operation, `
    + `${o.rounds * o.iters * 10} for the two single verifications; nproc ${nproc}, `
    + `load ${fmtLoad(start.loadavg)} at start, ${fmtLoad(end.loadavg)} at end`);
  printTable(rows, libs, (name) => (name === "verify_blob_kzg_proof_batch" ? `${name}[${n}]` : name));
  console.log("ctx_new is not comparable: kzgkit's setup is compiled in"
    + (kzgkit.tableWindow && !kzgkit.tableEmbedded
      ? ` (the row includes building its window-${kzgkit.tableWindow} tables)` : "")
    + `; ${libs.slice(1).map((p) => `${p.label} ${p.setup}`).join("; ")}; `
    + "the peers create one context per process: one sample each.");
  console.log("");
  printSpread(rows, libs, o.rounds);
  if (o.markdown) {
    console.log("");
    const k = `kzgkit ${kzgkit.version} (${kzgkit.backend}, ${kzgkit.threads} thread${kzgkit.threads > 1 ? "s" : ""}`
      + `${kzgkit.tableWindow ? `, table window ${kzgkit.tableWindow}${kzgkit.tableEmbedded ? " (embedded)" : ""}` : ""})`;
    const peers = libs.slice(1).map((p) => `${p.label} ${p.version} (1 thread)`).join(", ");
    printMarkdown(rows, libs, (name) => (name === "verify_blob_kzg_proof_batch" ? `${name} (${n})` : name),
      `${k} vs ${peers}; ${start.date.slice(0, 10)}, nproc ${nproc}, `
      + `load ${start.loadavg[0].toFixed(2)}–${end.loadavg[0].toFixed(2)}; medians in ms of ${o.rounds} interleaved `
      + `rounds × ${o.iters} iteration${o.iters > 1 ? "s" : ""}, batch ${n}; ratio = peer / kzgkit (above 1: kzgkit is faster), `
      + "in brackets the range of the per-round ratios.");
  }

  // summary.json: everything above, and every sample.
  const opsOut = (lib) => {
    const out = {};
    for (const op of OPS) {
      if (!lib.stats[op.name]) continue;
      out[op.name] = {
        ...lib.stats[op.name], round_medians_ms: lib.roundMedians[op.name] || [],
        samples_ms: lib.samples[op.name],
      };
    }
    return out;
  };
  const summary = {
    benchmark: "bench/peers EIP-4844 side by side",
    ratio: "peer median / kzgkit median (above 1: kzgkit is faster)",
    date_start: start.date,
    date_end: end.date,
    machine: {
      nproc, cpu: (os.cpus()[0] || {}).model || null, platform: `${os.platform()} ${os.release()}`,
      node: process.version, loadavg_start: start.loadavg, loadavg_end: end.loadavg,
    },
    options: {
      rounds: o.rounds, iters: o.iters, batch: n, seed: o.seed, threads: o.threads, table_window: o.tableWindow,
    },
    round_orders: order,
    libraries: {
      kzgkit: {
        version: kzgkit.version, build_dir: path.dirname(o.kzgkit), binary: o.kzgkit,
        backend: kzgkit.backend, header: kzgkit.header, threads_option: o.threads, threads: kzgkit.threads,
        table_window: kzgkit.tableWindow, table_embedded: !!kzgkit.tableEmbedded, ops: opsOut(kzgkit),
      },
    },
    ratios: {},
  };
  for (const p of libs.slice(1)) {
    summary.libraries[p.label] = {
      package: p.pkg, version: p.version, threads: p.threads, threads_note: p.threadsNote,
      cpu_per_wall: p.cpuMs / p.wallMs, setup: p.setup, cross_check: p.crossCheck, ops: opsOut(p),
    };
    summary.ratios[p.label] = {};
  }
  for (const m of missing) summary.libraries[m.label] = { package: m.pkg, loaded: false, error: m.error };
  for (const r of rows) {
    for (const p of r.peers) {
      if (p.ratio !== null) summary.ratios[p.label][r.name] = { ratio: p.ratio, round_min: p.lo, round_max: p.hi };
    }
  }
  const summaryFile = path.join(o.out, "summary.json");
  fs.writeFileSync(summaryFile, JSON.stringify(summary, null, 2) + "\n");
  console.log(`\nwrote ${summaryFile}`);
  // batch × 128 KiB of generated data, and the last round's kzgkit results (in the summary).
  fs.rmSync(dumpFile, { force: true });
  fs.rmSync(roundJson, { force: true });
}

// ---- the EIP-7594 suite: every library in a process of its own, every round ---------------

// The rows as printed, and the rows without a ratio: kzgkit's setup is compiled in, so its
// load time says nothing against a peer's.
const LABEL_7594 = {
  setup_load: "setup load",
  first_cells_and_kzg_proofs: "first cells+proofs after load",
  compute_cells_and_kzg_proofs: "compute_cells_and_kzg_proofs",
  verify_cell_kzg_proof_batch_blob: `verify_cell_kzg_proof_batch[${CELLS}]`,
  verify_cell_kzg_proof_batch_all: null, // with the blob count: see run7594
  recover_cells_and_kzg_proofs: `recover_cells_and_kzg_proofs[${CELLS / 2} even]`,
};
const NO_RATIO_7594 = ["setup_load"];

// Runs a child, returns its parsed JSON; exit 1 (with its output) when it fails.
function runChild(what, cmd, args, jsonFile) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.error) fatal(`cannot run ${cmd}: ${r.error.message}`, 2);
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    fatal(`${what} failed (exit ${r.status === null ? r.signal : r.status})`, 1);
  }
  return { json: JSON.parse(fs.readFileSync(jsonFile, "utf8")), stdout: r.stdout };
}

function runKzgkit7594(o, round, dumpFile, jsonFile) {
  const args = ["--iters", String(o.iters), "--threads", String(o.threads),
    "--table-bits", String(o.tableBits), "--json", jsonFile];
  if (round === 0) args.push("--blobs", String(o.blobs), "--seed", String(o.seed), "--dump", dumpFile);
  else args.push("--inputs", dumpFile);
  const { json, stdout } = runChild(o.kzgkit7594, o.kzgkit7594, args, jsonFile);
  const samples = {};
  for (const row of json.results) samples[row.name] = row.samples_ms;
  return { json, samples, header: stdout.split("\n").find((l) => l.startsWith("kzgkit ")) || "" };
}

function run7594(o) {
  const { dumpFile, roundJson, start, nproc, kzgkit } = startRun(o, "cells.bin", "round-7594.json");
  const libs = [kzgkit];
  const missing = [];
  for (const conf of PEERS_7594) {
    try {
      require(conf.pkg);
    } catch (e) {
      const why = e.message.split("\n")[0];
      console.log(`${conf.label}: cannot load ${conf.pkg} (${why}); continuing without it`);
      missing.push({ label: conf.label, pkg: conf.pkg, error: why });
      continue;
    }
    libs.push({ ...conf, samples: {}, roundMedians: {}, cpuPerWall: [], crossCheck: null, version: null });
  }
  if (libs.length === 1) fatal("no peer library loads (run bench/peers/run.sh to install them)", 2);

  const order = [];
  let blobs = null;
  for (let r = 0; r < o.rounds; r++) {
    const turn = libs.map((_, i) => libs[(i + r) % libs.length]);
    order.push(turn.map((l) => l.label));
    const took = [];
    for (const lib of turn) {
      const t0 = nowMs();
      let got;
      if (lib.isKzgkit) {
        const run = runKzgkit7594(o, r, dumpFile, roundJson);
        Object.assign(lib, { version: run.json.version, backend: run.json.backend, header: run.header });
        blobs = run.json.blobs;
        got = run.samples;
      } else {
        if (blobs === null) fatal("internal: a peer ran before kzgkit wrote the inputs", 1);
        const args = [path.join(__dirname, "peer7594.js"), "--lib", lib.id, "--inputs", dumpFile,
          "--iters", String(o.iters), "--json", roundJson];
        if (r === 0) args.push("--cross-check");
        const { json } = runChild(`${lib.label} (peer7594.js)`, process.execPath, args, roundJson);
        lib.version = json.version;
        lib.cpuPerWall.push(json.cpu_per_wall);
        if (r === 0) {
          lib.crossCheck = json.cross_check;
          console.log(`  cross-check ${lib.label}: ${json.cross_check.identical}/${json.cross_check.blobs} blobs `
            + `identical (${json.cross_check.parts}; and every timed result)`);
        }
        got = json.samples;
      }
      for (const [name, v] of Object.entries(got)) {
        (lib.samples[name] = lib.samples[name] || []).push(...v);
        (lib.roundMedians[name] = lib.roundMedians[name] || []).push(median(v));
      }
      took.push(`${lib.label} ${((nowMs() - t0) / 1e3).toFixed(1)} s`);
    }
    console.log(`round ${r + 1}/${o.rounds}: ${took.join(", ")} (load ${os.loadavg()[0].toFixed(2)})`);
  }
  const end = { date: new Date().toISOString(), loadavg: os.loadavg() };
  for (const lib of libs) {
    lib.stats = {};
    for (const op of OPS_7594) lib.stats[op.name] = lib.samples[op.name] ? summarise(lib.samples[op.name]) : null;
  }

  const rows = compare(libs, OPS_7594, NO_RATIO_7594);
  const label = (name) => LABEL_7594[name]
    || `verify_cell_kzg_proof_batch[${blobs}×${CELLS}]`;
  const fmtLoad = (l) => l.map((x) => x.toFixed(2)).join(" ");
  const cpuWall = (p) => median(p.cpuPerWall);
  console.log("");
  console.log(`EIP-7594 side by side: medians of all samples pooled over ${o.rounds} interleaved rounds, in ms; `
    + "ratio = peer median / kzgkit median (above 1: kzgkit is faster)");
  console.log(`  kzgkit ${kzgkit.version}: backend ${kzgkit.backend}, threads ${kzgkit.threads}, table bits ${o.tableBits} `
    + `(${o.tableBits ? "FK20 tables built at setup load" : "FK20 data built lazily by the first call"}; ${o.kzgkit7594})`);
  for (const p of libs.slice(1)) {
    console.log(`  ${p.label} ${p.version}: threads ${p.threads}, measured CPU/wall ${cpuWall(p).toFixed(2)}; `
      + `${p.setup} (${p.threadsNote})`);
  }
  for (const m of missing) console.log(`  ${m.label}: not run (${m.pkg} does not load)`);
  console.log(`  ${blobs} blobs, seed ${o.seed} (bench_eip4844's first ${blobs} blobs of that seed); `
    + `per library and round a fresh process: one setup load and one first call, then ${o.iters} samples `
    + `per operation; nproc ${nproc}, load ${fmtLoad(start.loadavg)} at start, ${fmtLoad(end.loadavg)} at end`);
  printTable(rows, libs, label, NO_RATIO_7594, 38);
  console.log("setup load has no ratio: kzgkit's setup is compiled in (kzg_ctx_new"
    + (o.tableBits ? ` + kzg_eip7594_precompute(${o.tableBits})` : "") + "); the first call after load includes "
    + "whatever a library builds lazily (kzgkit's FK20 data when table bits = 0).");
  console.log("");
  printSpread(rows, libs, o.rounds, NO_RATIO_7594, 38);
  if (o.markdown) {
    console.log("");
    const k = `kzgkit ${kzgkit.version} (${kzgkit.backend}, ${kzgkit.threads} thread${kzgkit.threads > 1 ? "s" : ""}`
      + `${o.tableBits ? `, table bits ${o.tableBits}` : ""})`;
    const peers = libs.slice(1).map((p) => `${p.label} ${p.version}`).join(", ");
    printMarkdown(rows, libs, label, `${k} vs ${peers} (peers on 1 thread); ${start.date.slice(0, 10)}, nproc ${nproc}, `
      + `load ${start.loadavg[0].toFixed(2)}–${end.loadavg[0].toFixed(2)}; medians in ms of ${o.rounds} interleaved `
      + `rounds × ${o.iters} iteration${o.iters > 1 ? "s" : ""} (setup load and first call: one per round), ${blobs} blobs; `
      + "ratio = peer / kzgkit (above 1: kzgkit is faster), in brackets the range of the per-round ratios.",
    NO_RATIO_7594);
  }

  const opsOut = (lib) => {
    const out = {};
    for (const op of OPS_7594) {
      if (!lib.stats[op.name]) continue;
      out[op.name] = {
        ...lib.stats[op.name], round_medians_ms: lib.roundMedians[op.name] || [], samples_ms: lib.samples[op.name],
      };
    }
    return out;
  };
  const summary = {
    benchmark: "bench/peers EIP-7594 side by side",
    ratio: "peer median / kzgkit median (above 1: kzgkit is faster)",
    date_start: start.date,
    date_end: end.date,
    machine: {
      nproc, cpu: (os.cpus()[0] || {}).model || null, platform: `${os.platform()} ${os.release()}`,
      node: process.version, loadavg_start: start.loadavg, loadavg_end: end.loadavg,
    },
    options: { rounds: o.rounds, iters: o.iters, blobs, seed: o.seed, threads: o.threads, table_bits: o.tableBits },
    round_orders: order,
    libraries: {
      kzgkit: {
        version: kzgkit.version, binary: o.kzgkit7594, backend: kzgkit.backend, header: kzgkit.header,
        threads_option: o.threads, threads: kzgkit.threads, table_bits: o.tableBits, ops: opsOut(kzgkit),
      },
    },
    ratios: {},
  };
  for (const p of libs.slice(1)) {
    summary.libraries[p.label] = {
      package: p.pkg, version: p.version, threads: p.threads, threads_note: p.threadsNote, setup: p.setup,
      cpu_per_wall_rounds: p.cpuPerWall, cross_check: p.crossCheck, ops: opsOut(p),
    };
    summary.ratios[p.label] = {};
  }
  for (const m of missing) summary.libraries[m.label] = { package: m.pkg, loaded: false, error: m.error };
  for (const r of rows) {
    for (const p of r.peers) {
      if (p.ratio !== null) summary.ratios[p.label][r.name] = { ratio: p.ratio, round_min: p.lo, round_max: p.hi };
    }
  }
  const summaryFile = path.join(o.out, "summary-7594.json");
  fs.writeFileSync(summaryFile, JSON.stringify(summary, null, 2) + "\n");
  console.log(`\nwrote ${summaryFile}`);
  fs.rmSync(dumpFile, { force: true });
  fs.rmSync(roundJson, { force: true });
}

function main() {
  const o = parseArgs(process.argv.slice(2), SPEC, DEFAULTS, usage);
  if (!["4844", "7594", "all"].includes(o.suite)) usage(`--suite: '${o.suite}' is not 4844, 7594 or all`);
  const want4844 = o.suite !== "7594";
  const want7594 = o.suite !== "4844";
  if (want4844 && !o.kzgkit) usage("--kzgkit BENCH is required (the bench_eip4844 binary)");
  if (want7594 && !o.kzgkit7594) usage("--kzgkit-7594 BENCH7594 is required (the bench_eip7594 binary)");
  if (o.kzgkit) o.kzgkit = path.resolve(o.kzgkit);
  if (o.kzgkit7594) o.kzgkit7594 = path.resolve(o.kzgkit7594);
  if (want4844) run4844(o);
  if (want4844 && want7594) console.log("");
  if (want7594) run7594(o);
}

try {
  main();
} catch (e) {
  console.error(`bench_peers: ${e.message}`);
  process.exit(1);
}
