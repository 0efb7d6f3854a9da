#!/usr/bin/env bash
# The Dart plugin parameters change which files are written and where, and what the Dart
# library says:
#   default            x.ffi.h, x.ffi.c, x.ffi.json and x.ffi.dart side by side
#   dart=off           no .dart file
#   dart=only          only the .dart files (a second protoc run into a Dart source tree),
#   + dart_path=REL    under REL, with imports between them still resolving
#   dart_import, dart_library   the runtime import and the library directive
#   dart_params.sh <protoc> <plugin> <alltypes schema dir> <options proto dir> <work dir>
set -euo pipefail
protoc=$1 plugin=$2 schemas=$3 opts=$4 work=$5
protos=(alltypes.proto common/shared.proto)
fail() { echo "FAIL: $*"; exit 1; }
run() { # run <out dir> [params]
  rm -rf "$1" && mkdir -p "$1"
  (cd "$schemas" && "$protoc" --plugin=protoc-gen-c-ffi="$plugin" -I. -I"$opts" --c-ffi_out="$1" \
     ${2:+--c-ffi_opt=$2} "${protos[@]}")
}
listing() { (cd "$1" && find . -type f | sed 's|^\./||' | sort | tr '\n' ' '); }

run "$work/default"
got=$(listing "$work/default")
want="alltypes.ffi.c alltypes.ffi.dart alltypes.ffi.h alltypes.ffi.json common/shared.ffi.c common/shared.ffi.dart common/shared.ffi.h common/shared.ffi.json "
[ "$got" = "$want" ] || fail "default: got [$got], want [$want]"

run "$work/off" dart=off
got=$(listing "$work/off")
want="alltypes.ffi.c alltypes.ffi.h alltypes.ffi.json common/shared.ffi.c common/shared.ffi.h common/shared.ffi.json "
[ "$got" = "$want" ] || fail "dart=off: got [$got], want [$want]"

run "$work/only" dart=only,dart_path=lib/src/gen
got=$(listing "$work/only")
want="lib/src/gen/alltypes.ffi.dart lib/src/gen/common/shared.ffi.dart "
[ "$got" = "$want" ] || fail "dart=only: got [$got], want [$want]"
# The same Dart text as the default run: the path does not leak into the library.
cmp "$work/only/lib/src/gen/alltypes.ffi.dart" "$work/default/alltypes.ffi.dart" || fail "dart_path changed the content"
# Imports between generated libraries are relative and resolve inside the Dart tree.
grep -q "^import 'common/shared.ffi.dart' as pb_common_shared_ffi;$" "$work/only/lib/src/gen/alltypes.ffi.dart" \
  || fail "alltypes.ffi.dart does not import common/shared.ffi.dart"
test -f "$work/only/lib/src/gen/common/shared.ffi.dart" || fail "the imported file is missing"

run "$work/named" dart=only,dart_import=package:my_runtime/rt.dart,dart_library=my_app.protos
grep -q "^import 'package:my_runtime/rt.dart' as p2f;$" "$work/named/alltypes.ffi.dart" || fail "dart_import not used"
grep -q "^library my_app.protos;$" "$work/named/alltypes.ffi.dart" || fail "dart_library not used"
grep -q "^library;$" "$work/default/alltypes.ffi.dart" || fail "default library directive missing"
grep -q "^import 'package:proto2ffi/proto2ffi.dart' as p2f;$" "$work/default/alltypes.ffi.dart" || fail "default import missing"
echo "dart parameters: default, off, only + dart_path, dart_import, dart_library all as documented"
