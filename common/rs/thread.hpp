// Rust's std::thread::spawn and JoinHandle, with Rust's rules rather than std::thread's:
//  - dropping a JoinHandle detaches the thread (destroying a joinable std::thread calls terminate);
//  - a panic (or any exception) ends only the thread it happens on, and join() reports it as Err
//    (an exception escaping a std::thread's function ends the whole process).
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <thread>
#include <type_traits>
#include <utility>

#include "rs/os_thread.hpp"
#include "rs/result.hpp"

namespace rs::thread {

// Rust's Err from join(): the panic's payload, shown as `Any { .. }` when unwrapped.
// GCC 12 at -O2/-O3 warns that moving a Result<Unit, JoinError> that holds Ok may read this string
// uninitialized (it does not see that the variant's index rules the JoinError out), and -Werror makes
// the false positive fatal in release builds. The pragma covers only JoinError's implicit members, and
// only under GCC: Clang has no such warning and would reject the unknown name (-Wunknown-warning-option).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
struct JoinError {
    std::string message;
    [[nodiscard]] std::string debug() const { return "Any { .. }"; }
};
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace detail {
template <class T>
using Output = std::conditional_t<std::is_void_v<T>, Unit, T>;

template <class T>
struct Packet {
    Option<Result<Output<T>, JoinError>> result = None;
};

// Reports an exception other than rs::Panic the way Rust reports a panic (rs::panic already did).
void report_foreign_exception(const std::exception_ptr& error);
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

// Rust's thread::spawn(f). F runs once, on a new thread, and owns what it captured. As Rust's, the
// thread gets a 2 MiB stack (RUST_MIN_STACK sets another; std::thread takes `ulimit -s`, usually 8 MiB),
// and if the OS refuses the thread (no room for its stack) spawn panics `failed to spawn thread: Os {
// code: 11, kind: WouldBlock, message: "Resource temporarily unavailable" }` (std::thread throws
// std::system_error: abort, status 134, not 101).
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
