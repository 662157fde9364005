// What docs/regenerate.py's `run LISTING REQUEST...` key quotes: a listing's real server started by the
// tests' harness (ServerProcess) with its stdout and stderr in one pipe, so the quote keeps the order in
// which the two were written, and observed with the tests' client.
//
//     workbook-quote-run STAGE TARGET REQUEST...
//
// REQUEST: a path (`/`, `/sleep`) is `GET path HTTP/1.1`, answered before the next is sent; `empty`
// connects and half-closes without a byte; with a trailing `&` (`/sleep&`) it is sent in the background
// and the next goes 150 ms later; `SIGTERM` sends the server that signal. Prints what the server printed
// (its port shown as 7878) and, if it ended by itself, `[process exited with status N]` (or `[process
// killed by signal N]`: 6 is SIGABRT); otherwise it is killed. Every wait has a deadline, the server is
// always killed and reaped, and its output is read to end of file before it is printed.
#include <chrono>
#include <csignal>
#include <exception>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "http_client.hpp"
#include "server_process.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto request_deadline = 15s;
constexpr auto settle_give_up = 10s;
constexpr auto after_request = 200ms;  // quiet that long: what a request caused (a panic unwinding) is over
constexpr auto after_signal = 500ms;   // and a shutdown, or the end
constexpr auto between_requests = 100ms;
// sent in this order, answered in whatever order the server likes
constexpr auto background_head_start = 50ms;

// Waits until the server has printed nothing for `quiet`, or has ended (its output then read to the end).
void settle(support::ServerProcess& server, std::chrono::milliseconds quiet) {
    const auto give_up = Clock::now() + settle_give_up;
    auto seen = server.stdout_lines().size();
    auto quiet_since = Clock::now();
    while (Clock::now() < give_up) {
        if (server.wait_for_exit(0ms)) return;
        (void)server.wait_for_stdout(
            [&](const std::vector<std::string>& lines) { return lines.size() != seen; }, 20ms);
        if (const auto now_seen = server.stdout_lines().size(); now_seen != seen) {
            seen = now_seen;
            quiet_since = Clock::now();
        } else if (Clock::now() - quiet_since >= quiet) {
            return;
        }
    }
}

support::RequestPlan plan_for(const std::string& request) {
    if (request == "empty") return {.label = "empty", .raw = "", .half_close = true};
    return {.path = request};
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

std::string quote(const std::string& stage, const std::string& target,
                  const std::vector<std::string>& requests) {
    auto server = support::ServerProcess::start(
        {.stage = stage, .target = target, .slow_request_delay = 200ms, .merge_stderr = true});
    const std::string address = server->address();
    {
        std::vector<std::jthread> background;  // joined when this block ends
        for (const auto& request : requests) {
            if (request == "SIGTERM") {
                server->send_signal(SIGTERM);
                settle(*server, after_signal);
                continue;
            }
            if (request.ends_with('&')) {
                background.emplace_back([address, plan = plan_for(request.substr(0, request.size() - 1))] {
                    (void)support::send_request(address, plan, request_deadline);
                });
                std::this_thread::sleep_for(background_head_start);
            } else {
                (void)support::send_request(address, plan_for(request), request_deadline);
                settle(*server, after_request);
            }
            std::this_thread::sleep_for(between_requests);
        }
    }
    settle(*server, after_signal);  // let it finish what it prints (a panic, a shutdown)
    const auto ended = server->wait_for_exit(0ms);
    if (!ended) (void)server->kill_and_wait();
    std::string text;
    for (const auto& line : server->stdout_lines()) text += line + "\n";
    text = replace_all(text, address, "127.0.0.1:7878");
    if (ended && ended->exited) text += "[process exited with status " + std::to_string(ended->code) + "]\n";
    if (ended && !ended->exited) text += "[process killed by signal " + std::to_string(ended->signal) + "]\n";
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: workbook-quote-run STAGE TARGET REQUEST...\n";
        return 2;
    }
    try {
        std::cout << quote(argv[1], argv[2], std::vector<std::string>(argv + 3, argv + argc)) << std::flush;
        return 0;
    } catch (const std::exception& error) {
        std::cerr << "workbook-quote-run: " << error.what() << "\n";
        return 1;
    }
}
