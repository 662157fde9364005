// What /proc says about a process (threads, resident memory, address space), and its address-space
// limit (RLIMIT_AS): how the flood and the tests watch a server's threads and make thread stacks run out.
#pragma once

#include <cstddef>
#include <optional>

#include <sys/types.h>

namespace support {

struct ProcStatus {
    int threads = 0;                      // Threads:
    std::size_t resident_bytes = 0;       // VmRSS: memory the process really uses
    std::size_t address_space_bytes = 0;  // VmSize: every mapping, what RLIMIT_AS counts
};

// /proc/PID/status (PID 0: this process); nullopt once the process is gone or a zombie.
[[nodiscard]] std::optional<ProcStatus> read_proc_status(pid_t pid);

// The threads of process `pid` right now (/proc/PID/status); 0 once it has gone.
[[nodiscard]] std::size_t thread_count(pid_t pid);

// The CPU time process `pid` has used so far, user and system, its ended threads included
// (/proc/PID/stat, in clock ticks of 10 ms); 0 once it has gone.
[[nodiscard]] double cpu_seconds(pid_t pid);

// Which sanitizer this build runs under. GCC says so with __SANITIZE_ADDRESS__ and __SANITIZE_THREAD__;
// Clang 16 defines neither and answers __has_feature instead.
#if defined(__has_feature)
#define WORKBOOK_HAS_FEATURE(feature) __has_feature(feature)
#else
#define WORKBOOK_HAS_FEATURE(feature) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || WORKBOOK_HAS_FEATURE(address_sanitizer)
inline constexpr bool address_sanitizer_build = true;
#else
inline constexpr bool address_sanitizer_build = false;
#endif
#if defined(__SANITIZE_THREAD__) || WORKBOOK_HAS_FEATURE(thread_sanitizer)
inline constexpr bool thread_sanitizer_build = true;
#else
inline constexpr bool thread_sanitizer_build = false;
#endif
#undef WORKBOOK_HAS_FEATURE

// Whether this build runs under a sanitizer (which changes memory maps, thread counts and timings).
[[nodiscard]] constexpr bool sanitizer_build() { return address_sanitizer_build || thread_sanitizer_build; }

// A sanitizer build maps terabytes of shadow memory: no address-space limit leaves its programs room
// to start. Tests that need such a limit skip there.
inline constexpr bool address_space_limits_usable = !sanitizer_build();

// Sets the process's address-space limit (soft and hard) to `bytes`, as `prlimit --pid PID --as=BYTES`
// does: every later mapping that would pass it fails (a thread's stack, a malloc arena). Binds root
// too, unlike a limit on the number of processes. PID 0: this process. False (errno set) if refused.
bool limit_address_space(pid_t pid, std::size_t bytes);

// Raises this process's open-file limit to its hard limit (a client with hundreds of sockets).
void raise_open_file_limit();

}  // namespace support
