# cmake -DA=<file> -DB=<file> [-DMIN_SPIKES=n] -P compare_spikes.cmake
# Fails unless both spike files exist, A holds at least MIN_SPIKES spikes (so two empty runs do not
# pass as equal) and B is byte for byte A (brunel_mpi prints times exactly, so equal bytes are
# equal doubles).
foreach(file IN ITEMS "${A}" "${B}")
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "compare_spikes: ${file} does not exist (did the run that writes it fail?)")
  endif()
endforeach()
if(NOT DEFINED MIN_SPIKES)
  set(MIN_SPIKES 100)
endif()
file(STRINGS "${A}" spikes REGEX "^[0-9]")
list(LENGTH spikes count)
if(count LESS MIN_SPIKES)
  message(FATAL_ERROR "compare_spikes: ${A} holds ${count} spikes, fewer than ${MIN_SPIKES}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${A}" "${B}" RESULT_VARIABLE different)
if(different)
  message(FATAL_ERROR "compare_spikes: ${B} differs from ${A} (${count} spikes)")
endif()
message(STATUS "compare_spikes: ${B} is identical to ${A} (${count} spikes)")
