// Stage 04, listing 21-17 in C++: the loop that rustc rejects (E0382) compiles, and moves the receiver
// into the first Worker only. What the other three get is a moved-from Receiver, shown here with the
// listing's own types (Worker is private to the listing's library, so the loop is repeated here).
#include <gtest/gtest.h>

#include <vector>

#include "rs/mpsc.hpp"
#include "rs/panic.hpp"
#include "thread_pool.hpp"  // listing 21-17's: hello::Job

namespace mpsc = rs::sync::mpsc;
using hello::Job;

TEST(Stage04_UseAfterMove, OnlyTheFirstWorkerGetsTheReceiver) {
    auto [sender, receiver] = mpsc::channel<Job>();
    std::vector<mpsc::Receiver<Job>> given_to_workers;
    for (int id = 0; id < 4; ++id) {
        // NOLINTNEXTLINE(bugprone-use-after-move): listing 21-17's bug
        given_to_workers.push_back(std::move(receiver));
    }
    EXPECT_TRUE(given_to_workers[0].is_connected_handle());
    for (std::size_t id = 1; id < 4; ++id) {
        EXPECT_FALSE(given_to_workers[id].is_connected_handle())
            << "Worker " << id << " got a moved-from receiver";
    }
    // The channel works through the first Worker's receiver only.
    sender.send(Job{}).unwrap();
    EXPECT_TRUE(given_to_workers[0].recv().is_ok());
}

TEST(Stage04_UseAfterMove, AWorkerThatReceivedOnAMovedFromReceiverWouldPanic) {
    // 21-17's Workers do not call recv() yet; from 21-20 on they do. With the receiver moved in a loop,
    // three of four would panic at once (here: the stand-in's check; with a moved-from std type it
    // would be undefined behaviour).
    auto [sender, receiver] = mpsc::channel<Job>();
    auto first_worker = std::move(receiver);
    auto second_worker = std::move(receiver);  // NOLINT(bugprone-use-after-move): listing 21-17's bug
    try {
        (void)second_worker.recv();
        FAIL() << "recv() on a moved-from receiver must panic";
    } catch (const rs::Panic& panic) {
        EXPECT_EQ(panic.message(), "recv on a moved-from Receiver (a use after move)");
    }
}
