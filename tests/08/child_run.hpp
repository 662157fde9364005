// Runs a function in a forked child process, with the child's stdout and stderr captured, and judges it
// from outside: how it ended (exit status, signal) or that it was still running at a deadline, in which
// case it is killed and reaped. For pools whose destruction ends the process (a panic in a destructor)
// or never returns (a join on a worker that never stops): neither can be watched from inside a test.
#pragma once

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "server_process.hpp"

namespace stage08 {

struct ChildOutcome {
    bool still_running_at_deadline = false;  // then killed (SIGKILL) and reaped
    support::ExitStatus status;  // how it ended, if not still running
    std::string out;
    std::string err;
};

namespace detail {
inline std::string read_to_end(int fd) {
    std::string text;
    char buffer[4096];
    for (;;) {
        const auto n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            text.append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
            break;
        }
    }
    ::close(fd);
    return text;
}
}  // namespace detail

// `body` runs in the child; if it returns, the child exits 0. Output is read to its end before return.
inline ChildOutcome run_in_child(const std::function<void()>& body, std::chrono::milliseconds deadline) {
    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) std::abort();
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) std::abort();
    if (pid == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        ::dup2(err[1], STDERR_FILENO);
        body();
        std::fflush(nullptr);
        std::_Exit(0);
    }
    ::close(out[1]);
    ::close(err[1]);
    ChildOutcome outcome;
    // Read both pipes while the child runs, so that it never blocks on a full one.
    std::thread out_reader([&] { outcome.out = detail::read_to_end(out[0]); });
    std::thread err_reader([&] { outcome.err = detail::read_to_end(err[0]); });
    int status = 0;
    const auto give_up = std::chrono::steady_clock::now() + deadline;
    pid_t reaped = 0;
    while ((reaped = ::waitpid(pid, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (reaped == 0) {
        outcome.still_running_at_deadline = true;
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
    }
    out_reader.join();
    err_reader.join();
    outcome.status = support::decode_wait_status(status);
    return outcome;
}

inline int count_of(const std::string& text, const std::string& piece) {
    int count = 0;
    for (auto at = text.find(piece); at != std::string::npos; at = text.find(piece, at + piece.size()))
        ++count;
    return count;
}

}  // namespace stage08
