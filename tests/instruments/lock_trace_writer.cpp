#include "lock_trace_writer.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "rs/net.hpp"
#include "rs/print.hpp"
#include "rs/sync.hpp"

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

// The functions the linker's --wrap=SYMBOL puts in place of each call to SYMBOL (lock_trace_dep names
// them): each calls the real one (__real_SYMBOL) and records the event. The symbols are the Itanium
// ABI's names of rs::sync::RawMutex::lock() and unlock(), rs::println(std::string_view) and
// rs::net::OwnedFd::~OwnedFd() (its complete and base object destructors); `this` is the first argument.
namespace {
using workbook::lock_trace::Event;
using workbook::lock_trace::record;
}  // namespace

extern "C" {
void __real__ZN2rs4sync8RawMutex4lockEv(rs::sync::RawMutex* mutex);
void __real__ZN2rs4sync8RawMutex6unlockEv(rs::sync::RawMutex* mutex) noexcept;
void __real__ZN2rs7printlnESt17basic_string_viewIcSt11char_traitsIcEE(std::string_view line);
void __real__ZN2rs3net7OwnedFdD1Ev(rs::net::OwnedFd* fd) noexcept;
void __real__ZN2rs3net7OwnedFdD2Ev(rs::net::OwnedFd* fd) noexcept;

void __wrap__ZN2rs4sync8RawMutex4lockEv(rs::sync::RawMutex* mutex) {
    record(Event::Wait);
    __real__ZN2rs4sync8RawMutex4lockEv(mutex);
    record(Event::Acquired);
}

void __wrap__ZN2rs4sync8RawMutex6unlockEv(rs::sync::RawMutex* mutex) noexcept {
    record(Event::Released);
    __real__ZN2rs4sync8RawMutex6unlockEv(mutex);
}

void __wrap__ZN2rs7printlnESt17basic_string_viewIcSt11char_traitsIcEE(std::string_view line) {
    __real__ZN2rs7printlnESt17basic_string_viewIcSt11char_traitsIcEE(line);
    record(Event::Said, line);
}

// A moved-from stream owns no socket: destroying it closes nothing.
void __wrap__ZN2rs3net7OwnedFdD1Ev(rs::net::OwnedFd* fd) noexcept {
    const bool owns_a_socket = fd->get() >= 0;
    __real__ZN2rs3net7OwnedFdD1Ev(fd);
    if (owns_a_socket) record(Event::Closed);
}

void __wrap__ZN2rs3net7OwnedFdD2Ev(rs::net::OwnedFd* fd) noexcept {
    const bool owns_a_socket = fd->get() >= 0;
    __real__ZN2rs3net7OwnedFdD2Ev(fd);
    if (owns_a_socket) record(Event::Closed);
}
}
