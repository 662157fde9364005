// Stage 08, beside the book: the std::thread pool of stage08_std_thread_pool_test.cpp, with its two
// members swapped (listing cpp-21-20-rust-drop-order) so that C++ destroys them in Rust's drop order: the
// workers first, then the sender. The first ~std::thread calls std::terminate while the sender is
// still alive, so no worker ever sees the channel closed: nothing panics before the program aborts.
#include <gtest/gtest.h>

#include <csignal>
#include <exception>

#include "terminate_report.hpp"
#include "thread_pool.hpp"

using hello::ThreadPool;

TEST(Stage08_RustDropOrderDeathTest, TheFirstThreadIsDestroyedWhileTheChannelIsStillOpen) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    // Everything the child prints is the handler's one line: no worker panicked in the grace period.
    EXPECT_EXIT(
        {
            std::set_terminate(stage08::report_terminate_and_abort);
            { auto pool = ThreadPool(4); }
            std::_Exit(0);
        },
        testing::KilledBySignal(SIGABRT), "^std::terminate on the main thread\n$");
}
