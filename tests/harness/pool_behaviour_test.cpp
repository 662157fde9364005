// tests/support/pool_behaviour.hpp: the four-threads check fails a pool whose only fault is that a job
// runs on the caller's thread (the thread that called execute(), not the test's own).
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

#include "pool_behaviour.hpp"

namespace {

// Three workers, and the caller as the fourth: execute() runs every fourth job itself. Never more than
// four threads, four jobs at once: only the caller's thread gives it away.
class CallerIsTheFourthWorker {
public:
    explicit CallerIsTheFourthWorker(std::size_t size) {
        for (std::size_t i = 0; i + 1 < size; ++i) {
            workers_.emplace_back([this](std::stop_token stop) { work(stop); });
        }
    }

    template <class F>
    void execute(F f) const {
        if (++given_ % (workers_.size() + 1) == 0) {
            f();
            return;
        }
        {
            const std::lock_guard lock(mutex_);
            jobs_.emplace_back(std::move(f));
        }
        queued_.notify_one();
    }

private:
    void work(const std::stop_token& stop) const {
        while (true) {
            std::move_only_function<void()> job;
            {
                std::unique_lock lock(mutex_);
                if (!queued_.wait(lock, stop, [this] { return !jobs_.empty(); })) return;
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
            job();
        }
    }

    mutable std::mutex mutex_;
    mutable std::condition_variable_any queued_;
    mutable std::deque<std::move_only_function<void()>> jobs_;
    mutable std::size_t given_ = 0;    // execute() is called from one thread at a time here
    std::vector<std::jthread> workers_;  // last: stopped and joined before the queue goes
};

}  // namespace

TEST(Harness_PoolBehaviour, APoolThatRunsJobsOnTheCallersThreadFailsTheFourThreadsCheck) {
    using support::like_21_20::at_most_four_threads_never_the_callers;
    EXPECT_NONFATAL_FAILURE(at_most_four_threads_never_the_callers<CallerIsTheFourthWorker>(),
                            "execute() ran a job on the caller's thread");
}
