// Stage 03, the build() variant of listing 21-13 (the one the book suggests trying): a size of zero is
// an Err(PoolCreationError) the caller can handle, not a panic.
#include <gtest/gtest.h>

#include "rs/panic.hpp"
#include "rust_messages.hpp"
#include "thread_pool.hpp"

using hello::PoolCreationError;
using hello::ThreadPool;

TEST(Stage03_Build, ZeroSizeIsAnErrNotAPanic) {
    auto built = ThreadPool::build(0);  // returns: no panic, no exit
    ASSERT_TRUE(built.is_err());
    EXPECT_EQ(built.error().debug(), "PoolCreationError");
}

TEST(Stage03_Build, PositiveSizeIsOk) {
    EXPECT_TRUE(ThreadPool::build(4).is_ok());
    EXPECT_TRUE(ThreadPool::build(1).is_ok());
}

TEST(Stage03_Build, UnwrapOnZeroPanicsWithTheErrorsDebugForm) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    // What main's `ThreadPool::build(0).unwrap()` would do: the panic is unwrap's, not assert!'s.
    EXPECT_EXIT(rs::run_as_main([] { [[maybe_unused]] auto pool = ThreadPool::build(0).unwrap(); }),
                testing::ExitedWithCode(101),
                rust_text::as_regex(rust_text::unwrap_err + "PoolCreationError"));
}
