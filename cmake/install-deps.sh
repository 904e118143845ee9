#!/usr/bin/env bash
# Installs, from Debian 12 packages, whatever iaf's build, tests, demo and benchmarks need and this
# machine lacks. Safe to run again: it installs nothing when everything is there.
#   bash cmake/install-deps.sh          the C++ library's build, tests, demo and benchmarks
#   bash cmake/install-deps.sh mpi      also MPI, for examples/brunel_mpi (cmake --workflow --preset mpi)
#   bash cmake/install-deps.sh python   also the Python module, its tests and the notebook
#                                       (for Debian's /usr/bin/python3; cmake --workflow --preset notebook)
#   bash cmake/install-deps.sh docs     also Doxygen, for the API reference (cmake --workflow --preset docs)
#   bash cmake/install-deps.sh fuzz     also clang 14 and its libFuzzer/sanitizer runtimes, for the
#                                       explorer's fuzzer (cmake --workflow --preset fuzz)
#   bash cmake/install-deps.sh clang    also Clang 14 with its sanitizer runtimes and clang-tidy
#                                       (cmake --workflow --preset clang, cmake --workflow --preset tidy)
set -euo pipefail

packages=(
  cmake g++ make             # the toolchain
  libeigen3-dev              # the library's only dependency
  doctest-dev                # tests
  libbenchmark-dev           # benchmarks
  libcli11-dev               # the command-line explorer example
  python3-matplotlib         # figures
  libboost-dev               # Boost.Odeint, for comparison benchmarks only
)
# Only when asked for: MPI for the network over ranks, Doxygen for the API reference.
mpi_packages=(libopenmpi-dev openmpi-bin)
[[ " $* " == *" mpi "* ]] && packages+=("${mpi_packages[@]}")
[[ " $* " == *" docs "* ]] && packages+=(doxygen)
[[ " $* " == *" fuzz "* ]] && packages+=(clang-14 libclang-rt-14-dev)
# Only when asked for: Clang 14, the ASan/UBSan runtimes it links (libclang-rt-14-dev), clang-tidy.
[[ " $* " == *" clang "* ]] && packages+=(clang-14 libclang-rt-14-dev clang-tidy-14)

# Only when asked for: the Python module (pybind11), its tests and the notebook.
python_packages=(
  python3-dev pybind11-dev python3-pybind11   # the module
  python3-numpy python3-pytest                # its tests
  python3-ipywidgets python3-nbconvert python3-ipykernel python3-notebook  # the notebook
)
[[ " $* " == *" python "* ]] && packages+=("${python_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "iaf: installing ${missing[*]}" >&2
sudo=()
[[ $(id -u) -ne 0 ]] && sudo=(sudo)
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
