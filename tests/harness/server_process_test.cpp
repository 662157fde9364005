// The harness itself: what a child printed just before it exited is in what the test reads after
// wait_for_exit (the pumps read its pipes to end of file before the exit is reported).
#include <algorithm>
#include <chrono>
#include <csignal>
#include <string>

#include <gtest/gtest.h>

#include "paths.hpp"
#include "server_process.hpp"

namespace {

using namespace std::chrono_literals;
using support::ServerProcess;

std::filesystem::path last_words() { return support::build_root() / "tests" / "harness" / "last-words"; }

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
        ASSERT_TRUE(errors.ends_with("the last line on stderr\n")) << "stderr ends: " << errors.substr(errors.size() - std::min<std::size_t>(errors.size(), 80));
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
        auto child = ServerProcess::start({.executable = last_words(), .arguments = {"48000"}, .merge_stderr = true});
        const auto status = child->wait_for_exit(30s);
        ASSERT_TRUE(status.has_value() && status->exited && status->code == 101);
        const auto lines = child->stdout_lines();
        ASSERT_GE(lines.size(), 3U);
        ASSERT_EQ(lines[lines.size() - 2], "the last line on stdout");
        ASSERT_EQ(lines.back(), "the last line on stderr");
        ASSERT_EQ(child->stderr_text(), "");
    }
}

}  // namespace
