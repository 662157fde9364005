// Stage 08, beside the book: what stage 06's ThreadPool (listing 21-20, compiled in), which has no
// destructor of its own, does when it goes out of scope. In Rust its fields are dropped in declaration
// order: the workers (each JoinHandle detaches its thread), then the sender (the channel closes). C++
// destroys members in reverse order: the sender first, then the workers, whose JoinHandles detach. The
// outcome is the same either way: the destructor returns at once, a job still running keeps running
// on its detached thread, and then every worker panics. The first to take the lock finds the channel
// closed (`recv().unwrap()` on RecvError) and poisons the mutex as its panic unwinds through the guard;
// the other three panic on `lock().unwrap()` (PoisonError). Each panic ends only its own thread.
#include <gtest/gtest.h>

#include "job_probe.hpp"
#include "pool_checks.hpp"
#include "process_threads.hpp"
#include "rust_messages.hpp"
#include "thread_pool.hpp"

using namespace std::chrono_literals;
using hello::ThreadPool;
using support::JobProbe;
using support::OpenGateOnExit;
using support::occurrences;

using support::pool_deadline;
using support::pool_workers;

TEST(Stage08_Stage06PoolDropped, DestructorReturnsAtOnceThenEveryDetachedWorkerPanics) {
    const std::size_t threads_before = support::baseline_threads();
    auto probe = JobProbe::make();
    const OpenGateOnExit release(probe);
    // The panics are printed to stderr (fd 2); the test reads them back from there.
    testing::internal::CaptureStderr();
    {
        auto pool = ThreadPool(pool_workers);
        support::hold_jobs_at_the_gate(pool, probe, 1);
        ASSERT_TRUE(probe->wait_until([](const auto& counts) { return counts.started == 1; }, pool_deadline));
    }  // the implicit destructor: ~Sender, then ~vector<Worker> (each ~JoinHandle detaches)
    EXPECT_EQ(probe->counts().finished, 0U) << "the destructor must not wait for the running job";

    probe->open_gate();
    EXPECT_TRUE(probe->wait_until([](const auto& counts) { return counts.finished == 1; }, pool_deadline))
        << "the job keeps running on its detached thread";
    EXPECT_TRUE(support::wait_for_live_threads(threads_before, pool_deadline))
        << "every worker thread must end";
    const std::string errors = testing::internal::GetCapturedStderr();

    EXPECT_EQ(occurrences(errors, rust_text::worker_panicked), pool_workers) << errors;
    EXPECT_EQ(occurrences(errors, rust_text::unwrap_recv_error), 1U) << errors;
    EXPECT_EQ(occurrences(errors, rust_text::unwrap_poison_error), pool_workers - 1)
        << errors;
}
