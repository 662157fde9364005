// Rust's panic, for the listings: a panic prints its message at once (as Rust's panic hook does),
// then unwinds as an rs::Panic exception. What the panic ends is Rust's rule, not C++'s:
//  - on the main thread it unwinds `main` (its locals are destroyed), then ends the process with exit
//    status 101 (see main.cpp, Rust's runtime around the listing's main, and panic.cpp);
//  - on a thread started by rs::thread::spawn it ends that thread only (see thread.hpp);
//  - a panic that leaves a destructor while another panic unwinds aborts the process (SIGABRT), as
//    Rust's "panic in a destructor during cleanup" does.
#pragma once

#include <exception>
#include <string>
#if !defined(__clang__)
#include <source_location>
#endif
#include <utility>

namespace rs {

// The call site, for "panicked at FILE:LINE:COL". GCC builds use std::source_location; clang 14 (which
// the clang-tidy checks run on) cannot use it with libstdc++ 12, so Clang uses its builtins.
struct Location {
    const char* file;
    unsigned line;
    unsigned column;

#if defined(__clang__)
    static constexpr Location current(const char* file = __builtin_FILE(), unsigned line = __builtin_LINE(),
                                      unsigned column = __builtin_COLUMN()) noexcept {
        return Location{file, line, column};
    }
#else
    static constexpr Location current(std::source_location where = std::source_location::current()) noexcept {
        return Location{where.file_name(), where.line(), where.column()};
    }
#endif
};

// Deliberately not a std::exception: a `catch (const std::exception&)` in user code must not swallow
// a panic, just as Rust code cannot catch one without catch_unwind.
class Panic;

namespace detail {
// How many rs::Panic objects this thread holds: more than none while a panic unwinds (or is being
// handled), as Rust's panic count. See panicking().
inline thread_local int panics_alive = 0;
// How many of them began while another exception was unwinding (in a destructor run by the unwinding):
// if one of them leaves that destructor, Rust aborts ("panic in a destructor during cleanup").
inline thread_local int cleanup_panics_alive = 0;
}  // namespace detail

class Panic {
public:
    explicit Panic(std::string message)
        : message_(std::move(message)), during_cleanup_(std::uncaught_exceptions() > 0) {
        count(+1);
    }
    Panic(const Panic& other) : message_(other.message_), during_cleanup_(other.during_cleanup_) { count(+1); }
    Panic& operator=(const Panic&) = delete;
    ~Panic() { count(-1); }
    [[nodiscard]] const std::string& message() const noexcept { return message_; }
    // Whether it began in a destructor that another exception's unwinding was running.
    [[nodiscard]] bool during_cleanup() const noexcept { return during_cleanup_; }

private:
    void count(int change) const noexcept {
        detail::panics_alive += change;
        if (during_cleanup_) detail::cleanup_panics_alive += change;
    }

    std::string message_;
    bool during_cleanup_;
};

// Rust's std::thread::panicking(): whether a panic is under way on this thread.
[[nodiscard]] inline bool panicking() noexcept { return detail::panics_alive > 0; }

// "main" on the process's first thread, "<unnamed>" elsewhere, as Rust names them in panic messages.
[[nodiscard]] std::string current_thread_name();

// The OS's id of the calling thread, which Rust (since 1.91) prints after the name: gettid() on Linux.
[[nodiscard]] unsigned long long current_thread_os_id();

// Prints Rust 1.95's report to stderr: a blank line, `thread 'NAME' (TID) panicked at FILE:LINE:COL:`,
// and the message; then throws rs::Panic.
[[noreturn]] void panic(const std::string& message, Location where = Location::current());

// What Rust does when a panic leaves `main`: flush stdout and exit with status 101.
[[noreturn]] void exit_after_main_panic();

// Runs `body` the way Rust runs `main`: a panic escaping it exits with status 101. The listings do not
// need this (common/rs/main.cpp runs their main so); death tests do, because gtest treats an exception
// escaping a death-test statement as a failure of its own.
template <class Body>
void run_as_main(Body&& body) {
    try {
        std::forward<Body>(body)();
    } catch (const Panic&) {
        exit_after_main_panic();
    }
}

}  // namespace rs

// Rust's assert!: always checked (unlike <cassert>, which NDEBUG removes), and it panics.
#define RS_ASSERT(condition) \
    ((condition) ? static_cast<void>(0) : ::rs::panic("assertion failed: " #condition))
