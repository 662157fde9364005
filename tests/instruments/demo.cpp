// workbook-demo: starts one stage's server with a short /sleep, sends the stage's telling scenario,
// draws the requests on a timeline and says in one line what the picture means.
//
//   workbook-demo STAGE TARGET [--delay-ms N] [--width N] [--colour auto|always|never] [--explain]
//
// STAGE is a folder under steps/ (e.g. 06-working-pool), TARGET a listing's executable (listing-21-20).
// Exit status: 0 the stage behaved as the book says, 1 it did not, 2 it could not run (usage, no build).
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http_client.hpp"
#include "lock_trace.hpp"
#include "paths.hpp"
#include "stage_stories.hpp"
#include "server_process.hpp"
#include "terminal.hpp"
#include "timeline.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

struct Arguments {
    std::string stage;
    std::string target;
    std::chrono::milliseconds delay = 1000ms;
    int width = 0;  // 0: the terminal's, or 80
    std::string colour = "auto";
    bool explain = false;
};

Arguments parse(int argc, char** argv) {
    const CommandLine command_line(argc, argv, "workbook-demo",
                                   "STAGE TARGET [--delay-ms N] [--width N] [--colour auto|always|never] [--explain]",
                                   {"--explain"});
    Arguments arguments;
    for (const auto& option : command_line.options()) {
        const auto& [name, value] = option;
        if (name == "--delay-ms") arguments.delay = std::chrono::milliseconds(command_line.number(option));
        else if (name == "--width") arguments.width = command_line.number(option);
        else if (name == "--colour" || name == "--color") arguments.colour = value;
        else if (name == "--explain") arguments.explain = true;
        else command_line.error("unknown option " + name);
    }
    if (command_line.words().size() != 2) command_line.error("expected STAGE and TARGET");
    if (arguments.delay <= 0ms) command_line.error("--delay-ms must be positive");
    command_line.check_colour(arguments.colour);
    arguments.stage = command_line.words()[0];
    arguments.target = command_line.words()[1];
    return arguments;
}

// docs/NN-*.md if that page exists yet.
std::string docs_page(const std::string& stage) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(source_root() / "docs", error)) {
        const auto name = entry.path().filename().string();
        if (name.starts_with(stage.substr(0, 3)) && name.ends_with(".md")) return "docs/" + name;
    }
    return "";
}

// "docs/06-working-pool.md#readers-questions" when the stage page answers readers' questions, else "".
std::string readers_questions(const std::string& page) {
    if (page.empty()) return "";
    std::ifstream file(source_root() / page);
    for (std::string line; std::getline(file, line);) {
        if (line == "## Readers' questions") return page + "#readers-questions";
    }
    return "";
}

// A fresh empty file for the server's lock trace, removed when this object goes.
class TraceFile {
public:
    TraceFile() {
        std::string pattern = (std::filesystem::temp_directory_path() / "workbook-lock-trace-XXXXXX").string();
        const int fd = ::mkstemp(pattern.data());
        if (fd >= 0) {
            ::close(fd);
            path_ = pattern;
        }
    }
    TraceFile(const TraceFile&) = delete;
    TraceFile& operator=(const TraceFile&) = delete;
    ~TraceFile() {
        std::error_code ignored;
        if (!path_.empty()) std::filesystem::remove(path_, ignored);
    }
    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] std::string text() const {
        std::ifstream file(path_);
        std::ostringstream contents;
        contents << file.rdbuf();
        return contents.str();
    }

private:
    std::string path_;
};

// What the lock rows show, from the measured share of job time spent holding the lock.
std::string lock_verdict(double share) {
    const std::string measured = " (" + std::to_string(static_cast<int>(share * 100 + 0.5)) + "% of job time under the lock)";
    if (share > 0.9) {
        return "Each job ran while its worker held the receiver's lock" + measured +
               ": the other workers were waiting for the lock, not for work.";
    }
    if (share < 0.1) {
        return "Each worker released the lock before running its job" + measured +
               ": the jobs ran with the lock free, and an idle worker held it only while it waited in recv() for a job.";
    }
    return "Jobs ran partly under the lock" + measured + ".";
}

}  // namespace

int main(int argc, char** argv) {
    const Arguments arguments = parse(argc, argv);
    const bool colour = use_colour(arguments.colour);
    const auto* story = story_of(arguments.stage);
    const auto scenario = scenario_for(arguments.stage, arguments.delay);
    if (!scenario) {
        std::cout << "Stage " << arguments.stage << " has no demo.\n";
        return exit_cannot_run;
    }
    if (!std::filesystem::exists(listing_binary(arguments.stage, arguments.target))) {
        std::cout << "Stage " << arguments.stage << ": " << arguments.target << " is not built (yet); skipped.\n";
        return exit_cannot_run;
    }

    std::cout << bold("Stage " + arguments.stage + ", " + arguments.target, colour) << " (`/sleep` takes "
              << format_seconds(std::chrono::duration<double>(arguments.delay).count()) << ")\n";
    const int width = terminal_width(arguments.width);
    if (arguments.explain) {
        const auto page = docs_page(arguments.stage);
        std::cout << wrapped(std::string(story->what_to_notice), width) << "\n"
                  << wrapped("The book: " + std::string(story->book_section) + (page.empty() ? "" : "; here: " + page) + ".",
                             width)
                  << "\n";
    }
    std::cout << wrapped("Sending " + scenario->summary + ".", width) << "\n\n";

    std::unique_ptr<ServerProcess> server;
    std::optional<TraceFile> lock_trace;
    std::map<std::string, std::string> extra_env;
    std::filesystem::path traced;  // the listing linked with the lock trace, where the story draws the lock
    if (story->draws_the_lock && std::filesystem::exists(lock_traced_binary(arguments.target))) {
        traced = lock_traced_binary(arguments.target);
        lock_trace.emplace();
        if (!lock_trace->path().empty()) extra_env["WORKBOOK_LOCK_TRACE"] = lock_trace->path();
    }
    try {
        server = ServerProcess::start({.stage = arguments.stage, .target = arguments.target,
                                       .slow_request_delay = arguments.delay, .extra_env = extra_env,
                                       .executable = traced});
    } catch (const std::exception& error) {
        std::cout << "The server did not start: " << error.what() << "\n";
        return exit_not_as_the_book_says;
    }

    std::optional<Clock::time_point> sigterm_sent;
    std::jthread sigterm;  // stage 09: the signal comes while the requests are in flight
    if (scenario->sigterm_after) {
        sigterm = std::jthread([&server, &sigterm_sent, after = *scenario->sigterm_after] {
            std::this_thread::sleep_for(after);
            sigterm_sent = Clock::now();
            server->send_signal(SIGTERM);
        });
    }
    const auto records = send_concurrently(server->address(), scenario->plans, scenario->deadline);
    if (sigterm.joinable()) sigterm.join();
    std::optional<ServerEnd> end;
    if (const auto status = server->wait_for_exit(std::max(scenario->exit_wait, std::chrono::milliseconds(50)))) {
        end = ServerEnd{*status, Clock::now()};
    }

    TimelineOptions options{.width = width, .colour = colour,
                            .work_by_path = scenario->work_by_path, .min_span = arguments.delay};
    if (sigterm_sent) options.marks.push_back({.label = "SIGTERM", .at = *sigterm_sent, .note = "sent"});
    if (end) options.marks.push_back({.label = "server", .at = end->at, .note = end->status.describe()});
    std::optional<double> share_under_lock;
    if (lock_trace && !lock_trace->path().empty()) {
        const auto workers = parse_lock_trace(lock_trace->text(), Clock::now());
        if (!workers.empty()) {
            options.lanes = lock_lanes(workers);
            share_under_lock = share_of_job_time_under_lock(workers);
        }
    }
    std::cout << draw_timeline(records, options) << "\n";

    const Verdict verdict = judge(arguments.stage, records, arguments.delay, end);
    const std::string expected = scenario->beyond_the_book ? "as expected:" : "as the book says:";
    const std::string mark = (verdict.as_the_book_says ? "A" : "NOT a") + expected.substr(1);
    // Wrapped as plain text first, so the escape codes do not count towards the width.
    const auto line = wrapped(mark + " " + verdict.line, width, 2);
    std::cout << bold(mark, colour) << line.substr(mark.size()) << "\n";
    if (share_under_lock) std::cout << wrapped("The lock: " + lock_verdict(*share_under_lock), width, 2) << "\n";
    if (const auto questions = readers_questions(docs_page(arguments.stage)); !questions.empty()) {
        std::cout << wrapped("Readers ask why a browser shows otherwise: " + questions, width, 2) << "\n";
    }
    if (scenario->show_server_log || end) {
        if (!end) server->kill_and_wait();  // what it printed so far, read to the end of its pipes
        print_server_log(*server, std::cout);
    }
    return verdict.as_the_book_says ? exit_as_the_book_says : exit_not_as_the_book_says;
}
