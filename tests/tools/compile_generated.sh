#!/usr/bin/env bash
# Compiles every generated x.ffi.c under a directory with one compiler and language mode, at
# the warning level generated code promises: -Wall -Wextra -Wpedantic -Werror, and also
# -Wconversion -Wsign-conversion -Wshadow and -Wmissing-prototypes (C), which users often add.
#   compile_generated.sh <compiler> <c11|c++11|c++17> <runtime include dir> <generated dir>
set -euo pipefail
cc=$1 std=$2 rt=$3 dir=$4
case "$std" in
  c*++*) lang=(-x c++ "-std=$std" -Wmissing-declarations) ;;
  *) lang=(-x c "-std=$std" -Wmissing-prototypes -Wstrict-prototypes) ;;
esac
n=0
while IFS= read -r -d '' src; do
  "$cc" "${lang[@]}" -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Werror -I"$rt" -I"$dir" -c "$src" -o /dev/null
  n=$((n + 1))
done < <(find "$dir" -name '*.ffi.c' -print0 | sort -z)
if [ "$n" -eq 0 ]; then
  echo "no generated sources under $dir" >&2
  exit 1
fi
echo "$cc $std: $n generated files compiled cleanly"
