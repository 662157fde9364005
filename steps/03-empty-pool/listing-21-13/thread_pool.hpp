// Listing 21-13 (src/lib.rs): the constructor is documented, and panics if the size is zero.
// The Rust crate is `hello`; so is the namespace.
#pragma once

#include <concepts>
#include <cstddef>

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
};

}  // namespace hello
