// Listing 21-17 (src/lib.rs): each Worker is given the receiver. rustc rejects this (E0382: the
// receiver is moved in the first iteration and used again in the next). g++ compiles it: the first
// Worker gets the receiver, the others get moved-from, empty ones. See docs/04-channel.md.
#include "thread_pool.hpp"

#include "rs/panic.hpp"
#include "rs/thread.hpp"

namespace hello {

namespace mpsc = rs::sync::mpsc;

// Private to the library, as Rust's `struct Worker` (not `pub`) is.
class Worker {
public:
    Worker(std::size_t id, mpsc::Receiver<Job> receiver);

private:
    [[maybe_unused]] std::size_t id_;  // not read before 21-22 (rustc warns that `id` is never read)
    rs::thread::JoinHandle<void> thread_;
};

// Rust creates the channel inside `new`. C++ must initialise `sender_` before the constructor's body,
// so the public constructor creates the channel and hands both ends to the private one.
ThreadPool::ThreadPool(std::size_t size) : ThreadPool(size, mpsc::channel<Job>()) {}

ThreadPool::ThreadPool(std::size_t size, Channel channel) : sender_(std::move(channel.first)) {
    RS_ASSERT(size > 0);

    auto receiver = std::move(channel.second);

    workers_.reserve(size);

    for (std::size_t id = 0; id < size; ++id) {
        workers_.emplace_back(id, std::move(receiver));
    }
}

// Rust's ThreadPool has no Drop here; this is the implicit destructor, defined where Worker is complete.
ThreadPool::~ThreadPool() = default;

// Rust's `receiver;` moves the receiver out of the closure and drops it. A bare `receiver;` in C++
// does nothing (g++: "statement has no effect"), so the cast says so; the captured receiver is
// destroyed with the closure when the thread's function returns, which is when the thread ends.
Worker::Worker(std::size_t id, mpsc::Receiver<Job> receiver)
    : id_(id), thread_(rs::thread::spawn([receiver = std::move(receiver)] {
          static_cast<void>(receiver);
      })) {}

}  // namespace hello
