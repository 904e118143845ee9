// The noise is the same bits on every platform: digests of long runs against the independent
// Python reference (tests/currents/reference/portable_digests.py, no fused multiply-add). This
// file is built twice, portable (noise_test) and with -march=native (noise_native_test), where
// the compiler may contract a * b + c into FMA instructions unless counter_rng.hpp prevents it.
#include <bit>
#include <cstdint>

#include <doctest/doctest.h>
#include <iaf/currents/ornstein_uhlenbeck.hpp>
#include <iaf/detail/counter_rng.hpp>

namespace {

// FNV-1a (64-bit) over the little-endian bytes of each value's bit pattern, as in the reference.
class fnv1a {
public:
    void add(double x) {
        const auto bits = std::bit_cast<std::uint64_t>(x);
        for (int byte = 0; byte < 8; ++byte) {
            hash_ ^= (bits >> (8 * byte)) & 0xffU;
            hash_ *= 0x100000001b3ULL;
        }
    }
    [[nodiscard]] std::uint64_t value() const { return hash_; }

private:
    std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace

TEST_CASE("portable noise: 1000 normals, 1000 expm1 values and a 4001-bin OU path have the reference's bits") {
    fnv1a normals, expm1, path;
    for (std::uint64_t k = 0; k < 1000; ++k) normals.add(iaf::detail::counter_normal(42, k));
    for (int k = 0; k < 1000; ++k) expm1.add(iaf::detail::portable_expm1(-static_cast<double>(k) / 128.0));
    const iaf::ornstein_uhlenbeck ou{.mean = 1, .sigma = 0.5, .tau = 4, .dt = 0.25, .duration = 1000, .seed = 12345};
    for (int n = 0; n <= 4000; ++n) path.add(ou(0.25 * n + 0.1));
    CHECK(normals.value() == 0x5740a3c6f90e0f33ULL);
    CHECK(expm1.value() == 0x22c3e860357eafeaULL);
    CHECK(path.value() == 0x2388354bc49cdf85ULL);
}
