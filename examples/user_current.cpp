// Writing a current (docs/writing_a_current.md): an alpha-function current with a breakpoint at
// its onset and a closed-form leaky response, joined to the library's `+` / `*` algebra. The
// program checks what the guide claims and exits non-zero if a check fails:
//   1. leaky_response solves du/dt = -u/tau + I(t) (checked against a fine RK4 quadrature);
//   2. with it, `exact` + `analytic` gives the same spike times at dt = 1 ms as at dt = 0.01 ms
//      (no discretisation error), while the same current as a plain lambda (midpoint rule) does not;
//   3. `iaf::constant{...} + 2.0 * alpha{...}` is again a current with a leaky response.
// It also writes user_current.csv and user_current_spikes.csv for the guide's figure
// (examples/plots/plot_trace.py renders examples/figures/user_current.png in the demo).
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include <iaf/iaf.hpp>

#include "notebook_recording.hpp"

// I(t) = amplitude * s / tau_s * exp(1 - s / tau_s) for s = t - onset >= 0, 0 before: a synaptic
// current that rises and decays with time constant tau_s and peaks at `amplitude` [nA] at
// s = tau_s (Rall 1967).
struct alpha {
    using iaf_current = void;  // joins iaf's current algebra (+, -, *, shifted)

    double onset = 0.0;      // [ms]
    double tau_s = 2.0;      // [ms], > 0
    double amplitude = 1.0;  // peak [nA]

    // Pure: the same t always gives the same value (integrators call it at any stage time).
    double operator()(double t) const noexcept {
        const double s = t - onset;
        return s >= 0.0 ? amplitude * s / tau_s * std::exp(1.0 - s / tau_s) : 0.0;
    }
    // The current is continuous, but its slope jumps at the onset: a step must not straddle it.
    double next_breakpoint(double t) const noexcept {
        return t < onset ? onset : std::numeric_limits<double>::infinity();
    }
    // u(t) = integral from onset to t of exp(-(t - r)/tau) I(r) dr [nA ms]. With b = 1/tau - 1/tau_s
    // and x = b s: u = amplitude e / tau_s * exp(-s/tau) * s^2 * g(x), g(x) = (e^x (x - 1) + 1) / x^2.
    // g cancels for small x, so it is summed as its series there: g = sum_{n>=2} x^(n-2) (n-1)/n!.
    // (tau == tau_s is x = 0, g = 1/2: the coincident case needs no special formula.)
    double leaky_response(double t, double tau) const noexcept {
        const double s = t - onset;
        if (!(s > 0.0)) return 0.0;
        const double x = (1.0 / tau - 1.0 / tau_s) * s;
        double g = 0.0;
        if (std::abs(x) < 0.5) {
            double term = 0.5;  // n = 2: (n-1)/n! = 1/2
            for (int n = 2; n < 30; ++n) {
                g += term;
                term *= x * n / ((n + 1.0) * (n - 1.0));  // ratio of x^(n-1) n/(n+1)! to x^(n-2) (n-1)/n!
            }
        } else {
            g = (std::exp(x) * (x - 1.0) + 1.0) / (x * x);
        }
        return amplitude * std::numbers::e / tau_s * std::exp(-s / tau) * s * s * g;
    }
};
static_assert(iaf::CurrentWithBreakpoints<alpha> && iaf::CurrentWithLeakyResponse<alpha>);

namespace {

int failures = 0;
void check(bool ok, const char* what) {
    std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok) ++failures;
}

// u(t) by RK4 on du/dt = -u/tau + I(t) with a tiny step, independent of leaky_response.
double leaky_by_quadrature(const alpha& c, double t, double tau) {
    const int n = 200000;
    const double h = (t - c.onset) / n;
    double u = 0.0, r = c.onset;
    const auto f = [&](double time, double value) { return -value / tau + c(time); };
    for (int k = 0; k < n; ++k, r = c.onset + k * h) {
        const double k1 = f(r, u), k2 = f(r + h / 2, u + h / 2 * k1), k3 = f(r + h / 2, u + h / 2 * k2);
        const double k4 = f(r + h, u + h * k3);
        u += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    }
    return u;
}

const iaf::lif model{
    {.tau_m = 10.0, .c_m = 0.25, .e_l = -70.0, .v_th = -55.0, .v_reset = -70.0, .t_ref = 2.0}};

template <typename Current>
std::vector<double> spikes(const Current& current, double dt) {
    return iaf::simulate(model, current, iaf::exact{}, iaf::analytic{}, {.dt = dt, .t_end = 100.0})
        .spike_times;
}

// V, I and the spikes of `exact` + `analytic` at step dt, for the figure.
template <typename Current>
notebook::series trace(std::string label, const Current& current, double dt) {
    notebook::series s{.label = std::move(label)};
    iaf::neuron n{model, current, iaf::exact{}, iaf::analytic{}, dt};
    notebook::record(s, n, 100.0, model.v_th(), model.v_reset());
    return s;
}

double worst_difference(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return std::numeric_limits<double>::infinity();
    double worst = 0.0;
    for (std::size_t k = 0; k < a.size(); ++k) worst = std::max(worst, std::abs(a[k] - b[k]));
    return worst;
}

}  // namespace

int main() {
    // Onset off the grid, so steps must split there.
    const alpha input{.onset = 10.35, .tau_s = 2.0, .amplitude = 9.0};

    double worst = 0.0;
    for (const double tau : {10.0, 2.0, 1.999}) {  // 2 and 1.999: coincident and near-coincident
        for (const double t : {10.4, 12.0, 30.0}) {
            const double exact = leaky_by_quadrature(input, t, tau);
            worst = std::max(worst, std::abs(input.leaky_response(t, tau) - exact) / std::abs(exact));
        }
    }
    std::printf("leaky_response against quadrature: worst relative error %.1e\n", worst);
    check(worst < 1e-9, "leaky_response solves du/dt = -u/tau + I(t)");

    // One alpha current after another: several spikes. A lambda has no leaky response, so `exact`
    // takes it at each step's midpoint (second order); the struct is integrated in closed form.
    const auto train = iaf::shifted(input, 0.0) + iaf::shifted(input, 30.0) + iaf::shifted(input, 60.0);
    const auto as_lambda = [train](double t) { return train(t); };
    const std::vector<double> reference = spikes(train, 0.01);
    const double closed_form = worst_difference(spikes(train, 1.0), reference);
    const double midpoint = worst_difference(spikes(as_lambda, 1.0), reference);
    std::printf("%zu spikes; at dt = 1 ms against dt = 0.01 ms: closed form %.1e ms, lambda %.1e ms\n",
                reference.size(), closed_form, midpoint);
    check(reference.size() >= 3, "the alpha currents make the neuron fire");
    check(closed_form < 1e-9,
          "with leaky_response, exact + analytic has no discretisation error at dt = 1 ms");
    check(midpoint > 1e-4, "the same current as a lambda (midpoint rule) is off at dt = 1 ms");
    char closed_label[96], midpoint_label[96];
    std::snprintf(closed_label, sizeof closed_label, "dt = 1 ms with leaky_response (worst spike %+.1g ms)",
                  closed_form);
    std::snprintf(midpoint_label, sizeof midpoint_label,
                  "dt = 1 ms as a lambda: midpoint rule (worst spike %.1g ms)", midpoint);
    const notebook::series fine = trace("dt = 0.01 ms (reference)", train, 0.01);
    notebook::write_csv("user_current",
                        {.title = "Writing a current: three alpha currents into a LIF, exact + analytic",
                         .theta = model.v_th(),
                         .note = "the same current with its closed-form leaky response and as a plain lambda",
                         .reference = fine.label},
                        {fine, trace(closed_label, train, 1.0), trace(midpoint_label, as_lambda, 1.0)});

    // The algebra: a background plus a scaled alpha is again a current with a leaky response. The
    // operators live in namespace iaf: an expression with an iaf current on one side finds them
    // by argument-dependent lookup; `2.0 * input` has none, so bring them in.
    using iaf::operator*;
    const auto drive = iaf::constant{0.3} + 2.0 * input;
    static_assert(iaf::CurrentWithLeakyResponse<decltype(drive)>);
    check(std::abs(drive(12.35) - (0.3 + 2.0 * 9.0)) < 1e-12,
          "constant + 2 * alpha peaks at 0.3 + 2 * amplitude");
    return failures == 0 ? 0 : 1;
}
