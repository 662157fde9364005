// Stage 07, listing 21-21: ThreadPool::new(4) still spawns four threads, one per Worker. A pool of one
// worker also runs its jobs one at a time, but not because of the lock: this is the count that tells
// them apart (the entries of /proc/self/task before and after the pool is made).
#include <gtest/gtest.h>

#include "job_probe.hpp"
#include "observation.hpp"
#include "process_threads.hpp"
#include "thread_pool.hpp"

using hello::ThreadPool;
using support::pool_workers;

TEST(Stage07_PoolThreads, NewSpawnsOneThreadPerWorker) {
    const std::size_t threads_before = support::baseline_threads();
    auto pool = ThreadPool(pool_workers);
    const std::size_t spawned = support::live_threads() - threads_before;
    support::observe({.saw = "ThreadPool(4) added " + std::to_string(spawned) + " threads to the process",
                      .shows = "each Worker spawns its own thread, as Worker::new does",
                      .expected = "4"});
    EXPECT_EQ(spawned, pool_workers) << "ThreadPool(4) should spawn four worker threads";
}
