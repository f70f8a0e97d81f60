#!/usr/bin/env python3
"""gate_quality.py — the bookkeeping half of bench/gate-quality/run.sh.

run.sh runs the measurements; this file turns their outputs into records and the records
into rates. Standard library only (python3 >= 3.8).

  verdicts-compare FILE     `kzgkit compare` stdout -> "benchmark<TAB>verdict<TAB>change"
  verdicts-ab JSON          `kzgkit ab --json` file -> the same lines
  summary RECORDS META OUT  records TSV + meta JSON -> Markdown table on stdout, OUT (JSON)

A record is "config<TAB>trial<TAB>benchmark<TAB>verdict<TAB>change", config one of
compare, ab, icount (false alarms: no change was made) or ab-slow:P, icount-slow:P
(detection: verify_kzg_proof made P per mille slower). verdict is regressed, improved, ~
or error (the run failed; counted as a trial of neither kind, and reported).
"""
import json
import math
import re
import sys

DETECT_OP = "verify_kzg_proof"
Z95 = 1.959963984540054


def wilson(k, n, z=Z95):
    """Wilson score interval of a binomial proportion k/n (Wilson 1927). Unlike the normal
    interval it stays inside [0, 1] and is not empty at k = 0 or k = n, which is where a
    gate's rates live: 0 of 10 false alarms gives [0, 27.8 %], not [0, 0]."""
    if n == 0:
        return None
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return [max(0.0, mid - half), min(1.0, mid + half)]


CHANGE = re.compile(r"^[+-]?[0-9.]+%$")
VERDICTS = ("regressed", "improved", "~")


def verdicts_compare(path):
    """Rows of compare's table: from the header line starting with "benchmark" to the first
    line that is not a row. A row is the id, the medians, the change (first token that is a
    signed percentage), interval, p and the verdict as its last token."""
    rows, in_table = [], False
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            tok = line.split()
            if not tok:
                if in_table:
                    break
                continue
            if tok[0] == "benchmark":
                in_table = True
                continue
            if not in_table:
                continue
            if tok[-1] not in VERDICTS:
                break
            change = next((t for t in tok[1:] if CHANGE.match(t)), "")
            rows.append((tok[0], tok[-1], change.rstrip("%")))
    return rows


def verdicts_ab(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    rows = []
    for b in doc.get("benchmarks", []):
        ch = b.get("change")
        rows.append((b["id"], b.get("verdict") or "error",
                     "" if ch is None else "%.3f" % (100.0 * ch)))
    return rows


def pct(x):
    return "%.1f%%" % (100.0 * x)


def summary(records_path, meta_path, out_path):
    with open(meta_path, encoding="utf-8") as f:
        meta = json.load(f)
    recs = []
    with open(records_path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 5:
                recs.append(parts)

    benches = []
    for r in recs:
        if r[2] not in benches:
            benches.append(r[2])
    benches.sort()

    def cell(config, bench):
        rows = [r for r in recs if r[0] == config and (bench is None or r[2] == bench)]
        ok = [r for r in rows if r[3] != "error"]
        return ok, len(rows) - len(ok)

    rates = []
    methods = [("compare", "`bench` + `bench` + `compare`"),
               ("ab", "`ab B B`"),
               ("icount", "instructions twice + `compare`")]
    lines = ["**False alarms** (no change; a verdict other than `~` is a false alarm; "
             "events/trials, rate, Wilson 95% interval):", "",
             "| method | " + " | ".join(benches) + " | all |",
             "|---" * (len(benches) + 2) + "|"]
    for cfg, label in methods:
        if not any(r[0] == cfg for r in recs):
            continue
        cells = []
        for b in benches + [None]:
            ok, errors = cell(cfg, b)
            k = sum(1 for r in ok if r[3] != "~")
            reg = sum(1 for r in ok if r[3] == "regressed")
            n = len(ok)
            ci = wilson(k, n)
            rates.append({"method": cfg, "kind": "false_alarm", "benchmark": b or "all",
                          "injection_permille": 0, "events": k, "regressed": reg,
                          "improved": k - reg, "trials": n, "errors": errors,
                          "rate": (k / n) if n else None, "ci95": ci})
            if n == 0:
                cells.append("-")
            else:
                cells.append("%d/%d %s [%s, %s]%s" % (k, n, pct(k / n), pct(ci[0]), pct(ci[1]),
                                                     " (%d err)" % errors if errors else ""))
        lines.append("| %s | %s |" % (label, " | ".join(cells)))

    lines += ["", "**Detection** of `%s` made slower (verdict `regressed` for it; "
              "the change column is the median measured change over the trials):" % DETECT_OP,
              "", "| method | injected | detected | rate | 95% interval | median change | "
              "other benchmarks flagged |", "|---|---|---|---|---|---|---|"]
    slow = sorted({r[0] for r in recs if "-slow:" in r[0]},
                  key=lambda c: (c.split("-slow:")[0] != "ab", int(c.split(":")[1])))
    for cfg in slow:
        method, permille = cfg.split("-slow:")
        ok, errors = cell(cfg, DETECT_OP)
        n = len(ok)
        k = sum(1 for r in ok if r[3] == "regressed")
        ci = wilson(k, n)
        changes = sorted(float(r[4]) for r in ok if r[4] not in ("", "-"))
        med = changes[len(changes) // 2] if len(changes) % 2 else (
            (changes[len(changes) // 2 - 1] + changes[len(changes) // 2]) / 2 if changes else None)
        others, _ = cell(cfg, None)
        others = [r for r in others if r[2] != DETECT_OP]
        ko = sum(1 for r in others if r[3] != "~")
        rates.append({"method": method, "kind": "detection", "benchmark": DETECT_OP,
                      "injection_permille": int(permille), "events": k, "trials": n,
                      "errors": errors, "rate": (k / n) if n else None, "ci95": ci,
                      "median_change_pct": med,
                      "other_benchmarks_flagged": ko, "other_benchmark_verdicts": len(others)})
        label = "`ab BASE SLOW`" if method == "ab" else "instructions + `compare`"
        lines.append("| %s | +%.1f%% (%s:%s) | %d/%d | %s | %s | %s | %d of %d |" % (
            label, int(permille) / 10.0, DETECT_OP, permille, k, n,
            pct(k / n) if n else "-",
            "[%s, %s]" % (pct(ci[0]), pct(ci[1])) if ci else "-",
            "-" if med is None else "%+.2f%%" % med, ko, len(others)))

    doc = dict(meta)
    doc["kind"] = "kzgkit-gate-quality"
    doc["schema_version"] = 1
    doc["benchmarks"] = benches
    doc["interval"] = "wilson_score_95"
    doc["rates"] = rates
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print("\n".join(lines))


def main(argv):
    if len(argv) == 3 and argv[1] in ("verdicts-compare", "verdicts-ab"):
        rows = verdicts_compare(argv[2]) if argv[1] == "verdicts-compare" else verdicts_ab(argv[2])
        for r in rows:
            print("\t".join(r))
        return 0
    if len(argv) == 5 and argv[1] == "summary":
        summary(argv[2], argv[3], argv[4])
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
