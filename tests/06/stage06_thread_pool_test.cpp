// Stage 06, listing 21-20: the ThreadPool itself (the listing's thread_pool.cpp, compiled in), driven by
// jobs that meet at a barrier or wait at a gate. No sleeps: each wait ends when the jobs get there.
// The checks are those of every pool that behaves like 21-20 (tests/support/pool_behaviour.hpp); stage
// 09 compiles this file against its own pool too.
#include <gtest/gtest.h>

#include "pool_behaviour.hpp"
#include "thread_pool.hpp"

using hello::ThreadPool;
using namespace support::like_21_20;

TEST(Stage06_ThreadPool, FourJobsAllMeetAtAFourWayBarrier) {
    four_jobs_all_meet_at_a_four_way_barrier<ThreadPool>();
}
TEST(Stage06_ThreadPool, AFifthJobWaitsUntilAWorkerIsFree) {
    a_fifth_job_waits_until_a_worker_is_free<ThreadPool>();
}
TEST(Stage06_ThreadPool, JobsRunOnAtMostFourThreadsNoneOfThemTheCallers) {
    at_most_four_threads_never_the_callers<ThreadPool>();
}
