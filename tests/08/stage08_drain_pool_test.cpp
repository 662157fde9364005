// Stage 08, no-listing-04's library: the destructor drains the workers and joins each, but nothing
// tells a worker to stop (the sender is still alive, so recv() waits for a job that never comes). The
// first join never returns. Watched from outside: the pool is destroyed in a forked child, which is
// still running at the deadline and is then killed.
#include <gtest/gtest.h>

#include <string>

#include "child_run.hpp"
#include "rs/print.hpp"
#include "thread_pool.hpp"

using namespace std::chrono_literals;
using hello::ThreadPool;

TEST(Stage08_DrainPool, DestroyingItBlocksForeverInTheFirstJoin) {
    const auto child = stage08::run_in_child(
        [] {
            {
                auto pool = ThreadPool(4);
                pool.execute([] { rs::println("the job ran"); });
            }
            rs::println("the pool was destroyed");
        },
        2s);
    SCOPED_TRACE("stdout:\n" + child.out + "stderr:\n" + child.err);
    EXPECT_TRUE(child.still_running_at_deadline) << "the destructor returned, or the child died";
    EXPECT_EQ(stage08::count_of(child.out, "the job ran\n"), 1) << "the workers work; they just never stop";
    EXPECT_EQ(stage08::count_of(child.out, "Shutting down worker 0\n"), 1);
    EXPECT_EQ(stage08::count_of(child.out, "Shutting down worker 1\n"), 0) << "the first join never returns";
    EXPECT_EQ(stage08::count_of(child.out, "the pool was destroyed"), 0);
    EXPECT_EQ(child.err, "") << "nothing panics: every worker waits in recv()";
}
