# Target clang_tidy: clang-tidy with the checked-in .clang-tidy over a representative set of
# translation units (together they instantiate every public header), every finding an error, so
# the target fails on any. What is checked is the library: findings in include/iaf only
# (HeaderFilterRegex in .clang-tidy, and a line filter on headers, since clang-tidy otherwise always
# reports the main file); the tests are only the vehicle, and their style is their owners'. One sub-target per source lets `cmake --build -j 2` run two at a time.
# Needs the compilation database (CMAKE_EXPORT_COMPILE_COMMANDS, set by the presets) and no
# precompiled headers (clang-tidy would need their .pch files built first).
find_program(IAF_CLANG_TIDY_EXE NAMES clang-tidy-14 clang-tidy REQUIRED)
set(iaf_tidy_sources
  tests/static/concepts_test.cpp         # concepts, every model, integrator and timing policy
  tests/neuron_test.cpp                  # neuron
  tests/neuron_input_test.cpp            # input ports, events
  tests/population_test.cpp              # population
  tests/simulate_test.cpp                # simulate
  tests/recorders_test.cpp               # recording/, csv
  tests/currents/known_answer_test.cpp   # counter_rng, white_noise, ornstein_uhlenbeck
  tests/currents/piecewise_test.cpp      # currents with breakpoints
  tests/integrators/dopri5_test.cpp      # dopri5
  tests/models/lif_psc_exp_test.cpp      # lif_psc_exp, affine stepper
  tests/models/family_dt_sweep_test.cpp) # every model of the family with every integrator
# Not the examples: each main() lets a parameter_error end the program with its message, which
# bugprone-exception-escape reports; the check stays on for the library's noexcept functions.
set(iaf_tidy_targets)
foreach(source IN LISTS iaf_tidy_sources)
  string(MAKE_C_IDENTIFIER "${source}" id)
  add_custom_target(clang_tidy_${id}
    COMMAND ${IAF_CLANG_TIDY_EXE} --quiet --warnings-as-errors=* "--line-filter=[{\"name\":\".hpp\"}]"
            -p ${CMAKE_BINARY_DIR} ${source}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    COMMENT "clang-tidy ${source}" VERBATIM)
  list(APPEND iaf_tidy_targets clang_tidy_${id})
endforeach()
add_custom_target(clang_tidy)
add_dependencies(clang_tidy ${iaf_tidy_targets})
