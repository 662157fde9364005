#include "scenarios.hpp"

#include <algorithm>
#include <cstdio>

#include "fixed_decimals.hpp"
#include "timeline.hpp"

namespace support {

namespace {

const RequestRecord* find_path(const std::vector<RequestRecord>& records, std::string_view path) {
    const auto found = std::find_if(records.begin(), records.end(), [&](const auto& r) { return r.path == path; });
    return found == records.end() ? nullptr : &*found;
}

std::vector<RequestRecord> with_path(const std::vector<RequestRecord>& records, std::string_view path) {
    std::vector<RequestRecord> matching;
    std::copy_if(records.begin(), records.end(), std::back_inserter(matching), [&](const auto& r) { return r.path == path; });
    return matching;
}

bool all_answered(const std::vector<RequestRecord>& records) {
    return std::all_of(records.begin(), records.end(), [](const auto& r) { return r.outcome == Outcome::Response; });
}

bool closed_unanswered(const RequestRecord& record) {
    return record.outcome == Outcome::ClosedWithoutResponse || record.outcome == Outcome::Reset;
}

double seconds(std::chrono::duration<double> duration) { return duration.count(); }

// The span from the first start to the last finish, in delays.
double span_in_delays(const std::vector<RequestRecord>& records, std::chrono::milliseconds delay) {
    auto first = records.front().start;
    auto last = records.front().finish;
    for (const auto& record : records) {
        first = std::min(first, record.start);
        last = std::max(last, record.finish);
    }
    return seconds(last - first) / seconds(delay);
}

std::string how_it_ended(const RequestRecord& record) {
    return describe_outcome(record) + " after " + format_seconds(record.seconds());
}

Verdict missing(std::string_view what) {
    return {false, "the records lack " + std::string(what) + ": not this stage's scenario"};
}

}  // namespace

int peak_served_at_once(const std::vector<RequestRecord>& records, std::chrono::duration<double> work_each) {
    std::vector<RequestRecord> serving;
    for (const auto& record : records) {
        if (record.outcome != Outcome::Response) continue;
        auto working = record;
        working.start = record.finish - std::chrono::duration_cast<Clock::duration>(0.5 * work_each);
        serving.push_back(std::move(working));
    }
    return peak_in_flight(serving);
}

Verdict root_waits_behind_sleep(const std::vector<RequestRecord>& records, std::chrono::milliseconds delay) {
    const auto* sleep = find_path(records, "/sleep");
    const auto* root = find_path(records, "/");
    if (sleep == nullptr || root == nullptr) return missing("`/sleep` and `/`");
    if (!all_answered({*sleep, *root})) {
        return {false, "`/sleep`: " + how_it_ended(*sleep) + "; `/`: " + how_it_ended(*root) + ": expected two answers"};
    }
    if (root->finish - sleep->start >= 0.9 * delay) {
        return {true, "`/` waited " + format_seconds(root->seconds()) +
                          " behind `/sleep`: one thread serves one request at a time"};
    }
    return {false, "`/` was answered in " + format_seconds(root->seconds()) +
                       " without waiting for `/sleep`: on one thread it should have waited"};
}

Verdict thread_per_request(const std::vector<RequestRecord>& records, std::chrono::milliseconds delay) {
    const auto sleeps = with_path(records, "/sleep");
    const auto* root = find_path(records, "/");
    if (sleeps.empty() || root == nullptr) return missing("`/sleep` and `/`");
    const auto count = static_cast<int>(sleeps.size());
    if (!all_answered(sleeps) || root->outcome != Outcome::Response) {
        return {false, "not every request was answered (`/`: " + how_it_ended(*root) + ")"};
    }
    const int peak = peak_served_at_once(sleeps, delay);
    const std::string measured = "`/` answered in " + format_seconds(root->seconds()) + "; " + std::to_string(peak) +
                                 " of " + std::to_string(count) + " `/sleep` ran at once (parallelism " +
                                 fixed(effective_parallelism(sleeps, delay), 1) + ")";
    // More sleeps than a pool of four could run at once: only then is "no cap" seen.
    if (root->seconds() < 0.5 * seconds(delay) && peak == count && count > book_pool_size) {
        return {true, measured + ": a thread for every request, and no cap"};
    }
    return {false, measured + ": expected `/` at once and every one of more than " + std::to_string(book_pool_size) +
                       " `/sleep` side by side"};
}

Verdict dropped_unanswered(const std::vector<RequestRecord>& records, const std::optional<ServerEnd>& end) {
    const auto* root = find_path(records, "/");
    if (root == nullptr) return missing("`/`");
    const std::string measured = "`/` got " + (root->outcome == Outcome::Response ? describe_outcome(*root)
                                                                                  : "no response (" + how_it_ended(*root) + ")");
    if (end) return {false, measured + ", and the server " + end->status.describe() + ": expected it to keep running"};
    if (closed_unanswered(*root)) return {true, measured + ": `execute` drops the job, and the connection with it"};
    return {false, measured + ": expected the connection to close unanswered"};
}

Verdict send_fails_on_dropped_receiver(const std::vector<RequestRecord>& records, std::chrono::milliseconds deadline,
                                       const std::optional<ServerEnd>& end) {
    const auto* root = find_path(records, "/");
    if (root == nullptr) return missing("`/`");
    if (closed_unanswered(*root) && end && end->status.exited && end->status.code == 101) {
        return {true, "`/` got no response (" + describe_outcome(*root) +
                          ") and the server exited with status 101: `send` found the receiver dropped, and `unwrap` panicked"};
    }
    const std::string measured = root->outcome == Outcome::TimedOut
                                     ? "`/` got no answer in " + format_seconds(seconds(deadline)) + " (the demo's deadline)"
                                     : "`/` got " + how_it_ended(*root);
    return {false, measured + (end ? ", and the server " + end->status.describe() : ", and the server still runs") +
                       ": expected `send` to fail and the server to exit with status 101"};
}

Verdict capped_at_workers(const std::vector<RequestRecord>& records, std::chrono::milliseconds delay, int workers) {
    const auto sleeps = with_path(records, "/sleep");
    if (sleeps.empty()) return missing("`/sleep`");
    if (!all_answered(sleeps)) return {false, "not every `/sleep` was answered"};
    const int peak = peak_served_at_once(sleeps, delay);
    const double span = span_in_delays(sleeps, delay);
    const std::string measured = "at most " + std::to_string(peak) + " of " + std::to_string(sleeps.size()) +
                                 " `/sleep` ran at once, all done after " + fixed(span, 1) + " delays";
    if (peak == workers && static_cast<int>(sleeps.size()) > workers && span >= 1.6) {
        return {true, measured + ": " + std::to_string(workers) + " workers, the rest wait their turn in the channel"};
    }
    return {false, measured + ": expected " + std::to_string(workers) + " at once with " + std::to_string(workers) +
                       " workers"};
}

Verdict serialised_by_lock(const std::vector<RequestRecord>& records, std::chrono::milliseconds delay, int workers) {
    const auto sleeps = with_path(records, "/sleep");
    if (sleeps.empty()) return missing("`/sleep`");
    if (!all_answered(sleeps)) return {false, "not every `/sleep` was answered"};
    const std::string measured = "parallelism " + fixed(effective_parallelism(sleeps, delay), 1) + " with " +
                                 std::to_string(workers) + " workers";
    // As many sleeps as workers: fewer could not show that idle workers waited.
    if (peak_served_at_once(sleeps, delay) == 1 && static_cast<int>(sleeps.size()) >= workers) {
        return {true, measured + ": the lock is held while the job runs, so the jobs run one at a time"};
    }
    return {false, measured + ": expected 1.0 for " + std::to_string(workers) +
                       " or more `/sleep`, the lock held while each job runs"};
}

Verdict graceful_exit(const std::vector<RequestRecord>& records, const std::optional<ServerEnd>& end) {
    const auto* sleep = find_path(records, "/sleep");
    if (sleep == nullptr || records.size() < 2) return missing("`/sleep` and a second request");
    if (!all_answered(records)) return {false, "not both requests were answered (`/sleep`: " + how_it_ended(*sleep) + ")"};
    if (!end) return {false, "both answered, but the server did not exit: expected it to stop after two requests"};
    auto first = records.front().start;
    for (const auto& record : records) first = std::min(first, record.start);
    const std::string measured = "both answered; the server " + end->status.describe() + " at " +
                                 format_seconds(seconds(end->at - first));
    if (end->status.exited && end->status.code == 0 && end->at >= sleep->finish) {
        return {true, measured + ", after `/sleep` was done: dropping the pool waits for every Worker"};
    }
    return {false, measured + ": expected status 0, after `/sleep` was answered"};
}

Verdict answered_all_then_exited_on_sigterm(const std::vector<RequestRecord>& records, std::chrono::milliseconds delay,
                                            int workers, const std::optional<ServerEnd>& end) {
    const auto sleeps = with_path(records, "/sleep");
    if (sleeps.empty()) return missing("`/sleep`");
    if (!all_answered(sleeps)) return {false, "not every `/sleep` was answered: SIGTERM lost an accepted request"};
    auto first = sleeps.front().start;
    auto last = sleeps.front().finish;
    for (const auto& record : sleeps) {
        first = std::min(first, record.start);
        last = std::max(last, record.finish);
    }
    const int peak = peak_served_at_once(sleeps, delay);
    std::string measured = "all " + std::to_string(sleeps.size()) + " `/sleep` answered, at most " +
                           std::to_string(peak) + " at once";
    if (!end) return {false, measured + ", but the server did not exit: expected SIGTERM to stop it"};
    measured += "; the server " + end->status.describe() + " at " + format_seconds(seconds(end->at - first));
    if (peak == workers && end->status.exited && end->status.code == 0 && end->at >= last) {
        return {true, measured + ", after the last answer: SIGTERM ends the accept loop, and the pool's "
                                 "destructor runs every job already queued"};
    }
    return {false, measured + ": expected " + std::to_string(workers) + " at once, and status 0 after the last answer"};
}

Verdict event_loop_without_cap(const std::vector<RequestRecord>& records, std::chrono::milliseconds delay,
                               int threads) {
    const auto sleeps = with_path(records, "/sleep");
    const auto* root = find_path(records, "/");
    if (sleeps.empty() || root == nullptr) return missing("`/sleep` and `/`");
    if (!all_answered(sleeps) || root->outcome != Outcome::Response) {
        return {false, "not every request was answered (`/`: " + how_it_ended(*root) + ")"};
    }
    const int peak = peak_served_at_once(sleeps, delay);
    const double span = span_in_delays(sleeps, delay);
    const std::string measured = "`/` answered in " + format_seconds(root->seconds()) + "; " + std::to_string(peak) +
                                 " of " + std::to_string(sleeps.size()) + " `/sleep` ran at once, all done after " +
                                 fixed(span, 1) + " delays";
    const std::string on = threads == 1 ? "one thread" : std::to_string(threads) + " threads";
    // More sleeps than threads (and than a pool of four): only then is "no request holds a thread" seen.
    const bool more_than_threads = static_cast<int>(sleeps.size()) > std::max(threads, book_pool_size);
    if (root->seconds() < 0.5 * seconds(delay) && peak == static_cast<int>(sleeps.size()) && span < 1.6 &&
        more_than_threads) {
        return {true, measured + ": " + on + " and a timer per request; no request holds a thread while it waits"};
    }
    return {false, measured + ": expected `/` at once and every one of more than " +
                       std::to_string(std::max(threads, book_pool_size)) + " `/sleep` side by side on " + on};
}

}  // namespace support
