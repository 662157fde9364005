// A panic leaving main, from outside: in Rust it unwinds main, so main's locals are dropped first (the
// ThreadPool's Drop runs) and then the runtime exits 101; a panic in that Drop while the first one
// unwinds aborts the process. The workbook's runtime (common/rs/main.cpp) does the same.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>

#include "http_client.hpp"
#include "observation.hpp"
#include "pool_checks.hpp"
#include "rust_messages.hpp"
#include "server_process.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

constexpr int pool_size = 4;

bool has_line(const std::vector<std::string>& lines, const std::string& wanted) {
    return std::find(lines.begin(), lines.end(), wanted) != lines.end();
}

}  // namespace

TEST(Stage08_PanicLeavingMain, UnwindsMainSoThePoolsDestructorRunsPanicsAgainAndTheProcessAborts) {
    // Listing 21-24 (its main has no take(2)) with four workers ended by empty connections: the next
    // request's `send(job).unwrap()` panics on main. As in Rust, that panic unwinds main: the pool's
    // destructor runs, prints `Shutting down worker 0`, and join() returns Err (worker 0 panicked), so
    // its unwrap panics while the first panic is unwinding. Rust then aborts: "panic in a destructor
    // during cleanup", SIGABRT (rustc 1.95.0, the book's 21-24 pool: docs/rust-measured.md).
    auto server = ServerProcess::start({.stage = "08-graceful-shutdown", .target = "listing-21-24"});
    for (int i = 0; i < pool_size; ++i) (void)connect_and_close(server->address(), 50ms);
    ASSERT_TRUE(server->wait_for_stderr(rust_text::worker_panicked, 5s, pool_size)) << server->stderr_text();

    const auto after = request_until_exit(*server);
    ASSERT_TRUE(after.status.has_value())
        << "the server should have ended; stderr: " << server->stderr_text();
    const auto lines = server->stdout_lines();
    const auto errors = server->stderr_text();
    observe({.saw = "four workers dead, one more request: the server ended " + after.status->describe() +
                    (has_line(lines, "Shutting down worker 0") ? ", after `Shutting down worker 0`" : ""),
             .shows = "main's panic unwound main and ran the pool's destructor, whose second panic aborts",
             .expected = "`Shutting down worker 0`, then SIGABRT, as Rust"});
    EXPECT_FALSE(after.status->exited) << after.status->describe();
    EXPECT_EQ(after.status->signal, SIGABRT) << after.status->describe();
    EXPECT_TRUE(has_line(lines, "Shutting down worker 0")) << "the destructor ran during the unwinding";
    EXPECT_FALSE(has_line(lines, "Shutting down worker 1")) << "it ended at worker 0's join";

    // Main's three reports, in Rust's order; the abort's line last.
    const auto send_panic = errors.find(rust_text::unwrap_send_error);
    const auto join_panic = errors.find(rust_text::unwrap_join_error);
    const auto cleanup = errors.find(rust_text::panic_in_cleanup);
    ASSERT_NE(send_panic, std::string::npos) << errors;
    ASSERT_NE(join_panic, std::string::npos) << errors;
    ASSERT_NE(cleanup, std::string::npos) << errors;
    EXPECT_LT(send_panic, join_panic) << errors;
    EXPECT_LT(join_panic, cleanup) << errors;
    EXPECT_EQ(occurrences(errors, rust_text::main_panicked), 3U) << errors;
    EXPECT_TRUE(
        errors.ends_with("\n" + rust_text::panic_in_cleanup + "\n" + rust_text::non_unwinding_abort + "\n"))
        << errors;
}
