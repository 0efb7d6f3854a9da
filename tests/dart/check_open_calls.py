#!/usr/bin/env python3
"""Checks, without Dart, that the calls the Flutter plugin tells its users to make match what
the generated bindings and the runtime package accept.

Signatures read:
  - `factory XBindings.open(...)` of a generated x.ffi.dart (--bindings);
  - `DynamicLibrary openLibrary(...)` of dart_bindings/lib/src/loader.dart (--loader).

Checks:
  1. The generated open() forwards to p2f.openLibrary with arguments openLibrary accepts.
  2. The loader tries the framework `<name>.framework/<name>` (what CocoaPods builds for a pod)
     and falls back to DynamicLibrary.process().
  3. Every podspec's comment suggests at least one `XBindings.open(...)` call; every call it
     suggests (open or openLibrary) passes arguments the signature accepts, and the library
     name it passes is the pod's `s.name` (the framework's name). A `name: value` fragment
     of the comment outside a call (`staticOnApple: true`) must be a named parameter of the
     generated open(), which is what users call.
  4. Every `XBindings.open(...)` / `openLibrary(...)` call of the given Dart files (--dart)
     passes accepted arguments, and a literal library name equals a checked pod's name.

Output: one line per problem, then "open calls: N calls, M problems". Exit 1 if M > 0.
  check_open_calls.py --bindings social.ffi.dart --loader loader.dart
                      [--podspec P]... [--dart F]...
"""
import argparse
import re
import sys

OPEN_DECL = re.compile(r"factory (\w+)\.open\(([^)]*)\)\s*=>\s*[^;]*?p2f\.openLibrary\(([^)]*)\)")
LOADER_DECL = re.compile(r"^DynamicLibrary openLibrary\(([^)]*)\)", re.M)
OPEN_CALL = re.compile(r"\b(\w+Bindings)\.open\(([^()]*)\)")
LOADER_CALL = re.compile(r"(?<![\w.])(?:p2f\.)?openLibrary\(([^()]*)\)")
NAMED_FRAGMENT = re.compile(r"\b([a-z][A-Za-z0-9]*): (true|false|'[^']*'|\"[^\"]*\"|\d+)\b")


def split_top(text):
    """Comma-separated items at bracket depth 0."""
    out, depth, cur = [], 0, ""
    for c in text:
        if c in "([{<":
            depth += 1
        elif c in ")]}>":
            depth -= 1
        if c == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += c
    if cur.strip():
        out.append(cur)
    return [x.strip() for x in out if x.strip()]


def parse_params(text):
    """(required positional count, optional positional count, {named: required?})."""
    required = optional = 0
    named = {}
    m = re.match(r"^(.*?)(?:,?\s*([\[{])(.*)[\]}])?\s*$", text.strip(), re.S)
    head, kind, tail = m.group(1), m.group(2), m.group(3)
    required = len(split_top(head))
    if kind == "[":
        optional = len(split_top(tail))
    elif kind == "{":
        for p in split_top(tail):
            words = re.sub(r"=.*$", "", p).split()
            named[words[-1]] = words[0] == "required"
    return required, optional, named


def check_call(what, args_text, sig, problems, where):
    required, optional, named = sig
    positional, given = [], set()
    for a in split_top(args_text):
        m = re.match(r"^(\w+)\s*:", a)
        if m:
            given.add(m.group(1))
            if m.group(1) not in named:
                problems.append(f"{where}: {what}({args_text}): {what} has no parameter '{m.group(1)}' "
                                f"(it takes {', '.join(sorted(named)) or 'no named parameters'})")
        else:
            positional.append(a)
    if not required <= len(positional) <= required + optional:
        problems.append(f"{where}: {what}({args_text}): {len(positional)} positional arguments, "
                        f"{what} takes {required}" + (f" to {required + optional}" if optional else ""))
    for n, req in named.items():
        if req and n not in given:
            problems.append(f"{where}: {what}({args_text}): the required argument '{n}' is missing")
    return positional


def literal(arg):
    m = re.match(r"^'([^']*)'$|^\"([^\"]*)\"$", arg or "")
    return None if m is None else (m.group(1) if m.group(1) is not None else m.group(2))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bindings", required=True)
    ap.add_argument("--loader", required=True)
    ap.add_argument("--podspec", action="append", default=[])
    ap.add_argument("--dart", action="append", default=[])
    args = ap.parse_args()
    problems, calls = [], 0

    bindings = open(args.bindings, encoding="utf-8").read()
    m = OPEN_DECL.search(bindings)
    if not m:
        print(f"{args.bindings}: no 'factory XBindings.open(...) => ... p2f.openLibrary(...)'")
        return 1
    open_sig = parse_params(m.group(2))
    forwarded = m.group(3)
    loader = open(args.loader, encoding="utf-8").read()
    lm = LOADER_DECL.search(loader)
    if not lm:
        print(f"{args.loader}: no 'DynamicLibrary openLibrary(...)'")
        return 1
    loader_sig = parse_params(lm.group(1))
    # 1. the generated forwarding call
    check_call("openLibrary", forwarded, loader_sig, problems, args.bindings)
    calls += 1
    # 2. framework first, process last
    if "'$name.framework/$name'" not in loader:
        problems.append(f"{args.loader}: the loader does not try '$name.framework/$name'")
    if "DynamicLibrary.process()" not in loader:
        problems.append(f"{args.loader}: the loader has no DynamicLibrary.process() fallback")

    pods = set()
    # 3. podspecs
    for path in args.podspec:
        text = open(path, encoding="utf-8").read()
        nm = re.search(r"^\s*s\.name\s*=\s*'([^']+)'", text, re.M)
        pod = nm.group(1) if nm else None
        if pod is None:
            problems.append(f"{path}: no s.name")
        pods.add(pod)
        comment = "\n".join(line.lstrip("#") for line in text.splitlines() if line.lstrip().startswith("#"))
        opens = OPEN_CALL.findall(comment)
        if not opens:
            problems.append(f"{path}: the comment suggests no XBindings.open(...) call")
        spans = []
        for cls, a in opens:
            calls += 1
            pos = check_call(f"{cls}.open", a, open_sig, problems, path)
            name = literal(pos[0]) if pos else None
            if pos and name != pod:
                problems.append(f"{path}: {cls}.open({a}) opens '{name}', but the pod (and its framework) "
                                f"is named '{pod}'")
        for a in LOADER_CALL.findall(comment):
            calls += 1
            check_call("openLibrary", a, loader_sig, problems, path)
        for rx in (OPEN_CALL, LOADER_CALL):
            spans += [mm.span() for mm in rx.finditer(comment)]
        for mm in NAMED_FRAGMENT.finditer(comment):
            if any(a <= mm.start() < b for a, b in spans):
                continue  # checked with its call
            if mm.group(1) not in open_sig[2]:
                problems.append(f"{path}: the comment suggests '{mm.group(0)}', which the generated open() "
                                f"does not accept")
    # 4. Dart files
    for path in args.dart:
        text = open(path, encoding="utf-8").read()
        for cls, a in OPEN_CALL.findall(text):
            calls += 1
            pos = check_call(f"{cls}.open", a, open_sig, problems, path)
            name = literal(pos[0]) if pos else None
            if name is not None and pods and name not in pods:
                problems.append(f"{path}: {cls}.open({a}) opens '{name}', but the pods are named "
                                f"{', '.join(sorted(p for p in pods if p))}")
        for a in LOADER_CALL.findall(text):
            calls += 1
            check_call("openLibrary", a, loader_sig, problems, path)
    for p in problems:
        print(p)
    print(f"open calls: {calls} calls, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
