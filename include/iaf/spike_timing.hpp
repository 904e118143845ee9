#pragma once
/// \file
/// All spike-timing policies: how a threshold crossing is located inside a step.

#include "spike_timing/analytic.hpp"
#include "spike_timing/grid.hpp"
#include "spike_timing/hermite.hpp"
#include "spike_timing/linear.hpp"
