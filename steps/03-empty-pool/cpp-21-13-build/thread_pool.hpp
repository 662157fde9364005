// A C++-only variant of listing 21-13 (src/lib.rs), the one the book suggests trying: instead of
// panicking in `new`, `build` returns Result<ThreadPool, PoolCreationError>.
// The Rust crate is `hello`; so is the namespace.
#pragma once

#include <concepts>
#include <cstddef>
#include <string>

#include "rs/result.hpp"

namespace hello {

// Rust's `#[derive(Debug)] pub struct PoolCreationError;`: debug() is what unwrap() shows.
struct PoolCreationError {
    [[nodiscard]] std::string debug() const { return "PoolCreationError"; }
};

class ThreadPool {
public:
    /// Create a new ThreadPool.
    ///
    /// The size is the number of threads in the pool.
    ///
    /// # Errors
    ///
    /// Returns Err(PoolCreationError) if the size is zero.
    static rs::Result<ThreadPool, PoolCreationError> build(std::size_t size);

    // F: FnOnce() becomes `std::invocable<F&&>`: callable as an rvalue (C++ cannot say "at most
    // once"). The job is a by-value parameter, so it (and the TcpStream it owns) is destroyed when
    // execute returns, as in Rust.
    template <class F>
        requires std::invocable<F&&>
    void execute([[maybe_unused]] F f) const {}

private:
    ThreadPool() = default;  // only build() makes one
};

}  // namespace hello
