#include "rs/panic.hpp"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string_view>
#include <thread>

#include <unistd.h>
#if defined(__APPLE__)
#include <pthread.h>
#endif

namespace rs {

namespace {

// __builtin_FILE() gives the path the compiler was handed: relative to the build folder
// (`../common/rs/thread.cpp`), or, in common's unity build, the build folder's path followed by that.
// Show it relative to the workbook's root, as cargo shows `src/main.rs`.
std::string_view trim_build_prefix(std::string_view file) {
    if (const auto up = file.rfind("../"); up != std::string_view::npos) file.remove_prefix(up + 3);
    return file;
}

// The thread that ran static initialisation: the process's first thread, where main runs.
const std::thread::id main_thread_id = std::this_thread::get_id();

bool on_main_thread() { return std::this_thread::get_id() == main_thread_id; }

std::string location_text(const Location& where) {
    return std::string(trim_build_prefix(where.file)) + ":" + std::to_string(where.line) + ":" +
           std::to_string(where.column);
}

// Rust 1.95's report of a panic, in one write so that panics on several threads do not interleave.
void print_panic_report(const std::string& message, const Location& where) {
    const std::string text = "\nthread '" + current_thread_name() + "' (" + std::to_string(current_thread_os_id()) +
                             ") panicked at " + location_text(where) + ":\n" + message + "\n";
    std::cout.flush();
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
}

// Rust's panic_in_cleanup: a panic left a destructor that another panic's unwinding was running.
// Rust reports it as a panic of its own (at a line of its core library; here, this one), then aborts.
[[noreturn]] void abort_after_panic_in_cleanup() {
    print_panic_report("panic in a destructor during cleanup", Location::current());
    std::fputs("thread caused non-unwinding panic. aborting.\n", stderr);
    std::fflush(nullptr);
    std::abort();
}

[[noreturn]] void terminate_handler();

// libstdc++'s own handler, which prints "terminate called ..." before it aborts.
const std::terminate_handler cpp_terminate_handler = std::set_terminate(terminate_handler);

// An rs::Panic that leaves a destructor (they are noexcept) has no handler, so C++ calls std::terminate
// (abort, status 134; so does one leaving main where main.cpp's runtime is not linked). This handler
// gives Rust's ending instead: the abort after a panic in a destructor during cleanup, on any thread;
// otherwise, on main, exit status 101. Anything else keeps C++'s behaviour.
[[noreturn]] void terminate_handler() {
    if (detail::cleanup_panics_alive > 0) abort_after_panic_in_cleanup();
    if (on_main_thread()) {
        if (auto current = std::current_exception()) {
            try {
                std::rethrow_exception(current);
            } catch (const Panic&) {
                exit_after_main_panic();
            } catch (...) {
            }
        } else if (panicking()) {
            // GCC 12's optimised code calls std::terminate from a noexcept destructor's landing pad
            // without making the exception current (tests/common/panic_in_destructor_test.cpp).
            exit_after_main_panic();
        }
    }
    if (cpp_terminate_handler != nullptr) cpp_terminate_handler();
    std::abort();
}

}  // namespace

std::string current_thread_name() { return on_main_thread() ? "main" : "<unnamed>"; }

unsigned long long current_thread_os_id() {
#if defined(__linux__)
    return static_cast<unsigned long long>(::gettid());
#elif defined(__APPLE__)
    std::uint64_t id = 0;
    ::pthread_threadid_np(nullptr, &id);
    return id;
#else
    // No OS id to ask for: a number per thread, in the order they first panic.
    static std::atomic<unsigned long long> next{1};
    thread_local const unsigned long long id = next++;
    return id;
#endif
}

void panic(const std::string& message, Location where) {
    (void)cpp_terminate_handler;  // referenced, so the handler is installed wherever panic() is linked
    print_panic_report(message, where);
    throw Panic(message);
}

void exit_after_main_panic() {
    std::cout.flush();
    std::fflush(nullptr);
    std::_Exit(101);
}

}  // namespace rs
