"""Bad arguments raise ValueError (or TypeError) carrying the library's message."""
import pytest

import iaf

MODEL = iaf.lif(r_m=6.4, c_m=0.9, v_th=5.0, v_reset=0.4, v_init=0.4)


@pytest.mark.parametrize("make,message", [
    (lambda: iaf.lif(r_m=-1.0, c_m=1.0), "iaf::lif: r_m = -1 is invalid (must be > 0)"),
    (lambda: iaf.lif(r_m=1.0), "iaf::lif: r_m = 1 is invalid (give two of r_m, c_m, tau_m)"),
    (lambda: iaf.lif(tau_m=10.0, c_m=1.0, v_th=0.0, v_reset=1.0), "iaf::lif: v_reset = 1 is invalid (must be < v_th)"),
    (lambda: iaf.lif(tau_m=10.0, c_m=1.0, t_ref=-2.0), "iaf::lif: t_ref = -2 is invalid (must be >= 0)"),
    (lambda: iaf.lif_psc_exp(tau_syn=0.0), "iaf::lif_psc_exp: tau_syn = 0 is invalid (must be > 0)"),
    (lambda: iaf.constant(float("inf")), "iaf::constant: value = inf is invalid (must be finite)"),
    (lambda: iaf.sine(amplitude=1.0, frequency=-0.1), "iaf::sine: frequency = -0.1 is invalid (must be >= 0)"),
    (lambda: iaf.pulse(onset=0.0, duration=-1.0, amplitude=1.0), "iaf::pulse: duration = -1 is invalid (must be >= 0)"),
    (lambda: iaf.piecewise([0.0, 1.0], [1.0]), "iaf::piecewise: values.size() = 1 is invalid (must equal times.size() = 2)"),
    (lambda: iaf.constant(1.0) / 0, "iaf.current /: divisor = 0 is invalid (must be != 0)"),
])
def test_bad_parameters_raise_value_error_with_the_library_message(make, message):
    with pytest.raises(ValueError) as e:
        make()
    assert str(e.value) == message


@pytest.mark.parametrize("kwargs,message", [
    (dict(integrator="rk5"), "iaf.simulate: integrator = 'rk5' is invalid (must be one of euler, heun, rk4, exact, dopri5)"),
    (dict(timing="spline"), "iaf.simulate: timing = 'spline' is invalid (must be one of grid, linear, hermite, analytic)"),
    (dict(integrator="rk4", timing="analytic"), "iaf.simulate: timing = 'analytic' is invalid with integrator = 'rk4'"),
    (dict(integrator="euler", timing="analytic"), "it needs an exact integrator (iaf::exact) or one with dense output"),
    (dict(dt=0.0), "iaf::simulate: dt = 0 is invalid (must be > 0)"),
    (dict(t_end=-1.0), "iaf::simulate: t_end = -1 is invalid"),
    (dict(record_every=-1), "iaf::simulate: record_every = -1 is invalid (must be >= 0)"),
    (dict(integrator="dopri5", rtol=0.0), "iaf::dopri5: rtol = 0 is invalid (must be > 0)"),
])
def test_bad_simulate_arguments_raise_value_error(kwargs, message):
    with pytest.raises(ValueError) as e:
        iaf.simulate(MODEL, iaf.constant(1.0), **kwargs)
    assert message in str(e.value)


def test_wrong_types_raise_type_error():
    with pytest.raises(TypeError, match="model must be an iaf.lif or an iaf.lif_psc_exp"):
        iaf.simulate("lif", iaf.constant(1.0))
    with pytest.raises(TypeError, match="expected an iaf.current, a number or a callable"):
        iaf.simulate(MODEL, "one nanoampere")


def test_population_arguments():
    p = iaf.population(MODEL, 3)
    with pytest.raises(ValueError, match="input.size = 2 is invalid"):
        p.step([1.0, 2.0])
    with pytest.raises(ValueError, match="index = 3 is invalid"):
        p.deliver(3, 1.0)
    with pytest.raises(ValueError, match="port = 'i_syn' is invalid"):
        p.deliver(0, 1.0, port="i_syn")
    with pytest.raises(ValueError, match=r"iaf::population: deliver offset = 0.5 is invalid \(must be in \[0, dt\)\)"):
        p.deliver(0, 1.0, offset=0.5)
    with pytest.raises(ValueError, match="timing = 'analytic' is invalid with integrator = 'heun'"):
        iaf.population(MODEL, 3, integrator="heun", timing="analytic")


def test_a_dt_beyond_the_stability_bound_is_refused_unless_opted_in():
    # tau_m = 0.04 ms: Euler's bound is 2 tau = 0.08 ms; at dt = 0.1 each step multiplies V - V_inf
    # by 1 - dt/tau = -1.5 (V_inf = 0 here), so V_n = (-1.5)^n from V_0 = 1 mV.
    stiff = iaf.lif(tau_m=0.04, c_m=0.25, e_l=0.0, v_th=1e300, v_reset=0.0, v_init=1.0)
    with pytest.raises(ValueError, match=r"iaf::euler: dt = 0\.1\d* ms exceeds the stability bound 2 tau = 0\.08\d* ms"):
        iaf.simulate(stiff, iaf.constant(0.0), integrator="euler", timing="grid", dt=0.1, t_end=1.0)
    with pytest.raises(ValueError, match="exceeds the stability bound"):
        iaf.population(stiff, 2, integrator="rk4", dt=0.2)
    r = iaf.simulate(stiff, iaf.constant(0.0), integrator="euler", timing="grid", dt=0.1, t_end=0.5,
                     allow_unstable=True)
    assert list(r.v) == pytest.approx([(-1.5) ** n for n in range(6)], rel=1e-12)
    assert len(iaf.population(stiff, 2, integrator="rk4", dt=0.2, allow_unstable=True)) == 2
