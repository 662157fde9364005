// common/rs/thread.hpp: what rs::thread::spawn gives a thread (Rust's stack size) and what it does when
// the OS refuses one (Rust's panic, exit status 101 from main), as std::thread does not.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdlib>
#include <utility>

#include <pthread.h>

#include "proc_status.hpp"
#include "rs/panic.hpp"
#include "rs/thread.hpp"
#include "rust_messages.hpp"

namespace {

constexpr std::size_t mebibyte = std::size_t{1024} * 1024;

// The stack the calling thread was given, as the C library reports it.
std::size_t own_stack_size() {
    pthread_attr_t attributes;
    std::size_t size = 0;
    if (::pthread_getattr_np(::pthread_self(), &attributes) == 0) {
        ::pthread_attr_getstacksize(&attributes, &size);
        ::pthread_attr_destroy(&attributes);
    }
    return size;
}

// Leaves this process `headroom` bytes of address space beyond what it uses now.
void leave_address_space(std::size_t headroom) {
    const auto status = support::read_proc_status(0);
    if (!status || !support::limit_address_space(0, status->address_space_bytes + headroom)) std::_Exit(3);
}

}  // namespace

TEST(Common_ThreadSpawn, ASpawnedThreadHasRustsDefaultStackOfTwoMebibytes) {
    if (std::getenv("RUST_MIN_STACK") != nullptr) GTEST_SKIP() << "RUST_MIN_STACK is set";
    auto handle = rs::thread::spawn([] { return own_stack_size(); });
    EXPECT_EQ(std::move(handle).join().unwrap(), 2 * mebibyte);
}

TEST(Common_ThreadSpawn, RustMinStackSetsTheStackAsInRust) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");  // a fresh process: RUST_MIN_STACK is read once
    EXPECT_EXIT(
        {
            ::setenv("RUST_MIN_STACK", "4194304", 1);
            auto handle = rs::thread::spawn([] { return own_stack_size(); });
            std::_Exit(std::move(handle).join().unwrap() == 4 * mebibyte ? 0 : 1);
        },
        testing::ExitedWithCode(0), "");
}

// std::thread throws std::system_error here, and the process aborts (status 134).
TEST(Common_ThreadSpawn, RefusedThreadPanicsOnMainAndExits101AsRust) {
    if (!support::address_space_limits_usable) GTEST_SKIP() << "no address-space limit under a sanitizer";
    // A fresh process: a forked one could reuse the stack of a thread an earlier test ended.
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            leave_address_space(mebibyte);  // less than one 2 MiB stack
            rs::run_as_main([] { auto handle = rs::thread::spawn([] {}); });
            std::_Exit(0);
        },
        testing::ExitedWithCode(101),
        rust_text::panicked_at_regex("main") + "common/rs/thread\\.cpp:[0-9]+:[0-9]+:\n" +
            rust_text::as_regex(rust_text::spawn_failed_would_block) + "\n");
}

// With a smaller stack the same headroom holds a thread: the stack is what the limit bites on.
TEST(Common_ThreadSpawn, ASmallerStackFitsWhereTwoMebibytesDoNot) {
    if (!support::address_space_limits_usable) GTEST_SKIP() << "no address-space limit under a sanitizer";
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            ::setenv("RUST_MIN_STACK", "262144", 1);  // 256 KiB
            leave_address_space(mebibyte);
            rs::run_as_main([] { rs::thread::spawn([] {}).join().unwrap(); });
            std::_Exit(0);
        },
        testing::ExitedWithCode(0), "");
}
