// Stage 10, the single-threaded async servers (the async book's 09_03 and 09_04, and 09_04 with a
// blocking sleep), observed from outside: one thread serves two hundred slow requests at once with a
// timer, and serves them one at a time when the handler is awaited in line or sleeps with
// thread::sleep.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>

#include "http_client.hpp"
#include "observation.hpp"
#include "pool_checks.hpp"
#include "proc_status.hpp"
#include "rs/net.hpp"
#include "server_checks.hpp"
#include "server_process.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

constexpr auto stage = "10-async-single-thread";
constexpr int many = 200;
// Long enough that starting 200 client threads and connections on a busy machine (or under a
// sanitizer, which makes every request cost several times more) is small beside it.
constexpr auto long_delay = sanitizer_build() ? 3000ms : 1000ms;
constexpr auto delay = 300ms;

std::unique_ptr<ServerProcess> start(const char* target,
                                     std::chrono::milliseconds slow_request_delay = delay) {
    raise_open_file_limit();  // 200 client sockets here, 200 in the server (which inherits it)
    return ServerProcess::start({.stage = stage, .target = target, .slow_request_delay = slow_request_delay});
}

// Four /sleep sent at once to `target`, expected to be served one after another: about four delays.
void expect_four_sleeps_one_at_a_time(const char* target) {
    auto server = start(target);
    const auto records = send_concurrently(server->address(), same_request("/sleep", 4), 20 * delay);
    ASSERT_TRUE(all_answered(records));
    const double parallelism = effective_parallelism(records, delay);
    EXPECT_GT(parallelism, 0.6);
    EXPECT_LT(parallelism, 1.5) << "four sleeps should have taken about four delays";
    EXPECT_EQ(thread_count(server->pid()), 1U);
}

}  // namespace

// Every server of the stage: the book's responses, byte for byte.
class Stage10_Answers : public testing::TestWithParam<const char*> {};

INSTANTIATE_TEST_SUITE_P(Stage10, Stage10_Answers,
                         testing::Values("async-09-03", "cpp-async-09-04-blocking", "async-09-04"),
                         target_test_name);

WORKBOOK_ANSWERS_AS_THE_BOOK(Stage10_Answers, stage, delay)

TEST(Stage10_Server, TwoHundredSleepsFinishWithinTwoDelaysOnOneThread) {
    auto server = start("async-09-04", long_delay);
    ASSERT_EQ(thread_count(server->pid()), 1U);
    std::size_t threads_in_flight = 0;
    auto plans = same_request("/sleep", many);
    std::vector<RequestRecord> records;
    {
        // The thread count is taken while the sleeps are in flight, from a thread of its own.
        std::jthread watcher([&] {
            std::this_thread::sleep_for(long_delay / 2);
            threads_in_flight = thread_count(server->pid());
        });
        records = send_concurrently(server->address(), plans, 10 * long_delay);
    }
    ASSERT_TRUE(all_answered(records));
    // n requests of one delay each over the span: the span, in delays, is n / parallelism.
    const double span_in_delays = many / effective_parallelism(records, long_delay);
    std::cout << many << " /sleep of " << long_delay.count() << " ms: all answered after " << span_in_delays
              << " delays\n";
    EXPECT_LT(span_in_delays, 2.0) << "200 timers should run out side by side";
    EXPECT_EQ(threads_in_flight, 1U) << "one thread serves them all";
    EXPECT_EQ(thread_count(server->pid()), 1U);
}

TEST(Stage10_Server, RootIsAnsweredAtOnceWhileFiftySleepsAreInFlight) {
    // The long delay: fifty client threads take a while to start under a sanitizer.
    auto server = start("async-09-04", long_delay);
    auto plans = same_request("/sleep", 50);
    plans.push_back({.label = "/", .path = "/", .start_after = long_delay / 4});
    const auto records = send_concurrently(server->address(), plans);
    ASSERT_TRUE(all_answered(records));

    const auto& root = records.back();
    for (std::size_t i = 0; i + 1 < records.size(); ++i) {
        EXPECT_TRUE(root.finish < records[i].finish) << "`/` should not wait behind " << records[i].label;
    }
    EXPECT_LT(root.seconds(), 0.5 * std::chrono::duration<double>(long_delay).count());
}

TEST(Stage10_Server, AnIdleClientHoldsUpNoOne) {
    auto server = start("async-09-04");
    auto idle = rs::net::TcpStream::connect(server->address()).unwrap();  // connects, never sends a byte
    const auto records = send_concurrently(
        server->address(), {{.label = "/", .path = "/"}, {.label = "/sleep", .path = "/sleep"}}, 4 * delay);
    EXPECT_EQ(unanswered(records), "") << "the idle connection's task waits for its bytes; no one else does";
    EXPECT_LT(records[0].seconds(), 0.5 * std::chrono::duration<double>(delay).count());
}

TEST(Stage10_Server, AClientThatSendsNothingIsAnswered404AndTheServerGoesOn) {
    // The end of the stream leaves an empty request line, as Rust's read returning Ok(0) leaves the
    // async book's buffer empty: neither `/` nor `/sleep`, so 404.html. The client closes its side
    // without a byte and reads the answer.
    auto server = start("async-09-04");
    auto silent = rs::net::TcpStream::connect(server->address()).unwrap();
    ASSERT_TRUE(silent.shutdown(rs::net::Shutdown::Write).is_ok());
    ASSERT_TRUE(silent.set_read_timeout(std::chrono::milliseconds(2000)).is_ok());
    std::string answer;
    char chunk[4096];
    for (auto got = silent.read(chunk); got.is_ok() && got.value() > 0; got = silent.read(chunk)) {
        answer.append(chunk, got.value());
    }
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 404 NOT FOUND\r\n")) << answer;

    const auto root = send_request(server->address(), {.label = "/", .path = "/"}, 2s);
    ASSERT_EQ(root.outcome, Outcome::Response) << root.error;
    EXPECT_EQ(root.response.status, 200);
    EXPECT_FALSE(server->wait_for_exit(0ms).has_value());
    EXPECT_EQ(server->stderr_text(), "");
}

TEST(Stage10_Server, AnswersThreeHundredSleepsUnderA120MegabyteAddressSpaceLimit) {
    if (sanitizer_build()) GTEST_SKIP() << "a sanitizer reserves more address space than the limit allows";
    constexpr std::uint64_t limit = 120ULL << 20;
    auto server = start("async-09-04");
    ASSERT_LT(read_proc_status(server->pid()).value_or(ProcStatus{}).address_space_bytes, limit / 4);
    ASSERT_TRUE(limit_address_space(server->pid(), limit)) << "prlimit(RLIMIT_AS) refused";
    const auto records = send_concurrently(server->address(), same_request("/sleep", 300), 20 * delay);
    EXPECT_EQ(unanswered(records), "");
    EXPECT_FALSE(server->wait_for_exit(0ms).has_value()) << server->stderr_text();
}

TEST(Stage10_ThreadPerRequestServer, TheSameLimitStopsStage02) {
    // The limit is real: listing 21-11's thread per request cannot start 300 threads (each reserves a
    // 2 MiB stack, as Rust's spawn gives) in 120 MiB, and the failed spawn ends the server.
    if (sanitizer_build()) GTEST_SKIP() << "a sanitizer reserves more address space than the limit allows";
    constexpr std::uint64_t limit = 120ULL << 20;
    auto server = ServerProcess::start({.stage = "02-thread-per-request", .target = "listing-21-11",
                                        .slow_request_delay = delay});
    ASSERT_TRUE(limit_address_space(server->pid(), limit)) << "prlimit(RLIMIT_AS) refused";
    const auto records = send_concurrently(server->address(), same_request("/sleep", 300), 20 * delay);
    EXPECT_NE(unanswered(records), "") << "every request answered: the limit did not bite";
    const auto status = server->wait_for_exit(5s);
    EXPECT_TRUE(status.has_value()) << "stage 02 should have ended";
}

TEST(Stage10_BlockingSleepServer, ConcurrentSleepsRunOneAtATime) {
    // A task per connection, but thread::sleep blocks the one thread that runs every task.
    expect_four_sleeps_one_at_a_time("cpp-async-09-04-blocking");
}

TEST(Stage10_BlockingSleepServer, RootWaitsBehindASleep) {
    auto server = start("cpp-async-09-04-blocking");
    const auto records = send_concurrently(
        server->address(),
        {{.label = "/sleep", .path = "/sleep"}, {.label = "/", .path = "/", .start_after = delay / 4}});
    ASSERT_TRUE(all_answered(records));
    EXPECT_GE(records[1].finish - records[0].start, 0.9 * delay)
        << "`/` should have waited for the sleep to end";
}

TEST(Stage10_InlineServer, ConcurrentSleepsRunOneAtATime) {
    // The async book's 09_03: a timer, but each handler is awaited before the next accept.
    expect_four_sleeps_one_at_a_time("async-09-03");
}

TEST(Stage10_InlineServer, AnIdleClientHoldsUpEveryone) {
    auto server = start("async-09-03");
    auto idle = rs::net::TcpStream::connect(server->address()).unwrap();
    const auto root = send_request(server->address(), {.label = "/", .path = "/"}, 4 * delay);
    EXPECT_EQ(root.outcome, Outcome::TimedOut) << "`/` should wait for the idle client's request line";
}
