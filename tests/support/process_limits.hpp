// What a test needs to know about, and impose on, a server process from outside: how many threads it
// has (/proc/PID/task), an address-space limit (prlimit(2) on the running child, so the harness's
// fork and exec stay as they are), and enough file descriptors for hundreds of client sockets.
#pragma once

#include <cstddef>
#include <cstdint>

#include <sys/types.h>

namespace support {

// The threads of process `pid` right now; 0 if it has gone.
[[nodiscard]] std::size_t thread_count(pid_t pid);

// Its virtual memory size (VmSize in /proc/PID/status), in bytes; 0 if it has gone.
[[nodiscard]] std::uint64_t address_space_bytes(pid_t pid);

// Sets RLIMIT_AS of process `pid` (soft and hard) to `bytes`: every later mmap, thread stack or
// malloc arena that would take it past the limit fails. Throws std::runtime_error if refused.
void limit_address_space(pid_t pid, std::uint64_t bytes);

// Raises this process's soft RLIMIT_NOFILE to at least `count` (at most the hard limit; children
// started afterwards inherit it). Returns the soft limit in force afterwards.
std::uint64_t raise_open_files_limit(std::uint64_t count);

// Whether this build runs under a sanitizer (which changes memory maps and thread counts).
[[nodiscard]] constexpr bool sanitizer_build() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    return true;
#else
    return false;
#endif
}

}  // namespace support
