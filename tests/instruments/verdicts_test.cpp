// Each stage's verdict on hand-made records: the stage behaving as the book says, and not.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stage_stories.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

const Clock::time_point t0 = Clock::time_point{} + 1h;
constexpr auto delay = 1000ms;

RequestRecord record(std::string path, std::chrono::milliseconds start, std::chrono::milliseconds finish,
                     Outcome outcome = Outcome::Response) {
    RequestRecord made;
    made.label = path;
    made.path = std::move(path);
    made.start = t0 + start;
    made.finish = t0 + finish;
    made.outcome = outcome;
    if (outcome == Outcome::Response) made.response.status_line = "HTTP/1.1 200 OK";
    return made;
}

std::vector<RequestRecord> sleeps_finishing_at(std::initializer_list<std::chrono::milliseconds> finishes) {
    std::vector<RequestRecord> records;
    for (const auto finish : finishes) records.push_back(record("/sleep", 0ms, finish));
    return records;
}

ServerEnd exited(int code, std::chrono::milliseconds at) { return {{.exited = true, .code = code}, t0 + at}; }

}  // namespace

namespace {

// Each stage's demo, as `./workbook demo NN --delay-ms 1000` records it: the requests of the stage's
// scenario in its order, with the timing the stage's real server gives them, and how the server ended
// (the shapes of real runs, with round figures).
struct StageTimeline {
    std::vector<RequestRecord> records;
    std::optional<ServerEnd> end;
};

std::map<std::string, StageTimeline, std::less<>> make_stage_timelines() {
    const auto root_at_once = record("/", 250ms, 252ms);
    auto thread_per_request = sleeps_finishing_at({1000ms, 1000ms, 1001ms, 1002ms, 1002ms});
    thread_per_request.push_back(root_at_once);
    // 10 and 11: twelve sleeps on timers, side by side, and `/` at once.
    auto event_loop = sleeps_finishing_at({1000ms, 1000ms, 1001ms, 1001ms, 1002ms, 1002ms, 1003ms, 1003ms, 1004ms,
                                           1004ms, 1005ms, 1005ms});
    event_loop.push_back(record("/", 250ms, 251ms));
    return {
        {"01", {{record("/sleep", 0ms, 1000ms), record("/", 250ms, 1001ms)}, {}}},
        {"02", {thread_per_request, {}}},
        {"03", {{record("/", 0ms, 1ms, Outcome::ClosedWithoutResponse)}, {}}},
        {"04", {{record("/", 0ms, 1ms, Outcome::Reset)}, {}}},
        {"05", {{record("/", 250ms, 252ms, Outcome::Reset)}, exited(101, 255ms)}},
        {"06", {sleeps_finishing_at({1000ms, 1001ms, 1001ms, 1002ms, 2003ms}), {}}},
        {"07", {sleeps_finishing_at({1000ms, 2001ms, 3002ms, 4003ms}), {}}},
        {"08", {{record("/sleep", 0ms, 1000ms), root_at_once}, exited(0, 1010ms)}},
        {"09", {sleeps_finishing_at({1000ms, 1001ms, 1001ms, 1002ms, 2003ms}), exited(0, 2010ms)}},
        {"10", {event_loop, {}}},
        {"11", {event_loop, {}}},
    };
}

StageTimeline timeline_of(std::string_view stage) {
    static const auto timelines = make_stage_timelines();
    return timelines.find(stage)->second;
}

const char* const demo_stages[] = {"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11"};

// Stages whose stories are one story told twice: the same scenario, the same verdict, the same picture.
bool same_story(std::string_view a, std::string_view b) {
    const auto pair = [&](std::string_view x, std::string_view y) { return (a == x && b == y) || (a == y && b == x); };
    return a == b || pair("03", "04") || pair("10", "11");
}

}  // namespace

TEST(Demo_Verdicts, Stage01RootWaitsBehindSleep) {
    const auto waited = root_waits_behind_sleep({record("/sleep", 0ms, 1000ms), record("/", 250ms, 1001ms)}, delay);
    EXPECT_TRUE(waited.as_the_book_says);
    EXPECT_EQ(waited.line, "`/` waited 0.75 s behind `/sleep`: one thread serves one request at a time");
    const auto did_not = root_waits_behind_sleep({record("/sleep", 0ms, 1000ms), record("/", 250ms, 252ms)}, delay);
    EXPECT_FALSE(did_not.as_the_book_says) << did_not.line;
}

TEST(Demo_Verdicts, Stage02RootAtOnceAndEverySleepSideBySide) {
    auto records = sleeps_finishing_at({1000ms, 1000ms, 1001ms, 1002ms, 1002ms});
    records.push_back(record("/", 250ms, 252ms));
    const auto verdict = thread_per_request(records, delay);
    EXPECT_TRUE(verdict.as_the_book_says);
    EXPECT_EQ(verdict.line, "`/` answered in 0.00 s; 5 of 5 `/sleep` ran at once (parallelism 5.0): a thread for "
                            "every request, and no cap");
    auto capped = sleeps_finishing_at({1000ms, 1000ms, 1000ms, 1000ms, 2000ms});
    capped.push_back(record("/", 250ms, 252ms));
    EXPECT_FALSE(thread_per_request(capped, delay).as_the_book_says);
}

TEST(Demo_Verdicts, Stage03And04ConnectionDroppedUnanswered) {
    const auto dropped = dropped_unanswered({record("/", 0ms, 1ms, Outcome::Reset)}, std::nullopt);
    EXPECT_TRUE(dropped.as_the_book_says);
    EXPECT_EQ(dropped.line, "`/` got no response (reset after 0.00 s): `execute` drops the job, and the connection with it");
    EXPECT_FALSE(dropped_unanswered({record("/", 0ms, 1ms)}, std::nullopt).as_the_book_says);
    EXPECT_FALSE(dropped_unanswered({record("/", 0ms, 1ms, Outcome::Reset)}, exited(101, 5ms)).as_the_book_says);
}

TEST(Demo_Verdicts, Stage05SendFailsAndMainPanics) {
    const auto panicked = send_fails_on_dropped_receiver({record("/", 0ms, 2ms, Outcome::Reset)}, 1500ms, exited(101, 10ms));
    EXPECT_TRUE(panicked.as_the_book_says);
    EXPECT_EQ(panicked.line, "`/` got no response (reset) and the server exited with status 101: `send` found the "
                             "receiver dropped, and `unwrap` panicked");
    const auto hung = send_fails_on_dropped_receiver({record("/", 0ms, 1500ms, Outcome::TimedOut)}, 1500ms, std::nullopt);
    EXPECT_FALSE(hung.as_the_book_says);
    EXPECT_EQ(hung.line, "`/` got no answer in 1.50 s (the demo's deadline), and the server still runs: expected "
                         "`send` to fail and the server to exit with status 101");
    EXPECT_FALSE(send_fails_on_dropped_receiver({record("/", 0ms, 2ms)}, 1500ms, std::nullopt).as_the_book_says);
    EXPECT_FALSE(send_fails_on_dropped_receiver({record("/", 0ms, 2ms, Outcome::Reset)}, 1500ms, exited(0, 10ms))
                     .as_the_book_says);
}

TEST(Demo_Verdicts, Stage06FourAtOnceTheFifthWaits) {
    const auto capped = capped_at_workers(sleeps_finishing_at({1000ms, 1001ms, 1001ms, 1002ms, 2003ms}), delay, 4);
    EXPECT_TRUE(capped.as_the_book_says);
    EXPECT_EQ(capped.line, "at most 4 of 5 `/sleep` ran at once, all done after 2.0 delays: 4 workers, the rest "
                           "wait their turn in the channel");
    EXPECT_FALSE(capped_at_workers(sleeps_finishing_at({1000ms, 1000ms, 1000ms, 1000ms, 1000ms}), delay, 4)
                     .as_the_book_says);
    EXPECT_FALSE(capped_at_workers(sleeps_finishing_at({1000ms, 2000ms, 3000ms, 4000ms, 5000ms}), delay, 4)
                     .as_the_book_says);
}

TEST(Demo_Verdicts, Stage07OneAtATimeWithFourWorkers) {
    const auto serial = serialised_by_lock(sleeps_finishing_at({1000ms, 2001ms, 3002ms, 4003ms}), delay, 4);
    EXPECT_TRUE(serial.as_the_book_says);
    EXPECT_EQ(serial.line, "parallelism 1.0 with 4 workers: the lock is held while the job runs, so the jobs run "
                           "one at a time");
    const auto parallel = serialised_by_lock(sleeps_finishing_at({1000ms, 1000ms, 1001ms, 1002ms}), delay, 4);
    EXPECT_FALSE(parallel.as_the_book_says);
    EXPECT_EQ(parallel.line, "parallelism 4.0 with 4 workers: expected 1.0 for 4 or more `/sleep`, the lock held "
                             "while each job runs");
}

TEST(Demo_Verdicts, Stage08ExitsZeroAfterTheSlowRequest) {
    const std::vector<RequestRecord> both = {record("/sleep", 0ms, 1000ms), record("/", 250ms, 252ms)};
    const auto graceful = graceful_exit(both, exited(0, 1010ms));
    EXPECT_TRUE(graceful.as_the_book_says);
    EXPECT_EQ(graceful.line, "both answered; the server exited with status 0 at 1.01 s, after `/sleep` was done: "
                             "dropping the pool waits for every Worker");
    EXPECT_FALSE(graceful_exit(both, exited(0, 500ms)).as_the_book_says) << "it left before /sleep was done";
    EXPECT_FALSE(graceful_exit(both, exited(101, 1010ms)).as_the_book_says);
    EXPECT_FALSE(graceful_exit(both, std::nullopt).as_the_book_says);
}

TEST(Demo_Verdicts, Stage09AllAnsweredThenExitsZeroOnSigterm) {
    const auto five = sleeps_finishing_at({1000ms, 1001ms, 1001ms, 1002ms, 2003ms});
    const auto drained = answered_all_then_exited_on_sigterm(five, delay, 4, exited(0, 2010ms));
    EXPECT_TRUE(drained.as_the_book_says);
    EXPECT_EQ(drained.line, "all 5 `/sleep` answered, at most 4 at once; the server exited with status 0 at 2.01 s, "
                            "after the last answer: SIGTERM ends the accept loop, and the pool's destructor runs "
                            "every job already queued");
    EXPECT_FALSE(answered_all_then_exited_on_sigterm(five, delay, 4, exited(0, 1500ms)).as_the_book_says)
        << "it left before the queued one was answered";
    EXPECT_FALSE(answered_all_then_exited_on_sigterm(five, delay, 4, std::nullopt).as_the_book_says);
    EXPECT_FALSE(answered_all_then_exited_on_sigterm(five, delay, 4, exited(1, 2010ms)).as_the_book_says);
    auto lost = five;
    lost.back().outcome = Outcome::Reset;
    EXPECT_FALSE(answered_all_then_exited_on_sigterm(lost, delay, 4, exited(0, 2010ms)).as_the_book_says);
}

TEST(Demo_Verdicts, Stage10And11EverySleepSideBySideAndRootAtOnce) {
    const auto records = timeline_of("10").records;
    const auto verdict = event_loop_without_cap(records, delay, 1);
    EXPECT_TRUE(verdict.as_the_book_says);
    EXPECT_EQ(verdict.line, "`/` answered in 0.00 s; 12 of 12 `/sleep` ran at once, all done after 1.0 delays: one "
                            "thread and a timer per request; no request holds a thread while it waits");
    EXPECT_EQ(judge("10", records, delay, std::nullopt).line, verdict.line);
    EXPECT_NE(judge("11", records, delay, std::nullopt).line.find("4 threads"), std::string::npos);

    auto serialised = sleeps_finishing_at({1000ms, 2000ms, 3000ms});
    serialised.push_back(record("/", 250ms, 1001ms));
    EXPECT_FALSE(event_loop_without_cap(serialised, delay, 1).as_the_book_says) << "a blocking sleep's picture";
    auto capped = sleeps_finishing_at({1000ms, 1000ms, 1000ms, 1000ms, 2000ms});
    capped.push_back(record("/", 250ms, 251ms));
    EXPECT_FALSE(event_loop_without_cap(capped, delay, 4).as_the_book_says) << "four threads blocked by sleeps";
    for (const char* stage : {"10", "11"}) {
        const auto scenario = scenario_for(stage, delay);
        ASSERT_TRUE(scenario.has_value()) << stage;
        EXPECT_GT(scenario->plans.size(), 5U) << "more sleeps than stage 06's pool could run at once";
    }
}

TEST(Demo_Verdicts, PeakServedAtOnceCountsOverlappingWork) {
    EXPECT_EQ(peak_served_at_once(sleeps_finishing_at({1000ms, 1000ms, 2000ms}), delay), 2);
    EXPECT_EQ(peak_served_at_once(sleeps_finishing_at({1000ms, 2000ms, 3000ms}), delay), 1);
    auto with_failure = sleeps_finishing_at({1000ms});
    with_failure.push_back(record("/sleep", 0ms, 1000ms, Outcome::Reset));
    EXPECT_EQ(peak_served_at_once(with_failure, delay), 1) << "an unanswered request did no work";
}

TEST(Demo_Scenarios, EveryStageHasOneAndJudgeDispatchesByStage) {
    for (const char* stage : {"01", "02", "03", "04", "05", "06", "07", "08", "09"}) {
        const auto scenario = scenario_for(stage, delay);
        ASSERT_TRUE(scenario.has_value()) << stage;
        EXPECT_FALSE(scenario->plans.empty()) << stage;
        EXPECT_FALSE(story_of(stage)->what_to_notice.empty()) << stage;
    }
    EXPECT_FALSE(scenario_for("99", delay).has_value());
    EXPECT_EQ(scenario_for("06-working-pool", delay)->plans.size(), 5U) << "one more /sleep than workers";
    const auto records = sleeps_finishing_at({1000ms, 1001ms, 1001ms, 1002ms, 2003ms});
    EXPECT_EQ(judge("06-working-pool", records, delay, std::nullopt).line, capped_at_workers(records, delay, 4).line);
    EXPECT_FALSE(judge("99", records, delay, std::nullopt).as_the_book_says);
}

TEST(Demo_Verdicts, EachStageTimelineIsItsOwnStoryAndNoOtherStages) {
    for (int number = 1; number < 100; ++number) {
        const std::string stage = (number < 10 ? "0" : "") + std::to_string(number);
        if (!scenario_for(stage, delay)) continue;
        EXPECT_NE(std::find(std::begin(demo_stages), std::end(demo_stages), stage), std::end(demo_stages))
            << "stage " << stage << " has a demo: add its timeline to timeline_of and demo_stages";
    }
    for (const char* stage : demo_stages) {
        const auto scenario = scenario_for(stage, delay);
        ASSERT_TRUE(scenario.has_value()) << stage;
        const auto own = timeline_of(stage);
        ASSERT_EQ(own.records.size(), scenario->plans.size()) << "stage " << stage << "'s timeline has its scenario's requests";
        const auto verdict = judge(stage, own.records, delay, own.end);
        EXPECT_TRUE(verdict.as_the_book_says) << "stage " << stage << " on its own timeline: " << verdict.line;
        for (const char* other : demo_stages) {
            if (same_story(stage, other)) continue;
            const auto story = timeline_of(other);
            const auto judged = judge(stage, story.records, delay, story.end);
            EXPECT_FALSE(judged.as_the_book_says)
                << "stage " << stage << "'s verdict accepts stage " << other << "'s timeline: " << judged.line;
        }
    }
}

// Each stage's story in its place: one entry per stage, in order, and its book section names the listing
// the stage stands for (`./workbook list`), so that two stories' texts swapped show.
TEST(Demo_Scenarios, EachStoryIsOneStagesInOrderAndNamesItsListing) {
    const std::map<std::string_view, std::string_view> named = {
        {"01", "21-10"}, {"02", "21-11"}, {"03", "21-15"}, {"04", "21-17"}, {"05", "21-19"},
        {"06", "21-20"}, {"07", "21-21"}, {"08", "Graceful Shutdown"}, {"09", "goes beyond"},
        {"10", "09_04"}, {"11", "09_05"}};
    std::vector<std::string_view> numbers;
    for (const auto& story : stage_stories()) {
        numbers.push_back(story.number);
        const auto found = named.find(story.number);
        ASSERT_NE(found, named.end()) << "stage " << story.number << " has a story but no listing named here";
        EXPECT_NE(story.book_section.find(found->second), std::string_view::npos)
            << "stage " << story.number << "'s book section: " << story.book_section;
        for (const auto& [other, listing] : named) {
            if (other != story.number && listing.starts_with("21-") &&
                story.book_section.find(listing) != std::string_view::npos) {
                ADD_FAILURE() << "stage " << story.number << "'s book section names stage " << other
                              << "'s listing " << listing << ": " << story.book_section;
            }
        }
    }
    EXPECT_EQ(numbers, (std::vector<std::string_view>(std::begin(demo_stages), std::end(demo_stages))));
}

TEST(Demo_Verdicts, AServerThatEndsIsNotTheStoryOfAStageThatGoesOnServing) {
    for (const char* stage : {"01", "02", "06", "07", "10", "11"}) {
        const auto story = timeline_of(stage);
        const auto ended = judge(stage, story.records, delay, exited(0, 5000ms));
        EXPECT_FALSE(ended.as_the_book_says) << stage << ": " << ended.line;
        EXPECT_NE(ended.line.find("goes on serving"), std::string::npos) << ended.line;
    }
}

TEST(Demo_Verdicts, RecordsOfOtherRequestsAreNotTheScenario) {
    const auto twelve = timeline_of("10");
    const auto verdict = judge("02", twelve.records, delay, std::nullopt);
    EXPECT_FALSE(verdict.as_the_book_says);
    EXPECT_EQ(verdict.line, "the records hold 13 requests, not stage 02's 6 (five `/sleep` at once, and `/` a quarter "
                            "of a delay later)");
    EXPECT_TRUE(thread_per_request(twelve.records, delay).as_the_book_says) << "on its own, the pictures are alike";
}

// Each condition a verdict's line states, failing alone.
TEST(Demo_Verdicts, EveryConditionOfEachVerdictFailsItAlone) {
    // 01: both answered.
    EXPECT_FALSE(root_waits_behind_sleep({record("/sleep", 0ms, 1000ms), record("/", 250ms, 1500ms, Outcome::TimedOut)}, delay)
                     .as_the_book_says);
    // 02: `/` at once; every `/sleep` answered; more of them than a pool of four.
    auto slow_root = sleeps_finishing_at({1000ms, 1000ms, 1001ms, 1002ms, 1002ms});
    slow_root.push_back(record("/", 250ms, 1003ms));
    EXPECT_FALSE(thread_per_request(slow_root, delay).as_the_book_says);
    auto lost_sleep = timeline_of("02").records;
    lost_sleep.front().outcome = Outcome::Reset;
    EXPECT_FALSE(thread_per_request(lost_sleep, delay).as_the_book_says);
    auto four_sleeps = sleeps_finishing_at({1000ms, 1000ms, 1001ms, 1002ms});
    four_sleeps.push_back(record("/", 250ms, 252ms));
    EXPECT_FALSE(thread_per_request(four_sleeps, delay).as_the_book_says) << "a pool of four does as much";
    // 06: every `/sleep` answered; more than the workers; the last a second wave later.
    auto lost = timeline_of("06").records;
    lost.back().outcome = Outcome::Reset;
    EXPECT_FALSE(capped_at_workers(lost, delay, 4).as_the_book_says);
    EXPECT_FALSE(capped_at_workers(sleeps_finishing_at({1000ms, 1001ms, 1001ms, 1002ms}), delay, 4).as_the_book_says);
    EXPECT_FALSE(capped_at_workers(sleeps_finishing_at({1000ms, 1001ms, 1001ms, 1002ms, 1501ms}), delay, 4).as_the_book_says)
        << "four at once, but the fifth done within 1.6 delays";
    // 07: every `/sleep` answered; as many as the workers.
    auto lost_07 = timeline_of("07").records;
    lost_07.back().outcome = Outcome::Reset;
    EXPECT_FALSE(serialised_by_lock(lost_07, delay, 4).as_the_book_says);
    EXPECT_FALSE(serialised_by_lock(sleeps_finishing_at({1000ms}), delay, 4).as_the_book_says)
        << "one sleep cannot show the others waiting";
    // 08: both answered.
    EXPECT_FALSE(graceful_exit({record("/sleep", 0ms, 1000ms), record("/", 250ms, 252ms, Outcome::Reset)}, exited(0, 1010ms))
                     .as_the_book_says);
    // 09: at most the workers at once.
    EXPECT_FALSE(answered_all_then_exited_on_sigterm(sleeps_finishing_at({1000ms, 1001ms, 1001ms, 1002ms, 1002ms}), delay,
                                                     4, exited(0, 1010ms))
                     .as_the_book_says)
        << "five at once with four workers";
    // 10, 11: `/` at once; all done within 1.6 delays; more sleeps than threads.
    auto slow = timeline_of("10").records;
    slow.back().finish = t0 + 1006ms;
    EXPECT_FALSE(event_loop_without_cap(slow, delay, 1).as_the_book_says);
    auto early = timeline_of("10").records;
    early.front().start = t0 - 700ms;  // sent earlier: side by side, yet all done 1.7 delays after the first start
    EXPECT_FALSE(event_loop_without_cap(early, delay, 1).as_the_book_says);
    auto four = sleeps_finishing_at({1000ms, 1000ms, 1001ms, 1001ms});
    four.push_back(record("/", 250ms, 251ms));
    EXPECT_FALSE(event_loop_without_cap(four, delay, 4).as_the_book_says) << "four threads blocked by four sleeps do as much";
}
