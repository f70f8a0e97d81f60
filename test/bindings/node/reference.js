#!/usr/bin/env node
// Drives the consensus-spec KZG reference tests through c-kzg's JavaScript API
// (the npm package `c-kzg`: lib/kzg.js over its N-API addon src/kzg.cxx).
//
// It proves that whatever library the addon was linked with — c-kzg's own C, or kzgkit
// through compat/ckzg — answers every case the way the specs do: a case whose output is
// null must throw; any other must return exactly the expected output.
//
//   node reference.js CKZG_PACKAGE_DIR REFERENCE_TESTS_DIR
//
// CKZG_PACKAGE_DIR is an installed or copied c-kzg package (it is `require`d as is; its
// default trusted setup, deps/c-kzg/trusted_setup.txt, is loaded unless
// CKZG_TRUSTED_SETUP names another file). CKZG_PRECOMPUTE (default 0) is passed to
// loadTrustedSetup. The YAML parser (`yaml` or `js-yaml`) is looked up from the package's
// folder upwards, as node resolves the package's own dependencies. Exit status: 0 when nothing failed, 1 otherwise,
// 2 on bad usage.
"use strict";

const fs = require("fs");
const path = require("path");

function usage(msg) {
  if (msg) console.error(`reference.js: ${msg}`);
  console.error("usage: node reference.js CKZG_PACKAGE_DIR REFERENCE_TESTS_DIR");
  process.exit(2);
}

const [pkgDir, refDir] = process.argv.slice(2);
if (!pkgDir || !refDir) usage();
if (!fs.existsSync(path.join(pkgDir, "package.json"))) usage(`no package.json in ${pkgDir}`);
if (!fs.statSync(refDir, { throwIfNoEntry: false })?.isDirectory()) usage(`no folder ${refDir}`);

// The YAML parser: `yaml` (parse) or `js-yaml` (load), resolved as the package itself
// would resolve it (the node_modules folders above it), else next to this script.
function loadYamlParser() {
  const from = [path.resolve(pkgDir), __dirname];
  for (const [name, fn] of [["yaml", "parse"], ["js-yaml", "load"]]) {
    try {
      const mod = require(require.resolve(name, { paths: from }));
      return (text) => mod[fn](text);
    } catch (e) {
      if (e.code !== "MODULE_NOT_FOUND") throw e;
    }
  }
  usage("neither `yaml` nor `js-yaml` can be found next to the package");
}
const parseYaml = loadYamlParser();

const kzg = require(path.resolve(pkgDir));
const precompute = Number(process.env.CKZG_PRECOMPUTE || 0);
kzg.loadTrustedSetup(precompute, process.env.CKZG_TRUSTED_SETUP || undefined);

// ---- Encoding. Every hex string of the reference tests is `0x` + an even number of hex
// digits; anything else is a broken test file, not a case to pass or fail.
function bytes(hex) {
  if (typeof hex !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(hex)) {
    throw new SyntaxError(`not a 0x-prefixed hex string: ${String(hex).slice(0, 40)}`);
  }
  return Uint8Array.from(Buffer.from(hex.slice(2), "hex"));
}
const bytesList = (list) => list.map(bytes);
const hex = (u8) => "0x" + Buffer.from(u8).toString("hex");

// The answer as the reference tests write it: hex strings, booleans and lists of those.
function canonical(value) {
  if (value instanceof Uint8Array) return hex(value);
  if (Array.isArray(value)) return value.map(canonical);
  return value;
}

// ---- One entry per spec function: call(input) → the answer, in the tests' shape.
const functions = {
  blob_to_kzg_commitment: (i) => kzg.blobToKzgCommitment(bytes(i.blob)),
  compute_kzg_proof: (i) => kzg.computeKzgProof(bytes(i.blob), bytes(i.z)),
  compute_blob_kzg_proof: (i) => kzg.computeBlobKzgProof(bytes(i.blob), bytes(i.commitment)),
  verify_kzg_proof: (i) =>
    kzg.verifyKzgProof(bytes(i.commitment), bytes(i.z), bytes(i.y), bytes(i.proof)),
  verify_blob_kzg_proof: (i) =>
    kzg.verifyBlobKzgProof(bytes(i.blob), bytes(i.commitment), bytes(i.proof)),
  verify_blob_kzg_proof_batch: (i) =>
    kzg.verifyBlobKzgProofBatch(bytesList(i.blobs), bytesList(i.commitments), bytesList(i.proofs)),
  compute_cells: (i) => kzg.computeCells(bytes(i.blob)),
  compute_cells_and_kzg_proofs: (i) => kzg.computeCellsAndKzgProofs(bytes(i.blob)),
  recover_cells_and_kzg_proofs: (i) => kzg.recoverCellsAndKzgProofs(i.cell_indices, bytesList(i.cells)),
  verify_cell_kzg_proof_batch: (i) =>
    kzg.verifyCellKzgProofBatch(bytesList(i.commitments), i.cell_indices, bytesList(i.cells), bytesList(i.proofs)),
};

// Spec helpers that c-kzg does not export (its Fiat–Shamir challenges): their cases cannot
// be reached through the binding. They are reported as not run, never as passed.
const notExported = new Set(["compute_challenge", "compute_verify_cell_kzg_proof_batch_challenge"]);

const short = (v) => {
  const s = JSON.stringify(v);
  return s.length > 120 ? s.slice(0, 117) + "..." : s;
};

// Runs one case; returns null when it passes, else why it failed.
function runCase(call, data) {
  const expected = data.output === undefined ? null : data.output;
  let got;
  try {
    got = canonical(call(data.input));
  } catch (e) {
    if (e instanceof SyntaxError) return `broken test file: ${e.message}`;
    return expected === null ? null : `threw ${e.name}: ${e.message}; expected ${short(expected)}`;
  }
  if (expected === null) return `returned ${short(got)}; expected an error`;
  const want = JSON.stringify(canonical(expected)).toLowerCase();
  return JSON.stringify(got) === want ? null : `returned ${short(got)}; expected ${short(expected)}`;
}

const listDirs = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

let passed = 0;
let failed = 0;
const notRun = [];
const summary = [];
for (const fn of listDirs(refDir)) {
  const cases = [];
  for (const suite of listDirs(path.join(refDir, fn))) {
    for (const name of listDirs(path.join(refDir, fn, suite))) {
      cases.push(path.join(refDir, fn, suite, name, "data.yaml"));
    }
  }
  if (notExported.has(fn)) {
    notRun.push(`${fn} (${cases.length})`);
    summary.push(`  ${fn.padEnd(46)} not run: ${cases.length} (not exported by c-kzg)`);
    continue;
  }
  const call = functions[fn];
  let ok = 0;
  let bad = 0;
  for (const file of cases) {
    const name = path.basename(path.dirname(file));
    let why;
    if (!call) {
      why = "no mapping for this function in reference.js";
    } else if (!fs.existsSync(file)) {
      why = "no data.yaml";
    } else {
      why = runCase(call, parseYaml(fs.readFileSync(file, "utf8")));
    }
    if (why === null) {
      ok++;
    } else {
      bad++;
      console.log(`FAIL ${fn}/${name}: ${why}`);
    }
  }
  passed += ok;
  failed += bad;
  summary.push(`  ${fn.padEnd(46)} ${String(ok).padStart(4)} passed ${String(bad).padStart(4)} failed`);
}

console.log("per function:");
for (const line of summary) console.log(line);
if (notRun.length) console.log(`not run (no such function in c-kzg's API): ${notRun.join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
