#include "stage_stories.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "timeline.hpp"

namespace support {

namespace {

using std::chrono::milliseconds;
using Records = std::vector<RequestRecord>;
using End = std::optional<ServerEnd>;

constexpr int async_sleeps = 12;  // stages 10, 11: three times the pool's cap
constexpr int loop_threads_11 = 4;  // stage 11's event loop threads
constexpr auto no_answer_deadline = 1500ms;  // stage 05: should it hang instead of failing, not for long

std::map<std::string, std::chrono::duration<double>> sleep_work(milliseconds delay) { return {{"/sleep", delay}}; }
RequestPlan sleep_request() { return {.label = "/sleep", .path = "/sleep"}; }
RequestPlan root_later(milliseconds delay) { return {.label = "/", .path = "/", .start_after = delay / 4}; }

// Sleeps (and `/` a quarter of a delay later, where `root` says so) at once, the server going on serving.
Scenario sleeps_at_once(milliseconds delay, std::string summary, int sleeps, bool root) {
    auto plans = same_request("/sleep", sleeps);
    if (root) plans.push_back(root_later(delay));
    return {.summary = std::move(summary), .plans = plans, .work_by_path = sleep_work(delay)};
}

Scenario root_dropped(milliseconds /*delay*/) {
    return {.summary = "`/`", .plans = {{.label = "/", .path = "/"}}, .deadline = 5s, .exit_wait = 200ms};
}

// A job sent in the first moments can slip into the channel before the last Worker has dropped the
// receiver (the same race in Rust); a moment later the outcome is certain.
Scenario root_after_the_receiver_is_gone(milliseconds delay) {
    return {.summary = "`/` a quarter of a delay after the start, waiting at most " +
                       format_seconds(std::chrono::duration<double>(no_answer_deadline).count()) + " for an answer",
            .plans = {root_later(delay)},
            .deadline = no_answer_deadline,
            .exit_wait = 300ms,
            .show_server_log = true,
            .server_ends = true};
}

// The server ends once the requests are answered: after two connections (08), or on SIGTERM (09).
Scenario requests_then_the_end(milliseconds delay, std::string summary, std::vector<RequestPlan> plans,
                               std::optional<milliseconds> sigterm_after) {
    return {.summary = std::move(summary),
            .plans = std::move(plans),
            .exit_wait = 3 * delay + 5s,
            .show_server_log = true,
            .work_by_path = sleep_work(delay),
            .sigterm_after = sigterm_after,
            .beyond_the_book = sigterm_after.has_value(),
            .server_ends = true};
}

const StageStory stories[] = {
    {.number = "01",
     .what_to_notice = "One thread serves one connection at a time. `/` arrives while `/sleep` is being served and "
                       "waits, unread, in the listener's queue until the sleep is over: its bar is all waiting.",
     .book_section = "\"Simulating a Slow Request\" (listing 21-10)",
     .scenario = [](milliseconds delay) {
         return Scenario{.summary = "`/sleep`, then `/` a quarter of a delay later",
                         .plans = {sleep_request(), root_later(delay)}, .work_by_path = sleep_work(delay)};
     },
     .verdict = [](const Records& records, milliseconds delay, const End&) {
         return root_waits_behind_sleep(records, delay);
     },
     .flood = FloodStory::one_at_a_time,
     .flood_requests = 30},  // one at a time: 3 s
    {.number = "02",
     .what_to_notice = "A new thread for every connection: `/` is answered at once, and all five sleeps run side by "
                       "side. Nothing bounds the number of threads; a flood of requests would start a flood of "
                       "threads.",
     .book_section = "\"Spawning a Thread for Each Request\" (listing 21-11)",
     .scenario = [](milliseconds delay) {
         return sleeps_at_once(delay, "five `/sleep` at once, and `/` a quarter of a delay later", 5, true);
     },
     .verdict = [](const Records& records, milliseconds delay, const End&) { return thread_per_request(records, delay); },
     .flood = FloodStory::thread_per_request},
    {.number = "03",
     .what_to_notice = "The server compiles against the ThreadPool's interface, but `execute` does nothing with its "
                       "closure: the closure, and the TcpStream it owns, is dropped at once, so the connection ends "
                       "without a byte of response.",
     .book_section = "\"Building ThreadPool Using Compiler-Driven Development\" to \"Sending Code from the "
                     "ThreadPool to a Thread\" (listings 21-12 to 21-15)",
     .scenario = root_dropped,
     .verdict = [](const Records& records, milliseconds, const End& end) { return dropped_unanswered(records, end); }},
    {.number = "04",
     .what_to_notice = "The pool now holds a channel's sender, and each Worker a thread, but `execute` still sends "
                       "nothing: the job, and the connection in it, is dropped unanswered, as in stage 03.",
     .book_section = "\"Sending Requests to Threads via Channels\" (listings 21-16, 21-17)",
     .scenario = root_dropped,
     .verdict = [](const Records& records, milliseconds, const End& end) { return dropped_unanswered(records, end); }},
    {.number = "05",
     .what_to_notice = "`execute` now sends each job down the channel, but each Worker's thread dropped its handle on "
                       "the receiver as soon as it started (the closure's body is just `receiver;`). With no "
                       "receiver left, `send` fails, and its `unwrap` panics on the main thread: the first request "
                       "ends the server, unanswered. (Sent at the very start, a job can slip in before the last "
                       "Worker lets go; it then dies with the channel, and the next request ends the server.)",
     .book_section = "\"Sending Requests to Threads via Channels\" and \"Implementing the execute Method\" "
                     "(listings 21-18, 21-19)",
     .scenario = root_after_the_receiver_is_gone,
     .verdict = [](const Records& records, milliseconds, const End& end) {
         return send_fails_on_dropped_receiver(records, no_answer_deadline, end);
     }},
    {.number = "06",
     .what_to_notice = "Four Workers take jobs off one shared channel: four sleeps run side by side, and the fifth "
                       "waits in the channel until a Worker is free, so it is done after about two delays. The pool "
                       "caps the threads at four.",
     .book_section = "\"Implementing the execute Method\" (listing 21-20)",
     .scenario = [](milliseconds delay) {
         return sleeps_at_once(delay, "five `/sleep` at once against four workers", book_pool_size + 1, false);
     },
     .verdict = [](const Records& records, milliseconds delay, const End&) {
         return capped_at_workers(records, delay, book_pool_size);
     },
     .draws_the_lock = true,
     .flood = FloodStory::capped_by_the_pool},
    {.number = "07",
     .what_to_notice = "Listing 21-21's `while let` keeps the MutexGuard alive to the end of the loop body, so a "
                       "Worker holds the lock while its job runs and the other three wait for the lock: four "
                       "workers, one sleep at a time.",
     .book_section = "the end of the chapter (listing 21-21)",
     .scenario = [](milliseconds delay) {
         return sleeps_at_once(delay, "four `/sleep` at once against four workers", book_pool_size, false);
     },
     .verdict = [](const Records& records, milliseconds delay, const End&) {
         return serialised_by_lock(records, delay, book_pool_size);
     },
     .draws_the_lock = true,
     .flood = FloodStory::serialised_by_the_lock,
     .flood_requests = 30},  // one at a time: 3 s
    {.number = "08",
     .what_to_notice = "main takes two connections, then drops the pool: its Drop closes the channel and joins every "
                       "Worker, so `/sleep` is finished before the server exits with status 0.",
     .book_section = "the next section, \"Graceful Shutdown and Cleanup\"",
     .scenario = [](milliseconds delay) {  // after two connections, as the book's main does
         return requests_then_the_end(delay, "`/sleep`, then `/`; the server takes two connections and stops",
                                      {sleep_request(), root_later(delay)}, std::nullopt);
     },
     .verdict = [](const Records& records, milliseconds, const End& end) { return graceful_exit(records, end); }},
    {.number = "09",
     .what_to_notice = "The pool as C++ writes it today: four std::jthread workers take jobs from a mutex-guarded "
                       "queue. SIGTERM arrives while four sleeps run and the fifth waits in the queue: main stops "
                       "accepting, the pool's destructor asks each worker to stop, and a worker stops only once the "
                       "queue is empty, so all five are answered before the server exits with status 0.",
     .book_section = "no section: the chapter ends with stage 08, and this stage goes beyond it",
     .scenario = [](milliseconds delay) {
         return requests_then_the_end(delay, "five `/sleep` at once against four workers, and SIGTERM half a delay "
                                             "later",
                                      same_request("/sleep", book_pool_size + 1), delay / 2);
     },
     .verdict = [](const Records& records, milliseconds delay, const End& end) {
         return answered_all_then_exited_on_sigterm(records, delay, book_pool_size, end);
     }},
    {.number = "10",
     .what_to_notice = "One thread runs an event loop: each connection is a coroutine that suspends at every "
                       "`co_await` (reading, the slow request's timer, writing) and hands the thread to whichever "
                       "task can go on. Twelve sleeps wait side by side, three times stage 06's cap, and `/` is "
                       "answered at once. (The stage's other listings, `./workbook run async-09-03` and "
                       "`cpp-async-09-04-blocking`, serve one at a time again.)",
     .book_section = "the async book's final project, \"Running Asynchronous Code\" and \"Handling Connections "
                     "Concurrently\" (examples 09_03, 09_04)",
     .scenario = [](milliseconds delay) {
         return sleeps_at_once(delay, std::to_string(async_sleeps) + " `/sleep` at once, and `/` a quarter of a "
                                                                     "delay later",
                               async_sleeps, true);
     },
     .verdict = [](const Records& records, milliseconds delay, const End&) {
         return event_loop_without_cap(records, delay, 1);
     }},
    {.number = "11",
     .what_to_notice = "The same coroutines on one event loop run by four threads: any thread resumes any task. With "
                       "timers this looks exactly like stage 10; the threads matter when a handler blocks "
                       "(`./workbook run cpp-async-09-05-blocking`: four sleeps at a time, like stage 06).",
     .book_section = "the async book's final project, \"Serving Requests in Parallel\" (example 09_05)",
     .scenario = [](milliseconds delay) {
         return sleeps_at_once(delay, std::to_string(async_sleeps) + " `/sleep` at once, and `/` a quarter of a "
                                                                     "delay later",
                               async_sleeps, true);
     },
     .verdict = [](const Records& records, milliseconds delay, const End&) {
         return event_loop_without_cap(records, delay, loop_threads_11);
     }},
};

}  // namespace

std::span<const StageStory> stage_stories() { return stories; }

const StageStory* story_of(std::string_view stage) {
    const auto number = stage.substr(0, 2);
    const auto found = std::ranges::find(stories, number, &StageStory::number);
    return found == std::end(stories) ? nullptr : &*found;
}

std::optional<Scenario> scenario_for(std::string_view stage, std::chrono::milliseconds delay) {
    const auto* story = story_of(stage);
    if (story == nullptr) return std::nullopt;
    return story->scenario(delay);
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
    return story_of(stage)->verdict(records, delay, end);
}

}  // namespace support
