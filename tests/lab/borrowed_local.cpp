// Safety lab, case 3: a job that refers to a local of the function that queued it. Rust's execute()
// demands F: 'static, so the borrow is rejected; the C++ ThreadPool of Listing 21-20 accepts it, and
// the job reads the local after its function has returned. AddressSanitizer reports the
// stack-use-after-return (with ASAN_OPTIONS=detect_stack_use_after_return=1).
// Built twice: without LAB_FIXED it runs the bug, with it the fix (the job owns a copy).
#include <latch>
#include <string>
#include <utility>

#include "rs/print.hpp"
#include "thread_pool.hpp"

using hello::ThreadPool;

// Statics, as Rust's would be: they live as long as the program, so any job may use them.
std::latch queued_function_returned(1);
std::latch greeting_printed(1);

// Rust: error[E0373]: closure may outlive the current function, but it borrows `name`.
void queue_greeting_borrowing(ThreadPool& pool) {
    std::string name = "Ferris";
    pool.execute([&name] {
        queued_function_returned.wait();
        rs::println("Hello, " + name + "!");
        greeting_printed.count_down();
    });
}

// Rust accepts a `move` closure: the job owns its copy of `name`.
void queue_greeting_owning(ThreadPool& pool) {
    std::string name = "Ferris";
    pool.execute([name = std::move(name)] {
        queued_function_returned.wait();
        rs::println("Hello, " + name + "!");
        greeting_printed.count_down();
    });
}

int main() {
    // Never dropped: Listing 21-20's workers cannot stop, and dropping the pool would make them panic
    // (RecvError) while the program exits; graceful shutdown comes in stage 08.
    static auto* const pool = new ThreadPool(4);
#if defined(LAB_FIXED)
    queue_greeting_owning(*pool);
#else
    queue_greeting_borrowing(*pool);
#endif
    queued_function_returned.count_down();
    greeting_printed.wait();
}
