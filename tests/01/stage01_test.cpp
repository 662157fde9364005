// Stage 01, listing 21-10: the single-threaded server, observed from outside.
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

const ServerOptions listing_21_10{.stage = "01-single-threaded", .target = "listing-21-10",
                                  .slow_request_delay = delay};

std::unique_ptr<ServerProcess> start_listing_21_10() { return ServerProcess::start(listing_21_10); }

}  // namespace

TEST(Stage01_Server, RootServesHelloWithItsLength) {
    ASSERT_NO_FATAL_FAILURE(expect_the_books_three_answers(listing_21_10));
}

TEST(Stage01_Server, AnyOtherPathIs404) {
    auto server = start_listing_21_10();
    for (const char* path : {"/something-else", "/sleep/", "/index.html"}) {
        const auto record = send_request(server->address(), {.label = path, .path = path});
        ASSERT_NO_FATAL_FAILURE(
            expect_page(record, "01-single-threaded", "HTTP/1.1 404 NOT FOUND", "404.html"));
    }
}

TEST(Stage01_Server, SleepAnswersAfterTheDelay) {
    auto server = start_listing_21_10();
    const auto record = send_request(server->address(), {.path = "/sleep"});
    ASSERT_EQ(record.outcome, Outcome::Response) << record.error;
    EXPECT_EQ(record.response.status, 200);
    EXPECT_GE(record.seconds(), 0.9 * std::chrono::duration<double>(delay).count());
}

TEST(Stage01_Server, RootSentDuringSleepFinishesOnlyAfterIt) {
    auto server = start_listing_21_10();
    ASSERT_NO_FATAL_FAILURE(
        expect_root_waits_behind_sleep(*server, delay, "one thread: `/` waited for /sleep to finish"));
}

TEST(Stage01_Server, ConcurrentSleepsAreServedOneAfterAnother) {
    auto server = start_listing_21_10();
    const auto records = send_concurrently(server->address(), same_request("/sleep", 4));
    for (const auto& record : records) ASSERT_EQ(record.outcome, Outcome::Response) << record.error;
    const double parallelism = effective_parallelism(records, delay);
    observe({.saw = "four /sleep at once " + finish_in_delays(records, delay),
             .shows = "served one after another by the one thread",
             .expected = "parallelism between 0.6 and 1.5"});
    EXPECT_GT(parallelism, 0.6);
    EXPECT_LT(parallelism, 1.5) << "four /sleep on one thread take about four delays";
    // The server's side: one thread sleeps once per request, so the k-th answer cannot leave before k
    // delays have passed (a loaded machine only makes it later).
    const auto finishes = sorted_finishes(records, delay);
    for (std::size_t i = 0; i < finishes.size(); ++i) {
        EXPECT_GE(finishes[i], 0.95 * static_cast<double>(i + 1)) << "answer " << i + 1 << " came too soon";
    }
}

TEST(Stage01_Server, EmptyConnectionPanicsMainAndEndsTheServer) {
    // Rust: `buf_reader.lines().next().unwrap()` on a connection closed before any line panics on
    // the main thread, and a panic leaving main ends the process with status 101.
    auto server = start_listing_21_10();
    const auto record = connect_and_close(server->address(), 2s);
    EXPECT_NE(record.outcome, Outcome::Response);
    const auto status = server->wait_for_exit(5s);
    ASSERT_TRUE(status.has_value()) << "the server must have ended";
    EXPECT_TRUE(status->exited) << status->describe();
    EXPECT_EQ(status->code, 101) << status->describe();
    EXPECT_NE(server->stderr_text().find(rust_text::main_panicked), std::string::npos)
        << server->stderr_text();
    EXPECT_NE(server->stderr_text().find(rust_text::unwrap_none), std::string::npos);
}
