// The flood: many slow requests at once against one stage's server, with the server's threads and
// memory sampled from /proc while they are in flight (`./workbook flood NN`, and the flood tests).
// What a thread per request costs, and what a pool of four saves, made visible.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http_client.hpp"
#include "proc_status.hpp"
#include "scenarios.hpp"
#include "server_process.hpp"

namespace support {

// The address-space limit of the Rust figures (docs/rust-measured.md, `prlimit --as=120000000`).
inline constexpr std::size_t rust_flood_address_space_limit = 120'000'000;

// Threads a sanitizer's runtime adds to a server that starts threads (ThreadSanitizer's background
// thread, started with the first one), for tests that count threads.
inline constexpr int runtime_threads = thread_sanitizer_build ? 1 : 0;

struct FloodPlan {
    int requests = 200;                         // /sleep requests, each on its own connection
    std::chrono::milliseconds delay = 100ms;    // how long /sleep takes (the server's WORKBOOK_SLEEP_MS)
    std::chrono::milliseconds ramp = 200ms;     // the requests start evenly spread over this
    std::chrono::milliseconds give_up = 30s;    // then every request still open is abandoned
    std::optional<std::size_t> address_space_limit{};  // set on the server (RLIMIT_AS) before the flood
    std::chrono::milliseconds sample_every = 5ms;
};

// Under an address-space limit the thread stacks and the heap compete for what is left. glibc gives a
// new thread an arena of its own (a 64 MiB reservation); when the limit refuses it, that thread maps
// each allocation separately, and when one of those (or the heap's growth) is refused before a stack
// is, the process aborts (`std::bad_alloc`; Rust's failed allocation aborts too) instead of `main`
// panicking. Measured here on stage 02: 1 flood in 60. So a limited flood starts the server with one
// arena for every thread (MALLOC_ARENA_MAX=1) and room in it (MALLOC_TOP_PAD_): the stacks alone then
// decide where the limit bites.
inline constexpr std::size_t limited_flood_heap_room = std::size_t{16} * 1024 * 1024;

// How to start `target` of `stage` for this plan: its /sleep delay, and under a limit the heap's settings.
[[nodiscard]] ServerOptions flood_server_options(const std::string& stage, const std::string& target, const FloodPlan& plan);

// The plan a stage's flood uses unless told otherwise: fewer requests where its story says so (served
// one at a time, the flood then ends in seconds).
[[nodiscard]] FloodPlan default_flood_plan(std::string_view stage);

struct ProcessSample {
    Clock::time_point at{};
    ProcStatus status{};
};

struct FloodRun {
    Clock::time_point start{};            // when the first request was due
    ProcStatus before{};                  // the idle server, just before the flood
    std::vector<RequestRecord> records;   // in the order sent
    std::vector<ProcessSample> samples;   // while the server ran
    std::optional<ServerEnd> end{};       // the server ended by itself

    [[nodiscard]] int answered() const;
    [[nodiscard]] int peak_threads() const;  // the idle count if no sample was taken
    [[nodiscard]] std::size_t peak_address_space() const;
};

// Sends the plan's requests to `server` from one thread with non-blocking sockets (every connect and
// read has the plan's deadline) while another thread samples the server's /proc status. Sets the
// address-space limit first, if the plan has one (throws std::runtime_error if that is refused).
[[nodiscard]] FloodRun run_flood(ServerProcess& server, const FloodPlan& plan);

struct FloodChartOptions {
    int width = 80;
    int rows = 16;  // time slices; the same for every run, so that the drawing's shape is stable
    bool colour = false;  // the bars (and the scale's `#`) in colour, as the pictures draw them
};

// Threads, memory and answers over time, a row per time slice: the most threads and memory sampled in
// the slice, and how many requests had been answered (and lost) by its end. A pure function.
[[nodiscard]] std::string draw_flood(const FloodRun& run, const FloodPlan& plan, const FloodChartOptions& options);

// What the flood shows for stage "NN" (or "NN-name"): Rust's behaviour as the book tells it (the stage's
// story, stage_stories.hpp), or nullopt for a stage without a flood verdict (the caller then reports the
// measurements only).
[[nodiscard]] std::optional<Verdict> judge_flood(std::string_view stage, const FloodRun& run, const FloodPlan& plan,
                                                 const std::string& server_stderr);

// The measurements in one line, for any stage: threads, memory, answers, how the server ended.
[[nodiscard]] std::string describe_flood(const FloodRun& run, const FloodPlan& plan);

}  // namespace support
