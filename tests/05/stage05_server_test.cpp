// Stage 05. Listing 21-18: the Workers share the receiver through Arc<Mutex<..>>, but each Worker's
// thread only names it and ends, dropping its Arc; with the constructor's own Arc gone too, the receiver
// is dropped. execute() still drops the job: connections close unanswered, the server lives on.
// Listing 21-19: execute() now sends the job, to a channel whose receiver is gone: send() fails, and
// its unwrap() panics on the main thread. The connection closes unanswered and the server exits 101.
#include <gtest/gtest.h>

#include <string>

#include "dropped_jobs.hpp"
#include "http_client.hpp"
#include "observation.hpp"
#include "pool_checks.hpp"
#include "rust_messages.hpp"
#include "server_process.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

constexpr auto delay = 5s;  // a served `/sleep` could not finish within the deadline
constexpr auto deadline = 2s;

std::unique_ptr<ServerProcess> start(const char* target) {
    return ServerProcess::start({.stage = "05-arc-mutex", .target = target, .slow_request_delay = delay});
}

}  // namespace

TEST(Stage05_Listing21_18, EveryConnectionClosesWithoutAResponse) {
    auto server = start("listing-21-18");
    const auto records = send_concurrently(server->address(), one_request_of_each_kind(), deadline);
    EXPECT_EQ(not_closed_unanswered(records), "");
    EXPECT_FALSE(server->wait_for_exit(300ms).has_value()) << "the server must still run";
    server->kill_and_wait();  // so that stderr is read to its end
    EXPECT_EQ(server->stderr_text(), "") << "no panic";
}

TEST(Stage05_Listing21_19, SendingToTheDroppedReceiverPanicsMainAndEndsTheServer) {
    auto server = start("listing-21-19");
    // Rust: the workers' threads dropped their Arcs when they ran, so the receiver is gone and the first
    // execute() panics. A request that arrives before the last worker thread has ended is queued
    // instead, and dropped with the receiver (unanswered too); so request_until_exit sends a few.
    auto [records, status] = request_until_exit(*server);
    EXPECT_EQ(not_closed_unanswered(records), "");
    ASSERT_TRUE(status.has_value()) << "the server must have ended; stderr: " << server->stderr_text();
    observe(
        {.saw = std::to_string(records.size()) + " request(s) sent, then the server " + status->describe(),
         .shows =
             "execute's send(job).unwrap() panicked on main: the receiver had gone with the workers' threads",
         .expected = "exit status 101 and SendError { .. }"});
    EXPECT_TRUE(status->exited && status->code == 101) << status->describe();
    const auto stderr_text = server->stderr_text();
    EXPECT_NE(stderr_text.find(rust_text::main_panicked), std::string::npos) << stderr_text;
    EXPECT_NE(stderr_text.find(rust_text::unwrap_send_error), std::string::npos)
        << stderr_text;
}
