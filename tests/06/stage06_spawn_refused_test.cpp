// Stage 06, listing 21-20: a ThreadPool the OS cannot give its four threads. Rust's `Worker::new` calls
// `thread::spawn`, which panics `failed to spawn thread: Os { .. }`; on main the process exits 101 (the
// book points at `thread::Builder::spawn`, which returns the error instead). The same in C++, in a child
// process whose address space leaves room for one 2 MiB stack and not four.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdlib>

#include "proc_status.hpp"
#include "rs/panic.hpp"
#include "rust_messages.hpp"
#include "thread_pool.hpp"

TEST(Stage06_ThreadPool, APoolTheOsCannotGiveItsThreadsPanicsOnMainAndExits101) {
    if (!support::address_space_limits_usable) GTEST_SKIP() << "no address-space limit under a sanitizer";
    GTEST_FLAG_SET(death_test_style, "threadsafe");  // a fresh process: no stack of an ended thread to reuse
    EXPECT_EXIT(
        {
            constexpr std::size_t headroom = std::size_t{3} * 1024 * 1024;
            const auto status = support::read_proc_status(0);
            if (!status || !support::limit_address_space(0, status->address_space_bytes + headroom))
                std::_Exit(3);
            rs::run_as_main([] { auto pool = hello::ThreadPool(4); });
            std::_Exit(0);
        },
        testing::ExitedWithCode(101),
        rust_text::panicked_at_regex("main") + "common/rs/thread\\.cpp:[0-9]+:[0-9]+:\n" +
            rust_text::as_regex(rust_text::spawn_failed_would_block));
}
