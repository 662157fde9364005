// A C++-only variant of listing 21-19 (src/lib.rs) that does not compile: Job as std::function.
// The Rust crate is `hello`; so is the namespace.
#pragma once

#include <concepts>
#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

#include "rs/mpsc.hpp"

namespace hello {

class Worker;

// The C++ type most people reach for first. It must be copyable, so it cannot hold a closure that owns
// a TcpStream: main.cpp's execute() call does not compile (listing 21-19 uses move_only_function).
using Job = std::function<void()>;

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

    template <class F>
        requires std::invocable<F&&>
    void execute(F f) const {
        auto job = Job(std::move(f));

        sender_.send(std::move(job)).unwrap();
    }

private:
    using Channel = std::pair<rs::sync::mpsc::Sender<Job>, rs::sync::mpsc::Receiver<Job>>;
    ThreadPool(std::size_t size, Channel channel);

    // Declared in Rust's field order. C++ destroys members in reverse order (sender first).
    std::vector<Worker> workers_;
    rs::sync::mpsc::Sender<Job> sender_;
};

}  // namespace hello
