#pragma once
/// \file
/// Numbers for the recorders' CSV output: exact, and the same in every locale.

#include <array>
#include <charconv>
#include <cstddef>
#include <ostream>

namespace iaf::detail {

/// Writes `x` as the shortest decimal that reads back as the same double (std::to_chars): as
/// lossless as max_digits10 significant digits, shorter, and independent of the stream's
/// precision and locale (a locale with a decimal comma would otherwise break the columns).
inline void write_csv_number(std::ostream& os, double x) {
    std::array<char, 32> text{};  // the longest shortest form, e.g. -2.2250738585072014e-308, has 24
    const auto end = std::to_chars(text.data(), text.data() + text.size(), x).ptr;
    os.write(text.data(), end - text.data());
}

/// Writes `n` in decimal, free of the stream's locale (no digit grouping).
inline void write_csv_number(std::ostream& os, std::size_t n) {
    std::array<char, 24> text{};
    const auto end = std::to_chars(text.data(), text.data() + text.size(), n).ptr;
    os.write(text.data(), end - text.data());
}

}  // namespace iaf::detail
