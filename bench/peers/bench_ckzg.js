#!/usr/bin/env node
// bench/peers/bench_ckzg.js — the EIP-4844 benchmark of bench/bench_eip4844.c, run on c-kzg
// (C on blst, through its Node.js binding), on the same blobs, with the same statistics.
//
//   node bench_ckzg.js [--dump FILE] [--ours FILE] [--iters N] [--batch N] [--seed S]
//                      [--json FILE]
//
// --dump FILE  inputs and kzgkit's outputs written by `bench_eip4844 --dump`: the blobs are
//              taken from it and every kzgkit result is cross-checked against c-kzg's
//              (exit 1 on any difference). Without it the blobs are generated here with the
//              same generator (xoshiro128** seeded by splitmix32) as the C benchmark.
// --ours FILE  kzgkit's `bench_eip4844 --json` results: prints a side-by-side table with the
//              ratio of the medians (kzgkit / c-kzg; below 1 means kzgkit is faster).
// c-kzg loads its setup once per process, so context creation has a single sample.
"use strict";

const fs = require("fs");

const BLOB = 131072;

function usage(msg) {
  if (msg) console.error(`bench_ckzg: ${msg}`);
  console.error("usage: node bench_ckzg.js [--dump FILE] [--ours FILE] [--iters N] [--batch N] [--seed S] [--json FILE]");
  process.exit(2);
}

function parseArgs(argv) {
  const o = { iters: 10, batch: 64, seed: 1, dump: null, ours: null, json: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    const num = (lo, hi) => {
      if (v === undefined || !/^[0-9]+$/.test(v)) usage(`${a}: missing or bad value`);
      const n = Number(v);
      if (n < lo || n > hi) usage(`${a}: ${v} is out of range ${lo}..${hi}`);
      i++;
      return n;
    };
    const str = () => {
      if (v === undefined) usage(`${a}: missing value`);
      i++;
      return v;
    };
    if (a === "--iters") o.iters = num(1, 100000);
    else if (a === "--batch") o.batch = num(1, 4096);
    else if (a === "--seed") o.seed = num(0, 0xffffffff);
    else if (a === "--dump") o.dump = str();
    else if (a === "--ours") o.ours = str();
    else if (a === "--json") o.json = str();
    else if (a === "-h" || a === "--help") usage();
    else usage(`unknown option '${a}'`);
  }
  return o;
}

// ---- the C benchmark's generator, in 32-bit arithmetic ------------------------------------

function makeRng(seed) {
  let x = seed >>> 0;
  const splitmix32 = () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const s = [splitmix32(), splitmix32(), splitmix32(), splitmix32()];
  const rotl = (v, k) => ((v << k) | (v >>> (32 - k))) >>> 0;
  return () => {
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  };
}

function fieldElement(next, out, off) {
  for (let i = 0; i < 8; i++) out.writeUInt32BE(next(), off + 4 * i);
  out[off] &= 0x3f;
}

function generate(n, seed) {
  const next = makeRng(seed);
  const items = [];
  for (let i = 0; i < n; i++) {
    const blob = Buffer.alloc(BLOB);
    for (let e = 0; e < 4096; e++) fieldElement(next, blob, 32 * e);
    const z = Buffer.alloc(32);
    fieldElement(next, z, 0);
    items.push({ blob, z });
  }
  return items;
}

function readDump(file) {
  const buf = fs.readFileSync(file);
  if (buf.length < 16 || buf.toString("latin1", 0, 8) !== "KZGKITB1") {
    throw new Error(`${file}: not a bench_eip4844 dump`);
  }
  const n = buf.readUInt32LE(8);
  const rec = BLOB + 32 + 48 + 48 + 48 + 32;
  if (buf.length !== 16 + n * rec) throw new Error(`${file}: truncated (${n} records expected)`);
  const items = [];
  for (let i = 0, off = 16; i < n; i++) {
    const take = (len) => {
      const b = buf.subarray(off, off + len);
      off += len;
      return b;
    };
    items.push({
      blob: take(BLOB), z: take(32), commitment: take(48), blobProof: take(48),
      zProof: take(48), y: take(32),
    });
  }
  return items;
}

// ---- statistics ---------------------------------------------------------------------------

function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

function summarise(name, v) {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  const mean = s.reduce((a, b) => a + b, 0) / n;
  return { name, samples: n, median_ms: median, min_ms: s[0], max_ms: s[n - 1], mean_ms: mean };
}

// Runs fn(k) once untimed, then `count` timed times; fn must throw on a wrong result.
function measure(name, count, fn) {
  const v = [];
  for (let k = 0; k <= count; k++) {
    const t0 = nowMs();
    fn(k);
    const t = nowMs() - t0;
    if (k > 0) v.push(t);
  }
  return summarise(name, v);
}

function check(cond, what) {
  if (!cond) throw new Error(`c-kzg result check failed: ${what}`);
}

// ---- main ---------------------------------------------------------------------------------

function main() {
  const o = parseArgs(process.argv.slice(2));
  let kzg;
  try {
    kzg = require("c-kzg");
  } catch (e) {
    console.error(`bench_ckzg: cannot load c-kzg (run bench/peers/run.sh): ${e.message}`);
    process.exit(2);
  }
  const pkg = JSON.parse(fs.readFileSync(require.resolve("c-kzg/package.json"), "utf8"));

  const t0 = nowMs();
  kzg.loadTrustedSetup(0); // the mainnet setup shipped with c-kzg (the same points as ours)
  const ctx = summarise("ctx_new", [nowMs() - t0]);

  const items = o.dump ? readDump(o.dump) : generate(o.batch, o.seed);
  const n = items.length;
  const hex = (b) => Buffer.from(b).toString("hex");

  // Reference outputs (and the cross-check against kzgkit's), untimed.
  let mismatches = 0;
  for (const [i, it] of items.entries()) {
    const c = kzg.blobToKzgCommitment(it.blob);
    const bp = kzg.computeBlobKzgProof(it.blob, c);
    const [zp, y] = kzg.computeKzgProof(it.blob, it.z);
    if (it.commitment) {
      const diff = [];
      if (hex(c) !== hex(it.commitment)) diff.push("commitment");
      if (hex(bp) !== hex(it.blobProof)) diff.push("blob proof");
      if (hex(zp) !== hex(it.zProof)) diff.push("proof at z");
      if (hex(y) !== hex(it.y)) diff.push("y");
      if (diff.length) {
        mismatches++;
        if (mismatches <= 5) console.error(`bench_ckzg: item ${i}: kzgkit and c-kzg differ: ${diff.join(", ")}`);
      }
    }
    Object.assign(it, { commitment: c, blobProof: bp, zProof: zp, y });
  }
  if (o.dump) {
    console.log(`cross-check: ${n - mismatches}/${n} items identical (commitment, blob proof, proof at z, y)`);
  }

  const heavy = o.iters;
  const light = 10 * o.iters;
  const blobs = items.map((it) => it.blob);
  const commitments = items.map((it) => it.commitment);
  const proofs = items.map((it) => it.blobProof);
  const rows = [
    ctx,
    measure("blob_to_kzg_commitment", heavy, (k) => {
      const it = items[k % n];
      check(hex(kzg.blobToKzgCommitment(it.blob)) === hex(it.commitment), "commitment");
    }),
    measure("compute_kzg_proof", heavy, (k) => {
      const it = items[k % n];
      check(hex(kzg.computeKzgProof(it.blob, it.z)[0]) === hex(it.zProof), "proof");
    }),
    measure("compute_blob_kzg_proof", heavy, (k) => {
      const it = items[k % n];
      check(hex(kzg.computeBlobKzgProof(it.blob, it.commitment)) === hex(it.blobProof), "blob proof");
    }),
    measure("verify_kzg_proof", light, (k) => {
      const it = items[k % n];
      check(kzg.verifyKzgProof(it.commitment, it.z, it.y, it.zProof), "verify_kzg_proof");
    }),
    measure("verify_blob_kzg_proof", light, (k) => {
      const it = items[k % n];
      check(kzg.verifyBlobKzgProof(it.blob, it.commitment, it.blobProof), "verify_blob_kzg_proof");
    }),
    measure("verify_blob_kzg_proof_batch", heavy, () => {
      check(kzg.verifyBlobKzgProofBatch(blobs, commitments, proofs), "batch");
    }),
  ];

  console.log(`c-kzg ${pkg.version} (node ${process.version}) EIP-4844 benchmark: batch ${n}`);
  const batchName = (r) => (r.name === "verify_blob_kzg_proof_batch" ? `${r.name}[${n}]` : r.name);
  const f = (x) => x.toFixed(4).padStart(12);
  console.log(`${"operation (ms)".padEnd(30)} ${"samples".padStart(8)} ${"median".padStart(12)} ${"min".padStart(12)} ${"max".padStart(12)} ${"mean".padStart(12)}`);
  for (const r of rows) {
    console.log(`${batchName(r).padEnd(30)} ${String(r.samples).padStart(8)} ${f(r.median_ms)} ${f(r.min_ms)} ${f(r.max_ms)} ${f(r.mean_ms)}`);
  }

  if (o.json) {
    const out = { library: "c-kzg", version: pkg.version, node: process.version, batch: n, unit: "ms", results: rows };
    fs.writeFileSync(o.json, JSON.stringify(out, null, 2) + "\n");
  }

  if (o.ours) {
    const ours = JSON.parse(fs.readFileSync(o.ours, "utf8"));
    const byName = new Map(ours.results.map((r) => [r.name, r]));
    console.log("");
    console.log(`side by side: kzgkit ${ours.version} (${ours.backend}, threads ${ours.threads}) vs c-kzg ${pkg.version}; medians in ms`);
    console.log(`${"operation".padEnd(30)} ${"kzgkit".padStart(12)} ${"c-kzg".padStart(12)} ${"ratio".padStart(8)}  verdict`);
    for (const r of rows) {
      const m = byName.get(r.name);
      if (!m) continue;
      const ratio = m.median_ms / r.median_ms;
      const verdict = r.name === "ctx_new" ? "not comparable: c-kzg parses its text setup, kzgkit's is compiled in"
        : ratio < 0.97 ? `kzgkit ${(1 / ratio).toFixed(2)}x faster`
        : ratio > 1.03 ? `kzgkit ${ratio.toFixed(2)}x slower` : "about equal";
      console.log(`${batchName(r).padEnd(30)} ${f(m.median_ms)} ${f(r.median_ms)} ${ratio.toFixed(3).padStart(8)}  ${verdict}`);
    }
    console.log("ratio = kzgkit median / c-kzg median (below 1: kzgkit is faster). c-kzg's ctx_new is one sample: it loads and checks the text setup once per process.");
  }
  if (mismatches) {
    console.error(`bench_ckzg: ${mismatches} item(s) differ between kzgkit and c-kzg`);
    process.exit(1);
  }
}

try {
  main();
} catch (e) {
  console.error(`bench_ckzg: ${e.message}`);
  process.exit(1);
}
