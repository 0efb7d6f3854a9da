#!/usr/bin/python3
"""The editions feature utf8_validation, and the (ffi) option over it, on a request built by hand.

    check_editions.py <protoc-gen-c-ffi>

protoc 3.21 cannot compile an editions file, so this builds the CodeGeneratorRequest itself
(python3-protobuf's descriptor_pb2, whose FileOptions, MessageOptions and FieldOptions do not
declare `features` either: they go in as raw fields 50, 12 and 21, a FeatureSet whose field 4
is utf8_validation, VERIFY = 2, NONE = 3; the (ffi) annotation as raw extension 56262 with
Proto2FFIOptions.utf8_validation = 5, VERIFY = 1, NONE = 2), runs the plugin on it and reads
from each field table of the generated C which string fields carry P2F_FF_UTF8.
"""
import re
import subprocess
import sys

from google.protobuf import descriptor_pb2
from google.protobuf.compiler import plugin_pb2

VERIFY, NONE = 2, 3  # FeatureSet.Utf8Validation


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number, wire, payload):
    key = varint(number << 3 | wire)
    if wire == 0:
        return key + varint(payload)
    return key + varint(len(payload)) + payload


def features(number, value):
    """Raw `FeatureSet features = number` with utf8_validation = value."""
    return field(number, 2, field(4, 0, value))


def ffi(value):
    """Raw (ffi) annotation: Proto2FFIOptions.utf8_validation = value (1 VERIFY, 2 NONE)."""
    return field(56262, 2, field(5, 0, value))


def string_field(msg, name, number, raw_options=b""):
    f = msg.field.add(name=name, number=number, type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
                      label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
    if raw_options:
        f.options.MergeFromString(raw_options)


def editions_file(name, package, raw_file_options=b""):
    f = descriptor_pb2.FileDescriptorProto(name=name, package=package, syntax="editions")
    f.MergeFromString(field(14, 0, 1000))  # edition = EDITION_2023 (not declared here either)
    if raw_file_options:
        f.options.MergeFromString(raw_file_options)
    return f


def main():
    plugin = sys.argv[1]
    req = plugin_pb2.CodeGeneratorRequest(parameter="default_max_length=8,json=false,dart=off")

    # No feature anywhere: the edition's default, VERIFY.
    a = editions_file("ed_default.proto", "p2f.ed")
    m = a.message_type.add(name="Plain")
    string_field(m, "s", 1)
    string_field(m, "off", 2, features(21, NONE))          # field feature NONE
    string_field(m, "ffi_off", 3, ffi(2))                  # (ffi) NONE beats the edition default

    # File feature NONE, and the levels below it.
    b = editions_file("ed_none.proto", "p2f.ednone", features(50, NONE))
    n = b.message_type.add(name="N")
    string_field(n, "s", 1)                                # file feature: NONE
    string_field(n, "on", 2, features(21, VERIFY))         # field feature beats file
    string_field(n, "ffi_on", 3, ffi(1))                   # (ffi) VERIFY beats the file feature
    o = b.message_type.add(name="O")
    o.options.MergeFromString(features(12, VERIFY))        # message feature beats file
    string_field(o, "s", 1)
    inner = o.nested_type.add(name="Inner")
    string_field(inner, "s", 1)                            # enclosing message's feature: VERIFY
    string_field(inner, "both", 2, features(21, VERIFY) + ffi(2))  # (ffi) beats the feature on the same field

    req.proto_file.extend([a, b])
    req.file_to_generate.extend(["ed_default.proto", "ed_none.proto"])
    want = {
        "p2f_ed_Plain": {1: True, 2: False, 3: False},
        "p2f_ednone_N": {1: False, 2: True, 3: True},
        "p2f_ednone_O": {1: True},
        "p2f_ednone_O_Inner": {1: True, 2: False},
    }

    out = subprocess.run([plugin], input=req.SerializeToString(), capture_output=True, check=False)
    if out.returncode != 0:
        print("plugin failed:", out.stderr.decode())
        return 1
    resp = plugin_pb2.CodeGeneratorResponse.FromString(out.stdout)
    if resp.error:
        print("plugin error:", resp.error)
        return 1
    source = "".join(f.content for f in resp.file if f.name.endswith(".ffi.c"))
    got = {}
    for table, body in re.findall(r"static const p2f_field_desc (\w+)_desc_fields\[\] = \{(.*?)\n\};", source, re.S):
        for row in re.findall(r"\{(\d+), (\d+), \w+, ([^,]+),", body):
            number, ftype, flags = int(row[0]), int(row[1]), row[2]
            if ftype == 9:  # string
                got.setdefault(table, {})[number] = "P2F_FF_UTF8" in flags
    checked = failed = 0
    for table, fields in want.items():
        for number, verified in fields.items():
            checked += 1
            have = got.get(table, {}).get(number)
            if have != verified:
                failed += 1
                print(f"MISMATCH {table} field {number}: expected verified={verified}, generated {have}")
    print(f"{checked - failed} passed, {failed} failed")
    return 1 if failed or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
