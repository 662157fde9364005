// workbook-compare: the models side by side on the same load. For each STAGE TARGET pair it starts
// that server and sends it a batch of concurrent /sleep while sampling its threads; then, with every
// server still running, it measures how fast each answers a fixed number of `/` in rounds, the servers
// taking turns within each round (so that background load falls on all alike), and prints one Markdown
// row per stage: threads, memory, how many slow requests it served at once, `/` per second as the
// median and range of the rounds, and the server's CPU time per `/` (its own work, which the clients'
// and the machine's other work do not blur as they blur the rate); then each server's per-round ratio
// to the first one's.
//
//   workbook-compare [--sleeps N] [--delay-ms D] [--rounds R] [--requests N] STAGE TARGET [STAGE TARGET ...]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "compare_rounds.hpp"
#include "http_client.hpp"
#include "proc_status.hpp"
#include "scenarios.hpp"
#include "server_process.hpp"
#include "terminal.hpp"

using namespace support;
using namespace compare;
using namespace std::chrono_literals;

namespace {

struct Settings {
    int sleeps = 40;
    std::chrono::milliseconds delay = 150ms;
    int rounds = 5;
    int root_requests = 2000;  // per server and round
    int root_clients = 4;
    std::vector<std::pair<std::string, std::string>> servers;  // stage, target
};

Settings parse(int argc, char** argv) {
    const CommandLine command_line(argc, argv, "workbook-compare",
                                   "[--sleeps N] [--delay-ms D] [--rounds R] [--requests N] STAGE TARGET [STAGE TARGET ...]");
    Settings settings;
    for (const auto& option : command_line.options()) {
        const auto& name = option.first;
        if (name == "--sleeps") settings.sleeps = command_line.number(option);
        else if (name == "--delay-ms") settings.delay = std::chrono::milliseconds(command_line.number(option));
        else if (name == "--rounds") settings.rounds = command_line.number(option);
        else if (name == "--requests") settings.root_requests = command_line.number(option);
        else command_line.error("unknown option " + name);
    }
    if (settings.sleeps < 1 || settings.delay <= 0ms || settings.rounds < 1 || settings.root_requests < 1) {
        command_line.error("--sleeps, --delay-ms, --rounds and --requests must be positive");
    }
    const auto& words = command_line.words();
    if (words.empty() || words.size() % 2 != 0) command_line.error("expected STAGE TARGET pairs");
    for (std::size_t i = 0; i < words.size(); i += 2) settings.servers.emplace_back(words[i], words[i + 1]);
    return settings;
}

// A line of /proc/PID/status ("VmPeak", "VmHWM") in KiB; 0 if missing.
long status_kib(pid_t pid, const std::string& field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with(field + ":")) return std::stol(line.substr(field.size() + 1));
    }
    return 0;
}

std::string mebibytes(long kib) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(kib) / 1024.0);
    return text;
}

struct RootRound {
    double per_second;
    int answered;
    double server_cpu_seconds;  // what the server spent on them, on all its threads
};

// `requests` `/` shared by `clients` clients, each sending one after another, one connection per request.
RootRound root_round(const ServerProcess& server, int clients, int requests) {
    const std::string address = server.address();
    const double cpu_before = cpu_seconds(server.pid());
    std::atomic<int> next{0};
    std::atomic<int> answered{0};
    const auto start = Clock::now();
    {
        std::vector<std::jthread> threads;
        for (int i = 0; i < clients; ++i) {
            threads.emplace_back([&] {
                while (next++ < requests) {
                    if (send_request(address, {.path = "/"}, 2s).outcome == Outcome::Response) ++answered;
                }
            });
        }
    }
    return {answered / std::chrono::duration<double>(Clock::now() - start).count(), answered,
            cpu_seconds(server.pid()) - cpu_before};
}

// One server: started, its slow requests measured at once, its `/` rates added round by round.
struct Model {
    std::string stage, target;
    std::unique_ptr<ServerProcess> server;
    std::string failure;  // why it did not run, if it did not
    std::size_t peak_threads = 0;
    std::vector<RequestRecord> sleeps;
    std::vector<double> root_rates;  // one per round
    int root_answered = 0;
    double root_cpu_seconds = 0;
};

void measure_sleeps(const Settings& settings, Model& model) {
    model.server = ServerProcess::start({.stage = model.stage, .target = model.target,
                                         .slow_request_delay = settings.delay});
    const pid_t pid = model.server->pid();
    model.peak_threads = thread_count(pid);
    std::atomic<bool> sampling{true};
    std::jthread sampler([&] {
        while (sampling) {
            model.peak_threads = std::max(model.peak_threads, thread_count(pid));
            std::this_thread::sleep_for(5ms);
        }
    });
    const auto deadline = settings.delay * (settings.sleeps + 4) + 5s;  // one at a time must still finish
    model.sleeps = send_concurrently(model.server->address(), same_request("/sleep", settings.sleeps), deadline);
    sampling = false;
}

std::string row(const Settings& settings, const Model& model) {
    const auto& sleeps = model.sleeps;
    const auto answered = std::count_if(sleeps.begin(), sleeps.end(),
                                        [](const auto& r) { return r.outcome == Outcome::Response; });
    const double parallelism = effective_parallelism(sleeps, settings.delay);
    // n requests of one delay each over the span: the span is n delays / parallelism.
    const double span = static_cast<double>(sleeps.size()) * std::chrono::duration<double>(settings.delay).count() /
                        parallelism;
    const long peak_virtual = status_kib(model.server->pid(), "VmPeak");
    const long peak_resident = status_kib(model.server->pid(), "VmHWM");

    return "| `" + model.stage + "` | " + model.target + " | " + std::to_string(model.peak_threads) + " | " +
           mebibytes(peak_virtual) + " | " + mebibytes(peak_resident) + " | " + std::to_string(answered) + "/" +
           std::to_string(sleeps.size()) + " after " + fixed(span, 2) + " s | " +
           std::to_string(peak_served_at_once(sleeps, settings.delay)) + " (" + fixed(parallelism, 1) + ") | " +
           shown(spread_of(model.root_rates), 0) + " | " +
           fixed(1e6 * model.root_cpu_seconds / std::max(model.root_answered, 1), 0) + " µs |";
}

}  // namespace

int main(int argc, char** argv) {
    const Settings settings = parse(argc, argv);
    raise_open_file_limit();
    std::cout << "Each server: " << settings.sleeps << " `/sleep` sent at once (each " << settings.delay.count()
              << " ms); then, in each of " << settings.rounds << " rounds, " << settings.root_requests
              << " `/` from " << settings.root_clients
              << " clients, one connection per request, the servers taking turns.\n\n"
              << "| stage | listing | threads (peak) | virtual memory (peak) | resident memory (peak) | "
                 "`/sleep` answered | `/sleep` served at once (parallelism) | `/` per second: median (range) | "
                 "server CPU per `/` |\n"
              << "|---|---|---|---|---|---|---|---|---|\n";
    std::vector<Model> models;
    for (const auto& [stage, target] : settings.servers) {
        auto& model = models.emplace_back();
        model.stage = stage;
        model.target = target;
        try {
            measure_sleeps(settings, model);
        } catch (const std::exception& error) {
            model.failure = error.what();
        }
    }
    std::vector<Model*> running;
    for (auto& model : models) {
        if (model.failure.empty()) running.push_back(&model);
    }
    // Each round starts with the next server, so none is always measured first (or right after another).
    for (int round = 0; round < settings.rounds; ++round) {
        for (const std::size_t turn : turn_order(round, running.size())) {
            auto& model = *running[turn];
            if (!model.failure.empty()) continue;
            try {
                const auto round_measured = root_round(*model.server, settings.root_clients, settings.root_requests);
                model.root_rates.push_back(round_measured.per_second);
                model.root_answered += round_measured.answered;
                model.root_cpu_seconds += round_measured.server_cpu_seconds;
            } catch (const std::exception& error) {
                model.failure = error.what();
            }
        }
    }
    int status = 0;
    for (const auto& model : models) {
        if (model.failure.empty()) {
            std::cout << row(settings, model) << std::endl;
        } else {
            std::cout << "| `" << model.stage << "` | " << model.target << " | did not run: " << model.failure
                      << " | | | | | | |\n";
            status = 1;
        }
    }
    if (running.size() >= 2 && status == 0) {
        const auto& first = *running.front();
        std::cout << "\n`/` per second relative to `" << first.stage << "`, round by round: median (range)\n\n";
        for (const auto* model : running) {
            if (model == &first) continue;
            std::cout << "- `" << model->stage << "` " << model->target << ": "
                      << shown(spread_of(ratios_per_round(model->root_rates, first.root_rates)), 2) << "\n";
        }
    }
    return status;
}
