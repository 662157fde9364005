// common/rs: Option, Result, panic, RS_ASSERT, the exit status of a panic in main.
#include <gtest/gtest.h>

#include <memory>

#include "rs/io.hpp"
#include "rs/panic.hpp"
#include "rs/result.hpp"
#include "rust_messages.hpp"

using rs::Err;
using rs::None;
using rs::Ok;
using rs::Option;
using rs::Result;

TEST(Common_Option, UnwrapGivesTheValueOrPanicsWithRustsMessage) {
    EXPECT_EQ(Option<int>(3).unwrap(), 3);
    try {
        (void)Option<int>(None).unwrap();
        FAIL() << "unwrap on None must panic";
    } catch (const rs::Panic& panic) {
        EXPECT_EQ(panic.message(), rust_text::unwrap_none);
    }
}

TEST(Common_Option, TakeMovesTheValueOutAndAsRefBorrowsIt) {
    auto held = Option<std::unique_ptr<int>>(std::make_unique<int>(5));
    ASSERT_TRUE(held.as_ref().is_some());
    EXPECT_EQ(**held.as_ref().unwrap(), 5) << "as_ref() gives a pointer to the value, which stays";
    auto taken = held.take();
    EXPECT_TRUE(held.is_none()) << "take() leaves None behind";
    EXPECT_TRUE(held.as_ref().is_none());
    EXPECT_EQ(*std::move(taken).unwrap(), 5);
}

TEST(Common_Drop, DestroysItsArgumentBeforeTheNextStatement) {
    auto counted = std::make_shared<int>(1);
    auto held = Option<std::shared_ptr<int>>(counted);
    ASSERT_EQ(counted.use_count(), 2);
    rs::drop(held.take());
    EXPECT_EQ(counted.use_count(), 1);
    auto other_owner = counted;
    rs::drop(std::move(other_owner));  // it takes ownership: a moved-in value is destroyed too
    EXPECT_EQ(counted.use_count(), 1);
}

TEST(Common_Result, UnwrapOnErrPanicsWithTheErrorsDebugForm) {
    EXPECT_EQ((Result<int, rs::io::Error>(Ok(7)).unwrap()), 7);
    try {
        (void)Result<int, rs::io::Error>(Err(rs::io::Error::from_os(104))).unwrap();
        FAIL() << "unwrap on Err must panic";
    } catch (const rs::Panic& panic) {
        EXPECT_EQ(panic.message(),
                  rust_text::unwrap_err +
                      R"(Os { code: 104, kind: ConnectionReset, message: "Connection reset by peer" })");
    }
}

TEST(Common_Panic, PrintsThreadNameAndCallSiteToStderr) {
    testing::internal::CaptureStderr();
    EXPECT_THROW(rs::panic("boom"), rs::Panic);
    const std::string printed = testing::internal::GetCapturedStderr();
    EXPECT_EQ(printed.rfind(rust_text::main_panicked, 0), 0U) << printed;
    EXPECT_NE(printed.find("tests/common/result_panic_test.cpp:"), std::string::npos) << printed;
    EXPECT_NE(printed.find(":\nboom\n"), std::string::npos) << printed;
}

TEST(Common_Panic, PanicIsNotAStdException) {
    // A `catch (const std::exception&)` must not swallow a panic.
    bool swallowed = false;
    try {
        try {
            rs::panic("not for std::exception handlers");
        } catch (const std::exception&) {
            swallowed = true;
        }
    } catch (const rs::Panic&) {
    }
    EXPECT_FALSE(swallowed);
}

TEST(Common_PanicDeathTest, RsAssertPanicsEvenWithNdebug) {
    EXPECT_EXIT(rs::run_as_main([] { RS_ASSERT(1 + 1 == 3); }), testing::ExitedWithCode(101),
                "assertion failed: 1 \\+ 1 == 3");
}
// A panic leaving a real main() (status 101 through the terminate handler) is tested on the stage-01
// server: see Stage01_Server.EmptyConnectionPanicsMainAndEndsTheServer.
