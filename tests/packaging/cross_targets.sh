#!/usr/bin/env bash
# Compiles every golden header for each target of a target table (cross_targets.txt), with
# clang's freestanding headers (no SDK or NDK needed), one translation unit per schema set:
#   pass  the _Static_asserts on every size, alignment and offset must hold;
#   fail  every set whose structs have an int64_t or double member must fail to compile
#         (i386: such members are 4-byte aligned in structs), which shows the asserts bite.
# On a pass target whose pointers are 4 bytes (armv7a), a set with out-of-line (pointer)
# members must fail too: their layout is that of the 64-bit ABIs.
#   cross_targets.sh <clang> <runtime include dir> <golden dir> <target table>
set -euo pipefail
clang=$1 rt=$2 golden=$3 table=$4
status=0 count=0 targets=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
while read -r t result _; do
  case "$t" in ''|'#'*) continue ;; esac
  case "$result" in pass|fail) ;; *) echo "FAIL: $table: $t: result '$result' is not pass or fail"; exit 1 ;; esac
  targets=$((targets + 1))
  ptr64=1
  echo '_Static_assert(sizeof(void *) == 8, "");' | "$clang" --target="$t" -ffreestanding -std=c11 -fsyntax-only -x c - 2> /dev/null || ptr64=0
  for set in "$golden"/*/; do
    pointers=0
    grep -q -r -E "^  [a-zA-Z_0-9]+ \*[a-z_0-9]+; /\*" --include='*.ffi.h' "$set" && pointers=1
    tu=$(cd "$set" && find . -name '*.ffi.h' | sort | sed 's|^\./\(.*\)$|#include "\1"|')
    n=$(printf '%s\n' "$tu" | wc -l)
    compile() { printf '%s\n' "$tu" | "$clang" --target="$t" -ffreestanding -std=c11 -fsyntax-only -I"$rt" -I"$set" -x c - 2> "$log"; }
    if [ "$result" = pass ] && [ "$ptr64" = 0 ] && [ "$pointers" = 1 ]; then
      if compile; then
        echo "FAIL: $set compiled for $t, whose pointers are not 8 bytes"; status=1
      fi
      count=$((count + n))
    elif [ "$result" = pass ]; then
      if ! compile; then
        echo "FAIL: $set for $t"; cat "$log"; status=1
      fi
      count=$((count + n))
    elif grep -q -r -E "(u?int64_t|double) [a-z_0-9]+(\[[0-9]+\])?; /\*" --include='*.ffi.h' "$set"; then
      if compile; then
        echo "FAIL: $set compiled for $t, whose alignment of 64-bit members differs"; status=1
      fi
      count=$((count + n))
    fi
  done
done < "$table"
[ "$targets" -gt 0 ] || { echo "FAIL: no targets in $table"; exit 1; }
echo "$targets targets, $count header/target checks"
exit $status
