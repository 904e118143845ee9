#pragma once
/// \file
/// The current algebra: sums, multiples and time shifts of currents, built at compile time.

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <utility>

#include "../concepts.hpp"
#include "../errors.hpp"
#include "constant.hpp"
#include "current_traits.hpp"
#include "validate_current.hpp"

namespace iaf {

namespace detail {

/// The earliest of the breakpoints after t of the parts that report any.
template <typename... Parts>
[[nodiscard]] double earliest_breakpoint(double t, const Parts&... parts) noexcept {
    double b = std::numeric_limits<double>::infinity();
    (
        [&] {
            if constexpr (CurrentWithBreakpoints<Parts>) b = std::min(b, static_cast<double>(parts.next_breakpoint(t)));
        }(),
        ...);
    return b;
}

/// The current without its white-noise part: `drift()` for currents that have one, the current
/// itself otherwise.
template <Current C>
[[nodiscard]] auto drift_of(const C& c) {
    if constexpr (CurrentWithWhiteNoise<C>) return c.drift();
    else return c;
}

/// The white-noise sample of a part, 0 for parts without white noise.
template <Current C>
[[nodiscard]] double white_noise_sample_of(const C& c, double t) {
    if constexpr (CurrentWithWhiteNoise<C>) return static_cast<double>(c.white_noise_sample(t));
    else return 0.0;
}

}  // namespace detail

/// The sum of two currents, I(t) = a(t) + b(t); what `a + b` builds.
///
/// A plain value holding both parts: no heap, no virtual call. It reports the union of its
/// parts' breakpoints when either has any, and has a leaky response (the sum of theirs) when both
/// have one; otherwise `exact` falls back to the midpoint rule for the whole sum. When a part has
/// white noise, the sum exposes it (`CurrentWithWhiteNoise`): its drift is the sum of the parts'
/// drifts, so `exact` combines the exact Gaussian transition with the drift's closed form.
template <Current A, Current B>
class current_sum {
public:
    /// Marks a library current: it joins the `+`, `-`, `*` and `iaf::shifted` algebra.
    using iaf_current = void;

    /// The sum a + b; usually written `a + b` or `a - b`.
    constexpr current_sum(A a, B b) : a_(std::move(a)), b_(std::move(b)) {}

    /// The current at time t [ms], in nA.
    [[nodiscard]] constexpr double operator()(double t) const {
        return static_cast<double>(a_(t)) + static_cast<double>(b_(t));
    }
    /// The first time after t [ms] at which the current jumps or bends, or +infinity: the neuron
    /// splits its step there.
    [[nodiscard]] double next_breakpoint(double t) const
        requires(CurrentWithBreakpoints<A> || CurrentWithBreakpoints<B>)
    {
        return detail::earliest_breakpoint(t, a_, b_);
    }
    /// The sum of the parts' leaky responses: u(t), the solution of du/dt = -u/tau + I(t) that is 0
    /// far in the past [nA ms] (see `CurrentWithLeakyResponse`); `exact` integrates the current
    /// with it.
    [[nodiscard]] double leaky_response(double t, double tau) const
        requires(CurrentWithLeakyResponse<A> && CurrentWithLeakyResponse<B>)
    {
        return static_cast<double>(a_.leaky_response(t, tau)) + static_cast<double>(b_.leaky_response(t, tau));
    }
    /// The sum without its white-noise parts (see `CurrentWithWhiteNoise`).
    [[nodiscard]] auto drift() const
        requires(CurrentWithWhiteNoise<A> || CurrentWithWhiteNoise<B>)
    {
        using Da = decltype(detail::drift_of(a_));
        using Db = decltype(detail::drift_of(b_));
        return current_sum<Da, Db>(detail::drift_of(a_), detail::drift_of(b_));
    }
    /// Independent parts add: sigma_a z_a + sigma_b z_b has the law of sqrt(sigma_a^2 + sigma_b^2) z.
    [[nodiscard]] double white_noise_sample(double t) const
        requires(CurrentWithWhiteNoise<A> || CurrentWithWhiteNoise<B>)
    {
        return detail::white_noise_sample_of(a_, t) + detail::white_noise_sample_of(b_, t);
    }

    /// The left operand.
    [[nodiscard]] constexpr const A& first() const noexcept { return a_; }
    /// The right operand.
    [[nodiscard]] constexpr const B& second() const noexcept { return b_; }
    /// Validates both operands (`validate_current`): their fields may have been assigned since.
    void validate() const {
        validate_current(a_);
        validate_current(b_);
    }

private:
    A a_;
    B b_;
};

/// A current multiplied by a constant factor, I(t) = factor * a(t); what `k * a`, `a * k`, `a / k`
/// and `-a` build. Breakpoints and the leaky response carry over (scaled).
template <Current A>
class scaled_current {
public:
    /// Marks a library current: it joins the `+`, `-`, `*` and `iaf::shifted` algebra.
    using iaf_current = void;

    /// Throws `invalid_parameter` unless `factor` is finite.
    scaled_current(double factor, A a) : factor_(factor), a_(std::move(a)) {
        detail::require_finite("iaf::scaled_current", "factor", factor);
    }

    /// The current at time t [ms], in nA.
    [[nodiscard]] constexpr double operator()(double t) const { return factor_ * static_cast<double>(a_(t)); }
    /// The first time after t [ms] at which the current jumps or bends, or +infinity: the neuron
    /// splits its step there.
    [[nodiscard]] double next_breakpoint(double t) const
        requires CurrentWithBreakpoints<A>
    {
        return static_cast<double>(a_.next_breakpoint(t));
    }
    /// factor times the base's leaky response: u(t), the solution of du/dt = -u/tau + I(t) that is
    /// 0 far in the past [nA ms] (see `CurrentWithLeakyResponse`); `exact` integrates the current
    /// with it.
    [[nodiscard]] double leaky_response(double t, double tau) const
        requires CurrentWithLeakyResponse<A>
    {
        return factor_ * static_cast<double>(a_.leaky_response(t, tau));
    }
    /// factor times the base's drift: the current without its white noise (see
    /// `CurrentWithWhiteNoise`).
    [[nodiscard]] auto drift() const
        requires CurrentWithWhiteNoise<A>
    {
        using D = std::remove_cvref_t<decltype(a_.drift())>;
        return scaled_current<D>(factor_, a_.drift());
    }
    /// factor times the base's white-noise sample [nA sqrt(ms)].
    [[nodiscard]] double white_noise_sample(double t) const
        requires CurrentWithWhiteNoise<A>
    {
        return factor_ * static_cast<double>(a_.white_noise_sample(t));
    }

    /// The factor.
    [[nodiscard]] constexpr double factor() const noexcept { return factor_; }
    /// The current that is scaled.
    [[nodiscard]] constexpr const A& base() const noexcept { return a_; }
    /// Validates the base (`validate_current`); the factor was checked when this was built.
    void validate() const { validate_current(a_); }

private:
    double factor_;
    A a_;
};

/// A current delayed by `delay` ms, I(t) = a(t - delay) (advanced when delay < 0).
///
/// Breakpoints and the leaky response are shifted with it. Works on any current, lambdas
/// included: `iaf::shifted(iaf::sine{...}, 5.0)` or `iaf::shifted([](double t) {...}, 5.0)`.
template <Current A>
class shifted {
public:
    /// Marks a library current: it joins the `+`, `-`, `*` and `iaf::shifted` algebra.
    using iaf_current = void;

    /// Throws `invalid_parameter` unless `delay` (ms) is finite.
    shifted(A a, double delay) : a_(std::move(a)), delay_(delay) {
        detail::require_finite("iaf::shifted", "delay", delay);
    }

    /// The current at time t [ms], in nA.
    [[nodiscard]] constexpr double operator()(double t) const { return static_cast<double>(a_(t - delay_)); }
    /// The first time after t [ms] at which the current jumps or bends, or +infinity: the neuron
    /// splits its step there.
    [[nodiscard]] double next_breakpoint(double t) const
        requires CurrentWithBreakpoints<A>
    {
        // (t - delay) + delay may round back to t or below; a breakpoint must lie strictly after t.
        // One or two more tries fix that for any sane delay. The loop is bounded and insists that
        // the base's breakpoints increase: a delay so large that dozens of them round to t, or a
        // base that reports a breakpoint not after its argument, gives +infinity (no split)
        // instead of a hang.
        double b = static_cast<double>(a_.next_breakpoint(t - delay_));
        for (int tries = 0; tries < 64 && std::isfinite(b) && !(b + delay_ > t); ++tries) {
            const double next = static_cast<double>(a_.next_breakpoint(b));
            if (!(next > b)) return std::numeric_limits<double>::infinity();
            b = next;
        }
        return b + delay_ > t ? b + delay_ : std::numeric_limits<double>::infinity();
    }
    /// The base's leaky response at t - delay: u(t), the solution of du/dt = -u/tau + I(t) that is
    /// 0 far in the past [nA ms] (see `CurrentWithLeakyResponse`); `exact` integrates the current
    /// with it.
    [[nodiscard]] double leaky_response(double t, double tau) const
        requires CurrentWithLeakyResponse<A>
    {
        return static_cast<double>(a_.leaky_response(t - delay_, tau));
    }
    /// The base's drift, shifted: the current without its white noise (see
    /// `CurrentWithWhiteNoise`).
    [[nodiscard]] auto drift() const
        requires CurrentWithWhiteNoise<A>
    {
        using D = std::remove_cvref_t<decltype(a_.drift())>;
        return shifted<D>(a_.drift(), delay_);
    }
    /// The base's white-noise sample at t - delay [nA sqrt(ms)].
    [[nodiscard]] double white_noise_sample(double t) const
        requires CurrentWithWhiteNoise<A>
    {
        return static_cast<double>(a_.white_noise_sample(t - delay_));
    }

    /// The delay [ms].
    [[nodiscard]] constexpr double delay() const noexcept { return delay_; }
    /// The current that is delayed.
    [[nodiscard]] constexpr const A& base() const noexcept { return a_; }
    /// Validates the base (`validate_current`); the delay was checked when this was built.
    void validate() const { validate_current(a_); }

private:
    A a_;
    double delay_;
};

/// Deduces the delayed current's type: `iaf::shifted(c, 5.0)`.
template <typename A>
shifted(A, double) -> shifted<A>;

namespace detail {

/// An operand of the current algebra: a current or a number (which becomes `constant`).
template <typename T>
concept current_operand = Current<std::remove_cvref_t<T>> || std::is_arithmetic_v<std::remove_cvref_t<T>>;

/// At least one side is an iaf current, so the operator belongs to us.
template <typename A, typename B>
concept current_operands = current_operand<A> && current_operand<B> &&
                           (enable_current_operators<A> || enable_current_operators<B>);

template <typename T>
[[nodiscard]] auto as_current(T&& x) {
    if constexpr (std::is_arithmetic_v<std::remove_cvref_t<T>>) return constant{static_cast<double>(x)};
    else return std::remove_cvref_t<T>(std::forward<T>(x));
}

template <typename T>
using as_current_t = decltype(as_current(std::declval<T>()));

}  // namespace detail

/// a + b for currents, lambdas and numbers (at least one operand an iaf current).
template <typename A, typename B>
    requires detail::current_operands<A, B>
[[nodiscard]] auto operator+(A&& a, B&& b) {
    return current_sum<detail::as_current_t<A>, detail::as_current_t<B>>(detail::as_current(std::forward<A>(a)),
                                                                       detail::as_current(std::forward<B>(b)));
}

/// k * a: a current scaled by a number.
template <typename K, typename A>
    requires std::is_arithmetic_v<std::remove_cvref_t<K>> && Current<std::remove_cvref_t<A>> &&
             enable_current_operators<A>
[[nodiscard]] auto operator*(K k, A&& a) {
    return scaled_current<std::remove_cvref_t<A>>(static_cast<double>(k), std::forward<A>(a));
}

/// a * k: a current scaled by a number.
template <typename A, typename K>
    requires std::is_arithmetic_v<std::remove_cvref_t<K>> && Current<std::remove_cvref_t<A>> &&
             enable_current_operators<A>
[[nodiscard]] auto operator*(A&& a, K k) {
    return scaled_current<std::remove_cvref_t<A>>(static_cast<double>(k), std::forward<A>(a));
}

/// a / k: a current divided by a non-zero number.
template <typename A, typename K>
    requires std::is_arithmetic_v<std::remove_cvref_t<K>> && Current<std::remove_cvref_t<A>> &&
             enable_current_operators<A>
[[nodiscard]] auto operator/(A&& a, K k) {
    if (!(static_cast<double>(k) != 0.0)) detail::fail_parameter("iaf::operator/", "divisor", static_cast<double>(k), "must be != 0");
    return scaled_current<std::remove_cvref_t<A>>(1.0 / static_cast<double>(k), std::forward<A>(a));
}

/// -a: the current with its sign flipped.
template <typename A>
    requires Current<std::remove_cvref_t<A>> && enable_current_operators<A>
[[nodiscard]] auto operator-(A&& a) {
    return scaled_current<std::remove_cvref_t<A>>(-1.0, std::forward<A>(a));
}

/// a - b, i.e. a + (-1) * b.
template <typename A, typename B>
    requires detail::current_operands<A, B>
[[nodiscard]] auto operator-(A&& a, B&& b) {
    using Bc = detail::as_current_t<B>;
    return current_sum<detail::as_current_t<A>, scaled_current<Bc>>(
        detail::as_current(std::forward<A>(a)), scaled_current<Bc>(-1.0, detail::as_current(std::forward<B>(b))));
}

}  // namespace iaf
