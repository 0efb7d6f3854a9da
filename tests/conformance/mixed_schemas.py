#!/usr/bin/python3
"""Copies the conformance schemas into OUT for the mixed storage form: every repeated and map
field loses its capacity annotations ((ffi).max_count, max_length, max_size), so the
generator's default makes it out-of-line, while singular, optional and oneof strings and bytes
keep theirs and stay inline. Most messages then hold both storage classes.

    mixed_schemas.py OUT ROOT|REL...
"""
import pathlib
import re
import sys

CAPACITY = re.compile(r",?\s*\(ffi\)\.max_(count|length|size)\s*=\s*[0-9]+")


def strip(line):
    if not re.match(r"\s*(repeated\s|map<)", line):
        return line
    line = CAPACITY.sub("", line)
    line = re.sub(r"\[\s*,\s*", "[", line)
    return re.sub(r"\s*\[\s*\]", "", line)


def main():
    out = pathlib.Path(sys.argv[1])
    for entry in sys.argv[2:]:
        root, rel = entry.split("|")
        text = "".join(strip(line) for line in (pathlib.Path(root) / rel).read_text().splitlines(keepends=True))
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text() != text:
            target.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
