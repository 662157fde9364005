#include "server_process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "paths.hpp"

extern char** environ;

namespace support {

ExitStatus decode_wait_status(int status) {
    ExitStatus decoded;
    if (WIFEXITED(status)) {
        decoded.exited = true;
        decoded.code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        decoded.signal = WTERMSIG(status);
    }
    return decoded;
}

namespace {

// The child's environment: ours, with the workbook's two settings replaced.
std::vector<std::string> child_environment(const ServerOptions& options) {
    std::map<std::string, std::string> variables = options.extra_env;
    variables.try_emplace("WORKBOOK_ADDR", "127.0.0.1:0");
    variables.try_emplace("WORKBOOK_SLEEP_MS", std::to_string(options.slow_request_delay.count()));
    std::vector<std::string> environment;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string text(*entry);
        if (!variables.contains(text.substr(0, text.find('=')))) environment.push_back(text);
    }
    for (const auto& [name, value] : variables) environment.push_back(name + "=" + value);
    return environment;
}

// The first line of a sanitizer's report (a sanitizer build, `./workbook sanitize`), or npos.
std::size_t find_sanitizer_report(const std::string& text) {
    std::size_t first = std::string::npos;
    for (const char* marker : {"WARNING: ThreadSanitizer:", "ERROR: AddressSanitizer:", "ERROR: LeakSanitizer:",
                               ": runtime error: "}) {
        first = std::min(first, text.find(marker));
    }
    return first == std::string::npos ? first : text.rfind('\n', first) + 1;  // npos + 1 == 0
}

std::string joined_lines(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
}

// The last `count` lines of `lines`, indented, or a line that says there were none.
std::string last_lines(const std::vector<std::string>& lines, std::size_t count, const std::string& stream) {
    if (lines.empty()) return "it printed nothing on " + stream + "\n";
    const std::size_t first = lines.size() > count ? lines.size() - count : 0;
    std::string text = "its last lines on " + stream + (first > 0 ? " (of " + std::to_string(lines.size()) + ")" : "") + ":\n";
    for (std::size_t i = first; i < lines.size(); ++i) text += "    " + lines[i] + "\n";
    return text;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return lines;
}

// "SIGSEGV, Segmentation fault"
std::string signal_name(int signal) {
    const char* abbreviation = sigabbrev_np(signal);
    const std::string description = strsignal(signal);
    return abbreviation == nullptr ? description : "SIG" + std::string(abbreviation) + ", " + description;
}

}  // namespace

std::string ExitStatus::describe() const {
    return exited ? "exited with status " + std::to_string(code)
                  : "killed by signal " + std::to_string(signal) + " (" + signal_name(signal) + "): status " +
                        std::to_string(shell_status()) + " in a shell";
}

void PrintTo(const ExitStatus& status, std::ostream* out) { *out << status.describe(); }

std::unique_ptr<ServerProcess> ServerProcess::start(const ServerOptions& options) {
    const auto binary = options.executable.empty() ? listing_binary(options.stage, options.target) : options.executable;
    const auto working_dir = options.stage.empty() ? binary.parent_path() : stage_source_dir(options.stage);
    if (!std::filesystem::exists(binary)) throw std::runtime_error("no server binary at " + binary.string());

    // Everything the child needs is prepared before fork(): after it, only async-signal-safe calls.
    const std::vector<std::string> environment = child_environment(options);
    std::vector<char*> envp;
    for (const auto& entry : environment) envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);
    const std::string binary_path = binary.string();
    const std::string dir = working_dir.string();
    std::vector<char*> argv{const_cast<char*>(binary_path.c_str())};
    for (const auto& argument : options.arguments) argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);

    int out_pipe[2];
    int err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        // Dies with the test process, even if that one is killed by a timeout.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);
        ::dup2(out_pipe[1], STDOUT_FILENO);
        ::dup2(options.merge_stderr ? out_pipe[1] : err_pipe[1], STDERR_FILENO);
        if (::chdir(dir.c_str()) != 0) ::_exit(126);
        ::execve(binary_path.c_str(), argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);

    std::unique_ptr<ServerProcess> server(new ServerProcess());
    server->pid_ = pid;
    server->stdout_reader_ = std::thread([s = server.get(), fd = out_pipe[0]] { s->pump(fd, true); });
    server->stderr_reader_ = std::thread([s = server.get(), fd = err_pipe[0]] { s->pump(fd, false); });

    const std::string prefix = "Listening on http://";
    std::string announced;
    const bool listening = server->wait_for_stdout(
        [&](const std::vector<std::string>& lines) {
            for (const auto& line : lines) {
                if (line.starts_with(prefix)) {
                    announced = line.substr(prefix.size());
                    return true;
                }
            }
            return false;
        },
        options.startup_deadline);
    if (!listening) {
        // If it has ended, say how, with all it wrote (wait_for_exit reads its output to the end).
        // A crash at startup says so, with the signal and its last lines.
        if (server->wait_for_exit(0ms)) {
            throw std::runtime_error(binary_path + " did not print its Listening line: " + server->unexpected_end_report());
        }
        throw std::runtime_error(binary_path + " did not print its Listening line; stderr: " + server->stderr_text() +
                                 (options.merge_stderr ? "; output: " + joined_lines(server->stdout_lines()) : ""));
    }
    server->address_ = announced;
    server->port_ = std::stoi(announced.substr(announced.rfind(':') + 1));
    return server;
}

void ServerProcess::pump(int fd, bool is_stdout) {
    char chunk[4096];
    while (true) {
        const ssize_t got = ::read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        const std::lock_guard lock(mutex_);
        if (is_stdout) {
            stdout_partial_.append(chunk, static_cast<std::size_t>(got));
            for (auto newline = stdout_partial_.find('\n'); newline != std::string::npos;
                 newline = stdout_partial_.find('\n')) {
                stdout_lines_.push_back(stdout_partial_.substr(0, newline));
                stdout_partial_.erase(0, newline + 1);
            }
        } else {
            stderr_text_.append(chunk, static_cast<std::size_t>(got));
        }
        changed_.notify_all();
    }
    ::close(fd);
    const std::lock_guard lock(mutex_);
    if (is_stdout && !stdout_partial_.empty()) {  // a last line without its newline is a line, too
        stdout_lines_.push_back(stdout_partial_);
        stdout_partial_.clear();
    }
    --pipes_open_;
    changed_.notify_all();
}

std::vector<std::string> ServerProcess::stdout_lines() const {
    const std::lock_guard lock(mutex_);
    return stdout_lines_;
}

std::string ServerProcess::stderr_text() const {
    const std::lock_guard lock(mutex_);
    return stderr_text_;
}

bool ServerProcess::wait_for_stdout(const std::function<bool(const std::vector<std::string>&)>& matches,
                                    std::chrono::milliseconds deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] { return matches(stdout_lines_); });
}

bool ServerProcess::wait_for_stderr(const std::string& needle, std::chrono::milliseconds deadline,
                                    std::size_t times) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] {
        std::size_t found = 0;
        for (auto at = stderr_text_.find(needle); at != std::string::npos && found < times;
             at = stderr_text_.find(needle, at + needle.size())) {
            ++found;
        }
        return found >= times;
    });
}

std::optional<ExitStatus> ServerProcess::wait_for_exit(std::chrono::milliseconds deadline) {
    if (exit_status_) return exit_status_;
    const auto give_up = std::chrono::steady_clock::now() + deadline;
    while (true) {
        int status = 0;
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            exit_status_ = decode_wait_status(status);
            ended_by_itself_ = true;
            end_seen_by_test_ = true;
            // Reaped is not read: the last bytes it wrote may still sit in the pipes. Nobody may judge
            // its output before the pumps have read it to the end.
            wait_for_output_end(10s);
            return exit_status_;
        }
        if (std::chrono::steady_clock::now() >= give_up) return std::nullopt;
        std::this_thread::sleep_for(5ms);
    }
}

ExitStatus ServerProcess::kill_and_wait() {
    if (!exit_status_) {
        reap_or_kill();
        wait_for_output_end(10s);
    }
    return *exit_status_;
}

void ServerProcess::reap_or_kill() {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        ended_by_itself_ = true;
    } else {
        ::kill(pid_, SIGKILL);
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        // Already dying of something else when the SIGKILL came: that end is its own.
        const auto ended = decode_wait_status(status);
        ended_by_itself_ = ended.exited || ended.signal != SIGKILL;
    }
    exit_status_ = decode_wait_status(status);
}

std::string ServerProcess::unexpected_end_report(std::size_t lines) const {
    if (!exit_status_ || !ended_by_itself_) return "";
    const std::lock_guard lock(mutex_);
    const bool crashed = !exit_status_->exited && exit_status_->signal != signal_sent_;
    return (crashed ? "the server crashed: it was " : "the server ended during the test: it ") + exit_status_->describe() +
           "\n" + last_lines(stdout_lines_, lines, "stdout") + last_lines(split_lines(stderr_text_), lines, "stderr");
}

void ServerProcess::wait_for_output_end(std::chrono::milliseconds deadline) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, deadline, [&] { return pipes_open_ == 0; })) {
        throw std::runtime_error("the server (pid " + std::to_string(pid_) +
                                 ") has exited but its stdout/stderr did not reach end of file in time");
    }
}

void ServerProcess::send_signal(int signal) {
    signal_sent_ = signal;
    if (!exit_status_) ::kill(pid_, signal);
}

ServerProcess::~ServerProcess() {
    if (!exit_status_) reap_or_kill();
    // Joining the pumps waits for end of file on both pipes: the report check below sees everything.
    if (stdout_reader_.joinable()) stdout_reader_.join();
    if (stderr_reader_.joinable()) stderr_reader_.join();
    // The server is killed at the end of every test, so its own sanitizer exit status is never seen:
    // a report on its stderr must fail the test here, loudly.
    if (const auto report = find_sanitizer_report(stderr_text_); report != std::string::npos) {
        std::fprintf(stderr, "ServerProcess: the server (pid %d) reported:\n%s\n", static_cast<int>(pid_),
                     stderr_text_.substr(report).c_str());
        std::abort();
    }
    report_unexpected_end();
}

void ServerProcess::report_unexpected_end() const {
    if (end_seen_by_test_) return;  // the test waited for that end: it judges the status itself
    const std::string report = unexpected_end_report();
    if (report.empty()) return;
    const bool crashed = !exit_status_->exited && exit_status_->signal != signal_sent_;
    if (::testing::UnitTest::GetInstance()->current_test_info() == nullptr) {  // the demo, or outside a test
        if (crashed) std::fprintf(stderr, "ServerProcess: %s", report.c_str());
        return;
    }
    // A crash fails the test; an early exit is said beside the failure it explains.
    if (!crashed && !::testing::Test::HasFailure()) return;
    ::testing::Test::RecordProperty("server_end", report.substr(0, report.find('\n')));
    GTEST_NONFATAL_FAILURE_(report.c_str());  // ADD_FAILURE without its "Failed" line
}

}  // namespace support
