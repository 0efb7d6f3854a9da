#!/usr/bin/env python3
"""The offsets and capacities written as literals in the generated Dart accessors, against the
JSON manifest of the same run (x.ffi.json, docs/manifest.md).

  check_literals.py DIR...

For every x.ffi.dart under each DIR and its x.ffi.json:
  p2f.readString / readBytes (..., N)          N = the field's capacity (max_length / max_size)
  p2f.writeString / writeBytes (..., N, value, 'full.name')   the same, for the named field
  p2f.FixedList<E>('full.name', N, ...)        N = the field's max_count (also the enum view
                                               FixedList<E?> of a repeated enum)
  p2f.byteView(this, OFF, ..., N)              OFF = the field's offset, N = its capacity
  addNewX: CapacityException('full.name', ..., N, ...), fromAddress(address + OFF + n * S)
                                               N = max_count, OFF = offset, S = size / max_count
  out-of-line setX(arena, values): arena.allocate(n * S, ...) then _x = data
                                               S = the field's elem_size
  out-of-line addX(arena, value): arena.grow(_x..., n, _xCap, S, ...)
                                               S = elem_size (p2f.outOfLineElementSize, the
                                               runtime's constant, for strings and bytes)
A getter is matched to its field by the Dart names the manifest records (dart_name of the
message and of the field); a call that names a field by full name, by that name. A literal that
matches no field is reported too. The manifest itself is checked against the C compilers by
layout.<set>.
"""
import glob
import json
import os
import re
import sys


def cap(f):
    return f.get("max_length", f.get("max_size"))


def main():
    problems = checked = 0

    def problem(msg):
        nonlocal problems
        problems += 1
        print(msg)

    runtime = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "dart_bindings", "lib", "src",
                           "out_of_line.dart")
    element_size = re.search(r"const int outOfLineElementSize = (\d+);", open(runtime, encoding="utf-8").read()).group(1)
    for d in sys.argv[1:]:
        for dart in sorted(glob.glob(os.path.join(d, "**", "*.ffi.dart"), recursive=True)):
            manifest = json.load(open(dart[:-len(".dart")] + ".json", encoding="utf-8"))
            by_full, by_dart = {}, {}
            for m in manifest["messages"]:
                for f in m["fields"]:
                    by_full[m["full_name"] + "." + f["name"]] = f
                    by_dart[(m["dart_name"], f["dart_name"])] = f
            text = open(dart, encoding="utf-8").read()
            name = os.path.relpath(dart, d)
            blocks = re.finditer(r"^(?:final class (\w+) extends Struct|extension \w+ on Pointer<(\w+)>) \{\n(.*?)^\}",
                                 text, re.M | re.S)

            def expect(what, got, want, where):
                nonlocal checked
                checked += 1
                if want is None or int(got) != int(want):
                    problem(f"{name}: {where}: {what} {got}, the manifest says {want}")

            for b in blocks:
                cls = b.group(1) or b.group(2)
                body = b.group(3)
                for m in re.finditer(r"\b(?:String|Uint8List) get (\w+) => p2f\.read(?:String|Bytes)\([^;]*?, (\d+)\);", body):
                    f = by_dart.get((cls, m.group(1)))
                    expect("read capacity", m.group(2), f and cap(f), f"{cls}.{m.group(1)}")
                for m in re.finditer(r"p2f\.write(?:String|Bytes)\([^;]*?, (\d+), v(?:alue)?, '([\w.]+)'\)", body):
                    f = by_full.get(m.group(2))
                    expect("write capacity", m.group(1), f and cap(f), m.group(2))
                for m in re.finditer(r"p2f\.FixedList<[\w.]+\?>\('([\w.]+)', (\d+), ", body):
                    f = by_full.get(m.group(1))
                    expect("FixedList capacity", m.group(2), f and f.get("max_count"), m.group(1))
                for m in re.finditer(r"p2f\.FixedList<[\w.]+>\(\s*'([\w.]+)',\s*(\d+),(.*?)\n\s*\);", body, re.S):
                    f = by_full.get(m.group(1))
                    expect("FixedList capacity", m.group(2), f and f.get("max_count"), m.group(1))
                    for r in re.finditer(r"p2f\.read(?:String|Bytes)\([^;]*?, (\d+)\)", m.group(3)):
                        expect("element read capacity", r.group(1), f and cap(f), m.group(1))
                for m in re.finditer(r"Uint8List get \w+ => p2f\.byteView\(this, (\d+), ref\.\w+, (\d+)\);\n", body):
                    getter = re.findall(r"\[(\w+)\] as a view", body[:m.start()])
                    f = by_dart.get((cls, getter[-1])) if getter else None
                    expect("byteView offset", m.group(1), f and f["offset"], f"{cls}.{getter[-1] if getter else '?'}")
                    expect("byteView capacity", m.group(2), f and cap(f), f"{cls}.{getter[-1] if getter else '?'}")
                for m in re.finditer(r"void \w+\(p2f\.MessageArena arena, List<[\w<>]+> values\) \{\n(.*?)\n  \}", body, re.S):
                    alloc = re.search(r"arena\.allocate\(n \* (\d+), ", m.group(1))
                    member = re.search(r"\b_(\w+) = data;", m.group(1))
                    if alloc and member:
                        f = by_dart.get((cls, member.group(1)))
                        expect("set element size", alloc.group(1), f and f.get("elem_size"), f"{cls}.{member.group(1)}")
                for m in re.finditer(r"arena\.grow\(_(\w+)(?:\.cast\(\))?, n, _\w+, (\d+|p2f\.outOfLineElementSize), ", body):
                    f = by_dart.get((cls, m.group(1)))
                    size = element_size if m.group(2) == "p2f.outOfLineElementSize" else m.group(2)
                    expect("grow element size", size, f and f.get("elem_size"), f"{cls}.{m.group(1)}")
                for m in re.finditer(r"CapacityException\('([\w.]+)', n \+ 1, (\d+), 'elements'\);\n.*?"
                                     r"fromAddress\(address \+ (\d+) \+ n \* (\d+)\)", body, re.S):
                    f = by_full.get(m.group(1))
                    expect("addNew capacity", m.group(2), f and f.get("max_count"), m.group(1))
                    expect("addNew offset", m.group(3), f and f["offset"], m.group(1))
                    expect("addNew stride", m.group(4), f and f["size"] // f["max_count"], m.group(1))
    if checked == 0:
        problem("no literals found")
    print(f"literals: {checked} offsets and capacities, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
