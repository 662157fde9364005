// The flood's drawing and verdicts on hand-made runs with fixed time points (no server): exact text
// for the drawing, and each stage's verdict on a run that is what the book says and on one that is not.
#include <gtest/gtest.h>

#include "flood.hpp"
#include "rust_messages.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

const Clock::time_point t0 = Clock::time_point{} + 1h;  // any fixed instant
constexpr std::size_t megabyte = 1'000'000;

RequestRecord sleep_request(std::chrono::milliseconds start, std::chrono::milliseconds finish,
                            Outcome outcome = Outcome::Response) {
    RequestRecord made;
    made.label = "/sleep";
    made.path = "/sleep";
    made.start = t0 + start;
    made.finish = t0 + finish;
    made.outcome = outcome;
    return made;
}

ProcessSample sample(std::chrono::milliseconds at, int threads, std::size_t resident_mb, std::size_t address_mb) {
    return {t0 + at, {threads, resident_mb * megabyte, address_mb * megabyte}};
}

// Stage 02's picture: four requests, a thread each, all answered after a delay.
FloodRun thread_per_request_run() {
    FloodRun run;
    run.start = t0;
    run.before = {1, 4 * megabyte, 6 * megabyte};
    run.samples = {sample(0ms, 1, 4, 6), sample(50ms, 3, 4, 10), sample(100ms, 5, 5, 14), sample(150ms, 5, 5, 14),
                   sample(250ms, 3, 5, 10), sample(350ms, 1, 4, 6)};
    run.records = {sleep_request(0ms, 210ms), sleep_request(20ms, 230ms), sleep_request(40ms, 250ms),
                   sleep_request(60ms, 390ms)};
    return run;
}

const FloodPlan four_requests{.requests = 4, .delay = 200ms, .ramp = 60ms};

}  // namespace

TEST(Flood_Chart, ThreadsMemoryAndAnswersPerTimeSlice) {
    // Rows of 97.5 ms: the most threads and memory sampled in each, the answers by its end.
    const std::string expected =
        "  time threads (# = 1 thread)     memory address space  answered  lost\n"
        "0.00 s      3 ###                4.0 MB      10.0 MB         0     0\n"
        "0.10 s      5 #####              5.0 MB      14.0 MB         0     0\n"
        "0.20 s      3 ###                5.0 MB      10.0 MB         3     0\n"
        "0.29 s      1 #                  4.0 MB       6.0 MB         4     0\n";
    EXPECT_EQ(draw_flood(thread_per_request_run(), four_requests, {.width = 66, .rows = 4}), expected);
}

TEST(Flood_Chart, AServerThatDiedEndsTheDrawingAndIsSaidSo) {
    FloodRun run = thread_per_request_run();
    run.samples.resize(3);
    run.end = ServerEnd{{.exited = true, .code = 101}, t0 + 120ms};
    for (auto& record : run.records) {
        record.outcome = Outcome::Reset;
        record.finish = t0 + 120ms;
    }
    const auto drawing = draw_flood(run, four_requests, {.width = 66, .rows = 2});
    EXPECT_NE(drawing.find("0.06 s      5 #####              5.0 MB      14.0 MB         0     4\n"
                           "Then the server exited with status 101, at 0.12 s; in all 0\nanswered, 4 lost"),
              std::string::npos)
        << drawing;
}

TEST(Flood_Chart, RequestsStillWaitingWhenTheFloodGaveUpAreSaidSo) {
    FloodRun run = thread_per_request_run();
    run.records[3].outcome = Outcome::TimedOut;
    const auto drawing = draw_flood(run, four_requests, {.width = 66, .rows = 4});
    EXPECT_NE(drawing.find("1 requests were still waiting for an answer when the flood gave\nup, after 0.39 s"),
              std::string::npos)
        << drawing;
    EXPECT_NE(drawing.find("0.29 s      1 #                  4.0 MB       6.0 MB         3     1\n"), std::string::npos)
        << drawing;
}

TEST(Flood_Verdict, Stage02ThreadsClimbWithTheRequestsInFlight) {
    const auto verdict = judge_flood("02", thread_per_request_run(), four_requests, "");
    ASSERT_TRUE(verdict.has_value());
    EXPECT_TRUE(verdict->as_the_book_says) << verdict->line;
    FloodRun capped = thread_per_request_run();
    for (auto& taken : capped.samples) taken.status.threads = std::min(taken.status.threads, 2);
    EXPECT_FALSE(judge_flood("02", capped, four_requests, "")->as_the_book_says);
}

TEST(Flood_Verdict, Stage02UnderTheLimitMustDieWithRustsPanicAnd101) {
    FloodPlan limited = four_requests;
    limited.address_space_limit = rust_flood_address_space_limit;
    FloodRun run = thread_per_request_run();
    run.end = ServerEnd{{.exited = true, .code = 101}, t0 + 120ms};
    for (auto& record : run.records) record.outcome = Outcome::Reset;
    const std::string panic = rust_text::panic_report("main", 4242, "common/rs/thread.cpp:48:14", rust_text::spawn_failed + "Os { .. }");
    EXPECT_TRUE(judge_flood("02", run, limited, panic)->as_the_book_says);
    EXPECT_FALSE(judge_flood("02", run, limited, "terminate called after throwing std::system_error\n")->as_the_book_says);
    run.end->status = {.exited = false, .signal = 6};  // std::thread's abort
    EXPECT_FALSE(judge_flood("02", run, limited, panic)->as_the_book_says);
}

TEST(Flood_Verdict, Stage06FiveThreadsAndEveryRequestAnswered) {
    FloodRun run;
    run.start = t0;
    run.before = {5, 4 * megabyte, 14 * megabyte};
    const FloodPlan eight{.requests = 8, .delay = 100ms, .ramp = 0ms};
    for (int i = 0; i < 8; ++i) {
        const auto finish = std::chrono::milliseconds(100 * (i / 4 + 1) + i % 4);
        run.records.push_back(sleep_request(0ms, finish));
        run.samples.push_back(sample(finish - 50ms, 5, 4, 14));
    }
    EXPECT_TRUE(judge_flood("06", run, eight, "")->as_the_book_says) << judge_flood("06", run, eight, "")->line;
    FloodRun grew = run;
    grew.samples.push_back(sample(150ms, 9, 5, 22));
    EXPECT_FALSE(judge_flood("06", grew, eight, "")->as_the_book_says);
    FloodRun lost = run;
    lost.records.back().outcome = Outcome::Reset;
    EXPECT_FALSE(judge_flood("06", lost, eight, "")->as_the_book_says);
}

TEST(Flood_Verdict, AStageWithoutAFloodVerdictIsOnlyMeasured) {
    EXPECT_FALSE(judge_flood("10", thread_per_request_run(), four_requests, "").has_value());
    EXPECT_EQ(describe_flood(thread_per_request_run(), four_requests),
              "4 of 4 answered; threads 1 idle, 5 at most; address space at most 14.0 MB");
}
