#include "proc_status.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include <sys/resource.h>
#include <unistd.h>

namespace support {

std::optional<ProcStatus> read_proc_status(pid_t pid) {
    std::ifstream file(pid == 0 ? std::string("/proc/self/status") : "/proc/" + std::to_string(pid) + "/status");
    if (!file) return std::nullopt;
    ProcStatus status;
    bool have_memory = false;
    for (std::string line; std::getline(file, line);) {
        std::istringstream fields(line);
        std::string name;
        fields >> name;
        if (name == "State:") {
            std::string state;
            fields >> state;
            if (state == "Z" || state == "X") return std::nullopt;
        } else if (name == "Threads:") {
            fields >> status.threads;
        } else if (name == "VmRSS:" || name == "VmSize:") {
            std::size_t kilobytes = 0;
            fields >> kilobytes;
            (name == "VmRSS:" ? status.resident_bytes : status.address_space_bytes) = kilobytes * 1024;
            have_memory = true;
        }
    }
    if (status.threads == 0 || !have_memory) return std::nullopt;
    return status;
}

std::size_t thread_count(pid_t pid) {
    const auto status = read_proc_status(pid);
    return status ? static_cast<std::size_t>(status->threads) : 0;
}

double cpu_seconds(pid_t pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    if (!std::getline(file, stat) || stat.rfind(')') == std::string::npos) return 0;
    // After the command's ")": field 3 (state) onwards; utime and stime are fields 14 and 15.
    std::istringstream fields(stat.substr(stat.rfind(')') + 1));
    std::string skipped;
    for (int field = 3; field < 14; ++field) fields >> skipped;
    unsigned long long user = 0;
    unsigned long long system = 0;
    fields >> user >> system;
    return static_cast<double>(user + system) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

bool limit_address_space(pid_t pid, std::size_t bytes) {
    const rlimit limit{bytes, bytes};
    return ::prlimit(pid, RLIMIT_AS, &limit, nullptr) == 0;
}

void raise_open_file_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

}  // namespace support
