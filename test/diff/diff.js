#!/usr/bin/env node
// test/diff/diff.js — differential test of kzgkit against c-kzg and rust-eth-kzg.
//
//   node diff.js --url http://127.0.0.1:PORT [--cases N | --minutes M] [--seed S]
//                [--replay SEED:CASE [--dump FILE]] [--peers DIR] [--max-seconds T]
//
// kzgkit is reached through `kzgkit serve` (tools/service/service.h: POST /v1/FUNCTION,
// binary layouts, or JSON where a case needs a length the binary layout cannot express);
// the peers are the npm packages pinned in bench/peers/package.json (c-kzg 4.1.0, C on blst;
// @crate-crypto/node-eth-kzg 0.10.0, rust-eth-kzg), loaded from DIR/node_modules (default
// bench/peers). test/diff/run.sh installs them, starts the service and runs this.
//
// Case k of seed S is drawn from its own generator, seeded by (S, k) alone, so any case
// replays without the ones before it (--replay S:k prints its inputs and every answer). The
// valid material (blobs with their commitments, proofs, cells) comes from small pools that
// c-kzg computes lazily, also seeded by (S, generation, slot), where a generation is
// POOL_SPAN consecutive cases. Each case names a function and a class (CLASSES below) and
// what the consensus specs answer for it (reject, true, false, or an output, sometimes the
// exact output). Three answers are compared: identical bytes, identical verdicts, rejection
// exactly where kzgkit rejects. kzgkit must also give the spec's answer. A peer that differs
// from kzgkit in a way listed in KNOWN (with kzgkit on the spec's side) is counted apart; any
// other difference is a mismatch: printed with a replay command, and the exit status is 1.
//
// Output: per function × class, the cases, kzgkit's answers, and per peer the agreements,
// known disagreements and mismatches; then the totals and the duration. --minutes runs until
// the time is up (a progress line each minute); --cases runs case 0..N-1 (the CI mode).
// Exit: 0 all agree, 1 a mismatch (or the time cap reached first), 2 a setup problem.
"use strict";

const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

// ---- constants ---------------------------------------------------------------------------

const BLOB = 131072;
const FE = 32;
const G1 = 48;
const CELL = 2048;
const CELLS = 128;
const FIELD_ELEMENTS = 4096;
// BLS12-381: the base field p, the scalar field r (BLS_MODULUS), G1's generator (compressed).
const P = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaabn;
const R = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;
const G1_GENERATOR = "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb";
const PRIMITIVE_ROOT = 7n; // the specs' PRIMITIVE_ROOT_OF_UNITY
const POOL_SPAN = 400;     // cases per pool generation
const POOL_4844 = 6;       // blobs with commitment, blob proof and two evaluation proofs
const POOL_7594 = 2;       // blobs with their 128 cells and proofs

// ---- the case generator's random numbers: xoshiro128** seeded through a 32-bit mixer ----

function mix32(x) {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d);
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

class Rng {
  // One stream per (seed, stream, index): the case generators and the pool slots.
  constructor(seed, stream, index) {
    let h = mix32((seed ^ 0x9e3779b9) >>> 0);
    h = mix32((h ^ stream) >>> 0);
    h = mix32((h ^ index) >>> 0);
    this.s = new Uint32Array(4);
    for (let i = 0; i < 4; i++) this.s[i] = mix32((h + Math.imul(i + 1, 0x9e3779b9)) >>> 0);
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
  }

  u32() {
    const s = this.s;
    const x = Math.imul(s[1], 5);
    const out = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >>> 21);
    return out;
  }

  below(n) { return Math.floor((this.u32() / 4294967296) * n); }
  range(lo, hi) { return lo + this.below(hi - lo + 1); } // inclusive
  chance(p) { return this.u32() / 4294967296 < p; }
  pick(a) { return a[this.below(a.length)]; }

  bytes(n) {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const w = this.u32();
      for (let j = 0; j < 4 && i + j < n; j++) b[i + j] = (w >>> (8 * j)) & 255;
    }
    return b;
  }

  // k distinct values of [0, n) in random order.
  distinct(k, n) {
    const a = [...Array(n).keys()];
    for (let i = 0; i < k; i++) {
      const j = i + this.below(n - i);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a.slice(0, k);
  }
}

// ---- integers and field elements ---------------------------------------------------------

function toBig(b) { return b.length ? BigInt("0x" + Buffer.from(b).toString("hex")) : 0n; }

function toBytes(x, n) {
  const h = x.toString(16).padStart(2 * n, "0");
  if (h.length > 2 * n) throw new Error(`toBytes: ${x} does not fit in ${n} bytes`);
  return new Uint8Array(Buffer.from(h, "hex"));
}

function modpow(b, e, m) {
  let r = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

// The spec's evaluation domain in bit-reversed order: compute_roots_of_unity(4096) then
// bit_reversal_permutation. A blob's element i is the polynomial's value at ROOTS_BRP[i].
const ROOTS_BRP = (() => {
  const w = modpow(PRIMITIVE_ROOT, (R - 1n) / BigInt(FIELD_ELEMENTS), R);
  const roots = [];
  for (let i = 0, x = 1n; i < FIELD_ELEMENTS; i++, x = (x * w) % R) roots.push(x);
  const rev = (i) => parseInt(i.toString(2).padStart(12, "0").split("").reverse().join(""), 2);
  return roots.map((_, i) => roots[rev(i)]);
})();

// ---- the specs' recovery, in BigInt ------------------------------------------------------
//
// recover_polynomialcoeff of the Fulu specs step by step (vanishing polynomial of the
// missing cells, (E·Z) over the roots, division over the coset 7·ω^i), then the truncation
// to FIELD_ELEMENTS_PER_BLOB coefficients, then the cells of that polynomial. Used where the
// cells do not come from one blob (inconsistent_cells): there the truncation decides the
// answer. ~0.5 s a call.

const EXT = 2 * FIELD_ELEMENTS;
const SHIFT = 7n; // the specs' coset shift (PRIMITIVE_ROOT_OF_UNITY)

function fftField(vals, inv) { // radix-2, natural order in and out; length a power of 2
  const n = vals.length;
  let w = modpow(PRIMITIVE_ROOT, (R - 1n) / BigInt(n), R);
  if (inv) w = modpow(w, R - 2n, R);
  const a = vals.slice();
  const bits = Math.log2(n);
  for (let i = 0; i < n; i++) { // bit-reversal
    const j = parseInt(i.toString(2).padStart(bits, "0").split("").reverse().join(""), 2);
    if (j > i) [a[i], a[j]] = [a[j], a[i]];
  }
  for (let len = 2; len <= n; len <<= 1) {
    const wl = modpow(w, BigInt(n / len), R);
    const tw = [1n];
    for (let i = 1; i < len / 2; i++) tw.push((tw[i - 1] * wl) % R);
    for (let i = 0; i < n; i += len) {
      for (let j = 0; j < len / 2; j++) {
        const u = a[i + j];
        const v = (a[i + j + len / 2] * tw[j]) % R;
        a[i + j] = (u + v) % R;
        a[i + j + len / 2] = (u - v + R) % R;
      }
    }
  }
  if (inv) {
    const ninv = modpow(BigInt(n), R - 2n, R);
    for (let i = 0; i < n; i++) a[i] = (a[i] * ninv) % R;
  }
  return a;
}

function batchInverse(a) {
  const pre = [];
  let acc = 1n;
  for (const x of a) { pre.push(acc); acc = (acc * x) % R; }
  let inv = modpow(acc, R - 2n, R);
  const out = new Array(a.length);
  for (let i = a.length - 1; i >= 0; i--) { out[i] = (inv * pre[i]) % R; inv = (inv * a[i]) % R; }
  return out;
}

function brp(a) {
  const bits = Math.log2(a.length);
  return a.map((_, i) => a[parseInt(i.toString(2).padStart(bits, "0").split("").reverse().join(""), 2)]);
}

function specRecoveredCells(indices, cells) {
  const per = CELL / FE; // 64
  const rbo = new Array(EXT).fill(0n);
  indices.forEach((c, k) => {
    for (let j = 0; j < per; j++) rbo[c * per + j] = toBig(cells[k].subarray(j * FE, j * FE + FE));
  });
  const ev = brp(rbo);
  const present = new Set(indices);
  // The roots of unity of order 128, bit-reversed: reduced[i] = ω_128^rev7(i).
  const w128 = modpow(PRIMITIVE_ROOT, (R - 1n) / BigInt(CELLS), R);
  const reduced = brp(Array.from({ length: CELLS }, (_, i) => modpow(w128, BigInt(i), R)));
  let short = [1n];
  for (let i = 0; i < CELLS; i++) {
    if (present.has(i)) continue;
    const x = reduced[i];
    const next = new Array(short.length + 1).fill(0n);
    for (let j = 0; j < short.length; j++) {
      next[j + 1] = (next[j + 1] + short[j]) % R;
      next[j] = (next[j] - ((short[j] * x) % R) + R) % R;
    }
    short = next;
  }
  const zc = new Array(EXT).fill(0n);
  short.forEach((c, i) => { zc[i * per] = c; });
  const zev = fftField(zc, false);
  const ez = fftField(ev.map((x, i) => (x * zev[i]) % R), true);
  const shift = (a, s) => { let p = 1n; return a.map((x) => { const y = (x * p) % R; p = (p * s) % R; return y; }); };
  const ezCoset = fftField(shift(ez, SHIFT), false);
  const zCoset = fftField(shift(zc, SHIFT), false);
  const zInv = batchInverse(zCoset); // never 0: 7^64 is no root of unity
  const q = ezCoset.map((x, i) => (x * zInv[i]) % R);
  const coeff = shift(fftField(q, true), modpow(SHIFT, R - 2n, R)).slice(0, FIELD_ELEMENTS);
  const out = brp(fftField([...coeff, ...new Array(EXT - FIELD_ELEMENTS).fill(0n)], false));
  return Buffer.concat(out.map((x) => Buffer.from(toBytes(x, FE))));
}

// Non-canonical scalars: the named edges and a random value in [r, 2^256).
function nonCanonical(rng) {
  const k = rng.below(4);
  if (k === 0) return { what: "r", bytes: toBytes(R, FE) };
  if (k === 1) return { what: "r+1", bytes: toBytes(R + 1n, FE) };
  if (k === 2) return { what: "2^256-1", bytes: toBytes((1n << 256n) - 1n, FE) };
  const x = R + (toBig(rng.bytes(FE)) % ((1n << 256n) - R));
  return { what: "random >= r", bytes: toBytes(x, FE) };
}

const EDGE_SCALARS = [0n, 1n, 2n, R - 1n, R - 2n, (R - 1n) / 2n, 1n << 128n, R >> 1n];

// A canonical scalar, edge-biased: one in eight from EDGE_SCALARS.
function scalar(rng) {
  if (rng.chance(0.125)) return toBytes(rng.pick(EDGE_SCALARS), FE);
  return toBytes(toBig(rng.bytes(FE)) % R, FE);
}

// A random blob in one of a few styles (random, small values, sparse, edge values, zero).
function blob(rng) {
  const b = new Uint8Array(BLOB);
  const style = rng.below(8);
  if (style === 7) return b; // all zero
  for (let i = 0; i < FIELD_ELEMENTS; i++) {
    const o = i * FE;
    if (style <= 3) { // random: a first byte below 0x73 keeps it under r
      b.set(rng.bytes(FE), o);
      b[o] = rng.below(0x73);
    } else if (style === 4) { // small values
      b.set(rng.bytes(8), o + 24);
    } else if (style === 5 && !rng.chance(1 / 64)) { // sparse
      continue;
    }
    if (style >= 5 || rng.chance(1 / 64)) b.set(toBytes(rng.pick(EDGE_SCALARS), FE), o);
  }
  return b;
}

// blob with element i replaced (a copy).
function withElement(b, i, fe) {
  const c = Uint8Array.from(b);
  c.set(fe, i * FE);
  return c;
}

// A copy of cell (or blob) data with element i changed and still canonical: its low bit
// flipped, or r-1 (whose flip would be r) made r-2.
function flipElement(data, i) {
  const c = Uint8Array.from(data);
  const v = toBig(c.subarray(i * FE, i * FE + FE));
  c.set(toBytes((v ^ 1n) < R ? v ^ 1n : v - 1n, FE), i * FE);
  return c;
}

function addOne(fe) { return toBytes((toBig(fe) + 1n) % R, FE); }

// ---- G1 encodings -------------------------------------------------------------------------

const INFINITY = (() => { const b = new Uint8Array(G1); b[0] = 0xc0; return b; })();
const GENERATOR = new Uint8Array(Buffer.from(G1_GENERATOR, "hex"));

// Compressed encoding of x with the flag bits of `flags` (0x80 compressed, 0x40 infinity,
// 0x20 sign).
function encodeX(x, flags) {
  const b = toBytes(x, G1);
  b[0] |= flags;
  return b;
}

function legendre(a) { return modpow(a % P, (P - 1n) / 2n, P); }

// A random x < p with x^3 + 4 a square (onCurve) or not.
function curveX(rng, onCurve) {
  for (let i = 0; i < 256; i++) {
    const x = toBig(rng.bytes(G1)) % P;
    const l = legendre(x * x * x + 4n);
    if ((l === 1n) === onCurve) return x;
  }
  throw new Error("curveX: no x in 256 tries"); // probability 2^-256
}

function negate(point) { // a valid non-infinity point's negation: the sign bit flipped
  const b = Uint8Array.from(point);
  if (!(b[0] & 0x40)) b[0] ^= 0x20;
  return b;
}

// A malformed G1 encoding (each rejected by the specs' validate_kzg_g1 / bytes_to_kzg_*).
// `valid` is a valid non-infinity point whose flags the flag classes damage.
function badPoint(rng, valid) {
  const kinds = ["off_curve", "not_in_subgroup", "x_ge_p", "no_compression_flag",
    "infinity_flag_on_point", "infinity_with_sign", "infinity_with_x", "infinity_uncompressed"];
  const kind = rng.pick(kinds);
  let b;
  switch (kind) {
  case "off_curve": b = encodeX(curveX(rng, false), 0x80 | (rng.chance(0.5) ? 0x20 : 0)); break;
  // On E(Fp) but with overwhelming probability (1 - 1/h, h the cofactor ~2^126) not in G1.
  case "not_in_subgroup": b = encodeX(curveX(rng, true), 0x80 | (rng.chance(0.5) ? 0x20 : 0)); break;
  case "x_ge_p": {
    const x = rng.pick([P, P + 1n, P + BigInt(rng.range(2, 1 << 30)), (1n << 381n) - 1n]);
    b = encodeX(x, 0x80 | (rng.chance(0.5) ? 0x20 : 0));
    break;
  }
  case "no_compression_flag": b = Uint8Array.from(valid); b[0] &= 0x7f; break;
  case "infinity_flag_on_point": b = Uint8Array.from(valid); b[0] |= 0x40; break;
  case "infinity_with_sign": b = Uint8Array.from(INFINITY); b[0] |= 0x20; break;
  case "infinity_with_x": b = Uint8Array.from(INFINITY); b[rng.range(1, G1 - 1)] = rng.range(1, 255); break;
  case "infinity_uncompressed": b = new Uint8Array(G1); b[0] = 0x40; break;
  }
  return { kind, bytes: b };
}

// ---- the peers ----------------------------------------------------------------------------

function loadPeers(dir) {
  const req = createRequire(path.join(dir, "package.json"));
  const kzg = req("c-kzg");
  const { DasContextJs } = req("@crate-crypto/node-eth-kzg");
  const version = (pkg) => JSON.parse(fs.readFileSync(req.resolve(`${pkg}/package.json`), "utf8")).version;
  kzg.loadTrustedSetup(0); // the mainnet setup shipped with c-kzg; 0: no FK20 tables
  const rs = DasContextJs.create({ usePrecomp: false });
  const pair = (r) => [r.cells, r.proofs];
  // Each peer: fn name -> (args) -> the spec's output (Uint8Array, a list of them, or bool).
  // rust-eth-kzg's async variants run on libuv's pool, beside kzgkit's request.
  const ckzg = {
    name: "c-kzg",
    version: version("c-kzg"),
    blob_to_kzg_commitment: (a) => kzg.blobToKzgCommitment(a.blob),
    compute_kzg_proof: (a) => kzg.computeKzgProof(a.blob, a.z),
    compute_blob_kzg_proof: (a) => kzg.computeBlobKzgProof(a.blob, a.commitment),
    verify_kzg_proof: (a) => kzg.verifyKzgProof(a.commitment, a.z, a.y, a.proof),
    verify_blob_kzg_proof: (a) => kzg.verifyBlobKzgProof(a.blob, a.commitment, a.proof),
    verify_blob_kzg_proof_batch: (a) => kzg.verifyBlobKzgProofBatch(a.blobs, a.commitments, a.proofs),
    compute_cells: (a) => kzg.computeCells(a.blob),
    compute_cells_and_kzg_proofs: (a) => kzg.computeCellsAndKzgProofs(a.blob),
    verify_cell_kzg_proof_batch: (a) => kzg.verifyCellKzgProofBatch(a.commitments, a.indices, a.cells, a.proofs),
    recover_cells_and_kzg_proofs: (a) => kzg.recoverCellsAndKzgProofs(a.indices, a.cells),
  };
  const eth = {
    name: "rust-eth-kzg",
    version: version("@crate-crypto/node-eth-kzg"),
    blob_to_kzg_commitment: (a) => rs.asyncBlobToKzgCommitment(a.blob),
    compute_kzg_proof: (a) => rs.asyncComputeKzgProof(a.blob, a.z),
    compute_blob_kzg_proof: (a) => rs.asyncComputeBlobKzgProof(a.blob, a.commitment),
    verify_kzg_proof: (a) => rs.asyncVerifyKzgProof(a.commitment, a.z, a.y, a.proof),
    verify_blob_kzg_proof: (a) => rs.asyncVerifyBlobKzgProof(a.blob, a.commitment, a.proof),
    verify_blob_kzg_proof_batch: (a) => rs.asyncVerifyBlobKzgProofBatch(a.blobs, a.commitments, a.proofs),
    compute_cells: (a) => rs.asyncComputeCells(a.blob),
    compute_cells_and_kzg_proofs: async (a) => pair(await rs.asyncComputeCellsAndKzgProofs(a.blob)),
    verify_cell_kzg_proof_batch: (a) => rs.asyncVerifyCellKzgProofBatch(a.commitments, a.indices, a.cells, a.proofs),
    recover_cells_and_kzg_proofs: async (a) => pair(await rs.asyncRecoverCellsAndKzgProofs(a.indices, a.cells)),
  };
  return { ckzg, eth, kzg };
}

// ---- known disagreements of a peer with the current specs ---------------------------------
//
// Counted apart, never failing the run, but only where kzgkit gives the spec's answer.

const KNOWN = [
  {
    peer: "c-kzg", fn: "recover_cells_and_kzg_proofs", cls: "unordered_indices",
    why: "c-kzg 2.1.0 (npm 4.1.0) recovers from distinct in-range cell indices in any order; "
      + "the specs require them strictly ascending (reference tests "
      + "recover_cells_and_kzg_proofs_case_invalid_shuffled_*), as c-kzg does from 2.1.2 (npm 4.1.2); "
      + "docs/BINDINGS.md",
    kzgkit: "rejects (KZG_ERR_BAD_ARG)",
  },
  // Found by this test: recovery from more than 64 cells that are not one blob's (one
  // element changed). The specs' recover_polynomialcoeff keeps the first 4096 coefficients
  // of the polynomial it recovers, without checking that the rest are zero; the cells are
  // that truncated polynomial's (test/diff/diff.js computes them: specRecoveredCells).
  {
    peer: "c-kzg", fn: "recover_cells_and_kzg_proofs", cls: "inconsistent_cells",
    why: "c-kzg 4.1.0 returns the given cells unchanged and fills in the others (found by this "
      + "test), where the specs answer the cells of the recovered polynomial truncated to 4096 "
      + "coefficients, which differ from the given ones",
    kzgkit: "answers the specs' cells (checked against a BigInt transcription of recover_polynomialcoeff)",
  },
  {
    peer: "rust-eth-kzg", fn: "recover_cells_and_kzg_proofs", cls: "inconsistent_cells",
    why: "rust-eth-kzg 0.10.0 rejects them (found by this test: \"PolynomialHasInvalidLength "
      + "{ num_coefficients: 8192, expected_num_coefficients: 4096 }\"): it checks that the "
      + "recovered polynomial has degree < 4096, which the specs do not",
    kzgkit: "answers the specs' cells (checked against a BigInt transcription of recover_polynomialcoeff)",
  },
  // Found by this test: the napi binding converts a JS number cell index to a u32 (modulo
  // 2^32: 2^32 + 5 is cell 5, 2^53 - 1 is 2^32 - 1), so indices of 2^32 and beyond reach the
  // library as other, often valid, indices. A BigInt index is converted as a u64 (then also
  // truncated, modulo 2^64). c-kzg takes the number as it is.
  {
    peer: "rust-eth-kzg", fn: "verify_cell_kzg_proof_batch", cls: "index_ge_2^32",
    why: "@crate-crypto/node-eth-kzg 0.10.0 takes a JS number cell index modulo 2^32 (found by "
      + "this test): 2^32 + i verifies as cell i, where the specs reject any index >= 128",
    kzgkit: "rejects (KZG_ERR_BAD_ARG)",
  },
  {
    peer: "rust-eth-kzg", fn: "recover_cells_and_kzg_proofs", cls: "index_ge_2^32",
    why: "as for verify_cell_kzg_proof_batch: an index of 2^32 + i is cell i (modulo 2^32), "
      + "so a recovery the specs reject can succeed",
    kzgkit: "rejects (KZG_ERR_BAD_ARG)",
  },
];

function knownFor(peer, fn, cls) {
  return KNOWN.find((k) => k.peer === peer && k.fn === fn && k.cls === cls);
}

// A constant polynomial (all elements equal, e.g. the zero blob) has the same value at every
// z and the same cell at every index: a "false" statement made by moving z or the index is
// true for it.
function isConstant(b) {
  const first = Buffer.from(b.subarray(0, FE));
  for (let i = 1; i < FIELD_ELEMENTS; i++) if (!first.equals(Buffer.from(b.subarray(i * FE, i * FE + FE)))) return false;
  return true;
}

// ---- pools of valid material --------------------------------------------------------------

function makePools(seed, kzg) {
  const cache = new Map();
  const at = (kind, gen, slot, build) => {
    const key = `${kind}:${gen}:${slot}`;
    if (!cache.has(key)) {
      if (cache.size > 64) cache.clear(); // old generations
      cache.set(key, build(new Rng(seed, kind === "4844" ? 1 : 2, gen * 64 + slot)));
    }
    return cache.get(key);
  };
  return {
    // A blob, its commitment and blob proof, and two evaluation statements (z, y, proof):
    // one at a random z, one at a point of the domain.
    b4844(gen, slot) {
      return at("4844", gen, slot, (rng) => {
        const b = blob(rng);
        const commitment = kzg.blobToKzgCommitment(b);
        const proof = kzg.computeBlobKzgProof(b, commitment);
        const z = scalar(rng);
        const [zproof, y] = kzg.computeKzgProof(b, z);
        const i = rng.below(FIELD_ELEMENTS);
        const dz = toBytes(ROOTS_BRP[i], FE);
        const [dproof, dy] = kzg.computeKzgProof(b, dz);
        return { blob: b, commitment, proof, eval: { z, y, proof: zproof }, domain: { z: dz, y: dy, proof: dproof },
          constant: isConstant(b) };
      });
    },
    // A blob, its commitment, 128 cells and 128 proofs.
    b7594(gen, slot) {
      return at("7594", gen, slot, (rng) => {
        const b = blob(rng);
        const commitment = kzg.blobToKzgCommitment(b);
        const [cells, proofs] = kzg.computeCellsAndKzgProofs(b);
        return { blob: b, commitment, cells, proofs, constant: isConstant(b) };
      });
    },
  };
}

// ---- the classes --------------------------------------------------------------------------
//
// Each: fn, cls, w (relative weight in the mix), gen(rng, ctx) -> { args, expect, oracle?,
// json?, note? }. expect: "reject", true, false, "output" (any output), or null where the
// specs leave it open. oracle: the exact output the specs give (Uint8Arrays), when known.
// ctx.p4844() / ctx.p7594() pick an entry of the current pools.

const OUTPUT = "output";

function blobWithBadElement(rng, b) {
  const nc = nonCanonical(rng);
  const i = rng.pick([0, FIELD_ELEMENTS - 1, rng.below(FIELD_ELEMENTS)]);
  return { blob: withElement(b, i, nc.bytes), note: `element ${i} = ${nc.what}` };
}

function otherPoint(rng, ctx, not) { // a valid point other than `not`
  for (let i = 0; i < 8; i++) {
    const k = rng.below(5);
    const p = k === 0 ? INFINITY : k === 1 ? GENERATOR : k === 2 ? negate(not) : k === 3
      ? ctx.p4844().commitment : ctx.p4844().proof;
    if (!Buffer.from(p).equals(Buffer.from(not))) return p;
  }
  return negate(GENERATOR);
}

function wrongLength(rng, b, n) { // a copy of b one to three bytes shorter or longer
  const d = rng.pick([-3, -1, 1, 2]);
  const c = new Uint8Array(n + d);
  c.set(b.subarray(0, Math.min(n, n + d)));
  return c;
}

// Cells of the pools: k items (commitment, index, cell, proof) from one or two blobs.
function cellItems(rng, ctx, k) {
  const blobs = [ctx.p7594(), ctx.p7594()];
  const items = [];
  for (let i = 0; i < k; i++) {
    const e = rng.pick(blobs);
    const idx = rng.below(CELLS);
    items.push({ commitment: e.commitment, index: idx, cell: e.cells[idx], proof: e.proofs[idx], constant: e.constant });
  }
  return items;
}

function cellArgs(items) {
  return {
    commitments: items.map((x) => x.commitment),
    indices: items.map((x) => x.index),
    cells: items.map((x) => x.cell),
    proofs: items.map((x) => x.proof),
  };
}

function batchSize(rng) { return rng.chance(0.1) ? CELLS : rng.range(1, 8); }

// Cell indices for recovery: n distinct ascending indices of [0, 128).
function recoverySet(rng, n) { return rng.distinct(n, CELLS).sort((a, b) => a - b); }

const CLASSES = [
  // blob_to_kzg_commitment
  { fn: "blob_to_kzg_commitment", cls: "valid", w: 3, gen: (rng) => ({ args: { blob: blob(rng) }, expect: OUTPUT }) },
  { fn: "blob_to_kzg_commitment", cls: "pool_blob", w: 1, gen: (rng, ctx) => {
    const e = ctx.p4844();
    return { args: { blob: e.blob }, expect: OUTPUT, oracle: [e.commitment] };
  } },
  { fn: "blob_to_kzg_commitment", cls: "noncanonical_element", w: 5, gen: (rng, ctx) => {
    const { blob: b, note } = blobWithBadElement(rng, ctx.p4844().blob);
    return { args: { blob: b }, expect: "reject", note };
  } },
  { fn: "blob_to_kzg_commitment", cls: "wrong_length", w: 1, gen: (rng, ctx) =>
    ({ args: { blob: wrongLength(rng, ctx.p4844().blob, BLOB) }, expect: "reject", json: true }) },

  // compute_kzg_proof
  { fn: "compute_kzg_proof", cls: "valid", w: 2, gen: (rng) => ({ args: { blob: blob(rng), z: scalar(rng) }, expect: OUTPUT }) },
  { fn: "compute_kzg_proof", cls: "z_on_domain", w: 2, gen: (rng, ctx) => {
    const e = ctx.p4844();
    const i = rng.below(FIELD_ELEMENTS);
    // The specs' compute_quotient_eval_within_domain path: y is the blob's element i.
    return { args: { blob: e.blob, z: toBytes(ROOTS_BRP[i], FE) }, expect: OUTPUT,
      oracleTail: e.blob.subarray(i * FE, i * FE + FE), note: `z = roots_brp[${i}]` };
  } },
  { fn: "compute_kzg_proof", cls: "noncanonical_z", w: 3, gen: (rng, ctx) => {
    const nc = nonCanonical(rng);
    return { args: { blob: ctx.p4844().blob, z: nc.bytes }, expect: "reject", note: `z = ${nc.what}` };
  } },
  { fn: "compute_kzg_proof", cls: "noncanonical_element", w: 3, gen: (rng, ctx) => {
    const { blob: b, note } = blobWithBadElement(rng, ctx.p4844().blob);
    return { args: { blob: b, z: scalar(rng) }, expect: "reject", note };
  } },
  { fn: "compute_kzg_proof", cls: "wrong_length", w: 1, gen: (rng, ctx) => {
    const z = scalar(rng);
    return { args: { blob: ctx.p4844().blob, z: wrongLength(rng, z, FE) }, expect: "reject", json: true };
  } },

  // compute_blob_kzg_proof
  { fn: "compute_blob_kzg_proof", cls: "valid", w: 1.5, gen: (rng, ctx) => {
    const e = ctx.p4844();
    return { args: { blob: e.blob, commitment: e.commitment }, expect: OUTPUT, oracle: [e.proof] };
  } },
  { fn: "compute_blob_kzg_proof", cls: "other_commitment", w: 1, gen: (rng, ctx) => {
    const e = ctx.p4844();
    return { args: { blob: e.blob, commitment: otherPoint(rng, ctx, e.commitment) }, expect: OUTPUT };
  } },
  { fn: "compute_blob_kzg_proof", cls: "bad_commitment", w: 4, gen: (rng, ctx) => {
    const e = ctx.p4844();
    const bp = badPoint(rng, e.commitment[0] & 0x40 ? GENERATOR : e.commitment);
    return { args: { blob: e.blob, commitment: bp.bytes }, expect: "reject", note: bp.kind };
  } },
  { fn: "compute_blob_kzg_proof", cls: "noncanonical_element", w: 3, gen: (rng, ctx) => {
    const e = ctx.p4844();
    const { blob: b, note } = blobWithBadElement(rng, e.blob);
    return { args: { blob: b, commitment: e.commitment }, expect: "reject", note };
  } },
  { fn: "compute_blob_kzg_proof", cls: "wrong_length", w: 1, gen: (rng, ctx) => {
    const e = ctx.p4844();
    return { args: { blob: e.blob, commitment: wrongLength(rng, e.commitment, G1) }, expect: "reject", json: true };
  } },

  // verify_kzg_proof
  { fn: "verify_kzg_proof", cls: "true", w: 4, gen: (rng, ctx) => {
    const e = ctx.p4844();
    const s = rng.chance(0.5) ? e.eval : e.domain;
    return { args: { commitment: e.commitment, z: s.z, y: s.y, proof: s.proof }, expect: true,
      note: s === e.domain ? "z on the domain" : "" };
  } },
  { fn: "verify_kzg_proof", cls: "infinity_zero", w: 1, gen: (rng) =>
    // The zero polynomial: infinity commits to it, infinity proves p(z) = 0 anywhere.
    ({ args: { commitment: INFINITY, z: scalar(rng), y: new Uint8Array(FE), proof: INFINITY }, expect: true }) },
  { fn: "verify_kzg_proof", cls: "false_y", w: 3, gen: (rng, ctx) => {
    const e = ctx.p4844();
    return { args: { commitment: e.commitment, z: e.eval.z, y: addOne(e.eval.y), proof: e.eval.proof }, expect: false };
  } },
  { fn: "verify_kzg_proof", cls: "false_z", w: 2, gen: (rng, ctx) => {
    const e = ctx.p4844();
    return { args: { commitment: e.commitment, z: addOne(e.eval.z), y: e.eval.y, proof: e.eval.proof }, expect: e.constant,
      note: e.constant ? "a constant polynomial: true" : "" };
  } },
  { fn: "verify_kzg_proof", cls: "false_proof", w: 3, gen: (rng, ctx) => {
    const e = ctx.p4844();
    return { args: { commitment: e.commitment, z: e.eval.z, y: e.eval.y, proof: otherPoint(rng, ctx, e.eval.proof) }, expect: false };
  } },
  { fn: "verify_kzg_proof", cls: "false_commitment", w: 2, gen: (rng, ctx) => {
    const e = ctx.p4844();
    return { args: { commitment: otherPoint(rng, ctx, e.commitment), z: e.eval.z, y: e.eval.y, proof: e.eval.proof }, expect: false };
  } },
  { fn: "verify_kzg_proof", cls: "noncanonical_z", w: 3, gen: (rng, ctx) => {
    const e = ctx.p4844();
    const nc = nonCanonical(rng);
    return { args: { commitment: e.commitment, z: nc.bytes, y: e.eval.y, proof: e.eval.proof }, expect: "reject", note: nc.what };
  } },
  { fn: "verify_kzg_proof", cls: "noncanonical_y", w: 3, gen: (rng, ctx) => {
    const e = ctx.p4844();
    const nc = nonCanonical(rng);
    return { args: { commitment: e.commitment, z: e.eval.z, y: nc.bytes, proof: e.eval.proof }, expect: "reject", note: nc.what };
  } },
  { fn: "verify_kzg_proof", cls: "bad_commitment", w: 5, gen: (rng, ctx) => {
    const e = ctx.p4844();
    const bp = badPoint(rng, GENERATOR);
    return { args: { commitment: bp.bytes, z: e.eval.z, y: e.eval.y, proof: e.eval.proof }, expect: "reject", note: bp.kind };
  } },
  { fn: "verify_kzg_proof", cls: "bad_proof", w: 5, gen: (rng, ctx) => {
    const e = ctx.p4844();
    const bp = badPoint(rng, GENERATOR);
    return { args: { commitment: e.commitment, z: e.eval.z, y: e.eval.y, proof: bp.bytes }, expect: "reject", note: bp.kind };
  } },
  { fn: "verify_kzg_proof", cls: "wrong_length", w: 1, gen: (rng, ctx) => {
    const e = ctx.p4844();
    const a = { commitment: e.commitment, z: e.eval.z, y: e.eval.y, proof: e.eval.proof };
    const k = rng.pick(["commitment", "z", "y", "proof"]);
    a[k] = wrongLength(rng, a[k], a[k].length);
    return { args: a, expect: "reject", json: true, note: k };
  } },

  // verify_blob_kzg_proof
  { fn: "verify_blob_kzg_proof", cls: "true", w: 3, gen: (rng, ctx) => {
    const e = ctx.p4844();
    return { args: { blob: e.blob, commitment: e.commitment, proof: e.proof }, expect: true };
  } },
  { fn: "verify_blob_kzg_proof", cls: "infinity_zero", w: 0.5, gen: () =>
    ({ args: { blob: new Uint8Array(BLOB), commitment: INFINITY, proof: INFINITY }, expect: true }) },
  { fn: "verify_blob_kzg_proof", cls: "false_proof", w: 2, gen: (rng, ctx) => {
    const e = ctx.p4844();
    return { args: { blob: e.blob, commitment: e.commitment, proof: otherPoint(rng, ctx, e.proof) }, expect: false };
  } },
  { fn: "verify_blob_kzg_proof", cls: "false_commitment", w: 2, gen: (rng, ctx) => {
    const e = ctx.p4844();
    return { args: { blob: e.blob, commitment: otherPoint(rng, ctx, e.commitment), proof: e.proof }, expect: false };
  } },
  { fn: "verify_blob_kzg_proof", cls: "flipped_element", w: 2, gen: (rng, ctx) => {
    const e = ctx.p4844();
    const i = rng.below(FIELD_ELEMENTS);
    return { args: { blob: flipElement(e.blob, i), commitment: e.commitment, proof: e.proof }, expect: false, note: `element ${i}` };
  } },
  { fn: "verify_blob_kzg_proof", cls: "noncanonical_element", w: 3, gen: (rng, ctx) => {
    const e = ctx.p4844();
    const { blob: b, note } = blobWithBadElement(rng, e.blob);
    return { args: { blob: b, commitment: e.commitment, proof: e.proof }, expect: "reject", note };
  } },
  { fn: "verify_blob_kzg_proof", cls: "bad_commitment", w: 3, gen: (rng, ctx) => {
    const e = ctx.p4844();
    const bp = badPoint(rng, GENERATOR);
    return { args: { blob: e.blob, commitment: bp.bytes, proof: e.proof }, expect: "reject", note: bp.kind };
  } },
  { fn: "verify_blob_kzg_proof", cls: "bad_proof", w: 3, gen: (rng, ctx) => {
    const e = ctx.p4844();
    const bp = badPoint(rng, GENERATOR);
    return { args: { blob: e.blob, commitment: e.commitment, proof: bp.bytes }, expect: "reject", note: bp.kind };
  } },
  { fn: "verify_blob_kzg_proof", cls: "wrong_length", w: 1, gen: (rng, ctx) => {
    const e = ctx.p4844();
    const a = { blob: e.blob, commitment: e.commitment, proof: e.proof };
    const k = rng.pick(["blob", "commitment", "proof"]);
    a[k] = wrongLength(rng, a[k], a[k].length);
    return { args: a, expect: "reject", json: true, note: k };
  } },

  // verify_blob_kzg_proof_batch
  { fn: "verify_blob_kzg_proof_batch", cls: "true", w: 2, gen: (rng, ctx) => {
    const items = Array.from({ length: rng.range(1, 4) }, () => ctx.p4844());
    return { args: batchArgs(items), expect: true, note: `${items.length} blobs` };
  } },
  { fn: "verify_blob_kzg_proof_batch", cls: "empty", w: 0.5, gen: () =>
    ({ args: { blobs: [], commitments: [], proofs: [] }, expect: true }) },
  { fn: "verify_blob_kzg_proof_batch", cls: "duplicate_item", w: 1, gen: (rng, ctx) => {
    const e = ctx.p4844();
    return { args: batchArgs([e, ctx.p4844(), e]), expect: true };
  } },
  { fn: "verify_blob_kzg_proof_batch", cls: "one_false", w: 2, gen: (rng, ctx) => {
    const items = Array.from({ length: rng.range(2, 4) }, () => ({ ...ctx.p4844() }));
    const k = rng.below(items.length);
    items[k].proof = otherPoint(rng, ctx, items[k].proof);
    return { args: batchArgs(items), expect: false, note: `item ${k} of ${items.length}` };
  } },
  { fn: "verify_blob_kzg_proof_batch", cls: "one_bad_point", w: 2, gen: (rng, ctx) => {
    const items = Array.from({ length: rng.range(2, 4) }, () => ({ ...ctx.p4844() }));
    const k = rng.below(items.length);
    const bp = badPoint(rng, GENERATOR);
    const which = rng.chance(0.5) ? "proof" : "commitment";
    items[k][which] = bp.bytes;
    return { args: batchArgs(items), expect: "reject", note: `item ${k} ${which} ${bp.kind}` };
  } },
  { fn: "verify_blob_kzg_proof_batch", cls: "one_noncanonical", w: 2, gen: (rng, ctx) => {
    const items = Array.from({ length: rng.range(2, 4) }, () => ({ ...ctx.p4844() }));
    const k = rng.below(items.length);
    const { blob: b, note } = blobWithBadElement(rng, items[k].blob);
    items[k].blob = b;
    return { args: batchArgs(items), expect: "reject", note: `item ${k} ${note}` };
  } },
  { fn: "verify_blob_kzg_proof_batch", cls: "length_mismatch", w: 1, gen: (rng, ctx) => {
    const a = batchArgs(Array.from({ length: rng.range(2, 3) }, () => ctx.p4844()));
    const k = rng.pick(["blobs", "commitments", "proofs"]);
    a[k] = a[k].slice(1);
    return { args: a, expect: "reject", json: true, note: `${k} shorter` };
  } },

  // compute_cells
  { fn: "compute_cells", cls: "valid", w: 3, gen: (rng) => ({ args: { blob: blob(rng) }, expect: OUTPUT }) },
  { fn: "compute_cells", cls: "pool_blob", w: 1, gen: (rng, ctx) => {
    const e = ctx.p7594();
    return { args: { blob: e.blob }, expect: OUTPUT, oracle: e.cells };
  } },
  { fn: "compute_cells", cls: "noncanonical_element", w: 3, gen: (rng, ctx) => {
    const { blob: b, note } = blobWithBadElement(rng, ctx.p7594().blob);
    return { args: { blob: b }, expect: "reject", note };
  } },
  { fn: "compute_cells", cls: "wrong_length", w: 0.5, gen: (rng, ctx) =>
    ({ args: { blob: wrongLength(rng, ctx.p7594().blob, BLOB) }, expect: "reject", json: true }) },

  // compute_cells_and_kzg_proofs (the most expensive: a small share)
  { fn: "compute_cells_and_kzg_proofs", cls: "valid", w: 1, gen: (rng) => ({ args: { blob: blob(rng) }, expect: OUTPUT }) },
  { fn: "compute_cells_and_kzg_proofs", cls: "noncanonical_element", w: 2, gen: (rng, ctx) => {
    const { blob: b, note } = blobWithBadElement(rng, ctx.p7594().blob);
    return { args: { blob: b }, expect: "reject", note };
  } },
  { fn: "compute_cells_and_kzg_proofs", cls: "wrong_length", w: 0.5, gen: (rng, ctx) =>
    ({ args: { blob: wrongLength(rng, ctx.p7594().blob, BLOB) }, expect: "reject", json: true }) },

  // verify_cell_kzg_proof_batch
  { fn: "verify_cell_kzg_proof_batch", cls: "true", w: 4, gen: (rng, ctx) => {
    const items = cellItems(rng, ctx, batchSize(rng));
    return { args: cellArgs(items), expect: true, note: `${items.length} cells` };
  } },
  { fn: "verify_cell_kzg_proof_batch", cls: "empty", w: 0.5, gen: () =>
    ({ args: { commitments: [], indices: [], cells: [], proofs: [] }, expect: true }) },
  { fn: "verify_cell_kzg_proof_batch", cls: "duplicate_indices", w: 1.5, gen: (rng, ctx) => {
    const items = cellItems(rng, ctx, rng.range(1, 6));
    items.push(items[rng.below(items.length)]);
    return { args: cellArgs(items), expect: true };
  } },
  { fn: "verify_cell_kzg_proof_batch", cls: "out_of_range_index", w: 3, gen: (rng, ctx) => {
    const items = cellItems(rng, ctx, rng.range(1, 6));
    const k = rng.below(items.length);
    const idx = rng.pick([CELLS, CELLS + 1, 255, 256, 1000, 2 ** 31, 2 ** 32 - 1]);
    items[k] = { ...items[k], index: idx };
    return { args: cellArgs(items), expect: "reject", note: `item ${k} index ${idx}` };
  } },
  { fn: "verify_cell_kzg_proof_batch", cls: "index_ge_2^32", w: 1, gen: (rng, ctx) => {
    const items = cellItems(rng, ctx, rng.range(1, 6));
    const k = rng.below(items.length);
    const idx = rng.pick([2 ** 32, 2 ** 32 + items[k].index, 2 ** 33 + items[k].index, 2 ** 53 - 1]);
    items[k] = { ...items[k], index: idx };
    return { args: cellArgs(items), expect: "reject", note: `item ${k} index ${idx}` };
  } },
  { fn: "verify_cell_kzg_proof_batch", cls: "wrong_index", w: 2, gen: (rng, ctx) => {
    const items = cellItems(rng, ctx, rng.range(1, 6));
    const k = rng.below(items.length);
    items[k] = { ...items[k], index: (items[k].index + rng.range(1, CELLS - 1)) % CELLS };
    return { args: cellArgs(items), expect: items[k].constant, note: `item ${k}${items[k].constant ? ", a constant polynomial: true" : ""}` };
  } },
  { fn: "verify_cell_kzg_proof_batch", cls: "flipped_cell", w: 2, gen: (rng, ctx) => {
    const items = cellItems(rng, ctx, rng.range(1, 6));
    const k = rng.below(items.length);
    const i = rng.below(CELL / FE);
    items[k] = { ...items[k], cell: flipElement(items[k].cell, i) };
    return { args: cellArgs(items), expect: false, note: `item ${k} element ${i}` };
  } },
  { fn: "verify_cell_kzg_proof_batch", cls: "noncanonical_cell", w: 3, gen: (rng, ctx) => {
    const items = cellItems(rng, ctx, rng.range(1, 6));
    const k = rng.below(items.length);
    const i = rng.below(CELL / FE);
    const nc = nonCanonical(rng);
    const cell = Uint8Array.from(items[k].cell);
    cell.set(nc.bytes, i * FE);
    items[k] = { ...items[k], cell };
    return { args: cellArgs(items), expect: "reject", note: `item ${k} element ${i} = ${nc.what}` };
  } },
  { fn: "verify_cell_kzg_proof_batch", cls: "false_proof", w: 2, gen: (rng, ctx) => {
    const items = cellItems(rng, ctx, rng.range(1, 6));
    const k = rng.below(items.length);
    items[k] = { ...items[k], proof: otherPoint(rng, ctx, items[k].proof) };
    return { args: cellArgs(items), expect: false, note: `item ${k}` };
  } },
  { fn: "verify_cell_kzg_proof_batch", cls: "false_commitment", w: 2, gen: (rng, ctx) => {
    const items = cellItems(rng, ctx, rng.range(1, 6));
    const k = rng.below(items.length);
    items[k] = { ...items[k], commitment: otherPoint(rng, ctx, items[k].commitment) };
    return { args: cellArgs(items), expect: false, note: `item ${k}` };
  } },
  { fn: "verify_cell_kzg_proof_batch", cls: "bad_proof", w: 3, gen: (rng, ctx) => {
    const items = cellItems(rng, ctx, rng.range(1, 6));
    const k = rng.below(items.length);
    const bp = badPoint(rng, GENERATOR);
    items[k] = { ...items[k], proof: bp.bytes };
    return { args: cellArgs(items), expect: "reject", note: `item ${k} ${bp.kind}` };
  } },
  { fn: "verify_cell_kzg_proof_batch", cls: "bad_commitment", w: 3, gen: (rng, ctx) => {
    const items = cellItems(rng, ctx, rng.range(1, 6));
    const k = rng.below(items.length);
    const bp = badPoint(rng, GENERATOR);
    items[k] = { ...items[k], commitment: bp.bytes };
    return { args: cellArgs(items), expect: "reject", note: `item ${k} ${bp.kind}` };
  } },
  { fn: "verify_cell_kzg_proof_batch", cls: "length_mismatch", w: 1, gen: (rng, ctx) => {
    const a = cellArgs(cellItems(rng, ctx, rng.range(2, 4)));
    const k = rng.pick(["commitments", "indices", "cells", "proofs"]);
    a[k] = a[k].slice(1);
    return { args: a, expect: "reject", json: true, note: `${k} shorter` };
  } },
  { fn: "verify_cell_kzg_proof_batch", cls: "wrong_length", w: 1, gen: (rng, ctx) => {
    const a = cellArgs(cellItems(rng, ctx, rng.range(1, 3)));
    const k = rng.pick(["commitments", "cells", "proofs"]);
    const n = k === "cells" ? CELL : G1;
    a[k] = a[k].map((x, i) => (i === 0 ? wrongLength(rng, x, n) : x));
    return { args: a, expect: "reject", json: true, note: `${k}[0]` };
  } },

  // recover_cells_and_kzg_proofs (a recovery costs about as much as cells and proofs)
  { fn: "recover_cells_and_kzg_proofs", cls: "valid_half", w: 0.4, gen: (rng, ctx) => {
    const e = ctx.p7594();
    const idx = recoverySet(rng, CELLS / 2);
    return { args: { indices: idx, cells: idx.map((i) => e.cells[i]) }, expect: OUTPUT, oracle: [...e.cells, ...e.proofs] };
  } },
  { fn: "recover_cells_and_kzg_proofs", cls: "valid_more", w: 0.4, gen: (rng, ctx) => {
    const e = ctx.p7594();
    const idx = recoverySet(rng, rng.range(CELLS / 2 + 1, CELLS));
    return { args: { indices: idx, cells: idx.map((i) => e.cells[i]) }, expect: OUTPUT,
      oracle: [...e.cells, ...e.proofs], note: `${idx.length} cells` };
  } },
  { fn: "recover_cells_and_kzg_proofs", cls: "too_few", w: 2, gen: (rng, ctx) => {
    const e = ctx.p7594();
    const idx = recoverySet(rng, rng.range(1, CELLS / 2 - 1));
    return { args: { indices: idx, cells: idx.map((i) => e.cells[i]) }, expect: "reject", note: `${idx.length} cells` };
  } },
  { fn: "recover_cells_and_kzg_proofs", cls: "empty", w: 0.5, gen: () =>
    ({ args: { indices: [], cells: [] }, expect: "reject" }) },
  { fn: "recover_cells_and_kzg_proofs", cls: "duplicate_indices", w: 2, gen: (rng, ctx) => {
    const e = ctx.p7594();
    const idx = recoverySet(rng, rng.range(CELLS / 2, CELLS - 1));
    const k = rng.below(idx.length);
    idx.splice(k, 0, idx[k]); // stays ascending, not strictly
    return { args: { indices: idx, cells: idx.map((i) => e.cells[i]) }, expect: "reject", note: `index ${idx[k]} twice` };
  } },
  { fn: "recover_cells_and_kzg_proofs", cls: "unordered_indices", w: 0.5, gen: (rng, ctx) => {
    const e = ctx.p7594();
    const idx = recoverySet(rng, rng.range(CELLS / 2, CELLS));
    const a = rng.below(idx.length - 1);
    [idx[a], idx[a + 1]] = [idx[a + 1], idx[a]];
    return { args: { indices: idx, cells: idx.map((i) => e.cells[i]) }, expect: "reject", note: `${idx.length} cells, ${a}<->${a + 1}` };
  } },
  { fn: "recover_cells_and_kzg_proofs", cls: "out_of_range_index", w: 2, gen: (rng, ctx) => {
    const e = ctx.p7594();
    const idx = recoverySet(rng, rng.range(CELLS / 2, CELLS - 1));
    const bad = rng.pick([CELLS, CELLS + 1, 255, 1000, 2 ** 31, 2 ** 32 - 1]);
    const cells = idx.map((i) => e.cells[i]);
    idx[idx.length - 1] = bad; // the last: still ascending
    return { args: { indices: idx, cells }, expect: "reject", note: `index ${bad}` };
  } },
  { fn: "recover_cells_and_kzg_proofs", cls: "index_ge_2^32", w: 0.5, gen: (rng, ctx) => {
    // The last index (still ascending) is 2^32 plus a cell that is missing, with that cell's
    // data: taken modulo 2^32 it would be a valid set.
    const e = ctx.p7594();
    const idx = recoverySet(rng, rng.range(CELLS / 2 + 1, CELLS));
    const missing = [...Array(CELLS).keys()].filter((i) => !idx.includes(i));
    const m = missing.length && rng.chance(0.75) ? rng.pick(missing) : idx[idx.length - 1];
    const cells = idx.map((i) => e.cells[i]);
    cells[cells.length - 1] = e.cells[m];
    idx[idx.length - 1] = 2 ** 32 + m;
    return { args: { indices: idx, cells }, expect: "reject", note: `index 2^32+${m}` };
  } },
  { fn: "recover_cells_and_kzg_proofs", cls: "noncanonical_cell", w: 2, gen: (rng, ctx) => {
    const e = ctx.p7594();
    const idx = recoverySet(rng, rng.range(CELLS / 2, CELLS));
    const cells = idx.map((i) => e.cells[i]);
    const k = rng.below(cells.length);
    const nc = nonCanonical(rng);
    cells[k] = Uint8Array.from(cells[k]);
    cells[k].set(nc.bytes, rng.below(CELL / FE) * FE);
    return { args: { indices: idx, cells }, expect: "reject", note: `cell ${k} ${nc.what}` };
  } },
  { fn: "recover_cells_and_kzg_proofs", cls: "inconsistent_cells", w: 0.25, gen: (rng, ctx) => {
    // One element of one cell changed, with more than 64 cells: they are no longer one
    // blob's. The specs do not check it: recover_polynomialcoeff keeps the first 4096
    // coefficients of what it recovers (specRecoveredCells computes that answer).
    const e = ctx.p7594();
    const idx = recoverySet(rng, rng.range(CELLS / 2 + 1, CELLS));
    const cells = idx.map((i) => e.cells[i]);
    const k = rng.below(cells.length);
    cells[k] = flipElement(cells[k], rng.below(CELL / FE));
    return { args: { indices: idx, cells }, expect: OUTPUT, specRecover: true, note: `${idx.length} cells, cell ${k}` };
  } },
  { fn: "recover_cells_and_kzg_proofs", cls: "length_mismatch", w: 1, gen: (rng, ctx) => {
    const e = ctx.p7594();
    const idx = recoverySet(rng, CELLS / 2 + 1);
    return { args: { indices: idx, cells: idx.slice(1).map((i) => e.cells[i]) }, expect: "reject", json: true };
  } },
  { fn: "recover_cells_and_kzg_proofs", cls: "wrong_length", w: 1, gen: (rng, ctx) => {
    const e = ctx.p7594();
    const idx = recoverySet(rng, CELLS / 2);
    const cells = idx.map((i) => e.cells[i]);
    const k = rng.below(cells.length);
    cells[k] = wrongLength(rng, cells[k], CELL);
    return { args: { indices: idx, cells }, expect: "reject", json: true, note: `cell ${k}` };
  } },
];

function batchArgs(items) {
  return { blobs: items.map((x) => x.blob), commitments: items.map((x) => x.commitment), proofs: items.map((x) => x.proof) };
}

const TOTAL_WEIGHT = CLASSES.reduce((s, c) => s + c.w, 0);

// Case k of seed S: its class and inputs.
function makeCase(seed, k, pools) {
  const rng = new Rng(seed, 0, k);
  let t = (rng.u32() / 4294967296) * TOTAL_WEIGHT;
  let c = CLASSES[CLASSES.length - 1];
  for (const x of CLASSES) {
    if (t < x.w) { c = x; break; }
    t -= x.w;
  }
  const gen = Math.floor(k / POOL_SPAN);
  const ctx = {
    p4844: () => pools.b4844(gen, rng.below(POOL_4844)),
    p7594: () => pools.b7594(gen, rng.below(POOL_7594)),
  };
  const g = c.gen(rng, ctx);
  // A twentieth of the other cases go as JSON too (the service's other decoder).
  const json = Boolean(g.json) || rng.chance(0.05);
  return { k, fn: c.fn, cls: c.cls, ...g, json };
}

// ---- kzgkit over HTTP ---------------------------------------------------------------------

function u64be(x) {
  const b = new Uint8Array(8);
  let v = BigInt(x);
  for (let i = 7; i >= 0; i--, v >>= 8n) b[i] = Number(v & 255n);
  return b;
}

function concat(parts) { return Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))); }

function binaryBody(fn, a) {
  switch (fn) {
  case "blob_to_kzg_commitment": case "compute_cells": case "compute_cells_and_kzg_proofs": return concat([a.blob]);
  case "compute_kzg_proof": return concat([a.blob, a.z]);
  case "compute_blob_kzg_proof": return concat([a.blob, a.commitment]);
  case "verify_kzg_proof": return concat([a.commitment, a.z, a.y, a.proof]);
  case "verify_blob_kzg_proof": return concat([a.blob, a.commitment, a.proof]);
  case "verify_blob_kzg_proof_batch":
    return concat(a.blobs.flatMap((b, i) => [b, a.commitments[i], a.proofs[i]]));
  case "verify_cell_kzg_proof_batch":
    return concat(a.cells.flatMap((c, i) => [a.commitments[i], u64be(a.indices[i]), c, a.proofs[i]]));
  case "recover_cells_and_kzg_proofs": return concat(a.cells.flatMap((c, i) => [u64be(a.indices[i]), c]));
  }
  throw new Error(`binaryBody: ${fn}`);
}

const hex = (b) => "0x" + Buffer.from(b).toString("hex");

function jsonBody(fn, a) {
  const o = {};
  for (const [k, v] of Object.entries(a)) {
    const name = k === "indices" ? "cell_indices" : k;
    o[name] = Array.isArray(v) ? v.map((x) => (typeof x === "number" ? x : hex(x))) : hex(v);
  }
  return Buffer.from(JSON.stringify(o));
}

// A flat byte string of an output in JSON ("0x.." or nested lists of them) or a bool.
function flattenJson(out) {
  if (typeof out === "boolean") return out;
  const parts = [];
  const walk = (v) => (Array.isArray(v) ? v.forEach(walk) : parts.push(Buffer.from(v.slice(2), "hex")));
  walk(out);
  return Buffer.concat(parts);
}

const VERIFY = new Set(["verify_kzg_proof", "verify_blob_kzg_proof", "verify_blob_kzg_proof_batch", "verify_cell_kzg_proof_batch"]);

// kzgkit's answer: { ok: true, out } (out a Buffer, or a bool for a verification), or
// { ok: false, err: "KZG_ERR_..." } for a 400, or { ok: false, err, broken: true } for any
// other failure (not an answer about the input: always a mismatch).
// A request that got no HTTP answer at all (the connection failed or was closed under it)
// is sent once more: a POST here is a pure computation, safe to resend. Each resend is counted and printed with its cause (`transport`), never hidden; a
// second failure is a mismatch.
const transport = [];
async function kzgkit(url, c, k) {
  const body = c.json ? jsonBody(c.fn, c.args) : binaryBody(c.fn, c.args);
  let res;
  for (let attempt = 0; ; attempt++) {
    try {
      res = await fetch(`${url}/v1/${c.fn}`, {
        method: "POST",
        headers: { "Content-Type": c.json ? "application/json" : "application/octet-stream" },
        body,
        signal: AbortSignal.timeout(120000),
      });
      break;
    } catch (e) {
      const cause = e.cause ? `${e.cause.code || ""} ${e.cause.message || e.cause}`.trim() : "";
      const why = `request failed: ${e.message}${cause ? ` (${cause})` : ""}`;
      if (attempt > 0 || e.name === "TimeoutError") return { ok: false, err: why, broken: true };
      transport.push(`case ${k}: ${why}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const buf = Buffer.from(await res.arrayBuffer());
  if (res.status === 200) {
    if (c.json) return { ok: true, out: flattenJson(JSON.parse(buf.toString()).output) };
    if (VERIFY.has(c.fn)) {
      if (buf.length !== 1 || buf[0] > 1) return { ok: false, err: `verdict ${buf.toString("hex")}`, broken: true };
      return { ok: true, out: buf[0] === 1 };
    }
    return { ok: true, out: buf };
  }
  let name = `HTTP ${res.status}`;
  try { name = JSON.parse(buf.toString()).error || name; } catch (e) { /* not JSON */ }
  if (res.status === 400 && name.startsWith("KZG_ERR_")) return { ok: false, err: name };
  return { ok: false, err: `${name}: ${buf.toString().slice(0, 200)}`, broken: true };
}

// A peer's answer in the same shape.
function peerAnswer(v) {
  if (typeof v === "boolean") return { ok: true, out: v };
  const parts = [];
  const walk = (x) => (Array.isArray(x) ? x.forEach(walk) : parts.push(Buffer.from(x)));
  walk(v);
  return { ok: true, out: Buffer.concat(parts) };
}

async function peerCall(f, args) {
  try {
    return peerAnswer(await f(args));
  } catch (e) {
    return { ok: false, err: String(e && e.message ? e.message : e).split("\n")[0].slice(0, 160) };
  }
}

function sameAnswer(a, b) {
  if (a.ok !== b.ok) return false;
  if (!a.ok) return true; // both reject: which status is each library's own
  if (typeof a.out === "boolean" || typeof b.out === "boolean") return a.out === b.out;
  return a.out.equals(b.out);
}

function describe(a) {
  if (!a.ok) return `rejects (${a.err})`;
  if (typeof a.out === "boolean") return String(a.out);
  const h = a.out.toString("hex");
  return `${a.out.length} bytes ${h.length > 48 ? h.slice(0, 48) + "…" : h}`;
}

// Does kzgkit give the specs' answer?
function specCheck(c, a) {
  if (c.expect === null) return null;
  if (c.expect === "reject") return a.ok ? "the specs reject this input" : null;
  if (!a.ok) return `the specs accept this input (${c.expect === OUTPUT ? "an output" : c.expect})`;
  if (c.expect === true || c.expect === false) return a.out === c.expect ? null : `the specs answer ${c.expect}`;
  if (c.oracle && !a.out.equals(concat(c.oracle))) return "the output differs from the expected bytes";
  if (c.specRecover && !a.out.subarray(0, CELLS * CELL).equals(specRecoveredCells(c.args.indices, c.args.cells))) {
    return "the cells differ from the specs' recovery (recover_polynomialcoeff, in BigInt)";
  }
  if (c.oracleTail && !a.out.subarray(a.out.length - FE).equals(Buffer.from(c.oracleTail))) {
    return "y is not the blob's element at that root";
  }
  return null;
}

// Runs one case: { c, kz, peers: [{ name, a, verdict: "agree"|"known"|"mismatch", why? }], spec }
async function runCase(c, peers, url, k) {
  // rust-eth-kzg's async call and kzgkit's request run together; c-kzg then on this thread.
  const ethP = peerCall(peers.eth[c.fn], c.args);
  const kz = await kzgkit(url, c, k);
  const ck = await peerCall(peers.ckzg[c.fn], c.args);
  const eth = await ethP;
  const spec = kz.broken ? `kzgkit did not answer: ${kz.err}` : specCheck(c, kz);
  const res = [];
  for (const [name, a] of [["c-kzg", ck], ["rust-eth-kzg", eth]]) {
    let verdict = "agree";
    let why;
    if (kz.broken || !sameAnswer(kz, a)) {
      const known = knownFor(name, c.fn, c.cls);
      verdict = known && !spec && c.expect !== null ? "known" : "mismatch";
      why = known ? known.why : undefined;
    }
    res.push({ name, a, verdict, why });
  }
  return { c, kz, peers: res, spec };
}

// ---- the run ------------------------------------------------------------------------------

function usage(msg) {
  if (msg) console.error(`diff.js: ${msg}`);
  console.error("usage: node diff.js --url URL [--cases N | --minutes M] [--seed S] [--replay SEED:CASE [--dump FILE]]"
    + " [--peers DIR] [--max-seconds T] [--replay-cmd CMD]");
  process.exit(2);
}

function parseArgs(argv) {
  const o = { url: null, cases: null, minutes: null, seed: null, replay: null, dump: null,
    peers: path.resolve(__dirname, "../../bench/peers"), maxSeconds: 840, replayCmd: "node test/diff/diff.js --url URL --replay %s" };
  const num = (v, name, lo, hi) => {
    const x = Number(v);
    if (!Number.isFinite(x) || x < lo || x > hi) usage(`${name} must be a number in [${lo}, ${hi}]`);
    return x;
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (v === undefined) usage(`${k} needs a value`);
    i++;
    if (k === "--url") o.url = v.replace(/\/$/, "");
    else if (k === "--cases") o.cases = Math.floor(num(v, k, 1, 1e9));
    else if (k === "--minutes") o.minutes = num(v, k, 0.01, 100000);
    else if (k === "--seed") o.seed = Math.floor(num(v, k, 0, 4294967295));
    else if (k === "--replay") {
      const m = /^(\d+):(\d+)$/.exec(v);
      if (!m) usage("--replay takes SEED:CASE");
      o.replay = { seed: Number(m[1]) >>> 0, k: Number(m[2]) };
    } else if (k === "--dump") o.dump = v;
    else if (k === "--peers") o.peers = path.resolve(v);
    else if (k === "--max-seconds") o.maxSeconds = num(v, k, 1, 1e7);
    else if (k === "--replay-cmd") o.replayCmd = v;
    else usage(`unknown option '${k}'`);
  }
  if (!o.url) usage("--url is required");
  if (!/^http:\/\/(127\.0\.0\.1|\[::1\]|localhost):\d+$/.test(o.url)) usage("--url must be http://127.0.0.1:PORT");
  if (o.cases !== null && o.minutes !== null) usage("--cases and --minutes exclude each other");
  return o;
}

function summaryInputs(c) {
  const lines = [];
  for (const [k, v] of Object.entries(c.args)) {
    if (Array.isArray(v)) {
      lines.push(`  ${k}: ${v.length} items` + (v.length && typeof v[0] === "number" ? ` [${v.join(",")}]`
        : v.length ? ` (lengths ${[...new Set(v.map((x) => x.length))].join("/")}; first ${hex(v[0]).slice(0, 34)}…)` : ""));
    } else {
      const h = hex(v);
      lines.push(`  ${k}: ${v.length} bytes ${h.length > 100 ? h.slice(0, 98) + "…" : h}`);
    }
  }
  return lines.join("\n");
}

async function replay(o, peers) {
  const { seed, k } = o.replay;
  const pools = makePools(seed, peers.kzg);
  const c = makeCase(seed, k, pools);
  console.log(`case ${seed}:${k}: ${c.fn} / ${c.cls}${c.note ? ` (${c.note})` : ""}, `
    + `${c.json ? "JSON" : "binary"}, the specs: ${c.expect === null ? "open" : c.expect}`);
  console.log(summaryInputs(c));
  if (o.dump) {
    fs.writeFileSync(o.dump, c.json ? jsonBody(c.fn, c.args) : binaryBody(c.fn, c.args));
    console.log(`  request body written to ${o.dump} (POST ${o.url}/v1/${c.fn}, ${c.json ? "application/json" : "application/octet-stream"})`);
  }
  const r = await runCase(c, peers, o.url, k);
  console.log(`  kzgkit:       ${describe(r.kz)}${r.spec ? `  <- ${r.spec}` : ""}`);
  for (const p of r.peers) console.log(`  ${p.name.padEnd(13)} ${describe(p.a)}  [${p.verdict}]${p.why ? ` ${p.why}` : ""}`);
  return r.spec || r.peers.some((p) => p.verdict === "mismatch") ? 1 : 0;
}

function newStats() { return { cases: 0, kz: new Map(), peer: { "c-kzg": [0, 0, 0], "rust-eth-kzg": [0, 0, 0] }, spec: 0 }; }

function printTable(stats, seconds) {
  const rows = [...stats.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  const w = Math.max(...rows.map(([k]) => k.length), 20);
  console.log(`\n${"function / class".padEnd(w)} ${"cases".padStart(6)}   c-kzg agree/known/MISM   rust-eth-kzg agree/known/MISM   kzgkit's answers`);
  const tot = newStats();
  for (const [key, s] of rows) {
    const kz = [...s.kz.entries()].map(([a, n]) => `${a} ${n}`).join(", ");
    const f = (v) => v.join("/").padStart(14);
    console.log(`${key.padEnd(w)} ${String(s.cases).padStart(6)}   ${f(s.peer["c-kzg"])}         ${f(s.peer["rust-eth-kzg"])}                  ${kz}`);
    tot.cases += s.cases;
    tot.spec += s.spec;
    for (const p of ["c-kzg", "rust-eth-kzg"]) for (let i = 0; i < 3; i++) tot.peer[p][i] += s.peer[p][i];
  }
  const perFn = new Map();
  for (const [key, s] of rows) {
    const fn = key.split(" / ")[0];
    perFn.set(fn, (perFn.get(fn) || 0) + s.cases);
  }
  console.log(`\ncases per function: ${[...perFn.entries()].map(([f, n]) => `${f} ${n}`).join(", ")}`);
  for (const p of ["c-kzg", "rust-eth-kzg"]) {
    const [a, k, m] = tot.peer[p];
    console.log(`${p}: ${a} agreements, ${k} known disagreements, ${m} mismatches`);
  }
  console.log(`kzgkit against the specs' answer: ${tot.cases - tot.spec} of ${tot.cases}`);
  console.log(`${tot.cases} cases in ${seconds.toFixed(1)} s (${(tot.cases / seconds).toFixed(1)} cases/s)`);
  return tot;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  let peers;
  try {
    peers = loadPeers(o.peers);
  } catch (e) {
    console.error(`diff.js: cannot load the peers from ${o.peers}/node_modules: ${e.message}`);
    process.exit(2);
  }
  try {
    const h = await fetch(`${o.url}/healthz`, { signal: AbortSignal.timeout(10000) });
    if (h.status !== 200) throw new Error(`healthz answered ${h.status}`);
  } catch (e) {
    console.error(`diff.js: kzgkit at ${o.url}: ${e.message}`);
    process.exit(2);
  }
  console.log(`peers: c-kzg ${peers.ckzg.version}, rust-eth-kzg ${peers.eth.version}; kzgkit at ${o.url}`);
  if (peers.ckzg.version !== "4.1.0" || peers.eth.version !== "0.10.0") {
    console.log("note: KNOWN lists the departures of c-kzg 4.1.0 and rust-eth-kzg 0.10.0 (bench/peers/package.json)");
  }
  if (o.replay) process.exit(await replay(o, peers));

  const seed = o.seed !== null ? o.seed : (Date.now() ^ (process.pid << 16)) >>> 0;
  const cases = o.cases !== null ? o.cases : o.minutes !== null ? 1e9 : 2000;
  const t0 = Date.now();
  const stopAt = t0 + (o.minutes !== null ? o.minutes * 60000 : o.maxSeconds * 1000);
  const hardStop = t0 + Math.max(o.maxSeconds, o.minutes !== null ? o.minutes * 60 + 600 : 0) * 1000;
  console.log(`seed ${seed}: ${o.minutes !== null ? `${o.minutes} minutes` : `${cases} cases`}`
    + ` (replay one: ${o.replayCmd.replace("%s", `${seed}:CASE`)})`);
  const pools = makePools(seed, peers.kzg);
  const stats = new Map();
  const failures = [];
  let nextReport = t0 + 60000;
  let k = 0;
  for (; k < cases && Date.now() < Math.min(stopAt, hardStop); k++) {
    const c = makeCase(seed, k, pools);
    const r = await runCase(c, peers, o.url, k);
    const key = `${c.fn} / ${c.cls}`;
    if (!stats.has(key)) stats.set(key, newStats());
    const s = stats.get(key);
    s.cases++;
    const kzKey = r.kz.ok ? (typeof r.kz.out === "boolean" ? String(r.kz.out) : "output") : r.kz.err.split(":")[0];
    s.kz.set(kzKey, (s.kz.get(kzKey) || 0) + 1);
    if (r.spec) s.spec++;
    for (const p of r.peers) s.peer[p.name][["agree", "known", "mismatch"].indexOf(p.verdict)]++;
    const bad = r.peers.filter((p) => p.verdict === "mismatch");
    if (r.spec || bad.length) {
      failures.push(k);
      if (failures.length <= 20) {
        console.log(`MISMATCH case ${k}: ${key}${c.note ? ` (${c.note})` : ""}: kzgkit ${describe(r.kz)}`
          + (r.spec ? ` [${r.spec}]` : "") + bad.map((p) => `; ${p.name} ${describe(p.a)}`).join("")
          + `\n  replay: ${o.replayCmd.replace("%s", `${seed}:${k}`)}`);
      }
    }
    if (Date.now() >= nextReport) {
      nextReport += 60000;
      console.log(`  ${((Date.now() - t0) / 60000).toFixed(0)} min: ${k + 1} cases, ${failures.length} failing`);
    }
  }
  const seconds = (Date.now() - t0) / 1000;
  printTable(stats, seconds);
  console.log("\nknown disagreements of the peers with the specs (counted apart, kzgkit on the specs' side):");
  for (const kn of KNOWN) {
    const s = stats.get(`${kn.fn} / ${kn.cls}`);
    const n = s ? s.peer[kn.peer][1] : 0;
    console.log(`  ${String(n).padStart(6)}  ${kn.peer}, ${kn.fn} / ${kn.cls}: ${kn.why}; kzgkit ${kn.kzgkit}`);
  }
  console.log(`\ntransport: ${transport.length} request${transport.length === 1 ? "" : "s"} without an HTTP answer, each sent again and answered`
    + transport.slice(0, 20).map((t) => `\n  ${t}`).join("") + (transport.length > 20 ? "\n  …" : ""));
  if (failures.length) {
    console.log(`\nFAIL: ${failures.length} failing cases (seed ${seed}): ${failures.slice(0, 20).join(", ")}${failures.length > 20 ? ", …" : ""}`);
    process.exit(1);
  }
  if (o.minutes === null && k < cases) {
    console.log(`\nFAIL: ${k} of ${cases} cases within --max-seconds ${o.maxSeconds}`);
    process.exit(1);
  }
  console.log(`\nOK: seed ${seed}, ${k} cases, every answer agrees (or is a listed known disagreement)`);
  process.exit(0);
}

if (require.main !== module) {
  module.exports = { specRecoveredCells, Rng, makePools, makeCase, loadPeers };
} else main().catch((e) => {
  console.error(`diff.js: ${e.stack || e}`);
  process.exit(2);
});
