# Builds and runs tests/cmake/consumer against iaf, in MODE find_package (after installing iaf to
# a prefix inside WORK_DIR) or add_subdirectory. Run with cmake -P; every step must succeed.
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed: ${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

set(consumer_args -S "${CONSUMER_DIR}" -B "${WORK_DIR}/consumer" -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
                  -DCMAKE_BUILD_TYPE=Release)
if(MODE STREQUAL "find_package")
  # Configure iaf alone (no tests, examples or benchmarks) and install it.
  run(${CMAKE_COMMAND} -S "${IAF_SOURCE_DIR}" -B "${WORK_DIR}/iaf" -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
      -DIAF_BUILD_TESTS=OFF -DIAF_BUILD_EXAMPLES=OFF -DIAF_BUILD_BENCHMARKS=OFF -DIAF_INSTALL=ON
      -DCMAKE_INSTALL_PREFIX=${WORK_DIR}/prefix)
  run(${CMAKE_COMMAND} --install "${WORK_DIR}/iaf")
  if(NOT EXISTS "${WORK_DIR}/prefix/include/iaf/iaf.hpp")
    message(FATAL_ERROR "install did not put iaf/iaf.hpp under the prefix")
  endif()
  run(${CMAKE_COMMAND} ${consumer_args} -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DIAF_CONSUMER_MODE=find_package)
else()
  run(${CMAKE_COMMAND} ${consumer_args} -DIAF_CONSUMER_MODE=add_subdirectory -DIAF_SOURCE_DIR=${IAF_SOURCE_DIR})
endif()
run(${CMAKE_COMMAND} --build "${WORK_DIR}/consumer")
run("${WORK_DIR}/consumer/consumer")
message("${last_output}")
