// Exercise 04's start: listing 21-15's pool (src/lib.rs), Workers and no channel yet.
// ./workbook exercise 04 builds it in listing 21-17's place.
#include "thread_pool.hpp"

#include "rs/panic.hpp"
#include "rs/thread.hpp"

namespace hello {

// Private to the library, as Rust's `struct Worker` (not `pub`) is.
class Worker {
public:
    explicit Worker(std::size_t id);

private:
    [[maybe_unused]] std::size_t id_;  // not read before 21-22 (rustc warns that `id` is never read)
    rs::thread::JoinHandle<void> thread_;
};

ThreadPool::ThreadPool(std::size_t size) {
    RS_ASSERT(size > 0);

    workers_.reserve(size);

    for (std::size_t id = 0; id < size; ++id) {
        workers_.emplace_back(id);
    }
}

// Rust's ThreadPool has no Drop here; this is the implicit destructor, defined where Worker is complete.
ThreadPool::~ThreadPool() = default;

Worker::Worker(std::size_t id) : id_(id), thread_(rs::thread::spawn([] {})) {}

}  // namespace hello
