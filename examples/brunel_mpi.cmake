# Brunel's network over MPI ranks (examples/brunel_mpi.cpp), when CMake finds MPI (Debian:
# `bash cmake/install-deps.sh mpi`). CTest entries, label "mpi" (cmake --workflow --preset mpi):
# the scaled-down network on 1, 2 and 4 ranks (4 oversubscribed on 2 cores) in grid and precise
# mode with its Poisson drive, each run in the asynchronous irregular state, and the merged spike
# files of 2 and 4 ranks byte for byte those of 1 rank; a run with another seed must differ (so the
# comparison can fail); bad input exits non-zero with one message, from rank 0, and no hang.
# Not under the sanitizers: LeakSanitizer reports Open MPI's own allocations, and the runs take
# minutes there. The preset "test" leaves label mpi out, so the quick test needs no mpirun.
if(IAF_SANITIZE OR IAF_SANITIZE_THREAD)
  return()
endif()
find_package(MPI COMPONENTS CXX)
if(NOT MPI_CXX_FOUND)
  message(STATUS "iaf: no MPI found, so no brunel_mpi (Debian: bash cmake/install-deps.sh mpi)")
  return()
endif()

iaf_add_example(brunel_mpi)
target_link_libraries(brunel_mpi PRIVATE MPI::MPI_CXX)

# mpirun with R ranks: --oversubscribe lets 4 ranks share 2 cores (Open MPI); Open MPI refuses to
# run as root unless told, so as root (containers, CI) add --allow-run-as-root.
execute_process(COMMAND id -u OUTPUT_VARIABLE _uid OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
execute_process(COMMAND ${MPIEXEC_EXECUTABLE} --version OUTPUT_VARIABLE _mpiexec_version ERROR_QUIET)
set(IAF_MPIRUN_FLAGS "")
if(_mpiexec_version MATCHES "Open MPI|OpenRTE")
  list(APPEND IAF_MPIRUN_FLAGS --oversubscribe)
  if(_uid STREQUAL "0")
    list(APPEND IAF_MPIRUN_FLAGS --allow-run-as-root)
  endif()
endif()

# 2,500 neurons (--n-scale 0.2), 400 ms: a few seconds per run.
set(_args --n-scale 0.2 --t-end 400 --t-warm 100 --check)
set(_dir ${CMAKE_CURRENT_BINARY_DIR}/mpi)
file(MAKE_DIRECTORY ${_dir})
foreach(mode grid precise)
  foreach(ranks 1 2 4)
    set(_name "mpi: brunel_mpi ${mode} on ${ranks} ranks stays asynchronous irregular")
    add_test(NAME "${_name}"
             COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${ranks} ${IAF_MPIRUN_FLAGS} ${MPIEXEC_PREFLAGS}
                     $<TARGET_FILE:brunel_mpi> ${MPIEXEC_POSTFLAGS} ${_args} --mode ${mode}
                     --out ${_dir}/${mode}_${ranks})
    set_tests_properties("${_name}" PROPERTIES LABELS mpi FIXTURES_SETUP mpi_${mode}_${ranks} PROCESSORS ${ranks}
                         TIMEOUT 300 PASS_REGULAR_EXPRESSION "${mode} +asynchronous irregular: yes")
  endforeach()
  foreach(ranks 2 4)
    set(_name "mpi: brunel_mpi ${mode} spikes on ${ranks} ranks are bit-identical to 1 rank")
    add_test(NAME "${_name}"
             COMMAND ${CMAKE_COMMAND} -DA=${_dir}/${mode}_1_spikes.csv -DB=${_dir}/${mode}_${ranks}_spikes.csv
                     -DMIN_SPIKES=10000 -P ${PROJECT_SOURCE_DIR}/cmake/compare_spikes.cmake)
    set_tests_properties("${_name}" PROPERTIES LABELS mpi FIXTURES_REQUIRED "mpi_${mode}_1;mpi_${mode}_${ranks}")
  endforeach()
endforeach()

# The comparison must be able to fail: another seed on 2 ranks gives other spikes.
add_test(NAME "mpi: brunel_mpi grid with another seed on 2 ranks (the run)"
         COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} 2 ${IAF_MPIRUN_FLAGS} ${MPIEXEC_PREFLAGS}
                 $<TARGET_FILE:brunel_mpi> ${MPIEXEC_POSTFLAGS} ${_args} --mode grid --seed 2 --out ${_dir}/grid_seed2_2)
set_tests_properties("mpi: brunel_mpi grid with another seed on 2 ranks (the run)" PROPERTIES
                     LABELS mpi FIXTURES_SETUP mpi_grid_seed2 PROCESSORS 2 TIMEOUT 300)
add_test(NAME "mpi: brunel_mpi grid with another seed differs (the comparison can fail)"
         COMMAND ${CMAKE_COMMAND} -DA=${_dir}/grid_1_spikes.csv -DB=${_dir}/grid_seed2_2_spikes.csv
                 -P ${PROJECT_SOURCE_DIR}/cmake/compare_spikes.cmake)
set_tests_properties("mpi: brunel_mpi grid with another seed differs (the comparison can fail)" PROPERTIES
                     LABELS mpi WILL_FAIL TRUE FIXTURES_REQUIRED "mpi_grid_1;mpi_grid_seed2")

# Bad input: every rank finds it, rank 0 alone names it, all exit (status 2) within the timeout.
# 26 ranks for the smallest network (--n-scale 0.002: 25 neurons) is the only way to have more
# ranks than neurons, since --n-scale keeps at least one inhibitory input.
string(REPLACE ";" "|" _mpirun "${MPIEXEC_EXECUTABLE};${MPIEXEC_NUMPROC_FLAG}")
string(REPLACE ";" "|" _flags "${IAF_MPIRUN_FLAGS};${MPIEXEC_PREFLAGS}")
set(_bin "$<TARGET_FILE:brunel_mpi>")
foreach(case
        "unknown flag|2|--bogus 1|brunel_mpi: unknown flag --bogus"
        "bad mode|2|--mode fast|brunel_mpi: --mode: fast not in [{]grid,precise,both[}]"
        "negative delay|2|--delay -1|brunel_mpi: --delay = -1 is invalid [(]must be > 0[)]"
        "more ranks than neurons|26|--n-scale 0.002|brunel_mpi: the rank count 26 is larger than the neuron count 25")
  string(REPLACE "|" ";" case "${case}")
  list(GET case 0 _what)
  list(GET case 1 _ranks)
  list(GET case 2 _bad)
  list(GET case 3 _regex)
  string(REPLACE " " "|" _bad "${_bad}")
  set(_name "mpi: brunel_mpi on ${_ranks} ranks rejects ${_what} from rank 0 and exits")
  add_test(NAME "${_name}"
           COMMAND ${CMAKE_COMMAND} "-DCOMMAND=${_mpirun}|${_ranks}|${_flags}|${_bin}|${_bad}" "-DREGEX=${_regex}"
                   "-DPRINTED_ONCE=brunel_mpi:" -DTIMEOUT=120 -P ${PROJECT_SOURCE_DIR}/cmake/expect_error.cmake)
  set_tests_properties("${_name}" PROPERTIES LABELS mpi TIMEOUT 180)
endforeach()

# The raster of the 2-rank grid run, by the plot script of brunel (into this build folder).
if(IAF_PLOT_PYTHON)
  add_test(NAME "mpi: plot brunel_mpi grid on 2 ranks"
           COMMAND ${IAF_PLOT_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/plots/plot_brunel.py ${_dir}/grid_2
                   ${_dir}/brunel_mpi_grid_2.png)
  set_tests_properties("mpi: plot brunel_mpi grid on 2 ranks" PROPERTIES LABELS mpi FIXTURES_REQUIRED mpi_grid_2)
endif()
