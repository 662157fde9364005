// Listing 21-14 (src/lib.rs): the pool holds a vector of JoinHandles (still empty).
// The Rust crate is `hello`; so is the namespace.
#pragma once

#include <concepts>
#include <cstddef>
#include <vector>

#include "rs/thread.hpp"

namespace hello {

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

    // F: FnOnce() becomes `std::invocable<F&&>`: callable as an rvalue (C++ cannot say "at most
    // once"). The job is a by-value parameter, so it (and the TcpStream it owns) is destroyed when
    // execute returns, as in Rust.
    template <class F>
        requires std::invocable<F&&>
    void execute([[maybe_unused]] F f) const {}

private:
    std::vector<rs::thread::JoinHandle<void>> threads_;
};

}  // namespace hello
