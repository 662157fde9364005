// Exercise 04's start: listing 21-15's header (src/lib.rs), a pool of Workers with no channel.
// The Rust crate is `hello`; so is the namespace.
#pragma once

#include <concepts>
#include <cstddef>
#include <vector>

// TODO(exercise): give the pool a channel: a Job type, the Sender kept by the pool, the Receiver
// passed to each Worker as the book does (listings 21-16, 21-17). Book: "Sending Requests to Threads
// via Channels" (https://doc.rust-lang.org/book/ch21-02-multithreaded.html).
// Stuck? ./workbook hint 04. Then compare with docs/04-channel.md.
namespace hello {

class Worker;

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
    std::vector<Worker> workers_;
};

}  // namespace hello
