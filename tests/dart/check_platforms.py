#!/usr/bin/env python3
"""Checks that the two Flutter examples build for exactly the targets whose struct layout the
suite verifies: the pass rows of tests/packaging/cross_targets.txt (the table the test
layout.cross_targets compiles the golden headers for).

  - examples/flutter_plugin/android/build.gradle: `abiFilters` lists the Android ABI of
    every pass row, and nothing else (so no fail row's ABI: x86);
  - examples/flutter_plugin_native_assets/hook/build.dart: `_verifiedTargets` maps each OS
    to the architectures of its pass rows, and to nothing else.

Output: one line per problem, then "platforms: N targets, M problems". Exit 1 if M > 0.
  check_platforms.py --table cross_targets.txt --gradle build.gradle --hook build.dart
"""
import argparse
import re
import sys


def read_table(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        target, result, os_, arch, abi = line.split()[:5]
        rows.append((target, result, os_, arch, abi))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--table", required=True)
    ap.add_argument("--gradle", required=True)
    ap.add_argument("--hook", required=True)
    args = ap.parse_args()
    rows = read_table(args.table)
    problems = []

    want_abis = {abi for _, result, os_, _, abi in rows if result == "pass" and os_ == "android" and abi != "-"}
    bad_abis = {abi for _, result, os_, _, abi in rows if result == "fail" and os_ == "android" and abi != "-"}
    gradle = open(args.gradle, encoding="utf-8").read()
    filters = re.findall(r"^\s*abiFilters\s*(?:\+?=\s*\[)?\s*([^\n\]]*)", gradle, re.M)
    if len(filters) != 1:
        problems.append(f"{args.gradle}: {len(filters)} abiFilters lines, expected one")
    else:
        have = set(re.findall(r"[\"']([^\"']+)[\"']", filters[0]))
        for abi in sorted(want_abis - have):
            problems.append(f"{args.gradle}: abiFilters lacks {abi}, whose layout the suite verifies")
        for abi in sorted(have & bad_abis):
            problems.append(f"{args.gradle}: abiFilters has {abi}, where the generated layout does not hold")
        for abi in sorted(have - want_abis - bad_abis):
            problems.append(f"{args.gradle}: abiFilters has {abi}, which cross_targets.txt does not verify")

    want = {}
    for _, result, os_, arch, _ in rows:
        if result == "pass":
            want.setdefault(os_, set()).add(arch)
    hook = open(args.hook, encoding="utf-8").read()
    m = re.search(r"const _verifiedTargets = \{(.*?)^\};", hook, re.M | re.S)
    if not m:
        problems.append(f"{args.hook}: no 'const _verifiedTargets = {{...}};'")
    else:
        have = {os_: set(re.findall(r"'(\w+)'", archs))
                for os_, archs in re.findall(r"'(\w+)':\s*\{([^}]*)\}", m.group(1))}
        for os_ in sorted(set(want) | set(have)):
            for arch in sorted(want.get(os_, set()) - have.get(os_, set())):
                problems.append(f"{args.hook}: _verifiedTargets lacks {os_} {arch}, whose layout the suite verifies")
            for arch in sorted(have.get(os_, set()) - want.get(os_, set())):
                problems.append(f"{args.hook}: _verifiedTargets has {os_} {arch}, which cross_targets.txt "
                                f"does not verify")
    for p in problems:
        print(p)
    print(f"platforms: {len(rows)} targets, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
