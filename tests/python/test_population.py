"""iaf.population against independent runs of single neurons (iaf.simulate)."""
import numpy as np
import pytest

import iaf

DT = 0.1


@pytest.mark.parametrize("integrator,timing", [("exact", "grid"), ("exact", "analytic"), ("rk4", "hermite"),
                                               ("euler", "grid"), ("heun", "linear")])
def test_population_spikes_equal_single_neurons(integrator, timing):
    model = iaf.lif(tau_m=10.0, c_m=0.25, v_th=15.0, v_reset=0.0, t_ref=2.0)
    inputs = np.linspace(0.3, 1.2, 37)  # some below rheobase (15 mV / 40 MOhm = 0.375 nA)
    pop = iaf.population(model, len(inputs), integrator=integrator, timing=timing, dt=DT)
    steps = 1000
    spikes = [[] for _ in inputs]
    for k in range(steps):
        index, offset = pop.step(inputs)
        assert index.dtype == np.int64 and offset.dtype == np.float64
        for i, o in zip(index, offset):
            spikes[i].append(k * DT + o)
    assert pop.steps == steps and pop.time == pytest.approx(steps * DT)
    for i, current in enumerate(inputs):
        single = iaf.simulate(model, iaf.constant(current), integrator=integrator, timing=timing, dt=DT,
                              t_end=steps * DT, record_every=0)
        # Same spikes, to the round-off of step + offset against the neuron's absolute time.
        assert len(spikes[i]) == len(single.spike_times)
        np.testing.assert_allclose(spikes[i], single.spike_times, rtol=0, atol=1e-12)
    assert sum(len(s) for s in spikes) > 100
    assert sum(1 for s in spikes if not s) >= 3  # the ones below rheobase


def test_population_state_arrays():
    pop = iaf.population(iaf.lif_psc_exp(), 4, integrator="exact", timing="analytic", dt=DT)
    assert pop.components == ["v", "i_syn"]
    assert pop.states.shape == (4, 2)
    np.testing.assert_array_equal(pop.states, [[-70.0, 0.0]] * 4)
    np.testing.assert_array_equal(pop.v, [-70.0] * 4)
    lif = iaf.population(iaf.lif(), 3)
    assert lif.states.shape == (3,) and len(lif) == 3


def test_delivered_event_lands_on_its_port():
    pop = iaf.population(iaf.lif_psc_exp(), 3, integrator="exact", timing="grid", dt=DT)
    pop.deliver(1, 0.2, port="i_syn")   # 0.2 nA into I_syn of neuron 1
    pop.deliver(2, 5.0, port="v")       # a 5 mV jump of neuron 2
    pop.step(0.0)
    s = pop.states
    assert s[0].tolist() == [-70.0, 0.0]
    # I_syn decays with tau_syn = 2 ms; V of neuron 2 relaxes from -65 mV with tau_m = 10 ms.
    assert s[1, 1] == pytest.approx(0.2 * np.exp(-DT / 2.0), rel=1e-14)
    assert s[2, 0] == pytest.approx(-70.0 + 5.0 * np.exp(-DT / 10.0), rel=1e-14)


def test_strong_event_fires_at_its_offset():
    pop = iaf.population(iaf.lif(tau_m=10.0, c_m=0.25, v_th=15.0), 2, integrator="exact", timing="analytic", dt=DT)
    pop.deliver(0, 20.0, offset=0.025)
    index, offset = pop.step(0.0)
    assert index.tolist() == [0]
    assert offset.tolist() == [0.025]
