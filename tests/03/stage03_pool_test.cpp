// Stage 03: the ThreadPool library of one listing (21-13, 21-14 or 21-15; Meson builds this file once
// per listing, naming the suite after it): `new` panics on zero, as assert! does, and execute() drops
// the job it is given without running it.
#include <gtest/gtest.h>

#include <memory>

#include "rs/panic.hpp"
#include "rust_messages.hpp"
#include "thread_pool.hpp"

#ifndef POOL_SUITE
#error "Meson defines POOL_SUITE, e.g. Stage03_Pool_21_13"
#endif

TEST(POOL_SUITE, ZeroSizePanicsAsAssertDoes) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    // Rust: `ThreadPool::new(0)` in main panics with `assertion failed: size > 0`; exit status 101.
    EXPECT_EXIT(rs::run_as_main([] { [[maybe_unused]] auto pool = hello::ThreadPool(0); }),
                testing::ExitedWithCode(101),
                rust_text::as_regex(rust_text::main_panicked) + ".*\nassertion failed: size > 0");
}

TEST(POOL_SUITE, PositiveSizeMakesAPool) {
    EXPECT_NO_THROW({ [[maybe_unused]] auto pool = hello::ThreadPool(4); });
}

TEST(POOL_SUITE, ExecuteDropsTheJobWithoutRunningIt) {
    auto pool = hello::ThreadPool(4);
    auto owned = std::make_shared<int>(0);  // stands for the TcpStream the server's job owns
    pool.execute([owned] { *owned = 1; });
    EXPECT_EQ(owned.use_count(), 1) << "the job, and what it owns, is gone when execute returns";
    EXPECT_EQ(*owned, 0) << "the job never ran";
}
