# Defines the explorer target (examples/explorer.cpp) once. Included by examples/CMakeLists.txt
# and by tests/examples/CMakeLists.txt, so that the explorer's tests can run even when the
# examples are not built (IAF_BUILD_EXAMPLES=OFF). The binary always lands in
# <build>/examples/explorer.
if(NOT TARGET explorer)
  find_package(CLI11 CONFIG QUIET)
  if(CLI11_FOUND)
    include(${PROJECT_SOURCE_DIR}/cmake/iafPlotting.cmake)
    add_executable(explorer ${CMAKE_CURRENT_LIST_DIR}/explorer.cpp ${CMAKE_CURRENT_LIST_DIR}/explorer_current.hpp
                            ${CMAKE_CURRENT_LIST_DIR}/explorer_options.hpp ${CMAKE_CURRENT_LIST_DIR}/explorer_stream.hpp)
    target_link_libraries(explorer PRIVATE iaf_dev CLI11::CLI11)
    # --png runs the same plotting script as the demo, with the Python found at configure time.
    target_compile_definitions(explorer PRIVATE
      IAF_PLOT_PYTHON="${IAF_PLOT_PYTHON}"
      IAF_PLOT_SCRIPT="${CMAKE_CURRENT_LIST_DIR}/plots/plot_trace.py")
    set_target_properties(explorer PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/examples)
  else()
    message(STATUS "iaf: CLI11 not found; the explorer example is not built (bash cmake/install-deps.sh)")
  endif()
endif()
