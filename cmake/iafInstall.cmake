# Install rules and the CMake package: find_package(iaf CONFIG REQUIRED) then iaf::iaf.
include(CMakePackageConfigHelpers)

set(IAF_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/iaf" CACHE STRING
    "Where iafConfig.cmake is installed, relative to the prefix")

install(TARGETS iaf EXPORT iafTargets)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/iaf" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/iaf")
install(EXPORT iafTargets NAMESPACE iaf:: DESTINATION "${IAF_INSTALL_CMAKEDIR}")

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/iafConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/iafConfig.cmake" INSTALL_DESTINATION "${IAF_INSTALL_CMAKEDIR}")
# Header-only: any architecture may use it.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/iafConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/iafConfig.cmake" "${PROJECT_BINARY_DIR}/iafConfigVersion.cmake"
        DESTINATION "${IAF_INSTALL_CMAKEDIR}")
