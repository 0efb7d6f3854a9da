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

# Batch kernels: the generated wrappers of schemas/kernels.proto in a shared library that
# kernel_bench loads with dlopen.
p2f_generate(OUT_VAR bench_kernels_sources PROTO_ROOT ${CMAKE_CURRENT_SOURCE_DIR}/schemas
  OUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/generated PROTOS kernels.proto)
add_library(bench_kernels SHARED ${bench_kernels_sources})
target_include_directories(bench_kernels PUBLIC ${CMAKE_CURRENT_BINARY_DIR}/generated)
target_link_libraries(bench_kernels PUBLIC proto2ffi_shared)
set_target_properties(bench_kernels PROPERTIES C_VISIBILITY_PRESET hidden)
add_executable(kernel_bench kernel_bench.c ${CMAKE_CURRENT_BINARY_DIR}/generated/kernels.ffi.h)
target_include_directories(kernel_bench PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/generated)
target_compile_definitions(kernel_bench PRIVATE P2F_BENCH_KERNELS_LIB="$<TARGET_FILE:bench_kernels>")
# kb_Reading_init / kb_Frame_init build the inputs: linked from the static objects, so that the
# timed kernels are the ones dlsym finds in libbench_kernels.so.
target_sources(kernel_bench PRIVATE ${bench_kernels_sources})
target_link_libraries(kernel_bench PRIVATE bench_util proto2ffi_shared ${CMAKE_DL_LIBS} m)
add_dependencies(kernel_bench bench_kernels)
p2f_strict_warnings(kernel_bench)

# Category programs linked with the generated code (libbench_social.so) like a C program.
foreach(prog mem_bench access_bench batch_bench)
  add_executable(${prog} ${prog}.c)
  target_link_libraries(${prog} PRIVATE bench_social bench_util proto2ffi_shared ${CMAKE_DL_LIBS} m)
  p2f_strict_warnings(${prog})
endforeach()

# ---- generator speed ---------------------------------------------------------------------------
# Saved CodeGeneratorRequests (social.proto and a synthetic 1,000-message schema) for
# gen_bench, which times the plugin on them and cc -O2 -c on what it generated.
find_program(P2F_PROTOC_GEN_C protoc-gen-c)
if(P2F_PYTHON3)
  set(gen_dir ${CMAKE_CURRENT_BINARY_DIR}/gen)
  set(dump ${CMAKE_CURRENT_SOURCE_DIR}/gen/dump_request.sh)
  add_custom_command(OUTPUT ${gen_dir}/synth.proto
    COMMAND ${CMAKE_COMMAND} -E make_directory ${gen_dir}
    COMMAND ${P2F_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/gen/gen_schema.py ${gen_dir}/synth.proto 1000
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/gen/gen_schema.py
    COMMENT "Synthetic schema of 1000 messages" VERBATIM)
  p2f_generate(OUT_VAR synth_sources PROTO_ROOT ${gen_dir} OUT_DIR ${gen_dir} PROTOS synth.proto)
  get_property(options_proto_dir GLOBAL PROPERTY P2F_OPTIONS_PROTO_DIR)
  foreach(req synth social)
    if(req STREQUAL "synth")
      set(root ${gen_dir})
    else()
      set(root ${PROJECT_SOURCE_DIR}/examples/social)
    endif()
    add_custom_command(OUTPUT ${gen_dir}/${req}.req
      COMMAND ${CMAKE_COMMAND} -E make_directory ${gen_dir}
      COMMAND ${CMAKE_COMMAND} -E env P2F_DUMP_REQUEST=${gen_dir}/${req}.req
              ${P2F_PROTOC} --plugin=protoc-gen-dump=${dump} -I${root} -I${options_proto_dir}
              --dump_out=${gen_dir} ${req}.proto
      WORKING_DIRECTORY ${root}
      DEPENDS ${root}/${req}.proto ${dump}
      COMMENT "CodeGeneratorRequest for ${req}.proto" VERBATIM)
  endforeach()
  add_custom_target(gen_bench_inputs DEPENDS ${gen_dir}/synth.req ${gen_dir}/social.req ${synth_sources}
                                             ${bench_social_sources})
  add_executable(gen_bench gen_bench.c)
  target_link_libraries(gen_bench PRIVATE bench_util)
  if(NOT P2F_PROTOC_GEN_C)
    set(P2F_PROTOC_GEN_C "")
  endif()
  target_compile_definitions(gen_bench PRIVATE
    P2F_GEN_PLUGIN="$<TARGET_FILE:protoc-gen-c-ffi>" P2F_GEN_PEER_PLUGIN="${P2F_PROTOC_GEN_C}"
    P2F_GEN_SOCIAL_REQ="${gen_dir}/social.req" P2F_GEN_SYNTH_REQ="${gen_dir}/synth.req"
    P2F_GEN_SOCIAL_C="${CMAKE_CURRENT_BINARY_DIR}/generated/social.ffi.c" P2F_GEN_SYNTH_C="${gen_dir}/synth.ffi.c"
    P2F_GEN_CC="${CMAKE_C_COMPILER}" P2F_GEN_RUNTIME_INCLUDE="${PROJECT_SOURCE_DIR}/runtime/include")
  add_dependencies(gen_bench gen_bench_inputs protoc-gen-c-ffi)
  p2f_strict_warnings(gen_bench)
endif()

# ---- the runner ------------------------------------------------------------------------------
# Every category program takes [--quick] --json FILE --markdown FILE. codec_bench joins the
# suite when it is a target (it is defined in bench/CMakeLists.txt before this file).
set(P2F_BENCH_SUITE pool_bench mem_bench ffi_bench access_bench batch_bench kernel_bench)
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

# ---- tests -------------------------------------------------------------------------------------
# bench.suite.smoke runs the whole suite with --quick (seconds) and checks its output; the
# other tests reuse that output (a ctest fixture) and show that the checks can fail.
find_program(P2F_CHROMIUM NAMES chromium chromium-browser)
if(P2F_BUILD_TESTS AND P2F_PYTHON3)
  set(smoke ${CMAKE_CURRENT_BINARY_DIR}/smoke)
  string(REPLACE ";" " " p2f_bench_suite_words "${P2F_BENCH_SUITE}")
  add_test(NAME bench.suite.smoke
    COMMAND bash -c "\"$1\" \"$2/run.py\" --quick --out \"$3\" \"\${@:4}\" && \"$1\" \"$2/check_results.py\" \"$3\" ${p2f_bench_suite_words}"
            _ ${P2F_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR} ${smoke} ${p2f_bench_program_args})
  set_tests_properties(bench.suite.smoke PROPERTIES LABELS bench FIXTURES_SETUP p2f_bench_results TIMEOUT 300)
  add_test(NAME bench.suite.check_selftest
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/selftest_reports.sh results ${P2F_PYTHON3} ${smoke}
            ${CMAKE_CURRENT_BINARY_DIR}/selftest_results)
  set_tests_properties(bench.suite.check_selftest PROPERTIES LABELS bench FIXTURES_REQUIRED p2f_bench_results)
  if(P2F_CHROMIUM)
    # The report in a real browser; the screenshot is left in build/bench/report.png.
    add_test(NAME bench.report.browser
      COMMAND ${P2F_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/browser_check.py ${P2F_CHROMIUM} ${smoke}/report.html
              ${smoke}/benchmarks.json ${CMAKE_CURRENT_BINARY_DIR}/report.png)
    add_test(NAME bench.report.browser_selftest
      COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/selftest_reports.sh browser ${P2F_PYTHON3} ${smoke}
              ${CMAKE_CURRENT_BINARY_DIR}/selftest_browser ${P2F_CHROMIUM})
    set_tests_properties(bench.report.browser bench.report.browser_selftest PROPERTIES
      LABELS bench FIXTURES_REQUIRED p2f_bench_results TIMEOUT 300 RUN_SERIAL TRUE)
  else()
    message(STATUS "chromium not found: the report's browser test is not registered (apt-get install chromium)")
  endif()
endif()
