// The demo's lock rows: the trace read back and drawn on recorded data (exact text), then the trace of
// the real servers checked against what their code does with the guard: 21-21 holds it through each
// job, 21-20 drops it before the job runs.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lock_trace.hpp"
#include "observation.hpp"
#include "paths.hpp"
#include "pool_checks.hpp"
#include "server_process.hpp"
#include "timeline.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

constexpr long long t0_ns = 3'600'000'000'000;  // any fixed instant (1 h)
const Clock::time_point t0 = Clock::time_point{} + 1h;

// A trace line at `ms` after t0.
std::string event(int ms, int thread, const std::string& what) {
    return std::to_string(t0_ns + ms * 1'000'000LL) + " " + std::to_string(thread) + " " + what + "\n";
}

// Two workers of listing 21-21: thread 1 takes the lock, receives a job at 100 ms and keeps the guard
// until the job (its connection closed) ends at 1100 ms; thread 2 waits for the lock all that time.
const std::string held_through_the_job =
    event(0, 1, "wait") + event(0, 1, "acquired") + event(0, 2, "wait") +
    event(100, 1, "say Worker 0 got a job; executing.") + event(1100, 1, "close") + event(1100, 1, "released") +
    event(1100, 1, "wait") + event(1100, 2, "acquired");

// The same in listing 21-20: thread 1 drops the guard as it receives the job; thread 2 takes the lock
// at once and waits in recv() while the job runs.
const std::string released_before_the_job =
    event(0, 1, "wait") + event(0, 1, "acquired") + event(0, 2, "wait") + event(100, 1, "released") +
    event(100, 2, "acquired") + event(100, 1, "say Worker 0 got a job; executing.") + event(1100, 1, "close") +
    event(1100, 1, "wait");

RequestRecord sleep_request() {
    RequestRecord made;
    made.label = "/sleep";
    made.path = "/sleep";
    made.start = t0 + 90ms;
    made.finish = t0 + 1110ms;
    made.outcome = Outcome::Response;
    made.response.status_line = "HTTP/1.1 200 OK";
    return made;
}

std::string drawn(const std::string& trace) {
    return draw_timeline({sleep_request()},
                         {.width = 60, .work_by_path = {{"/sleep", 1s}}, .lanes = lock_lanes(parse_lock_trace(trace, t0 + 2s))});
}

}  // namespace

TEST(Demo_LockTrace, ReadsWhoWaitedHeldAndRanAJob) {
    const auto workers = parse_lock_trace(held_through_the_job + "not a trace line\n", t0 + 2s);
    ASSERT_EQ(workers.size(), 2U);
    EXPECT_EQ(workers[0].worker, 0);
    EXPECT_EQ(workers[0].thread, 1);
    ASSERT_EQ(workers[0].jobs.size(), 1U);
    EXPECT_EQ(workers[0].jobs[0].from, t0 + 100ms);
    EXPECT_EQ(workers[0].jobs[0].to, t0 + 1100ms);
    ASSERT_EQ(workers[0].holding.size(), 1U);
    EXPECT_EQ(workers[0].holding[0].to, t0 + 1100ms);
    ASSERT_EQ(workers[0].waiting.size(), 2U) << "the second wait is still open at the end";
    EXPECT_EQ(workers[0].waiting[1].to, t0 + 2s);
    EXPECT_FALSE(workers[1].worker.has_value()) << "thread 2 never printed its id";
    ASSERT_EQ(workers[1].holding.size(), 1U);
    EXPECT_EQ(workers[1].holding[0].to, t0 + 2s);
}

TEST(Demo_LockTrace, ShareOfJobTimeUnderTheLockIsOneWhenHeldThroughAndZeroWhenReleasedBefore) {
    EXPECT_DOUBLE_EQ(share_of_job_time_under_lock(parse_lock_trace(held_through_the_job, t0 + 2s)), 1.0);
    EXPECT_DOUBLE_EQ(share_of_job_time_under_lock(parse_lock_trace(released_before_the_job, t0 + 2s)), 0.0);
}

TEST(Demo_LockTrace, DrawsAJobUnderTheLockAndAJobAfterIt) {
    EXPECT_EQ(drawn(held_through_the_job),
              "/sleep    .================================|  1.02 s  200 OK\n"
              "worker 0  @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@-  1 job\n"
              "worker ?  ---------------------------------#  no job\n"
              "          +---------------+---------------+-\n"
              "          0               0.5             1 s\n"
              ". waiting   = served   | answered   - waiting for the lock\n"
              "# holding the lock   @ running a job, holding the lock\n");
    EXPECT_EQ(drawn(released_before_the_job),
              "/sleep    .================================|  1.02 s  200 OK\n"
              "worker 0  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~-  1 job\n"
              "worker ?  ##################################  no job\n"
              "          +---------------+---------------+-\n"
              "          0               0.5             1 s\n"
              ". waiting   = served   | answered   - waiting for the lock\n"
              "# holding the lock   ~ running a job\n");
}

namespace {

// The real server's lock trace while two /sleep are served side by side, read back; what it shows is
// recorded for `./workbook test` (`what` gives the words for a pass and a failure). Four workers, two jobs.
struct TracedRun {
    std::size_t workers = 0;
    std::size_t jobs = 0;
    double share_under_lock = 0;
};

TracedRun trace_two_sleeps(const char* stage, const char* target, Observation what) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("workbook-lock-trace-test-" + std::to_string(::getpid()) + "-" + target);
    std::filesystem::remove(path);
    auto server = ServerProcess::start({.stage = stage, .target = target, .slow_request_delay = 300ms,
                                        .extra_env = {{"WORKBOOK_LOCK_TRACE", path.string()}},
                                        .executable = lock_traced_binary(target)});
    const auto records = send_concurrently(server->address(), same_request("/sleep", 2));
    EXPECT_EQ(unanswered(records), "");
    std::ifstream file(path);
    std::ostringstream text;
    text << file.rdbuf();
    std::filesystem::remove(path);

    const auto workers = parse_lock_trace(text.str(), Clock::now());
    TracedRun run{.workers = workers.size(), .share_under_lock = share_of_job_time_under_lock(workers)};
    for (const auto& worker : workers) run.jobs += worker.jobs.size();
    what.saw = std::string(target).substr(8) + "'s trace: " + std::to_string(run.jobs) + " jobs, " +
               fixed(run.share_under_lock * 100, 0) + "% of job time under the lock";
    observe(what);
    EXPECT_EQ(run.workers, 4U) << "four workers should have waited for the lock";
    EXPECT_EQ(run.jobs, 2U);
    return run;
}

}  // namespace

TEST(Demo_LockTrace, In2121EveryJobRunsWhileItsWorkerHoldsTheLock) {
    const auto run = trace_two_sleeps("07-while-let-bug", "listing-21-21",
                                      {.shows = "the guard lives through the loop body", .expected = "2 jobs, over 99%"});
    EXPECT_GT(run.share_under_lock, 0.99);
}

TEST(Demo_LockTrace, In2120TheLockIsReleasedBeforeEveryJob) {
    const auto run = trace_two_sleeps("06-working-pool", "listing-21-20",
                                      {.shows = "the temporary guard is gone before the job runs", .expected = "2 jobs, under 1%"});
    EXPECT_LT(run.share_under_lock, 0.01);
}

namespace {

// What `./workbook demo` prints for one stage (workbook-demo, no colour, 80 columns).
std::string demo_output(const std::string& stage, const std::string& target) {
    const auto command = (build_root() / "tests/instruments/workbook-demo").string() + " " + stage + " " + target +
                         " --delay-ms 300 --colour never --width 80 2>&1";
    std::FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return "";
    std::string output;
    char buffer[4096];
    for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, got);
    ::pclose(pipe);
    return output;
}

// The demo's lock rows: the lines that start with `worker `.
std::vector<std::string> worker_rows(const std::string& output) {
    std::vector<std::string> rows;
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("worker ")) rows.push_back(line);
    }
    return rows;
}

// The demo of one stage draws four worker rows, in which jobs appear only as `job_glyph` (never as
// `other_glyph`), and says `verdict`.
void expect_lock_rows(const std::string& stage, const std::string& target, char job_glyph, char other_glyph,
                      const std::string& verdict) {
    // Not its status: whether the requests' timing matches the book is the demo's verdict, not this.
    const auto output = demo_output(stage, target);
    const auto rows = worker_rows(output);
    ASSERT_EQ(rows.size(), 4U) << output;
    std::size_t rows_with_jobs = 0;
    for (const auto& row : rows) {
        if (row.find(job_glyph) != std::string::npos) ++rows_with_jobs;
        EXPECT_EQ(row.find(other_glyph), std::string::npos) << output;
    }
    EXPECT_GE(rows_with_jobs, 1U) << output;
    EXPECT_NE(output.find(verdict), std::string::npos) << output;
}

}  // namespace

TEST(Demo_LockTrace, Demo07DrawsARowPerWorkerWithJobsOnlyUnderTheLock) {
    expect_lock_rows("07-while-let-bug", "listing-21-21", '@', '~', "Each job ran while its worker held the receiver's lock");
}

TEST(Demo_LockTrace, Demo06DrawsARowPerWorkerWithJobsRunWithoutTheLock) {
    expect_lock_rows("06-working-pool", "listing-21-20", '~', '@', "Each worker released the lock before running its job");
}
