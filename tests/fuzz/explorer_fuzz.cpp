// libFuzzer entry point for the explorer's fuzz target (explorer_fuzz_target.hpp says what it
// checks). Built with clang++ -fsanitize=fuzzer,address,undefined by the `fuzz` preset.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "explorer_fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    explorer_fuzz::test_one_input(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
