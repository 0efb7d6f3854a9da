#!/usr/bin/env python3
"""The layout check the generated bindings run when they load (checkLayout in
dart_bindings/lib/src/functions.dart), played without Dart: the constants of the Dart files
of one generator run against the native functions of the C files of another (or the same)
run, compiled and called.

  check_fingerprint.py --dart DIR --native DIR --runtime-include DIR --runtime-lib LIB
                       --cc CC --workdir DIR [--expect-mismatch]

For every message of every .ffi.dart under --dart, the bindings name the C functions (the
symbols of T_size, T_align and T_layout_fingerprint in fromLibrary); the .ffi.c files under
--native are compiled with a program that prints what those functions return. Then the
comparisons of checkLayout run in its order: generated SIZE with T_size(), ALIGN with
T_align(), LAYOUT_FINGERPRINT with T_layout_fingerprint(). (sizeOf<T>() needs Dart; SIZE
equals it by dart.layout.) The first difference per message is printed as checkLayout's
LayoutException would name it.

Without --expect-mismatch every message must pass; with it, at least one must fail, and the
messages whose size and alignment agree but whose fingerprint differs are listed: the case a
size-only check lets through.
"""
import argparse
import glob
import os
import re
import subprocess
import sys

BINDING = re.compile(r"p2f\.MessageFunctions<([\w.]+)>\(\s*name: '([^']+)',(.*?)\n\s*\);", re.S)


def dart_int(literal):
    v = int(literal, 0)
    return v - (1 << 64) if v >= 1 << 63 else v


def read_dart(path):
    """{full name: (class, {SIZE, ALIGN, LAYOUT_FINGERPRINT}, {size, align, fingerprint symbol})}"""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    consts = {}
    for m in re.finditer(r"^final class (\w+) extends Struct \{\n(.*?)^\}", text, re.M | re.S):
        body = m.group(2)
        values = dict(re.findall(r"static const int (SIZE|ALIGN|LAYOUT_FINGERPRINT) = (-?0x[0-9a-f]+|-?\d+);", body))
        if values:
            consts[m.group(1)] = {k: dart_int(v) for k, v in values.items()}
    out = {}
    lookups = text.split("factory ")[0]  # the fromLibrary constructor comes first
    for m in BINDING.finditer(lookups):
        cls, full, body = m.groups()
        syms = dict(re.findall(r"\b(size|align|layoutFingerprint): library\.lookupFunction<[^>]*>\('(\w+)'", body))
        if cls not in consts or len(syms) != 3 or len(consts[cls]) != 3:
            sys.exit(f"{path}: {full}: constants {consts.get(cls)} or symbols {syms} incomplete")
        out[full] = (cls, consts[cls], syms)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dart", required=True)
    ap.add_argument("--native", required=True)
    ap.add_argument("--runtime-include", required=True)
    ap.add_argument("--runtime-lib", required=True)
    ap.add_argument("--cc", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--expect-mismatch", action="store_true")
    args = ap.parse_args()

    messages = {}
    for path in sorted(glob.glob(os.path.join(args.dart, "**", "*.ffi.dart"), recursive=True)):
        messages.update(read_dart(path))
    if not messages:
        sys.exit(f"no bindings under {args.dart}")
    headers = sorted(glob.glob(os.path.join(args.native, "**", "*.ffi.h"), recursive=True))
    sources = sorted(glob.glob(os.path.join(args.native, "**", "*.ffi.c"), recursive=True))
    os.makedirs(args.workdir, exist_ok=True)
    prog = os.path.join(args.workdir, "fingerprints.c")
    with open(prog, "w", encoding="utf-8") as f:
        f.write("#include <inttypes.h>\n#include <stdio.h>\n")
        for h in headers:
            f.write(f'#include "{os.path.relpath(h, args.native)}"\n')
        f.write("int main(void) {\n")
        for full, (_, _, s) in sorted(messages.items()):
            f.write(f'  printf("%s %zu %zu %" PRIu64 "\\n", "{full}", {s["size"]}(), {s["align"]}(), '
                    f'{s["layoutFingerprint"]}());\n')
        f.write("  return 0;\n}\n")
    exe = os.path.join(args.workdir, "fingerprints")
    cmd = [args.cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", args.native, "-I", args.runtime_include,
           prog, *sources, args.runtime_lib, "-lpthread", "-lm", "-o", exe]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"compile failed:\n{' '.join(cmd)}\n{r.stderr}")
    native = {}
    for line in subprocess.run([exe], capture_output=True, text=True, check=True).stdout.splitlines():
        full, size, align, fp = line.split()
        native[full] = (int(size), int(align), dart_int(fp))

    failed, size_only_passes = 0, []
    for full, (cls, c, _) in sorted(messages.items()):
        size, align, fp = native[full]
        what = None
        if c["SIZE"] != size:
            what = ("generated size", c["SIZE"], size)
        elif c["ALIGN"] != align:
            what = ("alignment", c["ALIGN"], align)
        elif c["LAYOUT_FINGERPRINT"] != fp:
            what = ("layout fingerprint", f"0x{c['LAYOUT_FINGERPRINT'] % (1 << 64):016x}", f"0x{fp % (1 << 64):016x}")
            size_only_passes.append(full)
        if what:
            failed += 1
            print(f"LayoutException: {full}: {what[0]} is {what[1]} in Dart but {what[2]} in the native library")
    for full in size_only_passes:
        cls = messages[full][0]
        print(f"{full} ({cls}): size {native[full][0]} and alignment {native[full][1]} agree, only the fingerprint differs")
    print(f"layout check: {len(messages)} messages, {failed} mismatches")
    if args.expect_mismatch:
        return 0 if failed else 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
