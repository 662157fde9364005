// Stage 06, listing 21-20: the ThreadPool itself (the listing's thread_pool.cpp, compiled in), driven by
// jobs that meet at a barrier or wait at a gate. No sleeps: each wait ends when the jobs get there.
#include <gtest/gtest.h>

#include "job_probe.hpp"
#include "observation.hpp"
#include "thread_pool.hpp"

using namespace std::chrono_literals;
using hello::ThreadPool;
using support::JobProbe;
using support::OpenGateOnExit;

namespace {

constexpr std::size_t workers = 4;
// How long anything the pool should do at once may take; reached only when the pool is broken.
constexpr auto deadline = 5s;

}  // namespace

TEST(Stage06_ThreadPool, FourJobsAllMeetAtAFourWayBarrier) {
    // Each job waits until all four have arrived: they can only all get there if four run at once.
    auto pool = ThreadPool(workers);
    const auto counts = support::run_jobs_meeting_at_a_barrier(pool, workers, deadline);
    support::observe({.saw = "four jobs that wait for each other at a barrier: " + std::to_string(counts.met_at_barrier) + " of 4 met", .shows = "four ran at the same time", .expected = "all 4 to meet"});
    EXPECT_EQ(counts.finished, workers);
    EXPECT_EQ(counts.met_at_barrier, workers) << "the four jobs did not run at the same time";
}

TEST(Stage06_ThreadPool, AFifthJobWaitsUntilAWorkerIsFree) {
    auto probe = JobProbe::make();
    const OpenGateOnExit release(probe);
    auto pool = ThreadPool(workers);
    for (std::size_t i = 0; i < workers + 1; ++i) {
        pool.execute([probe] {
            auto running = probe->enter();
            probe->wait_at_gate(deadline);
        });
    }
    ASSERT_TRUE(probe->wait_until([](const auto& counts) { return counts.running == workers; }, deadline))
        << "four jobs should be running, held at the gate; running: " << probe->counts().running;
    // Every worker is held at the gate: the fifth job cannot start. Give a broken pool time to start it.
    EXPECT_FALSE(probe->wait_until([](const auto& counts) { return counts.started > workers; }, 200ms))
        << "a fifth job started while four were running";

    probe->open_gate();
    ASSERT_TRUE(probe->wait_until([](const auto& counts) { return counts.finished == workers + 1; }, deadline));
    support::observe({.saw = "five jobs held at a gate, four workers: at most " + std::to_string(probe->counts().peak_running) + " ran at once", .shows = "the pool caps the jobs running at four", .expected = "at most 4, the fifth waiting"});
    EXPECT_EQ(probe->counts().peak_running, workers);
}

TEST(Stage06_ThreadPool, JobsRunOnAtMostFourThreadsNoneOfThemTheCallers) {
    constexpr std::size_t jobs = 40;
    auto probe = JobProbe::make();
    const OpenGateOnExit release(probe);
    auto pool = ThreadPool(workers);
    for (std::size_t i = 0; i < jobs; ++i) {
        pool.execute([probe] {
            auto running = probe->enter();
            probe->wait_at_gate(deadline);
        });
    }
    // Let the pool take on as many jobs at once as it will, then let them all through.
    ASSERT_TRUE(probe->wait_until([](const auto& counts) { return counts.running >= workers; }, deadline));
    probe->open_gate();
    ASSERT_TRUE(probe->wait_until([](const auto& counts) { return counts.finished == jobs; }, deadline));

    const auto threads = probe->counts().threads;
    EXPECT_LE(threads.size(), workers) << "jobs ran on more threads than the pool has workers";
    EXPECT_EQ(threads.count(std::this_thread::get_id()), 0U) << "execute() ran a job on the caller's thread";
}
