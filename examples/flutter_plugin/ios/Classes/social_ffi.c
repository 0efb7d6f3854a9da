/* One translation unit for CocoaPods, which compiles only the files under Classes/: the
 * generated code of social.proto and the proto2ffi runtime, found through the podspec's
 * HEADER_SEARCH_PATHS (src/generated, runtime/src, runtime/include). The repository's test
 * dart.flutter_plugin.native_build compiles this file the same way. */
#include "social.ffi.c"

#include "status.c"
#include "message_table.c"
#include "log.c"
#include "chunk_alloc.c"
#include "pool_core.c"
#include "pool_ts.c"
#include "pool.c"
#include "arena.c"
#include "build.c"
#include "wire.c"
#include "utf8.c"
#include "decode.c"
#include "encode.c"
#include "varint_pack.c"
#include "varint_unpack.c"
#include "copy.c"
#include "batch.c"
#include "batch_scalar.c"
#include "batch_vector.c"
#include "batch_avx2.c"
