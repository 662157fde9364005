// Rust's std::thread::spawn and JoinHandle, with Rust's rules rather than std::thread's:
//  - dropping a JoinHandle detaches the thread (destroying a joinable std::thread calls terminate);
//  - a panic (or any exception) ends only the thread it happens on, and join() reports it as Err
//    (an exception escaping a std::thread's function ends the whole process);
//  - the thread gets Rust's stack size, 2 MiB unless RUST_MIN_STACK says otherwise (std::thread takes
//    the C library's default, `ulimit -s`, usually 8 MiB, and cannot be given another);
//  - when the OS refuses a thread, spawn panics `failed to spawn thread: Os { .. }` (std::thread throws
//    std::system_error, which ends the process with abort, status 134, instead of Rust's 101).
#pragma once

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include <pthread.h>

#include "rs/result.hpp"

namespace rs::thread {

// Rust's Err from join(): the panic's payload, shown as `Any { .. }` when unwrapped.
// GCC 12 at -O2/-O3 warns that moving a Result<Unit, JoinError> that holds Ok may read this string
// uninitialized (it does not see that the variant's index rules the JoinError out), and -Werror makes
// the false positive fatal in release builds. The pragma covers only JoinError's implicit members.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
struct JoinError {
    std::string message;
    [[nodiscard]] std::string debug() const { return "Any { .. }"; }
};
#pragma GCC diagnostic pop

namespace detail {
template <class T>
using Output = std::conditional_t<std::is_void_v<T>, Unit, T>;

template <class T>
struct Packet {
    Option<Result<Output<T>, JoinError>> result = None;
};

// Reports an exception other than rs::Panic the way Rust reports a panic (rs::panic already did).
void report_foreign_exception(const std::exception_ptr& error);

// The stack a spawned thread gets, as Rust decides it: RUST_MIN_STACK (bytes, read once) or 2 MiB.
[[nodiscard]] std::size_t spawn_stack_size();

// A thread started with spawn_stack_size() bytes of stack: std::thread with pthread attributes, which
// std::thread does not take. Same members and rules as std::thread (join or detach it before it goes).
class OsThread {
public:
    OsThread() noexcept = default;
    // Starts `body` on a new thread; if the OS refuses, panics as Rust's spawn does.
    explicit OsThread(std::move_only_function<void()> body);
    OsThread(OsThread&& other) noexcept
        : handle_(std::exchange(other.handle_, pthread_t{})), joinable_(std::exchange(other.joinable_, false)) {}
    OsThread& operator=(OsThread&& other) noexcept {
        if (joinable_) std::terminate();  // as std::thread's
        handle_ = std::exchange(other.handle_, pthread_t{});
        joinable_ = std::exchange(other.joinable_, false);
        return *this;
    }
    ~OsThread() {
        if (joinable_) std::terminate();  // as std::thread's
    }

    [[nodiscard]] bool joinable() const noexcept { return joinable_; }
    void join();
    void detach();
    // libstdc++'s std::thread::id wraps the pthread_t, as std::thread::get_id() does.
    [[nodiscard]] std::thread::id get_id() const noexcept { return joinable_ ? std::thread::id(handle_) : std::thread::id(); }

private:
    pthread_t handle_{};
    bool joinable_ = false;
};
}  // namespace detail

template <class T>
class JoinHandle {
public:
    JoinHandle(detail::OsThread thread, std::shared_ptr<detail::Packet<T>> packet)
        : thread_(std::move(thread)), packet_(std::move(packet)) {}
    JoinHandle(JoinHandle&&) noexcept = default;
    JoinHandle& operator=(JoinHandle&& other) noexcept {
        if (this != &other) {
            if (thread_.joinable()) thread_.detach();
            thread_ = std::move(other.thread_);
            packet_ = std::move(other.packet_);
        }
        return *this;
    }
    ~JoinHandle() {
        if (thread_.joinable()) thread_.detach();  // Rust: a dropped JoinHandle detaches
    }

    // Waits for the thread; Ok(its value), or Err if it panicked. Consumes the handle, as Rust's
    // `join(self)` does: it is called on an rvalue (`std::move(handle).join()`), and leaves it empty.
    Result<detail::Output<T>, JoinError> join() && {
        detail::OsThread thread = std::move(thread_);
        const std::shared_ptr<detail::Packet<T>> packet = std::move(packet_);
        thread.join();
        return std::move(packet->result).unwrap();
    }

    [[nodiscard]] bool is_finished() const noexcept { return packet_.use_count() == 1; }
    [[nodiscard]] std::thread::id id() const noexcept { return thread_.get_id(); }

private:
    detail::OsThread thread_;
    std::shared_ptr<detail::Packet<T>> packet_;
};

// Rust's thread::spawn(f). F runs once, on a new thread, and owns what it captured. If the OS refuses
// the thread (no memory for its stack, too many threads), it panics as Rust's does:
// `failed to spawn thread: Os { code: 11, kind: WouldBlock, message: "Resource temporarily unavailable" }`.
template <class F>
    requires std::invocable<std::decay_t<F>&&>
auto spawn(F&& f) -> JoinHandle<std::invoke_result_t<std::decay_t<F>&&>> {
    using T = std::invoke_result_t<std::decay_t<F>&&>;
    auto packet = std::make_shared<detail::Packet<T>>();
    detail::OsThread thread([packet, body = std::decay_t<F>(std::forward<F>(f))]() mutable {
        try {
            if constexpr (std::is_void_v<T>) {
                std::move(body)();
                packet->result = Result<Unit, JoinError>(Ok());
            } else {
                packet->result = Result<T, JoinError>(Ok(std::move(body)()));
            }
        } catch (const Panic& panic) {
            packet->result = Result<detail::Output<T>, JoinError>(Err(JoinError{panic.message()}));
        } catch (...) {
            detail::report_foreign_exception(std::current_exception());
            packet->result = Result<detail::Output<T>, JoinError>(Err(JoinError{"exception"}));
        }
    });
    return JoinHandle<T>(std::move(thread), std::move(packet));
}

// Rust's thread::sleep.
inline void sleep(std::chrono::nanoseconds duration) { std::this_thread::sleep_for(duration); }

}  // namespace rs::thread
