#!/usr/bin/python3
"""Reference digests for tests/currents/portable_noise_test.cpp: FNV-1a (64-bit) over the bit
patterns of long runs of the noise functions, computed with the independent Python
re-implementation in noise_reference.py (IEEE-754 doubles, never a fused multiply-add).

A short list of known answers (known_answer_test.cpp) can miss a contraction that changes 3 % of
the numbers by one ulp; a digest of 1000 of them cannot. The C++ test compares its digests with
these in the portable build and in the -march=native build (noise_native_test).
Run: /usr/bin/python3 tests/currents/reference/portable_digests.py
"""
import struct

from noise_reference import expm1_neg, normal, ou_path

FNV_OFFSET, FNV_PRIME, MASK = 0xCBF29CE484222325, 0x100000001B3, (1 << 64) - 1


def fnv1a(values):
    """FNV-1a over the 8 little-endian bytes of each double's bit pattern."""
    h = FNV_OFFSET
    for v in values:
        for byte in struct.pack("<d", v):
            h = ((h ^ byte) * FNV_PRIME) & MASK
    return h


if __name__ == "__main__":
    print(f"normal(42, 0..999):      0x{fnv1a(normal(42, k) for k in range(1000)):016x}")
    print(f"expm1(-k/128), k<1000:   0x{fnv1a(expm1_neg(-k / 128) for k in range(1000)):016x}")
    path = ou_path(1.0, 0.5, 4.0, 0.25, 12345, 4001)
    print(f"OU path, 4001 bins:      0x{fnv1a(path):016x}")
