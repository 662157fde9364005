// Stage 06, listing 21-20: the working pool, observed from outside. Four workers share the load, a
// fifth request waits for one of them, and a panicking job takes only its own worker with it.
// The first four tests are parameterised over the servers that behave as 21-20 does: listing 21-20
// (suite 06), stage 07's literal translation of 21-21 (tests/07 runs them with
// --gtest_filter='*/cpp_21_21_literal') and stage 09's modern pool (tests/09, '*/stage09').
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "http_client.hpp"
#include "observation.hpp"
#include "pool_behaviour.hpp"
#include "pool_checks.hpp"
#include "rust_messages.hpp"
#include "server_checks.hpp"
#include "server_process.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

constexpr auto delay = 500ms;  // long enough that a loaded machine's latencies stay small beside it
const std::string worker_panic = rust_text::worker_panicked;

std::unique_ptr<ServerProcess> start_listing_21_20() {
    return ServerProcess::start(
        {.stage = "06-working-pool", .target = "listing-21-20", .slow_request_delay = delay});
}

// A server with four workers that must behave as listing 21-20 does in the parameterised tests.
struct PoolServer {
    // the test name's suffix: `Stage06_Server.FourSleepsRunSideBySideOnFourWorkers/stage09`
    const char* name;
    const char* stage;
    const char* target;
};

// How gtest shows the parameter in a failure message.
[[maybe_unused]] void PrintTo(const PoolServer& server, std::ostream* out) {
    *out << server.stage << "/" << server.target;
}

const PoolServer pool_servers[] = {
    {"listing_21_20", "06-working-pool", "listing-21-20"},
    {"cpp_21_21_literal", "07-while-let-bug", "cpp-21-21-literal"},
    {"stage09", "09-modern-cpp-pool", "09-modern"},
};

}  // namespace

class Stage06_Server : public testing::TestWithParam<PoolServer> {
protected:
    static std::unique_ptr<ServerProcess> start_server() {
        return ServerProcess::start(
            {.stage = GetParam().stage, .target = GetParam().target, .slow_request_delay = delay});
    }
};

// No prefix, so the names stay `Stage06_Server.Name/listing_21_20`, beside the unparameterised tests.
INSTANTIATE_TEST_SUITE_P(, Stage06_Server, testing::ValuesIn(pool_servers),
                         [](const testing::TestParamInfo<PoolServer>& server) {
                             return std::string(server.param.name);
                         });

TEST_P(Stage06_Server, RootSleepAndAnotherPathAnswerAsTheBookByteForByte) {
    ASSERT_NO_FATAL_FAILURE(expect_the_books_three_answers(
        {.stage = GetParam().stage, .target = GetParam().target, .slow_request_delay = delay}));
}

TEST_P(Stage06_Server, FourSleepsRunSideBySideOnFourWorkers) {
    auto server = start_server();
    // Four delays of work in about one delay. Above 2, no worker can have served two of them.
    double parallelism = 0;
    ASSERT_NO_FATAL_FAILURE(four_sleeps_at_once(*server, delay, "side by side, one per worker",
                                                "parallelism between 2.5 and 4.4", parallelism));
    EXPECT_GT(parallelism, 2.5) << "four /sleep should overlap";
    EXPECT_LE(parallelism, 4.4);

    // Each job went to a different worker, and each worker said so before running it (judged once the
    // server is stopped and all it printed is read).
    server->kill_and_wait();
    const auto ids = observe_worker_lines(*server, 4, "each of the four workers said it got a job");
    ASSERT_EQ(ids.size(), 4U) << worker_lines_note(*server);
    EXPECT_EQ(std::set<int>(ids.begin(), ids.end()), (std::set<int>{0, 1, 2, 3}));
}

TEST_P(Stage06_Server, AFifthSleepWaitsForAFreeWorker) {
    auto server = start_server();
    measuring("five /sleep at once on four workers: when the fourth and the fifth end");
    const auto records = send_concurrently(server->address(), same_request("/sleep", 5));
    ASSERT_TRUE(all_answered(records));

    const auto finishes = sorted_finishes(records, delay);
    observe({.saw = "five /sleep at once: four end by " + fixed(finishes[3], 1) + " delays, the fifth at "
                    + fixed(finishes[4], 1),
             .shows = "four workers cap the concurrency at four; the fifth waited for a free one",
             .expected = "the fourth within 1.7 delays, the fifth after at least 1.9"});
    // Four finish after about one delay; the fifth had to wait for one of them, then sleep itself.
    EXPECT_LT(finishes[3], 1.7) << "the first four should have run side by side";
    EXPECT_GE(finishes[4], 1.9) << "the fifth should have waited for a free worker";
    server->kill_and_wait();
    EXPECT_EQ(worker_job_ids(server->stdout_lines()).size(), 5U) << worker_lines_note(*server);
}

TEST_P(Stage06_Server, RootIsAnsweredWhileThreeSleepsAreInFlight) {
    auto server = start_server();
    measuring("`/` sent while three /sleep are in flight: how soon it is answered");
    auto plans = same_request("/sleep", 3);
    plans.push_back({.label = "/", .path = "/", .start_after = delay / 4});
    const auto records = send_concurrently(server->address(), plans);
    ASSERT_TRUE(all_answered(records));

    const auto& root = records.back();
    observe({.saw = "`/` sent while three /sleep are in flight is answered in "
                    + fixed(root.seconds() / std::chrono::duration<double>(delay).count(), 2) + " delays",
             .shows = "a fourth worker was free to answer at once",
             .expected = "`/` answered in under 0.5 delays, before every /sleep"});
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_TRUE(root.finish < records[i].finish) << "`/` should not wait behind " << records[i].label;
    }
    EXPECT_LT(root.seconds(), 0.5 * std::chrono::duration<double>(delay).count())
        << "a free worker should answer `/` at once";
}

// Listing 21-20 only (stage 09's workers survive a failing job: tests/09).
TEST_F(Stage06_Server, AnEmptyConnectionEndsOnlyTheWorkerThatTookIt) {
    // Listing 21-20 releases the lock before job() runs: a panic in the job ends that worker's thread,
    // and nothing else. The other three keep serving.
    auto server = start_listing_21_20();
    (void)connect_and_close(server->address(), 50ms);
    ASSERT_TRUE(server->wait_for_stderr(worker_panic, 5s)) << server->stderr_text();
    EXPECT_NE(server->stderr_text().find(rust_text::unwrap_none), std::string::npos);
    // The worker's line is on stdout, the panic on stderr: two pipes, read by two threads, in no set order.
    ASSERT_TRUE(server->wait_for_stdout([](const auto& lines) { return !worker_job_ids(lines).empty(); }, 5s))
        << worker_lines_note(*server);
    const auto before = worker_job_ids(server->stdout_lines());
    ASSERT_EQ(before.size(), 1U);
    const int dead_worker = before.front();

    ASSERT_NO_FATAL_FAILURE(like_21_20::expect_three_workers_left(*server, delay));

    server->kill_and_wait();
    const auto ids = worker_job_ids(server->stdout_lines());
    ASSERT_EQ(ids.size(), 5U);
    EXPECT_EQ(std::count(ids.begin() + 1, ids.end(), dead_worker), 0)
        << "worker " << dead_worker << " should be gone";
    EXPECT_EQ(occurrences(server->stderr_text(), rust_text::poison_error_type), 0U)
        << "the lock was not held: nothing is poisoned";
}

// Listing 21-20 only (stage 09's workers survive a failing job: tests/09).
TEST_F(Stage06_Server, FourEmptyConnectionsLeaveNoWorkerAndTheNextRequestPanicsMain) {
    // Each empty connection ends one worker. When the last one's thread ends, the last Arc of the
    // receiver goes with its closure, the receiver is dropped, and the next `send(job).unwrap()` in
    // execute() panics on the main thread: exit status 101.
    auto server = start_listing_21_20();
    for (int i = 0; i < 4; ++i) (void)connect_and_close(server->address(), 50ms);
    ASSERT_TRUE(server->wait_for_stderr(worker_panic, 5s, 4)) << server->stderr_text();

    ASSERT_NO_FATAL_FAILURE(like_21_20::expect_main_panicked_on_send(*server, request_until_exit(*server)));
    const auto ids = worker_job_ids(server->stdout_lines());  // complete: the server has exited
    EXPECT_EQ(std::set<int>(ids.begin(), ids.end()), (std::set<int>{0, 1, 2, 3}))
        << "each worker took one and died";
}
