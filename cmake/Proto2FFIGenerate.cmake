# proto2ffi_generate(): run protoc-gen-c-ffi on .proto files at build time and build the
# generated C into a target. Shipped with the Proto2FFI CMake package (find_package(Proto2FFI))
# and defined as well when proto2ffi's source tree is part of the build (add_subdirectory,
# FetchContent). Reference: docs/getting-started.md.
#
#   proto2ffi_generate(TARGET <target>
#                      PROTOS <file.proto>...
#                      [IMPORT_DIRS <dir>...]
#                      [OPTIONS_FILES <file.options>...]
#                      [OUT_DIR <dir>]
#                      [DART_OUT <dir>]
#                      [PARAMS <k=v,k=v,...>]
#                      [SHARED_RUNTIME])
#
# PROTOS        .proto files, relative to the current source directory or absolute. Each one
#               is named to protoc relative to the first IMPORT_DIRS entry that contains it,
#               or relative to its own directory when none does; that relative name is where
#               its outputs go under OUT_DIR (IMPORT_DIRS src with src/a/b.proto gives
#               OUT_DIR/a/b.ffi.h).
# IMPORT_DIRS   extra -I directories for protoc. The directory of proto2ffi/options.proto is
#               always added last. Every import directory is also an `options_dir`, so the
#               `x.options` file next to `x.proto` is found.
# OPTIONS_FILES .options files applied to every file (plugin parameter `options=PATH`, once
#               per file, in the order given: a later file wins over an earlier one).
# OUT_DIR       where the C files go; default ${CMAKE_CURRENT_BINARY_DIR}/proto2ffi/<target>.
# DART_OUT      where the Dart files go (a second protoc run with `dart=only`); needs a
#               plugin with Dart output.
# PARAMS        extra plugin parameters, `k=v,k=v` (docs/options.md), given to every run.
# SHARED_RUNTIME link Proto2FFI::runtime_shared instead of the static Proto2FFI::runtime.
#
# The target gets the generated .ffi.c and .ffi.h files as sources, OUT_DIR as a PUBLIC
# include directory, and the runtime as a PUBLIC link library (keyword form of
# target_link_libraries). The files are regenerated when a .proto, an `x.options` file next to
# one (if it existed at configure time), an OPTIONS_FILES entry, the plugin, or (CMake 3.20+,
# through protoc's depfile) any .proto it imports changes. Call it in the directory that
# creates the target.
#
# Variables read: P2F_PROTOC (protoc; found with find_program when unset), and the
# Proto2FFI::protoc-gen-c-ffi executable target (imported from the package, or the one built
# from source).
include_guard(GLOBAL)
# The DEPFILEs below hold absolute paths; let Ninja use them as they are (the functions defined
# here keep the policies in effect at their definition).
if(POLICY CMP0116)
  cmake_policy(SET CMP0116 NEW)
endif()

if(NOT Proto2FFI_OPTIONS_PROTO_DIR)
  message(FATAL_ERROR "Proto2FFIGenerate.cmake: set Proto2FFI_OPTIONS_PROTO_DIR (the directory that holds proto2ffi/options.proto) before including it")
endif()
set_property(GLOBAL PROPERTY P2F_OPTIONS_PROTO_DIR "${Proto2FFI_OPTIONS_PROTO_DIR}")

if(NOT P2F_PROTOC)
  find_program(P2F_PROTOC protoc)
endif()

# _p2f_generate_rules(SOURCES_VAR <v> HEADERS_VAR <v> PROTOS ... [IMPORT_DIRS ...]
#                     [OPTIONS_FILES ...] [OUT_DIR <dir>] [DART_OUT <dir>] [PARAMS <p>]
#                     [DEPENDS ...] [LABEL <text>])
# The custom commands behind proto2ffi_generate() and the build's own p2f_generate(); sets
# <SOURCES_VAR> to the generated .c files and <HEADERS_VAR> to the headers, and, with
# DART_OUT, <SOURCES_VAR>_DART_STAMP to a file produced by the Dart run.
function(_p2f_generate_rules)
  cmake_parse_arguments(G "" "SOURCES_VAR;HEADERS_VAR;OUT_DIR;DART_OUT;PARAMS;LABEL"
                        "PROTOS;IMPORT_DIRS;OPTIONS_FILES;DEPENDS" ${ARGN})
  if(G_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "proto2ffi_generate: unexpected arguments: ${G_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT G_PROTOS)
    message(FATAL_ERROR "proto2ffi_generate: PROTOS is empty")
  endif()
  if(NOT P2F_PROTOC)
    message(FATAL_ERROR "proto2ffi_generate: protoc not found; install it (Debian: protobuf-compiler) or set P2F_PROTOC")
  endif()
  if(NOT TARGET Proto2FFI::protoc-gen-c-ffi)
    message(FATAL_ERROR "proto2ffi_generate: no Proto2FFI::protoc-gen-c-ffi target; call find_package(Proto2FFI) or add proto2ffi's source tree first")
  endif()
  get_property(options_proto_dir GLOBAL PROPERTY P2F_OPTIONS_PROTO_DIR)
  get_filename_component(out_dir "${G_OUT_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")

  set(import_dirs "")
  foreach(d IN LISTS G_IMPORT_DIRS)
    get_filename_component(d "${d}" ABSOLUTE)
    list(APPEND import_dirs "${d}")
  endforeach()

  # Each proto: absolute path, import root, name relative to the root.
  set(names "")
  set(roots "")
  set(inputs "")
  set(outputs "")
  set(sources "")
  set(headers "")
  set(report OFF)
  if(G_PARAMS MATCHES "(^|,)report(=1|=true)?(,|$)")
    set(report ON)
  endif()
  set(json ON)
  if(G_PARAMS MATCHES "(^|,)json=(0|false)(,|$)")
    set(json OFF)
  endif()
  foreach(p IN LISTS G_PROTOS)
    get_filename_component(abs "${p}" ABSOLUTE)
    # A .proto that another custom command of this directory writes may not exist yet.
    get_source_file_property(generated "${abs}" GENERATED)
    if(NOT EXISTS "${abs}" AND NOT generated)
      message(FATAL_ERROR "proto2ffi_generate: ${abs} does not exist")
    endif()
    get_filename_component(root "${abs}" DIRECTORY)
    foreach(d IN LISTS import_dirs)
      file(RELATIVE_PATH rel "${d}" "${abs}")
      if(NOT rel MATCHES "^\\.\\./" AND NOT IS_ABSOLUTE "${rel}")
        set(root "${d}")
        break()
      endif()
    endforeach()
    file(RELATIVE_PATH name "${root}" "${abs}")
    list(APPEND names "${name}")
    list(APPEND roots "${root}")
    list(APPEND inputs "${abs}")
    string(REGEX REPLACE "\\.proto$" "" stem "${name}")
    list(APPEND sources "${out_dir}/${stem}.ffi.c")
    list(APPEND headers "${out_dir}/${stem}.ffi.h")
    set(outs "${out_dir}/${stem}.ffi.h" "${out_dir}/${stem}.ffi.c")
    if(json)
      list(APPEND outs "${out_dir}/${stem}.ffi.json")
    endif()
    if(report)
      list(APPEND outs "${out_dir}/${stem}.ffi.layout.txt")
    endif()
    list(LENGTH names n)
    set(outs_${n} ${outs})
    set(stem_${n} "${stem}")
    list(APPEND outputs ${outs})
    # The x.options file the plugin finds next to x.proto.
    string(REGEX REPLACE "\\.proto$" ".options" opts "${abs}")
    if(EXISTS "${opts}")
      list(APPEND inputs "${opts}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES roots)

  set(search_dirs ${import_dirs} ${roots})
  list(REMOVE_DUPLICATES search_dirs)
  set(include_flags "")
  foreach(d IN LISTS search_dirs)
    list(APPEND include_flags "-I${d}")
  endforeach()
  list(APPEND include_flags "-I${options_proto_dir}")

  # Plugin parameters: the caller's, then every import directory as an options_dir (the
  # caller's options_dir entries come first and so win), then the OPTIONS_FILES.
  set(params "")
  if(G_PARAMS)
    list(APPEND params "${G_PARAMS}")
  endif()
  foreach(d IN LISTS search_dirs)
    list(APPEND params "options_dir=${d}")
  endforeach()
  foreach(f IN LISTS G_OPTIONS_FILES)
    get_filename_component(f "${f}" ABSOLUTE)
    if(NOT EXISTS "${f}")
      message(FATAL_ERROR "proto2ffi_generate: options file ${f} does not exist")
    endif()
    list(APPEND params "options=${f}")
    list(APPEND inputs "${f}")
  endforeach()
  foreach(v IN LISTS params)
    if(v MATCHES "(options|options_dir)=.*,")
      message(FATAL_ERROR "proto2ffi_generate: a path given to the plugin cannot contain a comma: ${v}")
    endif()
  endforeach()
  set(c_params ${params})
  list(APPEND c_params "dart=off")
  string(REPLACE ";" "," c_params "${c_params}")

  set(plugin "$<TARGET_FILE:Proto2FFI::protoc-gen-c-ffi>")
  if(NOT G_LABEL)
    string(REPLACE ";" " " G_LABEL "${names}")
  endif()
  # One protoc run per .proto, so that protoc can write the make-style list of every file the
  # run read (--dependency_out takes one input file only): imported .proto files, installed
  # proto2ffi/options.proto included, then trigger regeneration too (CMake 3.20+; before
  # that, only the files named in DEPENDS do).
  list(LENGTH names count)
  foreach(i RANGE 1 ${count})
    math(EXPR j "${i} - 1")
    list(GET names ${j} name)
    set(depfile_args "")
    set(depfile_opt "")
    if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.20)
      set(depfile "${out_dir}/${stem_${i}}.ffi.d")
      set(depfile_args "--dependency_out=${depfile}")
      set(depfile_opt DEPFILE "${depfile}")
    endif()
    add_custom_command(
      OUTPUT ${outs_${i}}
      COMMAND "${CMAKE_COMMAND}" -E make_directory "${out_dir}"
      COMMAND "${P2F_PROTOC}" "--plugin=protoc-gen-c-ffi=${plugin}" ${include_flags}
              "--c-ffi_out=${out_dir}" "--c-ffi_opt=${c_params}" ${depfile_args} "${name}"
      DEPENDS ${inputs} Proto2FFI::protoc-gen-c-ffi "${plugin}" ${G_DEPENDS}
      ${depfile_opt}
      COMMENT "protoc-gen-c-ffi: ${name}"
      VERBATIM)
  endforeach()

  if(G_DART_OUT)
    get_filename_component(dart_out "${G_DART_OUT}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
    set(dart_params ${params} "dart=only")
    string(REPLACE ";" "," dart_params "${dart_params}")
    string(MD5 key "${out_dir};${dart_out};${names}")
    set(stamp "${CMAKE_CURRENT_BINARY_DIR}/p2f_dart_${key}.stamp")
    add_custom_command(
      OUTPUT "${stamp}"
      COMMAND "${CMAKE_COMMAND}" -E make_directory "${dart_out}"
      COMMAND "${P2F_PROTOC}" "--plugin=protoc-gen-c-ffi=${plugin}" ${include_flags}
              "--c-ffi_out=${dart_out}" "--c-ffi_opt=${dart_params}" ${names}
      COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
      DEPENDS ${inputs} Proto2FFI::protoc-gen-c-ffi "${plugin}" ${G_DEPENDS}
      COMMENT "protoc-gen-c-ffi (Dart): ${G_LABEL}"
      VERBATIM)
    set(${G_SOURCES_VAR}_DART_STAMP "${stamp}" PARENT_SCOPE)
  endif()
  set(${G_SOURCES_VAR} ${sources} PARENT_SCOPE)
  if(G_HEADERS_VAR)
    set(${G_HEADERS_VAR} ${headers} PARENT_SCOPE)
  endif()
endfunction()

function(proto2ffi_generate)
  cmake_parse_arguments(G "SHARED_RUNTIME" "TARGET;OUT_DIR;DART_OUT;PARAMS"
                        "PROTOS;IMPORT_DIRS;OPTIONS_FILES" ${ARGN})
  if(G_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "proto2ffi_generate: unexpected arguments: ${G_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT G_TARGET OR NOT TARGET ${G_TARGET})
    message(FATAL_ERROR "proto2ffi_generate: TARGET '${G_TARGET}' is not a target of this project")
  endif()
  if(NOT G_OUT_DIR)
    set(G_OUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/proto2ffi/${G_TARGET}")
  endif()
  get_filename_component(out_dir "${G_OUT_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  set(dart_args "")
  if(G_DART_OUT)
    set(dart_args DART_OUT "${G_DART_OUT}")
  endif()
  _p2f_generate_rules(SOURCES_VAR sources HEADERS_VAR headers
    PROTOS ${G_PROTOS} IMPORT_DIRS ${G_IMPORT_DIRS} OPTIONS_FILES ${G_OPTIONS_FILES}
    OUT_DIR "${out_dir}" PARAMS "${G_PARAMS}" ${dart_args} LABEL "${G_TARGET}")
  target_sources(${G_TARGET} PRIVATE ${sources} ${headers})
  target_include_directories(${G_TARGET} PUBLIC "$<BUILD_INTERFACE:${out_dir}>")
  if(G_SHARED_RUNTIME)
    target_link_libraries(${G_TARGET} PUBLIC Proto2FFI::runtime_shared)
  else()
    target_link_libraries(${G_TARGET} PUBLIC Proto2FFI::runtime)
  endif()
  if(G_DART_OUT)
    string(MD5 key "${sources_DART_STAMP}")
    string(SUBSTRING "${key}" 0 12 key)
    set(dart_target "${G_TARGET}_p2f_dart_${key}")
    add_custom_target(${dart_target} DEPENDS "${sources_DART_STAMP}")
    add_dependencies(${G_TARGET} ${dart_target})
  endif()
endfunction()
