// A C++-only variant of listing 21-19 (src/lib.rs): unchanged from listing 21-19 except for Job (see
// thread_pool.hpp).
#include "thread_pool.hpp"

#include <memory>

#include "rs/panic.hpp"
#include "rs/sync.hpp"
#include "rs/thread.hpp"

namespace hello {

namespace mpsc = rs::sync::mpsc;
using rs::sync::Arc;
using rs::sync::Mutex;

// Private to the library, as Rust's `struct Worker` (not `pub`) is.
class Worker {
public:
    Worker(std::size_t id, std::shared_ptr<Mutex<mpsc::Receiver<Job>>> receiver);

private:
    [[maybe_unused]] std::size_t id_;  // not read before 21-22 (rustc warns that `id` is never read)
    rs::thread::JoinHandle<void> thread_;
};

// Rust creates the channel inside `new`. C++ must initialise `sender_` before the constructor's body,
// so the public constructor creates the channel and hands both ends to the private one.
ThreadPool::ThreadPool(std::size_t size) : ThreadPool(size, mpsc::channel<Job>()) {}

ThreadPool::ThreadPool(std::size_t size, Channel channel) : sender_(std::move(channel.first)) {
    RS_ASSERT(size > 0);

    auto receiver = std::make_shared<Mutex<mpsc::Receiver<Job>>>(std::move(channel.second));

    workers_.reserve(size);

    for (std::size_t id = 0; id < size; ++id) {
        workers_.emplace_back(id, Arc::clone(receiver));
    }
}

// Rust's ThreadPool has no Drop here; this is the implicit destructor, defined where Worker is complete.
ThreadPool::~ThreadPool() = default;

// Rust's `receiver;` moves this Worker's Arc out of the closure and drops it. A bare `receiver;` in
// C++ does nothing (g++: "statement has no effect"), so the cast says so; the captured shared_ptr is
// destroyed with the closure when the thread's function returns, which is when the thread ends.
Worker::Worker(std::size_t id, std::shared_ptr<Mutex<mpsc::Receiver<Job>>> receiver)
    : id_(id), thread_(rs::thread::spawn([receiver = std::move(receiver)] {
          static_cast<void>(receiver);
      })) {}

}  // namespace hello
