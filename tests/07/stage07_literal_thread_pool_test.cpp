// Stage 07, the literal C++ translation of listing 21-21 (C++ only): `while (auto job =
// receiver->lock().unwrap()->recv())` destroys the guard before the body runs, so, unlike Rust's
// listing 21-21, this pool runs four jobs at once.
#include <gtest/gtest.h>

#include "job_probe.hpp"
#include "thread_pool.hpp"

using namespace std::chrono_literals;
using hello::ThreadPool;
using support::JobProbe;

namespace {

constexpr std::size_t workers = 4;
constexpr auto deadline = 5s;

}  // namespace

TEST(Stage07_LiteralThreadPool, FourJobsAllMeetAtAFourWayBarrier) {
    // Each job waits until all four have arrived: impossible if a worker kept the lock through its job.
    auto probe = JobProbe::make();
    auto pool = ThreadPool(workers);
    for (std::size_t i = 0; i < workers; ++i) {
        pool.execute([probe] {
            auto running = probe->enter();
            probe->arrive_and_wait(workers, deadline);
        });
    }
    ASSERT_TRUE(probe->wait_until([](const auto& counts) { return counts.finished == workers; }, 2 * deadline));
    EXPECT_EQ(probe->counts().met_at_barrier, workers) << "the four jobs did not run at the same time";
    EXPECT_EQ(probe->counts().peak_running, workers);
}
