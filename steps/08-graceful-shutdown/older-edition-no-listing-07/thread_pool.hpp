// The full code as earlier editions of the book wrote it (src/lib.rs): the pool's public face.
#pragma once

#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "rs/mpsc.hpp"
#include "rs/result.hpp"

namespace hello {

class Worker;

// Box<dyn FnOnce() + Send + 'static>: a move-only callable. The && qualifier makes every call an
// rvalue call, std::move(job)(), but a call does not consume the job: nothing stops a second one.
// std::function will not do: it must be copyable, and a job owns its TcpStream, which is not.
// Nothing here checks Rust's `Send` and `'static` bounds; see docs/concepts.md.
using Job = std::move_only_function<void() &&>;

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

        sender_.as_ref().unwrap()->send(std::move(job)).unwrap();
    }

private:
    using Channel = std::pair<rs::sync::mpsc::Sender<Job>, rs::sync::mpsc::Receiver<Job>>;
    ThreadPool(std::size_t size, Channel channel);

    // Declared in Rust's field order. C++ destroys members in reverse order (sender first).
    std::vector<Worker> workers_;
    rs::Option<rs::sync::mpsc::Sender<Job>> sender_;
};

}  // namespace hello
