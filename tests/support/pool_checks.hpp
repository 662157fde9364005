// Checks shared by the tests of the pool stages: the pool's own lines on stdout (`Worker N got a job;
// executing.`, from listing 21-20 on), counting what a server printed, and what follows once every
// worker has died.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http_client.hpp"
#include "server_process.hpp"

namespace support {

// N, if `line` is exactly `Worker N got a job; executing.`.
[[nodiscard]] inline std::optional<int> worker_job_id(std::string_view line) {
    constexpr std::string_view prefix = "Worker ";
    constexpr std::string_view suffix = " got a job; executing.";
    if (!line.starts_with(prefix) || !line.ends_with(suffix)) return std::nullopt;
    const auto digits = line.substr(prefix.size(), line.size() - prefix.size() - suffix.size());
    if (digits.empty() || digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string_view::npos) {
        return std::nullopt;
    }
    return std::stoi(std::string(digits));
}

// The ids of the `Worker N got a job; executing.` lines, in the order printed.
[[nodiscard]] inline std::vector<int> worker_job_ids(const std::vector<std::string>& stdout_lines) {
    std::vector<int> ids;
    for (const auto& line : stdout_lines) {
        if (auto id = worker_job_id(line)) ids.push_back(*id);
    }
    return ids;
}

// "" unless the server printed nothing on stdout after its Listening line; then the likely cause,
// for the failure of a check that expected its `Worker N` lines: a learner's `std::cout` without a
// flush keeps them in a buffer that is lost when the test kills the server.
[[nodiscard]] inline std::string worker_lines_note(const ServerProcess& server) {
    const auto lines = server.stdout_lines();
    if (lines.size() > 1) return "";
    return "the server printed nothing on stdout after its Listening line: is stdout flushed? `rs::println` flushes "
           "(`std::cout` without `std::flush` loses its lines when the server is killed)";
}

// How many times `needle` occurs in `text` (without overlaps).
[[nodiscard]] inline std::size_t occurrences(std::string_view text, std::string_view needle) {
    std::size_t found = 0;
    for (auto at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + needle.size())) {
        ++found;
    }
    return found;
}

// "" when every record is a complete response; otherwise which were not, and how they ended.
[[nodiscard]] inline std::string unanswered(const std::vector<RequestRecord>& records) {
    std::string missing;
    for (const auto& record : records) {
        if (record.outcome == Outcome::Response) continue;
        missing += record.label + ": " + to_string(record.outcome);
        missing += record.error.empty() ? "; " : " (" + record.error + "); ";
    }
    return missing;
}

struct AfterTheLastWorker {
    std::vector<RequestRecord> records;  // the requests sent, none of which should have been answered
    std::optional<ExitStatus> status;    // how the server ended, if it did
};

// For a server whose workers have all died: sends `/` requests, one at a time, until the server ends
// (at most `attempts`). The first execute() that finds the channel's receiver gone panics main (exit
// 101); a request sent while the last worker was still dying is queued and dropped unanswered instead.
inline AfterTheLastWorker request_until_exit(ServerProcess& server, int attempts = 3) {
    using namespace std::chrono_literals;
    AfterTheLastWorker after;
    for (int attempt = 1; attempt <= attempts && !after.status; ++attempt) {
        const RequestPlan plan{.label = "/ #" + std::to_string(attempt), .path = "/"};
        after.records.push_back(send_request(server.address(), plan, 2s));
        after.status = server.wait_for_exit(2s);
    }
    return after;
}

}  // namespace support
