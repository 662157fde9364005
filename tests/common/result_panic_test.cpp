// common/rs: Option, Result, panic, RS_ASSERT, the exit status of a panic in main.
#include <gtest/gtest.h>

#include <csignal>
#include <memory>
#include <string>

#include <unistd.h>

#include "rs/io.hpp"
#include "rs/panic.hpp"
#include "rs/result.hpp"
#include "rs/thread.hpp"
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

namespace {

// What a panic at `where` with `message` prints on the calling thread, and the report Rust's texts
// (rust_messages.hpp) say it should print there.
struct PrintedAndExpected {
    std::string printed;
    std::string expected;
};

PrintedAndExpected panic_and_capture(const std::string& thread_name, const std::string& message) {
    const auto where = rs::Location::current();
    const auto os_id = static_cast<unsigned long long>(::gettid());
    testing::internal::CaptureStderr();
    try {
        rs::panic(message, where);
    } catch (const rs::Panic&) {
    }
    const std::string location = std::string("tests/common/result_panic_test.cpp:")
                                 + std::to_string(where.line) + ":" + std::to_string(where.column);
    return {testing::internal::GetCapturedStderr(),
            rust_text::panic_report(thread_name, os_id, location, message)};
}

}  // namespace

TEST(Common_Panic, PrintsRustsReportWithTheThreadsNameOsIdAndCallSite) {
    // Rust 1.95's report, byte for byte: a blank line, `thread 'NAME' (OS ID) panicked at FILE:LINE:COL:`,
    // the message. On main, and on a spawned thread (`<unnamed>`, its own id).
    const auto on_main = panic_and_capture("main", "boom");
    EXPECT_EQ(on_main.printed, on_main.expected) << "Rust " << rust_text::rust_version;

    PrintedAndExpected on_worker;
    auto handle =
        rs::thread::spawn([&on_worker] { on_worker = panic_and_capture("<unnamed>", "boom on a worker"); });
    ASSERT_TRUE(std::move(handle).join().is_ok());
    EXPECT_EQ(on_worker.printed, on_worker.expected) << "Rust " << rust_text::rust_version;
    EXPECT_NE(on_worker.printed.substr(0, 40), on_main.printed.substr(0, 40));
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

namespace {

// A destructor that panics, as a ThreadPool whose join().unwrap() fails does.
struct PanicsWhenDestroyed {
    PanicsWhenDestroyed() = default;
    PanicsWhenDestroyed(const PanicsWhenDestroyed&) = delete;
    PanicsWhenDestroyed& operator=(const PanicsWhenDestroyed&) = delete;
    ~PanicsWhenDestroyed() { rs::panic("the destructor's own panic"); }
};

}  // namespace

TEST(Common_PanicDeathTest, APanicLeavingADestructorThatAnotherPanicsUnwindingRunsAbortsAsRust) {
    // Rust: "panic in a destructor during cleanup", reported as a panic of its own, then the abort.
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    const std::string report = "\n" + rust_text::panicked_at_regex("main") + "[^\n]*\n";
    EXPECT_EXIT(rs::run_as_main([] {
                    const PanicsWhenDestroyed guard;
                    rs::panic("the first panic");
                }),
                testing::KilledBySignal(SIGABRT),
                report + "the first panic\n" + report + "the destructor's own panic\n" + report +
                    rust_text::as_regex(rust_text::panic_in_cleanup) + "\n" +
                    rust_text::as_regex(rust_text::non_unwinding_abort) + "\n$");
}

TEST(Common_PanicDeathTest, APanicCaughtInsideADestructorDuringUnwindingDoesNotAbort) {
    // Only a panic that leaves the destructor aborts; one caught inside it is an ordinary panic.
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    struct CatchesItsOwnPanic {
        ~CatchesItsOwnPanic() {
            try {
                rs::panic("caught inside the destructor");
            } catch (const rs::Panic&) {
            }
        }
    };
    EXPECT_EXIT(rs::run_as_main([] {
                    const CatchesItsOwnPanic guard;
                    rs::panic("the first panic");
                }),
                testing::ExitedWithCode(101), "caught inside the destructor\n$");
}

TEST(Common_PanicDeathTest, RsAssertPanicsEvenWithNdebug) {
    EXPECT_EXIT(rs::run_as_main([] { RS_ASSERT(1 + 1 == 3); }), testing::ExitedWithCode(101),
                "assertion failed: 1 \\+ 1 == 3");
}
// A panic leaving a real main() (status 101, after main.cpp's runtime has unwound it) is tested on the
// servers: Stage01_Server.EmptyConnectionPanicsMainAndEndsTheServer, and
// Stage08_PanicLeavingMain.UnwindsMainSoThePoolsDestructorRunsPanicsAgainAndTheProcessAborts.
