#pragma once
/// \file
/// Umbrella header: everything iaf offers. Host simulators may include only what they use.

#include "concepts.hpp"
#include "currents.hpp"
#include "errors.hpp"
#include "integrators/dopri5.hpp"
#include "integrators/euler.hpp"
#include "integrators/exact.hpp"
#include "integrators/heun.hpp"
#include "integrators/rk4.hpp"
#include "grid_time.hpp"
#include "linear_dynamics.hpp"
#include "models/lif.hpp"
#include "models/lif_psc_alpha.hpp"
#include "models/lif_psc_exp.hpp"
#include "neuron.hpp"
#include "population.hpp"
#include "recorders.hpp"
#include "simulate.hpp"
#include "spike_timing.hpp"
#include "value.hpp"
#include "version.hpp"
