// The harness itself: what a child printed just before it exited is in what the test reads after
// wait_for_exit (the pumps read its pipes to end of file before the exit is reported).
#include <algorithm>
#include <chrono>
#include <csignal>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <gtest/gtest-spi.h>

#include "http_client.hpp"
#include "paths.hpp"
#include "server_process.hpp"

namespace {

using namespace std::chrono_literals;
using support::ServerProcess;

std::filesystem::path last_words() { return support::build_root() / "tests" / "harness" / "last-words"; }
std::filesystem::path tiny_server() { return support::build_root() / "tests" / "harness" / "tiny-server"; }

// The failures `run` reports in the running test (caught, so that they do not fail it), as messages.
template <typename Run>
std::vector<std::string> failures_of(Run run) {
    testing::TestPartResultArray caught;
    {
        const testing::ScopedFakeTestPartResultReporter reporter(
            testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &caught);
        run();
    }
    std::vector<std::string> messages;
    for (int i = 0; i < caught.size(); ++i) messages.emplace_back(caught.GetTestPartResult(i).message());
    return messages;
}

void expect_last_words_read(const std::string& filler_bytes, int iterations) {
    for (int iteration = 0; iteration < iterations; ++iteration) {
        SCOPED_TRACE("iteration " + std::to_string(iteration) + ", filler " + filler_bytes);
        auto child = ServerProcess::start({.executable = last_words(), .arguments = {filler_bytes}});
        const auto status = child->wait_for_exit(30s);
        ASSERT_TRUE(status.has_value());
        ASSERT_TRUE(status->exited && status->code == 101) << status->describe();
        const auto lines = child->stdout_lines();
        ASSERT_FALSE(lines.empty());
        ASSERT_EQ(lines.back(), "the last line on stdout");
        const auto errors = child->stderr_text();
        ASSERT_TRUE(errors.ends_with("the last line on stderr\n"))
            << "stderr ends: " << errors.substr(errors.size() - std::min<std::size_t>(errors.size(), 80));
    }
}

TEST(Harness_ServerProcess, TheLastLinesOfAChildThatExitsAtOnceAreReadAfterWaitForExit) {
    expect_last_words_read("0", 200);
}

TEST(Harness_ServerProcess, TheLastLinesAfterABurstOfOutputAreReadAfterWaitForExit) {
    expect_last_words_read("48000", 200);
}

TEST(Harness_ServerProcess, KillAndWaitReturnsWithTheOutputComplete) {
    for (int iteration = 0; iteration < 50; ++iteration) {
        SCOPED_TRACE("iteration " + std::to_string(iteration));
        auto child = ServerProcess::start({.executable = last_words(), .arguments = {"48000", "stay"}});
        // Its stdout's last line was written before this one: once this is read, the kill cuts nothing.
        ASSERT_TRUE(child->wait_for_stderr("the last line on stderr\n", 30s));
        const auto status = child->kill_and_wait();
        ASSERT_TRUE(!status.exited && status.signal == SIGKILL) << status.describe();
        ASSERT_EQ(child->stdout_lines().back(), "the last line on stdout");
        ASSERT_TRUE(child->stderr_text().ends_with("the last line on stderr\n"));
    }
}

// merge_stderr (the docs' `run` quotes): one pipe, so the lines come in the order the child wrote them,
// read to the end as well.
TEST(Harness_ServerProcess, MergedStderrKeepsTheOrderOfWritesAndIsReadToTheEnd) {
    for (int iteration = 0; iteration < 50; ++iteration) {
        SCOPED_TRACE("iteration " + std::to_string(iteration));
        auto child =
            ServerProcess::start({.executable = last_words(), .arguments = {"48000"}, .merge_stderr = true});
        const auto status = child->wait_for_exit(30s);
        ASSERT_TRUE(status.has_value() && status->exited && status->code == 101);
        const auto lines = child->stdout_lines();
        ASSERT_GE(lines.size(), 3U);
        ASSERT_EQ(lines[lines.size() - 2], "the last line on stdout");
        ASSERT_EQ(lines.back(), "the last line on stderr");
        ASSERT_EQ(child->stderr_text(), "");
    }
}

// How a child died, as a shell would say it: the signal's name and 128 + its number.
TEST(Harness_ServerProcess, AnEndBySignalIsDescribedWithItsNameAndTheShellStatus) {
    EXPECT_EQ((support::ExitStatus{.exited = false, .signal = SIGSEGV}.describe()),
              "killed by signal 11 (SIGSEGV, Segmentation fault): status 139 in a shell");
    EXPECT_EQ((support::ExitStatus{.exited = true, .code = 101}.describe()), "exited with status 101");
    EXPECT_EQ(testing::PrintToString(support::ExitStatus{.exited = true, .code = 0}), "exited with status 0");
    EXPECT_EQ(testing::PrintToString(support::Outcome::Reset), "reset");
}

// A server that crashes while the test sends it a request fails the test with the signal, the status
// a shell shows and its last lines, not only with the client's "reset".
TEST(Harness_ServerProcess, AServerThatCrashesDuringATestFailsItWithTheSignalAndItsLastLines) {
    const auto failures = failures_of([] {
        auto server = ServerProcess::start({.executable = tiny_server(), .arguments = {"crash"}});
        const auto record = support::send_request(server->address(), {.path = "/"});
        EXPECT_TRUE(record.closed_without_response()) << support::to_string(record.outcome);
    });
    ASSERT_EQ(failures.size(), 1U);
    EXPECT_TRUE(failures[0].starts_with(
        "the server crashed: it was killed by signal 11 (SIGSEGV, Segmentation fault): "
        "status 139 in a shell\n"))
        << failures[0];
    EXPECT_NE(failures[0].find("its last lines on stdout:\n    Listening on http://127.0.0.1:"),
              std::string::npos)
        << failures[0];
    EXPECT_NE(failures[0].find("    Worker 0 got a job; executing.\n"), std::string::npos) << failures[0];
    EXPECT_NE(failures[0].find("its last lines on stderr:\n    the job's last word before the crash\n"),
              std::string::npos)
        << failures[0];
}

// A server that crashes before it listens: start() says how, with its last lines.
TEST(Harness_ServerProcess, AServerThatCrashesBeforeListeningIsReportedAsACrash) {
    try {
        auto server = ServerProcess::start({.executable = tiny_server(), .arguments = {"crash-at-start"}});
        FAIL() << "start() returned for a server that never listened";
    } catch (const std::runtime_error& error) {
        const std::string message = error.what();
        EXPECT_NE(
            message.find(
                "did not print its Listening line: the server crashed: it was killed by signal 11 (SIGSEGV, "
                "Segmentation fault): status 139 in a shell\n"),
            std::string::npos)
            << message;
        EXPECT_NE(message.find("its last lines on stderr:\n    the last word before listening\n"),
                  std::string::npos)
            << message;
    }
}

// Ends the harness or the test asked for are no news: no failure for them.
TEST(Harness_ServerProcess, AnEndTheTestWaitedForOrTheHarnessCausedIsNoFailure) {
    EXPECT_EQ(failures_of([] {
        auto server = ServerProcess::start({.executable = tiny_server(), .arguments = {"crash"}});
        (void)support::send_request(server->address(), {.path = "/"});
        ASSERT_TRUE(server->wait_for_exit(10s).has_value());  // the test looked: it judges the status itself
    }), std::vector<std::string>{});
    EXPECT_EQ(failures_of([] {
        auto server = ServerProcess::start({.executable = tiny_server(), .arguments = {"unflushed"}});
        (void)server->kill_and_wait();
    }), std::vector<std::string>{});
    EXPECT_EQ(
        failures_of([] {  // exits 101 by itself, in a test that has not failed: said only beside a failure
            auto child = ServerProcess::start({.executable = last_words(), .arguments = {"0"}});
            ASSERT_TRUE(child->wait_for_stderr("the last line on stderr\n", 10s));
            std::this_thread::sleep_for(100ms);
        }),
        std::vector<std::string>{});
}

}  // namespace
