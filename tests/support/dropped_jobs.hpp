// Probing a server whose ThreadPool drops each job unrun (stages 03 to 05: execute() ignores the job, or
// sends it where nobody receives): the job owns the connection, so every connection is closed at once,
// unanswered, whatever was asked.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http_client.hpp"
#include "server_process.hpp"

namespace support {

// Long, so that a `/sleep` that was served could not finish within the requests' deadline.
inline constexpr std::chrono::milliseconds dropped_jobs_sleep_delay = std::chrono::seconds(5);
inline constexpr std::chrono::milliseconds dropped_jobs_deadline = std::chrono::seconds(2);

// `/`, `/sleep`, a path that would be a 404, and a connection that sends nothing: all at once.
[[nodiscard]] inline std::vector<RequestPlan> one_request_of_each_kind() {
    return {{.label = "/", .path = "/"},
            {.label = "/sleep", .path = "/sleep"},
            {.label = "/missing", .path = "/missing"},
            {.label = "empty", .raw = ""}};
}

// One line per record that was answered, or not ended by the server (closed or reset) before its
// deadline; empty when every connection was closed unanswered.
[[nodiscard]] inline std::string not_closed_unanswered(const std::vector<RequestRecord>& records) {
    std::string problems;
    for (const auto& record : records) {
        if (record.closed_without_response() && record.raw.empty()) continue;
        problems += record.label + ": " + to_string(record.outcome) + " " + record.error + " " + record.raw + "\n";
    }
    return problems;
}

// A listing's target as a gtest parameter name: "listing-21-16" -> "listing_21_16".
[[nodiscard]] inline std::string as_test_name(std::string target) {
    for (auto& c : target) {
        if (c == '-') c = '_';
    }
    return target;
}

// Closed, or reset (the request was never read): either way promptly, with nothing sent.
inline void expect_every_connection_closed_unanswered(const ServerProcess& server) {
    const auto records = send_concurrently(server.address(), one_request_of_each_kind(), dropped_jobs_deadline);
    EXPECT_EQ(not_closed_unanswered(records), "");
}

inline void expect_it_keeps_accepting_and_never_panics(ServerProcess& server) {
    using namespace std::chrono_literals;
    for (int round = 1; round <= 3; ++round) {
        const RequestPlan plan{.label = "/ #" + std::to_string(round), .path = "/"};
        const auto record = send_request(server.address(), plan, dropped_jobs_deadline);
        EXPECT_TRUE(record.closed_without_response()) << record.label << ": " << to_string(record.outcome);
    }
    // The empty connection that ends stage 01's server never reaches handle_connection here.
    (void)connect_and_close(server.address(), dropped_jobs_deadline);
    EXPECT_FALSE(server.wait_for_exit(300ms).has_value()) << "the server must still run";
    server.kill_and_wait();  // so that stderr is read to its end
    EXPECT_EQ(server.stderr_text(), "") << "no panic";
}

// The fixture of a stage's dropped-jobs tests, parameterised over the stage folder's targets.
class DroppedJobsServer : public testing::TestWithParam<std::string> {
protected:
    explicit DroppedJobsServer(std::string stage) : stage_(std::move(stage)) {}
    std::unique_ptr<ServerProcess> start() {
        return ServerProcess::start({.stage = stage_, .target = GetParam(), .slow_request_delay = dropped_jobs_sleep_delay});
    }

private:
    std::string stage_;
};

}  // namespace support

// A stage's dropped-jobs tests: its fixture SUITE (a DroppedJobsServer naming the stage's folder) gets
// the two checks, the same for every stage whose execute() drops the job.
#define WORKBOOK_DROPPED_JOBS_TESTS(SUITE)                                      \
    TEST_P(SUITE, EveryConnectionClosesWithoutAResponse) {                     \
        support::expect_every_connection_closed_unanswered(*start());          \
    }                                                                          \
    TEST_P(SUITE, TheServerKeepsAcceptingAndNeverPanics) {                     \
        support::expect_it_keeps_accepting_and_never_panics(*start());         \
    }
