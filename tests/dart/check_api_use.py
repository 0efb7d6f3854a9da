#!/usr/bin/env python3
"""Hand-written Dart (tests, examples) against the API it calls, for machines without Dart.

  check_api_use.py --api DIR_OR_FILE... -- FILE_OR_DIR...

The declarations come from the --api sources (the runtime package's lib/, generated
.ffi.dart files) and from the checked files themselves (their extensions). For each class,
enum and extension: its members (fields, getters, setters, methods, enum constants, static
members) and its constructors with their parameters. Then, in every checked .dart file:

1. A constructor call `C(...)`, `C<...>(...)`, `C.name(...)` (also `p2f.C...`) of a
   declared class names a constructor C has; every named argument is a parameter of it;
   every `required` named parameter is given; the positional arguments are at least the
   required positional parameters and at most all of them.
2. `x.member` and `x..member`, where x is a variable whose type the file states (`final x =
   C<...>(...)`, `C<...> x`, `C? x` in a declaration or parameter), names a member of C, of
   an extension on C, or of Object. A variable is known from its declaration to the end of
   the enclosing block, so one name can have different types in different tests.
3. `C.member` with C a declared class names a constructor or a member of C.
4. In `h.use((p) => ...)` / `h.use((p) { ... })` with h a PoolMessage, StandaloneMessage or
   ArenaMessage whose type argument T is declared (`PoolMessage<Post>`), `p.member` names a
   member of T (a generated message class: its fields, accessors and methods) up to the
   call's closing parenthesis.

It does not infer types: `x` from `final x = y.method()` or an untyped closure parameter
(other than that of use()) is not followed, and members of dart:core, dart:ffi or package
types are not checked; a class extending an SDK class other than Struct and Union has
members that are not known, so accesses on it are not checked.

Output: one line per problem, then "api use: N calls and accesses checked, M problems".
Exit 1 if M > 0 or nothing was checked.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lint_dart import tokenize  # noqa: E402

IDENT = re.compile(r"[A-Za-z_$][\w$]*$")
OBJECT_MEMBERS = {"hashCode", "toString", "runtimeType", "noSuchMethod"}
KEYWORDS = {
    "if", "for", "while", "switch", "return", "catch", "assert", "super", "this", "new", "throw",
    "await", "yield", "is", "as", "in", "else", "try", "do", "final", "var", "const", "late",
    "static", "external", "factory", "operator", "get", "set", "required", "covariant", "void",
}


def is_ident(t):
    return bool(IDENT.match(t)) and t != "STR"


def match(tokens, k, open_, close):
    """Index of the bracket closing tokens[k] (== open_)."""
    depth = 0
    for j in range(k, len(tokens)):
        t = tokens[j][0]
        if t == open_:
            depth += 1
        elif t == close:
            depth -= 1
            if depth == 0:
                return j
    return len(tokens) - 1


def skip_type_args(tokens, k):
    """k at '<': the index after the matching '>' (nested generics), else k."""
    if k >= len(tokens) or tokens[k][0] != "<":
        return k
    depth = 0
    for j in range(k, len(tokens)):
        t = tokens[j][0]
        if t == "<":
            depth += 1
        elif t == ">":
            depth -= 1
            if depth == 0:
                return j + 1
        elif t in (";", "{", "}", "=") or (t == ")" and depth == 0):
            return k
    return k


def split_items(tokens, a, b):
    """Top-level comma-separated items of tokens[a:b] as (start, end) ranges."""
    items, depth, start = [], 0, a
    for j in range(a, b):
        t = tokens[j][0]
        if t in "([{":
            depth += 1
        elif t in ")]}":
            depth -= 1
        elif t == "<":
            depth += 1 if skip_type_args(tokens, j) != j else 0
        elif t == ">" and depth > 0:
            depth -= 1
        elif t == "," and depth == 0:
            if j > start:
                items.append((start, j))
            start = j + 1
    if b > start:
        items.append((start, b))
    return items


def parse_params(tokens, a, b):
    """Parameters between '(' at a and ')' at b: (required positional, all positional,
    named set, required named set)."""
    req_pos = all_pos = 0
    named, req_named = set(), set()
    j = a + 1
    while j < b:
        t = tokens[j][0]
        if t in ("{", "["):
            close = match(tokens, j, t, "}" if t == "{" else "]")
            for s, e in split_items(tokens, j + 1, close):
                idents = [tokens[i][0] for i in range(s, e) if is_ident(tokens[i][0])]
                eq = next((i for i in range(s, e) if tokens[i][0] == "="), e)
                name = next((tokens[i][0] for i in range(eq - 1, s - 1, -1) if is_ident(tokens[i][0])), None)
                if name is None:
                    continue
                if t == "{":
                    named.add(name)
                    if "required" in idents:
                        req_named.add(name)
                else:
                    all_pos += 1
            j = close + 1
            continue
        end = j
        depth = 0
        while end < b:
            u = tokens[end][0]
            if u in "([":
                depth += 1
            elif u in ")]":
                depth -= 1
            elif u == "{" and depth == 0:
                break
            elif u == "," and depth == 0:
                break
            end += 1
        if end > j:
            req_pos += 1
            all_pos += 1
        j = end + 1 if end < b and tokens[end][0] == "," else end
    return req_pos, all_pos, named, req_named


class Decl:
    def __init__(self, name, kind):
        self.name, self.kind = name, kind
        self.members = set()
        self.ctors = {}  # "" for the unnamed one -> params
        self.supers = []


# Handles whose use() passes the view of their type argument.
HANDLES = {"PoolMessage", "StandaloneMessage", "ArenaMessage"}

# Supertypes that add no members a checked file could call.
NO_MEMBERS = {"Finalizable", "Exception", "Object", "Error"}


def _depth(tokens, a, b):
    """Angle-bracket depth at b, counting from a."""
    d = 0
    for j in range(a, b):
        if tokens[j][0] == "<":
            d += 1
        elif tokens[j][0] == ">":
            d -= 1
    return d


def parse_decls(tokens, decls, extensions):
    k = 0
    while k < len(tokens):
        t = tokens[k][0]
        if t in ("class", "enum", "extension") and k + 1 < len(tokens) and is_ident(tokens[k + 1][0]):
            name = tokens[k + 1][0]
            if t == "extension" and name == "on":
                k += 1
                continue
            j = k + 2
            on = None
            supers, in_supers = [], False
            while j < len(tokens) and tokens[j][0] not in ("{", ";"):
                u = tokens[j][0]
                if u == "on" and t == "extension":
                    on = tokens[j + 1][0] if tokens[j + 1][0] != "p2f" else tokens[j + 3][0]
                elif u in ("extends", "with", "implements"):
                    in_supers = True
                elif in_supers and is_ident(u) and u != "p2f" and _depth(tokens, k + 2, j) == 0:
                    supers.append(u)
                j += 1
            if j >= len(tokens) or tokens[j][0] != "{":
                k = j
                continue
            end = match(tokens, j, "{", "}")
            d = Decl(name, t)
            d.supers = supers
            parse_body(tokens, j, end, d)
            if t == "extension":
                if on:
                    extensions.setdefault(on, set()).update(d.members)
            else:
                decls[name] = d
            k = end + 1
            continue
        k += 1


def parse_body(tokens, a, b, d):
    j = a + 1
    if d.kind == "enum":
        # enum constants: identifiers before the first ';' at depth 1, each followed by '(', ',' or ';'
        depth = 0
        while j < b:
            t = tokens[j][0]
            if t in "([{":
                depth += 1
            elif t in ")]}":
                depth -= 1
            elif t == ";" and depth == 0:
                break
            elif depth == 0 and is_ident(t) and tokens[j + 1][0] in ("(", ",", ";", "}"):
                d.members.add(t)
            j += 1
        d.members.update({"values", "index", "name"})
    while j < b:
        t = tokens[j][0]
        if t in ("(", "["):
            j = match(tokens, j, t, ")" if t == "(" else "]") + 1
            continue
        if t == "{":
            j = match(tokens, j, "{", "}") + 1
            continue
        nxt = tokens[j + 1][0] if j + 1 < b else ""
        prev = tokens[j - 1][0]
        if t in ("get", "set") and is_ident(nxt) and nxt not in ("(",):
            d.members.add(nxt)
            j += 2
            continue
        if is_ident(t) and t not in KEYWORDS and prev not in (".", "@"):
            if t == d.name:
                # constructor: C( or C.name(
                cname, p = "", j + 1
                if nxt == "." and is_ident(tokens[j + 2][0]):
                    cname, p = tokens[j + 2][0], j + 3
                if p < b and tokens[p][0] == "(":
                    close = match(tokens, p, "(", ")")
                    d.ctors[cname] = parse_params(tokens, p, close)
                    j = close + 1
                    continue
            elif nxt in ("(", "<") and prev not in ("=", "return", "=>", ",", "(", "?", ":", "!", "&&", "||"):
                d.members.add(t)
            elif nxt in (";", "=") or (nxt == "," and prev not in ("(", ",")):
                d.members.add(t)
        j += 1
    if d.kind == "class" and not d.ctors:
        d.ctors[""] = (0, 0, set(), set())


def load_api(paths):
    decls, extensions = {}, {}
    for path in paths:
        if not os.path.exists(path):
            sys.exit(f"check_api_use.py: {path} does not exist")
        files = [path] if os.path.isfile(path) else sorted(
            os.path.join(r, f) for r, _, fs in os.walk(path) for f in fs if f.endswith(".dart"))
        for f in files:
            toks, _ = tokenize(open(f, encoding="utf-8").read())
            parse_decls(toks, decls, extensions)
    return decls, extensions


def all_members(decls, cls, seen=()):
    """The members of cls and its declared supertypes; None when a supertype is not declared
    here (an SDK class such as MapBase or Struct: its members are not known)."""
    d = decls[cls]
    out = set(d.members)
    for s in d.supers:
        if s in NO_MEMBERS or s in seen:
            continue
        if s in ("Struct", "Union"):
            out.add("address")  # dart:ffi's StructAddress / UnionAddress
            continue
        if s not in decls:
            return None
        inherited = all_members(decls, s, seen + (cls,))
        if inherited is None:
            return None
        out |= inherited
    return out


def check_call(tokens, p, decl, cname, where, problems):
    """tokens[p] is '(' of a call of constructor cname of decl."""
    if cname not in decl.ctors:
        if cname and cname in decl.members:
            return  # a static method, not a constructor
        problems.append(f"{where}: {decl.name}{'.' + cname if cname else ''}: {decl.name} has no such constructor")
        return
    req_pos, all_pos, named, req_named = decl.ctors[cname]
    close = match(tokens, p, "(", ")")
    given_named, positional = set(), 0
    for s, e in split_items(tokens, p + 1, close):
        if e - s >= 2 and is_ident(tokens[s][0]) and tokens[s + 1][0] == ":":
            given_named.add(tokens[s][0])
        else:
            positional += 1
    label = f"{decl.name}{'.' + cname if cname else ''}"
    for n in sorted(given_named - named):
        problems.append(f"{where}: {label}: no parameter named '{n}'")
    for n in sorted(req_named - given_named):
        problems.append(f"{where}: {label}: required parameter '{n}' is missing")
    if positional < req_pos or positional > all_pos:
        problems.append(f"{where}: {label}: {positional} positional arguments, it takes {req_pos}"
                        + (f" to {all_pos}" if all_pos != req_pos else ""))


def check_file(path, decls, extensions):
    toks, _ = tokenize(open(path, encoding="utf-8").read())
    local_ext, local = {}, {}
    parse_decls(toks, local, local_ext)
    decls = dict(decls, **local)
    ext = {k: set(v) for k, v in extensions.items()}
    for k, v in local_ext.items():
        ext.setdefault(k, set()).update(v)
    problems, checked = [], 0
    scopes = [{}]
    ranged = []  # (last token index, name, (class, type argument)): parameters of use() bodies

    def members(cls):
        own = all_members(decls, cls)
        return None if own is None else own | ext.get(cls, set()) | OBJECT_MEMBERS

    def lookup(name, k):
        for end, n, v in reversed(ranged):
            if n == name and k <= end:
                return v
        for s in reversed(scopes):
            if name in s:
                return s[name]
        return None

    def type_at(k):
        """A declared class named at tokens[k] (or p2f.C at k): (class, index after the type)."""
        j = k
        if toks[j][0] == "p2f" and j + 2 < len(toks) and toks[j + 1][0] == ".":
            j += 2
        c = toks[j][0]
        if c not in decls:
            return None, k, None
        targ = None
        if j + 2 < len(toks) and toks[j + 1][0] == "<":
            targ = toks[j + 2][0]
            if targ == "p2f" and j + 4 < len(toks):
                targ = toks[j + 4][0]
        return c, skip_type_args(toks, j + 1), targ

    # Constructor declarations: a class's own name at the top level of its body.
    declaring = set()
    for k in range(len(toks) - 2):
        if toks[k][0] == "class" and is_ident(toks[k + 1][0]):
            name = toks[k + 1][0]
            j = k + 2
            while j < len(toks) and toks[j][0] not in ("{", ";"):
                j += 1
            if j < len(toks) and toks[j][0] == "{":
                end = match(toks, j, "{", "}")
                depth = 0
                for i in range(j + 1, end):
                    u = toks[i][0]
                    if u in "({[":
                        depth += 1
                    elif u in ")}]":
                        depth -= 1
                    elif depth == 0 and u == name:
                        declaring.add(i)

    k = 0
    while k < len(toks):
        t, line = toks[k]
        where = f"{path}:{line}"
        if t == "{":
            scopes.append({})
        elif t == "}":
            if len(scopes) > 1:
                scopes.pop()
        prev = toks[k - 1][0] if k else ""
        if prev == "." and not (k >= 2 and toks[k - 2][0] == "p2f"):
            k += 1
            continue
        cls, after, targ = type_at(k)
        if k in declaring:
            cls = None
        if cls is not None and prev not in ("class", "enum", "extension", "on", "extends", "implements", "with"):
            # declaration `C<...>? name`
            a = after + (1 if after < len(toks) and toks[after][0] == "?" else 0)
            if a < len(toks) and is_ident(toks[a][0]) and toks[a][0] not in KEYWORDS and a + 1 < len(toks) \
                    and toks[a + 1][0] in ("=", ";", ",", ")", "}") and toks[a][0] not in decls:
                scopes[-1][toks[a][0]] = (cls, targ)
            # constructor call, or static access
            if after < len(toks) and toks[after][0] == "(":
                checked += 1
                check_call(toks, after, decls[cls], "", where, problems)
            elif after + 1 < len(toks) and toks[after][0] == "." and is_ident(toks[after + 1][0]):
                name = toks[after + 1][0]
                checked += 1
                if after + 2 < len(toks) and toks[after + 2][0] == "(" and name in decls[cls].ctors:
                    check_call(toks, after + 2, decls[cls], name, where, problems)
                elif name not in decls[cls].ctors and members(cls) is not None and name not in members(cls):
                    problems.append(f"{where}: {cls}.{name}: {cls} has no constructor or member '{name}'")
            k = after
            continue
        # `final x = C<...>(...)` / `final x = C.name(...)`
        if t in ("final", "var", "late") and k + 3 < len(toks):
            j = k + 1
            if toks[j][0] == "final":
                j += 1
            if is_ident(toks[j][0]) and toks[j + 1][0] == "=":
                c, _, ta = type_at(j + 2)
                if c is not None:
                    scopes[-1][toks[j][0]] = (c, ta)
        # x.member / x..member
        if is_ident(t) and k + 2 < len(toks) and toks[k + 1][0] == ".":
            var = lookup(t, k)
            cls, targ = var if var is not None else (None, None)
            # handle.use((p) ...): p is the handle's message type until the call's ')'
            if cls in HANDLES and toks[k + 2][0] == "use" and k + 6 < len(toks) and toks[k + 3][0] == "(" \
                    and toks[k + 4][0] == "(" and is_ident(toks[k + 5][0]) and toks[k + 6][0] == ")" \
                    and targ in decls:
                ranged.append((match(toks, k + 3, "(", ")"), toks[k + 5][0], (targ, None)))
            if cls is not None:
                m = k + 2
                if toks[m][0] == ".":
                    m += 1
                known = members(cls)
                if m < len(toks) and is_ident(toks[m][0]) and known is not None:
                    checked += 1
                    if toks[m][0] not in known:
                        problems.append(f"{where}: {t}.{toks[m][0]}: {cls} has no member '{toks[m][0]}'")
        k += 1
    return checked, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--api", nargs="+", required=True)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    decls, extensions = load_api(args.api)
    files = []
    for p in args.files:
        if os.path.isfile(p):
            files.append(p)
        else:
            files += sorted(os.path.join(r, f) for r, _, fs in os.walk(p) for f in fs
                            if f.endswith(".dart") and not f.endswith(".ffi.dart"))
    total_checked, total = 0, 0
    for f in files:
        checked, problems = check_file(f, decls, extensions)
        total_checked += checked
        for p in problems:
            print(p)
        total += len(problems)
    print(f"api use: {total_checked} calls and accesses checked, {total} problems")
    return 1 if total or not total_checked else 0


if __name__ == "__main__":
    sys.exit(main())
