// Known answers for the counter-based generator and the two noise currents, printed by the
// independent Python reference tests/currents/reference/noise_reference.py (the same algorithm,
// written from the headers' descriptions, in Python's IEEE-754 doubles and masked 64-bit integers).
// Raw words must match exactly; the floating values are built from +, -, *, /, sqrt and exact bit
// operations in a fixed order, and counter_rng.hpp keeps the compiler from contracting them into
// FMA, so they match to the last bit too, also in the -march=native build (noise_native_test).
#include <array>
#include <cstdint>

#include <doctest/doctest.h>
#include <iaf/currents.hpp>
#include <iaf/detail/counter_rng.hpp>

#include "../support/tolerance.hpp"

namespace rng = iaf::detail;

namespace {

struct word_case {
    std::uint64_t in, out;
};
struct hash_case {
    std::uint64_t key, counter, out;
};
struct normal_case {
    std::uint64_t key, counter;
    double z;
};
struct timed_value {
    double t, value;
};

// Every value below matches bit for bit, with GCC and Clang, with and without -march=native.
constexpr double last_bits = 0.0;

// A current's values at the reference times, each to the last bits.
template <typename Current, std::size_t N>
void check_values(const Current& current, const std::array<timed_value, N>& expected) {
    for (const auto& e : expected) {
        CAPTURE(e.t);
        CHECK_REL(current(e.t), e.value, last_bits);
    }
}

}  // namespace

TEST_CASE("known answers: splitmix64_mix and counter_hash give the reference words exactly") {
    constexpr std::array<word_case, 6> mixes{{
        {0x0000000000000000ULL, 0x0000000000000000ULL},
        {0x0000000000000001ULL, 0x5692161d100b05e5ULL},
        {0x0000000000000002ULL, 0xdbd238973a2b148aULL},
        {0x9e3779b97f4a7c15ULL, 0xe220a8397b1dcdafULL},
        {0xffffffffffffffffULL, 0xb4d055fcf2cbbd7bULL},
        {0x00000000075bcd15ULL, 0xf21c87d4233ffd60ULL},
    }};
    for (const auto& c : mixes) {
        CAPTURE(c.in);
        CHECK(rng::splitmix64_mix(c.in) == c.out);
    }
    constexpr std::array<hash_case, 6> hashes{{
        {0ULL, 0ULL, 0xe220a8397b1dcdafULL},
        {0ULL, 1ULL, 0x6e789e6aa1b965f4ULL},
        {1ULL, 0ULL, 0xbfef8030ddc2d772ULL},
        {42ULL, 7ULL, 0x272404a0a3926552ULL},
        {2024ULL, 1000000ULL, 0xaaac25c2ad87973bULL},
        {18446744073709551615ULL, 18446744073709551614ULL, 0x37bbcbaf20495954ULL},
    }};
    for (const auto& c : hashes) {
        CAPTURE(c.key);
        CAPTURE(c.counter);
        CHECK(rng::counter_hash(c.key, c.counter) == c.out);
    }
}

TEST_CASE("known answers: counter_normal gives the reference normals to the last bits") {
    constexpr std::array<normal_case, 10> normals{{
        {0ULL, 0ULL, -0.45275774021745796},
        {0ULL, 1ULL, 2.6506058120796689},
        {1ULL, 0ULL, -0.52781190677953571},
        {7ULL, 3ULL, -1.0734585837818513},
        {11ULL, 999ULL, -1.175123656058888},
        {42ULL, 12345ULL, -1.0006750953160337},
        {2024ULL, 0ULL, 1.7979623492166465},
        {2024ULL, 1ULL, 1.6236231653845843},
        {99ULL, 1099511627776ULL, 0.30562796712248169},
        {18446744073709551615ULL, 5ULL, -1.0322781418014368},
    }};
    for (const auto& c : normals) {
        CAPTURE(c.key);
        CAPTURE(c.counter);
        CHECK_REL(rng::counter_normal(c.key, c.counter), c.z, last_bits);
    }
}

TEST_CASE("known answers: white_noise takes the reference values inside its bins") {
    const iaf::white_noise w{.mean = 0.5, .sigma = 0.2, .dt = 0.1, .seed = 7};
    constexpr std::array<timed_value, 6> expected{{
        {0.050000000000000003, 0.26875376912577814},
        {0.15000000000000002, 0.66382193010802615},
        {0.25, 0.17928099082558074},
        {3.75, 0.78909564534304688},
        {100.05, 1.486547261055418},
        {12345.65, 0.19300506306402304},
    }};
    check_values(w, expected);
}

TEST_CASE("known answers: ornstein_uhlenbeck takes the reference path, in both branches of expm1") {
    SUBCASE("dt / tau = 1/16: the Taylor branch of portable_expm1") {
        const iaf::ornstein_uhlenbeck ou{.mean = 1, .sigma = 0.5, .tau = 4, .dt = 0.25, .duration = 100, .seed = 12345};
        constexpr std::array<timed_value, 8> expected{{
            {0.10000000000000001, 0.43063463932101076},
            {0.34999999999999998, 0.6549816696647448},
            {0.59999999999999998, 0.47284670745623358},
            {0.84999999999999998, 0.45447870099863696},
            {2.6000000000000001, 0.81508789028470252},
            {25.100000000000001, 0.56463730419751068},
            {62.600000000000001, 0.47521913963744405},
            {100.09999999999999, 0.91435460037947969},
        }};
        check_values(ou, expected);
    }
    SUBCASE("dt / tau = 2: the range-reduced branch") {
        const iaf::ornstein_uhlenbeck ou{.mean = -0.3, .sigma = 2, .tau = 0.5, .dt = 1, .duration = 20, .seed = 3};
        constexpr std::array<timed_value, 4> expected{{
            {0.5, -1.4730696333515729},
            {1.5, 0.75869051495275364},
            {5.5, 0.21272832104304484},
            {20.5, 2.6069698310969551},
        }};
        check_values(ou, expected);
    }
}
