# Install rules and the CMake package: find_package(iaf CONFIG REQUIRED) then iaf::iaf.
#
# Declared always, as install component `iaf`. A host that adds iaf with add_subdirectory and
# install(EXPORT)s a target of its own linking iaf::iaf makes CMake require, at generate time, that
# the iaf target be in an export set installed by install(EXPORT) ("requires target "iaf" that is
# not in any export set"); a declared export set alone, or export(EXPORT) to the build tree, does
# not satisfy it. IAF_INSTALL (default: iaf is the top-level project) only decides whether a plain
# `cmake --install` installs the component; otherwise a subproject puts nothing into the host's
# prefix unless asked with `cmake --install <build> --component iaf`.
include(CMakePackageConfigHelpers)

set(IAF_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/iaf" CACHE STRING
    "Where iafConfig.cmake is installed, relative to the prefix")

set(iaf_install_component COMPONENT iaf)
if(NOT IAF_INSTALL)
  list(APPEND iaf_install_component EXCLUDE_FROM_ALL)
endif()

install(TARGETS iaf EXPORT iafTargets ${iaf_install_component})
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/iaf" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        ${iaf_install_component})
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/iaf"
        ${iaf_install_component})
install(EXPORT iafTargets NAMESPACE iaf:: DESTINATION "${IAF_INSTALL_CMAKEDIR}" ${iaf_install_component})

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/iafConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/iafConfig.cmake" INSTALL_DESTINATION "${IAF_INSTALL_CMAKEDIR}")
# Header-only: any architecture may use it.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/iafConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/iafConfig.cmake" "${PROJECT_BINARY_DIR}/iafConfigVersion.cmake"
        DESTINATION "${IAF_INSTALL_CMAKEDIR}" ${iaf_install_component})
