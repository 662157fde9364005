// Each stage's story, one entry per stage (stage_stories.cpp): what the demo sends and what its verdict
// expects, what the tour says to notice and where the book tells it, whether the demo draws who holds
// the receiver's lock, and what the flood's verdict expects. The demo, the tour, the flood and their
// tests ask here; nothing else tells stages apart.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "scenarios.hpp"

namespace support {

// What a stage's flood shows, as the book tells it (flood.cpp judges each).
enum class FloodStory {
    measured_only,           // no verdict: the measurements only
    one_at_a_time,           // one thread serves one request at a time (01)
    thread_per_request,      // a thread per request; under an address-space limit, `main` panics (02)
    capped_by_the_pool,      // main and four workers whatever the load, answering in waves (06)
    serialised_by_the_lock,  // main and four workers, one request at a time (07)
};

using DemoVerdict = Verdict (*)(const std::vector<RequestRecord>& records, std::chrono::milliseconds delay,
                                const std::optional<ServerEnd>& end);

struct StageStory {
    std::string_view number;          // "06"
    std::string_view what_to_notice;  // a short paragraph for the tour (`workbook-demo --explain`)
    std::string_view book_section;    // where the book tells it
    Scenario (*scenario)(std::chrono::milliseconds delay);  // what the demo sends, /sleep taking `delay`
    DemoVerdict verdict;              // what the demo's verdict expects of the scenario's records
    bool draws_the_lock = false;      // the demo adds a row per worker from the lock trace
    FloodStory flood = FloodStory::measured_only;
    std::optional<int> flood_requests{};  // fewer than the flood's default where they are served one at a
                                          // time, so that the flood ends in seconds
};

// Every stage's story, in stage order.
[[nodiscard]] std::span<const StageStory> stage_stories();

// The story of stage "NN" (or a stage folder "NN-name"); nullptr for a stage without one.
[[nodiscard]] const StageStory* story_of(std::string_view stage);

// The scenario of stage "NN" (or "NN-name"), with /sleep taking `delay`; nullopt for a stage without one.
[[nodiscard]] std::optional<Scenario> scenario_for(std::string_view stage, std::chrono::milliseconds delay);

// The verdict for stage "NN" on the records of its scenario, in the scenario's order: records of
// other requests (another stage's scenario), or a server that ended where the stage's goes on serving,
// are not the stage's story, whatever the stage's own verdict would say of them.
[[nodiscard]] Verdict judge(std::string_view stage, const std::vector<RequestRecord>& records,
                            std::chrono::milliseconds delay, const std::optional<ServerEnd>& end);

}  // namespace support
