#!/usr/bin/python3
"""Runs Debian's nanopb generator and protoc-gen-c-ffi on the same annotated schemas and
.options files and compares the structs they declare, field by field.

    compare_nanopb.py --protoc P --nanopb PLUGIN --ours PLUGIN --root DIR [-I DIR]...
                      --workdir DIR --allowed FILE [--mutate MSG.FIELD.FACT=VALUE] x.proto...

For every message both generators declare (and every message only one declares, which is a
difference by itself), the facts compared per field are: whether the field exists, whether
it is in the struct at all (nanopb's FT_POINTER / FT_CALLBACK fields are a pointer or a
callback, ours out of line: for such a field that is the only fact), its capacity (a
string's max length, a bytes field's max size), its element count (repeated), the width in
bytes of an integer member, whether it has a presence flag (has_), whether a bytes field is
fixed_length (no length: nanopb's pb_byte_t array), whether a repeated field is fixed_count
(no count member), and whether init sets its has_ flag (default_has: nanopb's
X_init_default). nanopb's facts are read from its .pb.h (struct members, PB_BYTES_ARRAY_T
sizes, init macros); ours from the .ffi.json manifest. Members only proto2ffi adds (lengths,
counts) are not facts.

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


def split_top(body):
    """The comma-separated items of an initializer body, braces kept together."""
    items, depth, cur = [], 0, ""
    for ch in body:
        if ch == "," and depth == 0:
            items.append(cur.strip())
            cur = ""
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        cur += ch
    if cur.strip():
        items.append(cur.strip())
    return items


def parse_init_defaults(text, structs_order):
    """{struct name: {has_x member: its value in X_init_default}} (nanopb's default_has)."""
    out = {}
    for m in re.finditer(r"#define\s+(\w+)_init_default\s+\{(.*)\}\s*$", text, re.M):
        name, items = m.group(1), split_top(m.group(2))
        order = structs_order.get(name)
        if order is None or len(order) != len(items):
            continue
        out[name] = {member: value for member, value in zip(order, items) if member.startswith("has_")}
    return out


def parse_nanopb_header(text):
    """{struct name: [(ctype, name, dims, in_union)]}, {bytes typedef: size} and, per struct,
    the has_ members' values in X_init_default."""
    raw = text
    text = strip_comments(text)
    byte_arrays = {m.group(2): int(m.group(1))
                   for m in re.finditer(r"typedef\s+PB_BYTES_ARRAY_T\((\d+)\)\s+(\w+);", text)}
    structs = {}
    order = {}  # struct name: its top-level members in order, a union counted once
    for m in re.finditer(r"typedef\s+struct\s+_(\w+)\s*\{", text):
        depth, i = 1, m.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        body = text[m.end():i - 1]
        tail = re.match(r"\s*(\w+)\s*;", text[i:])
        members = []
        top = []
        depth_union = None
        for line in body.splitlines():
            line = line.strip()
            if not line:
                continue
            if line.startswith("union"):
                depth_union = []
                top.append("(union)")
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
            if depth_union is None:
                top.append(name)
        structs[tail.group(1)] = members
        order[tail.group(1)] = top
    return structs, byte_arrays, parse_init_defaults(raw, order)


def nanopb_facts(members, byte_arrays, init_has):
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
        if f["presence"] and f"has_{name}" in init_has:
            f["default_has"] = init_has[f"has_{name}"] == "true"
        if ctype in ("pb_callback_t", "pb_extension_t*") or ctype.endswith("*"):
            # A pointer or a callback: not in the struct (the only fact compared for it).
            f["inline"] = False
            facts[name] = f
            continue
        f["inline"] = True
        repeated = f"{name}_count" in names
        text = ctype in ("char", "pb_byte_t")
        # An array with no _count member is fixed_count: one dimension more than its
        # element needs (strings and fixed-length bytes are arrays themselves).
        fixed = not repeated and dims and (len(dims) == 2 if text else True)
        if repeated or fixed:
            f["count"] = dims[0]
            f["fixed_count"] = bool(fixed)
            elem_dims = dims[1:]
        else:
            elem_dims = dims
        if ctype == "char" and elem_dims:
            f["capacity"] = elem_dims[0] - 1
        elif ctype in byte_arrays:
            f["capacity"] = byte_arrays[ctype]
            f["fixed_length"] = False
        elif ctype == "pb_byte_t" and elem_dims:
            f["capacity"] = elem_dims[0]
            f["fixed_length"] = True
        if ctype in INT_WIDTHS:
            f["width"] = INT_WIDTHS[ctype]
        facts[name] = f
    return facts


def our_facts(msg):
    facts = {}
    for f in msg["fields"]:
        d = {"exists": True, "presence": "has_offset" in f, "inline": f["storage"] == "inline"}
        if d["presence"]:
            d["default_has"] = f.get("default_has", False)
        if "max_count" in f:
            d["count"] = f["max_count"]
        if f["label"] in ("repeated", "map") and d["inline"]:
            d["fixed_count"] = f.get("fixed_count", False)
        if "max_length" in f:
            d["capacity"] = f["max_length"]
        if "max_size" in f:
            d["capacity"] = f["max_size"]
            d["fixed_length"] = f.get("fixed_length", False)
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
        structs, byte_arrays, init_has = parse_nanopb_header((npb_out / f"{stem}.pb.h").read_text())
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
            theirs = nanopb_facts(structs[sname], byte_arrays, init_has.get(sname, {}))
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
                compared += 1
                if t["inline"] != o["inline"]:
                    differ(key, "inline", t["inline"], o["inline"])
                    continue
                if not t["inline"]:
                    # A pointer or callback in nanopb, out of line here: both keep the data
                    # outside the struct, which is what is compared for such a field.
                    continue
                for fact in ("capacity", "count", "width", "presence", "fixed_length", "fixed_count", "default_has"):
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
