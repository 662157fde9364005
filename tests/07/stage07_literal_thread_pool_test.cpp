// Stage 07, the literal C++ translation of listing 21-21 (C++ only): `while (auto job =
// receiver->lock().unwrap()->recv())` destroys the guard before the body runs, so, unlike Rust's
// listing 21-21, this pool runs four jobs at once: it passes every check of a pool that behaves like
// 21-20 (tests/support/pool_behaviour.hpp).
#include <gtest/gtest.h>

#include "pool_behaviour.hpp"
#include "thread_pool.hpp"

using hello::ThreadPool;
using namespace support::like_21_20;

TEST(Stage07_LiteralThreadPool, FourJobsAllMeetAtAFourWayBarrier) {
    four_jobs_all_meet_at_a_four_way_barrier<ThreadPool>();
}
TEST(Stage07_LiteralThreadPool, AFifthJobWaitsUntilAWorkerIsFree) {
    a_fifth_job_waits_until_a_worker_is_free<ThreadPool>();
}
TEST(Stage07_LiteralThreadPool, JobsRunOnAtMostFourThreadsNoneOfThemTheCallers) {
    at_most_four_threads_never_the_callers<ThreadPool>();
}
