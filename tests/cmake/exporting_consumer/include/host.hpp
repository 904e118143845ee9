#pragma once

namespace host {
/// The iaf version the host library was compiled against.
const char* iaf_version();
}  // namespace host
