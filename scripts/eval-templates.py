#!/usr/bin/env python3
"""Measure creeplint against a labelled templates corpus.

Runs `creeplint check --format json DIR` and compares the findings with DIR/EXPECTED.tsv
(columns: file, line, category, excerpt). An expected spot is caught when any finding sits on
its file and line. Prints recall overall and per category, the missed spots, and false positives
(findings on lines EXPECTED.tsv does not list; any finding in clean_newsletter.html is one).

Usage: scripts/eval-templates.py [DIR] [--bin PATH] [--min-recall R] [-- extra check args]
Standard library only.
"""

import argparse
import collections
import csv
import json
import os
import subprocess
import sys


def load_expected(path):
    spots = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            spots.append(
                {
                    "file": row["file"],
                    "line": int(row["line"]),
                    "category": row["category"],
                    "excerpt": row.get("excerpt", ""),
                }
            )
    return spots


def run_check(binary, directory, extra):
    cmd = [binary, "check", "--format", "json", "--color", "never", *extra, directory]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr)
        sys.exit(f"creeplint exited {proc.returncode}: {' '.join(cmd)}")
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        sys.exit(f"creeplint did not print JSON ({e}): {proc.stdout[:200]!r}")
    return cmd, doc["findings"], proc.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", nargs="?", default="tests/corpus/templates")
    ap.add_argument("--bin", default="target/debug/creeplint")
    ap.add_argument("--min-recall", type=float, default=None,
                    help="exit 1 when overall recall is below this fraction")
    # Everything after `--` goes to `creeplint check` untouched; argparse alone would try to read
    # `--config` and the like as its own options.
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    own = argv[: argv.index("--")] if "--" in argv else argv
    args = ap.parse_args(own)
    args.extra = extra

    expected = load_expected(os.path.join(args.dir, "EXPECTED.tsv"))
    cmd, findings, stderr = run_check(args.bin, args.dir, args.extra)

    found = collections.defaultdict(list)  # (file, line) -> [rule ids]
    for f in findings:
        rel = os.path.relpath(f["path"], args.dir)
        found[(rel, f["line"])].append(f["rule"])

    listed = {(s["file"], s["line"]) for s in expected}
    per_cat = collections.defaultdict(lambda: [0, 0])  # category -> [caught, total]
    missed = []
    for s in expected:
        key = (s["file"], s["line"])
        per_cat[s["category"]][1] += 1
        if key in found:
            per_cat[s["category"]][0] += 1
        else:
            missed.append(s)
    false_pos = sorted((k, v) for k, v in found.items() if k not in listed)

    caught = len(expected) - len(missed)
    recall = caught / len(expected) if expected else 1.0
    print(f"command: {' '.join(cmd)}")
    print(f"recall: {caught}/{len(expected)} = {recall:.1%}")
    print("per category:")
    for cat in sorted(per_cat):
        c, t = per_cat[cat]
        print(f"  {cat:<20} {c}/{t} = {c / t:.0%}")
    print(f"missed ({len(missed)}):")
    for s in missed:
        print(f"  {s['file']}:{s['line']} [{s['category']}] {s['excerpt']}")
    print(f"false positives ({len(false_pos)}):")
    for (file, line), rules in false_pos:
        print(f"  {file}:{line} {', '.join(sorted(set(rules)))}")
    if stderr.strip():
        print("creeplint stderr:")
        for line in stderr.strip().splitlines():
            print(f"  {line}")

    if args.min_recall is not None and recall < args.min_recall:
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `| head`
        sys.exit(0)
