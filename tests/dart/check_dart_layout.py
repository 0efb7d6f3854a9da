#!/usr/bin/env python3
"""Checks the dart:ffi Structs and Unions of generated x.ffi.dart files against the C layout,
without a Dart SDK.

dart:ffi lays out a Struct (or Union) with the platform's C rules, from the native types of its
fields. This script reads every `final class X extends Struct|Union` of every x.ffi.dart under
--dir, transliterates it into a C declaration field by field:

    @Int32() external int x;              -> int32_t x;
    @Array(4, 9) external Array<Array<Uint8>> s;  -> uint8_t s[4][9];
    external Post_Media media;            -> struct dart_Post_Media media;   (nested by name,
    external pb_common_shared_ffi.Point p;   also across imported files)
    external Pointer<Uint8> _name;        -> void *name;   (out-of-line members: the C member
                                             must be a pointer, to the same element type)

compiles those declarations with the C compiler next to the generated x.ffi.h, and compares,
for every class, sizeof and _Alignof with the C struct of the same message, and for every field
its offset and size with the C member it stands for. The names come from the layout manifest
(x.ffi.json, next to the .dart file): a class's dart_name gives its C struct, a field's name
(without the leading '_' of private storage) its C member. Dart padding members (`_$padN`) have
no C counterpart; every other Dart field must match a C member, every C member must have a Dart
field, and every C struct of the manifest must have a Dart class. The element type of each field
must also be the C member's type (Int32 for int32_t, Uint8 for char or uint8_t, ...), so a
signedness change is caught even when it keeps the layout.

Output: one line per problem, "MISMATCH <class>.<field> <what>: dart=X c=Y", and a summary
"dart layout: N checks, M mismatches". Exit 1 when M > 0 or N == 0.

Self-test: --mutate drop-padding removes the first padding member it finds, --mutate widen
turns the first @Int32() into @Int64(), --mutate pointee the first private Pointer<Int32> (an
out-of-line int32 array) into Pointer<Uint32>, --mutate unpointer the first private
Pointer<Uint8> (out-of-line text) into a @Uint64() int of the same size; with --expect-mismatch the exit status is inverted, so
a test can show that such a change is reported.

Python 3 standard library only.
"""

import argparse
import json
import os
import re
import subprocess
import sys

NATIVE_C = {
    "Int8": "int8_t", "Int16": "int16_t", "Int32": "int32_t", "Int64": "int64_t",
    "Uint8": "uint8_t", "Uint16": "uint16_t", "Uint32": "uint32_t", "Uint64": "uint64_t",
    "Float": "float", "Double": "double", "Bool": "_Bool", "Size": "size_t", "IntPtr": "intptr_t",
}
# C member types (manifest spelling) each Dart native type may stand for.
COMPATIBLE = {
    "Int8": {"int8_t"}, "Int16": {"int16_t"}, "Int32": {"int32_t"}, "Int64": {"int64_t"},
    "Uint8": {"uint8_t", "char"}, "Uint16": {"uint16_t"}, "Uint32": {"uint32_t"},
    "Uint64": {"uint64_t"}, "Float": {"float"}, "Double": {"double"},
}

CLASS_RE = re.compile(r"^final class ([A-Za-z_$][\w$]*) extends (Struct|Union) \{\s*$")
IMPORT_RE = re.compile(r"^import '([^']+)' as ([A-Za-z_][\w]*);\s*$")
ANNOT_RE = re.compile(r"^@(\w+)\(\)$")
ARRAY_RE = re.compile(r"^@Array\(([0-9, ]+)\)$")
EXTERNAL_RE = re.compile(r"^external ([\w$.<>]+) ([A-Za-z_$][\w$]*);$")


NATIVE_SIZE = {
    "Int8": 1, "Int16": 2, "Int32": 4, "Int64": 8, "Uint8": 1, "Uint16": 2, "Uint32": 4,
    "Uint64": 8, "Float": 4, "Double": 8, "Bool": 1, "Size": 8, "IntPtr": 8,
}


class DartError(Exception):
    pass


def strip_comment(line):
    i = line.find("//")
    return line if i < 0 else line[:i]


def parse_file(path, text):
    """Returns (imports {prefix: path}, [class dicts]) of one Dart file."""
    imports = {}
    classes = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        m = IMPORT_RE.match(line)
        if m and not m.group(1).startswith(("dart:", "package:")):
            imports[m.group(2)] = os.path.normpath(os.path.join(os.path.dirname(path), m.group(1)))
        m = CLASS_RE.match(line)
        if not m:
            i += 1
            continue
        cls = {"name": m.group(1), "union": m.group(2) == "Union", "fields": [], "file": path}
        depth = 1
        pending = []
        i += 1
        while i < len(lines) and depth > 0:
            raw = strip_comment(lines[i]).strip()
            if depth == 1 and raw:
                am = ANNOT_RE.match(raw)
                arm = ARRAY_RE.match(raw)
                em = EXTERNAL_RE.match(raw)
                if am:
                    pending.append(("native", am.group(1)))
                elif arm:
                    pending.append(("array", [int(x) for x in arm.group(1).split(",")]))
                elif em:
                    cls["fields"].append(field_of(path, cls["name"], em.group(1), em.group(2), pending))
                    pending = []
                elif raw == "@override":
                    pass  # of a method (toString, ==, hashCode); never of a field
                elif raw.startswith("@"):
                    raise DartError(f"{path}: {cls['name']}: unexpected annotation {raw!r}")
            depth += raw.count("{") - raw.count("}")
            i += 1
        if pending:
            raise DartError(f"{path}: {cls['name']}: annotation without a field")
        classes.append(cls)
    return imports, classes


def field_of(path, cls, dart_type, name, annotations):
    where = f"{path}: {cls}.{name}"
    natives = [a[1] for a in annotations if a[0] == "native"]
    arrays = [a[1] for a in annotations if a[0] == "array"]
    depth = 0
    t = dart_type
    while t.startswith("Array<") and t.endswith(">"):
        t = t[len("Array<"):-1]
        depth += 1
    f = {"name": name, "dims": [], "native": None, "type": None, "pointer": None}
    if t.startswith("Pointer<") and t.endswith(">") and not depth:
        if annotations:
            raise DartError(f"{where}: a Pointer field takes no annotation")
        f["pointer"] = t[len("Pointer<"):-1]
        return f
    if depth:
        if len(arrays) != 1 or natives:
            raise DartError(f"{where}: an Array field needs exactly one @Array annotation and no other")
        if len(arrays[0]) != depth:
            raise DartError(f"{where}: @Array has {len(arrays[0])} dimensions, the type {depth}")
        f["dims"] = arrays[0]
        if t in NATIVE_C:
            f["native"] = t
        else:
            f["type"] = t
    elif t in ("int", "double", "bool"):
        if len(natives) != 1 or arrays:
            raise DartError(f"{where}: a {t} field needs exactly one native type annotation")
        if natives[0] not in NATIVE_C:
            raise DartError(f"{where}: unknown native type @{natives[0]}()")
        expect = {"int": "int", "double": "double", "bool": "bool"}[t]
        kind = "double" if natives[0] in ("Float", "Double") else "bool" if natives[0] == "Bool" else "int"
        if kind != expect:
            raise DartError(f"{where}: @{natives[0]}() on a field of Dart type {t}")
        f["native"] = natives[0]
    else:
        if annotations:
            raise DartError(f"{where}: a nested struct field takes no annotation")
        f["type"] = t
    return f


def c_ident(name):
    return "f_" + name.replace("$", "_S_")


def c_struct_name(key):
    return "dart_" + re.sub(r"[^A-Za-z0-9_]", "_", key)


def mutate(texts, how):
    for path in sorted(texts):
        lines = texts[path].split("\n")
        for i, line in enumerate(lines):
            if how == "drop-padding" and re.search(r"external Array<Uint8> _\$pad\d+;", line):
                del lines[i - 2:i + 1]  # doc comment, @Array, declaration
                texts[path] = "\n".join(lines)
                return f"dropped {line.strip()} in {path}"
            if how == "pointee" and re.search(r"external Pointer<Int32> _\w+;", line):
                lines[i] = line.replace("Pointer<Int32>", "Pointer<Uint32>")
                texts[path] = "\n".join(lines)
                return f"changed the pointee on line {i + 1} of {path} to Uint32"
            if how == "unpointer" and re.search(r"external Pointer<Uint8> _\w+;", line):
                indent = line[:len(line) - len(line.lstrip())]
                lines[i] = indent + "@Uint64()\n" + line.replace("external Pointer<Uint8> ", "external int ")
                texts[path] = "\n".join(lines)
                return f"turned the pointer on line {i + 1} of {path} into @Uint64() int"
            if how == "widen" and line.strip() == "@Int32()":
                lines[i] = line.replace("@Int32()", "@Int64()")
                texts[path] = "\n".join(lines)
                return f"widened line {i + 1} of {path} to @Int64()"
    raise DartError(f"--mutate {how}: nothing to mutate")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", required=True, help="directory of generated files (searched recursively)")
    ap.add_argument("--runtime-include", required=True)
    ap.add_argument("--cc", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--mutate", choices=["drop-padding", "widen", "pointee", "unpointer"])
    ap.add_argument("--expect-mismatch", action="store_true")
    args = ap.parse_args()

    dart_files = []
    for root, _, files in os.walk(args.dir):
        dart_files += [os.path.normpath(os.path.join(root, f)) for f in files if f.endswith(".ffi.dart")]
    dart_files.sort()
    if not dart_files:
        print(f"check_dart_layout: no .ffi.dart under {args.dir}")
        return 1
    texts = {p: open(p, encoding="utf-8").read() for p in dart_files}
    if args.mutate:
        print("mutation:", mutate(texts, args.mutate))

    classes = {}  # (file, class) -> class
    headers = []
    manifests = {}
    for path in dart_files:
        imports, cls_list = parse_file(path, texts[path])
        stem = path[:-len(".dart")]
        with open(stem + ".json", encoding="utf-8") as fp:
            manifests[path] = json.load(fp)
        headers.append(os.path.relpath(stem + ".h", args.dir))
        for c in cls_list:
            c["imports"] = imports
            classes[(path, c["name"])] = c

    def resolve(c, tname):
        if "." in tname:
            prefix, name = tname.split(".", 1)
            if prefix not in c["imports"]:
                raise DartError(f"{c['file']}: {c['name']}: unknown import prefix {prefix}")
            key = (c["imports"][prefix], name)
        else:
            key = (c["file"], tname)
        if key not in classes:
            raise DartError(f"{c['file']}: {c['name']}: type {tname} is not a Struct or Union of the generated files")
        return key

    # Declarations in dependency order.
    order, state = [], {}

    def visit(key):
        if state.get(key) == 2:
            return
        if state.get(key) == 1:
            raise DartError(f"{key[1]} contains itself")
        state[key] = 1
        c = classes[key]
        for f in c["fields"]:
            if f["pointer"] and f["pointer"] not in NATIVE_C and f["pointer"] != "Void":
                f["pointee_key"] = resolve(c, f["pointer"])  # a pointer needs no declaration first
            if f["type"]:
                f["key"] = resolve(c, f["type"])
                visit(f["key"])
        state[key] = 2
        order.append(key)

    for key in sorted(classes):
        visit(key)

    # Offsets with no implicit padding at all: each field right after the previous one. The
    # generator makes every gap an explicit member, so these must already be the C offsets;
    # then no alignment rule of dart:ffi is needed to reproduce the C layout.
    packed = {}

    def field_bytes(f):
        if f["pointer"]:
            return 8
        n = NATIVE_SIZE[f["native"]] if f["native"] else packed[f["key"]]
        for d in f["dims"]:
            n *= d
        return n

    for key in order:
        c = classes[key]
        at = 0
        for f in c["fields"]:
            f["packed_offset"] = 0 if c["union"] else at
            at = max(at, field_bytes(f)) if c["union"] else at + field_bytes(f)
        packed[key] = at

    # Map every class and field to its C counterpart through the manifest.
    problems = []
    checks = []  # (label, dart expression, c expression)
    decls = []
    for key in order:
        c = classes[key]
        man = manifests[key[0]]
        structs = {s["dart_name"]: s for m in man["messages"] for s in m["structs"]}
        s = structs.get(c["name"])
        body = []
        for f in c["fields"]:
            if f["pointer"]:
                ctype = "void *"
            elif f["native"]:
                ctype = NATIVE_C[f["native"]]
            else:
                ctype = ("union " if classes[f["key"]]["union"] else "struct ") + c_struct_name("%s:%s" % f["key"])
            body.append("  %s %s%s;" % (ctype, c_ident(f["name"]), "".join("[%d]" % d for d in f["dims"])))
        kind = "union" if c["union"] else "struct"
        sname = c_struct_name("%s:%s" % key)
        decls.append("%s %s {\n%s\n};" % (kind, sname, "\n".join(body)))
        if s is None:
            problems.append(f"MISMATCH {c['name']} class: dart=present c=absent (no C struct with this dart_name)")
            continue
        if s["kind"] != kind:
            problems.append(f"MISMATCH {c['name']} kind: dart={kind} c={s['kind']}")
        label = c["name"]
        checks.append((f"{label} size", f"sizeof({kind} {sname})", f"sizeof({s['c_name']})"))
        checks.append((f"{label} align", f"_Alignof({kind} {sname})", f"_Alignof({s['c_name']})"))
        if packed[key] != s["size"]:
            problems.append(f"MISMATCH {label} explicit-size: dart={packed[key]} c={s['size']} "
                            "(the tail padding of the C struct is not explicit)")
        members = {mb["dart_name"]: mb for mb in s["members"]}
        seen = set()
        is_message = any(m["c_name"] == s["c_name"] for m in man["messages"])
        for f in c["fields"]:
            name = f["name"]
            if re.fullmatch(r"_\$pad\d+", name):
                continue
            model = name[1:] if is_message and name.startswith("_") else name
            mb = members.get(model)
            if mb is None:
                problems.append(f"MISMATCH {label}.{name} member: dart=present c=absent")
                continue
            seen.add(model)
            if f["native"]:
                if mb["type"] not in COMPATIBLE.get(f["native"], set()) or mb.get("pointer"):
                    problems.append(f"MISMATCH {label}.{name} type: dart={f['native']} c={mb['type']}")
            if bool(f["pointer"]) != bool(mb.get("pointer")):
                problems.append(f"MISMATCH {label}.{name} pointer: dart={bool(f['pointer'])} c={bool(mb.get('pointer'))}")
            elif f["pointer"]:
                if f["pointer"] == "Void":
                    ok = mb["type"] in ("p2f_str", "p2f_bytes")
                elif f["pointer"] in NATIVE_C:
                    ok = mb["type"] in COMPATIBLE.get(f["pointer"], set())
                else:
                    pk = f["pointee_key"]
                    pstructs = {x["dart_name"]: x for m in manifests[pk[0]]["messages"] for x in m["structs"]}
                    pc = pstructs.get(classes[pk]["name"])
                    ok = pc is not None and pc["c_name"] == mb["type"]
                if not ok:
                    problems.append(f"MISMATCH {label}.{name} pointee: dart={f['pointer']} c={mb['type']}")
            if f["dims"] != mb["dims"]:
                problems.append(f"MISMATCH {label}.{name} dims: dart={f['dims']} c={mb['dims']}")
            cm = mb["name"]
            if f["packed_offset"] != mb["offset"]:
                problems.append(f"MISMATCH {label}.{name} explicit-offset: dart={f['packed_offset']} c={mb['offset']} "
                                "(a gap in the C layout has no explicit padding member)")
            checks.append((f"{label}.{name} offset", f"offsetof({kind} {sname}, {c_ident(name)})",
                           f"offsetof({s['c_name']}, {cm})"))
            checks.append((f"{label}.{name} size", f"sizeof(((({kind} {sname} *)0)->{c_ident(name)}))",
                           f"sizeof(((({s['c_name']} *)0)->{cm}))"))
        for dn, mb in sorted(members.items()):
            if dn not in seen:
                problems.append(f"MISMATCH {label}.{dn} member: dart=absent c=present ({mb['name']})")
        # Nested struct members must be the same C type: compare through the manifest names.
        for f in c["fields"]:
            if f["type"] and not re.fullmatch(r"_\$pad\d+", f["name"]):
                model = f["name"][1:] if is_message and f["name"].startswith("_") else f["name"]
                mb = members.get(model)
                tkey = f["key"]
                tman = manifests[tkey[0]]
                tstructs = {x["dart_name"]: x for m in tman["messages"] for x in m["structs"]}
                tc = tstructs.get(classes[tkey]["name"])
                if mb is not None and (tc is None or tc["c_name"] != mb["type"]):
                    problems.append(f"MISMATCH {label}.{f['name']} type: dart={f['type']} "
                                    f"c={mb['type']}")
    for path, man in manifests.items():
        names = {c["name"] for (p, _), c in classes.items() if p == path}
        for m in man["messages"]:
            for s in m["structs"]:
                if s["dart_name"] not in names:
                    problems.append(f"MISMATCH {s['dart_name']} class: dart=absent c=present ({s['c_name']})")

    os.makedirs(args.workdir, exist_ok=True)
    src = os.path.join(args.workdir, "dart_layout.c")
    exe = os.path.join(args.workdir, "dart_layout")
    with open(src, "w", encoding="utf-8") as out:
        out.write("/* Generated by check_dart_layout.py: the Dart structs transliterated to C. */\n")
        out.write("#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n")
        for h in headers:
            out.write(f'#include "{h}"\n')
        out.write("\n" + "\n\n".join(decls) + "\n\nint main(void) {\n")
        for label, d, cexpr in checks:
            out.write(f'  printf("%s\\t%zu\\t%zu\\n", "{label}", (size_t)({d}), (size_t)({cexpr}));\n')
        out.write("  return 0;\n}\n")
    cmd = [args.cc, "-std=c11", "-Wall", "-Werror", "-I", args.dir, "-I", args.runtime_include, src, "-o", exe]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout + r.stderr)
        print(f"check_dart_layout: {' '.join(cmd)} failed")
        return 1
    r = subprocess.run([exe], capture_output=True, text=True, check=True)
    n = 0
    for line in r.stdout.splitlines():
        label, d, cval = line.split("\t")
        n += 1
        if d != cval:
            what = label.rsplit(" ", 1)
            problems.append(f"MISMATCH {what[0]} {what[1]}: dart={d} c={cval}")
    for p in problems:
        print(p)
    print(f"dart layout: {len(dart_files)} files, {len(classes)} classes, {n} checks, {len(problems)} mismatches")
    failed = bool(problems) or n == 0
    if args.expect_mismatch:
        print("expected a mismatch:", "found" if problems else "NOT found")
        return 0 if problems else 1
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except DartError as e:
        print(f"check_dart_layout: {e}")
        sys.exit(1)
