/* The descriptor lists written by registry.cmake (NULL-terminated). */
#ifndef P2F_CONFORMANCE_REGISTRY_H_
#define P2F_CONFORMANCE_REGISTRY_H_

#include <protobuf-c/protobuf-c.h>

#include "proto2ffi/codec.h"

extern const ProtobufCMessageDescriptor *const conf_pbc_descs[];
extern const p2f_msg_desc *const conf_p2f_descs[];

#endif
