// Stage 02, listing 21-11: a new thread for every connection, observed from outside.
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "observation.hpp"
#include "paths.hpp"
#include "rust_messages.hpp"
#include "server_checks.hpp"
#include "server_process.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

constexpr auto delay = 300ms;
// For the timing tests: long enough that starting threads and connecting, on a busy machine, is small
// beside it.
constexpr auto long_delay = 1000ms;
const double long_delay_seconds = std::chrono::duration<double>(long_delay).count();

std::unique_ptr<ServerProcess> start_listing_21_11(std::chrono::milliseconds slow_request_delay = delay) {
    return ServerProcess::start({.stage = "02-thread-per-request",
                                 .target = "listing-21-11",
                                 .slow_request_delay = slow_request_delay});
}

}  // namespace

TEST(Stage02_Server, RootAndOtherPathsAnswerAsBefore) {
    ASSERT_NO_FATAL_FAILURE(expect_the_books_three_answers(
        {.stage = "02-thread-per-request", .target = "listing-21-11", .slow_request_delay = delay}));
}

TEST(Stage02_Server, RootIsNotDelayedByASleepInFlight) {
    auto server = start_listing_21_11(long_delay);
    const auto records = send_concurrently(
        server->address(),
        {{.label = "/sleep", .path = "/sleep"}, {.label = "/", .path = "/", .start_after = long_delay / 4}});
    ASSERT_EQ(records[0].outcome, Outcome::Response) << records[0].error;
    ASSERT_EQ(records[1].outcome, Outcome::Response) << records[1].error;
    observe({.saw = "`/`, sent while /sleep sleeps, is answered in "
                    + fixed(records[1].seconds() / long_delay_seconds, 2) + " delays",
             .shows = "it has a thread of its own and does not wait",
             .expected = "under 0.4 delays, before /sleep ends"});
    // `/` has its own thread: it is answered while `/sleep` still sleeps, and does not wait for it.
    // Time points print as bytes in a failure; their distance from the start prints in seconds.
    EXPECT_LT(records[1].finish - records[0].start, records[0].finish - records[0].start)
        << "`/` must finish before `/sleep`";
    EXPECT_LT(records[1].seconds(), 0.4 * long_delay_seconds) << "`/` must not wait out the sleep";
    EXPECT_GE(records[0].seconds(), 0.9 * long_delay_seconds);
}

TEST(Stage02_Server, ConcurrentSleepsOverlapOneThreadEach) {
    constexpr int sleeps = 8;
    auto server = start_listing_21_11(long_delay);
    const auto records = send_concurrently(server->address(), same_request("/sleep", sleeps));
    for (const auto& record : records)
        ASSERT_EQ(record.outcome, Outcome::Response) << record.label << ": " << record.error;
    // One thread per connection and no limit: all eight sleep at once, taking about one delay in all
    // (stage 01 takes eight delays, stage 06 two, with its four workers).
    const double parallelism = effective_parallelism(records, long_delay);
    observe({.saw = "eight /sleep at once " + finish_in_delays(records, long_delay),
             .shows = "a thread each, all sleeping at once",
             .expected = "parallelism between 4.8 and 9.6"});
    EXPECT_GT(parallelism, 0.6 * sleeps) << "the sleeps must overlap";
    EXPECT_LT(parallelism, 1.2 * sleeps);
    // The server's side: no sleep waited for another's thread (each took about one delay, not two).
    for (const auto& record : records) {
        EXPECT_LT(record.seconds(), 1.6 * long_delay_seconds) << record.label << " waited for another sleep";
    }
}

TEST(Stage02_Server, EmptyConnectionPanicEndsOnlyItsThread) {
    // Rust: `buf_reader.lines().next().unwrap()` on a connection closed before any line panics. In 21-11
    // it panics on the connection's own thread, which ends; main goes on accepting. In 21-10 (stage 01)
    // the same panic is on the main thread, and ends the process with status 101.
    auto threaded = start_listing_21_11();
    auto single = ServerProcess::start(
        {.stage = "01-single-threaded", .target = "listing-21-10", .slow_request_delay = delay});

    const auto empty = connect_and_close(threaded->address(), 2s);
    EXPECT_NE(empty.outcome, Outcome::Response);
    ASSERT_TRUE(threaded->wait_for_stderr(rust_text::unwrap_none, 5s)) << threaded->stderr_text();
    EXPECT_NE(threaded->stderr_text().find(rust_text::worker_panicked), std::string::npos)
        << threaded->stderr_text();
    const auto after = send_request(threaded->address(), {.label = "/ after the panic", .path = "/"});
    ASSERT_EQ(after.outcome, Outcome::Response) << "21-11 must keep serving: " << after.error;
    EXPECT_EQ(after.response.status, 200);
    EXPECT_FALSE(threaded->wait_for_exit(200ms).has_value()) << "21-11 must still run";
    threaded->kill_and_wait();  // so that stderr is read to its end
    EXPECT_EQ(threaded->stderr_text().find("thread 'main'"), std::string::npos) << threaded->stderr_text();

    (void)connect_and_close(single->address(), 2s);
    const auto status = single->wait_for_exit(5s);
    ASSERT_TRUE(status.has_value()) << "21-10 must have ended";
    EXPECT_TRUE(status->exited && status->code == 101) << status->describe();
}
