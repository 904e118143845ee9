#pragma once
/// \file
/// Umbrella header for iaf's input currents and their algebra.
///
/// Every current is a small value type satisfying `iaf::Current` (callable `double(double t)`,
/// t in ms, result in nA); `a + b`, `a - b`, `k * a`, `a / k`, `-a` and `iaf::shifted(a, delay)`
/// build compile-time expressions (no heap, no virtual call) and accept user lambdas and numbers
/// next to an iaf current.
///
/// How each integrator sees them:
/// - Jumps are breakpoints (`next_breakpoint`): the neuron splits steps there and every stage of
///   a sub-step reads one piece, so piecewise-constant input costs no order with any integrator.
/// - `exact` uses a current's closed-form leaky response when it has one (constant, step, pulse,
///   pulse_train, piecewise, sine, ramp, exponential_decay and any sum, multiple or shift of
///   them): no discretisation error at any dt. A current without one (a user lambda, or a sum
///   containing one) makes `exact` take the current at the step's midpoint: exact for input
///   constant over the (sub)step, second order otherwise.
/// - Noise (`white_noise`, `ornstein_uhlenbeck`) is held over bins whose edges are breakpoints,
///   so every integrator evaluates it once per step; with white noise, Euler is Euler-Maruyama
///   and higher-order integrators do not improve the stochastic accuracy (strong order 1/2).
///   `exact` recognises a white-noise part (`CurrentWithWhiteNoise`) and applies the LIF's exact
///   Gaussian transition, so the law of V is exact at any dt (see white_noise.hpp).

#include "currents/constant.hpp"
#include "currents/current_traits.hpp"
#include "currents/exponential_decay.hpp"
#include "currents/expression.hpp"
#include "currents/ornstein_uhlenbeck.hpp"
#include "currents/piecewise.hpp"
#include "currents/pulse.hpp"
#include "currents/pulse_train.hpp"
#include "currents/ramp.hpp"
#include "currents/sine.hpp"
#include "currents/step.hpp"
#include "currents/validate_current.hpp"
#include "currents/white_noise.hpp"
