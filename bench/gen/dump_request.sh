#!/bin/sh
# A protoc plugin that saves the CodeGeneratorRequest it receives into $P2F_DUMP_REQUEST and
# answers with an empty CodeGeneratorResponse (zero bytes), so protoc writes no file.
cat > "$P2F_DUMP_REQUEST"
