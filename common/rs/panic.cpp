#include "rs/panic.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string_view>

#include <unistd.h>

namespace rs {

namespace {

// __builtin_FILE() gives the path the compiler was handed, relative to the build folder; show it
// relative to the workbook's root, as cargo shows `src/main.rs`.
std::string_view trim_build_prefix(std::string_view file) {
    while (file.starts_with("../")) file.remove_prefix(3);
    return file;
}

bool on_main_thread() { return ::gettid() == ::getpid(); }

[[noreturn]] void terminate_handler();

// libstdc++'s own handler, which prints "terminate called ..." before it aborts.
const std::terminate_handler cpp_terminate_handler = std::set_terminate(terminate_handler);

// An rs::Panic that leaves main() (or a destructor: they are noexcept) has no handler, so C++ calls
// std::terminate (abort, status 134). Rust exits 101 instead; this handler restores that. Anything else
// keeps C++'s behaviour.
[[noreturn]] void terminate_handler() {
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

void panic(const std::string& message, Location where) {
    (void)cpp_terminate_handler;  // referenced, so the handler is installed wherever panic() is linked
    // One write, so that panics on several threads do not interleave their lines.
    std::string text = "thread '" + current_thread_name() + "' panicked at " +
                       std::string(trim_build_prefix(where.file)) + ":" + std::to_string(where.line) +
                       ":" + std::to_string(where.column) + ":\n" + message + "\n";
    std::cout.flush();
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
    throw Panic(message);
}

void exit_after_main_panic() {
    std::cout.flush();
    std::fflush(nullptr);
    std::_Exit(101);
}

}  // namespace rs
