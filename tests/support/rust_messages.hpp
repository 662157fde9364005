// What Rust 1.95.0 prints when the listings panic, written once for every test that expects it. Taken
// from runs of the book's listings with rustc 1.95.0 (docs/rust-measured.md says how to repeat them),
// never from common/: a test that read the expected text from the code it tests could not catch a
// wrong message.
#pragma once

#include <string>
#include <string_view>

namespace rust_text {

// The version whose texts these are: the Rust a learner installs today (docs/README.md names it too).
inline const std::string rust_version = "1.95.0";

// A panic's report on stderr (since Rust 1.91, which added the thread's OS id): a blank line, then
//   thread 'main' (6543) panicked at src/main.rs:25:50:
//   called `Option::unwrap()` on a `None` value
// The id differs from run to run, so tests look for the line's start, up to the id.
inline const std::string main_panicked = "thread 'main' (";
inline const std::string worker_panicked = "thread '<unnamed>' (";  // a spawned thread
inline const std::string panicked_at = ") panicked at ";

// The whole report, for a thread's name and OS id, a location (`FILE:LINE:COL`) and the message.
[[nodiscard]] inline std::string panic_report(std::string_view thread_name, unsigned long long os_id,
                                              std::string_view location, std::string_view message) {
    return "\nthread '" + std::string(thread_name) + "' (" + std::to_string(os_id) + panicked_at +
           std::string(location) + ":\n" + std::string(message) + "\n";
}

// A panic that leaves a destructor while another panic unwinds (Rust's panic_in_cleanup): Rust reports
// this message as a panic of its own, adds the last line, and aborts (SIGABRT).
inline const std::string panic_in_cleanup = "panic in a destructor during cleanup";
inline const std::string non_unwinding_abort = "thread caused non-unwinding panic. aborting.";

// The Debug forms of the errors the listings unwrap.
inline const std::string send_error = "SendError { .. }";
inline const std::string recv_error = "RecvError";
inline const std::string poison_error_type = "PoisonError";
inline const std::string poison_error = "PoisonError { .. }";
inline const std::string join_error = "Any { .. }";  // what join() returns for a panicked thread
inline const std::string would_block =
    R"(Os { code: 11, kind: WouldBlock, message: "Resource temporarily unavailable" })";  // EAGAIN

// The panic messages of unwrap().
inline const std::string unwrap_none = "called `Option::unwrap()` on a `None` value";
inline const std::string unwrap_err = "called `Result::unwrap()` on an `Err` value: ";
inline const std::string unwrap_send_error = unwrap_err + send_error;
inline const std::string unwrap_recv_error = unwrap_err + recv_error;
inline const std::string unwrap_poison_error = unwrap_err + poison_error;
inline const std::string unwrap_join_error = unwrap_err + join_error;

// thread::spawn's panic when the OS refuses a thread (EAGAIN).
inline const std::string spawn_failed = "failed to spawn thread: ";
inline const std::string spawn_failed_would_block = spawn_failed + would_block;

// `text` as a regular expression (gtest's death tests, POSIX extended) that matches exactly it.
[[nodiscard]] inline std::string as_regex(std::string_view text);

// A regular expression for the start of a panic's report on the thread named `thread_name`, up to the
// location: `thread 'main' \([0-9]+\) panicked at `.
[[nodiscard]] inline std::string panicked_at_regex(std::string_view thread_name) {
    return as_regex("thread '" + std::string(thread_name) + "' (") + "[0-9]+" + as_regex(panicked_at);
}

// `text` as a regular expression (gtest's death tests, POSIX extended) that matches exactly it.
[[nodiscard]] inline std::string as_regex(std::string_view text) {
    std::string quoted;
    for (const char c : text) {
        if (std::string_view(R"(\^$.|?*+()[]{})").find(c) != std::string_view::npos) quoted += '\\';
        quoted += c;
    }
    return quoted;
}

}  // namespace rust_text
