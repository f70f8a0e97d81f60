#!/usr/bin/env node
// Rewrites a copy of c-kzg's binding.gyp so that its N-API addon (src/kzg.cxx) is built
// against kzgkit's drop-in ckzg.h and linked with libkzgkit-ckzg + libkzgkit, instead of
// compiling c-kzg's bundled C (deps/c-kzg) and blst (deps/blst).
//
//   node rewrite-gyp.js BINDING_GYP [--include DIR]... [--link ARG]... [--rpath DIR]...
//
// The file is parsed and edited as data, never patched as text:
//   - sources: everything under deps/ goes (ckzg.c, blst's server.c, its assembly, also
//     inside `conditions`); the addon's own sources stay;
//   - include_dirs: the deps/ folders go, the --include folders come first;
//   - defines: blst's (__BLST_*) go;
//   - libraries: the --link arguments (library files or -L/-l flags), in order;
//   - ldflags: -Wl,-rpath,DIR for each --rpath (a shared library outside the loader's path),
//     as DT_RPATH (--disable-new-dtags).
// It fails, rather than writing a half-converted file, when the result still names
// deps/c-kzg or deps/blst, or when no source is left: a newer c-kzg whose layout moved
// must be looked at, not silently built with its bundled C.
"use strict";

const fs = require("fs");

function die(msg) {
  console.error(`rewrite-gyp.js: ${msg}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const file = args.shift();
if (!file) die("usage: rewrite-gyp.js BINDING_GYP [--include DIR]... [--link ARG]... [--rpath DIR]...");
const opts = { "--include": [], "--link": [], "--rpath": [] };
while (args.length) {
  const key = args.shift();
  if (!(key in opts) || !args.length) die(`bad argument ${key}`);
  opts[key].push(args.shift());
}

// gyp files are Python literals; c-kzg's is plain JSON, which is all this accepts.
let gyp;
try {
  gyp = JSON.parse(fs.readFileSync(file, "utf8"));
} catch (e) {
  die(`${file} is not JSON (${e.message}); this c-kzg layout needs a new rewrite`);
}

const bundled = (s) => typeof s === "string" && /(^|[/)])deps\//.test(s);
const isBlstDefine = (d) => typeof d === "string" && d.startsWith("__BLST");

// Drops the bundled sources from one settings dictionary (a target, or one branch of a
// condition) and from the conditions nested in it.
function stripBundled(dict) {
  if (Array.isArray(dict.sources)) dict.sources = dict.sources.filter((s) => !bundled(s));
  if (dict.sources && dict.sources.length === 0) delete dict.sources;
  if (Array.isArray(dict.include_dirs)) dict.include_dirs = dict.include_dirs.filter((s) => !bundled(s));
  if (Array.isArray(dict.defines)) dict.defines = dict.defines.filter((d) => !isBlstDefine(d));
  if (Array.isArray(dict.conditions)) {
    dict.conditions = dict.conditions
      .map((cond) => {
        const [test, ...branches] = cond;
        const kept = branches.map((b) => (b && typeof b === "object" ? (stripBundled(b), b) : b));
        return kept.every((b) => b && typeof b === "object" && Object.keys(b).length === 0) ? null : [test, ...kept];
      })
      .filter(Boolean);
  }
}

if (!Array.isArray(gyp.targets) || gyp.targets.length === 0) die("no targets in binding.gyp");
for (const t of gyp.targets) {
  stripBundled(t);
  if (!t.sources || t.sources.length === 0) die(`target ${t.target_name}: no source left`);
  t.include_dirs = [...opts["--include"], ...(t.include_dirs || [])];
  t.libraries = [...(t.libraries || []), ...opts["--link"]];
  // DT_RPATH rather than RUNPATH: it is searched for the libraries' own dependencies too
  // (libkzgkit-ckzg.so.0 needs libkzgkit.so.0, and an installed one carries no path).
  if (opts["--rpath"].length) {
    t.ldflags = [...(t.ldflags || []), "-Wl,--disable-new-dtags", ...opts["--rpath"].map((d) => `-Wl,-rpath,${d}`)];
  }
}

const left = [];
(function walk(v, where) {
  if (typeof v === "string") {
    if (/deps\/(c-kzg|blst)/.test(v)) left.push(`${where}: ${v}`);
  } else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) walk(x, `${where}.${k}`);
  }
})(gyp, "binding.gyp");
if (left.length) die(`still names c-kzg's bundled C after the rewrite:\n  ${left.join("\n  ")}`);

fs.writeFileSync(file, JSON.stringify(gyp, null, 2) + "\n");
