// Stage 06, listing 21-20: a pool with nothing to do uses no CPU. Each idle Worker is blocked in
// recv(), which sleeps until a job arrives, as Rust's blocking `recv` does; a worker that polls the
// channel instead (recv_timeout(0) or a try in a loop) gives the same answers and burns a core while
// the server waits for requests. Measured: the process's CPU time over 2 s of idleness, after one job,
// and how often its threads woke: a worker that polls with a sleep between tries uses little CPU but
// wakes at every try.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "job_probe.hpp"
#include "observation.hpp"
#include "process_threads.hpp"
#include "thread_pool.hpp"

using namespace std::chrono_literals;
using hello::ThreadPool;
using support::JobProbe;
using support::pool_deadline;
using support::pool_workers;

namespace {

std::chrono::nanoseconds process_cpu_time() {
    timespec now{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

// The process's threads, by id (the entries of /proc/self/task).
std::set<std::string> thread_ids() {
    std::set<std::string> ids;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        ids.insert(task.path().filename().string());
    }
    return ids;
}

// How many times these threads gave up the CPU to wait (for a lock, a sleep, a condition): the
// `voluntary_ctxt_switches` of each one's /proc status. A thread blocked throughout counts none. Only
// the pool's threads are counted: a sanitizer's own background thread wakes on a timer.
long voluntary_context_switches(const std::set<std::string>& ids) {
    long switches = 0;
    for (const auto& id : ids) {
        std::ifstream status("/proc/self/task/" + id + "/status");
        for (std::string line; std::getline(status, line);) {
            if (line.starts_with("voluntary_ctxt_switches:")) switches += std::stol(line.substr(24));
        }
    }
    return switches;
}

// An idle pool's share of one core: a blocked worker uses none (a few wakeups at most); a polling one
// uses a core, or whatever share of one a busy machine leaves it (still far above this).
constexpr double most_of_a_core_an_idle_pool_may_use = 0.10;
// The workers' wakeups in 2 s: blocked in recv(), none or a few; four workers that sleep 10 ms
// between polls make 800, 100 ms between polls 80.
constexpr long most_wakeups_an_idle_pool_may_make = 16;

}  // namespace

TEST(Stage06_IdlePool, AnIdlePoolUsesNoCpuItsWorkersBlockInRecv) {
    support::baseline_threads();
    const auto before_the_pool = thread_ids();
    auto pool = ThreadPool(pool_workers);
    std::set<std::string> workers;
    for (const auto& id : thread_ids()) {
        if (!before_the_pool.contains(id)) workers.insert(id);
    }
    ASSERT_EQ(workers.size(), pool_workers) << "ThreadPool(4) should have started four worker threads";
    auto probe = JobProbe::make();
    pool.execute([probe] { auto running = probe->enter(); });
    ASSERT_TRUE(probe->wait_until([](const auto& counts) { return counts.finished == 1; }, pool_deadline))
        << "the pool did not run a job";

    const auto cpu_before = process_cpu_time();
    const long wakeups_before = voluntary_context_switches(workers);
    const auto wall_before = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(2s);
    const double cpu = std::chrono::duration<double>(process_cpu_time() - cpu_before).count();
    const long wakeups = voluntary_context_switches(workers) - wakeups_before;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_before).count();
    const double share_of_a_core = cpu / wall;

    support::observe({.saw = "four idle workers, " + support::fixed(wall, 1)
                             + " s: " + support::fixed(cpu * 1000, 0) + " ms of CPU ("
                             + support::fixed(share_of_a_core * 100, 1) + "% of one core), "
                             + std::to_string(wakeups) + " wakeups",
                      .shows = "an idle worker sleeps in recv() until a job arrives",
                      .expected = "below 10% of one core and at most "
                                  + std::to_string(most_wakeups_an_idle_pool_may_make) + " wakeups"});
    EXPECT_LT(share_of_a_core, most_of_a_core_an_idle_pool_may_use)
        << "the idle workers used CPU: they poll the channel instead of blocking in recv()";
    EXPECT_LE(wakeups, most_wakeups_an_idle_pool_may_make)
        << "the idle workers woke again and again: they poll the channel (sleeping between tries) instead "
           "of blocking in recv()";
}
