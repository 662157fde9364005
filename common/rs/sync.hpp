// Rust's std::sync::Mutex<T>: the mutex owns the value it protects, and the only way to the value is
// the guard that lock() returns; the lock is released when the guard is destroyed. Like Rust's, the
// mutex is poisoned when a thread panics while holding it, and later lock() calls return Err.
// Rust's Arc<T> is std::shared_ptr<T>: Arc::new(v) is std::make_shared, and Arc::clone(&a) is written
// Arc::clone(a) (below), so that the new owner is made where the book makes it, not by a silent copy.
#pragma once

#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <utility>

#include "rs/result.hpp"

namespace rs::sync {

// Rust's Arc::clone(&a): one more owner of the same value (the count goes up; nothing is copied but
// the pointer). `Arc` only names the function, as in `Arc::clone(receiver)`; the type stays
// std::shared_ptr, which has no clone() of its own.
struct Arc {
    template <class T>
    [[nodiscard]] static std::shared_ptr<T> clone(const std::shared_ptr<T>& arc) noexcept { return arc; }
};

// The lock under a Mutex, as Rust's Mutex<T> is a system lock beside the value (`sys::Mutex`): a
// std::mutex, locked and unlocked by functions compiled once (rs/sync.cpp), not inline, so that a
// program can be linked with a hook around them (docs/developing.md, "The lock trace").
class RawMutex {
public:
    void lock();
    void unlock() noexcept;

private:
    std::mutex mutex_;
};

template <class T>
class Mutex;

template <class T>
class MutexGuard {
public:
    MutexGuard(MutexGuard&& other) noexcept
        : mutex_(std::exchange(other.mutex_, nullptr)), exceptions_at_lock_(other.exceptions_at_lock_) {}
    MutexGuard& operator=(MutexGuard&&) = delete;
    MutexGuard(const MutexGuard&) = delete;
    MutexGuard& operator=(const MutexGuard&) = delete;

    ~MutexGuard() {
        if (mutex_ == nullptr) return;
        // Destroyed while an exception (a panic) unwinds through the holder: poison, as Rust does.
        if (std::uncaught_exceptions() > exceptions_at_lock_) mutex_->poisoned_.store(true);
        mutex_->mutex_.unlock();
    }

    T& operator*() const noexcept { return mutex_->value_; }
    T* operator->() const noexcept { return &mutex_->value_; }

private:
    friend class Mutex<T>;
    explicit MutexGuard(Mutex<T>& mutex) noexcept
        : mutex_(&mutex), exceptions_at_lock_(std::uncaught_exceptions()) {}

    Mutex<T>* mutex_;
    int exceptions_at_lock_;
};

// Rust's PoisonError: still carries the guard (the lock is held), shown as `PoisonError { .. }`.
template <class Guard>
class PoisonError {
public:
    explicit PoisonError(Guard guard) : guard_(std::move(guard)) {}
    Guard into_inner() && { return std::move(guard_); }
    [[nodiscard]] std::string debug() const { return "PoisonError { .. }"; }

private:
    Guard guard_;
};

template <class Guard>
using LockResult = Result<Guard, PoisonError<Guard>>;

template <class T>
class Mutex {
public:
    explicit Mutex(T value) : value_(std::move(value)) {}
    Mutex(const Mutex&) = delete;
    Mutex& operator=(const Mutex&) = delete;

    // Blocks until the lock is free. Ok(guard), or Err(PoisonError) if a holder panicked.
    LockResult<MutexGuard<T>> lock() {
        mutex_.lock();
        MutexGuard<T> guard(*this);
        if (poisoned_.load()) return Err(PoisonError<MutexGuard<T>>(std::move(guard)));
        return Ok(std::move(guard));
    }

    [[nodiscard]] bool is_poisoned() const noexcept { return poisoned_.load(); }

private:
    friend class MutexGuard<T>;
    RawMutex mutex_;
    std::atomic<bool> poisoned_{false};
    T value_;
};

}  // namespace rs::sync
