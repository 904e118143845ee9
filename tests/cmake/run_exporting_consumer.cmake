# Builds tests/cmake/exporting_consumer (a host library embedding iaf with add_subdirectory and
# exporting its own target linking iaf::iaf), installs it to a prefix inside WORK_DIR, checks that
# the default install leaves iaf out and that component iaf adds it, then builds and runs a user
# of the installed host through find_package(host). Run with cmake -P; every step must succeed.
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed: ${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

# Configuring is the step that failed before: "requires target "iaf" that is not in any export set".
run(${CMAKE_COMMAND} -S "${CONSUMER_DIR}" -B "${WORK_DIR}/host" -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DCMAKE_BUILD_TYPE=Release -DIAF_SOURCE_DIR=${IAF_SOURCE_DIR} -DCMAKE_INSTALL_PREFIX=${prefix})
run(${CMAKE_COMMAND} --build "${WORK_DIR}/host")

# A plain install is the host's alone: a subproject iaf must not put its files into the prefix.
run(${CMAKE_COMMAND} --install "${WORK_DIR}/host")
if(NOT EXISTS "${prefix}/include/host.hpp")
  message(FATAL_ERROR "the host's install did not put host.hpp under the prefix")
endif()
file(GLOB_RECURSE iaf_files RELATIVE "${prefix}" "${prefix}/*")
list(FILTER iaf_files INCLUDE REGEX "iaf")
if(iaf_files)
  message(FATAL_ERROR "the host's default install also installed iaf: ${iaf_files}")
endif()

# Shipping iaf with the host is one explicit step.
run(${CMAKE_COMMAND} --install "${WORK_DIR}/host" --component iaf)
if(NOT EXISTS "${prefix}/include/iaf/iaf.hpp")
  message(FATAL_ERROR "component iaf did not put iaf/iaf.hpp under the prefix")
endif()

run(${CMAKE_COMMAND} -S "${CONSUMER_DIR}/user" -B "${WORK_DIR}/user" -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} --build "${WORK_DIR}/user")
run("${WORK_DIR}/user/user")
message("${last_output}")
