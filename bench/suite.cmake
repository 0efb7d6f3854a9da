# The benchmark suite: its category programs, the runner and its tests (docs/benchmarks.md).
# Included at the end of bench/CMakeLists.txt, so every program defined before it
# (pool_bench, codec_bench when present) is already a target here.

# Empty exported functions: the baseline of the FFI benchmark.
add_library(bench_empty SHARED empty_lib.c)
set_target_properties(bench_empty PROPERTIES C_VISIBILITY_PRESET hidden)
p2f_strict_warnings(bench_empty)

# Loads libbench_social.so and libbench_empty.so with dlopen: links neither.
add_executable(ffi_bench ffi_bench.c)
target_include_directories(ffi_bench PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/generated ${PROJECT_SOURCE_DIR}/runtime/include)
target_compile_definitions(ffi_bench PRIVATE
  P2F_BENCH_SOCIAL_LIB="$<TARGET_FILE:bench_social>" P2F_BENCH_EMPTY_LIB="$<TARGET_FILE:bench_empty>")
target_link_libraries(ffi_bench PRIVATE bench_util ${CMAKE_DL_LIBS})
add_dependencies(ffi_bench bench_social bench_empty)
p2f_strict_warnings(ffi_bench)

# Category programs linked with the generated code (libbench_social.so) like a C program.
foreach(prog mem_bench access_bench batch_bench)
  add_executable(${prog} ${prog}.c)
  target_link_libraries(${prog} PRIVATE bench_social bench_util proto2ffi_shared ${CMAKE_DL_LIBS} m)
  p2f_strict_warnings(${prog})
endforeach()

# ---- the runner ------------------------------------------------------------------------------
# Every category program takes [--quick] --json FILE --markdown FILE. codec_bench joins the
# suite when it is a target (it is defined in bench/CMakeLists.txt before this file).
set(P2F_BENCH_SUITE pool_bench mem_bench ffi_bench access_bench batch_bench)
if(TARGET codec_bench)
  list(APPEND P2F_BENCH_SUITE codec_bench)
endif()
if(TARGET gen_bench)
  list(APPEND P2F_BENCH_SUITE gen_bench)
endif()
set(p2f_bench_program_args "")
foreach(prog IN LISTS P2F_BENCH_SUITE)
  list(APPEND p2f_bench_program_args --program ${prog}=$<TARGET_FILE:${prog}>)
endforeach()

set(P2F_BENCH_OUT ${CMAKE_BINARY_DIR}/results CACHE PATH
  "Where bench-all and bench-quick write benchmarks.json, report.html and report.md (docs/results to publish)")
if(P2F_PYTHON3)
  add_custom_target(bench-all
    COMMAND ${P2F_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/run.py --out ${P2F_BENCH_OUT} ${p2f_bench_program_args}
    DEPENDS ${P2F_BENCH_SUITE} USES_TERMINAL
    COMMENT "Benchmark suite, full run (minutes): ${P2F_BENCH_OUT}/report.html")
  add_custom_target(bench-quick
    COMMAND ${P2F_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/run.py --quick --out ${P2F_BENCH_OUT} ${p2f_bench_program_args}
    DEPENDS ${P2F_BENCH_SUITE} USES_TERMINAL
    COMMENT "Benchmark suite, quick run (seconds): ${P2F_BENCH_OUT}/report.html")
endif()
