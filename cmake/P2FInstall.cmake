# Install rules: cmake --install build --prefix P gives
#   P/bin/protoc-gen-c-ffi
#   P/lib/libproto2ffi.a, libproto2ffi.so*          (CMAKE_INSTALL_LIBDIR)
#   P/include/proto2ffi/*.h                         the runtime's public headers
#   P/include/proto2ffi/options.proto               so that `protoc -I P/include` finds it
#   P/lib/cmake/Proto2FFI/                          find_package(Proto2FFI CONFIG)
#   P/lib/pkgconfig/proto2ffi.pc                    pkg-config
# Every installed path is relative to the prefix, so the tree can be moved after installing.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The version in port.h (compiled into generated code and the runtime) must be the project's.
file(STRINGS ${PROJECT_SOURCE_DIR}/runtime/include/proto2ffi/port.h p2f_port_version
     REGEX "^#define P2F_VERSION_STRING ")
if(NOT p2f_port_version MATCHES "\"${PROJECT_VERSION}\"")
  message(FATAL_ERROR "runtime/include/proto2ffi/port.h says ${p2f_port_version}, but project() says ${PROJECT_VERSION}")
endif()

set(p2f_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/Proto2FFI)

set_target_properties(proto2ffi_static PROPERTIES EXPORT_NAME runtime)
set_target_properties(proto2ffi_shared PROPERTIES EXPORT_NAME runtime_shared)
install(TARGETS protoc-gen-c-ffi proto2ffi_static proto2ffi_shared
  EXPORT Proto2FFITargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/proto2ffi
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_SOURCE_DIR}/generator/proto/proto2ffi/options.proto
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/proto2ffi)

install(EXPORT Proto2FFITargets NAMESPACE Proto2FFI:: DESTINATION ${p2f_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/Proto2FFIConfig.cmake.in
  ${PROJECT_BINARY_DIR}/Proto2FFIConfig.cmake
  INSTALL_DESTINATION ${p2f_cmake_dir}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
# 0.x: a new minor version may change the runtime ABI (docs/versioning.md).
write_basic_package_version_file(${PROJECT_BINARY_DIR}/Proto2FFIConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/Proto2FFIConfig.cmake
              ${PROJECT_BINARY_DIR}/Proto2FFIConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/Proto2FFIGenerate.cmake
  DESTINATION ${p2f_cmake_dir})

# pkg-config: prefix relative to the .pc file, so it stays right after `--prefix` or a move.
file(RELATIVE_PATH p2f_pc_to_prefix /p2f/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p2f)
string(REGEX REPLACE "/$" "" p2f_pc_to_prefix "${p2f_pc_to_prefix}")
set(p2f_pc_libs_private "")
if(CMAKE_THREAD_LIBS_INIT)
  string(APPEND p2f_pc_libs_private " ${CMAKE_THREAD_LIBS_INIT}")
endif()
foreach(lib IN LISTS CMAKE_DL_LIBS)
  string(APPEND p2f_pc_libs_private " -l${lib}")
endforeach()
string(STRIP "${p2f_pc_libs_private}" p2f_pc_libs_private)
configure_file(${PROJECT_SOURCE_DIR}/cmake/proto2ffi.pc.in ${PROJECT_BINARY_DIR}/proto2ffi.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/proto2ffi.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
