#!/usr/bin/env bash
# Checks the machine code of the column kernels (runtime.batch_asm): every kernel of the AVX2
# level computes with 256-bit vectors, and the scalar level has no packed arithmetic at all.
#   check_batch_asm.sh <objdump> <ar> <libproto2ffi.a> <workdir> [--expect-fail]
# takes batch_avx2.c.o and batch_scalar.c.o out of the archive; with --expect-fail it checks
# them swapped (the scalar object as the AVX2 one and the baseline-vector object as the
# scalar one), and the check must fail (so that it can). Kernels: p2f__batch_<op>_<type>_<level>; scale of 64-bit integers is exempt
# (AVX2 has no 64-bit multiply), and so are the kernels over pointer arrays (p2f__batch_p<op>:
# one load through a pointer per value, with a NULL test; GCC keeps them scalar, and
# docs/benchmarks.md measures them against a plain loop).
set -uo pipefail
objdump=$1 ar=$2 archive=$3 work=$4 mode=${5:-}
rm -rf "$work" && mkdir -p "$work" && (cd "$work" && "$ar" x "$archive" batch_avx2.c.o batch_scalar.c.o batch_vector.c.o) ||
  { echo "cannot extract the batch objects from $archive"; exit 1; }
avx2=$work/batch_avx2.c.o scalar=$work/batch_scalar.c.o
[ "$mode" = --expect-fail ] && avx2=$work/batch_scalar.c.o scalar=$work/batch_vector.c.o
arith='v(p?add|p?sub|mul|pmul|min|max|pmin|pmax|cmp|pcmp|blend|pblend|and|pand|or|por|cvt|pmovsx)[a-z0-9]*'
fail=0
# Functions of the AVX2 object and whether each has a vector instruction on ymm registers.
while read -r fn count; do
  case "$fn" in
    p2f__batch_scale_i64_avx2|p2f__batch_scale_u64_avx2) continue ;;
    p2f__batch_psum_*|p2f__batch_pmin_*|p2f__batch_pmax_*|p2f__batch_pcount_above_*|p2f__batch_pdot_*|p2f__batch_pscale_*) continue ;;
  esac
  if [ "$count" -eq 0 ]; then
    echo "not vectorised with AVX2: $fn"
    fail=1
  fi
done < <("$objdump" -d --no-show-raw-insn "$avx2" | awk -v re="$arith" '
  /^[0-9a-f]+ <p2f__batch_[a-z_]+_(i32|u32|i64|u64|f32|f64)_[a-z0-9]+>:/ { name = substr($2, 2, length($2) - 3); n[name] += 0 }
  /^[0-9a-f]+ <.*>:/ && !/<p2f__batch_/ { name = "" }
  name != "" && $0 ~ ("\t" re "[ \t]") && /%ymm/ { n[name]++ }
  END { for (k in n) print k, n[k] }')
kernels=$("$objdump" -d "$avx2" | grep -cE '^[0-9a-f]+ <p2f__batch_[a-z_]+_(i32|u32|i64|u64|f32|f64)_')
[ "$kernels" -ge 36 ] || { echo "only $kernels kernels in $avx2"; fail=1; }
# Packed arithmetic in the scalar object (pcmpeqd of a register with itself makes a constant).
packed=$("$objdump" -d --no-show-raw-insn "$scalar" |
  grep -E '\s(v?(add|mul|sub|min|max|cmp[a-z]*|and|or)p[sd]|v?p(add|mul|sub|min|max|cmp)[a-z0-9]+)\s' |
  grep -vE 'pcmpeq[bwdq]\s+(%[xy]mm[0-9]+),\1$' || true)
if [ -n "$packed" ]; then
  echo "packed arithmetic in the scalar level:"
  echo "$packed" | head -5
  fail=1
fi
if [ "$mode" = --expect-fail ]; then
  [ "$fail" -eq 1 ] && { echo "check_batch_asm: fails on swapped objects, as it must"; exit 0; }
  echo "check_batch_asm: did not fail on swapped objects"
  exit 1
fi
[ "$fail" -eq 0 ] && echo "check_batch_asm: $kernels AVX2 kernels use ymm arithmetic; the scalar level has no packed arithmetic"
exit "$fail"
