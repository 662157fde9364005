// Stage 07, listing 21-21: not merely that jobs run one at a time, but why. The lock trace
// (common/workbook/lock_trace.hpp, the demo's lock rows) records every wait for, acquisition and
// release of an rs::sync::Mutex by thread; each job marks its start and end in the same trace. Rust's
// `while let` keeps the receiver's guard to the end of the loop body, so:
//  - while the first job runs, its worker still holds the lock it received the job under, and the
//    three other workers wait for that lock: none has taken it (nor a job off the channel);
//  - between one job and the next the guard is dropped and the lock taken again.
// A pool that serialises for another reason fails: one worker (nobody waits), a second mutex around
// the job (the receiver's lock was released and taken by another worker), a guard taken once before
// the loop (never released between jobs).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "job_probe.hpp"
#include "observation.hpp"
#include "thread_pool.hpp"
#include "workbook/lock_trace.hpp"

using namespace std::chrono_literals;
using hello::ThreadPool;
using support::pool_deadline;
using support::pool_workers;

namespace {

namespace trace = workbook::lock_trace;

constexpr std::string_view job_start = "probe: job start";
constexpr std::string_view job_end = "probe: job end";

struct TraceEvent {
    long long nanoseconds = 0;
    int thread = 0;
    std::string what;  // wait, acquired, released, say TEXT, close
};

std::vector<TraceEvent> read_trace(const std::filesystem::path& path) {
    std::ifstream file(path);
    std::vector<TraceEvent> events;
    for (std::string line; std::getline(file, line);) {
        std::istringstream fields(line);
        TraceEvent event;
        fields >> event.nanoseconds >> event.thread >> std::ws;
        std::getline(fields, event.what);
        events.push_back(event);
    }
    std::ranges::stable_sort(events, {}, &TraceEvent::nanoseconds);
    return events;
}

bool is_mark(const TraceEvent& event, std::string_view mark) {
    return event.what == "say " + std::string(mark);
}

// The trace of one run: four jobs held at a gate, read once while the first job is held (after giving
// a pool that let the lock go 300 ms to hand out the next job), and once after all four have finished.
struct TracedRun {
    std::vector<TraceEvent> while_first_job_ran;
    std::vector<TraceEvent> after_all_jobs;
    bool first_job_ran = false;
    bool all_jobs_finished = false;
};

const TracedRun& traced_run() {
    static const TracedRun run = [] {
        TracedRun made;
        const auto path = std::filesystem::temp_directory_path() /
                          ("workbook-stage07-lock-trace-" + std::to_string(::getpid()) + ".txt");
        std::filesystem::remove(path);
        // Read once, at the first traced event: set before the pool's first lock.
        ::setenv("WORKBOOK_LOCK_TRACE", path.c_str(), 1);
        auto probe = support::JobProbe::make();
        {
            const support::OpenGateOnExit release(probe);
            auto pool = ThreadPool(pool_workers);
            for (std::size_t i = 0; i < pool_workers; ++i) {
                pool.execute([probe] {
                    trace::record(trace::Event::Said, job_start);
                    auto running = probe->enter();
                    probe->wait_at_gate(pool_deadline);
                    trace::record(trace::Event::Said, job_end);
                });
            }
            made.first_job_ran =
                probe->wait_until([](const auto& counts) { return counts.running >= 1; }, pool_deadline);
            std::this_thread::sleep_for(300ms);
            made.while_first_job_ran = read_trace(path);
            probe->open_gate();
            made.all_jobs_finished = probe->wait_until(
                [](const auto& counts) { return counts.finished == pool_workers; }, pool_deadline);
            made.after_all_jobs = read_trace(path);
        }
        std::filesystem::remove(path);
        return made;
    }();
    return run;
}

std::string plural(std::size_t count, const std::string& one, const std::string& many) {
    return std::to_string(count) + " " + (count == 1 ? one : many);
}

}  // namespace

TEST(Stage07_LockHeld, WhileAJobRunsItsWorkerHoldsTheLockAndTheOtherThreeWaitForIt) {
    const TracedRun& run = traced_run();
    ASSERT_TRUE(run.first_job_ran) << "no job started within " << pool_deadline.count() << " ms";
    const auto& events = run.while_first_job_ran;
    const auto start =
        std::ranges::find_if(events, [](const auto& event) { return is_mark(event, job_start); });
    ASSERT_NE(start, events.end()) << "the lock trace recorded no job start (is WORKBOOK_LOCK_TRACE read?)";
    const int job_thread = start->thread;

    long long held_by_job_thread = 0;  // acquisitions minus releases before the job started
    std::for_each(events.begin(), start, [&](const auto& event) {
        if (event.thread != job_thread) return;
        if (event.what == "acquired") ++held_by_job_thread;
        if (event.what == "released") --held_by_job_thread;
    });
    std::set<int> waiting, took_a_lock;  // the other threads: still waiting, or they acquired one
    for (const auto& event : events) {
        if (event.thread == job_thread) continue;
        if (event.what == "wait") waiting.insert(event.thread);
        if (event.what == "acquired") took_a_lock.insert(event.thread);
    }
    for (const int thread : took_a_lock) waiting.erase(thread);

    support::observe(
        {.saw = "while the first of four held jobs ran: its worker held "
                + plural(static_cast<std::size_t>(std::max(0LL, held_by_job_thread)), "lock", "locks")
                + "; of the other workers " + std::to_string(waiting.size()) + " waited for the lock, "
                + std::to_string(took_a_lock.size()) + " had taken a lock",
         .shows = "the guard lives through the job, so the idle workers cannot even reach recv()",
         .expected = "1 lock held; 3 waiting, 0 taken"});
    EXPECT_GE(held_by_job_thread, 1)
        << "the worker released the lock before running its job: the guard died before the job ran";
    EXPECT_TRUE(took_a_lock.empty())
        << "another worker took a lock while the first job ran: the receiver's lock was free, so "
           "another job left the channel";
    EXPECT_EQ(waiting.size(), pool_workers - 1) << "the other three workers should be waiting for the lock";
}

TEST(Stage07_LockHeld, BetweenOneJobAndTheNextTheLockIsReleasedAndTakenAgain) {
    const TracedRun& run = traced_run();
    ASSERT_TRUE(run.all_jobs_finished)
        << "the four jobs did not all finish within " << pool_deadline.count() << " ms";
    const auto& events = run.after_all_jobs;
    std::vector<std::size_t> starts, ends;  // positions of the marks, in time order
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (is_mark(events[i], job_start)) starts.push_back(i);
        if (is_mark(events[i], job_end)) ends.push_back(i);
    }
    ASSERT_EQ(starts.size(), pool_workers) << "the lock trace should show four job starts";
    ASSERT_EQ(ends.size(), pool_workers) << "the lock trace should show four job ends";

    // Judged: each job that started after another had ended (jobs that overlapped are the business of
    // Stage07_ThreadPool.AtMostOneJobRunsAtATime). Between that end and this start, the lock must have
    // been released, and the job's worker must have acquired it.
    std::size_t followers = 0, handovers = 0;
    for (std::size_t job = 0; job < starts.size(); ++job) {
        std::optional<std::size_t> last_end_before;
        for (const auto end : ends) {
            if (end < starts[job]) last_end_before = end;
        }
        const bool overlapped = std::ranges::any_of(starts, [&](auto other) {
            return other < starts[job] && (!last_end_before || other > *last_end_before);
        });
        if (!last_end_before || overlapped) continue;
        ++followers;
        bool released = false, acquired_by_next = false;
        for (std::size_t i = *last_end_before + 1; i < starts[job]; ++i) {
            released = released || events[i].what == "released";
            acquired_by_next =
                acquired_by_next
                || (events[i].what == "acquired" && events[i].thread == events[starts[job]].thread);
        }
        if (released && acquired_by_next) ++handovers;
    }
    support::observe({.saw = followers == 0 ? "the four jobs overlapped: none started after another had ended"
                                            : "of the " + std::to_string(followers) +
                                                  " jobs that started after another had ended, " +
                                                  std::to_string(handovers) +
                                                  " started after the lock was released and taken again",
                      .shows = "the guard is dropped at the end of each loop body, not held for ever",
                      .expected = "all of them"});
    EXPECT_EQ(handovers, followers)
        << "a job started without the lock being released after the previous one: the guard is not "
           "dropped between jobs";
}
