// Stage 06, listing 21-20, flooded: main and four workers whatever the load, and under the address-space
// limit that kills stage 02 every request is still answered (docs/rust-measured.md, "The flood").
#include <gtest/gtest.h>

#include "flood_checks.hpp"
#include "observation.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

constexpr int pool_threads = 4 + 1;  // ThreadPool::new(4), and main

FloodPlan burst(int requests) { return {.requests = requests, .delay = 200ms, .ramp = 0ms, .give_up = 30s}; }

FloodResult flood_21_20(const FloodPlan& plan) {
    return flood_listing("06-working-pool", "listing-21-20", plan);
}

void expect_pool_threads_only(const FloodRun& run, const FloodPlan& plan) {
    EXPECT_GE(run.before.threads, pool_threads);
    EXPECT_LE(run.before.threads, pool_threads + runtime_threads);
    EXPECT_EQ(run.peak_threads(), run.before.threads) << describe_flood(run, plan);
    EXPECT_GT(run.samples.size(), 10U) << "too few samples to tell";
}

}  // namespace

TEST(Stage06_Flood, ThreadsStayAtPoolSizePlusOneWhateverTheLoad) {
    for (const int requests : {8, 60}) {
        const auto plan = burst(requests);
        const auto flooded = flood_21_20(plan);
        observe({.saw = describe_flood(flooded.run, plan) + ", "
                        + fixed(effective_parallelism(flooded.run.records, plan.delay), 2) + " at a time",
                 .shows = "main and four workers, whatever the load; up to four requests at a time",
                 .expected = "5 threads, every request answered, 1.5 to 4.4 at a time"});
        ASSERT_EQ(flooded.run.answered(), requests) << describe_flood(flooded.run, plan);
        expect_pool_threads_only(flooded.run, plan);
        // Four at a time, the rest waiting their turn (a busy machine can only lower this).
        EXPECT_LE(effective_parallelism(flooded.run.records, plan.delay), 4.4);
        EXPECT_GE(effective_parallelism(flooded.run.records, plan.delay), 1.5);
    }
}

// Rust's 21-20 under `prlimit --as=120000000`, 100 concurrent requests: all answered, never more than 5
// threads. The same limit kills stage 02 (Stage02_Flood).
TEST(Stage06_Flood, UnderTheAddressSpaceLimitThatKillsStage02EveryRequestIsAnswered) {
    if (!address_space_limits_usable) GTEST_SKIP() << "no address-space limit under a sanitizer";
    auto plan = burst(100);
    plan.delay = 100ms;
    plan.address_space_limit = rust_flood_address_space_limit;
    const auto flooded = flood_21_20(plan);
    observe({.saw = describe_flood(flooded.run, plan),
             .shows = "the limit that kills stage 02 costs the pool nothing: every request answered",
             .expected = "the server alive, 5 threads at most, all 100 answered"});
    EXPECT_FALSE(flooded.run.end.has_value()) << flooded.run.end->status.describe() << "\n"
                                              << flooded.server_stderr;
    EXPECT_EQ(flooded.run.answered(), 100) << describe_flood(flooded.run, plan);
    EXPECT_LE(flooded.run.peak_threads(), 5);
    expect_pool_threads_only(flooded.run, plan);
    const auto verdict = judge_flood("06", flooded.run, plan, flooded.server_stderr);
    ASSERT_TRUE(verdict.has_value());
    EXPECT_TRUE(verdict->as_the_book_says) << verdict->line;
}
