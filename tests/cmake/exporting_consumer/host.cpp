// Kept to <iaf/version.hpp>: this test is about the CMake plumbing, not the library's API.
#include <host.hpp>
#include <iaf/version.hpp>

const char* host::iaf_version() { return iaf::version_string; }
