/* The protobuf-c types of descriptor.proto and plugin.proto (compiled by protoc-c at build
 * time) and short names for the enum constants the generator uses. */
#ifndef P2F_GEN_DESCRIPTOR_TYPES_H_
#define P2F_GEN_DESCRIPTOR_TYPES_H_

#include "google/protobuf/compiler/plugin.pb-c.h"
#include "google/protobuf/descriptor.pb-c.h"

#define GPB_LABEL(x) GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_##x
#define GPB_TYPE(x) GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_##x

/* SourceCodeInfo path components (field numbers in descriptor.proto). */
enum {
  GPB_PATH_FILE_MESSAGE = 4,
  GPB_PATH_FILE_ENUM = 5,
  GPB_PATH_MESSAGE_FIELD = 2,
  GPB_PATH_MESSAGE_NESTED = 3,
  GPB_PATH_MESSAGE_ENUM = 4,
  GPB_PATH_MESSAGE_ONEOF = 8,
  GPB_PATH_ENUM_VALUE = 2,
  GPB_PATH_FIELD_OPTIONS = 8,
};

#endif /* P2F_GEN_DESCRIPTOR_TYPES_H_ */
