// iaf.simulate for iaf.lif: every current type x integrator x spike timing.
#include "simulate_models.hpp"

namespace iaf_python {

iaf::simulation_result simulate(const iaf::lif& model, const runnable_current& current, const run_spec& spec) {
    return simulate_model(model, current, spec);
}

}  // namespace iaf_python
