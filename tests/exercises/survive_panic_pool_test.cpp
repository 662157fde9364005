// The extension survive-panic, from inside: the learner's pool (listing 21-20's folder, which the
// exercise's files replace in the scratch copy) given jobs that panic, then jobs that must still find
// the same four workers. What the server test (extensions_test.cpp) cannot tell apart: a pool that
// survives only the panics of handle_connection (a catch in main.cpp), or one that survives by starting
// threads (a thread per job, a replacement Worker per panic).
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <thread>

#include "job_probe.hpp"
#include "observation.hpp"
#include "proc_status.hpp"
#include "rs/panic.hpp"
#include "thread_pool.hpp"

using hello::ThreadPool;
using namespace support;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t panicking_jobs = 8;  // twice the workers: Workers that die of them leave four unrun
constexpr auto short_deadline = 2s;        // reached only by a pool that lost its workers

// Gives `pool` eight jobs that panic, each after entering `probe`; waits until all eight have been run
// (a pool whose Workers die runs only four). The number run. With listing 21-20's pool, an execute
// after the last Worker has died panics here, on the caller's thread (the channel's receiver is gone):
// that too ends the count.
std::size_t run_panicking_jobs(ThreadPool& pool, const std::shared_ptr<JobProbe>& probe) {
    try {
        for (std::size_t i = 0; i < panicking_jobs; ++i) {
            pool.execute([probe] {
                auto running = probe->enter();
                rs::panic("a job that panics on purpose (the survive-panic check)");
            });
        }
    } catch (const rs::Panic&) {
        return probe->counts().finished;
    }
    probe->wait_until([](const JobProbe::Counts& counts) { return counts.finished == panicking_jobs; }, short_deadline);
    return probe->counts().finished;
}

}  // namespace

TEST(Extension_SurvivePanicPool, AfterEightPanickingJobsFourJobsStillRunAtOnce) {
    auto pool = ThreadPool(pool_workers);
    const auto panicked = run_panicking_jobs(pool, JobProbe::make());
    // A pool that lost its Workers is given nothing more (its execute would panic here).
    const auto after = panicked == panicking_jobs ? run_jobs_meeting_at_a_barrier(pool, pool_workers, short_deadline)
                                                  : JobProbe::Counts{};
    observe({.saw = "eight jobs that panic: " + std::to_string(panicked)
                    + " run; then four jobs that wait for each other: "
                    + std::to_string(after.met_at_barrier) + " of 4 met",
             .shows = "every Worker outlived the panics of the jobs it ran, in the pool itself",
             .expected = "all 8 run, then all 4 to meet"});
    EXPECT_EQ(panicked, panicking_jobs) << "Workers ended with the jobs that panicked: the rest were never run";
    EXPECT_EQ(after.met_at_barrier, pool_workers) << "fewer than four Workers were left after the panics";
}

TEST(Extension_SurvivePanicPool, AfterPanickingJobsEveryJobRunsOnTheSameFourThreads) {
    constexpr std::size_t later_jobs = 40;
    // The Workers of a pool made earlier in this process end after it (their recv fails): let them go first.
    for (int i = 0; i < 100 && thread_count(::getpid()) > 1; ++i) std::this_thread::sleep_for(20ms);
    const auto threads_before = thread_count(::getpid());
    auto probe = JobProbe::make();
    auto pool = ThreadPool(pool_workers);
    const OpenGateOnExit release(probe);
    const auto panicked = run_panicking_jobs(pool, probe);
    if (panicked != panicking_jobs) GTEST_SKIP() << "the Workers did not outlive the panics (the test before says so)";
    hold_jobs_at_the_gate(pool, probe, later_jobs, short_deadline);
    probe->wait_until([](const auto& counts) { return counts.running >= pool_workers; }, short_deadline);
    const auto threads_added = thread_count(::getpid()) - threads_before;  // four jobs held: four Workers busy
    probe->open_gate();
    probe->wait_until([&](const auto& counts) { return counts.finished == panicked + later_jobs; }, short_deadline);
    const auto counts = probe->counts();
    observe({.saw = std::to_string(panicked) + " jobs that panic, then " + std::to_string(later_jobs)
                    + " more: " + std::to_string(counts.finished) + " run, on "
                    + std::to_string(counts.threads.size()) + " threads; the pool added "
                    + std::to_string(threads_added) + " threads while four of them ran",
             .shows = "the four Workers caught the panics and went on: no thread was added or replaced",
             .expected =
                 "every job run, on 4 threads none of them the caller's, and no more than 4 threads added"});
    EXPECT_EQ(counts.finished, panicked + later_jobs) << "some jobs were never run";
    EXPECT_LE(counts.threads.size(), pool_workers) << "jobs ran on more threads than the pool has workers: "
                                                      "a new thread for each panic?";
    EXPECT_LE(threads_added, pool_workers) << "the pool runs more threads than its four Workers: a thread per job?";
    EXPECT_EQ(counts.threads.count(support::this_thread_serial()), 0U) << "a job ran on the caller's thread";
}
