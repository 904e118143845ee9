#!/usr/bin/python3
"""Independent reference for the known-answer vectors in tests/currents/known_answer_test.cpp.

Re-implements, from the description in include/iaf/detail/counter_rng.hpp and the noise current
headers (not by calling the library), the counter-based generator and the two noise currents:

  splitmix64_mix(z): z ^= z >> 30; z *= 0xbf58476d1ce4e5b9; z ^= z >> 27; z *= 0x94d049bb133111eb;
                     z ^= z >> 31 (all mod 2^64)
  counter_hash(key, c) = mix(mix(key) + (c + 1) * 0x9e3779b97f4a7c15)
  u1 = ((word >> 11) + 1) 2^-53, u2 = (word >> 11) 2^-53
  normal(key, n) = sqrt(-2 ln u1) cos(2 pi u2), u1 from counter 2n, u2 from counter 2n + 1
  white_noise(t) = mean + sigma normal(seed, n) / sqrt(dt), n = the bin of t
  OU: x_0 = mean + sigma z_0, x_n = mean + (x_{n-1} - mean) e^{-dt/tau} + sigma sqrt(1 - e^{-2dt/tau}) z_n

Python floats are IEEE-754 binary64 with round-to-nearest and no fused multiply-add, so the log,
cos and expm1 below follow the header's operation order (Estrin pairing, atanh series, octant
reduction, Taylor series) and give the same bits as the C++ when built without contraction.
Run: /usr/bin/python3 tests/currents/reference/noise_reference.py
"""
import math

MASK = (1 << 64) - 1
LN2 = float.fromhex("0x1.62e42fefa39efp-1")  # std::numbers::ln2, correctly rounded
SQRT2 = float.fromhex("0x1.6a09e667f3bcdp+0")  # std::numbers::sqrt2, correctly rounded
PI = float.fromhex("0x1.921fb54442d18p+1")  # std::numbers::pi
assert LN2 == math.log(2.0) and SQRT2 == math.sqrt(2.0) and PI == math.pi


def mix(z):
    z &= MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def counter_hash(key, counter):
    return mix((mix(key) + ((counter + 1) * 0x9E3779B97F4A7C15)) & MASK)


def uniform_open0(word):
    return float((word >> 11) + 1) * 2.0 ** -53


def uniform_closed0(word):
    return float(word >> 11) * 2.0 ** -53


def estrin(c, y):
    c = list(c)
    while len(c) > 1:
        pairs = [c[2 * i] + c[2 * i + 1] * y for i in range(len(c) // 2)]
        if len(c) % 2 == 1:
            pairs.append(c[-1])
        c, y = pairs, y * y
    return c[0]


def log_01(x):
    """ln x for normal x in (0, 1]: x = m 2^e, m in [sqrt(1/2), sqrt(2)), 2 atanh((m-1)/(m+1))."""
    m, e = math.frexp(x)  # m in [0.5, 1), exact
    if m < SQRT2 / 2:
        m, e = 2.0 * m, e - 1
    z = (m - 1.0) / (m + 1.0)
    inverse_odd = [1.0 / (2 * k + 1) for k in range(14)]
    return float(e) * LN2 + 2.0 * z * estrin(inverse_odd, z * z)


def expm1_neg(x):
    """e^x - 1 for x <= 0: Taylor to x^18/18! (Horner), or 2^k e^r with a two-part ln 2."""
    inverse_factorial = [0.0] * 19
    f = 1.0
    for n in range(1, 19):
        f *= float(n)
        inverse_factorial[n] = 1.0 / f

    def series(r):
        p = inverse_factorial[18]
        for n in range(17, 0, -1):
            p = inverse_factorial[n] + r * p
        return r * p

    if not x < 0.0:
        return 0.0
    if x > -0.5 * LN2:
        return series(x)
    if x < -745.0:
        return -1.0
    ln2_hi = float.fromhex("0x1.62e42fee00000p-1")
    ln2_lo = float.fromhex("0x1.a39ef35793c76p-33")
    k = math.floor(x / LN2 + 0.5)
    r = (x - k * ln2_hi) - k * ln2_lo
    return math.ldexp(1.0 + series(r), int(k)) - 1.0


def cos_2pi(u):
    """cos(2 pi u), u in [0, 1): octant reduction, then sin or cos Taylor series on [0, pi/4]."""
    q = u * 8.0
    octant = int(q)
    r = q - octant
    angle = ((1.0 - r) if octant & 1 else r) * (PI / 4)
    sin_c, cos_c = [], []
    factorial = 1.0
    for n in range(22):
        if n > 0:
            factorial *= float(n)
        term = (1.0 if (n // 2) % 2 == 0 else -1.0) / factorial
        (sin_c if n % 2 == 1 else cos_c).append(term)
    x2 = angle * angle
    value = angle * estrin(sin_c, x2) if octant in (1, 2, 5, 6) else estrin(cos_c, x2)
    return value if octant in (0, 1, 6, 7) else -value


def normal(key, n):
    u1 = uniform_open0(counter_hash(key, 2 * n))
    u2 = uniform_closed0(counter_hash(key, 2 * n + 1))
    return math.sqrt(-2.0 * log_01(u1)) * cos_2pi(u2)


def white_noise(mean, sigma, dt, seed, n):
    """The value held over bin n = [n dt, (n+1) dt)."""
    return mean + sigma * normal(seed, n) / math.sqrt(dt)


def ou_path(mean, sigma, tau, dt, seed, bins):
    decay = 1.0 + expm1_neg(-dt / tau)
    kick = sigma * math.sqrt(-expm1_neg(-2.0 * dt / tau))
    x = mean + sigma * normal(seed, 0)
    path = [x]
    for n in range(1, bins):
        x = mean + (x - mean) * decay + kick * normal(seed, n)
        path.append(x)
    return path


def g(v):
    return format(v, ".17g")


if __name__ == "__main__":
    # Cross-check the portable functions against the C library (a few ulp), not part of the vectors.
    for x in (1e-300, 2.0 ** -53, 0.3, 0.70710678, 0.9999999):
        assert abs(log_01(x) - math.log(x)) <= 4e-16 * abs(math.log(x)), x
    for u in (0.0, 0.1, 0.125, 0.3, 0.5, 0.77, 0.99):
        assert abs(cos_2pi(u) - math.cos(2 * math.pi * u)) <= 1e-15, u
    for x in (-1e-9, -0.3, -0.4, -1.0, -20.0):
        assert abs(expm1_neg(x) - math.expm1(x)) <= 4e-16 * abs(math.expm1(x)), x

    print("// splitmix64_mix(z)")
    for z in (0, 1, 2, 0x9E3779B97F4A7C15, MASK, 123456789):
        print(f"{{0x{z:016x}ULL, 0x{mix(z):016x}ULL}},")
    print("// counter_hash(key, counter)")
    for key, c in ((0, 0), (0, 1), (1, 0), (42, 7), (2024, 1000000), (MASK, MASK - 1)):
        print(f"{{{key}ULL, {c}ULL, 0x{counter_hash(key, c):016x}ULL}},")
    print("// counter_normal(key, n)")
    for key, n in ((0, 0), (0, 1), (1, 0), (7, 3), (11, 999), (42, 12345), (2024, 0), (2024, 1), (99, 1 << 40),
                   (MASK, 5)):
        print(f"{{{key}ULL, {n}ULL, {g(normal(key, n))}}},")
    print("// white_noise{.mean = 0.5, .sigma = 0.2, .dt = 0.1, .seed = 7}: (t, I(t))")
    for n in (0, 1, 2, 37, 1000, 123456):
        t = n * 0.1 + 0.05
        print(f"{{{g(t)}, {g(white_noise(0.5, 0.2, 0.1, 7, n))}}},")
    print("// white_noise{.mean = 1, .sigma = 0.4, .dt = 0.1, .seed = 3}.white_noise_sample(n dt) = 0.4 z_n: (n, value)")
    for n in (0, 1, 5, 1234):
        print(f"{{{n}, {g(0.4 * normal(3, n))}}},")
    print("// ornstein_uhlenbeck{.mean = 1, .sigma = 0.5, .tau = 4, .dt = 0.25, .duration = 100, .seed = 12345}")
    path = ou_path(1.0, 0.5, 4.0, 0.25, 12345, 401)
    for n in (0, 1, 2, 3, 10, 100, 250, 400):
        print(f"{{{g(n * 0.25 + 0.1)}, {g(path[n])}}},")
    print("// ornstein_uhlenbeck{.mean = -0.3, .sigma = 2, .tau = 0.5, .dt = 1, .duration = 20, .seed = 3} (expm1 branch)")
    path = ou_path(-0.3, 2.0, 0.5, 1.0, 3, 21)
    for n in (0, 1, 5, 20):
        print(f"{{{g(n * 1.0 + 0.5)}, {g(path[n])}}},")
