// Stage 08, listing 21-25 and its read-timeout variant: the server serves two connections, then the
// pool's destructor shuts it down; observed from outside through its log lines and its exit status.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <span>
#include <thread>

#include "http_client.hpp"
#include "observation.hpp"
#include "pool_checks.hpp"
#include "rs/net.hpp"
#include "server_process.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

constexpr int pool_size = 4;

std::unique_ptr<ServerProcess> start_listing(const char* target, std::chrono::milliseconds delay = 300ms) {
    return ServerProcess::start({.stage = "08-graceful-shutdown", .target = target, .slow_request_delay = delay});
}

// Where each line of interest is in the server's stdout; -1 if absent, -2 if it appears more than once.
struct ShutdownLog {
    explicit ShutdownLog(std::vector<std::string> printed) : lines(std::move(printed)) {}

    [[nodiscard]] int index_of(const std::string& line) const {
        const auto first = std::find(lines.begin(), lines.end(), line);
        if (first == lines.end()) return -1;
        if (std::find(first + 1, lines.end(), line) != lines.end()) return -2;
        return static_cast<int>(first - lines.begin());
    }
    [[nodiscard]] int shutting_down() const { return index_of("Shutting down."); }
    [[nodiscard]] int shutting_down_worker(int id) const { return index_of("Shutting down worker " + std::to_string(id)); }
    [[nodiscard]] int disconnected(int id) const {
        return index_of("Worker " + std::to_string(id) + " disconnected; shutting down.");
    }
    // The index of every `Worker N got a job; executing.` line, with its N.
    [[nodiscard]] std::vector<std::pair<int, int>> jobs() const {
        std::vector<std::pair<int, int>> found;
        for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
            if (auto id = worker_job_id(lines[static_cast<std::size_t>(i)])) found.emplace_back(i, *id);
        }
        return found;
    }
    [[nodiscard]] std::string text() const {
        std::string all;
        for (const auto& line : lines) all += line + "\n";
        return all;
    }

    std::vector<std::string> lines;
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

TEST(Stage08_Shutdown, ServesTwoRequestsThenShutsDownInTheBooksOrderAndExitsZero) {
    auto server = start_listing("listing-21-25");
    for (const char* path : {"/", "/nothing"}) {
        const auto record = send_request(server->address(), {.path = path});
        ASSERT_EQ(record.outcome, Outcome::Response) << path << ": " << record.error;
    }
    const auto status = server->wait_for_exit(10s);
    ASSERT_TRUE(status.has_value()) << "after two connections the server must end by itself";
    observe({.saw = "two requests answered, then the server " + status->describe(), .shows = "the pool's destructor joined its four workers: a graceful shutdown", .expected = "exit status 0 and nothing on stderr"});
    EXPECT_TRUE(status->exited && status->code == 0) << status->describe() << "\n" << server->stderr_text();
    EXPECT_EQ(server->stderr_text(), "") << "a graceful shutdown panics nowhere";

    const ShutdownLog log(server->stdout_lines());
    SCOPED_TRACE("stdout:\n" + log.text());
    const int shutting_down = log.shutting_down();
    ASSERT_GE(shutting_down, 0) << "`Shutting down.` exactly once";
    const auto jobs = log.jobs();
    ASSERT_EQ(jobs.size(), 2U) << "two connections, two jobs";
    // The first request was answered before the second connected, so before main left its loop; the
    // second job may be picked up before or after `Shutting down.` (the book shows it after).
    EXPECT_LT(jobs[0].first, shutting_down);
    for (int id = 0; id < pool_size; ++id) {
        const int joining = log.shutting_down_worker(id);
        const int disconnected = log.disconnected(id);
        ASSERT_GE(joining, 0) << "`Shutting down worker " << id << "` exactly once";
        ASSERT_GE(disconnected, 0) << "`Worker " << id << " disconnected` exactly once";
        // The destructor runs after main's last line; it drops the sender, and only then can a worker
        // see its recv() fail.
        EXPECT_GT(joining, shutting_down);
        EXPECT_GT(disconnected, shutting_down);
        if (id > 0) {
            EXPECT_GT(joining, log.shutting_down_worker(id - 1)) << "joined in the vector's order";
            // join() on worker id-1 returned only after its thread left the loop.
            EXPECT_GT(joining, log.disconnected(id - 1)) << "worker " << id - 1 << " was joined before it ended";
        }
    }
    for (const auto& [index, id] : jobs) {
        EXPECT_LT(index, log.disconnected(id)) << "a worker runs what was queued before it disconnects";
    }
}

TEST(Stage08_Shutdown, JobsInFlightWhenShutdownBeginsStillFinish) {
    // Two slow requests at once: main takes both connections and leaves its loop at once, so the pool's
    // destructor starts while both jobs are still queued or sleeping. It drops the sender, but every
    // job already sent still runs, and join() waits for them: both are answered, then the server exits.
    constexpr auto delay = 1000ms;
    auto server = start_listing("listing-21-25", delay);
    std::atomic<bool> answered{false};
    std::vector<RequestRecord> records;
    std::jthread clients([&] {
        records = send_concurrently(server->address(), same_request("/sleep", 2));
        answered = true;
    });
    ASSERT_TRUE(server->wait_for_stdout([](const auto& lines) { return has_line(lines, "Shutting down."); }, 5s));
    EXPECT_FALSE(answered.load()) << "the shutdown must have begun while both /sleep were in flight";
    clients.join();
    for (const auto& record : records) {
        ASSERT_EQ(record.outcome, Outcome::Response) << record.label << ": " << record.error;
        EXPECT_EQ(record.response.status, 200) << record.label;
    }
    const auto status = server->wait_for_exit(10s);
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(status->exited && status->code == 0) << status->describe() << "\n" << server->stderr_text();
    EXPECT_EQ(worker_job_ids(server->stdout_lines()).size(), 2U);
}

TEST(Stage08_IdleClient, TheBooksShutdownWaitsForAnIdleClientAsLongAsItStays) {
    // Listing 21-25 as the book has it: a client that connects and sends nothing keeps its worker
    // blocked in read(), so that worker never reaches recv() again, and the destructor's join() on it
    // never returns. Nothing but the client going away ends it.
    auto server = start_listing("listing-21-25");
    std::optional<rs::net::TcpStream> idle = rs::net::TcpStream::connect(server->address()).unwrap();
    const int idle_worker = wait_for_first_job(*server);
    ASSERT_GE(idle_worker, 0) << "the idle connection is the first job";

    const auto record = send_request(server->address(), {.path = "/"});
    ASSERT_EQ(record.outcome, Outcome::Response) << record.error;
    const auto stuck = [&](const std::vector<std::string>& lines) {
        if (!has_line(lines, "Shutting down worker " + std::to_string(idle_worker))) return false;
        for (int id = 0; id < pool_size; ++id) {
            if (id != idle_worker && !has_line(lines, "Worker " + std::to_string(id) + " disconnected; shutting down.")) {
                return false;
            }
        }
        return true;
    };
    ASSERT_TRUE(server->wait_for_stdout(stuck, 5s)) << "the other workers end; the destructor reaches the idle one";
    observe({.saw = "an idle client on worker " + std::to_string(idle_worker) + ": the shutdown got to `Shutting down worker " + std::to_string(idle_worker) + "` and stopped", .shows = "join() waits for the worker blocked reading the idle connection", .expected = "the server still running 3 s later"});
    // Longer than the read-timeout variant's 2 s, so that a bounded wait could not pass for this one.
    EXPECT_FALSE(server->wait_for_exit(3s).has_value()) << "join() waits for the idle worker";
    const auto lines = server->stdout_lines();
    EXPECT_FALSE(has_line(lines, "Worker " + std::to_string(idle_worker) + " disconnected; shutting down."));
    if (idle_worker + 1 < pool_size) {
        EXPECT_FALSE(has_line(lines, "Shutting down worker " + std::to_string(idle_worker + 1)));
    }

    // The client leaves: read() sees end of stream, `lines().next().unwrap()` panics on None and ends
    // the worker's thread, so join() returns Err and the destructor's unwrap panics on main: 101.
    idle.reset();
    const auto status = server->wait_for_exit(5s);
    ASSERT_TRUE(status.has_value()) << "once the idle client has gone, the server ends";
    EXPECT_TRUE(status->exited && status->code == 101) << status->describe();
    const auto errors = server->stderr_text();
    EXPECT_EQ(occurrences(errors, "called `Option::unwrap()` on a `None` value"), 1U) << errors;
    EXPECT_EQ(occurrences(errors, "thread 'main' panicked at"), 1U) << errors;
    EXPECT_EQ(occurrences(errors, "called `Result::unwrap()` on an `Err` value: Any { .. }"), 1U) << errors;
}

TEST(Stage08_IdleClient, WithAReadTimeoutTheShutdownEndsWithAPanicExit101) {
    // The C++ stage's variant sets a 2 s read timeout: the idle worker's read() fails with WouldBlock,
    // the unwrap panics and ends that worker's thread (the client sees its connection closed, with no
    // response), join() returns Err, and the destructor's unwrap panics on main: exit status 101.
    auto server = start_listing("listing-21-25-read-timeout");
    const auto connected_at = Clock::now();
    auto idle = rs::net::TcpStream::connect(server->address()).unwrap();
    ASSERT_GE(wait_for_first_job(*server), 0);
    const auto record = send_request(server->address(), {.path = "/"});
    ASSERT_EQ(record.outcome, Outcome::Response) << record.error;

    const auto status = server->wait_for_exit(10s);
    ASSERT_TRUE(status.has_value()) << "the read timeout bounds the shutdown";
    const auto exited_after = Clock::now() - connected_at;
    EXPECT_TRUE(status->exited && status->code == 101) << status->describe();
    EXPECT_GE(exited_after, 1500ms) << "the server ended because the 2 s timeout expired, not before";
    const auto errors = server->stderr_text();
    EXPECT_EQ(occurrences(errors, "called `Result::unwrap()` on an `Err` value: Os { code: 11, kind: WouldBlock"), 1U)
        << errors;
    EXPECT_EQ(occurrences(errors, "thread 'main' panicked at"), 1U) << errors;
    EXPECT_EQ(occurrences(errors, "called `Result::unwrap()` on an `Err` value: Any { .. }"), 1U) << errors;

    ASSERT_TRUE(idle.set_read_timeout(2000ms).is_ok());
    char byte = 0;
    auto got = idle.read(std::span<char>(&byte, 1));
    ASSERT_TRUE(got.is_ok()) << got.error().debug();
    EXPECT_EQ(got.value(), 0U) << "the idle client's connection is closed without a response";
}

TEST(Stage08_IdleClient, WithAReadTimeoutTwoPromptRequestsStillShutDownGracefully) {
    auto server = start_listing("listing-21-25-read-timeout");
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
