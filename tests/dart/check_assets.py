#!/usr/bin/env python3
"""Every Dart library with @Native functions names a code asset that the package's build hook
registers.

A `@Native` declaration resolves its symbol in the code asset `assetId:` names, else in the
library's `@DefaultAsset(...)`, else in the asset whose id is the library's own URI
(`package:<package>/<path under lib/>`). The build hook registers one id per
`CBuilder.library(assetName: N)`: `package:<the package being built>/N` (package:code_assets
rejects an id of another package). A library whose asset is none of those fails at its first
call, at run time only: a schema split over two .proto files gave two libraries with two URIs
for one native library.

  check_assets.py --pubspec P --hook H --lib DIR [--lib DIR...]

Each --lib DIR is read as the package's lib/ directory (the checked-in files and the generated
ones may live in two trees). What this does not check: that the hook runs, and that the
library it builds exports the symbols (dart.flutter_plugin.native_build does the latter for
the same sources).
"""
import argparse
import os
import re
import sys


def strip_comments(text):
    """The text with // and /* */ comments blanked; string literals kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join("\n" if ch == "\n" else " " for ch in text[i:j]))
            i = j
        elif c in "'\"":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def package_name(pubspec):
    with open(pubspec, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"name:\s*([a-z_][a-z0-9_]*)\s*$", line)
            if m:
                return m.group(1)
    sys.exit(f"{pubspec}: no 'name:'")


def registered_assets(hook, package):
    """The code asset ids the hook registers: CBuilder.library(... assetName: 'N' ...) and
    CodeAsset(package: input.packageName or 'p', name: 'N', ...)."""
    with open(hook, encoding="utf-8") as f:
        text = strip_comments(f.read())
    ids = set()
    for m in re.finditer(r"CBuilder\.library\(", text):
        body = call_body(text, m.end() - 1)
        a = re.search(r"\bassetName:\s*'([^']*)'", body)
        if a:
            ids.add(f"package:{package}/{a.group(1)}")
    for m in re.finditer(r"\bCodeAsset\(", text):
        body = call_body(text, m.end() - 1)
        name = re.search(r"\bname:\s*'([^']*)'", body)
        pkg = re.search(r"\bpackage:\s*('([^']*)'|input\.packageName)", body)
        if name and pkg:
            ids.add(f"package:{pkg.group(2) or package}/{name.group(1)}")
    return ids


def call_body(text, open_paren):
    depth = 0
    for i in range(open_paren, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[open_paren:i + 1]
    return text[open_paren:]


NATIVE = re.compile(r"@Native\s*<")


def native_uses(path, uri):
    """(line, symbol, asset id) of every @Native declaration of the library at path."""
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    text = strip_comments(raw)
    default = None
    lib = re.search(r"^\s*library\b", text, re.M)
    head = text[:lib.start()] if lib else ""
    d = re.search(r"@DefaultAsset\(\s*'([^']*)'\s*\)", head)
    if d:
        default = d.group(1)
    elif re.search(r"@DefaultAsset\b", text):
        line = text.count("\n", 0, re.search(r"@DefaultAsset\b", text).start()) + 1
        print(f"{path}: line {line}: @DefaultAsset is not on the library directive or not a literal")
        default = "<invalid>"
    uses = []
    for m in NATIVE.finditer(text):
        i = m.end() - 1
        depth = 0
        while i < len(text):  # the type argument
            if text[i] == "<":
                depth += 1
            elif text[i] == ">":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        args = call_body(text, text.index("(", i)) if text[i + 1:].lstrip().startswith("(") else ""
        sym = re.search(r"\bsymbol:\s*'([^']*)'", args)
        asset = re.search(r"\bassetId:\s*'([^']*)'", args)
        line = text.count("\n", 0, m.start()) + 1
        uses.append((line, sym.group(1) if sym else "?", asset.group(1) if asset else default or uri))
    return uses


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pubspec", required=True)
    ap.add_argument("--hook", required=True)
    ap.add_argument("--lib", action="append", required=True)
    args = ap.parse_args()
    package = package_name(args.pubspec)
    registered = registered_assets(args.hook, package)
    libraries = problems = natives = 0
    for root in args.lib:
        for dirpath, _, files in os.walk(root):
            for name in sorted(files):
                if not name.endswith(".dart"):
                    continue
                path = os.path.join(dirpath, name)
                uri = f"package:{package}/" + os.path.relpath(path, root).replace(os.sep, "/")
                uses = native_uses(path, uri)
                if not uses:
                    continue
                libraries += 1
                natives += len(uses)
                missing = [u for u in uses if u[2] not in registered]
                if missing:
                    problems += 1
                    ids = sorted({u[2] for u in missing})
                    print(f"{uri}: {len(missing)} @Native functions (first: {missing[0][1]}, line {missing[0][0]}) "
                          f"resolve in {', '.join(ids)}, which {os.path.basename(args.hook)} does not register "
                          f"(it registers: {', '.join(sorted(registered)) or 'nothing'})")
    if libraries == 0:
        print("no library with @Native functions found")
        problems += 1
    print(f"native assets: {libraries} libraries, {natives} @Native functions, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
