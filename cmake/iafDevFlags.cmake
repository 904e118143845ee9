# Flags for iaf's own tests, examples and benchmarks: the private target iaf_dev. Consumers of
# iaf::iaf never see them.
option(IAF_WARNINGS_AS_ERRORS "Treat warnings as errors in iaf's own targets" OFF)
option(IAF_SANITIZE "Build iaf's own targets with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
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
    # float-cast-overflow: a double out of an integer's range converted to it (a step count, a
    # bin index) is undefined behaviour that `undefined` alone does not catch in Clang.
    target_compile_options(iaf_dev INTERFACE -fsanitize=address,undefined,float-cast-overflow
                                             -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(iaf_dev INTERFACE -fsanitize=address,undefined,float-cast-overflow
                                          -fno-sanitize-recover=all)
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
