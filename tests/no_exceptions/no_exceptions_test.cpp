// iaf compiled with -fno-exceptions (this file is; see CMakeLists.txt): a valid run gives the
// closed-form spike times, and each kind of error reaches the error handler with the message the
// exception would carry. The errors end the process, so each runs in a forked child (a death
// test) whose stderr comes back on a pipe and whose end (abort, or the handler's exit) is checked.
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <iaf/iaf.hpp>

#include "../support/tolerance.hpp"

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#error "no_exceptions_test must be compiled with -fno-exceptions"
#endif
static_assert(IAF_EXCEPTIONS == 0, "iaf must detect that exceptions are off");

namespace {

/// How a child process ended and what it wrote to stderr.
struct child_end {
    bool aborted = false;  // killed by SIGABRT
    int exit_code = -1;    // when it exited instead
    std::string stderr_text;
};

/// Runs `body` in a forked child with stderr on a pipe; the child exits 0 if `body` returns.
template <typename Body>
child_end run_in_child(Body body) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDERR_FILENO);
        close(fds[1]);
        body();
        _exit(0);
    }
    close(fds[1]);
    child_end end;
    char buffer[512];
    for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) end.stderr_text.append(buffer, static_cast<std::size_t>(n));
    close(fds[0]);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    end.aborted = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
    if (WIFEXITED(status)) end.exit_code = WEXITSTATUS(status);
    return end;
}

// R = 10 MOhm, C = 1 nF (tau = 10 ms), E_L = V_reset = V_init = 0, theta = 5 mV, t_ref = 2 ms.
constexpr double r_m = 10.0, c_m = 1.0, tau = r_m * c_m, v_th = 5.0, t_ref = 2.0;

iaf::lif neuron_model() {
    return iaf::lif{{.r_m = r_m, .c_m = c_m, .e_l = 0.0, .v_th = v_th, .v_reset = 0.0, .v_init = 0.0, .t_ref = t_ref}};
}

/// A handler that reports through its own channel and exits with code 42 (as a host might).
void exit_42(iaf::error_kind kind, const char* message) noexcept {
    std::fprintf(stderr, "host handler: %s | %s\n", iaf::error_kind_name(kind), message);
    std::fflush(stderr);
    _exit(42);
}

/// A handler that (wrongly) returns: iaf must abort anyway.
void returns(iaf::error_kind, const char* message) noexcept { std::fprintf(stderr, "returning from: %s\n", message); }

}  // namespace

TEST_CASE("no exceptions: exact + analytic spikes at t_k = tau ln(RI / (RI - theta)) + k (t_ref + that)") {
    const double i = 0.8;  // nA: R I = 8 mV above E_L
    const double t1 = tau * std::log(r_m * i / (r_m * i - v_th));  // from V = 0 to theta: 9.808 ms
    const auto result = iaf::simulate(neuron_model(), iaf::constant{i}, iaf::exact{}, iaf::analytic{},
                                      {.dt = 0.1, .t_end = 100.0});
    // floor((100 - t1) / (t_ref + t1)) + 1 = 8 spikes in [0, 100] ms.
    REQUIRE(result.spike_times.size() == 8);
    for (std::size_t k = 0; k < result.spike_times.size(); ++k) {
        const double expected = t1 + static_cast<double>(k) * (t_ref + t1);
        CHECK_ABS(result.spike_times[k], expected, iaf_test::time_tolerance(expected, 64.0));
    }
}

TEST_CASE("no exceptions: an invalid parameter prints the exception's message and aborts") {
    const child_end end = run_in_child([] { (void)iaf::lif{{.r_m = -1.0, .c_m = 1.0}}; });
    CHECK(end.aborted);
    CHECK(end.stderr_text == "iaf: invalid_parameter: iaf::lif: r_m = -1 is invalid (must be > 0)\n");
}

TEST_CASE("no exceptions: an invalid current prints the parameter, value and rule and aborts") {
    const child_end end = run_in_child([] {
        const iaf::sine bad{.amplitude = 1.0, .frequency = -0.5};
        (void)iaf::simulate(neuron_model(), bad, iaf::exact{}, {.dt = 0.1, .t_end = 10.0});
    });
    CHECK(end.aborted);
    CHECK(end.stderr_text == "iaf: invalid_parameter: iaf::sine: frequency = -0.5 is invalid (must be >= 0)\n");
}

TEST_CASE("no exceptions: V turning non-finite mid-run is a simulation_error, not NaN spikes") {
    const child_end end = run_in_child([] {
        const auto nan_after_5 = [](double t) { return t < 5.0 ? 0.1 : std::numeric_limits<double>::quiet_NaN(); };
        (void)iaf::simulate(neuron_model(), nan_after_5, iaf::euler{}, {.dt = 0.5, .t_end = 20.0});
    });
    CHECK(end.aborted);
    INFO(end.stderr_text);
    // The first step that reads I(5) is [5, 5.5): V is NaN at its end, 5.5 ms.
    CHECK(end.stderr_text.rfind("iaf: simulation_error: iaf::neuron: V became nan at t = 5.5 ms (dt = 0.5 ms): "
                                "the current returned nan at t = 5 ms",
                                0) == 0);
}

TEST_CASE("no exceptions: an index past the end is an out_of_range error") {
    const child_end end = run_in_child([] {
        const iaf::state_recorder recorder{{0}, 1};
        (void)recorder.values(3);
    });
    CHECK(end.aborted);
    CHECK(end.stderr_text == "iaf: out_of_range: iaf::state_recorder: sample 3 of 0\n");
}

TEST_CASE("no exceptions: an installed handler gets the kind and message and ends the process its own way") {
    const child_end end = run_in_child([] {
        iaf::set_error_handler(&exit_42);
        (void)iaf::lif{{.r_m = 1.0, .c_m = 1.0, .v_th = 0.0, .v_reset = 1.0}};
    });
    CHECK_FALSE(end.aborted);
    CHECK(end.exit_code == 42);
    CHECK(end.stderr_text == "host handler: invalid_parameter | iaf::lif: v_reset = 1 is invalid (must be < v_th)\n");
}

TEST_CASE("no exceptions: a handler that returns does not let the run go on: iaf aborts") {
    const child_end end = run_in_child([] {
        iaf::set_error_handler(&returns);
        (void)iaf::lif{{.r_m = 0.0, .c_m = 1.0}};
        std::fprintf(stderr, "went on after the error\n");
    });
    CHECK(end.aborted);
    CHECK(end.stderr_text == "returning from: iaf::lif: r_m = 0 is invalid (must be > 0)\n");
}

TEST_CASE("no exceptions: set_error_handler returns the previous handler, and nullptr restores the default") {
    // Compared as bools: doctest cannot print a function pointer.
    const iaf::error_handler by_default = &iaf::default_error_handler, host = &exit_42;
    CHECK((iaf::get_error_handler() == by_default));
    CHECK((iaf::set_error_handler(host) == by_default));
    CHECK((iaf::get_error_handler() == host));
    CHECK((iaf::set_error_handler(nullptr) == host));
    CHECK((iaf::get_error_handler() == by_default));
}
