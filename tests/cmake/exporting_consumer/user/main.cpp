// iaf's headers reach the user through host::host's public link to iaf::iaf.
#include <cstdio>
#include <cstring>
#include <host.hpp>
#include <iaf/version.hpp>

int main() {
    if (std::strcmp(host::iaf_version(), iaf::version_string) != 0) {
        std::printf("host built with iaf %s, user sees iaf %s\n", host::iaf_version(), iaf::version_string);
        return 1;
    }
    std::printf("exporting consumer: host and its user see iaf %s\n", iaf::version_string);
}
