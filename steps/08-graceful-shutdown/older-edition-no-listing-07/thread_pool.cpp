// The full code as earlier editions of the book wrote it (src/lib.rs): listing 21-25's pool with each
// worker's thread in an Option. The destructor takes each handle out of its Worker (take() leaves None)
// and joins it, where today's book drains the workers out of the pool (no-listing-04 to no-listing-07).
#include "thread_pool.hpp"

#include <string>
#include <utility>

#include "rs/panic.hpp"
#include "rs/print.hpp"
#include "rs/result.hpp"
#include "rs/sync.hpp"
#include "rs/thread.hpp"

namespace hello {

namespace mpsc = rs::sync::mpsc;
using rs::drop;
using rs::sync::Arc;
using rs::sync::Mutex;

// Private to the library, as Rust's `struct Worker` (not `pub`) is.
class Worker {
public:
    Worker(std::size_t id, std::shared_ptr<Mutex<mpsc::Receiver<Job>>> receiver);

private:
    // Rust's privacy is per module: ThreadPool's drop may read a Worker's fields.
    friend class ThreadPool;

    std::size_t id_;
    rs::Option<rs::thread::JoinHandle<void>> thread_;
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

ThreadPool::~ThreadPool() {
    drop(sender_.take());

    for (auto& worker : workers_) {
        rs::println("Shutting down worker " + std::to_string(worker.id_));

        if (auto thread = worker.thread_.take()) {
            std::move(*thread).join().unwrap();
        }
    }
}

Worker::Worker(std::size_t id, std::shared_ptr<Mutex<mpsc::Receiver<Job>>> receiver)
    : id_(id), thread_(rs::thread::spawn([id, receiver = std::move(receiver)] {
          while (true) {
              auto message = receiver->lock().unwrap()->recv();

              if (message.is_ok()) {
                  auto job = std::move(message).unwrap();

                  rs::println("Worker " + std::to_string(id) + " got a job; executing.");

                  std::move(job)();
              } else {
                  rs::println("Worker " + std::to_string(id) + " disconnected; shutting down.");
                  break;
              }
          }
      })) {}

}  // namespace hello
