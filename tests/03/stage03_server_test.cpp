// Stage 03: every runnable server of the stage (the unnumbered step 3, listings 21-13 to 21-15 and the
// build() variant) has a ThreadPool whose execute() drops the job it is given. The job owns the
// connection, so each connection is closed at once, without a response, and nothing else happens.
#include <gtest/gtest.h>

#include <string>

#include "dropped_jobs.hpp"
#include "http_client.hpp"
#include "server_process.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

// Long, so that a `/sleep` that was served could not finish within the requests' deadline.
constexpr auto delay = 5s;
constexpr auto deadline = 2s;

class Stage03_DroppedJobs : public testing::TestWithParam<std::string> {
protected:
    std::unique_ptr<ServerProcess> start() {
        return ServerProcess::start({.stage = "03-empty-pool", .target = GetParam(), .slow_request_delay = delay});
    }
};

}  // namespace

TEST_P(Stage03_DroppedJobs, EveryConnectionClosesWithoutAResponse) {
    auto server = start();
    // Closed, or reset (the request was never read): either way promptly, with nothing sent.
    const auto records = send_concurrently(server->address(), one_request_of_each_kind(), deadline);
    EXPECT_EQ(not_closed_unanswered(records), "");
}

TEST_P(Stage03_DroppedJobs, TheServerKeepsAcceptingAndNeverPanics) {
    auto server = start();
    for (int round = 1; round <= 3; ++round) {
        const auto record = send_request(server->address(), {.label = "/ #" + std::to_string(round), .path = "/"}, deadline);
        EXPECT_TRUE(record.closed_without_response()) << record.label << ": " << to_string(record.outcome);
    }
    // The empty connection that ends stage 01's server never reaches handle_connection here.
    (void)connect_and_close(server->address(), deadline);
    EXPECT_FALSE(server->wait_for_exit(300ms).has_value()) << "the server must still run";
    server->kill_and_wait();  // so that stderr is read to its end
    EXPECT_EQ(server->stderr_text(), "") << "no panic";
}

INSTANTIATE_TEST_SUITE_P(Stage03, Stage03_DroppedJobs,
                         testing::Values("no-listing-03-define-execute", "listing-21-13", "listing-21-13-build",
                                         "listing-21-14", "listing-21-15"),
                         [](const auto& listing) { return as_test_name(listing.param); });
