// What a stage's demo sends (a scenario) and the verdicts on what came back: one line with the measured
// numbers, computed from the request records alone (plus how the server ended, where that is the
// point). Plain functions over records, for the demo and for any test that wants them; which stage
// sends what and expects which verdict is its story (stage_stories.hpp).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http_client.hpp"
#include "server_process.hpp"

namespace support {

// The server ended by itself while the scenario ran.
struct ServerEnd {
    ExitStatus status{};
    Clock::time_point at{};  // when the harness saw it end (within a few milliseconds)
};

struct Verdict {
    bool as_the_book_says = false;
    std::string line;  // e.g. "`/` waited 0.75 s behind `/sleep`: ..."
};

struct Scenario {
    std::string summary{};  // what is sent, in a few words
    std::vector<RequestPlan> plans{};
    std::chrono::milliseconds deadline = 10s;  // for each request
    std::chrono::milliseconds exit_wait = 0ms;  // how long to give the server to end by itself afterwards
    bool show_server_log = false;  // the server's own lines are part of the story
    std::map<std::string, std::chrono::duration<double>> work_by_path{};  // for the timeline
    std::optional<std::chrono::milliseconds> sigterm_after{};  // stage 09: SIGTERM this long after the start
    bool beyond_the_book = false;  // the verdict says "as expected", not "as the book says"
    bool server_ends = false;  // ending is the story (05, 08, 09); any other server goes on serving
};

// The verdicts, one per kind of stage (records in the scenario's order, found by path).
// 01: `/` sent during `/sleep` finishes only after it.
[[nodiscard]] Verdict root_waits_behind_sleep(const std::vector<RequestRecord>& records, std::chrono::milliseconds delay);
// 02: `/` does not wait, and every `/sleep`, more than a pool of four, runs at once (no cap).
[[nodiscard]] Verdict thread_per_request(const std::vector<RequestRecord>& records, std::chrono::milliseconds delay);
// 03, 04: the connection closes (or resets) without a response: the job was dropped.
[[nodiscard]] Verdict dropped_unanswered(const std::vector<RequestRecord>& records, const std::optional<ServerEnd>& end);
// 05: the Workers have dropped the receiver, so `send` fails and `unwrap` panics on the main thread: no
// response, and the server exits with status 101. (`deadline`: how long the request was given.)
[[nodiscard]] Verdict send_fails_on_dropped_receiver(const std::vector<RequestRecord>& records,
                                                     std::chrono::milliseconds deadline,
                                                     const std::optional<ServerEnd>& end);
// 06: `workers` sleeps at a time, the rest wait their turn.
[[nodiscard]] Verdict capped_at_workers(const std::vector<RequestRecord>& records, std::chrono::milliseconds delay,
                                        int workers);
// 07: one sleep at a time, of at least `workers`, although there are `workers` workers.
[[nodiscard]] Verdict serialised_by_lock(const std::vector<RequestRecord>& records, std::chrono::milliseconds delay,
                                         int workers);
// 08: both requests answered, then the server exits 0, not before the slow one is done.
[[nodiscard]] Verdict graceful_exit(const std::vector<RequestRecord>& records, const std::optional<ServerEnd>& end);
// 09: SIGTERM came while `/sleep`s were in flight or queued: every one answered, `workers` at most at
// once, and the server exited 0 after the last answer.
[[nodiscard]] Verdict answered_all_then_exited_on_sigterm(const std::vector<RequestRecord>& records,
                                                         std::chrono::milliseconds delay, int workers,
                                                         const std::optional<ServerEnd>& end);

// 10, 11: `/` at once and every `/sleep` (more than `threads`, and than a pool of four) side by side,
// all done in about one delay: an event loop waiting on timers (on `threads` threads) caps nothing.
[[nodiscard]] Verdict event_loop_without_cap(const std::vector<RequestRecord>& records, std::chrono::milliseconds delay,
                                             int threads);

// How many requests the server was working on at once, at most, judging by when each answered request
// finished: each needed `work_each` just before its answer. Only the last half of that counts, so that
// jitter cannot make work done one after another look overlapping.
[[nodiscard]] int peak_served_at_once(const std::vector<RequestRecord>& records, std::chrono::duration<double> work_each);

}  // namespace support
