#!/usr/bin/env bash
# Runs the generator on every well-known type libprotobuf-dev installs
# (google/protobuf/*.proto), one file per protoc call, twice:
#   - with default capacities: every file generates (the message fields that close a cycle,
#     in struct.proto (Struct -> Value -> ListValue -> Value) and descriptor.proto
#     (DescriptorProto nests itself), are stored out-of-line) and compiles with gcc and g++;
#   - the same under require_capacity: the two recursive files fail with the documented
#     recursion error, every other one generates.
# Then struct.proto without any capacity (every variable field out-of-line) must generate
# and compile.
#   wkt.sh <protoc> <plugin> <include root> <runtime include> <work dir>
set -euo pipefail
protoc=$1 plugin=$2 inc=$3 rt=$4 work=$5
rm -rf "$work" && mkdir -p "$work/out" "$work/strict" "$work/bare"
params=default_max_length=64,default_max_size=64,default_max_count=4
recursive="google/protobuf/struct.proto google/protobuf/descriptor.proto"
ok=0 rejected=0
for path in "$inc"/google/protobuf/*.proto; do
  rel=${path#"$inc"/}
  if ! "$protoc" --plugin=protoc-gen-c-ffi="$plugin" -I"$inc" --c-ffi_out="$work/out" \
       --c-ffi_opt=$params "$rel" 2> "$work/err.txt"; then
    echo "FAIL: $rel was rejected:"; cat "$work/err.txt"; exit 1
  fi
  ok=$((ok + 1))
  if "$protoc" --plugin=protoc-gen-c-ffi="$plugin" -I"$inc" --c-ffi_out="$work/strict" \
       --c-ffi_opt=$params,require_capacity "$rel" 2> "$work/err.txt"; then
    case " $recursive " in
      *" $rel "*) echo "FAIL: $rel was expected to be rejected as recursive under require_capacity"; exit 1 ;;
    esac
  else
    case " $recursive " in
      *" $rel "*) ;;
      *) echo "FAIL: $rel was rejected under require_capacity:"; cat "$work/err.txt"; exit 1 ;;
    esac
    if ! grep -q "error: recursive message: " "$work/err.txt"; then
      echo "FAIL: $rel was rejected for another reason:"; cat "$work/err.txt"; exit 1
    fi
    rejected=$((rejected + 1))
    echo "rejected under require_capacity as documented: $rel: $(grep -o 'recursive message: [^;]*' "$work/err.txt" | head -1)"
  fi
done
[ "$ok" -gt 0 ] || { echo "FAIL: nothing generated"; exit 1; }
[ "$rejected" -eq 2 ] || { echo "FAIL: expected 2 recursive files under require_capacity, got $rejected"; exit 1; }
for f in struct.proto descriptor.proto; do
  grep -q "P2F_MF_OUT_OF_LINE" "$work/out/google/protobuf/${f%.proto}.ffi.c" ||
    { echo "FAIL: $f generated no out-of-line message"; exit 1; }
done
"$protoc" --plugin=protoc-gen-c-ffi="$plugin" -I"$inc" --c-ffi_out="$work/bare" google/protobuf/struct.proto
here=$(dirname "$0")
bash "$here/compile_generated.sh" gcc c11 "$rt" "$work/out"
bash "$here/compile_generated.sh" g++ c++11 "$rt" "$work/out"
bash "$here/compile_generated.sh" gcc c11 "$rt" "$work/bare"
bash "$here/compile_generated.sh" g++ c++11 "$rt" "$work/bare"
echo "well-known types: $ok generated and compiled, $rejected rejected as recursive under require_capacity"
