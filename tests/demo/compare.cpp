// workbook-compare: the models side by side on the same load. For each STAGE TARGET pair it starts
// that server, sends a batch of concurrent /sleep while sampling the server's threads, then measures
// how many `/` it answers per second, and prints one Markdown row per stage: threads, memory, how many
// slow requests it served at once, and throughput.
//
//   workbook-compare [--sleeps N] [--delay-ms D] [--throughput-ms T] STAGE TARGET [STAGE TARGET ...]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http_client.hpp"
#include "proc_status.hpp"
#include "scenarios.hpp"
#include "server_process.hpp"
#include "terminal.hpp"

using namespace support;
using namespace std::chrono_literals;

namespace {

struct Settings {
    int sleeps = 40;
    std::chrono::milliseconds delay = 150ms;
    std::chrono::milliseconds throughput_for = 500ms;
    int throughput_clients = 4;
    std::vector<std::pair<std::string, std::string>> servers;  // stage, target
};

Settings parse(int argc, char** argv) {
    const CommandLine command_line(argc, argv, "workbook-compare",
                                   "[--sleeps N] [--delay-ms D] [--throughput-ms T] STAGE TARGET [STAGE TARGET ...]");
    Settings settings;
    for (const auto& option : command_line.options()) {
        const auto& name = option.first;
        if (name == "--sleeps") settings.sleeps = command_line.number(option);
        else if (name == "--delay-ms") settings.delay = std::chrono::milliseconds(command_line.number(option));
        else if (name == "--throughput-ms") settings.throughput_for = std::chrono::milliseconds(command_line.number(option));
        else command_line.error("unknown option " + name);
    }
    if (settings.sleeps < 1 || settings.delay <= 0ms || settings.throughput_for <= 0ms) {
        command_line.error("--sleeps, --delay-ms and --throughput-ms must be positive");
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

std::string fixed(double value, int decimals) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

// `/` requests answered per second by `clients` clients, each sending one after another.
double root_per_second(const std::string& address, int clients, std::chrono::milliseconds duration) {
    std::atomic<long> answered{0};
    const auto stop = Clock::now() + duration;
    {
        std::vector<std::jthread> threads;
        for (int i = 0; i < clients; ++i) {
            threads.emplace_back([&] {
                while (Clock::now() < stop) {
                    if (send_request(address, {.path = "/"}, 2s).outcome == Outcome::Response) ++answered;
                }
            });
        }
    }
    return static_cast<double>(answered) / std::chrono::duration<double>(duration).count();
}

std::string row(const Settings& settings, const std::string& stage, const std::string& target) {
    auto server = ServerProcess::start({.stage = stage, .target = target, .slow_request_delay = settings.delay});
    std::size_t peak_threads = thread_count(server->pid());
    std::atomic<bool> sampling{true};
    std::vector<RequestRecord> sleeps;
    {
        std::jthread sampler([&] {
            while (sampling) {
                peak_threads = std::max(peak_threads, thread_count(server->pid()));
                std::this_thread::sleep_for(5ms);
            }
        });
        const auto deadline = settings.delay * (settings.sleeps + 4) + 5s;  // one at a time must still finish
        sleeps = send_concurrently(server->address(), same_request("/sleep", settings.sleeps), deadline);
        sampling = false;
    }
    const auto answered = std::count_if(sleeps.begin(), sleeps.end(),
                                        [](const auto& r) { return r.outcome == Outcome::Response; });
    const double parallelism = effective_parallelism(sleeps, settings.delay);
    // n requests of one delay each over the span: the span is n delays / parallelism.
    const double span = static_cast<double>(sleeps.size()) * std::chrono::duration<double>(settings.delay).count() /
                        parallelism;
    const double throughput = root_per_second(server->address(), settings.throughput_clients, settings.throughput_for);
    const long peak_virtual = status_kib(server->pid(), "VmPeak");
    const long peak_resident = status_kib(server->pid(), "VmHWM");

    return "| `" + stage + "` | " + target + " | " + std::to_string(peak_threads) + " | " + mebibytes(peak_virtual) +
           " | " + mebibytes(peak_resident) + " | " + std::to_string(answered) + "/" + std::to_string(sleeps.size()) +
           " after " + fixed(span, 2) + " s | " +
           std::to_string(peak_served_at_once(sleeps, settings.delay)) + " (" +
           fixed(parallelism, 1) + ") | " + fixed(throughput, 0) + " |";
}

}  // namespace

int main(int argc, char** argv) {
    const Settings settings = parse(argc, argv);
    raise_open_file_limit();
    std::cout << "Each server: " << settings.sleeps << " `/sleep` sent at once (each " << settings.delay.count()
              << " ms), then `/` from " << settings.throughput_clients << " clients for "
              << settings.throughput_for.count() << " ms, one connection per request.\n\n"
              << "| stage | listing | threads (peak) | virtual memory (peak) | resident memory (peak) | "
                 "`/sleep` answered | `/sleep` served at once (parallelism) | `/` per second |\n"
              << "|---|---|---|---|---|---|---|---|\n";
    int status = 0;
    for (const auto& [stage, target] : settings.servers) {
        try {
            std::cout << row(settings, stage, target) << std::endl;
        } catch (const std::exception& error) {
            std::cout << "| `" << stage << "` | " << target << " | did not run: " << error.what() << " | | | | | |\n";
            status = 1;
        }
    }
    return status;
}
