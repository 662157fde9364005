// Rust's std::sync::mpsc: an unbounded channel with many senders and one receiver.
//  - Sender is copyable (a copy is Rust's `sender.clone()`); Receiver is move-only.
//  - send() fails, handing the value back, once the Receiver is gone.
//  - recv() blocks until a value arrives; it fails once every Sender is gone and nothing is queued.
//  - Dropping the Receiver drops whatever is still queued.
// The Receiver is single-consumer, as Rust's is: it keeps the values it has taken off the shared queue
// in a buffer of its own, unsynchronised. Rust refuses to share a Receiver between threads (it is not
// Sync); here nothing refuses, and two threads calling recv() on one Receiver is a data race — which
// is why the pool wraps it in a Mutex, exactly as the book does.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <utility>

#include "rs/result.hpp"
#include "workbook/channel_census.hpp"

namespace rs::sync::mpsc {

template <class T>
struct SendError {
    T value;  // the value that could not be sent, handed back
    [[nodiscard]] std::string debug() const { return "SendError { .. }"; }
};

struct RecvError {
    [[nodiscard]] std::string debug() const { return "RecvError"; }
};

enum class RecvTimeoutError { Timeout, Disconnected };

namespace detail {
template <class T>
struct Shared {
    std::mutex mutex;
    std::condition_variable arrived;
    std::deque<T> queue;
    std::size_t senders = 1;
    bool receiver_alive = true;
};

// A new channel's shared state, reported to the workbook's tests of stages 04 and 05
// (workbook/channel_census.hpp); nothing else changes.
template <class T>
std::shared_ptr<Shared<T>> new_shared() {
    auto shared = std::make_shared<Shared<T>>();
    workbook::channel_census::made({.state = shared, .type = &typeid(T)});
    return shared;
}
}  // namespace detail

template <class T>
class Sender {
public:
    explicit Sender(std::shared_ptr<detail::Shared<T>> shared) : shared_(std::move(shared)) {}
    Sender(const Sender& other) : shared_(other.shared_) {
        if (shared_) {
            const std::lock_guard lock(shared_->mutex);
            ++shared_->senders;
        }
    }
    Sender(Sender&& other) noexcept = default;
    Sender& operator=(Sender other) noexcept {
        std::swap(shared_, other.shared_);
        return *this;
    }
    ~Sender() { release(); }

    Result<Unit, SendError<T>> send(T value) const {
        if (!shared_) panic("send on a moved-from Sender (a use after move)");
        {
            const std::lock_guard lock(shared_->mutex);
            if (!shared_->receiver_alive) return Err(SendError<T>{std::move(value)});
            shared_->queue.push_back(std::move(value));
        }
        shared_->arrived.notify_one();
        return Ok();
    }

private:
    void release() noexcept {
        if (!shared_) return;
        bool last = false;
        {
            const std::lock_guard lock(shared_->mutex);
            last = --shared_->senders == 0;
        }
        if (last) shared_->arrived.notify_all();
        shared_.reset();
    }

    std::shared_ptr<detail::Shared<T>> shared_;
};

template <class T>
class Receiver {
public:
    explicit Receiver(std::shared_ptr<detail::Shared<T>> shared) : shared_(std::move(shared)) {}
    Receiver(Receiver&& other) noexcept = default;
    Receiver& operator=(Receiver&& other) noexcept {
        if (this != &other) {
            disconnect();
            shared_ = std::move(other.shared_);
            taken_ = std::move(other.taken_);
        }
        return *this;
    }
    Receiver(const Receiver&) = delete;
    Receiver& operator=(const Receiver&) = delete;
    ~Receiver() { disconnect(); }

    // Blocks until a value arrives (Ok) or every Sender is gone with nothing queued (Err).
    Result<T, RecvError> recv() {
        if (!shared_) panic("recv on a moved-from Receiver (a use after move)");
        if (taken_.empty()) {
            std::unique_lock lock(shared_->mutex);
            shared_->arrived.wait(lock, [&] { return !shared_->queue.empty() || shared_->senders == 0; });
            if (shared_->queue.empty()) return Err(RecvError{});
            std::swap(taken_, shared_->queue);
        }
        return Ok(pop_taken());
    }

    // As recv(), but gives up after `timeout`.
    Result<T, RecvTimeoutError> recv_timeout(std::chrono::nanoseconds timeout) {
        if (!shared_) panic("recv_timeout on a moved-from Receiver (a use after move)");
        if (taken_.empty()) {
            std::unique_lock lock(shared_->mutex);
            const bool ready = shared_->arrived.wait_for(
                lock, timeout, [&] { return !shared_->queue.empty() || shared_->senders == 0; });
            if (!ready) return Err(RecvTimeoutError::Timeout);
            if (shared_->queue.empty()) return Err(RecvTimeoutError::Disconnected);
            std::swap(taken_, shared_->queue);
        }
        return Ok(pop_taken());
    }

    // False once this Receiver has been moved from.
    [[nodiscard]] bool is_connected_handle() const noexcept { return shared_ != nullptr; }

private:
    T pop_taken() {
        T value = std::move(taken_.front());
        taken_.pop_front();
        return value;
    }

    void disconnect() noexcept {
        if (!shared_) return;
        std::deque<T> dropped;
        {
            const std::lock_guard lock(shared_->mutex);
            shared_->receiver_alive = false;
            std::swap(dropped, shared_->queue);
        }
        shared_.reset();
        // `dropped` and `taken_` are destroyed outside the lock: a value's destructor may do anything.
    }

    std::shared_ptr<detail::Shared<T>> shared_;
    std::deque<T> taken_;  // this receiver's own buffer: single-consumer, like Rust's Receiver
};

// Rust's mpsc::channel(): `auto [sender, receiver] = mpsc::channel<Job>();`
template <class T>
std::pair<Sender<T>, Receiver<T>> channel() {
    auto shared = detail::new_shared<T>();
    return {Sender<T>(shared), Receiver<T>(shared)};
}

}  // namespace rs::sync::mpsc
