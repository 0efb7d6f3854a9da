#!/usr/bin/python3
"""Runs Debian's nanopb generator and protoc-gen-c-ffi on the same annotated schemas and
.options files and compares the structs they declare, field by field.

    compare_nanopb.py --protoc P --nanopb PLUGIN --ours PLUGIN --root DIR [-I DIR]...
                      --workdir DIR --allowed FILE [--mutate MSG.FIELD.FACT=VALUE] x.proto...

For every message both generators declare (and every message only one declares, which is a
difference by itself), the facts compared per field are: whether the field exists, its
capacity (a string's max length, a bytes field's max size), its element count (repeated),
the width in bytes of an integer member, and whether it has a presence flag (has_). nanopb's
facts are read from its .pb.h (struct members, PB_BYTES_ARRAY_T sizes); ours from the
.ffi.json manifest. Members only proto2ffi adds (lengths, counts) are not facts.

Every difference must be listed in --allowed ("<message>.<field> <fact>  # reason") and every
listed difference must occur, so the list stays the documentation of deliberate
differences. --mutate changes one of our facts before comparing (the self-test).
Prints one line per difference and "N passed, M failed"; exits 1 on any unexplained one.
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys

INT_WIDTHS = {"int8_t": 1, "uint8_t": 1, "int16_t": 2, "uint16_t": 2, "int32_t": 4, "uint32_t": 4,
              "int64_t": 8, "uint64_t": 8}
INT_TYPES = {"int32", "uint32", "sint32", "int64", "uint64", "sint64", "fixed32", "sfixed32", "fixed64", "sfixed64"}


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"compare_nanopb: {' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return p.stderr


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def parse_nanopb_header(text):
    """{struct name: [(ctype, name, dims, in_union)]} and {bytes typedef: size}."""
    text = strip_comments(text)
    byte_arrays = {m.group(2): int(m.group(1))
                   for m in re.finditer(r"typedef\s+PB_BYTES_ARRAY_T\((\d+)\)\s+(\w+);", text)}
    structs = {}
    for m in re.finditer(r"typedef\s+struct\s+_(\w+)\s*\{", text):
        depth, i = 1, m.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        body = text[m.end():i - 1]
        tail = re.match(r"\s*(\w+)\s*;", text[i:])
        members = []
        depth_union = None
        for line in body.splitlines():
            line = line.strip()
            if not line:
                continue
            if line.startswith("union"):
                depth_union = []
                continue
            if line.startswith("}"):
                members.extend(depth_union or [])
                depth_union = None
                continue
            mm = re.match(r"^(?:struct\s+)?([\w ]+?)\s*(\*?)\s*(\w+)((?:\[\d+\])*);$", line)
            if not mm:
                continue
            ctype, ptr, name, dims = mm.group(1), mm.group(2), mm.group(3), mm.group(4)
            entry = (ctype + ptr, name, [int(d) for d in re.findall(r"\d+", dims)], depth_union is not None)
            (depth_union if depth_union is not None else members).append(entry)
        structs[tail.group(1)] = members
    return structs, byte_arrays


def nanopb_facts(members, byte_arrays):
    """Per field name: a dict of facts."""
    names = {n for _, n, _, _ in members}
    facts = {}
    for ctype, name, dims, in_union in members:
        if name.startswith("has_") and name[4:] in names:
            continue
        if name.endswith("_count") and name[:-6] in names:
            continue
        if name.startswith("which_"):
            continue
        f = {"exists": True, "presence": f"has_{name}" in names}
        repeated = f"{name}_count" in names
        if repeated:
            f["count"] = dims[0]
            elem_dims = dims[1:]
        else:
            elem_dims = dims
        if ctype == "char" and elem_dims:
            f["capacity"] = elem_dims[0] - 1
        elif ctype in byte_arrays:
            f["capacity"] = byte_arrays[ctype]
        elif ctype == "pb_byte_t" and elem_dims:
            f["capacity"] = elem_dims[0]
            if not repeated and len(dims) == 1:
                f["fixed_length"] = True
        elif ctype in ("pb_callback_t", "pb_extension_t*") or ctype.endswith("*"):
            f["storage"] = "callback" if ctype == "pb_callback_t" else "pointer"
        if ctype in INT_WIDTHS:
            f["width"] = INT_WIDTHS[ctype]
        if not repeated and dims and ctype not in ("char", "pb_byte_t") and ctype not in byte_arrays:
            f["count"] = dims[0]  # fixed_count: an array without a _count member
        facts[name] = f
    return facts


def our_facts(msg):
    facts = {}
    for f in msg["fields"]:
        d = {"exists": True, "presence": "has_offset" in f}
        if "max_count" in f:
            d["count"] = f["max_count"]
        if "max_length" in f:
            d["capacity"] = f["max_length"]
        if "max_size" in f:
            d["capacity"] = f["max_size"]
        if f["type"] in INT_TYPES:
            d["width"] = f["size"] // f["max_count"] if "max_count" in f else f["size"]
        facts[f["name"]] = d
    return facts


def nanopb_struct_name(full, package, structs):
    rel = full[len(package) + 1:] if package else full
    initials = "".join(p[0] for p in package.split(".")) if package else ""
    for cand in (full.replace(".", "_"), rel.replace(".", "_"), full.split(".")[-1],
                 (initials + "_" + rel.replace(".", "_")) if initials else None):
        if cand and cand in structs:
            return cand
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--protoc", required=True)
    ap.add_argument("--nanopb", required=True)
    ap.add_argument("--ours", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("-I", dest="imports", action="append", default=[])
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--allowed", required=True)
    ap.add_argument("--mutate", action="append", default=[])
    ap.add_argument("protos", nargs="+")
    a = ap.parse_args()

    work = pathlib.Path(a.workdir).resolve()
    npb_out, our_out = work / "nanopb", work / "ours"
    for d in (npb_out, our_out):
        d.mkdir(parents=True, exist_ok=True)
    # protoc runs in the root, where both generators look for x.options.
    inc = ["-I."] + [f"-I{pathlib.Path(d).resolve()}" for d in a.imports]
    a.nanopb, a.ours = str(pathlib.Path(a.nanopb).resolve()), str(pathlib.Path(a.ours).resolve())
    run([a.protoc, f"--plugin=protoc-gen-nanopb={a.nanopb}", *inc, f"--nanopb_out={npb_out}", *a.protos], a.root)
    run([a.protoc, f"--plugin=protoc-gen-c-ffi={a.ours}", *inc, "--c-ffi_opt=dart=off", f"--c-ffi_out={our_out}",
         *a.protos], a.root)

    allowed = {}
    for line in pathlib.Path(a.allowed).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            key, fact = line.split()
            allowed[(key, fact)] = False

    mutations = {}
    for m in a.mutate:
        k, v = m.split("=")
        key, fact = k.rsplit(".", 1)
        mutations[(key, fact)] = int(v)

    compared = 0
    unexplained = 0

    def differ(key, fact, theirs, ours):
        nonlocal unexplained
        if (key, fact) in allowed:
            allowed[(key, fact)] = True
            print(f"deliberate {key} {fact}: nanopb={theirs} ours={ours}")
        else:
            unexplained += 1
            print(f"DIFF {key} {fact}: nanopb={theirs} ours={ours}")

    for proto in a.protos:
        stem = proto[:-len(".proto")]
        structs, byte_arrays = parse_nanopb_header((npb_out / f"{stem}.pb.h").read_text())
        manifest = json.loads((our_out / f"{stem}.ffi.json").read_text())
        package = manifest.get("package", "")
        seen_structs = set()
        for msg in manifest["messages"]:
            full = msg["full_name"]
            sname = nanopb_struct_name(full, package, structs)
            compared += 1
            if sname is None:
                differ(full, "message", "absent", "present")
                continue
            seen_structs.add(sname)
            theirs = nanopb_facts(structs[sname], byte_arrays)
            ours = our_facts(msg)
            for (key, fact), v in mutations.items():
                if key.rsplit(".", 1)[0] == full and key.rsplit(".", 1)[1] in ours:
                    ours[key.rsplit(".", 1)[1]][fact] = v
            for name in sorted(set(theirs) | set(ours)):
                key = f"{full}.{name}"
                t, o = theirs.get(name), ours.get(name)
                compared += 1
                if t is None or o is None:
                    differ(key, "exists", t is not None, o is not None)
                    continue
                if t.get("storage"):
                    # nanopb made the field a callback/pointer: it has no static capacity there.
                    differ(key, "storage", t["storage"], "inline")
                    continue
                for fact in ("capacity", "count", "width", "presence"):
                    compared += 1
                    if t.get(fact) != o.get(fact):
                        differ(key, fact, t.get(fact), o.get(fact))
        for sname in sorted(set(structs) - seen_structs):
            compared += 1
            differ(sname, "message", "present", "absent")

    stale = [k for k, used in allowed.items() if not used]
    for key, fact in stale:
        print(f"STALE allowed difference {key} {fact}: it did not occur")
    failed = unexplained + len(stale)
    print(f"{compared - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
