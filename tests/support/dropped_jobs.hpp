// Probing a server whose ThreadPool drops each job unrun (stages 03 to 05: execute() ignores the job, or
// sends it where nobody receives): the job owns the connection, so every connection is closed at once,
// unanswered, whatever was asked.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "http_client.hpp"

namespace support {

// `/`, `/sleep`, a path that would be a 404, and a connection that sends nothing: all at once.
[[nodiscard]] inline std::vector<RequestPlan> one_request_of_each_kind() {
    return {{.label = "/", .path = "/"},
            {.label = "/sleep", .path = "/sleep"},
            {.label = "/missing", .path = "/missing"},
            {.label = "empty", .raw = ""}};
}

// One line per record that was answered, or not ended by the server (closed or reset) before its
// deadline; empty when every connection was closed unanswered.
[[nodiscard]] inline std::string not_closed_unanswered(const std::vector<RequestRecord>& records) {
    std::string problems;
    for (const auto& record : records) {
        if (record.closed_without_response() && record.raw.empty()) continue;
        problems += record.label + ": " + to_string(record.outcome) + " " + record.error + " " + record.raw + "\n";
    }
    return problems;
}

// A listing's target as a gtest parameter name: "listing-21-16" -> "listing_21_16".
[[nodiscard]] inline std::string as_test_name(std::string target) {
    for (auto& c : target) {
        if (c == '-') c = '_';
    }
    return target;
}

}  // namespace support
