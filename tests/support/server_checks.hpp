// Checks on a running server that the tests of several stages make, written once.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <span>
#include <string_view>
#include <string>
#include <thread>
#include <vector>

#include "http_client.hpp"
#include "observation.hpp"
#include "paths.hpp"
#include "pool_checks.hpp"
#include "rs/net.hpp"
#include "server_process.hpp"

namespace support {

// The bytes the book's handle_connection writes for the file `file` of the stage folder `stage`
// (hello.html, 404.html): `format!("{status_line}\r\nContent-Length: {length}\r\n\r\n{contents}")`.
[[nodiscard]] inline std::string books_response(std::string_view stage, std::string_view status_line,
                                                std::string_view file) {
    const auto contents = stage_file(stage, file);
    return std::string(status_line) + "\r\nContent-Length: " + std::to_string(contents.size()) + "\r\n\r\n" + contents;
}

// `record` is the book's response, byte for byte: `status_line`, one header, `Content-Length`, with the
// length of the file `file` of the stage folder `stage`, and that file as the body. Call it inside
// ASSERT_NO_FATAL_FAILURE.
inline void expect_page(const RequestRecord& record, std::string_view stage, const std::string& status_line,
                        std::string_view file) {
    ASSERT_EQ(record.outcome, Outcome::Response) << record.label << ": " << record.error;
    const auto contents = stage_file(stage, file);
    EXPECT_EQ(record.response.status_line, status_line) << record.label;
    const std::map<std::string, std::string> length_only{{"Content-Length", std::to_string(contents.size())}};
    EXPECT_EQ(record.response.headers, length_only) << record.label << ": the book's response has Content-Length only";
    EXPECT_EQ(record.response.body, contents) << record.label << " should be the stage's " << file;
    // Every byte received, so that nothing else (a stray byte, `\n` for `\r\n`) slips between the parts.
    EXPECT_EQ(record.raw, books_response(stage, status_line, file)) << record.label;
}

// What the book's handle_connection answers: `/` and `/sleep` with hello.html, any other path with 404.html.
struct BooksAnswer {
    const char* path;
    const char* status_line;
    const char* file;
};
inline constexpr BooksAnswer books_answers[] = {
    {"/", "HTTP/1.1 200 OK", "hello.html"},
    {"/sleep", "HTTP/1.1 200 OK", "hello.html"},
    {"/something-else", "HTTP/1.1 404 NOT FOUND", "404.html"},
};

// A listing's target as a gtest parameter's name: `listing-21-25` → `listing_21_25`.
[[nodiscard]] inline std::string target_test_name(const testing::TestParamInfo<const char*>& target) {
    std::string name = target.param;
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

// Starts the server `options` names and sends it the three requests of `books_answers`, one after
// another: each must be answered as the book answers it, byte for byte (expect_page). A server that
// ends after `connections_per_run` connections (21-25's `take(2)`) is started again for the rest.
// Call it inside ASSERT_NO_FATAL_FAILURE.
inline void expect_the_books_three_answers(const ServerOptions& options, std::size_t connections_per_run = 3) {
    std::vector<RequestRecord> records;
    std::unique_ptr<ServerProcess> server;
    for (const auto& answer : books_answers) {
        if (records.size() % connections_per_run == 0) server = ServerProcess::start(options);
        records.push_back(send_request(server->address(), {.label = answer.path, .path = answer.path}));
    }
    std::string saw;
    for (const auto& record : records) {
        saw += (saw.empty() ? "" : "; ") + record.label + ": " +
               (record.outcome == Outcome::Response ? "`" + record.response.status_line + "`, " +
                                                          std::to_string(record.response.body.size()) + " bytes"
                                                    : std::string(to_string(record.outcome)));
    }
    observe(
        {.saw = saw,
         .shows = "the book's status lines, Content-Length and files, byte for byte",
         .expected = "200 OK with hello.html for `/` and `/sleep`, 404 NOT FOUND with 404.html otherwise"});
    for (std::size_t i = 0; i < records.size(); ++i) {
        ASSERT_NO_FATAL_FAILURE(expect_page(records[i], options.stage, books_answers[i].status_line, books_answers[i].file));
    }
}

// Four `/sleep` at once on a server with four workers: all answered; `parallelism` is how many ran side
// by side (effective_parallelism), observed as `shows` against `expected`. Call it inside
// ASSERT_NO_FATAL_FAILURE.
inline void four_sleeps_at_once(const ServerProcess& server, std::chrono::milliseconds delay, const std::string& shows,
                                const std::string& expected, double& parallelism) {
    measuring("four /sleep at once on four workers");
    const auto records = send_concurrently(server.address(), same_request("/sleep", 4));
    ASSERT_TRUE(all_answered(records));
    parallelism = effective_parallelism(records, delay);
    observe({.saw = "four /sleep at once on four workers " + finish_in_delays(records, delay),
             .shows = shows,
             .expected = expected});
}

// Once the server has stopped (kill_and_wait, or its exit): the ids of its `Worker N got a job;
// executing.` lines, observed against `expected` of them (`shows` says what that count means).
inline std::vector<int> observe_worker_lines(const ServerProcess& server, std::size_t expected, const std::string& shows) {
    const auto ids = worker_job_ids(server.stdout_lines());
    std::string workers;
    for (const int id : ids) workers += (workers.empty() ? "" : ", ") + std::to_string(id);
    const std::string note = worker_lines_note(server);
    observe({.saw = note.empty() ? std::to_string(ids.size())
                                       + " `Worker N got a job; executing.` lines (workers " + workers + ")"
                                 : note,
             .shows = shows,
             .expected = std::to_string(expected) + " `Worker N got a job; executing.` lines"});
    return ids;
}

// A client that connected and sent nothing, once the server has ended: its connection was closed
// without a byte of response (read() gives 0, end of stream). Call it inside ASSERT_NO_FATAL_FAILURE.
inline void expect_closed_without_response(rs::net::TcpStream& idle) {
    using namespace std::chrono_literals;
    ASSERT_TRUE(idle.set_read_timeout(2000ms).is_ok());
    char byte = 0;
    auto got = idle.read(std::span<char>(&byte, 1));
    ASSERT_TRUE(got.is_ok()) << got.error().debug();
    EXPECT_EQ(got.value(), 0U) << "the idle client's connection is closed without a response";
}

// `/sleep`, then `/` a quarter into the delay, on a server that serves one request at a time (`shows`
// says why, for the observation): `/` can only be answered once `/sleep` is done, so it finishes a whole
// delay after `/sleep` started, not right after it was sent. (Both answers leave within microseconds of
// each other, so their finish order alone is not a safe signal.) Call it inside ASSERT_NO_FATAL_FAILURE.
inline void expect_root_waits_behind_sleep(const ServerProcess& server, std::chrono::milliseconds delay,
                                           const std::string& shows) {
    measuring("`/`, sent 0.25 delays after /sleep, ends some delays after it");
    const auto records = send_concurrently(server.address(), {{.label = "/sleep", .path = "/sleep"},
                                                              {.label = "/", .path = "/", .start_after = delay / 4}});
    ASSERT_EQ(records[0].outcome, Outcome::Response) << records[0].error;
    ASSERT_EQ(records[1].outcome, Outcome::Response) << records[1].error;
    const std::chrono::duration<double> delay_seconds = delay;
    observe({.saw = "`/`, sent 0.25 delays after /sleep, ends "
                    + fixed((records[1].finish - records[0].start) / delay_seconds, 2) + " delays after it",
             .shows = shows,
             .expected = "`/` to end at least 0.9 delays after /sleep started"});
    EXPECT_GE(records[1].finish - records[0].start, 0.9 * delay) << "`/` must wait for `/sleep`";
    // `/` alone takes milliseconds; here it waits out most of the remaining delay.
    EXPECT_GT(records[1].seconds(), 0.4 * delay_seconds.count());
}

// `count` `/sleep` sent at once from a thread of their own, so that the test can stop the server while
// they are in flight.
class SleepsInFlight {
public:
    SleepsInFlight(const ServerProcess& server, int count)
        : clients_([this, address = server.address(), count] {
              records_ = send_concurrently(address, same_request("/sleep", count));
              answered_ = true;
          }) {}

    [[nodiscard]] bool answered() const { return answered_.load(); }

    // Once the shutdown has begun: every `/sleep` is answered 200, then the server exits with status 0
    // (`exits_because` says why it should). Call it inside ASSERT_NO_FATAL_FAILURE.
    void expect_all_answered_then_exit_zero(ServerProcess& server, const std::string& exits_because) {
        using namespace std::chrono_literals;
        clients_.join();
        for (const auto& record : records_) {
            ASSERT_EQ(record.outcome, Outcome::Response) << record.label << ": " << record.error;
            EXPECT_EQ(record.response.status, 200) << record.label;
        }
        const auto status = server.wait_for_exit(10s);
        ASSERT_TRUE(status.has_value()) << exits_because;
        EXPECT_TRUE(status->exited && status->code == 0) << status->describe() << "\n" << server.stderr_text();
    }

private:
    std::atomic<bool> answered_{false};
    std::vector<RequestRecord> records_;
    std::jthread clients_;  // last: it starts once the rest is built
};

}  // namespace support

// The test that every server of a stage answers /, /sleep and another path as the book's, byte for
// byte: SUITE is the stage's testing::TestWithParam<const char*> over its targets.
#define WORKBOOK_ANSWERS_AS_THE_BOOK(SUITE, STAGE, DELAY)                           \
    TEST_P(SUITE, RootSleepAndAnotherPathAnswerAsTheBookByteForByte) {             \
        ASSERT_NO_FATAL_FAILURE(support::expect_the_books_three_answers(           \
            {.stage = STAGE, .target = GetParam(), .slow_request_delay = DELAY})); \
    }
