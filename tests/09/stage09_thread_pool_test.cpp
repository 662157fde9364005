// Stage 09: the modern pool itself (its thread_pool.cpp, compiled in). What it does where Rust's pool
// panics: a job that throws is logged and its worker goes on; a size of zero or an empty job throws
// std::invalid_argument. And what its destructor does with jobs still queued: it runs them.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <thread>

#include "job_probe.hpp"
#include "pool_checks.hpp"
#include "thread_pool.hpp"

using namespace std::chrono_literals;
using hello::ThreadPool;

using support::pool_workers;
using support::pool_deadline;

namespace {

// Stands in for std::cout's or std::cerr's buffer while it lives, keeping what the pool prints, so that
// a test can wait for a line. (The pool writes through std::osyncstream, which writes to this buffer.)
class CapturedStream : public std::streambuf {
public:
    explicit CapturedStream(std::ostream& stream) : stream_(stream), original_(stream.rdbuf(this)) {}
    CapturedStream(const CapturedStream&) = delete;
    CapturedStream& operator=(const CapturedStream&) = delete;
    ~CapturedStream() override { stream_.rdbuf(original_); }

    [[nodiscard]] std::string text() const {
        const std::lock_guard lock(mutex_);
        return text_;
    }
    // True once `needle` has been printed `times` times; false at the deadline.
    bool wait_for(const std::string& needle, std::chrono::milliseconds wait, std::size_t times = 1) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, wait, [&] { return support::occurrences(text_, needle) >= times; });
    }

protected:
    int_type overflow(int_type c) override {
        if (c != traits_type::eof()) append(std::string(1, traits_type::to_char_type(c)));
        return traits_type::not_eof(c);
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        append(std::string(s, static_cast<std::size_t>(n)));
        return n;
    }

private:
    void append(const std::string& more) {
        {
            const std::lock_guard lock(mutex_);
            text_ += more;
        }
        changed_.notify_all();
    }

    std::ostream& stream_;
    std::streambuf* original_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::string text_;
};

}  // namespace

TEST(Stage09_ThreadPool, AJobThatThrowsLeavesThePoolAtFullStrength) {
    // Rust's pool loses a worker to every panicking job
    // (Stage06_Server.AnEmptyConnectionEndsOnlyTheWorkerThatTookIt).
    // Here each worker catches what its job throws, logs it to stderr and takes the next job.
    CapturedStream errors(std::cerr);
    auto pool = ThreadPool(pool_workers);
    for (std::size_t i = 0; i < pool_workers; ++i) {
        pool.execute([i] { throw std::runtime_error("job " + std::to_string(i) + " failed"); });
    }
    pool.execute([] { throw 42; });  // not a std::exception: caught all the same
    ASSERT_TRUE(errors.wait_for(": the job threw", pool_deadline, pool_workers + 1)) << errors.text();
    for (std::size_t i = 0; i < pool_workers; ++i) {
        EXPECT_EQ(
            support::occurrences(errors.text(), ": the job threw: job " + std::to_string(i) + " failed\n"),
            1U)
            << errors.text();
    }
    EXPECT_EQ(support::occurrences(errors.text(), ": the job threw something that is not a std::exception\n"),
              1U);

    // Four jobs that can only finish if four workers run them at once.
    const auto counts = support::run_jobs_meeting_at_a_barrier(pool, pool_workers, pool_deadline);
    EXPECT_EQ(counts.met_at_barrier, pool_workers) << "a worker was lost to a throwing job";
}

TEST(Stage09_ThreadPool, DestroyingThePoolRunsEveryJobStillQueued) {
    // One worker, held by the first job until the pool's destructor has begun (it prints `Shutting down
    // worker 0` just before asking the thread to stop), with ten jobs queued behind it. The stop request
    // ends the worker only once the queue is empty, so all ten run before the destructor returns.
    constexpr int queued = 10;
    CapturedStream output(std::cout);
    std::atomic<int> ran{0};
    std::atomic<bool> saw_destructor{false};
    {
        auto pool = ThreadPool(1);
        pool.execute([&] {
            saw_destructor = output.wait_for("Shutting down worker 0", pool_deadline);
            // The stop request follows the line at once; leave it time to come before the queue is read.
            std::this_thread::sleep_for(200ms);
        });
        for (int i = 0; i < queued; ++i) pool.execute([&ran] { ++ran; });
    }
    EXPECT_TRUE(saw_destructor.load()) << "the first job should have run into the destructor";
    EXPECT_EQ(ran.load(), queued) << "every job queued before the destructor began should have run";
    const auto text = output.text();
    EXPECT_LT(text.find("Shutting down worker 0"), text.find("Worker 0 stopped; shutting down.")) << text;
}

TEST(Stage09_ThreadPool, ASizeOfZeroThrowsInvalidArgument) {
    // Rust's ThreadPool::new panics (assert!); a C++ constructor throws.
    EXPECT_THROW(ThreadPool(0), std::invalid_argument);
}

TEST(Stage09_ThreadPool, AnEmptyJobIsRefusedByExecute) {
    auto pool = ThreadPool(1);
    EXPECT_THROW(pool.execute(ThreadPool::Job()), std::invalid_argument);
}
