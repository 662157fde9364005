// Stage 02, listing 21-11, flooded: a thread per request in flight, without limit, until the OS refuses
// one; then `main` panics `failed to spawn thread` and the whole server dies
// (docs/rust-measured.md, "The flood").
#include <gtest/gtest.h>

#include "flood_checks.hpp"
#include "observation.hpp"
#include "rust_messages.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

// Long enough that every request of the burst is in flight at once, even on a busy machine.
FloodPlan burst(int requests) {
    return {.requests = requests, .delay = 1500ms, .ramp = 0ms, .give_up = 20s};
}

FloodResult flood_21_11(const FloodPlan& plan) {
    return flood_listing("02-thread-per-request", "listing-21-11", plan);
}

}  // namespace

TEST(Stage02_Flood, ThreadsGrowWithTheRequestsInFlight) {
    const auto few = flood_21_11(burst(10));
    const auto many = flood_21_11(burst(60));
    const auto added = [](const FloodRun& run) {
        return std::to_string(run.peak_threads() - run.before.threads);
    };
    observe({.saw = "threads +" + added(few.run) + " for 10 requests in flight, +" + added(many.run)
                    + " for 60; answered " + std::to_string(few.run.answered()) + " and "
                    + std::to_string(many.run.answered()),
             .shows = "a thread for each request in flight",
             .expected = "+8 to +10 and +50 to +60 threads, every request answered"});
    ASSERT_EQ(few.run.answered(), 10) << describe_flood(few.run, burst(10));
    ASSERT_EQ(many.run.answered(), 60) << describe_flood(many.run, burst(60));
    // One thread per request in flight, plus main (Rust: 61 threads for 60 requests).
    EXPECT_GE(few.run.peak_threads(), few.run.before.threads + 8);
    EXPECT_LE(few.run.peak_threads(), few.run.before.threads + 10 + runtime_threads);
    EXPECT_GE(many.run.peak_threads(), many.run.before.threads + 50);
    EXPECT_LE(many.run.peak_threads(), many.run.before.threads + 60 + runtime_threads);
    const auto verdict = judge_flood("02", many.run, burst(60), many.server_stderr);
    ASSERT_TRUE(verdict.has_value());
    EXPECT_TRUE(verdict->as_the_book_says) << verdict->line;
}

// Rust's 21-11 under `prlimit --as=120000000` and 100 concurrent /sleep: `main` panics, status 101,
// none of the 100 answered. A limit on the number of processes would not bind root; this one does.
TEST(Stage02_Flood, UnderAnAddressSpaceLimitMainPanicsFailedToSpawnThreadAndExits101) {
    if (!address_space_limits_usable) GTEST_SKIP() << "no address-space limit under a sanitizer";
    auto plan = burst(100);
    plan.address_space_limit = rust_flood_address_space_limit;
    const auto flooded = flood_21_11(plan);
    const auto ending = flooded.run.end ? flooded.run.end->status.describe() : std::string("survived");
    observe({.saw = "100 /sleep under a 120 MB address-space limit: the server " + ending + ", "
                    + std::to_string(flooded.run.answered()) + " answered",
             .shows = "main panicked \"failed to spawn thread\" and exited 101, as Rust's 21-11 does",
             .expected = "exit status 101 after main's panic, none answered"});
    ASSERT_TRUE(flooded.run.end.has_value()) << "the server survived: " << describe_flood(flooded.run, plan);
    EXPECT_TRUE(flooded.run.end->status.exited) << flooded.run.end->status.describe();
    EXPECT_EQ(flooded.run.end->status.code, 101) << flooded.server_stderr;
    EXPECT_NE(flooded.server_stderr.find(rust_text::main_panicked), std::string::npos)
        << flooded.server_stderr;
    EXPECT_NE(flooded.server_stderr.find("\n" + rust_text::spawn_failed_would_block + "\n"),
              std::string::npos)
        << flooded.server_stderr;
    EXPECT_EQ(flooded.run.answered(), 0) << "the process died with every accepted request still asleep";
    // It died before it had a thread for each: the stacks (2 MiB each, as Rust's) ran out of room.
    EXPECT_LT(flooded.run.peak_threads(), 100);
    const auto verdict = judge_flood("02", flooded.run, plan, flooded.server_stderr);
    ASSERT_TRUE(verdict.has_value());
    EXPECT_TRUE(verdict->as_the_book_says) << verdict->line;
}
