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

module.exports = { PEERS: [ckzg, ethkzg] };
