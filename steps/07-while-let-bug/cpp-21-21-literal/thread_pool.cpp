// Listing 21-21, literal C++ translation (C++ only): `while let Ok(job) = receiver.lock().unwrap().recv()`
// written as `while (auto job = receiver->lock().unwrap()->recv())`. C++ destroys the guard, a temporary,
// at the end of the condition's full-expression, before the body runs: the lock is NOT held while the
// job runs, and this pool stays concurrent, unlike Rust's listing 21-21.
#include "thread_pool.hpp"

#include <string>

#include "rs/panic.hpp"
#include "rs/print.hpp"
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

Worker::Worker(std::size_t id, std::shared_ptr<Mutex<mpsc::Receiver<Job>>> receiver)
    : id_(id), thread_(rs::thread::spawn([id, receiver = std::move(receiver)] {
          // The guard returned by unwrap() is a temporary: destroyed at the end of this condition.
          while (auto job = receiver->lock().unwrap()->recv()) {
              rs::println("Worker " + std::to_string(id) + " got a job; executing.");

              std::move(*job)();
          }
      })) {}

}  // namespace hello
