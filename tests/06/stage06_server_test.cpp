// Stage 06, listing 21-20: the working pool, observed from outside. Four workers share the load, a
// fifth request waits for one of them, and a panicking job takes only its own worker with it.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "http_client.hpp"
#include "observation.hpp"
#include "pool_checks.hpp"
#include "server_process.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

constexpr auto delay = 300ms;
const std::string worker_panic = "thread '<unnamed>' panicked at";

std::unique_ptr<ServerProcess> start_listing_21_20() {
    return ServerProcess::start({.stage = "06-working-pool", .target = "listing-21-20", .slow_request_delay = delay});
}

// When each request finished, counted in delays from the first start, earliest first.
std::vector<double> finishes_in_delays(const std::vector<RequestRecord>& records) {
    auto first = records.front().start;
    for (const auto& record : records) first = std::min(first, record.start);
    std::vector<double> finishes;
    for (const auto& record : records) {
        finishes.push_back((record.finish - first) / std::chrono::duration<double>(delay));
    }
    std::sort(finishes.begin(), finishes.end());
    return finishes;
}

}  // namespace

TEST(Stage06_Server, FourSleepsRunSideBySideOnFourWorkers) {
    auto server = start_listing_21_20();
    const auto records = send_concurrently(server->address(), same_request("/sleep", 4));
    ASSERT_EQ(unanswered(records), "");

    // Four delays of work in about one delay. Above 2, no worker can have served two of them.
    const double parallelism = effective_parallelism(records, delay);
    observe({.saw = "four /sleep at once " + finish_in_delays(records, delay), .shows = "side by side, one per worker", .expected = "parallelism between 2.5 and 4.4"});
    EXPECT_GT(parallelism, 2.5) << "four /sleep should overlap";
    EXPECT_LE(parallelism, 4.4);

    // Each job went to a different worker, and each worker said so before running it.
    const auto ids = worker_job_ids(server->stdout_lines());
    ASSERT_EQ(ids.size(), 4U);
    EXPECT_EQ(std::set<int>(ids.begin(), ids.end()), (std::set<int>{0, 1, 2, 3}));
}

TEST(Stage06_Server, AFifthSleepWaitsForAFreeWorker) {
    auto server = start_listing_21_20();
    const auto records = send_concurrently(server->address(), same_request("/sleep", 5));
    ASSERT_EQ(unanswered(records), "");

    const auto finishes = finishes_in_delays(records);
    observe({.saw = "five /sleep at once: four end by " + fixed(finishes[3], 1) + " delays, the fifth at " + fixed(finishes[4], 1), .shows = "four workers cap the concurrency at four; the fifth waited for a free one", .expected = "the fourth within 1.7 delays, the fifth after at least 1.9"});
    // Four finish after about one delay; the fifth had to wait for one of them, then sleep itself.
    EXPECT_LT(finishes[3], 1.7) << "the first four should have run side by side";
    EXPECT_GE(finishes[4], 1.9) << "the fifth should have waited for a free worker";
    EXPECT_EQ(worker_job_ids(server->stdout_lines()).size(), 5U);
}

TEST(Stage06_Server, RootIsAnsweredWhileThreeSleepsAreInFlight) {
    auto server = start_listing_21_20();
    auto plans = same_request("/sleep", 3);
    plans.push_back({.label = "/", .path = "/", .start_after = delay / 4});
    const auto records = send_concurrently(server->address(), plans);
    ASSERT_EQ(unanswered(records), "");

    const auto& root = records.back();
    observe({.saw = "`/` sent while three /sleep are in flight is answered in " + fixed(root.seconds() / std::chrono::duration<double>(delay).count(), 2) + " delays", .shows = "a fourth worker was free to answer at once", .expected = "`/` answered in under 0.5 delays, before every /sleep"});
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_TRUE(root.finish < records[i].finish) << "`/` should not wait behind " << records[i].label;
    }
    EXPECT_LT(root.seconds(), 0.5 * std::chrono::duration<double>(delay).count())
        << "a free worker should answer `/` at once";
}

TEST(Stage06_Server, AnEmptyConnectionEndsOnlyTheWorkerThatTookIt) {
    // Listing 21-20 releases the lock before job() runs: a panic in the job ends that worker's thread,
    // and nothing else. The other three keep serving.
    auto server = start_listing_21_20();
    (void)connect_and_close(server->address(), 50ms);
    ASSERT_TRUE(server->wait_for_stderr(worker_panic, 5s)) << server->stderr_text();
    EXPECT_NE(server->stderr_text().find("called `Option::unwrap()` on a `None` value"), std::string::npos);
    const auto before = worker_job_ids(server->stdout_lines());
    ASSERT_EQ(before.size(), 1U);
    const int dead_worker = before.front();

    const auto records = send_concurrently(server->address(), same_request("/sleep", 4));
    ASSERT_EQ(unanswered(records), "");
    // Three workers left: three sleeps at once, the fourth after them, so about two delays for four.
    const double parallelism = effective_parallelism(records, delay);
    EXPECT_GT(parallelism, 1.4);
    EXPECT_LT(parallelism, 2.7) << "only three workers should be left";

    const auto ids = worker_job_ids(server->stdout_lines());
    ASSERT_EQ(ids.size(), 5U);
    EXPECT_EQ(std::count(ids.begin() + 1, ids.end(), dead_worker), 0) << "worker " << dead_worker << " should be gone";
    EXPECT_EQ(occurrences(server->stderr_text(), "PoisonError"), 0U) << "the lock was not held: nothing is poisoned";
    EXPECT_FALSE(server->wait_for_exit(0ms).has_value()) << "the server itself keeps running";
}

TEST(Stage06_Server, FourEmptyConnectionsLeaveNoWorkerAndTheNextRequestPanicsMain) {
    // Each empty connection ends one worker. When the last one's thread ends, the last Arc of the
    // receiver goes with its closure, the receiver is dropped, and the next `send(job).unwrap()` in
    // execute() panics on the main thread: exit status 101.
    auto server = start_listing_21_20();
    for (int i = 0; i < 4; ++i) (void)connect_and_close(server->address(), 50ms);
    ASSERT_TRUE(server->wait_for_stderr(worker_panic, 5s, 4)) << server->stderr_text();
    const auto ids = worker_job_ids(server->stdout_lines());
    EXPECT_EQ(std::set<int>(ids.begin(), ids.end()), (std::set<int>{0, 1, 2, 3})) << "each worker took one and died";

    const auto after = request_until_exit(*server);
    ASSERT_TRUE(after.status.has_value()) << "the server should have ended; stderr: " << server->stderr_text();
    EXPECT_TRUE(after.status->exited) << after.status->describe();
    EXPECT_EQ(after.status->code, 101) << after.status->describe();
    for (const auto& record : after.records) {
        EXPECT_NE(record.outcome, Outcome::Response) << record.label << " was answered";
    }
    EXPECT_NE(server->stderr_text().find("thread 'main' panicked at"), std::string::npos) << server->stderr_text();
    EXPECT_NE(server->stderr_text().find("called `Result::unwrap()` on an `Err` value: SendError { .. }"),
              std::string::npos)
        << server->stderr_text();
}
