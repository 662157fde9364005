// Listing 21-20 (src/lib.rs): the pool's public face. The Rust crate is `hello`; so is the namespace.
#pragma once

#include <atomic>
#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "rs/mpsc.hpp"

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
        waiting_->fetch_add(1);
        // The job says it has left the queue when a Worker starts it.
        auto job = Job([waiting = waiting_, f = std::move(f)]() mutable {
            waiting->fetch_sub(1);
            std::move(f)();
        });

        sender_.send(std::move(job)).unwrap();
    }

    // The queue holds at most this many jobs that no Worker has started.
    static constexpr std::size_t queue_bound = 4;
    [[nodiscard]] bool is_full() const { return waiting_->load() >= queue_bound; }

private:
    using Channel = std::pair<rs::sync::mpsc::Sender<Job>, rs::sync::mpsc::Receiver<Job>>;
    ThreadPool(std::size_t size, Channel channel);

    // Declared in Rust's field order. C++ destroys members in reverse order (sender first).
    std::vector<Worker> workers_;
    rs::sync::mpsc::Sender<Job> sender_;
    std::shared_ptr<std::atomic<std::size_t>> waiting_ = std::make_shared<std::atomic<std::size_t>>(0);
};

}  // namespace hello
