// How many threads this process has right now (the entries of /proc/self/task not exiting), and a
// wait, with a deadline, until it is back to a given number: how the tests see a pool's threads end.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace support {

// A thread that has begun to exit (the kernel's PF_EXITING in its flags) no longer counts: `join()`
// returns once the thread has cleared its id, a moment before its /proc/self/task entry goes.
inline bool exiting(const std::filesystem::path& task) {
    std::ifstream stat(task / "stat");
    std::string line;
    std::getline(stat, line);
    const auto after_name = line.rfind(')');  // the name, in parentheses, may hold spaces
    if (after_name == std::string::npos) return true;  // gone while we looked
    std::istringstream fields(line.substr(after_name + 1));
    std::string skipped;
    unsigned long flags = 0;
    for (int number = 3; number < 9; ++number) fields >> skipped;  // state, ppid, ..., tpgid
    if (!(fields >> flags)) return true;  // field 9, the flags
    constexpr unsigned long pf_exiting = 0x4;
    return (flags & pf_exiting) != 0;
}

inline std::size_t live_threads() {
    std::size_t count = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        if (!exiting(task.path())) ++count;
    }
    return count;
}

// The count to compare with later. One thread is created and joined first, so that a runtime which
// starts a helper thread of its own at the first thread creation (ThreadSanitizer does) has done so
// before the count, instead of showing up later as one of the pool's threads.
inline std::size_t baseline_threads() {
    std::thread([] {}).join();
    return live_threads();
}

// True once the process is down to `count` threads; false if it still has more at the deadline.
inline bool wait_for_live_threads(std::size_t count, std::chrono::milliseconds deadline) {
    const auto give_up = std::chrono::steady_clock::now() + deadline;
    while (live_threads() > count) {
        if (std::chrono::steady_clock::now() >= give_up) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

}  // namespace support
