#include "http_client.hpp"

#include <algorithm>
#include <thread>

#include <poll.h>
#include <sys/socket.h>

#include "rs/net.hpp"

namespace support {

bool parse_response(const std::string& raw, HttpResponse& response) {
    const auto head_end = raw.find("\r\n\r\n");
    if (head_end == std::string::npos) return false;
    const auto status_end = raw.find("\r\n");
    response.status_line = raw.substr(0, status_end);
    const auto space = response.status_line.find(' ');
    if (space == std::string::npos) return false;
    response.status = std::atoi(response.status_line.c_str() + space + 1);
    response.headers.clear();
    for (auto line_start = status_end + 2; line_start < head_end;) {
        const auto line_end = raw.find("\r\n", line_start);
        const auto line = raw.substr(line_start, line_end - line_start);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            const auto value_start = line.find_first_not_of(' ', colon + 1);
            response.headers[line.substr(0, colon)] = value_start == std::string::npos ? "" : line.substr(value_start);
        }
        line_start = line_end + 2;
    }
    response.body = raw.substr(head_end + 4);
    const auto length = response.headers.find("Content-Length");
    if (length == response.headers.end()) return true;
    return response.body.size() >= static_cast<std::size_t>(std::stoul(length->second));
}

const char* to_string(Outcome outcome) {
    switch (outcome) {
        case Outcome::Response: return "response";
        case Outcome::ClosedWithoutResponse: return "closed, no response";
        case Outcome::Reset: return "reset";
        case Outcome::TimedOut: return "no answer";
        case Outcome::ConnectFailed: return "connect failed";
    }
    return "?";
}

void PrintTo(Outcome outcome, std::ostream* out) { *out << to_string(outcome); }

std::string explain_outcome(const RequestRecord& record) {
    const std::string error = record.error.empty() ? "" : " (" + record.error + ")";
    const std::string received = record.raw.empty() ? "before any byte arrived"
                                                    : "after " + std::to_string(record.raw.size()) + " bytes of an incomplete response";
    switch (record.outcome) {
        case Outcome::Response: return "a response (" + record.response.status_line + ")";
        case Outcome::ClosedWithoutResponse: return "no response: the server closed the connection " + received + error;
        case Outcome::Reset: return "no response: the connection was reset " + received + error;
        case Outcome::TimedOut:
            return "no response: nothing conclusive within " + std::to_string(static_cast<int>(record.seconds())) +
                   " s (" + std::to_string(record.raw.size()) + " bytes received)";
        case Outcome::ConnectFailed: return "no response: the connection was refused or failed" + error;
    }
    return "?";
}

RequestRecord send_request(const std::string& address, const RequestPlan& plan, std::chrono::milliseconds deadline) {
    RequestRecord record;
    record.label = plan.label.empty() ? plan.path : plan.label;
    record.path = plan.path;
    record.start = Clock::now();
    const auto give_up = record.start + deadline;
    auto finish = [&](Outcome outcome, std::string error = {}) {
        record.finish = Clock::now();
        record.outcome = outcome;
        record.error = std::move(error);
        return record;
    };

    auto connected = rs::net::TcpStream::connect(address);
    if (connected.is_err()) return finish(Outcome::ConnectFailed, connected.error().debug());
    rs::net::TcpStream stream = std::move(connected).unwrap();

    const std::string request = plan.raw ? *plan.raw
                                         : "GET " + plan.path + " HTTP/1.1\r\nHost: " + address + "\r\n\r\n";
    if (!request.empty()) {
        if (auto sent = stream.write_all(request); sent.is_err()) {
            return finish(Outcome::Reset, sent.error().debug());
        }
    }
    if (plan.half_close) (void)stream.shutdown(rs::net::Shutdown::Write);
    char chunk[8192];
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(give_up - Clock::now());
        if (left <= 0ms) return finish(Outcome::TimedOut);
        pollfd waiting{stream.native_handle(), POLLIN, 0};
        if (::poll(&waiting, 1, static_cast<int>(left.count()) + 1) == 0) continue;
        auto got = stream.read(chunk);
        if (got.is_err()) {
            if (got.error().kind() == rs::io::ErrorKind::ConnectionReset) {
                if (parse_response(record.raw, record.response)) return finish(Outcome::Response);
                return finish(Outcome::Reset, got.error().debug());
            }
            return finish(Outcome::Reset, got.error().debug());
        }
        if (got.value() == 0) {  // the server closed the connection
            if (record.raw.empty()) return finish(Outcome::ClosedWithoutResponse);
            if (parse_response(record.raw, record.response)) return finish(Outcome::Response);
            return finish(Outcome::ClosedWithoutResponse, "incomplete response: " + record.raw);
        }
        record.raw.append(chunk, got.value());
    }
}

RequestRecord connect_and_close(const std::string& address, std::chrono::milliseconds deadline) {
    return send_request(address, {.label = "empty", .raw = ""}, deadline);
}

std::vector<RequestRecord> send_concurrently(const std::string& address, const std::vector<RequestPlan>& plans,
                                             std::chrono::milliseconds deadline) {
    std::vector<RequestRecord> records(plans.size());
    const auto common_start = Clock::now();
    {
        std::vector<std::jthread> clients;
        clients.reserve(plans.size());
        for (std::size_t i = 0; i < plans.size(); ++i) {
            clients.emplace_back([&, i] {
                std::this_thread::sleep_until(common_start + plans[i].start_after);
                records[i] = send_request(address, plans[i], deadline);
            });
        }
    }  // jthreads join here
    return records;
}

std::vector<RequestPlan> same_request(const std::string& path, int count, std::chrono::milliseconds start_after) {
    std::vector<RequestPlan> plans;
    for (int i = 1; i <= count; ++i) {
        plans.push_back({path + " #" + std::to_string(i), path, std::nullopt, start_after});
    }
    return plans;
}

double effective_parallelism(const std::vector<RequestRecord>& records, std::chrono::duration<double> work_each) {
    if (records.empty()) return 0;
    auto first = records.front().start;
    auto last = records.front().finish;
    for (const auto& record : records) {
        first = std::min(first, record.start);
        last = std::max(last, record.finish);
    }
    const double span = std::chrono::duration<double>(last - first).count();
    return span > 0 ? static_cast<double>(records.size()) * work_each.count() / span : 0;
}

std::vector<double> sorted_finishes(const std::vector<RequestRecord>& records, std::chrono::duration<double> work_each) {
    std::vector<double> finishes;
    if (records.empty()) return finishes;
    auto first = records.front().start;
    for (const auto& record : records) first = std::min(first, record.start);
    for (const auto& record : records) {
        finishes.push_back(std::chrono::duration<double>(record.finish - first) / work_each);
    }
    std::sort(finishes.begin(), finishes.end());
    return finishes;
}

int peak_in_flight(const std::vector<RequestRecord>& records) {
    std::vector<std::pair<Clock::time_point, int>> events;
    for (const auto& record : records) {
        events.emplace_back(record.start, +1);
        events.emplace_back(record.finish, -1);
    }
    std::sort(events.begin(), events.end());  // at equal times a finish (-1) sorts before a start
    int now = 0;
    int peak = 0;
    for (const auto& [when, delta] : events) peak = std::max(peak, now += delta);
    return peak;
}

}  // namespace support
