#!/usr/bin/python3
"""Writes the fuzz seed corpus: for every message type fuzz_decode can pick, a few random valid
messages (from the conformance generator), each prefixed with the selector byte that picks
that type (types are numbered in the order of the message tables: alltypes, common/shared,
legacy, keywords, social; within a file by full name).

    make_corpus.py --pydir build/tests/python --out tests/fuzz/corpus MANIFEST.json...

With --out-of-line, the corpus of fuzz_decode_ool instead (manifest tests/support/ool_schema.json):
map entries are left out, the selector's bit 0 is the type's index (t.Leaf 0, t.Node 1) and
its other bits (mode, arena, depth limit) are drawn at random; inputs over 4096 bytes are
skipped.
"""
import argparse
import hashlib
import importlib
import json
import pathlib
import random
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "conformance"))
import check_python  # noqa: E402
from google.protobuf import message_factory, symbol_database  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pydir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--per-type", type=int, default=2)
    ap.add_argument("--out-of-line", action="store_true")
    ap.add_argument("manifests", nargs="+")
    args = ap.parse_args()
    sys.path.insert(0, args.pydir)
    caps, order = {}, []
    for path in args.manifests:
        data = json.loads(pathlib.Path(path).read_text())
        importlib.import_module(data["proto"][:-len(".proto")].replace("/", ".") + "_pb2")
        for m in data["messages"]:
            for f in m["fields"]:
                caps[m["full_name"] + "." + f["name"]] = f
        order += sorted(m["full_name"] for m in data["messages"] if not (args.out_of_line and m["map_entry"]))
    pool = symbol_database.Default().pool
    rng = random.Random(7)
    gen = check_python.Generator(caps, rng)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for selector, name in enumerate(order):
        cls = message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName(name))
        made = 0
        for _ in range(args.per_type * 20):
            if made == args.per_type:
                break
            msg = cls()
            gen.fill(msg)
            sel = selector | (rng.randrange(256) & ~1) if args.out_of_line else selector % 256
            blob = bytes([sel]) + msg.SerializeToString(deterministic=True)
            if args.out_of_line and len(blob) > 4096:
                continue  # libFuzzer's default max_len; large seeds only slow it down
            made += 1
            (out / hashlib.sha1(blob).hexdigest()[:16]).write_bytes(blob)
    print(f"{len(order)} types, {len(list(out.iterdir()))} files in {out}")


if __name__ == "__main__":
    main()
