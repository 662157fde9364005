// workbook-demo: starts one stage's server with a short /sleep, sends the stage's telling scenario,
// draws the requests on a timeline and says in one line what the picture means.
//
//   workbook-demo STAGE TARGET [--delay-ms N] [--width N] [--colour auto|always|never] [--explain]
//
// STAGE is a folder under steps/ (e.g. 06-working-pool), TARGET a listing's executable (listing-21-20).
// Exit status: 0 the stage behaved as the book says, 1 it did not, 2 it could not run (usage, no build).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/ioctl.h>
#include <unistd.h>

#include "http_client.hpp"
#include "paths.hpp"
#include "scenarios.hpp"
#include "server_process.hpp"
#include "timeline.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

constexpr int exit_as_the_book_says = 0;
constexpr int exit_not_as_the_book_says = 1;
constexpr int exit_cannot_run = 2;

struct Arguments {
    std::string stage;
    std::string target;
    std::chrono::milliseconds delay = 1000ms;
    int width = 0;  // 0: the terminal's, or 80
    std::string colour = "auto";
    bool explain = false;
};

[[noreturn]] void usage_error(const std::string& problem) {
    std::cerr << "workbook-demo: " << problem << "\n"
              << "usage: workbook-demo STAGE TARGET [--delay-ms N] [--width N] [--colour auto|always|never] "
                 "[--explain]\n";
    std::exit(exit_cannot_run);
}

Arguments parse(int argc, char** argv) {
    Arguments arguments;
    std::vector<std::string> positional;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage_error(argument + " needs a value");
            return argv[++i];
        };
        try {
            if (argument == "--delay-ms") arguments.delay = std::chrono::milliseconds(std::stoi(value()));
            else if (argument == "--width") arguments.width = std::stoi(value());
            else if (argument == "--colour" || argument == "--color") arguments.colour = value();
            else if (argument == "--explain") arguments.explain = true;
            else if (argument.starts_with("--")) usage_error("unknown option " + argument);
            else positional.push_back(argument);
        } catch (const std::logic_error&) {
            usage_error(argument + " needs a number");
        }
    }
    if (positional.size() != 2) usage_error("expected STAGE and TARGET");
    if (arguments.delay <= 0ms) usage_error("--delay-ms must be positive");
    if (arguments.colour != "auto" && arguments.colour != "always" && arguments.colour != "never") {
        usage_error("--colour takes auto, always or never");
    }
    arguments.stage = positional[0];
    arguments.target = positional[1];
    return arguments;
}

bool use_colour(const std::string& choice) {
    if (choice != "auto") return choice == "always";
    const char* no_colour = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    return ::isatty(STDOUT_FILENO) != 0 && (no_colour == nullptr || *no_colour == '\0') &&
           !(term != nullptr && std::string(term) == "dumb");
}

int terminal_width(int requested) {
    if (requested > 0) return requested;
    winsize size{};
    if (::isatty(STDOUT_FILENO) != 0 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        return std::min(static_cast<int>(size.ws_col), 100);  // wider bars add nothing
    }
    return 80;
}

std::string bold(const std::string& text, bool colour) { return colour ? "\x1b[1m" + text + "\x1b[0m" : text; }

// `text` broken between words into lines of at most `width` columns, the later ones indented.
std::string wrapped(const std::string& text, int width, std::size_t indent = 0) {
    std::string result;
    std::size_t line_length = 0;
    for (std::size_t start = 0; start < text.size();) {
        const auto end = std::min(text.find(' ', start), text.size());
        const auto word = text.substr(start, end - start);
        if (line_length > 0 && line_length + 1 + word.size() > static_cast<std::size_t>(width)) {
            result += '\n';  // not `"\n" + std::string(...)`: GCC 12's -Wrestrict false positive at -O3
            result.append(indent, ' ');
            line_length = indent;
        } else if (line_length > 0) {
            result += ' ';
            ++line_length;
        }
        result += word;
        line_length += word.size();
        start = end + 1;
    }
    return result;
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

void print_server_log(const ServerProcess& server) {
    std::vector<std::string> lines;
    for (const auto& line : server.stdout_lines()) {
        if (!line.starts_with("Listening on ")) lines.push_back(line);
    }
    const std::string errors = server.stderr_text();
    for (std::size_t start = 0; start < errors.size();) {
        const auto end = std::min(errors.find('\n', start), errors.size());
        lines.push_back(errors.substr(start, end - start));
        start = end + 1;
    }
    if (lines.empty()) return;
    std::cout << "The server said:\n";
    for (const auto& line : lines) std::cout << "  " << line << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    const Arguments arguments = parse(argc, argv);
    const bool colour = use_colour(arguments.colour);
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
        std::cout << wrapped(scenario->what_to_notice, width) << "\n"
                  << wrapped("The book: " + scenario->book_section + (page.empty() ? "" : "; here: " + page) + ".", width)
                  << "\n";
    }
    std::cout << wrapped("Sending " + scenario->summary + ".", width) << "\n\n";

    std::unique_ptr<ServerProcess> server;
    try {
        server = ServerProcess::start({.stage = arguments.stage, .target = arguments.target,
                                       .slow_request_delay = arguments.delay});
    } catch (const std::exception& error) {
        std::cout << "The server did not start: " << error.what() << "\n";
        return exit_not_as_the_book_says;
    }

    const auto records = send_concurrently(server->address(), scenario->plans, scenario->deadline);
    std::optional<ServerEnd> end;
    if (const auto status = server->wait_for_exit(std::max(scenario->exit_wait, std::chrono::milliseconds(50)))) {
        end = ServerEnd{*status, Clock::now()};
    }

    TimelineOptions options{.width = width, .colour = colour,
                            .work_by_path = scenario->work_by_path, .min_span = arguments.delay};
    if (end) options.marks.push_back({.label = "server", .at = end->at, .note = end->status.describe()});
    std::cout << draw_timeline(records, options) << "\n";

    const Verdict verdict = judge(arguments.stage, records, arguments.delay, end);
    const std::string mark = verdict.as_the_book_says ? "As the book says:" : "NOT as the book says:";
    // Wrapped as plain text first, so the escape codes do not count towards the width.
    const auto line = wrapped(mark + " " + verdict.line, width, 2);
    std::cout << bold(mark, colour) << line.substr(mark.size()) << "\n";
    if (scenario->show_server_log || end) print_server_log(*server);
    return verdict.as_the_book_says ? exit_as_the_book_says : exit_not_as_the_book_says;
}
