#pragma once
// The Python module's currents (not part of the library): a tree that Python builds with `+`,
// `-`, `*`, `/` and `iaf.shifted`, whose leaves are the library's own current types. A run does
// not walk Python objects: `make_runnable` turns the tree once into one of a closed set of C++
// current types (`runnable_current`), and the neuron calls that. Only a leaf that is a Python
// callable calls back into Python, at every evaluation (the documented slow path).
#include <cmath>
#include <limits>
#include <memory>
#include <utility>
#include <variant>

#include <pybind11/pybind11.h>

#include <iaf/currents.hpp>

namespace iaf_python {

namespace py = pybind11;

struct node;
using node_ptr = std::shared_ptr<const node>;

/// a + b
struct sum_node {
    node_ptr a, b;
};
/// factor * a
struct scaled_node {
    double factor;
    node_ptr a;
};
/// a(t - delay)
struct shifted_node {
    double delay;
    node_ptr a;
};
/// A Python callable t -> float [nA]. Holding the object needs the GIL; runs that contain one
/// keep it.
struct callable_node {
    py::object f;
};

/// One node of a current tree: a library current, or an operation on nodes.
struct node {
    std::variant<iaf::constant, iaf::sine, iaf::step, iaf::pulse, iaf::pulse_train, iaf::piecewise, iaf::ramp,
                 iaf::exponential_decay, sum_node, scaled_node, shifted_node, callable_node>
        v;
};

/// Whether a Python callable sits anywhere in the tree.
[[nodiscard]] inline bool has_callable(const node& n) {
    return std::visit(
        [](const auto& x) -> bool {
            using X = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<X, callable_node>) return true;
            else if constexpr (std::is_same_v<X, sum_node>) return has_callable(*x.a) || has_callable(*x.b);
            else if constexpr (std::is_same_v<X, scaled_node> || std::is_same_v<X, shifted_node>)
                return has_callable(*x.a);
            else return false;
        },
        n.v);
}

/// I(t) of a tree, with the same operations in the same order as the library's `current_sum`,
/// `scaled_current` and `shifted`, so a tree gives the bits of the equivalent C++ expression.
[[nodiscard]] inline double value(const node& n, double t) {
    return std::visit(
        [t](const auto& x) -> double {
            using X = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<X, sum_node>) return value(*x.a, t) + value(*x.b, t);
            else if constexpr (std::is_same_v<X, scaled_node>) return x.factor * value(*x.a, t);
            else if constexpr (std::is_same_v<X, shifted_node>) return value(*x.a, t - x.delay);
            else if constexpr (std::is_same_v<X, callable_node>) return x.f(t).template cast<double>();
            else return static_cast<double>(x(t));
        },
        n.v);
}

/// The earliest breakpoint after t (+infinity for parts without any), as `current_sum` and
/// `shifted` report theirs.
[[nodiscard]] inline double next_breakpoint(const node& n, double t) {
    constexpr double none = std::numeric_limits<double>::infinity();
    return std::visit(
        [t](const auto& x) -> double {
            using X = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<X, sum_node>) return std::min(next_breakpoint(*x.a, t), next_breakpoint(*x.b, t));
            else if constexpr (std::is_same_v<X, scaled_node>) return next_breakpoint(*x.a, t);
            else if constexpr (std::is_same_v<X, shifted_node>) {
                double b = next_breakpoint(*x.a, t - x.delay);
                while (std::isfinite(b) && !(b + x.delay > t)) b = next_breakpoint(*x.a, b);
                return b + x.delay;
            } else if constexpr (std::is_same_v<X, callable_node>) return none;
            else if constexpr (iaf::CurrentWithBreakpoints<X>) return static_cast<double>(x.next_breakpoint(t));
            else return none;
        },
        n.v);
}

/// The closed-form leaky response of a tree without callables (every library leaf has one).
[[nodiscard]] inline double leaky_response(const node& n, double t, double tau) {
    return std::visit(
        [t, tau](const auto& x) -> double {
            using X = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<X, sum_node>) return leaky_response(*x.a, t, tau) + leaky_response(*x.b, t, tau);
            else if constexpr (std::is_same_v<X, scaled_node>) return x.factor * leaky_response(*x.a, t, tau);
            else if constexpr (std::is_same_v<X, shifted_node>) return leaky_response(*x.a, t - x.delay, tau);
            else if constexpr (std::is_same_v<X, callable_node>) return std::numeric_limits<double>::quiet_NaN();
            else return static_cast<double>(x.leaky_response(t, tau));
        },
        n.v);
}

/// A tree of library currents as one C++ current: breakpoints and a closed-form leaky response,
/// so `exact` integrates it as it would the equivalent C++ expression.
class closed_form_tree {
public:
    using iaf_current = void;
    explicit closed_form_tree(node_ptr root) : root_(std::move(root)) {}
    [[nodiscard]] double operator()(double t) const { return value(*root_, t); }
    [[nodiscard]] double next_breakpoint(double t) const { return iaf_python::next_breakpoint(*root_, t); }
    [[nodiscard]] double leaky_response(double t, double tau) const { return iaf_python::leaky_response(*root_, t, tau); }

private:
    node_ptr root_;
};

/// A tree with a Python callable in it: values and breakpoints only (`exact` takes the input at
/// each step's midpoint). Every evaluation calls into Python.
class python_tree {
public:
    using iaf_current = void;
    explicit python_tree(node_ptr root) : root_(std::move(root)) {}
    [[nodiscard]] double operator()(double t) const { return value(*root_, t); }
    [[nodiscard]] double next_breakpoint(double t) const { return iaf_python::next_breakpoint(*root_, t); }

private:
    node_ptr root_;
};

/// The closed set of current types a run is compiled for: a bare constant (the common case, at
/// full speed), any other tree of library currents, and a tree with Python in it.
using runnable_current = std::variant<iaf::constant, closed_form_tree, python_tree>;

[[nodiscard]] inline runnable_current make_runnable(const node_ptr& root) {
    if (const auto* c = std::get_if<iaf::constant>(&root->v)) return *c;
    if (has_callable(*root)) return python_tree{root};
    return closed_form_tree{root};
}

}  // namespace iaf_python
