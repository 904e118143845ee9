# Flags for iaf's own tests, examples and benchmarks: the private target iaf_dev. Consumers of
# iaf::iaf never see them.
option(IAF_WARNINGS_AS_ERRORS "Treat warnings as errors in iaf's own targets" OFF)
option(IAF_SANITIZE "Build iaf's own targets with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(IAF_NATIVE "Optimise iaf's own targets for this machine (-march=native), for benchmarks" OFF)

add_library(iaf_dev INTERFACE)
target_link_libraries(iaf_dev INTERFACE iaf::iaf)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(iaf_dev INTERFACE -Wall -Wextra -Wpedantic -Wshadow)
  if(IAF_WARNINGS_AS_ERRORS)
    target_compile_options(iaf_dev INTERFACE -Werror)
  endif()
  if(IAF_SANITIZE)
    target_compile_options(iaf_dev INTERFACE -fsanitize=address,undefined -fno-sanitize-recover=all
                                             -fno-omit-frame-pointer)
    target_link_options(iaf_dev INTERFACE -fsanitize=address,undefined -fno-sanitize-recover=all)
  endif()
  if(IAF_NATIVE)
    target_compile_options(iaf_dev INTERFACE -march=native)
  endif()
endif()
