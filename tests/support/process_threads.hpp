// How many threads this process has right now (the entries of /proc/self/task), and a wait, with a
// deadline, until it is back to a given number: how the tests see a pool's worker threads end.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <iterator>
#include <thread>

namespace support {

inline std::size_t live_threads() {
    const std::filesystem::directory_iterator tasks("/proc/self/task");
    return static_cast<std::size_t>(std::distance(begin(tasks), end(tasks)));
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
