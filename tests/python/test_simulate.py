"""iaf.simulate against the C++ library's own iaf::simulate, and against closed forms."""
import math

import numpy as np
import pytest

import iaf
from conftest import DT, T_END, scenarios

METHODS = [(i, t) for i in iaf.integrators for t in iaf.timings
           if t != "analytic" or i in ("exact", "dopri5")]


def test_every_valid_method_is_in_the_cpp_reference(cpp_reference):
    # 5 scenarios x (5 integrators x 3 timings + analytic with exact and dopri5)
    assert len(METHODS) == 17
    assert set(cpp_reference) == {(s, i, t) for s in scenarios() for i, t in METHODS}


@pytest.mark.parametrize("scenario", list(scenarios()))
@pytest.mark.parametrize("integrator,timing", METHODS)
def test_spike_times_equal_cpp_bit_for_bit(cpp_reference, scenario, integrator, timing):
    model, current = scenarios()[scenario]
    r = iaf.simulate(model, current, integrator=integrator, timing=timing, dt=DT, t_end=T_END)
    expected = cpp_reference[(scenario, integrator, timing)]
    assert len(expected) > 0, "every reference scenario fires"
    assert r.spike_times.dtype == np.float64
    # Exact equality, element by element: the module must run the library's arithmetic.
    assert r.spike_times.tolist() == expected


def test_notebook_sine_of_1_nA_never_fires():
    # The leak filters the input: V's amplitude R I / sqrt(1 + (2 pi f tau)^2) = 2.7 mV < 5 mV.
    model = iaf.lif(r_m=5.0, c_m=0.5, v_th=5.0, v_reset=0.0, v_init=0.0)
    r = iaf.simulate(model, iaf.sine(amplitude=1.0, frequency=0.1), integrator="exact", timing="analytic",
                     dt=DT, t_end=T_END)
    assert len(r.spike_times) == 0
    tau = 2.5
    amplitude = 5.0 * 1.0 / math.sqrt(1 + (2 * math.pi * 0.1 * tau) ** 2)
    assert r.v[r.t > 50].max() == pytest.approx(amplitude, rel=1e-3)


def test_exact_analytic_spikes_match_the_closed_form():
    # V(t) = RI + (v_reset - RI) e^{-t/tau}: a spike every tau ln((RI - v_reset)/(RI - v_th)).
    r_m, c_m, i, v_th, v_reset = 6.4, 0.9, 1.0, 5.0, 0.4
    model = iaf.lif(r_m=r_m, c_m=c_m, v_th=v_th, v_reset=v_reset, v_init=v_reset)
    tau = r_m * c_m
    period = tau * math.log((r_m * i - v_reset) / (r_m * i - v_th))
    r = iaf.simulate(model, iaf.constant(i), integrator="exact", timing="analytic", dt=DT, t_end=T_END)
    expected = period * np.arange(1, len(r.spike_times) + 1)
    assert len(r.spike_times) == int(T_END / period)
    np.testing.assert_allclose(r.spike_times, expected, rtol=0, atol=1e-11)


def test_trace_has_t_and_v_on_the_grid():
    model = iaf.lif(r_m=6.4, c_m=0.9, v_th=5.0, v_reset=0.4, v_init=0.4)
    r = iaf.simulate(model, 1.0, integrator="exact", timing="analytic", dt=0.5, t_end=10.0, record_every=2)
    np.testing.assert_allclose(r.t, np.arange(0.0, 10.0 + 1e-9, 1.0), atol=1e-12)
    assert r.v[0] == 0.4
    # Below threshold the exact solution: V = RI + (V0 - RI) e^{-t/tau}.
    tau, ri = 6.4 * 0.9, 6.4
    np.testing.assert_allclose(r.v[r.t < 5], ri + (0.4 - ri) * np.exp(-r.t[r.t < 5] / tau), rtol=1e-13)
    spikes_only = iaf.simulate(model, 1.0, dt=0.5, t_end=10.0, record_every=0)
    assert len(spikes_only.t) == 0 and len(spikes_only.v) == 0
    assert spikes_only.spike_times.tolist() == r.spike_times.tolist()


def test_currents_combine_like_the_library():
    s = iaf.sine(amplitude=2.0, frequency=0.05, offset=0.5)
    p = iaf.pulse(onset=10.0, duration=5.0, amplitude=3.0)
    t = np.linspace(0.0, 30.0, 301)
    both = 2 * s - p / 4 + 1.0
    expected = 2 * (0.5 + 2.0 * np.sin(2 * np.pi * 0.05 * t)) - np.where((t >= 10) & (t < 15), 3.0, 0.0) / 4 + 1.0
    np.testing.assert_allclose(both(t), expected, rtol=0, atol=1e-14)
    np.testing.assert_allclose(iaf.shifted(p, 2.0)(t), np.where((t >= 12) & (t < 17), 3.0, 0.0))
    assert iaf.step(onset=1.0, amplitude=2.0)(1.0) == 2.0
    assert iaf.ramp(onset=1.0, slope=0.5)(3.0) == 1.0
    assert iaf.exponential_decay(onset=0.0, amplitude=2.0, tau=5.0)(5.0) == pytest.approx(2.0 / math.e)
    assert iaf.piecewise([0.0, 10.0], [1.0, 2.0])(10.0) == 2.0


def test_a_shifted_pulse_train_is_exact_under_exact_analytic():
    # An off-grid pulse edge: exact + analytic stays exact (breakpoints and the closed-form
    # response survive the tree); compare with the closed form of the first crossing.
    model = iaf.lif(r_m=5.0, c_m=0.5, v_th=5.0, v_reset=0.0, v_init=0.0)
    onset, amplitude, tau = 3.0 + 1.0 / 3.0, 2.0, 2.5
    current = iaf.shifted(iaf.pulse(onset=0.0, duration=50.0, amplitude=amplitude), onset)
    r = iaf.simulate(model, current, integrator="exact", timing="analytic", dt=0.1, t_end=10.0)
    first = onset + tau * math.log(5.0 * amplitude / (5.0 * amplitude - 5.0))
    assert r.spike_times[0] == pytest.approx(first, abs=1e-12)
