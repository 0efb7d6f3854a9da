# CMake toolchain file: Windows x86-64 programs and DLLs built on Linux with MinGW-w64's GCC
# (Debian's gcc-mingw-w64-x86-64). Used by tests/windows/ to build the runtime and the tests
# as .exe/.dll files that run under wine.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(p2f_mingw x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${p2f_mingw}-gcc)
set(CMAKE_RC_COMPILER ${p2f_mingw}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${p2f_mingw})
# Programs (protoc, the plugin) from the host; libraries and headers from the target only.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
