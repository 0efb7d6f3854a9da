#!/usr/bin/env bash
# Compiles every golden header for each 64-bit target Dart supports, with clang's freestanding
# headers (no SDK needed): the _Static_asserts on every size, alignment and offset must hold.
# As a control, i386-linux-gnu (int64_t and double 4-byte aligned in structs) must fail for
# every set whose structs have such a member.
#   cross_targets.sh <clang> <runtime include dir> <golden dir>
set -euo pipefail
clang=$1 rt=$2 golden=$3
targets="x86_64-linux-gnu aarch64-linux-gnu x86_64-pc-windows-msvc aarch64-pc-windows-msvc
         x86_64-apple-macos aarch64-apple-macos aarch64-apple-ios x86_64-linux-android aarch64-linux-android"
status=0 count=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for set in "$golden"/*/; do
  # One translation unit per schema set, including all of its headers.
  tu=$(cd "$set" && find . -name '*.ffi.h' | sort | sed 's|^\./\(.*\)$|#include "\1"|')
  n=$(printf '%s\n' "$tu" | wc -l)
  for t in $targets; do
    if ! printf '%s\n' "$tu" | "$clang" --target="$t" -ffreestanding -std=c11 -fsyntax-only -I"$rt" -I"$set" -x c - 2> "$log"; then
      echo "FAIL: $set for $t"; cat "$log"; status=1
    fi
    count=$((count + n))
  done
  if grep -q -r -E "(u?int64_t|double) [a-z_0-9]+(\[[0-9]+\])?; /\*" --include='*.ffi.h' "$set" &&
     printf '%s\n' "$tu" | "$clang" --target=i386-linux-gnu -ffreestanding -std=c11 -fsyntax-only -I"$rt" -I"$set" -x c - > /dev/null 2>&1; then
    echo "FAIL: $set compiled for i386-linux-gnu, whose alignment of 64-bit members differs"; status=1
  fi
done
echo "$count header/target checks"
exit $status
