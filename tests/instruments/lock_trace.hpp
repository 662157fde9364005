// Reads the trace WORKBOOK_LOCK_TRACE makes a traced server write (lock_trace_writer.hpp) back into
// what each worker thread did: when it waited for the receiver's lock, held it, and ran a job (from its
// `Worker N got a job; executing.` line to the close of the connection the job handled). The demo
// draws these as lanes under the requests; the tests check them against the real lock.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http_client.hpp"
#include "timeline.hpp"

namespace support {

struct Interval {
    Clock::time_point from{};
    Clock::time_point to{};
};

struct WorkerTrace {
    int thread = 0;                 // the trace's thread number
    std::optional<int> worker{};    // N of its `Worker N got a job` line, once it printed one
    std::vector<Interval> waiting{};  // for the lock
    std::vector<Interval> holding{};  // the lock
    std::vector<Interval> jobs{};
};

// The copy of a listing (its folder's name, `listing-21-20`) linked with the lock trace, which the demo
// runs where the stage's story draws the lock (tests/instruments/meson.build makes it).
[[nodiscard]] std::filesystem::path lock_traced_binary(std::string_view target);

// The threads that waited for a lock, workers with an id first (by id), then the others; an interval
// still open when the trace ends is closed at `end`.
[[nodiscard]] std::vector<WorkerTrace> parse_lock_trace(std::string_view text, Clock::time_point end);

// Of all the time the workers spent running jobs, the share during which the same worker held the
// lock: about 1 when the guard lives through the job (21-21), about 0 when it is gone before (21-20).
[[nodiscard]] double share_of_job_time_under_lock(const std::vector<WorkerTrace>& workers);

// One lane per worker, labelled `worker N` (`worker ?` before it printed its id), noting its jobs.
[[nodiscard]] std::vector<TimelineLane> lock_lanes(const std::vector<WorkerTrace>& workers);

}  // namespace support
