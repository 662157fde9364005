// For the stages' flood tests: one flood against a freshly started listing, with the server's stderr
// kept for the verdict (the server is killed and reaped when the flood is judged).
#pragma once

#include <string>

#include "flood.hpp"
#include "server_process.hpp"

namespace support {

struct FloodResult {
    FloodRun run;
    std::string server_stderr;
};

inline FloodResult flood_listing(const std::string& stage, const std::string& target, const FloodPlan& plan) {
    auto server = ServerProcess::start(flood_server_options(stage, target, plan));
    FloodResult result{run_flood(*server, plan), ""};
    result.server_stderr = server->stderr_text();
    return result;
}

}  // namespace support
