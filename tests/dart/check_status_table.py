#!/usr/bin/env python3
"""Checks that the Dart status table (dart_bindings/lib/src/status.dart, statusCodes) is the C
table P2F_STATUS_TABLE of runtime/include/proto2ffi/status.h: same entries, same order, same
numbers, names and descriptions. Prints every difference; exits 1 if there is one.

  check_status_table.py <status.h> <status.dart>
"""
import re
import sys


def c_table(text):
    body = text[text.index("#define P2F_STATUS_TABLE(X)"):]
    body = body[:body.index("\n\n")]
    return [(int(v), n, d) for n, v, d in re.findall(r'X\((\w+),\s*(-?\d+),\s*"((?:[^"\\]|\\.)*)"\)', body)]


def dart_table(text):
    body = text[text.index("const List<StatusCode> statusCodes = ["):]
    body = body[:body.index("];")]
    out = []
    for v, n, d1, d2 in re.findall(r"StatusCode\((-?\d+), '(\w+)', (?:'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\")\)", body):
        out.append((int(v), n, d1 if d1 else d2))
    return out


def main():
    c = c_table(open(sys.argv[1], encoding="utf-8").read())
    d = dart_table(open(sys.argv[2], encoding="utf-8").read())
    bad = 0
    for i in range(max(len(c), len(d))):
        ce = c[i] if i < len(c) else None
        de = d[i] if i < len(d) else None
        if ce != de:
            print(f"entry {i}: C {ce} != Dart {de}")
            bad += 1
    print(f"status table: {len(c)} C entries, {len(d)} Dart entries, {bad} differences")
    return 1 if bad or not c else 0


if __name__ == "__main__":
    sys.exit(main())
