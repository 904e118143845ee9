#pragma once
/// \file
/// Visiting the set bits of a few words in one counted loop: a population's step walks the
/// neurons that fired or left its common pass this way (about one in a hundred, as good as
/// random). A loop per word pays a mispredicted branch for each word that holds any and for each
/// that does not but looked as if it would; one loop over their count pays one, at its end.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>

namespace iaf::detail {

/// Calls visit(w, b) for every set bit b of words[w], in increasing order of 64 w + b.
/// Inlined: the caller's loop state (a queue's counts, its pointers) then stays in registers.
template <std::size_t Words, typename Visit>
    requires(Words <= 32)
[[gnu::always_inline]] inline void for_each_set_bit(std::span<const std::uint64_t, Words> words, Visit&& visit) {
    std::array<std::uint64_t, Words> left;  // NOLINT(cppcoreguidelines-pro-type-member-init): written next
    std::uint32_t words_left = 0;           // bit w: left[w] still holds set bits
    int count = 0;
    for (std::size_t w = 0; w < Words; ++w) {
        left[w] = words[w];
        words_left |= static_cast<std::uint32_t>(words[w] != 0) << w;
        count += std::popcount(words[w]);
    }
    for (; count > 0; --count) {
        // (words_left is not 0 while bits are left; the modulo tells the compiler.)
        const auto w = static_cast<std::size_t>(std::countr_zero(words_left)) % Words;
        const std::uint64_t bits = left[w];
        left[w] = bits & (bits - 1);
        words_left &= ~(static_cast<std::uint32_t>(left[w] == 0) << w);
        visit(w, static_cast<std::size_t>(std::countr_zero(bits)));
    }
}

}  // namespace iaf::detail
