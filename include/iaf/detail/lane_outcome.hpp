#pragma once
/// \file
/// What a population's common step makes of one register of lanes once the model has stepped
/// them: the new V, the new refractory count, and per lane two flags for the scan that follows
/// (fired at the step's end, under the grid policy; leaves the common step for the neuron's own
/// step). Written once over GCC/Clang vector extensions; with AVX-512 (F, VL, DQ, BW) the
/// same rules again on mask registers, where the 32-bit counts and 64-bit doubles share one mask
/// instead of the counts being widened to 64 bits and narrowed back for every register.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "lanes.hpp"

#if defined(__AVX512F__) && defined(__AVX512VL__) && defined(__AVX512DQ__) && defined(__AVX512BW__)
#include <immintrin.h>
#define IAF_AVX512_LANES 1
#else
#define IAF_AVX512_LANES 0
#endif

namespace iaf::detail {

/// One bit per lane of a pass of the common step (lane j: bit j % 64 of word j / 64): `fired`,
/// fired at the step's end (grid policy: V is kept where it crossed, and reset by the scan);
/// `leaves`, leaves the common step for the neuron's own step; off the grid, where the caller
/// asks for them (`Kinds`), two kinds of those: `ends`, its refractory period ends inside the
/// step, and `crosses`, free and not below the threshold (or not finite) at the step's end.
/// The AVX-512 lanes write the bits straight from
/// their mask registers; the generic lanes write a byte per lane to `codes` (1: fired, 2:
/// leaves, 4: ends, 8: crosses), which `finish` packs into bits.
template <std::size_t Lanes>
struct lane_flags {  // NOLINT(cppcoreguidelines-pro-type-member-init): `codes` is scratch, written before read
    static constexpr std::size_t words = Lanes / 64 + 1;
    alignas(64) std::array<std::uint64_t, words> fired{};
    alignas(64) std::array<std::uint64_t, words> leaves{};
    alignas(64) std::array<std::uint64_t, words> ends{};
    alignas(64) std::array<std::uint64_t, words> crosses{};
    /// Lanes with events in the step, which leave for the neuron's own step (set by the caller).
    alignas(64) std::array<std::uint64_t, words> with_events{};
    alignas(64) std::array<std::int8_t, IAF_AVX512_LANES ? 1 : 64 * words + 8> codes;

    /// No lane flagged (`codes` is scratch).
    void clear() noexcept {
        fired = {};
        leaves = {};
        ends = {};
        crosses = {};
        with_events = {};
    }

    /// Packs the codes of lanes [from, from + n) into bits (generic lanes; the AVX-512 lanes
    /// wrote bits): fired on the grid, leaves, and ends and crosses where `Kinds`; `from` is a
    /// multiple of 8.
    template <bool OnGrid, bool Kinds>
    void finish(std::size_t from, std::size_t n) noexcept {
        if constexpr (!IAF_AVX512_LANES) {
            std::memset(codes.data() + from + n, 0, 8);  // a last group's lanes past n
            constexpr std::uint64_t low_bits = 0x0101010101010101;
            constexpr std::uint64_t gather = 0x0102040810204080;  // byte i's low bit to bit 56 + i
            for (std::size_t g = from; g < from + n; g += 8) {
                std::uint64_t eight;
                std::memcpy(&eight, codes.data() + g, sizeof eight);
                const auto pack = [&](int code_bit) { return ((((eight >> code_bit) & low_bits) * gather) >> 56) << (g % 64); };
                if constexpr (OnGrid) fired[g / 64] |= pack(0);
                leaves[g / 64] |= pack(1);
                if constexpr (Kinds) {
                    ends[g / 64] |= pack(2);
                    crosses[g / 64] |= pack(3);
                }
            }
        }
    }
};

/// The rules, per lane, with `left` the refractory count (0 free, > 0 refractory, 1 in the
/// period's last step, < 0 left to the neuron's own step) and `x` the V before the step:
/// - grid policy: a free lane steps to `whole`, a lane in its period's last step to `last` (the
///   step integrated from where the period ends; `whole` unless SeparateLast); a stepping lane at
///   or above the threshold fires (it keeps V there; the caller resets it) and counts `held`
///   steps;
/// - off the grid: only a free lane that stays below the threshold is common (it takes `whole`);
/// - a lane with a negative count, or (grid) whose new V is not finite, keeps V and count and
///   leaves (the neuron's own step reports the error);
/// - every other refractory lane counts down by one.
///
/// `counts` is a register of the lanes' counts, `flags` a register of per-lane flags; `settle`
/// applies the rules to registers, the rest moves registers to and from memory.
template <typename S, bool OnGrid>
struct lane_outcome {
    using lane = lanes<S>;
    using value = typename lane::value;
    using counts = typename lane::mask;  // counts widened to the lanes of S, so that they select S
    using flags = typename lane::mask;

    struct outcome {
        value v;
        counts left;
        flags fired, leaves;
        flags ends, crosses;  // off the grid (see lane_flags)
    };

    [[nodiscard]] static counts load_counts(const std::int32_t* at) noexcept {
        return __builtin_convertvector(lane::template load<typename lane::count>(at), counts);
    }
    static void store_counts(std::int32_t* at, const counts& left) noexcept {
        lane::store(at, __builtin_convertvector(left, typename lane::count));
    }
    /// Records lanes [j, j + width)'s flags in `to` (j a multiple of the width). The codes carry
    /// the kinds whether or not `Kinds` (finish packs them only where asked).
    template <bool Kinds = false, std::size_t Lanes>
    static void store_flags(lane_flags<Lanes>& to, std::size_t j, const outcome& o) noexcept {
        lane::store(to.codes.data() + j, __builtin_convertvector((o.fired & 1) | (o.leaves & 2) | (o.ends & 4) | (o.crosses & 8),
                                                                 typename lane::code));
    }
    /// The same when no lane leaves (only the fired flags are set).
    template <std::size_t Lanes>
    static void store_fired(lane_flags<Lanes>& to, std::size_t j, const outcome& o) noexcept {
        store_flags(to, j, o);
    }
    [[nodiscard]] static bool any(const flags& f) noexcept {
        bool found = false;
        for (std::size_t l = 0; l < lane::width; ++l) found = found || f[l] != 0;
        return found;
    }
    /// `f ? a : b` per lane.
    [[nodiscard]] static value where(const flags& f, const value& a, const value& b) noexcept { return f ? a : b; }

    /// The grid rules for lanes with no negative count, when an outcome with any lane that
    /// leaves is discarded whole (advance's registers, which then step again one by one): V and
    /// count are then the stepping lanes' own, and `leaves` only marks a non-finite V.
    template <bool SeparateLast>
    [[nodiscard]] static outcome settle_or_discard(const value& x, const counts& left, const value& whole,
                                                   const value& last, S threshold, std::int32_t held) noexcept {
        constexpr S lowest = -std::numeric_limits<S>::max();
        constexpr S highest = std::numeric_limits<S>::max();
        const counts free = left == 0;
        const counts ends = left == 1;
        const value v1 = free ? whole : (ends ? (SeparateLast ? last : whole) : x);
        const flags fires = (free | ends) & (v1 >= threshold);
        const flags finite = (v1 >= lowest) & (v1 <= highest);
        return {v1, fires ? counts{} + held : (free ? counts{} : left - 1), fires, ~finite, flags{}, flags{}};
    }

    template <bool SeparateLast>
    [[nodiscard]] static outcome settle(const value& x, const counts& left, const value& whole, const value& last,
                                        S threshold, std::int32_t held) noexcept {
        constexpr S lowest = -std::numeric_limits<S>::max();
        constexpr S highest = std::numeric_limits<S>::max();
        const counts free = left == 0;
        if constexpr (OnGrid) {
            const counts ends = left == 1;
            const value v1 = free ? whole : (ends ? (SeparateLast ? last : whole) : x);
            const counts stepping = free | ends;
            // A lane that does not step keeps its V, finite by the state's invariant; so a
            // non-finite v1 is a stepping lane's.
            const flags finite = (v1 >= lowest) & (v1 <= highest);
            const flags odd = (left < 0) | ~finite;
            const flags fires = stepping & finite & (v1 >= threshold);
            return {odd ? x : v1, odd ? left : (fires ? counts{} + held : (free ? counts{} : left - 1)), fires, odd, flags{},
                    flags{}};
        } else {
            const flags stays = free & (whole < threshold) & (whole >= lowest);
            const flags ends = left == 1;
            const flags crosses = free & ~stays;
            const flags odd = ends | (left < 0) | crosses;
            return {stays ? whole : x, odd ? left : (free ? counts{} : left - 1), flags{}, odd, ends, crosses};
        }
    }
};

#if IAF_AVX512_LANES
/// The AVX-512 registers of 32-bit counts, for 8 doubles (256 bits) or 16 floats (512 bits).
/// (Named by specialisation: an intrinsic type as a template argument drops its attributes.)
template <bool Double>
struct avx512_counts {
    using type = __m512i;
};
template <>
struct avx512_counts<true> {
    using type = __m256i;
};

/// The intrinsics the rules use, overloaded on the registers of 8 doubles (8 counts in 256 bits,
/// an 8-bit mask) and of 16 floats (16 counts in 512 bits, a 16-bit mask), so that the rules
/// below are written once.
namespace avx512 {
inline __m256i counts_of(std::int32_t n, __m256i /*type*/) noexcept { return _mm256_set1_epi32(n); }
inline __m512i counts_of(std::int32_t n, __m512i /*type*/) noexcept { return _mm512_set1_epi32(n); }
inline __mmask8 equal(__m256i a, __m256i b) noexcept { return _mm256_cmpeq_epi32_mask(a, b); }
inline __mmask16 equal(__m512i a, __m512i b) noexcept { return _mm512_cmpeq_epi32_mask(a, b); }
inline __mmask8 greater(__m256i a, __m256i b) noexcept { return _mm256_cmpgt_epi32_mask(a, b); }
inline __mmask16 greater(__m512i a, __m512i b) noexcept { return _mm512_cmpgt_epi32_mask(a, b); }
/// a <= b as unsigned: for b = 1, 0 <= a <= 1.
inline __mmask8 at_most_unsigned(__m256i a, __m256i b) noexcept { return _mm256_cmple_epu32_mask(a, b); }
inline __mmask16 at_most_unsigned(__m512i a, __m512i b) noexcept { return _mm512_cmple_epu32_mask(a, b); }
inline __mmask8 negative(__m256i a) noexcept { return _mm256_movepi32_mask(a); }
inline __mmask16 negative(__m512i a) noexcept { return _mm512_movepi32_mask(a); }
/// a - b where k, else a.
inline __m256i minus_where(__mmask8 k, __m256i a, __m256i b) noexcept { return _mm256_mask_sub_epi32(a, k, a, b); }
inline __m512i minus_where(__mmask16 k, __m512i a, __m512i b) noexcept { return _mm512_mask_sub_epi32(a, k, a, b); }
/// b where k, else a (for counts and values).
inline __m256i select(__mmask8 k, __m256i a, __m256i b) noexcept { return _mm256_mask_mov_epi32(a, k, b); }
inline __m512i select(__mmask16 k, __m512i a, __m512i b) noexcept { return _mm512_mask_mov_epi32(a, k, b); }
inline __m512d select(__mmask8 k, __m512d a, __m512d b) noexcept { return _mm512_mask_blend_pd(k, a, b); }
inline __m512 select(__mmask16 k, __m512 a, __m512 b) noexcept { return _mm512_mask_blend_ps(k, a, b); }
/// Where k, whether v >= t (or v < t); false elsewhere and for a NaN.
inline __mmask8 at_least(__mmask8 k, __m512d v, double t) noexcept {
    return _mm512_mask_cmp_pd_mask(k, v, _mm512_set1_pd(t), _CMP_GE_OQ);
}
inline __mmask16 at_least(__mmask16 k, __m512 v, float t) noexcept {
    return _mm512_mask_cmp_ps_mask(k, v, _mm512_set1_ps(t), _CMP_GE_OQ);
}
inline __mmask8 below(__mmask8 k, __m512d v, double t) noexcept {
    return _mm512_mask_cmp_pd_mask(k, v, _mm512_set1_pd(t), _CMP_LT_OQ);
}
inline __mmask16 below(__mmask16 k, __m512 v, float t) noexcept {
    return _mm512_mask_cmp_ps_mask(k, v, _mm512_set1_ps(t), _CMP_LT_OQ);
}
/// a | b and a ^ b, as mask-register instructions: written as integer operations on the masks,
/// GCC 12 moved them through general registers and back (five kmov a register of lanes, 0.06 ns
/// per neuron-step off the grid).
inline __mmask8 either(__mmask8 a, __mmask8 b) noexcept { return _kor_mask8(a, b); }
inline __mmask16 either(__mmask16 a, __mmask16 b) noexcept { return _kor_mask16(a, b); }
inline __mmask8 differ(__mmask8 a, __mmask8 b) noexcept { return _kxor_mask8(a, b); }
inline __mmask16 differ(__mmask16 a, __mmask16 b) noexcept { return _kxor_mask16(a, b); }
/// A NaN or an infinity (vfpclass categories 0x99).
inline __mmask8 not_finite(__m512d v) noexcept { return _mm512_fpclass_pd_mask(v, 0x99); }
inline __mmask16 not_finite(__m512 v) noexcept { return _mm512_fpclass_ps_mask(v, 0x99); }
}  // namespace avx512

/// The same rules on AVX-512 mask registers: the counts stay 32-bit (8 doubles: 8 counts in a
/// 256-bit register; 16 floats: 512 bits) and one mask register selects both.
template <typename S, bool OnGrid>
    requires(lanes<S>::width * sizeof(S) == 64)
struct lane_outcome_avx512 {
    using value = typename lanes<S>::value;
    static constexpr bool is_double = sizeof(S) == 8;
    using counts = typename avx512_counts<is_double>::type;
    using flags = std::conditional_t<is_double, __mmask8, __mmask16>;

    struct outcome {
        value v;
        counts left;
        flags fired, leaves;
        flags ends, crosses;  // off the grid (see lane_flags)
    };

    [[nodiscard]] static counts load_counts(const std::int32_t* at) noexcept {
        if constexpr (is_double) return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at));
        else return _mm512_loadu_si512(at);
    }
    static void store_counts(std::int32_t* at, const counts& left) noexcept {
        if constexpr (is_double) _mm256_storeu_si256(reinterpret_cast<__m256i*>(at), left);
        else _mm512_storeu_si512(at, left);
    }
    /// Records lanes [j, j + width)'s flags in `to`: whole bytes, j being a multiple of 8; the
    /// kinds only where `Kinds`: two stores a register, which only the exits' walk reads.
    template <bool Kinds = false, std::size_t Lanes>
    static void store_flags(lane_flags<Lanes>& to, std::size_t j, const outcome& o) noexcept {
        if constexpr (OnGrid) store_bits(to.fired, j, o.fired);
        store_bits(to.leaves, j, o.leaves);
        if constexpr (Kinds) {
            store_bits(to.ends, j, o.ends);
            store_bits(to.crosses, j, o.crosses);
        }
    }
    /// The same when no lane leaves: only the fired bits (`to.leaves` stays as it was, zero).
    template <std::size_t Lanes>
    static void store_fired(lane_flags<Lanes>& to, std::size_t j, const outcome& o) noexcept {
        store_bits(to.fired, j, o.fired);
    }
    [[nodiscard]] static bool any(flags f) noexcept { return f != 0; }
    [[nodiscard]] static value where(flags f, const value& a, const value& b) noexcept { return avx512::select(f, b, a); }

    /// As lane_outcome::settle_or_discard.
    template <bool SeparateLast>
    [[nodiscard]] static outcome settle_or_discard(const value& x, const counts& left, const value& whole,
                                                   const value& last, S threshold, std::int32_t held) noexcept {
        using namespace avx512;
        const counts zero = counts_of(0, left), one = counts_of(1, left);
        const flags stepping = at_most_unsigned(left, one);
        const value v1 = SeparateLast ? value(select(equal(left, zero), select(equal(left, one), x, last), whole))
                                      : value(select(stepping, x, whole));
        const flags fires = at_least(stepping, v1, threshold);
        const counts left_new = select(fires, minus_where(greater(left, zero), left, one), counts_of(held, left));
        return {v1, left_new, fires, not_finite(v1), flags{0}, flags{0}};
    }

    template <bool SeparateLast>
    [[nodiscard]] static outcome settle(const value& x, const counts& left, const value& whole, const value& last,
                                        S threshold, std::int32_t held) noexcept {
        using namespace avx512;
        const counts zero = counts_of(0, left), one = counts_of(1, left);
        const flags free = equal(left, zero);
        const flags ends = equal(left, one);
        if constexpr (OnGrid) {
            const flags stepping = at_most_unsigned(left, one);  // free or in the period's last step
            const value v1 = SeparateLast ? value(select(free, select(ends, x, last), whole)) : value(select(stepping, x, whole));
            const flags odd = negative(left) | not_finite(v1);
            const flags fires = at_least(static_cast<flags>(stepping & ~odd), v1, threshold);
            const counts counted = minus_where(static_cast<flags>(greater(left, zero) & ~odd), left, one);
            return {select(odd, v1, x), select(fires, counted, counts_of(held, left)), fires, odd, flags{0}, flags{0}};
        } else {
            const flags stays = at_least(below(free, whole, threshold), whole, -std::numeric_limits<S>::max());
            const flags crosses = differ(free, stays);  // free lanes that do not stay (stays is within free)
            // Those, periods that end, negative counts.
            const flags odd = either(either(ends, negative(left)), crosses);
            // Only a count above 1 counts down here: 1 ends the period (the lane leaves), <= 0 is
            // free or left to the neuron's own step.
            return {select(stays, x, whole), minus_where(greater(left, one), left, one), flags{0}, odd, ends, crosses};
        }
    }

private:
    template <std::size_t Words>
    static void store_bits(std::array<std::uint64_t, Words>& to, std::size_t j, flags f) noexcept {
        auto* const at = reinterpret_cast<unsigned char*>(to.data()) + j / 8;
        if constexpr (is_double) _store_mask8(reinterpret_cast<__mmask8*>(at), f);
        else _store_mask16(reinterpret_cast<__mmask16*>(at), f);
    }
};

template <bool OnGrid>
struct lane_outcome<double, OnGrid> : lane_outcome_avx512<double, OnGrid> {};
template <bool OnGrid>
struct lane_outcome<float, OnGrid> : lane_outcome_avx512<float, OnGrid> {};
#endif

}  // namespace iaf::detail
