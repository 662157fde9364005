// The extension exercises' checks from outside (./workbook exercise survive-panic | error-handling |
// bounded-queue): stage 06's server, listing-21-20's target, whose files the learner's start or the
// reference solution replace in the exercise's scratch copy (tests/exercises/extensions.meson). Each test
// provokes one failure the extension claims to handle; survive_panic_pool_test.cpp judges that pool from
// inside.
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "http_client.hpp"
#include "observation.hpp"
#include "paths.hpp"
#include "pool_checks.hpp"
#include "proc_status.hpp"
#include "rs/net.hpp"
#include "server_process.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

constexpr int workers = 4;
constexpr auto stage = "06-working-pool";
constexpr auto target = "listing-21-20";

std::unique_ptr<ServerProcess> start_server(std::chrono::milliseconds delay) {
    return ServerProcess::start({.stage = stage, .target = target, .slow_request_delay = delay});
}

int answered(const std::vector<RequestRecord>& records, int status) {
    int count = 0;
    for (const auto& record : records) count += record.outcome == Outcome::Response && record.response.status == status;
    return count;
}

std::string outcome_of(const RequestRecord& record) {
    return record.outcome == Outcome::Response ? record.response.status_line : to_string(record.outcome);
}

// A connection that sends nothing and closes its side at once: the server reads end of file before a line.
RequestRecord send_nothing(const std::string& address) {
    return send_request(address, {.label = "empty", .raw = "", .half_close = true}, 2s);
}

// Whether the server printed a panic within `deadline` (a job that has not run yet has that long).
bool panics_within(ServerProcess& server, std::chrono::milliseconds deadline) {
    return server.wait_for_stderr("panicked", deadline);
}

// A request whose answer is read later: connecting returns once the server's kernel has queued the
// connection, so connections opened one after another reach the server's accept loop in that order.
struct SentRequest {
    std::string label;
    rs::net::TcpStream stream;
    Clock::time_point start;
};

SentRequest send_only(const std::string& address, const std::string& label, const std::string& bytes) {
    const auto start = Clock::now();
    auto stream = rs::net::TcpStream::connect(address).unwrap();
    static_cast<void>(stream.write_all(bytes));
    return {label, std::move(stream), start};
}

SentRequest send_get(const std::string& address, const std::string& label, const std::string& path) {
    return send_only(address, label, "GET " + path + " HTTP/1.1\r\nHost: " + address + "\r\n\r\n");
}

// Reads the answer to `sent` to its end (the server closes the connection after it), up to `deadline`.
RequestRecord read_answer(SentRequest& sent, std::chrono::milliseconds deadline) {
    RequestRecord record;
    record.label = sent.label;
    record.start = sent.start;
    const auto give_up = Clock::now() + deadline;
    char chunk[4096];
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::microseconds>(give_up - Clock::now());
        const timeval timeout{.tv_sec = left.count() / 1000000, .tv_usec = left.count() % 1000000};
        if (left <= 0us || ::setsockopt(sent.stream.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) != 0) {
            record.outcome = Outcome::TimedOut;
            break;
        }
        auto got = sent.stream.read(chunk);
        if (got.is_err() || got.value() == 0) {
            const bool timed_out = got.is_err() && (got.error().kind() == rs::io::ErrorKind::WouldBlock
                                                    || got.error().kind() == rs::io::ErrorKind::TimedOut);
            record.outcome = parse_response(record.raw, record.response) ? Outcome::Response
                             : timed_out                                  ? Outcome::TimedOut
                             : got.is_err()                               ? Outcome::Reset
                                                                          : Outcome::ClosedWithoutResponse;
            break;
        }
        record.raw.append(chunk, got.value());
    }
    record.finish = Clock::now();
    return record;
}

// Closes the connection with a reset (RST) instead of a normal close: SO_LINGER with a zero timeout.
void reset(SentRequest& sent) {
    const linger abort_on_close{.l_onoff = 1, .l_linger = 0};
    ASSERT_EQ(::setsockopt(sent.stream.native_handle(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close), 0);
    auto closing = std::move(sent.stream);  // destroyed here: close() sends the RST
}

}  // namespace

// --- survive-panic: a panicking job must not end its Worker ------------------------------------------

TEST(Extension_SurvivePanic, EightPanickingJobsLeaveFourWorkersServing) {
    constexpr auto delay = 1000ms;
    auto server = start_server(delay);
    for (int i = 0; i < 2 * workers; ++i) (void)send_nothing(server->address());  // each job panics
    auto sleeps = std::async(std::launch::async, [&] { return send_concurrently(server->address(), same_request("/sleep", workers)); });
    std::this_thread::sleep_for(delay / 2);  // the four /sleep are running (a correct pool has 5 threads throughout)
    const auto threads = thread_count(server->pid());
    const auto records = sleeps.get();
    const int served = answered(records, 200);
    const double parallelism = served == workers ? effective_parallelism(records, delay) : 0.0;
    observe({.saw = "after eight panicking jobs, " + std::to_string(served) + " of four /sleep answered"
                    + (served == workers ? ", " + finish_in_delays(records, delay) : std::string())
                    + "; the server had " + std::to_string(threads) + " threads while they ran",
             .shows = "every Worker outlived its panicking job, and no thread was added",
             .expected = "all four answered, side by side (parallelism above 2.5), on 5 threads (main and "
                         "four Workers)"});
    EXPECT_EQ(served, workers) << "the workers (or the server) did not survive the panics\n" << server->stderr_text();
    EXPECT_GT(parallelism, 2.5) << "fewer than four workers are left";
    EXPECT_EQ(threads, workers + 1U) << "the pool started threads beyond its four Workers";
}

// --- error-handling: every unwrap of handle_connection becomes an answer or a clean close ---------------

TEST(Extension_ErrorHandling, AnEmptyConnectionIsClosedWithoutAPanic) {
    auto server = start_server(300ms);
    const auto empty = send_nothing(server->address());
    const bool panicked = panics_within(*server, 500ms);
    const auto after = send_request(server->address(), {.label = "/", .path = "/"});
    observe({.saw = std::string("a connection closed before a line: ") + outcome_of(empty)
                    + (panicked ? ", a panic" : ", no panic") + "; `/` afterwards: " + outcome_of(after),
             .shows = "a connection that sends nothing is closed quietly",
             .expected = "a close without an answer, no panic, and `/` answered 200"});
    EXPECT_FALSE(panicked) << server->stderr_text();
    EXPECT_TRUE(empty.closed_without_response()) << outcome_of(empty);
    EXPECT_TRUE(after.outcome == Outcome::Response) << outcome_of(after) << " " << after.error;
    EXPECT_EQ(after.response.status, 200);
}

TEST(Extension_ErrorHandling, ARequestLineThatIsNotUtf8IsAnswered400) {
    auto server = start_server(300ms);
    const auto garbled = send_request(server->address(), {.label = "not UTF-8", .raw = std::string("\xff\xfe\xfd\r\n\r\n")}, 3s);
    const bool panicked = panics_within(*server, 300ms);
    const auto after = send_request(server->address(), {.label = "/", .path = "/"});
    observe({.saw = "a request line that is not UTF-8 got " + outcome_of(garbled)
                    + (panicked ? ", and a panic" : ", no panic") + "; `/` afterwards: " + outcome_of(after),
             .shows = "a garbled request line is answered `400 BAD REQUEST`",
             .expected = "HTTP/1.1 400 BAD REQUEST, no panic, and `/` answered 200"});
    EXPECT_FALSE(panicked) << server->stderr_text();
    EXPECT_TRUE(garbled.outcome == Outcome::Response) << "the garbled request was not answered: " << outcome_of(garbled);
    EXPECT_EQ(garbled.response.status, 400) << garbled.response.status_line;
    EXPECT_EQ(after.response.status, 200) << outcome_of(after);
}

TEST(Extension_ErrorHandling, AClientThatResetsMidRequestOrBeforeTheAnswerMakesNoPanic) {
    constexpr auto delay = 300ms;
    auto server = start_server(delay);
    // Half a request line, then a reset: the server's read fails (ECONNRESET), and so does its answer.
    auto half = send_only(server->address(), "half a request", "GET / HT");
    std::this_thread::sleep_for(50ms);  // the server has read the half line (a reset before works as well)
    ASSERT_NO_FATAL_FAILURE(reset(half));
    // A whole request, reset while the server sleeps: its write of the answer fails.
    auto gone = send_get(server->address(), "/sleep, reset", "/sleep");
    ASSERT_NO_FATAL_FAILURE(reset(gone));
    const bool panicked = panics_within(*server, delay + 1000ms);
    const auto after = send_request(server->address(), {.label = "/", .path = "/"});
    observe({.saw = std::string("a client reset after half a request line, another while its /sleep ran: ")
                    + (panicked ? "a panic" : "no panic") + "; `/` afterwards: " + outcome_of(after),
             .shows = "a read or write that fails because the client is gone ends the job quietly",
             .expected = "no panic, and `/` answered 200"});
    EXPECT_FALSE(panicked) << server->stderr_text();
    EXPECT_EQ(after.response.status, 200) << outcome_of(after);
}

TEST(Extension_ErrorHandling, APageThatCannotBeReadIsAnswered500) {
    // Run from the build's folder of executables, which holds no hello.html or 404.html: every read of a
    // page fails (NotFound).
    auto server = ServerProcess::start({.slow_request_delay = 300ms, .executable = listing_binary(stage, target)});
    const auto root = send_request(server->address(), {.label = "/", .path = "/"}, 3s);
    const auto missing = send_request(server->address(), {.label = "/missing", .path = "/missing"}, 3s);
    const bool panicked = panics_within(*server, 300ms);
    const bool still_running = !server->wait_for_exit(100ms).has_value();
    observe({.saw = "pages that cannot be read: `/` got " + outcome_of(root) + ", `/missing` got "
                    + outcome_of(missing) + (panicked ? "; a panic" : "; no panic"),
             .shows = "a failed read of the page is answered `500`",
             .expected = "HTTP/1.1 500 INTERNAL SERVER ERROR twice, no panic, the server still running"});
    EXPECT_FALSE(panicked) << server->stderr_text();
    EXPECT_EQ(root.response.status, 500) << outcome_of(root);
    EXPECT_EQ(missing.response.status, 500) << outcome_of(missing);
    EXPECT_TRUE(still_running);
}

// --- bounded-queue: at most four jobs waiting (the running ones not counted); the rest answered 503 ---

TEST(Extension_BoundedQueue, WithFourRunningFourMoreWaitAndTheNinthIsRefused503AtOnce) {
    constexpr auto delay = 1500ms;
    auto server = start_server(delay);
    std::vector<SentRequest> sent;
    for (int i = 1; i <= workers; ++i) sent.push_back(send_get(server->address(), "/sleep #" + std::to_string(i), "/sleep"));
    // However long the four take to start, each then sleeps a whole delay: the next five come well before.
    const bool running = server->wait_for_stdout([](const auto& lines) { return worker_job_ids(lines).size() >= workers; }, 5s);
    std::this_thread::sleep_for(50ms);  // from "got a job" to the job's start, where it leaves the queue
    // One after another, each queued by the time connect returns, so the server takes them in this order.
    for (int i = workers + 1; i <= 2 * workers + 1; ++i) {
        sent.push_back(send_get(server->address(), "/sleep #" + std::to_string(i), "/sleep"));
        std::this_thread::sleep_for(20ms);
    }
    auto ninth = read_answer(sent.back(), delay / 2);
    std::vector<RequestRecord> first_eight;
    for (int i = 0; i < 2 * workers; ++i) first_eight.push_back(read_answer(sent[i], 4 * delay));
    const int ok = answered(first_eight, 200);
    observe({.saw = "four /sleep running, then five more one after another: " + std::to_string(ok)
                    + " of the first eight answered 200; the ninth got " + outcome_of(ninth)
                    + " after " + fixed(ninth.seconds(), 2) + " s",
             .shows = "four jobs run, four wait, and the ninth finds the queue full",
             .expected = "8 answered 200, and the ninth 503 SERVICE UNAVAILABLE within half a delay"});
    EXPECT_TRUE(running) << "the first four /sleep did not all start (four `Worker N got a job` lines)";
    EXPECT_EQ(ok, 2 * workers) << "a request that should have waited in the queue was not served: " << unanswered(first_eight)
                               << " (the bound counts only the jobs waiting, not the four running)";
    EXPECT_TRUE(ninth.outcome == Outcome::Response) << "the ninth request got no answer in time: " << outcome_of(ninth);
    EXPECT_EQ(ninth.response.status, 503) << ninth.response.status_line;
}

TEST(Extension_BoundedQueue, AfterABurstRefusedAtOnceANormalLoadIsServedAgain) {
    constexpr auto delay = 1000ms;
    const double delay_seconds = std::chrono::duration<double>(delay).count();
    auto server = start_server(delay);
    const auto burst = send_concurrently(server->address(), same_request("/sleep", 12), 20s);
    int refused_late = 0;
    for (const auto& record : burst) {
        refused_late += record.outcome == Outcome::Response && record.response.status == 503
                        && record.seconds() > 0.5 * delay_seconds;
    }
    // Every job of the burst has run: a normal load must find the queue empty again.
    const auto load = send_concurrently(server->address(), same_request("/sleep", workers), 10s);
    const int served_after = answered(load, 200);
    observe(
        {.saw = "twelve /sleep at once: " + std::to_string(answered(burst, 200)) + " answered 200, "
                + std::to_string(answered(burst, 503)) + " answered 503 (" + std::to_string(refused_late)
                + " of them after half a delay); then four /sleep: " + std::to_string(served_after)
                + " answered 200",
         .shows = "a full queue is refused at once, and empties again as the Workers take its jobs",
         .expected =
             "at least one 503 and four 200 in the burst, each 503 within half a delay; then all four 200"});
    EXPECT_GE(answered(burst, 503), 1) << "nothing was refused: the queue is unbounded";
    EXPECT_EQ(refused_late, 0) << "a 503 must not wait for a worker";
    EXPECT_GE(answered(burst, 200), workers);
    EXPECT_EQ(served_after, workers) << "after the burst, the queue still counts jobs that have left it: " << unanswered(load);
}
