// Listing 21-16 (src/lib.rs): `let (sender, receiver) = mpsc::channel();` The pool keeps the sender;
// the receiver is a local that nothing uses (rustc warns), destroyed when the constructor returns.
#include "thread_pool.hpp"

#include "rs/panic.hpp"
#include "rs/thread.hpp"

namespace hello {

namespace mpsc = rs::sync::mpsc;

// Private to the library, as Rust's `struct Worker` (not `pub`) is.
class Worker {
public:
    explicit Worker(std::size_t id);

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
        workers_.emplace_back(id);
    }
}

// Rust's ThreadPool has no Drop here; this is the implicit destructor, defined where Worker is complete.
ThreadPool::~ThreadPool() = default;

Worker::Worker(std::size_t id) : id_(id), thread_(rs::thread::spawn([] {})) {}

}  // namespace hello
