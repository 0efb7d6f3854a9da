#!/usr/bin/env bash
# The code assets of the native-assets example (check_assets.py): the example's own generated
# library (tool/generate.sh into a work directory), and a schema split over two .proto files
# (alltypes.proto imports common/shared.proto) generated with the example's dart_asset, must
# all name the asset hook/build.dart registers.
#   native_assets.sh <protoc> <plugin> <source dir> <work dir> <python3> [selftest]
# selftest: the same two inputs broken the ways the check must report, the former generated
# code without @DefaultAsset (one URI per library, the hook registering the first file's) and
# a hook whose assetName differs from dart_asset.
set -euo pipefail
protoc=$1 plugin=$2 root=$3 work=$4 python=$5 mode=${6:-check}
example=$root/examples/flutter_plugin_native_assets
check=("$python" "$root/tests/dart/check_assets.py" --pubspec "$example/pubspec.yaml")
rm -rf "$work" && mkdir -p "$work"
PROTOC=$protoc OUT=$work/example bash "$example/tool/generate.sh" "$plugin" > /dev/null
asset=$(grep -o '^asset=.*' "$example/tool/generate.sh" | cut -d= -f2)
mkdir -p "$work/split/lib/src/generated"
(cd "$root/tests/schemas/alltypes" && "$protoc" --plugin=protoc-gen-c-ffi="$plugin" -I. -I"$root/generator/proto" \
   --c-ffi_out="$work/split/lib/src" --c-ffi_opt=dart=only,dart_path=generated,dart_asset="$asset" \
   alltypes.proto common/shared.proto)
if [ "$mode" = check ]; then
  "${check[@]}" --hook "$example/hook/build.dart" --lib "$example/lib" --lib "$work/example/lib" --lib "$work/split/lib"
  exit
fi
# The former generated code: no @DefaultAsset, so each library's URI; the former hook
# registered src/generated/alltypes.ffi.dart only.
find "$work/split/lib" -name '*.ffi.dart' -exec sed -i '/^@DefaultAsset(/d' {} +
sed "s|assetName: 'social_ffi_native'|assetName: 'src/generated/alltypes.ffi.dart'|" "$example/hook/build.dart" > "$work/old_hook.dart"
"${check[@]}" --hook "$work/old_hook.dart" --lib "$work/split/lib" || true
sed "s|assetName: 'social_ffi_native'|assetName: 'social_ffi'|" "$example/hook/build.dart" > "$work/renamed_hook.dart"
"${check[@]}" --hook "$work/renamed_hook.dart" --lib "$example/lib" --lib "$work/example/lib"
