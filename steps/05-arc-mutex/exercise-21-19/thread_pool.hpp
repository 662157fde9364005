// Exercise 05's start: listing 21-18's header (src/lib.rs): Job is still an empty struct, and
// execute() still drops the closure it is given.
// The Rust crate is `hello`; so is the namespace.
#pragma once

#include <concepts>
#include <cstddef>
#include <utility>
#include <vector>

#include "rs/mpsc.hpp"

// TODO(exercise): make Job a move-only closure (Rust's Box<dyn FnOnce() + Send + 'static>), and have
// execute send each job down the channel. Book: "Implementing the execute Method"
// (https://doc.rust-lang.org/book/ch21-02-multithreaded.html). Stuck? ./workbook hint 05
// Then compare with docs/05-arc-mutex.md.
namespace hello {

class Worker;

// Rust's `struct Job;`: holds nothing for now; it is what the channel will carry.
struct Job {};

class ThreadPool {
public:
    /// Create a new ThreadPool.
    ///
    /// The size is the number of threads in the pool.
    ///
    /// # Panics
    ///
    /// The constructor panics if the size is zero.
    explicit ThreadPool(std::size_t size);
    ~ThreadPool();

    // F: FnOnce() becomes `std::invocable<F&&>`: callable as an rvalue (C++ cannot say "at most
    // once"). The job is a by-value parameter, so it (and the TcpStream it owns) is destroyed when
    // execute returns, as in Rust.
    template <class F>
        requires std::invocable<F&&>
    void execute([[maybe_unused]] F f) const {}

private:
    using Channel = std::pair<rs::sync::mpsc::Sender<Job>, rs::sync::mpsc::Receiver<Job>>;
    ThreadPool(std::size_t size, Channel channel);

    // Declared in Rust's field order. C++ destroys members in reverse order (sender first).
    std::vector<Worker> workers_;
    rs::sync::mpsc::Sender<Job> sender_;
};

}  // namespace hello
