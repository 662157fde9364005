#include "workbook/lock_trace.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fcntl.h>
#include <unistd.h>

namespace workbook::lock_trace {

namespace {

int open_trace() {
    const char* path = std::getenv("WORKBOOK_LOCK_TRACE");
    if (path == nullptr || *path == '\0') return -1;
    return ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

const char* event_name(Event event) {
    switch (event) {
        case Event::Wait: return "wait";
        case Event::Acquired: return "acquired";
        case Event::Released: return "released";
        case Event::Said: return "say";
        case Event::Closed: return "close";
    }
    return "?";
}

}  // namespace

void record(Event event, std::string_view text) noexcept {
    static const int fd = open_trace();
    if (fd < 0) return;
    static std::atomic<int> next_thread{0};
    thread_local const int thread = next_thread++;
    const auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch()).count();
    try {
        char head[64];
        std::snprintf(head, sizeof head, "%lld %d %s", static_cast<long long>(nanoseconds), thread, event_name(event));
        std::string line = head;
        if (!text.empty()) line += " " + std::string(text);
        line += "\n";
        // One write per line on an O_APPEND file: lines from different threads never interleave.
        [[maybe_unused]] const auto written = ::write(fd, line.data(), line.size());
    } catch (...) {  // a trace must never change what the program does
    }
}

}  // namespace workbook::lock_trace
