# p2f_generate(OUT_VAR <var> PROTO_ROOT <dir> PROTOS <rel.proto>... [OUT_DIR <dir>]
#              [PARAMS <k=v,...>] [IMPORT_DIRS <dir>...] [DEPENDS <file>...])
# Runs protoc with the in-tree plugin; sets <var> to the generated .c files. Used by the
# examples and tests of this tree (the installable proto2ffi_generate() comes with packaging).
find_program(P2F_PROTOC protoc REQUIRED)
function(p2f_generate)
  cmake_parse_arguments(G "" "OUT_VAR;PROTO_ROOT;OUT_DIR;PARAMS" "PROTOS;IMPORT_DIRS;DEPENDS" ${ARGN})
  if(NOT G_OUT_DIR)
    set(G_OUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/generated)
  endif()
  set(report OFF)
  if(G_PARAMS MATCHES "(^|,)report(=1|=true)?(,|$)")
    set(report ON)
  endif()
  set(outputs "")
  set(sources "")
  set(inputs "")
  foreach(p IN LISTS G_PROTOS)
    string(REGEX REPLACE "\\.proto$" "" stem "${p}")
    list(APPEND outputs ${G_OUT_DIR}/${stem}.ffi.h ${G_OUT_DIR}/${stem}.ffi.c ${G_OUT_DIR}/${stem}.ffi.json)
    if(report)
      list(APPEND outputs ${G_OUT_DIR}/${stem}.ffi.layout.txt)
    endif()
    list(APPEND sources ${G_OUT_DIR}/${stem}.ffi.c)
    list(APPEND inputs ${G_PROTO_ROOT}/${p})
  endforeach()
  set(import_flags "")
  foreach(d IN LISTS G_IMPORT_DIRS)
    list(APPEND import_flags -I${d})
  endforeach()
  set(param_flag "")
  if(G_PARAMS)
    set(param_flag "--c-ffi_opt=${G_PARAMS}")
  endif()
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${G_OUT_DIR}
    COMMAND ${P2F_PROTOC} --plugin=protoc-gen-c-ffi=$<TARGET_FILE:protoc-gen-c-ffi>
            -I${G_PROTO_ROOT} -I${P2F_OPTIONS_PROTO_DIR} ${import_flags}
            --c-ffi_out=${G_OUT_DIR} ${param_flag} ${G_PROTOS}
    WORKING_DIRECTORY ${G_PROTO_ROOT}
    DEPENDS ${inputs} protoc-gen-c-ffi ${G_DEPENDS}
    COMMENT "protoc-gen-c-ffi: ${G_PROTOS}"
    VERBATIM)
  set(${G_OUT_VAR} ${sources} PARENT_SCOPE)
endfunction()
