# Finds a Python interpreter that can import matplotlib, for the examples' figures.
# Sets IAF_PLOT_PYTHON (empty when none is found). Debian's python3-matplotlib installs for
# /usr/bin/python3, which may not be the python3 first on PATH (pyenv, venvs), so try it first.
# An empty cached value (configured before matplotlib was installed) is looked for again.
if(NOT IAF_PLOT_PYTHON)
  set(IAF_PLOT_PYTHON "")
  foreach(candidate /usr/bin/python3 python3)
    find_program(_iaf_python NAMES ${candidate} NO_CACHE)
    if(_iaf_python)
      execute_process(COMMAND "${_iaf_python}" -c "import matplotlib"
                      RESULT_VARIABLE _iaf_status OUTPUT_QUIET ERROR_QUIET)
      if(_iaf_status EQUAL 0)
        set(IAF_PLOT_PYTHON "${_iaf_python}")
        break()
      endif()
    endif()
    unset(_iaf_python)
  endforeach()
  set(IAF_PLOT_PYTHON "${IAF_PLOT_PYTHON}" CACHE FILEPATH "Python with matplotlib, for figures" FORCE)
  if(NOT IAF_PLOT_PYTHON)
    message(STATUS "iaf: no Python with matplotlib found; figures will not be rendered "
                   "(bash cmake/install-deps.sh installs python3-matplotlib)")
  endif()
endif()
