#!/usr/bin/python3
"""Guards the compile cost of generated C without timing anything.

Generates the benchmark's synthetic schema (bench/gen/gen_schema.py) with a small and a large
number of messages, runs protoc with the plugin on both, and checks that what a C compiler
must chew per message stays fixed:

  * function definitions in x.ffi.c grow by at most MAX_FUNCS_PER_MESSAGE per message (the
    16 functions of the C API, T_layout_fingerprint, T_decode_ex and T_pool_create_default
    included, plus the 4 static thunks of the message table; the batch kernels, off by default,
    are not counted: the synthetic schema does not ask for them, and they hold no loop);
  * loops (for/while) in x.ffi.c do not grow with the number of messages (per-message
    loops were what made -O2 slow; they live in the runtime);
  * x.ffi.c and x.ffi.h grow by at most MAX_C_BYTES / MAX_H_BYTES per message.

Run with --selftest to check the counters on known text (and that a per-message loop or an
extra per-message function is caught).
"""
import argparse
import os
import re
import subprocess
import sys

MAX_FUNCS_PER_MESSAGE = 20
MAX_C_BYTES = 4900  # about 4,540 bytes per message of the synthetic schema today (about 270 of
# them the encoded tags and the dispatch table of the codec tables)
MAX_H_BYTES = 6000  # about 5,640 (T_decode_ex, the fingerprint and the default pool declarations)

FUNC_RE = re.compile(r"^(?:static\s+)?[A-Za-z_][\w \t\*]*?\b[A-Za-z_]\w*\([^;{}]*\)\s*\{", re.M)
LOOP_RE = re.compile(r"\b(?:for|while)\s*\(")


def count(text):
    return {"funcs": len(FUNC_RE.findall(text)), "loops": len(LOOP_RE.findall(text)), "bytes": len(text.encode())}


def generate(args, n):
    work = os.path.join(args.workdir, f"n{n}")
    os.makedirs(work, exist_ok=True)
    proto = os.path.join(work, f"s{n}.proto")
    subprocess.run([sys.executable, args.schema_gen, proto, str(n)], check=True)
    subprocess.run([args.protoc, f"--plugin=protoc-gen-c-ffi={args.plugin}", f"-I{work}", f"-I{args.options_dir}",
                    f"--c-ffi_out={work}", proto], check=True)
    with open(os.path.join(work, f"s{n}.ffi.c"), encoding="utf-8") as f:
        c = count(f.read())
    with open(os.path.join(work, f"s{n}.ffi.h"), encoding="utf-8") as f:
        h = count(f.read())
    return c, h


def check(small, large, c_small, c_large, h_small, h_large):
    """Returns a list of failures (empty when the growth is within bounds)."""
    d = large - small
    problems = []
    funcs = (c_large["funcs"] - c_small["funcs"]) / d
    loops = c_large["loops"] - c_small["loops"]
    c_bytes = (c_large["bytes"] - c_small["bytes"]) / d
    h_bytes = (h_large["bytes"] - h_small["bytes"]) / d
    print(f"per message: {funcs:.2f} functions, {c_bytes:.0f} bytes of .c, {h_bytes:.0f} bytes of .h; "
          f"loops: {c_small['loops']} with {small} messages, {c_large['loops']} with {large}")
    if funcs > MAX_FUNCS_PER_MESSAGE:
        problems.append(f"{funcs:.2f} function definitions per message in x.ffi.c (at most {MAX_FUNCS_PER_MESSAGE})")
    if loops != 0:
        problems.append(f"x.ffi.c has {loops} more loops with {large} messages than with {small}: a loop per message")
    if c_bytes > MAX_C_BYTES:
        problems.append(f"x.ffi.c grows by {c_bytes:.0f} bytes per message (at most {MAX_C_BYTES})")
    if h_bytes > MAX_H_BYTES:
        problems.append(f"x.ffi.h grows by {h_bytes:.0f} bytes per message (at most {MAX_H_BYTES})")
    return problems


def selftest():
    sample = ("static void p2f_gen_init_a(void *msg) { a_init((a *)msg); }\n"
              "size_t a_size(void) { return sizeof(a); }\n"
              "a *a_pool_alloc(p2f_pool *pool) {\n  return NULL;\n}\n"
              "static const p2f_field_desc a_fields[] = {\n  {1, 2},\n};\n"
              "static void p2f_gen_init_b(void *msg);\n")
    got = count(sample)
    ok = got["funcs"] == 3 and got["loops"] == 0
    per_msg = "size_t x_batch(p2f_pool *p, x **out, size_t n) {\n  for (size_t i = 0; i < n; i++) out[i] = 0;\n  return n;\n}\n"
    one = count(per_msg)
    ok &= one["funcs"] == 1 and one["loops"] == 1
    base = {"funcs": 0, "loops": 0, "bytes": 0}
    looped = {"funcs": 10, "loops": 10, "bytes": 1000}
    ok &= any("loop per message" in p for p in check(10, 20, base, looped, base, base))
    many = {"funcs": 10 * (MAX_FUNCS_PER_MESSAGE + 1), "loops": 0, "bytes": 0}
    ok &= any("function definitions" in p for p in check(10, 20, base, many, base, base))
    ok &= check(10, 20, base, {"funcs": 170, "loops": 0, "bytes": 35000}, base, {"funcs": 0, "loops": 0, "bytes": 48000}) == []
    print("selftest", "passed" if ok else "FAILED", got, one)
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--selftest", action="store_true")
    ap.add_argument("--protoc")
    ap.add_argument("--plugin")
    ap.add_argument("--options-dir")
    ap.add_argument("--schema-gen")
    ap.add_argument("--workdir")
    ap.add_argument("--small", type=int, default=200)
    ap.add_argument("--large", type=int, default=2000)
    args = ap.parse_args()
    if args.selftest:
        return selftest()
    c_small, h_small = generate(args, args.small)
    c_large, h_large = generate(args, args.large)
    problems = check(args.small, args.large, c_small, c_large, h_small, h_large)
    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
