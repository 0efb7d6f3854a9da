# Runs protoc with protoc-gen-c-ffi on a schema the generator must reject (MODE=error) or
# accept with warnings (MODE=warning) and checks the exact text protoc prints.
#   cmake -DPROTOC=... -DPLUGIN=... -DROOT=<dir> -DPROTO=<x.proto> [-DIMPORTS=<a|b>]
#         [-DPARAMS=...] -DEXPECTED=<file> -DWORK=<dir> -DMODE=error|warning -P diagnose.cmake
# error:   protoc must fail, print exactly EXPECTED on stderr, and write no file.
# warning: protoc must succeed, and every line of EXPECTED must appear on stderr.
string(REPLACE "|" ";" IMPORTS "${IMPORTS}")
set(flags "")
foreach(d IN LISTS IMPORTS)
  list(APPEND flags "-I${d}")
endforeach()
if(PARAMS)
  list(APPEND flags "--c-ffi_opt=${PARAMS}")
endif()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(
  COMMAND "${PROTOC}" "--plugin=protoc-gen-c-ffi=${PLUGIN}" "-I${ROOT}" ${flags} "--c-ffi_out=${WORK}" "${PROTO}"
  WORKING_DIRECTORY "${ROOT}"
  RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out)
file(READ "${EXPECTED}" want)
file(GLOB_RECURSE written "${WORK}/*")
if(MODE STREQUAL "error")
  if(rc EQUAL 0)
    message(FATAL_ERROR "protoc accepted ${PROTO}; expected the error:\n${want}")
  endif()
  if(written)
    message(FATAL_ERROR "files were written despite the error: ${written}")
  endif()
  if(NOT err STREQUAL want)
    message(FATAL_ERROR "stderr differs.\n--- expected\n${want}--- actual\n${err}")
  endif()
else()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "protoc failed (${rc}):\n${err}")
  endif()
  string(REPLACE "\n" ";" lines "${want}")
  foreach(line IN LISTS lines)
    if(line)
      string(FIND "${err}" "${line}" pos)
      if(pos EQUAL -1)
        message(FATAL_ERROR "missing from stderr: ${line}\n--- actual stderr\n${err}")
      endif()
    endif()
  endforeach()
endif()
message(STATUS "ok: ${PROTO}")
