# Turns the template files given in TEMPLATES (a ;-list of paths) into one C source OUTPUT
# defining p2f_embedded_templates[], used by generator/src/templates.c. Run in script mode:
#   cmake -DTEMPLATES=... -DOUTPUT=... -P EmbedTemplates.cmake
# Bytes are written as hex so that no template content needs escaping and no string literal
# exceeds the length C compilers are required to accept.
set(body "/* Generated from templates/ at build time. Do not edit. */\n#include \"templates.h\"\n\n")
set(table "")
set(index 0)
foreach(path IN LISTS TEMPLATES)
  get_filename_component(name "${path}" NAME_WE)
  file(READ "${path}" hex HEX)
  string(LENGTH "${hex}" hex_len)
  math(EXPR size "${hex_len} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
  string(APPEND body "static const unsigned char tmpl_${index}[] = {\n${bytes}0x00};\n\n")
  string(APPEND table "  {\"${name}\", tmpl_${index}, ${size}},\n")
  math(EXPR index "${index} + 1")
endforeach()
string(APPEND body "const gen_embedded_template p2f_embedded_templates[] = {\n${table}};\n")
string(APPEND body "const size_t p2f_embedded_template_count = ${index};\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
