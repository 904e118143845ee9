"""Shared by the Python tests: the module under test and the C++ reference runs.

CTest sets PYTHONPATH to the built module and IAF_CPP_REFERENCE to tests/python/cpp_reference.cpp
built in the same build (it uses the library directly, not the binding).
"""
import os
import subprocess

import pytest

import iaf

# The scenarios of cpp_reference.cpp, stated again here: (name, model, current). dt = 0.01 ms,
# t from 0 to 100 ms, as the notebook.
DT = 0.01
T_END = 100.0


def scenarios():
    notebook_1 = iaf.lif(r_m=6.4, c_m=0.9, e_l=0.0, v_th=5.0, v_reset=0.4, v_init=0.4)
    notebook_2 = iaf.lif(r_m=5.0, c_m=0.5, e_l=0.0, v_th=5.0, v_reset=0.0, v_init=0.0)
    pulses = [(5.0, 10.0, 0.8), (25.0, 10.0, 1.5), (45.0, 2.0, 4.0), (57.0, 1.0, 2.5), (65.0, 25.0, 2.5)]
    return {
        "constant": (notebook_1, iaf.constant(0.8)),
        "sine": (notebook_2, iaf.sine(amplitude=3.0, frequency=0.1)),
        "two_inputs": (notebook_2, iaf.constant(1.0) + iaf.constant(1.0)),
        "square_pulses": (notebook_2, iaf.pulse_train(pulses)),
        "psc_exp_constant": (iaf.lif_psc_exp(), iaf.constant(0.5)),
    }


@pytest.fixture(scope="session")
def cpp_reference():
    """{(scenario, integrator, timing): [spike times]} from the C++ program, bit for bit."""
    exe = os.environ.get("IAF_CPP_REFERENCE")
    if not exe:
        pytest.fail("IAF_CPP_REFERENCE is not set: run the tests through CTest (label python)")
    out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    runs = {}
    for line in out.splitlines():
        scenario, integrator, timing, count, *times = line.split()
        assert int(count) == len(times)
        runs[(scenario, integrator, timing)] = [float.fromhex(t) for t in times]
    return runs
