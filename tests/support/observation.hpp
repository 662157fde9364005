// What a test saw, told to the person running it. `./workbook test NN` prints, for each gtest,
//   ✓ <saw>: <shows>                 when it passed, or
//   ✗ <saw> — expected <expected>    when it failed,
// from the properties recorded here, which gtest writes into its XML report (Meson asks for one per
// test, BUILD/<Meson test name>.xml). Call observe() with the figures the assertions then check,
// before checking them, so a failing test still says what it saw. A test may observe several
// figures in turn: a ✓ shows the first, a ✗ the one in force when the first failure came (each
// observation records how many failures came before it). A test that fails before any observation
// says "no figure was measured" and why (not_measured(), or the harness's report of a crash), under
// the headline measuring() gave.
#pragma once

#include <gtest/gtest.h>

#include "fixed_decimals.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "http_client.hpp"

namespace support {

struct Observation {
    std::string saw{};     // the figure, in words: "four /sleep at once finish in 4.0 delays (parallelism 1.00)"
    std::string shows{};   // what that means when the test passes: "the lock is held while the job runs"
    std::string expected{};  // what the test asks for instead, said for a failure: "parallelism below 1.5"
};

namespace observation_detail {

// How many failures the running test has had so far, and how many observations it has recorded.
inline int failures_so_far() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    int failures = 0;
    for (int part = 0; test != nullptr && part < test->result()->total_part_count(); ++part) {
        if (test->result()->GetTestPartResult(part).failed()) ++failures;
    }
    return failures;
}

inline bool recorded(const std::string& key) {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    for (int i = 0; test != nullptr && i < test->result()->test_property_count(); ++i) {
        if (test->result()->GetTestProperty(i).key() == key) return true;
    }
    return false;
}

}  // namespace observation_detail

// The first observation's properties are `observed`, `shows`, `expected`, `failures_before`; the
// second's `observed 2`, ... (test_view.py reads them).
inline void observe(const Observation& observation) {
    int number = 1;
    while (observation_detail::recorded(number == 1 ? "observed" : "observed " + std::to_string(number))) ++number;
    const std::string suffix = number == 1 ? "" : " " + std::to_string(number);
    ::testing::Test::RecordProperty("observed" + suffix, observation.saw);
    ::testing::Test::RecordProperty("shows" + suffix, observation.shows);
    ::testing::Test::RecordProperty("expected" + suffix, observation.expected);
    ::testing::Test::RecordProperty("failures_before" + suffix, observation_detail::failures_so_far());
}

// What the test is about to measure ("four /sleep at once on four workers"), said before it sends
// anything: the ✗ line's headline when it fails before its observation (else its name in words).
inline void measuring(const std::string& what) { ::testing::Test::RecordProperty("measuring", what); }

// Why the test could not measure its figure ("/sleep #2 got no response: ..."): the ✗ line says it
// when the test fails here first, before any observation. The first reason given stands.
inline void not_measured(const std::string& why) {
    if (observation_detail::recorded("not_measured")) return;
    ::testing::Test::RecordProperty("not_measured", why);
    ::testing::Test::RecordProperty("not_measured_failures_before", observation_detail::failures_so_far());
}

// Every request got a complete response; otherwise which did not and how they ended, also recorded
// as the reason no figure was measured. `ASSERT_TRUE(all_answered(records))`.
// The reason is short (requests that ended alike are named together: "/sleep #1, /sleep #2 got no
// response: the connection was reset before any byte arrived"); the failure adds each one's error.
[[nodiscard]] inline ::testing::AssertionResult all_answered(const std::vector<RequestRecord>& records) {
    std::vector<std::pair<std::string, std::string>> endings;  // how they ended, which requests
    std::string errors;
    for (auto record : records) {
        if (record.outcome == Outcome::Response) continue;
        if (!record.error.empty()) errors += "\n" + record.label + ": " + record.error;
        record.error.clear();
        const auto ending = explain_outcome(record);
        auto same = std::find_if(endings.begin(), endings.end(), [&](const auto& seen) { return seen.first == ending; });
        if (same == endings.end()) same = endings.insert(endings.end(), {ending, ""});
        same->second += (same->second.empty() ? "" : ", ") + record.label;
    }
    if (endings.empty()) return ::testing::AssertionSuccess();
    std::string reason;
    for (const auto& [ending, labels] : endings) reason += (reason.empty() ? "" : "; ") + labels + " got " + ending;
    not_measured(reason);
    return ::testing::AssertionFailure() << reason << errors;
}


// "finish in 4.1 delays (parallelism 0.98)": the span from the first start to the last finish in units
// of `work_each`, and effective_parallelism, the figure the server tests assert on.
[[nodiscard]] inline std::string finish_in_delays(const std::vector<RequestRecord>& records,
                                                  std::chrono::duration<double> work_each) {
    const double parallelism = effective_parallelism(records, work_each);
    const double delays = parallelism > 0 ? static_cast<double>(records.size()) / parallelism : 0;
    return "finish in " + fixed(delays, 1) + " delays (parallelism " + fixed(parallelism, 2) + ")";
}

}  // namespace support
