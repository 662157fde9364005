// A trace of who holds the receiver's lock, for `./workbook demo 06|07`. A program linked with
// lock_trace_dep (tests/meson.build: the demo's copies of listings 21-20 and 21-21, made in
// tests/instruments/meson.build, and the tests lock-trace-writer and 07-lock-held; demo-lock runs the
// copies) has, when WORKBOOK_LOCK_TRACE names a file, each thread's waits for an rs::sync::Mutex,
// acquisitions and releases appended to it, the lines a thread prints with rs::println (a worker's
// `Worker N got a job; executing.` starts a job), and `close` when a socket is closed (the end of a
// job: handle_connection drops its stream). common/ knows nothing of it: the linker's --wrap puts the
// functions of lock_trace_writer.cpp around rs::sync::RawMutex's lock and unlock, rs::println and
// rs::net::OwnedFd's destructor. One line per event: `NANOSECONDS THREAD EVENT [TEXT]`, the steady
// clock's time and a number per thread (in the order threads first record). Unset, each call costs one
// check of a flag.
#pragma once

#include <string_view>

namespace workbook::lock_trace {

enum class Event { Wait, Acquired, Released, Said, Closed };

void record(Event event, std::string_view text = {}) noexcept;

}  // namespace workbook::lock_trace
