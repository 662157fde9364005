// The one client the tests and the demo use: sends requests from outside, over real sockets, and
// records for each when it started and finished and how it ended.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace support {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

enum class Outcome {
    Response,               // a complete HTTP response
    ClosedWithoutResponse,  // the server closed the connection having sent nothing
    Reset,                  // the connection was reset (RST) before a complete response
    TimedOut,               // nothing conclusive by the deadline
    ConnectFailed,
};
[[nodiscard]] const char* to_string(Outcome outcome);
// How gtest prints an Outcome in a failure ("reset", not "4-byte object <02-00 00-00>").
void PrintTo(Outcome outcome, std::ostream* out);

struct HttpResponse {
    std::string status_line;
    int status = 0;
    std::map<std::string, std::string> headers;
    std::string body;
};

struct RequestRecord {
    std::string label;  // e.g. "/sleep #2"
    std::string path;
    Clock::time_point start;
    Clock::time_point finish;
    Outcome outcome = Outcome::TimedOut;
    HttpResponse response;  // meaningful when outcome == Response
    std::string raw;        // every byte received
    std::string error;      // what went wrong, if anything

    [[nodiscard]] double seconds() const { return std::chrono::duration<double>(finish - start).count(); }
    // The server ended the connection without answering: a clean close, or a reset (RST), which is what
    // closing with the request still unread in the kernel's buffer sends. Which one comes is timing.
    [[nodiscard]] bool closed_without_response() const {
        return outcome == Outcome::ClosedWithoutResponse || outcome == Outcome::Reset;
    }
};

// How a request ended, in words for a failure: "no response: the connection was reset before any byte
// arrived (Os { code: 104, ... })", "a response (200 OK)".
[[nodiscard]] std::string explain_outcome(const RequestRecord& record);

// Parses `raw` as status line, headers, blank line and Content-Length bytes of body; false if incomplete.
bool parse_response(const std::string& raw, HttpResponse& response);

// What to send: a request for `path` (`GET {path} HTTP/1.1` plus Host), or `raw` bytes as they are
// (nothing at all, if empty and path is empty).
struct RequestPlan {
    std::string label{};
    std::string path{};
    std::optional<std::string> raw{};
    std::chrono::milliseconds start_after = 0ms;  // relative to the batch's start
    bool half_close = false;  // then shutdown(SHUT_WR): the server reads end of file at once
};

// One request; gives up at `deadline` (the connection is then abandoned, recorded as TimedOut).
RequestRecord send_request(const std::string& address, const RequestPlan& plan,
                           std::chrono::milliseconds deadline = 10s);

// A client that connects and closes without sending a byte: the book's handle_connection then panics
// on `lines().next().unwrap()`, wherever it runs.
RequestRecord connect_and_close(const std::string& address, std::chrono::milliseconds deadline = 2s);

// Several requests, each from its own thread, each starting `start_after` after a common start.
std::vector<RequestRecord> send_concurrently(const std::string& address, const std::vector<RequestPlan>& plans,
                                             std::chrono::milliseconds deadline = 10s);

// n requests for `path`, labelled "path #1".."path #n", all started at once.
std::vector<RequestPlan> same_request(const std::string& path, int count,
                                      std::chrono::milliseconds start_after = 0ms);

// How many requests the server worked on at once, on average: the work the requests stood for
// (n requests, each needing `work_each`, e.g. the /sleep delay) divided by the span from the first
// start to the last finish. About 1 when they were served one after another, about n side by side.
[[nodiscard]] double effective_parallelism(const std::vector<RequestRecord>& records,
                                           std::chrono::duration<double> work_each);

// When each request finished, counted in units of `work_each` from the first start, earliest first:
// with w workers and n sleeps, the first w finish near 1, the next w near 2, ...
[[nodiscard]] std::vector<double> sorted_finishes(const std::vector<RequestRecord>& records,
                                                  std::chrono::duration<double> work_each);

// The most requests in flight (started, not finished) at one instant, as the client saw them.
[[nodiscard]] int peak_in_flight(const std::vector<RequestRecord>& records);

}  // namespace support
