// Stage 09: the pool as C++ writes it today (see thread_pool.hpp for what each part replaces).
#include "thread_pool.hpp"

#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>
#include <syncstream>
#include <utility>

namespace hello {

namespace {

// One whole line, never interleaved with another thread's, and flushed (stdout may be a pipe).
void say(std::ostream& out, const std::string& line) { std::osyncstream(out) << line << std::endl; }

}  // namespace

ThreadPool::ThreadPool(std::size_t size) {
    if (size == 0) throw std::invalid_argument("ThreadPool: the size must be at least 1");

    workers_.reserve(size);

    for (std::size_t id = 0; id < size; ++id) {
        workers_.emplace_back(id, *this);
    }
}

void ThreadPool::execute(Job job) {
    if (!job) throw std::invalid_argument("ThreadPool::execute: an empty job");
    {
        const std::scoped_lock lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    job_queued_.notify_one();
}

void ThreadPool::work(std::size_t id, std::stop_token stop) {
    const std::string worker = "Worker " + std::to_string(id);
    while (true) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            // False only once a stop is requested and nothing is left queued: queued jobs run first.
            if (!job_queued_.wait(lock, stop, [this] { return !jobs_.empty(); })) break;
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }  // the lock is released here, before the job runs

        say(std::cout, worker + " got a job; executing.");

        // A job that throws ends neither its worker nor the server: the pool keeps its size.
        try {
            job();
        } catch (const std::exception& error) {
            say(std::cerr, worker + ": the job threw: " + error.what());
        } catch (...) {
            say(std::cerr, worker + ": the job threw something that is not a std::exception");
        }
    }
    say(std::cout, worker + " stopped; shutting down.");
}

ThreadPool::Worker::Worker(std::size_t id, ThreadPool& pool)
    : id_(id), thread_([&pool, id](std::stop_token stop) { pool.work(id, std::move(stop)); }) {}

ThreadPool::Worker::~Worker() {
    if (!thread_.joinable()) return;  // moved from
    say(std::cout, "Shutting down worker " + std::to_string(id_));
    // Then thread_'s destructor: request_stop(), which wakes the wait in work(), and join().
}

}  // namespace hello
