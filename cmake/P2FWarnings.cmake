# Warning flags. proto2ffi's own code: -Wall -Wextra -Wpedantic -Wconversion (and -Werror
# with P2F_WERROR). Generated code is held to -Wall -Wextra -Wpedantic -Werror by the compile
# tests, without -Wconversion, which users may add on their side.
function(p2f_strict_warnings target)
  if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion
                                             -Wshadow -Wstrict-prototypes -Wmissing-prototypes)
    if(P2F_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  elseif(MSVC)
    target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${P2F_WERROR}>:/WX>)
  endif()
endfunction()
