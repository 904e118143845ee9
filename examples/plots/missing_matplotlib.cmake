# Run instead of a plot when configure found no Python with matplotlib: fail loudly, saying how
# to fix it, rather than skip the figure silently. Usage: cmake -DFIGURE=<name> -P missing_matplotlib.cmake
message(FATAL_ERROR
  "cannot render ${FIGURE}.png: no Python with matplotlib was found when this build was configured.\n"
  "Run `bash cmake/install-deps.sh` (it installs python3-matplotlib), then reconfigure "
  "(cmake --fresh --preset release, or delete IAF_PLOT_PYTHON from the cache) and rerun the demo.")
