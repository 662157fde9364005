// Safety lab, case 1: four workers take values off one channel. Rust accepts only a shared
// Arc<Mutex<Receiver>> (Listing 21-18); C++ also compiles a Receiver shared without the Mutex, and
// ThreadSanitizer reports the data race on the Receiver's own buffer (common/rs/mpsc.hpp).
// Built twice: without LAB_FIXED it runs the bug, with it the book's fix.
#include <cstddef>
#include <latch>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "rs/mpsc.hpp"
#include "rs/print.hpp"
#include "rs/sync.hpp"
#include "rs/thread.hpp"

namespace mpsc = rs::sync::mpsc;
namespace thread = rs::thread;
using rs::sync::Mutex;

constexpr int value_count = 1000;
constexpr std::size_t worker_count = 4;

// A burst of values queued before the workers start; then the sender hangs up, so that every recv()
// ends with Err once the values are gone. The workers start together (`all_started`) so that they
// really overlap: ThreadSanitizer reports a race only between accesses nothing orders, and a first
// worker that emptied the queue before the next one was spawned would be ordered before it.
void queue_values(mpsc::Sender<int> sender) {
    for (int value = 0; value < value_count; ++value) sender.send(value).unwrap();
}

void count_received(std::vector<thread::JoinHandle<int>> workers) {
    int received = 0;
    for (auto& worker : workers) received += std::move(worker).join().unwrap();
    rs::println("received " + std::to_string(received) + " of " + std::to_string(value_count));
}

// Four workers that start together, each counting the values `receive_one` takes until it says the
// channel is empty and closed.
template <class ReceiveOne>
std::vector<thread::JoinHandle<int>> spawn_workers(ReceiveOne receive_one) {
    auto all_started = std::make_shared<std::latch>(worker_count);
    std::vector<thread::JoinHandle<int>> workers;
    for (std::size_t id = 0; id < worker_count; ++id) {
        workers.push_back(thread::spawn([receive_one, all_started] {
            all_started->arrive_and_wait();
            int received = 0;
            while (receive_one()) ++received;
            return received;
        }));
    }
    return workers;
}

// Rust: error[E0277]: `Receiver<i32>` cannot be shared between threads safely.
void workers_share_the_receiver() {
    auto [sender, receiver] = mpsc::channel<int>();
    queue_values(std::move(sender));
    auto shared = std::make_shared<mpsc::Receiver<int>>(std::move(receiver));
    count_received(spawn_workers([receiver = shared] {
        return receiver->recv().is_ok();  // the four workers at once, on one Receiver
    }));
}

// Rust accepts this, and the book writes it: Arc<Mutex<Receiver<Job>>>.
void workers_share_a_mutex() {
    auto [sender, receiver] = mpsc::channel<int>();
    queue_values(std::move(sender));
    auto shared = std::make_shared<Mutex<mpsc::Receiver<int>>>(std::move(receiver));
    count_received(spawn_workers([receiver = shared] {
        return receiver->lock().unwrap()->recv().is_ok();  // one worker at a time
    }));
}

int main() {
#if defined(LAB_FIXED)
    workers_share_a_mutex();
#else
    workers_share_the_receiver();
#endif
}
