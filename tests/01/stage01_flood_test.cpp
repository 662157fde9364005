// Stage 01, listing 21-10, flooded: one thread, and the requests answered one at a time.
#include <gtest/gtest.h>

#include "flood_checks.hpp"
#include "observation.hpp"

using namespace support;
using namespace std::chrono_literals;

TEST(Stage01_Flood, OneThreadAnswersTheRequestsOneAtATime) {
    const FloodPlan plan{.requests = 6, .delay = 200ms, .ramp = 0ms, .give_up = 20s};
    const auto flooded = flood_listing("01-single-threaded", "listing-21-10", plan);
    observe({.saw = describe_flood(flooded.run, plan) + ", "
                    + fixed(effective_parallelism(flooded.run.records, plan.delay), 2) + " at a time",
             .shows = "one thread answers the requests one after another",
             .expected = "no thread started, all 6 answered, 0.6 to 1.2 at a time"});
    ASSERT_EQ(flooded.run.answered(), 6) << describe_flood(flooded.run, plan);
    EXPECT_EQ(flooded.run.peak_threads(), flooded.run.before.threads) << "no thread is started";
    EXPECT_GE(effective_parallelism(flooded.run.records, plan.delay), 0.6);
    EXPECT_LE(effective_parallelism(flooded.run.records, plan.delay), 1.2);
}
