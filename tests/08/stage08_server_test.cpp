// Stage 08, listing 21-25 and its read-timeout variant: the server serves two connections, then the
// pool's destructor shuts it down; observed from outside through its log lines and its exit status.
// The two Stage08_Shutdown tests are parameterised over the servers they apply to: listing 21-25
// (suite 08) and stage 09's modern pool, which shuts down on SIGTERM instead of after two connections
// (the Meson test in tests/09 runs them with --gtest_filter='*/stage09').
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <optional>
#include <span>
#include <thread>

#include "http_client.hpp"
#include "observation.hpp"
#include "pool_checks.hpp"
#include "rs/net.hpp"
#include "rust_messages.hpp"
#include "server_checks.hpp"
#include "server_process.hpp"
#include "shutdown_log.hpp"

using namespace support;
using stage08::expect_a_graceful_shutdown_in_the_books_order;
using stage08::ShutdownLog;
using namespace std::chrono_literals;

namespace {

constexpr int pool_size = 4;

std::unique_ptr<ServerProcess> start_listing(const char* target, std::chrono::milliseconds delay = 300ms) {
    return ServerProcess::start(
        {.stage = "08-graceful-shutdown", .target = target, .slow_request_delay = delay});
}

// A server that shuts down gracefully, as listing 21-25 does.
struct GracefulServer {
    // the test name's suffix: `Stage08_Shutdown.JobsInFlightWhenShutdownBeginsStillFinish/stage09`
    const char* name;
    const char* stage;
    const char* target;
    bool stops_on_sigterm;     // false: it stops by itself after two connections (21-25)
    const char* worker_ended;  // what a worker's last line says: `Worker N disconnected; shutting down.`
};

// How gtest shows the parameter in a failure message.
[[maybe_unused]] void PrintTo(const GracefulServer& server, std::ostream* out) {
    *out << server.stage << "/" << server.target;
}

const GracefulServer graceful_servers[] = {
    {"listing_21_25", "08-graceful-shutdown", "listing-21-25", false, "disconnected"},
    {"stage09", "09-modern-cpp-pool", "09-modern", true, "stopped"},
};

bool has_line(const std::vector<std::string>& lines, const std::string& wanted) {
    return std::find(lines.begin(), lines.end(), wanted) != lines.end();
}

// The worker that took the only job so far (the idle client's), once its `got a job` line is out.
int wait_for_first_job(ServerProcess& server) {
    int id = -1;
    server.wait_for_stdout(
        [&](const std::vector<std::string>& lines) {
            const auto ids = worker_job_ids(lines);
            if (ids.empty()) return false;
            id = ids.front();
            return true;
        },
        5s);
    return id;
}

}  // namespace

class Stage08_Shutdown : public testing::TestWithParam<GracefulServer> {
protected:
    static std::unique_ptr<ServerProcess> start_server(std::chrono::milliseconds delay = 300ms) {
        return ServerProcess::start(
            {.stage = GetParam().stage, .target = GetParam().target, .slow_request_delay = delay});
    }
};

// No prefix, so the names stay `Stage08_Shutdown.Name/listing_21_25`.
INSTANTIATE_TEST_SUITE_P(, Stage08_Shutdown, testing::ValuesIn(graceful_servers),
                         [](const testing::TestParamInfo<GracefulServer>& server) {
                             return std::string(server.param.name);
                         });

// Every server of the stage that answers: the book's responses, byte for byte. Listing 21-25 and its
// read-timeout variant take two connections and stop, so they are started twice for the three requests.
class Stage08_Answers : public testing::TestWithParam<const char*> {};

INSTANTIATE_TEST_SUITE_P(Stage08, Stage08_Answers,
                         testing::Values("no-listing-04-update-drop-definition", "listing-21-23",
                                         "listing-21-24", "listing-21-25", "cpp-21-25-read-timeout"),
                         target_test_name);

TEST_P(Stage08_Answers, RootSleepAndAnotherPathAnswerAsTheBookByteForByte) {
    const std::string target = GetParam();
    const std::size_t connections = target == "listing-21-25" || target == "cpp-21-25-read-timeout" ? 2 : 3;
    ASSERT_NO_FATAL_FAILURE(
        expect_the_books_three_answers({.stage = "08-graceful-shutdown", .target = target}, connections));
}

TEST_P(Stage08_Shutdown, ServesTwoRequestsThenShutsDownInTheBooksOrderAndExitsZero) {
    auto server = start_server();
    for (const char* path : {"/", "/nothing"}) {
        const auto record = send_request(server->address(), {.path = path});
        ASSERT_EQ(record.outcome, Outcome::Response) << path << ": " << record.error;
    }
    if (GetParam().stops_on_sigterm) server->send_signal(SIGTERM);
    expect_a_graceful_shutdown_in_the_books_order(*server, pool_size, GetParam().worker_ended);
}

TEST_P(Stage08_Shutdown, JobsInFlightWhenShutdownBeginsStillFinish) {
    // Two slow requests at once: main takes both connections and leaves its loop at once, so the pool's
    // destructor starts while both jobs are still queued or sleeping. It drops the sender, but every
    // job already sent still runs, and join() waits for them: both are answered, then the server exits.
    // (Stage 09: SIGTERM once both jobs have been taken.)
    constexpr auto delay = 1000ms;
    auto server = start_server(delay);
    SleepsInFlight sleeps(*server, 2);
    if (GetParam().stops_on_sigterm) {
        ASSERT_TRUE(
            server->wait_for_stdout([](const auto& lines) { return worker_job_ids(lines).size() == 2; }, 5s))
            << worker_lines_note(*server);
        server->send_signal(SIGTERM);
    }
    ASSERT_TRUE(
        server->wait_for_stdout([](const auto& lines) { return has_line(lines, "Shutting down."); }, 5s));
    EXPECT_FALSE(sleeps.answered()) << "the shutdown must have begun while both /sleep were in flight";
    ASSERT_NO_FATAL_FAILURE(
        sleeps.expect_all_answered_then_exit_zero(*server, "the server should exit once both are answered"));
    EXPECT_EQ(worker_job_ids(server->stdout_lines()).size(), 2U) << worker_lines_note(*server);
}

TEST(Stage08_IdleClient, TheBooksShutdownWaitsForAnIdleClientAsLongAsItStays) {
    // Listing 21-25 as the book has it: a client that connects and sends nothing keeps its worker
    // blocked in read(), so that worker never reaches recv() again, and the destructor's join() on it
    // never returns. Nothing but the client going away ends it.
    auto server = start_listing("listing-21-25");
    std::optional<rs::net::TcpStream> idle = rs::net::TcpStream::connect(server->address()).unwrap();
    const int idle_worker = wait_for_first_job(*server);
    ASSERT_GE(idle_worker, 0) << "the idle connection is the first job. " << worker_lines_note(*server);

    const auto record = send_request(server->address(), {.path = "/"});
    ASSERT_EQ(record.outcome, Outcome::Response) << record.error;
    const auto stuck = [&](const std::vector<std::string>& lines) {
        if (!has_line(lines, "Shutting down worker " + std::to_string(idle_worker))) return false;
        for (int id = 0; id < pool_size; ++id) {
            if (id != idle_worker
                && !has_line(lines, "Worker " + std::to_string(id) + " disconnected; shutting down.")) {
                return false;
            }
        }
        return true;
    };
    ASSERT_TRUE(server->wait_for_stdout(stuck, 5s))
        << "the other workers end; the destructor reaches the idle one and says `Shutting down worker N` "
           "before it joins";
    observe({.saw = "an idle client on worker " + std::to_string(idle_worker)
                    + ": the shutdown got to `Shutting down worker " + std::to_string(idle_worker)
                    + "` and stopped",
             .shows = "join() waits for the worker blocked reading the idle connection",
             .expected = "the server still running 3 s later"});
    // Longer than the read-timeout variant's 2 s, so that a bounded wait could not pass for this one.
    EXPECT_FALSE(server->wait_for_exit(3s).has_value()) << "join() waits for the idle worker";
    const auto lines = server->stdout_lines();
    EXPECT_FALSE(has_line(lines, "Worker " + std::to_string(idle_worker) + " disconnected; shutting down."));
    if (idle_worker + 1 < pool_size) {
        EXPECT_FALSE(has_line(lines, "Shutting down worker " + std::to_string(idle_worker + 1)));
    }

    idle.reset();
    EXPECT_TRUE(server->wait_for_exit(5s).has_value()) << "once the idle client has gone, the server ends";
}

TEST(Stage08_IdleClient, WhenTheIdleClientLeavesTheBooksShutdownEndsWithAPanicExit101) {
    // The end of the story above. The client leaves: read() sees end of stream,
    // `lines().next().unwrap()` panics on None and ends the worker's thread, so join() returns Err and
    // the destructor's unwrap panics on main: 101.
    auto server = start_listing("listing-21-25");
    std::optional<rs::net::TcpStream> idle = rs::net::TcpStream::connect(server->address()).unwrap();
    ASSERT_GE(wait_for_first_job(*server), 0)
        << "the idle connection is the first job. " << worker_lines_note(*server);
    const auto record = send_request(server->address(), {.path = "/"});
    ASSERT_EQ(record.outcome, Outcome::Response) << record.error;
    ASSERT_TRUE(
        server->wait_for_stdout([](const auto& lines) { return has_line(lines, "Shutting down."); }, 5s));

    idle.reset();
    const auto status = server->wait_for_exit(5s);
    ASSERT_TRUE(status.has_value()) << "once the idle client has gone, the server ends";
    const auto errors = server->stderr_text();
    observe(
        {.saw = "the idle client left: " + status->describe() + ", "
                + std::to_string(occurrences(errors, rust_text::main_panicked)) + " panic on main",
         .shows =
             "the idle job's panic ends its worker; join() returns Err and the destructor's unwrap panics",
         .expected = "exit status 101, one panic on main"});
    EXPECT_TRUE(status->exited && status->code == 101) << status->describe();
    EXPECT_EQ(occurrences(errors, rust_text::unwrap_none), 1U) << errors;
    EXPECT_EQ(occurrences(errors, rust_text::main_panicked), 1U) << errors;
    EXPECT_EQ(occurrences(errors, rust_text::unwrap_join_error), 1U) << errors;
}

TEST(Stage08_IdleClient, WithAReadTimeoutTheShutdownEndsWithAPanicExit101) {
    // The C++ stage's variant sets a 2 s read timeout: the idle worker's read() fails with WouldBlock,
    // the unwrap panics and ends that worker's thread (the client sees its connection closed, with no
    // response), join() returns Err, and the destructor's unwrap panics on main: exit status 101.
    auto server = start_listing("cpp-21-25-read-timeout");
    const auto connected_at = Clock::now();
    auto idle = rs::net::TcpStream::connect(server->address()).unwrap();
    ASSERT_GE(wait_for_first_job(*server), 0) << worker_lines_note(*server);
    const auto record = send_request(server->address(), {.path = "/"});
    ASSERT_EQ(record.outcome, Outcome::Response) << record.error;

    const auto status = server->wait_for_exit(10s);
    ASSERT_TRUE(status.has_value()) << "the read timeout bounds the shutdown";
    const auto exited_after = Clock::now() - connected_at;
    EXPECT_TRUE(status->exited && status->code == 101) << status->describe();
    EXPECT_GE(exited_after, 1500ms) << "the server ended because the 2 s timeout expired, not before";
    const auto errors = server->stderr_text();
    EXPECT_EQ(occurrences(errors, rust_text::unwrap_err + rust_text::would_block), 1U)
        << errors;
    EXPECT_EQ(occurrences(errors, rust_text::main_panicked), 1U) << errors;
    EXPECT_EQ(occurrences(errors, rust_text::unwrap_join_error), 1U) << errors;

    ASSERT_NO_FATAL_FAILURE(expect_closed_without_response(idle));
}

TEST(Stage08_IdleClient, WithAReadTimeoutTwoPromptRequestsStillShutDownGracefully) {
    auto server = start_listing("cpp-21-25-read-timeout");
    for (const char* path : {"/", "/sleep"}) {
        const auto record = send_request(server->address(), {.path = path});
        ASSERT_EQ(record.outcome, Outcome::Response) << path << ": " << record.error;
    }
    const auto status = server->wait_for_exit(10s);
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(status->exited && status->code == 0) << status->describe() << "\n" << server->stderr_text();
    const auto lines = server->stdout_lines();
    for (int id = 0; id < pool_size; ++id) {
        EXPECT_TRUE(has_line(lines, "Worker " + std::to_string(id) + " disconnected; shutting down.")) << id;
        EXPECT_TRUE(has_line(lines, "Shutting down worker " + std::to_string(id))) << id;
    }
}
