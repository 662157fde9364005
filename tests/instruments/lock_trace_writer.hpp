// A trace of who holds the receiver's lock, for `./workbook demo 06|07`. When WORKBOOK_LOCK_TRACE names
// a file, rs::sync::Mutex appends each thread's lock waits, acquisitions and releases, rs::println
// appends the lines a thread prints (a worker's `Worker N got a job; executing.` starts a job), and a
// socket's close appends `close` (the end of a job: handle_connection drops its stream). One line per
// event: `NANOSECONDS THREAD EVENT [TEXT]`, the steady clock's time and a number per thread (in the
// order threads first record). Unset, each call costs one check of a flag.
#pragma once

#include <string_view>

namespace workbook::lock_trace {

enum class Event { Wait, Acquired, Released, Said, Closed };

void record(Event event, std::string_view text = {}) noexcept;

}  // namespace workbook::lock_trace
