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
/// The words that hold bits are packed first; the loop then keeps the current word in a register
/// and takes the next packed word without a branch, loaded one iteration ahead. From one bit to
/// the next it waits for a clear-lowest-bit, a test and a select (about 5 cycles a bit where
/// nearly every word holds one bit), where reading and writing the word back through memory
/// each time took about 14.
template <std::size_t Words, typename Visit>
    requires(Words <= 32)
[[gnu::always_inline]] inline void for_each_set_bit(std::span<const std::uint64_t, Words> words, Visit&& visit) {
    // Scratch, written before read: the packed words, their indices, and a zero past the last.
    std::array<std::uint64_t, Words + 2> bits;    // NOLINT(cppcoreguidelines-pro-type-member-init)
    std::array<std::uint32_t, Words + 1> index;   // NOLINT(cppcoreguidelines-pro-type-member-init)
    std::size_t held = 0;
    int count = 0;
    for (std::size_t w = 0; w < Words; ++w) {
        bits[held] = words[w];
        index[held] = static_cast<std::uint32_t>(w);
        held += static_cast<std::size_t>(words[w] != 0);
        count += std::popcount(words[w]);
    }
    bits[held] = 0;
    bits[held + 1] = 0;
    std::size_t i = 0;  // the packed word being visited
    std::uint64_t word = bits[0];
    for (; count > 0; --count) {
        const std::uint64_t following = bits[i + 1];  // loaded before it is known to be needed
        const std::size_t w = index[i];
        const auto b = static_cast<std::size_t>(std::countr_zero(word));
        word &= word - 1;
        const auto done = static_cast<std::uint64_t>(word == 0);
        i += done;
        word |= following & (0 - done);  // the next word when this one is done
        visit(w, b);
    }
}

}  // namespace iaf::detail
