# The Windows test programs, read by both the cross build (cross/CMakeLists.txt builds each
# target as <target>.exe) and the host suite (CMakeLists.txt registers windows.<name>, which
# runs it under wine). One entry per test: "<name>|<target>|<arguments>".
set(P2F_WINDOWS_TESTS
  # tests/runtime, against the static runtime (libproto2ffi.a)
  "runtime.status|test_runtime_status|"
  "runtime.message_table|test_message_table|"
  "runtime.test_wire|test_wire|"
  "runtime.varint|test_varint|"
  "runtime.utf8|test_utf8|"
  "runtime.utf8_dispatch|test_utf8_dispatch|"
  "runtime.utf8_dispatch.portable|test_utf8_dispatch_portable|"
  "runtime.varint_pack|test_varint_pack|"
  "runtime.varint_pack.portable|test_varint_pack_portable|"
  "runtime.varint_unpack|test_varint_unpack|"
  "runtime.varint_unpack.portable|test_varint_unpack_portable|"
  "runtime.test_pool|test_pool|--expect-backend system"
  "runtime.test_pool_checked|test_pool_checked|"
  "runtime.test_pool_threads|test_pool_threads|"
  "runtime.pool_msgs|test_pool_msgs|"
  "runtime.arena|test_arena|"
  "runtime.arena_mark|test_arena_mark|"
  "runtime.codec_ool|test_codec_ool|"
  # tests/generated, on the generated code of tests/schemas/alltypes and examples/social
  "generated.defaults|test_generated_defaults|"
  "generated.codec|test_codec|"
  "generated.encode_levels|test_encode_levels|"
  "generated.decode_levels|test_decode_levels|"
  "generated.typed_pools|test_typed_pools|"
  # the runtime as a DLL (libproto2ffi.dll): a program that only calls it (P2F_USE_DLL, the
  # runtime's functions imported with dllimport), and one with generated code of its own
  # (the runtime's functions reached through the import library's thunks)
  "dll.test_pool_threads|test_pool_threads_dll|"
  "dll.typed_pools|test_typed_pools_dll|"
  # the examples (game_sim links the shared runtime, i.e. the DLL)
  "example.social|social_example|"
  "example.telemetry|telemetry_pipeline|"
  "example.game|game_sim|"
  # the Flutter plugin's library (examples/flutter_plugin/windows) loaded the way dart:ffi
  # loads it: LoadLibrary and GetProcAddress
  "flutter_plugin.load|load_plugin|social_ffi.dll"
)
