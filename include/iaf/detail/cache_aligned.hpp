#pragma once
/// \file
/// An allocator that starts every array on a cache line (64 bytes). A population's common pass
/// loads and stores whole registers of V and refractory counts from the start of each block; at
/// malloc's 16-byte alignment (large blocks: a page plus 16) each 64-byte register of AVX-512
/// straddles two lines, and a straddling store costs about two.

#include <cstddef>
#include <new>
#include <vector>

namespace iaf::detail {

inline constexpr std::size_t cache_line = 64;

template <typename T>
struct cache_aligned_allocator {
    using value_type = T;

    cache_aligned_allocator() noexcept = default;
    template <typename U>
    cache_aligned_allocator(const cache_aligned_allocator<U>& /*other*/) noexcept {}  // NOLINT(google-explicit-constructor): rebinding

    [[nodiscard]] T* allocate(std::size_t n) {
        return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{cache_line}));
    }
    void deallocate(T* p, std::size_t /*n*/) noexcept { ::operator delete(p, std::align_val_t{cache_line}); }

    template <typename U>
    bool operator==(const cache_aligned_allocator<U>& /*other*/) const noexcept {
        return true;
    }
};

/// A std::vector whose data starts on a cache line.
template <typename T>
using cache_aligned_vector = std::vector<T, cache_aligned_allocator<T>>;

}  // namespace iaf::detail
