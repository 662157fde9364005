// The timeline drawing on hand-made records with fixed time points: exact expected text.
#include <gtest/gtest.h>

#include <sstream>

#include "timeline.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

const Clock::time_point t0 = Clock::time_point{} + 1h;  // any fixed instant

RequestRecord record(std::string label, std::string path, std::chrono::milliseconds start,
                     std::chrono::milliseconds finish, Outcome outcome = Outcome::Response,
                     std::string status_line = "HTTP/1.1 200 OK") {
    RequestRecord made;
    made.label = std::move(label);
    made.path = std::move(path);
    made.start = t0 + start;
    made.finish = t0 + finish;
    made.outcome = outcome;
    if (outcome == Outcome::Response) made.response.status_line = std::move(status_line);
    return made;
}

// Stage 01's picture: `/` sent a quarter into `/sleep`, answered right after it.
const std::vector<RequestRecord> root_behind_sleep = {record("/sleep", "/sleep", 0ms, 1000ms),
                                                      record("/", "/", 250ms, 1002ms)};

const std::vector<RequestRecord> every_ending = {
    record("/ reset", "/", 0ms, 0ms, Outcome::Reset),
    record("/ closed", "/", 100ms, 300ms, Outcome::ClosedWithoutResponse),
    record("/ silent", "/", 0ms, 1500ms, Outcome::TimedOut),
    record("/nothing", "/nothing", 200ms, 210ms, Outcome::Response, "HTTP/1.1 404 NOT FOUND"),
    record("refused", "/", 1400ms, 1400ms, Outcome::ConnectFailed),
};

const std::map<std::string, std::chrono::duration<double>> sleep_works_1s = {{"/sleep", 1s}};

std::string without_escape_codes(const std::string& text) {
    std::string plain;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\x1b') {
            i = text.find('m', i);  // every code here is ESC [ ... m
            continue;
        }
        plain += text[i];
    }
    return plain;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);) lines.push_back(line);
    return lines;
}

}  // namespace

TEST(Demo_Timeline, SlowRequestIsWorkAndTheRequestBehindItIsWaiting) {
    EXPECT_EQ(draw_timeline(root_behind_sleep, {.width = 60, .work_by_path = sleep_works_1s}),
              "/sleep  ===================================|  1.00 s  200 OK\n"
              "/                ..........................|  0.75 s  200 OK\n"
              "        +----------------+-----------------+\n"
              "        0                0.5               1 s\n"
              ". waiting   = served   | answered\n");
}

TEST(Demo_Timeline, WithoutWorkDurationsBarsAreJustInFlight) {
    EXPECT_EQ(draw_timeline(root_behind_sleep, {.width = 80}),
              "/sleep  =======================================================|  1.00 s  200 OK\n"
              "/                     =========================================|  0.75 s  200 OK\n"
              "        +----------+----------+----------+----------+----------+\n"
              "        0          0.2        0.4        0.6        0.8        1 s\n"
              "= in flight   | answered\n");
}

TEST(Demo_Timeline, LinesFitTheWidthWhenTheyCan) {
    for (const int width : {60, 72, 80, 100}) {
        for (const auto& records : {root_behind_sleep, every_ending}) {
            for (const auto& line : lines_of(draw_timeline(records, {.width = width, .work_by_path = sleep_works_1s}))) {
                EXPECT_LE(line.size(), static_cast<std::size_t>(width)) << line;
            }
        }
    }
}

TEST(Demo_Timeline, NarrowWidthKeepsTenColumnsOfBarAndWrapsTheLegend) {
    EXPECT_EQ(draw_timeline(root_behind_sleep, {.width = 20, .work_by_path = sleep_works_1s}),
              "/sleep  =========|  1.00 s  200 OK\n"
              "/         .......|  0.75 s  200 OK\n"
              "        +--------+\n"
              "        0        1 s\n"
              ". waiting   = served\n"
              "| answered\n");
}

TEST(Demo_Timeline, ZeroLengthBarIsASingleEndMark) {
    EXPECT_EQ(draw_timeline({record("/", "/", 5ms, 5ms)}, {.width = 40}),
              "/  |                      0.00 s  200 OK\n"
              "   +--------------------\n"
              "   0 s\n"
              "| answered\n");
}

TEST(Demo_Timeline, FailedOutcomesEndInTheirOwnMarks) {
    EXPECT_EQ(draw_timeline(every_ending, {.width = 72, .work_by_path = sleep_works_1s}),
              "/ reset   x                                  0.00 s  reset\n"
              "/ closed    ....x                            0.20 s  closed, no response\n"
              "/ silent  ................................>  1.50 s  no answer\n"
              "/nothing      |                              0.01 s  404 NOT FOUND\n"
              "refused                                 x    0.00 s  connect failed\n"
              "          +----------+---------+----------+\n"
              "          0          0.5       1          1.5 s\n"
              ". waiting   | answered   x ended without a response   > gave up waiting\n");
}

TEST(Demo_Timeline, MarkIsARowOfItsOwnWithItsTime) {
    EXPECT_EQ(draw_timeline({record("/sleep", "/sleep", 0ms, 1000ms), record("/", "/", 250ms, 260ms)},
                            {.width = 70,
                             .work_by_path = sleep_works_1s,
                             .marks = {{.label = "server", .at = t0 + 1010ms, .note = "exited with status 0"}}}),
              "/sleep  =============================|  1.00 s  200 OK\n"
              "/              |                        0.01 s  200 OK\n"
              "server                               *  exited with status 0 at 1.01 s\n"
              "        +-------------+--------------+\n"
              "        0             0.5            1 s\n"
              "= served   | answered\n");
}

TEST(Demo_Timeline, MinimumSpanDrawsAShortStoryShort) {
    const std::vector<RequestRecord> reset_at_once = {record("/", "/", 0ms, 8ms, Outcome::Reset)};
    EXPECT_EQ(draw_timeline(reset_at_once, {.width = 40, .min_span = 1s}),
              "/  x                       0.01 s  reset\n"
              "   +----------+---------+\n"
              "   0          0.5       1 s\n"
              "x ended without a response\n");
    EXPECT_EQ(draw_timeline(reset_at_once, {.width = 40}),
              "/  =====================x  0.01 s  reset\n"
              "   +------------+--------\n"
              "   0            0.005 s\n"
              "= in flight   x ended without a response\n");
}

TEST(Demo_Timeline, NoEscapeCodesWithoutColourAndTheSameLayoutWithIt) {
    for (const auto& records : {root_behind_sleep, every_ending}) {
        const auto plain = draw_timeline(records, {.width = 72, .colour = false, .work_by_path = sleep_works_1s});
        const auto coloured = draw_timeline(records, {.width = 72, .colour = true, .work_by_path = sleep_works_1s});
        EXPECT_EQ(plain.find('\x1b'), std::string::npos) << plain;
        EXPECT_NE(coloured.find("\x1b["), std::string::npos) << "colour on must colour something";
        EXPECT_EQ(without_escape_codes(coloured), plain);
    }
}

TEST(Demo_Timeline, NoRecordsSaysSo) { EXPECT_EQ(draw_timeline({}, {}), "(no requests)\n"); }

TEST(Demo_Timeline, OutcomeIsTheStatusWithoutTheProtocol) {
    EXPECT_EQ(describe_outcome(every_ending[3]), "404 NOT FOUND");
    EXPECT_EQ(describe_outcome(every_ending[0]), "reset");
    EXPECT_EQ(describe_outcome(every_ending[2]), "no answer");
    EXPECT_EQ(format_seconds(0.984), "0.98 s");
}
