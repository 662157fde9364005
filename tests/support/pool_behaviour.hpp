// The checks of a pool that behaves as listing 21-20's does while it runs: four jobs at once, a fifth
// waiting for a free worker, never more threads than workers and never the caller's. One body per
// check, written once; each pool's test file instantiates them for its own hello::ThreadPool (every
// listing's pool is a library of its own, defining the same type), one TEST each in a suite that names
// the pool:
//     TEST(Stage06_ThreadPool, AFifthJobWaitsUntilAWorkerIsFree) { a_fifth_job_waits_until_a_worker_is_free<ThreadPool>(); }
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>

#include "http_client.hpp"
#include "job_probe.hpp"
#include "observation.hpp"
#include "pool_drop.hpp"
#include "pool_checks.hpp"
#include "rust_messages.hpp"
#include "server_process.hpp"

namespace support::like_21_20 {

// These checks judge a pool while it runs; a destructor that hangs (a wrong stage 08) is for the tests
// of its shutdown to report, so here it only must not hang the test program.
template <class Pool>
using RunningPool = PoolDroppedWithinDeadline<Pool, IfTheDestructorHangs::carry_on>;

template <class Pool>
void four_jobs_all_meet_at_a_four_way_barrier() {
    // Each job waits until all four have arrived: they can only all get there if four run at once (a
    // worker that kept the lock through its job would stop the others receiving theirs).
    const RunningPool<Pool> pool(pool_workers);
    const auto counts = run_jobs_meeting_at_a_barrier(*pool, pool_workers, pool_deadline);
    observe({.saw = "four jobs that wait for each other at a barrier: "
                    + std::to_string(counts.met_at_barrier) + " of 4 met",
             .shows = "four ran at the same time",
             .expected = "all 4 to meet"});
    EXPECT_EQ(counts.finished, pool_workers);
    EXPECT_EQ(counts.met_at_barrier, pool_workers) << "the four jobs did not run at the same time";
    EXPECT_EQ(counts.peak_running, pool_workers);
}

template <class Pool>
void a_fifth_job_waits_until_a_worker_is_free() {
    using namespace std::chrono_literals;
    auto probe = JobProbe::make();
    const RunningPool<Pool> pool(pool_workers);
    const OpenGateOnExit release(probe);  // before the pool's destructor, which may join the held jobs
    hold_jobs_at_the_gate(*pool, probe, pool_workers + 1);
    ASSERT_TRUE(probe->wait_until([](const auto& counts) { return counts.running == pool_workers; }, pool_deadline))
        << "four jobs should be running, held at the gate; running: " << probe->counts().running;
    // Every worker is held at the gate: the fifth job cannot start. Give a broken pool time to start it.
    EXPECT_FALSE(probe->wait_until([](const auto& counts) { return counts.started > pool_workers; }, 200ms))
        << "a fifth job started while four were running";

    probe->open_gate();
    ASSERT_TRUE(probe->wait_until([](const auto& counts) { return counts.finished == pool_workers + 1; }, pool_deadline));
    observe({.saw = "five jobs held at a gate, four workers: at most "
                    + std::to_string(probe->counts().peak_running) + " ran at once",
             .shows = "the pool caps the jobs running at four",
             .expected = "at most 4, the fifth waiting"});
    EXPECT_EQ(probe->counts().peak_running, pool_workers);
}

template <class Pool>
void at_most_four_threads_never_the_callers() {
    constexpr std::size_t jobs = 40;
    auto probe = JobProbe::make();
    const RunningPool<Pool> pool(pool_workers);
    // The jobs are given from a thread of their own, the caller: an execute() that waits for a free
    // thread (rather than queue the job) holds up only the caller, and the gate is still opened at once.
    std::uint64_t caller = 0;
    std::jthread giving([&] {
        caller = this_thread_serial();
        hold_jobs_at_the_gate(*pool, probe, jobs);
    });
    const OpenGateOnExit release(probe);  // before `giving` is joined
    // Let the pool take on as many jobs at once as it will, then let them all through.
    ASSERT_TRUE(probe->wait_until([](const auto& counts) { return counts.running >= pool_workers; }, pool_deadline));
    probe->open_gate();
    ASSERT_TRUE(probe->wait_until([](const auto& counts) { return counts.finished == jobs; }, pool_deadline));
    giving.join();

    const auto threads = probe->counts().threads;
    EXPECT_LE(threads.size(), pool_workers) << "jobs ran on more threads than the pool has workers";
    EXPECT_EQ(threads.count(caller), 0U) << "execute() ran a job on the caller's thread";
}

// From outside, for a server with four workers one of which has died: four `/sleep` sent at once find
// three workers left (three side by side, the fourth after them), and the server itself keeps running.
// Call it inside ASSERT_NO_FATAL_FAILURE.
inline void expect_three_workers_left(ServerProcess& server, std::chrono::milliseconds delay) {
    using namespace std::chrono_literals;
    const auto records = send_concurrently(server.address(), same_request("/sleep", 4));
    ASSERT_TRUE(all_answered(records));
    // Two left would finish only two by one delay; four left, all four.
    const auto finishes = sorted_finishes(records, delay);
    EXPECT_LT(finishes[2], 1.7) << "three workers should be left, running three sleeps side by side";
    EXPECT_GE(finishes[3], 1.9) << "only three workers should be left: the fourth sleep waits";
    EXPECT_FALSE(server.wait_for_exit(0ms).has_value()) << "the server itself keeps running";
}

// From outside, for a server whose workers have all died and which `request_until_exit` has seen end:
// the next execute()'s `send(job).unwrap()` panicked on the main thread (exit status 101), and none of
// the requests sent was answered.
inline void expect_main_panicked_on_send(const ServerProcess& server, const AfterTheLastWorker& after) {
    ASSERT_TRUE(after.status.has_value()) << "the server should have ended; stderr: " << server.stderr_text();
    EXPECT_TRUE(after.status->exited) << after.status->describe();
    EXPECT_EQ(after.status->code, 101) << after.status->describe();
    for (const auto& record : after.records) {
        EXPECT_NE(record.outcome, Outcome::Response) << record.label << " was answered";
    }
    EXPECT_NE(server.stderr_text().find(rust_text::main_panicked), std::string::npos) << server.stderr_text();
    EXPECT_NE(server.stderr_text().find(rust_text::unwrap_send_error), std::string::npos) << server.stderr_text();
}

}  // namespace support::like_21_20
