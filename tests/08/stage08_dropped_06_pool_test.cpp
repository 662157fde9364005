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
#include "thread_pool.hpp"

using namespace std::chrono_literals;
using hello::ThreadPool;
using support::JobProbe;
using support::OpenGateOnExit;
using support::occurrences;

namespace {

constexpr std::size_t workers = 4;
constexpr auto deadline = 5s;

}  // namespace

TEST(Stage08_Stage06PoolDropped, DestructorReturnsAtOnceThenEveryDetachedWorkerPanics) {
    const std::size_t threads_before = stage08::baseline_threads();
    auto probe = JobProbe::make();
    const OpenGateOnExit release(probe);
    // The panics are printed to stderr (fd 2); the test reads them back from there.
    testing::internal::CaptureStderr();
    {
        auto pool = ThreadPool(workers);
        pool.execute([probe] {
            auto running = probe->enter();
            probe->wait_at_gate(deadline);
        });
        ASSERT_TRUE(probe->wait_until([](const auto& counts) { return counts.started == 1; }, deadline));
    }  // the implicit destructor: ~Sender, then ~vector<Worker> (each ~JoinHandle detaches)
    EXPECT_EQ(probe->counts().finished, 0U) << "the destructor must not wait for the running job";

    probe->open_gate();
    EXPECT_TRUE(probe->wait_until([](const auto& counts) { return counts.finished == 1; }, deadline))
        << "the job keeps running on its detached thread";
    EXPECT_TRUE(stage08::wait_for_live_threads(threads_before, deadline)) << "every worker thread must end";
    const std::string errors = testing::internal::GetCapturedStderr();

    EXPECT_EQ(occurrences(errors, "thread '<unnamed>' panicked at"), workers) << errors;
    EXPECT_EQ(occurrences(errors, "called `Result::unwrap()` on an `Err` value: RecvError"), 1U) << errors;
    EXPECT_EQ(occurrences(errors, "called `Result::unwrap()` on an `Err` value: PoisonError { .. }"), workers - 1)
        << errors;
}
