#pragma once
/// \file
/// N neurons of one model, stepped together: structure of arrays, SIMD lanes, synaptic events
/// inside the step, spikes back as (index, offset). For network simulators.

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <concepts>
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
#include "detail/cache_aligned.hpp"
#include "detail/event_sort.hpp"
#include "detail/lane_outcome.hpp"
#include "detail/lanes.hpp"
#include "detail/set_bits.hpp"
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

namespace detail {

/// A population neuron's input when the population has a shared time-dependent current: its own
/// current held over the step plus the shared one, whose breakpoints split the step and whose
/// closed-form leaky response (if any) `exact` uses, as for a neuron driven by their sum.
template <Current C>
struct held_plus_shared {
    double held;      // [nA]
    const C* shared;  // the population's, alive while the population is

    double operator()(double t) const { return held + static_cast<double>((*shared)(t)); }
    double next_breakpoint(double t) const
        requires CurrentWithBreakpoints<C>
    {
        return static_cast<double>(shared->next_breakpoint(t));
    }
    double leaky_response(double t, double tau) const
        requires CurrentWithLeakyResponse<C>
    {
        return held * tau + static_cast<double>(shared->leaky_response(t, tau));
    }
};

/// What one population neuron is driven by: a held current, plus the shared one if any.
template <typename C>
struct input_current_of {
    using type = held_plus_shared<C>;
};
template <>
struct input_current_of<void> {
    using type = constant;
};

template <typename C>
struct shared_current_slot {
    C current;
};
template <>
struct shared_current_slot<void> {};

}  // namespace detail

/// A spike of a population's neuron: which one, and when inside the step.
struct population_spike {
    std::size_t index = 0;  ///< the neuron
    grid_time time;     ///< grid step and offset inside it [ms]
};

/// N neurons of model M, integrated by I with spike timing P, on a grid of step dt owned by the
/// host. State is kept as structure of arrays: V, the number of steps left in the refractory
/// period (32 bits) and the offset where it ends (20 bytes per neuron for double, 16 for float,
/// of which a common step streams 12 and 8).
///
/// The model's equations are not written again here: the population runs the same model,
/// integrator and spike-timing definitions as `iaf::neuron`. Its common step runs over SIMD lanes
/// as wide as the target's vector registers (`detail/lanes.hpp`): under `exact` the model's
/// propagator on fixed-size Eigen arrays, under an ODE integrator the model's equations in a
/// scalar pass the compiler vectorises; the few neurons whose step is
/// not common (a spike located inside the step, a refractory period ending off the grid, a
/// synaptic event) take the neuron's own step (under `exact` the first two are queued and
/// computed together over lanes, with the neuron's arithmetic), so spikes equal those of N
/// `iaf::neuron`s with the same inputs, bit for bit (built without floating-point contraction,
/// as `iaf::iaf` builds; see docs/guarantees.md). With the `grid` policy every step is common: spikes at the step's
/// end, refractory periods counted in steps and their partial last step integrated by lanes too.
/// A model that is not a `LaneModel` takes the neuron's step for every neuron.
///
/// Input: each step gets one current per neuron [nA], held over the step (the host's summed
/// synaptic current), and the events `deliver`ed for it; optionally plus one time-dependent
/// current `Shared` (a stimulus) that all neurons receive. A shared current's breakpoints split
/// every neuron's step, as they split a neuron's; its neurons take the neuron's own step.
///
/// Parameters: shared by all neurons (one model), or one model per neuron (heterogeneous: built
/// from a `std::vector<M>`); heterogeneous neurons take the neuron's own step, one by one.
///
/// State: `states()` reads V (the state) of every neuron; `set_state(i, x)` writes one, with the
/// neuron's rule: a state at or above the threshold fires at the start of the next step.
///
/// Threads: `prepare_step()`, then `step_slice(begin, end, ...)` on disjoint slices from any
/// number of threads, then `finish_step()`; `step(...)` does the three. Nothing allocates in a
/// step once the event buffer has grown.
///
/// Example:
///     iaf::population pop{iaf::lif{{.tau_m = 10, .c_m = 0.25, .t_ref = 2}}, 10000, iaf::exact{}, iaf::grid{}, 0.1};
///     std::vector<double> input(pop.size(), 0.5);
///     pop.step(input, [](std::size_t i, iaf::grid_time t) { /* neuron i spiked at t */ });
template <typename M, typename I, typename P = grid, typename Shared = void>
class population {
    static_assert(Model<M>, "iaf::population: the model type does not satisfy iaf::Model");
    static_assert(std::is_void_v<Shared> || Current<Shared>,
                  "iaf::population: the shared current is not an iaf::Current (a callable double(double t))");
    static_assert(std::is_void_v<Shared> || !CurrentWithWhiteNoise<Shared>,
                  "iaf::population: a shared white-noise current would drive every neuron with the same noise; "
                  "give each neuron its own noise through the per-neuron input instead");

public:
    /// What one neuron is driven by: its held input, plus the shared current if there is one.
    using input_current = typename detail::input_current_of<Shared>::type;

private:
    static_assert(can_combine_v<M, input_current, I, P>,
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

    /// `size` neurons of `model` (shared parameters) in its initial state at t_start, stepped by
    /// dt [ms].
    population(M model, std::size_t size, I integrator, P timing, double dt, double t_start = 0.0)
        requires std::is_void_v<Shared>
        : population(std::move(model), size, std::move(integrator), std::move(timing), dt, t_start, slot{}) {}

    /// The same, every neuron also driven by the time-dependent current `shared`. Throws
    /// `invalid_parameter` for an invalid current (`validate_current`).
    template <std::same_as<Shared> C>
    population(M model, std::size_t size, I integrator, P timing, double dt, double t_start, C shared)
        : population(std::move(model), size, std::move(integrator), std::move(timing), dt, t_start,
                     slot{detail::validated_current(std::move(shared))}) {}

    /// One neuron per model of `models` (heterogeneous parameters), each in its initial state.
    population(const std::vector<M>& models, I integrator, P timing, double dt, double t_start = 0.0)
        requires std::is_void_v<Shared>
        : population(models, std::move(integrator), std::move(timing), dt, t_start, slot{}) {}

    /// The same, every neuron also driven by the time-dependent current `shared`. Throws
    /// `invalid_parameter` for an invalid current (`validate_current`).
    template <std::same_as<Shared> C>
    population(const std::vector<M>& models, I integrator, P timing, double dt, double t_start, C shared)
        : population(models, std::move(integrator), std::move(timing), dt, t_start,
                     slot{detail::validated_current(std::move(shared))}) {}

private:
    using slot = detail::shared_current_slot<Shared>;

    population(const std::vector<M>& models, I integrator, P timing, double dt, double t_start, slot shared)
        : population(first_of(models), models.size(), integrator, timing, dt, t_start, std::move(shared)) {
        kernels_.reserve(models.size());
        for (std::size_t i = 0; i < models.size(); ++i) {
            kernels_.push_back(checked_period(kernel::make(models[i], integrator, timing, dt, t_start)));
            x_[i] = models[i].initial_state();
        }
    }

    static M first_of(const std::vector<M>& models) {
        if (models.empty())
            detail::fail_parameter("iaf::population", "models size", 0.0, "must be > 0 (one model per neuron)");
        return models.front();
    }

    population(M model, std::size_t size, I integrator, P timing, double dt, double t_start, slot shared)
        : kernel_(checked_period(kernel::make(std::move(model), std::move(integrator), std::move(timing), dt, t_start))),
          shared_(std::move(shared)),
          x_(size, kernel_.model.initial_state()),
          breaks_(has_breakpoints ? size : 0),
          refractory_left_(size, 0),
          refractory_offset_(size, 0.0),
          grid_end_(grid_time::after_whole_steps(0, dt, kernel_.t_ref, dt)),
          // Without a refractory period a spike leaves the neuron free at once, as in the neuron.
          grid_refractory_steps_(kernel_.t_ref > 0.0 ? static_cast<countdown>(grid_end_.step) : 0),
          grid_refractory_rest_(grid_end_.offset),
          part_propagator_(make_part(kernel_, dt - grid_refractory_rest_)) {}

public:
    /// The number of neurons.
    [[nodiscard]] std::size_t size() const noexcept { return x_.size(); }
    /// The grid step [ms].
    [[nodiscard]] double dt() const noexcept { return kernel_.dt; }
    /// Grid steps taken.
    [[nodiscard]] std::int64_t steps() const noexcept { return step_; }
    /// t_start + steps() * dt [ms].
    [[nodiscard]] double time() const noexcept { return kernel_.t_start + static_cast<double>(step_) * kernel_.dt; }
    /// The time of step 0 [ms].
    [[nodiscard]] double t_start() const noexcept { return kernel_.t_start; }
    /// The model of every neuron (shared parameters), or of neuron 0 (heterogeneous).
    [[nodiscard]] const M& model() const noexcept { return kernel_.model; }
    /// The model of neuron i.
    [[nodiscard]] const M& model(std::size_t i) const { return kernel_of(checked(i)).model; }
    /// Whether every neuron has its own parameters.
    [[nodiscard]] bool heterogeneous() const noexcept { return !kernels_.empty(); }
    /// The shared time-dependent current.
    template <typename C = Shared>
    [[nodiscard]] const C& shared_current() const noexcept
        requires(!std::is_void_v<C>)
    {
        return shared_.current;
    }

    /// The state of every neuron (V for one-component models), for recording; written through
    /// `set_state`.
    [[nodiscard]] std::span<const state_type> states() const noexcept { return x_; }
    /// Sets neuron i's state between steps (initialise, randomise, restore, host-side changes),
    /// as `iaf::neuron::set_state` does: a state at or above the threshold fires at the start of
    /// the next step. Throws `invalid_parameter` for an index out of range or a non-finite V.
    void set_state(std::size_t i, const state_type& x) {
        const kernel& su = kernel_of(checked(i));
        const double v = static_cast<double>(su.model.voltage(x));
        if (!std::isfinite(v)) detail::fail_parameter("iaf::population", "state voltage", v, "must be finite");
        x_[i] = x;
        if (refractory_left_[i] == fire_pending_mark) refractory_left_[i] = 0;
        if (refractory_left_[i] == 0 && v >= su.threshold) refractory_left_[i] = fire_pending_mark;
    }
    /// Whether neuron i is inside its refractory period at time().
    [[nodiscard]] bool refractory(std::size_t i) const {
        const countdown left = refractory_left_.at(i);
        return left != 0 && left != fire_pending_mark;
    }
    /// Membrane potential of neuron i [mV].
    [[nodiscard]] double voltage(std::size_t i) const {
        return static_cast<double>(kernel_of(checked(i)).model.voltage(x_[i]));
    }

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
        const addressed event{step, index, event_type{P::on_grid ? 0.0 : offset, port, weight}, 0};
        // Events delivered in order (a host walking its ring buffer) need no sort; a tie with the
        // last one is in order too.
        if (sorted_ && pending_.size() > consumed_) sorted_ = !detail::event_key_before(event, pending_.back());
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
            detail::sort_events(std::span<addressed>{pending_}.subspan(consumed_), sort_scratch_, size());
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

    /// k steps with inputs `input_block`: k rows of size() currents (row-major, one per step), or
    /// one row of size() held over all k steps (a bias, with the synaptic input `deliver`ed as
    /// events). The same spikes and states as k calls of `step`, computed tile by tile so that a
    /// tile of neurons stays in cache for all k steps instead of the whole population streaming
    /// from memory every step (NEST steps a minimum delay at a time the same way).
    /// Under exact + grid (a model with lanes, no shared current, shared parameters) each
    /// register of lanes takes the k steps before it is stored, so the k steps read and write
    /// the state once; a block of neurons with events in the k steps, or set to fire, goes step
    /// by step. `on_spike(index, grid_time)` gets every spike with its step, block by block
    /// (in step order for each neuron). Events for any step of the block can be delivered before it. Returns the
    /// number of spikes.
    template <typename OnSpike>
    int advance(int k, std::span<const scalar_type> input_block, OnSpike&& on_spike) {
        const bool held = input_block.size() == size();
        if (k < 0 || !(held || input_block.size() == static_cast<std::size_t>(k) * size()))
            detail::fail_parameter("iaf::population", "input_block size", static_cast<double>(input_block.size()),
                                   "must be k * size() (one row per step) or size() (one row held over the k steps)");
        const std::size_t row_stride = held ? 0 : size();
        prepare_step();
        int spikes = 0;
        if constexpr (register_blocks) {
            // One step is step's own work: its pass and walk, not a register's k steps (which
            // took twice as long for k = 1).
            if (kernels_.empty() && k > 1) {
                for (std::size_t first = 0; first < size(); first += max_block)
                    spikes += advance_block(k, first, std::min(max_block, size() - first), input_block.data(), row_stride,
                                            on_spike);
                for (int j = 0; j < k; ++j) finish_step();
                return spikes;
            }
        }
        for (std::size_t first = 0; first < size(); first += tile_size) {
            const std::size_t last = std::min(size(), first + tile_size);
            spikes += step_rows(0, k, first, last, input_block.data(), row_stride, on_spike);
        }
        for (int j = 0; j < k; ++j) finish_step();
        return spikes;
    }

private:
    using kernel = detail::neuron_kernel<M, input_current, I, P>;
    // The refractory countdown: 32 bits, so that a double population streams 12 bytes per
    // neuron-step instead of 16 (a period is at most max_refractory_steps steps).
    using countdown = std::int32_t;
    using stepper_type = typename kernel::stepper_type;
    static constexpr bool has_breakpoints = CurrentWithBreakpoints<input_current>;
    // The countdown of a free neuron whose V the host set at or above the threshold: it fires at
    // the start of the next step (the neuron's fire_pending).
    static constexpr countdown fire_pending_mark = std::numeric_limits<countdown>::min();
    // Inside one common step only: a neuron with events, which the loop must leave alone.
    static constexpr countdown held_back_mark = fire_pending_mark + 1;

    // The longest refractory period a population counts, in steps of dt: a period then spans at
    // most 2^31 - 3 steps, whose negative count stays clear of the two marks.
    static constexpr double max_refractory_steps = double(std::numeric_limits<countdown>::max() - 3);

    /// `k`, after checking that its refractory period fits the countdown.
    static kernel checked_period(kernel k) {
        if (!(k.t_ref / k.dt <= max_refractory_steps))
            detail::fail_parameter("iaf::population", "t_ref", k.t_ref,
                                   detail::message("must be at most 2^31 - 4 steps of dt = ", k.dt,
                                                   " ms (a population counts refractory steps in 32 bits)"));
        return k;
    }

    const kernel& kernel_of(std::size_t i) const noexcept { return kernels_.empty() ? kernel_ : kernels_[i]; }
    std::size_t checked(std::size_t i) const {
        if (i >= size()) detail::fail_parameter("iaf::population", "index", static_cast<double>(i), "must be < size()");
        return i;
    }
    static constexpr std::size_t max_block = 256;  // neurons per pass of the common step

    // Neurons per tile of advance(k) where registers cannot take the k steps at once (below):
    // what a step of a tile streams (V, countdown and input, 20 bytes per neuron in double) fits
    // the L1 data cache of current cores (32 to 48 KiB).
    static constexpr std::size_t tile_size = 1024;

    // Whether advance(k) may take all k steps of a register of lanes before storing it: a shared
    // model with lanes under exact and the grid policy, with no shared current, whose common
    // step then reads no memory but the register's input, and not even that for a held row.
    // (Off the grid every spike leaves the lanes, which would stop its register.)
    static constexpr bool register_blocks = LaneModel<M> && std::is_void_v<Shared> && std::is_same_v<I, exact> && P::on_grid;
    static constexpr int max_register_steps = 16;  // steps a register takes before its spikes are reported

    struct addressed {
        std::int64_t step = 0;
        std::size_t index = 0;
        event_type event;
        std::size_t order = 0;  // set by the sort: ties (same neuron and offset) keep delivery order, so sums round alike
    };

    /// Step k of neurons [begin, end), inputs from `input` (indexed by neuron).
    template <typename OnSpike>
    int step_range(std::int64_t k, std::size_t begin, std::size_t end, const scalar_type* input, OnSpike& on_spike) {
        if constexpr (LaneModel<M> && std::is_void_v<Shared>) {
            if (kernels_.empty()) return step_blocks(k, begin, end, input, on_spike);
        }
        int spikes = 0;
        for (std::size_t i = begin; i < end; ++i) spikes += step_one(k, i, input[i], on_spike);
        return spikes;
    }

    /// Neuron i's step through the neuron's own pieces: spikes located inside the step,
    /// refractory periods ending off the grid, events split into the step.
    template <typename OnSpike>
    int step_one(std::int64_t k, std::size_t i, scalar_type input, OnSpike& on_spike) {
        const countdown mark = refractory_left_[i];
        const countdown left = mark == fire_pending_mark ? 0 : (mark < 0 ? -mark : mark);
        grid_time end = mark == fire_pending_mark ? grid_time{detail::fire_pending, 0.0}
                        : left > 0                ? grid_time{k + left - 1, ends_at(i, mark)}
                                                  : grid_time{detail::not_refractory, 0.0};
        if (!std::isfinite(static_cast<double>(input))) [[unlikely]] fail_input(k, i, input);
        const input_current current = current_for(input);
        detail::breakpoint_memory<false> no_breaks;
        auto& breaks = [&]() -> auto& {
            if constexpr (has_breakpoints) return breaks_[i];
            else return no_breaks;
        }();
        detail::neuron_step<M, input_current, I, P> one{&kernel_of(i), current, x_[i], end, breaks};
        auto report = [&](grid_time t) { on_spike(i, t); };
        const auto events = events_of(k, i);
        int spikes = 0;
#if IAF_EXCEPTIONS
        try {
            spikes = one.step(k, events, report);
        } catch (const simulation_error& e) {
            fail_in_neuron(i, e);
        }
#else
        // Without exceptions the error handler gets the neuron's own message (no index prefix).
        spikes = one.step(k, events, report);
#endif
        // The countdown, negative when the period ends elsewhere than the grid policy's common
        // end (a spike fired by an event): the common step then leaves that neuron to step_one.
        const auto steps_left = one.refractory() ? static_cast<countdown>(end.step - k) : 0;
        refractory_left_[i] = P::on_grid && steps_left > 0 && end.offset != grid_refractory_rest_ ? -steps_left : steps_left;
        refractory_offset_[i] = end.offset;
        return spikes;
    }

    /// Where in its last step neuron i's refractory period ends, for its count `mark` (> 0). On
    /// the grid a positive count is a period that ends at the grid policy's common end (others
    /// count negative), so the common step need not write the offset of each neuron it fires.
    double ends_at(std::size_t i, countdown mark) const noexcept {
        if constexpr (P::on_grid) {
            if (mark > 0) return grid_refractory_rest_;
        }
        return refractory_offset_[i];
    }

    /// Throws `invalid_parameter` for a non-finite input current of neuron i in step k.
    [[noreturn]] [[gnu::noinline, gnu::cold]] void fail_input(std::int64_t k, std::size_t i, scalar_type input) const {
        detail::fail_parameter("iaf::population",
                               detail::message("input of neuron ", i, " of ", size(), " in step ", k, " (t = ",
                                               kernel_.t_start + static_cast<double>(k) * kernel_.dt, " ms)"),
                               static_cast<double>(input), "must be finite");
    }

    /// Rethrows a neuron's `simulation_error` naming which neuron of the population it was.
    [[noreturn]] [[gnu::noinline, gnu::cold]] void fail_in_neuron(std::size_t i, const simulation_error& e) const {
        detail::fail_simulation("iaf::population: neuron ", i, " of ", size(), ": ", e.what());
    }

    input_current current_for(scalar_type input) const {
        if constexpr (std::is_void_v<Shared>) return constant{static_cast<double>(input)};
        else return {static_cast<double>(input), &shared_.current};
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

    /// Neurons [begin, end) in step k: the common step over lanes, and the few neurons that leave
    /// it through step_one (see below).
    template <typename OnSpike>
    int step_blocks(std::int64_t k, std::size_t begin, std::size_t end, const scalar_type* input, OnSpike& on_spike) {
        return with_held_form([&]<auto Form>() {
            // A refractory period of whole steps ends with a whole step, which the neuron takes by
            // its whole-step path: the last step of the period is then the common step, computed once.
            if constexpr (P::on_grid) {
                if (grid_refractory_rest_ == 0.0) return step_blocks<Form, true>(k, begin, end, input, on_spike);
            }
            return step_blocks<Form, false>(k, begin, end, input, on_spike);
        });
    }

    /// Neurons [begin, end) in step k, in blocks of max_block: each block's common pass, then, a
    /// group of four blocks later, a walk over the neurons that fired (grid) or left the common
    /// step. Off the grid, a leaving neuron's own step reads where its refractory period ends,
    /// from an array the pass does not stream (a miss to the outer caches or to memory): the walk
    /// requests those lines first; under exact the leaving neurons are queued instead and stepped
    /// together (step_exits). Spikes still come in the order of the neurons.
    template <auto Form, bool WholeLast, typename OnSpike>
    int step_blocks(std::int64_t k, std::size_t begin, std::size_t end, const scalar_type* input, OnSpike& on_spike) {
        int spikes = 0;
        // The neurons that fired or left four blocks' passes are walked in one loop, not one loop
        // per word of flags (see detail/set_bits.hpp), after the next four blocks' passes: a
        // load of a word that a pass has just stored in parts waits for those stores to reach
        // the cache. The passes write their flags into the walk's words.
        constexpr std::size_t blocks_per_walk = 4;
        using walk_flags = detail::lane_flags<blocks_per_walk * max_block + detail::lanes<scalar_type>::width>;
        constexpr std::size_t walk_words = blocks_per_walk * max_block / 64;  // the flags' words that hold neurons
        // walk(first, flags): the neurons from first on, neuron first + 64 w + b at bit b of word w.
        const auto pass_and_walk = [&](const auto& walk) {
            std::array<walk_flags, 2> flags;
            std::size_t waiting = end;  // the group whose walk waits for the next group's passes
            std::size_t at = 0;         // its flags are flags[at ^ 1]
            for (std::size_t first = begin; first < end; first += blocks_per_walk * max_block, at ^= 1) {
                flags[at].clear();
                for (std::size_t i = first; i < std::min(end, first + blocks_per_walk * max_block); i += max_block)
                    pass_block<Form, WholeLast>(k, i, std::min(max_block, end - i), input, flags[at], i - first);
                if (waiting != end) walk(waiting, flags[at ^ 1]);  // the group before
                waiting = first;
            }
            if (waiting != end) walk(waiting, flags[at ^ 1]);  // the last group
        };
        if constexpr (P::on_grid) {
            const auto coefficients = kernel_.model.coefficients();
            scalar_type* const v = x_.data();
            pass_and_walk([&](std::size_t first, const walk_flags& flags) {
                std::array<std::uint64_t, walk_words> any;  // NOLINT(cppcoreguidelines-pro-type-member-init): written next
                for (std::size_t w = 0; w < walk_words; ++w) any[w] = flags.fired[w] | flags.leaves[w];
                int walked = 0;  // spikes, in a register (`spikes` lives in memory across the walks)
                detail::for_each_set_bit(std::span<const std::uint64_t, walk_words>{any}, [&](std::size_t w, std::size_t b) {
                    const std::size_t n = first + 64 * w + b;
                    if ((flags.leaves[w] >> b) & 1U) {
                        walked += step_one(k, n, input[n], on_spike);
                    } else {  // fired at the step's end, V kept where it crossed
                        v[n] = M::equations::reset(coefficients, v[n]);
                        on_spike(n, grid_time{k, kernel_.dt});
                        ++walked;
                    }
                });
                spikes += walked;
            });
        } else if constexpr (lean_exits) {
            exit_queue q;  // NOLINT(cppcoreguidelines-pro-type-member-init): scratch, see exit_queue
            // Queued without a branch per neuron (the kind of a leaving neuron is as good as
            // random), from locals: stores to the queue could alias members read through `this`.
            // The kind comes from the pass's flags (a neuron with events is neither an ending nor
            // a crossing: its count was marked).
            const std::uint64_t crossings = lean_crossings && kernel_.t_ref > 0.0 ? 1 : 0;
            const scalar_type* const v = x_.data();
            double* const ends = refractory_offset_.data();
            pass_and_walk([&](std::size_t first, const walk_flags& flags) {
                // The group's leaving neurons fit in the queue after at most one flush here, and
                // then the loop over them holds no call: its pointers and counts stay in registers
                // (with step_exits inside it, GCC reloaded them through memory for every neuron).
                std::size_t leaving = 0;
                for (std::size_t w = 0; w < walk_words; ++w) leaving += static_cast<std::size_t>(std::popcount(flags.leaves[w]));
                if (q.crossings + q.endings + q.others + leaving > exit_queue::capacity)
                    spikes += step_exits<Form>(k, input, q, on_spike);
                const auto queue = [&, v, input, ends, first]<bool Flushes>(std::bool_constant<Flushes>) {
                    // The queue's counts as locals, stored back before step_exits reads them.
                    std::size_t crossings_n = q.crossings, endings_n = q.endings, others_n = q.others;
                    const std::uint64_t may_cross = crossings;  // a local, not read through the closure
                    detail::for_each_set_bit(std::span<const std::uint64_t, walk_words>{flags.leaves.data(), walk_words},
                                             [&](std::size_t w, std::size_t b) {
                        if constexpr (Flushes) {
                            if (crossings_n + endings_n + others_n == exit_queue::capacity) {
                                q.store_counts(crossings_n, endings_n, others_n);
                                spikes += step_exits<Form>(k, input, q, on_spike);
                                crossings_n = endings_n = others_n = 0;
                            }
                        }
                        const std::size_t n = first + 64 * w + b;
                        // Requested here, a step_exits later read (endings) or written (crossings).
                        __builtin_prefetch(ends + n, 1);
                        // In 0/1 arithmetic: as booleans GCC 12 branched on the kind, as good as random.
                        const std::uint64_t ending = (flags.ends[w] >> b) & 1U;
                        const std::uint64_t crossing = (flags.crosses[w] >> b) & may_cross;
                        q.end_n[endings_n] = n;
                        endings_n += ending;
                        q.cross_n[crossings_n] = n;
                        q.cross_v[crossings_n] = v[n];
                        q.cross_u[crossings_n] = input[n];
                        crossings_n += crossing;
                        q.other_n[others_n] = n;
                        others_n += 1 - ending - crossing;
                    });
                    q.store_counts(crossings_n, endings_n, others_n);
                };
                // More than the queue holds only when most of the group leaves at once.
                if (leaving > exit_queue::capacity) queue(std::true_type{});
                else queue(std::false_type{});
            });
            spikes += step_exits<Form>(k, input, q, on_spike);
        } else {
            // Each leaving neuron takes the neuron's own step, which reads where its refractory
            // period ends: a miss to the outer caches for neurons as good as random, so all of the
            // group's are requested first.
            const double* const ends = refractory_offset_.data();
            pass_and_walk([&](std::size_t first, const walk_flags& flags) {
                const std::span<const std::uint64_t, walk_words> leaves{flags.leaves.data(), walk_words};
                detail::for_each_set_bit(leaves, [&](std::size_t w, std::size_t b) { __builtin_prefetch(ends + first + 64 * w + b, 1); });
                int walked = 0;
                detail::for_each_set_bit(leaves, [&](std::size_t w, std::size_t b) {
                    const std::size_t n = first + 64 * w + b;
                    walked += step_one(k, n, input[n], on_spike);
                });
                spikes += walked;
            });
        }
        return spikes;
    }

    /// Calls f.template operator()<Form>() with the form in which the grid propagator takes a held
    /// input (under exact) as a compile-time constant, else with Form = 0: fixed outside the loops,
    /// it leaves their lanes' arithmetic without a branch (see advance_held).
    template <typename F>
    int with_held_form(const F& f) const {
        if constexpr (std::is_same_v<I, exact>) {
            using form = typename part_type::held_form;
            switch (kernel_.stepper.grid_propagator().form_of_held_input()) {
                case form::response: return f.template operator()<form::response>();
                case form::steady_state: return f.template operator()<form::steady_state>();
                default: return f.template operator()<form::drift>();
            }
        } else {
            return f.template operator()<0>();
        }
    }

    /// Rows [first_row, end_row) of a k-step advance for neurons [begin, end), one step at a time:
    /// row j is step step_ + j, with its input at input + j * row_stride (row_stride 0: one row held).
    template <typename OnSpike>
    int step_rows(int first_row, int end_row, std::size_t begin, std::size_t end, const scalar_type* input,
                  std::size_t row_stride, OnSpike& on_spike) {
        int spikes = 0;
        for (int j = first_row; j < end_row; ++j)
            spikes += step_range(step_ + j, begin, end, input + static_cast<std::size_t>(j) * row_stride, on_spike);
        return spikes;
    }

    /// The common pass of neurons [i, i + block) in step k: one branch-free loop, which the
    /// compiler turns into SIMD code (the model's equations, the integrator and the reset are
    /// instantiated on the scalar and inlined into it). `flags` marks the neurons that fired at
    /// the step's end (grid) and those that leave the common step, for step_blocks' walk: neuron
    /// i + j at lane `at` + j (`at` a multiple of 64).
    template <auto Form, bool WholeLast, std::size_t FlagLanes>
    void pass_block(std::int64_t k, std::size_t i, std::size_t block, const scalar_type* input,
                    detail::lane_flags<FlagLanes>& flags, std::size_t at = 0) {
        const kernel& su = kernel_;
        const double t0 = su.t_start + static_cast<double>(k) * su.dt;
        const auto threshold = static_cast<scalar_type>(su.threshold);
        const countdown held_steps = grid_refractory_steps_;
        // What the loop reads, as locals: a store through v_out or left_out may alias a member read
        // through `this`, which GCC then reloads every iteration.
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
        const auto whole = [&]<typename X>(const X& v, const X& u) -> X {
            if constexpr (std::is_same_v<I, exact>) {
                return stepper.grid_propagator().template advance_held<Form>(v, u);
            } else {
                const auto f = rhs(u);
                if constexpr (requires { stepper.grid_step(f, t0, v); }) return stepper.grid_step(f, t0, v);
                else return stepper.step(f, t0, v, dt);
            }
        };
        const auto part = [&]<typename X>(const X& v, const X& u) -> X {
            if constexpr (std::is_same_v<I, exact>) return last_propagator.template advance_held<Form>(v, u);
            else return integrator.step(rhs(u), t0 + rest, v, dt - rest);
        };
        scalar_type* const v_out = x_.data() + i;
        countdown* const left_out = refractory_left_.data() + i;
        const scalar_type* const u_in = input + i;
        // Neurons with events in this step take their own step: the loop leaves them alone. Under
        // the grid policy the events of a free neuron land at the step's start; when none lifts V
        // to the threshold they are added here, as the neuron adds them, and the neuron stays in
        // the common step (in a network nearly every neuron receives events every step). The
        // others get a negative countdown for the loop, which leaves such neurons alone, and
        // their own back before their own step. (A mark in the count, not a per-neuron flag
        // array: the loop then reads nothing but V, the count and the input.)
        struct held_back {
            std::size_t j;
            countdown left;
        };
        held_back own[max_block];  // NOLINT(modernize-avoid-c-arrays): scratch, written before read, not zeroed per block
        std::size_t owned = 0;
        if (consumed_ < pending_.size()) {
            // One search for the block, then a walk over its events.
            auto e = first_event(k, i);
            while (e != pending_.end() && e->step == k && e->index < i + block) {
                auto next = e + 1;
                while (next != pending_.end() && next->step == k && next->index == e->index) ++next;
                const std::size_t j = e->index - i;
                bool landed = false;
                if constexpr (P::on_grid && ModelWithInputs<M>) landed = left_out[j] == 0 && land_at_start(v_out[j], e, next);
                if (!landed) {
                    own[owned++] = {j, left_out[j]};
                    left_out[j] = held_back_mark;
                    flags.with_events[(at + j) / 64] |= std::uint64_t{1} << (j % 64);
                }
                e = next;
            }
        }
        // One branch-free pass over lanes of the target's vector width (see detail/lanes.hpp):
        // the model's step for every lane, then per lane what becomes of it (detail/
        // lane_outcome.hpp), with two flags for the walk after it: fired at the step's end (grid
        // policy: V is kept at the threshold crossing there, and reset then); leaves the common
        // step (any event; off the grid also a crossing or a refractory end; a non-finite V,
        // which step_one reports).
        using lanes = detail::lanes<scalar_type>;
        using value = typename lanes::value;
        using outcome = detail::lane_outcome<scalar_type, P::on_grid>;
        constexpr std::size_t width = lanes::width;
        // Under exact the propagator (library code, written over any value type) runs on the
        // lanes themselves; an ODE integrator's step, which may be a user's written for scalars,
        // runs in a scalar pass first, which the compiler vectorises where it can.
        constexpr bool lane_math = std::is_same_v<I, exact>;
        constexpr bool needs_part = P::on_grid && !WholeLast;
        // Scratch, written before read, not zeroed per block.
        alignas(64) std::array<scalar_type, lane_math ? 1 : max_block + width> full;  // NOLINT(cppcoreguidelines-pro-type-member-init)
        alignas(64) std::array<scalar_type, needs_part && !lane_math ? max_block + width : 1> partial;  // NOLINT(cppcoreguidelines-pro-type-member-init)
        if constexpr (!lane_math) {
            for (std::size_t j = 0; j < block; ++j) {
                full[j] = whole(v_out[j], u_in[j]);
                if constexpr (needs_part) partial[j] = part(v_out[j], u_in[j]);
            }
        }
        // Inlined, or each register pays a call and reloads what the closure holds (GCC 12 stopped
        // inlining it when the scan moved to its own function: exact + grid 0.35 -> 0.46 ns per
        // neuron-step at N = 1e5).
        const auto step_lanes = [&](scalar_type* v_at, countdown* left_at, const scalar_type* u_at,
                                    std::size_t j) __attribute__((always_inline)) {
            const value x = lanes::template load<value>(v_at);
            value v_full{}, v_part{};
            if constexpr (lane_math) {
                const typename lanes::array xa = lanes::to_array(x);
                const typename lanes::array ua = lanes::to_array(lanes::template load<value>(u_at));
                v_full = lanes::from_array(whole(xa, ua));
                if constexpr (needs_part) v_part = lanes::from_array(part(xa, ua));
            } else {
                v_full = lanes::template load<value>(full.data() + j);
                if constexpr (needs_part) v_part = lanes::template load<value>(partial.data() + j);
            }
            const auto o = outcome::template settle<needs_part>(x, outcome::load_counts(left_at), v_full, v_part,
                                                                 threshold, held_steps);
            lanes::store(v_at, o.v);
            outcome::store_counts(left_at, o.left);
            outcome::template store_flags<lean_exits>(flags, at + j, o);
        };
        const std::size_t whole_lanes = block - block % width;
        for (std::size_t j = 0; j < whole_lanes; j += width) step_lanes(v_out + j, left_out + j, u_in + j, j);
        if (whole_lanes < block) {
            // The last few neurons, padded to a register: the padding counts down a refractory
            // period and is dropped.
            const std::size_t tail = block - whole_lanes;
            alignas(64) scalar_type v_pad[width] = {};   // NOLINT(modernize-avoid-c-arrays): one register
            alignas(64) scalar_type u_pad[width] = {};   // NOLINT(modernize-avoid-c-arrays): one register
            alignas(64) countdown left_pad[width];       // NOLINT(modernize-avoid-c-arrays): filled below
            std::fill_n(left_pad, width, countdown{2});
            std::copy_n(v_out + whole_lanes, tail, v_pad);
            std::copy_n(u_in + whole_lanes, tail, u_pad);
            std::copy_n(left_out + whole_lanes, tail, left_pad);
            step_lanes(v_pad, left_pad, u_pad, whole_lanes);
            std::copy_n(v_pad, tail, v_out + whole_lanes);
            std::copy_n(left_pad, tail, left_out + whole_lanes);
        }
        flags.template finish<P::on_grid, lean_exits>(at, block);
        for (std::size_t o = 0; o < owned; ++o) left_out[own[o].j] = own[o].left;
    }

    // Off the grid under exact, the two common ways out of the lanes (about one neuron in a
    // hundred per step in an asynchronous network): a refractory period that ends inside the
    // step, and a free neuron that crosses the threshold, located in closed form (a policy that
    // takes the closed form, `analytic`).
    // Their steps are computed together over lanes of doubles, with the neuron's own arithmetic
    // (see step_exits), instead of one neuron_step each (about 50 ns a neuron).
    static constexpr bool lean_exits = std::is_same_v<I, exact> && !P::on_grid && LaneModel<M> &&
                                       std::is_void_v<Shared> && !detail::refractory_leaves_free<M>;
    static constexpr bool lean_crossings = lean_exits && detail::takes_closed_form<P>;

    /// The neurons of a step that left the lanes, waiting for step_exits, in three lists in the
    /// order of their indices: crossings (free, may cross in closed form), endings (a refractory
    /// period ends inside the step) and the others, filled by step_blocks.
    struct exit_queue {  // NOLINT(cppcoreguidelines-pro-type-member-init): arrays are scratch, written before read
        static constexpr std::size_t width = detail::lanes<double>::width;
        static constexpr std::size_t capacity = 128;
        std::size_t crossings = 0, endings = 0, others = 0;
        std::array<std::size_t, capacity> cross_n, end_n, other_n;
        // A crossing: V and input before the step; then its offset and whether taken.
        alignas(64) std::array<scalar_type, capacity + width> cross_v, cross_u;
        alignas(64) std::array<double, capacity + width> cross_s;
        std::array<bool, capacity + width> cross_taken;
        // An ending: V, input and the free rest of the step; then V at the step's end.
        alignas(64) std::array<scalar_type, capacity + width> end_v, end_u, end_v1;
        alignas(64) std::array<double, capacity + width> end_h;

        void store_counts(std::size_t crossings_n, std::size_t endings_n, std::size_t others_n) noexcept {
            crossings = crossings_n;
            endings = endings_n;
            others = others_n;
        }
    };

    /// Steps the queued neurons of step k and empties the queue. The crossings and endings are
    /// computed over lanes first, with the arithmetic the neuron's step takes for them
    /// (neuron_step::run, advance_free with the policy's closed form, fire), so bit for bit the
    /// same: `detail::lane_log1p` and `lane_expm1` give a lane the bits of a scalar. A neuron
    /// whose step holds anything else (a crossing without the closed form or at the step's end,
    /// a period ending within the step it starts, a crossing after the period, anything
    /// non-finite) takes step_one, as the others do, in the order of the neurons.
    template <auto Form, typename OnSpike>
    int step_exits(std::int64_t k, const scalar_type* input, exit_queue& q, OnSpike& on_spike) {
        constexpr std::size_t width = exit_queue::width;
        using wide = typename detail::vector_of<double, width>::type;
        using value = typename detail::vector_of<scalar_type, width>::type;
        using lanes = detail::lanes<double>;
        const auto& propagator = kernel_.stepper.grid_propagator();
        const double dt = kernel_.dt;
        const double threshold = kernel_.threshold;
        constexpr double highest = std::numeric_limits<double>::max();
        // The lanes past the last neuron repeat its values: computed, never read.
        const auto pad = [](auto& a, std::size_t n) {
            std::fill_n(a.begin() + static_cast<std::ptrdiff_t>(n), width, a[n - 1]);
        };
        int spikes = 0;
        // Where the periods end, for the endings, and where the crossings will write theirs, are
        // a neuron in a hundred, as good as random in a large population: the walk that queued
        // them requested those lines (a burst of them here waited for free fill buffers).
        // Crossings: taken where the whole step ends above the threshold, finite, and the closed
        // form puts the crossing inside it.
        if (q.crossings > 0) {
            pad(q.cross_v, q.crossings);
            pad(q.cross_u, q.crossings);
        }
        for (std::size_t c = 0; c < q.crossings; c += width) {
            const auto v = lanes::load<value>(q.cross_v.data() + c);
            const auto u = lanes::load<value>(q.cross_u.data() + c);
            const wide whole = detail::convert_lanes<double>(propagator.template advance_held<Form>(v, u));
            const wide s = propagator.held_crossing(v, u, threshold);
            // The state at the spike is the threshold (neuron_step::state_at).
            const auto taken = (whole >= threshold) & (whole <= highest) & (s < dt);
            lanes::store(q.cross_s.data() + c, s);
            for (std::size_t l = 0; l < width; ++l) q.cross_taken[c + l] = taken[l] != 0;
        }
        // Endings: V is held until the period's end, then runs free to the step's end. Those
        // that cross after it join the others.
        for (std::size_t e = 0; e < q.endings; ++e) {
            const std::size_t n = q.end_n[e];
            q.end_v[e] = x_[n];
            q.end_u[e] = input[n];
            q.end_h[e] = dt - refractory_offset_[n];  // as the neuron's step: e - s
        }
        if (q.endings > 0) {
            pad(q.end_v, q.endings);
            pad(q.end_u, q.endings);
            pad(q.end_h, q.endings);
        }
        for (std::size_t c = 0; c < q.endings; c += width) {
            const auto v = lanes::load<value>(q.end_v.data() + c);
            const auto u = lanes::load<value>(q.end_u.data() + c);
            const auto h = lanes::load<wide>(q.end_h.data() + c);
            lanes::store(q.end_v1.data() + c, propagator.template advance_held_over<Form>(v, u, h));
        }
        std::array<std::size_t, exit_queue::capacity> late;  // NOLINT(cppcoreguidelines-pro-type-member-init): written before read
        std::size_t lates = 0;
        for (std::size_t e = 0; e < q.endings; ++e) {
            const std::size_t n = q.end_n[e];
            const auto v1 = static_cast<double>(q.end_v1[e]);
            if (q.end_h[e] > 0.0 && v1 < threshold && v1 >= -highest) [[likely]] {
                x_[n] = q.end_v1[e];
                refractory_left_[n] = 0;
                refractory_offset_[n] = 0.0;
            } else {
                late[lates++] = n;
            }
        }
        // The crossings, the others and the late endings, merged in the order of the neurons.
        const auto coefficients = kernel_.model.coefficients();
        const grid_time::duration_on_grid refractory{kernel_.t_ref, dt};  // as the neuron's fire, off the grid
        const auto at_spike = static_cast<scalar_type>(threshold);
        constexpr std::size_t past = std::numeric_limits<std::size_t>::max();  // a list that is done
        std::size_t c = 0, o = 0, l = 0;
        while (c < q.crossings || o < q.others || l < lates) {
            const std::size_t next_cross = c < q.crossings ? q.cross_n[c] : past;
            const std::size_t next_other = o < q.others ? q.other_n[o] : past;
            const std::size_t next_late = l < lates ? late[l] : past;
            if (next_cross < next_other && next_cross < next_late) [[likely]] {
                const double s = q.cross_s[c];
                // Not taken, or a period that ends in this same step: the neuron's own step.
                const grid_time end = q.cross_taken[c] ? refractory.after(k, s) : grid_time{k, 0.0};
                if (end.step > k) [[likely]] {
                    on_spike(next_cross, grid_time{k, s});
                    ++spikes;
                    x_[next_cross] = M::equations::reset(coefficients, at_spike);
                    refractory_left_[next_cross] = static_cast<countdown>(end.step - k);
                    refractory_offset_[next_cross] = end.offset;
                } else {
                    spikes += step_one(k, next_cross, input[next_cross], on_spike);
                }
                ++c;
            } else if (next_other < next_late) {
                spikes += step_one(k, next_other, input[next_other], on_spike);
                ++o;
            } else {
                spikes += step_one(k, next_late, input[next_late], on_spike);
                ++l;
            }
        }
        q.crossings = q.endings = q.others = 0;
        return spikes;
    }

    /// advance(k) for neurons [i, i + block): each register of lanes takes the k steps before it
    /// is stored (register_blocks), unless an event for these neurons falls in the k steps or a
    /// neuron's count leaves it to its own step; then step by step. The same spikes and states as
    /// k calls of step, and each neuron's spikes in step order.
    template <typename OnSpike>
    int advance_block(int k, std::size_t i, std::size_t block, const scalar_type* input, std::size_t row_stride,
                      OnSpike& on_spike) {
        bool plain = std::none_of(refractory_left_.begin() + static_cast<std::ptrdiff_t>(i),
                                  refractory_left_.begin() + static_cast<std::ptrdiff_t>(i + block),
                                  [](countdown left) { return left < 0; });
        if (plain && consumed_ < pending_.size()) {
            for (int j = 0; j < k && plain; ++j) {
                const auto e = first_event(step_ + j, i);
                plain = e == pending_.end() || e->step != step_ + j || e->index >= i + block;
            }
        }
        if (!plain) return step_rows(0, k, i, i + block, input, row_stride, on_spike);
        if (grid_refractory_rest_ == 0.0) return advance_registers<true>(k, i, block, input, row_stride, on_spike);
        return advance_registers<false>(k, i, block, input, row_stride, on_spike);
    }

    /// The same, with the propagator's form fixed (as in step_blocks) and whether the input is
    /// one row held over the k steps.
    template <bool WholeLast, typename OnSpike>
    int advance_registers(int k, std::size_t i, std::size_t block, const scalar_type* input, std::size_t row_stride,
                          OnSpike& on_spike) {
        return with_held_form([&]<auto Form>() {
            if (row_stride == 0) return advance_registers<Form, WholeLast, true>(k, i, block, input, 0, on_spike);
            return advance_registers<Form, WholeLast, false>(k, i, block, input, row_stride, on_spike);
        });
    }

    template <auto Form, bool WholeLast, bool Held, typename OnSpike>
    int advance_registers(int k, std::size_t i, std::size_t block, const scalar_type* input, std::size_t row_stride,
                          OnSpike& on_spike) {
        using lanes = detail::lanes<scalar_type>;
        using value = typename lanes::value;
        using outcome = detail::lane_outcome<scalar_type, true>;
        constexpr std::size_t width = lanes::width;
        const kernel& su = kernel_;
        const auto threshold = static_cast<scalar_type>(su.threshold);
        const countdown held_steps = grid_refractory_steps_;
        // As pass_block: what the loop reads, as locals.
        const auto coefficients = su.model.coefficients();
        const auto propagator = su.stepper.grid_propagator();
        const auto last_propagator = part_propagator_;
        scalar_type* const v_out = x_.data() + i;
        countdown* const left_out = refractory_left_.data() + i;
        // Registers go through the steps in groups, whose independent chains of dependent
        // arithmetic overlap (a register's step depends on its previous step).
        constexpr std::size_t group = 4;
        constexpr std::size_t group_lanes = group * width;
        const std::size_t whole_lanes = block - block % group_lanes;
        int spikes = 0;
        for (int first = 0; first < k; first += max_register_steps) {
            const int steps = std::min(max_register_steps, k - first);
            std::array<detail::lane_flags<max_block + width>, max_register_steps> fired_in;
            // The step each group stopped at: before a lane that leaves the common step (a
            // non-finite V, which the neuron's own step reports), else `steps`.
            std::array<int, max_block / group_lanes + 1> stopped{};
            for (std::size_t r = 0; r < whole_lanes; r += group_lanes) {
                std::array<value, group> x;  // NOLINT(cppcoreguidelines-pro-type-member-init): loaded below
                typename outcome::counts left[group];  // NOLINT(modernize-avoid-c-arrays): an intrinsic type drops its attributes as a template argument
                std::array<typename lanes::array, group> u_held;
                for (std::size_t g = 0; g < group; ++g) {
                    x[g] = lanes::template load<value>(v_out + r + g * width);
                    left[g] = outcome::load_counts(left_out + r + g * width);
                    // A held row is read once: the input's part of the step is then the same every step.
                    if constexpr (Held) u_held[g] = lanes::to_array(lanes::template load<value>(input + i + r + g * width));
                }
                int j = 0;
                for (; j < steps; ++j) {
                    const scalar_type* const u_at = input + static_cast<std::size_t>(first + j) * row_stride + i + r;
                    std::array<typename outcome::outcome, group> o;  // NOLINT(cppcoreguidelines-pro-type-member-init): set below
                    bool leaves = false;
                    for (std::size_t g = 0; g < group; ++g) {
                        const auto xa = lanes::to_array(x[g]);
                        const typename lanes::array ua =
                            Held ? u_held[g] : lanes::to_array(lanes::template load<value>(u_at + g * width));
                        const value v_full = lanes::from_array(propagator.template advance_held<Form>(xa, ua));
                        value v_part{};
                        if constexpr (!WholeLast)
                            v_part = lanes::from_array(last_propagator.template advance_held<Form>(xa, ua));
                        o[g] = outcome::template settle_or_discard<!WholeLast>(x[g], left[g], v_full, v_part, threshold,
                                                                               held_steps);
                        leaves = leaves || outcome::any(o[g].leaves);
                    }
                    if (leaves) break;
                    for (std::size_t g = 0; g < group; ++g) {
                        outcome::store_fired(fired_in[static_cast<std::size_t>(j)], r + g * width, o[g]);
                        // A fired lane is reset here, as step_blocks' walk resets it.
                        x[g] = outcome::where(
                            o[g].fired, lanes::from_array(M::equations::reset(coefficients, lanes::to_array(o[g].v))), o[g].v);
                        left[g] = o[g].left;
                    }
                }
                for (std::size_t g = 0; g < group; ++g) {
                    lanes::store(v_out + r + g * width, x[g]);
                    outcome::store_counts(left_out + r + g * width, left[g]);
                }
                stopped[r / group_lanes] = j;
                for (; j < steps; ++j)
                    for (std::size_t g = 0; g < group; ++g)
                        outcome::store_flags(fired_in[static_cast<std::size_t>(j)], r + g * width, typename outcome::outcome{});
            }
            for (int j = 0; j < steps; ++j) {
                auto& flags = fired_in[static_cast<std::size_t>(j)];
                flags.template finish<true, false>(0, whole_lanes);
                for (std::size_t w = 0; w * 64 < whole_lanes; ++w) {
                    for (std::uint64_t fired = flags.fired[w]; fired != 0; fired &= fired - 1) {
                        const std::size_t n = i + 64 * w + static_cast<std::size_t>(std::countr_zero(fired));
                        on_spike(n, grid_time{step_ + first + j, su.dt});
                        ++spikes;
                    }
                }
            }
            // The registers that stopped, and the last few neurons, step by step.
            for (std::size_t r = 0; r < whole_lanes; r += group_lanes)
                spikes += step_rows(first + stopped[r / group_lanes], first + steps, i + r, i + r + group_lanes, input,
                                    row_stride, on_spike);
            if (whole_lanes < block)
                spikes += step_rows(first, first + steps, i + whole_lanes, i + block, input, row_stride, on_spike);
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
    std::vector<kernel> kernels_;  // one per neuron when heterogeneous, else empty
    [[no_unique_address]] slot shared_;
    detail::cache_aligned_vector<state_type> x_;
    // The latest breakpoint of the shared current each neuron has passed (when it has any).
    std::vector<detail::breakpoint_memory<true>> breaks_;
    detail::cache_aligned_vector<countdown> refractory_left_;  // steps until the step where the period ends, plus one; 0: free
    std::vector<double> refractory_offset_;     // where in that step it ends [ms] (negative counts; see ends_at)
    std::vector<addressed> pending_;            // delivered events; those before consumed_ are done
    std::size_t consumed_ = 0;
    bool sorted_ = true;
    std::vector<addressed> sort_scratch_;       // detail::sort_events' buffer, grown once
    std::int64_t step_ = 0;
    // The grid policy's refractory period, counted from a spike at a step's end: whole steps
    // held, then a last step integrated from `rest` to dt.
    grid_time grid_end_;
    countdown grid_refractory_steps_ = 0;
    double grid_refractory_rest_ = 0.0;
    [[no_unique_address]] part_type part_propagator_;
};

/// Deduction: `population{model, n, integrator, timing, dt}` and `population{models, ...}`
/// have no shared current; a seventh argument is one.
template <typename M, typename I, typename P>
population(M, std::size_t, I, P, double, double = 0.0) -> population<M, I, P>;
/// Deduction: one model for every neuron, with a shared time-dependent current C.
template <typename M, typename I, typename P, typename C>
population(M, std::size_t, I, P, double, double, C) -> population<M, I, P, C>;
/// Deduction: one model per neuron (heterogeneous parameters), no shared current.
template <typename M, typename I, typename P>
population(std::vector<M>, I, P, double, double = 0.0) -> population<M, I, P>;
/// Deduction: one model per neuron, with a shared time-dependent current C.
template <typename M, typename I, typename P, typename C>
population(std::vector<M>, I, P, double, double, C) -> population<M, I, P, C>;

}  // namespace iaf
