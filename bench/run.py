#!/usr/bin/python3
"""Runs the benchmark suite and writes benchmarks.json, report.html and report.md.

    run.py --out DIR [--quick] --program NAME=PATH [--program NAME=PATH ...]

Each category program is run as `PATH [--quick] --json DIR/parts/NAME.json --markdown
DIR/parts/NAME.md`; its progress lines go to stderr as it runs. The parts are merged into
DIR/benchmarks.json (every result tagged with its program and suite, the machine and library
versions recorded once), then bench/report.py renders DIR/report.html and DIR/report.md.
A program that fails stops the run with its exit status. Only the Python standard library is
used (Debian's python3).
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402


def package_version(pkg):
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True,
                             check=False)
        return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else None
    except OSError:
        return None


def library_versions():
    """Versions of the libraries the programs use or compare with, from the package manager."""
    wanted = {
        "glibc": ["libc6"],
        "mimalloc": ["libmimalloc2.0", "libmimalloc-dev"],
        "protobuf-c": ["libprotobuf-c1", "libprotobuf-c-dev"],
        "protobuf (protoc)": ["protobuf-compiler"],
        "nanopb": ["nanopb", "python3-nanopb"],
        "gcc": ["gcc"],
    }
    versions = {}
    for name, pkgs in wanted.items():
        for p in pkgs:
            v = package_version(p)
            if v:
                versions[name] = f"{v} ({p})"
                break
        else:
            versions[name] = "not installed"
    return versions


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="directory for benchmarks.json, report.html, report.md")
    ap.add_argument("--quick", action="store_true", help="seconds instead of minutes: fewer repetitions")
    ap.add_argument("--program", action="append", default=[], metavar="NAME=PATH",
                    help="a category program (repeat); run in the order given")
    args = ap.parse_args()
    programs = []
    for p in args.program:
        name, sep, path = p.partition("=")
        if not sep or not name or not path:
            ap.error(f"--program wants NAME=PATH, got {p!r}")
        programs.append((name, path))
    if not programs:
        ap.error("no --program given")

    parts = os.path.join(args.out, "parts")
    os.makedirs(parts, exist_ok=True)
    mode = "quick" if args.quick else "full"
    merged = {"mode": mode, "machine": None, "libraries": library_versions(), "programs": [], "results": []}
    started = time.time()
    for i, (name, path) in enumerate(programs, 1):
        part_json = os.path.join(parts, name + ".json")
        part_md = os.path.join(parts, name + ".md")
        cmd = [path] + (["--quick"] if args.quick else []) + ["--json", part_json, "--markdown", part_md]
        print(f"[run] {i}/{len(programs)} {name} ({mode})", file=sys.stderr, flush=True)
        t0 = time.time()
        # Programs print their table rows or a checksum on stdout: shown as progress too.
        proc = subprocess.run(cmd, stdout=sys.stderr, check=False)
        elapsed = time.time() - t0
        if proc.returncode != 0:
            print(f"[run] {name} failed with exit status {proc.returncode}", file=sys.stderr)
            return proc.returncode or 1
        with open(part_json, encoding="utf-8") as f:
            part = json.load(f)
        if merged["machine"] is None:
            merged["machine"] = part.get("machine", {})
        merged["programs"].append({"name": name, "suite": part.get("suite", name), "mode": part.get("mode"),
                                   "seconds": round(elapsed, 2), "results": len(part.get("results", []))})
        for r in part.get("results", []):
            merged["results"].append(dict(r, program=name, suite=part.get("suite", name)))
        print(f"[run] {name}: {len(part.get('results', []))} results in {elapsed:.1f} s", file=sys.stderr,
              flush=True)
    merged["machine"] = dict(merged["machine"] or {}, python=platform.python_version())
    merged["seconds"] = round(time.time() - started, 1)
    out_json = os.path.join(args.out, "benchmarks.json")
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump(merged, f, indent=1)
        f.write("\n")
    report.write_reports(merged, os.path.join(args.out, "report.html"), os.path.join(args.out, "report.md"))
    print(f"[run] wrote {out_json}, report.html and report.md in {args.out} ({merged['seconds']} s)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
