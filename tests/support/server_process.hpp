// A stage's real server binary as a child process: started on a free port with a short slow-request
// delay, observed through its stdout/stderr, and always killed and reaped (in the destructor, so a
// failed assertion cannot leave it running). Every wait takes a deadline.
// A sanitizer report on the server's stderr (a sanitizer build) aborts the test in the destructor.
// A server that ended by itself while nobody waited for it (a crash: SIGSEGV from a dangling `[&]`
// capture, or an early exit) is reported by the destructor as a failure of the running gtest, with
// its signal, its status as a shell shows it and its last lines, whenever the test has failed or the
// server died of a signal: "Connection reset" alone never stands for a crash.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace support {

using namespace std::chrono_literals;

struct ServerOptions {
    std::string stage{};  // e.g. "01-single-threaded"
    std::string target{};  // e.g. "listing-21-10"
    std::chrono::milliseconds slow_request_delay = 300ms;  // WORKBOOK_SLEEP_MS
    std::map<std::string, std::string> extra_env{};
    // Wait for the `Listening on` line before returning (and fail if it does not come in time).
    std::chrono::milliseconds startup_deadline = 10s;
    // Another program instead of a listing (the harness's own tests, a listing linked with the lock
    // trace), run in the stage's folder if `stage` is set, else in its own.
    std::filesystem::path executable{};
    std::vector<std::string> arguments{};
    // stderr into the stdout pipe: one stream in the order the child wrote it (stdout_lines() holds both).
    bool merge_stderr = false;
};

struct ExitStatus {
    bool exited = false;  // true: exited with `code`; false: killed by `signal`
    int code = 0;
    int signal = 0;
    // "exited with status 101", "killed by signal 11 (SIGSEGV, Segmentation fault): status 139 in a shell"
    [[nodiscard]] std::string describe() const;
    // What a shell's `$?` shows: the code, or 128 + the signal.
    [[nodiscard]] int shell_status() const { return exited ? code : 128 + signal; }
};

// How gtest prints an ExitStatus in a failure: describe(), not its bytes.
void PrintTo(const ExitStatus& status, std::ostream* out);

// What waitpid()'s status says about how a child ended.
[[nodiscard]] ExitStatus decode_wait_status(int status);

class ServerProcess {
public:
    // Starts the server and waits for its Listening line; throws std::runtime_error on failure.
    static std::unique_ptr<ServerProcess> start(const ServerOptions& options);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    [[nodiscard]] std::string address() const { return address_; }  // "127.0.0.1:PORT"
    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] pid_t pid() const { return pid_; }

    [[nodiscard]] std::vector<std::string> stdout_lines() const;
    [[nodiscard]] std::string stderr_text() const;
    // Waits until some stdout line satisfies `matches`; false at the deadline.
    bool wait_for_stdout(const std::function<bool(const std::vector<std::string>&)>& matches,
                         std::chrono::milliseconds deadline);
    // Waits until stderr holds `needle` (at least `times` times); false at the deadline.
    bool wait_for_stderr(const std::string& needle, std::chrono::milliseconds deadline, std::size_t times = 1);

    // The exit status once the process has ended and its stdout and stderr have been read to end of
    // file (so stdout_lines() and stderr_text() are complete), or nullopt if it still runs at the deadline.
    std::optional<ExitStatus> wait_for_exit(std::chrono::milliseconds deadline);
    // Kills the process (SIGKILL) unless it has ended, then waits as wait_for_exit does: what it printed
    // before is then complete. The status it ended with.
    ExitStatus kill_and_wait();
    void send_signal(int signal);

    // Once it has ended (and its output is read to the end): how, said as a report for a failure, with
    // its last `lines` lines on stdout and on stderr; "" while it runs or when the harness killed it.
    [[nodiscard]] std::string unexpected_end_report(std::size_t lines = 6) const;

private:
    ServerProcess() = default;
    void pump(int fd, bool is_stdout);
    // After the child is reaped: until both pipes have reached end of file (a descendant holding
    // them open could delay that; `deadline` bounds the wait and then fails loudly).
    void wait_for_output_end(std::chrono::milliseconds deadline);
    // Reaps the child: at once if it has already ended, otherwise after SIGKILL. Notes whether it ended
    // by itself (then its end is news to the test).
    void reap_or_kill();
    // From the destructor: a failure of the running gtest when the server ended by itself unseen.
    void report_unexpected_end() const;

    pid_t pid_ = -1;
    std::string address_;
    int port_ = 0;
    std::optional<ExitStatus> exit_status_;
    bool ended_by_itself_ = false;  // not by the harness's SIGKILL
    bool end_seen_by_test_ = false;  // wait_for_exit returned the status: the test judges it itself
    int signal_sent_ = 0;  // by the test (send_signal): a death by it is no crash
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::string> stdout_lines_;
    std::string stdout_partial_;
    std::string stderr_text_;
    int pipes_open_ = 2;  // stdout and stderr, until each pump reads end of file
    std::thread stdout_reader_;
    std::thread stderr_reader_;
};

}  // namespace support
