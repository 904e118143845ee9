# Flags for iaf's own tests, examples and benchmarks: the private target iaf_dev. Consumers of
# iaf::iaf never see them.
option(IAF_WARNINGS_AS_ERRORS "Treat warnings as errors in iaf's own targets" OFF)
set(IAF_SANITIZE OFF CACHE STRING
    "Sanitizers for iaf's own targets: OFF, ON (AddressSanitizer + UndefinedBehaviorSanitizer) or undefined (UBSan only)")
set_property(CACHE IAF_SANITIZE PROPERTY STRINGS OFF ON undefined)
option(IAF_SANITIZE_THREAD "Build iaf's own targets with ThreadSanitizer (not with IAF_SANITIZE)" OFF)
option(IAF_NATIVE "Optimise iaf's own targets for this machine (-march=native), for benchmarks" OFF)
option(IAF_TEST_NATIVE_NOISE "Also build the exact-bit noise tests with -march=native (noise_native_test)" OFF)

add_library(iaf_dev INTERFACE)
target_link_libraries(iaf_dev INTERFACE iaf::iaf)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  # -Wconversion and -Wdouble-promotion: an implicit narrowing or float -> double promotion in a
  # template over the value type (double, float, SIMD lanes) is usually a bug there.
  target_compile_options(iaf_dev INTERFACE -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Wdouble-promotion)
  if(IAF_WARNINGS_AS_ERRORS)
    target_compile_options(iaf_dev INTERFACE -Werror)
  endif()
  if(IAF_SANITIZE)
    if(NOT IAF_SANITIZE MATCHES "^(ON|undefined)$")
      message(FATAL_ERROR "iaf: IAF_SANITIZE is '${IAF_SANITIZE}'; it must be OFF, ON or undefined")
    endif()
    # float-cast-overflow: a double out of an integer's range converted to it (a step count, a
    # bin index) is undefined behaviour that `undefined` alone does not catch in Clang.
    # A target with the property IAF_NO_UBSAN compiles without UBSan (see tests/CMakeLists.txt:
    # GCC's UBSan at -O2 quadruples one test's compile time); it still links the runtime, which
    # the other objects need.
    set(_iaf_ubsan -fsanitize=undefined -fsanitize=float-cast-overflow)
    set(_iaf_asan)
    if(IAF_SANITIZE STREQUAL "ON")
      set(_iaf_asan -fsanitize=address)
    endif()
    target_compile_options(iaf_dev INTERFACE ${_iaf_asan}
                                             "$<$<NOT:$<BOOL:$<TARGET_PROPERTY:IAF_NO_UBSAN>>>:${_iaf_ubsan}>"
                                             -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(iaf_dev INTERFACE ${_iaf_asan} ${_iaf_ubsan} -fno-sanitize-recover=all)
  endif()
  if(IAF_SANITIZE_THREAD)
    # ASan and TSan cannot share a process.
    if(IAF_SANITIZE)
      message(FATAL_ERROR "iaf: IAF_SANITIZE_THREAD and IAF_SANITIZE cannot both be ON")
    endif()
    target_compile_options(iaf_dev INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
    target_link_options(iaf_dev INTERFACE -fsanitize=thread)
  endif()
  if(IAF_NATIVE)
    target_compile_options(iaf_dev INTERFACE -march=native)
  endif()
endif()
