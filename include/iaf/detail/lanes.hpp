#pragma once
/// \file
/// SIMD lanes for a population's common step, as wide as the target's vector registers: the
/// model's arithmetic runs on fixed-size Eigen arrays (`array`), the per-lane bookkeeping
/// (countdowns, masks, selections), which Eigen does not vectorise, on GCC/Clang vector
/// extensions of the same width. Both are plain registers once inlined: converting between them
/// is a copy the compiler removes.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <Eigen/Core>

namespace iaf::detail {

/// Bytes in one vector register of the target: 64 with AVX-512, 32 with AVX, else 16 (SSE2,
/// NEON; narrower targets split the vectors into what they have).
inline constexpr std::size_t native_vector_bytes =
#if defined(__AVX512F__)
    64;
#elif defined(__AVX__)
    32;
#else
    16;
#endif

/// N values of T as one GCC/Clang vector.
template <typename T, std::size_t N>
struct vector_of {
    typedef T type __attribute__((vector_size(N * sizeof(T))));  // NOLINT(modernize-use-using): attribute on a typedef
};

/// x converted to T: a number by static_cast, a GCC/Clang vector lane by lane (into a vector of
/// T as long), so that code written once over a number or lanes can change precision.
template <typename T, typename X>
[[nodiscard]] auto convert_lanes(const X& x) noexcept {
    if constexpr (std::is_arithmetic_v<X>) {
        return static_cast<T>(x);
    } else {
        using to = typename vector_of<T, sizeof(X) / sizeof(x[0])>::type;
        return __builtin_convertvector(x, to);
    }
}

/// c in every lane of X, a GCC/Clang vector or a number (c != -0, which comes back +0).
template <typename X, typename T>
[[nodiscard]] X splat(T c) noexcept {
    return X{} + c;
}

/// One register of S: `width` lanes; `value` holds S, `mask` the result of comparing values
/// (all bits set where true), `count` 32-bit counters, `code` one byte per lane.
template <typename S>
struct lanes {
    static_assert(std::is_floating_point_v<S>);
    static constexpr std::size_t width = native_vector_bytes / sizeof(S);
    using value = typename vector_of<S, width>::type;
    using mask = typename vector_of<std::conditional_t<sizeof(S) == 8, std::int64_t, std::int32_t>, width>::type;
    using count = typename vector_of<std::int32_t, width>::type;
    using code = typename vector_of<std::int8_t, width>::type;
    using array = Eigen::Array<S, static_cast<int>(width), 1>;

    template <typename V, typename T>
    [[nodiscard]] static V load(const T* from) noexcept {
        V v;
        std::memcpy(&v, from, sizeof v);
        return v;
    }
    template <typename T, typename V>
    static void store(T* to, const V& v) noexcept {
        std::memcpy(to, &v, sizeof v);
    }
    [[nodiscard]] static array to_array(const value& v) noexcept {
        array a;
        std::memcpy(a.data(), &v, sizeof v);
        return a;
    }
    [[nodiscard]] static value from_array(const array& a) noexcept {
        value v;
        std::memcpy(&v, a.data(), sizeof v);
        return v;
    }
};

}  // namespace iaf::detail
