// Linked into the other-job exercise's program (tests/exercises/extensions.meson) to tell the check
// who did the work: how many threads the program started (every pthread_create, std::thread's and
// rs::thread::spawn's included, passes through the definition below) and how much of the process's CPU
// time its main thread used from before main. Printed on stderr after main has returned:
//     other-job probe: 4 threads started; main thread 0.002 s of 0.351 s CPU
#include <dlfcn.h>
#include <pthread.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdio>

namespace {

std::atomic<int> threads_started{0};

double seconds(const rusage& usage) {
    const auto total = [](const timeval& time) { return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6; };
    return total(usage.ru_utime) + total(usage.ru_stime);
}

double cpu_seconds(int who) {
    rusage usage{};
    getrusage(who, &usage);
    return seconds(usage);
}

// Takes the CPU times when the program's static objects are made, before main (the loading before it is
// no one's work), and reports from its destructor, which runs on the main thread once main has returned:
// every worker the program joined has ended by then, and RUSAGE_SELF still counts the threads that ended.
struct ReportAtExit {
    double main_thread_before = cpu_seconds(RUSAGE_THREAD);
    double whole_process_before = cpu_seconds(RUSAGE_SELF);

    ReportAtExit() = default;
    ReportAtExit(const ReportAtExit&) = delete;
    ReportAtExit& operator=(const ReportAtExit&) = delete;
    ~ReportAtExit() {
        const double main_thread = cpu_seconds(RUSAGE_THREAD) - main_thread_before;
        const double whole_process = cpu_seconds(RUSAGE_SELF) - whole_process_before;
        std::fprintf(stderr, "other-job probe: %d threads started; main thread %.3f s of %.3f s CPU\n",
                     threads_started.load(), main_thread, whole_process);
    }
} report_at_exit;

}  // namespace

// Interposes on the C library's pthread_create (the program's own definition comes first in the
// dynamic linker's search, for libstdc++'s calls too) and passes every call on to it.
extern "C" int pthread_create(pthread_t* thread, const pthread_attr_t* attributes, void* (*start)(void*),
                              void* argument) noexcept {
    using Create = int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
    static const auto next = reinterpret_cast<Create>(dlsym(RTLD_NEXT, "pthread_create"));
    threads_started.fetch_add(1);
    return next(thread, attributes, start, argument);
}
