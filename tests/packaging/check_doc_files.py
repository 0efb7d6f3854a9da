#!/usr/bin/env python3
"""Checks that the files a doc page shows are the files in the repository.

  check_doc_files.py <doc.md> <repo root>

A code block preceded by the line `<!-- file: <path> -->` (blank lines between allowed) must
equal <repo root>/<path> exactly. Every file of each directory named this way must be shown,
so the page cannot fall behind when a file is added. Exits 1 listing every difference.
"""
import difflib
import os
import re
import sys


def blocks(text):
    """Yields (path, code) for each marked fenced block."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = re.fullmatch(r"<!-- file: (\S+) -->", lines[i].strip())
        i += 1
        if not m:
            continue
        while i < len(lines) and not lines[i].strip():
            i += 1
        fence = re.match(r"^(```+|~~~+)", lines[i]) if i < len(lines) else None
        if not fence:
            yield m.group(1), None
            continue
        i += 1
        start = i
        while i < len(lines) and not lines[i].startswith(fence.group(1)):
            i += 1
        yield m.group(1), "\n".join(lines[start:i]) + "\n"
        i += 1


def main():
    doc, root = sys.argv[1], sys.argv[2]
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    errors = []
    shown = set()
    for path, code in blocks(text):
        shown.add(path)
        if code is None:
            errors.append(f"{path}: marker not followed by a code block")
            continue
        full = os.path.join(root, path)
        try:
            with open(full, encoding="utf-8") as f:
                want = f.read()
        except OSError as e:
            errors.append(f"{path}: {e}")
            continue
        if code != want:
            diff = difflib.unified_diff(want.splitlines(), code.splitlines(), f"{path} (file)", f"{path} (in {doc})", lineterm="")
            errors.append(f"{path}: the block differs from the file:\n" + "\n".join(diff))
    if not shown:
        errors.append("no <!-- file: ... --> blocks found")
    for d in sorted({os.path.dirname(p) for p in shown}):
        for name in sorted(os.listdir(os.path.join(root, d))):
            p = os.path.join(d, name)
            if os.path.isfile(os.path.join(root, p)) and p not in shown:
                errors.append(f"{p}: in {d}/ but not shown in {doc}")
    for e in errors:
        print(e)
    print(f"{len(shown)} files shown, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
