// Safety lab, case 5: a job panics on a worker thread (an unwrap() on a failed read, as
// handle_connection's would). In Rust the panic ends only that thread, and join() returns Err. An
// exception escaping a std::thread's function calls std::terminate: the whole server ends.
// Built twice: without LAB_FIXED the worker is a std::thread, with it rs::thread::spawn.
#include <string>
#include <thread>
#include <utility>

#include "rs/fs.hpp"
#include "rs/print.hpp"
#include "rs/thread.hpp"

void serve_missing_page() {
    auto contents = rs::fs::read_to_string("no-such-page.html").unwrap();
    rs::println(contents);
}

// Rust compiles the same shape and keeps running; in C++ the panic (an exception) ends the process.
void panic_on_std_thread() {
    auto worker = std::thread([] { serve_missing_page(); });
    worker.join();
    rs::println("main goes on after the worker's panic");
}

void panic_on_spawned_thread() {
    auto worker = rs::thread::spawn([] { serve_missing_page(); });
    auto outcome = std::move(worker).join();
    rs::println(std::string("main goes on after the worker's panic; join() returned ") +
                (outcome.is_err() ? "Err" : "Ok"));
}

int main() {
#if defined(LAB_FIXED)
    panic_on_spawned_thread();
#else
    panic_on_std_thread();
#endif
}
