// Stage 08, the pools that shut down gracefully: the ThreadPool's destructor (the listing's
// thread_pool.cpp, compiled in), built once per listing: 21-24 (21-25's library is the same), 21-25,
// no-listing-07 (the book's full code) and the full code as earlier editions wrote it (Option<JoinHandle>
// and take() instead of drain). It drops the
// sender, then joins every worker: what was queued still runs, and when the destructor returns every
// worker thread has ended.
#include <gtest/gtest.h>

#include <semaphore>
#include <thread>

#include "job_probe.hpp"
#include "pool_behaviour.hpp"
#include "pool_drop.hpp"
#include "process_threads.hpp"
#include "thread_pool.hpp"

using namespace std::chrono_literals;
using hello::ThreadPool;
using support::JobProbe;
using support::OpenGateOnExit;
using support::PoolDroppedWithinDeadline;
using Clock = std::chrono::steady_clock;

#ifndef POOL_SUITE
#error "Meson defines POOL_SUITE, e.g. Stage08_ThreadPool_21_24"
#endif

using support::pool_deadline;


TEST(POOL_SUITE, JobsStillQueuedWhenThePoolIsDestroyedAllRunBeforeTheDestructorReturns) {
    constexpr std::size_t jobs = 4;
    const std::size_t threads_before = support::baseline_threads();
    auto probe = JobProbe::make();
    const OpenGateOnExit release(probe);
    std::binary_semaphore destroying(0);
    Clock::time_point gate_opened;
    // Opens the gate a while after the destructor has begun (so after it has dropped the sender).
    std::jthread opener;
    Clock::time_point destructor_returned;
    {
        const PoolDroppedWithinDeadline<ThreadPool> pool(1);
        support::hold_jobs_at_the_gate(*pool, probe, jobs);
        // The one worker holds the first job at the gate; the other three wait in the channel.
        ASSERT_TRUE(probe->wait_until([](const auto& counts) { return counts.started == 1; }, pool_deadline));
        opener = std::jthread([&] {
            if (destroying.try_acquire_for(pool_deadline)) std::this_thread::sleep_for(300ms);
            gate_opened = Clock::now();
            probe->open_gate();
        });
        destroying.release();
    }  // ~ThreadPool: drops the sender with three jobs still queued, then joins the worker
    destructor_returned = Clock::now();
    const std::size_t finished_when_it_returned = probe->counts().finished;
    opener.join();

    EXPECT_EQ(finished_when_it_returned, jobs)
        << "jobs queued before the shutdown were lost, or still running";
    // As a duration (a time point prints as bytes in a failure).
    EXPECT_GT(destructor_returned - gate_opened, Clock::duration::zero())
        << "the destructor returned before its worker had finished";
    EXPECT_EQ(support::live_threads(), threads_before) << "every worker thread has ended when it returns";
}

TEST(POOL_SUITE, DestroyingAnIdlePoolEndsEveryWorkerThread) {
    const std::size_t threads_before = support::baseline_threads();
    {
        const PoolDroppedWithinDeadline<ThreadPool> pool(4);
        EXPECT_EQ(support::live_threads(), threads_before + 4);
    }
    EXPECT_EQ(support::live_threads(), threads_before) << "the destructor joins all four";
}

// While they run, these pools behave as stage 06's does (tests/support/pool_behaviour.hpp).
using namespace support::like_21_20;

TEST(POOL_SUITE, FourJobsAllMeetAtAFourWayBarrier) { four_jobs_all_meet_at_a_four_way_barrier<ThreadPool>(); }
TEST(POOL_SUITE, AFifthJobWaitsUntilAWorkerIsFree) { a_fifth_job_waits_until_a_worker_is_free<ThreadPool>(); }
TEST(POOL_SUITE, JobsRunOnAtMostFourThreadsNoneOfThemTheCallers) {
    at_most_four_threads_never_the_callers<ThreadPool>();
}
