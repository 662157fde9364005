// Stage 11, the multithreaded async servers (the async book's 09_05, and 09_05 with a blocking sleep),
// observed from outside: four threads run one event loop. With a timer they serve two hundred slow
// requests at once, as one thread did in stage 10; with thread::sleep each sleep takes a whole thread,
// and the server serves four at a time, like stage 06's pool.
#include <gtest/gtest.h>

#include <algorithm>

#include "http_client.hpp"
#include "observation.hpp"
#include "pool_checks.hpp"
#include "proc_status.hpp"
#include "server_checks.hpp"
#include "server_process.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

constexpr auto stage = "11-async-multithread";
constexpr std::size_t loop_threads = 4;  // `threads` in the listings' main
// Under a sanitizer every request costs several times more; the delay grows so that the ratio holds.
constexpr auto long_delay = sanitizer_build() ? 3000ms : 1000ms;
constexpr auto delay = 300ms;

std::unique_ptr<ServerProcess> start(const char* target,
                                     std::chrono::milliseconds slow_request_delay = delay) {
    raise_open_file_limit();
    return ServerProcess::start({.stage = stage, .target = target, .slow_request_delay = slow_request_delay});
}

// ThreadSanitizer's runtime adds a thread of its own to a process that starts threads.
bool is_loop_threads(std::size_t count) {
    return count == loop_threads || (sanitizer_build() && count == loop_threads + 1);
}

}  // namespace

// Every server of the stage: the book's responses, byte for byte.
class Stage11_Answers : public testing::TestWithParam<const char*> {};

INSTANTIATE_TEST_SUITE_P(Stage11, Stage11_Answers, testing::Values("cpp-async-09-05-blocking", "async-09-05"),
                         target_test_name);

WORKBOOK_ANSWERS_AS_THE_BOOK(Stage11_Answers, stage, delay)

TEST(Stage11_Server, TwoHundredSleepsFinishWithinTwoDelaysOnFourThreads) {
    auto server = start("async-09-05", long_delay);
    const auto records = send_concurrently(server->address(), same_request("/sleep", 200), 10 * long_delay);
    ASSERT_TRUE(all_answered(records));
    EXPECT_GT(effective_parallelism(records, long_delay), 100.0)
        << "timers, not threads, should limit nothing";
    const auto threads = thread_count(server->pid());
    EXPECT_TRUE(is_loop_threads(threads)) << threads << " threads";
}

TEST(Stage11_Server, RootIsAnsweredAtOnceWhileSleepsAreInFlight) {
    auto server = start("async-09-05");
    auto plans = same_request("/sleep", 8);
    plans.push_back({.label = "/", .path = "/", .start_after = delay / 4});
    const auto records = send_concurrently(server->address(), plans);
    ASSERT_TRUE(all_answered(records));
    EXPECT_LT(records.back().seconds(), 0.5 * std::chrono::duration<double>(delay).count());
}

TEST(Stage11_BlockingSleepServer, SleepsRunFourAtATimeOneOnEachThread) {
    // Eight blocking sleeps on four threads: four at once, then the other four: about two delays.
    auto server = start("cpp-async-09-05-blocking");
    const auto records = send_concurrently(server->address(), same_request("/sleep", 8), 20 * delay);
    ASSERT_TRUE(all_answered(records));
    const double parallelism = effective_parallelism(records, delay);
    EXPECT_GT(parallelism, 2.5) << "four threads should sleep side by side";
    EXPECT_LT(parallelism, 4.6) << "no more than four at once: each sleep holds a thread";
    const auto threads = thread_count(server->pid());
    EXPECT_TRUE(is_loop_threads(threads)) << threads << " threads";
}

TEST(Stage11_BlockingSleepServer, AFifthSleepWaitsForAThread) {
    auto server = start("cpp-async-09-05-blocking");
    const auto records = send_concurrently(server->address(), same_request("/sleep", 5), 20 * delay);
    ASSERT_TRUE(all_answered(records));
    auto first = records.front().start;
    std::vector<double> finishes;
    for (const auto& record : records) first = std::min(first, record.start);
    for (const auto& record : records) {
        finishes.push_back((record.finish - first) / std::chrono::duration<double>(delay));
    }
    std::sort(finishes.begin(), finishes.end());
    EXPECT_LT(finishes[3], 1.7) << "the first four should have slept side by side";
    EXPECT_GE(finishes[4], 1.9) << "the fifth should have waited for one of the four threads";
}
