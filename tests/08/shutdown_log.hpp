// A graceful shutdown's log, as the server printed it: where each line of interest is, so that tests
// can check the order the book shows (`Shutting down.`, each worker disconnecting, each one joined).
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "observation.hpp"
#include "pool_checks.hpp"
#include "server_process.hpp"

namespace stage08 {

// Where each line of interest is in the server's stdout; -1 if absent, -2 if it appears more than once.
struct ShutdownLog {
    explicit ShutdownLog(std::vector<std::string> printed, std::string ended = "disconnected")
        : lines(std::move(printed)), worker_ended(std::move(ended)) {}

    [[nodiscard]] int index_of(const std::string& line) const {
        const auto first = std::find(lines.begin(), lines.end(), line);
        if (first == lines.end()) return -1;
        if (std::find(first + 1, lines.end(), line) != lines.end()) return -2;
        return static_cast<int>(first - lines.begin());
    }
    [[nodiscard]] int shutting_down() const { return index_of("Shutting down."); }
    [[nodiscard]] int shutting_down_worker(int id) const {
        return index_of("Shutting down worker " + std::to_string(id));
    }
    [[nodiscard]] int disconnected(int id) const {
        return index_of("Worker " + std::to_string(id) + " " + worker_ended + "; shutting down.");
    }
    // The index of every `Worker N got a job; executing.` line, with its N.
    [[nodiscard]] std::vector<std::pair<int, int>> jobs() const {
        std::vector<std::pair<int, int>> found;
        for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
            if (auto id = support::worker_job_id(lines[static_cast<std::size_t>(i)]))
                found.emplace_back(i, *id);
        }
        return found;
    }
    [[nodiscard]] std::string text() const {
        std::string all;
        for (const auto& line : lines) all += line + "\n";
        return all;
    }

    std::vector<std::string> lines;
    std::string worker_ended;  // `disconnected` (the book), `stopped` (stage 09)
};

// After a server of listing 21-25's main has served its two connections: it ends by itself with status
// 0 and nothing on stderr, and its log shows the book's shutdown: two jobs, `Shutting down.`, then each
// worker disconnected once and joined once, in the vector's order, each join after the previous
// worker's thread left its loop.
inline void expect_a_graceful_shutdown_in_the_books_order(support::ServerProcess& server, int pool_size,
                                                          const std::string& worker_ended = "disconnected") {
    using namespace std::chrono_literals;
    const auto status = server.wait_for_exit(10s);
    ASSERT_TRUE(status.has_value()) << "after its two connections (or SIGTERM, stage 09) the server must end";
    support::observe({.saw = "two requests answered, then the server " + status->describe(),
                      .shows = "the pool's destructor joined its four workers: a graceful shutdown",
                      .expected = "exit status 0 and nothing on stderr"});
    EXPECT_TRUE(status->exited && status->code == 0) << status->describe() << "\n" << server.stderr_text();
    EXPECT_EQ(server.stderr_text(), "") << "a graceful shutdown panics nowhere";

    const ShutdownLog log(server.stdout_lines(), worker_ended);
    SCOPED_TRACE("stdout:\n" + log.text());
    const int shutting_down = log.shutting_down();
    ASSERT_GE(shutting_down, 0) << "`Shutting down.` exactly once";
    const auto jobs = log.jobs();
    ASSERT_EQ(jobs.size(), 2U) << "two connections, two jobs";
    // The first request was answered before the second connected, so before main left its loop; the
    // second job may be picked up before or after `Shutting down.` (the book shows it after).
    EXPECT_LT(jobs[0].first, shutting_down);
    for (int id = 0; id < pool_size; ++id) {
        const int joining = log.shutting_down_worker(id);
        const int disconnected = log.disconnected(id);
        ASSERT_GE(joining, 0) << "`Shutting down worker " << id << "` exactly once";
        ASSERT_GE(disconnected, 0) << "`Worker " << id << " " << worker_ended << "` exactly once";
        // The destructor runs after main's last line; it drops the sender, and only then can a worker
        // see its recv() fail.
        EXPECT_GT(joining, shutting_down);
        EXPECT_GT(disconnected, shutting_down);
        if (id > 0) {
            EXPECT_GT(joining, log.shutting_down_worker(id - 1)) << "joined in the vector's order";
            // join() on worker id-1 returned only after its thread left the loop.
            EXPECT_GT(joining, log.disconnected(id - 1))
                << "worker " << id - 1 << " was joined before it ended";
        }
    }
    for (const auto& [index, id] : jobs) {
        EXPECT_LT(index, log.disconnected(id)) << "a worker runs what was queued before it disconnects";
    }
}

}  // namespace stage08
