#!/usr/bin/env bash
# Builds parts of proto2ffi with clang sanitizers in a build tree of their own and runs them.
#   sanitize.sh address <source dir> <build dir> <protoc> <tests dir> <options proto dir> <wkt include>
#       ASan + UBSan, with P2F_WITH_MIMALLOC=OFF (so this is also the system-allocator build):
#       the plugin over every test schema (plugin-runs.sh), the runtime's unit tests and the
#       protobuf-c conformance check.
#   sanitize.sh thread <source dir> <build dir>
#       TSan: the pool tests, the multi-threaded stress test among them.
#   sanitize.sh fuzz <source dir> <build dir> <seed corpus dir> <seconds> [extra libFuzzer flags]
#       libFuzzer + ASan + UBSan: builds every fuzz target and runs $P2F_FUZZ_TARGET (default
#       fuzz_decode; also fuzz_decode_ool and fuzz_decode_ool_gen) on a copy of the seed corpus for <seconds>.
set -euo pipefail
mode=$1 src=$2 build=$3
case "$mode" in
  address)
    flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1"
    link="-fsanitize=address,undefined"
    targets="protoc-gen-c-ffi test_batch test_batch_generated test_runtime_status test_message_table test_wire test_codec test_pool test_pool_checked test_pool_threads test_arena test_arena_mark test_codec_ool test_ool check_protobuf_c check_protobuf_c_ool check_protobuf_c_out_of_line check_protobuf_c_mixed"
    extra=(-DP2F_WITH_MIMALLOC=OFF) ;;
  thread)
    flags="-fsanitize=thread -fno-omit-frame-pointer -g -O1"
    link="-fsanitize=thread"
    targets="test_pool test_pool_threads"
    extra=() ;;
  fuzz)
    flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1"
    link="-fsanitize=address,undefined"
    targets="fuzz_decode fuzz_decode_ool fuzz_decode_ool_gen"
    extra=(-DP2F_FUZZ=ON) ;;
  *) echo "usage: sanitize.sh address|thread|fuzz ..." >&2; exit 2 ;;
esac
cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DP2F_POOL_DEBUG=OFF \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$link" -DCMAKE_SHARED_LINKER_FLAGS="$link" \
  -DP2F_BUILD_EXAMPLES=OFF -DP2F_BUILD_TESTS=ON "${extra[@]}" > "$build.configure.log" 2>&1 ||
  { cat "$build.configure.log"; exit 1; }
# shellcheck disable=SC2086
cmake --build "$build" --target $targets -j2 > "$build.build.log" 2>&1 ||
  { cat "$build.build.log"; exit 1; }

export ASAN_OPTIONS=detect_leaks=1:exitcode=99
export LSAN_OPTIONS=exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS=halt_on_error=1:exitcode=99:second_deadlock_stack=1
status=0
if [ "$mode" = fuzz ]; then
  corpus=$4 seconds=$5
  shift 5
  target=${P2F_FUZZ_TARGET:-fuzz_decode}
  work="$build.corpus.$target"
  rm -rf "$work" && mkdir -p "$work" && cp "$corpus"/* "$work"/
  bin="$build/tests/$target"
  [ -x "$bin" ] || bin=$(find "$build/tests" -type f -name "$target" | head -1)
  "$bin" -max_total_time="$seconds" -print_final_stats=1 "$@" "$work" 2>&1 | tail -25
  exit "${PIPESTATUS[0]}"
fi
for t in $targets; do
  [ "$t" = protoc-gen-c-ffi ] && continue
  echo "== $mode: $t"
  bin="$build/tests/$t"
  [ -x "$bin" ] || bin=$(find "$build/tests" -type f -name "$t" | head -1)
  "$bin" || { echo "FAIL: $t under $mode sanitizer"; status=1; }
done
if [ "$mode" = address ]; then
  here=$(dirname "$0")
  bash "$here/plugin-runs.sh" "$4" "$here/sanitized-plugin.sh" "$build/generator/protoc-gen-c-ffi" "$5" "$6" "$7" \
    "$build.runs" || status=1
fi
exit $status
