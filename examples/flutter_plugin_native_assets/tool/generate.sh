#!/usr/bin/env bash
# Generates the code of this package from ../social/social.proto with protoc-gen-c-ffi:
#   src/generated/social.ffi.{h,c}      the C side, built by hook/build.dart
#   lib/src/generated/social.ffi.dart   the Dart side (dart=only: a second protoc run)
# Usage (from anywhere): examples/flutter_plugin_native_assets/tool/generate.sh [path/to/protoc-gen-c-ffi]
# The plugin defaults to build/generator/protoc-gen-c-ffi of the proto2ffi tree. PROTOC names
# protoc (default: protoc on PATH), OUT the package directory written to (default: this one).
# dart_asset is the id of the code asset hook/build.dart registers (CBuilder assetName
# 'social_ffi_native' in package social_ffi_native): every generated library names it.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
plugin=${1:-$root/build/generator/protoc-gen-c-ffi}
protoc=${PROTOC:-protoc}
asset=package:social_ffi_native/social_ffi_native
protos=$root/examples/social
opts=$root/generator/proto
mkdir -p "${OUT:=$here}/src/generated" "$OUT/lib/src/generated"
"$protoc" --plugin=protoc-gen-c-ffi="$plugin" -I"$protos" -I"$opts" \
  --c-ffi_out="$OUT/src/generated" --c-ffi_opt=dart=off social.proto
"$protoc" --plugin=protoc-gen-c-ffi="$plugin" -I"$protos" -I"$opts" \
  --c-ffi_out="$OUT/lib/src" --c-ffi_opt=dart=only,dart_path=generated,dart_asset=$asset social.proto
echo "generated src/generated/social.ffi.{h,c,json} and lib/src/generated/social.ffi.dart"
