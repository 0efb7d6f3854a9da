#!/usr/bin/env bash
# Runs the plugin through a checking wrapper (valgrind-plugin.sh, or sanitized-plugin.sh for
# an ASan/UBSan build) on every test schema: the successful ones, every diagnostics case
# (error paths must free what they allocate too), the well-known types, and runs with every
# parameter and an options file. A wrapper reports a memory error or leak as exit code 99.
#   plugin-runs.sh <protoc> <wrapper> <plugin> <tests dir> <options proto dir> <wkt include> <work>
set -uo pipefail
protoc=$1 wrapper=$2 plugin=$3 tests=$4 opts=$5 inc=$6 work=$7
export P2F_REAL_PLUGIN=$plugin
rm -rf "$work" && mkdir -p "$work"
runs=0 failures=0
run() { # <root> <expect: ok|fail> <protoc args...>
  local root=$1 expect=$2; shift 2
  local out="$work/out$runs"; mkdir -p "$out"
  (cd "$root" && "$protoc" --plugin=protoc-gen-c-ffi="$wrapper" -I. -I"$opts" --c-ffi_out="$out" "$@") \
    > "$work/log$runs.txt" 2>&1
  local rc=$?
  runs=$((runs + 1))
  if grep -q "status code 99\|Invalid read\|Invalid write\|definitely lost\|uninitialised\|AddressSanitizer\|LeakSanitizer\|runtime error:" "$work/log$((runs - 1)).txt"; then
    echo "checker error in: $*"; cat "$work/log$((runs - 1)).txt"; failures=$((failures + 1)); return
  fi
  if [ "$expect" = ok ] && [ $rc -ne 0 ]; then
    echo "unexpected failure: $*"; cat "$work/log$((runs - 1)).txt"; failures=$((failures + 1))
  fi
  if [ "$expect" = fail ] && [ $rc -eq 0 ]; then
    echo "unexpected success: $*"; failures=$((failures + 1))
  fi
}
run "$tests/../examples/social" ok social.proto
run "$tests/schemas/alltypes" ok --c-ffi_opt=report alltypes.proto common/shared.proto legacy.proto keywords.proto sorted.proto sorted_file.proto nopackage.proto
run "$tests/schemas/options" ok --c-ffi_opt=default_max_length=7,default_max_size=9,default_max_count=2,sort_by_alignment,report,json=true opts.proto nanopb_compat.proto
for p in "$tests"/schemas/diagnostics/*.proto; do
  name=$(basename "$p")
  case "$name" in ok_*) expect=ok ;; *) expect=fail ;; esac
  params="$tests/diagnostics/${name%.proto}.params"
  if [ -f "$params" ]; then
    run "$tests/schemas/diagnostics" $expect "--c-ffi_opt=$(cat "$params")" "$name"
  else
    run "$tests/schemas/diagnostics" $expect "$name"
  fi
done
run "$inc" ok --c-ffi_opt=default_max_length=8,default_max_size=8,default_max_count=2 google/protobuf/api.proto google/protobuf/type.proto
run "$inc" fail --c-ffi_opt=default_max_length=8,default_max_size=8,default_max_count=2,require_capacity google/protobuf/struct.proto
run "$inc" ok --c-ffi_opt=default_max_length=8,default_max_size=8,default_max_count=2 google/protobuf/struct.proto
run "$inc" ok google/protobuf/struct.proto google/protobuf/descriptor.proto
run "$tests/schemas/ooline" ok --c-ffi_opt=report ooline.proto proto2.proto mixed.proto
run "$tests/schemas/alltypes" ok --c-ffi_opt=storage=out_of_line,report alltypes.proto common/shared.proto legacy.proto keywords.proto
run "$inc" fail --c-ffi_opt=no_such_parameter=1 google/protobuf/empty.proto
echo "$(basename "$wrapper"): $runs plugin runs, $failures failures"
[ "$failures" -eq 0 ] && [ "$runs" -gt 0 ]
