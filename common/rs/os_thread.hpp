// The thread under rs::thread::spawn: std::thread cannot be given a stack size, so this starts one with
// pthread attributes, Rust's size (2 MiB, or RUST_MIN_STACK), and panics as Rust's spawn does when the
// OS refuses it. Otherwise the same members and rules as std::thread (join or detach it before it goes).
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <thread>
#include <utility>

#include <pthread.h>

namespace rs::thread::detail {

// The stack a spawned thread gets, as Rust decides it: RUST_MIN_STACK (bytes, read once) or 2 MiB.
[[nodiscard]] std::size_t spawn_stack_size();

// std::thread's interface (joinable, join, detach, get_id) over a pthread started with that stack.
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

}  // namespace rs::thread::detail
