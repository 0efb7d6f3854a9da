#!/usr/bin/python3
"""Writes a synthetic proto3 schema of N messages (default 1000) for the generator benchmark.

    gen_schema.py OUT.proto [N]

Message i has 6 to 13 fields cycling through the scalar types, a bounded string, a bounded
repeated scalar, an enum field and (from the second message on) a field of an earlier
message type, plus one oneof in every fifth message. The output depends only on N.
"""
import sys

SCALARS = ["int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32",
           "sfixed64", "float", "double", "bool"]


def schema(n):
    out = ['// Synthetic schema for the generator benchmark (bench/gen/gen_schema.py); do not edit.',
           'syntax = "proto3";', "", "package synth;", "", 'import "proto2ffi/options.proto";', "",
           "enum Kind {", "  KIND_UNKNOWN = 0;", "  KIND_A = 1;", "  KIND_B = 2;", "}", ""]
    for i in range(n):
        fields = []
        tag = 1
        for k in range(3 + i % 8):
            fields.append(f"  {SCALARS[(i + k) % len(SCALARS)]} f{tag} = {tag};")
            tag += 1
        fields.append(f"  string name{tag} = {tag} [(ffi).max_length = {8 + (i % 5) * 8}];")
        tag += 1
        fields.append(f"  repeated uint32 values{tag} = {tag} [(ffi).max_count = {1 + i % 4}];")
        tag += 1
        fields.append(f"  Kind kind{tag} = {tag};")
        tag += 1
        if i > 0:
            fields.append(f"  M{(i * 7) % i} ref{tag} = {tag};")
            tag += 1
        if i % 5 == 0:
            fields.append(f"  oneof choice {{ uint64 a{tag} = {tag}; double b{tag + 1} = {tag + 1}; }}")
            tag += 2
        out.append(f"message M{i} {{")
        out.extend(fields)
        out.append("}")
        out.append("")
    return "\n".join(out)


def main():
    if len(sys.argv) not in (2, 3):
        print("usage: gen_schema.py OUT.proto [N]", file=sys.stderr)
        return 2
    n = int(sys.argv[2]) if len(sys.argv) == 3 else 1000
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write(schema(n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
