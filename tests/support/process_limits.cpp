#include "process_limits.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <system_error>

#include <sys/resource.h>

namespace support {

std::size_t thread_count(pid_t pid) {
    std::error_code error;
    const std::filesystem::directory_iterator tasks("/proc/" + std::to_string(pid) + "/task", error);
    if (error) return 0;
    return static_cast<std::size_t>(std::distance(begin(tasks), end(tasks)));
}

std::uint64_t address_space_bytes(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("VmSize:")) return std::stoull(line.substr(7)) * 1024;  // "VmSize:   6016 kB"
    }
    return 0;
}

void limit_address_space(pid_t pid, std::uint64_t bytes) {
    const rlimit limit{.rlim_cur = bytes, .rlim_max = bytes};
    if (::prlimit(pid, RLIMIT_AS, &limit, nullptr) != 0) {
        throw std::runtime_error("prlimit(RLIMIT_AS) on " + std::to_string(pid) + " refused");
    }
}

std::uint64_t raise_open_files_limit(std::uint64_t count) {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < count) {
        limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? count : std::min<rlim_t>(count, limit.rlim_max);
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    return limit.rlim_cur;
}

}  // namespace support
