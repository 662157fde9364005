// Safety lab, case 4: a pool dropped while its workers still run. In Rust (Listing 21-20 has no Drop
// for ThreadPool) dropping the Workers drops their JoinHandles, which detaches the threads, and main
// goes on. A Worker that held a std::thread would instead call std::terminate from its destructor.
// Built twice: without LAB_FIXED the worker holds a std::thread, with it an rs::thread::JoinHandle.
#include <latch>
#include <thread>
#include <vector>

#include "rs/print.hpp"
#include "rs/thread.hpp"

// Outlives every worker: a detached thread may still be waiting on it while main returns.
std::latch pool_dropped(1);

struct StdThreadWorker {
    std::thread thread;
};

struct Worker {
    rs::thread::JoinHandle<void> thread;
};

// Rust compiles the same shape; a dropped JoinHandle detaches. In C++ this calls std::terminate.
void drop_std_thread_workers() {
    std::vector<StdThreadWorker> workers;
    workers.push_back(StdThreadWorker{std::thread([] { pool_dropped.wait(); })});
    rs::println("dropping the workers");
}

void drop_join_handle_workers() {
    std::vector<Worker> workers;
    workers.push_back(Worker{rs::thread::spawn([] { pool_dropped.wait(); })});
    rs::println("dropping the workers");
}

int main() {
#if defined(LAB_FIXED)
    drop_join_handle_workers();
#else
    drop_std_thread_workers();
#endif
    pool_dropped.count_down();
    rs::println("main goes on after the workers were dropped");
}
