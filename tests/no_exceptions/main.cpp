// doctest's main for the -fno-exceptions test: compiled without exceptions too, so that doctest
// and iaf agree on the configuration in every translation unit of the executable.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
