// A panic that leaves a destructor on main. In Rust it unwinds out of `drop` and out of main: exit
// status 101 (listing 21-23's pool, for one). In C++ a destructor is noexcept, so std::terminate runs,
// and the workbook's terminate handler exits 101 too. This file is compiled with -O2 (meson.build): GCC
// 12's optimised code calls std::terminate from a noexcept destructor without making the exception
// current, so the handler cannot see the rs::Panic; it must know otherwise that a panic is under way.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "rs/panic.hpp"
#include "rs/print.hpp"
#include "rs/result.hpp"
#include "rs/thread.hpp"
#include "rust_messages.hpp"

namespace {

// The shape of listing 21-23's drop: the workers moved out of a member, each joined and unwrapped.
class JoinsItsWorkersWhenDropped {
public:
    JoinsItsWorkersWhenDropped() {
        workers_.push_back(rs::thread::spawn([] { rs::panic("the worker's own panic"); }));
    }
    JoinsItsWorkersWhenDropped(const JoinsItsWorkersWhenDropped&) = delete;
    JoinsItsWorkersWhenDropped& operator=(const JoinsItsWorkersWhenDropped&) = delete;
    ~JoinsItsWorkersWhenDropped() {
        for (auto& worker : std::exchange(workers_, {})) {
            rs::println("joining a worker");
            std::move(worker).join().unwrap();
        }
    }

private:
    std::vector<rs::thread::JoinHandle<void>> workers_;
};

}  // namespace

TEST(Common_PanicInDestructor, APanicLeavingADestructorOnMainExitsWithStatus101EvenWhenOptimised) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT({ const JoinsItsWorkersWhenDropped pool; }, ::testing::ExitedWithCode(101),
                rust_text::panicked_at_regex("main") + ".*\n"
                    + rust_text::as_regex(rust_text::unwrap_join_error) + "\n");
}
