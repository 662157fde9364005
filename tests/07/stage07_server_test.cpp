// Stage 07, from outside: listing 21-21 (the lock held while the job runs, as Rust's `while let`
// does) serves one request at a time and dies whole when one job panics; the literal C++ translation
// (cpp-21-21-literal, the guard gone before the body) behaves like listing 21-20 instead.
#include <gtest/gtest.h>


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
const std::string poisoned = rust_text::unwrap_poison_error;

ServerOptions listing(const char* target) {
    return {.stage = "07-while-let-bug", .target = target, .slow_request_delay = delay};
}

std::unique_ptr<ServerProcess> start_listing(const char* target) { return ServerProcess::start(listing(target)); }

std::unique_ptr<ServerProcess> start_listing_21_21() { return start_listing("listing-21-21"); }
std::unique_ptr<ServerProcess> start_literal_translation() { return start_listing("cpp-21-21-literal"); }

}  // namespace

TEST(Stage07_Server, RootSleepAndAnotherPathAnswerAsTheBookByteForByte) {
    ASSERT_NO_FATAL_FAILURE(expect_the_books_three_answers(listing("listing-21-21")));
}

TEST(Stage07_Server, FourSleepsFinishOneAfterAnotherDespiteFourWorkers) {
    auto server = start_listing_21_21();
    double parallelism = 0;
    ASSERT_NO_FATAL_FAILURE(four_sleeps_at_once(*server, delay,
                                                "one at a time, though three workers were free: the lock is "
                                                "held while the job runs — the bug reproduced",
                                                "parallelism between 0.6 and 1.5 (one /sleep at a time)",
                                                parallelism));
    EXPECT_GT(parallelism, 0.6);
    EXPECT_LT(parallelism, 1.5) << "the lock held through each job lets one /sleep run at a time";
    server->kill_and_wait();
    EXPECT_EQ(observe_worker_lines(*server, 4, "each /sleep was taken by a worker, which said so").size(), 4U)
        << worker_lines_note(*server);
}

TEST(Stage07_Server, RootWaitsBehindASleepWhileThreeWorkersAreIdle) {
    auto server = start_listing_21_21();
    // `/`, sent a quarter into the delay, is received only once the /sleep job is done and its
    // worker's guard is dropped at the end of the loop body.
    ASSERT_NO_FATAL_FAILURE(expect_root_waits_behind_sleep(
        *server, delay, "it waited for the /sleep job, though three workers were idle"));
}

TEST(Stage07_Server, AnEmptyConnectionPoisonsTheLockAndEveryWorkerDies) {
    // The job panics while its worker holds the guard: unwinding drops the guard and poisons the
    // mutex. Each other worker then gets Err(PoisonError) from lock(), and its unwrap() panics too.
    // With the last worker goes the receiver, and the next request's send panics main: exit 101.
    auto server = start_listing_21_21();
    (void)connect_and_close(server->address(), 50ms);
    ASSERT_TRUE(server->wait_for_stderr(worker_panic, 5s, 4)) << server->stderr_text();

    const auto after = request_until_exit(*server);
    ASSERT_TRUE(after.status.has_value())
        << "the server should have ended; stderr: " << server->stderr_text();
    // Judged once it has exited, so all it printed is read.
    const auto log = server->stderr_text();
    observe({.saw = "one empty connection: " + std::to_string(occurrences(log, worker_panic))
                    + " workers panicked, " + std::to_string(occurrences(log, poisoned))
                    + " of them on the poisoned lock",
             .shows = "the job panicked holding the guard, which poisoned the mutex for the other three",
             .expected = "1 unwrap on None, then 3 PoisonError panics"});
    EXPECT_EQ(occurrences(log, worker_panic), 4U) << log;
    EXPECT_EQ(occurrences(log, rust_text::unwrap_none), 1U) << log;
    EXPECT_EQ(occurrences(log, poisoned), 3U) << "the three other workers die on the poisoned lock\n" << log;
    EXPECT_EQ(worker_job_ids(server->stdout_lines()).size(), 1U)
        << "only one job ever ran. " << worker_lines_note(*server);
    like_21_20::expect_main_panicked_on_send(*server, after);
}

// The literal translation's four sleeps side by side, a fifth waiting, `/` answered meanwhile: stage
// 06's parameterised tests (Stage06_Server.*/cpp_21_21_literal), run in suite 07 (tests/07).

TEST(Stage07_LiteralServer, AnEmptyConnectionEndsOnlyItsWorkerAndPoisonsNothing) {
    auto server = start_literal_translation();
    (void)connect_and_close(server->address(), 50ms);
    ASSERT_TRUE(server->wait_for_stderr(worker_panic, 5s)) << server->stderr_text();

    ASSERT_NO_FATAL_FAILURE(like_21_20::expect_three_workers_left(*server, delay));
    server->kill_and_wait();
    EXPECT_EQ(occurrences(server->stderr_text(), worker_panic), 1U) << server->stderr_text();
    EXPECT_EQ(occurrences(server->stderr_text(), rust_text::poison_error_type), 0U) << server->stderr_text();
}
