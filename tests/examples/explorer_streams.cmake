# Checks that the explorer writes its output as the run goes, in constant memory.
#   cmake -DEXPLORER=<exe> -DDIR=<scratch dir> -DMODE=rows|early -P explorer_streams.cmake
#
# MODE=rows: a run of 10^6 steps with --csv must write exactly the closed-form number of rows, and
# its peak resident memory (the hidden --report-peak-memory) must exceed that of a 3000-step run by
# less than 8 MB. Holding the trace in memory, as the explorer once did, costs 4 doubles per row:
# 32 MB for these 10^6 rows, 230 MB a second for --t-end 1e12.
#
# The run is the closed-form one of CMakeLists.txt: R = 10 MOhm, C = 1 nF (tau = 10 ms), theta = 5
# mV, V_reset = E_L = 0, t_ref = 2 ms, I = 0.5 e / (e - 1) nA, so V_inf = theta e / (e - 1) and the
# spikes fall at t_k = tau ln((V_inf - V_reset) / (V_inf - theta)) + k (t_ref + tau) = 10 + 12 k ms.
# Over [0, 10000] ms that is k = 0 .. floor((10000 - 10) / 12) = 832: 833 spikes. The trace has one
# row per grid point (10000 / 0.01 + 1) plus two per spike (the stroke at the located time).
#
# MODE=early: a run of --t-end 1e12 (10^14 steps, days) is stopped after 3 s; by then the CSV and
# stdout must already hold rows and spike times (t_k = (k + 1) tau ln(R I / (R I - theta))). An explorer that writes at the end writes nothing.
set(closed_form --R 10 --C 1 --theta 5 --v-rest 0 --e-l 0 --t-ref 2 --I 0.79098835343466324
    --integrator exact --timing analytic --dt 0.01)
file(MAKE_DIRECTORY "${DIR}")

# The data rows of a CSV (lines that are neither '#' metadata nor the column header), counted
# outside CMake: file(STRINGS) would hold the whole 70 MB file in memory.
function(count_rows path out)
  execute_process(COMMAND grep -c -v -e "^#" -e "^series," "${path}" OUTPUT_VARIABLE n OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(${out} "${n}" PARENT_SCOPE)
endfunction()

function(peak_kb printed out)
  if(NOT printed MATCHES "peak resident memory: ([0-9]+) kB")
    message(FATAL_ERROR "no 'peak resident memory: N kB' (is /proc/self/status readable?) in:\n${printed}")
  endif()
  set(${out} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "rows")
  execute_process(COMMAND "${EXPLORER}" ${closed_form} --t-end 30 --quiet --report-peak-memory
                  RESULT_VARIABLE status OUTPUT_VARIABLE short_out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "the short run exited ${status}:\n${short_out}${err}")
  endif()
  execute_process(COMMAND "${EXPLORER}" ${closed_form} --t-end 10000 --quiet --report-peak-memory --csv "${DIR}/long"
                  RESULT_VARIABLE status OUTPUT_VARIABLE long_out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "the long run exited ${status}:\n${long_out}${err}")
  endif()
  if(NOT long_out MATCHES "spikes: 833\n")
    message(FATAL_ERROR "expected 833 spikes (closed form) in:\n${long_out}")
  endif()
  count_rows("${DIR}/long.csv" rows)
  count_rows("${DIR}/long_spikes.csv" spike_rows)
  file(REMOVE "${DIR}/long.csv" "${DIR}/long_spikes.csv")
  math(EXPR expected_rows "1000000 + 1 + 2 * 833")
  if(NOT rows EQUAL expected_rows OR NOT spike_rows EQUAL 833)
    message(FATAL_ERROR "long.csv has ${rows} rows (expected ${expected_rows}), long_spikes.csv ${spike_rows} (expected 833)")
  endif()
  peak_kb("${short_out}" short_kb)
  peak_kb("${long_out}" long_kb)
  math(EXPR grown "${long_kb} - ${short_kb}")
  if(grown GREATER 8192)
    message(FATAL_ERROR "peak memory grew by ${grown} kB from 3000 to 10^6 steps (${short_kb} -> ${long_kb} kB); "
                        "the output is held in memory, not streamed")
  endif()
  message(STATUS "ok: ${rows} rows, ${spike_rows} spikes; peak memory ${short_kb} kB -> ${long_kb} kB")
elseif(MODE STREQUAL "early")
  file(REMOVE "${DIR}/early.csv" "${DIR}/early_spikes.csv")
  # A strong current (R I = 50 mV, theta = 5 mV: a spike every tau ln(50 / 45) = 1.05 ms) so that
  # stdout's first 4 kB block of spike times leaves after ~250 spikes, 26000 rows: well inside 3 s
  # even in a Debug + ASan build (about 85000 rows a second).
  execute_process(COMMAND "${EXPLORER}" --R 10 --C 1 --theta 5 --v-rest 0 --e-l 0 --I 5 --dt 0.01 --t-end 1e12
                          --integrator exact --timing analytic
                          --csv "${DIR}/early" TIMEOUT 3
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(status EQUAL 0 OR status MATCHES "^[0-9]+$")
    message(FATAL_ERROR "a run of 10^14 steps ended within 3 s (status ${status}):\n${out}${err}")
  endif()
  if(NOT EXISTS "${DIR}/early.csv")
    message(FATAL_ERROR "after 3 s of a long run there is no ${DIR}/early.csv")
  endif()
  count_rows("${DIR}/early.csv" rows)
  file(REMOVE "${DIR}/early.csv" "${DIR}/early_spikes.csv")
  # 1000 rows is 10 ms of the run; the spike times go to a pipe, so they leave in 4 kB blocks.
  if(rows LESS 1000 OR NOT out MATCHES "\n  1[.]0536[0-9]* ms\n  2[.]1072[0-9]* ms\n")
    message(FATAL_ERROR "after 3 s the CSV had ${rows} rows (expected >= 1000) and stdout was:\n${out}")
  endif()
  message(STATUS "ok: stopped after 3 s (${status}) with ${rows} rows written")
else()
  message(FATAL_ERROR "MODE must be rows or early")
endif()
