# Writes, for the benchmark's peers (protoc-c, nanopb), a copy of a schema without the
# proto2ffi options (its import and the [(ffi).* = N] annotations) and a nanopb .options file
# giving every field the capacity the (ffi) annotation gives it, so that nanopb's structs are
# fixed-size with our capacities.
# PACKAGE_PREFIX, when given, is put before the package name (the wire format does not carry
# it), so that a peer's C names cannot collide with ours (nanopb names types pkg_Message too).
# CALLBACK_FIELDS (Message.field|...) are made nanopb callback fields instead (for messages too
# large for a nanopb built without PB_FIELD_32BIT, whose structs must stay under 64 kB).
#   cmake -DIN=<x.proto> -DOUT_PROTO=<copy.proto> -DOUT_OPTIONS=<copy.options> [-DPACKAGE_PREFIX=p_]
#         [-DCALLBACK_FIELDS=...] -P peer_schema.cmake
cmake_minimum_required(VERSION 3.16)
string(REPLACE "|" ";" CALLBACK_FIELDS "${CALLBACK_FIELDS}")
file(STRINGS ${IN} lines)
set(proto "")
set(options "")
set(package "")
set(message "")
foreach(line IN LISTS lines)
  if(line MATCHES "^package ([A-Za-z0-9_.]+);")
    set(package ${PACKAGE_PREFIX}${CMAKE_MATCH_1})
    set(line "package ${package};")
  elseif(line MATCHES "^message ([A-Za-z0-9_]+)")
    set(message ${CMAKE_MATCH_1})
  elseif(line MATCHES "^  [a-z].* ([A-Za-z0-9_]+) = [0-9]+ \\[(\\(ffi\\)[^]]*)\\];")
    set(field ${CMAKE_MATCH_1})
    string(REPLACE "," ";" opts "${CMAKE_MATCH_2}")
    set(nanopb "")
    foreach(o IN LISTS opts)
      if(o MATCHES "\\(ffi\\)\\.(max_length|max_count|max_size) = ([0-9]+)")
        string(APPEND nanopb " ${CMAKE_MATCH_1}:${CMAKE_MATCH_2}")
      endif()
    endforeach()
    if("${message}.${field}" IN_LIST CALLBACK_FIELDS)
      set(nanopb " type:FT_CALLBACK")
    endif()
    string(APPEND options "${package}.${message}.${field}${nanopb}\n")
  endif()
  if(line MATCHES "^import \"proto2ffi/options.proto\";")
    continue()
  endif()
  string(REGEX REPLACE " \\[\\(ffi\\)[^]]*\\]" "" line "${line}")
  string(APPEND proto "${line}\n")
endforeach()
file(WRITE ${OUT_PROTO} "${proto}")
file(WRITE ${OUT_OPTIONS} "${options}")
