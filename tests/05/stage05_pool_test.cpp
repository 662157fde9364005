// Stage 05, listing 21-19's library: the Job type (Rust's Box<dyn FnOnce() + Send + 'static>) and what
// execute() does with a job while nobody receives.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <type_traits>

#include "rs/panic.hpp"
#include "rust_messages.hpp"
#include "thread_pool.hpp"

using hello::Job;
using hello::ThreadPool;
using namespace std::chrono_literals;

namespace {
// The type of a closure that owns something move-only, as the server's closure owns its TcpStream (a
// type, not a function returning one: only its type is used, and Clang warns of an unneeded function).
using OwningClosure = decltype([owned = std::make_unique<int>(7)] { (void)*owned; });
}  // namespace

TEST(Stage05_Job, HoldsAClosureThatOwnsAMoveOnlyValue) {
    static_assert(std::is_constructible_v<Job, OwningClosure>);
    static_assert(!std::is_copy_constructible_v<Job>, "a Box is moved, never copied");
    static_assert(std::is_invocable_v<Job&&>, "FnOnce: called as an rvalue");
    static_assert(!std::is_invocable_v<Job&>, "not callable as an lvalue: a call must say std::move(job)");
    auto ran = std::make_shared<bool>(false);
    auto job = Job([ran, owned = std::make_unique<int>(7)] { *ran = *owned == 7; });
    std::move(job)();
    EXPECT_TRUE(*ran);
}

// Where C++ differs from FnOnce: the && qualifier only requires an rvalue to call the job. The call
// does not consume it (the callable stays inside), so a second std::move(job)() compiles, with no
// warning, and runs the same job again. Rust's `job()` moves the Box; a second call does not compile.
TEST(Stage05_Job, AnRvalueIsRequiredToCallItButNothingConsumesItSoItCanRunTwice) {
    auto runs = std::make_shared<int>(0);
    auto job = Job([runs] { ++*runs; });
    std::move(job)();
    ASSERT_TRUE(static_cast<bool>(job)) << "the call left the job in place";
    std::move(job)();
    EXPECT_EQ(*runs, 2);
}

TEST(Stage05_Job, StdFunctionCannotBeMadeFromSuchAClosure) {
    // std::function's constructor is not constrained on copyability (it static_asserts inside, which
    // the compile-fail check `05 cpp-21-19-std-function does not compile` shows), but its target must be.
    static_assert(!std::is_copy_constructible_v<OwningClosure>);
    static_assert(std::is_copy_constructible_v<std::function<void()>>);
}

TEST(Stage05_Pool, ExecuteSendsUntilTheReceiverIsGoneThenPanicsWithSendError) {
    auto pool = ThreadPool(4);
    auto owned = std::make_shared<int>(0);  // held by every job sent; no job ever runs
    bool panicked = false;
    const auto give_up = std::chrono::steady_clock::now() + 5s;
    // The worker threads drop their shares of the receiver as soon as they run; until the last one has,
    // a send succeeds (the job is queued, then dropped with the receiver).
    while (!panicked && std::chrono::steady_clock::now() < give_up) {
        try {
            pool.execute([owned] { *owned = 1; });
            std::this_thread::sleep_for(10ms);
        } catch (const rs::Panic& panic) {
            panicked = true;
            EXPECT_EQ(panic.message(), rust_text::unwrap_send_error);
        }
    }
    EXPECT_TRUE(panicked) << "execute() must panic once the receiver is gone";
    EXPECT_EQ(owned.use_count(), 1) << "every job sent was dropped: the failed one, and any queued one";
    EXPECT_EQ(*owned, 0) << "no job ever ran";
}
