// Listing 21-20's ThreadPool (src/lib.rs) with one change, for stage 08's tests: each Worker holds a plain
// std::thread where the listing has rs::thread::JoinHandle. Destroying a joinable std::thread calls
// std::terminate; dropping a Rust JoinHandle detaches the thread
// (./workbook diff 21-20 cpp-21-20-std-thread-worker).
#include "thread_pool.hpp"

#include <string>
#include <thread>

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
    std::thread thread_;
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
    : id_(id), thread_(std::thread([id, receiver = std::move(receiver)] {
          while (true) {
              auto job = receiver->lock().unwrap()->recv().unwrap();

              rs::println("Worker " + std::to_string(id) + " got a job; executing.");

              std::move(job)();
          }
      })) {}

}  // namespace hello
