#include "rs/thread.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <climits>
#include <string>
#include <string_view>
#include <system_error>

#include <unistd.h>

#include "rs/io.hpp"
#include "rs/panic.hpp"

namespace rs::thread::detail {

namespace {

constexpr std::size_t rust_default_stack = std::size_t{2} * 1024 * 1024;

// Rust's std reads RUST_MIN_STACK once and keeps 2 MiB when it is absent or not a number.
std::size_t read_min_stack() {
    const char* setting = std::getenv("RUST_MIN_STACK");
    if (setting == nullptr) return rust_default_stack;
    const std::string_view text(setting);
    std::size_t bytes = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), bytes);
    return error == std::errc{} && end == text.data() + text.size() ? bytes : rust_default_stack;
}

// As Rust on Linux: at least PTHREAD_STACK_MIN, and whole pages when the C library insists.
std::size_t usable_stack_size(std::size_t requested) {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t at_least = std::max(requested, static_cast<std::size_t>(PTHREAD_STACK_MIN));
    return (at_least + page - 1) / page * page;
}

extern "C" void* run_thread_body(void* raw_body) {
    const std::unique_ptr<std::move_only_function<void()>> body(static_cast<std::move_only_function<void()>*>(raw_body));
    (*body)();
    return nullptr;
}

// Rust's spawn is `Builder::new().spawn(f).expect("failed to spawn thread")`: this is that panic.
[[noreturn]] void failed_to_spawn(int os_error) {
    rs::panic("failed to spawn thread: " + rs::io::Error::from_os(os_error).debug());
}

}  // namespace

void report_foreign_exception(const std::exception_ptr& error) {
    std::string what = "an exception that is not a std::exception";
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        what = e.what();
    } catch (...) {
    }
    const std::string text = "thread '" + current_thread_name() + "' panicked:\n" + what + "\n";
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
}

std::size_t spawn_stack_size() {
    static const std::size_t size = usable_stack_size(read_min_stack());
    return size;
}

OsThread::OsThread(std::move_only_function<void()> body) {
    auto owned = std::make_unique<std::move_only_function<void()>>(std::move(body));
    pthread_attr_t attributes;
    int error = ::pthread_attr_init(&attributes);
    if (error == 0) {
        error = ::pthread_attr_setstacksize(&attributes, spawn_stack_size());
        if (error == 0) error = ::pthread_create(&handle_, &attributes, run_thread_body, owned.get());
        ::pthread_attr_destroy(&attributes);
    }
    if (error != 0) failed_to_spawn(error);
    owned.release();  // run_thread_body owns it now
    joinable_ = true;
}

void OsThread::join() {
    if (!joinable_) throw std::system_error(std::make_error_code(std::errc::invalid_argument), "OsThread::join");
    if (const int error = ::pthread_join(handle_, nullptr); error != 0) {
        throw std::system_error(error, std::generic_category(), "OsThread::join");
    }
    joinable_ = false;
}

void OsThread::detach() {
    if (!joinable_) throw std::system_error(std::make_error_code(std::errc::invalid_argument), "OsThread::detach");
    if (const int error = ::pthread_detach(handle_); error != 0) {
        throw std::system_error(error, std::generic_category(), "OsThread::detach");
    }
    joinable_ = false;
}

}  // namespace rs::thread::detail
