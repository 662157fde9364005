// Exercise 07's start: listing 21-20 (src/lib.rs), the working pool. ./workbook exercise 07 builds it
// in listing 21-21's place and runs 21-21's tests.
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

// TODO(exercise): rewrite the Worker loop as the book's listing 21-21 does,
// `while let Ok(job) = receiver.lock().unwrap().recv() { ... }`, so that, as in Rust, the lock is
// HELD while the job runs (and released between jobs). Why does the literal C++ translation not hold
// it? Book: "Implementing the execute Method"
// (https://doc.rust-lang.org/book/ch21-02-multithreaded.html).
// Stuck? ./workbook hint 07
// Then compare with docs/07-while-let-bug.md.
Worker::Worker(std::size_t id, std::shared_ptr<Mutex<mpsc::Receiver<Job>>> receiver)
    : id_(id), thread_(rs::thread::spawn([id, receiver = std::move(receiver)] {
          while (true) {
              auto job = receiver->lock().unwrap()->recv().unwrap();

              rs::println("Worker " + std::to_string(id) + " got a job; executing.");

              std::move(job)();
          }
      })) {}

}  // namespace hello
