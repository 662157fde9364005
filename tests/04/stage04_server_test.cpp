// Stage 04, listings 21-16 and 21-17: the pool now makes a channel, but execute() still drops the job
// (and the receiver is gone as soon as the pool is built: in 21-16 with the constructor's local, in
// 21-17 with the first Worker's thread). Every connection is closed unanswered; the server lives on.
#include <gtest/gtest.h>

#include <string>

#include "dropped_jobs.hpp"
#include "http_client.hpp"
#include "server_process.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

constexpr auto delay = 5s;  // a served `/sleep` could not finish within the deadline
constexpr auto deadline = 2s;

class Stage04_DroppedJobs : public testing::TestWithParam<std::string> {
protected:
    std::unique_ptr<ServerProcess> start() {
        return ServerProcess::start({.stage = "04-channel", .target = GetParam(), .slow_request_delay = delay});
    }
};

}  // namespace

TEST_P(Stage04_DroppedJobs, EveryConnectionClosesWithoutAResponse) {
    auto server = start();
    const auto records = send_concurrently(server->address(), one_request_of_each_kind(), deadline);
    EXPECT_EQ(not_closed_unanswered(records), "");
}

TEST_P(Stage04_DroppedJobs, TheServerKeepsAcceptingAndNeverPanics) {
    auto server = start();
    for (int round = 1; round <= 3; ++round) {
        const auto record = send_request(server->address(), {.label = "/ #" + std::to_string(round), .path = "/"}, deadline);
        EXPECT_TRUE(record.closed_without_response()) << record.label << ": " << to_string(record.outcome);
    }
    EXPECT_FALSE(server->wait_for_exit(300ms).has_value()) << "the server must still run";
    server->kill_and_wait();  // so that stderr is read to its end
    EXPECT_EQ(server->stderr_text(), "") << "no panic";
}

INSTANTIATE_TEST_SUITE_P(Stage04, Stage04_DroppedJobs, testing::Values("listing-21-16", "listing-21-17"),
                         [](const auto& listing) { return as_test_name(listing.param); });
