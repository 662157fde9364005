// Listing 21-25, C++-only variant (src/lib.rs, unchanged since listing 21-24): the pool whose
// destructor shuts it down.
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

ThreadPool::~ThreadPool() {
    drop(sender_.take());

    for (auto& worker : std::exchange(workers_, {})) {
        rs::println("Shutting down worker " + std::to_string(worker.id_));

        std::move(worker.thread_).join().unwrap();
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
