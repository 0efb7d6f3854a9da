#!/usr/bin/env bash
# A protoc plugin wrapper for an ASan+UBSan build of protoc-gen-c-ffi: any error or leak
# makes the plugin exit 99, which fails the protoc call.
export ASAN_OPTIONS=detect_leaks=1:exitcode=99
export LSAN_OPTIONS=exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
exec "$P2F_REAL_PLUGIN" "$@"
