// workbook-flood: starts one stage's server and floods it with slow requests (`/sleep`, each on its own
// connection, loopback only), samples the server's threads and memory from /proc while they are in
// flight, draws them over time beside the answers, and says what the picture means.
//
//   workbook-flood STAGE TARGET [--requests N] [--delay-ms N] [--ramp-ms N] [--limit-as BYTES|rust]
//                               [--give-up-s N] [--width N] [--colour auto|always|never]
//
// STAGE is a folder under steps/ (e.g. 02-thread-per-request), TARGET a listing's executable. Any stage
// runs; stages with a flood verdict (support::judge_flood) are judged, the others only measured.
// --limit-as sets the server's address-space limit (RLIMIT_AS, as `prlimit --as`) before the flood;
// `rust` is the Rust figures' 120000000.
// Exit status: 0 as the book says (or measured, for a stage without a verdict), 1 not, 2 could not run.
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

#include "flood.hpp"
#include "paths.hpp"
#include "server_process.hpp"
#include "terminal.hpp"
#include "timeline.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

constexpr int most_requests = 500;  // each is a socket on both sides, and a thread in stage 02

struct Arguments {
    std::string stage;
    std::string target;
    FloodPlan plan;
    int width = 0;
    std::string colour = "auto";
};

Arguments parse(int argc, char** argv) {
    const CommandLine command_line(argc, argv, "workbook-flood",
                                   "STAGE TARGET [--requests N] [--delay-ms N] [--ramp-ms N] [--limit-as BYTES|rust] "
                                   "[--give-up-s N] [--width N] [--colour auto|always|never]");
    if (command_line.words().size() != 2) command_line.error("expected STAGE and TARGET");
    const auto& words = command_line.words();
    Arguments arguments{.stage = words[0], .target = words[1], .plan = default_flood_plan(words[0])};
    auto& plan = arguments.plan;
    for (const auto& option : command_line.options()) {
        const auto& [name, value] = option;
        if (name == "--requests") plan.requests = command_line.number(option);
        else if (name == "--delay-ms") plan.delay = std::chrono::milliseconds(command_line.number(option));
        else if (name == "--ramp-ms") plan.ramp = std::chrono::milliseconds(command_line.number(option));
        else if (name == "--give-up-s") plan.give_up = std::chrono::seconds(command_line.number(option));
        else if (name == "--limit-as" && value == "rust") plan.address_space_limit = rust_flood_address_space_limit;
        else if (name == "--limit-as") plan.address_space_limit = static_cast<std::size_t>(command_line.number(option));
        else if (name == "--width") arguments.width = command_line.number(option);
        else if (name == "--colour" || name == "--color") arguments.colour = value;
        else command_line.error("unknown option " + name);
    }
    if (plan.requests < 1 || plan.requests > most_requests) {
        command_line.error("--requests takes 1 to " + std::to_string(most_requests));
    }
    if (plan.delay <= 0ms || plan.ramp < 0ms || plan.give_up <= 0ms) command_line.error("the delays must be positive");
    if (plan.address_space_limit && *plan.address_space_limit == 0) command_line.error("--limit-as must be positive");
    command_line.check_colour(arguments.colour);
    return arguments;
}

std::string milliseconds_text(std::chrono::milliseconds duration) { return std::to_string(duration.count()) + " ms"; }

}  // namespace

int main(int argc, char** argv) {
    const Arguments arguments = parse(argc, argv);
    const auto& plan = arguments.plan;
    const bool colour = use_colour(arguments.colour);
    const int width = terminal_width(arguments.width);
    if (!std::filesystem::exists(listing_binary(arguments.stage, arguments.target))) {
        std::cout << "Stage " << arguments.stage << ": " << arguments.target << " is not built (yet); skipped.\n";
        return exit_cannot_run;
    }
    std::cout << bold("The flood: stage " + arguments.stage + ", " + arguments.target, colour) << "\n"
              << wrapped("Sending " + std::to_string(plan.requests) + " × `/sleep` (" + milliseconds_text(plan.delay) +
                             " each), one connection each, started over " + milliseconds_text(plan.ramp) +
                             (plan.address_space_limit ? ", to a server limited to " + std::to_string(*plan.address_space_limit) +
                                                             " bytes of address space (RLIMIT_AS), its threads sharing one malloc arena with " +
                                                             std::to_string(limited_flood_heap_room / (1024 * 1024)) +
                                                             " MiB to spare (MALLOC_ARENA_MAX=1, MALLOC_TOP_PAD_)"
                                                       : "") +
                             "; sampling its threads and memory from /proc.",
                         width)
              << "\n\n";

    std::unique_ptr<ServerProcess> server;
    try {
        server = ServerProcess::start(flood_server_options(arguments.stage, arguments.target, plan));
    } catch (const std::exception& error) {
        std::cout << "The server did not start: " << error.what() << "\n";
        return exit_not_as_the_book_says;
    }
    FloodRun run;
    try {
        run = run_flood(*server, plan);
    } catch (const std::exception& error) {
        std::cout << "The flood could not run: " << error.what() << "\n";
        return exit_cannot_run;
    }
    std::cout << draw_flood(run, plan, {.width = width, .colour = colour}) << "\n";

    const auto verdict = judge_flood(arguments.stage, run, plan, server->stderr_text());
    int status = exit_as_the_book_says;
    if (verdict) {
        const std::string mark = verdict->as_the_book_says ? "As the book says:" : "NOT as the book says:";
        const auto line = wrapped(mark + " " + verdict->line, width, 2);
        std::cout << bold(mark, colour) << line.substr(mark.size()) << "\n";
        if (!verdict->as_the_book_says) status = exit_not_as_the_book_says;
    } else {
        const std::string mark = "Measured:";
        std::cout << bold(mark, colour) << wrapped(mark + " " + describe_flood(run, plan), width, 2).substr(mark.size()) << "\n";
    }
    // Its panics, if any (stdout is every worker's "got a job" line: not the story here).
    const std::string errors = server->stderr_text();
    if (!errors.empty()) std::cout << "The server's stderr:\n" << errors << (errors.ends_with('\n') ? "" : "\n");
    return status;
}
