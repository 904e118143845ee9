"""A Python callable as current: the documented slow path gives the library current's spikes."""
import math

import numpy as np
import pytest

import iaf

MODEL = dict(r_m=5.0, c_m=0.5, v_th=5.0, v_reset=0.0, v_init=0.0)


@pytest.mark.parametrize("integrator,timing", [
    ("euler", "grid"), ("heun", "linear"), ("rk4", "hermite"), ("dopri5", "analytic"), ("rk4", "grid")])
def test_callable_sine_gives_the_library_sines_spikes(integrator, timing):
    amplitude, frequency = 3.0, 0.1
    library = iaf.sine(amplitude=amplitude, frequency=frequency)
    # The same formula as iaf::sine: offset + amplitude sin(2 pi f t + phase).
    python = lambda t: 0.0 + amplitude * math.sin(2.0 * math.pi * frequency * t + 0.0)
    a = iaf.simulate(iaf.lif(**MODEL), library, integrator=integrator, timing=timing, dt=0.01, t_end=100.0)
    b = iaf.simulate(iaf.lif(**MODEL), python, integrator=integrator, timing=timing, dt=0.01, t_end=100.0)
    assert len(a.spike_times) == 20
    assert len(b.spike_times) == len(a.spike_times)
    np.testing.assert_allclose(b.spike_times, a.spike_times, rtol=0, atol=1e-12)


@pytest.mark.parametrize("timing", ["grid", "linear", "hermite", "analytic"])
def test_callable_constant_under_exact(timing):
    # exact takes a callable at each step's midpoint; for a constant that is the closed form.
    a = iaf.simulate(iaf.lif(**MODEL), iaf.constant(2.0), integrator="exact", timing=timing, dt=0.01, t_end=100.0)
    b = iaf.simulate(iaf.lif(**MODEL), lambda t: 2.0, integrator="exact", timing=timing, dt=0.01, t_end=100.0)
    assert len(a.spike_times) == 57
    np.testing.assert_allclose(b.spike_times, a.spike_times, rtol=0, atol=1e-12)


def test_callable_mixes_with_library_currents():
    calls = []

    def extra(t):
        calls.append(t)
        return 0.5

    mixed = iaf.constant(1.5) + extra
    a = iaf.simulate(iaf.lif(**MODEL), mixed, integrator="rk4", timing="hermite", dt=0.01, t_end=20.0)
    b = iaf.simulate(iaf.lif(**MODEL), iaf.constant(2.0), integrator="rk4", timing="hermite", dt=0.01, t_end=20.0)
    assert len(calls) >= 4 * 2000  # four stages per step
    np.testing.assert_allclose(a.spike_times, b.spike_times, rtol=0, atol=1e-12)


def test_an_exception_in_the_callable_reaches_the_caller():
    def broken(t):
        if t > 1.0:
            raise KeyError("no current after 1 ms")
        return 0.0

    with pytest.raises(KeyError, match="no current after 1 ms"):
        iaf.simulate(iaf.lif(**MODEL), broken, integrator="euler", timing="grid", dt=0.1, t_end=10.0)


def test_a_callable_returning_nan_raises_simulation_error():
    with pytest.raises(iaf.SimulationError):
        iaf.simulate(iaf.lif(**MODEL), lambda t: float("nan"), integrator="rk4", timing="grid", dt=0.1, t_end=1.0)
