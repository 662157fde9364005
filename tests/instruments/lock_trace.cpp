#include "lock_trace.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include "paths.hpp"
#include "pool_checks.hpp"

namespace support {

namespace {

Clock::time_point at(long long nanoseconds) {
    return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(nanoseconds)));
}

double seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

struct OpenIntervals {
    std::optional<Clock::time_point> waiting, holding, job;
};

void close(std::optional<Clock::time_point>& opened, std::vector<Interval>& into, Clock::time_point when) {
    if (opened) into.push_back({*opened, when});
    opened.reset();
}

}  // namespace

std::filesystem::path lock_traced_binary(std::string_view target) {
    return build_root() / "tests" / "instruments" / ("traced-" + std::string(target));
}

std::vector<WorkerTrace> parse_lock_trace(std::string_view text, Clock::time_point end) {
    std::map<int, WorkerTrace> threads;
    std::map<int, OpenIntervals> open;
    std::istringstream lines{std::string(text)};
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        long long nanoseconds = 0;
        int thread = 0;
        std::string event;
        if (!(fields >> nanoseconds >> thread >> event)) continue;
        std::string said;
        std::getline(fields >> std::ws, said);
        const auto when = at(nanoseconds);
        auto& trace = threads[thread];
        trace.thread = thread;
        auto& opened = open[thread];
        if (event == "wait") {
            opened.waiting = when;
        } else if (event == "acquired") {
            close(opened.waiting, trace.waiting, when);
            opened.holding = when;
        } else if (event == "released") {
            close(opened.holding, trace.holding, when);
        } else if (event == "say") {
            if (const auto id = worker_job_id(said)) {
                trace.worker = *id;
                close(opened.job, trace.jobs, when);
                opened.job = when;
            }
        } else if (event == "close") {
            close(opened.job, trace.jobs, when);
        }
    }
    std::vector<WorkerTrace> workers;
    for (auto& [thread, trace] : threads) {
        auto& opened = open[thread];
        close(opened.waiting, trace.waiting, end);
        close(opened.holding, trace.holding, end);
        close(opened.job, trace.jobs, end);
        if (!trace.waiting.empty() || !trace.holding.empty()) workers.push_back(std::move(trace));
    }
    std::stable_sort(workers.begin(), workers.end(), [](const WorkerTrace& a, const WorkerTrace& b) {
        if (a.worker.has_value() != b.worker.has_value()) return a.worker.has_value();
        return a.worker.value_or(0) < b.worker.value_or(0);
    });
    return workers;
}

double share_of_job_time_under_lock(const std::vector<WorkerTrace>& workers) {
    double job_time = 0;
    double under_lock = 0;
    for (const auto& worker : workers) {
        for (const auto& job : worker.jobs) {
            job_time += seconds(job.to - job.from);
            for (const auto& hold : worker.holding) {
                const auto from = std::max(job.from, hold.from);
                const auto to = std::min(job.to, hold.to);
                if (to > from) under_lock += seconds(to - from);
            }
        }
    }
    return job_time > 0 ? under_lock / job_time : 0;
}

std::vector<TimelineLane> lock_lanes(const std::vector<WorkerTrace>& workers) {
    std::vector<TimelineLane> lanes;
    for (const auto& worker : workers) {
        TimelineLane lane{.label = worker.worker ? "worker " + std::to_string(*worker.worker) : "worker ?"};
        for (const auto& span : worker.waiting) lane.spans.push_back({span.from, span.to, LaneActivity::WaitingForLock});
        for (const auto& span : worker.holding) lane.spans.push_back({span.from, span.to, LaneActivity::HoldingLock});
        for (const auto& span : worker.jobs) lane.spans.push_back({span.from, span.to, LaneActivity::RunningJob});
        const auto jobs = worker.jobs.size();
        lane.note = jobs == 0 ? "no job" : std::to_string(jobs) + (jobs == 1 ? " job" : " jobs");
        lanes.push_back(std::move(lane));
    }
    return lanes;
}

}  // namespace support
