"""The README's Python snippet (CTest runs it, label python)."""
import iaf

neuron = iaf.lif(r_m=6.4, c_m=0.9, v_th=5.0, v_reset=0.4, v_init=0.4)  # MOhm, nF, mV
r = iaf.simulate(neuron, iaf.constant(1.0), integrator="exact", timing="analytic", dt=0.01, t_end=100.0)
print(len(r.spike_times), "spikes, the first at", r.spike_times[0], "ms")  # NumPy arrays: r.t, r.v, r.spike_times

# Currents add, scale and shift in C++; a Python callable works too (slow: called at every stage).
drive = iaf.sine(amplitude=1.0, frequency=0.1) + iaf.pulse_train([(20.0, 5.0, 2.0), (60.0, 10.0, 1.5)])
r = iaf.simulate(neuron, drive + 0.5, integrator="rk4", timing="hermite", dt=0.01, t_end=100.0)
print(len(r.spike_times), "spikes with rk4 + hermite")

try:
    iaf.simulate(neuron, 1.0, integrator="rk4", timing="analytic")
except ValueError as e:
    print("ValueError:", e)
