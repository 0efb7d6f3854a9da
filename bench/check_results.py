#!/usr/bin/python3
"""Checks the output of bench/run.py: every expected program present with results, every figure a positive
median inside its p5–p95 band, report.html and report.md written with one chart per group.

    check_results.py DIR PROGRAM [PROGRAM ...]

Exits 1 with one line per problem, 0 (and a summary) when the results are complete.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402


def problems(out_dir, programs):
    errs = []
    path = os.path.join(out_dir, "benchmarks.json")
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        return [f"{path}: {e}"], None
    results = data.get("results", [])
    present = {r.get("program") for r in results}
    for p in programs:
        if p not in present:
            errs.append(f"program {p!r} has no results")
    for r in results:
        s = r.get("ns_per_op", {})
        where = f"{r.get('suite')} / {r.get('group')} / {r.get('name')} / {r.get('peer')}"
        med = s.get("median", 0)
        if not med > 0:
            errs.append(f"{where}: median {med} is not positive")
        elif not s.get("p5", -1) <= med <= s.get("p95", -1):
            errs.append(f"{where}: median {med} outside p5 {s.get('p5')} .. p95 {s.get('p95')}")
        if not r.get("reps", 0) >= 1 or not r.get("ops_per_rep", 0) >= 1:
            errs.append(f"{where}: no repetitions recorded")
    for key in ("cpu", "compiler", "cflags", "glibc"):
        if not (data.get("machine") or {}).get(key):
            errs.append(f"machine.{key} not recorded")
    groups = len(report.groups_of(data))
    html_path = os.path.join(out_dir, "report.html")
    md_path = os.path.join(out_dir, "report.md")
    try:
        with open(html_path, encoding="utf-8") as f:
            page = f.read()
        charts = page.count('<svg class="chart"')
        if charts != groups:
            errs.append(f"report.html has {charts} charts for {groups} groups")
        for bad in ("http://", "https://"):
            for line in page.splitlines():
                if bad in line and "xmlns=" not in line:
                    errs.append(f"report.html refers to the network: {line.strip()[:80]}")
                    break
    except OSError as e:
        errs.append(f"{html_path}: {e}")
    try:
        with open(md_path, encoding="utf-8") as f:
            md = f.read()
        if md.count("\n### ") != groups:
            errs.append(f"report.md has {md.count(chr(10) + '### ')} tables for {groups} groups")
    except OSError as e:
        errs.append(f"{md_path}: {e}")
    return errs, (len(results), groups)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    errs, counts = problems(sys.argv[1], sys.argv[2:])
    for e in errs:
        print("check_results:", e, file=sys.stderr)
    if errs:
        return 1
    print(f"check_results: {counts[0]} results in {counts[1]} groups from {' '.join(sys.argv[2:])}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
