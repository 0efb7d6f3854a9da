#!/usr/bin/env bash
# A protoc plugin wrapper that runs protoc-gen-c-ffi under valgrind: any memory error or
# leak makes the plugin exit 99, which fails the protoc call.
#   P2F_REAL_PLUGIN=<path> protoc --plugin=protoc-gen-c-ffi=valgrind-plugin.sh ...
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
  --errors-for-leak-kinds=all "$P2F_REAL_PLUGIN" "$@"
