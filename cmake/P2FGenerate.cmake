# p2f_generate(OUT_VAR <var> PROTO_ROOT <dir> PROTOS <rel.proto>... [OUT_DIR <dir>]
#              [PARAMS <k=v,...>] [IMPORT_DIRS <dir>...] [DEPENDS <file>...])
# The build's own variant of proto2ffi_generate() (cmake/Proto2FFIGenerate.cmake), for the
# tests and benchmarks that compile generated code with flags of their own: runs protoc with
# the in-tree plugin and sets <var> to the generated .c files instead of adding them to a
# target. PROTOS are named relative to PROTO_ROOT.
find_program(P2F_PROTOC protoc REQUIRED)
set(Proto2FFI_OPTIONS_PROTO_DIR ${PROJECT_SOURCE_DIR}/generator/proto)
include(${CMAKE_CURRENT_LIST_DIR}/Proto2FFIGenerate.cmake)

function(p2f_generate)
  cmake_parse_arguments(G "" "OUT_VAR;PROTO_ROOT;OUT_DIR;PARAMS" "PROTOS;IMPORT_DIRS;DEPENDS" ${ARGN})
  if(NOT G_OUT_DIR)
    set(G_OUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/generated)
  endif()
  set(protos "")
  foreach(p IN LISTS G_PROTOS)
    list(APPEND protos ${G_PROTO_ROOT}/${p})
  endforeach()
  string(REPLACE ";" " " label "${G_PROTOS}")
  _p2f_generate_rules(SOURCES_VAR sources PROTOS ${protos} IMPORT_DIRS ${G_PROTO_ROOT} ${G_IMPORT_DIRS}
    OUT_DIR ${G_OUT_DIR} PARAMS "${G_PARAMS}" DEPENDS ${G_DEPENDS} LABEL "${label}")
  set(${G_OUT_VAR} ${sources} PARENT_SCOPE)
endfunction()
