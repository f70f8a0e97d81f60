// bench/peers/libs.js — the peer libraries, one adapter each, behind one interface, so that
// bench_peers.js times and cross-checks every peer with the same loops.
//
// An adapter has: label (as printed), pkg (npm package), threads (what the library uses for
// the calls timed here) and open(), which loads the package and creates its context and
// returns { version, ctxMs, setup (what its context creation does), api }. api holds the six EIP-4844 functions on Uint8Arrays:
//   commit(blob) -> commitment            prove(blob, z) -> [proof, y]
//   blobProve(blob, commitment) -> proof  verify(commitment, z, y, proof) -> bool
//   blobVerify(blob, commitment, proof) -> bool
//   batch(blobs, commitments, proofs) -> bool
// A function the binding does not expose is left undefined (reported as "n/a"). open()
// throws when the package is missing or does not load; the caller goes on without it.
"use strict";

const fs = require("fs");
const { nowMs } = require("./common");

function packageVersion(pkg) {
  return JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), "utf8")).version;
}

// obj[name] bound to obj, or undefined when the binding has no such function.
function method(obj, name) {
  return typeof obj[name] === "function" ? obj[name].bind(obj) : undefined;
}

const ckzg = {
  label: "c-kzg",
  pkg: "c-kzg",
  threads: 1,
  threadsNote: "c-kzg's EIP-4844 functions are single-threaded; it has no thread option",
  open() {
    const kzg = require("c-kzg");
    const t0 = nowMs();
    // The mainnet setup shipped with c-kzg (the same points as kzgkit's). Its precompute
    // argument only builds tables for the EIP-7594 prover, so 0 loses nothing here.
    kzg.loadTrustedSetup(0);
    return {
      version: packageVersion("c-kzg"),
      ctxMs: nowMs() - t0,
      setup: "parses and checks its text setup (loadTrustedSetup(0))",
      api: {
        commit: method(kzg, "blobToKzgCommitment"),
        prove: method(kzg, "computeKzgProof"),
        blobProve: method(kzg, "computeBlobKzgProof"),
        verify: method(kzg, "verifyKzgProof"),
        blobVerify: method(kzg, "verifyBlobKzgProof"),
        batch: method(kzg, "verifyBlobKzgProofBatch"),
      },
    };
  },
};

const ethkzg = {
  label: "rust-eth-kzg",
  pkg: "@crate-crypto/node-eth-kzg",
  threads: 1,
  threadsNote: "the npm binding is built with rust-eth-kzg's `singlethreaded` feature and its "
    + "synchronous calls run on the caller's thread; it has no thread option",
  open() {
    const { DasContextJs } = require("@crate-crypto/node-eth-kzg");
    const t0 = nowMs();
    // usePrecomp builds fixed-base tables for the EIP-7594 (FK20) prover only; its EIP-4844
    // functions commit with a variable-base MSM either way, and the tables cost ~1.5 s.
    const ctx = DasContextJs.create({ usePrecomp: false });
    return {
      version: packageVersion("@crate-crypto/node-eth-kzg"),
      ctxMs: nowMs() - t0,
      setup: "deserialises its embedded setup (DasContextJs.create({ usePrecomp: false }))",
      api: {
        commit: method(ctx, "blobToKzgCommitment"),
        prove: method(ctx, "computeKzgProof"),
        blobProve: method(ctx, "computeBlobKzgProof"),
        verify: method(ctx, "verifyKzgProof"),
        blobVerify: method(ctx, "verifyBlobKzgProof"),
        batch: method(ctx, "verifyBlobKzgProofBatch"),
      },
    };
  },
};

// ---- EIP-7594 ----------------------------------------------------------------------------
//
// The cell functions run in a child process per round (peer7594.js), one configuration per
// process: c-kzg's setup is process-global and loads once (a second loadTrustedSetup throws),
// and each round then also measures a fresh load and a first call. A configuration has: id
// (peer7594.js --lib), label, pkg, threads, threadsNote, setup (what loading does) and
// open(), which loads the package and its setup (the caller times it) and returns
// { version, api } with, on Uint8Arrays and numbers:
//   cellsAndProofs(blob) -> [cells[128], proofs[128]]
//   verifyCells(commitments, cellIndices, cells, proofs) -> bool
//   recover(cellIndices, cells) -> [cells[128], proofs[128]]

function ckzg7594(precompute) {
  return {
    id: `c-kzg-p${precompute}`,
    label: `c-kzg p${precompute}`,
    pkg: "c-kzg",
    threads: 1,
    threadsNote: "c-kzg has no thread option: single-threaded",
    setup: `loadTrustedSetup(${precompute}): parses and checks its text setup`
      + (precompute ? `, and builds its fixed-base tables of the FK20 columns (window ${precompute})` : ""),
    open() {
      const kzg = require("c-kzg");
      kzg.loadTrustedSetup(precompute);
      return {
        version: packageVersion("c-kzg"),
        api: {
          cellsAndProofs: (blob) => kzg.computeCellsAndKzgProofs(blob),
          verifyCells: (c, i, cells, p) => kzg.verifyCellKzgProofBatch(c, i, cells, p),
          recover: (i, cells) => kzg.recoverCellsAndKzgProofs(i, cells),
        },
      };
    },
  };
}

function ethkzg7594(usePrecomp) {
  return {
    id: usePrecomp ? "rust-eth-kzg-precomp" : "rust-eth-kzg",
    label: usePrecomp ? "rust-eth-kzg precomp" : "rust-eth-kzg",
    pkg: "@crate-crypto/node-eth-kzg",
    threads: 1,
    threadsNote: "the npm binding is built with rust-eth-kzg's `singlethreaded` feature; "
      + "the synchronous calls run on the caller's thread; no thread option",
    setup: `DasContextJs.create({ usePrecomp: ${usePrecomp} }): deserialises its embedded setup`
      + (usePrecomp ? ", and builds fixed-base tables for the FK20 prover "
        + "(UsePrecomp::Yes { width: RECOMMENDED_PRECOMP_WIDTH })" : ""),
    open() {
      const { DasContextJs } = require("@crate-crypto/node-eth-kzg");
      const ctx = DasContextJs.create({ usePrecomp });
      const pair = (r) => [r.cells, r.proofs];
      return {
        version: packageVersion("@crate-crypto/node-eth-kzg"),
        api: {
          cellsAndProofs: (blob) => pair(ctx.computeCellsAndKzgProofs(blob)),
          verifyCells: (c, i, cells, p) => ctx.verifyCellKzgProofBatch(c, i, cells, p),
          recover: (i, cells) => pair(ctx.recoverCellsAndKzgProofs(i, cells)),
        },
      };
    },
  };
}

const PEERS_7594 = [ckzg7594(0), ckzg7594(8), ethkzg7594(false), ethkzg7594(true)];

module.exports = { PEERS: [ckzg, ethkzg], PEERS_7594 };
