#include "scenarios.hpp"

#include <algorithm>
#include <cstdio>

#include "fixed_decimals.hpp"
#include "timeline.hpp"

namespace support {

namespace {

constexpr int async_sleeps = 12;  // stages 10, 11: three times the pool's cap
constexpr int loop_threads_11 = 4;  // stage 11's event loop threads
constexpr auto no_answer_deadline = 1500ms;  // stage 05: should it hang instead of failing, not for long

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

std::optional<Scenario> scenario_for(std::string_view stage, std::chrono::milliseconds delay) {
    const std::string number(stage.substr(0, 2));
    const std::map<std::string, std::chrono::duration<double>> sleep_work{{"/sleep", delay}};
    const RequestPlan sleep{.label = "/sleep", .path = "/sleep"};
    const RequestPlan root_later{.label = "/", .path = "/", .start_after = delay / 4};
    const RequestPlan root{.label = "/", .path = "/"};

    if (number == "01") {
        return Scenario{
            .summary = "`/sleep`, then `/` a quarter of a delay later",
            .plans = {sleep, root_later},
            .work_by_path = sleep_work,
            .what_to_notice = "One thread serves one connection at a time. `/` arrives while `/sleep` is being "
                              "served and waits, unread, in the listener's queue until the sleep is over: its bar "
                              "is all waiting.",
            .book_section = "\"Simulating a Slow Request\" (listing 21-10)"};
    }
    if (number == "02") {
        auto plans = same_request("/sleep", 5);
        plans.push_back(root_later);
        return Scenario{
            .summary = "five `/sleep` at once, and `/` a quarter of a delay later",
            .plans = plans,
            .work_by_path = sleep_work,
            .what_to_notice = "A new thread for every connection: `/` is answered at once, and all five sleeps "
                              "run side by side. Nothing bounds the number of threads; a flood of requests "
                              "would start a flood of threads.",
            .book_section = "\"Spawning a Thread for Each Request\" (listing 21-11)"};
    }
    if (number == "03" || number == "04") {
        return Scenario{
            .summary = "`/`",
            .plans = {root},
            .deadline = 5s,
            .exit_wait = 200ms,
            .what_to_notice =
                number == "03"
                    ? "The server compiles against the ThreadPool's interface, but `execute` does nothing "
                      "with its closure: the closure, and the TcpStream it owns, is dropped at once, so the "
                      "connection ends without a byte of response."
                    : "The pool now holds a channel's sender, and each Worker a thread, but `execute` still "
                      "sends nothing: the job, and the connection in it, is dropped unanswered, as in stage 03.",
            .book_section = number == "03" ? "\"Building ThreadPool Using Compiler-Driven Development\" to "
                                             "\"Sending Code from the ThreadPool to a Thread\" (listings 21-12 to 21-15)"
                                           : "\"Sending Requests to Threads via Channels\" (listings 21-16, 21-17)"};
    }
    if (number == "05") {
        // A job sent in the first moments can slip into the channel before the last Worker has dropped
        // the receiver (the same race in Rust); a moment later the outcome is certain.
        return Scenario{
            .summary = "`/` a quarter of a delay after the start, waiting at most " +
                       format_seconds(seconds(no_answer_deadline)) + " for an answer",
            .plans = {root_later},
            .deadline = no_answer_deadline,
            .exit_wait = 300ms,
            .show_server_log = true,
            .what_to_notice = "`execute` now sends each job down the channel, but each Worker's thread dropped "
                              "its handle on the receiver as soon as it started (the closure's body is just "
                              "`receiver;`). With no receiver left, `send` fails, and its `unwrap` panics on "
                              "the main thread: the first request ends the server, unanswered. (Sent at the very "
                              "start, a job can slip in before the last Worker lets go; it then dies with the "
                              "channel, and the next request ends the server.)",
            .book_section = "\"Sending Requests to Threads via Channels\" and \"Implementing the execute Method\" "
                            "(listings 21-18, 21-19)",
            .server_ends = true};
    }
    if (number == "06" || number == "07") {
        const bool capped = number == "06";  // 07: the lock held through each job
        return Scenario{
            .summary = std::string(capped ? "five" : "four") + " `/sleep` at once against four workers",
            .plans = same_request("/sleep", capped ? book_pool_size + 1 : book_pool_size),
            .work_by_path = sleep_work,
            .what_to_notice =
                capped ? "Four Workers take jobs off one shared channel: four sleeps run side by side, "
                         "and the fifth waits in the channel until a Worker is free, so it is done after "
                         "about two delays. The pool caps the threads at four."
                       : "Listing 21-21's `while let` keeps the MutexGuard alive to the end of the loop "
                         "body, so a Worker holds the lock while its job runs and the other three wait "
                         "for the lock: four workers, one sleep at a time.",
            .book_section = capped ? "\"Implementing the execute Method\" (listing 21-20)"
                                   : "the end of the chapter (listing 21-21)"};
    }
    if (number == "08" || number == "09") {
        const bool on_sigterm = number == "09";  // 08: after two connections, as the book's main does
        return Scenario{
            .summary = on_sigterm ? "five `/sleep` at once against four workers, and SIGTERM half a delay later"
                                  : "`/sleep`, then `/`; the server takes two connections and stops",
            .plans = on_sigterm ? same_request("/sleep", book_pool_size + 1) : std::vector<RequestPlan>{sleep, root_later},
            .exit_wait = 3 * delay + 5s,
            .show_server_log = true,
            .work_by_path = sleep_work,
            .what_to_notice =
                on_sigterm
                    ? "The pool as C++ writes it today: four std::jthread workers take jobs from a "
                      "mutex-guarded queue. SIGTERM arrives while four sleeps run and the fifth waits in "
                      "the queue: main stops accepting, the pool's destructor asks each worker to stop, "
                      "and a worker stops only once the queue is empty, so all five are answered before "
                      "the server exits with status 0."
                    : "main takes two connections, then drops the pool: its Drop closes the channel and "
                      "joins every Worker, so `/sleep` is finished before the server exits with status 0.",
            .book_section = on_sigterm ? "no section: the chapter ends with stage 08, and this stage goes beyond it"
                                       : "the next section, \"Graceful Shutdown and Cleanup\"",
            .sigterm_after = on_sigterm ? std::optional<std::chrono::milliseconds>(delay / 2) : std::nullopt,
            .beyond_the_book = on_sigterm,
            .server_ends = true};
    }
    if (number == "10" || number == "11") {
        auto plans = same_request("/sleep", async_sleeps);
        plans.push_back(root_later);
        return Scenario{
            .summary = std::to_string(async_sleeps) + " `/sleep` at once, and `/` a quarter of a delay later",
            .plans = plans,
            .work_by_path = sleep_work,
            .what_to_notice =
                number == "10"
                    ? "One thread runs an event loop: each connection is a coroutine that suspends at every "
                      "`co_await` (reading, the slow request's timer, writing) and hands the thread to whichever "
                      "task can go on. Twelve sleeps wait side by side, three times stage 06's cap, and `/` is "
                      "answered at once. (The stage's other listings, `./workbook run async-09-03` and "
                      "`cpp-async-09-04-blocking`, serve one at a time again.)"
                    : "The same coroutines on one event loop run by four threads: any thread resumes any task. "
                      "With timers this looks exactly like stage 10; the threads matter when a handler blocks "
                      "(`./workbook run cpp-async-09-05-blocking`: four sleeps at a time, like stage 06).",
            .book_section = number == "10" ? "the async book's final project, \"Running Asynchronous Code\" and "
                                             "\"Handling Connections Concurrently\" (examples 09_03, 09_04)"
                                           : "the async book's final project, \"Serving Requests in Parallel\" "
                                             "(example 09_05)"};
    }
    return std::nullopt;
}

Verdict judge(std::string_view stage, const std::vector<RequestRecord>& records, std::chrono::milliseconds delay,
              const std::optional<ServerEnd>& end) {
    const std::string number(stage.substr(0, 2));
    const auto scenario = scenario_for(stage, delay);
    if (!scenario) return {false, "stage " + number + " has no demo"};
    // Another stage's records can pass this stage's test of them (stage 10's twelve sleeps side by side
    // pass stage 02's "every `/sleep` at once"): first, they must be this scenario's requests.
    std::vector<std::string> sent;
    for (const auto& record : records) sent.push_back(record.path);
    std::vector<std::string> planned;
    for (const auto& plan : scenario->plans) planned.push_back(plan.path);
    if (sent != planned) {
        return {false, "the records hold " + std::to_string(sent.size()) + " requests, not stage " + number +
                           "'s " + std::to_string(planned.size()) + " (" + scenario->summary + ")"};
    }
    if (end && !scenario->server_ends) {
        return {false, "the server " + end->status.describe() + " during the scenario: stage " + number +
                           "'s server goes on serving"};
    }
    if (number == "01") return root_waits_behind_sleep(records, delay);
    if (number == "02") return thread_per_request(records, delay);
    if (number == "03" || number == "04") return dropped_unanswered(records, end);
    if (number == "05") return send_fails_on_dropped_receiver(records, no_answer_deadline, end);
    if (number == "06") return capped_at_workers(records, delay, book_pool_size);
    if (number == "07") return serialised_by_lock(records, delay, book_pool_size);
    if (number == "08") return graceful_exit(records, end);
    if (number == "09") return answered_all_then_exited_on_sigterm(records, delay, book_pool_size, end);
    if (number == "10") return event_loop_without_cap(records, delay, 1);
    return event_loop_without_cap(records, delay, loop_threads_11);
}

}  // namespace support
