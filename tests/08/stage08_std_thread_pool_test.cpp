// Stage 08, beside the book: stage 06's ThreadPool with a plain std::thread in each Worker where the
// listing has rs::thread::JoinHandle (`./workbook diff 21-20 cpp-21-20-std-thread-worker`).
// Rust's dropped JoinHandle detaches its thread; a destroyed joinable std::thread calls std::terminate,
// which aborts the program (SIGABRT). These are death tests: each runs in a child process.
#include <gtest/gtest.h>

#include <csignal>
#include <exception>

#include "job_probe.hpp"
#include "rust_messages.hpp"
#include "terminate_report.hpp"
#include "thread_pool.hpp"

using namespace std::chrono_literals;
using hello::ThreadPool;
using support::JobProbe;

using support::pool_workers;

namespace {

// Longer than any test here: the held jobs must still be at the gate when the pool is destroyed.
constexpr auto hold = 10s;

}  // namespace

TEST(Stage08_StdThreadPoolDeathTest, DestroyingItWhileItsWorkersRunJobsTerminatesTheProgram) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    // Every worker is held in a job, so none can panic: the only thing that can end the program is the
    // destructor of a joinable std::thread. GCC's default terminate handler says so (the workbook
    // replaces it, to turn a panic leaving main into exit status 101; here it is put back).
    EXPECT_EXIT(
        {
            std::set_terminate(__gnu_cxx::__verbose_terminate_handler);
            auto probe = JobProbe::make();
            {
                auto pool = ThreadPool(pool_workers);
                support::hold_jobs_at_the_gate(pool, probe, pool_workers, hold);
                if (!probe->wait_until([](const auto& counts) { return counts.running == pool_workers; },
                                       support::pool_deadline)) {
                    std::_Exit(2);
                }
            }  // ~Sender, then ~vector<Worker>: the first ~std::thread finds its thread joinable
            std::_Exit(0);
        },
        testing::KilledBySignal(SIGABRT), "terminate called without an active exception");
}

TEST(Stage08_StdThreadPoolDeathTest, IdleWorkersFindTheChannelClosedBeforeTheFirstThreadIsDestroyed) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    // C++ destroys the sender first (it is declared last), so by the time the first ~std::thread calls
    // std::terminate, the channel is already closed: during the handler's grace period an idle worker's
    // recv().unwrap() panics with RecvError. (In Rust's drop order, the workers first, the program would
    // end before any worker could see the channel closed: see stage08_rust_drop_order_test.cpp.)
    EXPECT_EXIT(
        {
            std::set_terminate(stage08::report_terminate_and_abort);
            { auto pool = ThreadPool(pool_workers); }
            std::_Exit(0);
        },
        testing::KilledBySignal(SIGABRT), rust_text::as_regex(rust_text::unwrap_recv_error));
}
