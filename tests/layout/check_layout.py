#!/usr/bin/env python3
"""Checks proto2ffi layout manifests (x.ffi.json) against what a real C or C++ compiler does.

Two stages:

1. Consistency (Python, no compiler): every struct and union in every manifest obeys the C
   layout rules (members inside the aggregate, aligned, not overlapping, in declaration order;
   size a multiple of the alignment; alignment the largest member alignment; no tail padding
   beyond that), every field's absolute offsets agree with the members of the structs[] list,
   and each field has the C type and capacities its proto type, label and limits call for.
   Out-of-line fields ("storage": "out_of_line") have a pointer member ("pointer": true, of
   the manifest's "pointer_size" bytes) to elements of their C type (p2f_str / p2f_bytes for
   repeated strings and bytes), no capacity, and a cap member for repeated fields.

2. Compiler: a C (or C++) program is generated that includes every manifest's header and, at
   run time, compares each number in the manifest with the compiler's own sizeof, _Alignof /
   alignof, offsetof and type, printing one line per mismatch:
       MISMATCH <struct>.<member> <what>: manifest=X compiler=Y
   and a final line "layout: N checks, M mismatches". It exits 1 if M > 0 or N == 0.

Python 3 standard library only. Exit status: 0 when both stages pass, 1 otherwise (2 for a bad
command line).

Example:
  /usr/bin/python3 tests/layout/check_layout.py --manifest out/a.ffi.json \\
      --include out --runtime-include runtime/include --cc gcc --std c11 --workdir /tmp/lay.work
"""

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

# Sizes of the C scalar types a manifest may name. The exact-width types have these sizes by
# definition; float and double are IEEE 754 binary32/binary64 on every target proto2ffi supports.
# Alignments are deliberately absent: they are the compiler's business (stage 2).
SCALAR_SIZES = {
    "char": 1, "signed char": 1, "unsigned char": 1,
    "int8_t": 1, "uint8_t": 1, "int16_t": 2, "uint16_t": 2,
    "int32_t": 4, "uint32_t": 4, "int64_t": 8, "uint64_t": 8,
    "float": 4, "double": 8,
    "p2f_str": 16, "p2f_bytes": 16,  # elements of out-of-line repeated strings and bytes
}
POINTER_SIZE = 8

# The C element type of a field's value member, by proto type (messages: the message's c_name).
PROTO_C_TYPES = {
    "double": "double", "float": "float",
    "int32": "int32_t", "sint32": "int32_t", "sfixed32": "int32_t", "enum": "int32_t",
    "int64": "int64_t", "sint64": "int64_t", "sfixed64": "int64_t",
    "uint32": "uint32_t", "fixed32": "uint32_t",
    "uint64": "uint64_t", "fixed64": "uint64_t",
    "bool": "uint8_t", "string": "char", "bytes": "uint8_t",
}

IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
C_TYPE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*( [A-Za-z_][A-Za-z0-9_]*)*$")


class ManifestError(Exception):
    """A manifest entry is malformed; the entry is skipped and the problem counted."""

    def __init__(self, where, what, manifest, expected):
        super().__init__(f"{where} {what}")
        self.where, self.what, self.manifest, self.expected = where, what, manifest, expected


def fmt(v):
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(fmt(x) for x in v) + "]"
    if v is None:
        return "missing"
    return str(v)


class Consistency:
    """Stage 1: counts checks and collects problem lines."""

    def __init__(self):
        self.checks = 0
        self.problems = []

    def expect(self, where, what, manifest, expected):
        self.checks += 1
        if manifest != expected:
            self.problems.append(
                f"MISMATCH {where} {what}: manifest={fmt(manifest)} expected={fmt(expected)}")
            return False
        return True

    def fail(self, where, what, manifest, expected):
        self.checks += 1
        self.problems.append(f"MISMATCH {where} {what}: manifest={fmt(manifest)} expected={expected}")

    def error(self, e):
        self.fail(e.where, e.what, e.manifest, e.expected)


def get_int(obj, key, where, minimum=0):
    v = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(v, int) or isinstance(v, bool) or v < minimum:
        raise ManifestError(where, key, v, f"an integer >= {minimum}")
    return v


def get_str(obj, key, where, pattern=IDENT):
    v = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(v, str) or not pattern.match(v):
        raise ManifestError(where, key, v, "a C identifier" if pattern is IDENT else "a C type name")
    return v


def get_list(obj, key, where):
    v = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(v, list):
        raise ManifestError(where, key, v, "a list")
    return v


def is_pow2(n):
    return n > 0 and (n & (n - 1)) == 0


def round_up(n, a):
    return (n + a - 1) // a * a if a > 0 else n


def product(xs):
    p = 1
    for x in xs:
        p *= x
    return p


# ------------------------------------------------------------------------------------------
# Loading


class Struct:
    def __init__(self, c_name, kind, size, align, members, message):
        self.c_name, self.kind, self.size, self.align = c_name, kind, size, align
        self.members = members  # list of dicts with name, role, type, dims, offset, size, align
        self.by_name = {m["name"]: m for m in members}
        self.index = {m["name"]: i for i, m in enumerate(members)}
        self.message = message  # c_name of the message whose structs[] lists it


def parse_struct(raw, message, con):
    where = get_str(raw, "c_name", f"{message}.structs[]")
    kind = raw.get("kind")
    if kind not in ("struct", "union"):
        raise ManifestError(where, "kind", kind, '"struct" or "union"')
    size = get_int(raw, "size", where, 1)
    align = get_int(raw, "align", where, 1)
    members = []
    for i, m in enumerate(get_list(raw, "members", where)):
        name = get_str(m, "name", f"{where}.members[{i}]")
        mw = f"{where}.{name}"
        dims = get_list(m, "dims", mw)
        for d in dims:
            if not isinstance(d, int) or isinstance(d, bool) or d < 1:
                raise ManifestError(mw, "dims", dims, "positive integers")
        members.append({
            "name": name,
            "role": m.get("role"),
            "type": get_str(m, "type", mw, C_TYPE),
            "dims": dims,
            "offset": get_int(m, "offset", mw),
            "size": get_int(m, "size", mw, 1),
            "align": get_int(m, "align", mw, 1),
            "pointer": m.get("pointer") is True,
        })
        # The declared C type: a pointer member's type is its element type plus '*'.
        members[-1]["ctype"] = members[-1]["type"] + (" *" if members[-1]["pointer"] else "")
    return Struct(where, kind, size, align, members, message)


class Manifest:
    def __init__(self, path, data):
        self.path = path
        self.data = data
        self.header = data.get("header")
        self.messages = []  # (raw message dict, [Struct])


def load_manifests(paths, con):
    manifests = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            con.fail(path, "json", "unreadable", f"a JSON manifest ({e})")
            continue
        if not isinstance(data, dict):
            con.fail(path, "json", type(data).__name__, "an object")
            continue
        man = Manifest(path, data)
        if not isinstance(man.header, str) or not man.header.endswith(".h"):
            con.fail(path, "header", man.header, "the generated header's path")
            continue
        con.expect(path, "pointer_size", data.get("pointer_size"), POINTER_SIZE)
        for k in ("messages", "enums"):
            if not isinstance(data.get(k), list):
                con.fail(path, k, data.get(k), "a list")
                data[k] = []
        for i, msg in enumerate(data["messages"]):
            try:
                mname = get_str(msg, "c_name", f"{path}.messages[{i}]")
                structs = [parse_struct(s, mname, con) for s in get_list(msg, "structs", mname)]
                get_list(msg, "fields", mname)
            except ManifestError as e:
                con.error(e)
                continue
            man.messages.append((msg, structs))
        manifests.append(man)
    return manifests


# ------------------------------------------------------------------------------------------
# Stage 1: internal consistency


def element_size(type_name, structs):
    if type_name in SCALAR_SIZES:
        return SCALAR_SIZES[type_name]
    s = structs.get(type_name)
    return s.size if s else None


def check_struct(s, structs, con):
    w = s.c_name
    con.expect(w, "align is a power of two", is_pow2(s.align), True)
    con.expect(w, f"size {s.size} % align {s.align}", s.size % s.align, 0)
    names = set()
    prev = None
    for m in s.members:
        mw = f"{w}.{m['name']}"
        con.expect(mw, "unique name", m["name"] in names, False)
        names.add(m["name"])
        end = m["offset"] + m["size"]
        con.expect(mw, "end (offset+size) <= struct size", end <= s.size, True)
        con.expect(mw, "align is a power of two", is_pow2(m["align"]), True)
        con.expect(mw, f"offset {m['offset']} % align {m['align']}", m["offset"] % m["align"], 0)
        esize = POINTER_SIZE if m["pointer"] else element_size(m["type"], structs)
        if m["pointer"]:
            con.expect(mw, "align (pointer)", m["align"], POINTER_SIZE)
        if esize is not None:
            con.expect(mw, f"size (dims {fmt(m['dims'])} of {m['type']})", m["size"],
                       product(m["dims"]) * esize)
        if m["type"] in structs and not m["pointer"]:
            con.expect(mw, f"align (of {m['type']})", m["align"], structs[m["type"]].align)
        if s.kind == "union":
            con.expect(mw, "offset (union member)", m["offset"], 0)
        elif prev is not None:
            pend = prev["offset"] + prev["size"]
            if m["offset"] < pend:
                con.fail(mw, "offset", m["offset"],
                         f">={pend} (after {prev['name']} ends; members overlap or are out of order)")
            else:
                con.checks += 1
        prev = m
    if s.members:
        con.expect(w, "align (largest member align)", s.align, max(m["align"] for m in s.members))
        end = max(m["offset"] + m["size"] for m in s.members)
        con.expect(w, "size (last member end rounded up to align)", s.size, round_up(end, s.align))


def member(struct, name, role, where, what, con):
    """The member of struct called name, with the given role, or None (problem recorded)."""
    m = struct.by_name.get(name)
    if m is None:
        con.fail(where, what, "set", f"a member {struct.c_name}.{name} in structs[]")
        return None
    if role is not None and m["role"] != role:
        con.fail(f"{struct.c_name}.{name}", "role", m["role"], role)
        return None
    con.checks += 1
    return m


AUX_ROLES = ("has", "count", "len", "cap")


def aux_member(top, role, candidates, anchor, where, what, con):
    """The member of the message struct holding a field's has flag, count, lengths or oneof case.

    Found by name first (the generator's spellings, from the proto name or the C name: has_x,
    x_count, x_len, which_o), else as the member with that role right before the field's value
    member (aux members are declared just before their value: has, count, len, value;
    which, union). Either way the compiler then checks the member by that name, so a wrong
    pick shows up as a mismatch, and members no field claims are reported."""
    for name in candidates:
        m = top.by_name.get(name)
        if m is not None and m["role"] == role:
            con.checks += 1
            return m
    j = top.index[anchor] - 1
    while j >= 0 and top.members[j]["role"] in (AUX_ROLES if role in AUX_ROLES else (role,)):
        if top.members[j]["role"] == role:
            con.checks += 1
            return top.members[j]
        j -= 1
    con.fail(where, what, "set", f"a member of role {role} in {top.c_name} "
             f"(named {' or '.join(dict.fromkeys(candidates))}, or just before {anchor})")
    return None


def plan_message(msg, structs_list, structs, messages, con):
    """Checks a message's fields against its structs[]; returns the field plans for stage 2.

    A plan is (field c_name, what, manifest value, C expression kind, expression parts)."""
    mname = msg["c_name"]
    plans = []
    if not structs_list:
        con.fail(mname, "structs", [], "at least the message struct")
        return plans
    top = structs_list[-1]
    if not con.expect(mname, "structs[] last entry", top.c_name, mname):
        return plans
    con.expect(mname, "structs[] last entry kind", top.kind, "struct")
    try:
        con.expect(mname, "size (message vs its struct)", get_int(msg, "size", mname, 1), top.size)
        con.expect(mname, "align (message vs its struct)", get_int(msg, "align", mname, 1), top.align)
        if "padding" in msg:
            con.expect(mname, "padding (size - sum of member sizes)", get_int(msg, "padding", mname),
                       top.size - sum(m["size"] for m in top.members))
    except ManifestError as e:
        con.error(e)
    local = {s.c_name: s for s in structs_list}
    used = set()  # message struct members accounted for by some field

    # oneof union member of the message struct, by the field c_names its union holds
    oneof_of_field = {}
    for m in top.members:
        if m["role"] == "oneof":
            u = local.get(m["type"])
            if u is None or u.kind != "union":
                con.fail(f"{mname}.{m['name']}", "type", m["type"], "a union listed in structs[]")
                continue
            for um in u.members:
                oneof_of_field[um["name"]] = (m, u)

    seen = set()
    for i, f in enumerate(msg["fields"]):
        try:
            fname = get_str(f, "c_name", f"{mname}.fields[{i}]")
            fw = f"{mname}.{fname}"
            con.expect(fw, "unique field c_name", fname in seen, False)
            seen.add(fname)
            label, ptype = f.get("label"), f.get("type")
            if label not in ("singular", "optional", "required", "repeated", "map"):
                raise ManifestError(fw, "label", label, "singular|optional|required|repeated|map")
            if ptype not in PROTO_C_TYPES and ptype != "message":
                raise ManifestError(fw, "type", ptype, "a proto scalar type, enum or message")
            offset = get_int(f, "offset", fw)
            size = get_int(f, "size", fw, 1)
            msize = get_int(msg, "size", mname, 1)
            con.expect(fw, "end (offset+size) <= message size", offset + size <= msize, True)
            repeated = label in ("repeated", "map")
            in_oneof = f.get("oneof") is not None
            storage = f.get("storage")
            if storage not in ("inline", "out_of_line"):
                raise ManifestError(fw, "storage", storage, "inline|out_of_line")
            out = storage == "out_of_line"
            if out and ptype not in ("string", "bytes", "message") and not repeated:
                con.fail(fw, "storage", storage, "inline (a singular scalar has no out-of-line form)")
            # Keys this kind of field must have.
            needed = []
            # nanopb's fixed_count / fixed_length (inline only): no count / length member.
            fixed_count, fixed_length = f.get("fixed_count") is True, f.get("fixed_length") is True
            if (fixed_count or fixed_length) and out:
                con.fail(fw, "storage", storage, "inline (fixed_count and fixed_length are inline arrays)")
            if fixed_count and not repeated:
                con.fail(fw, "fixed_count", True, "only on a repeated field")
            if fixed_length and ptype != "bytes":
                con.fail(fw, "fixed_length", True, "only on a bytes field")
            if repeated:
                needed += ([] if fixed_count else ["count_offset"]) + (["cap_offset"] if out else ["max_count"])
            if ptype == "string" and not (out and repeated):
                needed += ["len_offset"] + ([] if out else ["max_length"])
            if ptype == "bytes" and not (out and repeated):
                needed += ([] if fixed_length else ["len_offset"]) + ([] if out else ["max_size"])
            if in_oneof:
                needed += ["which_offset"]
            elif label == "optional" and not (out and ptype == "message"):
                needed += ["has_offset"]
            for k in needed:
                get_int(f, k, fw)
            con.checks += 1

            # Expected C element type of the value.
            if ptype == "message":
                target = messages.get(f.get("type_name"))
                ctype = target["c_name"] if target else None
            else:
                ctype = PROTO_C_TYPES[ptype]
                if "int_size" in f:  # nanopb's int_size: the member has that many bits
                    ctype = ("u" if ctype.startswith("u") else "") + f"int{f['int_size']}_t"
            if out and repeated and ptype in ("string", "bytes"):
                ctype = "p2f_str" if ptype == "string" else "p2f_bytes"
            # Expected dims of the value member (none for a pointer).
            dims = []
            if repeated and not out:
                dims.append(f["max_count"])
            if out:
                pass
            elif ptype == "string":
                dims.append(f["max_length"] + 1)  # NUL-terminated
            elif ptype == "bytes":
                dims.append(f["max_size"])

            if in_oneof:
                found = oneof_of_field.get(fname)
                if found is None:
                    con.fail(fw, "oneof", f.get("oneof"), f"a oneof union in structs[] with a member {fname}")
                    continue
                om, u = found
                used.add(om["name"])
                con.expect(fw, "repeated in a oneof", repeated, False)
                um = u.by_name[fname]
                base = om["offset"] + um["offset"]
                path = [("msg", om["name"]), (u.c_name, fname)]
                if ptype in ("string", "bytes") and not fixed_length:
                    ld = local.get(um["type"])
                    if ld is None or ld.kind != "struct":
                        con.fail(f"{u.c_name}.{fname}", "type", um["type"], "a {len,data} struct listed in structs[]")
                        continue
                    lm = member(ld, "len", "len", fw, "len_offset", con)
                    dm = member(ld, "data", "value", fw, "offset", con)
                    if lm is None or dm is None:
                        continue
                    value_m = dm
                    con.expect(fw, "offset vs structs[]", offset, base + dm["offset"])
                    con.expect(fw, "len_offset vs structs[]", f["len_offset"], base + lm["offset"])
                    plans.append((fname, "len_offset", f["len_offset"], "offset", path + [(ld.c_name, "len")]))
                    path = path + [(ld.c_name, "data")]
                else:
                    value_m = um
                    con.expect(fw, "offset vs structs[]", offset, base)
                oneof = f.get("oneof") if isinstance(f.get("oneof"), str) else om["name"]
                wm = aux_member(top, "which", ["which_" + oneof, "which_" + om["name"]],
                                om["name"], fw, "which_offset", con)
                if wm is not None:
                    used.add(wm["name"])
                    con.expect(fw, "which_offset vs structs[]", f["which_offset"], wm["offset"])
                    plans.append((fname, "which_offset", f["which_offset"], "offset", [("msg", wm["name"])]))
            else:
                value_m = member(top, fname, "value", fw, "offset", con)
                if value_m is None:
                    continue
                used.add(fname)
                con.expect(fw, "offset vs structs[]", offset, value_m["offset"])
                path = [("msg", fname)]
                pname = f.get("name") if isinstance(f.get("name"), str) else fname
                for key, names, role in (("len_offset", [pname + "_len", fname + "_len"], "len"),
                                         ("count_offset", [pname + "_count", fname + "_count"], "count"),
                                         ("cap_offset", [pname + "_cap", fname + "_cap"], "cap"),
                                         ("has_offset", ["has_" + pname, "has_" + fname], "has")):
                    if key in f:
                        am = aux_member(top, role, names, fname, fw, key, con)
                        if am is None:
                            continue
                        mname_aux = am["name"]
                        con.expect(f"{top.c_name}.{mname_aux}", f"claimed by one field ({fname})",
                                   mname_aux in used, False)
                        used.add(mname_aux)
                        con.expect(fw, key + " vs structs[]", get_int(f, key, fw), am["offset"])
                        plans.append((fname, key, f[key], "offset", [("msg", mname_aux)]))
                        if role == "len":
                            con.expect(f"{top.c_name}.{mname_aux}", "dims",
                                       am["dims"], [f["max_count"]] if repeated else [])
                        if role == "cap":
                            con.expect(f"{top.c_name}.{mname_aux}", "type", am["type"], "uint32_t")

            con.expect(fw, "size vs structs[]", size, value_m["size"])
            con.expect(fw, "pointer member (from storage)", value_m["pointer"], out)
            if ctype is not None:
                con.expect(fw, "C type (from proto type)", value_m["type"], ctype)
            dims_ok = con.expect(fw, "dims (from label and limits)", value_m["dims"], dims)
            plans.append((fname, "offset", offset, "offset", path))
            plans.append((fname, "size", size, "size", path))
            if dims_ok and not out:
                level = 0
                if repeated:
                    plans.append((fname, "max_count", f["max_count"], ("extent", level, 0), path))
                    level += 1
                if ptype == "string":
                    plans.append((fname, "max_length", f["max_length"], ("extent", level, -1), path))
                elif ptype == "bytes":
                    plans.append((fname, "max_size", f["max_size"], ("extent", level, 0), path))
        except ManifestError as e:
            con.error(e)

    for m in top.members:
        if m["name"] not in used and m["role"] != "reserved":
            con.fail(f"{mname}.{m['name']}", "field", "none", "a field this member belongs to")
    return plans


def check_enums(man, con):
    out = []
    for i, e in enumerate(man.data["enums"]):
        try:
            ename = get_str(e, "c_name", f"{man.path}.enums[{i}]")
            for j, v in enumerate(get_list(e, "values", ename)):
                vname = get_str(v, "c_name", f"{ename}.values[{j}]")
                num = v.get("number")
                if not isinstance(num, int) or isinstance(num, bool) or not -2**31 <= num < 2**31:
                    raise ManifestError(vname, "number", num, "an int32")
                out.append((ename, vname, num))
            con.checks += 1
        except ManifestError as ex:
            con.error(ex)
    return out


# ------------------------------------------------------------------------------------------
# Stage 2: the C / C++ program


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def c_int(v):
    return f"({v + 1}LL - 1)" if v == -2**63 else f"{v}LL"


class Program:
    def __init__(self, cplusplus):
        self.cpp = cplusplus
        self.lines = []
        self.count = 0

    def eq(self, where, what, manifest, expr):
        self.count += 1
        self.lines.append(f"  p2fl_eq({c_string(where)}, {c_string(what)}, {c_int(manifest)}, "
                          f"(long long)({expr}));")

    def same_type(self, where, type_text, test):
        self.count += 1
        self.lines.append(f"  p2fl_type({c_string(where)}, {c_string(type_text)}, {test});")

    def alignof(self, t):
        return f"alignof({t})" if self.cpp else f"_Alignof({t})"

    def struct_checks(self, s):
        t = s.c_name
        self.lines.append(f"  /* {s.kind} {t} (structs[] of {s.message}) */")
        self.eq(t, "sizeof", s.size, f"sizeof({t})")
        self.eq(t, "alignof", s.align, self.alignof(t))
        for m in s.members:
            w = f"{t}.{m['name']}"
            access = f"(({t} *)0)->{m['name']}"  # no outer parentheses: decltype needs the member
            dims = "".join(f"[{d}]" for d in m["dims"])
            self.eq(w, "offset", m["offset"], f"offsetof({t}, {m['name']})")
            self.eq(w, "size", m["size"], f"sizeof({access})")
            ct = m["ctype"]
            if self.cpp:
                self.eq(w, "align", m["align"], f"alignof(decltype({access}))")
                self.same_type(w, ct + dims,
                               f"std::is_same<decltype({access}), {ct}{dims}>::value ? 1 : 0")
            else:
                # C11 has no _Alignof(expression): take the manifest's type, which the type
                # check right below proves to be the member's declared type.
                self.eq(w, "align", m["align"], f"_Alignof({ct})")
                ptr = f"{ct} (*){dims}" if dims else f"{ct} *"
                self.same_type(w, ct + dims, f"_Generic(&{access}, {ptr}: 1, default: 0)")

    def field_checks(self, msg_name, plans):
        self.lines.append(f"  /* fields of {msg_name}: absolute offsets */")
        for fname, what, manifest, kind, path in plans:
            w = f"{msg_name}.{fname}"
            # offsetof summed along the path: message member, then union member, then len/data
            offs = " + ".join(f"offsetof({msg_name if t == 'msg' else t}, {m})" for t, m in path)
            access = f"(({msg_name} *)0)->" + ".".join(m for _, m in path)
            if kind == "offset":
                self.eq(w, what, manifest, offs)
            elif kind == "size":
                self.eq(w, what, manifest, f"sizeof({access})")
            else:
                _, level, adjust = kind
                sub = access + "[0]" * level
                # adjust -1: a string's capacity excludes the NUL terminator
                self.eq(w, what, manifest, f"(long long)(sizeof({sub}) / sizeof({sub}[0])) + ({adjust})")

    def enum_checks(self, values):
        if values:
            self.lines.append("  /* enum values */")
        for ename, vname, num in values:
            self.eq(f"{ename}.{vname}", "value", num, vname)

    def render(self, headers):
        out = ["/* Generated by tests/layout/check_layout.py: compares proto2ffi layout manifests",
               " * with this compiler's sizeof / alignof / offsetof. Do not edit. */",
               "#include <stddef.h>", "#include <stdio.h>"]
        if self.cpp:
            out.append("#include <type_traits>")
        out += [f'#include "{h}"' for h in headers]
        out += [
            "",
            "static unsigned long p2fl_checks;",
            "static unsigned long p2fl_mismatches;",
            "",
            "static void p2fl_eq(const char *where, const char *what, long long manifest, long long compiler) {",
            "  p2fl_checks++;",
            "  if (manifest != compiler) {",
            "    p2fl_mismatches++;",
            '    printf("MISMATCH %s %s: manifest=%lld compiler=%lld\\n", where, what, manifest, compiler);',
            "  }",
            "}",
            "",
            "static void p2fl_type(const char *where, const char *manifest, int same) {",
            "  p2fl_checks++;",
            "  if (!same) {",
            "    p2fl_mismatches++;",
            '    printf("MISMATCH %s type: manifest=%s compiler=another type\\n", where, manifest);',
            "  }",
            "}",
            "",
            "int main(void) {",
            "  (void)p2fl_eq; /* used even when a manifest yields no check */",
            "  (void)p2fl_type;",
        ]
        out += self.lines
        out += [
            '  printf("layout: %lu checks, %lu mismatches\\n", p2fl_checks, p2fl_mismatches);',
            "  return (p2fl_mismatches > 0 || p2fl_checks == 0) ? 1 : 0;",
            "}",
            "",
        ]
        return "\n".join(out)


# ------------------------------------------------------------------------------------------


def find_manifests(args):
    paths = list(args.manifest or [])
    for d in args.dir or []:
        found = []
        for root, dirs, files in os.walk(d):
            dirs.sort()
            found += [os.path.join(root, f) for f in sorted(files) if f.endswith(".ffi.json")]
        if not found:
            print(f"check_layout: no *.ffi.json under {d}", file=sys.stderr)
        paths += found
    unique, seen = [], set()
    for p in paths:
        r = os.path.realpath(p)
        if r not in seen:
            seen.add(r)
            unique.append(p)
    return unique


def output_root(man):
    """The directory the header path of a manifest is relative to (protoc's --*_out dir)."""
    mdir = os.path.dirname(os.path.abspath(man.path))
    hdir = os.path.dirname(man.header)
    if hdir and mdir.endswith(os.sep + hdir.replace("/", os.sep)):
        return mdir[: -len(hdir) - 1]
    return mdir


def main(argv):
    ap = argparse.ArgumentParser(
        description="Compare proto2ffi layout manifests with a C/C++ compiler's struct layout.")
    ap.add_argument("--manifest", action="append", metavar="FILE.json", help="a manifest (repeatable)")
    ap.add_argument("--dir", action="append", metavar="DIR",
                    help="check every *.ffi.json under DIR, recursively (repeatable)")
    ap.add_argument("--include", action="append", default=[], metavar="DIR",
                    help="include directory for the generated headers (repeatable); the output "
                         "root of each manifest is added after these")
    ap.add_argument("--runtime-include", action="append", default=[], metavar="DIR",
                    help="proto2ffi runtime include directory (proto2ffi/port.h ...)")
    ap.add_argument("--cc", required=True, metavar="COMPILER", help="gcc, clang, g++, clang++ ...")
    ap.add_argument("--std", metavar="STD",
                    help="c11, c17, c++11, c++17 ... (default: c++11 if the compiler name ends "
                         "in ++, else c11)")
    ap.add_argument("--cflag", action="append", default=[], metavar="FLAG",
                    help="extra compiler flag (repeatable), e.g. --cflag=-m32")
    ap.add_argument("--mutate", action="append", default=[], metavar="STRUCT.MEMBER=OFFSET",
                    help="testing the test: change a member's offset in the loaded manifest "
                         "(memory only) before checking; the run must then fail")
    ap.add_argument("--workdir", metavar="DIR",
                    help="where the program is written and built (default: a temporary dir)")
    args = ap.parse_args(argv)

    std = args.std or ("c++11" if args.cc.endswith("++") else "c11")
    if not re.match(r"^(c|gnu)(\+\+)?[0-9a-z]+$", std):
        ap.error(f"--std {std}: expected something like c11 or c++11")
    cpp = "++" in std

    paths = find_manifests(args)
    if not paths:
        ap.error("no manifest given (--manifest FILE.json or --dir DIR)")

    # ---- stage 1 ----
    con = Consistency()
    manifests = load_manifests(paths, con)
    structs, messages = {}, {}
    for man in manifests:
        for msg, slist in man.messages:
            if isinstance(msg.get("full_name"), str):
                messages[msg["full_name"]] = msg
            for s in slist:
                if s.c_name in structs:
                    con.fail(s.c_name, "c_name", "declared twice", "unique across manifests")
                structs[s.c_name] = s
    for spec in args.mutate:
        mm = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)=([0-9]+)$", spec)
        target = structs.get(mm.group(1)) if mm else None
        if target is None or mm.group(2) not in target.by_name:
            ap.error(f"--mutate {spec}: expected STRUCT.MEMBER=OFFSET naming a member of a manifest")
        print(f"check_layout: mutated {mm.group(1)}.{mm.group(2)} offset "
              f"{target.by_name[mm.group(2)]['offset']} -> {mm.group(3)}")
        target.by_name[mm.group(2)]["offset"] = int(mm.group(3))
    prog = Program(cpp)
    for man in manifests:
        for msg, slist in man.messages:
            for s in slist:
                check_struct(s, structs, con)
                prog.struct_checks(s)
            plans = plan_message(msg, slist, structs, messages, con)
            prog.field_checks(msg["c_name"], plans)
        prog.enum_checks(check_enums(man, con))
    for line in con.problems:
        print(line)
    print(f"manifest consistency: {con.checks} checks, {len(con.problems)} problems "
          f"({len(manifests)} manifests)")
    sys.stdout.flush()

    # ---- stage 2 ----
    workdir = args.workdir or tempfile.mkdtemp(prefix="p2f-layout-")
    os.makedirs(workdir, exist_ok=True)
    src = os.path.join(workdir, "layout_check.cpp" if cpp else "layout_check.c")
    exe = os.path.join(workdir, "layout_check")
    with open(src, "w", encoding="utf-8") as f:
        f.write(prog.render([m.header for m in manifests]))

    includes = []
    for d in args.runtime_include + args.include + [output_root(m) for m in manifests]:
        d = os.path.abspath(d)
        if d not in includes:
            includes.append(d)
    cmd = [args.cc, "-x", "c++" if cpp else "c", f"-std={std}",
           "-Wall", "-Wextra", "-Wpedantic", "-Werror", *args.cflag]
    cmd += [f"-I{d}" for d in includes]
    cmd += [src, "-x", "none", "-o", exe]
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        rc, out = r.returncode, r.stdout
    except OSError as e:
        rc, out = 127, str(e)
    if rc != 0:
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
        print(f"check_layout: compilation failed ({rc}):\n  {' '.join(shlex.quote(c) for c in cmd)}")
        return 1
    if out.strip():
        sys.stdout.write(out)

    try:
        r = subprocess.run([exe], timeout=120)
        status = r.returncode
    except (OSError, subprocess.TimeoutExpired) as e:
        print(f"check_layout: running {exe} failed: {e}")
        return 1
    if status != 0:
        print(f"check_layout: {exe} exited {status}; built with:\n  "
              f"{' '.join(shlex.quote(c) for c in cmd)}")
    if con.problems or status != 0:
        return 1
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
