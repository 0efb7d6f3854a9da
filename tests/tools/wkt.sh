#!/usr/bin/env bash
# Runs the generator on every well-known type libprotobuf-dev installs
# (google/protobuf/*.proto), one file per protoc call, with default capacities. Each file
# must either generate (and then compile with gcc and g++) or fail with the documented
# recursion error: struct.proto (Struct -> Value -> ListValue -> Value) and descriptor.proto
# (DescriptorProto nests itself).
#   wkt.sh <protoc> <plugin> <include root> <runtime include> <work dir>
set -euo pipefail
protoc=$1 plugin=$2 inc=$3 rt=$4 work=$5
rm -rf "$work" && mkdir -p "$work/out"
params=default_max_length=64,default_max_size=64,default_max_count=4
recursive="google/protobuf/struct.proto google/protobuf/descriptor.proto"
ok=0 rejected=0
for path in "$inc"/google/protobuf/*.proto; do
  rel=${path#"$inc"/}
  if "$protoc" --plugin=protoc-gen-c-ffi="$plugin" -I"$inc" --c-ffi_out="$work/out" \
       --c-ffi_opt=$params "$rel" 2> "$work/err.txt"; then
    case " $recursive " in
      *" $rel "*) echo "FAIL: $rel was expected to be rejected as recursive"; exit 1 ;;
    esac
    ok=$((ok + 1))
  else
    case " $recursive " in
      *" $rel "*) ;;
      *) echo "FAIL: $rel was rejected:"; cat "$work/err.txt"; exit 1 ;;
    esac
    if ! grep -q "error: recursive message: " "$work/err.txt"; then
      echo "FAIL: $rel was rejected for another reason:"; cat "$work/err.txt"; exit 1
    fi
    rejected=$((rejected + 1))
    echo "rejected as documented: $rel: $(grep -o 'recursive message: [^;]*' "$work/err.txt" | head -1)"
  fi
done
[ "$ok" -gt 0 ] || { echo "FAIL: nothing generated"; exit 1; }
[ "$rejected" -eq 2 ] || { echo "FAIL: expected 2 recursive files, got $rejected"; exit 1; }
here=$(dirname "$0")
bash "$here/compile_generated.sh" gcc c11 "$rt" "$work/out"
bash "$here/compile_generated.sh" g++ c++11 "$rt" "$work/out"
echo "well-known types: $ok generated and compiled, $rejected rejected as recursive"
