#!/usr/bin/python3
"""Writes and checks the input of struct_values with python3-protobuf (Debian's /usr/bin/python3).

    write_config.py OUT            writes the example google.protobuf.Struct to OUT
    write_config.py --check EDITED checks struct_values' output: the edits it makes, and every
                                   other value as written
"""
import sys

from google.protobuf import json_format, struct_pb2

CONFIG = {
    "name": "example config",
    "version": 2,
    "enabled": True,
    "ratio": 0.25,
    "parent": None,
    "tags": ["c", "dart", "ffi"],
    "limits": {"depth": 100, "sizes": [16, 64, 300], "nested": {"deeper": {"deepest": "é✓🙂"}}},
    "matrix": [[1, 2], [3, [4, {"five": 5}]], []],
}


def config():
    s = struct_pb2.Struct()
    s.update(CONFIG)
    return s


def main():
    if len(sys.argv) == 2:
        with open(sys.argv[1], "wb") as f:
            f.write(config().SerializeToString(deterministic=True))
        return 0
    if len(sys.argv) != 3 or sys.argv[1] != "--check":
        print(__doc__)
        return 2
    edited = struct_pb2.Struct()
    with open(sys.argv[2], "rb") as f:
        edited.ParseFromString(f.read())
    got = json_format.MessageToDict(edited)
    want = json_format.MessageToDict(config())
    want["version"] += 1
    want["tags"].append("edited in C")
    want["name"] = "proto2ffi struct_values"
    want["checked_by"] = "proto2ffi"
    if got != want:
        print(f"FAIL: struct_values wrote\n  {got}\nexpected\n  {want}")
        return 1
    print(f"struct_values' edits check out ({len(got)} keys)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
