#!/usr/bin/python3
"""Wire conformance against Debian's python3-protobuf (run it with /usr/bin/python3).

For every message of the given layout manifests (map entries excepted), generates random
messages within the capacities the manifest gives each field, serializes them with
python-protobuf (deterministic), and hands the bytes to the reencode tool, which decodes them
with the generated C codec, copying and aliasing, and encodes them again. Each of the two
results must be byte-identical to python's serialization, and python must parse it back equal
to the original message.

Fields the manifest marks "storage": "out_of_line" have no capacity: text and bytes get up to
16 bytes mostly, sometimes 64 or 300; repeated fields up to 8 elements, sometimes 40; message
fields (repeated or not) shrink with depth and stop OOL_MAX_DEPTH deep, so recursive schemas
give messages of bounded size. --expect-out-of-line N fails the run unless N of the message
types have an out-of-line field (so a form meant to be out of line cannot pass inline).

    check_python.py --pydir DIR --tool PATH --count N [--seed S] [--expect-out-of-line N]
                    [--tool-arg ARG]... MANIFEST.json...
"""
import argparse
import importlib
import json
import math
import pathlib
import random
import struct
import subprocess
import sys

from google.protobuf import descriptor as d
from google.protobuf import message_factory
from google.protobuf import symbol_database

TEXT = "abcxyz ABC019_-é✓ß€🙂\n\"\\"
OOL_MAX_DEPTH = 5


def rand_int(bits, signed, rng):
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    return rng.choice([0, 1, -1 if signed else 2, lo, hi, rng.randint(lo, hi), rng.randint(-300 if signed else 0, 300)])


def rand_float(rng, single):
    v = rng.choice([0.0, -0.0, 1.5, -2.25, math.inf, -math.inf, rng.uniform(-1e6, 1e6), rng.uniform(-1e300, 1e300)])
    if single:
        v = struct.unpack("<f", struct.pack("<f", v if abs(v) < 3e38 or math.isinf(v) else 1e30))[0]
    return v


def rand_text(max_len, rng):
    s = "".join(rng.choice(TEXT) for _ in range(rng.randint(0, max_len)))
    while len(s.encode()) > max_len:
        s = s[:-1]
    return s


class Generator:
    def __init__(self, caps, rng):
        self.caps = caps
        self.rng = rng

    def out(self, f):
        return self.caps.get(f.full_name, {}).get("storage") == "out_of_line"

    def ool_text_max(self):
        return self.rng.choice([16] * 6 + [64, 300])

    def count(self, f, depth):
        """Elements of a repeated field: up to its capacity, or the out-of-line rule; exactly
        the capacity for a fixed_count field (nanopb's: the struct always holds them all)."""
        rng = self.rng
        if self.caps.get(f.full_name, {}).get("fixed_count"):
            return self.caps[f.full_name]["max_count"]
        if not self.out(f):
            return rng.randint(0, self.caps.get(f.full_name, {}).get("max_count", 0))
        if f.message_type is not None:
            room = OOL_MAX_DEPTH - 1 - depth
            return rng.randint(0, min(room, 3)) if room > 0 else 0
        return 0 if depth > 6 else rng.randint(0, 40 if rng.random() < 0.1 else 8)

    def scalar(self, f):
        rng, t = self.rng, f.type
        cap = self.caps.get(f.full_name, {})
        if t == d.FieldDescriptor.TYPE_STRING:
            return rand_text(self.ool_text_max() if self.out(f) else cap["max_length"], rng)
        if t == d.FieldDescriptor.TYPE_BYTES:
            size = self.ool_text_max() if self.out(f) else cap["max_size"]
            if cap.get("fixed_length"):  # exactly max_size bytes (an empty value decodes as zeros)
                return bytes(rng.choice([0, rng.randrange(256)]) for _ in range(size))
            return bytes(rng.randrange(256) for _ in range(rng.randint(0, size)))
        if t == d.FieldDescriptor.TYPE_BOOL:
            return rng.random() < 0.5
        if t in (d.FieldDescriptor.TYPE_DOUBLE, d.FieldDescriptor.TYPE_FLOAT):
            return rand_float(rng, t == d.FieldDescriptor.TYPE_FLOAT)
        if t == d.FieldDescriptor.TYPE_ENUM:
            values = [v.number for v in f.enum_type.values]
            if f.enum_type.file.syntax == "proto3" and rng.random() < 0.2:
                return rng.randint(-1000, 1000)  # open enums keep unknown values
            return rng.choice(values)
        bits = 64 if t in (d.FieldDescriptor.TYPE_INT64, d.FieldDescriptor.TYPE_UINT64, d.FieldDescriptor.TYPE_SINT64,
                           d.FieldDescriptor.TYPE_FIXED64, d.FieldDescriptor.TYPE_SFIXED64) else 32
        signed = t in (d.FieldDescriptor.TYPE_INT32, d.FieldDescriptor.TYPE_INT64, d.FieldDescriptor.TYPE_SINT32,
                       d.FieldDescriptor.TYPE_SINT64, d.FieldDescriptor.TYPE_SFIXED32, d.FieldDescriptor.TYPE_SFIXED64)
        return rand_int(bits, signed, rng)

    def fill(self, msg, depth=0):
        rng = self.rng
        # Real oneofs only: proto3 `optional` makes a synthetic one-member oneof named "_field".
        chosen_oneofs = {o.name: rng.choice(list(o.fields) + [None]) for o in msg.DESCRIPTOR.oneofs
                         if not (len(o.fields) == 1 and o.name == "_" + o.fields[0].name)}
        for f in msg.DESCRIPTOR.fields:
            o = f.containing_oneof
            if o is not None and o.name in chosen_oneofs and chosen_oneofs[o.name] is not f:
                continue
            required = f.label == d.FieldDescriptor.LABEL_REQUIRED
            if f.label == d.FieldDescriptor.LABEL_REPEATED:
                count = self.count(f, depth)
                if f.message_type is not None and f.message_type.GetOptions().map_entry:
                    kf, vf = f.message_type.fields_by_name["key"], f.message_type.fields_by_name["value"]
                    target = getattr(msg, f.name)
                    for _ in range(count):
                        key = self.scalar(kf)
                        if vf.message_type is not None:
                            self.fill(target[key], depth + 1)
                        else:
                            target[key] = self.scalar(vf)
                elif f.message_type is not None:
                    for _ in range(count):
                        self.fill(getattr(msg, f.name).add(), depth + 1)
                else:
                    getattr(msg, f.name).extend(self.scalar(f) for _ in range(count))
                continue
            if not required and o is None and rng.random() < 0.3:
                continue
            if f.message_type is not None:
                if depth < 6 and not (self.out(f) and depth >= OOL_MAX_DEPTH - 1):
                    sub = getattr(msg, f.name)
                    sub.SetInParent()
                    self.fill(sub, depth + 1)
            else:
                setattr(msg, f.name, self.scalar(f))


def is_default(f, value):
    """Whether an implicit-presence field of ours would leave value out: zero bits, empty, or
    a submessage that encodes to nothing."""
    if f.message_type is not None:
        return value.ByteSize() == 0
    if f.type == d.FieldDescriptor.TYPE_DOUBLE:
        return struct.pack("<d", value) == bytes(8)
    if f.type == d.FieldDescriptor.TYPE_FLOAT:
        return struct.pack("<f", value) == bytes(4)
    if isinstance(value, bytes):
        return not any(value)
    return not value


def normalize(msg, caps):
    """Clears the fields python writes but ours leaves out when default: fields that have
    presence in python and none in our struct (nanopb's proto3, proto3_singular_msgs and
    no_unions options: label "singular" in the manifest). Recurses into submessages."""
    for f in msg.DESCRIPTOR.fields:
        if f.label == d.FieldDescriptor.LABEL_REPEATED:
            if f.message_type is not None and not f.message_type.GetOptions().map_entry:
                for e in getattr(msg, f.name):
                    normalize(e, caps)
            continue
        if not f.has_presence or not msg.HasField(f.name):
            continue
        value = getattr(msg, f.name)
        if f.message_type is not None:
            normalize(value, caps)
        if caps.get(f.full_name, {}).get("label") == "singular" and is_default(f, value):
            msg.ClearField(f.name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pydir", required=True)
    ap.add_argument("--tool", required=True)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--expect-out-of-line", type=int, default=None)
    ap.add_argument("--tool-arg", action="append", default=[], help="passed to the tool")
    ap.add_argument("manifests", nargs="+")
    args = ap.parse_args()
    sys.path.insert(0, args.pydir)
    caps, names, out_types = {}, [], set()
    for path in args.manifests:
        data = json.loads(pathlib.Path(path).read_text())
        module = data["proto"][:-len(".proto")].replace("/", ".") + "_pb2"
        importlib.import_module(module)
        for m in data["messages"]:
            for f in m["fields"]:
                caps[m["full_name"] + "." + f["name"]] = f
                if f.get("storage") == "out_of_line" and not m["map_entry"]:
                    out_types.add(m["full_name"])
            if not m["map_entry"]:
                names.append(m["full_name"])
    pool = symbol_database.Default().pool
    rng = random.Random(args.seed)
    gen = Generator(caps, rng)
    records, originals = bytearray(), []
    for name in names:
        cls = message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName(name))
        for _ in range(args.count):
            msg = cls()
            gen.fill(msg)
            normalize(msg, caps)
            wire = msg.SerializeToString(deterministic=True)
            originals.append((name, msg, wire))
            records += name.encode() + b"\n" + struct.pack("<I", len(wire)) + wire
    out = subprocess.run([args.tool] + args.tool_arg, input=bytes(records), stdout=subprocess.PIPE, check=True).stdout
    pos = failures = 0
    per_type = {}
    for name, msg, wire in originals:
        failed = False
        for mode in ("copying", "aliasing"):
            status, n = struct.unpack_from("<iI", out, pos)
            ours = out[pos + 8:pos + 8 + n]
            pos += 8 + n
            problem = None
            if status != 0:
                problem = f"decode/encode status {status}"
            elif ours != wire:
                problem = "re-encoding differs from python's"
            else:
                back = type(msg)()
                back.ParseFromString(ours)
                if back != msg:
                    problem = "python parses our bytes to a different message"
            if problem:
                failed = True
                if failures < 5:
                    print(f"FAIL {name} ({mode} decode): {problem}\n  python: {wire.hex()}\n  ours:   {ours.hex()}")
        per_type[name] = per_type.get(name, 0) + 1
        failures += failed
    total = len(originals)
    print(f"{len(per_type)} message types ({len(out_types)} with out-of-line fields), {total} random messages "
          f"decoded copying and aliasing, seed {args.seed}")
    print(f"{total - failures} passed, {failures} failed")
    if args.expect_out_of_line is not None and len(out_types) != args.expect_out_of_line:
        print(f"expected {args.expect_out_of_line} message types with out-of-line fields, found {len(out_types)}")
        return 1
    return 1 if failures or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
