// Stage 09: what the modern pool's server does beyond stage 08 (its stage 06 and 08 behaviour is
// checked by those stages' tests, parameterised): SIGTERM or SIGINT ends it gracefully, answering what
// it has accepted, and a request that fails costs no worker.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <set>
#include <span>
#include <thread>

#include "http_client.hpp"
#include "pool_checks.hpp"
#include "rs/net.hpp"
#include "server_checks.hpp"
#include "server_process.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

constexpr int pool_size = 4;

std::unique_ptr<ServerProcess> start_modern_pool(std::chrono::milliseconds delay = 300ms) {
    return ServerProcess::start(
        {.stage = "09-modern-cpp-pool", .target = "09-modern", .slow_request_delay = delay});
}

bool has_line(const std::vector<std::string>& lines, const std::string& wanted) {
    return std::find(lines.begin(), lines.end(), wanted) != lines.end();
}

// The server's stdout is read by another thread: once the process has ended, its last lines may still
// be on their way. True once every one of `wanted` has arrived; false at the deadline.
bool printed(ServerProcess& server, const std::vector<std::string>& wanted) {
    return server.wait_for_stdout(
        [&](const std::vector<std::string>& lines) {
            return std::all_of(wanted.begin(), wanted.end(),
                               [&](const auto& line) { return has_line(lines, line); });
        },
        5s);
}

}  // namespace

TEST(Stage09_Server, SigtermDuringFourSlowRequestsAnswersAllFourThenExitsZero) {
    constexpr auto delay = 1500ms;
    auto server = start_modern_pool(delay);
    SleepsInFlight sleeps(*server, pool_size);
    // All four taken by a worker, so all four are sleeping when the signal comes.
    ASSERT_TRUE(server->wait_for_stdout(
        [](const auto& lines) { return worker_job_ids(lines).size() == pool_size; }, 5s))
        << worker_lines_note(*server);
    server->send_signal(SIGTERM);
    ASSERT_TRUE(
        server->wait_for_stdout([](const auto& lines) { return has_line(lines, "Shutting down."); }, 5s))
        << "SIGTERM should end the accept loop at once";
    EXPECT_FALSE(sleeps.answered()) << "the shutdown must have begun while the four /sleep were in flight";
    ASSERT_NO_FATAL_FAILURE(sleeps.expect_all_answered_then_exit_zero(
        *server, "the server should exit once the four are answered"));
    for (int id = 0; id < pool_size; ++id) {
        EXPECT_TRUE(printed(*server, {"Worker " + std::to_string(id) + " stopped; shutting down."})) << id;
    }
    EXPECT_EQ(server->stderr_text(), "");
}

TEST(Stage09_Server, SigintEndsAnIdleServerWithStatusZero) {
    auto server = start_modern_pool();
    server->send_signal(SIGINT);
    const auto status = server->wait_for_exit(10s);
    ASSERT_TRUE(status.has_value()) << "Ctrl-C (SIGINT) should end the server";
    EXPECT_TRUE(status->exited && status->code == 0) << status->describe() << "\n" << server->stderr_text();
    EXPECT_TRUE(printed(*server, {"Shutting down."}));
}

TEST(Stage09_Server, AnIdleClientHoldsUpASigtermShutdownOnlyUntilTheReadTimeout) {
    // Stage 08's book listing waits for an idle client for ever
    // (Stage08_IdleClient.TheBooksShutdownWaitsForAnIdleClientAsLongAsItStays).
    // Here the 2 s read timeout makes its job throw; the worker logs it and stops, and the server exits 0.
    auto server = start_modern_pool();
    const auto connected_at = Clock::now();
    auto idle = rs::net::TcpStream::connect(server->address()).unwrap();
    ASSERT_TRUE(
        server->wait_for_stdout([](const auto& lines) { return worker_job_ids(lines).size() == 1; }, 5s))
        << worker_lines_note(*server);
    server->send_signal(SIGTERM);
    ASSERT_TRUE(printed(*server, {"Shutting down."}));

    const auto status = server->wait_for_exit(10s);
    ASSERT_TRUE(status.has_value()) << "the read timeout bounds the shutdown";
    EXPECT_GE(Clock::now() - connected_at, 1500ms)
        << "the server waited for the idle client's read to time out";
    EXPECT_TRUE(status->exited && status->code == 0) << status->describe() << "\n" << server->stderr_text();
    EXPECT_EQ(occurrences(server->stderr_text(),
                          "the job threw: reading the request: Resource temporarily unavailable"),
              1U)
        << server->stderr_text();

    ASSERT_NO_FATAL_FAILURE(expect_closed_without_response(idle));
}

TEST(Stage09_Server, AnEmptyConnectionIsLoggedAndAllFourWorkersKeepServing) {
    // Stage 06's empty connection panics and ends its worker
    // (Stage06_Server.AnEmptyConnectionEndsOnlyTheWorkerThatTookIt).
    // Here handle_connection throws, the worker logs it to stderr, and four /sleep still run side by side.
    constexpr auto delay = 300ms;
    auto server = start_modern_pool(delay);
    (void)connect_and_close(server->address(), 50ms);
    ASSERT_TRUE(server->wait_for_stderr(
        "the job threw: the client closed the connection before sending a request line", 5s))
        << server->stderr_text();

    const auto records = send_concurrently(server->address(), same_request("/sleep", pool_size));
    ASSERT_TRUE(all_answered(records));
    EXPECT_GT(effective_parallelism(records, delay), 2.5) << "four workers should be left";

    const auto ids = worker_job_ids(server->stdout_lines());
    ASSERT_EQ(ids.size(), 5U) << worker_lines_note(*server);
    EXPECT_EQ(std::set<int>(ids.begin() + 1, ids.end()), (std::set<int>{0, 1, 2, 3}))
        << "the worker that took the empty connection takes a /sleep too";
    EXPECT_FALSE(server->wait_for_exit(0ms).has_value()) << "the server keeps running";
}
