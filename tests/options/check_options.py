#!/usr/bin/python3
"""Checks the capacities in generated layout manifests against a list of expected values.

    check_options.py <dir with *.ffi.json> <expected.txt>

expected.txt lines: "<field full name> <max_length|max_size|max_count> <value>". Every line
must match; the manifests are read as data, so the check is independent of the generator's
code paths. Prints one line per mismatch and a summary; exits 1 on any mismatch.
"""
import json
import pathlib
import sys


def main():
    out_dir, expected_path = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    fields = {}
    for manifest in sorted(out_dir.rglob("*.ffi.json")):
        data = json.loads(manifest.read_text())
        for msg in data["messages"]:
            for f in msg["fields"]:
                fields[msg["full_name"] + "." + f["name"]] = f
    checked = failed = 0
    for line in expected_path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, key, value = line.split()
        checked += 1
        f = fields.get(name)
        if f is None:
            print(f"MISSING field {name}")
            failed += 1
        elif f.get(key) != int(value):
            print(f"MISMATCH {name} {key}: expected {value}, manifest has {f.get(key)}")
            failed += 1
    print(f"{checked - failed} passed, {failed} failed")
    return 1 if failed or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
