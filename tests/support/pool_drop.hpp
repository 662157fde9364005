// A pool owned by a unit test whose destructor may never return (a wrong stage 08: a sender never
// dropped, a worker that never leaves its loop). Dropping it runs the destructor on a thread of its own
// and waits at most `pool_deadline`: a destructor that hangs fails the test that made the pool, and the
// test program goes on to its next test, instead of every test waiting out Meson's timeout.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <utility>

#include "job_probe.hpp"

namespace support {

// `carry_on`: for checks of a running pool, which leave its shutdown to the tests that judge it.
enum class IfTheDestructorHangs { fail_the_test, carry_on };

template <class Pool, IfTheDestructorHangs if_it_hangs = IfTheDestructorHangs::fail_the_test>
class PoolDroppedWithinDeadline {
public:
    template <class... Args>
    explicit PoolDroppedWithinDeadline(Args&&... args) : pool_(std::make_unique<Pool>(std::forward<Args>(args)...)) {}
    PoolDroppedWithinDeadline(const PoolDroppedWithinDeadline&) = delete;
    PoolDroppedWithinDeadline& operator=(const PoolDroppedWithinDeadline&) = delete;
    ~PoolDroppedWithinDeadline() { drop(); }

    Pool& operator*() const { return *pool_; }
    Pool* operator->() const { return pool_.get(); }

    // Destroys the pool now (once); false if its destructor did not return in time.
    bool drop(std::chrono::milliseconds deadline = pool_deadline) {
        if (!pool_) return true;
        std::packaged_task<void()> destroy([pool = std::move(pool_)]() mutable { pool.reset(); });
        auto returned = destroy.get_future();
        std::thread dropper(std::move(destroy));
        if (returned.wait_for(deadline) == std::future_status::ready) {
            dropper.join();
            return true;
        }
        // The hung destructor keeps the pool and its threads until the test program exits.
        dropper.detach();
        if (if_it_hangs == IfTheDestructorHangs::carry_on) return false;
        ADD_FAILURE() << "the pool's destructor did not return within " << deadline.count()
                      << " ms: a worker never left its loop, or was never joined";
        return false;
    }

private:
    std::unique_ptr<Pool> pool_;
};

}  // namespace support
