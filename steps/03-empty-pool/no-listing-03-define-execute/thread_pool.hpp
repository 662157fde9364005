// src/lib.rs, the third unnumbered step: an execute() that takes a closure, as thread::spawn does, and
// does nothing with it. The Rust crate is `hello`; so is the namespace.
#pragma once

#include <concepts>
#include <cstddef>

namespace hello {

class ThreadPool {
public:
    explicit ThreadPool(std::size_t size);

    // F: FnOnce() becomes `std::invocable<F&&>`: callable as an rvalue (C++ cannot say "at most
    // once"). The job is a by-value parameter, so it (and the TcpStream it owns) is destroyed when
    // execute returns, as in Rust.
    template <class F>
        requires std::invocable<F&&>
    void execute([[maybe_unused]] F f) const {}
};

}  // namespace hello
