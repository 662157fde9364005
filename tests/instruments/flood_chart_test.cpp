// The flood's drawing and verdicts on hand-made runs with fixed time points (no server): exact text
// for the drawing, and each stage's verdict on a run that is what the book says, on each other stage's
// run, and on runs that break one of the conditions it states.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "flood.hpp"
#include "rust_messages.hpp"
#include "stage_stories.hpp"

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

// In colour (what the docs' pictures draw bars from): each bar, and the scale's `#`, painted, in the
// same columns as without colour.
TEST(Flood_Chart, InColourEachBarIsPaintedAndTheColumnsStay) {
    const std::string expected =
        "  time threads (\x1b[36m#\x1b[0m = 1 thread)     memory address space  answered  lost\n"
        "0.00 s      3 \x1b[36m###\x1b[0m                4.0 MB      10.0 MB         0     0\n"
        "0.10 s      5 \x1b[36m#####\x1b[0m              5.0 MB      14.0 MB         0     0\n"
        "0.20 s      3 \x1b[36m###\x1b[0m                5.0 MB      10.0 MB         3     0\n"
        "0.29 s      1 \x1b[36m#\x1b[0m                  4.0 MB       6.0 MB         4     0\n";
    EXPECT_EQ(draw_flood(thread_per_request_run(), four_requests, {.width = 66, .rows = 4, .colour = true}), expected);
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

// A stage whose story serves one request at a time is flooded with fewer requests, so that its flood
// ends in seconds; every other stage with the flood's default.
TEST(Flood_Plan, AStageServedOneAtATimeIsFloodedWithFewerRequests) {
    for (const auto& story : stage_stories()) {
        const auto plan = default_flood_plan(story.number);
        const bool one_at_a_time =
            story.flood == FloodStory::one_at_a_time || story.flood == FloodStory::serialised_by_the_lock;
        if (one_at_a_time) {
            EXPECT_LE(plan.requests * plan.delay, 3s) << "stage " << story.number << ": " << plan.requests;
        } else {
            EXPECT_EQ(plan.requests, FloodPlan{}.requests) << "stage " << story.number;
        }
    }
    EXPECT_EQ(default_flood_plan("99").requests, FloodPlan{}.requests) << "a stage without a story";
}

namespace {

// Each stage's flood, as `./workbook flood NN` measures it, on one plan (40 requests of 100 ms, all at
// once): the threads sampled and how each request ended, in the shapes of real runs with round figures.
// Under the address-space limit stage 02 dies; every other stage's run is the same with or without it.
struct StageFlood {
    FloodRun run;
    std::string server_stderr;
};

const FloodPlan forty{.requests = 40, .delay = 100ms, .ramp = 0ms};

FloodPlan under_the_limit(FloodPlan plan) {
    plan.address_space_limit = rust_flood_address_space_limit;
    return plan;
}

// `threads` sampled throughout; request i ends at `finish(i)` milliseconds with `outcome`.
FloodRun flood_run(int threads, const std::function<int(int)>& finish, Outcome outcome = Outcome::Response) {
    FloodRun run;
    run.start = t0;
    run.before = {threads, 4 * megabyte, 14 * megabyte};
    int last = 0;
    for (int i = 0; i < forty.requests; ++i) {
        run.records.push_back(sleep_request(0ms, std::chrono::milliseconds(finish(i)), outcome));
        last = std::max(last, finish(i));
    }
    for (int at = 0; at <= last; at += 10) run.samples.push_back(sample(std::chrono::milliseconds(at), threads, 4, 14));
    return run;
}

// The floods, a stage a row, in the shapes of real runs.
std::map<std::string, StageFlood, std::less<>> make_stage_floods() {
    const auto one_at_a_time = [](int i) { return 100 * (i + 1); };
    const auto waves_of_four = [](int i) { return 100 * (i / 4 + 1) + i % 4; };
    const auto all_at_once = [](int i) { return 100 + i % 5; };
    const auto dropped = [](int i) { return 1 + i % 3; };
    FloodRun thread_per_request = flood_run(1, all_at_once);
    for (auto& taken : thread_per_request.samples) taken.status.threads = forty.requests + 1;
    FloodRun receiver_gone = flood_run(5, dropped, Outcome::Reset);
    receiver_gone.end = ServerEnd{{.exited = true, .code = 101}, t0 + 3ms};
    // Two connections answered, then the pool is dropped and the server exits 0: the rest refused.
    FloodRun two_then_exit = flood_run(5, [](int i) { return i < 2 ? 100 : 101; }, Outcome::ConnectFailed);
    two_then_exit.records[0].outcome = two_then_exit.records[1].outcome = Outcome::Response;
    two_then_exit.end = ServerEnd{{.exited = true, .code = 0}, t0 + 101ms};
    return {
        {"01", {flood_run(1, one_at_a_time), ""}},
        {"02", {thread_per_request, ""}},
        {"03", {flood_run(1, dropped, Outcome::ClosedWithoutResponse), ""}},
        {"04", {flood_run(5, dropped, Outcome::ClosedWithoutResponse), ""}},
        {"05", {receiver_gone,
                rust_text::main_panicked + "src/lib.rs:40:33:\n" + rust_text::unwrap_err + rust_text::send_error + "\n"}},
        {"06", {flood_run(5, waves_of_four), ""}},  // main and four workers
        {"07", {flood_run(5, one_at_a_time), ""}},
        {"08", {two_then_exit, ""}},
        {"09", {flood_run(5, waves_of_four), ""}},
        {"10", {flood_run(1, all_at_once), ""}},
        {"11", {flood_run(4, all_at_once), ""}},  // the event loop on four threads
    };
}

// Under the address-space limit, the stages whose flood differs: 02's threads climb until the OS
// refuses one, `main` panics and the process exits 101.
std::map<std::string, StageFlood, std::less<>> make_stage_floods_under_the_limit() {
    FloodRun run = flood_run(1, [](int) { return 30; }, Outcome::Reset);
    for (auto& taken : run.samples) taken.status.threads = 30;
    run.end = ServerEnd{{.exited = true, .code = 101}, t0 + 30ms};
    return {{"02", {run, rust_text::main_panicked + "common/rs/thread.cpp:48:14:\n" + rust_text::spawn_failed +
                             "Os { .. }\n"}}};
}

StageFlood flood_of(std::string_view stage, bool limited) {
    static const auto floods = make_stage_floods();
    static const auto floods_under_the_limit = make_stage_floods_under_the_limit();
    if (const auto found = floods_under_the_limit.find(stage); limited && found != floods_under_the_limit.end()) {
        return found->second;
    }
    return floods.find(stage)->second;
}

const char* const flood_stages[] = {"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11"};

}  // namespace

TEST(Flood_Verdict, EachVerdictAcceptsItsStageAndNoOtherStagesFlood) {
    for (int number = 12; number < 100; ++number) {
        const std::string stage = std::to_string(number);
        EXPECT_FALSE(judge_flood(stage, flood_of("01", false).run, forty, "").has_value())
            << "stage " << stage << " has a flood verdict: add its flood to flood_of and flood_stages";
    }
    for (const bool limited : {false, true}) {
        const FloodPlan plan = limited ? under_the_limit(forty) : forty;
        for (const char* judged : flood_stages) {
            if (!judge_flood(judged, flood_of(judged, limited).run, plan, "").has_value()) continue;  // only measured
            const auto own = flood_of(judged, limited);
            const auto verdict = judge_flood(judged, own.run, plan, own.server_stderr);
            EXPECT_TRUE(verdict->as_the_book_says) << "stage " << judged << (limited ? " under the limit" : "") << ": "
                                                   << verdict->line;
            for (const char* other : flood_stages) {
                // Stage 09's pool floods as 21-20's does: main and four workers, answering in waves of four.
                const bool same_story = std::string_view(judged) == other ||
                                        (std::string_view(judged) == "06" && std::string_view(other) == "09");
                if (same_story) continue;
                const auto story = flood_of(other, limited);
                const auto judged_other = judge_flood(judged, story.run, plan, story.server_stderr);
                EXPECT_FALSE(judged_other->as_the_book_says)
                    << "stage " << judged << "'s flood verdict" << (limited ? " under the limit" : "") << " accepts stage "
                    << other << "'s flood: " << judged_other->line;
            }
        }
    }
}

// Each condition a flood verdict's line states, failing alone.
TEST(Flood_Verdict, EveryConditionOfEachVerdictFailsItAlone) {
    const auto with = [](FloodRun run, const std::function<void(FloodRun&)>& change) {
        change(run);
        return run;
    };
    const auto threads = [](int count) {
        return [count](FloodRun& run) {
            run.before.threads = count;
            for (auto& taken : run.samples) taken.status.threads = count;
        };
    };
    const auto ended = [](FloodRun& run) { run.end = ServerEnd{{.exited = true, .code = 0}, t0 + 5000ms}; };
    const auto none_answered = [](FloodRun& run) { for (auto& r : run.records) r.outcome = Outcome::Reset; };
    const auto one_lost = [](FloodRun& run) { run.records.back().outcome = Outcome::Reset; };
    const auto rejects = [](std::string_view stage, const FloodRun& run, const FloodPlan& plan, const std::string& stderr_text = "") {
        return !judge_flood(stage, run, plan, stderr_text)->as_the_book_says;
    };
    // 01: one thread; some answered; one at a time; still running.
    const auto run01 = flood_of("01", false).run;
    EXPECT_TRUE(rejects("01", with(run01, threads(2)), forty));
    EXPECT_TRUE(rejects("01", with(run01, none_answered), forty));
    EXPECT_TRUE(rejects("01", flood_of("10", false).run, forty)) << "one thread, but all at once";
    EXPECT_TRUE(rejects("01", with(run01, ended), forty));
    // 02: every request answered; still running; a thread per request in flight.
    const auto run02 = flood_of("02", false).run;
    EXPECT_TRUE(rejects("02", with(run02, one_lost), forty));
    EXPECT_TRUE(rejects("02", with(run02, ended), forty));
    EXPECT_TRUE(rejects("02", with(run02, threads(19)), forty)) << "fewer threads than half the requests in flight";
    // 02 under the limit: it died, exit status 101, Rust's panic, requests lost.
    const auto dead = flood_of("02", true);
    const auto limited = under_the_limit(forty);
    EXPECT_TRUE(rejects("02", with(dead.run, [](FloodRun& run) { run.end.reset(); }), limited, dead.server_stderr));
    EXPECT_TRUE(rejects("02", with(dead.run, [](FloodRun& run) { run.end->status.code = 134; }), limited, dead.server_stderr));
    EXPECT_TRUE(rejects("02", dead.run, limited, "terminate called after throwing an instance of 'std::system_error'\n"));
    EXPECT_TRUE(rejects("02", with(dead.run, [](FloodRun& run) { for (auto& r : run.records) r.outcome = Outcome::Response; }),
                        limited, dead.server_stderr));
    // 06: five threads; every request answered; no more than four at a time, and in waves of four, not one
    // at a time; still running.
    const auto run06 = flood_of("06", false).run;
    EXPECT_TRUE(rejects("06", with(run06, threads(6)), forty));
    EXPECT_TRUE(rejects("06", with(run06, one_lost), forty));
    EXPECT_TRUE(rejects("06", flood_of("11", false).run, forty) && rejects("06", with(flood_of("11", false).run, threads(5)), forty))
        << "five threads, but all at once";
    EXPECT_TRUE(rejects("06", flood_of("07", false).run, forty)) << "five threads, but one at a time";
    EXPECT_TRUE(rejects("06", with(run06, ended), forty));
    // 07: five threads; some answered; one at a time; still running.
    const auto run07 = flood_of("07", false).run;
    EXPECT_TRUE(rejects("07", with(run07, threads(1)), forty));
    EXPECT_TRUE(rejects("07", with(run07, none_answered), forty));
    EXPECT_TRUE(rejects("07", run06, forty)) << "five threads, but four at a time";
    EXPECT_TRUE(rejects("07", with(run07, ended), forty));
}
