// A terminate handler for the death tests of a pool whose workers are plain std::threads: it says
// which thread called std::terminate and, on the main thread, gives the workers a grace period to print
// what they will (a panic message, if their channel is already closed) before the process aborts.
#pragma once

#include <chrono>
#include <cstdlib>
#include <string_view>
#include <thread>

#include <unistd.h>

namespace stage08 {

constexpr auto terminate_grace = std::chrono::seconds(1);

inline void write_to_stderr(std::string_view text) {
    const auto written = ::write(STDERR_FILENO, text.data(), text.size());
    (void)written;
}

[[noreturn]] inline void report_terminate_and_abort() {
    if (::gettid() == ::getpid()) {
        write_to_stderr("std::terminate on the main thread\n");
        std::this_thread::sleep_for(terminate_grace);
    } else {
        write_to_stderr("std::terminate on a worker thread\n");
    }
    std::abort();
}

}  // namespace stage08
