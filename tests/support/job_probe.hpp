// What unit tests of a thread pool hand to its jobs: a record of how many jobs run at once and on
// which threads, a gate that holds jobs until the test opens it, and a barrier the jobs meet at.
// Every wait has a deadline, so a pool that never runs a job fails the test instead of hanging it.
// Jobs hold the probe through a shared_ptr: a test that fails early cannot leave them a dangling one.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

namespace support {

// A number for the calling thread that no other thread of this process has had or will have. A
// std::thread::id may be a later thread's once its thread has ended (glibc hands a joined or detached
// thread's id to the next one), so a pool that starts a thread per job, a few at a time, would pass
// for a pool of a few workers.
[[nodiscard]] inline std::uint64_t this_thread_serial() {
    static std::atomic<std::uint64_t> next{1};
    thread_local const std::uint64_t serial = next.fetch_add(1);
    return serial;
}

class JobProbe {
public:
    struct Counts {
        std::size_t started = 0;
        std::size_t running = 0;
        std::size_t peak_running = 0;  // the most jobs between enter() and leaving, at one instant
        std::size_t finished = 0;
        std::size_t met_at_barrier = 0;   // arrive_and_wait() calls that saw every party arrive
        std::set<std::uint64_t> threads;  // every thread a job ran on (this_thread_serial)
    };

    // Marks a job as running until the returned object is destroyed.
    class Running {
    public:
        explicit Running(JobProbe& probe) : probe_(probe) {}
        Running(const Running&) = delete;
        Running& operator=(const Running&) = delete;
        ~Running() { probe_.leave(); }

    private:
        JobProbe& probe_;
    };

    [[nodiscard]] static std::shared_ptr<JobProbe> make() { return std::make_shared<JobProbe>(); }

    // Job side.
    [[nodiscard]] Running enter() {
        {
            const std::lock_guard lock(mutex_);
            ++counts_.started;
            counts_.peak_running = std::max(counts_.peak_running, ++counts_.running);
            counts_.threads.insert(this_thread_serial());
        }
        changed_.notify_all();
        return Running(*this);
    }

    // Blocks until the test opens the gate; false if it stayed closed until the deadline.
    bool wait_at_gate(std::chrono::milliseconds deadline) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, deadline, [&] { return gate_open_; });
    }

    // A one-shot barrier of `parties`: true once all have arrived, false if they had not by the deadline.
    bool arrive_and_wait(std::size_t parties, std::chrono::milliseconds deadline) {
        std::unique_lock lock(mutex_);
        ++arrived_;
        changed_.notify_all();
        const bool met = changed_.wait_for(lock, deadline, [&] { return arrived_ >= parties; });
        if (met) ++counts_.met_at_barrier;
        return met;
    }

    // Test side.
    void open_gate() {
        {
            const std::lock_guard lock(mutex_);
            gate_open_ = true;
        }
        changed_.notify_all();
    }

    // Waits until `holds` is true of the counts; false at the deadline.
    bool wait_until(const std::function<bool(const Counts&)>& holds, std::chrono::milliseconds deadline) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, deadline, [&] { return holds(counts_); });
    }

    [[nodiscard]] Counts counts() const {
        const std::lock_guard lock(mutex_);
        return counts_;
    }

private:
    void leave() {
        {
            const std::lock_guard lock(mutex_);
            --counts_.running;
            ++counts_.finished;
        }
        changed_.notify_all();
    }

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    Counts counts_;
    bool gate_open_ = false;
    std::size_t arrived_ = 0;
};

// Opens the probe's gate when the test's scope ends, so that jobs still held there after a failed
// assertion finish at once instead of waiting out their deadline.
class OpenGateOnExit {
public:
    explicit OpenGateOnExit(std::shared_ptr<JobProbe> probe) : probe_(std::move(probe)) {}
    OpenGateOnExit(const OpenGateOnExit&) = delete;
    OpenGateOnExit& operator=(const OpenGateOnExit&) = delete;
    ~OpenGateOnExit() { probe_->open_gate(); }

private:
    std::shared_ptr<JobProbe> probe_;
};

// The pool size every pool unit test uses (the book's ThreadPool::new(4)), and how long anything the
// pool should do at once may take: reached only when the pool is broken.
inline constexpr std::size_t pool_workers = 4;
inline constexpr std::chrono::milliseconds pool_deadline = std::chrono::seconds(5);

// Gives `pool` `jobs` jobs that each enter the probe and wait at its gate (for at most `hold`).
template <class Pool>
void hold_jobs_at_the_gate(Pool& pool, const std::shared_ptr<JobProbe>& probe, std::size_t jobs,
                           std::chrono::milliseconds hold = pool_deadline) {
    for (std::size_t i = 0; i < jobs; ++i) {
        pool.execute([probe, hold] {
            auto running = probe->enter();
            probe->wait_at_gate(hold);
        });
    }
}

// Gives `pool` `jobs` jobs that each wait at a `jobs`-way barrier, and waits (up to twice `deadline`)
// until every job has finished. The counts say whether they all met: only if `jobs` ran at once.
template <class Pool>
JobProbe::Counts run_jobs_meeting_at_a_barrier(Pool& pool, std::size_t jobs, std::chrono::milliseconds deadline) {
    auto probe = JobProbe::make();
    for (std::size_t i = 0; i < jobs; ++i) {
        pool.execute([probe, jobs, deadline] {
            auto running = probe->enter();
            probe->arrive_and_wait(jobs, deadline);
        });
    }
    probe->wait_until([jobs](const JobProbe::Counts& counts) { return counts.finished == jobs; }, 2 * deadline);
    return probe->counts();
}

}  // namespace support
