// The extension exercises' checks (./workbook exercise survive-panic | error-handling | bounded-queue).
// Built only in the exercise's scratch copy (tests/exercises/extensions.meson), against stage 06's
// listing-21-20 target, whose files the learner's start or the reference solution replace there.
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "observation.hpp"
#include "server_process.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<ServerProcess> start_server(std::chrono::milliseconds delay) {
    return ServerProcess::start({.stage = "06-working-pool", .target = "listing-21-20", .slow_request_delay = delay});
}

int answered_200(const std::vector<RequestRecord>& records) {
    int count = 0;
    for (const auto& record : records) count += record.outcome == Outcome::Response && record.response.status == 200;
    return count;
}

}  // namespace

TEST(Extension_SurvivePanic, EightPanickingJobsLeaveFourWorkersServing) {
    constexpr auto delay = 1000ms;
    auto server = start_server(delay);
    for (int i = 0; i < 8; ++i) (void)connect_and_close(server->address(), 2s);  // each job panics (unwrap on None)
    const auto records = send_concurrently(server->address(), same_request("/sleep", 4));
    const int served = answered_200(records);
    const double parallelism = served == 4 ? effective_parallelism(records, delay) : 0.0;
    observe({.saw = "after eight panicking jobs, " + std::to_string(served) + " of four /sleep answered"
                    + (served == 4 ? ", " + finish_in_delays(records, delay) : std::string()),
             .shows = "every Worker outlived its panicking job",
             .expected = "all four answered, side by side (parallelism above 2.5)"});
    EXPECT_EQ(served, 4) << "the workers (or the server) did not survive the panics\n" << server->stderr_text();
    EXPECT_GT(parallelism, 2.5) << "fewer than four workers are left";
}

TEST(Extension_ErrorHandling, EmptyAndGarbledConnectionsPanicNothingAndTheServerServesOn) {
    auto server = start_server(300ms);
    (void)connect_and_close(server->address(), 2s);
    const auto garbled = send_request(server->address(), {.label = "not UTF-8", .raw = std::string("\xff\xfe\xfd\r\n\r\n")});
    const auto after = send_request(server->address(), {.label = "/", .path = "/"});
    const bool still_running = !server->wait_for_exit(200ms).has_value();
    server->kill_and_wait();  // so that stderr is read to its end
    const bool panicked = server->stderr_text().find("panicked") != std::string::npos;
    observe({.saw = std::string("an empty and a garbled connection: ") + (panicked ? "a panic on stderr" : "no panic")
                    + "; the garbled one got " + (garbled.outcome == Outcome::Response ? garbled.response.status_line : to_string(garbled.outcome))
                    + "; `/` afterwards got " + (after.outcome == Outcome::Response ? after.response.status_line : to_string(after.outcome)),
             .shows = "bad input is answered or closed, never a panic",
             .expected = "no panic, and `/` answered 200 while the server still runs"});
    EXPECT_FALSE(panicked) << server->stderr_text();
    EXPECT_TRUE(garbled.outcome == Outcome::Response || garbled.closed_without_response()) << to_string(garbled.outcome);
    ASSERT_EQ(after.outcome, Outcome::Response) << after.error;
    EXPECT_EQ(after.response.status, 200);
    EXPECT_TRUE(still_running);
}

TEST(Extension_BoundedQueue, AFullQueueIsAnswered503AtOnce) {
    constexpr auto delay = 1000ms;
    const double delay_seconds = std::chrono::duration<double>(delay).count();
    auto server = start_server(delay);
    const auto records = send_concurrently(server->address(), same_request("/sleep", 12), 20s);
    int ok = 0, refused = 0, refused_late = 0;
    for (const auto& record : records) {
        if (record.outcome != Outcome::Response) continue;
        if (record.response.status == 200) ++ok;
        if (record.response.status == 503) {
            ++refused;
            refused_late += record.seconds() > 0.5 * delay_seconds;
        }
    }
    observe({.saw = "twelve /sleep at once: " + std::to_string(ok) + " answered 200, " + std::to_string(refused) + " answered 503 ("
                    + std::to_string(refused_late) + " of them after half a delay)",
             .shows = "four running and four waiting at most; the rest refused at once",
             .expected = "at least one 503, each within half a delay, and at least four 200"});
    EXPECT_GE(refused, 1) << "nothing was refused: the queue is unbounded";
    EXPECT_EQ(refused_late, 0) << "a 503 must not wait for a worker";
    EXPECT_GE(ok, 4);
}
