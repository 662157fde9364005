#include "flood.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rust_messages.hpp"
#include "stage_stories.hpp"
#include "terminal.hpp"
#include "fixed_decimals.hpp"
#include "timeline.hpp"

namespace support {

namespace {


double seconds_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

std::string megabytes(std::size_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return text;
}

// "127.0.0.1:PORT" as a socket address; the flood only ever targets the loopback.
sockaddr_in loopback_address(const std::string& address) {
    const auto colon = address.rfind(':');
    sockaddr_in socket_address{};
    socket_address.sin_family = AF_INET;
    if (colon == std::string::npos || ::inet_pton(AF_INET, address.substr(0, colon).c_str(), &socket_address.sin_addr) != 1 ||
        (ntohl(socket_address.sin_addr.s_addr) >> 24) != 127) {
        throw std::runtime_error("the flood targets 127.0.0.0/8 only, not " + address);
    }
    socket_address.sin_port = htons(static_cast<std::uint16_t>(std::stoi(address.substr(colon + 1))));
    return socket_address;
}

// One request of the flood, as a small state machine over a non-blocking socket.
struct Connection {
    enum class State { Due, Connecting, Sending, Reading, Done };
    State state = State::Due;
    int fd = -1;
    Clock::time_point due{};
    std::size_t sent = 0;
};

class FloodClient {
public:
    FloodClient(const std::string& address, const FloodPlan& plan, Clock::time_point start)
        : address_(loopback_address(address)), request_("GET /sleep HTTP/1.1\r\nHost: " + address + "\r\n\r\n"),
          connections_(static_cast<std::size_t>(plan.requests)), records_(connections_.size()) {
        for (std::size_t i = 0; i < connections_.size(); ++i) {
            connections_[i].due = start + plan.ramp * static_cast<long>(i) / std::max(plan.requests, 1);
            records_[i].label = "/sleep #" + std::to_string(i + 1);
            records_[i].path = "/sleep";
        }
    }
    FloodClient(const FloodClient&) = delete;
    FloodClient& operator=(const FloodClient&) = delete;
    ~FloodClient() {
        for (auto& connection : connections_) close(connection);
    }

    [[nodiscard]] bool done() const {
        return std::all_of(connections_.begin(), connections_.end(), [](const auto& c) { return c.state == Connection::State::Done; });
    }

    // Starts what is due, waits at most `longest` for socket events, and handles them.
    void step(std::chrono::milliseconds longest) {
        auto now = Clock::now();
        auto wake = now + longest;
        for (std::size_t i = 0; i < connections_.size(); ++i) {
            auto& connection = connections_[i];
            if (connection.state != Connection::State::Due) continue;
            if (connection.due <= now) {
                open(i);
            } else {
                wake = std::min(wake, connection.due);
            }
        }
        std::vector<pollfd> waiting;
        std::vector<std::size_t> which;
        for (std::size_t i = 0; i < connections_.size(); ++i) {
            const auto& connection = connections_[i];
            if (connection.state == Connection::State::Due || connection.state == Connection::State::Done) continue;
            const short events = connection.state == Connection::State::Reading ? POLLIN : POLLOUT;
            waiting.push_back({connection.fd, events, 0});
            which.push_back(i);
        }
        const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(wake - Clock::now()).count();
        if (::poll(waiting.data(), waiting.size(), static_cast<int>(std::clamp<long>(timeout, 0, longest.count()) + 1)) <= 0) return;
        for (std::size_t k = 0; k < waiting.size(); ++k) {
            if (waiting[k].revents != 0) advance(which[k]);
        }
    }

    // Every request still open is abandoned: recorded as TimedOut.
    void give_up() {
        for (std::size_t i = 0; i < connections_.size(); ++i) {
            if (connections_[i].state != Connection::State::Done) {
                if (connections_[i].state == Connection::State::Due) records_[i].start = Clock::now();
                finish(i, Outcome::TimedOut, "the flood gave up");
            }
        }
    }

    std::vector<RequestRecord> take_records() { return std::move(records_); }

private:
    void open(std::size_t i) {
        auto& connection = connections_[i];
        records_[i].start = Clock::now();
        connection.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (connection.fd < 0) return finish(i, Outcome::ConnectFailed, "socket: " + std::string(std::strerror(errno)));
        connection.state = Connection::State::Connecting;
        if (::connect(connection.fd, reinterpret_cast<const sockaddr*>(&address_), sizeof address_) == 0) {
            connection.state = Connection::State::Sending;
            advance(i);
        } else if (errno != EINPROGRESS) {
            finish(i, Outcome::ConnectFailed, "connect: " + std::string(std::strerror(errno)));
        }
    }

    void advance(std::size_t i) {
        auto& connection = connections_[i];
        auto& record = records_[i];
        if (connection.state == Connection::State::Connecting) {
            int error = 0;
            socklen_t length = sizeof error;
            ::getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &length);
            if (error != 0) return finish(i, Outcome::ConnectFailed, "connect: " + std::string(std::strerror(error)));
            connection.state = Connection::State::Sending;
        }
        if (connection.state == Connection::State::Sending) {
            while (connection.sent < request_.size()) {
                const auto wrote = ::send(connection.fd, request_.data() + connection.sent, request_.size() - connection.sent,
                                          MSG_NOSIGNAL);
                if (wrote < 0 && errno == EAGAIN) return;
                if (wrote < 0) return finish(i, Outcome::Reset, "send: " + std::string(std::strerror(errno)));
                connection.sent += static_cast<std::size_t>(wrote);
            }
            connection.state = Connection::State::Reading;
        }
        char chunk[4096];
        while (true) {
            const auto got = ::recv(connection.fd, chunk, sizeof chunk, 0);
            if (got < 0 && errno == EAGAIN) return;
            if (got < 0) {  // a reset: an answer that came whole before it still counts
                const std::string error = "recv: " + std::string(std::strerror(errno));
                return finish(i, parse_response(record.raw, record.response) ? Outcome::Response : Outcome::Reset, error);
            }
            if (got == 0) {
                if (record.raw.empty()) return finish(i, Outcome::ClosedWithoutResponse);
                if (parse_response(record.raw, record.response)) return finish(i, Outcome::Response);
                return finish(i, Outcome::ClosedWithoutResponse, "incomplete response");
            }
            record.raw.append(chunk, static_cast<std::size_t>(got));
        }
    }

    void finish(std::size_t i, Outcome outcome, std::string error = {}) {
        records_[i].finish = Clock::now();
        records_[i].outcome = outcome;
        records_[i].error = std::move(error);
        close(connections_[i]);
        connections_[i].state = Connection::State::Done;
    }

    static void close(Connection& connection) {
        if (connection.fd >= 0) ::close(connection.fd);
        connection.fd = -1;
    }

    sockaddr_in address_;
    std::string request_;
    std::vector<Connection> connections_;
    std::vector<RequestRecord> records_;
};


std::string limit_phrase(const FloodPlan& plan) {
    if (!plan.address_space_limit) return "";
    char megabytes_text[32];
    std::snprintf(megabytes_text, sizeof megabytes_text, "%g", static_cast<double>(*plan.address_space_limit) / 1e6);
    return "under a " + std::string(megabytes_text) + " MB address-space limit, ";
}

// How many requests the server worked on at once, on average, judging by the answered ones (effective
// parallelism: robust to a busy machine, which can only make it look lower).
double answered_at_once(const FloodRun& run, const FloodPlan& plan) {
    std::vector<RequestRecord> answered;
    std::copy_if(run.records.begin(), run.records.end(), std::back_inserter(answered),
                 [](const auto& r) { return r.outcome == Outcome::Response; });
    return effective_parallelism(answered, plan.delay);
}

}  // namespace

FloodPlan default_flood_plan(std::string_view stage) {
    FloodPlan plan;
    if (const auto* story = story_of(stage); story != nullptr && story->flood_requests) {
        plan.requests = *story->flood_requests;
    }
    return plan;
}

int FloodRun::answered() const {
    return static_cast<int>(std::count_if(records.begin(), records.end(), [](const auto& r) { return r.outcome == Outcome::Response; }));
}

int FloodRun::peak_threads() const {
    int peak = before.threads;
    for (const auto& sample : samples) peak = std::max(peak, sample.status.threads);
    return peak;
}

std::size_t FloodRun::peak_address_space() const {
    std::size_t peak = before.address_space_bytes;
    for (const auto& sample : samples) peak = std::max(peak, sample.status.address_space_bytes);
    return peak;
}

ServerOptions flood_server_options(const std::string& stage, const std::string& target, const FloodPlan& plan) {
    ServerOptions options{.stage = stage, .target = target, .slow_request_delay = plan.delay};
    if (plan.address_space_limit) {
        options.extra_env["MALLOC_ARENA_MAX"] = "1";
        options.extra_env["MALLOC_TOP_PAD_"] = std::to_string(limited_flood_heap_room);
    }
    return options;
}

FloodRun run_flood(ServerProcess& server, const FloodPlan& plan) {
    raise_open_file_limit();
    FloodRun run;
    const pid_t pid = server.pid();
    // Idle: once the thread count holds still (a pool starts its workers after the Listening line).
    for (const auto settle_by = Clock::now() + 2s; Clock::now() < settle_by;) {
        const auto first = read_proc_status(pid);
        std::this_thread::sleep_for(50ms);
        const auto second = read_proc_status(pid);
        if (!first || !second) break;
        run.before = *second;
        if (first->threads == second->threads) break;
    }
    if (plan.address_space_limit && !limit_address_space(pid, *plan.address_space_limit)) {
        throw std::runtime_error("could not limit the server's address space: " + std::string(std::strerror(errno)));
    }
    std::mutex samples_mutex;
    run.start = Clock::now();
    FloodClient client(server.address(), plan, run.start);
    {
        std::jthread sampler([&](std::stop_token stop) {
            while (!stop.stop_requested()) {
                if (const auto status = read_proc_status(pid)) {
                    const std::lock_guard lock(samples_mutex);
                    run.samples.push_back({Clock::now(), *status});
                }
                std::this_thread::sleep_for(plan.sample_every);
            }
        });
        while (!client.done()) {
            if (!run.end) {
                if (const auto status = server.wait_for_exit(0ms)) run.end = ServerEnd{*status, Clock::now()};
            }
            if (Clock::now() >= run.start + plan.give_up) {
                client.give_up();
                break;
            }
            client.step(10ms);
        }
        // A last look: the server may end just after the last request did.
        if (!run.end) {
            if (const auto status = server.wait_for_exit(2 * plan.sample_every)) run.end = ServerEnd{*status, Clock::now()};
        }
    }  // the sampler stops here
    // A panic on main (status 101) is one write of a few lines: once its first words are read, all are.
    if (run.end && run.end->status.exited && run.end->status.code == 101) server.wait_for_stderr("panicked at ", 2s);
    run.records = client.take_records();
    return run;
}

std::string draw_flood(const FloodRun& run, const FloodPlan& plan, const FloodChartOptions& options) {
    auto last = run.start + plan.ramp;
    for (const auto& record : run.records) last = std::max(last, record.finish);
    if (!run.samples.empty()) last = std::max(last, run.samples.back().at);
    if (run.end) last = run.end->at;  // after it, nothing to sample: only refusals
    const int rows = std::max(options.rows, 1);
    const auto slice = (last - run.start) / rows;

    const int fixed_columns = 7 + 6 + 1 + 10 + 12 + 10 + 6;
    const int bar_width = std::max(options.width - fixed_columns, 10);
    const int scale_top = std::max(run.peak_threads(), plan.requests + 1);
    const int per_mark = (scale_top + bar_width - 1) / bar_width;

    const int decimals = slice < 10ms ? 3 : 2;  // a server that died within milliseconds
    std::string text;
    char line[512];
    // A bar column: `before`, the bar and `after`, padded as plain text, then the bar painted (the escape
    // codes take no column).
    const auto bar_column = [&](const std::string& before, const std::string& bar, const std::string& after) {
        const auto used = static_cast<int>(before.size() + bar.size() + after.size());
        const std::string painted = options.colour && !bar.empty() ? "\x1b[36m" + bar + "\x1b[0m" : bar;
        return before + painted + after + std::string(static_cast<std::size_t>(std::max(0, bar_width - used)), ' ');
    };
    std::snprintf(line, sizeof line, "%*s %6s %s %10s %12s %9s %5s\n", decimals + 4, "time", "threads",
                  bar_column("(", "#", " = " + std::to_string(per_mark) + (per_mark == 1 ? " thread)" : " threads)")).c_str(),
                  "memory", "address space", "answered", "lost");
    text += line;

    std::optional<ProcStatus> latest = run.before;
    std::size_t next_sample = 0;
    for (int row = 0; row < rows; ++row) {
        const auto from = run.start + slice * row;
        const auto to = row + 1 == rows ? last + 1ns : from + slice;
        std::optional<ProcStatus> peak;
        for (; next_sample < run.samples.size() && run.samples[next_sample].at < to; ++next_sample) {
            const auto& status = run.samples[next_sample].status;
            if (!peak) peak = status;
            peak->threads = std::max(peak->threads, status.threads);
            peak->resident_bytes = std::max(peak->resident_bytes, status.resident_bytes);
            peak->address_space_bytes = std::max(peak->address_space_bytes, status.address_space_bytes);
            latest = status;
        }
        const std::optional<ProcStatus>& shown = peak ? peak : latest;
        int answered = 0;
        int lost = 0;
        for (const auto& record : run.records) {
            if (record.finish >= to || record.finish < run.start) continue;
            ++(record.outcome == Outcome::Response ? answered : lost);
        }
        const std::string bar = shown ? std::string(static_cast<std::size_t>((shown->threads + per_mark - 1) / per_mark), '#') : "";
        std::snprintf(line, sizeof line, "%4.*f s %6s %s %10s %12s %9d %5d\n", decimals, seconds_between(run.start, from),
                      shown ? std::to_string(shown->threads).c_str() : "?", bar_column("", bar, "").c_str(),
                      shown ? megabytes(shown->resident_bytes).c_str() : "?",
                      shown ? megabytes(shown->address_space_bytes).c_str() : "?", answered, lost);
        text += line;
    }
    const auto waiting = std::count_if(run.records.begin(), run.records.end(),
                                       [](const auto& r) { return r.outcome == Outcome::TimedOut; });
    if (waiting > 0) {
        text += wrapped(std::to_string(waiting) + " requests were still waiting for an answer when the flood gave up, after " +
                            format_seconds(seconds_between(run.start, last)) + " (counted as lost).",
                        options.width) +
                "\n";
    }
    if (run.end) {
        int answered = 0;
        int lost = 0;
        for (const auto& record : run.records) ++(record.outcome == Outcome::Response ? answered : lost);
        text += wrapped("Then the server " + run.end->status.describe() + ", at " +
                            format_seconds(seconds_between(run.start, run.end->at)) + "; in all " + std::to_string(answered) +
                            " answered, " + std::to_string(lost) + " lost (closed unanswered, or refused once it was gone).",
                        options.width) +
                "\n";
    }
    return text;
}

std::string describe_flood(const FloodRun& run, const FloodPlan& plan) {
    std::string text = std::to_string(run.answered()) + " of " + std::to_string(plan.requests) + " answered; threads " +
                       std::to_string(run.before.threads) + " idle, " + std::to_string(run.peak_threads()) +
                       " at most; address space at most " + megabytes(run.peak_address_space());
    if (run.end) text += "; the server " + run.end->status.describe();
    return text;
}

std::optional<Verdict> judge_flood(std::string_view stage, const FloodRun& run, const FloodPlan& plan,
                                   const std::string& server_stderr) {
    const auto* story = story_of(stage);
    const int requests = plan.requests;
    const int answered = run.answered();
    const int peak = run.peak_threads();
    const std::string all = answered == requests ? "all " + std::to_string(requests) + " answered"
                                                 : std::to_string(answered) + " of " + std::to_string(requests) + " answered";
    const std::string under = limit_phrase(plan);
    const std::string ended = run.end ? "; the server " + run.end->status.describe() : "";

    switch (story == nullptr ? FloodStory::measured_only : story->flood) {
    case FloodStory::measured_only: return std::nullopt;
    case FloodStory::one_at_a_time: {
        const double at_once = answered_at_once(run, plan);
        const std::string measured = under + std::to_string(peak) + " thread at most; " + all + ", " +
                                     fixed(at_once, 1) + " at a time on average" + ended;
        if (peak == 1 && answered > 0 && at_once <= 1.1 && !run.end) {
            return Verdict{true, measured + ": one thread serves one request at a time, the rest wait in the listen queue"};
        }
        return Verdict{false, measured + ": expected one thread answering one request at a time"};
    }
    case FloodStory::thread_per_request:
        if (plan.address_space_limit) {
            const bool panicked = server_stderr.find(rust_text::spawn_failed) != std::string::npos;
            const std::string measured = under + "threads climbed to " + std::to_string(peak) + ", then " +
                                         (run.end ? "the server " + run.end->status.describe() : "the server kept running") +
                                         (panicked ? ", `main` having panicked `failed to spawn thread`" : "") + "; " + all;
            if (run.end && run.end->status.exited && run.end->status.code == 101 && panicked && answered < requests) {
                return Verdict{true, measured + ": a thread per request, until the OS refuses one and the whole server dies"};
            }
            return Verdict{false, measured + ": expected `main` to panic `failed to spawn thread` and the process to exit 101"};
        } else {
            const int in_flight = peak_in_flight(run.records);
            const std::string measured = under + "threads climbed from " + std::to_string(run.before.threads) + " to " +
                                         std::to_string(peak) + " with " + std::to_string(in_flight) + " requests in flight; " +
                                         all + ended;
            if (answered == requests && !run.end && peak - 1 >= std::min(in_flight, requests) / 2) {
                return Verdict{true, measured + ": a new thread for every request, without limit"};
            }
            return Verdict{false, measured + ": expected a thread per request in flight"};
        }
    case FloodStory::capped_by_the_pool: {
        const double at_once = answered_at_once(run, plan);
        const std::string measured = under + std::to_string(peak) + " threads at most (idle: " +
                                     std::to_string(run.before.threads) + "); " + all + ", " + fixed(at_once, 1) +
                                     " at a time on average" + ended;
        // Waves of four: more than one at a time on average, or it is stage 07's lock (a busy machine can
        // only lower the figure, so the floor is half the pool).
        const bool in_waves = at_once <= book_pool_size + 0.4 && at_once >= book_pool_size / 2.0;
        if (peak == book_pool_size + 1 && answered == requests && in_waves && !run.end) {
            return Verdict{true, measured + ": main and 4 workers whatever the load; the rest wait in the channel, "
                                            "and are answered in waves of four"};
        }
        return Verdict{false, measured + ": expected 5 threads (main and 4 workers), every request answered, "
                                        "2 to 4 at a time"};
    }
    case FloodStory::serialised_by_the_lock: {
        const double at_once = answered_at_once(run, plan);
        const std::string measured = under + std::to_string(peak) + " threads at most; " + all + ", " +
                                     fixed(at_once, 1) + " at a time on average" + ended;
        if (peak == book_pool_size + 1 && answered > 0 && at_once <= 1.1 && !run.end) {
            return Verdict{true, measured + ": 4 workers, but the lock held during each job lets one work at a time"};
        }
        return Verdict{false, measured + ": expected 5 threads serving one request at a time"};
    }
    }
    return std::nullopt;
}

}  // namespace support
