# The API reference (IAF_BUILD_DOCS=ON): target docs runs Doxygen over include/iaf/ with
# docs/Doxyfile.in and writes build/<preset>/docs/html/index.html. Any Doxygen warning (an
# undocumented public entity, a malformed comment) fails the target.
find_package(Doxygen REQUIRED)
set(IAF_DOCS_OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/docs)
configure_file(${PROJECT_SOURCE_DIR}/docs/Doxyfile.in ${IAF_DOCS_OUTPUT}/Doxyfile @ONLY)
file(GLOB_RECURSE _iaf_public_headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/iaf/*.hpp)
add_custom_command(OUTPUT ${IAF_DOCS_OUTPUT}/html/index.html
                   COMMAND ${CMAKE_COMMAND} -E rm -rf ${IAF_DOCS_OUTPUT}/html
                   COMMAND Doxygen::doxygen ${IAF_DOCS_OUTPUT}/Doxyfile
                   DEPENDS ${_iaf_public_headers} ${IAF_DOCS_OUTPUT}/Doxyfile ${PROJECT_SOURCE_DIR}/docs/api_main.md
                   WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                   COMMENT "iaf: API reference (Doxygen; warnings are errors)" VERBATIM)
add_custom_target(docs ALL DEPENDS ${IAF_DOCS_OUTPUT}/html/index.html)
