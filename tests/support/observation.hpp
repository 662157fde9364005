// What a test saw, told to the person running it. `./workbook test NN` prints, for each gtest,
//   ✓ <saw>: <shows>                 when it passed, or
//   ✗ <saw> — expected <expected>    when it failed,
// from the properties recorded here, which gtest writes into its XML report (Meson asks for one per
// test, BUILD/<Meson test name>.xml). Call observe() with the figures the assertions then check,
// before checking them, so a failing test still says what it saw.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "http_client.hpp"

namespace support {

struct Observation {
    std::string saw{};     // the figure, in words: "four /sleep at once finish in 4.0 delays (parallelism 1.00)"
    std::string shows{};   // what that means when the test passes: "the lock is held while the job runs"
    std::string expected{};  // what the test asks for instead, said for a failure: "parallelism below 1.5"
};

inline void observe(const Observation& observation) {
    ::testing::Test::RecordProperty("observed", observation.saw);
    ::testing::Test::RecordProperty("shows", observation.shows);
    ::testing::Test::RecordProperty("expected", observation.expected);
}

// `value` with `decimals` decimals: fixed(0.996, 2) == "1.00".
[[nodiscard]] inline std::string fixed(double value, int decimals) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
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
