#pragma once
/// \file
/// N neurons of one model, stepped together: structure of arrays, SIMD lanes, synaptic events
/// inside the step, spikes back as (index, offset). For network simulators.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "concepts.hpp"
#include "currents/constant.hpp"
#include "errors.hpp"
#include "grid_time.hpp"
#include "integrators/exact.hpp"
#include "neuron.hpp"
#include "spike_timing/grid.hpp"
#include "value.hpp"

namespace iaf {

/// A model whose equations a population can run over SIMD lanes: one state component (V) of
/// a floating-point scalar, and its equations written once over any value type
/// (`M::equations::derivative(k, v, i)`, `spiked`, `reset`) with `coefficients()`.
template <typename M>
concept LaneModel = Model<M> && std::is_floating_point_v<state_t<M>> && requires(const M& m, const state_t<M>& v) {
    m.coefficients();
    { M::equations::derivative(m.coefficients(), v, v) } -> std::convertible_to<state_t<M>>;
    { M::equations::reset(m.coefficients(), v) } -> std::convertible_to<state_t<M>>;
};

/// A spike of a population's neuron: which one, and when inside the step.
struct population_spike {
    std::size_t index;  ///< the neuron
    grid_time time;     ///< grid step and offset inside it [ms]
};

/// N neurons of model M, integrated by I with spike timing P, on a grid of step dt owned by the
/// host. State is kept as structure of arrays: V, the number of steps left in the refractory
/// period and the offset where it ends (20 bytes per neuron for double, 16 for float).
///
/// The model's equations are not written again here: the population runs the same model,
/// integrator and spike-timing definitions as `iaf::neuron`. Its common step runs the model's
/// equations over SIMD lanes (fixed-size Eigen arrays of 64 bytes); the few neurons whose step is
/// not common (a spike located inside the step, a refractory period ending off the grid, a
/// synaptic event) take the neuron's own step, so spikes equal those of N `iaf::neuron`s with the
/// same inputs, bit for bit. With the `grid` policy every step is common: spikes at the step's
/// end, refractory periods counted in steps and their partial last step integrated by lanes too.
/// A model that is not a `LaneModel` takes the neuron's step for every neuron.
///
/// Input: each step gets one current per neuron [nA], held over the step (the host's summed
/// synaptic current), and the events `deliver`ed for it. Parameters are shared by all neurons.
///
/// Threads: `prepare_step()`, then `step_slice(begin, end, ...)` on disjoint slices from any
/// number of threads, then `finish_step()`; `step(...)` does the three. Nothing allocates in a
/// step once the event buffer has grown.
///
/// Example:
///     iaf::population pop{iaf::lif{{.tau_m = 10, .c_m = 0.25, .t_ref = 2}}, 10000, iaf::exact{}, iaf::grid{}, 0.1};
///     std::vector<double> input(pop.size(), 0.5);
///     pop.step(input, [](std::size_t i, iaf::grid_time t) { /* neuron i spiked at t */ });
template <typename M, typename I, typename P = grid>
class population {
    static_assert(Model<M>, "iaf::population: the model type does not satisfy iaf::Model");
    static_assert(can_combine_v<M, constant, I, P>,
                  "iaf::population: this integrator and spike-timing policy cannot be combined for the model "
                  "(see iaf::can_combine_v)");

public:
    /// The model type (one model shared by every neuron).
    using model_type = M;
    /// The state of one neuron.
    using state_type = state_t<M>;
    /// The scalar of the state arrays (`double`, or `float` for `basic_lif<float>`).
    using scalar_type = std::conditional_t<std::is_floating_point_v<state_type>, state_type, double>;
    /// The model's input ports (`void` for a model without any).
    using port_type = typename detail::port_of<M>::type;
    /// A synaptic event for one neuron (port, offset, weight).
    using event_type = input_event<std::conditional_t<std::is_void_v<port_type>, int, port_type>>;

private:
    using port_argument = decltype(event_type::port);  // port_type, or int for a model without ports

public:

    /// `size` neurons of `model` in its initial state at t_start, stepped by dt [ms].
    population(M model, std::size_t size, I integrator, P timing, double dt, double t_start = 0.0)
        : kernel_(kernel::make(std::move(model), std::move(integrator), std::move(timing), dt, t_start)),
          x_(size, kernel_.model.initial_state()),
          refractory_left_(size, 0),
          refractory_offset_(size, 0.0),
          grid_end_(grid_time::after(0, dt, kernel_.t_ref, dt)),
          // Without a refractory period a spike leaves the neuron free at once, as in the neuron.
          grid_refractory_steps_(kernel_.t_ref > 0.0 ? static_cast<std::int32_t>(grid_end_.step) : 0),
          grid_refractory_rest_(grid_end_.offset),
          part_propagator_(make_part(kernel_, dt - grid_refractory_rest_)) {}

    /// The number of neurons.
    [[nodiscard]] std::size_t size() const noexcept { return x_.size(); }
    /// The grid step [ms].
    [[nodiscard]] double dt() const noexcept { return kernel_.dt; }
    /// Grid steps taken.
    [[nodiscard]] std::int64_t steps() const noexcept { return step_; }
    /// t_start + steps() * dt [ms].
    [[nodiscard]] double time() const noexcept { return kernel_.t_start + static_cast<double>(step_) * kernel_.dt; }
    /// The model shared by every neuron.
    [[nodiscard]] const M& model() const noexcept { return kernel_.model; }

    /// The state of every neuron (V for one-component models), for recording and host-side
    /// plasticity; writable between steps.
    [[nodiscard]] std::span<state_type> states() noexcept { return x_; }
    /// The state of every neuron, read only.
    [[nodiscard]] std::span<const state_type> states() const noexcept { return x_; }
    /// Whether neuron i is inside its refractory period at time().
    [[nodiscard]] bool refractory(std::size_t i) const { return refractory_left_.at(i) != 0; }
    /// Membrane potential of neuron i [mV].
    [[nodiscard]] double voltage(std::size_t i) const { return static_cast<double>(kernel_.model.voltage(x_.at(i))); }

    /// A synaptic event for neuron `index` in the next step: `weight` at `port`, `offset` ms after
    /// the step's start (0 <= offset < dt). Under the grid policy it lands at the step's start, as
    /// in Brian2 and NEST's grid models; otherwise the neuron's step is split there, so under
    /// `exact` a population driven by off-grid events is exact to round-off.
    void deliver(std::size_t index, port_argument port, double offset, double weight)
        requires(!std::is_void_v<port_type>)
    {
        deliver(index, port, offset, weight, step_);
    }

    /// The same, for grid step `step` (>= steps()): the events of a whole `advance(k)` block, or
    /// a delay ring buffer's arrivals, can be handed over ahead.
    void deliver(std::size_t index, port_argument port, double offset, double weight, std::int64_t step)
        requires(!std::is_void_v<port_type>)
    {
        if (index >= size())
            detail::fail_parameter("iaf::population", "deliver index", static_cast<double>(index), "must be < size()");
        if (!(offset >= 0.0 && offset < kernel_.dt))
            detail::fail_parameter("iaf::population", "deliver offset", offset, "must be in [0, dt)");
        if (!std::isfinite(weight)) detail::fail_parameter("iaf::population", "deliver weight", weight, "must be finite");
        if (step < step_)
            detail::fail_parameter("iaf::population", "deliver step", static_cast<double>(step), "must be >= steps()");
        const addressed event{step, index, event_type{P::on_grid ? 0.0 : offset, port, weight}, pending_.size()};
        // Events delivered in order (a host walking its ring buffer) need no sort.
        if (sorted_ && pending_.size() > consumed_) {
            const addressed& last = pending_.back();
            sorted_ = last.step < step || (last.step == step && (last.index < index || (last.index == index &&
                                                                                         last.event.offset <= event.event.offset)));
        }
        pending_.push_back(event);
    }

    /// Advances every neuron one step with per-neuron input currents `input` [nA] (size()),
    /// calling `on_spike(index, grid_time)` for each spike. Returns the number of spikes.
    template <typename OnSpike>
    int step(std::span<const scalar_type> input, OnSpike&& on_spike) {
        prepare_step();
        const int spikes = step_slice(0, size(), input, on_spike);
        finish_step();
        return spikes;
    }

    /// Orders the delivered events; call once, before `step_slice` on any thread.
    void prepare_step() {
        if (!sorted_) {
            // std::sort with delivery order as the last key: the order of a stable sort, without
            // the buffer std::stable_sort allocates.
            std::sort(pending_.begin() + static_cast<std::ptrdiff_t>(consumed_), pending_.end(),
                      [](const addressed& a, const addressed& b) {
                          if (a.step != b.step) return a.step < b.step;
                          if (a.index != b.index) return a.index < b.index;
                          if (a.event.offset != b.event.offset) return a.event.offset < b.event.offset;
                          return a.order < b.order;
                      });
            sorted_ = true;
        }
    }

    /// Advances neurons [begin, end) one step; `input` covers all neurons. Disjoint slices may
    /// run on different threads between `prepare_step()` and `finish_step()`.
    template <typename OnSpike>
    int step_slice(std::size_t begin, std::size_t end, std::span<const scalar_type> input, OnSpike&& on_spike) {
        if (input.size() != size())
            detail::fail_parameter("iaf::population", "input size", static_cast<double>(input.size()),
                                   "must equal size()");
        if (begin > end || end > size())
            detail::fail_parameter("iaf::population", "slice end", static_cast<double>(end), "must be in [begin, size()]");
        return step_range(step_, begin, end, input.data(), on_spike);
    }

    /// Ends the step: drops its events and advances the clock.
    void finish_step() {
        while (consumed_ < pending_.size() && pending_[consumed_].step <= step_) ++consumed_;
        // Drop the consumed events once they are half the buffer (moves, no allocation), so that
        // events always delivered ahead take bounded memory.
        if (2 * consumed_ >= pending_.size()) {
            pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(consumed_));
            consumed_ = 0;
        }
        ++step_;
    }

    /// k steps with inputs `input_block` (k rows of size() currents, row-major): the same spikes
    /// and states as k calls of `step`, computed tile by tile so that a tile of neurons stays in
    /// cache for all k steps instead of the whole population streaming from memory every step
    /// (NEST steps a minimum delay at a time the same way). `on_spike(index, grid_time)` gets
    /// every spike with its step, tile by tile (in step order for each neuron). Events for any step
    /// of the block can be delivered before it. Returns the number of spikes.
    template <typename OnSpike>
    int advance(int k, std::span<const scalar_type> input_block, OnSpike&& on_spike) {
        if (k < 0 || input_block.size() != static_cast<std::size_t>(k) * size())
            detail::fail_parameter("iaf::population", "input_block size", static_cast<double>(input_block.size()),
                                   "must be k * size()");
        prepare_step();
        int spikes = 0;
        for (std::size_t first = 0; first < size(); first += tile_size) {
            const std::size_t last = std::min(size(), first + tile_size);
            for (int j = 0; j < k; ++j)
                spikes += step_range(step_ + j, first, last, input_block.data() + static_cast<std::size_t>(j) * size(),
                                     on_spike);
        }
        for (int j = 0; j < k; ++j) finish_step();
        return spikes;
    }

private:
    using kernel = detail::neuron_kernel<M, constant, I, P>;
    using stepper_type = typename kernel::stepper_type;
    static constexpr std::size_t max_block = 256;  // neurons per pass of the common step

    // Neurons per tile of advance(k): V, countdown and offset of 4096 neurons take 80 KiB in
    // double, well inside the L2 cache of current cores.
    static constexpr std::size_t tile_size = 4096;

    struct addressed {
        std::int64_t step;
        std::size_t index;
        event_type event;
        std::size_t order;  // delivery order: ties (same neuron and offset) keep it, so sums round alike
    };

    /// Step k of neurons [begin, end), inputs from `input` (indexed by neuron).
    template <typename OnSpike>
    int step_range(std::int64_t k, std::size_t begin, std::size_t end, const scalar_type* input, OnSpike& on_spike) {
        int spikes = 0;
        std::size_t i = begin;
        if constexpr (LaneModel<M>) {
            for (; i < end; i += max_block) spikes += step_block(k, i, std::min(max_block, end - i), input, on_spike);
        }
        for (; i < end; ++i) spikes += step_one(k, i, input[i], on_spike);
        return spikes;
    }

    /// Neuron i's step through the neuron's own pieces: spikes located inside the step,
    /// refractory periods ending off the grid, events split into the step.
    template <typename OnSpike>
    int step_one(std::int64_t k, std::size_t i, scalar_type input, OnSpike& on_spike) {
        const std::int32_t left = refractory_left_[i] < 0 ? -refractory_left_[i] : refractory_left_[i];
        grid_time end = left > 0 ? grid_time{k + left - 1, refractory_offset_[i]} : grid_time{detail::not_refractory, 0.0};
        const constant current{static_cast<double>(input)};
        detail::breakpoint_memory<false> breaks;
        detail::neuron_step<M, constant, I, P> one{&kernel_, current, x_[i], end, breaks};
        auto report = [&](grid_time t) { on_spike(i, t); };
        const auto events = events_of(k, i);
        const int spikes = one.step(k, events, report);
        // The countdown, negative when the period ends elsewhere than the grid policy's common
        // end (a spike fired by an event): the common step then leaves that neuron to step_one.
        const auto steps_left = one.refractory() ? static_cast<std::int32_t>(end.step - k) : 0;
        refractory_left_[i] = P::on_grid && steps_left > 0 && end.offset != grid_refractory_rest_ ? -steps_left : steps_left;
        refractory_offset_[i] = end.offset;
        return spikes;
    }

    /// The first event of step k for a neuron >= i (pending_ is sorted by step, index, offset).
    auto first_event(std::int64_t k, std::size_t i) const {
        return std::lower_bound(pending_.begin() + static_cast<std::ptrdiff_t>(consumed_), pending_.end(),
                                std::pair{k, i}, [](const addressed& a, const std::pair<std::int64_t, std::size_t>& key) {
                                    return a.step < key.first || (a.step == key.first && a.index < key.second);
                                });
    }
    /// The events of neuron i in step k.
    std::span<const addressed> events_for(std::int64_t k, std::size_t i) const {
        const auto first = first_event(k, i);
        auto last = first;
        while (last != pending_.end() && last->step == k && last->index == i) ++last;
        return {first, last};
    }
    /// A neuron's events as the neuron's step reads them (a range of event_type). Written out
    /// instead of std::views::transform, which clang 14 cannot compile with libstdc++ 12.
    struct event_range {
        struct iterator {
            using value_type = event_type;
            using difference_type = std::ptrdiff_t;
            const addressed* at = nullptr;
            const event_type& operator*() const { return at->event; }
            iterator& operator++() { return ++at, *this; }
            iterator operator++(int) { iterator before = *this; ++at; return before; }
            bool operator==(const iterator&) const = default;
        };
        std::span<const addressed> events;
        [[nodiscard]] iterator begin() const { return {events.data()}; }
        [[nodiscard]] iterator end() const { return {events.data() + events.size()}; }
        [[nodiscard]] bool empty() const { return events.empty(); }
    };
    event_range events_of(std::int64_t k, std::size_t i) const { return {events_for(k, i)}; }

    /// Neurons [i, i + block) in step k: the common step as one branch-free loop, which the
    /// compiler turns into SIMD code (the model's equations, the integrator and the reset are
    /// instantiated on the scalar and inlined into it); then the few neurons that left the common
    /// step, one by one through step_one.
    template <typename OnSpike>
    int step_block(std::int64_t k, std::size_t i, std::size_t block, const scalar_type* input, OnSpike& on_spike) {
        // Under exact, the form of the propagator is fixed outside the loop (see advance_held).
        if constexpr (std::is_same_v<I, exact>) {
            using form = typename part_type::held_form;
            switch (kernel_.stepper.grid_propagator().form_of_held_input()) {
                case form::response: return step_block<form::response>(k, i, block, input, on_spike);
                case form::steady_state: return step_block<form::steady_state>(k, i, block, input, on_spike);
                default: return step_block<form::drift>(k, i, block, input, on_spike);
            }
        } else {
            return step_block<0>(k, i, block, input, on_spike);
        }
    }

    template <auto Form, typename OnSpike>
    int step_block(std::int64_t k, std::size_t i, std::size_t block, const scalar_type* input, OnSpike& on_spike) {
        // A refractory period of whole steps ends with a whole step, which the neuron takes by its
        // whole-step path: the last step of the period is then the common step, computed once.
        if constexpr (P::on_grid) {
            if (grid_refractory_rest_ == 0.0) return step_block<Form, true>(k, i, block, input, on_spike);
        }
        return step_block<Form, false>(k, i, block, input, on_spike);
    }

    template <auto Form, bool WholeLast, typename OnSpike>
    int step_block(std::int64_t k, std::size_t i, std::size_t block, const scalar_type* input, OnSpike& on_spike) {
        const kernel& su = kernel_;
        const double t0 = su.t_start + static_cast<double>(k) * su.dt;
        const auto threshold = static_cast<scalar_type>(su.threshold);
        const auto lowest = -std::numeric_limits<scalar_type>::max();
        const auto highest = std::numeric_limits<scalar_type>::max();
        const std::int32_t held_steps = grid_refractory_steps_;
        // What the loop reads, as locals: a store through v_out or left_out may alias a member read
        // through `this`, which GCC then reloads every iteration (and a member read under a
        // condition, such as the reset value, becomes a masked load it cannot vectorise).
        const auto coefficients = su.model.coefficients();
        const auto stepper = su.stepper;
        const auto integrator = su.integrator;
        const auto last_propagator = part_propagator_;
        const double dt = su.dt;
        const double rest = grid_refractory_rest_;
        // The model's equations over lanes with input u held, for the ODE integrators.
        const auto rhs = [&coefficients](scalar_type u) {
            return [&coefficients, u](double, scalar_type x) -> scalar_type {
                return M::equations::derivative(coefficients, x, u);
            };
        };
        const auto whole = [&](scalar_type v, scalar_type u) -> scalar_type {
            if constexpr (std::is_same_v<I, exact>) {
                return stepper.grid_propagator().template advance_held<Form>(v, u);
            } else {
                const auto f = rhs(u);
                if constexpr (requires { stepper.grid_step(f, t0, v); }) return stepper.grid_step(f, t0, v);
                else return stepper.step(f, t0, v, dt);
            }
        };
        const auto part = [&](scalar_type v, scalar_type u) -> scalar_type {
            if constexpr (std::is_same_v<I, exact>) return last_propagator.template advance_held<Form>(v, u);
            else return integrator.step(rhs(u), t0 + rest, v, dt - rest);
        };
        scalar_type* const v_out = x_.data() + i;
        std::int32_t* const left_out = refractory_left_.data() + i;
        const scalar_type* const u_in = input + i;
        // 1: fired at the step's end (grid policy); 2: leaves the common step (any event; off the
        // grid also a crossing or a refractory end; a non-finite V, which step_one reports).
        std::uint8_t flags[max_block + 8] = {};  // zero-padded to whole words
        // Neurons with events in this step take their own step: the loop leaves them alone. Under
        // the grid policy the events of a free neuron land at the step's start; when none lifts V
        // to the threshold they are added here, as the neuron adds them, and the neuron stays in
        // the common step (in a network nearly every neuron receives events every step).
        std::uint8_t own[max_block] = {};
        if (consumed_ < pending_.size()) {
            // One search for the block, then a walk over its events.
            auto e = first_event(k, i);
            while (e != pending_.end() && e->step == k && e->index < i + block) {
                auto next = e + 1;
                while (next != pending_.end() && next->step == k && next->index == e->index) ++next;
                const std::size_t j = e->index - i;
                if constexpr (P::on_grid && ModelWithInputs<M>) {
                    if (left_out[j] != 0 || !land_at_start(v_out[j], e, next)) own[j] = 1;
                } else {
                    own[j] = 1;
                }
                e = next;
            }
        }
        // One branch-free pass. Comparisons are the quiet ones (std::isgreaterequal: false on NaN
        // as >= is, but without raising FE_INVALID), which GCC may evaluate unconditionally under
        // the default -ftrapping-math, so if-conversion succeeds wherever jump threading put them.
        for (std::size_t j = 0; j < block; ++j) {
            const scalar_type v = v_out[j];
            const scalar_type u = u_in[j];
            const std::int32_t left = left_out[j];
            const scalar_type v_full = whole(v, u);
            const std::int32_t free = left == 0;
            if constexpr (P::on_grid) {
                const scalar_type v_part = WholeLast ? v_full : part(v, u);
                const std::int32_t ends = left == 1;
                const scalar_type v1 = free ? v_full : (ends ? v_part : v);
                const std::int32_t fires = (free | ends) & std::int32_t(std::isgreaterequal(v1, threshold));
                const std::int32_t finite =
                    std::int32_t(std::isgreaterequal(v1, lowest)) & std::int32_t(std::islessequal(v1, highest));
                const std::int32_t odd = std::int32_t(own[j]) | (left < 0) | ((free | ends) & (finite ^ 1));
                const scalar_type reset = M::equations::reset(coefficients, v1);
                v_out[j] = odd ? v : (fires ? reset : v1);
                left_out[j] = odd ? left : (fires ? held_steps : (free ? 0 : left - 1));
                flags[j] = static_cast<std::uint8_t>(odd ? 2 : fires);
            } else {
                const std::int32_t common = std::int32_t(std::isless(v_full, threshold)) &
                                            std::int32_t(std::isgreaterequal(v_full, lowest));
                const std::int32_t odd = std::int32_t(own[j]) | (left == 1) | (free & (common ^ 1));
                v_out[j] = odd ? v : (free ? v_full : v);
                left_out[j] = odd ? left : (free ? 0 : left - 1);
                flags[j] = static_cast<std::uint8_t>(odd ? 2 : 0);
            }
        }
        // Few neurons leave the common step: look at the flags eight at a time.
        int spikes = 0;
        for (std::size_t w = 0; w < block; w += 8) {
            std::uint64_t word = 0;
            std::memcpy(&word, flags + w, sizeof word);
            if (word == 0) [[likely]] continue;
            for (std::size_t j = w; j < std::min(block, w + 8); ++j) {
                if (flags[j] == 0) continue;
                if (flags[j] & 2) {
                    spikes += step_one(k, i + j, u_in[j], on_spike);
                } else {
                    refractory_offset_[i + j] = grid_refractory_rest_;
                    on_spike(i + j, grid_time{k, su.dt});
                    ++spikes;
                }
            }
        }
        return spikes;
    }

    /// A free neuron's events [first, last) at the start of a grid step, as the neuron's step
    /// applies them: added to v in order unless one lifts V to the threshold (or beyond the
    /// finite), in which case v is left alone for the neuron's own step. Returns whether added.
    template <typename Iterator>
    bool land_at_start(state_type& v, Iterator first, Iterator last) const {
        state_type x = v;
        for (; first != last; ++first) {
            x = kernel_.model.receive(x, first->event.port, static_cast<double>(first->event.weight));
            const double u = static_cast<double>(kernel_.model.voltage(x));
            if (!(u < kernel_.threshold && u >= -std::numeric_limits<double>::max())) return false;
        }
        v = x;
        return true;
    }

    struct none {};
    template <bool Exact, typename = void>
    struct part_of {
        using type = none;
    };
    template <typename Unused>
    struct part_of<true, Unused> {
        using type = decltype(detail::propagator_of(std::declval<const M&>(), 1.0));
    };
    using part_type = typename part_of<std::is_same_v<I, exact> && LaneModel<M>>::type;
    static part_type make_part(const kernel& k, double h) {
        if constexpr (std::is_same_v<part_type, none>) return (void)k, (void)h, none{};
        else return detail::propagator_of(k.model, h);
    }

    kernel kernel_;
    std::vector<state_type> x_;
    std::vector<std::int32_t> refractory_left_;  // steps until the step where the period ends, plus one; 0: free
    std::vector<double> refractory_offset_;     // where in that step it ends [ms]
    std::vector<addressed> pending_;            // delivered events; those before consumed_ are done
    std::size_t consumed_ = 0;
    bool sorted_ = true;
    std::int64_t step_ = 0;
    // The grid policy's refractory period, counted from a spike at a step's end: whole steps
    // held, then a last step integrated from `rest` to dt.
    grid_time grid_end_;
    std::int32_t grid_refractory_steps_;
    double grid_refractory_rest_;
    [[no_unique_address]] part_type part_propagator_;
};

}  // namespace iaf
