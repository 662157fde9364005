// What Rust prints when the listings panic, written once for every test that expects it. Taken from
// Rust's std (and /work/shared/rust-observed.md), never from common/: a test that read the expected text
// from the code it tests could not catch a wrong message.
#pragma once

#include <string>
#include <string_view>

namespace rust_text {

// The first line of a panic's report on stderr; the location follows.
inline const std::string main_panicked = "thread 'main' panicked at ";
inline const std::string worker_panicked = "thread '<unnamed>' panicked at ";  // a spawned thread

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
[[nodiscard]] inline std::string as_regex(std::string_view text) {
    std::string quoted;
    for (const char c : text) {
        if (std::string_view(R"(\^$.|?*+()[]{})").find(c) != std::string_view::npos) quoted += '\\';
        quoted += c;
    }
    return quoted;
}

}  // namespace rust_text
