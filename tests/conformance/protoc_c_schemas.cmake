# Copies the conformance schemas into OUT for protoc-c 1.4.1, which refuses proto3 `optional`
# ("hasn't been updated to support optional fields in proto3"). Each proto3 `optional` field
# becomes a one-member oneof, which is what `optional` is in the descriptor (a synthetic oneof)
# and has the same wire behaviour: explicit presence, the value written whenever it is set.
#   cmake -DOUT=<dir> -DFILES=<root>|<rel>;... -P protoc_c_schemas.cmake
foreach(entry IN LISTS FILES)
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 root)
  list(GET parts 1 rel)
  file(READ ${root}/${rel} text)
  if(text MATCHES "syntax = \"proto3\"")
    string(REGEX REPLACE "\n([ \t]*)optional ([A-Za-z0-9_.]+) ([A-Za-z0-9_]+) = ([^;]+);"
           "\n\\1oneof opt_\\3 { \\2 \\3 = \\4; }" text "${text}")
  endif()
  file(WRITE ${OUT}/${rel}.tmp "${text}")
  file(COPY_FILE ${OUT}/${rel}.tmp ${OUT}/${rel} ONLY_IF_DIFFERENT)
  file(REMOVE ${OUT}/${rel}.tmp)
endforeach()
