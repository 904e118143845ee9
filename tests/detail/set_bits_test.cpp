// detail::for_each_set_bit: every set bit once, in increasing order, against a bit-by-bit
// enumeration, for sparse, dense, empty and full words.

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/detail/set_bits.hpp>

namespace {

using visits = std::vector<std::pair<std::size_t, std::size_t>>;

template <std::size_t Words>
visits visited(const std::array<std::uint64_t, Words>& words) {
    visits v;
    iaf::detail::for_each_set_bit(std::span<const std::uint64_t, Words>{words},
                                  [&](std::size_t w, std::size_t b) { v.emplace_back(w, b); });
    return v;
}

template <std::size_t Words>
visits bit_by_bit(const std::array<std::uint64_t, Words>& words) {
    visits v;
    for (std::size_t w = 0; w < Words; ++w)
        for (std::size_t b = 0; b < 64; ++b)
            if ((words[w] >> b) & 1U) v.emplace_back(w, b);
    return v;
}

/// Words whose bits are set with probability p each.
template <std::size_t Words>
std::array<std::uint64_t, Words> random_words(double p, std::mt19937_64& rng) {
    std::bernoulli_distribution set{p};
    std::array<std::uint64_t, Words> words{};
    for (auto& w : words)
        for (std::size_t b = 0; b < 64; ++b)
            if (set(rng)) w |= std::uint64_t{1} << b;
    return words;
}

template <std::size_t Words>
void check_densities() {
    std::mt19937_64 rng{Words};
    for (const double p : {0.001, 0.01, 0.1, 0.5, 0.99}) {
        for (int trial = 0; trial < 50; ++trial) {
            const auto words = random_words<Words>(p, rng);
            CHECK(visited(words) == bit_by_bit(words));
        }
    }
}

}  // namespace

TEST_CASE("for_each_set_bit visits every set bit once, in order") {
    check_densities<1>();
    check_densities<5>();
    check_densities<16>();
    check_densities<32>();
}

TEST_CASE("for_each_set_bit: no bits, all bits, the first and the last") {
    CHECK(visited(std::array<std::uint64_t, 16>{}).empty());
    std::array<std::uint64_t, 16> full;
    full.fill(~std::uint64_t{0});
    const auto all = visited(full);
    REQUIRE(all.size() == 16 * 64);
    for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i] == std::pair{i / 64, i % 64});
    std::array<std::uint64_t, 16> ends{};
    ends[0] = 1;
    ends[15] = std::uint64_t{1} << 63;
    CHECK(visited(ends) == visits{{0, 0}, {15, 63}});
}
