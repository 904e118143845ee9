#pragma once
/// \file
/// Ordering a population's delivered events: by step, then neuron, then offset, and events equal
/// in all three in the order they were delivered (their effects then add in the same order as
/// in a neuron that receives them one by one). A network delivers its events a minimum delay
/// ahead, a million at a time for 12,500 neurons, in the order its spikes come, not by neuron:
/// std::sort of those took most of a precise network's run (Brunel's, examples/brunel.cpp). A
/// stable radix sort on (step, neuron) takes linear time; a neuron's few events of a step are
/// then ordered by offset.

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace iaf::detail {

/// Whether event a comes before b by (step, index, offset): false for ties.
template <typename Event>
[[nodiscard]] bool event_key_before(const Event& a, const Event& b) noexcept {
    if (a.step != b.step) return a.step < b.step;
    if (a.index != b.index) return a.index < b.index;
    return a.event.offset < b.event.offset;
}

/// The order of events: (step, index, offset), then `order`, their position at delivery.
template <typename Event>
[[nodiscard]] bool event_before(const Event& a, const Event& b) noexcept {
    if (event_key_before(a, b)) return true;
    return !event_key_before(b, a) && a.order < b.order;
}

/// Sorts `events` (members step, index < neurons, event.offset and order) by event_before, with
/// `order` first set to each event's position, so that tied events keep their order in `events`
/// (the caller's delivery order: appending and this stable sort keep it). `scratch` is grown to
/// events.size() and kept: once it has grown, sorting allocates nothing.
template <typename Event>
void sort_events(std::span<Event> events, std::vector<Event>& scratch, std::size_t neurons) {
    const std::size_t n = events.size();
    if (n < 2) return;
    std::int64_t lowest = events[0].step, highest = events[0].step;
    for (std::size_t i = 0; i < n; ++i) {
        events[i].order = i;
        lowest = std::min(lowest, events[i].step);
        highest = std::max(highest, events[i].step);
    }
    const auto index_bits = static_cast<unsigned>(std::bit_width(neurons - 1));
    const auto step_bits = static_cast<unsigned>(std::bit_width(static_cast<std::uint64_t>(highest - lowest)));
    // A few events, or a key (step, neuron) wider than 64 bits: by comparison.
    constexpr std::size_t few = 256;
    if (n < few || index_bits + step_bits > 64) {
        std::sort(events.begin(), events.end(), event_before<Event>);
        return;
    }
    // Least significant digit first, each pass stable: the key (step - lowest, index) in digits
    // of at most 11 bits (a histogram of 2048 counts stays in the first-level cache).
    const unsigned key_bits = index_bits + step_bits;
    const unsigned passes = (key_bits + 10) / 11;
    scratch.resize(std::max(scratch.size(), n));
    Event* from = events.data();
    Event* to = scratch.data();
    if (passes > 0) {
        const unsigned digit_bits = (key_bits + passes - 1) / passes;
        const std::uint64_t digit_mask = (std::uint64_t{1} << digit_bits) - 1;
        const auto key = [&](const Event& e) {
            return (static_cast<std::uint64_t>(e.step - lowest) << index_bits) | static_cast<std::uint64_t>(e.index);
        };
        std::array<std::size_t, (std::size_t{1} << 11) + 1> start;  // NOLINT(cppcoreguidelines-pro-type-member-init): zeroed per pass
        for (unsigned p = 0; p < passes; ++p) {
            const unsigned shift = p * digit_bits;
            std::fill_n(start.begin(), digit_mask + 2, std::size_t{0});
            for (std::size_t i = 0; i < n; ++i) ++start[((key(from[i]) >> shift) & digit_mask) + 1];
            for (std::size_t d = 1; d <= digit_mask + 1; ++d) start[d] += start[d - 1];
            for (std::size_t i = 0; i < n; ++i) to[start[(key(from[i]) >> shift) & digit_mask]++] = from[i];
            std::swap(from, to);
        }
        if (from != events.data()) std::copy_n(from, n, events.data());
    }
    // A neuron's events of a step by offset: a few, by insertion (stable); many, by comparison.
    constexpr std::size_t insertion_most = 16;
    for (std::size_t first = 0; first < n;) {
        std::size_t last = first + 1;
        while (last < n && events[last].step == events[first].step && events[last].index == events[first].index) ++last;
        if (last - first > insertion_most) {
            std::sort(events.begin() + static_cast<std::ptrdiff_t>(first), events.begin() + static_cast<std::ptrdiff_t>(last),
                      event_before<Event>);
        } else {
            for (std::size_t i = first + 1; i < last; ++i) {
                if (!(events[i].event.offset < events[i - 1].event.offset)) continue;
                const Event moving = events[i];
                std::size_t j = i;
                for (; j > first && moving.event.offset < events[j - 1].event.offset; --j) events[j] = events[j - 1];
                events[j] = moving;
            }
        }
        first = last;
    }
}

}  // namespace iaf::detail
