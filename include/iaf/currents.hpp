#pragma once
/// \file
/// Umbrella header for iaf's input currents and their algebra.

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
#include "currents/white_noise.hpp"
