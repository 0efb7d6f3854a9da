#!/usr/bin/env python3
"""Every pubspec's Dart SDK constraint is at least what its dependencies require.

  check_pubspecs.py --table dependency_sdks.txt PUBSPEC...

For each pubspec.yaml: the lower bound of `environment: sdk:` (`^3.5.0` or `>=3.5.0 ...`)
must be at least
  - for each hosted dependency (dependencies and dev_dependencies) with a `^X.Y.Z` or
    `>=X.Y.Z` constraint, the minimum SDK of version X.Y.Z in the table (a dependency that
    needs a newer SDK than the pubspec admits makes `pub get` fail on the SDKs in between);
  - for each `path:` dependency, the SDK lower bound of the pubspec it points to.
SDK dependencies (`sdk: flutter`) are skipped. Dependencies the table does not list are
printed as unverified (no registry is reachable from the build machines). A small YAML
subset is read: the two-space-indented maps these pubspecs use.

Output: one line per problem, then "pubspecs: N dependencies checked, U unverified, M
problems". Exit 1 if M > 0 or nothing was checked.
"""
import argparse
import os
import re
import sys


def version(s):
    return tuple(int(x) for x in s.split("."))


def lower_bound(constraint):
    m = re.match(r"""\s*['"]?(?:\^|>=)\s*(\d+\.\d+\.\d+)""", constraint)
    return m.group(1) if m else None


def read_pubspec(path):
    """(sdk lower bound, [(section, name, constraint or None, path or None)])."""
    sdk, deps, section, current = None, [], None, None
    for raw in open(path, encoding="utf-8"):
        line = raw.split(" #")[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        if not line.startswith(" "):
            section = line.split(":")[0].strip()
            current = None
            continue
        indent = len(line) - len(line.lstrip())
        key, _, value = line.strip().partition(":")
        value = value.strip()
        if section == "environment" and indent == 2 and key == "sdk":
            sdk = lower_bound(value)
        elif section in ("dependencies", "dev_dependencies"):
            if indent == 2:
                current = [section, key, value or None, None, False]
                deps.append(current)
            elif indent == 4 and current is not None:
                if key == "path":
                    current[3] = value
                elif key == "sdk":
                    current[4] = True
    return sdk, deps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--table", required=True)
    ap.add_argument("pubspecs", nargs="+")
    args = ap.parse_args()
    table = {}
    for line in open(args.table, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            pkg, ver, sdk = line.split()
            table[(pkg, ver)] = sdk
    problems = checked = unverified = 0
    for pubspec in args.pubspecs:
        sdk, deps = read_pubspec(pubspec)
        if sdk is None:
            print(f"{pubspec}: no environment sdk lower bound")
            problems += 1
            continue
        for section, name, constraint, path, is_sdk in deps:
            if is_sdk:
                continue
            if path is not None:
                target = os.path.normpath(os.path.join(os.path.dirname(pubspec), path, "pubspec.yaml"))
                need, _ = read_pubspec(target)
                source = f"the pubspec at {path}"
            else:
                low = lower_bound(constraint or "")
                need = table.get((name, low)) if low else None
                source = f"{name} {low}"
                if need is None:
                    print(f"{pubspec}: {section} {name} {constraint}: unverified (not in {os.path.basename(args.table)})")
                    unverified += 1
                    continue
            checked += 1
            if need is None or version(sdk) < version(need):
                print(f"{pubspec}: sdk lower bound {sdk}, but {section} {name} ({source}) needs Dart {need}")
                problems += 1
    if checked == 0:
        print("no dependency checked")
        problems += 1
    print(f"pubspecs: {checked} dependencies checked, {unverified} unverified, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
