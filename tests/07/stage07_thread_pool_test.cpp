// Stage 07, listing 21-21: the ThreadPool whose workers hold the lock while the job runs (the
// listing's thread_pool.cpp, compiled in). Four workers, yet at most one job runs at a time. And, as
// Rust's `while let` does, a worker's loop ends at the first Err: once the pool (and so the sender) is
// gone, every worker thread ends.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "job_probe.hpp"
#include "observation.hpp"
#include "process_threads.hpp"
#include "thread_pool.hpp"

using namespace std::chrono_literals;
using hello::ThreadPool;
using support::JobProbe;
using support::OpenGateOnExit;

using support::pool_deadline;
using support::pool_workers;

TEST(Stage07_ThreadPool, AtMostOneJobRunsAtATimeAlthoughThereAreFourWorkers) {
    auto probe = JobProbe::make();
    const OpenGateOnExit release(probe);
    auto pool = ThreadPool(pool_workers);
    support::hold_jobs_at_the_gate(pool, probe, pool_workers);
    ASSERT_TRUE(probe->wait_until([](const auto& counts) { return counts.running >= 1; }, pool_deadline))
        << "a job should be running, held at the gate";
    // Three workers are idle and three jobs are queued, but the running job's worker holds the lock
    // the others need to receive. Give a pool that released it time to start a second job.
    EXPECT_FALSE(probe->wait_until([](const auto& counts) { return counts.started > 1; }, 300ms))
        << "a second job started while the first was running: the lock was not held through the job";

    probe->open_gate();
    ASSERT_TRUE(
        probe->wait_until([](const auto& counts) { return counts.finished == pool_workers; }, pool_deadline));
    support::observe({.saw = "four jobs held at a gate, four workers: at most "
                             + std::to_string(probe->counts().peak_running) + " ran at once",
                      .shows = "the worker running a job holds the lock the idle three need",
                      .expected = "at most 1 at once"});
    EXPECT_EQ(probe->counts().peak_running, 1U) << "the jobs should have run one after another";
}

TEST(Stage07_ThreadPool, OnceThePoolIsGoneEveryWorkerThreadEnds) {
    const std::size_t threads_before = support::baseline_threads();
    {
        auto pool = ThreadPool(pool_workers);
    }  // the implicit destructor: ~Sender closes the channel, each ~JoinHandle detaches its thread
    const bool ended = support::wait_for_live_threads(threads_before, pool_deadline);
    const std::size_t now = support::live_threads();
    const std::size_t left = now - std::min(now, threads_before);
    support::observe(
        {.saw = "after the pool was destroyed, " + std::to_string(left) + " of its worker threads still ran",
         .shows = "`while let Ok(job) = ...recv()` stops at the first Err, so the loop ends",
         .expected = "0"});
    EXPECT_TRUE(ended)
        << "worker threads still run after the pool (and its sender) is gone: the loop must end "
           "when recv() fails, not go round again";
}
