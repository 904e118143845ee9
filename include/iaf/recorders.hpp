#pragma once
/// \file
/// Umbrella header for iaf's recorders: spikes (`spike_recorder`) and membrane potentials
/// every m steps (`state_recorder`) of a population or a neuron, with CSV output, like Brian2's
/// SpikeMonitor and StateMonitor.

#include "recording/spike_recorder.hpp"
#include "recording/state_recorder.hpp"
