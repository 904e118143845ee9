#pragma once
/// \file
/// Library version, kept in sync with project(VERSION) in CMakeLists.txt.

/// Major version: changes that break the API.
#define IAF_VERSION_MAJOR 0
/// Minor version: additions that keep the API.
#define IAF_VERSION_MINOR 1
/// Patch version: fixes only.
#define IAF_VERSION_PATCH 0

namespace iaf {
/// Version of the headers, as "major.minor.patch".
inline constexpr const char* version_string = "0.1.0";
}  // namespace iaf
