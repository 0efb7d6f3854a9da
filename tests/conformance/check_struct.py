#!/usr/bin/python3
"""google/protobuf/struct.proto against Debian's python3-protobuf (run it with /usr/bin/python3).

Random nested JSON-like values (Struct, Value, ListValue: null, numbers including the
infinities and -0.0, UTF-8 text, bools, nested structs and lists, up to --max-depth levels of
nesting) are serialized by python-protobuf (deterministic) and handed to the reencode tool,
which decodes them with the generated C codec, copying and aliasing, and encodes them again.
Both results must be byte-identical to python's serialization, and python must parse them
back to a message equal to the original.

Then the depth limit: a Value nested in lists so that exactly the decoder's default limit of
messages sits below the top one must round-trip; one list deeper must fail with
P2F_ERR_NESTING_TOO_DEEP in both modes.

    check_struct.py --tool PATH [--count N] [--seed S] [--max-depth D]
"""
import argparse
import math
import random
import struct
import subprocess
import sys

from google.protobuf import struct_pb2

P2F_ERR_NESTING_TOO_DEEP = -18  # runtime/include/proto2ffi/status.h
P2F_DEFAULT_MAX_DEPTH = 100     # runtime/include/proto2ffi/codec.h
TEXT = "abcxyz ABC019_-é✓ß€🙂\n\"\\"


class Gen:
    def __init__(self, rng, max_depth):
        self.rng = rng
        self.max_depth = max_depth
        self.deepest = 0

    def text(self, n):
        return "".join(self.rng.choice(TEXT) for _ in range(self.rng.randint(0, n)))

    def number(self):
        rng = self.rng
        return rng.choice([0.0, -0.0, 1.0, -1.5, math.inf, -math.inf, 1e-300, rng.uniform(-1e9, 1e9),
                           float(rng.randint(-2**53, 2**53)), rng.uniform(-1e300, 1e300)])

    def value(self, v, depth):
        self.deepest = max(self.deepest, depth)
        kinds = ["null", "number", "string", "bool"]
        if depth < self.max_depth:
            kinds += ["struct", "list"] * 2
        kind = self.rng.choice(kinds)
        if kind == "null":
            v.null_value = struct_pb2.NULL_VALUE
        elif kind == "number":
            v.number_value = self.number()
        elif kind == "string":
            v.string_value = self.text(self.rng.choice([0, 8, 40]))
        elif kind == "bool":
            v.bool_value = self.rng.random() < 0.5
        elif kind == "struct":
            v.struct_value.SetInParent()  # set even when it stays empty
            self.fill_struct(v.struct_value, depth + 1)
        else:
            v.list_value.SetInParent()
            self.fill_list(v.list_value, depth + 1)

    def fill_struct(self, s, depth):
        for _ in range(self.rng.randint(0, 4)):
            self.value(s.fields[self.text(10)], depth)

    def fill_list(self, lst, depth):
        for _ in range(self.rng.randint(0, 4)):
            self.value(lst.values.add(), depth)


def nested_lists(levels):
    """A Value holding `levels` lists, each holding the next, the innermost holding 1.0: 2 *
    levels messages below the top Value."""
    inner = struct_pb2.Value(number_value=1.0)
    for _ in range(levels):
        outer = struct_pb2.Value()
        outer.list_value.values.append(inner)
        inner = outer
    return inner


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-depth", type=int, default=8)
    ap.add_argument("--tool-arg", action="append", default=[], help="passed to the tool")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    gen = Gen(rng, args.max_depth)
    cases = []  # (name, message, wire, expected status)
    kinds = [("google.protobuf.Value", struct_pb2.Value, gen.value),
             ("google.protobuf.Struct", struct_pb2.Struct, gen.fill_struct),
             ("google.protobuf.ListValue", struct_pb2.ListValue, gen.fill_list)]
    for i in range(args.count):
        name, cls, fill = kinds[i % 3]
        msg = cls()
        fill(msg, 0)
        cases.append((name, msg, msg.SerializeToString(deterministic=True), 0))
    at_limit = nested_lists(P2F_DEFAULT_MAX_DEPTH // 2)
    past_limit = nested_lists(P2F_DEFAULT_MAX_DEPTH // 2 + 1)
    cases.append(("google.protobuf.Value", at_limit, at_limit.SerializeToString(), 0))
    cases.append(("google.protobuf.Value", past_limit, past_limit.SerializeToString(), P2F_ERR_NESTING_TOO_DEEP))
    records = bytearray()
    for name, _, wire, _ in cases:
        records += name.encode() + b"\n" + struct.pack("<I", len(wire)) + wire
    out = subprocess.run([args.tool] + args.tool_arg, input=bytes(records), stdout=subprocess.PIPE,
                         check=True).stdout
    pos = failures = 0
    for index, (name, msg, wire, want) in enumerate(cases):
        failed = False
        for mode in ("copying", "aliasing"):
            status, n = struct.unpack_from("<iI", out, pos)
            ours = out[pos + 8:pos + 8 + n]
            pos += 8 + n
            problem = None
            if status != want:
                problem = f"status {status}, expected {want}"
            elif want == 0 and ours != wire:
                problem = "re-encoding differs from python's"
            elif want == 0 and index < args.count:  # python's parser stops at its own depth limit
                back = type(msg)()
                back.ParseFromString(ours)
                if back != msg:
                    problem = "python parses our bytes to a different message"
            if problem:
                failed = True
                if failures < 5:
                    print(f"FAIL #{index} {name} ({mode} decode): {problem}\n  python: {wire[:200].hex()}\n"
                          f"  ours:   {ours[:200].hex()}")
        failures += failed
    print(f"{args.count} random struct.proto messages (values nested up to {gen.deepest} levels), decoded copying "
          f"and aliasing, seed {args.seed}; nesting at the depth limit and one past it")
    print(f"{len(cases) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
