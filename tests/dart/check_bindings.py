#!/usr/bin/env python3
"""Every symbol the generated Dart bindings bind, with its native typedef, against the C
prototype of the generated header.

  check_bindings.py --functions dart_bindings/lib/src/functions.dart DIR...

For every x.ffi.dart under each DIR, next to its x.ffi.h: each `lookupFunction<N, F>('sym')`,
`lookup<NativeFunction<N>>('sym')` and `@Native<N>(symbol: 'sym')` must name a function the
header (or a --runtime-header: the arena functions of proto2ffi/arena.h) declares
(P2F_EXPORT), and the native typedef N of the runtime package, with its type
argument put in, must be the C prototype in dart:ffi types: size_t Size, uint32_t Uint32,
uint64_t Uint64, p2f_status Int32, void Void, any object pointer Pointer<...> of the pointee
(the message's Dart class for a message type, Pool for p2f_pool, NativeArena for p2f_arena,
DecodeOptions for p2f_decode_options, Uint8 for uint8_t and char, Size for size_t), const and the pointer's own const ignored. The Dart form F must be N with int for the
integer types and void for Void, and an @Native external's parameters and result must be
F's.

The batch kernels' classes spell both function types inline,
`lookupFunction<R Function(A, ...), r Function(a, ...)>('sym')`: the first must be the C
prototype in dart:ffi types and the second its Dart form (int, double, void); their @Native
externals spell the native type inline too, `@Native<R Function(A, ...)>(symbol: 'sym')`,
checked the same way, with the external's parameters and result as the Dart form. Each
closure of a batch class's `native()` constructor (`x = ((a, n) => _sym(a, n))`) must call an
@Native external of the file with as many arguments as the external has parameters.
Every private function the closures of `native()` call (`=> _T_size()`,
`Native.addressOf<...>(_T_pool_destroy)`) must be an `@Native` external of the same file.

Not checked: what the analyzer infers, and typedefs not spelled as `typedef X<...> = R
Function(A, ...);`.
"""
import argparse
import glob
import os
import re
import sys

C_SCALAR = {"size_t": "Size", "uint32_t": "Uint32", "uint64_t": "Uint64", "p2f_status": "Int32", "void": "Void",
            "int32_t": "Int32", "uint8_t": "Uint8", "char": "Uint8", "int64_t": "Int64", "float": "Float",
            "double": "Double"}
# Runtime types behind pointers, and the runtime package's Dart classes for them.
C_RUNTIME = {"p2f_pool": "Pool", "p2f_arena": "NativeArena", "p2f_decode_options": "DecodeOptions"}
DART_FORM = {"Size": "int", "Uint32": "int", "Uint64": "int", "Int32": "int", "Uint8": "int", "Void": "void",
             "Int64": "int", "Float": "double", "Double": "double"}


def split_args(s):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def read_typedefs(path):
    text = open(path, encoding="utf-8").read()
    defs = {}
    for m in re.finditer(r"^typedef (\w+)(?:<(\w+) extends \w+>)? = (.+?) Function\((.*?)\);", text, re.M):
        defs[m.group(1)] = (m.group(2), m.group(3).strip(), split_args(m.group(4)))
    return defs


def c_to_ffi(ctype, classes):
    t = re.sub(r"\bconst\b", "", ctype).strip()
    stars = t.count("*")
    base = t.replace("*", "").strip()
    if stars == 0:
        return C_SCALAR.get(base, f"?{base}")
    inner = C_RUNTIME.get(base) or classes.get(base) or C_SCALAR.get(base, f"?{base}")
    for _ in range(stars):
        inner = f"Pointer<{inner}>"
    return inner


def read_header(path):
    text = open(path, encoding="utf-8").read()
    protos = {}
    for m in re.finditer(r"P2F_EXPORT\s+([^;()]+?)\s*\b(\w+)\((.*?)\);", text, re.S):
        ret, name, params = m.groups()
        if ret.startswith("extern"):
            continue
        ret = ret.strip()
        star = ""
        while name and ret.endswith("*"):
            ret, star = ret[:-1].strip(), star + "*"
        args = [] if params.strip() == "void" else [re.sub(r"\s*\b\w+$", "", p.strip()) for p in params.split(",")]
        protos[name] = (ret + " " + star, args)
    return protos


def subst(t, param, arg):
    return re.sub(rf"\b{param}\b", arg, t) if param else t


def norm(t):
    return re.sub(r"\b(p2f|pb_\w+)\.", "", t.replace(" ", ""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--functions", required=True)
    ap.add_argument("--runtime-header", action="append", default=[],
                    help="a runtime header whose P2F_EXPORT functions the bindings may bind too (arena.h)")
    ap.add_argument("dirs", nargs="+")
    args = ap.parse_args()
    typedefs = read_typedefs(args.functions)
    problems = checked = 0

    def problem(msg):
        nonlocal problems
        problems += 1
        print(msg)

    for d in args.dirs:
        for dart in sorted(glob.glob(os.path.join(d, "**", "*.ffi.dart"), recursive=True)):
            header = dart[:-len(".dart")] + ".h"
            protos = {}
            for h in args.runtime_header:
                protos.update(read_header(h))
            for h in glob.glob(os.path.join(d, "**", "*.ffi.h"), recursive=True):
                protos.update(read_header(h))
            text = open(dart, encoding="utf-8").read()
            classes = {c: n for c, n in re.findall(r"C type `(\w+)`, \d+ bytes, alignment \d+\.\nfinal class (\w+)", text)}
            # Message types of imported files: their classes appear prefixed.
            for h in glob.glob(os.path.join(d, "**", "*.ffi.dart"), recursive=True):
                for c, n in re.findall(r"C type `(\w+)`, \d+ bytes, alignment \d+\.\nfinal class (\w+)",
                                       open(h, encoding="utf-8").read()):
                    classes.setdefault(c, n)
            binds = []
            for m in re.finditer(r"lookupFunction<p2f\.(\w+)(?:<([\w.]+)>)?, p2f\.(\w+)(?:<([\w.]+)>)?>\('(\w+)'", text):
                binds.append((m.group(5), m.group(1), m.group(2), m.group(3), None))
            for m in re.finditer(r"lookup<NativeFunction<p2f\.(\w+)(?:<([\w.]+)>)?>>\('(\w+)'\)", text):
                binds.append((m.group(3), m.group(1), m.group(2), None, None))
            for m in re.finditer(r"@Native<p2f\.(\w+)(?:<([\w.]+)>)?>\(symbol: '(\w+)'[^)]*\)\nexternal (.+?) (\w+)\((.*?)\);",
                                 text):
                binds.append((m.group(3), m.group(1), m.group(2), None, (m.group(4), m.group(6))))
            inline = [(m.group(5), [m.group(1)] + split_args(m.group(2)), [m.group(3)] + split_args(m.group(4)))
                      for m in re.finditer(r"lookupFunction<(\w+) Function\(([^()]*)\), (\w+) Function\(([^()]*)\)>\('(\w+)'\)", text)]
            # Inline @Native externals (the batch kernels): the Dart form is the external's own.
            for m in re.finditer(r"@Native<(\w+) Function\(([^()]*)\)>\(symbol: '(\w+)'[^)]*\)\nexternal (.+?) (\w+)\((.*?)\);", text):
                inline.append((m.group(3), [m.group(1)] + split_args(m.group(2)),
                               [m.group(4)] + [re.sub(r"\s+\w+$", "", a.strip()) for a in split_args(m.group(6))]))
            name = os.path.relpath(dart, d)
            for sym, native_t, dart_t in inline:
                checked += 1
                if sym not in protos:
                    problem(f"{name}: {sym} is bound but {os.path.basename(header)} declares no such function")
                    continue
                cret, cparams = protos[sym]
                want = [c_to_ffi(t, classes) for t in [cret] + cparams]
                got = [norm(t) for t in native_t]
                if got != want:
                    problem(f"{name}: {sym}: bound as {got[0]} Function({', '.join(got[1:])}), "
                            f"the C prototype {want[0]} Function({', '.join(want[1:])})")
                    continue
                dart_form = [DART_FORM.get(t, t) for t in want]
                if [norm(t) for t in dart_t] != dart_form:
                    problem(f"{name}: {sym}: Dart form {dart_t[0]} Function({', '.join(dart_t[1:])}), "
                            f"expected {dart_form[0]} Function({', '.join(dart_form[1:])})")
            # The closures of native() call the private @Native externals by name: each name
            # must be declared.
            externals = set(re.findall(r"^external .+? (\w+)\(", text, re.M))
            arity = {m.group(1): len(split_args(m.group(2))) for m in re.finditer(r"^external .+? (\w+)\((.*?)\);", text, re.M)}
            for cls, ctor in re.findall(r"^  (\w+Batch)\.native\(\)\n(.*?;)\n", text, re.M | re.S):
                closures = re.findall(r"(\w+) = \(\(([^()]*)\) => (_\w+)\(([^()]*)\)\)[,;]", ctor)
                if not closures:
                    problem(f"{name}: {cls}.native() binds nothing")
                for member, params, called, call_args in closures:
                    checked += 1
                    if called not in externals:
                        problem(f"{name}: {cls}.native(): {member} calls {called}, which no @Native external declares")
                    elif len(split_args(call_args)) != arity[called] or split_args(call_args) != split_args(params):
                        problem(f"{name}: {cls}.native(): {member} passes ({call_args}) to {called}, "
                                f"which takes {arity[called]} parameters")
            body = re.search(r"\.native\(\) \{\n(.*?)\n    checkLayout\(\);", text, re.S)
            for called in re.findall(r"(?:=> |Native\.addressOf<[^>]*>>\()(_\w+)\b", body.group(1) if body else ""):
                checked += 1
                if called not in externals:
                    problem(f"{name}: native() calls {called}, which no @Native external declares")
            for sym, native, targ, fn, external in binds:
                checked += 1
                if sym not in protos:
                    problem(f"{name}: {sym} is bound but {os.path.basename(header)} declares no such function")
                    continue
                if native not in typedefs:
                    problem(f"{name}: {sym}: p2f.{native} is not a typedef of {args.functions}")
                    continue
                tp, ret, params = typedefs[native]
                targ = norm(targ or "")
                got = [norm(subst(t, tp, targ)) for t in [ret] + params]
                cret, cparams = protos[sym]
                want = [c_to_ffi(t, classes) for t in [cret] + cparams]
                if got != want:
                    problem(f"{name}: {sym}: p2f.{native} is {got[0]} Function({', '.join(got[1:])}), "
                            f"the C prototype {want[0]} Function({', '.join(want[1:])})")
                    continue
                dart_form = [DART_FORM.get(t, t) for t in want]
                if fn:
                    ftp, fret, fparams = typedefs.get(fn, (None, "?", []))
                    fgot = [norm(subst(t, ftp, targ)) for t in [fret] + fparams]
                    if fgot != dart_form:
                        problem(f"{name}: {sym}: p2f.{fn} is {fgot[0]} Function({', '.join(fgot[1:])}), "
                                f"the Dart form of p2f.{native} is {dart_form[0]} Function({', '.join(dart_form[1:])})")
                if external:
                    eret, eparams = external
                    egot = [norm(eret)] + [norm(re.sub(r"\s+\w+$", "", p.strip())) for p in split_args(eparams)]
                    if egot != dart_form:
                        problem(f"{name}: {sym}: the external is {egot[0]} Function({', '.join(egot[1:])}), "
                                f"the Dart form of p2f.{native} is {dart_form[0]} Function({', '.join(dart_form[1:])})")
    if checked == 0:
        problem("no bindings found")
    print(f"bindings: {checked} bound symbols, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
