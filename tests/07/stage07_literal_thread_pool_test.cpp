// Stage 07, the literal C++ translation of listing 21-21 (C++ only): `while (auto job =
// receiver->lock().unwrap()->recv())` destroys the guard before the body runs, so, unlike Rust's
// listing 21-21, this pool runs four jobs at once.
#include <gtest/gtest.h>

#include "job_probe.hpp"
#include "thread_pool.hpp"

using namespace std::chrono_literals;
using hello::ThreadPool;

namespace {

constexpr std::size_t workers = 4;
constexpr auto deadline = 5s;

}  // namespace

TEST(Stage07_LiteralThreadPool, FourJobsAllMeetAtAFourWayBarrier) {
    // Each job waits until all four have arrived: impossible if a worker kept the lock through its job.
    auto pool = ThreadPool(workers);
    const auto counts = support::run_jobs_meeting_at_a_barrier(pool, workers, deadline);
    EXPECT_EQ(counts.finished, workers);
    EXPECT_EQ(counts.met_at_barrier, workers) << "the four jobs did not run at the same time";
    EXPECT_EQ(counts.peak_running, workers);
}
