# Runs the explorer once and checks both its exit status and what it printed.
#   cmake -DEXPLORER=<exe> -DARGS=<args separated by |> -DEXPECT=<regex> [-DSHOULD_FAIL=ON]
#         [-DEXPECT_FILE=<path>] -P run_explorer.cmake
# SHOULD_FAIL=ON: passes only if the exit status is non-zero AND stdout + stderr match EXPECT (so a
# crash, or a rejection with the wrong message, fails the test). Otherwise the run must exit 0 and
# match EXPECT; EXPECT_FILE, when given, must exist afterwards.
string(REPLACE "|" ";" args "${ARGS}")
if(EXPECT_FILE)
  file(REMOVE "${EXPECT_FILE}")
endif()
execute_process(COMMAND "${EXPLORER}" ${args} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(printed "${out}${err}")
if(SHOULD_FAIL)
  if(status EQUAL 0)
    message(FATAL_ERROR "explorer ${args} exited 0; expected a non-zero exit. It printed:\n${printed}")
  endif()
  if(NOT status MATCHES "^[0-9]+$")
    message(FATAL_ERROR "explorer ${args} did not exit normally (${status}); expected a clean rejection:\n${printed}")
  endif()
elseif(NOT status EQUAL 0)
  message(FATAL_ERROR "explorer ${args} exited ${status}; expected 0. It printed:\n${printed}")
endif()
if(NOT printed MATCHES "${EXPECT}")
  message(FATAL_ERROR "explorer ${args} printed no match for '${EXPECT}'. It printed:\n${printed}")
endif()
if(EXPECT_FILE AND NOT EXISTS "${EXPECT_FILE}")
  message(FATAL_ERROR "explorer ${args} did not write ${EXPECT_FILE}")
endif()
message(STATUS "ok: exit ${status}, printed a match for '${EXPECT}'")
