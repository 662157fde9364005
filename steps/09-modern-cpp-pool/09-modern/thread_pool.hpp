// Stage 09: the pool as C++ writes it today, standard library only. Beside stage 08's listing 21-25:
//  - Arc<Mutex<Receiver<Job>>>  -> a std::deque<Job> guarded by a std::mutex, with a
//                                  std::condition_variable_any to wait on; the pool owns them, no Arc;
//  - Option::take in Drop       -> nothing: each worker is a std::jthread, whose destructor asks its
//                                  thread to stop (std::stop_token) and joins it;
//  - the channel disconnecting  -> a stop request: a worker runs what is queued, then ends;
//  - JoinHandle::join().unwrap() -> no result to unwrap: a job that throws is caught and logged by its
//                                  worker, which goes on with the next job.
// Nothing checks Rust's Send and 'static bounds on a job, or that the pool outlives what a job
// refers to: see docs/09-modern-cpp-pool.md and docs/safety-lab.md.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

namespace hello {

class ThreadPool {
public:
    // Box<dyn FnOnce() + Send + 'static>, as C++ spells a callable that may own a move-only value.
    using Job = std::move_only_function<void()>;

    // Starts `size` workers. Throws std::invalid_argument if `size` is zero.
    explicit ThreadPool(std::size_t size);
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;
    // The workers run every job already queued, then end, and are joined: see Worker::~Worker.
    ~ThreadPool() = default;

    // Queues `job` for the next free worker. Throws std::invalid_argument if `job` is empty.
    void execute(Job job);

private:
    // One thread and its number. Destroying it asks the thread to stop, then joins it.
    class Worker {
    public:
        Worker(std::size_t id, ThreadPool& pool);
        Worker(Worker&&) noexcept = default;
        Worker& operator=(Worker&&) noexcept = default;
        ~Worker();

    private:
        std::size_t id_;
        std::jthread thread_;
    };

    // What each worker's thread runs until `stop` is requested and the queue is empty.
    void work(std::size_t id, std::stop_token stop);

    std::mutex mutex_;
    std::condition_variable_any job_queued_;
    std::deque<Job> jobs_;
    // Declared last, so destroyed first: every worker is stopped and joined while the queue still exists.
    std::vector<Worker> workers_;
};

}  // namespace hello
