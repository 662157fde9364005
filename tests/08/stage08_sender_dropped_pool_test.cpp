// Stage 08, listing 21-23's library: the destructor drops the sender, which closes the channel, but the
// workers still `recv().unwrap()`. The first worker to take the lock panics on RecvError while holding
// the guard, which poisons the mutex; the others panic on `lock().unwrap()` with PoisonError. The
// destructor's first join() returns Err and its unwrap() panics on main, inside the destructor: in Rust
// the panic unwinds out of main, exit status 101; in C++ it leaves a noexcept destructor, std::terminate
// runs, and the workbook's terminate handler exits 101 too. Watched from outside, in a forked child.
#include <gtest/gtest.h>

#include <string>

#include "child_run.hpp"
#include "rs/print.hpp"
#include "rust_messages.hpp"
#include "thread_pool.hpp"

using namespace std::chrono_literals;
using hello::ThreadPool;

TEST(Stage08_SenderDroppedPool, EveryWorkerPanicsThenJoinUnwrapPanicsInTheDestructorExit101) {
    const auto child = stage08::run_in_child(
        [] {
            { auto pool = ThreadPool(4); }
            rs::println("the pool was destroyed");
        },
        10s);
    SCOPED_TRACE("stdout:\n" + child.out + "stderr:\n" + child.err);
    ASSERT_FALSE(child.still_running_at_deadline) << "the destructor must end the process, not hang";
    EXPECT_TRUE(child.status.exited && child.status.code == 101) << child.status.describe();

    const std::string recv_error = rust_text::unwrap_recv_error + "\n";
    const std::string poisoned = rust_text::unwrap_poison_error + "\n";
    const std::string main_panic = rust_text::main_panicked;
    const std::string join_error = rust_text::unwrap_join_error + "\n";
    EXPECT_EQ(stage08::count_of(child.err, recv_error), 1) << "one worker finds the channel closed";
    // Worker 0 has panicked (either way) before main's join on it returns; the others may not have
    // got to the lock before the process ended.
    EXPECT_LE(stage08::count_of(child.err, poisoned), 3) << "the other workers find the mutex poisoned";
    EXPECT_EQ(stage08::count_of(child.err, rust_text::worker_panicked),
              1 + stage08::count_of(child.err, poisoned)) << "every panic but main's is a worker's";
    EXPECT_EQ(stage08::count_of(child.err, main_panic), 1);
    EXPECT_EQ(stage08::count_of(child.err, join_error), 1) << "join() returned Err, and unwrap() panicked";
    EXPECT_LT(child.err.find(recv_error), child.err.find(main_panic)) << "the worker panicked first";

    EXPECT_EQ(stage08::count_of(child.out, "Shutting down worker 0\n"), 1);
    EXPECT_EQ(stage08::count_of(child.out, "Shutting down worker 1\n"), 0) << "the panic ends the shutdown";
    EXPECT_EQ(stage08::count_of(child.out, "the pool was destroyed"), 0);
}
