// Draws request records as text: one row per request, a bar from its start to its finish on a time
// axis common to all rows, and how it ended. A pure function of its arguments (the same records give
// the same text), so the demo shows it and a test can compare it with an exact expected text.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "http_client.hpp"

namespace support {

// An instant that is not a request, drawn as its own row, e.g. the server's exit.
struct TimelineMark {
    std::string label{};
    Clock::time_point at{};
    std::string note{};  // e.g. "exited with status 0"
};

// What a thread was doing over a span of time, for a row that is not a request: a worker waiting for
// the receiver's lock, holding it, running a job (lock_trace.hpp makes them from a trace).
enum class LaneActivity { WaitingForLock, HoldingLock, RunningJob };

struct LaneSpan {
    Clock::time_point from{};
    Clock::time_point to{};
    LaneActivity activity{};
};

// A row of spans, drawn on the requests' axis (clipped to it). Where a job runs while the lock is held,
// the row says so with a glyph of its own.
struct TimelineLane {
    std::string label{};
    std::vector<LaneSpan> spans{};
    std::string note{};  // the right-hand column, e.g. "2 jobs"
};

struct TimelineOptions {
    int width = 80;       // of the whole line; the bar never gets narrower than 10 columns
    bool colour = false;  // ANSI colours; when false the text has no escape codes at all
    // How long the server works on a request for a path (e.g. "/sleep" -> the slow delay). When
    // given, each answered bar ends with that much work (`=`) and what comes before is waiting (`.`);
    // paths not listed did no work worth drawing. When empty, bars are not split (`=` in flight).
    std::map<std::string, std::chrono::duration<double>> work_by_path{};
    std::vector<TimelineMark> marks{};
    std::vector<TimelineLane> lanes{};  // drawn after the marks; they do not widen the axis
    // The axis spans at least this long from the first start, so that a short story (a reset after
    // a few milliseconds) is drawn short beside a long one; zero: exactly as long as the records.
    std::chrono::duration<double> min_span{0};
};

// Rows in the order given, then the marks, then the lanes, then the time axis (seconds from the first start) and a
// legend of the glyphs that appear. Every line ends with '\n'.
[[nodiscard]] std::string draw_timeline(const std::vector<RequestRecord>& records, const TimelineOptions& options);

// How a record ended, as the timeline's last column says it: "200 OK", "reset", "no answer", ...
[[nodiscard]] std::string describe_outcome(const RequestRecord& record);

// Seconds with two decimals and the unit: "0.98 s".
[[nodiscard]] std::string format_seconds(double seconds);


// The pool size of every pool stage's main (the book's ThreadPool::new(4)), for the verdicts.
inline constexpr int book_pool_size = 4;

}  // namespace support
