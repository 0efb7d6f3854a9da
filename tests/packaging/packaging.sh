#!/usr/bin/env bash
# The packaging tests (tests/packaging/CMakeLists.txt):
#   packaging.sh <mode> <cmake> <generator> <cc> <source dir> <prefix> <libdir> <arg>...
# mode install <build dir> | consumer.cmake|consumer.pkgconfig|consumer.subdir|incremental|examples <work dir>
#      | abi <work dir> <protoc> <plugin>
set -euo pipefail
mode=$1 cmake=$2 generator=$3 cc=$4 src=$5 pfx=$6 libdir=$7
shift 7

fail() { echo "FAIL: $*" >&2; exit 1; }

# configure <source> <build> [cmake args...]: quiet unless it fails.
configure() {
  local s=$1 b=$2
  shift 2
  "$cmake" -S "$s" -B "$b" -G "$generator" -DCMAKE_C_COMPILER="$cc" "$@" > "$b.configure.log" 2>&1 ||
    { cat "$b.configure.log"; fail "configuring $s"; }
}
# build <build dir> [target]: prints the build's output to <build dir>.build.log.
build() {
  local b=$1
  shift
  "$cmake" --build "$b" "$@" > "$b.build.log" 2>&1 || { cat "$b.build.log"; fail "building $b"; }
}
# Runs the consumer program and checks what it printed.
run_contacts() {
  local exe=$1 out
  out=$("$exe") || fail "$exe exited with $?"
  echo "$out"
  [[ "$out" =~ ^3\ people,\ [0-9]+\ bytes,\ round\ trip\ ok ]] || fail "unexpected output from $exe: $out"
}
fresh() { rm -rf "$1" "$1".*.log && mkdir -p "$1"; }

case "$mode" in
  install)
    bin=$1
    rm -rf "$pfx"
    "$cmake" --install "$bin" --prefix "$pfx" > "$pfx.install.log" 2>&1 || { cat "$pfx.install.log"; fail "cmake --install"; }
    want=(bin/protoc-gen-c-ffi "$libdir/libproto2ffi.a" "$libdir/libproto2ffi.so"
          include/proto2ffi/options.proto "$libdir/cmake/Proto2FFI/Proto2FFIConfig.cmake"
          "$libdir/cmake/Proto2FFI/Proto2FFIConfigVersion.cmake" "$libdir/cmake/Proto2FFI/Proto2FFITargets.cmake"
          "$libdir/cmake/Proto2FFI/Proto2FFIGenerate.cmake" "$libdir/pkgconfig/proto2ffi.pc")
    for h in "$src"/runtime/include/proto2ffi/*.h; do want+=("include/proto2ffi/$(basename "$h")"); done
    for f in "${want[@]}"; do [ -e "$pfx/$f" ] || fail "not installed: $f"; done
    [ -x "$pfx/bin/protoc-gen-c-ffi" ] || fail "plugin not executable"
    # Nothing private: no internal headers, no checked runtime, no test programs.
    extra=$(cd "$pfx" && find . -type f | sed 's|^\./||' | sort | grep -v -x -F -f <(printf '%s\n' "${want[@]}") |
            grep -v -E "^$libdir/libproto2ffi\.so\.[0-9.]+$|^$libdir/cmake/Proto2FFI/Proto2FFITargets-[a-z]+\.cmake$" || true)
    [ -z "$extra" ] || fail "unexpected files installed: $extra"
    echo "installed $(cd "$pfx" && find . -type f | wc -l) files into $pfx"
    ;;

  consumer.cmake)
    w=$1
    fresh "$w"
    configure "$src/tests/consumer" "$w/build" -DCMAKE_PREFIX_PATH="$pfx"
    build "$w/build"
    grep -q "protoc-gen-c-ffi: contacts" "$w/build.build.log" || fail "protoc-gen-c-ffi did not run"
    run_contacts "$w/build/contacts"
    ;;

  consumer.pkgconfig)
    w=$1
    fresh "$w"
    command -v pkg-config > /dev/null || fail "pkg-config not found (apt-get install pkg-config)"
    cp "$src"/tests/consumer/{Makefile,main.c,contacts.proto,contacts.options} "$w"/
    export PKG_CONFIG_PATH="$pfx/$libdir/pkgconfig"
    [ "$(pkg-config --modversion proto2ffi)" = "$(sed -n 's/^#define P2F_VERSION_STRING "\(.*\)"$/\1/p' "$src/runtime/include/proto2ffi/port.h")" ] ||
      fail "pkg-config version differs from port.h"
    make -C "$w" CC="$cc" > "$w.make.log" 2>&1 || { cat "$w.make.log"; fail "make"; }
    run_contacts "$w/contacts"
    # Linked against the installed shared runtime, found through the rpath.
    # (Output captured first: under pipefail, `ldd | grep -q` fails when grep's early exit
    # makes ldd die of SIGPIPE.)
    libs=$(ldd "$w/contacts")
    grep -q "$pfx/.*libproto2ffi.so" <<< "$libs" || { echo "$libs"; fail "not linked to the installed libproto2ffi.so"; }
    make -C "$w" CC="$cc" > "$w.make2.log" 2>&1
    if grep -q -E "protoc|$cc " "$w.make2.log"; then cat "$w.make2.log"; fail "second make rebuilt something"; fi
    echo "second make: nothing to do"
    # The static runtime, as docs/getting-started.md says.
    make -C "$w" clean > /dev/null
    make -C "$w" CC="$cc" LDLIBS='$(LIBDIR)/libproto2ffi.a -ldl' > "$w.make3.log" 2>&1 || { cat "$w.make3.log"; fail "make, static"; }
    run_contacts "$w/contacts"
    libs=$(ldd "$w/contacts")
    if grep -q libproto2ffi <<< "$libs"; then fail "static build linked libproto2ffi.so"; fi
    # By hand, as docs/getting-started.md says.
    rm -rf "$w/gen" "$w/contacts" && mkdir "$w/gen"
    (cd "$w" && protoc --plugin=protoc-gen-c-ffi="$pfx/bin/protoc-gen-c-ffi" -I. -I"$pfx/include" --c-ffi_out=gen contacts.proto &&
      "$cc" -std=c11 -Igen -I"$pfx/include" main.c gen/contacts.ffi.c "$pfx/$libdir/libproto2ffi.a" -ldl -o contacts) ||
      fail "protoc and cc by hand"
    run_contacts "$w/contacts"
    ;;

  consumer.subdir)
    w=$1
    fresh "$w"
    configure "$src/tests/packaging/subdir" "$w/build" -DP2F_SOURCE_DIR="$src" -DCONSUMER_DIR="$src/tests/consumer"
    grep -q "^P2F_BUILD_TESTS:BOOL=OFF$" "$w/build/CMakeCache.txt" || fail "P2F_BUILD_TESTS is not OFF in a parent project"
    grep -q "^P2F_BUILD_BENCH:BOOL=OFF$" "$w/build/CMakeCache.txt" || fail "P2F_BUILD_BENCH is not OFF in a parent project"
    build "$w/build" --target contacts -j2
    run_contacts "$w/build/consumer/contacts"
    ;;

  incremental)
    w=$1
    fresh "$w"
    # A copy of the installed tree (also shows that it can be moved) and of the consumer.
    cp -a "$pfx" "$w/prefix"
    mkdir -p "$w/src" && cp "$src"/tests/consumer/{CMakeLists.txt,main.c,contacts.proto,contacts.options} "$w/src"/
    configure "$w/src" "$w/build" -DCMAKE_PREFIX_PATH="$w/prefix"
    build "$w/build"
    gen="$w/build/proto2ffi/contacts/contacts.ffi.c"
    exe="$w/build/contacts"
    run_contacts "$exe" > /dev/null
    # step <what> <expect: none|regenerated>: builds and checks what happened.
    step() {
      local what=$1 expect=$2 g0 e0 g1 e1
      g0=$(stat -c %Y.%y "$gen") e0=$(stat -c %Y.%y "$exe")
      build "$w/build"
      g1=$(stat -c %Y.%y "$gen") e1=$(stat -c %Y.%y "$exe")
      if [ "$expect" = none ]; then
        [ "$g0" = "$g1" ] || fail "$what: generated file rewritten"
        [ "$e0" = "$e1" ] || fail "$what: program relinked"
        ! grep -q -E "protoc-gen-c-ffi|Linking|Building" "$w/build.build.log" || { cat "$w/build.build.log"; fail "$what: the build did work"; }
      else
        [ "$g0" != "$g1" ] || fail "$what: not regenerated"
        [ "$e0" != "$e1" ] || fail "$what: not relinked"
        grep -q "protoc-gen-c-ffi: contacts" "$w/build.build.log" || { cat "$w/build.build.log"; fail "$what: protoc-gen-c-ffi did not run"; }
      fi
      echo "$what: $expect"
    }
    step "nothing touched" none
    sleep 1.1; touch "$w/src/contacts.proto";     step "contacts.proto touched" regenerated
    step "nothing touched" none
    sleep 1.1; touch "$w/src/contacts.options";   step "contacts.options touched" regenerated
    sleep 1.1; touch "$w/prefix/bin/protoc-gen-c-ffi"; step "plugin touched" regenerated
    step "nothing touched" none
    # An imported .proto (here the installed proto2ffi/options.proto), through protoc's depfile.
    sleep 1.1; touch "$w/prefix/include/proto2ffi/options.proto"; step "imported options.proto touched" regenerated
    step "nothing touched" none
    # A changed capacity reaches the program.
    sleep 1.1; sed -i 's/max_count:4 max_length:40/max_count:5 max_length:40/' "$w/src/contacts.options"
    step "capacity changed in contacts.options" regenerated
    out=$("$exe")
    grep -q "emails: up to 5 of 40 bytes" <<< "$out" || fail "new capacity not in the program: $out"
    echo "new capacity in the program"
    ;;

  examples)
    w=$1
    fresh "$w"
    for ex in social telemetry game; do
      configure "$src/examples/$ex" "$w/$ex" -DCMAKE_PREFIX_PATH="$pfx"
      build "$w/$ex" -j2
      (cd "$w/$ex" && ctest --output-on-failure > "$w/$ex.ctest.log" 2>&1) || { cat "$w/$ex.ctest.log"; fail "example $ex"; }
      grep -q "100% tests passed, 0 tests failed out of 1" "$w/$ex.ctest.log" || { cat "$w/$ex.ctest.log"; fail "example $ex: no test ran"; }
      echo "example $ex: built standalone and passed"
    done
    # DART_OUT: the Dart file in its own directory (a second plugin run), none beside the C.
    [ -f "$w/game/dart/game.ffi.dart" ] || fail "DART_OUT: no $w/game/dart/game.ffi.dart"
    grep -q "final class Entity extends Struct" "$w/game/dart/game.ffi.dart" || fail "DART_OUT: game.ffi.dart has no Entity struct"
    [ -f "$w/game/generated/game.ffi.h" ] || fail "OUT_DIR: no $w/game/generated/game.ffi.h"
    if ls "$w/game/generated/"*.dart > /dev/null 2>&1; then fail "Dart output next to the C output"; fi
    if ls "$w/game/dart/"*.ffi.[ch] > /dev/null 2>&1; then fail "C output in the DART_OUT directory"; fi
    echo "DART_OUT: game.ffi.dart alone in dart/, C alone in generated/"
    ;;

  abi)
    w=$1 protoc=$2 plugin=$3
    fresh "$w"
    mkdir -p "$w/gen" "$w/other/proto2ffi"
    "$protoc" --plugin=protoc-gen-c-ffi="$plugin" -I"$src/tests/consumer" -I"$src/generator/proto" \
      --c-ffi_opt=options_dir="$src/tests/consumer" --c-ffi_out="$w/gen" contacts.proto
    cp "$src"/runtime/include/proto2ffi/*.h "$w/other/proto2ffi/"
    abi=$(sed -n 's/^#define P2F_RUNTIME_ABI \([0-9]*\)$/\1/p' "$w/other/proto2ffi/port.h")
    [ -n "$abi" ] || fail "no P2F_RUNTIME_ABI in port.h"
    sed -i "s/^#define P2F_RUNTIME_ABI $abi\$/#define P2F_RUNTIME_ABI $((abi + 1))/" "$w/other/proto2ffi/port.h"
    # The matching headers compile (control), the others must not.
    "$cc" -std=c11 -fsyntax-only -I"$w/gen" -I"$src/runtime/include" "$w/gen/contacts.ffi.c" || fail "control compile failed"
    if "$cc" -std=c11 -fsyntax-only -I"$w/gen" -I"$w/other" "$w/gen/contacts.ffi.c" > "$w.log" 2>&1; then
      fail "generated code compiled against runtime headers of ABI $((abi + 1))"
    fi
    grep -q "contacts.proto was generated for proto2ffi runtime ABI $abi" "$w.log" || { cat "$w.log"; fail "no ABI error message"; }
    echo "ABI $abi header vs ABI $((abi + 1)) runtime: refused"
    ;;
  *) fail "unknown mode $mode" ;;
esac
