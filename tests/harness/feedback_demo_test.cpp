// Failing tests, on purpose: what `./workbook test` shows for each is checked by feedback_view_check.py
// (the harness suite), which runs this program and reads its view through tests/support/test_view.py.
// Never run as a test of its own: every test here fails.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

#include "http_client.hpp"
#include "observation.hpp"
#include "paths.hpp"
#include "server_checks.hpp"
#include "server_process.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<ServerProcess> start_tiny_server(const std::string& mode) {
    return ServerProcess::start(
        {.executable = build_root() / "tests" / "harness" / "tiny-server", .arguments = {mode}});
}

}  // namespace

// The server dies of SIGSEGV on the first request: the ✗ line says so, the block has its last lines.
TEST(Harness_Feedback, FourSleepsAtOnceOnAServerThatCrashes) {
    auto server = start_tiny_server("crash");
    double parallelism = 0;
    ASSERT_NO_FATAL_FAILURE(
        four_sleeps_at_once(*server, 100ms, "side by side", "parallelism between 2.5 and 4.4", parallelism));
}

// A server whose `Worker N` lines sat in an unflushed std::cout buffer when it was killed.
TEST(Harness_Feedback, WorkerLinesOfAServerThatDoesNotFlush) {
    auto server = start_tiny_server("unflushed");
    ASSERT_TRUE(all_answered(send_concurrently(server->address(), same_request("/", 4))));
    server->kill_and_wait();
    const auto ids = observe_worker_lines(*server, 4, "each of the four workers said it got a job");
    EXPECT_EQ(ids.size(), 4U) << worker_lines_note(*server);
}

// Fails before it measures anything: the headline is its name in words, apostrophe included.
TEST(Harness_Feedback, TheBooksServerIsNeverAsked) { ADD_FAILURE() << "no server was started"; }

// The first figure is in range, the second is not: the ✗ line shows the second.
TEST(Harness_Feedback, TheSecondFigureIsOutOfRange) {
    observe({.saw = "the first figure: 1", .shows = "in range", .expected = "the first below 5"});
    EXPECT_LT(1, 5);
    observe({.saw = "the second figure: 9", .shows = "in range", .expected = "the second below 5"});
    EXPECT_LT(9, 5) << "the second figure is out of range";
}

// A request that got no response: no figure, and the ✗ line says how the request ended.
TEST(Harness_Feedback, ARootThatGetsNoResponse) {
    RequestRecord reset;
    reset.label = "/";
    reset.outcome = Outcome::Reset;
    reset.error = "Connection reset by peer";
    ASSERT_TRUE(all_answered({reset}));
}

// gtest prints an Outcome in words.
TEST(Harness_Feedback, AnOutcomePrintsInWords) { EXPECT_EQ(Outcome::Reset, Outcome::Response); }
